/*
 * deface.c - the defacement analyzer (篡改): hacker phrases on any page,
 * and against the site's baseline a changed title, a replaced page, a
 * large change of stable text, injected slogan blocks and replaced key
 * images.
 *
 * Facts that shaped it:
 *  - Honest pages talk about attacks: a police notice warns of 黑客攻击 and
 *    网络入侵.  So only phrases no honest page says (rules/deface/strong*)
 *    are enough alone; common words (weak*) need corroboration: a short
 *    page (defacement pages are a few lines and no navigation), a title
 *    that says it too, or text that is new against the baseline next to a
 *    structural change.
 *  - Portal pages churn on their own (news lists, dates, counters,
 *    carousels); the baseline knows those regions (baseline.c) and text in
 *    them is ignored, and a block already in the baseline never counts.
 *  - A page cut by a parse limit, an error status or an empty body is an
 *    availability problem, not a defacement: no comparison then.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/baseline_int.h"
#include "analyze/deface.h"
#include "analyze/deface_int.h"

#define HIT_CAP 256
#define TITLE_HIT_CAP 32

/* A "short" page: defacement pages have little text and no navigation. */
#define SHORT_VIS 800
#define SHORT_LINKS 8

/*
 * Amounts of normalised text (bytes; a Chinese character is 3).  Stable
 * text below MIN_STABLE is too little to call a page replaced by text
 * alone.  A content change needs at least half the stable text gone and
 * MIN_MISSING bytes of it, or new text at non-dynamic places of at least
 * half the stable text and MIN_NEW bytes.  Once dates, lists and carousels
 * are set aside an honest portal's remaining text does not change between
 * fetches at all, so these can be small.
 */
#define MIN_STABLE 120
#define MIN_MISSING 40
#define MIN_NEW 240

struct eval {
	struct sw_an_ctx *ctx;
	const struct sw__dsig *sig;
	struct sw__dsig_hit vh[HIT_CAP];   /* hits in ctx->vis */
	size_t nvh;
	struct sw__dsig_hit th[TITLE_HIT_CAP]; /* hits in the title */
	size_t nth;
	struct sw__sketch sk;
	struct sw__bl_diff df;
	int have_df;       /* compared with a baseline */
	int replaced, content, banner;
	size_t banner_block, banner_hit;
	size_t links;
};

/* Whether hit h of the visible text counts: not in text the baseline
 * already had; weak and slogan words also not in dynamic regions. */
static int counted(const struct eval *e, const struct sw__dsig_hit *h)
{
	size_t b;
	int cls;

	if (!e->have_df)
		return 1;
	b = sw__sketch_block_at(&e->sk, sw_an_vis_off(e->ctx, h->from));
	cls = b == SIZE_MAX ? -1 : e->df.cls[b];
	if (cls == SW__BL_MATCHED)
		return 0;
	if (cls == SW__BL_CHANGED || cls == SW__BL_NEWPATH)
		return 1;
	return sw__dsig_class_of(e->sig, h->pat) == SW__DSIG_STRONG;
}

/* Distinct phrases of class cls among counted hits; *first gets the
 * index of the first such hit (SIZE_MAX when none). */
static size_t distinct(const struct eval *e, const struct sw__dsig_hit *h, size_t n,
		       int use_counted, enum sw__dsig_class cls, size_t *first)
{
	uint8_t seen[SW__DSIG_MAX_PHRASES / 8] = {0};
	size_t k = 0;

	*first = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		uint32_t p = h[i].pat;

		if (sw__dsig_class_of(e->sig, p) != cls || (use_counted && !counted(e, &h[i])))
			continue;
		if (*first == SIZE_MAX)
			*first = i;
		if (!(seen[p / 8] & (1u << (p % 8)))) {
			seen[p / 8] |= (uint8_t)(1u << (p % 8));
			k++;
		}
	}
	return k;
}

/* Visible links with an href, counted when no sketch was built. */
static size_t count_links(const struct sw_doc *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += d->nodes[i].tag == SW_TAG_A && !d->nodes[i].hide &&
		     d->nodes[i].type == SW_NODE_ELEMENT && sw_doc_attr(d, (uint32_t)i, "href");
	return n;
}

/* Copies at most cap-1 bytes of s into buf, cut at a UTF-8 boundary. */
static const char *clip(const char *s, char *buf, size_t cap)
{
	size_t n = strlen(s);

	if (n >= cap) {
		n = cap - 1;
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/* Byte range of the title's text in the page (the element's own range
 * covers only its start tag). */
static uint32_t title_off(const struct sw_doc *d, uint32_t *len)
{
	uint32_t t = d->title, i = t + 1;

	*len = 0;
	if (t == SW_NONE)
		return SW_NONE;
	if (i < d->n && d->nodes[i].parent == t && d->nodes[i].type == SW_NODE_TEXT &&
	    d->nodes[i].len) {
		*len = d->nodes[i].len;
		return d->nodes[i].off;
	}
	*len = d->nodes[t].len;
	return d->nodes[t].off;
}

/* The text hit h matched in s (the visible text or the title), cut to
 * fit buf at a character boundary (a cut character would spoil JSON). */
static const char *matched(const char *s, size_t slen, const struct sw__dsig_hit *h, char *buf,
			   size_t cap)
{
	size_t n = h->to > h->from && h->to <= slen ? h->to - h->from : 0;

	if (n >= cap) {
		n = cap - 1;
		while (n && ((unsigned char)s[h->from + n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(buf, s + h->from, n);
	buf[n] = '\0';
	return buf;
}

/* Reports a phrase hit h (in the title when in_title) as a signature. */
static enum sw_err emit_signature(struct eval *e, const struct sw__dsig_hit *h, int in_title,
				  int strong, size_t nstrong, size_t nweak)
{
	const char *title = e->ctx->doc->title_text ? e->ctx->doc->title_text : "";
	char phrase[96], detail[160];
	struct sw_an_hit hit = {.key = "defacement.signature", .sev = -1,
		.confidence = strong ? 0.95 : 0.8, .technique = "hacker-phrase", .target = phrase};

	if (in_title) {
		hit.off = title_off(e->ctx->doc, &hit.len);
	} else {
		hit.off = sw_an_vis_off(e->ctx, h->from);
		uint32_t end = sw_an_vis_off(e->ctx, h->to);
		hit.len = end > hit.off && hit.off != SW_NONE ? end - hit.off : 0;
	}
	if (in_title)
		matched(title, strlen(title), h, phrase, sizeof phrase);
	else
		matched(e->ctx->vis, e->ctx->vis_len, h, phrase, sizeof phrase);
	snprintf(detail, sizeof detail, "rule %s; strong phrases %zu, weak phrases %zu%s",
		 sw__dsig_text(e->sig, h->pat), nstrong, nweak, in_title ? ", in the title" : "");
	hit.detail = detail;
	return sw_an_emit(e->ctx, &hit, "页面出现黑客篡改特征“%s”%s", phrase,
			  in_title ? "（标题）" : "");
}

/*
 * defacement.signature: a strong phrase anywhere (not in text the baseline
 * already had), or weak phrases with corroboration.
 */
static enum sw_err check_signature(struct eval *e)
{
	size_t fs, fw, fsl, fts, ftw;
	size_t ns = distinct(e, e->vh, e->nvh, 1, SW__DSIG_STRONG, &fs);
	size_t nw = distinct(e, e->vh, e->nvh, 1, SW__DSIG_WEAK, &fw);
	size_t nsl = distinct(e, e->vh, e->nvh, 1, SW__DSIG_SLOGAN, &fsl);
	int title_counts = !e->have_df || e->df.title_changed;
	size_t ts = title_counts ? distinct(e, e->th, e->nth, 0, SW__DSIG_STRONG, &fts) : 0;
	size_t tw = title_counts ? distinct(e, e->th, e->nth, 0, SW__DSIG_WEAK, &ftw) : 0;
	int is_short = e->ctx->vis_len < SHORT_VIS && e->links < SHORT_LINKS;
	int changed = e->have_df && (e->replaced || e->content || e->banner || e->df.title_changed);

	if (ts)
		return emit_signature(e, &e->th[fts], 1, 1, ns + ts, nw + tw);
	if (ns)
		return emit_signature(e, &e->vh[fs], 0, 1, ns, nw + tw);
	if ((is_short && (nw >= 2 || (nw >= 1 && (tw >= 1 || nsl >= 2)))) || (changed && nw >= 1))
		return emit_signature(e, &e->vh[fw], 0, 0, 0, nw + tw);
	if (tw && (is_short || changed) && (nw >= 1 || nsl >= 2))
		return emit_signature(e, &e->th[ftw], 1, 0, 0, nw + tw);
	return SW_OK;
}

struct bhit {
	size_t block, hit;
	uint32_t pat;
	uint8_t cls;
};

static int cmp_bhit(const void *a, const void *b)
{
	const struct bhit *x = a, *y = b;

	if (x->block != y->block)
		return (x->block > y->block) - (x->block < y->block);
	return (x->pat > y->pat) - (x->pat < y->pat);
}

/*
 * defacement.banner: a block that is new against the baseline and reads
 * like a slogan: strong phrases weigh 4, weak words 2, slogan words 1, and
 * a block at a path the page never had, in prominent markup (marquee,
 * headings, center, font, bold) and in a marquee 1 more each; 4 or more is
 * a banner, when it has a hacker word or sits at a new path (a changed
 * block at a known path needs a hacker word: an honest notice strip may
 * well announce a 漏洞修复).
 */
static void find_banner(struct eval *e)
{
	struct bhit bh[HIT_CAP];
	size_t n = 0;

	for (size_t i = 0; i < e->nvh; i++) {
		size_t b = sw__sketch_block_at(&e->sk, sw_an_vis_off(e->ctx, e->vh[i].from));

		if (b == SIZE_MAX || (e->df.cls[b] != SW__BL_CHANGED && e->df.cls[b] != SW__BL_NEWPATH))
			continue;
		bh[n++] = (struct bhit){b, i, e->vh[i].pat,
					(uint8_t)sw__dsig_class_of(e->sig, e->vh[i].pat)};
	}
	qsort(bh, n, sizeof *bh, cmp_bhit);
	for (size_t a = 0, z; a < n && !e->banner; a = z) {
		const struct sw__bl_block *bl = &e->sk.blocks[bh[a].block];
		int score = 0, hacker = 0, newpath = e->df.cls[bh[a].block] == SW__BL_NEWPATH;
		size_t best = bh[a].hit;

		for (z = a; z < n && bh[z].block == bh[a].block; z++) {
			if (z > a && bh[z].pat == bh[z - 1].pat)
				continue;
			score += bh[z].cls == SW__DSIG_STRONG ? 4 : bh[z].cls == SW__DSIG_WEAK ? 2 : 1;
			hacker |= bh[z].cls != SW__DSIG_SLOGAN;
			if (bh[z].cls < sw__dsig_class_of(e->sig, e->vh[best].pat))
				best = bh[z].hit;
		}
		score += newpath + !!(bl->flags & SW__BL_PROMINENT) + !!(bl->flags & SW__BL_MARQUEE);
		if (score >= 4 && (hacker || newpath)) {
			e->banner = 1;
			e->banner_block = bh[a].block;
			e->banner_hit = best;
		}
	}
}

/* Whether the page is worth comparing at all (see the file comment). */
static int comparable(const struct eval *e)
{
	const struct sw_an_ctx *c = e->ctx;

	return c->doc->limits == 0 && (c->page->status == 0 || c->page->status < 400) &&
	       (e->sk.vis_bytes >= 10 || e->sk.nimgs > 0);
}

/* Decides replaced and content from the comparison numbers. */
static void judge_change(struct eval *e)
{
	const struct sw__bl_diff *df = &e->df;
	double s = (double)df->stable_total, kept = s > 0 ? (double)df->matched / s : 1;
	uint64_t missing = df->stable_total - df->matched;

	if (df->struct_sim >= 0)
		e->replaced = df->struct_sim < 0.3 && (df->stable_total < MIN_STABLE || kept < 0.15);
	else
		e->replaced = df->stable_total >= MIN_STABLE && kept < 0.1;
	if (e->replaced)
		return;
	e->content = (missing * 2 >= df->stable_total && missing >= MIN_MISSING) ||
		     (df->new_bytes * 2 >= df->stable_total && df->new_bytes >= MIN_NEW);
}

static enum sw_err emit_block(struct eval *e, const char *key, double conf, const char *tech,
			      size_t block, const char *target, const char *detail,
			      const char *title)
{
	const struct sw__bl_block *bl = block < e->sk.nblocks ? &e->sk.blocks[block] : NULL;
	struct sw_an_hit hit = {.key = key, .sev = -1, .confidence = conf, .technique = tech,
		.off = bl ? bl->off : SW_NONE, .len = bl ? bl->end - bl->off : 0,
		.target = target, .detail = detail};

	return sw_an_emit(e->ctx, &hit, "%s", title);
}

/* The baseline findings: replaced, title, content, banner, image. */
static enum sw_err check_baseline(struct eval *e)
{
	const struct sw_doc *d = e->ctx->doc;
	char detail[160], t1[160], t2[160], msg[400];
	double s = e->df.stable_total ? (double)e->df.stable_total : 1;
	enum sw_err rc = SW_OK;

	snprintf(detail, sizeof detail, "structure kept %.0f%%, stable text kept %.0f%%, new text %llu bytes",
		 e->df.struct_sim < 0 ? 100.0 : e->df.struct_sim * 100, e->df.matched * 100.0 / s,
		 (unsigned long long)e->df.new_bytes);
	if (e->replaced)
		rc = emit_block(e, "defacement.replaced", 0.95, "page-replaced",
				e->df.first_new != SIZE_MAX ? e->df.first_new : 0, NULL, detail,
				"网页已被替换：原有结构和文字基本消失");
	if (!rc && e->df.title_changed) {
		struct sw_an_hit hit = {.key = "defacement.title", .sev = -1,
			.confidence = e->nth ? 0.95 : 0.85, .technique = "title-changed",
			.target = clip(d->title_text ? d->title_text : "", t1, 120),
			.detail = clip(e->ctx->base->title, t2, 120)};

		hit.off = title_off(d, &hit.len);
		rc = sw_an_emit(e->ctx, &hit, "网页标题被改为“%s”", t1);
	}
	if (!rc && e->content)
		rc = emit_block(e, "defacement.content", 0.8, "stable-text-changed", e->df.first_new,
				NULL, detail, "网页稳定区域的文字大幅变化");
	if (!rc && e->banner && !e->replaced) {
		char phrase[96];

		matched(e->ctx->vis, e->ctx->vis_len, &e->vh[e->banner_hit], phrase, sizeof phrase);
		snprintf(msg, sizeof msg, "页面被植入标语（含“%s”）", phrase);
		rc = emit_block(e, "defacement.banner", 0.85, "injected-block", e->banner_block,
				phrase, NULL, msg);
	}
	if (!rc && e->df.img_node != SIZE_MAX && !e->replaced) {
		const char *src = sw_doc_attr(d, (uint32_t)e->df.img_node, "src");
		struct sw_an_hit hit = {.key = "defacement.image", .sev = -1, .confidence = 0.75,
			.technique = "key-image-replaced", .off = d->nodes[e->df.img_node].off,
			.len = d->nodes[e->df.img_node].len, .target = src,
			.detail = e->df.img_base};

		rc = sw_an_emit(e->ctx, &hit, "关键图片被更换为 %s", clip(src ? src : "", t1, 150));
	}
	return rc;
}

static enum sw_err load(const char *rules_dir, void **state, struct sw_errbuf *eb)
{
	struct sw__dsig *s;
	enum sw_err rc = sw__dsig_load(rules_dir, &s, eb);

	*state = rc ? NULL : s;
	return rc;
}

static void unload(void *state)
{
	sw__dsig_free(state);
}

static enum sw_err run(struct sw_an_ctx *ctx, const void *state)
{
	struct eval *e = calloc(1, sizeof *e);
	const struct sw_doc *d = ctx->doc;
	enum sw_err rc;

	if (!e)
		return SW_ENOMEM;
	e->ctx = ctx;
	e->sig = state;
	rc = sw__dsig_scan(e->sig, ctx->vis, ctx->vis_len, e->vh, HIT_CAP, &e->nvh);
	if (!rc && d->title_text)
		rc = sw__dsig_scan(e->sig, d->title_text, strlen(d->title_text), e->th,
				   TITLE_HIT_CAP, &e->nth);
	if (!rc && ctx->base) {
		rc = sw__sketch_build(d, &e->sk);
		e->links = e->sk.links;
		if (!rc && comparable(e) && !(rc = sw__bl_compare(ctx->base, &e->sk, &e->df))) {
			e->have_df = 1;
			judge_change(e);
			find_banner(e);
		}
	} else {
		e->links = count_links(d);
	}
	if (!rc)
		rc = check_signature(e);
	if (!rc && e->have_df)
		rc = check_baseline(e);
	sw__bl_diff_cleanup(&e->df);
	sw__sketch_cleanup(&e->sk);
	free(e);
	return rc;
}

const struct sw_analyzer sw_analyzer_deface = {"deface", load, unload, run};
