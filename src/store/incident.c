/*
 * incident.c - incidents, their steps and raised deadlines, emergency
 * plans and drills (migration 0006).  The chain's rules (which steps,
 * which deadlines) are in src/incident/; this file is their SQL.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store/backend.h"
#include "store/incident.h"
#include "store/scope.h"

/* Binds text v, or NULL when v is NULL or empty. */
static void bind_opt(struct sw_store *st, struct sw_stmt *s, int i, const char *v)
{
	st->ops->bind_text(s, i, v && *v ? v : NULL);
}

/* Prepares the cached insert (sql) or its RETURNING twin, binds with
 * bind(), runs it and puts the new id in *id. */
static enum sw_err insert(struct sw_store *st, const char *sql, const char *sql_ret,
			  void (*bind)(struct sw_store *, struct sw_stmt *, const void *),
			  const void *r, int64_t *id, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if (id)
		*id = 0;
	if ((rc = sw__store_q(st, st->ops->last_id ? sql : sql_ret, &s, eb)))
		return rc;
	bind(st, s, r);
	rc = st->ops->step(s, &row, eb);
	if (!rc && id)
		*id = sw__store_inserted_id(st, s, row);
	sw__store_q_done(st, s);
	return rc;
}

#define INC_INS                                                                           \
	"INSERT INTO incidents (site_id, title, severity, major, state, source, opened_at, " \
	"opened_by) VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?6, ?7)"

static void bind_incident(struct sw_store *st, struct sw_stmt *s, const void *p)
{
	const struct sw_incident_row *r = p;

	st->ops->bind_int(s, 1, r->site_id);
	st->ops->bind_text(s, 2, r->title);
	st->ops->bind_text(s, 3, r->severity);
	st->ops->bind_int(s, 4, r->major ? 1 : 0);
	st->ops->bind_text(s, 5, r->source);
	st->ops->bind_int(s, 6, r->opened_at);
	bind_opt(st, s, 7, r->opened_by);
}

enum sw_err sw_store_incident_add(struct sw_store *st, const struct sw_incident_row *r,
				  int64_t *id, struct sw_errbuf *eb)
{
	static const char sql[] = INC_INS, sql_ret[] = INC_INS " RETURNING id";
	enum sw_err rc = insert(st, sql, sql_ret, bind_incident, r, id, eb);

	if (rc == SW_EINUSE)
		return sw_errf_replace(eb, rc, "no site %lld", (long long)r->site_id);
	return rc;
}

enum sw_err sw_store_incident_open_of_site(struct sw_store *st, int64_t site_id, int64_t *id,
					   struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT MAX(id) FROM incidents WHERE site_id = ?1 AND "
				  "state = 'open'";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*id = 0;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	if (!(rc = st->ops->step(s, &row, eb)) && row && !st->ops->col_null(s, 0))
		*id = st->ops->col_int(s, 0);
	sw__store_q_done(st, s);
	return !rc && !*id ? SW_ENOTFOUND : rc;
}

enum sw_err sw_store_incident_link(struct sw_store *st, int64_t incident_id, int64_t alert_id,
				   struct sw_errbuf *eb)
{
	static const char sql[] = "INSERT INTO incident_alerts (incident_id, alert_id) VALUES "
				  "(?1, ?2) ON CONFLICT DO NOTHING";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, incident_id);
	st->ops->bind_int(s, 2, alert_id);
	rc = sw__store_run(st, s, eb);
	sw__store_q_done(st, s);
	if (rc == SW_EINUSE)
		return sw_errf_replace(eb, rc, "no incident %lld or alert %lld",
				       (long long)incident_id, (long long)alert_id);
	return rc;
}

#define ICOLS                                                                                \
	"i.id, i.site_id, i.title, i.severity, i.major, i.state, i.source, i.opened_at, "    \
	"i.opened_by, i.closed_at, i.cause, i.fix, i.accountability, x.name, x.group_id"

/* Walks the rows of s (columns ICOLS) into cb; *n counts them. */
static enum sw_err walk(struct sw_store *st, struct sw_stmt *s,
			int (*cb)(void *arg, const struct sw_incident_row *r), void *arg, int *n,
			struct sw_errbuf *eb)
{
	const struct sw_store_ops *o = st->ops;
	struct sw_incident_row r;
	enum sw_err rc;
	int row;

	while (!(rc = o->step(s, &row, eb)) && row) {
		(*n)++;
		r = (struct sw_incident_row){
			o->col_int(s, 0),   o->col_int(s, 1),       o->col_text(s, 2),
			o->col_text(s, 3),  (int)o->col_int(s, 4),  o->col_text(s, 5),
			o->col_text(s, 6),  o->col_int(s, 7),       o->col_text(s, 8),
			o->col_int(s, 9),   o->col_text(s, 10),     o->col_text(s, 11),
			o->col_text(s, 12), o->col_text(s, 13),     o->col_int(s, 14),
		};
		if (cb(arg, &r))
			break;
	}
	return rc;
}

enum sw_err sw_store_incident_get(struct sw_store *st, int64_t id,
				  int (*cb)(void *arg, const struct sw_incident_row *r), void *arg,
				  struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT " ICOLS " FROM incidents i JOIN sites x ON "
				  "x.id = i.site_id WHERE i.id = ?1";
	struct sw_stmt *s;
	enum sw_err rc;
	int n = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, id);
	rc = walk(st, s, cb, arg, &n, eb);
	sw__store_q_done(st, s);
	if (!rc && !n)
		return sw_errf(eb, SW_ENOTFOUND, "no incident %lld", (long long)id);
	return rc;
}

#define IFILT                                                                        \
	" AND (CAST(?6 AS TEXT) IS NULL OR i.state = ?6) AND "                       \
	"(CAST(?7 AS BIGINT) = 0 OR i.site_id = ?7)"

/* Built once per process (the cache keys on the address): the scope of
 * sites spliced in. */
static char list_sql[SW_SQL_MAX], count_sql[SW_SQL_MAX];
static pthread_once_t built = PTHREAD_ONCE_INIT;

static void build(void)
{
	const char *from = " FROM incidents i JOIN sites x ON x.id = i.site_id";

	sw__sql_cat(list_sql, "SELECT " ICOLS "%s%s WHERE %s" IFILT
		    " ORDER BY i.id DESC LIMIT ?8 OFFSET ?9", from, sw__scope_join(SW_ENT_SITE),
		    sw__scope_sql(SW_ENT_SITE));
	sw__sql_cat(count_sql, "SELECT COUNT(*)%s%s WHERE %s" IFILT, from,
		    sw__scope_join(SW_ENT_SITE), sw__scope_sql(SW_ENT_SITE));
}

enum sw_err sw_store_incident_list(struct sw_store *st, const struct sw_access *acc,
				   const char *state, int64_t site_id, int64_t limit,
				   int64_t offset,
				   int (*cb)(void *arg, const struct sw_incident_row *r), void *arg,
				   int64_t *total, struct sw_errbuf *eb)
{
	struct sw__scope_vals sv;
	struct sw_stmt *s;
	enum sw_err rc;
	int n = 0, row = 0;

	pthread_once(&built, build);
	if (total) {
		if ((rc = sw__store_q(st, count_sql, &s, eb)))
			return rc;
		bind_opt(st, s, 6, state);
		st->ops->bind_int(s, 7, site_id);
		if (!(rc = sw__scope_bind(st, s, acc, &sv, eb)))
			rc = st->ops->step(s, &row, eb);
		*total = !rc && row ? st->ops->col_int(s, 0) : 0;
		sw__store_q_done(st, s);
		if (rc)
			return rc;
	}
	if ((rc = sw__store_q(st, list_sql, &s, eb)))
		return rc;
	bind_opt(st, s, 6, state);
	st->ops->bind_int(s, 7, site_id);
	st->ops->bind_int(s, 8, limit > 0 ? limit : INT64_MAX);
	st->ops->bind_int(s, 9, offset > 0 ? offset : 0);
	if (!(rc = sw__scope_bind(st, s, acc, &sv, eb)))
		rc = walk(st, s, cb, arg, &n, eb);
	sw__store_q_done(st, s);
	return rc;
}

#define STEP_INS \
	"INSERT INTO incident_steps (incident_id, step, at, actor, note) VALUES (?1, ?2, ?3, ?4, ?5)"

static void bind_step(struct sw_store *st, struct sw_stmt *s, const void *p)
{
	const struct sw_incident_step_row *r = p;

	st->ops->bind_int(s, 1, r->incident_id);
	st->ops->bind_text(s, 2, r->step);
	st->ops->bind_int(s, 3, r->at);
	bind_opt(st, s, 4, r->actor);
	bind_opt(st, s, 5, r->note);
}

enum sw_err sw_store_incident_step_add(struct sw_store *st,
				       const struct sw_incident_step_row *r,
				       struct sw_errbuf *eb)
{
	static const char sql[] = STEP_INS, sql_ret[] = STEP_INS " RETURNING id";

	return insert(st, sql, sql_ret, bind_step, r, NULL, eb);
}

enum sw_err sw_store_incident_steps(struct sw_store *st, int64_t id,
				    int (*cb)(void *arg, const struct sw_incident_step_row *r),
				    void *arg, struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT id, incident_id, step, at, actor, note FROM "
				  "incident_steps WHERE incident_id = ?1 ORDER BY id";
	const struct sw_store_ops *o = st->ops;
	struct sw_incident_step_row r;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	o->bind_int(s, 1, id);
	while (!(rc = o->step(s, &row, eb)) && row) {
		r = (struct sw_incident_step_row){o->col_int(s, 0), o->col_int(s, 1),
						  o->col_text(s, 2), o->col_int(s, 3),
						  o->col_text(s, 4), o->col_text(s, 5)};
		if (cb(arg, &r))
			break;
	}
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_incident_checks(struct sw_store *st, int64_t incident_id,
				     int (*cb)(void *arg, int64_t check_id), void *arg,
				     struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT ac.check_id FROM incident_alerts ia JOIN alert_checks ac "
				  "ON ac.alert_id = ia.alert_id WHERE ia.incident_id = ?1 UNION "
				  "SELECT a.last_check_id FROM incident_alerts ia JOIN alerts a ON "
				  "a.id = ia.alert_id WHERE ia.incident_id = ?1 AND a.last_check_id "
				  "IS NOT NULL ORDER BY 1";
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, incident_id);
	while (!(rc = st->ops->step(s, &row, eb)) && row)
		if (cb(arg, st->ops->col_int(s, 0)))
			break;
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_incident_close(struct sw_store *st, int64_t id, int64_t at,
				    const char *cause, const char *fix,
				    const char *accountability, struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE incidents SET state = 'closed', closed_at = ?2, "
				  "cause = ?3, fix = ?4, accountability = ?5 WHERE id = ?1 AND "
				  "state = 'open'";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, id);
	st->ops->bind_int(s, 2, at);
	st->ops->bind_text(s, 3, cause);
	st->ops->bind_text(s, 4, fix);
	st->ops->bind_text(s, 5, accountability);
	rc = sw__store_run(st, s, eb);
	sw__store_q_done(st, s);
	if (!rc && st->ops->changes(st->db) == 0)
		return sw_errf(eb, SW_ENOTFOUND, "no open incident %lld", (long long)id);
	return rc;
}

enum sw_err sw_store_incident_set_major(struct sw_store *st, int64_t id, struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE incidents SET major = 1 WHERE id = ?1";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, id);
	rc = sw__store_run(st, s, eb);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_incident_overdue(struct sw_store *st, int64_t id, const char *step,
				      int64_t at, int *fresh, struct sw_errbuf *eb)
{
	static const char sql[] = "INSERT INTO incident_overdue (incident_id, step, raised_at) "
				  "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
	struct sw_stmt *s;
	enum sw_err rc;

	*fresh = 0;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, id);
	st->ops->bind_text(s, 2, step);
	st->ops->bind_int(s, 3, at);
	rc = sw__store_run(st, s, eb);
	if (!rc)
		*fresh = st->ops->changes(st->db) == 1;
	sw__store_q_done(st, s);
	return rc;
}

/* ---- plans and drills ---- */

#define PLAN_PUT                                                                           \
	"INSERT INTO response_plans (name, scope, scope_id, body, created_at, updated_at) "  \
	"VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (name) DO UPDATE SET scope = "          \
	"excluded.scope, scope_id = excluded.scope_id, body = excluded.body, updated_at = " \
	"excluded.updated_at"

static void bind_plan(struct sw_store *st, struct sw_stmt *s, const void *p)
{
	const struct sw_plan_row *r = p;

	st->ops->bind_text(s, 1, r->name);
	st->ops->bind_text(s, 2, r->scope);
	if (r->scope_id > 0)
		st->ops->bind_int(s, 3, r->scope_id);
	else
		st->ops->bind_text(s, 3, NULL);
	st->ops->bind_text(s, 4, r->body);
	st->ops->bind_int(s, 5, r->updated_at);
}

enum sw_err sw_store_plan_put(struct sw_store *st, const struct sw_plan_row *r, int64_t *id,
			      struct sw_errbuf *eb)
{
	static const char sql[] = PLAN_PUT, sql_ret[] = PLAN_PUT " RETURNING id";
	enum sw_err rc = insert(st, sql, sql_ret, bind_plan, r, NULL, eb);

	/* An upsert's last_id is not the updated row's: look it up. */
	return rc ? rc : sw_store_plan_find(st, r->name, id, eb);
}

enum sw_err sw_store_plan_remove(struct sw_store *st, int64_t id, struct sw_errbuf *eb)
{
	static const char sql[] = "DELETE FROM response_plans WHERE id = ?1";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, id);
	rc = sw__store_run(st, s, eb);
	sw__store_q_done(st, s);
	if (!rc && st->ops->changes(st->db) == 0)
		return sw_errf(eb, SW_ENOTFOUND, "no plan %lld", (long long)id);
	return rc;
}

enum sw_err sw_store_plan_list(struct sw_store *st, int64_t site_id, int64_t group_id,
			       int (*cb)(void *arg, const struct sw_plan_row *r), void *arg,
			       struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT id, name, scope, scope_id, body, created_at, updated_at "
				  "FROM response_plans WHERE (CAST(?1 AS BIGINT) = 0 AND "
				  "CAST(?2 AS BIGINT) = 0) OR scope = 'all' OR (scope = 'site' AND "
				  "scope_id = ?1) OR (scope = 'group' AND scope_id = ?2) ORDER BY id";
	const struct sw_store_ops *o = st->ops;
	struct sw_plan_row r;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	o->bind_int(s, 1, site_id);
	o->bind_int(s, 2, group_id);
	while (!(rc = o->step(s, &row, eb)) && row) {
		r = (struct sw_plan_row){o->col_int(s, 0), o->col_text(s, 1), o->col_text(s, 2),
					 o->col_int(s, 3), o->col_text(s, 4), o->col_int(s, 5),
					 o->col_int(s, 6)};
		if (cb(arg, &r))
			break;
	}
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_plan_find(struct sw_store *st, const char *ref, int64_t *id,
			       struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT id FROM response_plans WHERE name = ?1 OR "
				  "CAST(id AS TEXT) = ?1 ORDER BY name = ?1 DESC LIMIT 1";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*id = 0;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, ref);
	if (!(rc = st->ops->step(s, &row, eb)) && row)
		*id = st->ops->col_int(s, 0);
	sw__store_q_done(st, s);
	if (!rc && !row)
		return sw_errf(eb, SW_ENOTFOUND, "no plan '%s'", ref);
	return rc;
}

#define DRILL_INS                                                                        \
	"INSERT INTO drills (plan_id, held_on, scenario, result, note, created_at) VALUES " \
	"(?1, ?2, ?3, ?4, ?5, ?6)"

static void bind_drill(struct sw_store *st, struct sw_stmt *s, const void *p)
{
	const struct sw_drill_row *r = p;

	if (r->plan_id > 0)
		st->ops->bind_int(s, 1, r->plan_id);
	else
		st->ops->bind_text(s, 1, NULL);
	st->ops->bind_text(s, 2, r->held_on);
	st->ops->bind_text(s, 3, r->scenario);
	st->ops->bind_text(s, 4, r->result);
	bind_opt(st, s, 5, r->note);
	st->ops->bind_int(s, 6, r->created_at);
}

enum sw_err sw_store_drill_add(struct sw_store *st, const struct sw_drill_row *r, int64_t *id,
			       struct sw_errbuf *eb)
{
	static const char sql[] = DRILL_INS, sql_ret[] = DRILL_INS " RETURNING id";
	enum sw_err rc = insert(st, sql, sql_ret, bind_drill, r, id, eb);

	if (rc == SW_EINUSE)
		return sw_errf_replace(eb, rc, "no plan %lld", (long long)r->plan_id);
	return rc;
}

enum sw_err sw_store_drill_list(struct sw_store *st, int64_t plan_id,
				int (*cb)(void *arg, const struct sw_drill_row *r), void *arg,
				struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT d.id, d.plan_id, d.held_on, d.scenario, d.result, "
				  "d.note, d.created_at, p.name FROM drills d LEFT JOIN "
				  "response_plans p ON p.id = d.plan_id WHERE CAST(?1 AS BIGINT) = 0 "
				  "OR d.plan_id = ?1 ORDER BY d.held_on DESC, d.id DESC";
	const struct sw_store_ops *o = st->ops;
	struct sw_drill_row r;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	o->bind_int(s, 1, plan_id);
	while (!(rc = o->step(s, &row, eb)) && row) {
		r = (struct sw_drill_row){o->col_int(s, 0),  o->col_int(s, 1),  o->col_text(s, 2),
					  o->col_text(s, 3), o->col_text(s, 4), o->col_text(s, 5),
					  o->col_int(s, 6),  o->col_text(s, 7)};
		if (cb(arg, &r))
			break;
	}
	sw__store_q_done(st, s);
	return rc;
}
