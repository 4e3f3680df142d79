/*
 * lease.c - leases of due sites and of vantage checks for probe nodes
 * (lease.h, migration 0012).
 *
 * Taking a batch is an UPDATE of the schedule rows that are due and free
 * (lease_until NULL or past), then a SELECT of the rows that now carry
 * this node's lease, in one transaction.  The UPDATE is the same on both
 * backends except that PostgreSQL picks the rows with FOR UPDATE SKIP
 * LOCKED (SQLite has neither the clause nor the need: its write lock lets
 * one node take at a time).  The SELECT finds the batch by its lease (the
 * node's name and the lapse time): a site leased to this node at the same
 * lapse time and still due is one this node has to check anyway.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "store/lease.h"
#include "store/pg.h"

#define ACTIVE "s.status IN ('online', 'pre-launch')"

/* The rows a node may take: due at ?3, lease free or lapsed at ?4. */
#define TAKE_WHERE                                                                        \
	"UPDATE site_schedule SET lease_node = ?1, lease_until = ?2 WHERE site_id IN "   \
	"(SELECT sc.site_id FROM site_schedule sc JOIN sites s ON s.id = sc.site_id WHERE " \
	ACTIVE " AND sc.next_due <= ?3 AND (sc.lease_until IS NULL OR sc.lease_until <= ?4) " \
	"ORDER BY sc.next_due, sc.site_id LIMIT ?5"

static const char sql_take_lite[] = TAKE_WHERE ")";
static const char sql_take_pg[] = TAKE_WHERE " FOR UPDATE OF sc SKIP LOCKED)";

static const char sql_taken[] =
	"SELECT s.id, s.group_id, s.url, s.ips, sc.last_ips, sc.next_due, sc.fails, t.up, "
	"t.since FROM site_schedule sc JOIN sites s ON s.id = sc.site_id "
	"LEFT JOIN site_state t ON t.site_id = s.id WHERE sc.lease_node = ?1 AND "
	"sc.lease_until = ?2 AND sc.next_due <= ?3 AND " ACTIVE " ORDER BY sc.next_due, s.id";

/* True on PostgreSQL: the dialect differences of this file. */
static int is_pg(const struct sw_store *st)
{
	return !strcmp(st->ops->name, "postgresql");
}

enum sw_err sw_store_sched_add(struct sw_store *st, int64_t site_id, int64_t next_due,
			       struct sw_errbuf *eb)
{
	static const char sql[] = "INSERT INTO site_schedule (site_id, next_due) VALUES (?1, ?2) "
				  "ON CONFLICT (site_id) DO NOTHING";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, next_due);
	return sw__store_run_done(st, s, eb);
}

/* Walks the batch just leased (sql_taken) into cb. */
static enum sw_err walk_taken(struct sw_store *st, const char *node, int64_t lease_until,
			      int64_t due_by, int (*cb)(void *arg, const struct sw_due *d),
			      void *arg, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	struct sw_due d;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql_taken, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, node);
	st->ops->bind_int(s, 2, lease_until);
	st->ops->bind_int(s, 3, due_by);
	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		d.site_id = st->ops->col_int(s, 0);
		d.group_id = st->ops->col_int(s, 1);
		d.url = st->ops->col_text(s, 2);
		d.ips = st->ops->col_text(s, 3);
		d.last_ips = st->ops->col_text(s, 4);
		d.next_due = st->ops->col_int(s, 5);
		d.fails = (int)st->ops->col_int(s, 6);
		d.up = st->ops->col_null(s, 7) ? -1 : (int)st->ops->col_int(s, 7);
		d.since = st->ops->col_int(s, 8);
		if (cb(arg, &d))
			break;
	}
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_lease_due(struct sw_store *st, const char *node, int64_t due_by,
			       int64_t now, int64_t lease_until, int64_t limit,
			       int (*cb)(void *arg, const struct sw_due *d), void *arg,
			       struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw_store_begin(st, eb)))
		return rc;
	if ((rc = sw__store_q(st, is_pg(st) ? sql_take_pg : sql_take_lite, &s, eb)))
		goto out;
	st->ops->bind_text(s, 1, node);
	st->ops->bind_int(s, 2, lease_until);
	st->ops->bind_int(s, 3, due_by);
	st->ops->bind_int(s, 4, now);
	st->ops->bind_int(s, 5, limit > 0 ? limit : INT64_MAX);
	if ((rc = sw__store_run_done(st, s, eb)))
		goto out;
	/* Committed before anything is fetched: the lease must be visible to
	 * the other nodes while this one works. */
	if (st->ops->changes(st->db) > 0)
		rc = walk_taken(st, node, lease_until, due_by, cb, arg, eb);
out:
	if (rc) {
		sw_store_rollback(st);
		return rc;
	}
	return sw_store_commit(st, eb);
}

enum sw_err sw_store_lease_release(struct sw_store *st, const char *node,
				   struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE site_schedule SET lease_node = NULL, lease_until = NULL "
				  "WHERE lease_node = ?1";
	static const char sql_v[] = "UPDATE vantage_schedule SET lease_node = NULL, "
				    "lease_until = NULL WHERE lease_node = ?1";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, node);
	if ((rc = sw__store_run_done(st, s, eb)) || (rc = sw__store_q(st, sql_v, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, node);
	return sw__store_run_done(st, s, eb);
}

enum sw_err sw_store_lease_next(struct sw_store *st, int64_t *t, struct sw_errbuf *eb)
{
	/* A leased site becomes takeable when its lease lapses, unless the
	 * check is recorded first (then its next_due moves on). */
	static const char sql[] =
		"SELECT MIN(CASE WHEN sc.lease_until > sc.next_due THEN sc.lease_until "
		"ELSE sc.next_due END) FROM site_schedule sc JOIN sites s ON s.id = sc.site_id "
		"WHERE " ACTIVE;
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0, null = 1;

	*t = 0;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	if (!(rc = st->ops->step(s, &row, eb)) && row && !(null = st->ops->col_null(s, 0)))
		*t = st->ops->col_int(s, 0);
	sw__store_q_done(st, s);
	if (!rc && null)
		rc = SW_ENOTFOUND; /* nothing scheduled: no message */
	return rc;
}

enum sw_err sw_store_batch_begin(struct sw_store *st, struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT pg_advisory_xact_lock(7386520)";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw_store_begin_bulk(st, eb)) || !is_pg(st))
		return rc;
	if (!(rc = sw__store_q(st, sql, &s, eb)))
		rc = sw__store_run_done(st, s, eb);
	if (rc)
		sw_store_rollback(st);
	else
		sw__pg_pipeline(st->db);
	return rc;
}

/* ---- vantage points ---- */

/* One label and whether it is wanted (sync's bookkeeping). */
struct vsync {
	const char *const *labels;
	size_t n;
	int have[64];  /* labels[i] has a row */
	int stale;     /* a row whose label is no longer wanted */
};

static int vsync_row(void *arg, const struct sw_vantage_seen *v)
{
	struct vsync *w = arg;
	size_t i;

	for (i = 0; i < w->n; i++)
		if (!strcmp(w->labels[i], v->vantage))
			break;
	if (i < w->n)
		w->have[i] = 1;
	else
		w->stale = 1;
	return 0;
}

enum sw_err sw_store_vantage_sync(struct sw_store *st, int64_t site_id,
				  const char *const *labels, size_t n, int64_t now,
				  struct sw_errbuf *eb)
{
	static const char ins[] = "INSERT INTO vantage_schedule (site_id, vantage, next_due) "
				  "VALUES (?1, ?2, ?3) ON CONFLICT (site_id, vantage) DO NOTHING";
	static const char del_all[] = "DELETE FROM vantage_schedule WHERE site_id = ?1";
	struct vsync w = {.labels = labels, .n = n};
	struct sw_stmt *s;
	enum sw_err rc;
	size_t i;

	if (n > 64)
		return sw_errf(eb, SW_ELIMIT, "at most 64 vantage points per site");
	if ((rc = sw_store_vantage_walk(st, site_id, INT64_MIN, vsync_row, &w, eb)))
		return rc;
	for (i = 0; i < n && w.have[i]; i++)
		;
	if (i == n && !w.stale)
		return SW_OK;
	if ((rc = sw_store_begin(st, eb)))
		return rc;
	/* Rare (a policy change): drop and re-add rather than diff, keeping
	 * the rows still wanted by re-inserting them due now. */
	if (w.stale && !(rc = sw__store_q(st, del_all, &s, eb))) {
		st->ops->bind_int(s, 1, site_id);
		rc = sw__store_run_done(st, s, eb);
	}
	for (i = 0; i < n && !rc; i++) {
		if ((rc = sw__store_q(st, ins, &s, eb)))
			break;
		st->ops->bind_int(s, 1, site_id);
		st->ops->bind_text(s, 2, labels[i]);
		st->ops->bind_int(s, 3, now);
		rc = sw__store_run_done(st, s, eb);
	}
	if (rc) {
		sw_store_rollback(st);
		return rc;
	}
	return sw_store_commit(st, eb);
}

/* Writes ";a;b;" for labels into buf (size cap); -1 when it does not fit. */
static int join_labels(const char *const *labels, size_t n, char *buf, size_t cap)
{
	size_t used = 1;

	if (cap < 2)
		return -1;
	buf[0] = ';';
	buf[1] = '\0';
	for (size_t i = 0; i < n; i++) {
		int k = snprintf(buf + used, cap - used, "%s;", labels[i]);

		if (k < 0 || (size_t)k >= cap - used)
			return -1;
		used += (size_t)k;
	}
	return 0;
}

enum sw_err sw_store_vantage_lease(struct sw_store *st, const char *node,
				   const char *const *labels, size_t n, int64_t now,
				   int64_t lease_until, int64_t limit,
				   int (*cb)(void *arg, const struct sw_vantage_due *d),
				   void *arg, struct sw_errbuf *eb)
{
	/* "label is in ?3" as ";label;" inside ";a;b;", spelled with
	 * replace() and length(), which both dialects have. */
#define VTAKE                                                                                \
	"UPDATE vantage_schedule SET lease_node = ?1, lease_until = ?2 WHERE (site_id, vantage) " \
	"IN (SELECT v.site_id, v.vantage FROM vantage_schedule v JOIN sites s ON s.id = "        \
	"v.site_id WHERE " ACTIVE " AND v.next_due <= ?4 AND (v.lease_until IS NULL OR "         \
	"v.lease_until <= ?4) AND length(?3) <> length(replace(?3, ';' || v.vantage || ';', "   \
	"'')) ORDER BY v.next_due, v.site_id LIMIT ?5"
	static const char take_lite[] = VTAKE ")";
	static const char take_pg[] = VTAKE " FOR UPDATE OF v SKIP LOCKED)";
#undef VTAKE
	static const char taken[] =
		"SELECT v.site_id, v.vantage, s.url, s.group_id FROM vantage_schedule v JOIN sites s ON "
		"s.id = v.site_id WHERE v.lease_node = ?1 AND v.lease_until = ?2 AND "
		"v.next_due <= ?3 ORDER BY v.next_due, v.site_id";
	char joined[1024];
	struct sw_vantage_due d;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if (n == 0)
		return SW_OK;
	if (join_labels(labels, n, joined, sizeof joined))
		return sw_errf(eb, SW_ELIMIT, "node labels too long");
	if ((rc = sw_store_begin(st, eb)))
		return rc;
	if ((rc = sw__store_q(st, is_pg(st) ? take_pg : take_lite, &s, eb)))
		goto out;
	st->ops->bind_text(s, 1, node);
	st->ops->bind_int(s, 2, lease_until);
	st->ops->bind_text(s, 3, joined);
	st->ops->bind_int(s, 4, now);
	st->ops->bind_int(s, 5, limit > 0 ? limit : INT64_MAX);
	if ((rc = sw__store_run_done(st, s, eb)) || st->ops->changes(st->db) == 0 ||
	    (rc = sw__store_q(st, taken, &s, eb)))
		goto out;
	st->ops->bind_text(s, 1, node);
	st->ops->bind_int(s, 2, lease_until);
	st->ops->bind_int(s, 3, now);
	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		d.site_id = st->ops->col_int(s, 0);
		d.vantage = st->ops->col_text(s, 1);
		d.url = st->ops->col_text(s, 2);
		d.group_id = st->ops->col_int(s, 3);
		if (cb(arg, &d))
			break;
	}
	sw__store_q_done(st, s);
out:
	if (rc) {
		sw_store_rollback(st);
		return rc;
	}
	return sw_store_commit(st, eb);
}

enum sw_err sw_store_vantage_record(struct sw_store *st, const struct sw_vantage_seen *v,
				    int64_t next_due, struct sw_errbuf *eb)
{
	static const char sql[] =
		"UPDATE vantage_schedule SET next_due = ?3, lease_node = NULL, lease_until = NULL, "
		"checked_at = ?4, node = ?5, ips = ?6, body_hash = ?7 WHERE site_id = ?1 AND "
		"vantage = ?2";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, v->site_id);
	st->ops->bind_text(s, 2, v->vantage);
	st->ops->bind_int(s, 3, next_due);
	st->ops->bind_int(s, 4, v->checked_at);
	st->ops->bind_text(s, 5, v->node);
	st->ops->bind_text(s, 6, v->ips);
	st->ops->bind_text(s, 7, v->body_hash);
	return sw__store_run_done(st, s, eb);
}

enum sw_err sw_store_vantage_any(struct sw_store *st, int *any, struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT 1 FROM vantage_schedule LIMIT 1";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*any = 0;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	rc = st->ops->step(s, &row, eb);
	*any = !rc && row;
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_vantage_walk(struct sw_store *st, int64_t site_id, int64_t since,
				  int (*cb)(void *arg, const struct sw_vantage_seen *v),
				  void *arg, struct sw_errbuf *eb)
{
	/* Rows never checked have checked_at NULL: listed only when since is
	 * the smallest value (sync wants every row). */
	static const char sql[] =
		"SELECT site_id, vantage, node, checked_at, ips, body_hash FROM vantage_schedule "
		"WHERE site_id = ?1 AND (checked_at >= ?2 OR (checked_at IS NULL AND ?3 = 1)) "
		"ORDER BY vantage";
	struct sw_vantage_seen v;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, since);
	st->ops->bind_int(s, 3, since == INT64_MIN);
	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		v.site_id = st->ops->col_int(s, 0);
		v.vantage = st->ops->col_text(s, 1);
		v.node = st->ops->col_text(s, 2);
		v.checked_at = st->ops->col_int(s, 3);
		v.ips = st->ops->col_text(s, 4);
		v.body_hash = st->ops->col_text(s, 5);
		if (cb(arg, &v))
			break;
	}
	sw__store_q_done(st, s);
	return rc;
}
