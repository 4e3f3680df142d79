/*
 * api_compliance.c - compliance over HTTP (issue 10): statistics,
 * identification and MLPS here; reviews, rectification and reports in
 * api_compliance_{review,rect,report}.c; the shared helpers and the route
 * table at the end of this file.
 *
 * Handlers are thin: the work is the compliance module's, the same calls
 * the CLI makes, so the API accepts and refuses what the CLI does.  The
 * user's scope goes into the store with every read (sw_stats_scope.acc,
 * sw_rect_filter.acc and the *_in reads), so a supervisor's statistics are
 * computed from its sites only and a list never holds another's rows.
 * Writes check the site first: a scoped user acting on a site it cannot
 * see gets 403 (api_register.c does the same).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compliance/compliance.h"
#include "register/register.h"
#include "server/api_compliance.h"
#include "server/api_json.h"
#include "server/api_register.h"

/* ---- shared helpers ---- */

/* ?dept= and ?group= name a row by id or name. */
static int ref_arg(struct sw_req *rq, struct sw_resp *rs, const char *name, enum sw_ent e,
		   int64_t *out)
{
	const char *v = sw_req_arg(rq, name);
	struct sw_errbuf eb;
	enum sw_err rc;

	if (!v)
		return 0;
	sw_errbuf_clear(&eb);
	if (strlen(v) > SW_CAPI_SHORT_MAX ||
	    (rc = sw_reg_resolve(rq->st, sw_entity_get(e), v, out, &eb))) {
		sw_resp_error(rs, 400, name, "%s: no such %s", name, sw_entity_get(e)->name);
		return -1;
	}
	return 0;
}

int sw__capi_scope(struct sw_req *rq, struct sw_resp *rs, struct sw_stats_scope *sc,
		   struct sw_access *acc_buf)
{
	const char *region = sw_req_arg(rq, "region"), *type = sw_req_arg(rq, "unit_type");

	memset(sc, 0, sizeof *sc);
	sc->acc = sw_api_access(rq->user, acc_buf);
	if (region && (strlen(region) != 6 || strspn(region, "0123456789") != 6)) {
		sw_resp_error(rs, 400, "region", "region must be a six-digit code");
		return -1;
	}
	sc->region = region;
	if (type) {
		const struct sw_entity *u = sw_entity_get(SW_ENT_UNIT);
		const struct sw_enum_val *ev =
			sw_enum_find(u->fields[sw_field_index(SW_ENT_UNIT, "type")].enums, type);

		if (!ev) {
			sw_resp_error(rs, 400, "unit_type", "unit_type: unknown value");
			return -1;
		}
		sc->unit_type = ev->key;
	}
	if (ref_arg(rq, rs, "dept", SW_ENT_DEPT, &sc->dept_id) ||
	    ref_arg(rq, rs, "group", SW_ENT_GROUP, &sc->group_id))
		return -1;
	return 0;
}

int sw__capi_bool_arg(const struct sw_req *rq, struct sw_resp *rs, const char *name, int *out)
{
	const char *v = sw_req_arg(rq, name);

	*out = 0;
	if (!v)
		return 0;
	if (!*v || !strcmp(v, "1") || !strcmp(v, "true"))
		*out = 1;
	else if (strcmp(v, "0") && strcmp(v, "false")) {
		sw_resp_error(rs, 400, name, "%s must be 1, true, 0 or false", name);
		return -1;
	}
	return 0;
}

int sw__capi_site_w(struct sw_req *rq, struct sw_resp *rs, const char *ref, const char *field,
		    int64_t *id)
{
	struct sw_access ab;
	const struct sw_access *acc = sw_api_access(rq->user, &ab);
	struct sw_errbuf eb;
	struct sw_rec rec;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	rc = sw_reg_resolve(rq->st, sw_entity_get(SW_ENT_SITE), ref, id, &eb);
	if (!rc) {
		rc = sw_store_get_in(rq->st, sw_entity_get(SW_ENT_SITE), *id, acc, &rec, &eb);
		sw_rec_cleanup(&rec);
	}
	if (rc == SW_OK)
		return 0;
	if (rc != SW_ENOTFOUND && rc != SW_EINVAL)
		sw_resp_from_err(rs, rc, &eb);
	else if (acc)
		sw_resp_error(rs, 403, field, "no site '%.100s' you may change", ref);
	else if (field)
		sw_resp_error(rs, 400, field, "%s: no such site '%.100s'", field, ref);
	else
		sw_resp_error(rs, 404, NULL, "no such site");
	return -1;
}

int sw__capi_site_member(struct sw_req *rq, struct sw_resp *rs, const char *key, int required,
			 int64_t *id)
{
	json_t *v = json_object_get(rq->json, key);
	char ref[32];

	*id = 0;
	if (!v || json_is_null(v)) {
		if (!required)
			return 0;
		sw_resp_error(rs, 400, key, "%s is required", key);
		return -1;
	}
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		snprintf(ref, sizeof ref, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return sw__capi_site_w(rq, rs, ref, key, id);
	}
	if (json_is_string(v) && json_string_length(v) <= SW_CAPI_SHORT_MAX &&
	    strlen(json_string_value(v)) == json_string_length(v) && json_string_length(v))
		return sw__capi_site_w(rq, rs, json_string_value(v), key, id);
	sw_resp_error(rs, 400, key, "%s must be a site id or name", key);
	return -1;
}

int sw__capi_str(const struct sw_req *rq, struct sw_resp *rs, const char *key, int required,
		 const char **out)
{
	static const char *const free_text[] = {"note", "title", "evidence", "reason", "basis", NULL};
	size_t max = SW_CAPI_SHORT_MAX;

	for (int i = 0; free_text[i]; i++)
		if (!strcmp(key, free_text[i]))
			max = SW_CAPI_TEXT_MAX;
	return sw__json_str(rq, rs, key, required, max, out);
}

int sw__capi_int(const struct sw_req *rq, struct sw_resp *rs, const char *key, int64_t min,
		 int64_t max, int64_t *out, int *present)
{
	json_t *v = json_object_get(rq->json, key);

	*present = v && !json_is_null(v);
	if (!*present)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		sw_resp_error(rs, 400, key, "%s must be a whole number from %" PRId64 " to %" PRId64,
			      key, min, max);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

int sw__capi_err(struct sw_resp *rs, enum sw_err rc, const struct sw_errbuf *eb)
{
	/* A reference to nothing in the input is bad input, not an absent
	 * resource; limits are bad input too. */
	if ((rc == SW_ENOTFOUND && eb->field[0]) || rc == SW_ELIMIT)
		return sw_resp_error(rs, 400, eb->field[0] ? eb->field : NULL, "%s", eb->msg);
	return sw_resp_from_err(rs, rc, eb);
}

json_t *sw__capi_campaign_json(const struct sw_cmp_row *r)
{
	return json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:I, s:s, s:s?, s:I, s:I, s:I, s:I}", "id",
			 (json_int_t)r->i[SW_CAMP_ID], "name", r->s[SW_CAMP_NAME], "kind",
			 r->s[SW_CAMP_KIND], "region", r->s[SW_CAMP_REGION], "unit_type",
			 r->s[SW_CAMP_UNIT_TYPE], "group", (json_int_t)r->i[SW_CAMP_GROUP],
			 "deadline", r->s[SW_CAMP_DEADLINE], "note", r->s[SW_CAMP_NOTE], "sites",
			 (json_int_t)r->i[SW_CAMP_ITEMS], "decided", (json_int_t)r->i[SW_CAMP_DECIDED],
			 "rejected", (json_int_t)r->i[SW_CAMP_REJECTED], "created_at",
			 (json_int_t)r->i[SW_CAMP_CREATED]);
}

json_t *sw__capi_item_json(const struct sw_cmp_row *r)
{
	return json_pack("{s:I, s:I, s:I, s:s, s:s?, s:s?, s:s?, s:s?}", "id",
			 (json_int_t)r->i[SW_RI_ID], "campaign", (json_int_t)r->i[SW_RI_CAMPAIGN],
			 "site_id", (json_int_t)r->i[SW_RI_SITE], "site", r->s[SW_RI_SITE_NAME],
			 "decision", r->s[SW_RI_DECISION], "reviewer", r->s[SW_RI_REVIEWER], "date",
			 r->s[SW_RI_DECIDED_ON], "note", r->s[SW_RI_NOTE]);
}

json_t *sw__capi_task_json(const struct sw_cmp_row *r)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:s?, s:s?}", "id",
			 (json_int_t)r->i[SW_TASK_ID], "site_id", (json_int_t)r->i[SW_TASK_SITE],
			 "site", r->s[SW_TASK_SITE_NAME], "kind", r->s[SW_TASK_KIND], "status",
			 r->s[SW_TASK_STATUS], "created_at", (json_int_t)r->i[SW_TASK_CREATED],
			 "done_by", r->s[SW_TASK_DONE_BY], "note", r->s[SW_TASK_NOTE]);
}

json_t *sw__capi_rect_json(const struct sw_cmp_row *r)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s?, s:s?, s:s, s:s, s:s?, s:s, s:s, s:b, s:s?, "
			 "s:I, s:I}",
			 "id", (json_int_t)r->i[SW_RECT_ID], "site_id", (json_int_t)r->i[SW_RECT_SITE],
			 "site", r->s[SW_RECT_SITE_NAME], "source", r->s[SW_RECT_SOURCE], "source_ref",
			 r->s[SW_RECT_SOURCE_REF], "finding_kind", r->s[SW_RECT_KIND], "severity",
			 r->s[SW_RECT_SEVERITY], "title", r->s[SW_RECT_TITLE], "owner",
			 r->s[SW_RECT_OWNER], "deadline", r->s[SW_RECT_DEADLINE], "status",
			 r->s[SW_RECT_STATUS], "ready_to_verify", (int)(r->i[SW_RECT_READY] != 0),
			 "evidence", r->s[SW_RECT_EVIDENCE], "created_at",
			 (json_int_t)r->i[SW_RECT_CREATED], "updated_at",
			 (json_int_t)r->i[SW_RECT_UPDATED]);
}

/* ---- statistics ---- */

/* GET /api/stats: what `sitewarden stats --json` prints for the scope,
 * computed over the user's sites only. */
static int stats_get(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_stats_scope sc;
	struct sw_access ab;
	struct sw_errbuf eb;
	json_t *o;
	enum sw_err rc;

	if (sw__capi_scope(rq, rs, &sc, &ab))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_stats_json(rq->st, &sc, sw_compliance_now(), &o, &eb)))
		return sw__capi_err(rs, rc, &eb);
	return sw_resp_json(rs, 200, o);
}

/* ---- lists judged from the view: identification and MLPS ---- */

/* Which sites of the view a list keeps, and its page. */
enum view_list { VL_IDENT, VL_MLPS };

struct view_sel {
	enum view_list kind;
	const char *ident;   /* VL_IDENT: one status or NULL */
	int due;             /* VL_MLPS: 0 all, 1 overdue, 2 due soon, 3 ungraded */
};

static int view_keep(const struct view_sel *sel, const struct sw_cmp_site *s)
{
	if (!s->in_scope)
		return 0;
	if (sel->kind == VL_IDENT)
		return !strcmp(s->status, "online") &&
		       (!sel->ident || !strcmp(sel->ident, sw_ident_name(s->ident)));
	if (!strcmp(s->status, "closed"))
		return 0;
	switch (sel->due) {
	case 1: return s->due == SW_MLPS_OVERDUE || s->due == SW_MLPS_NEVER_ASSESSED;
	case 2: return s->due == SW_MLPS_DUE_SOON;
	case 3: return s->due == SW_MLPS_UNGRADED;
	default: return 1;
	}
}

static json_t *view_json(const struct view_sel *sel, const struct sw_cmp_site *s)
{
	char reg[64], page[64], mis[64];

	if (sel->kind == VL_MLPS)
		return json_pack("{s:I, s:s, s:s, s:i, s:b, s:s?, s:s?, s:s}", "id", (json_int_t)s->id,
				 "site", s->name, "unit", s->unit_name, "grade", s->grade, "filed",
				 s->filed, "last_assessment", s->assess[0] ? s->assess : NULL,
				 "next_due", s->next_due[0] ? s->next_due : NULL, "due",
				 sw_mlps_due_name(s->due));
	sw_ident_items(s->miss_reg, reg, sizeof reg);
	sw_ident_items(s->miss_page, page, sizeof page);
	sw_ident_items(s->mismatch, mis, sizeof mis);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)s->id,
			 "site", s->name, "unit", s->unit_name, "status", sw_ident_name(s->ident),
			 "missing_in_register", reg, "missing_on_page", page, "mismatch", mis,
			 "checked", s->last_check != 0);
}

/* Loads the view of the user's sites in the query's scope and answers a
 * page of the sites sel keeps. */
static int view_list(struct sw_req *rq, struct sw_resp *rs, const struct view_sel *sel)
{
	struct sw_stats_scope sc;
	struct sw_access ab;
	struct sw_filter f = {0};
	struct sw_cmp_view v;
	struct sw_errbuf eb;
	json_t *items;
	int64_t total = 0;
	enum sw_err rc;

	if (sw__capi_scope(rq, rs, &sc, &ab) || sw_api_page(rq, rs, &f))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_cmp_view_load(rq->st, &sc, sw_compliance_now(), &v, &eb)))
		return sw__capi_err(rs, rc, &eb);
	items = json_array();
	for (size_t i = 0; i < v.n; i++) {
		if (!view_keep(sel, &v.v[i]))
			continue;
		if (total >= f.offset && total < f.offset + f.limit)
			json_array_append_new(items, view_json(sel, &v.v[i]));
		total++;
	}
	sw_cmp_view_cleanup(&v);
	return sw_resp_json(rs, 200, sw_api_page_json(items, total, &f));
}

/* GET /api/identification?status=complete|missing|mismatch */
static int ident_list(struct sw_req *rq, struct sw_resp *rs)
{
	struct view_sel sel = {VL_IDENT, sw_req_arg(rq, "status"), 0};

	if (sel.ident && strcmp(sel.ident, "complete") && strcmp(sel.ident, "missing") &&
	    strcmp(sel.ident, "mismatch"))
		return sw_resp_error(rs, 400, "status", "status must be complete, missing or mismatch");
	return view_list(rq, rs, &sel);
}

/* GET /api/mlps?overdue=1|due_soon=1|ungraded=1 (at most one). */
static int mlps_list(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const names[] = {"overdue", "due_soon", "ungraded"};
	struct view_sel sel = {VL_MLPS, NULL, 0};
	int on;

	for (int k = 0; k < 3; k++) {
		if (sw__capi_bool_arg(rq, rs, names[k], &on))
			return 0;
		if (on && sel.due)
			return sw_resp_error(rs, 400, names[k],
					     "overdue, due_soon and ungraded exclude each other");
		if (on)
			sel.due = k + 1;
	}
	return view_list(rq, rs, &sel);
}

/* ---- MLPS of one site ---- */

/* The register's mlps_* fields of a site (new reference). */
static json_t *mlps_current(struct sw_store *st, int64_t site_id)
{
	const struct sw_entity *ent = sw_entity_get(SW_ENT_SITE);
	json_t *o = json_object(), *all;
	const char *k;
	json_t *v;
	struct sw_rec rec;

	json_object_set_new(o, "site_id", json_integer(site_id));
	if (sw_store_get(st, ent, site_id, &rec, NULL) != SW_OK)
		return o;
	all = sw_api_rec_json(st, &rec);
	sw_rec_cleanup(&rec);
	json_object_foreach(all, k, v)
		if (!strncmp(k, "mlps_", 5))
			json_object_set(o, k, v);
	json_decref(all);
	return o;
}

static int append_grading(void *arg, const struct sw_cmp_row *r)
{
	json_array_append_new(arg, json_pack("{s:I, s:I, s:s?, s:s?}", "id",
					     (json_int_t)r->i[SW_MG_ID], "grade",
					     (json_int_t)r->i[SW_MG_GRADE], "date", r->s[SW_MG_DATE],
					     "basis", r->s[SW_MG_BASIS]));
	return json_array_size(arg) >= 1000; /* a site is graded a few times */
}

static int append_assessment(void *arg, const struct sw_cmp_row *r)
{
	json_array_append_new(arg, json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?}", "id",
					     (json_int_t)r->i[SW_MA_ID], "agency",
					     r->s[SW_MA_AGENCY], "date", r->s[SW_MA_DATE], "score",
					     r->s[SW_MA_SCORE], "result", r->s[SW_MA_RESULT],
					     "report", r->s[SW_MA_REPORT]));
	return json_array_size(arg) >= 1000;
}

/* GET /api/sites/{id}/mlps: current state and history. */
static int site_mlps_get(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_access ab;
	const struct sw_access *acc = sw_api_access(rq->user, &ab);
	struct sw_errbuf eb;
	struct sw_rec rec;
	json_t *o, *g, *a;
	int64_t id;
	enum sw_err rc;

	if (sw_api_id(rq, rs, 0, &id))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_get_in(rq->st, sw_entity_get(SW_ENT_SITE), id, acc, &rec, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	sw_rec_cleanup(&rec);
	g = json_array();
	a = json_array();
	if ((rc = sw_store_mlps_gradings(rq->st, id, append_grading, g, &eb)) ||
	    (rc = sw_store_mlps_assessments(rq->st, id, NULL, NULL, append_assessment, a, &eb))) {
		json_decref(g);
		json_decref(a);
		return sw_resp_from_err(rs, rc, &eb);
	}
	o = mlps_current(rq->st, id);
	json_object_set_new(o, "gradings", g);
	json_object_set_new(o, "assessments", a);
	return sw_resp_json(rs, 200, o);
}

/* The site of a /api/sites/{id}/... write, checked for the user. */
static int write_site(struct sw_req *rq, struct sw_resp *rs, int64_t *id)
{
	int64_t n;

	if (sw_api_id(rq, rs, 0, &n))
		return -1;
	return sw__capi_site_w(rq, rs, rq->params[0], NULL, id);
}

/* POST /api/sites/{id}/mlps/grade {"grade", "date", "basis"?} */
static int mlps_grade(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"grade", "date", "basis", NULL};
	const char *date, *basis;
	struct sw_errbuf eb;
	int64_t id, grade = 0;
	int present;
	enum sw_err rc;

	if (sw__json_object(rq, rs, keys) || sw__capi_int(rq, rs, "grade", 1, 5, &grade, &present) ||
	    sw__capi_str(rq, rs, "date", 1, &date) || sw__capi_str(rq, rs, "basis", 0, &basis))
		return 0;
	if (!present)
		return sw_resp_error(rs, 400, "grade", "grade is required");
	if (write_site(rq, rs, &id))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_mlps_grade(rq->st, id, (int)grade, date, basis, sw_compliance_now(), &eb)))
		return sw__capi_err(rs, rc, &eb);
	return sw_resp_json(rs, 200, mlps_current(rq->st, id));
}

/* POST /api/sites/{id}/mlps/filing {"number", "date"} */
static int mlps_filing(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"number", "date", NULL};
	const char *number, *date;
	struct sw_errbuf eb;
	int64_t id;
	enum sw_err rc;

	if (sw__json_object(rq, rs, keys) || sw__capi_str(rq, rs, "number", 1, &number) ||
	    sw__capi_str(rq, rs, "date", 1, &date) || write_site(rq, rs, &id))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_mlps_file(rq->st, id, number, date, &eb)))
		return sw__capi_err(rs, rc, &eb);
	return sw_resp_json(rs, 200, mlps_current(rq->st, id));
}

/* POST /api/sites/{id}/mlps/assessment {"agency", "date", "result",
 * "score"?, "report"?}; the score a number or numeric text. */
static int mlps_assessment(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"agency", "date", "result", "score", "report", NULL};
	const char *agency, *date, *result, *report, *score = NULL;
	json_t *sv = json_object_get(rq->json, "score");
	struct sw_errbuf eb;
	char sbuf[32];
	int64_t id, aid = 0;
	json_t *o;
	enum sw_err rc;

	if (sw__json_object(rq, rs, keys) || sw__capi_str(rq, rs, "agency", 1, &agency) ||
	    sw__capi_str(rq, rs, "date", 1, &date) || sw__capi_str(rq, rs, "result", 1, &result) ||
	    sw__capi_str(rq, rs, "report", 0, &report))
		return 0;
	if (sv && json_is_number(sv)) {
		if (json_number_value(sv) < 0 || json_number_value(sv) > 100)
			return sw_resp_error(rs, 400, "score", "score must be from 0 to 100");
		snprintf(sbuf, sizeof sbuf, "%g", json_number_value(sv));
		score = sbuf;
	} else if (sv && !json_is_null(sv)) {
		char *end;
		double d;

		if (sw__capi_str(rq, rs, "score", 0, &score))
			return 0;
		d = strtod(score, &end);
		if (!*score || *end || d < 0 || d > 100)
			return sw_resp_error(rs, 400, "score", "score must be from 0 to 100");
	}
	if (write_site(rq, rs, &id))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_mlps_assess(rq->st, id, agency, date, score, result, report,
				 sw_compliance_now(), &aid, &eb)))
		return sw__capi_err(rs, rc, &eb);
	o = mlps_current(rq->st, id);
	json_object_set_new(o, "assessment_id", json_integer(aid));
	return sw_resp_json(rs, 201, o);
}

/* ---- the route table ---- */

#define READERS (SW_ROLE_ADMIN | SW_ROLE_SUPERVISOR | SW_ROLE_OPERATOR | SW_ROLE_AUDITOR)
#define STAFF (SW_ROLE_ADMIN | SW_ROLE_SUPERVISOR)
#define EDITORS (SW_ROLE_ADMIN | SW_ROLE_SUPERVISOR | SW_ROLE_OPERATOR)

const struct sw_route sw_api_routes_compliance[] = {
	{"GET", "/api/stats", stats_get, 0, READERS, "compliance statistics of a scope"},
	{"GET", "/api/identification", ident_list, 0, READERS, "identification of online sites"},
	{"GET", "/api/mlps", mlps_list, 0, READERS, "MLPS due state of sites"},
	{"GET", "/api/sites/{id}/mlps", site_mlps_get, 0, READERS, "a site's MLPS and history"},
	{"POST", "/api/sites/{id}/mlps/grade", mlps_grade, SW_R_WRITE, EDITORS, "record a grading"},
	{"POST", "/api/sites/{id}/mlps/filing", mlps_filing, SW_R_WRITE, EDITORS,
	 "record the PSB filing"},
	{"POST", "/api/sites/{id}/mlps/assessment", mlps_assessment, SW_R_WRITE, EDITORS,
	 "record an assessment"},
	{"POST", "/api/sites/{id}/override", sw__capi_override, SW_R_WRITE, STAFF,
	 "logged status override"},
	{"GET", "/api/reviews", sw__capi_reviews_list, 0, READERS, "review campaigns"},
	{"POST", "/api/reviews", sw__capi_reviews_open, SW_R_WRITE, STAFF, "open a campaign"},
	{"GET", "/api/reviews/{id}", sw__capi_review_get, 0, READERS, "a campaign and its items"},
	{"POST", "/api/reviews/{id}/decisions", sw__capi_review_decide, SW_R_WRITE, STAFF,
	 "decide a site of a campaign"},
	{"GET", "/api/review-tasks", sw__capi_tasks_list, 0, READERS, "tasks rejections opened"},
	{"POST", "/api/review-tasks/{id}/done", sw__capi_task_done, SW_R_WRITE, EDITORS,
	 "mark a task done"},
	{"GET", "/api/rectifications", sw__capi_rects_list, 0, READERS, "rectification items"},
	{"POST", "/api/rectifications", sw__capi_rect_add, SW_R_WRITE, EDITORS, "add an item"},
	{"POST", "/api/rectifications/from-finding", sw__capi_rect_from_finding, SW_R_WRITE,
	 EDITORS, "an item from a monitoring finding"},
	{"POST", "/api/rectifications/from-incident", sw__capi_rect_from_incident, SW_R_WRITE,
	 EDITORS, "an item from an incident"},
	{"POST", "/api/rectifications/tick", sw__capi_rect_tick, SW_R_WRITE, SW_ROLE_ADMIN,
	 "overdue marking and escalation pass"},
	{"GET", "/api/rectifications/{id}", sw__capi_rect_get, 0, READERS, "one item"},
	{"PATCH", "/api/rectifications/{id}", sw__capi_rect_patch, SW_R_WRITE, EDITORS,
	 "move an item on"},
	{"GET", "/api/rectification-escalations", sw__capi_escalations, 0,
	 SW_ROLE_ADMIN | SW_ROLE_AUDITOR, "escalations of overdue items"},
	{"GET", "/api/reports/bulletin", sw__capi_report_bulletin, 0, READERS,
	 "the bulletin (通报) download"},
	{"GET", "/api/reports/progress", sw__capi_report_progress, 0, READERS,
	 "the progress report download"},
	{"GET", "/api/report-schedules", sw__capi_report_schedules, 0,
	 SW_ROLE_ADMIN | SW_ROLE_AUDITOR, "scheduled reports"},
	{"GET", "/api/report-runs", sw__capi_report_runs, 0, SW_ROLE_ADMIN | SW_ROLE_AUDITOR,
	 "reports the schedules made and their delivery"},
	{"GET", "/api/report-runs/{id}/file", sw__capi_report_run_file, 0,
	 SW_ROLE_ADMIN | SW_ROLE_AUDITOR, "the file of a scheduled report"},
	{0},
};
