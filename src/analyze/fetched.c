/*
 * fetched.c - fetch results to analyzer input (fetched.h).
 */
#include "analyze/fetched.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int sw_fetched_analysable(const struct sw_fetch_result *r)
{
	const char *ct;

	if (!r || r->body_len == 0 || r->status == 0 || r->status >= 500)
		return 0;
	if (r->err != SW_FETCH_OK && r->err != SW_FETCH_ETOOLARGE)
		return 0;
	ct = r->content_type;
	/* Pages with no type, HTML and XHTML; not images, archives, JSON. */
	return !ct || strncasecmp(ct, "text/html", 9) == 0 ||
	       strncasecmp(ct, "application/xhtml", 17) == 0 || strncasecmp(ct, "text/plain", 10) == 0;
}

/* One converted page; text owned. */
struct conv {
	struct sw_an_page pg;
	char *text;
};

static enum sw_err convert(const struct sw_fetch_result *r, struct conv *c)
{
	size_t len = 0;
	const char *cs;

	memset(c, 0, sizeof *c);
	if (sw_fetch_body_utf8(r, &c->text, &len) != SW_OK)
		return SW_ENOMEM;
	cs = sw_fetch_body_charset(r);
	c->pg.url = r->n_hops ? r->hops[r->n_hops - 1].url : r->final_url ? r->final_url : r->url;
	c->pg.raw = (const char *)r->body;
	c->pg.raw_len = r->body_len;
	c->pg.text = c->text;
	c->pg.text_len = len;
	c->pg.charset = strcmp(cs, "UTF-8") ? cs : NULL;
	c->pg.headers = r->headers;
	c->pg.headers_len = r->headers_len;
	c->pg.status = r->status;
	return SW_OK;
}

/* Nullable strings equal. */
static int str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

int sw_fetched_same_view(const struct sw_fetch_result *self, const struct sw_fetch_result *v)
{
	if (!self || !v)
		return 0;
	return v->status == self->status && v->err == self->err &&
	       v->cross_domain == self->cross_domain && v->body_len == self->body_len &&
	       str_eq(v->final_url, self->final_url) && str_eq(v->content_type, self->content_type) &&
	       strcmp(v->charset, self->charset) == 0 && v->charset_src == self->charset_src &&
	       memcmp(v->body, self->body, self->body_len) == 0;
}

enum sw_err sw_fetched_analyze(const struct sw_an_rules *rules, const struct sw_fetch_result *self,
			       const struct sw_fetch_result *spider,
			       const struct sw_fetch_result *search, const struct sw_an_site *site,
			       const struct sw_baseline *base, const struct sw_policy *policy,
			       const struct sw_an_worker_limits *lim, struct sw_findings *out,
			       struct sw_an_links *links, struct sw_errbuf *eb)
{
	struct conv a, b, c;
	struct sw_an_input in;
	enum sw_err rc;

	memset(&b, 0, sizeof b);
	memset(&c, 0, sizeof c);
	/* Cloaking is a difference between the views: a view that is the
	 * site's own byte for byte, from the same final URL, has nothing to
	 * compare and would only be parsed and analysed a second time (most
	 * sites answer everyone alike, so this is most checks). */
	if (sw_fetched_same_view(self, spider))
		spider = NULL;
	if (sw_fetched_same_view(self, search))
		search = NULL;
	if ((rc = convert(self, &a)) != SW_OK)
		return rc;
	/* A view that was sent to another site counts even when that site
	 * did not answer: the redirect is the finding. */
	if ((sw_fetched_analysable(spider) || (spider && spider->cross_domain)) &&
	    (rc = convert(spider, &b)) != SW_OK)
		goto out;
	if ((sw_fetched_analysable(search) || (search && search->cross_domain)) &&
	    (rc = convert(search, &c)) != SW_OK)
		goto out;
	sw_an_input_init(&in);
	in.page = &a.pg;
	in.as_spider = b.text ? &b.pg : NULL;
	in.from_search = c.text ? &c.pg : NULL;
	in.site = site;
	in.base = base;
	in.policy = policy;
	in.links = links;
	rc = sw_an_worker_analyze(rules, &in, lim, out, eb);
out:
	free(a.text);
	free(b.text);
	free(c.text);
	return rc;
}
