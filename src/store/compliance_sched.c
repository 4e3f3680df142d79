/*
 * compliance_sched.c - scheduled reports and their runs (migration 0013).
 *
 * "Once per period" is the UNIQUE (schedule_id, period) key of
 * report_runs: the insert that finds the period taken adds nothing, so
 * two ticks, a restart or two processes on one database make one run.
 * Sending is claimed with a lease and marked with an update of a queued
 * row only, as the notification outbox does.
 */
#include "store/compliance_int.h"

enum sw_err sw_store_rsched_add(struct sw_store *st, const struct sw_sched_new *n, int64_t now,
			       int64_t *id, struct sw_errbuf *eb)
{
	static const char plain[] =
		"INSERT INTO report_schedules (name, kind, every, region, unit_type, dept_id, "
		"group_id, format, channel_id, link_base, created_at) VALUES (?1, ?2, ?3, ?4, ?5, "
		"CASE WHEN ?6 = 0 THEN NULL ELSE ?6 END, CASE WHEN ?7 = 0 THEN NULL ELSE ?7 END, "
		"?8, ?9, ?10, ?11)";
	static const char ret[] =
		"INSERT INTO report_schedules (name, kind, every, region, unit_type, dept_id, "
		"group_id, format, channel_id, link_base, created_at) VALUES (?1, ?2, ?3, ?4, ?5, "
		"CASE WHEN ?6 = 0 THEN NULL ELSE ?6 END, CASE WHEN ?7 = 0 THEN NULL ELSE ?7 END, "
		"?8, ?9, ?10, ?11) RETURNING id";
	struct sw__cmp_arg a[] = {CA_T(n->name),	CA_T(n->kind),	    CA_T(n->every),
				  CA_T(n->region),	CA_T(n->unit_type), CA_I(n->dept_id),
				  CA_I(n->group_id),	CA_T(n->format),    CA_I(n->channel_id),
				  CA_T(n->link_base), CA_I(now)};
	enum sw_err rc = sw__cmp_run(st, SW__CMP_INS(st, plain, ret), a, 11, 0, NULL, NULL, id, eb);

	if (rc == SW_EEXIST) {
		sw_errbuf_clear(eb);
		return sw_errf_field(eb, rc, "name", "a schedule called %s exists", n->name);
	}
	return rc;
}

enum sw_err sw_store_rsched_remove(struct sw_store *st, int64_t id, struct sw_errbuf *eb)
{
	static const char sql[] = "DELETE FROM report_schedules WHERE id = ?1";
	struct sw__cmp_arg a[] = {CA_I(id)};
	enum sw_err rc = sw__cmp_run(st, sql, a, 1, 0, NULL, NULL, NULL, eb);

	if (!rc && sw__cmp_changes(st) == 0)
		return sw_errf(eb, SW_ENOTFOUND, "no report schedule %lld", (long long)id);
	return rc;
}

enum sw_err sw_store_scheds(struct sw_store *st, int64_t id, const char *name,
			    sw_cmp_row_cb cb, void *arg, struct sw_errbuf *eb)
{
	static const char sql[] =
		"SELECT r.id, r.name, r.kind, r.every, r.region, r.unit_type, r.dept_id, r.group_id, "
		"r.format, r.channel_id, r.link_base, r.created_at, c.name FROM report_schedules r "
		"JOIN channels c ON c.id = r.channel_id WHERE (?1 = 0 OR r.id = ?1) AND "
		"(CAST(?2 AS TEXT) IS NULL OR r.name = ?2) ORDER BY r.id";
	struct sw__cmp_arg a[] = {CA_I(id), CA_T(name)};

	return sw__cmp_run(st, sql, a, 2, SW_SCH_CHANNEL_NAME + 1, cb, arg, NULL, eb);
}

static int found_cb(void *arg, const struct sw_cmp_row *r)
{
	(void)r;
	*(int *)arg = 1;
	return 1;
}

enum sw_err sw_store_report_run_exists(struct sw_store *st, int64_t schedule_id,
				       const char *period, int *exists, struct sw_errbuf *eb)
{
	static const char sql[] =
		"SELECT id FROM report_runs WHERE schedule_id = ?1 AND period = ?2";
	struct sw__cmp_arg a[] = {CA_I(schedule_id), CA_T(period)};

	*exists = 0;
	return sw__cmp_run(st, sql, a, 2, 1, found_cb, exists, NULL, eb);
}

static int copy_id(void *arg, const struct sw_cmp_row *r)
{
	*(int64_t *)arg = r->i[0];
	return 0;
}

enum sw_err sw_store_report_run_add(struct sw_store *st, int64_t schedule_id,
				    const char *period, const char *file_name,
				    const char *content, int64_t size, int64_t now, int64_t *id,
				    struct sw_errbuf *eb)
{
	/* RETURNING on both dialects: a conflict returns no row, so *id
	 * stays 0 exactly when the period had its run already. */
	static const char sql[] =
		"INSERT INTO report_runs (schedule_id, period, file_name, content, size, state, "
		"attempts, next_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'queued', 0, ?6, ?6) "
		"ON CONFLICT (schedule_id, period) DO NOTHING RETURNING id";
	struct sw__cmp_arg a[] = {CA_I(schedule_id), CA_T(period), CA_T(file_name),
				  CA_T(content),     CA_I(size),   CA_I(now)};

	*id = 0;
	return sw__cmp_run(st, sql, a, 6, 1, copy_id, id, NULL, eb);
}

enum sw_err sw_store_report_runs(struct sw_store *st, int64_t id, int64_t due_at,
				 int with_content, sw_cmp_row_cb cb, void *arg,
				 struct sw_errbuf *eb)
{
	static const char sql[] =
		"SELECT id, schedule_id, period, file_name, size, state, attempts, next_at, "
		"created_at, sent_at, last_error, CASE WHEN ?3 = 0 THEN NULL ELSE content END "
		"FROM report_runs WHERE (?1 = 0 OR id = ?1) AND (?2 = 0 OR (state = 'queued' AND "
		"next_at <= ?2)) ORDER BY id";
	struct sw__cmp_arg a[] = {CA_I(id), CA_I(due_at), CA_I(with_content != 0)};

	return sw__cmp_run(st, sql, a, 3, SW_RUN_CONTENT + 1, cb, arg, NULL, eb);
}

enum sw_err sw_store_report_run_claim(struct sw_store *st, int64_t id, int64_t now,
				      int64_t lease_until, int *got, struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE report_runs SET next_at = ?3 WHERE id = ?1 AND "
				  "state = 'queued' AND next_at <= ?2";
	struct sw__cmp_arg a[] = {CA_I(id), CA_I(now), CA_I(lease_until)};
	enum sw_err rc = sw__cmp_run(st, sql, a, 3, 0, NULL, NULL, NULL, eb);

	*got = !rc && sw__cmp_changes(st) == 1;
	return rc;
}

enum sw_err sw_store_report_run_sent(struct sw_store *st, int64_t id, int64_t now,
				     struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE report_runs SET state = 'sent', sent_at = ?2, "
				  "attempts = attempts + 1, last_error = NULL WHERE id = ?1 AND "
				  "state = 'queued'";
	struct sw__cmp_arg a[] = {CA_I(id), CA_I(now)};

	return sw__cmp_run(st, sql, a, 2, 0, NULL, NULL, NULL, eb);
}

enum sw_err sw_store_report_run_retry(struct sw_store *st, int64_t id, int64_t next_at,
				      const char *error, struct sw_errbuf *eb)
{
	static const char sql[] = "UPDATE report_runs SET attempts = attempts + 1, next_at = ?2, "
				  "last_error = ?3 WHERE id = ?1 AND state = 'queued'";
	struct sw__cmp_arg a[] = {CA_I(id), CA_I(next_at), CA_T(error)};

	return sw__cmp_run(st, sql, a, 3, 0, NULL, NULL, NULL, eb);
}
