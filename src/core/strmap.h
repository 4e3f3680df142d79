/*
 * strmap.h - a string -> int64 hash map (open addressing, linear probing).
 *
 * Used where a bulk operation must remember what it already created (the
 * importer's units, groups and persons) without asking the store again for
 * every row.  Keys are copied; the map owns them.
 */
#ifndef SW_CORE_STRMAP_H
#define SW_CORE_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct sw_strmap {
	char **keys;
	uint64_t *hashes; /* compared before the keys: a probe rarely touches a key */
	int64_t *vals;
	size_t cap, n;
};

void sw_strmap_init(struct sw_strmap *m);
void sw_strmap_cleanup(struct sw_strmap *m);

/* Finds key; returns 1 and sets *val when present, else 0. */
int sw_strmap_get(const struct sw_strmap *m, const char *key, int64_t *val);

/* Sets key to val (copying key).  SW_ENOMEM when growing fails. */
enum sw_err sw_strmap_put(struct sw_strmap *m, const char *key, int64_t val);

#endif
