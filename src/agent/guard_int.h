/*
 * guard_int.h - functions shared by the guard's files (guard.c checks,
 * repair.c restores and quarantines, upload.c upload directories,
 * report of events).  Not a public interface.
 */
#ifndef SW_AGENT_GUARD_INT_H
#define SW_AGENT_GUARD_INT_H

#include <sys/stat.h>

#include "agent/guard.h"
#include "agent/json.h"

/* What a quarantine step produced, for the event. */
struct ag_qres {
	char name[256];            /* file name under STORE/quarantine, "" if none */
	char hash[2 * AG_HASH_LEN + 1]; /* digest of the quarantined bytes, "" if none */
	int64_t size;
	uint64_t files;            /* files in a quarantined directory */
};

/* Who changed the file, when the kernel said (fanotify). */
struct ag_who {
	int32_t pid;
	char exe[256];
	char comm[32];
};

/* Absolute path of entry ent of root r into buf; -1 when too long. */
int ag__path(const struct ag_guard *g, const struct ag_groot *r, uint32_t ent, char *buf,
	     size_t n);

/* Restores a missing entry (file, link or whole directory tree) at path.
 * Nothing may exist at path (callers quarantine first). */
enum sw_err ag__restore(struct ag_guard *g, uint32_t ri, uint32_t ent, const char *path,
			struct sw_errbuf *eb);

/* Sets owner, mode and (files, links) mtime of path to entry's. */
enum sw_err ag__fix_attrs(struct ag_guard *g, const struct ag_ent *e, const char *path);

/* Moves whatever is at path into quarantine (rename, or copy and remove
 * across file systems).  rel and why go into the .meta record. */
enum sw_err ag__quarantine_move(struct ag_guard *g, uint32_t ri, const char *path,
				const char *rel, const char *why, const struct ag_who *who,
				struct ag_qres *q);

/* Copies the n bytes of buf (when the whole file is there) or else the
 * file open as fd into quarantine. */
enum sw_err ag__quarantine_copy(struct ag_guard *g, uint32_t ri, const char *rel,
				const char *why, const struct ag_who *who, const uint8_t *buf,
				int64_t n, int fd, const uint8_t hash[AG_HASH_LEN],
				struct ag_qres *q);

/* Holds fd (taken) until its writer is done; see struct ag_pending.
 * q->name names the already moved file when modified is 0. */
void ag__pend(struct ag_guard *g, uint32_t ri, int fd, int modified, const char *rel,
	      const struct ag_qres *q, const uint8_t *expected, const struct ag_who *who,
	      const char *err);

/* Links the inode open as fd into quarantine under a new name (q->name);
 * leaves q->name empty when that is impossible. */
void ag__quarantine_link(struct ag_guard *g, int fd, const char *rel, struct ag_qres *q);

/* Fills who from /proc when pid > 0. */
void ag__who(int32_t pid, struct ag_who *who);

/* Emits a tamper event. */
void ag__emit_tamper(struct ag_guard *g, uint32_t ri, const char *rel, const char *change,
		     const char *action, const struct ag_qres *q, const uint8_t *expected,
		     const struct ag_who *who, const char *detail);

/* Emits an event with kind and root and optional members already in j. */
void ag__emit(struct ag_guard *g, const char *kind, int ri, struct ag_json *extra);

/* Sets the verified inode and ctime of e (seen by the serve-time guard). */
void ag__verified(struct ag_ent *e, const struct stat *st);

/* Starts watching directory path of root ri (ent AG_NONE in uploads);
 * returns the wdir or AG_NONE when the directory is gone or already
 * watched. */
uint32_t ag__watch_dir(struct ag_guard *g, uint32_t ri, uint32_t ent, const char *path,
		       int upload);

/* Upload directories (upload.c): checks name in upload wdir wi. */
void ag__upload_check(struct ag_guard *g, uint32_t wi, const char *name, uint32_t flags,
		      int32_t pid);
/* Watches and scans an upload tree below path (existing files). */
void ag__upload_tree(struct ag_guard *g, uint32_t ri, const char *path);

/* Reconciles the subtree of entry top of root ri. */
void ag__reconcile_tree(struct ag_guard *g, uint32_t ri, uint32_t top);

/* Pack fd of a root, opened on first use; -1 on failure. */
int ag__pack_fd(struct ag_guard *g, struct ag_groot *r, uint32_t pack);

/* 1 when root r is paused now. */
int ag__paused(const struct ag_groot *r);

#endif
