/*
 * fetch_xfer.c - one transfer (one hop of a fetch): the libcurl easy
 * handle's settings, the callbacks that keep the headers and the body under
 * their caps, and what is read back from libcurl when the hop ends.
 *
 * Facts that shaped it:
 *  - The body cap counts decoded bytes in the write callback, which returns
 *    short past the cap; libcurl then stops inflating at once, so a gzip
 *    bomb costs at most the cap, not its inflated size.  The wire cap is
 *    checked in the progress callback: a deflate stream of empty blocks
 *    produces no output and would otherwise never trip the body cap.
 *  - Peer verification is off on purpose (fetch.h), and weak protocol
 *    versions and ciphers are allowed (TLS 1.0, @SECLEVEL=0): an old site
 *    must be fetched to be reported as old.  The probe only sends GETs
 *    without credentials, so nothing is exposed by a weak channel.
 *  - TLS facts must be taken while the connection is attached to the
 *    handle: libcurl detaches it when the transfer ends, and with it
 *    CURLINFO_TLS_SSL_PTR.  The status line's header callback is the first
 *    moment after the handshake that is always reached.
 *  - The cookie engine is on per easy handle, and a handle serves one fetch
 *    only: a redirect chain that sets a cookie and expects it back works,
 *    and nothing leaks from one site to the next.
 */
#include "probe/fetch_int.h"

#include <stdlib.h>
#include <string.h>

/* Reserves room for need more bytes plus a NUL in *buf (allocated *cap,
 * used len): exactly that much for a first reservation of more than 16 KiB
 * (a known Content-Length), else doubling from 16 KiB.  Returns 0 when
 * memory runs out. */
static int reserve(char **buf, size_t *cap, size_t len, size_t need)
{
	size_t ncap = *cap > 0 ? *cap : 16384;
	char *nb;

	if (*cap > len + need)
		return 1;
	if (*cap == 0 && len + need + 1 > ncap)
		ncap = len + need + 1;
	while (ncap <= len + need)
		ncap *= 2;
	nb = realloc(*buf, ncap);
	if (nb == NULL)
		return 0;
	*buf = nb;
	*cap = ncap;
	return 1;
}

/* Returns 1 (and marks the cut) when more body bytes than the wire cap have
 * arrived.  libcurl counts them before it decodes and writes, so checking
 * here stops a bomb at its first decoded chunk past the cap. */
static int over_raw(struct sw__job *j)
{
	curl_off_t raw = 0;

	if (curl_easy_getinfo(j->easy, CURLINFO_SIZE_DOWNLOAD_T, &raw) != CURLE_OK || raw <= 0 ||
	    (uint64_t)raw <= sw__fetcher_opts(j->f)->max_raw)
		return 0;
	j->raw_cap_hit = 1;
	j->r->truncated = 1;
	return 1;
}

/* Write callback: keeps decoded body bytes up to the cap.  Returning less
 * than n makes libcurl abort the transfer with CURLE_WRITE_ERROR. */
static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
	struct sw__job *j = ud;
	struct sw_fetch_result *r = j->r;
	size_t cap = sw__fetcher_opts(j->f)->max_body;
	size_t room = cap - r->body_len, take = n < room ? n : room;
	char *body = (char *)r->body;

	(void)size; /* always 1 */
	if (take > 0 && j->body_cap == 0) {
		/* Size the buffer once from Content-Length when the server gives
		 * one (bounded by the cap): a 45 KB page otherwise grows through
		 * three reallocations and copies. */
		curl_off_t cl = -1;

		if (curl_easy_getinfo(j->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) == CURLE_OK &&
		    cl > 0 && (uint64_t)cl >= take) {
			size_t want = (uint64_t)cl < cap ? (size_t)cl : cap;

			if (!reserve(&body, &j->body_cap, 0, want)) {
				j->oom = 1;
				return 0;
			}
		}
	}
	if (take > 0) {
		if (!reserve(&body, &j->body_cap, r->body_len, take)) {
			j->oom = 1;
			return 0;
		}
		r->body = (unsigned char *)body;
		memcpy(r->body + r->body_len, data, take);
		r->body_len += take;
		r->body[r->body_len] = '\0';
	}
	if (take < n) {
		r->truncated = 1;
		return 0;
	}
	return over_raw(j) ? 0 : n;
}

/* Takes the TLS facts of the connection j's handle is using, once per hop. */
static void take_tls(struct sw__job *j)
{
	struct curl_tlssessioninfo *tsi = NULL;
	const char *url = j->r->hops[j->r->n_hops - 1].url;

	j->tls_taken = 1;
	if (strncmp(url, "https:", 6) != 0)
		return;
	if (curl_easy_getinfo(j->easy, CURLINFO_TLS_SSL_PTR, &tsi) != CURLE_OK || tsi == NULL ||
	    tsi->backend != CURLSSLBACKEND_OPENSSL || tsi->internals == NULL)
		return;
	sw__tls_capture(tsi->internals, sw__fetcher_store(j->f), j->bare, &j->r->tls);
}

/* Header callback: keeps the last response's header block, raw, up to the
 * cap.  A status line starts a new block (after a 1xx response). */
static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
	struct sw__job *j = ud;
	struct sw_fetch_result *r = j->r;
	size_t cap = sw__fetcher_opts(j->f)->max_headers;

	(void)size;
	if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		r->headers_len = 0;
		if (!j->tls_taken)
			take_tls(j);
	}
	if (r->headers_len + n > cap) {
		sw__result_fail(r, SW_FETCH_ETOOLARGE, "response header block larger than %zu bytes",
				cap);
		return 0;
	}
	if (!reserve(&r->headers, &j->hdr_cap, r->headers_len, n)) {
		j->oom = 1;
		return 0;
	}
	memcpy(r->headers + r->headers_len, data, n);
	r->headers_len += n;
	r->headers[r->headers_len] = '\0';
	return n;
}

/* Debug callback of the site's own view: keeps the request header block
 * libcurl sent (the last request's), the evidence of what was asked.  Only
 * CURLINFO_HEADER_OUT is looked at; the rest costs a call each. */
static int on_debug(CURL *e, curl_infotype type, char *data, size_t n, void *ud)
{
	struct sw__job *j = ud;
	struct sw_fetch_result *r = j->r;

	(void)e;
	if (type != CURLINFO_HEADER_OUT)
		return 0;
	if (n > 65536)
		n = 65536;
	/* One call per request on HTTP/1; a new request starts a new block. */
	r->req_headers_len = 0;
	if (!reserve(&r->req_headers, &j->reqh_cap, 0, n))
		return 0;
	memcpy(r->req_headers, data, n);
	r->req_headers_len = n;
	r->req_headers[n] = '\0';
	return 0;
}

/* Progress callback: aborts past the wire cap (see the file comment). */
static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct sw__job *j = ud;

	(void)dltotal;
	(void)ultotal;
	(void)ulnow;
	(void)dlnow;
	return over_raw(j);
}

/* Sets the options that stay the same for every hop of a fetch on a new
 * handle.  Returns 0 when libcurl refuses one. */
static int setup_once(struct sw__job *j, CURL *e)
{
	const struct sw_fetch_opts *o = sw__fetcher_opts(j->f);
	CURLcode c = CURLE_OK;
	long ipres = o->ip_version == 4   ? CURL_IPRESOLVE_V4
		     : o->ip_version == 6 ? CURL_IPRESOLVE_V6
					  : CURL_IPRESOLVE_WHATEVER;

	c |= curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)j);
	c |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	c |= curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	c |= curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	c |= curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
	c |= curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
	c |= curl_easy_setopt(e, CURLOPT_XFERINFODATA, j);
	c |= curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	c |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
	c |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	c |= curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	c |= curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
			      o->http1_only ? (long)CURL_HTTP_VERSION_1_1 : (long)CURL_HTTP_VERSION_2TLS);
	c |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	/* The spider's and a search visitor's view, for cloaking checks. */
	c |= curl_easy_setopt(e, CURLOPT_USERAGENT,
			      j->r->as == SW_FETCH_AS_SPIDER ? SW_FETCH_UA_SPIDER
			      : j->r->as == SW_FETCH_AS_SEARCH ? SW_FETCH_UA_BROWSER : o->user_agent);
	if (j->r->as == SW_FETCH_AS_SEARCH)
		c |= curl_easy_setopt(e, CURLOPT_REFERER, "https://www.baidu.com/s?wd=%E6%94%BF%E5%BA%9C");
	c |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, sw__fetcher_reqheaders(j->f));
	if (sw__fetcher_resolve(j->f) != NULL)
		c |= curl_easy_setopt(e, CURLOPT_RESOLVE, sw__fetcher_resolve(j->f));
	c |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	c |= curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	c |= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	c |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
	c |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	c |= curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_0);
	c |= curl_easy_setopt(e, CURLOPT_SSL_CIPHER_LIST, "DEFAULT:@SECLEVEL=0");
	c |= curl_easy_setopt(e, CURLOPT_COOKIEFILE, "");
	c |= curl_easy_setopt(e, CURLOPT_IPRESOLVE, ipres);
	if (j->r->as == SW_FETCH_AS_SELF) {
		c |= curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
		c |= curl_easy_setopt(e, CURLOPT_DEBUGDATA, j);
		c |= curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	}
	return c == CURLE_OK;
}

/* Prepares j's handle for its last hop (see fetch_int.h). */
enum sw_err sw__xfer_setup(struct sw__job *j, long remaining_ms)
{
	struct sw_fetch_result *r = j->r;

	if (j->easy == NULL) {
		j->easy = curl_easy_init();
		if (j->easy == NULL)
			return SW_ENOMEM;
		if (!setup_once(j, j->easy))
			return SW_EIO;
	}
	if (curl_easy_setopt(j->easy, CURLOPT_URL, r->hops[r->n_hops - 1].url) != CURLE_OK ||
	    curl_easy_setopt(j->easy, CURLOPT_TIMEOUT_MS, remaining_ms) != CURLE_OK)
		return SW_EIO;
	sw__result_reset_response(r, j);
	j->errbuf[0] = '\0';
	j->raw_cap_hit = 0;
	j->tls_taken = 0;
	return SW_OK;
}

/* libcurl result codes that are not "other", by kind. */
static const struct {
	CURLcode rc;
	enum sw_fetch_err e;
} curl_errs[] = {
	{CURLE_UNSUPPORTED_PROTOCOL, SW_FETCH_EURL},
	{CURLE_URL_MALFORMAT, SW_FETCH_EURL},
	{CURLE_COULDNT_RESOLVE_PROXY, SW_FETCH_EDNS},
	{CURLE_COULDNT_RESOLVE_HOST, SW_FETCH_EDNS},
	{CURLE_COULDNT_CONNECT, SW_FETCH_ECONNECT},
	{CURLE_SEND_ERROR, SW_FETCH_ECONNECT},
	{CURLE_RECV_ERROR, SW_FETCH_ECONNECT},
	{CURLE_OPERATION_TIMEDOUT, SW_FETCH_ETIMEOUT},
	{CURLE_SSL_CONNECT_ERROR, SW_FETCH_ETLS},
	{CURLE_PEER_FAILED_VERIFICATION, SW_FETCH_ETLS},
	{CURLE_SSL_CERTPROBLEM, SW_FETCH_ETLS},
	{CURLE_SSL_CIPHER, SW_FETCH_ETLS},
	{CURLE_SSL_CACERT_BADFILE, SW_FETCH_ETLS},
	{CURLE_SSL_SHUTDOWN_FAILED, SW_FETCH_ETLS},
	{CURLE_SSL_ISSUER_ERROR, SW_FETCH_ETLS},
	{CURLE_USE_SSL_FAILED, SW_FETCH_ETLS},
	{CURLE_SSL_CLIENTCERT, SW_FETCH_ETLS},
	{CURLE_TOO_MANY_REDIRECTS, SW_FETCH_EREDIRECTS},
	{CURLE_FILESIZE_EXCEEDED, SW_FETCH_ETOOLARGE},
	{CURLE_WEIRD_SERVER_REPLY, SW_FETCH_EHTTP},
	{CURLE_PARTIAL_FILE, SW_FETCH_EHTTP},
	{CURLE_GOT_NOTHING, SW_FETCH_EHTTP},
	{CURLE_BAD_CONTENT_ENCODING, SW_FETCH_EHTTP},
	{CURLE_HTTP2, SW_FETCH_EHTTP},
	{CURLE_HTTP2_STREAM, SW_FETCH_EHTTP},
	{CURLE_HTTP3, SW_FETCH_EHTTP},
	{CURLE_ABORTED_BY_CALLBACK, SW_FETCH_EABORTED},
};

/* Returns the kind of libcurl error rc; SW_FETCH_OK for CURLE_OK. */
enum sw_fetch_err sw__fetch_err_from_curl(CURLcode rc)
{
	size_t i;

	if (rc == CURLE_OK)
		return SW_FETCH_OK;
	for (i = 0; i < sizeof curl_errs / sizeof curl_errs[0]; i++)
		if (curl_errs[i].rc == rc)
			return curl_errs[i].e;
	return SW_FETCH_EOTHER;
}

/* Maps CURLINFO_HTTP_VERSION to 10, 11, 20, 30 (0 when none). */
static int http_version(CURL *e)
{
	long v = 0;

	curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &v);
	switch (v) {
	case CURL_HTTP_VERSION_1_0:
		return 10;
	case CURL_HTTP_VERSION_1_1:
		return 11;
	case CURL_HTTP_VERSION_2_0:
		return 20;
	case CURL_HTTP_VERSION_3:
		return 30;
	default:
		return 0;
	}
}

/* Reads the hop's timings. */
static void read_times(CURL *e, struct sw_fetch_times *t)
{
	curl_off_t v;

	t->dns_us = curl_easy_getinfo(e, CURLINFO_NAMELOOKUP_TIME_T, &v) == CURLE_OK ? v : 0;
	t->connect_us = curl_easy_getinfo(e, CURLINFO_CONNECT_TIME_T, &v) == CURLE_OK ? v : 0;
	t->tls_us = curl_easy_getinfo(e, CURLINFO_APPCONNECT_TIME_T, &v) == CURLE_OK ? v : 0;
	t->first_byte_us = curl_easy_getinfo(e, CURLINFO_STARTTRANSFER_TIME_T, &v) == CURLE_OK ? v : 0;
	t->total_us = curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &v) == CURLE_OK ? v : 0;
}

/* Records the error of a failed hop, most specific cause first. */
static void hop_error(struct sw__job *j, CURLcode rc)
{
	struct sw_fetch_result *r = j->r;
	const struct sw_fetch_opts *o = sw__fetcher_opts(j->f);
	const char *why = j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc);

	if (j->oom)
		sw__result_fail(r, SW_FETCH_EOTHER, "out of memory receiving the response");
	else if (j->raw_cap_hit)
		sw__result_fail(r, SW_FETCH_ETOOLARGE,
				"more than %zu body bytes on the wire; kept the first %zu decoded",
				o->max_raw, r->body_len);
	else if (r->truncated)
		sw__result_fail(r, SW_FETCH_ETOOLARGE,
				"body larger than %zu bytes after decoding; kept the first %zu",
				o->max_body, r->body_len);
	else
		sw__result_fail(r, sw__fetch_err_from_curl(rc), "%s", why);
}

/* Records what libcurl knows of the finished hop (see fetch_int.h). */
void sw__xfer_collect(struct sw__job *j, CURLcode rc)
{
	struct sw_fetch_result *r = j->r;
	struct sw_fetch_hop *hop = &r->hops[r->n_hops - 1];
	CURL *e = j->easy;
	char *s = NULL;
	curl_off_t raw = 0;
	long v = 0;

	if (curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &v) == CURLE_OK)
		hop->status = r->status = v;
	if (curl_easy_getinfo(e, CURLINFO_PRIMARY_IP, &s) == CURLE_OK && s != NULL)
		snprintf(hop->ip, sizeof hop->ip, "%s", s);
	if (curl_easy_getinfo(e, CURLINFO_PRIMARY_PORT, &v) == CURLE_OK)
		hop->port = v;
	memcpy(r->primary_ip, hop->ip, sizeof r->primary_ip);
	r->primary_port = hop->port;
	read_times(e, &hop->times);
	if (r->n_hops == 1 && r->resolve_us > 0) {
		/* Our own lookup came before libcurl's clock started. */
		struct sw_fetch_times *t = &hop->times;

		t->dns_us += r->resolve_us;
		t->connect_us += t->connect_us ? r->resolve_us : 0;
		t->tls_us += t->tls_us ? r->resolve_us : 0;
		t->first_byte_us += t->first_byte_us ? r->resolve_us : 0;
		t->total_us += r->resolve_us;
	}
	r->times = hop->times;
	r->http_version = r->status != 0 ? http_version(e) : 0;
	s = NULL;
	if (curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &s) == CURLE_OK && s != NULL) {
		free(r->content_type);
		r->content_type = strdup(s);
	}
	if (curl_easy_getinfo(e, CURLINFO_SIZE_DOWNLOAD_T, &raw) == CURLE_OK)
		r->raw_bytes = raw;
	if (rc != CURLE_OK)
		hop_error(j, rc);
}

/* Returns the target of the finished hop's redirect, or NULL when the hop
 * is not a redirect to follow (see fetch_int.h). */
const char *sw__xfer_redirect(struct sw__job *j)
{
	long st = j->r->status;
	char *to = NULL;

	if (st != 301 && st != 302 && st != 303 && st != 307 && st != 308)
		return NULL;
	if (curl_easy_getinfo(j->easy, CURLINFO_REDIRECT_URL, &to) != CURLE_OK)
		return NULL;
	return to;
}
