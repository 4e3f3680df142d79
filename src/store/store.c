/*
 * store.c - opening a store, choosing its backend, transactions and
 * schema migrations.  Backend-independent.
 */
#include "store/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/backend.h"

/* Picks the backend for the address `where`: PostgreSQL for its URLs,
 * SQLite for anything else (a file path). */
static const struct sw_store_ops *backend_for(const char *where)
{
	if (strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0)
		return &sw_store_pg_ops;
	return &sw_store_sqlite_ops;
}

const char *sw__store_now(struct sw_store *st)
{
	time_t t = time(NULL);
	struct tm tm;

	/* Formatted once a second: bulk writes stamp thousands of rows. */
	if (t != st->now_t) {
		gmtime_r(&t, &tm);
		strftime(st->now_s, sizeof st->now_s, "%Y-%m-%dT%H:%M:%SZ", &tm);
		st->now_t = t;
	}
	return st->now_s;
}

void sw__sql_cat(char *sql, const char *fmt, ...)
{
	size_t n = strlen(sql);
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(sql + n, SW_SQL_MAX - n, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= SW_SQL_MAX - n)
		sw_fatal("SQL statement longer than %d bytes", SW_SQL_MAX);
}

enum sw_err sw__store_stmt(struct sw_store *st, struct sw_stmt **slot, const char *sql,
			   struct sw_errbuf *eb)
{
	enum sw_err rc;

	if (*slot) {
		st->ops->reset(*slot);
		return SW_OK;
	}
	rc = st->ops->prepare(st->db, sql, slot, eb);
	return rc;
}

enum sw_err sw__store_q(struct sw_store *st, const char *sql, struct sw_stmt **out,
			struct sw_errbuf *eb)
{
	size_t mask, i;
	enum sw_err rc;

	*out = NULL;
	if (st->qc_n * 2 >= st->qc_cap) {
		/* Grow (and rehash) at half full: probes stay short. */
		size_t cap = st->qc_cap ? st->qc_cap * 2 : 64;
		struct sw_qcache *nq = calloc(cap, sizeof *nq);

		if (!nq)
			return sw_errf(eb, SW_ENOMEM, "out of memory");
		for (size_t j = 0; j < st->qc_cap; j++) {
			if (!st->qc[j].sql)
				continue;
			i = ((uintptr_t)st->qc[j].sql >> 3) & (cap - 1);
			while (nq[i].sql)
				i = (i + 1) & (cap - 1);
			nq[i] = st->qc[j];
		}
		free(st->qc);
		st->qc = nq;
		st->qc_cap = cap;
	}
	mask = st->qc_cap - 1;
	for (i = ((uintptr_t)sql >> 3) & mask; st->qc[i].sql; i = (i + 1) & mask) {
		if (st->qc[i].sql == sql) {
			st->ops->reset(st->qc[i].s);
			*out = st->qc[i].s;
			return SW_OK;
		}
	}
	if ((rc = st->ops->prepare(st->db, sql, &st->qc[i].s, eb)))
		return rc;
	st->qc[i].sql = sql;
	st->qc_n++;
	*out = st->qc[i].s;
	return SW_OK;
}

void sw__store_q_done(struct sw_store *st, struct sw_stmt *s)
{
	if (s)
		st->ops->reset(s);
}

enum sw_err sw__store_run(struct sw_store *st, struct sw_stmt *s, struct sw_errbuf *eb)
{
	enum sw_err rc;
	int row;

	while (!(rc = st->ops->step(s, &row, eb)) && row)
		;
	return rc;
}

enum sw_err sw__store_run_done(struct sw_store *st, struct sw_stmt *s, struct sw_errbuf *eb)
{
	enum sw_err rc = sw__store_run(st, s, eb);

	st->ops->reset(s);
	return rc;
}

int64_t sw__store_inserted_id(struct sw_store *st, struct sw_stmt *s, int row)
{
	if (st->ops->last_id)
		return st->ops->last_id(st->db);
	return row ? st->ops->col_int(s, 0) : 0;
}

/* Reads the highest applied migration into *version (0 on a new database). */
static enum sw_err read_version(struct sw_store *st, int *version, struct sw_errbuf *eb)
{
	struct sw_stmt *s = NULL;
	enum sw_err rc;
	int row;

	rc = st->ops->prepare(st->db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
			      &s, eb);
	if (rc)
		return rc;
	rc = st->ops->step(s, &row, eb);
	*version = (!rc && row) ? (int)st->ops->col_int(s, 0) : 0;
	st->ops->finalize(s);
	return rc;
}

/* Applies migration m and records it, inside the caller's transaction. */
static enum sw_err apply_one(struct sw_store *st, const struct sw_migration *m,
			     struct sw_errbuf *eb)
{
	struct sw_stmt *s = NULL;
	enum sw_err rc;
	int row;

	if ((rc = st->ops->exec(st->db, m->sql, eb)))
		return sw_errf_replace(eb, rc, "migration %04d_%s failed: %s", m->version, m->name,
				       eb ? eb->msg : "");
	rc = st->ops->prepare(st->db,
			      "INSERT INTO schema_migrations (version, name, applied_at) "
			      "VALUES (?1, ?2, ?3)",
			      &s, eb);
	if (rc)
		return rc;
	st->ops->bind_int(s, 1, m->version);
	st->ops->bind_text(s, 2, m->name);
	st->ops->bind_text(s, 3, sw__store_now(st));
	rc = st->ops->step(s, &row, eb);
	st->ops->finalize(s);
	return rc;
}

/*
 * Brings the schema to the newest migration this program carries.  Each
 * migration runs in its own transaction, re-reading the version inside it
 * so two processes starting together apply each step once.
 */
static enum sw_err migrate_steps(struct sw_store *st, struct sw_errbuf *eb)
{
	const struct sw_migration *m = st->ops->migrations;
	size_t n = *st->ops->nmigrations;
	int newest = n ? m[n - 1].version : 0;
	enum sw_err rc;

	rc = st->ops->exec(st->db,
			   "CREATE TABLE IF NOT EXISTS schema_migrations ("
			   " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
			   " applied_at TEXT NOT NULL)",
			   eb);
	if (rc || (rc = read_version(st, &st->version, eb)))
		return rc;
	if (st->version > newest)
		return sw_errf(eb, SW_ESCHEMA,
			       "database schema version %d is newer than this program's %d",
			       st->version, newest);
	for (size_t i = 0; i < n; i++) {
		if (m[i].version <= st->version)
			continue;
		if ((rc = sw_store_begin(st, eb)))
			return rc;
		rc = read_version(st, &st->version, eb);
		if (!rc && m[i].version > st->version)
			rc = apply_one(st, &m[i], eb);
		if (rc) {
			sw_store_rollback(st);
			return rc;
		}
		if ((rc = sw_store_commit(st, eb)))
			return rc;
		st->version = m[i].version;
	}
	return SW_OK;
}

/* Runs migrate_steps under the backend's migration lock, if it has one:
 * on PostgreSQL, CREATE TABLE in two sessions at once makes one of them
 * fail instead of wait, so the version check alone is not enough. */
static enum sw_err migrate(struct sw_store *st, struct sw_errbuf *eb)
{
	enum sw_err rc;

	if (st->ops->migrate_lock_sql && (rc = st->ops->exec(st->db, st->ops->migrate_lock_sql, eb)))
		return rc;
	rc = migrate_steps(st, eb);
	if (st->ops->migrate_unlock_sql)
		st->ops->exec(st->db, st->ops->migrate_unlock_sql, NULL);
	return rc;
}

enum sw_err sw_store_open(const char *where, struct sw_store **out, struct sw_errbuf *eb)
{
	const struct sw_store_ops *ops;
	struct sw_store *st;
	enum sw_err rc;

	*out = NULL;
	if (!where || !*where)
		return sw_errf(eb, SW_EUSAGE, "no database given");
	ops = backend_for(where);
	if (!(st = calloc(1, sizeof *st)))
		return SW_ENOMEM;
	st->ops = ops;
	if ((rc = ops->open(where, &st->db, eb))) {
		free(st);
		return rc;
	}
	if ((rc = migrate(st, eb))) {
		sw_store_close(st);
		return rc;
	}
	*out = st;
	return SW_OK;
}

void sw_store_close(struct sw_store *st)
{
	if (!st)
		return;
	if (st->tx_depth > 0)
		st->ops->exec(st->db, "ROLLBACK", NULL);
	for (size_t e = 0; e < SW_ENT__COUNT; e++) {
		for (size_t o = 0; o < SW_Q__OPS; o++)
			st->ops->finalize(st->q[e][o]);
		for (size_t f = 0; f < SW_REC_MAX_FIELDS; f++)
			st->ops->finalize(st->find[e][f]);
	}
	for (size_t i = 0; i < SW_QM__COUNT; i++)
		st->ops->finalize(st->misc[i]);
	for (size_t i = 0; i < st->qc_cap; i++)
		st->ops->finalize(st->qc[i].s);
	free(st->qc);
	st->ops->close(st->db);
	free(st);
}

const char *sw_store_backend(const struct sw_store *st)
{
	return st->ops->name;
}

int sw_store_schema_version(const struct sw_store *st)
{
	return st->version;
}

/* Runs one of the savepoint statements (prepared once: an import nests a
 * savepoint per row, so parsing them each time would show). */
static enum sw_err savepoint(struct sw_store *st, enum sw_q_misc q, struct sw_errbuf *eb)
{
	static const char *const sql[] = {
		[SW_QM_SP_BEGIN] = "SAVEPOINT sw_nested",
		[SW_QM_SP_RELEASE] = "RELEASE SAVEPOINT sw_nested",
		[SW_QM_SP_ROLLBACK] = "ROLLBACK TO SAVEPOINT sw_nested",
	};
	enum sw_err rc;
	int row;

	if ((rc = sw__store_stmt(st, &st->misc[q], sql[q], eb)))
		return rc;
	rc = st->ops->step(st->misc[q], &row, eb);
	st->ops->reset(st->misc[q]);
	return rc;
}

enum sw_err sw_store_begin(struct sw_store *st, struct sw_errbuf *eb)
{
	enum sw_err rc = SW_OK;

	if (st->tx_depth == 0) {
		rc = st->ops->exec(st->db, st->ops->begin_sql, eb);
		st->tx_doomed = 0;
	} else if (!st->tx_bulk) {
		rc = savepoint(st, SW_QM_SP_BEGIN, eb);
	}
	if (!rc)
		st->tx_depth++;
	return rc;
}

enum sw_err sw_store_begin_bulk(struct sw_store *st, struct sw_errbuf *eb)
{
	enum sw_err rc;

	if (st->tx_depth != 0)
		sw_fatal("sw_store_begin_bulk inside a transaction");
	if (!(rc = sw_store_begin(st, eb)))
		st->tx_bulk = 1;
	return rc;
}

enum sw_err sw_store_commit(struct sw_store *st, struct sw_errbuf *eb)
{
	enum sw_err rc;

	if (st->tx_depth == 0)
		sw_fatal("sw_store_commit without sw_store_begin");
	if (st->tx_depth > 1) {
		/* A savepoint of the same name refers to the newest one, so nested
		 * levels need no names of their own. */
		if (!st->tx_bulk && (rc = savepoint(st, SW_QM_SP_RELEASE, eb)))
			return rc;
		st->tx_depth--;
		return SW_OK;
	}
	st->tx_depth = 0;
	st->tx_bulk = 0;
	if (st->tx_doomed) {
		st->ops->exec(st->db, "ROLLBACK", NULL);
		return sw_errf(eb, SW_ESTORE, "the transaction was rolled back by an inner failure");
	}
	if ((rc = st->ops->exec(st->db, "COMMIT", eb))) {
		st->ops->exec(st->db, "ROLLBACK", NULL);
		return rc;
	}
	return SW_OK;
}

enum sw_err sw_store_defer_refs(struct sw_store *st, struct sw_errbuf *eb)
{
	if (st->tx_depth == 0)
		sw_fatal("sw_store_defer_refs outside a transaction");
	return st->ops->defer_refs_sql ? st->ops->exec(st->db, st->ops->defer_refs_sql, eb) : SW_OK;
}

void sw_store_rollback(struct sw_store *st)
{
	if (st->tx_depth == 0)
		return;
	if (st->tx_depth > 1) {
		if (st->tx_bulk) {
			st->tx_doomed = 1;
		} else if (savepoint(st, SW_QM_SP_ROLLBACK, NULL) == SW_OK) {
			/* ROLLBACK TO keeps the savepoint open; release it too. */
			savepoint(st, SW_QM_SP_RELEASE, NULL);
		}
		st->tx_depth--;
		return;
	}
	st->tx_depth = 0;
	st->tx_bulk = 0;
	st->ops->exec(st->db, "ROLLBACK", NULL);
}
