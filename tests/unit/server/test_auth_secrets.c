/*
 * test_auth_secrets.c - password hashing (argon2id round trip, rules,
 * foreign hash formats refused), random and digest helpers (against
 * known vectors: SHA-256 of "abc", RFC 4231 HMAC-SHA256 case 2), and the
 * failed sign-in limit (five failures in the window lock a key, others
 * stay free, clearing and time release it, a flood of keys stays bounded).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "server/password.h"
#include "server/ratelimit.h"
#include "server/secret.h"

static void test_password(void **state)
{
	char h1[160], h2[160];
	struct sw_errbuf eb;

	(void)state;
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_password_hash("correct horse", h1, sizeof h1, &eb), SW_OK);
	assert_int_equal(sw_password_hash("correct horse", h2, sizeof h2, &eb), SW_OK);
	assert_true(!strncmp(h1, "$argon2id$", 10));
	assert_string_not_equal(h1, h2); /* fresh salt each time */
	assert_true(sw_password_verify(h1, "correct horse"));
	assert_true(sw_password_verify(h2, "correct horse"));
	assert_false(sw_password_verify(h1, "correct horsE"));
	assert_false(sw_password_verify(h1, ""));
	assert_false(sw_password_verify(NULL, "x"));
	assert_false(sw_password_verify("plain", "plain"));
	assert_false(sw_password_verify("$argon2i$v=19$m=16,t=2,p=1$c2FsdHNhbHQ$abc", "x"));
	assert_int_equal(sw_password_check("short", &eb), SW_EINVAL);
	assert_string_equal(eb.field, "password");
	assert_int_equal(sw_password_check("12345678", NULL), SW_OK);
	assert_int_equal(sw_password_check(NULL, NULL), SW_EINVAL);
	/* A too-small output buffer fails instead of overflowing. */
	assert_int_not_equal(sw_password_hash("correct horse", h1, 16, NULL), SW_OK);
}

static void test_secret(void **state)
{
	char a[129], b[129], d[65];
	unsigned char raw[8];

	(void)state;
	assert_int_equal(sw_secret_random_hex(32, a, NULL), SW_OK);
	assert_int_equal(sw_secret_random_hex(32, b, NULL), SW_OK);
	assert_int_equal(strlen(a), 64);
	assert_string_not_equal(a, b);
	assert_int_equal(sw_secret_random_hex(65, a, NULL), SW_EINVAL);
	sw_secret_sha256_hex("abc", 3, d);
	assert_string_equal(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sw_secret_hmac_hex("Jefe", 4, "what do ya want ", 16, "for nothing?", 12, d);
	assert_string_equal(d, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	assert_true(sw_secret_equal("abc", "abc"));
	assert_false(sw_secret_equal("abc", "abd"));
	assert_false(sw_secret_equal("abc", "abcd"));
	assert_int_equal(sw_secret_unhex("00ff10", raw, sizeof raw), 3);
	assert_int_equal(raw[1], 0xff);
	assert_int_equal(sw_secret_unhex("0g", raw, sizeof raw), -1);
	assert_int_equal(sw_secret_unhex("abc", raw, sizeof raw), -1);
	assert_int_equal(sw_secret_unhex("000000000000000000", raw, sizeof raw), -1);
}

static void test_ratelimit(void **state)
{
	struct sw_ratelimit rl;
	char key[32];

	(void)state;
	assert_int_equal(sw_rl_init(&rl), 0);
	for (int i = 0; i < SW_RL_MAX - 1; i++)
		sw_rl_fail(&rl, "n:admin", 1000 + i);
	assert_int_equal(sw_rl_wait(&rl, "n:admin", 1010), 0);
	sw_rl_fail(&rl, "n:admin", 1010);
	/* Locked until the oldest failure (1000) leaves the window. */
	assert_int_equal(sw_rl_wait(&rl, "n:admin", 1010), SW_RL_WINDOW - 10);
	assert_int_equal(sw_rl_wait(&rl, "n:admin", 1000 + SW_RL_WINDOW - 1), 1);
	assert_int_equal(sw_rl_wait(&rl, "n:admin", 1000 + SW_RL_WINDOW), 0);
	assert_int_equal(sw_rl_wait(&rl, "n:other", 1010), 0);
	sw_rl_clear(&rl, "n:admin");
	assert_int_equal(sw_rl_wait(&rl, "n:admin", 1010), 0);
	/* Many distinct keys: the table stays its size, recent keys survive. */
	for (int i = 0; i < 100000; i++) {
		snprintf(key, sizeof key, "a:10.0.%d.%d", i / 256, i % 256);
		sw_rl_fail(&rl, key, 2000);
	}
	for (int i = 0; i < SW_RL_MAX; i++)
		sw_rl_fail(&rl, "a:192.0.2.1", 3000);
	assert_true(sw_rl_wait(&rl, "a:192.0.2.1", 3000) > 0);
	sw_rl_cleanup(&rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_secret),
		cmocka_unit_test(test_ratelimit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
