/*
 * test_compliance.c - the compliance analyzer through sw_analyze: honest
 * government, SOE and university footers in the formats sites really use
 * must stay quiet; pages missing each mark, hiding it, or showing another
 * value than the register must be flagged; non-content pages are skipped.
 * Also the mark parsers of compliance_marks.c directly.
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
#include "analyze/compliance_marks.h"

static struct sw_an_rules *rules;

static int setup(void **state)
{
	struct sw_errbuf eb;

	(void)state;
	sw_errbuf_clear(&eb);
	if (sw_an_rules_load(NULL, &rules, &eb) != SW_OK) {
		fprintf(stderr, "rules: %s\n", eb.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sw_an_rules_free(rules);
	return 0;
}

/* A site the register knows nothing about. */
static const struct sw_an_site unknown = {.gov = -1};

/* Main part of a portal page: navigation and a news list, enough visible
 * text to be a content page. */
static const char body_main[] =
	"<div class=nav><a href=/>首页</a><a href=/zwgk/>政务公开</a><a href=/bsfw/>办事服务</a>"
	"<a href=/hdjl/>互动交流</a></div>"
	"<div class=news><h2>要闻动态</h2><ul>"
	"<li><a href=/a/1.html>市政府召开常务会议研究部署安全生产工作</a><span>2024-05-10</span></li>"
	"<li><a href=/a/2.html>我市召开优化营商环境工作推进会</a><span>2024-05-09</span></li>"
	"<li><a href=/a/3.html>关于做好2024年防汛抗旱工作的通知</a><span>2024-05-08</span></li>"
	"<li><a href=/a/4.html>市领导调研乡村振兴重点项目建设情况</a><span>2024-05-07</span></li>"
	"<li><a href=/a/5.html>政府信息公开工作年度报告</a><span>2024-05-06</span></li>"
	"</ul></div>";

/* Builds a page with title, main part and footer into a static buffer. */
static const char *page(const char *title, const char *main, const char *footer)
{
	static char buf[65536];

	snprintf(buf, sizeof buf,
		 "<!DOCTYPE html><html><head><meta charset=utf-8><title>%s</title></head>"
		 "<body><div class=header><h1>%s</h1></div>%s<div class=footer>%s</div></body></html>",
		 title, title, main, footer);
	return buf;
}

/* Runs every analyzer on html and keeps the findings in *out. */
static void analyze(const char *html, const char *url, long status, const struct sw_an_site *site,
		    struct sw_findings *out)
{
	struct sw_an_page pg = {.url = url, .raw = html, .raw_len = strlen(html), .text = html,
				.text_len = strlen(html), .status = status};
	struct sw_an_input in;
	struct sw_errbuf eb;

	sw_an_input_init(&in);
	in.page = &pg;
	in.site = site;
	sw_findings_init(out);
	assert_int_equal(sw_analyze(rules, &in, out, &eb), SW_OK);
}

/* The finding of kind key in f, or NULL. */
static const struct sw_finding *find(const struct sw_findings *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].kind->key, key) == 0)
			return &f->v[i];
	return NULL;
}

/* Number of compliance findings in f. */
static size_t ncompliance(const struct sw_findings *f)
{
	size_t k = 0;

	for (size_t i = 0; i < f->n; i++)
		k += strcmp(f->v[i].kind->family, "compliance") == 0;
	return k;
}

/* Prints the compliance findings (to see why a test failed). */
static void dump(const struct sw_findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].kind->family, "compliance") == 0)
			fprintf(stderr, "  %s: %s %s\n", f->v[i].kind->key, f->v[i].title,
				f->v[i].evidence ? f->v[i].evidence : "");
}

/* Asserts that the page yields no compliance finding. */
static void quiet(const char *html, const char *url, const struct sw_an_site *site)
{
	struct sw_findings f;

	analyze(html, url, 200, site, &f);
	if (ncompliance(&f))
		dump(&f);
	assert_int_equal(ncompliance(&f), 0);
	sw_findings_cleanup(&f);
}

/* Asserts that the page yields exactly the compliance findings of keys
 * (a NULL-terminated list); returns the evidence of the first in ev. */
static void flags(const char *html, const char *url, const struct sw_an_site *site,
		  const char *const *keys, char *ev, size_t evcap)
{
	struct sw_findings f;
	size_t n = 0;

	analyze(html, url, 200, site, &f);
	for (; keys[n]; n++) {
		const struct sw_finding *x = find(&f, keys[n]);

		if (x == NULL) {
			dump(&f);
			fail_msg("no %s", keys[n]);
		}
		if (n == 0 && ev)
			snprintf(ev, evcap, "%s %s", x->title, x->evidence ? x->evidence : "");
	}
	if (ncompliance(&f) != n)
		dump(&f);
	assert_int_equal(ncompliance(&f), n);
	sw_findings_cleanup(&f);
}

#define KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- honest footers ---------------------------------------------------------- */

/* Beijing style: sponsor and organiser, numbers in links, the badge
 * written by document.write(unescape(...)). */
static const char footer_bj[] =
	"<p>主办单位：北京市人民政府办公厅 承办单位：北京市政务服务管理局</p>"
	"<p><a href='https://beian.miit.gov.cn' target=_blank>京ICP备05060933号</a> "
	"<img src='/images/ga.png'><a href='http://www.beian.gov.cn/portal/registerSystemInfo?"
	"recordcode=11010502030143'>京公网安备 11010502030143号</a> 网站标识码：1100000088</p>"
	"<script type='text/javascript'>document.write(unescape(\"%3Cspan id='_ideConac' "
	"%3E%3C/span%3E%3Cscript src='http://dcs.conac.cn/js/01/000/0000/40408018/"
	"CA010000000404080180004.js' type='text/javascript'%3E%3C/script%3E\"));</script>";

/* Guangzhou style: a table, full-width digits and dash, a badge image
 * linked to bszs.conac.cn, "|" separators, colon after 公网安备. */
static const char footer_gz[] =
	"<table class=foot><tr><td><a href='http://bszs.conac.cn/sitename?method=show&amp;"
	"id=0A4C4B2C2B4A5E1DE053022819ACAB0B' target=_blank><img src='/images/red.png' "
	"alt='党政机关'></a></td><td>主办：广州市人民政府办公厅&nbsp;&nbsp;网站标识码：4401000071"
	"<br>粤ICP备０５０１７８１２号－１&nbsp;|&nbsp;粤公网安备：44010402000182号</td></tr></table>";

/* County style: label and code in separate spans, "网站主办", ICP with a
 * blank before the digits, protocol-relative badge script. */
static const char footer_county[] =
	"<div>网站主办：安吉县人民政府办公室 <span>网站标识码</span><span>3305230001</span></div>"
	"<div>浙ICP备 13011587号-2&emsp;浙公网安备 33052302000045号</div>"
	"<script type='text/javascript' src='//dcs.conac.cn/js/33/000/0000/60429971/"
	"CA330000000604299710001.js'></script>";

/* Ministry style: bm code, ICP licence and filing, numbers as images with
 * alt text, English colon. */
static const char footer_ministry[] =
	"<p>版权所有：中华人民共和国某某部 主办单位:某某部办公厅</p><p>网站标识码bm01000001 "
	"<img src='/icp.png' alt='京ICP备05070218号'> <img src='/ga.png' alt='京公网安备 "
	"11010202000001号'></p><p><a href='https://bszs.conac.cn/sitename?id=1'>"
	"<img src='/conac.png' alt='党政机关网站标识'></a></p>";

static void test_gov_footers_quiet(void **state)
{
	struct sw_an_site bj = {.gov = -1, .icp = "京ICP备05060933号",
				.psb = "京公网安备11010502030143号", .site_code = "1100000088",
				.org = "北京市人民政府办公厅"};
	struct sw_an_site gz = {.gov = 1, .icp = "粤ICP备05017812号",
				.psb = "粤公网安备 44010402000182号", .site_code = "4401000071",
				.org = "广州市人民政府办公厅"};

	(void)state;
	quiet(page("北京市人民政府门户网站", body_main, footer_bj), "https://www.beijing.gov.cn/", &bj);
	quiet(page("北京市人民政府门户网站", body_main, footer_bj), NULL, &unknown);
	quiet(page("广州市人民政府", body_main, footer_gz), "http://www.gz.gov.cn/", &gz);
	quiet(page("安吉县人民政府", body_main, footer_county), "http://www.anji.gov.cn/", &unknown);
	quiet(page("中华人民共和国某某部", body_main, footer_ministry), "http://www.mx.gov.cn/",
	      &unknown);
}

static void test_soe_university_quiet(void **state)
{
	static const char soe[] =
		"<div class=copy>中国石油天然气集团有限公司 版权所有 <a href='https://beian.miit.gov.cn/'>"
		"京ICP备05045063号-1</a> 京公网安备 11010202007806号</div>";
	static const char univ[] =
		"<p>Copyright &copy; 2024 清华大学 地址：北京市海淀区清华园 <a href='http://beian.miit"
		".gov.cn'>京ICP备15006448号</a> <a href='http://www.beian.gov.cn'><img src=/ga.png>"
		"京公网安备11010802020475号</a></p>";
	struct sw_an_site soe_site = {.gov = 0, .icp = "京ICP备05045063号",
				      .psb = "京公网安备 11010202007806号"};

	(void)state;
	quiet(page("中国石油天然气集团有限公司", body_main, soe), "http://www.cnpc.com.cn/", &soe_site);
	quiet(page("中国石油天然气集团有限公司", body_main, soe), NULL, &unknown);
	quiet(page("清华大学", body_main, univ), "https://www.tsinghua.edu.cn/", &unknown);
}

/* ---- missing marks ------------------------------------------------------------ */

static void test_missing_each(void **state)
{
	char ev[2048];

	(void)state;
	/* No ICP number on an SOE page. */
	flags(page("某某集团有限公司", body_main,
		   "<p>某某集团有限公司 版权所有 京公网安备 11010202007806号</p>"),
	      "http://www.mm.com.cn/", &unknown, KEYS("compliance.icp_missing"), ev, sizeof ev);
	assert_non_null(strstr(ev, "absent"));
	/* No PSB number on a university page. */
	flags(page("某某大学", body_main, "<p>版权所有 某某大学 京ICP备15006448号</p>"),
	      "http://www.mm.edu.cn/", &unknown, KEYS("compliance.psb_missing"), NULL, 0);
	/* Government pages: each of code, badge, sponsor removed in turn. */
	flags(page("安吉县人民政府", body_main,
		   "<div>网站主办：安吉县人民政府办公室</div><div>浙ICP备13011587号-2 浙公网安备 "
		   "33052302000045号</div><script src='//dcs.conac.cn/js/33/x.js'></script>"),
	      "http://www.anji.gov.cn/", &unknown, KEYS("compliance.site_code_missing"), NULL, 0);
	flags(page("安吉县人民政府", body_main,
		   "<div>网站主办：安吉县人民政府办公室 网站标识码：3305230001</div><div>浙ICP备"
		   "13011587号-2 浙公网安备 33052302000045号</div>"),
	      "http://www.anji.gov.cn/", &unknown, KEYS("compliance.badge_missing"), NULL, 0);
	flags(page("安吉县人民政府", body_main,
		   "<div>版权所有 网站标识码：3305230001</div><div>浙ICP备13011587号-2 浙公网安备 "
		   "33052302000045号</div><script src='//dcs.conac.cn/js/33/x.js'></script>"),
	      "http://www.anji.gov.cn/", &unknown, KEYS("compliance.org_missing"), NULL, 0);
	/* Everything gone from a government page found offline by its title. */
	flags(page("某某市人民政府门户网站", body_main, "<p>版权所有 某某市</p>"), NULL, &unknown,
	      KEYS("compliance.icp_missing", "compliance.psb_missing",
		   "compliance.site_code_missing", "compliance.badge_missing",
		   "compliance.org_missing"),
	      NULL, 0);
}

static void test_hidden_marks_do_not_count(void **state)
{
	char ev[2048];
	struct sw_an_site site = {.gov = 0, .icp = "京ICP备05045063号"};

	(void)state;
	flags(page("某某集团有限公司", body_main,
		   "<p>版权所有 京公网安备 11010202007806号</p><div style='display:none'>"
		   "京ICP备05045063号</div>"),
	      "http://www.mm.com.cn/", &site, KEYS("compliance.icp_missing"), ev, sizeof ev);
	assert_non_null(strstr(ev, "hidden-only"));
	assert_non_null(strstr(ev, "京ICP备05045063号"));
	/* A badge inside a hidden block is not shown either. */
	flags(page("安吉县人民政府", body_main,
		   "<div>网站主办：安吉县人民政府办公室 网站标识码：3305230001</div><div>浙ICP备"
		   "13011587号 浙公网安备 33052302000045号</div><div style='display:none'><script "
		   "src='//dcs.conac.cn/js/33/x.js'></script></div>"),
	      "http://www.anji.gov.cn/", &unknown, KEYS("compliance.badge_missing"), NULL, 0);
}

/* A sponsor word in a news notice far above the footer does not make a
 * government page without a sponsor line compliant. */
static void test_org_in_news_text(void **state)
{
	static char main_part[16384];
	size_t n = 0;

	(void)state;
	n += (size_t)snprintf(main_part + n, sizeof main_part - n,
			      "<div class=notice><p>关于举办2024年全市科普活动周的通知 主办单位：市科学技术协会 "
			      "活动时间：5月20日至26日</p></div>");
	for (int i = 0; i < 12; i++)
		n += (size_t)snprintf(main_part + n, sizeof main_part - n, "%s", body_main);
	flags(page("某某市人民政府", main_part,
		   "<p>网站标识码：3305230001 浙ICP备13011587号 浙公网安备 33052302000045号</p>"
		   "<script src='http://dcs.conac.cn/js/33/x.js'></script>"),
	      "http://www.mm.gov.cn/", &unknown, KEYS("compliance.org_missing"), NULL, 0);
}

/* A hacker's replacement page (short, green on black) shows no marks: it
 * is what the site serves, so it is flagged; a redirect stub is not. */
static void test_replaced_page(void **state)
{
	static const char hacked[] =
		"<html><head><meta charset=utf-8><title>Hacked By Sh4d0w</title></head><body "
		"bgcolor=black text=#00ff00><center><h1><font color=red>Hacked By Sh4d0w</font></h1>"
		"<h2>本站已被黑客入侵，请管理员尽快修补漏洞</h2><p>Your security is zero.</p></center>"
		"</body></html>";
	static const char stub[] =
		"<html><head><meta http-equiv=refresh content='0;url=/index.html'><title>某某大学"
		"</title></head><body>页面正在跳转，如果没有自动跳转，请点击这里进入学校主页面。"
		"Redirecting to the home page of the university, please wait.</body></html>";

	(void)state;
	flags(hacked, "http://www.mm.edu.cn/", &unknown,
	      KEYS("compliance.icp_missing", "compliance.psb_missing"), NULL, 0);
	quiet(stub, "http://www.mm.edu.cn/", &unknown);
}

/* ---- register mismatches ------------------------------------------------------ */

static void test_mismatches(void **state)
{
	char ev[2048];
	struct sw_an_site bj = {.gov = 1, .icp = "京ICP备05060934号",
				.psb = "京公网安备 11010502030143号", .site_code = "1100000088",
				.org = "北京市人民政府办公厅"};
	struct sw_an_site ok_sub = {.gov = 1, .icp = "京ICP备05060933号-2",
				    .psb = "京公网安备11010502030143号", .site_code = "1100000088",
				    .org = "北京市人民政府办公厅"};
	struct sw_an_site psb = {.gov = 1, .icp = "京ICP备05060933号",
				 .psb = "京公网安备 11010502030999号", .site_code = "１１００００００８８",
				 .org = "北京市 人民政府办公厅"};
	struct sw_an_site code = {.gov = 1, .icp = "京ICP备05060933号",
				  .psb = "京公网安备 11010502030143号", .site_code = "1100000099",
				  .org = "北京市人民政府办公厅"};
	struct sw_an_site org = {.gov = 1, .icp = "京ICP备05060933号",
				 .psb = "京公网安备 11010502030143号", .site_code = "1100000088",
				 .org = "北京市发展和改革委员会"};
	const char *html = page("北京市人民政府门户网站", body_main, footer_bj);

	(void)state;
	flags(html, "https://www.beijing.gov.cn/", &bj, KEYS("compliance.icp_mismatch"), ev,
	      sizeof ev);
	assert_non_null(strstr(ev, "京ICP备05060933号"));
	assert_non_null(strstr(ev, "京ICP备05060934号"));
	/* The -N suffix numbers a sub-site: the base number matches. */
	quiet(html, "https://www.beijing.gov.cn/", &ok_sub);
	flags(html, "https://www.beijing.gov.cn/", &psb, KEYS("compliance.psb_mismatch"), ev,
	      sizeof ev);
	assert_non_null(strstr(ev, "11010502030999"));
	flags(html, "https://www.beijing.gov.cn/", &code, KEYS("compliance.site_code_mismatch"),
	      NULL, 0);
	flags(html, "https://www.beijing.gov.cn/", &org, KEYS("compliance.org_mismatch"), ev,
	      sizeof ev);
	assert_non_null(strstr(ev, "北京市人民政府办公厅"));
}

/* ---- pages that are not checked ------------------------------------------------ */

static void test_skipped_pages(void **state)
{
	struct sw_findings f;

	(void)state;
	quiet("<html><head><title>跳转中</title></head><body>正在跳转……</body></html>", NULL, &unknown);
	quiet(page("404 页面不存在", body_main, "<p>抱歉，您访问的页面不存在</p>"), NULL, &unknown);
	/* A directory listing is what every visitor gets: it is checked. */
	analyze(page("Index of /upload/", "<pre><a href='../'>../</a>\n<a href='a.doc'>a.doc</a>"
		     "                                    10-May-2024 10:00      123456\n</pre>"
		     "<pre>" "long listing long listing long listing long listing long listing long "
		     "listing long listing long listing long listing long listing long listing</pre>",
		     ""),
		"http://www.mm.com.cn/upload/", 200, &unknown, &f);
	assert_true(ncompliance(&f) > 0);
	sw_findings_cleanup(&f);
	analyze(page("某某集团", body_main, "<p>无</p>"), "http://www.mm.com.cn/x", 404, &unknown, &f);
	assert_int_equal(ncompliance(&f), 0);
	sw_findings_cleanup(&f);
}

/* ---- the parsers ------------------------------------------------------------- */

/* Parses the first anchor lit in t with parser fn. */
static int parse_at(int (*fn)(const char *, size_t, size_t, size_t, struct sw__cm_val *),
		    const char *t, const char *lit, struct sw__cm_val *v)
{
	const char *a = strstr(t, lit);

	assert_non_null(a);
	return fn(t, strlen(t), (size_t)(a - t), strlen(lit), v);
}

static void test_parsers(void **state)
{
	struct sw__cm_val v;
	char key[128];

	(void)state;
	assert_true(parse_at(sw__cm_icp, "备案：京ＩＣＰ备０５０７０２１８号－１ 其他", "ＩＣＰ", &v));
	assert_string_equal(v.key, "京ICP备05070218");
	assert_string_equal(v.shown, "京ICP备05070218号-1");
	assert_true(parse_at(sw__cm_icp, "京 icp 备 05070218 号", "icp", &v));
	assert_string_equal(v.key, "京ICP备05070218");
	assert_true(parse_at(sw__cm_icp, "京ICP证030173号", "ICP", &v));
	assert_string_equal(v.key, "京ICP证030173");
	assert_true(parse_at(sw__cm_icp, "沪ICP备2021012345号-3", "ICP", &v));
	assert_string_equal(v.key, "沪ICP备2021012345");
	assert_true(parse_at(sw__cm_icp, "ICP备案号：京05070218号", "ICP", &v));
	assert_string_equal(v.key, "京ICP备05070218");
	/* A label followed by the full number: the second anchor reads it. */
	assert_false(parse_at(sw__cm_icp, "ICP备案号：京ICP备05070218号", "ICP", &v));
	assert_false(parse_at(sw__cm_icp, "ICP备案查询", "ICP", &v));
	assert_false(parse_at(sw__cm_icp, "ICP", "ICP", &v));
	assert_true(parse_at(sw__cm_psb, "京公网安备：１１０１０５０２０３０１４３号", "网安备", &v));
	assert_string_equal(v.key, "11010502030143");
	assert_string_equal(v.shown, "京公网安备 11010502030143号");
	assert_true(parse_at(sw__cm_psb, "京公安网安备11010502030143", "网安备", &v));
	assert_true(parse_at(sw__cm_psb, "公安备案号：11010502030143", "公安备案", &v));
	assert_false(parse_at(sw__cm_psb, "公安备案号：京公网安备11010502030143号", "公安备案", &v));
	assert_true(parse_at(sw__cm_code, "网站标识码：BM01000001", "网站标识码", &v));
	assert_string_equal(v.key, "bm01000001");
	assert_false(parse_at(sw__cm_code, "网站标识码：京ICP备", "网站标识码", &v));
	assert_true(sw__cm_org("主办：某某市人民政府办公室承办：某某中心", strlen("主办：某某市人民政府办公室承办：某某中心"),
			       0, strlen("主办"), 1, &v));
	assert_string_equal(v.key, "某某市人民政府办公室");
	assert_false(sw__cm_org("由市政府主办的活动", strlen("由市政府主办的活动"), strlen("由市政府"),
				strlen("主办"), 1, &v));
	assert_true(sw__cm_icp_key("京ICP备05070218号-1", key, sizeof key));
	assert_string_equal(key, "京ICP备05070218");
	assert_true(sw__cm_psb_key("11010502030143", key, sizeof key));
	assert_string_equal(key, "11010502030143");
	assert_true(sw__cm_code_key(" bm01000001 ", key, sizeof key));
	assert_string_equal(key, "bm01000001");
	assert_false(sw__cm_icp_key("", key, sizeof key));
	assert_false(sw__cm_icp_key(NULL, key, sizeof key));
	assert_true(sw__cm_icp_same("ICP备05070218", "京ICP备05070218"));
	assert_false(sw__cm_icp_same("粤ICP备05070218", "京ICP备05070218"));
	assert_true(sw__cm_org_same("某某市人民政府办公室", "某某市人民政府"));
	assert_false(sw__cm_org_same("某某局", "某某局办公室"));
}

/* Truncated and broken input never reads past the end. */
static void test_parsers_hostile(void **state)
{
	static const char *const cases[] = {"京ICP备", "京ICP备０", "\xE4\xBA", "ICP\xFF\xFE",
					    "网安备\xEF\xBC", "主办：\xE4"};
	struct sw__cm_val v;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = strlen(cases[i]);
		char *c = malloc(n); /* exactly n bytes: ASan sees any over-read */

		memcpy(c, cases[i], n);
		sw__cm_icp(c, n, 0, n < 3 ? n : 3, &v);
		sw__cm_psb(c, n, 0, n < 9 ? n : 9, &v);
		sw__cm_code(c, n, 0, n, &v);
		sw__cm_org(c, n, 0, n < 6 ? n : 6, 0, &v);
		free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gov_footers_quiet),
		cmocka_unit_test(test_soe_university_quiet),
		cmocka_unit_test(test_missing_each),
		cmocka_unit_test(test_hidden_marks_do_not_count),
		cmocka_unit_test(test_org_in_news_text),
		cmocka_unit_test(test_replaced_page),
		cmocka_unit_test(test_mismatches),
		cmocka_unit_test(test_skipped_pages),
		cmocka_unit_test(test_parsers),
		cmocka_unit_test(test_parsers_hostile),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
