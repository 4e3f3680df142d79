/*
 * secret.c - see secret.h.
 */
#include "server/secret.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

/* Writes n bytes as lower-case hex into out (2n+1 bytes). */
static void tohex(const unsigned char *b, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[b[i] >> 4];
		out[2 * i + 1] = d[b[i] & 15];
	}
	out[2 * n] = '\0';
}

enum sw_err sw_secret_random_hex(size_t nbytes, char *out, struct sw_errbuf *eb)
{
	unsigned char b[64];
	size_t got = 0;

	if (nbytes > sizeof b)
		return sw_errf(eb, SW_EINVAL, "at most 64 random bytes");
	while (got < nbytes) {
		ssize_t r = getrandom(b + got, nbytes - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return sw_errf(eb, SW_EIO, "getrandom: %s", strerror(errno));
		got += (size_t)r;
	}
	tohex(b, nbytes, out);
	OPENSSL_cleanse(b, sizeof b);
	return SW_OK;
}

void sw_secret_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned n = 0;

	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	tohex(md, 32, out);
}

void sw_secret_hmac_hex(const void *key, size_t klen, const void *a, size_t alen,
			const void *b, size_t blen, char out[65])
{
	unsigned char md[32];
	unsigned n = sizeof md;
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *c = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM p[] = {OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0),
			  OSSL_PARAM_construct_end()};
	size_t outl = 0;

	memset(md, 0, sizeof md);
	if (c && EVP_MAC_init(c, key, klen, p) && EVP_MAC_update(c, a, alen) &&
	    EVP_MAC_update(c, b, blen) && EVP_MAC_final(c, md, &outl, sizeof md))
		n = (unsigned)outl;
	EVP_MAC_CTX_free(c);
	EVP_MAC_free(mac);
	(void)n;
	tohex(md, 32, out);
}

int sw_secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return 0;
	return CRYPTO_memcmp(a, b, la) == 0;
}

int sw_secret_unhex(const char *hex, unsigned char *out, size_t n)
{
	size_t len = strlen(hex);

	if (len % 2 || len / 2 > n)
		return -1;
	for (size_t i = 0; i < len / 2; i++) {
		unsigned v;
		if (!strchr("0123456789abcdefABCDEF", hex[2 * i]) || !hex[2 * i] ||
		    !strchr("0123456789abcdefABCDEF", hex[2 * i + 1]) || !hex[2 * i + 1] ||
		    sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return (int)(len / 2);
}
