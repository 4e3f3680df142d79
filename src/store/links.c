/*
 * links.c - the store's small side tables: the host names of sites, the
 * responsibility links between sites and persons, and policy settings.
 */
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"

static const char *const misc_sql[SW_QM__COUNT] = {
	[SW_QM_DOMAINS_CLEAR] = "DELETE FROM site_domains WHERE site_id = ?1",
	[SW_QM_DOMAIN_ADD] = "INSERT INTO site_domains (domain, site_id) VALUES (?1, ?2) "
			     "ON CONFLICT DO NOTHING",
	[SW_QM_DOMAIN_FIND] = "SELECT site_id FROM site_domains WHERE domain = ?1",
	[SW_QM_LINK_ADD] = "INSERT INTO site_persons (site_id, person_id, role) "
			   "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
	[SW_QM_LINK_DEL] = "DELETE FROM site_persons WHERE site_id = ?1 AND person_id = ?2 "
			   "AND role = ?3",
	[SW_QM_LINK_DEL_ALL] = "DELETE FROM site_persons WHERE site_id = ?1 AND person_id = ?2",
	[SW_QM_LINKS_SITE] = "SELECT site_id, person_id, role FROM site_persons "
			     "WHERE site_id = ?1 ORDER BY person_id, role",
	[SW_QM_LINKS_PERSON] = "SELECT site_id, person_id, role FROM site_persons "
			       "WHERE person_id = ?1 ORDER BY site_id, role",
	[SW_QM_POLICY_GET] = "SELECT key, value FROM policy_settings "
			     "WHERE scope = ?1 AND scope_id = ?2 ORDER BY key",
	[SW_QM_POLICY_SET] = "INSERT INTO policy_settings (scope, scope_id, key, value, updated_at) "
			     "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (scope, scope_id, key) "
			     "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
	[SW_QM_POLICY_DEL] = "DELETE FROM policy_settings WHERE scope = ?1 AND scope_id = ?2 "
			     "AND key = ?3",
	[SW_QM_POLICY_DROP] = "DELETE FROM policy_settings WHERE scope = ?1 AND scope_id = ?2",
	[SW_QM_DOMAINS_ALL] = "SELECT site_id, domain FROM site_domains ORDER BY site_id, domain",
	[SW_QM_LINKS_ALL] = "SELECT site_id, person_id, role FROM site_persons "
			    "ORDER BY site_id, person_id, role",
	[SW_QM_POLICY_ALL] = "SELECT scope, scope_id, key, value, updated_at FROM policy_settings "
			     "ORDER BY scope, scope_id, key",
};

/* Returns the ready (reset) statement of slot q. */
static enum sw_err misc(struct sw_store *st, enum sw_q_misc q, struct sw_stmt **out,
			struct sw_errbuf *eb)
{
	enum sw_err rc = sw__store_stmt(st, &st->misc[q], misc_sql[q], eb);

	*out = st->misc[q];
	return rc;
}

/* Replaces (clear set) or adds (clear unset: a site just created has no
 * names yet, and a bulk import saves a statement per site) the names. */
static enum sw_err domains_write(struct sw_store *st, int64_t site_id,
				 const char *const *domains, size_t n, int clear,
				 struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = sw_store_begin(st, eb)))
		return rc;
	if (clear) {
		if ((rc = misc(st, SW_QM_DOMAINS_CLEAR, &s, eb)))
			goto out;
		st->ops->bind_int(s, 1, site_id);
		if ((rc = sw__store_run_done(st, s, eb)))
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if ((rc = misc(st, SW_QM_DOMAIN_ADD, &s, eb)))
			goto out;
		st->ops->bind_text(s, 1, domains[i]);
		st->ops->bind_int(s, 2, site_id);
		if ((rc = sw__store_run_done(st, s, eb)))
			goto out;
		if (st->ops->changes(st->db) == 0) {
			rc = sw_errf(eb, SW_EEXIST, "domain %s already belongs to another site",
				     domains[i]);
			goto out;
		}
	}
out:
	if (rc) {
		sw_store_rollback(st);
		return rc;
	}
	return sw_store_commit(st, eb);
}

enum sw_err sw_store_site_domains_set(struct sw_store *st, int64_t site_id,
				      const char *const *domains, size_t n, struct sw_errbuf *eb)
{
	return domains_write(st, site_id, domains, n, 1, eb);
}

enum sw_err sw_store_site_domains_add(struct sw_store *st, int64_t site_id,
				      const char *const *domains, size_t n, struct sw_errbuf *eb)
{
	return domains_write(st, site_id, domains, n, 0, eb);
}

enum sw_err sw_store_site_domain_add(struct sw_store *st, int64_t site_id, const char *domain,
				     struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = misc(st, SW_QM_DOMAIN_ADD, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, domain);
	st->ops->bind_int(s, 2, site_id);
	if ((rc = sw__store_run_done(st, s, eb)))
		return rc;
	if (st->ops->changes(st->db) == 0)
		return sw_errf(eb, SW_EEXIST, "domain %s already belongs to another site", domain);
	return SW_OK;
}

enum sw_err sw_store_site_domains_all(struct sw_store *st, sw_domain_cb cb, void *arg,
				      struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = misc(st, SW_QM_DOMAINS_ALL, &s, eb)))
		return rc;
	while (!(rc = st->ops->step(s, &row, eb)) && row)
		if (cb(arg, st->ops->col_int(s, 0), st->ops->col_text(s, 1)))
			break;
	st->ops->reset(s);
	return rc;
}

enum sw_err sw_store_site_by_domain(struct sw_store *st, const char *domain, int64_t *site_id,
				    struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row = 0;

	if ((rc = misc(st, SW_QM_DOMAIN_FIND, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, domain);
	if (!(rc = st->ops->step(s, &row, eb)) && row)
		*site_id = st->ops->col_int(s, 0);
	st->ops->reset(s);
	if (!rc && !row)
		rc = SW_ENOTFOUND;
	return rc;
}

enum sw_err sw_store_site_person_link(struct sw_store *st, int64_t site_id, int64_t person_id,
				      const char *role, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = misc(st, SW_QM_LINK_ADD, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, person_id);
	st->ops->bind_text(s, 3, role);
	return sw__store_run_done(st, s, eb);
}

enum sw_err sw_store_site_person_unlink(struct sw_store *st, int64_t site_id,
					int64_t person_id, const char *role,
					struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = misc(st, role ? SW_QM_LINK_DEL : SW_QM_LINK_DEL_ALL, &s, eb)))
		return rc;
	st->ops->bind_int(s, 1, site_id);
	st->ops->bind_int(s, 2, person_id);
	if (role)
		st->ops->bind_text(s, 3, role);
	if ((rc = sw__store_run_done(st, s, eb)))
		return rc;
	return st->ops->changes(st->db) ? SW_OK : SW_ENOTFOUND;
}

enum sw_err sw_store_site_persons(struct sw_store *st, int64_t site_id, int64_t person_id,
				  sw_link_cb cb, void *arg, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	rc = misc(st, site_id ? SW_QM_LINKS_SITE : person_id ? SW_QM_LINKS_PERSON : SW_QM_LINKS_ALL,
		  &s, eb);
	if (rc)
		return rc;
	if (site_id || person_id)
		st->ops->bind_int(s, 1, site_id ? site_id : person_id);
	while (!(rc = st->ops->step(s, &row, eb)) && row)
		if (cb(arg, st->ops->col_int(s, 0), st->ops->col_int(s, 1), st->ops->col_text(s, 2)))
			break;
	st->ops->reset(s);
	return rc;
}

static const char *const scope_names[] = {"global", "group", "site"};

enum sw_err sw_store_policy_get(struct sw_store *st, enum sw_scope scope, int64_t scope_id,
				sw_kv_cb cb, void *arg, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = misc(st, SW_QM_POLICY_GET, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, scope_names[scope]);
	st->ops->bind_int(s, 2, scope_id);
	while (!(rc = st->ops->step(s, &row, eb)) && row)
		if (cb(arg, st->ops->col_text(s, 0), st->ops->col_text(s, 1)))
			break;
	st->ops->reset(s);
	return rc;
}

enum sw_err sw_store_policy_set(struct sw_store *st, enum sw_scope scope, int64_t scope_id,
				const char *key, const char *value, struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;

	if ((rc = misc(st, value ? SW_QM_POLICY_SET : SW_QM_POLICY_DEL, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, scope_names[scope]);
	st->ops->bind_int(s, 2, scope_id);
	st->ops->bind_text(s, 3, key);
	if (value) {
		st->ops->bind_text(s, 4, value);
		st->ops->bind_text(s, 5, sw__store_now(st));
	}
	return sw__store_run_done(st, s, eb);
}

/* Maps the stored scope name back to its enum (unknown names, which the
 * schema's CHECK rules out, read as global). */
static enum sw_scope scope_of(const char *name)
{
	for (size_t i = 0; i < sizeof scope_names / sizeof scope_names[0]; i++)
		if (name && !strcmp(name, scope_names[i]))
			return (enum sw_scope)i;
	return SW_SCOPE_GLOBAL;
}

enum sw_err sw_store_policy_all(struct sw_store *st,
				int (*cb)(void *arg, const struct sw_policy_row *row), void *arg,
				struct sw_errbuf *eb)
{
	struct sw_policy_row r;
	struct sw_stmt *s;
	enum sw_err rc;
	int row;

	if ((rc = misc(st, SW_QM_POLICY_ALL, &s, eb)))
		return rc;
	while (!(rc = st->ops->step(s, &row, eb)) && row) {
		r.scope = scope_of(st->ops->col_text(s, 0));
		r.scope_id = st->ops->col_int(s, 1);
		r.key = st->ops->col_text(s, 2);
		r.value = st->ops->col_text(s, 3);
		r.updated_at = st->ops->col_text(s, 4);
		if (cb(arg, &r))
			break;
	}
	st->ops->reset(s);
	return rc;
}

enum sw_err sw_store_policy_put(struct sw_store *st, const struct sw_policy_row *row,
				struct sw_errbuf *eb)
{
	struct sw_stmt *s;
	enum sw_err rc;

	/* The same statement as policy_set, with the caller's timestamp. */
	if ((rc = misc(st, SW_QM_POLICY_SET, &s, eb)))
		return rc;
	st->ops->bind_text(s, 1, scope_names[row->scope]);
	st->ops->bind_int(s, 2, row->scope_id);
	st->ops->bind_text(s, 3, row->key);
	st->ops->bind_text(s, 4, row->value);
	st->ops->bind_text(s, 5, row->updated_at ? row->updated_at : sw__store_now(st));
	return sw__store_run_done(st, s, eb);
}
