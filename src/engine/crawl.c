/*
 * crawl.c - the bounded same-site crawl of one check (engine_int.h).
 *
 * After the home page's views (and the exposure probe) are back, the home
 * page is analysed at once, and the worker hands back its same-origin
 * links (analyze/links.c has the rule).  Inner pages are then fetched one
 * after the other on the site's own connection (SW_FETCH_F_NEXT |
 * SW_FETCH_F_KEEP), breadth first: links of depth 1 in the home page's
 * order, then the links those pages give, up to crawl_depth, until
 * crawl_pages pages (the home page included) were fetched.
 *
 * Inner pages are analysed for what can be judged on one page without a
 * history: dark links, trojans, defacement signatures (no baseline: inner
 * pages change by themselves, news articles come and go, and a per-page
 * baseline for every inner page would cost storage and three fetches
 * before it protects anything), and sensitive content.  Compliance marks
 * and exposure headers are site-wide facts judged on the home page, and
 * cloaking needs the other views, fetched for the home page only.  A
 * finding already made on the home page or an earlier inner page (same
 * kind and title, e.g. a dark link injected into a shared footer) is not
 * repeated.  Inner pages fetched without success (an error, 4xx, 5xx) are
 * simply not analysed: the site's availability is its home page's.
 */
#include "engine/engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/fetched.h"

/* Families judged on inner pages (policy names). */
static const char *const inner_checks[] = {"darklink", "trojan", "deface", "sensitive"};

void sw__crawl_free(struct sw__crawl *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nq; i++)
		free(c->q[i].url);
	for (size_t i = 0; i < c->n; i++)
		sw_fetch_result_free(c->r[i]);
	sw_findings_cleanup(&c->fs);
	sw_engine_facts_free(&c->facts);
	free(c);
}

/* scheme://host[:port]/ of url into buf (host lower-cased): links must
 * start with it.  The worker applies the same-origin rule; this check
 * keeps a worker that lies from sending the crawl anywhere else. */
static void origin_prefix(const char *url, char *buf, size_t cap)
{
	const char *p = strstr(url, "://");
	size_t n = p ? (size_t)(p + 3 - url) + strcspn(p + 3, "/?#") : 0;

	if (!p || n + 2 > cap) {
		buf[0] = '\0';
		return;
	}
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(i >= (size_t)(p + 3 - url) && url[i] >= 'A' && url[i] <= 'Z'
					? url[i] - 'A' + 'a'
					: url[i]);
	buf[n] = '/';
	buf[n + 1] = '\0';
}

/* Adds the links of a page of depth d to the frontier (each URL once). */
static void enqueue(struct sw__crawl *c, struct sw_an_links *l, int d)
{
	for (size_t i = 0; i < l->n && c->nq < SW__FRONTIER_MAX; i++) {
		size_t k;

		if (strncasecmp(l->v[i], c->origin, strlen(c->origin)) != 0)
			continue;
		for (k = 0; k < c->nq && strcmp(c->q[k].url, l->v[i]); k++)
			;
		if (k < c->nq)
			continue;
		c->q[c->nq].url = l->v[i];
		c->q[c->nq++].depth = d;
		l->v[i] = NULL;
	}
	sw_an_links_cleanup(l); /* frees what was not taken (free(NULL) is fine) */
}

/* How many links to ask a page of depth d for. */
static size_t links_wanted(const struct sw__crawl *c, int d)
{
	size_t want = (size_t)c->max_pages * 4;

	if (d >= c->max_depth)
		return 0;
	return want < SW_AN_LINKS_MAX ? want : SW_AN_LINKS_MAX;
}

/* Queues the next inner page, if any is left within the bounds; returns
 * 1 when one was queued. */
static int fetch_next(struct sw__engine *e, struct sw__item *it)
{
	struct sw__crawl *c = it->crawl;

	while ((int)c->n + c->inflight < c->max_pages && c->next < c->nq) {
		size_t k = c->next++;

		if (sw_fetcher_add_ex(e->f, c->q[k].url, &it->slot_crawl, SW_FETCH_AS_SELF,
				      SW_FETCH_F_NEXT | SW_FETCH_F_KEEP) == SW_OK) {
			c->at = k;
			c->inflight = 1;
			return 1;
		}
	}
	return 0;
}

/* The policy of inner pages: the site's, with only the families above. */
static void inner_policy(const struct sw_policy *site, struct sw_policy *out)
{
	char list[128] = "";

	*out = *site;
	for (size_t i = 0; i < sizeof inner_checks / sizeof inner_checks[0]; i++)
		if (sw_policy_has(site, "checks", inner_checks[i]))
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
				 list[0] ? "," : "", inner_checks[i]);
	snprintf(out->v[sw_policy_field("checks")], SW_POLICY_VALUE_MAX, "%s", list);
}

/* True when fs (or the home's findings) already has kind key with title. */
static int seen_finding(const struct sw_findings *a, const struct sw_findings *b,
			const struct sw_finding *f)
{
	const struct sw_findings *l[2] = {a, b};

	for (int j = 0; j < 2; j++)
		for (size_t i = 0; i < l[j]->n; i++)
			if (l[j]->v[i].kind == f->kind && strcmp(l[j]->v[i].title, f->title) == 0)
				return 1;
	return 0;
}

/* Analyses inner page r (index c->n - 1) and keeps its new findings and
 * its links.  Only memory and worker failures are errors. */
static enum sw_err analyse_inner(struct sw__engine *e, struct sw__item *it,
				 const struct sw_fetch_result *r, int depth)
{
	struct sw__crawl *c = it->crawl;
	struct sw_an_links links = {.max = links_wanted(c, depth)};
	struct sw_findings fs;
	enum sw_err rc;

	if (r->status < 200 || r->status >= 300 || !sw_fetched_analysable(r))
		return SW_OK;
	sw_findings_init(&fs);
	rc = sw_fetched_analyze(e->rules, r, NULL, NULL, &c->facts.site, NULL, &c->pol, &e->lim,
				&fs, links.max ? &links : NULL, &e->eb);
	for (size_t i = 0; !rc && i < fs.n && c->fs.n < SW__CRAWL_FINDINGS; i++) {
		if (seen_finding(&it->afs, &c->fs, &fs.v[i]))
			continue;
		rc = sw_findings_add(&c->fs, fs.v[i].kind->key, fs.v[i].sev, fs.v[i].evidence, "%s",
				     fs.v[i].title);
		if (!rc)
			c->page_of[c->fs.n - 1] = c->n - 1;
	}
	if (!rc)
		enqueue(c, &links, depth + 1);
	sw_an_links_cleanup(&links);
	sw_findings_cleanup(&fs);
	return rc;
}

int sw__engine_crawl_start(struct sw__engine *e, struct sw__item *it)
{
	const struct sw_fetch_result *home = it->r[SW_FETCH_AS_SELF];
	struct sw_an_links links = {0};
	struct sw__crawl *c;
	long pages, depth;

	if (!e->o->crawl || !e->rules || !it->pol || home->status < 200 || home->status >= 300 ||
	    !sw_fetched_analysable(home))
		return 0;
	pages = sw_policy_int(it->pol, "crawl_pages") - 1; /* the home page counts */
	depth = sw_policy_int(it->pol, "crawl_depth");
	if (pages <= 0 || depth <= 0)
		return 0;
	if (!(c = calloc(1, sizeof *c))) {
		e->rc = sw_errf(&e->eb, SW_ENOMEM, "out of memory crawling site %lld",
				(long long)it->site_id);
		return 0;
	}
	it->crawl = c;
	c->max_pages = pages < SW__CRAWL_MAX ? (int)pages : SW__CRAWL_MAX;
	c->max_depth = (int)depth;
	sw_findings_init(&c->fs);
	inner_policy(it->pol, &c->pol);
	origin_prefix(home->n_hops ? home->hops[home->n_hops - 1].url : home->url, c->origin,
		      sizeof c->origin);
	/* The home page itself is never fetched again. */
	if (!(c->q[0].url = strdup(home->n_hops ? home->hops[home->n_hops - 1].url : home->url))) {
		e->rc = SW_ENOMEM;
		return 0;
	}
	c->q[0].depth = 0;
	c->nq = c->next = 1;
	/* The home page is analysed now, for its links. */
	links.max = links_wanted(c, 0);
	if ((e->rc = sw__engine_analyze(e, it, &c->facts, &links)))
		return 0;
	it->analysed = 1;
	enqueue(c, &links, 1);
	return fetch_next(e, it);
}

int sw__engine_crawl_page(struct sw__engine *e, struct sw__item *it, struct sw_fetch_result *r)
{
	struct sw__crawl *c = it->crawl;

	c->inflight = 0;
	if (r->err == SW_FETCH_EABORTED) {
		it->abandoned = 1;
		sw_fetch_result_free(r);
		return 0;
	}
	c->r[c->n++] = r;
	if (!e->rc && (e->rc = analyse_inner(e, it, r, c->q[c->at].depth)))
		return 0;
	return !e->rc && fetch_next(e, it);
}
