/*
 * test_charset.c - unit tests for src/io/charset.c.
 *
 * Encoded inputs are written as hex escapes checked against iconv(1), e.g.
 * `printf 网站名称 | iconv -t GB18030 | xxd` gives CD F8 D5 BE C3 FB B3 C6.
 * sw_utf8_valid is also compared with a naive decoder on random bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/charset.h"

/* Length of a string literal without its NUL, for inputs holding NULs. */
#define LIT(s) (s), (sizeof(s) - 1)

#define WANGZHAN_MINGCHENG "\xe7\xbd\x91\xe7\xab\x99\xe5\x90\x8d\xe7\xa7\xb0" /* 网站名称 */

/* Asserts that in[0..len) converts to want with encoding cs. */
static void expect_utf8(const char *in, size_t len, enum sw_charset cs, const char *want)
{
	struct sw_errbuf eb;
	enum sw_charset got_cs;
	char *out;
	size_t outlen;

	sw_errbuf_clear(&eb);
	assert_int_equal(sw_charset_to_utf8(in, len, &out, &outlen, &got_cs, &eb), SW_OK);
	assert_true(sw_errbuf_empty(&eb));
	assert_int_equal(got_cs, cs);
	assert_int_equal(outlen, strlen(want));
	assert_string_equal(out, want);
	free(out);
}

/* Asserts that in[0..len) fails with rc and a message starting with msg. */
static void expect_fail(const char *in, size_t len, enum sw_err rc, const char *msg)
{
	struct sw_errbuf eb;
	char *out = (char *)1;
	size_t outlen = 1;

	sw_errbuf_clear(&eb);
	assert_int_equal(sw_charset_to_utf8(in, len, &out, &outlen, NULL, &eb), rc);
	assert_null(out);
	assert_int_equal(outlen, 0);
	if (strncmp(eb.msg, msg, strlen(msg)) != 0)
		fail_msg("message \"%s\" does not start with \"%s\"", eb.msg, msg);
}

/* Returns the next value of a fixed-seed xorshift64 generator. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Missing arguments are errors, never crashes. */
static void test_null_args(void **state)
{
	struct sw_errbuf eb;
	char *out;
	size_t outlen;

	(void)state;
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_charset_to_utf8("a", 1, NULL, &outlen, NULL, &eb), SW_EINVAL);
	assert_false(sw_errbuf_empty(&eb));
	assert_int_equal(sw_charset_to_utf8("a", 1, &out, NULL, NULL, NULL), SW_EINVAL);
	assert_int_equal(sw_charset_to_utf8(NULL, 3, &out, &outlen, NULL, NULL), SW_EINVAL);
	assert_int_equal(sw_charset_utf8_to_gb18030(NULL, &out, &outlen, NULL), SW_EINVAL);
	assert_int_equal(sw_charset_utf8_to_gb18030("a", NULL, &outlen, NULL), SW_EINVAL);
	assert_true(sw_utf8_valid(NULL, 0));
	assert_false(sw_utf8_valid(NULL, 1));
}

/* Empty input, alone or after a BOM, converts to an empty string. */
static void test_empty_input(void **state)
{
	(void)state;
	expect_utf8(NULL, 0, SW_CS_UTF8, "");
	expect_utf8("", 0, SW_CS_UTF8, "");
	expect_utf8(LIT("\xef\xbb\xbf"), SW_CS_UTF8_BOM, "");
	expect_utf8(LIT("\xff\xfe"), SW_CS_UTF16LE, "");
}

/* Every encoding has a display name; an unknown value does not crash. */
static void test_names(void **state)
{
	(void)state;
	assert_string_equal(sw_charset_name(SW_CS_UTF8), "UTF-8");
	assert_string_equal(sw_charset_name(SW_CS_UTF8_BOM), "UTF-8 (BOM)");
	assert_string_equal(sw_charset_name(SW_CS_GB18030), "GB18030/GBK");
	assert_string_equal(sw_charset_name(SW_CS_UTF16LE), "UTF-16LE");
	assert_string_equal(sw_charset_name(SW_CS_UTF16BE), "UTF-16BE");
	assert_string_equal(sw_charset_name((enum sw_charset)99), "unknown");
}

/* Valid UTF-8 without a BOM is copied unchanged. */
static void test_utf8_plain(void **state)
{
	(void)state;
	expect_utf8(LIT("name,url\r\nexample,https://example.com/\r\n"), SW_CS_UTF8,
		    "name,url\r\nexample,https://example.com/\r\n");
	expect_utf8(LIT(WANGZHAN_MINGCHENG ",a\n"), SW_CS_UTF8, WANGZHAN_MINGCHENG ",a\n");
}

/* A UTF-8 BOM is dropped; only the first one is a mark. */
static void test_utf8_bom_dropped(void **state)
{
	(void)state;
	expect_utf8(LIT("\xef\xbb\xbf" WANGZHAN_MINGCHENG "\n"), SW_CS_UTF8_BOM,
		    WANGZHAN_MINGCHENG "\n");
	/* Only the first BOM is a mark; a second one is text (U+FEFF). */
	expect_utf8(LIT("\xef\xbb\xbf\xef\xbb\xbf"), SW_CS_UTF8_BOM, "\xef\xbb\xbf");
}

/* Text that is not UTF-8 is decoded as GB18030, covering GBK. */
static void test_gbk(void **state)
{
	(void)state;
	expect_utf8(LIT("\xcd\xf8\xd5\xbe\xc3\xfb\xb3\xc6"), SW_CS_GB18030, WANGZHAN_MINGCHENG);
	/* 网站名称,网址 / a,b as Excel on a Chinese Windows saves it. */
	expect_utf8(LIT("\xcd\xf8\xd5\xbe\xc3\xfb\xb3\xc6,\xcd\xf8\xd6\xb7\r\na,b\r\n"),
		    SW_CS_GB18030, WANGZHAN_MINGCHENG ",\xe7\xbd\x91\xe5\x9d\x80\r\na,b\r\n");
	/* A four-byte GB18030 sequence: 81 30 81 30 is U+0080. */
	expect_utf8(LIT("\x81\x30\x81\x30"), SW_CS_GB18030, "\xc2\x80");
}

/* Bytes that are neither UTF-8 nor GB18030 name line and offset. */
static void test_gbk_invalid(void **state)
{
	(void)state;
	/* 0x80 is neither UTF-8 nor a GB18030 lead byte. */
	expect_fail(LIT("a,b\nc,d\n\x80x"), SW_ECHARSET,
		    "line 3, byte 8: not valid GB18030/GBK text (nor UTF-8: first bad UTF-8 "
		    "byte on line 3, byte 8)");
	/* Valid GBK on lines 1-2, then a lead byte cut off by the end. */
	expect_fail(LIT("\xcd\xf8\xd5\xbe\n\n\xcd"), SW_ECHARSET,
		    "line 3, byte 6: not valid GB18030/GBK text");
	/* UTF-8 with one corrupt byte: GB18030 fails elsewhere (91 0A is not a
	 * pair), so both positions are named. */
	expect_fail(LIT("ok\n\xe7\xbd\x91\n\xff\n"), SW_ECHARSET,
		    "line 2, byte 5: not valid GB18030/GBK text (nor UTF-8: first bad UTF-8 "
		    "byte on line 3, byte 7)");
}

/* With a UTF-8 BOM there is no GB18030 fallback. */
static void test_utf8_bom_then_invalid(void **state)
{
	(void)state;
	expect_fail(LIT("\xef\xbb\xbf"
			"ab\n\xc0\x80"),
		    SW_ECHARSET, "line 2, byte 6: not valid UTF-8 text");
}

/* UTF-16 with a BOM, both byte orders, including a surrogate pair. */
static void test_utf16(void **state)
{
	(void)state;
	/* 网站,a LF, then U+1F600 as a surrogate pair. */
	expect_utf8(LIT("\xff\xfe\x51\x7f\xd9\x7a,\0a\0\n\0\x3d\xd8\x00\xde"), SW_CS_UTF16LE,
		    "\xe7\xbd\x91\xe7\xab\x99,a\n\xf0\x9f\x98\x80");
	expect_utf8(LIT("\xfe\xff\x7f\x51\x7a\xd9\0,\0a"), SW_CS_UTF16BE,
		    "\xe7\xbd\x91\xe7\xab\x99,a");
}

/* Unpaired surrogates, odd lengths and U+0000 in UTF-16 are errors. */
static void test_utf16_invalid(void **state)
{
	(void)state;
	/* A high surrogate followed by 'b' on line 2. */
	expect_fail(LIT("\xff\xfe"
			"a\0\n\0\x00\xd8"
			"b\0"),
		    SW_ECHARSET, "line 2, byte 6: not valid UTF-16LE text");
	/* Odd length: the last code unit is cut in half. */
	expect_fail(LIT("\xfe\xff\0a\0"), SW_ECHARSET, "line 1, byte 4: not valid UTF-16BE text");
	expect_fail(LIT("\xff\xfe"
			"a\0\n\0\0\0"),
		    SW_ECHARSET, "line 2, byte 6: NUL byte in text");
}

/* A NUL byte is refused in every encoding, with its position. */
static void test_embedded_nul(void **state)
{
	(void)state;
	expect_fail(LIT("a\nb\0c"), SW_ECHARSET, "line 2, byte 3: NUL byte in text");
	expect_fail(LIT("\xef\xbb\xbf\0"), SW_ECHARSET, "line 1, byte 3: NUL byte in text");
	/* NUL wins over the GB18030 fallback. */
	expect_fail(LIT("\xcd\xf8\0"), SW_ECHARSET, "line 1, byte 2: NUL byte in text");
	/* UTF-16 without a BOM is full of NULs. */
	expect_fail(LIT("a\0b\0"), SW_ECHARSET, "line 1, byte 1: NUL byte in text");
}

/* Inputs over 1 GiB are refused with SW_ELIMIT. */
static void test_size_cap(void **state)
{
	char one = 'a';

	(void)state;
	/* The length is checked before the buffer is read, so a short buffer
	 * with a lying length is safe here and spares allocating 1 GiB. */
	expect_fail(&one, ((size_t)1 << 30) + 1, SW_ELIMIT,
		    "file is 1073741825 bytes, more than the 1 GiB limit");
}

/* Boundary code points that are valid UTF-8. */
static void test_utf8_valid_cases(void **state)
{
	(void)state;
	assert_true(sw_utf8_valid(LIT("plain ascii text, longer than eight bytes")));
	assert_true(sw_utf8_valid(LIT("\0")));
	assert_true(sw_utf8_valid(LIT(WANGZHAN_MINGCHENG)));
	assert_true(sw_utf8_valid(LIT("\xc2\x80")));         /* U+0080 */
	assert_true(sw_utf8_valid(LIT("\xdf\xbf")));         /* U+07FF */
	assert_true(sw_utf8_valid(LIT("\xe0\xa0\x80")));     /* U+0800 */
	assert_true(sw_utf8_valid(LIT("\xed\x9f\xbf")));     /* U+D7FF */
	assert_true(sw_utf8_valid(LIT("\xee\x80\x80")));     /* U+E000 */
	assert_true(sw_utf8_valid(LIT("\xef\xbf\xbf")));     /* U+FFFF */
	assert_true(sw_utf8_valid(LIT("\xf0\x90\x80\x80"))); /* U+10000 */
	assert_true(sw_utf8_valid(LIT("\xf4\x8f\xbf\xbf"))); /* U+10FFFF */
}

/* Overlongs, surrogates, values past U+10FFFF and cut sequences. */
static void test_utf8_invalid_cases(void **state)
{
	(void)state;
	assert_false(sw_utf8_valid(LIT("\xc0\x80")));         /* overlong NUL */
	assert_false(sw_utf8_valid(LIT("\xc1\xbf")));         /* overlong U+007F */
	assert_false(sw_utf8_valid(LIT("\xe0\x80\x80")));     /* overlong 3-byte */
	assert_false(sw_utf8_valid(LIT("\xe0\x9f\xbf")));     /* overlong U+07FF */
	assert_false(sw_utf8_valid(LIT("\xf0\x80\x80\x80"))); /* overlong 4-byte */
	assert_false(sw_utf8_valid(LIT("\xf0\x8f\xbf\xbf"))); /* overlong U+FFFF */
	assert_false(sw_utf8_valid(LIT("\xed\xa0\x80")));     /* surrogate U+D800 */
	assert_false(sw_utf8_valid(LIT("\xed\xbf\xbf")));     /* surrogate U+DFFF */
	assert_false(sw_utf8_valid(LIT("\xf4\x90\x80\x80"))); /* U+110000 */
	assert_false(sw_utf8_valid(LIT("\xf5\x80\x80\x80")));
	assert_false(sw_utf8_valid(LIT("\xff")));
	assert_false(sw_utf8_valid(LIT("\x80")));             /* lone continuation */
	assert_false(sw_utf8_valid(LIT("\xe7\xbd")));         /* cut short at the end */
	assert_false(sw_utf8_valid(LIT("\xe7\xbd" "a")));
	assert_false(sw_utf8_valid(LIT("abcdefghijklmnop\x80")));
	assert_false(sw_utf8_valid(LIT("\xed\xa0\x80\xed\xb0\x80"))); /* CESU-8 pair */
}

/*
 * The naive reference: decodes each sequence to a code point from its lead
 * byte's bit pattern and rejects overlongs, surrogates and values above
 * U+10FFFF afterwards, instead of charset.c's second-byte ranges.
 */
static int ref_utf8_valid(const unsigned char *s, size_t len)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t i = 0, n, k;
	uint32_t cp;

	while (i < len) {
		if (s[i] < 0x80)
			n = 1, cp = s[i];
		else if ((s[i] & 0xE0) == 0xC0)
			n = 2, cp = s[i] & 0x1F;
		else if ((s[i] & 0xF0) == 0xE0)
			n = 3, cp = s[i] & 0x0F;
		else if ((s[i] & 0xF8) == 0xF0)
			n = 4, cp = s[i] & 0x07;
		else
			return 0;
		if (len - i < n)
			return 0;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n;
	}
	return 1;
}

/* Returns a random byte biased toward the bytes UTF-8 treats specially. */
static unsigned char random_byte(uint64_t *seed)
{
	static const unsigned char edges[] = {
		0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
		0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
	};
	uint64_t r = rnd(seed);

	if (r % 4 == 0)
		return (unsigned char)(r >> 8);
	if (r % 4 == 1)
		return 'a';
	return edges[(r >> 8) % sizeof edges];
}

/* The fast validator agrees with a naive decoder on random bytes. */
static void test_utf8_valid_matches_reference(void **state)
{
	uint64_t seed = 7;
	unsigned char buf[40];
	size_t len, i, iter, valid = 0;

	(void)state;
	for (iter = 0; iter < 500000; iter++) {
		len = rnd(&seed) % sizeof buf;
		for (i = 0; i < len; i++)
			buf[i] = random_byte(&seed);
		i = (size_t)ref_utf8_valid(buf, len);
		assert_int_equal(sw_utf8_valid((const char *)buf, len), (int)i);
		valid += i;
	}
	/* The generator must reach both outcomes often to be a test at all. */
	assert_true(valid > 10000);
	assert_true(valid < 490000);
}

/* Export to GB18030 gives the GBK bytes and refuses invalid UTF-8. */
static void test_to_gb18030(void **state)
{
	struct sw_errbuf eb;
	char *out;
	size_t outlen;

	(void)state;
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_charset_utf8_to_gb18030(WANGZHAN_MINGCHENG ",a", &out, &outlen, &eb),
			 SW_OK);
	assert_int_equal(outlen, 10);
	assert_memory_equal(out, "\xcd\xf8\xd5\xbe\xc3\xfb\xb3\xc6,a", 11);
	free(out);
	assert_int_equal(sw_charset_utf8_to_gb18030("", &out, &outlen, &eb), SW_OK);
	assert_int_equal(outlen, 0);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(sw_charset_utf8_to_gb18030("ok\nbad\xed\xa0\x80", &out, &outlen, &eb),
			 SW_ECHARSET);
	assert_null(out);
	assert_string_equal(eb.msg, "line 2, byte 6: not valid UTF-8 text");
}

/* An export twice the input size grows its buffer and reads back. */
static void test_gb18030_round_trip_grows_output(void **state)
{
	enum { N = 5000 };
	char *in = malloc(2 * N + 1), *gb, *back;
	size_t i, gblen, backlen;

	(void)state;
	assert_non_null(in);
	/* U+0080 doubles in size (C2 80 -> 81 30 81 30): past the first guess. */
	for (i = 0; i < N; i++)
		memcpy(in + 2 * i, "\xc2\x80", 2);
	in[2 * N] = '\0';
	assert_int_equal(sw_charset_utf8_to_gb18030(in, &gb, &gblen, NULL), SW_OK);
	assert_int_equal(gblen, 4 * N);
	assert_memory_equal(gb + 4 * (N - 1), "\x81\x30\x81\x30", 4);
	assert_int_equal(sw_charset_to_utf8(gb, gblen, &back, &backlen, NULL, NULL), SW_OK);
	assert_int_equal(backlen, 2 * N);
	assert_string_equal(back, in);
	free(back);
	free(gb);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_args),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_utf8_plain),
		cmocka_unit_test(test_utf8_bom_dropped),
		cmocka_unit_test(test_gbk),
		cmocka_unit_test(test_gbk_invalid),
		cmocka_unit_test(test_utf8_bom_then_invalid),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_utf16_invalid),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_size_cap),
		cmocka_unit_test(test_utf8_valid_cases),
		cmocka_unit_test(test_utf8_invalid_cases),
		cmocka_unit_test(test_utf8_valid_matches_reference),
		cmocka_unit_test(test_to_gb18030),
		cmocka_unit_test(test_gb18030_round_trip_grows_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
