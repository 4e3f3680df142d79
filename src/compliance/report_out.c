/*
 * report_out.c - writes a struct sw_report as CSV, XLSX or printable HTML.
 *
 * CSV starts with a UTF-8 BOM like the register export: Excel on Chinese
 * Windows reads BOM-less UTF-8 as GBK.  XLSX has a bold, shaded, bordered
 * header row that stays frozen while scrolling, set column widths, and
 * numbers written as numbers.  HTML is for printing from a browser (or
 * headless Chromium to PDF): A4 (landscape when the table is wide), CJK
 * fonts by name with fallbacks, the header repeated on every page, rows
 * never split, and a page break before each section (a new province).
 */
#include "compliance/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* Opens path for writing ("-": stdout). */
static FILE *open_out(const char *path, struct sw_errbuf *eb)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;

	if (!f)
		sw_errf(eb, SW_EIO, "%s: %s", path, strerror(errno));
	return f;
}

/* Closes f (unless stdout), reporting write errors. */
static enum sw_err close_out(FILE *f, const char *path, struct sw_errbuf *eb)
{
	int bad = ferror(f) || fflush(f);

	if (f != stdout)
		bad |= fclose(f);
	return bad ? sw_errf(eb, SW_EIO, "%s: write failed", path) : SW_OK;
}

/* Writes one CSV field, quoted when needed (RFC 4180). */
static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

enum sw_err sw_report_csv(const struct sw_report *r, const char *path, struct sw_errbuf *eb)
{
	FILE *f = open_out(path, eb);

	if (!f)
		return SW_EIO;
	fputs("\xef\xbb\xbf", f);
	for (int c = 0; c < r->ncols; c++) {
		if (c)
			fputc(',', f);
		csv_field(f, r->head[c]);
	}
	fputs("\r\n", f);
	for (size_t i = 0; i < r->nrows; i++) {
		for (int c = 0; c < r->ncols; c++) {
			if (c)
				fputc(',', f);
			csv_field(f, r->cells[i * (size_t)r->ncols + (size_t)c]);
		}
		fputs("\r\n", f);
	}
	return close_out(f, path, eb);
}

/* True when s is a plain integer (written as a number in XLSX). */
static int is_int(const char *s)
{
	size_t n = strlen(s), k = s[0] == '-' || s[0] == '+';

	return n > k && n - k <= 15 && strspn(s + k, "0123456789") == n - k;
}

enum sw_err sw_report_xlsx(const struct sw_report *r, const char *path, struct sw_errbuf *eb)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *title, *head, *cell;
	lxw_error err;

	if (!wb)
		return sw_errf(eb, SW_EIO, "%s: cannot create the workbook", path);
	ws = workbook_add_worksheet(wb, "report");
	title = workbook_add_format(wb);
	format_set_bold(title);
	format_set_font_size(title, 14);
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xD9E1F2);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_align(head, LXW_ALIGN_CENTER);
	format_set_text_wrap(head);
	cell = workbook_add_format(wb);
	format_set_border(cell, LXW_BORDER_THIN);
	format_set_text_wrap(cell);
	format_set_align(cell, LXW_ALIGN_VERTICAL_TOP);
	worksheet_write_string(ws, 0, 0, r->title, title);
	worksheet_write_string(ws, 1, 0, r->subtitle, NULL);
	for (int c = 0; c < r->ncols; c++) {
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, r->width[c] ? r->width[c] : 12,
				     NULL);
		worksheet_write_string(ws, 2, (lxw_col_t)c, r->head[c], head);
	}
	worksheet_freeze_panes(ws, 3, 0);
	for (size_t i = 0; i < r->nrows; i++)
		for (int c = 0; c < r->ncols; c++) {
			const char *v = r->cells[i * (size_t)r->ncols + (size_t)c];
			lxw_row_t row = (lxw_row_t)(i + 3);

			if (is_int(v))
				worksheet_write_number(ws, row, (lxw_col_t)c, strtod(v, NULL), cell);
			else
				worksheet_write_string(ws, row, (lxw_col_t)c, v, cell);
		}
	if ((err = workbook_close(wb)) != LXW_NO_ERROR)
		return sw_errf(eb, SW_EIO, "%s: %s", path, lxw_strerror(err));
	return SW_OK;
}

/* Writes s with HTML's special characters escaped. */
static void html_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* Short columns (serial, dates, states: XLSX width 14 or less) never
 * wrap: a date broken over two lines reads as two dates. */
static int narrow(const struct sw_report *r, int c)
{
	return r->width[c] && r->width[c] <= 14;
}

/* Opens a table with its header row. */
static void html_table_open(FILE *f, const struct sw_report *r, int page_break)
{
	fprintf(f, "<table%s><thead><tr>", page_break ? " class=\"newpage\"" : "");
	for (int c = 0; c < r->ncols; c++) {
		fputs(narrow(r, c) ? "<th class=\"n\">" : "<th>", f);
		html_text(f, r->head[c]);
		fputs("</th>", f);
	}
	fputs("</tr></thead><tbody>\n", f);
}

enum sw_err sw_report_html(const struct sw_report *r, const char *path, struct sw_errbuf *eb)
{
	FILE *f = open_out(path, eb);

	if (!f)
		return SW_EIO;
	fprintf(f,
		"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
	html_text(f, r->title);
	fprintf(f,
		"</title>\n<style>\n"
		"@page { size: A4%s; margin: 14mm 12mm 16mm 12mm; }\n"
		"body { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", "
		"\"Noto Serif CJK SC\", \"Microsoft YaHei\", \"SimSun\", sans-serif; "
		"font-size: 9pt; color: #000; margin: 0; }\n"
		"h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; }\n"
		"p.sub { text-align: center; margin: 0 0 4mm; font-size: 9pt; }\n"
		"table { width: 100%%; border-collapse: collapse; table-layout: auto; }\n"
		"table.newpage { break-before: page; page-break-before: always; }\n"
		"thead { display: table-header-group; }\n"
		"tr { break-inside: avoid; page-break-inside: avoid; }\n"
		"th, td { border: 0.5pt solid #555; padding: 1mm 1.2mm; vertical-align: top; "
		"overflow-wrap: anywhere; }\n"
		"th.n, td.n { white-space: nowrap; }\n"
		"th { background: #d9e1f2; font-weight: bold; }\n"
		"</style></head><body>\n<h1>",
		r->ncols > 6 ? " landscape" : "");
	html_text(f, r->title);
	fputs("</h1>\n<p class=\"sub\">", f);
	html_text(f, r->subtitle);
	fputs("</p>\n", f);
	html_table_open(f, r, 0);
	for (size_t i = 0; i < r->nrows; i++) {
		if (r->section[i]) {
			fputs("</tbody></table>\n", f);
			html_table_open(f, r, 1);
		}
		fputs("<tr>", f);
		for (int c = 0; c < r->ncols; c++) {
			fputs(narrow(r, c) ? "<td class=\"n\">" : "<td>", f);
			html_text(f, r->cells[i * (size_t)r->ncols + (size_t)c]);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	if (!r->nrows)
		fprintf(f, "<tr><td colspan=\"%d\">无</td></tr>\n", r->ncols);
	fputs("</tbody></table>\n</body></html>\n", f);
	return close_out(f, path, eb);
}

/* Largest report sent (a national bulletin is a few megabytes). */
#define REPORT_MAX (256u << 20)

/* Reads the file at path into a malloc'd buffer. */
static enum sw_err slurp(const char *path, char **out, size_t *len, struct sw_errbuf *eb)
{
	FILE *f = fopen(path, "rb");
	long n;
	char *b;

	*out = NULL;
	if (!f)
		return sw_errf(eb, SW_EIO, "cannot read the report back");
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || (unsigned long)n > REPORT_MAX ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return sw_errf(eb, SW_EIO, "the report is too large or unreadable");
	}
	if (!(b = malloc((size_t)n + 1))) {
		fclose(f);
		return sw_errf(eb, SW_ENOMEM, "out of memory for the report");
	}
	if (fread(b, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(b);
		return sw_errf(eb, SW_EIO, "short read of the report");
	}
	fclose(f);
	*out = b;
	*len = (size_t)n;
	return SW_OK;
}

enum sw_err sw_report_render(const struct sw_report *r, const char *fmt, char **out,
			     size_t *len, struct sw_errbuf *eb)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	enum sw_err rc;
	int fd;

	if (!dir || !*dir || strlen(dir) > 400)
		dir = "/tmp";
	snprintf(path, sizeof path, "%s/sw-report-XXXXXX", dir);
	if ((fd = mkstemp(path)) < 0)
		return sw_errf(eb, SW_EIO, "cannot make a temporary file for the report");
	close(fd);
	rc = !strcmp(fmt, "xlsx") ? sw_report_xlsx(r, path, eb)
	     : !strcmp(fmt, "csv") ? sw_report_csv(r, path, eb)
				   : sw_report_html(r, path, eb);
	if (!rc)
		rc = slurp(path, out, len, eb);
	unlink(path);
	return rc;
}

const char *sw_report_mime(const char *fmt)
{
	static const char *const types[][2] = {
		{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"csv", "text/csv; charset=utf-8"},
		{"html", "text/html; charset=utf-8"},
	};

	for (size_t i = 0; fmt && i < sizeof types / sizeof types[0]; i++)
		if (!strcmp(fmt, types[i][0]))
			return types[i][1];
	return NULL;
}
