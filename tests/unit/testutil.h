/*
 * testutil.h - helpers shared by the unit tests: a fresh store per test.
 *
 * SW_TEST_STORE_URL, when set, names the database the store tests run on
 * (a postgresql:// address prepared by the test harness,
 * tests/integration/pg_store.sh); each call then makes a new schema in that
 * database and opens the store on it.  Otherwise each call makes a new
 * SQLite file under $TMPDIR.
 */
#ifndef SW_TESTUTIL_H
#define SW_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/validate.h"
#include "store/store.h"

#ifdef SW_HAVE_PG
#include <libpq-fe.h>

/*
 * Creates an empty schema in the PostgreSQL database `url` and writes into
 * out the address of the same database with that schema first on the
 * search path, so the store's tables land in it.  A schema is much
 * cheaper than a database per test; the harness drops the whole cluster.
 * The SQL is test set-up, not store logic, hence libpq directly.
 */
static inline void sw_test_pg_schema(const char *url, char *out, size_t n)
{
	static unsigned seq;
	char schema[64], sql[128];
	PGconn *c = PQconnectdb(url);
	PGresult *r;

	snprintf(schema, sizeof schema, "sw_test_%ld_%u", (long)getpid(), ++seq);
	snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
	r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "cannot create schema in %s: %s", url, PQerrorMessage(c));
		abort();
	}
	PQclear(r);
	PQfinish(c);
	snprintf(out, n, "%s%soptions=-csearch_path%%3D%s", url, strchr(url, '?') ? "&" : "?",
		 schema);
}
#endif

/* Opens a fresh, empty store; fails the test when it cannot.  SQLite files
 * stay in $TMPDIR (the build tree's tmp/) for a look after a failure. */
static inline struct sw_store *sw_test_store(void)
{
	const char *url = getenv("SW_TEST_STORE_URL");
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	struct sw_store *st = NULL;
	struct sw_errbuf eb;
	int fd;

	sw_errbuf_clear(&eb);
	if (url && *url) {
#ifdef SW_HAVE_PG
		if (!strncmp(url, "postgres", 8)) {
			sw_test_pg_schema(url, path, sizeof path);
			url = path;
		}
#endif
		if (sw_store_open(url, &st, &eb)) {
			fprintf(stderr, "cannot open %s: %s\n", url, eb.msg);
			abort();
		}
		return st;
	}
	snprintf(path, sizeof path, "%s/sw-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if ((fd = mkstemp(path)) < 0) {
		perror("mkstemp");
		abort();
	}
	close(fd);
	unlink(path); /* mkstemp made an empty file; SQLite creates its own */
	if (sw_store_open(path, &st, &eb)) {
		fprintf(stderr, "cannot open %s: %s\n", path, eb.msg);
		abort();
	}
	return st;
}

/* cmocka setup/teardown pair: a fresh store in *state, closed after. */
static inline int sw_test_setup(void **state)
{
	*state = sw_test_store();
	return 0;
}

static inline int sw_test_teardown(void **state)
{
	sw_store_close(*state);
	return 0;
}

/* Writes into out the credit code made of the 17 characters c17 and their
 * check character; aborts when c17 holds a character the code never uses. */
static inline void sw_test_credit(char out[19], const char *c17)
{
	memcpy(out, c17, 17);
	out[17] = sw_credit_code_check_char(c17);
	out[18] = '\0';
	if (out[17] == '\0')
		abort();
}

#endif
