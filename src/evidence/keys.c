/*
 * keys.c - generating, storing, loading and using the ledger's key pair.
 *
 * The key is made once, at first start, and must never be replaced behind
 * the ledger's back: it is written to a temporary file (mode 0600 from the
 * open, not chmod'ed afterwards) and hard-linked to its name, which fails
 * rather than overwrites when another process got there first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "evidence/keys.h"

/* A PEM key file is a few hundred bytes; anything far bigger is not ours. */
#define KEY_FILE_MAX 16384

struct sw_ev_key {
	EVP_PKEY *pkey;
	enum sw_ev_sig alg;
	int has_private;
	char id[65];
	char *pub_pem;
	size_t pub_len;
};

const char *sw_ev_sig_name(enum sw_ev_sig alg)
{
	return alg == SW_EV_ED25519 ? "ed25519" : "sm2";
}

enum sw_err sw_ev_sig_parse(const char *name, enum sw_ev_sig *alg)
{
	if (name && !strcmp(name, "sm2"))
		*alg = SW_EV_SM2;
	else if (name && !strcmp(name, "ed25519"))
		*alg = SW_EV_ED25519;
	else
		return SW_EINVAL;
	return SW_OK;
}

void sw_ev_key_free(struct sw_ev_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);
	free(k->pub_pem);
	free(k);
}

enum sw_ev_sig sw_ev_key_alg(const struct sw_ev_key *k)
{
	return k->alg;
}

const char *sw_ev_key_id(const struct sw_ev_key *k)
{
	return k->id;
}

const char *sw_ev_key_pub_pem(const struct sw_ev_key *k, size_t *len)
{
	*len = k->pub_len;
	return k->pub_pem;
}

/* Fills k's id and public PEM from k->pkey and checks its type. */
static enum sw_err key_finish(struct sw_ev_key *k, struct sw_errbuf *eb)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char *der = NULL, md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	BIO *b = NULL;
	char *p;
	long n;
	int dlen;

	if (EVP_PKEY_is_a(k->pkey, "SM2"))
		k->alg = SW_EV_SM2;
	else if (EVP_PKEY_is_a(k->pkey, "ED25519"))
		k->alg = SW_EV_ED25519;
	else
		return sw_errf(eb, SW_EINVAL, "not an SM2 or Ed25519 key");
	dlen = i2d_PUBKEY(k->pkey, &der);
	if (dlen <= 0 || !EVP_Digest(der, (size_t)dlen, md, &mdlen, EVP_sha256(), NULL)) {
		OPENSSL_free(der);
		return sw_errf(eb, SW_EIO, "cannot encode the public key");
	}
	OPENSSL_free(der);
	for (unsigned int i = 0; i < 32; i++) {
		k->id[2 * i] = digits[md[i] >> 4];
		k->id[2 * i + 1] = digits[md[i] & 15];
	}
	k->id[64] = '\0';
	if (!(b = BIO_new(BIO_s_mem())) || !PEM_write_bio_PUBKEY(b, k->pkey) ||
	    (n = BIO_get_mem_data(b, &p)) <= 0 || !(k->pub_pem = malloc((size_t)n + 1))) {
		BIO_free(b);
		return sw_errf(eb, SW_EIO, "cannot write the public key as PEM");
	}
	memcpy(k->pub_pem, p, (size_t)n);
	k->pub_pem[n] = '\0';
	k->pub_len = (size_t)n;
	BIO_free(b);
	return SW_OK;
}

/* Writes the whole buffer to fd. */
static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Writes text to path through a temporary file linked into place with
 * mode `mode`; SW_EEXIST when path exists already. */
static enum sw_err write_new(const char *dir, const char *path, const char *text, size_t n,
			     mode_t mode, struct sw_errbuf *eb)
{
	char tmp[4200];
	enum sw_err rc = SW_OK;
	int fd;

	snprintf(tmp, sizeof tmp, "%s/.key-XXXXXX", dir);
	if ((fd = mkstemp(tmp)) < 0)
		return sw_errf(eb, SW_EIO, "%s: %s", dir, strerror(errno));
	if (fchmod(fd, mode) || write_all(fd, text, n) || fsync(fd))
		rc = sw_errf(eb, SW_EIO, "%s: %s", tmp, strerror(errno));
	close(fd);
	if (!rc && link(tmp, path))
		rc = errno == EEXIST ? SW_EEXIST : sw_errf(eb, SW_EIO, "%s: %s", path, strerror(errno));
	unlink(tmp);
	return rc;
}

/* Generates a key of alg and stores it (private and public PEM) in dir. */
static enum sw_err key_generate(const char *dir, const char *priv, const char *pub,
				enum sw_ev_sig alg, struct sw_errbuf *eb)
{
	EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, alg == SW_EV_SM2 ? "SM2" : "ED25519");
	BIO *b = BIO_new(BIO_s_mem()), *bp = BIO_new(BIO_s_mem());
	enum sw_err rc = SW_OK;
	char *p, *q;
	long n, m;

	if (!pk || !b || !bp || !PEM_write_bio_PrivateKey(b, pk, NULL, NULL, 0, NULL, NULL) ||
	    !PEM_write_bio_PUBKEY(bp, pk) || (n = BIO_get_mem_data(b, &p)) <= 0 ||
	    (m = BIO_get_mem_data(bp, &q)) <= 0) {
		rc = sw_errf(eb, SW_EIO, "cannot generate an %s key", sw_ev_sig_name(alg));
		goto out;
	}
	rc = write_new(dir, priv, p, (size_t)n, 0600, eb);
	/* The public half is derived: writing it again is harmless. */
	if (!rc && (rc = write_new(dir, pub, q, (size_t)m, 0644, eb)) == SW_EEXIST)
		rc = SW_OK;
out:
	BIO_free(b);
	BIO_free(bp);
	EVP_PKEY_free(pk);
	return rc;
}

/* Reads the private key file path into *pk after checking its mode. */
static enum sw_err key_read(const char *path, EVP_PKEY **pk, struct sw_errbuf *eb)
{
	struct stat sb;
	FILE *f;

	if (!(f = fopen(path, "r")))
		return errno == ENOENT ? SW_ENOTFOUND : sw_errf(eb, SW_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode) || sb.st_size > KEY_FILE_MAX) {
		fclose(f);
		return sw_errf(eb, SW_EIO, "%s: not a key file", path);
	}
	if (sb.st_mode & 077) {
		fclose(f);
		return sw_errf(eb, SW_EINVAL, "%s: mode %03o lets others read the signing key; "
			       "it must be 0600", path, (unsigned)(sb.st_mode & 0777));
	}
	*pk = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	return *pk ? SW_OK : sw_errf(eb, SW_EIO, "%s: not a PEM private key", path);
}

enum sw_err sw_ev_key_open(const char *dir, enum sw_ev_sig alg, int create,
			   struct sw_ev_key **out, struct sw_errbuf *eb)
{
	char priv[4200], pub[4200];
	struct sw_ev_key *k;
	enum sw_err rc;

	*out = NULL;
	snprintf(priv, sizeof priv, "%s/ledger-%s.pem", dir, sw_ev_sig_name(alg));
	snprintf(pub, sizeof pub, "%s/ledger-%s.pub.pem", dir, sw_ev_sig_name(alg));
	if (!(k = calloc(1, sizeof *k)))
		return SW_ENOMEM;
	rc = key_read(priv, &k->pkey, eb);
	if (rc == SW_ENOTFOUND && create) {
		if (mkdir(dir, 0700) && errno != EEXIST)
			rc = sw_errf(eb, SW_EIO, "%s: %s", dir, strerror(errno));
		else if ((rc = key_generate(dir, priv, pub, alg, eb)) == SW_OK || rc == SW_EEXIST)
			rc = key_read(priv, &k->pkey, eb);
	} else if (rc == SW_ENOTFOUND) {
		rc = sw_errf(eb, SW_ENOTFOUND, "no signing key %s", priv);
	}
	if (!rc && !(rc = key_finish(k, eb)) && k->alg != alg)
		rc = sw_errf(eb, SW_EINVAL, "%s holds no %s key", priv, sw_ev_sig_name(alg));
	if (rc) {
		sw_ev_key_free(k);
		return rc;
	}
	k->has_private = 1;
	*out = k;
	return SW_OK;
}

enum sw_err sw_ev_key_from_pub(const void *pem, size_t len, struct sw_ev_key **out,
			       struct sw_errbuf *eb)
{
	struct sw_ev_key *k;
	BIO *b;
	enum sw_err rc;

	*out = NULL;
	if (len > KEY_FILE_MAX || !(b = BIO_new_mem_buf(pem, (int)len)))
		return sw_errf(eb, SW_EINVAL, "public key is not PEM");
	if (!(k = calloc(1, sizeof *k))) {
		BIO_free(b);
		return SW_ENOMEM;
	}
	k->pkey = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
	BIO_free(b);
	if (!k->pkey)
		rc = sw_errf(eb, SW_EINVAL, "public key is not PEM");
	else
		rc = key_finish(k, eb);
	if (rc) {
		sw_ev_key_free(k);
		return rc;
	}
	*out = k;
	return SW_OK;
}

/* Starts ctx signing or verifying with k: SM3 and the GM/T 0009 default ID
 * for SM2, no digest (the message itself) for Ed25519.  OpenSSL 3.0
 * refuses the ID as an init parameter; it is set on the context after
 * init, before any data (the ID enters the first hashed block, Z). */
static int sig_init(EVP_MD_CTX *ctx, struct sw_ev_key *k, int sign)
{
	EVP_PKEY_CTX *pctx = NULL;
	const char *md = k->alg == SW_EV_SM2 ? "SM3" : NULL;
	int ok = sign ? EVP_DigestSignInit_ex(ctx, &pctx, md, NULL, NULL, k->pkey, NULL)
		      : EVP_DigestVerifyInit_ex(ctx, &pctx, md, NULL, NULL, k->pkey, NULL);

	if (ok == 1 && k->alg == SW_EV_SM2)
		ok = EVP_PKEY_CTX_set1_id(pctx, SW_EV_SM2_ID, sizeof SW_EV_SM2_ID - 1);
	return ok;
}

enum sw_err sw_ev_key_sign(struct sw_ev_key *k, const void *msg, size_t len,
			   unsigned char **sig, size_t *sig_len, struct sw_errbuf *eb)
{
	EVP_MD_CTX *ctx;
	size_t n = (size_t)EVP_PKEY_get_size(k->pkey);
	unsigned char *buf;

	*sig = NULL;
	*sig_len = 0;
	if (!k->has_private)
		return sw_errf(eb, SW_EINVAL, "a public key cannot sign");
	if (!(ctx = EVP_MD_CTX_new()) || !(buf = malloc(n ? n : 1))) {
		EVP_MD_CTX_free(ctx);
		return SW_ENOMEM;
	}
	if (sig_init(ctx, k, 1) != 1 || EVP_DigestSign(ctx, buf, &n, msg, len) != 1) {
		EVP_MD_CTX_free(ctx);
		free(buf);
		ERR_clear_error();
		return sw_errf(eb, SW_EIO, "%s signing failed", sw_ev_sig_name(k->alg));
	}
	EVP_MD_CTX_free(ctx);
	*sig = buf;
	*sig_len = n;
	return SW_OK;
}

enum sw_err sw_ev_key_verify(struct sw_ev_key *k, const void *msg, size_t len,
			     const void *sig, size_t sig_len, struct sw_errbuf *eb)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	if (!ctx)
		return SW_ENOMEM;
	ok = sig_init(ctx, k, 0) == 1 && EVP_DigestVerify(ctx, sig, sig_len, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	/* A bad signature is an answer, not an error to leave queued. */
	ERR_clear_error();
	return ok ? SW_OK : sw_errf(eb, SW_EINVAL, "%s signature does not verify",
				    sw_ev_sig_name(k->alg));
}
