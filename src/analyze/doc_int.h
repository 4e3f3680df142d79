/*
 * doc_int.h - internals shared by doc.c, doc_limit.c and css.c.
 */
#ifndef SW_ANALYZE_DOC_INT_H
#define SW_ANALYZE_DOC_INT_H

#include "analyze/doc.h"

/*
 * Returns how many bytes of s (len bytes) may be parsed within lim's tag
 * and depth limits, and adds SW_DOC_LIMIT_* bits to *why when it is fewer.
 */
size_t sw_doc_limit_scan(const char *s, size_t len, const struct sw_doc_limits *lim,
			 unsigned *why);

/* Bump allocator of a doc: memory freed all at once with the doc. */
void *sw_doc_alloc(struct sw_doc *d, size_t n);
char *sw_doc_strndup(struct sw_doc *d, const char *s, size_t n);

/* Computes hide_self, hide, hide_css, color and bg of every node (css.c).
 * Fails only with SW_ENOMEM. */
enum sw_err sw_css_apply(struct sw_doc *d);

#endif
