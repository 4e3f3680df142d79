/*
 * view.c - loads every site once with what the statistics judge it by:
 * the register row and its unit, the open findings of its latest check,
 * and the MLPS cycle of its policy.  Sites come ordered by id, so a
 * binary search finds a site for the rows of the other tables.
 */
#include "compliance/stats.h"

#include <stdlib.h>
#include <string.h>

#include "model/entity.h"

/* Copies text or "" into a fixed buffer. */
static void cp(char *dst, size_t n, const char *src)
{
	size_t l = src ? strlen(src) : 0;

	if (l >= n)
		l = n - 1;
	memcpy(dst, src ? src : "", l);
	dst[l] = '\0';
}

int sw_stats_region_in(const char *scope, const char *code)
{
	size_t keep;

	if (!scope || !*scope)
		return 1;
	if (!code || strlen(code) != 6 || strlen(scope) != 6)
		return 0;
	/* 110000 holds 11xxxx, 110100 holds 1101xx, a county only itself. */
	keep = !strcmp(scope + 2, "0000") ? 2 : !strcmp(scope + 4, "00") ? 4 : 6;
	return strncmp(scope, code, keep) == 0;
}

enum sw_err sw_stats_scope_check(const struct sw_stats_scope *sc, struct sw_errbuf *eb)
{
	int type = sw_field_index(SW_ENT_UNIT, "type");

	if (!sc)
		return SW_OK;
	if (sc->region && (strlen(sc->region) != 6 || strspn(sc->region, "0123456789") != 6))
		return sw_errf_field(eb, SW_EINVAL, "region", "region must be a six-digit code");
	if (sc->unit_type &&
	    !sw_enum_find(sw_entity_get(SW_ENT_UNIT)->fields[type].enums, sc->unit_type))
		return sw_errf_field(eb, SW_EINVAL, "unit_type", "unknown unit type %s",
				     sc->unit_type);
	return SW_OK;
}

/* Loading state. */
struct load {
	struct sw_cmp_view *v;
	size_t cap;
	int oom;
	int64_t *dept_parent; /* index: dept id; bounded by max_dept */
	int64_t max_dept;
};

static int site_cb(void *arg, const struct sw_cmp_row *r)
{
	struct load *l = arg;
	struct sw_cmp_site *s;

	if (l->v->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 1024;
		struct sw_cmp_site *nv = realloc(l->v->v, cap * sizeof *nv);

		if (!nv) {
			l->oom = 1;
			return 1;
		}
		l->v->v = nv;
		l->cap = cap;
	}
	s = &l->v->v[l->v->n];
	memset(s, 0, sizeof *s);
	s->id = r->i[SW_SS_ID];
	s->group_id = r->i[SW_SS_GROUP];
	s->dept_id = r->i[SW_SS_DEPT];
	s->last_check = r->i[SW_SS_LAST_CHECK];
	s->name = strdup(r->s[SW_SS_NAME] ? r->s[SW_SS_NAME] : "");
	s->url = strdup(r->s[SW_SS_URL] ? r->s[SW_SS_URL] : "");
	s->unit_name = strdup(r->s[SW_SS_UNIT_NAME] ? r->s[SW_SS_UNIT_NAME] : "");
	l->v->n++;
	if (!s->name || !s->url || !s->unit_name) {
		l->oom = 1;
		return 1;
	}
	cp(s->status, sizeof s->status, r->s[SW_SS_STATUS]);
	cp(s->unit_type, sizeof s->unit_type, r->s[SW_SS_UNIT_TYPE]);
	cp(s->region, sizeof s->region, r->s[SW_SS_REGION]);
	cp(s->assess, sizeof s->assess, r->s[SW_SS_ASSESS_DATE]);
	s->grade = (int)r->i[SW_SS_GRADE];
	s->filed = r->s[SW_SS_FILING_NO] && *r->s[SW_SS_FILING_NO];
	/* Identification inputs from the register; the page side follows. */
	struct sw_ident_in in = {s->unit_type, r->s[SW_SS_ICP], r->s[SW_SS_PSB],
				 r->s[SW_SS_GOV_CODE], r->s[SW_SS_BADGE], s->last_check != 0, 0, 0};
	s->ident = sw_ident_judge(&in, &s->miss_reg, &s->miss_page, &s->mismatch);
	return 0;
}

struct sw_cmp_site *sw_cmp_view_find(const struct sw_cmp_view *v, int64_t id)
{
	size_t lo = 0, hi = v->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->v[mid].id == id)
			return &v->v[mid];
		if (v->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Page-side identification bits; page results kept in miss_page/mismatch
 * as raw bits until every finding is read. */
static int finding_cb(void *arg, const struct sw_cmp_row *r)
{
	struct load *l = arg;
	struct sw_cmp_site *s = sw_cmp_view_find(l->v, r->i[SW_OF_SITE]);
	int mismatch;
	unsigned bit;

	if (!s)
		return 0;
	s->open_findings++;
	bit = sw_ident_kind_bit(r->s[SW_OF_KIND], &mismatch);
	if (mismatch)
		s->mismatch |= bit;
	else
		s->miss_page |= bit;
	return 0;
}

static int dept_cb(void *arg, const struct sw_cmp_row *r)
{
	struct load *l = arg;

	if (r->i[SW_DP_ID] > 0 && r->i[SW_DP_ID] <= l->max_dept)
		l->dept_parent[r->i[SW_DP_ID]] = r->i[SW_DP_PARENT];
	return 0;
}

static int dept_max_cb(void *arg, const struct sw_cmp_row *r)
{
	struct load *l = arg;

	if (r->i[SW_DP_ID] > l->max_dept)
		l->max_dept = r->i[SW_DP_ID];
	return 0;
}

/* Whether dept (a unit's department) is `want` or below it.  The walk is
 * bounded: a cycle of parents (bad data) cannot loop forever. */
static int dept_under(const struct load *l, int64_t dept, int64_t want)
{
	for (int hops = 0; dept > 0 && hops < 64; hops++) {
		if (dept == want)
			return 1;
		dept = dept <= l->max_dept ? l->dept_parent[dept] : 0;
	}
	return 0;
}

/* Re-judges identification with the page findings and sets the MLPS due
 * state and scope of every site. */
static void judge_all(struct load *l, const struct sw_cmp_policy *pol,
		      const struct sw_stats_scope *sc)
{
	for (size_t i = 0; i < l->v->n; i++) {
		struct sw_cmp_site *s = &l->v->v[i];
		struct sw_ident_in in = {s->unit_type, "x", "x", "x", "1", s->last_check != 0,
					 s->miss_page, s->mismatch};
		unsigned page, mis;

		sw_ident_judge(&in, NULL, &page, &mis);
		s->miss_page = page;
		s->mismatch = mis;
		s->ident = mis ? SW_IDENT_MISMATCH
			       : (s->miss_reg | page) ? SW_IDENT_MISSING : SW_IDENT_COMPLETE;
		s->due = sw_mlps_judge(pol, s->group_id, s->id, s->grade, s->assess[0] ? s->assess : NULL,
				       l->v->today, s->next_due);
		s->in_scope = !sc || ((!sc->region || sw_stats_region_in(sc->region, s->region)) &&
				      (!sc->unit_type || !strcmp(sc->unit_type, s->unit_type)) &&
				      (!sc->group_id || sc->group_id == s->group_id) &&
				      (!sc->dept_id || dept_under(l, s->dept_id, sc->dept_id)));
	}
}

enum sw_err sw_cmp_view_load(struct sw_store *st, const struct sw_stats_scope *sc, int64_t now,
			     struct sw_cmp_view *out, struct sw_errbuf *eb)
{
	struct load l = {.v = out};
	struct sw_cmp_policy pol = {0};
	enum sw_err rc;

	memset(out, 0, sizeof *out);
	sw_cmp_date(now, out->today);
	if ((rc = sw_stats_scope_check(sc, eb)))
		return rc;
	rc = sw_store_cmp_sites_in(st, sc ? sc->acc : NULL, site_cb, &l, eb);
	if (!rc && !l.oom)
		rc = sw_store_cmp_open_findings(st, finding_cb, &l, eb);
	if (!rc && !l.oom)
		rc = sw_store_cmp_depts(st, dept_max_cb, &l, eb);
	if (!rc && !l.oom && !(l.dept_parent = calloc((size_t)l.max_dept + 1, sizeof(int64_t))))
		l.oom = 1;
	if (!rc && !l.oom)
		rc = sw_store_cmp_depts(st, dept_cb, &l, eb);
	if (!rc && !l.oom)
		rc = sw_cmp_policy_load(st, &pol, eb);
	if (!rc && l.oom)
		rc = sw_errf(eb, SW_ENOMEM, "out of memory loading the sites");
	if (!rc)
		judge_all(&l, &pol, sc);
	sw_cmp_policy_cleanup(&pol);
	free(l.dept_parent);
	if (rc)
		sw_cmp_view_cleanup(out);
	return rc;
}

void sw_cmp_view_cleanup(struct sw_cmp_view *v)
{
	for (size_t i = 0; v->v && i < v->n; i++) {
		free(v->v[i].name);
		free(v->v[i].url);
		free(v->v[i].unit_name);
	}
	free(v->v);
	v->v = NULL;
	v->n = 0;
}
