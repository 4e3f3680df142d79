/*
 * freeze.c - turning what a check saw into ledger items.
 *
 * One check freezes as up to nine items, each a file a person can open:
 * request.json (what was asked, every redirect hop), request-headers.txt
 * (the request header block as sent), response.json (status line facts,
 * timings, errors), response-headers.txt (the raw header block as
 * received), the body (raw bytes after content decoding only, the page as
 * the server sent it), addresses.json (every resolved address and each
 * hop's peer), certificates.pem (the chain as the server sent it),
 * certificates.json (its facts and our verdict) and findings.json.  JSON is
 * written with sorted keys so the same facts always make the same bytes.
 *
 * A check is frozen once: a second call for the same check id (the live
 * freeze at detection, then an alert's after-the-fact freeze) adds nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "engine/engine.h"
#include "evidence/ledger.h"
#include "model/entity.h"
#include "probe/fetch.h"
#include "store/evidence.h"
#include "store/store.h"

#define MAX_ITEMS 12

/* Items being collected; the JSON texts are owned here. */
struct batch {
	struct sw_ev_item it[MAX_ITEMS];
	char *owned[MAX_ITEMS];
	size_t n;
	int oom;
};

/* Adds json (consumed) as item kind/name to b. */
static void add_json(struct batch *b, const char *kind, const char *name, json_t *j,
		     int64_t site, int64_t check)
{
	char *text = j ? json_dumps(j, JSON_SORT_KEYS | JSON_INDENT(1) | JSON_ENSURE_ASCII) : NULL;

	json_decref(j);
	if (!text || b->n >= MAX_ITEMS) {
		free(text);
		b->oom = 1;
		return;
	}
	b->owned[b->n] = text;
	b->it[b->n++] = (struct sw_ev_item){.kind = kind, .name = name,
					    .media_type = "application/json", .bytes = text,
					    .len = strlen(text), .site_id = site, .check_id = check};
}

/* Adds len borrowed bytes as item kind/name to b. */
static void add_bytes(struct batch *b, const char *kind, const char *name, const char *media,
		      const void *p, size_t len, int64_t site, int64_t check)
{
	if (b->n >= MAX_ITEMS) {
		b->oom = 1;
		return;
	}
	b->it[b->n++] = (struct sw_ev_item){.kind = kind, .name = name, .media_type = media,
					    .bytes = p ? p : "", .len = len, .site_id = site,
					    .check_id = check};
}

static void batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->owned[i]);
}

/* Stops the walk at the first row frozen from the check itself (files
 * the agent attached to the check do not count). */
static int any_cb(void *arg, const struct sw_ev_row *r)
{
	if (!strcmp(r->kind, "file") || !strcmp(r->kind, "export"))
		return 0;
	*(int *)arg = 1;
	return 1;
}

/* *frozen: the ledger has entries of check_id already. */
static enum sw_err already(struct sw_evidence *ev, int64_t check_id, int *frozen,
			   struct sw_errbuf *eb)
{
	*frozen = 0;
	if (check_id <= 0)
		return SW_OK;
	return sw_store_ev_by_check(ev->st, check_id, any_cb, frozen, eb);
}

/* Commits the batch to the ledger. */
static enum sw_err commit(struct sw_evidence *ev, struct batch *b, size_t *n_items,
			  struct sw_errbuf *eb)
{
	enum sw_err rc;

	if (b->oom)
		rc = SW_ENOMEM;
	else
		rc = sw_evidence_add(ev, b->it, b->n, NULL, eb);
	if (!rc && n_items)
		*n_items = b->n;
	batch_free(b);
	return rc;
}

static const char *as_name(enum sw_fetch_as as)
{
	return as == SW_FETCH_AS_SPIDER ? "spider" : as == SW_FETCH_AS_SEARCH ? "search" : "self";
}

/* request.json and addresses.json of a live result. */
static void live_request(struct batch *b, const struct sw_fetch_result *r, int64_t site,
			 int64_t check)
{
	json_t *hops = json_array(), *addrs = json_array(), *resolved = json_array();

	for (size_t i = 0; i < r->n_hops && i < 64; i++) {
		const struct sw_fetch_hop *h = &r->hops[i];

		json_array_append_new(hops, json_pack("{s:s?, s:i, s:s, s:i, s:b}", "url", h->url,
						      "status", (json_int_t)h->status, "ip", h->ip,
						      "port", (json_int_t)h->port, "cross_domain",
						      h->cross_domain));
		json_array_append_new(addrs, json_pack("{s:s?, s:s, s:i}", "url", h->url, "ip", h->ip,
						       "port", (json_int_t)h->port));
	}
	for (size_t i = 0; i < r->n_addrs && i < 16; i++)
		json_array_append_new(resolved, json_string(r->addrs[i]));
	add_json(b, "request", "request.json",
		 json_pack("{s:s, s:s?, s:s?, s:s, s:o}", "method",
			   r->req_method ? r->req_method : "GET", "url", r->url, "final_url",
			   r->final_url, "as", as_name(r->as), "hops", hops),
		 site, check);
	if (r->req_headers)
		add_bytes(b, "request-headers", "request-headers.txt", "text/plain", r->req_headers,
			  r->req_headers_len, site, check);
	add_json(b, "addresses", "addresses.json",
		 json_pack("{s:o, s:I, s:s, s:i, s:o}", "resolved", resolved, "resolve_us",
			   (json_int_t)r->resolve_us, "primary_ip", r->primary_ip, "primary_port",
			   (json_int_t)r->primary_port, "hops", addrs),
		 site, check);
}

/* response.json of a live result. */
static void live_response(struct batch *b, const struct sw_fetch_result *r, int64_t site,
			  int64_t check)
{
	const struct sw_fetch_times *t = &r->times;

	add_json(b, "response", "response.json",
		 json_pack("{s:i, s:i, s:s, s:s, s:s?, s:s, s:I, s:I, s:b, s:I, "
			   "s:{s:I, s:I, s:I, s:I, s:I}}",
			   "status", (json_int_t)r->status, "http_version",
			   (json_int_t)r->http_version, "err", sw_fetch_errname(r->err), "errmsg",
			   r->errmsg, "content_type", r->content_type, "charset", r->charset,
			   "body_bytes", (json_int_t)r->body_len, "wire_bytes",
			   (json_int_t)r->raw_bytes, "truncated", r->truncated, "elapsed_us",
			   (json_int_t)r->elapsed_us, "times_us", "dns", (json_int_t)t->dns_us,
			   "connect", (json_int_t)t->connect_us, "tls", (json_int_t)t->tls_us,
			   "first_byte", (json_int_t)t->first_byte_us, "total",
			   (json_int_t)t->total_us),
		 site, check);
}

/* certificates.json of a live HTTPS result. */
static void live_certs(struct batch *b, const struct sw_fetch_result *r, int64_t site,
		       int64_t check)
{
	const struct sw_fetch_tls *tls = &r->tls;
	json_t *chain = json_array();

	for (size_t i = 0; i < tls->n_certs && i < 16; i++) {
		const struct sw_fetch_cert *c = &tls->certs[i];
		json_t *sans = json_array();

		for (size_t k = 0; k < c->n_sans && k < 256; k++)
			json_array_append_new(sans, json_string(c->sans[k]));
		json_array_append_new(chain,
				      json_pack("{s:s?, s:s?, s:o, s:I, s:I, s:b}", "subject",
						c->subject, "issuer", c->issuer, "sans", sans,
						"not_before", (json_int_t)c->not_before, "not_after",
						(json_int_t)c->not_after, "self_signed",
						c->self_signed));
	}
	if (tls->chain_pem)
		add_bytes(b, "certificate-chain", "certificates.pem", "application/x-pem-file",
			  tls->chain_pem, strlen(tls->chain_pem), site, check);
	add_json(b, "certificates", "certificates.json",
		 json_pack("{s:s, s:b, s:I, s:s, s:b, s:o}", "version", tls->version, "verified",
			   tls->verified, "verify_code", (json_int_t)tls->verify_code,
			   "verify_msg", tls->verify_msg, "name_match", tls->name_match, "chain",
			   chain),
		 site, check);
}

static const char *body_name(const char *ctype);

/* Every item of one live exchange: request, response, headers, body,
 * addresses and (HTTPS) certificates. */
static void live_exchange(struct batch *b, const struct sw_fetch_result *r, int64_t site,
			  int64_t check)
{
	live_request(b, r, site, check);
	live_response(b, r, site, check);
	add_bytes(b, "headers", "response-headers.txt", "text/plain", r->headers,
		  r->headers ? r->headers_len : 0, site, check);
	add_bytes(b, "body", body_name(r->content_type),
		  r->content_type && *r->content_type ? r->content_type : NULL, r->body,
		  r->body_len, site, check);
	if (r->tls.present)
		live_certs(b, r, site, check);
}

/* The name a body item gets, by its media type, so it opens in the right
 * program once extracted. */
static const char *body_name(const char *ctype)
{
	if (!ctype)
		return "body.bin";
	if (!strncasecmp(ctype, "text/html", 9) || !strncasecmp(ctype, "application/xhtml", 17))
		return "body.html";
	if (!strncasecmp(ctype, "application/json", 16))
		return "body.json";
	if (!strncasecmp(ctype, "text/", 5))
		return "body.txt";
	return "body.bin";
}

/* Adds findings.json of n findings. */
static void add_findings(struct batch *b, const struct sw_check_finding *f, size_t n,
			 int64_t site, int64_t check)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s?, s:s?, s:s?, s:s?}", "kind", f[i].kind,
						   "severity", f[i].severity, "title", f[i].title,
						   "evidence", f[i].evidence));
	add_json(b, "findings", "findings.json", a, site, check);
}

enum sw_err sw_evidence_freeze_check(struct sw_evidence *ev, int64_t site_id, int64_t check_id,
				     const struct sw_fetch_result *r,
				     const struct sw_check_finding *f, size_t n, size_t *n_items,
				     struct sw_errbuf *eb)
{
	struct batch b = {0};
	enum sw_err rc;
	int frozen;

	if (n_items)
		*n_items = 0;
	if ((rc = already(ev, check_id, &frozen, eb)) || frozen)
		return rc;
	live_exchange(&b, r, site_id, check_id);
	add_findings(&b, f, n, site_id, check_id);
	return commit(ev, &b, n_items, eb);
}

enum sw_err sw_evidence_freeze_engine(struct sw_evidence *ev, const struct sw_engine_check *c,
				      size_t *n_items, struct sw_errbuf *eb)
{
	struct batch b = {0};
	json_t *a;
	enum sw_err rc;
	int frozen;

	if (n_items)
		*n_items = 0;
	if (!c->self)
		return sw_errf(eb, SW_EINVAL, "check %lld has no exchange to freeze",
			       (long long)c->check_id);
	if ((rc = already(ev, c->check_id, &frozen, eb)) || frozen)
		return rc;
	live_exchange(&b, c->self, c->site_id, c->check_id);
	a = json_array();
	for (size_t i = 0; i < c->n_findings; i++) {
		const struct sw_engine_finding *f = &c->findings[i];

		json_array_append_new(a, json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?}", "check", f->key,
						   "severity", f->severity, "title", f->title,
						   "evidence", f->evidence, "page", f->page));
	}
	add_json(&b, "findings", "findings.json", a, c->site_id, c->check_id);
	return commit(ev, &b, n_items, eb);
}

/* What the stored check and its findings hold, copied out of the
 * callbacks. */
struct stored {
	struct sw_check_row c;
	char ip[64], body_hash[80];
	struct sw_check_finding *f;
	char **texts;
	size_t n, cap;
	int oom;
};

static int check_cb(void *arg, const struct sw_check_row *c)
{
	struct stored *s = arg;

	s->c = *c;
	snprintf(s->ip, sizeof s->ip, "%s", c->ip ? c->ip : "");
	snprintf(s->body_hash, sizeof s->body_hash, "%s", c->body_hash ? c->body_hash : "");
	s->c.ip = s->ip;
	s->c.body_hash = s->body_hash;
	return 0;
}

static char *dup_or_null(const char *p, int *oom)
{
	char *d = p ? strdup(p) : NULL;

	if (p && !d)
		*oom = 1;
	return d;
}

/* Strings kept per stored finding: kind, severity, title, evidence, page. */
#define NTEXT 5

/* Copies one stored finding; at most 10,000 are kept. */
static int finding_cb(void *arg, const struct sw_check_finding *f)
{
	struct stored *s = arg;

	if (s->n >= 10000)
		return 1;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct sw_check_finding *nf = realloc(s->f, cap * sizeof *nf);
		char **nt = nf ? realloc(s->texts, cap * NTEXT * sizeof *nt) : NULL;

		if (nf)
			s->f = nf;
		if (!nf || !nt) {
			s->oom = 1;
			return 1;
		}
		s->texts = nt;
		s->cap = cap;
	}
	char **t = s->texts + NTEXT * s->n;

	t[0] = dup_or_null(f->kind, &s->oom);
	t[1] = dup_or_null(f->severity, &s->oom);
	t[2] = dup_or_null(f->title, &s->oom);
	t[3] = dup_or_null(f->evidence, &s->oom);
	t[4] = dup_or_null(f->page, &s->oom);
	s->f[s->n] = (struct sw_check_finding){.kind = t[0], .severity = t[1], .title = t[2],
					       .evidence = t[3], .page = t[4]};
	s->n++;
	return 0;
}

static void stored_free(struct stored *s)
{
	for (size_t i = 0; i < NTEXT * s->n; i++)
		free(s->texts[i]);
	free(s->texts);
	free(s->f);
}

/* The site's URL (into buf) for the reconstructed request; "" when the
 * site is gone. */
static void site_url(struct sw_store *st, int64_t site_id, char *buf, size_t n)
{
	struct sw_rec rec;

	buf[0] = '\0';
	if (sw_store_get(st, sw_entity_get(SW_ENT_SITE), site_id, &rec, NULL))
		return;
	snprintf(buf, n, "%s", sw_rec_get(&rec, sw_field_index(SW_ENT_SITE, "url")) ? sw_rec_get(&rec, sw_field_index(SW_ENT_SITE, "url")) : "");
	sw_rec_cleanup(&rec);
}

/* The stored check's request, response and addresses items. */
static void stored_meta(struct batch *b, struct sw_store *st, const struct stored *s,
			int body_kept)
{
	const struct sw_check_row *c = &s->c;
	char url[2048];

	site_url(st, c->site_id, url, sizeof url);
	add_json(b, "request", "request.json",
		 json_pack("{s:s, s:s, s:s, s:I}", "method", "GET", "url", url, "source",
			   "stored check (frozen after the fact)", "checked_at",
			   (json_int_t)c->checked_at),
		 c->site_id, c->id);
	add_json(b, "response", "response.json",
		 json_pack("{s:i, s:i, s:s, s:I, s:s?, s:b, s:I, s:{s:I, s:I, s:I, s:I, s:I}}",
			   "status", (json_int_t)c->status, "http_version",
			   (json_int_t)c->http_version, "err",
			   sw_fetch_errname((enum sw_fetch_err)c->err), "body_bytes",
			   (json_int_t)c->body_size, "body_sha256",
			   *s->body_hash ? s->body_hash : NULL, "body_kept", body_kept,
			   "tls_not_after", (json_int_t)c->tls_not_after, "times_ms", "dns",
			   (json_int_t)c->dns_ms, "connect", (json_int_t)c->connect_ms, "tls",
			   (json_int_t)c->tls_ms, "first_byte", (json_int_t)c->first_byte_ms,
			   "total", (json_int_t)c->total_ms),
		 c->site_id, c->id);
	add_json(b, "addresses", "addresses.json", json_pack("{s:s}", "primary_ip", s->ip),
		 c->site_id, c->id);
}

enum sw_err sw_evidence_freeze_stored(struct sw_evidence *ev, int64_t check_id,
				      size_t *n_items, struct sw_errbuf *eb)
{
	struct stored s = {0};
	struct batch b = {0};
	unsigned char *body = NULL;
	size_t body_len = 0;
	enum sw_err rc;
	int frozen;

	if (n_items)
		*n_items = 0;
	if ((rc = already(ev, check_id, &frozen, eb)) || frozen)
		return rc;
	if ((rc = sw_store_ev_check_get(ev->st, check_id, check_cb, &s, eb)) ||
	    (rc = sw_store_check_findings(ev->st, check_id, finding_cb, &s, eb)))
		goto out;
	if (s.oom) {
		rc = SW_ENOMEM;
		goto out;
	}
	/* A pruned snapshot is not an error: the rest is still evidence, and
	 * response.json says the body was not kept. */
	if (*s.body_hash &&
	    (rc = sw_store_snapshot_get(ev->st, s.body_hash, &body, &body_len, NULL)) &&
	    rc != SW_ENOTFOUND)
		goto out;
	rc = SW_OK;
	stored_meta(&b, ev->st, &s, body != NULL);
	if (body)
		add_bytes(&b, "body", "body.bin", NULL, body, body_len, s.c.site_id,
			  check_id);
	add_findings(&b, s.f, s.n, s.c.site_id, check_id);
	rc = commit(ev, &b, n_items, eb);
out:
	free(body);
	stored_free(&s);
	return rc;
}
