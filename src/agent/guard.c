/*
 * guard.c - deciding what a change is and what to do about it (guard.h).
 *
 * Every notice names a watched directory and a name in it; the guard looks
 * at what is there now (not at what the event said happened: events are
 * merged, reordered and sometimes lost) and compares it with the baseline:
 *   - same inode and ctime as last verified: nothing to do (the common
 *     case for the guard's own writes and for reads);
 *   - a regular file whose digest still matches: attributes fixed if they
 *     drifted, the new inode/ctime remembered;
 *   - different content, type or link target: the offending object goes to
 *     quarantine and the baseline version is restored;
 *   - missing: restored (a directory with its whole tree);
 *   - not in the baseline: quarantined (moved out of the web root), except
 *     in excluded paths and upload directories (upload.c).
 * A replaced directory (same name, new inode) is adopted: watched anew and
 * its contents reconciled against the baseline.
 */
#include "agent/guard_int.h"
#include "agent/fsutil.h"
#include "agent/glob.h"
#include "agent/spool.h"
#include "agent/walk.h"
#include "agent/yara.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUFSZ (1u << 20)

int ag__paused(const struct ag_groot *r)
{
	return r->paused_until && r->paused_until > time(NULL);
}

/* Reads the pause state of root r from its store directory. */
static void load_pause(struct ag_groot *r)
{
	char path[4300], *txt;

	snprintf(path, sizeof path, "%s/paused", r->sdir);
	if (ag_read_small(path, 128, &txt, NULL) == SW_OK) {
		r->paused_until = strtoll(txt, NULL, 10);
		r->accept_on_resume = strstr(txt, "accept") != NULL;
		free(txt);
	}
}

/* Loads the baseline of root i. */
static enum sw_err load_root(struct ag_guard *g, size_t i, struct sw_errbuf *eb)
{
	struct ag_groot *r = &g->roots[i];
	char path[4300], *recorded = NULL;
	enum sw_err rc;

	r->rc = &g->cfg->roots[i];
	ag_store_root_dir(g->st, r->rc->path, r->sdir, sizeof r->sdir);
	snprintf(path, sizeof path, "%s/baseline.idx", r->sdir);
	rc = ag_base_load(&r->b, path, &recorded, eb);
	if (rc == SW_ENOTFOUND)
		return sw_errf_replace(eb, rc, "root %s has no baseline yet: run "
					       "`sitewarden-agent init` first", r->rc->path);
	if (rc)
		return rc;
	if (strcmp(recorded, r->rc->path)) {
		free(recorded);
		return sw_errf(eb, SW_EIO, "corrupt backup store: baseline of %s names another root",
			       r->rc->path);
	}
	free(recorded);
	if (r->b.algo != g->cfg->algo)
		return sw_errf(eb, SW_EINVAL,
			       "the baseline of %s uses %s but the configuration says %s: run init "
			       "again", r->rc->path, ag_algo_name(r->b.algo),
			       ag_algo_name(g->cfg->algo));
	ag_base_mark_uploads(&r->b, r->rc);
	ag_base_counts(&r->b, &r->files, &r->dirs, &r->links, &(uint64_t){0});
	load_pause(r);
	{
		struct stat a, b;
		r->same_dev = stat(r->rc->path, &a) == 0 && stat(g->qdir, &b) == 0 &&
			      a.st_dev == b.st_dev;
	}
	return SW_OK;
}

enum sw_err ag_guard_init(struct ag_guard *g, struct ag_config *cfg, struct ag_store *st,
			  struct ag_spool *spool, struct sw_errbuf *eb)
{
	enum sw_err rc;

	memset(g, 0, sizeof *g);
	g->cfg = cfg;
	g->st = st;
	g->spool = spool;
	g->wfd = g->perm_fd = -1;
	g->qindex_fd = -1;
	g->req_pipe[0] = g->req_pipe[1] = -1;
	g->self = getpid();
	pthread_rwlock_init(&g->base_lock, NULL);
	snprintf(g->qdir, sizeof g->qdir, "%s/quarantine", st->dir);
	g->bufsz = BUFSZ;
	g->n_roots = cfg->n_roots;
	g->roots = calloc(cfg->n_roots, sizeof *g->roots);
	g->buf = malloc(BUFSZ);
	g->rbuf = malloc(BUFSZ);
	if (!g->roots || !g->buf || !g->rbuf)
		return SW_ENOMEM;
	if ((rc = ag_hasher_init(&g->h, cfg->algo, eb)))
		return rc;
	{
		char ip[4300];
		snprintf(ip, sizeof ip, "%s/index.jsonl", g->qdir);
		g->qindex_fd = open(ip, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		if (g->qindex_fd < 0)
			return sw_errf(eb, SW_EIO, "cannot open %s: %s", ip, strerror(errno));
	}
	for (size_t i = 0; i < g->n_roots; i++)
		if ((rc = load_root(g, i, eb)))
			return rc;
	return SW_OK;
}

void ag_guard_cleanup(struct ag_guard *g)
{
	if (g->ops && g->wfd >= 0)
		g->ops->close(g);
	for (size_t i = 0; g->roots && i < g->n_roots; i++) {
		struct ag_groot *r = &g->roots[i];
		for (uint32_t p = 0; p < r->n_pack_fds; p++)
			if (r->pack_fds[p] >= 0)
				close(r->pack_fds[p]);
		free(r->pack_fds);
		ag_base_cleanup(&r->b);
	}
	free(g->roots);
	for (uint32_t i = 0; i < g->n_w; i++)
		free(g->w[i].path);
	free(g->w);
	free(g->free_w);
	ag_map_free(&g->map);
	free(g->nb);
	free(g->nb_arena);
	free(g->nb_slot);
	ag_guard_settle(g, 1);
	free(g->pend);
	if (g->qindex_fd >= 0) {
		fdatasync(g->qindex_fd);
		close(g->qindex_fd);
	}
	free(g->buf);
	free(g->rbuf);
	ag_hasher_cleanup(&g->h);
	pthread_rwlock_destroy(&g->base_lock);
	for (int i = 0; i < 2; i++)
		if (g->req_pipe[i] >= 0)
			close(g->req_pipe[i]);
	if (g->perm_fd >= 0)
		close(g->perm_fd);
	memset(g, 0, sizeof *g);
}

enum sw_err ag_guard_watch(struct ag_guard *g, struct sw_errbuf *eb)
{
	struct sw_errbuf fe;
	enum sw_err rc;

	if (g->cfg->watcher != AG_WATCH_INOTIFY) {
		sw_errbuf_clear(&fe);
		g->ops = &ag_watch_fanotify;
		rc = g->ops->open(g, &fe);
		if (rc == SW_OK)
			return SW_OK;
		if (g->cfg->watcher == AG_WATCH_FANOTIFY)
			return sw_errf(eb, rc, "%s", fe.msg);
		fprintf(stderr, "sitewarden-agent: fanotify unavailable (%s); using inotify\n",
			fe.msg);
	}
	g->ops = &ag_watch_inotify;
	return g->ops->open(g, eb);
}

uint32_t ag__watch_dir(struct ag_guard *g, uint32_t ri, uint32_t ent, const char *path,
		       int upload)
{
	uint32_t wi;
	int rc;

	if (ag_wdir_new(g, path, ri, ent, upload, &wi))
		return AG_NONE;
	rc = g->ops->add(g, wi);
	if (rc != 0) {
		/* Gone, or the same inode is watched already: free the slot. */
		g->w[wi].dead = 1;
		g->w[wi].key = UINT64_MAX;
		return AG_NONE;
	}
	if (ent != AG_NONE) {
		struct ag_ent *e = &g->roots[ri].b.e[ent];
		e->u.d.wdir = wi;
		e->ino = g->w[wi].ino;
	}
	return wi;
}

/* ---- batch of notices -------------------------------------------------- */

/* Hash of a notice key for the batch's dedup table. */
static size_t nb_hash(uint32_t w, const char *name)
{
	uint64_t h = UINT64_C(1469598103934665603) ^ w;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * UINT64_C(1099511628211);
	return (size_t)(h ^ (h >> 29));
}

/* Grows the batch arrays; 0 on success. */
static int nb_reserve(struct ag_guard *g, size_t namelen)
{
	if (!g->nb_slot) {
		g->nb_mask = 8191;
		if (!(g->nb_slot = calloc(g->nb_mask + 1, sizeof *g->nb_slot)))
			return -1;
	}
	if (g->n_nb == g->cap_nb) {
		uint32_t cap = g->cap_nb ? g->cap_nb * 2 : 1024;
		struct ag_notice *n = realloc(g->nb, cap * sizeof *n);
		if (!n)
			return -1;
		g->nb = n;
		g->cap_nb = cap;
	}
	if (g->nb_alen + namelen + 1 > g->nb_acap) {
		size_t cap = g->nb_acap ? g->nb_acap * 2 : 65536;
		char *a;
		while (cap < g->nb_alen + namelen + 1)
			cap *= 2;
		if (!(a = realloc(g->nb_arena, cap)))
			return -1;
		g->nb_arena = a;
		g->nb_acap = cap;
	}
	return 0;
}

void ag_guard_notice(struct ag_guard *g, uint32_t wdir, const char *name, size_t len,
		     uint32_t flags, int32_t pid)
{
	char nm[NAME_MAX + 1];
	size_t s;

	if (len > NAME_MAX || wdir >= g->n_w)
		return;
	memcpy(nm, name, len);
	nm[len] = '\0';
	g->n_notices++;
	if (!g->batch_t0)
		g->batch_t0 = ag_mono_ns();
	/* Too many distinct names in one batch: a full comparison is cheaper
	 * and cannot miss anything. */
	if (nb_reserve(g, len) || g->n_nb >= (g->nb_mask + 1) / 2) {
		g->need_reconcile = 1;
		return;
	}
	for (s = nb_hash(wdir, nm) & g->nb_mask; g->nb_slot[s]; s = (s + 1) & g->nb_mask) {
		struct ag_notice *n = &g->nb[g->nb_slot[s] - 1];
		if (n->wdir == wdir && !strcmp(g->nb_arena + n->name, nm)) {
			n->flags |= flags;
			if (n->pid <= 0)
				n->pid = pid;
			return;
		}
	}
	g->nb[g->n_nb] = (struct ag_notice){wdir, (uint32_t)g->nb_alen, flags, pid};
	memcpy(g->nb_arena + g->nb_alen, nm, len + 1);
	g->nb_alen += len + 1;
	g->nb_slot[s] = ++g->n_nb;
}

/* ---- checks ------------------------------------------------------------ */

static void check_at(struct ag_guard *g, uint32_t ri, uint32_t ent, const char *path,
		     int32_t pid);

/* Something that is not in the baseline appeared at path: quarantine it. */
static void unknown_at(struct ag_guard *g, uint32_t ri, const char *path, const char *rel,
		       int32_t pid)
{
	struct ag_qres q;
	struct ag_who who;
	struct stat st;

	if (lstat(path, &st))
		return;
	ag__who(pid, &who);
	if (ag__quarantine_move(g, ri, path, rel, "created", &who, &q) == SW_OK) {
		g->n_removed++;
		if (S_ISREG(st.st_mode) && !g->quiet) {
			/* Its writer may still be writing into it: report once quiet. */
			char qp[4600];
			int fd;
			snprintf(qp, sizeof qp, "%s/%s", g->qdir, q.name);
			fd = open(qp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0) {
				ag__pend(g, ri, fd, 0, rel, &q, NULL, &who, NULL);
				return;
			}
		}
		ag__emit_tamper(g, ri, rel, "created", "removed", &q, NULL, &who,
				S_ISDIR(st.st_mode) ? "directory" : S_ISLNK(st.st_mode) ? "symlink"
											 : NULL);
	} else {
		ag__emit_tamper(g, ri, rel, "created", "failed", NULL, NULL, &who, strerror(errno));
	}
}

/* Restores entry ent missing at path (after repairing a missing parent). */
static void missing_at(struct ag_guard *g, uint32_t ri, uint32_t ent, const char *path,
		       const char *rel, int32_t pid, const char *change, struct ag_qres *q)
{
	struct ag_groot *r = &g->roots[ri];
	struct sw_errbuf eb;
	struct ag_who who;

	sw_errbuf_clear(&eb);
	ag__who(pid, &who);
	if (ag__restore(g, ri, ent, path, &eb) == SW_OK) {
		g->n_restored++;
		ag__emit_tamper(g, ri, rel, change,
				r->b.e[ent].type == AG_DIR ? "recreated" : "restored", q,
				r->b.e[ent].type == AG_REG ? r->b.e[ent].hash : NULL, &who, NULL);
	} else {
		ag__emit_tamper(g, ri, rel, change, "failed", q, NULL, &who, eb.msg);
		if (strstr(eb.msg, "corrupt"))
			ag__emit(g, "store_corrupt", (int)ri, NULL);
	}
}

/*
 * Makes sure the directories above ent exist and are the ones watched.
 * Returns 1 when one had to be repaired (its repair covered ent too).
 */
static int repair_parents(struct ag_guard *g, uint32_t ri, uint32_t ent, int32_t pid)
{
	struct ag_groot *r = &g->roots[ri];
	uint32_t chain[256], n = 0;
	char path[PATH_MAX];
	struct stat st;

	for (uint32_t p = r->b.e[ent].parent; p != AG_NONE && n < 256; p = r->b.e[p].parent)
		chain[n++] = p;
	while (n-- > 0) {
		uint32_t d = chain[n];
		if (ag__path(g, r, d, path, sizeof path) < 0)
			return 1;
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_ino == r->b.e[d].ino)
			continue;
		check_at(g, ri, d, path, pid);
		return 1;
	}
	return 0;
}

/* A directory at path whose inode is not the one watched: adopt it. */
static void adopt_dir(struct ag_guard *g, uint32_t ri, uint32_t ent, const char *rel,
		      int32_t pid)
{
	struct ag_who who;

	ag__who(pid, &who);
	ag__emit_tamper(g, ri, rel, "replaced", "reconciled", NULL, NULL, &who, "directory");
	ag__reconcile_tree(g, ri, ent);
}

/* Checks a regular file that exists at path with stat st. */
static void check_file(struct ag_guard *g, uint32_t ri, uint32_t ent, const char *path,
		       const char *rel, const struct stat *st, int32_t pid)
{
	struct ag_ent *e = &g->roots[ri].b.e[ent];
	uint8_t d[AG_HASH_LEN];
	struct ag_qres q;
	struct ag_who who;
	int64_t size;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 || ag_hash_fd(&g->h, fd, g->buf, g->bufsz, d, &size)) {
		if (fd >= 0)
			close(fd);
		return;
	}
	if (!memcmp(d, e->hash, AG_HASH_LEN)) {
		close(fd);
		if ((st->st_mode & 07777) != e->mode || st->st_uid != e->uid ||
		    st->st_gid != e->gid ||
		    (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec != e->mtime_ns) {
			ag__who(pid, &who);
			ag__fix_attrs(g, e, path);
			ag__emit_tamper(g, ri, rel, "attributes", "restored", NULL, NULL, &who, NULL);
		}
		struct stat now;
		if (lstat(path, &now) == 0)
			ag__verified(e, &now);
		return;
	}
	/* Tampered: put ours back first (the attacker's bytes stay in buf, or
	 * behind fd when larger), then keep them in quarantine. */
	{
		struct sw_errbuf eb;
		enum sw_err rc;

		sw_errbuf_clear(&eb);
		ag__who(pid, &who);
		memset(&q, 0, sizeof q);
		/* Same file system: the attacker's inode itself goes to
		 * quarantine (a hard link, no copy, no new inode), and keeps
		 * whatever its writer still writes. */
		if (g->roots[ri].same_dev && !g->quiet)
			ag__quarantine_link(g, fd, rel, &q);
		rc = ag__restore(g, ri, ent, path, &eb);
		if (rc == SW_OK)
			g->n_restored++;
		if (g->quiet)
			close(fd);
		else
			ag__pend(g, ri, fd, 1, rel, &q, e->hash, &who, rc ? eb.msg : NULL);
		if (rc && strstr(eb.msg, "corrupt"))
			ag__emit(g, "store_corrupt", (int)ri, NULL);
	}
}

/* Checks baseline entry ent of root ri at path. */
static void check_at(struct ag_guard *g, uint32_t ri, uint32_t ent, const char *path,
		     int32_t pid)
{
	struct ag_groot *r = &g->roots[ri];
	struct ag_ent *e = &r->b.e[ent];
	char rel[PATH_MAX], t[PATH_MAX];
	struct stat st;
	struct ag_qres q;
	struct ag_who who;
	int type;
	ssize_t tl;

	if (ag_base_relpath(&r->b, ent, rel, sizeof rel) < 0)
		return;
	if (lstat(path, &st)) {
		if (errno != ENOENT || (ent != 0 && repair_parents(g, ri, ent, pid)))
			return;
		missing_at(g, ri, ent, path, rel, pid, "deleted", NULL);
		return;
	}
	type = S_ISREG(st.st_mode) ? AG_REG : S_ISDIR(st.st_mode) ? AG_DIR
					  : S_ISLNK(st.st_mode)	  ? AG_LNK
								  : 0;
	if (type != e->type) {
		ag__who(pid, &who);
		if (ag__quarantine_move(g, ri, path, rel, "replaced", &who, &q) == SW_OK)
			missing_at(g, ri, ent, path, rel, pid, "replaced", &q);
		return;
	}
	if (type == AG_REG) {
		if ((uint64_t)st.st_ino == e->ino &&
		    (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec == e->ctime_ns)
			return;
		check_file(g, ri, ent, path, rel, &st, pid);
	} else if (type == AG_LNK) {
		tl = readlink(path, t, sizeof t - 1);
		if (tl < 0 || (size_t)tl != e->u.l.len || memcmp(t, r->b.arena + e->u.l.target, (size_t)tl)) {
			ag__who(pid, &who);
			if (ag__quarantine_move(g, ri, path, rel, "symlink", &who, &q) == SW_OK)
				missing_at(g, ri, ent, path, rel, pid, "symlink", &q);
			return;
		}
		if (st.st_uid != e->uid || st.st_gid != e->gid) {
			ag__who(pid, &who);
			ag__fix_attrs(g, e, path);
			ag__emit_tamper(g, ri, rel, "attributes", "restored", NULL, NULL, &who, NULL);
		}
	} else {
		if ((st.st_mode & 07777) != e->mode || st.st_uid != e->uid || st.st_gid != e->gid) {
			ag__who(pid, &who);
			ag__fix_attrs(g, e, path);
			ag__emit_tamper(g, ri, rel, "attributes", "restored", NULL, NULL, &who,
					"directory");
		}
		if ((uint64_t)st.st_ino != e->ino || e->u.d.wdir == AG_NONE)
			adopt_dir(g, ri, ent, rel, pid);
	}
}

void ag_guard_check_entry(struct ag_guard *g, uint32_t ri, uint32_t ent)
{
	char path[PATH_MAX];

	if (ri >= g->n_roots || ent >= g->roots[ri].b.n || ag__paused(&g->roots[ri]))
		return;
	if (ag__path(g, &g->roots[ri], ent, path, sizeof path) >= 0)
		check_at(g, ri, ent, path, 0);
}

/* Checks one notice. */
static void check_notice(struct ag_guard *g, const struct ag_notice *n)
{
	struct ag_wdir *w = &g->w[n->wdir];
	const char *name = g->nb_arena + n->name;
	struct ag_groot *r;
	char path[PATH_MAX], rel[PATH_MAX];
	uint32_t ent;

	if (!w->path || w->root >= g->n_roots)
		return;
	r = &g->roots[w->root];
	if (ag__paused(r))
		return;
	if (!strcmp(name, ".") || !*name) {
		if (w->ent != AG_NONE)
			check_at(g, w->root, w->ent, w->path, n->pid);
		return;
	}
	if (snprintf(path, sizeof path, "%s/%s", w->path, name) >= (int)sizeof path ||
	    ag_wdir_rel(g, n->wdir, name, rel, sizeof rel) < 0)
		return;
	if (ag_glob_any(r->rc->exclude, r->rc->n_exclude, rel))
		return;
	ent = w->ent != AG_NONE ? ag_base_child(&r->b, w->ent, name, strlen(name)) : AG_NONE;
	if (ent != AG_NONE)
		check_at(g, w->root, ent, path, n->pid);
	else if (w->upload)
		ag__upload_check(g, n->wdir, name, n->flags, n->pid);
	else
		unknown_at(g, w->root, path, rel, n->pid);
}

void ag_guard_flush(struct ag_guard *g)
{
	for (uint32_t i = 0; i < g->n_nb; i++)
		check_notice(g, &g->nb[i]);
	if (g->n_nb)
		memset(g->nb_slot, 0, (g->nb_mask + 1) * sizeof *g->nb_slot);
	g->n_nb = 0;
	g->nb_alen = 0;
	ag_wdir_reap(g);
	if (g->need_reconcile) {
		g->need_reconcile = 0;
		ag_guard_reconcile(g, -1, "overflow");
	}
	g->batch_t0 = 0;
	g->restored_at = 0;
	if (g->n_pend)
		ag_guard_settle(g, 0);
}

/* ---- reconciliation ---------------------------------------------------- */

/* Compares the live directory d (at path) with its baseline children:
 * unknown names are quarantined, missing ones restored, the rest marked
 * seen.  Returns -1 when the directory cannot be read. */
static int reconcile_names(struct ag_guard *g, uint32_t ri, uint32_t d, const char *path)
{
	struct ag_groot *r = &g->roots[ri];
	DIR *dir = opendir(path);
	struct dirent *de;
	char rel[PATH_MAX], cpath[PATH_MAX], drel[PATH_MAX];
	int dl = ag_base_relpath(&r->b, d, drel, sizeof drel);

	if (!dir || dl < 0) {
		if (dir)
			closedir(dir);
		return -1;
	}
	while ((de = readdir(dir))) {
		uint32_t c;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		c = ag_base_child(&r->b, d, de->d_name, strlen(de->d_name));
		if (c != AG_NONE) {
			r->b.e[c].flags |= AG_F_SEEN;
			continue;
		}
		if (snprintf(rel, sizeof rel, "%s%s%s", drel, dl ? "/" : "", de->d_name) >=
			    (int)sizeof rel ||
		    ag_glob_any(r->rc->exclude, r->rc->n_exclude, rel) ||
		    snprintf(cpath, sizeof cpath, "%s/%s", path, de->d_name) >= (int)sizeof cpath)
			continue;
		unknown_at(g, ri, cpath, rel, 0);
	}
	closedir(dir);
	return 0;
}

void ag__reconcile_tree(struct ag_guard *g, uint32_t ri, uint32_t top)
{
	struct ag_groot *r = &g->roots[ri];
	uint32_t *q = malloc(((size_t)r->b.n + 1) * sizeof *q), qn = 0;
	char path[PATH_MAX];
	struct stat st;

	if (!q)
		return;
	q[qn++] = top;
	for (uint32_t qi = 0; qi < qn; qi++) {
		uint32_t d = q[qi];
		struct ag_ent *e = &r->b.e[d];
		if (ag__path(g, r, d, path, sizeof path) < 0)
			continue;
		if (lstat(path, &st) || !S_ISDIR(st.st_mode)) {
			check_at(g, ri, d, path, 0); /* restores the whole subtree */
			continue;
		}
		if ((st.st_mode & 07777) != e->mode || st.st_uid != e->uid || st.st_gid != e->gid) {
			char rel[PATH_MAX];
			ag_base_relpath(&r->b, d, rel, sizeof rel);
			ag__fix_attrs(g, e, path);
			ag__emit_tamper(g, ri, rel, "attributes", "restored", NULL, NULL, NULL,
					"directory");
		}
		if (e->u.d.wdir == AG_NONE || g->w[e->u.d.wdir].dead ||
		    g->w[e->u.d.wdir].ino != (uint64_t)st.st_ino) {
			if (e->u.d.wdir != AG_NONE)
				ag_wdir_kill(g, e->u.d.wdir);
			ag__watch_dir(g, ri, d, path, (e->flags & AG_F_UPLOAD) != 0);
			e->ino = st.st_ino;
		}
		if (e->flags & AG_F_UPLOAD) {
			ag__upload_tree(g, ri, path);
			continue;
		}
		if (reconcile_names(g, ri, d, path))
			continue;
		for (uint32_t c = e->u.d.first; c < e->u.d.first + e->u.d.n; c++) {
			struct ag_ent *k = &r->b.e[c];
			char cpath[PATH_MAX];
			int seen = k->flags & AG_F_SEEN;
			k->flags &= (uint8_t)~AG_F_SEEN;
			if (ag__path(g, r, c, cpath, sizeof cpath) < 0)
				continue;
			if (!seen) {
				char rel[PATH_MAX];
				ag_base_relpath(&r->b, c, rel, sizeof rel);
				missing_at(g, ri, c, cpath, rel, 0, "deleted", NULL);
			} else if (k->type == AG_DIR) {
				q[qn++] = c;
			} else {
				check_at(g, ri, c, cpath, 0);
			}
		}
	}
	free(q);
}

void ag_guard_reconcile(struct ag_guard *g, int r, const char *reason)
{
	for (size_t i = 0; i < g->n_roots; i++) {
		struct ag_json j;
		uint64_t ev0 = g->n_events, rs0 = g->n_restored, rm0 = g->n_removed;
		int64_t t0 = ag_mono_ns();
		if ((r >= 0 && (size_t)r != i) || ag__paused(&g->roots[i]))
			continue;
		ag__reconcile_tree(g, (uint32_t)i, 0);
		ag_wdir_reap(g);
		g->n_reconciles++;
		ag_json_init(&j);
		ag_json_str(&j, "reason", reason);
		ag_json_int(&j, "entries", g->roots[i].b.n);
		ag_json_int(&j, "changes", (int64_t)(g->n_events - ev0));
		ag_json_int(&j, "restored", (int64_t)(g->n_restored - rs0));
		ag_json_int(&j, "removed", (int64_t)(g->n_removed - rm0));
		ag_json_int(&j, "ms", (ag_mono_ns() - t0) / 1000000);
		ag__emit(g, "reconcile", (int)i, &j);
		ag_json_free(&j);
	}
}
