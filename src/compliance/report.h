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

/* Writes r in format fmt (xlsx, csv, html) into a private temporary file
 * ($TMPDIR or /tmp), reads it back into *out (malloc'd, *len bytes) and
 * removes the file: what the API's download and a scheduled report send. */
enum sw_err sw_report_render(const struct sw_report *r, const char *fmt, char **out,
			     size_t *len, struct sw_errbuf *eb);

/* The MIME type of a report format, or NULL when fmt is not one. */
const char *sw_report_mime(const char *fmt);

/* ---- scheduled reports (schedule.c) ----
 *
 * A schedule (report_schedules) makes its report for each period that
 * ends after the schedule was added: a week (Monday to Sunday) or a
 * calendar month, in UTC+8.  The first tick after a period ends renders
 * the report (figures as of that tick) and queues it in report_runs,
 * whose key (schedule, period) makes one run per period; then it is sent
 * through the schedule's channel: attached to a mail (smtp), or as a
 * message with a link to GET /api/report-runs/{id}/file (webhook,
 * dingtalk, wecom, syslog).  A failed send is retried with the
 * notification back-off; a period missed while nothing ran is not made
 * later (only the latest ended period is). */

/* Checks and adds a schedule (kind bulletin|progress, every week|month,
 * format xlsx|csv|html, scope, channel named or numbered `channel`,
 * link_base NULL or an http(s) URL the link starts with); *id gets it. */
enum sw_err sw_report_sched_add(struct sw_store *st, const struct sw_sched_new *n,
				const char *channel, int64_t now, int64_t *id,
				struct sw_errbuf *eb);

/* The latest period of `every` (week|month) that has ended at now, as
 * report period text ("2026-01" or "2026-01-12..2026-01-18") into period,
 * with its end (unix seconds) into *end.  SW_EINVAL for another every. */
enum sw_err sw_report_last_period(const char *every, int64_t now, char period[32], int64_t *end,
				  struct sw_errbuf *eb);

/* What a report tick did. */
struct sw_report_tick_result {
	int64_t made;   /* runs rendered and queued now */
	int64_t sent;   /* runs the channel accepted now */
	int64_t failed; /* sends that failed now (retried later) */
};

/*
 * The periodic pass for scheduled reports: makes the run of every
 * schedule whose latest period has ended and has none yet, then sends the
 * queued runs that are due.  The engine's tick calls it once per round.
 * A failed send is not an error (it is retried); store failures are.
 * out may be NULL.
 */
enum sw_err sw_report_tick_r(struct sw_store *st, int64_t now,
			     struct sw_report_tick_result *out, struct sw_errbuf *eb);

/* JSON of a schedule row (SW_SCH_*) and of a run row (SW_RUN_*, without
 * its content), as `report schedule list|runs --json` and the API print
 * them (new references). */
json_t *sw_report_sched_json(const struct sw_cmp_row *r);
json_t *sw_report_run_json(const struct sw_cmp_row *r);

/* sw_report_tick_r without a result: what probe's and serve's tick call. */
enum sw_err sw_report_tick(struct sw_store *st, int64_t now, struct sw_errbuf *eb);

#endif
