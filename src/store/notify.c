/*
 * notify.c - channels and the notification outbox (migration 0006).
 *
 * Sends happen outside any transaction (they wait on the network), so a
 * message is claimed with a short lease first: two senders on one
 * PostgreSQL never both take it, and a sender that dies mid-send leaves it
 * due again when the lease runs out.  Marking sent only moves a queued row,
 * so it happens once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "store/notify.h"

/* Copies text column i of s into buf ("" for NULL). */
static void col_copy(struct sw_store *st, struct sw_stmt *s, int i, char *buf, size_t cap)
{
	const char *v = st->ops->col_text(s, i);

	snprintf(buf, cap, "%s", v ? v : "");
}

/* Binds text v, or NULL when v is empty. */
static void bind_opt(struct sw_store *st, struct sw_stmt *s, int i, const char *v)
{
	st->ops->bind_text(s, i, v && *v ? v : NULL);
}

enum sw_err sw_store_channel_add(struct sw_store *st, const struct sw_channel *c, int64_t *id,
				 struct sw_errbuf *eb)
{
	static const char ins[] = "INSERT INTO channels (name, kind, url, secret, recipients, "
				  "sender, scope, scope_id, min_severity, digest_after, enabled, "
				  "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
	static const char ins_ret[] = "INSERT INTO channels (name, kind, url, secret, recipients, "
				      "sender, scope, scope_id, min_severity, digest_after, enabled, "
				      "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
				      "?11, ?12) RETURNING id";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*id = 0;
	if ((rc = sw__store_q(st, st->ops->last_id ? ins : ins_ret, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, c->name);
	st->ops->bind_text(s, 2, c->kind);
	st->ops->bind_text(s, 3, c->url);
	bind_opt(st, s, 4, c->secret);
	bind_opt(st, s, 5, c->recipients);
	bind_opt(st, s, 6, c->sender);
	st->ops->bind_text(s, 7, c->scope);
	if (c->scope_id > 0)
		st->ops->bind_int(s, 8, c->scope_id);
	else
		st->ops->bind_text(s, 8, NULL);
	st->ops->bind_text(s, 9, c->min_severity);
	st->ops->bind_int(s, 10, c->digest_after);
	st->ops->bind_int(s, 11, c->enabled);
	st->ops->bind_int(s, 12, c->created_at);
	rc = st->ops->step(s, &row, eb);
	if (!rc)
		*id = sw__store_inserted_id(st, s, row);
	sw__store_q_done(st, s);
	if (rc == SW_EEXIST)
		return sw_errf_replace(eb, rc, "a channel named '%s' exists", c->name);
	return rc;
}

enum sw_err sw_store_channel_remove(struct sw_store *st, int64_t id, struct sw_errbuf *eb)
{
	static const char sql[] = "DELETE FROM channels WHERE id = ?1";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, id);
	rc = sw__store_run(st, s, eb);
	sw__store_q_done(st, s);
	if (!rc && st->ops->changes(st->db) == 0)
		return sw_errf(eb, SW_ENOTFOUND, "no channel %lld", (long long)id);
	return rc;
}

#define CCOLS                                                                          \
	"id, name, kind, url, secret, recipients, sender, scope, scope_id, min_severity, " \
	"digest_after, enabled, created_at"

/* Fills c from the row of s (columns CCOLS). */
static void read_channel(struct sw_store *st, struct sw_stmt *s, struct sw_channel *c)
{
	memset(c, 0, sizeof *c);
	c->id = st->ops->col_int(s, 0);
	col_copy(st, s, 1, c->name, sizeof c->name);
	col_copy(st, s, 2, c->kind, sizeof c->kind);
	col_copy(st, s, 3, c->url, sizeof c->url);
	col_copy(st, s, 4, c->secret, sizeof c->secret);
	col_copy(st, s, 5, c->recipients, sizeof c->recipients);
	col_copy(st, s, 6, c->sender, sizeof c->sender);
	col_copy(st, s, 7, c->scope, sizeof c->scope);
	c->scope_id = st->ops->col_int(s, 8);
	col_copy(st, s, 9, c->min_severity, sizeof c->min_severity);
	c->digest_after = st->ops->col_int(s, 10);
	c->enabled = (int)st->ops->col_int(s, 11);
	c->created_at = st->ops->col_int(s, 12);
}

enum sw_err sw_store_channel_find(struct sw_store *st, const char *ref, struct sw_channel *out,
				  struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT " CCOLS " FROM channels WHERE name = ?1 OR "
				  "CAST(id AS TEXT) = ?1 ORDER BY name = ?1 DESC LIMIT 1";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, ref);
	if (!(rc = st->ops->step(s, &row, eb)) && row)
		read_channel(st, s, out);
	sw__store_q_done(st, s);
	if (!rc && !row)
		return sw_errf(eb, SW_ENOTFOUND, "no channel '%s'", ref);
	return rc;
}

enum sw_err sw_store_channel_list(struct sw_store *st,
				  int (*cb)(void *arg, const struct sw_channel *c), void *arg,
				  struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT " CCOLS " FROM channels ORDER BY id";
	struct sw_channel c;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		read_channel(st, s, &c);
		if (cb(arg, &c))
			break;
	}
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_route_facts(struct sw_store *st, int64_t site_id,
				 struct sw_route_facts *out, struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT s.id, u.dept_id, s.group_id, g.dept_id, s.name, s.url "
				  "FROM sites s JOIN units u ON u.id = s.unit_id LEFT JOIN "
				  "site_groups g ON g.id = s.group_id WHERE s.id = ?1";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	memset(out, 0, sizeof *out);
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	if (!(rc = st->ops->step(s, &row, eb)) && row) {
		out->site_id = st->ops->col_int(s, 0);
		out->dept_id = st->ops->col_int(s, 1);
		out->group_id = st->ops->col_int(s, 2);
		out->group_dept_id = st->ops->col_int(s, 3);
		col_copy(st, s, 4, out->site_name, sizeof out->site_name);
		col_copy(st, s, 5, out->url, sizeof out->url);
	}
	sw__store_q_done(st, s);
	if (!rc && !row)
		return sw_errf(eb, SW_ENOTFOUND, "no site %lld", (long long)site_id);
	return rc;
}

enum sw_err sw_store_site_emails(struct sw_store *st, int64_t site_id,
				 int (*cb)(void *arg, const char *email), void *arg,
				 struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT DISTINCT p.email FROM site_persons sp JOIN persons p ON "
				  "p.id = sp.person_id WHERE sp.site_id = ?1 AND p.email IS NOT NULL "
				  "AND p.email <> '' ORDER BY p.email";
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	while (!(rc = st->ops->step(s, &row, eb)) && row)
		if (cb(arg, st->ops->col_text(s, 0)))
			break;
	sw__store_q_done(st, s);
	return rc;
}

/* Binds an id column: NULL for 0. */
static void bind_id(struct sw_store *st, struct sw_stmt *s, int i, int64_t v)
{
	if (v > 0)
		st->ops->bind_int(s, i, v);
	else
		st->ops->bind_text(s, i, NULL);
}

enum sw_err sw_store_notify_enqueue(struct sw_store *st, const struct sw_notify_msg *m,
				    int64_t *id, struct sw_errbuf *eb)
{
	static const char ins[] =
		"INSERT INTO notify_queue (channel_id, idem_key, event, alert_id, incident_id, "
		"site_id, severity, subject, body, recipients, state, attempts, next_at, created_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'queued', 0, ?11, ?12) "
		"ON CONFLICT (idem_key) DO NOTHING";
	static const char ins_ret[] =
		"INSERT INTO notify_queue (channel_id, idem_key, event, alert_id, incident_id, "
		"site_id, severity, subject, body, recipients, state, attempts, next_at, created_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'queued', 0, ?11, ?12) "
		"ON CONFLICT (idem_key) DO NOTHING RETURNING id";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*id = 0;
	if ((rc = sw__store_q(st, st->ops->last_id ? ins : ins_ret, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, m->channel_id);
	st->ops->bind_text(s, 2, m->idem_key);
	st->ops->bind_text(s, 3, m->event);
	bind_id(st, s, 4, m->alert_id);
	bind_id(st, s, 5, m->incident_id);
	bind_id(st, s, 6, m->site_id);
	st->ops->bind_text(s, 7, m->severity);
	st->ops->bind_text(s, 8, m->subject);
	st->ops->bind_text(s, 9, m->body);
	bind_opt(st, s, 10, m->recipients);
	st->ops->bind_int(s, 11, m->next_at);
	st->ops->bind_int(s, 12, m->created_at);
	rc = st->ops->step(s, &row, eb);
	if (!rc && st->ops->changes(st->db) > 0)
		*id = sw__store_inserted_id(st, s, row);
	sw__store_q_done(st, s);
	return rc;
}

#define QCOLS                                                                               \
	"id, channel_id, idem_key, event, alert_id, incident_id, site_id, severity, subject, " \
	"body, recipients, state, attempts, next_at, created_at, sent_at, last_error, digest_id"

/* Fills m from the row of s (columns QCOLS); strings borrowed. */
static void read_msg(struct sw_store *st, struct sw_stmt *s, struct sw_notify_msg *m)
{
	const struct sw_store_ops *o = st->ops;

	*m = (struct sw_notify_msg){
		o->col_int(s, 0),   o->col_int(s, 1),   o->col_text(s, 2),  o->col_text(s, 3),
		o->col_int(s, 4),   o->col_int(s, 5),   o->col_int(s, 6),   o->col_text(s, 7),
		o->col_text(s, 8),  o->col_text(s, 9),  o->col_text(s, 10), o->col_text(s, 11),
		o->col_int(s, 12),  o->col_int(s, 13),  o->col_int(s, 14),  o->col_int(s, 15),
		o->col_text(s, 16), o->col_int(s, 17),
	};
}

/* Walks the rows of s into cb until it says stop. */
static enum sw_err walk_msgs(struct sw_store *st, struct sw_stmt *s,
			     int (*cb)(void *arg, const struct sw_notify_msg *m), void *arg,
			     struct sw_errbuf *eb)
{
	struct sw_notify_msg m;
	enum sw_err rc;
	int row;

	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		read_msg(st, s, &m);
		if (cb(arg, &m))
			break;
	}
	return rc;
}

enum sw_err sw_store_notify_due(struct sw_store *st, int64_t channel_id, int64_t now,
				int64_t limit, int (*cb)(void *arg, const struct sw_notify_msg *m),
				void *arg, struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT " QCOLS " FROM notify_queue WHERE state = 'queued' AND "
				  "(CAST(?1 AS BIGINT) = 0 OR channel_id = ?1) AND "
				  "(CAST(?2 AS BIGINT) = 0 OR next_at <= ?2) ORDER BY id LIMIT ?3";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, channel_id);
	st->ops->bind_int(s, 2, now);
	st->ops->bind_int(s, 3, limit > 0 ? limit : INT64_MAX);
	rc = walk_msgs(st, s, cb, arg, eb);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_notify_counts(struct sw_store *st, int64_t channel_id, int64_t now,
				   int64_t since, int64_t *due, int64_t *sent,
				   struct sw_errbuf *eb)
{
	static const char sql[] =
		"SELECT COALESCE(SUM(CASE WHEN state = 'queued' AND next_at <= ?2 THEN 1 ELSE 0 END), 0), "
		"COALESCE(SUM(CASE WHEN state = 'sent' AND sent_at >= ?3 THEN 1 ELSE 0 END), 0) "
		"FROM notify_queue WHERE channel_id = ?1 AND (state = 'queued' OR sent_at >= ?3)";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*due = *sent = 0;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, channel_id);
	st->ops->bind_int(s, 2, now);
	st->ops->bind_int(s, 3, since);
	if (!(rc = st->ops->step(s, &row, eb)) && row) {
		*due = st->ops->col_int(s, 0);
		*sent = st->ops->col_int(s, 1);
	}
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_notify_claim(struct sw_store *st, int64_t id, int64_t now,
				  int64_t lease_until, int *got, struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE notify_queue SET next_at = ?3 WHERE id = ?1 AND "
				  "state = 'queued' AND next_at <= ?2";
	struct sw_stmt *s;
	enum sw_err rc;

	*got = 0;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, id);
	st->ops->bind_int(s, 2, now);
	st->ops->bind_int(s, 3, lease_until);
	rc = sw__store_run(st, s, eb);
	if (!rc)
		*got = st->ops->changes(st->db) == 1;
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_notify_sent(struct sw_store *st, int64_t id, int64_t now,
				 struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE notify_queue SET state = 'sent', sent_at = ?2, "
				  "attempts = attempts + 1, last_error = NULL WHERE id = ?1 AND "
				  "state = 'queued'";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, id);
	st->ops->bind_int(s, 2, now);
	rc = sw__store_run(st, s, eb);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_notify_retry(struct sw_store *st, int64_t id, int64_t next_at,
				  const char *error, struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE notify_queue SET attempts = attempts + 1, next_at = ?2, "
				  "last_error = ?3 WHERE id = ?1 AND state = 'queued'";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, id);
	st->ops->bind_int(s, 2, next_at);
	st->ops->bind_text(s, 3, error);
	rc = sw__store_run(st, s, eb);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_notify_digested(struct sw_store *st, int64_t channel_id, int64_t from,
				     int64_t to, int64_t digest_id, int64_t *n,
				     struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE notify_queue SET state = 'digested', digest_id = ?4 "
				  "WHERE channel_id = ?1 AND state = 'queued' AND id >= ?2 AND "
				  "id <= ?3 AND id <> ?4";
	struct sw_stmt *s;
	enum sw_err rc;

	*n = 0;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, channel_id);
	st->ops->bind_int(s, 2, from);
	st->ops->bind_int(s, 3, to);
	st->ops->bind_int(s, 4, digest_id);
	rc = sw__store_run(st, s, eb);
	if (!rc)
		*n = st->ops->changes(st->db);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_notify_list(struct sw_store *st, const char *state, int64_t limit,
				 int (*cb)(void *arg, const struct sw_notify_msg *m), void *arg,
				 struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT " QCOLS " FROM notify_queue WHERE "
				  "CAST(?1 AS TEXT) IS NULL OR state = ?1 ORDER BY id DESC LIMIT ?2";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	bind_opt(st, s, 1, state);
	st->ops->bind_int(s, 2, limit > 0 ? limit : INT64_MAX);
	rc = walk_msgs(st, s, cb, arg, eb);
	sw__store_q_done(st, s);
	return rc;
}
