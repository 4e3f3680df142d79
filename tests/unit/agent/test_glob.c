/*
 * test_glob.c - exclusion patterns (src/agent/glob.c): .gitignore-style
 * anchoring, "**", bare names at any depth, and hostile path lengths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "agent/glob.h"

static void test_bare_names(void **state)
{
	(void)state;
	assert_true(ag_glob_match("*.log", "access.log"));
	assert_true(ag_glob_match("*.log", "a/b/error.log"));
	assert_false(ag_glob_match("*.log", "a/b/error.log.html"));
	assert_true(ag_glob_match("cache", "cache"));
	assert_true(ag_glob_match("cache", "wp-content/cache"));
	assert_false(ag_glob_match("cache", "cachex"));
}

static void test_anchored(void **state)
{
	(void)state;
	assert_true(ag_glob_match("wp-content/cache", "wp-content/cache"));
	assert_false(ag_glob_match("wp-content/cache", "x/wp-content/cache"));
	assert_true(ag_glob_match("/tmp", "tmp"));
	assert_false(ag_glob_match("/tmp", "a/tmp"));
	assert_true(ag_glob_match("logs/*.txt", "logs/a.txt"));
	assert_false(ag_glob_match("logs/*.txt", "logs/sub/a.txt"));
}

static void test_double_star(void **state)
{
	(void)state;
	assert_true(ag_glob_match("logs/**", "logs/a/b/c"));
	assert_true(ag_glob_match("logs/**", "logs"));
	assert_true(ag_glob_match("**/*.bak", "a/b/c.bak"));
	assert_true(ag_glob_match("**/*.bak", "c.bak"));
	assert_true(ag_glob_match("a/**/z", "a/z"));
	assert_true(ag_glob_match("a/**/z", "a/b/c/z"));
	assert_false(ag_glob_match("a/**/z", "a/b/c/y"));
}

static void test_edges(void **state)
{
	char deep[8192];
	char *const pats[] = {"*.log", "cache"};
	size_t n = 0;

	(void)state;
	assert_false(ag_glob_match("", "a"));
	assert_false(ag_glob_match("a", ""));
	/* A path deeper than the matcher splits is simply not matched. */
	while (n + 2 < sizeof deep) {
		deep[n++] = 'a';
		deep[n++] = '/';
	}
	deep[n - 1] = '\0';
	assert_false(ag_glob_match("a/**/b", deep));
	assert_true(ag_glob_any(pats, 2, "x/cache"));
	assert_false(ag_glob_any(pats, 2, "x/index.html"));
	assert_false(ag_glob_any(pats, 0, "x"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bare_names),
		cmocka_unit_test(test_anchored),
		cmocka_unit_test(test_double_star),
		cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
