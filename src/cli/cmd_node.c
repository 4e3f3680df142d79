/*
 * cmd_node.c - `sitewarden node`: the probe nodes sharing the store
 * (store/node.h): their labels, last heartbeat, whether they are alive
 * and their share of the checks of the last hour.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli/cli.h"
#include "store/node.h"

static int node_help(FILE *f)
{
	fprintf(f, "usage: sitewarden node list [--json]\n"
		   "       sitewarden node remove NAME\n"
		   "\nProbe nodes register when `sitewarden probe` (or serve's engine) starts and\n"
		   "beat every round.  list shows each node's labels, last heartbeat, whether it\n"
		   "is alive (heard of within %d s, or 3 times its lease time) and its share: the\n"
		   "checks it recorded in the last hour, and their part of all nodes' checks.\n"
		   "remove forgets a node that is gone for good (its checks keep its name).\n",
		SW_NODE_DEAD_AFTER);
	return SW_EXIT_OK;
}

/* Nodes collected for printing (the share needs the total first). */
struct nodes {
	json_t *arr;
	int64_t total;
	int64_t now;
	int oom;
};

static int collect(void *arg, const struct sw_node_row *n)
{
	struct nodes *ns = arg;
	json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:b, s:I}", "name", n->name, "labels",
			      n->labels ? n->labels : "", "started_at", (json_int_t)n->started_at,
			      "heartbeat_at", (json_int_t)n->heartbeat_at, "lease_s",
			      (json_int_t)n->lease_s, "alive", n->alive, "checks_hour",
			      (json_int_t)n->checks_hour);

	if (!o || json_array_append_new(ns->arr, o)) {
		ns->oom = 1;
		return 1;
	}
	ns->total += n->checks_hour;
	return 0;
}

/* Prints the nodes as a table or JSON (with each one's share added). */
static int print_nodes(struct nodes *ns, int json)
{
	size_t i;
	json_t *o;

	json_array_foreach(ns->arr, i, o) {
		int64_t c = json_integer_value(json_object_get(o, "checks_hour"));

		json_object_set_new(o, "share",
				    json_real(ns->total ? (double)c / (double)ns->total : 0.0));
	}
	if (json) {
		json_dumpf(ns->arr, stdout, JSON_INDENT(2));
		putchar('\n');
		return SW_EXIT_OK;
	}
	printf("%-20s %-5s %9s %8s %6s  %s\n", "node", "state", "beat-ago", "checks/h", "share",
	       "labels");
	json_array_foreach(ns->arr, i, o) {
		int64_t beat = json_integer_value(json_object_get(o, "heartbeat_at"));

		printf("%-20s %-5s %8" PRId64 "s %8" PRId64 " %5.1f%%  %s\n",
		       json_string_value(json_object_get(o, "name")),
		       json_is_true(json_object_get(o, "alive")) ? "alive" : "DEAD", ns->now - beat,
		       (int64_t)json_integer_value(json_object_get(o, "checks_hour")),
		       100.0 * json_real_value(json_object_get(o, "share")),
		       json_string_value(json_object_get(o, "labels")));
	}
	return SW_EXIT_OK;
}

static int node_list(struct sw_store *st, int json)
{
	struct nodes ns = {.arr = json_array(), .now = time(NULL)};
	struct sw_errbuf eb;
	enum sw_err rc;
	int status;

	sw_errbuf_clear(&eb);
	if (!ns.arr)
		return sw_cli_fail_eb(SW_ENOMEM, &eb);
	rc = sw_store_node_list(st, ns.now, collect, &ns, &eb);
	if (!rc && ns.oom)
		rc = SW_ENOMEM;
	status = rc ? sw_cli_fail_eb(rc, &eb) : print_nodes(&ns, json);
	json_decref(ns.arr);
	return status;
}

int sw_cmd_node(struct sw_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct sw_errbuf eb;
	struct sw_store *st;
	enum sw_err rc;
	int json = 0, c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'j')
			json = 1;
		else if (c == 'h')
			return node_help(stdout);
		else
			return sw_cli_bad_option("node", argv);
	}
	if (optind >= argc)
		return sw_cli_usage("node", "list or remove?");
	if (!strcmp(argv[optind], "list") && optind + 1 == argc) {
		if (!(st = sw_cli_store(cli)))
			return SW_EXIT_FAIL;
		return node_list(st, json);
	}
	if (!strcmp(argv[optind], "remove") && optind + 2 == argc) {
		if (!(st = sw_cli_store(cli)))
			return SW_EXIT_FAIL;
		sw_errbuf_clear(&eb);
		if ((rc = sw_store_node_remove(st, argv[optind + 1], &eb)))
			return sw_cli_fail_eb(rc, &eb);
		printf("node %s removed\n", argv[optind + 1]);
		return SW_EXIT_OK;
	}
	return sw_cli_usage("node", "usage: node list [--json] | node remove NAME");
}
