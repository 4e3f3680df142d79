/*
 * store.h - the agent's backup store on disk: one root-only (0700)
 * directory outside every web root.
 *
 *   STORE/lock                    flock: one run/init/publish at a time
 *   STORE/agent.sock              control socket of the running agent
 *   STORE/roots/<id>/baseline.idx the root's baseline (baseline.h)
 *   STORE/roots/<id>/packs/       its objects (pack.h)
 *   STORE/roots/<id>/root         the root's path, for humans and status
 *   STORE/roots/<id>/paused       "until" time while protection is paused
 *   STORE/quarantine/             attackers' files and their .meta JSON
 *   STORE/spool/                  events not yet acknowledged (spool.h)
 * <id> is the first 16 hex digits of the SHA-256 of the root's path.
 */
#ifndef SW_AGENT_STORE_H
#define SW_AGENT_STORE_H

#include <stddef.h>

#include "core/err.h"

struct ag_store {
	char *dir;
	int lock_fd;
};

/* Opens (create: and creates) the store directory and its subdirectories,
 * mode 0700.  A store that is not a directory owned by us with no group or
 * other access is refused: the backups are what restores the site. */
enum sw_err ag_store_open(struct ag_store *st, const char *dir, int create,
			  struct sw_errbuf *eb);
void ag_store_close(struct ag_store *st);

/* Takes the store's exclusive lock without waiting; SW_EINUSE when another
 * agent process holds it. */
enum sw_err ag_store_lock(struct ag_store *st, struct sw_errbuf *eb);

/* 1 when some process holds the lock (a running agent, init or publish). */
int ag_store_locked(const struct ag_store *st);

/* Writes STORE/roots/<id> for root into buf. */
void ag_store_root_dir(const struct ag_store *st, const char *root, char *buf, size_t n);

/* Creates STORE/roots/<id>/packs and records the root path. */
enum sw_err ag_store_root_prepare(const struct ag_store *st, const char *root,
				  struct sw_errbuf *eb);

#endif
