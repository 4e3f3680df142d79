/*
 * cmd_report.c - `sitewarden report bulletin|progress`: the bulletin
 * (通报) of sites with problems in a period and the progress report, as
 * XLSX, CSV or printable HTML.
 */
#include <inttypes.h>
#include <stdlib.h>
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
	      "Print the HTML from a browser, or: chromium --headless --print-to-pdf=F FILE.\n"
	      "\nScheduled reports, sent through a notification channel (see `channel`):\n"
	      "       sitewarden report schedule add NAME --kind bulletin|progress\n"
	      "                         --every week|month --channel CHANNEL [--format xlsx|csv|html]\n"
	      "                         [--region R] [--unit-type T] [--dept D] [--group G]\n"
	      "                         [--link-base https://sitewarden.example]\n"
	      "       sitewarden report schedule list [--json] | remove NAME\n"
	      "       sitewarden report schedule run [--json]   (the tick: make and send what is due)\n"
	      "       sitewarden report schedule runs [--json]\n"
	      "Each ended week (Monday-Sunday) or month (UTC+8) is reported once; mail\n"
	      "channels get the file attached, others a link to /api/report-runs/ID/file.\n"
	      "The clock is SITEWARDEN_NOW when set.\n",
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

static int append_sched(void *arg, const struct sw_cmp_row *r)
{
	json_array_append_new(arg, sw_report_sched_json(r));
	return 0;
}

static int append_run(void *arg, const struct sw_cmp_row *r)
{
	json_array_append_new(arg, sw_report_run_json(r));
	return 0;
}

static int first_id(void *arg, const struct sw_cmp_row *r)
{
	*(int64_t *)arg = r->i[SW_SCH_ID];
	return 1;
}

/* Prints a list of objects as JSON, or one line each. */
static int print_list(json_t *arr, int json)
{
	size_t i;
	json_t *o;

	if (json)
		return sw_cli_print_json(arr);
	json_array_foreach(arr, i, o) {
		char *line = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);

		printf("%s\n", line ? line : "");
		free(line);
	}
	json_decref(arr);
	return SW_EXIT_OK;
}

/* `report schedule add|list|remove|run|runs`. */
static int cmd_schedule(struct sw_cli *cli, const struct sw_cli_kv *kv)
{
	const char *verb = kv->npos > 1 ? kv->pos[1] : "";
	int json = sw_cli_kv(kv, "json") != NULL, status;
	struct sw_errbuf eb;
	struct sw_store *st;
	enum sw_err rc;
	int64_t id = 0;

	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	if (!strcmp(verb, "add")) {
		struct sw_stats_scope sc;
		char region[8];

		if (kv->npos != 3)
			return sw_cli_usage("report", "report schedule add takes a name");
		if ((status = sw__cli_scope(st, kv, &sc, region)) >= 0)
			return status;
		struct sw_sched_new n = {.name = kv->pos[2], .kind = sw_cli_kv(kv, "kind"),
					 .every = sw_cli_kv(kv, "every"), .region = sc.region,
					 .unit_type = sc.unit_type, .format = sw_cli_kv(kv, "format"),
					 .link_base = sw_cli_kv(kv, "link-base"), .dept_id = sc.dept_id,
					 .group_id = sc.group_id};
		if ((rc = sw_report_sched_add(st, &n, sw_cli_kv(kv, "channel"), sw_compliance_now(),
					      &id, &eb)))
			return sw_cli_fail_eb(rc, &eb);
		printf("schedule %" PRId64 " added\n", id);
		return SW_EXIT_OK;
	}
	if (!strcmp(verb, "remove")) {
		if (kv->npos != 3)
			return sw_cli_usage("report", "report schedule remove takes a name");
		if ((rc = sw_store_scheds(st, 0, kv->pos[2], first_id, &id, &eb)))
			return sw_cli_fail_eb(rc, &eb);
		if (!id)
			return sw_cli_fail_eb(sw_errf(&eb, SW_ENOTFOUND, "no schedule %s", kv->pos[2]),
					      &eb);
		rc = sw_store_rsched_remove(st, id, &eb);
		return rc ? sw_cli_fail_eb(rc, &eb) : SW_EXIT_OK;
	}
	if (!strcmp(verb, "list") || !strcmp(verb, "runs")) {
		json_t *arr = json_array();

		rc = !strcmp(verb, "list") ? sw_store_scheds(st, 0, NULL, append_sched, arr, &eb)
					   : sw_store_report_runs(st, 0, 0, 0, append_run, arr, &eb);
		if (rc) {
			json_decref(arr);
			return sw_cli_fail_eb(rc, &eb);
		}
		return print_list(arr, json);
	}
	if (!strcmp(verb, "run")) {
		struct sw_report_tick_result r;

		if ((rc = sw_report_tick_r(st, sw_compliance_now(), &r, &eb)))
			return sw_cli_fail_eb(rc, &eb);
		/* exit 1 when a send failed (it stays queued for a later tick) */
		if (json) {
			status = sw_cli_print_json(json_pack("{s:I, s:I, s:I}", "made",
							     (json_int_t)r.made, "sent",
							     (json_int_t)r.sent, "failed",
							     (json_int_t)r.failed));
			return r.failed ? SW_EXIT_FAIL : status;
		}
		printf("reports made %" PRId64 ", sent %" PRId64 ", failed %" PRId64 " (retried later)\n",
		       r.made, r.sent, r.failed);
		return r.failed ? SW_EXIT_FAIL : SW_EXIT_OK;
	}
	return sw_cli_usage("report", "report schedule add|list|remove|run|runs");
}

int sw_cmd_report(struct sw_cli *cli, int argc, char **argv)
{
	static const char *const valued[] = {"period", "region", "unit-type", "dept", "group",
					     "format", "o", "output", "kind", "every", "channel",
					     "link-base", NULL};
	static const char *const flags[] = {"help", "json", NULL};
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
	if (sw_cli_kv(&kv, "help") || kv.npos == 0)
		return report_help(sw_cli_kv(&kv, "help") ? stdout : stderr);
	if (!strcmp(kv.pos[0], "schedule"))
		return cmd_schedule(cli, &kv);
	if (kv.npos != 1)
		return report_help(stderr);
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
