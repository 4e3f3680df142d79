/*
 * hashtree.c - parallel hashing and storing of a tree (hashtree.h).
 *
 * Each worker owns one pack and one read buffer and takes the next file
 * from a shared counter, so files of one directory are read together.  A
 * file that fits the buffer is read once and, when new, appended from the
 * buffer; a larger one is streamed into the pack while it is hashed and
 * cut off again when its digest turns out to be known.  The only shared
 * structure is the digest set (a mutex around an open-addressing table of
 * entry numbers), touched once per file.
 */
#include "agent/hashtree.h"
#include "agent/fsutil.h"
#include "agent/pack.h"
#include "agent/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BUFSZ (1u << 20)
#define OLD_BIT 0x80000000u

struct dset {
	uint32_t *slot; /* entry index + 1 (OLD_BIT for the old baseline), 0 empty */
	size_t mask;
	pthread_mutex_t mu;
};

struct shared {
	struct ag_hash_job *j;
	uint32_t *files; /* indices of AG_REG entries */
	uint32_t n_files;
	atomic_uint next;
	atomic_ullong done, done_bytes;
	struct dset set;
	char first_err[512];
	atomic_int failed;
	pthread_mutex_t err_mu;
};

struct worker {
	struct shared *sh;
	int no;
	uint32_t pack_id;
	struct ag_pack_writer w;
	uint64_t stored, reused, bytes_stored;
	char name[64];
};

/* Records the first worker failure: what happened to path, and errno err
 * (0: none). */
static void fail(struct shared *sh, const char *what, const char *path, int err)
{
	pthread_mutex_lock(&sh->err_mu);
	if (!sh->failed) {
		snprintf(sh->first_err, sizeof sh->first_err, "%s%s%s%s%s", what, *path ? " " : "",
			 path, err ? ": " : "", err ? strerror(err) : "");
		sh->failed = 1;
	}
	pthread_mutex_unlock(&sh->err_mu);
}

/* The entry behind a set value. */
static const struct ag_ent *set_ent(const struct shared *sh, uint32_t v)
{
	v--;
	return (v & OLD_BIT) ? &sh->j->old->e[v & ~OLD_BIT] : &sh->j->b->e[v];
}

/*
 * Looks up hash; when found returns the entry holding it, else inserts val
 * (which the caller has already given its pack and offset) and returns
 * NULL.  Caller holds the mutex.
 */
static const struct ag_ent *set_find_or_add(struct shared *sh, const uint8_t *hash,
					    uint32_t val)
{
	uint64_t k;
	size_t i;

	memcpy(&k, hash, sizeof k);
	for (i = k & sh->set.mask;; i = (i + 1) & sh->set.mask) {
		uint32_t v = sh->set.slot[i];
		if (!v) {
			sh->set.slot[i] = val + 1;
			return NULL;
		}
		if (!memcmp(set_ent(sh, v)->hash, hash, AG_HASH_LEN))
			return set_ent(sh, v);
	}
}

/* Streams a file larger than the buffer into the pack while hashing it. */
static int hash_big(struct worker *wk, struct ag_hasher *h, int fd, uint8_t *buf,
		    struct ag_ent *e, uint32_t idx)
{
	uint64_t rec;
	int64_t off = 0;
	ssize_t n;
	const struct ag_ent *known;

	ag_pack_begin(&wk->w, &rec);
	ag_hasher_begin(h);
	while ((n = pread(fd, buf, BUFSZ, off)) > 0) {
		ag_hasher_update(h, buf, (size_t)n);
		if (ag_pack_write(&wk->w, buf, (size_t)n))
			return -1;
		off += n;
	}
	if (n < 0)
		return -1;
	ag_hasher_end(h, e->hash);
	e->size = off;
	e->u.f.pack = wk->pack_id;
	e->u.f.off = rec;
	pthread_mutex_lock(&wk->sh->set.mu);
	known = set_find_or_add(wk->sh, e->hash, idx);
	if (known) {
		e->u.f.pack = known->u.f.pack;
		e->u.f.off = known->u.f.off;
	}
	pthread_mutex_unlock(&wk->sh->set.mu);
	if (known) {
		ag_pack_abort(&wk->w);
		wk->reused++;
		return 0;
	}
	wk->stored++;
	wk->bytes_stored += (uint64_t)off;
	return ag_pack_end(&wk->w, e->hash) ? -1 : 0;
}

/* Hashes and stores one file. */
static int hash_one(struct worker *wk, struct ag_hasher *h, uint8_t *buf, uint32_t idx)
{
	struct ag_hash_job *j = wk->sh->j;
	struct ag_ent *e = &j->b->e[idx];
	char path[8192];
	struct stat st;
	const struct ag_ent *known;
	int fd, rc = 0;

	if (ag_base_path(j->b, j->top, idx, path, sizeof path) < 0)
		return fail(wk->sh, "path too long under", j->top, 0), -1;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		fail(wk->sh, "file changed while init read it (run again or exclude it):", path,
		     fd < 0 ? errno : 0);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	ag_ent_from_stat(e, &st);
	if (st.st_size >= BUFSZ) {
		rc = hash_big(wk, h, fd, buf, e, idx);
	} else if (ag_hash_fd(h, fd, buf, BUFSZ, e->hash, &e->size) == SW_OK) {
		e->u.f.pack = wk->pack_id;
		e->u.f.off = wk->w.off;
		pthread_mutex_lock(&wk->sh->set.mu);
		known = set_find_or_add(wk->sh, e->hash, idx);
		if (known) {
			e->u.f.pack = known->u.f.pack;
			e->u.f.off = known->u.f.off;
		}
		pthread_mutex_unlock(&wk->sh->set.mu);
		if (known) {
			wk->reused++;
		} else if (e->size > BUFSZ) {
			rc = -1; /* grew past the buffer while read: read it again */
		} else {
			uint64_t off;
			rc = ag_pack_put(&wk->w, e->hash, buf, e->size, &off) ? -1 : 0;
			wk->stored++;
			wk->bytes_stored += (uint64_t)e->size;
		}
	} else {
		rc = -1;
	}
	if (rc)
		fail(wk->sh, "cannot read or store", path, errno);
	atomic_fetch_add(&wk->sh->done_bytes, (unsigned long long)e->size);
	close(fd);
	return rc;
}

/* Worker thread body. */
static void *worker_main(void *arg)
{
	struct worker *wk = arg;
	struct ag_hasher h;
	uint8_t *buf = malloc(BUFSZ);

	if (!buf || ag_hasher_init(&h, wk->sh->j->b->algo, NULL)) {
		free(buf);
		fail(wk->sh, "out of memory", "", 0);
		return NULL;
	}
	while (!wk->sh->failed) {
		unsigned i = atomic_fetch_add(&wk->sh->next, 1);
		if (i >= wk->sh->n_files)
			break;
		if (hash_one(wk, &h, buf, wk->sh->files[i]))
			break;
		atomic_fetch_add(&wk->sh->done, 1);
	}
	ag_hasher_cleanup(&h);
	free(buf);
	return NULL;
}

/* Prints the progress line (on a terminal) until the workers are done. */
static void show_progress(struct shared *sh, int tty)
{
	int64_t start = ag_mono_ns();

	while (tty) {
		unsigned long long d = atomic_load(&sh->done);
		double s = (double)(ag_mono_ns() - start) / 1e9;
		struct timespec ts = {0, 100000000};
		fprintf(stderr, "\r  hashing %llu/%u files, %.1f MB, %.1f s   ", d, sh->n_files,
			(double)atomic_load(&sh->done_bytes) / 1e6, s);
		if (d >= sh->n_files || sh->failed)
			break;
		nanosleep(&ts, NULL);
	}
	if (tty)
		fputc('\n', stderr);
}

/* Lists the regular files and sizes the digest set. */
static enum sw_err prepare(struct shared *sh, struct ag_hash_job *j)
{
	size_t want, cap = 1024;

	sh->files = malloc(((size_t)j->b->n + 1) * sizeof *sh->files);
	if (!sh->files)
		return SW_ENOMEM;
	for (uint32_t i = 0; i < j->b->n; i++)
		if (j->b->e[i].type == AG_REG)
			sh->files[sh->n_files++] = i;
	want = 2 * ((size_t)sh->n_files + (j->old ? j->old->n : 0)) + 16;
	while (cap < want)
		cap *= 2;
	if (!(sh->set.slot = calloc(cap, sizeof *sh->set.slot)))
		return SW_ENOMEM;
	sh->set.mask = cap - 1;
	pthread_mutex_init(&sh->set.mu, NULL);
	pthread_mutex_init(&sh->err_mu, NULL);
	if (j->old) {
		/* The old packs keep their numbers in the new baseline. */
		for (uint32_t p = 0; p < j->old->n_packs; p++) {
			uint32_t id;
			if (ag_base_add_pack(j->b, j->old->packs[p], &id))
				return SW_ENOMEM;
		}
		for (uint32_t i = 0; i < j->old->n; i++)
			if (j->old->e[i].type == AG_REG)
				set_find_or_add(sh, j->old->e[i].hash, i | OLD_BIT);
	}
	return SW_OK;
}

/* Drops packs no entry uses from b->packs, renumbering the entries. */
static enum sw_err prune_packs(struct ag_base *b)
{
	uint32_t *map = calloc(b->n_packs + 1, sizeof *map), k = 0;

	if (!map)
		return SW_ENOMEM;
	for (uint32_t i = 0; i < b->n; i++)
		if (b->e[i].type == AG_REG)
			map[b->e[i].u.f.pack] = 1;
	for (uint32_t p = 0; p < b->n_packs; p++) {
		if (map[p]) {
			b->packs[k] = b->packs[p];
			map[p] = k++;
		} else {
			free(b->packs[p]);
		}
	}
	b->n_packs = k;
	for (uint32_t i = 0; i < b->n; i++)
		if (b->e[i].type == AG_REG)
			b->e[i].u.f.pack = map[b->e[i].u.f.pack];
	free(map);
	return SW_OK;
}

/* Opens one pack per worker. */
static enum sw_err open_packs(struct ag_hash_job *j, struct worker *wk, int n,
			      struct shared *sh, struct sw_errbuf *eb)
{
	static atomic_uint seq;
	enum sw_err rc;

	for (int i = 0; i < n; i++) {
		wk[i].sh = sh;
		wk[i].no = i;
		wk[i].w.fd = -1;
		snprintf(wk[i].name, sizeof wk[i].name, "%lld-%ld-%u.pack", (long long)time(NULL),
			 (long)getpid(), atomic_fetch_add(&seq, 1));
		if ((rc = ag_pack_create(&wk[i].w, j->pack_dir, wk[i].name, j->b->algo, eb)))
			return rc;
		if ((rc = ag_base_add_pack(j->b, wk[i].name, &wk[i].pack_id)))
			return rc;
	}
	return SW_OK;
}

/* Closes the workers' packs; removes them all when failed, else the empty
 * ones (prune_packs drops those from the list). */
static enum sw_err close_packs(struct ag_hash_job *j, struct worker *wk, int n, int failed,
			       struct sw_errbuf *eb)
{
	enum sw_err rc = SW_OK;
	char path[4200];

	for (int i = 0; i < n; i++) {
		if (wk[i].w.fd < 0 && !wk[i].name[0])
			continue;
		if (ag_pack_close(&wk[i].w, eb))
			rc = SW_EIO;
		snprintf(path, sizeof path, "%s/%s", j->pack_dir, wk[i].name);
		if (failed || rc || wk[i].w.off == 0)
			unlink(path);
		j->stored += wk[i].stored;
		j->reused += wk[i].reused;
		j->bytes_stored += wk[i].bytes_stored;
	}
	if (!failed && rc == SW_OK)
		ag_fsync_parent(path);
	return rc;
}

enum sw_err ag_hash_tree(struct ag_hash_job *j, struct sw_errbuf *eb)
{
	struct shared sh;
	struct worker *wk = NULL;
	pthread_t *t = NULL;
	int n = j->threads > 0 ? j->threads : (int)sysconf(_SC_NPROCESSORS_ONLN), started = 0;
	enum sw_err rc;

	memset(&sh, 0, sizeof sh);
	sh.j = j;
	if (n < 1)
		n = 1;
	if ((rc = prepare(&sh, j)))
		goto out;
	if ((size_t)n > sh.n_files / 64 + 1)
		n = (int)(sh.n_files / 64 + 1); /* no empty packs for tiny trees */
	wk = calloc((size_t)n, sizeof *wk);
	t = calloc((size_t)n, sizeof *t);
	if (!wk || !t) {
		rc = SW_ENOMEM;
		goto out;
	}
	if ((rc = open_packs(j, wk, n, &sh, eb)))
		goto close;
	for (; started < n; started++)
		if (pthread_create(&t[started], NULL, worker_main, &wk[started]))
			break;
	if (started == 0) {
		rc = sw_errf(eb, SW_ENOMEM, "cannot start hashing threads");
		goto close;
	}
	show_progress(&sh, j->progress);
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	if (sh.failed)
		rc = sw_errf(eb, SW_EIO, "%s", sh.first_err);
close:
	if (close_packs(j, wk, n, rc != SW_OK, eb) && rc == SW_OK)
		rc = SW_EIO;
	if (rc == SW_OK)
		rc = prune_packs(j->b);
out:
	free(sh.files);
	free(sh.set.slot);
	free(wk);
	free(t);
	return rc;
}

void ag_packs_gc(const char *pack_dir, const struct ag_base *b)
{
	DIR *d = opendir(pack_dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		int used = 0;
		size_t n = strlen(de->d_name);
		if (n < 5 || strcmp(de->d_name + n - 5, ".pack"))
			continue;
		for (uint32_t p = 0; p < b->n_packs && !used; p++)
			used = !strcmp(b->packs[p], de->d_name);
		if (!used)
			unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}
