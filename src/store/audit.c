/*
 * audit.c - appends to and reads the audit log (migration 0005).  Only
 * INSERT and SELECT exist here on purpose: see audit.h.
 */
#include "store/audit.h"

#include "store/backend.h"

enum sw_err sw_store_audit_add(struct sw_store *st, const struct sw_audit_row *r,
			       struct sw_errbuf *eb)
{
	static const char sql[] = "INSERT INTO audit_log (at, user_id, user_name, remote, method, "
				  "path, target, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, r->at);
	if (r->user_id)
		st->ops->bind_int(s, 2, r->user_id);
	else
		st->ops->bind_text(s, 2, NULL);
	st->ops->bind_text(s, 3, r->user_name ? r->user_name : "");
	st->ops->bind_text(s, 4, r->remote ? r->remote : "");
	st->ops->bind_text(s, 5, r->method ? r->method : "");
	st->ops->bind_text(s, 6, r->path ? r->path : "");
	st->ops->bind_text(s, 7, r->target);
	st->ops->bind_int(s, 8, r->status);
	rc = st->ops->step(s, &row, eb);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_audit_list(struct sw_store *st, int64_t limit, int64_t offset,
				int (*cb)(void *arg, const struct sw_audit_row *r), void *arg,
				struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT id, at, user_id, user_name, remote, method, path, "
				  "target, status FROM audit_log ORDER BY id DESC LIMIT ?1 OFFSET ?2";
	struct sw_audit_row r;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, limit > 0 ? limit : INT64_MAX);
	st->ops->bind_int(s, 2, offset > 0 ? offset : 0);
	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		r.id = st->ops->col_int(s, 0);
		r.at = st->ops->col_int(s, 1);
		r.user_id = st->ops->col_int(s, 2);
		r.user_name = st->ops->col_text(s, 3);
		r.remote = st->ops->col_text(s, 4);
		r.method = st->ops->col_text(s, 5);
		r.path = st->ops->col_text(s, 6);
		r.target = st->ops->col_text(s, 7);
		r.status = (int)st->ops->col_int(s, 8);
		if (cb(arg, &r))
			break;
	}
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_audit_count(struct sw_store *st, int64_t *n, struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT COUNT(*) FROM audit_log";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*n = 0;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	if (!(rc = st->ops->step(s, &row, eb)) && row)
		*n = st->ops->col_int(s, 0);
	sw__store_q_done(st, s);
	return rc;
}
