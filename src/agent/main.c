/*
 * main.c - entry point of `sitewarden-agent`, the anti-tamper guard that
 * runs on each web server host: command table, option parsing, dispatch.
 *
 * Options may come in any order after the command.  The configuration file
 * (--config) is read first, then the command-line settings override it, so
 * `--config /etc/sitewarden/agent.ini --watcher inotify` works as expected.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/cmd.h"
#include "agent/config.h"

struct cmd {
	const char *name;
	int (*fn)(struct ag_config *c, const struct ag_opts *o);
	int need_roots;
	const char *summary;
};

/* Sorted by name. */
static const struct cmd cmds[] = {
	{"init", ag_cmd_init, 1, "build the baseline and backup of every root"},
	{"logs", ag_cmd_logs, -1, "logs test FILE: judge a web-server log offline"},
	{"pause", ag_cmd_pause, 1, "pause protection (--for DURATION, --to ROOT)"},
	{"publish", ag_cmd_publish, 1, "apply --from STAGING_DIR as the new version"},
	{"resume", ag_cmd_resume, 1, "resume protection (keeps changes; --revert undoes them)"},
	{"run", ag_cmd_run, 1, "guard the roots (the service)"},
	{"status", ag_cmd_status, 0, "roots, file counts, last events, spool depth"},
	{"verify", ag_cmd_verify, 1, "list differences from the baseline, change nothing"},
};

void ag_err(const char *fmt, ...)
{
	va_list ap;

	fputs("sitewarden-agent: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: sitewarden-agent COMMAND [--config FILE | --root DIR... --store DIR]\n"
		   "                        [--server URL] [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f,
		"\nsettings (also [agent]/[root] keys of the INI file, see docs/agent.md):\n"
		"  --config FILE        INI configuration\n"
		"  --root DIR           a web root to protect (repeatable)\n"
		"  --exclude GLOB       path not protected, for the last --root (repeatable)\n"
		"  --upload DIR         upload directory of the last --root (scanned, repeatable)\n"
		"  --store DIR          backup store (root-only, outside every root)\n"
		"  --server URL         central server; --token T or --hmac-key-file F\n"
		"  --agent-id ID        this agent's enrolment id (default: host name)\n"
		"  --hash sha256|sm3    content digest (default sha256)\n"
		"  --watcher auto|fanotify|inotify   (default auto)\n"
		"  --serve-guard        check files before the web server opens them\n"
		"  --threads N          hashing threads (default: all cores)\n"
		"  --ca-file F, --rules DIR, --heartbeat DUR, --scan-max SIZE\n"
		"options:\n"
		"  --json               machine-readable output (status, verify)\n"
		"  --progress, --no-progress   init progress line (default: on a terminal)\n"
		"  --force              init: replace an existing baseline\n"
		"  --objects            verify: also check every stored object\n"
		"  --from DIR           publish: the staging directory\n"
		"  --to ROOT            publish/pause/resume: which root (default: all / the only one)\n"
		"  --for DURATION       pause: 90s, 30m, 2h (default 30m)\n"
		"  --revert             resume: undo the changes made while paused\n"
		"  --format F, --site S, --mode pipeline|crs|compare   logs test (docs/agent-attack.md)\n"
		"  --version, --help\n");
}

/* Options that are not configuration settings; returns 1 when handled,
 * -1 on a bad value. */
static int cmd_opt(struct ag_opts *o, const char *name, const char *val, int *used_val)
{
	*used_val = 0;
	if (!strcmp(name, "json"))
		return o->json = 1;
	if (!strcmp(name, "progress"))
		return o->progress = 1;
	if (!strcmp(name, "no-progress"))
		return o->progress = 0, 1;
	if (!strcmp(name, "force"))
		return o->force = 1;
	if (!strcmp(name, "objects"))
		return o->objects = 1;
	if (!strcmp(name, "revert"))
		return o->revert = 1;
	if (!strcmp(name, "accept"))
		return o->accept = 1;
	if (!val)
		return 0;
	*used_val = 1;
	if (!strcmp(name, "from"))
		return o->from = val, 1;
	if (!strcmp(name, "to"))
		return o->to = val, 1;
	if (!strcmp(name, "format"))
		return o->log_format = val, 1;
	if (!strcmp(name, "site"))
		return o->site = val, 1;
	if (!strcmp(name, "mode"))
		return o->mode = val, 1;
	if (!strcmp(name, "for")) {
		o->pause_s = ag_parse_duration(val);
		return o->pause_s > 0 ? 1 : -1;
	}
	*used_val = 0;
	return 0;
}

/* Parses argv[2..] into c and o; returns 0, or 2 after printing why. */
static int parse(int argc, char **argv, struct ag_config *c, struct ag_opts *o)
{
	struct sw_errbuf eb;

	sw_errbuf_clear(&eb);
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			if (ag_config_load(c, argv[i + 1], &eb))
				return ag_err("%s", eb.msg), 2;
			i++;
		}
	for (int i = 2; i < argc; i++) {
		char name[64], *eq;
		const char *val = NULL;
		int used = 0, r;
		if (strncmp(argv[i], "--", 2) || strlen(argv[i]) >= sizeof name + 2)
			return ag_err("unexpected argument '%s' (try --help)", argv[i]), 2;
		snprintf(name, sizeof name, "%s", argv[i] + 2);
		if ((eq = strchr(name, '='))) {
			*eq = '\0';
			val = argv[i] + 2 + (eq - name) + 1;
		} else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2)) {
			val = argv[i + 1];
		}
		if (!strcmp(name, "config")) {
			i += eq ? 0 : 1;
			continue;
		}
		if (!strcmp(name, "serve-guard") && !eq)
			val = "on", used = -1;
		r = cmd_opt(o, name, val, &used);
		if (r < 0)
			return ag_err("bad value for --%s: '%s'", name, val), 2;
		if (r == 0) {
			enum sw_err rc;
			if (!val)
				return ag_err("--%s needs a value (or is unknown; try --help)", name), 2;
			rc = ag_config_arg(c, name, val, &eb);
			if (rc == SW_ENOTFOUND)
				return ag_err("unknown option --%s (try --help)", name), 2;
			if (rc)
				return ag_err("--%s: %s", name, eb.msg[0] ? eb.msg : sw_strerror(rc)), 2;
			used = used == -1 ? 0 : 1;
		}
		if (used > 0 && !eq)
			i++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct ag_config c;
	struct ag_opts o = {.progress = -1, .pause_s = 1800};
	struct sw_errbuf eb;
	const struct cmd *cmd = NULL;
	int rc;

	if (argc >= 2 && !strcmp(argv[1], "--version")) {
		printf("sitewarden-agent %s\n", AG_VERSION);
		return 0;
	}
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (!strcmp(cmds[i].name, argv[1]))
			cmd = &cmds[i];
	if (!cmd)
		return ag_err("unknown command '%s' (try --help)", argv[1]), 2;
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
	if (cmd->fn == ag_cmd_logs) {
		/* "logs test FILE [OPTIONS]": the words before the options */
		if (argc < 4 || strcmp(argv[2], "test") || !strncmp(argv[3], "--", 2))
			return ag_err("usage: sitewarden-agent logs test FILE [--json] [--format F] "
				      "[--site S] [--mode pipeline|crs|compare] [--config FILE]"),
			       2;
		o.file = argv[3];
		argv[3] = argv[1];
		argv += 2;
		argc -= 2;
	}
	ag_config_init(&c);
	if ((rc = parse(argc, argv, &c, &o)) == 0) {
		sw_errbuf_clear(&eb);
		if (ag_config_finish(&c, cmd->need_roots, &eb)) {
			ag_err("%s", eb.msg);
			rc = 2;
		} else {
			rc = cmd->fn(&c, &o);
		}
	}
	ag_config_cleanup(&c);
	return rc;
}
