/*
 * api_alert.c - the HTTP API of alerts, incidents, emergency plans, drills
 * and notification channels (API_CONTRACT.md, routes marked [alerts]).
 *
 * Scope: lists are filtered in SQL by the asker's access; a single alert or
 * incident of a site the asker does not see answers 404, a write on one
 * 403 (the contract's rule).  Bodies are strict: unknown members and wrong
 * types are 400 with the member named.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert/alert.h"
#include "alert/json.h"
#include "incident/incident.h"
#include "model/finding.h"
#include "model/validate.h"
#include "notify/notify.h"
#include "server/api_register.h"
#include "server/http.h"

#define READERS (SW_ROLE_ADMIN | SW_ROLE_SUPERVISOR | SW_ROLE_OPERATOR | SW_ROLE_AUDITOR)
#define EDITORS (SW_ROLE_ADMIN | SW_ROLE_SUPERVISOR | SW_ROLE_OPERATOR)
#define STAFF (SW_ROLE_ADMIN | SW_ROLE_SUPERVISOR)

/* Refuses a body that is not an object or has members outside allowed
 * (NULL-terminated).  -1 with rs filled. */
static int body_keys(const struct sw_req *rq, struct sw_resp *rs, const char *const *allowed)
{
	const char *key;
	json_t *v;

	if (!json_is_object(rq->json)) {
		sw_resp_error(rs, 400, NULL, "the body must be a JSON object");
		return -1;
	}
	json_object_foreach(rq->json, key, v) {
		int ok = 0;

		(void)v;
		for (size_t i = 0; allowed[i] && !ok; i++)
			ok = !strcmp(key, allowed[i]);
		if (!ok) {
			sw_resp_error(rs, 400, key, "unknown field '%.60s'", key);
			return -1;
		}
	}
	return 0;
}

/* String member `key` into *out (NULL when absent or null); -1 (400)
 * when it is another type, empty while required, or longer than max. */
static int body_str(const struct sw_req *rq, struct sw_resp *rs, const char *key, int required,
		    size_t max, const char **out)
{
	json_t *v = json_object_get(rq->json, key);

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required) {
			sw_resp_error(rs, 400, key, "%s is required", key);
			return -1;
		}
		return 0;
	}
	if (!json_is_string(v) || (required && !*json_string_value(v)) ||
	    strlen(json_string_value(v)) > max) {
		sw_resp_error(rs, 400, key, "%s must be a string of at most %zu bytes", key, max);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/* Integer member `key` (absent: left alone); -1 (400) when not an integer
 * in [min, max]. */
static int body_int(const struct sw_req *rq, struct sw_resp *rs, const char *key, int64_t min,
		    int64_t max, int64_t *out)
{
	json_t *v = json_object_get(rq->json, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		sw_resp_error(rs, 400, key, "%s must be a whole number", key);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

/* Answers a module error; refusals of input name their field. */
static int fail(struct sw_resp *rs, enum sw_err rc, const struct sw_errbuf *eb)
{
	return sw_resp_from_err(rs, rc, eb);
}

/* Is site_id visible to the asker?  0 yes; -1 with rs set (404, or 403
 * for a write, or 500). */
static int visible(struct sw_req *rq, struct sw_resp *rs, int64_t site_id, int write)
{
	struct sw_access buf;
	struct sw_errbuf eb;
	enum sw_err rc;
	int vis = 0;

	sw_errbuf_clear(&eb);
	if ((rc = sw_store_site_visible(rq->st, sw_api_access(rq->user, &buf), site_id, &vis, &eb)))
		return fail(rs, rc, &eb), -1;
	if (!vis) {
		if (write)
			sw_resp_error(rs, 403, NULL, "this site is outside your scope");
		else
			sw_resp_error(rs, 404, NULL, "no such record");
		return -1;
	}
	return 0;
}

/* ---- alerts ---- */

static int add_alert(void *arg, const struct sw_alert_row *a)
{
	json_array_append_new(arg, sw_alert_json(a));
	return 0;
}

static int alerts_list(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const states[] = {"open", "acknowledged", "resolved", "suppressed",
					     "active", NULL};
	struct sw_alert_filter af = {.state = sw_req_arg(rq, "state"),
				     .kind = sw_req_arg(rq, "kind"),
				     .severity = sw_req_arg(rq, "severity")};
	struct sw_filter page = {0};
	struct sw_access buf;
	struct sw_errbuf eb;
	json_t *items;
	int64_t total = 0;
	enum sw_err rc;
	int ok = !af.state;

	for (size_t i = 0; states[i] && !ok; i++)
		ok = !strcmp(af.state, states[i]);
	if (!ok)
		return sw_resp_error(rs, 400, "state", "unknown state");
	if (af.severity && sw_sev_parse(af.severity) < 0)
		return sw_resp_error(rs, 400, "severity", "unknown severity");
	if (af.kind && strlen(af.kind) > 64)
		return sw_resp_error(rs, 400, "kind", "kind too long");
	if (sw_api_page(rq, rs, &page) ||
	    sw_api_int_arg(rq, rs, "site", 1, INT64_MAX, &af.site_id))
		return 0;
	af.limit = page.limit;
	af.offset = page.offset;
	af.acc = sw_api_access(rq->user, &buf);
	items = json_array();
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_alert_list(rq->st, &af, add_alert, items, &total, &eb))) {
		json_decref(items);
		return fail(rs, rc, &eb);
	}
	return sw_resp_json(rs, 200, sw_api_page_json(items, total, &page));
}

static int keep_alert(void *arg, const struct sw_alert_row *a)
{
	*(json_t **)arg = sw_alert_json(a);
	return 1;
}

static int add_id(void *arg, int64_t id)
{
	json_array_append_new(arg, json_integer((json_int_t)id));
	return 0;
}

/* Reads alert id as JSON into *out after the scope check. */
static int alert_load(struct sw_req *rq, struct sw_resp *rs, int write, int64_t *id,
		      json_t **out)
{
	struct sw_errbuf eb;
	enum sw_err rc;

	*out = NULL;
	if (sw_api_id(rq, rs, 0, id))
		return -1;
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_alert_get(rq->st, *id, keep_alert, out, &eb)))
		return fail(rs, rc, &eb), -1;
	if (visible(rq, rs, json_integer_value(json_object_get(*out, "site_id")), write)) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static int alert_get(struct sw_req *rq, struct sw_resp *rs)
{
	json_t *a, *checks = json_array();
	struct sw_errbuf eb;
	enum sw_err rc;
	int64_t id;

	if (alert_load(rq, rs, 0, &id, &a)) {
		json_decref(checks);
		return 0;
	}
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_alert_checks(rq->st, id, add_id, checks, &eb))) {
		json_decref(a);
		json_decref(checks);
		return fail(rs, rc, &eb);
	}
	json_object_set_new(a, "checks", checks);
	return sw_resp_json(rs, 200, a);
}

/* POST /api/alerts/{id}/ack|resolve|suppress. */
static int alert_act(struct sw_req *rq, struct sw_resp *rs, const char *what)
{
	static const char *const keys[] = {"note", "until", NULL};
	const char *note = NULL;
	int64_t id, until = 0, now = time(NULL);
	struct sw_errbuf eb;
	enum sw_err rc;
	json_t *a;

	if (!rq->json || !json_object_size(rq->json)) {
		/* An empty body is fine: nothing to say. */
	} else if (body_keys(rq, rs, keys)) {
		return 0;
	}
	if (rq->json && (body_str(rq, rs, "note", 0, 2000, &note) ||
			 body_int(rq, rs, "until", 0, INT64_MAX, &until)))
		return 0;
	if (until && strcmp(what, "suppress"))
		return sw_resp_error(rs, 400, "until", "until is for suppress only");
	if (alert_load(rq, rs, 1, &id, &a))
		return 0;
	json_decref(a);
	sw_errbuf_clear(&eb);
	if (!strcmp(what, "ack"))
		rc = sw_alert_ack(rq->st, id, now, rq->user->name, note, &eb);
	else if (!strcmp(what, "resolve"))
		rc = sw_alert_resolve(rq->st, id, now, rq->user->name, note, &eb);
	else
		rc = sw_alert_suppress(rq->st, id, now, until, rq->user->name, note, &eb);
	if (rc)
		return fail(rs, rc, &eb);
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_alert_get(rq->st, id, keep_alert, &a, &eb)))
		return fail(rs, rc, &eb);
	return sw_resp_json(rs, 200, a);
}

static int alert_ack(struct sw_req *rq, struct sw_resp *rs)
{
	return alert_act(rq, rs, "ack");
}

static int alert_resolve(struct sw_req *rq, struct sw_resp *rs)
{
	return alert_act(rq, rs, "resolve");
}

static int alert_suppress(struct sw_req *rq, struct sw_resp *rs)
{
	return alert_act(rq, rs, "suppress");
}

/* ---- incidents ---- */

static int add_incident(void *arg, const struct sw_incident_row *r)
{
	json_array_append_new(arg, sw_incident_json(r));
	return 0;
}

static int incidents_list(struct sw_req *rq, struct sw_resp *rs)
{
	const char *state = sw_req_arg(rq, "state");
	struct sw_filter page = {0};
	struct sw_access buf;
	struct sw_errbuf eb;
	int64_t site = 0, total = 0;
	json_t *items;
	enum sw_err rc;

	if (state && strcmp(state, "open") && strcmp(state, "closed"))
		return sw_resp_error(rs, 400, "state", "state is open or closed");
	if (sw_api_page(rq, rs, &page) || sw_api_int_arg(rq, rs, "site", 1, INT64_MAX, &site))
		return 0;
	items = json_array();
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_incident_list(rq->st, sw_api_access(rq->user, &buf), state, site,
					 page.limit, page.offset, add_incident, items, &total,
					 &eb))) {
		json_decref(items);
		return fail(rs, rc, &eb);
	}
	return sw_resp_json(rs, 200, sw_api_page_json(items, total, &page));
}

static int keep_incident(void *arg, const struct sw_incident_row *r)
{
	*(json_t **)arg = sw_incident_json(r);
	return 1;
}

static int add_step(void *arg, const struct sw_incident_step_row *r)
{
	json_array_append_new(arg, sw_incident_step_json(r));
	return 0;
}

/* Reads incident id (capture 0) as JSON after the scope check. */
static int incident_load(struct sw_req *rq, struct sw_resp *rs, int write, int64_t *id,
			 json_t **out)
{
	struct sw_errbuf eb;
	enum sw_err rc;

	*out = NULL;
	if (sw_api_id(rq, rs, 0, id))
		return -1;
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_incident_get(rq->st, *id, keep_incident, out, &eb)))
		return fail(rs, rc, &eb), -1;
	if (visible(rq, rs, json_integer_value(json_object_get(*out, "site_id")), write)) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* The incident with its steps, alerts and checks. */
static int incident_full(struct sw_req *rq, struct sw_resp *rs, int64_t id, json_t *inc,
			 int status)
{
	json_t *steps = json_array(), *alerts = json_array(), *checks = json_array();
	struct sw_errbuf eb;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	if ((rc = sw_store_incident_steps(rq->st, id, add_step, steps, &eb)) ||
	    (rc = sw_store_incident_alerts(rq->st, id, add_alert, alerts, &eb)) ||
	    (rc = sw_store_incident_checks(rq->st, id, add_id, checks, &eb))) {
		json_decref(inc);
		json_decref(steps);
		json_decref(alerts);
		json_decref(checks);
		return fail(rs, rc, &eb);
	}
	json_object_set_new(inc, "steps", steps);
	json_object_set_new(inc, "alerts", alerts);
	json_object_set_new(inc, "checks", checks);
	return sw_resp_json(rs, status, inc);
}

static int incident_get(struct sw_req *rq, struct sw_resp *rs)
{
	json_t *inc;
	int64_t id;

	if (incident_load(rq, rs, 0, &id, &inc))
		return 0;
	return incident_full(rq, rs, id, inc, 200);
}

static int incident_post(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"site_id", "title", "severity", "major", "alerts", NULL};
	const char *title, *sev;
	int64_t site = 0, id, alerts[64];
	size_t n = 0, i;
	json_t *v, *inc = NULL;
	struct sw_errbuf eb;
	enum sw_err rc;
	int major = 0;

	if (body_keys(rq, rs, keys) || body_int(rq, rs, "site_id", 1, INT64_MAX, &site) ||
	    body_str(rq, rs, "title", 1, 500, &title) || body_str(rq, rs, "severity", 0, 16, &sev))
		return 0;
	if (!site)
		return sw_resp_error(rs, 400, "site_id", "site_id is required");
	if ((v = json_object_get(rq->json, "major")) && !json_is_boolean(v))
		return sw_resp_error(rs, 400, "major", "major must be true or false");
	major = json_is_true(v);
	v = json_object_get(rq->json, "alerts");
	if (v && (!json_is_array(v) || json_array_size(v) > 64))
		return sw_resp_error(rs, 400, "alerts", "alerts must be a list of at most 64 ids");
	json_array_foreach(v, i, inc) {
		if (!json_is_integer(inc) || json_integer_value(inc) < 1)
			return sw_resp_error(rs, 400, "alerts", "alerts must be alert ids");
		alerts[n++] = json_integer_value(inc);
	}
	if (visible(rq, rs, site, 1))
		return 0;
	sw_errbuf_clear(&eb);
	rc = sw_incident_open(rq->st, site, title, sev ? sev : "high", major, rq->user->name,
			      alerts, n, time(NULL), &id, &eb);
	if (rc == SW_EINUSE)
		return sw_resp_error(rs, 400, "alerts", "%s", eb.msg);
	if (rc)
		return fail(rs, rc, &eb);
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_incident_get(rq->st, id, keep_incident, &inc, &eb)))
		return fail(rs, rc, &eb);
	return incident_full(rq, rs, id, inc, 201);
}

static int incident_step(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"step", "note", NULL};
	const char *step, *note;
	struct sw_errbuf eb;
	enum sw_err rc;
	json_t *inc;
	int64_t id;

	if (body_keys(rq, rs, keys) || body_str(rq, rs, "step", 1, 32, &step) ||
	    body_str(rq, rs, "note", 0, 2000, &note))
		return 0;
	if (incident_load(rq, rs, 1, &id, &inc))
		return 0;
	json_decref(inc);
	sw_errbuf_clear(&eb);
	if ((rc = sw_incident_step(rq->st, id, step, rq->user->name, note, time(NULL), &eb)))
		return rc == SW_EINVAL && !eb.field[0] ? sw_resp_error(rs, 409, NULL, "%s", eb.msg)
						       : fail(rs, rc, &eb);
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_incident_get(rq->st, id, keep_incident, &inc, &eb)))
		return fail(rs, rc, &eb);
	return incident_full(rq, rs, id, inc, 200);
}

static int incident_close(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"cause", "fix", "accountability", NULL};
	const char *cause, *fix, *acc;
	struct sw_errbuf eb;
	enum sw_err rc;
	json_t *inc;
	int64_t id;

	if (body_keys(rq, rs, keys) || body_str(rq, rs, "cause", 1, 4000, &cause) ||
	    body_str(rq, rs, "fix", 1, 4000, &fix) ||
	    body_str(rq, rs, "accountability", 1, 4000, &acc))
		return 0;
	if (incident_load(rq, rs, 1, &id, &inc))
		return 0;
	if (strcmp(json_string_value(json_object_get(inc, "state")), "open")) {
		json_decref(inc);
		return sw_resp_error(rs, 409, NULL, "the incident is closed already");
	}
	json_decref(inc);
	sw_errbuf_clear(&eb);
	if ((rc = sw_incident_close(rq->st, id, cause, fix, acc, rq->user->name, time(NULL), &eb)))
		return fail(rs, rc, &eb);
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_incident_get(rq->st, id, keep_incident, &inc, &eb)))
		return fail(rs, rc, &eb);
	return incident_full(rq, rs, id, inc, 200);
}

/* ---- plans and drills ---- */

static int add_plan(void *arg, const struct sw_plan_row *r)
{
	json_array_append_new(arg, sw_plan_json(r));
	return 0;
}

static int plans_list(struct sw_req *rq, struct sw_resp *rs)
{
	int64_t site = 0, group = 0;
	struct sw_errbuf eb;
	json_t *items;
	enum sw_err rc;

	if (sw_api_int_arg(rq, rs, "site", 1, INT64_MAX, &site) ||
	    sw_api_int_arg(rq, rs, "group", 1, INT64_MAX, &group))
		return 0;
	items = json_array();
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_plan_list(rq->st, site, group, add_plan, items, &eb))) {
		json_decref(items);
		return fail(rs, rc, &eb);
	}
	return sw_resp_json(rs, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total",
					       (json_int_t)json_array_size(items), "limit",
					       SW_API_LIMIT_MAX, "offset", 0));
}

static int plan_post(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"name", "body", "scope", "scope_id", NULL};
	struct sw_plan_row p = {.scope = "all"};
	const char *scope;
	struct sw_errbuf eb;
	enum sw_err rc;
	int64_t id;

	if (body_keys(rq, rs, keys) || body_str(rq, rs, "name", 1, 200, &p.name) ||
	    body_str(rq, rs, "body", 1, 1u << 20, &p.body) ||
	    body_str(rq, rs, "scope", 0, 8, &scope) ||
	    body_int(rq, rs, "scope_id", 1, INT64_MAX, &p.scope_id))
		return 0;
	if (scope)
		p.scope = scope;
	if (strcmp(p.scope, "all") && strcmp(p.scope, "group") && strcmp(p.scope, "site"))
		return sw_resp_error(rs, 400, "scope", "scope is all, group or site");
	if (strcmp(p.scope, "all") ? !p.scope_id : p.scope_id != 0)
		return sw_resp_error(rs, 400, "scope_id", "scope_id names the group or site, and "
					      "only for those scopes");
	p.created_at = p.updated_at = time(NULL);
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_plan_put(rq->st, &p, &id, &eb)))
		return fail(rs, rc, &eb);
	p.id = id;
	return sw_resp_json(rs, 201, sw_plan_json(&p));
}

static int add_drill(void *arg, const struct sw_drill_row *r)
{
	json_array_append_new(arg, sw_drill_json(r));
	return 0;
}

static int drills_list(struct sw_req *rq, struct sw_resp *rs)
{
	int64_t plan = 0;
	struct sw_errbuf eb;
	json_t *items;
	enum sw_err rc;

	if (sw_api_int_arg(rq, rs, "plan", 1, INT64_MAX, &plan))
		return 0;
	items = json_array();
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_drill_list(rq->st, plan, add_drill, items, &eb))) {
		json_decref(items);
		return fail(rs, rc, &eb);
	}
	return sw_resp_json(rs, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total",
					       (json_int_t)json_array_size(items), "limit",
					       SW_API_LIMIT_MAX, "offset", 0));
}

static int drill_post(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"held_on", "scenario", "result", "plan_id", "note", NULL};
	struct sw_drill_row d = {0};
	char canon[16];
	const char *date;
	struct sw_errbuf eb;
	enum sw_err rc;
	int64_t id;

	if (body_keys(rq, rs, keys) || body_str(rq, rs, "held_on", 1, 10, &date) ||
	    body_str(rq, rs, "scenario", 1, 2000, &d.scenario) ||
	    body_str(rq, rs, "result", 1, 2000, &d.result) ||
	    body_str(rq, rs, "note", 0, 2000, &d.note) ||
	    body_int(rq, rs, "plan_id", 1, INT64_MAX, &d.plan_id))
		return 0;
	sw_errbuf_clear(&eb);
	if (sw_valid_date(date, canon, sizeof canon, &eb))
		return sw_resp_error(rs, 400, "held_on", "%s", eb.msg);
	d.held_on = canon;
	d.created_at = time(NULL);
	if ((rc = sw_store_drill_add(rq->st, &d, &id, &eb)))
		return rc == SW_EINUSE ? sw_resp_error(rs, 400, "plan_id", "no such plan")
				       : fail(rs, rc, &eb);
	d.id = id;
	return sw_resp_json(rs, 201, sw_drill_json(&d));
}

/* ---- channels (administrators) ---- */

static int add_channel(void *arg, const struct sw_channel *c)
{
	json_array_append_new(arg, sw_channel_json(c));
	return 0;
}

static int channels_list(struct sw_req *rq, struct sw_resp *rs)
{
	json_t *items = json_array();
	struct sw_errbuf eb;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	if ((rc = sw_store_channel_list(rq->st, add_channel, items, &eb))) {
		json_decref(items);
		return fail(rs, rc, &eb);
	}
	return sw_resp_json(rs, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total",
					       (json_int_t)json_array_size(items), "limit",
					       SW_API_LIMIT_MAX, "offset", 0));
}

/* Copies string member key (may be absent) into buf of cap; -1 (400) when
 * it is too long. */
static int copy_str(const struct sw_req *rq, struct sw_resp *rs, const char *key, char *buf,
		    size_t cap)
{
	const char *v;

	if (body_str(rq, rs, key, 0, cap - 1, &v))
		return -1;
	snprintf(buf, cap, "%s", v ? v : "");
	return 0;
}

static int channel_post(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"name", "kind", "url", "secret", "to", "from",
					   "scope", "scope_id", "min_severity", "digest_after",
					   NULL};
	struct sw_channel c = {.enabled = 1, .created_at = time(NULL)};
	struct sw_errbuf eb;
	enum sw_err rc;

	if (body_keys(rq, rs, keys) || copy_str(rq, rs, "name", c.name, sizeof c.name) ||
	    copy_str(rq, rs, "kind", c.kind, sizeof c.kind) ||
	    copy_str(rq, rs, "url", c.url, sizeof c.url) ||
	    copy_str(rq, rs, "secret", c.secret, sizeof c.secret) ||
	    copy_str(rq, rs, "to", c.recipients, sizeof c.recipients) ||
	    copy_str(rq, rs, "from", c.sender, sizeof c.sender) ||
	    copy_str(rq, rs, "scope", c.scope, sizeof c.scope) ||
	    copy_str(rq, rs, "min_severity", c.min_severity, sizeof c.min_severity) ||
	    body_int(rq, rs, "scope_id", 1, INT64_MAX, &c.scope_id) ||
	    body_int(rq, rs, "digest_after", 1, 100000, &c.digest_after))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_notify_channel_check(&c, &eb)) || (rc = sw_store_channel_add(rq->st, &c, &c.id, &eb)))
		return fail(rs, rc, &eb);
	return sw_resp_json(rs, 201, sw_channel_json(&c));
}

static int channel_delete(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_errbuf eb;
	enum sw_err rc;
	int64_t id;

	if (sw_api_id(rq, rs, 0, &id))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_channel_remove(rq->st, id, &eb)))
		return fail(rs, rc, &eb);
	return sw_resp_json(rs, 200, json_pack("{s:b}", "deleted", 1));
}

const struct sw_route sw_api_routes_alert[] = {
	{"GET", "/api/alerts", alerts_list, 0, READERS, "alerts (?state=&site=&kind=&severity=)"},
	{"GET", "/api/alerts/{id}", alert_get, 0, READERS, "one alert with its checks"},
	{"POST", "/api/alerts/{id}/ack", alert_ack, SW_R_WRITE, EDITORS, "acknowledge an alert"},
	{"POST", "/api/alerts/{id}/resolve", alert_resolve, SW_R_WRITE, EDITORS,
	 "resolve an alert by hand"},
	{"POST", "/api/alerts/{id}/suppress", alert_suppress, SW_R_WRITE, EDITORS,
	 "suppress an alert (until a time, or until lifted)"},
	{"GET", "/api/incidents", incidents_list, 0, READERS, "incidents (?state=&site=)"},
	{"POST", "/api/incidents", incident_post, SW_R_WRITE, EDITORS, "open an incident by hand"},
	{"GET", "/api/incidents/{id}", incident_get, 0, READERS,
	 "one incident with its steps, alerts and checks"},
	{"POST", "/api/incidents/{id}/steps", incident_step, SW_R_WRITE, EDITORS,
	 "record a step of the reporting chain"},
	{"POST", "/api/incidents/{id}/close", incident_close, SW_R_WRITE, EDITORS,
	 "close with cause, fix and accountability"},
	{"GET", "/api/plans", plans_list, 0, READERS, "emergency plans (?site=&group=)"},
	{"POST", "/api/plans", plan_post, SW_R_WRITE, STAFF, "add or replace an emergency plan"},
	{"GET", "/api/drills", drills_list, 0, READERS, "emergency drills (?plan=)"},
	{"POST", "/api/drills", drill_post, SW_R_WRITE, EDITORS, "record an emergency drill"},
	{"GET", "/api/channels", channels_list, 0, SW_ROLE_ADMIN, "notification channels"},
	{"POST", "/api/channels", channel_post, SW_R_WRITE, SW_ROLE_ADMIN,
	 "add a notification channel"},
	{"DELETE", "/api/channels/{id}", channel_delete, SW_R_WRITE, SW_ROLE_ADMIN,
	 "remove a notification channel"},
	{0},
};
