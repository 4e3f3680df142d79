/*
 * pg.c - the PostgreSQL backend of the store (libpq): the shared database
 * that several API and probe nodes use at once.
 *
 * The store's SQL is written once for both backends, in SQLite's spelling
 * where the two differ; this file adapts it in prepare():
 *  - parameters ?1 ?2 ... become $1 $2 ... (outside literals and comments);
 *  - LIKE becomes ILIKE, because SQLite's LIKE ignores ASCII case.  The
 *    schema gives every text column the "C" collation, under which ILIKE
 *    folds ASCII only, exactly as SQLite does.
 *
 * Every statement is a named server-side prepared statement, run with
 * text parameters except blobs, which go in binary format (no escaping of
 * a 5 MiB page body); results are fetched whole (not in single-row mode) so
 * that a caller may run other statements while it walks a list, as it can
 * with SQLite.  All values come back as text, which is what the store wants;
 * a BYTEA value arrives in its text (hex) form and col_blob decodes it with
 * PQunescapeBytea: one result format for every column keeps step simple,
 * and blobs are read rarely (a snapshot for evidence or a diff).
 *
 * A store handle is one connection used by one thread at a time; processes
 * that want more parallelism open more handles.
 *
 * Pipelining (pg.h): in a transaction that asked for it, statements that
 * return no columns are sent with PQsendQueryPrepared and not waited for;
 * the next statement that returns rows (or changes(), or the end of the
 * transaction) sends a sync and reads every answer in one round trip.  A
 * batch of checks costs three round trips a check instead of eight.  The
 * first failure among the pipelined answers is kept and reported by the
 * next call that can fail.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include "store/backend.h"
#include "store/pg.h"

struct pg_db {
	PGconn *c;
	int pipe;                /* pipeline wanted until the transaction ends */
	int in_pipe;             /* libpq is in pipeline mode */
	int pending;             /* commands sent whose answers are unread */
	enum sw_err pipe_rc;     /* first failure among answers read, unreported */
	struct sw_errbuf pipe_eb;
	unsigned long next_name; /* statements are named "sw<N>" */
	int64_t changes;         /* rows changed by the last INSERT/UPDATE/DELETE */
	unsigned long *garbage;  /* finalized statements not yet deallocated */
	size_t ngarbage, garbage_cap;
};

struct sw_stmt {
	struct pg_db *db;
	unsigned long name;
	int nparams;
	const char **vals;  /* borrowed text, or a slot of ints; NULL binds NULL */
	char (*ints)[24];   /* text of integers bound with bind_int */
	int *lens, *fmts;   /* per parameter: byte count and format (1: binary blob) */
	unsigned char *blob; /* last col_blob value decoded (PQfreemem) */
	PGresult *res;
	int nfields;        /* result columns; -1 unknown (then never pipelined) */
	int ran;            /* executed since the last reset */
	int next, cur;      /* next row to hand out; the row being read */
};

/* Copies the first line of libpq's message for `c` into eb as the cause of
 * rc (libpq's messages end with a newline and may carry a second line). */
static enum sw_err conn_err(PGconn *c, enum sw_err rc, const char *what, struct sw_errbuf *eb)
{
	const char *m = c ? PQerrorMessage(c) : "out of memory";

	return sw_errf(eb, rc, "PostgreSQL: %s: %.*s", what, (int)strcspn(m, "\n"), m);
}

/*
 * Maps a failed result to sw_err by SQLSTATE, as sqlite.c maps constraint
 * codes: unique violations are SW_EEXIST, foreign keys SW_EINUSE, other
 * integrity or data errors (CHECK, NOT NULL, a bad integer) SW_EINVAL,
 * and the rest (connection lost, syntax) SW_ESTORE.
 */
static enum sw_err result_err(PGconn *c, const PGresult *r, struct sw_errbuf *eb)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
	enum sw_err rc = SW_ESTORE;

	if (!state || !msg)
		return conn_err(c, SW_ESTORE, "query failed", eb);
	if (!strcmp(state, "23505"))
		rc = SW_EEXIST;
	else if (!strcmp(state, "23503"))
		rc = SW_EINUSE;
	else if (!strncmp(state, "23", 2) || !strncmp(state, "22", 2))
		rc = SW_EINVAL;
	if (detail)
		return sw_errf(eb, rc, "PostgreSQL: %s (%s)", msg, detail);
	return sw_errf(eb, rc, "PostgreSQL: %s", msg);
}

/* Remembers how many rows the command behind r changed.  Only writes
 * count, as with sqlite3_changes(): a SELECT leaves the figure alone. */
static void note_changes(struct pg_db *db, PGresult *r)
{
	const char *tag = PQcmdStatus(r);

	if (!strncmp(tag, "INSERT", 6) || !strncmp(tag, "UPDATE", 6) ||
	    !strncmp(tag, "DELETE", 6) || !strncmp(tag, "MERGE", 5))
		db->changes = strtoll(PQcmdTuples(r), NULL, 10);
}

/* Keeps the first failure of a pipelined answer for the next call. */
static void pipe_fail(struct pg_db *db, const PGresult *r)
{
	if (!db->pipe_rc) {
		sw_errbuf_clear(&db->pipe_eb);
		db->pipe_rc = result_err(db->c, r, &db->pipe_eb);
		if (!db->pipe_rc)
			db->pipe_rc = SW_ESTORE;
	}
}

/*
 * Sends a sync and reads the answers of every pending command; the last
 * command's result is handed to *keep when keep is not NULL (its statement
 * was sent last).  Leaves pipeline mode when `leave`.  Failures go to
 * db->pipe_rc.
 */
static void pipe_drain(struct pg_db *db, PGresult **keep, int leave)
{
	PGresult *r;

	if (keep)
		*keep = NULL;
	if (!db->in_pipe)
		return;
	if (db->pending && PQpipelineSync(db->c) != 1) {
		if (!db->pipe_rc)
			db->pipe_rc = conn_err(db->c, SW_ESTORE, "pipeline", &db->pipe_eb);
		db->pending = 0;
	}
	for (int i = 0; i < db->pending; i++) {
		while ((r = PQgetResult(db->c))) {
			ExecStatusType st = PQresultStatus(r);

			if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
				note_changes(db, r);
			else if (st != PGRES_PIPELINE_ABORTED)
				pipe_fail(db, r);
			else if (!db->pipe_rc)
				db->pipe_rc = sw_errf(&db->pipe_eb, SW_ESTORE, "PostgreSQL: pipeline aborted");
			if (keep && i == db->pending - 1 && !*keep)
				*keep = r;
			else
				PQclear(r);
		}
	}
	if (db->pending) {
		/* The sync's own answer. */
		while ((r = PQgetResult(db->c)) && PQresultStatus(r) != PGRES_PIPELINE_SYNC)
			PQclear(r);
		PQclear(r);
	}
	db->pending = 0;
	if (leave) {
		PQexitPipelineMode(db->c);
		db->in_pipe = 0;
	}
}

/* Returns (and clears) a failure kept from a pipelined answer, into eb. */
static enum sw_err pipe_take(struct pg_db *db, struct sw_errbuf *eb)
{
	enum sw_err rc = db->pipe_rc;

	if (rc) {
		sw_errf(eb, rc, "%s", db->pipe_eb.msg);
		db->pipe_rc = SW_OK;
	}
	return rc;
}

void sw__pg_pipeline(void *vdb)
{
	((struct pg_db *)vdb)->pipe = 1;
}

/*
 * Drops the server-side statements finalized since the last call, in one
 * round trip.  Only outside a transaction: DEALLOCATE cannot run in a
 * failed one, and a surprise failure must never abort the caller's.
 */
static void collect_garbage(struct pg_db *db)
{
	char *sql, *p;
	PGresult *r;

	if (!db->ngarbage || PQtransactionStatus(db->c) != PQTRANS_IDLE)
		return;
	if (!(sql = p = malloc(db->ngarbage * 36 + 1)))
		return;
	for (size_t i = 0; i < db->ngarbage; i++)
		p += sprintf(p, "DEALLOCATE sw%lu;", db->garbage[i]);
	r = PQexec(db->c, sql);
	PQclear(r);
	free(sql);
	db->ngarbage = 0;
}

/* Runs sql (one or more statements, no parameters) with the simple query
 * protocol: migrations, BEGIN/COMMIT/ROLLBACK. */
static enum sw_err pg_exec(void *vdb, const char *sql, struct sw_errbuf *eb)
{
	struct pg_db *db = vdb;
	PGresult *r;
	ExecStatusType st;
	enum sw_err rc = SW_OK;

	/* The end of a pipelined transaction (or anything run outside the
	 * pipeline): read what is pending first.  A pipelined failure is
	 * returned instead of running sql: a COMMIT of the failed transaction
	 * would answer as if it had worked. */
	if (db->in_pipe)
		pipe_drain(db, NULL, 1);
	db->pipe = 0;
	if ((rc = pipe_take(db, eb)))
		return rc;
	r = PQexec(db->c, sql);
	st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = result_err(db->c, r, eb);
	PQclear(r);
	collect_garbage(db);
	return rc;
}

/* Libpq prints server notices ("table exists, skipping") to stderr by
 * default; the store never prints, so they are dropped. */
static void ignore_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/*
 * Connects to the postgresql:// address `where`.  Options after the
 * address in the keyword list override it: the client encoding must be
 * UTF-8 whatever the address says; the others are defaults it may change.
 * The address itself is never echoed: it may hold a password.
 */
static enum sw_err pg_open(const char *where, void **out, struct sw_errbuf *eb)
{
	const char *const keys[] = {"application_name", "connect_timeout", "dbname",
				    "client_encoding", NULL};
	const char *const vals[] = {"sitewarden", "10", where, "UTF8", NULL};
	struct pg_db *db = calloc(1, sizeof *db);
	const char *scs;
	enum sw_err rc;

	if (!db)
		return SW_ENOMEM;
	db->c = PQconnectdbParams(keys, vals, 1);
	if (!db->c || PQstatus(db->c) != CONNECTION_OK) {
		rc = conn_err(db->c, SW_ESTORE, "cannot connect", eb);
		PQfinish(db->c);
		free(db);
		return rc;
	}
	PQsetNoticeProcessor(db->c, ignore_notice, NULL);
	/* The shared SQL writes '\' meaning one backslash (LIKE ... ESCAPE). */
	scs = PQparameterStatus(db->c, "standard_conforming_strings");
	if ((!scs || strcmp(scs, "on")) &&
	    (rc = pg_exec(db, "SET standard_conforming_strings = on", eb))) {
		PQfinish(db->c);
		free(db);
		return rc;
	}
	*out = db;
	return SW_OK;
}

static void pg_close(void *vdb)
{
	struct pg_db *db = vdb;

	if (!db)
		return;
	PQfinish(db->c); /* the session's prepared statements end with it */
	free(db->garbage);
	free(db);
}

/* True for the bytes that may continue an SQL word. */
static int word_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* True when sql[i] starts the keyword LIKE (not part of a longer word). */
static int at_like(const char *sql, size_t i)
{
	return (i == 0 || !word_char(sql[i - 1])) && strncasecmp(sql + i, "LIKE", 4) == 0 &&
	       !word_char(sql[i + 4]);
}

/*
 * Writes sql into out (at least 2 * strlen(sql) + 1 bytes) in PostgreSQL's
 * spelling, see the file comment, and sets *nparams to the highest
 * parameter number.  Quoted strings, quoted names and comments are copied
 * untouched (E'' strings with backslash escapes are not understood: the
 * store has none).  Returns -1 for a bare '?' (the store numbers them).
 */
static int rewrite(const char *sql, char *out, int *nparams)
{
	char quote = 0; /* '\'', '"', '-' (line comment), '*' (block comment) */
	size_t i = 0;

	*nparams = 0;
	while (sql[i]) {
		char ch = sql[i];

		if (quote) {
			*out++ = sql[i++];
			if ((quote == '\'' || quote == '"') && ch == quote)
				quote = 0; /* a doubled '' re-enters at once: same result */
			else if (quote == '-' && ch == '\n')
				quote = 0;
			else if (quote == '*' && ch == '*' && sql[i] == '/')
				*out++ = sql[i++], quote = 0;
			continue;
		}
		if (ch == '\'' || ch == '"') {
			quote = ch;
		} else if ((ch == '-' && sql[i + 1] == '-') || (ch == '/' && sql[i + 1] == '*')) {
			quote = ch == '-' ? '-' : '*';
			*out++ = sql[i++]; /* both opening characters */
			ch = sql[i];
		} else if (ch == '?') {
			long n = strtol(sql + i + 1, NULL, 10);

			if (sql[i + 1] < '0' || sql[i + 1] > '9' || n <= 0 || n > 65535)
				return -1;
			*nparams = (int)n > *nparams ? (int)n : *nparams;
			ch = '$';
		} else if (at_like(sql, i)) {
			*out++ = 'I';
		}
		*out++ = ch;
		i++;
	}
	*out = '\0';
	return 0;
}

/* Allocates the parameter arrays of s for n parameters. */
static enum sw_err alloc_params(struct sw_stmt *s, int n)
{
	s->nparams = n;
	if (n == 0)
		return SW_OK;
	s->vals = calloc((size_t)n, sizeof *s->vals);
	s->ints = calloc((size_t)n, sizeof *s->ints);
	s->lens = calloc((size_t)n, sizeof *s->lens);
	s->fmts = calloc((size_t)n, sizeof *s->fmts);
	return s->vals && s->ints && s->lens && s->fmts ? SW_OK : SW_ENOMEM;
}

static void pg_finalize(struct sw_stmt *s)
{
	struct pg_db *db;

	if (!s)
		return;
	db = s->db;
	PQclear(s->res);
	/* Deallocated later in a batch (collect_garbage); if the list cannot
	 * grow the statement just lives until the connection closes. */
	if (s->name && db->ngarbage == db->garbage_cap) {
		size_t cap = db->garbage_cap ? 2 * db->garbage_cap : 16;
		unsigned long *g = realloc(db->garbage, cap * sizeof *g);

		if (g)
			db->garbage = g, db->garbage_cap = cap;
	}
	if (s->name && db->ngarbage < db->garbage_cap)
		db->garbage[db->ngarbage++] = s->name;
	free(s->vals);
	free(s->ints);
	free(s->lens);
	free(s->fmts);
	PQfreemem(s->blob);
	free(s);
}

/* Prepares sql on the server under a new name.  One round trip; the
 * server infers each parameter's type from where it is used. */
static enum sw_err pg_prepare(void *vdb, const char *sql, struct sw_stmt **out,
			      struct sw_errbuf *eb)
{
	struct pg_db *db = vdb;
	struct sw_stmt *s = calloc(1, sizeof *s);
	char *pgsql = malloc(2 * strlen(sql) + 1);
	char name[32];
	enum sw_err rc = SW_ENOMEM;
	PGresult *r;
	int n;

	*out = NULL;
	if (s)
		s->db = db;
	if (!s || !pgsql)
		goto fail;
	s->nfields = -1;
	/* Preparing is not possible inside a pipeline: leave it (the next
	 * pipelined statement enters again). */
	if (db->in_pipe)
		pipe_drain(db, NULL, 1);
	if ((rc = pipe_take(db, eb)))
		goto fail;
	if (rewrite(sql, pgsql, &n)) {
		rc = sw_errf(eb, SW_ESTORE, "unnumbered parameter in SQL: %s", sql);
		goto fail;
	}
	if ((rc = alloc_params(s, n)))
		goto fail;
	collect_garbage(db);
	snprintf(name, sizeof name, "sw%lu", ++db->next_name);
	r = PQprepare(db->c, name, pgsql, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = result_err(db->c, r, eb);
		PQclear(r);
		goto fail;
	}
	PQclear(r);
	s->name = db->next_name;
	/* In a pipelined transaction, learn whether it returns columns (the
	 * ones that do not are pipelined); elsewhere that round trip is not
	 * worth it. */
	if (db->pipe) {
		r = PQdescribePrepared(db->c, name);
		if (PQresultStatus(r) == PGRES_COMMAND_OK)
			s->nfields = PQnfields(r);
		PQclear(r);
	}
	free(pgsql);
	*out = s;
	return SW_OK;
fail:
	free(pgsql);
	pg_finalize(s);
	return rc;
}

static void pg_reset(struct sw_stmt *s)
{
	PQclear(s->res);
	s->res = NULL;
	s->ran = 0;
	s->next = s->cur = 0;
	PQfreemem(s->blob);
	s->blob = NULL;
	if (s->nparams) {
		memset(s->vals, 0, (size_t)s->nparams * sizeof *s->vals);
		memset(s->fmts, 0, (size_t)s->nparams * sizeof *s->fmts);
	}
}

/* Parameters outside 1..nparams are ignored, as SQLite reports them as a
 * range error nobody checks: the shared SQL defines what is bound. */
static enum sw_err pg_bind_text(struct sw_stmt *s, int idx, const char *v)
{
	if (idx < 1 || idx > s->nparams)
		return SW_ESTORE;
	s->vals[idx - 1] = v;
	s->fmts[idx - 1] = 0;
	return SW_OK;
}

static enum sw_err pg_bind_int(struct sw_stmt *s, int idx, int64_t v)
{
	if (idx < 1 || idx > s->nparams)
		return SW_ESTORE;
	snprintf(s->ints[idx - 1], sizeof s->ints[idx - 1], "%lld", (long long)v);
	s->vals[idx - 1] = s->ints[idx - 1];
	s->fmts[idx - 1] = 0;
	return SW_OK;
}

/* Binary format: the server takes the bytes as they are for a BYTEA
 * parameter.  An empty blob needs a non-NULL pointer (NULL is SQL NULL). */
static enum sw_err pg_bind_blob(struct sw_stmt *s, int idx, const void *v, size_t n)
{
	if (idx < 1 || idx > s->nparams || n > INT_MAX)
		return SW_ESTORE;
	s->vals[idx - 1] = v ? (n ? v : "") : NULL;
	s->lens[idx - 1] = (int)n;
	s->fmts[idx - 1] = v ? 1 : 0;
	return SW_OK;
}

/*
 * Runs s in the pipeline: a statement without columns is only sent
 * (*sent 1); one with columns is sent, then everything pending is read
 * with its result kept in s->res.
 */
static enum sw_err pipe_step(struct sw_stmt *s, const char *name, int *sent,
			     struct sw_errbuf *eb)
{
	struct pg_db *db = s->db;

	*sent = 0;
	if (!db->in_pipe) {
		if (PQenterPipelineMode(db->c) != 1)
			return conn_err(db->c, SW_ESTORE, "pipeline", eb);
		db->in_pipe = 1;
	}
	if (PQsendQueryPrepared(db->c, name, s->nparams, s->vals, s->lens, s->fmts, 0) != 1)
		return conn_err(db->c, SW_ESTORE, "query failed", eb);
	db->pending++;
	if (s->nfields == 0) {
		*sent = 1;
		return SW_OK;
	}
	pipe_drain(db, &s->res, 0);
	return pipe_take(db, eb);
}

/* Runs the statement on the first step (its whole result arrives at once)
 * and hands out one row per step. */
static enum sw_err pg_step(struct sw_stmt *s, int *row, struct sw_errbuf *eb)
{
	char name[32];
	ExecStatusType st;
	enum sw_err rc;

	*row = 0;
	if ((rc = pipe_take(s->db, eb)))
		return rc;
	if (!s->ran) {
		int sent = 0;

		s->ran = 1;
		snprintf(name, sizeof name, "sw%lu", s->name);
		if (s->db->pipe && s->nfields >= 0) {
			if ((rc = pipe_step(s, name, &sent, eb)) || sent) {
				PQclear(s->res);
				s->res = NULL;
				return rc;
			}
		} else {
			if (s->db->in_pipe)
				pipe_drain(s->db, NULL, 1);
			if ((rc = pipe_take(s->db, eb)))
				return rc;
			s->res = PQexecPrepared(s->db->c, name, s->nparams, s->vals, s->lens,
					      s->fmts, 0);
		}
		st = PQresultStatus(s->res);
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
			rc = result_err(s->db->c, s->res, eb);
			PQclear(s->res);
			s->res = NULL;
			return rc;
		}
		note_changes(s->db, s->res);
	}
	PQfreemem(s->blob);
	s->blob = NULL;
	if (s->res && s->next < PQntuples(s->res)) {
		s->cur = s->next++;
		*row = 1;
	}
	return SW_OK;
}

static const char *pg_col_text(struct sw_stmt *s, int i)
{
	if (!s->res || PQgetisnull(s->res, s->cur, i))
		return NULL;
	return PQgetvalue(s->res, s->cur, i);
}

static int64_t pg_col_int(struct sw_stmt *s, int i)
{
	const char *v = pg_col_text(s, i);

	return v ? strtoll(v, NULL, 10) : 0;
}

static int pg_col_null(struct sw_stmt *s, int i)
{
	return !s->res || PQgetisnull(s->res, s->cur, i);
}

/* Decodes the text form of a BYTEA value; the bytes live in s->blob until
 * the next step, reset or col_blob call. */
static const void *pg_col_blob(struct sw_stmt *s, int i, size_t *n)
{
	const char *v = pg_col_text(s, i);

	*n = 0;
	PQfreemem(s->blob);
	s->blob = NULL;
	if (!v)
		return NULL;
	if (!(s->blob = PQunescapeBytea((const unsigned char *)v, n)))
		return NULL;
	return s->blob;
}

/* Pipelined writes are read first, so the count is the last one's. */
static int64_t pg_changes(void *vdb)
{
	struct pg_db *db = vdb;

	if (db->in_pipe && db->pending)
		pipe_drain(db, NULL, 0);
	return db->changes;
}

/* Sets the sequence behind table.id past the largest id in the table, so
 * that rows copied with their ids are not handed out again.  table comes
 * from the entity tables, never from input. */
static enum sw_err pg_sync_ids(void *db, const char *table, struct sw_errbuf *eb)
{
	char sql[256];

	snprintf(sql, sizeof sql,
		 "SELECT setval(pg_get_serial_sequence('%s', 'id'), COALESCE(MAX(id), 0) + 1, "
		 "false) FROM %s",
		 table, table);
	return pg_exec(db, sql, eb);
}

const struct sw_store_ops sw_store_pg_ops = {
	.name = "postgresql",
	.migrations = sw_migrations_pg,
	.nmigrations = &sw_migrations_pg_count,
	/* READ COMMITTED: every statement of the store is one that stays
	 * correct under it (conflicts are resolved by ON CONFLICT and keys). */
	.begin_sql = "BEGIN",
	/* Several nodes may start together on a new database; the lock makes
	 * one of them migrate while the others wait and then find it done. */
	.migrate_lock_sql = "SELECT pg_advisory_lock(7386519)",
	.migrate_unlock_sql = "SELECT pg_advisory_unlock(7386519)",
	/* The schema declares every reference DEFERRABLE for this. */
	.defer_refs_sql = "SET CONSTRAINTS ALL DEFERRED",
	.sync_ids = pg_sync_ids,
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.bind_text = pg_bind_text,
	.bind_int = pg_bind_int,
	.bind_blob = pg_bind_blob,
	.step = pg_step,
	.col_text = pg_col_text,
	.col_int = pg_col_int,
	.col_null = pg_col_null,
	.col_blob = pg_col_blob,
	.changes = pg_changes,
	.last_id = NULL, /* inserts say RETURNING id */
};
