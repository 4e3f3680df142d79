/*
 * api_compliance_report.c - the bulletin (通报) and progress report as
 * downloads: GET /api/reports/{bulletin,progress}?period=&format=
 * xlsx|csv|html plus the statistics scope, answered as an attachment.
 *
 * The report writers write files (libxlsxwriter needs one), so the
 * handler writes into a private temporary file, reads it back and removes
 * it.  The report covers the user's sites only (sc.acc).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compliance/compliance.h"
#include "compliance/report.h"
#include "server/api_compliance.h"

/* Largest report sent (a national bulletin is a few megabytes). */
#define REPORT_MAX (256u << 20)

/* Reads the file at path into a malloc'd buffer. */
static enum sw_err slurp(const char *path, char **out, size_t *len, struct sw_errbuf *eb)
{
	FILE *f = fopen(path, "rb");
	long n;
	char *b;

	*out = NULL;
	if (!f)
		return sw_errf(eb, SW_EIO, "cannot read the report back");
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || (unsigned long)n > REPORT_MAX ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return sw_errf(eb, SW_EIO, "the report is too large or unreadable");
	}
	if (!(b = malloc((size_t)n + 1))) {
		fclose(f);
		return sw_errf(eb, SW_ENOMEM, "out of memory for the report");
	}
	if (fread(b, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(b);
		return sw_errf(eb, SW_EIO, "short read of the report");
	}
	fclose(f);
	*out = b;
	*len = (size_t)n;
	return SW_OK;
}

/* Writes r in format fmt into a temporary file and reads it back. */
static enum sw_err render(const struct sw_report *r, const char *fmt, char **out, size_t *len,
			  struct sw_errbuf *eb)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	enum sw_err rc;
	int fd;

	if (!dir || !*dir || strlen(dir) > 400)
		dir = "/tmp";
	snprintf(path, sizeof path, "%s/sw-report-XXXXXX", dir);
	if ((fd = mkstemp(path)) < 0)
		return sw_errf(eb, SW_EIO, "cannot make a temporary file for the report");
	close(fd);
	rc = !strcmp(fmt, "xlsx") ? sw_report_xlsx(r, path, eb)
	     : !strcmp(fmt, "csv") ? sw_report_csv(r, path, eb)
				   : sw_report_html(r, path, eb);
	if (!rc)
		rc = slurp(path, out, len, eb);
	unlink(path);
	return rc;
}

static int report(struct sw_req *rq, struct sw_resp *rs, int bulletin)
{
	static _Thread_local char filename[96];
	static const char *const types[] = {
		"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"csv",  "text/csv; charset=utf-8",
		"html", "text/html; charset=utf-8"};
	const char *period = sw_req_arg(rq, "period"), *fmt = sw_req_arg(rq, "format"), *ct = NULL;
	char from[11], to[11], pf[11], pt[11];
	struct sw_stats_scope sc;
	struct sw_access ab;
	struct sw_report r;
	struct sw_errbuf eb;
	char *body;
	size_t len = 0;
	enum sw_err rc;

	if (!fmt)
		fmt = "xlsx";
	for (int i = 0; i < 3; i++)
		if (!strcmp(fmt, types[2 * i]))
			ct = types[2 * i + 1];
	if (!ct)
		return sw_resp_error(rs, 400, "format", "format must be xlsx, csv or html");
	if (!period)
		return sw_resp_error(rs, 400, "period", "period is required (YYYY, YYYY-MM, "
							"YYYY-Qn or DATE..DATE)");
	sw_errbuf_clear(&eb);
	if (strlen(period) > 32 || sw_report_period(period, from, to, pf, pt, &eb))
		return sw_resp_error(rs, 400, "period", "period must be YYYY, YYYY-MM, YYYY-Qn "
							"or DATE..DATE");
	if (sw__capi_scope(rq, rs, &sc, &ab))
		return 0;
	sw_errbuf_clear(&eb);
	rc = bulletin ? sw_report_bulletin(rq->st, &sc, period, sw_compliance_now(), &r, &eb)
		      : sw_report_progress(rq->st, &sc, period, sw_compliance_now(), &r, &eb);
	if (rc)
		return sw__capi_err(rs, rc, &eb);
	rc = render(&r, fmt, &body, &len, &eb);
	sw_report_cleanup(&r);
	if (rc)
		return sw_resp_from_err(rs, rc, &eb);
	/* The period was checked: digits, '-', 'Q' and '.' only. */
	snprintf(filename, sizeof filename, "%s-%s.%s", bulletin ? "bulletin" : "progress", period,
		 fmt);
	rs->filename = filename;
	return sw_resp_bytes(rs, 200, ct, body, len);
}

int sw__capi_report_bulletin(struct sw_req *rq, struct sw_resp *rs)
{
	return report(rq, rs, 1);
}

int sw__capi_report_progress(struct sw_req *rq, struct sw_resp *rs)
{
	return report(rq, rs, 0);
}
