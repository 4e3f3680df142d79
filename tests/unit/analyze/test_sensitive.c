/*
 * test_sensitive.c - the sensitive-content analyzer on realistic snippets:
 * spam and propaganda that must be reported, and the honest pages of
 * government portals that use the same words (police notices, anti-fraud
 * campaigns, court news, anti-cult pages, lottery offices, universities)
 * that must stay quiet.  Also user lists: errors name file:line.
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

#include "analyze/analyze.h"

static struct sw_an_rules *rules;

static int setup(void **st)
{
	struct sw_errbuf eb;

	(void)st;
	sw_errbuf_clear(&eb);
	if (sw_an_rules_load(NULL, &rules, &eb)) {
		fprintf(stderr, "rules: %s\n", eb.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	sw_an_rules_free(rules);
	return 0;
}

/* Wraps body in a small government-portal page (header nav, footer). */
static char *page(const char *body)
{
	static const char head[] =
		"<!doctype html><html><head><meta charset=utf-8><title>某市人民政府门户网站</title>"
		"</head><body><div class=top><ul class=nav><li><a href=/>首页</a></li>"
		"<li><a href=/zwgk/>政务公开</a></li><li><a href=/bsfw/>办事服务</a></li>"
		"<li><a href=/hdjl/>互动交流</a></li></ul></div><div class=main>";
	static const char foot[] =
		"</div><div class=footer><p>主办单位：某市人民政府办公室 "
		"<a href=https://beian.miit.gov.cn/>京ICP备05070218号</a> 京公网安备11010502030143号</p>"
		"<p>违法和不良信息举报电话：12377 网站标识码：1100000088</p></div></body></html>";
	char *p = malloc(sizeof head + strlen(body) + sizeof foot);

	sprintf(p, "%s%s%s", head, body, foot);
	return p;
}

/* Runs every analyzer on html; returns the sensitive.* findings. */
static void analyze(const char *html, struct sw_findings *out)
{
	struct sw_an_page pg = {.url = "http://www.example.gov.cn/", .raw = html,
				.raw_len = strlen(html), .text = html, .text_len = strlen(html)};
	struct sw_an_input in;
	struct sw_errbuf eb;
	size_t i, k = 0;

	sw_an_input_init(&in);
	in.page = &pg;
	sw_errbuf_clear(&eb);
	sw_findings_init(out);
	assert_int_equal(sw_analyze(rules, &in, out, &eb), SW_OK);
	for (i = 0; i < out->n; i++) { /* keep only ours */
		if (!strncmp(out->v[i].kind->key, "sensitive.", 10)) {
			out->v[k++] = out->v[i];
		} else {
			free(out->v[i].title);
			free(out->v[i].evidence);
		}
	}
	out->n = k;
}

/* Asserts that body (inside a portal page) yields a finding of key whose
 * evidence mentions word. */
static void expect(const char *body, const char *key, const char *word)
{
	char *html = page(body);
	struct sw_findings f;
	size_t i;

	analyze(html, &f);
	for (i = 0; i < f.n; i++)
		if (!strcmp(f.v[i].kind->key, key))
			break;
	if (i == f.n) {
		fprintf(stderr, "no %s in: %s\n", key, body);
		fail();
	}
	if (word && !strstr(f.v[i].evidence, word)) {
		fprintf(stderr, "%s evidence lacks %s: %s\n", key, word, f.v[i].evidence);
		fail();
	}
	sw_findings_cleanup(&f);
	free(html);
}

/* Asserts that body (inside a portal page) yields no sensitive finding. */
static void quiet(const char *body)
{
	char *html = page(body);
	struct sw_findings f;

	analyze(html, &f);
	if (f.n) {
		fprintf(stderr, "false alarm %s (%s) on: %.200s\n", f.v[0].kind->key, f.v[0].title,
			body);
		fail();
	}
	sw_findings_cleanup(&f);
	free(html);
}

static void test_gambling_spam(void **st)
{
	(void)st;
	expect("<div class=banner><a href=http://8888pj.com/>澳门葡京娱乐城</a> 真人荷官 "
	       "百家乐在线 注册送38元彩金 信誉第一 拒绝黑网</div>",
	       "sensitive.gambling", "澳门葡京");
	expect("<p>香港六合彩开奖结果 今晚开奖直播 一肖中特 六合彩资料大全</p>",
	       "sensitive.gambling", NULL);
	expect("<h3>北京赛车pk10计划 重庆时时彩计划 稳赚不赔</h3>", "sensitive.gambling", NULL);
	expect("<p>BET365官网 体育投注平台 皇冠体育现金网开户</p>", "sensitive.gambling",
	       NULL);
}

static void test_spam_in_other_categories(void **st)
{
	(void)st;
	expect("<div>代开发票 各类增值税发票代开 真票验证后付款 联系QQ 2851234567</div>",
	       "sensitive.fraud", "代开发票");
	expect("<div>办证刻章 高仿证件 银行卡四件套出售 黑户贷款秒批</div>", "sensitive.fraud",
	       NULL);
	expect("<div>出售枪支 仿真枪出售 气枪出售 货到付款 微信 gun8888</div>",
	       "sensitive.terror", "出售枪支");
	expect("<div>日本AV在线观看 成人视频 午夜福利 同城约炮</div>", "sensitive.porn", NULL);
	expect("<p>法轮大法好 真善忍好 三退保平安</p>", "sensitive.political", "法轮大法");
	expect("<div class=cm>匿名：看大纪元 新唐人 了解真相</div>", "sensitive.political",
	       NULL);
	/* Patterns: a sale verb near a weapon, in either order and wording. */
	expect("<p>汽狗 秃鹰 钢珠 专卖 微信 gz668</p>", "sensitive.terror", "汽狗");
	expect("<p>电击枪出售 防身必备</p>", "sensitive.terror", "电击枪出售");
	expect("<p>楼凤信息 外围女 全国空降</p>", "sensitive.porn", NULL);
	expect("<p>腾讯分分彩 幸运28 加拿大28 计划群</p>", "sensitive.gambling", NULL);
	expect("<p>花呗套现 白条套现 秒到 联系微信</p>", "sensitive.fraud", NULL);
	/* A weak entry (六级答案) overlapping a strong pattern does not hide it. */
	expect("<p>四六级答案 考前联系QQ 包过</p>", "sensitive.fraud", NULL);
}

static void test_weak_words_corroborated(void **st)
{
	(void)st;
	/* A replaced page with no strong phrase but three gambling words and
	 * nothing that warns against them. */
	expect("<h1>线上娱乐城</h1><p>博彩 下注 返水 老虎机 天天有活动</p>",
	       "sensitive.gambling", NULL);
}

static void test_spam_injected_in_police_portal(void **st)
{
	(void)st;
	/* The page is an anti-crime portal as a whole (columns 扫黄打非, 禁毒,
	 * 反诈 ...), but the injected banner stands on its own line. */
	expect("<ul><li><a href=/shfd/>扫黄打非</a></li><li><a href=/jd/>禁毒宣传</a></li>"
	       "<li><a href=/fz/>反诈专栏</a></li><li><a href=/jb/>违法犯罪举报</a></li></ul>"
	       "<div>澳门新葡京 真人百家乐 首存送100%</div>",
	       "sensitive.gambling", NULL);
}

static void test_police_notice_is_quiet(void **st)
{
	(void)st;
	quiet("<h1>关于依法严厉打击网络赌博违法犯罪活动的通告</h1>"
	      "<p>为切实维护社会治安秩序，保护人民群众财产安全，公安机关决定在全市范围内开展"
	      "打击网络赌博专项行动。现将有关事项通告如下：</p>"
	      "<p>一、严禁利用互联网、移动终端开设赌场，组织、招揽他人参与网络赌博。</p>"
	      "<p>二、严禁为网络赌博提供推广、技术支持、资金支付结算等服务。</p>"
	      "<p>三、不法分子常以“百家乐”“六合彩”“真人荷官”等为噱头，诱骗群众下注，"
	      "请广大群众提高警惕。</p>"
	      "<p>四、欢迎广大群众积极举报赌博违法犯罪线索，举报电话：110。</p>");
}

static void test_antifraud_campaign_is_quiet(void **st)
{
	(void)st;
	quiet("<h2>警方提醒：警惕刷单返利类诈骗</h2>"
	      "<p>刷单返利是当前发案最多的电信网络诈骗类型。骗子以“兼职刷单、日结工资”为诱饵，"
	      "先小额返利，再诱导受害人大额垫付。</p>"
	      "<p>凡是要求你转账到“安全账户”的都是诈骗；冒充公检法办案的都是骗局。"
	      "请下载国家反诈中心APP，遇到可疑情况拨打96110。</p>"
	      "<p>另外，代开发票、出售银行卡均属违法行为，切勿参与。</p>");
}

static void test_court_and_police_news_is_quiet(void **st)
{
	(void)st;
	quiet("<h2>我市公安机关破获一起特大网络赌博案</h2>"
	      "<p>近日，市公安局治安支队成功侦破一起以“澳门葡京”名义开设网络赌场的案件，"
	      "抓获犯罪嫌疑人12名，涉案资金逾3000万元。</p>"
	      "<p>经查，犯罪嫌疑人张某在境外博彩网站开设代理账户，发展下线投注。</p>");
	quiet("<h2>“扫黄打非”办公室通报一批典型案件</h2>"
	      "<p>某网络公司传播淫秽色情信息案：经查，该公司运营的网站提供“成人视频”"
	      "“午夜福利”等淫秽视频点播，当事人被依法判处有期徒刑三年。</p>");
	quiet("<p>枪爆物品专项整治：严禁非法制造、买卖枪支弹药，近期破获一起网上出售枪支案，"
	      "收缴仿真枪20支。</p>");
}

static void test_anticult_and_political_news_is_quiet(void **st)
{
	(void)st;
	quiet("<h2>揭批“法轮功”邪教组织的反人类本质</h2>"
	      "<p>“法轮功”是被依法取缔的邪教组织，其所谓“真善忍”不过是敛财害人的幌子。</p>");
	quiet("<p>坚决反对达赖集团分裂活动，坚决反对“藏独”“台独”等一切分裂国家的图谋，"
	      "维护祖国统一。</p>");
}

static void test_ordinary_pages_are_quiet(void **st)
{
	(void)st;
	/* Words that contain or resemble list entries in honest use. */
	quiet("<p>气象台发布暴雨黄色预警。体育彩票中心公布本期开奖公告，请中奖者到投注站兑奖。"
	      "</p><p>成人高考报名即将开始，学历认证请登录学信网办理。激情燃烧的岁月。</p>"
	      "<p>JavaScript is not available; please enable it. Savings and java.</p>"
	      "<p>关于申请个人住房贷款的办事指南；信用卡业务；兼职辅导员招聘。</p>"
	      "<p>文化市场综合执法：游艺娱乐场所管理规定。</p>");
	/* Explosives are regulated goods: safety work names them. */
	quiet("<h2>关于开展民爆物品安全检查的通知</h2><p>对全市炸药、雷管储存仓库开展安全检查，"
	      "确保民用爆炸物品安全。</p>");
	/* National-security day lists the crimes it warns against. */
	quiet("<h2>4·15全民国家安全教育日</h2><p>要警惕颠覆国家政权、分裂国家、暴力恐怖活动"
	      "等风险。维护国家安全，人人有责。</p>");
	/* Lottery offices and banks. */
	quiet("<p>体育彩票是国家公益彩票。本期大乐透开奖结果已公布，投注站提醒：理性购彩。</p>"
	      "<p>小微企业可申请无抵押贷款，最快当天放款。</p>");
	/* Safety rules at a station: weapons named in a ban. */
	quiet("<p>严禁携带枪支弹药、管制刀具、雷管炸药等易燃易爆危险物品进站乘车。</p>");
	/* Offices do errands for citizens; the explosives industry exists;
	 * 黑户 are also people without household registration. */
	quiet("<p>因特殊情况本人不能到场的，可委托近亲属代办身份证、代办驾驶证换证业务。</p>"
	      "<p>市应急管理局对工业炸药制造企业开展安全生产检查。</p>"
	      "<p>我市全面解决无户口人员“黑户”落户问题。</p>");
	/* Tax offices issue invoices on behalf of taxpayers (代开发票). */
	quiet("<h3>代开增值税发票办理指南</h3><p>纳税人可通过电子税务局申请代开增值税发票，"
	      "也可到办税服务厅办理，咨询电话12366。</p>");
	/* A judgment names the crime and the platform. */
	quiet("<p>被告人李某以营利为目的，在境外博彩平台开设代理账户，招揽他人赌博，"
	      "人民法院以开设赌场罪判处其有期徒刑二年。</p>");
	/* Banks on SOE sites talk about laundering and cash-outs. */
	quiet("<h2>反洗钱宣传月</h2><p>洗钱是指掩饰、隐瞒犯罪所得的行为。信用卡套现属违法行为。"
	      "</p>");
}

static void test_hidden_text_is_not_ours(void **st)
{
	(void)st;
	/* Hidden spam is the dark-link analyzer's finding, not ours. */
	quiet("<div style=\"display:none\"><a href=http://pj.example.com/>澳门葡京</a> "
	      "真人荷官 百家乐在线</div><p>欢迎访问。</p>");
}

/* Writes data to dir/rel, making dir/sensitive first. */
static void put(const char *dir, const char *rel, const char *data)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/sensitive", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	assert_non_null(f = fopen(path, "w"));
	fputs(data, f);
	fclose(f);
}

/* Removes what put made and renews dir's template for the next mkdtemp. */
static void clean(char *dir, const char *rel)
{
	char path[512];
	char *x;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	unlink(path);
	snprintf(path, sizeof path, "%s/sensitive", dir);
	rmdir(path);
	rmdir(dir);
	x = strrchr(dir, '-');
	strcpy(x, "-XXXXXX");
}

static void test_user_lists(void **st)
{
	const char *tmp = getenv("TMPDIR");
	char dir[256];
	void *state = NULL;
	struct sw_errbuf eb;

	(void)st;
	snprintf(dir, sizeof dir, "%s/sens-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	/* A bad regex names the user's file and line. */
	put(dir, "sensitive/gambling.txt", "# mine\n澳门葡京\nre:彩(票\n");
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_analyzer_sensitive.load(dir, &state, &eb), SW_EINVAL);
	assert_null(state);
	if (!strstr(eb.msg, dir) || !strstr(eb.msg, "/sensitive/gambling.txt:3:"))
		fail_msg("message: %s", eb.msg);
	clean(dir, "sensitive/gambling.txt");
	/* A list named after no category is refused, not ignored. */
	assert_non_null(mkdtemp(dir));
	put(dir, "sensitive/drugs.txt", "冰毒出售\n");
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_analyzer_sensitive.load(dir, &state, &eb), SW_EINVAL);
	if (!strstr(eb.msg, "sensitive/drugs.txt: unknown category"))
		fail_msg("message: %s", eb.msg);
	clean(dir, "sensitive/drugs.txt");
	/* A good user list replaces the embedded one of the same name. */
	assert_non_null(mkdtemp(dir));
	put(dir, "sensitive/gambling.txt", "@strong\n某某娱乐\n");
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_analyzer_sensitive.load(dir, &state, &eb), SW_OK);
	sw_analyzer_sensitive.free(state);
	clean(dir, "sensitive/gambling.txt");
}

static void test_empty_and_odd_pages(void **st)
{
	struct sw_findings f;

	(void)st;
	analyze("", &f);
	assert_int_equal(f.n, 0);
	sw_findings_cleanup(&f);
	analyze("<p>\xe6\xbe\xb3\xe9\x97\xa8</p>", &f);
	assert_int_equal(f.n, 0);
	sw_findings_cleanup(&f);
}

/* Returns body made of n copies of unit between pre and post. */
static char *repeat(const char *pre, const char *unit, size_t n, const char *post)
{
	size_t ul = strlen(unit), i;
	char *b = malloc(strlen(pre) + ul * n + strlen(post) + 1), *o = b;

	o += sprintf(o, "%s", pre);
	for (i = 0; i < n; i++, o += ul)
		memcpy(o, unit, ul);
	sprintf(o, "%s", post);
	return b;
}

static void test_stuffed_pages(void **st)
{
	char *b;

	(void)st;
	/* Context words by the ten thousand do not hide spam that follows. */
	b = repeat("<p>", "举报违法犯罪", 20000, "</p><div>澳门葡京 真人荷官</div>");
	expect(b, "sensitive.gambling", "澳门葡京");
	free(b);
	/* One word by the ten thousand: one finding, quickly. */
	b = repeat("<p>", "澳门葡京 ", 50000, "</p>");
	expect(b, "sensitive.gambling", "澳门葡京");
	free(b);
	/* A long line of warnings stays quiet however long. */
	b = repeat("<p>", "严禁赌博，远离六合彩、百家乐。", 30000, "</p>");
	quiet(b);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gambling_spam),
		cmocka_unit_test(test_spam_in_other_categories),
		cmocka_unit_test(test_weak_words_corroborated),
		cmocka_unit_test(test_spam_injected_in_police_portal),
		cmocka_unit_test(test_police_notice_is_quiet),
		cmocka_unit_test(test_antifraud_campaign_is_quiet),
		cmocka_unit_test(test_court_and_police_news_is_quiet),
		cmocka_unit_test(test_anticult_and_political_news_is_quiet),
		cmocka_unit_test(test_ordinary_pages_are_quiet),
		cmocka_unit_test(test_hidden_text_is_not_ours),
		cmocka_unit_test(test_user_lists),
		cmocka_unit_test(test_empty_and_odd_pages),
		cmocka_unit_test(test_stuffed_pages),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
