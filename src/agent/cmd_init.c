/*
 * cmd_init.c - `sitewarden-agent init`: the baseline and backup of every
 * root (walk, parallel hashing into packs, index committed last).
 */
#include "agent/cmd.h"
#include "agent/fsutil.h"
#include "agent/hashtree.h"
#include "agent/json.h"
#include "agent/spool.h"
#include "agent/store.h"
#include "agent/walk.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Progress of the walk on a terminal. */
static void walk_progress(const struct ag_walk_stats *ws, void *arg)
{
	(void)arg;
	fprintf(stderr, "\r  scanning: %llu files, %llu directories   ",
		(unsigned long long)ws->files, (unsigned long long)ws->dirs);
}

/* Builds the baseline of one root; 0 on success. */
static int init_root(struct ag_config *c, const struct ag_opts *o, struct ag_store *st,
		     struct ag_spool *sp, size_t i)
{
	struct ag_root_conf *rc = &c->roots[i];
	char dir[4096], packs[4200], idx[4200];
	struct ag_base b;
	struct ag_walk_stats ws;
	struct ag_hash_job j;
	struct sw_errbuf eb;
	int64_t t0 = ag_mono_ns();
	int tty = o->progress < 0 ? isatty(2) : o->progress;

	sw_errbuf_clear(&eb);
	ag_store_root_dir(st, rc->path, dir, sizeof dir);
	snprintf(packs, sizeof packs, "%s/packs", dir);
	snprintf(idx, sizeof idx, "%s/baseline.idx", dir);
	if (!o->force && access(idx, F_OK) == 0) {
		ag_err("%s already has a baseline; `init --force` replaces it (and accepts every "
		       "change since), `publish` is the way to deploy", rc->path);
		return 1;
	}
	if (ag_store_root_prepare(st, rc->path, &eb))
		return ag_err("%s", eb.msg), 1;
	ag_base_init(&b, c->algo);
	if (tty)
		fprintf(stderr, "%s\n", rc->path);
	if (ag_walk(rc->path, rc, &b, &ws, tty ? walk_progress : NULL, NULL, &eb)) {
		ag_base_cleanup(&b);
		return ag_err("%s", eb.msg), 1;
	}
	if (tty)
		walk_progress(&ws, NULL), fputc('\n', stderr);
	memset(&j, 0, sizeof j);
	j.top = rc->path;
	j.b = &b;
	j.pack_dir = packs;
	j.threads = c->threads;
	j.progress = tty;
	b.created = time(NULL);
	if (ag_hash_tree(&j, &eb) || ag_base_save(&b, rc->path, idx, &eb)) {
		ag_base_cleanup(&b);
		return ag_err("%s", eb.msg), 1;
	}
	ag_packs_gc(packs, &b);
	printf("%s: %llu files, %llu directories, %llu links, %.1f MB; %llu objects stored "
	       "(%.1f MB), %llu duplicates; %s; %.2f s\n",
	       rc->path, (unsigned long long)ws.files, (unsigned long long)ws.dirs - 0,
	       (unsigned long long)ws.links, (double)ws.bytes / 1e6,
	       (unsigned long long)j.stored, (double)j.bytes_stored / 1e6,
	       (unsigned long long)j.reused, ag_algo_name(c->algo),
	       (double)(ag_mono_ns() - t0) / 1e9);
	if (ws.skipped)
		printf("%s: %llu special files (fifos, sockets, devices) left out; the guard will "
		       "remove them\n", rc->path, (unsigned long long)ws.skipped);
	{
		struct ag_json ev;
		ag_json_init(&ev);
		ag_json_str(&ev, "kind", "baseline");
		ag_json_str(&ev, "root", rc->path);
		ag_json_int(&ev, "files", (int64_t)ws.files);
		ag_json_int(&ev, "dirs", (int64_t)ws.dirs);
		ag_json_int(&ev, "bytes", (int64_t)ws.bytes);
		ag_json_str(&ev, "algo", ag_algo_name(c->algo));
		ag_spool_emit(sp, &ev);
		ag_json_free(&ev);
	}
	ag_base_cleanup(&b);
	return 0;
}

int ag_cmd_init(struct ag_config *c, const struct ag_opts *o)
{
	struct ag_store st;
	struct ag_spool sp;
	struct sw_errbuf eb;
	int rc = 0;

	sw_errbuf_clear(&eb);
	if (ag_store_open(&st, c->store, 1, &eb) || ag_store_lock(&st, &eb))
		return ag_err("%s", eb.msg), 1;
	if (ag_spool_open(&sp, st.dir, c->id, 0, &eb)) {
		ag_store_close(&st);
		return ag_err("%s", eb.msg), 1;
	}
	for (size_t i = 0; i < c->n_roots && rc == 0; i++)
		rc = init_root(c, o, &st, &sp, i);
	ag_spool_close(&sp);
	ag_store_close(&st);
	return rc;
}
