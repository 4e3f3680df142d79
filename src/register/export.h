/*
 * export.h - the register as a table (header row, then one row per site)
 * written as CSV for Excel or as an XLSX workbook.
 *
 * The site table carries the unit, department, group and responsible
 * persons of each site under the same headers the importer reads, so an
 * exported register imports back into an empty database unchanged.
 */
#ifndef SW_REGISTER_EXPORT_H
#define SW_REGISTER_EXPORT_H

#include <stdio.h>

#include "core/err.h"
#include "store/store.h"

/* Receives the rows of a table: first the header, then the data.  vals[i]
 * are borrowed for the call.  A non-OK return stops the export. */
typedef enum sw_err (*sw_export_row_fn)(void *arg, const char *const *vals, size_t n);

/*
 * Produces the site table of the sites passing f (NULL: all).  english
 * selects English headers and enum keys; otherwise Chinese headers and
 * labels (what the importer and Chinese users read alike).
 */
enum sw_err sw_export_sites(struct sw_store *st, const struct sw_filter *f, int english,
			    sw_export_row_fn fn, void *arg, struct sw_errbuf *eb);

/* Produces a plain table of every row of ent (id, then every field). */
enum sw_err sw_export_table(struct sw_store *st, const struct sw_entity *ent, int english,
			    sw_export_row_fn fn, void *arg, struct sw_errbuf *eb);

/* Writes the site table as CSV with a UTF-8 BOM and CRLF line ends (what
 * Excel opens cleanly), spreadsheet formulas defused. */
enum sw_err sw_export_csv(struct sw_store *st, FILE *out, const struct sw_filter *f,
			  int english, struct sw_errbuf *eb);

/* Writes an XLSX workbook at path with sheets for sites, units and
 * persons. */
enum sw_err sw_export_xlsx(struct sw_store *st, const char *path, const struct sw_filter *f,
			   int english, struct sw_errbuf *eb);

#endif
