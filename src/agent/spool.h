/*
 * spool.h - the on-disk queue of events between the guard and the central
 * server: nothing is lost across server outages or agent restarts.
 *
 * Events are JSON lines with a sequence number that only grows, appended
 * to segment files STORE/spool/<first seq>.jsonl (a new segment every
 * 1 MiB).  STORE/spool/acked holds the last sequence the server
 * acknowledged; segments wholly at or below it are deleted.  Appending is
 * one write(2) per event under a mutex (cheap, safe against the agent
 * crashing); the reporter thread fdatasyncs before it sends, so an event
 * is never reported before it is durable (group commit: one sync covers
 * every event appended since the last one).  A torn last line after a
 * power loss is cut off at start-up.
 */
#ifndef SW_AGENT_SPOOL_H
#define SW_AGENT_SPOOL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "agent/json.h"
#include "core/err.h"

struct ag_spool {
	char dir[4200];
	char agent[128];
	pthread_mutex_t mu;
	pthread_cond_t cv; /* signalled on every append */
	int fd;            /* segment being appended to, -1 */
	uint64_t seg_first, seg_bytes;
	uint64_t written;  /* last sequence appended */
	uint64_t synced;   /* last sequence known durable */
	uint64_t acked;    /* last sequence the server acknowledged */
	int readonly;
	/* Read cursor of the sender: where sequence cur_seq starts. */
	uint64_t cur_seq, cur_seg;
	off_t cur_off;
	struct ag_json line;
};

/* Opens STORE/spool; readonly for status (no repair, no appends). */
enum sw_err ag_spool_open(struct ag_spool *s, const char *store, const char *agent,
			  int readonly, struct sw_errbuf *eb);
void ag_spool_close(struct ag_spool *s);

/* Appends one event whose members are body (see json.h); thread-safe. */
enum sw_err ag_spool_emit(struct ag_spool *s, const struct ag_json *body);

/* Makes everything appended so far durable. */
enum sw_err ag_spool_sync(struct ag_spool *s);

/*
 * Appends to out, comma-separated, the durable events from sequence from
 * on: at most max_n events and about max_bytes.  *last gets the last
 * sequence taken.  Returns the number of events.
 */
size_t ag_spool_read(struct ag_spool *s, uint64_t from, size_t max_n, size_t max_bytes,
		     struct ag_json *out, uint64_t *last);

/* Records that the server has everything up to seq; drops old segments. */
enum sw_err ag_spool_ack(struct ag_spool *s, uint64_t seq);

/* Events appended but not acknowledged. */
uint64_t ag_spool_depth(struct ag_spool *s);

/* Calls fn with each of the last n event lines (oldest first). */
void ag_spool_tail(struct ag_spool *s, size_t n, void (*fn)(const char *line, void *arg),
		   void *arg);

#endif
