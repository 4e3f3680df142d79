/*
 * attack_agg.h - turns per-line verdicts into a handful of events: one
 * per source address, site, kind and window (tumbling, started by the
 * source's first line, closed by a later line or by the clock), with the
 * counts and a few raw lines as evidence.  Besides the kinds of the
 * per-line verdicts it finds:
 *   scanning   - many 404s or many distinct paths from one address,
 *   bruteforce - many POSTs to login paths,
 *   success    - attack requests answered 2xx (possible success), high.
 * A scan of 100,000 requests thus becomes a few events, not 100,000.
 * Allow-listed sources and verified spiders are counted, never reported.
 * Bounded: at most AG_AGG_SOURCES sources per window (beyond, the oldest
 * windows are closed early).
 */
#ifndef SW_AGENT_ATTACK_AGG_H
#define SW_AGENT_ATTACK_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "agent/attack_conf.h"
#include "agent/attack_detect.h"
#include "agent/json.h"

#define AG_AGG_SOURCES 4096
#define AG_AGG_SAMPLE_LEN 600
#define AG_AGG_PATHS 512

enum { AG_SEV_LOW = 1, AG_SEV_MEDIUM = 2, AG_SEV_HIGH = 3 };

/* One closed window's event.  body holds the members of the "attack"
 * event (kind, attack, severity, source, site, counts, samples). */
struct ag_agg_event {
	int kind;      /* enum ag_akind */
	int severity;  /* AG_SEV_* */
	const char *source;
	const char *site;
	uint32_t count;
	struct ag_json *body;
};

typedef void (*ag_agg_emit_fn)(const struct ag_agg_event *ev, void *arg);

struct ag_agg_kind;
struct ag_agg_src;

struct ag_agg {
	const struct ag_attack_conf *conf;
	ag_agg_emit_fn emit;
	void *arg;
	struct ag_agg_src *src; /* AG_AGG_SOURCES slots */
	size_t n_src;
	uint64_t events;
	uint64_t by_kind[AG__K_COUNT]; /* events per kind */
};

enum sw_err ag_agg_init(struct ag_agg *a, const struct ag_attack_conf *conf, ag_agg_emit_fn emit,
			void *arg);
void ag_agg_cleanup(struct ag_agg *a);

/* Adds one judged line (raw: the log line, for evidence; log: the log's
 * path).  now is the line's time (unix seconds). */
void ag_agg_add(struct ag_agg *a, const struct ag_logrec *r, const struct ag_line_verdict *v,
		const char *site, const char *log, const char *raw, size_t raw_len, int64_t now);

/* Closes every window that ended before now (unix seconds); all = 1 closes
 * every window (stop, end of an offline run). */
void ag_agg_tick(struct ag_agg *a, int64_t now, int all);

const char *ag_sev_name(int sev);

#endif
