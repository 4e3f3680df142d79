/*
 * test_keys.c - the ledger's signing keys: made once with mode 0600 in a
 * 0700 directory, loaded again with the same identity, refused when others
 * may read them; SM2 and Ed25519 signatures round-trip and fail on any
 * change of message or signature; a public key alone verifies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evidence/keys.h"

static void key_dir(char *buf, size_t n)
{
	const char *tmp = getenv("TMPDIR");
	static unsigned seq;

	snprintf(buf, n, "%s/sw-keys-%ld-%u", tmp && *tmp ? tmp : "/tmp", (long)getpid(), ++seq);
}

static void round_trip(enum sw_ev_sig alg)
{
	static const char msg[] = "sitewarden-ledger-head 1 sm3 7 abc 100\n";
	char dir[512], path[600], id[65];
	struct sw_ev_key *k = NULL, *again = NULL, *pub = NULL;
	unsigned char *sig = NULL;
	size_t len = 0, plen;
	const char *pem;
	struct stat sb;

	key_dir(dir, sizeof dir);
	assert_int_equal(sw_ev_key_open(dir, alg, 0, &k, NULL), SW_ENOTFOUND);
	assert_int_equal(sw_ev_key_open(dir, alg, 1, &k, NULL), SW_OK);
	assert_int_equal(sw_ev_key_alg(k), alg);
	snprintf(path, sizeof path, "%s/ledger-%s.pem", dir, sw_ev_sig_name(alg));
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);

	assert_int_equal(sw_ev_key_sign(k, msg, strlen(msg), &sig, &len, NULL), SW_OK);
	assert_true(len > 0);
	assert_int_equal(sw_ev_key_verify(k, msg, strlen(msg), sig, len, NULL), SW_OK);
	/* Any change of message or signature fails. */
	assert_int_equal(sw_ev_key_verify(k, msg, strlen(msg) - 1, sig, len, NULL), SW_EINVAL);
	sig[len / 2] ^= 1;
	assert_int_equal(sw_ev_key_verify(k, msg, strlen(msg), sig, len, NULL), SW_EINVAL);
	sig[len / 2] ^= 1;

	/* Opening again loads the same key, never a new one. */
	snprintf(id, sizeof id, "%s", sw_ev_key_id(k));
	assert_int_equal(sw_ev_key_open(dir, alg, 1, &again, NULL), SW_OK);
	assert_string_equal(sw_ev_key_id(again), id);
	sw_ev_key_free(again);

	/* The public PEM alone verifies and cannot sign. */
	pem = sw_ev_key_pub_pem(k, &plen);
	assert_int_equal(sw_ev_key_from_pub(pem, plen, &pub, NULL), SW_OK);
	assert_string_equal(sw_ev_key_id(pub), id);
	assert_int_equal(sw_ev_key_verify(pub, msg, strlen(msg), sig, len, NULL), SW_OK);
	free(sig);
	assert_int_equal(sw_ev_key_sign(pub, msg, 1, &sig, &len, NULL), SW_EINVAL);
	sw_ev_key_free(pub);
	assert_int_equal(sw_ev_key_from_pub("-----BEGIN PUBLIC KEY-----\nAAAA\n", 31, &pub, NULL),
			 SW_EINVAL);

	/* A key others may read is refused. */
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(sw_ev_key_open(dir, alg, 1, &again, NULL), SW_EINVAL);
	sw_ev_key_free(k);
}

static void test_sm2(void **state)
{
	(void)state;
	round_trip(SW_EV_SM2);
}

static void test_ed25519(void **state)
{
	(void)state;
	round_trip(SW_EV_ED25519);
}

/* An SM2 key does not open as Ed25519 (each has its own file), and names
 * parse. */
static void test_names(void **state)
{
	enum sw_ev_sig s;

	(void)state;
	assert_int_equal(sw_ev_sig_parse("sm2", &s), SW_OK);
	assert_int_equal(s, SW_EV_SM2);
	assert_int_equal(sw_ev_sig_parse("ed25519", &s), SW_OK);
	assert_int_equal(s, SW_EV_ED25519);
	assert_int_equal(sw_ev_sig_parse("rsa", &s), SW_EINVAL);
	assert_int_equal(sw_ev_sig_parse(NULL, &s), SW_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sm2),
		cmocka_unit_test(test_ed25519),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
