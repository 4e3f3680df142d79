/*
 * hash.h - content digests of the agent: SHA-256 or SM3 (OpenSSL 3 has
 * both behind EVP), both 32 bytes, and HMAC-SHA256 for signing reports.
 *
 * One ag_hasher per thread: the EVP context is reused for every file so
 * hashing a million small files does not allocate a million contexts.
 */
#ifndef SW_AGENT_HASH_H
#define SW_AGENT_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define AG_HASH_LEN 32

struct ag_hasher {
	void *ctx; /* EVP_MD_CTX */
	void *md;  /* EVP_MD, fetched once */
};

enum sw_err ag_hasher_init(struct ag_hasher *h, int algo, struct sw_errbuf *eb);
void ag_hasher_cleanup(struct ag_hasher *h);
void ag_hasher_begin(struct ag_hasher *h);
void ag_hasher_update(struct ag_hasher *h, const void *p, size_t n);
void ag_hasher_end(struct ag_hasher *h, uint8_t out[AG_HASH_LEN]);

/* Digest of one buffer (begin, update, end). */
void ag_hash_buf(struct ag_hasher *h, const void *p, size_t n, uint8_t out[AG_HASH_LEN]);

/*
 * Hashes everything readable from fd from offset 0 with pread, using buf
 * (bufsz bytes) as scratch.  *size gets the byte count.  When the file
 * fits in buf, its bytes stay there for the caller.  SW_EIO on a read
 * error (errno kept).
 */
enum sw_err ag_hash_fd(struct ag_hasher *h, int fd, uint8_t *buf, size_t bufsz,
		       uint8_t out[AG_HASH_LEN], int64_t *size);

/* "sha256" or "sm3". */
const char *ag_algo_name(int algo);

/* Writes 2n lower-case hex digits and a NUL into out (2n+1 bytes). */
void ag_hex(const uint8_t *p, size_t n, char *out);

/* HMAC-SHA256 of data under key into out (32 bytes). */
void ag_hmac_sha256(const uint8_t *key, size_t klen, const void *data, size_t n,
		    uint8_t out[32]);

#endif
