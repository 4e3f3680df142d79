/*
 * scope.c - what a supervisor or an operator may see, as SQL.
 *
 * The rule is written once per entity as a constant fragment with fixed
 * parameter numbers, so the list, count, get and aggregate statements
 * that embed it stay one prepared statement each for every user.  The
 * department subtree is a recursive query (UNION, not UNION ALL: a cycle
 * of parent links ends instead of looping); both SQLite and PostgreSQL
 * accept it inside IN.  Regions are matched by code range, like the
 * region filter (query.c), so counties whose rows were never imported
 * still fall under their province.
 */
#include <stdlib.h>
#include <string.h>

#include "store/scope.h"

#define SC_REGION(col) "(CAST(?2 AS TEXT) IS NOT NULL AND " col " >= ?2 AND " col " < ?3)"
#define SC_DEPT(col)                                                                     \
	"(CAST(?4 AS BIGINT) IS NOT NULL AND " col " IN (WITH RECURSIVE sw_sub(id) AS "       \
	"(SELECT CAST(?4 AS BIGINT) UNION SELECT sd.id FROM departments sd JOIN sw_sub ON " \
	"sd.parent_id = sw_sub.id) SELECT id FROM sw_sub))"
#define SC_UNIT(col) "(CAST(?5 AS BIGINT) IS NOT NULL AND " col " = ?5)"
#define SC_ALL "CAST(?1 AS BIGINT) = 0"

/* A site (x) with its unit (u). */
#define SITE_RULE SC_REGION("u.region") " OR " SC_DEPT("u.dept_id") " OR " SC_UNIT("x.unit_id")

static const char *const scope_sql[SW_ENT__COUNT] = {
	/* Reference data: the parameters only appear (PostgreSQL types them). */
	[SW_ENT_REGION] = "(CAST(?1 AS BIGINT) IS NOT NULL OR CAST(?2 AS TEXT) IS NULL OR "
			  "CAST(?3 AS TEXT) IS NULL OR CAST(?4 AS BIGINT) IS NULL OR "
			  "CAST(?5 AS BIGINT) IS NULL)",
	[SW_ENT_SITE] = "(" SC_ALL " OR " SITE_RULE ")",
	[SW_ENT_UNIT] = "(" SC_ALL " OR " SC_REGION("x.region") " OR " SC_DEPT("x.dept_id")
			" OR " SC_UNIT("x.id") ")",
	/* A person without a unit is visible to unscoped users only. */
	[SW_ENT_PERSON] = "(" SC_ALL " OR " SC_REGION("u.region") " OR " SC_DEPT("u.dept_id")
			  " OR " SC_UNIT("x.unit_id") ")",
	/* A department: in the region, in the subtree, or the operator's
	 * unit's own. */
	[SW_ENT_DEPT] = "(" SC_ALL " OR " SC_REGION("x.region") " OR " SC_DEPT("x.id")
			" OR (CAST(?5 AS BIGINT) IS NOT NULL AND x.id IN (SELECT su.dept_id FROM "
			"units su WHERE su.id = ?5)))",
	/* A group: its department is in the subtree, or it holds a visible
	 * site. */
	[SW_ENT_GROUP] = "(" SC_ALL " OR " SC_DEPT("x.dept_id") " OR EXISTS (SELECT 1 FROM "
			 "sites gs JOIN units gu ON gu.id = gs.unit_id WHERE gs.group_id = x.id AND ("
			 SC_REGION("gu.region") " OR " SC_DEPT("gu.dept_id") " OR "
			 SC_UNIT("gs.unit_id") ")))",
};

const char *sw__scope_sql(enum sw_ent e)
{
	return scope_sql[e];
}

const char *sw__scope_join(enum sw_ent e)
{
	if (e == SW_ENT_SITE)
		return " JOIN units u ON u.id = x.unit_id";
	if (e == SW_ENT_PERSON)
		return " LEFT JOIN units u ON u.id = x.unit_id";
	return "";
}

enum sw_err sw__region_range(const char *code, char lo[7], char hi[7], const char *field,
			     struct sw_errbuf *eb)
{
	size_t keep;
	long v;

	if (strlen(code) != 6 || strspn(code, "0123456789") != 6)
		return sw_errf_field(eb, SW_EINVAL, field, "region must be a six-digit code");
	keep = strcmp(code + 2, "0000") == 0 ? 2 : strcmp(code + 4, "00") == 0 ? 4 : 6;
	memcpy(lo, code, 7);
	v = strtol(code, NULL, 10);
	/* Add one at the last kept digit: 110000 -> 120000, 110100 -> 110200. */
	v += keep == 2 ? 10000 : keep == 4 ? 100 : 1;
	/* 99xxxx is no province, but keep the range sane for any six digits. */
	v = v > 999999 ? 999999 : v;
	for (int i = 5; i >= 0; i--, v /= 10)
		hi[i] = (char)('0' + v % 10);
	hi[6] = '\0';
	return SW_OK;
}

enum sw_err sw__scope_bind(struct sw_store *st, struct sw_stmt *s, const struct sw_access *acc,
			   struct sw__scope_vals *v, struct sw_errbuf *eb)
{
	enum sw_err rc;

	st->ops->bind_int(s, 1, acc ? 1 : 0);
	st->ops->bind_text(s, 2, NULL);
	st->ops->bind_text(s, 3, NULL);
	st->ops->bind_text(s, 4, NULL);
	st->ops->bind_text(s, 5, NULL);
	if (!acc)
		return SW_OK;
	if (acc->region && *acc->region) {
		if ((rc = sw__region_range(acc->region, v->lo, v->hi, "region", eb)))
			return rc;
		st->ops->bind_text(s, 2, v->lo);
		st->ops->bind_text(s, 3, v->hi);
	}
	if (acc->dept_id > 0)
		st->ops->bind_int(s, 4, acc->dept_id);
	if (acc->unit_id > 0)
		st->ops->bind_int(s, 5, acc->unit_id);
	return SW_OK;
}
