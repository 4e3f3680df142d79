/*
 * review.c - qualification review campaigns (开办审核/资格复核).
 *
 * A campaign fixes its set of sites when it opens (the 2015 plan asks for
 * every site of a region or sector to be reviewed by a date); decisions
 * are per site.  A rejection has consequences in the register: the site's
 * review fields follow, the domain clean-up and ICP filing cancellation
 * tasks open, and the site leaves online/pre-launch unless the reviewer
 * logs an override with a reason.
 */
#include "compliance/compliance.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "register/register.h"

/* Site ids collected from a register list. */
struct site_ids {
	int64_t *v;
	size_t n, cap;
	int oom;
	int status_field;
};

/* Keeps every site that is not closed. */
static int collect_site(void *arg, const struct sw_rec *rec)
{
	struct site_ids *l = arg;
	const char *status = sw_rec_get(rec, l->status_field);

	if (status && strcmp(status, "closed") == 0)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		int64_t *v = realloc(l->v, cap * sizeof *v);

		if (!v) {
			l->oom = 1;
			return 1;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = rec->id;
	return 0;
}

enum sw_err sw_review_open(struct sw_store *st, const char *name, const char *kind,
			   const char *region, const char *unit_type, int64_t group_id,
			   const char *deadline, const char *note, int64_t now, int64_t *id,
			   int64_t *nsites, struct sw_errbuf *eb)
{
	struct sw_filter f = {.region = region, .unit_type = unit_type, .group_id = group_id};
	struct site_ids l = {.status_field = sw_field_index(SW_ENT_SITE, "status")};
	char d[11];
	int64_t cid = 0;
	enum sw_err rc;

	if (!name || !*name)
		return sw_errf_field(eb, SW_EINVAL, "name", "a campaign needs a name");
	if (!kind)
		kind = "recheck";
	if (strcmp(kind, "opening") && strcmp(kind, "recheck"))
		return sw_errf_field(eb, SW_EINVAL, "kind", "kind must be opening or recheck");
	if ((rc = sw_cmp_date_input(deadline, "deadline", d, eb)))
		return rc;
	if ((rc = sw_store_begin(st, eb)))
		return rc;
	rc = sw_store_list(st, sw_entity_get(SW_ENT_SITE), &f, collect_site, &l, eb);
	if (!rc && l.oom)
		rc = sw_errf(eb, SW_ENOMEM, "out of memory listing sites");
	if (!rc)
		rc = sw_store_campaign_add(st, name, kind, region, unit_type, group_id, d, note, now,
					   &cid, eb);
	for (size_t i = 0; i < l.n && !rc; i++)
		rc = sw_store_review_item_add(st, cid, l.v[i], eb);
	free(l.v);
	if (rc) {
		sw_store_rollback(st);
		return rc;
	}
	if (id)
		*id = cid;
	if (nsites)
		*nsites = (int64_t)l.n;
	return sw_store_commit(st, eb);
}

/* Finds the item of (campaign, site) into *item_id. */
static int item_cb(void *arg, const struct sw_cmp_row *r)
{
	*(int64_t *)arg = r->i[SW_RI_ID];
	return 1;
}

/* Canonical decision of a user's spelling, or NULL. */
static const char *decision_key(const char *in)
{
	if (!in)
		return NULL;
	if (!strcmp(in, "approved") || !strcmp(in, "approve") || !strcmp(in, "通过"))
		return "approved";
	if (!strcmp(in, "rejected") || !strcmp(in, "reject") || !strcmp(in, "不通过"))
		return "rejected";
	return NULL;
}

/* Writes the decision into the register's review fields and, for a
 * rejection without keep_reason, suspends a live site. */
static enum sw_err update_site(struct sw_store *st, int64_t site_id, const char *dec,
			       const char *reviewer, const char *date, const char *note,
			       const char *keep_reason, struct sw_errbuf *eb)
{
	const struct sw_entity *ent = sw_entity_get(SW_ENT_SITE);
	const char *kv[] = {"review_state", dec, "review_date", date, "reviewer", reviewer,
			    "review_note", note ? note : ""};
	struct sw_rec rec;
	const char *status;
	enum sw_err rc;

	if ((rc = sw_store_get(st, ent, site_id, &rec, eb)))
		return rc;
	for (int i = 0; i < 4 && !rc; i++)
		rc = sw_reg_apply(st, &rec, sw_entity_field_key(ent, kv[2 * i]), kv[2 * i + 1], eb);
	status = sw_rec_get(&rec, sw_field_index(SW_ENT_SITE, "status"));
	if (!rc && !strcmp(dec, "rejected") && !keep_reason && status &&
	    (!strcmp(status, "online") || !strcmp(status, "pre-launch")))
		rc = sw_reg_apply(st, &rec, sw_field_index(SW_ENT_SITE, "status"), "suspended", eb);
	if (!rc)
		rc = sw_reg_update(st, &rec, eb);
	sw_rec_cleanup(&rec);
	return rc;
}

enum sw_err sw_review_decide(struct sw_store *st, int64_t campaign_id, int64_t site_id,
			     const char *decision, const char *reviewer, const char *date,
			     const char *note, const char *keep_reason, int64_t now,
			     struct sw_errbuf *eb)
{
	const char *dec = decision_key(decision);
	int64_t item = 0;
	char d[11];
	enum sw_err rc;

	if (!dec)
		return sw_errf_field(eb, SW_EINVAL, "decision",
				     "decision must be approved or rejected (通过/不通过)");
	if (!reviewer || !*reviewer)
		return sw_errf_field(eb, SW_EINVAL, "reviewer", "the reviewer is needed");
	if (date)
		rc = sw_cmp_date_input(date, "date", d, eb);
	else
		sw_cmp_date(now, d), rc = SW_OK;
	if (rc)
		return rc;
	if (keep_reason && !*keep_reason)
		return sw_errf_field(eb, SW_EINVAL, "keep_online", "an override needs a reason");
	if ((rc = sw_store_review_items(st, campaign_id, site_id, 0, item_cb, &item, eb)))
		return rc;
	if (!item)
		return sw_errf(eb, SW_ENOTFOUND, "site %" PRId64 " is not in campaign %" PRId64,
			       site_id, campaign_id);
	if ((rc = sw_store_begin(st, eb)))
		return rc;
	rc = sw_store_review_decide(st, item, dec, reviewer, d, note, now, eb);
	if (!rc && !strcmp(dec, "rejected")) {
		rc = sw_store_task_add(st, item, site_id, "domain_cleanup", now, eb);
		if (!rc)
			rc = sw_store_task_add(st, item, site_id, "icp_cancel", now, eb);
		if (!rc && keep_reason) {
			int used;

			/* Logged and used at once: it is what keeps the site up. */
			rc = sw_store_override_add(st, site_id, "online", reviewer, keep_reason, now,
						   NULL, eb);
			if (!rc)
				rc = sw_store_override_take(st, site_id, "online", now, &used, eb);
		}
	}
	if (!rc)
		rc = update_site(st, site_id, dec, reviewer, d, note, keep_reason, eb);
	if (rc) {
		sw_store_rollback(st);
		return rc;
	}
	return sw_store_commit(st, eb);
}
