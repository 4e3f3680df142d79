/*
 * alert.h - the store's side of alerts (migration 0006): one row per
 * (site, kind, fingerprint), the checks each was seen in, and the
 * silences (maintenance windows and suppressions) of sites and groups.
 *
 * Times are unix seconds.  Rows handed to callbacks borrow their strings
 * for the duration of the call.  The rules (what is new, what resolves)
 * live in src/alert/; this file only reads and writes rows.
 */
#ifndef SW_STORE_ALERT_H
#define SW_STORE_ALERT_H

#include <stdint.h>

#include "store/store.h"

/* Alert states as stored. */
#define SW_ALERT_OPEN "open"
#define SW_ALERT_ACK "acknowledged"
#define SW_ALERT_RESOLVED "resolved"
#define SW_ALERT_SUPPRESSED "suppressed"

/* One alert.  Strings are borrowed (NULL: none). */
struct sw_alert_row {
	int64_t id, site_id;
	const char *kind, *fingerprint, *severity, *title, *evidence, *state;
	int64_t count, first_seen, last_seen, first_check_id, last_check_id, state_at;
	const char *state_by, *note;
	int64_t suppressed_until;   /* 0: none */
	const char *site_name;      /* filled by get and list */
};

/* The few facts of an alert the ingest rules need, copied. */
struct sw_alert_brief {
	int64_t id, count, suppressed_until, last_check_id;
	char state[16], severity[16];
	char state_by[16];  /* "silence" when a silence suppressed it */
};

/* Finds the alert of (site, kind, fingerprint).  SW_ENOTFOUND when none. */
enum sw_err sw_store_alert_lookup(struct sw_store *st, int64_t site_id, const char *kind,
				  const char *fp, struct sw_alert_brief *out,
				  struct sw_errbuf *eb);

/* Inserts a (count 1) alert from r (id, count and site_name ignored); *id
 * gets the new row's id.  Records the sighting in r->first_check_id. */
enum sw_err sw_store_alert_insert(struct sw_store *st, const struct sw_alert_row *r,
				  int64_t *id, struct sw_errbuf *eb);

/*
 * One more sighting of alert id in check check_id at `at`: count + 1,
 * last seen/check, the newest severity, title and evidence.  state, when
 * not NULL, replaces the state (state_at = at, suppressed_until = until,
 * state_by "silence" when until is set: only silences suppress here).
 */
enum sw_err sw_store_alert_seen(struct sw_store *st, int64_t id, int64_t check_id, int64_t at,
				const char *severity, const char *title, const char *evidence,
				const char *state, int64_t until, struct sw_errbuf *eb);

/* Sets the state of alert id (by: who; note and until may be NULL/0).
 * SW_ENOTFOUND when there is no such alert. */
enum sw_err sw_store_alert_set_state(struct sw_store *st, int64_t id, const char *state,
				     int64_t at, const char *by, const char *note, int64_t until,
				     struct sw_errbuf *eb);

/* Walks the alerts of site_id that are not resolved, in id order. */
enum sw_err sw_store_alert_unresolved(struct sw_store *st, int64_t site_id,
				      int (*cb)(void *arg, const struct sw_alert_row *a),
				      void *arg, struct sw_errbuf *eb);

/* Calls cb once with alert id.  SW_ENOTFOUND when there is none. */
enum sw_err sw_store_alert_get(struct sw_store *st, int64_t id,
			       int (*cb)(void *arg, const struct sw_alert_row *a), void *arg,
			       struct sw_errbuf *eb);

/* Which alerts a list returns; zero/NULL members do not filter. */
struct sw_alert_filter {
	const char *state;     /* a state, or "active": open or acknowledged */
	int64_t site_id;
	const char *kind;      /* a kind key or a family ("darklink") */
	const char *severity;  /* this severity or worse */
	int64_t limit, offset; /* limit 0: all */
	const struct sw_access *acc; /* who asks: only sites it sees (NULL: all) */
};

/* Walks the alerts that pass f, newest sighting first; *total (may be
 * NULL) gets how many pass f regardless of limit and offset. */
enum sw_err sw_store_alert_list(struct sw_store *st, const struct sw_alert_filter *f,
				int (*cb)(void *arg, const struct sw_alert_row *a), void *arg,
				int64_t *total, struct sw_errbuf *eb);

/* Is site_id visible to acc (NULL: everyone sees everything)?  For the
 * API's gets and writes of alerts and incidents: a site out of scope is
 * answered as absent. */
enum sw_err sw_store_site_visible(struct sw_store *st, const struct sw_access *acc,
				  int64_t site_id, int *visible, struct sw_errbuf *eb);

/* Walks the ids of the checks alert id was seen in, oldest first: the
 * first 50 sightings, every one that changed its state (a reopening) and
 * the last. */
enum sw_err sw_store_alert_checks(struct sw_store *st, int64_t id,
				  int (*cb)(void *arg, int64_t check_id), void *arg,
				  struct sw_errbuf *eb);

/* ---- silences ---- */

/* One maintenance window or suppression.  Strings borrowed. */
struct sw_silence_row {
	int64_t id;
	const char *scope;   /* "site" or "group" */
	int64_t scope_id;
	const char *what;    /* "maintenance" or "suppress" */
	const char *family;  /* NULL: every kind */
	int64_t starts_at, ends_at; /* ends_at 0: until removed */
	const char *reason, *created_by;
	int64_t created_at;
};

/* Adds a silence (r->id ignored); *id gets its id. */
enum sw_err sw_store_silence_add(struct sw_store *st, const struct sw_silence_row *r,
				 int64_t *id, struct sw_errbuf *eb);

/* Removes silence id.  SW_ENOTFOUND when there is none. */
enum sw_err sw_store_silence_remove(struct sw_store *st, int64_t id, struct sw_errbuf *eb);

/* Walks every silence still in force or to come at `now` (0: all). */
enum sw_err sw_store_silence_list(struct sw_store *st, int64_t now,
				  int (*cb)(void *arg, const struct sw_silence_row *r), void *arg,
				  struct sw_errbuf *eb);

/*
 * Is a finding of `family` at site_id (in group_id, 0: none) silenced at
 * `now`?  *until gets the end of the latest-ending silence in force
 * (INT64_MAX for one without end), 0 when none is.
 */
enum sw_err sw_store_silenced(struct sw_store *st, int64_t site_id, int64_t group_id,
			      const char *family, int64_t now, int64_t *until,
			      struct sw_errbuf *eb);

#endif
