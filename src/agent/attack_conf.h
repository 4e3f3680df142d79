/*
 * attack_conf.h - settings of the anti-attack part of the agent: which
 * web-server logs to follow ([log] sections of the INI file) and how to
 * judge and answer what they show ([attack] section).
 *
 * config.c hands every key of those sections to ag_attack_conf_key(); the
 * struct hangs off struct ag_config (attack, NULL when neither section is
 * present, so an agent without logs behaves as before).
 */
#ifndef SW_AGENT_ATTACK_CONF_H
#define SW_AGENT_ATTACK_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* An address range: IPv4 ranges are stored as IPv4-mapped IPv6. */
struct ag_net {
	uint8_t addr[16];
	uint8_t bits; /* prefix length over the 128-bit form */
};

/* One followed log file. */
struct ag_log_conf {
	char *path;   /* absolute */
	char *format; /* "combined", "common", "error", or a log_format/LogFormat line */
	char *site;   /* Host given to the rules when the log has none */
	char *root;   /* web root the URLs map to (quarantined files), or NULL */
	int error_log; /* 1: an error log (nginx or Apache) */
};

struct ag_attack_conf {
	struct ag_log_conf *logs;
	size_t n_logs;
	/* detection */
	char *crs_setup; /* crs-setup.conf (Debian: /etc/modsecurity/crs/crs-setup.conf) */
	char *crs_rules; /* directory of REQUEST-*.conf (Debian: /usr/share/modsecurity-crs/rules) */
	char *rules_dir; /* extra .conf rules replacing the embedded rules/attack ones, or NULL */
	int start_at_end; /* a log seen for the first time: 1 read from its end (default) */
	/* aggregation */
	int window_s;        /* aggregation window (default 60 s) */
	int scan_404;        /* 404s by one address in a window that make a scan */
	int scan_paths;      /* distinct paths by one address in a window that make a scan */
	int brute_force;     /* login attempts (POST to a login path) in a window */
	char **login_paths;  /* path prefixes of login forms (decoded, lower case) */
	size_t n_login_paths;
	char **webshell_names; /* extra file names of known webshells */
	size_t n_webshell_names;
	int samples;         /* evidence lines kept per event (default 3) */
	/* allow lists */
	struct ag_net *allow;   /* never judged as attackers (monitoring, own ranges) */
	size_t n_allow;
	int spiders;            /* 0 off, 1 trust the user agent, 2 verify by reverse DNS */
	/* blocking (opt-in) */
	int block;              /* 1: write deny lines and reload nginx */
	char *block_file;       /* the included file of deny lines */
	char *block_test_cmd;   /* default "nginx -t" */
	char *block_reload_cmd; /* default "nginx -s reload" */
	int block_for_s;        /* expiry of a block (default 1 h) */
	int block_min_sev;      /* lowest event severity that blocks (2 medium, 3 high) */
	struct ag_net *never_block; /* besides allow: loopback by default */
	size_t n_never_block;
	int never_block_set;    /* 1: never_block given explicitly (replaces loopback) */
};

/* A zeroed configuration with the defaults. */
struct ag_attack_conf *ag_attack_conf_new(void);
void ag_attack_conf_free(struct ag_attack_conf *a);

/*
 * Applies one key of section sect ("attack" or "log"); a "[log]" header
 * itself is announced with key NULL (starts a new log).  SW_ENOTFOUND for
 * an unknown key.
 */
enum sw_err ag_attack_conf_key(struct ag_attack_conf *a, const char *sect, const char *key,
			       const char *val, struct sw_errbuf *eb);

/* Fills the defaults that depend on the rest and checks the whole. */
enum sw_err ag_attack_conf_finish(struct ag_attack_conf *a, struct sw_errbuf *eb);

/* Parses "10.0.0.0/8", "::1", "192.0.2.7" into *n; -1 when malformed. */
int ag_net_parse(const char *s, struct ag_net *n);
/* Parses a textual address into its 16-byte form; -1 when malformed. */
int ag_addr_parse(const char *s, size_t len, uint8_t out[16]);
/* 1 when addr lies in one of the n ranges. */
int ag_net_contains(const struct ag_net *nets, size_t n, const uint8_t addr[16]);

#endif
