/*
 * walk.c - directory tree to baseline entries (walk.h).
 *
 * The baseline array itself is the work queue: entries are appended in
 * breadth-first order and the walk moves an index over them, so a tree of
 * any depth needs no recursion and no second list.  Only one directory is
 * open at a time.
 */
#include "agent/walk.h"
#include "agent/glob.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void ag_ent_from_stat(struct ag_ent *e, const struct stat *st)
{
	e->mode = st->st_mode & 07777;
	e->uid = st->st_uid;
	e->gid = st->st_gid;
	e->size = S_ISDIR(st->st_mode) ? 0 : st->st_size;
	e->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	e->ino = st->st_ino;
	e->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

int ag_in_upload(const struct ag_root_conf *rc, const char *rel)
{
	for (size_t i = 0; i < rc->n_upload; i++) {
		size_t n = strlen(rc->upload[i]);
		if (!strncmp(rel, rc->upload[i], n) && (rel[n] == '\0' || rel[n] == '/'))
			return 1;
	}
	return 0;
}

void ag_base_mark_uploads(struct ag_base *b, const struct ag_root_conf *rc)
{
	for (size_t i = 0; i < rc->n_upload; i++) {
		uint32_t e = ag_base_lookup(b, rc->upload[i]);
		if (e != AG_NONE && b->e[e].type == AG_DIR)
			b->e[e].flags |= AG_F_UPLOAD;
	}
}

struct names {
	char **v;
	size_t n, cap;
};

/* Sorts names by bytes, the order ag_base_child searches. */
static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the names of directory fd (closing it) into nm, sorted. */
static enum sw_err read_names(int fd, struct names *nm)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;

	nm->n = 0;
	if (!d) {
		close(fd);
		return SW_EIO;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (nm->n == nm->cap) {
			size_t cap = nm->cap ? nm->cap * 2 : 64;
			char **v = realloc(nm->v, cap * sizeof *v);
			if (!v) {
				closedir(d);
				return SW_ENOMEM;
			}
			nm->v = v;
			nm->cap = cap;
		}
		if (!(nm->v[nm->n] = strdup(de->d_name))) {
			closedir(d);
			return SW_ENOMEM;
		}
		nm->n++;
	}
	closedir(d);
	qsort(nm->v, nm->n, sizeof *nm->v, cmp_name);
	return SW_OK;
}

/* Adds the child name of directory entry dir (open as dfd) unless excluded. */
static enum sw_err add_child(struct ag_base *b, const struct ag_root_conf *rc, uint32_t dir,
			     int dfd, const char *dirrel, const char *name,
			     struct ag_walk_stats *ws)
{
	char rel[PATH_MAX], target[PATH_MAX];
	struct stat st;
	uint32_t idx;
	enum sw_err rc2;
	ssize_t tl;

	if ((size_t)snprintf(rel, sizeof rel, "%s%s%s", dirrel, *dirrel ? "/" : "", name) >=
	    sizeof rel)
		return SW_ELIMIT;
	if (ag_glob_any(rc->exclude, rc->n_exclude, rel))
		return SW_OK;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? SW_OK : SW_EIO;
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) {
		ws->skipped++;
		return SW_OK;
	}
	if ((rc2 = ag_base_add(b, dir, name, strlen(name), &idx)))
		return rc2;
	ag_ent_from_stat(&b->e[idx], &st);
	if (S_ISREG(st.st_mode)) {
		b->e[idx].type = AG_REG;
		ws->files++;
		ws->bytes += (uint64_t)st.st_size;
	} else if (S_ISDIR(st.st_mode)) {
		b->e[idx].type = AG_DIR;
		b->e[idx].u.d.wdir = AG_NONE;
		if (ag_in_upload(rc, rel))
			b->e[idx].flags |= AG_F_UPLOAD;
		ws->dirs++;
	} else {
		b->e[idx].type = AG_LNK;
		tl = readlinkat(dfd, name, target, sizeof target);
		if (tl < 0 || (size_t)tl >= sizeof target)
			return SW_EIO;
		if ((rc2 = ag_base_set_target(b, idx, target, (size_t)tl)))
			return rc2;
		ws->links++;
	}
	return SW_OK;
}

/* Reads directory entry i (at path top/rel) and appends its children. */
static enum sw_err walk_dir(const char *top, const struct ag_root_conf *rc,
			    struct ag_base *b, uint32_t i, struct names *nm,
			    struct ag_walk_stats *ws, struct sw_errbuf *eb)
{
	char rel[PATH_MAX], path[PATH_MAX];
	int fd, rl = ag_base_relpath(b, i, rel, sizeof rel);
	enum sw_err rc2;
	uint32_t first = b->n;

	if (rl < 0 || snprintf(path, sizeof path, "%s%s%s", top, rl ? "/" : "", rel) >=
			      (int)sizeof path)
		return sw_errf(eb, SW_ELIMIT, "path too long under %s", top);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return sw_errf(eb, SW_EIO, "cannot read directory %s: %s", path, strerror(errno));
	if ((rc2 = read_names(dup(fd), nm))) {
		close(fd);
		return sw_errf(eb, rc2, "cannot read directory %s", path);
	}
	for (size_t k = 0; k < nm->n; k++) {
		rc2 = add_child(b, rc, i, fd, rel, nm->v[k], ws);
		free(nm->v[k]);
		nm->v[k] = NULL;
		if (rc2) {
			for (size_t j = k + 1; j < nm->n; j++)
				free(nm->v[j]);
			close(fd);
			return sw_errf(eb, rc2, "cannot read %s/%s: %s", path,
				       nm->v[k] ? nm->v[k] : "entry", strerror(errno));
		}
	}
	close(fd);
	b->e[i].u.d.first = first;
	b->e[i].u.d.n = b->n - first;
	return SW_OK;
}

enum sw_err ag_walk(const char *top, const struct ag_root_conf *rc, struct ag_base *b,
		    struct ag_walk_stats *ws,
		    void (*progress)(const struct ag_walk_stats *ws, void *arg), void *arg,
		    struct sw_errbuf *eb)
{
	struct names nm = {0};
	struct stat st;
	enum sw_err rc2;
	uint32_t root;

	memset(ws, 0, sizeof *ws);
	if (lstat(top, &st) || !S_ISDIR(st.st_mode))
		return sw_errf(eb, SW_EINVAL, "%s is not a directory", top);
	if ((rc2 = ag_base_add(b, AG_NONE, "", 0, &root)))
		return rc2;
	ag_ent_from_stat(&b->e[root], &st);
	b->e[root].type = AG_DIR;
	b->e[root].u.d.wdir = AG_NONE;
	ws->dirs = 1;
	rc2 = SW_OK;
	for (uint32_t i = 0; i < b->n && rc2 == SW_OK; i++) {
		if (b->e[i].type != AG_DIR || (b->e[i].flags & AG_F_UPLOAD))
			continue;
		rc2 = walk_dir(top, rc, b, i, &nm, ws, eb);
		if (progress && (i & 255) == 0)
			progress(ws, arg);
	}
	free(nm.v);
	return rc2;
}
