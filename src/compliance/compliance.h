/*
 * compliance.h - what supervisors are measured on (issue 10): qualification
 * review campaigns, unified identification, the MLPS lifecycle,
 * rectification items with escalation, the pre-launch gate, statistics and
 * reports.  The CLI (review, mlps, rectify, stats, report) and the API
 * (server/api_compliance.c) are thin clients of this module.
 *
 * Time is always passed in: every function that looks at the clock takes
 * `now` (unix seconds), so tests set the date instead of sleeping.  The
 * one exception is the register's status gate, which cannot take an extra
 * argument through sw_reg_update: it asks sw_compliance_now(), which the
 * CLI sets from SITEWARDEN_NOW.  Calendar dates (deadlines, due dates) are
 * China Standard Time (UTC+8), the zone every user of this product lives
 * in: a deadline of 2026-03-01 has passed from 2026-03-02 00:00 +08:00.
 */
#ifndef SW_COMPLIANCE_COMPLIANCE_H
#define SW_COMPLIANCE_COMPLIANCE_H

#include <stdint.h>

#include "core/err.h"
#include "model/entity.h"
#include "store/compliance.h"
#include "store/store.h"

/* ---- clock and dates (clock.c) ---- */

/* The clock for code that cannot be handed `now`: the time set with
 * sw_compliance_now_set, else time(NULL). */
int64_t sw_compliance_now(void);

/* Sets the process clock (0: the real clock again).  For the CLI's
 * SITEWARDEN_NOW and tests only. */
void sw_compliance_now_set(int64_t t);

/* Parses SITEWARDEN_NOW-style text: unix seconds, YYYY-MM-DD (midnight
 * UTC+8) or YYYY-MM-DDTHH:MM:SS (UTC+8).  -1 when malformed. */
int64_t sw_cmp_time_parse(const char *s);

/* Writes the calendar date (UTC+8) of t as YYYY-MM-DD into out. */
void sw_cmp_date(int64_t t, char out[11]);

/* Midnight UTC+8 starting date `ymd` into *t; SW_EINVAL when malformed. */
enum sw_err sw_cmp_date_time(const char *ymd, int64_t *t);

/* Adds months (clamping the day) or days to a YYYY-MM-DD date; -1 when
 * date is malformed. */
int sw_cmp_add_months(const char *date, int months, char out[11]);
int sw_cmp_add_days(const char *date, int days, char out[11]);

/* Canonicalises a date a person typed (validate.h's date rules) into
 * out; SW_EINVAL names `field`. */
enum sw_err sw_cmp_date_input(const char *in, const char *field, char out[11],
			      struct sw_errbuf *eb);

/* ---- policy (policy.c): the compliance fields of the site policy ---- */

enum sw_cmp_pol { SW_CP_CYCLE_G3, SW_CP_CYCLE_G4, SW_CP_CYCLE_G5, SW_CP_DUE_SOON,
		  SW_CP_PRELAUNCH_DAYS, SW_CP__COUNT };

/* Every stored policy setting of the compliance fields, read once, so
 * statistics over thousands of sites need no query per site. */
struct sw_cmp_policy {
	long dflt[SW_CP__COUNT]; /* built-in default overlaid with the global scope */
	struct sw_cmp_pol_row { int scope; int64_t id; int key; long v; } *rows;
	size_t n;
};

enum sw_err sw_cmp_policy_load(struct sw_store *st, struct sw_cmp_policy *p,
			       struct sw_errbuf *eb);
void sw_cmp_policy_cleanup(struct sw_cmp_policy *p);

/* The effective value of key for a site (group_id 0: none). */
long sw_cmp_policy_get(const struct sw_cmp_policy *p, int64_t group_id, int64_t site_id,
		       enum sw_cmp_pol key);

/* ---- MLPS (mlps.c) ---- */

/* Months between assessments for a grade under p (0: no fixed cycle). */
long sw_mlps_cycle(const struct sw_cmp_policy *p, int64_t group_id, int64_t site_id, int grade);

/* Due state of one site. */
enum sw_mlps_due { SW_MLPS_NO_CYCLE, SW_MLPS_UNGRADED, SW_MLPS_NEVER_ASSESSED, SW_MLPS_OVERDUE,
		   SW_MLPS_DUE_SOON, SW_MLPS_ON_TIME };

/* "no_cycle", "ungraded", ... */
const char *sw_mlps_due_name(enum sw_mlps_due d);

/*
 * Judges a site: grade (0: none), last assessment date (NULL: none),
 * today; writes the next due date into next ("" when none).  Never
 * assessed counts as overdue in statistics: a cycle exists and nothing
 * met it.
 */
enum sw_mlps_due sw_mlps_judge(const struct sw_cmp_policy *p, int64_t group_id, int64_t site_id,
			       int grade, const char *last_assess, const char *today,
			       char next[11]);

/* Records a grading (grade 1-5, date, basis) in history and the register. */
enum sw_err sw_mlps_grade(struct sw_store *st, int64_t site_id, int grade, const char *date,
			  const char *basis, int64_t now, struct sw_errbuf *eb);

/* Records the PSB filing (number checked by the register's validator). */
enum sw_err sw_mlps_file(struct sw_store *st, int64_t site_id, const char *number,
			 const char *date, struct sw_errbuf *eb);

/* Records an assessment (result pass|basic_pass|fail, or 符合/基本符合/
 * 不符合), updates the register's last assessment and next due date;
 * *id gets the assessment's id. */
enum sw_err sw_mlps_assess(struct sw_store *st, int64_t site_id, const char *agency,
			   const char *date, const char *score, const char *result,
			   const char *report_ref, int64_t now, int64_t *id, struct sw_errbuf *eb);

/* Canonical result key of a user's spelling, or NULL. */
const char *sw_mlps_result_key(const char *in);

/* ---- qualification review (review.c) ---- */

/* Opens a campaign over the sites in region's subtree, of unit_type and
 * group (NULL/0: any), closed sites left out; *id and *nsites (may be
 * NULL) get the campaign and how many sites it holds. */
enum sw_err sw_review_open(struct sw_store *st, const char *name, const char *kind,
			   const char *region, const char *unit_type, int64_t group_id,
			   const char *deadline, const char *note, int64_t now, int64_t *id,
			   int64_t *nsites, struct sw_errbuf *eb);

/*
 * Decides site_id in campaign_id: approved or rejected (中文 通过/不通过
 * accepted), reviewer, date (NULL: today), note.  The register's review
 * fields follow.  A rejection opens the domain clean-up and ICP filing
 * cancellation tasks and suspends the site when it is online or
 * pre-launch, unless keep_reason is given: then an override is logged
 * (actor: the reviewer) and the site stays as it is.
 */
enum sw_err sw_review_decide(struct sw_store *st, int64_t campaign_id, int64_t site_id,
			     const char *decision, const char *reviewer, const char *date,
			     const char *note, const char *keep_reason, int64_t now,
			     struct sw_errbuf *eb);

/* ---- the register's status gate (gate.c) ---- */

/*
 * Called by the register before a site row is written (register.c): a
 * move from pre-launch to online needs a passing recorded check no older
 * than the policy's prelaunch_check_days, and a move to online or
 * pre-launch of a site whose latest review was a rejection is refused;
 * either passes with an unused logged override for that status, which
 * this call uses up.  SW_EINVAL with field "status" when refused.
 */
enum sw_err sw_compliance_gate(struct sw_store *st, const struct sw_rec *rec, int64_t now,
			       struct sw_errbuf *eb);

/* Logs an override (actor and reason required) and moves the site to
 * to_status through the register. */
enum sw_err sw_compliance_override(struct sw_store *st, int64_t site_id, const char *to_status,
				   const char *actor, const char *reason, int64_t now,
				   struct sw_errbuf *eb);

/* Records a `check --record` result for the register site whose host the
 * URL names; *site_id 0 (and SW_OK) when no site has that host. */
enum sw_err sw_compliance_gate_record(struct sw_store *st, const char *url, int passed,
				      const char *worst, int64_t nfindings, int64_t now,
				      int64_t *site_id, struct sw_errbuf *eb);

/* ---- identification (ident.c) ---- */

enum sw_ident { SW_IDENT_COMPLETE, SW_IDENT_MISSING, SW_IDENT_MISMATCH };

/* "complete", "missing", "mismatch". */
const char *sw_ident_name(enum sw_ident s);

/* What identification needs of one site. */
struct sw_ident_in {
	const char *unit_type;
	const char *icp, *psb, *gov_code, *badge; /* register values (badge "1" when shown) */
	int checked;                              /* a latest check exists */
	unsigned page_missing, page_mismatch;     /* SW_IM_* bits the latest check reported */
};

/* Items of identification, as bits. */
enum { SW_IM_ICP = 1, SW_IM_PSB = 2, SW_IM_CODE = 4, SW_IM_BADGE = 8 };

/* Maps a compliance.* finding kind to its item bit and whether it is a
 * mismatch; 0 for kinds that are not identification items. */
unsigned sw_ident_kind_bit(const char *kind, int *mismatch);

/* Judges one site; *missing_reg and *missing_page (may be NULL) get the
 * items the register lacks and the items the page does not show. */
enum sw_ident sw_ident_judge(const struct sw_ident_in *in, unsigned *missing_reg,
			     unsigned *missing_page, unsigned *mismatch);

/* Writes the items of bits as "icp,psb,..." into out. */
void sw_ident_items(unsigned bits, char *out, size_t n);

/* ---- rectification (rectify.c) ---- */

/* Status keys, with Chinese labels. */
const char *sw_rect_status_zh(const char *status);

/* Adds an item (source assessment|finding|incident|inspection; deadline
 * NULL: from the severity: critical 3 days, high 7, medium 15, else 30). */
enum sw_err sw_rect_add(struct sw_store *st, const struct sw_rect_new *n, int64_t now,
			int64_t *id, struct sw_errbuf *eb);

/* One item from finding `kind` of the site's latest check (or check_id
 * when non-zero): title and severity from the finding.  SW_ENOTFOUND when
 * that check has no such finding; SW_EEXIST when an open item already
 * tracks that finding on that site. */
enum sw_err sw_rect_from_finding(struct sw_store *st, int64_t site_id, int64_t check_id,
				 const char *kind, const char *owner, const char *deadline,
				 int64_t now, int64_t *id, struct sw_errbuf *eb);

/* One item from incident incident_id (source "incident", source_ref
 * "incident:ID", title and severity from the incident, its site).  An
 * item may be made from a closed incident too: closing an incident does
 * not wait for its rectification (`rectify list --incident-closed` lists
 * what is left).  SW_ENOTFOUND when there is no such incident; SW_EEXIST
 * when an open item already tracks it. */
enum sw_err sw_rect_from_incident(struct sw_store *st, int64_t incident_id, const char *owner,
				  const char *deadline, int64_t now, int64_t *id,
				  struct sw_errbuf *eb);

/* Moves item id to status (in_progress, fixed, verified, open), with an
 * evidence note (required for fixed), owner and deadline (NULL: keep).
 * Refuses verified unless the item is fixed or ready for verification. */
enum sw_err sw_rect_set(struct sw_store *st, int64_t id, const char *status, const char *owner,
			const char *deadline, const char *evidence, int64_t now,
			struct sw_errbuf *eb);

/* What a tick did. */
struct sw_tick_result {
	int64_t overdue;    /* items newly marked overdue */
	int64_t escalated;  /* escalations made now (each item once ever) */
	int64_t ready;      /* items whose finding disappeared: ready for verification */
	int64_t reopened;   /* ready items whose finding came back */
};

/*
 * The periodic pass: items from monitoring findings whose finding is gone
 * from the site's latest check become ready for verification (and lose
 * the mark when it returns); open and in-progress items past their
 * deadline become overdue; overdue items are escalated, each exactly once
 * (recorded in rectification_escalations for the notification queue).
 * cb (may be NULL) sees each new escalation's item row (SW_RECT_*).
 */
enum sw_err sw_compliance_tick_cb(struct sw_store *st, int64_t now, sw_cmp_row_cb cb, void *arg,
				  struct sw_tick_result *out, struct sw_errbuf *eb);

/* sw_compliance_tick_cb without callback or result, for the serve loop. */
enum sw_err sw_compliance_tick(struct sw_store *st, int64_t now, struct sw_errbuf *eb);

#endif
