/*
 * test_fetch_charset.c - unit tests for src/probe/fetch_charset.c: which
 * charset a fetched body is in and its conversion to UTF-8.
 *
 * Encoded inputs are hex escapes checked against iconv(1), e.g.
 * `printf 政府 | iconv -t GBK | xxd` gives D5 FE B8 AE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "probe/fetch_int.h"

#define ZHENGFU_GBK "\xd5\xfe\xb8\xae"       /* 政府 in GBK */
#define ZHENGFU_UTF8 "\xe6\x94\xbf\xe5\xba\x9c" /* 政府 in UTF-8 */
#define FFFD "\xef\xbf\xbd"

/* Returns a result whose body is body[0..len) with Content-Type ct (may be
 * NULL), charset detected as the engine does on delivery. */
static struct sw_fetch_result *mk(const char *ct, const char *body, size_t len)
{
	struct sw_fetch_result *r = sw__result_new("http://x.test/", NULL);

	assert_non_null(r);
	free(r->body);
	r->body = malloc(len + 1);
	assert_non_null(r->body);
	memcpy(r->body, body, len);
	r->body[len] = '\0';
	r->body_len = len;
	if (ct != NULL)
		r->content_type = strdup(ct);
	sw__charset_detect(r);
	return r;
}

/* Asserts r's label and source, and that its UTF-8 body equals want. */
static void expect(struct sw_fetch_result *r, const char *label, enum sw_fetch_cs_src src,
		   const char *want)
{
	char *out;
	size_t len;

	assert_string_equal(r->charset, label);
	assert_int_equal(r->charset_src, src);
	assert_int_equal(sw_fetch_body_utf8(r, &out, &len), SW_OK);
	assert_int_equal(len, strlen(want));
	assert_string_equal(out, want);
	free(out);
	sw_fetch_result_free(r);
}

#define MK(ct, lit) mk((ct), (lit), sizeof(lit) - 1)

/* The header's charset, quoted or not, in any case. */
static void test_header(void **state)
{
	(void)state;
	expect(MK("text/html; charset=GBK", ZHENGFU_GBK), "gbk", SW_FETCH_CS_HEADER, ZHENGFU_UTF8);
	expect(MK("text/html;charset=\"GB2312\"", ZHENGFU_GBK), "gb2312", SW_FETCH_CS_HEADER,
	       ZHENGFU_UTF8);
	expect(MK("text/html; Charset = gb18030", ZHENGFU_GBK), "gb18030", SW_FETCH_CS_HEADER,
	       ZHENGFU_UTF8);
	/* iso-8859-1 means windows-1252, as in browsers: 0x80 is the euro sign */
	expect(MK("text/html; charset=iso-8859-1", "\x80"), "iso-8859-1", SW_FETCH_CS_HEADER,
	       "\xe2\x82\xac");
}

/* A BOM wins over the header, and is dropped from the text. */
static void test_bom(void **state)
{
	(void)state;
	expect(MK("text/html; charset=gbk", "\xef\xbb\xbf" ZHENGFU_UTF8), "utf-8", SW_FETCH_CS_BOM,
	       ZHENGFU_UTF8);
	expect(MK(NULL, "\xff\xfe\x3f\x65\x9c\x5e"), "utf-16le", SW_FETCH_CS_BOM, ZHENGFU_UTF8);
	expect(MK(NULL, "\xfe\xff\x65\x3f\x5e\x9c"), "utf-16be", SW_FETCH_CS_BOM, ZHENGFU_UTF8);
}

/* <meta charset> and http-equiv; commented-out ones and ones past 4 KiB do
 * not count; a meta saying UTF-16 means UTF-8. */
static void test_meta(void **state)
{
	char *big;
	struct sw_fetch_result *r;

	(void)state;
	expect(MK(NULL, "<html><META CHARSET='big5'>\xac\x46\xa9\xb2"), "big5", SW_FETCH_CS_META,
	       "<html><META CHARSET='big5'>" ZHENGFU_UTF8);
	expect(MK("text/html", "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">"
			       ZHENGFU_GBK),
	       "gbk", SW_FETCH_CS_META,
	       "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">" ZHENGFU_UTF8);
	expect(MK(NULL, "<!-- <meta charset=big5> --><meta charset=gbk>"), "gbk", SW_FETCH_CS_META,
	       "<!-- <meta charset=big5> --><meta charset=gbk>");
	expect(MK(NULL, "<metadata charset=gbk>"), "", SW_FETCH_CS_NONE, "<metadata charset=gbk>");
	expect(MK(NULL, "<meta charset=utf-16>ok"), "utf-8", SW_FETCH_CS_META, "<meta charset=utf-16>ok");

	big = malloc(5000);
	assert_non_null(big);
	memset(big, ' ', 5000);
	memcpy(big + 4500, "<meta charset=gbk>", 18);
	r = mk(NULL, big, 5000);
	assert_string_equal(r->charset, "");
	sw_fetch_result_free(r);
	free(big);
}

/* Nothing declared: valid UTF-8 stays, anything else is read as GB18030. */
static void test_undeclared(void **state)
{
	(void)state;
	expect(MK(NULL, ZHENGFU_UTF8), "", SW_FETCH_CS_NONE, ZHENGFU_UTF8);
	expect(MK(NULL, ZHENGFU_GBK), "", SW_FETCH_CS_NONE, ZHENGFU_UTF8);
	expect(MK(NULL, ""), "", SW_FETCH_CS_NONE, "");
	/* a label iconv does not know is treated as undeclared */
	expect(MK("text/html; charset=x-no-such", ZHENGFU_GBK), "x-no-such", SW_FETCH_CS_HEADER,
	       ZHENGFU_UTF8);
}

/* Bad bytes and NULs become U+FFFD instead of failing or truncating. */
static void test_replacement(void **state)
{
	(void)state;
	expect(MK("text/html; charset=utf-8", "a\xff" "b"), "utf-8", SW_FETCH_CS_HEADER,
	       "a" FFFD "b");
	expect(MK("text/html; charset=utf-8", "a\0b"), "utf-8", SW_FETCH_CS_HEADER, "a" FFFD "b");
	/* a GBK lead byte cut off at the end */
	expect(MK("text/html; charset=gbk", ZHENGFU_GBK "\xd5"), "gbk", SW_FETCH_CS_HEADER,
	       ZHENGFU_UTF8 FFFD);
	/* Old 5-byte forms, which glibc's UTF-8 decoder lets through, and a
	 * surrogate: every byte of them becomes U+FFFD (found by fuzzing). */
	expect(MK(NULL, "\xef\xbb\xbf" "a\xf9\x82\x82\x82\x82" "b"), "utf-8", SW_FETCH_CS_BOM,
	       "a" FFFD FFFD FFFD FFFD FFFD "b");
	expect(MK("text/html; charset=utf-8", "\xed\xa0\x80" "c"), "utf-8", SW_FETCH_CS_HEADER,
	       FFFD FFFD FFFD "c");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),     cmocka_unit_test(test_bom),
		cmocka_unit_test(test_meta),       cmocka_unit_test(test_undeclared),
		cmocka_unit_test(test_replacement),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
