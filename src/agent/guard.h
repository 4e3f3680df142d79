/*
 * guard.h - the real-time guard of `sitewarden-agent run`: the watched
 * directories, the check of one changed name against the baseline, the
 * repairs (restore, remove, recreate, attributes), quarantine and the
 * full reconciliation after a restart or a lost event.
 *
 * One thread (the guard thread) owns everything here.  The serve-time
 * guard (perm.c) reads the baselines from its own thread under base_lock
 * (read side, never waiting) and the verified inode/ctime of entries with
 * atomic loads; it hands suspicious files to the guard thread through a
 * pipe.  Watchers (fanotify, inotify) turn kernel events into notices
 * (watched directory, name) that the guard checks in batches.
 */
#ifndef SW_AGENT_GUARD_H
#define SW_AGENT_GUARD_H

#include <pthread.h>
#include <stdint.h>

#include "agent/baseline.h"
#include "agent/config.h"
#include "agent/hash.h"
#include "agent/store.h"

struct ag_spool;
struct ag_yara;

#define AG_HANDLE_MAX 48

/* Notice flags. */
enum {
	AG_N_WRITE = 1,    /* content may have changed */
	AG_N_CLOSED = 2,   /* closed after writing, created or moved in: scan uploads now */
	AG_N_GONE = 4,     /* deleted or moved away */
	AG_N_ATTR = 8,
	AG_N_SELF = 16,    /* the watched directory itself (name ".") */
};

/* One watched directory. */
struct ag_wdir {
	char *path;    /* absolute; NULL when the slot is free */
	uint32_t root;
	uint32_t ent;  /* baseline entry, AG_NONE inside an upload tree */
	uint64_t ino;
	uint64_t key;  /* map key: inotify wd, or digest of fsid + handle */
	int wd;
	uint8_t upload;
	uint8_t hlen;
	uint8_t dead; /* replaced or gone: notices still name it until the batch ends */
	int htype;
	uint64_t fsid;
	uint8_t handle[AG_HANDLE_MAX];
};

/* key -> wdir index, open addressing with tombstones. */
struct ag_map {
	uint64_t *keys;
	uint32_t *vals; /* wdir + 1; 0 empty, UINT32_MAX deleted */
	size_t mask, used;
};

struct ag_groot {
	struct ag_root_conf *rc;
	char sdir[4096];  /* STORE/roots/<id> */
	struct ag_base b;
	int *pack_fds;
	uint32_t n_pack_fds;
	int64_t paused_until; /* wall seconds; 0 when guarded */
	int accept_on_resume;
	int same_dev; /* on the store's file system: quarantine by hard link */
	uint64_t files, dirs, links;
};

struct ag_notice {
	uint32_t wdir;
	uint32_t name; /* offset in the batch arena */
	uint32_t flags;
	int32_t pid;
};

struct ag_watch_ops;

/*
 * An attacker's file whose writer may still be writing: a shell's "echo x
 * > page.html" truncates (one event, on which the page is restored at
 * once) and writes afterwards, into the inode that is no longer the page.
 * The guard keeps that inode open and puts its final bytes in quarantine
 * (and reports the event) once it has been quiet for AG_SETTLE_MS.
 */
#define AG_SETTLE_MS 100
struct ag_pending {
	int fd;
	uint32_t root;
	int modified;      /* 1: restored page (copy into quarantine); 0: moved new file */
	char *rel, *err;   /* owned */
	char qname[256];   /* quarantine name when already there (moved or linked), else "" */
	int64_t latency_us;
	int64_t quiet_since, size, mtime_ns;
	uint8_t expected[AG_HASH_LEN];
	int32_t pid;
	char exe[256], comm[32];
};

struct ag_guard {
	struct ag_config *cfg;
	struct ag_store *st;
	struct ag_groot *roots;
	size_t n_roots;
	pthread_rwlock_t base_lock; /* write-held by the guard while it swaps baselines */

	struct ag_wdir *w;
	uint32_t n_w, cap_w;
	uint32_t *free_w;
	uint32_t n_free_w, cap_free_w;
	struct ag_map map;

	const struct ag_watch_ops *ops;
	int wfd;       /* watcher fd */
	int perm_fd;   /* serve-time guard's fanotify group, -1 when off */
	int req_pipe[2]; /* serve-time guard -> guard thread: (root, entry) pairs */

	struct ag_spool *spool;
	struct ag_yara *yara;
	struct ag_hasher h;
	uint8_t *buf;  /* live content being checked (kept for quarantine) */
	uint8_t *rbuf; /* scratch of restores */
	size_t bufsz;
	int64_t restored_at; /* monotonic ns of the last restore's rename */
	char qdir[4200];
	unsigned tmp_seq;
	int qindex_fd;      /* STORE/quarantine/index.jsonl, appended */
	int qindex_dirty;   /* appended since the last fdatasync */
	pid_t self;

	/* Current batch. */
	struct ag_notice *nb;
	uint32_t n_nb, cap_nb;
	char *nb_arena;
	size_t nb_alen, nb_acap;
	uint32_t *nb_slot;
	size_t nb_mask;
	int64_t batch_t0; /* monotonic ns when the batch was read */

	struct ag_pending *pend;
	uint32_t n_pend, cap_pend;

	int need_reconcile; /* queue overflow: compare everything */
	int quiet;          /* publishing in place: delete instead of quarantine, no events */
	uint64_t n_events, n_restored, n_removed, n_quarantined, n_webshells, n_reconciles;
	uint64_t n_notices, n_overflows;
	int64_t last_event_ns;
};

/* Watcher backend. */
struct ag_watch_ops {
	const char *name;
	enum sw_err (*open)(struct ag_guard *g, struct sw_errbuf *eb);
	/* Starts watching wdir i (path, upload set); fills key/ino and, for
	 * fanotify, the handle.  Returns -1 when the directory is gone. */
	int (*add)(struct ag_guard *g, uint32_t i);
	void (*remove)(struct ag_guard *g, uint32_t i);
	/* Reads what is pending and calls ag_guard_notice for each event. */
	void (*drain)(struct ag_guard *g);
	void (*close)(struct ag_guard *g);
};

extern const struct ag_watch_ops ag_watch_fanotify;
extern const struct ag_watch_ops ag_watch_inotify;
extern const struct ag_watch_ops ag_watch_none; /* offline commands: no kernel watch */

/* Loads the roots' baselines and prepares the guard (no watching yet). */
enum sw_err ag_guard_init(struct ag_guard *g, struct ag_config *cfg, struct ag_store *st,
			  struct ag_spool *spool, struct sw_errbuf *eb);
void ag_guard_cleanup(struct ag_guard *g);

/* Chooses and opens the watcher (cfg->watcher; auto tries fanotify first). */
enum sw_err ag_guard_watch(struct ag_guard *g, struct sw_errbuf *eb);

/* Adds a notice to the current batch (watchers call this). */
void ag_guard_notice(struct ag_guard *g, uint32_t wdir, const char *name, size_t len,
		     uint32_t flags, int32_t pid);

/* Checks every notice of the batch and empties it. */
void ag_guard_flush(struct ag_guard *g);

/* Compares the whole of root r (every root when r < 0) with its baseline
 * and repairs; reason goes into the event.  Also (re)watches directories. */
void ag_guard_reconcile(struct ag_guard *g, int r, const char *reason);

/* Finishes pending quarantines that went quiet (all of them when force);
 * returns milliseconds until the next is due, or -1 when none waits. */
int ag_guard_settle(struct ag_guard *g, int force);

/* Checks one baseline entry now (serve-time guard's requests). */
void ag_guard_check_entry(struct ag_guard *g, uint32_t r, uint32_t ent);

/* wdir table (wdir.c). */
enum sw_err ag_wdir_new(struct ag_guard *g, const char *path, uint32_t root, uint32_t ent,
			int upload, uint32_t *idx);
void ag_wdir_kill(struct ag_guard *g, uint32_t i);
void ag_wdir_reap(struct ag_guard *g);
uint32_t ag_map_get(const struct ag_map *m, uint64_t key);
enum sw_err ag_map_put(struct ag_map *m, uint64_t key, uint32_t val);
void ag_map_del(struct ag_map *m, uint64_t key);
void ag_map_free(struct ag_map *m);

/* Relative path of wdir i + "/" + name into buf; -1 when too long. */
int ag_wdir_rel(const struct ag_guard *g, uint32_t i, const char *name, char *buf, size_t n);

#endif
