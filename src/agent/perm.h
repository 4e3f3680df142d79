/*
 * perm.h - the serve-time guard (serve_guard = on): with fanotify
 * permission events (FAN_OPEN_PERM) every open of a protected file by
 * another process waits until this thread has compared the file with its
 * baseline.  An unchanged file (same inode and ctime as last verified)
 * costs a readlink, a fstat and a binary search; a changed one is hashed
 * through the event's own descriptor.  A file that differs is denied
 * (EPERM to the opener, so nginx answers 403 instead of serving it) and
 * handed to the guard thread, which restores it; the next open gets the
 * baseline bytes.
 *
 * Deadlock rules: this thread never opens a file under a protected root
 * (the event descriptor is enough), answers the agent's own opens first
 * and without any lock, and never waits for the guard's lock (a publish in
 * progress lets opens through).
 */
#ifndef SW_AGENT_PERM_H
#define SW_AGENT_PERM_H

#include <pthread.h>
#include <stdint.h>

#include "agent/guard.h"

struct ag_perm {
	struct ag_guard *g;
	pthread_t thread;
	int running;
	int stop_pipe[2];
	uint64_t allowed, denied, hashed, own;
};

/* Creates the permission group (g->perm_fd) before directories are watched. */
enum sw_err ag_perm_open(struct ag_guard *g, struct sw_errbuf *eb);

/* Starts the thread answering permission events. */
enum sw_err ag_perm_start(struct ag_perm *p, struct ag_guard *g, struct sw_errbuf *eb);
void ag_perm_stop(struct ag_perm *p);

#endif
