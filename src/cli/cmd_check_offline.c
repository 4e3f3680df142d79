/*
 * cmd_check_offline.c - `sitewarden check --offline PAGE...`: every page
 * analyzer on saved files, with the same findings and output as a live
 * check.  Used to look at a page a user saved, to test rules, and by the
 * corpus scorer.
 *
 * Files are read as bytes and go through the prober's charset path
 * (BOM, --charset, <meta>, else UTF-8 when valid, else GB18030), then
 * through the sandboxed analysis worker, exactly as fetched pages do.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyze/analyze.h"
#include "analyze/worker.h"
#include "cli/cli.h"
#include "probe/fetch.h"

#define FILE_MAX (64u << 20) /* the analyzers look at 8 MiB at most anyway */
#define BASELINES_MAX 16

static int offline_help(FILE *f)
{
	fprintf(f,
		"usage: sitewarden check --offline PAGE... [--url URL] [--charset X]\n"
		"                        [--baseline FILE]... [--as-spider FILE] [--from-search FILE]\n"
		"                        [--headers FILE] [--icp N] [--psb N] [--site-code N] [--org NAME]\n"
		"                        [--gov | --not-gov] [--rules DIR] [--no-sandbox] [--json]\n"
		"\nRuns every page analyzer (dark links, trojans, defacement, sensitive content,\n"
		"compliance marks, exposure) on saved pages.  Exit status 1 when a finding is\n"
		"high or critical.\n"
		"  --url URL          where the page was fetched from (same-site decisions, .gov.cn)\n"
		"  --charset X        the page's charset when it does not say (gbk, big5 ...)\n"
		"  --baseline FILE    an earlier version of the page; repeat to learn what changes\n"
		"  --as-spider FILE   the page as fetched by a search-engine spider (cloaking)\n"
		"  --from-search FILE the page as fetched with a search-engine Referer (cloaking)\n"
		"  --headers FILE     the raw response headers (exposure checks)\n"
		"  --icp, --psb, --site-code, --org   what the register says (mismatch checks)\n"
		"  --gov, --not-gov   whether it is a government site (default: from the URL)\n"
		"  --rules DIR        rule files that replace the built-in ones (see rules/)\n"
		"  --no-sandbox       analyse in this process (debugging)\n"
		"  --json             one JSON array of results on standard output\n");
	return SW_EXIT_OK;
}

/* A file read whole; owned. */
struct file {
	char *data;
	size_t len;
};

static int read_file(const char *path, struct file *f)
{
	return sw_cli_read_file(path, FILE_MAX, &f->data, &f->len);
}

/* A page made ready for analysis: the fetch-shaped result and its text. */
struct page {
	struct sw_fetch_result *r;
	char *text;
	size_t text_len;
	struct sw_an_page pg;
};

static int page_load(const char *path, const char *url, const char *charset, struct page *p)
{
	struct file f = {0};
	char ctype[96];
	const char *cs;
	int status;

	memset(p, 0, sizeof *p);
	if ((status = read_file(path, &f)) != SW_EXIT_OK) {
		free(f.data);
		return status;
	}
	if (charset)
		snprintf(ctype, sizeof ctype, "text/html; charset=%s", charset);
	if (sw_fetch_result_from_body(url, f.data, f.len, charset ? ctype : NULL, &p->r) ||
	    sw_fetch_body_utf8(p->r, &p->text, &p->text_len)) {
		free(f.data);
		return sw_cli_fail("out of memory");
	}
	free(f.data);
	cs = sw_fetch_body_charset(p->r);
	p->pg.url = url;
	p->pg.raw = (const char *)p->r->body;
	p->pg.raw_len = p->r->body_len;
	p->pg.text = p->text;
	p->pg.text_len = p->text_len;
	/* Evidence offsets map back to raw bytes unless they are the text. */
	p->pg.charset = strcmp(cs, "UTF-8") ? cs : NULL;
	p->pg.status = 200;
	return SW_EXIT_OK;
}

static void page_free(struct page *p)
{
	sw_fetch_result_free(p->r);
	free(p->text);
	memset(p, 0, sizeof *p);
}

struct opts {
	const char *url, *charset, *spider, *search, *headers, *rules;
	const char *baseline[BASELINES_MAX];
	size_t nbase;
	struct sw_an_site site;
	int json, sandbox;
};

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{"offline", no_argument, NULL, 'O'},	    {"json", no_argument, NULL, 'j'},
		{"url", required_argument, NULL, 'u'},	    {"charset", required_argument, NULL, 'c'},
		{"baseline", required_argument, NULL, 'b'}, {"as-spider", required_argument, NULL, 's'},
		{"from-search", required_argument, NULL, 'S'},
		{"headers", required_argument, NULL, 'H'},  {"rules", required_argument, NULL, 'r'},
		{"icp", required_argument, NULL, 'i'},	    {"psb", required_argument, NULL, 'p'},
		{"site-code", required_argument, NULL, 'C'}, {"org", required_argument, NULL, 'o'},
		{"gov", no_argument, NULL, 'g'},	    {"not-gov", no_argument, NULL, 'G'},
		{"no-sandbox", no_argument, NULL, 'N'},	    {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	o->site.gov = -1;
	o->sandbox = 1;
	o->rules = getenv("SITEWARDEN_RULES");
	optind = 0; /* re-initialise getopt: main parsed the global options */
	while ((c = getopt_long(argc, argv, "jh", lo, NULL)) != -1) {
		switch (c) {
		case 'O':
			break;
		case 'j':
			o->json = 1;
			break;
		case 'u':
			o->url = optarg;
			break;
		case 'c':
			o->charset = optarg;
			break;
		case 'b':
			if (o->nbase == BASELINES_MAX)
				return sw_cli_usage("check", "at most %d --baseline files", BASELINES_MAX);
			o->baseline[o->nbase++] = optarg;
			break;
		case 's':
			o->spider = optarg;
			break;
		case 'S':
			o->search = optarg;
			break;
		case 'H':
			o->headers = optarg;
			break;
		case 'r':
			o->rules = optarg;
			break;
		case 'i':
			o->site.icp = optarg;
			break;
		case 'p':
			o->site.psb = optarg;
			break;
		case 'C':
			o->site.site_code = optarg;
			break;
		case 'o':
			o->site.org = optarg;
			break;
		case 'g':
			o->site.gov = 1;
			break;
		case 'G':
			o->site.gov = 0;
			break;
		case 'N':
			o->sandbox = 0;
			break;
		case 'h':
			return offline_help(stdout);
		default:
			return sw_cli_bad_option("check", argv);
		}
	}
	if (optind >= argc)
		return sw_cli_usage("check", "--offline needs at least one PAGE file");
	if (o->charset && strspn(o->charset, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") !=
				  strlen(o->charset))
		return sw_cli_usage("check", "--charset '%s' is not a charset name", o->charset);
	return -1;
}

/* Prints one page's findings as text. */
static void print_text(const char *file, const struct sw_findings *fs)
{
	printf("%s  %zu finding(s)\n", file, fs->n);
	for (size_t i = 0; i < fs->n; i++) {
		json_t *ev = fs->v[i].evidence ? json_loads(fs->v[i].evidence, 0, NULL) : NULL;
		const char *tech = json_string_value(json_object_get(ev, "technique"));
		json_t *off = json_object_get(ev, "offset");

		printf("  [%s] %s: %s", sw_sev_name(fs->v[i].sev), fs->v[i].kind->key, fs->v[i].title);
		if (tech || off) {
			printf(" (");
			if (tech)
				printf("%s%s", tech, off ? ", " : "");
			if (off)
				printf("byte %lld", (long long)json_integer_value(off));
			printf(")");
		}
		printf("\n");
		json_decref(ev);
	}
}

/* Analyses one file; appends its JSON result to out (when JSON). */
static int one(const struct opts *o, const struct sw_an_rules *rules, const char *file,
	       json_t *out, int *worst)
{
	struct page p, spider = {0}, search = {0}, base[BASELINES_MAX];
	struct sw_an_page base_pg[BASELINES_MAX];
	size_t nbase = 0;
	struct file headers = {0};
	struct sw_an_input in;
	struct sw_an_worker_limits lim;
	struct sw_findings fs;
	struct sw_errbuf eb;
	int status;

	sw_findings_init(&fs);
	sw_an_input_init(&in);
	sw_an_worker_limits_init(&lim);
	lim.sandbox = o->sandbox;
	if ((status = page_load(file, o->url, o->charset, &p)) != SW_EXIT_OK)
		return status;
	if (o->spider && (status = page_load(o->spider, o->url, o->charset, &spider)) != SW_EXIT_OK)
		goto out;
	if (o->search && (status = page_load(o->search, o->url, o->charset, &search)) != SW_EXIT_OK)
		goto out;
	memset(base, 0, sizeof base);
	for (; nbase < o->nbase; nbase++) {
		if ((status = page_load(o->baseline[nbase], o->url, o->charset, &base[nbase])) !=
		    SW_EXIT_OK)
			goto out;
		base_pg[nbase] = base[nbase].pg;
	}
	if (o->headers) {
		if ((status = read_file(o->headers, &headers)) != SW_EXIT_OK)
			goto out;
		p.pg.headers = headers.data;
		p.pg.headers_len = headers.len;
	}
	in.page = &p.pg;
	in.as_spider = o->spider ? &spider.pg : NULL;
	in.from_search = o->search ? &search.pg : NULL;
	in.site = &o->site;
	in.base_pages = nbase ? base_pg : NULL;
	in.n_base_pages = nbase;
	sw_errbuf_clear(&eb);
	if (sw_an_worker_analyze(rules, &in, &lim, &fs, &eb) != SW_OK) {
		status = sw_cli_fail("%s: %s", file, eb.msg);
		goto out;
	}
	for (size_t i = 0; i < fs.n; i++)
		if ((int)fs.v[i].sev > *worst)
			*worst = (int)fs.v[i].sev;
	if (out) {
		json_t *arr = json_array();

		for (size_t i = 0; i < fs.n; i++)
			json_array_append_new(arr, sw_cli_finding_json(fs.v[i].kind->key,
								       sw_sev_name(fs.v[i].sev),
								       fs.v[i].title, fs.v[i].evidence));
		json_array_append_new(out, json_pack("{s:s, s:s?, s:s, s:I, s:o}", "file", file, "url",
						     o->url, "charset",
						     p.pg.charset ? p.pg.charset : "UTF-8", "bytes",
						     (json_int_t)p.pg.raw_len, "findings", arr));
	} else {
		print_text(file, &fs);
	}
out:
	sw_findings_cleanup(&fs);
	free(headers.data);
	page_free(&p);
	page_free(&spider);
	page_free(&search);
	for (size_t i = 0; i < nbase; i++)
		page_free(&base[i]);
	return status;
}

int sw_cmd_check_offline(struct sw_cli *cli, int argc, char **argv)
{
	struct opts o = {0};
	struct sw_an_rules *rules = NULL;
	struct sw_errbuf eb;
	json_t *out = NULL;
	int status, worst = -1;
	enum sw_err rc;

	(void)cli;
	if ((status = parse(argc, argv, &o)) >= 0)
		return status;
	sw_errbuf_clear(&eb);
	if ((rc = sw_an_rules_load(o.rules, &rules, &eb)) != SW_OK)
		return sw_cli_fail_eb(rc, &eb);
	out = o.json ? json_array() : NULL;
	status = SW_EXIT_OK;
	for (int i = optind; i < argc && status == SW_EXIT_OK; i++)
		status = one(&o, rules, argv[i], out, &worst);
	if (out) {
		if (status == SW_EXIT_OK)
			sw_cli_print_json(out);
		else
			json_decref(out);
	}
	sw_an_rules_free(rules);
	if (status == SW_EXIT_OK && worst >= SW_SEV_HIGH)
		status = SW_EXIT_FAIL;
	return status;
}
