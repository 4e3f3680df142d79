/*
 * cli.h - shared pieces of the sitewarden command line.
 *
 * The CLI is a thin client of the modules: it parses options, calls the
 * register/store/io functions and decides what to print.  Exit status:
 * 0 success, 1 the operation failed or found problems, 2 usage error.
 */
#ifndef SW_CLI_CLI_H
#define SW_CLI_CLI_H

#include <jansson.h>
#include <stdio.h>

#include "core/err.h"
#include "model/entity.h"
#include "store/store.h"

enum { SW_EXIT_OK = 0, SW_EXIT_FAIL = 1, SW_EXIT_USAGE = 2 };

struct sw_cli {
	const char *db;       /* --db, SITEWARDEN_DB or the default */
	struct sw_store *st;  /* opened on first use by sw_cli_store */
};

struct sw_cmd {
	const char *name;
	int (*fn)(struct sw_cli *cli, int argc, char **argv);
	const char *summary;
};

/* Opens the store on first use; returns NULL after printing the error. */
struct sw_store *sw_cli_store(struct sw_cli *cli);

/* Prints "sitewarden: <message>" to stderr and returns SW_EXIT_FAIL. */
int sw_cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints the message and "try 'sitewarden <cmd> --help'", returns
 * SW_EXIT_USAGE. */
int sw_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* After getopt_long returned '?': names the option at fault (unknown, or
 * missing its value) and returns SW_EXIT_USAGE. */
int sw_cli_bad_option(const char *cmd, char **argv);

/* Prints an error from a module: the buffer's message, else the code's. */
int sw_cli_fail_eb(enum sw_err rc, const struct sw_errbuf *eb);

/* Exit status for a module error: usage errors 2, the rest 1. */
int sw_cli_status(enum sw_err rc);

/* Prints json to stdout (indented, UTF-8 as is) and frees it. */
int sw_cli_print_json(json_t *json);

/* Record output: JSON object of rec with labels of references. */
json_t *sw_cli_rec_json(struct sw_store *st, const struct sw_rec *rec);

/* Writes the display text of field i of rec (labels for references, the
 * Chinese label after enum keys when `zh`) into buf. */
void sw_cli_field_text(struct sw_store *st, const struct sw_rec *rec, int i, int zh, char *buf,
		       size_t n);

/* Terminal display width of UTF-8 s (CJK characters count two). */
size_t sw_cli_width(const char *s);

/* Prints s padded with spaces to width w (truncated with "…" when wider
 * than w and `cut` is set). */
void sw_cli_pad(FILE *f, const char *s, size_t w, int cut);

/* Tunes the heap for a long fetch loop: keeps freed memory instead of
 * returning it to the kernel after every page (bench/probe measured page
 * faults and brk churn at a quarter of the CPU over a bare fetch). */
void sw_cli_heap_for_fetching(void);

/* Subcommands. */
/*
 * JSON of one finding: {"kind": family, "check": key, "severity", "title",
 * "technique"?, "confidence"?, "evidence"?}.  Every command that prints
 * findings uses it, so scripts read one shape.
 */
json_t *sw_cli_finding_json(const char *key, const char *severity, const char *title,
			    const char *evidence);

int sw_cmd_agent(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_alert(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_baseline(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_channel(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_incident(struct sw_cli *cli, int argc, char **argv);
/* plan and drill. */
int sw_cmd_plan(struct sw_cli *cli, int argc, char **argv);
/* Shared by the response commands (cmd_alert.c): reads TIME (local
 * "YYYY-MM-DD[ HH:MM[:SS]]", "...Z" for UTC, "@unix", "+N[smhd]" from now)
 * into *out, -1 when bad; the acting person: by, else $USER, else "cli". */
int sw__cli_time(const char *s, int64_t now, int64_t *out);
const char *sw__cli_actor(const char *by);
/* The probe's hooks into alerts, notifications and incidents: after each
 * recorded check (content: page analysis is on) and once per round.  They
 * print what changed and report failures on stderr without stopping. */
struct sw_engine_check;
void sw__cli_respond_check(struct sw_store *st, const struct sw_engine_check *c, int content);
/* Sets SITEWARDEN_KEY_DIR, when unset, to the evidence key directory of
 * database db, before any thread starts: the freezing hooks and the
 * evidence API read it. */
void sw__cli_evidence_env(const char *db);
void sw__cli_respond_tick(struct sw_store *st, int64_t now);
/* The same as engine hooks (serve): arg is the run's struct sw_engine_opts
 * (for its content flag) or NULL. */
void sw__cli_alert_on_check(void *arg, struct sw_store *st, const struct sw_engine_check *c);
void sw__cli_alert_on_tick(void *arg, struct sw_store *st, int64_t now);
/*
 * Reads file path ("-": standard input) whole into a new NUL-terminated
 * buffer (*data, the caller's; its length in *len), refusing files over
 * max bytes.  Returns an exit status, the error printed.
 */
int sw_cli_read_file(const char *path, size_t max, char **data, size_t *len);

int sw_cmd_check(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_check_offline(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_evidence(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_entity(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_import(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_export(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_policy(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_migrate(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_node(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_probe(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_serve(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_user(struct sw_cli *cli, int argc, char **argv);

/* Compliance commands (cmd_review.c, cmd_mlps.c, cmd_rectify.c,
 * cmd_stats.c, cmd_report.c) and their shared helpers (cmd_stats.c). */
int sw_cmd_review(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_mlps(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_rectify(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_stats(struct sw_cli *cli, int argc, char **argv);
int sw_cmd_report(struct sw_cli *cli, int argc, char **argv);

/* Sets the compliance clock from SITEWARDEN_NOW (unix seconds or a
 * date); returns an exit status (2 when it is malformed). */
int sw_cli_clock(void);

/* Options of the compliance commands: "--name value" pairs and flags,
 * the rest positional.  Values are borrowed from argv. */
#define SW_CLI_KV_MAX 24
struct sw_cli_kv {
	const char *key[SW_CLI_KV_MAX], *val[SW_CLI_KV_MAX];
	int n;
	const char *pos[SW_CLI_KV_MAX];
	int npos;
};

/* Parses argv[from..] against `valued` and `flags` (NULL-terminated
 * names without "--"); returns -1 on success, else an exit status after
 * printing the usage error. */
int sw_cli_kv_parse(const char *cmd, int argc, char **argv, int from,
		    const char *const *valued, const char *const *flags, struct sw_cli_kv *kv);

/* Value of option name (flags: "1"), or NULL. */
const char *sw_cli_kv(const struct sw_cli_kv *kv, const char *name);

/* Resolves a site reference (id, URL, domain or name) into *id; prints
 * and returns an exit status, or -1 on success. */
int sw_cli_site_ref(struct sw_store *st, const char *ref, int64_t *id);

#endif
