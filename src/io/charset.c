/*
 * charset.c - detect the encoding of an imported file and turn it into UTF-8.
 *
 * Facts that shaped it:
 *  - Registers are up to ~100 MB.  The UTF-8 check is one pass with an ASCII
 *    fast path eight bytes at a time, and a conversion is one iconv() call
 *    over the whole buffer into an output sized for the worst case up front
 *    (GB18030 and UTF-16 never grow by more than half when decoded to UTF-8),
 *    so on import the E2BIG path is a safety net, not the normal route.
 *    Export to GB18030 can double (U+0080 is 2 bytes in UTF-8, 4 in GB18030)
 *    and does take it.
 *  - Detection order is BOM, then "is the whole buffer valid UTF-8", then
 *    GB18030.  Real GBK text almost never happens to be valid UTF-8, so the
 *    order is safe.  The reverse, UTF-8 with one corrupt byte, falls through
 *    to GB18030; in anything longer than a few hundred bytes that decode then
 *    fails too (UTF-8 lead/trail runs rarely pair up as GBK all the way), so
 *    the error names both the GB18030 failure and the first non-UTF-8 byte.
 *    A tiny file of that kind can decode as GB18030 mojibake; no order of
 *    checks avoids that without an encoding chosen by the user.
 *  - Nothing is replaced silently: a bad byte is an error naming the 1-based
 *    line and the 0-based byte offset in the original file (as hexdump and
 *    xxd number bytes), so the user can find it.  A NUL byte is an error too:
 *    everything downstream works on C strings and would truncate.
 *  - Line numbers are only computed on the error path, by counting newlines
 *    in the input; LF is a single byte in UTF-8 and GB18030 (it is never a
 *    trail byte) and one code unit in UTF-16.
 */
#include "io/charset.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Larger inputs are refused before anything is allocated. */
#define SW_CHARSET_MAX ((size_t)1 << 30)

static const char *const cs_names[] = {
	[SW_CS_UTF8] = "UTF-8",
	[SW_CS_UTF8_BOM] = "UTF-8 (BOM)",
	[SW_CS_GB18030] = "GB18030/GBK",
	[SW_CS_UTF16LE] = "UTF-16LE",
	[SW_CS_UTF16BE] = "UTF-16BE",
};

/* Returns the display name of cs, or "unknown" for a value outside the enum. */
const char *sw_charset_name(enum sw_charset cs)
{
	if ((unsigned)cs >= sizeof cs_names / sizeof cs_names[0])
		return "unknown";
	return cs_names[cs];
}

/*
 * Returns the length (2-4) of the well-formed multi-byte UTF-8 sequence at
 * s[0..n), or 0 when it is not one.  The second-byte bounds encode Unicode
 * table 3-7: E0 and F0 exclude overlongs, ED excludes the UTF-16 surrogates
 * D800-DFFF, F4 stops at U+10FFFF; C0, C1 and F5-FF never start a sequence.
 */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t need, i;

	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		lo = c == 0xE0 ? 0xA0 : 0x80;
		hi = c == 0xED ? 0x9F : 0xBF;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		lo = c == 0xF0 ? 0x90 : 0x80;
		hi = c == 0xF4 ? 0x8F : 0xBF;
	} else {
		return 0;
	}
	if (n <= need || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i <= need; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return need + 1;
}

/*
 * Returns the offset of the first byte of s[0..len) that does not start a
 * well-formed UTF-8 sequence, or len when all of it is valid.  ASCII runs,
 * the bulk of any register, are skipped a 64-bit word at a time.
 */
static size_t utf8_bad(const unsigned char *s, size_t len)
{
	size_t i = 0, k;
	uint64_t w;

	while (i < len) {
		if (s[i] < 0x80) {
			while (len - i >= 8) {
				memcpy(&w, s + i, 8);
				if (w & UINT64_C(0x8080808080808080))
					break;
				i += 8;
			}
			while (i < len && s[i] < 0x80)
				i++;
			continue;
		}
		k = utf8_seq(s + i, len - i);
		if (k == 0)
			return i;
		i += k;
	}
	return len;
}

/* True when s[0..len) is well-formed UTF-8; NUL bytes count as valid. */
int sw_utf8_valid(const char *s, size_t len)
{
	if (s == NULL)
		return len == 0;
	return utf8_bad((const unsigned char *)s, len) == len;
}

/* Returns the 1-based line holding byte off of an encoding whose LF is the
 * single byte 0x0A (UTF-8, GB18030).  Error path only. */
static size_t line_of(const char *buf, size_t off)
{
	const char *p = buf, *end = buf + off;
	size_t line = 1;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line++;
		p++;
	}
	return line;
}

/* Returns UTF-16 code unit i of buf (big-endian when be is set). */
static unsigned unit16(const unsigned char *buf, size_t i, int be)
{
	const unsigned char *p = buf + 2 * i;

	return be ? (unsigned)p[0] << 8 | p[1] : (unsigned)p[1] << 8 | p[0];
}

/* Returns the 1-based line holding byte off of UTF-16 text buf (BOM already
 * skipped), counting U+000A code units before it.  Error path only. */
static size_t line_of16(const char *buf, size_t off, int be)
{
	size_t i, line = 1;

	for (i = 0; i < off / 2; i++)
		if (unit16((const unsigned char *)buf, i, be) == 0x0A)
			line++;
	return line;
}

/*
 * Doubles *cap (at least to need) and reallocates *buf.  Returns SW_ENOMEM
 * when that fails or would overflow; *buf is untouched then.
 */
static enum sw_err grow(char **buf, size_t *cap, size_t need)
{
	size_t ncap = *cap;
	char *p;

	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return SW_ENOMEM;
		ncap *= 2;
	}
	p = realloc(*buf, ncap);
	if (p == NULL)
		return SW_ENOMEM;
	*buf = p;
	*cap = ncap;
	return SW_OK;
}

/*
 * Runs iconv cd over in[0..len) into a new NUL-terminated buffer (caller
 * frees *out).  On a bad or truncated input sequence returns SW_ECHARSET with
 * its offset in *bad and writes nothing to eb, because only the caller knows
 * how to name the encoding and the line.
 */
static enum sw_err run_iconv(iconv_t cd, const char *in, size_t len, char **out,
			     size_t *outlen, size_t *bad)
{
	/* iconv's prototype lacks const; it only reads the input. */
	char *ip = (char *)in, *buf, *op;
	size_t left = len, cap = len + len / 2 + 16, used = 0, room;
	enum sw_err rc;
	int err;

	if ((buf = malloc(cap)) == NULL)
		return SW_ENOMEM;
	for (;;) {
		op = buf + used;
		room = cap - used - 1; /* keep one byte for the NUL */
		if (iconv(cd, &ip, &left, &op, &room) != (size_t)-1)
			break;
		used = (size_t)(op - buf);
		if ((err = errno) != E2BIG) {
			free(buf);
			*bad = (size_t)(ip - in);
			return err == ENOMEM ? SW_ENOMEM : SW_ECHARSET;
		}
		if ((rc = grow(&buf, &cap, cap + 1)) != SW_OK) {
			free(buf);
			return rc;
		}
	}
	/* UTF-8, UTF-16 and GB18030 are stateless, so no flushing call is needed. */
	used = (size_t)(op - buf);
	buf[used] = '\0';
	*out = buf;
	*outlen = used;
	return SW_OK;
}

/*
 * Converts in[0..len) from encoding `from` to `to` with one iconv pass.
 * Returns SW_ECHARSET with the failing input offset in *bad (or SIZE_MAX when
 * iconv itself cannot be opened, with the reason already in eb).
 */
static enum sw_err convert(const char *to, const char *from, const char *in, size_t len,
			   char **out, size_t *outlen, size_t *bad, struct sw_errbuf *eb)
{
	iconv_t cd = iconv_open(to, from);
	enum sw_err rc;

	*bad = SIZE_MAX;
	if (cd == (iconv_t)-1)
		return sw_errf(eb, SW_ECHARSET, "cannot convert %s to %s: iconv: %s", from, to,
			       strerror(errno));
	rc = run_iconv(cd, in, len, out, outlen, bad);
	iconv_close(cd);
	if (rc == SW_ENOMEM)
		return sw_errf(eb, rc, "out of memory converting %zu bytes from %s", len, from);
	return rc;
}

/* Reports a NUL byte on `line` at file offset `off`.  UTF-16 without a BOM
 * is the usual cause, so the message says so. */
static enum sw_err nul_error(size_t line, size_t off, struct sw_errbuf *eb)
{
	return sw_errf(eb, SW_ECHARSET,
		       "line %zu, byte %zu: NUL byte in text (a binary file, or UTF-16 "
		       "without a byte order mark?)",
		       line, off);
}

/* Copies s[0..len), already checked, into a new NUL-terminated buffer. */
static enum sw_err dup_text(const char *s, size_t len, char **out, size_t *outlen,
			    struct sw_errbuf *eb)
{
	char *p = malloc(len + 1);

	if (p == NULL)
		return sw_errf(eb, SW_ENOMEM, "out of memory copying %zu bytes", len);
	memcpy(p, s, len);
	p[len] = '\0';
	*out = p;
	*outlen = len;
	return SW_OK;
}

/*
 * Copies UTF-8 text s[0..len), found at offset base of the file after a BOM,
 * into a new NUL-terminated buffer after checking it is valid and has no NUL
 * byte.  With a BOM there is no fallback: bad bytes are an error.
 */
static enum sw_err copy_utf8(const char *s, size_t len, size_t base, char **out,
			     size_t *outlen, struct sw_errbuf *eb)
{
	const char *nul = memchr(s, '\0', len);
	size_t bad;

	if (nul != NULL)
		return nul_error(line_of(s, (size_t)(nul - s)), base + (size_t)(nul - s), eb);
	bad = utf8_bad((const unsigned char *)s, len);
	if (bad != len)
		return sw_errf(eb, SW_ECHARSET, "line %zu, byte %zu: not valid UTF-8 text",
			       line_of(s, bad), base + bad);
	return dup_text(s, len, out, outlen, eb);
}

/*
 * Converts UTF-16 text s[0..len) (the BOM, 2 bytes, already skipped) to
 * UTF-8.  A U+0000 code unit is refused before conversion so its offset can
 * be reported; unpaired surrogates and an odd length fail inside iconv.
 */
static enum sw_err from_utf16(const char *s, size_t len, int be, char **out,
			      size_t *outlen, struct sw_errbuf *eb)
{
	const char *name = be ? "UTF-16BE" : "UTF-16LE";
	size_t i, bad;
	enum sw_err rc;

	for (i = 0; i < len / 2; i++)
		if (unit16((const unsigned char *)s, i, be) == 0)
			return nul_error(line_of16(s, 2 * i, be), 2 + 2 * i, eb);
	rc = convert("UTF-8", name, s, len, out, outlen, &bad, eb);
	if (rc == SW_ECHARSET && bad != SIZE_MAX)
		return sw_errf(eb, rc, "line %zu, byte %zu: not valid %s text",
			       line_of16(s, bad, be), bad + 2, name);
	return rc;
}

/*
 * Decodes s[0..len), known not to be valid UTF-8 (first bad byte at
 * utf8bad) and to hold no NUL, as GB18030.  The error names both positions:
 * the GB18030 failure, and where UTF-8 broke, for a UTF-8 file with one
 * corrupt byte.
 */
static enum sw_err from_gb18030(const char *s, size_t len, size_t utf8bad, char **out,
				size_t *outlen, struct sw_errbuf *eb)
{
	size_t bad;
	enum sw_err rc;

	rc = convert("UTF-8", "GB18030", s, len, out, outlen, &bad, eb);
	if (rc == SW_ECHARSET && bad != SIZE_MAX)
		return sw_errf(eb, rc,
			       "line %zu, byte %zu: not valid GB18030/GBK text (nor UTF-8: "
			       "first bad UTF-8 byte on line %zu, byte %zu)",
			       line_of(s, bad), bad, line_of(s, utf8bad), utf8bad);
	return rc;
}

/* Returns the encoding announced by a byte order mark at the start of
 * u[0..len), with the mark's length in *bom; SW_CS_UTF8 and 0 when none. */
static enum sw_charset bom_of(const unsigned char *u, size_t len, size_t *bom)
{
	*bom = 2;
	if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE)
		return SW_CS_UTF16LE;
	if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF)
		return SW_CS_UTF16BE;
	*bom = 3;
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return SW_CS_UTF8_BOM;
	*bom = 0;
	return SW_CS_UTF8;
}

/*
 * Converts text without a BOM: a NUL is refused first (it is 0x00 in both
 * candidate encodings), then valid UTF-8 is copied and anything else is
 * decoded as GB18030.
 */
static enum sw_err from_unmarked(const char *buf, size_t len, char **out, size_t *outlen,
				 enum sw_charset *cs, struct sw_errbuf *eb)
{
	const char *nul = memchr(buf, '\0', len);
	size_t bad;

	if (nul != NULL)
		return nul_error(line_of(buf, (size_t)(nul - buf)), (size_t)(nul - buf), eb);
	bad = utf8_bad((const unsigned char *)buf, len);
	if (bad == len) {
		*cs = SW_CS_UTF8;
		return dup_text(buf, len, out, outlen, eb);
	}
	*cs = SW_CS_GB18030;
	return from_gb18030(buf, len, bad, out, outlen, eb);
}

/* Detects the encoding of buf[0..len) and converts it; see charset.h.  *cs
 * is set once the encoding is known, even when decoding then fails. */
enum sw_err sw_charset_to_utf8(const char *buf, size_t len, char **out, size_t *outlen,
			       enum sw_charset *cs, struct sw_errbuf *eb)
{
	enum sw_charset found, dummy;
	size_t bom;

	if (out == NULL || outlen == NULL || (buf == NULL && len > 0))
		return sw_errf(eb, SW_EINVAL, "charset: missing input or output");
	*out = NULL;
	*outlen = 0;
	if (cs == NULL)
		cs = &dummy;
	if (len > SW_CHARSET_MAX)
		return sw_errf(eb, SW_ELIMIT, "file is %zu bytes, more than the 1 GiB limit",
			       len);
	if (buf == NULL)
		buf = "";
	found = bom_of((const unsigned char *)buf, len, &bom);
	if (bom == 0)
		return from_unmarked(buf, len, out, outlen, cs, eb);
	*cs = found;
	if (found == SW_CS_UTF8_BOM)
		return copy_utf8(buf + bom, len - bom, bom, out, outlen, eb);
	return from_utf16(buf + bom, len - bom, found == SW_CS_UTF16BE, out, outlen, eb);
}

/*
 * Converts NUL-terminated UTF-8 to GB18030 for export; see charset.h.  Valid
 * UTF-8 can still fail: glibc's table has no GB18030 form for 24 private-use
 * code points (U+E78D-U+E796 and others that GB18030-2005 moved to standard
 * characters), and those are reported rather than replaced.
 */
enum sw_err sw_charset_utf8_to_gb18030(const char *in, char **out, size_t *outlen,
				       struct sw_errbuf *eb)
{
	size_t len, bad;
	enum sw_err rc;

	if (in == NULL || out == NULL || outlen == NULL)
		return sw_errf(eb, SW_EINVAL, "charset: missing input or output");
	*out = NULL;
	*outlen = 0;
	len = strlen(in);
	if (len > SW_CHARSET_MAX)
		return sw_errf(eb, SW_ELIMIT, "text is %zu bytes, more than the 1 GiB limit",
			       len);
	bad = utf8_bad((const unsigned char *)in, len);
	if (bad != len)
		return sw_errf(eb, SW_ECHARSET, "line %zu, byte %zu: not valid UTF-8 text",
			       line_of(in, bad), bad);
	rc = convert("GB18030", "UTF-8", in, len, out, outlen, &bad, eb);
	if (rc == SW_ECHARSET && bad != SIZE_MAX)
		return sw_errf(eb, rc, "line %zu, byte %zu: character has no GB18030 form",
			       line_of(in, bad), bad);
	return rc;
}
