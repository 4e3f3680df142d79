/*
 * sw_bench_analyze - speed of page analysis against two parse-only
 * baselines, on the same pages in one run (bench/analyze).
 *
 *   sw_bench_analyze [--seconds S] FILE.html...
 *
 * For each of: gumbo parse-only (the reference), myhtml parse-only (the
 * parser sitewarden uses, with a reused tree as ours does), sitewarden's
 * document build (parse + flatten + CSS), and every analyzer with parsing
 * included (sw_analyze, in process, rules loaded once), it loops over all
 * pages for at least S seconds (default 2) and prints MB/s.  Then the
 * ratios the targets are about.
 */
#include <gumbo.h>
#include <myhtml/api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/analyze.h"

struct page {
	char *text;
	size_t len;
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static struct page *pages;
static size_t npages, total;
static myhtml_tree_t *mtree;
static struct sw_an_rules *rules;

static void run_gumbo(const struct page *p)
{
	GumboOutput *o = gumbo_parse_with_options(&kGumboDefaultOptions, p->text, p->len);

	gumbo_destroy_output(&kGumboDefaultOptions, o);
}

static void run_myhtml(const struct page *p)
{
	myhtml_tree_clean(mtree);
	myhtml_parse(mtree, MyENCODING_UTF_8, p->text, p->len);
}

static void run_doc(const struct page *p)
{
	struct sw_doc *d = NULL;

	if (sw_doc_parse(p->text, p->len, NULL, &d, NULL) == SW_OK)
		sw_doc_free(d);
}

static size_t nfindings;

static void run_all(const struct page *p)
{
	struct sw_an_page pg = {.url = "http://www.example.gov.cn/", .raw = p->text,
				.raw_len = p->len, .text = p->text, .text_len = p->len};
	struct sw_an_input in;
	struct sw_findings fs;

	sw_an_input_init(&in);
	in.page = &pg;
	sw_findings_init(&fs);
	sw_analyze(rules, &in, &fs, NULL);
	nfindings += fs.n;
	sw_findings_cleanup(&fs);
}

/* MB/s of fn over all pages, looping for at least secs. */
static double measure(void (*fn)(const struct page *), double secs)
{
	double t0 = now(), t;
	size_t bytes = 0;

	for (size_t i = 0; i < npages; i++) /* warm up */
		fn(&pages[i]);
	t0 = now();
	do {
		for (size_t i = 0; i < npages; i++)
			fn(&pages[i]);
		bytes += total;
	} while ((t = now()) - t0 < secs);
	return (double)bytes / (t - t0) / 1e6;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(b = malloc((size_t)n + 1))) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(2);
	}
	*len = fread(b, 1, (size_t)n, f);
	b[*len] = '\0';
	fclose(f);
	return b;
}

int main(int argc, char **argv)
{
	double secs = 2.0, g, m, d, a;
	myhtml_t *mh;
	int i = 1;

	if (argc > 2 && strcmp(argv[1], "--seconds") == 0) {
		secs = atof(argv[2]);
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: sw_bench_analyze [--seconds S] FILE.html...\n");
		return 2;
	}
	pages = calloc((size_t)(argc - i), sizeof *pages);
	for (; i < argc; i++) {
		pages[npages].text = slurp(argv[i], &pages[npages].len);
		total += pages[npages].len;
		npages++;
	}
	mh = myhtml_create();
	myhtml_init(mh, MyHTML_OPTIONS_PARSE_MODE_SINGLE, 1, 0);
	mtree = myhtml_tree_create();
	myhtml_tree_init(mtree, mh);
	if (sw_an_rules_load(NULL, &rules, NULL) != SW_OK) {
		fprintf(stderr, "cannot load the rules\n");
		return 1;
	}
	printf("%zu pages, %.1f KB on average\n", npages, (double)total / (double)npages / 1024.0);
	g = measure(run_gumbo, secs);
	printf("gumbo parse-only          %8.1f MB/s\n", g);
	m = measure(run_myhtml, secs);
	printf("myhtml parse-only         %8.1f MB/s\n", m);
	d = measure(run_doc, secs);
	printf("sitewarden document       %8.1f MB/s   (parse + flatten + CSS)\n", d);
	a = measure(run_all, secs);
	printf("sitewarden all analyzers  %8.1f MB/s   (parsing included)\n", a);
	printf("all analyzers / gumbo parse   = %.2fx  (target >= 2.00)\n", a / g);
	printf("all analyzers / myhtml parse  = %.2fx  (target >= 0.50)\n", a / m);
	sw_an_rules_free(rules);
	myhtml_tree_destroy(mtree);
	myhtml_destroy(mh);
	for (size_t k = 0; k < npages; k++)
		free(pages[k].text);
	free(pages);
	return 0;
}
