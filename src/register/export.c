/*
 * export.c - building the site table of the register (see export.h).
 */
#include "register/export.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "model/entity.h"
#include "register/register.h"

/* Unit fields shown right after the site's unit name. */
static const char *const unit_keys[] = {"type", "credit_code", "region", "department"};
#define NUNIT (sizeof unit_keys / sizeof unit_keys[0])
#define NPART 3 /* name, phone, e-mail per role */
#define NROLES 4
#define MAXCOLS (SW_REC_MAX_FIELDS + NUNIT + NROLES * NPART)

struct exp {
	struct sw_store *st;
	int english;
	sw_export_row_fn fn;
	void *arg;
	enum sw_err rc;
	struct sw_errbuf *eb;
	struct sw_strmap labels; /* "ent:id" -> index into cache strings */
	char **cache;
	size_t ncache, capcache;
};

/* Display text of a field value: labels for enums/booleans in Chinese mode,
 * keys in English mode; references by label. */
static void text_of(struct exp *x, const struct sw_field *f, const char *v, char *buf, size_t n)
{
	if (!v) {
		buf[0] = '\0';
		return;
	}
	if (f->type == SW_FT_ENUM && !x->english)
		snprintf(buf, n, "%s", sw_enum_zh(f->enums, v));
	else if (f->type == SW_FT_BOOL)
		snprintf(buf, n, "%s", strcmp(v, "1") == 0 ? (x->english ? "yes" : "是")
							    : (x->english ? "no" : "否"));
	else
		snprintf(buf, n, "%s", v);
}

/* Label of row id of entity e, cached: a group or unit of thousands of
 * sites is read once. */
static const char *label(struct exp *x, enum sw_ent e, int64_t id)
{
	char key[48], buf[512];
	int64_t idx;

	snprintf(key, sizeof key, "%d:%" PRId64, (int)e, id);
	if (sw_strmap_get(&x->labels, key, &idx))
		return x->cache[idx];
	sw_reg_label(x->st, e, id, buf, sizeof buf);
	if (x->ncache == x->capcache) {
		size_t cap = x->capcache ? 2 * x->capcache : 256;
		char **c = realloc(x->cache, cap * sizeof *c);

		if (!c)
			return "";
		x->cache = c;
		x->capcache = cap;
	}
	if (!(x->cache[x->ncache] = strdup(buf)) ||
	    sw_strmap_put(&x->labels, key, (int64_t)x->ncache)) {
		free(x->cache[x->ncache]);
		return "";
	}
	return x->cache[x->ncache++];
}

/* Frees the label cache of x. */
static void exp_cleanup(struct exp *x)
{
	for (size_t i = 0; i < x->ncache; i++)
		free(x->cache[i]);
	free(x->cache);
	sw_strmap_cleanup(&x->labels);
}

/* Emits the header row. */
static enum sw_err header(struct exp *x)
{
	const struct sw_entity *site = sw_entity_get(SW_ENT_SITE);
	const struct sw_entity *unit = sw_entity_get(SW_ENT_UNIT);
	static const char *const part_zh[] = {"", "电话", "邮箱"};
	static const char *const part_en[] = {"_name", "_phone", "_email"};
	char names[MAXCOLS][64];
	const char *vals[MAXCOLS];
	size_t n = 0;

	for (size_t i = 0; i < site->nfields; i++) {
		const struct sw_field *f = &site->fields[i];

		snprintf(names[n], 64, "%s", x->english ? f->key : f->zh);
		vals[n] = names[n];
		n++;
		if (strcmp(f->key, "unit") != 0)
			continue;
		for (size_t u = 0; u < NUNIT; u++) {
			const struct sw_field *uf = &unit->fields[sw_field_index(SW_ENT_UNIT, unit_keys[u])];

			/* "type" alone would be ambiguous in a site table. */
			snprintf(names[n], 64, "%s", x->english ? (u == 0 ? "unit_type" : uf->key) : uf->zh);
			vals[n] = names[n];
			n++;
		}
	}
	for (int r = 0; r < NROLES; r++)
		for (int p = 0; p < NPART; p++) {
			if (x->english)
				snprintf(names[n], 64, "%s%s", sw_person_roles[r].key, part_en[p]);
			else
				snprintf(names[n], 64, "%s%s", sw_person_roles[r].zh, part_zh[p]);
			vals[n] = names[n];
			n++;
		}
	return x->fn(x->arg, vals, n);
}

/* The first person linked to a site in each role, found by walking links. */
struct persons {
	struct exp *x;
	struct sw_rec p[NROLES];
};

static int person_cb(void *arg, int64_t site, int64_t person, const char *role)
{
	struct persons *ps = arg;

	(void)site;
	for (int r = 0; r < NROLES; r++)
		if (!strcmp(sw_person_roles[r].key, role) && ps->p[r].id == 0)
			sw_store_get(ps->x->st, sw_entity_get(SW_ENT_PERSON), person, &ps->p[r], NULL);
	return 0;
}

/* Emits the row of one site. */
static int site_cb(void *arg, const struct sw_rec *s)
{
	struct exp *x = arg;
	const struct sw_entity *unit = sw_entity_get(SW_ENT_UNIT);
	struct persons ps = {.x = x};
	char cells[MAXCOLS][SW_REG_TEXT_MAX + 1];
	const char *vals[MAXCOLS];
	struct sw_rec u = {0};
	size_t n = 0;

	sw_rec_init(&u, unit);
	for (int r = 0; r < NROLES; r++)
		sw_rec_init(&ps.p[r], sw_entity_get(SW_ENT_PERSON));
	sw_store_site_persons(x->st, s->id, 0, person_cb, &ps, NULL);
	for (size_t i = 0; i < s->ent->nfields; i++) {
		const struct sw_field *f = &s->ent->fields[i];
		const char *v = s->v[i];

		if (f->type == SW_FT_REF && v)
			snprintf(cells[n], sizeof cells[n], "%s", label(x, f->ref, strtoll(v, NULL, 10)));
		else
			text_of(x, f, v, cells[n], sizeof cells[n]);
		vals[n] = cells[n];
		n++;
		if (strcmp(f->key, "unit") != 0)
			continue;
		if (v)
			sw_store_get(x->st, unit, strtoll(v, NULL, 10), &u, NULL);
		for (size_t k = 0; k < NUNIT; k++) {
			int fi = sw_field_index(SW_ENT_UNIT, unit_keys[k]);
			const char *uv = sw_rec_get(&u, fi);

			if (unit->fields[fi].type == SW_FT_REF && uv)
				snprintf(cells[n], sizeof cells[n], "%s", label(x, SW_ENT_DEPT, strtoll(uv, NULL, 10)));
			else
				text_of(x, &unit->fields[fi], uv, cells[n], sizeof cells[n]);
			vals[n] = cells[n];
			n++;
		}
	}
	for (int r = 0; r < NROLES; r++) {
		static const char *const keys[] = {"name", "phone", "email"};

		for (int p = 0; p < NPART; p++) {
			const char *pv = ps.p[r].id ? sw_rec_get(&ps.p[r], sw_field_index(SW_ENT_PERSON, keys[p])) : NULL;

			snprintf(cells[n], sizeof cells[n], "%s", pv ? pv : "");
			vals[n] = cells[n];
			n++;
		}
		sw_rec_cleanup(&ps.p[r]);
	}
	sw_rec_cleanup(&u);
	x->rc = x->fn(x->arg, vals, n);
	return x->rc != SW_OK;
}

enum sw_err sw_export_sites(struct sw_store *st, const struct sw_filter *f, int english,
			    sw_export_row_fn fn, void *arg, struct sw_errbuf *eb)
{
	struct exp x = {.st = st, .english = english, .fn = fn, .arg = arg, .eb = eb};
	enum sw_err rc;

	sw_strmap_init(&x.labels);
	if (!(rc = header(&x))) {
		rc = sw_store_list(st, sw_entity_get(SW_ENT_SITE), f, site_cb, &x, eb);
		if (!rc)
			rc = x.rc;
	}
	exp_cleanup(&x);
	return rc;
}

/* Emits one row of a plain entity table (every field, references by label). */
static int plain_cb(void *arg, const struct sw_rec *r)
{
	struct exp *x = arg;
	char cells[SW_REC_MAX_FIELDS + 1][SW_REG_TEXT_MAX + 1];
	const char *vals[SW_REC_MAX_FIELDS + 1];
	size_t n = 0;

	snprintf(cells[n], sizeof cells[n], "%" PRId64, r->id);
	vals[n] = cells[n];
	n++;
	for (size_t i = 0; i < r->ent->nfields; i++, n++) {
		const struct sw_field *f = &r->ent->fields[i];

		if (f->type == SW_FT_REF && r->v[i])
			snprintf(cells[n], sizeof cells[n], "%s",
				 label(x, f->ref, strtoll(r->v[i], NULL, 10)));
		else
			text_of(x, f, r->v[i], cells[n], sizeof cells[n]);
		vals[n] = cells[n];
	}
	x->rc = x->fn(x->arg, vals, n);
	return x->rc != SW_OK;
}

enum sw_err sw_export_table(struct sw_store *st, const struct sw_entity *ent, int english,
			    sw_export_row_fn fn, void *arg, struct sw_errbuf *eb)
{
	struct exp x = {.st = st, .english = english, .fn = fn, .arg = arg, .eb = eb};
	const char *hdr[SW_REC_MAX_FIELDS + 1];
	enum sw_err rc;
	size_t n = 0;

	hdr[n++] = english ? "id" : "编号";
	for (size_t i = 0; i < ent->nfields; i++)
		hdr[n++] = english ? ent->fields[i].key : ent->fields[i].zh;
	sw_strmap_init(&x.labels);
	if (!(rc = fn(arg, hdr, n))) {
		rc = sw_store_list(st, ent, NULL, plain_cb, &x, eb);
		if (!rc)
			rc = x.rc;
	}
	exp_cleanup(&x);
	return rc;
}
