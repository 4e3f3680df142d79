/*
 * import_cols.c - reading the header of an imported file: which column
 * feeds which field, and (when not told) what kind of register it is.
 *
 * Unknown columns are errors, not silently dropped: a misspelt "ICP备案号"
 * header would otherwise lose every filing number of the file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "register/import_int.h"
#include "register/register.h"

/* Headers that number rows and carry no data. */
static int ignorable(const char *h)
{
	static const char *const words[] = {"", "序号", "编号", "no", "no.", "#", "行号", NULL};

	for (int i = 0; words[i]; i++)
		if (strcasecmp(h, words[i]) == 0)
			return 1;
	return 0;
}

/* Matches the person columns of a site register: "<role>", "<role>电话",
 * "<role>邮箱" for each role's Chinese names, or "<key>_name|phone|email". */
static int person_col(const char *h, struct sw__col *c)
{
	static const char *const phone_sfx[] = {"电话", "手机", "联系电话", "手机号", NULL};
	static const char *const email_sfx[] = {"邮箱", "电子邮箱", "电子邮件", NULL};
	char names[256], cand[300], *save = NULL;

	for (int r = 0; sw_person_roles[r].key; r++) {
		const struct sw_enum_val *v = &sw_person_roles[r];

		c->role = r;
		snprintf(cand, sizeof cand, "%s_name", v->key);
		if (!strcasecmp(h, cand) || !strcasecmp(h, v->key))
			return c->t = SW_COL_PNAME, 1;
		snprintf(cand, sizeof cand, "%s_phone", v->key);
		if (!strcasecmp(h, cand))
			return c->t = SW_COL_PPHONE, 1;
		snprintf(cand, sizeof cand, "%s_email", v->key);
		if (!strcasecmp(h, cand))
			return c->t = SW_COL_PEMAIL, 1;
		snprintf(names, sizeof names, "%s|%s", v->zh, v->aliases ? v->aliases : "");
		for (char *n = strtok_r(names, "|", &save); n; n = strtok_r(NULL, "|", &save)) {
			if (!strcmp(h, n))
				return c->t = SW_COL_PNAME, 1;
			for (int i = 0; phone_sfx[i]; i++)
				if (snprintf(cand, sizeof cand, "%s%s", n, phone_sfx[i]) > 0 && !strcmp(h, cand))
					return c->t = SW_COL_PPHONE, 1;
			for (int i = 0; email_sfx[i]; i++)
				if (snprintf(cand, sizeof cand, "%s%s", n, email_sfx[i]) > 0 && !strcmp(h, cand))
					return c->t = SW_COL_PEMAIL, 1;
		}
	}
	return 0;
}

/* Maps one header of a site register. */
static int site_col(const char *h, struct sw__col *c)
{
	const struct sw_entity *site = sw_entity_get(SW_ENT_SITE);
	const struct sw_entity *unit = sw_entity_get(SW_ENT_UNIT);
	int f = sw_entity_field(site, h);

	if (f >= 0) {
		const char *key = site->fields[f].key;

		c->field = f;
		if (!strcmp(key, "unit")) {
			c->t = SW_COL_UNIT;
			c->field = sw_field_index(SW_ENT_UNIT, "name");
		} else {
			c->t = !strcmp(key, "group") ? SW_COL_GROUP : SW_COL_MAIN;
		}
		return 1;
	}
	if ((f = sw_entity_field(unit, h)) >= 0 && strcmp(unit->fields[f].key, "note") != 0) {
		c->field = f;
		c->t = !strcmp(unit->fields[f].key, "department") ? SW_COL_UNIT_DEPT : SW_COL_UNIT;
		return 1;
	}
	return person_col(h, c);
}

/* Maps one header of a units/persons/regions/departments file. */
static int plain_col(struct sw__imp *imp, const char *h, struct sw__col *c)
{
	static const char *const site_words[] = {"网站", "site", "sites", "首页地址", "url", NULL};
	int f = sw_entity_field(imp->ent, h);

	if (f >= 0) {
		c->t = SW_COL_MAIN;
		c->field = f;
		return !(imp->ent->fields[f].flags & SW_F_DERIVED);
	}
	for (int i = 0; imp->kind == SW_IMPORT_PERSONS && site_words[i]; i++)
		if (!strcasecmp(h, site_words[i]))
			return c->t = SW_COL_SITES, 1;
	return 0;
}

/* True when one of the n headers names field `key` of entity e. */
static int has_col(const char **h, size_t n, enum sw_ent e, const char *key)
{
	const struct sw_entity *ent = sw_entity_get(e);

	for (size_t i = 0; i < n; i++) {
		char buf[256];
		int f;

		snprintf(buf, sizeof buf, "%s", h[i]);
		f = sw_entity_field(ent, sw_reg_trim(buf));
		if (f >= 0 && !strcmp(ent->fields[f].key, key))
			return 1;
	}
	return 0;
}

/* Guesses the kind of register from the header (see import.h). */
static enum sw_import_kind detect(const char **h, size_t n)
{
	if (has_col(h, n, SW_ENT_SITE, "url"))
		return SW_IMPORT_SITES;
	if (has_col(h, n, SW_ENT_PERSON, "role"))
		return SW_IMPORT_PERSONS;
	if (has_col(h, n, SW_ENT_DEPT, "kind"))
		return SW_IMPORT_DEPTS;
	if (has_col(h, n, SW_ENT_UNIT, "type") || has_col(h, n, SW_ENT_UNIT, "credit_code"))
		return SW_IMPORT_UNITS;
	if (has_col(h, n, SW_ENT_REGION, "code") && has_col(h, n, SW_ENT_REGION, "name"))
		return SW_IMPORT_REGIONS;
	return SW_IMPORT_AUTO;
}

static const enum sw_ent kind_ent[] = {
	[SW_IMPORT_SITES] = SW_ENT_SITE,     [SW_IMPORT_UNITS] = SW_ENT_UNIT,
	[SW_IMPORT_PERSONS] = SW_ENT_PERSON, [SW_IMPORT_REGIONS] = SW_ENT_REGION,
	[SW_IMPORT_DEPTS] = SW_ENT_DEPT,
};

/* Reports required columns that are missing. */
static void check_required(struct sw__imp *imp)
{
	for (size_t f = 0; f < imp->ent->nfields; f++) {
		const struct sw_field *fd = &imp->ent->fields[f];
		int found = 0;

		if (!(fd->flags & SW_F_REQUIRED))
			continue;
		for (size_t c = 0; c < imp->ncols && !found; c++)
			found = (imp->cols[c].t == SW_COL_MAIN && imp->cols[c].field == (int)f) ||
				(imp->kind == SW_IMPORT_SITES && !strcmp(fd->key, "unit") &&
				 imp->cols[c].t == SW_COL_UNIT &&
				 imp->cols[c].field == sw_field_index(SW_ENT_UNIT, "name"));
		if (!found)
			sw__imp_err(imp, -1, "required column %s (%s) is missing", fd->zh, fd->key);
	}
}

/* True when column c feeds the same target as an earlier column. */
static int duplicate(const struct sw__imp *imp, size_t c)
{
	const struct sw__col *a = &imp->cols[c];

	for (size_t i = 0; i < c; i++) {
		const struct sw__col *b = &imp->cols[i];

		if (a->t != SW_COL_IGNORE && a->t == b->t && a->field == b->field && a->role == b->role)
			return 1;
	}
	return 0;
}

enum sw_err sw__imp_header(struct sw__imp *imp, const char **fields, size_t n)
{
	size_t before = imp->stats->errors;

	if (imp->kind == SW_IMPORT_AUTO && (imp->kind = detect(fields, n)) == SW_IMPORT_AUTO) {
		sw__imp_err(imp, -1, "cannot tell what the file holds from its header; "
				     "use --kind sites|units|persons|regions|depts");
		return SW_EINVAL;
	}
	imp->stats->kind = imp->kind;
	imp->ent = sw_entity_get(kind_ent[imp->kind]);
	imp->ncols = n;
	for (size_t c = 0; c < n; c++) {
		struct sw__col *col = &imp->cols[c];
		int ok;

		/* The reader reuses its buffers: keep a copy (freed by the importer). */
		if (!(col->header = strdup(sw_reg_trim((char *)fields[c]))))
			return SW_ENOMEM;
		col->t = SW_COL_IGNORE;
		col->role = -1;
		col->field = -1;
		if (ignorable(col->header))
			continue;
		ok = imp->kind == SW_IMPORT_SITES ? site_col(col->header, col)
						  : plain_col(imp, col->header, col);
		if (!ok)
			sw__imp_err(imp, (int)c, "unknown column for a %s register", imp->ent->name);
		else if (duplicate(imp, c))
			sw__imp_err(imp, (int)c, "column appears twice");
	}
	check_required(imp);
	return imp->stats->errors > before ? SW_EINVAL : SW_OK;
}
