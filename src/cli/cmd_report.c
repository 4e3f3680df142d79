/*
 * cmd_report.c - `sitewarden report bulletin|progress`: the bulletin
 * (通报) of sites with problems in a period and the progress report, as
 * XLSX, CSV or printable HTML.
 */
#include <string.h>

#include "cli/cli.h"
#include "compliance/report.h"

int sw__cli_scope(struct sw_store *st, const struct sw_cli_kv *kv, struct sw_stats_scope *sc,
		  char region[8]);

static int report_help(FILE *f)
{
	fputs("usage: sitewarden report bulletin --period P [--region R] [--unit-type T]\n"
	      "                         [--dept D] [--group G] [--format xlsx|csv|html] -o FILE\n"
	      "       sitewarden report progress --period P [same options]\n"
	      "\nP is YYYY, YYYY-MM, YYYY-Qn or DATE..DATE (inclusive).  The bulletin lists\n"
	      "the sites in scope with medium or worse findings in the period, by region,\n"
	      "with the finding, its first date, the responsible unit and the rectification\n"
	      "status; the progress report gives the current statistics and the period's\n"
	      "activity next to the previous period's.  The format follows the file's\n"
	      "extension unless --format says; -o - writes CSV or HTML to standard output.\n"
	      "Print the HTML from a browser, or: chromium --headless --print-to-pdf=F FILE.\n",
	      f);
	return f == stdout ? SW_EXIT_OK : SW_EXIT_USAGE;
}

/* The format named by --format or by the file's extension, or NULL. */
static const char *format_of(const char *fmt, const char *path)
{
	const char *dot = strrchr(path, '.');

	if (fmt)
		return fmt;
	if (dot && (!strcmp(dot, ".xlsx") || !strcmp(dot, ".csv") || !strcmp(dot, ".html")))
		return dot + 1;
	return !strcmp(path, "-") ? "csv" : NULL;
}

int sw_cmd_report(struct sw_cli *cli, int argc, char **argv)
{
	static const char *const valued[] = {"period", "region", "unit-type", "dept", "group",
					     "format", "o", "output", NULL};
	static const char *const flags[] = {"help", NULL};
	struct sw_stats_scope sc;
	struct sw_report r;
	struct sw_cli_kv kv;
	struct sw_errbuf eb;
	struct sw_store *st;
	const char *path, *fmt;
	char region[8];
	int status;
	enum sw_err rc;

	/* -o is the one short option: accept it as --o */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-o"))
			argv[i] = "--o";
	if ((status = sw_cli_kv_parse("report", argc, argv, 1, valued, flags, &kv)) >= 0)
		return status;
	if (sw_cli_kv(&kv, "help") || kv.npos != 1)
		return report_help(sw_cli_kv(&kv, "help") ? stdout : stderr);
	path = sw_cli_kv(&kv, "o") ? sw_cli_kv(&kv, "o") : sw_cli_kv(&kv, "output");
	if (!path)
		return sw_cli_usage("report", "-o FILE is needed");
	fmt = format_of(sw_cli_kv(&kv, "format"), path);
	if (!fmt || (strcmp(fmt, "xlsx") && strcmp(fmt, "csv") && strcmp(fmt, "html")))
		return sw_cli_usage("report", "the format must be xlsx, csv or html");
	if (!strcmp(fmt, "xlsx") && !strcmp(path, "-"))
		return sw_cli_usage("report", "XLSX needs a file");
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	if ((status = sw__cli_scope(st, &kv, &sc, region)) >= 0)
		return status;
	sw_errbuf_clear(&eb);
	if (!strcmp(kv.pos[0], "bulletin"))
		rc = sw_report_bulletin(st, &sc, sw_cli_kv(&kv, "period"), sw_compliance_now(), &r, &eb);
	else if (!strcmp(kv.pos[0], "progress"))
		rc = sw_report_progress(st, &sc, sw_cli_kv(&kv, "period"), sw_compliance_now(), &r, &eb);
	else
		return sw_cli_usage("report", "unknown report '%s'", kv.pos[0]);
	if (rc)
		return sw_cli_fail_eb(rc, &eb);
	rc = !strcmp(fmt, "xlsx") ? sw_report_xlsx(&r, path, &eb)
	     : !strcmp(fmt, "csv") ? sw_report_csv(&r, path, &eb)
				   : sw_report_html(&r, path, &eb);
	sw_report_cleanup(&r);
	return rc ? sw_cli_fail_eb(rc, &eb) : SW_EXIT_OK;
}
