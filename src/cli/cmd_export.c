/*
 * cmd_export.c - `sitewarden export [--format csv|xlsx] [-o FILE] [filters]`.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/show.h"
#include "register/export.h"

static int export_help(FILE *f)
{
	fprintf(f, "usage: sitewarden export [--format csv|xlsx] [-o FILE] [--english]\n"
		   "                         [--region CODE] [--unit-type T] [--group G] [--status S]\n"
		   "                         [--unit U] [--search TEXT]\n"
		   "\nWrites the site register with each site's unit, department, group and\n"
		   "responsible persons, under the column headers `import` reads.  CSV is UTF-8\n"
		   "with a BOM (opens cleanly in Excel) and goes to standard output unless -o is\n"
		   "given; XLSX needs -o and adds sheets of all units and persons.  Headers and\n"
		   "values are Chinese unless --english.\n");
	return SW_EXIT_OK;
}

/* Ends with ".xlsx" (case-insensitive)? */
static int is_xlsx_name(const char *path)
{
	size_t n = strlen(path);

	return n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}

int sw_cmd_export(struct sw_cli *cli, int argc, char **argv)
{
	struct option o[32];
	const char *format = NULL, *out = NULL;
	struct sw_filter f = {0};
	struct sw_errbuf eb;
	char region[16];
	enum sw_err rc;
	FILE *fp;
	int c, r, english = 0, n = 0;

	/* The shared filters plus this command's own options. */
	while (sw_show_filter_opts[n].name)
		o[n] = sw_show_filter_opts[n], n++;
	o[n++] = (struct option){"format", required_argument, NULL, 'f'};
	o[n++] = (struct option){"output", required_argument, NULL, 'o'};
	o[n++] = (struct option){"english", no_argument, NULL, 'e'};
	o[n] = (struct option){0};
	while ((c = getopt_long(argc, argv, "f:o:h", o, NULL)) != -1) {
		if ((r = sw_show_filter_opt(cli, NULL, c, optarg, &f, region, sizeof region)) == 0)
			continue;
		if (r > 0)
			return r;
		if (c == 'f')
			format = optarg;
		else if (c == 'o')
			out = optarg;
		else if (c == 'e')
			english = 1;
		else if (c == 'h')
			return export_help(stdout);
		else
			return sw_cli_bad_option("export", argv);
	}
	if (optind != argc)
		return sw_cli_usage("export", "unexpected argument '%s'", argv[optind]);
	if (!format)
		format = out && is_xlsx_name(out) ? "xlsx" : "csv";
	if (strcmp(format, "csv") && strcmp(format, "xlsx"))
		return sw_cli_usage("export", "--format must be csv or xlsx");
	if (!strcmp(format, "xlsx") && !out)
		return sw_cli_usage("export", "XLSX output needs -o FILE");
	if (!sw_cli_store(cli))
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	if (!strcmp(format, "xlsx")) {
		rc = sw_export_xlsx(cli->st, out, &f, english, &eb);
		return rc ? sw_cli_fail_eb(rc, &eb) : SW_EXIT_OK;
	}
	if (!(fp = out ? fopen(out, "wb") : stdout))
		return sw_cli_fail("cannot create %s: %s", out, strerror(errno));
	rc = sw_export_csv(cli->st, fp, &f, english, &eb);
	if (out && fclose(fp) != 0 && !rc)
		rc = sw_errf(&eb, SW_EIO, "cannot write %s", out);
	return rc ? sw_cli_fail_eb(rc, &eb) : SW_EXIT_OK;
}
