/*
 * test_validate.c - unit tests for the validators of src/model/validate.h
 * (validate.c, validate_contact.c, province.c).
 *
 * Every accepted case is compared with its exact canonical form and then
 * fed back in, because a canonical form must be a fixed point (the register
 * stores it and re-validates it on every import).  Every rejected case is
 * checked for SW_EINVAL, an emptied output and key words of the message.
 * Inputs are copied to exact-size heap blocks so the sanitizers see any
 * read past the NUL.  The credit-code check character and the calendar are
 * tested against naive reference implementations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/validate.h"

/* The common shape of the validators, so one helper drives them all. */
typedef enum sw_err (*validator_fn)(const char *in, char *out, size_t outsz,
				    struct sw_errbuf *eb);

/* sw_valid_region_code without the level, to fit validator_fn. */
static enum sw_err region_fn(const char *in, char *out, size_t outsz, struct sw_errbuf *eb)
{
	return sw_valid_region_code(in, out, outsz, NULL, eb);
}

/* sw_valid_url with a throw-away host, to fit validator_fn. */
static enum sw_err url_fn(const char *in, char *out, size_t outsz, struct sw_errbuf *eb)
{
	char host[SW_DOMAIN_MAX];
	int is_ip;

	return sw_valid_url(in, out, outsz, host, sizeof host, &is_ip, eb);
}

static const validator_fn all_validators[] = {
	sw_valid_credit_code, sw_valid_icp,   sw_valid_psb,   sw_valid_gov_code,
	region_fn,	      sw_valid_domain, url_fn,	       sw_valid_ip,
	sw_valid_phone,	      sw_valid_email, sw_valid_date,
};

#define NVALIDATORS (sizeof all_validators / sizeof all_validators[0])

/* Returns a heap copy of s exactly strlen(s) + 1 bytes long, so that a read
 * past the NUL is a sanitizer error instead of a silent success. */
static char *exact_copy(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	assert_non_null(p);
	memcpy(p, s, n);
	return p;
}

/*
 * Asserts that f accepts in with canonical form want; that the form is a
 * fixed point; that a buffer of exactly its size works and one byte less
 * is SW_ELIMIT with the buffer left empty.
 */
static void ok_at(int line, validator_fn f, const char *in, const char *want)
{
	char out[SW_URL_MAX], again[SW_URL_MAX];
	struct sw_errbuf eb;
	char *copy = exact_copy(in);
	size_t n = strlen(want);
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	rc = f(copy, out, sizeof out, &eb);
	if (rc != SW_OK)
		fail_msg("line %d: \"%s\" rejected (%s): %s", line, in, sw_errname(rc), eb.msg);
	if (strcmp(out, want) != 0)
		fail_msg("line %d: \"%s\" gave \"%s\", want \"%s\"", line, in, out, want);
	if (f(out, again, sizeof again, NULL) != SW_OK || strcmp(again, out) != 0)
		fail_msg("line %d: canonical \"%s\" is not a fixed point", line, out);
	if (f(copy, again, n + 1, NULL) != SW_OK)
		fail_msg("line %d: exact-size buffer refused", line);
	memset(again, 'x', n);
	sw_errbuf_clear(&eb);
	if (f(copy, again, n, &eb) != SW_ELIMIT || (n > 0 && again[0] != '\0'))
		fail_msg("line %d: short buffer not SW_ELIMIT or not emptied", line);
	if (strstr(eb.msg, "bytes") == NULL)
		fail_msg("line %d: SW_ELIMIT message \"%s\"", line, eb.msg);
	free(copy);
}

/* Asserts that f rejects in with SW_EINVAL, empties out, and says words;
 * and that it does the same with a NULL errbuf. */
static void bad_at(int line, validator_fn f, const char *in, const char *words)
{
	char out[SW_URL_MAX];
	struct sw_errbuf eb;
	char *copy = exact_copy(in);
	enum sw_err rc;

	memset(out, 'x', sizeof out);
	sw_errbuf_clear(&eb);
	rc = f(copy, out, sizeof out, &eb);
	if (rc != SW_EINVAL)
		fail_msg("line %d: \"%s\" gave %s (\"%s\"), want SW_EINVAL", line, in,
			 sw_errname(rc), out);
	if (out[0] != '\0')
		fail_msg("line %d: output not emptied on failure", line);
	if (strstr(eb.msg, words) == NULL)
		fail_msg("line %d: \"%s\": message \"%s\" lacks \"%s\"", line, in, eb.msg, words);
	if (f(copy, out, sizeof out, NULL) != SW_EINVAL)
		fail_msg("line %d: NULL errbuf changed the result", line);
	free(copy);
}

#define OK(f, in, want) ok_at(__LINE__, f, in, want)
#define BAD(f, in, words) bad_at(__LINE__, f, in, words)

/* A small deterministic generator, so failures reproduce. */
static unsigned long rng_state = 12345;

/* Returns the next pseudo-random number below n. */
static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((rng_state >> 33) % n);
}

/* ---- credit code --------------------------------------------------------- */

/* Naive GB 32100-2015 check character: its own alphabet search and
 * weights grown by repeated multiplication, sharing nothing with the code. */
static char naive_check(const char *c17)
{
	static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	long sum = 0, w = 1;
	int i, v;

	for (i = 0; i < 17; i++, w = w * 3 % 31) {
		for (v = 0; v < 31 && alpha[v] != c17[i]; v++)
			;
		if (v == 31)
			return '\0';
		sum += v * w;
	}
	return alpha[(31 - sum % 31) % 31];
}

/* Writes a random valid 18-character code into code (19 bytes). */
static void random_code(char *code)
{
	static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	int i;

	for (i = 0; i < 17; i++)
		code[i] = i >= 2 && i <= 7 ? (char)('0' + rnd(10)) : alpha[rnd(31)];
	code[17] = naive_check(code);
	code[18] = '\0';
}

static void test_credit_valid(void **state)
{
	(void)state;
	/* Published codes: Huawei Technologies (Wikipedia infobox) and a
	 * company footer; the other two checked with the naive reference. */
	OK(sw_valid_credit_code, "914403001922038216", "914403001922038216");
	OK(sw_valid_credit_code, "91440300MA5H0HLK5U", "91440300MA5H0HLK5U");
	OK(sw_valid_credit_code, "9144030071526726XG", "9144030071526726XG");
	OK(sw_valid_credit_code, "91330100716105852F", "91330100716105852F");
	OK(sw_valid_credit_code, "91440300ma5h0hlk5u", "91440300MA5H0HLK5U");
	OK(sw_valid_credit_code, " \t914403001922038216\u3000\r\n", "914403001922038216");
	OK(sw_valid_credit_code, "９１４４０３００ＭＡ５Ｈ０ＨＬＫ５Ｕ", "91440300MA5H0HLK5U");
}

static void test_credit_invalid(void **state)
{
	(void)state;
	BAD(sw_valid_credit_code, "91440300192203821", "must be 18 characters, got 17");
	BAD(sw_valid_credit_code, "9144030019220382166", "must be 18 characters, got 19");
	BAD(sw_valid_credit_code, "914403001922038217", "check character is '7', expected '6'");
	BAD(sw_valid_credit_code, "91110000100000000J", "expected 'R'");
	BAD(sw_valid_credit_code, "9144I3001922038216", "character 5 'I' is not allowed (I, O, S, V, Z");
	BAD(sw_valid_credit_code, "914403001922038O16", "character 16 'O' is not allowed (I, O, S");
	BAD(sw_valid_credit_code, "91440300192203821中", "character 18 '中' (U+4E2D) is not allowed");
	BAD(sw_valid_credit_code, "9144030019220382\xff" "6", "character 17 byte 0xFF");
	BAD(sw_valid_credit_code, "9144030019220382\x01" "6", "byte 0x01");
	BAD(sw_valid_credit_code, "914A03001922038216", "character 4 'A' must be a digit");
	BAD(sw_valid_credit_code, "91440300192203821\u202e", "U+202E is not allowed");
	BAD(sw_valid_credit_code, "   ", "is empty");
}

static void test_credit_check_char(void **state)
{
	static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	char code[19];
	int i, j;

	(void)state;
	assert_int_equal(sw_credit_code_check_char("91440300192203821"), '6');
	assert_int_equal(sw_credit_code_check_char(NULL), '\0');
	assert_int_equal(sw_credit_code_check_char(""), '\0');
	assert_int_equal(sw_credit_code_check_char("9144030019220382"), '\0');
	assert_int_equal(sw_credit_code_check_char("91440300ma5h0hlk5"), '\0');
	assert_int_equal(sw_credit_code_check_char("9144030019220382I"), '\0');
	for (i = 0; i < 20000; i++) {
		for (j = 0; j < 17; j++)
			code[j] = alpha[rnd(31)];
		code[17] = '\0';
		assert_int_equal(sw_credit_code_check_char(code), naive_check(code));
	}
}

/* 31 is prime and the weights are distinct powers of a primitive root, so
 * every single substitution and every transposition must be caught. */
static void test_credit_detects_typos(void **state)
{
	char code[19], bad[19], out[19];
	int i, pos;

	(void)state;
	for (i = 0; i < 2000; i++) {
		random_code(code);
		assert_int_equal(sw_valid_credit_code(code, out, sizeof out, NULL), SW_OK);
		assert_string_equal(out, code);
		for (pos = 0; pos < 17; pos++) {
			memcpy(bad, code, sizeof bad);
			bad[pos] = pos >= 2 && pos <= 7 ? (char)('0' + (bad[pos] - '0' + 1 + rnd(9)) % 10)
							 : (bad[pos] == 'A' ? 'B' : 'A');
			assert_int_equal(sw_valid_credit_code(bad, out, sizeof out, NULL), SW_EINVAL);
			if (pos == 16 || code[pos] == code[pos + 1])
				continue;
			memcpy(bad, code, sizeof bad);
			bad[pos] = code[pos + 1], bad[pos + 1] = code[pos];
			assert_int_equal(sw_valid_credit_code(bad, out, sizeof out, NULL), SW_EINVAL);
		}
	}
}

/* ---- provinces ---------------------------------------------------------- */

static void test_province_lookup(void **state)
{
	const struct sw_province *p;
	char code[3];
	size_t len = 0;
	int i, found = 0;

	(void)state;
	p = sw_province_by_code("440305");
	assert_non_null(p);
	assert_string_equal(p->abbr, "粤");
	assert_null(sw_province_by_code("99"));
	assert_null(sw_province_by_code("1"));
	assert_null(sw_province_by_code(""));
	assert_null(sw_province_by_code(NULL));
	p = sw_province_by_abbr("蜀ICP备", &len);
	assert_non_null(p);
	assert_string_equal(p->code, "51");
	assert_int_equal(len, strlen("蜀"));
	assert_non_null(sw_province_by_abbr("京", NULL));
	assert_null(sw_province_by_abbr("X京", NULL));
	assert_null(sw_province_by_abbr("", NULL));
	assert_null(sw_province_by_abbr("\xe4", NULL));
	assert_null(sw_province_by_abbr(NULL, &len));
	for (i = 0; i < 100; i++) {
		snprintf(code, sizeof code, "%02d", i);
		p = sw_province_by_code(code);
		if (p == NULL)
			continue;
		found++;
		assert_string_equal(p->code, code);
		assert_ptr_equal(sw_province_by_abbr(p->abbr, NULL), p);
		if (p->abbr2)
			assert_ptr_equal(sw_province_by_abbr(p->abbr2, NULL), p);
	}
	assert_int_equal(found, 34);
}

/* ---- ICP and PSB numbers ------------------------------------------------ */

static void test_icp_valid(void **state)
{
	(void)state;
	OK(sw_valid_icp, "京ICP备12345678号-1", "京ICP备12345678号-1");
	OK(sw_valid_icp, "粤ICP备2021012345号", "粤ICP备2021012345号");
	OK(sw_valid_icp, "京ICP证030173号", "京ICP证030173号");
	OK(sw_valid_icp, "京ICP证0301号", "京ICP证0301号");
	OK(sw_valid_icp, "京ICP备１２３４５６７８号－１", "京ICP备12345678号-1");
	OK(sw_valid_icp, "京ICP备12345678号—2", "京ICP备12345678号-2");
	OK(sw_valid_icp, "京icp备12345678号", "京ICP备12345678号");
	OK(sw_valid_icp, "\u3000 京 ICP 备 12345678 号 - 3 ", "京ICP备12345678号-3");
	OK(sw_valid_icp, "京ＩＣＰ备12345678号-001", "京ICP备12345678号-1");
	OK(sw_valid_icp, "蜀ICP备12345678号-999", "蜀ICP备12345678号-999");
	OK(sw_valid_icp, "川ICP备123456号", "川ICP备123456号");
}

static void test_icp_invalid(void **state)
{
	(void)state;
	BAD(sw_valid_icp, "ICP备12345678号", "province abbreviation");
	BAD(sw_valid_icp, "中ICP备12345678号", "province abbreviation");
	BAD(sw_valid_icp, "京IPC备12345678号", "'ICP'");
	BAD(sw_valid_icp, "京ICP12345678号", "'备' (filing) or '证'");
	BAD(sw_valid_icp, "京ICP备12345号", "6-10 digits after '备', got 5");
	BAD(sw_valid_icp, "京ICP备12345678901号", "got 11");
	BAD(sw_valid_icp, "京ICP证123号", "4-10 digits after '证', got 3");
	BAD(sw_valid_icp, "京ICP备12345678", "'号'");
	BAD(sw_valid_icp, "京ICP备12345678-1", "'号'");
	BAD(sw_valid_icp, "京ICP备1234567a号", "'号'");
	BAD(sw_valid_icp, "京ICP备12345678号-0", "-1 to -999");
	BAD(sw_valid_icp, "京ICP备12345678号-1000", "-1 to -999");
	BAD(sw_valid_icp, "京ICP备12345678号-", "-1 to -999");
	BAD(sw_valid_icp, "京ICP备12345678号-1x", "-1 to -999");
	BAD(sw_valid_icp, "京ICP备12345678号x", "unexpected text after '号'");
	BAD(sw_valid_icp, "京", "'ICP'");
}

static void test_psb_valid(void **state)
{
	(void)state;
	OK(sw_valid_psb, "京公网安备 11010502030143号", "京公网安备 11010502030143号");
	OK(sw_valid_psb, "京公网安备11010502030143号", "京公网安备 11010502030143号");
	OK(sw_valid_psb, "京公网安备  11010502030143 号 ", "京公网安备 11010502030143号");
	OK(sw_valid_psb, "京公网安备１１０１０５０２０３０１４３号", "京公网安备 11010502030143号");
	OK(sw_valid_psb, "粤公网安备 44030502000001号", "粤公网安备 44030502000001号");
	OK(sw_valid_psb, "蜀公网安备 51010402000123号", "蜀公网安备 51010402000123号");
}

static void test_psb_invalid(void **state)
{
	(void)state;
	BAD(sw_valid_psb, "京公网安备 44030502000001号", "number 44... belongs to province 44 (粤), not 京");
	BAD(sw_valid_psb, "京公网安备 99010502030143号", "99, which is not a province code");
	BAD(sw_valid_psb, "京公网安备 1101050203014号", "14 digits, got 13");
	BAD(sw_valid_psb, "京公网安备 110105020301431号", "14 digits, got 15");
	BAD(sw_valid_psb, "京公网安备 11010502030143", "'号'");
	BAD(sw_valid_psb, "京公网安备 11010502030143号-1", "'号'");
	BAD(sw_valid_psb, "京公安网备 11010502030143号", "'公网安备'");
	BAD(sw_valid_psb, "公网安备 11010502030143号", "province abbreviation");
	BAD(sw_valid_psb, "京ICP备12345678号", "'公网安备'");
}

/* ---- gov and region codes ----------------------------------------------- */

static void test_gov_code(void **state)
{
	(void)state;
	OK(sw_valid_gov_code, "1100000001", "1100000001");
	OK(sw_valid_gov_code, "4403050012", "4403050012");
	OK(sw_valid_gov_code, "bm12345678", "bm12345678");
	OK(sw_valid_gov_code, "BM12345678", "bm12345678");
	OK(sw_valid_gov_code, " Bm12345678\u3000", "bm12345678");
	OK(sw_valid_gov_code, "１１０００００００１", "1100000001");
	BAD(sw_valid_gov_code, "9900000001", "99, which is not a province code");
	BAD(sw_valid_gov_code, "110000000", "10 characters, got 9");
	BAD(sw_valid_gov_code, "11000000011", "got 11");
	BAD(sw_valid_gov_code, "bm1234567x", "'bm' and 8 digits");
	BAD(sw_valid_gov_code, "11000a0001", "10 digits, or 'bm'");
	BAD(sw_valid_gov_code, "ab12345678", "10 digits, or 'bm'");
	BAD(sw_valid_gov_code, "京000000001", "10 digits, or 'bm'");
}

static void test_region_code(void **state)
{
	char out[8];
	int level = -1;

	(void)state;
	OK(region_fn, "110000", "110000");
	OK(region_fn, "４４０３０５", "440305");
	assert_int_equal(sw_valid_region_code("110000", out, sizeof out, &level, NULL), SW_OK);
	assert_int_equal(level, 1);
	assert_int_equal(sw_valid_region_code(" 440300 ", out, sizeof out, &level, NULL), SW_OK);
	assert_int_equal(level, 2);
	assert_string_equal(out, "440300");
	assert_int_equal(sw_valid_region_code("440305", out, sizeof out, &level, NULL), SW_OK);
	assert_int_equal(level, 3);
	assert_int_equal(sw_valid_region_code("990000", out, sizeof out, &level, NULL), SW_EINVAL);
	assert_int_equal(level, 0);
	BAD(region_fn, "110000x", "6 digits, got 7");
	BAD(region_fn, "1100", "6 digits, got 4");
	BAD(region_fn, "990000", "99, which is not a province code");
	BAD(region_fn, "11 000", "character 3");
	BAD(region_fn, "11000中", "character 6 '中' (U+4E2D) of the region code");
}

/* ---- domains ------------------------------------------------------------ */

/* Writes nlabels labels of the given lengths joined by dots into buf. */
static void make_domain(char *buf, const int *lens, int nlabels)
{
	int i;

	buf[0] = '\0';
	for (i = 0; i < nlabels; i++) {
		size_t at = strlen(buf);
		memset(buf + at, 'a' + i, (size_t)lens[i]);
		buf[at + (size_t)lens[i]] = '\0';
		if (i + 1 < nlabels)
			strcat(buf, ".");
	}
}

static void test_domain_valid(void **state)
{
	static const int max[] = {63, 63, 63, 61};
	char name[300];

	(void)state;
	OK(sw_valid_domain, "www.gov.cn", "www.gov.cn");
	OK(sw_valid_domain, "Example.COM.", "example.com");
	OK(sw_valid_domain, "例子.政务.cn", "xn--fsqu00a.xn--zfr164b.cn");
	OK(sw_valid_domain, "例子。政务。cn", "xn--fsqu00a.xn--zfr164b.cn");
	OK(sw_valid_domain, "ＷＷＷ．ＧＯＶ．ＣＮ", "www.gov.cn");
	OK(sw_valid_domain, "中国.中国", "xn--fiqs8s.xn--fiqs8s");
	OK(sw_valid_domain, "XN--FIQS8S.cn", "xn--fiqs8s.cn");
	OK(sw_valid_domain, "\u3000 a-1.b2.cn\t", "a-1.b2.cn");
	OK(sw_valid_domain, "123.cn", "123.cn");
	make_domain(name, max, 4);
	assert_int_equal(strlen(name), 253);
	OK(sw_valid_domain, name, name);
}

static void test_domain_invalid(void **state)
{
	static const int too_long[] = {63, 63, 63, 62}, big_label[] = {64, 2};
	char name[300];

	(void)state;
	BAD(sw_valid_domain, "localhost", "at least two labels");
	BAD(sw_valid_domain, "a..b.cn", "empty label");
	BAD(sw_valid_domain, ".cn", "empty label");
	BAD(sw_valid_domain, "a.cn..", "empty label");
	BAD(sw_valid_domain, ".", "no labels");
	BAD(sw_valid_domain, "-a.cn", "label '-a' starts or ends with '-'");
	BAD(sw_valid_domain, "a-.cn", "'-'");
	BAD(sw_valid_domain, "a_b.cn", "character '_' is not allowed");
	BAD(sw_valid_domain, "a b.cn", "character ' '");
	BAD(sw_valid_domain, "*.gov.cn", "character '*'");
	BAD(sw_valid_domain, "例子 .cn", "character ' '");
	BAD(sw_valid_domain, "example.123", "top-level label '123' is all digits");
	BAD(sw_valid_domain, "example.123.", "top-level label '123' is all digits");
	BAD(sw_valid_domain, "1.2.3.4", "an IP address, not a domain");
	BAD(sw_valid_domain, "１.２.３.４", "an IP address, not a domain");
	BAD(sw_valid_domain, "::1", "an IP address, not a domain");
	BAD(sw_valid_domain, "[::1]", "an IP address, not a domain");
	BAD(sw_valid_domain, "ab--cd.cn", "not a valid domain name");
	BAD(sw_valid_domain, "xn--zz.cn", "not a valid domain name");
	BAD(sw_valid_domain, "\xff\xfe.cn", "not a valid domain name");
	BAD(sw_valid_domain, "http://www.gov.cn", "character ':'");
	make_domain(name, too_long, 4);
	BAD(sw_valid_domain, name, "longer than 253 bytes");
	make_domain(name, big_label, 2);
	BAD(sw_valid_domain, name, "longer than 63");
}

/* ---- URLs --------------------------------------------------------------- */

/* Asserts the canonical URL, host and host kind of in. */
static void url_parts_at(int line, const char *in, const char *want, const char *want_host,
			 int want_ip)
{
	char out[SW_URL_MAX], host[SW_DOMAIN_MAX];
	struct sw_errbuf eb;
	int is_ip = -1;

	sw_errbuf_clear(&eb);
	if (sw_valid_url(in, out, sizeof out, host, sizeof host, &is_ip, &eb) != SW_OK)
		fail_msg("line %d: \"%s\" rejected: %s", line, in, eb.msg);
	if (strcmp(out, want) != 0 || strcmp(host, want_host) != 0 || is_ip != want_ip)
		fail_msg("line %d: \"%s\" gave \"%s\" host \"%s\" ip %d", line, in, out, host, is_ip);
}

#define URL_PARTS(in, want, host, ip) url_parts_at(__LINE__, in, want, host, ip)

static void test_url_valid(void **state)
{
	(void)state;
	OK(url_fn, "www.gov.cn", "http://www.gov.cn/");
	OK(url_fn, "HTTPS://例子.政务.cn:443/a?b", "https://xn--fsqu00a.xn--zfr164b.cn/a?b");
	OK(url_fn, "http://www.gov.cn:80", "http://www.gov.cn/");
	OK(url_fn, "https://www.gov.cn:80/", "https://www.gov.cn:80/");
	OK(url_fn, "http://www.gov.cn:0080/", "http://www.gov.cn/");
	OK(url_fn, "http://www.gov.cn:8080/x/y.html#top", "http://www.gov.cn:8080/x/y.html");
	OK(url_fn, "http://www.gov.cn#top", "http://www.gov.cn/");
	OK(url_fn, "http://www.gov.cn?id=1", "http://www.gov.cn/?id=1");
	OK(url_fn, "http://www.gov.cn:/", "http://www.gov.cn/");
	OK(url_fn, "//www.gov.cn/a", "http://www.gov.cn/a");
	OK(url_fn, "www.gov.cn:8080/a", "http://www.gov.cn:8080/a");
	OK(url_fn, "http://WWW.Gov.CN/Path/A%20B", "http://www.gov.cn/Path/A%20B");
	OK(url_fn, "http://www.gov.cn/路径", "http://www.gov.cn/路径");
	OK(url_fn, " http://www.gov.cn./ ", "http://www.gov.cn/");
	OK(url_fn, "http://192.168.1.1", "http://192.168.1.1/");
	OK(url_fn, "http://[2001:DB8::1]:8080/", "http://[2001:db8::1]:8080/");
	URL_PARTS("https://[2001:db8:0:0::1]/x", "https://[2001:db8::1]/x", "2001:db8::1", 1);
	URL_PARTS("10.0.0.1:8443/", "http://10.0.0.1:8443/", "10.0.0.1", 1);
	URL_PARTS("HTTP://Example.CN", "http://example.cn/", "example.cn", 0);
}

static void test_url_invalid(void **state)
{
	(void)state;
	BAD(url_fn, "ftp://www.gov.cn/", "scheme 'ftp' is not allowed (only http and https)");
	BAD(url_fn, "javascript:alert(1)", "scheme 'javascript'");
	BAD(url_fn, "mailto:a@b.cn", "scheme 'mailto'");
	BAD(url_fn, "http:/www.gov.cn", "'//' after 'http:'");
	BAD(url_fn, "http://user:pw@www.gov.cn/", "user name or password");
	BAD(url_fn, "http://www.gov.cn@evil.cn/", "user name or password");
	BAD(url_fn, "http://www.gov.cn:0/", "port 0 is outside 1-65535");
	BAD(url_fn, "http://www.gov.cn:65536/", "port 65536 is outside");
	BAD(url_fn, "http://www.gov.cn:99999999999999999999999/", "outside 1-65535");
	BAD(url_fn, "http://www.gov.cn:8a/", "port must be digits");
	BAD(url_fn, "http://2001:db8::1/", "not in brackets");
	BAD(url_fn, "http://[2001:db8::1/", "'[' without ']'");
	BAD(url_fn, "http://[2001:db8::1]x/", "not a port");
	BAD(url_fn, "http://[1.2.3.4]/", "not an IPv6 address");
	BAD(url_fn, "http://[]/", "not an IPv6 address");
	BAD(url_fn, "http://www.gov.cn/a b", "space or control character at byte 3");
	BAD(url_fn, "http://www.gov.cn/a\x01", "control character");
	BAD(url_fn, "http:///x", "has no host");
	BAD(url_fn, "http://:80/", "has no host");
	BAD(url_fn, "http://localhost/", "host must have at least two labels");
	BAD(url_fn, "http://a_b.gov.cn/", "host character '_'");
	BAD(url_fn, "http://good.cn\\@evil.cn/", "user name");
	BAD(url_fn, "http://1.2.3/", "host top-level label '3' is all digits");
}

static void test_url_limits(void **state)
{
	char in[SW_URL_MAX + 16], out[SW_URL_MAX], host[4];
	struct sw_errbuf eb;
	size_t base;
	int is_ip = 7;

	(void)state;
	strcpy(in, "http://a.cn/");
	base = strlen(in);
	memset(in + base, 'x', SW_URL_MAX - 1 - base);
	in[SW_URL_MAX - 1] = '\0';
	OK(url_fn, in, in);
	strcat(in, "y");
	BAD(url_fn, in, "longer than 2047 bytes");
	/* host and is_ip may be NULL; a short host buffer is SW_ELIMIT */
	assert_int_equal(sw_valid_url("www.gov.cn", out, sizeof out, NULL, 0, NULL, NULL), SW_OK);
	assert_string_equal(out, "http://www.gov.cn/");
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_valid_url("www.gov.cn", out, sizeof out, host, sizeof host, &is_ip, &eb),
			 SW_ELIMIT);
	assert_string_equal(host, "");
	assert_string_equal(out, "");
	assert_int_equal(is_ip, 0);
	assert_non_null(strstr(eb.msg, "host needs 11 bytes"));
}

/* ---- IP, phone, e-mail -------------------------------------------------- */

static void test_ip(void **state)
{
	(void)state;
	OK(sw_valid_ip, "1.2.3.4", "1.2.3.4");
	OK(sw_valid_ip, " 2001:DB8:0:0:0:0:0:1 ", "2001:db8::1");
	OK(sw_valid_ip, "::ffff:1.2.3.4", "::ffff:1.2.3.4");
	OK(sw_valid_ip, "０.０.０.０", "0.0.0.0");
	BAD(sw_valid_ip, "1.2.3", "not an IPv4 or IPv6 address");
	BAD(sw_valid_ip, "256.1.1.1", "not an IPv4");
	BAD(sw_valid_ip, "01.2.3.4", "not an IPv4");
	BAD(sw_valid_ip, "fe80::1%eth0", "not an IPv4");
	BAD(sw_valid_ip, "1.2.3.4/24", "not an IPv4");
	BAD(sw_valid_ip, "[::1]", "not an IPv4");
	BAD(sw_valid_ip, "www.gov.cn", "not an IPv4");
}

static void test_phone_valid(void **state)
{
	(void)state;
	OK(sw_valid_phone, "13800138000", "13800138000");
	OK(sw_valid_phone, "138 0013 8000", "13800138000");
	OK(sw_valid_phone, "138-0013-8000", "13800138000");
	OK(sw_valid_phone, "+86 138 0013 8000", "13800138000");
	OK(sw_valid_phone, "+8613800138000", "13800138000");
	OK(sw_valid_phone, "86-13800138000", "13800138000");
	OK(sw_valid_phone, "１３８００１３８０００", "13800138000");
	OK(sw_valid_phone, "19912345678", "19912345678");
	OK(sw_valid_phone, "010-12345678", "010-12345678");
	OK(sw_valid_phone, "01012345678", "010-12345678");
	OK(sw_valid_phone, "020 87654321", "020-87654321");
	OK(sw_valid_phone, "0311-1234567", "0311-1234567");
	OK(sw_valid_phone, "03111234567", "0311-1234567");
	OK(sw_valid_phone, "010-12345678转123", "010-12345678-123");
	OK(sw_valid_phone, "010－12345678－123", "010-12345678-123");
	OK(sw_valid_phone, "+86-10-12345678", "010-12345678");
	OK(sw_valid_phone, "+86 0755 12345678", "0755-12345678");
	OK(sw_valid_phone, "400-810-5555", "4008105555");
	OK(sw_valid_phone, "800 810 8888", "8008108888");
}

static void test_phone_invalid(void **state)
{
	(void)state;
	BAD(sw_valid_phone, "12345678901", "beginning 13 to 19");
	BAD(sw_valid_phone, "1380013800", "got 10 digits");
	BAD(sw_valid_phone, "138001380001", "got 12 digits");
	BAD(sw_valid_phone, "010-123456", "7 or 8 digits, got 6");
	BAD(sw_valid_phone, "010-123456789", "got 9");
	BAD(sw_valid_phone, "01-12345678", "area code");
	BAD(sw_valid_phone, "01234-1234567", "area code");
	BAD(sw_valid_phone, "010-12345678转", "extension must be 1-6 digits");
	BAD(sw_valid_phone, "010-12345678-1234567", "extension");
	BAD(sw_valid_phone, "010-12345678abc", "unexpected text after the number");
	BAD(sw_valid_phone, "+86", "no number after the country code");
	BAD(sw_valid_phone, "abc", "not a mobile");
	BAD(sw_valid_phone, "4008105555x", "not a mobile");
}

static void test_email(void **state)
{
	char local[80];

	(void)state;
	OK(sw_valid_email, "Admin@Example.COM", "Admin@example.com");
	OK(sw_valid_email, "zhang.san+web@例子.cn", "zhang.san+web@xn--fsqu00a.cn");
	OK(sw_valid_email, " webmaster＠gov.cn ", "webmaster@gov.cn");
	OK(sw_valid_email, "a@b.cn", "a@b.cn");
	BAD(sw_valid_email, "webmaster.gov.cn", "no '@'");
	BAD(sw_valid_email, "a@b@gov.cn", "more than one '@'");
	BAD(sw_valid_email, "a＠b@gov.cn", "more than one '@'");
	BAD(sw_valid_email, "@gov.cn", "nothing before '@'");
	BAD(sw_valid_email, "a@", "nothing after '@'");
	BAD(sw_valid_email, ".a@gov.cn", "starts or ends with '.'");
	BAD(sw_valid_email, "a.@gov.cn", "starts or ends with '.'");
	BAD(sw_valid_email, "a..b@gov.cn", "'..'");
	BAD(sw_valid_email, "张三@gov.cn", "character '张' (U+5F20) before '@'");
	BAD(sw_valid_email, "a b@gov.cn", "character ' '");
	BAD(sw_valid_email, "a@localhost", "domain after '@' must have at least two labels");
	BAD(sw_valid_email, "a@1.2.3.4", "domain after '@' is an IP address");
	memset(local, 'a', 65);
	strcpy(local + 65, "@gov.cn");
	BAD(sw_valid_email, local, "more than 64 bytes before '@'");
	memmove(local + 64, local + 65, strlen(local + 65) + 1);
	OK(sw_valid_email, local, local);
}

/* ---- dates -------------------------------------------------------------- */

static void test_date_valid(void **state)
{
	(void)state;
	OK(sw_valid_date, "2024-03-01", "2024-03-01");
	OK(sw_valid_date, "2024/3/1", "2024-03-01");
	OK(sw_valid_date, "2024.03.1", "2024-03-01");
	OK(sw_valid_date, "2024年3月1日", "2024-03-01");
	OK(sw_valid_date, "2024年12月31日", "2024-12-31");
	OK(sw_valid_date, "２０２４－０３－０１", "2024-03-01");
	OK(sw_valid_date, "2000-02-29", "2000-02-29");
	OK(sw_valid_date, "2024-02-29", "2024-02-29");
	OK(sw_valid_date, "1990-01-01", "1990-01-01");
	OK(sw_valid_date, "2100-12-31", "2100-12-31");
}

static void test_date_invalid(void **state)
{
	(void)state;
	BAD(sw_valid_date, "2100-02-29", "day 29 does not exist in 2100-02");
	BAD(sw_valid_date, "2023-02-29", "day 29 does not exist in 2023-02");
	BAD(sw_valid_date, "2024-04-31", "day 31");
	BAD(sw_valid_date, "2024-04-00", "day 0");
	BAD(sw_valid_date, "1989-12-31", "year 1989 is outside 1990-2100");
	BAD(sw_valid_date, "2101-01-01", "year 2101");
	BAD(sw_valid_date, "2024-13-01", "month 13 is not between 1 and 12");
	BAD(sw_valid_date, "2024-00-10", "month 0");
	BAD(sw_valid_date, "2024-03-01 12:00", "text after the date");
	BAD(sw_valid_date, "2024-03/01", "must be a date like");
	BAD(sw_valid_date, "24-03-01", "must be a date like");
	BAD(sw_valid_date, "20245-03-01", "must be a date like");
	BAD(sw_valid_date, "2024-003-01", "must be a date like");
	BAD(sw_valid_date, "2024年3月1", "must be a date like");
	BAD(sw_valid_date, "2024年3-1日", "must be a date like");
	BAD(sw_valid_date, "2024-03-", "must be a date like");
	BAD(sw_valid_date, "March 1, 2024", "must be a date like");
}

/* Every day of 1989-2101 against timegm's own calendar: a date is valid
 * exactly when normalising it through timegm leaves it unchanged. */
static void test_date_reference(void **state)
{
	char in[16], out[16];
	struct tm tm;
	time_t t;
	int y, m, d, want;

	(void)state;
	for (y = 1989; y <= 2101; y++) {
		for (m = 1; m <= 12; m++) {
			for (d = 0; d <= 32; d++) {
				memset(&tm, 0, sizeof tm);
				tm.tm_year = y - 1900, tm.tm_mon = m - 1, tm.tm_mday = d;
				t = timegm(&tm);
				want = y >= 1990 && y <= 2100 && tm.tm_mday == d && tm.tm_mon == m - 1 &&
				       t != (time_t)-1;
				snprintf(in, sizeof in, "%04d-%02d-%02d", y, m, d);
				assert_int_equal(sw_valid_date(in, out, sizeof out, NULL) == SW_OK, want);
				if (want)
					assert_string_equal(out, in);
			}
		}
	}
}

/* ---- properties shared by every validator ------------------------------- */

static void test_empty_and_null(void **state)
{
	static const char *const empties[] = {"", " ", "\t\r\n\v\f", "\u3000", " \u3000 \u3000"};
	char out[64];
	struct sw_errbuf eb;
	size_t v, i;

	(void)state;
	for (v = 0; v < NVALIDATORS; v++) {
		for (i = 0; i < sizeof empties / sizeof empties[0]; i++)
			bad_at(__LINE__, all_validators[v], empties[i], "is empty");
		sw_errbuf_clear(&eb);
		assert_int_equal(all_validators[v](NULL, out, sizeof out, &eb), SW_EINVAL);
		assert_string_equal(eb.msg, "is empty");
		assert_int_equal(all_validators[v](NULL, out, sizeof out, NULL), SW_EINVAL);
	}
}

/* A lone lead byte or a cut-off U+3000 at either end must not be trimmed
 * as a space or read past. */
static void test_partial_utf8_edges(void **state)
{
	static const char *const edges[] = {"\xe3", "\xe3\x80", "a\xe3\x80", ("\xe3\x80" "a"), "\xe4"};
	char out[SW_URL_MAX];
	size_t v, i;

	(void)state;
	for (v = 0; v < NVALIDATORS; v++) {
		for (i = 0; i < sizeof edges / sizeof edges[0]; i++) {
			char *copy = exact_copy(edges[i]);
			assert_int_equal(all_validators[v](copy, out, sizeof out, NULL), SW_EINVAL);
			free(copy);
		}
	}
}

static void test_oversize_input(void **state)
{
	size_t v, n = 100000;
	char *big = malloc(n + 1), out[SW_URL_MAX];
	struct sw_errbuf eb;

	(void)state;
	assert_non_null(big);
	memset(big, '1', n);
	big[n] = '\0';
	for (v = 0; v < NVALIDATORS; v++) {
		sw_errbuf_clear(&eb);
		assert_int_equal(all_validators[v](big, out, sizeof out, &eb), SW_EINVAL);
		assert_non_null(strstr(eb.msg, "too long"));
	}
	/* Just under the trim limit: each parser must still cope. */
	big[8192] = '\0';
	for (v = 0; v < NVALIDATORS; v++)
		assert_int_equal(all_validators[v](big, out, sizeof out, NULL), SW_EINVAL);
	free(big);
}

/* A valid input per validator, for the buffer-size checks. */
static const char *const samples[NVALIDATORS] = {
	"914403001922038216", "京ICP备12345678号-1", "京公网安备 11010502030143号",
	"bm12345678", "110000", "www.gov.cn", "www.gov.cn", "1.2.3.4", "13800138000",
	"a@b.cn", "2024-03-01",
};

static void test_output_buffer(void **state)
{
	char out[SW_URL_MAX];
	struct sw_errbuf eb;
	size_t v;

	(void)state;
	for (v = 0; v < NVALIDATORS; v++) {
		sw_errbuf_clear(&eb);
		assert_int_equal(all_validators[v](samples[v], NULL, 0, &eb), SW_ELIMIT);
		assert_non_null(strstr(eb.msg, "buffer has 0"));
		assert_int_equal(all_validators[v](samples[v], out, 0, NULL), SW_ELIMIT);
		out[0] = 'x';
		assert_int_equal(all_validators[v](samples[v], out, 1, NULL), SW_ELIMIT);
		assert_int_equal(out[0], '\0');
		assert_int_equal(all_validators[v](samples[v], out, sizeof out, NULL), SW_OK);
	}
}

/* The first failure wins: a validator does not overwrite an earlier message. */
static void test_first_message_kept(void **state)
{
	char out[32];
	struct sw_errbuf eb;

	(void)state;
	sw_errbuf_clear(&eb);
	sw_errf(&eb, SW_EINVAL, "earlier");
	assert_int_equal(sw_valid_date("2024-13-01", out, sizeof out, &eb), SW_EINVAL);
	assert_string_equal(eb.msg, "earlier");
}

/*
 * Random strings built from tokens that matter to the parsers: no validator
 * may crash, read out of bounds, return anything but SW_OK or SW_EINVAL
 * with a big buffer, or produce a canonical form that is not a fixed point.
 */
static void test_random_tokens(void **state)
{
	static const char *const tokens[] = {
		"0", "1", "9", "4", "a", "Z", "I", ".", "-", ":", "/", "//", "@", "[", "]", " ",
		"\t", "#", "?", "%", "\x80", "\xff", "\xe3", "\xe3\x80\x80", "京", "蜀", "ICP",
		"备", "证", "号", "公网安备", "年", "月", "日", "转", "http://", "https:", "xn--",
		"＠", "１", "－", "。", "例子", "+86", "bm", "::", "127.0.0.1", "\u202e",
	};
	char in[512], out[SW_URL_MAX], again[SW_URL_MAX];
	size_t v, len;
	int i, k, ntok;
	enum sw_err rc;

	(void)state;
	for (i = 0; i < 20000; i++) {
		in[0] = '\0';
		ntok = (int)rnd(16);
		for (k = 0; k < ntok; k++)
			strcat(in, tokens[rnd(sizeof tokens / sizeof tokens[0])]);
		len = strlen(in);
		for (v = 0; v < NVALIDATORS; v++) {
			char *copy = exact_copy(in);
			rc = all_validators[v](copy, out, sizeof out, NULL);
			free(copy);
			if (rc != SW_OK && rc != SW_EINVAL)
				fail_msg("validator %zu on \"%s\" (%zu bytes) gave %s", v, in, len,
					 sw_errname(rc));
			if (rc == SW_OK &&
			    (all_validators[v](out, again, sizeof again, NULL) != SW_OK ||
			     strcmp(out, again) != 0))
				fail_msg("validator %zu: \"%s\" -> \"%s\" is not a fixed point", v, in, out);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_credit_valid),
		cmocka_unit_test(test_credit_invalid),
		cmocka_unit_test(test_credit_check_char),
		cmocka_unit_test(test_credit_detects_typos),
		cmocka_unit_test(test_province_lookup),
		cmocka_unit_test(test_icp_valid),
		cmocka_unit_test(test_icp_invalid),
		cmocka_unit_test(test_psb_valid),
		cmocka_unit_test(test_psb_invalid),
		cmocka_unit_test(test_gov_code),
		cmocka_unit_test(test_region_code),
		cmocka_unit_test(test_domain_valid),
		cmocka_unit_test(test_domain_invalid),
		cmocka_unit_test(test_url_valid),
		cmocka_unit_test(test_url_invalid),
		cmocka_unit_test(test_url_limits),
		cmocka_unit_test(test_ip),
		cmocka_unit_test(test_phone_valid),
		cmocka_unit_test(test_phone_invalid),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_date_valid),
		cmocka_unit_test(test_date_invalid),
		cmocka_unit_test(test_date_reference),
		cmocka_unit_test(test_empty_and_null),
		cmocka_unit_test(test_partial_utf8_edges),
		cmocka_unit_test(test_oversize_input),
		cmocka_unit_test(test_output_buffer),
		cmocka_unit_test(test_first_message_kept),
		cmocka_unit_test(test_random_tokens),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
