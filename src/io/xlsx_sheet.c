/*
 * xlsx_sheet.c - the cells and merged ranges of one worksheet.
 *
 * Only non-empty cells are kept (a styled empty cell costs nothing), each
 * as its column and the offset of its text; a shared-string cell points at
 * the shared string itself, so a column of one repeated value is stored
 * once.  Rows must come in increasing order and cells left to right, as
 * the format requires; a cell or row without its r= reference follows the
 * previous one.  Merged ranges come after the cells in the file, so they
 * are applied when rows are handed out (xlsx.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/xlsx_int.h"

/* The element being read. */
struct sheet {
	int in_data, in_row, in_cell, in_is, in_rph;
	uint32_t row, col; /* current row number, current cell's column */
	int have_col;      /* a cell has been read in this row */
	char type[16];     /* the cell's t= */
	long xf;           /* the cell's s= */
};

/* Writes "cell B12" style context for messages. */
static const char *where(const struct sheet *s, char *buf, size_t n)
{
	char col[8];

	sw_xlsx_col_name(s->col, col);
	snprintf(buf, n, "cell %s%u", col, s->row);
	return buf;
}

/* A <row>: checks its number and opens its record. */
static void row_start(struct sw__xml *xml, struct sheet *s, const char **atts)
{
	struct sw_xlsx *x = xml->x;
	const char *r = sw__xml_attr(atts, "r");
	unsigned long num = s->row + 1UL;
	char *end;

	if (r) {
		num = strtoul(r, &end, 10);
		if (end == r || *end || num <= s->row) {
			sw__xml_fail(xml, SW_EINVAL, "row '%s' after row %u (rows out of order)", r,
				     s->row);
			return;
		}
	}
	if (num > x->lim.rows) {
		sw__xml_fail(xml, SW_ELIMIT, "row %lu is past the last row allowed (%zu)", num,
			     x->lim.rows);
		return;
	}
	if (x->nrows == x->rows_cap) {
		size_t cap = x->rows_cap ? x->rows_cap * 2 : 1024;
		struct sw__xrow *a = realloc(x->rows, cap * sizeof *a);

		if (!a) {
			sw__xml_fail(xml, SW_ENOMEM, "out of memory");
			return;
		}
		x->rows = a;
		x->rows_cap = cap;
	}
	x->rows[x->nrows++] = (struct sw__xrow){.num = (uint32_t)num, .first = x->ncells};
	s->row = (uint32_t)num;
	s->in_row = 1;
	s->have_col = 0;
}

/* A <c>: its column (from r=, else the next one), type and style. */
static void cell_start(struct sw__xml *xml, struct sheet *s, const char **atts)
{
	const char *r = sw__xml_attr(atts, "r"), *t = sw__xml_attr(atts, "t");
	const char *st = sw__xml_attr(atts, "s");
	uint32_t col = s->have_col ? s->col + 1 : 0, row;
	char w[32];

	if (r && sw__xlsx_ref(r, &col, &row) != 0) {
		sw__xml_fail(xml, SW_EINVAL, "row %u: bad cell reference '%.20s'", s->row, r);
		return;
	}
	if (s->have_col && col <= s->col) {
		s->col = col;
		sw__xml_fail(xml, SW_EINVAL, "%s: cells out of order", where(s, w, sizeof w));
		return;
	}
	s->col = col;
	s->have_col = 1;
	s->in_cell = 1;
	t = t ? t : "n";
	if (strlen(t) >= sizeof s->type)
		t = "?"; /* no type is that long: read as text */
	strcpy(s->type, t);
	s->xf = st ? strtol(st, NULL, 10) : 0;
	sw__xml_clear(xml);
}

/* The text of the finished cell, by its type; NULL after a failure. */
static const char *cell_text(struct sw__xml *xml, struct sheet *s, char *buf, size_t n,
			     uint64_t *sst_off)
{
	struct sw_xlsx *x = xml->x;
	const char *v = xml->buf ? xml->buf : "";
	char w[32], *end;
	unsigned long i;

	*sst_off = UINT64_MAX;
	if (!strcmp(s->type, "s")) {
		if (!*v)
			return "";
		i = strtoul(v, &end, 10);
		if (*end || i >= x->nsst) {
			sw__xml_fail(xml, SW_EINVAL, "%s: no shared string '%.20s'",
				     where(s, w, sizeof w), v);
			return NULL;
		}
		*sst_off = x->sst[i];
		return x->text + x->sst[i];
	}
	if (!strcmp(s->type, "b"))
		return !*v ? "" : strcmp(v, "0") ? "TRUE" : "FALSE";
	if (!strcmp(s->type, "d")) /* ISO 8601: keep the date part */
		return strlen(v) > 10 && v[10] == 'T' ? (snprintf(buf, n, "%.10s", v), buf) : v;
	if (!strcmp(s->type, "n") && *v)
		return sw__xlsx_number(x, v, s->xf, buf, n);
	if (*v && strcmp(s->type, "e") != 0) /* inlineStr, str (a formula's text) */
		xml->len = sw__xlsx_unescape(xml->buf, xml->len);
	return v; /* e: an error such as #N/A */
}

/* Stores the finished cell when it has a value. */
static void cell_end(struct sw__xml *xml, struct sheet *s)
{
	struct sw_xlsx *x = xml->x;
	char buf[64], w[32];
	const char *v;
	uint64_t off;
	enum sw_err rc;

	s->in_cell = 0;
	if (!(v = cell_text(xml, s, buf, sizeof buf, &off)) || !*v)
		return;
	if (s->col >= x->lim.cols) {
		sw__xml_fail(xml, SW_ELIMIT, "%s: more than %zu columns", where(s, w, sizeof w),
			     x->lim.cols);
		return;
	}
	if (x->ncells >= x->lim.cells) {
		sw__xml_fail(xml, SW_ELIMIT, "more than %zu cells", x->lim.cells);
		return;
	}
	if (off == UINT64_MAX && (rc = sw__xlsx_keep(x, v, strlen(v), &off))) {
		sw__xml_fail(xml, rc, "more than %zu bytes of text", x->lim.text_bytes);
		return;
	}
	if (x->ncells == x->cells_cap) {
		size_t cap = x->cells_cap ? x->cells_cap * 2 : 4096;
		struct sw__xcell *a = realloc(x->cells, cap * sizeof *a);

		if (!a) {
			sw__xml_fail(xml, SW_ENOMEM, "out of memory");
			return;
		}
		x->cells = a;
		x->cells_cap = cap;
	}
	x->cells[x->ncells++] = (struct sw__xcell){.col = s->col, .off = off};
	x->rows[x->nrows - 1].n++;
}

/* A <mergeCell ref="A1:C3">. */
static void merge(struct sw__xml *xml, const char **atts)
{
	struct sw_xlsx *x = xml->x;
	const char *ref = sw__xml_attr(atts, "ref"), *colon;
	char a[16], b[16];
	uint32_t c1, r1, c2, r2, t;

	if (!ref || !(colon = strchr(ref, ':')) || colon - ref >= (long)sizeof a ||
	    strlen(colon + 1) >= sizeof b)
		return; /* a single cell "merged" with itself: nothing to fill */
	snprintf(a, sizeof a, "%.*s", (int)(colon - ref), ref);
	snprintf(b, sizeof b, "%s", colon + 1);
	if (sw__xlsx_ref(a, &c1, &r1) || sw__xlsx_ref(b, &c2, &r2)) {
		sw__xml_fail(xml, SW_EINVAL, "bad merged range '%.40s'", ref);
		return;
	}
	if (c1 > c2)
		t = c1, c1 = c2, c2 = t;
	if (r1 > r2)
		t = r1, r1 = r2, r2 = t;
	if (c1 >= x->lim.cols)
		return; /* right of every imported column */
	if (x->nmerges >= x->lim.merges) {
		sw__xml_fail(xml, SW_ELIMIT, "more than %zu merged ranges", x->lim.merges);
		return;
	}
	if (x->nmerges == x->merges_cap) {
		size_t cap = x->merges_cap ? x->merges_cap * 2 : 64;
		struct sw__xrange *m = realloc(x->merges, cap * sizeof *m);

		if (!m) {
			sw__xml_fail(xml, SW_ENOMEM, "out of memory");
			return;
		}
		x->merges = m;
		x->merges_cap = cap;
	}
	x->merges[x->nmerges++] = (struct sw__xrange){r1, c1, r2, c2, 0};
}

/* Dispatches the worksheet's elements: the cells inside <sheetData>, the
 * merged ranges after it. */
static void sheet_start(struct sw__xml *xml, const char *name, const char **atts)
{
	struct sheet *s = xml->ctx;

	if (!strcmp(name, "sheetData"))
		s->in_data = 1;
	else if (!strcmp(name, "mergeCell"))
		merge(xml, atts);
	else if (!s->in_data)
		return;
	else if (!strcmp(name, "row"))
		row_start(xml, s, atts);
	else if (!strcmp(name, "c") && s->in_row)
		cell_start(xml, s, atts);
	else if (!strcmp(name, "v") && s->in_cell)
		xml->collect = 1;
	else if (!strcmp(name, "is") && s->in_cell)
		s->in_is = 1;
	else if (!strcmp(name, "rPh"))
		s->in_rph = 1;
	else if (!strcmp(name, "t") && s->in_is && !s->in_rph)
		xml->collect = 1;
}

/* Closes what sheet_start opened; a cell is stored at its end. */
static void sheet_end(struct sw__xml *xml, const char *name)
{
	struct sheet *s = xml->ctx;

	if (!strcmp(name, "sheetData"))
		s->in_data = 0;
	else if (!strcmp(name, "row"))
		s->in_row = 0;
	else if (!strcmp(name, "c") && s->in_cell)
		cell_end(xml, s);
	else if (!strcmp(name, "v") || !strcmp(name, "t"))
		xml->collect = 0;
	else if (!strcmp(name, "is"))
		s->in_is = 0;
	else if (!strcmp(name, "rPh"))
		s->in_rph = 0;
}

/* The text offset of the cell at (row, col), 0 ("") when empty. */
static uint64_t cell_at(const struct sw_xlsx *x, uint32_t row, uint32_t col)
{
	size_t lo = 0, hi = x->nrows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (x->rows[mid].num < row)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == x->nrows || x->rows[lo].num != row)
		return 0;
	for (size_t i = 0; i < x->rows[lo].n; i++)
		if (x->cells[x->rows[lo].first + i].col == col)
			return x->cells[x->rows[lo].first + i].off;
	return 0;
}

/* qsort order of merged ranges: by first row, then first column. */
static int by_first_row(const void *a, const void *b)
{
	const struct sw__xrange *m = a, *n = b;

	return m->r1 != n->r1 ? (m->r1 < n->r1 ? -1 : 1) : (m->c1 < n->c1 ? -1 : m->c1 > n->c1);
}

enum sw_err sw__xlsx_sheet(struct sw_xlsx *x, struct sw_errbuf *eb)
{
	struct sheet s = {0};
	struct sw__xml xml = {.start = sheet_start, .end = sheet_end, .ctx = &s};
	enum sw_err rc = sw__xlsx_parse(x, x->sheet_path, &xml, eb);

	if (rc == SW_ENOTFOUND)
		return sw_errf(eb, SW_EINVAL, "the workbook names %s but the file lacks it",
			       x->sheet_path);
	if (rc)
		return rc;
	for (size_t i = 0; i < x->nmerges; i++)
		x->merges[i].val = cell_at(x, x->merges[i].r1, x->merges[i].c1);
	if (x->nmerges)
		qsort(x->merges, x->nmerges, sizeof *x->merges, by_first_row);
	return SW_OK;
}
