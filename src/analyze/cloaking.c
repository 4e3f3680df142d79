/*
 * cloaking.c - content shown only to search engines (黑帽SEO 隐藏跳转).
 *
 * Attackers who hijack a government site's ranking show the spam only to
 * spiders (User-Agent Baiduspider) or only to visitors who arrive from a
 * search engine (Referer), so the site's staff, typing the address, never
 * see it.  A live check fetches the page three ways; this analyzer compares
 * the variants with the plain page:
 *  - off-site links that only the spider gets, with spam words or many new
 *    domains: darklink.cloaking;
 *  - a title that only the spider gets: darklink.cloaking;
 *  - a redirect (HTTP, meta refresh or script) to another site that only a
 *    spider or a search visitor gets: trojan.cloaking.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/analyze.h"
#include "analyze/kw.h"
#include "analyze/cloaking.h"
#include "core/strmap.h"

/* The spam vocabulary is the dark-link analyzer's (rules/spam/): cloaking
 * runs as part of it, sharing the compiled lists. */
struct state {
	const struct sw_kw *spam;
};

/* Adds the off-site link hosts of d to m. */
static enum sw_err link_hosts(const struct sw_an_ctx *ctx, const struct sw_doc *d,
			      struct sw_strmap *m)
{
	char host[256];
	enum sw_err rc = SW_OK;

	for (uint32_t i = 0; i < d->n && rc == SW_OK; i++) {
		const char *href;

		if (d->nodes[i].tag != SW_TAG_A || !(href = sw_doc_attr(d, i, "href")))
			continue;
		sw_an_url_host(href, host, sizeof host);
		if (host[0] && !sw_an_same_site(ctx->host, host))
			rc = sw_strmap_put(m, host, 1);
	}
	return rc;
}

/* Where a page sends its visitor by itself: the host of a meta refresh or
 * of a URL literal assigned to location in a script; "" when nowhere. */
static void redirect_host(const struct sw_doc *d, char *host, size_t cap)
{
	host[0] = '\0';
	for (uint32_t i = 0; i < d->n && !host[0]; i++) {
		const struct sw_node *x = &d->nodes[i];
		const char *v, *u;

		if (x->tag == SW_TAG_META && (v = sw_doc_attr(d, i, "http-equiv")) &&
		    strcasecmp(v, "refresh") == 0 && (v = sw_doc_attr(d, i, "content")) &&
		    (u = strcasestr(v, "url=")))
			sw_an_url_host(u + 4 + (u[4] == '\'' || u[4] == '"'), host, cap);
		else if (x->type == SW_NODE_TEXT && x->parent != SW_NONE &&
			 d->nodes[x->parent].tag == SW_TAG_SCRIPT && (u = strstr(x->text, "location"))) {
			const char *q = strstr(u, "http");

			if (q && q - u < 80)
				sw_an_url_host(q, host, cap);
		}
	}
}

/* Spam words in s. */
static size_t spam(const struct state *st, struct sw_kw_scratch *sc, const char *s)
{
	return s && *s ? sw_kw_count(st->spam, sc, s, strlen(s), 8, NULL) : 0;
}

static enum sw_err spider_links(struct sw_an_ctx *ctx, const struct state *st,
				struct sw_kw_scratch *sc)
{
	const struct sw_doc *d = ctx->spider_doc;
	struct sw_strmap plain, seen;
	char host[256], text[256];
	size_t fresh = 0, spammy = 0;
	uint32_t first = SW_NONE;
	enum sw_err rc;

	sw_strmap_init(&plain);
	sw_strmap_init(&seen);
	if ((rc = link_hosts(ctx, ctx->doc, &plain)) != SW_OK)
		goto out;
	for (uint32_t i = 0; i < d->n; i++) {
		const char *href;
		int64_t v;

		if (d->nodes[i].tag != SW_TAG_A || !(href = sw_doc_attr(d, i, "href")))
			continue;
		sw_an_url_host(href, host, sizeof host);
		if (!host[0] || sw_an_same_site(ctx->host, host) || sw_strmap_get(&plain, host, &v))
			continue;
		if (!sw_strmap_get(&seen, host, &v)) {
			if ((rc = sw_strmap_put(&seen, host, 1)) != SW_OK)
				goto out;
			fresh++;
		}
		sw_doc_text(d, i, text, sizeof text);
		if (spam(st, sc, text) || spam(st, sc, sw_doc_attr(d, i, "title"))) {
			spammy++;
			if (first == SW_NONE)
				first = i;
		}
		if (first == SW_NONE && fresh == 1)
			first = i;
	}
	if (first != SW_NONE && (spammy || fresh >= 3)) {
		const char *href = sw_doc_attr(d, first, "href");

		sw_doc_text(d, first, text, sizeof text);
		rc = sw_an_emit(ctx,
				&(struct sw_an_hit){.key = "darklink.cloaking", .sev = -1,
						    .confidence = spammy ? 0.95 : 0.7, .technique = "cloaking",
						    .off = SW_NONE, .target = href,
						    .detail = "links only a search-engine spider is served"},
				"%zu off-site link(s) to %zu domain(s) served only to search spiders, e.g. %.80s",
				spammy ? spammy : fresh, fresh, text);
	}
out:
	sw_strmap_cleanup(&plain);
	sw_strmap_cleanup(&seen);
	return rc;
}

static enum sw_err spider_title(struct sw_an_ctx *ctx, const struct state *st,
				struct sw_kw_scratch *sc)
{
	const char *a = ctx->doc->title_text, *b = ctx->spider_doc->title_text;
	size_t hits;

	if (!b[0] || strcmp(a, b) == 0)
		return SW_OK;
	hits = spam(st, sc, b);
	return sw_an_emit(ctx,
			  &(struct sw_an_hit){.key = "darklink.cloaking", .sev = -1,
					      .confidence = hits ? 0.95 : 0.6, .technique = "cloaking",
					      .off = SW_NONE, .detail = a},
			  "search spiders are served another title: %.120s", b);
}

/* A redirect that the variant gets and the plain page does not. */
static enum sw_err variant_redirect(struct sw_an_ctx *ctx, const struct sw_an_page *pg,
				    const struct sw_doc *d, const char *who)
{
	char plain[256], host[256];

	redirect_host(ctx->doc, plain, sizeof plain);
	sw_an_url_host(pg->url, host, sizeof host);
	/* An HTTP redirect shows as a final URL on another site. */
	if (!host[0] || sw_an_same_site(ctx->host, host))
		redirect_host(d, host, sizeof host);
	if (!host[0] || sw_an_same_site(ctx->host, host) || strcmp(host, plain) == 0)
		return SW_OK;
	return sw_an_emit(ctx,
			  &(struct sw_an_hit){.key = "trojan.cloaking", .sev = -1, .confidence = 0.9,
					      .technique = "cloaking", .off = SW_NONE, .target = host},
			  "%s are sent to %s; other visitors are not", who, host);
}

enum sw_err sw_an_cloaking(struct sw_an_ctx *ctx, const struct sw_kw *spam)
{
	const struct state state = {spam}, *st = &state;
	struct sw_kw_scratch *sc = NULL;
	enum sw_err rc = SW_OK;

	if (!ctx->spider_doc && !ctx->search_doc)
		return SW_OK;
	if ((rc = sw_kw_scratch_new(st->spam, &sc)) != SW_OK)
		return rc;
	if (ctx->spider_doc) {
		rc = spider_links(ctx, st, sc);
		if (rc == SW_OK)
			rc = spider_title(ctx, st, sc);
		if (rc == SW_OK)
			rc = variant_redirect(ctx, ctx->as_spider, ctx->spider_doc, "search-engine spiders");
	}
	if (rc == SW_OK && ctx->search_doc)
		rc = variant_redirect(ctx, ctx->from_search, ctx->search_doc,
				      "visitors coming from a search engine");
	sw_kw_scratch_free(sc);
	return rc;
}
