/*
 * main.c - entry point of `sitewarden`: global options, then one
 * subcommand from a sorted table.
 */
#include <getopt.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define SW_VERSION "0.1.0"

static const struct sw_cmd cmds[] = {
	/* Sorted by name: looked up with bsearch. */
	{"agent", sw_cmd_agent, "host agents (sitewarden-agent): enrol one for a site, list them"},
	{"alert", sw_cmd_alert, "alerts: list, show, acknowledge, resolve, suppress; maintenance windows"},
	{"baseline", sw_cmd_baseline, "defacement baselines: accept an authorised change, show, history"},
	{"channel", sw_cmd_channel, "notification channels (webhook, DingTalk, WeCom, mail, syslog) and their queue"},
	{"check", sw_cmd_check, "check sites now: availability, TLS, DNS, redirects and page analysis; --offline for saved pages"},
	{"dept", sw_cmd_entity, "supervising departments (主管/监管部门)"},
	{"drill", sw_cmd_plan, "emergency drills (应急演练): record and list"},
	{"evidence", sw_cmd_evidence, "evidence fixing: frozen exchanges in a signed SM3 hash chain; export and verify packages"},
	{"export", sw_cmd_export, "export the site register as CSV (UTF-8 with BOM) or XLSX"},
	{"group", sw_cmd_entity, "website groups (网站群)"},
	{"import", sw_cmd_import, "import a register from CSV (UTF-8, UTF-8 BOM or GBK), all or nothing"},
	{"incident", sw_cmd_incident, "incidents (应急处置) along the reporting chain: open, step, close"},
	{"migrate", sw_cmd_migrate, "copy the whole register to another store (SQLite file -> PostgreSQL)"},
	{"mlps", sw_cmd_mlps, "MLPS (等级保护): grading, filing, assessments, due dates"},
	{"node", sw_cmd_node, "probe nodes sharing the store: labels, heartbeat, alive, share of the work"},
	{"person", sw_cmd_entity, "responsible persons (责任人)"},
	{"plan", sw_cmd_plan, "emergency plans (应急预案) of sites and groups"},
	{"policy", sw_cmd_policy, "monitoring policy, inherited global -> group -> site"},
	{"probe", sw_cmd_probe, "the monitoring loop: check every site at its interval, store results"},
	{"rectify", sw_cmd_rectify, "rectification items (隐患整改): add, from a finding, progress, tick"},
	{"region", sw_cmd_entity, "GB/T 2260 regions (行政区划)"},
	{"report", sw_cmd_report, "bulletins (通报) and progress reports as XLSX, CSV or printable HTML"},
	{"review", sw_cmd_review, "qualification review campaigns (开办审核/资格复核), identification, overrides"},
	{"serve", sw_cmd_serve, "the HTTP API, dashboard and agent endpoint, with the monitoring engine"},
	{"site", sw_cmd_entity, "websites (网站)"},
	{"stats", sw_cmd_stats, "statistics by region, unit type, department or group"},
	{"unit", sw_cmd_entity, "sponsoring units (主办单位)"},
	{"user", sw_cmd_user, "accounts of the web dashboard and API: add, list, passwd, disable"},
};

#define NCMDS (sizeof cmds / sizeof cmds[0])

static int cmd_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct sw_cmd *)elem)->name);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: sitewarden [--db DB] COMMAND [ARGS]\n"
		"\n"
		"Website security supervision platform: register, monitoring and response\n"
		"for party/government, public-institution and SOE websites.\n"
		"\n"
		"Global options:\n"
		"  --db DB        SQLite file or postgresql:// address\n"
		"                 (default: $SITEWARDEN_DB, else %s)\n"
		"  -h, --help     this help;  COMMAND --help for a command's\n"
		"  --version      print the version\n"
		"\n"
		"Commands:\n",
		SW_STORE_DEFAULT_PATH);
	for (size_t i = 0; i < NCMDS; i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\nExit status: 0 success, 1 failure or problems found, 2 usage error.\n");
}

struct sw_store *sw_cli_store(struct sw_cli *cli)
{
	struct sw_errbuf eb;
	enum sw_err rc;

	if (cli->st)
		return cli->st;
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_open(cli->db, &cli->st, &eb))) {
		sw_cli_fail_eb(rc, &eb);
		return NULL;
	}
	return cli->st;
}

int sw_cli_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("sitewarden: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return SW_EXIT_FAIL;
}

int sw_cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("sitewarden: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try 'sitewarden %s --help')\n", cmd ? cmd : "");
	return SW_EXIT_USAGE;
}

int sw_cli_bad_option(const char *cmd, char **argv)
{
	const char *opt = optind > 0 ? argv[optind - 1] : "?";

	return sw_cli_usage(cmd, "unknown option or missing value: '%s'", opt);
}

void sw_cli_heap_for_fetching(void)
{
	mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
	mallopt(M_TOP_PAD, 16 * 1024 * 1024);
}

int sw_cli_status(enum sw_err rc)
{
	return rc == SW_OK ? SW_EXIT_OK : rc == SW_EUSAGE ? SW_EXIT_USAGE : SW_EXIT_FAIL;
}

int sw_cli_fail_eb(enum sw_err rc, const struct sw_errbuf *eb)
{
	sw_cli_fail("%s", sw_errbuf_empty(eb) ? sw_strerror(rc) : eb->msg);
	return sw_cli_status(rc);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct sw_cli cli = {0};
	const struct sw_cmd *cmd;
	int c, status;

	opterr = 0; /* our messages name the command; see sw_cli_bad_option */
	cli.db = getenv("SITEWARDEN_DB");
	if (!cli.db || !*cli.db)
		cli.db = SW_STORE_DEFAULT_PATH;
	/* '+': stop at the command name; its options are its own. */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cli.db = optarg;
			break;
		case 'h':
			usage(stdout);
			return SW_EXIT_OK;
		case 'V':
			printf("sitewarden %s\n", SW_VERSION);
			return SW_EXIT_OK;
		default:
			return sw_cli_bad_option("", argv);
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return SW_EXIT_USAGE;
	}
	for (size_t i = 1; i < NCMDS; i++)
		if (strcmp(cmds[i - 1].name, cmds[i].name) >= 0)
			sw_fatal("command table not sorted at %s", cmds[i].name);
	/* SITEWARDEN_NOW sets the compliance clock (deadlines, gate windows)
	 * for tests and demos; see docs/compliance.md. */
	if ((status = sw_cli_clock()) != SW_EXIT_OK)
		return status;
	cmd = bsearch(argv[optind], cmds, NCMDS, sizeof cmds[0], cmd_cmp);
	if (!cmd)
		return sw_cli_usage("", "unknown command '%s'", argv[optind]);
	argc -= optind;
	argv += optind;
	optind = 0; /* reset getopt for the command's own options */
	status = cmd->fn(&cli, argc, argv);
	sw_store_close(cli.st);
	return status;
}
