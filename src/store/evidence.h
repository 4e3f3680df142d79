/*
 * evidence.h - the store's side of frozen evidence (migration 0007): the
 * append-only ledger rows, the content-addressed item bytes and the head
 * signatures.  What the rows mean (the entry text and its hash) is
 * src/evidence/'s business; here they are only written, read and walked.
 *
 * There is deliberately no update or delete of ledger or signature rows:
 * the ledger is append-only in code as well as in the schema's triggers.
 */
#ifndef SW_STORE_EVIDENCE_H
#define SW_STORE_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* One ledger row.  Strings are borrowed: from the caller on append, valid
 * during the callback on walks. */
struct sw_ev_row {
	int64_t seq, created_at, site_id, check_id, size;
	const char *algo;       /* "sm3" or "sha256": hashes this row's entry and item */
	const char *kind;       /* "body", "headers", ..., "file", "export" */
	const char *item_hash;  /* hex hash of the item bytes */
	const char *media_type;
	const char *name;
	const char *prev_hash;  /* entry_hash of row seq-1; zeros for seq 1 */
	const char *entry_hash; /* hash of the entry text (src/evidence/ledger.c) */
};

/* Callback of the walks; non-zero return stops the walk (SW_OK returned). */
typedef int (*sw_ev_row_cb)(void *arg, const struct sw_ev_row *r);

/*
 * Inside a write transaction: waits until no other appender holds the
 * ledger, and holds it until the transaction ends.  On PostgreSQL two
 * appenders would otherwise both read the same head; the loser's insert
 * waits for the winner's commit, fails, and by the time it retries the
 * winner holds the next seq again, so one writer can starve.  SQLite's
 * write transactions serialize already (nothing to do).
 */
enum sw_err sw_store_ev_lock(struct sw_store *st, struct sw_errbuf *eb);

/* Reads the newest row's seq and entry hash (copied into hash, hash_n
 * bytes).  *seq is 0 and hash "" when the ledger is empty. */
enum sw_err sw_store_ev_head(struct sw_store *st, int64_t *seq, char *hash, size_t hash_n,
			     struct sw_errbuf *eb);

/* Inserts row r as it is (r->seq included).  SW_EEXIST when that seq is
 * taken (another writer appended first: re-read the head and retry). */
enum sw_err sw_store_ev_append(struct sw_store *st, const struct sw_ev_row *r,
			       struct sw_errbuf *eb);

/* Walks the rows with from <= seq <= to (to 0: to the end), in seq order. */
enum sw_err sw_store_ev_range(struct sw_store *st, int64_t from, int64_t to, sw_ev_row_cb cb,
			      void *arg, struct sw_errbuf *eb);

/* Walks the rows of check_id, in seq order. */
enum sw_err sw_store_ev_by_check(struct sw_store *st, int64_t check_id, sw_ev_row_cb cb,
				 void *arg, struct sw_errbuf *eb);

/* Walks the rows of site_id (0: every site) created at or after since,
 * newest first, at most limit (0: all). */
enum sw_err sw_store_ev_by_site(struct sw_store *st, int64_t site_id, int64_t since,
				int64_t limit, sw_ev_row_cb cb, void *arg, struct sw_errbuf *eb);

/* Reads row seq.  SW_ENOTFOUND when there is none. */
enum sw_err sw_store_ev_get(struct sw_store *st, int64_t seq, sw_ev_row_cb cb, void *arg,
			    struct sw_errbuf *eb);

/* Stores len bytes under (algo, hash) compressed with zstd unless that key
 * is stored already (same bytes by construction). */
enum sw_err sw_store_ev_blob_put(struct sw_store *st, const char *algo, const char *hash,
				 const void *bytes, size_t len, int64_t now,
				 struct sw_errbuf *eb);

/* Reads the bytes under (algo, hash) into a new buffer (*bytes, caller
 * frees; NUL-terminated beyond *len).  SW_ENOTFOUND when absent; SW_ESTORE
 * when the frame does not decompress to its recorded size. */
enum sw_err sw_store_ev_blob_get(struct sw_store *st, const char *algo, const char *hash,
				 unsigned char **bytes, size_t *len, struct sw_errbuf *eb);

/* One head signature.  Borrowed like sw_ev_row. */
struct sw_ev_sig_row {
	int64_t id, seq, created_at;
	const char *sig_algo;   /* "sm2" or "ed25519" */
	const char *key_id;     /* hex hash of the public key's DER */
	const char *head_text;  /* the exact bytes signed */
	const unsigned char *sig;
	size_t sig_len;
};

/* Appends signature row r (r->id is set). */
enum sw_err sw_store_ev_sig_add(struct sw_store *st, struct sw_ev_sig_row *r,
				struct sw_errbuf *eb);

/* Walks the signatures in id order (seq_from 0: all; else those whose
 * seq >= seq_from); newest_only: only the newest one. */
enum sw_err sw_store_ev_sigs(struct sw_store *st, int64_t seq_from, int newest_only,
			     int (*cb)(void *arg, const struct sw_ev_sig_row *r), void *arg,
			     struct sw_errbuf *eb);

/* Reads check check_id (c's strings valid during the callback) and calls
 * cb once.  SW_ENOTFOUND when there is no such check. */
enum sw_err sw_store_ev_check_get(struct sw_store *st, int64_t check_id,
				  int (*cb)(void *arg, const struct sw_check_row *c), void *arg,
				  struct sw_errbuf *eb);

/* Walks the ids of the checks of site_id made at or after since that
 * have findings, oldest first, at most limit (0: all). */
enum sw_err sw_store_ev_checks_with_findings(struct sw_store *st, int64_t site_id,
					     int64_t since, int64_t limit,
					     int (*cb)(void *arg, int64_t check_id), void *arg,
					     struct sw_errbuf *eb);

#endif
