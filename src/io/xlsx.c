/*
 * xlsx.c - opening a workbook and handing out the rows of its worksheet
 * (see xlsx.h).
 *
 * Merged ranges are applied here, row by row: ranges are sorted by their
 * first row and kept in an "active" list while they cover the current row,
 * so each row costs the ranges that touch it.  Ranges that overlap (Excel
 * never writes them) are refused, which also keeps the active list within
 * one range per column.
 */
#include <stdlib.h>
#include <string.h>

#include "io/xlsx_int.h"

void sw_xlsx_limits_default(struct sw_xlsx_limits *lim)
{
	*lim = (struct sw_xlsx_limits){
		.entries = 10000,
		.part_bytes = (size_t)1 << 30,
		.depth = 64,
		.rows = 1048576,
		.cols = 512,
		.cell_bytes = 64 * 1024,
		.strings = 4000000,
		.text_bytes = (size_t)1 << 30,
		.cells = 64000000,
		.merges = 100000,
		.styles = 65536,
	};
}

enum sw_xlsx_sniff sw_xlsx_sniff(const void *data, size_t len)
{
	static const unsigned char ole2[8] = {0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1};
	const unsigned char *p = data;

	if (len >= 4 && p[0] == 'P' && p[1] == 'K' &&
	    ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6)))
		return SW_XLSX_ZIP;
	if (len >= 8 && !memcmp(p, ole2, 8))
		return SW_XLSX_OLE2;
	return SW_XLSX_NOT;
}

/* Little-endian fields of the ZIP end records. */
static uint64_t le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

/*
 * The largest entry count any end-of-central-directory record in the
 * file's tail declares (a ZIP64 one through its locator).  libzip sizes
 * its entry table from that count when it opens the file, so it is checked
 * first; every candidate counts, since a comment may hold a fake record
 * and libzip, not this check, decides which one is real.
 */
static uint64_t declared_entries(const unsigned char *d, size_t len)
{
	size_t lo = len > 65535 + 22 ? len - 65535 - 22 : 0;
	uint64_t most = 0, n;

	for (size_t i = len >= 22 ? len - 22 + 1 : 0; i-- > lo;) {
		if (memcmp(d + i, "PK\x05\x06", 4) != 0)
			continue;
		n = le(d + i + 10, 2);
		if (n == 0xffff && i >= 20 && !memcmp(d + i - 20, "PK\x06\x07", 4)) {
			uint64_t at = le(d + i - 20 + 8, 8);

			if (len >= 56 && at <= len - 56 && !memcmp(d + at, "PK\x06\x06", 4))
				n = le(d + at + 32, 8);
		}
		most = n > most ? n : most;
	}
	return most;
}

/* Opens the ZIP over data (borrowed) and checks its entry count. */
static enum sw_err open_zip(struct sw_xlsx *x, const void *data, size_t len,
			    struct sw_errbuf *eb)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_int64_t n;

	if (declared_entries((const unsigned char *)data, len) > x->lim.entries)
		return sw_errf(eb, SW_ELIMIT, "the ZIP declares %llu entries, more than the %zu allowed",
			       (unsigned long long)declared_entries((const unsigned char *)data, len),
			       x->lim.entries);
	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(data, len, 0, &ze))) {
		zip_error_fini(&ze);
		return SW_ENOMEM;
	}
	/* Not ZIP_CHECKCONS: libxlsxwriter's own ZIP64 output fails it.  Each
	 * entry's CRC is still checked as it is read to the end. */
	if (!(x->zip = zip_open_from_source(src, ZIP_RDONLY, &ze))) {
		enum sw_err rc = sw_errf(eb, SW_EINVAL, "not a readable XLSX file: %s%s",
					 zip_error_strerror(&ze),
					 zip_error_code_zip(&ze) == ZIP_ER_NOZIP
						 ? " (truncated or not a ZIP)"
						 : "");

		zip_source_free(src);
		zip_error_fini(&ze);
		return rc;
	}
	zip_error_fini(&ze);
	n = zip_get_num_entries(x->zip, 0);
	if (n < 0 || (zip_uint64_t)n > x->lim.entries)
		return sw_errf(eb, SW_ELIMIT, "the ZIP has %lld entries, more than the %zu allowed",
			       (long long)n, x->lim.entries);
	return SW_OK;
}

enum sw_err sw_xlsx_open(const void *data, size_t len, const char *sheet,
			 const struct sw_xlsx_limits *lim, struct sw_xlsx **out,
			 struct sw_errbuf *eb)
{
	struct sw_xlsx *x = calloc(1, sizeof *x);
	enum sw_err rc;
	uint64_t empty;

	*out = NULL;
	if (!x)
		return SW_ENOMEM;
	if (lim)
		x->lim = *lim;
	else
		sw_xlsx_limits_default(&x->lim);
	if (x->lim.cols == 0)
		x->lim.cols = 1;
	if (sw_xlsx_sniff(data, len) == SW_XLSX_OLE2) {
		rc = sw_errf(eb, SW_EINVAL,
			     "this is a password-protected workbook or an old .xls file: "
			     "save it without a password as .xlsx (Excel Workbook)");
		goto fail;
	}
	if ((rc = sw__xlsx_keep(x, "", 0, &empty)) || (rc = open_zip(x, data, len, eb)) ||
	    (rc = sw__xlsx_book(x, sheet, eb)) || (rc = sw__xlsx_sheet(x, eb)))
		goto fail;
	zip_discard(x->zip);
	x->zip = NULL;
	x->out = calloc(x->lim.cols, sizeof *x->out);
	x->active = calloc(x->lim.cols, sizeof *x->active);
	if (!x->out || !x->active) {
		rc = SW_ENOMEM;
		goto fail;
	}
	*out = x;
	return SW_OK;
fail:
	sw_xlsx_free(x);
	return rc;
}

void sw_xlsx_free(struct sw_xlsx *x)
{
	if (!x)
		return;
	if (x->zip)
		zip_discard(x->zip);
	free(x->text);
	free(x->sst);
	free(x->xf_date);
	free(x->cells);
	free(x->rows);
	free(x->merges);
	free(x->sheet_name);
	free(x->wb_path);
	free(x->sst_path);
	free(x->styles_path);
	free(x->sheet_path);
	free(x->active);
	free(x->out);
	free(x);
}

const char *sw_xlsx_sheet_name(const struct sw_xlsx *x)
{
	return x->sheet_name;
}

/* Updates the active merged ranges for row num; SW_EINVAL on overlap. */
static enum sw_err activate(struct sw_xlsx *x, uint32_t num, struct sw_errbuf *eb)
{
	size_t k = 0;

	for (size_t i = 0; i < x->nactive; i++)
		if (x->merges[x->active[i]].r2 >= num)
			x->active[k++] = x->active[i];
	x->nactive = k;
	for (; x->mnext < x->nmerges && x->merges[x->mnext].r1 <= num; x->mnext++) {
		const struct sw__xrange *m = &x->merges[x->mnext];

		if (m->r2 < num)
			continue; /* covers only rows the sheet does not have */
		for (size_t i = 0; i < x->nactive; i++) {
			const struct sw__xrange *o = &x->merges[x->active[i]];

			if (m->c1 <= o->c2 && o->c1 <= m->c2)
				return sw_errf(eb, SW_EINVAL, "%s: merged ranges overlap in row %u",
					       x->sheet_path, num);
		}
		if (x->nactive >= x->lim.cols)
			return sw_errf(eb, SW_ELIMIT, "%s: too many merged ranges in row %u",
				       x->sheet_path, num);
		x->active[x->nactive++] = x->mnext;
	}
	return SW_OK;
}

enum sw_err sw_xlsx_next(struct sw_xlsx *x, size_t *row, const char ***cells, size_t *n,
			 int *shape, struct sw_errbuf *eb)
{
	const struct sw__xrow *r;
	size_t width = 0;
	enum sw_err rc;

	if (x->cur >= x->nrows)
		return SW_ENOTFOUND;
	r = &x->rows[x->cur++];
	if ((rc = activate(x, r->num, eb)))
		return rc;
	for (size_t c = 0; c < x->lim.cols; c++)
		x->out[c] = "";
	for (size_t i = 0; i < r->n; i++) {
		const struct sw__xcell *c = &x->cells[r->first + i];

		x->out[c->col] = x->text + c->off;
		width = c->col + 1;
	}
	if (shape) {
		*shape = 0;
		for (size_t i = 0; i < x->nactive; i++) {
			const struct sw__xrange *m = &x->merges[x->active[i]];

			if (r->n == 1 && m->r1 == r->num && m->c1 == x->cells[r->first].col &&
			    m->c2 > m->c1)
				*shape |= SW_XLSX_TITLE;
			if (m->r1 == r->num && m->r2 > m->r1)
				*shape |= SW_XLSX_MERGED_DOWN;
		}
	}
	for (size_t i = 0; i < x->nactive; i++) {
		const struct sw__xrange *m = &x->merges[x->active[i]];

		for (size_t c = m->c1; m->val && c <= m->c2 && c < x->lim.cols; c++) {
			if (!*x->out[c])
				x->out[c] = x->text + m->val;
			width = c + 1 > width ? c + 1 : width;
		}
	}
	*row = r->num;
	*cells = x->out;
	*n = width;
	return SW_OK;
}
