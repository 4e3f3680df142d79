/*
 * tar.h - internal to src/evidence/: the POSIX ustar archive a package is,
 * written here and read back strictly.
 *
 * We write only regular files with names of at most 100 bytes, so every
 * header is the same simple shape; the reader accepts exactly that shape
 * and nothing else, because a package is evidence: a header whose checksum
 * does not match, padding that is not zero or bytes after the end mark are
 * reported, not skipped.  `tar tvf` and `tar xf` read these archives.
 */
#ifndef SW_EVIDENCE_TAR_H
#define SW_EVIDENCE_TAR_H

#include <stddef.h>
#include <stdint.h>

#include "evidence/ledger.h"

#define SW__TAR_NAME_MAX 100
#define SW__TAR_MEMBERS_MAX 20000

/* Appends one regular file (mode 0644, owner 0:0) to archive b. */
void sw__tar_add(struct sw_ev_buf *b, const char *name, const void *data, size_t len,
		 int64_t mtime);

/* Appends the end mark (two zero blocks). */
void sw__tar_end(struct sw_ev_buf *b);

/* A member of an archive read; pointers into the archive's bytes. */
struct sw__tar_member {
	char name[SW__TAR_NAME_MAX + 1];
	const unsigned char *data;
	size_t len;
};

/*
 * Reads archive p (len bytes) into a new array *m of *n members (caller
 * frees *m).  Any deviation from what sw__tar_add writes is reported to cb
 * naming the member at fault (or "archive") and makes the result
 * SW_EINVAL; the members read before it are still returned.
 */
enum sw_err sw__tar_read(const unsigned char *p, size_t len, struct sw__tar_member **m,
			 size_t *n, sw_ev_problem_cb cb, void *arg);

#endif
