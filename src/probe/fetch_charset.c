/*
 * fetch_charset.c - which charset a fetched page is in, and its body as
 * UTF-8 for the analyzers.
 *
 * Facts that shaped it:
 *  - Analysis must see what a browser shows, so the order is the browsers'
 *    (WHATWG "encoding sniffing"): a byte order mark wins, then the
 *    Content-Type charset, then a <meta> in the first 4 KiB.  A page that
 *    declares GBK in the header but starts with a UTF-8 BOM is rendered as
 *    UTF-8, and so is analysed as UTF-8.
 *  - Labels map as browsers map them: gb2312 and gbk decode as GB18030 (a
 *    superset), big5 as Big5-HKSCS, iso-8859-1 and us-ascii as
 *    windows-1252, a <meta> saying UTF-16 means UTF-8.  Pages with nothing
 *    declared are UTF-8 when they are valid UTF-8, else GB18030: this is a
 *    supervision tool for Chinese sites, and GBK text is almost never valid
 *    UTF-8 by chance.
 *  - Unlike the register importer (src/io/charset.c), a bad byte is not an
 *    error: a hostile page must still be analysed, so it becomes U+FFFD as
 *    in a browser, and so does a NUL byte (analyzers take C strings; a NUL
 *    must not hide what follows it).  The raw body stays the evidence.
 */
#include "probe/fetch_int.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/charset.h"

#define META_SCAN 4096

/* Label (lower case) -> iconv name, for the labels whose browser meaning
 * differs from iconv's or that iconv does not know. */
static const struct {
	const char *label, *iconv;
} labels[] = {
	{"ascii", "WINDOWS-1252"},        {"big5", "BIG5-HKSCS"},
	{"big5-hkscs", "BIG5-HKSCS"},     {"chinese", "GB18030"},
	{"cn-big5", "BIG5-HKSCS"},        {"cp1252", "WINDOWS-1252"},
	{"cp936", "GB18030"},             {"csbig5", "BIG5-HKSCS"},
	{"csgb2312", "GB18030"},          {"euc-cn", "GB18030"},
	{"gb18030", "GB18030"},           {"gb2312", "GB18030"},
	{"gb_2312", "GB18030"},           {"gb_2312-80", "GB18030"},
	{"gbk", "GB18030"},               {"iso-8859-1", "WINDOWS-1252"},
	{"iso8859-1", "WINDOWS-1252"},    {"latin1", "WINDOWS-1252"},
	{"ms936", "GB18030"},             {"unicode-1-1-utf-8", "UTF-8"},
	{"us-ascii", "WINDOWS-1252"},     {"utf-16", "UTF-16LE"},
	{"utf-16be", "UTF-16BE"},         {"utf-16le", "UTF-16LE"},
	{"utf-8", "UTF-8"},               {"utf8", "UTF-8"},
	{"windows-1252", "WINDOWS-1252"}, {"windows-936", "GB18030"},
	{"x-gbk", "GB18030"},             {"x-x-big5", "BIG5-HKSCS"},
};

/* Copies the charset label at s[0..n) (after optional quotes) into out,
 * lower case, stopping at the first byte that cannot be in a label.
 * Returns 1 when a non-empty label was copied. */
static int copy_label(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i = 0, k = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '"' || s[i] == '\''))
		i++;
	for (; i < n && k + 1 < outsz; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!isalnum(c) && c != '-' && c != '_' && c != '.' && c != ':')
			break;
		out[k++] = (char)tolower(c);
	}
	out[k] = '\0';
	return k > 0;
}

/* Finds "charset" then '=' in s[0..n) and copies the label after it.
 * Returns 1 when found. */
static int find_charset(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i, k;

	for (i = 0; i + 7 <= n; i++) {
		if (strncasecmp(s + i, "charset", 7) != 0)
			continue;
		k = i + 7;
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k < n && s[k] == '=' && copy_label(s + k + 1, n - k - 1, out, outsz))
			return 1;
	}
	return 0;
}

/* Scans the start of an HTML body for a <meta> naming a charset, skipping
 * comments.  Returns 1 with the label in out when found. */
static int meta_charset(const unsigned char *b, size_t len, char *out, size_t outsz)
{
	const char *s = (const char *)b, *end, *gt;
	size_t i;

	if (len > META_SCAN)
		len = META_SCAN;
	end = s + len;
	for (i = 0; i < len; i++) {
		if (s[i] != '<')
			continue;
		if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			const char *c = memmem(s + i + 4, len - i - 4, "-->", 3);

			if (c == NULL)
				return 0;
			i = (size_t)(c - s) + 2;
			continue;
		}
		if (len - i < 6 || strncasecmp(s + i, "<meta", 5) != 0 ||
		    !(isspace((unsigned char)s[i + 5]) || s[i + 5] == '/'))
			continue;
		gt = memchr(s + i, '>', (size_t)(end - (s + i)));
		if (gt == NULL)
			return 0;
		if (find_charset(s + i, (size_t)(gt - (s + i)), out, outsz))
			return 1;
		i = (size_t)(gt - s);
	}
	return 0;
}

/* Sets r->charset and r->charset_src (see fetch_int.h). */
void sw__charset_detect(struct sw_fetch_result *r)
{
	const unsigned char *b = r->body;
	char label[sizeof r->charset];

	r->charset[0] = '\0';
	r->charset_src = SW_FETCH_CS_NONE;
	if (r->body_len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		snprintf(r->charset, sizeof r->charset, "utf-8");
		r->charset_src = SW_FETCH_CS_BOM;
	} else if (r->body_len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
		snprintf(r->charset, sizeof r->charset, b[0] == 0xFF ? "utf-16le" : "utf-16be");
		r->charset_src = SW_FETCH_CS_BOM;
	} else if (r->content_type != NULL &&
		   find_charset(r->content_type, strlen(r->content_type), label, sizeof label)) {
		memcpy(r->charset, label, sizeof label);
		r->charset_src = SW_FETCH_CS_HEADER;
	} else if (meta_charset(b, r->body_len, label, sizeof label)) {
		if (strncmp(label, "utf-16", 6) == 0)
			snprintf(label, sizeof label, "utf-8");
		memcpy(r->charset, label, sizeof label);
		r->charset_src = SW_FETCH_CS_META;
	}
}

/* Returns the iconv name for r's body (see the file comment). */
static const char *iconv_name(const struct sw_fetch_result *r)
{
	size_t i;

	if (r->charset[0] == '\0')
		return sw_utf8_valid((const char *)r->body, r->body_len) ? "UTF-8" : "GB18030";
	for (i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].label, r->charset) == 0)
			return labels[i].iconv;
	return r->charset; /* copy_label kept it to [a-z0-9._:-] */
}

const char *sw_fetch_body_charset(const struct sw_fetch_result *r)
{
	return iconv_name(r);
}

/* Output buffer of a conversion. */
struct obuf {
	char *p;
	size_t len, cap;
};

/* Makes room for need more bytes and a NUL.  Returns 0 when out of memory. */
static int ob_reserve(struct obuf *o, size_t need)
{
	size_t ncap = o->cap;
	char *np;

	if (o->cap - o->len > need)
		return 1;
	while (ncap - o->len <= need)
		ncap = ncap * 2 + 64;
	np = realloc(o->p, ncap);
	if (np == NULL)
		return 0;
	o->p = np;
	o->cap = ncap;
	return 1;
}

/* Converts in[0..len) from cd into o, U+FFFD for each byte that does not
 * decode.  Returns 0 when memory runs out. */
static int convert(iconv_t cd, const char *in, size_t len, struct obuf *o)
{
	char *ip = (char *)in, *op;
	size_t il = len, ol;

	if (!ob_reserve(o, len + 16))
		return 0;
	while (il > 0) {
		if (!ob_reserve(o, il * 2 + 16))
			return 0;
		op = o->p + o->len;
		ol = o->cap - o->len - 1;
		if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1) {
			o->len = (size_t)(op - o->p);
			break;
		}
		o->len = (size_t)(op - o->p);
		if (errno == E2BIG)
			continue;
		/* EILSEQ or EINVAL (truncated at the end): replace one byte */
		if (!ob_reserve(o, 3))
			return 0;
		memcpy(o->p + o->len, "\xEF\xBF\xBD", 3);
		o->len += 3;
		ip++;
		il--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	o->p[o->len] = '\0';
	return 1;
}

/* Length of the well-formed UTF-8 sequence at s (n bytes left), or 0 when
 * the bytes there are not one (strict: no overlongs, surrogates or code
 * points above U+10FFFF). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
				 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
				 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;

	if (len == 0 || len > n || !sw_utf8_valid((const char *)s, len))
		return 0;
	return len;
}

/*
 * Rewrites o so that it is well-formed UTF-8 without NUL bytes: each NUL,
 * and each byte that does not start a well-formed sequence, becomes U+FFFD.
 * glibc's iconv lets some ill-formed input through a UTF-8 conversion (5-
 * and 6-byte forms, found by tests/fuzz/fuzz_fetch_charset.c), and neither
 * the analyzers nor C strings may see such text.  Returns 0 when out of
 * memory.
 */
static int scrub_utf8(struct obuf *o)
{
	const unsigned char *p = (const unsigned char *)o->p;
	size_t i = 0, k = 0, len;
	char *np;

	if (sw_utf8_valid(o->p, o->len) && memchr(o->p, '\0', o->len) == NULL)
		return 1;
	if ((np = malloc(3 * o->len + 1)) == NULL)
		return 0;
	while (i < o->len) {
		if (p[i] == '\0' || (len = utf8_seq(p + i, o->len - i)) == 0) {
			memcpy(np + k, "\xEF\xBF\xBD", 3);
			k += 3;
			i++;
			continue;
		}
		memcpy(np + k, p + i, len);
		k += len;
		i += len;
	}
	np[k] = '\0';
	free(o->p);
	o->p = np;
	o->len = k;
	o->cap = k + 1;
	return 1;
}

/* Converts r's body to UTF-8 (see fetch.h). */
enum sw_err sw_fetch_body_utf8(const struct sw_fetch_result *r, char **out, size_t *outlen)
{
	const char *name = iconv_name(r), *in = (const char *)r->body;
	size_t len = r->body_len;
	struct obuf o = {NULL, 0, 0};
	iconv_t cd;
	int ok;

	*out = NULL;
	*outlen = 0;
	if (strcmp(name, "UTF-8") == 0 && len >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0) {
		in += 3;
		len -= 3;
	} else if (strncmp(name, "UTF-16", 6) == 0 && len >= 2 &&
		   ((in[0] == '\xFF' && in[1] == '\xFE') || (in[0] == '\xFE' && in[1] == '\xFF'))) {
		in += 2;
		len -= 2;
	}
	if (strcmp(name, "UTF-8") == 0 && sw_utf8_valid(in, len)) {
		o.p = malloc(len + 1);
		if (o.p == NULL)
			return SW_ENOMEM;
		memcpy(o.p, in, len);
		o.p[len] = '\0';
		o.len = len;
		ok = 1;
	} else {
		cd = iconv_open("UTF-8", name);
		if (cd == (iconv_t)-1) /* a label iconv does not know: guess as undeclared */
			cd = iconv_open("UTF-8", sw_utf8_valid(in, len) ? "UTF-8" : "GB18030");
		if (cd == (iconv_t)-1)
			return SW_ENOMEM;
		ok = convert(cd, in, len, &o);
		iconv_close(cd);
	}
	if (!ok || !scrub_utf8(&o)) {
		free(o.p);
		return SW_ENOMEM;
	}
	*out = o.p;
	*outlen = o.len;
	return SW_OK;
}
