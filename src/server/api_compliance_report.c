/*
 * api_compliance_report.c - the bulletin (通报) and progress report as
 * downloads: GET /api/reports/{bulletin,progress}?period=&format=
 * xlsx|csv|html plus the statistics scope, answered as an attachment.
 *
 * The report writers write files (libxlsxwriter needs one), so the
 * handler renders through a private temporary file (sw_report_render).
 * The report covers the user's sites only (sc.acc).
 */
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compliance/compliance.h"
#include "compliance/report.h"
#include "server/api_compliance.h"
#include "server/api_register.h"

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
	rc = sw_report_render(&r, fmt, &body, &len, &eb);
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

static int append_row(void *arg, const struct sw_cmp_row *r)
{
	json_t **a = arg;

	json_array_append_new(a[0], a[1] ? sw_report_sched_json(r) : sw_report_run_json(r));
	return 0;
}

/* A page of schedules or runs (few: read whole, sliced here). */
static int sched_page(struct sw_req *rq, struct sw_resp *rs, int scheds)
{
	struct sw_filter f = {0};
	struct sw_errbuf eb;
	json_t *all = json_array(), *page, *arg[2] = {all, scheds ? all : NULL};
	size_t n;
	enum sw_err rc;

	if (sw_api_page(rq, rs, &f)) {
		json_decref(all);
		return 0;
	}
	sw_errbuf_clear(&eb);
	rc = scheds ? sw_store_scheds(rq->st, 0, NULL, append_row, arg, &eb)
		    : sw_store_report_runs(rq->st, 0, 0, 0, append_row, arg, &eb);
	if (rc) {
		json_decref(all);
		return sw_resp_from_err(rs, rc, &eb);
	}
	n = json_array_size(all);
	page = json_array();
	for (size_t i = (size_t)f.offset; i < n && (int64_t)(i - (size_t)f.offset) < f.limit; i++)
		json_array_append(page, json_array_get(all, i));
	json_decref(all);
	return sw_resp_json(rs, 200, sw_api_page_json(page, (int64_t)n, &f));
}

/* GET /api/report-schedules */
int sw__capi_report_schedules(struct sw_req *rq, struct sw_resp *rs)
{
	return sched_page(rq, rs, 1);
}

/* GET /api/report-runs */
int sw__capi_report_runs(struct sw_req *rq, struct sw_resp *rs)
{
	return sched_page(rq, rs, 0);
}

/* The file of one run, decoded. */
struct run_file {
	char name[96];
	const char *type;
	char *data;
	size_t len;
	int found, bad;
};

static int run_file_cb(void *arg, const struct sw_cmp_row *r)
{
	struct run_file *f = arg;
	const char *b64 = r->s[SW_RUN_CONTENT], *dot = r->s[SW_RUN_FILE] ? strrchr(r->s[SW_RUN_FILE], '.') : NULL;
	size_t n = b64 ? strlen(b64) : 0;

	f->found = 1;
	snprintf(f->name, sizeof f->name, "%s", r->s[SW_RUN_FILE] ? r->s[SW_RUN_FILE] : "report");
	f->type = sw_report_mime(dot ? dot + 1 : NULL);
	if (!b64 || !f->type || n > INT32_MAX || !(f->data = malloc(n / 4 * 3 + 3)) ||
	    EVP_DecodeBlock((unsigned char *)f->data, (const unsigned char *)b64, (int)n) <
		    r->i[SW_RUN_SIZE]) {
		f->bad = 1;
		return 1;
	}
	f->len = (size_t)r->i[SW_RUN_SIZE];
	return 1;
}

/* GET /api/report-runs/{id}/file: the report a schedule made, as the
 * link in a chat channel's message names it. */
int sw__capi_report_run_file(struct sw_req *rq, struct sw_resp *rs)
{
	static _Thread_local char filename[96];
	struct run_file f = {0};
	struct sw_errbuf eb;
	int64_t id;
	enum sw_err rc;

	if (sw_api_id(rq, rs, 0, &id))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_report_runs(rq->st, id, 0, 1, run_file_cb, &f, &eb))) {
		free(f.data);
		return sw_resp_from_err(rs, rc, &eb);
	}
	if (!f.found)
		return sw_resp_error(rs, 404, NULL, "no report run %lld", (long long)id);
	if (f.bad) {
		free(f.data);
		return sw_resp_error(rs, 500, NULL, "the stored report is damaged");
	}
	snprintf(filename, sizeof filename, "%s", f.name);
	rs->filename = filename;
	return sw_resp_bytes(rs, 200, f.type, f.data, f.len);
}
