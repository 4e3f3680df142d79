/*
 * cmd_probe.c - `sitewarden probe`: the monitoring engine (src/engine/) run
 * from the command line, printing a line per check.
 *
 * Stopping (SIGINT/SIGTERM) sets the flag the engine watches: in-flight
 * fetches are abandoned, and abandoned sites are not recorded and stay
 * due, so the next start checks them first.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/probe_show.h"
#include "engine/engine.h"
#include "register/register.h"

#define RESOLVE_MAX 64
#define LABELS_MAX 16

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static int probe_help(FILE *f)
{
	fprintf(f,
		"usage: sitewarden probe [--once] [--batch N] [--concurrency N] [--max-sleep S]\n"
		"                        [--keep-days N] [--resolve HOST:PORT:ADDR]... [--ca-file PEM]\n"
		"                        [--node NAME] [--label KEY=VALUE]... [--write-batch N]\n"
		"       sitewarden probe --now SITE [--once ...]\n"
		"       sitewarden probe --show SITE\n"
		"\nChecks every online and pre-launch site of the register at its policy interval\n"
		"(with jitter, so checks spread evenly), storing each check, its findings, the\n"
		"page snapshot and the site's state, until SIGINT or SIGTERM.  A site is reported\n"
		"down only after fail_threshold failures in a row (policy).\n"
		"  --once             check everything due now (never-checked sites included)\n"
		"                     and exit: for cron and tests\n"
		"  --now SITE         check now: make SITE (id, URL, host or name) due at once and\n"
		"                     exit, or with --once go on to check it\n"
		"  --show SITE        print SITE's schedule, state and last check as JSON\n"
		"  --batch N          due sites taken per round (default 1000)\n"
		"  --concurrency N    fetches in flight at once (default 256)\n"
		"  --max-sleep S      longest sleep between rounds, seconds (default 10)\n"
		"  --keep-days N      delete checks (and unreferenced snapshots) older than N\n"
		"                     days, hourly (default 30; 0 keeps everything)\n"
		"  --resolve H:P:A    connect to address A for host H and port P (as curl)\n"
		"  --ca-file PEM      trust these CAs for the TLS verdict instead of the system's\n"
		"  --no-content       engine checks only: no page analysis (one fetch per site)\n"
		"  --no-cloaking      analyse pages, but skip the two extra fetches as a search\n"
		"                     spider and as a search visitor\n"
		"  --rules DIR        analyzer rule files that replace the built-in ones\n"
		"\nSeveral probes may share one PostgreSQL store (docs/deploy.md): each leases\n"
		"the due sites it checks, so none is checked twice, and a dead node's sites\n"
		"are taken over when its leases lapse.\n"
		"  --node NAME        this node's name in `sitewarden node list` (default: the\n"
		"                     host name); unique per running probe\n"
		"  --label K=V        a label of this node (repeatable), e.g. net=unicom: the\n"
		"                     node also makes the vantage checks sites ask for with\n"
		"                     the policy key vantage=K=V\n"
		"  --lease S          seconds a taken site stays this node's (default: twice\n"
		"                     the time-out plus 10, at most the global interval)\n"
		"  --write-batch N    results written per transaction (default 200; a batch\n"
		"                     is written at the latest a second after its first)\n");
	return SW_EXIT_OK;
}

/* Options of one run: the engine's plus the command's own. */
struct popts {
	struct sw_engine_opts e;
	const char *now_site, *show_site;
	const char *resolve[RESOLVE_MAX + 1];
	const char *labels[LABELS_MAX];
	size_t checked, down;
};

/* Prints one line per recorded check (the engine's on_check). */
static void print_check(void *arg, struct sw_store *st, const struct sw_engine_check *c)
{
	struct popts *o = arg;
	const struct sw_fetch_result *r = c->self;

	o->checked++;
	o->down += !c->up;
	printf("site %" PRId64 " %s: %s", c->site_id, r->url, c->up ? "up" : "DOWN");
	if (r->err && r->err != SW_FETCH_ETOOLARGE)
		printf(" (%s)", sw_fetch_strerror(r->err));
	else
		printf(" HTTP %ld %" PRId64 " ms", r->status, r->elapsed_us / 1000);
	printf(", %zu finding(s)\n", c->n_findings);
	if (c->learned)
		printf("site %" PRId64 ": defacement baseline learned\n", c->site_id);
	sw__cli_respond_check(st, c, o->e.content);
}

/* Rounds end with the output flushed, so a pipe sees each round. */
static void flush_tick(void *arg, struct sw_store *st, int64_t now)
{
	(void)arg;
	sw__cli_respond_tick(st, now);
	fflush(stdout);
}

static void print_note(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "probe: %s\n", msg);
}

/* The loop: until stopped, or until nothing is due with --once. */
static int probe_loop(struct sw_store *st, struct popts *o)
{
	struct sigaction sa = {.sa_handler = on_signal};
	struct sw_errbuf eb;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	o->e.on_check = print_check;
	o->e.on_tick = flush_tick;
	o->e.on_note = print_note;
	o->e.hook_arg = o;
	sw_cli_heap_for_fetching();
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	rc = sw_engine_run(st, &o->e, &stopping, &eb);
	fflush(stdout);
	fprintf(stderr, "probe: %zu check(s) stored, %zu site(s) down%s\n", o->checked, o->down,
		stopping ? " (stopped)" : "");
	return rc ? sw_cli_fail_eb(rc, &eb) : SW_EXIT_OK;
}

/* --now: makes the site due at once (the running probe picks it up within
 * --max-sleep seconds). */
static int check_now(struct sw_store *st, const char *ref)
{
	int64_t id = sw__probe_site(st, ref);
	struct sw_errbuf eb;
	enum sw_err rc;

	if (!id)
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_sched_set(st, id, time(NULL), &eb)))
		return sw_cli_fail_eb(rc, &eb);
	printf("site %" PRId64 " is due now\n", id);
	return SW_EXIT_OK;
}

/* Reads a whole number from lo to hi for option `name`; -1 when bad. */
static long num_opt(const char *s, long lo, long hi)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	return (errno || *end || end == s || n < lo || n > hi) ? -1 : n;
}

/* True for a label KEY=VALUE as the vantage policy spells it: lower-case
 * letters, digits, '_', '-', one '=' with text on both sides. */
static int label_ok(const char *s)
{
	const char *eq = strchr(s, '=');
	size_t n = strlen(s);

	if (!eq || eq == s || !eq[1] || strchr(eq + 1, '=') || n > 60)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '-' || *s == '='))
			return 0;
	return 1;
}

/* Parses the options into o; returns an exit status, or -1 to go on. */
static int parse(int argc, char **argv, struct popts *o)
{
	static const struct option opts[] = {
		{"once", no_argument, NULL, '1'},	      {"now", required_argument, NULL, 'n'},
		{"show", required_argument, NULL, 's'},     {"batch", required_argument, NULL, 'b'},
		{"concurrency", required_argument, NULL, 'c'},
		{"max-sleep", required_argument, NULL, 'm'},
		{"keep-days", required_argument, NULL, 'k'},
		{"resolve", required_argument, NULL, 'r'},  {"ca-file", required_argument, NULL, 'a'},
		{"no-content", no_argument, NULL, 'N'},     {"no-cloaking", no_argument, NULL, 'C'},
		{"rules", required_argument, NULL, 'R'},
		{"node", required_argument, NULL, 'o'},     {"label", required_argument, NULL, 'l'},
		{"lease", required_argument, NULL, 'L'},
		{"write-batch", required_argument, NULL, 'w'},
		{"help", no_argument, NULL, 'h'},	      {NULL, 0, NULL, 0},
	};
	size_t nres = 0;
	long n;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case '1':
			o->e.once = 1;
			break;
		case 'n':
			o->now_site = optarg;
			break;
		case 's':
			o->show_site = optarg;
			break;
		case 'a':
			o->e.fetch.ca_file = optarg;
			break;
		case 'b':
			if ((o->e.batch = num_opt(optarg, 1, 1000000)) < 0)
				return sw_cli_usage("probe", "--batch must be 1 to 1000000");
			break;
		case 'c':
			if ((n = num_opt(optarg, 1, 10000)) < 0)
				return sw_cli_usage("probe", "--concurrency must be 1 to 10000");
			o->e.fetch.max_total = (size_t)n;
			break;
		case 'm':
			if ((o->e.max_sleep = num_opt(optarg, 1, 3600)) < 0)
				return sw_cli_usage("probe", "--max-sleep must be 1 to 3600 seconds");
			break;
		case 'N':
			o->e.content = 0;
			break;
		case 'C':
			o->e.cloaking = 0;
			break;
		case 'R':
			o->e.rules_dir = optarg;
			break;
		case 'k':
			if ((o->e.keep_days = num_opt(optarg, 0, 100000)) < 0)
				return sw_cli_usage("probe", "--keep-days must be 0 to 100000");
			break;
		case 'r':
			if (nres == RESOLVE_MAX)
				return sw_cli_usage("probe", "at most %d --resolve entries", RESOLVE_MAX);
			o->resolve[nres++] = optarg;
			break;
		case 'o':
			if (!*optarg || strlen(optarg) > 200)
				return sw_cli_usage("probe", "--node must be 1 to 200 characters");
			o->e.node = optarg;
			break;
		case 'l':
			if (o->e.n_labels == LABELS_MAX)
				return sw_cli_usage("probe", "at most %d --label options", LABELS_MAX);
			if (!label_ok(optarg))
				return sw_cli_usage("probe", "--label must be KEY=VALUE of a-z, 0-9, "
						    "'_', '-' (at most 60 characters)");
			o->labels[o->e.n_labels++] = optarg;
			break;
		case 'L':
			if ((o->e.lease_s = num_opt(optarg, 1, 86400)) < 0)
				return sw_cli_usage("probe", "--lease must be 1 to 86400 seconds");
			break;
		case 'w':
			if ((o->e.write_batch = num_opt(optarg, 1, 100000)) < 0)
				return sw_cli_usage("probe", "--write-batch must be 1 to 100000");
			break;
		case 'h':
			return probe_help(stdout);
		default:
			return sw_cli_bad_option("probe", argv);
		}
	}
	if (optind < argc)
		return sw_cli_usage("probe", "unexpected argument '%s'", argv[optind]);
	o->resolve[nres] = NULL;
	o->e.fetch.resolve = nres ? o->resolve : NULL;
	o->e.labels = o->labels;
	return -1;
}

int sw_cmd_probe(struct sw_cli *cli, int argc, char **argv)
{
	struct popts o = {0};
	struct sw_policy global;
	struct sw_errbuf eb;
	struct sw_store *st;
	enum sw_err rc;
	int status;

	sw_engine_opts_init(&o.e);
	if ((status = parse(argc, argv, &o)) >= 0)
		return status;
	sw__cli_evidence_env(cli->db);
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	if (o.show_site)
		return sw__probe_show(st, o.show_site);
	if (o.now_site && ((status = check_now(st, o.now_site)) != SW_EXIT_OK || !o.e.once))
		return status;
	/* One fetcher serves every site: its time-out is the global policy's
	 * (a per-site time-out needs per-fetch options in the fetcher). */
	sw_errbuf_clear(&eb);
	if ((rc = sw_reg_policy(st, 0, 0, &global, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	o.e.fetch.timeout_ms = sw_policy_int(&global, "timeout") * 1000;
	return probe_loop(st, &o);
}
