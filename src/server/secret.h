/*
 * secret.h - random values and digests for sessions, tokens and agent
 * signatures (OpenSSL's libcrypto and the kernel's getrandom).
 */
#ifndef SW_SERVER_SECRET_H
#define SW_SERVER_SECRET_H

#include <stddef.h>

#include "core/err.h"

/* Writes 2*nbytes hex digits of kernel randomness (and a NUL) into out.
 * nbytes at most 64. */
enum sw_err sw_secret_random_hex(size_t nbytes, char *out, struct sw_errbuf *eb);

/* Hex SHA-256 of data into out (65 bytes). */
void sw_secret_sha256_hex(const void *data, size_t len, char out[65]);

/* Hex HMAC-SHA256 of the two parts a||b under key into out (65 bytes). */
void sw_secret_hmac_hex(const void *key, size_t klen, const void *a, size_t alen,
			const void *b, size_t blen, char out[65]);

/* 1 when a and b are equal strings; the time taken does not depend on
 * where they differ. */
int sw_secret_equal(const char *a, const char *b);

/* Decodes hex text into out (at most n bytes); returns the byte count, or
 * -1 when it is not even-length hex or too long. */
int sw_secret_unhex(const char *hex, unsigned char *out, size_t n);

#endif
