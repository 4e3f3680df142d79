/*
 * import.c - the rows of an imported register (see import.h).
 *
 * A site row also names its unit, the unit's department, the site's group
 * and up to four responsible persons.  Those are looked up (by credit code
 * or name) and created when new, remembering what this import created so a
 * unit with twenty sites is created once.  Everything happens inside one
 * transaction; a rejected row dooms it, and the remaining rows are still
 * checked so that every problem of the file is reported in one run.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/xlsx.h"
#include "register/import_int.h"
#include "register/register.h"

/* Look-up keys join up to three values of at most SW_REG_TEXT_MAX bytes, so
 * none is ever cut (two long names must not collide). */
#define KEY_MAX (3 * SW_REG_TEXT_MAX + 64)

static const char *const kind_names[] = {"auto", "sites", "units", "persons", "regions",
					 "depts"};

int sw_import_kind_parse(const char *name)
{
	for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
		if (!strcmp(name, kind_names[i]))
			return (int)i;
	return -1;
}

const char *sw_import_kind_name(enum sw_import_kind k)
{
	return (unsigned)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "?";
}

void sw__imp_err(struct sw__imp *imp, int c, const char *fmt, ...)
{
	char msg[600], cell[32] = "", col[8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	imp->stats->errors++;
	if (!imp->row_bad && imp->row > 0)
		imp->stats->rejected++;
	imp->row_bad = 1;
	if (imp->xlsx && c >= 0) {
		sw_xlsx_col_name((size_t)c, col);
		snprintf(cell, sizeof cell, "%s%zu", col, imp->line);
	}
	if (imp->err_fn)
		imp->err_fn(imp->arg, imp->row, imp->line, c >= 0 ? imp->cols[c].header : NULL,
			    *cell ? cell : NULL, msg);
}

/* Writes the strings of parts[] (NULL-terminated) joined by sep into buf
 * (n bytes, cut if need be): the look-up keys of every row, without
 * snprintf's cost. */
static const char *join(char *buf, size_t n, char sep, const char *const *parts)
{
	size_t used = 0;

	for (size_t i = 0; parts[i] && used + 1 < n; i++) {
		size_t len = strnlen(parts[i], n - used - 1);

		if (i > 0 && sep) {
			buf[used++] = sep;
			len = len > n - used - 1 ? n - used - 1 : len;
		}
		memcpy(buf + used, parts[i], len);
		used += len;
	}
	buf[used] = '\0';
	return buf;
}

/* Reports a failed register call on column c, or on the column that feeds
 * the field the register named (eb->field) when c < 0. */
static void fail(struct sw__imp *imp, int c, enum sw__col_target t, enum sw_err rc,
		 const struct sw_errbuf *eb)
{
	if (c < 0 && eb->field[0]) {
		for (size_t i = 0; i < imp->ncols && c < 0; i++) {
			const struct sw__col *col = &imp->cols[i];

			if (col->t == t && col->field >= 0 &&
			    !strcmp(sw_entity_get(t == SW_COL_MAIN ? imp->ent->id : SW_ENT_UNIT)
					    ->fields[col->field].key,
				    eb->field))
				c = (int)i;
		}
	}
	sw__imp_err(imp, c, "%s", sw_errbuf_empty(eb) ? sw_strerror(rc) : eb->msg);
}

/* Lists the columns of target t in field order into out (see apply_cols). */
static size_t order_cols(const struct sw__imp *imp, enum sw__col_target t, size_t nfields,
			 int *out)
{
	size_t n = 0;

	for (size_t f = 0; f < nfields; f++)
		for (size_t c = 0; c < imp->ncols; c++)
			if (imp->cols[c].t == t && imp->cols[c].field == (int)f)
				out[n++] = (int)c;
	return n;
}

/* Applies the columns of target t (listed in cols[0..ncols) in field
 * order) to rec; errors are reported per column and counted. */
static int apply_cols(struct sw__imp *imp, struct sw_rec *rec, enum sw__col_target t,
		      const int *cols, size_t ncols, const char **v, size_t n)
{
	struct sw_errbuf eb;
	enum sw_err rc;
	int bad = 0;

	for (size_t i = 0; i < ncols; i++) {
		int c = cols[i];

		if ((size_t)c >= n)
			continue; /* a short row: the missing cells are empty */
		sw_errbuf_clear(&eb);
		if ((rc = sw_reg_apply(imp->st, rec, imp->cols[c].field, v[c], &eb))) {
			fail(imp, c, t, rc, &eb);
			bad++;
		}
	}
	return bad;
}

/* Column index of the first column of target t (and role), or -1. */
static int col_of(const struct sw__imp *imp, enum sw__col_target t, int role)
{
	for (size_t c = 0; c < imp->ncols; c++)
		if (imp->cols[c].t == t && (role < 0 || imp->cols[c].role == role))
			return (int)c;
	return -1;
}

/* The column holding the unit's name (主办单位), or -1. */
static int unit_name_col(const struct sw__imp *imp)
{
	int name = sw_field_index(SW_ENT_UNIT, "name");

	for (size_t c = 0; c < imp->ncols; c++)
		if (imp->cols[c].t == SW_COL_UNIT && imp->cols[c].field == name)
			return (int)c;
	return -1;
}

/* Value of column c in this row ("" when missing or c < 0), trimmed and
 * cut at bufsz - 1 bytes.  (memcpy: this runs for every cell of a file.) */
static char *val(const char **v, size_t n, int c, char *buf, size_t bufsz)
{
	size_t len;

	if (c < 0 || (size_t)c >= n)
		return buf[0] = '\0', buf;
	len = strnlen(v[c], bufsz - 1);
	memcpy(buf, v[c], len);
	buf[len] = '\0';
	return sw_reg_trim(buf);
}

/* Adds rec; counts it; reports a failure against column hint c. */
static enum sw_err add(struct sw__imp *imp, struct sw_rec *rec, int c, enum sw__col_target t)
{
	struct sw_errbuf eb;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	if ((rc = sw_reg_add(imp->st, rec, &eb)))
		fail(imp, c, t, rc, &eb);
	else
		imp->stats->added[rec->ent->id]++;
	return rc;
}

/* Key of a department: its name and region code. */
static const char *dept_key(char *buf, size_t n, const char *name, const char *region)
{
	return join(buf, n, '|', (const char *[]){name, region, NULL});
}

/*
 * Finds the department `name` that supervises a unit in `region`: one of
 * that name registered in the unit's county, city or province (a
 * department supervises the units below it; two cities may each have a
 * "市网信办").  Creates it in the unit's region when there is none.
 */
static enum sw_err dept_id(struct sw__imp *imp, const char *name, const char *region, int c,
			   int64_t *id)
{
	const struct sw_entity *ent = sw_entity_get(SW_ENT_DEPT);
	char key[KEY_MAX], up[8];
	struct sw_rec d;
	enum sw_err rc;

	if (!region) {
		sw__imp_err(imp, c, "department '%s' needs the unit's region (行政区划代码)", name);
		return SW_EINVAL;
	}
	if (sw_strmap_get(&imp->depts, dept_key(key, sizeof key, name, region), id))
		return SW_OK;
	for (int keep = 4; keep >= 2; keep -= 2) {
		snprintf(up, sizeof up, "%.*s%.*s", keep, region, 6 - keep, "0000");
		if (sw_strmap_get(&imp->depts, dept_key(key, sizeof key, name, up), id))
			return SW_OK;
	}
	sw_rec_init(&d, ent);
	if (!(rc = sw_rec_set(&d, sw_field_index(SW_ENT_DEPT, "name"), name)) &&
	    !(rc = sw_rec_set(&d, sw_field_index(SW_ENT_DEPT, "region"), region)))
		rc = add(imp, &d, c, SW_COL_UNIT_DEPT);
	*id = d.id;
	sw_rec_cleanup(&d);
	return rc ? rc : sw_strmap_put(&imp->depts, dept_key(key, sizeof key, name, region), *id);
}

/* Remembers unit id under its name; a name two units share maps to -1 so
 * that naming it alone is refused as ambiguous. */
static enum sw_err remember_unit_name(struct sw__imp *imp, const char *name, int64_t id)
{
	char key[KEY_MAX];
	int64_t old;

	snprintf(key, sizeof key, "name:%s", name);
	if (sw_strmap_get(&imp->units, key, &old) && old != id)
		id = -1;
	return sw_strmap_put(&imp->units, key, id);
}

/* Checks, once per import, that an existing unit found by credit code has
 * the name the row gives it: otherwise one of the two is mistyped. */
static enum sw_err verify_unit(struct sw__imp *imp, const char *key, int64_t id,
			       const char *name)
{
	const struct sw_entity *ent = sw_entity_get(SW_ENT_UNIT);
	struct sw_rec old;
	int64_t seen;
	const char *was;

	char pair[KEY_MAX];

	/* A code already seen with this very name needs no second look. */
	join(pair, sizeof pair, '|', (const char *[]){key, name, NULL});
	if (sw_strmap_get(&imp->verified, pair, &seen))
		return SW_OK;
	if (sw_store_get(imp->st, ent, id, &old, NULL) == SW_OK) {
		was = sw_rec_get(&old, sw_field_index(SW_ENT_UNIT, "name"));
		if (was && strcmp(was, name) != 0) {
			sw__imp_err(imp, unit_name_col(imp),
				    "credit code %s is registered to unit '%s'", key + 5, was);
			sw_rec_cleanup(&old);
			return SW_EINVAL;
		}
		sw_rec_cleanup(&old);
	}
	return sw_strmap_put(&imp->verified, pair, id);
}

/*
 * Finds the unit a site row names (by credit code, else by name) or creates
 * it from the row's unit columns.
 */
static enum sw_err unit_id(struct sw__imp *imp, struct sw_rec *u, int64_t *id)
{
	const char *name = sw_rec_get(u, sw_field_index(SW_ENT_UNIT, "name"));
	const char *code = sw_rec_get(u, sw_field_index(SW_ENT_UNIT, "credit_code"));
	char key[KEY_MAX];

	if (!name) {
		sw__imp_err(imp, unit_name_col(imp), "the sponsor unit (主办单位) is required");
		return SW_EINVAL;
	}
	join(key, sizeof key, 0, (const char *[]){code ? "code:" : "name:", code ? code : name, NULL});
	if (sw_strmap_get(&imp->units, key, id)) {
		if (*id < 0) {
			sw__imp_err(imp, unit_name_col(imp),
				    "several units are called '%s'; add the credit code", name);
			return SW_EINVAL;
		}
		return code ? verify_unit(imp, key, *id, name) : SW_OK;
	}
	if (add(imp, u, -1, SW_COL_UNIT))
		return SW_EINVAL;
	*id = u->id;
	if (sw_strmap_put(&imp->units, key, *id))
		return SW_ENOMEM;
	return code ? remember_unit_name(imp, name, *id) : SW_OK;
}

/* Finds or creates the group called name. */
static enum sw_err group_id(struct sw__imp *imp, const char *name, int c, int64_t *id)
{
	const struct sw_entity *ent = sw_entity_get(SW_ENT_GROUP);
	struct sw_rec g;
	enum sw_err rc;

	if (sw_strmap_get(&imp->groups, name, id))
		return SW_OK;
	sw_rec_init(&g, ent);
	if (!(rc = sw_rec_set(&g, sw_field_index(SW_ENT_GROUP, "name"), name)))
		rc = add(imp, &g, c, SW_COL_GROUP);
	*id = g.id;
	sw_rec_cleanup(&g);
	return rc ? rc : sw_strmap_put(&imp->groups, name, *id);
}

/* Key of a person: unit, role, name and phone (canonical), so the same
 * person named on many rows, or in a later file, is one row. */
static const char *person_key(char *buf, size_t n, int64_t unit, const char *role,
			      const struct sw_rec *p)
{
	const char *name = sw_rec_get(p, sw_field_index(SW_ENT_PERSON, "name"));
	const char *phone = sw_rec_get(p, sw_field_index(SW_ENT_PERSON, "phone"));
	char uid[24];

	snprintf(uid, sizeof uid, "%" PRId64, unit);
	return join(buf, n, '|',
		    (const char *[]){uid, role, name ? name : "", phone ? phone : "", NULL});
}

/* Creates (or reuses) the person of role r named in
 * the row and makes them responsible for site_id. */
static void site_person(struct sw__imp *imp, const char **v, size_t n, int r, int64_t unit,
			int64_t site_id)
{
	const struct sw_entity *ent = sw_entity_get(SW_ENT_PERSON);
	int cn = col_of(imp, SW_COL_PNAME, r), cp = col_of(imp, SW_COL_PPHONE, r);
	int ce = col_of(imp, SW_COL_PEMAIL, r);
	char name[SW_REG_TEXT_MAX + 1], phone[SW_REG_TEXT_MAX + 1], email[SW_REG_TEXT_MAX + 1];
	char key[KEY_MAX];
	const char *role = sw_person_roles[r].key;
	struct sw_errbuf eb;
	struct sw_rec p;
	int64_t id = 0;
	enum sw_err rc;

	val(v, n, cn, name, sizeof name);
	val(v, n, cp, phone, sizeof phone);
	val(v, n, ce, email, sizeof email);
	if (!*name) {
		if (*phone || *email)
			sw__imp_err(imp, *phone ? cp : ce, "contact details given without a %s name",
				    sw_person_roles[r].zh);
		return;
	}
	sw_rec_init(&p, ent);
	sw_errbuf_clear(&eb);
	if ((rc = sw_reg_apply(imp->st, &p, sw_field_index(SW_ENT_PERSON, "name"), name, &eb)) ||
	    (rc = sw_reg_apply(imp->st, &p, sw_field_index(SW_ENT_PERSON, "phone"), phone, &eb))) {
		fail(imp, eb.field[0] && !strcmp(eb.field, "phone") ? cp : cn, SW_COL_PNAME, rc, &eb);
		goto out;
	}
	if ((rc = sw_reg_apply(imp->st, &p, sw_field_index(SW_ENT_PERSON, "email"), email, &eb))) {
		fail(imp, ce, SW_COL_PEMAIL, rc, &eb);
		goto out;
	}
	person_key(key, sizeof key, unit, role, &p);
	if (!sw_strmap_get(&imp->persons, key, &id)) {
		if (sw_rec_set(&p, sw_field_index(SW_ENT_PERSON, "role"), role) ||
		    sw_rec_set_int(&p, sw_field_index(SW_ENT_PERSON, "unit"), unit) ||
		    add(imp, &p, cn, SW_COL_PNAME) || sw_strmap_put(&imp->persons, key, p.id))
			goto out;
		id = p.id;
	}
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_site_person_link(imp->st, site_id, id, role, &eb)))
		fail(imp, cn, SW_COL_PNAME, rc, &eb);
out:
	sw_rec_cleanup(&p);
}

/* One row of a site register: unit, department, group, site, persons. */
static void site_row(struct sw__imp *imp, const char **v, size_t n)
{
	int dept_col = col_of(imp, SW_COL_UNIT_DEPT, -1), group_col = col_of(imp, SW_COL_GROUP, -1);
	char dept[512], group[512];
	struct sw_rec u, s;
	int64_t uid = 0, id;
	int bad;

	sw_rec_init(&u, sw_entity_get(SW_ENT_UNIT));
	sw_rec_init(&s, imp->ent);
	bad = apply_cols(imp, &u, SW_COL_UNIT, imp->unit_cols, imp->nunit, v, n);
	bad += apply_cols(imp, &s, SW_COL_MAIN, imp->main_cols, imp->nmain, v, n);
	val(v, n, dept_col, dept, sizeof dept);
	val(v, n, group_col, group, sizeof group);
	if (bad)
		goto out;
	if (*dept) {
		if (dept_id(imp, dept, sw_rec_get(&u, sw_field_index(SW_ENT_UNIT, "region")), dept_col,
			    &id) ||
		    sw_rec_set_int(&u, sw_field_index(SW_ENT_UNIT, "department"), id))
			goto out;
	}
	if (unit_id(imp, &u, &uid) || sw_rec_set_int(&s, sw_field_index(SW_ENT_SITE, "unit"), uid))
		goto out;
	if (*group && (group_id(imp, group, group_col, &id) ||
		       sw_rec_set_int(&s, sw_field_index(SW_ENT_SITE, "group"), id)))
		goto out;
	if (add(imp, &s, -1, SW_COL_MAIN))
		goto out;
	for (int r = 0; sw_person_roles[r].key; r++)
		site_person(imp, v, n, r, uid, s.id);
out:
	sw_rec_cleanup(&u);
	sw_rec_cleanup(&s);
}

/* Links the person just added to the sites named in column c. */
static void person_sites(struct sw__imp *imp, const struct sw_rec *p, const char *list, int c)
{
	const char *role = sw_rec_get(p, sw_field_index(SW_ENT_PERSON, "role"));
	char buf[2048], *save = NULL;
	struct sw_errbuf eb;
	enum sw_err rc;
	int64_t site;

	snprintf(buf, sizeof buf, "%s", list);
	for (char *r = strtok_r(buf, ";", &save); r; r = strtok_r(NULL, ";", &save)) {
		sw_errbuf_clear(&eb);
		if ((rc = sw_reg_resolve(imp->st, sw_entity_get(SW_ENT_SITE), sw_reg_trim(r), &site,
					 &eb)) ||
		    (rc = sw_store_site_person_link(imp->st, site, p->id, role, &eb)))
			fail(imp, c, SW_COL_SITES, rc, &eb);
	}
}

/* One row of a units, persons, regions or departments file. */
static void plain_row(struct sw__imp *imp, const char **v, size_t n)
{
	int sites_col = col_of(imp, SW_COL_SITES, -1);
	char sites[2048];
	struct sw_rec r;

	sw_rec_init(&r, imp->ent);
	if (!apply_cols(imp, &r, SW_COL_MAIN, imp->main_cols, imp->nmain, v, n) &&
	    !add(imp, &r, -1, SW_COL_MAIN) &&
	    *val(v, n, sites_col, sites, sizeof sites))
		person_sites(imp, &r, sites, sites_col);
	sw_rec_cleanup(&r);
}

/* True when every value of the record is blank (Excel leaves such rows). */
static int blank(const char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (const char *p = v[i]; *p; p++)
			if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
				return 0;
	return 1;
}

/* Runs one data row as a nested level of the bulk transaction. */
static enum sw_err one_row(struct sw__imp *imp, const char **v, size_t n, struct sw_errbuf *eb)
{
	enum sw_err rc;

	imp->row_bad = 0;
	if (n > imp->ncols) {
		sw__imp_err(imp, -1, "has %zu values but the header has %zu columns", n, imp->ncols);
		return SW_OK;
	}
	if ((rc = sw_store_begin(imp->st, eb)))
		return rc;
	if (imp->kind == SW_IMPORT_SITES)
		site_row(imp, v, n);
	else
		plain_row(imp, v, n);
	if (imp->row_bad) {
		sw_store_rollback(imp->st);
		return SW_OK;
	}
	return sw_store_commit(imp->st, eb);
}

/* Loads one existing unit into the look-up maps. */
static int preload_unit(void *arg, const struct sw_rec *r)
{
	struct sw__imp *imp = arg;
	const char *code = sw_rec_get(r, sw_field_index(SW_ENT_UNIT, "credit_code"));
	const char *name = sw_rec_get(r, sw_field_index(SW_ENT_UNIT, "name"));
	char key[KEY_MAX];

	if (code) {
		snprintf(key, sizeof key, "code:%s", code);
		if (sw_strmap_put(&imp->units, key, r->id))
			return 1;
	}
	return name && remember_unit_name(imp, name, r->id) ? 1 : 0;
}

/* Loads one existing department under its name and region. */
static int preload_dept(void *arg, const struct sw_rec *r)
{
	struct sw__imp *imp = arg;
	const char *name = sw_rec_get(r, sw_field_index(SW_ENT_DEPT, "name"));
	const char *region = sw_rec_get(r, sw_field_index(SW_ENT_DEPT, "region"));
	char key[KEY_MAX];

	dept_key(key, sizeof key, name ? name : "", region ? region : "");
	return sw_strmap_put(&imp->depts, key, r->id) ? 1 : 0;
}

/* Loads one existing person under its person_key. */
static int preload_person(void *arg, const struct sw_rec *r)
{
	struct sw__imp *imp = arg;
	const char *role = sw_rec_get(r, sw_field_index(SW_ENT_PERSON, "role"));
	int64_t unit = sw_rec_get_int(r, sw_field_index(SW_ENT_PERSON, "unit"), 0);
	char key[KEY_MAX];

	person_key(key, sizeof key, unit, role ? role : "", r);
	return sw_strmap_put(&imp->persons, key, r->id) ? 1 : 0;
}

static int preload_group(void *arg, const struct sw_rec *r)
{
	struct sw__imp *imp = arg;
	const char *name = sw_rec_get(r, sw_field_index(SW_ENT_GROUP, "name"));

	return name && sw_strmap_put(&imp->groups, name, r->id) ? 1 : 0;
}

/*
 * Reads the units, departments, groups and persons the register holds into
 * the maps (one query each instead of one per row).  Holding them costs
 * some memory per unit; a register has units in the hundreds of thousands
 * at most.
 */
static enum sw_err preload(struct sw__imp *imp, struct sw_errbuf *eb)
{
	enum sw_err rc;

	if (imp->kind != SW_IMPORT_SITES)
		return SW_OK;
	if ((rc = sw_store_list(imp->st, sw_entity_get(SW_ENT_UNIT), NULL, preload_unit, imp, eb)) ||
	    (rc = sw_store_list(imp->st, sw_entity_get(SW_ENT_DEPT), NULL, preload_dept, imp, eb)) ||
	    (rc = sw_store_list(imp->st, sw_entity_get(SW_ENT_GROUP), NULL, preload_group, imp, eb)) ||
	    (rc = sw_store_list(imp->st, sw_entity_get(SW_ENT_PERSON), NULL, preload_person, imp, eb)))
		return rc;
	return SW_OK;
}

enum sw_err sw__imp_start(struct sw__imp *imp, const char **fields, size_t n,
			  struct sw_errbuf *eb)
{
	enum sw_err rc;

	if ((rc = sw__imp_header(imp, fields, n)) || (rc = preload(imp, eb)))
		return rc;
	imp->nmain = order_cols(imp, SW_COL_MAIN, imp->ent->nfields, imp->main_cols);
	imp->nunit = order_cols(imp, SW_COL_UNIT, sw_entity_get(SW_ENT_UNIT)->nfields, imp->unit_cols);
	return SW_OK;
}

enum sw_err sw__imp_row(struct sw__imp *imp, const char **v, size_t n, struct sw_errbuf *eb)
{
	if (blank(v, n))
		return SW_OK;
	imp->stats->rows++;
	return one_row(imp, v, n, eb);
}

/* Reads every record of the UTF-8 text and imports it (the caller owns
 * the outer transaction). */
static enum sw_err run_csv(struct sw__imp *imp, const char *text, size_t len,
			   struct sw_errbuf *eb)
{
	struct sw_csv csv;
	const char **v;
	size_t n;
	enum sw_err rc;

	sw_csv_init(&csv, text, len);
	if ((rc = sw_csv_next(&csv, &v, &n, eb))) {
		if (rc == SW_ENOTFOUND)
			rc = sw_errf(eb, SW_EINVAL, "the file is empty");
		goto out;
	}
	imp->line = sw_csv_record_line(&csv);
	if ((rc = sw__imp_start(imp, v, n, eb)))
		goto out;
	while ((rc = sw_csv_next(&csv, &v, &n, eb)) == SW_OK) {
		/* Blank rows are skipped but counted, so row N stays spreadsheet
		 * row N+1 for the person fixing the file. */
		imp->row++;
		/* Undo the apostrophe an export puts before formula-like cells. */
		for (size_t i = 0; i < n; i++)
			v[i] = sw_csv_undefuse(v[i]);
		imp->line = sw_csv_record_line(&csv);
		if ((rc = sw__imp_row(imp, v, n, eb)))
			goto out;
	}
	if (rc == SW_ENOTFOUND)
		rc = SW_OK;
out:
	sw_csv_cleanup(&csv);
	return rc;
}

/* Decodes a CSV file to UTF-8 and reads it (see run_csv). */
static enum sw_err csv(struct sw__imp *imp, const char *data, size_t len, struct sw_errbuf *eb)
{
	char *text = NULL;
	size_t tlen = 0;
	enum sw_err rc = sw_charset_to_utf8(data, len, &text, &tlen, &imp->stats->charset, eb);

	if (!rc)
		rc = run_csv(imp, text, tlen, eb);
	free(text);
	return rc;
}

/* Decides CSV or XLSX: by content unless the caller says (and a file that
 * is not what the caller says is refused rather than misread). */
static enum sw_err format_of(const struct sw_import_opts *o, const char *data, size_t len,
			     enum sw_import_format *f, struct sw_errbuf *eb)
{
	enum sw_xlsx_sniff s = sw_xlsx_sniff(data, len);

	*f = o->format;
	if (*f == SW_IMPORT_FMT_AUTO)
		*f = s == SW_XLSX_NOT ? SW_IMPORT_FMT_CSV : SW_IMPORT_FMT_XLSX;
	if (*f == SW_IMPORT_FMT_XLSX && s == SW_XLSX_NOT)
		return sw_errf(eb, SW_EINVAL, "not an XLSX workbook (no ZIP signature)");
	if (*f == SW_IMPORT_FMT_CSV && s != SW_XLSX_NOT)
		return sw_errf(eb, SW_EINVAL, "this is a spreadsheet workbook, not CSV text");
	return SW_OK;
}

enum sw_err sw_import_buffer_opts(struct sw_store *st, const char *data, size_t len,
				  const struct sw_import_opts *o, struct sw_import_stats *stats,
				  sw_import_err_fn err_fn, void *arg, struct sw_errbuf *eb)
{
	static const struct sw_import_opts none = {0};
	struct sw__imp *imp;
	enum sw_import_format fmt;
	enum sw_err rc;

	memset(stats, 0, sizeof *stats);
	o = o ? o : &none;
	if ((rc = format_of(o, data, len, &fmt, eb)))
		return rc;
	stats->format = fmt;
	if (!(imp = calloc(1, sizeof *imp)))
		return SW_ENOMEM;
	*imp = (struct sw__imp){.st = st, .kind = o->kind, .stats = stats, .err_fn = err_fn,
				.arg = arg, .xlsx = fmt == SW_IMPORT_FMT_XLSX};
	sw_strmap_init(&imp->units);
	sw_strmap_init(&imp->groups);
	sw_strmap_init(&imp->depts);
	sw_strmap_init(&imp->persons);
	sw_strmap_init(&imp->verified);
	/* Bulk: a rejected row dooms the import anyway, so rows need no
	 * savepoints of their own. */
	if ((rc = sw_store_begin_bulk(st, eb)))
		goto out;
	rc = imp->xlsx ? sw__imp_xlsx(imp, data, len, o->sheet, eb) : csv(imp, data, len, eb);
	if (!rc && stats->errors)
		rc = SW_EINVAL;
	if (rc || o->dry_run)
		sw_store_rollback(st);
	else
		rc = sw_store_commit(st, eb);
out:
	for (size_t c = 0; c < imp->ncols; c++)
		free(imp->cols[c].header);
	sw_strmap_cleanup(&imp->units);
	sw_strmap_cleanup(&imp->groups);
	sw_strmap_cleanup(&imp->depts);
	sw_strmap_cleanup(&imp->persons);
	sw_strmap_cleanup(&imp->verified);
	free(imp);
	return rc;
}

enum sw_err sw_import_buffer(struct sw_store *st, const char *data, size_t len,
			     enum sw_import_kind kind, int dry_run, struct sw_import_stats *stats,
			     sw_import_err_fn err_fn, void *arg, struct sw_errbuf *eb)
{
	struct sw_import_opts o = {.kind = kind, .dry_run = dry_run};

	return sw_import_buffer_opts(st, data, len, &o, stats, err_fn, arg, eb);
}

#define IMPORT_MAX (1024L * 1024 * 1024)

enum sw_err sw_import_file_opts(struct sw_store *st, const char *path,
				const struct sw_import_opts *o, struct sw_import_stats *stats,
				sw_import_err_fn err_fn, void *arg, struct sw_errbuf *eb)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	char *data = NULL;
	enum sw_err rc;

	memset(stats, 0, sizeof *stats);
	if (!f)
		return sw_errf(eb, SW_EIO, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fclose(f);
		return sw_errf(eb, SW_EIO, "%s is not a regular file", path);
	}
	if (sb.st_size > IMPORT_MAX) {
		fclose(f);
		return sw_errf(eb, SW_ELIMIT, "%s is larger than 1 GiB", path);
	}
	if (!(data = malloc((size_t)sb.st_size + 1))) {
		fclose(f);
		return SW_ENOMEM;
	}
	if (fread(data, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size) {
		rc = sw_errf(eb, SW_EIO, "cannot read %s", path);
	} else {
		rc = sw_import_buffer_opts(st, data, (size_t)sb.st_size, o, stats, err_fn, arg, eb);
	}
	free(data);
	fclose(f);
	return rc;
}

enum sw_err sw_import_file(struct sw_store *st, const char *path, enum sw_import_kind kind,
			   int dry_run, struct sw_import_stats *stats, sw_import_err_fn err_fn,
			   void *arg, struct sw_errbuf *eb)
{
	struct sw_import_opts o = {.kind = kind, .dry_run = dry_run};

	return sw_import_file_opts(st, path, &o, stats, err_fn, arg, eb);
}
