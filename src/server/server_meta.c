/*
 * server_meta.c - the server's own routes: GET /healthz (liveness: the
 * process answers and its store connection works), GET /metrics
 * (Prometheus text exposition format 0.0.4; public on loopback, where the
 * local Prometheus scrapes, and for administrators elsewhere) and
 * GET /api/openapi.json.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"
#include "server/server_int.h"
#include "store/metrics.h"

/* How far back the latency histogram looks. */
#define LATENCY_WINDOW 3600

static int healthz(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_errbuf eb;
	char *ok = strdup("ok\n");
	int64_t n;

	sw_errbuf_clear(&eb);
	if (!ok)
		return sw_resp_error(rs, 500, NULL, "out of memory");
	if (sw_store_user_count(rq->st, &n, &eb)) {
		free(ok);
		return sw_resp_error(rs, 503, NULL, "the database does not answer");
	}
	return sw_resp_bytes(rs, 200, "text/plain; charset=utf-8", ok, 3);
}

/* A growing text buffer for the exposition. */
struct text {
	char *b;
	size_t n, cap;
	int oom;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (t->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		w = vsnprintf(t->b + t->n, t->cap - t->n, fmt, ap);
		va_end(ap);
		if (w < 0) {
			t->oom = 1;
			return;
		}
		if ((size_t)w < t->cap - t->n)
			break;
		char *nb = realloc(t->b, t->cap * 2 + (size_t)w);
		if (!nb) {
			t->oom = 1;
			return;
		}
		t->b = nb;
		t->cap = t->cap * 2 + (size_t)w;
	}
	t->n += (size_t)w;
}

/* One finding-kind sample; kinds are table keys ([a-z_.]), safe as labels. */
static int put_kind(void *arg, const char *kind, int64_t n)
{
	put(arg, "sitewarden_findings_open{kind=\"%s\"} %lld\n", kind ? kind : "", (long long)n);
	return 0;
}

/* 1 when the peer is on this machine. */
static int loopback(const char *remote)
{
	return !strncmp(remote, "127.", 4) || !strcmp(remote, "::1");
}

/* The running engine's own counters (this process's checks since start). */
static void put_engine(struct text *t, struct sw_engine_counters *c)
{
	struct sw_engine_stats e;

	sw_engine_counters_read(c, &e);
	put(t, "# HELP sitewarden_engine_checks_total Checks this process's engine recorded.\n"
	       "# TYPE sitewarden_engine_checks_total counter\nsitewarden_engine_checks_total %llu\n"
	       "# HELP sitewarden_engine_failures_total Of them, checks whose fetch failed.\n"
	       "# TYPE sitewarden_engine_failures_total counter\n"
	       "sitewarden_engine_failures_total %llu\n"
	       "# HELP sitewarden_engine_rounds_total Scheduling rounds run.\n"
	       "# TYPE sitewarden_engine_rounds_total counter\nsitewarden_engine_rounds_total %llu\n",
	    (unsigned long long)e.checks, (unsigned long long)e.failures,
	    (unsigned long long)e.rounds);
	put(t, "# HELP sitewarden_engine_queue_depth Sites taken this round and not yet recorded.\n"
	       "# TYPE sitewarden_engine_queue_depth gauge\nsitewarden_engine_queue_depth %llu\n"
	       "# HELP sitewarden_engine_due_last_round Sites due in the last round.\n"
	       "# TYPE sitewarden_engine_due_last_round gauge\n"
	       "sitewarden_engine_due_last_round %llu\n",
	    (unsigned long long)e.queue_depth, (unsigned long long)e.due_last_round);
	put(t, "# HELP sitewarden_engine_findings_total Findings recorded, by family.\n"
	       "# TYPE sitewarden_engine_findings_total counter\n");
	for (size_t i = 0; i < e.n_families && i < SW_ENGINE_FAMILIES; i++)
		put(t, "sitewarden_engine_findings_total{family=\"%s\"} %llu\n",
		    e.family[i] ? e.family[i] : "", (unsigned long long)e.by_family[i]);
	put(t, "# HELP sitewarden_engine_fetch_latency_ms Time of each site's own fetch.\n"
	       "# TYPE sitewarden_engine_fetch_latency_ms histogram\n");
	for (int i = 0; i < SW_ENGINE_LAT_BUCKETS; i++) {
		if (e.lat_le_ms[i] > 0)
			put(t, "sitewarden_engine_fetch_latency_ms_bucket{le=\"%lld\"} %llu\n",
			    (long long)e.lat_le_ms[i], (unsigned long long)e.lat_count[i]);
	}
	put(t, "sitewarden_engine_fetch_latency_ms_bucket{le=\"+Inf\"} %llu\n"
	       "sitewarden_engine_fetch_latency_ms_sum %lld\n"
	       "sitewarden_engine_fetch_latency_ms_count %llu\n",
	    (unsigned long long)e.lat_n, (long long)e.lat_sum_ms, (unsigned long long)e.lat_n);
}

static int metrics(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_store_metrics m;
	struct sw_errbuf eb;
	struct text t = {malloc(4096), 0, 4096, 0};
	int64_t now = (int64_t)time(NULL);

	sw_errbuf_clear(&eb);
	if (!loopback(rq->remote) && (!rq->user || rq->user->role != SW_ROLE_ADMIN)) {
		free(t.b);
		return sw_resp_error(rs, rq->user ? 403 : 401, NULL,
				     "metrics are for loopback or administrators");
	}
	if (!t.b)
		return sw_resp_error(rs, 500, NULL, "out of memory");
	if (sw_store_metrics_get(rq->st, now, LATENCY_WINDOW, &m, &eb)) {
		free(t.b);
		return sw_resp_from_err(rs, SW_ESTORE, &eb);
	}
	put(&t, "# HELP sitewarden_checks_total Checks recorded since the database was made.\n"
		"# TYPE sitewarden_checks_total counter\nsitewarden_checks_total %lld\n",
	    (long long)m.checks_total);
	put(&t, "# HELP sitewarden_sites Sites in the register.\n# TYPE sitewarden_sites gauge\n"
		"sitewarden_sites %lld\n# HELP sitewarden_sites_down Sites whose last state is "
		"down.\n# TYPE sitewarden_sites_down gauge\nsitewarden_sites_down %lld\n",
	    (long long)m.sites, (long long)m.sites_down);
	put(&t, "# HELP sitewarden_queue_due Scheduled sites due for a check now.\n"
		"# TYPE sitewarden_queue_due gauge\nsitewarden_queue_due %lld\n"
		"# HELP sitewarden_queue_scheduled Sites with a schedule.\n"
		"# TYPE sitewarden_queue_scheduled gauge\nsitewarden_queue_scheduled %lld\n",
	    (long long)m.due, (long long)m.scheduled);
	put(&t, "# HELP sitewarden_findings_open Findings of each site's latest check, by kind.\n"
		"# TYPE sitewarden_findings_open gauge\n");
	if (sw_store_metrics_findings(rq->st, put_kind, &t, &eb)) {
		free(t.b);
		return sw_resp_from_err(rs, SW_ESTORE, &eb);
	}
	put(&t, "# HELP sitewarden_probe_latency_ms Total time of the checks of the last hour.\n"
		"# TYPE sitewarden_probe_latency_ms histogram\n");
	for (int i = 0; i < SW_METRICS_BUCKETS; i++)
		put(&t, "sitewarden_probe_latency_ms_bucket{le=\"%lld\"} %lld\n",
		    (long long)sw_metrics_bucket_ms[i], (long long)m.lat_le[i]);
	put(&t, "sitewarden_probe_latency_ms_bucket{le=\"+Inf\"} %lld\n"
		"sitewarden_probe_latency_ms_sum %lld\nsitewarden_probe_latency_ms_count %lld\n",
	    (long long)m.lat_count, (long long)m.lat_sum_ms, (long long)m.lat_count);
	put(&t, "# HELP sitewarden_agents Enrolled host agents.\n# TYPE sitewarden_agents gauge\n"
		"sitewarden_agents %lld\n# HELP sitewarden_agents_silent Agents that missed their "
		"heartbeats.\n# TYPE sitewarden_agents_silent gauge\nsitewarden_agents_silent %lld\n"
		"# HELP sitewarden_agent_events_total Agent events stored.\n"
		"# TYPE sitewarden_agent_events_total counter\nsitewarden_agent_events_total %lld\n",
	    (long long)m.agents, (long long)m.agents_silent, (long long)m.agent_events);
	put(&t, "# HELP sitewarden_http_requests_total Requests answered by this process.\n"
		"# TYPE sitewarden_http_requests_total counter\nsitewarden_http_requests_total %llu\n"
		"# HELP sitewarden_http_errors_total Requests answered with 5xx.\n"
		"# TYPE sitewarden_http_errors_total counter\nsitewarden_http_errors_total %llu\n",
	    (unsigned long long)atomic_load(&rq->srv->n_requests),
	    (unsigned long long)atomic_load(&rq->srv->n_errors));
	if (rq->srv->engine)
		put_engine(&t, rq->srv->engine);
	if (t.oom) {
		free(t.b);
		return sw_resp_error(rs, 500, NULL, "out of memory");
	}
	return sw_resp_bytes(rs, 200, "text/plain; version=0.0.4; charset=utf-8", t.b, t.n);
}

static int openapi(struct sw_req *rq, struct sw_resp *rs)
{
	char *b;

	if (!rq->srv->openapi || !(b = malloc(rq->srv->openapi_len + 1)))
		return sw_resp_error(rs, 500, NULL, "no OpenAPI document");
	memcpy(b, rq->srv->openapi, rq->srv->openapi_len + 1);
	return sw_resp_bytes(rs, 200, "application/json", b, rq->srv->openapi_len);
}

const struct sw_route sw_api_routes_meta[] = {
	{"GET", "/healthz", healthz, SW_R_PUBLIC, 0, "liveness: answers ok when the store works"},
	{"GET", "/metrics", metrics, SW_R_PUBLIC, 0,
	 "Prometheus metrics (loopback or administrators)"},
	{"GET", "/api/openapi.json", openapi, SW_R_PUBLIC, 0, "this API's OpenAPI 3 document"},
	{0},
};
