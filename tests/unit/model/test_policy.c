/*
 * test_policy.c - unit tests for the policy field table and its validation
 * (src/model/policy.c).
 *
 * A policy value is stored in canonical form and compared as text by the
 * inheritance code, so every accepted input is checked against its exact
 * canonical form, and every canonical form must be accepted unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/policy.h"

#define ALL_CHECKS \
	"availability,tls,dns,redirect,deface,trojan,darklink,sensitive,compliance,exposure"

/* Index of field key; fails the test when missing. */
static int field(const char *key)
{
	int i = sw_policy_field(key);

	if (i < 0)
		fail_msg("no policy field %s", key);
	return i;
}

/* Asserts that in is accepted for key with canonical form want, and that
 * want itself is a fixed point. */
#define ok(key, in, want) ok_at(__LINE__, key, in, want)
static void ok_at(int line, const char *key, const char *in, const char *want)
{
	char out[SW_POLICY_VALUE_MAX], again[SW_POLICY_VALUE_MAX];
	struct sw_errbuf eb;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	rc = sw_policy_check(field(key), in, out, sizeof out, &eb);
	if (rc != SW_OK)
		fail_msg("line %d: %s '%s' rejected: %s", line, key, in, eb.msg);
	if (strcmp(out, want) != 0)
		fail_msg("line %d: %s '%s' gave '%s', want '%s'", line, key, in, out, want);
	assert_true(sw_errbuf_empty(&eb));
	assert_int_equal(sw_policy_check(field(key), out, again, sizeof again, NULL), SW_OK);
	assert_string_equal(again, out);
}

/* Asserts that in is rejected for key with rc and a message holding
 * `words` (may be NULL). */
#define bad(key, in, rc, words) bad_at(__LINE__, key, in, rc, words)
static void bad_at(int line, const char *key, const char *in, enum sw_err want,
		   const char *words)
{
	char out[SW_POLICY_VALUE_MAX];
	struct sw_errbuf eb;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	rc = sw_policy_check(field(key), in, out, sizeof out, &eb);
	if (rc != want)
		fail_msg("line %d: %s '%s' gave %s, want %s", line, key, in, sw_errname(rc),
			 sw_errname(want));
	if (words && !strstr(eb.msg, words))
		fail_msg("line %d: message '%s' lacks '%s'", line, eb.msg, words);
	/* NULL eb is allowed. */
	assert_int_equal(sw_policy_check(field(key), in, out, sizeof out, NULL), want);
}

static void test_field_table(void **state)
{
	const struct sw_policy_field *f;
	size_t n = 0;

	(void)state;
	f = sw_policy_fields(&n);
	assert_non_null(f);
	assert_true(n > 0 && n <= SW_POLICY_MAX_FIELDS);
	for (size_t i = 0; i < n; i++) {
		char out[SW_POLICY_VALUE_MAX];

		/* Keys are unique and found; defaults are canonical values. */
		assert_int_equal(sw_policy_field(f[i].key), (int)i);
		assert_non_null(f[i].zh);
		assert_non_null(f[i].help);
		assert_non_null(f[i].dflt);
		if (sw_policy_check((int)i, f[i].dflt, out, sizeof out, NULL) != SW_OK)
			fail_msg("default of %s ('%s') is rejected", f[i].key, f[i].dflt);
		assert_string_equal(out, f[i].dflt);
		if (f[i].type == SW_PT_INT)
			assert_true(f[i].imin <= f[i].imax);
		if (f[i].type == SW_PT_ENUM || f[i].type == SW_PT_LIST)
			assert_non_null(f[i].choices);
	}
}

static void test_field_lookup(void **state)
{
	(void)state;
	assert_int_equal(sw_policy_field(NULL), -1);
	assert_int_equal(sw_policy_field(""), -1);
	assert_int_equal(sw_policy_field("interv"), -1);
	assert_int_equal(sw_policy_field("intervals"), -1);
	assert_int_equal(sw_policy_field("Interval"), -1);
	assert_true(sw_policy_field("interval") >= 0);
	/* '-' and '_' are the same. */
	assert_int_equal(sw_policy_field("fail-threshold"), sw_policy_field("fail_threshold"));
	assert_int_equal(sw_policy_field("alert-routing"), field("alert_routing"));
	assert_int_equal(sw_policy_field("alert_routing_"), -1);
}

static void test_out_of_range_index(void **state)
{
	char out[SW_POLICY_VALUE_MAX];
	struct sw_errbuf eb;
	size_t n;

	(void)state;
	sw_policy_fields(&n);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_policy_check(-1, "1", out, sizeof out, &eb), SW_EINVAL);
	assert_false(sw_errbuf_empty(&eb));
	assert_int_equal(sw_policy_check((int)n, "1", out, sizeof out, NULL), SW_EINVAL);
}

static void test_int_bounds(void **state)
{
	(void)state;
	ok("interval", "30", "30");
	ok("interval", "86400", "86400");
	ok("interval", "0300", "300");
	ok("crawl_depth", "0", "0");
	ok("timeout", "120", "120");
	bad("interval", "29", SW_EINVAL, "30 to 86400");
	bad("interval", "86401", SW_EINVAL, "interval");
	bad("interval", "-300", SW_EINVAL, NULL);
	bad("interval", "", SW_EINVAL, NULL);
	bad("interval", "abc", SW_EINVAL, NULL);
	bad("interval", "300s", SW_EINVAL, NULL);
	bad("interval", "3.5", SW_EINVAL, NULL);
	bad("interval", "99999999999999999999999999", SW_EINVAL, NULL); /* overflow */
	bad("crawl_depth", "11", SW_EINVAL, "0 to 10");
	bad("timeout", "0", SW_EINVAL, "1 to 120");
}

static void test_list_canonical(void **state)
{
	(void)state;
	ok("checks", "all", ALL_CHECKS);
	ok("checks", "tls", "tls");
	/* Table order, duplicates dropped, any of , ; and space. */
	ok("checks", "deface,tls,availability", "availability,tls,deface");
	ok("checks", "tls,tls", "tls");
	ok("checks", "dns; tls  deface,,", "tls,dns,deface");
	ok("checks", "exposure,availability,tls,dns,redirect,deface,trojan,darklink,sensitive,"
		     "compliance", ALL_CHECKS);
	ok("alert_routing", "group,responsible", "responsible,group");
	ok("alert_routing", "all", "responsible,department,group,supervisor");
	bad("checks", "tls,bogus", SW_EINVAL, "bogus");
	bad("checks", "availabilityx", SW_EINVAL, "availabilityx");
	bad("checks", "avail", SW_EINVAL, "avail");     /* no prefix matching */
	bad("checks", "TLS", SW_EINVAL, "TLS");         /* items are lower case */
	bad("checks", "all,tls", SW_EINVAL, "all");     /* "all" only alone */
	bad("alert_routing", "tls", SW_EINVAL, "tls");  /* another field's items */
}

static void test_list_output_too_small(void **state)
{
	char out[16];
	struct sw_errbuf eb;

	(void)state;
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_policy_check(field("checks"), "all", out, sizeof out, &eb), SW_ELIMIT);
	assert_non_null(strstr(eb.msg, "too long"));
	assert_int_equal(sw_policy_check(field("checks"), "tls,dns", out, sizeof out, NULL), SW_OK);
	assert_string_equal(out, "tls,dns");
}

static void test_words(void **state)
{
	char big[SW_POLICY_VALUE_MAX + 100];

	(void)state;
	ok("keywords", "default", "default");
	ok("keywords", "Default, GOV;extra-2", "default,gov,extra-2");
	ok("keywords", ",,a,,b,,", "a,b");
	ok("keywords", "my_list", "my_list");
	bad("keywords", "", SW_EINVAL, "empty");
	bad("keywords", ",,; ", SW_EINVAL, "empty");
	bad("keywords", "政府", SW_EINVAL, "a-z");
	bad("keywords", "a.b", SW_EINVAL, NULL);
	bad("keywords", "a\tb", SW_EINVAL, NULL);
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	bad("keywords", big, SW_ELIMIT, "too long");
}

static void test_enum(void **state)
{
	(void)state;
	ok("protection", "off", "off");
	ok("protection", "monitor", "monitor");
	ok("protection", "restore", "restore");
	ok("protection", "serve-guard", "serve-guard");
	bad("protection", "", SW_EINVAL, NULL);
	bad("protection", "bogus", SW_EINVAL, "bogus");
	bad("protection", "restor", SW_EINVAL, NULL);
	bad("protection", "restore,off", SW_EINVAL, NULL);
}

static void test_defaults(void **state)
{
	const struct sw_policy_field *f;
	struct sw_policy p;
	size_t n;

	(void)state;
	f = sw_policy_fields(&n);
	memset(&p, 0x5a, sizeof p);
	sw_policy_defaults(&p);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(p.v[i], f[i].dflt);
		assert_int_equal(p.from[i], -1);
	}
	assert_int_equal(sw_policy_int(&p, "interval"), 300);
	assert_int_equal(sw_policy_int(&p, "fail-threshold"), 3);
	assert_true(sw_policy_has(&p, "checks", "availability"));
	assert_false(sw_policy_has(&p, "checks", "exposure")); /* opt-in */
	assert_true(sw_policy_has(&p, "checks", "tls"));
	assert_false(sw_policy_has(&p, "checks", "tl"));        /* whole items only */
	assert_false(sw_policy_has(&p, "checks", "tls,dns"));
	assert_false(sw_policy_has(&p, "checks", ""));
	assert_true(sw_policy_has(&p, "alert_routing", "department"));
	assert_false(sw_policy_has(&p, "alert_routing", "group"));
	assert_false(sw_policy_has(&p, "no_such_field", "tls"));
	assert_true(sw_policy_has(&p, "protection", "restore"));
}

static void test_overlay(void **state)
{
	struct sw_policy p, before;

	(void)state;
	sw_policy_defaults(&p);
	before = p;
	/* Unknown keys and invalid values: SW_EINVAL and nothing changes. */
	assert_int_equal(sw_policy_overlay(&p, SW_SCOPE_GLOBAL, "no_such_key", "1"), SW_EINVAL);
	assert_int_equal(sw_policy_overlay(&p, SW_SCOPE_GROUP, "", "1"), SW_EINVAL);
	assert_int_equal(sw_policy_overlay(&p, SW_SCOPE_SITE, "interval", "5"), SW_EINVAL);
	assert_int_equal(sw_policy_overlay(&p, SW_SCOPE_SITE, "checks", "tls,nope"), SW_EINVAL);
	assert_int_equal(sw_policy_overlay(&p, SW_SCOPE_SITE, "protection", "on"), SW_EINVAL);
	assert_memory_equal(&p, &before, sizeof p);

	assert_int_equal(sw_policy_overlay(&p, SW_SCOPE_GROUP, "interval", "600"), SW_OK);
	assert_int_equal(sw_policy_int(&p, "interval"), 600);
	assert_int_equal(p.from[field("interval")], SW_SCOPE_GROUP);
	assert_int_equal(sw_policy_overlay(&p, SW_SCOPE_SITE, "interval", "0060"), SW_OK);
	assert_string_equal(p.v[field("interval")], "60"); /* canonical */
	assert_int_equal(p.from[field("interval")], SW_SCOPE_SITE);
	assert_int_equal(sw_policy_overlay(&p, SW_SCOPE_SITE, "checks", "tls tls;dns"), SW_OK);
	assert_string_equal(p.v[field("checks")], "tls,dns");
	assert_true(sw_policy_has(&p, "checks", "dns"));
	assert_false(sw_policy_has(&p, "checks", "availability"));
	assert_int_equal(sw_policy_overlay(&p, SW_SCOPE_GLOBAL, "fail-threshold", "5"), SW_OK);
	assert_int_equal(sw_policy_int(&p, "fail_threshold"), 5);
	assert_int_equal(p.from[field("fail_threshold")], SW_SCOPE_GLOBAL);
	/* Untouched fields keep their defaults. */
	assert_string_equal(p.v[field("protection")], "restore");
	assert_int_equal(p.from[field("protection")], -1);
}

/* sw_policy_int on a field that is not an integer is a programming error:
 * it aborts (checked in a child process). */
static void test_int_of_list_aborts(void **state)
{
	struct sw_policy p;
	pid_t pid;
	int status = 0;

	(void)state;
	sw_policy_defaults(&p);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stderr))
			_exit(2);
		sw_policy_int(&p, "checks");
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_table),
		cmocka_unit_test(test_field_lookup),
		cmocka_unit_test(test_out_of_range_index),
		cmocka_unit_test(test_int_bounds),
		cmocka_unit_test(test_list_canonical),
		cmocka_unit_test(test_list_output_too_small),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_enum),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_overlay),
		cmocka_unit_test(test_int_of_list_aborts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
