/*
 * digest.h - the hash functions of the evidence ledger: SM3 (GB/T 32905,
 * the default) and SHA-256, both from OpenSSL 3's libcrypto, as lower-case
 * hex text so every value is the same string `openssl dgst -r` prints.
 */
#ifndef SW_EVIDENCE_DIGEST_H
#define SW_EVIDENCE_DIGEST_H

#include <stddef.h>

#include "core/err.h"

enum sw_ev_hash { SW_EV_SM3, SW_EV_SHA256 };

/* Both algorithms give 32 bytes: 64 hex digits and a NUL. */
#define SW_EV_HEX_LEN 65

/* "sm3" / "sha256" (the names of `openssl dgst -sm3` / `-sha256`). */
const char *sw_ev_hash_name(enum sw_ev_hash h);

/* Parses "sm3" or "sha256" into *h; SW_EINVAL otherwise. */
enum sw_err sw_ev_hash_parse(const char *name, enum sw_ev_hash *h);

/* A reusable hasher: fetching an algorithm in OpenSSL 3 costs more than
 * hashing a ledger entry, so it is fetched once per hasher. */
struct sw_ev_hasher;

/* New hasher for h (caller frees with sw_ev_hasher_free).  SW_EIO when the
 * OpenSSL in use lacks the algorithm. */
enum sw_err sw_ev_hasher_new(enum sw_ev_hash h, struct sw_ev_hasher **out,
			     struct sw_errbuf *eb);
void sw_ev_hasher_free(struct sw_ev_hasher *hs);

/* Writes the hex digest of len bytes at p into hex. */
enum sw_err sw_ev_hash_hex(struct sw_ev_hasher *hs, const void *p, size_t len,
			   char hex[SW_EV_HEX_LEN], struct sw_errbuf *eb);

/* Streaming form: start, feed any number of times, finish into hex. */
enum sw_err sw_ev_hash_start(struct sw_ev_hasher *hs, struct sw_errbuf *eb);
enum sw_err sw_ev_hash_feed(struct sw_ev_hasher *hs, const void *p, size_t len,
			    struct sw_errbuf *eb);
enum sw_err sw_ev_hash_end(struct sw_ev_hasher *hs, char hex[SW_EV_HEX_LEN],
			   struct sw_errbuf *eb);

/* True when s is 64 lower-case hex digits. */
int sw_ev_hex_ok(const char *s);

#endif
