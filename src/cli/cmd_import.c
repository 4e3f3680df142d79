/*
 * cmd_import.c - `sitewarden import [--kind K] [--dry-run] FILE.csv`.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "register/import.h"

#define SHOW_ERRORS_MAX 200

static int import_help(FILE *f)
{
	fprintf(f,
		"usage: sitewarden import [--kind sites|units|persons|regions|depts] [--dry-run] "
		"FILE.csv\n"
		"\nImports a register from CSV: UTF-8, UTF-8 with BOM or GBK/GB18030 (detected),\n"
		"Chinese or English column headers (see README).  All or nothing: when any row\n"
		"is rejected, every problem is listed as 'row N, column X: reason' and nothing\n"
		"is written.  Rows count from 1 at the first line after the header.\n"
		"  --kind K     what the file holds (default: decided from the header)\n"
		"  --dry-run    check everything, write nothing\n");
	return SW_EXIT_OK;
}

/* Counts errors and prints the first SHOW_ERRORS_MAX of them. */
struct report {
	size_t shown;
};

static void print_err(void *arg, size_t row, size_t line, const char *column, const char *msg)
{
	struct report *r = arg;

	if (r->shown++ >= SHOW_ERRORS_MAX)
		return;
	if (row == 0)
		fprintf(stderr, "header%s%s: %s\n", column ? ", column " : "", column ? column : "",
			msg);
	else
		fprintf(stderr, "row %zu (line %zu)%s%s: %s\n", row, line, column ? ", column " : "",
			column ? column : "", msg);
}

/* Prints what was (or would have been) created. */
static void print_summary(const struct sw_import_stats *s, int dry_run)
{
	static const char *const names[] = {"regions", "departments", "units", "groups", "sites",
					    "persons"};
	int first = 1;

	printf("%s %zu %s row(s) from %s text: ", dry_run ? "checked" : "imported", s->rows,
	       sw_import_kind_name(s->kind), sw_charset_name(s->charset));
	for (int e = 0; e < SW_ENT__COUNT; e++) {
		if (!s->added[e])
			continue;
		printf("%s%zu %s", first ? "" : ", ", s->added[e], names[e]);
		first = 0;
	}
	printf("%s%s\n", first ? "nothing new" : " ", dry_run ? "would be added (dry run)" :
					       first ? "" : "added");
}

int sw_cmd_import(struct sw_cli *cli, int argc, char **argv)
{
	static const struct option o[] = {
		{"kind", required_argument, NULL, 'k'},
		{"dry-run", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct sw_import_stats stats;
	struct report rep = {0};
	struct sw_errbuf eb;
	struct sw_store *st;
	enum sw_err rc;
	int c, kind = SW_IMPORT_AUTO, dry = 0;

	while ((c = getopt_long(argc, argv, "nh", o, NULL)) != -1) {
		if (c == 'k') {
			if ((kind = sw_import_kind_parse(optarg)) < 0)
				return sw_cli_usage("import", "--kind: unknown kind '%s'", optarg);
		} else if (c == 'n') {
			dry = 1;
		} else if (c == 'h') {
			return import_help(stdout);
		} else {
			return sw_cli_bad_option("import", argv);
		}
	}
	if (optind != argc - 1)
		return sw_cli_usage("import", "give exactly one FILE");
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	rc = sw_import_file(st, argv[optind], kind, dry, &stats, print_err, &rep, &eb);
	if (rep.shown > SHOW_ERRORS_MAX)
		fprintf(stderr, "... and %zu more problems\n", rep.shown - SHOW_ERRORS_MAX);
	if (rc == SW_EINVAL && stats.errors) {
		return sw_cli_fail("%s: %zu problem(s) in %zu of %zu row(s); nothing was imported",
				   argv[optind], stats.errors, stats.rejected, stats.rows);
	}
	if (rc)
		return sw_cli_fail_eb(rc, &eb);
	print_summary(&stats, dry);
	return SW_EXIT_OK;
}
