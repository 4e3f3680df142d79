/*
 * test_export.c - unit tests for the register export (src/register/export.c,
 * export_write.c).
 *
 * export.h promises that an exported register imports back into an empty
 * database unchanged, so the main test is a round trip: import an inline
 * register, export it as CSV into memory, import those bytes into a second
 * store and compare every field of every site (references by label, since
 * ids may differ), its unit and its responsible persons.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/validate.h"
#include "register/export.h"
#include "register/import.h"
#include "register/register.h"
#include "../testutil.h"

/* ---- fixtures ---- */

static char code1[19], code2[19], code3[19];

static int setup_codes(void **state)
{
	(void)state;
	sw_test_credit(code1, "11110000000000011");
	sw_test_credit(code2, "12110000000000022");
	sw_test_credit(code3, "91440300MA0000033");
	return 0;
}

static void on_err(void *arg, size_t row, size_t line, const char *column, const char *cell,
		   const char *msg)
{
	(void)cell;
	(void)arg;
	fprintf(stderr, "  row %zu (line %zu), column %s: %s\n", row, line, column ? column : "-",
		msg);
}

/* Imports len bytes into st; fails the test unless all rows are accepted. */
static void import_ok(struct sw_store *st, const char *data, size_t len)
{
	struct sw_import_stats stats;
	struct sw_errbuf eb;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	rc = sw_import_buffer(st, data, len, SW_IMPORT_AUTO, 0, &stats, on_err, NULL, &eb);
	if (rc)
		fail_msg("import: %s %s", sw_errname(rc), eb.msg);
	assert_int_equal(stats.kind, SW_IMPORT_SITES);
}

/* A register using every column: a unit with two sites, a group, a
 * department, persons in all four roles, multi-line and quoted text. */
static void load_register(struct sw_store *st)
{
	char csv[8192];

	snprintf(csv, sizeof csv,
		 "网站名称,首页地址,其他域名,IP地址,托管方式,主办单位,单位类型,统一社会信用代码,"
		 "行政区划代码,主管部门,网站群,状态,开通日期,ICP备案号,公安备案号,网站标识码,"
		 "党政机关标识,审核状态,审核日期,审核人,审核意见,等保级别,定级日期,等保备案号,"
		 "等保备案日期,测评日期,测评机构,测评结论,备注,主管责任人,主管责任人电话,"
		 "运营责任人,运营责任人邮箱,安全责任人,安全责任人电话,安全责任人邮箱,联系人,"
		 "联系人电话\r\n"
		 /* 1: every field */
		 "首都之窗,https://www.beijing.gov.cn/,beijing.gov.cn；bj.gov.cn,"
		 "10.1.1.1;2001:db8::1,政务云,北京市人民政府办公厅,党政机关,%s,110000,"
		 "北京市委网信办,北京市政府网站群,运行,2019年1月1日,京ICP备05060933号,"
		 "京公网安备 11010502030143号,1100000088,是,通过,2024/6/1,审核员甲,"
		 "\"同意,\"\"开办\"\"\",第三级,2019-05-01,11010099001-19001,2019-06-01,"
		 "2024-03-15,某测评中心,符合,\"第一行\r\n第二行\",王局长,010-66261741,"
		 "运维商,ops@beijing.gov.cn,张三,13800138000,zhangsan@beijing.gov.cn,李四,"
		 "13900139000\r\n"
		 /* 2: same unit and officer, few fields */
		 "首都之窗英文版,http://english.beijing.gov.cn/,,,,北京市人民政府办公厅,党政机关,"
		 "%s,110000,北京市委网信办,北京市政府网站群,暂停,,,,,否,,,,,,,,,,,,,,,,,张三,"
		 "13800138000,zhangsan@beijing.gov.cn,,\r\n"
		 /* 3: another unit, same department */
		 "北京市教委,http://jw.beijing.gov.cn/,,,自建,北京市教育委员会,事业单位,%s,110000,"
		 "北京市委网信办,,待上线,,,,,,不通过,,,,4,,,,2024-08-31,,,,,,,,,,,,\r\n"
		 /* 4: no group, no department, another region */
		 "深圳政府在线,https://www.sz.gov.cn/,,,IDC托管,深圳市某国企,国有企业,%s,440300,,,"
		 "关停,,,,,,,,,,,,,,,,,,,,,,,,,赵六,0755-88888888\r\n",
		 code1, code1, code2, code3);
	import_ok(st, csv, strlen(csv));
}

/* Exports st as CSV into a new buffer (caller frees). */
static char *export_csv(struct sw_store *st, int english, size_t *len)
{
	struct sw_errbuf eb;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	enum sw_err rc;

	assert_non_null(f);
	sw_errbuf_clear(&eb);
	rc = sw_export_csv(st, f, NULL, english, &eb);
	assert_int_equal(fclose(f), 0);
	if (rc)
		fail_msg("export: %s %s", sw_errname(rc), eb.msg);
	return buf;
}

/* ---- comparing two registers ---- */

struct urls {
	size_t n;
	char *url[64];
};

static int collect_url(void *arg, const struct sw_rec *rec)
{
	struct urls *u = arg;

	if (u->n < 64)
		u->url[u->n++] = strdup(sw_rec_get(rec, sw_field_index(SW_ENT_SITE, "url")));
	return 0;
}

static void load_by_url(struct sw_store *st, const char *url, struct sw_rec *r)
{
	struct sw_errbuf eb;
	int64_t id = 0;

	sw_errbuf_clear(&eb);
	if (sw_reg_resolve(st, sw_entity_get(SW_ENT_SITE), url, &id, &eb))
		fail_msg("site %s is missing: %s", url, eb.msg);
	assert_int_equal(sw_store_get(st, sw_entity_get(SW_ENT_SITE), id, r, NULL), SW_OK);
}

/* Text of field i of r as a user sees it: references by label. */
static void shown(struct sw_store *st, const struct sw_rec *r, size_t i, char *buf, size_t n)
{
	const struct sw_field *f = &r->ent->fields[i];
	const char *v = sw_rec_get(r, (int)i);

	if (!v)
		snprintf(buf, n, "(null)");
	else if (f->type == SW_FT_REF)
		sw_reg_label(st, f->ref, strtoll(v, NULL, 10), buf, n);
	else
		snprintf(buf, n, "%s", v);
}

/* Asserts that records a (in sa) and b (in sb) show the same values,
 * except the fields named in skip ("|a|b|"). */
static void same_rec(struct sw_store *sa, const struct sw_rec *a, struct sw_store *sb,
		     const struct sw_rec *b, const char *skip, const char *what)
{
	for (size_t i = 0; i < a->ent->nfields; i++) {
		char x[4096], y[4096], key[80];

		snprintf(key, sizeof key, "|%s|", a->ent->fields[i].key);
		if (skip && strstr(skip, key))
			continue;
		shown(sa, a, i, x, sizeof x);
		shown(sb, b, i, y, sizeof y);
		if (strcmp(x, y) != 0)
			fail_msg("%s: %s.%s is '%s' before and '%s' after", what, a->ent->name,
				 a->ent->fields[i].key, x, y);
	}
}

/* The responsible persons of a site as sorted "role|name|phone|email". */
struct people {
	struct sw_store *st;
	size_t n;
	char line[16][256];
};

static int collect_person(void *arg, int64_t site, int64_t person, const char *role)
{
	struct people *p = arg;
	struct sw_rec r;

	(void)site;
	assert_int_equal(sw_store_get(p->st, sw_entity_get(SW_ENT_PERSON), person, &r, NULL), SW_OK);
	if (p->n < 16) {
		const char *ph = sw_rec_get(&r, sw_field_index(SW_ENT_PERSON, "phone"));
		const char *em = sw_rec_get(&r, sw_field_index(SW_ENT_PERSON, "email"));

		snprintf(p->line[p->n++], 256, "%s|%s|%s|%s", role,
			 sw_rec_get(&r, sw_field_index(SW_ENT_PERSON, "name")), ph ? ph : "",
			 em ? em : "");
	}
	sw_rec_cleanup(&r);
	return 0;
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void people_of(struct sw_store *st, int64_t site, struct people *p)
{
	memset(p, 0, sizeof *p);
	p->st = st;
	assert_int_equal(sw_store_site_persons(st, site, 0, collect_person, p, NULL), SW_OK);
	qsort(p->line, p->n, sizeof p->line[0], cmp_line);
}

static int64_t count(struct sw_store *st, enum sw_ent e)
{
	int64_t n = -1;

	assert_int_equal(sw_store_count(st, sw_entity_get(e), NULL, &n, NULL), SW_OK);
	return n;
}

/* Asserts that register b holds what register a holds. */
static void same_register(struct sw_store *a, struct sw_store *b)
{
	struct urls u = {0};

	for (int e = 0; e < SW_ENT__COUNT; e++)
		assert_int_equal(count(a, (enum sw_ent)e), count(b, (enum sw_ent)e));
	assert_int_equal(sw_store_list(a, sw_entity_get(SW_ENT_SITE), NULL, collect_url, &u, NULL),
			 SW_OK);
	assert_true(u.n > 0);
	for (size_t i = 0; i < u.n; i++) {
		struct sw_rec sa, sb, ua, ub;
		struct people pa, pb;

		load_by_url(a, u.url[i], &sa);
		load_by_url(b, u.url[i], &sb);
		same_rec(a, &sa, b, &sb, NULL, u.url[i]);
		/* The unit: everything the site table carries. */
		assert_int_equal(sw_store_get(a, sw_entity_get(SW_ENT_UNIT),
					      strtoll(sw_rec_get(&sa, sw_field_index(SW_ENT_SITE, "unit")),
						      NULL, 10),
					      &ua, NULL),
				 SW_OK);
		assert_int_equal(sw_store_get(b, sw_entity_get(SW_ENT_UNIT),
					      strtoll(sw_rec_get(&sb, sw_field_index(SW_ENT_SITE, "unit")),
						      NULL, 10),
					      &ub, NULL),
				 SW_OK);
		same_rec(a, &ua, b, &ub, "|address|note|", u.url[i]);
		people_of(a, sa.id, &pa);
		people_of(b, sb.id, &pb);
		assert_int_equal(pa.n, pb.n);
		for (size_t k = 0; k < pa.n; k++)
			assert_string_equal(pa.line[k], pb.line[k]);
		sw_rec_cleanup(&sa);
		sw_rec_cleanup(&sb);
		sw_rec_cleanup(&ua);
		sw_rec_cleanup(&ub);
		free(u.url[i]);
	}
}

/* ---- tests ---- */

static void test_empty_register(void **state)
{
	struct sw_store *st = *state;
	size_t len;
	char *csv = export_csv(st, 0, &len);
	char *eol;

	/* BOM, the header, CRLF, nothing else. */
	assert_true(len > 3);
	assert_memory_equal(csv, "\xef\xbb\xbf", 3);
	assert_non_null(eol = strstr(csv, "\r\n"));
	assert_true((size_t)(eol - csv) + 2 == len);
	assert_memory_equal(csv + 3, "网站名称,首页地址,", strlen("网站名称,首页地址,"));
	/* The header alone imports as an empty register. */
	{
		struct sw_store *b = sw_test_store();

		import_ok(b, csv, len);
		assert_int_equal(count(b, SW_ENT_SITE), 0);
		sw_store_close(b);
	}
	free(csv);
}

static void test_csv_round_trip(void **state)
{
	struct sw_store *a = *state, *b;
	size_t len, lines = 0;
	char *csv;

	load_register(a);
	assert_int_equal(count(a, SW_ENT_SITE), 4);
	assert_int_equal(count(a, SW_ENT_PERSON), 5);
	csv = export_csv(a, 0, &len);
	assert_int_equal(strlen(csv), len);
	assert_memory_equal(csv, "\xef\xbb\xbf", 3);
	assert_true(csv[3] != '\xef'); /* one BOM */
	/* Every line ends CRLF, the last one included. */
	for (size_t i = 0; i < len; i++)
		if (csv[i] == '\n') {
			assert_true(i > 0 && csv[i - 1] == '\r');
			lines++;
		}
	assert_memory_equal(csv + len - 2, "\r\n", 2);
	assert_int_equal(lines, 1 + 4 + 1); /* header, 4 sites, one two-line note */
	/* Labels, not keys or ids, for a Chinese reader. */
	assert_non_null(strstr(csv, ",运行,"));
	assert_non_null(strstr(csv, ",党政机关,"));
	assert_non_null(strstr(csv, ",北京市政府网站群,"));
	assert_non_null(strstr(csv, ",是,"));

	b = sw_test_store();
	import_ok(b, csv, len);
	same_register(a, b);
	sw_store_close(b);
	free(csv);
}

static void test_english_headers(void **state)
{
	struct sw_store *a = *state, *b;
	size_t len;
	char *csv, *eol;

	load_register(a);
	csv = export_csv(a, 1, &len);
	assert_non_null(eol = strstr(csv, "\r\n"));
	*eol = '\0';
	assert_memory_equal(csv + 3, "name,url,domains,", strlen("name,url,domains,"));
	assert_non_null(strstr(csv, ",unit,unit_type,credit_code,region,department,"));
	assert_non_null(strstr(csv, ",chief_name,chief_phone,chief_email,"));
	assert_non_null(strstr(csv, ",contact_email"));
	assert_null(strstr(csv, "网站名称"));
	*eol = '\r';
	/* Keys instead of labels in the data. */
	assert_non_null(strstr(csv, ",online,"));
	assert_non_null(strstr(csv, ",party_gov,"));
	assert_non_null(strstr(csv, ",yes,"));
	assert_null(strstr(csv, ",运行,"));
	/* And it imports back just the same. */
	b = sw_test_store();
	import_ok(b, csv, len);
	same_register(a, b);
	sw_store_close(b);
	free(csv);
}

/* Cells a spreadsheet would run as formulas are written with a leading
 * apostrophe; importing the file gives the original text back.  Fails
 * while the importer does not strip the apostrophe (sw_csv_undefuse). */
static void test_formula_cells_defused(void **state)
{
	static const char formulas[] =
		"网站名称,首页地址,主办单位,单位类型,行政区划代码,审核人,测评结论,备注\r\n"
		"甲,http://a.gov.cn/,单位,党政机关,110000,@admin,-5分,=1+1\r\n"
		"乙,http://b.gov.cn/,单位,党政机关,110000,,,'引号开头\r\n";
	struct sw_store *a = *state, *b;
	struct sw_rec s;
	size_t len;
	char *csv;

	import_ok(a, formulas, sizeof formulas - 1);
	csv = export_csv(a, 0, &len);
	/* No cell starts with a formula character. */
	assert_non_null(strstr(csv, ",'=1+1"));
	assert_non_null(strstr(csv, ",'@admin"));
	assert_non_null(strstr(csv, ",'-5分"));
	assert_null(strstr(csv, ",=1+1"));
	assert_non_null(strstr(csv, ",'引号开头")); /* not a formula: left alone */

	b = sw_test_store();
	import_ok(b, csv, len);
	load_by_url(b, "http://a.gov.cn/", &s);
	assert_string_equal(sw_rec_get(&s, sw_field_index(SW_ENT_SITE, "note")), "=1+1");
	assert_string_equal(sw_rec_get(&s, sw_field_index(SW_ENT_SITE, "reviewer")), "@admin");
	assert_string_equal(sw_rec_get(&s, sw_field_index(SW_ENT_SITE, "mlps_result")), "-5分");
	sw_rec_cleanup(&s);
	load_by_url(b, "http://b.gov.cn/", &s);
	assert_string_equal(sw_rec_get(&s, sw_field_index(SW_ENT_SITE, "note")), "'引号开头");
	sw_rec_cleanup(&s);
	sw_store_close(b);
	free(csv);
}

/* Rows of a table, counted by an export callback. */
struct rows {
	size_t n, cols;
	char first[64];
};

static enum sw_err count_row(void *arg, const char *const *vals, size_t n)
{
	struct rows *r = arg;

	if (r->n == 0) {
		r->cols = n;
		snprintf(r->first, sizeof r->first, "%s", vals[0]);
	}
	assert_int_equal(n, r->cols); /* every row as wide as the header */
	r->n++;
	return SW_OK;
}

static enum sw_err stop_after_header(void *arg, const char *const *vals, size_t n)
{
	struct rows *r = arg;

	(void)vals;
	(void)n;
	return r->n++ ? SW_EIO : SW_OK;
}

static void test_tables_and_filter(void **state)
{
	struct sw_store *st = *state;
	struct sw_filter f = {0};
	struct sw_errbuf eb;
	struct rows r;
	int64_t group = 0;

	load_register(st);
	sw_errbuf_clear(&eb);
	memset(&r, 0, sizeof r);
	assert_int_equal(sw_export_sites(st, NULL, 0, count_row, &r, &eb), SW_OK);
	assert_int_equal(r.n, 1 + 4);
	assert_string_equal(r.first, "网站名称");
	/* A filter narrows the rows. */
	assert_int_equal(sw_reg_resolve(st, sw_entity_get(SW_ENT_GROUP), "北京市政府网站群", &group,
					&eb), SW_OK);
	f.group_id = group;
	memset(&r, 0, sizeof r);
	assert_int_equal(sw_export_sites(st, &f, 1, count_row, &r, &eb), SW_OK);
	assert_int_equal(r.n, 1 + 2);
	assert_string_equal(r.first, "name");
	/* Plain tables: id, then every field. */
	memset(&r, 0, sizeof r);
	assert_int_equal(sw_export_table(st, sw_entity_get(SW_ENT_UNIT), 0, count_row, &r, &eb),
			 SW_OK);
	assert_int_equal(r.n, 1 + 3);
	assert_int_equal(r.cols, 1 + sw_entity_get(SW_ENT_UNIT)->nfields);
	assert_string_equal(r.first, "编号");
	memset(&r, 0, sizeof r);
	assert_int_equal(sw_export_table(st, sw_entity_get(SW_ENT_PERSON), 1, count_row, &r, &eb),
			 SW_OK);
	assert_int_equal(r.n, 1 + 5);
	assert_string_equal(r.first, "id");
	/* A failing writer stops the export with its code. */
	memset(&r, 0, sizeof r);
	assert_int_equal(sw_export_sites(st, NULL, 0, stop_after_header, &r, &eb), SW_EIO);
	assert_int_equal(r.n, 2);
}

/* Runs cmd and returns its output (caller frees), or NULL. */
static char *run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *out = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (!p)
		return NULL;
	m = open_memstream(&out, &len);
	assert_non_null(m);
	while ((c = getc(p)) != EOF)
		putc(c, m);
	fclose(m);
	if (pclose(p) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static void test_xlsx(void **state)
{
	struct sw_store *st = *state;
	const char *tmp = getenv("TMPDIR");
	char path[4096], cmd[4200], magic[4] = {0};
	struct sw_errbuf eb;
	struct stat sb;
	char *out;
	FILE *f;

	load_register(st);
	snprintf(path, sizeof path, "%s/sw-export-%ld.xlsx", tmp && *tmp ? tmp : "/tmp",
		 (long)getpid());
	sw_errbuf_clear(&eb);
	if (sw_export_xlsx(st, path, NULL, 0, &eb))
		fail_msg("xlsx: %s", eb.msg);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_size > 1000);
	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fread(magic, 1, 4, f), 4);
	fclose(f);
	assert_memory_equal(magic, "PK\x03\x04", 4);

	if (system("command -v unzip >/dev/null 2>&1") != 0) {
		unlink(path);
		skip(); /* scripts/debian-packages.txt installs it */
	}
	snprintf(cmd, sizeof cmd, "unzip -l '%s'", path);
	assert_non_null(out = run(cmd));
	assert_non_null(strstr(out, "xl/worksheets/sheet1.xml"));
	assert_non_null(strstr(out, "xl/worksheets/sheet2.xml"));
	assert_non_null(strstr(out, "xl/worksheets/sheet3.xml"));
	assert_null(strstr(out, "xl/worksheets/sheet4.xml"));
	free(out);
	snprintf(cmd, sizeof cmd, "unzip -p '%s' xl/workbook.xml", path);
	assert_non_null(out = run(cmd));
	assert_non_null(strstr(out, "name=\"网站\""));
	assert_non_null(strstr(out, "name=\"主办单位\""));
	assert_non_null(strstr(out, "name=\"责任人\""));
	free(out);
	/* Cells are inline strings (constant-memory mode): the sites sheet holds
	 * the credit code and phone as text, never as numbers. */
	snprintf(cmd, sizeof cmd, "unzip -p '%s' xl/worksheets/sheet1.xml", path);
	assert_non_null(out = run(cmd));
	assert_non_null(strstr(out, "t=\"inlineStr\""));
	assert_non_null(strstr(out, code1));
	assert_non_null(strstr(out, "首都之窗"));
	assert_non_null(strstr(out, "13800138000"));
	free(out);
	unlink(path);

	/* English sheet names. */
	if (sw_export_xlsx(st, path, NULL, 1, &eb))
		fail_msg("xlsx: %s", eb.msg);
	snprintf(cmd, sizeof cmd, "unzip -p '%s' xl/workbook.xml", path);
	assert_non_null(out = run(cmd));
	assert_non_null(strstr(out, "name=\"sites\""));
	assert_non_null(strstr(out, "name=\"units\""));
	assert_non_null(strstr(out, "name=\"persons\""));
	free(out);
	unlink(path);
}

static void test_xlsx_bad_path(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;

	sw_errbuf_clear(&eb);
	assert_int_not_equal(sw_export_xlsx(st, "/nonexistent-dir/x/y.xlsx", NULL, 0, &eb), SW_OK);
	assert_false(sw_errbuf_empty(&eb));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sw_test_setup, sw_test_teardown)
	const struct CMUnitTest tests[] = {
		T(test_empty_register),
		T(test_csv_round_trip),
		T(test_english_headers),
		T(test_formula_cells_defused),
		T(test_tables_and_filter),
		T(test_xlsx),
		T(test_xlsx_bad_path),
	};
#undef T

	return cmocka_run_group_tests(tests, setup_codes, NULL);
}
