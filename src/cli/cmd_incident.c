/*
 * cmd_incident.c - `sitewarden incident list|show|open|step|close|steps|
 * deadlines`: incidents along the plan's reporting chain.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert/json.h"
#include "cli/cli.h"
#include "cli/probe_show.h"
#include "incident/incident.h"
#include "model/finding.h"

static int incident_help(FILE *f)
{
	size_t n;
	const struct sw_incident_step *s = sw_incident_steps(&n);

	fprintf(f,
		"usage: sitewarden incident list [--state open|closed] [--site SITE] [--json]\n"
		"       sitewarden incident show ID [--json]\n"
		"       sitewarden incident open --site SITE --title TEXT [--severity S] [--major]\n"
		"                                [--alert ID]... [--by NAME]\n"
		"       sitewarden incident step ID STEP [--note TEXT] [--by NAME]\n"
		"       sitewarden incident close ID --cause TEXT --fix TEXT --accountability TEXT\n"
		"                                [--by NAME]\n"
		"       sitewarden incident steps\n"
		"       sitewarden incident deadlines [--now TIME]\n"
		"\nHigh defacement, trojan, dark-link and tamper alerts open incidents by\n"
		"themselves (one open incident per site gathers them).  Steps of the chain,\n"
		"each with a deadline from the site's policy counted from the opening:\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-14s %s%s%s%s\n", s[i].key, s[i].zh, s[i].policy ? "  (policy " : "",
			s[i].policy ? s[i].policy : "", s[i].policy ? ")" : "");
	fprintf(f, "'deadlines' raises overdue steps now (the probe does it every round).\n");
	return SW_EXIT_OK;
}

struct iopts {
	const char *state, *site, *title, *severity, *by, *note, *cause, *fix, *acc, *now;
	int64_t alerts[32];
	size_t n_alerts;
	int json, major;
};

static int parse(int argc, char **argv, struct iopts *o)
{
	static const struct option opts[] = {
		{"state", required_argument, NULL, 'S'},   {"site", required_argument, NULL, 's'},
		{"title", required_argument, NULL, 't'},   {"severity", required_argument, NULL, 'v'},
		{"by", required_argument, NULL, 'b'},	   {"note", required_argument, NULL, 'n'},
		{"cause", required_argument, NULL, 'c'},   {"fix", required_argument, NULL, 'f'},
		{"accountability", required_argument, NULL, 'a'},
		{"alert", required_argument, NULL, 'A'},   {"now", required_argument, NULL, 'N'},
		{"major", no_argument, NULL, 'm'},	   {"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},	   {NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'S': o->state = optarg; break;
		case 's': o->site = optarg; break;
		case 't': o->title = optarg; break;
		case 'v': o->severity = optarg; break;
		case 'b': o->by = optarg; break;
		case 'n': o->note = optarg; break;
		case 'c': o->cause = optarg; break;
		case 'f': o->fix = optarg; break;
		case 'a': o->acc = optarg; break;
		case 'N': o->now = optarg; break;
		case 'm': o->major = 1; break;
		case 'j': o->json = 1; break;
		case 'A':
			if (o->n_alerts == 32)
				return sw_cli_usage("incident", "at most 32 --alert"), -2;
			o->alerts[o->n_alerts++] = strtoll(optarg, NULL, 10);
			break;
		case 'h': return incident_help(stdout), -1;
		default: return sw_cli_bad_option("incident", argv), -2;
		}
	}
	return 0;
}

static int row(void *arg, const struct sw_incident_row *r)
{
	char when[32];
	time_t t = (time_t)r->opened_at;
	struct tm tm;

	if (arg) {
		json_array_append_new(arg, sw_incident_json(r));
		return 0;
	}
	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	printf("%5" PRId64 "  %-6s %-8s %s%s  ", r->id, r->state, r->severity, when,
	       r->major ? "  重大" : "");
	sw_cli_pad(stdout, r->site_name ? r->site_name : "", 20, 1);
	printf("  %s\n", r->title);
	return 0;
}

static int incident_list(struct sw_store *st, const struct iopts *o)
{
	json_t *items = o->json ? json_array() : NULL;
	int64_t site = 0, total = 0;
	struct sw_errbuf eb;
	enum sw_err rc;

	if (o->site && !(site = sw__probe_site(st, o->site)))
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	if ((rc = sw_store_incident_list(st, NULL, o->state, site, 0, 0, row, items, &total, &eb))) {
		json_decref(items);
		return sw_cli_fail_eb(rc, &eb);
	}
	if (o->json)
		return sw_cli_print_json(json_pack("{s:o, s:I}", "items", items, "total",
						   (json_int_t)total));
	fprintf(stderr, "%" PRId64 " incident(s)\n", total);
	return SW_EXIT_OK;
}

static int keep(void *arg, const struct sw_incident_row *r)
{
	*(json_t **)arg = sw_incident_json(r);
	return 1;
}

static int add_step(void *arg, const struct sw_incident_step_row *r)
{
	json_array_append_new(arg, sw_incident_step_json(r));
	return 0;
}

static int add_alert(void *arg, const struct sw_alert_row *a)
{
	json_array_append_new(arg, sw_alert_json(a));
	return 0;
}

static int add_check(void *arg, int64_t id)
{
	json_array_append_new(arg, json_integer((json_int_t)id));
	return 0;
}

/* Prints the incident, its steps, alerts and checks. */
static int incident_show(struct sw_store *st, int64_t id, const struct iopts *o)
{
	json_t *inc = NULL, *steps = json_array(), *alerts = json_array(), *checks = json_array();
	struct sw_errbuf eb;
	enum sw_err rc;
	size_t i;
	json_t *v;

	sw_errbuf_clear(&eb);
	if ((rc = sw_store_incident_get(st, id, keep, &inc, &eb)) ||
	    (rc = sw_store_incident_steps(st, id, add_step, steps, &eb)) ||
	    (rc = sw_store_incident_alerts(st, id, add_alert, alerts, &eb)) ||
	    (rc = sw_store_incident_checks(st, id, add_check, checks, &eb))) {
		json_decref(inc);
		json_decref(steps);
		json_decref(alerts);
		json_decref(checks);
		return sw_cli_fail_eb(rc, &eb);
	}
	json_object_set_new(inc, "steps", steps);
	json_object_set_new(inc, "alerts", alerts);
	json_object_set_new(inc, "checks", checks);
	if (o->json)
		return sw_cli_print_json(inc);
	printf("incident %" PRId64 " [%s] %s\n", id, json_string_value(json_object_get(inc, "state")),
	       json_string_value(json_object_get(inc, "title")));
	printf("site: %s  severity: %s%s\n",
	       json_string_value(json_object_get(inc, "site_name")),
	       json_string_value(json_object_get(inc, "severity")),
	       json_is_true(json_object_get(inc, "major")) ? "  major (重大)" : "");
	json_array_foreach(steps, i, v) {
		const struct sw_incident_step *s =
			sw_incident_step_find(json_string_value(json_object_get(v, "step")));
		time_t t = (time_t)json_integer_value(json_object_get(v, "at"));
		char when[32];
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
		printf("  %s  %-14s %s  by %s  %s\n", when,
		       json_string_value(json_object_get(v, "step")), s ? s->zh : "",
		       json_string_value(json_object_get(v, "actor")) ?
			       json_string_value(json_object_get(v, "actor")) : "-",
		       json_string_value(json_object_get(v, "note")) ?
			       json_string_value(json_object_get(v, "note")) : "");
	}
	json_array_foreach(alerts, i, v)
		printf("  alert %lld [%s] %s %s\n",
		       (long long)json_integer_value(json_object_get(v, "id")),
		       json_string_value(json_object_get(v, "state")),
		       json_string_value(json_object_get(v, "kind")),
		       json_string_value(json_object_get(v, "title")));
	printf("  checks: %zu\n", json_array_size(checks));
	json_decref(inc);
	return SW_EXIT_OK;
}

/* Reads a positive id from s; 0 when it is not one. */
static int64_t id_of(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	return *end || v <= 0 ? 0 : (int64_t)v;
}

int sw_cmd_incident(struct sw_cli *cli, int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "";
	struct iopts o = {0};
	struct sw_store *st;
	struct sw_errbuf eb;
	int64_t id = 0, now = time(NULL), site;
	enum sw_err rc;
	int r;

	if (!strcmp(verb, "--help") || !strcmp(verb, "help") || !strcmp(verb, "-h"))
		return incident_help(stdout);
	if (!strcmp(verb, "steps"))
		return incident_help(stdout);
	argc--, argv++;
	if ((r = parse(argc, argv, &o)) == -1)
		return SW_EXIT_OK;
	if (r)
		return SW_EXIT_USAGE;
	argc -= optind;
	argv += optind;
	if (strcmp(verb, "list") && strcmp(verb, "show") && strcmp(verb, "open") &&
	    strcmp(verb, "step") && strcmp(verb, "close") && strcmp(verb, "deadlines"))
		return incident_help(stderr), SW_EXIT_USAGE;
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	if (!strcmp(verb, "list"))
		return argc ? sw_cli_usage("incident", "list takes no arguments")
			    : incident_list(st, &o);
	if (!strcmp(verb, "deadlines")) {
		size_t raised = 0;

		if (o.now && sw__cli_time(o.now, now, &now))
			return sw_cli_usage("incident", "bad --now '%s'", o.now);
		if ((rc = sw_incident_deadlines(st, now, &raised, &eb)))
			return sw_cli_fail_eb(rc, &eb);
		if (o.json)
			return sw_cli_print_json(json_pack("{s:I}", "raised", (json_int_t)raised));
		printf("%zu overdue step(s) raised\n", raised);
		return SW_EXIT_OK;
	}
	if (!strcmp(verb, "open")) {
		if (argc || !o.site || !o.title)
			return sw_cli_usage("incident", "open needs --site and --title");
		if (!(site = sw__probe_site(st, o.site)))
			return SW_EXIT_FAIL;
		if ((rc = sw_incident_open(st, site, o.title, o.severity ? o.severity : "high",
					   o.major, sw__cli_actor(o.by), o.alerts, o.n_alerts, now,
					   &id, &eb)))
			return sw_cli_fail_eb(rc, &eb);
		if (o.json)
			return incident_show(st, id, &o);
		printf("incident %" PRId64 " opened\n", id);
		return SW_EXIT_OK;
	}
	if (argc < 1 || !(id = id_of(argv[0])))
		return sw_cli_usage("incident", "%s needs an incident ID", verb);
	if (!strcmp(verb, "show"))
		return argc != 1 ? sw_cli_usage("incident", "show takes one ID")
				 : incident_show(st, id, &o);
	if (!strcmp(verb, "step")) {
		if (argc != 2)
			return sw_cli_usage("incident", "step takes an ID and a STEP");
		if ((rc = sw_incident_step(st, id, argv[1], sw__cli_actor(o.by), o.note, now, &eb)))
			return sw_cli_fail_eb(rc, &eb);
		if (o.json)
			return incident_show(st, id, &o);
		printf("incident %" PRId64 ": %s recorded\n", id, argv[1]);
		return SW_EXIT_OK;
	}
	if (argc != 1)
		return sw_cli_usage("incident", "close takes one ID");
	if ((rc = sw_incident_close(st, id, o.cause, o.fix, o.acc, sw__cli_actor(o.by), now, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	if (o.json)
		return incident_show(st, id, &o);
	printf("incident %" PRId64 " closed\n", id);
	return SW_EXIT_OK;
}
