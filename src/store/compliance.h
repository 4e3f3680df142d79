/*
 * compliance.h - the store's side of compliance tracking (migration 0008):
 * review campaigns and decisions, the tasks a rejection opens, logged
 * status overrides, pre-launch gate checks, MLPS history, rectification
 * items and their escalations, and the bulk reads statistics and reports
 * are computed from.
 *
 * Rows come back as a struct sw_cmp_row: every column as text (NULL for
 * NULL) and as an integer (0 for NULL or text), in the order the column
 * enum of each read names.  One generic row keeps this file small; the
 * enums keep callers from counting columns by hand.  Strings are valid
 * during the callback only.  Times are unix seconds, dates YYYY-MM-DD.
 */
#ifndef SW_STORE_COMPLIANCE_H
#define SW_STORE_COMPLIANCE_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

#define SW_CMP_COLS 20

struct sw_cmp_row {
	int n;
	const char *s[SW_CMP_COLS];
	int64_t i[SW_CMP_COLS];
};

/* Called once per row; non-zero return stops the walk (the read then
 * returns SW_OK). */
typedef int (*sw_cmp_row_cb)(void *arg, const struct sw_cmp_row *r);

/* ---- review campaigns ---- */

enum { SW_CAMP_ID, SW_CAMP_NAME, SW_CAMP_KIND, SW_CAMP_REGION, SW_CAMP_UNIT_TYPE,
       SW_CAMP_GROUP, SW_CAMP_DEADLINE, SW_CAMP_CREATED, SW_CAMP_NOTE, SW_CAMP_ITEMS,
       SW_CAMP_DECIDED, SW_CAMP_REJECTED };

/* Adds a campaign; *id gets its id.  SW_EEXIST when the name is taken. */
enum sw_err sw_store_campaign_add(struct sw_store *st, const char *name, const char *kind,
				  const char *region, const char *unit_type, int64_t group_id,
				  const char *deadline, const char *note, int64_t now, int64_t *id,
				  struct sw_errbuf *eb);

/* Walks campaigns (id 0: all, by id) with item counts (SW_CAMP_*). */
enum sw_err sw_store_campaigns(struct sw_store *st, int64_t id, sw_cmp_row_cb cb, void *arg,
			       struct sw_errbuf *eb);

/* Finds a campaign by name.  SW_ENOTFOUND when none. */
enum sw_err sw_store_campaign_find(struct sw_store *st, const char *name, int64_t *id,
				   struct sw_errbuf *eb);

/* Puts site_id into the campaign (idempotent). */
enum sw_err sw_store_review_item_add(struct sw_store *st, int64_t campaign_id, int64_t site_id,
				     struct sw_errbuf *eb);

enum { SW_RI_ID, SW_RI_CAMPAIGN, SW_RI_SITE, SW_RI_DECISION, SW_RI_REVIEWER, SW_RI_DECIDED_ON,
       SW_RI_DECIDED_AT, SW_RI_NOTE, SW_RI_DEADLINE, SW_RI_SITE_NAME };

/* Walks review items of a campaign (0: any) and/or a site (0: any), by
 * campaign then site; `pending` set: undecided ones only (SW_RI_*). */
enum sw_err sw_store_review_items(struct sw_store *st, int64_t campaign_id, int64_t site_id,
				  int pending, sw_cmp_row_cb cb, void *arg, struct sw_errbuf *eb);

/* Records the decision of item_id.  SW_ENOTFOUND when there is no item. */
enum sw_err sw_store_review_decide(struct sw_store *st, int64_t item_id, const char *decision,
				   const char *reviewer, const char *date, const char *note,
				   int64_t now, struct sw_errbuf *eb);

/* The latest decision on a site (by decided_at, then item id) into
 * decision (NULL-terminated, "" when never decided). */
enum sw_err sw_store_review_latest(struct sw_store *st, int64_t site_id, char decision[16],
				   struct sw_errbuf *eb);

/* ---- tasks a rejection opens ---- */

enum { SW_TASK_ID, SW_TASK_ITEM, SW_TASK_SITE, SW_TASK_KIND, SW_TASK_STATUS, SW_TASK_CREATED,
       SW_TASK_DONE_AT, SW_TASK_DONE_BY, SW_TASK_NOTE, SW_TASK_SITE_NAME };

/* Opens a task (idempotent per item and kind). */
enum sw_err sw_store_task_add(struct sw_store *st, int64_t item_id, int64_t site_id,
			      const char *kind, int64_t now, struct sw_errbuf *eb);

/* Marks task id done.  SW_ENOTFOUND when there is no open task id. */
enum sw_err sw_store_task_done(struct sw_store *st, int64_t id, const char *by, const char *note,
			       int64_t now, struct sw_errbuf *eb);

/* Walks tasks of a site (0: all); open_only: status open (SW_TASK_*). */
enum sw_err sw_store_tasks(struct sw_store *st, int64_t site_id, int open_only, sw_cmp_row_cb cb,
			   void *arg, struct sw_errbuf *eb);

/* ---- status overrides and the pre-launch gate ---- */

/* Logs an override allowing site_id to move to to_status once. */
enum sw_err sw_store_override_add(struct sw_store *st, int64_t site_id, const char *to_status,
				  const char *actor, const char *reason, int64_t now, int64_t *id,
				  struct sw_errbuf *eb);

/* Uses the oldest unused override of site_id to to_status: *found 1 when
 * there was one (it is now used), 0 otherwise. */
enum sw_err sw_store_override_take(struct sw_store *st, int64_t site_id, const char *to_status,
				   int64_t now, int *found, struct sw_errbuf *eb);

enum { SW_OV_ID, SW_OV_SITE, SW_OV_TO, SW_OV_ACTOR, SW_OV_REASON, SW_OV_CREATED, SW_OV_USED };

/* Walks the overrides of a site (0: all), newest first (SW_OV_*). */
enum sw_err sw_store_overrides(struct sw_store *st, int64_t site_id, sw_cmp_row_cb cb, void *arg,
			       struct sw_errbuf *eb);

/* Records one `check --record` result of a register site. */
enum sw_err sw_store_gate_record(struct sw_store *st, int64_t site_id, int64_t checked_at,
				 int passed, const char *worst, int64_t findings, const char *url,
				 struct sw_errbuf *eb);

enum { SW_GATE_ID, SW_GATE_CHECKED, SW_GATE_PASSED, SW_GATE_WORST, SW_GATE_FINDINGS,
       SW_GATE_URL };

/* Calls cb with the newest gate check of site_id at or after since, if
 * any (SW_GATE_*); passed_only: passing ones only. */
enum sw_err sw_store_gate_latest(struct sw_store *st, int64_t site_id, int64_t since,
				 int passed_only, sw_cmp_row_cb cb, void *arg,
				 struct sw_errbuf *eb);

/* ---- MLPS history ---- */

enum sw_err sw_store_mlps_grading_add(struct sw_store *st, int64_t site_id, int grade,
				      const char *date, const char *basis, int64_t now,
				      struct sw_errbuf *eb);

enum sw_err sw_store_mlps_assessment_add(struct sw_store *st, int64_t site_id,
					 const char *agency, const char *date, const char *score,
					 const char *result, const char *report_ref, int64_t now,
					 int64_t *id, struct sw_errbuf *eb);

enum { SW_MA_ID, SW_MA_SITE, SW_MA_AGENCY, SW_MA_DATE, SW_MA_SCORE, SW_MA_RESULT,
       SW_MA_REPORT, SW_MA_CREATED };

/* Walks the assessments of a site (0: all) newest date first (SW_MA_*);
 * date_from/date_to (may be NULL) bound assess_date, to exclusive. */
enum sw_err sw_store_mlps_assessments(struct sw_store *st, int64_t site_id,
				      const char *date_from, const char *date_to,
				      sw_cmp_row_cb cb, void *arg, struct sw_errbuf *eb);

enum { SW_MG_ID, SW_MG_SITE, SW_MG_GRADE, SW_MG_DATE, SW_MG_BASIS, SW_MG_CREATED };

/* Walks the gradings of a site, newest first (SW_MG_*). */
enum sw_err sw_store_mlps_gradings(struct sw_store *st, int64_t site_id, sw_cmp_row_cb cb,
				   void *arg, struct sw_errbuf *eb);

/* ---- rectification items ---- */

enum { SW_RECT_ID, SW_RECT_SITE, SW_RECT_SOURCE, SW_RECT_SOURCE_REF, SW_RECT_KIND,
       SW_RECT_SEVERITY, SW_RECT_TITLE, SW_RECT_OWNER, SW_RECT_DEADLINE, SW_RECT_STATUS,
       SW_RECT_READY, SW_RECT_EVIDENCE, SW_RECT_CREATED, SW_RECT_UPDATED, SW_RECT_FIXED,
       SW_RECT_VERIFIED, SW_RECT_OVERDUE, SW_RECT_ESCALATED, SW_RECT_SITE_NAME };

/* A new item's fields (strings borrowed; owner, source_ref, kind may be
 * NULL). */
struct sw_rect_new {
	int64_t site_id;
	const char *source, *source_ref, *finding_kind, *severity, *title, *owner, *deadline;
};

enum sw_err sw_store_rect_add(struct sw_store *st, const struct sw_rect_new *n, int64_t now,
			      int64_t *id, struct sw_errbuf *eb);

/* Which items a walk returns; zero/NULL members do not filter. */
struct sw_rect_filter {
	int64_t id, site_id;
	const char *status;      /* one status */
	int open_only;           /* open, in_progress or overdue */
	int ready_only;          /* ready_to_verify set */
	const char *finding_kind;
	const char *source_ref;  /* e.g. "incident:12": the items made from incident 12 */
	int incident_closed;     /* items made from an incident that is closed */
	int64_t limit, offset;   /* limit 0: all */
	const struct sw_access *acc; /* who asks (scope.c's site rule); NULL: everything */
};

/* Walks items by id (SW_RECT_*). */
enum sw_err sw_store_rects(struct sw_store *st, const struct sw_rect_filter *f,
			   sw_cmp_row_cb cb, void *arg, struct sw_errbuf *eb);

/* Counts the items a walk with f (limit and offset ignored) returns. */
enum sw_err sw_store_rect_count(struct sw_store *st, const struct sw_rect_filter *f,
				int64_t *n, struct sw_errbuf *eb);

/* Writes status, owner, deadline, evidence and ready flag of item id, and
 * stamps fixed_at/verified_at when status becomes fixed/verified.
 * SW_ENOTFOUND when there is no item id. */
enum sw_err sw_store_rect_update(struct sw_store *st, int64_t id, const char *status,
				 const char *owner, const char *deadline, const char *evidence,
				 int ready, int64_t now, struct sw_errbuf *eb);

/* Marks overdue every open or in-progress item whose deadline is before
 * `today` (stamping overdue_at the first time); *n gets how many. */
enum sw_err sw_store_rect_mark_overdue(struct sw_store *st, const char *today, int64_t now,
				       int64_t *n, struct sw_errbuf *eb);

/* Escalates every overdue item not escalated before: one escalation row
 * each (the UNIQUE item makes a second one impossible) and escalated_at
 * stamped; cb (may be NULL) sees each new escalation (SW_RECT_* of the
 * item).  *n gets how many. */
enum sw_err sw_store_rect_escalate(struct sw_store *st, int64_t now, sw_cmp_row_cb cb,
				   void *arg, int64_t *n, struct sw_errbuf *eb);

enum { SW_ESC_ID, SW_ESC_ITEM, SW_ESC_SITE, SW_ESC_CREATED, SW_ESC_DEADLINE, SW_ESC_TITLE,
       SW_ESC_DELIVERED };

/* Walks escalations (undelivered only when set), by id (SW_ESC_*). */
enum sw_err sw_store_escalations(struct sw_store *st, int undelivered, sw_cmp_row_cb cb,
				 void *arg, struct sw_errbuf *eb);

/* Marks escalation id delivered (for the notification queue). */
enum sw_err sw_store_escalation_delivered(struct sw_store *st, int64_t id, int64_t now,
					  struct sw_errbuf *eb);

/* ---- bulk reads for statistics and reports (compliance_stats.c) ---- */

enum { SW_SS_ID, SW_SS_NAME, SW_SS_URL, SW_SS_STATUS, SW_SS_UNIT_TYPE, SW_SS_REGION,
       SW_SS_DEPT, SW_SS_GROUP, SW_SS_ICP, SW_SS_PSB, SW_SS_GOV_CODE, SW_SS_BADGE,
       SW_SS_GRADE, SW_SS_FILING_NO, SW_SS_ASSESS_DATE, SW_SS_UNIT_NAME, SW_SS_LAST_CHECK,
       SW_SS_CHECKED_AT };

/* Walks every site with its unit's type, region and department and its
 * latest check (SW_SS_*; LAST_CHECK 0 when never checked), by id. */
enum sw_err sw_store_cmp_sites(struct sw_store *st, sw_cmp_row_cb cb, void *arg,
			       struct sw_errbuf *eb);

/* The same walk over the sites acc may see only (NULL: every site):
 * statistics, lists and reports computed from it never hold a site the
 * user cannot see, nor (joined in memory by site) any row of one. */
enum sw_err sw_store_cmp_sites_in(struct sw_store *st, const struct sw_access *acc,
				  sw_cmp_row_cb cb, void *arg, struct sw_errbuf *eb);

enum { SW_OF_SITE, SW_OF_KIND, SW_OF_SEVERITY, SW_OF_TITLE, SW_OF_CHECK };

/* Walks the findings of every site's latest check (the open findings),
 * by site (SW_OF_*). */
enum sw_err sw_store_cmp_open_findings(struct sw_store *st, sw_cmp_row_cb cb, void *arg,
				       struct sw_errbuf *eb);

enum { SW_PF_SITE, SW_PF_KIND, SW_PF_SEVERITY, SW_PF_FIRST, SW_PF_LAST, SW_PF_TITLE };

/* Walks (site, kind) pairs found by checks made in [from, to) with
 * severity medium or worse: first and last time seen, one title, by site
 * and kind (SW_PF_*). */
enum sw_err sw_store_cmp_period_findings(struct sw_store *st, int64_t from, int64_t to,
					 sw_cmp_row_cb cb, void *arg, struct sw_errbuf *eb);

enum { SW_RV_SITE, SW_RV_DECISION, SW_RV_DEADLINE, SW_RV_DECIDED_AT };

/* Walks every review item with its campaign's deadline (SW_RV_*). */
enum sw_err sw_store_cmp_reviews(struct sw_store *st, sw_cmp_row_cb cb, void *arg,
				 struct sw_errbuf *eb);

enum { SW_INC_ID, SW_INC_SITE, SW_INC_TITLE, SW_INC_SEVERITY, SW_INC_MAJOR, SW_INC_STATE,
       SW_INC_OPENED, SW_INC_CLOSED, SW_INC_KIND, SW_INC_FIRST_SEEN, SW_INC_RECOVERED,
       SW_INC_OPEN_ITEMS };

/* Walks every incident by id (SW_INC_*): KIND is the kind of its first
 * linked alert (NULL: none linked), FIRST_SEEN the earliest first
 * sighting of its linked alerts (0: none), RECOVERED the time of its
 * first "recovered" step (0: none), OPEN_ITEMS how many rectification
 * items made from it (source incident, source_ref "incident:ID") are open, in
 * progress or overdue. */
enum sw_err sw_store_cmp_incidents(struct sw_store *st, sw_cmp_row_cb cb, void *arg,
				   struct sw_errbuf *eb);

enum { SW_DP_ID, SW_DP_PARENT };

/* Walks every department's id and parent (0: none). */
enum sw_err sw_store_cmp_depts(struct sw_store *st, sw_cmp_row_cb cb, void *arg,
			       struct sw_errbuf *eb);

/* ---- scheduled reports (compliance_sched.c, migration 0013) ---- */

/* A schedule's fields (strings borrowed; region, unit_type, link_base
 * may be NULL; dept_id, group_id 0: any). */
struct sw_sched_new {
	const char *name, *kind, *every, *region, *unit_type, *format, *link_base;
	int64_t dept_id, group_id, channel_id;
};

/* Adds a schedule; *id gets its id.  SW_EEXIST when the name is taken. */
enum sw_err sw_store_rsched_add(struct sw_store *st, const struct sw_sched_new *n, int64_t now,
			       int64_t *id, struct sw_errbuf *eb);

/* Removes schedule id (and its runs).  SW_ENOTFOUND when none. */
enum sw_err sw_store_rsched_remove(struct sw_store *st, int64_t id, struct sw_errbuf *eb);

enum { SW_SCH_ID, SW_SCH_NAME, SW_SCH_KIND, SW_SCH_EVERY, SW_SCH_REGION, SW_SCH_UNIT_TYPE,
       SW_SCH_DEPT, SW_SCH_GROUP, SW_SCH_FORMAT, SW_SCH_CHANNEL, SW_SCH_LINK_BASE,
       SW_SCH_CREATED, SW_SCH_CHANNEL_NAME };

/* Walks schedules (id 0: all; name NULL: any) by id (SW_SCH_*). */
enum sw_err sw_store_scheds(struct sw_store *st, int64_t id, const char *name,
			    sw_cmp_row_cb cb, void *arg, struct sw_errbuf *eb);

/* *exists gets whether schedule_id has a run for period. */
enum sw_err sw_store_report_run_exists(struct sw_store *st, int64_t schedule_id,
				       const char *period, int *exists, struct sw_errbuf *eb);

/* Queues the run of schedule_id for period (content: the file in base64,
 * size its decoded length), due at now.  *id gets its id, or 0 when the
 * period has a run already (another process made it first). */
enum sw_err sw_store_report_run_add(struct sw_store *st, int64_t schedule_id,
				    const char *period, const char *file_name,
				    const char *content, int64_t size, int64_t now, int64_t *id,
				    struct sw_errbuf *eb);

enum { SW_RUN_ID, SW_RUN_SCHEDULE, SW_RUN_PERIOD, SW_RUN_FILE, SW_RUN_SIZE, SW_RUN_STATE,
       SW_RUN_ATTEMPTS, SW_RUN_NEXT, SW_RUN_CREATED, SW_RUN_SENT, SW_RUN_ERROR,
       SW_RUN_CONTENT };

/* Walks runs by id (SW_RUN_*): id 0 all, else that one; due_at non-zero:
 * only queued runs with next_at <= due_at; with_content 0: CONTENT is
 * NULL (lists need not carry the files). */
enum sw_err sw_store_report_runs(struct sw_store *st, int64_t id, int64_t due_at,
				 int with_content, sw_cmp_row_cb cb, void *arg,
				 struct sw_errbuf *eb);

/* Claims queued run id due at now until lease_until: *got 1 when this
 * caller owns the send. */
enum sw_err sw_store_report_run_claim(struct sw_store *st, int64_t id, int64_t now,
				      int64_t lease_until, int *got, struct sw_errbuf *eb);

/* Marks queued run id sent (exactly once). */
enum sw_err sw_store_report_run_sent(struct sw_store *st, int64_t id, int64_t now,
				     struct sw_errbuf *eb);

/* Records a failed send: attempts + 1, next try at next_at, the error. */
enum sw_err sw_store_report_run_retry(struct sw_store *st, int64_t id, int64_t next_at,
				      const char *error, struct sw_errbuf *eb);

/* ---- scoped reads and writes for the API (compliance_scope.c) ----
 *
 * Each applies acc (NULL: everything) in its SQL with the site rule of
 * scope.c, so a row of a site the user cannot see never leaves the store.
 * limit 0 means all. */

/* Campaigns (id 0: all) with item counts over the visible items only;
 * a scoped user sees only campaigns holding a visible site (SW_CAMP_*). */
enum sw_err sw_store_campaigns_in(struct sw_store *st, int64_t id, const struct sw_access *acc,
				  int64_t limit, int64_t offset, sw_cmp_row_cb cb, void *arg,
				  struct sw_errbuf *eb);
enum sw_err sw_store_campaign_count_in(struct sw_store *st, const struct sw_access *acc,
				       int64_t *n, struct sw_errbuf *eb);

/* Review items as sw_store_review_items walks them, visible sites only
 * (SW_RI_*), and their count. */
enum sw_err sw_store_review_items_in(struct sw_store *st, int64_t campaign_id, int64_t site_id,
				     int pending, const struct sw_access *acc, int64_t limit,
				     int64_t offset, sw_cmp_row_cb cb, void *arg,
				     struct sw_errbuf *eb);
enum sw_err sw_store_review_item_count_in(struct sw_store *st, int64_t campaign_id,
					  int64_t site_id, int pending,
					  const struct sw_access *acc, int64_t *n,
					  struct sw_errbuf *eb);

/* Tasks (id 0: any) of a site (0: any), visible sites only (SW_TASK_*),
 * and their count. */
enum sw_err sw_store_tasks_in(struct sw_store *st, int64_t id, int64_t site_id, int open_only,
			      const struct sw_access *acc, int64_t limit, int64_t offset,
			      sw_cmp_row_cb cb, void *arg, struct sw_errbuf *eb);
enum sw_err sw_store_task_count_in(struct sw_store *st, int64_t site_id, int open_only,
				   const struct sw_access *acc, int64_t *n,
				   struct sw_errbuf *eb);

/* Removes from a campaign the items of sites acc cannot see (a scoped
 * user's campaign holds its own sites only); *left gets the items kept. */
enum sw_err sw_store_review_items_prune(struct sw_store *st, int64_t campaign_id,
					const struct sw_access *acc, int64_t *left,
					struct sw_errbuf *eb);

#endif
