/*
 * sched.h - the scheduler's rules, apart from any I/O: when a site is due
 * next, and whether a failed check already makes it "down".
 *
 * Facts that shaped it:
 *  - Tens of thousands of sites share one interval, so their checks must
 *    spread evenly over it instead of all falling due together.  The phase
 *    of a site comes from a hash of its id: stable across restarts (next
 *    due times are stored too, so a restart resumes where it was) and
 *    independent of the order sites were registered or imported in.
 *  - A single failed fetch is often the network, not the site.  A site is
 *    reported down only after fail_threshold failures in a row and up again
 *    on the first success (flapping suppression); below the threshold the
 *    failure's availability findings are held back, other findings stay.
 */
#ifndef SW_PROBE_SCHED_H
#define SW_PROBE_SCHED_H

#include <stdint.h>

#include "model/finding.h"
#include "probe/fetch.h"

/* The jitter is at most this fraction of the interval either way (1/N). */
#define SW_SCHED_JITTER_DIV 10

/* Deterministic pseudo-random 64 bits from site_id and salt. */
uint64_t sw_sched_hash(int64_t site_id, uint64_t salt);

/*
 * First due time of a site never scheduled: spread over [now, now +
 * interval) by its id when `spread` is set, else now (a one-off sweep
 * wants every new site at once).  interval is in seconds, at least 1.
 */
int64_t sw_sched_first_due(int64_t site_id, int64_t now, long interval, int spread);

/*
 * Next due time after a check at `now`: now + interval, moved by a jitter
 * of at most interval / SW_SCHED_JITTER_DIV either way, which depends on
 * the site and the interval slot of now, so two sites that drifted into
 * the same second drift apart again.  Always later than now.
 */
int64_t sw_sched_next_due(int64_t site_id, int64_t now, long interval);

/* True when a fetch counts as a failure of the site: no usable response
 * (a cut-off oversize body is usable), or an HTTP error status.  An
 * abandoned fetch is neither: the caller does not record it. */
int sw_sched_failed(enum sw_fetch_err err, long status);

/* What one check does to a site's availability state. */
struct sw_sched_verdict {
	int fails;   /* consecutive failures including this check */
	int up;      /* state after this check: 1 up, 0 down */
	int changed; /* up differs from the state before (a new site counts) */
	int report;  /* keep the availability findings of this check */
};

/*
 * Applies the flapping rule: prev_fails failures so far, prev_up the state
 * before (-1: never checked, counts as up), `failed` this check's outcome,
 * threshold the policy's fail_threshold (values below 1 count as 1).
 */
struct sw_sched_verdict sw_sched_judge(int prev_fails, int prev_up, int failed, long threshold);

/* True for the finding kinds that a failure below the threshold holds
 * back: those that say the site cannot be reached. */
int sw_sched_availability_kind(const char *key);

/* Removes the findings sw_sched_availability_kind names from f, keeping
 * the others in order (when a verdict says not to report). */
void sw_sched_hold_back(struct sw_findings *f);

#endif
