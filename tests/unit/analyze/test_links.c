/*
 * test_links.c - the crawl's link rule (src/analyze/links.c): same origin,
 * http(s), fragments dropped, no action or binary-file links, each once,
 * bounded; and the links coming back through the sandboxed worker.
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
#include "analyze/doc.h"
#include "analyze/worker.h"

/* Collects the links of html at url (max wanted) into l. */
static void collect(const char *html, const char *url, size_t max, struct sw_an_links *l)
{
	struct sw_doc_limits lim;
	struct sw_doc *d = NULL;

	memset(l, 0, sizeof *l);
	l->max = max;
	sw_doc_limits_init(&lim);
	assert_int_equal(sw_doc_parse(html, strlen(html), &lim, &d, NULL), SW_OK);
	assert_int_equal(sw_an_links_collect(d, url, l), SW_OK);
	sw_doc_free(d);
}

static void test_rule(void **state)
{
	struct sw_an_links l;

	(void)state;
	collect("<a href='/a.html'>a</a><a href='b.html#x'>b</a><a href='B.HTML'>B</a>"
		"<a href='http://WWW.Site.gov.cn:8080/c?x=1#y'>c</a>"
		"<a href='https://www.site.gov.cn:8080/tls'>other scheme</a>"
		"<a href='http://news.site.gov.cn:8080/n'>other host</a>"
		"<a href='http://www.site.gov.cn/p'>other port</a>"
		"<a href='//evil.example/x'>off</a><a href='mailto:a@b.c'>m</a>"
		"<a href='javascript:void(0)'>js</a><a href='#top'>top</a>"
		"<a href='/logout.php'>out</a><a href='/x?action=delete&id=3'>del</a>"
		"<a href='/Files/R.PDF'>pdf</a><a href='/f.zip?v=1'>zip</a>"
		"<a href='http://u:p@www.site.gov.cn:8080/u'>user</a>"
		"<a href='/sub/'>self again</a><a href='/a.html'>again</a>"
		"<area href='/map.html'><iframe src='/frame.html'></iframe>"
		"<a href='/model.html'>model</a>",
		"http://www.site.gov.cn:8080/sub/#frag", 64, &l);
	assert_int_equal(l.n, 7);
	assert_string_equal(l.v[0], "http://www.site.gov.cn:8080/a.html");
	assert_string_equal(l.v[1], "http://www.site.gov.cn:8080/sub/b.html");
	assert_string_equal(l.v[2], "http://www.site.gov.cn:8080/sub/B.HTML");
	assert_string_equal(l.v[3], "http://www.site.gov.cn:8080/c?x=1");
	assert_string_equal(l.v[4], "http://www.site.gov.cn:8080/map.html");
	assert_string_equal(l.v[5], "http://www.site.gov.cn:8080/frame.html");
	assert_string_equal(l.v[6], "http://www.site.gov.cn:8080/model.html");
	sw_an_links_cleanup(&l);
	assert_int_equal(l.n, 0);
}

static void test_base_and_bounds(void **state)
{
	struct sw_an_links l;
	char *big;
	size_t cap = 200000, n = 0;

	(void)state;
	collect("<head><base href='/en/'></head><a href='x.html'>x</a>", "https://a.example/zh/",
		10, &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0], "https://a.example/en/x.html");
	sw_an_links_cleanup(&l);
	/* A base on another site makes relative links off-site. */
	collect("<head><base href='https://b.example/'></head><a href='x.html'>x</a>",
		"https://a.example/", 10, &l);
	assert_int_equal(l.n, 0);
	/* max is honoured; nothing without a page URL or with max 0. */
	big = malloc(cap);
	assert_non_null(big);
	for (int i = 0; i < 3000; i++)
		n += (size_t)snprintf(big + n, cap - n, "<a href='/p%d.html'>p</a>", i);
	collect(big, "https://a.example/", 5, &l);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.v[4], "https://a.example/p4.html");
	sw_an_links_cleanup(&l);
	collect(big, "https://a.example/", 1000, &l);
	assert_int_equal(l.n, SW_AN_LINKS_MAX);
	sw_an_links_cleanup(&l);
	collect(big, NULL, 5, &l);
	assert_int_equal(l.n, 0);
	collect(big, "https://a.example/", 0, &l);
	assert_int_equal(l.n, 0);
	free(big);
	assert_false(sw_an_link_crawlable("/signout"));
	assert_false(sw_an_link_crawlable("/a/b.docx?x=1"));
	assert_true(sw_an_link_crawlable("/a/b.html?file=x.pdf"));
}

/* The links come back from the sandboxed worker, bounded by max. */
static void test_through_worker(void **state)
{
	const char *html = "<html><body><a href='/a.html'>a</a><a href='/b.html'>b</a>"
			   "<a href='http://off.example/'>off</a></body></html>";
	struct sw_an_page page = {.url = "http://www.site.gov.cn/", .raw = html,
				  .raw_len = strlen(html), .text = html, .text_len = strlen(html),
				  .status = 200};
	struct sw_an_worker_limits lim;
	struct sw_an_links links = {.max = 1};
	struct sw_an_rules *rules = NULL;
	struct sw_an_input in;
	struct sw_findings fs;

	(void)state;
	assert_int_equal(sw_an_rules_load(NULL, &rules, NULL), SW_OK);
	sw_an_worker_limits_init(&lim);
	sw_an_input_init(&in);
	in.page = &page;
	in.links = &links;
	sw_findings_init(&fs);
	assert_int_equal(sw_an_worker_analyze(rules, &in, &lim, &fs, NULL), SW_OK);
	assert_int_equal(links.n, 1);
	assert_string_equal(links.v[0], "http://www.site.gov.cn/a.html");
	sw_an_links_cleanup(&links);
	links.max = 10;
	assert_int_equal(sw_an_worker_analyze(rules, &in, &lim, &fs, NULL), SW_OK);
	assert_int_equal(links.n, 2);
	assert_string_equal(links.v[1], "http://www.site.gov.cn/b.html");
	sw_an_links_cleanup(&links);
	/* Not asked for: none. */
	in.links = NULL;
	assert_int_equal(sw_an_worker_analyze(rules, &in, &lim, &fs, NULL), SW_OK);
	sw_findings_cleanup(&fs);
	sw_an_rules_free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule),
		cmocka_unit_test(test_base_and_bounds),
		cmocka_unit_test(test_through_worker),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
