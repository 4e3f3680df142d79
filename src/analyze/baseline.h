/*
 * baseline.h - what a site's page normally looks like, learned from one or
 * more earlier fetches, so the defacement analyzer (deface.c) can tell an
 * attacker's change from the page's own churn.
 *
 * A baseline keeps: the title (and, when it varies between the versions,
 * its stable prefix and suffix); the page's structure as a set of element
 * path hashes; the visible text split into blocks (by block elements) as
 * hashes with their lengths; the block paths that are dynamic (their text
 * differs between versions, or they hold dates or repeated link lists:
 * news lists, counters, carousels); key images (logo, header banner, the
 * first few pictures outside carousels); the hosts that scripts and frames
 * come from.  No text is kept except the title, image URLs and hosts, so a
 * baseline is small (a few KB for a portal home page) and can be stored.
 *
 * Learning from several versions is what makes dynamic regions known;
 * learning from one still works: date-bearing blocks and repeated link
 * lists are treated as dynamic by shape.
 *
 * Ownership: sw_baseline_learn and sw_baseline_from_blob return a new
 * baseline the caller frees with sw_baseline_free; it borrows nothing.
 */
#ifndef SW_ANALYZE_BASELINE_H
#define SW_ANALYZE_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/doc.h"
#include "core/err.h"

struct sw_baseline;

/* At most this many versions are learned from; more is SW_EINVAL. */
#define SW_BASELINE_MAX_VERSIONS 32

/* The blob format version sw_baseline_to_blob writes. */
#define SW_BASELINE_BLOB_VERSION 1

/* A serialised baseline is never larger than this. */
#define SW_BASELINE_BLOB_MAX (8u << 20)

/*
 * Learns a baseline from n (1..SW_BASELINE_MAX_VERSIONS) parsed versions of
 * the same page, oldest first.  The docs are only read.  *out is new and
 * the caller's.  SW_EINVAL when n is out of range, SW_ENOMEM.
 */
enum sw_err sw_baseline_learn(const struct sw_doc *const *docs, size_t n,
			      struct sw_baseline **out, struct sw_errbuf *eb);

/* Frees b.  b may be NULL. */
void sw_baseline_free(struct sw_baseline *b);

/*
 * Serialises b into a new malloc'd blob (*blob, the caller frees it) of
 * *len bytes: versioned, little-endian, with a checksum.
 */
enum sw_err sw_baseline_to_blob(const struct sw_baseline *b, unsigned char **blob,
				size_t *len, struct sw_errbuf *eb);

/*
 * Reads a blob made by sw_baseline_to_blob into a new baseline (*out, the
 * caller's).  Malformed, truncated, oversized, unsorted or corrupted input
 * and unknown versions are SW_EINVAL with a reason in eb; never a crash.
 */
enum sw_err sw_baseline_from_blob(const unsigned char *blob, size_t len,
				  struct sw_baseline **out, struct sw_errbuf *eb);

/* Facts about a baseline, for `sitewarden baseline show`. */
struct sw_baseline_info {
	const char *title;       /* normalised title (borrowed from the baseline) */
	int title_dynamic;       /* the title differed between versions */
	size_t versions;         /* fetches it was learned from */
	size_t paths;            /* stable element paths */
	size_t blocks;           /* stable text blocks */
	uint64_t stable_bytes;   /* their normalised text */
	size_t dynamic_paths;    /* block paths treated as dynamic */
	size_t images;           /* key images */
	size_t hosts;            /* script and frame hosts */
};

void sw_baseline_info(const struct sw_baseline *b, struct sw_baseline_info *info);

/* URL of key image i (0 <= i < info.images), borrowed. */
const char *sw_baseline_image(const struct sw_baseline *b, size_t i);

/*
 * True when scripts or frames of the baseline came from host (lower case,
 * exact match).  For the trojan analyzer: a script host the site never used
 * before is suspicious.
 */
int sw_baseline_has_host(const struct sw_baseline *b, const char *host);

#endif
