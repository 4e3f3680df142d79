/*
 * compliance_scope.c - the compliance reads the API serves, with the
 * user's scope applied in SQL (issue 9: a refused row never leaves the
 * store).
 *
 * Every statement here embeds the site rule of scope.c (a site x with its
 * unit u; parameters ?1..?5) and numbers its own parameters from ?6.  The
 * rule is a run-time string there, so the texts are assembled once (the
 * "@S@" mark stands for it) into static buffers: one text per statement
 * for every user, which sw__store_q caches by address like any other.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/compliance_int.h"

#define RECT_COLS "r.id, r.site_id, r.source, r.source_ref, r.finding_kind, r.severity, "  \
		  "r.title, r.owner, r.deadline, r.status, r.ready_to_verify, r.evidence, " \
		  "r.created_at, r.updated_at, r.fixed_at, r.verified_at, r.overdue_at, "   \
		  "r.escalated_at, x.name"

#define RECT_WHERE                                                                          \
	" FROM rectifications r JOIN sites x ON x.id = r.site_id JOIN units u ON "            \
	"u.id = x.unit_id WHERE @S@ AND (?6 = 0 OR r.id = ?6) AND (?7 = 0 OR r.site_id = ?7) " \
	"AND (CAST(?8 AS TEXT) IS NULL OR r.status = ?8) "                                      \
	"AND (?9 = 0 OR r.status IN ('open', 'in_progress', 'overdue')) "                      \
	"AND (?10 = 0 OR r.ready_to_verify = 1) "                                               \
	"AND (CAST(?11 AS TEXT) IS NULL OR r.finding_kind = ?11) "                              \
	"AND (CAST(?12 AS TEXT) IS NULL OR r.source_ref = ?12) "                                \
	"AND (?13 = 0 OR (r.source = 'incident' AND EXISTS (SELECT 1 FROM incidents n WHERE "   \
	"'incident:' || CAST(n.id AS TEXT) = r.source_ref AND n.state = 'closed')))"

/* A campaign's visible items (i), for the counts and the filter. */
#define CAMP_ITEMS " FROM review_items i JOIN sites x ON x.id = i.site_id JOIN units u ON " \
		   "u.id = x.unit_id WHERE i.campaign_id = c.id AND @S@"

#define CAMP_WHERE " FROM review_campaigns c WHERE (?6 = 0 OR c.id = ?6) AND " \
		   "(CAST(?1 AS BIGINT) = 0 OR EXISTS (SELECT 1" CAMP_ITEMS "))"

#define ITEM_WHERE                                                                           \
	" FROM review_items i JOIN review_campaigns c ON c.id = i.campaign_id JOIN sites x ON " \
	"x.id = i.site_id JOIN units u ON u.id = x.unit_id WHERE @S@ AND "                     \
	"(?6 = 0 OR i.campaign_id = ?6) AND (?7 = 0 OR i.site_id = ?7) AND "                   \
	"(?8 = 0 OR i.decision IS NULL)"

#define TASK_WHERE                                                                           \
	" FROM review_tasks t JOIN sites x ON x.id = t.site_id JOIN units u ON "               \
	"u.id = x.unit_id WHERE @S@ AND (?6 = 0 OR t.id = ?6) AND (?7 = 0 OR t.site_id = ?7) " \
	"AND (?8 = 0 OR t.status = 'open')"

static const char *const templates[SW__CQ__COUNT] = {
	[SW__CQ_RECTS] = ("SELECT " RECT_COLS RECT_WHERE " ORDER BY r.id LIMIT ?14 OFFSET ?15"),
	[SW__CQ_RECT_COUNT] = ("SELECT COUNT(*)" RECT_WHERE),
	[SW__CQ_CAMPS] = ("SELECT c.id, c.name, c.kind, c.region, c.unit_type, c.group_id, "
			  "c.deadline, c.created_at, c.note, (SELECT COUNT(*)" CAMP_ITEMS "), "
			  "(SELECT COUNT(*)" CAMP_ITEMS " AND i.decision IS NOT NULL), "
			  "(SELECT COUNT(*)" CAMP_ITEMS " AND i.decision = 'rejected')" CAMP_WHERE
			  " ORDER BY c.id LIMIT ?7 OFFSET ?8"),
	[SW__CQ_CAMP_COUNT] = ("SELECT COUNT(*)" CAMP_WHERE),
	[SW__CQ_ITEMS] = ("SELECT i.id, i.campaign_id, i.site_id, i.decision, i.reviewer, "
			  "i.decided_on, i.decided_at, i.note, c.deadline, x.name" ITEM_WHERE
			  " ORDER BY i.campaign_id, i.site_id LIMIT ?9 OFFSET ?10"),
	[SW__CQ_ITEM_COUNT] = ("SELECT COUNT(*)" ITEM_WHERE),
	[SW__CQ_TASKS] = ("SELECT t.id, t.item_id, t.site_id, t.kind, t.status, t.created_at, "
			  "t.done_at, t.done_by, t.note, x.name" TASK_WHERE
			  " ORDER BY t.id LIMIT ?9 OFFSET ?10"),
	[SW__CQ_TASK_COUNT] = ("SELECT COUNT(*)" TASK_WHERE),
	[SW__CQ_SITES] = ("SELECT x.id, x.name, x.url, x.status, u.type, u.region, u.dept_id, "
			  "x.group_id, x.icp, x.psb, x.gov_code, x.badge, x.mlps_grade, "
			  "x.mlps_filing_no, x.mlps_assess_date, u.name, st.last_check_id, "
			  "st.checked_at FROM sites x JOIN units u ON u.id = x.unit_id LEFT JOIN "
			  "site_state st ON st.site_id = x.id WHERE @S@ ORDER BY x.id"),
	[SW__CQ_PRUNE] = ("DELETE FROM review_items WHERE campaign_id = ?6 AND site_id NOT IN "
			  "(SELECT x.id FROM sites x JOIN units u ON u.id = x.unit_id WHERE @S@)"),
};

/* Room for the longest statement: a template plus four copies of the
 * rule (the campaign list embeds it four times). */
#define SQL_MAX 8192

static char built[SW__CQ__COUNT][SQL_MAX];
static pthread_once_t built_once = PTHREAD_ONCE_INIT;

static void build(void)
{
	const char *rule = sw__scope_sql(SW_ENT_SITE);
	size_t rl = strlen(rule);

	for (int q = 0; q < SW__CQ__COUNT; q++) {
		const char *t = templates[q], *m;
		size_t used = 0;

		while ((m = strstr(t, "@S@"))) {
			size_t n = (size_t)(m - t);

			if (used + n + rl >= SQL_MAX)
				sw_fatal("compliance scope statement %d too long", q);
			memcpy(built[q] + used, t, n);
			memcpy(built[q] + used + n, rule, rl);
			used += n + rl;
			t = m + 3;
		}
		if (used + strlen(t) >= SQL_MAX)
			sw_fatal("compliance scope statement %d too long", q);
		memcpy(built[q] + used, t, strlen(t) + 1);
	}
}

const char *sw__cmp_scoped_sql(int which)
{
	pthread_once(&built_once, build);
	return built[which];
}

enum sw_err sw__cmp_scope_args(const struct sw_access *acc, struct sw__scope_vals *v,
			       struct sw__cmp_arg a[5], struct sw_errbuf *eb)
{
	enum sw_err rc;

	a[0] = (struct sw__cmp_arg)CA_I(acc ? 1 : 0);
	for (int k = 1; k < 5; k++)
		a[k] = (struct sw__cmp_arg)CA_T(NULL);
	if (!acc)
		return SW_OK;
	if (acc->region && *acc->region) {
		if ((rc = sw__region_range(acc->region, v->lo, v->hi, "region", eb)))
			return rc;
		a[1] = (struct sw__cmp_arg)CA_T(v->lo);
		a[2] = (struct sw__cmp_arg)CA_T(v->hi);
	}
	if (acc->dept_id > 0)
		a[3] = (struct sw__cmp_arg)CA_I(acc->dept_id);
	if (acc->unit_id > 0)
		a[4] = (struct sw__cmp_arg)CA_I(acc->unit_id);
	return SW_OK;
}

/* Copies the first column into *(int64_t *)arg. */
static int first_int(void *arg, const struct sw_cmp_row *r)
{
	*(int64_t *)arg = r->i[0];
	return 1;
}

/* Runs statement q with the scope of acc and the n extra arguments
 * (?6 on). */
static enum sw_err run_scoped(struct sw_store *st, int q, const struct sw_access *acc,
			      const struct sw__cmp_arg *extra, int n, int ncols, sw_cmp_row_cb cb,
			      void *arg, struct sw_errbuf *eb)
{
	struct sw__cmp_arg a[5 + 8];
	struct sw__scope_vals v;
	enum sw_err rc;

	if (n > 8)
		sw_fatal("compliance scoped statement with %d arguments", n);
	if ((rc = sw__cmp_scope_args(acc, &v, a, eb)))
		return rc;
	if (n)
		memcpy(a + 5, extra, (size_t)n * sizeof *extra);
	return sw__cmp_run(st, sw__cmp_scoped_sql(q), a, 5 + n, ncols, cb, arg, NULL, eb);
}

/* limit 0 (all) as SQL wants it. */
#define LIM(l) CA_I((l) > 0 ? (l) : INT64_MAX)
#define OFF(o) CA_I((o) > 0 ? (o) : 0)

enum sw_err sw_store_cmp_sites_in(struct sw_store *st, const struct sw_access *acc,
				  sw_cmp_row_cb cb, void *arg, struct sw_errbuf *eb)
{
	return run_scoped(st, SW__CQ_SITES, acc, NULL, 0, SW_SS_CHECKED_AT + 1, cb, arg, eb);
}

enum sw_err sw_store_campaigns_in(struct sw_store *st, int64_t id, const struct sw_access *acc,
				  int64_t limit, int64_t offset, sw_cmp_row_cb cb, void *arg,
				  struct sw_errbuf *eb)
{
	struct sw__cmp_arg a[] = {CA_I(id), LIM(limit), OFF(offset)};

	return run_scoped(st, SW__CQ_CAMPS, acc, a, 3, SW_CAMP_REJECTED + 1, cb, arg, eb);
}

enum sw_err sw_store_campaign_count_in(struct sw_store *st, const struct sw_access *acc,
				       int64_t *n, struct sw_errbuf *eb)
{
	struct sw__cmp_arg a[] = {CA_I(0)};

	*n = 0;
	return run_scoped(st, SW__CQ_CAMP_COUNT, acc, a, 1, 1, first_int, n, eb);
}

enum sw_err sw_store_review_items_in(struct sw_store *st, int64_t campaign_id, int64_t site_id,
				     int pending, const struct sw_access *acc, int64_t limit,
				     int64_t offset, sw_cmp_row_cb cb, void *arg,
				     struct sw_errbuf *eb)
{
	struct sw__cmp_arg a[] = {CA_I(campaign_id), CA_I(site_id), CA_I(pending != 0),
				  LIM(limit), OFF(offset)};

	return run_scoped(st, SW__CQ_ITEMS, acc, a, 5, SW_RI_SITE_NAME + 1, cb, arg, eb);
}

enum sw_err sw_store_review_item_count_in(struct sw_store *st, int64_t campaign_id,
					  int64_t site_id, int pending,
					  const struct sw_access *acc, int64_t *n,
					  struct sw_errbuf *eb)
{
	struct sw__cmp_arg a[] = {CA_I(campaign_id), CA_I(site_id), CA_I(pending != 0)};

	*n = 0;
	return run_scoped(st, SW__CQ_ITEM_COUNT, acc, a, 3, 1, first_int, n, eb);
}

enum sw_err sw_store_tasks_in(struct sw_store *st, int64_t id, int64_t site_id, int open_only,
			      const struct sw_access *acc, int64_t limit, int64_t offset,
			      sw_cmp_row_cb cb, void *arg, struct sw_errbuf *eb)
{
	struct sw__cmp_arg a[] = {CA_I(id), CA_I(site_id), CA_I(open_only != 0), LIM(limit),
				  OFF(offset)};

	return run_scoped(st, SW__CQ_TASKS, acc, a, 5, SW_TASK_SITE_NAME + 1, cb, arg, eb);
}

enum sw_err sw_store_task_count_in(struct sw_store *st, int64_t site_id, int open_only,
				   const struct sw_access *acc, int64_t *n,
				   struct sw_errbuf *eb)
{
	struct sw__cmp_arg a[] = {CA_I(0), CA_I(site_id), CA_I(open_only != 0)};

	*n = 0;
	return run_scoped(st, SW__CQ_TASK_COUNT, acc, a, 3, 1, first_int, n, eb);
}

enum sw_err sw_store_review_items_prune(struct sw_store *st, int64_t campaign_id,
					const struct sw_access *acc, int64_t *left,
					struct sw_errbuf *eb)
{
	struct sw__cmp_arg a[] = {CA_I(campaign_id)};
	enum sw_err rc;

	*left = 0;
	if (!acc)
		return sw_store_review_item_count_in(st, campaign_id, 0, 0, NULL, left, eb);
	if ((rc = run_scoped(st, SW__CQ_PRUNE, acc, a, 1, 0, NULL, NULL, eb)))
		return rc;
	return sw_store_review_item_count_in(st, campaign_id, 0, 0, acc, left, eb);
}
