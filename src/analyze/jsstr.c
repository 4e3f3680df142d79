/*
 * jsstr.c - string literals of document.write calls (jsstr.h), read with
 * the script scanner's literal decoder (js_scan.h: JS escapes, '+' joins)
 * and unescape()'s %-decoding.  Anything computed is skipped: we read what
 * the page hands over as text.
 */
#include "analyze/jsstr.h"

#include <string.h>

#include "analyze/js_scan.h"

long sw_js_next_write(const char *s, size_t len, size_t *pos, size_t *at, char *out, size_t cap)
{
	size_t i = *pos, n, used = 0;
	const char *hit;

	if (!cap)
		return -1;
	for (;;) {
		if (i >= len || !(hit = memmem(s + i, len - i, "document.write", 14))) {
			*pos = len;
			return -1;
		}
		i = (size_t)(hit - s) + 14;
		if (i + 2 < len && memcmp(s + i, "ln", 2) == 0)
			i += 2;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < len && s[i] == '(')
			break;
	}
	*at = (size_t)(hit - s);
	i++; /* past '(' */
	n = sw_js_expr_strings(s + i, len - i, out, cap, &used);
	n = sw_js_pct_decode(out, n);
	*pos = i + (used ? used : 1);
	return (long)n;
}
