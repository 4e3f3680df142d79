/*
 * scope.h - the SQL of struct sw_access (store-internal): one WHERE
 * fragment per entity with fixed parameters ?1..?5, so a statement built
 * with it serves every user (NULL access binds ?1 = 0) and is prepared once.
 *
 * Parameters: ?1 scoped flag (0: everything), ?2/?3 region code range
 * [lo, hi), ?4 department id, ?5 unit id.  The fragment names the row as
 * alias x and, for sites and persons, its unit as alias u (the join is
 * sw__scope_join's).  Queries that use it number their own parameters
 * from SW_SCOPE_NPARAMS + 1.
 */
#ifndef SW_STORE_SCOPE_H
#define SW_STORE_SCOPE_H

#include "store/backend.h"

#define SW_SCOPE_NPARAMS 5

/* The condition (in parentheses) that row x of e is visible. */
const char *sw__scope_sql(enum sw_ent e);

/* The join the condition needs (" JOIN units u ..." or ""). */
const char *sw__scope_join(enum sw_ent e);

/* Values bound for one statement; they must outlive its run. */
struct sw__scope_vals {
	char lo[7], hi[7];
};

/* Binds acc (NULL: everything) to ?1..?5 of s.  SW_EINVAL for a region
 * code that is not six digits. */
enum sw_err sw__scope_bind(struct sw_store *st, struct sw_stmt *s, const struct sw_access *acc,
			   struct sw__scope_vals *v, struct sw_errbuf *eb);

/* Computes the half-open code range [lo, hi) of a region and everything
 * below it (GB/T 2260 codes nest by prefix).  SW_EINVAL (field `field`)
 * for a code that is not six digits. */
enum sw_err sw__region_range(const char *code, char lo[7], char hi[7], const char *field,
			     struct sw_errbuf *eb);

#endif
