/*
 * test_package.c - an exported package verifies without the store, and
 * flipping any single bit of it, anywhere, makes verification fail; a flip
 * inside an item's bytes names that item, inside the manifest, chain,
 * head, signature or public key names that member.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "evidence/evidence.h"
#include "evidence/tar.h"

struct problems {
	int n;
	char names[8][128];
};

static void on_problem(void *arg, const char *where, const char *what)
{
	struct problems *p = arg;

	(void)what;
	if (p->n < 8)
		snprintf(p->names[p->n], sizeof p->names[0], "%s", where);
	p->n++;
}

/* True when some problem names member `rel` (a path inside the package). */
static int named(const struct problems *p, const char *rel)
{
	for (int i = 0; i < p->n && i < 8; i++)
		if (strstr(p->names[i], rel))
			return 1;
	return 0;
}

/* Makes a package of three items (one of 1,500 bytes spanning blocks). */
static void make_package(unsigned char **pkg, size_t *len, enum sw_ev_hash h, enum sw_ev_sig s)
{
	const char *tmp = getenv("TMPDIR");
	static char big[1500];
	static unsigned seq;
	char dir[512];
	struct sw_store *st = sw_test_store();
	struct sw_ev_opts o;
	struct sw_evidence *ev;
	struct sw_errbuf eb;
	struct sw_ev_item it[3] = {
		{.kind = "body", .name = "body.html", .media_type = "text/html", .bytes = "<p>x</p>",
		 .len = 8, .site_id = 1, .check_id = 2},
		{.kind = "file", .name = "webshell.php", .bytes = big, .len = sizeof big, .site_id = 1},
		{.kind = "findings", .name = "findings.json", .media_type = "application/json",
		 .bytes = "[]", .len = 2, .site_id = 1, .check_id = 2},
	};
	int64_t seqs[3] = {1, 2, 3};

	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	snprintf(dir, sizeof dir, "%s/sw-pkgkeys-%ld-%u", tmp && *tmp ? tmp : "/tmp",
		 (long)getpid(), ++seq);
	sw_ev_opts_init(&o);
	o.hash = h;
	o.sig = s;
	o.key_dir = dir;
	o.create_key = 1;
	sw_errbuf_clear(&eb);
	if (sw_evidence_open(st, &o, &ev, &eb) || sw_evidence_add(ev, it, 3, NULL, &eb) ||
	    sw_evidence_export(ev, seqs, 3, "pkg", pkg, len, &eb))
		fail_msg("%s", eb.msg);
	sw_evidence_free(ev);
	sw_store_close(st);
}

/* Which member byte i belongs to (header, data or padding), by walking
 * the good archive; "" for the end mark. */
static const char *owner(const struct sw__tar_member *m, size_t n, const unsigned char *base,
			 size_t i)
{
	for (size_t k = 0; k < n; k++) {
		size_t start = (size_t)(m[k].data - base) - 512;
		size_t end = (size_t)(m[k].data - base) + (m[k].len + 511) / 512 * 512;

		if (i >= start && i < end)
			return m[k].name;
	}
	return "";
}

/* Flips one bit of every stride-th byte (1: every byte) and checks the
 * verdict. */
static void flip_all(enum sw_ev_hash h, enum sw_ev_sig s, size_t stride)
{
	unsigned char *pkg, *bad;
	size_t len, nm;
	struct sw__tar_member *m;
	struct problems p = {0};

	make_package(&pkg, &len, h, s);
	assert_int_equal(sw_evidence_verify_package(pkg, len, on_problem, &p, NULL, NULL), SW_OK);
	assert_int_equal(p.n, 0);
	assert_int_equal(sw__tar_read(pkg, len, &m, &nm, on_problem, &p), SW_OK);
	assert_int_equal(nm, 8); /* 3 items, manifest, pubkey, chain, head, signature */
	bad = malloc(len);
	for (size_t i = 0; i < len; i += stride) {
		const char *who = owner(m, nm, pkg, i);
		size_t start = 0, mlen = 0;

		memcpy(bad, pkg, len);
		bad[i] ^= 0x01;
		p = (struct problems){0};
		if (sw_evidence_verify_package(bad, len, on_problem, &p, NULL, NULL) != SW_EINVAL ||
		    !p.n)
			fail_msg("flip at byte %zu (%s) went unnoticed", i, who);
		if (!*who)
			continue;
		/* A flip inside a member's data names that member. */
		for (size_t k = 0; k < nm; k++)
			if (!strcmp(m[k].name, who)) {
				start = (size_t)(m[k].data - pkg);
				mlen = m[k].len;
			}
		if (i >= start && i < start + mlen && !named(&p, strchr(who, '/') + 1))
			fail_msg("flip at byte %zu in %s named %s", i, who, p.names[0]);
	}
	free(bad);
	free(m);
	free(pkg);
}

static void test_flip_sm3_sm2(void **state)
{
	(void)state;
	flip_all(SW_EV_SM3, SW_EV_SM2, 1);
}

static void test_flip_sha256_ed25519(void **state)
{
	(void)state;
	/* Every third byte: the same code paths as above, at a third of the
	 * cost (the test runs beside other builds on two cores). */
	flip_all(SW_EV_SHA256, SW_EV_ED25519, 3);
}

/* Truncated, empty and foreign inputs fail cleanly. */
static void test_garbage(void **state)
{
	unsigned char *pkg;
	size_t len;
	struct problems p = {0};

	(void)state;
	assert_int_equal(sw_evidence_verify_package("", 0, on_problem, &p, NULL, NULL), SW_EINVAL);
	make_package(&pkg, &len, SW_EV_SM3, SW_EV_SM2);
	for (size_t cut = 0; cut < len; cut += 512) {
		p = (struct problems){0};
		assert_int_equal(sw_evidence_verify_package(pkg, cut, on_problem, &p, NULL, NULL),
				 SW_EINVAL);
		assert_true(p.n > 0);
	}
	free(pkg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flip_sm3_sm2),
		cmocka_unit_test(test_flip_sha256_ed25519),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
