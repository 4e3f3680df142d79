/*
 * test_worker.c - the sandboxed analysis worker: the same findings as in
 * process, a page past its deadline is one analysis.limit finding and the
 * next page gets a fresh worker, a worker is recycled after its share of
 * pages, and the request survives the trip (site facts, baseline pages,
 * policy).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/analyze.h"
#include "analyze/worker.h"

static struct sw_an_rules *rules;

static int setup(void **state)
{
	(void)state;
	return sw_an_rules_load(NULL, &rules, NULL) == SW_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	sw_an_rules_free(rules);
	return 0;
}

static const char spam[] =
	"<html><head><title>某县人民政府</title></head><body><a href='/'>首页</a>"
	"<div style='position:absolute;left:-9999px'><a href='http://bet.example.com/'>百家乐</a></div>"
	"<p>主办单位：某县人民政府办公室 京ICP备05070218号 京公网安备 11010502030143号</p></body></html>";

static void page_of(struct sw_an_page *pg, const char *html)
{
	memset(pg, 0, sizeof *pg);
	pg->url = "http://www.example.com.cn/";
	pg->raw = pg->text = html;
	pg->raw_len = pg->text_len = strlen(html);
	pg->status = 200;
}

/* Keys of fs joined by ','. */
static void keys(const struct sw_findings *fs, char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < fs->n && n < cap; i++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? "," : "", fs->v[i].kind->key);
}

static void test_same_as_in_process(void **state)
{
	struct sw_an_page pg;
	struct sw_an_input in;
	struct sw_an_worker_limits lim;
	struct sw_findings a, b;
	char ka[512], kb[512];

	(void)state;
	page_of(&pg, spam);
	sw_an_input_init(&in);
	in.page = &pg;
	sw_an_worker_limits_init(&lim);
	sw_findings_init(&a);
	sw_findings_init(&b);
	assert_int_equal(sw_an_worker_analyze(rules, &in, &lim, &a, NULL), SW_OK);
	lim.sandbox = 0;
	assert_int_equal(sw_an_worker_analyze(rules, &in, &lim, &b, NULL), SW_OK);
	keys(&a, ka, sizeof ka);
	keys(&b, kb, sizeof kb);
	assert_string_equal(ka, kb);
	assert_non_null(strstr(ka, "darklink.hidden_link"));
	assert_string_equal(a.v[0].evidence, b.v[0].evidence);
	sw_findings_cleanup(&a);
	sw_findings_cleanup(&b);
}

static void test_request_travels(void **state)
{
	static const char base1[] =
		"<html><head><title>某县人民政府门户网站</title></head><body><a href='/'>首页</a>"
		"<p>主办单位：某县人民政府办公室 京ICP备05070218号 京公网安备 11010502030143号</p></body></html>";
	struct sw_an_page pg, base[2];
	struct sw_an_site site = {.gov = 0, .icp = "京ICP备99999999号"};
	struct sw_an_input in;
	struct sw_policy pol;
	struct sw_findings fs;
	char k[512];

	(void)state;
	page_of(&pg, spam);
	page_of(&base[0], base1);
	page_of(&base[1], base1);
	sw_policy_defaults(&pol);
	assert_int_equal(sw_policy_overlay(&pol, SW_SCOPE_GLOBAL, "checks", "compliance,deface"), SW_OK);
	sw_an_input_init(&in);
	in.page = &pg;
	in.site = &site;
	in.base_pages = base;
	in.n_base_pages = 2;
	in.policy = &pol;
	sw_findings_init(&fs);
	assert_int_equal(sw_an_worker_analyze(rules, &in, NULL, &fs, NULL), SW_OK);
	keys(&fs, k, sizeof k);
	/* The policy switched dark links off; the register's ICP number differs
	 * from the page's; the baseline pages learned in the worker make the
	 * page a changed one. */
	assert_null(strstr(k, "darklink"));
	assert_non_null(strstr(k, "compliance.icp_mismatch"));
	assert_non_null(strstr(k, "defacement.title"));
	sw_findings_cleanup(&fs);
}

static void test_deadline_and_recovery(void **state)
{
	struct sw_an_page pg;
	struct sw_an_input in;
	struct sw_an_worker_limits lim;
	struct sw_findings fs;

	(void)state;
	page_of(&pg, spam);
	sw_an_input_init(&in);
	in.page = &pg;
	sw_an_worker_limits_init(&lim);
	lim.wall_seconds = 0; /* no time at all: the worker is killed */
	sw_findings_init(&fs);
	assert_int_equal(sw_an_worker_analyze(rules, &in, &lim, &fs, NULL), SW_OK);
	assert_int_equal(fs.n, 1);
	assert_string_equal(fs.v[0].kind->key, "analysis.limit");
	assert_non_null(strstr(fs.v[0].evidence, "worker-time"));
	sw_findings_cleanup(&fs);
	/* The next page gets a fresh worker. */
	sw_an_worker_limits_init(&lim);
	sw_findings_init(&fs);
	assert_int_equal(sw_an_worker_analyze(rules, &in, &lim, &fs, NULL), SW_OK);
	assert_true(fs.n >= 1);
	assert_string_equal(fs.v[0].kind->key, "darklink.hidden_link");
	sw_findings_cleanup(&fs);
}

static void test_many_pages(void **state)
{
	struct sw_an_page pg;
	struct sw_an_input in;
	struct sw_findings fs;

	(void)state;
	page_of(&pg, spam);
	sw_an_input_init(&in);
	in.page = &pg;
	/* More than one worker's share: the recycling is seamless. */
	for (int i = 0; i < 1100; i++) {
		sw_findings_init(&fs);
		assert_int_equal(sw_an_worker_analyze(rules, &in, NULL, &fs, NULL), SW_OK);
		assert_string_equal(fs.v[0].kind->key, "darklink.hidden_link");
		sw_findings_cleanup(&fs);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_in_process),
		cmocka_unit_test(test_request_travels),
		cmocka_unit_test(test_deadline_and_recovery),
		cmocka_unit_test(test_many_pages),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
