/*
 * fetch_result.c - the result of one fetch: its allocation, its redirect
 * chain, its header block and the error it ends with.
 *
 * The header block is kept raw, exactly as received, because it is
 * evidence; lookups scan it line by line.  It is a few hundred bytes for
 * almost every site and capped by the engine, so a scan costs less than
 * building an index would.
 */
#include "probe/fetch_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const err_messages[] = {
#define SW_FETCH_ERR_MSG(name, msg) msg,
	SW_FETCH_ERR_MAP(SW_FETCH_ERR_MSG)
#undef SW_FETCH_ERR_MSG
};

static const char *const err_names[] = {
#define SW_FETCH_ERR_NAME(name, msg) #name,
	SW_FETCH_ERR_MAP(SW_FETCH_ERR_NAME)
#undef SW_FETCH_ERR_NAME
};

/* Returns the message for e, or a generic one for an out-of-range value. */
const char *sw_fetch_strerror(enum sw_fetch_err e)
{
	if ((unsigned)e >= SW_FETCH_ERR__COUNT)
		return "unknown fetch error";
	return err_messages[e];
}

/* Returns the enum name for e, or "SW_FETCH_E?" for an out-of-range value. */
const char *sw_fetch_errname(enum sw_fetch_err e)
{
	if ((unsigned)e >= SW_FETCH_ERR__COUNT)
		return "SW_FETCH_E?";
	return err_names[e];
}

/* Fills o with the documented defaults. */
void sw_fetch_opts_init(struct sw_fetch_opts *o)
{
	memset(o, 0, sizeof *o);
	o->max_total = 256;
	o->max_per_host = 4;
	o->connect_timeout_ms = 10000;
	o->timeout_ms = 30000;
	o->max_redirects = 5;
	o->max_body = (size_t)5 << 20;
	o->max_raw = 0; /* 0: same as max_body, resolved by the engine */
	o->max_headers = (size_t)256 << 10;
}

/* Returns a new result for url and user, or NULL when memory runs out.  The
 * body starts as a one-byte buffer holding the NUL so body is never NULL. */
struct sw_fetch_result *sw__result_new(const char *url, void *user)
{
	struct sw_fetch_result *r = calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	r->user = user;
	r->req_method = "GET";
	r->url = strdup(url);
	r->body = calloc(1, 1);
	if (r->url == NULL || r->body == NULL) {
		sw_fetch_result_free(r);
		return NULL;
	}
	return r;
}

/* Appends a hop for url and returns it; NULL (r unchanged) when memory runs
 * out.  Hops are few (max_redirects + 1), so the array grows one by one. */
struct sw_fetch_hop *sw__result_add_hop(struct sw_fetch_result *r, const char *url)
{
	struct sw_fetch_hop *hops, *h;
	char *copy = strdup(url);

	if (copy == NULL)
		return NULL;
	hops = realloc(r->hops, (r->n_hops + 1) * sizeof *hops);
	if (hops == NULL) {
		free(copy);
		return NULL;
	}
	r->hops = hops;
	h = &hops[r->n_hops++];
	memset(h, 0, sizeof *h);
	h->url = copy;
	return h;
}

/* Releases the TLS facts in t and zeroes it. */
void sw__tls_clear(struct sw_fetch_tls *t)
{
	size_t i, k;

	for (i = 0; i < t->n_certs; i++) {
		struct sw_fetch_cert *c = &t->certs[i];

		free(c->subject);
		free(c->issuer);
		for (k = 0; k < c->n_sans; k++)
			free(c->sans[k]);
		free(c->sans);
	}
	free(t->certs);
	free(t->chain_pem);
	memset(t, 0, sizeof *t);
}

/* Empties headers, body, content type and TLS facts so the next hop's
 * response starts clean; the body keeps its allocation. */
void sw__result_reset_response(struct sw_fetch_result *r, struct sw__job *j)
{
	free(r->headers);
	r->headers = NULL;
	r->headers_len = 0;
	j->hdr_cap = 0;
	free(r->content_type);
	r->content_type = NULL;
	r->body_len = 0;
	if (j->body_cap > 0)
		r->body[0] = '\0';
	r->raw_bytes = 0;
	r->truncated = 0;
	r->status = 0;
	r->http_version = 0;
	r->charset[0] = '\0';
	r->charset_src = SW_FETCH_CS_NONE;
	sw__tls_clear(&r->tls);
}

/* Records error e with a formatted message unless one is recorded already:
 * the first, most specific cause wins. */
void sw__result_fail(struct sw_fetch_result *r, enum sw_fetch_err e, const char *fmt, ...)
{
	va_list ap;

	if (r->err != SW_FETCH_OK)
		return;
	r->err = e;
	va_start(ap, fmt);
	vsnprintf(r->errmsg, sizeof r->errmsg, fmt, ap);
	va_end(ap);
}

/* Frees r and everything it owns; NULL is a no-op. */
void sw_fetch_result_free(struct sw_fetch_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n_hops; i++)
		free(r->hops[i].url);
	free(r->hops);
	free(r->url);
	free(r->final_url);
	free(r->headers);
	free(r->content_type);
	free(r->body);
	free(r->req_headers);
	sw__tls_clear(&r->tls);
	free(r);
}

/*
 * Returns the value of header name in r's raw block (see fetch.h).  The
 * status line and folded continuation lines never match: a name is only
 * what precedes the first ':' of a line that does not start with a blank.
 */
const char *sw_fetch_header(const struct sw_fetch_result *r, const char *name, size_t *len)
{
	const char *p, *end, *eol, *colon, *v, *ve;
	size_t nlen;

	if (r == NULL || r->headers == NULL || name == NULL)
		return NULL;
	nlen = strlen(name);
	p = r->headers;
	end = r->headers + r->headers_len;
	for (; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		if (*p == ' ' || *p == '\t')
			continue;
		colon = memchr(p, ':', (size_t)(eol - p));
		if (colon == NULL || (size_t)(colon - p) != nlen || strncasecmp(p, name, nlen) != 0)
			continue;
		v = colon + 1;
		ve = eol;
		while (v < ve && (*v == ' ' || *v == '\t'))
			v++;
		while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		if (len != NULL)
			*len = (size_t)(ve - v);
		return v;
	}
	return NULL;
}

enum sw_err sw_fetch_result_from_body(const char *url, const void *body, size_t len,
				      const char *ctype, struct sw_fetch_result **out)
{
	struct sw_fetch_result *r = sw__result_new(url ? url : "", NULL);

	*out = NULL;
	if (r == NULL)
		return SW_ENOMEM;
	free(r->body);
	r->body = malloc(len + 1);
	r->final_url = strdup(url ? url : "");
	r->content_type = ctype ? strdup(ctype) : NULL;
	if (r->body == NULL || r->final_url == NULL || (ctype && r->content_type == NULL)) {
		sw_fetch_result_free(r);
		return SW_ENOMEM;
	}
	if (len)
		memcpy(r->body, body, len);
	r->body[len] = '\0';
	r->body_len = len;
	r->status = 200;
	sw__charset_detect(r);
	*out = r;
	return SW_OK;
}
