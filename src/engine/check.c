/*
 * check.c - one site's check in the engine: the engine's own checks and
 * the page analyzers under the site's policy, the flapping rule, one
 * transaction for snapshot, check, findings, state and next due time, the
 * first baseline, the counters and the caller's hook.
 */
#include "engine/engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/baseline.h"
#include "analyze/fetched.h"
#include "probe/checks.h"
#include "probe/sched.h"
#include "register/register.h"
#include "store/crawl.h"
#include "store/lease.h"

#define KNOWN_MAX 16

/* Splits a ';' or ',' list of addresses into v (at most n - 1, NULL
 * terminated), cutting s in place.  Returns v, or NULL when s is empty. */
static const char *const *split_ips(char *s, const char **v, size_t n)
{
	char *save = NULL;
	size_t k = 0;

	for (char *tok = s ? strtok_r(s, ";, ", &save) : NULL; tok && k + 1 < n;
	     tok = strtok_r(NULL, ";, ", &save))
		v[k++] = tok;
	v[k] = NULL;
	return k ? v : NULL;
}

/* Fills the check row of result r made at now. */
static void check_row(const struct sw_fetch_result *r, const struct sw__item *it, int64_t now,
		      const char *hash, struct sw_check_row *c)
{
	memset(c, 0, sizeof *c);
	c->site_id = it->site_id;
	c->checked_at = now;
	c->status = r->status;
	c->err = (int)r->err;
	c->total_ms = r->elapsed_us / 1000;
	c->dns_ms = r->times.dns_us / 1000;
	c->connect_ms = r->times.connect_us / 1000;
	c->tls_ms = r->times.tls_us / 1000;
	c->first_byte_ms = r->times.first_byte_us / 1000;
	c->ip = r->primary_ip;
	c->http_version = r->http_version;
	c->body_hash = hash;
	c->body_size = (int64_t)r->body_len;
	if (r->tls.present && r->tls.n_certs)
		c->tls_not_after = r->tls.certs[0].not_after;
}

/* What store_result leaves for the hook (struct sw__recorded in
 * engine_int.h). */
#define recorded sw__recorded

/* Stores snapshot, check and findings of one result, inside the batch's
 * transaction (engine.c) or one of its own. */
static enum sw_err store_result(struct sw__engine *e, const struct sw_fetch_result *r,
				const struct sw__item *it, const struct sw_findings *fs,
				const struct sw_sched_verdict *v, long interval, int64_t now,
				struct recorded *out, struct sw_errbuf *eb)
{
	struct sw_check_finding f[SW__FINDINGS_MAX];
	struct sw_site_state s = {.up = v->up};
	char ips[16 * 49];
	const struct sw__crawl *cr = it->crawl;
	size_t n = fs->n < SW__FINDINGS_MAX ? fs->n : SW__FINDINGS_MAX;
	enum sw_err rc = SW_OK;

	if ((rc = sw_store_begin(e->st, eb)))
		return rc;
	/* Only a response has a body worth keeping (an empty one included:
	 * "the page became empty" is evidence too). */
	out->has_key = r->status > 0;
	if (out->has_key)
		rc = sw_store_snapshot_put(e->st, r->body, r->body_len, now, out->key, NULL, eb);
	check_row(r, it, now, out->has_key ? out->key : NULL, &out->c);
	for (size_t i = 0; i < n; i++) {
		f[i] = (struct sw_check_finding){fs->v[i].kind->key, sw_sev_name(fs->v[i].sev),
						 fs->v[i].title, fs->v[i].evidence, NULL};
		out->f[i] = (struct sw_engine_finding){f[i].kind, f[i].severity, f[i].title,
						       f[i].evidence, NULL};
	}
	/* Then the inner pages' findings, each with its page. */
	for (size_t i = 0; cr && i < cr->fs.n && n < SW__FINDINGS_MAX; i++, n++) {
		const struct sw_finding *x = &cr->fs.v[i];

		f[n] = (struct sw_check_finding){x->kind->key, sw_sev_name(x->sev), x->title,
						 x->evidence, cr->r[cr->page_of[i]]->url};
		out->f[n] = (struct sw_engine_finding){f[n].kind, f[n].severity, f[n].title,
						       f[n].evidence, f[n].page};
	}
	out->n = n;
	s.since = v->changed ? now : it->since;
	s.checked_at = now;
	s.last_status = r->status;
	s.last_err = (int)r->err;
	s.last_ms = out->c.total_ms;
	s.open_findings = (int64_t)n;
	sw__engine_addrs(r, ips, sizeof ips);
	if (!rc && it->exposure)
		rc = sw_store_exposure_mark(e->st, it->site_id, now, eb);
	if (!rc)
		rc = sw_store_check_record_by(e->st, e->node, &out->c, f, n, &s,
					      sw_sched_next_due(it->site_id, now, interval), v->fails,
					      ips[0] ? ips : NULL, eb);
	if (rc) {
		sw_store_rollback(e->st);
		return rc;
	}
	return sw_store_commit(e->st, eb);
}

/* Every address the name resolved to, ';'-joined into buf (the primary
 * address when the resolver's list is empty): what the site is known by
 * next time (a hijack may add one beside the old). */
void sw__engine_addrs(const struct sw_fetch_result *r, char *buf, size_t cap)
{
	buf[0] = '\0';
	for (size_t i = 0, used = 0; i < r->n_addrs && used < cap; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ";" : "", r->addrs[i]);
	if (!buf[0] && r->primary_ip[0])
		snprintf(buf, cap, "%s", r->primary_ip);
}

/* Loads it's policy into it->pol once. */
static enum sw_err load_policy(struct sw__engine *e, struct sw__item *it)
{
	if (it->pol)
		return SW_OK;
	enum sw_err rc;

	if (!(it->pol = malloc(sizeof *it->pol)))
		return sw_errf(&e->eb, SW_ENOMEM, "out of memory checking site %lld",
			       (long long)it->site_id);
	if ((rc = sw_reg_policy(e->st, it->group_id, it->site_id, it->pol, &e->eb))) {
		free(it->pol);
		it->pol = NULL;
	}
	return rc;
}

/* A worker that dies is a finding, not a failure. */
enum sw_err sw__engine_analyze(struct sw__engine *e, struct sw__item *it,
			       struct sw_engine_facts *facts, struct sw_an_links *links)
{
	struct sw_baseline *base = NULL;
	int exists = 0;
	enum sw_err rc;

	if ((rc = sw_engine_facts_load(e->st, it->site_id, facts, &e->eb)) ||
	    (rc = sw_engine_baseline_load(e->st, it->site_id, &base, &exists, &e->notes, &e->eb)))
		goto out;
	it->no_baseline = !exists;
	rc = sw_fetched_analyze(e->rules, it->r[SW_FETCH_AS_SELF], it->r[SW_FETCH_AS_SPIDER],
				it->r[SW_FETCH_AS_SEARCH], &facts->site, base, it->pol, &e->lim,
				&it->afs, links, &e->eb);
out:
	sw_baseline_free(base);
	return rc;
}

/* Moves the findings of from to the end of to. */
static enum sw_err take_findings(struct sw_findings *to, struct sw_findings *from)
{
	for (size_t i = 0; i < from->n; i++)
		if (sw_findings_add(to, from->v[i].kind->key, from->v[i].sev, from->v[i].evidence, "%s",
				    from->v[i].title))
			return SW_ENOMEM;
	sw_findings_cleanup(from);
	sw_findings_init(from);
	return SW_OK;
}

/*
 * Judges one site's result under its policy: the engine's checks, the
 * page analyzers, the exposure probe's answers, the vantage points'
 * comparison and the flapping rule, into it->fs and it->v.  Nothing is
 * written but vantage rows; sw__engine_store writes the rest in a batch.
 */
enum sw_err sw__engine_judge(struct sw__engine *e, struct sw__item *it)
{
	const struct sw_fetch_result *r = it->r[SW_FETCH_AS_SELF];
	const char *known[KNOWN_MAX];
	struct sw_check_ctx ctx;
	enum sw_err rc;

	it->now = time(NULL);
	ctx = (struct sw_check_ctx){.now = it->now};
	if ((rc = load_policy(e, it)))
		return rc;
	/* The register's addresses when it lists any, else the last seen. */
	ctx.known_ips = split_ips(it->ips, known, KNOWN_MAX);
	if (!ctx.known_ips)
		ctx.known_ips = split_ips(it->last_ips, known, KNOWN_MAX);
	rc = sw_probe_checks(r, it->pol, &ctx, &it->fs);
	if (!rc && e->rules && !it->analysed && sw_fetched_analysable(r)) {
		struct sw_engine_facts facts;

		rc = sw__engine_analyze(e, it, &facts, NULL);
		sw_engine_facts_free(&facts);
	}
	if (!rc)
		rc = take_findings(&it->fs, &it->afs);
	if (!rc && it->exposure)
		rc = sw__engine_exposure_judge(it, &it->fs);
	if (!rc)
		rc = sw__engine_vantage_compare(e, it, &it->fs);
	it->v = sw_sched_judge(it->fails, it->up, sw_sched_failed(r->err, r->status),
			       sw_policy_int(it->pol, "fail_threshold"));
	if (!it->v.report)
		sw_sched_hold_back(&it->fs);
	it->interval = sw_policy_int(it->pol, "interval");
	return rc;
}

/* Writes the judged item (snapshot, check, findings, state, schedule)
 * into the caller's transaction; the record for the hook goes to it->rec. */
enum sw_err sw__engine_store(struct sw__engine *e, struct sw__item *it)
{
	if (!it->rec && !(it->rec = calloc(1, sizeof *it->rec)))
		return sw_errf(&e->eb, SW_ENOMEM, "out of memory checking site %lld",
			       (long long)it->site_id);
	return store_result(e, it->r[SW_FETCH_AS_SELF], it, &it->fs, &it->v, it->interval,
			    it->now, it->rec, &e->eb);
}

/* After the batch committed: the first baseline and the caller's hook. */
enum sw_err sw__engine_report(struct sw__engine *e, struct sw__item *it)
{
	const struct sw_fetch_result *r = it->r[SW_FETCH_AS_SELF];
	struct recorded *rec = it->rec;
	struct sw_engine_check chk;
	int learned = 0;
	enum sw_err rc = SW_OK;

	/* A site's first baseline comes from its first few distinct pages. */
	if (it->no_baseline && sw_policy_has(it->pol, "checks", "deface"))
		rc = sw_engine_learn(e->st, it->site_id, r->url, &e->lim, &learned, &e->notes,
				     &e->eb);
	if (!rc) {
		chk = (struct sw_engine_check){
			.site_id = it->site_id, .group_id = it->group_id, .check_id = rec->c.id,
			.checked_at = it->now, .up = it->v.up, .changed = it->v.changed,
			.learned = learned, .findings = rec->f, .n_findings = rec->n,
			.snapshot_key = rec->has_key ? rec->key : NULL, .self = r,
			.spider = it->r[SW_FETCH_AS_SPIDER], .search = it->r[SW_FETCH_AS_SEARCH],
			.pages = it->crawl ? (const struct sw_fetch_result *const *)it->crawl->r : NULL,
			.n_pages = it->crawl ? it->crawl->n : 0};
		sw__engine_count_check(e->o->counters, &chk, sw_sched_failed(r->err, r->status),
				       r->elapsed_us / 1000);
		if (e->o->on_check)
			e->o->on_check(e->o->hook_arg, e->st, &chk);
	}
	return rc;
}

/* Abandoned fetches are dropped (the site stays due); a store failure
 * stops the fetcher and is reported by the loop. */
void sw__engine_on_result(struct sw_fetch_result *r, void *arg)
{
	struct sw__engine *e = arg;
	struct sw__slot *sl = r->user;
	struct sw__item *it = sl->it;

	if (sl->i == SW__SLOT_CRAWL) {
		if (sw__engine_crawl_page(e, it, r))
			return;
		goto done;
	}
	it->r[sl->i] = r;
	if (sl->i >= SW__SLOT_SOFT404) {
		it->abandoned |= r->err == SW_FETCH_EABORTED;
		if (--it->xpending > 0)
			return;
		goto crawl;
	}
	/* The views go one after the other on the connection of the first
	 * (SW_FETCH_F_NEXT): one TLS handshake for the three.  The spider's
	 * and the visitor's view only matter for a page worth analysing. */
	if (r->err != SW_FETCH_EABORTED && sl->i + 1 < it->views &&
	    sw_fetched_analysable(it->r[SW_FETCH_AS_SELF]) &&
	    sw_fetcher_add_ex(e->f, it->url, &it->slot[sl->i + 1], (enum sw_fetch_as)(sl->i + 1),
			      SW_FETCH_F_NEXT | SW_FETCH_F_KEEP) == SW_OK)
		return;
	/* Once a day, where the policy wants it: the exposure path probe. */
	if (r->err != SW_FETCH_EABORTED && !e->rc && e->o->exposure && !it->vantage &&
	    it->r[SW_FETCH_AS_SELF]->status > 0 && sw__engine_exposure_start(e, it))
		return;
crawl:
	/* Then, where the policy wants it, the inner pages (crawl.c). */
	if (it->r[SW_FETCH_AS_SELF]->err != SW_FETCH_EABORTED && !it->abandoned && !e->rc &&
	    !it->vantage && e->o->crawl && e->rules && !(e->rc = load_policy(e, it)) &&
	    sw__engine_crawl_start(e, it))
		return;
	if (e->rc)
		sw_fetcher_stop(e->f);
done:
	if (it->r[SW_FETCH_AS_SELF]->err == SW_FETCH_EABORTED || it->abandoned || e->rc) {
		sw__item_free(it);
		return;
	}
	/* A vantage check only notes what it saw; a site's check is judged
	 * now and written with the batch (engine.c). */
	if (it->vantage)
		e->rc = sw__engine_vantage_done(e, it);
	else if (!(e->rc = sw__engine_judge(e, it)))
		e->rc = sw__engine_pend(e, it), it = NULL;
	if (e->rc)
		sw_fetcher_stop(e->f);
	sw__item_free(it);
}
