/*
 * upload.c - upload directories: new files are allowed there, but each
 * regular file is scanned with the webshell rules once it has been
 * written (closed, created or moved in) and quarantined on a match.
 * Symbolic links (the classic way to serve /etc/passwd from an upload
 * folder) and special files are removed.  New subdirectories are watched
 * and scanned as they come.
 */
#include "agent/guard_int.h"
#include "agent/fsutil.h"
#include "agent/glob.h"
#include "agent/yara.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DIRS 100000

/* Relative path of abs inside root ri. */
static const char *rel_of(const struct ag_guard *g, uint32_t ri, const char *abs)
{
	size_t n = strlen(g->roots[ri].rc->path);

	return abs[n] == '/' ? abs + n + 1 : abs + n;
}

/* Scans the regular file at path; quarantines it on a match. */
static void scan_file(struct ag_guard *g, uint32_t ri, const char *path, int32_t pid)
{
	const char *rel = rel_of(g, ri, path);
	char names[512];
	struct ag_qres q;
	struct ag_who who;
	struct ag_json j;
	int fd, hit;

	if (!g->yara)
		return;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return;
	hit = ag_yara_scan_fd(g->yara, fd, g->cfg->scan_max, names, sizeof names);
	close(fd);
	if (hit != 1)
		return;
	ag__who(pid, &who);
	if (ag__quarantine_move(g, ri, path, rel, "webshell", &who, &q))
		return;
	g->n_webshells++;
	ag_json_init(&j);
	ag_json_str(&j, "path", rel);
	ag_json_str(&j, "rules", names);
	ag_json_str(&j, "action", "quarantined");
	ag_json_str(&j, "quarantine", q.name);
	ag_json_str(&j, "found", q.hash);
	ag_json_int(&j, "size", q.size);
	if (who.pid > 0) {
		ag_json_int(&j, "pid", who.pid);
		ag_json_str(&j, "exe", who.exe[0] ? who.exe : NULL);
	}
	ag__emit(g, "webshell", (int)ri, &j);
	ag_json_free(&j);
}

/* Removes a symlink or special file from an upload directory. */
static void remove_odd(struct ag_guard *g, uint32_t ri, const char *path, int32_t pid,
		       const char *what)
{
	const char *rel = rel_of(g, ri, path);
	struct ag_qres q;
	struct ag_who who;

	ag__who(pid, &who);
	if (ag__quarantine_move(g, ri, path, rel, "created", &who, &q) == SW_OK) {
		g->n_removed++;
		ag__emit_tamper(g, ri, rel, "created", "removed", &q, NULL, &who, what);
	}
}

/* Watches and scans the tree below top (and top itself when watch_top). */
static void upload_tree(struct ag_guard *g, uint32_t ri, const char *top, int watch_top)
{
	char **q = malloc(MAX_DIRS * sizeof *q);
	size_t qn = 0;
	const struct ag_root_conf *rc = g->roots[ri].rc;

	if (!q || !(q[qn++] = strdup(top))) {
		free(q);
		return;
	}
	for (size_t qi = 0; qi < qn; qi++) {
		DIR *d;
		struct dirent *de;
		if (qi > 0 || watch_top)
			ag__watch_dir(g, ri, AG_NONE, q[qi], 1);
		if (!(d = opendir(q[qi])))
			continue;
		while ((de = readdir(d))) {
			char path[PATH_MAX];
			struct stat st;
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			if (snprintf(path, sizeof path, "%s/%s", q[qi], de->d_name) >=
				    (int)sizeof path ||
			    lstat(path, &st) ||
			    ag_glob_any(rc->exclude, rc->n_exclude, rel_of(g, ri, path)))
				continue;
			if (S_ISDIR(st.st_mode)) {
				if (qn < MAX_DIRS && (q[qn] = strdup(path)))
					qn++;
			} else if (S_ISREG(st.st_mode)) {
				scan_file(g, ri, path, 0);
			} else {
				remove_odd(g, ri, path, 0, S_ISLNK(st.st_mode) ? "symlink" : "special file");
			}
		}
		closedir(d);
	}
	for (size_t i = 0; i < qn; i++)
		free(q[i]);
	free(q);
}

void ag__upload_tree(struct ag_guard *g, uint32_t ri, const char *path)
{
	upload_tree(g, ri, path, 0);
}

void ag__upload_check(struct ag_guard *g, uint32_t wi, const char *name, uint32_t flags,
		      int32_t pid)
{
	struct ag_wdir *w = &g->w[wi];
	char path[PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof path, "%s/%s", w->path, name) >= (int)sizeof path ||
	    lstat(path, &st))
		return;
	if (S_ISDIR(st.st_mode)) {
		if (flags & (AG_N_CLOSED | AG_N_WRITE))
			upload_tree(g, w->root, path, 1);
	} else if (S_ISREG(st.st_mode)) {
		if (flags & AG_N_CLOSED)
			scan_file(g, w->root, path, pid);
	} else {
		remove_odd(g, w->root, path, pid, S_ISLNK(st.st_mode) ? "symlink" : "special file");
	}
}
