/*
 * monitor.c - the store's side of outside monitoring: each site's
 * schedule, the checks and their findings, the per-site state the
 * dashboard reads, and retention.
 *
 * A sweep writes one check per site every few minutes, so the rows are
 * compact (codes, milliseconds, unix seconds) and a check is written with
 * its findings, state and next due time in one transaction: a probe
 * stopped mid-sweep leaves either the whole check or nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "store/lease.h"
#include "store/overview.h"

/* The statuses the scheduler watches; the others (planned, suspended,
 * closed) are not fetched. */
#define ACTIVE "s.status IN ('online', 'pre-launch')"

#define CHECK_COLS                                                                           \
	"site_id, checked_at, status, err, total_ms, dns_ms, connect_ms, tls_ms, first_byte_ms, " \
	"ip, http_version, body_hash, body_size, tls_not_after"

#define STATE_COLS                                                                 \
	"site_id, up, since, checked_at, last_check_id, last_status, last_err, last_ms, " \
	"open_findings"

static const char *const sql_of[SW_QM__COUNT] = {
	[SW_QM_SCHED_NEW] = "SELECT s.id, s.group_id FROM sites s WHERE " ACTIVE
			    " AND NOT EXISTS (SELECT 1 FROM site_schedule sc WHERE "
			    "sc.site_id = s.id) ORDER BY s.id",
	[SW_QM_SCHED_SET] = "INSERT INTO site_schedule (site_id, next_due) VALUES (?1, ?2) "
			    "ON CONFLICT (site_id) DO UPDATE SET next_due = excluded.next_due",
	[SW_QM_SCHED_GET] = "SELECT next_due, last_checked, fails, last_ips FROM site_schedule "
			    "WHERE site_id = ?1",
	[SW_QM_SCHED_NEXT] = "SELECT MIN(sc.next_due) FROM site_schedule sc "
			     "JOIN sites s ON s.id = sc.site_id WHERE " ACTIVE,
	[SW_QM_DUE] = "SELECT s.id, s.group_id, s.url, s.ips, sc.last_ips, sc.next_due, sc.fails, "
		      "t.up, t.since FROM site_schedule sc JOIN sites s ON s.id = sc.site_id "
		      "LEFT JOIN site_state t ON t.site_id = s.id WHERE " ACTIVE
		      " AND sc.next_due <= ?1 ORDER BY sc.next_due, s.id LIMIT ?2",
	[SW_QM_FINDING_ADD] = "INSERT INTO check_findings (check_id, kind, severity, title, "
			      "evidence, page) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[SW_QM_SCHED_DONE] =
		"INSERT INTO site_schedule (site_id, next_due, last_checked, fails, last_ips) "
		"VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (site_id) DO UPDATE SET "
		"next_due = excluded.next_due, last_checked = excluded.last_checked, "
		"fails = excluded.fails, last_ips = COALESCE(excluded.last_ips, site_schedule.last_ips), "
		"lease_node = NULL, lease_until = NULL",
	[SW_QM_STATE_PUT] = "INSERT INTO site_state (" STATE_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, "
			    "?6, ?7, ?8, ?9) ON CONFLICT (site_id) DO UPDATE SET up = excluded.up, "
			    "since = excluded.since, checked_at = excluded.checked_at, "
			    "last_check_id = excluded.last_check_id, "
			    "last_status = excluded.last_status, last_err = excluded.last_err, "
			    "last_ms = excluded.last_ms, open_findings = excluded.open_findings",
	[SW_QM_STATE_GET] = "SELECT " STATE_COLS " FROM site_state WHERE site_id = ?1",
	[SW_QM_CHECKS_SITE] = "SELECT id, " CHECK_COLS " FROM checks WHERE site_id = ?1 AND "
			      "checked_at >= ?2 ORDER BY checked_at DESC, id DESC LIMIT ?3",
	[SW_QM_CHECK_FINDINGS] = "SELECT kind, severity, title, evidence, page FROM check_findings "
				 "WHERE check_id = ?1 ORDER BY id",
	[SW_QM_PRUNE_CHECKS] = "DELETE FROM checks WHERE checked_at < ?1",
	[SW_QM_PRUNE_SNAPS] = "DELETE FROM snapshots WHERE first_seen < ?1 AND NOT EXISTS "
			      "(SELECT 1 FROM checks c WHERE c.body_hash = snapshots.hash)",
};

/* Returns in *out the ready statement of slot q (SQL from the table above,
 * or `sql` for the slots whose text depends on the backend). */
static enum sw_err stmt(struct sw_store *st, enum sw_q_misc q, const char *sql,
			struct sw_stmt **out, struct sw_errbuf *eb)
{
	enum sw_err rc = sw__store_stmt(st, &st->misc[q], sql ? sql : sql_of[q], eb);

	*out = st->misc[q];
	return rc;
}

enum sw_err sw_store_sched_unscheduled(struct sw_store *st,
				       int (*cb)(void *arg, int64_t site_id, int64_t group_id),
				       void *arg, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = stmt(st, SW_QM_SCHED_NEW, NULL, &s, eb)))
		return rc;
	while (!(rc = st->ops->step(s, &row, eb)) && row)
		if (cb(arg, st->ops->col_int(s, 0), st->ops->col_int(s, 1)))
			break;
	st->ops->reset(s);
	return rc;
}

enum sw_err sw_store_sched_set(struct sw_store *st, int64_t site_id, int64_t next_due,
			       struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = stmt(st, SW_QM_SCHED_SET, NULL, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, next_due);
	return sw__store_run_done(st, s, eb);
}

enum sw_err sw_store_sched_get(struct sw_store *st, int64_t site_id, struct sw_sched_row *out,
			       struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	memset(out, 0, sizeof *out);
	if ((rc = stmt(st, SW_QM_SCHED_GET, NULL, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	if (!(rc = st->ops->step(s, &row, eb)) && row) {
		const char *ips = st->ops->col_text(s, 3);

		out->next_due = st->ops->col_int(s, 0);
		out->last_checked = st->ops->col_int(s, 1);
		out->fails = (int)st->ops->col_int(s, 2);
		snprintf(out->last_ips, sizeof out->last_ips, "%s", ips ? ips : "");
	}
	st->ops->reset(s);
	if (!rc && !row)
		rc = sw_errf(eb, SW_ENOTFOUND, "site %lld has no schedule", (long long)site_id);
	return rc;
}

enum sw_err sw_store_sched_next(struct sw_store *st, int64_t *t, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0, null = 1;

	*t = 0;
	if ((rc = stmt(st, SW_QM_SCHED_NEXT, NULL, &s, eb)))
		return rc;
	if (!(rc = st->ops->step(s, &row, eb)) && row && !(null = st->ops->col_null(s, 0)))
		*t = st->ops->col_int(s, 0);
	st->ops->reset(s);
	if (!rc && null)
		rc = SW_ENOTFOUND; /* not an error for the caller to show: no message */
	return rc;
}

enum sw_err sw_store_due(struct sw_store *st, int64_t now, int64_t limit,
			 int (*cb)(void *arg, const struct sw_due *d), void *arg,
			 struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	struct sw_due d;
	enum sw_err rc;
	int row;

	if ((rc = stmt(st, SW_QM_DUE, NULL, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, now);
	st->ops->bind_int(s, 2, limit > 0 ? limit : INT64_MAX);
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
	st->ops->reset(s);
	return rc;
}

/* Binds text v, or NULL for an empty or missing string. */
static void bind_opt(struct sw_store *st, struct sw_stmt *s, int i, const char *v)
{
	st->ops->bind_text(s, i, v && *v ? v : NULL);
}

/* Inserts the check row made by node (may be NULL) and sets c->id. */
static enum sw_err check_insert(struct sw_store *st, const char *node, struct sw_check_row *c,
				struct sw_errbuf *eb)
{
	static const char ins[] = "INSERT INTO checks (" CHECK_COLS ", node) VALUES (?1, ?2, ?3, "
				  "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
	static const char ins_ret[] = "INSERT INTO checks (" CHECK_COLS ", node) VALUES (?1, ?2, "
				      "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) "
				      "RETURNING id";
	const int64_t v[] = {c->site_id, c->checked_at, c->status, c->err, c->total_ms,
			     c->dns_ms, c->connect_ms, c->tls_ms, c->first_byte_ms};
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = stmt(st, SW_QM_CHECK_ADD, st->ops->last_id ? ins : ins_ret, &s, eb)))
		return rc;
	for (int i = 0; i < 9; i++)
		st->ops->bind_int(s, i + 1, v[i]);
	bind_opt(st, s, 10, c->ip);
	st->ops->bind_int(s, 11, c->http_version);
	bind_opt(st, s, 12, c->body_hash);
	st->ops->bind_int(s, 13, c->body_size);
	if (c->tls_not_after)
		st->ops->bind_int(s, 14, c->tls_not_after);
	bind_opt(st, s, 15, node);
	rc = st->ops->step(s, &row, eb);
	if (!rc)
		c->id = st->ops->last_id ? st->ops->last_id(st->db) : row ? st->ops->col_int(s, 0) : 0;
	st->ops->reset(s);
	return rc;
}

/* Inserts the findings of check check_id. */
static enum sw_err findings_insert(struct sw_store *st, int64_t check_id,
				   const struct sw_check_finding *f, size_t n,
				   struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc = SW_OK;

	for (size_t i = 0; i < n && !rc; i++) {
		if ((rc = stmt(st, SW_QM_FINDING_ADD, NULL, &s, eb)))
			break;
		st->ops->bind_int(s, 1, check_id);
		st->ops->bind_text(s, 2, f[i].kind);
		st->ops->bind_text(s, 3, f[i].severity);
		st->ops->bind_text(s, 4, f[i].title);
		st->ops->bind_text(s, 5, f[i].evidence);
		bind_opt(st, s, 6, f[i].page);
		rc = sw__store_run_done(st, s, eb);
	}
	return rc;
}

/* Writes the state row of a site (insert or replace). */
static enum sw_err state_put(struct sw_store *st, const struct sw_site_state *t,
			     struct sw_errbuf *eb)
{
	const int64_t v[] = {t->site_id, t->up, t->since, t->checked_at, t->last_check_id,
			     t->last_status, t->last_err, t->last_ms, t->open_findings};
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = stmt(st, SW_QM_STATE_PUT, NULL, &s, eb)))
		return rc;
	for (int i = 0; i < 9; i++)
		st->ops->bind_int(s, i + 1, v[i]);
	return sw__store_run_done(st, s, eb);
}

/* Writes the schedule row after a check. */
static enum sw_err sched_done(struct sw_store *st, int64_t site_id, int64_t next_due,
			      int64_t checked_at, int fails, const char *last_ips,
			      struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = stmt(st, SW_QM_SCHED_DONE, NULL, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, next_due);
	st->ops->bind_int(s, 3, checked_at);
	st->ops->bind_int(s, 4, fails);
	bind_opt(st, s, 5, last_ips);
	return sw__store_run_done(st, s, eb);
}

enum sw_err sw_store_check_record(struct sw_store *st, struct sw_check_row *c,
				  const struct sw_check_finding *f, size_t n,
				  struct sw_site_state *state, int64_t next_due, int fails,
				  const char *last_ips, struct sw_errbuf *eb)
{
	return sw_store_check_record_by(st, NULL, c, f, n, state, next_due, fails, last_ips, eb);
}

/* The schedule row's write also clears the site's lease (lease.h): the
 * check it was leased for is done. */
enum sw_err sw_store_check_record_by(struct sw_store *st, const char *node,
				     struct sw_check_row *c, const struct sw_check_finding *f,
				     size_t n, struct sw_site_state *state, int64_t next_due,
				     int fails, const char *last_ips, struct sw_errbuf *eb)
{
	enum sw_err rc;

	if ((rc = sw_store_begin(st, eb)))
		return rc;
	rc = check_insert(st, node, c, eb);
	if (!rc)
		rc = findings_insert(st, c->id, f, n, eb);
	if (!rc) {
		state->site_id = c->site_id;
		state->last_check_id = c->id;
		rc = state_put(st, state, eb);
	}
	if (!rc)
		rc = sched_done(st, c->site_id, next_due, c->checked_at, fails, last_ips, eb);
	/* The overview's daily rollups (0010) grow with the check. */
	if (!rc)
		rc = sw__overview_note(st, c->site_id, c->checked_at, fails == 0, n, eb);
	if (rc) {
		sw_store_rollback(st);
		return rc;
	}
	return sw_store_commit(st, eb);
}

enum sw_err sw_store_site_state_get(struct sw_store *st, int64_t site_id,
				    struct sw_site_state *out, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	memset(out, 0, sizeof *out);
	if ((rc = stmt(st, SW_QM_STATE_GET, NULL, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	if (!(rc = st->ops->step(s, &row, eb)) && row) {
		out->site_id = st->ops->col_int(s, 0);
		out->up = (int)st->ops->col_int(s, 1);
		out->since = st->ops->col_int(s, 2);
		out->checked_at = st->ops->col_int(s, 3);
		out->last_check_id = st->ops->col_int(s, 4);
		out->last_status = (long)st->ops->col_int(s, 5);
		out->last_err = (int)st->ops->col_int(s, 6);
		out->last_ms = st->ops->col_int(s, 7);
		out->open_findings = st->ops->col_int(s, 8);
	}
	st->ops->reset(s);
	if (!rc && !row)
		rc = sw_errf(eb, SW_ENOTFOUND, "site %lld has not been checked", (long long)site_id);
	return rc;
}

/* Reads the current row of a checks SELECT (id first, then CHECK_COLS). */
static void check_read(struct sw_store *st, struct sw_stmt *s, struct sw_check_row *c)
{
	int64_t *ints[] = {&c->id, &c->site_id, &c->checked_at, NULL, NULL, &c->total_ms,
			   &c->dns_ms, &c->connect_ms, &c->tls_ms, &c->first_byte_ms};

	for (int i = 0; i < 10; i++)
		if (ints[i])
			*ints[i] = st->ops->col_int(s, i);
	c->status = (long)st->ops->col_int(s, 3);
	c->err = (int)st->ops->col_int(s, 4);
	c->ip = st->ops->col_text(s, 10);
	c->http_version = (int)st->ops->col_int(s, 11);
	c->body_hash = st->ops->col_text(s, 12);
	c->body_size = st->ops->col_int(s, 13);
	c->tls_not_after = st->ops->col_int(s, 14); /* NULL reads as 0 */
}

enum sw_err sw_store_checks_recent(struct sw_store *st, int64_t site_id, int64_t since,
				   int64_t limit,
				   int (*cb)(void *arg, const struct sw_check_row *c), void *arg,
				   struct sw_errbuf *eb)
{
	struct sw_check_row c;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = stmt(st, SW_QM_CHECKS_SITE, NULL, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, since);
	st->ops->bind_int(s, 3, limit > 0 ? limit : INT64_MAX);
	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		check_read(st, s, &c);
		if (cb(arg, &c))
			break;
	}
	st->ops->reset(s);
	return rc;
}

enum sw_err sw_store_check_findings(struct sw_store *st, int64_t check_id,
				    int (*cb)(void *arg, const struct sw_check_finding *f),
				    void *arg, struct sw_errbuf *eb)
{
	struct sw_check_finding f;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = stmt(st, SW_QM_CHECK_FINDINGS, NULL, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, check_id);
	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		f.kind = st->ops->col_text(s, 0);
		f.severity = st->ops->col_text(s, 1);
		f.title = st->ops->col_text(s, 2);
		f.evidence = st->ops->col_text(s, 3);
		f.page = st->ops->col_text(s, 4);
		if (cb(arg, &f))
			break;
	}
	st->ops->reset(s);
	return rc;
}

/* Runs delete q with cutoff and puts the rows deleted in *n (may be NULL). */
static enum sw_err prune(struct sw_store *st, enum sw_q_misc q, int64_t cutoff, int64_t *n,
			 struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = stmt(st, q, NULL, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, cutoff);
	if (!(rc = sw__store_run_done(st, s, eb)) && n)
		*n = st->ops->changes(st->db);
	return rc;
}

enum sw_err sw_store_history_prune(struct sw_store *st, int64_t cutoff, int64_t *n_checks,
				   int64_t *n_snaps, struct sw_errbuf *eb)
{
	enum sw_err rc;

	if ((rc = sw_store_begin(st, eb)))
		return rc;
	rc = prune(st, SW_QM_PRUNE_CHECKS, cutoff, n_checks, eb);
	if (!rc)
		rc = prune(st, SW_QM_PRUNE_SNAPS, cutoff, n_snaps, eb);
	if (rc) {
		sw_store_rollback(st);
		return rc;
	}
	return sw_store_commit(st, eb);
}
