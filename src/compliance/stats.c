/*
 * stats.c - the statistics supervisors report (issue 10): sites by
 * status, review completion, identification completeness, MLPS graded /
 * filed / assessed on time, open findings by kind and severity, incidents,
 * and rectification items, for one scope.
 *
 * Definitions (docs/compliance.md repeats them; the tests recompute each
 * with plain SQL):
 * - identification counts online sites only (what the public sees);
 * - MLPS and reviews count every site that is not closed;
 * - a review item is overdue when undecided after its campaign's deadline;
 * - open findings are those of each site's latest check.
 * - incidents (incstats.c): every incident of an in-scope site, with
 *   detection to recovery over the recovered ones.
 */
#include "compliance/stats.h"

#include <string.h>

#include "model/finding.h"

/* Adds n to the integer member key of object o. */
static void bump(json_t *o, const char *key, json_int_t n)
{
	json_t *v = json_object_get(o, key);

	json_object_set_new(o, key, json_integer((v ? json_integer_value(v) : 0) + n));
}

/* A ratio rounded to four places, or null when the denominator is 0. */
static json_t *ratio(int64_t num, int64_t den)
{
	return den ? json_real((double)(int64_t)((double)num / (double)den * 10000.0 + 0.5) / 10000.0)
		   : json_null();
}

struct counts {
	const struct sw_cmp_view *v;
	json_t *fkind, *fsev, *rstatus;
	int64_t f_open;
	int64_t rv_items, rv_decided, rv_approved, rv_rejected, rv_overdue;
	int64_t t_open, t_done;
	int64_t r_total, r_overdue, r_ready;
};

/* The in-scope site of a row, or NULL. */
static const struct sw_cmp_site *scoped(const struct counts *c, int64_t site_id)
{
	const struct sw_cmp_site *s = sw_cmp_view_find(c->v, site_id);

	return s && s->in_scope ? s : NULL;
}

static int finding_cb(void *arg, const struct sw_cmp_row *r)
{
	struct counts *c = arg;
	const char *kind = r->s[SW_OF_KIND], *dot = kind ? strchr(kind, '.') : NULL;
	char fam[64];

	if (!scoped(c, r->i[SW_OF_SITE]) || !kind)
		return 0;
	snprintf(fam, sizeof fam, "%.*s", dot ? (int)(dot - kind) : (int)strlen(kind), kind);
	bump(c->fkind, fam, 1);
	bump(c->fsev, r->s[SW_OF_SEVERITY] ? r->s[SW_OF_SEVERITY] : "info", 1);
	c->f_open++;
	return 0;
}

static int review_cb(void *arg, const struct sw_cmp_row *r)
{
	struct counts *c = arg;
	const struct sw_cmp_site *s = scoped(c, r->i[SW_RV_SITE]);
	const char *d = r->s[SW_RV_DECISION];

	if (!s || !strcmp(s->status, "closed"))
		return 0;
	c->rv_items++;
	if (d) {
		c->rv_decided++;
		c->rv_approved += !strcmp(d, "approved");
		c->rv_rejected += !strcmp(d, "rejected");
	} else if (r->s[SW_RV_DEADLINE] && strcmp(r->s[SW_RV_DEADLINE], c->v->today) < 0) {
		c->rv_overdue++;
	}
	return 0;
}

static int task_cb(void *arg, const struct sw_cmp_row *r)
{
	struct counts *c = arg;

	if (!scoped(c, r->i[SW_TASK_SITE]))
		return 0;
	if (!strcmp(r->s[SW_TASK_STATUS], "open"))
		c->t_open++;
	else
		c->t_done++;
	return 0;
}

static int rect_cb(void *arg, const struct sw_cmp_row *r)
{
	struct counts *c = arg;

	if (!scoped(c, r->i[SW_RECT_SITE]))
		return 0;
	c->r_total++;
	bump(c->rstatus, r->s[SW_RECT_STATUS], 1);
	c->r_overdue += !strcmp(r->s[SW_RECT_STATUS], "overdue");
	c->r_ready += r->i[SW_RECT_READY] != 0 && strcmp(r->s[SW_RECT_STATUS], "verified");
	return 0;
}

/* Sites by status, identification and MLPS from the view. */
static void site_figures(const struct sw_cmp_view *v, json_t *o)
{
	static const char *const statuses[] = {"planned", "pre-launch", "online", "suspended",
					       "closed"};
	json_t *by = json_object(), *id = json_object(), *m = json_object();
	int64_t total = 0, online = 0, idn[3] = {0}, unchecked = 0, active = 0, graded = 0,
		filed = 0, need_filing = 0, due[6] = {0};

	for (size_t k = 0; k < 5; k++)
		json_object_set_new(by, statuses[k], json_integer(0));
	for (size_t i = 0; i < v->n; i++) {
		const struct sw_cmp_site *s = &v->v[i];

		if (!s->in_scope)
			continue;
		total++;
		bump(by, s->status, 1);
		if (!strcmp(s->status, "online")) {
			online++;
			idn[s->ident]++;
			unchecked += s->last_check == 0;
		}
		if (!strcmp(s->status, "closed"))
			continue;
		active++;
		graded += s->grade > 0;
		need_filing += s->grade >= 2;
		filed += s->grade >= 2 && s->filed;
		due[s->due]++;
	}
	json_object_set_new(o, "sites", json_pack("{s:I, s:o}", "total", (json_int_t)total,
						   "by_status", by));
	json_object_set_new(id, "sites", json_integer(online));
	for (int k = 0; k < 3; k++)
		json_object_set_new(id, sw_ident_name((enum sw_ident)k), json_integer(idn[k]));
	json_object_set_new(id, "unchecked", json_integer(unchecked));
	json_object_set_new(id, "completeness", ratio(idn[SW_IDENT_COMPLETE], online));
	json_object_set_new(o, "identification", id);
	json_object_set_new(m, "sites", json_integer(active));
	json_object_set_new(m, "graded", json_integer(graded));
	json_object_set_new(m, "ungraded", json_integer(active - graded));
	json_object_set_new(m, "filing_required", json_integer(need_filing));
	json_object_set_new(m, "filed", json_integer(filed));
	json_object_set_new(m, "assessment_required",
			    json_integer(due[SW_MLPS_NEVER_ASSESSED] + due[SW_MLPS_OVERDUE] +
					 due[SW_MLPS_DUE_SOON] + due[SW_MLPS_ON_TIME]));
	json_object_set_new(m, "assessed_on_time",
			    json_integer(due[SW_MLPS_DUE_SOON] + due[SW_MLPS_ON_TIME]));
	json_object_set_new(m, "due_soon", json_integer(due[SW_MLPS_DUE_SOON]));
	json_object_set_new(m, "overdue", json_integer(due[SW_MLPS_OVERDUE]));
	json_object_set_new(m, "never_assessed", json_integer(due[SW_MLPS_NEVER_ASSESSED]));
	json_object_set_new(o, "mlps", m);
}

/* Every severity and every finding family present with 0 at least, so
 * a report's columns do not depend on the data. */
static void zero_findings(json_t *fkind, json_t *fsev)
{
	size_t n;
	const struct sw_finding_kind *k = sw_finding_kinds(&n);

	for (int s = 0; s <= SW_SEV_CRITICAL; s++)
		json_object_set_new(fsev, sw_sev_name((enum sw_sev)s), json_integer(0));
	for (size_t i = 0; i < n; i++)
		json_object_set_new(fkind, k[i].family, json_integer(0));
}

enum sw_err sw_stats_json(struct sw_store *st, const struct sw_stats_scope *sc, int64_t now,
			  json_t **out, struct sw_errbuf *eb)
{
	static const char *const rst[] = {"open", "in_progress", "fixed", "verified", "overdue"};
	struct sw_cmp_view v;
	struct counts c = {.v = &v};
	json_t *o, *inc = NULL;
	enum sw_err rc;

	*out = NULL;
	if ((rc = sw_cmp_view_load(st, sc, now, &v, eb)))
		return rc;
	c.fkind = json_object();
	c.fsev = json_object();
	c.rstatus = json_object();
	zero_findings(c.fkind, c.fsev);
	for (size_t k = 0; k < 5; k++)
		json_object_set_new(c.rstatus, rst[k], json_integer(0));
	rc = sw_store_cmp_open_findings(st, finding_cb, &c, eb);
	if (!rc)
		rc = sw_store_cmp_reviews(st, review_cb, &c, eb);
	if (!rc)
		rc = sw_store_tasks(st, 0, 0, task_cb, &c, eb);
	if (!rc)
		rc = sw_store_rects(st, NULL, rect_cb, &c, eb);
	if (!rc)
		rc = sw_cmp_incident_figures(st, &v, 0, 0, &inc, eb);
	if (rc) {
		json_decref(c.fkind);
		json_decref(c.fsev);
		json_decref(c.rstatus);
		sw_cmp_view_cleanup(&v);
		return rc;
	}
	o = json_object();
	json_object_set_new(o, "as_of", json_string(v.today));
	json_object_set_new(o, "scope", json_pack("{s:s?, s:s?, s:I, s:I}", "region",
						  sc ? sc->region : NULL, "unit_type",
						  sc ? sc->unit_type : NULL, "dept",
						  (json_int_t)(sc ? sc->dept_id : 0), "group",
						  (json_int_t)(sc ? sc->group_id : 0)));
	site_figures(&v, o);
	json_object_set_new(o, "reviews",
			    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:I}", "items",
				      (json_int_t)c.rv_items, "decided", (json_int_t)c.rv_decided,
				      "approved", (json_int_t)c.rv_approved, "rejected",
				      (json_int_t)c.rv_rejected, "pending",
				      (json_int_t)(c.rv_items - c.rv_decided), "overdue",
				      (json_int_t)c.rv_overdue, "completion",
				      ratio(c.rv_decided, c.rv_items), "tasks_open",
				      (json_int_t)c.t_open, "tasks_done", (json_int_t)c.t_done));
	json_object_set_new(o, "findings", json_pack("{s:I, s:o, s:o}", "open", (json_int_t)c.f_open,
						     "by_kind", c.fkind, "by_severity", c.fsev));
	json_object_set_new(o, "incidents", inc);
	json_object_set_new(o, "rectification",
			    json_pack("{s:I, s:o, s:I, s:I}", "total", (json_int_t)c.r_total,
				      "by_status", c.rstatus, "overdue", (json_int_t)c.r_overdue,
				      "ready_to_verify", (json_int_t)c.r_ready));
	sw_cmp_view_cleanup(&v);
	*out = o;
	return SW_OK;
}
