/*
 * cmd_plan.c - `sitewarden plan add|list|show|remove` (emergency plans,
 * 应急预案, of a site, a group or everything) and `sitewarden drill
 * add|list` (应急演练 held on them).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert/json.h"
#include "cli/cli.h"
#include "cli/probe_show.h"
#include "model/validate.h"
#include "register/register.h"
#include "store/incident.h"

#define PLAN_MAX (1u << 20) /* a plan's text, bytes */

static int plan_help(FILE *f)
{
	fprintf(f,
		"usage: sitewarden plan add NAME (--file FILE | --text TEXT) [--site S | --group G]\n"
		"       sitewarden plan list [--site S] [--json]\n"
		"       sitewarden plan show NAME [--json]\n"
		"       sitewarden plan remove NAME\n"
		"       sitewarden drill add --date YYYY-MM-DD --scenario TEXT --result TEXT\n"
		"                            [--plan NAME] [--note TEXT]\n"
		"       sitewarden drill list [--plan NAME] [--json]\n"
		"\nA plan without --site or --group applies to every site; adding a plan\n"
		"with an existing name replaces its text and scope.  'plan list --site S'\n"
		"lists the plans that apply to S (its own, its group's, everyone's).\n");
	return SW_EXIT_OK;
}

struct popts {
	const char *file, *text, *site, *group, *plan, *date, *scenario, *result, *note;
	int json;
};

static int parse(const char *cmd, int argc, char **argv, struct popts *o)
{
	static const struct option opts[] = {
		{"file", required_argument, NULL, 'f'},	    {"text", required_argument, NULL, 't'},
		{"site", required_argument, NULL, 's'},	    {"group", required_argument, NULL, 'g'},
		{"plan", required_argument, NULL, 'p'},	    {"date", required_argument, NULL, 'd'},
		{"scenario", required_argument, NULL, 'S'}, {"result", required_argument, NULL, 'r'},
		{"note", required_argument, NULL, 'n'},	    {"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},	    {NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': o->file = optarg; break;
		case 't': o->text = optarg; break;
		case 's': o->site = optarg; break;
		case 'g': o->group = optarg; break;
		case 'p': o->plan = optarg; break;
		case 'd': o->date = optarg; break;
		case 'S': o->scenario = optarg; break;
		case 'r': o->result = optarg; break;
		case 'n': o->note = optarg; break;
		case 'j': o->json = 1; break;
		case 'h': return plan_help(stdout), -1;
		default: return sw_cli_bad_option(cmd, argv), -2;
		}
	}
	return 0;
}

/* Site id and group id of --site, or group id of --group (0s when none). */
static int scope_of(struct sw_store *st, const struct popts *o, int64_t *site, int64_t *group)
{
	struct sw_errbuf eb;
	struct sw_rec r;
	enum sw_err rc;

	*site = *group = 0;
	sw_errbuf_clear(&eb);
	if (o->site) {
		if (!(*site = sw__probe_site(st, o->site)))
			return -1;
		if ((rc = sw_store_get(st, sw_entity_get(SW_ENT_SITE), *site, &r, &eb)))
			return sw_cli_fail_eb(rc, &eb), -1;
		*group = sw_rec_get_int(&r, sw_field_index(SW_ENT_SITE, "group"), 0);
		sw_rec_cleanup(&r);
	} else if (o->group &&
		   (rc = sw_reg_resolve(st, sw_entity_get(SW_ENT_GROUP), o->group, group, &eb))) {
		return sw_cli_fail_eb(rc, &eb), -1;
	}
	return 0;
}

static int plan_add(struct sw_store *st, const char *name, const struct popts *o)
{
	struct sw_plan_row p = {.name = name, .scope = "all"};
	int64_t site, group, id;
	struct sw_errbuf eb;
	char *data = NULL;
	size_t len = 0;
	enum sw_err rc;
	int status;

	if (!o->file == !o->text)
		return sw_cli_usage("plan", "give --file or --text");
	if (o->site && o->group)
		return sw_cli_usage("plan", "give --site or --group, not both");
	if (scope_of(st, o, &site, &group))
		return SW_EXIT_FAIL;
	if (o->file && (status = sw_cli_read_file(o->file, PLAN_MAX, &data, &len)))
		return status;
	p.body = data ? data : o->text;
	p.scope = o->site ? "site" : o->group ? "group" : "all";
	p.scope_id = o->site ? site : group;
	p.created_at = p.updated_at = time(NULL);
	sw_errbuf_clear(&eb);
	rc = sw_store_plan_put(st, &p, &id, &eb);
	if (rc) {
		free(data);
		return sw_cli_fail_eb(rc, &eb);
	}
	if (o->json) {
		json_t *j;

		p.id = id;
		j = sw_plan_json(&p);
		free(data);
		return sw_cli_print_json(j);
	}
	free(data);
	printf("plan %" PRId64 " (%s) stored\n", id, name);
	return SW_EXIT_OK;
}

/* Walk state of list and show. */
struct pw {
	json_t *items;
	int64_t only; /* show: this plan id */
	int found;
};

static int plan_row(void *arg, const struct sw_plan_row *r)
{
	struct pw *w = arg;

	if (w->only && w->only != r->id)
		return 0;
	w->found++;
	if (w->items)
		json_array_append_new(w->items, sw_plan_json(r));
	else if (w->only)
		printf("plan %" PRId64 " %s (%s %" PRId64 ")\n\n%s\n", r->id, r->name, r->scope,
		       r->scope_id, r->body);
	else
		printf("%4" PRId64 "  %-24s %-5s %" PRId64 "  %zu bytes\n", r->id, r->name, r->scope,
		       r->scope_id, strlen(r->body));
	return 0;
}

static int drill_row(void *arg, const struct sw_drill_row *r)
{
	if (arg)
		json_array_append_new(arg, sw_drill_json(r));
	else
		printf("%4" PRId64 "  %s  %-20s %s -> %s\n", r->id, r->held_on,
		       r->plan_name ? r->plan_name : "-", r->scenario, r->result);
	return 0;
}

static int drill(struct sw_store *st, const char *verb, const struct popts *o)
{
	struct sw_drill_row d = {.held_on = o->date, .scenario = o->scenario, .result = o->result,
				 .note = o->note, .created_at = time(NULL)};
	char canon[16];
	struct sw_errbuf eb;
	enum sw_err rc;
	int64_t id;

	sw_errbuf_clear(&eb);
	if (o->plan && (rc = sw_store_plan_find(st, o->plan, &d.plan_id, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	if (!strcmp(verb, "list")) {
		json_t *items = o->json ? json_array() : NULL;

		if ((rc = sw_store_drill_list(st, d.plan_id, drill_row, items, &eb))) {
			json_decref(items);
			return sw_cli_fail_eb(rc, &eb);
		}
		return o->json ? sw_cli_print_json(json_pack("{s:o}", "items", items)) : SW_EXIT_OK;
	}
	if (!o->date || !o->scenario || !o->result)
		return sw_cli_usage("drill", "add needs --date, --scenario and --result");
	if ((rc = sw_valid_date(o->date, canon, sizeof canon, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	d.held_on = canon;
	if ((rc = sw_store_drill_add(st, &d, &id, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	if (o->json) {
		d.id = id;
		return sw_cli_print_json(sw_drill_json(&d));
	}
	printf("drill %" PRId64 " recorded\n", id);
	return SW_EXIT_OK;
}

/* `plan` and `drill` share this entry: argv[0] says which. */
int sw_cmd_plan(struct sw_cli *cli, int argc, char **argv)
{
	const char *cmd = argv[0], *verb = argc > 1 ? argv[1] : "";
	int is_drill = !strcmp(cmd, "drill");
	struct popts o = {0};
	struct sw_store *st;
	struct sw_errbuf eb;
	struct pw w = {0};
	int64_t site, group, id;
	enum sw_err rc;
	int r;

	if (!strcmp(verb, "--help") || !strcmp(verb, "help") || !strcmp(verb, "-h"))
		return plan_help(stdout);
	if (is_drill ? strcmp(verb, "add") && strcmp(verb, "list")
		     : strcmp(verb, "add") && strcmp(verb, "list") && strcmp(verb, "show") &&
			       strcmp(verb, "remove"))
		return plan_help(stderr), SW_EXIT_USAGE;
	argc--, argv++;
	if ((r = parse(cmd, argc, argv, &o)) == -1)
		return SW_EXIT_OK;
	if (r)
		return SW_EXIT_USAGE;
	argc -= optind;
	argv += optind;
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	if (is_drill)
		return argc ? sw_cli_usage("drill", "no arguments, only options") : drill(st, verb, &o);
	if (!strcmp(verb, "list")) {
		if (argc)
			return sw_cli_usage("plan", "list takes no arguments");
		if (scope_of(st, &o, &site, &group))
			return SW_EXIT_FAIL;
		w.items = o.json ? json_array() : NULL;
		sw_errbuf_clear(&eb);
		if ((rc = sw_store_plan_list(st, site, group, plan_row, &w, &eb))) {
			json_decref(w.items);
			return sw_cli_fail_eb(rc, &eb);
		}
		return o.json ? sw_cli_print_json(json_pack("{s:o}", "items", w.items)) : SW_EXIT_OK;
	}
	if (argc != 1)
		return sw_cli_usage("plan", "%s takes one plan NAME", verb);
	if (!strcmp(verb, "add"))
		return plan_add(st, argv[0], &o);
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_plan_find(st, argv[0], &id, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	if (!strcmp(verb, "remove")) {
		if ((rc = sw_store_plan_remove(st, id, &eb)))
			return sw_cli_fail_eb(rc, &eb);
		printf("plan %s removed\n", argv[0]);
		return SW_EXIT_OK;
	}
	w.only = id;
	w.items = o.json ? json_array() : NULL;
	if ((rc = sw_store_plan_list(st, 0, 0, plan_row, &w, &eb))) {
		json_decref(w.items);
		return sw_cli_fail_eb(rc, &eb);
	}
	if (o.json) {
		json_t *one = json_incref(json_array_get(w.items, 0));

		json_decref(w.items);
		return sw_cli_print_json(one);
	}
	return SW_EXIT_OK;
}
