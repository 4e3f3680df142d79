/*
 * user.h - the store's side of people who sign in to `sitewarden serve`
 * (migration 0005): accounts, browser sessions and API tokens.
 *
 * The store keeps only what cannot be used to sign in by itself: argon2id
 * password hashes (made by server/password.c) and SHA-256 digests of
 * session ids and tokens.  Roles are the text keys "admin", "supervisor",
 * "operator", "auditor" (the server maps them to enum sw_role).
 */
#ifndef SW_STORE_USER_H
#define SW_STORE_USER_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* One account as stored.  Strings are copies, cut to fit. */
struct sw_user_row {
	int64_t id;
	char name[64];
	char role[16];
	char region[16];   /* "" none */
	int64_t dept_id;   /* 0 none */
	int64_t unit_id;   /* 0 none */
	int disabled;
	char pw_hash[160]; /* argon2id encoded hash */
	int64_t created_at, updated_at;
};

/* Inserts u (id and times ignored) and sets *id.  SW_EEXIST when the name
 * is taken, SW_EINUSE when dept_id or unit_id names no row. */
enum sw_err sw_store_user_add(struct sw_store *st, const struct sw_user_row *u, int64_t *id,
			      struct sw_errbuf *eb);

/* Writes role, scope, disabled and pw_hash of u over row u->id.
 * SW_ENOTFOUND when gone. */
enum sw_err sw_store_user_update(struct sw_store *st, const struct sw_user_row *u,
				 struct sw_errbuf *eb);

/* Reads user id / the user called name.  SW_ENOTFOUND when none. */
enum sw_err sw_store_user_get(struct sw_store *st, int64_t id, struct sw_user_row *out,
			      struct sw_errbuf *eb);
enum sw_err sw_store_user_by_name(struct sw_store *st, const char *name,
				  struct sw_user_row *out, struct sw_errbuf *eb);

/* Walks users in id order from offset (limit <= 0: all); a non-zero
 * return of cb stops.  pw_hash is left empty in the rows passed. */
enum sw_err sw_store_user_list(struct sw_store *st, int64_t limit, int64_t offset,
			       int (*cb)(void *arg, const struct sw_user_row *u), void *arg,
			       struct sw_errbuf *eb);
enum sw_err sw_store_user_count(struct sw_store *st, int64_t *n, struct sw_errbuf *eb);

/* Sessions.  id_hash is the hex SHA-256 of the cookie's value. */
enum sw_err sw_store_session_add(struct sw_store *st, const char *id_hash, int64_t user_id,
				 const char *csrf, int64_t now, int64_t expires_at,
				 const char *remote, struct sw_errbuf *eb);

/* The enabled user of the unexpired session id_hash into *u and its CSRF
 * token into csrf (65 bytes).  SW_ENOTFOUND when there is none. */
enum sw_err sw_store_session_user(struct sw_store *st, const char *id_hash, int64_t now,
				  struct sw_user_row *u, char csrf[65], struct sw_errbuf *eb);

/* Ends one session / every session of a user but `keep` (a digest; NULL
 * none) / every expired session. */
enum sw_err sw_store_session_del(struct sw_store *st, const char *id_hash,
				 struct sw_errbuf *eb);
enum sw_err sw_store_sessions_end_user(struct sw_store *st, int64_t user_id, const char *keep,
				       struct sw_errbuf *eb);
enum sw_err sw_store_sessions_prune(struct sw_store *st, int64_t now, struct sw_errbuf *eb);

/* API tokens.  token_hash is the hex SHA-256 of the token. */
enum sw_err sw_store_token_add(struct sw_store *st, int64_t user_id, const char *name,
			       const char *token_hash, int64_t now, int64_t *id,
			       struct sw_errbuf *eb);

/* The enabled user holding token token_hash into *u; SW_ENOTFOUND else. */
enum sw_err sw_store_token_user(struct sw_store *st, const char *token_hash,
				struct sw_user_row *u, struct sw_errbuf *eb);

#endif
