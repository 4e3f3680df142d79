/*
 * exposure_hdr.h - looking up fields of a raw HTTP response header block,
 * for the exposure and compliance analyzers.
 *
 * The block is what the prober kept (sw_an_page.headers): status lines and
 * fields separated by CRLF or LF, possibly several responses one after the
 * other when redirects were followed.  Only the last response describes
 * the page, so lookups start after its status line.  Internal to
 * src/analyze.
 */
#ifndef SW_ANALYZE_EXPOSURE_HDR_H
#define SW_ANALYZE_EXPOSURE_HDR_H

#include <stddef.h>

/* A field value inside the block (not NUL-terminated), blanks trimmed. */
struct sw__hdr_val {
	const char *p;
	size_t n;
	size_t off; /* offset of the field's line in the block */
};

/*
 * Finds field name (any case) of the last response in the n bytes of h.
 * Returns 1 and fills *v for the first such field, 0 when there is none
 * (also for h NULL).
 */
int sw__hdr_get(const char *h, size_t n, const char *name, struct sw__hdr_val *v);

/* True when the n bytes at p contain lit in any ASCII case (lit short). */
int sw__hdr_has(const char *p, size_t n, const char *lit);

#endif
