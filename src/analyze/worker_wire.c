/*
 * worker_wire.c - analysis requests as bytes (worker_wire.h).
 *
 * Layout: fields in a fixed order; bytes are a u32 length (0xFFFFFFFF for
 * NULL), the bytes and a NUL; numbers are u64 in host order (both ends are
 * the same process image).  A page's text is left out (a flag says so)
 * when it is its raw body byte for byte.
 */
#include "analyze/worker_wire.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/baseline.h"

#define NUL_LEN 0xFFFFFFFFu

static void put(struct sw_wire *w, const void *b, size_t n)
{
	if (w->oom)
		return;
	if (w->n + n > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		unsigned char *p;

		while (cap < w->n + n)
			cap *= 2;
		if (!(p = realloc(w->p, cap))) {
			w->oom = 1;
			return;
		}
		w->p = p;
		w->cap = cap;
	}
	if (n)
		memcpy(w->p + w->n, b, n);
	w->n += n;
}

static void put_u64(struct sw_wire *w, uint64_t v)
{
	put(w, &v, sizeof v);
}

static void put_bytes(struct sw_wire *w, const void *s, size_t n)
{
	uint32_t l = s ? (uint32_t)n : NUL_LEN;

	put(w, &l, sizeof l);
	if (s) {
		put(w, s, n);
		put(w, "", 1);
	}
}

static void put_str(struct sw_wire *w, const char *s)
{
	put_bytes(w, s, s ? strlen(s) : 0);
}

static void put_page(struct sw_wire *w, const struct sw_an_page *p)
{
	put_u64(w, p != NULL);
	if (!p)
		return;
	int same = p->text_len == p->raw_len &&
		   (p->text == p->raw || memcmp(p->text, p->raw, p->raw_len) == 0);

	put_str(w, p->url);
	put_bytes(w, p->raw, p->raw_len);
	/* A UTF-8 page's text is its raw body (the common case): sent once. */
	put_u64(w, (uint64_t)same);
	if (!same)
		put_bytes(w, p->text, p->text_len);
	put_str(w, p->charset);
	put_bytes(w, p->headers, p->headers_len);
	put_u64(w, (uint64_t)p->status);
}

enum sw_err sw_wire_put_input(struct sw_wire *w, const struct sw_an_input *in)
{
	const struct sw_an_site *s = in->site;
	unsigned char *blob = NULL;
	size_t bloblen = 0, nallow;

	put_page(w, in->page);
	put_page(w, in->as_spider);
	put_page(w, in->from_search);
	put_u64(w, s != NULL);
	if (s) {
		put_str(w, s->host);
		put_str(w, s->icp);
		put_str(w, s->psb);
		put_str(w, s->site_code);
		put_str(w, s->org);
		put_u64(w, (uint64_t)(int64_t)s->gov);
		nallow = s->n_allow < SW_WIRE_ALLOW_MAX ? s->n_allow : SW_WIRE_ALLOW_MAX;
		put_u64(w, nallow);
		for (size_t i = 0; i < nallow; i++)
			put_str(w, s->allow_hosts[i]);
	}
	if (in->base && sw_baseline_to_blob(in->base, &blob, &bloblen, NULL) != SW_OK)
		return SW_ENOMEM;
	put_bytes(w, blob, bloblen);
	free(blob);
	put_u64(w, in->n_base_pages);
	for (size_t i = 0; i < in->n_base_pages; i++)
		put_page(w, &in->base_pages[i]);
	put_u64(w, in->policy != NULL);
	if (in->policy)
		put(w, in->policy, sizeof *in->policy);
	put_u64(w, in->limits.max_bytes);
	put_u64(w, in->limits.max_nodes);
	put_u64(w, in->limits.max_depth);
	put_u64(w, in->links ? in->links->max : 0);
	return w->oom ? SW_ENOMEM : SW_OK;
}

/* ---- decoding ---- */

struct rd {
	unsigned char *p;
	size_t n, at;
	int bad;
};

static void get(struct rd *r, void *b, size_t n)
{
	if (r->bad || r->n - r->at < n) {
		r->bad = 1;
		memset(b, 0, n);
		return;
	}
	memcpy(b, r->p + r->at, n);
	r->at += n;
}

static uint64_t get_u64(struct rd *r)
{
	uint64_t v;

	get(r, &v, sizeof v);
	return v;
}

/* A field in place (NUL-terminated by the encoder; checked here). */
static const char *get_bytes(struct rd *r, size_t *len)
{
	uint32_t l;
	const char *b;

	*len = 0;
	get(r, &l, sizeof l);
	if (r->bad || l == NUL_LEN)
		return NULL;
	if (r->n - r->at < (size_t)l + 1 || r->p[r->at + l] != '\0') {
		r->bad = 1;
		return NULL;
	}
	b = (const char *)r->p + r->at;
	r->at += (size_t)l + 1;
	*len = l;
	return b;
}

static const char *get_str(struct rd *r)
{
	size_t len;

	return get_bytes(r, &len);
}

/* Reads a page; 0 when the frame says there is none. */
static int get_page(struct rd *r, struct sw_an_page *p)
{
	memset(p, 0, sizeof *p);
	if (!get_u64(r))
		return 0;
	p->url = get_str(r);
	p->raw = get_bytes(r, &p->raw_len);
	if (get_u64(r)) {
		p->text = p->raw;
		p->text_len = p->raw_len;
	} else {
		p->text = get_bytes(r, &p->text_len);
	}
	p->charset = get_str(r);
	p->headers = get_bytes(r, &p->headers_len);
	p->status = (long)get_u64(r);
	if (!p->raw || !p->text)
		r->bad = 1;
	return 1;
}

enum sw_err sw_wire_get_input(unsigned char *frame, size_t len, struct sw_wire_req *req)
{
	struct rd r = {frame, len, 0, 0};
	const char *blob;
	size_t bloblen;
	uint64_t n;

	memset(req, 0, sizeof *req);
	sw_an_input_init(&req->in);
	if (!get_page(&r, &req->page))
		return SW_EINVAL;
	req->in.page = &req->page;
	req->in.as_spider = get_page(&r, &req->spider) ? &req->spider : NULL;
	req->in.from_search = get_page(&r, &req->search) ? &req->search : NULL;
	if (get_u64(&r)) {
		req->site.host = get_str(&r);
		req->site.icp = get_str(&r);
		req->site.psb = get_str(&r);
		req->site.site_code = get_str(&r);
		req->site.org = get_str(&r);
		req->site.gov = (int)(int64_t)get_u64(&r);
		n = get_u64(&r);
		if (n > SW_WIRE_ALLOW_MAX)
			return SW_EINVAL;
		for (size_t i = 0; i < n; i++)
			req->allow[i] = get_str(&r);
		req->site.allow_hosts = req->allow;
		req->site.n_allow = (size_t)n;
		req->in.site = &req->site;
	}
	if ((blob = get_bytes(&r, &bloblen)) &&
	    sw_baseline_from_blob((const unsigned char *)blob, bloblen, &req->base, NULL) != SW_OK)
		return SW_EINVAL;
	req->in.base = req->base;
	n = get_u64(&r);
	if (n > SW_BASELINE_MAX_VERSIONS || r.bad)
		return SW_EINVAL;
	if (n && !(req->base_pages = calloc((size_t)n, sizeof *req->base_pages)))
		return SW_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!get_page(&r, &req->base_pages[i]))
			r.bad = 1;
	req->in.base_pages = req->base_pages;
	req->in.n_base_pages = (size_t)n;
	if (get_u64(&r)) {
		get(&r, &req->policy, sizeof req->policy);
		req->in.policy = &req->policy;
	}
	req->in.limits.max_bytes = (size_t)get_u64(&r);
	req->in.limits.max_nodes = (size_t)get_u64(&r);
	req->in.limits.max_depth = (size_t)get_u64(&r);
	req->links.max = (size_t)get_u64(&r);
	if (req->links.max > SW_AN_LINKS_MAX)
		return SW_EINVAL;
	req->in.links = req->links.max ? &req->links : NULL;
	return r.bad || r.at != r.n ? SW_EINVAL : SW_OK;
}

void sw_wire_req_cleanup(struct sw_wire_req *req)
{
	sw_baseline_free(req->base);
	free(req->base_pages);
	sw_an_links_cleanup(&req->links);
	memset(req, 0, sizeof *req);
}
