/*
 * compliance_stats.c - the bulk reads behind statistics and reports.
 *
 * Statistics group sites by region subtree, unit type, department subtree
 * and group, and every figure needs several tables; rather than one SQL
 * text per figure and dimension (and two dialects to keep equal), each
 * table is read once in site order and src/compliance/stats.c counts in
 * memory.  A register of 100,000 sites is a few megabytes of rows.
 */
#include "store/compliance_int.h"

enum sw_err sw_store_cmp_sites(struct sw_store *st, sw_cmp_row_cb cb, void *arg,
			       struct sw_errbuf *eb)
{
	return sw_store_cmp_sites_in(st, NULL, cb, arg, eb);
}

enum sw_err sw_store_cmp_open_findings(struct sw_store *st, sw_cmp_row_cb cb, void *arg,
				       struct sw_errbuf *eb)
{
	static const char sql[] =
		"SELECT st.site_id, f.kind, f.severity, f.title, f.check_id FROM site_state st "
		"JOIN check_findings f ON f.check_id = st.last_check_id ORDER BY st.site_id, f.id";

	return sw__cmp_run(st, sql, NULL, 0, SW_OF_CHECK + 1, cb, arg, NULL, eb);
}

enum sw_err sw_store_cmp_period_findings(struct sw_store *st, int64_t from, int64_t to,
					 sw_cmp_row_cb cb, void *arg, struct sw_errbuf *eb)
{
	/* The worst severity as a rank, named again by the caller: text
	 * order would put "medium" above "critical". */
	static const char sql[] =
		"SELECT c.site_id, f.kind, MAX(CASE f.severity WHEN 'critical' THEN 4 "
		"WHEN 'high' THEN 3 ELSE 2 END), MIN(c.checked_at), MAX(c.checked_at), "
		"MIN(f.title) FROM checks c JOIN check_findings f ON f.check_id = c.id "
		"WHERE c.checked_at >= ?1 AND c.checked_at < ?2 AND f.severity IN "
		"('medium', 'high', 'critical') GROUP BY c.site_id, f.kind "
		"ORDER BY c.site_id, f.kind";
	struct sw__cmp_arg a[] = {CA_I(from), CA_I(to)};

	return sw__cmp_run(st, sql, a, 2, SW_PF_TITLE + 1, cb, arg, NULL, eb);
}

enum sw_err sw_store_cmp_reviews(struct sw_store *st, sw_cmp_row_cb cb, void *arg,
				 struct sw_errbuf *eb)
{
	static const char sql[] =
		"SELECT i.site_id, i.decision, c.deadline, i.decided_at FROM review_items i "
		"JOIN review_campaigns c ON c.id = i.campaign_id ORDER BY i.site_id, i.id";

	return sw__cmp_run(st, sql, NULL, 0, SW_RV_DECIDED_AT + 1, cb, arg, NULL, eb);
}

enum sw_err sw_store_cmp_depts(struct sw_store *st, sw_cmp_row_cb cb, void *arg,
			       struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT id, parent_id FROM departments ORDER BY id";

	return sw__cmp_run(st, sql, NULL, 0, SW_DP_PARENT + 1, cb, arg, NULL, eb);
}

enum sw_err sw_store_cmp_incidents(struct sw_store *st, sw_cmp_row_cb cb, void *arg,
				   struct sw_errbuf *eb)
{
	/* The kind is the incident's first linked alert's (the one that
	 * opened or started it; the deadline alerts the chain raises itself,
	 * incident.overdue, are not what was detected); detection the earliest of the opening and
	 * the linked alerts' first sightings; recovery the first "recovered"
	 * step.  Open linked items: rectification items made from the
	 * incident (source incident, source_ref "incident:ID") not yet fixed or
	 * verified. */
	static const char sql[] =
		"SELECT i.id, i.site_id, i.title, i.severity, i.major, i.state, i.opened_at, "
		"i.closed_at, (SELECT a.kind FROM incident_alerts ia JOIN alerts a ON a.id = "
		"ia.alert_id WHERE ia.incident_id = i.id AND a.kind NOT LIKE 'incident.%' "
		"ORDER BY a.id LIMIT 1), (SELECT MIN(a.first_seen) FROM incident_alerts ia JOIN "
		"alerts a ON a.id = ia.alert_id WHERE ia.incident_id = i.id AND a.kind NOT LIKE "
		"'incident.%'), (SELECT MIN(s.at) FROM incident_steps s "
		"WHERE s.incident_id = i.id AND s.step = 'recovered'), (SELECT COUNT(*) FROM "
		"rectifications r WHERE r.source = 'incident' AND r.source_ref = 'incident:' || "
		"CAST(i.id AS TEXT) AND r.status IN ('open', 'in_progress', 'overdue')) FROM incidents i ORDER BY i.id";

	return sw__cmp_run(st, sql, NULL, 0, SW_INC_OPEN_ITEMS + 1, cb, arg, NULL, eb);
}
