/*
 * repair.c - the guard's hands: restore from the backup store, fix
 * attributes, and keep attackers' files in quarantine.
 *
 * Every restore is atomic for readers: the content is written to a
 * temporary name in the same directory, verified against its digest on
 * the way (a corrupt store never reaches the web root), given its owner,
 * mode and mtime, fsynced, and renamed over the name.  A deleted directory
 * comes back whole: the tree is rebuilt under a temporary name and
 * renamed into place in one step.
 */
#include "agent/guard_int.h"
#include "agent/fsutil.h"
#include "agent/pack.h"
#include "agent/spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TMP_PREFIX ".sw-tmp-"

void ag__verified(struct ag_ent *e, const struct stat *st)
{
	__atomic_store_n(&e->ino, (uint64_t)st->st_ino, __ATOMIC_RELAXED);
	__atomic_store_n(&e->ctime_ns,
			 (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec,
			 __ATOMIC_RELAXED);
}

int ag__path(const struct ag_guard *g, const struct ag_groot *r, uint32_t ent, char *buf,
	     size_t n)
{
	(void)g;
	return ag_base_path(&r->b, r->rc->path, ent, buf, n);
}

int ag__pack_fd(struct ag_guard *g, struct ag_groot *r, uint32_t pack)
{
	char path[4400];

	(void)g;
	if (pack >= r->b.n_packs)
		return -1;
	if (r->n_pack_fds < r->b.n_packs) {
		int *f = realloc(r->pack_fds, r->b.n_packs * sizeof *f);
		if (!f)
			return -1;
		for (uint32_t i = r->n_pack_fds; i < r->b.n_packs; i++)
			f[i] = -1;
		r->pack_fds = f;
		r->n_pack_fds = r->b.n_packs;
	}
	if (r->pack_fds[pack] < 0) {
		snprintf(path, sizeof path, "%s/packs/%s", r->sdir, r->b.packs[pack]);
		r->pack_fds[pack] = open(path, O_RDONLY | O_CLOEXEC);
	}
	return r->pack_fds[pack];
}

/* Writes dir-of(path)/TMP_PREFIX<pid>-<n> into buf. */
static void tmp_name(struct ag_guard *g, const char *path, char *buf, size_t n)
{
	const char *slash = strrchr(path, '/');
	int dl = slash ? (int)(slash - path) : 0;

	snprintf(buf, n, "%.*s/" TMP_PREFIX "%ld-%u", dl, path, (long)g->self, ++g->tmp_seq);
}

/* Gives a restored object its owner, mode and mtime (fd, or path for links). */
static void set_attrs_fd(int fd, const struct ag_ent *e)
{
	struct timespec ts[2] = {{0, UTIME_OMIT},
				 {e->mtime_ns / 1000000000, e->mtime_ns % 1000000000}};

	/* chown first: it clears set-id bits that chmod then restores. */
	(void)!fchown(fd, e->uid, e->gid);
	(void)!fchmod(fd, e->mode);
	futimens(fd, ts);
}

/* Restores regular file ent at path (tmp, verify, attrs, fsync, rename). */
static enum sw_err restore_file(struct ag_guard *g, struct ag_groot *r, uint32_t ent,
				const char *path, struct sw_errbuf *eb)
{
	struct ag_ent *e = &r->b.e[ent];
	char tmp[PATH_MAX + 64];
	struct stat st;
	int fd, pfd = ag__pack_fd(g, r, e->u.f.pack);
	enum sw_err rc;

	if (pfd < 0)
		return sw_errf(eb, SW_EIO, "corrupt backup store: pack %s missing",
			       r->b.packs[e->u.f.pack]);
	tmp_name(g, path, tmp, sizeof tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return sw_errf(eb, SW_EIO, "cannot create %s: %s", tmp, strerror(errno));
	rc = ag_pack_copy(pfd, e->u.f.off, e->size, e->hash, &g->h, fd, g->rbuf, g->bufsz, eb);
	if (rc == SW_OK) {
		set_attrs_fd(fd, e);
		if ((g->cfg->sync_first && fsync(fd)) || rename(tmp, path))
			rc = sw_errf(eb, SW_EIO, "cannot restore %s: %s", path, strerror(errno));
		else if (!g->cfg->sync_first)
			g->restored_at = ag_mono_ns(), fsync(fd);
	}
	if (rc == SW_OK) {
		if (g->cfg->sync_first)
			g->restored_at = ag_mono_ns();
		if (fstat(fd, &st) == 0)
			ag__verified(e, &st);
	}
	close(fd);
	if (rc)
		unlink(tmp);
	return rc;
}

/* Restores symbolic link ent at path. */
static enum sw_err restore_link(struct ag_guard *g, struct ag_groot *r, uint32_t ent,
				const char *path, struct sw_errbuf *eb)
{
	struct ag_ent *e = &r->b.e[ent];
	char tmp[PATH_MAX + 64];
	struct timespec ts[2] = {{0, UTIME_OMIT},
				 {e->mtime_ns / 1000000000, e->mtime_ns % 1000000000}};
	struct stat st;

	tmp_name(g, path, tmp, sizeof tmp);
	if (symlink(r->b.arena + e->u.l.target, tmp))
		return sw_errf(eb, SW_EIO, "cannot create link %s: %s", tmp, strerror(errno));
	(void)!lchown(tmp, e->uid, e->gid);
	utimensat(AT_FDCWD, tmp, ts, AT_SYMLINK_NOFOLLOW);
	if (rename(tmp, path)) {
		unlink(tmp);
		return sw_errf(eb, SW_EIO, "cannot restore link %s: %s", path, strerror(errno));
	}
	g->restored_at = ag_mono_ns();
	if (lstat(path, &st) == 0)
		ag__verified(e, &st);
	return SW_OK;
}

/* Fills the new directory tmp with the subtree of top (tmp stands for
 * top's path); children first, directory attributes last. */
static enum sw_err fill_tree(struct ag_guard *g, uint32_t ri, uint32_t top, const char *tmp,
			     struct sw_errbuf *eb)
{
	struct ag_groot *r = &g->roots[ri];
	char trel[PATH_MAX], rel[PATH_MAX], path[PATH_MAX * 2];
	uint32_t *q = malloc(((size_t)r->b.n + 1) * sizeof *q), qn = 0;
	int tl = ag_base_relpath(&r->b, top, trel, sizeof trel);
	enum sw_err rc = SW_OK;

	if (!q || tl < 0) {
		free(q);
		return SW_ENOMEM;
	}
	q[qn++] = top;
	for (uint32_t qi = 0; qi < qn && rc == SW_OK; qi++) {
		const struct ag_ent *d = &r->b.e[q[qi]];
		for (uint32_t c = d->u.d.first; c < d->u.d.first + d->u.d.n && rc == SW_OK; c++) {
			struct ag_ent *e = &r->b.e[c];
			int rl = ag_base_relpath(&r->b, c, rel, sizeof rel);
			if (rl < tl)
				return free(q), SW_ELIMIT;
			snprintf(path, sizeof path, "%s%s", tmp, rel + tl);
			if (e->type == AG_DIR) {
				if (mkdir(path, 0700))
					rc = sw_errf(eb, SW_EIO, "cannot create %s: %s", path,
						     strerror(errno));
				q[qn++] = c;
			} else if (e->type == AG_REG) {
				rc = restore_file(g, r, c, path, eb);
			} else {
				rc = restore_link(g, r, c, path, eb);
			}
		}
	}
	/* Modes last and deepest first, so a read-only directory is filled
	 * before it becomes read-only. */
	for (uint32_t qi = qn; qi-- > 0 && rc == SW_OK;) {
		const struct ag_ent *e = &r->b.e[q[qi]];
		int rl = ag_base_relpath(&r->b, q[qi], rel, sizeof rel);
		struct stat st;
		snprintf(path, sizeof path, "%s%s", tmp, rl >= tl ? rel + tl : "");
		(void)!lchown(path, e->uid, e->gid);
		(void)!chmod(path, e->mode);
		if (lstat(path, &st) == 0)
			ag__verified(&r->b.e[q[qi]], &st);
	}
	free(q);
	return rc;
}

/* Watches every directory of the restored subtree of top. */
static void watch_tree(struct ag_guard *g, uint32_t ri, uint32_t top)
{
	struct ag_groot *r = &g->roots[ri];
	char path[PATH_MAX];
	uint32_t *q = malloc(((size_t)r->b.n + 1) * sizeof *q), qn = 0;

	if (!q)
		return;
	q[qn++] = top;
	for (uint32_t qi = 0; qi < qn; qi++) {
		const struct ag_ent *d = &r->b.e[q[qi]];
		if (ag__path(g, r, q[qi], path, sizeof path) < 0)
			continue;
		if (d->u.d.wdir != AG_NONE)
			ag_wdir_kill(g, d->u.d.wdir);
		ag__watch_dir(g, ri, q[qi], path, (d->flags & AG_F_UPLOAD) != 0);
		if (d->flags & AG_F_UPLOAD)
			continue;
		for (uint32_t c = d->u.d.first; c < d->u.d.first + d->u.d.n; c++)
			if (r->b.e[c].type == AG_DIR)
				q[qn++] = c;
	}
	free(q);
}

/* Restores directory ent (with its whole subtree) at path. */
static enum sw_err restore_dir(struct ag_guard *g, uint32_t ri, uint32_t ent,
			       const char *path, struct sw_errbuf *eb)
{
	char tmp[PATH_MAX + 64];
	enum sw_err rc;

	tmp_name(g, path, tmp, sizeof tmp);
	if (mkdir(tmp, 0700))
		return sw_errf(eb, SW_EIO, "cannot create %s: %s", tmp, strerror(errno));
	rc = fill_tree(g, ri, ent, tmp, eb);
	if (rc == SW_OK && rename(tmp, path)) {
		/* An empty directory at path is replaced by rename; anything
		 * else appeared since the caller looked. */
		rc = sw_errf(eb, SW_EIO, "cannot restore directory %s: %s", path, strerror(errno));
	}
	if (rc) {
		ag_rm_tree(tmp, 64);
		return rc;
	}
	g->restored_at = ag_mono_ns();
	ag_fsync_parent(path);
	watch_tree(g, ri, ent);
	/* Anything written into the tree between the rename and the watches. */
	ag__reconcile_tree(g, ri, ent);
	return SW_OK;
}

enum sw_err ag__restore(struct ag_guard *g, uint32_t ri, uint32_t ent, const char *path,
			struct sw_errbuf *eb)
{
	struct ag_groot *r = &g->roots[ri];

	switch (r->b.e[ent].type) {
	case AG_REG:
		return restore_file(g, r, ent, path, eb);
	case AG_LNK:
		return restore_link(g, r, ent, path, eb);
	default:
		return restore_dir(g, ri, ent, path, eb);
	}
}

enum sw_err ag__fix_attrs(struct ag_guard *g, const struct ag_ent *e, const char *path)
{
	struct timespec ts[2] = {{0, UTIME_OMIT},
				 {e->mtime_ns / 1000000000, e->mtime_ns % 1000000000}};
	int bad = 0;

	(void)g;
	bad |= lchown(path, e->uid, e->gid);
	if (e->type != AG_LNK)
		bad |= chmod(path, e->mode);
	if (e->type != AG_DIR)
		bad |= utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW);
	return bad ? SW_EIO : SW_OK;
}

void ag__who(int32_t pid, struct ag_who *who)
{
	char p[64];
	ssize_t n;
	FILE *f;

	memset(who, 0, sizeof *who);
	who->pid = pid;
	if (pid <= 0)
		return;
	snprintf(p, sizeof p, "/proc/%d/exe", pid);
	n = readlink(p, who->exe, sizeof who->exe - 1);
	who->exe[n > 0 ? n : 0] = '\0';
	snprintf(p, sizeof p, "/proc/%d/comm", pid);
	if ((f = fopen(p, "r"))) {
		if (fgets(who->comm, sizeof who->comm, f))
			who->comm[strcspn(who->comm, "\n")] = '\0';
		fclose(f);
	}
}

/* Names a new quarantine item after time, sequence and base name. */
static void q_name(struct ag_guard *g, const char *rel, char *out, size_t n)
{
	static unsigned seq;
	char t[32], base[96];
	const char *b = strrchr(rel, '/');
	size_t k = 0;

	b = b ? b + 1 : rel;
	for (; *b && k < sizeof base - 1; b++)
		base[k++] = (*b == '/' || (unsigned char)*b < 0x20) ? '_' : *b;
	base[k] = '\0';
	ag_fmt_time(ag_wall_ns(), t);
	t[19] = '\0'; /* seconds are enough; seq makes it unique */
	for (char *c = t; *c; c++)
		if (*c == ':')
			*c = '-';
	snprintf(out, n, "%s-%ld-%u-%s", t, (long)g->self, ++seq, k ? base : "root");
}

/* Appends the record of a quarantine item to STORE/quarantine/index.jsonl. */
static void q_meta(struct ag_guard *g, uint32_t ri, const char *rel, const char *why,
		   const struct ag_who *who, const struct ag_qres *q)
{
	struct ag_json j;
	char t[32];

	ag_json_init(&j);
	ag_fmt_time(ag_wall_ns(), t);
	ag_json_str(&j, "name", q->name);
	ag_json_str(&j, "root", g->roots[ri].rc->path);
	ag_json_str(&j, "path", rel);
	ag_json_str(&j, "time", t);
	ag_json_str(&j, "change", why);
	if (q->hash[0]) {
		ag_json_str(&j, "algo", ag_algo_name(g->roots[ri].b.algo));
		ag_json_str(&j, "hash", q->hash);
	}
	ag_json_int(&j, "size", q->size);
	if (q->files)
		ag_json_int(&j, "files", (int64_t)q->files);
	if (who && who->pid > 0) {
		ag_json_int(&j, "pid", who->pid);
		ag_json_str(&j, "exe", who->exe[0] ? who->exe : NULL);
		ag_json_str(&j, "comm", who->comm[0] ? who->comm : NULL);
	}
	{
		struct ag_json w;
		ag_json_init(&w);
		ag_json_append(&w, "{", 1);
		ag_json_append(&w, j.s ? j.s : "", j.len);
		ag_json_append(&w, "}\n", 2);
		ag_json_free(&j);
		j = w;
	}
	/* One index for all items: a file per record would cost an inode
	 * each (see check_file). */
	if (!j.oom && g->qindex_fd >= 0 && ag_write_all(g->qindex_fd, j.s, j.len) == 0)
		g->qindex_dirty = 1;
	ag_json_free(&j);
}

/* Digest of a regular file at path into q (best effort). */
static void q_hash_file(struct ag_guard *g, const char *path, struct ag_qres *q)
{
	uint8_t d[AG_HASH_LEN];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return;
	if (ag_hash_fd(&g->h, fd, g->buf, g->bufsz, d, &q->size) == SW_OK)
		ag_hex(d, AG_HASH_LEN, q->hash);
	close(fd);
}

/* Counts the files of a quarantined tree (bounded). */
static uint64_t count_files(const char *path, int depth)
{
	DIR *d = opendir(path);
	struct dirent *de;
	uint64_t n = 0;
	char sub[PATH_MAX];

	if (!d)
		return 0;
	while ((de = readdir(d)) && n < 1000000) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (de->d_type == DT_DIR && depth > 0) {
			snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
			n += count_files(sub, depth - 1);
		} else {
			n++;
		}
	}
	closedir(d);
	return n;
}

enum sw_err ag__quarantine_move(struct ag_guard *g, uint32_t ri, const char *path,
				const char *rel, const char *why, const struct ag_who *who,
				struct ag_qres *q)
{
	char dst[4600];
	struct stat st;

	memset(q, 0, sizeof *q);
	if (lstat(path, &st))
		return errno == ENOENT ? SW_ENOTFOUND : SW_EIO;
	if (g->quiet)
		return ag_rm_tree(path, 64) ? SW_EIO : SW_OK;
	q_name(g, rel, q->name, sizeof q->name);
	snprintf(dst, sizeof dst, "%s/%s", g->qdir, q->name);
	if (rename(path, dst)) {
		if (errno != EXDEV)
			return SW_EIO;
		/* Another file system: keep a copy of a file, drop anything else. */
		if (S_ISREG(st.st_mode)) {
			int in = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), out;
			out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
			if (in >= 0 && out >= 0) {
				off_t left = st.st_size;
				while (left > 0) {
					ssize_t c = copy_file_range(in, NULL, out, NULL, (size_t)left, 0);
					if (c <= 0)
						break;
					left -= c;
				}
			}
			if (in >= 0)
				close(in);
			if (out >= 0)
				close(out);
		}
		if (ag_rm_tree(path, 64))
			return SW_EIO;
	}
	g->n_quarantined++;
	if (S_ISREG(st.st_mode)) {
		q_hash_file(g, dst, q);
	} else if (S_ISDIR(st.st_mode)) {
		q->files = count_files(dst, 32);
	} else if (S_ISLNK(st.st_mode)) {
		char t[PATH_MAX];
		ssize_t n = readlink(dst, t, sizeof t - 1);
		if (n >= 0) {
			uint8_t d[AG_HASH_LEN];
			ag_hash_buf(&g->h, t, (size_t)n, d);
			ag_hex(d, AG_HASH_LEN, q->hash);
			q->size = n;
		}
	}
	q_meta(g, ri, rel, why, who, q);
	return SW_OK;
}

enum sw_err ag__quarantine_copy(struct ag_guard *g, uint32_t ri, const char *rel,
				const char *why, const struct ag_who *who, const uint8_t *buf,
				int64_t n, int fd, const uint8_t hash[AG_HASH_LEN],
				struct ag_qres *q)
{
	char dst[4600];
	int out, bad = 0;

	memset(q, 0, sizeof *q);
	if (g->quiet)
		return SW_OK;
	q_name(g, rel, q->name, sizeof q->name);
	snprintf(dst, sizeof dst, "%s/%s", g->qdir, q->name);
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0400);
	if (out < 0)
		return SW_EIO;
	if (buf) {
		bad = ag_write_all(out, buf, (size_t)n);
	} else {
		off_t in_off = 0;
		int64_t left = n;
		while (left > 0 && !bad) {
			ssize_t c = copy_file_range(fd, &in_off, out, NULL, (size_t)left, 0);
			if (c <= 0)
				break;
			left -= c;
		}
	}
	fdatasync(out);
	close(out);
	q->size = n;
	ag_hex(hash, AG_HASH_LEN, q->hash);
	g->n_quarantined++;
	q_meta(g, ri, rel, why, who, q);
	return bad ? SW_EIO : SW_OK;
}

void ag__emit(struct ag_guard *g, const char *kind, int ri, struct ag_json *extra)
{
	struct ag_json j;

	ag_json_init(&j);
	ag_json_str(&j, "kind", kind);
	if (ri >= 0)
		ag_json_str(&j, "root", g->roots[ri].rc->path);
	if (extra && extra->len) {
		ag_json_append(&j, ",", 1);
		ag_json_append(&j, extra->s, extra->len);
	}
	g->n_events++;
	g->last_event_ns = ag_wall_ns();
	if (g->spool && ag_spool_emit(g->spool, &j))
		fprintf(stderr, "sitewarden-agent: cannot spool a %s event\n", kind);
	ag_json_free(&j);
}

void ag__emit_tamper(struct ag_guard *g, uint32_t ri, const char *rel, const char *change,
		     const char *action, const struct ag_qres *q, const uint8_t *expected,
		     const struct ag_who *who, const char *detail)
{
	struct ag_json j;
	char hex[2 * AG_HASH_LEN + 1];

	if (g->quiet)
		return;
	ag_json_init(&j);
	ag_json_str(&j, "path", rel);
	ag_json_str(&j, "change", change);
	ag_json_str(&j, "action", action);
	if (q && q->name[0])
		ag_json_str(&j, "quarantine", q->name);
	if (q && q->hash[0])
		ag_json_str(&j, "found", q->hash);
	if (q && q->files)
		ag_json_int(&j, "files", (int64_t)q->files);
	if (expected) {
		ag_hex(expected, AG_HASH_LEN, hex);
		ag_json_str(&j, "expected", hex);
	}
	if (who && who->pid > 0) {
		ag_json_int(&j, "pid", who->pid);
		ag_json_str(&j, "exe", who->exe[0] ? who->exe : NULL);
		ag_json_str(&j, "comm", who->comm[0] ? who->comm : NULL);
	}
	if (detail)
		ag_json_str(&j, "detail", detail);
	if (g->batch_t0 && g->restored_at > g->batch_t0)
		ag_json_int(&j, "latency_us", (g->restored_at - g->batch_t0) / 1000);
	ag__emit(g, "tamper", (int)ri, &j);
	ag_json_free(&j);
}

void ag__quarantine_link(struct ag_guard *g, int fd, const char *rel, struct ag_qres *q)
{
	char dst[4600];

	q_name(g, rel, q->name, sizeof q->name);
	snprintf(dst, sizeof dst, "%s/%s", g->qdir, q->name);
	if (linkat(fd, "", AT_FDCWD, dst, AT_EMPTY_PATH)) {
		q->name[0] = '\0';
		return;
	}
	g->n_quarantined++;
}

void ag__pend(struct ag_guard *g, uint32_t ri, int fd, int modified, const char *rel,
	      const struct ag_qres *q, const uint8_t *expected, const struct ag_who *who,
	      const char *err)
{
	struct ag_pending *p;
	struct stat st;

	if (g->n_pend == g->cap_pend) {
		uint32_t cap = g->cap_pend ? g->cap_pend * 2 : 64;
		struct ag_pending *np = cap > 4096 ? NULL : realloc(g->pend, cap * sizeof *np);
		if (!np) {
			ag_guard_settle(g, 1); /* too many at once: finish them now */
			if (!g->pend) {
				close(fd);
				return;
			}
		} else {
			g->pend = np;
			g->cap_pend = cap;
		}
	}
	p = &g->pend[g->n_pend++];
	memset(p, 0, sizeof *p);
	p->fd = fd;
	p->root = ri;
	p->modified = modified;
	p->rel = strdup(rel);
	p->err = err ? strdup(err) : NULL;
	snprintf(p->qname, sizeof p->qname, "%s", q->name);
	if (expected)
		memcpy(p->expected, expected, AG_HASH_LEN);
	p->latency_us = g->batch_t0 && g->restored_at > g->batch_t0
				? (g->restored_at - g->batch_t0) / 1000
				: -1;
	p->quiet_since = ag_mono_ns();
	if (fstat(fd, &st) == 0) {
		p->size = st.st_size;
		p->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	}
	p->pid = who ? who->pid : 0;
	if (who) {
		memcpy(p->exe, who->exe, sizeof p->exe);
		memcpy(p->comm, who->comm, sizeof p->comm);
	}
}

/* Puts the final bytes of a pending item in quarantine and reports it. */
static void finish(struct ag_guard *g, struct ag_pending *p)
{
	struct ag_who who = {p->pid, "", ""};
	struct ag_qres q;
	uint8_t d[AG_HASH_LEN];
	int64_t size = 0;
	int64_t t0 = g->batch_t0, r0 = g->restored_at;

	memcpy(who.exe, p->exe, sizeof who.exe);
	memcpy(who.comm, p->comm, sizeof who.comm);
	memset(&q, 0, sizeof q);
	if (ag_hash_fd(&g->h, p->fd, g->buf, g->bufsz, d, &size) == SW_OK) {
		if (p->modified && !p->qname[0]) {
			ag__quarantine_copy(g, p->root, p->rel, "modified", &who,
					    (uint64_t)size <= g->bufsz ? g->buf : NULL, size, p->fd, d,
					    &q);
		} else {
			snprintf(q.name, sizeof q.name, "%s", p->qname);
			ag_hex(d, AG_HASH_LEN, q.hash);
			q.size = size;
			q_meta(g, p->root, p->rel, p->modified ? "modified" : "created", &who, &q);
		}
	}
	/* The event carries the latency measured at the restore. */
	g->batch_t0 = 1;
	g->restored_at = p->latency_us >= 0 ? 1 + p->latency_us * 1000 : 0;
	ag__emit_tamper(g, p->root, p->rel, p->modified ? "modified" : "created",
			p->err ? "failed" : p->modified ? "restored" : "removed", &q,
			p->modified ? p->expected : NULL, &who, p->err);
	g->batch_t0 = t0;
	g->restored_at = r0;
	close(p->fd);
	free(p->rel);
	free(p->err);
}

int ag_guard_settle(struct ag_guard *g, int force)
{
	int64_t now = ag_mono_ns(), next = -1;
	uint32_t k = 0;

	for (uint32_t i = 0; i < g->n_pend; i++) {
		struct ag_pending *p = &g->pend[i];
		struct stat st;
		int64_t due;
		if (fstat(p->fd, &st) == 0 &&
		    (st.st_size != p->size ||
		     (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec != p->mtime_ns)) {
			p->size = st.st_size;
			p->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
			p->quiet_since = now;
		}
		due = p->quiet_since + (int64_t)AG_SETTLE_MS * 1000000;
		if (force || now >= due) {
			finish(g, p);
			continue;
		}
		if (next < 0 || (due - now) / 1000000 + 1 < next)
			next = (due - now) / 1000000 + 1;
		g->pend[k++] = *p;
	}
	g->n_pend = k;
	if (g->qindex_dirty && g->qindex_fd >= 0) {
		fdatasync(g->qindex_fd);
		g->qindex_dirty = 0;
	}
	return (int)next;
}
