/*
 * evidence.c - ledger rows, item bytes and head signatures of frozen
 * evidence (migration 0007).
 *
 * Only INSERT and SELECT statements live here: the ledger is append-only
 * in code, and the schema's triggers refuse UPDATE and DELETE besides.
 * Item bytes are stored as zstd frames keyed by (algo, hash) like page
 * snapshots, but in their own table: snapshots are pruned with the check
 * history, evidence is kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "store/backend.h"
#include "store/evidence.h"

/* Items larger than this are refused on reading: evidence items are page
 * bodies and quarantined files, capped far below it, so a bigger frame
 * header means a damaged row. */
#define EV_BLOB_MAX ((size_t)1 << 30)

#define EV_COLS                                                                      \
	"seq, algo, created_at, kind, site_id, check_id, size, item_hash, media_type, name, " \
	"prev_hash, entry_hash"

static const char sql_head[] =
	"SELECT seq, entry_hash FROM evidence_ledger ORDER BY seq DESC LIMIT 1";
static const char sql_append[] =
	"INSERT INTO evidence_ledger (" EV_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	"?10, ?11, ?12)";
static const char sql_range[] = "SELECT " EV_COLS " FROM evidence_ledger WHERE seq >= ?1 AND "
				"seq <= ?2 ORDER BY seq";
static const char sql_by_check[] =
	"SELECT " EV_COLS " FROM evidence_ledger WHERE check_id = ?1 ORDER BY seq";
static const char sql_by_site[] =
	"SELECT " EV_COLS " FROM evidence_ledger WHERE (CAST(?1 AS BIGINT) = 0 OR site_id = ?1) AND "
	"created_at >= ?2 ORDER BY seq DESC LIMIT ?3";
static const char sql_blob_has[] = "SELECT 1 FROM evidence_blobs WHERE algo = ?1 AND hash = ?2";
static const char sql_blob_put[] =
	"INSERT INTO evidence_blobs (algo, hash, body, raw_size, first_seen) VALUES (?1, ?2, ?3, "
	"?4, ?5) ON CONFLICT (algo, hash) DO NOTHING";
static const char sql_blob_get[] =
	"SELECT body, raw_size FROM evidence_blobs WHERE algo = ?1 AND hash = ?2";
static const char sql_sig_add[] =
	"INSERT INTO evidence_signatures (seq, created_at, sig_algo, key_id, head_text, sig) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
static const char sql_sigs[] =
	"SELECT id, seq, created_at, sig_algo, key_id, head_text, sig FROM evidence_signatures "
	"WHERE seq >= ?1 ORDER BY id";
static const char sql_sig_newest[] =
	"SELECT id, seq, created_at, sig_algo, key_id, head_text, sig FROM evidence_signatures "
	"ORDER BY id DESC LIMIT 1";
static const char sql_check_get[] =
	"SELECT id, site_id, checked_at, status, err, total_ms, dns_ms, connect_ms, tls_ms, "
	"first_byte_ms, ip, http_version, body_hash, body_size, tls_not_after FROM checks "
	"WHERE id = ?1";
static const char sql_checks_found[] =
	"SELECT c.id FROM checks c WHERE c.site_id = ?1 AND c.checked_at >= ?2 AND EXISTS "
	"(SELECT 1 FROM check_findings f WHERE f.check_id = c.id) ORDER BY c.checked_at, c.id "
	"LIMIT ?3";

enum sw_err sw_store_ev_lock(struct sw_store *st, struct sw_errbuf *eb)
{
	/* A transaction-scoped advisory lock (the key is arbitrary but fixed:
	 * "sw-evidence").  SQLite's BEGIN IMMEDIATE serializes writers already. */
	static const char sql[] = "SELECT pg_advisory_xact_lock(7309475845396247925)";
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if (strcmp(sw_store_backend(st), "postgresql"))
		return SW_OK;
	if ((rc = sw__store_q(st, sql, &s, eb)))
		return rc;
	rc = st->ops->step(s, &row, eb);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_ev_head(struct sw_store *st, int64_t *seq, char *hash, size_t hash_n,
			     struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	*seq = 0;
	if (hash_n)
		hash[0] = '\0';
	if ((rc = sw__store_q(st, sql_head, &s, eb)))
		return rc;
	if (!(rc = st->ops->step(s, &row, eb)) && row) {
		const char *h = st->ops->col_text(s, 1);

		*seq = st->ops->col_int(s, 0);
		if (hash_n)
			snprintf(hash, hash_n, "%s", h ? h : "");
	}
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_ev_append(struct sw_store *st, const struct sw_ev_row *r,
			       struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql_append, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, r->seq);
	st->ops->bind_text(s, 2, r->algo);
	st->ops->bind_int(s, 3, r->created_at);
	st->ops->bind_text(s, 4, r->kind);
	st->ops->bind_int(s, 5, r->site_id);
	st->ops->bind_int(s, 6, r->check_id);
	st->ops->bind_int(s, 7, r->size);
	st->ops->bind_text(s, 8, r->item_hash);
	st->ops->bind_text(s, 9, r->media_type);
	st->ops->bind_text(s, 10, r->name);
	st->ops->bind_text(s, 11, r->prev_hash);
	st->ops->bind_text(s, 12, r->entry_hash);
	rc = st->ops->step(s, &row, eb);
	sw__store_q_done(st, s);
	return rc;
}

/* Reads the current row of s (EV_COLS order) into r; strings borrowed. */
static void row_read(struct sw_store *st, struct sw_stmt *s, struct sw_ev_row *r)
{
	r->seq = st->ops->col_int(s, 0);
	r->algo = st->ops->col_text(s, 1);
	r->created_at = st->ops->col_int(s, 2);
	r->kind = st->ops->col_text(s, 3);
	r->site_id = st->ops->col_int(s, 4);
	r->check_id = st->ops->col_int(s, 5);
	r->size = st->ops->col_int(s, 6);
	r->item_hash = st->ops->col_text(s, 7);
	r->media_type = st->ops->col_text(s, 8);
	r->name = st->ops->col_text(s, 9);
	r->prev_hash = st->ops->col_text(s, 10);
	r->entry_hash = st->ops->col_text(s, 11);
}

/* Steps bound statement s, calling cb per row, and resets it.  *n (may be
 * NULL) counts the rows seen. */
static enum sw_err walk(struct sw_store *st, struct sw_stmt *s, sw_ev_row_cb cb, void *arg,
			int64_t *n, struct sw_errbuf *eb)
{
	struct sw_ev_row r;
	enum sw_err rc;
	int row;

	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		row_read(st, s, &r);
		if (n)
			++*n;
		if (cb(arg, &r))
			break;
	}
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_ev_range(struct sw_store *st, int64_t from, int64_t to, sw_ev_row_cb cb,
			      void *arg, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql_range, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, from);
	st->ops->bind_int(s, 2, to > 0 ? to : INT64_MAX);
	return walk(st, s, cb, arg, NULL, eb);
}

enum sw_err sw_store_ev_by_check(struct sw_store *st, int64_t check_id, sw_ev_row_cb cb,
				 void *arg, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql_by_check, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, check_id);
	return walk(st, s, cb, arg, NULL, eb);
}

enum sw_err sw_store_ev_by_site(struct sw_store *st, int64_t site_id, int64_t since,
				int64_t limit, sw_ev_row_cb cb, void *arg, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw__store_q(st, sql_by_site, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, since);
	st->ops->bind_int(s, 3, limit > 0 ? limit : INT64_MAX);
	return walk(st, s, cb, arg, NULL, eb);
}

enum sw_err sw_store_ev_get(struct sw_store *st, int64_t seq, sw_ev_row_cb cb, void *arg,
			    struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int64_t n = 0;

	if ((rc = sw__store_q(st, sql_range, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, seq);
	st->ops->bind_int(s, 2, seq);
	if ((rc = walk(st, s, cb, arg, &n, eb)))
		return rc;
	return n ? SW_OK : sw_errf(eb, SW_ENOTFOUND, "no ledger entry %lld", (long long)seq);
}

enum sw_err sw_store_ev_blob_put(struct sw_store *st, const char *algo, const char *hash,
				 const void *bytes, size_t len, int64_t now,
				 struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	void *z = NULL;
	size_t cap, zlen;
	enum sw_err rc;
	int row = 0;

	if ((rc = sw__store_q(st, sql_blob_has, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, algo);
	st->ops->bind_text(s, 2, hash);
	rc = st->ops->step(s, &row, eb);
	sw__store_q_done(st, s);
	if (rc || row)
		return rc;
	cap = ZSTD_compressBound(len);
	if (!(z = malloc(cap ? cap : 1)))
		return SW_ENOMEM;
	zlen = ZSTD_compress(z, cap, bytes, len, 3);
	if (ZSTD_isError(zlen)) {
		free(z);
		return sw_errf(eb, SW_EIO, "zstd: %s", ZSTD_getErrorName(zlen));
	}
	/* ON CONFLICT: another writer may store the same bytes meanwhile. */
	if (!(rc = sw__store_q(st, sql_blob_put, &s, eb))) {
		st->ops->bind_text(s, 1, algo);
		st->ops->bind_text(s, 2, hash);
		st->ops->bind_blob(s, 3, z, zlen);
		st->ops->bind_int(s, 4, (int64_t)len);
		st->ops->bind_int(s, 5, now);
		rc = st->ops->step(s, &row, eb);
		sw__store_q_done(st, s);
	}
	free(z);
	return rc;
}

/* Decompresses frame z into a new NUL-terminated buffer of exactly raw
 * bytes; a frame that says otherwise is a damaged row. */
static enum sw_err unzstd(const void *z, size_t zlen, size_t raw, unsigned char **out,
			  struct sw_errbuf *eb)
{
	unsigned long long want = ZSTD_getFrameContentSize(z, zlen);
	unsigned char *buf;
	size_t n;

	if (want != raw || raw > EV_BLOB_MAX)
		return sw_errf(eb, SW_ESTORE, "evidence item frame is damaged");
	if (!(buf = malloc(raw + 1)))
		return SW_ENOMEM;
	n = ZSTD_decompress(buf, raw, z, zlen);
	if (ZSTD_isError(n) || n != raw) {
		free(buf);
		return sw_errf(eb, SW_ESTORE, "evidence item does not decompress");
	}
	buf[raw] = '\0';
	*out = buf;
	return SW_OK;
}

enum sw_err sw_store_ev_blob_get(struct sw_store *st, const char *algo, const char *hash,
				 unsigned char **bytes, size_t *len, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	const void *z;
	size_t zlen, raw = 0;
	enum sw_err rc;
	int row = 0;

	*bytes = NULL;
	*len = 0;
	if ((rc = sw__store_q(st, sql_blob_get, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, algo);
	st->ops->bind_text(s, 2, hash);
	if (!(rc = st->ops->step(s, &row, eb)) && row) {
		raw = (size_t)st->ops->col_int(s, 1);
		z = st->ops->col_blob(s, 0, &zlen);
		rc = z ? unzstd(z, zlen, raw, bytes, eb)
		       : sw_errf(eb, SW_ESTORE, "empty evidence item");
	}
	sw__store_q_done(st, s);
	if (!rc && !row)
		return sw_errf(eb, SW_ENOTFOUND, "no evidence item %s:%s", algo, hash);
	if (!rc)
		*len = raw;
	return rc;
}

enum sw_err sw_store_ev_sig_add(struct sw_store *st, struct sw_ev_sig_row *r,
				struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = sw__store_q(st, sql_sig_add, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, r->seq);
	st->ops->bind_int(s, 2, r->created_at);
	st->ops->bind_text(s, 3, r->sig_algo);
	st->ops->bind_text(s, 4, r->key_id);
	st->ops->bind_text(s, 5, r->head_text);
	st->ops->bind_blob(s, 6, r->sig, r->sig_len);
	if (!(rc = st->ops->step(s, &row, eb)))
		r->id = sw__store_inserted_id(st, s, row);
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_ev_sigs(struct sw_store *st, int64_t seq_from, int newest_only,
			     int (*cb)(void *arg, const struct sw_ev_sig_row *r), void *arg,
			     struct sw_errbuf *eb)
{
	struct sw_ev_sig_row r;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, newest_only ? sql_sig_newest : sql_sigs, &s, eb)))
		return rc;
	if (!newest_only)
		st->ops->bind_int(s, 1, seq_from);
	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		r.id = st->ops->col_int(s, 0);
		r.seq = st->ops->col_int(s, 1);
		r.created_at = st->ops->col_int(s, 2);
		r.sig_algo = st->ops->col_text(s, 3);
		r.key_id = st->ops->col_text(s, 4);
		r.head_text = st->ops->col_text(s, 5);
		r.sig = st->ops->col_blob(s, 6, &r.sig_len);
		if (cb(arg, &r))
			break;
	}
	sw__store_q_done(st, s);
	return rc;
}

enum sw_err sw_store_ev_check_get(struct sw_store *st, int64_t check_id,
				  int (*cb)(void *arg, const struct sw_check_row *c), void *arg,
				  struct sw_errbuf *eb)
{
	struct sw_check_row c;
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = sw__store_q(st, sql_check_get, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, check_id);
	if (!(rc = st->ops->step(s, &row, eb)) && row) {
		c.id = st->ops->col_int(s, 0);
		c.site_id = st->ops->col_int(s, 1);
		c.checked_at = st->ops->col_int(s, 2);
		c.status = (long)st->ops->col_int(s, 3);
		c.err = (int)st->ops->col_int(s, 4);
		c.total_ms = st->ops->col_int(s, 5);
		c.dns_ms = st->ops->col_int(s, 6);
		c.connect_ms = st->ops->col_int(s, 7);
		c.tls_ms = st->ops->col_int(s, 8);
		c.first_byte_ms = st->ops->col_int(s, 9);
		c.ip = st->ops->col_text(s, 10);
		c.http_version = (int)st->ops->col_int(s, 11);
		c.body_hash = st->ops->col_text(s, 12);
		c.body_size = st->ops->col_int(s, 13);
		c.tls_not_after = st->ops->col_int(s, 14);
		cb(arg, &c);
	}
	sw__store_q_done(st, s);
	if (!rc && !row)
		return sw_errf(eb, SW_ENOTFOUND, "no check %lld", (long long)check_id);
	return rc;
}

enum sw_err sw_store_ev_checks_with_findings(struct sw_store *st, int64_t site_id,
					     int64_t since, int64_t limit,
					     int (*cb)(void *arg, int64_t check_id), void *arg,
					     struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = sw__store_q(st, sql_checks_found, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, since);
	st->ops->bind_int(s, 3, limit > 0 ? limit : INT64_MAX);
	while (!(rc = st->ops->step(s, &row, eb)) && row)
		if (cb(arg, st->ops->col_int(s, 0)))
			break;
	sw__store_q_done(st, s);
	return rc;
}
