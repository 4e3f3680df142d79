/*
 * test_sched.c - due times and the flapping rule of the scheduler.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "probe/sched.h"

/* New sites spread over the first interval: 10,000 consecutive ids fall
 * into ten equal buckets within 15% of an even share each; without
 * spreading they are due at once. */
static void test_first_due_spreads(void **state)
{
	int buckets[10] = {0};

	(void)state;
	for (int64_t id = 1; id <= 10000; id++) {
		int64_t t = sw_sched_first_due(id, 1000000, 300, 1);

		assert_true(t >= 1000000 && t < 1000300);
		buckets[(t - 1000000) / 30]++;
	}
	for (int i = 0; i < 10; i++)
		assert_in_range(buckets[i], 850, 1150);
	assert_int_equal(sw_sched_first_due(7, 500, 300, 0), 500);
	assert_int_equal(sw_sched_first_due(7, 500, 1, 1), 500);
	/* Deterministic: a restart computes the same phase. */
	assert_int_equal(sw_sched_first_due(42, 0, 300, 1), sw_sched_first_due(42, 0, 300, 1));
}

/* Next due is interval ± interval/10, deterministic, always in the future,
 * and the jitter is not the same for every site. */
static void test_next_due_jitter(void **state)
{
	int64_t lo = INT64_MAX, hi = 0;
	int same = 0;

	(void)state;
	for (int64_t id = 1; id <= 2000; id++) {
		int64_t t = sw_sched_next_due(id, 10000, 300);

		assert_in_range(t, 10000 + 270, 10000 + 330);
		assert_int_equal(t, sw_sched_next_due(id, 10000, 300));
		lo = t < lo ? t : lo;
		hi = t > hi ? t : hi;
		same += t == sw_sched_next_due(1, 10000, 300);
	}
	assert_true(hi - lo >= 50);
	assert_true(same < 200);
	/* Short intervals: no jitter below 10 s, never now or the past. */
	assert_int_equal(sw_sched_next_due(3, 100, 5), 105);
	assert_int_equal(sw_sched_next_due(3, 100, 0), 101);
	for (long iv = 10; iv < 40; iv++)
		assert_true(sw_sched_next_due(9, 100, iv) > 100);
}

/* What counts as a failure of the site. */
static void test_failed(void **state)
{
	(void)state;
	assert_false(sw_sched_failed(SW_FETCH_OK, 200));
	assert_false(sw_sched_failed(SW_FETCH_OK, 302));
	assert_false(sw_sched_failed(SW_FETCH_ETOOLARGE, 200));
	assert_true(sw_sched_failed(SW_FETCH_OK, 404));
	assert_true(sw_sched_failed(SW_FETCH_OK, 500));
	assert_true(sw_sched_failed(SW_FETCH_OK, 0));
	assert_true(sw_sched_failed(SW_FETCH_ETIMEOUT, 0));
	assert_true(sw_sched_failed(SW_FETCH_ECONNECT, 0));
	assert_true(sw_sched_failed(SW_FETCH_EDNS, 0));
}

/* Down only after `threshold` failures in a row; up on the first success;
 * availability findings held back below the threshold. */
static void test_flapping(void **state)
{
	struct sw_sched_verdict v;

	(void)state;
	v = sw_sched_judge(0, -1, 0, 3); /* first check, fine */
	assert_int_equal(v.up, 1);
	assert_int_equal(v.fails, 0);
	assert_true(v.changed && v.report);
	v = sw_sched_judge(0, 1, 1, 3);
	assert_int_equal(v.up, 1);
	assert_int_equal(v.fails, 1);
	assert_false(v.changed || v.report);
	v = sw_sched_judge(1, 1, 1, 3);
	assert_int_equal(v.up, 1);
	assert_false(v.report);
	v = sw_sched_judge(2, 1, 1, 3); /* third failure: down */
	assert_int_equal(v.up, 0);
	assert_int_equal(v.fails, 3);
	assert_true(v.changed && v.report);
	v = sw_sched_judge(3, 0, 1, 3); /* still down, still reported */
	assert_int_equal(v.up, 0);
	assert_false(v.changed);
	assert_true(v.report);
	v = sw_sched_judge(4, 0, 0, 3); /* one success: up */
	assert_int_equal(v.up, 1);
	assert_int_equal(v.fails, 0);
	assert_true(v.changed);
	/* A threshold of 1 (or a bad 0) reports the first failure. */
	v = sw_sched_judge(0, -1, 1, 1);
	assert_int_equal(v.up, 0);
	assert_true(v.report && v.changed);
	v = sw_sched_judge(0, 1, 1, 0);
	assert_int_equal(v.up, 0);
	/* A down site stays down, and reported, when the threshold was raised
	 * above its failure count meanwhile. */
	v = sw_sched_judge(2, 0, 1, 5);
	assert_int_equal(v.up, 0);
	assert_true(v.report);
}

/* Holding back removes exactly the unreachability findings. */
static void test_hold_back(void **state)
{
	struct sw_findings f;

	(void)state;
	sw_findings_init(&f);
	sw_sched_hold_back(&f); /* empty */
	assert_int_equal(f.n, 0);
	assert_int_equal(sw_findings_add(&f, "availability.http_error", SW_SEV_HIGH, "{}", "500"),
			 SW_OK);
	assert_int_equal(sw_findings_add(&f, "tls.expired", SW_SEV_HIGH, NULL, "expired"), SW_OK);
	assert_int_equal(sw_findings_add(&f, "availability.timeout", SW_SEV_HIGH, NULL, "t"), SW_OK);
	assert_int_equal(sw_findings_add(&f, "availability.slow", SW_SEV_LOW, NULL, "slow"), SW_OK);
	sw_sched_hold_back(&f);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.v[0].kind->key, "tls.expired");
	assert_string_equal(f.v[1].kind->key, "availability.slow");
	assert_true(sw_sched_availability_kind("dns.nxdomain"));
	assert_false(sw_sched_availability_kind("dns.changed"));
	sw_findings_cleanup(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_due_spreads), cmocka_unit_test(test_next_due_jitter),
		cmocka_unit_test(test_failed),		  cmocka_unit_test(test_flapping),
		cmocka_unit_test(test_hold_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
