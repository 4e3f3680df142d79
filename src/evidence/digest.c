/*
 * digest.c - SM3 and SHA-256 through OpenSSL 3's EVP interface, as hex.
 *
 * The algorithm is fetched by name once per hasher and one digest context
 * is reused: bench/ledger hashes a million small entries, where a fetch
 * per call (EVP_sm3() does one implicitly) would dominate.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "evidence/digest.h"

struct sw_ev_hasher {
	EVP_MD *md;
	EVP_MD_CTX *ctx;
	enum sw_ev_hash h;
};

const char *sw_ev_hash_name(enum sw_ev_hash h)
{
	return h == SW_EV_SHA256 ? "sha256" : "sm3";
}

enum sw_err sw_ev_hash_parse(const char *name, enum sw_ev_hash *h)
{
	if (name && !strcmp(name, "sm3"))
		*h = SW_EV_SM3;
	else if (name && !strcmp(name, "sha256"))
		*h = SW_EV_SHA256;
	else
		return SW_EINVAL;
	return SW_OK;
}

enum sw_err sw_ev_hasher_new(enum sw_ev_hash h, struct sw_ev_hasher **out,
			     struct sw_errbuf *eb)
{
	struct sw_ev_hasher *hs = calloc(1, sizeof *hs);

	*out = NULL;
	if (!hs)
		return SW_ENOMEM;
	hs->h = h;
	hs->md = EVP_MD_fetch(NULL, h == SW_EV_SHA256 ? "SHA256" : "SM3", NULL);
	hs->ctx = EVP_MD_CTX_new();
	if (!hs->md || !hs->ctx) {
		sw_ev_hasher_free(hs);
		return sw_errf(eb, SW_EIO, "OpenSSL has no %s digest", sw_ev_hash_name(h));
	}
	*out = hs;
	return SW_OK;
}

void sw_ev_hasher_free(struct sw_ev_hasher *hs)
{
	if (!hs)
		return;
	EVP_MD_CTX_free(hs->ctx);
	EVP_MD_free(hs->md);
	free(hs);
}

enum sw_err sw_ev_hash_start(struct sw_ev_hasher *hs, struct sw_errbuf *eb)
{
	if (!EVP_DigestInit_ex2(hs->ctx, hs->md, NULL))
		return sw_errf(eb, SW_EIO, "%s: digest init failed", sw_ev_hash_name(hs->h));
	return SW_OK;
}

enum sw_err sw_ev_hash_feed(struct sw_ev_hasher *hs, const void *p, size_t len,
			    struct sw_errbuf *eb)
{
	if (len && !EVP_DigestUpdate(hs->ctx, p, len))
		return sw_errf(eb, SW_EIO, "%s: digest update failed", sw_ev_hash_name(hs->h));
	return SW_OK;
}

enum sw_err sw_ev_hash_end(struct sw_ev_hasher *hs, char hex[SW_EV_HEX_LEN],
			   struct sw_errbuf *eb)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_DigestFinal_ex(hs->ctx, md, &n) || n != 32)
		return sw_errf(eb, SW_EIO, "%s: digest failed", sw_ev_hash_name(hs->h));
	for (unsigned int i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
	return SW_OK;
}

enum sw_err sw_ev_hash_hex(struct sw_ev_hasher *hs, const void *p, size_t len,
			   char hex[SW_EV_HEX_LEN], struct sw_errbuf *eb)
{
	enum sw_err rc;

	if ((rc = sw_ev_hash_start(hs, eb)) || (rc = sw_ev_hash_feed(hs, p, len, eb)))
		return rc;
	return sw_ev_hash_end(hs, hex, eb);
}

int sw_ev_hex_ok(const char *s)
{
	size_t i;

	if (!s)
		return 0;
	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}
