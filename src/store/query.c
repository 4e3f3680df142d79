/*
 * query.c - filtered lists and counts of register records.
 *
 * Every filter is written as "(param IS NULL OR condition)", so one
 * prepared statement per entity serves every combination of filters.
 * Parameters are numbered densely in the order the entity uses them,
 * because PostgreSQL cannot type a parameter that appears nowhere.
 *
 * The access scope (scope.c) comes first, as parameters ?1..?5, so the
 * same statement serves admins and scoped users alike.
 *
 * Regions nest by code (GB/T 2260): a province xx0000 holds every code
 * starting xx, a city xxyy00 every code starting xxyy.  Filtering by range
 * on the code therefore finds sub-regions even when their rows were never
 * imported into the regions table.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "store/scope.h"

/* Where each filter applies for one entity; NULL: the filter does not. */
struct filter_cols {
	const char *join;
	const char *region, *type, *group, *unit, *status, *search1, *search2;
};

static const struct filter_cols filter_cols[SW_ENT__COUNT] = {
	[SW_ENT_REGION] = {"", "x.code", NULL, NULL, NULL, NULL, "x.name", "x.code"},
	[SW_ENT_DEPT] = {"", "x.region", NULL, NULL, NULL, NULL, "x.name", NULL},
	[SW_ENT_UNIT] = {"", "x.region", "x.type", NULL, NULL, NULL, "x.name", "x.credit_code"},
	[SW_ENT_GROUP] = {"", NULL, NULL, NULL, NULL, NULL, "x.name", NULL},
	[SW_ENT_SITE] = {" JOIN units u ON u.id = x.unit_id LEFT JOIN site_state t ON t.site_id = x.id",
			 "u.region", "u.type", "x.group_id",
			 "x.unit_id", "x.status", "x.name", "x.url"},
	[SW_ENT_PERSON] = {" LEFT JOIN units u ON u.id = x.unit_id", "u.region", "u.type", NULL,
			   "x.unit_id", NULL, "x.name", "x.phone"},
};

/* Parameter numbers of one built query (0: not used). */
struct params {
	int region_lo, region_hi, type, group, unit, status, search, limit, offset;
	int up, kind, kind_len, kind_prefix, sev; /* sites only */
};



/* Appends the monitoring filters of site lists: the state (t, joined by
 * filter_cols) and an open finding of the latest check. */
static void build_site_where(char *sql, struct params *p, int *n)
{
	p->up = ++*n;
	sw__sql_cat(sql, " AND (CAST(?%d AS BIGINT) IS NULL OR (?%d = 1 AND t.up = 1) OR "
		    "(?%d = 2 AND t.up = 0) OR (?%d = 3 AND t.site_id IS NULL))", p->up, p->up,
		    p->up, p->up);
	p->kind = ++*n;
	p->kind_len = ++*n;
	p->kind_prefix = ++*n;
	p->sev = ++*n;
	sw__sql_cat(sql, " AND ((CAST(?%d AS TEXT) IS NULL AND CAST(?%d AS TEXT) IS NULL) OR "
		    "EXISTS (SELECT 1 FROM check_findings cf WHERE cf.check_id = t.last_check_id "
		    "AND (?%d IS NULL OR cf.kind = ?%d OR substr(cf.kind, 1, CAST(?%d AS INTEGER)) = "
		    "CAST(?%d AS TEXT)) AND (?%d IS NULL OR cf.severity = ?%d)))",
		    p->kind, p->sev, p->kind, p->kind, p->kind_len, p->kind_prefix, p->sev, p->sev);
}

/* Builds the FROM/WHERE part shared by list and count and numbers its
 * parameters into *p (after the scope's). */
static void build_where(char *sql, const struct sw_entity *ent, struct params *p)
{
	const struct filter_cols *c = &filter_cols[ent->id];
	int n = SW_SCOPE_NPARAMS;

	memset(p, 0, sizeof *p);
	sw__sql_cat(sql, " FROM %s x%s WHERE %s", ent->table, c->join, sw__scope_sql(ent->id));
	if (c->region) {
		p->region_lo = ++n;
		p->region_hi = ++n;
		sw__sql_cat(sql, " AND (CAST(?%d AS TEXT) IS NULL OR (%s >= ?%d AND %s < ?%d))", p->region_lo,
		    c->region, p->region_lo, c->region, p->region_hi);
	}
	if (c->type) {
		p->type = ++n;
		sw__sql_cat(sql, " AND (CAST(?%d AS TEXT) IS NULL OR %s = ?%d)", n, c->type, n);
	}
	if (c->group) {
		p->group = ++n;
		sw__sql_cat(sql, " AND (CAST(?%d AS BIGINT) IS NULL OR %s = ?%d)", n, c->group, n);
	}
	if (c->unit) {
		p->unit = ++n;
		sw__sql_cat(sql, " AND (CAST(?%d AS BIGINT) IS NULL OR %s = ?%d)", n, c->unit, n);
	}
	if (c->status) {
		p->status = ++n;
		sw__sql_cat(sql, " AND (CAST(?%d AS TEXT) IS NULL OR %s = ?%d)", n, c->status, n);
	}
	if (ent->id == SW_ENT_SITE)
		build_site_where(sql, p, &n);
	p->search = ++n;
	sw__sql_cat(sql, " AND (CAST(?%d AS TEXT) IS NULL OR %s LIKE ?%d ESCAPE '\\'", n, c->search1, n);
	if (c->search2)
		sw__sql_cat(sql, " OR %s LIKE ?%d ESCAPE '\\'", c->search2, n);
	sw__sql_cat(sql, ")");
	p->limit = n + 1;
	p->offset = n + 2;
}

/* Rejects filters that make no sense for ent, so a typo is not silently
 * ignored ("--group" on a unit list). */
static enum sw_err check_applicable(const struct sw_entity *ent, const struct sw_filter *f,
				    struct sw_errbuf *eb)
{
	const struct filter_cols *c = &filter_cols[ent->id];

	if (f->region && !c->region)
		return sw_errf_field(eb, SW_EINVAL, "region", "%s lists cannot filter by region",
				     ent->name);
	if (f->unit_type && !c->type)
		return sw_errf_field(eb, SW_EINVAL, "unit-type", "%s lists cannot filter by unit type",
				     ent->name);
	if (f->group_id && !c->group)
		return sw_errf_field(eb, SW_EINVAL, "group", "%s lists cannot filter by group",
				     ent->name);
	if (f->unit_id && !c->unit)
		return sw_errf_field(eb, SW_EINVAL, "unit", "%s lists cannot filter by unit", ent->name);
	if (f->status && !c->status)
		return sw_errf_field(eb, SW_EINVAL, "status", "%s lists cannot filter by status",
				     ent->name);
	if ((f->kind || f->severity || f->up) && ent->id != SW_ENT_SITE)
		return sw_errf_field(eb, SW_EINVAL, f->kind ? "kind" : f->severity ? "severity" : "up",
				     "%s lists cannot filter by monitoring state", ent->name);
	if (f->kind && (!*f->kind || strlen(f->kind) > 64))
		return sw_errf_field(eb, SW_EINVAL, "kind", "kind must be 1 to 64 characters");
	return SW_OK;
}

/* Values bound by bind_filter; they must outlive the statement's run
 * (bound text is borrowed), so the caller owns them. */
struct bound {
	char lo[7], hi[7];
	struct sw__scope_vals sv;
	char kind_prefix[80];
	char *like; /* owned */
};

/* Binds filter f to statement s according to the numbering p, keeping the
 * derived values in b. */
static enum sw_err bind_filter(struct sw_store *st, struct sw_stmt *s, const struct params *p,
			       const struct sw_filter *f, int with_page, struct bound *b,
			       struct sw_errbuf *eb)
{
	enum sw_err rc;
	char *like;

	if ((rc = sw__scope_bind(st, s, f->acc, &b->sv, eb)))
		return rc;
	if (f->region) {
		if ((rc = sw__region_range(f->region, b->lo, b->hi, "region", eb)))
			return rc;
		st->ops->bind_text(s, p->region_lo, b->lo);
		st->ops->bind_text(s, p->region_hi, b->hi);
	}
	if (p->type)
		st->ops->bind_text(s, p->type, f->unit_type);
	if (p->group && f->group_id)
		st->ops->bind_int(s, p->group, f->group_id);
	if (p->unit && f->unit_id)
		st->ops->bind_int(s, p->unit, f->unit_id);
	if (p->status)
		st->ops->bind_text(s, p->status, f->status);
	if (p->up && f->up)
		st->ops->bind_int(s, p->up, f->up);
	if (p->kind && f->kind) {
		/* A family ("tls") matches its kinds ("tls.expired") by prefix. */
		snprintf(b->kind_prefix, sizeof b->kind_prefix, "%s.", f->kind);
		st->ops->bind_text(s, p->kind, f->kind);
		st->ops->bind_int(s, p->kind_len, (int64_t)strlen(b->kind_prefix));
		st->ops->bind_text(s, p->kind_prefix, b->kind_prefix);
	}
	if (p->sev)
		st->ops->bind_text(s, p->sev, f->severity);
	if (f->search && *f->search) {
		/* "%term%" with LIKE's own wildcards escaped: a search is literal. */
		size_t n = strlen(f->search);
		char *q;

		if (!(like = b->like = malloc(2 * n + 3)))
			return SW_ENOMEM;
		q = like;
		*q++ = '%';
		for (const char *c = f->search; *c; c++) {
			if (*c == '%' || *c == '_' || *c == '\\')
				*q++ = '\\';
			*q++ = *c;
		}
		*q++ = '%';
		*q = '\0';
		st->ops->bind_text(s, p->search, like);
	}
	if (with_page) {
		st->ops->bind_int(s, p->limit, f->limit > 0 ? f->limit : INT64_MAX);
		st->ops->bind_int(s, p->offset, f->offset > 0 ? f->offset : 0);
	}
	return SW_OK;
}

enum sw_err sw_store_list(struct sw_store *st, const struct sw_entity *ent,
			  const struct sw_filter *f, sw_rec_cb cb, void *arg, struct sw_errbuf *eb)
{
	struct sw_stmt **slot = &st->q[ent->id][SW_Q_LIST];
	static const struct sw_filter none;
	char sql[SW_SQL_MAX] = "";
	struct bound b = {.like = NULL};
	struct params p;
	struct sw_rec rec;
	enum sw_err rc;
	int row;

	f = f ? f : &none;
	if ((rc = check_applicable(ent, f, eb)))
		return rc;
	sw__sql_cat(sql, "SELECT x.id, x.created_at, x.updated_at");
	for (size_t i = 0; i < ent->nfields; i++)
		sw__sql_cat(sql, ", x.%s", ent->fields[i].col);
	build_where(sql, ent, &p);
	sw__sql_cat(sql, " ORDER BY x.id LIMIT ?%d OFFSET ?%d", p.limit, p.offset);
	if ((rc = sw__store_stmt(st, slot, sql, eb)))
		return rc;
	if ((rc = bind_filter(st, *slot, &p, f, 1, &b, eb)))
		goto out;
	sw_rec_init(&rec, ent);
	while (!(rc = st->ops->step(*slot, &row, eb)) && row) {
		int stop;

		rec.id = st->ops->col_int(*slot, 0);
		rec.created_at = (char *)st->ops->col_text(*slot, 1);
		rec.updated_at = (char *)st->ops->col_text(*slot, 2);
		for (size_t i = 0; i < ent->nfields; i++)
			rec.v[i] = (char *)st->ops->col_text(*slot, (int)i + 3);
		stop = cb(arg, &rec);
		/* The strings belong to the statement: forget them, never free. */
		sw_rec_init(&rec, ent);
		if (stop)
			break;
	}
out:
	st->ops->reset(*slot);
	free(b.like);
	return rc;
}

/* True when f filters nothing (paging aside) and sees everything. */
static int unfiltered(const struct sw_filter *f)
{
	return !f->acc && !f->region && !f->unit_type && !f->group_id && !f->unit_id && !f->status &&
	       !(f->search && *f->search) && !f->kind && !f->severity && !f->up;
}

/* "SELECT count(*) FROM <table>" of each entity, built once per process
 * (the statement cache keys on the text's address). */
static char count_sql[SW_ENT__COUNT][128];
static pthread_once_t count_once = PTHREAD_ONCE_INIT;

static void count_build(void)
{
	for (int e = 0; e < SW_ENT__COUNT; e++)
		snprintf(count_sql[e], sizeof count_sql[e], "SELECT count(*) FROM %s",
			 sw_entity_get(e)->table);
}

/* Counts every row of ent: the joins of the filtered count cost a look-up
 * per row (a site's unit and state), which the first page of an
 * administrator's list should not pay at 100,000 sites. */
static enum sw_err count_all(struct sw_store *st, const struct sw_entity *ent, int64_t *n,
			     struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	pthread_once(&count_once, count_build);
	if ((rc = sw__store_q(st, count_sql[ent->id], &s, eb)))
		return rc;
	if (!(rc = st->ops->step(s, &row, eb)) && row)
		*n = st->ops->col_int(s, 0);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_count(struct sw_store *st, const struct sw_entity *ent,
			   const struct sw_filter *f, int64_t *n, struct sw_errbuf *eb)
{
	struct sw_stmt **slot = &st->q[ent->id][SW_Q_COUNT];
	static const struct sw_filter none;
	char sql[SW_SQL_MAX] = "";
	struct bound b = {.like = NULL};
	struct params p;
	enum sw_err rc;
	int row = 0;

	f = f ? f : &none;
	*n = 0;
	if ((rc = check_applicable(ent, f, eb)))
		return rc;
	if (unfiltered(f))
		return count_all(st, ent, n, eb);
	sw__sql_cat(sql, "SELECT count(*)");
	build_where(sql, ent, &p);
	if ((rc = sw__store_stmt(st, slot, sql, eb)))
		return rc;
	if (!(rc = bind_filter(st, *slot, &p, f, 0, &b, eb)) &&
	    !(rc = st->ops->step(*slot, &row, eb)) && row)
		*n = st->ops->col_int(*slot, 0);
	st->ops->reset(*slot);
	free(b.like);
	return rc;
}
