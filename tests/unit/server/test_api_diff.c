/*
 * test_api_diff.c - the defacement diff's pure parts (api_monitor_text.c):
 * a page's visible text as lines and the bounded line diff, checked
 * against a naive reference on random inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api_monitor.h"

/* Lines of html joined with '|'. */
static char *lines_of(const char *html, size_t len, char *title_out, size_t tn)
{
	struct sw_text_lines t;
	struct sw_errbuf eb;
	size_t n = 1;
	char *s;

	sw_errbuf_clear(&eb);
	if (sw_text_lines_of(html, len, &t, &eb))
		fail_msg("lines: %s", eb.msg);
	for (size_t i = 0; i < t.n; i++)
		n += strlen(t.v[i]) + 1;
	s = calloc(1, n);
	for (size_t i = 0; i < t.n; i++)
		sprintf(s + strlen(s), "%s%s", i ? "|" : "", t.v[i]);
	if (title_out)
		snprintf(title_out, tn, "%s", t.title);
	sw_text_lines_free(&t);
	return s;
}

/* Blocks make lines; hidden text, scripts, styles and the head do not. */
static void test_visible_lines(void **state)
{
	static const char html[] =
		"<html><head><title> 首页 </title><style>.x{display:none}</style></head><body>"
		"<div>欢迎  访问<b>本站</b></div><p>第一段</p><p class=x>隐藏</p>"
		"<p style='display:none'>也隐藏</p><script>document.write('x')</script>"
		"<ul><li>一</li><li>二</li></ul>上<br>下<div hidden>藏</div>"
		"<table><tr><td>a</td><td>b</td></tr></table></body></html>";
	char title[64];
	char *s;

	(void)state;
	s = lines_of(html, sizeof html - 1, title, sizeof title);

	assert_string_equal(s, "欢迎 访问本站|第一段|一|二|上|下|a|b");
	assert_string_equal(title, "首页");
	free(s);
	s = lines_of("", 0, NULL, 0);
	assert_string_equal(s, "");
	free(s);
}

/* GBK pages are decoded; lines are cut at a character boundary. */
static void test_charset_and_cut(void **state)
{
	static const char gbk[] = "<p>\xc4\xe3\xba\xc3</p>"; /* 你好 in GBK */
	char *big = malloc(8 * SW_DIFF_LINE_MAX + 16), *s;
	size_t n = 0;

	(void)state;
	s = lines_of(gbk, sizeof gbk - 1, NULL, 0);
	assert_string_equal(s, "你好");
	free(s);
	n += (size_t)sprintf(big, "<p>");
	for (int i = 0; i < SW_DIFF_LINE_MAX; i++)
		n += (size_t)sprintf(big + n, "字");
	n += (size_t)sprintf(big + n, "</p>");
	s = lines_of(big, n, NULL, 0);
	assert_true(strlen(s) <= SW_DIFF_LINE_MAX);
	assert_true(strlen(s) % 3 == 0); /* whole characters only */
	free(s);
	free(big);
}

/* A hostile page: deep nesting and many blocks stay within the limits. */
static void test_hostile(void **state)
{
	size_t cap = 600000, n = 0;
	char *h = malloc(cap), *s;
	struct sw_text_lines t;

	(void)state;
	for (int i = 0; i < 50000 && n + 16 < cap; i++)
		n += (size_t)sprintf(h + n, "<div>%d", i % 10);
	assert_int_equal(sw_text_lines_of(h, n, &t, NULL), SW_OK);
	assert_true(t.n <= SW_DIFF_LINES_MAX);
	sw_text_lines_free(&t);
	n = 0;
	for (int i = 0; i < 10000 && n + 16 < cap; i++)
		n += (size_t)sprintf(h + n, "<p>%d</p>", i);
	s = lines_of(h, n, NULL, 0);
	assert_true(strlen(s) > 0);
	free(s);
	free(h);
}

/* Applies a diff: the SAME and DEL lines must rebuild a, SAME and ADD b. */
static void check_diff(char **a, size_t na, char **b, size_t nb, size_t *nsame)
{
	struct sw_diff_line *d;
	size_t n, ia = 0, ib = 0;

	assert_int_equal(sw_diff_lines(a, na, b, nb, &d, &n), SW_OK);
	*nsame = 0;
	for (size_t i = 0; i < n; i++) {
		if (d[i].op != SW_DIFF_ADD) {
			assert_true(ia < na);
			assert_int_equal(d[i].i, ia);
			ia++;
		}
		if (d[i].op != SW_DIFF_DEL) {
			assert_true(ib < nb);
			if (d[i].op == SW_DIFF_ADD)
				assert_int_equal(d[i].i, ib);
			else
				assert_string_equal(a[d[i].i], b[ib]);
			ib++;
		}
		*nsame += d[i].op == SW_DIFF_SAME;
	}
	assert_int_equal(ia, na);
	assert_int_equal(ib, nb);
	free(d);
}

/* Naive reference: LCS length by plain recursion-free DP. */
static size_t lcs_len(char **a, size_t na, char **b, size_t nb)
{
	size_t *L = calloc((na + 1) * (nb + 1), sizeof *L), r;

	for (size_t i = 1; i <= na; i++)
		for (size_t j = 1; j <= nb; j++)
			L[i * (nb + 1) + j] = !strcmp(a[i - 1], b[j - 1]) ? L[(i - 1) * (nb + 1) + j - 1] + 1
					      : L[(i - 1) * (nb + 1) + j] > L[i * (nb + 1) + j - 1]
						      ? L[(i - 1) * (nb + 1) + j]
						      : L[i * (nb + 1) + j - 1];
	r = L[na * (nb + 1) + nb];
	free(L);
	return r;
}

static char *const pool[] = {"a", "b", "c", "d", "e"};

/* Random line lists: the diff is valid and minimal (as long as the LCS
 * reference), with or without a common head and tail. */
static void test_diff_random(void **state)
{
	char *a[40], *b[40];
	size_t same;

	(void)state;
	srand(7);
	for (int round = 0; round < 300; round++) {
		size_t na = (size_t)(rand() % 40), nb = (size_t)(rand() % 40);

		for (size_t i = 0; i < na; i++)
			a[i] = pool[rand() % 5];
		for (size_t i = 0; i < nb; i++)
			b[i] = pool[rand() % 5];
		check_diff(a, na, b, nb, &same);
		assert_int_equal(same, lcs_len(a, na, b, nb));
	}
	check_diff(a, 0, b, 0, &same);
	assert_int_equal(same, 0);
}

/* A middle too big for the table is shown as removed, then added; the
 * common head and tail still match. */
static void test_diff_big(void **state)
{
	size_t n = 1100, same;
	char **a = malloc(n * sizeof *a), **b = malloc(n * sizeof *b);
	char *buf = malloc(n * 2 * 16);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		a[i] = buf + i * 32;
		b[i] = buf + i * 32 + 16;
		sprintf(a[i], "a%zu", i);
		sprintf(b[i], "b%zu", i);
	}
	b[0] = a[0];
	b[n - 1] = a[n - 1];
	check_diff(a, n, b, n, &same);
	assert_int_equal(same, 2);
	free(a);
	free(b);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_visible_lines), cmocka_unit_test(test_charset_and_cut),
		cmocka_unit_test(test_hostile),       cmocka_unit_test(test_diff_random),
		cmocka_unit_test(test_diff_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
