/*
 * cmd_stats.c - `sitewarden stats`: the compliance statistics of a scope,
 * and the option helpers the compliance commands share.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "compliance/stats.h"
#include "register/register.h"

int sw_cli_clock(void)
{
	const char *env = getenv("SITEWARDEN_NOW");
	int64_t t;

	if (!env || !*env)
		return SW_EXIT_OK;
	if ((t = sw_cmp_time_parse(env)) <= 0)
		return sw_cli_usage("", "SITEWARDEN_NOW must be unix seconds, YYYY-MM-DD or "
					"YYYY-MM-DDTHH:MM:SS (UTC+8), not '%s'", env);
	sw_compliance_now_set(t);
	return SW_EXIT_OK;
}

/* Index of name in list, or -1. */
static int in_list(const char *const *list, const char *name)
{
	for (int i = 0; list && list[i]; i++)
		if (!strcmp(list[i], name))
			return i;
	return -1;
}

int sw_cli_kv_parse(const char *cmd, int argc, char **argv, int from,
		    const char *const *valued, const char *const *flags, struct sw_cli_kv *kv)
{
	memset(kv, 0, sizeof *kv);
	for (int i = from; i < argc; i++) {
		const char *a = argv[i];

		if (strncmp(a, "--", 2) || !a[2]) {
			if (kv->npos == SW_CLI_KV_MAX)
				return sw_cli_usage(cmd, "too many arguments");
			kv->pos[kv->npos++] = a;
			continue;
		}
		if (kv->n == SW_CLI_KV_MAX)
			return sw_cli_usage(cmd, "too many options");
		if (in_list(flags, a + 2) >= 0) {
			kv->key[kv->n] = a + 2;
			kv->val[kv->n++] = "1";
		} else if (in_list(valued, a + 2) >= 0) {
			if (i + 1 >= argc)
				return sw_cli_usage(cmd, "option '%s' needs a value", a);
			kv->key[kv->n] = a + 2;
			kv->val[kv->n++] = argv[++i];
		} else {
			return sw_cli_usage(cmd, "unknown option '%s'", a);
		}
	}
	return -1;
}

const char *sw_cli_kv(const struct sw_cli_kv *kv, const char *name)
{
	for (int i = kv->n - 1; i >= 0; i--)
		if (!strcmp(kv->key[i], name))
			return kv->val[i];
	return NULL;
}

int sw_cli_site_ref(struct sw_store *st, const char *ref, int64_t *id)
{
	struct sw_errbuf eb;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	if (!ref)
		return sw_cli_usage("", "a site is needed");
	if ((rc = sw_reg_resolve(st, sw_entity_get(SW_ENT_SITE), ref, id, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	return -1;
}

/* Resolves --region (code or name), --dept and --group (id or name) into
 * sc; returns -1 or an exit status. */
static int scope_from(struct sw_store *st, const struct sw_cli_kv *kv,
		      struct sw_stats_scope *sc, char region[8])
{
	const char *r = sw_cli_kv(kv, "region"), *d = sw_cli_kv(kv, "dept"),
		   *g = sw_cli_kv(kv, "group"), *t = sw_cli_kv(kv, "unit-type");
	struct sw_errbuf eb;
	struct sw_rec rec;
	int64_t id;
	enum sw_err rc = SW_OK;

	sw_errbuf_clear(&eb);
	memset(sc, 0, sizeof *sc);
	if (r && !(rc = sw_reg_resolve(st, sw_entity_get(SW_ENT_REGION), r, &id, &eb)) &&
	    !(rc = sw_store_get(st, sw_entity_get(SW_ENT_REGION), id, &rec, &eb))) {
		snprintf(region, 8, "%s", sw_rec_get(&rec, sw_field_index(SW_ENT_REGION, "code")));
		sw_rec_cleanup(&rec);
		sc->region = region;
	} else if (r && rc == SW_ENOTFOUND && strlen(r) == 6) {
		/* A code whose row was never imported still names a subtree. */
		snprintf(region, 8, "%s", r);
		sc->region = region;
		rc = SW_OK;
		sw_errbuf_clear(&eb);
	}
	if (!rc && d)
		rc = sw_reg_resolve(st, sw_entity_get(SW_ENT_DEPT), d, &sc->dept_id, &eb);
	if (!rc && g)
		rc = sw_reg_resolve(st, sw_entity_get(SW_ENT_GROUP), g, &sc->group_id, &eb);
	if (!rc && t) {
		int f = sw_field_index(SW_ENT_UNIT, "type");
		const struct sw_enum_val *e = sw_enum_find(sw_entity_get(SW_ENT_UNIT)->fields[f].enums, t);

		if (!e)
			return sw_cli_usage("stats", "unknown unit type '%s'", t);
		sc->unit_type = e->key;
	}
	return rc ? sw_cli_fail_eb(rc, &eb) : -1;
}

/* Text output of the statistics: one figure per line, labelled. */
static void print_stats(const json_t *o)
{
	const char *sect, *key;
	json_t *sv, *v;

	printf("as of %s\n", json_string_value(json_object_get(o, "as_of")));
	json_object_foreach((json_t *)o, sect, sv) {
		if (!json_is_object(sv) || !strcmp(sect, "scope"))
			continue;
		printf("%s:\n", sect);
		json_object_foreach(sv, key, v) {
			if (json_is_object(v)) {
				const char *k2;
				json_t *v2;

				printf("  %s:", key);
				json_object_foreach(v, k2, v2)
					if (json_integer_value(v2))
						printf(" %s=%" JSON_INTEGER_FORMAT, k2, json_integer_value(v2));
				printf("\n");
			} else if (json_is_integer(v)) {
				printf("  %-22s %" JSON_INTEGER_FORMAT "\n", key, json_integer_value(v));
			} else if (json_is_real(v)) {
				printf("  %-22s %.2f%%\n", key, json_real_value(v) * 100);
			} else if (json_is_string(v)) {
				printf("  %-22s %s\n", key, json_string_value(v));
			} else if (json_is_boolean(v)) {
				printf("  %-22s %s\n", key, json_is_true(v) ? "yes" : "no");
			}
		}
	}
}

static int stats_help(FILE *f)
{
	fputs("usage: sitewarden stats [--region CODE|NAME] [--unit-type T] [--dept D]\n"
	      "                        [--group G] [--json]\n"
	      "\nCompliance statistics of the sites in scope (every filter is optional;\n"
	      "a region includes every region below it, a department every one below it):\n"
	      "sites by status, review completion, identification, MLPS graded/filed/\n"
	      "assessed on time, open findings by kind and severity, incidents and\n"
	      "rectification items.  The same JSON as GET /api/stats.  See docs/compliance.md.\n",
	      f);
	return f == stdout ? SW_EXIT_OK : SW_EXIT_USAGE;
}

int sw_cmd_stats(struct sw_cli *cli, int argc, char **argv)
{
	static const char *const valued[] = {"region", "unit-type", "dept", "group", NULL};
	static const char *const flags[] = {"json", "help", NULL};
	struct sw_stats_scope sc;
	struct sw_cli_kv kv;
	struct sw_errbuf eb;
	struct sw_store *st;
	char region[8];
	json_t *o;
	enum sw_err rc;
	int status;

	if ((status = sw_cli_kv_parse("stats", argc, argv, 1, valued, flags, &kv)) >= 0)
		return status;
	if (sw_cli_kv(&kv, "help"))
		return stats_help(stdout);
	if (kv.npos)
		return sw_cli_usage("stats", "unexpected argument '%s'", kv.pos[0]);
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	if ((status = scope_from(st, &kv, &sc, region)) >= 0)
		return status;
	sw_errbuf_clear(&eb);
	if ((rc = sw_stats_json(st, &sc, sw_compliance_now(), &o, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	if (sw_cli_kv(&kv, "json"))
		return sw_cli_print_json(o);
	print_stats(o);
	json_decref(o);
	return SW_EXIT_OK;
}

/* Shared with cmd_report.c: the scope options of a report. */
int sw__cli_scope(struct sw_store *st, const struct sw_cli_kv *kv, struct sw_stats_scope *sc,
		  char region[8]);
int sw__cli_scope(struct sw_store *st, const struct sw_cli_kv *kv, struct sw_stats_scope *sc,
		  char region[8])
{
	return scope_from(st, kv, sc, region);
}
