/*
 * analyze.h - the page analyzers: (page, site facts, baseline, rules) ->
 * findings, with no I/O inside, so they can be tested, fuzzed and run in a
 * sandboxed worker (worker.h).
 *
 * One call, sw_analyze, parses the page once (doc.h), then runs every
 * analyzer over the same doc and context.  An analyzer is a struct
 * sw_analyzer: an optional load step that compiles its rules once (word
 * lists into Vectorscan databases, YARA rules, allow lists), and a run step
 * that reports hits through sw_an_emit.  Loaded rules are immutable and
 * shared by every page.
 *
 * Offsets: analyzers report byte ranges in the UTF-8 text they were given;
 * sw_an_emit turns them into offsets in the raw body (the evidence) when the
 * page was converted from another charset.
 */
#ifndef SW_ANALYZE_ANALYZE_H
#define SW_ANALYZE_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/doc.h"
#include "core/err.h"
#include "model/finding.h"
#include "model/policy.h"

/* One fetched page.  All borrowed. */
struct sw_an_page {
	const char *url;        /* final URL; NULL when unknown (offline without --url) */
	const char *raw;        /* body as received: the evidence */
	size_t raw_len;
	const char *text;       /* raw converted to UTF-8 (== raw when it was UTF-8) */
	size_t text_len;
	const char *charset;    /* raw's charset when converted ("gb18030"); NULL when UTF-8 */
	const char *headers;    /* raw response header block; NULL offline */
	size_t headers_len;
	long status;            /* HTTP status; 0 offline */
};

/* What the register says about the site; any pointer may be NULL. */
struct sw_an_site {
	const char *host;       /* registered host name (punycode) */
	const char *icp;        /* ICP filing number, e.g. 京ICP备05070218号 */
	const char *psb;        /* public-security filing, e.g. 京公网安备11010502030143号 */
	const char *site_code;  /* 网站标识码, e.g. 1100000088 */
	const char *org;        /* 主办单位 name */
	int gov;                /* 1 government site, 0 not, -1 unknown (guess from URL/page) */
	const char *const *allow_hosts; /* extra hosts scripts may come from */
	size_t n_allow;
};

struct sw_baseline; /* deface.h: what the site's page normally looks like */

/* Everything an analyzer's run step sees.  Read-only except the outputs. */
struct sw_an_ctx {
	const struct sw_an_page *page;
	const struct sw_an_page *as_spider;   /* same URL fetched as Baiduspider, or NULL */
	const struct sw_an_page *from_search; /* same URL with a search-engine Referer, or NULL */
	const struct sw_doc *doc;             /* page->text parsed */
	const struct sw_doc *spider_doc;      /* as_spider parsed, or NULL */
	const struct sw_doc *search_doc;      /* from_search parsed, or NULL */
	const struct sw_an_site *site;        /* never NULL (all-unknown when offline) */
	const struct sw_baseline *base;       /* NULL when none is known yet */
	const char *host;       /* lower-case host of page->url, or site->host, or "" */
	/*
	 * The visible text of the page: text nodes a visitor can see (no hide
	 * bit, not script/style), in order, blocks separated by '\n', blanks
	 * collapsed; NUL-terminated.  sw_an_vis_off maps an offset in it back
	 * to page->text.
	 */
	const char *vis;
	size_t vis_len;
	/* private to analyze.c */
	const struct sw_policy *policy;
	struct sw_findings *out;
	void *priv;
};

struct sw_analyzer {
	const char *name;   /* "darklink", ... */
	/* Compiles rules from rules_dir (NULL: embedded only) into *state. May be NULL. */
	enum sw_err (*load)(const char *rules_dir, void **state, struct sw_errbuf *eb);
	void (*free)(void *state);
	/* Reports hits on one page through sw_an_emit.  Fails only with SW_ENOMEM. */
	enum sw_err (*run)(struct sw_an_ctx *ctx, const void *state);
};

/* The analyzers, each defined in its own file. */
extern const struct sw_analyzer sw_analyzer_darklink;  /* darklink.c, with cloaking.c */
extern const struct sw_analyzer sw_analyzer_trojan;    /* trojan.c */
extern const struct sw_analyzer sw_analyzer_deface;    /* deface.c */
extern const struct sw_analyzer sw_analyzer_sensitive; /* sensitive.c */
extern const struct sw_analyzer sw_analyzer_compliance;/* compliance.c */
extern const struct sw_analyzer sw_analyzer_exposure;  /* exposure.c */

/* Hits below this confidence are dropped by sw_an_emit. */
#define SW_AN_MIN_CONFIDENCE 0.5

/* One hit, as an analyzer reports it. */
struct sw_an_hit {
	const char *key;        /* finding kind key, e.g. "darklink.hidden_link" */
	int sev;                /* enum sw_sev, or -1 for the kind's default */
	double confidence;      /* 0..1 */
	const char *technique;  /* how it was done/hidden, e.g. "display-none"; may be NULL */
	uint32_t off, len;      /* byte range in page->text; off SW_NONE when none */
	const char *target;     /* link URL, script source, word ...; may be NULL */
	const char *detail;     /* optional extra words for people; may be NULL */
};

/*
 * Reports a hit: a finding with the kind's label, the printf-style title,
 * and evidence {technique, confidence, offset and length in the raw body,
 * snippet (the text around the range, at most ~200 bytes, UTF-8), target,
 * target domain, detail}.  Hits with the same key, technique and target
 * domain are one finding with a count.  SW_ENOMEM is the only failure.
 */
enum sw_err sw_an_emit(struct sw_an_ctx *ctx, const struct sw_an_hit *h, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Maps an offset in ctx->vis to the corresponding offset in page->text. */
uint32_t sw_an_vis_off(const struct sw_an_ctx *ctx, size_t vis_off);

/*
 * Host of url (lower case, no port, no userinfo) into buf; "" when url is
 * relative or has none.  Returns buf.
 */
char *sw_an_url_host(const char *url, char *buf, size_t cap);

/*
 * True when host a and host b share a registrable domain (public suffix
 * list): www.example.gov.cn and news.example.gov.cn do.  An empty host
 * (relative link) is same-site.
 */
int sw_an_same_site(const char *a, const char *b);

/* ---- links for the engine's crawl (links.c) ---- */

#define SW_AN_LINKS_MAX 64   /* links one page hands back */
#define SW_AN_LINK_LEN 1024  /* longest link kept, bytes */

/* Same-site links of a page, absolute, in document order. */
struct sw_an_links {
	size_t max;                  /* wanted (at most SW_AN_LINKS_MAX); 0: none */
	size_t n;
	char *v[SW_AN_LINKS_MAX];    /* owned; sw_an_links_cleanup frees them */
};

/* Frees the links of l and sets n to 0 (max is kept). */
void sw_an_links_cleanup(struct sw_an_links *l);

/*
 * Appends to out (up to out->max) the links of d worth crawling from a
 * page at page_url: same origin (scheme, host, port), http(s), fragment
 * dropped, no action-looking links (logout, delete ...), no documents,
 * archives, images or media by extension, each once, not the page itself
 * (the rule is in links.c).  Fails only with SW_ENOMEM.
 */
enum sw_err sw_an_links_collect(const struct sw_doc *d, const char *page_url,
				struct sw_an_links *out);

/* True when a link's path and query (from '/') pass the action and
 * extension rule above. */
int sw_an_link_crawlable(const char *path_query);

/* Loaded rules of every analyzer; immutable once loaded. */
struct sw_an_rules;

/* Loads every analyzer's rules from dir (NULL: embedded only). */
enum sw_err sw_an_rules_load(const char *dir, struct sw_an_rules **out, struct sw_errbuf *eb);
void sw_an_rules_free(struct sw_an_rules *r);

/* Input of one analysis. */
struct sw_an_input {
	const struct sw_an_page *page;
	const struct sw_an_page *as_spider;   /* may be NULL */
	const struct sw_an_page *from_search; /* may be NULL */
	const struct sw_an_site *site;        /* may be NULL */
	const struct sw_baseline *base;       /* may be NULL */
	/* Earlier versions of the page, oldest first, to learn a baseline from
	 * (inside the sandbox) when base is NULL; at most
	 * SW_BASELINE_MAX_VERSIONS are used. */
	const struct sw_an_page *base_pages;
	size_t n_base_pages;
	const struct sw_policy *policy;       /* its "checks" say which families report; NULL: all */
	struct sw_doc_limits limits;
	/* Where the page's same-site links go (sw_an_links_collect), up to
	 * links->max; NULL: not collected.  An output, the caller's. */
	struct sw_an_links *links;
};

void sw_an_input_init(struct sw_an_input *in);

/*
 * Runs every analyzer on one page, appending findings to out (the caller's).
 * A page cut by a limit also yields an analysis.limit finding.  Fails only
 * with SW_ENOMEM.
 */
enum sw_err sw_analyze(const struct sw_an_rules *rules, const struct sw_an_input *in,
		       struct sw_findings *out, struct sw_errbuf *eb);

#endif
