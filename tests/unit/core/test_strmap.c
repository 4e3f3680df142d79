/*
 * test_strmap.c - unit tests for the string -> int64 map of
 * src/core/strmap.c.
 *
 * The map is the importer's memory of what it created, so a lost or stale
 * entry means a unit created twice or a site linked to the wrong person.
 * Random operations are checked against a naive reference (a linear search
 * over an array of pairs) and growth to 100,000 keys against keys whose
 * values follow from their names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"

/* A value no test stores: shows that a miss leaves *val alone. */
#define UNTOUCHED INT64_C(-777)

static void test_empty_map_get(void **state)
{
	struct sw_strmap m;
	int64_t v = UNTOUCHED;

	(void)state;
	sw_strmap_init(&m);
	assert_int_equal(m.n, 0);
	assert_int_equal(sw_strmap_get(&m, "", &v), 0);
	assert_int_equal(sw_strmap_get(&m, "anything", &v), 0);
	assert_true(v == UNTOUCHED);
	/* Cleaning an empty map, and cleaning twice, are harmless. */
	sw_strmap_cleanup(&m);
	sw_strmap_cleanup(&m);
	assert_int_equal(sw_strmap_get(&m, "anything", &v), 0);
}

static void test_put_get(void **state)
{
	struct sw_strmap m;
	int64_t v = UNTOUCHED;

	(void)state;
	sw_strmap_init(&m);
	assert_int_equal(sw_strmap_put(&m, "unit:914403001922038216", 7), SW_OK);
	assert_int_equal(sw_strmap_put(&m, "北京市人民政府", INT64_MAX), SW_OK);
	assert_int_equal(sw_strmap_put(&m, "", INT64_MIN), SW_OK);
	assert_int_equal(m.n, 3);

	assert_int_equal(sw_strmap_get(&m, "unit:914403001922038216", &v), 1);
	assert_true(v == 7);
	assert_int_equal(sw_strmap_get(&m, "北京市人民政府", &v), 1);
	assert_true(v == INT64_MAX);
	assert_int_equal(sw_strmap_get(&m, "", &v), 1);
	assert_true(v == INT64_MIN);

	/* Near misses: prefixes, extensions, case. */
	v = UNTOUCHED;
	assert_int_equal(sw_strmap_get(&m, "unit:91440300192203821", &v), 0);
	assert_int_equal(sw_strmap_get(&m, "unit:9144030019220382160", &v), 0);
	assert_int_equal(sw_strmap_get(&m, "UNIT:914403001922038216", &v), 0);
	assert_int_equal(sw_strmap_get(&m, "北京市人民政", &v), 0);
	assert_true(v == UNTOUCHED);
	sw_strmap_cleanup(&m);
	assert_int_equal(m.n, 0);
	assert_int_equal(sw_strmap_get(&m, "", &v), 0);
}

static void test_key_is_copied(void **state)
{
	struct sw_strmap m;
	char key[32] = "group:网站群";
	int64_t v = 0;

	(void)state;
	sw_strmap_init(&m);
	assert_int_equal(sw_strmap_put(&m, key, 42), SW_OK);
	memset(key, 'x', sizeof key - 1); /* the caller's buffer is reused */
	assert_int_equal(sw_strmap_get(&m, "group:网站群", &v), 1);
	assert_true(v == 42);
	assert_int_equal(sw_strmap_get(&m, key, &v), 0);
	sw_strmap_cleanup(&m);
}

static void test_overwrite(void **state)
{
	struct sw_strmap m;
	int64_t v = 0;

	(void)state;
	sw_strmap_init(&m);
	for (int64_t i = 0; i < 1000; i++)
		assert_int_equal(sw_strmap_put(&m, "same", i), SW_OK);
	assert_int_equal(m.n, 1); /* one key, not a thousand */
	assert_int_equal(sw_strmap_get(&m, "same", &v), 1);
	assert_true(v == 999);
	sw_strmap_cleanup(&m);
}

static void test_oversize_key(void **state)
{
	struct sw_strmap m;
	size_t len = 100000;
	char *big = malloc(len + 1);
	int64_t v = 0;

	(void)state;
	assert_non_null(big);
	memset(big, 'k', len);
	big[len] = '\0';
	sw_strmap_init(&m);
	assert_int_equal(sw_strmap_put(&m, big, 5), SW_OK);
	big[len - 1] = 'j'; /* differs only in the last byte */
	assert_int_equal(sw_strmap_get(&m, big, &v), 0);
	assert_int_equal(sw_strmap_put(&m, big, 6), SW_OK);
	assert_int_equal(sw_strmap_get(&m, big, &v), 1);
	assert_true(v == 6);
	big[len - 1] = 'k';
	assert_int_equal(sw_strmap_get(&m, big, &v), 1);
	assert_true(v == 5);
	assert_int_equal(m.n, 2);
	sw_strmap_cleanup(&m);
	free(big);
}

/* The naive reference: pairs found by linear search. */
struct ref {
	char keys[4096][16];
	int64_t vals[4096];
	size_t n;
};

static int ref_find(const struct ref *r, const char *key)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->keys[i], key) == 0)
			return (int)i;
	return -1;
}

static void ref_put(struct ref *r, const char *key, int64_t val)
{
	int i = ref_find(r, key);

	if (i < 0) {
		assert_true(r->n < 4096);
		i = (int)r->n++;
		snprintf(r->keys[i], sizeof r->keys[i], "%s", key);
	}
	r->vals[i] = val;
}

/* Random puts over a small key space (so most are overwrites), with a
 * lookup of a random key after each, compared with the reference. */
static void test_random_against_reference(void **state)
{
	struct ref *r = calloc(1, sizeof *r);
	struct sw_strmap m;
	uint32_t x = 12345;

	(void)state;
	assert_non_null(r);
	sw_strmap_init(&m);
	for (int op = 0; op < 20000; op++) {
		char key[16];
		int64_t got = UNTOUCHED;
		int found, want;

		x = x * 1103515245u + 12345u;
		snprintf(key, sizeof key, "k%u", (x >> 8) % 3000);
		if (op % 3 != 2) {
			assert_int_equal(sw_strmap_put(&m, key, (int64_t)op - 10000), SW_OK);
			ref_put(r, key, (int64_t)op - 10000);
		}
		x = x * 1103515245u + 12345u;
		snprintf(key, sizeof key, "k%u", (x >> 8) % 3500); /* some never put */
		found = sw_strmap_get(&m, key, &got);
		want = ref_find(r, key);
		assert_int_equal(found, want >= 0);
		if (want >= 0)
			assert_true(got == r->vals[want]);
		else
			assert_true(got == UNTOUCHED);
	}
	assert_int_equal(m.n, r->n);
	for (size_t i = 0; i < r->n; i++) {
		int64_t got = UNTOUCHED;

		assert_int_equal(sw_strmap_get(&m, r->keys[i], &got), 1);
		assert_true(got == r->vals[i]);
	}
	sw_strmap_cleanup(&m);
	free(r);
}

/* 100,000 keys force many doublings; every key must survive every rehash
 * with its own value, and the table must stay at most half full. */
static void test_growth_100k(void **state)
{
	enum { N = 100000 };
	struct sw_strmap m;
	char key[48];
	int64_t v;

	(void)state;
	sw_strmap_init(&m);
	for (int i = 0; i < N; i++) {
		snprintf(key, sizeof key, "code:%d|%d", i, i % 97);
		assert_int_equal(sw_strmap_put(&m, key, (int64_t)i * 3 + 1), SW_OK);
	}
	assert_int_equal(m.n, N);
	assert_true(m.cap >= 2 * m.n);
	assert_true((m.cap & (m.cap - 1)) == 0);
	/* Overwrite every tenth key after growth. */
	for (int i = 0; i < N; i += 10) {
		snprintf(key, sizeof key, "code:%d|%d", i, i % 97);
		assert_int_equal(sw_strmap_put(&m, key, -(int64_t)i), SW_OK);
	}
	assert_int_equal(m.n, N);
	for (int i = 0; i < N; i++) {
		snprintf(key, sizeof key, "code:%d|%d", i, i % 97);
		v = UNTOUCHED;
		assert_int_equal(sw_strmap_get(&m, key, &v), 1);
		assert_true(v == (i % 10 == 0 ? -(int64_t)i : (int64_t)i * 3 + 1));
		/* The same number with another suffix was never put. */
		snprintf(key, sizeof key, "code:%d|%d", i, i % 97 + 1);
		assert_int_equal(sw_strmap_get(&m, key, &v), 0);
	}
	/* Every stored key is one we put (no corruption by rehashing). */
	{
		size_t seen = 0;

		for (size_t i = 0; i < m.cap; i++) {
			int n, mod;

			if (!m.keys[i])
				continue;
			seen++;
			assert_int_equal(sscanf(m.keys[i], "code:%d|%d", &n, &mod), 2);
			assert_int_equal(mod, n % 97);
		}
		assert_int_equal(seen, N);
	}
	sw_strmap_cleanup(&m);
	assert_null(m.keys);
	assert_int_equal(m.cap, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_map_get),
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_key_is_copied),
		cmocka_unit_test(test_overwrite),
		cmocka_unit_test(test_oversize_key),
		cmocka_unit_test(test_random_against_reference),
		cmocka_unit_test(test_growth_100k),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
