/*
 * hs_cache.h - Vectorscan compilation with an on-disk cache.
 *
 * Compiling the analyzers' pattern sets takes about 0.2 s, which every
 * `sitewarden check --offline` would pay before looking at one page (the
 * daemon pays it once).  The compiled database is a pure function of the
 * patterns, the library version and the CPU features, so it is kept in a
 * cache file named by the SHA-256 of all of them and deserialised next
 * time.  Cache directory: $SITEWARDEN_CACHE, else $XDG_CACHE_HOME/sitewarden,
 * else ~/.cache/sitewarden; created 0700.  Any cache problem (no home, a
 * read-only disk, a damaged or foreign file) just means compiling.
 */
#ifndef SW_ANALYZE_HS_CACHE_H
#define SW_ANALYZE_HS_CACHE_H

#include <hs/hs.h>
#include <stddef.h>

/* As hs_compile_multi(expr, flags, ids, n, HS_MODE_BLOCK, NULL, db, err). */
hs_error_t sw_hs_compile_multi(const char *const *expr, const unsigned *flags,
			       const unsigned *ids, unsigned n, hs_database_t **db,
			       hs_compile_error_t **err);

/* As hs_compile_lit_multi(lits, flags, ids, lens, n, HS_MODE_BLOCK, NULL, db, err). */
hs_error_t sw_hs_compile_lit_multi(const char *const *lits, const unsigned *flags,
				   const unsigned *ids, const size_t *lens, unsigned n,
				   hs_database_t **db, hs_compile_error_t **err);

#endif
