/*
 * jsstr.c - string literals of document.write calls (jsstr.h).
 *
 * Enough of JavaScript's lexical grammar to read literals: quotes, the
 * escapes \n \t \xHH \uHHHH and \<any>, '+' concatenation, and
 * unescape()/decodeURIComponent() around a literal.  Anything computed is
 * skipped: we read what the page hands over as text.
 */
#include "analyze/jsstr.h"

#include <string.h>

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Appends code point cp as UTF-8. */
static void put_cp(char *out, size_t cap, size_t *n, unsigned cp)
{
	char b[4];
	int k;

	if (cp < 0x80)
		b[0] = (char)cp, k = 1;
	else if (cp < 0x800)
		b[0] = (char)(0xC0 | cp >> 6), b[1] = (char)(0x80 | (cp & 63)), k = 2;
	else
		b[0] = (char)(0xE0 | cp >> 12), b[1] = (char)(0x80 | ((cp >> 6) & 63)),
		b[2] = (char)(0x80 | (cp & 63)), k = 3;
	if (*n + (size_t)k < cap) {
		memcpy(out + *n, b, (size_t)k);
		*n += (size_t)k;
	}
}

/* Percent-decodes out[from..*n) in place (unescape's %XX and %uXXXX). */
static void unescape_tail(char *out, size_t cap, size_t from, size_t *n)
{
	char tmp[4096];
	size_t len = *n - from, k = 0;

	if (len >= sizeof tmp)
		len = sizeof tmp - 1;
	memcpy(tmp, out + from, len);
	*n = from;
	while (k < len) {
		if (tmp[k] == '%' && k + 5 < len && (tmp[k + 1] | 0x20) == 'u' && hexv(tmp[k + 2]) >= 0 &&
		    hexv(tmp[k + 3]) >= 0 && hexv(tmp[k + 4]) >= 0 && hexv(tmp[k + 5]) >= 0) {
			put_cp(out, cap, n, (unsigned)(hexv(tmp[k + 2]) << 12 | hexv(tmp[k + 3]) << 8 |
						       hexv(tmp[k + 4]) << 4 | hexv(tmp[k + 5])));
			k += 6;
		} else if (tmp[k] == '%' && k + 2 < len && hexv(tmp[k + 1]) >= 0 && hexv(tmp[k + 2]) >= 0) {
			if (*n + 1 < cap)
				out[(*n)++] = (char)(hexv(tmp[k + 1]) << 4 | hexv(tmp[k + 2]));
			k += 3;
		} else {
			if (*n + 1 < cap)
				out[(*n)++] = tmp[k];
			k++;
		}
	}
}

/* Reads one literal starting at s[i] (a quote); returns the index after it. */
static size_t literal(const char *s, size_t len, size_t i, char *out, size_t cap, size_t *n)
{
	char q = s[i++];

	while (i < len && s[i] != q) {
		char c = s[i];

		if (c == '\n')
			break; /* unterminated */
		if (c == '\\' && i + 1 < len) {
			char e = s[++i];

			if (e == 'x' && i + 2 < len && hexv(s[i + 1]) >= 0 && hexv(s[i + 2]) >= 0) {
				put_cp(out, cap, n, (unsigned)(hexv(s[i + 1]) << 4 | hexv(s[i + 2])));
				i += 3;
				continue;
			}
			if (e == 'u' && i + 4 < len && hexv(s[i + 1]) >= 0 && hexv(s[i + 2]) >= 0 &&
			    hexv(s[i + 3]) >= 0 && hexv(s[i + 4]) >= 0) {
				put_cp(out, cap, n, (unsigned)(hexv(s[i + 1]) << 12 | hexv(s[i + 2]) << 8 |
							       hexv(s[i + 3]) << 4 | hexv(s[i + 4])));
				i += 5;
				continue;
			}
			c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
		}
		if (*n + 1 < cap)
			out[(*n)++] = c;
		i++;
	}
	return i < len ? i + 1 : len;
}

long sw_js_next_write(const char *s, size_t len, size_t *pos, size_t *at, char *out, size_t cap)
{
	size_t i = *pos, n = 0;
	const char *hit;
	int depth = 0;

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
	depth = 1;
	i++;
	/* Until the call's closing parenthesis: literals, unescape(...). */
	while (i < len && depth > 0) {
		char c = s[i];

		if (c == '"' || c == '\'' || c == '`') {
			i = literal(s, len, i, out, cap, &n);
			continue;
		}
		if (c == '(')
			depth++;
		else if (c == ')')
			depth--;
		if ((c == 'u' && len - i > 9 && memcmp(s + i, "unescape(", 9) == 0) ||
		    (c == 'd' && len - i > 19 && memcmp(s + i, "decodeURIComponent(", 19) == 0)) {
			size_t start = n, j = i + (c == 'u' ? 9 : 19);

			while (j < len && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (j < len && (s[j] == '"' || s[j] == '\'')) {
				j = literal(s, len, j, out, cap, &n);
				unescape_tail(out, cap, start, &n);
				i = j;
				continue;
			}
		}
		i++;
	}
	*pos = i;
	out[n] = '\0';
	return (long)n;
}
