/*
 * keys.h - the ledger's signing key: SM2 (GM/T 0003, the default) or
 * Ed25519, kept as PEM files in a key directory.
 *
 * SM2 signatures use SM3 and the distinguishing ID 1234567812345678
 * (GM/T 0009's default).  OpenSSL 3.0's command line does not assume that
 * ID (it hashes an empty one), so a verifier passes it explicitly:
 *   openssl pkeyutl -verify -pubin -inkey pubkey.pem -rawin -digest sm3 \
 *       -pkeyopt distid:1234567812345678 -in head.txt -sigfile head.sig
 * (docs/evidence.md).  Signatures are DER (SM2) or 64 raw bytes (Ed25519),
 * exactly what that command reads.
 */
#ifndef SW_EVIDENCE_KEYS_H
#define SW_EVIDENCE_KEYS_H

#include <stddef.h>

#include "core/err.h"

enum sw_ev_sig { SW_EV_SM2, SW_EV_ED25519 };

#define SW_EV_SM2_ID "1234567812345678"

struct sw_ev_key;

/* "sm2" / "ed25519". */
const char *sw_ev_sig_name(enum sw_ev_sig alg);

/* Parses "sm2" or "ed25519"; SW_EINVAL otherwise. */
enum sw_err sw_ev_sig_parse(const char *name, enum sw_ev_sig *alg);

/*
 * Loads the private key of alg from directory dir (ledger-sm2.pem or
 * ledger-ed25519.pem).  When absent and `create` is set, generates one:
 * the directory is made with mode 0700, the private key written with mode
 * 0600 and the public key beside it as ledger-<alg>.pub.pem.  Two processes
 * starting together end up with the same key (the file is linked into
 * place, never overwritten).  A private key file readable by group or
 * others is refused.  SW_ENOTFOUND when absent and not `create`.
 */
enum sw_err sw_ev_key_open(const char *dir, enum sw_ev_sig alg, int create,
			   struct sw_ev_key **out, struct sw_errbuf *eb);

/* A verify-only key from public key PEM text (len bytes).  SW_EINVAL when
 * it is not an SM2 or Ed25519 public key. */
enum sw_err sw_ev_key_from_pub(const void *pem, size_t len, struct sw_ev_key **out,
			       struct sw_errbuf *eb);

void sw_ev_key_free(struct sw_ev_key *k);

enum sw_ev_sig sw_ev_key_alg(const struct sw_ev_key *k);

/* Hex SHA-256 of the public key's DER (SubjectPublicKeyInfo): the same
 * value as `openssl pkey -pubin -in pub.pem -outform DER | openssl dgst
 * -sha256`.  Borrowed from k. */
const char *sw_ev_key_id(const struct sw_ev_key *k);

/* The public key as PEM text, borrowed from k (NUL-terminated, *len). */
const char *sw_ev_key_pub_pem(const struct sw_ev_key *k, size_t *len);

/* Signs len bytes at msg into a new buffer *sig (caller frees), *sig_len
 * bytes.  SW_EINVAL for a verify-only key. */
enum sw_err sw_ev_key_sign(struct sw_ev_key *k, const void *msg, size_t len,
			   unsigned char **sig, size_t *sig_len, struct sw_errbuf *eb);

/* SW_OK when sig is k's signature over msg; SW_EINVAL when it is not. */
enum sw_err sw_ev_key_verify(struct sw_ev_key *k, const void *msg, size_t len,
			     const void *sig, size_t sig_len, struct sw_errbuf *eb);

#endif
