/*
 * register.c - adding, editing and removing register rows with the rules
 * that span fields or rows: defaults, derived fields, required fields and
 * uniqueness of URLs and host names across every site.
 */
#include "register/register.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compliance/compliance.h"
#include "model/validate.h"

/* Days in month m (1-12) of year y. */
static int month_days(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* Adds `months` to the date YYYY-MM-DD in `date`, clamping the day to the
 * end of the month (2024-08-31 + 6 months = 2025-02-28), into out. */
static int add_months(const char *date, int months, char *out, size_t n)
{
	int y, m, d;

	if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return -1;
	m += months;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	if (d > month_days(y, m))
		d = month_days(y, m);
	snprintf(out, n, "%04d-%02d-%02d", y, m, d);
	return 0;
}

/*
 * Fills the next MLPS assessment date when none is given: grade 3 systems
 * are assessed every year and grades 4 and 5 every half year (GB/T
 * 22239-2019 practice); grades 1 and 2 have no fixed cycle.
 */
static enum sw_err derive_site(struct sw_rec *rec)
{
	int due = sw_field_index(SW_ENT_SITE, "mlps_next_due");
	const char *assess = sw_rec_get(rec, sw_field_index(SW_ENT_SITE, "mlps_assess_date"));
	int64_t grade = sw_rec_get_int(rec, sw_field_index(SW_ENT_SITE, "mlps_grade"), 0);
	char next[16];

	if (sw_rec_get(rec, due) || !assess || grade < 3)
		return SW_OK;
	if (add_months(assess, grade == 3 ? 12 : 6, next, sizeof next))
		return SW_OK;
	return sw_rec_set(rec, due, next);
}

/* A region's level follows from its code; its parent, when not given, is
 * the city above a county (if registered) or else the province. */
static enum sw_err derive_region(struct sw_store *st, struct sw_rec *rec)
{
	const char *code = sw_rec_get(rec, sw_field_index(SW_ENT_REGION, "code"));
	int parent = sw_field_index(SW_ENT_REGION, "parent");
	char up[8];
	int64_t id;
	int level;
	enum sw_err rc;

	if (!code || sw_valid_region_code(code, up, sizeof up, &level, NULL))
		return SW_OK; /* reported as a missing or bad required field */
	if ((rc = sw_rec_set_int(rec, sw_field_index(SW_ENT_REGION, "level"), level)))
		return rc;
	if (sw_rec_get(rec, parent) || level == 1)
		return SW_OK;
	if (level == 3) {
		snprintf(up, sizeof up, "%.4s00", code);
		if (sw_store_find(st, rec->ent, sw_field_index(SW_ENT_REGION, "code"), up, &id, NULL,
				  NULL) == SW_OK)
			return sw_rec_set(rec, parent, up);
	}
	snprintf(up, sizeof up, "%.2s0000", code);
	return sw_rec_set(rec, parent, up);
}

/* Checks that a unique key field of rec is not held by another row. */
static enum sw_err check_unique(struct sw_store *st, const struct sw_rec *rec, const char *key,
				struct sw_errbuf *eb)
{
	int i = sw_field_index(rec->ent->id, key);
	const char *v = sw_rec_get(rec, i);
	int64_t other;

	char label[256];

	if (!v || sw_store_find(st, rec->ent, i, v, &other, NULL, NULL) != SW_OK || other == rec->id)
		return SW_OK;
	sw_reg_label(st, rec->ent->id, other, label, sizeof label);
	return sw_errf_field(eb, SW_EEXIST, key, "%s %s already belongs to %s %" PRId64 " (%s)", key,
			     v, rec->ent->name, other, label);
}

/*
 * Collects the host names of a site (the URL's host unless it is an IP
 * address, then the other domains) into names[], checking that none
 * repeats.  Whether another site holds one is learnt when they are stored
 * (see explain_domain), which saves a look-up per name on bulk imports.
 * The strings point into buf.
 */
static enum sw_err site_hosts(const struct sw_rec *rec, char *buf, size_t bufsz,
			      const char **names, size_t *n, int *url_host, struct sw_errbuf *eb)
{
	const char *url = sw_rec_get(rec, sw_field_index(SW_ENT_SITE, "url"));
	const char *doms = sw_rec_get(rec, sw_field_index(SW_ENT_SITE, "domains"));
	char canon[SW_URL_MAX + 1], host[SW_DOMAIN_MAX + 1], *save = NULL;
	int is_ip = 0;
	size_t max = *n;

	*n = 0;
	if (!url || sw_valid_url(url, canon, sizeof canon, host, sizeof host, &is_ip, NULL))
		return SW_OK; /* reported elsewhere */
	snprintf(buf, bufsz, "%s%s%s", is_ip ? "" : host, doms ? ";" : "", doms ? doms : "");
	for (char *p = strtok_r(buf, ";", &save); p; p = strtok_r(NULL, ";", &save)) {
		if (*n == max)
			return sw_errf_field(eb, SW_ELIMIT, "domains", "more than %zu domains", max - 1);
		for (size_t j = 0; j < *n; j++)
			if (strcmp(names[j], p) == 0)
				return sw_errf_field(eb, SW_EINVAL, "domains",
						     "domain %s is listed twice (the home page URL "
						     "already names it?)",
						     p);
		names[(*n)++] = p;
	}
	*url_host = !is_ip;
	return SW_OK;
}

/* Names the first of names[] that another site holds (after the store
 * refused them). */
static enum sw_err explain_domain(struct sw_store *st, const struct sw_rec *rec,
				  const char **names, size_t n, int url_host, struct sw_errbuf *eb)
{
	char label[256];
	int64_t other;

	for (size_t i = 0; i < n; i++) {
		if (sw_store_site_by_domain(st, names[i], &other, NULL) != SW_OK || other == rec->id)
			continue;
		sw_reg_label(st, SW_ENT_SITE, other, label, sizeof label);
		sw_errbuf_clear(eb);
		return sw_errf_field(eb, SW_EEXIST, i == 0 && url_host ? "url" : "domains",
				     "domain %s already belongs to site %" PRId64 " (%s)", names[i], other,
				     label);
	}
	return SW_EEXIST;
}

/* The unique key of each entity other than its id, or NULL. */
static const char *unique_key(enum sw_ent e)
{
	switch (e) {
	case SW_ENT_REGION:
		return "code";
	case SW_ENT_UNIT:
		return "credit_code";
	case SW_ENT_GROUP:
		return "name";
	case SW_ENT_SITE:
		return "url";
	default:
		return NULL;
	}
}

/* Turns the store's bare "already exists" into which key clashed with
 * which row. */
static enum sw_err explain_unique(struct sw_store *st, const struct sw_rec *rec,
				  struct sw_errbuf *eb)
{
	const char *key = unique_key(rec->ent->id);
	struct sw_errbuf why;

	sw_errbuf_clear(&why);
	if (key && check_unique(st, rec, key, &why) == SW_EEXIST) {
		sw_errbuf_clear(eb);
		return sw_errf_field(eb, SW_EEXIST, why.field, "%s", why.msg);
	}
	return SW_EEXIST;
}

/* Fills defaults and derived fields, then checks required fields and the
 * uniqueness rules of the entity. */
static enum sw_err prepare(struct sw_store *st, struct sw_rec *rec, struct sw_errbuf *eb)
{
	const struct sw_entity *ent = rec->ent;
	enum sw_err rc = SW_OK;

	for (size_t i = 0; i < ent->nfields && !rc; i++)
		if (ent->fields[i].dflt && !rec->v[i])
			rc = sw_rec_set(rec, (int)i, ent->fields[i].dflt);
	if (!rc && ent->id == SW_ENT_SITE)
		rc = derive_site(rec);
	if (!rc && ent->id == SW_ENT_REGION)
		rc = derive_region(st, rec);
	if (rc)
		return rc;
	for (size_t i = 0; i < ent->nfields; i++)
		if ((ent->fields[i].flags & SW_F_REQUIRED) && !rec->v[i])
			return sw_errf_field(eb, SW_EINVAL, ent->fields[i].key, "%s (%s) is required",
					     ent->fields[i].key, ent->fields[i].zh);
	/* New rows learn of a clash from the insert itself (explain_unique);
	 * an edit checks first, since an UPDATE cannot skip a conflict. */
	if (rec->id && unique_key(ent->id))
		return check_unique(st, rec, unique_key(ent->id), eb);
	return SW_OK;
}

/* Writes rec (insert when it has no id) and, for sites, its host names. */
static enum sw_err save(struct sw_store *st, struct sw_rec *rec, struct sw_errbuf *eb)
{
	/* A list of SW_REG_TEXT_MAX bytes holds fewer than 512 names of at least
	 * three bytes: site_hosts refuses more rather than drop any. */
	const char *names[512];
	char buf[SW_REG_TEXT_MAX + SW_DOMAIN_MAX + 2];
	size_t n = sizeof names / sizeof names[0];
	int url_host = 0, site = rec->ent->id == SW_ENT_SITE;
	enum sw_err rc;

	if ((rc = sw_store_begin(st, eb)))
		return rc;
	if ((rc = prepare(st, rec, eb)))
		goto out;
	if (site && (rc = site_hosts(rec, buf, sizeof buf, names, &n, &url_host, eb)))
		goto out;
	/* Status changes the compliance rules refuse (pre-launch gate,
	 * rejected review) stop here, inside the transaction, so an override
	 * the gate uses up is spent only if the change is written. */
	if (site && rec->id && (rc = sw_compliance_gate(st, rec, sw_compliance_now(), eb)))
		goto out;
	if (rec->id) {
		rc = sw_store_update(st, rec, eb);
		if (!rc && site)
			rc = sw_store_site_domains_set(st, rec->id, names, n, eb);
	} else if ((rc = sw_store_insert(st, rec, eb)) == SW_EEXIST) {
		rc = explain_unique(st, rec, eb);
	} else if (!rc && site) {
		rc = sw_store_site_domains_add(st, rec->id, names, n, eb);
	}
	if (rc == SW_EEXIST && site && rec->id)
		rc = explain_domain(st, rec, names, n, url_host, eb);
out:
	if (rc) {
		sw_store_rollback(st);
		return rc;
	}
	return sw_store_commit(st, eb);
}

enum sw_err sw_reg_add(struct sw_store *st, struct sw_rec *rec, struct sw_errbuf *eb)
{
	enum sw_err rc;

	rec->id = 0;
	if ((rc = save(st, rec, eb)))
		rec->id = 0;
	return rc;
}

enum sw_err sw_reg_update(struct sw_store *st, struct sw_rec *rec, struct sw_errbuf *eb)
{
	if (rec->id <= 0)
		sw_fatal("sw_reg_update on a record that was never stored");
	return save(st, rec, eb);
}

enum sw_err sw_reg_remove(struct sw_store *st, const struct sw_entity *ent, int64_t id,
			  struct sw_errbuf *eb)
{
	return sw_store_delete(st, ent, id, eb);
}

void sw_reg_label(struct sw_store *st, enum sw_ent e, int64_t id, char *buf, size_t n)
{
	const struct sw_entity *ent = sw_entity_get(e);
	struct sw_rec r;

	if (sw_store_get(st, ent, id, &r, NULL) == SW_OK) {
		const char *v = sw_rec_get(&r, ent->label_field);

		snprintf(buf, n, "%s", v ? v : "");
		sw_rec_cleanup(&r);
		return;
	}
	snprintf(buf, n, "#%" PRId64, id);
}

/* Overlays one stored setting on the policy being computed. */
static int overlay_cb(void *arg, const char *key, const char *value)
{
	struct { struct sw_policy *p; enum sw_scope scope; } *o = arg;

	sw_policy_overlay(o->p, o->scope, key, value);
	return 0;
}

enum sw_err sw_reg_policy(struct sw_store *st, int64_t group_id, int64_t site_id,
			  struct sw_policy *out, struct sw_errbuf *eb)
{
	struct { struct sw_policy *p; enum sw_scope scope; } o = {out, SW_SCOPE_GLOBAL};
	enum sw_err rc;

	sw_policy_defaults(out);
	if ((rc = sw_store_policy_get(st, SW_SCOPE_GLOBAL, 0, overlay_cb, &o, eb)))
		return rc;
	o.scope = SW_SCOPE_GROUP;
	if (group_id && (rc = sw_store_policy_get(st, SW_SCOPE_GROUP, group_id, overlay_cb, &o, eb)))
		return rc;
	o.scope = SW_SCOPE_SITE;
	if (site_id && (rc = sw_store_policy_get(st, SW_SCOPE_SITE, site_id, overlay_cb, &o, eb)))
		return rc;
	return SW_OK;
}

enum sw_err sw_reg_policy_set(struct sw_store *st, enum sw_scope scope, int64_t scope_id,
			      const char *key, const char *value, struct sw_errbuf *eb)
{
	char canon[SW_POLICY_VALUE_MAX];
	struct sw_errbuf why;
	size_t nf;
	int i = sw_policy_field(key);
	enum sw_err rc;

	if (i < 0)
		return sw_errf_field(eb, SW_EINVAL, key, "unknown policy field '%s'", key);
	key = sw_policy_fields(&nf)[i].key;
	sw_errbuf_clear(&why);
	if (value && (rc = sw_policy_check(i, value, canon, sizeof canon, &why)))
		return sw_errf_field(eb, rc, key, "%s", why.msg);
	return sw_store_policy_set(st, scope, scope_id, key, value ? canon : NULL, eb);
}
