/*
 * validate.c - checks and canonical forms for the register's identifiers
 * (credit code, ICP and PSB numbers, gov and region codes) and dates, and
 * the text helpers that validate_contact.c shares (rules in validate.h).
 *
 * The text is hand-typed or pasted from Word and Excel, so full-width
 * digits, letters and dashes and the ideographic space (U+3000) are common;
 * they are folded to ASCII before the short identifiers are parsed.  It is
 * also hostile input: every scan stops at the NUL and at INPUT_MAX, each
 * canonical form is built in a local buffer and copied out only when it
 * fits, and a character is quoted in a message only after
 * sw__describe_char has made it safe to show (no control or bidi character
 * reaches a terminal).
 */
#include "model/validate_int.h"

#include <stdio.h>
#include <string.h>

/* Longest trimmed input looked at; anything longer is refused unparsed. */
#define INPUT_MAX 8192

/* True for white space as isspace() sees it in the C locale. */
static int is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* True when s begins with lit; strncmp stops at s's NUL. */
int sw__starts(const char *s, const char *lit)
{
	return strncmp(s, lit, strlen(lit)) == 0;
}

/* As sw__starts(), ignoring ASCII case; a mismatch at s's NUL ends the scan. */
int sw__starts_nocase(const char *s, const char *lit)
{
	for (; *lit; s++, lit++)
		if (to_upper(*s) != to_upper(*lit))
			return 0;
	return 1;
}

/* Number of ASCII digits at s[i], stopping at the first other byte. */
size_t sw__digits_at(const char *s, size_t i)
{
	size_t k = 0;

	while (is_digit(s[i + k]))
		k++;
	return k;
}

/* Index of the first byte at or after i in s that is not an ASCII space. */
static size_t skip_spaces(const char *s, size_t i)
{
	while (s[i] == ' ')
		i++;
	return i;
}

/* True when p begins with U+3000.  Each byte is read only when the one
 * before it matched, so a string shorter than three bytes is safe. */
static int is_ideo_space(const char *p)
{
	return (unsigned char)p[0] == 0xE3 && (unsigned char)p[1] == 0x80 &&
	       (unsigned char)p[2] == 0x80;
}

/*
 * Decodes the UTF-8 character at s (n bytes available) into *cp.  Returns
 * its length 1-4, or 0 for bytes that are not well-formed UTF-8 (overlong
 * forms, surrogates and values past U+10FFFF included).
 */
static size_t utf8_next(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len, i;

	if (n == 0)
		return 0;
	if (p[0] < 0x80)
		return *cp = p[0], 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		len = 2, *cp = p[0] & 0x1F;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		len = 3, *cp = p[0] & 0x0F;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		len = 4, *cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3F);
	}
	if ((len == 3 && *cp < 0x800) || (len == 4 && *cp < 0x10000) || *cp > 0x10FFFF ||
	    (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return len;
}

/* True for invisible format characters (bidi controls, zero-width spaces)
 * that could hide or reorder the text of a message if shown raw. */
static int is_format_char(unsigned cp)
{
	return cp < 0xA0 || cp == 0xAD || cp == 0x61C || cp == 0x180E ||
	       (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
	       (cp >= 0xE0000 && cp <= 0xE007F);
}

/*
 * Writes a safe description of the character at s (n bytes left) into buf:
 * 'x' for printable ASCII, 'X' (U+XXXX) for other characters, U+XXXX alone
 * for format characters, "byte 0xNN" for controls and broken UTF-8.
 * Returns the number of bytes the character takes (at least 1).
 */
size_t sw__describe_char(const char *s, size_t n, char *buf, size_t bufsz)
{
	unsigned cp = 0;
	size_t len = utf8_next(s, n, &cp);

	if (len == 0 || cp < 0x20 || cp == 0x7F) {
		snprintf(buf, bufsz, "byte 0x%02X", (unsigned char)s[0]);
		return 1;
	}
	if (len == 1)
		snprintf(buf, bufsz, "'%c'", s[0]);
	else if (is_format_char(cp))
		snprintf(buf, bufsz, "U+%04X", cp);
	else
		snprintf(buf, bufsz, "'%.*s' (U+%04X)", (int)len, s, cp);
	return len;
}

/* Number of characters in s (n bytes); a broken byte counts as one, so the
 * count in "must be 18 characters, got N" is what a person would see. */
static size_t count_chars(const char *s, size_t n)
{
	size_t i = 0, k = 0, len;
	unsigned cp;

	while (i < n) {
		len = utf8_next(s + i, n - i, &cp);
		i += len ? len : 1;
		k++;
	}
	return k;
}

/*
 * Copies s (n bytes) to dst, which has room for n + 1, folding full-width
 * ASCII (U+FF01-FF5E), the ideographic space and the dash look-alikes that
 * Word substitutes (U+2010-2015, U+2212, U+FE63) to ASCII.  Folding only
 * shrinks the text.  Returns the new length; dst is NUL-terminated.
 */
static size_t fold_width(const char *s, size_t n, char *dst)
{
	size_t i = 0, o = 0, len;
	unsigned cp;

	while (i < n) {
		len = utf8_next(s + i, n - i, &cp);
		if (len == 0) {
			dst[o++] = s[i++];
			continue;
		}
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			dst[o++] = (char)(cp - 0xFEE0);
		else if (cp == 0x3000)
			dst[o++] = ' ';
		else if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE63)
			dst[o++] = '-';
		else
			memcpy(dst + o, s + i, len), o += len;
		i += len;
	}
	dst[o] = '\0';
	return o;
}

/*
 * Finds the text of `in` without ASCII white space and U+3000 at either
 * end.  NULL counts as empty.  Fails for empty text and for text longer than
 * INPUT_MAX, which is refused before any parser sees it.
 */
enum sw_err sw__trim(const char *in, struct sw__text *t, struct sw_errbuf *eb)
{
	const char *p = in ? in : "";
	size_t n;

	for (;;) {
		if (is_space(*p))
			p++;
		else if (is_ideo_space(p))
			p += 3;
		else
			break;
	}
	n = strnlen(p, INPUT_MAX + 1);
	if (n > INPUT_MAX)
		return sw_errf(eb, SW_EINVAL, "is too long (more than %d bytes)", INPUT_MAX);
	for (;;) {
		if (n > 0 && is_space(p[n - 1]))
			n--;
		else if (n >= 3 && is_ideo_space(p + n - 3))
			n -= 3;
		else
			break;
	}
	if (n == 0)
		return sw_errf(eb, SW_EINVAL, "is empty");
	t->p = p;
	t->n = n;
	return SW_OK;
}

/* Trims `in` and folds it into buf (bufsz bytes); *len gets its length.
 * The common first step of the short identifiers. */
enum sw_err sw__prepare(const char *in, char *buf, size_t bufsz, size_t *len,
			struct sw_errbuf *eb)
{
	struct sw__text t;
	enum sw_err rc = sw__trim(in, &t, eb);

	if (rc)
		return rc;
	if (t.n >= bufsz)
		return sw_errf(eb, SW_EINVAL, "is too long (%zu bytes)", t.n);
	*len = fold_width(t.p, t.n, buf);
	return SW_OK;
}

/* Empties the caller's buffer first so that a failure never leaves stale
 * or half-written text behind. */
void sw__clear_out(char *out, size_t outsz)
{
	if (out && outsz)
		out[0] = '\0';
}

/* Copies the canonical form s (n bytes) and a NUL into out, or fails with
 * SW_ELIMIT, leaving out empty, when it does not fit. */
enum sw_err sw__emit(char *out, size_t outsz, const char *s, size_t n, struct sw_errbuf *eb)
{
	if (out == NULL || outsz <= n)
		return sw_errf(eb, SW_ELIMIT, "canonical form needs %zu bytes, the buffer has %zu",
			       n + 1, out ? outsz : 0);
	memcpy(out, s, n);
	out[n] = '\0';
	return SW_OK;
}

/* ---- unified social credit code ---------------------------------------- */

static const char credit_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/* 3^(i-1) mod 31 for positions 1-17 (GB 32100-2015, 4.2). */
static const unsigned char credit_weights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
						 29, 25, 13, 8,  24, 10, 30, 28};

/* Value of c in the credit-code alphabet, or -1 (always for '\0'). */
static int credit_value(char c)
{
	const char *hit = c ? strchr(credit_alphabet, c) : NULL;

	return hit ? (int)(hit - credit_alphabet) : -1;
}

/* The loop stops at the first byte outside the alphabet, NUL included,
 * so a short string is never read past its end. */
char sw_credit_code_check_char(const char *code17)
{
	unsigned sum = 0;
	int i, v;

	if (code17 == NULL)
		return '\0';
	for (i = 0; i < 17; i++) {
		v = credit_value(code17[i]);
		if (v < 0)
			return '\0';
		sum += (unsigned)v * credit_weights[i];
	}
	return credit_alphabet[(31 - sum % 31) % 31];
}

/*
 * Upper-cases the 18 characters of s (n bytes) in place and checks each is
 * in the alphabet and that positions 3-8, the registering region, are
 * digits.  The alphabet comes first: I, O, S, V and Z are the usual
 * typing mistakes and deserve the more specific message.
 */
static enum sw_err credit_chars(char *s, size_t n, struct sw_errbuf *eb)
{
	size_t i, pos, len;
	char what[48];

	for (i = 0, pos = 1; i < n; i += len, pos++) {
		s[i] = to_upper(s[i]);
		/* The common case is a valid ASCII character: describe only what
		 * is about to be reported (describing costs more than checking). */
		len = 1;
		if (credit_value(s[i]) >= 0 && (pos < 3 || pos > 8 || is_digit(s[i])))
			continue;
		len = sw__describe_char(s + i, n - i, what, sizeof what);
		if (credit_value(s[i]) < 0 && len == 1 && strchr("IOSVZ", s[i]))
			return sw_errf(eb, SW_EINVAL,
				       "character %zu %s is not allowed (I, O, S, V, Z are never used)",
				       pos, what);
		if (credit_value(s[i]) < 0 || len != 1)
			return sw_errf(eb, SW_EINVAL, "character %zu %s is not allowed", pos, what);
		if (pos >= 3 && pos <= 8 && !is_digit(s[i]))
			return sw_errf(eb, SW_EINVAL,
				       "character %zu %s must be a digit (positions 3-8 are a region code)",
				       pos, what);
	}
	return SW_OK;
}

enum sw_err sw_valid_credit_code(const char *in, char *out, size_t outsz, struct sw_errbuf *eb)
{
	char buf[SW__SHORT_MAX], want;
	size_t n, nchars;
	enum sw_err rc;

	sw__clear_out(out, outsz);
	if ((rc = sw__prepare(in, buf, sizeof buf, &n, eb)))
		return rc;
	nchars = count_chars(buf, n);
	if (nchars != 18)
		return sw_errf(eb, SW_EINVAL, "must be 18 characters, got %zu", nchars);
	if ((rc = credit_chars(buf, n, eb)))
		return rc;
	want = sw_credit_code_check_char(buf);
	if (buf[17] != want)
		return sw_errf(eb, SW_EINVAL, "check character is '%c', expected '%c'", buf[17],
			       want);
	return sw__emit(out, outsz, buf, 18, eb);
}

/* ---- ICP and public-security filing numbers ---------------------------- */

/* Finds the province abbreviation that must open s; *len gets its bytes. */
static const struct sw_province *lead_province(const char *s, size_t *len,
					       struct sw_errbuf *eb)
{
	const struct sw_province *pv = sw_province_by_abbr(s, len);

	if (pv == NULL)
		sw_errf(eb, SW_EINVAL, "must start with a province abbreviation such as 京 or 粤");
	return pv;
}

/* Reads the optional "-N" suffix (N 1-999) that ends s; *num gets N or 0. */
static enum sw_err icp_suffix(const char *s, unsigned *num, struct sw_errbuf *eb)
{
	size_t i, k;

	*num = 0;
	if (s[0] == '\0')
		return SW_OK;
	if (s[0] != '-')
		return sw_errf(eb, SW_EINVAL,
			       "has unexpected text after '号' (only a suffix like -1 may follow)");
	i = skip_spaces(s, 1);
	k = sw__digits_at(s, i);
	for (size_t j = 0; j < k && j < 3; j++)
		*num = *num * 10 + (unsigned)(s[i + j] - '0');
	if (k == 0 || k > 3 || s[i + k] != '\0' || *num == 0)
		return sw_errf(eb, SW_EINVAL, "suffix after '号' must be -1 to -999");
	return SW_OK;
}

enum sw_err sw_valid_icp(const char *in, char *out, size_t outsz, struct sw_errbuf *eb)
{
	char buf[SW__SHORT_MAX], canon[SW__SHORT_MAX];
	size_t n, alen = 0, i, k, min;
	unsigned suffix;
	int licence, len;
	enum sw_err rc;

	sw__clear_out(out, outsz);
	if ((rc = sw__prepare(in, buf, sizeof buf, &n, eb)))
		return rc;
	if (!lead_province(buf, &alen, eb))
		return SW_EINVAL;
	i = skip_spaces(buf, alen);
	if (!sw__starts_nocase(buf + i, "ICP"))
		return sw_errf(eb, SW_EINVAL, "must have 'ICP' after the province abbreviation");
	i = skip_spaces(buf, i + 3);
	licence = sw__starts(buf + i, "证");
	if (!licence && !sw__starts(buf + i, "备"))
		return sw_errf(eb, SW_EINVAL, "must have '备' (filing) or '证' (licence) after 'ICP'");
	i = skip_spaces(buf, i + strlen("备"));
	k = sw__digits_at(buf, i);
	min = licence ? 4 : 6;
	if (k < min || k > 10)
		return sw_errf(eb, SW_EINVAL, "must have %zu-10 digits after '%s', got %zu", min,
			       licence ? "证" : "备", k);
	if (!sw__starts(buf + skip_spaces(buf, i + k), "号"))
		return sw_errf(eb, SW_EINVAL, "must have '号' after the digits");
	if ((rc = icp_suffix(buf + skip_spaces(buf, skip_spaces(buf, i + k) + strlen("号")),
			     &suffix, eb)))
		return rc;
	len = snprintf(canon, sizeof canon, "%.*sICP%s%.*s号", (int)alen, buf,
		       licence ? "证" : "备", (int)k, buf + i);
	if (suffix)
		len += snprintf(canon + len, sizeof canon - (size_t)len, "-%u", suffix);
	return sw__emit(out, outsz, canon, (size_t)len, eb);
}

enum sw_err sw_valid_psb(const char *in, char *out, size_t outsz, struct sw_errbuf *eb)
{
	char buf[SW__SHORT_MAX], canon[SW__SHORT_MAX];
	const struct sw_province *pv, *owner;
	size_t n, alen = 0, i, k;
	enum sw_err rc;
	int len;

	sw__clear_out(out, outsz);
	if ((rc = sw__prepare(in, buf, sizeof buf, &n, eb)))
		return rc;
	if (!(pv = lead_province(buf, &alen, eb)))
		return SW_EINVAL;
	if (!sw__starts(buf + alen, "公网安备"))
		return sw_errf(eb, SW_EINVAL, "must have '公网安备' after the province abbreviation");
	i = skip_spaces(buf, alen + strlen("公网安备"));
	k = sw__digits_at(buf, i);
	if (k != 14)
		return sw_errf(eb, SW_EINVAL, "must have 14 digits, got %zu", k);
	owner = sw_province_by_code(buf + i);
	if (owner == NULL)
		return sw_errf(eb, SW_EINVAL, "number starts with %.2s, which is not a province code",
			       buf + i);
	if (owner != pv)
		return sw_errf(eb, SW_EINVAL, "number %.2s... belongs to province %s (%s), not %.*s",
			       buf + i, owner->code, owner->abbr, (int)alen, buf);
	if (strcmp(buf + skip_spaces(buf, i + k), "号") != 0)
		return sw_errf(eb, SW_EINVAL, "must end with '号' right after the 14 digits");
	len = snprintf(canon, sizeof canon, "%.*s公网安备 %.14s号", (int)alen, buf, buf + i);
	return sw__emit(out, outsz, canon, (size_t)len, eb);
}

/* ---- region and government website codes ------------------------------- */

/* Checks that the n bytes at s are six digits forming a GB/T 2260 code of a
 * known province and gives its level; shared with the gov code. */
static enum sw_err region6(const char *s, size_t n, int *level, struct sw_errbuf *eb)
{
	char what[48];
	size_t i;

	for (i = 0; i < 6; i++) {
		if (i >= n || !is_digit(s[i])) {
			sw__describe_char(s + i, n - i, what, sizeof what);
			return sw_errf(eb, SW_EINVAL, "character %zu %s of the region code is not a digit",
				       i + 1, what);
		}
	}
	if (sw_province_by_code(s) == NULL)
		return sw_errf(eb, SW_EINVAL, "starts with %.2s, which is not a province code", s);
	*level = memcmp(s + 2, "0000", 4) == 0 ? 1 : memcmp(s + 4, "00", 2) == 0 ? 2 : 3;
	return SW_OK;
}

enum sw_err sw_valid_region_code(const char *in, char *out, size_t outsz, int *level,
				 struct sw_errbuf *eb)
{
	char buf[SW__SHORT_MAX];
	size_t n;
	int lv = 0;
	enum sw_err rc;

	sw__clear_out(out, outsz);
	if (level)
		*level = 0;
	if ((rc = sw__prepare(in, buf, sizeof buf, &n, eb)))
		return rc;
	if (count_chars(buf, n) != 6)
		return sw_errf(eb, SW_EINVAL, "must be 6 digits, got %zu characters",
			       count_chars(buf, n));
	if ((rc = region6(buf, n, &lv, eb)) || (rc = sw__emit(out, outsz, buf, 6, eb)))
		return rc;
	if (level)
		*level = lv;
	return SW_OK;
}

enum sw_err sw_valid_gov_code(const char *in, char *out, size_t outsz, struct sw_errbuf *eb)
{
	char buf[SW__SHORT_MAX];
	size_t n;
	int lv;
	enum sw_err rc;

	sw__clear_out(out, outsz);
	if ((rc = sw__prepare(in, buf, sizeof buf, &n, eb)))
		return rc;
	if (count_chars(buf, n) != 10)
		return sw_errf(eb, SW_EINVAL, "must be 10 characters, got %zu", count_chars(buf, n));
	if (n == 10 && sw__starts_nocase(buf, "BM")) {
		buf[0] = 'b', buf[1] = 'm';
		if (sw__digits_at(buf, 2) != 8)
			return sw_errf(eb, SW_EINVAL, "must be 'bm' and 8 digits");
	} else if (n != 10 || sw__digits_at(buf, 0) != 10) {
		return sw_errf(eb, SW_EINVAL, "must be 10 digits, or 'bm' and 8 digits");
	} else if ((rc = region6(buf, 6, &lv, eb))) {
		return rc;
	}
	return sw__emit(out, outsz, buf, 10, eb);
}

/* ---- dates -------------------------------------------------------------- */

/* Reads 1 to max digits at s[*i] into *v and advances *i; returns how many. */
static size_t read_num(const char *s, size_t *i, size_t max, int *v)
{
	size_t k = 0;

	*v = 0;
	while (k < max && is_digit(s[*i + k]))
		*v = *v * 10 + (s[*i + k++] - '0');
	*i += k;
	return k;
}

/* Splits s into year, month and day.  The two separators must match: the
 * same one of '-', '/', '.', or 年 then 月, with 日 closing. */
static enum sw_err date_parse(const char *s, int *y, int *m, int *d, struct sw_errbuf *eb)
{
	static const char bad[] = "must be a date like 2024-03-01, 2024/3/1 or 2024年3月1日";
	size_t i = 0;
	int cjk;
	char sep;

	if (read_num(s, &i, 4, y) != 4)
		return sw_errf(eb, SW_EINVAL, "%s", bad);
	cjk = sw__starts(s + i, "年");
	sep = s[i];
	if (!cjk && sep != '-' && sep != '/' && sep != '.')
		return sw_errf(eb, SW_EINVAL, "%s", bad);
	i += cjk ? strlen("年") : 1;
	if (read_num(s, &i, 2, m) == 0 || (cjk ? !sw__starts(s + i, "月") : s[i] != sep))
		return sw_errf(eb, SW_EINVAL, "%s", bad);
	i += cjk ? strlen("月") : 1;
	if (read_num(s, &i, 2, d) == 0 || (cjk && !sw__starts(s + i, "日")))
		return sw_errf(eb, SW_EINVAL, "%s", bad);
	i += cjk ? strlen("日") : 0;
	if (s[i] != '\0')
		return sw_errf(eb, SW_EINVAL, "has text after the date");
	return SW_OK;
}

/* Days in month m (1-12) of year y under the Gregorian leap-year rule. */
static int days_in_month(int y, int m)
{
	static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return days[m - 1] + (m == 2 && leap);
}

enum sw_err sw_valid_date(const char *in, char *out, size_t outsz, struct sw_errbuf *eb)
{
	char buf[SW__SHORT_MAX], canon[16];
	size_t n;
	int y = 0, m = 0, d = 0;
	enum sw_err rc;

	sw__clear_out(out, outsz);
	if ((rc = sw__prepare(in, buf, sizeof buf, &n, eb)) ||
	    (rc = date_parse(buf, &y, &m, &d, eb)))
		return rc;
	if (y < 1990 || y > 2100)
		return sw_errf(eb, SW_EINVAL, "year %d is outside 1990-2100", y);
	if (m < 1 || m > 12)
		return sw_errf(eb, SW_EINVAL, "month %d is not between 1 and 12", m);
	if (d < 1 || d > days_in_month(y, m))
		return sw_errf(eb, SW_EINVAL, "day %d does not exist in %04d-%02d", d, y, m);
	snprintf(canon, sizeof canon, "%04d-%02d-%02d", y, m, d);
	return sw__emit(out, outsz, canon, 10, eb);
}
