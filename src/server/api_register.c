/*
 * api_register.c - the register over HTTP: sites, units, departments,
 * groups and persons (list, get, create, update, delete) and regions.
 *
 * Writes go through the same register functions as `sitewarden ENTITY
 * add|edit|remove` (sw_reg_apply field by field in table order, then
 * sw_reg_add/sw_reg_update), so the API accepts and refuses exactly what
 * the command line does; a JSON body only adds type checks (a string for
 * text, a number or a name for a reference, an array for a list) and
 * refuses unknown keys.
 *
 * Scope: reads pass the user's access to the store, so an out-of-scope
 * row is answered 404 like an absent one.  A scoped user's write on a row
 * it cannot see is 403, and so is a write that would put a row out of
 * its scope (checked inside the transaction, before the commit).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/policy.h"
#include "register/register.h"
#include "server/api_register.h"

/* Longest JSON array accepted for a list field or a person's sites. */
#define LIST_ITEMS_MAX 64

/* Room for one field's text (the register's own limit is lower). */
#define VALUE_MAX (SW_REG_TEXT_MAX + 8)

/* The record with what a single GET adds: for sites the state, the
 * responsible persons and the effective policy (new reference). */
static json_t *rec_full_json(struct sw_store *st, const struct sw_rec *rec);

/* Fills rs with the 400 of a value of the wrong type; returns -1. */
static int bad_type(struct sw_resp *rs, const char *key)
{
	sw_resp_error(rs, 400, key, "%s: wrong type or too long", key);
	return -1;
}

/* Joins a JSON array of strings with ';' (the register's list form). */
static int list_text(const struct sw_field *f, json_t *v, char *buf, size_t n,
		     struct sw_resp *rs)
{
	size_t i, used = 0;
	json_t *it;

	if (json_array_size(v) > LIST_ITEMS_MAX)
		return bad_type(rs, f->key);
	buf[0] = '\0';
	json_array_foreach(v, i, it) {
		const char *s = json_string_value(it);

		if (!s || strchr(s, ';') || strlen(s) != json_string_length(it) ||
		    used + strlen(s) + 2 >= n)
			return bad_type(rs, f->key);
		used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ";" : "", s);
	}
	return 0;
}

/* A JSON value as the text sw_reg_apply takes, into buf; *is_null for
 * null (clear the field).  Returns -1 (rs: 400) for a type the field
 * cannot hold. */
static int value_text(const struct sw_field *f, json_t *v, char *buf, size_t n, int *is_null,
		      struct sw_resp *rs)
{
	*is_null = json_is_null(v);
	if (*is_null)
		return 0;
	if (json_is_string(v)) {
		/* An embedded NUL would cut the value silently: refuse it. */
		if (json_string_length(v) >= n || strlen(json_string_value(v)) != json_string_length(v))
			return bad_type(rs, f->key);
		memcpy(buf, json_string_value(v), json_string_length(v) + 1);
		return 0;
	}
	if (json_is_integer(v) && (f->type == SW_FT_INT || f->type == SW_FT_REF)) {
		snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return 0;
	}
	if (json_is_boolean(v) && f->type == SW_FT_BOOL) {
		snprintf(buf, n, "%s", json_is_true(v) ? "1" : "0");
		return 0;
	}
	if (json_is_array(v) && f->type == SW_FT_LIST)
		return list_text(f, v, buf, n, rs);
	return bad_type(rs, f->key);
}

/* Refuses keys of body that are not input fields of ent (persons also
 * take "sites"). */
static int check_keys(const struct sw_entity *ent, json_t *body, struct sw_resp *rs)
{
	const char *key;
	json_t *v;

	json_object_foreach(body, key, v) {
		int i = sw_entity_field_key(ent, key);

		(void)v;
		if (ent->id == SW_ENT_PERSON && !strcmp(key, "sites"))
			continue;
		if (i < 0 || (ent->fields[i].flags & SW_F_DERIVED)) {
			sw_resp_error(rs, 400, key, "unknown field '%.60s'", key);
			return -1;
		}
	}
	return 0;
}

/* Answers a register error: the field at fault named, a reference to
 * nothing is bad input (400) rather than an absent resource. */
static int reg_error(struct sw_resp *rs, enum sw_err rc, const struct sw_errbuf *eb)
{
	if (rc == SW_ENOTFOUND && eb->field[0])
		return sw_resp_error(rs, 400, eb->field, "%s", eb->msg);
	if (rc == SW_ELIMIT)
		return sw_resp_error(rs, 400, eb->field[0] ? eb->field : NULL, "%s", eb->msg);
	return sw_resp_from_err(rs, rc, eb);
}

/* Applies the body's fields to rec in table order (the register derives
 * some fields from earlier ones).  NOEDIT fields only on create. */
static int apply_body(struct sw_req *rq, struct sw_resp *rs, struct sw_rec *rec, int edit)
{
	const struct sw_entity *ent = rec->ent;
	char *buf = malloc(VALUE_MAX);
	struct sw_errbuf eb;
	enum sw_err rc;
	int is_null, out = 0;

	if (!buf)
		return sw_resp_error(rs, 500, NULL, "out of memory"), -1;
	for (size_t i = 0; i < ent->nfields && !out; i++) {
		const struct sw_field *f = &ent->fields[i];
		json_t *v = json_object_get(rq->json, f->key);

		if (!v)
			continue;
		if (edit && (f->flags & SW_F_NOEDIT)) {
			sw_resp_error(rs, 400, f->key, "%s cannot be changed", f->key);
			out = -1;
		} else if ((out = value_text(f, v, buf, VALUE_MAX, &is_null, rs)) == 0) {
			sw_errbuf_clear(&eb);
			if ((rc = sw_reg_apply(rq->st, rec, (int)i, is_null ? NULL : buf, &eb))) {
				if (!eb.field[0])
					snprintf(eb.field, sizeof eb.field, "%s", f->key);
				reg_error(rs, rc == SW_ENOTFOUND ? SW_EINVAL : rc, &eb);
				out = -1;
			}
		}
	}
	free(buf);
	return out;
}

/* Links the person to the sites the body's "sites" names; each must be
 * visible to the user. */
static int person_sites(struct sw_req *rq, struct sw_resp *rs, const struct sw_rec *person,
			const struct sw_access *acc)
{
	const char *role = sw_rec_get(person, sw_field_index(SW_ENT_PERSON, "role"));
	json_t *sites = json_object_get(rq->json, "sites"), *it;
	struct sw_errbuf eb;
	struct sw_rec site;
	enum sw_err rc;
	int64_t id;
	size_t i;

	if (!sites)
		return 0;
	if (!json_is_array(sites) || json_array_size(sites) > LIST_ITEMS_MAX)
		return bad_type(rs, "sites");
	json_array_foreach(sites, i, it) {
		char ref[32];
		const char *s = json_string_value(it);

		if (json_is_integer(it))
			snprintf(ref, sizeof ref, "%" JSON_INTEGER_FORMAT, json_integer_value(it)), s = ref;
		if (!s)
			return bad_type(rs, "sites");
		sw_errbuf_clear(&eb);
		if ((rc = sw_reg_resolve(rq->st, sw_entity_get(SW_ENT_SITE), s, &id, &eb)) ||
		    (rc = sw_store_get_in(rq->st, sw_entity_get(SW_ENT_SITE), id, acc, &site, &eb))) {
			sw_resp_error(rs, 400, "sites", "sites: no such site '%.100s'", s);
			return -1;
		}
		sw_rec_cleanup(&site);
		if ((rc = sw_store_site_person_link(rq->st, id, person->id, role, &eb)))
			return reg_error(rs, rc, &eb), -1;
	}
	return 0;
}

/* Refuses (403) a write whose result the user could not see. */
static int still_in_scope(struct sw_req *rq, struct sw_resp *rs, const struct sw_rec *rec,
			  const struct sw_access *acc)
{
	struct sw_rec chk;
	enum sw_err rc;

	if (!acc)
		return 0;
	rc = sw_store_get_in(rq->st, rec->ent, rec->id, acc, &chk, NULL);
	sw_rec_cleanup(&chk);
	if (rc == SW_OK)
		return 0;
	sw_resp_error(rs, 403, NULL, "the %s would be outside your scope", rec->ent->name);
	return -1;
}

/* POST (id 0) or PUT of one record of ent. */
static int save(struct sw_req *rq, struct sw_resp *rs, enum sw_ent e, int64_t id)
{
	const struct sw_entity *ent = sw_entity_get(e);
	struct sw_access ab;
	const struct sw_access *acc = sw_api_access(rq->user, &ab);
	struct sw_errbuf eb;
	struct sw_rec rec;
	enum sw_err rc;

	if (!json_is_object(rq->json))
		return sw_resp_error(rs, 400, NULL, "the body must be a JSON object");
	if (check_keys(ent, rq->json, rs))
		return 0;
	sw_errbuf_clear(&eb);
	sw_rec_init(&rec, ent);
	if (id) {
		rc = sw_store_get_in(rq->st, ent, id, acc, &rec, &eb);
		if (rc == SW_ENOTFOUND)
			return sw_resp_error(rs, acc ? 403 : 404, NULL, "no %s %" PRId64 " you may change",
					     ent->name, id);
		if (rc)
			return sw_resp_from_err(rs, rc, &eb);
	}
	if ((rc = sw_store_begin(rq->st, &eb))) {
		sw_rec_cleanup(&rec);
		return sw_resp_from_err(rs, rc, &eb);
	}
	if (apply_body(rq, rs, &rec, id != 0))
		goto fail;
	rc = id ? sw_reg_update(rq->st, &rec, &eb) : sw_reg_add(rq->st, &rec, &eb);
	if (rc) {
		reg_error(rs, rc, &eb);
		goto fail;
	}
	if ((e == SW_ENT_PERSON && person_sites(rq, rs, &rec, acc)) ||
	    still_in_scope(rq, rs, &rec, acc))
		goto fail;
	if ((rc = sw_store_commit(rq->st, &eb))) {
		sw_resp_from_err(rs, rc, &eb);
		sw_rec_cleanup(&rec);
		return 0;
	}
	sw_resp_json(rs, id ? 200 : 201, rec_full_json(rq->st, &rec));
	sw_rec_cleanup(&rec);
	return 0;
fail:
	sw_store_rollback(rq->st);
	sw_rec_cleanup(&rec);
	return 0;
}

/* DELETE of one record of ent. */
static int del(struct sw_req *rq, struct sw_resp *rs, enum sw_ent e)
{
	const struct sw_entity *ent = sw_entity_get(e);
	struct sw_access ab;
	const struct sw_access *acc = sw_api_access(rq->user, &ab);
	struct sw_errbuf eb;
	struct sw_rec rec;
	enum sw_err rc;
	int64_t id;

	if (sw_api_id(rq, rs, 0, &id))
		return 0;
	sw_errbuf_clear(&eb);
	rc = sw_store_get_in(rq->st, ent, id, acc, &rec, &eb);
	sw_rec_cleanup(&rec);
	if (rc == SW_ENOTFOUND)
		return sw_resp_error(rs, acc ? 403 : 404, NULL, "no %s %" PRId64 " you may remove",
				     ent->name, id);
	if (rc || (rc = sw_reg_remove(rq->st, ent, id, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	return sw_resp_json(rs, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "deleted", 1));
}

/* Collects a site's responsible persons as {"id", "name", "role"}. */
struct persons_arg {
	struct sw_store *st;
	json_t *a;
};

static int person_row(void *arg, int64_t site_id, int64_t person_id, const char *role)
{
	struct persons_arg *p = arg;
	char name[256];

	(void)site_id;
	sw_reg_label(p->st, SW_ENT_PERSON, person_id, name, sizeof name);
	json_array_append_new(p->a, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)person_id,
					      "name", name, "role", role ? role : ""));
	return json_array_size(p->a) >= 1000; /* bounded: a site has a few */
}

static json_t *rec_full_json(struct sw_store *st, const struct sw_rec *rec)
{
	json_t *o = sw_api_rec_json(st, rec), *pol = json_object();
	struct persons_arg pa = {st, json_array()};
	static const char *const from[] = {"global", "group", "site"};
	const struct sw_policy_field *pf;
	struct sw_policy p;
	size_t n;

	if (rec->ent->id != SW_ENT_SITE) {
		json_decref(pa.a);
		json_decref(pol);
		return o;
	}
	json_object_set_new(o, "state", sw_api_state_json(st, rec->id));
	sw_store_site_persons(st, rec->id, 0, person_row, &pa, NULL);
	json_object_set_new(o, "persons", pa.a);
	if (sw_reg_policy(st, sw_rec_get_int(rec, sw_field_index(SW_ENT_SITE, "group"), 0), rec->id,
			  &p, NULL) == SW_OK) {
		pf = sw_policy_fields(&n);
		for (size_t i = 0; i < n; i++)
			json_object_set_new(pol, pf[i].key,
					    json_pack("{s:s, s:s}", "value", p.v[i], "from",
						      p.from[i] < 0 ? "default" : from[p.from[i]]));
	}
	json_object_set_new(o, "policy", pol);
	return o;
}

/* Collects list rows as JSON (sites with their state). */
struct list_arg {
	struct sw_store *st;
	json_t *items;
	int with_state;
};

static int list_row(void *arg, const struct sw_rec *rec)
{
	struct list_arg *l = arg;
	json_t *o = sw_api_rec_json(l->st, rec);

	if (l->with_state)
		json_object_set_new(o, "state", sw_api_state_json(l->st, rec->id));
	json_array_append_new(l->items, o);
	return 0;
}

/* GET of a list of ent with the filters of the query string. */
static int list(struct sw_req *rq, struct sw_resp *rs, enum sw_ent e)
{
	const struct sw_entity *ent = sw_entity_get(e);
	struct list_arg l = {rq->st, NULL, e == SW_ENT_SITE};
	struct sw_access ab;
	struct sw_filter f;
	struct sw_errbuf eb;
	enum sw_err rc;
	int64_t total = 0;

	if (sw_api_filter(rq, rs, ent, &f, &ab))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_count(rq->st, ent, &f, &total, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	l.items = json_array();
	/* The rows are rendered after the walk would be kinder to the
	 * statement cache, but a row's JSON needs look-ups (labels, state)
	 * that use other statements only: safe during the walk. */
	if ((rc = sw_store_list(rq->st, ent, &f, list_row, &l, &eb))) {
		json_decref(l.items);
		return sw_resp_from_err(rs, rc, &eb);
	}
	return sw_resp_json(rs, 200, sw_api_page_json(l.items, total, &f));
}

/* GET of one record of ent. */
static int get(struct sw_req *rq, struct sw_resp *rs, enum sw_ent e)
{
	struct sw_access ab;
	const struct sw_access *acc = sw_api_access(rq->user, &ab);
	struct sw_errbuf eb;
	struct sw_rec rec;
	enum sw_err rc;
	int64_t id;

	if (sw_api_id(rq, rs, 0, &id))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_get_in(rq->st, sw_entity_get(e), id, acc, &rec, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	sw_resp_json(rs, 200, rec_full_json(rq->st, &rec));
	sw_rec_cleanup(&rec);
	return 0;
}

static int put(struct sw_req *rq, struct sw_resp *rs, enum sw_ent e)
{
	int64_t id;

	if (sw_api_id(rq, rs, 0, &id))
		return 0;
	return save(rq, rs, e, id);
}

/* One set of handlers per entity. */
#define ENTITY_HANDLERS(name, E)                                                             \
	static int name##_list(struct sw_req *rq, struct sw_resp *rs) { return list(rq, rs, E); } \
	static int name##_get(struct sw_req *rq, struct sw_resp *rs) { return get(rq, rs, E); }   \
	static int name##_post(struct sw_req *rq, struct sw_resp *rs) { return save(rq, rs, E, 0); } \
	static int name##_put(struct sw_req *rq, struct sw_resp *rs) { return put(rq, rs, E); }   \
	static int name##_delete(struct sw_req *rq, struct sw_resp *rs) { return del(rq, rs, E); }

ENTITY_HANDLERS(sites, SW_ENT_SITE)
ENTITY_HANDLERS(units, SW_ENT_UNIT)
ENTITY_HANDLERS(depts, SW_ENT_DEPT)
ENTITY_HANDLERS(groups, SW_ENT_GROUP)
ENTITY_HANDLERS(persons, SW_ENT_PERSON)

/* GET /api/regions?parent=CODE: the regions directly under CODE (or the
 * provinces), everyone's reference data. */
struct regions_arg {
	struct sw_store *st;
	const char *parent; /* NULL: provinces */
	const struct sw_filter *f;
	int64_t seen;
	json_t *items;
};

static int region_row(void *arg, const struct sw_rec *rec)
{
	struct regions_arg *r = arg;
	const char *parent = sw_rec_get(rec, sw_field_index(SW_ENT_REGION, "parent"));
	int64_t level = sw_rec_get_int(rec, sw_field_index(SW_ENT_REGION, "level"), 0);

	if (r->parent ? !parent || strcmp(parent, r->parent) : level != 1)
		return 0;
	if (r->seen >= r->f->offset && r->seen < r->f->offset + r->f->limit)
		json_array_append_new(r->items, sw_api_rec_json(r->st, rec));
	r->seen++;
	return 0;
}

static int regions_list(struct sw_req *rq, struct sw_resp *rs)
{
	const char *parent = sw_req_arg(rq, "parent");
	struct regions_arg r = {rq->st, parent, NULL, 0, NULL};
	struct sw_filter f = {0}, walk = {0};
	struct sw_errbuf eb;
	enum sw_err rc;

	if (sw_api_page(rq, rs, &f))
		return 0;
	if (parent && (strlen(parent) != 6 || strspn(parent, "0123456789") != 6))
		return sw_resp_error(rs, 400, "parent", "parent must be a six-digit region code");
	/* The children lie in the parent's code range: walk that, keep the
	 * direct ones (a country has a few thousand regions at most). */
	walk.region = parent;
	r.f = &f;
	r.items = json_array();
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_list(rq->st, sw_entity_get(SW_ENT_REGION), &walk, region_row, &r, &eb))) {
		json_decref(r.items);
		return sw_resp_from_err(rs, rc, &eb);
	}
	return sw_resp_json(rs, 200, sw_api_page_json(r.items, r.seen, &f));
}

int sw__api_import(struct sw_req *rq, struct sw_resp *rs); /* api_import.c */

#define READERS (SW_ROLE_ADMIN | SW_ROLE_SUPERVISOR | SW_ROLE_OPERATOR | SW_ROLE_AUDITOR)
#define STAFF (SW_ROLE_ADMIN | SW_ROLE_SUPERVISOR)
#define EDITORS (SW_ROLE_ADMIN | SW_ROLE_SUPERVISOR | SW_ROLE_OPERATOR)

#define ENTITY_ROUTES(name, path, post_roles, put_roles, del_roles)                         \
	{"GET", "/api/" path, name##_list, 0, READERS, "list " path},                           \
	{"POST", "/api/" path, name##_post, SW_R_WRITE, post_roles, "add to " path},            \
	{"GET", "/api/" path "/{id}", name##_get, 0, READERS, "one of " path},                  \
	{"PUT", "/api/" path "/{id}", name##_put, SW_R_WRITE, put_roles, "edit one of " path},  \
	{"DELETE", "/api/" path "/{id}", name##_delete, SW_R_WRITE, del_roles, "remove one of " path}

const struct sw_route sw_api_routes_register[] = {
	ENTITY_ROUTES(sites, "sites", STAFF, EDITORS, STAFF),
	ENTITY_ROUTES(units, "units", STAFF, EDITORS, STAFF),
	ENTITY_ROUTES(depts, "depts", SW_ROLE_ADMIN, SW_ROLE_ADMIN, SW_ROLE_ADMIN),
	ENTITY_ROUTES(groups, "groups", SW_ROLE_ADMIN, SW_ROLE_ADMIN, SW_ROLE_ADMIN),
	ENTITY_ROUTES(persons, "persons", EDITORS, EDITORS, EDITORS),
	{"GET", "/api/regions", regions_list, 0, READERS, "regions (GB/T 2260)"},
	{"POST", "/api/import", sw__api_import, SW_R_WRITE, SW_ROLE_ADMIN,
	 "import a register (CSV), all or nothing"},
	{0},
};
