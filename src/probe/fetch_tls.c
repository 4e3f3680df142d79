/*
 * fetch_tls.c - the facts of a server's TLS certificate chain and our own
 * verdict on it, read from libcurl's OpenSSL connection.
 *
 * Facts that shaped it:
 *  - Fetching runs with peer verification off (fetch.h), and libcurl then
 *    does not even load the CA store, so CURLINFO_SSL_VERIFYRESULT says
 *    nothing useful.  We verify the chain the server sent ourselves against
 *    one X509_STORE loaded once per fetcher: the system store is ~140
 *    certificates, too many to parse per connection.
 *  - Host names are matched like browsers do: subjectAltName only, no
 *    fallback to the subject CN (Chrome stopped accepting CN-only
 *    certificates in 2017), no partial-label wildcards ("w*.example.cn").
 *  - Certificates are hostile input: the chain and the SAN list are
 *    capped, and every string is bounded by what OpenSSL decoded.
 */
#include "probe/fetch_int.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CERTS 16
#define MAX_SANS 256

/* Loads the trust anchors (see fetch_int.h). */
X509_STORE *sw__tls_store_new(const char *ca_file, struct sw_errbuf *eb)
{
	X509_STORE *st = X509_STORE_new();
	int ok;

	if (st == NULL) {
		sw_errf(eb, SW_ENOMEM, "out of memory creating the certificate store");
		return NULL;
	}
	ok = ca_file != NULL ? X509_STORE_load_file(st, ca_file) : X509_STORE_set_default_paths(st);
	ERR_clear_error();
	if (ok != 1) {
		sw_errf(eb, SW_EINVAL, "cannot load trust anchors from %s",
			ca_file != NULL ? ca_file : "the system store");
		X509_STORE_free(st);
		return NULL;
	}
	return st;
}

/* Returns name in RFC 2253 form, newly allocated; NULL when memory runs out. */
static char *name_text(const X509_NAME *name)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *out = NULL;
	long len;

	if (b == NULL)
		return NULL;
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		len = BIO_get_mem_data(b, &data);
		out = len >= 0 ? strndup(data, (size_t)len) : NULL;
	}
	BIO_free(b);
	return out;
}

/* Converts an ASN.1 time to time_t (UTC); 0 when it does not parse. */
static time_t asn1_time(const ASN1_TIME *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return timegm(&tm);
}

/* Returns one SAN entry as text (a DNS name or an IP address), newly
 * allocated; NULL for other kinds or when memory runs out. */
static char *san_text(const GENERAL_NAME *g)
{
	char ip[INET6_ADDRSTRLEN];
	const unsigned char *d;
	int len;

	if (g->type == GEN_DNS) {
		d = ASN1_STRING_get0_data(g->d.dNSName);
		len = ASN1_STRING_length(g->d.dNSName);
		return strndup((const char *)d, (size_t)len);
	}
	if (g->type != GEN_IPADD)
		return NULL;
	d = ASN1_STRING_get0_data(g->d.iPAddress);
	len = ASN1_STRING_length(g->d.iPAddress);
	if ((len == 4 && inet_ntop(AF_INET, d, ip, sizeof ip) != NULL) ||
	    (len == 16 && inet_ntop(AF_INET6, d, ip, sizeof ip) != NULL))
		return strdup(ip);
	return NULL;
}

/* Fills c->sans from x's subjectAltName extension, at most MAX_SANS. */
static void read_sans(X509 *x, struct sw_fetch_cert *c)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	int i, n;
	char *s;

	if (gens == NULL)
		return;
	n = sk_GENERAL_NAME_num(gens);
	if (n > MAX_SANS)
		n = MAX_SANS;
	c->sans = n > 0 ? calloc((size_t)n, sizeof *c->sans) : NULL;
	for (i = 0; c->sans != NULL && i < n; i++) {
		s = san_text(sk_GENERAL_NAME_value(gens, i));
		if (s != NULL)
			c->sans[c->n_sans++] = s;
	}
	GENERAL_NAMES_free(gens);
}

/* Fills c with the facts of certificate x. */
static void read_cert(X509 *x, struct sw_fetch_cert *c)
{
	c->subject = name_text(X509_get_subject_name(x));
	c->issuer = name_text(X509_get_issuer_name(x));
	c->not_before = asn1_time(X509_get0_notBefore(x));
	c->not_after = asn1_time(X509_get0_notAfter(x));
	c->self_signed = X509_self_signed(x, 0) == 1;
	read_sans(x, c);
}

/* Verifies chain (leaf first) against store now, for a TLS server; records
 * the verdict in t. */
static void verify(X509_STORE *store, STACK_OF(X509) *chain, struct sw_fetch_tls *t)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	X509 *leaf = sk_X509_value(chain, 0);
	int ok = 0;

	t->verify_code = X509_V_ERR_UNSPECIFIED;
	if (ctx != NULL && X509_STORE_CTX_init(ctx, store, leaf, chain) == 1) {
		X509_STORE_CTX_set_default(ctx, "ssl_server");
		ok = X509_verify_cert(ctx) == 1;
		t->verify_code = ok ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
	}
	t->verified = ok;
	snprintf(t->verify_msg, sizeof t->verify_msg, "%s",
		 X509_verify_cert_error_string(t->verify_code));
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
}

/* Returns 1 when the leaf x names host (an IP literal or a DNS name). */
static int host_matches(X509 *x, const char *host)
{
	unsigned char addr[16];
	unsigned flags = X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;

	if (host == NULL || host[0] == '\0')
		return 0;
	if (inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1)
		return X509_check_ip_asc(x, host, 0) == 1;
	return X509_check_host(x, host, 0, flags, NULL) == 1;
}

/* The first n certificates of chain as PEM, newly allocated; NULL when
 * memory runs out. */
static char *chain_pem(STACK_OF(X509) *chain, int n)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *out = NULL;
	long len;
	int i;

	if (b == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (PEM_write_bio_X509(b, sk_X509_value(chain, i)) != 1)
			break;
	len = BIO_get_mem_data(b, &data);
	if (i == n && len > 0 && (out = malloc((size_t)len + 1)) != NULL) {
		memcpy(out, data, (size_t)len);
		out[len] = '\0';
	}
	BIO_free(b);
	ERR_clear_error();
	return out;
}

/* Records the TLS facts of ssl (see fetch_int.h). */
void sw__tls_capture(SSL *ssl, X509_STORE *store, const char *host, struct sw_fetch_tls *t)
{
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	int i, n;

	sw__tls_clear(t);
	t->present = 1;
	snprintf(t->version, sizeof t->version, "%s", SSL_get_version(ssl));
	t->version_num = SSL_version(ssl);
	n = chain != NULL ? sk_X509_num(chain) : 0;
	if (n <= 0) {
		t->verify_code = X509_V_ERR_UNSPECIFIED;
		snprintf(t->verify_msg, sizeof t->verify_msg, "no certificate sent");
		return;
	}
	if (n > MAX_CERTS)
		n = MAX_CERTS;
	t->certs = calloc((size_t)n, sizeof *t->certs);
	for (i = 0; t->certs != NULL && i < n; i++) {
		read_cert(sk_X509_value(chain, i), &t->certs[i]);
		t->n_certs++;
	}
	t->chain_pem = chain_pem(chain, n);
	verify(store, chain, t);
	t->name_match = host_matches(sk_X509_value(chain, 0), host);
}
