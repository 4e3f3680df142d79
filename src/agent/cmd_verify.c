/*
 * cmd_verify.c - `sitewarden-agent verify`: compares every root with its
 * baseline and lists the differences, changing nothing.  Every file is
 * hashed (verify does not trust inode and ctime); --objects also reads
 * back every object of the backup store against its digest.
 *
 * Output, one line each: "modified|missing|extra|type|symlink|attributes
 * ROOT/PATH [detail]"; with --json one JSON object per line.  Exit 1 when
 * anything differs or the store is corrupt.
 */
#include "agent/baseline.h"
#include "agent/cmd.h"
#include "agent/glob.h"
#include "agent/json.h"
#include "agent/pack.h"
#include "agent/store.h"
#include "agent/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct vctx {
	const struct ag_opts *o;
	const struct ag_root_conf *rc;
	struct ag_base b;
	struct ag_hasher h;
	uint8_t *buf;
	uint64_t diffs;
};

/* Reports one difference. */
static void diff(struct vctx *v, const char *what, const char *rel, const char *detail)
{
	v->diffs++;
	if (v->o->json) {
		struct ag_json j;
		ag_json_init(&j);
		ag_json_str(&j, "difference", what);
		ag_json_str(&j, "root", v->rc->path);
		ag_json_str(&j, "path", rel);
		if (detail)
			ag_json_str(&j, "detail", detail);
		printf("{%s}\n", j.s);
		ag_json_free(&j);
	} else {
		printf("%-10s %s%s%s%s%s\n", what, v->rc->path, *rel ? "/" : "", rel,
		       detail ? "  " : "", detail ? detail : "");
	}
}

/* Compares entry i with what is at path. */
static void check_one(struct vctx *v, uint32_t i, const char *path, const char *rel)
{
	const struct ag_ent *e = &v->b.e[i];
	struct stat st;
	char d[128];
	int t;

	if (lstat(path, &st))
		return diff(v, "missing", rel, NULL);
	t = S_ISREG(st.st_mode) ? AG_REG : S_ISDIR(st.st_mode) ? AG_DIR : S_ISLNK(st.st_mode) ? AG_LNK : 0;
	if (t != e->type)
		return diff(v, "type", rel, NULL);
	if (t == AG_REG) {
		uint8_t h[AG_HASH_LEN];
		int64_t size;
		int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || ag_hash_fd(&v->h, fd, v->buf, 1 << 20, h, &size) ||
		    memcmp(h, e->hash, AG_HASH_LEN)) {
			if (fd >= 0)
				close(fd);
			return diff(v, "modified", rel, NULL);
		}
		close(fd);
	} else if (t == AG_LNK) {
		char tg[PATH_MAX];
		ssize_t n = readlink(path, tg, sizeof tg);
		if (n < 0 || (size_t)n != e->u.l.len || memcmp(tg, v->b.arena + e->u.l.target, (size_t)n))
			return diff(v, "symlink", rel, NULL);
	}
	if ((t != AG_LNK && (st.st_mode & 07777) != e->mode) || st.st_uid != e->uid ||
	    st.st_gid != e->gid) {
		snprintf(d, sizeof d, "mode %04o->%04o owner %u:%u->%u:%u", e->mode,
			 (unsigned)(st.st_mode & 07777), e->uid, e->gid, (unsigned)st.st_uid,
			 (unsigned)st.st_gid);
		diff(v, "attributes", rel, d);
	} else if (t != AG_DIR &&
		   (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec != e->mtime_ns) {
		diff(v, "attributes", rel, "mtime");
	}
}

/* Lists names in directory path that the baseline lacks. */
static void extras(struct vctx *v, uint32_t d, const char *path, const char *drel)
{
	DIR *dir = opendir(path);
	struct dirent *de;
	char rel[PATH_MAX];

	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (ag_base_child(&v->b, d, de->d_name, strlen(de->d_name)) != AG_NONE)
			continue;
		if (snprintf(rel, sizeof rel, "%s%s%s", drel, *drel ? "/" : "", de->d_name) >=
		    (int)sizeof rel)
			continue;
		if (!ag_glob_any(v->rc->exclude, v->rc->n_exclude, rel))
			diff(v, "extra", rel, NULL);
	}
	closedir(dir);
}

/* Verifies the stored objects of the baseline; returns the bad count. */
static uint64_t check_objects(struct vctx *v, const char *sdir)
{
	uint64_t bad = 0;
	int *fds = calloc(v->b.n_packs + 1, sizeof *fds);
	char path[4400], rel[PATH_MAX];
	struct sw_errbuf eb;

	for (uint32_t p = 0; fds && p < v->b.n_packs; p++) {
		snprintf(path, sizeof path, "%s/packs/%s", sdir, v->b.packs[p]);
		fds[p] = open(path, O_RDONLY | O_CLOEXEC);
	}
	for (uint32_t i = 0; fds && i < v->b.n; i++) {
		const struct ag_ent *e = &v->b.e[i];
		if (e->type != AG_REG)
			continue;
		sw_errbuf_clear(&eb);
		if (fds[e->u.f.pack] < 0 ||
		    ag_pack_copy(fds[e->u.f.pack], e->u.f.off, e->size, e->hash, &v->h, -1, v->buf,
				 1 << 20, &eb)) {
			ag_base_relpath(&v->b, i, rel, sizeof rel);
			diff(v, "store", rel, eb.msg[0] ? eb.msg : "pack missing");
			bad++;
		}
	}
	for (uint32_t p = 0; fds && p < v->b.n_packs; p++)
		if (fds[p] >= 0)
			close(fds[p]);
	free(fds);
	return bad;
}

/* Verifies one root; 0 same, 1 different or unreadable. */
static int verify_root(struct ag_config *c, const struct ag_opts *o, struct ag_store *st,
		       size_t ri)
{
	struct vctx v = {o, &c->roots[ri], {0}, {0}, NULL, 0};
	char sdir[4096], idx[4200], path[PATH_MAX], rel[PATH_MAX];
	struct sw_errbuf eb;

	sw_errbuf_clear(&eb);
	ag_store_root_dir(st, v.rc->path, sdir, sizeof sdir);
	snprintf(idx, sizeof idx, "%s/baseline.idx", sdir);
	if (ag_base_load(&v.b, idx, NULL, &eb))
		return ag_err("%s", eb.msg), 1;
	if (ag_hasher_init(&v.h, v.b.algo, &eb) || !(v.buf = malloc(1 << 20))) {
		ag_base_cleanup(&v.b);
		return ag_err("%s", eb.msg), 1;
	}
	ag_base_mark_uploads(&v.b, v.rc);
	for (uint32_t i = 0; i < v.b.n; i++) {
		const struct ag_ent *e = &v.b.e[i];
		struct stat s;
		if (ag_base_path(&v.b, v.rc->path, i, path, sizeof path) < 0)
			continue;
		ag_base_relpath(&v.b, i, rel, sizeof rel);
		/* Inside a missing directory only the directory is reported. */
		if (i && e->parent != AG_NONE && lstat(path, &s) && errno == ENOENT) {
			char pp[PATH_MAX];
			if (ag_base_path(&v.b, v.rc->path, e->parent, pp, sizeof pp) >= 0 &&
			    lstat(pp, &s))
				continue;
		}
		check_one(&v, i, path, rel);
		if (e->type == AG_DIR && !(e->flags & AG_F_UPLOAD))
			extras(&v, i, path, rel);
	}
	if (o->objects)
		check_objects(&v, sdir);
	if (!o->json)
		fprintf(stderr, "%s: %u entries, %llu difference(s)\n", v.rc->path, v.b.n,
			(unsigned long long)v.diffs);
	free(v.buf);
	ag_hasher_cleanup(&v.h);
	ag_base_cleanup(&v.b);
	return v.diffs ? 1 : 0;
}

int ag_cmd_verify(struct ag_config *c, const struct ag_opts *o)
{
	struct ag_store st;
	struct sw_errbuf eb;
	int rc = 0;

	sw_errbuf_clear(&eb);
	if (ag_store_open(&st, c->store, 0, &eb))
		return ag_err("%s", eb.msg), 1;
	for (size_t i = 0; i < c->n_roots; i++)
		rc |= verify_root(c, o, &st, i);
	ag_store_close(&st);
	return rc;
}
