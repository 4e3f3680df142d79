/*
 * xlsx_value.c - cell values as the user typed them, and cell references.
 *
 * Facts that shaped it:
 *  - A number cell holds the shortest text that gives back its double
 *    ("13800138000", "1.5E+20"): the raw text is what the user typed as far
 *    as the file still knows it, so it is kept and never goes through a
 *    double (where an 18-digit number would pick up rounding noise).  An
 *    exponent form is written out as digits only when the mantissa has at
 *    most 15 significant digits (Excel's precision), so nothing is invented.
 *  - Dates are serial numbers: days since 1899-12-30 (the 1900 system, with
 *    Lotus's phantom 1900-02-29 at serial 60) or since 1904-01-01.  Whether
 *    a number is a date is said only by its cell format: built-in format
 *    ids 14-17, 22 and the East Asian date ids, or a custom format code with
 *    a year, day or month token outside quotes and brackets.
 *  - Text may hold characters XML cannot carry (a CR from Alt+Enter on
 *    Windows, other controls) escaped as _xHHHH_; a literal "_x" before
 *    four hex digits is itself escaped as _x005F_.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/xlsx_int.h"

#define SERIAL_MAX 2958465L /* 9999-12-31 */

int sw__xlsx_is_date_format(long id, const char *code)
{
	static const long dates[] = {14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 36,
				     50, 51, 54, 57, 58, -1};
	int m = 0, hs = 0;

	if (!code) {
		for (int i = 0; dates[i] >= 0; i++)
			if (dates[i] == id)
				return 1;
		return 0;
	}
	for (const char *p = code; *p; p++) {
		if (*p == '"') { /* literal text */
			while (p[1] && p[1] != '"')
				p++;
			if (p[1])
				p++;
		} else if (*p == '[') { /* colour, condition, locale */
			while (p[1] && p[1] != ']')
				p++;
			if (p[1])
				p++;
		} else if (*p == '\\' || *p == '_' || *p == '*') { /* escaped, padding */
			if (p[1])
				p++;
		} else if (*p == 'y' || *p == 'Y' || *p == 'd' || *p == 'D') {
			return 1;
		} else if (*p == 'm' || *p == 'M') {
			m = 1;
		} else if (*p == 'h' || *p == 'H' || *p == 's' || *p == 'S') {
			hs = 1;
		}
	}
	return m && !hs; /* "mmm" alone is a month; "mm:ss" is minutes */
}

/* Writes the civil date of days since 1970-01-01 (proleptic Gregorian). */
static void civil(long days, char *buf, size_t n)
{
	long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1, mo = mp < 10 ? mp + 3 : mp - 9;
	long y = yoe + era * 400 + (mo <= 2);

	snprintf(buf, n, "%04ld-%02ld-%02ld", y, mo, d);
}

/* The date of a serial number, or NULL when it is not a plain day count
 * within Excel's range (the time of day, if any, is dropped). */
static const char *serial_date(const struct sw_xlsx *x, const char *raw, char *buf, size_t n)
{
	char *end;
	double v = strtod(raw, &end);
	long s;

	if (end == raw || *end || !(v >= 1 && v < SERIAL_MAX + 1.0))
		return NULL;
	s = (long)v;
	if (x->date1904)
		civil(s - 24107, buf, n);
	else if (s == 60)
		return NULL; /* 1900-02-29 never was */
	else
		civil(s < 60 ? s - 25568 : s - 25569, buf, n);
	return buf;
}

/* Writes an exponent form ("1.3800138E+10") as digits when it is an
 * integer with at most 15 significant digits; NULL otherwise. */
static const char *expand(const char *raw, char *buf, size_t n)
{
	char digits[40];
	size_t nd = 0, frac = 0, o = 0;
	const char *p = raw;
	int neg = 0, seen_dot = 0;
	long e;
	char *end;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; isdigit((unsigned char)*p) || (*p == '.' && !seen_dot); p++) {
		if (*p == '.') {
			seen_dot = 1;
			continue;
		}
		if (nd == 0 && *p == '0' && !seen_dot)
			continue;
		if (nd >= sizeof digits)
			return NULL;
		digits[nd++] = *p;
		frac += seen_dot;
	}
	if ((*p != 'E' && *p != 'e') || nd == 0)
		return NULL;
	e = strtol(p + 1, &end, 10);
	while (nd > 0 && frac > 0 && digits[nd - 1] == '0') /* "1.50E+3": trailing zeros */
		nd--, frac--;
	if (*end || end == p + 1 || nd > 15 || e < (long)frac || e - (long)frac + nd + 2 > n)
		return NULL;
	if (neg)
		buf[o++] = '-';
	memcpy(buf + o, digits, nd);
	o += nd;
	for (long z = 0; z < e - (long)frac; z++)
		buf[o++] = '0';
	buf[o] = '\0';
	return buf;
}

const char *sw__xlsx_number(const struct sw_xlsx *x, const char *raw, long xf, char *buf,
			    size_t n)
{
	const char *r;

	if (xf >= 0 && (size_t)xf < x->nxf && x->xf_date[xf] && (r = serial_date(x, raw, buf, n)))
		return r;
	if ((r = expand(raw, buf, n)))
		return r;
	return raw;
}

/* The value of the four hex digits at p, or -1. */
static long hex4(const char *p)
{
	long v = 0;

	for (int i = 0; i < 4; i++) {
		int c = (unsigned char)p[i], d = c >= '0' && c <= '9'   ? c - '0'
					       : c >= 'a' && c <= 'f' ? c - 'a' + 10
					       : c >= 'A' && c <= 'F' ? c - 'A' + 10
								      : -1;

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

size_t sw__xlsx_unescape(char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		long v = i + 7 <= len && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_'
				 ? hex4(s + i + 2)
				 : -1;

		/* NUL and surrogate halves would make the text unusable or
		 * invalid UTF-8: such an escape stays as written. */
		if (v <= 0 || (v >= 0xd800 && v <= 0xdfff)) {
			s[o++] = s[i++];
			continue;
		}
		if (v < 0x80) {
			s[o++] = (char)v;
		} else if (v < 0x800) {
			s[o++] = (char)(0xc0 | v >> 6);
			s[o++] = (char)(0x80 | (v & 0x3f));
		} else {
			s[o++] = (char)(0xe0 | v >> 12);
			s[o++] = (char)(0x80 | (v >> 6 & 0x3f));
			s[o++] = (char)(0x80 | (v & 0x3f));
		}
		i += 7;
	}
	s[o] = '\0';
	return o;
}

int sw__xlsx_ref(const char *s, uint32_t *col, uint32_t *row)
{
	uint32_t c = 0, r = 0;
	int letters = 0, digits = 0;

	for (; *s >= 'A' && *s <= 'Z'; s++) {
		if (++letters > 3)
			return -1;
		c = c * 26 + (uint32_t)(*s - 'A' + 1);
	}
	for (; *s >= '0' && *s <= '9'; s++) {
		if (++digits > 7)
			return -1;
		r = r * 10 + (uint32_t)(*s - '0');
	}
	if (*s || !letters || !digits || c > 16384 || r < 1 || r > 1048576)
		return -1;
	*col = c - 1;
	*row = r;
	return 0;
}

void sw_xlsx_col_name(size_t col, char buf[8])
{
	char tmp[8];
	size_t n = 0, o = 0;

	col++;
	while (col > 0 && n < 7) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	while (n > 0)
		buf[o++] = tmp[--n];
	buf[o] = '\0';
}
