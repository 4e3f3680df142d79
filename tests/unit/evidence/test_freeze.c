/*
 * test_freeze.c - what the engine's on_check hands over becomes items:
 * the request header block as sent, every resolved address, the chain's
 * PEM, the raw body and the findings with the page each was found on;
 * a check is frozen once; a check without an exchange is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "engine/engine.h"
#include "evidence/evidence.h"
#include "probe/fetch.h"
#include "store/evidence.h"

struct got {
	int n;
	char kinds[16][40];
	char algo[8], hash[16][SW_EV_HEX_LEN];
};

static int row_cb(void *arg, const struct sw_ev_row *r)
{
	struct got *g = arg;

	if (g->n < 16) {
		snprintf(g->kinds[g->n], sizeof g->kinds[0], "%s", r->kind);
		snprintf(g->hash[g->n], sizeof g->hash[0], "%s", r->item_hash);
		g->n++;
	}
	return 0;
}

/* The bytes of the item of `kind` (a new buffer; NULL when absent). */
static char *item(struct sw_store *st, const struct got *g, const char *kind)
{
	unsigned char *b = NULL;
	size_t len;

	for (int i = 0; i < g->n; i++)
		if (!strcmp(g->kinds[i], kind)) {
			assert_int_equal(sw_store_ev_blob_get(st, "sm3", g->hash[i], &b, &len, NULL),
					 SW_OK);
			return (char *)b;
		}
	return NULL;
}

static void test_engine_check(void **state)
{
	static const char page[] = "<html>挂马 <script src=//evil.test/x.js></script></html>";
	static const char reqh[] = "GET / HTTP/1.1\r\nHost: a.test\r\nUser-Agent: sitewarden\r\n\r\n";
	static const char pem[] = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
	const char *tmp = getenv("TMPDIR");
	struct sw_store *st = sw_test_store();
	struct sw_engine_finding f = {"trojan.script", "high", "挂马", "{\"url\":\"//evil.test/x.js\"}",
				      "http://a.test/"};
	struct sw_engine_check c = {.site_id = 3, .check_id = 77, .findings = &f, .n_findings = 1};
	struct sw_fetch_result *r = NULL;
	struct sw_ev_opts o;
	struct sw_evidence *ev;
	struct got g = {0};
	char dir[512], *p;
	size_t n = 0;

	(void)state;
	snprintf(dir, sizeof dir, "%s/sw-frzkeys-%ld", tmp && *tmp ? tmp : "/tmp", (long)getpid());
	sw_ev_opts_init(&o);
	o.key_dir = dir;
	o.create_key = 1;
	assert_int_equal(sw_evidence_open(st, &o, &ev, NULL), SW_OK);
	assert_int_equal(sw_evidence_freeze_engine(ev, &c, &n, NULL), SW_EINVAL); /* no exchange */

	assert_int_equal(sw_fetch_result_from_body("http://a.test/", page, sizeof page - 1,
						   "text/html", &r),
			 SW_OK);
	r->req_headers = strdup(reqh);
	r->req_headers_len = strlen(reqh);
	snprintf(r->addrs[0], sizeof r->addrs[0], "127.0.0.1");
	snprintf(r->addrs[1], sizeof r->addrs[1], "::1");
	r->n_addrs = 2;
	r->tls.present = 1;
	r->tls.chain_pem = strdup(pem);
	c.self = r;
	assert_int_equal(sw_evidence_freeze_engine(ev, &c, &n, NULL), SW_OK);
	assert_int_equal(n, 9);
	assert_int_equal(sw_evidence_freeze_engine(ev, &c, &n, NULL), SW_OK);
	assert_int_equal(n, 0); /* once */
	assert_int_equal(sw_store_ev_by_check(st, 77, row_cb, &g, NULL), SW_OK);
	assert_int_equal(g.n, 9);

	assert_non_null(p = item(st, &g, "request-headers"));
	assert_string_equal(p, reqh);
	free(p);
	assert_non_null(p = item(st, &g, "certificate-chain"));
	assert_string_equal(p, pem);
	free(p);
	assert_non_null(p = item(st, &g, "body"));
	assert_string_equal(p, page);
	free(p);
	assert_non_null(p = item(st, &g, "addresses"));
	assert_non_null(strstr(p, "\"::1\""));
	free(p);
	assert_non_null(p = item(st, &g, "findings"));
	assert_non_null(strstr(p, "trojan.script"));
	assert_non_null(strstr(p, "http://a.test/"));
	free(p);
	sw_fetch_result_free(r);
	sw_evidence_free(ev);
	sw_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
