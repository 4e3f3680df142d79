/*
 * report.h - the reporter thread: makes spooled events durable and
 * delivers them in order to the central server, and sends heartbeats.
 *
 * Protocol (docs/agent.md has the full text):
 *   POST {server}/api/agent/events     {"agent":ID,"events":[...]}  -> 200 {"ack":SEQ}
 *   POST {server}/api/agent/heartbeat  {"agent":ID,"time":...,...}  -> 200
 * Authentication: "Authorization: Bearer TOKEN", or with an HMAC key the
 * headers X-Sitewarden-Agent, X-Sitewarden-Timestamp and
 * X-Sitewarden-Signature = hex HMAC-SHA256(key, timestamp "\n" body).
 * A batch that is not acknowledged is sent again, the same events with the
 * same sequence numbers, after a backoff (1 s doubling to 60 s); the
 * server counts an (agent, seq) pair once.
 */
#ifndef SW_AGENT_REPORT_H
#define SW_AGENT_REPORT_H

#include <pthread.h>
#include <stdint.h>

#include "agent/config.h"
#include "agent/spool.h"

struct ag_reporter {
	const struct ag_config *cfg;
	struct ag_spool *spool;
	pthread_t thread;
	int running;
	int stop;
	/* Heartbeat body supplier: writes members into j (called in the
	 * reporter thread; must be thread-safe). */
	void (*status)(struct ag_json *j, void *arg);
	void *status_arg;
	/* Counters for status. */
	uint64_t sent_batches, failed_posts, heartbeats;
	int64_t last_ok_ns, last_fail_ns;
	char last_error[256];
	int64_t backoff_ms;
};

/* Starts the thread. */
enum sw_err ag_reporter_start(struct ag_reporter *rp, struct sw_errbuf *eb);

/* Stops the thread after a last sync and (bounded) delivery attempt. */
void ag_reporter_stop(struct ag_reporter *rp);

#endif
