/*
 * records.c - register records in the store: SQL derived from the field
 * tables of src/model/entities.c, so a new field needs no new query.
 *
 * The SQL is the dialect both backends accept (numbered parameters,
 * RETURNING, ON CONFLICT, CAST for parameters whose type only NULL-checks
 * reveal).  Each statement is built once, prepared once and cached in the
 * store; built strings are bounded by the field tables, not by input.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include "store/backend.h"
#include "store/scope.h"



/* Appends "x.col1, x.col2, ..." for every field of ent. */
static void cat_cols(char *sql, const struct sw_entity *ent, const char *prefix)
{
	for (size_t i = 0; i < ent->nfields; i++)
		sw__sql_cat(sql, "%s%s%s", i ? ", " : "", prefix, ent->fields[i].col);
}

/* Binds every field of rec to parameters 1..n. */
static void bind_fields(struct sw_store *st, struct sw_stmt *s, const struct sw_rec *rec)
{
	for (size_t i = 0; i < rec->ent->nfields; i++)
		st->ops->bind_text(s, (int)i + 1, rec->v[i]);
}

/* Points rec's fields at the columns of the current row, starting at
 * column `first` (id, created_at, updated_at come before).  The strings are
 * borrowed from the statement: see unborrow(). */
static void borrow_row(struct sw_store *st, struct sw_stmt *s, struct sw_rec *rec)
{
	rec->id = st->ops->col_int(s, 0);
	rec->created_at = (char *)st->ops->col_text(s, 1);
	rec->updated_at = (char *)st->ops->col_text(s, 2);
	for (size_t i = 0; i < rec->ent->nfields; i++)
		rec->v[i] = (char *)st->ops->col_text(s, (int)i + 3);
}

/* Forgets borrowed pointers so the record can be cleaned up safely. */
static void unborrow(struct sw_rec *rec)
{
	const struct sw_entity *ent = rec->ent;

	memset(rec, 0, sizeof *rec);
	rec->ent = ent;
}

enum sw_err sw_store_insert(struct sw_store *st, struct sw_rec *rec, struct sw_errbuf *eb)
{
	const struct sw_entity *ent = rec->ent;
	struct sw_stmt **slot = &st->q[ent->id][SW_Q_INSERT];
	char sql[SW_SQL_MAX]; /* built on first use only: not cleared on hot calls */
	enum sw_err rc;
	int row = 0;

	if (!*slot) {
		sql[0] = '\0';
		sw__sql_cat(sql, "INSERT INTO %s (", ent->table);
		cat_cols(sql, ent, "");
		sw__sql_cat(sql, ", created_at, updated_at) VALUES (");
		for (size_t i = 0; i < ent->nfields; i++)
			sw__sql_cat(sql, "?%zu, ", i + 1);
		/* Timestamps come from C: the SQL default (strftime) costs more than
		 * the rest of a bulk insert, and both dialects then agree. */
		sw__sql_cat(sql, "?%zu, ?%zu", ent->nfields + 1, ent->nfields + 1);
		/* A clash with a unique key inserts nothing instead of failing:
		 * a failed statement would abort a PostgreSQL transaction. */
		sw__sql_cat(sql, ") ON CONFLICT DO NOTHING%s", st->ops->last_id ? "" : " RETURNING id");
	}
	if ((rc = sw__store_stmt(st, slot, sql, eb)))
		return rc;
	bind_fields(st, *slot, rec);
	st->ops->bind_text(*slot, (int)ent->nfields + 1, sw__store_now(st));
	rc = st->ops->step(*slot, &row, eb);
	if (!rc && st->ops->last_id) {
		row = st->ops->changes(st->db) > 0;
		if (row)
			rec->id = st->ops->last_id(st->db);
	} else if (!rc && row) {
		rec->id = st->ops->col_int(*slot, 0);
	}
	st->ops->reset(*slot);
	if (!rc && !row)
		rc = sw_errf(eb, SW_EEXIST, "a %s with the same unique key already exists", ent->name);
	return rc;
}

enum sw_err sw_store_insert_copy(struct sw_store *st, const struct sw_rec *rec,
				 struct sw_errbuf *eb)
{
	const struct sw_entity *ent = rec->ent;
	struct sw_stmt **slot = &st->q[ent->id][SW_Q_INSERT_COPY];
	size_t n = ent->nfields;
	char sql[SW_SQL_MAX]; /* built on first use only */
	enum sw_err rc;
	int row;

	if (!*slot) {
		sql[0] = '\0';
		sw__sql_cat(sql, "INSERT INTO %s (", ent->table);
		cat_cols(sql, ent, "");
		sw__sql_cat(sql, ", created_at, updated_at, id) VALUES (");
		for (size_t i = 0; i < n; i++)
			sw__sql_cat(sql, "?%zu, ", i + 1);
		/* Unlike sw_store_insert no RETURNING: the id is known. */
		sw__sql_cat(sql, "?%zu, ?%zu, ?%zu) ON CONFLICT DO NOTHING", n + 1, n + 2, n + 3);
	}
	if ((rc = sw__store_stmt(st, slot, sql, eb)))
		return rc;
	bind_fields(st, *slot, rec);
	st->ops->bind_text(*slot, (int)n + 1, rec->created_at ? rec->created_at : sw__store_now(st));
	st->ops->bind_text(*slot, (int)n + 2, rec->updated_at ? rec->updated_at : sw__store_now(st));
	st->ops->bind_int(*slot, (int)n + 3, rec->id);
	rc = st->ops->step(*slot, &row, eb);
	st->ops->reset(*slot);
	if (!rc && st->ops->changes(st->db) == 0)
		rc = sw_errf(eb, SW_EEXIST, "%s %" PRId64 " or one with the same unique key exists",
			     ent->name, rec->id);
	return rc;
}

enum sw_err sw_store_sync_ids(struct sw_store *st, struct sw_errbuf *eb)
{
	enum sw_err rc = SW_OK;

	for (int e = 0; e < SW_ENT__COUNT && !rc && st->ops->sync_ids; e++)
		rc = st->ops->sync_ids(st->db, sw_entity_get(e)->table, eb);
	return rc;
}

enum sw_err sw_store_update(struct sw_store *st, const struct sw_rec *rec, struct sw_errbuf *eb)
{
	const struct sw_entity *ent = rec->ent;
	struct sw_stmt **slot = &st->q[ent->id][SW_Q_UPDATE];
	size_t n = ent->nfields;
	char sql[SW_SQL_MAX];
	enum sw_err rc;
	int row;

	if (!*slot) {
		sql[0] = '\0';
		sw__sql_cat(sql, "UPDATE %s SET ", ent->table);
		for (size_t i = 0; i < n; i++)
			sw__sql_cat(sql, "%s = ?%zu, ", ent->fields[i].col, i + 1);
		sw__sql_cat(sql, "updated_at = ?%zu WHERE id = ?%zu", n + 1, n + 2);
	}
	if ((rc = sw__store_stmt(st, slot, sql, eb)))
		return rc;
	bind_fields(st, *slot, rec);
	st->ops->bind_text(*slot, (int)n + 1, sw__store_now(st));
	st->ops->bind_int(*slot, (int)n + 2, rec->id);
	rc = st->ops->step(*slot, &row, eb);
	st->ops->reset(*slot);
	if (!rc && st->ops->changes(st->db) == 0)
		rc = sw_errf(eb, SW_ENOTFOUND, "%s %" PRId64 " does not exist", ent->name, rec->id);
	return rc;
}

/* Counts rows of every entity whose reference fields point at row id of
 * `target`, and describes them in eb ("3 site(s), 1 person(s)").  Returns
 * SW_EINUSE when any does, SW_OK when none. */
static enum sw_err check_refs(struct sw_store *st, const struct sw_entity *target, int64_t id,
			      struct sw_errbuf *eb)
{
	char what[256] = "";
	enum sw_err rc = SW_OK;

	for (int e = 0; e < SW_ENT__COUNT && !rc; e++) {
		const struct sw_entity *ent = sw_entity_get(e);

		for (size_t i = 0; i < ent->nfields && !rc; i++) {
			const struct sw_field *f = &ent->fields[i];
			char sql[SW_SQL_MAX] = "";
			struct sw_stmt *s = NULL;
			int64_t n = 0;
			int row;

			if (f->type != SW_FT_REF || f->ref != target->id)
				continue;
			sw__sql_cat(sql, "SELECT count(*) FROM %s WHERE %s = ?1", ent->table, f->col);
			if ((rc = st->ops->prepare(st->db, sql, &s, eb)))
				break;
			st->ops->bind_int(s, 1, id);
			if (!(rc = st->ops->step(s, &row, eb)) && row)
				n = st->ops->col_int(s, 0);
			st->ops->finalize(s);
			if (n > 0)
				snprintf(what + strlen(what), sizeof what - strlen(what), "%s%" PRId64 " %s(s)",
					 what[0] ? ", " : "", n, ent->name);
		}
	}
	if (rc)
		return rc;
	if (what[0])
		return sw_errf(eb, SW_EINUSE, "%s %" PRId64 " is still referenced by %s", target->name,
			       id, what);
	return SW_OK;
}

/* Drops the policy settings of a deleted group or site (they have no
 * foreign key: the scope id names rows of different tables). */
static enum sw_err drop_policy(struct sw_store *st, const struct sw_entity *ent, int64_t id,
			       struct sw_errbuf *eb)
{
	struct sw_stmt **slot = &st->misc[SW_QM_POLICY_DROP];
	enum sw_err rc;
	int row;

	if (ent->id != SW_ENT_SITE && ent->id != SW_ENT_GROUP)
		return SW_OK;
	rc = sw__store_stmt(st, slot, "DELETE FROM policy_settings WHERE scope = ?1 AND scope_id = ?2",
			    eb);
	if (rc)
		return rc;
	st->ops->bind_text(*slot, 1, ent->id == SW_ENT_SITE ? "site" : "group");
	st->ops->bind_int(*slot, 2, id);
	rc = st->ops->step(*slot, &row, eb);
	st->ops->reset(*slot);
	return rc;
}

enum sw_err sw_store_delete(struct sw_store *st, const struct sw_entity *ent, int64_t id,
			    struct sw_errbuf *eb)
{
	struct sw_stmt **slot = &st->q[ent->id][SW_Q_DELETE];
	char sql[SW_SQL_MAX] = "";
	enum sw_err rc;
	int row;

	if ((rc = sw_store_begin(st, eb)))
		return rc;
	if ((rc = check_refs(st, ent, id, eb)))
		goto out;
	sw__sql_cat(sql, "DELETE FROM %s WHERE id = ?1", ent->table);
	if ((rc = sw__store_stmt(st, slot, sql, eb)))
		goto out;
	st->ops->bind_int(*slot, 1, id);
	rc = st->ops->step(*slot, &row, eb);
	st->ops->reset(*slot);
	if (!rc && st->ops->changes(st->db) == 0)
		rc = sw_errf(eb, SW_ENOTFOUND, "%s %" PRId64 " does not exist", ent->name, id);
	if (!rc)
		rc = drop_policy(st, ent, id, eb);
out:
	if (rc) {
		sw_store_rollback(st);
		return rc;
	}
	return sw_store_commit(st, eb);
}

enum sw_err sw_store_get(struct sw_store *st, const struct sw_entity *ent, int64_t id,
			 struct sw_rec *out, struct sw_errbuf *eb)
{
	struct sw_stmt **slot = &st->q[ent->id][SW_Q_GET];
	char sql[SW_SQL_MAX]; /* built on first use only */
	struct sw_rec tmp;
	enum sw_err rc;
	int row = 0;

	sw_rec_init(out, ent);
	if (!*slot) {
		sql[0] = '\0';
		sw__sql_cat(sql, "SELECT id, created_at, updated_at, ");
		cat_cols(sql, ent, "");
		sw__sql_cat(sql, " FROM %s WHERE id = ?1", ent->table);
	}
	if ((rc = sw__store_stmt(st, slot, sql, eb)))
		return rc;
	st->ops->bind_int(*slot, 1, id);
	rc = st->ops->step(*slot, &row, eb);
	if (!rc && row) {
		sw_rec_init(&tmp, ent);
		borrow_row(st, *slot, &tmp);
		rc = sw_rec_copy(out, &tmp);
		unborrow(&tmp);
	} else if (!rc) {
		rc = sw_errf(eb, SW_ENOTFOUND, "%s %" PRId64 " does not exist", ent->name, id);
	}
	st->ops->reset(*slot);
	return rc;
}

enum sw_err sw_store_find(struct sw_store *st, const struct sw_entity *ent, int field,
			  const char *value, int64_t *id, int *n_matches, struct sw_errbuf *eb)
{
	struct sw_stmt **slot;
	char sql[SW_SQL_MAX]; /* built on first use only */
	enum sw_err rc;
	int row = 0, n = 0;

	if (field < 0 || (size_t)field >= ent->nfields)
		sw_fatal("sw_store_find: bad field %d for %s", field, ent->name);
	slot = &st->find[ent->id][field];
	if (!*slot) {
		sql[0] = '\0';
		sw__sql_cat(sql, "SELECT id FROM %s WHERE %s = ?1 ORDER BY id LIMIT 2", ent->table,
		    ent->fields[field].col);
	}
	if ((rc = sw__store_stmt(st, slot, sql, eb)))
		return rc;
	st->ops->bind_text(*slot, 1, value);
	while (!(rc = st->ops->step(*slot, &row, eb)) && row) {
		if (n++ == 0)
			*id = st->ops->col_int(*slot, 0);
	}
	st->ops->reset(*slot);
	if (n_matches)
		*n_matches = n;
	if (!rc && n == 0)
		rc = SW_ENOTFOUND;
	return rc;
}

/* "Is row ?6 of each entity visible under the scope ?1..?5", built once
 * per process (the statement cache keys on the text's address, so the
 * texts live in static storage). */
static char vis_sql[SW_ENT__COUNT][SW_SQL_MAX];
static pthread_once_t vis_once = PTHREAD_ONCE_INIT;

static void vis_build(void)
{
	for (int e = 0; e < SW_ENT__COUNT; e++) {
		const struct sw_entity *ent = sw_entity_get(e);

		sw__sql_cat(vis_sql[e], "SELECT 1 FROM %s x%s WHERE x.id = ?%d AND %s", ent->table,
			    sw__scope_join(e), SW_SCOPE_NPARAMS + 1, sw__scope_sql(e));
	}
}

enum sw_err sw_store_get_in(struct sw_store *st, const struct sw_entity *ent, int64_t id,
			    const struct sw_access *acc, struct sw_rec *out,
			    struct sw_errbuf *eb)
{
	struct sw__scope_vals v;
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if (!acc)
		return sw_store_get(st, ent, id, out, eb);
	sw_rec_init(out, ent);
	pthread_once(&vis_once, vis_build);
	if ((rc = sw__store_q(st, vis_sql[ent->id], &s, eb)))
		return rc;
	if (!(rc = sw__scope_bind(st, s, acc, &v, eb))) {
		st->ops->bind_int(s, SW_SCOPE_NPARAMS + 1, id);
		rc = st->ops->step(s, &row, eb);
	}
	sw__store_q_done(st, s);
	if (rc)
		return rc;
	if (!row)
		return sw_errf(eb, SW_ENOTFOUND, "%s %" PRId64 " does not exist", ent->name, id);
	return sw_store_get(st, ent, id, out, eb);
}
