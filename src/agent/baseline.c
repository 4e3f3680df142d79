/*
 * baseline.c - the in-memory baseline and its index file (baseline.h).
 *
 * Index file layout (host byte order: the index never leaves its host):
 *   header   magic "SWAGIDX1", version, algo, created, entry count, pack
 *            count, arena length, root path length
 *   root path, pack names (u16 length + bytes each), arena, entries
 *   trailer  SHA-256 of everything before it
 * Entries are written as the in-memory struct, so loading is one read into
 * the final array: a million entries load without a second copy.
 */
#include "agent/baseline.h"
#include "agent/config.h"
#include "agent/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAGIC "SWAGIDX1"
#define VERSION 1
#define MAX_ENTRIES (UINT32_C(1) << 30)

struct hdr {
	char magic[8];
	uint32_t version, algo;
	int64_t created;
	uint32_t n, n_packs;
	uint64_t alen;
	uint32_t root_len, pad;
};

void ag_base_init(struct ag_base *b, int algo)
{
	memset(b, 0, sizeof *b);
	b->algo = algo;
}

void ag_base_cleanup(struct ag_base *b)
{
	free(b->e);
	free(b->arena);
	for (uint32_t i = 0; i < b->n_packs; i++)
		free(b->packs[i]);
	free(b->packs);
	memset(b, 0, sizeof *b);
}

/* Copies len bytes and a NUL into the arena; *off gets their offset. */
static enum sw_err arena_put(struct ag_base *b, const char *s, size_t len, uint32_t *off)
{
	if (b->alen + len + 1 > UINT32_MAX)
		return SW_ELIMIT;
	if (b->alen + len + 1 > b->acap) {
		size_t cap = b->acap ? b->acap * 2 : 65536;
		char *a;
		while (cap < b->alen + len + 1)
			cap *= 2;
		if (!(a = realloc(b->arena, cap)))
			return SW_ENOMEM;
		b->arena = a;
		b->acap = cap;
	}
	memcpy(b->arena + b->alen, s, len);
	b->arena[b->alen + len] = '\0';
	*off = (uint32_t)b->alen;
	b->alen += len + 1;
	return SW_OK;
}

enum sw_err ag_base_add(struct ag_base *b, uint32_t parent, const char *name, size_t len,
			uint32_t *idx)
{
	struct ag_ent *e;
	enum sw_err rc;
	uint32_t off;

	if (len > UINT16_MAX || b->n >= MAX_ENTRIES)
		return SW_ELIMIT;
	if (b->n == b->cap) {
		uint32_t cap = b->cap ? b->cap * 2 : 1024;
		if (!(e = realloc(b->e, (size_t)cap * sizeof *e)))
			return SW_ENOMEM;
		b->e = e;
		b->cap = cap;
	}
	if ((rc = arena_put(b, name, len, &off)))
		return rc;
	e = &b->e[b->n];
	memset(e, 0, sizeof *e);
	e->parent = parent;
	e->name = off;
	e->name_len = (uint16_t)len;
	*idx = b->n++;
	return SW_OK;
}

enum sw_err ag_base_set_target(struct ag_base *b, uint32_t i, const char *t, size_t len)
{
	uint32_t off;
	enum sw_err rc = arena_put(b, t, len, &off);

	if (rc == SW_OK) {
		b->e[i].u.l.target = off;
		b->e[i].u.l.len = (uint32_t)len;
	}
	return rc;
}

enum sw_err ag_base_add_pack(struct ag_base *b, const char *name, uint32_t *id)
{
	char **p = realloc(b->packs, (b->n_packs + 1) * sizeof *p);

	if (!p)
		return SW_ENOMEM;
	b->packs = p;
	if (!(p[b->n_packs] = strdup(name)))
		return SW_ENOMEM;
	*id = b->n_packs++;
	return SW_OK;
}

/* Compares a name with an entry's name the way children are sorted. */
static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c ? c : (alen > blen) - (alen < blen);
}

uint32_t ag_base_child(const struct ag_base *b, uint32_t dir, const char *name, size_t len)
{
	const struct ag_ent *d;
	uint32_t lo, hi;

	if (dir >= b->n || b->e[dir].type != AG_DIR)
		return AG_NONE;
	d = &b->e[dir];
	lo = d->u.d.first;
	hi = d->u.d.first + d->u.d.n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct ag_ent *m = &b->e[mid];
		int c = name_cmp(name, len, b->arena + m->name, m->name_len);
		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return AG_NONE;
}

uint32_t ag_base_lookup(const struct ag_base *b, const char *rel)
{
	uint32_t cur = 0;

	if (b->n == 0)
		return AG_NONE;
	while (*rel) {
		const char *e = strchr(rel, '/');
		size_t len = e ? (size_t)(e - rel) : strlen(rel);
		if (len) {
			cur = ag_base_child(b, cur, rel, len);
			if (cur == AG_NONE)
				return AG_NONE;
		}
		rel += len;
		if (*rel == '/')
			rel++;
	}
	return cur;
}

int ag_base_relpath(const struct ag_base *b, uint32_t i, char *buf, size_t n)
{
	size_t pos = n - 1, len;
	uint32_t depth = 0;

	if (n == 0)
		return -1;
	buf[pos] = '\0';
	/* Build backwards from the leaf; depth is bounded by the entry count
	 * since every parent index is smaller than its child's. */
	while (i != 0 && i < b->n && depth++ < b->n) {
		const struct ag_ent *e = &b->e[i];
		if (pos < (size_t)e->name_len + 1)
			return -1;
		pos -= e->name_len;
		memcpy(buf + pos, b->arena + e->name, e->name_len);
		if (e->parent != 0)
			buf[--pos] = '/';
		i = e->parent;
	}
	len = n - 1 - pos;
	memmove(buf, buf + pos, len + 1);
	return (int)len;
}

int ag_base_path(const struct ag_base *b, const char *root, uint32_t i, char *buf, size_t n)
{
	size_t rl = strlen(root);
	int len;

	if (rl + 2 >= n)
		return -1;
	memcpy(buf, root, rl);
	buf[rl] = '/';
	len = ag_base_relpath(b, i, buf + rl + 1, n - rl - 1);
	if (len < 0)
		return -1;
	if (len == 0) {
		buf[rl] = '\0';
		return (int)rl;
	}
	return (int)rl + 1 + len;
}

enum sw_err ag_base_check(const struct ag_base *b, struct sw_errbuf *eb)
{
	if (b->n == 0 || b->e[0].type != AG_DIR || b->e[0].parent != AG_NONE)
		return sw_errf(eb, SW_EIO, "corrupt baseline: no root directory entry");
	for (uint32_t i = 0; i < b->n; i++) {
		const struct ag_ent *e = &b->e[i];
		if ((uint64_t)e->name + e->name_len >= b->alen ||
		    (i && (e->parent >= i || b->e[e->parent].type != AG_DIR)))
			return sw_errf(eb, SW_EIO, "corrupt baseline: entry %u", i);
		if (e->type == AG_DIR) {
			uint64_t end = (uint64_t)e->u.d.first + e->u.d.n;
			if (e->u.d.n && (e->u.d.first <= i || end > b->n))
				return sw_errf(eb, SW_EIO, "corrupt baseline: children of %u", i);
			for (uint32_t c = e->u.d.first; e->u.d.n && c < end; c++) {
				const struct ag_ent *k = &b->e[c], *p = &b->e[c - 1];
				if (k->parent != i ||
				    (c > e->u.d.first &&
				     name_cmp(b->arena + p->name, p->name_len, b->arena + k->name,
					      k->name_len) >= 0))
					return sw_errf(eb, SW_EIO, "corrupt baseline: order under %u", i);
			}
		} else if (e->type == AG_REG) {
			if (e->u.f.pack >= b->n_packs || e->size < 0)
				return sw_errf(eb, SW_EIO, "corrupt baseline: object of %u", i);
		} else if (e->type == AG_LNK) {
			if ((uint64_t)e->u.l.target + e->u.l.len >= b->alen)
				return sw_errf(eb, SW_EIO, "corrupt baseline: link %u", i);
		} else {
			return sw_errf(eb, SW_EIO, "corrupt baseline: type of %u", i);
		}
	}
	return SW_OK;
}

/* Writes n bytes to f and into the running digest. */
static int put(FILE *f, struct ag_hasher *h, const void *p, size_t n)
{
	ag_hasher_update(h, p, n);
	return fwrite(p, 1, n, f) == n ? 0 : -1;
}

enum sw_err ag_base_save(const struct ag_base *b, const char *root, const char *path,
			 struct sw_errbuf *eb)
{
	char tmp[4096];
	struct hdr h = {0};
	struct ag_hasher hs;
	uint8_t dig[AG_HASH_LEN];
	FILE *f;
	int bad = 0, fd;
	enum sw_err rc;

	if ((rc = ag_hasher_init(&hs, AG_SHA256, eb)))
		return rc;
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !(f = fdopen(fd, "wb"))) {
		if (fd >= 0)
			close(fd);
		ag_hasher_cleanup(&hs);
		return sw_errf(eb, SW_EIO, "cannot write %s: %s", tmp, strerror(errno));
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	memcpy(h.magic, MAGIC, 8);
	h.version = VERSION;
	h.algo = (uint32_t)b->algo;
	h.created = b->created;
	h.n = b->n;
	h.n_packs = b->n_packs;
	h.alen = b->alen;
	h.root_len = (uint32_t)strlen(root);
	ag_hasher_begin(&hs);
	bad |= put(f, &hs, &h, sizeof h);
	bad |= put(f, &hs, root, h.root_len);
	for (uint32_t i = 0; i < b->n_packs; i++) {
		uint16_t l = (uint16_t)strlen(b->packs[i]);
		bad |= put(f, &hs, &l, sizeof l);
		bad |= put(f, &hs, b->packs[i], l);
	}
	bad |= put(f, &hs, b->arena, b->alen);
	bad |= put(f, &hs, b->e, (size_t)b->n * sizeof *b->e);
	ag_hasher_end(&hs, dig);
	ag_hasher_cleanup(&hs);
	bad |= fwrite(dig, 1, sizeof dig, f) != sizeof dig;
	bad |= fflush(f) != 0;
	bad |= fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path)) {
		unlink(tmp);
		return sw_errf(eb, SW_EIO, "cannot write baseline %s: %s", path, strerror(errno));
	}
	ag_fsync_parent(path);
	return SW_OK;
}

/* Reads exactly n bytes into p and the digest; -1 on a short file. */
static int get(FILE *f, struct ag_hasher *h, void *p, size_t n)
{
	if (fread(p, 1, n, f) != n)
		return -1;
	ag_hasher_update(h, p, n);
	return 0;
}

/* Reads the pack names of the header. */
static int get_packs(FILE *f, struct ag_hasher *hs, struct ag_base *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint16_t l;
		char name[65536];
		uint32_t id;
		if (get(f, hs, &l, sizeof l) || get(f, hs, name, l))
			return -1;
		name[l] = '\0';
		if (strchr(name, '/') || ag_base_add_pack(b, name, &id))
			return -1;
	}
	return 0;
}

enum sw_err ag_base_load(struct ag_base *b, const char *path, char **root_out,
			 struct sw_errbuf *eb)
{
	FILE *f = fopen(path, "rb");
	struct hdr h;
	struct ag_hasher hs;
	uint8_t dig[AG_HASH_LEN], want[AG_HASH_LEN];
	char *root = NULL;
	enum sw_err rc = SW_EIO;
	long fsize;

	if (!f)
		return sw_errf(eb, errno == ENOENT ? SW_ENOTFOUND : SW_EIO,
			       "cannot read baseline %s: %s", path, strerror(errno));
	if (ag_hasher_init(&hs, AG_SHA256, eb)) {
		fclose(f);
		return SW_EINVAL;
	}
	ag_hasher_begin(&hs);
	fseek(f, 0, SEEK_END);
	fsize = ftell(f);
	rewind(f);
	ag_base_init(b, 0);
	if (get(f, &hs, &h, sizeof h) || memcmp(h.magic, MAGIC, 8) || h.version != VERSION ||
	    h.n == 0 || h.n > MAX_ENTRIES || h.alen > (uint64_t)fsize || h.root_len >= 4096 ||
	    (uint64_t)h.n * sizeof(struct ag_ent) > (uint64_t)fsize || h.n_packs > 1000000)
		goto bad;
	b->algo = (int)h.algo;
	b->created = h.created;
	if (!(root = calloc(1, h.root_len + 1)) || get(f, &hs, root, h.root_len) ||
	    get_packs(f, &hs, b, h.n_packs))
		goto bad;
	b->arena = malloc(h.alen ? h.alen : 1);
	b->e = malloc((size_t)h.n * sizeof *b->e);
	if (!b->arena || !b->e) {
		rc = SW_ENOMEM;
		goto out;
	}
	b->alen = b->acap = h.alen;
	b->n = b->cap = h.n;
	if (get(f, &hs, b->arena, h.alen) || get(f, &hs, b->e, (size_t)h.n * sizeof *b->e) ||
	    fread(want, 1, sizeof want, f) != sizeof want || fgetc(f) != EOF)
		goto bad;
	ag_hasher_end(&hs, dig);
	if (memcmp(dig, want, sizeof dig))
		goto bad;
	if ((rc = ag_base_check(b, eb)))
		goto out;
	for (uint32_t i = 0; i < b->n; i++) {
		b->e[i].flags = 0;
		if (b->e[i].type == AG_DIR)
			b->e[i].u.d.wdir = AG_NONE;
	}
	if (root_out) {
		*root_out = root;
		root = NULL;
	}
	rc = SW_OK;
	goto out;
bad:
	rc = sw_errf(eb, SW_EIO, "corrupt baseline %s (digest or structure mismatch); "
				 "run init again", path);
out:
	if (rc)
		ag_base_cleanup(b);
	free(root);
	ag_hasher_cleanup(&hs);
	fclose(f);
	return rc;
}

void ag_base_counts(const struct ag_base *b, uint64_t *files, uint64_t *dirs,
		    uint64_t *links, uint64_t *bytes)
{
	*files = *dirs = *links = *bytes = 0;
	for (uint32_t i = 0; i < b->n; i++) {
		if (b->e[i].type == AG_REG) {
			(*files)++;
			*bytes += (uint64_t)b->e[i].size;
		} else if (b->e[i].type == AG_DIR) {
			(*dirs)++;
		} else {
			(*links)++;
		}
	}
}
