/*
 * perm.c - the serve-time guard's thread (perm.h).
 */
#include "agent/perm.h"
#include "agent/fsutil.h"
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
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define RDBUF 65536

void ag_perm_block_signal(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + AG_LEASE_SIG_OFF);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

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

/* Decides about an open of fd by another process: 0 deny, 1 allow, 2
 * allow a protected file (to be held under a lease). */
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
		allow = 2; /* a protected file: served under a lease */
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

/* The lease entry of an inode, or NULL. */
static struct ag_lease *lease_find(struct ag_perm *p, uint64_t dev, uint64_t ino)
{
	for (uint32_t i = 0; i < p->n_leases; i++)
		if (p->leases[i].ino == ino && p->leases[i].dev == dev)
			return &p->leases[i];
	return NULL;
}

/* Drops lease entry l (releasing the lease: a waiting writer proceeds). */
static void lease_drop(struct ag_perm *p, struct ag_lease *l)
{
	fcntl(l->fd, F_SETLEASE, F_UNLCK);
	close(l->fd);
	*l = p->leases[--p->n_leases];
}

/*
 * A reader is allowed to open fd (inode st): keeps it under a read lease.
 * Returns 1 when fd now belongs to the lease table, 0 when the caller
 * still owns fd, -1 to refuse the open (a writer has or wants the inode).
 */
static int lease_reader(struct ag_perm *p, int fd, const struct stat *st)
{
	struct ag_lease *l = lease_find(p, st->st_dev, st->st_ino);
	struct f_owner_ex own = {F_OWNER_TID, (pid_t)syscall(SYS_gettid)};

	if (l && l->breaking)
		return -1;
	if (!l && p->n_leases == p->cap_leases) {
		uint32_t cap = p->cap_leases ? p->cap_leases * 2 : 64;
		struct ag_lease *n = cap > 65536 ? NULL : realloc(p->leases, cap * sizeof *n);
		if (!n)
			return 0; /* no room: open-time check only */
		p->leases = n;
		p->cap_leases = cap;
	}
	if (fcntl(fd, F_SETSIG, SIGRTMIN + AG_LEASE_SIG_OFF) ||
	    fcntl(fd, F_SETOWN_EX, &own))
		return 0;
	/* The kernel counts the opener's write access before it asks us, so a
	 * lease is refused exactly when the file is open for writing: by this
	 * opener (a write open of a protected file) or by someone else (a
	 * reader must not see it change).  Either way: refused. */
	if (fcntl(fd, F_SETLEASE, F_RDLCK))
		return errno == EAGAIN || errno == EBUSY ? -1 : 0;
	if (l) {
		fcntl(fd, F_SETLEASE, F_UNLCK); /* one lease per inode is enough */
		l->readers++;
		return 0;
	}
	p->leases[p->n_leases++] = (struct ag_lease){st->st_dev, st->st_ino, fd, 1, 0,
						     ag_mono_ns()};
	return 1;
}

/* A reader closed an inode: the last one releases the lease. */
static void lease_close(struct ag_perm *p, int fd)
{
	struct stat st;
	struct ag_lease *l;

	if (fstat(fd, &st) || !(l = lease_find(p, st.st_dev, st.st_ino)))
		return;
	if (--l->readers <= 0)
		lease_drop(p, l);
}

/* Lease breaks: a writer is waiting for the inode behind fd. */
static void lease_breaks(struct ag_perm *p)
{
	struct signalfd_siginfo si;

	while (read(p->sig_fd, &si, sizeof si) == sizeof si) {
		for (uint32_t i = 0; i < p->n_leases; i++) {
			struct ag_lease *l = &p->leases[i];
			if (l->fd != (int)si.ssi_fd)
				continue;
			l->breaking = 1;
			p->writer_waits++;
			if (l->readers <= 0)
				lease_drop(p, l);
			break;
		}
	}
}

/* Drops leases held too long (a reader whose close we never saw). */
static void lease_sweep(struct ag_perm *p)
{
	int64_t now = ag_mono_ns();

	for (uint32_t i = 0; i < p->n_leases;) {
		if (now - p->leases[i].since > (int64_t)AG_LEASE_MAX_S * 1000000000)
			lease_drop(p, &p->leases[i]);
		else
			i++;
	}
}

/* Answers one permission event (and handles a close event). */
static void one_event(struct ag_perm *p, struct ag_hasher *h, uint8_t *buf,
		      const struct fanotify_event_metadata *md)
{
	struct ag_guard *g = p->g;
	struct fanotify_response resp = {md->fd, FAN_ALLOW};
	struct stat st;
	int keep = 0, d;

	if (!(md->mask & FAN_OPEN_PERM)) {
		if (md->mask & FAN_CLOSE_NOWRITE)
			lease_close(p, md->fd);
		close(md->fd);
		return;
	}
	if (md->pid == g->self) {
		p->own++;
	} else if ((d = decide(p, h, buf, md->fd)) == 0) {
		resp.response = FAN_DENY;
	} else if (d == 2 && fstat(md->fd, &st) == 0) {
		int r = lease_reader(p, md->fd, &st);
		if (r < 0)
			resp.response = FAN_DENY;
		keep = r == 1;
	}
	if (resp.response == FAN_DENY)
		p->denied++;
	else
		p->allowed++;
	(void)!write(g->perm_fd, &resp, sizeof resp);
	if (!keep)
		close(md->fd);
}

static void *perm_main(void *arg)
{
	struct ag_perm *p = arg;
	struct ag_guard *g = p->g;
	static char rbuf[RDBUF] __attribute__((aligned(8)));
	struct ag_hasher h;
	uint8_t *buf = malloc(1 << 20);
	struct pollfd pf[3] = {{g->perm_fd, POLLIN, 0}, {p->stop_pipe[0], POLLIN, 0},
			       {p->sig_fd, POLLIN, 0}};

	if (!buf || ag_hasher_init(&h, g->cfg->algo, NULL)) {
		free(buf);
		return NULL;
	}
	for (;;) {
		ssize_t n;
		if (poll(pf, 3, 1000) < 0 && errno != EINTR)
			break;
		if (pf[1].revents)
			break;
		if (pf[2].revents)
			lease_breaks(p);
		lease_sweep(p);
		if (!pf[0].revents)
			continue;
		n = read(g->perm_fd, rbuf, sizeof rbuf);
		if (n <= 0)
			continue;
		for (const char *q = rbuf; q + sizeof(struct fanotify_event_metadata) <= rbuf + n;) {
			struct fanotify_event_metadata md;
			memcpy(&md, q, sizeof md);
			if (md.event_len < sizeof md || q + md.event_len > rbuf + n)
				break;
			if (md.fd >= 0)
				one_event(p, &h, buf, &md);
			q += md.event_len;
		}
	}
	while (p->n_leases)
		lease_drop(p, &p->leases[0]);
	free(p->leases);
	ag_hasher_cleanup(&h);
	free(buf);
	return NULL;
}

enum sw_err ag_perm_start(struct ag_perm *p, struct ag_guard *g, struct sw_errbuf *eb)
{
	sigset_t set;

	memset(p, 0, sizeof *p);
	p->g = g;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + AG_LEASE_SIG_OFF);
	p->sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (p->sig_fd < 0 || pipe2(p->stop_pipe, O_CLOEXEC))
		return sw_errf(eb, SW_EIO, "signalfd/pipe: %s", strerror(errno));
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
	close(p->sig_fd);
	p->running = 0;
}
