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
#include "probe/sched.h"
#include "store/store.h"

struct sw__item;

/* Labels a node may carry (--label), and their text's bound. */
#define SW__LABELS_MAX 16
#define SW__LABEL_LEN 64

/* State of one run, shared with the fetcher's callback. */
struct sw__engine {
	const char *node;          /* this node's name (o->node or the host name) */
	char node_buf[256];
	const char *labels[SW__LABELS_MAX]; /* this node's labels, sorted */
	size_t n_labels;
	char labels_text[SW__LABELS_MAX * SW__LABEL_LEN]; /* "a=b,c=d" */
	int64_t lease_s;           /* how long a lease lasts */
	int64_t started_at, beat_at; /* unix seconds: start, last heartbeat */
	/* Judged items waiting to be written in one transaction (engine.c):
	 * owned; written when write_batch are waiting or a second passed. */
	struct sw__item **pend;
	size_t npend;
	int64_t pend_since_ms;
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

/* Findings kept per check (the site's and its inner pages'). */
#define SW__FINDINGS_MAX 64

/* What a stored check leaves for the hook. */
struct sw__recorded {
	struct sw_check_row c;
	char key[SW_SNAPSHOT_KEY_LEN];
	int has_key;
	struct sw_engine_finding f[SW__FINDINGS_MAX];
	size_t n;
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
	char *vantage;                 /* a vantage check for this label; NULL: the
					* site's own check; owned */
	/* Set by sw__engine_judge for the batch: */
	struct sw_findings fs;         /* every finding of the check */
	struct sw_sched_verdict v;
	long interval;
	int64_t now;                   /* when it was judged */
	struct sw__recorded *rec;      /* set by sw__engine_store; owned */
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

/* check.c: judges a fetched item (findings, verdict) without writing it. */
enum sw_err sw__engine_judge(struct sw__engine *e, struct sw__item *it);

/* check.c: writes a judged item inside the caller's transaction. */
enum sw_err sw__engine_store(struct sw__engine *e, struct sw__item *it);

/* check.c: after the commit: first baseline, counters, on_check. */
enum sw_err sw__engine_report(struct sw__engine *e, struct sw__item *it);

/* check.c: the ';'-joined addresses r resolved to into buf. */
void sw__engine_addrs(const struct sw_fetch_result *r, char *buf, size_t cap);

/* engine.c: takes a judged item (owned from now on, freed also on
 * failure) into the batch, writing the batch when it is full or old. */
enum sw_err sw__engine_pend(struct sw__engine *e, struct sw__item *it);

/* vantage.c: notes what a vantage check saw (it->vantage set). */
enum sw_err sw__engine_vantage_done(struct sw__engine *e, struct sw__item *it);

/* vantage.c: keeps the site's vantage rows as its policy asks and adds a
 * finding to fs when the vantage points saw different addresses or pages. */
enum sw_err sw__engine_vantage_compare(struct sw__engine *e, struct sw__item *it,
				       struct sw_findings *fs);

/* counters.c */
void sw__engine_count_check(struct sw_engine_counters *c, const struct sw_engine_check *chk,
			    int failed, int64_t latency_ms);
void sw__engine_count_round(struct sw_engine_counters *c, size_t taken, int64_t now);
void sw__engine_count_idle(struct sw_engine_counters *c);

#endif
