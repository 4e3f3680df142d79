/*
 * cmd_policy.c - `sitewarden policy show|set|unset`: the monitoring and
 * protection policy of the whole register, a group or a site.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "model/policy.h"
#include "register/register.h"

static int policy_help(FILE *f)
{
	const struct sw_policy_field *p;
	size_t n;

	fprintf(f, "usage: sitewarden policy show [--group G | --site S] [--json]\n"
		   "       sitewarden policy set [--group G | --site S] KEY=VALUE ...\n"
		   "       sitewarden policy unset [--group G | --site S] KEY ...\n"
		   "\nWithout --group or --site the global policy is meant.  A site inherits\n"
		   "every field its group does not set, a group every field the global\n"
		   "policy does not set; unset returns a field to inheritance.\n\nFields:\n");
	p = sw_policy_fields(&n);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-15s %s (default %s)\n", p[i].key, p[i].help, p[i].dflt);
	return SW_EXIT_OK;
}

/* Prints the effective policy of the scope as a table or JSON. */
static int policy_show(struct sw_store *st, enum sw_scope scope, int64_t group, int64_t site,
		       int json)
{
	static const char *const from[] = {"global", "group", "site"};
	const struct sw_policy_field *f;
	struct sw_policy p;
	struct sw_errbuf eb;
	enum sw_err rc;
	size_t n;
	json_t *o;

	sw_errbuf_clear(&eb);
	if ((rc = sw_reg_policy(st, group, scope == SW_SCOPE_SITE ? site : 0, &p, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	f = sw_policy_fields(&n);
	if (json) {
		o = json_object();
		for (size_t i = 0; i < n; i++)
			json_object_set_new(o, f[i].key,
					    json_pack("{s:s, s:s}", "value", p.v[i], "from",
						      p.from[i] < 0 ? "default" : from[p.from[i]]));
		return sw_cli_print_json(o);
	}
	for (size_t i = 0; i < n; i++)
		printf("%-16s %-40s (%s)\n", f[i].key, p.v[i],
		       p.from[i] < 0 ? "default" : from[p.from[i]]);
	return SW_EXIT_OK;
}

/* Applies KEY=VALUE (set) or KEY (unset) arguments in one transaction. */
static int policy_write(struct sw_store *st, enum sw_scope scope, int64_t id, int set, int argc,
			char **argv)
{
	struct sw_errbuf eb;
	enum sw_err rc;

	if (argc == 0)
		return sw_cli_usage("policy", "nothing to %s", set ? "set" : "unset");
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_begin(st, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (set && !eq) {
			sw_store_rollback(st);
			return sw_cli_usage("policy", "'%s' is not KEY=VALUE", argv[i]);
		}
		if (eq)
			*eq = '\0';
		if ((rc = sw_reg_policy_set(st, scope, id, argv[i], set ? eq + 1 : NULL, &eb))) {
			sw_store_rollback(st);
			return sw_cli_fail_eb(rc, &eb);
		}
	}
	if ((rc = sw_store_commit(st, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	return SW_EXIT_OK;
}

int sw_cmd_policy(struct sw_cli *cli, int argc, char **argv)
{
	static const struct option o[] = {
		{"group", required_argument, NULL, 'g'}, {"site", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'j'},	  {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *verb = argc > 1 ? argv[1] : "", *group = NULL, *site = NULL;
	enum sw_scope scope = SW_SCOPE_GLOBAL;
	int64_t gid = 0, sid = 0;
	struct sw_errbuf eb;
	struct sw_store *st;
	struct sw_rec r;
	enum sw_err rc;
	int c, json = 0;

	if (!strcmp(verb, "--help") || !strcmp(verb, "help"))
		return policy_help(stdout);
	if (strcmp(verb, "show") && strcmp(verb, "set") && strcmp(verb, "unset"))
		return policy_help(stderr), SW_EXIT_USAGE;
	argc--, argv++;
	while ((c = getopt_long(argc, argv, "", o, NULL)) != -1) {
		if (c == 'g')
			group = optarg;
		else if (c == 's')
			site = optarg;
		else if (c == 'j')
			json = 1;
		else if (c == 'h')
			return policy_help(stdout);
		else
			return sw_cli_bad_option("policy", argv);
	}
	if (group && site)
		return sw_cli_usage("policy", "give --group or --site, not both");
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	if (group) {
		if ((rc = sw_reg_resolve(st, sw_entity_get(SW_ENT_GROUP), group, &gid, &eb)))
			return sw_cli_fail_eb(rc, &eb);
		scope = SW_SCOPE_GROUP;
	} else if (site) {
		if ((rc = sw_reg_resolve(st, sw_entity_get(SW_ENT_SITE), site, &sid, &eb)) ||
		    (rc = sw_store_get(st, sw_entity_get(SW_ENT_SITE), sid, &r, &eb)))
			return sw_cli_fail_eb(rc, &eb);
		gid = sw_rec_get_int(&r, sw_field_index(SW_ENT_SITE, "group"), 0);
		sw_rec_cleanup(&r);
		scope = SW_SCOPE_SITE;
	}
	if (!strcmp(verb, "show")) {
		if (optind != argc)
			return sw_cli_usage("policy", "show takes no arguments");
		return policy_show(st, scope, gid, sid, json);
	}
	return policy_write(st, scope, scope == SW_SCOPE_SITE ? sid : gid, !strcmp(verb, "set"),
			    argc - optind, argv + optind);
}
