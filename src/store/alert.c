/*
 * alert.c - alert rows, their sightings and the silences of sites and
 * groups (migration 0006).  The rules that decide what a check changes are
 * in src/alert/ingest.c; this file is the SQL under them.
 *
 * Statements come from the store's cache (sw__store_q) because ingest runs
 * them for every finding of every check.  Parameters whose type PostgreSQL
 * could only guess from a NULL test are CAST.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store/alert.h"
#include "store/incident.h"
#include "store/backend.h"
#include "store/scope.h"

#define ACOLS                                                                                 \
	"a.id, a.site_id, a.kind, a.fingerprint, a.severity, a.title, a.evidence, a.state, "  \
	"a.count, a.first_seen, a.last_seen, a.first_check_id, a.last_check_id, a.state_at, " \
	"a.state_by, a.note, a.suppressed_until, x.name"

/* Reads the row of s (columns ACOLS) into a; strings borrowed from s. */
static void read_alert(struct sw_store *st, struct sw_stmt *s, struct sw_alert_row *a)
{
	const struct sw_store_ops *o = st->ops;

	memset(a, 0, sizeof *a);
	a->id = o->col_int(s, 0);
	a->site_id = o->col_int(s, 1);
	a->kind = o->col_text(s, 2);
	a->fingerprint = o->col_text(s, 3);
	a->severity = o->col_text(s, 4);
	a->title = o->col_text(s, 5);
	a->evidence = o->col_text(s, 6);
	a->state = o->col_text(s, 7);
	a->count = o->col_int(s, 8);
	a->first_seen = o->col_int(s, 9);
	a->last_seen = o->col_int(s, 10);
	a->first_check_id = o->col_int(s, 11);
	a->last_check_id = o->col_int(s, 12);
	a->state_at = o->col_int(s, 13);
	a->state_by = o->col_text(s, 14);
	a->note = o->col_text(s, 15);
	a->suppressed_until = o->col_int(s, 16);
	a->site_name = o->col_text(s, 17);
}

/* Walks the rows of s (bound, columns ACOLS) into cb until it says stop. */
static enum sw_err walk(struct sw_store *st, struct sw_stmt *s,
			int (*cb)(void *arg, const struct sw_alert_row *a), void *arg, int *seen,
			struct sw_errbuf *eb)
{
	struct sw_alert_row a;
	enum sw_err rc;
	int row;

	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		(*seen)++;
		read_alert(st, s, &a);
		if (cb(arg, &a))
			break;
	}
	return rc;
}

enum sw_err sw_store_alert_lookup(struct sw_store *st, int64_t site_id, const char *kind,
				  const char *fp, struct sw_alert_brief *out,
				  struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT id, count, suppressed_until, last_check_id, state, "
				  "severity, state_by FROM alerts WHERE site_id = ?1 AND kind = ?2 AND "
				  "fingerprint = ?3";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	memset(out, 0, sizeof *out);
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_text(s, 2, kind);
	st->ops->bind_text(s, 3, fp);
	if (!(rc = st->ops->step(s, &row, eb)) && row) {
		out->id = st->ops->col_int(s, 0);
		out->count = st->ops->col_int(s, 1);
		out->suppressed_until = st->ops->col_int(s, 2);
		out->last_check_id = st->ops->col_int(s, 3);
		snprintf(out->state, sizeof out->state, "%s", st->ops->col_text(s, 4));
		snprintf(out->severity, sizeof out->severity, "%s", st->ops->col_text(s, 5));
		snprintf(out->state_by, sizeof out->state_by, "%s",
			 st->ops->col_text(s, 6) ? st->ops->col_text(s, 6) : "");
	}
	sw__store_q_done(st, s);
	if (!rc && !row)
		return SW_ENOTFOUND;
	return rc;
}

/* Sightings kept per alert besides the last (alerts.last_check_id) and
 * the state changes: an alert seen every five minutes for a month would
 * otherwise name nine thousand checks, and evidence needs the first ones
 * (how it began), each reopening and the last, not every repeat. */
#define CHECKS_KEPT 50

/* Records that alert id was seen in check_id (once per check): always
 * when `always`, else only while fewer than CHECKS_KEPT are recorded. */
static enum sw_err sighting(struct sw_store *st, int64_t id, int64_t check_id, int always,
			    struct sw_errbuf *eb)
{
	static const char ins[] = "INSERT INTO alert_checks (alert_id, check_id) VALUES (?1, ?2) "
				  "ON CONFLICT DO NOTHING";
	static const char ins_few[] =
		"INSERT INTO alert_checks (alert_id, check_id) SELECT CAST(?1 AS BIGINT), "
		"CAST(?2 AS BIGINT) WHERE (SELECT COUNT(*) FROM alert_checks WHERE alert_id = ?1) < ?3 "
		"ON CONFLICT DO NOTHING";
	struct sw_stmt *s;
	enum sw_err rc;

	if (check_id <= 0)
		return SW_OK;
	if ((rc = sw__store_q(st, always ? ins : ins_few, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, id);
	st->ops->bind_int(s, 2, check_id);
	if (!always)
		st->ops->bind_int(s, 3, CHECKS_KEPT);
	rc = sw__store_run(st, s, eb);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_alert_insert(struct sw_store *st, const struct sw_alert_row *r,
				  int64_t *id, struct sw_errbuf *eb)
{
	static const char ins[] =
		"INSERT INTO alerts (site_id, kind, fingerprint, severity, title, evidence, state, "
		"count, first_seen, last_seen, first_check_id, last_check_id, state_at, state_by, "
		"note, suppressed_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8, ?9, ?9, ?8, "
		"?10, ?11, ?12)";
	static const char ins_ret[] =
		"INSERT INTO alerts (site_id, kind, fingerprint, severity, title, evidence, state, "
		"count, first_seen, last_seen, first_check_id, last_check_id, state_at, state_by, "
		"note, suppressed_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8, ?9, ?9, ?8, "
		"?10, ?11, ?12) RETURNING id";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*id = 0;
	if ((rc = sw__store_q(st, st->ops->last_id ? ins : ins_ret, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, r->site_id);
	st->ops->bind_text(s, 2, r->kind);
	st->ops->bind_text(s, 3, r->fingerprint);
	st->ops->bind_text(s, 4, r->severity);
	st->ops->bind_text(s, 5, r->title);
	st->ops->bind_text(s, 6, r->evidence);
	st->ops->bind_text(s, 7, r->state);
	st->ops->bind_int(s, 8, r->first_seen);
	if (r->first_check_id > 0)
		st->ops->bind_int(s, 9, r->first_check_id);
	else
		st->ops->bind_text(s, 9, NULL);
	st->ops->bind_text(s, 10, r->state_by);
	st->ops->bind_text(s, 11, r->note);
	if (r->suppressed_until > 0)
		st->ops->bind_int(s, 12, r->suppressed_until);
	else
		st->ops->bind_text(s, 12, NULL);
	rc = st->ops->step(s, &row, eb);
	if (!rc)
		*id = sw__store_inserted_id(st, s, row);
	sw__store_q_done(st, s);
	if (rc == SW_EINUSE)
		return sw_errf(eb, rc, "no site %lld", (long long)r->site_id);
	if (!rc)
		rc = sighting(st, *id, r->first_check_id, 1, eb);
	return rc;
}

enum sw_err sw_store_alert_seen(struct sw_store *st, int64_t id, int64_t check_id, int64_t at,
				const char *severity, const char *title, const char *evidence,
				const char *state, int64_t until, struct sw_errbuf *eb)
{
	static const char seen[] =
		"UPDATE alerts SET count = count + 1, last_seen = ?2, "
		"last_check_id = COALESCE(?3, last_check_id), severity = ?4, title = ?5, "
		"evidence = ?6 WHERE id = ?1";
	static const char seen_state[] =
		"UPDATE alerts SET count = count + 1, last_seen = ?2, "
		"last_check_id = COALESCE(?3, last_check_id), severity = ?4, title = ?5, "
		"evidence = ?6, state = ?7, state_at = ?2, "
		"suppressed_until = ?8, state_by = ?9, note = NULL WHERE id = ?1";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, state ? seen_state : seen, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, id);
	st->ops->bind_int(s, 2, at);
	if (check_id > 0)
		st->ops->bind_int(s, 3, check_id);
	else
		st->ops->bind_text(s, 3, NULL); /* an event: the last check stays */
	st->ops->bind_text(s, 4, severity);
	st->ops->bind_text(s, 5, title);
	st->ops->bind_text(s, 6, evidence);
	if (state) {
		st->ops->bind_text(s, 7, state);
		if (until > 0)
			st->ops->bind_int(s, 8, until);
		else
			st->ops->bind_text(s, 8, NULL);
		st->ops->bind_text(s, 9, until > 0 ? "silence" : NULL);
	}
	rc = sw__store_run(st, s, eb);
	sw__store_q_done(st, s);
	if (!rc)
		rc = sighting(st, id, check_id, state != NULL, eb);
	return rc;
}

enum sw_err sw_store_alert_set_state(struct sw_store *st, int64_t id, const char *state,
				     int64_t at, const char *by, const char *note, int64_t until,
				     struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE alerts SET state = ?2, state_at = ?3, state_by = ?4, "
				  "note = ?5, suppressed_until = ?6 WHERE id = ?1";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, id);
	st->ops->bind_text(s, 2, state);
	st->ops->bind_int(s, 3, at);
	st->ops->bind_text(s, 4, by);
	st->ops->bind_text(s, 5, note);
	if (until > 0)
		st->ops->bind_int(s, 6, until);
	else
		st->ops->bind_text(s, 6, NULL);
	rc = sw__store_run(st, s, eb);
	sw__store_q_done(st, s);
	if (!rc && st->ops->changes(st->db) == 0)
		return sw_errf(eb, SW_ENOTFOUND, "no alert %lld", (long long)id);
	return rc;
}

enum sw_err sw_store_alert_unresolved(struct sw_store *st, int64_t site_id,
				      int (*cb)(void *arg, const struct sw_alert_row *a),
				      void *arg, struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT " ACOLS " FROM alerts a JOIN sites x ON x.id = a.site_id "
				  "WHERE a.site_id = ?1 AND a.state <> 'resolved' ORDER BY a.id";
	struct sw_stmt *s;
	enum sw_err rc;
	int n = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	rc = walk(st, s, cb, arg, &n, eb);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_alert_get(struct sw_store *st, int64_t id,
			       int (*cb)(void *arg, const struct sw_alert_row *a), void *arg,
			       struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT " ACOLS " FROM alerts a JOIN sites x ON x.id = a.site_id "
				  "WHERE a.id = ?1";
	struct sw_stmt *s;
	enum sw_err rc;
	int n = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, id);
	rc = walk(st, s, cb, arg, &n, eb);
	sw__store_q_done(st, s);
	if (!rc && !n)
		return sw_errf(eb, SW_ENOTFOUND, "no alert %lld", (long long)id);
	return rc;
}

/* The WHERE of a list after the scope (?1..?5): every filter is a
 * parameter that disables itself when empty, so one statement serves every
 * combination.  Severities are ranked by their position in the CASE. */
#define AFILT                                                                                  \
	" AND (CAST(?6 AS TEXT) IS NULL OR a.state = ?6 OR (?6 = 'active' AND a.state IN "      \
	"('open', 'acknowledged'))) AND (CAST(?7 AS BIGINT) = 0 OR a.site_id = ?7) AND "       \
	"(CAST(?8 AS TEXT) IS NULL OR a.kind = ?8 OR a.kind LIKE ?8 || '.%') AND "             \
	"(CASE a.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 "      \
	"WHEN 'low' THEN 1 ELSE 0 END) >= CAST(?9 AS BIGINT)"

/* The texts, with the scope of sites spliced in, are built once per
 * process: the statement cache keys on their address. */
static char list_sql[SW_SQL_MAX], count_sql[SW_SQL_MAX], visible_sql[SW_SQL_MAX];
static pthread_once_t built = PTHREAD_ONCE_INIT;

static void build(void)
{
	const char *from = " FROM alerts a JOIN sites x ON x.id = a.site_id";

	sw__sql_cat(list_sql, "SELECT " ACOLS "%s%s WHERE %s%s"
		    " ORDER BY a.last_seen DESC, a.id DESC LIMIT ?10 OFFSET ?11", from,
		    sw__scope_join(SW_ENT_SITE), sw__scope_sql(SW_ENT_SITE), AFILT);
	sw__sql_cat(count_sql, "SELECT COUNT(*)%s%s WHERE %s%s", from,
		    sw__scope_join(SW_ENT_SITE), sw__scope_sql(SW_ENT_SITE), AFILT);
	sw__sql_cat(visible_sql, "SELECT 1 FROM sites x%s WHERE x.id = ?6 AND %s",
		    sw__scope_join(SW_ENT_SITE), sw__scope_sql(SW_ENT_SITE));
}

/* Binds the scope and the filter parameters 6-9 of AFILT. */
static enum sw_err bind_filter(struct sw_store *st, struct sw_stmt *s,
			       const struct sw_alert_filter *f, struct sw__scope_vals *sv,
			       struct sw_errbuf *eb)
{
	static const char *const sev[] = {"info", "low", "medium", "high", "critical"};
	int64_t min = 0;

	for (int i = 0; f->severity && i < 5; i++)
		if (!strcmp(f->severity, sev[i]))
			min = i;
	st->ops->bind_text(s, 6, f->state && *f->state ? f->state : NULL);
	st->ops->bind_int(s, 7, f->site_id);
	st->ops->bind_text(s, 8, f->kind && *f->kind ? f->kind : NULL);
	st->ops->bind_int(s, 9, min);
	return sw__scope_bind(st, s, f->acc, sv, eb);
}

enum sw_err sw_store_alert_list(struct sw_store *st, const struct sw_alert_filter *f,
				int (*cb)(void *arg, const struct sw_alert_row *a), void *arg,
				int64_t *total, struct sw_errbuf *eb)
{
	struct sw_alert_filter none = {0};
	struct sw__scope_vals sv;
	struct sw_stmt *s;
	enum sw_err rc;
	int n = 0, row = 0;

	pthread_once(&built, build);
	if (!f)
		f = &none;
	if (total) {
		if ((rc = sw__store_q(st, count_sql, &s, eb)))
			return rc;
		if (!(rc = bind_filter(st, s, f, &sv, eb)))
			rc = st->ops->step(s, &row, eb);
		*total = !rc && row ? st->ops->col_int(s, 0) : 0;
		sw__store_q_done(st, s);
		if (rc)
			return rc;
	}
	if ((rc = sw__store_q(st, list_sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 10, f->limit > 0 ? f->limit : INT64_MAX);
	st->ops->bind_int(s, 11, f->offset > 0 ? f->offset : 0);
	if (!(rc = bind_filter(st, s, f, &sv, eb)))
		rc = walk(st, s, cb, arg, &n, eb);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_site_visible(struct sw_store *st, const struct sw_access *acc,
				  int64_t site_id, int *visible, struct sw_errbuf *eb)
{
	struct sw__scope_vals sv;
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*visible = 0;
	pthread_once(&built, build);
	if ((rc = sw__store_q(st, visible_sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 6, site_id);
	if (!(rc = sw__scope_bind(st, s, acc, &sv, eb)))
		rc = st->ops->step(s, &row, eb);
	*visible = !rc && row;
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_alert_checks(struct sw_store *st, int64_t id,
				  int (*cb)(void *arg, int64_t check_id), void *arg,
				  struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT check_id FROM alert_checks WHERE alert_id = ?1 UNION "
				  "SELECT last_check_id FROM alerts WHERE id = ?1 AND last_check_id "
				  "IS NOT NULL ORDER BY 1";
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, id);
	while (!(rc = st->ops->step(s, &row, eb)) && row)
		if (cb(arg, st->ops->col_int(s, 0)))
			break;
	sw__store_q_done(st, s);
	return rc;
}

/* ---- silences ---- */

enum sw_err sw_store_silence_add(struct sw_store *st, const struct sw_silence_row *r,
				 int64_t *id, struct sw_errbuf *eb)
{
	static const char ins[] = "INSERT INTO alert_silences (scope, scope_id, what, family, "
				  "starts_at, ends_at, reason, created_by, created_at) VALUES (?1, "
				  "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	static const char ins_ret[] = "INSERT INTO alert_silences (scope, scope_id, what, family, "
				      "starts_at, ends_at, reason, created_by, created_at) VALUES "
				      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*id = 0;
	if (r->ends_at && r->ends_at <= r->starts_at)
		return sw_errf_field(eb, SW_EINVAL, "until", "a silence must end after it starts");
	if ((rc = sw__store_q(st, st->ops->last_id ? ins : ins_ret, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, r->scope);
	st->ops->bind_int(s, 2, r->scope_id);
	st->ops->bind_text(s, 3, r->what);
	st->ops->bind_text(s, 4, r->family);
	st->ops->bind_int(s, 5, r->starts_at);
	if (r->ends_at)
		st->ops->bind_int(s, 6, r->ends_at);
	else
		st->ops->bind_text(s, 6, NULL);
	st->ops->bind_text(s, 7, r->reason);
	st->ops->bind_text(s, 8, r->created_by);
	st->ops->bind_int(s, 9, r->created_at);
	rc = st->ops->step(s, &row, eb);
	if (!rc)
		*id = sw__store_inserted_id(st, s, row);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_silence_remove(struct sw_store *st, int64_t id, struct sw_errbuf *eb)
{
	static const char sql[] = "DELETE FROM alert_silences WHERE id = ?1";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, id);
	rc = sw__store_run(st, s, eb);
	sw__store_q_done(st, s);
	if (!rc && st->ops->changes(st->db) == 0)
		return sw_errf(eb, SW_ENOTFOUND, "no silence %lld", (long long)id);
	return rc;
}

enum sw_err sw_store_silence_list(struct sw_store *st, int64_t now,
				  int (*cb)(void *arg, const struct sw_silence_row *r), void *arg,
				  struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT id, scope, scope_id, what, family, starts_at, ends_at, "
				  "reason, created_by, created_at FROM alert_silences WHERE "
				  "CAST(?1 AS BIGINT) = 0 OR ends_at IS NULL OR ends_at > ?1 "
				  "ORDER BY id";
	const struct sw_store_ops *o = st->ops;
	struct sw_silence_row r;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	o->bind_int(s, 1, now);
	while (!(rc = o->step(s, &row, eb)) && row) {
		r = (struct sw_silence_row){o->col_int(s, 0), o->col_text(s, 1), o->col_int(s, 2),
					    o->col_text(s, 3), o->col_text(s, 4), o->col_int(s, 5),
					    o->col_int(s, 6), o->col_text(s, 7), o->col_text(s, 8),
					    o->col_int(s, 9)};
		if (cb(arg, &r))
			break;
	}
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_silenced(struct sw_store *st, int64_t site_id, int64_t group_id,
			      const char *family, int64_t now, int64_t *until,
			      struct sw_errbuf *eb)
{
	/* An open-ended silence sorts last by COALESCE to the largest int. */
	static const char sql[] =
		"SELECT MAX(COALESCE(ends_at, 9223372036854775807)) FROM alert_silences WHERE "
		"((scope = 'site' AND scope_id = ?1) OR (scope = 'group' AND scope_id = ?2)) AND "
		"(family IS NULL OR family = ?3) AND starts_at <= ?4 AND "
		"(ends_at IS NULL OR ends_at > ?4)";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*until = 0;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, group_id > 0 ? group_id : -1);
	st->ops->bind_text(s, 3, family ? family : "");
	st->ops->bind_int(s, 4, now);
	if (!(rc = st->ops->step(s, &row, eb)) && row && !st->ops->col_null(s, 0))
		*until = st->ops->col_int(s, 0);
	sw__store_q_done(st, s);
	return rc;
}

/* In this file rather than incident.c: it reads alert rows. */
enum sw_err sw_store_incident_alerts(struct sw_store *st, int64_t id,
				     int (*cb)(void *arg, const struct sw_alert_row *a), void *arg,
				     struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT " ACOLS " FROM incident_alerts ia JOIN alerts a ON "
				  "a.id = ia.alert_id JOIN sites x ON x.id = a.site_id WHERE "
				  "ia.incident_id = ?1 ORDER BY a.id";
	struct sw_stmt *s;
	enum sw_err rc;
	int n = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, id);
	rc = walk(st, s, cb, arg, &n, eb);
	sw__store_q_done(st, s);
	return rc;
}
