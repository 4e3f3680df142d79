/*
 * trojan.c - the web trojan (挂马) analyzer: hidden frames to other sites,
 * scripts from unknown hosts, obfuscated script, redirects for visitors
 * from search engines or on phones, redirects to other sites, crypto
 * miners, script that writes script or frames from other sites, and the
 * project's YARA rules over inline script.
 *
 * One walk over the doc does the HTML checks (trojan_html.c) and gathers
 * every inline script and event handler into one buffer; the buffer then
 * gets one Vectorscan pass (trojan_js.c, judged in trojan_jsrule.c) and
 * one YARA scan (trojan_yara.c).  Scripts over SW_TJ_SCRIPT_CAP are skipped
 * and counted: attackers' code is small, and honest giant inline bundles
 * would only cost time.
 *
 * What is honest is data: rules/allow/script-hosts.txt (analytics, the
 * identification badge, the 找错 widget, public CDNs), frame-hosts.txt and
 * redirect-hosts.txt, plus the site's own allow_hosts from the register.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/js_scan.h"
#include "analyze/trojan_int.h"

/* Frees a state made by load.  st may be NULL. */
static void tj_free(void *state)
{
	struct sw__tj_state *st = state;

	if (!st)
		return;
	sw_hostset_cleanup(&st->script_ok);
	sw_hostset_cleanup(&st->frame_ok);
	sw_hostset_cleanup(&st->redirect_ok);
	sw__tj_js_free(st);
	sw__tj_yara_free(st);
	free(st);
}

/* Loads the allow lists, the token database and the YARA rules. */
static enum sw_err tj_load(const char *dir, void **state, struct sw_errbuf *eb)
{
	struct sw__tj_state *st = calloc(1, sizeof *st);
	enum sw_err rc;

	if (!st)
		return SW_ENOMEM;
	/* A missing allow list is an empty one. */
	rc = sw_hostset_load(&st->script_ok, dir, "allow/script-hosts.txt", SW_HOSTSET_OPTIONAL, eb);
	if (!rc)
		rc = sw_hostset_load(&st->frame_ok, dir, "allow/frame-hosts.txt", SW_HOSTSET_OPTIONAL,
				     eb);
	if (!rc)
		rc = sw_hostset_load(&st->redirect_ok, dir, "allow/redirect-hosts.txt",
				     SW_HOSTSET_OPTIONAL, eb);
	if (!rc)
		rc = sw__tj_js_load(st, eb);
	if (!rc)
		rc = sw__tj_yara_load(dir, st, eb);
	if (rc) {
		tj_free(st);
		return rc;
	}
	*state = st;
	return SW_OK;
}

/* Case-insensitive: does s[0..n) start with lower-case word? */
static int istarts(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);

	if (n < k)
		return 0;
	for (size_t i = 0; i < k; i++)
		if ((s[i] | 0x20) != w[i])
			return 0;
	return 1;
}

/*
 * Where <html starts and the last </html begins in the page: an external
 * script outside them was appended or prepended to the file, which is
 * what injectors do.
 */
static void html_bounds(struct sw__tj_run *r)
{
	const char *t = r->ctx->page->text;
	size_t n = r->ctx->page->text_len;

	r->html_start = 0;
	r->html_end = (uint32_t)n;
	for (const char *p = t; (p = memchr(p, '<', n - (size_t)(p - t))) != NULL; p++) {
		if (istarts(p, n - (size_t)(p - t), "<html")) {
			r->html_start = (uint32_t)(p - t);
			break;
		}
	}
	for (size_t i = n; i-- > r->html_start;) {
		if (t[i] == '<' && istarts(t + i, n - i, "</html")) {
			r->html_end = (uint32_t)i;
			break;
		}
	}
}


/* Appends s[0..n) to the scan buffer as one segment; counts what is too big. */
static enum sw_err add_seg(struct sw__tj_run *r, const char *s, size_t n, uint32_t node,
			   uint32_t poff, uint32_t plen, int kind)
{
	if (!n)
		return SW_OK;
	if (n > SW_TJ_SCRIPT_CAP || r->buf_len + n + 1 > SW_TJ_BUF_CAP) {
		r->skipped++;
		return SW_OK;
	}
	if (r->buf_len + n + 2 > r->buf_cap) {
		size_t cap = r->buf_cap ? r->buf_cap : 16384;
		while (cap < r->buf_len + n + 2)
			cap *= 2;
		char *b = realloc(r->buf, cap);
		if (!b)
			return SW_ENOMEM;
		r->buf = b;
		r->buf_cap = cap;
	}
	if (r->nsegs == r->segs_cap) {
		size_t cap = r->segs_cap ? r->segs_cap * 2 : 32;
		struct sw__tj_seg *v = realloc(r->segs, cap * sizeof *v);
		if (!v)
			return SW_ENOMEM;
		r->segs = v;
		r->segs_cap = cap;
	}
	r->segs[r->nsegs++] = (struct sw__tj_seg){(uint32_t)r->buf_len, (uint32_t)n, poff, plen,
						  node, (uint8_t)kind};
	memcpy(r->buf + r->buf_len, s, n);
	r->buf_len += n;
	r->buf[r->buf_len++] = '\n'; /* tokens never join across segments */
	r->buf[r->buf_len] = '\0';
	return SW_OK;
}

/* True when a <script> of this type runs as JavaScript (not JSON-LD, not a template). */
static int js_type(const struct sw_doc *d, uint32_t i)
{
	const char *t = sw_doc_attr(d, i, "type");

	if (!t || !*t || !strcasecmp(t, "module"))
		return 1;
	return strcasestr(t, "javascript") || strcasestr(t, "ecmascript") ||
	       strcasestr(t, "jscript");
}

/* Handlers that fire without the visitor doing anything. */
static int auto_handler(const char *name)
{
	static const char *const names[] = {"onload", "onerror", "onpageshow", "onbeforeunload",
					    "onunload", "onreadystatechange"};
	for (size_t k = 0; k < sizeof names / sizeof *names; k++)
		if (!strcmp(name, names[k]))
			return 1;
	return 0;
}

/* Adds element i's event handlers and javascript: URLs as segments. */
static enum sw_err add_handlers(struct sw__tj_run *r, uint32_t i)
{
	const struct sw_doc *d = r->ctx->doc;
	const struct sw_node *nd = &d->nodes[i];
	enum sw_err rc = SW_OK;

	for (uint32_t a = nd->attr; a < nd->attr + nd->nattr && !rc; a++) {
		const struct sw_attr *at = &d->attrs[a];
		const char *v = at->value;
		uint32_t plen = nd->len > 200 ? 200 : nd->len;
		if (at->name[0] == 'o' && at->name[1] == 'n' && at->value_len)
			rc = add_seg(r, v, at->value_len, i, nd->off, plen,
				     auto_handler(at->name) ? SW_TJ_SEG_AUTO : SW_TJ_SEG_USER);
		else if (at->value_len > 11 && istarts(v, at->value_len, "javascript:"))
			rc = add_seg(r, v + 11, at->value_len - 11, i, nd->off, plen,
				     SW_TJ_SEG_USER);
	}
	return rc;
}

/* The HTML checks and segment gathering for element i. */
static enum sw_err visit_element(struct sw__tj_run *r, uint32_t i)
{
	const struct sw_doc *d = r->ctx->doc;
	const struct sw_node *nd = &d->nodes[i];
	enum sw_err rc = SW_OK;
	const char *src;

	switch (nd->tag) {
	case SW_TAG_SCRIPT:
		src = sw_doc_attr(d, i, "src");
		if (src && *src) {
			rc = sw__tj_script_src(r, i, src);
			if (!rc)
				rc = add_seg(r, src, strlen(src), i, nd->off, nd->len,
					     SW_TJ_SEG_SRC);
		}
		break;
	case SW_TAG_IFRAME:
	case SW_TAG_FRAME:
		rc = sw__tj_frame(r, i);
		break;
	case SW_TAG_META:
		rc = sw__tj_refresh(r, i);
		break;
	default:
		break;
	}
	return rc ? rc : add_handlers(r, i);
}

/* Walks the doc once: HTML checks, then inline scripts into the buffer. */
static enum sw_err walk(struct sw__tj_run *r)
{
	const struct sw_doc *d = r->ctx->doc;
	enum sw_err rc = SW_OK;

	for (uint32_t i = 0; i < d->n && !rc; i++) {
		const struct sw_node *nd = &d->nodes[i];
		if (nd->type == SW_NODE_ELEMENT) {
			rc = visit_element(r, i);
		} else if (nd->type == SW_NODE_TEXT && (nd->flags & SW_NODE_RAW_TEXT) &&
			   nd->parent != SW_NONE && d->nodes[nd->parent].tag == SW_TAG_SCRIPT &&
			   js_type(d, nd->parent) && nd->text) {
			rc = add_seg(r, nd->text, nd->text_len, i, nd->off, nd->len,
				     SW_TJ_SEG_SCRIPT);
		}
	}
	return rc;
}

/* Analyses one page. */
static enum sw_err tj_run(struct sw_an_ctx *ctx, const void *state)
{
	struct sw__tj_run r;
	enum sw_err rc;

	if (!state || !ctx->doc || !ctx->page || !ctx->page->text)
		return SW_OK;
	memset(&r, 0, sizeof r);
	r.ctx = ctx;
	r.st = state;
	html_bounds(&r);
	/* The page's host: given, or guessed by sw_analyze for saved pages. */
	snprintf(r.site, sizeof r.site, "%s", ctx->host ? ctx->host : "");
	rc = walk(&r);
	if (!rc)
		rc = sw__tj_js_run(&r);
	if (!rc)
		rc = sw__tj_yara_run(&r);
	if (!rc && r.skipped)
		rc = sw_an_emit(ctx, &(struct sw_an_hit){.key = "analysis.limit", .sev = SW_SEV_INFO,
				.confidence = 1.0, .technique = "script-too-large", .off = SW_NONE},
				"trojan: %u inline scripts too large to scan", r.skipped);
	free(r.buf);
	free(r.segs);
	return rc;
}

const struct sw_analyzer sw_analyzer_trojan = {"trojan", tj_load, tj_free, tj_run};
