/*
 * compliance.c - review campaigns, decisions, rejection tasks, status
 * overrides, pre-launch gate checks and MLPS history (migration 0008).
 *
 * These tables are written a few times per site per year, so each
 * function is one cached statement and no cleverness; the shared runner
 * below keeps binding and row reading in one place.
 */
#include <stdio.h>
#include <string.h>

#include "store/compliance_int.h"

enum sw_err sw__cmp_run(struct sw_store *st, const char *sql, const struct sw__cmp_arg *a,
			int n, int ncols, sw_cmp_row_cb cb, void *arg, int64_t *id,
			struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	struct sw_cmp_row r;
	enum sw_err rc;
	int row = 0, stop = 0;

	if (ncols > SW_CMP_COLS)
		sw_fatal("compliance query with %d columns", ncols);
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	for (int k = 0; k < n && !rc; k++)
		rc = a[k].t == 'i' ? st->ops->bind_int(s, k + 1, a[k].i)
				   : st->ops->bind_text(s, k + 1, a[k].s);
	while (!rc && !(rc = st->ops->step(s, &row, eb)) && row) {
		if (id) {
			*id = sw__store_inserted_id(st, s, row);
			id = NULL;
		}
		if (!cb || stop)
			continue; /* drain the rest (RETURNING rows) */
		r.n = ncols;
		for (int c = 0; c < ncols; c++) {
			r.s[c] = st->ops->col_text(s, c);
			r.i[c] = st->ops->col_null(s, c) ? 0 : st->ops->col_int(s, c);
		}
		stop = cb(arg, &r);
		if (stop)
			break;
	}
	if (!rc && id)
		*id = sw__store_inserted_id(st, s, 0);
	sw__store_q_done(st, s);
	return rc;
}

int64_t sw__cmp_changes(struct sw_store *st)
{
	return st->ops->changes(st->db);
}

#define CAMP_COLS "c.id, c.name, c.kind, c.region, c.unit_type, c.group_id, c.deadline, " \
		  "c.created_at, c.note, "                                             \
		  "(SELECT COUNT(*) FROM review_items i WHERE i.campaign_id = c.id), "  \
		  "(SELECT COUNT(*) FROM review_items i WHERE i.campaign_id = c.id AND " \
		  "i.decision IS NOT NULL), "                                           \
		  "(SELECT COUNT(*) FROM review_items i WHERE i.campaign_id = c.id AND " \
		  "i.decision = 'rejected')"

enum sw_err sw_store_campaign_add(struct sw_store *st, const char *name, const char *kind,
				  const char *region, const char *unit_type, int64_t group_id,
				  const char *deadline, const char *note, int64_t now, int64_t *id,
				  struct sw_errbuf *eb)
{
	static const char plain[] = "INSERT INTO review_campaigns (name, kind, region, unit_type, "
				    "group_id, deadline, note, created_at) VALUES (?1, ?2, ?3, ?4, "
				    "?5, ?6, ?7, ?8)";
	static const char ret[] = "INSERT INTO review_campaigns (name, kind, region, unit_type, "
				  "group_id, deadline, note, created_at) VALUES (?1, ?2, ?3, ?4, "
				  "?5, ?6, ?7, ?8) RETURNING id";
	struct sw__cmp_arg a[] = {CA_T(name), CA_T(kind), CA_T(region), CA_T(unit_type),
				  group_id ? (struct sw__cmp_arg)CA_I(group_id)
					   : (struct sw__cmp_arg)CA_T(NULL),
				  CA_T(deadline), CA_T(note), CA_I(now)};
	enum sw_err rc = sw__cmp_run(st, SW__CMP_INS(st, plain, ret), a, 8, 0, NULL, NULL, id, eb);

	if (rc == SW_EEXIST) {
		sw_errbuf_clear(eb);
		return sw_errf_field(eb, rc, "name", "a campaign called %s exists", name);
	}
	return rc;
}

enum sw_err sw_store_campaigns(struct sw_store *st, int64_t id, sw_cmp_row_cb cb, void *arg,
			       struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT " CAMP_COLS " FROM review_campaigns c "
				  "WHERE ?1 = 0 OR c.id = ?1 ORDER BY c.id";
	struct sw__cmp_arg a[] = {CA_I(id)};

	return sw__cmp_run(st, sql, a, 1, SW_CAMP_REJECTED + 1, cb, arg, NULL, eb);
}

/* Copies the first column of the first row into *(int64_t *)arg. */
static int first_id(void *arg, const struct sw_cmp_row *r)
{
	*(int64_t *)arg = r->i[0];
	return 1;
}

enum sw_err sw_store_campaign_find(struct sw_store *st, const char *name, int64_t *id,
				   struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT id FROM review_campaigns WHERE name = ?1";
	struct sw__cmp_arg a[] = {CA_T(name)};
	enum sw_err rc;

	*id = 0;
	if ((rc = sw__cmp_run(st, sql, a, 1, 1, first_id, id, NULL, eb)))
		return rc;
	return *id ? SW_OK : sw_errf(eb, SW_ENOTFOUND, "no campaign called %s", name);
}

enum sw_err sw_store_review_item_add(struct sw_store *st, int64_t campaign_id, int64_t site_id,
				     struct sw_errbuf *eb)
{
	static const char sql[] = "INSERT INTO review_items (campaign_id, site_id) "
				  "SELECT CAST(?1 AS BIGINT), CAST(?2 AS BIGINT) WHERE NOT EXISTS "
				  "(SELECT 1 FROM review_items "
				  "WHERE campaign_id = ?1 AND site_id = ?2)";
	struct sw__cmp_arg a[] = {CA_I(campaign_id), CA_I(site_id)};

	return sw__cmp_run(st, sql, a, 2, 0, NULL, NULL, NULL, eb);
}

enum sw_err sw_store_review_items(struct sw_store *st, int64_t campaign_id, int64_t site_id,
				  int pending, sw_cmp_row_cb cb, void *arg, struct sw_errbuf *eb)
{
	static const char sql[] =
		"SELECT i.id, i.campaign_id, i.site_id, i.decision, i.reviewer, i.decided_on, "
		"i.decided_at, i.note, c.deadline, s.name FROM review_items i "
		"JOIN review_campaigns c ON c.id = i.campaign_id JOIN sites s ON s.id = i.site_id "
		"WHERE (?1 = 0 OR i.campaign_id = ?1) AND (?2 = 0 OR i.site_id = ?2) "
		"AND (?3 = 0 OR i.decision IS NULL) ORDER BY i.campaign_id, i.site_id";
	struct sw__cmp_arg a[] = {CA_I(campaign_id), CA_I(site_id), CA_I(pending)};

	return sw__cmp_run(st, sql, a, 3, SW_RI_SITE_NAME + 1, cb, arg, NULL, eb);
}

enum sw_err sw_store_review_decide(struct sw_store *st, int64_t item_id, const char *decision,
				   const char *reviewer, const char *date, const char *note,
				   int64_t now, struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE review_items SET decision = ?2, reviewer = ?3, "
				  "decided_on = ?4, note = ?5, decided_at = ?6 WHERE id = ?1";
	struct sw__cmp_arg a[] = {CA_I(item_id), CA_T(decision), CA_T(reviewer),
				  CA_T(date),    CA_T(note),     CA_I(now)};
	enum sw_err rc = sw__cmp_run(st, sql, a, 6, 0, NULL, NULL, NULL, eb);

	if (!rc && sw__cmp_changes(st) == 0)
		return sw_errf(eb, SW_ENOTFOUND, "no review item %lld", (long long)item_id);
	return rc;
}

/* Copies the first column's text into the 16-byte buffer arg. */
static int first_text16(void *arg, const struct sw_cmp_row *r)
{
	snprintf(arg, 16, "%s", r->s[0] ? r->s[0] : "");
	return 1;
}

enum sw_err sw_store_review_latest(struct sw_store *st, int64_t site_id, char decision[16],
				   struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT decision FROM review_items WHERE site_id = ?1 AND "
				  "decision IS NOT NULL ORDER BY decided_at DESC, id DESC LIMIT 1";
	struct sw__cmp_arg a[] = {CA_I(site_id)};

	decision[0] = '\0';
	return sw__cmp_run(st, sql, a, 1, 1, first_text16, decision, NULL, eb);
}

enum sw_err sw_store_task_add(struct sw_store *st, int64_t item_id, int64_t site_id,
			      const char *kind, int64_t now, struct sw_errbuf *eb)
{
	static const char sql[] = "INSERT INTO review_tasks (item_id, site_id, kind, created_at) "
				  "SELECT CAST(?1 AS BIGINT), CAST(?2 AS BIGINT), CAST(?3 AS TEXT), "
				  "CAST(?4 AS BIGINT) WHERE NOT EXISTS (SELECT 1 FROM "
				  "review_tasks WHERE item_id = ?1 AND kind = ?3)";
	struct sw__cmp_arg a[] = {CA_I(item_id), CA_I(site_id), CA_T(kind), CA_I(now)};

	return sw__cmp_run(st, sql, a, 4, 0, NULL, NULL, NULL, eb);
}

enum sw_err sw_store_task_done(struct sw_store *st, int64_t id, const char *by, const char *note,
			       int64_t now, struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE review_tasks SET status = 'done', done_at = ?2, "
				  "done_by = ?3, note = ?4 WHERE id = ?1 AND status = 'open'";
	struct sw__cmp_arg a[] = {CA_I(id), CA_I(now), CA_T(by), CA_T(note)};
	enum sw_err rc = sw__cmp_run(st, sql, a, 4, 0, NULL, NULL, NULL, eb);

	if (!rc && sw__cmp_changes(st) == 0)
		return sw_errf(eb, SW_ENOTFOUND, "no open task %lld", (long long)id);
	return rc;
}

enum sw_err sw_store_tasks(struct sw_store *st, int64_t site_id, int open_only, sw_cmp_row_cb cb,
			   void *arg, struct sw_errbuf *eb)
{
	static const char sql[] =
		"SELECT t.id, t.item_id, t.site_id, t.kind, t.status, t.created_at, t.done_at, "
		"t.done_by, t.note, s.name FROM review_tasks t JOIN sites s ON s.id = t.site_id "
		"WHERE (?1 = 0 OR t.site_id = ?1) AND (?2 = 0 OR t.status = 'open') ORDER BY t.id";
	struct sw__cmp_arg a[] = {CA_I(site_id), CA_I(open_only)};

	return sw__cmp_run(st, sql, a, 2, SW_TASK_SITE_NAME + 1, cb, arg, NULL, eb);
}

enum sw_err sw_store_override_add(struct sw_store *st, int64_t site_id, const char *to_status,
				  const char *actor, const char *reason, int64_t now, int64_t *id,
				  struct sw_errbuf *eb)
{
	static const char plain[] = "INSERT INTO status_overrides (site_id, to_status, actor, "
				    "reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
	static const char ret[] = "INSERT INTO status_overrides (site_id, to_status, actor, "
				  "reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
	struct sw__cmp_arg a[] = {CA_I(site_id), CA_T(to_status), CA_T(actor), CA_T(reason),
				  CA_I(now)};

	return sw__cmp_run(st, SW__CMP_INS(st, plain, ret), a, 5, 0, NULL, NULL, id, eb);
}

enum sw_err sw_store_override_take(struct sw_store *st, int64_t site_id, const char *to_status,
				   int64_t now, int *found, struct sw_errbuf *eb)
{
	static const char find[] = "SELECT id FROM status_overrides WHERE site_id = ?1 AND "
				   "to_status = ?2 AND used_at IS NULL ORDER BY id LIMIT 1";
	static const char use[] = "UPDATE status_overrides SET used_at = ?2 WHERE id = ?1";
	struct sw__cmp_arg a[] = {CA_I(site_id), CA_T(to_status)};
	int64_t id = 0;
	enum sw_err rc;

	*found = 0;
	if ((rc = sw__cmp_run(st, find, a, 2, 1, first_id, &id, NULL, eb)) || !id)
		return rc;
	struct sw__cmp_arg b[] = {CA_I(id), CA_I(now)};
	if ((rc = sw__cmp_run(st, use, b, 2, 0, NULL, NULL, NULL, eb)))
		return rc;
	*found = 1;
	return SW_OK;
}

enum sw_err sw_store_overrides(struct sw_store *st, int64_t site_id, sw_cmp_row_cb cb, void *arg,
			       struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT id, site_id, to_status, actor, reason, created_at, "
				  "used_at FROM status_overrides WHERE ?1 = 0 OR site_id = ?1 "
				  "ORDER BY id DESC";
	struct sw__cmp_arg a[] = {CA_I(site_id)};

	return sw__cmp_run(st, sql, a, 1, SW_OV_USED + 1, cb, arg, NULL, eb);
}

enum sw_err sw_store_gate_record(struct sw_store *st, int64_t site_id, int64_t checked_at,
				 int passed, const char *worst, int64_t findings, const char *url,
				 struct sw_errbuf *eb)
{
	static const char sql[] = "INSERT INTO gate_checks (site_id, checked_at, passed, worst, "
				  "findings, url) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	struct sw__cmp_arg a[] = {CA_I(site_id), CA_I(checked_at), CA_I(passed != 0),
				  CA_T(worst),   CA_I(findings),   CA_T(url)};

	return sw__cmp_run(st, sql, a, 6, 0, NULL, NULL, NULL, eb);
}

enum sw_err sw_store_gate_latest(struct sw_store *st, int64_t site_id, int64_t since,
				 int passed_only, sw_cmp_row_cb cb, void *arg,
				 struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT id, checked_at, passed, worst, findings, url FROM "
				  "gate_checks WHERE site_id = ?1 AND checked_at >= ?2 AND "
				  "(?3 = 0 OR passed = 1) ORDER BY checked_at DESC, id DESC LIMIT 1";
	struct sw__cmp_arg a[] = {CA_I(site_id), CA_I(since), CA_I(passed_only)};

	return sw__cmp_run(st, sql, a, 3, SW_GATE_URL + 1, cb, arg, NULL, eb);
}

enum sw_err sw_store_mlps_grading_add(struct sw_store *st, int64_t site_id, int grade,
				      const char *date, const char *basis, int64_t now,
				      struct sw_errbuf *eb)
{
	static const char sql[] = "INSERT INTO mlps_gradings (site_id, grade, grading_date, basis, "
				  "created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
	struct sw__cmp_arg a[] = {CA_I(site_id), CA_I(grade), CA_T(date), CA_T(basis), CA_I(now)};

	return sw__cmp_run(st, sql, a, 5, 0, NULL, NULL, NULL, eb);
}

enum sw_err sw_store_mlps_assessment_add(struct sw_store *st, int64_t site_id,
					 const char *agency, const char *date, const char *score,
					 const char *result, const char *report_ref, int64_t now,
					 int64_t *id, struct sw_errbuf *eb)
{
	static const char plain[] = "INSERT INTO mlps_assessments (site_id, agency, assess_date, "
				    "score, result, report_ref, created_at) VALUES (?1, ?2, ?3, ?4, "
				    "?5, ?6, ?7)";
	static const char ret[] = "INSERT INTO mlps_assessments (site_id, agency, assess_date, "
				  "score, result, report_ref, created_at) VALUES (?1, ?2, ?3, ?4, "
				  "?5, ?6, ?7) RETURNING id";
	struct sw__cmp_arg a[] = {CA_I(site_id), CA_T(agency),     CA_T(date), CA_T(score),
				  CA_T(result),  CA_T(report_ref), CA_I(now)};

	return sw__cmp_run(st, SW__CMP_INS(st, plain, ret), a, 7, 0, NULL, NULL, id, eb);
}

enum sw_err sw_store_mlps_assessments(struct sw_store *st, int64_t site_id,
				      const char *date_from, const char *date_to,
				      sw_cmp_row_cb cb, void *arg, struct sw_errbuf *eb)
{
	static const char sql[] =
		"SELECT id, site_id, agency, assess_date, score, result, report_ref, created_at "
		"FROM mlps_assessments WHERE (?1 = 0 OR site_id = ?1) AND "
		"(CAST(?2 AS TEXT) IS NULL OR assess_date >= ?2) AND "
		"(CAST(?3 AS TEXT) IS NULL OR assess_date < ?3) ORDER BY assess_date DESC, id DESC";
	struct sw__cmp_arg a[] = {CA_I(site_id), CA_T(date_from), CA_T(date_to)};

	return sw__cmp_run(st, sql, a, 3, SW_MA_CREATED + 1, cb, arg, NULL, eb);
}

enum sw_err sw_store_mlps_gradings(struct sw_store *st, int64_t site_id, sw_cmp_row_cb cb,
				   void *arg, struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT id, site_id, grade, grading_date, basis, created_at FROM "
				  "mlps_gradings WHERE site_id = ?1 ORDER BY id DESC";
	struct sw__cmp_arg a[] = {CA_I(site_id)};

	return sw__cmp_run(st, sql, a, 1, SW_MG_CREATED + 1, cb, arg, NULL, eb);
}
