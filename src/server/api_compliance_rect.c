/*
 * api_compliance_rect.c - rectification items (隐患整改) over HTTP: list,
 * one, add, from a monitoring finding, move on (status, evidence, owner,
 * deadline), the tick and its escalations (what `sitewarden rectify`
 * does).
 *
 * Operators fix their unit's problems but do not verify their own fixes:
 * moving an item to "verified" is for supervisors and administrators.
 */
#include <inttypes.h>
#include <string.h>

#include "compliance/compliance.h"
#include "server/api_compliance.h"
#include "server/api_json.h"
#include "server/api_register.h"
#include "store/incident.h"

static int append_rect(void *arg, const struct sw_cmp_row *r)
{
	json_array_append_new(arg, sw__capi_rect_json(r));
	return 0;
}

/* Item id as the user sees it (new reference), or NULL. */
static json_t *rect_one(struct sw_req *rq, int64_t id)
{
	struct sw_access ab;
	struct sw_rect_filter f = {.id = id, .acc = sw_api_access(rq->user, &ab)};
	json_t *one = json_array(), *o;

	if (sw_store_rects(rq->st, &f, append_rect, one, NULL) != SW_OK) {
		json_decref(one);
		return NULL;
	}
	o = json_incref(json_array_get(one, 0));
	json_decref(one);
	return o;
}

/* A finding kind as a filter or input: lower-case, digits, '_' and '.'. */
static int kind_ok(const char *k)
{
	return k && *k && strlen(k) <= 64 &&
	       strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_.") == strlen(k);
}

/* GET /api/rectifications?site=&status=&open=1&ready=1&kind=&incident=
 * &incident_closed=1 */
int sw__capi_rects_list(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const statuses[] = {"open", "in_progress", "fixed", "verified",
					       "overdue", NULL};
	struct sw_access ab;
	struct sw_rect_filter f = {.acc = sw_api_access(rq->user, &ab)};
	struct sw_filter pg = {0};
	struct sw_errbuf eb;
	int64_t total, inc = 0;
	char ref[40];
	json_t *items;
	int ok = 0;
	enum sw_err rc;

	if (sw_api_page(rq, rs, &pg) || sw_api_int_arg(rq, rs, "site", 1, INT64_MAX, &f.site_id) ||
	    sw__capi_bool_arg(rq, rs, "open", &f.open_only) ||
	    sw__capi_bool_arg(rq, rs, "ready", &f.ready_only) ||
	    sw__capi_bool_arg(rq, rs, "incident_closed", &f.incident_closed) ||
	    sw_api_int_arg(rq, rs, "incident", 1, INT64_MAX, &inc))
		return 0;
	if (inc) {
		snprintf(ref, sizeof ref, "incident:%" PRId64, inc);
		f.source_ref = ref;
	}
	if ((f.status = sw_req_arg(rq, "status"))) {
		for (int i = 0; statuses[i]; i++)
			ok |= !strcmp(statuses[i], f.status);
		if (!ok)
			return sw_resp_error(rs, 400, "status", "status must be open, in_progress, "
								"fixed, verified or overdue");
	}
	if ((f.finding_kind = sw_req_arg(rq, "kind")) && !kind_ok(f.finding_kind))
		return sw_resp_error(rs, 400, "kind", "kind must be a finding kind");
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_rect_count(rq->st, &f, &total, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	f.limit = pg.limit;
	f.offset = pg.offset;
	items = json_array();
	if ((rc = sw_store_rects(rq->st, &f, append_rect, items, &eb))) {
		json_decref(items);
		return sw_resp_from_err(rs, rc, &eb);
	}
	return sw_resp_json(rs, 200, sw_api_page_json(items, total, &pg));
}

/* GET /api/rectifications/{id} */
int sw__capi_rect_get(struct sw_req *rq, struct sw_resp *rs)
{
	int64_t id;
	json_t *o;

	if (sw_api_id(rq, rs, 0, &id))
		return 0;
	if (!(o = rect_one(rq, id)))
		return sw_resp_error(rs, 404, NULL, "no such rectification item");
	return sw_resp_json(rs, 200, o);
}

/* Answers 201 with the new item. */
static int created(struct sw_req *rq, struct sw_resp *rs, int64_t id)
{
	json_t *o = rect_one(rq, id);

	return sw_resp_json(rs, 201, o ? o : json_pack("{s:I}", "id", (json_int_t)id));
}

/* POST /api/rectifications {"site", "source", "title", "severity"?,
 * "owner"?, "deadline"?, "ref"?} */
int sw__capi_rect_add(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"site", "source", "title", "severity", "owner",
					   "deadline", "ref", NULL};
	struct sw_rect_new n = {0};
	struct sw_errbuf eb;
	int64_t id = 0;
	enum sw_err rc;

	if (sw__json_object(rq, rs, keys) || sw__capi_str(rq, rs, "source", 1, &n.source) ||
	    sw__capi_str(rq, rs, "title", 1, &n.title) ||
	    sw__capi_str(rq, rs, "severity", 0, &n.severity) ||
	    sw__capi_str(rq, rs, "owner", 0, &n.owner) ||
	    sw__capi_str(rq, rs, "deadline", 0, &n.deadline) ||
	    sw__capi_str(rq, rs, "ref", 0, &n.source_ref))
		return 0;
	/* "finding" items come from a finding (from-finding), which ties
	 * them to the monitor's verification. */
	if (!strcmp(n.source, "finding"))
		return sw_resp_error(rs, 400, "source", "items of findings are made with "
							"/api/rectifications/from-finding");
	if (sw__capi_site_member(rq, rs, "site", 1, &n.site_id))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_rect_add(rq->st, &n, sw_compliance_now(), &id, &eb)))
		return sw__capi_err(rs, rc, &eb);
	return created(rq, rs, id);
}

/* POST /api/rectifications/from-finding {"site", "kind", "check"?,
 * "owner"?, "deadline"?} */
int sw__capi_rect_from_finding(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"site", "kind", "check", "owner", "deadline", NULL};
	const char *kind, *owner, *deadline;
	struct sw_errbuf eb;
	int64_t site, check = 0, id = 0;
	enum sw_err rc;

	if (sw__json_object(rq, rs, keys) || sw__capi_str(rq, rs, "kind", 1, &kind) ||
	    sw__capi_str(rq, rs, "owner", 0, &owner) ||
	    sw__capi_str(rq, rs, "deadline", 0, &deadline) ||
	    sw__json_id(rq, rs, "check", &check, NULL))
		return 0;
	if (!kind_ok(kind))
		return sw_resp_error(rs, 400, "kind", "kind must be a finding kind");
	if (sw__capi_site_member(rq, rs, "site", 1, &site))
		return 0;
	sw_errbuf_clear(&eb);
	rc = sw_rect_from_finding(rq->st, site, check, kind, owner, deadline, sw_compliance_now(),
				  &id, &eb);
	if (rc == SW_ENOTFOUND)
		return sw_resp_error(rs, 400, "kind", "%s", eb.msg);
	if (rc)
		return sw__capi_err(rs, rc, &eb);
	return created(rq, rs, id);
}

/* The site of an incident (0 when there is no such incident). */
static int inc_site_cb(void *arg, const struct sw_incident_row *r)
{
	*(int64_t *)arg = r->site_id;
	return 0;
}

/* POST /api/rectifications/from-incident {"incident", "owner"?,
 * "deadline"?}: the incident's site must be one the user may change. */
int sw__capi_rect_from_incident(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"incident", "owner", "deadline", NULL};
	const char *owner, *deadline;
	struct sw_errbuf eb;
	int64_t inc = 0, site = 0, id = 0;
	int present = 0;
	char ref[32];
	enum sw_err rc;

	if (sw__json_object(rq, rs, keys) || sw__capi_str(rq, rs, "owner", 0, &owner) ||
	    sw__capi_str(rq, rs, "deadline", 0, &deadline) ||
	    sw__json_id(rq, rs, "incident", &inc, &present))
		return 0;
	if (!present || inc <= 0)
		return sw_resp_error(rs, 400, "incident", "incident (an id) is required");
	sw_errbuf_clear(&eb);
	rc = sw_store_incident_get(rq->st, inc, inc_site_cb, &site, &eb);
	if (rc && rc != SW_ENOTFOUND)
		return sw_resp_from_err(rs, rc, &eb);
	if (rc == SW_ENOTFOUND) {
		struct sw_access ab;

		if (sw_api_access(rq->user, &ab))
			return sw_resp_error(rs, 403, "incident", "no incident you may change");
		return sw_resp_error(rs, 400, "incident", "no incident %" PRId64, inc);
	}
	snprintf(ref, sizeof ref, "%" PRId64, site);
	if (sw__capi_site_w(rq, rs, ref, "incident", &site))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_rect_from_incident(rq->st, inc, owner, deadline, sw_compliance_now(), &id,
					&eb)))
		return sw__capi_err(rs, rc, &eb);
	return created(rq, rs, id);
}

/* PATCH /api/rectifications/{id} {"status"?, "evidence"?, "owner"?,
 * "deadline"?} */
int sw__capi_rect_patch(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"status", "evidence", "owner", "deadline", NULL};
	struct sw_access ab;
	const struct sw_access *acc = sw_api_access(rq->user, &ab);
	const char *status, *evidence, *owner, *deadline;
	struct sw_errbuf eb;
	int64_t id;
	json_t *o;
	enum sw_err rc;

	if (sw__json_object(rq, rs, keys) || sw__capi_str(rq, rs, "status", 0, &status) ||
	    sw__capi_str(rq, rs, "evidence", 0, &evidence) ||
	    sw__capi_str(rq, rs, "owner", 0, &owner) ||
	    sw__capi_str(rq, rs, "deadline", 0, &deadline) || sw_api_id(rq, rs, 0, &id))
		return 0;
	if (!(o = rect_one(rq, id)))
		return sw_resp_error(rs, acc ? 403 : 404, NULL, "no rectification item %" PRId64 "%s",
				     id, acc ? " you may change" : "");
	json_decref(o);
	if (status && !strcmp(status, "verified") && rq->user->role == SW_ROLE_OPERATOR)
		return sw_resp_error(rs, 403, "status", "a unit does not verify its own fix");
	sw_errbuf_clear(&eb);
	if ((rc = sw_rect_set(rq->st, id, status, owner, deadline, evidence, sw_compliance_now(),
			      &eb)))
		return sw__capi_err(rs, rc, &eb);
	o = rect_one(rq, id);
	return sw_resp_json(rs, 200, o ? o : json_pack("{s:I}", "id", (json_int_t)id));
}

/* POST /api/rectifications/tick: the pass `sitewarden rectify tick` makes. */
int sw__capi_rect_tick(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_tick_result r;
	struct sw_errbuf eb;
	enum sw_err rc;

	if (rq->body_len && !json_is_object(rq->json))
		return sw_resp_error(rs, 400, NULL, "the tick takes no body");
	if (rq->json && json_object_size(rq->json))
		return sw_resp_error(rs, 400, json_object_iter_key(json_object_iter(rq->json)),
				     "unknown field");
	sw_errbuf_clear(&eb);
	if ((rc = sw_compliance_tick_cb(rq->st, sw_compliance_now(), NULL, NULL, &r, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	return sw_resp_json(rs, 200, json_pack("{s:I, s:I, s:I, s:I}", "overdue",
					       (json_int_t)r.overdue, "escalated",
					       (json_int_t)r.escalated, "ready", (json_int_t)r.ready,
					       "reopened", (json_int_t)r.reopened));
}

/* Escalations paged while walking. */
struct esc_page {
	json_t *items;
	int64_t seen, offset, limit;
};

static int append_esc(void *arg, const struct sw_cmp_row *r)
{
	struct esc_page *p = arg;

	if (p->seen >= p->offset && p->seen < p->offset + p->limit)
		json_array_append_new(p->items,
				      json_pack("{s:I, s:I, s:I, s:I, s:s?, s:s?, s:b}", "id",
						(json_int_t)r->i[SW_ESC_ID], "item",
						(json_int_t)r->i[SW_ESC_ITEM], "site_id",
						(json_int_t)r->i[SW_ESC_SITE], "created_at",
						(json_int_t)r->i[SW_ESC_CREATED], "deadline",
						r->s[SW_ESC_DEADLINE], "title", r->s[SW_ESC_TITLE],
						"delivered", r->s[SW_ESC_DELIVERED] != NULL));
	p->seen++;
	return 0;
}

/* GET /api/rectification-escalations?undelivered=1 (administrators and
 * auditors: the notification queue's view, every site). */
int sw__capi_escalations(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_filter f = {0};
	struct sw_errbuf eb;
	struct esc_page p;
	int undelivered;
	enum sw_err rc;

	if (sw_api_page(rq, rs, &f) || sw__capi_bool_arg(rq, rs, "undelivered", &undelivered))
		return 0;
	p = (struct esc_page){json_array(), 0, f.offset, f.limit};
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_escalations(rq->st, undelivered, append_esc, &p, &eb))) {
		json_decref(p.items);
		return sw_resp_from_err(rs, rc, &eb);
	}
	return sw_resp_json(rs, 200, sw_api_page_json(p.items, p.seen, &f));
}
