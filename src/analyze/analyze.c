/*
 * analyze.c - one analysis: parse once, build the visible text once, run
 * every analyzer, and turn their hits into findings with evidence.
 */
#include "analyze/analyze.h"

#include <ctype.h>
#include <iconv.h>
#include <jansson.h>
#include <libpsl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/baseline.h"
#include "core/strmap.h"


/* In the order they run; cheap and independent ones first. */
static const struct sw_analyzer *const analyzers[] = {
	&sw_analyzer_darklink,	 &sw_analyzer_trojan,
	&sw_analyzer_deface,	 &sw_analyzer_sensitive, &sw_analyzer_compliance,
	&sw_analyzer_exposure,
};
#define N_ANALYZERS (sizeof analyzers / sizeof analyzers[0])

struct sw_an_rules {
	void *state[N_ANALYZERS];
};

enum sw_err sw_an_rules_load(const char *dir, struct sw_an_rules **out, struct sw_errbuf *eb)
{
	struct sw_an_rules *r = calloc(1, sizeof *r);
	enum sw_err rc;

	*out = NULL;
	if (!r)
		return SW_ENOMEM;
	for (size_t i = 0; i < N_ANALYZERS; i++)
		if (analyzers[i]->load && (rc = analyzers[i]->load(dir, &r->state[i], eb)) != SW_OK) {
			sw_an_rules_free(r);
			return rc;
		}
	*out = r;
	return SW_OK;
}

void sw_an_rules_free(struct sw_an_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < N_ANALYZERS; i++)
		if (analyzers[i]->free && r->state[i])
			analyzers[i]->free(r->state[i]);
	free(r);
}

void sw_an_input_init(struct sw_an_input *in)
{
	memset(in, 0, sizeof *in);
	sw_doc_limits_init(&in->limits);
}

/* ---- hosts and sites ---- */

char *sw_an_url_host(const char *url, char *buf, size_t cap)
{
	const char *p, *h, *e;
	size_t n = 0;

	buf[0] = '\0';
	if (!url || cap == 0)
		return buf;
	while (*url == ' ' || *url == '\t' || *url == '\n' || *url == '\r')
		url++;
	if (url[0] == '/' && url[1] == '/')
		h = url + 2;
	else {
		for (p = url; isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.'; p++)
			;
		if (*p != ':' || p[1] != '/' || p[2] != '/')
			return buf;
		h = p + 3;
	}
	e = h + strcspn(h, "/?#\\");
	/* userinfo@ */
	for (p = e; p > h; p--)
		if (p[-1] == '@') {
			h = p;
			break;
		}
	if (*h == '[') { /* IPv6 literal */
		const char *rb = memchr(h, ']', (size_t)(e - h));

		if (rb) {
			n = (size_t)(rb + 1 - h);
			if (n >= cap)
				n = cap - 1;
			memcpy(buf, h, n);
			buf[n] = '\0';
		}
		return buf;
	}
	for (p = h; p < e && *p != ':' && n + 1 < cap; p++)
		buf[n++] = (char)tolower((unsigned char)*p);
	while (n && buf[n - 1] == '.')
		n--;
	buf[n] = '\0';
	return buf;
}

static const psl_ctx_t *psl(void)
{
	static const psl_ctx_t *ctx;

	/* The built-in list is enough to compare hosts; no I/O here. */
	if (!ctx)
		ctx = psl_builtin();
	return ctx;
}

int sw_an_same_site(const char *a, const char *b)
{
	const char *ra, *rb;

	if (!a || !b || !*a || !*b)
		return 1;
	if (strcmp(a, b) == 0)
		return 1;
	ra = psl() ? psl_registrable_domain(psl(), a) : NULL;
	rb = psl() ? psl_registrable_domain(psl(), b) : NULL;
	if (!ra)
		ra = a;
	if (!rb)
		rb = b;
	return strcmp(ra, rb) == 0;
}

/* ---- visible text ---- */

/* One visible text node's place in ctx->vis. */
struct seg {
	uint32_t vis_off; /* where its text starts in vis */
	uint32_t node;
};

/* One finding made by sw_an_emit and how many hits it stands for. */
struct made {
	size_t finding; /* index in ctx->out */
	int64_t count;
};

struct priv {
	struct seg *segs;
	size_t nsegs;
	char *vis;
	const struct sw_an_page *page;
	/* Findings by "key\x1ftechnique\x1fdomain": repeated hits only count
	 * up here, and the counts go into the evidence once, at the end, so a
	 * page of 30,000 injected scripts costs linear time. */
	struct sw_strmap seen;
	struct made *made;
	size_t nmade, capmade;
	int identical; /* page->text is page->raw byte for byte */
};

/* Findings one page may yield; a page past it gets an analysis.limit. */
#define FINDINGS_MAX 500

static int is_block(uint8_t tag)
{
	switch (tag) {
	case SW_TAG_DIV: case SW_TAG_P: case SW_TAG_LI: case SW_TAG_UL: case SW_TAG_OL:
	case SW_TAG_TABLE: case SW_TAG_TR: case SW_TAG_TD: case SW_TAG_H1: case SW_TAG_H2:
	case SW_TAG_H3: case SW_TAG_H4: case SW_TAG_H5: case SW_TAG_H6: case SW_TAG_BR:
	case SW_TAG_FORM: case SW_TAG_CENTER: case SW_TAG_NAV: case SW_TAG_HEADER:
	case SW_TAG_FOOTER: case SW_TAG_SECTION: case SW_TAG_ARTICLE: case SW_TAG_MAIN:
	case SW_TAG_ASIDE: case SW_TAG_BODY: case SW_TAG_OPTION: case SW_TAG_SELECT:
		return 1;
	default:
		return 0;
	}
}

/*
 * Builds the visible text: text nodes outside head, raw-text elements and
 * hidden subtrees; blanks collapsed; '\n' where a block starts.  Alt text
 * of visible images counts (a filing number is often an image with alt).
 */
static enum sw_err build_vis(const struct sw_doc *d, struct priv *p)
{
	size_t cap = d->src_len + 64, n = 0, segcap = 0;
	char *v = malloc(cap + 1);

	if (!v)
		return SW_ENOMEM;
	for (uint32_t i = 0; i < d->n; i++) {
		const struct sw_node *x = &d->nodes[i];
		const char *t = NULL;
		size_t tl = 0;

		if (x->hide || (x->flags & SW_NODE_IN_HEAD))
			continue;
		if (x->type == SW_NODE_ELEMENT) {
			if (is_block(x->tag) && n && v[n - 1] != '\n' && n < cap)
				v[n++] = '\n';
			if (x->tag == SW_TAG_IMG && (t = sw_doc_attr(d, i, "alt")))
				tl = strlen(t);
			else
				continue;
		} else if (x->type == SW_NODE_TEXT && !(x->flags & SW_NODE_RAW_TEXT)) {
			t = x->text;
			tl = x->text_len;
		} else {
			continue;
		}
		if (!tl)
			continue;
		if (p->nsegs == segcap) {
			size_t c2 = segcap ? 2 * segcap : 256;
			struct seg *s = realloc(p->segs, c2 * sizeof *s);

			if (!s) {
				free(v);
				return SW_ENOMEM;
			}
			p->segs = s;
			segcap = c2;
		}
		p->segs[p->nsegs].vis_off = (uint32_t)n;
		p->segs[p->nsegs].node = i;
		p->nsegs++;
		for (size_t k = 0; k < tl; k++) {
			char c = t[k];

			if (c == '\n' || c == '\r' || c == '\t' || c == '\f')
				c = ' ';
			if (c == ' ' && (n == 0 || v[n - 1] == ' ' || v[n - 1] == '\n'))
				continue;
			if (n >= cap) { /* alt texts can outgrow the source: grow */
				char *nv = realloc(v, 2 * cap + 1);

				if (!nv) {
					free(v);
					return SW_ENOMEM;
				}
				v = nv;
				cap *= 2;
			}
			v[n++] = c;
		}
	}
	v[n] = '\0';
	p->vis = v;
	return SW_OK;
}

uint32_t sw_an_vis_off(const struct sw_an_ctx *ctx, size_t vis_off)
{
	const struct priv *p = ctx->priv;
	size_t lo = 0, hi = p->nsegs;
	const struct sw_node *x;

	if (!p->nsegs)
		return 0;
	while (hi - lo > 1) { /* last segment starting at or before vis_off */
		size_t mid = (lo + hi) / 2;

		if (p->segs[mid].vis_off <= vis_off)
			lo = mid;
		else
			hi = mid;
	}
	x = &ctx->doc->nodes[p->segs[lo].node];
	/* Exact when the node's source is its text (no entities, no collapsed
	 * blanks); otherwise the start of the node is the honest answer. */
	if (x->type == SW_NODE_TEXT && x->len == x->text_len &&
	    vis_off - p->segs[lo].vis_off < x->len)
		return x->off + (uint32_t)(vis_off - p->segs[lo].vis_off);
	return x->off;
}

/* ---- evidence ---- */

static size_t raw_offset_conv(const struct sw_an_page *pg, size_t off, int identical);

/*
 * Offset in the raw body of offset off in a UTF-8 page's text.  The text is
 * the raw bytes except that each invalid byte and each NUL became U+FFFD
 * (three bytes), so both are walked together.
 */
static size_t raw_offset_utf8(const struct sw_an_page *pg, size_t off, int identical)
{
	const unsigned char *r = (const unsigned char *)pg->raw, *t = (const unsigned char *)pg->text;
	size_t i = 0, j = 0;

	if (identical)
		return off;
	while (j < off && i < pg->raw_len && j < pg->text_len) {
		if (r[i] == t[j]) {
			i++, j++;
		} else if (j + 2 < pg->text_len && t[j] == 0xEF && t[j + 1] == 0xBF && t[j + 2] == 0xBD) {
			i++, j += 3; /* one bad byte became U+FFFD */
		} else {
			i++, j++;
		}
	}
	return i;
}

/* Offset in the raw body of text offset off: the length of text[0..off)
 * converted back to the page's charset.  Exact for lossless conversions;
 * never past the raw body.  identical: the text is the raw body (a clean
 * UTF-8 page, the common case), known once per page. */
static size_t raw_offset(const struct sw_an_page *pg, size_t off, int identical)
{
	size_t r = raw_offset_conv(pg, off, identical);

	return r > pg->raw_len ? pg->raw_len : r;
}

static size_t raw_offset_conv(const struct sw_an_page *pg, size_t off, int identical)
{
	iconv_t cd;
	char buf[4096];
	char *in;
	size_t left, total = 0;

	if (off == 0)
		return 0;
	if (!pg->charset)
		return raw_offset_utf8(pg, off, identical);
	if ((cd = iconv_open(pg->charset, "UTF-8")) == (iconv_t)-1)
		return off;
	in = (char *)pg->text;
	left = off;
	while (left) {
		char *o = buf;
		size_t room = sizeof buf;

		if (iconv(cd, &in, &left, &o, &room) == (size_t)-1 && o == buf) {
			/* A character the charset lacks (U+FFFD from scrubbing):
			 * it stood for one bad byte. */
			size_t skip = 1;

			while (skip < left && ((unsigned char)in[skip] & 0xC0) == 0x80)
				skip++;
			in += skip;
			left -= skip;
			total++;
			continue;
		}
		total += (size_t)(o - buf);
	}
	iconv_close(cd);
	return total;
}

/* A snippet of text around [off, off+len): at most ~80 bytes each side,
 * cut at character boundaries, blanks collapsed. */
static char *snippet(const char *text, size_t tlen, size_t off, size_t len)
{
	size_t a = off > 80 ? off - 80 : 0, b, n = 0;
	char *s;

	if (len > 200)
		len = 200;
	b = off + len + 80 < tlen ? off + len + 80 : tlen;
	while (a < off && ((unsigned char)text[a] & 0xC0) == 0x80)
		a++;
	while (b < tlen && b > off + len && ((unsigned char)text[b] & 0xC0) == 0x80)
		b--;
	if (!(s = malloc(b - a + 1)))
		return NULL;
	for (size_t i = a; i < b; i++) {
		char c = text[i];

		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
		if (c == ' ' && n && s[n - 1] == ' ')
			continue;
		if (c == '\0')
			continue;
		s[n++] = c;
	}
	s[n] = '\0';
	return s;
}

enum sw_err sw_an_emit(struct sw_an_ctx *ctx, const struct sw_an_hit *h, const char *fmt, ...)
{
	const struct sw_finding_kind *k = sw_finding_kind(h->key);
	char title[512], host[256] = "";
	const char *target_host = NULL;
	json_t *ev;
	char *evs, *snip = NULL;
	va_list ap;
	enum sw_err rc;

	if (!k)
		sw_fatal("unknown finding kind %s", h->key);
	/* A weak signal is not a finding: supervisors act on what we report,
	 * so analyzers keep their doubts below this line to themselves. */
	if (h->confidence < SW_AN_MIN_CONFIDENCE)
		return SW_OK;
	/* Families the site's policy switched off (the policy names
	 * defacement "deface"); analysis limits always count. */
	if (ctx->policy && strcmp(k->family, "analysis") != 0 &&
	    !sw_policy_has(ctx->policy, "checks",
			   strcmp(k->family, "defacement") == 0 ? "deface" : k->family))
		return SW_OK;
	if (h->target) {
		sw_an_url_host(h->target, host, sizeof host);
		target_host = host[0] ? host : NULL;
	}
	/* Same key, technique and target domain: one finding, counted. */
	{
		struct priv *pv = ctx->priv;
		char dkey[600];
		int64_t at;

		snprintf(dkey, sizeof dkey, "%s\x1f%s\x1f%s", k->key, h->technique ? h->technique : "",
			 target_host ? target_host : "");
		if (sw_strmap_get(&pv->seen, dkey, &at)) {
			pv->made[at].count++;
			return SW_OK;
		}
		if (pv->nmade >= FINDINGS_MAX)
			return SW_OK; /* reported once, by sw_analyze */
		if (pv->nmade == pv->capmade) {
			size_t cap = pv->capmade ? 2 * pv->capmade : 16;
			struct made *v = realloc(pv->made, cap * sizeof *v);

			if (!v)
				return SW_ENOMEM;
			pv->made = v;
			pv->capmade = cap;
		}
		if (sw_strmap_put(&pv->seen, dkey, (int64_t)pv->nmade) != SW_OK)
			return SW_ENOMEM;
		pv->made[pv->nmade].finding = ctx->out->n;
		pv->made[pv->nmade].count = 1;
		pv->nmade++;
	}
	va_start(ap, fmt);
	vsnprintf(title, sizeof title, fmt, ap);
	va_end(ap);
	ev = json_object();
	if (h->technique)
		json_object_set_new(ev, "technique", json_string(h->technique));
	json_object_set_new(ev, "confidence", json_real(h->confidence));
	if (h->off != SW_NONE && h->off <= ctx->page->text_len) {
		const struct priv *pv = ctx->priv;
		size_t len = h->len, start;

		if (h->off + len > ctx->page->text_len)
			len = ctx->page->text_len - h->off;
		snip = snippet(ctx->page->text, ctx->page->text_len, h->off, len);
		start = raw_offset(ctx->page, h->off, pv->identical);
		json_object_set_new(ev, "offset", json_integer((json_int_t)start));
		json_object_set_new(ev, "length",
				    json_integer((json_int_t)(raw_offset(ctx->page, h->off + len,
									 pv->identical) - start)));
		if (snip)
			json_object_set_new(ev, "snippet", json_string(snip));
	}
	if (h->target)
		json_object_set_new(ev, "target", json_string(h->target));
	if (target_host)
		json_object_set_new(ev, "domain", json_string(target_host));
	if (h->detail)
		json_object_set_new(ev, "detail", json_string(h->detail));
	json_object_set_new(ev, "count", json_integer(1));
	evs = json_dumps(ev, JSON_COMPACT | JSON_REAL_PRECISION(4));
	json_decref(ev);
	free(snip);
	if (!evs)
		return SW_ENOMEM;
	rc = sw_findings_add(ctx->out, h->key, h->sev >= 0 ? (enum sw_sev)h->sev : k->sev, evs, "%s",
			     title);
	free(evs);
	return rc;
}

/* ---- the run ---- */

/*
 * The page's own host when nobody said where it came from (a saved page
 * checked offline): its canonical link, og:url or <base>, else the host
 * most links go to, if at least three do.  Sites link to themselves far more than to any
 * single other host; a link farm spreads over many.
 */
static void guess_host(const struct sw_doc *d, char *host, size_t cap)
{
	struct sw_strmap counts;
	char h[256], best[256] = "";
	int64_t n, top = 0;

	for (uint32_t i = 0; i < d->n; i++) {
		const struct sw_node *x = &d->nodes[i];
		const char *v, *u = NULL;

		if (x->tag == SW_TAG_LINK && (v = sw_doc_attr(d, i, "rel")) &&
		    strcasecmp(v, "canonical") == 0)
			u = sw_doc_attr(d, i, "href");
		else if (x->tag == SW_TAG_META && (v = sw_doc_attr(d, i, "property")) &&
			 strcasecmp(v, "og:url") == 0)
			u = sw_doc_attr(d, i, "content");
		else if (x->tag == SW_TAG_BASE)
			u = sw_doc_attr(d, i, "href");
		if (u && *sw_an_url_host(u, host, cap))
			return;
	}
	sw_strmap_init(&counts);
	for (uint32_t i = 0; i < d->n; i++) {
		const char *href;

		if (d->nodes[i].tag != SW_TAG_A || !(href = sw_doc_attr(d, i, "href")))
			continue;
		sw_an_url_host(href, h, sizeof h);
		if (!h[0])
			continue;
		n = 0;
		sw_strmap_get(&counts, h, &n);
		if (sw_strmap_put(&counts, h, ++n) != SW_OK)
			break;
		if (n > top) {
			top = n;
			snprintf(best, sizeof best, "%s", h);
		}
	}
	sw_strmap_cleanup(&counts);
	if (top >= 3)
		snprintf(host, cap, "%s", best);
}

/* Writes the hit counts of repeated findings into their evidence, and
 * says so when the page made more findings than are kept. */
static enum sw_err put_counts(struct sw_an_ctx *ctx, struct priv *p)
{
	for (size_t i = 0; i < p->nmade; i++) {
		struct sw_finding *f = &ctx->out->v[p->made[i].finding];
		json_t *ev;
		char *s;

		if (p->made[i].count == 1 || !f->evidence)
			continue;
		if (!(ev = json_loads(f->evidence, 0, NULL)))
			continue;
		json_object_set_new(ev, "count", json_integer(p->made[i].count));
		s = json_dumps(ev, JSON_COMPACT | JSON_REAL_PRECISION(4));
		json_decref(ev);
		if (!s)
			return SW_ENOMEM;
		free(f->evidence);
		f->evidence = s;
	}
	if (p->nmade >= FINDINGS_MAX)
		return sw_findings_add(ctx->out, "analysis.limit", SW_SEV_MEDIUM,
				       "{\"technique\":\"findings\",\"confidence\":1.0,\"count\":1}",
				       "the page made more than %d distinct findings; the first %d are kept",
				       FINDINGS_MAX, FINDINGS_MAX);
	return SW_OK;
}

static enum sw_err parse_opt(const struct sw_an_page *pg, const struct sw_doc_limits *lim,
			     struct sw_doc **d, struct sw_errbuf *eb)
{
	*d = NULL;
	return pg ? sw_doc_parse(pg->text, pg->text_len, lim, d, eb) : SW_OK;
}

enum sw_err sw_analyze(const struct sw_an_rules *rules, const struct sw_an_input *in,
		       struct sw_findings *out, struct sw_errbuf *eb)
{
	static const struct sw_an_site unknown = {.gov = -1};
	struct sw_doc *doc = NULL, *spider = NULL, *search = NULL;
	struct sw_doc *bdocs[SW_BASELINE_MAX_VERSIONS] = {0};
	struct sw_baseline *learned = NULL;
	size_t nb = in->n_base_pages < SW_BASELINE_MAX_VERSIONS ? in->n_base_pages
								 : SW_BASELINE_MAX_VERSIONS;
	struct priv p = {0};
	struct sw_an_ctx ctx = {0};
	char host[256];
	enum sw_err rc;

	sw_strmap_init(&p.seen);
	if ((rc = sw_doc_parse(in->page->text, in->page->text_len, &in->limits, &doc, eb)) ||
	    (rc = parse_opt(in->as_spider, &in->limits, &spider, eb)) ||
	    (rc = parse_opt(in->from_search, &in->limits, &search, eb)) ||
	    (rc = build_vis(doc, &p)))
		goto out;
	if (!in->base && nb) {
		for (size_t i = 0; i < nb; i++)
			if ((rc = sw_doc_parse(in->base_pages[i].text, in->base_pages[i].text_len,
					       &in->limits, &bdocs[i], eb)))
				goto out;
		if ((rc = sw_baseline_learn((const struct sw_doc *const *)bdocs, nb, &learned, eb)))
			goto out;
	}
	ctx.page = in->page;
	ctx.as_spider = in->as_spider;
	ctx.from_search = in->from_search;
	ctx.doc = doc;
	ctx.spider_doc = spider;
	ctx.search_doc = search;
	ctx.site = in->site ? in->site : &unknown;
	ctx.base = in->base ? in->base : learned;
	sw_an_url_host(in->page->url, host, sizeof host);
	if (!host[0] && ctx.site->host)
		snprintf(host, sizeof host, "%s", ctx.site->host);
	if (!host[0])
		guess_host(doc, host, sizeof host);
	ctx.host = host;
	ctx.vis = p.vis;
	ctx.vis_len = strlen(p.vis);
	ctx.out = out;
	ctx.policy = in->policy;
	ctx.priv = &p;
	p.page = in->page;
	p.identical = !in->page->charset && in->page->raw_len == in->page->text_len &&
		      (in->page->raw == in->page->text ||
		       !memcmp(in->page->raw, in->page->text, in->page->text_len));
	if (doc->limits) {
		char what[96];

		snprintf(what, sizeof what, "%s%s%s",
			 doc->limits & SW_DOC_LIMIT_BYTES ? "+size" : "",
			 doc->limits & SW_DOC_LIMIT_NODES ? "+elements" : "",
			 doc->limits & SW_DOC_LIMIT_DEPTH ? "+nesting" : "");
		if ((rc = sw_an_emit(&ctx, &(struct sw_an_hit){.key = "analysis.limit", .sev = -1,
							     .confidence = 1.0, .technique = what + 1,
							     .off = SW_NONE},
				     "page exceeds the analysis limits (%s); only the part within them was analysed",
				     what + 1)))
			goto out;
	}
	for (size_t i = 0; i < N_ANALYZERS && rc == SW_OK; i++)
		rc = analyzers[i]->run(&ctx, rules ? rules->state[i] : NULL);
	if (rc == SW_OK && in->links)
		rc = sw_an_links_collect(doc, in->page->url, in->links);
	if (rc == SW_OK)
		rc = put_counts(&ctx, &p);
	if (rc)
		sw_errf(eb, rc, "analysis failed: %s", sw_strerror(rc));
out:
	sw_strmap_cleanup(&p.seen);
	free(p.made);
	sw_baseline_free(learned);
	for (size_t i = 0; i < nb; i++)
		sw_doc_free(bdocs[i]);
	free(p.vis);
	free(p.segs);
	sw_doc_free(doc);
	sw_doc_free(spider);
	sw_doc_free(search);
	return rc;
}
