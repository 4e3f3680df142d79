/*
 * baseline_int.h - internals shared by baseline_sketch.c (what one page
 * looks like), baseline.c (learning), baseline_blob.c (serialising),
 * baseline_cmp.c (comparing) and deface.c.  Not a public contract.
 *
 * A sketch is what we extract from one parsed page; a baseline is what
 * several sketches agree on.  Both reduce text to 64-bit hashes of
 * normalised text (blanks dropped, ASCII lower-cased, digit runs folded to
 * '#', so counters and dates in otherwise stable text compare equal).
 */
#ifndef SW_ANALYZE_BASELINE_INT_H
#define SW_ANALYZE_BASELINE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/baseline.h"

/* sw__bl_block.flags */
#define SW__BL_DATE      0x01 /* the text holds a date or time */
#define SW__BL_SOFT      0x02 /* its path is dynamic by shape (dates, repeated link lists) */
#define SW__BL_PROMINENT 0x04 /* inside marquee, h1-h3, center, font, strong or b */
#define SW__BL_MARQUEE   0x08 /* inside marquee: the scrolling banner of defacers */
#define SW__BL_CAROUSEL  0x10 /* inside a carousel, scroller or marquee */

/* One block: the visible text whose innermost block element is the same. */
struct sw__bl_block {
	uint64_t path;  /* path hash of the block element */
	uint64_t text;  /* hash of the normalised text */
	uint32_t node;  /* the block element's node index */
	uint32_t off;   /* offset in doc->src of its first text node */
	uint32_t end;   /* end of its last text node in doc->src */
	uint32_t len;   /* normalised text bytes */
	uint32_t link;  /* of which inside links */
	uint32_t flags; /* SW__BL_* */
};

/* A text node's byte range and its block, for mapping offsets to blocks. */
struct sw__bl_span {
	uint32_t off, end;
	uint32_t block;
};

/* An image that may be a key image (logo, header banner, first pictures). */
struct sw__bl_img {
	uint64_t path;  /* path hash of the img element */
	uint64_t src;   /* hash of its src without query and fragment */
	uint32_t node;
	int key;        /* a key-image candidate (not in a carousel, not a pixel) */
};

#define SW__BL_MAX_IMGS 64   /* images kept per sketch */
#define SW__BL_MAX_KEYIMGS 16
#define SW__BL_MAX_HOSTS 256
#define SW__BL_MAX_URL 512   /* stored image URL bytes */
#define SW__BL_MAX_ITEMS 65536 /* paths, dynamic paths and stable blocks in a baseline */

struct sw__sketch {
	const struct sw_doc *doc;    /* borrowed */
	char *title;                 /* owned, normalised */
	struct sw__bl_block *blocks; /* owned, non-empty blocks in document order */
	size_t nblocks;
	struct sw__bl_span *spans;   /* owned, sorted by off */
	size_t nspans;
	uint64_t *paths;             /* owned, sorted unique element paths in body */
	size_t npaths;
	uint64_t *soft;              /* owned, sorted unique soft block paths */
	size_t nsoft;
	struct sw__bl_img *imgs;     /* owned, document order */
	size_t nimgs;
	char **hosts;                /* owned, sorted unique script/frame hosts */
	size_t nhosts;
	size_t links;                /* visible links with href */
	uint64_t vis_bytes;          /* normalised visible text bytes */
};

struct sw__bl_stable {
	uint64_t text;
	uint32_t len;
};

struct sw__bl_keyimg {
	uint64_t path, src;
	char *url; /* owned */
};

struct sw_baseline {
	uint32_t versions;
	int title_dyn;
	char *title;                 /* owned, normalised title of the newest version */
	uint32_t title_pre, title_suf; /* when title_dyn: stable prefix/suffix bytes */
	uint64_t *paths;             /* sorted: element paths present in every version */
	size_t npaths;
	uint64_t *dyn;               /* sorted: dynamic block paths */
	size_t ndyn;
	struct sw__bl_stable *stable; /* sorted by text: stable blocks */
	size_t nstable;
	uint64_t stable_total;       /* sum of their len */
	struct sw__bl_keyimg *imgs;
	size_t nimgs;
	char **hosts;                /* sorted */
	size_t nhosts;
};

/* Builds the sketch of d into *sk (caller's struct, cleaned with
 * sw__sketch_cleanup).  SW_ENOMEM only. */
enum sw_err sw__sketch_build(const struct sw_doc *d, struct sw__sketch *sk);
void sw__sketch_cleanup(struct sw__sketch *sk);

/* Normalises s (blanks dropped, ASCII lower case, digit runs to '#') into
 * a new string. NULL on ENOMEM. */
char *sw__bl_norm_dup(const char *s);

/* Hash of src without query/fragment; 0 for an empty one. */
uint64_t sw__bl_src_hash(const char *src);

/* Binary searches in sorted arrays. */
int sw__bl_has64(const uint64_t *v, size_t n, uint64_t x);
const struct sw__bl_stable *sw__bl_find_stable(const struct sw_baseline *b, uint64_t text);
int sw__bl_has_str(char *const *v, size_t n, const char *s);

/* Sorts and deduplicates v in place; returns the new count. */
size_t sw__bl_sort_unique64(uint64_t *v, size_t n);

/* Index of the block holding page offset off, or SIZE_MAX. */
size_t sw__sketch_block_at(const struct sw__sketch *sk, uint32_t off);

/* How one block of the current page compares to the baseline. */
enum sw__bl_class {
	SW__BL_IGNORED, /* dynamic region */
	SW__BL_MATCHED, /* the same text is in the baseline */
	SW__BL_CHANGED, /* new text at a path the baseline knows */
	SW__BL_NEWPATH  /* new text at a path the baseline never had */
};

struct sw__bl_diff {
	uint8_t *cls;           /* owned: enum sw__bl_class per current block */
	int title_changed;
	double struct_sim;      /* share of the baseline's paths still present; -1 unknown */
	uint64_t stable_total;  /* baseline stable bytes */
	uint64_t matched;       /* of which still present */
	uint64_t new_bytes;     /* current text in CHANGED/NEWPATH blocks */
	size_t first_new;       /* first CHANGED/NEWPATH block, SIZE_MAX none */
	size_t img_node;        /* current img replacing a key image, SIZE_MAX none */
	const char *img_base;   /* that key image's baseline URL (borrowed) */
};

/* Compares sketch sk with b into *df (caller's, cleaned with
 * sw__bl_diff_cleanup).  SW_ENOMEM only. */
enum sw_err sw__bl_compare(const struct sw_baseline *b, const struct sw__sketch *sk,
			   struct sw__bl_diff *df);
void sw__bl_diff_cleanup(struct sw__bl_diff *df);

#endif
