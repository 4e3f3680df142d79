/*
 * logs_follow.h - follows one log file the way `tail -F` should: across
 * rotation by rename (the old file is drained until quiet, then the new
 * one is read from its start), copytruncate and truncation (read again from
 * the start; the rotated copy's unread tail is read first when it is
 * there), and restarts (the offset is saved with the file's device, inode
 * and a fingerprint of its first bytes, so a restarted agent neither reads
 * a line twice nor skips one).
 *
 * Only complete lines are delivered; the offset never passes a partial
 * last line.  A line longer than AG_FOLLOW_LINE_MAX is skipped and
 * counted.  Nothing here is fatal: a missing file is waited for.
 */
#ifndef SW_AGENT_LOGS_FOLLOW_H
#define SW_AGENT_LOGS_FOLLOW_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/err.h"

#define AG_FOLLOW_LINE_MAX 65536
#define AG_FP_MAX 256

/* Where reading stands in one file. */
struct ag_fpos {
	int fd;       /* -1: not open */
	uint64_t dev, ino;
	int64_t off;  /* next byte to read */
	uint32_t fp_len; /* bytes of the file's start the fingerprint covers */
	uint64_t fp;     /* FNV-1a of those bytes */
	int skipping;    /* inside an over-long line */
	int64_t last_data_ns;
};

struct ag_follow {
	char path[4096];
	struct ag_fpos cur;
	struct ag_fpos old;     /* the file renamed away, drained until quiet */
	struct ag_fpos saved;   /* state loaded at start (fd unused) */
	struct ag_fpos saved_old;
	int have_saved;
	char *buf;              /* AG_FOLLOW_LINE_MAX bytes, owned */
	uint64_t lines, long_lines, rotations, truncations;
};

/* Delivers one complete line (no newline; not NUL-terminated). */
typedef void (*ag_line_fn)(const char *line, size_t n, void *arg);

enum sw_err ag_follow_init(struct ag_follow *f, const char *path);
void ag_follow_free(struct ag_follow *f);

/*
 * Reads what is new: at most max_lines lines; returns how many were
 * delivered (max_lines means there may be more).  start_at_end applies to
 * a file never seen before (no saved state).  now_ns is a monotonic clock.
 */
size_t ag_follow_poll(struct ag_follow *f, int start_at_end, int64_t now_ns, ag_line_fn fn,
		      void *arg, size_t max_lines);

/* The state file: one line per followed file and position.  Saving is
 * atomic (temporary file, fsync, rename). */
enum sw_err ag_follow_save(struct ag_follow *const *fs, size_t n, const char *file,
			   struct sw_errbuf *eb);
void ag_follow_load(struct ag_follow *const *fs, size_t n, const char *file);

#endif
