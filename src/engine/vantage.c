/*
 * vantage.c - checks of one site from several labelled vantage points
 * (policy key `vantage`, e.g. net=unicom,net=telecom; docs/deploy.md).
 *
 * A vantage check is the site's page fetched as itself by a node with
 * that label; it writes only what it saw (the addresses the name resolved
 * to and the page's snapshot key) into the site's vantage row.  The
 * comparison happens in the site's own check, whichever node makes it:
 * when the fresh observations (the check's own and the vantage points'
 * of the last two intervals) disagree on the addresses or on the page,
 * the check gets a dns.vantage_differs or defacement.vantage_differs
 * finding, so it goes through alerts like any other.  A site served by a
 * CDN answers differently by network on purpose: ask for vantage points
 * only where one answer is expected.
 */
#include "engine/engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "register/register.h"
#include "store/lease.h"

#define VANTAGE_MAX 16

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The addresses r resolved to, sorted and ';'-joined into buf (DNS round
 * robin must not look like a difference). */
static void sorted_addrs(const struct sw_fetch_result *r, char *buf, size_t cap)
{
	const char *v[16];
	size_t n = 0, used = 0;

	for (size_t i = 0; i < r->n_addrs && i < 16; i++)
		v[n++] = r->addrs[i];
	if (n == 0 && r->primary_ip[0])
		v[n++] = r->primary_ip;
	qsort(v, n, sizeof v[0], cmp_str);
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < cap; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ";" : "", v[i]);
}

enum sw_err sw__engine_vantage_done(struct sw__engine *e, struct sw__item *it)
{
	const struct sw_fetch_result *r = it->r[SW_FETCH_AS_SELF];
	char ips[16 * 49], key[SW_SNAPSHOT_KEY_LEN];
	struct sw_policy pol;
	int64_t now = time(NULL);
	struct sw_vantage_seen v = {.site_id = it->site_id, .vantage = it->vantage,
				    .node = e->node, .checked_at = now};
	enum sw_err rc;

	if ((rc = sw_reg_policy(e->st, it->group_id, it->site_id, &pol, &e->eb)))
		return rc;
	sorted_addrs(r, ips, sizeof ips);
	v.ips = ips[0] ? ips : NULL;
	/* Only a page that answered 2xx is compared: an error page says
	 * nothing about tampering on one network. */
	if (r->status >= 200 && r->status < 300) {
		sw_store_snapshot_key(r->body, r->body_len, key);
		v.body_hash = key;
	}
	return sw_store_vantage_record(e->st, &v,
				       sw_sched_next_due(it->site_id, now,
							 sw_policy_int(&pol, "interval")),
				       &e->eb);
}

/* The observations compared: the check's own first, then each vantage
 * point's.  Strings owned. */
struct seen {
	char *who[VANTAGE_MAX + 1], *ips[VANTAGE_MAX + 1], *hash[VANTAGE_MAX + 1];
	size_t n;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int collect(void *arg, const struct sw_vantage_seen *v)
{
	struct seen *s = arg;

	if (s->n > VANTAGE_MAX)
		return 1;
	s->who[s->n] = strdup(v->vantage);
	s->ips[s->n] = dup_or_null(v->ips);
	s->hash[s->n] = dup_or_null(v->body_hash);
	s->n++;
	return 0;
}

static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->who[i]), free(s->ips[i]), free(s->hash[i]);
}

/* True when the non-NULL values of v[0..n) are not all equal. */
static int differ(char *const *v, size_t n)
{
	const char *first = NULL;

	for (size_t i = 0; i < n; i++) {
		if (!v[i])
			continue;
		if (!first)
			first = v[i];
		else if (strcmp(first, v[i]))
			return 1;
	}
	return 0;
}

/* Adds finding `key` with each observer's value of v as evidence. */
static enum sw_err add_finding(struct sw_findings *fs, const char *key, const char *what,
			       const struct seen *s, char *const *v)
{
	json_t *obj = json_object(), *by = json_object();
	char *text = NULL;
	enum sw_err rc = SW_ENOMEM;

	if (!obj || !by)
		goto out;
	for (size_t i = 0; i < s->n; i++)
		if (v[i] && json_object_set_new(by, s->who[i], json_string(v[i])))
			goto out;
	if (json_object_set(obj, "by_vantage", by) || !(text = json_dumps(obj, JSON_SORT_KEYS)))
		goto out;
	rc = sw_findings_add(fs, key, sw_finding_kind(key)->sev, text,
			     "%s differ between %zu vantage points", what, s->n);
out:
	free(text);
	json_decref(by);
	json_decref(obj);
	return rc;
}

/* Splits the policy's vantage list (cut in place) into v; returns how
 * many ("none" is zero). */
static size_t policy_labels(char *list, const char **v, size_t cap)
{
	char *save = NULL;
	size_t n = 0;

	for (char *tok = strtok_r(list, ",", &save); tok && n < cap;
	     tok = strtok_r(NULL, ",", &save))
		if (strcmp(tok, "none"))
			v[n++] = tok;
	return n;
}

enum sw_err sw__engine_vantage_compare(struct sw__engine *e, struct sw__item *it,
				       struct sw_findings *fs)
{
	const struct sw_fetch_result *r = it->r[SW_FETCH_AS_SELF];
	int field = sw_policy_field("vantage");
	char list[SW_POLICY_VALUE_MAX], ips[16 * 49], key[SW_SNAPSHOT_KEY_LEN];
	const char *labels[VANTAGE_MAX];
	struct seen s = {0};
	size_t n;
	long interval = sw_policy_int(it->pol, "interval");
	enum sw_err rc;

	if (field < 0)
		return SW_OK;
	snprintf(list, sizeof list, "%s", it->pol->v[field]);
	n = policy_labels(list, labels, VANTAGE_MAX);
	if ((rc = sw_store_vantage_sync(e->st, it->site_id, labels, n, it->now, &e->eb)) || n == 0)
		return rc;
	sorted_addrs(r, ips, sizeof ips);
	s.who[0] = strdup("self");
	s.ips[0] = ips[0] ? strdup(ips) : NULL;
	if (r->status >= 200 && r->status < 300) {
		sw_store_snapshot_key(r->body, r->body_len, key);
		s.hash[0] = strdup(key);
	}
	s.n = 1;
	if (!s.who[0]) {
		rc = SW_ENOMEM;
		goto out;
	}
	if ((rc = sw_store_vantage_walk(e->st, it->site_id, it->now - 2 * (int64_t)interval,
					collect, &s, &e->eb)))
		goto out;
	if (differ(s.ips, s.n))
		rc = add_finding(fs, "dns.vantage_differs", "resolved addresses", &s, s.ips);
	if (!rc && differ(s.hash, s.n))
		rc = add_finding(fs, "defacement.vantage_differs", "pages", &s, s.hash);
out:
	seen_free(&s);
	return rc;
}
