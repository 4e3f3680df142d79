/*
 * copy.c - the generic table copy behind `sitewarden migrate` (copy.h).
 *
 * Tables and columns are read from the source's catalog (sqlite_master and
 * pragma_table_info on SQLite, information_schema on PostgreSQL): the only
 * dialect differences here.  Values travel as text, which both backends
 * take for any column type (SQLite applies the column's affinity,
 * PostgreSQL parses the text for the column's type), except blob columns,
 * which travel as bytes.  Names from the catalog are checked to be plain
 * identifiers before they are put into SQL: the source file may be old or
 * odd, never trusted.
 */
#include "store/copy.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/backend.h"

#define COLS_MAX 64

/* The register's tables (copied by the caller) and the store's own. */
static const char *const skip[] = {
	"regions", "departments", "units", "site_groups", "sites", "site_domains", "persons",
	"site_persons", "policy_settings", "schema_migrations", NULL,
};

/* Known tables in copy order: what a row refers to comes first. */
static const char *const order[] = {
	"snapshots", "site_schedule", "checks", "check_findings", "site_state",
	"site_probe_marks", "site_daily", "region_daily", "baselines",
	"users", "sessions", "api_tokens", "audit_log",
	"agents", "agent_events", "agent_findings",
	"channels", "alerts", "alert_checks", "alert_silences", "notify_queue",
	"incidents", "incident_alerts", "incident_steps", "incident_overdue", "response_plans",
	"drills",
	"evidence_blobs", "evidence_ledger", "evidence_signatures",
	"review_campaigns", "review_items", "review_tasks", "status_overrides", "gate_checks",
	"mlps_gradings", "mlps_assessments", "rectifications", "rectification_escalations",
	"report_schedules", "report_runs",
	"probe_nodes", "vantage_schedule", NULL,
};

static int is_pg(const struct sw_store *st)
{
	return !strcmp(st->ops->name, "postgresql");
}

/* True for a lower-case SQL identifier that needs no quoting. */
static int plain_name(const char *s)
{
	size_t n = 0;

	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return 0;
	for (; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return n < 64;
}

static int in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (!strcmp(*list, name))
			return 1;
	return 0;
}

/* Runs SQL text built here (from checked names) through a one-off
 * statement: cb gets each row; NULL cb runs a write. */
static enum sw_err query(struct sw_store *st, const char *sql, const char *param,
			 int (*cb)(void *arg, struct sw_store *st, struct sw_stmt *s), void *arg,
			 struct sw_errbuf *eb)
{
	struct sw_stmt *s = NULL;
	enum sw_err rc;
	int row;

	if ((rc = st->ops->prepare(st->db, sql, &s, eb)))
		return rc;
	if (param)
		st->ops->bind_text(s, 1, param);
	while (!(rc = st->ops->step(s, &row, eb)) && row)
		if (cb && cb(arg, st, s))
			break;
	st->ops->finalize(s);
	return rc;
}

/* The tables to copy, in copy order. */
struct tables {
	struct sw_copy_table *t;
	size_t n;
	int bad; /* a name that is no plain identifier, or too many */
};

static int add_table(void *arg, struct sw_store *st, struct sw_stmt *s)
{
	struct tables *ts = arg;
	const char *name = st->ops->col_text(s, 0);

	if (!name || in_list(skip, name))
		return 0;
	if (!plain_name(name) || ts->n == SW_COPY_TABLES_MAX) {
		ts->bad = 1;
		return 1;
	}
	memset(&ts->t[ts->n], 0, sizeof ts->t[ts->n]);
	snprintf(ts->t[ts->n++].name, sizeof ts->t[0].name, "%s", name);
	return 0;
}

/* Rank of a table in copy order: known ones by the list, others after
 * them (by name, the catalog query sorts). */
static size_t rank(const char *name)
{
	size_t i;

	for (i = 0; order[i]; i++)
		if (!strcmp(order[i], name))
			return i;
	return i;
}

static int by_rank(const void *a, const void *b)
{
	const struct sw_copy_table *x = a, *y = b;
	size_t rx = rank(x->name), ry = rank(y->name);

	return rx != ry ? (rx < ry ? -1 : 1) : strcmp(x->name, y->name);
}

/* Lists the source's tables (minus the register's) into out, sorted. */
static enum sw_err list_tables(struct sw_store *st, struct sw_copy_table *out, size_t *n,
			       struct sw_errbuf *eb)
{
	static const char lite[] = "SELECT name FROM sqlite_master WHERE type = 'table' AND "
				   "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
	static const char pg[] = "SELECT table_name FROM information_schema.tables WHERE "
				 "table_schema = current_schema() AND table_type = 'BASE TABLE' "
				 "ORDER BY table_name";
	struct tables ts = {.t = out};
	enum sw_err rc;

	if ((rc = query(st, is_pg(st) ? pg : lite, NULL, add_table, &ts, eb)))
		return rc;
	if (ts.bad)
		return sw_errf(eb, SW_EINVAL, "the source has a table the copy cannot name safely, "
					      "or more than %d tables", SW_COPY_TABLES_MAX);
	qsort(out, ts.n, sizeof *out, by_rank);
	*n = ts.n;
	return SW_OK;
}

/* A table's columns: names and which hold bytes. */
struct cols {
	char name[COLS_MAX][64];
	int blob[COLS_MAX];
	int n, bad, has_id;
};

static int add_col(void *arg, struct sw_store *st, struct sw_stmt *s)
{
	struct cols *c = arg;
	const char *name = st->ops->col_text(s, 0), *type = st->ops->col_text(s, 1);

	if (!plain_name(name) || c->n == COLS_MAX) {
		c->bad = 1;
		return 1;
	}
	snprintf(c->name[c->n], sizeof c->name[0], "%s", name);
	c->blob[c->n] = type && (!strcasecmp(type, "blob") || !strcasecmp(type, "bytea"));
	c->has_id |= !strcmp(name, "id");
	c->n++;
	return 0;
}

static enum sw_err list_cols(struct sw_store *st, const char *table, struct cols *c,
			     struct sw_errbuf *eb)
{
	static const char lite[] = "SELECT name, type FROM pragma_table_info(?1) ORDER BY cid";
	static const char pg[] = "SELECT column_name, data_type FROM information_schema.columns "
				 "WHERE table_schema = current_schema() AND table_name = ?1 "
				 "ORDER BY ordinal_position";
	enum sw_err rc;

	memset(c, 0, sizeof *c);
	if ((rc = query(st, is_pg(st) ? pg : lite, table, add_col, c, eb)))
		return rc;
	if (c->bad || c->n == 0)
		return sw_errf(eb, SW_EINVAL, "table %s: columns the copy cannot name", table);
	return SW_OK;
}

static int read_count(void *arg, struct sw_store *st, struct sw_stmt *s)
{
	*(int64_t *)arg = st->ops->col_int(s, 0);
	return 1;
}

static enum sw_err count_rows(struct sw_store *st, const char *table, int64_t *n,
			      struct sw_errbuf *eb)
{
	char sql[128];

	*n = 0;
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	return query(st, sql, NULL, read_count, n, eb);
}

/* Copying one table: the insert on the target, the first error. */
struct rows {
	struct sw_store *dst;
	struct sw_stmt *ins;
	const struct cols *c;
	enum sw_err rc;
	struct sw_errbuf *eb;
};

/* Inserts the source's current row.  The values are borrowed from the
 * source statement, valid until its next step: the insert runs first. */
static int copy_row(void *arg, struct sw_store *src, struct sw_stmt *s)
{
	struct rows *w = arg;
	const struct sw_store_ops *o = w->dst->ops;
	int row;

	for (int i = 0; i < w->c->n; i++) {
		if (src->ops->col_null(s, i)) {
			o->bind_text(w->ins, i + 1, NULL);
		} else if (w->c->blob[i]) {
			size_t len = 0;
			const void *b = src->ops->col_blob(s, i, &len);

			o->bind_blob(w->ins, i + 1, b ? b : "", len);
		} else {
			o->bind_text(w->ins, i + 1, src->ops->col_text(s, i));
		}
	}
	do
		w->rc = o->step(w->ins, &row, w->eb);
	while (!w->rc && row);
	o->reset(w->ins);
	return w->rc != SW_OK;
}

/* Appends "a, b, c" (names) or "?1, ?2, ?3" (params) to sql. */
static void col_list(char *sql, const struct cols *c, int params)
{
	for (int i = 0; i < c->n; i++) {
		if (params)
			sw__sql_cat(sql, "%s?%d", i ? ", " : "", i + 1);
		else
			sw__sql_cat(sql, "%s%s", i ? ", " : "", c->name[i]);
	}
}

/* Copies table t (empty on dst) and counts both sides. */
static enum sw_err copy_table(struct sw_store *src, struct sw_store *dst,
			      struct sw_copy_table *t, struct sw_errbuf *eb)
{
	char sel[SW_SQL_MAX] = "", ins[SW_SQL_MAX] = "";
	struct cols c;
	struct rows w = {.dst = dst, .c = &c, .eb = eb};
	enum sw_err rc;

	if ((rc = list_cols(src, t->name, &c, eb)) || (rc = count_rows(dst, t->name, &t->dst, eb)))
		return rc;
	if (t->dst)
		return sw_errf(eb, SW_EEXIST, "the target is not empty: %s has %" PRId64 " row(s)",
			       t->name, t->dst);
	sw__sql_cat(sel, "SELECT ");
	col_list(sel, &c, 0);
	sw__sql_cat(sel, " FROM %s ORDER BY 1", t->name);
	sw__sql_cat(ins, "INSERT INTO %s (", t->name);
	col_list(ins, &c, 0);
	sw__sql_cat(ins, ") VALUES (");
	col_list(ins, &c, 1);
	sw__sql_cat(ins, ")");
	if ((rc = dst->ops->prepare(dst->db, ins, &w.ins, eb)))
		return rc;
	rc = query(src, sel, NULL, copy_row, &w, eb);
	dst->ops->finalize(w.ins);
	if (!rc)
		rc = w.rc;
	if (!rc && c.has_id && dst->ops->sync_ids)
		rc = dst->ops->sync_ids(dst->db, t->name, eb);
	if (!rc)
		rc = count_rows(src, t->name, &t->src, eb);
	if (!rc)
		rc = count_rows(dst, t->name, &t->dst, eb);
	return rc;
}

enum sw_err sw_store_copy_rest(struct sw_store *src, struct sw_store *dst,
			       struct sw_copy_table *out, size_t *n, struct sw_errbuf *eb)
{
	enum sw_err rc;

	*n = 0;
	if ((rc = list_tables(src, out, n, eb)))
		return rc;
	for (size_t i = 0; i < *n; i++)
		if ((rc = copy_table(src, dst, &out[i], eb)))
			return rc;
	return SW_OK;
}
