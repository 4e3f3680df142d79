/*
 * import.h - bulk import of a register from CSV, all or nothing.
 *
 * Registers arrive as spreadsheets from many units: UTF-8 with or without
 * BOM, or GBK; Chinese or English headers in any order; synonyms for the
 * same column.  Every row is validated with the same rules as `site add`;
 * every rejected value is reported with its row and column, and when
 * anything is rejected nothing at all is written.
 *
 * CSV rows are numbered from 1 for the first record after the header,
 * blank rows included (so row N is spreadsheet row N+1); the physical line
 * is reported as well, since a quoted cell may span lines.  An XLSX
 * workbook (recognised by its ZIP signature, whatever the file is called)
 * is read from its first worksheet or a named one (src/io/xlsx.h); its rows
 * are reported by their spreadsheet row number and cell (e.g. C7312).
 */
#ifndef SW_REGISTER_IMPORT_H
#define SW_REGISTER_IMPORT_H

#include <stddef.h>

#include "core/err.h"
#include "io/charset.h"
#include "store/store.h"

enum sw_import_kind {
	SW_IMPORT_AUTO,    /* decided from the header */
	SW_IMPORT_SITES,   /* sites with their units, departments, groups, persons */
	SW_IMPORT_UNITS,
	SW_IMPORT_PERSONS,
	SW_IMPORT_REGIONS,
	SW_IMPORT_DEPTS,
};

/* Returns the kind called name ("sites", "units", ...) or -1. */
int sw_import_kind_parse(const char *name);

/* Returns "sites", "units", ... */
const char *sw_import_kind_name(enum sw_import_kind k);

/* How the file is read. */
enum sw_import_format {
	SW_IMPORT_FMT_AUTO, /* by content: a ZIP is XLSX, anything else CSV */
	SW_IMPORT_FMT_CSV,
	SW_IMPORT_FMT_XLSX,
};

struct sw_import_opts {
	enum sw_import_kind kind;
	int dry_run;                 /* check everything, write nothing */
	enum sw_import_format format;
	const char *sheet;           /* XLSX: the sheet to read (NULL: the first visible one) */
};

struct sw_import_stats {
	enum sw_import_kind kind;  /* what the file held */
	enum sw_import_format format; /* CSV or XLSX (known before any error is reported) */
	enum sw_charset charset;   /* how a CSV was encoded */
	char sheet[128];           /* XLSX: the sheet that was read */
	size_t rows;               /* data rows read (blank rows not counted) */
	size_t rejected;           /* rows with at least one error */
	size_t errors;             /* errors reported */
	size_t added[6];           /* rows created, by enum sw_ent */
};

/* Receives each error: row 0 means the header; column is the header text
 * of the column at fault (NULL when the whole row is).  For CSV, row counts
 * records after the header and line is the physical line; for XLSX, row
 * and line are both the spreadsheet row (the header's too) and cell names
 * the cell at fault ("C7312"; NULL for CSV or when the whole row is). */
typedef void (*sw_import_err_fn)(void *arg, size_t row, size_t line, const char *column,
				 const char *cell, const char *msg);

/*
 * Imports data[0..len) (raw file bytes) into st.  With dry_run everything is
 * checked and then rolled back.  Returns SW_OK when every row was accepted
 * (and, unless dry_run, committed), SW_EINVAL when any row or the header was
 * rejected (nothing written; each problem went to err_fn), or another code
 * for a failure of the file or the store (message in eb).
 */
enum sw_err sw_import_buffer(struct sw_store *st, const char *data, size_t len,
			     enum sw_import_kind kind, int dry_run, struct sw_import_stats *stats,
			     sw_import_err_fn err_fn, void *arg, struct sw_errbuf *eb);

/* As sw_import_buffer with every option (o may be NULL: AUTO, no dry run). */
enum sw_err sw_import_buffer_opts(struct sw_store *st, const char *data, size_t len,
				  const struct sw_import_opts *o, struct sw_import_stats *stats,
				  sw_import_err_fn err_fn, void *arg, struct sw_errbuf *eb);

/* As sw_import_buffer_opts for the file at path (at most 1 GiB). */
enum sw_err sw_import_file_opts(struct sw_store *st, const char *path,
				const struct sw_import_opts *o, struct sw_import_stats *stats,
				sw_import_err_fn err_fn, void *arg, struct sw_errbuf *eb);

/* As sw_import_buffer for the file at path (at most 1 GiB). */
enum sw_err sw_import_file(struct sw_store *st, const char *path, enum sw_import_kind kind,
			   int dry_run, struct sw_import_stats *stats, sw_import_err_fn err_fn,
			   void *arg, struct sw_errbuf *eb);

#endif
