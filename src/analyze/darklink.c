/*
 * darklink.c - dark links (暗链): links a visitor cannot see but a search
 * engine reads, leading off-site.
 *
 * Hiddenness comes from the CSS layer (css.c); this file decides which
 * hidden links are spam.  Honest pages hide links all the time (drop-down
 * menus, tab panels, carousels, mobile menus, skip links), almost always to
 * their own site or to other government and media sites, and almost always
 * with display:none.  Attackers hide links to commercial domains with spam
 * anchor text, often many in one block, and prefer techniques no menu uses
 * (off-screen offsets, text-indent, font-size 0, text in the background
 * colour, 1px marquees).  So a hidden off-site link scores:
 *   technique: 0.6 for the attacker techniques, 0.3 for display:none and
 *              its kin (visibility, hidden attribute, script, noscript);
 *   +0.5       spam vocabulary (rules/spam/) in its text, title or URL;
 *   +0.15      a target outside government/education/known-honest domains
 *              (rules/darklink/honest-domains.txt), -0.4 inside them;
 *   +0.2       a target on a throw-away name (sw_host_shady: cheap TLD,
 *              gambling fragments, an address);
 *   +0.2       three or more such links to two or more domains in one
 *              hidden block (a link farm), when spam words or an attacker
 *              technique are already there (honest drop-downs are long);
 * and is reported at 0.5 or more, the score being the confidence.
 * Script-written HTML (document.write of literals) is read too: a hidden
 * block written by a script is what a spider without JavaScript misses
 * and a visitor never sees.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/cloaking.h"
#include "analyze/hostset.h"
#include "analyze/jsstr.h"
#include "analyze/kw.h"

#define LINK_TEXT_MAX 512
#define WRITE_MAX (64u << 10)
#define REPORT_AT 0.5

struct state {
	struct sw_kw *spam;
	struct sw_hostset honest;
};

static void st_free(void *p)
{
	struct state *st = p;

	if (!st)
		return;
	sw_kw_free(st->spam);
	sw_hostset_cleanup(&st->honest);
	free(st);
}

static enum sw_err st_load(const char *dir, void **out, struct sw_errbuf *eb)
{
	struct state *st = calloc(1, sizeof *st);
	enum sw_err rc;

	if (!st)
		return SW_ENOMEM;
	if ((rc = sw_kw_load(dir, "spam/", &st->spam, eb)) ||
	    (rc = sw_hostset_load(&st->honest, dir, "darklink/honest-domains.txt",
					     SW_HOSTSET_SUBTREES, eb))) {
		st_free(st);
		return rc;
	}
	*out = st;
	return SW_OK;
}

/* Techniques in the order we name them when several apply: the most
 * telling first. */
static const uint32_t tech_order[] = {
	SW_HIDE(MARQUEE),  SW_HIDE(TEXT_INDENT), SW_HIDE(OFFSCREEN), SW_HIDE(FONT_ZERO),
	SW_HIDE(COLOR),	   SW_HIDE(ZERO_SIZE),	 SW_HIDE(OPACITY),   SW_HIDE(CLIP),
	SW_HIDE(SCRIPT),   SW_HIDE(NOSCRIPT),	 SW_HIDE(ATTR),	     SW_HIDE(VISIBILITY),
	SW_HIDE(DISPLAY),  SW_HIDE(TEMPLATE),
};

#define ATTACKER_BITS                                                                        \
	(SW_HIDE(MARQUEE) | SW_HIDE(TEXT_INDENT) | SW_HIDE(OFFSCREEN) | SW_HIDE(FONT_ZERO) | \
	 SW_HIDE(COLOR) | SW_HIDE(ZERO_SIZE) | SW_HIDE(OPACITY) | SW_HIDE(CLIP))

static uint32_t main_bit(uint32_t hide)
{
	for (size_t i = 0; i < sizeof tech_order / sizeof tech_order[0]; i++)
		if (hide & tech_order[i])
			return tech_order[i];
	return 0;
}

/* The node whose own style hides i with bit (i itself or an ancestor). */
static uint32_t hiding_root(const struct sw_doc *d, uint32_t i, uint32_t bit)
{
	for (uint32_t k = i; k != SW_NONE; k = d->nodes[k].parent)
		if (d->nodes[k].hide_self & bit)
			return k;
	return i;
}

/* The effective hiding of link i: its own, or that of all its text when
 * only the text is hidden (<a><span style="font-size:0">...</span></a>). */
static uint32_t link_hide(const struct sw_doc *d, uint32_t i)
{
	uint32_t h = d->nodes[i].hide, text_h = ~0u;
	int any = 0;

	if (h)
		return h;
	for (uint32_t k = i + 1; k < d->nodes[i].end; k++) {
		const struct sw_node *x = &d->nodes[k];

		if (x->tag == SW_TAG_IMG && x->hide == 0)
			return 0; /* a visible picture link */
		if (x->type != SW_NODE_TEXT)
			continue;
		if (strspn(x->text, " \t\r\n") == x->text_len)
			continue;
		if (x->hide == 0)
			return 0;
		text_h &= x->hide;
		any = 1;
	}
	return any ? text_h : 0;
}

/* One hidden off-site link, before scoring. */
struct cand {
	uint32_t node, root;
	uint32_t bit;
	const char *href;
	char host[256];
	double score;
	size_t spam;
	char text[LINK_TEXT_MAX];
};

struct run {
	struct sw_an_ctx *ctx;
	const struct state *st;
	struct sw_kw_scratch *scratch;
	struct cand *c;
	size_t n, cap;
};

static size_t spam_count(struct run *r, const char *s)
{
	return s && *s ? sw_kw_count(r->st->spam, r->scratch, s, strlen(s), 8, NULL) : 0;
}

/* Collects the hidden off-site links of doc d; written says the doc was
 * written by a script. */
static enum sw_err collect(struct run *r, const struct sw_doc *d, int written)
{
	for (uint32_t i = 0; i < d->n; i++) {
		const struct sw_node *x = &d->nodes[i];
		const char *href;
		struct cand *c;
		uint32_t h;

		if (x->type != SW_NODE_ELEMENT || (x->tag != SW_TAG_A && x->tag != SW_TAG_AREA) ||
		    !(href = sw_doc_attr(d, i, "href")))
			continue;
		if (!(h = link_hide(d, i)))
			continue;
		if (r->n == r->cap) {
			size_t cap = r->cap ? 2 * r->cap : 16;
			struct cand *v = realloc(r->c, cap * sizeof *v);

			if (!v)
				return SW_ENOMEM;
			r->c = v;
			r->cap = cap;
		}
		c = &r->c[r->n];
		sw_an_url_host(href, c->host, sizeof c->host);
		/* Without the page's own host every absolute link is off-site. */
		if (!c->host[0] || (r->ctx->host[0] && sw_an_same_site(r->ctx->host, c->host)))
			continue;
		c->node = i;
		c->bit = main_bit(h);
		c->root = hiding_root(d, i, c->bit);
		c->href = href;
		sw_doc_text(d, i, c->text, sizeof c->text);
		(void)written;
		r->n++;
	}
	return SW_OK;
}

/* Scores the candidates of one doc (see the file comment). */
static void score(struct run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct cand *c = &r->c[i];
		const char *title = NULL;
		size_t links = 0, domains = 0;

		(void)title;
		c->score = (c->bit & ATTACKER_BITS) ? 0.6 : 0.3;
		c->spam = spam_count(r, c->text) + spam_count(r, c->href);
		if (c->spam)
			c->score += 0.5;
		if (sw_hostset_has(&r->st->honest, c->host))
			c->score -= 0.4;
		else {
			const char *dot = strrchr(c->host, '.');
			int official = strstr(c->host, ".gov.") || strstr(c->host, ".edu.") ||
				       (dot && (strcmp(dot, ".gov") == 0 || strcmp(dot, ".edu") == 0 ||
						strcmp(dot, ".mil") == 0));

			c->score += official ? -0.4 : 0.15;
			/* Link farms live on throw-away names: cheap TLDs,
			 * gambling fragments, addresses. */
			if (!official && sw_host_shady(c->host))
				c->score += 0.2;
		}
		/* Link farm: others in the same hidden block. */
		for (size_t k = 0; k < r->n; k++) {
			int seen = 0;

			if (r->c[k].root != c->root)
				continue;
			links++;
			for (size_t m = 0; m < k && !seen; m++)
				seen = r->c[m].root == c->root && strcmp(r->c[m].host, r->c[k].host) == 0;
			domains += !seen;
		}
		/* A farm only tells when something else already looks like
		 * an attack: honest drop-downs hold many links too. */
		if (links >= 3 && domains >= 2 && !sw_hostset_has(&r->st->honest, c->host) &&
		    (c->spam || (c->bit & ATTACKER_BITS)))
			c->score += 0.2;
	}
}

/* Reports the candidates scoring REPORT_AT or more.  base_off is the
 * offset of doc d's text in the page (script-written HTML sits inside a
 * script); for the page itself it is SW_NONE. */
static enum sw_err report(struct run *r, const struct sw_doc *d, uint32_t base_off, int written)
{
	enum sw_err rc = SW_OK;

	for (size_t i = 0; i < r->n && rc == SW_OK; i++) {
		const struct cand *c = &r->c[i];
		const struct sw_node *x = &d->nodes[c->node], *root = &d->nodes[c->root];
		char tech[64], detail[256];
		const char *cls = sw_doc_attr(d, c->root, "class");

		if (c->score < REPORT_AT)
			continue;
		snprintf(tech, sizeof tech, "%s%s", written ? "script-written:" : "", sw_hide_name(c->bit));
		if (root->hide_css & c->bit)
			snprintf(detail, sizeof detail, "hidden by a <style> rule on <%s%s%s%s>", root->name,
				 cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
		else
			snprintf(detail, sizeof detail, "hidden by <%s> (%s)%s", root->name ? root->name : "text",
				 sw_hide_name(c->bit), c->spam ? ", spam words in the link" : "");
		rc = sw_an_emit(r->ctx,
				&(struct sw_an_hit){.key = "darklink.hidden_link", .sev = -1,
						    .confidence = c->score > 1.0 ? 1.0 : c->score,
						    .technique = tech,
						    .off = base_off != SW_NONE ? base_off : x->off,
						    .len = base_off != SW_NONE ? 0 : x->len,
						    .target = c->href, .detail = detail},
				"hidden link to %s (%s): %.80s", c->host, tech, c->text);
	}
	return rc;
}

/* Hidden blocks of spam text without links (keyword stuffing). */
static enum sw_err hidden_text(struct run *r, const struct sw_doc *d)
{
	char buf[2048];
	enum sw_err rc = SW_OK;

	for (uint32_t i = 0; i < d->n && rc == SW_OK; i++) {
		const struct sw_node *x = &d->nodes[i];
		size_t hits, len;
		int has_link = 0;

		if (x->type != SW_NODE_ELEMENT || !(x->hide_self & ATTACKER_BITS) ||
		    (x->parent != SW_NONE && (d->nodes[x->parent].hide & ATTACKER_BITS)) ||
		    (x->flags & SW_NODE_IN_HEAD))
			continue;
		for (size_t k = 0; k < r->n && !has_link; k++)
			has_link = r->c[k].root == i && r->c[k].score >= REPORT_AT;
		if (has_link || !(len = sw_doc_text(d, i, buf, sizeof buf)))
			continue;
		if ((hits = sw_kw_count(r->st->spam, r->scratch, buf, len, 8, NULL)) < 2)
			continue;
		rc = sw_an_emit(r->ctx,
				&(struct sw_an_hit){.key = "darklink.hidden_text", .sev = -1,
						    .confidence = hits >= 4 ? 0.9 : 0.7,
						    .technique = sw_hide_name(main_bit(x->hide_self)),
						    .off = x->off, .len = x->len},
				"hidden spam text (%s): %.80s", sw_hide_name(main_bit(x->hide_self)), buf);
	}
	return rc;
}

/* HTML written by the page's scripts: each document.write's literals are
 * parsed and their hidden off-site links judged like the page's. */
static enum sw_err scripts(struct run *r)
{
	const struct sw_doc *d = r->ctx->doc;
	char *buf = NULL;
	enum sw_err rc = SW_OK;

	for (uint32_t i = 0; i < d->n && rc == SW_OK; i++) {
		const struct sw_node *x = &d->nodes[i];
		size_t pos = 0, at;
		long n;

		if (x->type != SW_NODE_TEXT || x->parent == SW_NONE ||
		    d->nodes[x->parent].tag != SW_TAG_SCRIPT || !memmem(x->text, x->text_len, "document.write", 14))
			continue;
		if (!buf && !(buf = malloc(WRITE_MAX)))
			return SW_ENOMEM;
		while (rc == SW_OK && (n = sw_js_next_write(x->text, x->text_len, &pos, &at, buf, WRITE_MAX)) >= 0) {
			struct sw_doc *w = NULL;

			if (!strcasestr(buf, "href"))
				continue;
			if ((rc = sw_doc_parse(buf, (size_t)n, NULL, &w, NULL)) != SW_OK)
				break;
			r->n = 0;
			if ((rc = collect(r, w, 1)) == SW_OK) {
				score(r);
				rc = report(r, w, x->off + (uint32_t)at, 1);
			}
			sw_doc_free(w);
		}
	}
	free(buf);
	return rc;
}

static enum sw_err run(struct sw_an_ctx *ctx, const void *state)
{
	const struct state *st = state;
	struct run r = {.ctx = ctx, .st = st};
	enum sw_err rc;

	if (!st)
		return SW_OK;
	/* r.scratch stays NULL: the engine lends one from its pool, cheaper
	 * than making one per page. */
	if ((rc = collect(&r, ctx->doc, 0)) == SW_OK) {
		score(&r);
		if ((rc = report(&r, ctx->doc, SW_NONE, 0)) == SW_OK)
			rc = hidden_text(&r, ctx->doc);
	}
	if (rc == SW_OK)
		rc = scripts(&r);
	if (rc == SW_OK)
		rc = sw_an_cloaking(ctx, st->spam);
	free(r.c);
	return rc;
}

const struct sw_analyzer sw_analyzer_darklink = {"darklink", st_load, st_free, run};
