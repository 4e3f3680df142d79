/*
 * config.h - the agent's configuration: an INI file (--config) or, for a
 * quick start, the same settings given on the command line.
 *
 * Everything the agent does is driven by this one struct, filled by
 * ag_config_load() (file) and ag_config_arg() (options), then checked as a
 * whole by ag_config_finish(): paths made absolute and real, and the
 * safety rules applied (never protect "/", never a root that overlaps
 * another root or the backup store).  Every failure is one line in the
 * caller's sw_errbuf that names the file and line or the option at fault.
 */
#ifndef SW_AGENT_CONFIG_H
#define SW_AGENT_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define AG_VERSION "0.2.0"

enum ag_algo { AG_SHA256 = 1, AG_SM3 = 2 };
enum ag_watcher { AG_WATCH_AUTO = 0, AG_WATCH_FANOTIFY, AG_WATCH_INOTIFY };

/* One protected web root.  exclude and upload hold glob patterns and
 * relative directories as written; both arrays are owned. */
struct ag_root_conf {
	char *path; /* absolute, resolved, no trailing slash */
	char **exclude;
	size_t n_exclude;
	char **upload; /* relative to path, no leading or trailing slash */
	size_t n_upload;
};

struct ag_config {
	char *id;      /* agent id given at enrolment (default: host name) */
	char *store;   /* backup store directory (absolute) */
	char *server;  /* base URL of the central server, or NULL: spool only */
	char *token;   /* bearer token, or NULL */
	uint8_t *hmac_key; /* per-agent HMAC-SHA256 key, or NULL */
	size_t hmac_len;
	char *ca_file;  /* CA bundle for the server's certificate, or NULL */
	char *rules_dir; /* YARA rules replacing the embedded ones, or NULL */
	int algo;       /* enum ag_algo */
	int watcher;    /* enum ag_watcher */
	int serve_guard; /* 1: FAN_OPEN_PERM check before a protected file is opened */
	int sync_first;  /* 1 (default): fsync a restored file before renaming it in;
			  * 0: rename first, fsync right after (restored sooner, a
			  * crash in between may leave the file empty) */
	int heartbeat_s; /* seconds between heartbeats */
	int threads;     /* hashing threads for init/publish; 0 = all cores */
	int64_t scan_max; /* bytes of an upload given to YARA (the rest unscanned) */
	int64_t pause_max_s; /* longest pause accepted */
	struct ag_root_conf *roots;
	size_t n_roots;
	char *conf_path; /* the file it came from, or NULL */
	/* [attack] and [log] sections (attack_conf.h), NULL when absent */
	struct ag_attack_conf *attack;
};

void ag_config_init(struct ag_config *c);
void ag_config_cleanup(struct ag_config *c);

/* Reads the INI file at path into c (keys already in c are replaced,
 * repeatable keys appended). */
enum sw_err ag_config_load(struct ag_config *c, const char *path, struct sw_errbuf *eb);

/*
 * Applies one command-line setting: name is the long option without "--"
 * ("root", "store", "server", "exclude", "upload", "hash", "watcher",
 * "agent-id", "token", "hmac-key-file", "ca-file", "threads", "rules").
 * exclude/upload apply to the last root given.  SW_ENOTFOUND when name is
 * not a configuration option (the caller tries its own options then).
 */
enum sw_err ag_config_arg(struct ag_config *c, const char *name, const char *val,
			  struct sw_errbuf *eb);

/* Checks the whole configuration and resolves paths; need_roots is 0 for
 * commands that work without roots (status), -1 for those that need
 * neither roots nor a store (logs test). */
enum sw_err ag_config_finish(struct ag_config *c, int need_roots, struct sw_errbuf *eb);

/* Parses "30", "90s", "15m", "2h", "1d" into seconds; -1 when malformed. */
int64_t ag_parse_duration(const char *s);

/* Index of the root whose path is path (after realpath), or -1. */
int ag_config_root_find(const struct ag_config *c, const char *path);

#endif
