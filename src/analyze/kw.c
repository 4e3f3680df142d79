/*
 * kw.c - the keyword engine (kw.h): word lists -> one Vectorscan block-mode
 * database, scanned in one pass whatever the number of words.
 *
 * Facts that shaped it:
 * - Every entry is compiled with HS_FLAG_SOM_LEFTMOST so a match has a
 *   start as well as an end (analyzers need the snippet and the word).
 *   Literal entries are escaped byte by byte (\xHH for every ASCII byte that
 *   is not a letter or digit), so a user's "C++" or "a.b" means itself.
 * - Hyperscan's caseless flag folds ASCII only, which is what we want: CJK
 *   has no case, and Latin spam words ("AV", "BET365") come in any case.
 * - ASCII words get \b at their ASCII ends: "av" must not fire inside
 *   "java" or "available".  Without HS_FLAG_UCP, \b looks at ASCII word
 *   characters only, so a CJK neighbour counts as a boundary.
 * - Scratch space is per thread; analyzers have nowhere to keep one per
 *   worker, so kw keeps a small pool guarded by a mutex.  Taking from a
 *   warm pool costs a lock, not an allocation.  (Do not fork while another
 *   thread scans: the child would inherit a held lock.)
 */
#include "analyze/kw.h"

#include <hs/hs.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/hs_cache.h"
#include "analyze/rules.h"

#define POOL_MAX 16

struct kw_word {
	char *text;     /* owned: the entry as written, without "re:" */
	uint32_t cat;   /* index into sw_kw.cats */
	uint32_t src;   /* index into sw_kw.paths */
	uint32_t line;
	uint8_t tier;   /* enum sw_kw_tier */
	uint8_t is_re;
};

struct sw_kw {
	hs_database_t *db;      /* NULL when there are no entries */
	char **cats;            /* owned category names */
	size_t ncats;
	char **paths;           /* owned source paths, for messages */
	size_t npaths;
	struct kw_word *w;      /* owned, indexed by entry id */
	size_t nw, capw;
	pthread_mutex_t mu;     /* guards pool */
	hs_scratch_t *pool[POOL_MAX];
	size_t npool;
};

struct sw_kw_scratch {
	hs_scratch_t *hs;
};

/* Parsing state of one list while its lines are read. */
struct parse {
	struct sw_kw *kw;
	const char *path;
	uint32_t cat, src;
	uint8_t tier;
	struct sw_errbuf *eb;
};

/* Duplicates s; NULL on ENOMEM. */
static char *dupstr(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	return d ? memcpy(d, s, n) : NULL;
}

/*
 * Returns the index of name in the string vector *v (n entries), adding a
 * copy when absent; -1 on ENOMEM.  Vectors are short (one entry a file).
 */
static long intern(char ***v, size_t *n, const char *name)
{
	char **nv;
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i], name))
			return (long)i;
	if (!(nv = realloc(*v, (*n + 1) * sizeof *nv)))
		return -1;
	*v = nv;
	if (!(nv[*n] = dupstr(name)))
		return -1;
	return (long)(*n)++;
}

/* Adds one entry; SW_ELIMIT past SW_KW_MAX_WORDS, SW_ENOMEM. */
static enum sw_err add_word(struct parse *p, const char *text, int is_re, size_t no)
{
	struct sw_kw *kw = p->kw;
	struct kw_word *w;

	if (kw->nw >= SW_KW_MAX_WORDS)
		return sw_errf(p->eb, SW_ELIMIT, "%s:%zu: more than %u entries in the lists",
			       p->path, no, SW_KW_MAX_WORDS);
	if (kw->nw == kw->capw) {
		size_t cap = kw->capw ? kw->capw * 2 : 256;

		if (!(w = realloc(kw->w, cap * sizeof *w)))
			return SW_ENOMEM;
		kw->w = w;
		kw->capw = cap;
	}
	w = &kw->w[kw->nw];
	if (!(w->text = dupstr(text)))
		return SW_ENOMEM;
	w->cat = p->cat;
	w->src = p->src;
	w->line = (uint32_t)no;
	w->tier = p->tier;
	w->is_re = (uint8_t)is_re;
	kw->nw++;
	return SW_OK;
}

/* sw_rules_lines callback: one line of a list (directive or entry). */
static enum sw_err on_line(char *line, size_t no, void *arg)
{
	struct parse *p = arg;
	size_t n = strlen(line);

	if (line[0] == '@') {
		if (!strcmp(line, "@strong"))
			p->tier = SW_KW_STRONG;
		else if (!strcmp(line, "@weak"))
			p->tier = SW_KW_WEAK;
		else
			return sw_errf(p->eb, SW_EINVAL,
				       "%s:%zu: unknown directive \"%.40s\" (@strong or @weak)",
				       p->path, no, line);
		return SW_OK;
	}
	if (n > SW_KW_MAX_WORD)
		return sw_errf(p->eb, SW_EINVAL, "%s:%zu: entry longer than %u bytes", p->path,
			       no, SW_KW_MAX_WORD);
	if (!strncmp(line, "re:", 3)) {
		if (!line[3])
			return sw_errf(p->eb, SW_EINVAL, "%s:%zu: empty regular expression",
				       p->path, no);
		return add_word(p, line + 3, 1, no);
	}
	return add_word(p, line, 0, no);
}

/* Reads one list into kw; the category and path are interned. */
static enum sw_err parse_src(struct sw_kw *kw, const struct sw_kw_src *s, struct sw_errbuf *eb)
{
	struct parse p = {.kw = kw, .path = s->path, .tier = SW_KW_STRONG, .eb = eb};
	long cat, src;
	char *buf;
	enum sw_err rc;

	if (!s->category || !*s->category)
		return sw_errf(eb, SW_EINVAL, "%s: list without a category name",
			       s->path ? s->path : "?");
	if (!s->path)
		p.path = s->category;
	cat = intern(&kw->cats, &kw->ncats, s->category);
	src = cat < 0 ? -1 : intern(&kw->paths, &kw->npaths, p.path);
	if (cat < 0 || src < 0)
		return SW_ENOMEM;
	if (kw->ncats > SW_KW_MAX_CATS)
		return sw_errf(eb, SW_ELIMIT, "%s: more than %u lists", p.path, SW_KW_MAX_CATS);
	p.cat = (uint32_t)cat;
	p.src = (uint32_t)src;
	if (!(buf = malloc(s->len + 1)))
		return SW_ENOMEM;
	memcpy(buf, s->data, s->len);
	buf[s->len] = '\0';
	rc = sw_rules_lines(buf, on_line, &p);
	free(buf);
	return rc;
}

/* True for an ASCII letter or digit (the characters \b sees as a word). */
static int is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * Turns a literal entry into a Vectorscan expression: every ASCII byte
 * other than a letter or digit as \xHH, bytes >= 0x80 (UTF-8 sequences)
 * as they are, \b at ASCII-alphanumeric ends.  Returns a malloc'd string.
 */
static char *literal_expr(const char *word)
{
	size_t n = strlen(word), i;
	char *e = malloc(n * 4 + 5), *o = e;

	if (!e)
		return NULL;
	if (n && is_alnum((unsigned char)word[0]))
		o += sprintf(o, "\\b");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)word[i];

		if (c >= 0x80 || is_alnum(c))
			*o++ = (char)c;
		else
			o += sprintf(o, "\\x%02x", c);
	}
	if (n && is_alnum((unsigned char)word[n - 1]))
		o += sprintf(o, "\\b");
	*o = '\0';
	return e;
}

/* Compiles kw->w into kw->db; errors name the entry's file and line. */
static enum sw_err build_db(struct sw_kw *kw, struct sw_errbuf *eb)
{
	char **expr = calloc(kw->nw, sizeof *expr);
	unsigned *flags = calloc(kw->nw, sizeof *flags), *ids = calloc(kw->nw, sizeof *ids);
	hs_compile_error_t *cerr = NULL;
	enum sw_err rc = SW_ENOMEM;
	size_t i;

	if (!expr || !flags || !ids)
		goto out;
	for (i = 0; i < kw->nw; i++) {
		struct kw_word *w = &kw->w[i];

		expr[i] = w->is_re ? dupstr(w->text) : literal_expr(w->text);
		if (!expr[i])
			goto out;
		flags[i] = HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST;
		if (!w->is_re)
			flags[i] |= HS_FLAG_CASELESS;
		ids[i] = (unsigned)i;
	}
	/* Through the on-disk cache: the sensitive lists' regexes take ~0.2 s
	 * to compile, which each offline check would pay again. */
	if (sw_hs_compile_multi((const char *const *)expr, flags, ids, (unsigned)kw->nw, &kw->db,
				&cerr) != HS_SUCCESS) {
		if (cerr && cerr->expression >= 0 && (size_t)cerr->expression < kw->nw) {
			struct kw_word *w = &kw->w[cerr->expression];

			rc = sw_errf(eb, SW_EINVAL, "%s:%u: %s: %s", kw->paths[w->src], w->line,
				     w->text, cerr->message);
		} else {
			rc = sw_errf(eb, SW_EINVAL, "word lists: %s",
				     cerr ? cerr->message : "cannot compile");
		}
		kw->db = NULL;
		goto out;
	}
	rc = SW_OK;
out:
	if (cerr)
		hs_free_compile_error(cerr);
	for (i = 0; expr && i < kw->nw; i++)
		free(expr[i]);
	free(expr);
	free(flags);
	free(ids);
	return rc;
}

enum sw_err sw_kw_compile(const struct sw_kw_src *srcs, size_t n, struct sw_kw **out,
			  struct sw_errbuf *eb)
{
	struct sw_kw *kw = calloc(1, sizeof *kw);
	enum sw_err rc = SW_OK;
	size_t i;

	*out = NULL;
	if (!kw)
		return SW_ENOMEM;
	if (pthread_mutex_init(&kw->mu, NULL)) {
		free(kw);
		return SW_ENOMEM;
	}
	for (i = 0; i < n && !rc; i++)
		rc = parse_src(kw, &srcs[i], eb);
	if (!rc && kw->nw)
		rc = build_db(kw, eb);
	if (rc) {
		sw_kw_free(kw);
		return rc;
	}
	*out = kw;
	return SW_OK;
}

/* What sw_kw_load collects while listing the rules files. */
struct load {
	const char *dir, *prefix;
	struct sw_kw_src *srcs;
	char **bufs;   /* owned file contents, parallel to srcs */
	char **names;  /* owned category names and paths, two per file */
	size_t n;
	struct sw_errbuf *eb;
};

/*
 * Returns dir/path (malloc'd) when that file exists, else NULL: messages
 * then name the user's own file, so "file:line" points at what they
 * edited rather than at the embedded copy's relative path.
 */
static char *user_path(const char *dir, const char *path)
{
	char *full;

	if (asprintf(&full, "%s/%s", dir, path) < 0)
		return NULL;
	if (access(full, R_OK) == 0)
		return full;
	free(full);
	return NULL;
}

/* sw_rules_list callback: reads one "<prefix><category>.txt" file. */
static enum sw_err on_file(const char *path, void *arg)
{
	struct load *l = arg;
	const char *rest = path + strlen(l->prefix);
	size_t rn = strlen(rest), len = 0;
	void *p;
	char *buf, *cat, *full;
	enum sw_err rc;

	/* Only "<category>.txt" right under prefix: READMEs and nested
	 * folders belong to other readers. */
	if (rn <= 4 || strcmp(rest + rn - 4, ".txt") || strchr(rest, '/'))
		return SW_OK;
	if (l->n >= SW_KW_MAX_CATS)
		return sw_errf(l->eb, SW_ELIMIT, "%s: more than %u lists under %s", path,
			       SW_KW_MAX_CATS, l->prefix);
	if (!(p = realloc(l->srcs, (l->n + 1) * sizeof *l->srcs)))
		return SW_ENOMEM;
	l->srcs = p;
	if (!(p = realloc(l->bufs, (l->n + 1) * sizeof *l->bufs)))
		return SW_ENOMEM;
	l->bufs = p;
	if (!(p = realloc(l->names, (l->n + 1) * 2 * sizeof *l->names)))
		return SW_ENOMEM;
	l->names = p;
	l->names[2 * l->n] = cat = strndup(rest, rn - 4);
	l->names[2 * l->n + 1] = dupstr(path);
	l->bufs[l->n] = NULL;
	l->n++;
	if (!cat || !l->names[2 * l->n - 1])
		return SW_ENOMEM;
	if ((rc = sw_rules_read(l->dir, path, &buf, &len, l->eb)))
		return rc;
	l->bufs[l->n - 1] = buf;
	if (l->dir && (full = user_path(l->dir, path))) {
		free(l->names[2 * l->n - 1]);
		l->names[2 * l->n - 1] = full;
	}
	l->srcs[l->n - 1] = (struct sw_kw_src){cat, l->names[2 * l->n - 1], buf, len};
	return SW_OK;
}

enum sw_err sw_kw_load(const char *rules_dir, const char *prefix, struct sw_kw **out,
		       struct sw_errbuf *eb)
{
	struct load l = {.dir = rules_dir, .prefix = prefix, .eb = eb};
	enum sw_err rc;
	size_t i;

	*out = NULL;
	rc = sw_rules_list(rules_dir, prefix, on_file, &l, eb);
	if (!rc)
		rc = sw_kw_compile(l.srcs, l.n, out, eb);
	for (i = 0; i < l.n; i++) {
		free(l.bufs[i]);
		free(l.names[2 * i]);
		free(l.names[2 * i + 1]);
	}
	free(l.srcs);
	free(l.bufs);
	free(l.names);
	return rc;
}

void sw_kw_free(struct sw_kw *kw)
{
	size_t i;

	if (!kw)
		return;
	for (i = 0; i < kw->npool; i++)
		hs_free_scratch(kw->pool[i]);
	pthread_mutex_destroy(&kw->mu);
	hs_free_database(kw->db);
	for (i = 0; i < kw->nw; i++)
		free(kw->w[i].text);
	free(kw->w);
	for (i = 0; i < kw->ncats; i++)
		free(kw->cats[i]);
	free(kw->cats);
	for (i = 0; i < kw->npaths; i++)
		free(kw->paths[i]);
	free(kw->paths);
	free(kw);
}

size_t sw_kw_ncats(const struct sw_kw *kw)
{
	return kw->ncats;
}

const char *sw_kw_cat_name(const struct sw_kw *kw, size_t cat)
{
	return cat < kw->ncats ? kw->cats[cat] : NULL;
}

size_t sw_kw_nwords(const struct sw_kw *kw)
{
	return kw->nw;
}

int sw_kw_cat_find(const struct sw_kw *kw, const char *name)
{
	size_t i;

	for (i = 0; i < kw->ncats; i++)
		if (!strcmp(kw->cats[i], name))
			return (int)i;
	return -1;
}

const char *sw_kw_word(const struct sw_kw *kw, unsigned id)
{
	return id < kw->nw ? kw->w[id].text : NULL;
}

size_t sw_kw_word_cat(const struct sw_kw *kw, unsigned id)
{
	return id < kw->nw ? kw->w[id].cat : 0;
}

enum sw_kw_tier sw_kw_word_tier(const struct sw_kw *kw, unsigned id)
{
	return id < kw->nw ? (enum sw_kw_tier)kw->w[id].tier : SW_KW_STRONG;
}

const char *sw_kw_word_where(const struct sw_kw *kw, unsigned id, size_t *line)
{
	if (id >= kw->nw)
		return NULL;
	if (line)
		*line = kw->w[id].line;
	return kw->paths[kw->w[id].src];
}

enum sw_err sw_kw_scratch_new(const struct sw_kw *kw, struct sw_kw_scratch **s)
{
	int fresh = !*s;

	if (fresh && !(*s = calloc(1, sizeof **s)))
		return SW_ENOMEM;
	if (kw->db && hs_alloc_scratch(kw->db, &(*s)->hs) != HS_SUCCESS) {
		if (fresh) {
			free(*s);
			*s = NULL;
		}
		return SW_ENOMEM;
	}
	return SW_OK;
}

void sw_kw_scratch_free(struct sw_kw_scratch *s)
{
	if (!s)
		return;
	hs_free_scratch(s->hs);
	free(s);
}

/*
 * Borrows a scratch from kw's pool, allocating one when the pool is empty.
 * The pool is the one mutable part of a loaded kw; the cast is why the
 * mutex exists.  NULL on ENOMEM.
 */
static hs_scratch_t *pool_take(const struct sw_kw *ckw)
{
	struct sw_kw *kw = (struct sw_kw *)ckw;
	hs_scratch_t *s = NULL;

	pthread_mutex_lock(&kw->mu);
	if (kw->npool)
		s = kw->pool[--kw->npool];
	pthread_mutex_unlock(&kw->mu);
	if (!s && hs_alloc_scratch(kw->db, &s) != HS_SUCCESS)
		return NULL;
	return s;
}

/* Returns a borrowed scratch to the pool (freed when the pool is full). */
static void pool_give(const struct sw_kw *ckw, hs_scratch_t *s)
{
	struct sw_kw *kw = (struct sw_kw *)ckw;

	pthread_mutex_lock(&kw->mu);
	if (kw->npool < POOL_MAX) {
		kw->pool[kw->npool++] = s;
		s = NULL;
	}
	pthread_mutex_unlock(&kw->mu);
	hs_free_scratch(s);
}

/* Glue between Vectorscan's callback and a sw_kw_fn. */
struct scan {
	const struct sw_kw *kw;
	sw_kw_fn fn;
	void *arg;
};

/* Vectorscan match handler: turns (id, from, to) into a sw_kw_hit. */
static int on_match(unsigned id, unsigned long long from, unsigned long long to,
		    unsigned flags, void *ctx)
{
	struct scan *sc = ctx;
	const struct kw_word *w = &sc->kw->w[id];
	struct sw_kw_hit h = {id, w->cat, (enum sw_kw_tier)w->tier, (size_t)from, (size_t)to};

	(void)flags;
	return sc->fn(&h, sc->arg);
}

enum sw_err sw_kw_scan(const struct sw_kw *kw, struct sw_kw_scratch *s, const char *text,
		       size_t len, sw_kw_fn fn, void *arg)
{
	struct scan sc = {kw, fn, arg};
	hs_scratch_t *hs;
	hs_error_t e;

	if (!kw->db || !len)
		return SW_OK;
	if (len > UINT_MAX)
		return SW_ELIMIT;
	if (s && !s->hs)
		return SW_EINVAL; /* a scratch made before any engine had words */
	if (!(hs = s ? s->hs : pool_take(kw)))
		return SW_ENOMEM;
	e = hs_scan(kw->db, text, (unsigned)len, 0, hs, on_match, &sc);
	if (!s)
		pool_give(kw, hs);
	if (e == HS_SUCCESS || e == HS_SCAN_TERMINATED)
		return SW_OK;
	return e == HS_NOMEM ? SW_ENOMEM : SW_EINVAL;
}

/* State of sw_kw_count. */
struct count {
	size_t n, max;
	struct sw_kw_hit *first;
};

/* sw_kw_fn for sw_kw_count: counts, keeps the first, stops at max. */
static int on_count(const struct sw_kw_hit *h, void *arg)
{
	struct count *c = arg;

	if (!c->n && c->first)
		*c->first = *h;
	c->n++;
	return c->max && c->n >= c->max;
}

size_t sw_kw_count(const struct sw_kw *kw, struct sw_kw_scratch *s, const char *text,
		   size_t len, size_t max, struct sw_kw_hit *first)
{
	struct count c = {0, max, first};

	if (first)
		*first = (struct sw_kw_hit){.id = UINT_MAX};
	if (sw_kw_scan(kw, s, text, len, on_count, &c))
		return (size_t)-1;
	return c.n;
}
