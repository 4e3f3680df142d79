/*
 * crawl.c - the engine's per-site marks (crawl.h).
 */
#include "store/crawl.h"

#include "store/backend.h"

enum sw_err sw_store_exposure_last(struct sw_store *st, int64_t site_id, int64_t *at,
				   struct sw_errbuf *eb)
{
	static const char sql[] = "SELECT exposure_at FROM site_probe_marks WHERE site_id = ?1";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*at = 0;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	if (!(rc = st->ops->step(s, &row, eb)) && row)
		*at = st->ops->col_int(s, 0);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_exposure_mark(struct sw_store *st, int64_t site_id, int64_t at,
				   struct sw_errbuf *eb)
{
	static const char sql[] =
		"INSERT INTO site_probe_marks (site_id, exposure_at) VALUES (?1, ?2) "
		"ON CONFLICT (site_id) DO UPDATE SET exposure_at = excluded.exposure_at";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, at);
	rc = st->ops->step(s, &row, eb);
	sw__store_q_done(st, s);
	return rc;
}
