/*
 * engine.c - the monitoring loop (engine.h).
 *
 * Each round schedules sites never seen (spread over their interval),
 * takes a batch of due sites, fetches them all on one fetcher, and for
 * each result runs the checks (check.c), stores them in one transaction
 * and calls the caller's hook.  Then on_tick, and a sleep until the next
 * site is due (at most max_sleep seconds, so newly registered sites and
 * "check now" requests are seen soon).  Results are written as they
 * arrive, on the fetcher's thread: a check is small and SQLite or a nearby
 * PostgreSQL writes it in well under a millisecond.
 */
#include "engine/engine_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "probe/sched.h"
#include "register/register.h"

void sw_engine_opts_init(struct sw_engine_opts *o)
{
	memset(o, 0, sizeof *o);
	o->content = 1;
	o->cloaking = 1;
	o->crawl = 1;
	o->exposure = 1;
	o->batch = 1000;
	o->max_sleep = 10;
	o->keep_days = 30;
	sw_fetch_opts_init(&o->fetch);
}

struct sw__item *sw__item_new(void)
{
	struct sw__item *it = calloc(1, sizeof *it);

	for (int i = 0; it && i < SW__SLOTS; i++)
		it->slot[i] = (struct sw__slot){it, i};
	if (it) {
		it->slot_crawl = (struct sw__slot){it, SW__SLOT_CRAWL};
		sw_findings_init(&it->afs);
	}
	return it;
}

void sw__item_free(struct sw__item *it)
{
	if (it) {
		free(it->ips);
		free(it->last_ips);
		free(it->url);
		for (int i = 0; i < SW__SLOTS; i++)
			sw_fetch_result_free(it->r[i]);
		free(it->pol);
		sw_findings_cleanup(&it->afs);
		sw__crawl_free(it->crawl);
		free(it);
	}
}

/* Site ids and groups collected by the unscheduled walk. */
struct newsites {
	int64_t (*v)[2];
	size_t n, cap;
};

static int collect_new(void *arg, int64_t site_id, int64_t group_id)
{
	struct newsites *ns = arg;

	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? 2 * ns->cap : 256;
		int64_t(*v)[2] = realloc(ns->v, cap * sizeof *v);

		if (!v)
			return 1;
		ns->v = v;
		ns->cap = cap;
	}
	ns->v[ns->n][0] = site_id;
	ns->v[ns->n++][1] = group_id;
	return 0;
}

/* Gives every active site without a schedule its first due time (spread
 * over its interval unless `spread` is 0), in one transaction. */
static enum sw_err schedule_new(struct sw_store *st, int64_t now, int spread,
				struct sw_errbuf *eb)
{
	struct newsites ns = {0};
	struct sw_policy pol;
	enum sw_err rc;

	if ((rc = sw_store_sched_unscheduled(st, collect_new, &ns, eb)) || ns.n == 0)
		goto out;
	if ((rc = sw_store_begin(st, eb)))
		goto out;
	for (size_t i = 0; i < ns.n && !rc; i++) {
		rc = sw_reg_policy(st, ns.v[i][1], ns.v[i][0], &pol, eb);
		if (!rc)
			rc = sw_store_sched_set(
				st, ns.v[i][0],
				sw_sched_first_due(ns.v[i][0], now, sw_policy_int(&pol, "interval"),
						   spread),
				eb);
	}
	if (rc)
		sw_store_rollback(st);
	else
		rc = sw_store_commit(st, eb);
out:
	free(ns.v);
	return rc;
}

/* Queues one due site on the fetcher (sw_store_due's callback). */
static int queue_due(void *arg, const struct sw_due *d)
{
	struct sw__engine *e = arg;
	struct sw__item *it = sw__item_new();
	int views = e->rules && e->o->cloaking ? 3 : 1;

	if (it)
		it->views = views;
	/* Once the first view is queued the item belongs to the callbacks,
	 * which queue the other views one after the other on its connection
	 * (check.c). */
	if (!it || (d->ips && !(it->ips = strdup(d->ips))) ||
	    (d->last_ips && !(it->last_ips = strdup(d->last_ips))) ||
	    !(it->url = strdup(d->url)) ||
	    sw_fetcher_add_ex(e->f, d->url, &it->slot[SW_FETCH_AS_SELF], SW_FETCH_AS_SELF,
			      views > 1 ? SW_FETCH_F_KEEP : 0)) {
		sw__item_free(it);
		e->rc = sw_errf(&e->eb, SW_ENOMEM, "out of memory queueing site %lld",
				(long long)d->site_id);
		return 1;
	}
	it->site_id = d->site_id;
	it->group_id = d->group_id;
	it->fails = d->fails;
	it->up = d->up;
	it->since = d->since;
	return 0;
}

/* One round: new sites scheduled, up to batch due sites checked.  *n gets
 * how many were taken. */
static enum sw_err round_once(struct sw__engine *e, int64_t now, size_t *n)
{
	const struct sw_engine_opts *o = e->o;
	struct sw_fetch_stats fst;
	size_t before;
	enum sw_err rc;

	if ((rc = schedule_new(e->st, now, !o->once, &e->eb)))
		return rc;
	sw_fetcher_stats(e->f, &fst);
	before = (size_t)fst.added;
	if ((rc = sw_store_due(e->st, now, o->batch, queue_due, e, &e->eb)) || e->rc) {
		/* Drain what was queued so every item is freed by its callback. */
		sw_fetcher_stop(e->f);
		sw_fetcher_run(e->f, sw__engine_on_result, e, NULL);
		return rc ? rc : e->rc;
	}
	sw_fetcher_stats(e->f, &fst);
	*n = (size_t)fst.added - before;
	sw__engine_count_round(o->counters, *n, now);
	if (*n && (rc = sw_fetcher_run(e->f, sw__engine_on_result, e, &e->eb)))
		return rc;
	sw__engine_count_idle(o->counters);
	return e->rc;
}

static int stopped(volatile sig_atomic_t *stop)
{
	return stop && *stop;
}

/* Sleeps until the next site is due, at most max_sleep seconds, in steps
 * of 200 ms so a stop from another thread is seen soon. */
static void sleep_until_due(struct sw_store *st, long max_sleep, volatile sig_atomic_t *stop)
{
	int64_t next, wait = max_sleep, now = time(NULL);
	long steps;

	if (sw_store_sched_next(st, &next, NULL) == SW_OK && next - now < wait)
		wait = next - now;
	if (wait < 1)
		wait = 1;
	steps = (long)wait * 5;
	for (long i = 0; i < steps && !stopped(stop); i++) {
		struct timespec ts = {0, 200 * 1000 * 1000};

		while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !stopped(stop))
			;
	}
}

/* Deletes history older than keep_days, at most once an hour (*last is
 * when it last ran).  A failure is a note and the loop goes on:
 * monitoring matters more than tidiness. */
static void retention(struct sw__engine *e, int64_t now, int64_t *last)
{
	long keep_days = e->o->keep_days;
	int64_t nc = 0, ns = 0;
	struct sw_errbuf eb;

	if (keep_days <= 0 || now - *last < 3600)
		return;
	*last = now;
	sw_errbuf_clear(&eb);
	if (sw_store_history_prune(e->st, now - (int64_t)keep_days * 86400, &nc, &ns, &eb))
		sw_engine_note(&e->notes, "retention failed: %s", eb.msg);
	else if (nc || ns)
		sw_engine_note(&e->notes,
			       "deleted %lld check(s) and %lld snapshot(s) older than %ld day(s)",
			       (long long)nc, (long long)ns, keep_days);
}

enum sw_err sw_engine_run(struct sw_store *st, const struct sw_engine_opts *o,
			  volatile sig_atomic_t *stop, struct sw_errbuf *eb)
{
	struct sw__engine e = {.st = st, .o = o};
	struct sw_fetch_opts fo = o->fetch;
	int64_t t0 = time(NULL), pruned = 0;
	const char *rules_dir = o->rules_dir;
	enum sw_err rc;

	sw_errbuf_clear(&e.eb);
	e.notes.fn = o->on_note;
	e.notes.arg = o->hook_arg;
	sw_an_worker_limits_init(&e.lim);
	if (!rules_dir)
		rules_dir = getenv("SITEWARDEN_RULES");
	if (o->content && (rc = sw_an_rules_load(rules_dir, &e.rules, eb)))
		return rc;
	fo.stop = stop;
	if ((rc = sw_fetcher_new(&fo, &e.f, eb))) {
		sw_an_rules_free(e.rules);
		return rc;
	}
	while (!stopped(stop)) {
		/* once: everything due at the start, also when a round is slow;
		 * checked sites are due again after t0, so this ends. */
		size_t n = 0;
		int64_t now = time(NULL);

		retention(&e, now, &pruned);
		if ((rc = round_once(&e, o->once ? t0 : now, &n)))
			break;
		if (o->on_tick)
			o->on_tick(o->hook_arg, st, (int64_t)time(NULL));
		if (n == 0 && o->once)
			break;
		if (n == 0)
			sleep_until_due(st, o->max_sleep, stop);
	}
	sw_fetcher_free(e.f);
	sw_an_rules_free(e.rules);
	if (rc)
		sw_errf(eb, rc, "%s", e.eb.msg[0] ? e.eb.msg : sw_strerror(rc));
	return rc;
}
