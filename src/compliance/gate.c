/*
 * gate.c - the register's status rules that compliance owns: the
 * pre-launch gate (上线前安全检测: pre-launch -> online only after a passing
 * check recorded within prelaunch_check_days) and "a rejected site cannot
 * go (back) online"; both yield to an override that is logged first and
 * used up by the one status change it allows.
 */
#include "compliance/compliance.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "model/validate.h"
#include "register/register.h"

/* Sets *(int *)arg when called (a row exists). */
static int seen(void *arg, const struct sw_cmp_row *r)
{
	(void)r;
	*(int *)arg = 1;
	return 1;
}

/* Whether site_id has a passing gate check at or after since. */
static enum sw_err recent_pass(struct sw_store *st, int64_t site_id, int64_t since, int *ok,
			       struct sw_errbuf *eb)
{
	*ok = 0;
	return sw_store_gate_latest(st, site_id, since, 1, seen, ok, eb);
}

enum sw_err sw_compliance_gate(struct sw_store *st, const struct sw_rec *rec, int64_t now,
			       struct sw_errbuf *eb)
{
	int sf = sw_field_index(SW_ENT_SITE, "status");
	const char *to = sw_rec_get(rec, sf);
	char old_status[32], latest[16];
	const char *why = NULL;
	struct sw_rec old;
	struct sw_cmp_policy pol;
	int ok = 0, found = 0;
	enum sw_err rc;

	if (rec->ent->id != SW_ENT_SITE || !rec->id || !to)
		return SW_OK;
	if ((rc = sw_store_get(st, rec->ent, rec->id, &old, eb)))
		return rc == SW_ENOTFOUND ? SW_OK : rc;
	snprintf(old_status, sizeof old_status, "%s", sw_rec_get(&old, sf) ? sw_rec_get(&old, sf) : "");
	sw_rec_cleanup(&old);
	if (!strcmp(old_status, to) || (strcmp(to, "online") && strcmp(to, "pre-launch")))
		return SW_OK;
	if ((rc = sw_store_review_latest(st, rec->id, latest, eb)))
		return rc;
	if (!strcmp(latest, "rejected"))
		why = "its qualification review was rejected";
	if (!why && !strcmp(old_status, "pre-launch") && !strcmp(to, "online")) {
		int64_t gid = sw_rec_get_int(rec, sw_field_index(SW_ENT_SITE, "group"), 0);
		long days;

		if ((rc = sw_cmp_policy_load(st, &pol, eb)))
			return rc;
		days = sw_cmp_policy_get(&pol, gid, rec->id, SW_CP_PRELAUNCH_DAYS);
		sw_cmp_policy_cleanup(&pol);
		if ((rc = recent_pass(st, rec->id, now - days * 86400, &ok, eb)))
			return rc;
		if (!ok)
			why = "no passing `sitewarden check --record` in the last prelaunch_check_days "
			      "days (上线前安全检测)";
	}
	if (!why)
		return SW_OK;
	if ((rc = sw_store_override_take(st, rec->id, to, now, &found, eb)) || found)
		return rc;
	return sw_errf_field(eb, SW_EINVAL, "status",
			     "site %" PRId64 " cannot become %s: %s; log an override with "
			     "`sitewarden review override`",
			     rec->id, to, why);
}

enum sw_err sw_compliance_override(struct sw_store *st, int64_t site_id, const char *to_status,
				   const char *actor, const char *reason, int64_t now,
				   struct sw_errbuf *eb)
{
	const struct sw_entity *ent = sw_entity_get(SW_ENT_SITE);
	struct sw_rec rec;
	enum sw_err rc;

	if (!actor || !*actor)
		return sw_errf_field(eb, SW_EINVAL, "by", "an override names who decided it");
	if (!reason || !*reason)
		return sw_errf_field(eb, SW_EINVAL, "reason", "an override needs a reason");
	if ((rc = sw_store_get(st, ent, site_id, &rec, eb)))
		return rc;
	if ((rc = sw_reg_apply(st, &rec, sw_field_index(SW_ENT_SITE, "status"), to_status, eb)))
		goto out;
	if ((rc = sw_store_begin(st, eb)))
		goto out;
	rc = sw_store_override_add(st, site_id, sw_rec_get(&rec, sw_field_index(SW_ENT_SITE, "status")),
				   actor, reason, now, NULL, eb);
	if (!rc)
		rc = sw_reg_update(st, &rec, eb);
	if (rc)
		sw_store_rollback(st);
	else
		rc = sw_store_commit(st, eb);
out:
	sw_rec_cleanup(&rec);
	return rc;
}

enum sw_err sw_compliance_gate_record(struct sw_store *st, const char *url, int passed,
				      const char *worst, int64_t nfindings, int64_t now,
				      int64_t *site_id, struct sw_errbuf *eb)
{
	char canon[SW_URL_MAX + 1], host[SW_DOMAIN_MAX + 1];
	enum sw_err rc;

	*site_id = 0;
	if (sw_valid_url(url, canon, sizeof canon, host, sizeof host, NULL, eb))
		return SW_EINVAL;
	rc = sw_store_site_by_domain(st, host, site_id, NULL);
	if (rc == SW_ENOTFOUND) /* an address URL is not indexed by host: the URL itself */
		rc = sw_store_find(st, sw_entity_get(SW_ENT_SITE), sw_field_index(SW_ENT_SITE, "url"),
				   canon, site_id, NULL, NULL);
	if (rc == SW_ENOTFOUND) {
		*site_id = 0;
		return SW_OK;
	}
	if (rc)
		return sw_errf(eb, rc, "looking up %s failed", host);
	return sw_store_gate_record(st, *site_id, now, passed, worst, nfindings, canon, eb);
}
