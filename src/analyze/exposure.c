/*
 * exposure.c - the exposure analyzer, on the page itself: server-made
 * directory listings, phpinfo() output, and (exposure_http.c) version
 * banners, missing security headers and mixed content.
 *
 * Probing other paths (/.git/HEAD, backups ...) is I/O and lives in the
 * prober (probe/exposure_paths.c); this file only judges what one fetched
 * page shows.  Listings and phpinfo pages have fixed, machine-made shapes,
 * so each is recognised by two independent signs (a title and a marker
 * in the visible text), which keeps articles that merely quote "Index of
 * /" or "PHP Version" quiet.  One Vectorscan pass over the visible text
 * finds every marker.
 */
#include <hs/hs.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/hs_cache.h"
#include "analyze/analyze.h"
#include "analyze/exposure_hdr.h"
#include "analyze/exposure_int.h"
#include "analyze/rules.h"

#define MAX_WORDS 64 /* markers per file: the phpinfo bit mask has 64 bits */

enum { P_PHP, P_PHPVER, P_LIST, P_IIS };

struct pat {
	unsigned cls, bit;
};

/* Loaded rules; immutable. */
struct state {
	hs_database_t *db;
	hs_scratch_t *scratch; /* prototype, cloned by each run */
	struct pat *pats;
	size_t npats;
	char **titles;         /* listing title prefixes, into files[2] */
	size_t ntitles;
	char *files[3];
};

/* What the marker scan saw. */
struct seen {
	const struct state *st;
	uint64_t php;        /* phpinfo markers seen, one bit each */
	int phpver, list, iis;
	uint32_t iis_off;    /* in ctx->vis */
};

/* A growable list of words pointing into a rules buffer. */
struct words {
	char **v;
	size_t n;
};

/* sw_rules_lines callback: keeps one word. */
static enum sw_err add_word(char *line, size_t no, void *arg)
{
	struct words *w = arg;
	char **nv;

	(void)no;
	if (w->n >= MAX_WORDS)
		return SW_OK;
	if ((nv = realloc(w->v, (w->n + 1) * sizeof *nv)) == NULL)
		return SW_ENOMEM;
	w->v = nv;
	w->v[w->n++] = line;
	return SW_OK;
}

/* Reads the words of one rules file; *buf is the owned text they point into. */
static enum sw_err read_words(const char *dir, const char *path, char **buf,
			      struct words *w, struct sw_errbuf *eb)
{
	enum sw_err rc = sw_rules_read(dir, path, buf, NULL, eb);

	return rc ? rc : sw_rules_lines(*buf, add_word, w);
}

/* Compiles the phpinfo and listing markers (and IIS's parent link). */
static enum sw_err compile(struct state *st, struct words *php, struct words *list,
			   struct sw_errbuf *eb)
{
	size_t cap = php->n + list->n + 1, i;
	const char **lits = calloc(cap, sizeof *lits);
	size_t *lens = calloc(cap, sizeof *lens);
	unsigned *flags = calloc(cap, sizeof *flags), *ids = calloc(cap, sizeof *ids);
	hs_compile_error_t *ce = NULL;
	enum sw_err rc = SW_ENOMEM;

	st->pats = calloc(cap, sizeof *st->pats);
	if (!lits || !lens || !flags || !ids || !st->pats)
		goto out;
	for (i = 0; i < cap; i++) {
		const char *w = i < php->n ? php->v[i]
			      : i < php->n + list->n ? list->v[i - php->n] : "[To Parent Directory]";

		lits[i] = w;
		lens[i] = strlen(w);
		flags[i] = HS_FLAG_CASELESS;
		ids[i] = (unsigned)i;
		st->pats[i].bit = (unsigned)i;
		st->pats[i].cls = i < php->n ? (strcasecmp(w, "PHP Version") ? P_PHP : P_PHPVER)
				: i < php->n + list->n ? P_LIST : P_IIS;
	}
	st->npats = cap;
	rc = SW_OK;
	if (sw_hs_compile_lit_multi(lits, flags, ids, lens, (unsigned)cap,
				 &st->db, &ce) != HS_SUCCESS) {
		rc = sw_errf(eb, SW_EINVAL, "exposure rules: %s", ce ? ce->message : "compile error");
		hs_free_compile_error(ce);
	} else if (hs_alloc_scratch(st->db, &st->scratch) != HS_SUCCESS) {
		rc = SW_ENOMEM;
	}
out:
	free(lits);
	free(lens);
	free(flags);
	free(ids);
	return rc;
}

static void exposure_free(void *state)
{
	struct state *st = state;

	if (st == NULL)
		return;
	hs_free_scratch(st->scratch);
	hs_free_database(st->db);
	free(st->pats);
	free(st->titles);
	for (size_t i = 0; i < 3; i++)
		free(st->files[i]);
	free(st);
}

static enum sw_err exposure_load(const char *dir, void **state, struct sw_errbuf *eb)
{
	struct state *st = calloc(1, sizeof *st);
	struct words php = {NULL, 0}, list = {NULL, 0}, titles = {NULL, 0};
	enum sw_err rc;

	*state = NULL;
	if (st == NULL)
		return SW_ENOMEM;
	rc = read_words(dir, "exposure/phpinfo-markers.txt", &st->files[0], &php, eb);
	if (!rc)
		rc = read_words(dir, "exposure/listing-markers.txt", &st->files[1], &list, eb);
	if (!rc)
		rc = read_words(dir, "exposure/listing-titles.txt", &st->files[2], &titles, eb);
	st->titles = titles.v;
	st->ntitles = titles.n;
	if (!rc)
		rc = compile(st, &php, &list, eb);
	free(php.v);
	free(list.v);
	if (rc) {
		exposure_free(st);
		return rc;
	}
	*state = st;
	return SW_OK;
}

/* Vectorscan callback: notes which marker was seen. */
static int on_match(unsigned id, unsigned long long from, unsigned long long to,
		    unsigned flags, void *arg)
{
	struct seen *s = arg;
	const struct pat *p = &s->st->pats[id];

	(void)from;
	(void)flags;
	if (p->cls == P_PHP && p->bit < 64)
		s->php |= 1ull << p->bit;
	else if (p->cls == P_PHPVER)
		s->phpver = 1;
	else if (p->cls == P_LIST)
		s->list = 1;
	else if (!s->iis)
		s->iis = 1, s->iis_off = (uint32_t)to;
	return 0;
}

/* True when s begins with one of the listing title prefixes (any case). */
static int listing_title(const struct state *st, const char *s)
{
	while (*s == ' ')
		s++;
	for (size_t i = 0; i < st->ntitles; i++)
		if (strncasecmp(s, st->titles[i], strlen(st->titles[i])) == 0)
			return 1;
	return 0;
}

/* True when the page links to its parent directory ("../"), as nginx's
 * and Caddy's listings do instead of a "Parent Directory" text. */
static int links_up(const struct sw_doc *d)
{
	for (uint32_t i = 0; i < d->n; i++) {
		const char *h;

		if (d->nodes[i].tag != SW_TAG_A || d->nodes[i].type != SW_NODE_ELEMENT)
			continue;
		h = sw_doc_attr(d, i, "href");
		if (h && (strcmp(h, "../") == 0 || strcmp(h, "..") == 0))
			return 1;
	}
	return 0;
}

/* Index of the first h1 element, or SW_NONE. */
static uint32_t first_h1(const struct sw_doc *d)
{
	for (uint32_t i = 0; i < d->n; i++)
		if (d->nodes[i].type == SW_NODE_ELEMENT && d->nodes[i].tag == SW_TAG_H1)
			return i;
	return SW_NONE;
}

/* Directory listing: a listing title or first heading and a listing
 * marker, or IIS's "[To Parent Directory]" link. */
static enum sw_err check_listing(struct sw_an_ctx *ctx, const struct state *st,
				 const struct seen *s)
{
	const struct sw_doc *d = ctx->doc;
	uint32_t h1 = first_h1(d), at = d->title != SW_NONE ? d->nodes[d->title].off : 0;
	char head[160] = "";
	int titled = listing_title(st, d->title_text);

	if (!titled && h1 != SW_NONE) {
		sw_doc_text(d, h1, head, sizeof head);
		titled = listing_title(st, head);
		at = d->nodes[h1].off;
	}
	if (titled && (s->list || links_up(d)))
		return sw_an_emit(ctx,
				  &(struct sw_an_hit){.key = "exposure.dir_listing", .sev = -1,
						      .confidence = 0.95, .technique = "index-of",
						      .off = at, .len = 0, .target = ctx->page->url,
						      .detail = d->title_text[0] ? d->title_text : head},
				  "directory listing is enabled: %s",
				  d->title_text[0] ? d->title_text : head);
	if (s->iis)
		return sw_an_emit(ctx,
				  &(struct sw_an_hit){.key = "exposure.dir_listing", .sev = -1,
						      .confidence = 0.9, .technique = "iis",
						      .off = sw_an_vis_off(ctx, s->iis_off), .len = 0,
						      .target = ctx->page->url},
				  "directory listing is enabled (IIS)");
	return SW_OK;
}

/* Number of bits set in x. */
static int bits(uint64_t x)
{
	int k = 0;

	for (; x; x &= x - 1)
		k++;
	return k;
}

/* phpinfo() output: its title and a marker, or "PHP Version" and three
 * other markers. */
static enum sw_err check_phpinfo(struct sw_an_ctx *ctx, const struct seen *s)
{
	const char *title = ctx->doc->title_text;
	int titled = strstr(title, "phpinfo()") != NULL;
	int k = bits(s->php);

	if (!(titled && (k >= 1 || s->phpver)) && !(s->phpver && k >= 3))
		return SW_OK;
	return sw_an_emit(ctx,
			  &(struct sw_an_hit){.key = "exposure.phpinfo", .sev = -1,
					      .confidence = titled ? 0.95 : 0.85,
					      .technique = "phpinfo", .off = SW_NONE,
					      .target = ctx->page->url, .detail = title},
			  "page shows phpinfo() output (PHP version, paths, configuration)");
}

static enum sw_err run(struct sw_an_ctx *ctx, const void *state)
{
	const struct state *st = state;
	struct seen s = {st, 0, 0, 0, 0, 0};
	hs_scratch_t *scratch = NULL;
	enum sw_err rc = SW_OK;

	if (st == NULL || ctx->doc == NULL)
		return SW_OK;
	if (ctx->page->status < 400 && ctx->vis_len > 0 && ctx->vis_len <= UINT32_MAX) {
		if (hs_clone_scratch(st->scratch, &scratch) != HS_SUCCESS)
			return SW_ENOMEM;
		if (hs_scan(st->db, ctx->vis, (unsigned)ctx->vis_len, 0, scratch, on_match, &s) ==
		    HS_SUCCESS) {
			rc = check_listing(ctx, st, &s);
			if (!rc)
				rc = check_phpinfo(ctx, &s);
		}
		hs_free_scratch(scratch);
	}
	if (!rc)
		rc = sw__ex_headers(ctx);
	if (!rc)
		rc = sw__ex_mixed(ctx);
	return rc;
}

const struct sw_analyzer sw_analyzer_exposure = {"exposure", exposure_load, exposure_free, run};
