/*
 * overview_read.c - the monitoring API's reads that join a check or a
 * finding to its site so the user's scope (scope.c) applies in SQL: one
 * check, the count of a site's checks, the open findings.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "store/overview.h"
#include "store/scope.h"

#define CHECK_SEL                                                                            \
	"SELECT c.id, c.site_id, c.checked_at, c.status, c.err, c.total_ms, c.dns_ms, "        \
	"c.connect_ms, c.tls_ms, c.first_byte_ms, c.ip, c.http_version, c.body_hash, "         \
	"c.body_size, c.tls_not_after FROM checks c JOIN sites x ON x.id = c.site_id JOIN units " \
	"u ON u.id = x.unit_id WHERE c.id = ?6 AND "

/* Filters after the scope: region ?6 ?7, unit type ?8, group ?9, site
 * ?10, kind ?11 (prefix length ?12, prefix ?13), severity ?14. */
#define OPEN_FROM                                                                            \
	" FROM site_state t JOIN sites x ON x.id = t.site_id JOIN units u ON u.id = x.unit_id "  \
	"JOIN check_findings cf ON cf.check_id = t.last_check_id WHERE t.open_findings > 0"     \
	" AND (CAST(?6 AS TEXT) IS NULL OR (u.region >= ?6 AND u.region < ?7))"                 \
	" AND (CAST(?8 AS TEXT) IS NULL OR u.type = ?8)"                                        \
	" AND (CAST(?9 AS BIGINT) IS NULL OR x.group_id = ?9)"                                  \
	" AND (CAST(?10 AS BIGINT) IS NULL OR x.id = ?10)"                                      \
	" AND (CAST(?11 AS TEXT) IS NULL OR cf.kind = ?11 OR substr(cf.kind, 1, CAST(?12 AS "  \
	"INTEGER)) = CAST(?13 AS TEXT)) AND (CAST(?14 AS TEXT) IS NULL OR cf.severity = ?14) AND "

static char sql_check[SW_SQL_MAX], sql_open[SW_SQL_MAX], sql_open_n[SW_SQL_MAX];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void build(void)
{
	const char *scope = sw__scope_sql(SW_ENT_SITE);

	sw__sql_cat(sql_check, CHECK_SEL "%s", scope);
	sw__sql_cat(sql_open, "SELECT x.id, x.name, t.last_check_id, t.checked_at, cf.kind, "
		    "cf.severity, cf.title, cf.evidence" OPEN_FROM "%s ORDER BY x.id, cf.id "
		    "LIMIT ?15 OFFSET ?16", scope);
	sw__sql_cat(sql_open_n, "SELECT count(*)" OPEN_FROM "%s", scope);
}

enum sw_err sw_store_check_get(struct sw_store *st, int64_t id, const struct sw_access *acc,
			       int (*cb)(void *arg, const struct sw_check_row *c), void *arg,
			       struct sw_errbuf *eb)
{
	struct sw__scope_vals v;
	struct sw_check_row c;
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	pthread_once(&once, build);
	if ((rc = sw__store_q(st, sql_check, &s, eb)))
		return rc;
	if (!(rc = sw__scope_bind(st, s, acc, &v, eb))) {
		st->ops->bind_int(s, 6, id);
		rc = st->ops->step(s, &row, eb);
	}
	if (!rc && row) {
		memset(&c, 0, sizeof c);
		c.id = st->ops->col_int(s, 0);
		c.site_id = st->ops->col_int(s, 1);
		c.checked_at = st->ops->col_int(s, 2);
		c.status = (long)st->ops->col_int(s, 3);
		c.err = (int)st->ops->col_int(s, 4);
		c.total_ms = st->ops->col_int(s, 5);
		c.dns_ms = st->ops->col_int(s, 6);
		c.connect_ms = st->ops->col_int(s, 7);
		c.tls_ms = st->ops->col_int(s, 8);
		c.first_byte_ms = st->ops->col_int(s, 9);
		c.ip = st->ops->col_text(s, 10);
		c.http_version = (int)st->ops->col_int(s, 11);
		c.body_hash = st->ops->col_text(s, 12);
		c.body_size = st->ops->col_int(s, 13);
		c.tls_not_after = st->ops->col_int(s, 14);
		cb(arg, &c);
	}
	sw__store_q_done(st, s);
	if (!rc && !row)
		rc = sw_errf(eb, SW_ENOTFOUND, "check %lld does not exist", (long long)id);
	return rc;
}

static const char sql_count[] = "SELECT count(*) FROM checks WHERE site_id = ?1 AND checked_at >= ?2";

enum sw_err sw_store_checks_count(struct sw_store *st, int64_t site_id, int64_t since,
				  int64_t *n, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*n = 0;
	if ((rc = sw__store_q(st, sql_count, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, since);
	if (!(rc = st->ops->step(s, &row, eb)) && row)
		*n = st->ops->col_int(s, 0);
	sw__store_q_done(st, s);
	return rc;
}

/* Values bound to an open-findings statement; they outlive its run. */
struct open_vals {
	struct sw__scope_vals sv;
	char lo[7], hi[7], prefix[80];
};

static enum sw_err open_bind(struct sw_store *st, struct sw_stmt *s, const struct sw_filter *f,
			     int64_t site_id, struct open_vals *v, struct sw_errbuf *eb)
{
	enum sw_err rc;

	if ((rc = sw__scope_bind(st, s, f->acc, &v->sv, eb)))
		return rc;
	if (f->region) {
		if ((rc = sw__region_range(f->region, v->lo, v->hi, "region", eb)))
			return rc;
		st->ops->bind_text(s, 6, v->lo);
		st->ops->bind_text(s, 7, v->hi);
	}
	st->ops->bind_text(s, 8, f->unit_type);
	if (f->group_id)
		st->ops->bind_int(s, 9, f->group_id);
	if (site_id)
		st->ops->bind_int(s, 10, site_id);
	if (f->kind) {
		snprintf(v->prefix, sizeof v->prefix, "%s.", f->kind);
		st->ops->bind_text(s, 11, f->kind);
		st->ops->bind_int(s, 12, (int64_t)strlen(v->prefix));
		st->ops->bind_text(s, 13, v->prefix);
	}
	st->ops->bind_text(s, 14, f->severity);
	return SW_OK;
}

enum sw_err sw_store_open_findings(struct sw_store *st, const struct sw_filter *f,
				   int64_t site_id,
				   int (*cb)(void *arg, const struct sw_open_finding *o), void *arg,
				   int64_t *total, struct sw_errbuf *eb)
{
	struct open_vals v;
	struct sw_open_finding o;
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	pthread_once(&once, build);
	if (total) {
		*total = 0;
		if ((rc = sw__store_q(st, sql_open_n, &s, eb)))
			return rc;
		if (!(rc = open_bind(st, s, f, site_id, &v, eb)) && !(rc = st->ops->step(s, &row, eb)) &&
		    row)
			*total = st->ops->col_int(s, 0);
		sw__store_q_done(st, s);
		if (rc)
			return rc;
	}
	if ((rc = sw__store_q(st, sql_open, &s, eb)))
		return rc;
	if (!(rc = open_bind(st, s, f, site_id, &v, eb))) {
		st->ops->bind_int(s, 15, f->limit > 0 ? f->limit : INT64_MAX);
		st->ops->bind_int(s, 16, f->offset > 0 ? f->offset : 0);
	}
	while (!rc && !(rc = st->ops->step(s, &row, eb)) && row) {
		o.site_id = st->ops->col_int(s, 0);
		o.site_name = st->ops->col_text(s, 1);
		o.check_id = st->ops->col_int(s, 2);
		o.checked_at = st->ops->col_int(s, 3);
		o.f.kind = st->ops->col_text(s, 4);
		o.f.severity = st->ops->col_text(s, 5);
		o.f.title = st->ops->col_text(s, 6);
		o.f.evidence = st->ops->col_text(s, 7);
		if (cb(arg, &o))
			break;
	}
	sw__store_q_done(st, s);
	return rc;
}
