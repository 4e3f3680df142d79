/*
 * overview.h - the dashboard's overview (GET /api/overview) and the daily
 * rollups that keep it fast at 100,000 sites (migration 0010).
 *
 * The overview reads the latest state of every site in the view
 * (site_state, one row per site) and the findings of each site's latest
 * check, and the trend from daily rollups that every recorded check adds
 * to (see 0010_overview.sql): never the per-check history.
 */
#ifndef SW_STORE_OVERVIEW_H
#define SW_STORE_OVERVIEW_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

/* What the overview covers.  NULL/0 members do not filter. */
struct sw_overview_q {
	const struct sw_access *acc; /* who asks (NULL: everything) */
	const char *region;          /* region code: it and below */
	const char *unit_type;       /* unit type key */
	int64_t group_id;
	int64_t now;                 /* unix seconds: the trend ends on this UTC day */
	int days;                    /* trend length in days, 1..366 */
};

/*
 * Builds the overview JSON of API_CONTRACT.md into *out (new reference,
 * the caller's): sites by status and up/down/unchecked, open findings by
 * kind family and severity, the trend, the top 10 sites by open findings,
 * the breakdown by child region and by unit type, and "overdue": alerts
 * still open a day after they were raised, open incidents with a
 * reporting step past its deadline, rectifications past their deadline.
 */
enum sw_err sw_store_overview(struct sw_store *st, const struct sw_overview_q *q, json_t **out,
			      struct sw_errbuf *eb);

/*
 * Adds checks and up_checks to the rollups of site_id's UTC day `day`
 * (unix seconds / 86400) and sets that day's findings (those of its latest
 * check) to `findings`.  For loading history from elsewhere (another
 * system, the benchmark's synthetic year); recorded checks go through
 * sw_store_check_record, which calls it.
 */
enum sw_err sw_store_daily_add(struct sw_store *st, int64_t site_id, int64_t day,
			       int64_t checks, int64_t up_checks, int64_t findings,
			       struct sw_errbuf *eb);

/* The daily figures of one site, newest day first, at most `days` days
 * ending on UTC day `last_day`: cb gets (day, checks, up_checks, findings). */
enum sw_err sw_store_site_daily(struct sw_store *st, int64_t site_id, int64_t last_day,
				int days,
				int (*cb)(void *arg, int64_t day, int64_t checks, int64_t up,
					  int64_t findings),
				void *arg, struct sw_errbuf *eb);

/* The check hook (monitor.c): one check of site_id at checked_at, up or
 * not, with n findings. */
enum sw_err sw__overview_note(struct sw_store *st, int64_t site_id, int64_t checked_at, int up,
			      size_t n, struct sw_errbuf *eb);


/* ---- reads of the monitoring API (scoped like every list) ---- */

/* Calls cb with check id when its site is visible under acc (NULL: all).
 * SW_ENOTFOUND when absent or out of scope.  Strings valid in cb only. */
enum sw_err sw_store_check_get(struct sw_store *st, int64_t id, const struct sw_access *acc,
			       int (*cb)(void *arg, const struct sw_check_row *c), void *arg,
			       struct sw_errbuf *eb);

/* Counts the checks of site_id made at or after since. */
enum sw_err sw_store_checks_count(struct sw_store *st, int64_t site_id, int64_t since,
				  int64_t *n, struct sw_errbuf *eb);

/* One open finding: a finding of its site's latest check. */
struct sw_open_finding {
	int64_t site_id, check_id, checked_at;
	const char *site_name;
	struct sw_check_finding f;
};

/*
 * Walks the open findings of the sites that pass f (region, unit_type,
 * group_id, kind, severity, acc, limit, offset; site_id 0: every site)
 * ordered by site and finding, and counts them all into *total (may be
 * NULL).  Strings valid in cb only; non-zero stops.
 */
enum sw_err sw_store_open_findings(struct sw_store *st, const struct sw_filter *f,
				   int64_t site_id,
				   int (*cb)(void *arg, const struct sw_open_finding *o), void *arg,
				   int64_t *total, struct sw_errbuf *eb);

#endif
