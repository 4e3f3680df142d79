/*
 * store.c - layout, permissions and lock of the backup store (store.h).
 */
#include "agent/store.h"
#include "agent/config.h"
#include "agent/fsutil.h"
#include "agent/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

enum sw_err ag_store_open(struct ag_store *st, const char *dir, int create,
			  struct sw_errbuf *eb)
{
	static const char *const subs[] = {"roots", "quarantine", "spool"};
	char path[4096];
	struct stat s;
	enum sw_err rc;

	st->dir = NULL;
	st->lock_fd = -1;
	if (create && (rc = ag_mkdirs(dir, 0700, eb)))
		return rc;
	if (lstat(dir, &s))
		return sw_errf(eb, errno == ENOENT ? SW_ENOTFOUND : SW_EIO,
			       "backup store %s: %s%s", dir, strerror(errno),
			       errno == ENOENT ? " (run init first)" : "");
	if (!S_ISDIR(s.st_mode) || s.st_uid != geteuid())
		return sw_errf(eb, SW_EINVAL, "backup store %s is not a directory owned by us", dir);
	if (s.st_mode & 077) {
		if (!create)
			return sw_errf(eb, SW_EINVAL,
				       "backup store %s is open to other users (mode %03o); "
				       "it must be 0700", dir, (unsigned)(s.st_mode & 0777));
		chmod(dir, 0700);
	}
	for (size_t i = 0; create && i < sizeof subs / sizeof subs[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, subs[i]);
		if ((rc = ag_mkdirs(path, 0700, eb)))
			return rc;
	}
	if (!(st->dir = strdup(dir)))
		return SW_ENOMEM;
	return SW_OK;
}

void ag_store_close(struct ag_store *st)
{
	if (st->lock_fd >= 0)
		close(st->lock_fd);
	free(st->dir);
	st->dir = NULL;
	st->lock_fd = -1;
}

enum sw_err ag_store_lock(struct ag_store *st, struct sw_errbuf *eb)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/lock", st->dir);
	st->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (st->lock_fd < 0)
		return sw_errf(eb, SW_EIO, "cannot open %s: %s", path, strerror(errno));
	if (flock(st->lock_fd, LOCK_EX | LOCK_NB)) {
		close(st->lock_fd);
		st->lock_fd = -1;
		return sw_errf(eb, SW_EINUSE,
			       "the backup store %s is in use by another sitewarden-agent "
			       "(run, init or publish)", st->dir);
	}
	return SW_OK;
}

int ag_store_locked(const struct ag_store *st)
{
	char path[4096];
	int fd, held;

	snprintf(path, sizeof path, "%s/lock", st->dir);
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
		return 0;
	held = flock(fd, LOCK_EX | LOCK_NB) != 0;
	close(fd);
	return held;
}

void ag_store_root_dir(const struct ag_store *st, const char *root, char *buf, size_t n)
{
	struct ag_hasher h;
	uint8_t d[AG_HASH_LEN];
	char hex[2 * AG_HASH_LEN + 1];

	if (ag_hasher_init(&h, AG_SHA256, NULL) == SW_OK) {
		ag_hash_buf(&h, root, strlen(root), d);
		ag_hasher_cleanup(&h);
	} else {
		memset(d, 0, sizeof d);
	}
	ag_hex(d, 8, hex);
	snprintf(buf, n, "%s/roots/%s", st->dir, hex);
}

enum sw_err ag_store_root_prepare(const struct ag_store *st, const char *root,
				  struct sw_errbuf *eb)
{
	char dir[4096], path[4200];
	enum sw_err rc;

	ag_store_root_dir(st, root, dir, sizeof dir);
	snprintf(path, sizeof path, "%s/packs", dir);
	if ((rc = ag_mkdirs(path, 0700, eb)))
		return rc;
	snprintf(path, sizeof path, "%s/root", dir);
	return ag_write_atomic(path, root, strlen(root), eb);
}
