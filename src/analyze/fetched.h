/*
 * fetched.h - analysing what the fetcher brought back: the bridge between
 * the prober's results and the analyzers, used by `check` and `probe`.
 */
#ifndef SW_ANALYZE_FETCHED_H
#define SW_ANALYZE_FETCHED_H

#include "analyze/analyze.h"
#include "analyze/worker.h"
#include "probe/fetch.h"

/* True when r holds a page worth analysing: a body of HTML (or of no
 * declared type) received with a status below 500. */
int sw_fetched_analysable(const struct sw_fetch_result *r);

/*
 * True when view v (the spider's or the search visitor's) is self again:
 * same status, error, final URL, cross-domain flag, content type, charset
 * and body bytes.  Such a view cannot show cloaking, so sw_fetched_analyze
 * leaves it out.  NULL for either is not the same.
 */
int sw_fetched_same_view(const struct sw_fetch_result *self, const struct sw_fetch_result *v);

/*
 * Converts self (and the spider and search-visitor views, each may be
 * NULL) to UTF-8 and runs every analyzer on them in a sandboxed worker
 * (lim), appending findings to out.  A view that is self again
 * (sw_fetched_same_view) is not converted, sent or analysed.  site, base
 * and policy (NULL: every family reports) may be NULL.  links (NULL: not
 * wanted) gets self's same-site links up to links->max (analyze.h).
 * Fails only on memory or when a worker cannot be started.
 */
enum sw_err sw_fetched_analyze(const struct sw_an_rules *rules, const struct sw_fetch_result *self,
			       const struct sw_fetch_result *spider,
			       const struct sw_fetch_result *search, const struct sw_an_site *site,
			       const struct sw_baseline *base, const struct sw_policy *policy,
			       const struct sw_an_worker_limits *lim, struct sw_findings *out,
			       struct sw_an_links *links, struct sw_errbuf *eb);

#endif
