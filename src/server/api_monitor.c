/*
 * api_monitor.c - monitoring over HTTP: a site's checks, one check with
 * its findings, the open findings, and the overview.
 *
 * Every read is scoped in the store (the check's or finding's site must
 * be visible), so an out-of-scope site answers 404 like an absent one.
 *
 * The overview is the dashboard's landing page, asked by every user every
 * few seconds.  It is computed from state and daily rollups (overview.c)
 * and then kept for OVERVIEW_TTL seconds per (scope, filters), shared by
 * the server's threads: a supervisor's refreshes and a wall display do not
 * each rescan 100,000 sites, and checks arrive every few minutes anyway.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "register/register.h"
#include "server/api_register.h"
#include "store/overview.h"

/* How long a computed overview is served again (seconds).  Computing one
 * at 100,000 sites takes tens of milliseconds of CPU (hundreds on a loaded
 * machine) and slows the other requests meanwhile; checks arrive every few
 * minutes, so half a minute of age costs the dashboard nothing. */
#define OVERVIEW_TTL 30
#define OVERVIEW_SLOTS 64

/* JSON of a check row. */
static json_t *check_json(const struct sw_check_row *c)
{
	return json_pack("{s:I, s:I, s:I, s:i, s:I, s:I, s:I, s:I, s:I, s:s?, s:i, s:I, s:o}", "id",
			 (json_int_t)c->id, "checked_at", (json_int_t)c->checked_at, "status",
			 (json_int_t)c->status, "err", c->err, "total_ms", (json_int_t)c->total_ms,
			 "dns_ms", (json_int_t)c->dns_ms, "connect_ms", (json_int_t)c->connect_ms,
			 "tls_ms", (json_int_t)c->tls_ms, "first_byte_ms",
			 (json_int_t)c->first_byte_ms, "ip", c->ip, "http_version", c->http_version,
			 "body_size", (json_int_t)c->body_size, "tls_not_after",
			 c->tls_not_after ? json_integer(c->tls_not_after) : json_null());
}

/* 404 unless site id (capture 0) exists and the user may see it. */
static int visible_site(struct sw_req *rq, struct sw_resp *rs, int64_t *id)
{
	struct sw_access ab;
	struct sw_errbuf eb;
	struct sw_rec rec;
	enum sw_err rc;

	if (sw_api_id(rq, rs, 0, id))
		return -1;
	sw_errbuf_clear(&eb);
	rc = sw_store_get_in(rq->st, sw_entity_get(SW_ENT_SITE), *id,
			     sw_api_access(rq->user, &ab), &rec, &eb);
	sw_rec_cleanup(&rec);
	if (rc) {
		sw_resp_from_err(rs, rc, &eb);
		return -1;
	}
	return 0;
}

static int check_row(void *arg, const struct sw_check_row *c)
{
	json_array_append_new(arg, check_json(c));
	return 0;
}

/* GET /api/sites/{id}/checks?since=&limit=&offset= (newest first). */
static int site_checks(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_filter f = {0};
	struct sw_errbuf eb;
	int64_t id, since = 0, total = 0;
	enum sw_err rc;
	json_t *items;

	if (visible_site(rq, rs, &id) || sw_api_page(rq, rs, &f) ||
	    sw_api_int_arg(rq, rs, "since", 0, INT64_MAX / 2, &since))
		return 0;
	if (f.offset) /* the store walks from the newest: no offset */
		return sw_resp_error(rs, 400, "offset", "use since= to page through checks");
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_checks_count(rq->st, id, since, &total, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	items = json_array();
	if ((rc = sw_store_checks_recent(rq->st, id, since, f.limit, check_row, items, &eb))) {
		json_decref(items);
		return sw_resp_from_err(rs, rc, &eb);
	}
	return sw_resp_json(rs, 200, sw_api_page_json(items, total, &f));
}

static int keep_check(void *arg, const struct sw_check_row *c)
{
	*(json_t **)arg = check_json(c);
	return 0;
}

static int finding_row(void *arg, const struct sw_check_finding *f)
{
	if (json_array_size(arg) < 1000)
		json_array_append_new(arg, sw_api_finding_json(f->kind, f->severity, f->title,
								f->evidence));
	return 0;
}

/* GET /api/checks/{id}: the check and its findings. */
static int check_get(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_access ab;
	struct sw_errbuf eb;
	json_t *c = NULL, *fs;
	enum sw_err rc;
	int64_t id;

	if (sw_api_id(rq, rs, 0, &id))
		return 0;
	sw_errbuf_clear(&eb);
	rc = sw_store_check_get(rq->st, id, sw_api_access(rq->user, &ab), keep_check, &c, &eb);
	if (rc || !c)
		return sw_resp_from_err(rs, rc ? rc : SW_ENOMEM, &eb);
	fs = json_array();
	if ((rc = sw_store_check_findings(rq->st, id, finding_row, fs, &eb))) {
		json_decref(fs);
		json_decref(c);
		return sw_resp_from_err(rs, rc, &eb);
	}
	json_object_set_new(c, "findings", fs);
	return sw_resp_json(rs, 200, c);
}

static int open_row(void *arg, const struct sw_open_finding *o)
{
	json_t *j = sw_api_finding_json(o->f.kind, o->f.severity, o->f.title, o->f.evidence);

	json_object_set_new(j, "site_id", json_integer(o->site_id));
	json_object_set_new(j, "site_name", json_string(o->site_name ? o->site_name : ""));
	json_object_set_new(j, "check_id", json_integer(o->check_id));
	json_object_set_new(j, "checked_at", json_integer(o->checked_at));
	json_array_append_new(arg, j);
	return 0;
}

/* GET /api/findings?site=&region=&unit_type=&group=&kind=&severity= */
static int findings_list(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_access ab;
	struct sw_filter f;
	struct sw_errbuf eb;
	int64_t site = 0, total = 0;
	enum sw_err rc;
	json_t *items;

	if (sw_api_filter(rq, rs, sw_entity_get(SW_ENT_SITE), &f, &ab) ||
	    sw_api_int_arg(rq, rs, "site", 1, INT64_MAX, &site))
		return 0;
	items = json_array();
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_open_findings(rq->st, &f, site, open_row, items, &total, &eb))) {
		json_decref(items);
		return sw_resp_from_err(rs, rc, &eb);
	}
	return sw_resp_json(rs, 200, sw_api_page_json(items, total, &f));
}

/* The overview cache: computed JSON per key, shared by the threads.  An
 * expired entry is refreshed by one request while the others are served
 * the previous answer, so an expiry under load costs one computation, not
 * one per waiting request. */
static struct {
	pthread_mutex_t mu;
	struct { char key[160]; time_t at; json_t *json; int refreshing; } e[OVERVIEW_SLOTS];
	unsigned next;
} cache = {.mu = PTHREAD_MUTEX_INITIALIZER};

/*
 * A new reference to the overview cached under key, or NULL.  *refresh is
 * set when the caller is to compute it (absent, or expired and nobody is
 * refreshing it yet); the caller then ends with cache_put or cache_drop.
 */
static json_t *cache_get(const char *key, time_t now, int *refresh)
{
	json_t *j = NULL;
	int i;

	*refresh = 1;
	pthread_mutex_lock(&cache.mu);
	for (i = 0; i < OVERVIEW_SLOTS; i++)
		if (cache.e[i].json && !strcmp(cache.e[i].key, key))
			break;
	if (i < OVERVIEW_SLOTS) {
		int fresh = now >= cache.e[i].at && now - cache.e[i].at < OVERVIEW_TTL;

		if (fresh || cache.e[i].refreshing) {
			j = json_incref(cache.e[i].json);
			*refresh = 0;
		} else {
			cache.e[i].refreshing = 1;
		}
	}
	pthread_mutex_unlock(&cache.mu);
	return j;
}

/* Keeps j (a reference is taken) under key, replacing the same key or
 * the oldest slot in turn. */
static void cache_put(const char *key, time_t now, json_t *j)
{
	int slot = -1;

	pthread_mutex_lock(&cache.mu);
	for (int i = 0; i < OVERVIEW_SLOTS && slot < 0; i++)
		if (cache.e[i].json && !strcmp(cache.e[i].key, key))
			slot = i;
	if (slot < 0)
		slot = (int)(cache.next++ % OVERVIEW_SLOTS);
	json_decref(cache.e[slot].json);
	snprintf(cache.e[slot].key, sizeof cache.e[slot].key, "%s", key);
	cache.e[slot].at = now;
	cache.e[slot].json = json_incref(j);
	cache.e[slot].refreshing = 0;
	pthread_mutex_unlock(&cache.mu);
}

/* Gives up a refresh that failed: the next request tries again. */
static void cache_drop(const char *key)
{
	pthread_mutex_lock(&cache.mu);
	for (int i = 0; i < OVERVIEW_SLOTS; i++)
		if (cache.e[i].json && !strcmp(cache.e[i].key, key))
			cache.e[i].refreshing = 0;
	pthread_mutex_unlock(&cache.mu);
}

/* GET /api/overview?region=&unit_type=&group= */
static int overview(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_access ab;
	struct sw_filter f;
	struct sw_overview_q q = {0};
	struct sw_errbuf eb;
	char key[160];
	time_t now = time(NULL);
	enum sw_err rc;
	int refresh;
	json_t *o;

	if (sw_api_filter(rq, rs, sw_entity_get(SW_ENT_SITE), &f, &ab))
		return 0;
	q.acc = f.acc;
	q.region = f.region;
	q.unit_type = f.unit_type;
	q.group_id = f.group_id;
	q.now = (int64_t)now;
	q.days = 30;
	/* The key is everything the answer depends on: the scope, the
	 * filters and the day the trend ends on. */
	snprintf(key, sizeof key, "%d|%s|%" PRId64 "|%" PRId64 "|%s|%s|%" PRId64 "|%" PRId64,
		 q.acc != NULL, q.acc && q.acc->region ? q.acc->region : "",
		 q.acc ? q.acc->dept_id : 0, q.acc ? q.acc->unit_id : 0, q.region ? q.region : "",
		 q.unit_type ? q.unit_type : "", q.group_id, q.now / 86400);
	if ((o = cache_get(key, now, &refresh)) && !refresh)
		return sw_resp_json(rs, 200, o);
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_overview(rq->st, &q, &o, &eb))) {
		cache_drop(key);
		return sw_resp_from_err(rs, rc, &eb);
	}
	cache_put(key, now, o);
	return sw_resp_json(rs, 200, o);
}

int sw__api_site_diff(struct sw_req *rq, struct sw_resp *rs); /* api_monitor_diff.c */

#define READERS (SW_ROLE_ADMIN | SW_ROLE_SUPERVISOR | SW_ROLE_OPERATOR | SW_ROLE_AUDITOR)

const struct sw_route sw_api_routes_monitor[] = {
	{"GET", "/api/sites/{id}/checks", site_checks, 0, READERS, "a site's checks, newest first"},
	{"GET", "/api/sites/{id}/diff", sw__api_site_diff, 0, READERS,
	 "the page's visible text against its baseline's, line by line"},
	{"GET", "/api/checks/{id}", check_get, 0, READERS, "one check with its findings"},
	{"GET", "/api/findings", findings_list, 0, READERS, "open findings (each site's latest check)"},
	{"GET", "/api/overview", overview, 0, READERS, "the dashboard's overview"},
	{0},
};
