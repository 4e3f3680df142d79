/*
 * doc.h - a parsed page as analyzers see it: a flat array of nodes in
 * document order, built by an HTML5 parser (myhtml) and then freed from it.
 *
 * Why flat: every analyzer walks the whole page once or twice; an array in
 * document order with parent indexes and subtree ends is cache-friendly,
 * needs no recursion (hostile pages nest 100,000 deep) and keeps the
 * parser's types out of the analyzers.  A node's subtree is the index range
 * [i, nodes[i].end).
 *
 * Hiddenness (from our own small CSS layer, css.c) is computed once for
 * every node: which techniques hide the node itself (hide_self) and which
 * hide it because of an ancestor (hide).  Analyzers ask "can a visitor see
 * this?" without knowing CSS.
 *
 * Offsets (off, len) are byte ranges in the parsed text (sw_doc.src).
 * Ownership: sw_doc_parse returns a doc that owns every node, attribute and
 * string; src is borrowed and must outlive the doc.
 */
#ifndef SW_ANALYZE_DOC_H
#define SW_ANALYZE_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define SW_NONE UINT32_MAX /* "no node" in parent, title, body ... */

enum sw_node_type { SW_NODE_ELEMENT, SW_NODE_TEXT, SW_NODE_COMMENT };

/* The elements analyzers name; everything else is SW_TAG_OTHER (its name
 * is still in sw_node.name). */
#define SW_TAG_MAP(X)                                                              \
	X(OTHER) X(HTML) X(HEAD) X(BODY) X(TITLE) X(META) X(LINK) X(BASE) X(STYLE)     \
	X(SCRIPT) X(NOSCRIPT) X(A) X(AREA) X(IFRAME) X(FRAME) X(FRAMESET) X(OBJECT)    \
	X(EMBED) X(IMG) X(MARQUEE) X(DIV) X(SPAN) X(P) X(FONT) X(UL) X(OL) X(LI)       \
	X(TABLE) X(TR) X(TD) X(FORM) X(INPUT) X(BUTTON) X(SELECT) X(OPTION) X(H1)      \
	X(H2) X(H3) X(H4) X(H5) X(H6) X(BR) X(CENTER) X(TEXTAREA) X(TEMPLATE) X(SVG)  \
	X(NAV) X(HEADER) X(FOOTER) X(SECTION) X(ARTICLE) X(MAIN) X(ASIDE) X(DETAILS)  \
	X(DIALOG) X(STRONG) X(B) X(EM) X(I)

enum sw_tag {
#define SW_TAG_ENUM(t) SW_TAG_##t,
	SW_TAG_MAP(SW_TAG_ENUM)
#undef SW_TAG_ENUM
	SW_TAG__COUNT
};

/* Techniques that hide an element from a visitor (a bit set).  The names
 * (sw_hide_name) are the "technique" of darklink findings. */
#define SW_HIDE_MAP(X)                                                          \
	X(DISPLAY, "display-none")           /* display:none */                     \
	X(VISIBILITY, "visibility-hidden")   /* visibility:hidden/collapse */       \
	X(OFFSCREEN, "offscreen")            /* large negative left/top/margin */   \
	X(TEXT_INDENT, "text-indent")        /* large negative text-indent */       \
	X(ZERO_SIZE, "zero-size")            /* width/height 0 with overflow hidden */ \
	X(FONT_ZERO, "font-size-0")          /* font-size 0 (or < 1px) */          \
	X(COLOR, "same-color")               /* text colour equals background */    \
	X(OPACITY, "opacity-0")              /* opacity 0 */                        \
	X(CLIP, "clip")                      /* clip/clip-path to nothing */        \
	X(ATTR, "hidden-attribute")          /* the hidden attribute */             \
	X(MARQUEE, "zero-size-marquee")      /* marquee of zero/1px size */         \
	X(NOSCRIPT, "noscript")              /* inside <noscript> */                \
	X(SCRIPT, "script-hidden")           /* hidden by a script after load */    \
	X(TEMPLATE, "template")              /* inside <template> (never shown) */

enum sw_hide_bit {
#define SW_HIDE_ENUM(name, str) SW_HIDE_BIT_##name,
	SW_HIDE_MAP(SW_HIDE_ENUM)
#undef SW_HIDE_ENUM
	SW_HIDE__COUNT
};
#define SW_HIDE(name) (1u << SW_HIDE_BIT_##name)

/* "display-none", ... for one bit; the lowest set bit of a set. */
const char *sw_hide_name(uint32_t hide);

#define SW_COLOR_NONE UINT32_MAX /* no colour known */

struct sw_attr {
	const char *name;  /* lower case, NUL-terminated */
	const char *value; /* NUL-terminated ("" for a bare attribute) */
	uint32_t value_len;
};

struct sw_node {
	uint8_t type;          /* enum sw_node_type */
	uint8_t tag;           /* enum sw_tag; SW_TAG_OTHER for text/comment */
	uint16_t flags;        /* SW_NODE_* below */
	uint32_t parent;       /* SW_NONE for a root */
	uint32_t end;          /* one past the last node of the subtree */
	uint32_t depth;        /* 0 for roots */
	uint32_t attr, nattr;  /* attributes are attrs[attr .. attr+nattr) */
	const char *name;      /* element: lower-case tag name; else NULL */
	const char *text;      /* text/comment: NUL-terminated content; else NULL */
	uint32_t text_len;
	uint32_t off, len;     /* byte range in src (0,0 when the parser made it up) */
	uint32_t hide_self;    /* SW_HIDE bits that apply to this node itself */
	uint32_t hide;         /* hide_self | every ancestor's hide: what the visitor gets */
	uint32_t hide_css;     /* bits of hide_self that came from a <style> block rule */
	uint32_t color, bg;    /* effective text and background colour, 0xRRGGBB */
};

/* sw_node.flags */
#define SW_NODE_IN_HEAD     0x01 /* inside <head> */
#define SW_NODE_RAW_TEXT    0x02 /* text of <script>, <style>, <title>, <textarea>, <xmp> */

/* Why a doc is incomplete (sw_doc.limits); each is also a reason for an
 * analysis-limit finding. */
#define SW_DOC_LIMIT_BYTES 0x01 /* input cut at max_bytes */
#define SW_DOC_LIMIT_NODES 0x02 /* nodes beyond max_nodes dropped */
#define SW_DOC_LIMIT_DEPTH 0x04 /* nesting beyond max_depth flattened or cut */

struct sw_doc_limits {
	size_t max_bytes;  /* default 8 MiB */
	size_t max_nodes;  /* default 500,000 */
	size_t max_depth;  /* default 512 */
};

/* Fills lim with the defaults above. */
void sw_doc_limits_init(struct sw_doc_limits *lim);

struct sw_doc {
	struct sw_node *nodes;
	size_t n;
	struct sw_attr *attrs;
	size_t nattrs;
	const char *src;       /* the parsed UTF-8 text (borrowed) */
	size_t src_len;
	uint32_t html, head, body, title; /* indexes, SW_NONE when absent */
	unsigned limits;       /* SW_DOC_LIMIT_* bits */
	char *title_text;      /* owned: the title's text, blanks collapsed; "" when none */
	void *priv;            /* owned: arenas */
};

/*
 * Parses text (UTF-8, len bytes) into a new doc and computes hiddenness.
 * Limits are checked before and during the parse; hitting one is not an
 * error: the doc is built from what fits and d->limits says why.  Fails only
 * with SW_ENOMEM.  *out is the caller's, freed with sw_doc_free.
 */
enum sw_err sw_doc_parse(const char *text, size_t len, const struct sw_doc_limits *lim,
			 struct sw_doc **out, struct sw_errbuf *eb);

/* Frees d.  d may be NULL. */
void sw_doc_free(struct sw_doc *d);

/* Frees the calling thread's parser: sw_doc_parse makes one per thread and
 * keeps it for the next page.  For threads that parse only now and then
 * and are not analysis workers (the server's request threads), so nothing
 * stays behind when they end. */
void sw_doc_thread_cleanup(void);

/* Value of attribute name (lower case) of node i, or NULL. */
const char *sw_doc_attr(const struct sw_doc *d, uint32_t i, const char *name);

/*
 * Text content of node i's subtree (text nodes joined, script/style text
 * left out, runs of blanks collapsed to one space) into buf of size cap,
 * NUL-terminated, cut at a UTF-8 boundary.  Returns the length written.
 */
size_t sw_doc_text(const struct sw_doc *d, uint32_t i, char *buf, size_t cap);

/* True when a visitor can see node i (no hide bit on it). */
static inline int sw_doc_visible(const struct sw_doc *d, uint32_t i)
{
	return d->nodes[i].hide == 0;
}

#endif
