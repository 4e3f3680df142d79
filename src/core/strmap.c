/*
 * strmap.c - string -> int64 hash map; FNV-1a hashing, power-of-two table
 * kept at most half full so probes stay short.
 */
#include "core/strmap.h"

#include <stdlib.h>
#include <string.h>

void sw_strmap_init(struct sw_strmap *m)
{
	memset(m, 0, sizeof *m);
}

void sw_strmap_cleanup(struct sw_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->hashes);
	free(m->vals);
	sw_strmap_init(m);
}

/* 64-bit FNV-1a of s. */
static uint64_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return h;
}

/* Slot holding key (whose hash is h), or the empty slot where it would go. */
static size_t slot(const struct sw_strmap *m, const char *key, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	while (m->keys[i] && (m->hashes[i] != h || strcmp(m->keys[i], key) != 0))
		i = (i + 1) & (m->cap - 1);
	return i;
}

int sw_strmap_get(const struct sw_strmap *m, const char *key, int64_t *val)
{
	size_t i;

	if (m->cap == 0)
		return 0;
	i = slot(m, key, hash(key));
	if (!m->keys[i])
		return 0;
	*val = m->vals[i];
	return 1;
}

/* Doubles the table (or creates it), re-inserting every key. */
static enum sw_err grow(struct sw_strmap *m)
{
	struct sw_strmap big = {0};

	big.cap = m->cap ? 2 * m->cap : 64;
	big.keys = calloc(big.cap, sizeof *big.keys);
	big.hashes = calloc(big.cap, sizeof *big.hashes);
	big.vals = calloc(big.cap, sizeof *big.vals);
	if (!big.keys || !big.hashes || !big.vals) {
		free(big.keys);
		free(big.hashes);
		free(big.vals);
		return SW_ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i]) {
			size_t j = slot(&big, m->keys[i], m->hashes[i]);

			big.keys[j] = m->keys[i];
			big.hashes[j] = m->hashes[i];
			big.vals[j] = m->vals[i];
		}
	}
	big.n = m->n;
	free(m->keys);
	free(m->hashes);
	free(m->vals);
	*m = big;
	return SW_OK;
}

enum sw_err sw_strmap_put(struct sw_strmap *m, const char *key, int64_t val)
{
	uint64_t h = hash(key);
	size_t i;

	if (2 * (m->n + 1) > m->cap && grow(m))
		return SW_ENOMEM;
	i = slot(m, key, h);
	if (!m->keys[i]) {
		if (!(m->keys[i] = strdup(key)))
			return SW_ENOMEM;
		m->hashes[i] = h;
		m->n++;
	}
	m->vals[i] = val;
	return SW_OK;
}
