/*
 * api_import.c - POST /api/import: a register file uploaded as is, through
 * the same importer as `sitewarden import` (src/register/import.c): every
 * row validated like `site add`, all or nothing, each problem with its row
 * and column.  ?dry_run=1 checks without writing.
 *
 * The importer reads CSV (UTF-8 or GBK, Chinese or English headers) sent
 * as text/csv or text/plain, and XLSX workbooks sent as
 * application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
 * (?sheet=NAME picks a sheet other than the first).  A workbook sent as
 * text/csv is still read as a workbook (the content decides); a body sent
 * as XLSX that is not one is refused.  Problems carry the row, the line (for
 * XLSX the spreadsheet row), the column header and, for XLSX, the cell.
 */
#include <string.h>
#include <strings.h>

#include "register/import.h"
#include "server/api_register.h"

/* Problems reported in one answer at most (a broken file can have one
 * per cell); the count of all of them is reported too. */
#define PROBLEMS_MAX 1000

struct problems {
	json_t *a;
	size_t n;
};

static void problem(void *arg, size_t row, size_t line, const char *column, const char *cell,
		    const char *msg)
{
	struct problems *p = arg;

	if (p->n++ >= PROBLEMS_MAX)
		return;
	json_array_append_new(p->a, json_pack("{s:I, s:I, s:s?, s:s?, s:s}", "row", (json_int_t)row,
					      "line", (json_int_t)line, "column", column, "cell",
					      cell, "message", msg ? msg : ""));
}

/* True when the content type (parameters ignored) is t. */
static int is_type(const char *ct, const char *t)
{
	size_t n = strlen(t);

	return ct && !strncasecmp(ct, t, n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

int sw__api_import(struct sw_req *rq, struct sw_resp *rs);

int sw__api_import(struct sw_req *rq, struct sw_resp *rs)
{
	static const char xlsx[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	const char *dry = sw_req_arg(rq, "dry_run");
	struct sw_import_opts o = {.sheet = sw_req_arg(rq, "sheet")};
	struct problems p = {json_array(), 0};
	struct sw_import_stats stats;
	struct sw_errbuf eb;
	enum sw_err rc;
	int dry_run = dry && (!strcmp(dry, "1") || !strcmp(dry, "true"));
	json_t *added;

	if (is_type(rq->content_type, xlsx)) {
		o.format = SW_IMPORT_FMT_XLSX;
	} else if (!is_type(rq->content_type, "text/csv") && !is_type(rq->content_type, "text/plain")) {
		json_decref(p.a);
		return sw_resp_error(rs, 415, NULL, "send the register as text/csv or as %s", xlsx);
	}
	if (rq->body_len == 0) {
		json_decref(p.a);
		return sw_resp_error(rs, 400, NULL, "the file is empty");
	}
	memset(&stats, 0, sizeof stats);
	sw_errbuf_clear(&eb);
	o.dry_run = dry_run;
	rc = sw_import_buffer_opts(rq->st, rq->body, rq->body_len, &o, &stats, problem, &p, &eb);
	if (rc == SW_EINVAL && p.n) {
		return sw_resp_json(rs, 400, json_pack("{s:s, s:o, s:I}", "error",
						       "the file has problems: nothing was imported",
						       "problems", p.a, "problem_count", (json_int_t)p.n));
	}
	json_decref(p.a);
	if (rc)
		return sw_resp_from_err(rs, rc, &eb);
	added = json_object();
	for (int e = 0; e < SW_ENT__COUNT; e++) {
		char key[32];

		snprintf(key, sizeof key, "%ss", sw_entity_get(e)->name);
		json_object_set_new(added, key, json_integer((json_int_t)stats.added[e]));
	}
	return sw_resp_json(rs, 200, json_pack("{s:o, s:s, s:I, s:b}", "imported", added, "kind",
					       sw_import_kind_name(stats.kind), "rows",
					       (json_int_t)stats.rows, "dry_run", dry_run));
}
