/*
 * fetch_queue.c - the fetching engine's waiting room: one queue per host
 * name, the round-robin list of hosts that may start a transfer, and the
 * URL facts the queue is keyed by (host name, registrable domain).
 *
 * Facts that shaped it:
 *  - Starting a transfer must be O(1) with 100,000 URLs queued on 10,000
 *    hosts: hosts with waiting fetches and a free slot sit in a FIFO
 *    "ready" list, and take turns.
 *  - A host's record lives while it has work and is freed when idle, so a
 *    long-running prober does not grow with every host it ever saw.
 *  - Host names are compared after lower-casing and dropping a trailing
 *    dot, so "Example.gov.cn." and "example.gov.cn" share one limit.
 */
#include "probe/fetch_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <libpsl.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a of s: host names are short, this is plenty. */
static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Returns the host record for name, or NULL when none exists. */
struct sw__host *sw__host_find(const struct sw_fetcher *f, const char *name)
{
	uint64_t h = hash_str(name);
	struct sw__host *p;

	for (p = f->htab[h & (f->hcap - 1)]; p != NULL; p = p->hnext)
		if (p->hash == h && strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

/* Doubles the host table; on allocation failure the table stays as it is
 * (chains just get longer). */
static void host_grow(struct sw_fetcher *f)
{
	size_t ncap = f->hcap * 2, i;
	struct sw__host **nt = calloc(ncap, sizeof *nt), *p, *next;

	if (nt == NULL)
		return;
	for (i = 0; i < f->hcap; i++)
		for (p = f->htab[i]; p != NULL; p = next) {
			next = p->hnext;
			p->hnext = nt[p->hash & (ncap - 1)];
			nt[p->hash & (ncap - 1)] = p;
		}
	free(f->htab);
	f->htab = nt;
	f->hcap = ncap;
}

/* Returns the host record for name, creating it; NULL when out of memory. */
struct sw__host *sw__host_get(struct sw_fetcher *f, const char *name)
{
	struct sw__host *p = sw__host_find(f, name);
	size_t len = strlen(name);

	if (p != NULL)
		return p;
	p = calloc(1, sizeof *p + len + 1);
	if (p == NULL)
		return NULL;
	memcpy(p->name, name, len + 1);
	p->hash = hash_str(name);
	if (f->hcount + 1 > f->hcap / 2)
		host_grow(f);
	p->hnext = f->htab[p->hash & (f->hcap - 1)];
	f->htab[p->hash & (f->hcap - 1)] = p;
	f->hcount++;
	return p;
}

/* Frees host p when nothing refers to it any more (no transfer, no queue,
 * not in the ready list). */
void sw__host_release(struct sw_fetcher *f, struct sw__host *p)
{
	struct sw__host **pp;

	if (p->active > 0 || p->qhead != NULL || p->in_ready)
		return;
	for (pp = &f->htab[p->hash & (f->hcap - 1)]; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == p) {
			*pp = p->hnext;
			f->hcount--;
			free(p);
			return;
		}
}

/* Puts p in the ready list (at the front when front is set) if it has
 * waiting fetches, a free slot and is not there already. */
void sw__ready_push(struct sw_fetcher *f, struct sw__host *p, int front)
{
	if (p->in_ready || p->qhead == NULL || p->active >= f->o.max_per_host)
		return;
	p->in_ready = 1;
	if (front) {
		p->rnext = f->rhead;
		f->rhead = p;
		if (f->rtail == NULL)
			f->rtail = p;
		return;
	}
	p->rnext = NULL;
	if (f->rtail != NULL)
		f->rtail->rnext = p;
	else
		f->rhead = p;
	f->rtail = p;
}

/* Queues j on host p (at the front for a redirect hop) and makes p ready. */
void sw__host_enqueue(struct sw_fetcher *f, struct sw__host *p, struct sw__job *j, int front)
{
	j->host = p;
	if (front) {
		j->next = p->qhead;
		p->qhead = j;
		if (p->qtail == NULL)
			p->qtail = j;
	} else {
		j->next = NULL;
		if (p->qtail != NULL)
			p->qtail->next = j;
		else
			p->qhead = j;
		p->qtail = j;
	}
	f->st.queued++;
	sw__ready_push(f, p, front);
}

/* Parses url into its normal form and host (see fetch_int.h). */
enum sw_err sw__url_parse(const char *url, char **norm, char **host, char **bare)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *h = NULL;
	enum sw_err rc = SW_EINVAL;
	size_t len, i;

	*norm = *host = *bare = NULL;
	if (u == NULL)
		return SW_ENOMEM;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK || h[0] == '\0')
		goto out;
	rc = SW_ENOMEM;
	for (i = 0; h[i]; i++)
		h[i] = (char)tolower((unsigned char)h[i]);
	len = strlen(h);
	if (len > 1 && h[len - 1] == '.')
		h[--len] = '\0';
	if (curl_url_get(u, CURLUPART_URL, norm, 0) != CURLUE_OK)
		goto out;
	*host = strdup(h);
	*bare = h[0] == '[' ? strndup(h + 1, len >= 2 ? len - 2 : 0) : strdup(h);
	if (*host != NULL && *bare != NULL && *norm != NULL)
		rc = SW_OK;
out:
	if (rc != SW_OK) {
		curl_free(*norm);
		free(*host);
		free(*bare);
		*norm = *host = *bare = NULL;
	} else {
		/* hand over a malloc'd copy: callers free() it */
		char *copy = strdup(*norm);

		curl_free(*norm);
		*norm = copy;
		if (copy == NULL) {
			free(*host);
			free(*bare);
			*host = *bare = NULL;
			rc = SW_ENOMEM;
		}
	}
	curl_free(scheme);
	curl_free(h);
	curl_url_cleanup(u);
	return rc;
}

/* Returns the registrable domain of host (see fetch_int.h). */
char *sw__registrable_domain(const struct sw_fetcher *f, const char *host)
{
	unsigned char addr[16];
	const char *d;

	if (inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1)
		return strdup(host);
	d = psl_registrable_domain(f->psl, host);
	return strdup(d != NULL ? d : host);
}
