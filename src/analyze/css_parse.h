/*
 * css_parse.h - the small CSS subset sitewarden understands: enough to know
 * whether an element is hidden from a visitor.
 *
 * Only the properties that hide things are kept (display, visibility,
 * position and offsets, margins, text-indent, size with overflow, font
 * size, colours, opacity, clip).  Selectors: compounds of tag, #id and
 * .class (up to four classes) joined by descendant or child combinators.
 * Anything else (attribute selectors, pseudo-classes, conditional @media)
 * is dropped: a rule we cannot evaluate must not decide hiddenness.
 */
#ifndef SW_ANALYZE_CSS_PARSE_H
#define SW_ANALYZE_CSS_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum sw_css_prop {
	SW_CSS_DISPLAY, SW_CSS_VISIBILITY, SW_CSS_POSITION, SW_CSS_LEFT, SW_CSS_TOP,
	SW_CSS_MARGIN_LEFT, SW_CSS_MARGIN_TOP, SW_CSS_TEXT_INDENT, SW_CSS_WIDTH, SW_CSS_HEIGHT,
	SW_CSS_OVERFLOW, SW_CSS_FONT_SIZE, SW_CSS_COLOR, SW_CSS_BG, SW_CSS_OPACITY, SW_CSS_CLIP,
	SW_CSS__COUNT
};

/* Declared values of one rule or style attribute; set says which. */
struct sw_css_decls {
	uint32_t set;       /* 1 << enum sw_css_prop */
	uint32_t important; /* likewise, for !important */
	uint8_t display_none, hidden, positioned, overflow_hidden, clip_zero;
	uint8_t font_rel;   /* font_size is a factor of the parent's (em, %) */
	float left, top, margin_left, margin_top, text_indent, width, height; /* px */
	float font_size;    /* px, or a factor when font_rel */
	float opacity;
	uint32_t color, bg; /* 0xRRGGBB; SW_CSS_TRANSPARENT for transparent */
};

#define SW_CSS_TRANSPARENT 0xFF000000u
#define SW_COLOR_UNKNOWN 0xFFFFFFFFu /* == SW_COLOR_NONE of doc.h */

/* Parses a declaration block ("a:b; c:d") into *out (cleared first). */
void sw_css_parse_decls(const char *s, size_t len, struct sw_css_decls *out);

/* Parses a colour ("#fff", "rgb(1,2,3)", "white"); SW_CSS_TRANSPARENT for
 * transparent or alpha 0; UINT32_MAX when not a colour. */
uint32_t sw_css_color(const char *s, size_t len);

/* One compound selector: tag (NULL for any), id, classes. */
struct sw_css_compound {
	const char *tag, *id;
	const char *cls[4];
	uint8_t ncls;
	uint8_t child; /* 1 when joined to the compound on its left by '>' */
};

struct sw_css_rule {
	struct sw_css_compound *c; /* c[0] leftmost ... c[n-1] the subject */
	uint8_t n;
	uint32_t spec;             /* specificity: ids << 16 | classes << 8 | tags */
	uint32_t order;            /* position in the page's style sheets */
	const struct sw_css_decls *decls;
};

/* Rules of one page; strings and arrays live in the arena of the caller. */
struct sw_css_sheet {
	struct sw_css_rule *rules;
	size_t n, cap;
	void *(*alloc)(void *arena, size_t n);
	void *arena;
};

/* Adds the rules of one <style> text to sheet.  Rules that set none of the
 * tracked properties, or use selectors we do not evaluate, are skipped.
 * Fails only with SW_ENOMEM. */
enum sw_err sw_css_parse_sheet(struct sw_css_sheet *sheet, const char *s, size_t len);

#endif
