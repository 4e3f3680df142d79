/*
 * export_write.c - the register's tables written as CSV or XLSX.
 *
 * Every cell is written as text: credit codes, phone numbers and filing
 * numbers are identifiers, and a spreadsheet that turns "010-66261741" or
 * "11010502030143" into a number destroys them.
 */
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "io/csv.h"
#include "model/entity.h"
#include "register/export.h"

/* Writes one CSV record. */
static enum sw_err csv_row(void *arg, const char *const *vals, size_t n)
{
	FILE *f = arg;
	enum sw_err rc = SW_OK;

	for (size_t i = 0; i < n && !rc; i++)
		rc = sw_csv_write_field(f, vals[i], i == 0, 1);
	return rc ? rc : sw_csv_write_eol(f);
}

enum sw_err sw_export_csv(struct sw_store *st, FILE *out, const struct sw_filter *f,
			  int english, struct sw_errbuf *eb)
{
	enum sw_err rc;

	if (fputs("\xef\xbb\xbf", out) == EOF)
		return sw_errf(eb, SW_EIO, "cannot write the export");
	if ((rc = sw_export_sites(st, f, english, csv_row, out, eb)))
		return rc;
	if (fflush(out) != 0 || ferror(out))
		return sw_errf(eb, SW_EIO, "cannot write the export");
	return SW_OK;
}

/* One sheet being written. */
struct sheet {
	lxw_worksheet *ws;
	lxw_format *head;
	lxw_row_t row;
	double width[64];
};

/* Writes one row of a sheet as strings; the first row is the header. */
static enum sw_err xlsx_row(void *arg, const char *const *vals, size_t n)
{
	struct sheet *s = arg;

	if (s->row >= LXW_ROW_MAX)
		return SW_ELIMIT;
	for (size_t i = 0; i < n && i < 64; i++) {
		double w = (double)strlen(vals[i]) * 0.7 + 2; /* UTF-8 CJK ≈ 3 bytes, 2 columns */

		if (worksheet_write_string(s->ws, s->row, (lxw_col_t)i, vals[i],
					   s->row == 0 ? s->head : NULL) != LXW_NO_ERROR)
			return SW_EIO;
		if (w > s->width[i])
			s->width[i] = w > 50 ? 50 : w;
	}
	s->row++;
	return SW_OK;
}

/* Adds a sheet named name and fills it from one of the table producers. */
static enum sw_err add_sheet(lxw_workbook *wb, lxw_format *head, const char *name,
			     struct sw_store *st, const struct sw_entity *ent,
			     const struct sw_filter *f, int english, struct sw_errbuf *eb)
{
	struct sheet s = {.ws = workbook_add_worksheet(wb, name), .head = head};
	enum sw_err rc;

	if (!s.ws)
		return sw_errf(eb, SW_EIO, "cannot add sheet %s", name);
	rc = ent ? sw_export_table(st, ent, english, xlsx_row, &s, eb)
		 : sw_export_sites(st, f, english, xlsx_row, &s, eb);
	if (rc)
		return rc;
	for (lxw_col_t c = 0; c < 64 && s.width[c] > 0; c++)
		worksheet_set_column(s.ws, c, c, s.width[c], NULL);
	worksheet_freeze_panes(s.ws, 1, 0);
	if (s.row > 1)
		worksheet_autofilter(s.ws, 0, 0, s.row - 1, 0);
	return SW_OK;
}

enum sw_err sw_export_xlsx(struct sw_store *st, const char *path, const struct sw_filter *f,
			   int english, struct sw_errbuf *eb)
{
	/* Constant memory: rows go to disk as they are written (inline strings,
	 * no shared-string table), so 100,000 sites neither hold the whole
	 * register in memory nor take minutes. */
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL,
				    .use_zip64 = LXW_TRUE};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	lxw_format *head;
	lxw_error err;
	enum sw_err rc;

	if (!wb)
		return sw_errf(eb, SW_EIO, "cannot create %s", path);
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xDDEBF7);
	rc = add_sheet(wb, head, english ? "sites" : "网站", st, NULL, f, english, eb);
	if (!rc)
		rc = add_sheet(wb, head, english ? "units" : "主办单位", st,
			       sw_entity_get(SW_ENT_UNIT), NULL, english, eb);
	if (!rc)
		rc = add_sheet(wb, head, english ? "persons" : "责任人", st,
			       sw_entity_get(SW_ENT_PERSON), NULL, english, eb);
	err = workbook_close(wb);
	if (!rc && err != LXW_NO_ERROR)
		rc = sw_errf(eb, SW_EIO, "cannot write %s: %s", path, lxw_strerror(err));
	if (rc)
		remove(path);
	return rc;
}
