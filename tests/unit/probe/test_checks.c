/*
 * test_checks.c - the prober's own findings from hand-made fetch results:
 * one finding per cause, thresholds from the policy, families switched off
 * by the policy's `checks` list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "probe/checks.h"

#define NOW ((time_t)1800000000) /* 2027-01-15 */
#define DAY 86400

static struct sw_fetch_hop hops2[2] = {
	{.url = "http://www.example.gov.cn/", .status = 302},
	{.url = "http://casino.example.com/", .status = 200, .cross_domain = 1},
};

/* A healthy HTTPS fetch; each test spoils one thing. */
static void healthy(struct sw_fetch_result *r, struct sw_fetch_cert *leaf)
{
	static unsigned char body[] = "<html><body>政务公开</body></html>";

	memset(r, 0, sizeof *r);
	memset(leaf, 0, sizeof *leaf);
	r->url = "https://www.example.gov.cn/";
	r->final_url = "https://www.example.gov.cn/";
	r->status = 200;
	r->err = SW_FETCH_OK;
	strcpy(r->primary_ip, "127.0.0.1");
	r->elapsed_us = 120000;
	r->n_hops = 1;
	r->hops = hops2;
	r->body = body;
	r->body_len = sizeof body - 1;
	leaf->subject = "CN=www.example.gov.cn";
	leaf->not_after = NOW + 200 * DAY;
	r->tls.present = 1;
	r->tls.certs = leaf;
	r->tls.n_certs = 1;
	r->tls.verified = 1;
	r->tls.name_match = 1;
	r->tls.version_num = 0x0304;
	strcpy(r->tls.version, "TLSv1.3");
}

/* Runs the checks under policy p (NULL: defaults) and returns the findings
 * joined as "kind/sev;..." in buf. */
static const char *run(const struct sw_fetch_result *r, const struct sw_policy *p,
		       const char *const *known, char *buf, size_t n)
{
	struct sw_check_ctx ctx = {.now = NOW, .known_ips = known};
	struct sw_policy def;
	struct sw_findings f;

	if (!p) {
		sw_policy_defaults(&def);
		p = &def;
	}
	sw_findings_init(&f);
	assert_int_equal(sw_probe_checks(r, p, &ctx, &f), SW_OK);
	buf[0] = '\0';
	for (size_t i = 0; i < f.n; i++) {
		snprintf(buf + strlen(buf), n - strlen(buf), "%s/%s;", f.v[i].kind->key,
			 sw_sev_name(f.v[i].sev));
		assert_non_null(f.v[i].title);
		assert_true(f.v[i].title[0] != '\0');
	}
	sw_findings_cleanup(&f);
	return buf;
}

static void test_healthy(void **state)
{
	struct sw_fetch_result r;
	struct sw_fetch_cert leaf;
	char buf[512];

	(void)state;
	healthy(&r, &leaf);
	assert_string_equal(run(&r, NULL, NULL, buf, sizeof buf), "");
	/* A known address that matches is no finding either. */
	assert_string_equal(run(&r, NULL, (const char *[]){"10.0.0.1", "127.0.0.1", NULL}, buf,
				sizeof buf),
			    "");
}

static void test_failures(void **state)
{
	static const struct {
		enum sw_fetch_err err;
		const char *want;
	} cases[] = {
		{SW_FETCH_ENXDOMAIN, "dns.nxdomain/high;"},
		{SW_FETCH_EDNS, "availability.down/high;"},
		{SW_FETCH_ECONNECT, "availability.down/high;"},
		{SW_FETCH_ETIMEOUT, "availability.timeout/high;"},
		{SW_FETCH_ETLS, "tls.handshake/high;"},
		{SW_FETCH_ELOOP, "redirect.loop/high;"},
		{SW_FETCH_EREDIRECTS, "redirect.too_many/high;"},
		{SW_FETCH_EHTTP, "availability.down/high;"},
		{SW_FETCH_EABORTED, ""},
	};
	struct sw_fetch_result r;
	struct sw_fetch_cert leaf;
	char buf[512];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		healthy(&r, &leaf);
		r.err = cases[i].err;
		r.status = 0;
		r.tls.present = 0;
		strcpy(r.errmsg, "detail");
		assert_string_equal(run(&r, NULL, NULL, buf, sizeof buf), cases[i].want);
	}
}

static void test_http_and_timing(void **state)
{
	struct sw_fetch_result r;
	struct sw_fetch_cert leaf;
	struct sw_policy p;
	char buf[512];

	(void)state;
	healthy(&r, &leaf);
	r.status = 503;
	assert_string_equal(run(&r, NULL, NULL, buf, sizeof buf), "availability.http_error/high;");
	healthy(&r, &leaf);
	r.status = 404;
	assert_string_equal(run(&r, NULL, NULL, buf, sizeof buf), "availability.http_error/high;");

	/* Slow is measured against the policy's threshold, exclusive. */
	healthy(&r, &leaf);
	r.elapsed_us = 5000 * 1000;
	assert_string_equal(run(&r, NULL, NULL, buf, sizeof buf), "");
	r.elapsed_us = 5001 * 1000;
	assert_string_equal(run(&r, NULL, NULL, buf, sizeof buf), "availability.slow/low;");
	sw_policy_defaults(&p);
	assert_int_equal(sw_policy_overlay(&p, SW_SCOPE_SITE, "slow_ms", "10000"), SW_OK);
	assert_string_equal(run(&r, &p, NULL, buf, sizeof buf), "");

	/* Blank bodies are empty; a cut-off body is reported as too large. */
	healthy(&r, &leaf);
	r.body = (unsigned char *)" \r\n\t";
	r.body_len = 4;
	assert_string_equal(run(&r, NULL, NULL, buf, sizeof buf), "availability.empty/medium;");
	healthy(&r, &leaf);
	r.err = SW_FETCH_ETOOLARGE;
	r.truncated = 1;
	assert_string_equal(run(&r, NULL, NULL, buf, sizeof buf), "availability.too_large/low;");
}

static void test_tls(void **state)
{
	struct sw_fetch_result r;
	struct sw_fetch_cert leaf;
	struct sw_policy p;
	char buf[512];

	(void)state;
	/* Expired: reported once, not also as untrusted. */
	healthy(&r, &leaf);
	leaf.not_after = NOW - 3 * DAY;
	r.tls.verified = 0;
	r.tls.verify_code = 10;
	assert_string_equal(run(&r, NULL, NULL, buf, sizeof buf), "tls.expired/high;");

	/* Expiring within the policy's warning window. */
	healthy(&r, &leaf);
	leaf.not_after = NOW + 29 * DAY;
	assert_string_equal(run(&r, NULL, NULL, buf, sizeof buf), "tls.expiring/medium;");
	leaf.not_after = NOW + 31 * DAY;
	assert_string_equal(run(&r, NULL, NULL, buf, sizeof buf), "");
	sw_policy_defaults(&p);
	assert_int_equal(sw_policy_overlay(&p, SW_SCOPE_GROUP, "tls_warn_days", "60"), SW_OK);
	assert_string_equal(run(&r, &p, NULL, buf, sizeof buf), "tls.expiring/medium;");

	/* Self-signed for another name, over TLS 1.0: three causes. */
	healthy(&r, &leaf);
	r.tls.verified = 0;
	r.tls.verify_code = 18;
	strcpy(r.tls.verify_msg, "self-signed certificate");
	r.tls.name_match = 0;
	r.tls.version_num = 0x0301;
	strcpy(r.tls.version, "TLSv1");
	assert_string_equal(run(&r, NULL, NULL, buf, sizeof buf),
			    "tls.name_mismatch/high;tls.untrusted/medium;tls.old_protocol/medium;");

	/* The tls family switched off by policy. */
	assert_int_equal(sw_policy_overlay(&p, SW_SCOPE_SITE, "checks", "availability,dns"), SW_OK);
	assert_string_equal(run(&r, &p, NULL, buf, sizeof buf), "");
}

static void test_dns_and_redirects(void **state)
{
	struct sw_fetch_result r;
	struct sw_fetch_cert leaf;
	struct sw_policy p;
	char buf[512];

	(void)state;
	healthy(&r, &leaf);
	assert_string_equal(run(&r, NULL, (const char *[]){"10.9.8.7", NULL}, buf, sizeof buf),
			    "dns.changed/high;");

	healthy(&r, &leaf);
	r.n_hops = 2;
	r.cross_domain = 1;
	r.final_url = "http://casino.example.com/";
	assert_string_equal(run(&r, NULL, NULL, buf, sizeof buf), "redirect.cross_domain/high;");
	sw_policy_defaults(&p);
	assert_int_equal(sw_policy_overlay(&p, SW_SCOPE_SITE, "checks", "availability"), SW_OK);
	assert_string_equal(run(&r, &p, NULL, buf, sizeof buf), "");
	/* Availability off: a failed fetch of that family says nothing, while
	 * the DNS family still reports a name that does not resolve. */
	assert_int_equal(sw_policy_overlay(&p, SW_SCOPE_SITE, "checks", "dns"), SW_OK);
	r.err = SW_FETCH_ECONNECT;
	assert_string_equal(run(&r, &p, NULL, buf, sizeof buf), "");
	r.err = SW_FETCH_ENXDOMAIN;
	assert_string_equal(run(&r, &p, NULL, buf, sizeof buf), "dns.nxdomain/high;");
	r.err = SW_FETCH_EDNS;
	assert_string_equal(run(&r, &p, NULL, buf, sizeof buf), "");
}

static void test_finding_table(void **state)
{
	const struct sw_finding_kind *k;
	struct sw_findings f;
	size_t n;

	(void)state;
	k = sw_finding_kinds(&n);
	for (size_t i = 0; i < n; i++) {
		assert_ptr_equal(sw_finding_kind(k[i].key), &k[i]);
		assert_non_null(strchr(k[i].key, '.'));
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(k[i].key, k[j].key);
	}
	assert_null(sw_finding_kind("no.such"));
	assert_null(sw_finding_kind(NULL));
	assert_int_equal(sw_sev_parse("high"), SW_SEV_HIGH);
	assert_int_equal(sw_sev_parse("severe"), -1);
	assert_string_equal(sw_sev_zh(SW_SEV_CRITICAL), "严重");
	sw_findings_init(&f);
	assert_int_equal(sw_findings_max_sev(&f), -1);
	for (int i = 0; i < 20; i++)
		assert_int_equal(sw_findings_add(&f, "availability.slow", i == 7 ? SW_SEV_HIGH : SW_SEV_LOW,
						 i % 2 ? "{}" : NULL, "n=%d", i),
				 SW_OK);
	assert_int_equal(f.n, 20);
	assert_string_equal(f.v[19].title, "n=19");
	assert_null(f.v[0].evidence);
	assert_int_equal(sw_findings_max_sev(&f), SW_SEV_HIGH);
	sw_findings_cleanup(&f);
	assert_int_equal(f.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),		 cmocka_unit_test(test_failures),
		cmocka_unit_test(test_http_and_timing), cmocka_unit_test(test_tls),
		cmocka_unit_test(test_dns_and_redirects), cmocka_unit_test(test_finding_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
