/*
 * metrics.h - the numbers `sitewarden serve` exposes at /metrics that the
 * database knows: checks made, open findings by kind, the scheduler's
 * backlog, recent probe latency, agents.  Each is one indexed query, so a
 * scrape costs a few milliseconds even with a large history.
 */
#ifndef SW_STORE_METRICS_H
#define SW_STORE_METRICS_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* Upper bounds (ms) of the probe latency histogram's buckets. */
#define SW_METRICS_BUCKETS 8
extern const int64_t sw_metrics_bucket_ms[SW_METRICS_BUCKETS];

struct sw_store_metrics {
	int64_t checks_total;   /* checks ever recorded (highest check id) */
	int64_t sites, sites_down;
	int64_t due;            /* sites whose next check is due now (queue depth) */
	int64_t scheduled;      /* sites with a schedule */
	/* probe latency of the checks of the last `window` seconds */
	int64_t lat_count, lat_sum_ms, lat_le[SW_METRICS_BUCKETS];
	int64_t agents, agents_silent, agent_events;
};

/* Fills m at time now, latency over checks since now - window. */
enum sw_err sw_store_metrics_get(struct sw_store *st, int64_t now, int64_t window,
				 struct sw_store_metrics *m, struct sw_errbuf *eb);

/* Open findings (those of each site's latest check) counted by kind. */
enum sw_err sw_store_metrics_findings(struct sw_store *st,
				      int (*cb)(void *arg, const char *kind, int64_t n),
				      void *arg, struct sw_errbuf *eb);

#endif
