/*
 * engine_int.h - what the files of the engine share (engine.c the loop,
 * check.c one site's check, counters.c the counters).  Not a contract.
 */
#ifndef SW_ENGINE_ENGINE_INT_H
#define SW_ENGINE_ENGINE_INT_H

#include <pthread.h>

#include "analyze/analyze.h"
#include "analyze/worker.h"
#include "engine/engine.h"
#include "engine/facts.h"

/* State of one run, shared with the fetcher's callback. */
struct sw__engine {
	struct sw_store *st;
	struct sw_fetcher *f;
	const struct sw_engine_opts *o;
	struct sw_an_rules *rules; /* NULL: no page analysis */
	struct sw_an_worker_limits lim;
	struct sw_engine_notes notes;
	enum sw_err rc;            /* the first store failure: stops the run */
	struct sw_errbuf eb;
};

/* One due site, the user pointer of its fetches; owned by the run. */
struct sw__item {
	int64_t site_id, group_id, since;
	int fails, up;
	char *ips, *last_ips;          /* may be NULL */
	struct sw_fetch_result *r[3];  /* the views by enum sw_fetch_as; owned */
	int pending;                   /* fetches still in flight */
	int no_baseline;               /* analysed without any stored baseline */
};

void sw__item_free(struct sw__item *it);

/* The fetcher's callback (check.c): collects an item's views and, when
 * the last arrives, checks, stores and reports the site. */
void sw__engine_on_result(struct sw_fetch_result *r, void *arg);

/* counters.c */
void sw__engine_count_check(struct sw_engine_counters *c, const struct sw_engine_check *chk,
			    int failed, int64_t latency_ms);
void sw__engine_count_round(struct sw_engine_counters *c, size_t taken, int64_t now);
void sw__engine_count_idle(struct sw_engine_counters *c);

#endif
