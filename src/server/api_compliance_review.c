/*
 * api_compliance_review.c - qualification review over HTTP: campaigns,
 * decisions, the tasks rejections open, and logged status overrides
 * (what `sitewarden review` does).
 *
 * A scoped user sees a campaign when it holds one of its sites, and then
 * only those sites and counts over them.  A supervisor opening a campaign
 * gets the sites of the asked scope that it may see (the rest are pruned
 * inside the same transaction), so it never reviews another's sites.
 */
#include <inttypes.h>
#include <string.h>

#include "compliance/compliance.h"
#include "register/register.h"
#include "server/api_compliance.h"
#include "server/api_json.h"
#include "server/api_register.h"

static int append_campaign(void *arg, const struct sw_cmp_row *r)
{
	json_array_append_new(arg, sw__capi_campaign_json(r));
	return 0;
}

static int append_item(void *arg, const struct sw_cmp_row *r)
{
	json_array_append_new(arg, sw__capi_item_json(r));
	return 0;
}

static int append_task(void *arg, const struct sw_cmp_row *r)
{
	json_array_append_new(arg, sw__capi_task_json(r));
	return 0;
}

/* GET /api/reviews */
int sw__capi_reviews_list(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_access ab;
	const struct sw_access *acc = sw_api_access(rq->user, &ab);
	struct sw_filter f = {0};
	struct sw_errbuf eb;
	int64_t total;
	json_t *items;
	enum sw_err rc;

	if (sw_api_page(rq, rs, &f))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_campaign_count_in(rq->st, acc, &total, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	items = json_array();
	if ((rc = sw_store_campaigns_in(rq->st, 0, acc, f.limit, f.offset, append_campaign, items,
					&eb))) {
		json_decref(items);
		return sw_resp_from_err(rs, rc, &eb);
	}
	return sw_resp_json(rs, 200, sw_api_page_json(items, total, &f));
}

/* The campaign of capture 0 as the user sees it (new reference), or NULL
 * with rs filled: 404 when absent or holding none of its sites (403 for a
 * write by a scoped user). */
static json_t *campaign_of(struct sw_req *rq, struct sw_resp *rs, int write, int64_t *id)
{
	struct sw_access ab;
	const struct sw_access *acc = sw_api_access(rq->user, &ab);
	struct sw_errbuf eb;
	json_t *one = json_array(), *c;
	enum sw_err rc;

	if (sw_api_id(rq, rs, 0, id)) {
		json_decref(one);
		return NULL;
	}
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_campaigns_in(rq->st, *id, acc, 1, 0, append_campaign, one, &eb))) {
		sw_resp_from_err(rs, rc, &eb);
		json_decref(one);
		return NULL;
	}
	if (!(c = json_array_get(one, 0))) {
		sw_resp_error(rs, write && acc ? 403 : 404, NULL, "no campaign %" PRId64 "%s", *id,
			      acc ? " you may see" : "");
		json_decref(one);
		return NULL;
	}
	json_incref(c);
	json_decref(one);
	return c;
}

/* GET /api/reviews/{id}?pending=1&limit&offset: the campaign with a page
 * of its (visible) items. */
int sw__capi_review_get(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_access ab;
	const struct sw_access *acc = sw_api_access(rq->user, &ab);
	struct sw_filter f = {0};
	struct sw_errbuf eb;
	int64_t id, total;
	int pending;
	json_t *c, *items;
	enum sw_err rc;

	if (sw_api_page(rq, rs, &f) || sw__capi_bool_arg(rq, rs, "pending", &pending))
		return 0;
	if (!(c = campaign_of(rq, rs, 0, &id)))
		return 0;
	sw_errbuf_clear(&eb);
	items = json_array();
	if ((rc = sw_store_review_item_count_in(rq->st, id, 0, pending, acc, &total, &eb)) ||
	    (rc = sw_store_review_items_in(rq->st, id, 0, pending, acc, f.limit, f.offset,
					   append_item, items, &eb))) {
		json_decref(items);
		json_decref(c);
		return sw_resp_from_err(rs, rc, &eb);
	}
	json_object_set_new(c, "items", sw_api_page_json(items, total, &f));
	return sw_resp_json(rs, 200, c);
}

/* POST /api/reviews {"name", "deadline", "kind"?, "region"?,
 * "unit_type"?, "group"?, "note"?} */
int sw__capi_reviews_open(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"name", "deadline", "kind", "region", "unit_type",
					   "group", "note", NULL};
	const char *name, *deadline, *kind, *region, *type, *note, *gref;
	json_t *g = json_object_get(rq->json, "group"), *c;
	struct sw_access ab;
	const struct sw_access *acc = sw_api_access(rq->user, &ab);
	struct sw_errbuf eb;
	int64_t group = 0, id = 0, n = 0;
	char gbuf[32];
	enum sw_err rc;

	if (sw__json_object(rq, rs, keys) || sw__capi_str(rq, rs, "name", 1, &name) ||
	    sw__capi_str(rq, rs, "deadline", 1, &deadline) ||
	    sw__capi_str(rq, rs, "kind", 0, &kind) || sw__capi_str(rq, rs, "region", 0, &region) ||
	    sw__capi_str(rq, rs, "unit_type", 0, &type) || sw__capi_str(rq, rs, "note", 0, &note))
		return 0;
	if (region && (strlen(region) != 6 || strspn(region, "0123456789") != 6))
		return sw_resp_error(rs, 400, "region", "region must be a six-digit code");
	if (type) {
		const struct sw_entity *u = sw_entity_get(SW_ENT_UNIT);
		const struct sw_enum_val *ev =
			sw_enum_find(u->fields[sw_field_index(SW_ENT_UNIT, "type")].enums, type);

		if (!ev)
			return sw_resp_error(rs, 400, "unit_type", "unit_type: unknown value");
		type = ev->key;
	}
	if (g && !json_is_null(g)) {
		if (json_is_integer(g))
			snprintf(gbuf, sizeof gbuf, "%" JSON_INTEGER_FORMAT, json_integer_value(g)),
				gref = gbuf;
		else if (sw__capi_str(rq, rs, "group", 1, &gref))
			return 0;
		sw_errbuf_clear(&eb);
		if (sw_reg_resolve(rq->st, sw_entity_get(SW_ENT_GROUP), gref, &group, &eb))
			return sw_resp_error(rs, 400, "group", "group: no such group");
	}
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_begin(rq->st, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	rc = sw_review_open(rq->st, name, kind, region, type, group, deadline, note,
			    sw_compliance_now(), &id, &n, &eb);
	if (!rc)
		rc = sw_store_review_items_prune(rq->st, id, acc, &n, &eb);
	if (!rc && n == 0) {
		sw_store_rollback(rq->st);
		return sw_resp_error(rs, 400, acc ? "region" : NULL,
				     "no site %sfalls in the campaign's scope", acc ? "of yours " : "");
	}
	if (rc) {
		sw_store_rollback(rq->st);
		return sw__capi_err(rs, rc, &eb);
	}
	if ((rc = sw_store_commit(rq->st, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	c = json_array();
	sw_store_campaigns_in(rq->st, id, acc, 1, 0, append_campaign, c, NULL);
	if (json_array_size(c) == 1) {
		json_t *o = json_incref(json_array_get(c, 0));

		json_decref(c);
		return sw_resp_json(rs, 201, o);
	}
	json_decref(c);
	return sw_resp_json(rs, 201, json_pack("{s:I, s:I}", "id", (json_int_t)id, "sites",
					       (json_int_t)n));
}

/* POST /api/reviews/{id}/decisions {"site", "decision", "reviewer"?,
 * "date"?, "note"?, "keep_online"?}; the reviewer defaults to the user. */
int sw__capi_review_decide(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"site", "decision", "reviewer", "date", "note",
					   "keep_online", NULL};
	const char *decision, *reviewer, *date, *note, *keep;
	struct sw_access ab;
	const struct sw_access *acc = sw_api_access(rq->user, &ab);
	struct sw_errbuf eb;
	int64_t camp, site;
	json_t *c, *items;
	enum sw_err rc;

	if (sw__json_object(rq, rs, keys) || sw__capi_str(rq, rs, "decision", 1, &decision) ||
	    sw__capi_str(rq, rs, "reviewer", 0, &reviewer) ||
	    sw__capi_str(rq, rs, "date", 0, &date) || sw__capi_str(rq, rs, "note", 0, &note) ||
	    sw__capi_str(rq, rs, "keep_online", 0, &keep))
		return 0;
	if (!(c = campaign_of(rq, rs, 1, &camp)))
		return 0;
	json_decref(c);
	if (sw__capi_site_member(rq, rs, "site", 1, &site))
		return 0;
	sw_errbuf_clear(&eb);
	rc = sw_review_decide(rq->st, camp, site, decision, reviewer ? reviewer : rq->user->name,
			      date, note, keep, sw_compliance_now(), &eb);
	if (rc == SW_ENOTFOUND && !eb.field[0])
		return sw_resp_error(rs, 400, "site", "%s", eb.msg);
	if (rc)
		return sw__capi_err(rs, rc, &eb);
	items = json_array();
	sw_store_review_items_in(rq->st, camp, site, 0, acc, 1, 0, append_item, items, NULL);
	c = json_incref(json_array_get(items, 0));
	json_decref(items);
	return sw_resp_json(rs, 200, c ? c : json_pack("{s:I}", "site_id", (json_int_t)site));
}

/* GET /api/review-tasks?site=&open=1 */
int sw__capi_tasks_list(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_access ab;
	const struct sw_access *acc = sw_api_access(rq->user, &ab);
	struct sw_filter f = {0};
	struct sw_errbuf eb;
	int64_t site = 0, total;
	int open;
	json_t *items;
	enum sw_err rc;

	if (sw_api_page(rq, rs, &f) || sw__capi_bool_arg(rq, rs, "open", &open) ||
	    sw_api_int_arg(rq, rs, "site", 1, INT64_MAX, &site))
		return 0;
	sw_errbuf_clear(&eb);
	items = json_array();
	if ((rc = sw_store_task_count_in(rq->st, site, open, acc, &total, &eb)) ||
	    (rc = sw_store_tasks_in(rq->st, 0, site, open, acc, f.limit, f.offset, append_task,
				    items, &eb))) {
		json_decref(items);
		return sw_resp_from_err(rs, rc, &eb);
	}
	return sw_resp_json(rs, 200, sw_api_page_json(items, total, &f));
}

/* POST /api/review-tasks/{id}/done {"by"?, "note"?}: by defaults to the
 * user. */
int sw__capi_task_done(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"by", "note", NULL};
	struct sw_access ab;
	const struct sw_access *acc = sw_api_access(rq->user, &ab);
	const char *by, *note;
	struct sw_errbuf eb;
	json_t *one;
	int64_t id;
	enum sw_err rc;

	if (rq->json || rq->body_len) {
		if (sw__json_object(rq, rs, keys) || sw__capi_str(rq, rs, "by", 0, &by) ||
		    sw__capi_str(rq, rs, "note", 0, &note))
			return 0;
	} else {
		by = note = NULL;
	}
	if (sw_api_id(rq, rs, 0, &id))
		return 0;
	sw_errbuf_clear(&eb);
	one = json_array();
	if ((rc = sw_store_tasks_in(rq->st, id, 0, 0, acc, 1, 0, append_task, one, &eb))) {
		json_decref(one);
		return sw_resp_from_err(rs, rc, &eb);
	}
	if (!json_array_size(one)) {
		json_decref(one);
		return sw_resp_error(rs, acc ? 403 : 404, NULL, "no task %" PRId64 "%s", id,
				     acc ? " you may change" : "");
	}
	json_decref(one);
	if ((rc = sw_store_task_done(rq->st, id, by ? by : rq->user->name, note,
				     sw_compliance_now(), &eb)))
		return rc == SW_ENOTFOUND ? sw_resp_error(rs, 409, NULL, "task %" PRId64 " is done "
							  "already", id)
					  : sw_resp_from_err(rs, rc, &eb);
	one = json_array();
	sw_store_tasks_in(rq->st, id, 0, 0, acc, 1, 0, append_task, one, NULL);
	{
		json_t *t = json_incref(json_array_get(one, 0));

		json_decref(one);
		return sw_resp_json(rs, 200, t ? t : json_pack("{s:I}", "id", (json_int_t)id));
	}
}

/* POST /api/sites/{id}/override {"status", "reason"}: logged under the
 * user's name, then the one status change the rules would refuse. */
int sw__capi_override(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"status", "reason", NULL};
	const char *status, *reason;
	struct sw_errbuf eb;
	int64_t id;
	enum sw_err rc;

	if (sw__json_object(rq, rs, keys) || sw__capi_str(rq, rs, "status", 1, &status) ||
	    sw__capi_str(rq, rs, "reason", 1, &reason))
		return 0;
	if (sw_api_id(rq, rs, 0, &id) || sw__capi_site_w(rq, rs, rq->params[0], NULL, &id))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_compliance_override(rq->st, id, status, rq->user->name, reason,
					 sw_compliance_now(), &eb)))
		return sw__capi_err(rs, rc, &eb);
	return sw_resp_json(rs, 200, json_pack("{s:I, s:s, s:s}", "site_id", (json_int_t)id,
					       "status", status, "by", rq->user->name));
}
