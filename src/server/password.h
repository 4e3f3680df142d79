/*
 * password.h - argon2id password hashes (libargon2).
 *
 * Cost: 2 passes over 19 MiB with one lane (OWASP's minimum for
 * argon2id), about 30 ms here; the hash string carries its own
 * parameters, so raising them later keeps old hashes verifiable.
 */
#ifndef SW_SERVER_PASSWORD_H
#define SW_SERVER_PASSWORD_H

#include <stddef.h>

#include "core/err.h"

#define SW_PW_MIN 8
#define SW_PW_MAX 1024

/* Checks pw against the password rules (length in bytes, no NUL).
 * SW_EINVAL with the reason (field "password"). */
enum sw_err sw_password_check(const char *pw, struct sw_errbuf *eb);

/* Hashes pw with a fresh random salt into out (n >= 128 bytes). */
enum sw_err sw_password_hash(const char *pw, char *out, size_t n, struct sw_errbuf *eb);

/* 1 when pw matches the encoded hash, else 0. */
int sw_password_verify(const char *encoded, const char *pw);

/* Spends the time of one verification (for names that do not exist, so
 * answers take as long either way). */
void sw_password_burn(const char *pw);

#endif
