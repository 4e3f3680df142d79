/*
 * test_import.c - unit tests for the CSV importer (src/register/import.c,
 * import_cols.c).
 *
 * The importer's promises are checked on small inline registers: every
 * encoding a Chinese office saves in imports alike; every rejected value is
 * reported with its row and the header of its column; when anything is
 * rejected nothing at all is written (the store is counted afterwards);
 * units, departments, groups and persons named by several rows are created
 * once.  Credit codes are computed with the validator's own check
 * character, so a test never depends on a hand-computed code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/validate.h"
#include "register/import.h"
#include "register/register.h"
#include "../testutil.h"

/* ---- fixtures ---- */

static char code1[19], code2[19], code3[19], code4[19], code5[19];

/* Writes a valid credit code for the first 17 characters c17 into out. */
static int setup_codes(void **state)
{
	(void)state;
	sw_test_credit(code1, "11110000000000011"); /* 党政机关 credit codes start 11 */
	sw_test_credit(code2, "11110000000000022");
	sw_test_credit(code3, "11440300000000033");
	sw_test_credit(code4, "12110000000000044");
	sw_test_credit(code5, "91110000MA0000055");
	return 0;
}

/* Errors the importer reported. */
struct errs {
	size_t n;
	struct {
		size_t row, line;
		char col[128];
		char msg[600];
	} e[64];
};

static void on_err(void *arg, size_t row, size_t line, const char *column, const char *cell,
		   const char *msg)
{
	(void)cell;
	struct errs *x = arg;

	if (x->n >= sizeof x->e / sizeof x->e[0])
		return;
	x->e[x->n].row = row;
	x->e[x->n].line = line;
	snprintf(x->e[x->n].col, sizeof x->e[x->n].col, "%s", column ? column : "(none)");
	snprintf(x->e[x->n].msg, sizeof x->e[x->n].msg, "%s", msg);
	x->n++;
}

static void print_errs(const struct errs *x)
{
	for (size_t i = 0; i < x->n; i++)
		fprintf(stderr, "  row %zu (line %zu), column %s: %s\n", x->e[i].row, x->e[i].line,
			x->e[i].col, x->e[i].msg);
}

/* Imports len bytes of data; errors go to x (cleared first). */
static enum sw_err import_n(struct sw_store *st, const char *data, size_t len,
			    enum sw_import_kind kind, int dry, struct sw_import_stats *stats,
			    struct errs *x)
{
	struct sw_errbuf eb;
	enum sw_err rc;

	memset(x, 0, sizeof *x);
	sw_errbuf_clear(&eb);
	rc = sw_import_buffer(st, data, len, kind, dry, stats, on_err, x, &eb);
	if (rc && rc != SW_EINVAL)
		fprintf(stderr, "  import: %s: %s\n", sw_errname(rc), eb.msg);
	return rc;
}

static enum sw_err import(struct sw_store *st, const char *text, enum sw_import_kind kind,
			  int dry, struct sw_import_stats *stats, struct errs *x)
{
	return import_n(st, text, strlen(text), kind, dry, stats, x);
}

/* Imports text and fails the test unless every row was accepted. */
static void import_ok(struct sw_store *st, const char *text, enum sw_import_kind kind,
		      struct sw_import_stats *stats)
{
	struct errs x;
	enum sw_err rc = import(st, text, kind, 0, stats, &x);

	if (rc != SW_OK) {
		print_errs(&x);
		fail_msg("import failed: %s", sw_errname(rc));
	}
	assert_int_equal(x.n, 0);
}

static int64_t count(struct sw_store *st, enum sw_ent e)
{
	int64_t n = -1;

	assert_int_equal(sw_store_count(st, sw_entity_get(e), NULL, &n, NULL), SW_OK);
	return n;
}

/* Asserts that the register holds nothing but the shipped provinces. */
static void assert_empty(struct sw_store *st)
{
	assert_int_equal(count(st, SW_ENT_SITE), 0);
	assert_int_equal(count(st, SW_ENT_UNIT), 0);
	assert_int_equal(count(st, SW_ENT_PERSON), 0);
	assert_int_equal(count(st, SW_ENT_GROUP), 0);
	assert_int_equal(count(st, SW_ENT_DEPT), 0);
	assert_int_equal(count(st, SW_ENT_REGION), 34);
}

/* Asserts that error i is on row with column col and a message holding
 * words (may be NULL). */
#define has_err(x, i, row, col, words) has_err_at(__LINE__, x, i, row, col, words)
static void has_err_at(int line, const struct errs *x, size_t i, size_t row, const char *col,
		       const char *words)
{
	if (i >= x->n) {
		print_errs(x);
		fail_msg("line %d: only %zu errors, want error %zu", line, x->n, i);
	}
	if (x->e[i].row != row || strcmp(x->e[i].col, col) != 0 ||
	    (words && !strstr(x->e[i].msg, words))) {
		print_errs(x);
		fail_msg("line %d: error %zu is row %zu column %s (%s); want row %zu column %s (%s)",
			 line, i, x->e[i].row, x->e[i].col, x->e[i].msg, row, col,
			 words ? words : "any message");
	}
}

/* Loads the site with url; fails the test when missing. */
static void site_by_url(struct sw_store *st, const char *url, struct sw_rec *r)
{
	struct sw_errbuf eb;
	int64_t id = 0;

	sw_errbuf_clear(&eb);
	if (sw_reg_resolve(st, sw_entity_get(SW_ENT_SITE), url, &id, &eb))
		fail_msg("no site %s: %s", url, eb.msg);
	assert_int_equal(sw_store_get(st, sw_entity_get(SW_ENT_SITE), id, r, &eb), SW_OK);
}

static const char *get(const struct sw_rec *r, const char *key)
{
	return sw_rec_get(r, sw_field_index(r->ent->id, key));
}

/* Label (name) of row id of e, or "" for none. */
static void label(struct sw_store *st, enum sw_ent e, const char *id, char *buf, size_t n)
{
	buf[0] = '\0';
	if (id)
		sw_reg_label(st, e, strtoll(id, NULL, 10), buf, n);
}

#define SITE_HEADER                                                                     \
	"序号,网站名称,首页地址,其他域名,主办单位,单位类型,统一社会信用代码,行政区划代码,主管部门," \
	"网站群,状态,开通日期,等保级别,测评日期,安全责任人,安全责任人电话,联系人,联系人邮箱,备注\r\n"

/* A four-row register: units 1 and 2 share a department and a group; site
 * 4 shares unit 1 and its security officer with site 1. */
static void site_register(char *buf, size_t n)
{
	snprintf(buf, n,
		 SITE_HEADER
		 "1,首都之窗,http://www.beijing.gov.cn/,beijing.gov.cn,北京市人民政府办公厅,党政机关,"
		 "%s,110000,北京市委网信办,北京市政府网站群,运行,2019-01-01,第三级,2024-03-15,张三,"
		 "13800138000,李四,lisi@beijing.gov.cn,\r\n"
		 "2,北京市教委,http://jw.beijing.gov.cn/,,北京市教育委员会,党政机关,%s,110000,"
		 "北京市委网信办,北京市政府网站群,运行,2020/5/1,2,,张三,13800138000,,,\"含,逗号\"\r\n"
		 "3,深圳政府在线,https://www.sz.gov.cn/,,深圳市人民政府办公厅,党政机关,%s,440300,,,"
		 "正常运行,,,,王五,0755-88888888,,,\r\n"
		 "4,首都之窗英文版,http://english.beijing.gov.cn/,,北京市人民政府办公厅,党政机关,%s,"
		 "110000,北京市委网信办,,暂停,,,,张三,13800138000,,,\r\n",
		 code1, code2, code3, code1);
}

/* Checks what site_register() leaves in the store. */
static void check_site_register(struct sw_store *st)
{
	struct sw_rec s, u;
	char buf[256];

	assert_int_equal(count(st, SW_ENT_SITE), 4);
	assert_int_equal(count(st, SW_ENT_UNIT), 3);
	assert_int_equal(count(st, SW_ENT_DEPT), 1);
	assert_int_equal(count(st, SW_ENT_GROUP), 1);
	assert_int_equal(count(st, SW_ENT_PERSON), 4);

	site_by_url(st, "http://www.beijing.gov.cn/", &s);
	assert_string_equal(get(&s, "name"), "首都之窗");
	assert_string_equal(get(&s, "domains"), "beijing.gov.cn");
	assert_string_equal(get(&s, "status"), "online");
	assert_string_equal(get(&s, "launch_date"), "2019-01-01");
	assert_string_equal(get(&s, "mlps_grade"), "3");
	assert_string_equal(get(&s, "mlps_next_due"), "2025-03-15");
	label(st, SW_ENT_GROUP, get(&s, "group"), buf, sizeof buf);
	assert_string_equal(buf, "北京市政府网站群");
	assert_int_equal(sw_store_get(st, sw_entity_get(SW_ENT_UNIT),
				      strtoll(get(&s, "unit"), NULL, 10), &u, NULL), SW_OK);
	assert_string_equal(get(&u, "name"), "北京市人民政府办公厅");
	assert_string_equal(get(&u, "type"), "party_gov");
	assert_string_equal(get(&u, "credit_code"), code1);
	assert_string_equal(get(&u, "region"), "110000");
	label(st, SW_ENT_DEPT, get(&u, "department"), buf, sizeof buf);
	assert_string_equal(buf, "北京市委网信办");
	sw_rec_cleanup(&u);
	sw_rec_cleanup(&s);

	site_by_url(st, "http://jw.beijing.gov.cn/", &s);
	assert_string_equal(get(&s, "launch_date"), "2020-05-01");
	assert_string_equal(get(&s, "note"), "含,逗号");
	assert_null(get(&s, "domains"));
	sw_rec_cleanup(&s);
	site_by_url(st, "https://www.sz.gov.cn/", &s);
	assert_null(get(&s, "group"));
	assert_string_equal(get(&s, "status"), "online");
	sw_rec_cleanup(&s);
	site_by_url(st, "http://english.beijing.gov.cn/", &s);
	assert_string_equal(get(&s, "status"), "suspended");
	sw_rec_cleanup(&s);
}

/* ---- inputs that are not a register ---- */

static void test_empty_input(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;

	assert_int_not_equal(import_n(st, "", 0, SW_IMPORT_AUTO, 0, &stats, &x), SW_OK);
	assert_int_not_equal(import(st, "\xef\xbb\xbf", SW_IMPORT_AUTO, 0, &stats, &x), SW_OK);
	assert_empty(st);
	/* A header alone is a valid, empty register. */
	assert_int_equal(import(st, SITE_HEADER, SW_IMPORT_AUTO, 0, &stats, &x), SW_OK);
	assert_int_equal(stats.kind, SW_IMPORT_SITES);
	assert_int_equal(stats.rows, 0);
	assert_empty(st);
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_int_equal(sw_import_kind_parse("sites"), SW_IMPORT_SITES);
	assert_int_equal(sw_import_kind_parse("regions"), SW_IMPORT_REGIONS);
	assert_int_equal(sw_import_kind_parse("site"), -1);
	assert_int_equal(sw_import_kind_parse(""), -1);
	assert_string_equal(sw_import_kind_name(SW_IMPORT_UNITS), "units");
	assert_string_equal(sw_import_kind_name((enum sw_import_kind)99), "?");
}

static void test_unknown_kind(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;

	assert_int_equal(import(st, "foo,bar\r\n1,2\r\n", SW_IMPORT_AUTO, 0, &stats, &x), SW_EINVAL);
	has_err(&x, 0, 0, "(none)", "--kind");
	assert_empty(st);
}

static void test_binary_garbage(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;
	const char bad[] = "网站名称,首页地址\r\n\x00\x01\x02";

	assert_int_not_equal(import_n(st, bad, sizeof bad - 1, SW_IMPORT_AUTO, 0, &stats, &x), SW_OK);
	assert_empty(st);
}

/* ---- encodings and headers ---- */

static void test_utf8(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	char csv[4096];

	site_register(csv, sizeof csv);
	import_ok(st, csv, SW_IMPORT_AUTO, &stats);
	assert_int_equal(stats.charset, SW_CS_UTF8);
	assert_int_equal(stats.kind, SW_IMPORT_SITES);
	assert_int_equal(stats.rows, 4);
	assert_int_equal(stats.rejected, 0);
	assert_int_equal(stats.errors, 0);
	assert_int_equal(stats.added[SW_ENT_SITE], 4);
	assert_int_equal(stats.added[SW_ENT_UNIT], 3);
	assert_int_equal(stats.added[SW_ENT_DEPT], 1);
	assert_int_equal(stats.added[SW_ENT_GROUP], 1);
	assert_int_equal(stats.added[SW_ENT_PERSON], 4);
	assert_int_equal(stats.added[SW_ENT_REGION], 0);
	check_site_register(st);
}

static void test_utf8_bom(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	char csv[4096];

	memcpy(csv, "\xef\xbb\xbf", 3);
	site_register(csv + 3, sizeof csv - 3);
	import_ok(st, csv, SW_IMPORT_AUTO, &stats);
	assert_int_equal(stats.charset, SW_CS_UTF8_BOM);
	assert_int_equal(stats.kind, SW_IMPORT_SITES); /* the first header is clean */
	check_site_register(st);
}

/* Converts UTF-8 text to GBK with iconv(3); the caller frees. */
static char *to_gbk(const char *utf8, size_t *outlen)
{
	iconv_t cd = iconv_open("GBK", "UTF-8");
	size_t inleft = strlen(utf8), room = 2 * inleft + 16;
	char *out = malloc(room), *op = out, *ip = (char *)utf8;

	assert_true(cd != (iconv_t)-1);
	assert_non_null(out);
	assert_true(iconv(cd, &ip, &inleft, &op, &room) != (size_t)-1);
	assert_int_equal(inleft, 0);
	iconv_close(cd);
	*outlen = (size_t)(op - out);
	return out;
}

static void test_gbk(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;
	char csv[4096], *gbk;
	size_t len;

	site_register(csv, sizeof csv);
	gbk = to_gbk(csv, &len);
	assert_true(len < strlen(csv)); /* two bytes per hanzi, not three */
	assert_int_equal(import_n(st, gbk, len, SW_IMPORT_AUTO, 0, &stats, &x), SW_OK);
	assert_int_equal(x.n, 0);
	assert_int_equal(stats.charset, SW_CS_GB18030);
	check_site_register(st);
	free(gbk);
}

static void test_english_headers(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct sw_rec s;
	struct errs x;
	char csv[2048];
	int64_t n = 0;

	snprintf(csv, sizeof csv,
		 "Name,URL,unit,unit_type,credit_code,region,group,status,security_name,"
		 "security_phone,contact_name,contact_email,mlps_grade\r\n"
		 "Capital Window,http://www.beijing.gov.cn/,北京市人民政府办公厅,party_gov,%s,110000,"
		 "G1,online,张三,13800138000,李四,lisi@beijing.gov.cn,4\r\n",
		 code1);
	assert_int_equal(import(st, csv, SW_IMPORT_AUTO, 0, &stats, &x), SW_OK);
	assert_int_equal(x.n, 0);
	assert_int_equal(stats.kind, SW_IMPORT_SITES);
	site_by_url(st, "www.beijing.gov.cn", &s);
	assert_string_equal(get(&s, "name"), "Capital Window");
	assert_string_equal(get(&s, "mlps_grade"), "4");
	sw_rec_cleanup(&s);
	assert_int_equal(count(st, SW_ENT_PERSON), 2);
	assert_int_equal(count(st, SW_ENT_GROUP), 1);
	assert_int_equal(sw_store_count(st, sw_entity_get(SW_ENT_UNIT), NULL, &n, NULL), SW_OK);
	assert_int_equal(n, 1);
}

static void test_unknown_column(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;
	char csv[1024];

	snprintf(csv, sizeof csv,
		 "网站名称,首页地址,主办单位,单位类型,统一社会信用代码,行政区划代码,ICP备按号\r\n"
		 "首都之窗,http://www.beijing.gov.cn/,北京市人民政府办公厅,党政机关,%s,110000,"
		 "京ICP备05060933号\r\n",
		 code1);
	assert_int_equal(import(st, csv, SW_IMPORT_AUTO, 0, &stats, &x), SW_EINVAL);
	has_err(&x, 0, 0, "ICP备按号", "unknown column");
	assert_int_equal(x.n, 1);
	assert_empty(st);
}

static void test_duplicate_column(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;

	/* The same field under two of its names. */
	assert_int_equal(import(st,
				"网站名称,首页地址,主办单位,单位类型,行政区划代码,name\r\n"
				"甲,http://a.gov.cn/,单位,党政机关,110000,乙\r\n",
				SW_IMPORT_AUTO, 0, &stats, &x),
			 SW_EINVAL);
	has_err(&x, 0, 0, "name", "twice");
	assert_int_equal(x.n, 1);
	/* A person column twice (same role and part). */
	assert_int_equal(import(st,
				"网站名称,首页地址,主办单位,单位类型,行政区划代码,安全责任人电话,"
				"security_phone\r\n",
				SW_IMPORT_AUTO, 0, &stats, &x),
			 SW_EINVAL);
	has_err(&x, 0, 0, "security_phone", "twice");
	assert_empty(st);
}

static void test_missing_required_column(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;

	/* No URL column: the kind must be given, and then the column is missed. */
	assert_int_equal(import(st, "网站名称,主办单位,单位类型,行政区划代码\r\n甲,单位,党政机关,110000\r\n",
				SW_IMPORT_SITES, 0, &stats, &x),
			 SW_EINVAL);
	has_err(&x, 0, 0, "(none)", "首页地址");
	assert_int_equal(x.n, 1);
	/* No unit column. */
	assert_int_equal(import(st, "网站名称,首页地址\r\n甲,http://a.gov.cn/\r\n", SW_IMPORT_AUTO,
				0, &stats, &x),
			 SW_EINVAL);
	has_err(&x, 0, 0, "(none)", "主办单位");
	assert_empty(st);
}

/* ---- rows ---- */

static void test_blank_rows_skipped(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	char csv[2048];

	snprintf(csv, sizeof csv,
		 "网站名称,首页地址,主办单位,单位类型,统一社会信用代码,行政区划代码\r\n"
		 "\r\n"
		 ",,,,,\r\n"
		 "甲,http://a.gov.cn/,单位甲,党政机关,%s,110000\r\n"
		 " , \t,,,,\r\n"
		 "\n"
		 "乙,http://b.gov.cn/,单位甲,党政机关,%s,110000\r\n"
		 ",,,,,",
		 code1, code1);
	import_ok(st, csv, SW_IMPORT_AUTO, &stats);
	assert_int_equal(stats.rows, 2);
	assert_int_equal(count(st, SW_ENT_SITE), 2);
	assert_int_equal(count(st, SW_ENT_UNIT), 1);
}

static void test_row_with_too_many_values(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;
	char csv[2048];

	snprintf(csv, sizeof csv,
		 "网站名称,首页地址,主办单位,单位类型,统一社会信用代码,行政区划代码\r\n"
		 "甲,http://a.gov.cn/,单位甲,党政机关,%s,110000\r\n"
		 "乙,http://b.gov.cn/,单位甲,党政机关,%s,110000,多余\r\n",
		 code1, code1);
	assert_int_equal(import(st, csv, SW_IMPORT_AUTO, 0, &stats, &x), SW_EINVAL);
	has_err(&x, 0, 2, "(none)", "7 values");
	assert_int_equal(x.e[0].line, 3);
	assert_int_equal(x.n, 1);
	assert_int_equal(stats.rejected, 1);
	assert_empty(st);
}

/* A row with fewer values than the header is read with blanks. */
static void test_short_row(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	char csv[2048];

	snprintf(csv, sizeof csv,
		 "网站名称,首页地址,主办单位,单位类型,统一社会信用代码,行政区划代码,备注\r\n"
		 "甲,http://a.gov.cn/,单位甲,党政机关,%s,110000\r\n",
		 code1);
	import_ok(st, csv, SW_IMPORT_AUTO, &stats);
	assert_int_equal(count(st, SW_ENT_SITE), 1);
}

/* Five rows, the third with a wrong check character in its credit code:
 * that row and column are named, and nothing of rows 1-2 or 4-5 stays. */
static void test_error_in_row_3_of_5(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;
	char bad[19], csv[4096];

	memcpy(bad, code3, sizeof bad);
	bad[17] = bad[17] == '0' ? '1' : '0';
	snprintf(csv, sizeof csv,
		 SITE_HEADER
		 "1,一,http://one.gov.cn/,,单位一,党政机关,%s,110000,网信办,群,运行,,,,张三,13800138000,,,\r\n"
		 "2,二,http://two.gov.cn/,,单位二,党政机关,%s,110000,网信办,群,运行,,,,,,,,\r\n"
		 "3,三,http://three.gov.cn/,,单位三,党政机关,%s,440300,,,运行,,,,,,,,\r\n"
		 "4,四,http://four.gov.cn/,,单位四,事业单位,%s,110000,,,运行,,,,,,,,\r\n"
		 "5,五,http://five.gov.cn/,,单位五,国有企业,%s,110000,,,运行,,,,李四,13900139000,,,\r\n",
		 code1, code2, bad, code4, code5);
	assert_int_equal(import(st, csv, SW_IMPORT_AUTO, 0, &stats, &x), SW_EINVAL);
	assert_int_equal(x.n, 1);
	has_err(&x, 0, 3, "统一社会信用代码", "check");
	assert_int_equal(x.e[0].line, 4);
	assert_int_equal(stats.rows, 5);
	assert_int_equal(stats.rejected, 1);
	assert_int_equal(stats.errors, 1);
	assert_empty(st);
}

static void test_several_errors_all_reported(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;
	char csv[4096];

	snprintf(csv, sizeof csv,
		 SITE_HEADER
		 "1,一,http://one.gov.cn/,,单位一,党政机关,%s,110000,,,运行,,,,,,,,\r\n"
		 "2,二,http://two.gov.cn/,,单位一,党政机关,%s,110000,,,运行,2024-02-30,,,,,,,\r\n"
		 "3,三,http://three.gov.cn/,,单位一,党政机关,%s,110000,,,运行,,,,,,,,\r\n"
		 "4,四,http://four.gov.cn/,,单位一,党政机关,%s,110000,,,半运行,,,,张三,12345,,,\r\n"
		 "5,五,ftp://five.gov.cn/,,单位一,党政机关,%s,110000,,,运行,,,,,,,,\r\n"
		 "6,六,http://one.gov.cn/,,单位一,党政机关,%s,110000,,,运行,,,,,,,,\r\n",
		 code1, code1, code1, code1, code1, code1);
	assert_int_equal(import(st, csv, SW_IMPORT_AUTO, 0, &stats, &x), SW_EINVAL);
	has_err(&x, 0, 2, "开通日期", NULL);
	has_err(&x, 1, 4, "状态", "online");
	has_err(&x, 2, 5, "首页地址", NULL);
	has_err(&x, 3, 6, "首页地址", "already");  /* the URL of row 1 */
	assert_int_equal(x.n, 4);
	assert_int_equal(stats.rows, 6);
	assert_int_equal(stats.rejected, 4);
	assert_empty(st);
}

/* Several bad values of one row are each reported; the row counts once. */
static void test_several_errors_in_one_row(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;

	assert_int_equal(import(st,
				"网站名称,首页地址,主办单位,单位类型,行政区划代码,状态,党政机关标识\r\n"
				"甲,http://a.gov.cn/,单位,公司,990000,未知,也许\r\n",
				SW_IMPORT_AUTO, 0, &stats, &x),
			 SW_EINVAL);
	assert_int_equal(x.n, 4);
	for (size_t i = 0; i < x.n; i++)
		assert_int_equal(x.e[i].row, 1);
	assert_int_equal(stats.rejected, 1);
	assert_int_equal(stats.errors, 4);
	assert_empty(st);
}

static void test_dry_run(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;
	char csv[4096];

	site_register(csv, sizeof csv);
	assert_int_equal(import(st, csv, SW_IMPORT_AUTO, 1, &stats, &x), SW_OK);
	assert_int_equal(x.n, 0);
	assert_int_equal(stats.rows, 4);
	assert_int_equal(stats.added[SW_ENT_SITE], 4);
	assert_int_equal(stats.added[SW_ENT_UNIT], 3);
	assert_empty(st);
	/* The same file then imports for real. */
	import_ok(st, csv, SW_IMPORT_AUTO, &stats);
	check_site_register(st);
	/* A second import of the same file clashes on every URL and adds nothing. */
	assert_int_equal(import(st, csv, SW_IMPORT_AUTO, 0, &stats, &x), SW_EINVAL);
	assert_int_equal(stats.rejected, 4);
	assert_int_equal(count(st, SW_ENT_SITE), 4);
}

/* ---- units, departments, groups, persons ---- */

static void test_shared_unit_created_once(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct sw_rec a, b;

	/* Without a credit code the unit is matched by name. */
	import_ok(st,
		  "网站名称,首页地址,主办单位,单位类型,行政区划代码\r\n"
		  "甲,http://a.gov.cn/,某县人民政府,党政机关,110000\r\n"
		  "乙,http://b.gov.cn/,某县人民政府,党政机关,110000\r\n",
		  SW_IMPORT_AUTO, &stats);
	assert_int_equal(stats.added[SW_ENT_UNIT], 1);
	assert_int_equal(count(st, SW_ENT_UNIT), 1);
	site_by_url(st, "a.gov.cn", &a);
	site_by_url(st, "b.gov.cn", &b);
	assert_string_equal(get(&a, "unit"), get(&b, "unit"));
	sw_rec_cleanup(&a);
	sw_rec_cleanup(&b);
	/* A later import finds the existing unit instead of adding one. */
	import_ok(st,
		  "网站名称,首页地址,主办单位,单位类型,行政区划代码\r\n"
		  "丙,http://c.gov.cn/,某县人民政府,党政机关,110000\r\n",
		  SW_IMPORT_AUTO, &stats);
	assert_int_equal(stats.added[SW_ENT_UNIT], 0);
	assert_int_equal(count(st, SW_ENT_UNIT), 1);
}

/* A credit code already registered to a unit of another name is a typo in
 * one of the two. */
static void test_credit_code_with_other_name_existing(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;
	char csv[2048];

	snprintf(csv, sizeof csv,
		 "网站名称,首页地址,主办单位,单位类型,统一社会信用代码,行政区划代码\r\n"
		 "甲,http://a.gov.cn/,单位甲,党政机关,%s,110000\r\n",
		 code1);
	import_ok(st, csv, SW_IMPORT_AUTO, &stats);
	snprintf(csv, sizeof csv,
		 "网站名称,首页地址,主办单位,单位类型,统一社会信用代码,行政区划代码\r\n"
		 "乙,http://b.gov.cn/,单位乙,党政机关,%s,110000\r\n",
		 code1);
	assert_int_equal(import(st, csv, SW_IMPORT_AUTO, 0, &stats, &x), SW_EINVAL);
	has_err(&x, 0, 1, "主办单位", "单位甲");
	assert_int_equal(count(st, SW_ENT_SITE), 1);
	assert_int_equal(count(st, SW_ENT_UNIT), 1);
}

/* The same within one file: the second row names the code of the first
 * row's unit with another name.  The importer's memory of units it created
 * (keyed by credit code) must not skip the name check. */
static void test_credit_code_with_other_name_same_file(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;
	char csv[2048];

	snprintf(csv, sizeof csv,
		 "网站名称,首页地址,主办单位,单位类型,统一社会信用代码,行政区划代码\r\n"
		 "甲,http://a.gov.cn/,单位甲,党政机关,%s,110000\r\n"
		 "乙,http://b.gov.cn/,单位乙,党政机关,%s,110000\r\n",
		 code1, code1);
	assert_int_equal(import(st, csv, SW_IMPORT_AUTO, 0, &stats, &x), SW_EINVAL);
	has_err(&x, 0, 2, "主办单位", "单位甲");
	assert_empty(st);
}

/* A row whose unit cell is blank cannot be imported, and must say so: a
 * silently skipped row would leave a site out of supervision. */
static void test_blank_unit_cell_reported(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;
	enum sw_err rc;

	rc = import(st,
		    "网站名称,首页地址,主办单位,单位类型,行政区划代码\r\n"
		    "甲,http://a.gov.cn/,单位甲,党政机关,110000\r\n"
		    "乙,http://b.gov.cn/,,党政机关,110000\r\n",
		    SW_IMPORT_AUTO, 0, &stats, &x);
	assert_int_equal(rc, SW_EINVAL);
	has_err(&x, 0, 2, "主办单位", NULL);
	assert_empty(st);
}

/* The links of a site or a person, as sw_store_site_persons gives them. */
struct links {
	size_t n;
	int64_t site[16], person[16];
	char role[16][16];
};

static int collect(void *arg, int64_t site, int64_t person, const char *role)
{
	struct links *l = arg;

	if (l->n < 16) {
		l->site[l->n] = site;
		l->person[l->n] = person;
		snprintf(l->role[l->n], sizeof l->role[l->n], "%s", role);
		l->n++;
	}
	return 0;
}

static void links_of(struct sw_store *st, int64_t site, int64_t person, struct links *l)
{
	memset(l, 0, sizeof *l);
	assert_int_equal(sw_store_site_persons(st, site, person, collect, l, NULL), SW_OK);
}

/* Index in l of the link whose person is called name, or fails. */
static size_t link_named(struct sw_store *st, const struct links *l, const char *name,
			 struct sw_rec *p)
{
	for (size_t i = 0; i < l->n; i++) {
		assert_int_equal(sw_store_get(st, sw_entity_get(SW_ENT_PERSON), l->person[i], p, NULL),
				 SW_OK);
		if (!strcmp(get(p, "name"), name))
			return i;
		sw_rec_cleanup(p);
	}
	fail_msg("no link to a person called %s", name);
	return 0;
}

/* Errors about the unit are reported on the unit's name column, wherever
 * the other unit columns stand in the header.  (The importer picks the
 * first column that feeds the unit, here the credit code.) */
static void test_unit_errors_name_the_unit_column(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;
	char csv[2048];

	snprintf(csv, sizeof csv,
		 "统一社会信用代码,单位类型,网站名称,首页地址,主办单位,行政区划代码\r\n"
		 "%s,党政机关,甲,http://a.gov.cn/,单位甲,110000\r\n"
		 "%s,党政机关,乙,http://b.gov.cn/,,110000\r\n"
		 "%s,党政机关,丙,http://c.gov.cn/,单位丙,110000\r\n",
		 code1, code2, code1);
	assert_int_equal(import(st, csv, SW_IMPORT_AUTO, 0, &stats, &x), SW_EINVAL);
	has_err(&x, 0, 2, "主办单位", NULL);
	has_err(&x, 1, 3, "主办单位", "单位甲");
	assert_int_equal(x.n, 2);
	assert_empty(st);
}

static void test_persons_linked(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct links l;
	struct sw_rec s, p;
	char csv[4096];
	int64_t zhang, site1, site4;
	size_t i;

	site_register(csv, sizeof csv);
	import_ok(st, csv, SW_IMPORT_AUTO, &stats);

	site_by_url(st, "http://www.beijing.gov.cn/", &s);
	site1 = s.id;
	links_of(st, s.id, 0, &l);
	assert_int_equal(l.n, 2);
	i = link_named(st, &l, "张三", &p);
	assert_string_equal(l.role[i], "security");
	assert_string_equal(get(&p, "role"), "security");
	assert_string_equal(get(&p, "phone"), "13800138000");
	assert_string_equal(get(&p, "unit"), get(&s, "unit"));
	zhang = p.id;
	sw_rec_cleanup(&p);
	i = link_named(st, &l, "李四", &p);
	assert_string_equal(l.role[i], "contact");
	assert_string_equal(get(&p, "email"), "lisi@beijing.gov.cn");
	assert_null(get(&p, "phone"));
	sw_rec_cleanup(&p);
	sw_rec_cleanup(&s);

	/* Site 4 (same unit, same officer) shares the person. */
	site_by_url(st, "http://english.beijing.gov.cn/", &s);
	site4 = s.id;
	links_of(st, s.id, 0, &l);
	assert_int_equal(l.n, 1);
	assert_true(l.person[0] == zhang);
	sw_rec_cleanup(&s);
	links_of(st, 0, zhang, &l);
	assert_int_equal(l.n, 2);
	assert_true((l.site[0] == site1 && l.site[1] == site4) ||
		    (l.site[0] == site4 && l.site[1] == site1));

	/* Site 2: a namesake in another unit is another person. */
	site_by_url(st, "http://jw.beijing.gov.cn/", &s);
	links_of(st, s.id, 0, &l);
	assert_int_equal(l.n, 1);
	assert_true(l.person[0] != zhang);
	sw_rec_cleanup(&s);
}

/* A person already in the register (same unit, role, name and phone) is
 * linked again, not added twice: import.c says the persons a row names are
 * looked up and created only when new.  Fails while persons are only
 * remembered within one import. */
static void test_person_reused_across_imports(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct links l1, l2;
	struct sw_rec a, b;
	char csv[2048];

	snprintf(csv, sizeof csv,
		 "网站名称,首页地址,主办单位,单位类型,统一社会信用代码,行政区划代码,安全责任人,"
		 "安全责任人电话\r\n"
		 "甲,http://a.gov.cn/,单位甲,党政机关,%s,110000,张三,13800138000\r\n",
		 code1);
	import_ok(st, csv, SW_IMPORT_AUTO, &stats);
	snprintf(csv, sizeof csv,
		 "网站名称,首页地址,主办单位,单位类型,统一社会信用代码,行政区划代码,安全责任人,"
		 "安全责任人电话\r\n"
		 "乙,http://b.gov.cn/,单位甲,党政机关,%s,110000,张三,13800138000\r\n",
		 code1);
	import_ok(st, csv, SW_IMPORT_AUTO, &stats);
	assert_int_equal(count(st, SW_ENT_UNIT), 1);
	site_by_url(st, "a.gov.cn", &a);
	site_by_url(st, "b.gov.cn", &b);
	links_of(st, a.id, 0, &l1);
	links_of(st, b.id, 0, &l2);
	assert_int_equal(l1.n, 1);
	assert_int_equal(l2.n, 1);
	sw_rec_cleanup(&a);
	sw_rec_cleanup(&b);
	assert_int_equal(stats.added[SW_ENT_PERSON], 0);
	assert_int_equal(count(st, SW_ENT_PERSON), 1);
	assert_true(l1.person[0] == l2.person[0]);
}

/* Contact details without the person's name are an error on the detail. */
static void test_person_details_without_name(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct errs x;

	assert_int_equal(import(st,
				"网站名称,首页地址,主办单位,单位类型,行政区划代码,安全责任人,"
				"安全责任人电话,联系人,联系人邮箱\r\n"
				"甲,http://a.gov.cn/,单位,党政机关,110000,,13800138000,,\r\n"
				"乙,http://b.gov.cn/,单位,党政机关,110000,,,赵六,not-an-email\r\n",
				SW_IMPORT_AUTO, 0, &stats, &x),
			 SW_EINVAL);
	has_err(&x, 0, 1, "安全责任人电话", "name");
	has_err(&x, 1, 2, "联系人邮箱", NULL);
	assert_int_equal(x.n, 2);
	assert_empty(st);
}

static void test_departments_and_groups_once(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct sw_rec a, b, c;
	char csv[2048];

	import_ok(st,
		  "网站名称,首页地址,主办单位,单位类型,行政区划代码,主管部门,网站群\r\n"
		  "甲,http://a.gov.cn/,单位甲,党政机关,110000,市网信办,市网站群\r\n"
		  "乙,http://b.gov.cn/,单位乙,事业单位,110000,市网信办,市网站群\r\n",
		  SW_IMPORT_AUTO, &stats);
	assert_int_equal(stats.added[SW_ENT_DEPT], 1);
	assert_int_equal(stats.added[SW_ENT_GROUP], 1);
	assert_int_equal(count(st, SW_ENT_DEPT), 1);
	assert_int_equal(count(st, SW_ENT_GROUP), 1);
	/* A later file finds both instead of adding them again. */
	snprintf(csv, sizeof csv,
		 "网站名称,首页地址,主办单位,单位类型,行政区划代码,主管部门,网站群\r\n"
		 "丙,http://c.gov.cn/,单位丙,党政机关,110000,市网信办,市网站群\r\n");
	import_ok(st, csv, SW_IMPORT_AUTO, &stats);
	assert_int_equal(stats.added[SW_ENT_DEPT], 0);
	assert_int_equal(stats.added[SW_ENT_GROUP], 0);
	assert_int_equal(count(st, SW_ENT_DEPT), 1);
	assert_int_equal(count(st, SW_ENT_GROUP), 1);
	site_by_url(st, "a.gov.cn", &a);
	site_by_url(st, "b.gov.cn", &b);
	site_by_url(st, "c.gov.cn", &c);
	assert_string_equal(get(&a, "group"), get(&b, "group"));
	assert_string_equal(get(&a, "group"), get(&c, "group"));
	assert_string_not_equal(get(&a, "unit"), get(&b, "unit"));
	sw_rec_cleanup(&a);
	sw_rec_cleanup(&b);
	sw_rec_cleanup(&c);
}

static void test_regions(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct sw_errbuf eb;
	struct sw_rec r;
	struct errs x;
	int64_t id;

	import_ok(st,
		  "行政区划代码,名称\r\n"
		  "440300,深圳市\r\n"
		  "440305,南山区\r\n"
		  "110105,朝阳区\r\n",
		  SW_IMPORT_AUTO, &stats);
	assert_int_equal(stats.kind, SW_IMPORT_REGIONS);
	assert_int_equal(stats.added[SW_ENT_REGION], 3);
	assert_int_equal(count(st, SW_ENT_REGION), 37);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_reg_resolve(st, sw_entity_get(SW_ENT_REGION), "440305", &id, &eb), SW_OK);
	assert_int_equal(sw_store_get(st, sw_entity_get(SW_ENT_REGION), id, &r, &eb), SW_OK);
	assert_string_equal(get(&r, "name"), "南山区");
	assert_string_equal(get(&r, "parent"), "440300"); /* the city came first */
	assert_string_equal(get(&r, "level"), "3");
	sw_rec_cleanup(&r);
	/* The derived level is not an input column. */
	assert_int_equal(import(st, "行政区划代码,名称,级别\r\n440306,宝安区,3\r\n", SW_IMPORT_AUTO, 0,
				&stats, &x),
			 SW_EINVAL);
	has_err(&x, 0, 0, "级别", NULL);
	/* A code that exists, and a bad code. */
	assert_int_equal(import(st, "代码,名称\r\n440300,深圳\r\n990100,无\r\n", SW_IMPORT_REGIONS, 0,
				&stats, &x),
			 SW_EINVAL);
	has_err(&x, 0, 1, "代码", "440300");
	has_err(&x, 1, 2, "代码", NULL);
	assert_int_equal(count(st, SW_ENT_REGION), 37);
}

static void test_units(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct sw_errbuf eb;
	struct sw_rec u;
	struct errs x;
	char csv[2048];
	int64_t id;

	snprintf(csv, sizeof csv,
		 "单位名称,单位类型,统一社会信用代码,行政区划代码,地址\r\n"
		 "北京市人民政府办公厅,党政机关,%s,110000,北京市通州区运河东大街57号\r\n"
		 "某国企,国企,%s,110000,\r\n",
		 code1, code5);
	import_ok(st, csv, SW_IMPORT_AUTO, &stats);
	assert_int_equal(stats.kind, SW_IMPORT_UNITS);
	assert_int_equal(stats.added[SW_ENT_UNIT], 2);
	assert_int_equal(count(st, SW_ENT_UNIT), 2);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_reg_resolve(st, sw_entity_get(SW_ENT_UNIT), code5, &id, &eb), SW_OK);
	assert_int_equal(sw_store_get(st, sw_entity_get(SW_ENT_UNIT), id, &u, &eb), SW_OK);
	assert_string_equal(get(&u, "name"), "某国企");
	assert_string_equal(get(&u, "type"), "soe");
	assert_null(get(&u, "address"));
	sw_rec_cleanup(&u);
	/* A repeated credit code is refused on the code's column. */
	snprintf(csv, sizeof csv,
		 "单位名称,单位类型,统一社会信用代码,行政区划代码\r\n"
		 "新单位,事业单位,%s,110000\r\n"
		 "别的单位,事业单位,%s,110000\r\n",
		 code4, code1);
	assert_int_equal(import(st, csv, SW_IMPORT_AUTO, 0, &stats, &x), SW_EINVAL);
	has_err(&x, 0, 2, "统一社会信用代码", NULL);
	assert_int_equal(x.n, 1);
	assert_int_equal(count(st, SW_ENT_UNIT), 2);
}

static void test_persons_with_sites(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct sw_rec s, p;
	struct links l;
	struct errs x;
	char csv[4096];
	size_t i;

	site_register(csv, sizeof csv);
	import_ok(st, csv, SW_IMPORT_AUTO, &stats);
	import_ok(st,
		  "姓名,角色,电话,所属单位,网站\r\n"
		  "王小明,运维责任人,13900139000,北京市人民政府办公厅,"
		  "http://www.beijing.gov.cn/;english.beijing.gov.cn\r\n"
		  "赵六,主管责任人,,,北京市教委\r\n",
		  SW_IMPORT_AUTO, &stats);
	assert_int_equal(stats.kind, SW_IMPORT_PERSONS);
	assert_int_equal(stats.added[SW_ENT_PERSON], 2);
	assert_int_equal(count(st, SW_ENT_PERSON), 6);

	site_by_url(st, "http://english.beijing.gov.cn/", &s);
	links_of(st, s.id, 0, &l);
	assert_int_equal(l.n, 2);
	i = link_named(st, &l, "王小明", &p);
	assert_string_equal(l.role[i], "operator");
	assert_string_equal(get(&p, "unit"), get(&s, "unit"));
	sw_rec_cleanup(&p);
	sw_rec_cleanup(&s);
	site_by_url(st, "http://jw.beijing.gov.cn/", &s); /* named by the site's name */
	links_of(st, s.id, 0, &l);
	i = link_named(st, &l, "赵六", &p);
	assert_string_equal(l.role[i], "chief");
	sw_rec_cleanup(&p);
	sw_rec_cleanup(&s);

	/* A site that is not in the register: that column, nothing written. */
	assert_int_equal(import(st,
				"姓名,角色,网站\r\n"
				"钱七,联系人,http://www.beijing.gov.cn/\r\n"
				"孙八,联系人,http://nope.gov.cn/\r\n",
				SW_IMPORT_AUTO, 0, &stats, &x),
			 SW_EINVAL);
	has_err(&x, 0, 2, "网站", "nope.gov.cn");
	assert_int_equal(x.n, 1);
	assert_int_equal(count(st, SW_ENT_PERSON), 6);
}

/* Quoted values may hold separators, quotes and line breaks; rows after
 * such a value are still reported on their physical line. */
static void test_quoted_values(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	struct sw_rec s;
	struct errs x;

	assert_int_equal(import(st,
				"网站名称,首页地址,主办单位,单位类型,行政区划代码,备注\r\n"
				"\"甲,\"\"网站\"\"\",http://a.gov.cn/,单位,党政机关,110000,\"第一行\r\n第二行\"\r\n"
				"乙,http://b.gov.cn/,单位,党政机关,110000,\r\n",
				SW_IMPORT_AUTO, 0, &stats, &x),
			 SW_OK);
	site_by_url(st, "a.gov.cn", &s);
	assert_string_equal(get(&s, "name"), "甲,\"网站\"");
	assert_string_equal(get(&s, "note"), "第一行\r\n第二行");
	sw_rec_cleanup(&s);
	assert_int_equal(import(st,
				"网站名称,首页地址,主办单位,单位类型,行政区划代码,备注\r\n"
				"丙,http://c.gov.cn/,单位,党政机关,110000,\"一\n二\n三\"\r\n"
				"丁,http://d.gov.cn/,单位,党政机关,110000,\"x\x01y\"\r\n",
				SW_IMPORT_AUTO, 0, &stats, &x),
			 SW_EINVAL);
	has_err(&x, 0, 2, "备注", "control");
	assert_int_equal(x.e[0].line, 5);
	assert_int_equal(count(st, SW_ENT_SITE), 2);
}

static void test_import_file(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_stats stats;
	const char *tmp = getenv("TMPDIR");
	char path[4096], csv[4096];
	struct sw_errbuf eb;
	struct errs x;
	FILE *f;

	site_register(csv, sizeof csv);
	snprintf(path, sizeof path, "%s/sw-import-%ld.csv", tmp && *tmp ? tmp : "/tmp",
		 (long)getpid());
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(csv, 1, strlen(csv), f), strlen(csv));
	assert_int_equal(fclose(f), 0);
	memset(&x, 0, sizeof x);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_import_file(st, path, SW_IMPORT_AUTO, 0, &stats, on_err, &x, &eb), SW_OK);
	assert_int_equal(stats.added[SW_ENT_SITE], 4);
	check_site_register(st);
	unlink(path);
	/* Missing file, a directory. */
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_import_file(st, path, SW_IMPORT_AUTO, 0, &stats, on_err, &x, &eb), SW_EIO);
	assert_non_null(strstr(eb.msg, path));
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_import_file(st, tmp && *tmp ? tmp : "/tmp", SW_IMPORT_AUTO, 0, &stats,
					on_err, &x, &eb), SW_EIO);
	assert_int_equal(count(st, SW_ENT_SITE), 4);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sw_test_setup, sw_test_teardown)
	const struct CMUnitTest tests[] = {
		T(test_empty_input),
		T(test_kind_names),
		T(test_unknown_kind),
		T(test_binary_garbage),
		T(test_utf8),
		T(test_utf8_bom),
		T(test_gbk),
		T(test_english_headers),
		T(test_unknown_column),
		T(test_duplicate_column),
		T(test_missing_required_column),
		T(test_blank_rows_skipped),
		T(test_row_with_too_many_values),
		T(test_short_row),
		T(test_error_in_row_3_of_5),
		T(test_several_errors_all_reported),
		T(test_several_errors_in_one_row),
		T(test_dry_run),
		T(test_shared_unit_created_once),
		T(test_credit_code_with_other_name_existing),
		T(test_credit_code_with_other_name_same_file),
		T(test_blank_unit_cell_reported),
		T(test_unit_errors_name_the_unit_column),
		T(test_persons_linked),
		T(test_person_reused_across_imports),
		T(test_person_details_without_name),
		T(test_departments_and_groups_once),
		T(test_regions),
		T(test_units),
		T(test_persons_with_sites),
		T(test_quoted_values),
		T(test_import_file),
	};
#undef T

	return cmocka_run_group_tests(tests, setup_codes, NULL);
}
