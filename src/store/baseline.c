/*
 * baseline.c - the store's side of defacement baselines (migration 0004):
 * append one, read the newest of a site, walk a site's history.
 *
 * The store keeps a baseline as an opaque blob (analyze/baseline.h writes
 * and checks it) plus the few facts people list: when, from where, who,
 * how many page versions, the title.  Rows are only ever added, so the
 * history is the table itself.  Baselines change rarely (learning, an
 * operator's accept), so statements are prepared per call rather than
 * holding cached slots.
 */
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"

#define COLS "id, site_id, created_at, source, actor, versions, title, pages"

/* Prepares sql into *s. */
static enum sw_err prep(struct sw_store *st, const char *sql, struct sw_stmt **s,
			struct sw_errbuf *eb)
{
	*s = NULL;
	return st->ops->prepare(st->db, sql, s, eb);
}

enum sw_err sw_store_baseline_add(struct sw_store *st, const struct sw_baseline_row *r,
				  int64_t *id, struct sw_errbuf *eb)
{
	static const char ins[] = "INSERT INTO baselines (site_id, created_at, source, actor, "
				  "versions, title, pages, blob) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	static const char ins_ret[] = "INSERT INTO baselines (site_id, created_at, source, actor, "
				      "versions, title, pages, blob) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
				      "?7, ?8) RETURNING id";
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if (id)
		*id = 0;
	if (!r->blob || !r->blob_len || !r->source || !r->title)
		return sw_errf(eb, SW_EINVAL, "a stored baseline needs a blob, a source and a title");
	if ((rc = prep(st, st->ops->last_id ? ins : ins_ret, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, r->site_id);
	st->ops->bind_int(s, 2, r->created_at);
	st->ops->bind_text(s, 3, r->source);
	st->ops->bind_text(s, 4, r->actor);
	st->ops->bind_int(s, 5, r->versions);
	st->ops->bind_text(s, 6, r->title);
	st->ops->bind_text(s, 7, r->pages);
	st->ops->bind_blob(s, 8, r->blob, r->blob_len);
	rc = st->ops->step(s, &row, eb);
	if (!rc && id)
		*id = st->ops->last_id ? st->ops->last_id(st->db) : row ? st->ops->col_int(s, 0) : 0;
	st->ops->finalize(s);
	if (rc == SW_EINUSE)
		return sw_errf(eb, rc, "no site %lld", (long long)r->site_id);
	return rc;
}

/* Fills r from the current row of s (columns COLS, then blob when asked). */
static void read_row(struct sw_store *st, struct sw_stmt *s, struct sw_baseline_row *r,
		     int with_blob)
{
	memset(r, 0, sizeof *r);
	r->id = st->ops->col_int(s, 0);
	r->site_id = st->ops->col_int(s, 1);
	r->created_at = st->ops->col_int(s, 2);
	r->source = st->ops->col_text(s, 3);
	r->actor = st->ops->col_text(s, 4);
	r->versions = st->ops->col_int(s, 5);
	r->title = st->ops->col_text(s, 6);
	r->pages = st->ops->col_text(s, 7);
	if (with_blob)
		r->blob = st->ops->col_blob(s, 8, &r->blob_len);
}

enum sw_err sw_store_baseline_current(struct sw_store *st, int64_t site_id,
				      int (*cb)(void *arg, const struct sw_baseline_row *r),
				      void *arg, struct sw_errbuf *eb)
{
	struct sw_baseline_row r;
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = prep(st, "SELECT " COLS ", blob FROM baselines WHERE site_id = ?1 "
			   "ORDER BY id DESC LIMIT 1", &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	if (!(rc = st->ops->step(s, &row, eb)) && row) {
		read_row(st, s, &r, 1);
		cb(arg, &r);
	}
	st->ops->finalize(s);
	if (!rc && !row)
		return sw_errf(eb, SW_ENOTFOUND, "site %lld has no baseline", (long long)site_id);
	return rc;
}

enum sw_err sw_store_baseline_history(struct sw_store *st, int64_t site_id, int64_t limit,
				      int (*cb)(void *arg, const struct sw_baseline_row *r),
				      void *arg, struct sw_errbuf *eb)
{
	struct sw_baseline_row r;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = prep(st, "SELECT " COLS " FROM baselines WHERE site_id = ?1 "
			   "ORDER BY id DESC LIMIT ?2", &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, limit > 0 ? limit : INT64_MAX);
	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		read_row(st, s, &r, 0);
		if (cb(arg, &r))
			break;
	}
	st->ops->finalize(s);
	return rc;
}
