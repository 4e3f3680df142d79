/*
 * engine.h - the outside monitoring engine: the scheduling loop over the
 * register that fetches every due site, runs the engine's checks and the
 * page analyzers under the site's policy, and stores check, findings,
 * snapshot, state and next due time.
 *
 * Two callers run it: `sitewarden probe` (a thin command line around it)
 * and `sitewarden serve`, which runs it in a thread of its own with its
 * own store connection.  Everything the callers want to do with a result
 * (print it, freeze evidence, raise alerts) they do in the hooks, which
 * run in the engine's thread; the engine itself prints nothing.
 *
 * Stopping: *stop (set by a signal handler or another thread) abandons
 * in-flight fetches within about a second; abandoned sites are not
 * recorded and stay due, so the next start checks them first.
 */
#ifndef SW_ENGINE_ENGINE_H
#define SW_ENGINE_ENGINE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "probe/fetch.h"
#include "store/store.h"

/* One finding as it was recorded (strings borrowed for the hook's call). */
struct sw_engine_finding {
	const char *key;      /* "tls.expired" */
	const char *severity; /* "high" */
	const char *title;
	const char *evidence; /* JSON object text or NULL */
	const char *page;     /* URL of the page it was found on (crawl) or NULL
			       * for the site as a whole */
};

/*
 * One recorded check, handed to on_check.  Everything is borrowed and
 * valid only during the call.
 *
 * self is the full exchange of the site's page as the site itself was
 * fetched (the evidence to freeze): self->req_method, self->url,
 * self->req_headers (the request header block sent), status, headers,
 * body/body_len (raw bytes after content decoding), addrs (every resolved
 * address), tls.chain_pem (the chain as sent, PEM) and the redirect hops.
 * spider and search are the other views (NULL when not fetched); pages
 * are the inner pages of the crawl (n_pages of them, possibly 0).
 */
struct sw_engine_check {
	int64_t site_id, group_id, check_id;
	int64_t checked_at;          /* unix seconds */
	int up;                      /* the verdict after the flapping rule */
	int changed;                 /* the verdict differs from the last one */
	int learned;                 /* a defacement baseline was learned just now */
	const struct sw_engine_finding *findings;
	size_t n_findings;
	const char *snapshot_key;    /* self's stored body; NULL when no response */
	const struct sw_fetch_result *self, *spider, *search;
	const struct sw_fetch_result *const *pages;
	size_t n_pages;
};

/* Counters for /metrics.  Read with sw_engine_counters_read. */
#define SW_ENGINE_FAMILIES 24
#define SW_ENGINE_LAT_BUCKETS 9

struct sw_engine_stats {
	uint64_t checks;        /* checks recorded */
	uint64_t failures;      /* of which the fetch failed (down or not yet) */
	uint64_t down;          /* of which the verdict was down */
	uint64_t rounds;
	uint64_t findings;      /* all findings recorded */
	/* Findings by family: names from the finding table, counts beside. */
	const char *family[SW_ENGINE_FAMILIES];
	uint64_t by_family[SW_ENGINE_FAMILIES];
	size_t n_families;
	uint64_t queue_depth;   /* sites taken this round and not yet recorded */
	uint64_t due_last_round;
	/* Latency of the site's own fetch (all hops), a histogram in ms:
	 * le[i] is the upper bound of bucket i (the last is +Inf, shown as
	 * 0), count[i] how many were at most le[i] (cumulative). */
	int64_t lat_le_ms[SW_ENGINE_LAT_BUCKETS];
	uint64_t lat_count[SW_ENGINE_LAT_BUCKETS];
	uint64_t lat_n;
	int64_t lat_sum_ms, lat_max_ms;
	int64_t started_at, last_round_at; /* unix seconds */
};

struct sw_engine_counters;

/* New zeroed counters (NULL when out of memory); free with _free. */
struct sw_engine_counters *sw_engine_counters_new(void);
void sw_engine_counters_free(struct sw_engine_counters *c);

/* Copies a consistent snapshot; any thread. */
void sw_engine_counters_read(struct sw_engine_counters *c, struct sw_engine_stats *out);

/* Settings of one run; sw_engine_opts_init fills the defaults. */
struct sw_engine_opts {
	int once;              /* check everything due at the start, then return */
	int content;           /* run the page analyzers (default 1) */
	int cloaking;          /* also fetch as a spider and a search visitor (1) */
	int crawl;             /* follow same-site links per policy (default 1) */
	int exposure;          /* daily exposure probe where the policy wants it (1) */
	const char *rules_dir; /* analyzer rules overriding the built-in; NULL */
	long batch;            /* due sites taken per round (default 1000) */
	long max_sleep;        /* longest sleep between rounds, seconds (10) */
	long keep_days;        /* history kept; 0 keeps everything (30) */
	/* Sharing the work with other nodes on one store (store/lease.h). */
	const char *node;      /* this node's name; NULL: the host name */
	const char *const *labels; /* "key=value" labels of this node (vantage
				    * points it serves); n_labels of them */
	size_t n_labels;
	long lease_s;          /* how long a taken site stays this node's; 0:
				* twice the fetch time-out plus 10 s, at most the
				* global interval */
	long write_batch;      /* results written per transaction (200); a batch
				* is also written once its first result is 1 s old */
	struct sw_fetch_opts fetch; /* stop is set by sw_engine_run */
	/* Hooks; each may be NULL.  They run in the engine's thread with the
	 * engine's store, outside any transaction of the engine. */
	void (*on_check)(void *arg, struct sw_store *st, const struct sw_engine_check *c);
	void (*on_tick)(void *arg, struct sw_store *st, int64_t now);
	/* Notes worth a person's eye that are not errors (a damaged baseline,
	 * a page the learner refused, retention done).  NULL: dropped. */
	void (*on_note)(void *arg, const char *msg);
	void *hook_arg;
	struct sw_engine_counters *counters; /* NULL: not kept; borrowed */
};

void sw_engine_opts_init(struct sw_engine_opts *o);

/*
 * Runs the loop on st until *stop is non-zero (stop may be NULL with
 * once) or, with o->once, until nothing is due.  Each round: the node
 * beats (store/node.h), new sites get a first due time, up to o->batch
 * due sites are leased and checked (then the node's vantage checks),
 * results are written in batches, on_tick is called, and the loop sleeps until the next site is due (at most
 * max_sleep seconds, checking *stop every 200 ms).  Returns SW_OK when
 * stopped or done; a store failure ends the run with its error.
 */
enum sw_err sw_engine_run(struct sw_store *st, const struct sw_engine_opts *o,
			  volatile sig_atomic_t *stop, struct sw_errbuf *eb);

#endif
