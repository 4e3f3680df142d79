/*
 * test_xlsx.c - unit tests for src/io/xlsx*.c and the XLSX path of the
 * importer.
 *
 * Workbooks are made in the test: with libxlsxwriter (what Excel-like
 * writers produce: shared or inline strings, number and date formats,
 * merged ranges, several sheets) and, for what no honest writer makes,
 * ZIPs assembled from hand-written parts with libzip, some then patched
 * byte by byte (a size field that lies, a cut-off file).  The reader's
 * output is rendered as "row:[A][B]..." so a whole sheet's expected result
 * fits on a line or two.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "../testutil.h"
#include "io/charset.h"
#include "io/xlsx.h"
#include "register/import.h"

/* A file in memory. */
struct blob {
	char *p;
	size_t n;
};

/* Reads the whole file at path into b (test fails when it cannot). */
static void slurp(const char *path, struct blob *b)
{
	FILE *f = fopen(path, "rb");
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	b->p = malloc((size_t)n);
	assert_non_null(b->p);
	assert_int_equal(fread(b->p, 1, (size_t)n, f), (size_t)n);
	b->n = (size_t)n;
	fclose(f);
}

/* A temporary file name under $TMPDIR for libxlsxwriter to write. */
static void tmp_path(char *buf, size_t n)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	snprintf(buf, n, "%s/sw-xlsx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(buf);
	assert_true(fd >= 0);
	close(fd);
}

/* One named part of a hand-made ZIP. */
struct part {
	const char *name, *data;
	size_t len; /* 0: strlen(data) */
};

/* Builds a ZIP of the parts (deflated) in memory with libzip. */
static void make_zip(const struct part *parts, size_t n, struct blob *b)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	for (size_t i = 0; i < n; i++) {
		size_t len = parts[i].len ? parts[i].len : strlen(parts[i].data);
		zip_source_t *fs = zip_source_buffer(za, parts[i].data, len, 0);

		assert_non_null(fs);
		assert_true(zip_file_add(za, parts[i].name, fs, ZIP_FL_OVERWRITE) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	assert_int_equal(zip_source_open(src), 0);
	zip_stat_init(&st);
	assert_int_equal(zip_source_stat(src, &st), 0);
	b->n = (size_t)st.size;
	b->p = malloc(b->n);
	assert_non_null(b->p);
	assert_int_equal(zip_source_read(src, b->p, b->n), (zip_int64_t)b->n);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
}

static const char wb_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<sheets><sheet name=\"S1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char wb_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/styles\" Target=\"/xl/styles.xml\"/></Relationships>";

/* The start and end of a worksheet part around its rows. */
#define SHEET(rows)                                                                   \
	"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/" \
	"spreadsheetml/2006/main\"><sheetData>" rows "</sheetData></worksheet>"

/* A minimal workbook: one sheet, optional shared strings and styles. */
static void mini(const char *sheet, const char *sst, const char *styles, struct blob *b)
{
	struct part p[5] = {
		{"xl/workbook.xml", wb_xml, 0},
		{"xl/_rels/workbook.xml.rels", wb_rels, 0},
		{"xl/worksheets/sheet1.xml", sheet, 0},
	};
	size_t n = 3;

	if (sst)
		p[n++] = (struct part){"xl/sharedStrings.xml", sst, 0};
	if (styles)
		p[n++] = (struct part){"xl/styles.xml", styles, 0};
	make_zip(p, n, b);
}

/* Renders every row of the sheet as "row:[v1][v2]\n" (a T before the colon
 * marks a title row) into *out (caller frees); returns the open or row
 * error, SW_OK when the whole sheet was read. */
static enum sw_err render(const struct blob *b, const char *sheet,
			  const struct sw_xlsx_limits *lim, char **out, struct sw_errbuf *eb)
{
	struct sw_xlsx *x;
	const char **v;
	size_t row, n, sz;
	int shape;
	enum sw_err rc;
	FILE *m = open_memstream(out, &sz);

	assert_non_null(m);
	sw_errbuf_clear(eb);
	if ((rc = sw_xlsx_open(b->p, b->n, sheet, lim, &x, eb)) == SW_OK) {
		while ((rc = sw_xlsx_next(x, &row, &v, &n, &shape, eb)) == SW_OK) {
			fprintf(m, "%zu%s:", row, shape & SW_XLSX_TITLE ? "T" : "");
			for (size_t i = 0; i < n; i++)
				fprintf(m, "[%s]", v[i]);
			fputc('\n', m);
		}
		sw_xlsx_free(x);
		if (rc == SW_ENOTFOUND)
			rc = SW_OK;
	}
	fclose(m);
	return rc;
}

/* Renders and compares with want; fails with the difference shown. */
static void expect(const struct blob *b, const char *sheet, const char *want)
{
	struct sw_errbuf eb;
	char *got = NULL;
	enum sw_err rc = render(b, sheet, NULL, &got, &eb);

	if (rc)
		fail_msg("rc %s: %s", sw_errname(rc), eb.msg);
	assert_string_equal(got, want);
	free(got);
}

/* Expects the reader to refuse b with rc and a message containing part. */
static void refuse(const struct blob *b, const struct sw_xlsx_limits *lim, enum sw_err want,
		   const char *part)
{
	struct sw_errbuf eb;
	char *got = NULL;
	enum sw_err rc = render(b, NULL, lim, &got, &eb);

	if (rc != want || !strstr(eb.msg, part))
		fail_msg("want %s '%s', got %s '%s'", sw_errname(want), part, sw_errname(rc), eb.msg);
	free(got);
}

static void test_sniff(void **state)
{
	(void)state;
	assert_int_equal(sw_xlsx_sniff("PK\x03\x04rest", 8), SW_XLSX_ZIP);
	assert_int_equal(sw_xlsx_sniff("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8), SW_XLSX_OLE2);
	assert_int_equal(sw_xlsx_sniff("name,url\r\n", 10), SW_XLSX_NOT);
	assert_int_equal(sw_xlsx_sniff("PK", 2), SW_XLSX_NOT);
	assert_int_equal(sw_xlsx_sniff("", 0), SW_XLSX_NOT);
}

static void test_col_name(void **state)
{
	char b[8];

	(void)state;
	sw_xlsx_col_name(0, b);
	assert_string_equal(b, "A");
	sw_xlsx_col_name(25, b);
	assert_string_equal(b, "Z");
	sw_xlsx_col_name(26, b);
	assert_string_equal(b, "AA");
	sw_xlsx_col_name(16383, b);
	assert_string_equal(b, "XFD");
}

/*
 * Writes, with libxlsxwriter, a register-like sheet: Chinese headers,
 * identifiers typed as numbers, dates (a custom and a built-in format),
 * a boolean, empty cells and trailing empty rows.  With constant_memory
 * the strings are inline, otherwise shared.
 */
static void writer_book(int inline_strings, struct blob *b)
{
	lxw_workbook_options opt = {.constant_memory = inline_strings ? LXW_TRUE : LXW_FALSE};
	char path[4096];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *iso, *builtin, *blank;
	lxw_datetime d = {2024, 8, 31, 0, 0, 0};

	tmp_path(path, sizeof path);
	wb = workbook_new_opt(path, &opt);
	assert_non_null(wb);
	ws = workbook_add_worksheet(wb, "登记表");
	iso = workbook_add_format(wb);
	format_set_num_format(iso, "yyyy\"年\"m\"月\"d\"日\"");
	builtin = workbook_add_format(wb);
	format_set_num_format_index(builtin, 14);
	blank = workbook_add_format(wb);
	format_set_bold(blank);
	worksheet_write_string(ws, 0, 0, "网站名称", NULL);
	worksheet_write_string(ws, 0, 1, "电话", NULL);
	worksheet_write_string(ws, 0, 2, "证件号", NULL);
	worksheet_write_string(ws, 0, 3, "开通日期", NULL);
	worksheet_write_string(ws, 0, 4, "党政机关标识", NULL);
	worksheet_write_string(ws, 1, 0, "北京市人民政府", NULL);
	worksheet_write_number(ws, 1, 1, 13800138000.0, NULL);
	worksheet_write_number(ws, 1, 2, 110105194912310.0, NULL);
	worksheet_write_datetime(ws, 1, 3, &d, iso);
	worksheet_write_boolean(ws, 1, 4, 1, NULL);
	/* Row 3: empty cells between values, a date in built-in format 14. */
	worksheet_write_string(ws, 2, 0, "示例 \"引号\" & <尖括号>", NULL);
	worksheet_write_datetime(ws, 2, 3, &(lxw_datetime){1999, 12, 31, 12, 30, 0}, builtin);
	worksheet_write_number(ws, 2, 4, 0.5, NULL);
	/* Trailing rows with only formatting. */
	worksheet_write_blank(ws, 3, 0, blank);
	worksheet_write_blank(ws, 4, 2, blank);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	slurp(path, b);
	unlink(path);
}

static void test_writer_values(void **state)
{
	static const char want[] =
		"1:[网站名称][电话][证件号][开通日期][党政机关标识]\n"
		"2:[北京市人民政府][13800138000][110105194912310][2024-08-31][TRUE]\n"
		"3:[示例 \"引号\" & <尖括号>][][][1999-12-31][0.5]\n"
		"4:\n"
		"5:\n";
	struct blob b;

	(void)state;
	for (int in = 0; in <= 1; in++) {
		writer_book(in, &b);
		expect(&b, NULL, want);
		free(b.p);
	}
}

/* Sheets: the first visible one by default, others by name. */
static void test_sheet_choice(void **state)
{
	char path[4096];
	lxw_workbook *wb;
	lxw_worksheet *hidden, *a, *c;
	struct blob b;
	struct sw_errbuf eb;
	char *got = NULL;

	(void)state;
	tmp_path(path, sizeof path);
	wb = workbook_new(path);
	hidden = workbook_add_worksheet(wb, "lists");
	a = workbook_add_worksheet(wb, "sites");
	c = workbook_add_worksheet(wb, "单位");
	worksheet_write_string(hidden, 0, 0, "hidden", NULL);
	worksheet_write_string(a, 0, 0, "first visible", NULL);
	worksheet_write_string(c, 1, 1, "第三", NULL);
	worksheet_hide(hidden);
	worksheet_activate(a);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	slurp(path, &b);
	unlink(path);
	expect(&b, NULL, "1:[first visible]\n");
	expect(&b, "单位", "2:[][第三]\n");
	expect(&b, "LISTS", "1:[hidden]\n");
	assert_int_equal(render(&b, "nope", NULL, &got, &eb), SW_EINVAL);
	assert_non_null(strstr(eb.msg, "no sheet called 'nope'"));
	free(got);
	free(b.p);
}

/* Merged ranges: a title across the top, a unit merged down over rows. */
static void test_merged(void **state)
{
	char path[4096];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	struct blob b;

	(void)state;
	tmp_path(path, sizeof path);
	wb = workbook_new(path);
	ws = workbook_add_worksheet(wb, NULL);
	worksheet_merge_range(ws, 0, 0, 0, 2, "网站登记表", NULL);
	worksheet_write_string(ws, 1, 0, "单位", NULL);
	worksheet_write_string(ws, 1, 1, "网站", NULL);
	worksheet_merge_range(ws, 2, 0, 4, 0, "市政府", NULL);
	worksheet_write_string(ws, 2, 1, "a", NULL);
	worksheet_write_string(ws, 3, 1, "b", NULL);
	worksheet_write_string(ws, 4, 1, "c", NULL);
	worksheet_write_string(ws, 5, 1, "d", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	slurp(path, &b);
	unlink(path);
	expect(&b, NULL,
	       "1T:[网站登记表][网站登记表][网站登记表]\n2:[单位][网站]\n3:[市政府][a]\n"
	       "4:[市政府][b]\n5:[市政府][c]\n6:[][d]\n");
	free(b.p);
}

/* What libxlsxwriter does not write: rich and phonetic runs, missing r=
 * references, formula strings, errors, exponents, ISO dates, prefixes. */
static void test_hand_cells(void **state)
{
	static const char sst[] =
		"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<si><t>plain</t></si>"
		"<si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space=\"preserve\">文本 </t></r>"
		"<rPh sb=\"0\" eb=\"1\"><t>フ</t></rPh></si>"
		"<si><t/></si></sst>";
	static const char sheet[] = SHEET(
		"<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c><c t=\"s\"><v>2</v></c>"
		"<c r=\"E1\" t=\"inlineStr\"><is><r><t>in</t></r><r><t>line</t></r></is></c></row>"
		"<row r=\"3\"><c r=\"B3\" t=\"str\"><f>A1&amp;\"x\"</f><v>plainx</v></c>"
		"<c t=\"e\"><v>#N/A</v></c><c><v>1.5E+3</v></c><c><v>-2E+2</v></c>"
		"<c><v>1.2345678901234567E+17</v></c><c><v>1E-3</v></c>"
		"<c t=\"d\"><v>2024-02-29T00:00:00</v></c><c t=\"b\"><v>0</v></c></row>"
		"<row r=\"4\"><c r=\"A4\" s=\"1\"><v>45000</v></c><c r=\"B4\" s=\"2\"><v>45000</v></c>"
		"<c r=\"C4\" s=\"3\"><v>0.75</v></c><c r=\"D4\" s=\"1\"><v>60</v></c></row>");
	static const char styles[] =
		"<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"[Red]yyyy/mm/dd\"/>"
		"<numFmt numFmtId=\"165\" formatCode=\"h:mm\"/></numFmts>"
		"<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
		"<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"0\"/>"
		"<xf numFmtId=\"165\"/></cellXfs></styleSheet>";
	struct blob b;

	(void)state;
	mini(sheet, sst, styles, &b);
	expect(&b, NULL,
	       "1:[plain][富文本 ][][][inline]\n"
	       "3:[][plainx][#N/A][1500][-200][1.2345678901234567E+17][1E-3][2024-02-29][FALSE]\n"
	       "4:[2023-03-15][45000][0.75][60]\n");
	free(b.p);
}

/* Characters XML cannot carry, escaped as _xHHHH_ (and "_x" itself as
 * _x005F_); NUL and surrogate escapes stay as written; numbers are never
 * unescaped. */
static void test_escapes(void **state)
{
	static const char sst[] =
		"<sst><si><t>a_x000D_b_x005F_x0041_</t></si><si><t>_x0000__xD800__x41_</t></si></sst>";
	struct blob b;

	(void)state;
	mini(SHEET("<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c>"
		   "<c t=\"inlineStr\"><is><t>_x4E2D_文_x000a_</t></is></c>"
		   "<c t=\"str\"><v>_x0031_</v></c><c t=\"e\"><v>_x0031_</v></c></row>"),
	     sst, NULL, &b);
	expect(&b, NULL, "1:[a\rb_x0041_][_x0000__xD800__x41_][中文\n][1][_x0031_]\n");
	free(b.p);
}

/* The 1904 date system. */
static void test_date1904(void **state)
{
	static const char wb1904[] =
		"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
		"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		"<workbookPr date1904=\"1\"/>"
		"<sheets><sheet name=\"S1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
	static const char styles[] =
		"<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";
	const struct part p[] = {
		{"xl/workbook.xml", wb1904, 0},
		{"xl/_rels/workbook.xml.rels", wb_rels, 0},
		{"xl/worksheets/sheet1.xml", SHEET("<row><c s=\"1\"><v>0</v></c><c s=\"1\"><v>1</v>"
						   "</c><c s=\"1\"><v>43538</v></c></row>"), 0},
		{"xl/styles.xml", styles, 0},
	};
	struct blob b;

	(void)state;
	make_zip(p, 4, &b);
	/* Serial 0 is before the first day either system counts: kept raw. */
	expect(&b, NULL, "1:[0][1904-01-02][2023-03-15]\n");
	free(b.p);
}

/* Files that are not workbooks, or not whole ones. */
static void test_not_workbooks(void **state)
{
	struct blob b = {"name,url\nx,http://a.example\n", 28};
	struct blob ole = {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0\0\0\0\0\0", 16};
	const struct part other[] = {{"readme.txt", "hello", 0}};
	const struct part macros[] = {{"xl/vbaProject.bin", "\1\2\3", 3}};
	const struct part xlsb[] = {
		{"_rels/.rels",
		 "<Relationships><Relationship Id=\"r\" Type=\"http://schemas.openxmlformats.org/"
		 "officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.bin\"/>"
		 "</Relationships>", 0},
		{"xl/workbook.bin", "\0", 1}};
	struct blob z, half;

	(void)state;
	refuse(&b, NULL, SW_EINVAL, "not a readable XLSX file");
	refuse(&ole, NULL, SW_EINVAL, "password-protected");
	make_zip(other, 1, &z);
	refuse(&z, NULL, SW_EINVAL, "no xl/workbook.xml");
	free(z.p);
	make_zip(macros, 1, &z);
	refuse(&z, NULL, SW_EINVAL, "only macros");
	free(z.p);
	make_zip(xlsb, 2, &z);
	refuse(&z, NULL, SW_EINVAL, ".xlsb");
	free(z.p);
	/* A workbook cut in half: the central directory is gone. */
	writer_book(0, &z);
	half = (struct blob){z.p, z.n / 2};
	refuse(&half, NULL, SW_EINVAL, "truncated");
	/* A damaged byte inside a deflated part: CRC or inflate error. */
	free(z.p);
}

/* An encrypted entry (traditional PKWARE) is refused, not tried. */
static void test_encrypted_entry(void **state)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;
	struct blob b;
	zip_int64_t idx;

	(void)state;
	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	zip_file_add(za, "xl/workbook.xml", zip_source_buffer(za, wb_xml, strlen(wb_xml), 0), 0);
	zip_file_add(za, "xl/_rels/workbook.xml.rels",
		     zip_source_buffer(za, wb_rels, strlen(wb_rels), 0), 0);
	idx = zip_file_add(za, "xl/worksheets/sheet1.xml",
			   zip_source_buffer(za, SHEET(""), strlen(SHEET("")), 0), 0);
	assert_int_equal(zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_TRAD_PKWARE, "pw"),
			 0);
	assert_int_equal(zip_close(za), 0);
	zip_source_open(src);
	zip_stat_init(&st);
	zip_source_stat(src, &st);
	b.n = (size_t)st.size;
	b.p = malloc(b.n);
	assert_int_equal(zip_source_read(src, b.p, b.n), (zip_int64_t)b.n);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	refuse(&b, NULL, SW_EINVAL, "encrypted");
	free(b.p);
}

/* Overwrites the uncompressed size of every local and central header of
 * entry `name` in the ZIP b with size. */
static void lie_size(struct blob *b, const char *name, uint32_t size)
{
	size_t nl = strlen(name);
	int patched = 0;

	for (size_t i = 0; i + 46 + nl <= b->n; i++) {
		unsigned char *p = (unsigned char *)b->p + i;
		size_t at = 0, name_at = 0;

		if (!memcmp(p, "PK\x03\x04", 4))
			at = 22, name_at = 30;
		else if (!memcmp(p, "PK\x01\x02", 4))
			at = 24, name_at = 46;
		else
			continue;
		if (i + name_at + nl > b->n || memcmp(p + name_at, name, nl))
			continue;
		for (int k = 0; k < 4; k++)
			p[at + k] = (unsigned char)(size >> (8 * k));
		patched++;
	}
	assert_int_equal(patched, 2);
}

/* ZIP bombs: one that says what it is, one that lies about its size. */
static void test_bomb(void **state)
{
	size_t big = 8u << 20; /* 8 MiB of rows, about 20 KiB deflated */
	char *sheet = malloc(big + 200);
	struct sw_xlsx_limits lim;
	struct blob b;
	size_t o;

	(void)state;
	o = (size_t)sprintf(sheet, "<worksheet><sheetData>");
	while (o + 40 < big)
		o += (size_t)sprintf(sheet + o, "<row><c><v>1</v></c></row>");
	o += (size_t)sprintf(sheet + o, "</sheetData></worksheet>");
	{
		const struct part p[] = {{"xl/workbook.xml", wb_xml, 0},
					 {"xl/_rels/workbook.xml.rels", wb_rels, 0},
					 {"xl/worksheets/sheet1.xml", sheet, o}};

		make_zip(p, 3, &b);
	}
	assert_true(b.n < big / 50);
	sw_xlsx_limits_default(&lim);
	lim.part_bytes = 1u << 20;
	refuse(&b, &lim, SW_ELIMIT, "ZIP bomb");
	/* The same part claiming 1,000 bytes is cut off there. */
	lie_size(&b, "xl/worksheets/sheet1.xml", 1000);
	refuse(&b, &lim, SW_ELIMIT, "inflates past its declared 1000 bytes");
	free(b.p);
	free(sheet);
}

static void test_too_many_entries(void **state)
{
	struct part p[40];
	char names[40][32];
	struct sw_xlsx_limits lim;
	struct blob b;

	(void)state;
	p[0] = (struct part){"xl/workbook.xml", wb_xml, 0};
	p[1] = (struct part){"xl/_rels/workbook.xml.rels", wb_rels, 0};
	p[2] = (struct part){"xl/worksheets/sheet1.xml", SHEET("<row><c><v>1</v></c></row>"), 0};
	for (int i = 3; i < 40; i++) {
		snprintf(names[i], sizeof names[i], "xl/media/image%d.png", i);
		p[i] = (struct part){names[i], "x", 1};
	}
	make_zip(p, 40, &b);
	sw_xlsx_limits_default(&lim);
	expect(&b, NULL, "1:[1]\n");
	lim.entries = 39;
	refuse(&b, &lim, SW_ELIMIT, "declares 40 entries");
	/* An end record claiming 60,000 entries is refused before libzip
	 * sizes a table from it. */
	assert_memory_equal(b.p + b.n - 22, "PK\x05\x06", 4);
	b.p[b.n - 22 + 8] = b.p[b.n - 22 + 10] = (char)(60000 & 0xff);
	b.p[b.n - 22 + 9] = b.p[b.n - 22 + 11] = (char)(60000 >> 8);
	refuse(&b, NULL, SW_ELIMIT, "declares 60000 entries");
	free(b.p);
}

/* Entities: an external one (XXE) and the billion laughs. */
static void test_entities(void **state)
{
	static const char xxe[] =
		"<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
		"<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&x;</t></is></c></row>"
		"</sheetData></worksheet>";
	static const char laughs[] =
		"<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
		"<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&c;</t></is></c></row>"
		"</sheetData></worksheet>";
	static const char sst_xxe[] =
		"<!DOCTYPE sst SYSTEM \"http://127.0.0.1:9/sst.dtd\"><sst><si><t>x</t></si></sst>";
	struct blob b;

	(void)state;
	mini(xxe, NULL, NULL, &b);
	refuse(&b, NULL, SW_EINVAL, "DOCTYPE");
	free(b.p);
	mini(laughs, NULL, NULL, &b);
	refuse(&b, NULL, SW_EINVAL, "DOCTYPE");
	free(b.p);
	mini(SHEET(""), sst_xxe, NULL, &b);
	refuse(&b, NULL, SW_EINVAL, "xl/sharedStrings.xml: has a DOCTYPE");
	free(b.p);
	/* An undeclared entity is an XML error, not an empty string. */
	mini(SHEET("<row><c t=\"inlineStr\"><is><t>&x;</t></is></c></row>"), NULL, NULL, &b);
	refuse(&b, NULL, SW_EINVAL, "bad XML");
	free(b.p);
}

static void test_deep_nesting(void **state)
{
	size_t depth = 100000, o = 0;
	char *s = malloc(depth * 7 + 100);
	struct blob b;

	(void)state;
	o += (size_t)sprintf(s, "<worksheet><sheetData>");
	for (size_t i = 0; i < depth; i++)
		o += (size_t)sprintf(s + o, "<a>");
	o += (size_t)sprintf(s + o, "</sheetData></worksheet>");
	mini(s, NULL, NULL, &b);
	refuse(&b, NULL, SW_ELIMIT, "nested deeper than 64");
	free(b.p);
	free(s);
}

/* Cells and rows beyond the bounds, or out of order. */
static void test_cell_limits(void **state)
{
	struct sw_xlsx_limits lim;
	struct blob b;
	char *big = malloc(70000), *sheet = malloc(70200);

	(void)state;
	mini(SHEET("<row><c r=\"A1\"><v>1</v></c><c r=\"TS1\"><v>2</v></c></row>"), NULL, NULL, &b);
	refuse(&b, NULL, SW_ELIMIT, "cell TS1: more than 512 columns");
	free(b.p);
	/* An empty styled cell far right is no error. */
	mini(SHEET("<row><c r=\"A1\"><v>1</v></c><c r=\"XFD1\" s=\"0\"/></row>"), NULL, NULL, &b);
	expect(&b, NULL, "1:[1]\n");
	free(b.p);
	mini(SHEET("<row r=\"5\"/><row r=\"4\"/>"), NULL, NULL, &b);
	refuse(&b, NULL, SW_EINVAL, "rows out of order");
	free(b.p);
	mini(SHEET("<row><c r=\"C1\"><v>1</v></c><c r=\"B1\"><v>2</v></c></row>"), NULL, NULL, &b);
	refuse(&b, NULL, SW_EINVAL, "cell B1: cells out of order");
	free(b.p);
	mini(SHEET("<row><c t=\"s\"><v>3</v></c></row>"), NULL, NULL, &b);
	refuse(&b, NULL, SW_EINVAL, "cell A1: no shared string '3'");
	free(b.p);
	mini(SHEET("<row r=\"1048577\"/>"), NULL, NULL, &b);
	refuse(&b, NULL, SW_ELIMIT, "row 1048577");
	free(b.p);
	memset(big, 'x', 65 * 1024 + 1);
	big[65 * 1024 + 1] = '\0';
	snprintf(sheet, 70200,
		 "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>%s</t></is></c></row>"
		 "</sheetData></worksheet>", big);
	mini(sheet, NULL, NULL, &b);
	refuse(&b, NULL, SW_ELIMIT, "more than 65536 bytes");
	free(b.p);
	mini(SHEET(""), "<sst><si><t>a</t></si><si><t>b</t></si><si><t>c</t></si></sst>", NULL, &b);
	sw_xlsx_limits_default(&lim);
	lim.strings = 2;
	refuse(&b, &lim, SW_ELIMIT, "more than 2 shared strings");
	free(b.p);
	mini(SHEET("<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>"), NULL, NULL, &b);
	sw_xlsx_limits_default(&lim);
	lim.cells = 2;
	refuse(&b, &lim, SW_ELIMIT, "more than 2 cells");
	free(b.p);
	free(big);
	free(sheet);
}

static void test_merge_overlap(void **state)
{
	static const char s[] =
		"<worksheet><sheetData><row r=\"1\"><c><v>1</v></c></row><row r=\"2\"/></sheetData>"
		"<mergeCells><mergeCell ref=\"A1:B2\"/><mergeCell ref=\"B2:C3\"/></mergeCells>"
		"</worksheet>";
	struct blob b;

	(void)state;
	mini(s, NULL, NULL, &b);
	refuse(&b, NULL, SW_EINVAL, "merged ranges overlap in row 2");
	free(b.p);
}

/* --- the importer's XLSX path ---------------------------------------------- */

struct errs {
	char text[4096];
};

static void on_err(void *arg, size_t row, size_t line, const char *column, const char *cell,
		   const char *msg)
{
	struct errs *e = arg;
	size_t used = strlen(e->text);

	snprintf(e->text + used, sizeof e->text - used, "%zu/%zu %s %s: %s\n", row, line,
		 cell ? cell : "-", column ? column : "-", msg);
}

/*
 * A unit's form: title, a two-row header (网站名称 merged down, 主管责任人
 * over 姓名/电话), an empty row, the unit merged over two sites (its region
 * code typed as a number).
 */
static void merge_num(lxw_worksheet *ws, lxw_row_t r1, lxw_col_t c1,
				      lxw_row_t r2, lxw_col_t c2, double v)
{
	/* libxlsxwriter merges with a string; the number then overwrites the
	 * top-left cell, as Excel stores a merged number. */
	worksheet_merge_range(ws, r1, c1, r2, c2, "", NULL);
	worksheet_write_number(ws, r1, c1, v, NULL);
}
static void form_book(const char *credit, struct blob *b)
{
	char path[4096];
	lxw_workbook *wb;
	lxw_worksheet *ws;

	tmp_path(path, sizeof path);
	wb = workbook_new(path);
	ws = workbook_add_worksheet(wb, "填报");
	worksheet_merge_range(ws, 0, 0, 0, 7, "某市网站基本情况登记表", NULL);
	worksheet_merge_range(ws, 2, 0, 3, 0, "网站名称", NULL);
	worksheet_merge_range(ws, 2, 1, 3, 1, "首页地址", NULL);
	worksheet_merge_range(ws, 2, 2, 3, 2, "主办单位", NULL);
	worksheet_merge_range(ws, 2, 3, 3, 3, "统一社会信用代码", NULL);
	worksheet_merge_range(ws, 2, 4, 2, 5, "主管责任人", NULL);
	worksheet_write_string(ws, 3, 4, "姓名", NULL);
	worksheet_write_string(ws, 3, 5, "电话", NULL);
	worksheet_merge_range(ws, 2, 6, 3, 6, "单位类型", NULL);
	worksheet_merge_range(ws, 2, 7, 3, 7, "行政区划代码", NULL);
	worksheet_write_string(ws, 5, 0, "市政府门户", NULL);
	worksheet_write_string(ws, 5, 1, "https://www.city.example.gov.cn/", NULL);
	worksheet_merge_range(ws, 5, 2, 6, 2, "某市人民政府办公室", NULL);
	worksheet_merge_range(ws, 5, 3, 6, 3, credit, NULL);
	worksheet_merge_range(ws, 5, 6, 6, 6, "党政机关", NULL);
	merge_num(ws, 5, 7, 6, 7, 110000);
	worksheet_write_string(ws, 5, 4, "张三", NULL);
	worksheet_write_number(ws, 5, 5, 13800138000.0, NULL);
	worksheet_write_string(ws, 6, 0, "市政府英文网", NULL);
	worksheet_write_string(ws, 6, 1, "https://en.city.example.gov.cn/", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	slurp(path, b);
	unlink(path);
}

static void test_import_form(void **state)
{
	struct sw_store *st = *state;
	char code[19], bad[19];
	struct sw_import_stats stats;
	struct sw_errbuf eb;
	struct errs e = {""};
	struct blob b;
	enum sw_err rc;

	sw_test_credit(code, "11110000000000001");
	memcpy(bad, code, sizeof bad);
	bad[17] = code[17] == '0' ? '1' : '0';
	/* One wrong check character: nothing imported, the cell named. */
	form_book(bad, &b);
	sw_errbuf_clear(&eb);
	rc = sw_import_buffer_opts(st, b.p, b.n, NULL, &stats, on_err, &e, &eb);
	assert_int_equal(rc, SW_EINVAL);
	assert_int_equal(stats.format, SW_IMPORT_FMT_XLSX);
	assert_string_equal(stats.sheet, "填报");
	assert_int_equal(stats.rejected, 2);
	assert_non_null(strstr(e.text, "6/6 D6 统一社会信用代码: "));
	assert_non_null(strstr(e.text, "7/7 D7 统一社会信用代码: "));
	assert_int_equal(stats.added[SW_ENT_SITE], 0);
	free(b.p);
	/* The right one: two sites of one unit, the person with the phone. */
	form_book(code, &b);
	e.text[0] = '\0';
	sw_errbuf_clear(&eb);
	rc = sw_import_buffer_opts(st, b.p, b.n, NULL, &stats, on_err, &e, &eb);
	if (rc)
		fail_msg("%s %s%s", sw_errname(rc), eb.msg, e.text);
	assert_int_equal(stats.rows, 2);
	assert_int_equal(stats.added[SW_ENT_SITE], 2);
	assert_int_equal(stats.added[SW_ENT_UNIT], 1);
	assert_int_equal(stats.added[SW_ENT_PERSON], 1);
	free(b.p);
}

/* The format is the caller's when it says so: XLSX demanded of a CSV file
 * and CSV of a workbook are both refused. */
static void test_import_format(void **state)
{
	struct sw_store *st = *state;
	struct sw_import_opts o = {.format = SW_IMPORT_FMT_XLSX};
	struct sw_import_stats stats;
	struct sw_errbuf eb;
	struct blob b;

	sw_errbuf_clear(&eb);
	assert_int_equal(sw_import_buffer_opts(st, "name,url\n", 9, &o, &stats, NULL, NULL, &eb),
			 SW_EINVAL);
	assert_non_null(strstr(eb.msg, "not an XLSX"));
	writer_book(0, &b);
	o.format = SW_IMPORT_FMT_CSV;
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_import_buffer_opts(st, b.p, b.n, &o, &stats, NULL, NULL, &eb),
			 SW_EINVAL);
	assert_non_null(strstr(eb.msg, "not CSV"));
	/* An empty sheet. */
	o.format = SW_IMPORT_FMT_AUTO;
	o.sheet = "nope";
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_import_buffer_opts(st, b.p, b.n, &o, &stats, NULL, NULL, &eb),
			 SW_EINVAL);
	assert_non_null(strstr(eb.msg, "no sheet called"));
	free(b.p);
	/* A sheet with nothing but formatting. */
	mini(SHEET("<row r=\"2\"><c r=\"B2\" s=\"1\"/></row>"), NULL, NULL, &b);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_import_buffer_opts(st, b.p, b.n, NULL, &stats, NULL, NULL, &eb),
			 SW_EINVAL);
	assert_non_null(strstr(eb.msg, "sheet 'S1' is empty"));
	free(b.p);
	/* A header merged down onto a row the sheet does not have. */
	mini("<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>网站名称</t></is></c>"
	     "</row><row r=\"3\"><c t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData>"
	     "<mergeCells><mergeCell ref=\"A1:A2\"/></mergeCells></worksheet>",
	     NULL, NULL, &b);
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_import_buffer_opts(st, b.p, b.n, NULL, &stats, NULL, NULL, &eb),
			 SW_EINVAL);
	assert_non_null(strstr(eb.msg, "row 1: the header's merged cells reach row 2"));
	free(b.p);
}

/* A sheet name longer than the stats keep is cut at a character boundary
 * (Excel allows 31 characters; a hand-made file anything). */
static void test_import_long_sheet_name(void **state)
{
	struct sw_store *st = *state;
	char wb[1024], name[400] = "";
	struct sw_import_stats stats;
	struct sw_errbuf eb;
	struct blob b;

	for (int i = 0; i < 100; i++)
		strcat(name, "表");
	snprintf(wb, sizeof wb,
		 "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
		 "relationships\"><sheets><sheet name=\"%s\" r:id=\"rId1\"/></sheets></workbook>",
		 name);
	{
		const struct part p[] = {
			{"xl/workbook.xml", wb, 0},
			{"xl/_rels/workbook.xml.rels", wb_rels, 0},
			{"xl/worksheets/sheet1.xml",
			 SHEET("<row><c t=\"inlineStr\"><is><t>网站名称</t></is></c></row>"), 0},
		};

		make_zip(p, 3, &b);
	}
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_import_buffer_opts(st, b.p, b.n, NULL, &stats, NULL, NULL, &eb),
			 SW_EINVAL);
	assert_int_equal(strlen(stats.sheet), 126); /* 42 characters of 3 bytes */
	assert_true(sw_utf8_valid(stats.sheet, strlen(stats.sheet)));
	assert_int_equal(strncmp(stats.sheet, name, 126), 0);
	free(b.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_col_name),
		cmocka_unit_test(test_writer_values),
		cmocka_unit_test(test_sheet_choice),
		cmocka_unit_test(test_merged),
		cmocka_unit_test(test_hand_cells),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_date1904),
		cmocka_unit_test(test_not_workbooks),
		cmocka_unit_test(test_encrypted_entry),
		cmocka_unit_test(test_bomb),
		cmocka_unit_test(test_too_many_entries),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_cell_limits),
		cmocka_unit_test(test_merge_overlap),
		cmocka_unit_test_setup_teardown(test_import_form, sw_test_setup, sw_test_teardown),
		cmocka_unit_test_setup_teardown(test_import_format, sw_test_setup, sw_test_teardown),
		cmocka_unit_test_setup_teardown(test_import_long_sheet_name, sw_test_setup,
						sw_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
