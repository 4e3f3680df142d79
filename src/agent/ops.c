/*
 * ops.c - publish, pause and resume (ops.h).
 */
#include "agent/ops.h"
#include "agent/fsutil.h"
#include "agent/glob.h"
#include "agent/guard_int.h"
#include "agent/hashtree.h"
#include "agent/walk.h"

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

/* Kills every watched directory of root ri (its baseline is replaced). */
static void unwatch_root(struct ag_guard *g, uint32_t ri)
{
	for (uint32_t i = 0; i < g->n_w; i++)
		if (g->w[i].path && !g->w[i].dead && g->w[i].root == ri)
			ag_wdir_kill(g, i);
	ag_wdir_reap(g);
}

/* Replaces root ri's baseline by nb (taken), re-watches and re-verifies. */
static void install(struct ag_guard *g, uint32_t ri, struct ag_base *nb)
{
	struct ag_groot *r = &g->roots[ri];
	struct ag_base old;

	pthread_rwlock_wrlock(&g->base_lock);
	unwatch_root(g, ri);
	old = r->b;
	r->b = *nb;
	memset(nb, 0, sizeof *nb);
	for (uint32_t p = 0; p < r->n_pack_fds; p++)
		if (r->pack_fds[p] >= 0)
			close(r->pack_fds[p]);
	free(r->pack_fds);
	r->pack_fds = NULL;
	r->n_pack_fds = 0;
	ag_base_mark_uploads(&r->b, r->rc);
	ag_base_counts(&r->b, &r->files, &r->dirs, &r->links, &(uint64_t){0});
	for (uint32_t i = 0; i < r->b.n; i++)
		if (r->b.e[i].type == AG_DIR)
			r->b.e[i].u.d.wdir = AG_NONE;
	pthread_rwlock_unlock(&g->base_lock);
	ag_base_cleanup(&old);
}

/* Walks top with root ri's rules, hashes, stores and saves the result as
 * root ri's baseline file; nb gets it. */
static enum sw_err build_baseline(struct ag_guard *g, uint32_t ri, const char *top,
				  struct ag_base *nb, uint64_t *stored, struct sw_errbuf *eb)
{
	struct ag_groot *r = &g->roots[ri];
	struct ag_walk_stats ws;
	struct ag_hash_job j;
	char packs[4300], idx[4300];
	enum sw_err rc;

	ag_base_init(nb, r->b.algo);
	snprintf(packs, sizeof packs, "%s/packs", r->sdir);
	snprintf(idx, sizeof idx, "%s/baseline.idx", r->sdir);
	if ((rc = ag_walk(top, r->rc, nb, &ws, NULL, NULL, eb)))
		goto fail;
	memset(&j, 0, sizeof j);
	j.top = top;
	j.b = nb;
	j.pack_dir = packs;
	j.old = &r->b;
	j.threads = g->cfg->threads;
	if ((rc = ag_hash_tree(&j, eb)))
		goto fail;
	nb->created = time(NULL);
	if ((rc = ag_base_save(nb, r->rc->path, idx, eb)))
		goto fail;
	*stored = j.stored;
	return SW_OK;
fail:
	ag_base_cleanup(nb);
	return rc;
}

/* Copies the walked tree sb (read from src) into the new directory dst. */
static enum sw_err copy_tree(const struct ag_base *sb, const char *src, const char *dst,
			     struct sw_errbuf *eb)
{
	char rel[PATH_MAX], from[PATH_MAX * 2], to[PATH_MAX * 2];

	for (uint32_t i = 1; i < sb->n; i++) {
		const struct ag_ent *e = &sb->e[i];
		struct timespec ts[2] = {{0, UTIME_OMIT},
					 {e->mtime_ns / 1000000000, e->mtime_ns % 1000000000}};
		if (ag_base_relpath(sb, i, rel, sizeof rel) < 0 ||
		    snprintf(from, sizeof from, "%s/%s", src, rel) >= (int)sizeof from ||
		    snprintf(to, sizeof to, "%s/%s", dst, rel) >= (int)sizeof to)
			return sw_errf(eb, SW_ELIMIT, "path too long in %s", src);
		if (e->type == AG_DIR) {
			if (mkdir(to, 0700))
				return sw_errf(eb, SW_EIO, "cannot create %s: %s", to, strerror(errno));
		} else if (e->type == AG_LNK) {
			if (symlink(sb->arena + e->u.l.target, to))
				return sw_errf(eb, SW_EIO, "cannot create %s: %s", to, strerror(errno));
		} else {
			int in = open(from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), out = -1;
			struct stat st;
			int bad = in < 0 || fstat(in, &st);
			if (!bad)
				out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
			bad |= out < 0;
			for (off_t left = bad ? 0 : st.st_size; left > 0 && !bad;) {
				ssize_t c = copy_file_range(in, NULL, out, NULL, (size_t)left, 0);
				bad |= c <= 0;
				left -= c > 0 ? c : 0;
			}
			if (in >= 0)
				close(in);
			if (bad) {
				if (out >= 0)
					close(out);
				return sw_errf(eb, SW_EIO, "cannot copy %s: %s", from, strerror(errno));
			}
			close(out);
		}
		(void)!lchown(to, e->uid, e->gid);
		if (e->type != AG_LNK && e->type != AG_DIR)
			(void)!chmod(to, e->mode);
		if (e->type != AG_DIR)
			utimensat(AT_FDCWD, to, ts, AT_SYMLINK_NOFOLLOW);
	}
	/* Directory modes last, deepest first (read-only directories). */
	for (uint32_t i = sb->n; i-- > 0;) {
		const struct ag_ent *e = &sb->e[i];
		if (e->type != AG_DIR)
			continue;
		if (ag_base_relpath(sb, i, rel, sizeof rel) < 0 ||
		    snprintf(to, sizeof to, "%s%s%s", dst, i ? "/" : "", i ? rel : "") >=
			    (int)sizeof to)
			continue;
		(void)!lchown(to, e->uid, e->gid);
		(void)!chmod(to, e->mode);
	}
	return SW_OK;
}

/* Creates upload directories the staging tree lacks, like the live ones. */
static void add_uploads(const struct ag_root_conf *rc, const char *t)
{
	char live[PATH_MAX * 2], path[PATH_MAX * 2];
	struct stat st;

	for (size_t i = 0; i < rc->n_upload; i++) {
		snprintf(path, sizeof path, "%s/%s", t, rc->upload[i]);
		if (lstat(path, &st) == 0)
			continue;
		ag_mkdirs(path, 0755, NULL);
		snprintf(live, sizeof live, "%s/%s", rc->path, rc->upload[i]);
		if (lstat(live, &st) == 0 && S_ISDIR(st.st_mode)) {
			(void)!chown(path, st.st_uid, st.st_gid);
			(void)!chmod(path, st.st_mode & 07777);
		}
	}
}

/* Moves upload directories' contents and excluded paths from the live
 * tree (live, relative rel) into the new tree t; depth-bounded. */
static void carry(const struct ag_root_conf *rc, const char *live, const char *t,
		  const char *rel, int depth)
{
	char lp[PATH_MAX], tp[PATH_MAX], r2[PATH_MAX], *names[4096];
	size_t n = 0;
	DIR *d = opendir(live);
	struct dirent *de;

	if (!d || depth > 64) {
		if (d)
			closedir(d);
		return;
	}
	while ((de = readdir(d)) && n < 4096)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			names[n++] = strdup(de->d_name);
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		struct stat ls, ts;
		if (!names[i])
			continue;
		snprintf(r2, sizeof r2, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		snprintf(lp, sizeof lp, "%s/%s", live, names[i]);
		snprintf(tp, sizeof tp, "%s/%s", t, names[i]);
		free(names[i]);
		if (lstat(lp, &ls))
			continue;
		int tex = lstat(tp, &ts) == 0;
		int upload = ag_in_upload(rc, r2) && !strchr(r2 + strlen(r2) - 1, '/');
		if (ag_glob_any(rc->exclude, rc->n_exclude, r2) || upload) {
			if (tex && (!upload || !S_ISDIR(ts.st_mode)))
				continue; /* the new version has its own */
			if (tex)
				ag_rm_tree(tp, 64); /* the live uploads win over staging's */
			rename(lp, tp);
		} else if (S_ISDIR(ls.st_mode) && tex && S_ISDIR(ts.st_mode)) {
			carry(rc, lp, tp, r2, depth + 1);
		}
	}
}

enum sw_err ag_op_publish(struct ag_guard *g, uint32_t ri, const char *staging,
			  char *summary, size_t n, struct sw_errbuf *eb)
{
	struct ag_groot *r = &g->roots[ri];
	const char *root = r->rc->path, *slash = strrchr(root, '/');
	char src[PATH_MAX], t[PATH_MAX + 64];
	struct ag_base sb, nb;
	struct ag_walk_stats ws;
	struct stat st;
	uint64_t stored = 0;
	int64_t t0 = ag_mono_ns();
	int swapped;
	enum sw_err rc;

	if (!realpath(staging, src) || stat(src, &st) || !S_ISDIR(st.st_mode))
		return sw_errf(eb, SW_EINVAL, "staging directory %s: %s", staging,
			       errno ? strerror(errno) : "not a directory");
	if (!strncmp(src, root, strlen(root)) || !strncmp(root, src, strlen(src)) ||
	    !strncmp(src, g->st->dir, strlen(g->st->dir)))
		return sw_errf(eb, SW_EINVAL, "staging %s overlaps the root or the store", src);
	snprintf(t, sizeof t, "%.*s/.sw-publish-%ld", (int)(slash - root), root, (long)getpid());
	ag_rm_tree(t, 64);
	ag_base_init(&sb, r->b.algo);
	if (mkdir(t, 0700)) {
		ag_base_cleanup(&sb);
		return sw_errf(eb, SW_EIO, "cannot create %s: %s", t, strerror(errno));
	}
	rc = ag_walk(src, r->rc, &sb, &ws, NULL, NULL, eb);
	if (rc == SW_OK)
		rc = copy_tree(&sb, src, t, eb);
	ag_base_cleanup(&sb);
	if (rc)
		goto fail;
	add_uploads(r->rc, t);
	if ((rc = build_baseline(g, ri, t, &nb, &stored, eb)))
		goto fail;
	/* Committed: from here a crash leaves a baseline the next start
	 * converges the live tree to. */
	pthread_rwlock_wrlock(&g->base_lock);
	carry(r->rc, root, t, "", 0);
	swapped = renameat2(AT_FDCWD, t, AT_FDCWD, root, RENAME_EXCHANGE) == 0;
	pthread_rwlock_unlock(&g->base_lock);
	install(g, ri, &nb);
	if (!swapped) {
		/* Give the live root back what was carried over, then replace
		 * every file atomically, quietly (this is not tampering). */
		carry(r->rc, t, root, "", 0);
		g->quiet = 1;
		ag__reconcile_tree(g, ri, 0);
		g->quiet = 0;
	} else {
		ag__reconcile_tree(g, ri, 0);
	}
	ag_rm_tree(t, 64);
	{
		char packs[4300];
		snprintf(packs, sizeof packs, "%s/packs", r->sdir);
		ag_packs_gc(packs, &r->b);
	}
	{
		struct ag_json j;
		ag_json_init(&j);
		ag_json_str(&j, "from", src);
		ag_json_str(&j, "mode", swapped ? "exchange" : "in-place");
		ag_json_int(&j, "files", (int64_t)r->files);
		ag_json_int(&j, "dirs", (int64_t)r->dirs);
		ag_json_int(&j, "new_objects", (int64_t)stored);
		ag_json_int(&j, "ms", (ag_mono_ns() - t0) / 1000000);
		ag__emit(g, "publish", (int)ri, &j);
		ag_json_free(&j);
	}
	snprintf(summary, n, "published %s to %s: %llu files, %llu new objects, %s, %.1f s", src,
		 root, (unsigned long long)r->files, (unsigned long long)stored,
		 swapped ? "trees exchanged atomically" : "files replaced one by one",
		 (double)(ag_mono_ns() - t0) / 1e9);
	return SW_OK;
fail:
	ag_rm_tree(t, 64);
	return rc;
}

/* Writes or removes root r's pause file. */
static enum sw_err write_pause(struct ag_groot *r, int64_t until, struct sw_errbuf *eb)
{
	char path[4300], txt[64];

	snprintf(path, sizeof path, "%s/paused", r->sdir);
	if (!until)
		return unlink(path) && errno != ENOENT
			       ? sw_errf(eb, SW_EIO, "cannot remove %s: %s", path, strerror(errno))
			       : SW_OK;
	snprintf(txt, sizeof txt, "%lld\n", (long long)until);
	return ag_write_atomic(path, txt, strlen(txt), eb);
}

enum sw_err ag_op_pause(struct ag_guard *g, int ri, int64_t until, struct sw_errbuf *eb)
{
	enum sw_err rc;

	for (size_t i = 0; i < g->n_roots; i++) {
		struct ag_json j;
		char t[32];
		if (ri >= 0 && (size_t)ri != i)
			continue;
		if ((rc = write_pause(&g->roots[i], until, eb)))
			return rc;
		__atomic_store_n(&g->roots[i].paused_until, until, __ATOMIC_RELAXED);
		ag_json_init(&j);
		ag_fmt_time(until * 1000000000, t);
		ag_json_str(&j, "until", t);
		ag_json_int(&j, "seconds", until - time(NULL));
		ag__emit(g, "pause", (int)i, &j);
		ag_json_free(&j);
	}
	return SW_OK;
}

enum sw_err ag_op_resume(struct ag_guard *g, int ri, int accept, const char *why,
			 struct sw_errbuf *eb)
{
	enum sw_err rc;

	for (size_t i = 0; i < g->n_roots; i++) {
		struct ag_groot *r = &g->roots[i];
		struct ag_json j;
		uint64_t stored = 0;
		if ((ri >= 0 && (size_t)ri != i) || (ri < 0 && !r->paused_until))
			continue;
		if ((rc = write_pause(r, 0, eb)))
			return rc;
		__atomic_store_n(&r->paused_until, 0, __ATOMIC_RELAXED);
		ag_json_init(&j);
		ag_json_str(&j, "mode", accept ? "accept" : "revert");
		ag_json_str(&j, "reason", why);
		if (accept) {
			struct ag_base nb;
			if ((rc = build_baseline(g, (uint32_t)i, r->rc->path, &nb, &stored, eb))) {
				ag_json_free(&j);
				return rc;
			}
			install(g, (uint32_t)i, &nb);
			ag__reconcile_tree(g, (uint32_t)i, 0);
			ag_json_int(&j, "new_objects", (int64_t)stored);
			ag__emit(g, "resume", (int)i, &j);
		} else {
			ag__emit(g, "resume", (int)i, &j);
			ag_guard_reconcile(g, (int)i, why);
		}
		ag_json_free(&j);
	}
	return SW_OK;
}

void ag_op_expire(struct ag_guard *g)
{
	time_t now = time(NULL);

	for (size_t i = 0; i < g->n_roots; i++) {
		struct sw_errbuf eb;
		int64_t pu = g->roots[i].paused_until;
		if (!pu || pu > now)
			continue;
		sw_errbuf_clear(&eb);
		if (ag_op_resume(g, (int)i, 0, "expired", &eb))
			fprintf(stderr, "sitewarden-agent: %s\n", eb.msg);
	}
}
