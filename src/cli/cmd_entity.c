/*
 * cmd_entity.c - `sitewarden site|unit|group|person|region|dept VERB`.
 *
 * One implementation for every register entity: the --options of add and
 * edit come from the entity's field table, so the command line always
 * offers exactly the fields the store keeps.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/show.h"
#include "register/register.h"

/* Codes of the options that are not fields (fields use 1000 + index). */
enum {
	OPT_FIELD = 1000,
	OPT_JSON = 'j', OPT_HELP = 'h', OPT_CLEAR = 300, OPT_SITE, OPT_UNLINK_SITE,
};

#define MAX_OPTS (SW_REC_MAX_FIELDS + 16)

/* A getopt_long table built for one entity and verb. */
struct optset {
	struct option o[MAX_OPTS];
	char names[SW_REC_MAX_FIELDS][40];
	int n;
};

static void opt_add(struct optset *s, const char *name, int has_arg, int code)
{
	s->o[s->n++] = (struct option){name, has_arg, NULL, code};
	s->o[s->n] = (struct option){0};
}

/* Adds --<field> for every input field, spelled with '-' for '_'. */
static void opt_fields(struct optset *s, const struct sw_entity *ent)
{
	for (size_t i = 0; i < ent->nfields; i++) {
		char *name = s->names[i];

		if (ent->fields[i].flags & SW_F_DERIVED)
			continue;
		snprintf(name, sizeof s->names[i], "%s", ent->fields[i].key);
		for (char *p = name; *p; p++)
			if (*p == '_')
				*p = '-';
		opt_add(s, name, required_argument, OPT_FIELD + (int)i);
	}
}

/* Prints the usage of `sitewarden ENTITY` with its fields. */
static int entity_help(const struct sw_entity *ent, FILE *f)
{
	fprintf(f,
		"usage: sitewarden %s add --FIELD VALUE ...\n"
		"       sitewarden %s list [--region CODE] [--unit-type T] [--group G] [--status S]\n"
		"                  [--unit U] [--search TEXT] [--limit N] [--offset N] [--json]\n"
		"       sitewarden %s show REF [--json]\n"
		"       sitewarden %s edit REF [--FIELD VALUE ...] [--clear FIELD ...]\n"
		"       sitewarden %s remove REF\n"
		"\nREF is the id or a name%s.\n\nFields (%s):\n",
		ent->name, ent->name, ent->name, ent->name, ent->name,
		ent->id == SW_ENT_SITE	 ? ", the home page URL or a domain"
		: ent->id == SW_ENT_UNIT ? " or the credit code"
		: ent->id == SW_ENT_REGION ? " or the code"
					 : "",
		ent->zh);
	for (size_t i = 0; i < ent->nfields; i++) {
		const struct sw_field *fd = &ent->fields[i];

		if (fd->flags & SW_F_DERIVED)
			continue;
		fprintf(f, "  --%-20s ", fd->key);
		sw_cli_pad(f, fd->zh, 18, 0);
		fprintf(f, " %s%s\n", fd->help, (fd->flags & SW_F_REQUIRED) ? " (required)" : "");
	}
	if (ent->id == SW_ENT_PERSON)
		fprintf(f, "  --site REF              make the person responsible for a site "
			   "(repeatable)\n  --unlink-site REF       (edit) end that responsibility\n");
	return SW_EXIT_OK;
}

/* Returns the option spelling of a field key ("credit_code" ->
 * "credit-code") in a static buffer; for messages only. */
static const char *dashed(const char *key)
{
	static char buf[64];

	snprintf(buf, sizeof buf, "%s", key);
	for (char *p = buf; *p; p++)
		if (*p == '_')
			*p = '-';
	return buf;
}

/* Applies collected option values to rec in field order (see
 * sw_reg_apply) and prints the first error. */
static int apply_values(struct sw_store *st, struct sw_rec *rec, char **vals, const int *clear)
{
	struct sw_errbuf eb;
	enum sw_err rc;

	for (size_t i = 0; i < rec->ent->nfields; i++) {
		if (!vals[i] && !clear[i])
			continue;
		sw_errbuf_clear(&eb);
		if ((rc = sw_reg_apply(st, rec, (int)i, clear[i] ? NULL : vals[i], &eb)))
			return sw_cli_fail("--%s: %s", dashed(rec->ent->fields[i].key),
					   sw_errbuf_empty(&eb) ? sw_strerror(rc) : eb.msg);
	}
	return SW_EXIT_OK;
}

/* Links or unlinks a person and sites named by refs (role: the person's). */
static enum sw_err person_sites(struct sw_store *st, const struct sw_rec *person, char **refs,
				size_t n, int unlink, struct sw_errbuf *eb)
{
	const char *role = sw_rec_get(person, sw_field_index(SW_ENT_PERSON, "role"));
	enum sw_err rc;
	int64_t site;

	for (size_t i = 0; i < n; i++) {
		if ((rc = sw_reg_resolve(st, sw_entity_get(SW_ENT_SITE), refs[i], &site, eb)))
			return rc;
		rc = unlink ? sw_store_site_person_unlink(st, site, person->id, NULL, eb)
			    : sw_store_site_person_link(st, site, person->id, role, eb);
		if (rc == SW_ENOTFOUND)
			return sw_errf(eb, rc, "person %" PRId64 " is not responsible for site %s",
				       person->id, refs[i]);
		if (rc)
			return rc;
	}
	return SW_OK;
}

/* State of an add or edit command line. */
struct edit_args {
	char *vals[SW_REC_MAX_FIELDS];
	int clear[SW_REC_MAX_FIELDS];
	char *sites[64], *unsites[64];
	size_t nsites, nunsites;
	int json;
};

/* Parses the options of add/edit into a; returns an exit status or -1 to
 * go on. */
static int parse_edit(const struct sw_entity *ent, int argc, char **argv, int edit,
		      struct edit_args *a)
{
	struct optset s = {0};
	int c, i;

	opt_fields(&s, ent);
	opt_add(&s, "json", no_argument, OPT_JSON);
	opt_add(&s, "help", no_argument, OPT_HELP);
	if (edit)
		opt_add(&s, "clear", required_argument, OPT_CLEAR);
	if (ent->id == SW_ENT_PERSON) {
		opt_add(&s, "site", required_argument, OPT_SITE);
		if (edit)
			opt_add(&s, "unlink-site", required_argument, OPT_UNLINK_SITE);
	}
	while ((c = getopt_long(argc, argv, "jh", s.o, NULL)) != -1) {
		if (c >= OPT_FIELD) {
			a->vals[c - OPT_FIELD] = optarg;
		} else if (c == OPT_JSON) {
			a->json = 1;
		} else if (c == OPT_HELP) {
			return entity_help(ent, stdout);
		} else if (c == OPT_CLEAR) {
			if ((i = sw_entity_field(ent, optarg)) < 0 ||
			    (ent->fields[i].flags & (SW_F_DERIVED | SW_F_REQUIRED)))
				return sw_cli_usage(ent->name, "--clear: '%s' is not a field that can be "
								"cleared",
						    optarg);
			a->clear[i] = 1;
		} else if (c == OPT_SITE && a->nsites < 64) {
			a->sites[a->nsites++] = optarg;
		} else if (c == OPT_UNLINK_SITE && a->nunsites < 64) {
			a->unsites[a->nunsites++] = optarg;
		} else {
			return sw_cli_bad_option(ent->name, argv);
		}
	}
	return -1;
}

/* Prints the outcome of add/edit: the record as JSON or one line. */
static int report_saved(struct sw_store *st, const struct sw_rec *rec, const char *verb,
			int json)
{
	const char *label = sw_rec_get(rec, rec->ent->label_field);

	if (json)
		return sw_cli_print_json(sw_cli_rec_json(st, rec));
	printf("%s %s %" PRId64 ": %s\n", verb, rec->ent->name, rec->id, label ? label : "");
	return SW_EXIT_OK;
}

/* `ENTITY add` and `ENTITY edit REF`. */
static int cmd_save(struct sw_cli *cli, const struct sw_entity *ent, int argc, char **argv,
		    int edit)
{
	struct edit_args a = {0};
	struct sw_errbuf eb;
	struct sw_store *st;
	struct sw_rec rec;
	enum sw_err rc;
	int64_t id;
	int status;

	if ((status = parse_edit(ent, argc, argv, edit, &a)) >= 0)
		return status;
	if (edit && optind != argc - 1)
		return sw_cli_usage(ent->name, "edit needs exactly one REF");
	if (!edit && optind != argc)
		return sw_cli_usage(ent->name, "unexpected argument '%s'", argv[optind]);
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	sw_rec_init(&rec, ent);
	if (edit) {
		if ((rc = sw_reg_resolve(st, ent, argv[optind], &id, &eb)) ||
		    (rc = sw_store_get(st, ent, id, &rec, &eb)))
			return sw_cli_fail_eb(rc, &eb);
		for (size_t i = 0; i < ent->nfields; i++)
			if (a.vals[i] && (ent->fields[i].flags & SW_F_NOEDIT))
				return sw_cli_usage(ent->name, "--%s cannot be changed", ent->fields[i].key);
	}
	if ((rc = sw_store_begin(st, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	if ((status = apply_values(st, &rec, a.vals, a.clear)) != SW_EXIT_OK)
		goto out;
	rc = edit ? sw_reg_update(st, &rec, &eb) : sw_reg_add(st, &rec, &eb);
	if (!rc)
		rc = person_sites(st, &rec, a.sites, a.nsites, 0, &eb);
	if (!rc)
		rc = person_sites(st, &rec, a.unsites, a.nunsites, 1, &eb);
	if (!rc)
		rc = sw_store_commit(st, &eb);
	else
		sw_store_rollback(st);
	if (rc) {
		if (!sw_errbuf_empty(&eb) && eb.field[0])
			status = sw_cli_fail("--%s: %s", dashed(eb.field), eb.msg);
		else
			status = sw_cli_fail_eb(rc, &eb);
		goto done;
	}
	status = report_saved(st, &rec, edit ? "updated" : "added", a.json);
	goto done;
out:
	sw_store_rollback(st);
done:
	sw_rec_cleanup(&rec);
	return status;
}

/* `ENTITY remove REF`. */
static int cmd_remove(struct sw_cli *cli, const struct sw_entity *ent, int argc, char **argv)
{
	struct sw_errbuf eb;
	struct sw_store *st;
	enum sw_err rc;
	int64_t id;
	char label[256];

	if (argc != 2 || argv[1][0] == '-')
		return argc == 2 && !strcmp(argv[1], "--help") ? entity_help(ent, stdout)
							       : sw_cli_usage(ent->name, "remove needs one REF");
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	if ((rc = sw_reg_resolve(st, ent, argv[1], &id, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	sw_reg_label(st, ent->id, id, label, sizeof label);
	if ((rc = sw_reg_remove(st, ent, id, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	printf("removed %s %" PRId64 ": %s\n", ent->name, id, label);
	return SW_EXIT_OK;
}

/* Parses list filters; returns an exit status or -1 to go on. */
static int parse_list(struct sw_cli *cli, const struct sw_entity *ent, int argc, char **argv,
		      struct sw_filter *f, int *json, char *region, size_t regionsz)
{
	int c, r;

	while ((c = getopt_long(argc, argv, "jh", sw_show_filter_opts, NULL)) != -1) {
		if ((r = sw_show_filter_opt(cli, ent, c, optarg, f, region, regionsz)) == 0)
			continue;
		if (r > 0)
			return r;
		if (c == 'j')
			*json = 1;
		else if (c == 'h')
			return entity_help(ent, stdout);
		else
			return sw_cli_bad_option(ent->name, argv);
	}
	if (optind != argc)
		return sw_cli_usage(ent->name, "unexpected argument '%s'", argv[optind]);
	return -1;
}

/* `ENTITY list [filters]`. */
static int cmd_list(struct sw_cli *cli, const struct sw_entity *ent, int argc, char **argv)
{
	struct sw_filter f = {0};
	char region[16];
	int json = 0, status;

	if ((status = parse_list(cli, ent, argc, argv, &f, &json, region, sizeof region)) >= 0)
		return status;
	if (!sw_cli_store(cli))
		return SW_EXIT_FAIL;
	return sw_show_list(cli->st, ent, &f, json);
}

/* `ENTITY show REF`. */
static int cmd_show(struct sw_cli *cli, const struct sw_entity *ent, int argc, char **argv)
{
	struct sw_errbuf eb;
	const char *ref = NULL;
	enum sw_err rc;
	int64_t id;
	int json = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--help"))
			return entity_help(ent, stdout);
		else if (!ref)
			ref = argv[i];
		else
			return sw_cli_usage(ent->name, "show takes one REF");
	}
	if (!ref)
		return sw_cli_usage(ent->name, "show needs a REF");
	if (!sw_cli_store(cli))
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	if ((rc = sw_reg_resolve(cli->st, ent, ref, &id, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	return sw_show_one(cli->st, ent, id, json);
}

int sw_cmd_entity(struct sw_cli *cli, int argc, char **argv)
{
	const struct sw_entity *ent = sw_entity_by_name(argv[0]);
	const char *verb = argc > 1 ? argv[1] : NULL;

	if (!ent)
		sw_fatal("no entity for command %s", argv[0]);
	if (!verb || !strcmp(verb, "--help") || !strcmp(verb, "-h") || !strcmp(verb, "help"))
		return verb ? entity_help(ent, stdout) : (entity_help(ent, stderr), SW_EXIT_USAGE);
	if (!strcmp(verb, "add"))
		return cmd_save(cli, ent, argc - 1, argv + 1, 0);
	if (!strcmp(verb, "edit"))
		return cmd_save(cli, ent, argc - 1, argv + 1, 1);
	if (!strcmp(verb, "list"))
		return cmd_list(cli, ent, argc - 1, argv + 1);
	if (!strcmp(verb, "show"))
		return cmd_show(cli, ent, argc - 1, argv + 1);
	if (!strcmp(verb, "remove") || !strcmp(verb, "rm"))
		return cmd_remove(cli, ent, argc - 1, argv + 1);
	return sw_cli_usage(ent->name, "unknown verb '%s'", verb);
}
