/*
 * compliance_load.c - the compliance analyzer's rules: the anchors of the
 * numbered marks (fixed: they are the marks' own words), the sponsor words
 * and badge hosts (the files under rules/compliance/, which users may edit), compiled
 * into one literal Vectorscan database, and the title word lists.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/hs_cache.h"
#include "analyze/compliance_int.h"
#include "analyze/rules.h"

#define MAX_WORDS 512 /* per rules file; more is a mistake, not a list */

/* Anchors that are part of the marks themselves. */
static const struct {
	const char *lit;
	unsigned cls;
	int caseless;
} fixed[] = {
	{"ICP", SW__CM_C_ICP, 1},
	{"\xEF\xBC\xA9\xEF\xBC\xA3\xEF\xBC\xB0", SW__CM_C_ICP, 0}, /* ＩＣＰ */
	{"\xEF\xBD\x89\xEF\xBD\x83\xEF\xBD\x90", SW__CM_C_ICP, 0}, /* ｉｃｐ */
	{"网安备", SW__CM_C_PSB, 0},
	{"公安备案", SW__CM_C_PSB, 0},
	{"公安机关备案", SW__CM_C_PSB, 0},
	{"网站标识码", SW__CM_C_CODE, 0},
	{"版权所有", SW__CM_C_NEAR, 0},
	{"Copyright", SW__CM_C_NEAR, 1},
	{"\xC2\xA9", SW__CM_C_NEAR, 0}, /* © */
};
#define NFIXED (sizeof fixed / sizeof fixed[0])

/* A growing list of words that point into a rules file's buffer. */
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
	nv = realloc(w->v, (w->n + 1) * sizeof *nv);
	if (nv == NULL)
		return SW_ENOMEM;
	w->v = nv;
	w->v[w->n++] = line;
	return SW_OK;
}

/* Reads rules file path into *buf (owned by the state) and its words. */
static enum sw_err read_words(const char *dir, const char *path, char **buf, char ***v,
			      size_t *n, struct sw_errbuf *eb)
{
	struct words w = {NULL, 0};
	enum sw_err rc = sw_rules_read(dir, path, buf, NULL, eb);

	if (rc == SW_OK)
		rc = sw_rules_lines(*buf, add_word, &w);
	if (rc == SW_ENOMEM)
		sw_errf(eb, rc, "out of memory reading %s", path);
	*v = w.v;
	*n = w.n;
	return rc;
}

/* Strips a trailing colon (':' or '：') from word; returns 1 when there was one. */
static int strip_colon(char *word)
{
	size_t n = strlen(word);

	if (n >= 1 && word[n - 1] == ':')
		return word[n - 1] = '\0', 1;
	if (n >= 3 && strcmp(word + n - 3, "\xEF\xBC\x9A") == 0)
		return word[n - 3] = '\0', 1;
	return 0;
}

/* Adds one literal to the arrays given to hs_compile_lit_multi. */
static void add_lit(struct sw__cm_state *st, const char **lits, size_t *lens, unsigned *flags,
		    unsigned *ids, const char *lit, unsigned cls, int caseless, int colon)
{
	size_t i = st->npats++;

	lits[i] = lit;
	lens[i] = strlen(lit);
	flags[i] = caseless ? HS_FLAG_CASELESS : 0;
	ids[i] = (unsigned)i;
	st->pats[i] = (struct sw__cm_pat){cls, (unsigned)lens[i], (unsigned)colon};
}

/* Compiles the fixed anchors, sponsor words and badge hosts into st->db. */
static enum sw_err compile(struct sw__cm_state *st, char **org, size_t norg,
			   struct sw_errbuf *eb)
{
	size_t cap = NFIXED + norg + st->nbadge;
	const char **lits = calloc(cap, sizeof *lits);
	size_t *lens = calloc(cap, sizeof *lens);
	unsigned *flags = calloc(cap, sizeof *flags), *ids = calloc(cap, sizeof *ids);
	hs_compile_error_t *ce = NULL;
	enum sw_err rc = SW_ENOMEM;

	st->pats = calloc(cap, sizeof *st->pats);
	if (!lits || !lens || !flags || !ids || !st->pats)
		goto out;
	for (size_t i = 0; i < NFIXED; i++)
		add_lit(st, lits, lens, flags, ids, fixed[i].lit, fixed[i].cls, fixed[i].caseless, 0);
	for (size_t i = 0; i < norg; i++) {
		int colon = strip_colon(org[i]);

		if (org[i][0])
			add_lit(st, lits, lens, flags, ids, org[i], SW__CM_C_ORG, 0, colon);
	}
	for (size_t i = 0; i < st->nbadge; i++)
		add_lit(st, lits, lens, flags, ids, st->badge_hosts[i], SW__CM_C_BADGE, 1, 0);
	rc = SW_OK;
	if (sw_hs_compile_lit_multi(lits, flags, ids, lens, (unsigned)st->npats,
				    &st->db, &ce) != HS_SUCCESS) {
		rc = sw_errf(eb, SW_EINVAL, "compliance rules: %s", ce ? ce->message : "compile error");
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

enum sw_err sw__cm_load(const char *rules_dir, void **state, struct sw_errbuf *eb)
{
	struct sw__cm_state *st = calloc(1, sizeof *st);
	char **org = NULL;
	size_t norg = 0;
	enum sw_err rc;

	*state = NULL;
	if (st == NULL)
		return SW_ENOMEM;
	rc = read_words(rules_dir, "compliance/org-words.txt", &st->files[0], &org, &norg, eb);
	if (!rc)
		rc = read_words(rules_dir, "compliance/badge-hosts.txt", &st->files[1],
				&st->badge_hosts, &st->nbadge, eb);
	if (!rc)
		rc = read_words(rules_dir, "compliance/gov-titles.txt", &st->files[2],
				&st->gov_titles, &st->ngov, eb);
	if (!rc)
		rc = read_words(rules_dir, "compliance/skip-titles.txt", &st->files[3],
				&st->skip_titles, &st->nskip, eb);
	if (!rc)
		rc = compile(st, org, norg, eb);
	free(org);
	if (rc) {
		sw__cm_free(st);
		return rc;
	}
	*state = st;
	return SW_OK;
}

void sw__cm_free(void *state)
{
	struct sw__cm_state *st = state;

	if (st == NULL)
		return;
	hs_free_scratch(st->scratch);
	hs_free_database(st->db);
	free(st->pats);
	free(st->badge_hosts);
	free(st->gov_titles);
	free(st->skip_titles);
	for (size_t i = 0; i < 4; i++)
		free(st->files[i]);
	free(st);
}
