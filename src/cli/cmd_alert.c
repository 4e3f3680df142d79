/*
 * cmd_alert.c - `sitewarden alert list|show|ack|resolve|suppress` and
 * `alert silence add|list|remove` (maintenance windows and suppressions of
 * a site or group).  Also the small helpers the other response commands
 * share: times, the acting person.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert/alert.h"
#include "alert/json.h"
#include "cli/cli.h"
#include "cli/probe_show.h"
#include "engine/engine.h"
#include "compliance/compliance.h"
#include "compliance/report.h"
#include "evidence/evidence.h"
#include "store/compliance.h"
#include "incident/respond.h"
#include "model/finding.h"
#include "register/register.h"

int sw__cli_time(const char *s, int64_t now, int64_t *out)
{
	struct tm tm;
	char *end;
	long long n;
	const char *p;

	if (!s || !*s)
		return -1;
	if (*s == '@' || *s == '+') {
		n = strtoll(s + 1, &end, 10);
		if (end == s + 1 || n < 0)
			return -1;
		if (*s == '@' && !*end) {
			*out = n;
			return 0;
		}
		switch (*end) {
		case '\0': case 's': break;
		case 'm': n *= 60; break;
		case 'h': n *= 3600; break;
		case 'd': n *= 86400; break;
		default: return -1;
		}
		if (*end && end[1])
			return -1;
		*out = now + n;
		return 0;
	}
	/* Local wall time: the people who type these are in that zone. */
	memset(&tm, 0, sizeof tm);
	if (!(p = strptime(s, "%Y-%m-%d", &tm)))
		return -1;
	if (*p == 'T' || *p == ' ')
		if (!(p = strptime(p + 1, "%H:%M", &tm)))
			return -1;
	if (*p == ':' && !(p = strptime(p + 1, "%S", &tm)))
		return -1;
	if (*p == 'Z' && !p[1]) {
		*out = (int64_t)timegm(&tm);
		return 0;
	}
	if (*p)
		return -1;
	tm.tm_isdst = -1;
	*out = (int64_t)mktime(&tm);
	return 0;
}

const char *sw__cli_actor(const char *by)
{
	const char *u = getenv("USER");

	return by && *by ? by : u && *u ? u : "cli";
}

static int alert_help(FILE *f)
{
	fprintf(f,
		"usage: sitewarden alert list [--state S] [--site SITE] [--kind K] [--severity S]\n"
		"                             [--limit N] [--offset N] [--json]\n"
		"       sitewarden alert show ID [--json]\n"
		"       sitewarden alert ack|resolve ID [--by NAME] [--note TEXT]\n"
		"       sitewarden alert suppress ID [--until TIME] [--by NAME] [--note TEXT]\n"
		"       sitewarden alert silence add (--site SITE | --group GROUP) [--family F]\n"
		"                             [--from TIME] [--until TIME] [--maintenance]\n"
		"                             [--reason TEXT] [--by NAME]\n"
		"       sitewarden alert silence list [--all] [--json]\n"
		"       sitewarden alert silence remove ID\n"
		"\nAlerts are findings deduplicated by site, kind and what they are about (a\n"
		"dark link's domain, a script's URL); a check that looked and no longer sees\n"
		"one resolves it.  States: open, acknowledged, resolved, suppressed; --state\n"
		"active means open or acknowledged.  --severity S lists S and worse.\n"
		"A silence (maintenance window, or suppression without end) keeps the findings\n"
		"of a site or group, or of one family (--family darklink), from being notified.\n"
		"TIME: 2026-11-25 18:00 (local), 2026-11-25T10:00Z, @UNIX, +30m, +2h, +7d.\n");
	return SW_EXIT_OK;
}

/* Options shared by the alert verbs. */
struct aopts {
	const char *state, *site, *group, *kind, *severity, *by, *note, *until, *from, *family,
		*reason;
	long limit, offset;
	int json, all, maintenance;
};

static int parse(int argc, char **argv, struct aopts *o)
{
	static const struct option opts[] = {
		{"state", required_argument, NULL, 'S'},  {"site", required_argument, NULL, 's'},
		{"group", required_argument, NULL, 'g'},  {"kind", required_argument, NULL, 'k'},
		{"severity", required_argument, NULL, 'v'}, {"by", required_argument, NULL, 'b'},
		{"note", required_argument, NULL, 'n'},   {"until", required_argument, NULL, 'u'},
		{"from", required_argument, NULL, 'f'},   {"family", required_argument, NULL, 'F'},
		{"reason", required_argument, NULL, 'r'}, {"limit", required_argument, NULL, 'l'},
		{"offset", required_argument, NULL, 'o'}, {"json", no_argument, NULL, 'j'},
		{"all", no_argument, NULL, 'a'},	  {"maintenance", no_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},	  {NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'S': o->state = optarg; break;
		case 's': o->site = optarg; break;
		case 'g': o->group = optarg; break;
		case 'k': o->kind = optarg; break;
		case 'v': o->severity = optarg; break;
		case 'b': o->by = optarg; break;
		case 'n': o->note = optarg; break;
		case 'u': o->until = optarg; break;
		case 'f': o->from = optarg; break;
		case 'F': o->family = optarg; break;
		case 'r': o->reason = optarg; break;
		case 'l': o->limit = strtol(optarg, NULL, 10); break;
		case 'o': o->offset = strtol(optarg, NULL, 10); break;
		case 'j': o->json = 1; break;
		case 'a': o->all = 1; break;
		case 'm': o->maintenance = 1; break;
		case 'h': return alert_help(stdout), -1;
		default: return sw_cli_bad_option("alert", argv), -2;
		}
	}
	if (o->limit < 0 || o->offset < 0)
		return sw_cli_usage("alert", "--limit and --offset are not negative"), -2;
	return 0;
}

/* Prints one alert as a table row. */
static int row_text(void *arg, const struct sw_alert_row *a)
{
	const struct sw_finding_kind *k = sw_finding_kind(a->kind);
	char when[32];
	time_t t = (time_t)a->last_seen;
	struct tm tm;

	(void)arg;
	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	printf("%6" PRId64 "  %-12s %-8s %5" PRId64 "  %s  ", a->id, a->state, a->severity,
	       a->count, when);
	sw_cli_pad(stdout, a->site_name ? a->site_name : "", 20, 1);
	printf("  %s  %s\n", k ? k->zh : a->kind, a->title);
	return 0;
}

static int row_json(void *arg, const struct sw_alert_row *a)
{
	json_array_append_new(arg, sw_alert_json(a));
	return 0;
}

static int alert_list(struct sw_store *st, const struct aopts *o)
{
	struct sw_alert_filter f = {.state = o->state, .kind = o->kind, .severity = o->severity,
				    .limit = o->limit, .offset = o->offset};
	struct sw_errbuf eb;
	json_t *items = o->json ? json_array() : NULL;
	int64_t total = 0;
	enum sw_err rc;

	if (o->severity && sw_sev_parse(o->severity) < 0)
		return sw_cli_usage("alert", "unknown severity '%s'", o->severity);
	if (o->site && !(f.site_id = sw__probe_site(st, o->site)))
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	rc = sw_store_alert_list(st, &f, o->json ? row_json : row_text, items, &total, &eb);
	if (rc) {
		json_decref(items);
		return sw_cli_fail_eb(rc, &eb);
	}
	if (o->json)
		return sw_cli_print_json(json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total",
						   (json_int_t)total, "limit", (json_int_t)o->limit,
						   "offset", (json_int_t)o->offset));
	fprintf(stderr, "%" PRId64 " alert(s)\n", total);
	return SW_EXIT_OK;
}

static int add_check(void *arg, int64_t id)
{
	json_array_append_new(arg, json_integer((json_int_t)id));
	return 0;
}

static int keep_alert(void *arg, const struct sw_alert_row *a)
{
	*(json_t **)arg = sw_alert_json(a);
	return 1;
}

static int alert_show(struct sw_store *st, int64_t id, const struct aopts *o)
{
	json_t *a = NULL, *checks = json_array();
	struct sw_errbuf eb;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	if ((rc = sw_store_alert_get(st, id, keep_alert, &a, &eb)) ||
	    (rc = sw_store_alert_checks(st, id, add_check, checks, &eb))) {
		json_decref(a);
		json_decref(checks);
		return sw_cli_fail_eb(rc, &eb);
	}
	json_object_set_new(a, "checks", checks);
	if (o->json)
		return sw_cli_print_json(a);
	{
		const char *k;
		json_t *v;

		json_object_foreach(a, k, v) {
			char *s = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

			printf("%-17s %s\n", k, s ? s : json_string_value(v));
			free(s);
		}
	}
	json_decref(a);
	return SW_EXIT_OK;
}

/* ack, resolve, suppress. */
static int alert_set(struct sw_store *st, const char *verb, int64_t id, const struct aopts *o)
{
	const char *by = sw__cli_actor(o->by);
	int64_t now = time(NULL), until = 0;
	struct sw_errbuf eb;
	enum sw_err rc;

	if (o->until && sw__cli_time(o->until, now, &until))
		return sw_cli_usage("alert", "bad --until '%s'", o->until);
	sw_errbuf_clear(&eb);
	if (!strcmp(verb, "ack"))
		rc = sw_alert_ack(st, id, now, by, o->note, &eb);
	else if (!strcmp(verb, "resolve"))
		rc = sw_alert_resolve(st, id, now, by, o->note, &eb);
	else
		rc = sw_alert_suppress(st, id, now, until, by, o->note, &eb);
	if (rc)
		return sw_cli_fail_eb(rc, &eb);
	if (o->json)
		return alert_show(st, id, o);
	printf("alert %" PRId64 ": %s\n", id, !strcmp(verb, "ack") ? "acknowledged"
					       : !strcmp(verb, "resolve") ? "resolved"
									  : "suppressed");
	return SW_EXIT_OK;
}

static int silence_row(void *arg, const struct sw_silence_row *r)
{
	if (arg) {
		json_array_append_new(arg, sw_silence_json(r));
		return 0;
	}
	printf("%4" PRId64 "  %-11s %-5s %-6" PRId64 " %-12s from @%" PRId64 " until %s%" PRId64
	       "  %s\n", r->id, r->what, r->scope, r->scope_id, r->family ? r->family : "(all)",
	       r->starts_at, r->ends_at ? "@" : "", r->ends_at, r->reason ? r->reason : "");
	return 0;
}

static int silence(struct sw_store *st, const char *verb, int argc, char **argv,
		   const struct aopts *o)
{
	struct sw_silence_row r = {.what = o->maintenance ? "maintenance" : "suppress"};
	int64_t now = time(NULL), id;
	struct sw_errbuf eb;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	if (!strcmp(verb, "list")) {
		json_t *items = o->json ? json_array() : NULL;

		if ((rc = sw_store_silence_list(st, o->all ? 0 : now, silence_row, items, &eb))) {
			json_decref(items);
			return sw_cli_fail_eb(rc, &eb);
		}
		return o->json ? sw_cli_print_json(json_pack("{s:o}", "items", items)) : SW_EXIT_OK;
	}
	if (!strcmp(verb, "remove")) {
		if (argc != 1)
			return sw_cli_usage("alert", "silence remove takes one ID");
		if ((rc = sw_store_silence_remove(st, strtoll(argv[0], NULL, 10), &eb)))
			return sw_cli_fail_eb(rc, &eb);
		return SW_EXIT_OK;
	}
	if (strcmp(verb, "add") || argc)
		return sw_cli_usage("alert", "silence add, list or remove");
	if (!o->site == !o->group)
		return sw_cli_usage("alert", "give --site or --group");
	r.scope = o->site ? "site" : "group";
	if (o->site && !(r.scope_id = sw__probe_site(st, o->site)))
		return SW_EXIT_FAIL;
	if (o->group && (rc = sw_reg_resolve(st, sw_entity_get(SW_ENT_GROUP), o->group,
					     &r.scope_id, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	r.starts_at = now;
	if (o->from && sw__cli_time(o->from, now, &r.starts_at))
		return sw_cli_usage("alert", "bad --from '%s'", o->from);
	if (o->until && sw__cli_time(o->until, now, &r.ends_at))
		return sw_cli_usage("alert", "bad --until '%s'", o->until);
	if (o->maintenance && !o->until)
		return sw_cli_usage("alert", "a maintenance window needs --until");
	if (o->family && !sw_finding_kind(o->family)) {
		size_t n, i;
		const struct sw_finding_kind *k = sw_finding_kinds(&n);

		for (i = 0; i < n && strcmp(k[i].family, o->family); i++)
			;
		if (i == n && strcmp(o->family, "agent"))
			return sw_cli_usage("alert", "unknown family '%s'", o->family);
	}
	r.family = o->family;
	r.reason = o->reason;
	r.created_by = sw__cli_actor(o->by);
	r.created_at = now;
	if ((rc = sw_store_silence_add(st, &r, &id, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	if (o->json) {
		r.id = id;
		return sw_cli_print_json(sw_silence_json(&r));
	}
	printf("silence %" PRId64 " added\n", id);
	return SW_EXIT_OK;
}

int sw_cmd_alert(struct sw_cli *cli, int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "";
	struct aopts o = {0};
	struct sw_store *st;
	int r;
	char *end;
	int64_t id;

	if (!strcmp(verb, "--help") || !strcmp(verb, "help") || !strcmp(verb, "-h"))
		return alert_help(stdout);
	if (strcmp(verb, "list") && strcmp(verb, "show") && strcmp(verb, "ack") &&
	    strcmp(verb, "resolve") && strcmp(verb, "suppress") && strcmp(verb, "silence"))
		return alert_help(stderr), SW_EXIT_USAGE;
	argc--, argv++;
	if ((r = parse(argc, argv, &o)) == -1)
		return SW_EXIT_OK;
	if (r)
		return SW_EXIT_USAGE;
	argc -= optind;
	argv += optind;
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	if (!strcmp(verb, "list"))
		return argc ? sw_cli_usage("alert", "list takes no arguments") : alert_list(st, &o);
	if (!strcmp(verb, "silence"))
		return argc < 1 ? sw_cli_usage("alert", "silence add, list or remove")
				: silence(st, argv[0], argc - 1, argv + 1, &o);
	if (argc != 1)
		return sw_cli_usage("alert", "%s takes one alert ID", verb);
	id = strtoll(argv[0], &end, 10);
	if (*end || id <= 0)
		return sw_cli_usage("alert", "'%s' is not an alert ID", argv[0]);
	if (!strcmp(verb, "show"))
		return alert_show(st, id, &o);
	return alert_set(st, verb, id, &o);
}

void sw__cli_evidence_env(const char *db)
{
	char dir[4096];

	if (getenv("SITEWARDEN_KEY_DIR"))
		return;
	sw_ev_default_key_dir(db, dir, sizeof dir);
	setenv("SITEWARDEN_KEY_DIR", dir, 0);
}

/*
 * Freezes the full exchange of check c into the evidence ledger (固定证据):
 * called when the check raised or reopened an alert, so the bytes that
 * showed the problem are kept, hashed into the chain, before the site
 * changes again.  The key directory is SITEWARDEN_KEY_DIR, which probe and
 * serve set from their database at start (sw__cli_evidence_env).
 */
static void freeze_evidence(struct sw_store *st, const struct sw_engine_check *c)
{
	struct sw_ev_opts eo;
	struct sw_evidence *ev = NULL;
	struct sw_errbuf eb;
	size_t n = 0;

	sw_ev_opts_init(&eo);
	eo.key_dir = getenv("SITEWARDEN_KEY_DIR");
	eo.create_key = 1;
	sw_errbuf_clear(&eb);
	if (sw_evidence_open(st, &eo, &ev, &eb) || sw_evidence_freeze_engine(ev, c, &n, &eb))
		fprintf(stderr, "probe: evidence of check %" PRId64 " of site %" PRId64 ": %s\n",
			c->check_id, c->site_id, eb.msg);
	else if (n)
		printf("site %" PRId64 ": evidence of check %" PRId64 " frozen (%zu item(s))\n",
		       c->site_id, c->check_id, n);
	sw_evidence_free(ev);
}

void sw__cli_respond_check(struct sw_store *st, const struct sw_engine_check *c, int content)
{
	struct sw_response r;
	struct sw_errbuf eb;
	size_t n[3] = {0};

	sw_response_init(&r);
	sw_errbuf_clear(&eb);
	if (sw_response_engine_check(st, c, content, &r, &eb)) {
		fprintf(stderr, "probe: alerts of site %" PRId64 ": %s\n", c->site_id, eb.msg);
		sw_response_cleanup(&r);
		return;
	}
	for (size_t i = 0; i < r.changes.n; i++)
		n[r.changes.v[i].change]++;
	if (r.changes.n)
		printf("site %" PRId64 ": alerts %zu new, %zu reopened, %zu resolved; %zu "
		       "notification(s) queued\n", c->site_id, n[SW_ALERT_CH_NEW],
		       n[SW_ALERT_CH_REOPENED], n[SW_ALERT_CH_RESOLVED], r.queued);
	for (size_t i = 0; i < r.n_opened; i++)
		printf("site %" PRId64 ": incident %" PRId64 " opened\n", c->site_id, r.opened[i]);
	if (n[SW_ALERT_CH_NEW] || n[SW_ALERT_CH_REOPENED] || r.n_opened)
		freeze_evidence(st, c);
	sw_response_cleanup(&r);
}

/* Queues the notification of one undelivered rectification escalation
 * and marks it delivered, in one transaction: a crash between the two
 * leaves neither, so it is told once. */
struct esc_arg {
	struct sw_store *st;
	int64_t now;
	size_t queued, failed;
};

static int escalation_cb(void *arg, const struct sw_cmp_row *r)
{
	struct esc_arg *a = arg;
	struct sw_notify_event ev = {0};
	struct sw_errbuf eb;
	char key[48], title[512];

	snprintf(key, sizeof key, "esc-%" PRId64, r->i[SW_ESC_ID]);
	snprintf(title, sizeof title, "%s (deadline %s)", r->s[SW_ESC_TITLE] ? r->s[SW_ESC_TITLE] : "",
		 r->s[SW_ESC_DEADLINE] ? r->s[SW_ESC_DEADLINE] : "?");
	ev.site_id = r->i[SW_ESC_SITE];
	ev.event = "rectification.overdue";
	ev.severity = "high";
	ev.kind = "rectification";
	ev.title = title;
	ev.key = key;
	ev.force = 1;
	sw_errbuf_clear(&eb);
	if (sw_store_begin(a->st, &eb) ||
	    sw_notify_enqueue(a->st, &ev, a->now, &a->queued, &eb) ||
	    sw_store_escalation_delivered(a->st, r->i[SW_ESC_ID], a->now, &eb) ||
	    sw_store_commit(a->st, &eb)) {
		if (a->st && eb.msg[0])
			fprintf(stderr, "probe: rectification escalation %" PRId64 ": %s\n",
				r->i[SW_ESC_ID], eb.msg);
		sw_store_rollback(a->st);
		a->failed++;
	}
	return 0;
}

/* The compliance side of a tick: overdue rectification items are marked
 * and escalated once (sw_compliance_tick), each escalation goes out
 * through the notification channels, and scheduled reports are made and
 * sent. */
static void compliance_tick(struct sw_store *st, int64_t now)
{
	struct esc_arg a = {.st = st, .now = now};
	struct sw_errbuf eb;

	sw_errbuf_clear(&eb);
	if (sw_compliance_tick(st, now, &eb) ||
	    sw_store_escalations(st, 1, escalation_cb, &a, &eb))
		fprintf(stderr, "probe: rectification deadlines: %s\n", eb.msg);
	if (a.queued)
		printf("%zu rectification escalation notification(s) queued\n", a.queued);
	/* Scheduled bulletins and progress reports whose period has ended. */
	struct sw_report_tick_result rr = {0};

	sw_errbuf_clear(&eb);
	if (sw_report_tick_r(st, now, &rr, &eb))
		fprintf(stderr, "probe: scheduled reports: %s\n", eb.msg);
	else if (rr.made || rr.sent || rr.failed)
		printf("scheduled reports: %" PRId64 " made, %" PRId64 " sent, %" PRId64
		       " failed (will retry)\n", rr.made, rr.sent, rr.failed);
}

void sw__cli_respond_tick(struct sw_store *st, int64_t now)
{
	struct sw_notify_stats s;
	struct sw_errbuf eb;
	size_t raised = 0;

	compliance_tick(st, now);
	sw_errbuf_clear(&eb);
	if (sw_response_on_tick(st, now, &raised, &s, &eb)) {
		fprintf(stderr, "probe: notifications: %s\n", eb.msg);
		return;
	}
	if (raised)
		printf("%zu overdue incident step(s) raised\n", raised);
	if (s.sent || s.failed)
		printf("notifications: %zu sent, %zu failed (will retry)%s\n", s.sent, s.failed,
		       s.digests ? ", digests made" : "");
}

void sw__cli_alert_on_check(void *arg, struct sw_store *st, const struct sw_engine_check *c)
{
	const struct sw_engine_opts *o = arg;

	sw__cli_respond_check(st, c, o ? o->content : 1);
}

void sw__cli_alert_on_tick(void *arg, struct sw_store *st, int64_t now)
{
	(void)arg;
	sw__cli_respond_tick(st, now);
}
