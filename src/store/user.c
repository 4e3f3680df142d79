/*
 * user.c - accounts, sessions and API tokens in the store (migration
 * 0005).  Statements are cached by their text's address (sw__store_q):
 * the session lookup runs on every request.  A disabled user matches no
 * session or token lookup, so disabling takes effect on the next request
 * even before its sessions are deleted.
 */
#include "store/user.h"

#include <stdio.h>
#include <string.h>

#include "store/backend.h"

#define UCOLS "u.id, u.name, u.role, u.region, u.dept_id, u.unit_id, u.disabled, " \
	      "u.pw_hash, u.created_at, u.updated_at"

/* Copies src (NULL: "") into dst of n bytes, cut to fit. */
static void cpy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/* Fills u from columns first.. of s in UCOLS order. */
static void read_user(struct sw_store *st, struct sw_stmt *s, int first, struct sw_user_row *u)
{
	memset(u, 0, sizeof *u);
	u->id = st->ops->col_int(s, first);
	cpy(u->name, sizeof u->name, st->ops->col_text(s, first + 1));
	cpy(u->role, sizeof u->role, st->ops->col_text(s, first + 2));
	cpy(u->region, sizeof u->region, st->ops->col_text(s, first + 3));
	u->dept_id = st->ops->col_int(s, first + 4);
	u->unit_id = st->ops->col_int(s, first + 5);
	u->disabled = (int)st->ops->col_int(s, first + 6);
	cpy(u->pw_hash, sizeof u->pw_hash, st->ops->col_text(s, first + 7));
	u->created_at = st->ops->col_int(s, first + 8);
	u->updated_at = st->ops->col_int(s, first + 9);
}

/* Binds an id, NULL when 0. */
static void bind_id(struct sw_store *st, struct sw_stmt *s, int i, int64_t v)
{
	if (v)
		st->ops->bind_int(s, i, v);
	else
		st->ops->bind_text(s, i, NULL);
}

enum sw_err sw_store_user_add(struct sw_store *st, const struct sw_user_row *u, int64_t *id,
			      struct sw_errbuf *eb)
{
	static const char ins[] = "INSERT INTO users (name, pw_hash, role, region, dept_id, "
				  "unit_id, disabled, created_at, updated_at) "
				  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)";
	static const char ins_ret[] = "INSERT INTO users (name, pw_hash, role, region, dept_id, "
				      "unit_id, disabled, created_at, updated_at) "
				      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*id = 0;
	if ((rc = sw__store_q(st, st->ops->last_id ? ins : ins_ret, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, u->name);
	st->ops->bind_text(s, 2, u->pw_hash);
	st->ops->bind_text(s, 3, u->role);
	st->ops->bind_text(s, 4, u->region[0] ? u->region : NULL);
	bind_id(st, s, 5, u->dept_id);
	bind_id(st, s, 6, u->unit_id);
	st->ops->bind_int(s, 7, u->disabled ? 1 : 0);
	st->ops->bind_int(s, 8, (int64_t)time(NULL));
	rc = st->ops->step(s, &row, eb);
	if (!rc)
		*id = sw__store_inserted_id(st, s, row);
	sw__store_q_done(st, s);
	if (rc == SW_EEXIST)
		return sw_errf_replace(eb, rc, "a user called '%s' exists", u->name);
	if (rc == SW_EINUSE)
		return sw_errf_replace(eb, rc, "the department or unit named does not exist");
	return rc;
}

enum sw_err sw_store_user_update(struct sw_store *st, const struct sw_user_row *u,
				 struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE users SET role = ?2, region = ?3, dept_id = ?4, "
				  "unit_id = ?5, disabled = ?6, pw_hash = ?7, updated_at = ?8 "
				  "WHERE id = ?1";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, u->id);
	st->ops->bind_text(s, 2, u->role);
	st->ops->bind_text(s, 3, u->region[0] ? u->region : NULL);
	bind_id(st, s, 4, u->dept_id);
	bind_id(st, s, 5, u->unit_id);
	st->ops->bind_int(s, 6, u->disabled ? 1 : 0);
	st->ops->bind_text(s, 7, u->pw_hash);
	st->ops->bind_int(s, 8, (int64_t)time(NULL));
	rc = st->ops->step(s, &row, eb);
	sw__store_q_done(st, s);
	if (rc == SW_EINUSE)
		return sw_errf_replace(eb, rc, "the department or unit named does not exist");
	if (!rc && st->ops->changes(st->db) == 0)
		return sw_errf(eb, SW_ENOTFOUND, "no user %lld", (long long)u->id);
	return rc;
}

/* Runs sql (UCOLS of one user, one text or integer parameter) into *out. */
static enum sw_err get_one(struct sw_store *st, const char *sql, const char *text, int64_t v,
			   struct sw_user_row *out, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	if (text)
		st->ops->bind_text(s, 1, text);
	else
		st->ops->bind_int(s, 1, v);
	if (!(rc = st->ops->step(s, &row, eb)) && row)
		read_user(st, s, 0, out);
	sw__store_q_done(st, s);
	if (!rc && !row)
		return sw_errf(eb, SW_ENOTFOUND, "no such user");
	return rc;
}

enum sw_err sw_store_user_get(struct sw_store *st, int64_t id, struct sw_user_row *out,
			      struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT " UCOLS " FROM users u WHERE u.id = ?1";
	return get_one(st, sql, NULL, id, out, eb);
}

enum sw_err sw_store_user_by_name(struct sw_store *st, const char *name,
				  struct sw_user_row *out, struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT " UCOLS " FROM users u WHERE u.name = ?1";
	return get_one(st, sql, name ? name : "", 0, out, eb);
}

enum sw_err sw_store_user_list(struct sw_store *st, int64_t limit, int64_t offset,
			       int (*cb)(void *arg, const struct sw_user_row *u), void *arg,
			       struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT " UCOLS " FROM users u ORDER BY u.id LIMIT ?1 OFFSET ?2";
	struct sw_user_row u;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, limit > 0 ? limit : INT64_MAX);
	st->ops->bind_int(s, 2, offset > 0 ? offset : 0);
	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		read_user(st, s, 0, &u);
		u.pw_hash[0] = '\0';
		if (cb(arg, &u))
			break;
	}
	sw__store_q_done(st, s);
	return rc;
}

/* Runs a one-integer-answer query with up to one integer parameter. */
static enum sw_err one_int(struct sw_store *st, const char *sql, int nparams, int64_t p,
			   int64_t *n, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*n = 0;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	if (nparams)
		st->ops->bind_int(s, 1, p);
	if (!(rc = st->ops->step(s, &row, eb)) && row)
		*n = st->ops->col_int(s, 0);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_user_count(struct sw_store *st, int64_t *n, struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT COUNT(*) FROM users";
	return one_int(st, sql, 0, 0, n, eb);
}

enum sw_err sw_store_session_add(struct sw_store *st, const char *id_hash, int64_t user_id,
				 const char *csrf, int64_t now, int64_t expires_at,
				 const char *remote, struct sw_errbuf *eb)
{
	static const char sql[] = "INSERT INTO sessions (id_hash, user_id, csrf, created_at, "
				  "expires_at, remote) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, id_hash);
	st->ops->bind_int(s, 2, user_id);
	st->ops->bind_text(s, 3, csrf);
	st->ops->bind_int(s, 4, now);
	st->ops->bind_int(s, 5, expires_at);
	st->ops->bind_text(s, 6, remote);
	rc = st->ops->step(s, &row, eb);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_session_user(struct sw_store *st, const char *id_hash, int64_t now,
				  struct sw_user_row *u, char csrf[65], struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT s.csrf, " UCOLS " FROM sessions s "
				  "JOIN users u ON u.id = s.user_id "
				  "WHERE s.id_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, id_hash);
	st->ops->bind_int(s, 2, now);
	if (!(rc = st->ops->step(s, &row, eb)) && row) {
		cpy(csrf, 65, st->ops->col_text(s, 0));
		read_user(st, s, 1, u);
	}
	sw__store_q_done(st, s);
	if (!rc && !row)
		return sw_errf(eb, SW_ENOTFOUND, "no such session");
	return rc;
}

/* Runs a statement with one text or integer parameter and no rows. */
static enum sw_err exec1(struct sw_store *st, const char *sql, const char *text, int64_t v,
			 struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	if (text)
		st->ops->bind_text(s, 1, text);
	else
		st->ops->bind_int(s, 1, v);
	rc = st->ops->step(s, &row, eb);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_session_del(struct sw_store *st, const char *id_hash,
				 struct sw_errbuf *eb)
{
	static const char sql[] = "DELETE FROM sessions WHERE id_hash = ?1";
	return exec1(st, sql, id_hash ? id_hash : "", 0, eb);
}

enum sw_err sw_store_sessions_end_user(struct sw_store *st, int64_t user_id, const char *keep,
				       struct sw_errbuf *eb)
{
	static const char sql[] = "DELETE FROM sessions WHERE user_id = ?1 AND id_hash <> ?2";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, user_id);
	st->ops->bind_text(s, 2, keep ? keep : "");
	rc = st->ops->step(s, &row, eb);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_sessions_prune(struct sw_store *st, int64_t now, struct sw_errbuf *eb)
{
	static const char sql[] = "DELETE FROM sessions WHERE expires_at <= ?1";
	return exec1(st, sql, NULL, now, eb);
}

enum sw_err sw_store_token_add(struct sw_store *st, int64_t user_id, const char *name,
			       const char *token_hash, int64_t now, int64_t *id,
			       struct sw_errbuf *eb)
{
	static const char ins[] = "INSERT INTO api_tokens (user_id, name, token_hash, created_at) "
				  "VALUES (?1, ?2, ?3, ?4)";
	static const char ins_ret[] = "INSERT INTO api_tokens (user_id, name, token_hash, "
				      "created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*id = 0;
	if ((rc = sw__store_q(st, st->ops->last_id ? ins : ins_ret, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, user_id);
	st->ops->bind_text(s, 2, name);
	st->ops->bind_text(s, 3, token_hash);
	st->ops->bind_int(s, 4, now);
	rc = st->ops->step(s, &row, eb);
	if (!rc)
		*id = sw__store_inserted_id(st, s, row);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_token_user(struct sw_store *st, const char *token_hash,
				struct sw_user_row *u, struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT " UCOLS " FROM api_tokens t "
				  "JOIN users u ON u.id = t.user_id "
				  "WHERE t.token_hash = ?1 AND u.disabled = 0";
	return get_one(st, sql, token_hash ? token_hash : "", 0, u, eb);
}
