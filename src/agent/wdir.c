/*
 * wdir.c - the guard's table of watched directories and the map from a
 * watcher's key (inotify watch descriptor, or fanotify file handle) to a
 * table slot.
 *
 * A directory that is deleted or replaced keeps its slot until the end of
 * the batch that noticed it ("dead"), because notices of the same batch
 * still name it; ag_wdir_reap() then recycles the slots.
 */
#include "agent/guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#define DELETED UINT32_MAX

/* Mixes a key for the table position. */
static size_t slot_of(uint64_t k, size_t mask)
{
	k ^= k >> 33;
	k *= UINT64_C(0xff51afd7ed558ccd);
	k ^= k >> 33;
	return (size_t)k & mask;
}

uint32_t ag_map_get(const struct ag_map *m, uint64_t key)
{
	if (!m->keys)
		return AG_NONE;
	for (size_t i = slot_of(key, m->mask), n = 0; n <= m->mask; i = (i + 1) & m->mask, n++) {
		if (m->vals[i] == 0)
			return AG_NONE;
		if (m->vals[i] != DELETED && m->keys[i] == key)
			return m->vals[i] - 1;
	}
	return AG_NONE;
}

/* Rebuilds the table at a new capacity (drops tombstones). */
static enum sw_err map_grow(struct ag_map *m, size_t cap)
{
	struct ag_map n = {0};

	n.keys = calloc(cap, sizeof *n.keys);
	n.vals = calloc(cap, sizeof *n.vals);
	if (!n.keys || !n.vals) {
		free(n.keys);
		free(n.vals);
		return SW_ENOMEM;
	}
	n.mask = cap - 1;
	for (size_t i = 0; m->keys && i <= m->mask; i++) {
		if (m->vals[i] && m->vals[i] != DELETED) {
			size_t j = slot_of(m->keys[i], n.mask);
			while (n.vals[j])
				j = (j + 1) & n.mask;
			n.keys[j] = m->keys[i];
			n.vals[j] = m->vals[i];
			n.used++;
		}
	}
	free(m->keys);
	free(m->vals);
	*m = n;
	return SW_OK;
}

enum sw_err ag_map_put(struct ag_map *m, uint64_t key, uint32_t val)
{
	size_t i;

	if (!m->keys || (m->used + 1) * 2 > m->mask + 1) {
		size_t cap = m->keys ? (m->mask + 1) * 2 : 1024;
		if (map_grow(m, cap))
			return SW_ENOMEM;
	}
	for (i = slot_of(key, m->mask);; i = (i + 1) & m->mask) {
		if (m->vals[i] == 0 || m->vals[i] == DELETED || m->keys[i] == key)
			break;
	}
	if (m->vals[i] == 0)
		m->used++;
	m->keys[i] = key;
	m->vals[i] = val + 1;
	return SW_OK;
}

void ag_map_del(struct ag_map *m, uint64_t key)
{
	if (!m->keys)
		return;
	for (size_t i = slot_of(key, m->mask), n = 0; n <= m->mask; i = (i + 1) & m->mask, n++) {
		if (m->vals[i] == 0)
			return;
		if (m->vals[i] != DELETED && m->keys[i] == key) {
			m->vals[i] = DELETED;
			return;
		}
	}
}

void ag_map_free(struct ag_map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

enum sw_err ag_wdir_new(struct ag_guard *g, const char *path, uint32_t root, uint32_t ent,
			int upload, uint32_t *idx)
{
	struct ag_wdir *w;
	uint32_t i;

	if (g->n_free_w) {
		i = g->free_w[--g->n_free_w];
	} else {
		if (g->n_w == g->cap_w) {
			uint32_t cap = g->cap_w ? g->cap_w * 2 : 256;
			struct ag_wdir *nw = realloc(g->w, cap * sizeof *nw);
			if (!nw)
				return SW_ENOMEM;
			g->w = nw;
			g->cap_w = cap;
		}
		i = g->n_w++;
	}
	w = &g->w[i];
	memset(w, 0, sizeof *w);
	w->wd = -1;
	if (!(w->path = strdup(path)))
		return SW_ENOMEM; /* the slot stays unused; reaping skips it */
	w->root = root;
	w->ent = ent;
	w->upload = (uint8_t)upload;
	*idx = i;
	return SW_OK;
}

void ag_wdir_kill(struct ag_guard *g, uint32_t i)
{
	struct ag_wdir *w = &g->w[i];

	if (!w->path || w->dead)
		return;
	w->dead = 1;
	/* The kernel watch goes only with the slot that owns the key: a
	 * directory watched anew under another slot keeps its watch. */
	if (ag_map_get(&g->map, w->key) == i) {
		if (g->ops)
			g->ops->remove(g, i);
		ag_map_del(&g->map, w->key);
	}
	if (w->ent != AG_NONE && w->root < g->n_roots) {
		struct ag_base *b = &g->roots[w->root].b;
		if (w->ent < b->n && b->e[w->ent].type == AG_DIR && b->e[w->ent].u.d.wdir == i)
			b->e[w->ent].u.d.wdir = AG_NONE;
	}
}

void ag_wdir_reap(struct ag_guard *g)
{
	for (uint32_t i = 0; i < g->n_w; i++) {
		struct ag_wdir *w = &g->w[i];
		if (!w->path || !w->dead)
			continue;
		if (g->n_free_w == g->cap_free_w) {
			uint32_t cap = g->cap_free_w ? g->cap_free_w * 2 : 64;
			uint32_t *f = realloc(g->free_w, cap * sizeof *f);
			if (!f)
				return;
			g->free_w = f;
			g->cap_free_w = cap;
		}
		free(w->path);
		w->path = NULL;
		g->free_w[g->n_free_w++] = i;
	}
}

int ag_wdir_rel(const struct ag_guard *g, uint32_t i, const char *name, char *buf, size_t n)
{
	const struct ag_wdir *w = &g->w[i];
	const char *root = g->roots[w->root].rc->path;
	size_t rl = strlen(root);
	const char *rel = w->path + rl;
	int len;

	while (*rel == '/')
		rel++;
	if (name && *name)
		len = snprintf(buf, n, "%s%s%s", rel, *rel ? "/" : "", name);
	else
		len = snprintf(buf, n, "%s", rel);
	return len < 0 || (size_t)len >= n ? -1 : len;
}

/* The null watcher of offline commands: directories get a key so the
 * table works, and nothing is watched. */
static enum sw_err none_open(struct ag_guard *g, struct sw_errbuf *eb)
{
	(void)g;
	(void)eb;
	return SW_OK;
}

static int none_add(struct ag_guard *g, uint32_t i)
{
	static uint64_t next = 1;
	struct stat st;

	if (lstat(g->w[i].path, &st) || !S_ISDIR(st.st_mode))
		return -1;
	g->w[i].ino = st.st_ino;
	g->w[i].key = next++;
	return ag_map_put(&g->map, g->w[i].key, i) ? -1 : 0;
}

static void none_nop(struct ag_guard *g, uint32_t i)
{
	(void)g;
	(void)i;
}

static void none_drain(struct ag_guard *g)
{
	(void)g;
}

const struct ag_watch_ops ag_watch_none = {"none", none_open, none_add, none_nop, none_drain,
					   none_drain};
