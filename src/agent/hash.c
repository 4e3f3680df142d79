/*
 * hash.c - SHA-256 / SM3 through OpenSSL's EVP interface (hash.h).
 *
 * OpenSSL uses the SHA extensions of the CPU where there are some, about
 * eight times the speed of a portable C SHA-256; SM3 has no such help and
 * runs at about a sixth of SHA-256 here, which is why SHA-256 is the
 * default and SM3 the option.
 */
#include "agent/hash.h"
#include "agent/config.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

enum sw_err ag_hasher_init(struct ag_hasher *h, int algo, struct sw_errbuf *eb)
{
	h->md = EVP_MD_fetch(NULL, algo == AG_SM3 ? "SM3" : "SHA256", NULL);
	h->ctx = EVP_MD_CTX_new();
	if (!h->md || !h->ctx) {
		ag_hasher_cleanup(h);
		return sw_errf(eb, SW_EINVAL, "OpenSSL has no %s digest", ag_algo_name(algo));
	}
	return SW_OK;
}

void ag_hasher_cleanup(struct ag_hasher *h)
{
	EVP_MD_CTX_free(h->ctx);
	EVP_MD_free(h->md);
	h->ctx = NULL;
	h->md = NULL;
}

void ag_hasher_begin(struct ag_hasher *h)
{
	EVP_DigestInit_ex2(h->ctx, h->md, NULL);
}

void ag_hasher_update(struct ag_hasher *h, const void *p, size_t n)
{
	EVP_DigestUpdate(h->ctx, p, n);
}

void ag_hasher_end(struct ag_hasher *h, uint8_t out[AG_HASH_LEN])
{
	unsigned n = AG_HASH_LEN;

	EVP_DigestFinal_ex(h->ctx, out, &n);
}

void ag_hash_buf(struct ag_hasher *h, const void *p, size_t n, uint8_t out[AG_HASH_LEN])
{
	ag_hasher_begin(h);
	ag_hasher_update(h, p, n);
	ag_hasher_end(h, out);
}

enum sw_err ag_hash_fd(struct ag_hasher *h, int fd, uint8_t *buf, size_t bufsz,
		       uint8_t out[AG_HASH_LEN], int64_t *size)
{
	int64_t off = 0;
	ssize_t n;

	ag_hasher_begin(h);
	for (;;) {
		/* Bytes fill buf from its start until it is full, so a file that
		 * fits stays whole in buf for the caller; later chunks reuse it. */
		size_t at = (uint64_t)off < bufsz ? (size_t)off : 0;
		size_t room = (uint64_t)off < bufsz ? bufsz - (size_t)off : bufsz;

		n = pread(fd, buf + at, room, off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return SW_EIO;
		}
		if (n == 0)
			break;
		ag_hasher_update(h, buf + at, (size_t)n);
		off += n;
	}
	ag_hasher_end(h, out);
	*size = off;
	return SW_OK;
}

const char *ag_algo_name(int algo)
{
	return algo == AG_SM3 ? "sm3" : "sha256";
}

void ag_hex(const uint8_t *p, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = '\0';
}

void ag_hmac_sha256(const uint8_t *key, size_t klen, const void *data, size_t n,
		    uint8_t out[32])
{
	unsigned len = 32;

	HMAC(EVP_sha256(), key, (int)klen, data, n, out, &len);
}
