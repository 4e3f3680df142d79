/*
 * logs_follow.c - rotation-proof log following (logs_follow.h).
 */
#include "agent/logs_follow.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/fsutil.h"

/* A rotated file is kept open this long after its last new line: the web
 * server writes to it until it reopens its logs. */
#define OLD_QUIET_NS (60LL * 1000000000)

static uint64_t fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

/* Fingerprint of fd's first min(size, AG_FP_MAX) bytes; fp_len 0 when empty. */
static void fingerprint(int fd, uint32_t want, uint32_t *len, uint64_t *fp)
{
	uint8_t b[AG_FP_MAX];
	ssize_t n = pread(fd, b, want ? want : sizeof b, 0);

	*len = n > 0 ? (uint32_t)n : 0;
	*fp = n > 0 ? fnv(b, (size_t)n) : 0;
}

/* 1 when fd still starts with the bytes pos was fingerprinted on. */
static int same_start(int fd, const struct ag_fpos *pos)
{
	uint32_t len;
	uint64_t fp;

	if (pos->fp_len == 0)
		return 1;
	fingerprint(fd, pos->fp_len, &len, &fp);
	return len == pos->fp_len && fp == pos->fp;
}

static void pos_close(struct ag_fpos *p)
{
	if (p->fd >= 0)
		close(p->fd);
	memset(p, 0, sizeof *p);
	p->fd = -1;
}

enum sw_err ag_follow_init(struct ag_follow *f, const char *path)
{
	memset(f, 0, sizeof *f);
	f->cur.fd = f->old.fd = -1;
	snprintf(f->path, sizeof f->path, "%s", path);
	f->buf = malloc(AG_FOLLOW_LINE_MAX);
	return f->buf ? SW_OK : SW_ENOMEM;
}

void ag_follow_free(struct ag_follow *f)
{
	pos_close(&f->cur);
	pos_close(&f->old);
	free(f->buf);
	f->buf = NULL;
}

/* Delivers the complete lines of p from its offset; returns how many. */
static size_t drain(struct ag_follow *f, struct ag_fpos *p, int64_t now, ag_line_fn fn, void *arg,
		    size_t max)
{
	size_t lines = 0;

	while (lines < max) {
		ssize_t n = pread(p->fd, f->buf, AG_FOLLOW_LINE_MAX, p->off);
		size_t used = 0;
		if (n <= 0)
			break;
		p->last_data_ns = now;
		for (;;) {
			char *nl = memchr(f->buf + used, '\n', (size_t)n - used);
			if (!nl || lines >= max)
				break;
			if (p->skipping) {
				p->skipping = 0;
			} else {
				fn(f->buf + used, (size_t)(nl - f->buf - used), arg);
				lines++;
				f->lines++;
			}
			used = (size_t)(nl - f->buf) + 1;
		}
		if (used == 0 && n == AG_FOLLOW_LINE_MAX) {
			/* no newline in a whole buffer: an over-long line */
			if (!p->skipping)
				f->long_lines++;
			p->skipping = 1;
			used = (size_t)n;
		}
		p->off += (int64_t)used;
		if (used == 0 || (size_t)n < AG_FOLLOW_LINE_MAX)
			break;
	}
	/* the fingerprint grows with the file up to AG_FP_MAX bytes */
	if (p->fp_len < AG_FP_MAX && p->off > p->fp_len)
		fingerprint(p->fd, 0, &p->fp_len, &p->fp);
	return lines;
}

/* Opens path as a position; 0 or -1. */
static int pos_open(const char *path, struct ag_fpos *p, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return -1;
	if (fstat(fd, st) || !S_ISREG(st->st_mode)) {
		close(fd);
		return -1;
	}
	memset(p, 0, sizeof *p);
	p->fd = fd;
	p->dev = (uint64_t)st->st_dev;
	p->ino = (uint64_t)st->st_ino;
	return 0;
}

/* The rotated sibling PATH.1 when it is the file pos describes: the same
 * inode (renamed) or, with same_ino 0, a copy starting with the same bytes
 * (copytruncate). */
static int open_rotated(const struct ag_follow *f, const struct ag_fpos *pos, int same_ino,
			struct ag_fpos *out)
{
	char p1[4200];
	struct stat st;

	snprintf(p1, sizeof p1, "%s.1", f->path);
	if (pos_open(p1, out, &st))
		return -1;
	if ((same_ino && (out->dev != pos->dev || out->ino != pos->ino)) || !same_start(out->fd, pos) ||
	    st.st_size < pos->off) {
		pos_close(out);
		return -1;
	}
	out->off = pos->off;
	out->fp_len = pos->fp_len;
	out->fp = pos->fp;
	return 0;
}

/* First open of the current file: resume where the state says. */
static void first_open(struct ag_follow *f, int start_at_end, int64_t now)
{
	struct stat st;

	if (pos_open(f->path, &f->cur, &st))
		return;
	f->cur.last_data_ns = now;
	if (f->have_saved) {
		if (f->saved.dev == f->cur.dev && f->saved.ino == f->cur.ino &&
		    same_start(f->cur.fd, &f->saved) && st.st_size >= f->saved.off) {
			f->cur.off = f->saved.off;
		} else if (open_rotated(f, &f->saved, 1, &f->old) == 0) {
			/* rotated while we were stopped: its tail first */
			f->old.last_data_ns = now;
			f->rotations++;
		} else {
			f->truncations += f->saved.dev == f->cur.dev && f->saved.ino == f->cur.ino;
		}
		if (f->saved_old.ino && f->old.fd < 0 && open_rotated(f, &f->saved_old, 1, &f->old) == 0)
			f->old.last_data_ns = now;
		f->have_saved = 0;
	} else if (start_at_end) {
		f->cur.off = st.st_size;
	}
	fingerprint(f->cur.fd, 0, &f->cur.fp_len, &f->cur.fp);
}

size_t ag_follow_poll(struct ag_follow *f, int start_at_end, int64_t now, ag_line_fn fn, void *arg,
		      size_t max)
{
	size_t lines = 0;
	struct stat st;

	if (f->cur.fd < 0) {
		first_open(f, start_at_end, now);
		if (f->cur.fd < 0 && f->old.fd < 0)
			return 0;
	}
	if (f->old.fd >= 0) {
		lines += drain(f, &f->old, now, fn, arg, max);
		if (lines < max && now - f->old.last_data_ns > OLD_QUIET_NS)
			pos_close(&f->old);
	}
	if (f->cur.fd < 0)
		return lines;
	/* Renamed away and a new file in its place? */
	if (stat(f->path, &st) == 0 &&
	    ((uint64_t)st.st_dev != f->cur.dev || (uint64_t)st.st_ino != f->cur.ino)) {
		struct ag_fpos next;
		struct stat nst;
		if (pos_open(f->path, &next, &nst) == 0) {
			/* the old file's remaining lines come before the new file's */
			lines += drain(f, &f->cur, now, fn, arg, max - lines);
			pos_close(&f->old);
			f->old = f->cur;
			f->cur = next;
			f->cur.last_data_ns = now;
			f->rotations++;
			if (lines >= max)
				return lines;
		}
	}
	if (fstat(f->cur.fd, &st) == 0 &&
	    (st.st_size < f->cur.off || !same_start(f->cur.fd, &f->cur))) {
		/* truncated (copytruncate): the copy's unread tail, then from 0 */
		struct ag_fpos copy;
		if (open_rotated(f, &f->cur, 0, &copy) == 0) {
			copy.last_data_ns = now;
			lines += drain(f, &copy, now, fn, arg, (size_t)-1 / 2);
			pos_close(&copy);
		}
		f->cur.off = 0;
		f->cur.skipping = 0;
		fingerprint(f->cur.fd, 0, &f->cur.fp_len, &f->cur.fp);
		f->truncations++;
	}
	if (lines < max)
		lines += drain(f, &f->cur, now, fn, arg, max - lines);
	return lines;
}

static void put_pos(FILE *o, const char *what, const struct ag_fpos *p, const char *path)
{
	fprintf(o, "%s %llu %llu %lld %u %016llx %s\n", what, (unsigned long long)p->dev,
		(unsigned long long)p->ino, (long long)p->off, p->fp_len, (unsigned long long)p->fp,
		path);
}

enum sw_err ag_follow_save(struct ag_follow *const *fs, size_t n, const char *file,
			   struct sw_errbuf *eb)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&buf, &len);
	enum sw_err rc;

	if (!o)
		return SW_ENOMEM;
	fprintf(o, "# sitewarden-agent log positions: kind dev inode offset fp_len fp path\n");
	for (size_t i = 0; i < n; i++) {
		const struct ag_follow *f = fs[i];
		if (f->cur.fd >= 0)
			put_pos(o, "cur", &f->cur, f->path);
		else if (f->have_saved)
			put_pos(o, "cur", &f->saved, f->path);
		if (f->old.fd >= 0)
			put_pos(o, "old", &f->old, f->path);
	}
	if (fclose(o)) {
		free(buf);
		return SW_ENOMEM;
	}
	rc = ag_write_atomic(file, buf, len, eb);
	free(buf);
	return rc;
}

void ag_follow_load(struct ag_follow *const *fs, size_t n, const char *file)
{
	char line[4400], kind[8], path[4200];
	unsigned long long dev, ino, fp;
	long long off;
	unsigned fl;
	FILE *in = fopen(file, "r");

	if (!in)
		return;
	while (fgets(line, sizeof line, in)) {
		struct ag_fpos p = {.fd = -1};
		if (sscanf(line, "%7s %llu %llu %lld %u %llx %4199[^\n]", kind, &dev, &ino, &off, &fl, &fp,
			   path) != 7 || off < 0 || fl > AG_FP_MAX)
			continue;
		p.dev = dev;
		p.ino = ino;
		p.off = off;
		p.fp_len = fl;
		p.fp = fp;
		for (size_t i = 0; i < n; i++) {
			if (strcmp(fs[i]->path, path))
				continue;
			if (!strcmp(kind, "cur")) {
				fs[i]->saved = p;
				fs[i]->have_saved = 1;
			} else if (!strcmp(kind, "old")) {
				fs[i]->saved_old = p;
			}
		}
	}
	fclose(in);
}
