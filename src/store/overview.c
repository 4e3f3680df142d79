/*
 * overview.c - the dashboard's overview and its daily rollups (0010).
 *
 * Facts that shaped it: at 100,000 sites a year of five-minute checks is
 * ten billion rows, so the overview never touches `checks`.  The current
 * picture comes from site_state (one row per site) in one pass whose rows
 * are bucketed in C (status, child region, unit type: each a tiny table,
 * the region by two code digits, so the pass costs one array index per
 * site); open findings come from the latest check of only the sites that
 * have any (a partial index); the trend comes from the rollups.  Wide
 * views (everything, a region, a unit type, a region-scoped supervisor)
 * read region_daily, about 30 x regions x types rows; narrow ones (a
 * group, a department's or an operator's sites) sum site_daily over their
 * sites.  Scoping is the same SQL as every list (scope.c).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/finding.h"
#include "store/backend.h"
#include "store/overview.h"
#include "store/scope.h"

/* Filters after the scope's ?1..?5: region range ?6 ?7, unit type ?8,
 * group ?9; the site trend's days are ?10 ?11. */
#define FILT                                                                          \
	" AND (CAST(?6 AS TEXT) IS NULL OR (u.region >= ?6 AND u.region < ?7))"         \
	" AND (CAST(?8 AS TEXT) IS NULL OR u.type = ?8)"                                \
	" AND (CAST(?9 AS BIGINT) IS NULL OR x.group_id = ?9)"

enum { Q_STATE, Q_FIND, Q_TOP, Q_TREND_SITE, Q_OVERDUE, Q__N };

static const char *const q_head[Q__N] = {
	[Q_STATE] = "SELECT x.status, u.region, u.type, t.up, t.open_findings FROM sites x "
		    "JOIN units u ON u.id = x.unit_id LEFT JOIN site_state t ON t.site_id = x.id "
		    "WHERE ",
	[Q_FIND] = "SELECT cf.kind, cf.severity, count(*) FROM site_state t JOIN sites x ON "
		   "x.id = t.site_id JOIN units u ON u.id = x.unit_id JOIN check_findings cf ON "
		   "cf.check_id = t.last_check_id WHERE t.open_findings > 0 AND ",
	[Q_TOP] = "SELECT x.id, x.name, t.open_findings, t.last_check_id FROM site_state t "
		  "JOIN sites x ON x.id = t.site_id JOIN units u ON u.id = x.unit_id WHERE "
		  "t.open_findings > 0 AND ",
	[Q_TREND_SITE] = "SELECT sd.day, sum(sd.checks), sum(sd.up_checks), sum(sd.findings) "
			 "FROM sites x JOIN units u ON u.id = x.unit_id JOIN site_daily sd ON "
			 "sd.site_id = x.id AND sd.day >= ?10 AND sd.day <= ?11 WHERE ",
	/* Overdue: alerts still open (not acknowledged) after a day (?10 is
	 * now - 1 day), open incidents with a reporting step past its
	 * deadline, rectifications marked overdue or past their deadline (?11
	 * is today as YYYY-MM-DD).  One statement: the three subqueries reuse
	 * the scope's parameters. */
	[Q_OVERDUE] = ("SELECT (SELECT count(*) FROM alerts a JOIN sites x ON x.id = a.site_id "
		       "JOIN units u ON u.id = x.unit_id WHERE a.state = 'open' AND "
		       "a.first_seen < ?10 AND "),
};
static const char *const q_tail[Q__N] = {
	[Q_STATE] = "",
	[Q_FIND] = " GROUP BY cf.kind, cf.severity",
	[Q_TOP] = " ORDER BY t.open_findings DESC, x.id LIMIT 10",
	[Q_TREND_SITE] = " GROUP BY sd.day",
	[Q_OVERDUE] = "", /* OVERDUE_TAIL */
};

/* The rest of the overdue query: the scope twice more. */
#define OVERDUE_TAIL                                                                          \
	"), (SELECT count(*) FROM incidents i JOIN sites x ON x.id = i.site_id JOIN " \
	"units u ON u.id = x.unit_id WHERE i.state = 'open' AND EXISTS (SELECT 1 FROM " \
	"incident_overdue o WHERE o.incident_id = i.id) AND %s" FILT "), (SELECT " \
	"count(*) FROM rectifications r JOIN sites x ON x.id = r.site_id JOIN units u ON " \
	"u.id = x.unit_id WHERE (r.status = 'overdue' OR (r.status IN ('open', " \
	"'in_progress') AND r.deadline < ?11)) AND %s" FILT ")"

/* The texts are built once per process: the statement cache keys on
 * their address. */
static char q_sql[Q__N][SW_SQL_MAX];
static pthread_once_t q_once = PTHREAD_ONCE_INIT;

static void q_build(void)
{
	const char *scope = sw__scope_sql(SW_ENT_SITE);

	for (int i = 0; i < Q__N; i++) {
		sw__sql_cat(q_sql[i], "%s%s" FILT, q_head[i], scope);
		/* The overdue tail repeats the scope in two more subqueries. */
		if (i == Q_OVERDUE)
			sw__sql_cat(q_sql[i], OVERDUE_TAIL, scope, scope);
		else
			sw__sql_cat(q_sql[i], "%s", q_tail[i]);
	}
}

static const char sql_trend_region[] =
	"SELECT day, sum(checks), sum(up_checks), sum(findings) FROM region_daily "
	"WHERE day >= ?1 AND day <= ?2 AND (CAST(?3 AS TEXT) IS NULL OR (region >= ?3 AND "
	"region < ?4)) AND (CAST(?5 AS TEXT) IS NULL OR (region >= ?5 AND region < ?6)) AND "
	"(CAST(?7 AS TEXT) IS NULL OR unit_type = ?7) GROUP BY day";

/* Bound values of one query; they outlive its run. */
struct qvals {
	struct sw__scope_vals sv;
	char lo[7], hi[7];
};

/* Prepares query i and binds the scope and the filters of q. */
static enum sw_err q_start(struct sw_store *st, int i, const struct sw_overview_q *q,
			   struct qvals *v, struct sw_stmt **s, struct sw_errbuf *eb)
{
	enum sw_err rc;

	pthread_once(&q_once, q_build);
	if ((rc = sw__store_q(st, q_sql[i], s, eb)))
		return rc;
	if ((rc = sw__scope_bind(st, *s, q->acc, &v->sv, eb)))
		goto fail;
	if (q->region) {
		if ((rc = sw__region_range(q->region, v->lo, v->hi, "region", eb)))
			goto fail;
		st->ops->bind_text(*s, 6, v->lo);
		st->ops->bind_text(*s, 7, v->hi);
	}
	st->ops->bind_text(*s, 8, q->unit_type);
	if (q->group_id)
		st->ops->bind_int(*s, 9, q->group_id);
	return SW_OK;
fail:
	sw__store_q_done(st, *s);
	return rc;
}

/* A small counter table keyed by short strings (statuses, unit types,
 * kind families): at most SLOTS keys, later ones go to "other". */
#define SLOTS 32
struct tally {
	char key[SLOTS][40];
	int64_t n[SLOTS][3]; /* sites (or count), down, open findings */
	int used;
};

static int64_t *tally_at(struct tally *t, const char *key)
{
	int i;

	key = key ? key : "";
	for (i = 0; i < t->used; i++)
		if (!strcmp(t->key[i], key))
			return t->n[i];
	if (t->used == SLOTS - 1)
		key = "other";
	for (i = 0; i < t->used; i++)
		if (!strcmp(t->key[i], key))
			return t->n[i];
	snprintf(t->key[t->used], sizeof t->key[0], "%s", key);
	return t->n[t->used++];
}

/* Where the asked region's children sit in a code: digits [pos, pos+2). */
static int child_pos(const char *region)
{
	if (!region)
		return 0;
	if (!strcmp(region + 2, "0000"))
		return 2;
	if (!strcmp(region + 4, "00"))
		return 4;
	return -1; /* a county: it is its own only child */
}

/* Figures of the current state, from one pass over the view's sites. */
struct state_sums {
	int64_t total, up, down, unchecked;
	struct tally status, type;
	int64_t region[100][3]; /* by the child's two digits: sites, down, open */
	char region_code[100][7];
};

static enum sw_err state_pass(struct sw_store *st, const struct sw_overview_q *q,
			      struct state_sums *m, struct sw_errbuf *eb)
{
	int pos = q->region ? child_pos(q->region) : 0;
	struct sw_stmt *s;
	struct qvals v;
	enum sw_err rc;
	int row;

	if ((rc = q_start(st, Q_STATE, q, &v, &s, eb)))
		return rc;
	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		const char *reg = st->ops->col_text(s, 1);
		int checked = !st->ops->col_null(s, 3), down = checked && !st->ops->col_int(s, 3);
		int64_t open = st->ops->col_int(s, 4), *c;
		int slot = 0;

		m->total++;
		m->up += checked && !down;
		m->down += down;
		m->unchecked += !checked;
		tally_at(&m->status, st->ops->col_text(s, 0))[0]++;
		c = tally_at(&m->type, st->ops->col_text(s, 2));
		c[0]++, c[1] += down, c[2] += open;
		if (reg && strlen(reg) == 6 && pos >= 0)
			slot = (reg[pos] - '0') * 10 + (reg[pos + 1] - '0');
		if (slot < 0 || slot > 99)
			continue;
		if (!m->region_code[slot][0] && reg && strlen(reg) == 6) {
			/* The child's code: the kept digits, zeros after. */
			snprintf(m->region_code[slot], 7, "%s", reg);
			for (int i = pos < 0 ? 6 : pos + 2; i < 6; i++)
				m->region_code[slot][i] = '0';
		}
		m->region[slot][0]++, m->region[slot][1] += down, m->region[slot][2] += open;
	}
	sw__store_q_done(st, s);
	return rc;
}

/* The name of region `code` from the regions table, or the code. */
static json_t *region_name(struct sw_store *st, const char *code)
{
	const struct sw_entity *ent = sw_entity_get(SW_ENT_REGION);
	struct sw_rec r;
	int64_t id;
	json_t *out = NULL;

	if (sw_store_find(st, ent, sw_field_index(SW_ENT_REGION, "code"), code, &id, NULL, NULL) ==
		    SW_OK &&
	    sw_store_get(st, ent, id, &r, NULL) == SW_OK) {
		const char *name = sw_rec_get(&r, sw_field_index(SW_ENT_REGION, "name"));

		out = name ? json_string(name) : NULL;
		sw_rec_cleanup(&r);
	}
	return out ? out : json_string(code);
}

/* Sets the "sites", "by_region" and "by_unit_type" members of o. */
static void state_json(struct sw_store *st, const struct state_sums *m, json_t *o)
{
	json_t *by_status = json_object(), *regions = json_array(), *types = json_array();

	for (int i = 0; i < m->status.used; i++)
		json_object_set_new(by_status, m->status.key[i], json_integer(m->status.n[i][0]));
	json_object_set_new(o, "sites",
			    json_pack("{s:I, s:o, s:I, s:I, s:I}", "total", (json_int_t)m->total,
				      "by_status", by_status, "up", (json_int_t)m->up, "down",
				      (json_int_t)m->down, "unchecked", (json_int_t)m->unchecked));
	for (int i = 0; i < 100; i++)
		if (m->region[i][0])
			json_array_append_new(
				regions, json_pack("{s:s, s:o, s:I, s:I, s:I}", "code", m->region_code[i],
						   "name", region_name(st, m->region_code[i]), "sites",
						   (json_int_t)m->region[i][0], "down",
						   (json_int_t)m->region[i][1], "open_findings",
						   (json_int_t)m->region[i][2]));
	for (int i = 0; i < m->type.used; i++)
		json_array_append_new(types, json_pack("{s:s, s:I, s:I, s:I}", "unit_type",
						       m->type.key[i], "sites",
						       (json_int_t)m->type.n[i][0], "down",
						       (json_int_t)m->type.n[i][1], "open_findings",
						       (json_int_t)m->type.n[i][2]));
	json_object_set_new(o, "by_region", regions);
	json_object_set_new(o, "by_unit_type", types);
}

/* Sets "findings": open findings by kind family and by severity. */
static enum sw_err findings_json(struct sw_store *st, const struct sw_overview_q *q, json_t *o,
				 struct sw_errbuf *eb)
{
	json_t *kinds = json_object(), *sevs = json_object();
	struct tally fam = {.used = 0}, sev = {.used = 0};
	struct sw_stmt *s;
	struct qvals v;
	enum sw_err rc;
	int row;

	if ((rc = q_start(st, Q_FIND, q, &v, &s, eb)))
		goto out;
	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		const char *kind = st->ops->col_text(s, 0);
		const struct sw_finding_kind *k = sw_finding_kind(kind ? kind : "");
		char f[40];
		int64_t n = st->ops->col_int(s, 2);

		snprintf(f, sizeof f, "%.*s", k ? (int)strlen(k->family) : (int)strcspn(kind ? kind : "", "."),
			 k ? k->family : kind ? kind : "");
		tally_at(&fam, f)[0] += n;
		tally_at(&sev, st->ops->col_text(s, 1))[0] += n;
	}
	sw__store_q_done(st, s);
	for (int i = 0; i < fam.used; i++)
		json_object_set_new(kinds, fam.key[i], json_integer(fam.n[i][0]));
	for (int i = 0; i < sev.used; i++)
		json_object_set_new(sevs, sev.key[i], json_integer(sev.n[i][0]));
out:
	json_object_set_new(o, "findings", json_pack("{s:o, s:o}", "by_kind", kinds, "by_severity",
						     sevs));
	return rc;
}

/* Keeps the worst severity of a check's findings. */
static int worst_cb(void *arg, const struct sw_check_finding *f)
{
	int *w = arg, s = sw_sev_parse(f->severity);

	if (s > *w)
		*w = s;
	return 0;
}

/* Sets "top_sites": the 10 sites with the most open findings. */
static enum sw_err top_json(struct sw_store *st, const struct sw_overview_q *q, json_t *o,
			    struct sw_errbuf *eb)
{
	struct { int64_t id, open, check; char name[256]; } top[10];
	json_t *a = json_array();
	struct sw_stmt *s;
	struct qvals v;
	enum sw_err rc;
	int row, n = 0;

	json_object_set_new(o, "top_sites", a);
	if ((rc = q_start(st, Q_TOP, q, &v, &s, eb)))
		return rc;
	while (n < 10 && !(rc = st->ops->step(s, &row, eb)) && row) {
		const char *name = st->ops->col_text(s, 1);

		top[n].id = st->ops->col_int(s, 0);
		snprintf(top[n].name, sizeof top[n].name, "%s", name ? name : "");
		top[n].open = st->ops->col_int(s, 2);
		top[n].check = st->ops->col_int(s, 3);
		n++;
	}
	sw__store_q_done(st, s);
	/* The findings are read after the walk: one statement at a time. */
	for (int i = 0; i < n && !rc; i++) {
		int worst = -1;

		rc = sw_store_check_findings(st, top[i].check, worst_cb, &worst, eb);
		json_array_append_new(a, json_pack("{s:I, s:s, s:I, s:s?}", "id", (json_int_t)top[i].id,
						   "name", top[i].name, "open_findings",
						   (json_int_t)top[i].open, "worst_severity",
						   worst >= 0 ? sw_sev_name(worst) : NULL));
	}
	return rc;
}

/* Daily sums of the trend, index 0 the first day. */
struct trend {
	int64_t first_day;
	int days;
	int64_t v[366][3]; /* checks, up checks, findings */
};

/* Reads (day, checks, up, findings) rows of s into t. */
static enum sw_err trend_rows(struct sw_store *st, struct sw_stmt *s, struct trend *t,
			      struct sw_errbuf *eb)
{
	enum sw_err rc;
	int row;

	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		int64_t d = st->ops->col_int(s, 0) - t->first_day;

		if (d < 0 || d >= t->days)
			continue;
		for (int k = 0; k < 3; k++)
			t->v[d][k] = st->ops->col_int(s, k + 1);
	}
	return rc;
}

/* Whether the view is wide enough for region_daily: no group, and a scope
 * (if any) of a region only. */
static int trend_by_region(const struct sw_overview_q *q)
{
	const struct sw_access *a = q->acc;

	if (q->group_id)
		return 0;
	return !a || (a->region && *a->region && a->dept_id <= 0 && a->unit_id <= 0);
}

static enum sw_err trend_fill(struct sw_store *st, const struct sw_overview_q *q, struct trend *t,
			      struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	struct qvals v;
	char alo[7], ahi[7];
	enum sw_err rc;

	if (!trend_by_region(q)) {
		if ((rc = q_start(st, Q_TREND_SITE, q, &v, &s, eb)))
			return rc;
		st->ops->bind_int(s, 10, t->first_day);
		st->ops->bind_int(s, 11, t->first_day + t->days - 1);
		rc = trend_rows(st, s, t, eb);
		sw__store_q_done(st, s);
		return rc;
	}
	if ((rc = sw__store_q(st, sql_trend_region, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, t->first_day);
	st->ops->bind_int(s, 2, t->first_day + t->days - 1);
	if (q->region && !(rc = sw__region_range(q->region, v.lo, v.hi, "region", eb))) {
		st->ops->bind_text(s, 3, v.lo);
		st->ops->bind_text(s, 4, v.hi);
	}
	if (!rc && q->acc && !(rc = sw__region_range(q->acc->region, alo, ahi, "region", eb))) {
		st->ops->bind_text(s, 5, alo);
		st->ops->bind_text(s, 6, ahi);
	}
	st->ops->bind_text(s, 7, q->unit_type);
	if (!rc)
		rc = trend_rows(st, s, t, eb);
	sw__store_q_done(st, s);
	return rc;
}

/* Sets "trend": one entry per day, oldest first. */
static enum sw_err trend_json(struct sw_store *st, const struct sw_overview_q *q, json_t *o,
			      struct sw_errbuf *eb)
{
	struct trend *t = calloc(1, sizeof *t);
	json_t *a = json_array();
	enum sw_err rc;

	json_object_set_new(o, "trend", a);
	if (!t)
		return SW_ENOMEM;
	t->days = q->days < 1 ? 30 : q->days > 366 ? 366 : q->days;
	t->first_day = q->now / 86400 - t->days + 1;
	rc = trend_fill(st, q, t, eb);
	for (int i = 0; i < t->days && !rc; i++) {
		time_t day = (time_t)((t->first_day + i) * 86400);
		struct tm tm;
		char ds[16];

		gmtime_r(&day, &tm);
		strftime(ds, sizeof ds, "%Y-%m-%d", &tm);
		json_array_append_new(a, json_pack("{s:s, s:I, s:I, s:o}", "day", ds, "findings",
						   (json_int_t)t->v[i][2], "checks",
						   (json_int_t)t->v[i][0], "availability",
						   t->v[i][0] ? json_real((double)t->v[i][1] /
									  (double)t->v[i][0])
							      : json_null()));
	}
	free(t);
	return rc;
}

/* Sets "overdue": alerts, incidents and rectifications past due. */
static enum sw_err overdue_json(struct sw_store *st, const struct sw_overview_q *q, json_t *o,
				struct sw_errbuf *eb)
{
	time_t now = (time_t)q->now;
	struct sw_stmt *s;
	struct qvals v;
	struct tm tm;
	char today[16];
	enum sw_err rc;
	int row = 0;
	int64_t n[3] = {0, 0, 0};

	gmtime_r(&now, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	if ((rc = q_start(st, Q_OVERDUE, q, &v, &s, eb)))
		return rc;
	st->ops->bind_int(s, 10, q->now - 86400);
	st->ops->bind_text(s, 11, today);
	if (!(rc = st->ops->step(s, &row, eb)) && row)
		for (int i = 0; i < 3; i++)
			n[i] = st->ops->col_int(s, i);
	sw__store_q_done(st, s);
	json_object_set_new(o, "overdue", json_pack("{s:I, s:I, s:I}", "alerts", (json_int_t)n[0],
						    "incidents", (json_int_t)n[1],
						    "rectifications", (json_int_t)n[2]));
	return rc;
}

enum sw_err sw_store_overview(struct sw_store *st, const struct sw_overview_q *q, json_t **out,
			      struct sw_errbuf *eb)
{
	struct state_sums *m = calloc(1, sizeof *m);
	json_t *o = json_object();
	enum sw_err rc = m ? SW_OK : SW_ENOMEM;

	*out = NULL;
	if (!rc && q->region && (strlen(q->region) != 6 || strspn(q->region, "0123456789") != 6))
		rc = sw_errf_field(eb, SW_EINVAL, "region", "region must be a six-digit code");
	if (!rc)
		rc = state_pass(st, q, m, eb);
	if (!rc)
		state_json(st, m, o);
	if (!rc)
		rc = findings_json(st, q, o, eb);
	if (!rc)
		rc = trend_json(st, q, o, eb);
	if (!rc)
		rc = top_json(st, q, o, eb);
	if (!rc)
		rc = overdue_json(st, q, o, eb);
	free(m);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return SW_OK;
}

/* ---- the rollups ---- */

static const char sql_daily_get[] = "SELECT findings FROM site_daily WHERE site_id = ?1 AND day = ?2";
static const char sql_daily_put[] =
	"INSERT INTO site_daily (site_id, day, checks, up_checks, findings) VALUES (?1, ?2, ?3, "
	"?4, ?5) ON CONFLICT (site_id, day) DO UPDATE SET checks = site_daily.checks + "
	"excluded.checks, up_checks = site_daily.up_checks + excluded.up_checks, findings = "
	"excluded.findings";
/* The region and unit type are the site's at the time of the check. */
static const char sql_region_put[] =
	"INSERT INTO region_daily (day, region, unit_type, checks, up_checks, findings) "
	"SELECT CAST(?1 AS INTEGER), u.region, u.type, CAST(?2 AS BIGINT), CAST(?3 AS BIGINT), "
	"CAST(?4 AS BIGINT) FROM sites s JOIN units u ON u.id = s.unit_id "
	"WHERE s.id = ?5 ON CONFLICT (day, region, unit_type) DO UPDATE SET checks = "
	"region_daily.checks + excluded.checks, up_checks = region_daily.up_checks + "
	"excluded.up_checks, findings = region_daily.findings + excluded.findings";

/* Runs a prepared write to its end and resets it. */
static enum sw_err run_done(struct sw_store *st, struct sw_stmt *s, struct sw_errbuf *eb)
{
	enum sw_err rc;
	int row;

	do
		rc = st->ops->step(s, &row, eb);
	while (!rc && row);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_daily_add(struct sw_store *st, int64_t site_id, int64_t day,
			       int64_t checks, int64_t up_checks, int64_t findings,
			       struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	int64_t old = 0;
	enum sw_err rc;
	int row = 0;

	/* The day's findings are its latest check's: the region row moves by
	 * the difference to what the site's day row held. */
	if ((rc = sw__store_q(st, sql_daily_get, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, day);
	if (!(rc = st->ops->step(s, &row, eb)) && row)
		old = st->ops->col_int(s, 0);
	sw__store_q_done(st, s);
	if (rc || (rc = sw__store_q(st, sql_daily_put, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, day);
	st->ops->bind_int(s, 3, checks);
	st->ops->bind_int(s, 4, up_checks);
	st->ops->bind_int(s, 5, findings);
	if ((rc = run_done(st, s, eb)) || (rc = sw__store_q(st, sql_region_put, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, day);
	st->ops->bind_int(s, 2, checks);
	st->ops->bind_int(s, 3, up_checks);
	st->ops->bind_int(s, 4, findings - old);
	st->ops->bind_int(s, 5, site_id);
	return run_done(st, s, eb);
}

enum sw_err sw__overview_note(struct sw_store *st, int64_t site_id, int64_t checked_at, int up,
			      size_t n, struct sw_errbuf *eb)
{
	return sw_store_daily_add(st, site_id, checked_at / 86400, 1, up ? 1 : 0, (int64_t)n, eb);
}

static const char sql_site_daily[] =
	"SELECT day, checks, up_checks, findings FROM site_daily WHERE site_id = ?1 AND day <= ?2 "
	"ORDER BY day DESC LIMIT ?3";

enum sw_err sw_store_site_daily(struct sw_store *st, int64_t site_id, int64_t last_day,
				int days,
				int (*cb)(void *arg, int64_t day, int64_t checks, int64_t up,
					  int64_t findings),
				void *arg, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql_site_daily, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, last_day);
	st->ops->bind_int(s, 3, days);
	while (!(rc = st->ops->step(s, &row, eb)) && row)
		if (cb(arg, st->ops->col_int(s, 0), st->ops->col_int(s, 1), st->ops->col_int(s, 2),
		       st->ops->col_int(s, 3)))
			break;
	sw__store_q_done(st, s);
	return rc;
}
