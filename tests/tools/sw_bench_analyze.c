/*
 * sw_bench_analyze - speed of page analysis against two parse-only
 * baselines, on the same pages in one run (bench/analyze).
 *
 *   sw_bench_analyze [--seconds S] FILE.html...
 *   sw_bench_analyze [--seconds S] --portal N
 *
 * --portal makes N government-portal home pages of about 100 KB in memory
 * (deterministic): a style sheet of a few hundred rules, a navigation bar
 * with drop-down menus, news columns with dates, tab panels, a carousel,
 * a 友情链接 drop-down, inline scripts (a minified library, analytics, the
 * badge) and the footer marks, which is what the analyzers meet daily.
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
#include <stdarg.h>
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

/* Appends printf output to a growing buffer. */
struct sbuf {
	char *p;
	size_t n, cap;
};

static void sb(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	for (;;) {
		va_start(ap, fmt);
		k = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
		va_end(ap);
		if ((size_t)k < b->cap - b->n)
			break;
		b->cap = b->cap * 2 + (size_t)k + 1;
		if (!(b->p = realloc(b->p, b->cap)))
			exit(1);
	}
	b->n += (size_t)k;
}

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

static const char *const words[] = {
	"关于", "印发", "全县", "安全生产", "专项", "整治", "工作", "方案", "的通知", "召开",
	"会议", "部署", "乡村振兴", "重点", "任务", "政务公开", "优化", "营商环境", "民生",
	"项目", "推进", "情况", "公示", "招聘", "公告", "年度", "预算", "决算", "信息",
};

/* One synthetic portal home page (see the file comment). */
static char *portal(unsigned seed, size_t *len)
{
	struct sbuf b = {malloc(1 << 17), 0, 1 << 17};
	unsigned s = seed;

	sb(&b, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	       "<title>某某县人民政府门户网站</title><meta name=keywords content=\"某某县,政府\"><style>");
	for (int i = 0; i < 300; i++)
		sb(&b, ".m%d .c%d{color:#%06x;font-size:%dpx;margin:0 %dpx}.n%d:hover{color:red}"
		       "@media (max-width:768px){.r%d{display:none}}", i, i, rnd(&s) * 511u & 0xffffff,
		   12 + i % 6, i % 9, i, i);
	sb(&b, ".sub{display:none;position:absolute}.tab-pane{display:none}.tab-pane.active{display:block}"
	       ".sr-only{position:absolute;left:-10000px}</style></head><body>"
	       "<a class=sr-only href=\"#main\">跳到主要内容</a><div class=header><img src=/img/logo.png alt=logo>"
	       "<ul class=nav>");
	for (int i = 0; i < 10; i++) {
		sb(&b, "<li class=n%d><a href=\"/col/col%d/index.html\">%s%s</a><ul class=sub>", i, i,
		   words[rnd(&s) % 29], words[rnd(&s) % 29]);
		for (int j = 0; j < 8; j++)
			sb(&b, "<li><a href=\"/col/col%d%d/index.html\">%s%s</a></li>", i, j,
			   words[rnd(&s) % 29], words[rnd(&s) % 29]);
		sb(&b, "</ul></li>");
	}
	sb(&b, "</ul></div><div class=banner>");
	for (int i = 0; i < 4; i++)
		sb(&b, "<div class=\"slide%s\" style=\"%s\"><a href=\"/art/2024/%d.html\"><img src=/img/b%d.jpg "
		       "alt=\"%s\"></a></div>", i ? "" : " on", i ? "display:none" : "", i, i, words[i]);
	sb(&b, "</div><div id=main class=main>");
	for (int c = 0; c < 12; c++) {
		sb(&b, "<div class=\"col m%d\"><h3 class=c%d>%s%s</h3><div class=\"tab-pane%s\"><ul>", c, c,
		   words[rnd(&s) % 29], words[rnd(&s) % 29], c % 3 ? "" : " active");
		for (int i = 0; i < 15; i++) {
			sb(&b, "<li><a href=\"/art/2024/%u/art_%u.html\" target=_blank title=\"", c, rnd(&s));
			for (int w = 0; w < 8; w++)
				sb(&b, "%s", words[rnd(&s) % 29]);
			sb(&b, "\">");
			for (int w = 0; w < 8; w++)
				sb(&b, "%s", words[rnd(&s) % 29]);
			sb(&b, "</a><span class=date>2024-%02u-%02u</span></li>", 1 + rnd(&s) % 12, 1 + rnd(&s) % 28);
		}
		sb(&b, "</ul></div><p class=more><a href=\"/col/col%d/index.html\">更多&gt;&gt;</a></p></div>", c);
	}
	sb(&b, "</div><div class=links><select onchange=\"window.open(this.value)\"><option>友情链接</option>");
	for (int i = 0; i < 20; i++)
		sb(&b, "<option value=\"http://www.dept%d.example.gov.cn/\">某某县%s局</option>", i, words[i % 29]);
	sb(&b, "</select></div><script>");
	for (int i = 0; i < 200; i++)
		sb(&b, "function f%d(a,b){var c=a[%d]||{};for(var i=0;i<b.length;i++){c[b[i]]=(c[b[i]]|0)+%d;}"
		       "return c}", i, i % 7, i);
	sb(&b, "</script><script>var _hmt=_hmt||[];(function(){var hm=document.createElement(\"script\");"
	       "hm.src=\"https://hm.baidu.com/hm.js?0123456789abcdef\";var s=document.getElementsByTagName"
	       "(\"script\")[0];s.parentNode.insertBefore(hm,s);})();</script>"
	       "<div class=footer><p>主办单位：某某县人民政府办公室 承办：某某县大数据中心</p>"
	       "<p>网站标识码：1100000001 <a href=\"https://beian.miit.gov.cn/\">京ICP备05070218号-1</a> "
	       "<a href=\"http://www.beian.gov.cn/\">京公网安备 11010502030143号</a></p>"
	       "<script type=\"text/javascript\">document.write(unescape(\"%%3Cspan id='_ideConac' %%3E%%3C/span%%3E"
	       "%%3Cscript src='https://dcs.conac.cn/js/33/000/0000/60617010/CA330000000606170100002.js' "
	       "type='text/javascript'%%3E%%3C/script%%3E\"));</script></div></body></html>");
	*len = b.n;
	return b.p;
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

	const char *only = getenv("SW_BENCH_ONLY"); /* profiling: one phase */

	if (argc > 2 && strcmp(argv[1], "--seconds") == 0) {
		secs = atof(argv[2]);
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: sw_bench_analyze [--seconds S] FILE.html... | --portal N\n");
		return 2;
	}
	if (strcmp(argv[i], "--portal") == 0 && i + 1 < argc) {
		int n = atoi(argv[i + 1]);

		pages = calloc((size_t)(n > 0 ? n : 1), sizeof *pages);
		for (int k = 0; k < n; k++) {
			pages[npages].text = portal(1u + (unsigned)k, &pages[npages].len);
			total += pages[npages].len;
			npages++;
		}
		i = argc;
	} else
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
	if (only) {
		void (*fn)(const struct page *) = strcmp(only, "doc") == 0 ? run_doc
						 : strcmp(only, "all") == 0 ? run_all : run_myhtml;

		printf("%s: %.1f MB/s\n", only, measure(fn, secs));
		return 0;
	}
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
