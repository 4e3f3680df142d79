/*
 * sqlite.c - the SQLite backend of the store: one database file in WAL mode
 * with foreign keys enforced.  The zero-set-up default.
 *
 * synchronous=NORMAL is the documented safe setting for WAL: a power cut
 * may lose the last transactions but never corrupts the file, and it makes
 * a 100,000-row import several times faster than FULL.
 */
#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/backend.h"

struct sw_stmt {
	sqlite3_stmt *s;
	sqlite3 *db;
	int done;  /* the last step returned SQLITE_DONE or an error */
	int clean; /* reset with no bindings since: a second reset is skipped */
};

/* Creates the directories leading to the file `path` (like mkdir -p of its
 * dirname).  Returns SW_EIO with the directory in eb on failure. */
static enum sw_err make_parent_dirs(const char *path, struct sw_errbuf *eb)
{
	char dir[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof dir)
		return sw_errf(eb, SW_ELIMIT, "database path too long");
	memcpy(dir, path, n + 1);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0750) != 0 && errno != EEXIST)
			return sw_errf(eb, SW_EIO, "cannot create directory %s: %s", dir,
				       strerror(errno));
		*p = '/';
	}
	return SW_OK;
}

/* Maps an SQLite result code to sw_err, copying the message into eb. */
static enum sw_err map_err(sqlite3 *db, int rc, struct sw_errbuf *eb)
{
	int ext = sqlite3_extended_errcode(db);

	if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		return sw_errf(eb, SW_EEXIST, "%s", sqlite3_errmsg(db));
	if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
		return sw_errf(eb, SW_EINUSE, "%s", sqlite3_errmsg(db));
	if (rc == SQLITE_CONSTRAINT)
		return sw_errf(eb, SW_EINVAL, "%s", sqlite3_errmsg(db));
	if (rc == SQLITE_NOMEM)
		return sw_errf(eb, SW_ENOMEM, "out of memory in SQLite");
	return sw_errf(eb, SW_ESTORE, "SQLite: %s", sqlite3_errmsg(db));
}

static enum sw_err sq_exec(void *db, const char *sql, struct sw_errbuf *eb)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc == SQLITE_OK)
		return SW_OK;
	sw_errf(eb, SW_ESTORE, "SQLite: %s", msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return SW_ESTORE;
}

static enum sw_err sq_open(const char *where, void **out, struct sw_errbuf *eb)
{
	sqlite3 *db = NULL;
	enum sw_err rc;

	if ((rc = make_parent_dirs(where, eb)))
		return rc;
	/* NOMUTEX: a store handle is used by one thread at a time (the store's
	 * contract), so SQLite's per-call mutexes are pure cost. */
	if (sqlite3_open_v2(where, &db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		sw_errf(eb, SW_ESTORE, "cannot open database %s: %s", where,
			db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return SW_ESTORE;
	}
	sqlite3_busy_timeout(db, 10000);
	sqlite3_extended_result_codes(db, 1);
	rc = sq_exec(db,
		     "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
		     "PRAGMA foreign_keys=ON; PRAGMA cache_size=-131072;"
		     "PRAGMA temp_store=MEMORY;",
		     eb);
	if (rc) {
		sw_errf_replace(eb, rc, "cannot set up database %s: %s", where, eb ? eb->msg : "");
		sqlite3_close(db);
		return rc;
	}
	*out = db;
	return SW_OK;
}

static void sq_close(void *db)
{
	sqlite3_close(db);
}

static enum sw_err sq_prepare(void *db, const char *sql, struct sw_stmt **out,
			      struct sw_errbuf *eb)
{
	struct sw_stmt *s = calloc(1, sizeof *s);

	if (!s)
		return SW_ENOMEM;
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->s, NULL) !=
	    SQLITE_OK) {
		sw_errf(eb, SW_ESTORE, "SQLite cannot prepare: %s", sqlite3_errmsg(db));
		free(s);
		return SW_ESTORE;
	}
	s->db = db;
	s->clean = 1;
	*out = s;
	return SW_OK;
}

static void sq_finalize(struct sw_stmt *s)
{
	if (s) {
		sqlite3_finalize(s->s);
		free(s);
	}
}

static void sq_reset(struct sw_stmt *s)
{
	if (s->clean)
		return;
	sqlite3_reset(s->s);
	sqlite3_clear_bindings(s->s);
	s->done = 0;
	s->clean = 1;
}

/* SQLITE_STATIC: the backend contract says bound text stays valid until the
 * statement is reset, which saves a copy of every value of a bulk import. */
static enum sw_err sq_bind_text(struct sw_stmt *s, int idx, const char *v)
{
	int rc = v ? sqlite3_bind_text(s->s, idx, v, -1, SQLITE_STATIC)
		   : sqlite3_bind_null(s->s, idx);

	s->clean = 0;
	return rc == SQLITE_OK ? SW_OK : SW_ESTORE;
}

static enum sw_err sq_bind_int(struct sw_stmt *s, int idx, int64_t v)
{
	s->clean = 0;
	return sqlite3_bind_int64(s->s, idx, v) == SQLITE_OK ? SW_OK : SW_ESTORE;
}

/* SQLITE_STATIC for the same reason as text.  An empty body is bound as an
 * empty blob, spelled out so it can never turn into NULL (the snapshot
 * column is NOT NULL). */
static enum sw_err sq_bind_blob(struct sw_stmt *s, int idx, const void *v, size_t n)
{
	int rc = !v ? sqlite3_bind_null(s->s, idx)
	     : n ? sqlite3_bind_blob64(s->s, idx, v, n, SQLITE_STATIC)
		 : sqlite3_bind_zeroblob(s->s, idx, 0);

	s->clean = 0;
	return rc == SQLITE_OK ? SW_OK : SW_ESTORE;
}

static enum sw_err sq_step(struct sw_stmt *s, int *row, struct sw_errbuf *eb)
{
	int rc;

	*row = 0;
	if (s->done)
		return SW_OK;
	s->clean = 0;
	rc = sqlite3_step(s->s);
	if (rc == SQLITE_ROW) {
		*row = 1;
		return SW_OK;
	}
	s->done = 1;
	if (rc == SQLITE_DONE)
		return SW_OK;
	/* sqlite3_reset returns the same error and lets the statement run again. */
	sqlite3_reset(s->s);
	return map_err(s->db, rc, eb);
}

static const char *sq_col_text(struct sw_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s->s, i);
}

static int64_t sq_col_int(struct sw_stmt *s, int i)
{
	return sqlite3_column_int64(s->s, i);
}

static int sq_col_null(struct sw_stmt *s, int i)
{
	return sqlite3_column_type(s->s, i) == SQLITE_NULL;
}

static const void *sq_col_blob(struct sw_stmt *s, int i, size_t *n)
{
	/* blob first, then bytes: the order SQLite documents as safe. */
	const void *v = sqlite3_column_blob(s->s, i);

	*n = (size_t)sqlite3_column_bytes(s->s, i);
	/* SQLite gives NULL for an empty blob too; the contract tells them apart. */
	if (!v && sqlite3_column_type(s->s, i) != SQLITE_NULL)
		return "";
	return v;
}

static int64_t sq_changes(void *db)
{
	return sqlite3_changes64(db);
}

static int64_t sq_last_id(void *db)
{
	return sqlite3_last_insert_rowid(db);
}

const struct sw_store_ops sw_store_sqlite_ops = {
	.name = "sqlite",
	.migrations = sw_migrations_sqlite,
	.nmigrations = &sw_migrations_sqlite_count,
	/* IMMEDIATE takes the write lock at once, so two writers queue on the
	 * busy timeout instead of failing when a read lock cannot be upgraded. */
	.begin_sql = "BEGIN IMMEDIATE",
	.defer_refs_sql = "PRAGMA defer_foreign_keys = ON", /* reset at commit */
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.reset = sq_reset,
	.bind_text = sq_bind_text,
	.bind_int = sq_bind_int,
	.bind_blob = sq_bind_blob,
	.step = sq_step,
	.col_text = sq_col_text,
	.col_int = sq_col_int,
	.col_null = sq_col_null,
	.col_blob = sq_col_blob,
	.changes = sq_changes,
	.last_id = sq_last_id,
};
