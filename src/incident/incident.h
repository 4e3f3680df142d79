/*
 * incident.h - incidents (应急处置) along the 2015 plan's chain: report to
 * the supervising department at once, start the emergency plan, report to
 * the PSB that holds the filing, recover, escalate major incidents to the
 * CAC office, close with cause, fix and accountability (责任倒查).
 *
 * Each step has a deadline from the site's policy, counted from when the
 * incident opened; a step not recorded by its deadline raises an overdue
 * alert and notification once.  Every function takes `now` (unix seconds),
 * so tests drive the clock.
 */
#ifndef SW_INCIDENT_INCIDENT_H
#define SW_INCIDENT_INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#include "alert/alert.h"
#include "store/incident.h"
#include "store/store.h"

/* One step of the chain. */
struct sw_incident_step {
	const char *key;        /* "reported_dept" */
	const char *zh;         /* 上报主管部门 */
	const char *policy;     /* the deadline's policy key, or NULL: none */
	int policy_scale;       /* seconds per unit of that key (60 minutes, 86400 days) */
	int major_only;         /* only major incidents have this step */
};

/* The chain in order; *n gets its length.  The last step is "closed". */
const struct sw_incident_step *sw_incident_steps(size_t *n);

/* The step called key, or NULL. */
const struct sw_incident_step *sw_incident_step_find(const char *key);

/* Families whose high alerts open incidents by themselves. */
int sw_incident_family_auto(const char *kind);

/*
 * Opens an incident by hand for site_id (title, severity, major) by `by`,
 * linking the given alerts (may be none); *id gets its id.  Queues the
 * "incident.opened" notification.
 */
enum sw_err sw_incident_open(struct sw_store *st, int64_t site_id, const char *title,
			     const char *severity, int major, const char *by,
			     const int64_t *alert_ids, size_t n_alerts, int64_t now, int64_t *id,
			     struct sw_errbuf *eb);

/*
 * Records step `step` of open incident id by actor with a note at now.
 * "escalated_cac" makes the incident major.  Resolves the overdue alert of
 * that step, if one was raised.  "closed" is not a step here: see close.
 */
enum sw_err sw_incident_step(struct sw_store *st, int64_t id, const char *step,
			     const char *actor, const char *note, int64_t now,
			     struct sw_errbuf *eb);

/* Closes open incident id with cause, fix and accountability (all
 * required: the plan asks who answers for it). */
enum sw_err sw_incident_close(struct sw_store *st, int64_t id, const char *cause,
			      const char *fix, const char *accountability, const char *actor,
			      int64_t now, struct sw_errbuf *eb);

/*
 * Opens or extends incidents from what an ingest changed: every new or
 * reopened alert of an auto family at or above the site's
 * incident_min_severity joins the site's open incident, or opens one.  The
 * ids of incidents opened here are appended to opened (cap entries at
 * most; *n_opened gets how many).
 */
enum sw_err sw_incident_auto(struct sw_store *st, const struct sw_alert_changes *ch,
			     int64_t now, int64_t *opened, size_t cap, size_t *n_opened,
			     struct sw_errbuf *eb);

/*
 * Raises each overdue step of every open incident once: an alert of kind
 * "incident.overdue" and a notification that ignores severity minimums.
 * *raised (may be NULL) gets how many were raised now.
 */
enum sw_err sw_incident_deadlines(struct sw_store *st, int64_t now, size_t *raised,
				  struct sw_errbuf *eb);

#endif
