/*
 * incident.h - the store's side of incidents (应急处置), their steps along
 * the plan's reporting chain, the deadlines already raised, emergency
 * plans (应急预案) and drills (应急演练); migration 0006.
 *
 * Times are unix seconds.  Rows handed to callbacks borrow their strings
 * for the duration of the call.
 */
#ifndef SW_STORE_INCIDENT_H
#define SW_STORE_INCIDENT_H

#include <stdint.h>

#include "store/alert.h"
#include "store/store.h"

struct sw_incident_row {
	int64_t id, site_id;
	const char *title, *severity;
	int major;
	const char *state;        /* open, closed */
	const char *source;       /* auto, manual */
	int64_t opened_at;
	const char *opened_by;
	int64_t closed_at;        /* 0: open */
	const char *cause, *fix, *accountability;
	const char *site_name;    /* filled by reads */
	int64_t group_id;         /* the site's group (0: none), filled by reads */
};

struct sw_incident_step_row {
	int64_t id, incident_id;
	const char *step;
	int64_t at;
	const char *actor, *note;
};

/* Adds an incident (r->id ignored); *id gets its id. */
enum sw_err sw_store_incident_add(struct sw_store *st, const struct sw_incident_row *r,
				  int64_t *id, struct sw_errbuf *eb);

/* The open incident of site_id with the largest id.  SW_ENOTFOUND. */
enum sw_err sw_store_incident_open_of_site(struct sw_store *st, int64_t site_id, int64_t *id,
					   struct sw_errbuf *eb);

/* Links alert_id to incident_id (idempotent). */
enum sw_err sw_store_incident_link(struct sw_store *st, int64_t incident_id, int64_t alert_id,
				   struct sw_errbuf *eb);

/* Calls cb once with incident id.  SW_ENOTFOUND when none. */
enum sw_err sw_store_incident_get(struct sw_store *st, int64_t id,
				  int (*cb)(void *arg, const struct sw_incident_row *r), void *arg,
				  struct sw_errbuf *eb);

/* Walks the incidents acc sees (NULL: all) in state (NULL: any) of
 * site_id (0: any), newest first; *total (may be NULL) gets how many match
 * regardless of limit/offset. */
enum sw_err sw_store_incident_list(struct sw_store *st, const struct sw_access *acc,
				   const char *state, int64_t site_id, int64_t limit,
				   int64_t offset,
				   int (*cb)(void *arg, const struct sw_incident_row *r), void *arg,
				   int64_t *total, struct sw_errbuf *eb);

/* Appends a step (r->id ignored). */
enum sw_err sw_store_incident_step_add(struct sw_store *st,
				       const struct sw_incident_step_row *r,
				       struct sw_errbuf *eb);

/* Walks the steps of incident id in the order they were recorded. */
enum sw_err sw_store_incident_steps(struct sw_store *st, int64_t id,
				    int (*cb)(void *arg, const struct sw_incident_step_row *r),
				    void *arg, struct sw_errbuf *eb);

/* Walks the alerts linked to incident id, in id order. */
enum sw_err sw_store_incident_alerts(struct sw_store *st, int64_t id,
				     int (*cb)(void *arg, const struct sw_alert_row *a), void *arg,
				     struct sw_errbuf *eb);

/*
 * Walks, in ascending order and each once, the ids of the checks in which
 * the findings of incident_id's alerts were seen: of each alert its first
 * 50 sightings, every reopening and its last (a month of repeats every
 * five minutes adds nothing an examiner needs).  The evidence export
 * freezes exactly these.  Checks pruned by retention are still named: the
 * caller decides what a missing check means.
 */
enum sw_err sw_store_incident_checks(struct sw_store *st, int64_t incident_id,
				     int (*cb)(void *arg, int64_t check_id), void *arg,
				     struct sw_errbuf *eb);

/* Closes open incident id at `at`.  SW_ENOTFOUND when there is no open
 * incident id. */
enum sw_err sw_store_incident_close(struct sw_store *st, int64_t id, int64_t at,
				    const char *cause, const char *fix,
				    const char *accountability, struct sw_errbuf *eb);

/* Marks incident id major (escalated to the CAC office). */
enum sw_err sw_store_incident_set_major(struct sw_store *st, int64_t id, struct sw_errbuf *eb);

/* Records that step of incident id went overdue at `at`; *fresh is 1 the
 * first time, 0 when it was already recorded (so it is raised once). */
enum sw_err sw_store_incident_overdue(struct sw_store *st, int64_t id, const char *step,
				      int64_t at, int *fresh, struct sw_errbuf *eb);

/* ---- emergency plans and drills ---- */

struct sw_plan_row {
	int64_t id;
	const char *name, *scope;  /* scope: all, group, site */
	int64_t scope_id;
	const char *body;
	int64_t created_at, updated_at;
};

struct sw_drill_row {
	int64_t id, plan_id;        /* plan_id 0: none */
	const char *held_on;        /* YYYY-MM-DD */
	const char *scenario, *result, *note;
	int64_t created_at;
	const char *plan_name;      /* filled by reads */
};

/* Adds a plan, or replaces the body and scope of the plan with that name
 * (*id gets its id either way). */
enum sw_err sw_store_plan_put(struct sw_store *st, const struct sw_plan_row *r, int64_t *id,
			      struct sw_errbuf *eb);

/* Removes plan id.  SW_ENOTFOUND when none. */
enum sw_err sw_store_plan_remove(struct sw_store *st, int64_t id, struct sw_errbuf *eb);

/* Walks plans: all of them (site_id and group_id 0), or those that apply
 * to a site (its own, its group's and the 'all' ones), in id order. */
enum sw_err sw_store_plan_list(struct sw_store *st, int64_t site_id, int64_t group_id,
			       int (*cb)(void *arg, const struct sw_plan_row *r), void *arg,
			       struct sw_errbuf *eb);

/* Finds the plan named or numbered ref.  SW_ENOTFOUND. */
enum sw_err sw_store_plan_find(struct sw_store *st, const char *ref, int64_t *id,
			       struct sw_errbuf *eb);

enum sw_err sw_store_drill_add(struct sw_store *st, const struct sw_drill_row *r, int64_t *id,
			       struct sw_errbuf *eb);

/* Walks drills newest first (by date), of plan_id (0: all). */
enum sw_err sw_store_drill_list(struct sw_store *st, int64_t plan_id,
				int (*cb)(void *arg, const struct sw_drill_row *r), void *arg,
				struct sw_errbuf *eb);

#endif
