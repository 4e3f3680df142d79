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
 * An open-time check alone still lets a writer that opens the same inode
 * afterwards (echo x > page.html truncates in place) change the bytes
 * under a reader.  So every file a reader is allowed to open is held with
 * a read lease (F_SETLEASE) until its last reader closes it: a writer's
 * open then waits in the kernel, the lease break tells this thread, new
 * readers of that inode are refused, and the writer proceeds once the
 * readers are done; the guard thread then restores the file.  A file that
 * already has a writer cannot be leased, and its readers are refused.
 * Leases are held only while files are being served (and at most
 * AG_LEASE_MAX_S), never for the whole tree.
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

#define AG_LEASE_MAX_S 10
#define AG_LEASE_SIG_OFF 1 /* SIGRTMIN + this signals a lease break */

struct ag_lease {
	uint64_t dev, ino;
	int fd;          /* the first reader's event descriptor, holding the lease */
	int readers;
	int breaking;    /* a writer waits: refuse new readers */
	int64_t since;   /* monotonic ns */
};

struct ag_perm {
	struct ag_guard *g;
	pthread_t thread;
	int running;
	int stop_pipe[2];
	int sig_fd;
	struct ag_lease *leases;
	uint32_t n_leases, cap_leases;
	uint64_t allowed, denied, hashed, own, writer_waits;
};

/* Blocks the lease-break signal in the calling thread (call before any
 * thread is started, so every thread inherits the mask). */
void ag_perm_block_signal(void);

/* Creates the permission group (g->perm_fd) before directories are watched. */
enum sw_err ag_perm_open(struct ag_guard *g, struct sw_errbuf *eb);

/* Starts the thread answering permission events. */
enum sw_err ag_perm_start(struct ag_perm *p, struct ag_guard *g, struct sw_errbuf *eb);
void ag_perm_stop(struct ag_perm *p);

#endif
