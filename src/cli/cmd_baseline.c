/*
 * cmd_baseline.c - `sitewarden baseline accept|show|history SITE`: the
 * defacement baseline of a site (analyze/baseline.h, stored by
 * store/baseline.c).
 *
 * accept is how an authorised change of a page stops being reported: the
 * operator accepts the page as it is now.  By default that is the site's
 * latest stored fetches (distinct bodies, so dynamic regions are learned
 * again); --page FILE accepts files instead (a page prepared offline).
 * The pages are kept as snapshots and named in the row, and every older
 * baseline stays as history.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/baseline.h"
#include "cli/cli.h"
#include "engine/facts.h"
#include "probe/fetch.h"
#include "register/register.h"

#define PAGES_MAX 8
#define PAGE_FILE_MAX (64u << 20)

static int baseline_help(FILE *f)
{
	fprintf(f,
		"usage: sitewarden baseline accept SITE [--page FILE]... [--charset X] [--last N]\n"
		"                                       [--by NAME]\n"
		"       sitewarden baseline show SITE [--json]\n"
		"       sitewarden baseline history SITE [--limit N] [--json]\n"
		"\nThe defacement baseline of SITE (id, URL, host or name): what its page normally\n"
		"looks like, with the regions that change on their own (news lists, dates,\n"
		"counters, carousels) learned from several fetches.\n"
		"  accept         make the page as it is now the baseline, after an authorised\n"
		"                 change: from the site's last N distinct stored fetches\n"
		"                 (--last, default 3), or from --page files (repeatable, oldest\n"
		"                 first; --charset when they do not say)\n"
		"  --by NAME      who accepted it (default $USER)\n"
		"  show           the current baseline\n"
		"  history        every baseline the site had, newest first\n");
	return f == stdout ? SW_EXIT_OK : SW_EXIT_USAGE;
}

/* The page versions an accept learns from: raw bodies and parsed docs. */
struct pages {
	struct sw_fetch_result *r[PAGES_MAX];
	char *text[PAGES_MAX];
	struct sw_doc *doc[PAGES_MAX];
	char key[PAGES_MAX][SW_SNAPSHOT_KEY_LEN];
	size_t n;
};

static void pages_free(struct pages *p)
{
	for (size_t i = 0; i < p->n; i++) {
		sw_doc_free(p->doc[i]);
		free(p->text[i]);
		sw_fetch_result_free(p->r[i]);
	}
	p->n = 0;
}

/* Adds a raw body (any charset; ctype may name it) as the next version. */
static int pages_add(struct pages *p, const void *body, size_t len, const char *ctype)
{
	size_t tl;
	struct sw_errbuf eb;

	if (p->n == PAGES_MAX)
		return sw_cli_usage("baseline", "at most %d pages", PAGES_MAX);
	sw_errbuf_clear(&eb);
	if (sw_fetch_result_from_body(NULL, body, len, ctype, &p->r[p->n]) ||
	    sw_fetch_body_utf8(p->r[p->n], &p->text[p->n], &tl) ||
	    sw_doc_parse(p->text[p->n], tl, NULL, &p->doc[p->n], &eb)) {
		p->n++;
		return sw_cli_fail("out of memory");
	}
	p->n++;
	return SW_EXIT_OK;
}


/* Loads the site's last `want` distinct stored bodies, oldest first. */
static int pages_from_checks(struct sw_store *st, int64_t site, size_t want, struct pages *p)
{
	char keys[PAGES_MAX][SW_SNAPSHOT_KEY_LEN];
	size_t nkeys = 0;
	struct sw_errbuf eb;
	enum sw_err rc;
	int status = SW_EXIT_OK;

	sw_errbuf_clear(&eb);
	if ((rc = sw_engine_recent_bodies(st, site, want < PAGES_MAX ? want : PAGES_MAX, keys, &nkeys,
				      &eb)))
		return sw_cli_fail_eb(rc, &eb);
	if (!nkeys)
		return sw_cli_fail("no stored fetch of this site yet: run `sitewarden probe --now "
				   "SITE --once` or give --page FILE");
	for (size_t i = nkeys; i-- > 0 && status == SW_EXIT_OK;) {
		unsigned char *body;
		size_t len;

		if ((rc = sw_store_snapshot_get(st, keys[i], &body, &len, &eb)))
			return sw_cli_fail_eb(rc, &eb);
		status = pages_add(p, body, len, NULL);
		snprintf(p->key[p->n - 1], SW_SNAPSHOT_KEY_LEN, "%s", keys[i]);
		free(body);
	}
	return status;
}

/* Learns from p and stores the result (and file pages as snapshots). */
static int accept_store(struct sw_store *st, int64_t site, struct pages *p, int files,
			const char *by)
{
	struct sw_baseline *b = NULL;
	struct sw_baseline_row row = {0};
	unsigned char *blob = NULL;
	char pages[PAGES_MAX * SW_SNAPSHOT_KEY_LEN] = "";
	const struct sw_doc *docs[PAGES_MAX];
	struct sw_errbuf eb;
	enum sw_err rc;
	int64_t id = 0, now = (int64_t)time(NULL);
	size_t len = 0;

	sw_errbuf_clear(&eb);
	for (size_t i = 0; i < p->n; i++)
		docs[i] = p->doc[i];
	if ((rc = sw_baseline_learn(docs, p->n, &b, &eb)) ||
	    (rc = sw_baseline_to_blob(b, &blob, &len, &eb)) || (rc = sw_store_begin(st, &eb)))
		goto out;
	for (size_t i = 0; i < p->n && !rc; i++) {
		if (files)
			rc = sw_store_snapshot_put(st, p->r[i]->body, p->r[i]->body_len, now, p->key[i],
						   NULL, &eb);
		strcat(strcat(pages, i ? " " : ""), p->key[i]);
	}
	row = (struct sw_baseline_row){.site_id = site, .created_at = now, .source = "accepted",
		.actor = by, .versions = (int64_t)p->n,
		.title = p->doc[p->n - 1]->title_text ? p->doc[p->n - 1]->title_text : "",
		.pages = pages, .blob = blob, .blob_len = len};
	if (!rc && !(rc = sw_store_baseline_add(st, &row, &id, &eb)))
		rc = sw_store_commit(st, &eb);
	if (rc)
		sw_store_rollback(st);
out:
	sw_baseline_free(b);
	free(blob);
	if (rc)
		return sw_cli_fail_eb(rc, &eb);
	printf("baseline %lld accepted for site %lld from %zu page version%s\n", (long long)id,
	       (long long)site, p->n, p->n == 1 ? "" : "s");
	return SW_EXIT_OK;
}

static int cmd_accept(struct sw_store *st, int64_t site, char **files, size_t nfiles,
		      const char *charset, size_t last, const char *by)
{
	struct pages p = {0};
	char ctype[96];
	int status = SW_EXIT_OK;

	if (charset)
		snprintf(ctype, sizeof ctype, "text/html; charset=%s", charset);
	for (size_t i = 0; i < nfiles && status == SW_EXIT_OK; i++) {
		char *data = NULL;
		size_t len = 0;

		if ((status = sw_cli_read_file(files[i], PAGE_FILE_MAX, &data, &len)) == SW_EXIT_OK) {
			status = pages_add(&p, data, len, charset ? ctype : NULL);
			free(data);
		}
	}
	if (!nfiles && status == SW_EXIT_OK)
		status = pages_from_checks(st, site, last, &p);
	if (status == SW_EXIT_OK)
		status = accept_store(st, site, &p, nfiles > 0, by);
	pages_free(&p);
	return status;
}

static void when(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	strftime(buf, n, "%Y-%m-%d %H:%M:%S", localtime_r(&tt, &tm));
}

struct show {
	int json, status;
	json_t *arr;
};

/* Prints the current baseline row with the facts from its blob. */
static int show_cb(void *arg, const struct sw_baseline_row *r)
{
	struct show *s = arg;
	struct sw_baseline *b = NULL;
	struct sw_baseline_info in;
	struct sw_errbuf eb;
	char t[32];

	sw_errbuf_clear(&eb);
	if (sw_baseline_from_blob(r->blob, r->blob_len, &b, &eb)) {
		s->status = sw_cli_fail("baseline %lld is damaged: %s", (long long)r->id, eb.msg);
		return 1;
	}
	sw_baseline_info(b, &in);
	when(r->created_at, t, sizeof t);
	if (s->json) {
		json_t *imgs = json_array();

		for (size_t i = 0; i < in.images; i++)
			json_array_append_new(imgs, json_string(sw_baseline_image(b, i)));
		sw_cli_print_json(json_pack(
			"{sI sI ss ss ss* sI ss ss* sI sI sI sI sb so}", "id", (json_int_t)r->id,
			"site", (json_int_t)r->site_id, "created", t, "source", r->source, "by", r->actor,
			"versions", (json_int_t)r->versions, "title", r->title, "pages", r->pages,
			"paths", (json_int_t)in.paths, "blocks", (json_int_t)in.blocks, "stable_bytes",
			(json_int_t)in.stable_bytes, "dynamic_paths", (json_int_t)in.dynamic_paths,
			"title_dynamic", in.title_dynamic, "key_images", imgs));
	} else {
		printf("baseline %lld of site %lld, %s %s%s%s, from %lld page version(s)\n",
		       (long long)r->id, (long long)r->site_id, r->source, t, r->actor ? " by " : "",
		       r->actor ? r->actor : "", (long long)r->versions);
		printf("  title          %s%s\n", r->title, in.title_dynamic ? " (varies)" : "");
		printf("  structure      %zu element paths\n", in.paths);
		printf("  stable text    %zu blocks, %llu bytes\n", in.blocks,
		       (unsigned long long)in.stable_bytes);
		printf("  dynamic        %zu block paths ignored\n", in.dynamic_paths);
		printf("  script hosts   %zu\n", in.hosts);
		for (size_t i = 0; i < in.images; i++)
			printf("  key image      %s\n", sw_baseline_image(b, i));
	}
	sw_baseline_free(b);
	return 0;
}

static int history_cb(void *arg, const struct sw_baseline_row *r)
{
	struct show *s = arg;
	char t[32];

	when(r->created_at, t, sizeof t);
	if (s->json)
		json_array_append_new(s->arr, json_pack("{sI ss ss ss* sI ss}", "id",
							(json_int_t)r->id, "created", t, "source",
							r->source, "by", r->actor, "versions",
							(json_int_t)r->versions, "title", r->title));
	else {
		printf("%-6lld %s  %-8s ", (long long)r->id, t, r->source);
		sw_cli_pad(stdout, r->actor ? r->actor : "-", 12, 1);
		printf(" %lld  %s\n", (long long)r->versions, r->title);
	}
	return 0;
}

/* Parses a positive count option. */
static int count_opt(const char *opt, const char *arg, size_t max, size_t *out)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (end == arg || *end || v < 1 || (size_t)v > max)
		return sw_cli_usage("baseline", "--%s needs a number from 1 to %zu", opt, max);
	*out = (size_t)v;
	return SW_EXIT_OK;
}

int sw_cmd_baseline(struct sw_cli *cli, int argc, char **argv)
{
	static const struct option o[] = {
		{"page", required_argument, NULL, 'p'}, {"charset", required_argument, NULL, 'c'},
		{"last", required_argument, NULL, 'l'}, {"by", required_argument, NULL, 'b'},
		{"limit", required_argument, NULL, 'n'}, {"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},	{NULL, 0, NULL, 0},
	};
	const char *verb = argc > 1 ? argv[1] : "", *charset = NULL, *by = getenv("USER");
	char *files[PAGES_MAX];
	size_t nfiles = 0, last = 3, limit = 0;
	struct show s = {0};
	struct sw_errbuf eb;
	struct sw_store *st;
	int64_t site;
	enum sw_err rc;
	int c, status = SW_EXIT_OK;

	if (!strcmp(verb, "--help") || !strcmp(verb, "help"))
		return baseline_help(stdout);
	if (strcmp(verb, "accept") && strcmp(verb, "show") && strcmp(verb, "history"))
		return baseline_help(stderr);
	argc--, argv++;
	while ((c = getopt_long(argc, argv, "", o, NULL)) != -1 && status == SW_EXIT_OK) {
		if (c == 'p' && nfiles == PAGES_MAX)
			status = sw_cli_usage("baseline", "at most %d --page files", PAGES_MAX);
		else if (c == 'p')
			files[nfiles++] = optarg;
		else if (c == 'c')
			charset = optarg;
		else if (c == 'l')
			status = count_opt("last", optarg, PAGES_MAX, &last);
		else if (c == 'n')
			status = count_opt("limit", optarg, 1000000, &limit);
		else if (c == 'b')
			by = optarg;
		else if (c == 'j')
			s.json = 1;
		else if (c == 'h')
			return baseline_help(stdout);
		else
			return sw_cli_bad_option("baseline", argv);
	}
	if (status != SW_EXIT_OK)
		return status;
	if (optind != argc - 1)
		return sw_cli_usage("baseline", "give exactly one SITE");
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	if ((rc = sw_reg_resolve(st, sw_entity_get(SW_ENT_SITE), argv[optind], &site, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	if (!strcmp(verb, "accept"))
		return cmd_accept(st, site, files, nfiles, charset, last, by);
	if (!strcmp(verb, "show")) {
		if ((rc = sw_store_baseline_current(st, site, show_cb, &s, &eb)))
			return sw_cli_fail_eb(rc, &eb);
		return s.status;
	}
	s.arr = json_array();
	if ((rc = sw_store_baseline_history(st, site, (int64_t)limit, history_cb, &s, &eb))) {
		json_decref(s.arr);
		return sw_cli_fail_eb(rc, &eb);
	}
	if (s.json)
		return sw_cli_print_json(s.arr);
	json_decref(s.arr);
	return SW_EXIT_OK;
}
