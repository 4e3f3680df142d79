/*
 * engine.c - the monitoring loop (engine.h).
 *
 * Each round schedules sites never seen (spread over their interval),
 * takes a batch of due sites, fetches them all on one fetcher, and for
 * each result runs the checks (check.c), stores them in one transaction
 * and calls the caller's hook.  Then on_tick, and a sleep until the next
 * site is due (at most max_sleep seconds, so newly registered sites and
 * "check now" requests are seen soon).
 *
 * Several nodes may run this loop on one store (store/lease.h): each
 * round a node leases its batch of due sites, so no two nodes check the
 * same site, and a lease lapses after lease_s so that a dead node's sites
 * are taken again within one interval.  Results are judged as they arrive
 * on the fetcher's thread and written write_batch at a time (or once the
 * oldest waited a second) in one transaction: a commit is what costs on
 * PostgreSQL (a round trip and a WAL flush), not the rows.  The hooks run
 * after the commit, outside any transaction.
 */
#include "engine/engine_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probe/sched.h"
#include "register/register.h"
#include "store/lease.h"
#include "store/node.h"

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
	o->write_batch = 200;
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
		sw_findings_init(&it->fs);
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
		sw_findings_cleanup(&it->fs);
		free(it->rec);
		free(it->vantage);
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
 * over its interval unless `spread` is 0), in one transaction.  Another
 * node doing the same at once is harmless: the first schedule stays. */
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
			rc = sw_store_sched_add(
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

/* Queues one vantage check (sw_store_vantage_lease's callback): the
 * site's page as itself, nothing else. */
static int queue_vantage(void *arg, const struct sw_vantage_due *d)
{
	struct sw__engine *e = arg;
	struct sw__item *it = sw__item_new();

	if (!it || !(it->url = strdup(d->url)) || !(it->vantage = strdup(d->vantage)) ||
	    sw_fetcher_add_ex(e->f, d->url, &it->slot[SW_FETCH_AS_SELF], SW_FETCH_AS_SELF, 0)) {
		sw__item_free(it);
		e->rc = sw_errf(&e->eb, SW_ENOMEM, "out of memory queueing site %lld",
				(long long)d->site_id);
		return 1;
	}
	it->views = 1;
	it->site_id = d->site_id;
	it->group_id = d->group_id;
	return 0;
}

/* Milliseconds on a clock that does not jump. */
static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Registers the node or refreshes its heartbeat. */
static enum sw_err beat(struct sw__engine *e, int64_t now)
{
	e->beat_at = now;
	return sw_store_node_beat(e->st, e->node, e->labels_text, e->started_at, now, e->lease_s,
				  &e->eb);
}

/*
 * Writes the waiting items in one transaction, then (committed) reports
 * each: baseline, counters, hook.  The items are freed whatever happens;
 * a failed write leaves their sites leased, so they are checked again
 * when the leases lapse.
 */
static enum sw_err flush(struct sw__engine *e)
{
	enum sw_err rc = SW_OK;
	size_t i;

	if (e->npend == 0)
		return SW_OK;
	if (!(rc = sw_store_batch_begin(e->st, &e->eb))) {
		for (i = 0; i < e->npend && !rc; i++)
			rc = sw__engine_store(e, e->pend[i]);
		if (rc)
			sw_store_rollback(e->st);
		else
			rc = sw_store_commit(e->st, &e->eb);
	}
	for (i = 0; i < e->npend; i++) {
		if (!rc)
			rc = sw__engine_report(e, e->pend[i]);
		sw__item_free(e->pend[i]);
	}
	e->npend = 0;
	/* A long round still beats, so the node does not look dead. */
	if (!rc && (int64_t)time(NULL) - e->beat_at >= 10)
		rc = beat(e, time(NULL));
	return rc;
}

/* Frees the waiting items unwritten (a failed round: their leases lapse). */
static void drop_pending(struct sw__engine *e)
{
	for (size_t i = 0; i < e->npend; i++)
		sw__item_free(e->pend[i]);
	e->npend = 0;
}

enum sw_err sw__engine_pend(struct sw__engine *e, struct sw__item *it)
{
	size_t cap = e->o->write_batch > 0 ? (size_t)e->o->write_batch : 1;

	if (!e->pend && !(e->pend = calloc(cap, sizeof *e->pend))) {
		sw__item_free(it);
		return sw_errf(&e->eb, SW_ENOMEM, "out of memory keeping results");
	}
	if (e->npend == 0)
		e->pend_since_ms = mono_ms();
	e->pend[e->npend++] = it;
	if (e->npend < cap && mono_ms() - e->pend_since_ms < 1000)
		return SW_OK;
	return flush(e);
}

/* One round: the heartbeat, new sites scheduled, up to batch due sites
 * leased and checked, then this node's vantage checks.  *n gets how many
 * were taken. */
static enum sw_err round_once(struct sw__engine *e, int64_t due_by, size_t *n)
{
	const struct sw_engine_opts *o = e->o;
	struct sw_fetch_stats fst;
	int64_t now = time(NULL);
	size_t before;
	enum sw_err rc;

	if ((rc = beat(e, now)) || (rc = schedule_new(e->st, now, !o->once, &e->eb)))
		return rc;
	sw_fetcher_stats(e->f, &fst);
	before = (size_t)fst.added;
	rc = sw_store_lease_due(e->st, e->node, due_by, now, now + e->lease_s, o->batch, queue_due,
				e, &e->eb);
	if (!rc && !e->rc && e->n_labels)
		rc = sw_store_vantage_lease(e->st, e->node, e->labels, e->n_labels, now,
					    now + e->lease_s, o->batch, queue_vantage, e, &e->eb);
	if (rc || e->rc) {
		/* Drain what was queued so every item is freed by its callback. */
		sw_fetcher_stop(e->f);
		sw_fetcher_run(e->f, sw__engine_on_result, e, NULL);
		drop_pending(e);
		return rc ? rc : e->rc;
	}
	sw_fetcher_stats(e->f, &fst);
	*n = (size_t)fst.added - before;
	sw__engine_count_round(o->counters, *n, now);
	if (*n && (rc = sw_fetcher_run(e->f, sw__engine_on_result, e, &e->eb)))
		return rc;
	/* What the fetcher judged last and did not yet write. */
	if (!e->rc)
		e->rc = flush(e);
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

	if (sw_store_lease_next(st, &next, NULL) == SW_OK && next - now < wait)
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Sets the node's identity: its name (the host name by default), its
 * labels sorted and joined, and its lease time: twice the fetch time-out
 * plus 10 s (a site's views and retries fit), at most the global
 * interval, so a dead node's sites are taken again within one interval.
 */
static enum sw_err identity(struct sw__engine *e, struct sw_errbuf *eb)
{
	const struct sw_engine_opts *o = e->o;
	struct sw_policy global;
	long interval;
	size_t used = 0;
	enum sw_err rc;

	if (o->node && *o->node) {
		e->node = o->node;
	} else {
		if (gethostname(e->node_buf, sizeof e->node_buf - 1) || !e->node_buf[0])
			snprintf(e->node_buf, sizeof e->node_buf, "localhost");
		e->node = e->node_buf;
	}
	if (o->n_labels > SW__LABELS_MAX)
		return sw_errf(eb, SW_ELIMIT, "at most %d labels per node", SW__LABELS_MAX);
	for (size_t i = 0; i < o->n_labels; i++)
		e->labels[e->n_labels++] = o->labels[i];
	qsort(e->labels, e->n_labels, sizeof e->labels[0], cmp_str);
	for (size_t i = 0; i < e->n_labels; i++) {
		int k = snprintf(e->labels_text + used, sizeof e->labels_text - used, "%s%s",
				 i ? "," : "", e->labels[i]);

		if (k < 0 || (size_t)k >= sizeof e->labels_text - used)
			return sw_errf(eb, SW_ELIMIT, "node labels too long");
		used += (size_t)k;
	}
	if ((rc = sw_reg_policy(e->st, 0, 0, &global, eb)))
		return rc;
	interval = sw_policy_int(&global, "interval");
	e->lease_s = o->lease_s > 0 ? o->lease_s : 2 * (o->fetch.timeout_ms / 1000) + 10;
	if (o->lease_s <= 0 && e->lease_s > interval)
		e->lease_s = interval;
	if (e->lease_s < 1)
		e->lease_s = 1;
	return SW_OK;
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
	e.started_at = t0;
	if ((rc = identity(&e, eb)))
		return rc;
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
	/* Sites taken and not checked (a stop) are given back at once. */
	if (!rc)
		rc = sw_store_lease_release(st, e.node, &e.eb);
	drop_pending(&e);
	free(e.pend);
	sw_fetcher_free(e.f);
	sw_an_rules_free(e.rules);
	if (rc)
		sw_errf(eb, rc, "%s", e.eb.msg[0] ? e.eb.msg : sw_strerror(rc));
	return rc;
}
