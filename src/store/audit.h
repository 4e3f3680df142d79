/*
 * audit.h - the append-only audit log (migration 0005): who changed what,
 * when, from where, and how the server answered.
 *
 * There is deliberately no update or delete here, and the database
 * refuses both with triggers (SQLite and PostgreSQL), so a row once
 * written stays as written.
 */
#ifndef SW_STORE_AUDIT_H
#define SW_STORE_AUDIT_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

struct sw_audit_row {
	int64_t id;        /* set by the store */
	int64_t at;        /* unix seconds */
	int64_t user_id;   /* 0: nobody signed in (a failed login) */
	const char *user_name, *remote, *method, *path;
	const char *target; /* id of the record acted on, or NULL */
	int status;        /* HTTP status of the answer */
};

/* Appends r (id ignored). */
enum sw_err sw_store_audit_add(struct sw_store *st, const struct sw_audit_row *r,
			       struct sw_errbuf *eb);

/* Walks rows newest first from offset (limit <= 0: all); strings are
 * valid during the call.  A non-zero return of cb stops. */
enum sw_err sw_store_audit_list(struct sw_store *st, int64_t limit, int64_t offset,
				int (*cb)(void *arg, const struct sw_audit_row *r), void *arg,
				struct sw_errbuf *eb);

enum sw_err sw_store_audit_count(struct sw_store *st, int64_t *n, struct sw_errbuf *eb);

#endif
