/*
 * compliance_rect.c - rectification items (隐患整改) and the escalation of
 * overdue ones (migration 0008).
 *
 * Escalating exactly once is a property of the data, not of the caller's
 * memory: an item gets at most one row in rectification_escalations
 * (UNIQUE item_id, inserted only when absent) and escalated_at is stamped
 * once, so a second tick, a restart or two processes ticking at once add
 * nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "store/compliance_int.h"

enum sw_err sw_store_rect_add(struct sw_store *st, const struct sw_rect_new *n, int64_t now,
			      int64_t *id, struct sw_errbuf *eb)
{
	static const char plain[] = "INSERT INTO rectifications (site_id, source, source_ref, "
				    "finding_kind, severity, title, owner, deadline, created_at, "
				    "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)";
	static const char ret[] = "INSERT INTO rectifications (site_id, source, source_ref, "
				  "finding_kind, severity, title, owner, deadline, created_at, "
				  "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) "
				  "RETURNING id";
	struct sw__cmp_arg a[] = {CA_I(n->site_id), CA_T(n->source),   CA_T(n->source_ref),
				  CA_T(n->finding_kind), CA_T(n->severity), CA_T(n->title),
				  CA_T(n->owner),   CA_T(n->deadline), CA_I(now)};
	enum sw_err rc = sw__cmp_run(st, SW__CMP_INS(st, plain, ret), a, 9, 0, NULL, NULL, id, eb);

	if (rc == SW_EINUSE)
		return sw_errf_replace(eb, rc, "no site %lld", (long long)n->site_id);
	return rc;
}

/* The walk and the count run scoped statements (compliance_scope.c):
 * f->acc NULL binds "everything". */
enum sw_err sw_store_rects(struct sw_store *st, const struct sw_rect_filter *f,
			   sw_cmp_row_cb cb, void *arg, struct sw_errbuf *eb)
{
	static const struct sw_rect_filter none;
	struct sw__scope_vals v;
	enum sw_err rc;

	if (!f)
		f = &none;
	struct sw__cmp_arg a[] = {{0},  {0},
				  {0},  {0},
				  {0},  CA_I(f->id),
				  CA_I(f->site_id),    CA_T(f->status),
				  CA_I(f->open_only),  CA_I(f->ready_only),
				  CA_T(f->finding_kind), CA_T(f->source_ref),
				  CA_I(f->incident_closed),
				  CA_I(f->limit > 0 ? f->limit : INT64_MAX),
				  CA_I(f->offset > 0 ? f->offset : 0)};

	if ((rc = sw__cmp_scope_args(f->acc, &v, a, eb)))
		return rc;
	return sw__cmp_run(st, sw__cmp_scoped_sql(SW__CQ_RECTS), a, 15, SW_RECT_SITE_NAME + 1, cb,
			   arg, NULL, eb);
}

/* Copies the first column into *(int64_t *)arg. */
static int copy_int(void *arg, const struct sw_cmp_row *r)
{
	*(int64_t *)arg = r->i[0];
	return 1;
}

enum sw_err sw_store_rect_count(struct sw_store *st, const struct sw_rect_filter *f,
				int64_t *n, struct sw_errbuf *eb)
{
	static const struct sw_rect_filter none;
	struct sw__scope_vals v;
	enum sw_err rc;

	if (!f)
		f = &none;
	struct sw__cmp_arg a[] = {{0}, {0}, {0}, {0}, {0}, CA_I(f->id), CA_I(f->site_id),
				  CA_T(f->status), CA_I(f->open_only), CA_I(f->ready_only),
				  CA_T(f->finding_kind), CA_T(f->source_ref), CA_I(f->incident_closed)};

	*n = 0;
	if ((rc = sw__cmp_scope_args(f->acc, &v, a, eb)))
		return rc;
	return sw__cmp_run(st, sw__cmp_scoped_sql(SW__CQ_RECT_COUNT), a, 13, 1, copy_int, n, NULL,
			   eb);
}

enum sw_err sw_store_rect_update(struct sw_store *st, int64_t id, const char *status,
				 const char *owner, const char *deadline, const char *evidence,
				 int ready, int64_t now, struct sw_errbuf *eb)
{
	static const char sql[] =
		"UPDATE rectifications SET status = ?2, owner = ?3, deadline = ?4, evidence = ?5, "
		"ready_to_verify = ?6, updated_at = ?7, "
		"fixed_at = CASE WHEN ?2 = 'fixed' AND fixed_at IS NULL THEN ?7 ELSE fixed_at END, "
		"verified_at = CASE WHEN ?2 = 'verified' THEN ?7 ELSE verified_at END "
		"WHERE id = ?1";
	struct sw__cmp_arg a[] = {CA_I(id),       CA_T(status),   CA_T(owner), CA_T(deadline),
				  CA_T(evidence), CA_I(ready != 0), CA_I(now)};
	enum sw_err rc = sw__cmp_run(st, sql, a, 7, 0, NULL, NULL, NULL, eb);

	if (!rc && sw__cmp_changes(st) == 0)
		return sw_errf(eb, SW_ENOTFOUND, "no rectification item %lld", (long long)id);
	return rc;
}

enum sw_err sw_store_rect_mark_overdue(struct sw_store *st, const char *today, int64_t now,
				       int64_t *n, struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE rectifications SET status = 'overdue', updated_at = ?2, "
				  "overdue_at = COALESCE(overdue_at, ?2) WHERE status IN "
				  "('open', 'in_progress') AND deadline < ?1";
	struct sw__cmp_arg a[] = {CA_T(today), CA_I(now)};
	enum sw_err rc = sw__cmp_run(st, sql, a, 2, 0, NULL, NULL, NULL, eb);

	*n = rc ? 0 : sw__cmp_changes(st);
	return rc;
}

/* A growable list of ids. */
struct ids {
	int64_t *v;
	size_t n, cap;
	int oom;
};

/* Appends the first column to the struct ids at arg. */
static int collect_id(void *arg, const struct sw_cmp_row *r)
{
	struct ids *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		int64_t *v = realloc(l->v, cap * sizeof *v);

		if (!v) {
			l->oom = 1;
			return 1;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = r->i[0];
	return 0;
}

/* Escalates item id: the escalation row (only when absent) and the
 * stamp; *added 1 when this call made the escalation. */
static enum sw_err escalate_one(struct sw_store *st, int64_t id, int64_t now, int *added,
				struct sw_errbuf *eb)
{
	static const char ins[] =
		"INSERT INTO rectification_escalations (item_id, site_id, created_at, deadline, "
		"title) SELECT r.id, r.site_id, CAST(?2 AS BIGINT), r.deadline, r.title FROM "
		"rectifications r WHERE r.id = ?1 AND NOT EXISTS (SELECT 1 FROM "
		"rectification_escalations e WHERE e.item_id = r.id)";
	static const char stamp[] = "UPDATE rectifications SET escalated_at = ?2 WHERE id = ?1 "
				    "AND escalated_at IS NULL";
	struct sw__cmp_arg a[] = {CA_I(id), CA_I(now)};
	enum sw_err rc;

	*added = 0;
	if ((rc = sw__cmp_run(st, ins, a, 2, 0, NULL, NULL, NULL, eb)))
		return rc;
	*added = sw__cmp_changes(st) > 0;
	return sw__cmp_run(st, stamp, a, 2, 0, NULL, NULL, NULL, eb);
}

enum sw_err sw_store_rect_escalate(struct sw_store *st, int64_t now, sw_cmp_row_cb cb,
				   void *arg, int64_t *n, struct sw_errbuf *eb)
{
	static const char due[] = "SELECT id FROM rectifications WHERE status = 'overdue' AND "
				  "escalated_at IS NULL ORDER BY id";
	struct ids l = {0};
	enum sw_err rc;
	int added;

	*n = 0;
	if ((rc = sw_store_begin(st, eb)))
		return rc;
	rc = sw__cmp_run(st, due, NULL, 0, 1, collect_id, &l, NULL, eb);
	if (!rc && l.oom)
		rc = sw_errf(eb, SW_ENOMEM, "out of memory listing overdue items");
	for (size_t i = 0; i < l.n && !rc; i++) {
		if ((rc = escalate_one(st, l.v[i], now, &added, eb)) || !added)
			continue;
		(*n)++;
		if (cb) {
			struct sw_rect_filter f = {.id = l.v[i]};

			rc = sw_store_rects(st, &f, cb, arg, eb);
		}
	}
	free(l.v);
	if (rc) {
		sw_store_rollback(st);
		*n = 0;
		return rc;
	}
	return sw_store_commit(st, eb);
}

enum sw_err sw_store_escalations(struct sw_store *st, int undelivered, sw_cmp_row_cb cb,
				 void *arg, struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT id, item_id, site_id, created_at, deadline, title, "
				  "delivered_at FROM rectification_escalations WHERE ?1 = 0 OR "
				  "delivered_at IS NULL ORDER BY id";
	struct sw__cmp_arg a[] = {CA_I(undelivered)};

	return sw__cmp_run(st, sql, a, 1, SW_ESC_DELIVERED + 1, cb, arg, NULL, eb);
}

enum sw_err sw_store_escalation_delivered(struct sw_store *st, int64_t id, int64_t now,
					  struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE rectification_escalations SET delivered_at = ?2 WHERE "
				  "id = ?1";
	struct sw__cmp_arg a[] = {CA_I(id), CA_I(now)};
	enum sw_err rc = sw__cmp_run(st, sql, a, 2, 0, NULL, NULL, NULL, eb);

	if (!rc && sw__cmp_changes(st) == 0)
		return sw_errf(eb, SW_ENOTFOUND, "no escalation %lld", (long long)id);
	return rc;
}
