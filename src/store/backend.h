/*
 * backend.h - what a database backend provides to the store (internal).
 *
 * A backend is a const table of primitive operations: statements with
 * numbered parameters (?1, ?2 ... in the shared SQL; a backend whose
 * database spells them differently rewrites them in prepare), rows read as
 * text, integers or blobs (page snapshots), and transactions.  Everything
 * above this line (records, filters, migrations) is written once in
 * store.c/records.c.
 */
#ifndef SW_STORE_BACKEND_H
#define SW_STORE_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/err.h"
#include "store/migrate.h"
#include "store/store.h"

struct sw_stmt; /* backend-specific prepared statement */

struct sw_store_ops {
	const char *name;
	const struct sw_migration *migrations;
	const size_t *nmigrations;
	const char *begin_sql; /* how a write transaction starts */
	/* Run around schema migrations so that processes starting together on
	 * one database migrate one at a time; NULL when begin_sql already
	 * serializes writers (SQLite). */
	const char *migrate_lock_sql, *migrate_unlock_sql;
	/* Makes the current transaction check references at commit only. */
	const char *defer_refs_sql;
	/* Moves the id generator of `table` past its largest id after rows were
	 * inserted with explicit ids; NULL when ids follow the data (SQLite). */
	enum sw_err (*sync_ids)(void *db, const char *table, struct sw_errbuf *eb);
	/* Opens the database `where`; *db is the backend's handle. */
	enum sw_err (*open)(const char *where, void **db, struct sw_errbuf *eb);
	void (*close)(void *db);
	/* Runs one or more statements without parameters (migrations). */
	enum sw_err (*exec)(void *db, const char *sql, struct sw_errbuf *eb);
	enum sw_err (*prepare)(void *db, const char *sql, struct sw_stmt **out,
			       struct sw_errbuf *eb);
	void (*finalize)(struct sw_stmt *s);
	/* Clears bindings and any pending result; the statement is reusable. */
	void (*reset)(struct sw_stmt *s);
	/* v (NULL binds NULL) is borrowed: it must stay valid until the
	 * statement is reset, so callers bind, step and reset in one scope. */
	enum sw_err (*bind_text)(struct sw_stmt *s, int idx, const char *v);
	enum sw_err (*bind_int)(struct sw_stmt *s, int idx, int64_t v);
	/* Binds n bytes at v as a BLOB/BYTEA (v NULL binds NULL); borrowed
	 * like bind_text.  Separate from text because bodies hold NULs. */
	enum sw_err (*bind_blob)(struct sw_stmt *s, int idx, const void *v, size_t n);
	/*
	 * Runs the statement or advances to its next row: *row is 1 when a row
	 * is available, 0 when done.  Constraint violations map to SW_EEXIST
	 * (unique) and SW_EINUSE (foreign key) with the backend's message.
	 */
	enum sw_err (*step)(struct sw_stmt *s, int *row, struct sw_errbuf *eb);
	const char *(*col_text)(struct sw_stmt *s, int i); /* NULL for NULL */
	int64_t (*col_int)(struct sw_stmt *s, int i);
	int (*col_null)(struct sw_stmt *s, int i);
	/* Bytes of a BLOB/BYTEA column and their count in *n; NULL (and *n 0)
	 * for NULL, non-NULL for an empty value.  Valid until the next step or
	 * reset of s. */
	const void *(*col_blob)(struct sw_stmt *s, int i, size_t *n);
	/* Rows changed by the last completed INSERT/UPDATE/DELETE. */
	int64_t (*changes)(void *db);
	/* Id of the row the last INSERT created, for backends where that is
	 * cheaper than RETURNING (SQLite builds a temporary table for it);
	 * NULL: inserts use "RETURNING id". */
	int64_t (*last_id)(void *db);
};

extern const struct sw_store_ops sw_store_sqlite_ops;
extern const struct sw_store_ops sw_store_pg_ops;

/* Statement slots: one prepared statement per (entity, operation) plus the
 * store's own queries, prepared on first use and kept until close. */
enum sw_q_op { SW_Q_INSERT, SW_Q_UPDATE, SW_Q_DELETE, SW_Q_GET, SW_Q_LIST, SW_Q_COUNT,
	       SW_Q_INSERT_COPY, SW_Q__OPS };
enum sw_q_misc {
	SW_QM_DOMAINS_CLEAR, SW_QM_DOMAIN_ADD, SW_QM_DOMAIN_FIND,
	SW_QM_LINK_ADD, SW_QM_LINK_DEL, SW_QM_LINK_DEL_ALL, SW_QM_LINKS_SITE, SW_QM_LINKS_PERSON,
	SW_QM_POLICY_GET, SW_QM_POLICY_SET, SW_QM_POLICY_DEL, SW_QM_POLICY_DROP,
	SW_QM_DOMAINS_ALL, SW_QM_LINKS_ALL, SW_QM_POLICY_ALL,
	SW_QM_SP_BEGIN, SW_QM_SP_RELEASE, SW_QM_SP_ROLLBACK,
	/* monitor.c and snapshot.c */
	SW_QM_SCHED_NEW, SW_QM_SCHED_SET, SW_QM_SCHED_GET, SW_QM_SCHED_NEXT, SW_QM_DUE,
	SW_QM_CHECK_ADD, SW_QM_FINDING_ADD, SW_QM_SCHED_DONE, SW_QM_STATE_PUT, SW_QM_STATE_GET,
	SW_QM_CHECKS_SITE, SW_QM_CHECK_FINDINGS, SW_QM_PRUNE_CHECKS, SW_QM_PRUNE_SNAPS,
	SW_QM_SNAP_HAS, SW_QM_SNAP_PUT, SW_QM_SNAP_GET,
	SW_QM__COUNT
};

struct sw_store {
	const struct sw_store_ops *ops;
	void *db;
	int version;
	int tx_depth;    /* 0: none; 1: a transaction; more: nested levels */
	int tx_bulk;     /* nested levels are counters, not savepoints */
	int tx_doomed;   /* bulk: an inner level rolled back; commit refuses */
	struct sw_stmt *q[SW_ENT__COUNT][SW_Q__OPS];
	struct sw_stmt *find[SW_ENT__COUNT][SW_REC_MAX_FIELDS];
	struct sw_stmt *misc[SW_QM__COUNT];
	/* Statements of the modules that came later (alerts, users, evidence
	 * ...), keyed by the address of their static SQL text (sw__store_q):
	 * a module adds queries without a slot in the enums above. */
	struct sw_qcache { const char *sql; struct sw_stmt *s; } *qc;
	size_t qc_cap, qc_n;
	time_t now_t;    /* second that now_s shows */
	char now_s[32];
};

/* Returns the current UTC time as ISO 8601 text ("2026-11-25T13:05:00Z"),
 * valid until the next call.  Timestamps are bound from C so both dialects
 * store the same text. */
const char *sw__store_now(struct sw_store *st);

/* Size of the buffers the store builds SQL in from its tables. */
#define SW_SQL_MAX 4096

/* Appends formatted text to sql (a buffer of SW_SQL_MAX bytes).  SQL built
 * here comes from the field and filter tables, never from input, so an
 * overflow is a bug in those tables and aborts. */
void sw__sql_cat(char *sql, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Returns the cached statement for `sql` in *slot, preparing it on first
 * use.  The statement comes back reset, ready for binding. */
enum sw_err sw__store_stmt(struct sw_store *st, struct sw_stmt **slot, const char *sql,
			   struct sw_errbuf *eb);

/*
 * Returns in *out the statement for `sql`, a string with static storage
 * (a literal or a static const array: its address is the key), prepared on
 * first use and kept until the store closes.  It comes back reset, ready
 * for binding; the caller steps it and resets it (sw__store_q_done) in one
 * scope.  The same text at another address is another statement.
 */
enum sw_err sw__store_q(struct sw_store *st, const char *sql, struct sw_stmt **out,
			struct sw_errbuf *eb);

/* Resets a statement from sw__store_q (its borrowed bindings are let go). */
void sw__store_q_done(struct sw_store *st, struct sw_stmt *s);

/* Steps bound statement s to its end (a write, or rows nobody reads). */
enum sw_err sw__store_run(struct sw_store *st, struct sw_stmt *s, struct sw_errbuf *eb);

/* sw__store_run, then resets s (its borrowed bindings are let go). */
enum sw_err sw__store_run_done(struct sw_store *st, struct sw_stmt *s, struct sw_errbuf *eb);

/* The id the last INSERT made: backends with last_id answer directly;
 * the others need the statement to have ended in "RETURNING id", whose row
 * s holds (row is step's flag). */
int64_t sw__store_inserted_id(struct sw_store *st, struct sw_stmt *s, int row);

#endif
