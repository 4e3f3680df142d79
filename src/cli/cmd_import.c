/*
 * cmd_import.c - `sitewarden import [--kind K] [--sheet NAME] [--dry-run]
 * FILE.csv|FILE.xlsx`.
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
		"usage: sitewarden import [--kind sites|units|persons|regions|depts] "
		"[--sheet NAME] [--dry-run] FILE.csv|FILE.xlsx\n"
		"\nImports a register from CSV (UTF-8, UTF-8 with BOM or GBK/GB18030, detected)\n"
		"or an XLSX workbook (recognised by content), Chinese or English column headers\n"
		"(see README).  All or nothing: when any row is rejected, every problem is\n"
		"listed with its row and column and nothing is written.  CSV rows count from 1\n"
		"at the first line after the header; XLSX rows are the sheet's row numbers.\n"
		"  --kind K      what the file holds (default: decided from the header)\n"
		"  --sheet NAME  XLSX: the sheet to read (default: the first visible one)\n"
		"  --dry-run     check everything, write nothing\n");
	return SW_EXIT_OK;
}

/* Counts errors and prints the first SHOW_ERRORS_MAX of them. */
struct report {
	size_t shown;
	const struct sw_import_stats *stats; /* says CSV or XLSX */
};

/* CSV: "row 7311 (line 7312), column 统一社会信用代码: ..."; XLSX: "row 7312,
 * column C (统一社会信用代码): ..." as the spreadsheet labels them. */
static void print_err(void *arg, size_t row, size_t line, const char *column, const char *cell,
		      const char *msg)
{
	struct report *r = arg;
	char col[16] = "";

	if (r->shown++ >= SHOW_ERRORS_MAX)
		return;
	if (r->stats->format == SW_IMPORT_FMT_XLSX) {
		if (cell)
			snprintf(col, sizeof col, "%.*s ", (int)strcspn(cell, "0123456789"), cell);
		fprintf(stderr, "%s %zu%s%s%s%s%s: %s\n", row ? "row" : "header, row", line,
			column ? ", column " : "", col, column ? "(" : "", column ? column : "",
			column ? ")" : "", msg);
		return;
	}
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

	if (s->format == SW_IMPORT_FMT_XLSX)
		printf("%s %zu %s row(s) from sheet '%s': ", dry_run ? "checked" : "imported", s->rows,
		       sw_import_kind_name(s->kind), s->sheet);
	else
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
		{"sheet", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct sw_import_stats stats;
	struct sw_import_opts opts = {0};
	struct report rep = {0, &stats};
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
		} else if (c == 's') {
			opts.sheet = optarg;
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
	opts.kind = kind;
	opts.dry_run = dry;
	rc = sw_import_file_opts(st, argv[optind], &opts, &stats, print_err, &rep, &eb);
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
