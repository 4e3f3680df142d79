/*
 * respond.h - the two calls the monitoring loop makes: after each recorded
 * check (findings -> alerts -> notifications and incidents, in one
 * transaction) and once per round (deadlines, then the notification
 * pump).  The engine's on_check and on_tick hooks call exactly these.
 */
#ifndef SW_INCIDENT_RESPOND_H
#define SW_INCIDENT_RESPOND_H

#include <stddef.h>
#include <stdint.h>

#include "alert/alert.h"
#include "notify/notify.h"

#define SW_RESPONSE_OPENED_MAX 16

/* What one check changed; owns changes. */
struct sw_response {
	struct sw_alert_changes changes;   /* new, reopened, resolved alerts */
	int64_t opened[SW_RESPONSE_OPENED_MAX]; /* incidents opened (evidence to freeze) */
	size_t n_opened;
	size_t queued;                     /* notifications queued */
};

void sw_response_init(struct sw_response *r);
void sw_response_cleanup(struct sw_response *r);

/*
 * Ingests the n findings of recorded check c, queues the notifications of
 * what changed and opens or extends incidents, all in one transaction (a
 * failure leaves no alert change without its message).  now is when the
 * messages are due.
 */
enum sw_err sw_response_on_check(struct sw_store *st, const struct sw_alert_check *c,
				 const struct sw_check_finding *f, size_t n, int64_t now,
				 struct sw_response *out, struct sw_errbuf *eb);

/*
 * One event's finding for site_id at now (the agent's reports, stored by
 * the agent API): the alert, its incident (tamper and webshell reports are
 * incident families) and its notifications, in one transaction.  out
 * may carry earlier events' results: what this one changed is appended
 * (on failure nothing is).
 */
enum sw_err sw_response_on_event(struct sw_store *st, int64_t site_id,
				 const struct sw_check_finding *f, int64_t now,
				 struct sw_response *out, struct sw_errbuf *eb);

/* The tick: raises overdue incident steps, then sends what is due.
 * raised and stats may be NULL. */
enum sw_err sw_response_on_tick(struct sw_store *st, int64_t now, size_t *raised,
				struct sw_notify_stats *stats, struct sw_errbuf *eb);

/*
 * What a recorded check covered, from its outcome: every check judges
 * availability; a response (status > 0) lets tls, dns and redirect
 * resolve; analysed and exposure say whether the page analyzers and the
 * exposure probe ran.
 */
unsigned sw_response_coverage(long status, int analysed, int exposure);

#endif

struct sw_engine_check;

/*
 * The engine's on_check in one call: the recorded check's findings with
 * its coverage (a response came; the analyzers ran when content analysis
 * is on, the page was analysable and no analysis limit was hit) into
 * sw_response_on_check.  The engine does not say whether the daily
 * exposure probe ran, so exposure alerts are never resolved by absence.
 */
enum sw_err sw_response_engine_check(struct sw_store *st, const struct sw_engine_check *c,
				     int content, struct sw_response *out, struct sw_errbuf *eb);
