/*
 * policy.c - the compliance fields of the inherited site policy (MLPS
 * cycles, due-soon window, pre-launch check validity), read in one pass.
 *
 * The fields themselves live in model/policy.c with the other policy
 * fields, so `sitewarden policy set` and the inheritance global -> group
 * -> site work for them unchanged; this file only avoids three queries per
 * site when statistics judge thousands of sites.
 */
#include "compliance/compliance.h"

#include <stdlib.h>
#include <string.h>

#include "model/policy.h"

static const char *const keys[SW_CP__COUNT] = {
	"mlps_cycle_g3", "mlps_cycle_g4", "mlps_cycle_g5", "mlps_due_soon_days",
	"prelaunch_check_days",
};

/* Index of a compliance key, or -1. */
static int key_index(const char *key)
{
	for (int i = 0; i < SW_CP__COUNT; i++)
		if (strcmp(keys[i], key) == 0)
			return i;
	return -1;
}

/* Keeps one stored row of a compliance key (others are skipped). */
static int load_row(void *arg, const struct sw_policy_row *row)
{
	struct sw_cmp_policy *p = arg;
	int k = key_index(row->key);
	struct sw_cmp_pol_row *v;

	if (k < 0)
		return 0;
	if (row->scope == SW_SCOPE_GLOBAL) {
		p->dflt[k] = strtol(row->value, NULL, 10);
		return 0;
	}
	if (!(v = realloc(p->rows, (p->n + 1) * sizeof *v)))
		return 1; /* noticed by the caller: n stays short */
	p->rows = v;
	p->rows[p->n++] = (struct sw_cmp_pol_row){row->scope, row->scope_id, k,
						  strtol(row->value, NULL, 10)};
	return 0;
}

enum sw_err sw_cmp_policy_load(struct sw_store *st, struct sw_cmp_policy *p,
			       struct sw_errbuf *eb)
{
	size_t nf;
	const struct sw_policy_field *f = sw_policy_fields(&nf);

	memset(p, 0, sizeof *p);
	for (int k = 0; k < SW_CP__COUNT; k++) {
		int i = sw_policy_field(keys[k]);

		if (i < 0)
			sw_fatal("policy field %s missing from model/policy.c", keys[k]);
		p->dflt[k] = strtol(f[i].dflt, NULL, 10);
	}
	return sw_store_policy_all(st, load_row, p, eb);
}

void sw_cmp_policy_cleanup(struct sw_cmp_policy *p)
{
	free(p->rows);
	memset(p, 0, sizeof *p);
}

long sw_cmp_policy_get(const struct sw_cmp_policy *p, int64_t group_id, int64_t site_id,
		       enum sw_cmp_pol key)
{
	long v = p->dflt[key];
	int have_site = 0;

	for (size_t i = 0; i < p->n; i++) {
		const struct sw_cmp_pol_row *r = &p->rows[i];

		if (r->key != (int)key)
			continue;
		if (r->scope == SW_SCOPE_SITE && r->id == site_id) {
			v = r->v;
			have_site = 1;
		} else if (r->scope == SW_SCOPE_GROUP && group_id && r->id == group_id && !have_site) {
			v = r->v;
		}
	}
	return v;
}
