/*
 * deface_sig.c - the defacement phrases of rules/deface/ compiled into one
 * Vectorscan database, so a page's visible text is searched for all of
 * them in one pass however many phrases users add.
 *
 * The class of a phrase comes from its file's name (strong*, weak*,
 * slogan*), so users add phrases by editing or adding files, not code.
 * Literal phrases are escaped byte by byte; "re:" lines are regular
 * expressions on bytes (no UTF-8 mode: the page text is well-formed UTF-8
 * already and byte mode cannot misbehave on it).
 */
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/hs_cache.h"
#include "analyze/deface_int.h"
#include "analyze/rules.h"

struct phrase {
	char *text;      /* as written in the rules file (without "re:") */
	uint32_t len;    /* bytes of a literal phrase (its match length) */
	uint8_t cls;     /* enum sw__dsig_class */
	uint8_t re;      /* a regular expression */
	const char *file;/* rules path it came from (owned by struct sw__dsig.files) */
	uint32_t line;
};

struct sw__dsig {
	hs_database_t *db;      /* NULL when there are no phrases */
	struct phrase *v;
	size_t n, cap;
	char *files[64];        /* owned rules paths */
	size_t nfiles;
};

/*
 * Per-thread scratch space, grown by hs_alloc_scratch to fit every
 * database it is used with; allocating one per page would cost more than
 * the scan.  One per thread lives until the thread ends.
 */
static _Thread_local hs_scratch_t *tls_scratch;

struct load {
	struct sw__dsig *s;
	const char *dir;
	struct sw_errbuf *eb;
	const char *file;
	uint8_t cls;
};

/* Adds one rules line as a phrase. */
static enum sw_err add_line(char *line, size_t no, void *arg)
{
	struct load *ld = arg;
	struct sw__dsig *s = ld->s;
	int re = !strncmp(line, "re:", 3);
	struct phrase *p;

	if (s->n == SW__DSIG_MAX_PHRASES)
		return sw_errf(ld->eb, SW_ELIMIT, "%s: more than %d defacement phrases", ld->file,
			       SW__DSIG_MAX_PHRASES);
	if (re && !line[3])
		return sw_errf(ld->eb, SW_EINVAL, "%s:%zu: empty regular expression", ld->file, no);
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;

		if (!(p = realloc(s->v, cap * sizeof *p)))
			return SW_ENOMEM;
		s->v = p;
		s->cap = cap;
	}
	p = &s->v[s->n];
	if (!(p->text = strdup(line + (re ? 3 : 0))))
		return SW_ENOMEM;
	p->len = (uint32_t)strlen(p->text);
	p->cls = ld->cls;
	p->re = (uint8_t)re;
	p->file = ld->file;
	p->line = (uint32_t)no;
	s->n++;
	return SW_OK;
}

/* Reads one rules file of deface/; its name's prefix gives the class. */
static enum sw_err add_file(const char *path, void *arg)
{
	static const char *const prefix[] = {"deface/strong", "deface/weak", "deface/slogan"};
	struct load *ld = arg;
	char *buf = NULL;
	enum sw_err rc;
	size_t k = 0;

	while (k < 3 && strncmp(path, prefix[k], strlen(prefix[k])))
		k++;
	if (k == 3)
		return sw_errf(ld->eb, SW_EINVAL,
			       "%s: defacement rules files are named strong*, weak* or slogan*", path);
	if (ld->s->nfiles == sizeof ld->s->files / sizeof *ld->s->files)
		return sw_errf(ld->eb, SW_ELIMIT, "too many defacement rules files");
	if (!(ld->s->files[ld->s->nfiles] = strdup(path)))
		return SW_ENOMEM;
	ld->file = ld->s->files[ld->s->nfiles++];
	ld->cls = (uint8_t)k;
	if ((rc = sw_rules_read(ld->dir, path, &buf, NULL, ld->eb)))
		return rc;
	rc = sw_rules_lines(buf, add_line, ld);
	free(buf);
	return rc;
}

/*
 * The Vectorscan expression of phrase p, new: literals escape every byte
 * that is not a letter or digit; regexes escape non-ASCII bytes only.
 */
static char *expression(const struct phrase *p)
{
	char *e = malloc((size_t)p->len * 4 + 1), *o = e;

	if (!e)
		return NULL;
	for (const unsigned char *c = (const unsigned char *)p->text; *c; c++) {
		int plain = p->re ? *c < 0x80 : ((*c | 32) >= 'a' && (*c | 32) <= 'z') ||
						  (*c >= '0' && *c <= '9');

		if (plain)
			*o++ = (char)*c;
		else
			o += sprintf(o, "\\x%02x", *c);
	}
	*o = '\0';
	return e;
}

static enum sw_err compile(struct sw__dsig *s, struct sw_errbuf *eb)
{
	char **ex = calloc(s->n + 1, sizeof *ex);
	unsigned *flags = malloc((s->n + 1) * sizeof *flags), *ids = malloc((s->n + 1) * sizeof *ids);
	hs_compile_error_t *cerr = NULL;
	enum sw_err rc = SW_ENOMEM;

	if (!ex || !flags || !ids)
		goto out;
	for (size_t i = 0; i < s->n; i++) {
		if (!(ex[i] = expression(&s->v[i])))
			goto out;
		flags[i] = HS_FLAG_CASELESS | (s->v[i].re ? HS_FLAG_SOM_LEFTMOST : 0);
		ids[i] = (unsigned)i;
	}
	rc = SW_OK;
	if (sw_hs_compile_multi((const char *const *)ex, flags, ids, (unsigned)s->n, &s->db, &cerr) !=
	    HS_SUCCESS) {
		const struct phrase *p = cerr->expression >= 0 ? &s->v[cerr->expression] : NULL;

		rc = sw_errf(eb, SW_EINVAL, "%s:%u: %s", p ? p->file : "deface/",
			     p ? p->line : 0, cerr->message);
		hs_free_compile_error(cerr);
		s->db = NULL;
	}
out:
	for (size_t i = 0; ex && i < s->n; i++)
		free(ex[i]);
	free(ex);
	free(flags);
	free(ids);
	return rc;
}

enum sw_err sw__dsig_load(const char *dir, struct sw__dsig **out, struct sw_errbuf *eb)
{
	struct sw__dsig *s = calloc(1, sizeof *s);
	struct load ld = {s, dir, eb, NULL, 0};
	enum sw_err rc;

	*out = NULL;
	if (!s)
		return sw_errf(eb, SW_ENOMEM, "out of memory loading defacement rules");
	rc = sw_rules_list(dir, "deface/", add_file, &ld, eb);
	if (!rc && s->n)
		rc = compile(s, eb);
	if (rc) {
		if (rc == SW_ENOMEM)
			sw_errf(eb, rc, "out of memory loading defacement rules");
		sw__dsig_free(s);
		return rc;
	}
	*out = s;
	return SW_OK;
}

void sw__dsig_free(struct sw__dsig *s)
{
	if (!s)
		return;
	hs_free_database(s->db);
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].text);
	free(s->v);
	for (size_t i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s);
}

struct scan {
	const struct sw__dsig *s;
	struct sw__dsig_hit *hits;
	size_t cap, n;
};

/* Match callback: stores the hit unless it repeats the previous one. */
static int on_match(unsigned id, unsigned long long from, unsigned long long to,
		    unsigned flags, void *arg)
{
	struct scan *sc = arg;
	const struct phrase *p = &sc->s->v[id];
	struct sw__dsig_hit h;

	(void)flags;
	if (!p->re)
		from = to >= p->len ? to - p->len : 0;
	h = (struct sw__dsig_hit){id, (uint32_t)from, (uint32_t)to};
	if (sc->n && sc->hits[sc->n - 1].pat == id && sc->hits[sc->n - 1].from == h.from)
		return 0;
	if (sc->n < sc->cap)
		sc->hits[sc->n++] = h;
	return 0;
}

enum sw_err sw__dsig_scan(const struct sw__dsig *s, const char *text, size_t len,
			  struct sw__dsig_hit *hits, size_t cap, size_t *n)
{
	struct scan sc = {s, hits, cap, 0};

	*n = 0;
	if (!s || !s->db || !text || !len)
		return SW_OK;
	if (len > UINT32_MAX)
		len = UINT32_MAX;
	if (hs_alloc_scratch(s->db, &tls_scratch) != HS_SUCCESS)
		return SW_ENOMEM;
	if (hs_scan(s->db, text, (unsigned)len, 0, tls_scratch, on_match, &sc) != HS_SUCCESS)
		return SW_ENOMEM;
	*n = sc.n;
	return SW_OK;
}

size_t sw__dsig_count(const struct sw__dsig *s)
{
	return s ? s->n : 0;
}

enum sw__dsig_class sw__dsig_class_of(const struct sw__dsig *s, uint32_t pat)
{
	return (enum sw__dsig_class)s->v[pat].cls;
}

const char *sw__dsig_text(const struct sw__dsig *s, uint32_t pat)
{
	return s->v[pat].text;
}
