/*
 * test_kw.c - the keyword engine: list syntax, escaping, case and word
 * boundaries, tiers, load errors with file:line, scratch handling, the
 * embedded lists, and a naive reference on random text.  Prints the scan
 * speed on ~100 KB of Chinese text (a figure for people, not a pass/fail).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/kw.h"

/* Compiles one in-memory list (category cat, path "t/<cat>.txt"). */
static struct sw_kw *one(const char *cat, const char *data)
{
	char path[64];
	struct sw_kw_src s = {cat, path, data, strlen(data)};
	struct sw_kw *kw = NULL;
	struct sw_errbuf eb;

	snprintf(path, sizeof path, "t/%s.txt", cat);
	sw_errbuf_clear(&eb);
	if (sw_kw_compile(&s, 1, &kw, &eb)) {
		fprintf(stderr, "compile: %s\n", eb.msg);
		fail();
	}
	return kw;
}

/* Collected hits of one scan. */
struct hits {
	struct sw_kw_hit v[64];
	size_t n;
};

static int collect(const struct sw_kw_hit *h, void *arg)
{
	struct hits *hs = arg;

	if (hs->n < 64)
		hs->v[hs->n++] = *h;
	return 0;
}

/* Scans text and returns the hits (pool scratch). */
static struct hits scan(const struct sw_kw *kw, const char *text)
{
	struct hits hs = {.n = 0};

	assert_int_equal(sw_kw_scan(kw, NULL, text, strlen(text), collect, &hs), SW_OK);
	return hs;
}

static void test_literals_and_offsets(void **st)
{
	struct sw_kw *kw = one("gambling", "# comment\n澳门葡京\n  百家乐在线  # trailing\n\n");
	const char *t = "欢迎光临澳门葡京，百家乐在线开户";
	struct hits hs = scan(kw, t);

	(void)st;
	assert_int_equal(sw_kw_nwords(kw), 2);
	assert_int_equal(sw_kw_ncats(kw), 1);
	assert_string_equal(sw_kw_cat_name(kw, 0), "gambling");
	assert_int_equal(sw_kw_cat_find(kw, "gambling"), 0);
	assert_int_equal(sw_kw_cat_find(kw, "porn"), -1);
	assert_int_equal(hs.n, 2);
	assert_string_equal(sw_kw_word(kw, hs.v[0].id), "澳门葡京");
	assert_int_equal(hs.v[0].start, strstr(t, "澳门葡京") - t);
	assert_int_equal(hs.v[0].end, hs.v[0].start + strlen("澳门葡京"));
	assert_string_equal(sw_kw_word(kw, hs.v[1].id), "百家乐在线");
	assert_int_equal(hs.v[1].start, strstr(t, "百家乐") - t);
	assert_int_equal(hs.v[1].cat, 0);
	assert_null(sw_kw_word(kw, 99));
	sw_kw_free(kw);
}

static void test_metachars_are_literal(void **st)
{
	struct sw_kw *kw = one("x", "a.b\nC++\n(1)\n[签]\n$100\n");

	(void)st;
	assert_int_equal(scan(kw, "axb c+ 1 签 100").n, 0);
	assert_int_equal(scan(kw, "a.b").n, 1);
	assert_int_equal(scan(kw, "c++ and (1) and [签] and $100").n, 4);
	sw_kw_free(kw);
}

static void test_ascii_case_and_boundaries(void **st)
{
	struct sw_kw *kw = one("porn", "av\nbet365\nAG真人\n");
	struct hits hs;

	(void)st;
	/* Inside Latin words: no match. */
	assert_int_equal(scan(kw, "javascript available savings alphabet3650").n, 0);
	/* Any case, next to CJK or punctuation: match. */
	hs = scan(kw, "日本AV女优 BET365官网 ag真人娱乐");
	assert_int_equal(hs.n, 3);
	assert_string_equal(sw_kw_word(kw, hs.v[0].id), "av");
	sw_kw_free(kw);
}

static void test_regex_and_tiers(void **st)
{
	struct sw_kw *kw = one("lottery", "re:六合彩.{0,6}开奖\n@weak\n彩金\n@strong\n一肖中特\n");
	struct hits hs = scan(kw, "香港六合彩今晚开奖 送彩金 一肖中特");

	(void)st;
	assert_int_equal(hs.n, 3);
	assert_string_equal(sw_kw_word(kw, hs.v[0].id), "六合彩.{0,6}开奖");
	assert_int_equal(hs.v[0].tier, SW_KW_STRONG);
	assert_int_equal(hs.v[1].tier, SW_KW_WEAK);
	assert_int_equal(sw_kw_word_tier(kw, hs.v[1].id), SW_KW_WEAK);
	assert_int_equal(hs.v[2].tier, SW_KW_STRONG);
	sw_kw_free(kw);
}

/* Compiles data expecting failure; returns the message. */
static void expect_error(const char *data, enum sw_err want, const char *needle)
{
	struct sw_kw_src s = {"mylist", "sensitive/mylist.txt", data, strlen(data)};
	struct sw_kw *kw = (struct sw_kw *)&s;
	struct sw_errbuf eb;

	sw_errbuf_clear(&eb);
	assert_int_equal(sw_kw_compile(&s, 1, &kw, &eb), want);
	assert_null(kw);
	if (!strstr(eb.msg, needle)) {
		fprintf(stderr, "message \"%s\" lacks \"%s\"\n", eb.msg, needle);
		fail();
	}
}

static void test_errors_name_file_and_line(void **st)
{
	char big[SW_KW_MAX_WORD + 16];

	(void)st;
	expect_error("好词\n# c\nre:abc(\n", SW_EINVAL, "sensitive/mylist.txt:3:");
	expect_error("a\nb\n@strnog\n", SW_EINVAL, "sensitive/mylist.txt:3: unknown directive");
	expect_error("ok\nbad\xff\xfe\n", SW_EINVAL, "sensitive/mylist.txt:2:");
	expect_error("re:a*\n", SW_EINVAL, "sensitive/mylist.txt:1:");
	expect_error("re:\n", SW_EINVAL, "sensitive/mylist.txt:1: empty");
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	expect_error(big, SW_EINVAL, "sensitive/mylist.txt:1: entry longer");
}

static void test_empty_lists_and_texts(void **st)
{
	struct sw_kw *kw = one("empty", "# nothing here\n\n");
	struct sw_kw_scratch *s = NULL;
	struct sw_kw_hit first;

	(void)st;
	assert_int_equal(sw_kw_nwords(kw), 0);
	assert_int_equal(sw_kw_count(kw, NULL, "anything 赌博", 15, 0, &first), 0);
	assert_int_equal(first.id, UINT_MAX);
	assert_int_equal(sw_kw_scratch_new(kw, &s), SW_OK);
	assert_int_equal(sw_kw_count(kw, s, "x", 1, 0, NULL), 0);
	sw_kw_scratch_free(s);
	sw_kw_free(kw);
	kw = one("x", "词\n");
	assert_int_equal(sw_kw_count(kw, NULL, "", 0, 0, NULL), 0);
	assert_int_equal(sw_kw_count(kw, NULL, NULL, 0, 0, NULL), 0);
	sw_kw_free(kw);
	sw_kw_free(NULL);
	sw_kw_scratch_free(NULL);
}

static void test_count_first_and_max(void **st)
{
	struct sw_kw *kw = one("spam", "私服\n发票\n");
	const char *t = "传奇私服 代开发票 私服 私服 私服";
	struct sw_kw_hit first;

	(void)st;
	assert_int_equal(sw_kw_count(kw, NULL, t, strlen(t), 0, &first), 5);
	assert_string_equal(sw_kw_word(kw, first.id), "私服");
	assert_int_equal(first.start, strlen("传奇"));
	assert_int_equal(sw_kw_count(kw, NULL, t, strlen(t), 2, NULL), 2);
	sw_kw_free(kw);
}

static void test_scratch_shared_by_two_engines(void **st)
{
	struct sw_kw *a = one("a", "葡京\n");
	struct sw_kw *b = one("b", "re:[0-9]{6,}\n私服\n");
	struct sw_kw_scratch *s = NULL;
	const char *t = "新葡京 私服 123456789";

	(void)st;
	assert_int_equal(sw_kw_scratch_new(a, &s), SW_OK);
	assert_int_equal(sw_kw_scratch_new(b, &s), SW_OK);
	assert_int_equal(sw_kw_count(a, s, t, strlen(t), 0, NULL), 1);
	/* A regex reports every end it can have: [0-9]{6,} ends 4 times in
	 * "123456789"; with the word that makes 5. */
	assert_int_equal(sw_kw_count(b, s, t, strlen(t), 0, NULL), 5);
	sw_kw_scratch_free(s);
	sw_kw_free(a);
	sw_kw_free(b);
}

static void test_categories_add_up(void **st)
{
	struct sw_kw_src s[3] = {
		{"porn", "p.txt", "裸聊\n", 7},
		{"fraud", "f.txt", "代开发票\n", 13},
		{"porn", "p2.txt", "约炮\n", 7},
	};
	struct sw_kw *kw = NULL;
	struct sw_errbuf eb;
	struct hits hs;
	size_t line = 0;

	(void)st;
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_kw_compile(s, 3, &kw, &eb), SW_OK);
	assert_int_equal(sw_kw_ncats(kw), 2);
	hs = scan(kw, "约炮 裸聊 代开发票");
	assert_int_equal(hs.n, 3);
	assert_string_equal(sw_kw_cat_name(kw, hs.v[0].cat), "porn");
	assert_string_equal(sw_kw_word_where(kw, hs.v[0].id, &line), "p2.txt");
	assert_int_equal(line, 1);
	assert_string_equal(sw_kw_cat_name(kw, hs.v[2].cat), "fraud");
	sw_kw_free(kw);
}

static void test_embedded_lists_load(void **st)
{
	struct sw_kw *kw = NULL;
	struct sw_errbuf eb;
	const char *t = "新开传奇私服，代开发票，重庆时时彩计划";

	(void)st;
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_kw_load(NULL, "spam/", &kw, &eb), SW_OK);
	assert_true(sw_kw_cat_find(kw, "gambling") >= 0);
	assert_true(sw_kw_cat_find(kw, "privserver") >= 0);
	assert_true(sw_kw_count(kw, NULL, t, strlen(t), 0, NULL) >= 3);
	sw_kw_free(kw);
	assert_int_equal(sw_kw_load(NULL, "sensitive/", &kw, &eb), SW_OK);
	assert_true(sw_kw_cat_find(kw, "context") >= 0);
	assert_true(sw_kw_cat_find(kw, "political") >= 0);
	assert_int_equal(sw_kw_cat_find(kw, "README"), -1);
	sw_kw_free(kw);
	assert_int_equal(sw_kw_load(NULL, "no-such-prefix/", &kw, &eb), SW_OK);
	assert_int_equal(sw_kw_nwords(kw), 0);
	sw_kw_free(kw);
}

/*
 * The spam lists raise the dark-link analyzer's confidence in a hidden
 * off-site link, and honest pages hide off-site links in drop-down menus:
 * texts such menus hold must not match.
 */
static void test_spam_lists_spare_honest_menus(void **st)
{
	static const char *const honest[] = {
		"三级医院名单", "医学伦理委员会", "中医推拿按摩", "福利彩票发行中心", "午夜航班",
		"课后延时服务", "政府网站群", "互联网投资理财风险提示", "寄生虫病防治",
		"财政收入1.76亿元", "XXX同志任职公示", "生肖邮票发行", "捕鱼许可证办理",
		"国家体育总局棋牌运动管理中心", "金沙江流域", "永利化工", "友情链接",
		"办证大厅", "个人住房贷款", "信用卡中心", "征信中心", "学历认证",
		"身份证办理", "驾照换领", "增值税发票查验平台", "快三开奖", "体彩11选5",
		"澳门威尼斯人度假村酒店", "AV设备采购", "Sex differences in health",
		"兼职辅导员招聘", "日结工资支付监督", "外链管理", "收录规范", "权重系数",
		"热血传奇", "网站辅助功能", "无障碍辅助浏览", "投注站管理", "热线电话",
	};
	struct sw_kw *kw = NULL;
	struct sw_kw_hit first;
	struct sw_errbuf eb;
	size_t i;

	(void)st;
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_kw_load(NULL, "spam/", &kw, &eb), SW_OK);
	for (i = 0; i < sizeof honest / sizeof *honest; i++)
		if (sw_kw_count(kw, NULL, honest[i], strlen(honest[i]), 0, &first))
			fail_msg("spam/%s.txt: \"%s\" matches \"%s\"",
				 sw_kw_cat_name(kw, first.cat), sw_kw_word(kw, first.id), honest[i]);
	sw_kw_free(kw);
}

/*
 * Ill-formed UTF-8 and random bytes: the callers hand well-formed text, but
 * a scan of anything must stay within the text and end.
 */
static void test_random_bytes(void **st)
{
	struct sw_kw *kw = NULL;
	struct sw_errbuf eb;
	unsigned seed = 7, r, i, k;
	char *buf = malloc(4096);
	struct sw_kw_hit first;
	size_t n;

	(void)st;
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_kw_load(NULL, "sensitive/", &kw, &eb), SW_OK);
	for (r = 0; r < 300; r++) {
		for (i = 0; i < 4096; i++) {
			seed = seed * 1103515245u + 12345u;
			k = (seed >> 16) & 0xff;
			/* Mostly lead/continuation bytes of CJK, so matches happen. */
			buf[i] = (char)(r % 2 ? k : (k & 1 ? 0xE5 + (k & 3) : 0x80 + (k & 0x3f)));
		}
		n = sw_kw_count(kw, NULL, buf, 4096, 0, &first);
		assert_true(n != (size_t)-1);
		if (n)
			assert_true(first.end <= 4096 && first.start <= first.end);
	}
	free(buf);
	sw_kw_free(kw);
}

/* One thread's share of test_pool_threads: many scans on the shared pool. */
struct worker {
	const struct sw_kw *kw;
	size_t got;
};

static void *scan_loop(void *arg)
{
	struct worker *w = arg;
	const char *t = "新开传奇私服 代开发票 澳门葡京 六合彩";
	int i;

	for (i = 0; i < 2000; i++)
		w->got += sw_kw_count(w->kw, NULL, t, strlen(t), 0, NULL);
	return NULL;
}

/* Scans from several threads share one engine and its scratch pool. */
static void test_pool_threads(void **st)
{
	struct sw_kw *kw = one("x", "私服\n发票\n葡京\n六合彩\n");
	struct worker w[4];
	pthread_t th[4];
	int i;

	(void)st;
	for (i = 0; i < 4; i++) {
		w[i] = (struct worker){kw, 0};
		assert_int_equal(pthread_create(&th[i], NULL, scan_loop, &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].got, 2000 * 4);
	}
	sw_kw_free(kw);
}

/* Naive reference: occurrences of each literal (CJK only, no case). */
static size_t naive_count(const char *t, const char *const *words, size_t nw)
{
	size_t n = 0, i;

	for (i = 0; i < nw; i++)
		for (const char *p = t; (p = strstr(p, words[i])); p++)
			n++;
	return n;
}

/* Builds ~size bytes of Chinese-looking text from a small alphabet so
 * that words occur by chance; deterministic. */
static char *random_text(size_t size, unsigned seed)
{
	static const char *const syl[] = {"赌", "博", "彩", "金", "私", "服", "发", "票", "政",
					  "府", "网", "站", "公", "告", "，", "。", "\n"};
	char *t = malloc(size + 4), *o = t;

	while ((size_t)(o - t) < size) {
		seed = seed * 1103515245u + 12345u;
		const char *s = syl[(seed >> 16) % (sizeof syl / sizeof *syl)];

		memcpy(o, s, strlen(s));
		o += strlen(s);
	}
	*o = '\0';
	return t;
}

static void test_against_naive_reference(void **st)
{
	static const char *const words[] = {"赌博", "彩金", "私服", "发票", "政府网站", "公告"};
	struct sw_kw *kw = one("w", "赌博\n彩金\n私服\n发票\n政府网站\n公告\n");
	unsigned seed;

	(void)st;
	for (seed = 1; seed < 20; seed++) {
		char *t = random_text(4000 + seed * 100, seed);

		assert_int_equal(sw_kw_count(kw, NULL, t, strlen(t), 0, NULL),
				 naive_count(t, words, 6));
		free(t);
	}
	sw_kw_free(kw);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Speed on ~100 KB of Chinese text with every embedded list loaded. */
static void test_speed(void **st)
{
	static const char para[] =
		"为深入贯彻落实党中央、国务院关于政务公开工作的决策部署，进一步提升政府网站"
		"建设管理水平，市政府办公室组织开展了全市政府网站和政务新媒体检查工作。"
		"检查发现，部分单位存在信息更新不及时、互动回应不到位等问题，现予以通报。\n";
	struct sw_kw *sens = NULL, *spam = NULL;
	struct sw_kw_scratch *s = NULL;
	struct sw_errbuf eb;
	size_t len = 0, rounds = 200, i, n = 0;
	char *t = malloc(110000);
	double t0, dt;

	(void)st;
	while (len + sizeof para < 100000) {
		memcpy(t + len, para, sizeof para - 1);
		len += sizeof para - 1;
	}
	memcpy(t + len / 2, "澳门葡京", strlen("澳门葡京"));
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_kw_load(NULL, "sensitive/", &sens, &eb), SW_OK);
	assert_int_equal(sw_kw_load(NULL, "spam/", &spam, &eb), SW_OK);
	assert_int_equal(sw_kw_scratch_new(sens, &s), SW_OK);
	assert_int_equal(sw_kw_scratch_new(spam, &s), SW_OK);
	t0 = now();
	for (i = 0; i < rounds; i++)
		n += sw_kw_count(sens, s, t, len, 0, NULL);
	dt = now() - t0;
	printf("kw speed: sensitive lists (%zu entries) %.0f MB/s on %zu KB, %zu hits/round\n",
	       sw_kw_nwords(sens), rounds * len / dt / 1e6, len / 1000, n / rounds);
	t0 = now();
	for (i = 0; i < rounds; i++)
		n += sw_kw_count(spam, NULL, t, len, 0, NULL);
	dt = now() - t0;
	printf("kw speed: spam lists (%zu entries, pool scratch) %.0f MB/s\n", sw_kw_nwords(spam),
	       rounds * len / dt / 1e6);
	/* The baseline: one strstr pass per literal entry, what a loop over the
	 * list would cost (the regex entries left out, to its advantage). */
	t[len] = '\0';
	t0 = now();
	for (i = 0; i < 5; i++)
		for (unsigned id = 0; id < sw_kw_nwords(sens); id++)
			if (!strchr(sw_kw_word(sens, id), '(')) /* regex entries have groups */
				n += naive_count(t, (const char *const[]){sw_kw_word(sens, id)}, 1);
	dt = now() - t0;
	printf("kw speed: naive strstr per literal entry %.1f MB/s\n", 5 * len / dt / 1e6);
	sw_kw_scratch_free(s);
	sw_kw_free(sens);
	sw_kw_free(spam);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literals_and_offsets),
		cmocka_unit_test(test_metachars_are_literal),
		cmocka_unit_test(test_ascii_case_and_boundaries),
		cmocka_unit_test(test_regex_and_tiers),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_empty_lists_and_texts),
		cmocka_unit_test(test_count_first_and_max),
		cmocka_unit_test(test_scratch_shared_by_two_engines),
		cmocka_unit_test(test_categories_add_up),
		cmocka_unit_test(test_embedded_lists_load),
		cmocka_unit_test(test_spam_lists_spare_honest_menus),
		cmocka_unit_test(test_against_naive_reference),
		cmocka_unit_test(test_pool_threads),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_speed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
