/*
 * perm.c - the serve-time guard's thread (perm.h).
 */
#include "agent/perm.h"
#include "agent/glob.h"
#include "agent/walk.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RDBUF 65536

enum sw_err ag_perm_open(struct ag_guard *g, struct sw_errbuf *eb)
{
	g->perm_fd = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_UNLIMITED_MARKS |
					   FAN_UNLIMITED_QUEUE,
				   O_RDONLY | O_LARGEFILE | O_CLOEXEC);
	if (g->perm_fd < 0)
		return sw_errf(eb, SW_EIO, "serve-time guard needs fanotify permission events: %s",
			       strerror(errno));
	if (pipe2(g->req_pipe, O_NONBLOCK | O_CLOEXEC)) {
		close(g->perm_fd);
		g->perm_fd = -1;
		return sw_errf(eb, SW_EIO, "pipe: %s", strerror(errno));
	}
	return SW_OK;
}

/* Asks the guard thread to check (root, entry); a full pipe just drops
 * the request (the guard's own watch sees the change anyway). */
static void request(struct ag_guard *g, uint32_t ri, uint32_t ent)
{
	uint32_t m[2] = {ri, ent};

	(void)!write(g->req_pipe[1], m, sizeof m);
}

/* Decides about an open of fd by another process: 1 allow, 0 deny. */
static int decide(struct ag_perm *p, struct ag_hasher *h, uint8_t *buf, int fd)
{
	struct ag_guard *g = p->g;
	char link[64], path[PATH_MAX];
	ssize_t n;
	struct stat st;
	int allow = 1;

	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	if (n <= 0 || fstat(fd, &st) || !S_ISREG(st.st_mode))
		return 1;
	path[n] = '\0';
	if (pthread_rwlock_tryrdlock(&g->base_lock))
		return 1; /* the baseline is being replaced (publish) */
	for (size_t ri = 0; ri < g->n_roots; ri++) {
		struct ag_groot *r = &g->roots[ri];
		size_t rl = strlen(r->rc->path);
		const char *rel;
		uint32_t ent;
		struct ag_ent *e;
		uint8_t d[AG_HASH_LEN];
		int64_t size;
		if (strncmp(path, r->rc->path, rl) || path[rl] != '/')
			continue;
		rel = path + rl + 1;
		int64_t pu = __atomic_load_n(&r->paused_until, __ATOMIC_RELAXED);
		if (pu && pu > time(NULL))
			break;
		ent = ag_base_lookup(&r->b, rel);
		if (ent == AG_NONE) {
			/* Not in the baseline: fine in uploads and excluded paths;
			 * anywhere else the guard is about to remove it. */
			if (!ag_in_upload(r->rc, rel) &&
			    !ag_glob_any(r->rc->exclude, r->rc->n_exclude, rel)) {
				allow = 0;
			}
			break;
		}
		e = &r->b.e[ent];
		if (e->type != AG_REG)
			break;
		if ((uint64_t)st.st_ino == __atomic_load_n(&e->ino, __ATOMIC_RELAXED) &&
		    (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec ==
			    __atomic_load_n(&e->ctime_ns, __ATOMIC_RELAXED))
			break;
		p->hashed++;
		if (ag_hash_fd(h, fd, buf, 1 << 20, d, &size) || memcmp(d, e->hash, AG_HASH_LEN))
			allow = 0;
		request(g, (uint32_t)ri, ent);
		break;
	}
	pthread_rwlock_unlock(&g->base_lock);
	return allow;
}

static void *perm_main(void *arg)
{
	struct ag_perm *p = arg;
	struct ag_guard *g = p->g;
	static char rbuf[RDBUF] __attribute__((aligned(8)));
	struct ag_hasher h;
	uint8_t *buf = malloc(1 << 20);
	struct pollfd pf[2] = {{g->perm_fd, POLLIN, 0}, {p->stop_pipe[0], POLLIN, 0}};

	if (!buf || ag_hasher_init(&h, g->cfg->algo, NULL)) {
		free(buf);
		return NULL;
	}
	for (;;) {
		ssize_t n;
		if (poll(pf, 2, -1) < 0 && errno != EINTR)
			break;
		if (pf[1].revents)
			break;
		n = read(g->perm_fd, rbuf, sizeof rbuf);
		if (n <= 0)
			continue;
		const struct fanotify_event_metadata *md = (const void *)rbuf;
		for (; FAN_EVENT_OK(md, n); md = FAN_EVENT_NEXT(md, n)) {
			struct fanotify_response resp = {md->fd, FAN_ALLOW};
			if (md->fd < 0)
				continue;
			if (md->pid == g->self)
				p->own++;
			else if (!decide(p, &h, buf, md->fd))
				resp.response = FAN_DENY;
			if (resp.response == FAN_DENY)
				p->denied++;
			else
				p->allowed++;
			(void)!write(g->perm_fd, &resp, sizeof resp);
			close(md->fd);
		}
	}
	ag_hasher_cleanup(&h);
	free(buf);
	return NULL;
}

enum sw_err ag_perm_start(struct ag_perm *p, struct ag_guard *g, struct sw_errbuf *eb)
{
	memset(p, 0, sizeof *p);
	p->g = g;
	if (pipe2(p->stop_pipe, O_CLOEXEC))
		return sw_errf(eb, SW_EIO, "pipe: %s", strerror(errno));
	if (pthread_create(&p->thread, NULL, perm_main, p))
		return sw_errf(eb, SW_ENOMEM, "cannot start the serve-time guard thread");
	p->running = 1;
	return SW_OK;
}

void ag_perm_stop(struct ag_perm *p)
{
	if (!p->running)
		return;
	(void)!write(p->stop_pipe[1], "x", 1);
	pthread_join(p->thread, NULL);
	close(p->stop_pipe[0]);
	close(p->stop_pipe[1]);
	p->running = 0;
}
