/*
 * engine_int.h - what the files of the engine share (engine.c the loop,
 * check.c one site's check, counters.c the counters).  Not a contract.
 */
#ifndef SW_ENGINE_ENGINE_INT_H
#define SW_ENGINE_ENGINE_INT_H

#include <pthread.h>

#include "analyze/analyze.h"
#include "analyze/worker.h"
#include "engine/engine.h"
#include "engine/facts.h"

/* State of one run, shared with the fetcher's callback. */
struct sw__engine {
	struct sw_store *st;
	struct sw_fetcher *f;
	const struct sw_engine_opts *o;
	struct sw_an_rules *rules; /* NULL: no page analysis */
	struct sw_an_worker_limits lim;
	struct sw_engine_notes notes;
	enum sw_err rc;            /* the first store failure: stops the run */
	struct sw_errbuf eb;
};

/* Fetch slots of an item: the three views by enum sw_fetch_as, then the
 * exposure probe's answer for a path that cannot exist and its paths. */
#define SW__SLOT_SOFT404 3
#define SW__SLOT_PATHS 4
#define SW__SLOTS (SW__SLOT_PATHS + 32)

struct sw__item;

/* The crawl's bounds whatever the policy says (crawl.c): inner pages per
 * check, URLs remembered (queued or seen), inner-page findings kept. */
#define SW__CRAWL_MAX 32
#define SW__FRONTIER_MAX 256
#define SW__CRAWL_FINDINGS 48
/* The slot index of inner pages (one at a time). */
#define SW__SLOT_CRAWL SW__SLOTS

/* One check's crawl; owned by its item. */
struct sw__crawl {
	int max_pages, max_depth;      /* inner pages, link depth */
	char origin[1100];             /* "scheme://host:port/" links must start with */
	struct {
		char *url;             /* owned */
		int depth;
	} q[SW__FRONTIER_MAX];         /* every URL queued, the home page first */
	size_t nq, next, at;           /* queued, next to fetch, fetching now */
	int inflight;
	struct sw_fetch_result *r[SW__CRAWL_MAX]; /* inner pages fetched, in order; owned */
	size_t n;
	struct sw_findings fs;         /* inner pages' findings (new ones only) */
	size_t page_of[SW__CRAWL_FINDINGS]; /* fs.v[i] was found on r[page_of[i]] */
	struct sw_policy pol;          /* the inner pages' policy */
	struct sw_engine_facts facts;  /* the site's register facts */
};

void sw__crawl_free(struct sw__crawl *c);

/* A fetch's user pointer: its item and slot. */
struct sw__slot {
	struct sw__item *it;
	int i;
};

/* One due site; owned by the run. */
struct sw__item {
	int64_t site_id, group_id, since;
	int fails, up;
	char *ips, *last_ips;          /* may be NULL */
	char *url;                     /* the register's home page URL */
	struct sw_fetch_result *r[SW__SLOTS]; /* by slot (above); owned */
	struct sw__slot slot[SW__SLOTS];
	struct sw__slot slot_crawl;    /* the inner page being fetched */
	int views;                     /* views wanted: 1, or 3 with cloaking */
	int xpending;                  /* exposure fetches still in flight */
	int exposure;                  /* the exposure probe ran in this check */
	int abandoned;                 /* a fetch of it was abandoned: not recorded */
	int no_baseline;               /* analysed without any stored baseline */
	struct sw_policy *pol;         /* the site's policy once loaded; owned */
	struct sw_findings afs;        /* the home page's analyzer findings ... */
	int analysed;                  /* ... when it was analysed before handle (crawl) */
	struct sw__crawl *crawl;       /* NULL when not crawling; owned */
};

/* A new item with its slots linked; NULL when out of memory. */
struct sw__item *sw__item_new(void);
void sw__item_free(struct sw__item *it);

/* expo.c: queues the exposure probe of it's site when its policy enables
 * it and it last ran a day or more ago; returns 1 when fetches were
 * queued (the item is then finished when they are all back). */
int sw__engine_exposure_start(struct sw__engine *e, struct sw__item *it);

/* Judges the exposure answers of it into fs. */
enum sw_err sw__engine_exposure_judge(const struct sw__item *it, struct sw_findings *fs);

/*
 * Runs the page analyzers on it's home page views (register facts loaded
 * into *facts, the caller's to free; the site's baseline), appending to
 * it->afs; links (may be NULL) gets the page's links (check.c).
 */
enum sw_err sw__engine_analyze(struct sw__engine *e, struct sw__item *it,
			       struct sw_engine_facts *facts, struct sw_an_links *links);

/* crawl.c: starts the crawl of it's site when its policy, the engine's
 * options and its home page allow; the home page is analysed now (for its
 * links).  Returns 1 when an inner page was queued (the item is finished
 * when the crawl is); 0 otherwise, with e->rc set on failure. */
int sw__engine_crawl_start(struct sw__engine *e, struct sw__item *it);

/* crawl.c: takes inner page r (owned from now on), analyses it and queues
 * the next; 1 when one was queued. */
int sw__engine_crawl_page(struct sw__engine *e, struct sw__item *it, struct sw_fetch_result *r);

/* The fetcher's callback (check.c): collects an item's views and, when
 * the last arrives, checks, stores and reports the site. */
void sw__engine_on_result(struct sw_fetch_result *r, void *arg);

/* counters.c */
void sw__engine_count_check(struct sw_engine_counters *c, const struct sw_engine_check *chk,
			    int failed, int64_t latency_ms);
void sw__engine_count_round(struct sw_engine_counters *c, size_t taken, int64_t now);
void sw__engine_count_idle(struct sw_engine_counters *c);

#endif
