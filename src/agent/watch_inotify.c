/*
 * watch_inotify.c - the guard's inotify watcher, for kernels or file
 * systems without fanotify name reporting (and forced by watcher =
 * inotify).
 *
 * One watch per directory, mapped by watch descriptor.  inotify does not
 * say which process made a change, so the guard's own restores come back
 * as events too; they are harmless because a check compares the current
 * state with the baseline and finds the restored file verified.
 * IN_Q_OVERFLOW sets off a full reconciliation.
 */
#include "agent/guard.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define MASK                                                                              \
	(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | \
	 IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW)
#define RDBUF (256 * 1024)

static enum sw_err ino_open(struct ag_guard *g, struct sw_errbuf *eb)
{
	g->wfd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (g->wfd < 0)
		return sw_errf(eb, SW_EIO, "inotify_init1: %s", strerror(errno));
	return SW_OK;
}

static int ino_add(struct ag_guard *g, uint32_t i)
{
	struct ag_wdir *w = &g->w[i];
	struct stat st;
	uint32_t old;
	int wd = inotify_add_watch(g->wfd, w->path, MASK);

	if (wd < 0) {
		if (errno == ENOSPC)
			fprintf(stderr, "sitewarden-agent: inotify watch limit reached "
					"(raise fs.inotify.max_user_watches)\n");
		return -1;
	}
	if (lstat(w->path, &st))
		return -1;
	w->wd = wd;
	w->ino = st.st_ino;
	w->key = (uint64_t)wd;
	old = ag_map_get(&g->map, w->key);
	if (ag_map_put(&g->map, w->key, i))
		return -1;
	if (old != AG_NONE && old != i)
		ag_wdir_kill(g, old);
	return 0;
}

static void ino_remove(struct ag_guard *g, uint32_t i)
{
	if (g->w[i].wd >= 0)
		inotify_rm_watch(g->wfd, g->w[i].wd);
}

static uint32_t flags_of(uint32_t m)
{
	uint32_t f = 0;

	if (m & (IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO))
		f |= AG_N_WRITE;
	if (m & (IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO))
		f |= AG_N_CLOSED;
	if (m & (IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF))
		f |= AG_N_GONE;
	if (m & IN_ATTRIB)
		f |= AG_N_ATTR;
	return f;
}

static void ino_drain(struct ag_guard *g)
{
	static char buf[RDBUF] __attribute__((aligned(8)));
	ssize_t n;
	int rounds = 0;

	/* A bounded number of reads, so the control socket and the serve-time
	 * guard's requests are served during a long burst too. */
	while (rounds++ < 16 && (n = read(g->wfd, buf, sizeof buf)) > 0) {
		for (char *p = buf; p + sizeof(struct inotify_event) <= buf + n;) {
			const struct inotify_event *ev = (const void *)p;
			uint32_t wi;
			p += sizeof *ev + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				g->need_reconcile = 1;
				g->n_overflows++;
				continue;
			}
			if (ev->mask & IN_IGNORED)
				continue;
			wi = ag_map_get(&g->map, (uint64_t)ev->wd);
			if (wi == AG_NONE)
				continue;
			if (ev->len)
				ag_guard_notice(g, wi, ev->name, strnlen(ev->name, ev->len),
						flags_of(ev->mask), 0);
			else
				ag_guard_notice(g, wi, ".", 1, flags_of(ev->mask) | AG_N_SELF, 0);
		}
		ag_guard_flush(g);
	}
}

static void ino_close(struct ag_guard *g)
{
	if (g->wfd >= 0)
		close(g->wfd);
	g->wfd = -1;
}

const struct ag_watch_ops ag_watch_inotify = {"inotify", ino_open, ino_add, ino_remove,
					      ino_drain, ino_close};
