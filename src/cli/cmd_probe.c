/*
 * cmd_probe.c - `sitewarden probe`: the scheduling loop over the register.
 *
 * Each round schedules sites never seen (spread over their interval),
 * takes a batch of due sites, fetches them all on one fetcher, and for
 * each result runs the engine's checks under the site's effective policy,
 * applies the flapping rule and stores snapshot, check, findings, state
 * and next due time in one transaction.  Then it sleeps until the next
 * site is due (at most --max-sleep seconds, so newly registered sites and
 * "check now" requests are seen soon).
 *
 * Stopping (SIGINT/SIGTERM) abandons in-flight fetches through
 * sw_fetcher_stop; abandoned sites are not recorded and stay due, so the
 * next start checks them first.  Results are written as they arrive, on
 * the fetcher's thread: a check is small and SQLite or a nearby PostgreSQL
 * write it in well under a millisecond.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/fetched.h"
#include "analyze/baseline.h"
#include "cli/cli.h"
#include "cli/probe_analyze.h"
#include "cli/probe_show.h"
#include "probe/checks.h"
#include "probe/sched.h"
#include "register/register.h"

#define RESOLVE_MAX 64
#define KNOWN_MAX 16

static volatile sig_atomic_t stopping;
static struct sw_fetcher *running; /* for the signal handler */

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
	if (running)
		sw_fetcher_stop(running);
}

static int probe_help(FILE *f)
{
	fprintf(f,
		"usage: sitewarden probe [--once] [--batch N] [--concurrency N] [--max-sleep S]\n"
		"                        [--keep-days N] [--resolve HOST:PORT:ADDR]... [--ca-file PEM]\n"
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
		"  --rules DIR        analyzer rule files that replace the built-in ones\n");
	return SW_EXIT_OK;
}

/* Options of one run. */
struct popts {
	int once, content, cloaking;
	const char *rules_dir;
	long batch, max_sleep, keep_days;
	const char *now_site, *show_site;
	const char *resolve[RESOLVE_MAX + 1];
	struct sw_fetch_opts fetch;
};

/* One due site, the user pointer of its fetch; owned by the run. */
struct item {
	int64_t site_id, group_id, since;
	int fails, up;
	char *ips, *last_ips; /* may be NULL */
	struct sw_fetch_result *r[3]; /* the views by enum sw_fetch_as; owned */
	int pending;                  /* views still in flight */
};

/* State of the loop, shared with the fetcher's callback. */
struct probe {
	struct sw_store *st;
	struct sw_fetcher *f;
	const struct popts *o;
	struct sw_an_rules *rules;     /* NULL: no page analysis */
	struct sw_an_worker_limits lim;
	size_t checked, down;
	enum sw_err rc; /* the first store failure: stops the run */
	struct sw_errbuf eb;
};

static void item_free(struct item *it)
{
	if (it) {
		free(it->ips);
		free(it->last_ips);
		for (int i = 0; i < 3; i++)
			sw_fetch_result_free(it->r[i]);
		free(it);
	}
}

/* Splits a ';' or ',' list of addresses into v (at most n - 1, NULL
 * terminated), cutting s in place.  Returns v, or NULL when s is empty. */
static const char *const *split_ips(char *s, const char **v, size_t n)
{
	char *save = NULL;
	size_t k = 0;

	for (char *tok = s ? strtok_r(s, ";, ", &save) : NULL; tok && k + 1 < n;
	     tok = strtok_r(NULL, ";, ", &save))
		v[k++] = tok;
	v[k] = NULL;
	return k ? v : NULL;
}

/* Fills the check row of result r made at now. */
static void check_row(const struct sw_fetch_result *r, const struct item *it, int64_t now,
		      const char *hash, struct sw_check_row *c)
{
	memset(c, 0, sizeof *c);
	c->site_id = it->site_id;
	c->checked_at = now;
	c->status = r->status;
	c->err = (int)r->err;
	c->total_ms = r->elapsed_us / 1000;
	c->dns_ms = r->times.dns_us / 1000;
	c->connect_ms = r->times.connect_us / 1000;
	c->tls_ms = r->times.tls_us / 1000;
	c->first_byte_ms = r->times.first_byte_us / 1000;
	c->ip = r->primary_ip;
	c->http_version = r->http_version;
	c->body_hash = hash;
	c->body_size = (int64_t)r->body_len;
	if (r->tls.present && r->tls.n_certs)
		c->tls_not_after = r->tls.certs[0].not_after;
}

/* Stores snapshot, check and findings of one result in one transaction. */
static enum sw_err store_result(struct probe *p, const struct sw_fetch_result *r,
				const struct item *it, const struct sw_findings *fs,
				const struct sw_sched_verdict *v, long interval,
				struct sw_errbuf *eb)
{
	struct sw_check_finding f[64];
	struct sw_site_state s = {.up = v->up};
	char key[SW_SNAPSHOT_KEY_LEN];
	int64_t now = time(NULL);
	struct sw_check_row c;
	size_t n = fs->n < 64 ? fs->n : 64;
	enum sw_err rc;

	if ((rc = sw_store_begin(p->st, eb)))
		return rc;
	/* Only a response has a body worth keeping (an empty one included:
	 * "the page became empty" is evidence too). */
	if (r->status > 0)
		rc = sw_store_snapshot_put(p->st, r->body, r->body_len, now, key, NULL, eb);
	check_row(r, it, now, r->status > 0 ? key : NULL, &c);
	for (size_t i = 0; i < n; i++)
		f[i] = (struct sw_check_finding){fs->v[i].kind->key, sw_sev_name(fs->v[i].sev),
						 fs->v[i].title, fs->v[i].evidence};
	s.since = v->changed ? now : it->since;
	s.checked_at = now;
	s.last_status = r->status;
	s.last_err = (int)r->err;
	s.last_ms = c.total_ms;
	s.open_findings = (int64_t)n;
	if (!rc)
		rc = sw_store_check_record(p->st, &c, f, n, &s,
					   sw_sched_next_due(it->site_id, now, interval), v->fails,
					   r->primary_ip[0] ? r->primary_ip : NULL, eb);
	if (rc) {
		sw_store_rollback(p->st);
		return rc;
	}
	return sw_store_commit(p->st, eb);
}

/* Runs the page analyzers on a site's views with its register facts and
 * baseline, adding to fs.  A worker that dies is a finding, not a failure. */
static enum sw_err analyze(struct probe *p, const struct item *it, const struct sw_policy *pol,
			   struct sw_findings *fs)
{
	struct probe_facts facts;
	struct sw_baseline *base = NULL;
	enum sw_err rc;

	if ((rc = probe_facts_load(p->st, it->site_id, &facts, &p->eb)) ||
	    (rc = probe_baseline_load(p->st, it->site_id, &base, &p->eb)))
		goto out;
	rc = sw_fetched_analyze(p->rules, it->r[SW_FETCH_AS_SELF], it->r[SW_FETCH_AS_SPIDER],
				it->r[SW_FETCH_AS_SEARCH], &facts.site, base, pol, &p->lim, fs, &p->eb);
out:
	sw_baseline_free(base);
	probe_facts_free(&facts);
	return rc;
}

/* Checks one result under the site's policy and stores it. */
static enum sw_err handle(struct probe *p, const struct sw_fetch_result *r, struct item *it)
{
	const char *known[KNOWN_MAX];
	struct sw_check_ctx ctx = {.now = time(NULL)};
	struct sw_sched_verdict v;
	struct sw_findings fs;
	struct sw_policy pol;
	enum sw_err rc;

	if ((rc = sw_reg_policy(p->st, it->group_id, it->site_id, &pol, &p->eb)))
		return rc;
	/* The register's addresses when it lists any, else the last seen. */
	ctx.known_ips = split_ips(it->ips, known, KNOWN_MAX);
	if (!ctx.known_ips)
		ctx.known_ips = split_ips(it->last_ips, known, KNOWN_MAX);
	sw_findings_init(&fs);
	rc = sw_probe_checks(r, &pol, &ctx, &fs);
	if (!rc && p->rules && sw_fetched_analysable(r))
		rc = analyze(p, it, &pol, &fs);
	v = sw_sched_judge(it->fails, it->up, sw_sched_failed(r->err, r->status),
			   sw_policy_int(&pol, "fail_threshold"));
	if (!v.report)
		sw_sched_hold_back(&fs);
	if (!rc)
		rc = store_result(p, r, it, &fs, &v, sw_policy_int(&pol, "interval"), &p->eb);
	if (!rc) {
		p->checked++;
		p->down += !v.up;
		printf("site %" PRId64 " %s: %s", it->site_id, r->url, v.up ? "up" : "DOWN");
		if (r->err && r->err != SW_FETCH_ETOOLARGE)
			printf(" (%s)", sw_fetch_strerror(r->err));
		else
			printf(" HTTP %ld %" PRId64 " ms", r->status, r->elapsed_us / 1000);
		printf(", %zu finding(s)\n", fs.n);
	}
	sw_findings_cleanup(&fs);
	return rc;
}

/* The fetcher's callback: abandoned fetches are dropped (the site stays
 * due); a store failure stops the fetcher and is reported by the loop. */
static void on_result(struct sw_fetch_result *r, void *arg)
{
	struct probe *p = arg;
	struct item *it = r->user;
	struct sw_fetch_result *self;

	it->r[r->as] = r;
	if (--it->pending > 0)
		return;
	self = it->r[SW_FETCH_AS_SELF];
	if (self->err != SW_FETCH_EABORTED && !p->rc && (p->rc = handle(p, self, it)))
		sw_fetcher_stop(p->f);
	item_free(it);
}

/* Site ids and groups collected by the unscheduled walk. */
struct newsites {
	int64_t (*v)[2];
	size_t n, cap;
};

static int collect_new(void *arg, int64_t site_id, int64_t group_id)
{
	struct newsites *ns = arg;

	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? 2 * ns->cap : 256;
		int64_t(*v)[2] = realloc(ns->v, cap * sizeof *v);

		if (!v)
			return 1;
		ns->v = v;
		ns->cap = cap;
	}
	ns->v[ns->n][0] = site_id;
	ns->v[ns->n++][1] = group_id;
	return 0;
}

/* Gives every active site without a schedule its first due time (spread
 * over its interval unless `spread` is 0), in one transaction. */
static enum sw_err schedule_new(struct sw_store *st, int64_t now, int spread,
				struct sw_errbuf *eb)
{
	struct newsites ns = {0};
	struct sw_policy pol;
	enum sw_err rc;

	if ((rc = sw_store_sched_unscheduled(st, collect_new, &ns, eb)) || ns.n == 0)
		goto out;
	if ((rc = sw_store_begin(st, eb)))
		goto out;
	for (size_t i = 0; i < ns.n && !rc; i++) {
		rc = sw_reg_policy(st, ns.v[i][1], ns.v[i][0], &pol, eb);
		if (!rc)
			rc = sw_store_sched_set(
				st, ns.v[i][0],
				sw_sched_first_due(ns.v[i][0], now, sw_policy_int(&pol, "interval"),
						   spread),
				eb);
	}
	if (rc)
		sw_store_rollback(st);
	else
		rc = sw_store_commit(st, eb);
out:
	free(ns.v);
	return rc;
}

/* Queues one due site on the fetcher (sw_store_due's callback). */
static int queue_due(void *arg, const struct sw_due *d)
{
	struct probe *p = arg;
	struct item *it = calloc(1, sizeof *it);

	int views = p->rules && p->o->cloaking ? 3 : 1;

	if (it)
		it->pending = views;
	/* Once a view is queued the item belongs to the callbacks. */
	if (!it || (d->ips && !(it->ips = strdup(d->ips))) ||
	    (d->last_ips && !(it->last_ips = strdup(d->last_ips))) ||
	    sw_fetcher_add_as(p->f, d->url, it, SW_FETCH_AS_SELF)) {
		item_free(it);
		p->rc = sw_errf(&p->eb, SW_ENOMEM, "out of memory queueing site %" PRId64, d->site_id);
		return 1;
	}
	/* A view that cannot be queued (memory) is skipped: the callbacks run
	 * only inside sw_fetcher_run, so the count can still be lowered. */
	if (views == 3 && sw_fetcher_add_as(p->f, d->url, it, SW_FETCH_AS_SPIDER))
		it->pending--;
	if (views == 3 && sw_fetcher_add_as(p->f, d->url, it, SW_FETCH_AS_SEARCH))
		it->pending--;
	it->site_id = d->site_id;
	it->group_id = d->group_id;
	it->fails = d->fails;
	it->up = d->up;
	it->since = d->since;
	return 0;
}

/* One round: new sites scheduled, up to o->batch due sites checked.
 * *n gets how many were taken. */
static enum sw_err round_once(struct probe *p, const struct popts *o, int64_t now, size_t *n)
{
	size_t before;
	enum sw_err rc;
	struct sw_fetch_stats fst;

	if ((rc = schedule_new(p->st, now, !o->once, &p->eb)))
		return rc;
	sw_fetcher_stats(p->f, &fst);
	before = (size_t)fst.added;
	if ((rc = sw_store_due(p->st, now, o->batch, queue_due, p, &p->eb)) || p->rc) {
		/* Drain what was queued so every item is freed by its callback. */
		sw_fetcher_stop(p->f);
		sw_fetcher_run(p->f, on_result, p, NULL);
		return rc ? rc : p->rc;
	}
	sw_fetcher_stats(p->f, &fst);
	*n = (size_t)fst.added - before;
	if (*n && (rc = sw_fetcher_run(p->f, on_result, p, &p->eb)))
		return rc;
	return p->rc;
}

/* Sleeps until the next site is due, at most max_sleep seconds; a signal
 * cuts it short. */
static void sleep_until_due(struct sw_store *st, long max_sleep)
{
	int64_t next, wait = max_sleep, now = time(NULL);
	struct timespec ts;

	if (sw_store_sched_next(st, &next, NULL) == SW_OK && next - now < wait)
		wait = next - now;
	if (wait < 1)
		wait = 1;
	ts.tv_sec = (time_t)wait;
	ts.tv_nsec = 0;
	while (!stopping && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Deletes history older than keep_days, at most once an hour (*last is
 * when it last ran).  A failure is reported and the loop goes on: monitoring
 * matters more than tidiness. */
static void retention(struct sw_store *st, long keep_days, int64_t now, int64_t *last)
{
	int64_t nc = 0, ns = 0;
	struct sw_errbuf eb;

	if (keep_days <= 0 || now - *last < 3600)
		return;
	*last = now;
	sw_errbuf_clear(&eb);
	if (sw_store_history_prune(st, now - (int64_t)keep_days * 86400, &nc, &ns, &eb))
		fprintf(stderr, "probe: retention failed: %s\n", eb.msg);
	else if (nc || ns)
		fprintf(stderr, "probe: deleted %" PRId64 " check(s) and %" PRId64
			" snapshot(s) older than %ld day(s)\n", nc, ns, keep_days);
}

/* The loop: rounds until stopped, or until nothing is due with --once. */
static int probe_loop(struct sw_store *st, struct popts *o)
{
	struct probe p = {.st = st, .o = o};
	int64_t t0 = time(NULL), pruned = 0;
	struct sigaction sa = {.sa_handler = on_signal};
	enum sw_err rc;
	size_t n = 0;

	sw_errbuf_clear(&p.eb);
	sw_an_worker_limits_init(&p.lim);
	if (!o->rules_dir)
		o->rules_dir = getenv("SITEWARDEN_RULES");
	if (o->content && (rc = sw_an_rules_load(o->rules_dir, &p.rules, &p.eb)))
		return sw_cli_fail_eb(rc, &p.eb);
	sw_cli_heap_for_fetching();
	if ((rc = sw_fetcher_new(&o->fetch, &p.f, &p.eb))) {
		sw_an_rules_free(p.rules);
		return sw_cli_fail_eb(rc, &p.eb);
	}
	running = p.f;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stopping) {
		/* --once: everything due at the start, also when a round is slow;
		 * checked sites are due again after t0, so this ends. */
		n = 0;
		retention(st, o->keep_days, time(NULL), &pruned);
		if ((rc = round_once(&p, o, o->once ? t0 : time(NULL), &n)))
			break;
		fflush(stdout);
		if (n == 0 && o->once)
			break;
		if (n == 0)
			sleep_until_due(st, o->max_sleep);
	}
	running = NULL;
	sw_fetcher_free(p.f);
	sw_an_rules_free(p.rules);
	fprintf(stderr, "probe: %zu check(s) stored, %zu site(s) down%s\n", p.checked, p.down,
		stopping ? " (stopped)" : "");
	return rc ? sw_cli_fail_eb(rc, &p.eb) : SW_EXIT_OK;
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
		{"help", no_argument, NULL, 'h'},	      {NULL, 0, NULL, 0},
	};
	size_t nres = 0;
	long n;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case '1':
			o->once = 1;
			break;
		case 'n':
			o->now_site = optarg;
			break;
		case 's':
			o->show_site = optarg;
			break;
		case 'a':
			o->fetch.ca_file = optarg;
			break;
		case 'b':
			if ((o->batch = num_opt(optarg, 1, 1000000)) < 0)
				return sw_cli_usage("probe", "--batch must be 1 to 1000000");
			break;
		case 'c':
			if ((n = num_opt(optarg, 1, 10000)) < 0)
				return sw_cli_usage("probe", "--concurrency must be 1 to 10000");
			o->fetch.max_total = (size_t)n;
			break;
		case 'm':
			if ((o->max_sleep = num_opt(optarg, 1, 3600)) < 0)
				return sw_cli_usage("probe", "--max-sleep must be 1 to 3600 seconds");
			break;
		case 'N':
			o->content = 0;
			break;
		case 'C':
			o->cloaking = 0;
			break;
		case 'R':
			o->rules_dir = optarg;
			break;
		case 'k':
			if ((o->keep_days = num_opt(optarg, 0, 100000)) < 0)
				return sw_cli_usage("probe", "--keep-days must be 0 to 100000");
			break;
		case 'r':
			if (nres == RESOLVE_MAX)
				return sw_cli_usage("probe", "at most %d --resolve entries", RESOLVE_MAX);
			o->resolve[nres++] = optarg;
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
	o->fetch.resolve = nres ? o->resolve : NULL;
	return -1;
}

int sw_cmd_probe(struct sw_cli *cli, int argc, char **argv)
{
	struct popts o = {.batch = 1000, .max_sleep = 10, .keep_days = 30, .content = 1,
			  .cloaking = 1};
	struct sw_policy global;
	struct sw_errbuf eb;
	struct sw_store *st;
	enum sw_err rc;
	int status;

	sw_fetch_opts_init(&o.fetch);
	if ((status = parse(argc, argv, &o)) >= 0)
		return status;
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	if (o.show_site)
		return sw__probe_show(st, o.show_site);
	if (o.now_site && ((status = check_now(st, o.now_site)) != SW_EXIT_OK || !o.once))
		return status;
	/* One fetcher serves every site: its time-out is the global policy's
	 * (a per-site time-out needs per-fetch options in the fetcher). */
	sw_errbuf_clear(&eb);
	if ((rc = sw_reg_policy(st, 0, 0, &global, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	o.fetch.timeout_ms = sw_policy_int(&global, "timeout") * 1000;
	return probe_loop(st, &o);
}
