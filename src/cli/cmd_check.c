/*
 * cmd_check.c - `sitewarden check URL... | --from FILE`: a one-off look at
 * sites from outside, printing what the prober's own checks find.  It is
 * also the pre-launch gate (上线前安全检测): the exit status is 1 when any
 * finding is high or critical.
 *
 * The checks use the built-in policy (no database is opened).  Each home
 * page is fetched three ways (as ourselves, as Baiduspider, as a visitor
 * from a Baidu results page) and analysed by every page analyzer in a
 * sandboxed worker, the two other views serving the cloaking checks.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analyze/fetched.h"
#include "probe/exposure_paths.h"
#include "cli/cli.h"
#include "model/validate.h"
#include "probe/checks.h"
#include "compliance/compliance.h"

#define RESOLVE_MAX 64

static struct sw_fetcher *running; /* for the signal handler */

static void on_signal(int sig)
{
	(void)sig;
	if (running)
		sw_fetcher_stop(running);
}

static int check_help(FILE *f)
{
	fprintf(f,
		"usage: sitewarden check [--json] [--concurrency N] [--resolve HOST:PORT:ADDR]...\n"
		"                        [--ca-file PEM] [--no-content] [--exposure] [--rules DIR]\n"
		"                        [--from FILE] [URL ...]\n"
		"       sitewarden check --offline PAGE... (see sitewarden check --offline --help)\n"
		"\nFetches each home page and reports availability, TLS, DNS and redirect findings\n"
		"under the built-in policy (see `sitewarden policy show`), and what the page\n"
		"analyzers find in it (dark links, trojans, sensitive content, compliance marks,\n"
		"exposure; cloaking from two more fetches as a search spider and as a search\n"
		"visitor).  Exit status 1 when any finding is high or critical: the pre-launch gate.\n"
		"  --no-content       engine checks only: one fetch, no page analysis\n"
		"  --exposure         also look for exposed files (/.git, /.env, backups, phpinfo\n"
		"                     ...), directory listings, server banners and missing headers\n"
		"  --rules DIR        analyzer rule files that replace the built-in ones\n"
		"  --from FILE        URLs one per line ('-' for standard input; # comments)\n"
		"  --concurrency N    fetches in flight at once (default 256)\n"
		"  --resolve H:P:A    connect to address A for host H and port P (as curl)\n"
		"  --ca-file PEM      trust these CAs for the verdict instead of the system's\n"
		"  --json             one JSON array of results on standard output\n"
		"  --record           store pass/fail of each register site (by host) for the\n"
		"                     pre-launch gate: `site edit S --status online` needs one\n");
	return SW_EXIT_OK;
}

/* URLs to check, canonicalised; owned. */
struct urls {
	char **v;
	size_t n, cap;
};

/* Validates and appends one URL; prints and returns 2 when it is bad. */
static int urls_add(struct urls *u, const char *in, const char *where)
{
	char url[SW_URL_MAX], host[SW_DOMAIN_MAX];
	struct sw_errbuf eb;

	sw_errbuf_clear(&eb);
	if (sw_valid_url(in, url, sizeof url, host, sizeof host, NULL, &eb))
		return sw_cli_usage("check", "%s'%s': %s", where, in, eb.msg);
	if (u->n == u->cap) {
		size_t cap = u->cap ? 2 * u->cap : 64;
		char **v = realloc(u->v, cap * sizeof *v);

		if (!v)
			return sw_cli_fail("out of memory");
		u->v = v;
		u->cap = cap;
	}
	if (!(u->v[u->n] = strdup(url)))
		return sw_cli_fail("out of memory");
	u->n++;
	return SW_EXIT_OK;
}

/* Reads URLs one per line from path ("-": stdin). */
static int urls_read(struct urls *u, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char line[SW_URL_MAX + 64], where[64];
	size_t no = 0;
	int status = SW_EXIT_OK;

	if (!f)
		return sw_cli_fail("cannot open %s: %s", path, strerror(errno));
	while (status == SW_EXIT_OK && fgets(line, sizeof line, f)) {
		char *s = line + strspn(line, " \t");

		no++;
		s[strcspn(s, "\r\n")] = '\0';
		if (*s == '\0' || *s == '#')
			continue;
		snprintf(where, sizeof where, "line %zu: ", no);
		status = urls_add(u, s, where);
	}
	if (f != stdin)
		fclose(f);
	return status;
}

/*
 * Everything fetched for one URL until all of it has arrived: the three
 * views (slots 0-2, by enum sw_fetch_as) and, with --exposure, the answer
 * for a path that cannot exist (the site's soft 404) and for each path of
 * the exposure probe (probe/exposure_paths.h).
 */
#define SLOT_SOFT404 3
#define SLOT_PATHS 4
#define SLOTS_MAX (SLOT_PATHS + 32)

struct target;
struct slot {
	struct target *t;
	int i;
};

struct target {
	struct sw_fetch_result *r[SLOTS_MAX];
	struct slot slot[SLOTS_MAX]; /* the fetches' user pointers */
	int pending;
};

/* Everything the result callback needs. */
struct run {
	struct sw_policy pol;
	int json, progress, content, exposure, record;
	const char *rules_dir;
	struct sw_an_rules *rules;
	struct sw_an_worker_limits lim;
	size_t total, done, by_sev[SW_SEV_CRITICAL + 1], nfindings;
	int worst;
	json_t *out;
	/* --json: each target's result, kept at its index so the output
	 * follows the input order whatever order the fetches end in. */
	json_t **results;
	struct target *targets;
	struct sw_fetcher *f;
	struct sw_store *st; /* --record: where pass/fail of register sites goes */
};

/* JSON of one result and its findings. */
static json_t *result_json(const struct sw_fetch_result *r, const struct sw_findings *fs)
{
	json_t *o = json_pack("{s:s, s:s?, s:i, s:s, s:I, s:i, s:s?}", "url", r->url, "final_url",
			      r->final_url, "status", (int)r->status, "ip", r->primary_ip,
			      "elapsed_ms", (json_int_t)(r->elapsed_us / 1000), "http_version",
			      r->http_version, "error", r->err ? r->errmsg : NULL);
	json_t *arr = json_array();

	if (r->tls.present && r->tls.n_certs)
		json_object_set_new(o, "tls", json_pack("{s:s, s:b, s:b, s:I}", "version", r->tls.version,
							"verified", r->tls.verified, "name_match",
							r->tls.name_match, "not_after",
							(json_int_t)r->tls.certs[0].not_after));
	for (size_t i = 0; i < fs->n; i++)
		json_array_append_new(arr, sw_cli_finding_json(fs->v[i].kind->key,
							       sw_sev_name(fs->v[i].sev),
							       fs->v[i].title, fs->v[i].evidence));
	json_object_set_new(o, "findings", arr);
	return o;
}

/* Prints one result as text: the URL line, then a line per finding. */
static void result_print(const struct sw_fetch_result *r, const struct sw_findings *fs)
{
	if (r->err && r->err != SW_FETCH_ETOOLARGE)
		printf("%s  %s\n", r->url, sw_fetch_strerror(r->err));
	else
		printf("%s  HTTP %ld  %" PRId64 " ms  %s%s\n", r->url, r->status, r->elapsed_us / 1000,
		       r->primary_ip, r->tls.present ? "  TLS" : "");
	for (size_t i = 0; i < fs->n; i++)
		printf("  [%s] %s: %s\n", sw_sev_name(fs->v[i].sev), fs->v[i].kind->key,
		       fs->v[i].title);
}

/* Called by the fetcher for every fetch; a URL is done when its views are. */
/* The exposure probe's verdicts for t, added to fs. */
static enum sw_err exposure(const struct target *t, struct sw_findings *fs)
{
	struct sw_exposure_resp resp[SLOTS_MAX - SLOT_PATHS], soft;
	const struct sw_fetch_result *self = t->r[SW_FETCH_AS_SELF], *s4 = t->r[SLOT_SOFT404];
	char base[SW_URL_MAX];
	const char *p;
	size_t n;

	sw_exposure_paths(&n);
	for (size_t k = 0; k < n; k++) {
		const struct sw_fetch_result *r = t->r[SLOT_PATHS + k];

		resp[k] = (struct sw_exposure_resp){r ? r->status : 0, r ? (const char *)r->body : NULL,
						    r ? r->body_len : 0};
	}
	soft = (struct sw_exposure_resp){s4 ? s4->status : 0, s4 ? (const char *)s4->body : NULL,
					 s4 ? s4->body_len : 0};
	/* scheme://host[:port] of the URL checked */
	p = strstr(self->url, "://");
	snprintf(base, sizeof base, "%.*s", p ? (int)(strcspn(p + 3, "/?#") + (size_t)(p + 3 - self->url))
					      : (int)strlen(self->url), self->url);
	return sw_exposure_judge(base, resp, n, &soft, fs);
}

/* --record: stores the pre-launch gate's verdict (no high or critical
 * finding) for the register site of r's host (compliance/gate.c). */
static void record(struct run *run, const struct sw_fetch_result *r, const struct sw_findings *fs)
{
	int worst = sw_findings_max_sev(fs);
	struct sw_errbuf eb;
	int64_t site;

	sw_errbuf_clear(&eb);
	if (sw_compliance_gate_record(run->st, r->url, worst < SW_SEV_HIGH,
				      worst >= 0 ? sw_sev_name((enum sw_sev)worst) : NULL,
				      (int64_t)fs->n, sw_compliance_now(), &site, &eb))
		fprintf(stderr, "sitewarden: %s: not recorded: %s\n", r->url, eb.msg);
	else if (!site)
		fprintf(stderr, "sitewarden: %s: not recorded: no register site has this host\n",
			r->url);
}

static void on_result(struct sw_fetch_result *res, void *arg)
{
	struct run *run = arg;
	struct slot *sl = res->user;
	struct target *t = sl->t;
	struct sw_check_ctx ctx = {.now = time(NULL)};
	struct sw_findings fs;
	struct sw_fetch_result *r;

	t->r[sl->i] = res;
	/* The spider's and the search visitor's views follow the site's own
	 * one after the other on its connection (one TLS handshake for the
	 * three), and only for a page worth analysing. */
	if (run->content && sl->i < SW_FETCH_AS_SEARCH) {
		int next = sl->i + 1;

		if (res->err == SW_FETCH_EABORTED || !sw_fetched_analysable(t->r[SW_FETCH_AS_SELF]) ||
		    sw_fetcher_add_ex(run->f, res->url, &t->slot[next], (enum sw_fetch_as)next,
				      SW_FETCH_F_NEXT | (next < SW_FETCH_AS_SEARCH ? SW_FETCH_F_KEEP : 0)))
			t->pending -= SW_FETCH_AS_SEARCH - sl->i; /* the views not asked for */
	}
	if (--t->pending > 0)
		return;
	r = t->r[SW_FETCH_AS_SELF];
	sw_findings_init(&fs);
	if (sw_probe_checks(r, &run->pol, &ctx, &fs) != SW_OK)
		sw_fetcher_stop(run->f);
	if (run->content && sw_fetched_analysable(r)) {
		struct sw_errbuf eb;

		sw_errbuf_clear(&eb);
		if (sw_fetched_analyze(run->rules, r, t->r[SW_FETCH_AS_SPIDER], t->r[SW_FETCH_AS_SEARCH],
				       NULL, NULL, &run->pol, &run->lim, &fs, NULL, &eb) != SW_OK) {
			fprintf(stderr, "sitewarden: %s: %s\n", r->url, eb.msg);
			sw_fetcher_stop(run->f);
		}
	}
	if (run->exposure && r->status > 0 && exposure(t, &fs) != SW_OK)
		sw_fetcher_stop(run->f);
	for (size_t i = 0; i < fs.n; i++) {
		run->by_sev[fs.v[i].sev]++;
		if ((int)fs.v[i].sev > run->worst)
			run->worst = (int)fs.v[i].sev;
	}
	run->nfindings += fs.n;
	run->done++;
	if (run->st)
		record(run, r, &fs);
	if (run->json)
		run->results[t - run->targets] = result_json(r, &fs);
	else
		result_print(r, &fs);
	if (run->progress)
		fprintf(stderr, "\r%zu/%zu checked", run->done, run->total);
	sw_findings_cleanup(&fs);
	for (int i = 0; i < SLOTS_MAX; i++) {
		sw_fetch_result_free(t->r[i]);
		t->r[i] = NULL;
	}
}

/* Queues what is fetched for url into t (see struct target). */
static enum sw_err queue_target(struct run *run, struct target *t, const char *url)
{
	const struct sw_exposure_path *paths;
	char base[SW_URL_MAX], u[SW_URL_MAX + 64];
	size_t n = 0, blen;
	const char *p;
	enum sw_err rc;

	for (int i = 0; i < SLOTS_MAX; i++)
		t->slot[i] = (struct slot){t, i};
	paths = sw_exposure_paths(&n);
	t->pending = 1 + (run->content ? 2 : 0) + (run->exposure ? 1 + (int)n : 0);
	/* The other views are queued when this one is done (on_result). */
	if ((rc = sw_fetcher_add_ex(run->f, url, &t->slot[SW_FETCH_AS_SELF], SW_FETCH_AS_SELF,
				    run->content ? SW_FETCH_F_KEEP : 0)))
		return rc;
	if (!run->exposure)
		return SW_OK;
	p = strstr(url, "://");
	blen = p ? strcspn(p + 3, "/?#") + (size_t)(p + 3 - url) : strlen(url);
	snprintf(base, sizeof base, "%.*s", (int)blen, url);
	/* A path no site has: what the server says for "nothing here". */
	snprintf(u, sizeof u, "%s/sitewarden-no-such-file-%08x.txt", base, (unsigned)rand());
	if ((rc = sw_fetcher_add(run->f, u, &t->slot[SLOT_SOFT404])))
		return rc;
	for (size_t k = 0; k < n; k++) {
		snprintf(u, sizeof u, "%s%s", base, paths[k].path);
		if ((rc = sw_fetcher_add(run->f, u, &t->slot[SLOT_PATHS + k])))
			return rc;
	}
	return SW_OK;
}

/* Prints the closing summary line. */
static void summary(const struct run *run, double secs, FILE *f)
{
	fprintf(f,
		"checked %zu URL(s) in %.2f s (%.1f checks/s): %zu finding(s): %zu critical, "
		"%zu high, %zu medium, %zu low, %zu info\n",
		run->done, secs, secs > 0 ? (double)run->done / secs : 0.0, run->nfindings,
		run->by_sev[SW_SEV_CRITICAL], run->by_sev[SW_SEV_HIGH], run->by_sev[SW_SEV_MEDIUM],
		run->by_sev[SW_SEV_LOW], run->by_sev[SW_SEV_INFO]);
}

/* Parses the options into opts/urls/run; returns an exit status or -1. */
static int parse(int argc, char **argv, struct sw_fetch_opts *opts, const char **resolve,
		 struct urls *u, struct run *run)
{
	static const struct option o[] = {
		{"json", no_argument, NULL, 'j'},	 {"from", required_argument, NULL, 'f'},
		{"concurrency", required_argument, NULL, 'c'},
		{"resolve", required_argument, NULL, 'r'}, {"ca-file", required_argument, NULL, 'a'},
		{"no-content", no_argument, NULL, 'n'},	 {"rules", required_argument, NULL, 'R'},
		{"exposure", no_argument, NULL, 'x'},	 {"record", no_argument, NULL, 'E'},
		{"help", no_argument, NULL, 'h'},	 {NULL, 0, NULL, 0},
	};
	size_t nres = 0;
	int c, status;
	char *end;
	long n;

	while ((c = getopt_long(argc, argv, "jh", o, NULL)) != -1) {
		switch (c) {
		case 'j':
			run->json = 1;
			break;
		case 'f':
			if ((status = urls_read(u, optarg)) != SW_EXIT_OK)
				return status;
			break;
		case 'c':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 10000)
				return sw_cli_usage("check", "--concurrency must be 1 to 10000");
			opts->max_total = (size_t)n;
			break;
		case 'r':
			if (nres == RESOLVE_MAX)
				return sw_cli_usage("check", "at most %d --resolve entries", RESOLVE_MAX);
			resolve[nres++] = optarg;
			break;
		case 'a':
			opts->ca_file = optarg;
			break;
		case 'n':
			run->content = 0;
			break;
		case 'R':
			run->rules_dir = optarg;
			break;
		case 'x':
			/* Opt-in: the paths probe and the exposure family of the
			 * analyzers (headers, listings, phpinfo, mixed content). */
			run->exposure = 1;
			sw_policy_overlay(&run->pol, SW_SCOPE_GLOBAL, "checks", "all");
			break;
		case 'E':
			run->record = 1;
			break;
		case 'h':
			return check_help(stdout);
		default:
			return sw_cli_bad_option("check", argv);
		}
	}
	for (int i = optind; i < argc; i++)
		if ((status = urls_add(u, argv[i], "")) != SW_EXIT_OK)
			return status;
	if (u->n == 0)
		return sw_cli_usage("check", "no URL given");
	resolve[nres] = NULL;
	opts->resolve = nres ? resolve : NULL;
	return -1;
}

int sw_cmd_check(struct sw_cli *cli, int argc, char **argv)
{
	const char *resolve[RESOLVE_MAX + 1];
	struct sw_fetch_opts opts;
	struct run run = {.worst = -1, .content = 1};
	struct target *targets = NULL;
	struct urls u = {0};
	struct sw_errbuf eb;
	struct timespec t0, t1;
	enum sw_err rc;
	int status;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--offline") == 0)
			return sw_cmd_check_offline(cli, argc, argv);
	sw_fetch_opts_init(&opts);
	sw_policy_defaults(&run.pol);
	opts.timeout_ms = sw_policy_int(&run.pol, "timeout") * 1000;
	if ((status = parse(argc, argv, &opts, resolve, &u, &run)) >= 0)
		goto out;
	sw_errbuf_clear(&eb);
	if (run.record && !(run.st = sw_cli_store(cli))) {
		status = SW_EXIT_FAIL;
		goto out;
	}
	sw_an_worker_limits_init(&run.lim);
	if (!run.rules_dir)
		run.rules_dir = getenv("SITEWARDEN_RULES");
	if (run.content && (rc = sw_an_rules_load(run.rules_dir, &run.rules, &eb))) {
		status = sw_cli_fail_eb(rc, &eb);
		goto out;
	}
	sw_cli_heap_for_fetching();
	if (!(targets = calloc(u.n, sizeof *targets))) {
		status = sw_cli_fail("out of memory");
		goto out;
	}
	if ((rc = sw_fetcher_new(&opts, &run.f, &eb))) {
		status = sw_cli_fail_eb(rc, &eb);
		goto out;
	}
	if (run.json && !(run.results = calloc(u.n, sizeof *run.results))) {
		status = sw_cli_fail("out of memory");
		goto out;
	}
	run.targets = targets;
	for (size_t i = 0; i < u.n && !rc; i++)
		rc = queue_target(&run, &targets[i], u.v[i]);
	run.total = u.n;
	run.progress = isatty(STDERR_FILENO) && u.n > 20;
	run.out = run.json ? json_array() : NULL;
	running = run.f;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!rc)
		rc = sw_fetcher_run(run.f, on_result, &run, &eb);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	running = NULL;
	if (run.progress)
		fputc('\n', stderr);
	if (run.json) {
		/* In input order; a stopped run leaves out what it did not check. */
		for (size_t i = 0; i < u.n; i++)
			if (run.results[i])
				json_array_append_new(run.out, run.results[i]);
		free(run.results);
		run.results = NULL;
		sw_cli_print_json(run.out);
	}
	summary(&run, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		run.json ? stderr : stdout);
	if (rc)
		status = sw_cli_fail_eb(rc, &eb);
	else
		status = run.worst >= SW_SEV_HIGH ? SW_EXIT_FAIL : SW_EXIT_OK;
	sw_fetcher_free(run.f);
out:
	sw_an_rules_free(run.rules);
	for (size_t i = 0; run.results && i < u.n; i++)
		json_decref(run.results[i]);
	free(run.results);
	free(targets);
	for (size_t i = 0; i < u.n; i++)
		free(u.v[i]);
	free(u.v);
	return status;
}
