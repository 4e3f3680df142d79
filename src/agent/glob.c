/*
 * glob.c - .gitignore-style path patterns (glob.h).
 *
 * Patterns come from the configuration (trusted, short); paths come from
 * the web root, where an attacker chooses names.  The work is bounded by
 * the pattern: recursion happens only at a "**" component, so its depth is
 * at most the number of "**" in the pattern, and each level scans at most
 * the path's components.
 */
#include "agent/glob.h"

#include <fnmatch.h>
#include <string.h>

#define MAX_SEG 256
#define SEG_LEN 256

struct segs {
	const char *s[MAX_SEG];
	size_t len[MAX_SEG];
	size_t n;
};

/* Splits p at '/' into seg (pointers into p); 0 when too many components. */
static int split(const char *p, struct segs *seg)
{
	seg->n = 0;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len) {
			if (seg->n == MAX_SEG)
				return 0;
			seg->s[seg->n] = p;
			seg->len[seg->n++] = len;
		}
		p += len;
		if (*p == '/')
			p++;
	}
	return 1;
}

/* fnmatch of one pattern component against one path component. */
static int seg_match(const char *ps, size_t pl, const char *s, size_t sl)
{
	char pb[SEG_LEN], sb[SEG_LEN];

	if (pl >= SEG_LEN || sl >= SEG_LEN)
		return pl == sl && !memcmp(ps, s, pl);
	memcpy(pb, ps, pl);
	pb[pl] = '\0';
	memcpy(sb, s, sl);
	sb[sl] = '\0';
	return fnmatch(pb, sb, 0) == 0;
}

/* Matches pattern components from i against path components from j. */
static int match_from(const struct segs *p, size_t i, const struct segs *s, size_t j)
{
	for (; i < p->n; i++, j++) {
		if (p->len[i] == 2 && !memcmp(p->s[i], "**", 2)) {
			for (size_t k = j; k <= s->n; k++)
				if (match_from(p, i + 1, s, k))
					return 1;
			return 0;
		}
		if (j >= s->n || !seg_match(p->s[i], p->len[i], s->s[j], s->len[j]))
			return 0;
	}
	return j == s->n;
}

int ag_glob_match(const char *pat, const char *rel)
{
	struct segs p, s;
	int anchored = strchr(pat, '/') != NULL;

	if (!split(pat, &p) || !split(rel, &s) || p.n == 0)
		return 0;
	if (anchored)
		return match_from(&p, 0, &s, 0);
	/* A bare name matches the last component of rel: callers test every
	 * directory on the way down, so an excluded directory stops the walk
	 * before its contents are ever seen. */
	return s.n > 0 && p.n == 1 && seg_match(p.s[0], p.len[0], s.s[s.n - 1], s.len[s.n - 1]);
}

int ag_glob_any(char *const *pats, size_t n, const char *rel)
{
	for (size_t i = 0; i < n; i++)
		if (ag_glob_match(pats[i], rel))
			return 1;
	return 0;
}
