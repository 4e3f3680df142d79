/*
 * js_scan.c - string-literal statistics and literal extraction for scripts
 * (see js_scan.h).
 *
 * Facts that shaped it: honest minified code escapes Chinese text as
 * \uXXXX (so only escapes of ASCII count as obfuscation), embeds images as
 * base64 data: URIs (so those are not "blobs"), and is one very long line
 * (so a regex literal mistaken for a string must not swallow the script:
 * the usual "a slash after an operator starts a regex" rule handles that).
 */
#include "analyze/js_scan.h"
#include "analyze/analyze.h"

#include <math.h>
#include <string.h>

/* Value of hex digit c, or -1. */
static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Value of n hex digits at s (n <= 4), or -1 when one is not hex or missing. */
static long hexn(const char *s, size_t avail, int n)
{
	long v = 0;

	if (avail < (size_t)n)
		return -1;
	for (int i = 0; i < n; i++) {
		int h = hexval((unsigned char)s[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/*
 * Length of an ASCII escape (\xHH, \u00HH, %HH with HH < 0x80) at s, or 0.
 * Escapes of non-ASCII (Chinese text in minified code) do not count.
 */
static size_t ascii_escape(const char *s, size_t avail)
{
	long v;

	if (avail >= 4 && s[0] == '\\' && s[1] == 'x' && (v = hexn(s + 2, avail - 2, 2)) >= 0)
		return v < 0x80 ? 4 : 0;
	if (avail >= 6 && s[0] == '\\' && s[1] == 'u' && (v = hexn(s + 2, avail - 2, 4)) >= 0)
		return v < 0x80 ? 6 : 0;
	if (avail >= 3 && s[0] == '%' && (v = hexn(s + 1, avail - 1, 2)) >= 0)
		return v < 0x80 ? 3 : 0;
	return 0;
}

double sw_js_entropy(const char *s, size_t n)
{
	size_t cnt[256] = {0};
	double h = 0;

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		cnt[(unsigned char)s[i]]++;
	for (int c = 0; c < 256; c++) {
		if (cnt[c]) {
			double p = (double)cnt[c] / (double)n;
			h -= p * log2(p);
		}
	}
	return h;
}

/* True for bytes of the base64 (and so hex) alphabet. */
static int blob_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/' || c == '=' || c == '-' || c == '_';
}

/*
 * Records the statistics of the string literal body s[0..n) at offset off:
 * the longest run of ASCII escapes, and whether it is a blob (a long run of
 * base64/hex bytes that is not a data: URI).
 */
static void literal_stats(const char *s, size_t n, uint32_t off, struct sw_js_stats *st)
{
	uint32_t run = 0, best = 0;
	size_t i = 0;
	int blob = n >= 64;

	while (i < n) {
		size_t e = ascii_escape(s + i, n - i);
		if (e) {
			run++;
			i += e;
			if (run > best)
				best = run;
			continue;
		}
		run = 0;
		if (blob && !blob_char((unsigned char)s[i]))
			blob = 0;
		i++;
	}
	if (best > st->esc_run) {
		st->esc_run = best;
		st->esc_off = off;
	}
	/* data:...;base64,XXXX has a ':' and ',' so it is never a blob. */
	if (blob && n > st->blob_len) {
		st->blob_len = (uint32_t)n;
		st->blob_off = off;
		st->blob_entropy = sw_js_entropy(s, n);
	}
}

/*
 * True when a '/' after the previous significant byte prev starts a regular
 * expression literal rather than a division (the usual heuristic).
 */
static int regex_may_start(unsigned char prev)
{
	return prev == 0 || strchr("(,=:[!&|?{};+-*%<>~^", prev) != NULL;
}

/* Skips a quoted literal whose quote is s[i]; returns the index past it.
 * Plain strings end at a raw newline (JS forbids one inside). */
static size_t skip_string(const char *s, size_t n, size_t i)
{
	char q = s[i++];

	while (i < n && s[i] != q) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '\n' && q != '`')
			return i;
		i++;
	}
	return i < n ? i + 1 : n;
}

/* Skips a regex literal starting at s[i] == '/'; returns the index past it. */
static size_t skip_regex(const char *s, size_t n, size_t i)
{
	int cls = 0;

	for (i++; i < n && s[i] != '\n'; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '[')
			cls = 1;
		else if (s[i] == ']')
			cls = 0;
		else if (s[i] == '/' && !cls)
			return i + 1;
	}
	return i;
}

/* Skips a comment at s[i] ("//" or "/ *"); returns the index past it. */
static size_t skip_comment(const char *s, size_t n, size_t i)
{
	if (s[i + 1] == '/') {
		const char *nl = memchr(s + i, '\n', n - i);
		return nl ? (size_t)(nl - s) : n;
	}
	for (i += 2; i + 1 < n; i++)
		if (s[i] == '*' && s[i + 1] == '/')
			return i + 2;
	return n;
}

/* True for bytes that continue an identifier (a digit after one is not a number). */
static int ident_byte(unsigned char c)
{
	return c == '_' || c == '$' || (c >= '0' && c <= '9') ||
	       ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Numbers in a row: tracks "12,34,56" lists for the fromCharCode feature. */
struct numlist {
	uint32_t count, start;
	int after_comma;
};

/* Feeds one number token at off; updates st when the list is the longest. */
static void numlist_number(struct numlist *nl, uint32_t off, struct sw_js_stats *st)
{
	if (nl->count && nl->after_comma) {
		nl->count++;
	} else {
		nl->count = 1;
		nl->start = off;
	}
	nl->after_comma = 0;
	if (nl->count > st->num_list) {
		st->num_list = nl->count;
		st->num_list_off = nl->start;
	}
}

void sw_js_stats(const char *s, size_t n, struct sw_js_stats *st)
{
	struct numlist nl = {0, 0, 0};
	unsigned char prev = 0;
	size_t i = 0;

	memset(st, 0, sizeof *st);
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\'' || c == '`') {
			size_t j = skip_string(s, n, i);
			size_t body = j - i >= 2 ? j - i - 2 : 0;
			literal_stats(s + i + 1, body, (uint32_t)i, st);
			st->n_strings++;
			i = j;
			prev = 'a';
			nl.count = 0;
		} else if (c == '/' && i + 1 < n && (s[i + 1] == '/' || s[i + 1] == '*')) {
			i = skip_comment(s, n, i);
		} else if (c == '/' && regex_may_start(prev)) {
			i = skip_regex(s, n, i);
			prev = 'a';
		} else if (c >= '0' && c <= '9' && !ident_byte(prev)) {
			size_t j = i;
			while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == 'x' ||
					 hexval((unsigned char)s[j]) >= 0))
				j++;
			numlist_number(&nl, (uint32_t)i, st);
			i = j;
			prev = '0';
		} else {
			if (c == ',')
				nl.after_comma = 1;
			else if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
				nl.count = 0;
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
				prev = c;
			i++;
		}
	}
}

void sw_js_braces(const char *s, size_t n, int (*fn)(size_t pos, char c, void *arg), void *arg)
{
	unsigned char prev = 0;
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\'' || c == '`') {
			i = skip_string(s, n, i);
			prev = 'a';
			continue;
		}
		if (c == '/' && i + 1 < n && (s[i + 1] == '/' || s[i + 1] == '*')) {
			i = skip_comment(s, n, i);
			continue;
		}
		if (c == '/' && regex_may_start(prev)) {
			i = skip_regex(s, n, i);
			prev = 'a';
			continue;
		}
		if ((c == '{' || c == '}') && fn(i, (char)c, arg))
			return;
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			prev = c;
		i++;
	}
}

/* Appends byte c to out if room is left (one byte kept for the NUL). */
static void put(char *out, size_t cap, size_t *w, char c)
{
	if (*w + 1 < cap)
		out[(*w)++] = c;
}

/* Appends code point cp to out as UTF-8 (lone surrogates become '?'). */
static void put_cp(char *out, size_t cap, size_t *w, unsigned long cp)
{
	if (cp >= 0xD800 && cp <= 0xDFFF)
		cp = '?';
	if (cp < 0x80) {
		put(out, cap, w, (char)cp);
	} else if (cp < 0x800) {
		put(out, cap, w, (char)(0xC0 | (cp >> 6)));
		put(out, cap, w, (char)(0x80 | (cp & 0x3F)));
	} else {
		put(out, cap, w, (char)(0xE0 | (cp >> 12)));
		put(out, cap, w, (char)(0x80 | ((cp >> 6) & 0x3F)));
		put(out, cap, w, (char)(0x80 | (cp & 0x3F)));
	}
}

/*
 * Decodes the literal whose quote is s[i] into out; returns the index past
 * it.  JS escapes become the bytes they stand for.
 */
static size_t decode_string(const char *s, size_t n, size_t i, char *out, size_t cap,
			    size_t *w)
{
	char q = s[i++];
	long v;

	while (i < n && s[i] != q) {
		if (s[i] == '\n' && q != '`')
			return i;
		if (s[i] != '\\' || i + 1 >= n) {
			put(out, cap, w, s[i++]);
			continue;
		}
		i++;
		if (s[i] == 'x' && (v = hexn(s + i + 1, n - i - 1, 2)) >= 0) {
			put_cp(out, cap, w, (unsigned long)v);
			i += 3;
		} else if (s[i] == 'u' && (v = hexn(s + i + 1, n - i - 1, 4)) >= 0) {
			put_cp(out, cap, w, (unsigned long)v);
			i += 5;
		} else {
			const char *map = strchr("n\nt\tr\r", s[i]);
			put(out, cap, w, map && (map - "n\nt\tr\r") % 2 == 0 ? map[1] : s[i]);
			i++;
		}
	}
	return i < n ? i + 1 : n;
}

size_t sw_js_expr_strings(const char *s, size_t n, char *out, size_t cap, size_t *used)
{
	size_t i = 0, w = 0;
	int depth = 0, joined = 0;

	if (!cap)
		return 0;
	while (i < n) {
		char c = s[i];
		if (c == '"' || c == '\'' || c == '`') {
			if (w && !joined)
				put(out, cap, &w, '\n');
			i = decode_string(s, n, i, out, cap, &w);
			joined = 0;
			continue;
		}
		if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			if (--depth < 0)
				break;
		} else if (c == ';' || c == '\n' || (c == ',' && depth == 0)) {
			break;
		} else if (c == '+') {
			joined = 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			/* A name or operator between literals: they are not one string. */
			joined = 0;
		}
		i++;
	}
	out[w] = '\0';
	if (used)
		*used = i;
	return w;
}

size_t sw_js_pct_decode(char *buf, size_t len)
{
	size_t r = 0, w = 0;
	long v;

	while (r < len) {
		if (buf[r] == '%' && r + 5 < len + 0 && buf[r + 1] == 'u' &&
		    (v = hexn(buf + r + 2, len - r - 2, 4)) >= 0) {
			char tmp[4];
			size_t tw = 0;
			put_cp(tmp, sizeof tmp, &tw, (unsigned long)v);
			memcpy(buf + w, tmp, tw); /* tw <= 3 <= 6 bytes consumed */
			w += tw;
			r += 6;
		} else if (buf[r] == '%' && (v = hexn(buf + r + 1, len - r - 1, 2)) >= 0) {
			buf[w++] = (char)v;
			r += 3;
		} else {
			buf[w++] = buf[r++];
		}
	}
	buf[w] = '\0';
	return w;
}

/* Case-insensitive prefix test of s[0..n) against lower-case word. */
static int iprefix(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);

	if (n < k)
		return 0;
	for (size_t i = 0; i < k; i++)
		if ((s[i] | 0x20) != word[i])
			return 0;
	return 1;
}

/*
 * Copies the value of attribute src of the tag whose attributes are
 * s[0..n) (up to '>') into url.
 */
static void tag_src(const char *s, size_t n, char *url, size_t cap)
{
	size_t i = 0, w = 0;

	url[0] = '\0';
	while (i < n && s[i] != '>') {
		int hit = iprefix(s + i, n - i, "src") && i > 0 &&
			  strchr(" \t\n\r/'\"", s[i - 1]) != NULL;
		i += hit ? 3 : 1;
		if (!hit)
			continue;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= n || s[i] != '=')
			continue;
		for (i++; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
			;
		char q = i < n && (s[i] == '"' || s[i] == '\'') ? s[i++] : 0;
		while (i < n && (q ? s[i] != q : !strchr(" \t\n\r>", s[i])))
			put(url, cap, &w, s[i++]);
		url[w] = '\0';
		return;
	}
}

int sw_js_html_src(const char *html, size_t n, size_t *pos, char *url, size_t cap)
{
	size_t i = *pos;

	if (!cap)
		return 0;
	for (; i < n; i++) {
		const char *lt = memchr(html + i, '<', n - i);
		int tag = 0;
		size_t skip = 0;
		if (!lt)
			break;
		i = (size_t)(lt - html);
		if (iprefix(html + i, n - i, "<script"))
			tag = SW_JS_TAG_SCRIPT, skip = 7;
		else if (iprefix(html + i, n - i, "<iframe"))
			tag = SW_JS_TAG_IFRAME, skip = 7;
		else if (iprefix(html + i, n - i, "<frame"))
			tag = SW_JS_TAG_IFRAME, skip = 6;
		if (!tag)
			continue;
		tag_src(html + i + skip, n - i - skip, url, cap);
		*pos = i + skip;
		return tag;
	}
	*pos = n;
	url[0] = '\0';
	return 0;
}

char *sw_js_url_host(const char *url, char *host, size_t cap)
{
	const char *p = url;

	if (!cap)
		return host;
	host[0] = '\0';
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	/* Only web addresses: a script's "ftp://" or "data:" loads nothing. */
	if (!iprefix(p, strlen(p), "http://") && !iprefix(p, strlen(p), "https://") &&
	    !(p[0] == '/' && p[1] == '/'))
		return host;
	return sw_an_url_host(p, host, cap);
}
