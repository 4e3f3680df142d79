/*
 * cmd_agent.c - `sitewarden agent add|list`: enrols a host agent
 * (sitewarden-agent) for one site and lists the enrolled ones.
 *
 * Enrolment makes the agent's credential and prints it once: a bearer
 * token (the store keeps its SHA-256 only), or with --hmac a 256-bit
 * HMAC key (kept as is, since the server recomputes signatures) for
 * agents that should not send a reusable secret over the wire.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "register/register.h"
#include "server/secret.h"
#include "store/agent.h"

static int agent_help(FILE *f)
{
	fprintf(f, "usage: sitewarden agent add --site SITE --name ID [--hmac] [--json]\n"
		   "       sitewarden agent list [--json]\n"
		   "\nadd enrols an agent called ID (the agent's --agent-id) for SITE (id, name,\n"
		   "URL or host) and prints its token, or with --hmac its HMAC key (hex, for the\n"
		   "agent's --hmac-key-file), once: only a digest of a token is kept.\n");
	return SW_EXIT_OK;
}

static int agent_add(struct sw_store *st, const char *site, const char *name, int hmac, int json)
{
	struct sw_errbuf eb;
	char secret[65], tok[70], digest[65];
	int64_t site_id, id;
	enum sw_err rc;

	if (!site || !name)
		return sw_cli_usage("agent", "add needs --site and --name");
	if (!*name || strlen(name) > 100 || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
						     "QRSTUVWXYZ0123456789-_.") != strlen(name))
		return sw_cli_usage("agent", "an agent name is 1-100 letters, digits, '-', '_', '.'");
	sw_errbuf_clear(&eb);
	if ((rc = sw_reg_resolve(st, sw_entity_get(SW_ENT_SITE), site, &site_id, &eb)) ||
	    (rc = sw_secret_random_hex(32, secret, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	snprintf(tok, sizeof tok, "swa_%s", secret);
	sw_secret_sha256_hex(tok, strlen(tok), digest);
	if ((rc = sw_store_agent_add(st, name, site_id, hmac ? NULL : digest, hmac ? secret : NULL,
				     &id, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	if (json)
		return sw_cli_print_json(json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)id,
						   "name", name, "site_id", (json_int_t)site_id,
						   hmac ? "hmac_key" : "token", hmac ? secret : tok));
	printf("agent %s enrolled for site %lld\n%s (shown once): %s\n", name, (long long)site_id,
	       hmac ? "HMAC key" : "token", hmac ? secret : tok);
	return SW_EXIT_OK;
}

static int print_agent(void *arg, const struct sw_agent_row *a)
{
	json_t *arr = arg;
	int64_t now = (int64_t)time(NULL);

	if (arr) {
		json_array_append_new(
			arr, json_pack("{s:I, s:s, s:I, s:s, s:s, s:o, s:o, s:b}", "id",
				       (json_int_t)a->id, "name", a->name, "site_id",
				       (json_int_t)a->site_id, "site_name", a->site_name, "auth",
				       a->token_hash[0] ? "token" : "hmac", "last_heartbeat",
				       a->last_hb ? json_integer(a->last_hb) : json_null(), "ack_seq",
				       a->ack_seq >= 0 ? json_integer(a->ack_seq) : json_null(),
				       "silent", a->silent_since != 0));
		return 0;
	}
	printf("%-5lld %-24s %-6s site %-5lld %-24s %s\n", (long long)a->id, a->name,
	       a->token_hash[0] ? "token" : "hmac", (long long)a->site_id, a->site_name,
	       a->silent_since ? "SILENT"
	       : a->last_hb    ? (now - a->last_hb < 3600 ? "heard recently" : "heard long ago")
			       : "never heard");
	return 0;
}

int sw_cmd_agent(struct sw_cli *cli, int argc, char **argv)
{
	static const struct option lo[] = {
		{"site", required_argument, NULL, 's'}, {"name", required_argument, NULL, 'n'},
		{"hmac", no_argument, NULL, 'm'},       {"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
	};
	const char *verb = argc > 1 ? argv[1] : "", *site = NULL, *name = NULL;
	struct sw_errbuf eb;
	struct sw_store *st;
	json_t *arr;
	int c, hmac = 0, json = 0;
	enum sw_err rc;

	if (!strcmp(verb, "--help") || !strcmp(verb, "help"))
		return agent_help(stdout);
	if (strcmp(verb, "add") && strcmp(verb, "list"))
		return agent_help(stderr), SW_EXIT_USAGE;
	argc--, argv++;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 's')
			site = optarg;
		else if (c == 'n')
			name = optarg;
		else if (c == 'm')
			hmac = 1;
		else if (c == 'j')
			json = 1;
		else if (c == 'h')
			return agent_help(stdout);
		else
			return sw_cli_bad_option("agent", argv);
	}
	if (optind != argc)
		return sw_cli_usage("agent", "unexpected argument '%s'", argv[optind]);
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	if (!strcmp(verb, "add"))
		return agent_add(st, site, name, hmac, json);
	arr = json ? json_array() : NULL;
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_agent_list(st, 0, NULL, print_agent, arr, &eb))) {
		json_decref(arr);
		return sw_cli_fail_eb(rc, &eb);
	}
	return arr ? sw_cli_print_json(arr) : SW_EXIT_OK;
}
