/*
 * xlsx.h - reading one worksheet of an XLSX workbook as rows of text.
 *
 * Government units send their registers as Excel workbooks.  The reader
 * gives the importer what it gets from CSV: rows of UTF-8 strings, each row
 * with its spreadsheet row number, so "row N, column X" in an error report
 * points at the cell the user sees.  Values come back as the user typed
 * them where the file allows it: a credit code or phone number stored as a
 * number comes back as its digits (the cell's raw text, never through a
 * double), a date stored as a serial number with a date style as
 * YYYY-MM-DD, booleans as TRUE/FALSE, shared and inline strings with their
 * rich-text runs joined (phonetic runs left out).  A merged range gives its
 * value to every cell it covers, so a unit name merged over its five sites
 * reaches all five rows.
 *
 * The file is hostile until read: the ZIP container is opened with libzip,
 * the XML parts are parsed with expat, and everything has a bound (struct
 * sw_xlsx_limits): ZIP entries, the decompressed size of each part (a part
 * that declares more is refused before a byte is inflated, and one that
 * inflates past what it declared is cut off), element nesting, rows,
 * columns, cell length, shared strings and the text kept in total.  A part
 * with a DOCTYPE is refused outright, so no entity is ever declared or
 * expanded and nothing is ever fetched (no XXE, no "billion laughs").
 * Password-protected workbooks (an OLE2 container, not a ZIP), encrypted ZIP
 * entries, binary .xlsb workbooks and macro-only files are refused with a
 * message saying what to do.
 */
#ifndef SW_IO_XLSX_H
#define SW_IO_XLSX_H

#include <stddef.h>

#include "core/err.h"

/* Bounds on what a workbook may make the reader do. */
struct sw_xlsx_limits {
	size_t entries;    /* ZIP entries */
	size_t part_bytes; /* decompressed bytes of one XML part */
	size_t depth;      /* XML element nesting */
	size_t rows;       /* highest row number */
	size_t cols;       /* columns (a non-empty cell further right is an error) */
	size_t cell_bytes; /* bytes of one cell's or shared string's text */
	size_t strings;    /* shared strings */
	size_t text_bytes; /* text kept in total (shared strings and cells) */
	size_t cells;      /* non-empty cells kept */
	size_t merges;     /* merged ranges */
	size_t styles;     /* cell formats (xf records) */
};

/* The defaults: 10,000 entries, 1 GiB per part, depth 64, 1,048,576 rows
 * (Excel's own limit), 512 columns and 64 KiB per cell (the CSV reader's),
 * 4 million shared strings, 1 GiB of text, 64 million cells, 100,000
 * merged ranges, 65,536 formats. */
void sw_xlsx_limits_default(struct sw_xlsx_limits *lim);

/* What the first bytes of a file say it is. */
enum sw_xlsx_sniff {
	SW_XLSX_NOT,  /* neither: text, presumably */
	SW_XLSX_ZIP,  /* a ZIP container (XLSX, or something else zipped) */
	SW_XLSX_OLE2, /* an OLE2 compound file: legacy .xls or a password-protected workbook */
};

/* Classifies data[0..len) by its signature. */
enum sw_xlsx_sniff sw_xlsx_sniff(const void *data, size_t len);

/* An opened worksheet, fully read: owns every string it hands out. */
struct sw_xlsx;

/*
 * Reads the worksheet called `sheet` (NULL: the first visible worksheet) of
 * the workbook data[0..len) (borrowed only during the call).  lim may be
 * NULL for the defaults.  On SW_OK *out is a new reader (sw_xlsx_free).
 * Errors: SW_EINVAL for what is not a readable workbook (not a ZIP, a
 * truncated one, bad XML, encrypted, macro-only, no such sheet, a DOCTYPE),
 * SW_ELIMIT when a bound is passed, SW_ENOMEM; the message in eb names the
 * part and, for cells, the cell reference (e.g. "cell C7312").
 */
enum sw_err sw_xlsx_open(const void *data, size_t len, const char *sheet,
			 const struct sw_xlsx_limits *lim, struct sw_xlsx **out,
			 struct sw_errbuf *eb);

/* Frees x; NULL does nothing. */
void sw_xlsx_free(struct sw_xlsx *x);

/* Name of the sheet that was read (borrowed from x). */
const char *sw_xlsx_sheet_name(const struct sw_xlsx *x);

/* Shapes of a row that merged ranges give it (sw_xlsx_next's *shape). */
#define SW_XLSX_TITLE 1       /* its only value is one range across columns: a title */
#define SW_XLSX_MERGED_DOWN 2 /* a range starting here covers the next row too */

/*
 * Returns the next row that has at least one cell element, in row order.
 * On SW_OK: *row is its 1-based spreadsheet row number; cells[0..*n) are
 * its values by column (A = 0), "" for empty cells, with merged ranges
 * filled in and trailing empty cells left off (so *n may be 0); the array
 * and strings are owned by x, valid until the next call.  *shape (may be
 * NULL) gets SW_XLSX_* bits.  Returns SW_ENOTFOUND after the last row,
 * SW_EINVAL for merged ranges that overlap, SW_ELIMIT for more ranges in
 * one row than lim.cols.
 */
enum sw_err sw_xlsx_next(struct sw_xlsx *x, size_t *row, const char ***cells, size_t *n,
			 int *shape, struct sw_errbuf *eb);

/* Writes the letters of 0-based column col ("A", "AB") into buf (8 bytes). */
void sw_xlsx_col_name(size_t col, char buf[8]);

#endif
