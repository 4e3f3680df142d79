/*
 * compliance.c - the compliance analyzer: does the page show the marks
 * every Chinese site must show (统一标识), and are they the registered ones?
 *
 * Every site: the ICP filing (or licence) number and the public-security
 * filing number.  Government sites also: the 网站标识码, the identification
 * badge served by conac.cn, and the sponsor (主办单位) line.  A mark counts
 * as shown only when a visitor can read it: in the visible text (ctx->vis)
 * or in the alt/title text of a visible image; a number that sits only in
 * hidden text is reported as missing with technique "hidden-only".  When
 * the register knows a value, a shown value that differs is a mismatch;
 * the ICP "-N" suffix numbers a sub-site and is not compared.
 *
 * Cost: one Vectorscan pass over the visible text finds every anchor
 * ("ICP", "网安备", "网站标识码", the sponsor words); each anchor is parsed in
 * a small window (compliance_marks.c).  Script text is scanned for the
 * badge hosts only on government pages whose badge was not seen in an
 * attribute.  The full page text is scanned a second time only when a mark
 * is missing, to tell "absent" from "hidden-only".
 *
 * False alarms are the main risk, so pages that are not content pages
 * (error and soft-404 pages, redirect pages, listings, non-HTML
 * bodies) are not checked, the sponsor word must
 * sit in the footer region (see org_counts), and "is government" is taken
 * from the register, the host (.gov.cn), or, offline, from the title and
 * from the page itself showing a 网站标识码 or badge.
 */
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/analyze.h"
#include "analyze/compliance_int.h"
#include "analyze/exposure_hdr.h"

#define MIN_TEXT 40 /* bytes of visible text below which a page holds no content to mark */
#define MIN_VIS 200 /* below this, a page that redirects or frames is only a doorway */

/* ---- scanning --------------------------------------------------------------- */

/*
 * Called by Vectorscan for every anchor; parses it and records the mark.
 * Returns 0 to go on, 1 to stop (badge found while looking only for it).
 */
static int on_match(unsigned id, unsigned long long from, unsigned long long to,
		    unsigned flags, void *arg)
{
	struct sw__cm_scan *sc = arg;
	const struct sw__cm_pat *p = &sc->st->pats[id];
	size_t a = (size_t)to - p->len;

	(void)from;
	(void)flags;
	if (p->cls == SW__CM_C_BADGE) {
		sc->badge = 1;
		return sc->badge_only;
	}
	if (sc->badge_only)
		return 0;
	sw__cm_scan_anchor(sc, p->cls, a, p->len, p->need_colon);
	return 0;
}

/* Scans n bytes of text with the anchors into sc; returns 0 when
 * Vectorscan failed (it cannot, with a scratch cloned for this database). */
static int scan_text(struct sw__cm_scan *sc, hs_scratch_t *scratch, const char *t, size_t n)
{
	hs_error_t e;

	if (n == 0 || n > UINT32_MAX)
		return 0;
	sc->text = t;
	sc->n = n;
	e = hs_scan(sc->st->db, t, (unsigned)n, 0, scratch, on_match, sc);
	return e == HS_SUCCESS || e == HS_SCAN_TERMINATED;
}

/* ---- which pages are checked ---------------------------------------------- */

/* True when s contains one of the n words (any ASCII case). */
static int has_word(const char *s, char *const *words, size_t n)
{
	size_t len = strlen(s);

	for (size_t i = 0; i < n; i++)
		if (sw__hdr_has(s, len, words[i]))
			return 1;
	return 0;
}

/*
 * True when a short page is a doorway that only sends the visitor elsewhere:
 * a meta refresh, a frame, or a script that changes location.  A short
 * page that does none of these (a hacker's replacement page) is content
 * and must still show the marks.
 */
static int is_doorway(const struct sw_an_ctx *ctx)
{
	const struct sw_doc *d = ctx->doc;

	if (ctx->vis_len < MIN_TEXT)
		return 1;
	if (ctx->vis_len >= MIN_VIS)
		return 0;
	for (uint32_t i = 0; i < d->n; i++) {
		const struct sw_node *nd = &d->nodes[i];
		const char *he;

		if (nd->type == SW_NODE_ELEMENT &&
		    (nd->tag == SW_TAG_FRAMESET || nd->tag == SW_TAG_FRAME || nd->tag == SW_TAG_IFRAME))
			return 1;
		if (nd->type == SW_NODE_ELEMENT && nd->tag == SW_TAG_META &&
		    (he = sw_doc_attr(d, i, "http-equiv")) && strcasecmp(he, "refresh") == 0)
			return 1;
		if (nd->type == SW_NODE_TEXT && nd->parent != SW_NONE &&
		    d->nodes[nd->parent].tag == SW_TAG_SCRIPT &&
		    memmem(nd->text, nd->text_len, "location", 8))
			return 1;
	}
	return 0;
}

/*
 * True when the page looks like a real content page: not an error or
 * soft-404 page, not a doorway, not a listing, HTML when the headers say.
 */
static int is_content_page(const struct sw_an_ctx *ctx, const struct sw__cm_state *st)
{
	const struct sw_an_page *pg = ctx->page;
	struct sw__hdr_val ct;

	if (pg->status >= 400 || is_doorway(ctx))
		return 0;
	if (sw__hdr_get(pg->headers, pg->headers_len, "content-type", &ct) &&
	    !sw__hdr_has(ct.p, ct.n, "html"))
		return 0;
	return !has_word(ctx->doc->title_text, st->skip_titles, st->nskip);
}

/* True when host is gov.cn or ends with ".gov.cn". */
static int gov_host(const char *host)
{
	size_t n = strlen(host);

	return strcmp(host, "gov.cn") == 0 || (n > 7 && strcmp(host + n - 7, ".gov.cn") == 0);
}

/* 1 government site, 0 not, -1 not known yet (the page's own marks decide). */
static int gov_first_guess(const struct sw_an_ctx *ctx, const struct sw__cm_state *st)
{
	if (ctx->site->gov == 1 || ctx->site->gov == 0)
		return ctx->site->gov;
	if (gov_host(ctx->host))
		return 1;
	if (ctx->host[0] == '\0' && has_word(ctx->doc->title_text, st->gov_titles, st->ngov))
		return 1;
	return -1;
}

/* ---- the badge ------------------------------------------------------------ */

/* True when url's host is a badge host (or below one). */
static int badge_url(const struct sw__cm_state *st, const char *url)
{
	char host[256], tmp[300];
	size_t hn;

	if (url == NULL)
		return 0;
	while (*url == ' ' || *url == '\t' || *url == '\n' || *url == '\r')
		url++;
	if (url[0] == '/' && url[1] == '/') {
		/* Protocol-relative: give it a scheme so the host can be read. */
		snprintf(tmp, sizeof tmp, "http:%.290s", url);
		url = tmp;
	}
	sw_an_url_host(url, host, sizeof host);
	hn = strlen(host);
	for (size_t i = 0; i < st->nbadge; i++) {
		size_t bn = strlen(st->badge_hosts[i]);

		if (hn >= bn && strcasecmp(host + hn - bn, st->badge_hosts[i]) == 0 &&
		    (hn == bn || host[hn - bn - 1] == '.'))
			return 1;
	}
	return 0;
}

/* True when a visitor can see what node i puts on the page.  A script
 * shows what it writes where it stands, so its parent decides. */
static int node_shown(const struct sw_doc *d, uint32_t i)
{
	const struct sw_node *nd = &d->nodes[i];

	if (nd->tag == SW_TAG_SCRIPT)
		return (nd->flags & SW_NODE_IN_HEAD) || nd->parent == SW_NONE ||
		       d->nodes[nd->parent].hide == 0;
	return nd->hide == 0;
}

/*
 * Looks for the badge: an element whose URL attribute is on a badge host,
 * then (only when none is) the text of visible scripts, which is where
 * the document.write(unescape("...dcs.conac.cn...")) form keeps it.
 */
static int find_badge(const struct sw_an_ctx *ctx, const struct sw__cm_state *st,
		      hs_scratch_t *scratch, uint32_t *where)
{
	const struct sw_doc *d = ctx->doc;
	struct sw__cm_scan sc;

	for (uint32_t i = 0; i < d->n; i++) {
		const struct sw_node *nd = &d->nodes[i];
		const char *u;

		if (nd->type != SW_NODE_ELEMENT)
			continue;
		if (nd->tag == SW_TAG_A || nd->tag == SW_TAG_AREA)
			u = sw_doc_attr(d, i, "href");
		else if (nd->tag == SW_TAG_SCRIPT || nd->tag == SW_TAG_IMG ||
			 nd->tag == SW_TAG_IFRAME || nd->tag == SW_TAG_EMBED)
			u = sw_doc_attr(d, i, "src");
		else
			continue;
		if (badge_url(st, u) && node_shown(d, i)) {
			*where = nd->off;
			return 1;
		}
	}
	sw__cm_scan_init(&sc, st, ctx);
	sc.badge_only = 1;
	for (uint32_t i = 0; i < d->n && !sc.badge; i++) {
		const struct sw_node *nd = &d->nodes[i];

		if (nd->type != SW_NODE_TEXT || nd->parent == SW_NONE ||
		    d->nodes[nd->parent].tag != SW_TAG_SCRIPT || !node_shown(d, nd->parent))
			continue;
		scan_text(&sc, scratch, nd->text, nd->text_len);
		*where = nd->off;
	}
	return sc.badge;
}

/* ---- alt and title text of images ---------------------------------------- */

/* Scans the title text of visible images and the alt and title text of
 * image buttons and map areas: some footers draw the numbers as pictures
 * and say them there.  (The alt text of visible images is already part
 * of the visible text.) */
static void scan_alts(struct sw__cm_scan *sc, const struct sw_doc *d, hs_scratch_t *scratch)
{
	static const char *const names[] = {"title", "alt"};

	sc->in_alt = 1;
	for (uint32_t i = 0; i < d->n; i++) {
		const struct sw_node *nd = &d->nodes[i];

		if (nd->type != SW_NODE_ELEMENT || nd->hide != 0 ||
		    (nd->tag != SW_TAG_IMG && nd->tag != SW_TAG_INPUT && nd->tag != SW_TAG_AREA))
			continue;
		for (size_t k = 0; k < (nd->tag == SW_TAG_IMG ? 1u : 2u); k++) {
			const char *v = sw_doc_attr(d, i, names[k]);

			if (v == NULL || strlen(v) < 6)
				continue;
			sc->node_off = nd->off;
			scan_text(sc, scratch, v, strlen(v));
		}
	}
	sc->in_alt = 0;
}

/* ---- the run -------------------------------------------------------------- */

/* Scans the visible text and image alt text into sc.  Returns 0 when the
 * scan failed: then nothing is known and nothing may be reported. */
static int scan_visible(struct sw__cm_scan *sc, const struct sw_an_ctx *ctx,
			hs_scratch_t *scratch)
{
	if (!scan_text(sc, scratch, ctx->vis, ctx->vis_len))
		return 0;
	scan_alts(sc, ctx->doc, scratch);
	return 1;
}

/*
 * Scans the whole page text (hidden parts included) into hid, so that a
 * missing mark can be told apart from one the page hides.  Offsets are
 * already page offsets.
 */
static void scan_hidden(struct sw__cm_scan *hid, const struct sw_an_ctx *ctx,
			hs_scratch_t *scratch)
{
	hid->raw = 1;
	scan_text(hid, scratch, ctx->page->text, ctx->page->text_len);
}

static enum sw_err run(struct sw_an_ctx *ctx, const void *state)
{
	const struct sw__cm_state *st = state;
	struct sw__cm_scan *sc = NULL, *hid = NULL;
	hs_scratch_t *scratch = NULL;
	enum sw_err rc = SW_OK;
	uint32_t badge_at = SW_NONE;
	int gov, badge = 0;

	if (st == NULL || ctx->doc == NULL || !is_content_page(ctx, st))
		return SW_OK;
	sc = malloc(sizeof *sc);
	hid = malloc(sizeof *hid);
	if (sc == NULL || hid == NULL || hs_clone_scratch(st->scratch, &scratch) != HS_SUCCESS) {
		rc = SW_ENOMEM;
		goto out;
	}
	sw__cm_scan_init(sc, st, ctx);
	sw__cm_scan_init(hid, st, ctx);
	if (!scan_visible(sc, ctx, scratch))
		goto out;
	gov = gov_first_guess(ctx, st);
	if (gov != 0)
		badge = find_badge(ctx, st, scratch, &badge_at);
	if (gov < 0)
		gov = sc->m[SW__CM_CODE].shown > 0 || badge;
	if (sw__cm_missing_any(sc, gov, badge))
		scan_hidden(hid, ctx, scratch);
	rc = sw__cm_report(ctx, sc, hid, gov, badge);
out:
	hs_free_scratch(scratch);
	free(sc);
	free(hid);
	return rc;
}

const struct sw_analyzer sw_analyzer_compliance = {"compliance", sw__cm_load, sw__cm_free,
						     run};
