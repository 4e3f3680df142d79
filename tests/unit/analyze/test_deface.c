/*
 * test_deface.c - the defacement analyzer and its baseline: a realistic
 * city portal learned from three fetches whose news lists, dates, counter
 * and carousel differ; each kind of tampering must be caught, honest
 * updates (also against a single-version baseline) and a police notice
 * about 黑客攻击 must stay quiet; the blob must round-trip and reject
 * damage.
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
#include "analyze/deface.h"

static struct sw_an_rules *rules;

/* The parts of the portal that change between fetches or attacks. */
struct portal {
	const char *title;
	const char *date;
	const char *news;     /* <li> items */
	const char *notices;  /* <li> items */
	const char *slide;    /* carousel picture number */
	const char *counter;
	const char *logo;     /* logo src */
	const char *intro;    /* the stable introduction paragraph */
	const char *inject;   /* markup put after the header */
	const char *active;   /* class of the first nav item */
};

static const char intro_text[] =
	"某某市位于某某省东部沿海，是国务院批复确定的长江三角洲南翼重要的中心城市之一，"
	"全市下辖六个区、两个县级市和一个县，总面积九千八百平方公里。"
	"近年来，市委、市政府坚持以人民为中心的发展思想，深入推进数字政府建设，"
	"持续优化营商环境，全面提升公共服务水平，城市综合实力不断增强。";

static const char news1[] =
	"<li><a href=\"/art/2024/5/6/1.html\">市政府召开第三十次常务会议</a><span>2024-05-06</span></li>"
	"<li><a href=\"/art/2024/5/5/2.html\">我市召开优化营商环境推进大会</a><span>2024-05-05</span></li>"
	"<li><a href=\"/art/2024/5/4/3.html\">全市安全生产工作会议召开</a><span>2024-05-04</span></li>"
	"<li><a href=\"/art/2024/5/3/4.html\">市领导调研数字政府建设工作</a><span>2024-05-03</span></li>";
static const char news2[] =
	"<li><a href=\"/art/2024/5/7/5.html\">我市举行重大项目集中开工活动</a><span>2024-05-07</span></li>"
	"<li><a href=\"/art/2024/5/6/1.html\">市政府召开第三十次常务会议</a><span>2024-05-06</span></li>"
	"<li><a href=\"/art/2024/5/5/2.html\">我市召开优化营商环境推进大会</a><span>2024-05-05</span></li>"
	"<li><a href=\"/art/2024/5/4/3.html\">全市安全生产工作会议召开</a><span>2024-05-04</span></li>";
static const char news3[] =
	"<li><a href=\"/art/2024/5/8/6.html\">市委理论学习中心组举行专题学习</a><span>2024-05-08</span></li>"
	"<li><a href=\"/art/2024/5/7/5.html\">我市举行重大项目集中开工活动</a><span>2024-05-07</span></li>"
	"<li><a href=\"/art/2024/5/6/1.html\">市政府召开第三十次常务会议</a><span>2024-05-06</span></li>"
	"<li><a href=\"/art/2024/5/5/2.html\">我市召开优化营商环境推进大会</a><span>2024-05-05</span></li>";
static const char news4[] =
	"<li><a href=\"/art/2024/5/9/7.html\">关于防范电信网络诈骗的提醒</a><span>2024-05-09</span></li>"
	"<li><a href=\"/art/2024/5/9/8.html\">我市召开网络安全工作会议 部署防范黑客攻击工作</a><span>2024-05-09</span></li>"
	"<li><a href=\"/art/2024/5/8/6.html\">市委理论学习中心组举行专题学习</a><span>2024-05-08</span></li>"
	"<li><a href=\"/art/2024/5/7/5.html\">我市举行重大项目集中开工活动</a><span>2024-05-07</span></li>";
static const char notices1[] =
	"<li><a href=\"/tz/1.html\">关于2024年劳动节放假安排的通知</a></li>"
	"<li><a href=\"/tz/2.html\">关于开展市级文明单位评选的公示</a></li>"
	"<li><a href=\"/tz/3.html\">某某市2024年公开招聘事业单位工作人员公告</a></li>";
static const char notices2[] =
	"<li><a href=\"/tz/4.html\">关于征求《某某市养老服务条例（草案）》意见的公告</a></li>"
	"<li><a href=\"/tz/1.html\">关于2024年劳动节放假安排的通知</a></li>"
	"<li><a href=\"/tz/2.html\">关于开展市级文明单位评选的公示</a></li>";
static const char notices3[] =
	"<li><a href=\"/tz/5.html\">某某市政府信息公开工作年度报告</a></li>"
	"<li><a href=\"/tz/6.html\">关于调整部分公交线路的通告</a></li>"
	"<li><a href=\"/tz/4.html\">关于征求《某某市养老服务条例（草案）》意见的公告</a></li>";

static const struct portal v1 = {"某某市人民政府门户网站", "2024年5月6日 星期一", news1, notices1,
	"1", "1023456", "/images/logo.png", intro_text, "", "on"};
static const struct portal v2 = {"某某市人民政府门户网站", "2024年5月7日 星期二", news2, notices2,
	"2", "1024011", "/images/logo.png", intro_text, "", "cur"};
static const struct portal v3 = {"某某市人民政府门户网站", "2024年5月8日 星期三", news3, notices3,
	"3", "1025187", "/images/logo.png", intro_text, "", "on"};
/* The honest next fetch: everything dynamic moved on. */
static const struct portal v4 = {"某某市人民政府门户网站", "2024年5月9日 星期四", news4, notices3,
	"4", "1026500", "/images/logo.png", intro_text, "", "active"};

/* Renders a portal page; the caller frees it. */
static char *render(const struct portal *p)
{
	static const char fmt[] =
		"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title>"
		"<link rel=\"stylesheet\" href=\"/css/style.css\">"
		"<script src=\"https://hm.baidu.com/hm.js?0a1b2c\"></script></head><body>"
		"<div class=\"top\"><div class=\"wrap\"><span class=\"date\">今天是：%s</span>"
		"<a href=\"/en/\">English</a> <a href=\"/wza/\">无障碍浏览</a> <a href=\"/m/\">手机版</a></div></div>"
		"<div class=\"header\"><div class=\"logo\"><a href=\"/\"><img src=\"%s\" alt=\"某某市人民政府\"></a></div>"
		"<div class=\"search\"><form action=\"/search\"><input name=\"q\"><button>搜索</button></form></div></div>"
		"%s"
		"<div class=\"nav\"><ul><li class=\"%s\"><a href=\"/\">首页</a></li><li><a href=\"/zwgk/\">政务公开</a></li>"
		"<li><a href=\"/zwfw/\">政务服务</a></li><li><a href=\"/hdjl/\">互动交流</a></li>"
		"<li><a href=\"/zjmm/\">走进某某</a></li></ul></div>"
		"<div class=\"banner\"><div class=\"slide\"><ul><li><a href=\"/zt/%s.html\"><img src=\"/images/slide%s.jpg\"></a>"
		"<p>专题：奋进新征程 建功新时代（%s）</p></li></ul></div></div>"
		"<div class=\"main\"><div class=\"intro\"><h2>市情概况</h2><p>%s</p></div>"
		"<div class=\"news\"><h2>政务要闻</h2><ul class=\"list\">%s</ul></div>"
		"<div class=\"notice\"><h2>通知公告</h2><ul class=\"list\">%s</ul></div>"
		"<div class=\"service\"><h2>办事服务</h2>"
		"<p>个人办事：户籍办理、社保查询、公积金提取、不动产登记、医保报销、出入境证件办理。</p>"
		"<p>法人办事：企业开办、工程建设项目审批、税务登记、招标投标、知识产权、人才引进。</p>"
		"<p>政务服务热线：12345，二十四小时受理咨询、投诉、求助和建议。</p></div></div>"
		"<div class=\"footer\"><p>主办单位：某某市人民政府办公室　承办单位：某某市大数据发展管理局</p>"
		"<p>网站标识码：3302000001 <a href=\"https://beian.miit.gov.cn\">浙ICP备05012345号</a>"
		" 浙公网安备 33020302000123号</p><p>您是本站第%s位访问者</p>"
		"<script src=\"https://dcs.conac.cn/js/33/000/0000/60000000/CA330000000600000000002.js\"></script>"
		"</div></body></html>";
	char *out = malloc(32768);

	assert_non_null(out);
	snprintf(out, 32768, fmt, p->title, p->date, p->logo, p->inject, p->active, p->slide,
		 p->slide, p->slide, p->intro, p->news, p->notices, p->counter);
	return out;
}

static struct sw_doc *parse(const char *html)
{
	struct sw_doc *d = NULL;

	assert_int_equal(sw_doc_parse(html, strlen(html), NULL, &d, NULL), SW_OK);
	return d;
}

/* Learns a baseline from n portal versions. */
static struct sw_baseline *learn(const struct portal *const *v, size_t n)
{
	const struct sw_doc *docs[8];
	char *html[8];
	struct sw_baseline *b = NULL;
	struct sw_errbuf eb;

	for (size_t i = 0; i < n; i++) {
		html[i] = render(v[i]);
		docs[i] = parse(html[i]);
	}
	assert_int_equal(sw_baseline_learn(docs, n, &b, &eb), SW_OK);
	for (size_t i = 0; i < n; i++) {
		sw_doc_free((struct sw_doc *)docs[i]);
		free(html[i]);
	}
	return b;
}

static struct sw_baseline *learn3(void)
{
	const struct portal *v[] = {&v1, &v2, &v3};

	return learn(v, 3);
}

static struct sw_baseline *learn1(void)
{
	const struct portal *v[] = {&v3};

	return learn(v, 1);
}

/* Analyses html against b (may be NULL) into f (initialised here). */
static void analyze(const char *html, const struct sw_baseline *b, struct sw_findings *f)
{
	struct sw_an_page pg = {.url = "https://www.example.gov.cn/", .raw = html,
		.raw_len = strlen(html), .text = html, .text_len = strlen(html)};
	struct sw_an_input in;
	struct sw_errbuf eb;

	sw_an_input_init(&in);
	in.page = &pg;
	in.base = b;
	sw_findings_init(f);
	assert_int_equal(sw_analyze(rules, &in, f, &eb), SW_OK);
}

static int has(const struct sw_findings *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].kind->key, key))
			return 1;
	return 0;
}

static size_t n_deface(const struct sw_findings *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		if (!strncmp(f->v[i].kind->key, "defacement.", 11)) {
			n++;
			print_message("  %s: %s %s\n", f->v[i].kind->key, f->v[i].title,
				      f->v[i].evidence ? f->v[i].evidence : "");
		}
	return n;
}

/* Defacement keys found on portal p against b, as "key key ...". */
static void check_portal(const struct portal *p, const struct sw_baseline *b,
			 const char *const *want, size_t nwant)
{
	char *html = render(p);
	struct sw_findings f;

	analyze(html, b, &f);
	for (size_t i = 0; i < nwant; i++)
		if (!has(&f, want[i])) {
			n_deface(&f);
			fail_msg("missing %s", want[i]);
		}
	if (!nwant && n_deface(&f))
		fail_msg("honest page flagged");
	sw_findings_cleanup(&f);
	free(html);
}

static int setup(void **state)
{
	struct sw_errbuf eb;

	(void)state;
	if (sw_an_rules_load(NULL, &rules, &eb) != SW_OK) {
		print_error("%s\n", eb.msg);
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

static void test_honest_updates(void **state)
{
	struct sw_baseline *b3 = learn3(), *b1 = learn1();
	struct portal same_day = v3;

	(void)state;
	/* The next fetch: news, notices, date, counter, carousel, nav state. */
	check_portal(&v4, b3, NULL, 0);
	check_portal(&v4, b1, NULL, 0);
	/* The very versions learned from. */
	check_portal(&v1, b3, NULL, 0);
	check_portal(&v3, b1, NULL, 0);
	/* Only the counter and the date moved. */
	same_day.counter = "1025999";
	same_day.date = "2024年5月8日 星期三";
	check_portal(&same_day, b1, NULL, 0);
	sw_baseline_free(b3);
	sw_baseline_free(b1);
}

static void test_title(void **state)
{
	struct sw_baseline *b = learn3();
	struct portal p = v4;
	const char *want_t[] = {"defacement.title"};
	const char *want_ts[] = {"defacement.title", "defacement.signature"};

	(void)state;
	p.title = "欢迎光临 澳门新葡京 官方网站";
	check_portal(&p, b, want_t, 1);
	p.title = "Hacked By Sh3ll Team";
	check_portal(&p, b, want_ts, 2);
	/* Blanks and digits in the title are not a change. */
	p.title = " 某某市人民政府 门户网站 ";
	check_portal(&p, b, NULL, 0);
	sw_baseline_free(b);
}

static const char hacker_page[] =
	"<html><head><title>Hacked by BlackShadow</title></head>"
	"<body bgcolor=\"black\"><center><img src=\"https://i.imgur.example/skull.gif\">"
	"<h1><font color=\"red\">Hacked By BlackShadow Team</font></h1>"
	"<p><font color=\"white\">Your security is low, admin. Patch your system!</font></p>"
	"<marquee>Greetz: all my brothers</marquee></center></body></html>";

static const char cn_hacker_page[] =
	"<html><head><meta charset=\"utf-8\"><title>网站被黑</title></head>"
	"<body style=\"background:#000;color:#0f0\"><center><h1>此站已被某某黑客联盟入侵</h1>"
	"<p>管理员你好，你的网站存在严重漏洞，请尽快修补。本次检测无恶意，没有删除任何数据。</p>"
	"<p>交流QQ: 123456789</p></center></body></html>";

/* Replaced by something with no hacker words at all. */
static const char other_page[] =
	"<html><head><meta charset=\"utf-8\"><title>某某市人民政府门户网站</title></head>"
	"<body><div id=\"box\"><h1>精彩内容马上呈现</h1><p>请稍候，正在为您跳转到新的页面。</p>"
	"<p>联系客服获取更多优惠信息，每日签到送好礼，新用户注册即送体验金。</p></div></body></html>";

static void test_replaced(void **state)
{
	struct sw_baseline *b = learn3();
	struct sw_findings f;

	(void)state;
	analyze(hacker_page, b, &f);
	assert_true(has(&f, "defacement.replaced"));
	assert_true(has(&f, "defacement.signature"));
	assert_true(has(&f, "defacement.title"));
	sw_findings_cleanup(&f);
	analyze(cn_hacker_page, b, &f);
	assert_true(has(&f, "defacement.replaced"));
	assert_true(has(&f, "defacement.signature"));
	sw_findings_cleanup(&f);
	analyze(other_page, b, &f);
	assert_true(has(&f, "defacement.replaced"));
	assert_false(has(&f, "defacement.title"));
	sw_findings_cleanup(&f);
	sw_baseline_free(b);
}

/* Overwrites the first from in s with to (same byte length). */
static void replace(char *s, const char *from, const char *to)
{
	char *p = strstr(s, from);

	assert_non_null(p);
	assert_int_equal(strlen(from), strlen(to));
	memcpy(p, to, strlen(to));
}

static void test_content(void **state)
{
	struct sw_baseline *b = learn3();
	char *html = render(&v4);
	struct sw_findings f;
	struct portal q = v4;

	(void)state;
	/* The introduction and the service texts rewritten, layout kept. */
	q.intro = "本网站内容已被更改。这里的文字与原来的市情概况完全不同，"
		  "讲述的是另外一件事情，和政府网站的内容没有任何关系，"
		  "篡改者把所有的稳定文字都换掉了，只保留了页面的框架和样式。";
	free(html);
	html = render(&q);
	/* ... and the service paragraphs too, each by text of the same size. */
	replace(html, "个人办事", "无关文字");
	replace(html, "法人办事", "其他内容");
	replace(html, "政务服务热线", "随便写点什么");
	analyze(html, b, &f);
	if (!has(&f, "defacement.content")) {
		n_deface(&f);
		fail_msg("content change missed");
	}
	assert_false(has(&f, "defacement.replaced"));
	sw_findings_cleanup(&f);
	free(html);
	sw_baseline_free(b);
}

static void test_banner(void **state)
{
	struct sw_baseline *b = learn3();
	struct portal p = v4;
	const char *want[] = {"defacement.banner"};

	(void)state;
	p.inject = "<div style=\"background:red;color:#fff;text-align:center;font-size:28px\">"
		   "<marquee>本网站存在严重漏洞，请管理员尽快修补！ 安全检测 QQ:87654321</marquee></div>";
	check_portal(&p, b, want, 1);
	p.inject = "<div class=\"tip\"><h1>Hacked by Sh3ll Team — Your security is low</h1></div>";
	check_portal(&p, b, want, 1);
	p.inject = "<div class=\"tip\"><h2>钓鱼岛是中国的！打倒一切侵略者！</h2></div>";
	check_portal(&p, b, want, 1);
	/* An honest new notice strip about a vulnerability fix stays quiet. */
	p.inject = "<div class=\"tip\"><p>系统升级通知：本网站将于今晚进行漏洞修复，届时暂停服务。</p></div>";
	check_portal(&p, b, NULL, 0);
	sw_baseline_free(b);
}

static void test_image(void **state)
{
	struct sw_baseline *b = learn3(), *b1 = learn1();
	struct portal p = v4;
	const char *want[] = {"defacement.image"};

	(void)state;
	p.logo = "http://evil.example/hacked.jpg";
	check_portal(&p, b, want, 1);
	check_portal(&p, b1, want, 1);
	/* The same logo with a cache-busting query is the same picture. */
	p.logo = "/images/logo.png?v=20240509";
	check_portal(&p, b, NULL, 0);
	sw_baseline_free(b);
	sw_baseline_free(b1);
}

/* A police notice: talks about hackers and intrusions, honestly. */
static const char police_notice[] =
	"<html><head><meta charset=\"utf-8\"><title>关于防范黑客攻击和网络入侵的通知_某某市公安局</title></head><body>"
	"<div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/jwgk/\">警务公开</a> <a href=\"/bsfw/\">办事服务</a>"
	" <a href=\"/jmhd/\">警民互动</a> <a href=\"/aqts/\">安全提示</a> <a href=\"/tzgg/\">通知公告</a>"
	" <a href=\"/wzdt/\">网站地图</a> <a href=\"/lxwm/\">联系我们</a></div>"
	"<div class=\"article\"><h1>关于防范黑客攻击和网络入侵的通知</h1><p>各单位：</p>"
	"<p>近期，境外黑客组织频繁对我市党政机关网站发起攻击，部分网站被黑客入侵后遭篡改、挂黑页。"
	"为切实做好网络安全防护工作，现就有关事项通知如下：</p>"
	"<p>一、各单位要立即组织排查网站漏洞，及时修补系统补丁，修改弱口令，防止被黑客提权。</p>"
	"<p>二、网站管理员要加强日常巡查，发现网页被篡改或被黑等情况，立即断网并向公安机关报告。</p>"
	"<p>三、严禁使用来源不明的网站管理插件，防范入侵风险。</p>"
	"<p class=\"date\">某某市公安局网络安全保卫支队　2024年5月9日</p></div>"
	"<div class=\"footer\">主办：某某市公安局　<a href=\"https://beian.miit.gov.cn\">浙ICP备05012345号</a></div>"
	"</body></html>";

static void test_signature_without_baseline(void **state)
{
	struct sw_findings f;
	struct portal p = v4;
	char *html;

	(void)state;
	analyze(hacker_page, NULL, &f);
	assert_true(has(&f, "defacement.signature"));
	assert_false(has(&f, "defacement.replaced")); /* needs a baseline */
	sw_findings_cleanup(&f);
	analyze(cn_hacker_page, NULL, &f);
	assert_true(has(&f, "defacement.signature"));
	sw_findings_cleanup(&f);
	/* A short page with weak words only. */
	analyze("<html><head><title>by 小黑</title></head><body><center><h2>黑客 到此一游</h2>"
		"<p>管理员请注意网站漏洞</p></center></body></html>", NULL, &f);
	assert_true(has(&f, "defacement.signature"));
	sw_findings_cleanup(&f);
	/* A full portal with an injected strong phrase. */
	p.inject = "<div><h1>Hacked by Sh3ll Team</h1></div>";
	html = render(&p);
	analyze(html, NULL, &f);
	assert_true(has(&f, "defacement.signature"));
	sw_findings_cleanup(&f);
	free(html);
	/* Honest pages. */
	analyze(police_notice, NULL, &f);
	assert_int_equal(n_deface(&f), 0);
	sw_findings_cleanup(&f);
	html = render(&v4);
	analyze(html, NULL, &f);
	assert_int_equal(n_deface(&f), 0);
	sw_findings_cleanup(&f);
	free(html);
	analyze("<html><head><title>网站维护中</title></head><body><p>网站维护中，请联系管理员。</p>"
		"</body></html>", NULL, &f);
	assert_int_equal(n_deface(&f), 0);
	sw_findings_cleanup(&f);
}

/* The police notice against its own baseline: nothing new, quiet. */
static void test_notice_with_baseline(void **state)
{
	struct sw_doc *d = parse(police_notice);
	const struct sw_doc *docs[] = {d};
	struct sw_baseline *b = NULL;
	struct sw_findings f;

	(void)state;
	assert_int_equal(sw_baseline_learn(docs, 1, &b, NULL), SW_OK);
	analyze(police_notice, b, &f);
	assert_int_equal(n_deface(&f), 0);
	sw_findings_cleanup(&f);
	sw_baseline_free(b);
	sw_doc_free(d);
}

static uint64_t fnv(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static void reseal(unsigned char *blob, size_t len)
{
	uint64_t h = fnv(blob, len - 8);

	for (int i = 0; i < 8; i++)
		blob[len - 8 + i] = (unsigned char)(h >> (8 * i));
}

static void test_blob(void **state)
{
	struct sw_baseline *b = learn3(), *c = NULL;
	struct sw_baseline_info bi, ci;
	unsigned char *blob = NULL, *blob2 = NULL;
	size_t len = 0, len2 = 0;
	struct sw_errbuf eb;
	struct portal p = v4;

	(void)state;
	assert_int_equal(sw_baseline_to_blob(b, &blob, &len, &eb), SW_OK);
	assert_true(len > 100 && len < 16384);
	assert_int_equal(sw_baseline_from_blob(blob, len, &c, &eb), SW_OK);
	sw_baseline_info(b, &bi);
	sw_baseline_info(c, &ci);
	assert_string_equal(bi.title, ci.title);
	assert_int_equal(bi.versions, 3);
	assert_int_equal(bi.blocks, ci.blocks);
	assert_int_equal(bi.paths, ci.paths);
	assert_int_equal(bi.dynamic_paths, ci.dynamic_paths);
	assert_int_equal(bi.images, ci.images);
	assert_true(bi.images >= 1);
	assert_string_equal(sw_baseline_image(c, 0), "/images/logo.png");
	assert_true(sw_baseline_has_host(c, "dcs.conac.cn"));
	assert_false(sw_baseline_has_host(c, "evil.example"));
	/* Byte-identical when written again. */
	assert_int_equal(sw_baseline_to_blob(c, &blob2, &len2, &eb), SW_OK);
	assert_int_equal(len, len2);
	assert_memory_equal(blob, blob2, len);
	/* The read-back baseline judges the same. */
	check_portal(&v4, c, NULL, 0);
	p.logo = "http://evil.example/x.png";
	check_portal(&p, c, (const char *[]){"defacement.image"}, 1);
	sw_baseline_free(c);
	/* Every truncation and every flipped byte is refused. */
	for (size_t n = 0; n < len; n++) {
		assert_int_equal(sw_baseline_from_blob(blob, n, &c, NULL), SW_EINVAL);
		assert_null(c);
	}
	for (size_t i = 0; i < len; i++) {
		blob[i] ^= 0x40;
		assert_int_equal(sw_baseline_from_blob(blob, len, &c, NULL), SW_EINVAL);
		blob[i] ^= 0x40;
	}
	/* Forged counts with a valid checksum are refused, not trusted. */
	for (size_t i = 4; i < len - 8; i++) {
		unsigned char save = blob[i];

		blob[i] = 0xff;
		reseal(blob, len);
		if (sw_baseline_from_blob(blob, len, &c, NULL) == SW_OK)
			sw_baseline_free(c); /* a changed hash or length may still be well-formed */
		blob[i] = save;
	}
	reseal(blob, len);
	assert_int_equal(sw_baseline_from_blob(blob, len, &c, NULL), SW_OK);
	sw_baseline_free(c);
	assert_int_equal(sw_baseline_from_blob((const unsigned char *)"SWBL", 4, &c, &eb), SW_EINVAL);
	free(blob);
	free(blob2);
	sw_baseline_free(b);
}

static void test_edges(void **state)
{
	struct sw_baseline *b = NULL;
	struct sw_doc *d = parse("");
	const struct sw_doc *docs[] = {d};
	struct sw_findings f;
	struct sw_errbuf eb;

	(void)state;
	assert_int_equal(sw_baseline_learn(docs, 0, &b, &eb), SW_EINVAL);
	assert_null(b);
	assert_int_equal(sw_baseline_learn(docs, 1, &b, &eb), SW_OK);
	analyze("", b, &f);
	assert_int_equal(n_deface(&f), 0);
	sw_findings_cleanup(&f);
	analyze(hacker_page, b, &f);
	assert_true(has(&f, "defacement.signature"));
	sw_findings_cleanup(&f);
	sw_baseline_free(b);
	sw_baseline_free(NULL);
	sw_doc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_honest_updates), cmocka_unit_test(test_title),
		cmocka_unit_test(test_replaced),       cmocka_unit_test(test_content),
		cmocka_unit_test(test_banner),         cmocka_unit_test(test_image),
		cmocka_unit_test(test_signature_without_baseline),
		cmocka_unit_test(test_notice_with_baseline),
		cmocka_unit_test(test_blob),           cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
