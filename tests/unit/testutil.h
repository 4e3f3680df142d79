/*
 * testutil.h - helpers shared by the unit tests: a fresh store per test.
 *
 * SW_TEST_STORE_URL, when set, names the database the store tests run on
 * (a postgresql:// address prepared by the test harness); otherwise each
 * call makes a new SQLite file under $TMPDIR.
 */
#ifndef SW_TESTUTIL_H
#define SW_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

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

#endif
