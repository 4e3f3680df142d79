/*
 * clock.c - the injectable clock and the calendar arithmetic of deadlines
 * and due dates.
 *
 * Dates are China Standard Time (UTC+8, no daylight saving since 1991), so
 * a date is computed by shifting unix time by eight hours and reading the
 * UTC calendar: no dependence on the machine's TZ setting.
 */
#include "compliance/compliance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/validate.h"

#define CST_OFFSET (8 * 3600)

static int64_t fixed_now; /* 0: the real clock; set only by the CLI and tests */

int64_t sw_compliance_now(void)
{
	return fixed_now ? fixed_now : (int64_t)time(NULL);
}

void sw_compliance_now_set(int64_t t)
{
	fixed_now = t > 0 ? t : 0;
}

/* Writes y-m-d as YYYY-MM-DD into out (11 bytes; callers keep the parts
 * in range). */
static void fmt_date(int y, int m, int d, char out[11])
{
	char tmp[48];

	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

void sw_cmp_date(int64_t t, char out[11])
{
	time_t s = (time_t)(t + CST_OFFSET);
	struct tm tm;

	gmtime_r(&s, &tm);
	fmt_date((tm.tm_year + 1900) % 10000, tm.tm_mon + 1, tm.tm_mday, out);
}

/* Days in month m (1-12) of year y. */
static int month_days(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* Reads YYYY-MM-DD strictly into y, m, d; -1 when malformed. */
static int ymd(const char *s, int *y, int *m, int *d)
{
	char tail;

	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", y, m, d, &tail) != 3)
		return -1;
	if (*y < 1900 || *y > 9999 || *m < 1 || *m > 12 || *d < 1 || *d > month_days(*y, *m))
		return -1;
	return 0;
}

enum sw_err sw_cmp_date_time(const char *s, int64_t *t)
{
	struct tm tm = {0};
	int y, m, d;

	if (ymd(s, &y, &m, &d))
		return SW_EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	*t = (int64_t)timegm(&tm) - CST_OFFSET;
	return SW_OK;
}

int64_t sw_cmp_time_parse(const char *s)
{
	int64_t t;
	int hh, mm, ss;
	char date[11], tail;

	if (!s || !*s)
		return -1;
	if (strspn(s, "0123456789") == strlen(s) && strlen(s) <= 12)
		return strtoll(s, NULL, 10);
	if (strlen(s) == 10)
		return sw_cmp_date_time(s, &t) ? -1 : t;
	if (strlen(s) != 19 || s[10] != 'T' ||
	    sscanf(s + 11, "%2d:%2d:%2d%c", &hh, &mm, &ss, &tail) != 3 || hh > 23 || mm > 59 ||
	    ss > 59)
		return -1;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (sw_cmp_date_time(date, &t))
		return -1;
	return t + hh * 3600 + mm * 60 + ss;
}

int sw_cmp_add_months(const char *date, int months, char out[11])
{
	int y, m, d;

	if (ymd(date, &y, &m, &d) || months < 0 || months > 1200)
		return -1;
	m += months;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	if (d > month_days(y, m))
		d = month_days(y, m);
	fmt_date(y % 10000, m, d, out);
	return 0;
}

int sw_cmp_add_days(const char *date, int days, char out[11])
{
	int64_t t;

	if (sw_cmp_date_time(date, &t))
		return -1;
	sw_cmp_date(t + (int64_t)days * 86400, out);
	return 0;
}

enum sw_err sw_cmp_date_input(const char *in, const char *field, char out[11],
			      struct sw_errbuf *eb)
{
	char buf[32];
	struct sw_errbuf why;

	sw_errbuf_clear(&why);
	if (!in || sw_valid_date(in, buf, sizeof buf, &why) || strlen(buf) != 10)
		return sw_errf_field(eb, SW_EINVAL, field, "%s: %s", field,
				     why.msg[0] ? why.msg : "a date (YYYY-MM-DD) is needed");
	memcpy(out, buf, 11);
	return SW_OK;
}
