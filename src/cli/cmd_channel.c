/*
 * cmd_channel.c - `sitewarden channel add|list|remove|test|queue|pump`:
 * notification channels and their outbox.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert/json.h"
#include "cli/cli.h"
#include "cli/probe_show.h"
#include "notify/notify.h"
#include "register/register.h"

static int channel_help(FILE *f)
{
	fprintf(f,
		"usage: sitewarden channel add NAME --kind KIND --url URL [--secret S]\n"
		"              [--scope all|dept|group|site|responsible] [--dept D] [--group G]\n"
		"              [--site S] [--min-severity S] [--digest-after N] [--to ADDRS]\n"
		"              [--from ADDR]\n"
		"       sitewarden channel list [--json]\n"
		"       sitewarden channel remove NAME\n"
		"       sitewarden channel test NAME [--site SITE]\n"
		"       sitewarden channel queue [--state queued|sent|digested] [--limit N] [--json]\n"
		"       sitewarden channel pump [--all]\n"
		"\nKinds and URLs:\n"
		"  webhook   http(s)://... JSON POST; with --secret, X-Sitewarden-Signature:\n"
		"            sha256=HMAC-SHA256(secret, X-Sitewarden-Timestamp + body)\n"
		"  dingtalk  the robot's https://oapi.dingtalk.com/robot/send?access_token=...;\n"
		"            --secret SEC... signs it (timestamp and sign query arguments)\n"
		"  wecom     the robot's https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...\n"
		"  smtp      smtp://host:25 (STARTTLS when offered) or smtps://host:465;\n"
		"            --from, --to (or scope responsible), --secret user:password\n"
		"  syslog    udp://host:514 or tcp://host:601 (RFC 5424)\n"
		"Scope: whose alerts the channel takes (all = the supervisor's view; routing\n"
		"per site follows the policy field alert_routing).  Every message carries an\n"
		"Idempotency-Key.  Failed sends retry with back-off; 'pump --all' sends every\n"
		"queued message now.  More than --digest-after messages due at once (default\n"
		"20) go as one digest.\n");
	return SW_EXIT_OK;
}

struct copts {
	const char *kind, *url, *secret, *scope, *dept, *group, *site, *min, *to, *from, *state;
	long digest, limit;
	int json, all;
};

static int parse(int argc, char **argv, struct copts *o)
{
	static const struct option opts[] = {
		{"kind", required_argument, NULL, 'k'},	  {"url", required_argument, NULL, 'u'},
		{"secret", required_argument, NULL, 'x'}, {"scope", required_argument, NULL, 'S'},
		{"dept", required_argument, NULL, 'd'},	  {"group", required_argument, NULL, 'g'},
		{"site", required_argument, NULL, 's'},	  {"min-severity", required_argument, NULL, 'm'},
		{"to", required_argument, NULL, 't'},	  {"from", required_argument, NULL, 'f'},
		{"state", required_argument, NULL, 'T'},  {"digest-after", required_argument, NULL, 'D'},
		{"limit", required_argument, NULL, 'l'},  {"json", no_argument, NULL, 'j'},
		{"all", no_argument, NULL, 'a'},	  {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'k': o->kind = optarg; break;
		case 'u': o->url = optarg; break;
		case 'x': o->secret = optarg; break;
		case 'S': o->scope = optarg; break;
		case 'd': o->dept = optarg; break;
		case 'g': o->group = optarg; break;
		case 's': o->site = optarg; break;
		case 'm': o->min = optarg; break;
		case 't': o->to = optarg; break;
		case 'f': o->from = optarg; break;
		case 'T': o->state = optarg; break;
		case 'D': o->digest = strtol(optarg, NULL, 10); break;
		case 'l': o->limit = strtol(optarg, NULL, 10); break;
		case 'j': o->json = 1; break;
		case 'a': o->all = 1; break;
		case 'h': return channel_help(stdout), -1;
		default: return sw_cli_bad_option("channel", argv), -2;
		}
	}
	return 0;
}

/* Copies s (may be NULL) into buf; fails when it does not fit. */
static int put(char *buf, size_t cap, const char *s, const char *what)
{
	if (s && strlen(s) >= cap)
		return sw_cli_usage("channel", "%s is too long", what), -1;
	snprintf(buf, cap, "%s", s ? s : "");
	return 0;
}

static int channel_add(struct sw_store *st, const char *name, const struct copts *o)
{
	struct sw_channel c = {.digest_after = o->digest, .enabled = 1, .created_at = time(NULL)};
	struct sw_errbuf eb;
	enum sw_err rc = SW_OK;
	int64_t id;

	if (!o->kind || !o->url)
		return sw_cli_usage("channel", "add needs --kind and --url");
	if (put(c.name, sizeof c.name, name, "the name") || put(c.kind, sizeof c.kind, o->kind, "--kind") ||
	    put(c.url, sizeof c.url, o->url, "--url") ||
	    put(c.secret, sizeof c.secret, o->secret, "--secret") ||
	    put(c.recipients, sizeof c.recipients, o->to, "--to") ||
	    put(c.sender, sizeof c.sender, o->from, "--from") ||
	    put(c.min_severity, sizeof c.min_severity, o->min, "--min-severity"))
		return SW_EXIT_USAGE;
	/* The scope follows from what is named, unless said. */
	snprintf(c.scope, sizeof c.scope, "%s",
		 o->scope ? o->scope : o->site ? "site" : o->group ? "group" : o->dept ? "dept" : "all");
	sw_errbuf_clear(&eb);
	if (!strcmp(c.scope, "site") && o->site && !(c.scope_id = sw__probe_site(st, o->site)))
		return SW_EXIT_FAIL;
	if (!strcmp(c.scope, "group") && o->group)
		rc = sw_reg_resolve(st, sw_entity_get(SW_ENT_GROUP), o->group, &c.scope_id, &eb);
	if (!strcmp(c.scope, "dept") && o->dept)
		rc = sw_reg_resolve(st, sw_entity_get(SW_ENT_DEPT), o->dept, &c.scope_id, &eb);
	if (rc || (rc = sw_notify_channel_check(&c, &eb)) ||
	    (rc = sw_store_channel_add(st, &c, &id, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	if (o->json) {
		c.id = id;
		return sw_cli_print_json(sw_channel_json(&c));
	}
	printf("channel %" PRId64 " (%s) added\n", id, c.name);
	return SW_EXIT_OK;
}

static int chan_row(void *arg, const struct sw_channel *c)
{
	if (arg) {
		json_array_append_new(arg, sw_channel_json(c));
		return 0;
	}
	printf("%4" PRId64 "  %-16s %-8s %-11s %-6" PRId64 " >=%-8s %s\n", c->id, c->name, c->kind,
	       c->scope, c->scope_id, c->min_severity, c->url);
	return 0;
}

static int msg_row(void *arg, const struct sw_notify_msg *m)
{
	if (arg) {
		json_array_append_new(arg, sw_notify_msg_json(m));
		return 0;
	}
	printf("%6" PRId64 "  ch%-4" PRId64 " %-9s %-3" PRId64 " %-16s %s%s%s\n", m->id,
	       m->channel_id, m->state, m->attempts, m->event, m->subject,
	       m->last_error ? "  -- " : "", m->last_error ? m->last_error : "");
	return 0;
}

/* Sends one test message over the channel now, directly. */
static int channel_test(struct sw_store *st, const struct sw_channel *c, const struct copts *o)
{
	char key[64], body[256];
	int64_t now = time(NULL), site = 0;
	struct sw_notify_msg m;
	struct sw_errbuf eb;
	enum sw_err rc;

	if (o->site && !(site = sw__probe_site(st, o->site)))
		return SW_EXIT_FAIL;
	snprintf(key, sizeof key, "sw-test-ch%" PRId64 "-%" PRId64, c->id, now);
	snprintf(body, sizeof body, "{\"event\":\"test\",\"id\":\"%s\",\"severity\":\"info\","
		 "\"title\":\"sitewarden channel test\"}", key);
	m = (struct sw_notify_msg){.channel_id = c->id, .idem_key = key, .event = "test",
				   .site_id = site, .severity = "info",
				   .subject = "[sitewarden] 测试消息 channel test", .body = body,
				   .created_at = now};
	sw_errbuf_clear(&eb);
	if ((rc = sw_notify_send(c, &m, now, &eb)))
		return sw_cli_fail("channel %s: %s", c->name, eb.msg[0] ? eb.msg : sw_strerror(rc));
	printf("channel %s: test message accepted\n", c->name);
	return SW_EXIT_OK;
}

int sw_cmd_channel(struct sw_cli *cli, int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "";
	struct copts o = {0};
	struct sw_channel c;
	struct sw_store *st;
	struct sw_errbuf eb;
	enum sw_err rc;
	int r;

	if (!strcmp(verb, "--help") || !strcmp(verb, "help") || !strcmp(verb, "-h"))
		return channel_help(stdout);
	if (strcmp(verb, "add") && strcmp(verb, "list") && strcmp(verb, "remove") &&
	    strcmp(verb, "test") && strcmp(verb, "queue") && strcmp(verb, "pump"))
		return channel_help(stderr), SW_EXIT_USAGE;
	argc--, argv++;
	if ((r = parse(argc, argv, &o)) == -1)
		return SW_EXIT_OK;
	if (r)
		return SW_EXIT_USAGE;
	argc -= optind;
	argv += optind;
	if (!(st = sw_cli_store(cli)))
		return SW_EXIT_FAIL;
	sw_errbuf_clear(&eb);
	if (!strcmp(verb, "list") || !strcmp(verb, "queue")) {
		json_t *items = o.json ? json_array() : NULL;

		if (argc)
			return sw_cli_usage("channel", "%s takes no arguments", verb);
		rc = !strcmp(verb, "list")
			     ? sw_store_channel_list(st, chan_row, items, &eb)
			     : sw_store_notify_list(st, o.state, o.limit > 0 ? o.limit : 50, msg_row,
						    items, &eb);
		if (rc) {
			json_decref(items);
			return sw_cli_fail_eb(rc, &eb);
		}
		return o.json ? sw_cli_print_json(json_pack("{s:o}", "items", items)) : SW_EXIT_OK;
	}
	if (!strcmp(verb, "pump")) {
		struct sw_notify_stats s;

		if ((rc = sw_notify_pump_all(st, time(NULL), o.all, &s, &eb)))
			return sw_cli_fail_eb(rc, &eb);
		if (o.json) {
			sw_cli_print_json(json_pack("{s:I, s:I, s:I, s:I}", "sent", (json_int_t)s.sent,
						    "failed", (json_int_t)s.failed, "digests",
						    (json_int_t)s.digests, "digested",
						    (json_int_t)s.digested));
			return s.failed ? SW_EXIT_FAIL : SW_EXIT_OK;
		}
		printf("%zu sent, %zu failed (will retry), %zu digest(s) of %zu\n", s.sent, s.failed,
		       s.digests, s.digested);
		return s.failed ? SW_EXIT_FAIL : SW_EXIT_OK;
	}
	if (argc != 1)
		return sw_cli_usage("channel", "%s takes one channel NAME", verb);
	if (!strcmp(verb, "add"))
		return channel_add(st, argv[0], &o);
	if ((rc = sw_store_channel_find(st, argv[0], &c, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	if (!strcmp(verb, "test"))
		return channel_test(st, &c, &o);
	if ((rc = sw_store_channel_remove(st, c.id, &eb)))
		return sw_cli_fail_eb(rc, &eb);
	printf("channel %s removed\n", c.name);
	return SW_EXIT_OK;
}
