/*
 * xlsx_int.h - state shared by the XLSX reader's files (internal to
 * src/io/xlsx*.c): the container and XML driver (xlsx_zip.c), the
 * workbook's relations, styles and shared strings (xlsx_book.c), the
 * worksheet's cells (xlsx_sheet.c), cell values (xlsx_value.c) and the
 * row iterator (xlsx.c).
 */
#ifndef SW_IO_XLSX_INT_H
#define SW_IO_XLSX_INT_H

#include <expat.h>
#include <stdint.h>
#include <zip.h>

#include "io/xlsx.h"

/* A non-empty cell: its column and its text (an offset in x->text). */
struct sw__xcell {
	uint32_t col;
	uint64_t off;
};

/* A row element: its number and its cells x->cells[first..first+n). */
struct sw__xrow {
	uint32_t num;
	size_t first, n;
};

/* A merged range (0-based columns, 1-based rows) and the offset of the
 * top-left cell's text (0, the empty string, when that cell is empty). */
struct sw__xrange {
	uint32_t r1, c1, r2, c2;
	uint64_t val;
};

struct sw_xlsx {
	struct sw_xlsx_limits lim;
	zip_t *zip; /* open while reading; borrowed input buffer */
	/* Every string kept, NUL-terminated; offset 0 is "". */
	char *text;
	size_t tlen, tcap;
	uint64_t *sst; /* shared strings: offsets in text */
	size_t nsst, sst_cap;
	unsigned char *xf_date; /* per cell format: 1 when it shows a date */
	size_t nxf;
	int date1904; /* serial numbers count from 1904-01-01 */
	struct sw__xcell *cells;
	size_t ncells, cells_cap;
	struct sw__xrow *rows;
	size_t nrows, rows_cap;
	struct sw__xrange *merges;
	size_t nmerges, merges_cap;
	char *sheet_name;        /* owned */
	char *wb_path;           /* owned: e.g. "xl/workbook.xml" */
	char *sst_path, *styles_path, *sheet_path; /* owned, may be NULL */
	/* The row iterator (xlsx.c). */
	size_t cur, mnext;
	size_t *active; /* indexes of merges covering the current row */
	size_t nactive;
	const char **out; /* lim.cols pointers */
};

/* One XML part being parsed: expat plus the first failure. */
struct sw__xml {
	XML_Parser p;
	struct sw_xlsx *x;
	const char *part;
	size_t depth;
	enum sw_err rc;
	struct sw_errbuf *eb;
	/* Character data is gathered while collect > 0, up to lim.cell_bytes. */
	int collect;
	char *buf;
	size_t len, cap;
	void (*start)(struct sw__xml *xml, const char *name, const char **atts);
	void (*end)(struct sw__xml *xml, const char *name);
	void *ctx; /* the part's own state */
};

/* Records the first failure of the parse and stops expat. */
void sw__xml_fail(struct sw__xml *xml, enum sw_err rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The local part of a name "prefix:local" (namespaces and prefixes differ
 * between generators and between transitional and strict OOXML; local
 * names do not). */
const char *sw__xml_local(const char *name);

/* The value of the attribute whose local name is `name` (namespace
 * declarations aside), or NULL. */
const char *sw__xml_attr(const char **atts, const char *name);

/* Empties the gathered character data. */
void sw__xml_clear(struct sw__xml *xml);

/*
 * Parses the ZIP entry `part` with the handlers set in xml (start/end/ctx;
 * the rest is reset here).  Returns SW_ENOTFOUND when there is no such
 * entry, else the first failure (message in eb naming the part).
 */
enum sw_err sw__xlsx_parse(struct sw_xlsx *x, const char *part, struct sw__xml *xml,
			   struct sw_errbuf *eb);

/* True when the container has an entry called name (case-insensitive). */
int sw__xlsx_has(struct sw_xlsx *x, const char *name);

/* Copies s[0..len) into x->text; returns its offset in *off.  SW_ELIMIT
 * past lim.text_bytes, SW_ENOMEM. */
enum sw_err sw__xlsx_keep(struct sw_xlsx *x, const char *s, size_t len, uint64_t *off);

/* Reads the package and workbook relations, the workbook (sheet choice,
 * date system), the styles and the shared strings. */
enum sw_err sw__xlsx_book(struct sw_xlsx *x, const char *sheet, struct sw_errbuf *eb);

/* Reads the chosen worksheet's cells and merged ranges. */
enum sw_err sw__xlsx_sheet(struct sw_xlsx *x, struct sw_errbuf *eb);

/*
 * Turns a number cell's raw text into what the user typed: a date when
 * style xf shows one (YYYY-MM-DD), digits for an integer written with an
 * exponent when that loses nothing, else the raw text.  Writes into buf
 * (n >= 64) and returns it, or returns raw itself.
 */
const char *sw__xlsx_number(const struct sw_xlsx *x, const char *raw, long xf, char *buf,
			    size_t n);

/* Decodes the _xHHHH_ escapes of a string's text s[0..len) in place (the
 * result is never longer); returns the new length. */
size_t sw__xlsx_unescape(char *s, size_t len);

/* True when the number format (built-in id, or custom code when code is
 * not NULL) shows a date. */
int sw__xlsx_is_date_format(long id, const char *code);

/* Parses a cell reference "AB12" into a 0-based column and 1-based row;
 * -1 when it is not one (or beyond 16384 columns / 1,048,576 rows). */
int sw__xlsx_ref(const char *s, uint32_t *col, uint32_t *row);

#endif
