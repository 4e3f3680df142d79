/*
 * sensitive.c - the sensitive-content analyzer: politically harmful,
 * violent-terror, pornographic, gambling and fraud content in the text a
 * visitor sees (ctx->vis).  Hidden spam is the dark-link analyzer's job.
 *
 * One Vectorscan pass (kw.h) over the visible text with every list under
 * rules/sensitive/: the five categories plus context.txt, the words of an
 * honest anti-crime or warning context.  The hard part is not matching but
 * staying quiet: police notices, anti-fraud campaigns, court news and
 * anti-cult pages on government sites use the very same words (赌博,
 * 诈骗, 色情, 法轮功 ...), while attackers' spam never describes itself as
 * a crime.  Hence the scoring below.
 *
 * Scoring, per category:
 *   1. A hit is "in context" when a context word (context.txt) lies in the
 *      same line of the visible text (blocks are separated by '\n') within
 *      CTX_WINDOW bytes (~50 CJK characters) before or after it.  Hits in
 *      context count for nothing, strong or weak.
 *   2. The page is "framed" (an anti-crime page) when it holds FRAMED_MIN or
 *      more different context words anywhere.  On a framed page weak hits
 *      count for nothing; strong hits still count unless in context (an
 *      attacker's banner injected into a police portal is still caught).
 *   3. A hit overlapping an earlier or longer hit of the same category and
 *      tier (赌博 inside 网络赌博, 葡京娱乐 across 澳门葡京娱乐), or a weak hit
 *      overlapping any strong hit of its category (六级答案 across a
 *      "答案...联系QQ" pattern), is not a word of its own.
 *   4. Points = PTS_STRONG per different strong entry that has a counted
 *      hit + PTS_WEAK per different weak entry that has one.  Repeating a
 *      word adds nothing: notices repeat their topic word too.
 *   5. The category is reported when points >= PTS_REPORT: one strong
 *      phrase, or three different weak words.
 *   6. Confidence = 0.6 + 0.2 per strong entry + 0.05 per weak entry,
 *      at most 0.98 (one strong phrase 0.8, two 0.98, three weak 0.75).
 *      Severity is the kind's default (high) with a strong entry, medium
 *      on weak words alone.
 * The evidence points at the first counted strong hit (else weak hit) and
 * its target is the text it matched; the detail lists the counted matches.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/kw.h"

#define CTX_WINDOW 150  /* bytes either side of a hit where context counts */
#define FRAMED_MIN 4    /* different context words that make an anti-crime page */
#define MAX_WORDS 4096  /* category hits kept per page: spam needs far fewer */
#define MAX_CTX 65536   /* context hits kept per page (see on_hit) */
#define PTS_STRONG 3
#define PTS_WEAK 1
#define PTS_REPORT 3
#define DETAIL_WORDS 8  /* words listed in the detail */

/* The categories a list may be named after, and their finding kinds. */
static const struct {
	const char *cat, *key;
} cats[] = {
	{"political", "sensitive.political"}, {"terror", "sensitive.terror"},
	{"porn", "sensitive.porn"},           {"gambling", "sensitive.gambling"},
	{"fraud", "sensitive.fraud"},
};
#define NCATS (sizeof cats / sizeof *cats)
#define CONTEXT_CAT "context"

/* Loaded state: the engine and which engine category is which. */
struct sens {
	struct sw_kw *kw;
	int ctx_cat;            /* engine category of context.txt, or -1 */
	int kind[SW_KW_MAX_CATS]; /* engine category -> index in cats[], -1 context */
};

/* One match kept for scoring. */
struct hit {
	uint32_t id, cat;
	uint32_t start, end;
	uint32_t pmax;   /* strong hits: largest end among this and earlier ones */
	uint8_t tier;
	uint8_t counted;
};

/* Hits of one page, sorted out in two growing arrays. */
struct page_hits {
	const struct sens *st;
	struct hit *words, *ctxw;
	size_t nwords, nctx, capw, capc;
	int nomem;
};

/* Frees the analyzer's state. */
static void sens_free(void *state)
{
	struct sens *st = state;

	if (!st)
		return;
	sw_kw_free(st->kw);
	free(st);
}

/*
 * Compiles the lists under rules/sensitive/.  A list named after no known
 * category fails the load: its words would otherwise be silently ignored.
 */
static enum sw_err sens_load(const char *rules_dir, void **state, struct sw_errbuf *eb)
{
	struct sens *st = calloc(1, sizeof *st);
	enum sw_err rc;
	size_t i, k;

	*state = NULL;
	if (!st)
		return SW_ENOMEM;
	st->ctx_cat = -1;
	if ((rc = sw_kw_load(rules_dir, "sensitive/", &st->kw, eb))) {
		sens_free(st);
		return rc;
	}
	for (i = 0; i < sw_kw_ncats(st->kw); i++) {
		const char *name = sw_kw_cat_name(st->kw, i);

		st->kind[i] = -1;
		if (!strcmp(name, CONTEXT_CAT)) {
			st->ctx_cat = (int)i;
			continue;
		}
		for (k = 0; k < NCATS && strcmp(cats[k].cat, name); k++)
			;
		if (k == NCATS) { /* name belongs to st: format before freeing */
			rc = sw_errf(eb, SW_EINVAL,
				     "sensitive/%s.txt: unknown category (political, terror, porn, "
				     "gambling, fraud or context)",
				     name);
			sens_free(st);
			return rc;
		}
		st->kind[i] = (int)k;
	}
	*state = st;
	return SW_OK;
}

/*
 * sw_kw_fn: files a match as a word or a context hit.  The caps are kept
 * apart so that a page stuffed with context words cannot push the spam
 * after them out of sight: past MAX_CTX context hits are dropped (the page
 * is framed by then anyway) and the scan goes on; past MAX_WORDS category
 * hits the scan stops, since so many hits have decided the page already.
 */
static int on_hit(const struct sw_kw_hit *h, void *arg)
{
	struct page_hits *ph = arg;
	int is_ctx = (int)h->cat == ph->st->ctx_cat;
	struct hit **v = is_ctx ? &ph->ctxw : &ph->words;
	size_t *n = is_ctx ? &ph->nctx : &ph->nwords;
	size_t *cap = is_ctx ? &ph->capc : &ph->capw;
	size_t max = is_ctx ? MAX_CTX : MAX_WORDS;

	if (*n >= max)
		return !is_ctx;
	if (*n == *cap) {
		size_t c2 = *cap ? *cap * 2 : 64;
		struct hit *nv = realloc(*v, c2 * sizeof *nv);

		if (!nv) {
			ph->nomem = 1;
			return 1;
		}
		*v = nv;
		*cap = c2;
	}
	(*v)[(*n)++] = (struct hit){h->id, (uint32_t)h->cat, (uint32_t)h->start,
				    (uint32_t)h->end, 0, (uint8_t)h->tier, 0};
	return 0;
}

/* qsort that accepts an empty (NULL) array: arrays grow from NULL. */
static void sort(struct hit *v, size_t n, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(v, n, sizeof *v, cmp);
}

/* qsort: context hits by end offset. */
static int by_end(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	return (x->end > y->end) - (x->end < y->end);
}

/* qsort: word hits by category, tier (strong first), start, longest first. */
static int by_cat_start(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->cat != y->cat)
		return (x->cat > y->cat) - (x->cat < y->cat);
	if (x->tier != y->tier)
		return (x->tier > y->tier) - (x->tier < y->tier);
	if (x->start != y->start)
		return (x->start > y->start) - (x->start < y->start);
	return (x->end < y->end) - (x->end > y->end);
}

/* qsort: hits by entry id (to count different entries), then start. */
static int by_id(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->id != y->id)
		return (x->id > y->id) - (x->id < y->id);
	return (x->start > y->start) - (x->start < y->start);
}

/*
 * Copies the text h matched (not the entry: a regex entry's match is what
 * people want to see) into buf, cut to cap - 1 bytes at a UTF-8 character
 * boundary.  Returns buf.
 */
static char *matched(const struct sw_an_ctx *ctx, const struct hit *h, char *buf, size_t cap)
{
	size_t n = h->end - h->start;

	if (n >= cap) {
		n = cap - 1;
		while (n && ((unsigned char)ctx->vis[h->start + n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(buf, ctx->vis + h->start, n);
	buf[n] = '\0';
	return buf;
}

/*
 * True when a context word lies in the same line as h and within
 * CTX_WINDOW bytes of it.  ctxw is sorted by end; the line bounds are found
 * by looking at most CTX_WINDOW bytes either way, so the cost per hit is
 * bounded whatever the page.
 */
static int in_context(const char *vis, size_t vis_len, const struct hit *h,
		      const struct hit *ctxw, size_t nctx)
{
	size_t lo = h->start > CTX_WINDOW ? h->start - CTX_WINDOW : 0;
	size_t hi = h->end + CTX_WINDOW < vis_len ? h->end + CTX_WINDOW : vis_len;
	const char *nl;
	size_t a = 0, b = nctx;

	if ((nl = memrchr(vis + lo, '\n', h->start - lo)))
		lo = (size_t)(nl - vis) + 1;
	if ((nl = memchr(vis + h->end, '\n', hi - h->end)))
		hi = (size_t)(nl - vis);
	while (a < b) { /* first context hit ending at or after lo */
		size_t m = a + (b - a) / 2;

		if (ctxw[m].end < lo + 1)
			a = m + 1;
		else
			b = m;
	}
	for (; a < nctx && ctxw[a].end <= hi; a++)
		if (ctxw[a].start >= lo)
			return 1;
	return 0;
}

/* Number of different entries among v[0..n) (sorts v by id). */
static size_t distinct(struct hit *v, size_t n)
{
	size_t i, d = 0;

	sort(v, n, by_id);
	for (i = 0; i < n; i++)
		if (!i || v[i].id != v[i - 1].id)
			d++;
	return d;
}

/*
 * True when weak hit w overlaps one of the strong hits s[0..ns) (sorted by
 * start, pmax filled): the largest end among those starting before w ends
 * must reach past w's start.
 */
static int overlaps_strong(const struct hit *w, const struct hit *s, size_t ns)
{
	size_t a = 0, b = ns;

	while (a < b) { /* first strong hit starting at or after w->end */
		size_t m = a + (b - a) / 2;

		if (s[m].start < w->end)
			a = m + 1;
		else
			b = m;
	}
	return a && s[a - 1].pmax > w->start;
}

/*
 * Marks the hits of one category that count (rules 1-3 of the file
 * comment).  v[0..n) holds the category's strong hits, then its weak
 * ones, each part sorted by start, longest first.
 */
static void mark_category(const struct sw_an_ctx *ctx, const struct page_hits *ph,
			  struct hit *v, size_t n, int framed)
{
	uint32_t max_end = 0, pmax = 0;
	size_t i, ns = 0;

	for (i = 0; i < n && v[i].tier == SW_KW_STRONG; i++, ns++) {
		pmax = v[i].end > pmax ? v[i].end : pmax;
		v[i].pmax = pmax;
	}
	for (i = 0; i < n; i++) {
		struct hit *h = &v[i];

		if (i == ns)
			max_end = 0; /* the weak part starts */
		if (h->start < max_end) /* overlaps an earlier hit of this tier */
			continue;
		max_end = h->end;
		if (h->tier == SW_KW_WEAK && (framed || overlaps_strong(h, v, ns)))
			continue;
		if (in_context(ctx->vis, ctx->vis_len, h, ph->ctxw, ph->nctx))
			continue;
		h->counted = 1;
	}
}

/* Reports one category whose counted hits are v[0..n) (any order). */
static enum sw_err report(struct sw_an_ctx *ctx, const struct sens *st, struct hit *v, size_t n)
{
	const struct hit *ev = NULL;
	size_t strong = 0, weak = 0, i, used = 0, listed = 0;
	char detail[512], w[128], target[128];
	uint32_t off, end;
	double conf;

	sort(v, n, by_id);
	detail[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i && v[i].id == v[i - 1].id)
			continue;
		*(v[i].tier == SW_KW_STRONG ? &strong : &weak) += 1;
		matched(ctx, &v[i], w, sizeof w);
		if (listed < DETAIL_WORDS && used + strlen(w) + 4 < sizeof detail) {
			used += (size_t)snprintf(detail + used, sizeof detail - used, "%s%s",
						 listed ? "、" : "", w);
			listed++;
		}
	}
	if (strong * PTS_STRONG + weak * PTS_WEAK < PTS_REPORT)
		return SW_OK;
	for (i = 0; i < n; i++) /* first strong hit, else first hit, for the evidence */
		if (!ev || (v[i].tier < ev->tier) ||
		    (v[i].tier == ev->tier && v[i].start < ev->start))
			ev = &v[i];
	conf = 0.6 + 0.2 * (double)strong + 0.05 * (double)weak;
	off = sw_an_vis_off(ctx, ev->start);
	end = sw_an_vis_off(ctx, ev->end - 1) + 1;
	return sw_an_emit(ctx,
			  &(struct sw_an_hit){
				  .key = cats[st->kind[ev->cat]].key,
				  .sev = strong ? -1 : SW_SEV_MEDIUM,
				  .confidence = conf > 0.98 ? 0.98 : conf,
				  .technique = cats[st->kind[ev->cat]].cat,
				  .off = off,
				  /* The mapping is exact only inside one plain text
				   * node; elsewhere keep at least the word's length. */
				  .len = end > off && end - off > ev->end - ev->start
						 ? end - off
						 : ev->end - ev->start,
				  .target = matched(ctx, ev, target, sizeof target),
				  .detail = detail,
			  },
			  "%s content on the page: %s (%zu strong, %zu weak words)",
			  cats[st->kind[ev->cat]].cat, target, strong, weak);
}

/* Scores the word hits category by category and reports (file comment). */
static enum sw_err score(struct sw_an_ctx *ctx, const struct sens *st, struct page_hits *ph)
{
	int framed = distinct(ph->ctxw, ph->nctx) >= FRAMED_MIN;
	enum sw_err rc = SW_OK;
	size_t i, j, k;

	sort(ph->ctxw, ph->nctx, by_end);
	sort(ph->words, ph->nwords, by_cat_start);
	/* Each category's run: mark, then gather its counted hits at the front. */
	for (i = 0; i < ph->nwords && !rc; i = j) {
		for (j = i; j < ph->nwords && ph->words[j].cat == ph->words[i].cat; j++)
			;
		mark_category(ctx, ph, ph->words + i, j - i, framed);
		for (j = i, k = i; j < ph->nwords && ph->words[j].cat == ph->words[i].cat; j++)
			if (ph->words[j].counted)
				ph->words[k++] = ph->words[j];
		if (k > i)
			rc = report(ctx, st, ph->words + i, k - i);
	}
	return rc;
}

/* Runs on one page: one scan of the visible text, then the scoring. */
static enum sw_err sens_run(struct sw_an_ctx *ctx, const void *state)
{
	const struct sens *st = state;
	struct page_hits ph = {.st = st};
	enum sw_err rc;

	if (!st || !ctx->vis || !ctx->vis_len || !sw_kw_nwords(st->kw))
		return SW_OK;
	if (ctx->vis_len >= UINT32_MAX)
		return SW_OK; /* analyze.c caps pages far below this */
	rc = sw_kw_scan(st->kw, NULL, ctx->vis, ctx->vis_len, on_hit, &ph);
	if (!rc && ph.nomem)
		rc = SW_ENOMEM;
	if (rc && rc != SW_ENOMEM) /* cannot happen below 4 GiB; runs fail only on ENOMEM */
		rc = SW_OK;
	if (!rc && ph.nwords)
		rc = score(ctx, st, &ph);
	free(ph.words);
	free(ph.ctxw);
	return rc;
}

const struct sw_analyzer sw_analyzer_sensitive = {"sensitive", sens_load, sens_free, sens_run};
