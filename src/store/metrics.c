/*
 * metrics.c - see metrics.h.  "Checks made" is the highest check id, not
 * COUNT(*): ids only grow, so it is a true Prometheus counter that
 * retention pruning does not lower, and it costs one index probe.
 */
#include "store/metrics.h"

#include "store/backend.h"

const int64_t sw_metrics_bucket_ms[SW_METRICS_BUCKETS] = {100, 250, 500, 1000, 2500, 5000,
							  10000, 30000};

/* Runs sql (up to two integer parameters) and copies the first row's
 * first n columns into out. */
static enum sw_err row_ints(struct sw_store *st, const char *sql, int np, int64_t p1,
			    int64_t p2, int64_t *out, int n, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	for (int i = 0; i < n; i++)
		out[i] = 0;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	if (np > 0)
		st->ops->bind_int(s, 1, p1);
	if (np > 1)
		st->ops->bind_int(s, 2, p2);
	if (!(rc = st->ops->step(s, &row, eb)) && row)
		for (int i = 0; i < n; i++)
			out[i] = st->ops->col_int(s, i);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_metrics_get(struct sw_store *st, int64_t now, int64_t window,
				 struct sw_store_metrics *m, struct sw_errbuf *eb)
{
	static const char q_checks[] = "SELECT COALESCE(MAX(id), 0) FROM checks";
	static const char q_sites[] = "SELECT (SELECT COUNT(*) FROM sites), "
				      "(SELECT COUNT(*) FROM site_state WHERE up = 0)";
	static const char q_due[] = "SELECT COUNT(*), COALESCE(SUM(CASE WHEN next_due <= ?1 "
				    "THEN 1 ELSE 0 END), 0) FROM site_schedule";
	static const char q_lat[] =
		"SELECT COUNT(*), COALESCE(SUM(total_ms), 0), "
		"COALESCE(SUM(CASE WHEN total_ms <= 100 THEN 1 ELSE 0 END), 0), "
		"COALESCE(SUM(CASE WHEN total_ms <= 250 THEN 1 ELSE 0 END), 0), "
		"COALESCE(SUM(CASE WHEN total_ms <= 500 THEN 1 ELSE 0 END), 0), "
		"COALESCE(SUM(CASE WHEN total_ms <= 1000 THEN 1 ELSE 0 END), 0), "
		"COALESCE(SUM(CASE WHEN total_ms <= 2500 THEN 1 ELSE 0 END), 0), "
		"COALESCE(SUM(CASE WHEN total_ms <= 5000 THEN 1 ELSE 0 END), 0), "
		"COALESCE(SUM(CASE WHEN total_ms <= 10000 THEN 1 ELSE 0 END), 0), "
		"COALESCE(SUM(CASE WHEN total_ms <= 30000 THEN 1 ELSE 0 END), 0) "
		"FROM checks WHERE checked_at >= ?1 AND checked_at <= ?2";
	static const char q_agents[] = "SELECT COUNT(*), COALESCE(SUM(CASE WHEN silent_since IS "
				       "NOT NULL THEN 1 ELSE 0 END), 0), "
				       "(SELECT COALESCE(MAX(id), 0) FROM agent_events) FROM agents";
	int64_t v[2 + SW_METRICS_BUCKETS], a[3], d[2], sv[2];
	enum sw_err rc;

	if ((rc = row_ints(st, q_checks, 0, 0, 0, &m->checks_total, 1, eb)) ||
	    (rc = row_ints(st, q_sites, 0, 0, 0, sv, 2, eb)) ||
	    (rc = row_ints(st, q_due, 1, now, 0, d, 2, eb)) ||
	    (rc = row_ints(st, q_lat, 2, now - window, now, v, 2 + SW_METRICS_BUCKETS, eb)) ||
	    (rc = row_ints(st, q_agents, 0, 0, 0, a, 3, eb)))
		return rc;
	m->sites = sv[0];
	m->sites_down = sv[1];
	m->scheduled = d[0];
	m->due = d[1];
	m->lat_count = v[0];
	m->lat_sum_ms = v[1];
	for (int i = 0; i < SW_METRICS_BUCKETS; i++)
		m->lat_le[i] = v[2 + i];
	m->agents = a[0];
	m->agents_silent = a[1];
	m->agent_events = a[2];
	return SW_OK;
}

enum sw_err sw_store_metrics_findings(struct sw_store *st,
				      int (*cb)(void *arg, const char *kind, int64_t n),
				      void *arg, struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT f.kind, COUNT(*) FROM site_state s "
				  "JOIN check_findings f ON f.check_id = s.last_check_id "
				  "GROUP BY f.kind ORDER BY f.kind";
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	while (!(rc = st->ops->step(s, &row, eb)) && row)
		if (cb(arg, st->ops->col_text(s, 0), st->ops->col_int(s, 1)))
			break;
	sw__store_q_done(st, s);
	return rc;
}
