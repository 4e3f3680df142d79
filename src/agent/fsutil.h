/*
 * fsutil.h - small file-system helpers shared by the agent's modules:
 * durable writes (temporary file, fsync, rename, fsync of the directory),
 * directory creation, clocks.
 */
#ifndef SW_AGENT_FSUTIL_H
#define SW_AGENT_FSUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* fsyncs the directory holding path (best effort: errors ignored, since
 * the data itself was synced and only the name's durability is at stake). */
void ag_fsync_parent(const char *path);

/* mkdir -p with mode for every directory it creates; existing ones are
 * left as they are.  SW_EIO when a component is not a directory. */
enum sw_err ag_mkdirs(const char *path, unsigned mode, struct sw_errbuf *eb);

/* Replaces path with len bytes of data durably (mode 0600). */
enum sw_err ag_write_atomic(const char *path, const void *data, size_t len,
			    struct sw_errbuf *eb);

/* Reads at most max bytes of path into a malloc'd NUL-terminated buffer. */
enum sw_err ag_read_small(const char *path, size_t max, char **out, size_t *len);

/* Writes all n bytes to fd (retrying short writes); -1 on error. */
int ag_write_all(int fd, const void *p, size_t n);

/* Monotonic and wall clocks in nanoseconds. */
int64_t ag_mono_ns(void);
int64_t ag_wall_ns(void);

/* Formats a wall time (ns) as "2024-05-01T12:34:56.789Z" (25 bytes). */
void ag_fmt_time(int64_t ns, char out[32]);

/* Removes a tree (no symlink following), bounded to max_depth levels;
 * returns 0 when everything went. */
int ag_rm_tree(const char *path, int max_depth);

#endif
