/*
 * node.c - the register of probe nodes (node.h, migration 0012).
 *
 * A node's share is counted from the checks it recorded (checks.node,
 * indexed with the time), not kept as a counter: a counter would need a
 * write per check on one hot row that every node updates.
 */
#include "store/node.h"

#include "store/backend.h"

enum sw_err sw_store_node_beat(struct sw_store *st, const char *name, const char *labels,
			       int64_t started_at, int64_t now, int64_t lease_s,
			       struct sw_errbuf *eb)
{
	static const char sql[] =
		"INSERT INTO probe_nodes (name, labels, started_at, heartbeat_at, lease_s) VALUES "
		"(?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO UPDATE SET labels = excluded.labels, "
		"started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, "
		"lease_s = excluded.lease_s";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, name);
	st->ops->bind_text(s, 2, labels ? labels : "");
	st->ops->bind_int(s, 3, started_at);
	st->ops->bind_int(s, 4, now);
	st->ops->bind_int(s, 5, lease_s);
	return sw__store_run_done(st, s, eb);
}

enum sw_err sw_store_node_list(struct sw_store *st, int64_t now,
			       int (*cb)(void *arg, const struct sw_node_row *n), void *arg,
			       struct sw_errbuf *eb)
{
	static const char sql[] =
		"SELECT n.name, n.labels, n.started_at, n.heartbeat_at, n.lease_s, (SELECT COUNT(*) "
		"FROM checks c WHERE c.node = n.name AND c.checked_at > ?1) FROM probe_nodes n "
		"ORDER BY n.name";
	struct sw_node_row r;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, now - 3600);
	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		int64_t dead_after;

		r.name = st->ops->col_text(s, 0);
		r.labels = st->ops->col_text(s, 1);
		r.started_at = st->ops->col_int(s, 2);
		r.heartbeat_at = st->ops->col_int(s, 3);
		r.lease_s = st->ops->col_int(s, 4);
		r.checks_hour = st->ops->col_int(s, 5);
		dead_after = 3 * r.lease_s > SW_NODE_DEAD_AFTER ? 3 * r.lease_s : SW_NODE_DEAD_AFTER;
		r.alive = now - r.heartbeat_at <= dead_after;
		if (cb(arg, &r))
			break;
	}
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_node_remove(struct sw_store *st, const char *name, struct sw_errbuf *eb)
{
	static const char sql[] = "DELETE FROM probe_nodes WHERE name = ?1";
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, name);
	if ((rc = sw__store_run_done(st, s, eb)))
		return rc;
	if (st->ops->changes(st->db) == 0)
		return sw_errf(eb, SW_ENOTFOUND, "no node named '%s'", name);
	return SW_OK;
}
