/*
 * attack_run.h - the anti-attack thread of `sitewarden-agent run`: follows
 * the configured logs, judges every line, aggregates, reports attack,
 * block and unblock events through the spool, keeps the deny list, and
 * saves the log positions (STORE/logs.state) so a restart neither reads a
 * line twice nor skips one.
 *
 * Pending windows are closed (reported) when the agent stops, before the
 * positions are saved for the last time.
 */
#ifndef SW_AGENT_ATTACK_RUN_H
#define SW_AGENT_ATTACK_RUN_H

#include <pthread.h>
#include <stdint.h>

#include "agent/attack_agg.h"
#include "agent/attack_detect.h"
#include "agent/block_nginx.h"
#include "agent/config.h"
#include "agent/json.h"
#include "agent/logs_follow.h"
#include "agent/logs_parse.h"
#include "agent/spool.h"

struct ag_attack_log {
	const struct ag_log_conf *lc;
	struct ag_logfmt fmt;
	struct ag_follow follow;
	uint64_t malformed;
};

struct ag_attack_run {
	const struct ag_attack_conf *conf;
	struct ag_spool *sp;
	struct ag_attack_log *logs;
	size_t n_logs;
	struct ag_detect det;
	struct ag_agg agg;
	struct ag_blocker blk;
	char state_path[4200];
	pthread_t th;
	int running, joined;
	volatile int stop;
	int64_t last_save_ns, last_quar_ns;
	int dirty;
	int has_access_log;
	struct ag_logrec rec; /* the line being judged (large: not on the stack) */
};

/* Starts the thread (nothing happens when c->attack has no [log]). */
enum sw_err ag_attack_start(struct ag_attack_run *r, const struct ag_config *c,
			    struct ag_spool *sp, const char *store_dir, struct sw_errbuf *eb);
/* Stops the thread (its last windows reported, positions saved); status
 * still works until ag_attack_free(). */
void ag_attack_stop(struct ag_attack_run *r);
void ag_attack_free(struct ag_attack_run *r);

/* Members for status and the heartbeat: "logs", "verdicts", "blocked". */
void ag_attack_status(struct ag_attack_run *r, struct ag_json *j);

#endif
