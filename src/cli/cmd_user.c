/*
 * cmd_user.c - `sitewarden user add|list|passwd|disable|enable`: the
 * accounts of `sitewarden serve`, for the first administrator and for
 * scripts.  Passwords never come from the command line, where other
 * users of the machine could read them (ps, shell history): they come
 * from --password-file (or "-" for standard input), a prompt on a
 * terminal, or else the first line of standard input.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "register/register.h"
#include "server/password.h"
#include "server/user_rules.h"
#include "store/user.h"

static int user_help(FILE *f)
{
	fprintf(f, "usage: sitewarden user add --name NAME --role ROLE [--region CODE] [--dept D]\n"
		   "                          [--unit U] [--password-file F]\n"
		   "       sitewarden user list [--json]\n"
		   "       sitewarden user passwd --name NAME [--password-file F]\n"
		   "       sitewarden user disable|enable --name NAME\n"
		   "\nROLE is admin, supervisor (needs --region and/or --dept), operator (needs\n"
		   "--unit) or auditor (reads everything, changes nothing).  D and U are ids or\n"
		   "names of a department and a unit.  The password (%d to %d bytes) comes\n"
		   "from --password-file F (\"-\": standard input), else a prompt on a terminal,\n"
		   "else the first line of standard input.  Disabling a user ends its sessions.\n"
		   "  sitewarden user add --name admin --role admin   # the first administrator\n",
		SW_PW_MIN, SW_PW_MAX);
	return SW_EXIT_OK;
}

/* Reads one line (without its newline) from f into buf. */
static int read_line(FILE *f, char *buf, size_t n)
{
	size_t len;

	if (!fgets(buf, (int)n, f))
		return -1;
	len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	else if (len == n - 1 && !feof(f))
		return -1; /* longer than any valid password */
	if (len && buf[len - 1] == '\r')
		buf[--len] = '\0';
	return 0;
}

/* Prompts on the terminal with echo off. */
static int prompt(const char *what, char *buf, size_t n)
{
	struct termios old, quiet;
	int rc;

	fprintf(stderr, "%s: ", what);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &old))
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	rc = read_line(stdin, buf, n);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return rc;
}

/* Gets the new password into buf (SW_PW_MAX + 2 bytes); an exit status. */
static int get_password(const char *file, char *buf, size_t n)
{
	char again[SW_PW_MAX + 2];
	struct sw_errbuf eb;
	FILE *f;
	int rc;

	if (file) {
		f = strcmp(file, "-") ? fopen(file, "r") : stdin;
		if (!f)
			return sw_cli_fail("cannot open %s", file);
		rc = read_line(f, buf, n);
		if (f != stdin)
			fclose(f);
		if (rc)
			return sw_cli_fail("cannot read a password from %s", file);
	} else if (isatty(STDIN_FILENO)) {
		if (prompt("new password", buf, n) || prompt("again", again, sizeof again))
			return sw_cli_fail("no password read");
		if (strcmp(buf, again))
			return sw_cli_fail("the passwords differ");
	} else if (read_line(stdin, buf, n)) {
		return sw_cli_fail("no password on standard input");
	}
	sw_errbuf_clear(&eb);
	if (sw_password_check(buf, &eb))
		return sw_cli_fail("%s", eb.msg);
	return SW_EXIT_OK;
}

/* Resolves an id or name of ent into *id; an exit status. */
static int resolve(struct sw_store *st, enum sw_ent e, const char *ref, int64_t *id)
{
	struct sw_errbuf eb;
	enum sw_err rc;

	*id = 0;
	if (!ref)
		return SW_EXIT_OK;
	sw_errbuf_clear(&eb);
	if ((rc = sw_reg_resolve(st, sw_entity_get(e), ref, id, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	return SW_EXIT_OK;
}

struct opts {
	const char *name, *role, *region, *dept, *unit, *pwfile;
	int json;
};

static int user_add(struct sw_store *st, const struct opts *o)
{
	struct sw_user_row u;
	struct sw_errbuf eb;
	char pw[SW_PW_MAX + 2];
	enum sw_err rc;
	int64_t id;
	int status;

	memset(&u, 0, sizeof u);
	if (!o->name || !o->role)
		return sw_cli_usage("user", "add needs --name and --role");
	if (strlen(o->name) >= sizeof u.name || strlen(o->role) >= sizeof u.role ||
	    (o->region && strlen(o->region) >= sizeof u.region))
		return sw_cli_usage("user", "name, role or region too long");
	snprintf(u.name, sizeof u.name, "%s", o->name);
	snprintf(u.role, sizeof u.role, "%s", o->role);
	snprintf(u.region, sizeof u.region, "%s", o->region ? o->region : "");
	if ((status = resolve(st, SW_ENT_DEPT, o->dept, &u.dept_id)) ||
	    (status = resolve(st, SW_ENT_UNIT, o->unit, &u.unit_id)))
		return status;
	sw_errbuf_clear(&eb);
	if ((rc = sw_user_check(st, &u, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	if ((status = get_password(o->pwfile, pw, sizeof pw)))
		return status;
	rc = sw_password_hash(pw, u.pw_hash, sizeof u.pw_hash, &eb);
	memset(pw, 0, sizeof pw);
	if (rc || (rc = sw_store_user_add(st, &u, &id, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	printf("user %s (%s) added with id %lld\n", u.name, u.role, (long long)id);
	return SW_EXIT_OK;
}

static int print_user(void *arg, const struct sw_user_row *u)
{
	json_t *arr = arg;

	if (arr) {
		json_array_append_new(
			arr, json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:b}", "id", (json_int_t)u->id,
				       "name", u->name, "role", u->role, "region",
				       u->region[0] ? json_string(u->region) : json_null(), "dept_id",
				       u->dept_id ? json_integer(u->dept_id) : json_null(), "unit_id",
				       u->unit_id ? json_integer(u->unit_id) : json_null(),
				       "disabled", u->disabled));
		return 0;
	}
	printf("%-6lld %-24s %-10s %-8s %s\n", (long long)u->id, u->name, u->role,
	       u->disabled ? "disabled" : "active",
	       u->region[0] ? u->region : u->unit_id ? "unit" : u->dept_id ? "dept" : "");
	return 0;
}

static int user_list(struct sw_store *st, int json)
{
	struct sw_errbuf eb;
	json_t *arr = json ? json_array() : NULL;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	if ((rc = sw_store_user_list(st, 0, 0, print_user, arr, &eb))) {
		json_decref(arr);
		return sw_cli_fail_eb(rc, &eb);
	}
	return arr ? sw_cli_print_json(arr) : SW_EXIT_OK;
}

/* passwd, disable, enable: changes the user called o->name. */
static int user_change(struct sw_store *st, const char *verb, const struct opts *o)
{
	struct sw_user_row u;
	struct sw_errbuf eb;
	char pw[SW_PW_MAX + 2];
	enum sw_err rc;
	int status;

	if (!o->name)
		return sw_cli_usage("user", "%s needs --name", verb);
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_user_by_name(st, o->name, &u, &eb)))
		return sw_cli_fail("no user called '%s'", o->name);
	if (!strcmp(verb, "passwd")) {
		if ((status = get_password(o->pwfile, pw, sizeof pw)))
			return status;
		rc = sw_password_hash(pw, u.pw_hash, sizeof u.pw_hash, &eb);
		memset(pw, 0, sizeof pw);
		if (rc)
			return sw_cli_fail_eb(rc, &eb);
	} else {
		u.disabled = !strcmp(verb, "disable");
	}
	/* The password and the disabled flag both end existing sessions. */
	if ((rc = sw_store_begin(st, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	if ((rc = sw_store_user_update(st, &u, &eb)) ||
	    (!strcmp(verb, "enable") ? 0 : (rc = sw_store_sessions_end_user(st, u.id, NULL, &eb))) ||
	    (rc = sw_store_commit(st, &eb))) {
		sw_store_rollback(st);
		return sw_cli_fail_eb(rc, &eb);
	}
	printf("user %s: %s\n", u.name,
	       !strcmp(verb, "passwd") ? "password set" : u.disabled ? "disabled" : "enabled");
	return SW_EXIT_OK;
}

int sw_cmd_user(struct sw_cli *cli, int argc, char **argv)
{
	static const struct option lo[] = {
		{"name", required_argument, NULL, 'n'},   {"role", required_argument, NULL, 'r'},
		{"region", required_argument, NULL, 'g'}, {"dept", required_argument, NULL, 'd'},
		{"unit", required_argument, NULL, 'u'},   {"password-file", required_argument, NULL, 'p'},
		{"json", no_argument, NULL, 'j'},         {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *verb = argc > 1 ? argv[1] : "";
	struct opts o = {0};
	struct sw_store *st;
	int c;

	if (!strcmp(verb, "--help") || !strcmp(verb, "help"))
		return user_help(stdout);
	if (strcmp(verb, "add") && strcmp(verb, "list") && strcmp(verb, "passwd") &&
	    strcmp(verb, "disable") && strcmp(verb, "enable"))
		return user_help(stderr), SW_EXIT_USAGE;
	argc--, argv++;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'n': o.name = optarg; break;
		case 'r': o.role = optarg; break;
		case 'g': o.region = optarg; break;
		case 'd': o.dept = optarg; break;
		case 'u': o.unit = optarg; break;
		case 'p': o.pwfile = optarg; break;
		case 'j': o.json = 1; break;
		case 'h': return user_help(stdout);
		default: return sw_cli_bad_option("user", argv);
		}
	}
	if (optind != argc)
		return sw_cli_usage("user", "unexpected argument '%s'", argv[optind]);
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	if (!strcmp(verb, "add"))
		return user_add(st, &o);
	if (!strcmp(verb, "list"))
		return user_list(st, o.json);
	return user_change(st, verb, &o);
}
