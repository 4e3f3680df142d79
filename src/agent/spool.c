/*
 * spool.c - ordered, durable event queue on disk (spool.h).
 */
#include "agent/spool.h"
#include "agent/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEG_MAX (1u << 20)
#define MAX_SEGS 100000

/* Sequence number at the start of an event line, 0 when malformed. */
static uint64_t line_seq(const char *p)
{
	if (strncmp(p, "{\"seq\":", 7))
		return 0;
	return strtoull(p + 7, NULL, 10);
}

/* Lists the segments' first sequences, sorted; returns the count. */
static size_t list_segs(const char *dir, uint64_t **out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	uint64_t *v = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < MAX_SEGS) {
		char *end;
		uint64_t first = strtoull(de->d_name, &end, 10);
		if (end == de->d_name || strcmp(end, ".jsonl"))
			continue;
		if (n == cap) {
			uint64_t *nv;
			cap = cap ? cap * 2 : 16;
			if (!(nv = realloc(v, cap * sizeof *v)))
				break;
			v = nv;
		}
		v[n++] = first;
	}
	closedir(d);
	for (size_t i = 1; i < n; i++) /* insertion sort: few segments */
		for (size_t k = i; k > 0 && v[k - 1] > v[k]; k--) {
			uint64_t t = v[k];
			v[k] = v[k - 1];
			v[k - 1] = t;
		}
	*out = v;
	return n;
}

static void seg_path(const struct ag_spool *s, uint64_t first, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%020" PRIu64 ".jsonl", s->dir, first);
}

/* Cuts a torn last line off the segment and returns its last sequence. */
static uint64_t repair_last(struct ag_spool *s, uint64_t first, int readonly)
{
	char path[4300], *buf;
	size_t len, end;
	uint64_t last = 0;

	seg_path(s, first, path, sizeof path);
	if (ag_read_small(path, SEG_MAX * 2, &buf, &len))
		return 0;
	end = len;
	while (end && buf[end - 1] != '\n')
		end--;
	if (end != len && !readonly && truncate(path, (off_t)end) == 0)
		len = end;
	s->seg_bytes = end;
	if (end) {
		size_t st = end - 1;
		while (st && buf[st - 1] != '\n')
			st--;
		last = line_seq(buf + st);
	}
	free(buf);
	return last;
}

enum sw_err ag_spool_open(struct ag_spool *s, const char *store, const char *agent,
			  int readonly, struct sw_errbuf *eb)
{
	char path[4300], *txt;
	uint64_t *segs;
	size_t n;

	memset(s, 0, sizeof *s);
	s->fd = -1;
	s->readonly = readonly;
	snprintf(s->dir, sizeof s->dir, "%s/spool", store);
	snprintf(s->agent, sizeof s->agent, "%s", agent);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	snprintf(path, sizeof path, "%s/acked", s->dir);
	if (ag_read_small(path, 64, &txt, NULL) == SW_OK) {
		s->acked = strtoull(txt, NULL, 10);
		free(txt);
	}
	n = list_segs(s->dir, &segs);
	s->written = s->acked;
	if (n) {
		uint64_t last = repair_last(s, segs[n - 1], readonly);
		s->seg_first = segs[n - 1];
		if (last >= s->written)
			s->written = last;
		if (!readonly && s->seg_bytes < SEG_MAX) {
			seg_path(s, s->seg_first, path, sizeof path);
			s->fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
		}
	}
	free(segs);
	s->synced = s->written;
	s->cur_seq = 0;
	if (!readonly && access(s->dir, W_OK))
		return sw_errf(eb, SW_EIO, "cannot write the spool %s: %s", s->dir, strerror(errno));
	return SW_OK;
}

void ag_spool_close(struct ag_spool *s)
{
	if (s->fd >= 0) {
		fdatasync(s->fd);
		close(s->fd);
	}
	s->fd = -1;
	ag_json_free(&s->line);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
}

/* Starts a new segment at sequence first (caller holds mu). */
static int new_segment(struct ag_spool *s, uint64_t first)
{
	char path[4300];

	if (s->fd >= 0) {
		fdatasync(s->fd);
		close(s->fd);
	}
	seg_path(s, first, path, sizeof path);
	s->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	s->seg_first = first;
	s->seg_bytes = 0;
	if (s->fd >= 0)
		ag_fsync_parent(path);
	return s->fd < 0 ? -1 : 0;
}

enum sw_err ag_spool_emit(struct ag_spool *s, const struct ag_json *body)
{
	char head[256], t[32];
	enum sw_err rc = SW_OK;
	uint64_t seq;

	if (s->readonly || body->oom)
		return SW_EINVAL;
	pthread_mutex_lock(&s->mu);
	seq = s->written + 1;
	if ((s->fd < 0 || s->seg_bytes >= SEG_MAX) && new_segment(s, seq)) {
		pthread_mutex_unlock(&s->mu);
		return SW_EIO;
	}
	ag_fmt_time(ag_wall_ns(), t);
	ag_json_reset(&s->line);
	snprintf(head, sizeof head, "{\"seq\":%" PRIu64 ",\"time\":\"%s\",\"agent\":", seq, t);
	ag_json_append(&s->line, head, strlen(head));
	ag_json_quote(&s->line, s->agent, strlen(s->agent));
	if (body->len) {
		ag_json_append(&s->line, ",", 1);
		ag_json_append(&s->line, body->s, body->len);
	}
	ag_json_append(&s->line, "}\n", 2);
	if (s->line.oom || ag_write_all(s->fd, s->line.s, s->line.len)) {
		rc = SW_EIO;
	} else {
		s->written = seq;
		s->seg_bytes += s->line.len;
		pthread_cond_broadcast(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

enum sw_err ag_spool_sync(struct ag_spool *s)
{
	uint64_t w;
	int fd;

	pthread_mutex_lock(&s->mu);
	w = s->written;
	fd = s->fd >= 0 ? dup(s->fd) : -1;
	pthread_mutex_unlock(&s->mu);
	if (w == s->synced)
		goto out;
	/* A rotation syncs the old segment itself, so syncing the current one
	 * covers everything up to w. */
	if (fd >= 0 && fdatasync(fd)) {
		close(fd);
		return SW_EIO;
	}
	pthread_mutex_lock(&s->mu);
	s->synced = w;
	pthread_mutex_unlock(&s->mu);
out:
	if (fd >= 0)
		close(fd);
	return SW_OK;
}

/* Reads lines of one segment from off; appends those from `from` on. */
static size_t read_seg(struct ag_spool *s, uint64_t first, off_t off, uint64_t from,
		       uint64_t upto, size_t max_n, size_t max_bytes, struct ag_json *out,
		       uint64_t *last, int *done)
{
	char path[4300], *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;
	FILE *f;

	seg_path(s, first, path, sizeof path);
	if (!(f = fopen(path, "r")))
		return 0;
	if (off)
		fseeko(f, off, SEEK_SET);
	while ((len = getline(&line, &cap, f)) > 0) {
		uint64_t seq = line_seq(line);
		if (line[len - 1] != '\n' || seq == 0 || seq > upto) {
			*done = 1;
			break;
		}
		if (seq < from)
			continue;
		if (n == max_n || (n && out->len + (size_t)len > max_bytes)) {
			*done = 1;
			break;
		}
		if (out->len)
			ag_json_append(out, ",", 1);
		ag_json_append(out, line, (size_t)len - 1);
		*last = seq;
		n++;
		s->cur_seq = seq + 1;
		s->cur_seg = first;
		s->cur_off = ftello(f);
	}
	free(line);
	fclose(f);
	return n;
}

size_t ag_spool_read(struct ag_spool *s, uint64_t from, size_t max_n, size_t max_bytes,
		     struct ag_json *out, uint64_t *last)
{
	uint64_t *segs, upto;
	size_t n, got = 0;
	int done = 0;

	pthread_mutex_lock(&s->mu);
	upto = s->synced;
	pthread_mutex_unlock(&s->mu);
	if (from > upto)
		return 0;
	n = list_segs(s->dir, &segs);
	for (size_t i = 0; i < n && !done && got < max_n; i++) {
		off_t off = 0;
		if (i + 1 < n && segs[i + 1] <= from)
			continue; /* wholly before from */
		if (s->cur_seq == from && s->cur_seg == segs[i])
			off = s->cur_off;
		else if (s->cur_seq == from && s->cur_seg > segs[i])
			continue;
		got += read_seg(s, segs[i], off, from, upto, max_n - got, max_bytes, out, last,
				&done);
		from = got ? *last + 1 : from;
	}
	free(segs);
	return got;
}

enum sw_err ag_spool_ack(struct ag_spool *s, uint64_t seq)
{
	char path[4300], num[32];
	uint64_t *segs;
	size_t n;
	enum sw_err rc;

	if (seq <= s->acked)
		return SW_OK;
	snprintf(path, sizeof path, "%s/acked", s->dir);
	snprintf(num, sizeof num, "%" PRIu64 "\n", seq);
	if ((rc = ag_write_atomic(path, num, strlen(num), NULL)))
		return rc;
	pthread_mutex_lock(&s->mu);
	s->acked = seq;
	pthread_mutex_unlock(&s->mu);
	n = list_segs(s->dir, &segs);
	/* A segment is done when the next one starts at or below seq + 1; the
	 * segment being appended to is never removed. */
	for (size_t i = 0; i + 1 < n; i++) {
		if (segs[i + 1] > seq + 1 || segs[i] == s->seg_first)
			break;
		seg_path(s, segs[i], path, sizeof path);
		unlink(path);
	}
	free(segs);
	return SW_OK;
}

uint64_t ag_spool_depth(struct ag_spool *s)
{
	uint64_t d;

	pthread_mutex_lock(&s->mu);
	d = s->written > s->acked ? s->written - s->acked : 0;
	pthread_mutex_unlock(&s->mu);
	return d;
}

void ag_spool_tail(struct ag_spool *s, size_t n, void (*fn)(const char *line, void *arg),
		   void *arg)
{
	uint64_t *segs;
	size_t ns = list_segs(s->dir, &segs), len, cnt = 0;
	char path[4300], *buf, *p;

	if (ns == 0 || n == 0) {
		free(segs);
		return;
	}
	seg_path(s, segs[ns - 1], path, sizeof path);
	free(segs);
	if (ag_read_small(path, SEG_MAX * 2, &buf, &len))
		return;
	p = buf + len;
	while (p > buf && cnt <= n) {
		p--;
		if (*p == '\n' && p != buf + len - 1)
			cnt++;
	}
	if (cnt > n)
		p++;
	while (*p) {
		char *e = strchr(p, '\n');
		if (!e)
			break;
		*e = '\0';
		if (*p)
			fn(p, arg);
		p = e + 1;
	}
	free(buf);
}
