/*
 * show.c - `list` tables, `show` pages and the list filters.
 */
#include "cli/show.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model/policy.h"
#include "model/validate.h"
#include "register/register.h"

const struct option sw_show_filter_opts[] = {
	{"region", required_argument, NULL, SW_OPT_REGION},
	{"unit-type", required_argument, NULL, SW_OPT_UNIT_TYPE},
	{"group", required_argument, NULL, SW_OPT_GROUP},
	{"status", required_argument, NULL, SW_OPT_STATUS},
	{"unit", required_argument, NULL, SW_OPT_UNIT},
	{"search", required_argument, NULL, SW_OPT_SEARCH},
	{"limit", required_argument, NULL, SW_OPT_LIMIT},
	{"offset", required_argument, NULL, SW_OPT_OFFSET},
	{"json", no_argument, NULL, 'j'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* Resolves a region given by code or name to its code. */
static int filter_region(struct sw_store *st, const char *arg, char *region, size_t n)
{
	const struct sw_entity *ent = sw_entity_get(SW_ENT_REGION);
	struct sw_errbuf eb;
	struct sw_rec r;
	int64_t id;

	sw_errbuf_clear(&eb);
	if (!sw_valid_region_code(arg, region, n, NULL, &eb))
		return 0;
	sw_errbuf_clear(&eb);
	if (sw_reg_resolve(st, ent, arg, &id, &eb) || sw_store_get(st, ent, id, &r, &eb))
		return sw_cli_usage(NULL, "--region: '%s' is neither a region code nor a registered "
					  "region name",
				    arg);
	snprintf(region, n, "%s", sw_rec_get(&r, sw_field_index(SW_ENT_REGION, "code")));
	sw_rec_cleanup(&r);
	return 0;
}

/* Parses a non-negative count for --limit/--offset. */
static int parse_count(const char *opt, const char *arg, int64_t *out)
{
	char *end;
	long long v = strtoll(arg, &end, 10);

	if (end == arg || *end || v < 0)
		return sw_cli_usage(NULL, "--%s needs a non-negative number", opt);
	*out = v;
	return 0;
}

/* Resolves --group/--unit to an id. */
static int filter_ref(struct sw_store *st, enum sw_ent e, const char *arg, int64_t *id)
{
	struct sw_errbuf eb;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	if ((rc = sw_reg_resolve(st, sw_entity_get(e), arg, id, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	return 0;
}

/* Maps an enum filter value (key, Chinese label or alias) to its key. */
static int filter_enum(enum sw_ent e, const char *key, const char *opt, const char *arg,
		       const char **out)
{
	const struct sw_field *f = &sw_entity_get(e)->fields[sw_field_index(e, key)];
	const struct sw_enum_val *v = sw_enum_find(f->enums, arg);

	if (!v)
		return sw_cli_usage(NULL, "--%s: unknown value '%s' (%s)", opt, arg, f->help);
	*out = v->key;
	return 0;
}

int sw_show_filter_opt(struct sw_cli *cli, const struct sw_entity *ent, int c, const char *arg,
		       struct sw_filter *f, char *region, size_t regionsz)
{
	struct sw_store *st;

	(void)ent;
	if (c < SW_OPT_REGION || c > SW_OPT_OFFSET)
		return -1;
	if (c == SW_OPT_SEARCH) {
		f->search = arg;
		return 0;
	}
	if (c == SW_OPT_LIMIT || c == SW_OPT_OFFSET)
		return parse_count(c == SW_OPT_LIMIT ? "limit" : "offset", arg,
				   c == SW_OPT_LIMIT ? &f->limit : &f->offset);
	if (c == SW_OPT_UNIT_TYPE)
		return filter_enum(SW_ENT_UNIT, "type", "unit-type", arg, &f->unit_type);
	if (c == SW_OPT_STATUS)
		return filter_enum(SW_ENT_SITE, "status", "status", arg, &f->status);
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	if (c == SW_OPT_REGION) {
		f->region = region;
		return filter_region(st, arg, region, regionsz);
	}
	if (c == SW_OPT_GROUP)
		return filter_ref(st, SW_ENT_GROUP, arg, &f->group_id);
	return filter_ref(st, SW_ENT_UNIT, arg, &f->unit_id);
}

/* The columns of each entity's list table, by field key ("id" is the id). */
static const char *const list_cols[SW_ENT__COUNT][8] = {
	[SW_ENT_REGION] = {"code", "name", "level", "parent"},
	[SW_ENT_DEPT] = {"id", "name", "kind", "region"},
	[SW_ENT_UNIT] = {"id", "name", "type", "credit_code", "region"},
	[SW_ENT_GROUP] = {"id", "name", "department", "platform"},
	[SW_ENT_SITE] = {"id", "name", "url", "unit", "status", "group"},
	[SW_ENT_PERSON] = {"id", "name", "role", "phone", "email", "unit"},
};

/* Rows collected for a table: cells are owned strings. */
struct table {
	const struct sw_entity *ent;
	struct sw_store *st;
	int ncols, idx[8];
	char **cells;
	size_t nrows, cap;
	size_t width[8];
	json_t *json;
};

/* Collects one row into the table (or the JSON array). */
static int table_row(void *arg, const struct sw_rec *rec)
{
	struct table *t = arg;
	char buf[512];

	if (t->json) {
		json_array_append_new(t->json, sw_cli_rec_json(t->st, rec));
		return 0;
	}
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		char **cells = realloc(t->cells, cap * (size_t)t->ncols * sizeof *cells);

		if (!cells)
			return 1;
		t->cells = cells;
		t->cap = cap;
	}
	for (int c = 0; c < t->ncols; c++) {
		char **cell = &t->cells[t->nrows * (size_t)t->ncols + (size_t)c];
		size_t w;

		if (t->idx[c] < 0)
			snprintf(buf, sizeof buf, "%" PRId64, rec->id);
		else
			sw_cli_field_text(t->st, rec, t->idx[c], 0, buf, sizeof buf);
		*cell = strdup(buf);
		w = sw_cli_width(buf);
		if (w > t->width[c])
			t->width[c] = w;
	}
	t->nrows++;
	return 0;
}

/* Prints the collected table with a header line and frees the cells. */
static void table_print(struct table *t)
{
	for (int c = 0; c < t->ncols; c++) {
		const char *h = list_cols[t->ent->id][c];

		sw_cli_pad(stdout, h, c == t->ncols - 1 ? 0 : t->width[c] + 2, 0);
	}
	fputc('\n', stdout);
	for (size_t r = 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			char *cell = t->cells[r * (size_t)t->ncols + (size_t)c];
			/* Long names are cut at 40 columns so the table stays readable. */
			size_t w = t->width[c] > 40 ? 40 : t->width[c];

			sw_cli_pad(stdout, cell ? cell : "", c == t->ncols - 1 ? 0 : w + 2,
				   c != t->ncols - 1);
			free(cell);
		}
		fputc('\n', stdout);
	}
	printf("(%zu %s%s)\n", t->nrows, t->ent->name, t->nrows == 1 ? "" : "s");
	free(t->cells);
}

int sw_show_list(struct sw_store *st, const struct sw_entity *ent, const struct sw_filter *f,
		 int json)
{
	struct table t = {.ent = ent, .st = st};
	struct sw_errbuf eb;
	enum sw_err rc;

	for (int c = 0; c < 8 && list_cols[ent->id][c]; c++, t.ncols++) {
		const char *k = list_cols[ent->id][c];

		t.idx[c] = strcmp(k, "id") == 0 ? -1 : sw_field_index(ent->id, k);
		t.width[c] = strlen(k);
	}
	if (json)
		t.json = json_array();
	sw_errbuf_clear(&eb);
	rc = sw_store_list(st, ent, f, table_row, &t, &eb);
	if (rc) {
		json_decref(t.json);
		for (size_t i = 0; i < t.nrows * (size_t)t.ncols; i++)
			free(t.cells[i]);
		free(t.cells);
		return sw_cli_fail_eb(rc, &eb);
	}
	if (json)
		return sw_cli_print_json(t.json);
	table_print(&t);
	return SW_EXIT_OK;
}
