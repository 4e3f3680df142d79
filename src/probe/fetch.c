/*
 * fetch.c - the fetching engine: starting queued fetches within the
 * limits, following redirects, delivering results, and one libcurl multi
 * event loop.  The queues themselves are in fetch_queue.c.
 *
 * Facts that shaped it:
 *  - The limits are ours, not libcurl's: CURLMOPT_MAX_HOST_CONNECTIONS
 *    counts connections (HTTP/2 multiplexes many transfers on one) and its
 *    pending queue is invisible.  Our own queue also routes every redirect
 *    hop through the limit of the host it goes to.
 *  - A redirect hop goes to the front of its host's queue and its host to
 *    the front of the ready list: a fetch that has started should finish
 *    before new ones begin.
 *  - curl_multi_poll sleeps at most a second, so a stop requested by a
 *    signal handler (which only sets a flag) is seen within that time even
 *    if the signal arrived just before poll() began.
 */
#include "probe/fetch_int.h"

#include <libpsl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Returns a monotonic clock reading in microseconds. */
static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Frees what the job holds besides its result (which has been handed on). */
static void job_free(struct sw__job *j)
{
	if (j->easy != NULL)
		curl_easy_cleanup(j->easy);
	sw__dns_cancel(j);
	curl_slist_free_all(j->res_list);
	free(j->origin_domain);
	free(j->bare);
	free(j);
}

/* Hands j's result to the callback and frees j.  The result is completed
 * first: final URL, charset, and the error message when only a kind is set. */
static void deliver(struct sw_fetcher *f, struct sw__job *j)
{
	struct sw_fetch_result *r = j->r;

	if (r->n_hops > 0 && r->final_url == NULL)
		r->final_url = strdup(r->hops[r->n_hops - 1].url);
	if (r->body_len > 0)
		sw__charset_detect(r);
	if (r->err != SW_FETCH_OK && r->errmsg[0] == '\0')
		snprintf(r->errmsg, sizeof r->errmsg, "%s", sw_fetch_strerror(r->err));
	if (r->err == SW_FETCH_EABORTED)
		f->st.abandoned++;
	if (j->start_us > 0)
		r->elapsed_us = now_us() - j->start_us;
	j->r = NULL;
	job_free(j);
	f->st.done++;
	f->done(r, f->arg);
}

/* Appends j to the list of fetches that failed before any transfer. */
static void fail_later(struct sw_fetcher *f, struct sw__job *j)
{
	j->next = NULL;
	if (f->ftail != NULL)
		f->ftail->next = j;
	else
		f->fhead = j;
	f->ftail = j;
}

/* Delivers every fetch in the failed list, including any a callback adds. */
static void deliver_failed(struct sw_fetcher *f)
{
	struct sw__job *j;

	while ((j = f->fhead) != NULL) {
		f->fhead = j->next;
		if (f->fhead == NULL)
			f->ftail = NULL;
		deliver(f, j);
	}
}

/* Links j into the in-flight list and counts it against its host and the
 * global limit, updating the high-water marks the tests read. */
static void active_add(struct sw_fetcher *f, struct sw__job *j)
{
	j->aprev = NULL;
	j->anext = f->active;
	if (f->active != NULL)
		f->active->aprev = j;
	f->active = j;
	j->host->active++;
	f->st.active++;
	f->st.transfers++;
	if (f->st.active > f->st.active_max)
		f->st.active_max = f->st.active;
	if (j->host->active > f->st.host_active_max)
		f->st.host_active_max = j->host->active;
}

/* Unlinks j from the in-flight list and from libcurl, freeing its slots. */
static void active_remove(struct sw_fetcher *f, struct sw__job *j)
{
	if (j->aprev != NULL)
		j->aprev->anext = j->anext;
	else
		f->active = j->anext;
	if (j->anext != NULL)
		j->anext->aprev = j->aprev;
	j->aprev = j->anext = NULL;
	curl_multi_remove_handle(f->multi, j->easy);
	j->host->active--;
	f->st.active--;
}

/* Parks j while its host name is resolved: it keeps its slots. */
static void resolving_add(struct sw_fetcher *f, struct sw__job *j)
{
	j->dprev = NULL;
	j->dnext = f->resolving;
	if (f->resolving != NULL)
		f->resolving->dprev = j;
	f->resolving = j;
	j->host->active++;
	f->st.active++;
}

static void resolving_remove(struct sw_fetcher *f, struct sw__job *j)
{
	if (j->dprev != NULL)
		j->dprev->dnext = j->dnext;
	else
		f->resolving = j->dnext;
	if (j->dnext != NULL)
		j->dnext->dprev = j->dprev;
	j->dprev = j->dnext = NULL;
	j->host->active--;
	f->st.active--;
}

/* Starts j's current hop, or delivers j as failed when its time is up or
 * the handle cannot be set up.  Returns 1 when a transfer started (or the
 * first hop's name is being resolved). */
static int job_start(struct sw_fetcher *f, struct sw__job *j)
{
	long remaining;

	if (j->start_us == 0)
		j->start_us = now_us();
	if (!j->dns_done && j->r->n_hops == 1) {
		enum sw__dns_state ds = (j->flags & SW_FETCH_F_NEXT) ? SW__DNS_SKIP
								    : sw__dns_begin(f, j);

		j->dns_done = 1;
		if (ds == SW__DNS_WAIT) {
			resolving_add(f, j);
			return 1;
		}
		if (ds == SW__DNS_FAIL) {
			fail_later(f, j);
			return 0;
		}
	}
	remaining = f->o.timeout_ms - (long)((now_us() - j->start_us) / 1000);
	if (remaining <= 0) {
		sw__result_fail(j->r, SW_FETCH_ETIMEOUT, "timed out after %ld ms (redirects included)",
				f->o.timeout_ms);
	} else if (sw__xfer_setup(j, remaining) != SW_OK) {
		sw__result_fail(j->r, SW_FETCH_EOTHER, "cannot set up the transfer (out of memory?)");
	} else if (curl_easy_setopt(j->easy, CURLOPT_FORBID_REUSE,
				    (j->flags & SW_FETCH_F_KEEP) || (j->host && j->host->qhead)
					    ? 0L
					    : 1L) != CURLE_OK ||
		   (j->res_list && curl_easy_setopt(j->easy, CURLOPT_RESOLVE, j->res_list) != CURLE_OK) ||
		   curl_multi_add_handle(f->multi, j->easy) != CURLM_OK) {
		/* Keep the connection only when this host has more fetches
		 * waiting: a sweep visits most hosts once, and libcurl 7.88 walks
		 * its whole connection cache for every new connection once the
		 * cache is full (bench/probe measured 3.9x the CPU of a bare fetch
		 * with reuse, 1.5x without). */
		sw__result_fail(j->r, SW_FETCH_EOTHER, "libcurl refused the transfer");
	} else {
		active_add(f, j);
		return 1;
	}
	fail_later(f, j);
	return 0;
}

/* Starts (or fails) the fetches whose name lookup has ended. */
static void poll_resolving(struct sw_fetcher *f)
{
	struct sw__job *j, *next;

	for (j = f->resolving; j != NULL; j = next) {
		struct sw__host *p = j->host;

		next = j->dnext;
		if (!sw__dns_done(f, j))
			continue;
		resolving_remove(f, j);
		if (j->r->err != SW_FETCH_OK) {
			j->host = NULL;
			fail_later(f, j);
			sw__ready_push(f, p, 0);
			sw__host_release(f, p);
		} else if (!job_start(f, j)) {
			j->host = NULL;
			sw__ready_push(f, p, 0);
			sw__host_release(f, p);
		}
	}
}

/* Starts queued fetches while the global limit allows, taking one fetch
 * from each ready host in turn. */
static void start_ready(struct sw_fetcher *f)
{
	struct sw__host *p;
	struct sw__job *j;

	while (f->st.active < f->o.max_total && (p = f->rhead) != NULL) {
		f->rhead = p->rnext;
		if (f->rhead == NULL)
			f->rtail = NULL;
		p->in_ready = 0;
		if (p->qhead == NULL || p->active >= f->o.max_per_host)
			continue;
		j = p->qhead;
		p->qhead = j->next;
		if (p->qhead == NULL)
			p->qtail = NULL;
		f->st.queued--;
		if (!job_start(f, j)) {
			j->host = NULL;
			sw__ready_push(f, p, 0);
			sw__host_release(f, p);
			continue;
		}
		sw__ready_push(f, p, 0);
	}
}

/* Returns 1 when hop URL next already appears in r's chain. */
static int seen_before(const struct sw_fetch_result *r, const char *next)
{
	size_t i;

	for (i = 0; i < r->n_hops; i++)
		if (strcmp(r->hops[i].url, next) == 0)
			return 1;
	return 0;
}

/* Writes "a -> b -> ... -> next" into r's error message for a loop. */
static void fail_loop(struct sw_fetch_result *r, const char *next)
{
	char chain[sizeof r->errmsg];
	size_t i, used = 0;
	int n;

	chain[0] = '\0';
	for (i = 0; i < r->n_hops && used < sizeof chain; i++) {
		n = snprintf(chain + used, sizeof chain - used, "%s -> ", r->hops[i].url);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	sw__result_fail(r, SW_FETCH_ELOOP, "redirect loop: %s%s", chain, next);
}

/*
 * Follows the redirect of j's finished hop to next: refuses a loop, a chain
 * longer than the limit and a non-http(s) target, else records the hop and
 * queues it on its host.  Returns 1 when queued, 0 when j has failed.
 */
static int follow(struct sw_fetcher *f, struct sw__job *j, const char *next)
{
	struct sw_fetch_result *r = j->r;
	struct sw_fetch_hop *hop;
	struct sw__host *p = NULL;
	char *norm = NULL, *host = NULL, *bare = NULL, *dom = NULL;
	enum sw_err rc;
	int queued = 0;

	if (r->n_hops > (size_t)f->o.max_redirects) {
		sw__result_fail(r, SW_FETCH_EREDIRECTS, "more than %d redirects; the last to %s",
				f->o.max_redirects, next);
		return 0;
	}
	rc = sw__url_parse(next, &norm, &host, &bare);
	if (rc != SW_OK) {
		sw__result_fail(r, SW_FETCH_EURL, "redirect to a bad or non-http(s) URL: %.200s", next);
		return 0;
	}
	if (seen_before(r, norm)) {
		fail_loop(r, norm);
		goto out;
	}
	if ((dom = sw__registrable_domain(f, bare)) == NULL || (p = sw__host_get(f, host)) == NULL ||
	    (hop = sw__result_add_hop(r, norm)) == NULL) {
		sw__result_fail(r, SW_FETCH_EOTHER, "out of memory following a redirect");
		if (p != NULL)
			sw__host_release(f, p);
		goto out;
	}
	if (strcmp(dom, j->origin_domain) != 0)
		hop->cross_domain = r->cross_domain = 1;
	free(j->bare);
	j->bare = bare;
	bare = NULL;
	sw__host_enqueue(f, p, j, 1);
	queued = 1;
out:
	free(norm);
	free(host);
	free(bare);
	free(dom);
	return queued;
}

/* Handles a transfer libcurl reports done: collects its facts, then either
 * queues the redirect hop or delivers the result. */
static void finish(struct sw_fetcher *f, struct sw__job *j, CURLcode rc)
{
	struct sw__host *old = j->host;
	const char *next;

	sw__xfer_collect(j, rc);
	active_remove(f, j);
	next = j->r->err == SW_FETCH_OK ? sw__xfer_redirect(j) : NULL;
	if (next != NULL && follow(f, j, next)) {
		if (old != j->host) {
			sw__ready_push(f, old, 0);
			sw__host_release(f, old);
		}
		return;
	}
	j->host = NULL;
	sw__ready_push(f, old, 0);
	sw__host_release(f, old);
	deliver(f, j);
}

/* Delivers every fetch still in flight or queued as abandoned.  Fetches a
 * callback adds meanwhile stay queued for the next run. */
static void abandon_all(struct sw_fetcher *f)
{
	struct sw__job *j, *list = NULL, *last = NULL;
	struct sw__host *p;
	size_t i;

	while ((j = f->resolving) != NULL) {
		p = j->host;
		resolving_remove(f, j);
		sw__dns_cancel(j);
		j->host = NULL;
		j->next = NULL;
		if (last != NULL)
			last->next = j;
		else
			list = j;
		last = j;
		sw__host_release(f, p);
	}
	while ((j = f->active) != NULL) {
		p = j->host;
		active_remove(f, j);
		j->host = NULL;
		j->next = NULL;
		if (last != NULL)
			last->next = j;
		else
			list = j;
		last = j;
		sw__host_release(f, p);
	}
	f->rhead = f->rtail = NULL;
	for (i = 0; i < f->hcap; i++)
		for (p = f->htab[i]; p != NULL; p = p->hnext) {
			p->in_ready = 0;
			if (p->qhead == NULL)
				continue;
			if (last != NULL)
				last->next = p->qhead;
			else
				list = p->qhead;
			last = p->qtail;
			p->qhead = p->qtail = NULL;
		}
	f->st.queued = 0;
	for (i = 0; i < f->hcap; i++) {
		struct sw__host *next;

		for (p = f->htab[i]; p != NULL; p = next) {
			next = p->hnext;
			sw__host_release(f, p);
		}
	}
	while ((j = list) != NULL) {
		list = j->next;
		j->host = NULL;
		sw__result_fail(j->r, SW_FETCH_EABORTED, "abandoned: the fetcher was stopped");
		deliver(f, j);
	}
}

/* Moves every message libcurl has for us into finish(). */
static void drain_messages(struct sw_fetcher *f)
{
	CURLMsg *m;
	int left;
	struct sw__job *j;

	while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		j = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
		if (j != NULL)
			finish(f, j, m->data.result);
	}
}

/* Runs the event loop (see fetch.h). */
enum sw_err sw_fetcher_run(struct sw_fetcher *f, sw_fetch_done_fn done, void *arg,
			   struct sw_errbuf *eb)
{
	enum sw_err rc = SW_OK;
	CURLMcode mc;
	int running;

	f->done = done;
	f->arg = arg;
	while (!sw__fetcher_stopping(f)) {
		if (f->resolving != NULL)
			poll_resolving(f);
		start_ready(f);
		deliver_failed(f);
		if (f->st.active == 0) {
			if (f->rhead == NULL && f->fhead == NULL)
				break;
			continue;
		}
		mc = curl_multi_perform(f->multi, &running);
		if (mc == CURLM_OK) {
			drain_messages(f);
			if (f->st.active == 0 || f->fhead != NULL ||
			    (f->rhead != NULL && f->st.active < f->o.max_total))
				continue;
			/* Lookups are polled: every few ms while any run. */
			mc = curl_multi_poll(f->multi, NULL, 0, f->resolving != NULL ? 3 : 1000, NULL);
		}
		if (mc != CURLM_OK) {
			rc = sw_errf(eb, SW_EIO, "libcurl event loop: %s", curl_multi_strerror(mc));
			break;
		}
	}
	abandon_all(f);
	deliver_failed(f);
	f->stop = 0;
	return rc;
}

/* Asks the run to stop; only sets a flag, so a signal handler may call it. */
void sw_fetcher_stop(struct sw_fetcher *f)
{
	f->stop = 1;
}

/* Queues url for the next or current run (see fetch.h). */
enum sw_err sw_fetcher_add(struct sw_fetcher *f, const char *url, void *user)
{
	return sw_fetcher_add_as(f, url, user, SW_FETCH_AS_SELF);
}

enum sw_err sw_fetcher_add_as(struct sw_fetcher *f, const char *url, void *user,
			      enum sw_fetch_as as)
{
	return sw_fetcher_add_ex(f, url, user, as, 0);
}

enum sw_err sw_fetcher_add_ex(struct sw_fetcher *f, const char *url, void *user,
			      enum sw_fetch_as as, unsigned flags)
{
	struct sw__job *j = calloc(1, sizeof *j);
	struct sw_fetch_hop *hop;
	struct sw__host *p;
	char *norm = NULL, *host = NULL;
	enum sw_err rc;

	if (j == NULL || (j->r = sw__result_new(url, user)) == NULL) {
		free(j);
		return SW_ENOMEM;
	}
	j->f = f;
	j->flags = flags;
	j->r->as = as;
	f->st.added++;
	rc = sw__url_parse(url, &norm, &host, &j->bare);
	if (rc == SW_EINVAL) {
		sw__result_fail(j->r, SW_FETCH_EURL, "not an absolute http(s) URL: %.200s", url);
		fail_later(f, j);
		return SW_OK;
	}
	if (rc != SW_OK || (hop = sw__result_add_hop(j->r, norm)) == NULL ||
	    (j->origin_domain = sw__registrable_domain(f, j->bare)) == NULL ||
	    (p = sw__host_get(f, host)) == NULL) {
		free(norm);
		free(host);
		f->st.added--;
		sw_fetch_result_free(j->r);
		job_free(j);
		return SW_ENOMEM;
	}
	free(norm);
	free(host);
	sw__host_enqueue(f, p, j, (flags & SW_FETCH_F_NEXT) != 0);
	return SW_OK;
}

/* Copies the counters. */
void sw_fetcher_stats(const struct sw_fetcher *f, struct sw_fetch_stats *st)
{
	*st = f->st;
}

/* Returns the in-flight count of host name host. */
size_t sw_fetcher_host_active(const struct sw_fetcher *f, const char *host)
{
	const struct sw__host *p = sw__host_find(f, host);

	return p != NULL ? p->active : 0;
}

/* Accessors for the transfer callbacks in fetch_xfer.c: the settings, the
 * shared request lists, the trust store and the stop flag, all borrowed. */
const struct sw_fetch_opts *sw__fetcher_opts(const struct sw_fetcher *f)
{
	return &f->o;
}

struct curl_slist *sw__fetcher_resolve(const struct sw_fetcher *f)
{
	return f->resolve;
}

struct curl_slist *sw__fetcher_reqheaders(const struct sw_fetcher *f)
{
	return f->reqheaders;
}

X509_STORE *sw__fetcher_store(const struct sw_fetcher *f)
{
	return f->store;
}

int sw__fetcher_stopping(const struct sw_fetcher *f)
{
	return f->stop != 0 || (f->o.stop != NULL && *f->o.stop != 0);
}

/* Copies a NULL-terminated list of strings into a libcurl list; 0 when
 * memory runs out (*out then holds what was copied). */
static int slist_copy(const char *const *in, struct curl_slist **out)
{
	struct curl_slist *l;

	for (; in != NULL && *in != NULL; in++) {
		l = curl_slist_append(*out, *in);
		if (l == NULL)
			return 0;
		*out = l;
	}
	return 1;
}

/* Keeps the caller's resolve entries: all of them for our own lookups
 * (f->ovr), and those libcurl understands (not our NXDOMAIN "-") for
 * libcurl.  0 when memory runs out. */
static int resolve_copy(struct sw_fetcher *f, const char *const *in)
{
	size_t n = 0;

	while (in && in[n])
		n++;
	if (!(f->ovr = calloc(n + 1, sizeof *f->ovr)))
		return 0;
	for (size_t i = 0; i < n; i++) {
		const char *c = strrchr(in[i], ':');
		struct curl_slist *l;

		if (!(f->ovr[i] = strdup(in[i])))
			return 0;
		if (c && strcmp(c + 1, "-") == 0)
			continue;
		if (!(l = curl_slist_append(f->resolve, in[i])))
			return 0;
		f->resolve = l;
	}
	return 1;
}

/* Creates a fetcher (see fetch.h). */
enum sw_err sw_fetcher_new(const struct sw_fetch_opts *o, struct sw_fetcher **out,
			   struct sw_errbuf *eb)
{
	static const char *const reqheaders[] = {
		"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
		"Accept-Language: zh-CN,zh;q=0.9,en;q=0.6",
		NULL,
	};
	struct sw_fetcher *f;

	*out = NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return sw_errf(eb, SW_EIO, "libcurl does not initialise");
	f = calloc(1, sizeof *f);
	if (f == NULL) {
		curl_global_cleanup();
		return SW_ENOMEM;
	}
	if (o != NULL)
		f->o = *o;
	else
		sw_fetch_opts_init(&f->o);
	if (f->o.max_raw == 0)
		f->o.max_raw = f->o.max_body;
	if (f->o.max_total == 0 || f->o.max_per_host == 0 || f->o.max_body == 0 ||
	    f->o.timeout_ms <= 0 || f->o.connect_timeout_ms <= 0 || f->o.max_redirects < 0 ||
	    f->o.max_headers == 0) {
		sw_fetcher_free(f);
		return sw_errf(eb, SW_EINVAL, "fetch limits and time-outs must be positive");
	}
	f->o.resolve = NULL;
	f->o.ca_file = NULL;
	f->user_agent = strdup(f->o.user_agent != NULL ? f->o.user_agent : SW_FETCH_UA);
	f->o.user_agent = f->user_agent;
	f->hcap = 64;
	f->htab = calloc(f->hcap, sizeof *f->htab);
	f->multi = curl_multi_init();
	if (f->user_agent == NULL || f->htab == NULL || f->multi == NULL ||
	    !resolve_copy(f, o != NULL ? o->resolve : NULL) ||
	    !slist_copy(reqheaders, &f->reqheaders)) {
		sw_fetcher_free(f);
		return SW_ENOMEM;
	}
	f->store = sw__tls_store_new(o != NULL ? o->ca_file : NULL, eb);
	if (f->store == NULL) {
		sw_fetcher_free(f);
		return SW_EINVAL;
	}
	f->psl_own = psl_latest(NULL);
	f->psl = f->psl_own != NULL ? f->psl_own : psl_builtin();
	curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS, (long)f->o.max_total);
	*out = f;
	return SW_OK;
}

/* Frees f and anything queued, without callbacks. */
void sw_fetcher_free(struct sw_fetcher *f)
{
	struct sw__job *j;
	struct sw__host *p, *next;
	size_t i;

	if (f == NULL)
		return;
	while ((j = f->resolving) != NULL) {
		resolving_remove(f, j);
		sw_fetch_result_free(j->r);
		job_free(j);
	}
	while ((j = f->active) != NULL) {
		active_remove(f, j);
		sw_fetch_result_free(j->r);
		job_free(j);
	}
	while ((j = f->fhead) != NULL) {
		f->fhead = j->next;
		sw_fetch_result_free(j->r);
		job_free(j);
	}
	for (i = 0; i < f->hcap && f->htab != NULL; i++)
		for (p = f->htab[i]; p != NULL; p = next) {
			next = p->hnext;
			while ((j = p->qhead) != NULL) {
				p->qhead = j->next;
				sw_fetch_result_free(j->r);
				job_free(j);
			}
			free(p);
		}
	free(f->htab);
	if (f->multi != NULL)
		curl_multi_cleanup(f->multi);
	curl_slist_free_all(f->resolve);
	for (char **e = f->ovr; e && *e; e++)
		free(*e);
	free(f->ovr);
	curl_slist_free_all(f->reqheaders);
	X509_STORE_free(f->store);
	psl_free(f->psl_own);
	free(f->user_agent);
	free(f);
	curl_global_cleanup();
}
