/*
 * fsutil.c - durable writes, directories and clocks (fsutil.h).
 */
#include "agent/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void ag_fsync_parent(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd;

	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

enum sw_err ag_mkdirs(const char *path, unsigned mode, struct sw_errbuf *eb)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);
	struct stat st;

	if (n == 0 || n >= sizeof buf)
		return sw_errf(eb, SW_EINVAL, "bad directory path '%s'", path);
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, mode) && errno != EEXIST)
			return sw_errf(eb, SW_EIO, "cannot create %s: %s", buf, strerror(errno));
		if (stat(buf, &st) || !S_ISDIR(st.st_mode))
			return sw_errf(eb, SW_EIO, "%s is not a directory", buf);
		if (i < n)
			buf[i] = '/';
	}
	return SW_OK;
}

int ag_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

enum sw_err ag_write_atomic(const char *path, const void *data, size_t len,
			    struct sw_errbuf *eb)
{
	char tmp[PATH_MAX];
	int fd;

	if (snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) >= (int)sizeof tmp)
		return sw_errf(eb, SW_EINVAL, "path too long: %s", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return sw_errf(eb, SW_EIO, "cannot write %s: %s", tmp, strerror(errno));
	if (ag_write_all(fd, data, len) || fsync(fd)) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return sw_errf(eb, SW_EIO, "cannot write %s: %s", tmp, strerror(e));
	}
	close(fd);
	if (rename(tmp, path)) {
		int e = errno;
		unlink(tmp);
		return sw_errf(eb, SW_EIO, "cannot rename %s: %s", tmp, strerror(e));
	}
	ag_fsync_parent(path);
	return SW_OK;
}

enum sw_err ag_read_small(const char *path, size_t max, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf;
	ssize_t n;
	size_t got = 0;

	*out = NULL;
	if (fd < 0)
		return errno == ENOENT ? SW_ENOTFOUND : SW_EIO;
	if (!(buf = malloc(max + 1))) {
		close(fd);
		return SW_ENOMEM;
	}
	while (got < max && (n = read(fd, buf + got, max - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	*out = buf;
	if (len)
		*len = got;
	return SW_OK;
}

int64_t ag_mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int64_t ag_wall_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

void ag_fmt_time(int64_t ns, char out[32])
{
	time_t s = (time_t)(ns / 1000000000);
	struct tm tm;

	char b[96];

	gmtime_r(&s, &tm);
	snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (int)(ns / 1000000 % 1000));
	snprintf(out, 32, "%.31s", b);
}

/* Removes the contents of the open directory dfd, depth levels at most. */
static int rm_contents(int dfd, int depth)
{
	DIR *d;
	struct dirent *de;
	int bad = 0;

	if (!(d = fdopendir(dfd))) {
		close(dfd);
		return -1;
	}
	while ((de = readdir(d))) {
		struct stat st;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW)) {
			bad = -1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			int fd = openat(dirfd(d), de->d_name,
					O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (depth <= 0 || fd < 0 || rm_contents(fd, depth - 1) ||
			    unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR))
				bad = -1;
		} else if (unlinkat(dirfd(d), de->d_name, 0)) {
			bad = -1;
		}
	}
	closedir(d);
	return bad;
}

int ag_rm_tree(const char *path, int max_depth)
{
	struct stat st;
	int fd;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || rm_contents(fd, max_depth))
		return -1;
	return rmdir(path);
}
