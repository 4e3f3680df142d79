/*
 * agent.c - enrolled agents, their events and findings (agent.h).
 *
 * Events are keyed by (agent_id, seq) with INSERT ... ON CONFLICT DO
 * NOTHING (SQLite and PostgreSQL both), so a re-sent batch counts once.
 * The acknowledged sequence walks forward over the held events in pages
 * of AK_PAGE; a gap stops it, and the agent re-sends from there.
 */
#include "store/agent.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "store/backend.h"
#include "store/scope.h"

#define ACOLS "a.id, a.name, a.site_id, x.name, a.token_hash, a.hmac_key, a.created_at, " \
	      "a.ack_seq, a.last_hb, a.hb_interval, a.silent_since, a.heartbeat"
#define AK_PAGE 1000

static void cpy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/* Fills a from the current row of s (ACOLS). */
static void read_agent(struct sw_store *st, struct sw_stmt *s, struct sw_agent_row *a)
{
	memset(a, 0, sizeof *a);
	a->id = st->ops->col_int(s, 0);
	cpy(a->name, sizeof a->name, st->ops->col_text(s, 1));
	a->site_id = st->ops->col_int(s, 2);
	cpy(a->site_name, sizeof a->site_name, st->ops->col_text(s, 3));
	cpy(a->token_hash, sizeof a->token_hash, st->ops->col_text(s, 4));
	cpy(a->hmac_key, sizeof a->hmac_key, st->ops->col_text(s, 5));
	a->created_at = st->ops->col_int(s, 6);
	a->ack_seq = st->ops->col_null(s, 7) ? -1 : st->ops->col_int(s, 7);
	a->last_hb = st->ops->col_int(s, 8);
	a->hb_interval = st->ops->col_int(s, 9);
	a->silent_since = st->ops->col_int(s, 10);
	a->heartbeat = st->ops->col_text(s, 11);
}

enum sw_err sw_store_agent_add(struct sw_store *st, const char *name, int64_t site_id,
			       const char *token_hash, const char *hmac_key, int64_t *id,
			       struct sw_errbuf *eb)
{
	static const char ins[] = "INSERT INTO agents (name, site_id, token_hash, hmac_key, "
				  "created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
	static const char ins_ret[] = "INSERT INTO agents (name, site_id, token_hash, hmac_key, "
				      "created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*id = 0;
	if (!token_hash && !hmac_key)
		return sw_errf(eb, SW_EINVAL, "an agent needs a token or an HMAC key");
	if ((rc = sw__store_q(st, st->ops->last_id ? ins : ins_ret, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, name);
	st->ops->bind_int(s, 2, site_id);
	st->ops->bind_text(s, 3, token_hash);
	st->ops->bind_text(s, 4, hmac_key);
	st->ops->bind_int(s, 5, (int64_t)time(NULL));
	rc = st->ops->step(s, &row, eb);
	if (!rc)
		*id = sw__store_inserted_id(st, s, row);
	sw__store_q_done(st, s);
	if (rc == SW_EEXIST)
		return sw_errf_replace(eb, rc, "an agent called '%s' exists", name);
	if (rc == SW_EINUSE)
		return sw_errf_replace(eb, rc, "no site %lld", (long long)site_id);
	return rc;
}

enum sw_err sw_store_agent_by_name(struct sw_store *st, const char *name,
				   struct sw_agent_row *out, struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT " ACOLS " FROM agents a JOIN sites x ON x.id = a.site_id "
				  "WHERE a.name = ?1";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, name);
	if (!(rc = st->ops->step(s, &row, eb)) && row) {
		read_agent(st, s, out);
		out->heartbeat = NULL; /* not valid past this call */
	}
	sw__store_q_done(st, s);
	if (!rc && !row)
		return sw_errf(eb, SW_ENOTFOUND, "no agent called '%s'", name);
	return rc;
}

/* The agent list under a scope, built once per process (the statement
 * cache keys on the text's address): agents are visible with their site. */
static char list_sql[SW_SQL_MAX];
static pthread_once_t list_once = PTHREAD_ONCE_INIT;

static void list_build(void)
{
	sw__sql_cat(list_sql, "SELECT " ACOLS " FROM agents a JOIN sites x ON x.id = a.site_id%s "
		    "WHERE (?%d = 0 OR a.site_id = ?%d) AND %s ORDER BY a.id",
		    sw__scope_join(SW_ENT_SITE), SW_SCOPE_NPARAMS + 1, SW_SCOPE_NPARAMS + 1,
		    sw__scope_sql(SW_ENT_SITE));
}

enum sw_err sw_store_agent_list(struct sw_store *st, int64_t site_id,
				const struct sw_access *acc,
				int (*cb)(void *arg, const struct sw_agent_row *a), void *arg,
				struct sw_errbuf *eb)
{
	struct sw__scope_vals v;
	struct sw_agent_row a;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	pthread_once(&list_once, list_build);
	if ((rc = sw__store_q(st, list_sql, &s, eb)))
		return rc;
	if (!(rc = sw__scope_bind(st, s, acc, &v, eb))) {
		st->ops->bind_int(s, SW_SCOPE_NPARAMS + 1, site_id);
		while (!(rc = st->ops->step(s, &row, eb)) && row) {
			read_agent(st, s, &a);
			if (cb(arg, &a))
				break;
		}
	}
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_agent_event_put(struct sw_store *st, int64_t agent_id, int64_t seq,
				     const char *kind, const char *time, int64_t now,
				     const char *body, int *added, struct sw_errbuf *eb)
{
	static const char sql[] = "INSERT INTO agent_events (agent_id, seq, kind, time, "
				  "received_at, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
				  "ON CONFLICT (agent_id, seq) DO NOTHING";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*added = 0;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, agent_id);
	st->ops->bind_int(s, 2, seq);
	st->ops->bind_text(s, 3, kind);
	st->ops->bind_text(s, 4, time);
	st->ops->bind_int(s, 5, now);
	st->ops->bind_text(s, 6, body);
	rc = st->ops->step(s, &row, eb);
	if (!rc)
		*added = st->ops->changes(st->db) > 0;
	sw__store_q_done(st, s);
	return rc;
}

/* Reads the agent's acknowledged sequence (-1: none). */
static enum sw_err ack_get(struct sw_store *st, int64_t agent_id, int64_t *ack,
			   struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT ack_seq FROM agents WHERE id = ?1";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*ack = -1;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, agent_id);
	if (!(rc = st->ops->step(s, &row, eb)) && row && !st->ops->col_null(s, 0))
		*ack = st->ops->col_int(s, 0);
	sw__store_q_done(st, s);
	if (!rc && !row)
		return sw_errf(eb, SW_ENOTFOUND, "no agent %lld", (long long)agent_id);
	return rc;
}

/* Advances *ack over held events; *more is set when a full page was
 * contiguous (the caller asks again). */
static enum sw_err ack_walk(struct sw_store *st, int64_t agent_id, int64_t *ack, int *more,
			    struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT seq FROM agent_events WHERE agent_id = ?1 AND seq > ?2 "
				  "ORDER BY seq LIMIT 1000";
	struct sw_stmt *s;
	enum sw_err rc;
	int row, n = 0, gap = 0;

	*more = 0;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, agent_id);
	st->ops->bind_int(s, 2, *ack);
	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		int64_t seq = st->ops->col_int(s, 0);
		n++;
		if (seq != *ack + 1) {
			gap = 1;
			break;
		}
		*ack = seq;
	}
	sw__store_q_done(st, s);
	*more = !rc && !gap && n == AK_PAGE;
	return rc;
}

enum sw_err sw_store_agent_ack(struct sw_store *st, int64_t agent_id, int64_t first_seq,
			       int64_t *ack, struct sw_errbuf *eb)
{
	static const char upd[] = "UPDATE agents SET ack_seq = ?2 WHERE id = ?1";
	struct sw_stmt *s;
	enum sw_err rc;
	int64_t old;
	int more = 1, row = 0;

	if ((rc = ack_get(st, agent_id, ack, eb)))
		return rc;
	old = *ack;
	if (*ack < 0)
		*ack = first_seq > 0 ? first_seq - 1 : 0;
	/* Bounded: each page moves at least AK_PAGE forward or ends the walk;
	 * an agent holds far fewer than 2^40 events. */
	for (int i = 0; more && i < (1 << 20); i++)
		if ((rc = ack_walk(st, agent_id, ack, &more, eb)))
			return rc;
	if (*ack == old)
		return SW_OK;
	if ((rc = sw__store_q(st, upd, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, agent_id);
	st->ops->bind_int(s, 2, *ack);
	rc = st->ops->step(s, &row, eb);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_agent_event_count(struct sw_store *st, int64_t agent_id, int64_t *n,
				       struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT COUNT(*) FROM agent_events WHERE ?1 = 0 OR agent_id = ?1";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*n = 0;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, agent_id);
	if (!(rc = st->ops->step(s, &row, eb)) && row)
		*n = st->ops->col_int(s, 0);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_agent_heartbeat(struct sw_store *st, int64_t agent_id, int64_t now,
				     const char *body, struct sw_errbuf *eb)
{
	/* The gap is kept between 1 s and a day: a clock jump must not make
	 * an agent look silent for ever or never. */
	static const char sql[] = "UPDATE agents SET hb_interval = CASE WHEN last_hb IS NULL "
				  "THEN hb_interval WHEN ?2 - last_hb < 1 THEN 1 "
				  "WHEN ?2 - last_hb > 86400 THEN 86400 ELSE ?2 - last_hb END, "
				  "last_hb = ?2, heartbeat = ?3, silent_since = NULL WHERE id = ?1";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, agent_id);
	st->ops->bind_int(s, 2, now);
	st->ops->bind_text(s, 3, body);
	rc = st->ops->step(s, &row, eb);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_agent_set_silent(struct sw_store *st, int64_t agent_id, int64_t since,
				      struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE agents SET silent_since = ?2 WHERE id = ?1";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, agent_id);
	st->ops->bind_int(s, 2, since);
	rc = st->ops->step(s, &row, eb);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_agent_finding_add(struct sw_store *st, const struct sw_agent_finding_row *f,
				       struct sw_errbuf *eb)
{
	static const char sql[] = "INSERT INTO agent_findings (agent_id, site_id, seq, created_at, "
				  "kind, severity, title, evidence) "
				  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, f->agent_id);
	st->ops->bind_int(s, 2, f->site_id);
	st->ops->bind_int(s, 3, f->seq);
	st->ops->bind_int(s, 4, f->created_at);
	st->ops->bind_text(s, 5, f->kind);
	st->ops->bind_text(s, 6, f->severity);
	st->ops->bind_text(s, 7, f->title);
	st->ops->bind_text(s, 8, f->evidence);
	rc = st->ops->step(s, &row, eb);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_agent_findings(struct sw_store *st, int64_t site_id, int64_t agent_id,
				    int64_t limit,
				    int (*cb)(void *arg, const struct sw_agent_finding_row *f),
				    void *arg, struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT id, agent_id, site_id, seq, created_at, kind, severity, "
				  "title, evidence FROM agent_findings WHERE (?1 = 0 OR site_id = ?1) "
				  "AND (?3 = 0 OR agent_id = ?3) ORDER BY id DESC LIMIT ?2";
	struct sw_agent_finding_row f;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, limit > 0 ? limit : INT64_MAX);
	st->ops->bind_int(s, 3, agent_id);
	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		f.id = st->ops->col_int(s, 0);
		f.agent_id = st->ops->col_int(s, 1);
		f.site_id = st->ops->col_int(s, 2);
		f.seq = st->ops->col_int(s, 3);
		f.created_at = st->ops->col_int(s, 4);
		f.kind = st->ops->col_text(s, 5);
		f.severity = st->ops->col_text(s, 6);
		f.title = st->ops->col_text(s, 7);
		f.evidence = st->ops->col_text(s, 8);
		if (cb(arg, &f))
			break;
	}
	sw__store_q_done(st, s);
	return rc;
}
