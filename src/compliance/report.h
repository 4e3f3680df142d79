/*
 * report.h - the bulletin (通报) and progress report as tables, and their
 * writers: XLSX (libxlsxwriter), CSV (UTF-8 with BOM, as Excel in China
 * expects) and printable HTML (A4, Chinese fonts, page breaks).
 */
#ifndef SW_COMPLIANCE_REPORT_H
#define SW_COMPLIANCE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "compliance/stats.h"

#define SW_REPORT_COLS 10

/* A report: title lines and one table whose rows may start sections
 * (a printed page break before them; an XLSX/CSV keeps one table). */
struct sw_report {
	char title[256], subtitle[512];
	int ncols;
	const char *head[SW_REPORT_COLS]; /* static strings */
	int width[SW_REPORT_COLS];        /* XLSX column widths (characters) */
	char **cells;                     /* owned: nrows * ncols strings */
	int *section;                     /* owned: 1 where a row starts a section */
	size_t nrows, cap;
};

void sw_report_cleanup(struct sw_report *r);

/* Parses a period ("2026-11", "2026-Q4", "2026", "2026-11-01..2026-11-30",
 * end inclusive) into [from, to) dates and the previous period of the same
 * kind. */
enum sw_err sw_report_period(const char *p, char from[11], char to[11], char prev_from[11],
			     char prev_to[11], struct sw_errbuf *eb);

/* The bulletin: sites in scope with medium or worse findings in the
 * period, by region, with finding, first date, responsible unit and
 * status. */
enum sw_err sw_report_bulletin(struct sw_store *st, const struct sw_stats_scope *sc,
			       const char *period, int64_t now, struct sw_report *out,
			       struct sw_errbuf *eb);

/* The progress report: current figures and the period's activity next to
 * the previous period's. */
enum sw_err sw_report_progress(struct sw_store *st, const struct sw_stats_scope *sc,
			       const char *period, int64_t now, struct sw_report *out,
			       struct sw_errbuf *eb);

/* Writers; path "-" is standard output (CSV and HTML only). */
enum sw_err sw_report_csv(const struct sw_report *r, const char *path, struct sw_errbuf *eb);
enum sw_err sw_report_xlsx(const struct sw_report *r, const char *path, struct sw_errbuf *eb);
enum sw_err sw_report_html(const struct sw_report *r, const char *path, struct sw_errbuf *eb);

#endif
