/*
 * test_darklink.c - dark links and cloaking: every hiding technique with
 * spam links is reported with its technique and target; honest hidden
 * links (menus, tabs, skip links, analytics badges) are not.
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

#define FOOT "<p>主办单位：某县人民政府办公室 京ICP备05070218号 京公网安备 11010502030143号 网站标识码：1100000001</p>"

/* Findings of family fam on page html (body part) at URL. */
static size_t run_page(const char *body, const char *spider, struct sw_findings *fs)
{
	char html[16384], sp[16384];
	struct sw_an_page pg = {.url = "http://www.example.gov.cn/"}, sg = pg;
	struct sw_an_input in;

	snprintf(html, sizeof html, "<html><head><title>某县人民政府</title></head><body>"
		 "<div class=nav><a href='/'>首页</a></div>%s" FOOT "</body></html>", body);
	pg.raw = pg.text = html;
	pg.raw_len = pg.text_len = strlen(html);
	sw_an_input_init(&in);
	in.page = &pg;
	if (spider) {
		snprintf(sp, sizeof sp, "%s", spider);
		sg.raw = sg.text = sp;
		sg.raw_len = sg.text_len = strlen(sp);
		in.as_spider = &sg;
	}
	sw_findings_init(fs);
	assert_int_equal(sw_analyze(rules, &in, fs, NULL), SW_OK);
	return fs->n;
}

/* The first finding of key, or NULL. */
static const struct sw_finding *find(const struct sw_findings *fs, const char *key)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].kind->key, key) == 0)
			return &fs->v[i];
	return NULL;
}

static void expect(const char *body, const char *technique)
{
	struct sw_findings fs;
	const struct sw_finding *f;

	run_page(body, NULL, &fs);
	f = find(&fs, "darklink.hidden_link");
	if (!f)
		fail_msg("no dark link in: %s", body);
	assert_non_null(strstr(f->evidence, technique));
	assert_non_null(strstr(f->evidence, "\"domain\":\"bet.example.com\""));
	sw_findings_cleanup(&fs);
}

static void quiet(const char *body)
{
	struct sw_findings fs;

	run_page(body, NULL, &fs);
	for (size_t i = 0; i < fs.n; i++)
		if (strcmp(fs.v[i].kind->family, "darklink") == 0)
			fail_msg("false dark link %s in: %s", fs.v[i].title, body);
	sw_findings_cleanup(&fs);
}

#define SPAM "<a href='http://bet.example.com/'>澳门葡京百家乐</a><a href='http://sf.example.net/'>传奇私服</a>"

static void test_techniques(void **state)
{
	(void)state;
	expect("<div style='display:none'>" SPAM "</div>", "display-none");
	expect("<div style='position:absolute;top:-999px;left:-999px'>" SPAM "</div>", "offscreen");
	expect("<p style='text-indent:-9999px'>" SPAM "</p>", "text-indent");
	expect("<div style='height:0;overflow:hidden'>" SPAM "</div>", "zero-size");
	expect("<span style='font-size:0px'>" SPAM "</span>", "font-size-0");
	expect("<div style='background:#fff'><a style='color:#ffffff' href='http://bet.example.com/'>百家乐</a></div>",
	       "same-color");
	expect("<marquee width=1 height=1 scrollamount=9999>" SPAM "</marquee>", "zero-size-marquee");
	expect("<style>.lk{display:none}</style><div class='lk'>" SPAM "</div>", "display-none");
	expect("<div id=hh>" SPAM "</div><script>var e=document.getElementById('hh');"
	       "e.style.display='none';</script>", "script-hidden");
	expect("<script>document.write('<div style=\"position:absolute;left:-3000px\">"
	       "<a href=\"http://bet.example.com/\">\\u767e\\u5bb6\\u4e50</a>' + '</div>');</script>",
	       "script-written:offscreen");
	expect("<noscript>" SPAM "</noscript>", "noscript");
	/* A block a script opens around static links and closes after them. */
	expect("<script>document.write('<div style=\"display:none\">');</script>" SPAM
	       "<script>document.write('</div>');</script>", "script-hidden");
	/* Only the text hidden inside a visible link. */
	expect("<a href='http://bet.example.com/'><span style='font-size:0'>百家乐</span></a>", "font-size-0");
}

static void test_honest(void **state)
{
	(void)state;
	/* Drop-down menus, tab panels, skip links: same site. */
	quiet("<ul class=menu><li><a href='/zwgk/'>政务公开</a><ul style='display:none'>"
	      "<li><a href='/zwgk/a/'>通知公告</a></li><li><a href='http://www.example.gov.cn/b/'>政策</a></li></ul></li></ul>");
	quiet("<a class=skip href='#main' style='position:absolute;left:-10000px'>跳到主要内容</a>");
	/* Hidden links to other government and media sites. */
	quiet("<div class=yqlj style='display:none'><a href='http://www.gov.cn/'>中国政府网</a>"
	      "<a href='http://www.people.com.cn/'>人民网</a><a href='http://www.xinhuanet.com/'>新华网</a>"
	      "<a href='http://www.other.gov.cn/'>某省政府</a></div>");
	/* A hidden drop-down of partners without spam words. */
	quiet("<div style='display:none'><a href='http://www.partner-a.com/'>合作单位一</a>"
	      "<a href='http://www.partner-b.com/'>合作单位二</a><a href='http://www.partner-c.com/'>合作单位三</a></div>");
	/* Analytics badge in noscript. */
	quiet("<noscript><a href='https://www.cnzz.com/stat/website.php?web_id=1'><img src='x.gif'></a></noscript>");
	/* Visible links, however spammy, are not dark links. */
	quiet("<p>" SPAM "</p>");
	/* A small negative offset is layout. */
	quiet("<div style='position:relative;left:-20px'>" SPAM "</div>");
}

static void test_cloaking(void **state)
{
	struct sw_findings fs;

	(void)state;
	run_page("", "<html><head><title>百家乐在线</title></head><body>" SPAM "</body></html>", &fs);
	assert_non_null(find(&fs, "darklink.cloaking"));
	sw_findings_cleanup(&fs);
	/* The same page for the spider: nothing. */
	run_page("", "<html><head><title>某县人民政府</title></head><body><div class=nav><a href='/'>首页</a></div>"
		 FOOT "</body></html>", &fs);
	assert_null(find(&fs, "darklink.cloaking"));
	sw_findings_cleanup(&fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_techniques),
		cmocka_unit_test(test_honest),
		cmocka_unit_test(test_cloaking),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
