/*
 * import_xlsx.c - the rows of an XLSX workbook into the importer, with the
 * same header mapping, validation and all-or-nothing rule as CSV.
 *
 * Forms that units fill in are rarely a bare table: a title merged across
 * the top ("XX市网站基本情况登记表"), empty rows above the header, and a
 * two-row header where "主管责任人" spans its 姓名/电话/邮箱 columns while
 * "网站名称" is merged down over both rows.  The header is therefore the
 * first row that is neither empty nor a lone merged title; when a range
 * merged down from it reaches the next row, the two rows are read as one
 * header, each column named by its upper and lower cell ("主管责任人" +
 * "电话" = "主管责任人电话", the name the CSV header uses; a lower "姓名"
 * adds nothing).  Errors name the spreadsheet row and cell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/xlsx.h"
#include "register/import_int.h"

/* The header as owned strings (the reader's text must not be trimmed in
 * place: a shared string may also be a data cell's value). */
struct head {
	char *v[SW_CSV_FIELDS_MAX];
	size_t n;
};

static void head_free(struct head *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->v[i]);
	h->n = 0;
}

/* True when the row has no visible value. */
static int empty_row(const char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i][strspn(v[i], " \t\r\n")])
			return 0;
	return 1;
}

/* The name of a column from its upper and lower header cells. */
static char *combine(const char *top, const char *sub)
{
	static const char *const plain[] = {"姓名", "名称", "name", NULL};
	char *out;

	if (!*sub || !strcmp(top, sub))
		return strdup(top);
	if (!*top)
		return strdup(sub);
	for (int i = 0; plain[i]; i++)
		if (!strcasecmp(sub, plain[i]))
			return strdup(top);
	if (asprintf(&out, "%s%s", top, sub) < 0)
		return NULL;
	return out;
}

/* Copies (or combines with the lower row, when sub is not NULL) the
 * header cells into h. */
static enum sw_err head_make(struct head *h, const char **top, size_t ntop, const char **sub,
			     size_t nsub)
{
	size_t n = sub && nsub > ntop ? nsub : ntop;

	if (n > SW_CSV_FIELDS_MAX) /* the reader's column bound is the importer's */
		return SW_ELIMIT;
	for (h->n = 0; h->n < n; h->n++) {
		const char *t = h->n < ntop ? top[h->n] : "";
		const char *s = sub && h->n < nsub ? sub[h->n] : "";

		if (!(h->v[h->n] = sub ? combine(t, s) : strdup(t)))
			return SW_ENOMEM;
	}
	return SW_OK;
}

/* Finds and maps the header.  Returns SW_ENOTFOUND when the sheet has no
 * row with a value. */
static enum sw_err header(struct sw__imp *imp, struct sw_xlsx *x, struct sw_errbuf *eb)
{
	const char **v, **v2;
	size_t row, n, row2, n2;
	struct head h = {0};
	enum sw_err rc;
	int shape;

	do {
		if ((rc = sw_xlsx_next(x, &row, &v, &n, &shape, eb)))
			return rc;
	} while (empty_row(v, n) || (shape & SW_XLSX_TITLE));
	imp->line = row;
	if (!(shape & SW_XLSX_MERGED_DOWN)) {
		rc = head_make(&h, v, n, NULL, 0);
	} else {
		/* The reader reuses its row array: keep the upper row first. */
		if ((rc = head_make(&h, v, n, NULL, 0)))
			goto out;
		if ((rc = sw_xlsx_next(x, &row2, &v2, &n2, NULL, eb)) == SW_OK && row2 == row + 1) {
			struct head top = h;

			h = (struct head){0};
			rc = head_make(&h, (const char **)top.v, top.n, v2, n2);
			head_free(&top);
		} else if (rc == SW_OK) {
			rc = sw_errf(eb, SW_EINVAL, "row %zu: the header's merged cells reach row %zu, "
						    "which is missing", row, row + 1);
		}
	}
	if (!rc)
		rc = sw__imp_start(imp, (const char **)h.v, h.n, eb);
out:
	head_free(&h);
	return rc;
}

/* Copies the sheet name into the stats, cut (if ever) at a character
 * boundary so that what is printed stays UTF-8. */
static void keep_name(char *dst, size_t n, const char *name)
{
	size_t len = strlen(name), i, want;

	if (len < n) {
		memcpy(dst, name, len + 1);
		return;
	}
	len = n - 1;
	for (i = len; i > 0 && ((unsigned char)name[i - 1] & 0xc0) == 0x80;)
		i--;
	if (i > 0) {
		unsigned char lead = (unsigned char)name[i - 1];

		want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
		len = len - (i - 1) >= want ? len : i - 1;
	}
	memcpy(dst, name, len);
	dst[len] = '\0';
}

enum sw_err sw__imp_xlsx(struct sw__imp *imp, const char *data, size_t len, const char *sheet,
			 struct sw_errbuf *eb)
{
	struct sw_xlsx *x = NULL;
	const char **v;
	size_t n, row;
	enum sw_err rc;

	if ((rc = sw_xlsx_open(data, len, sheet, NULL, &x, eb)))
		return rc;
	keep_name(imp->stats->sheet, sizeof imp->stats->sheet, sw_xlsx_sheet_name(x));
	if ((rc = header(imp, x, eb))) {
		if (rc == SW_ENOTFOUND)
			rc = sw_errf(eb, SW_EINVAL, "sheet '%s' is empty", sw_xlsx_sheet_name(x));
		goto out;
	}
	while ((rc = sw_xlsx_next(x, &row, &v, &n, NULL, eb)) == SW_OK) {
		imp->row = imp->line = row;
		if ((rc = sw__imp_row(imp, v, n, eb)))
			goto out;
	}
	if (rc == SW_ENOTFOUND)
		rc = SW_OK;
out:
	sw_xlsx_free(x);
	return rc;
}
