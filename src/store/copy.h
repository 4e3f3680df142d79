/*
 * copy.h - copying everything outside the register from one store to
 * another (`sitewarden migrate`): monitoring history, users, agents,
 * alerts and incidents, compliance, the evidence ledger, probe nodes.
 *
 * The register itself (entities, host names, links, policies) is copied
 * through the store interface by the caller (cli/cmd_migrate.c); this is
 * the rest, table by table, each row as it is (ids, timestamps, hashes
 * and signatures unchanged, so the evidence chain verifies on the copy).
 */
#ifndef SW_STORE_COPY_H
#define SW_STORE_COPY_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* One table of the copy and its rows on each side. */
struct sw_copy_table {
	char name[64];
	int64_t src, dst;
};

#define SW_COPY_TABLES_MAX 96

/*
 * Copies every table of src that is not part of the register into dst,
 * inside the caller's transaction on dst (which should check references
 * at commit: sw_store_defer_refs).  The tables are found in src's catalog
 * and their columns too, so a table a later migration adds is copied
 * without a change here; the known ones go first, in an order where rows
 * usually find what they refer to.  Each table of dst must be empty.
 * Fills out[] (at most SW_COPY_TABLES_MAX) with every table's counts on
 * both sides after the copy, *n how many, for the caller to compare and
 * show.  SW_EEXIST when a target table is not empty.
 */
enum sw_err sw_store_copy_rest(struct sw_store *src, struct sw_store *dst,
			       struct sw_copy_table *out, size_t *n, struct sw_errbuf *eb);

#endif
