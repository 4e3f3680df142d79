/*
 * test_exposure_paths.c - the exposure probe's judgement: real leaked
 * files are findings; soft-404 pages, home pages served for every path,
 * error statuses and look-alike text are not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "probe/exposure_paths.h"

/* The table entry for path. */
static const struct sw_exposure_path *entry(const char *path)
{
	size_t n;
	const struct sw_exposure_path *t = sw_exposure_paths(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].path, path) == 0)
			return &t[i];
	fail_msg("no path %s", path);
	return NULL;
}

/* Is body (len bytes), answered with status for path, an exposure? */
static int exposed(const char *path, long status, const char *body, size_t len)
{
	struct sw_exposure_resp r = {status, body, len};

	return sw_exposure_exposed(entry(path), &r, NULL);
}

#define EXPOSED(path, body) exposed(path, 200, body, sizeof body - 1)

static const char soft404[] =
	"<!DOCTYPE html><html><head><title>页面不存在</title></head><body><div>抱歉，您访问的页面不存在"
	"</div></body></html>";

static void test_real_files(void **state)
{
	(void)state;
	assert_true(EXPOSED("/.git/HEAD", "ref: refs/heads/master\n"));
	assert_true(EXPOSED("/.git/HEAD", "3f786850e387550fdab836ed7e6dc881de23001b\n"));
	assert_true(EXPOSED("/.git/config", "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n"));
	assert_true(EXPOSED("/.svn/entries", "12\n"));
	assert_true(EXPOSED("/.svn/wc.db", "SQLite format 3\0\x10\0\x01\x01"));
	assert_true(EXPOSED("/.env", "APP_NAME=portal\nDB_HOST=10.0.0.5\nDB_PASSWORD=secret\n"));
	assert_true(EXPOSED("/WEB-INF/web.xml", "<?xml version=\"1.0\"?><web-app version=\"3.0\">"));
	assert_true(EXPOSED("/www.zip", "PK\x03\x04\x14\0\0\0\x08\0"));
	assert_true(EXPOSED("/www.rar", "Rar!\x1a\x07\0"));
	assert_true(EXPOSED("/backup.tar.gz", "\x1f\x8b\x08\0\0\0\0\0"));
	assert_true(EXPOSED("/backup.sql", "-- MySQL dump 10.13\n\nCREATE TABLE `user` (\n"));
	assert_true(EXPOSED("/phpinfo.php",
			    "<html><head><title>PHP 7.4.3 - phpinfo()</title></head><body>PHP Version"));
	/* A 206 partial answer to a range request is the file too. */
	assert_true(exposed("/www.zip", 206, "PK\x03\x04", 4));
}

static void test_soft_404_and_lookalikes(void **state)
{
	size_t n;
	const struct sw_exposure_path *t = sw_exposure_paths(&n);
	struct sw_exposure_resp home = {200, soft404, sizeof soft404 - 1};

	(void)state;
	/* A friendly 404 page with status 200 is nothing, for every path. */
	for (size_t i = 0; i < n; i++)
		assert_false(sw_exposure_exposed(&t[i], &home, NULL));
	/* Error statuses and empty bodies prove nothing. */
	assert_false(exposed("/.git/HEAD", 404, "ref: refs/heads/master\n", 23));
	assert_false(exposed("/.git/HEAD", 403, "ref: refs/heads/master\n", 23));
	assert_false(exposed("/www.zip", 200, "", 0));
	assert_false(exposed("/www.zip", 0, NULL, 0));
	/* Look-alikes. */
	assert_false(EXPOSED("/.git/HEAD", "3f786850e387550fdab836ed7e6dc881de23001"));
	assert_false(EXPOSED("/.env", "<html><body>APP=1\nB=2\n</body></html>"));
	assert_false(EXPOSED("/.env", "only one line: A=1\n"));
	assert_false(EXPOSED("/.svn/entries", "<html>404</html>"));
	assert_false(EXPOSED("/backup.sql", "<html><body>教程：CREATE TABLE 语句</body></html>"));
	assert_false(EXPOSED("/test.php", "<html><body>测试页面</body></html>"));
	/* A body equal to the answer for a path that cannot exist. */
	{
		static const char same[] = "ref: refs/heads/master\n";
		struct sw_exposure_resp r = {200, same, sizeof same - 1}, s404 = r;

		assert_false(sw_exposure_exposed(entry("/.git/HEAD"), &r, &s404));
	}
}

static void test_judge_findings(void **state)
{
	size_t n;
	const struct sw_exposure_path *t = sw_exposure_paths(&n);
	struct sw_exposure_resp *resp = calloc(n, sizeof *resp);
	struct sw_findings f;
	struct sw_exposure_resp s404 = {200, soft404, sizeof soft404 - 1};

	(void)state;
	assert_non_null(resp);
	for (size_t i = 0; i < n; i++)
		resp[i] = s404;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(t[i].path, "/.git/HEAD") == 0)
			resp[i] = (struct sw_exposure_resp){200, "ref: refs/heads/main\n", 21};
		if (strcmp(t[i].path, "/www.zip") == 0)
			resp[i] = (struct sw_exposure_resp){200, "PK\x03\x04\x14\0\x01\x1f", 8};
	}
	sw_findings_init(&f);
	assert_int_equal(sw_exposure_judge("http://www.example.gov.cn", resp, n, &s404, &f), SW_OK);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.v[0].kind->key, "exposure.vcs");
	assert_non_null(strstr(f.v[0].title, "http://www.example.gov.cn/.git/HEAD"));
	assert_string_equal(f.v[1].kind->key, "exposure.backup");
	assert_non_null(strstr(f.v[1].evidence, "PK\\\\x03\\\\x04"));
	assert_non_null(strstr(f.v[1].evidence, "\"status\":200"));
	sw_findings_cleanup(&f);
	/* n larger than the table is cut to it; n 0 judges nothing. */
	sw_findings_init(&f);
	assert_int_equal(sw_exposure_judge(NULL, resp, 0, NULL, &f), SW_OK);
	assert_int_equal(f.n, 0);
	sw_findings_cleanup(&f);
	free(resp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_files),
		cmocka_unit_test(test_soft_404_and_lookalikes),
		cmocka_unit_test(test_judge_findings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
