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

enum sw_err sw_fetched_analyze(const struct sw_an_rules *rules, const struct sw_fetch_result *self,
			       const struct sw_fetch_result *spider,
			       const struct sw_fetch_result *search, const struct sw_an_site *site,
			       const struct sw_baseline *base, const struct sw_policy *policy,
			       const struct sw_an_worker_limits *lim,
			       struct sw_findings *out, struct sw_errbuf *eb)
{
	struct conv a, b, c;
	struct sw_an_input in;
	enum sw_err rc;

	memset(&b, 0, sizeof b);
	memset(&c, 0, sizeof c);
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
	rc = sw_an_worker_analyze(rules, &in, lim, out, eb);
out:
	free(a.text);
	free(b.text);
	free(c.text);
	return rc;
}
