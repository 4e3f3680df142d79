/*
 * block_nginx.h - the opt-in deny list for nginx: an included file of
 * "deny ADDR;" lines, each with its expiry in a comment, rewritten
 * atomically and applied by running the configured test command
 * ("nginx -t") and, only when it passes, the reload command ("nginx -s
 * reload"); a failing test puts the previous file back.
 *
 * Never blocked: the never_block ranges (loopback by default; 127.0.0.1
 * and ::1 always) and the allow list.  Only addresses the agent parsed
 * itself are written, in their canonical form, so nothing from a log line
 * reaches nginx's configuration as text.
 */
#ifndef SW_AGENT_BLOCK_NGINX_H
#define SW_AGENT_BLOCK_NGINX_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/attack_conf.h"
#include "agent/json.h"

#define AG_BLOCK_MAX 10000

struct ag_block_entry {
	char addr[64];   /* canonical text */
	int64_t until;   /* unix seconds */
	char reason[32];
};

struct ag_blocker {
	const struct ag_attack_conf *conf;
	pthread_mutex_t mu; /* entries are read by status (another thread) */
	struct ag_block_entry *e;
	size_t n;
	uint64_t blocks, unblocks, refused, reload_failures;
	char last_error[256];
};

/* Reads the deny file the agent wrote before (expired lines dropped at
 * the next expire()). */
enum sw_err ag_block_init(struct ag_blocker *b, const struct ag_attack_conf *conf,
			  struct sw_errbuf *eb);
void ag_block_cleanup(struct ag_blocker *b);

/* 1 when addr must never be blocked. */
int ag_block_exempt(const struct ag_blocker *b, const char *addr);

/*
 * Blocks addr until now + block_for (extends an existing block).  Returns
 * 1 when a new block was applied (ev gets the members of the "block"
 * event), 0 when nothing changed or the address is exempt, -1 when the
 * test or reload command failed (ev describes the failure).
 */
int ag_block_add(struct ag_blocker *b, const char *addr, const char *reason, int64_t now,
		 struct ag_json *ev);

/* Lifts expired blocks; calls fn with each "unblock" event. */
void ag_block_expire(struct ag_blocker *b, int64_t now,
		     void (*fn)(const struct ag_json *ev, void *arg), void *arg);

/* Appends "blocked":[{"source":..,"until":..}] to j. */
void ag_block_status(struct ag_blocker *b, struct ag_json *j);

/* Runs cmd with /bin/sh -c, at most timeout_s seconds; 0 when it exits 0.
 * err gets the first line of its output on failure. */
int ag_run_cmd(const char *cmd, int timeout_s, char *err, size_t errcap);

#endif
