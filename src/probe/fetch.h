/*
 * fetch.h - the prober's fetching layer: many HTTP(S) GETs at once on one
 * thread, each ending in one result that holds every fact the checks need.
 *
 * Facts that shaped it:
 *  - One sweep covers tens of thousands of sites, so there is no thread per
 *    site: one libcurl multi handle, one event loop, and our own queue that
 *    bounds the transfers in flight globally and per host name (a site group
 *    on one server must not be hammered by its own supervisor).
 *  - Redirects are followed here, not by libcurl, so every hop goes through
 *    the per-host queue, is recorded (URL, status, address, times), is
 *    checked for a loop before it is requested, and is compared with the
 *    requested URL's registrable domain (public suffix list).
 *  - Hostile servers are the normal case: bodies are capped after content
 *    decoding (a gzip bomb is cut off, not inflated) and on the wire, header
 *    blocks are capped, only http and https are spoken, and no cookie leaves
 *    one fetch for another.
 *  - Broken TLS must still be observed: peer verification is off so an
 *    expired, self-signed or misnamed site is fetched, and the chain's facts
 *    and our own verification verdict (against the system CA store, or a
 *    given CA file) are recorded beside the page.
 *  - Analysis needs UTF-8 and evidence needs the exact bytes: the result
 *    keeps the body as received (after content decoding only) and
 *    sw_fetch_body_utf8 converts a copy.
 *
 * Ownership: the engine hands every result over to the done callback, which
 * owns it from then on and releases it with sw_fetch_result_free (now or
 * later).  Every URL added gets exactly one callback, also when it is
 * malformed or abandoned by sw_fetcher_stop.
 */
#ifndef SW_PROBE_FETCH_H
#define SW_PROBE_FETCH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/err.h"

/* Why a fetch failed.  Append only; name and message in one list. */
#define SW_FETCH_ERR_MAP(X)                                          \
	X(SW_FETCH_OK, "ok")                                          \
	X(SW_FETCH_EDNS, "host name not resolved")                    \
	X(SW_FETCH_ECONNECT, "connection failed")                     \
	X(SW_FETCH_ETIMEOUT, "timed out")                             \
	X(SW_FETCH_ETLS, "TLS handshake failed")                      \
	X(SW_FETCH_EREDIRECTS, "too many redirects")                  \
	X(SW_FETCH_ELOOP, "redirect loop")                            \
	X(SW_FETCH_ETOOLARGE, "response too large")                   \
	X(SW_FETCH_EURL, "bad or unsupported URL")                    \
	X(SW_FETCH_EHTTP, "malformed or incomplete HTTP response")    \
	X(SW_FETCH_EABORTED, "abandoned: the fetcher was stopped")    \
	X(SW_FETCH_EOTHER, "transfer failed")                         \
	X(SW_FETCH_ENXDOMAIN, "host name does not exist (NXDOMAIN)")

enum sw_fetch_err {
#define SW_FETCH_ERR_ENUM(name, msg) name,
	SW_FETCH_ERR_MAP(SW_FETCH_ERR_ENUM)
#undef SW_FETCH_ERR_ENUM
	SW_FETCH_ERR__COUNT
};

/* Static message / enum name for e; never NULL. */
const char *sw_fetch_strerror(enum sw_fetch_err e);
const char *sw_fetch_errname(enum sw_fetch_err e);

/* Settings of one fetcher; sw_fetch_opts_init fills in the defaults. */
struct sw_fetch_opts {
	size_t max_total;         /* transfers in flight at once; default 256 */
	size_t max_per_host;      /* in flight per host name; default 4 */
	long connect_timeout_ms;  /* per connection; default 10000 */
	long timeout_ms;          /* whole fetch, all hops together; default 30000 */
	int max_redirects;        /* hops followed; default 5; 0 follows none */
	size_t max_body;          /* decoded body bytes kept; default 5 MiB */
	size_t max_raw;           /* body bytes on the wire; default = max_body */
	size_t max_headers;       /* bytes of one response's header block; default 256 KiB */
	const char *user_agent;   /* NULL: "sitewarden/<version> (website security supervision)" */
	/* NULL-terminated CURLOPT_RESOLVE entries ("host:port:addr[,addr]",
	 * host "*" for any), e.g. tests pointing any name at 127.0.0.1; NULL
	 * for none.  Copied.  Our extension: the address "-" says the name
	 * does not exist (NXDOMAIN), so tests need no DNS.  Names no entry
	 * covers are resolved by the fetcher itself (getaddrinfo_a), which
	 * records every address and tells NXDOMAIN from other failures. */
	const char *const *resolve;
	/* PEM file of trust anchors for the verification verdict; NULL: the
	 * system CA store.  Fetching never depends on it. */
	const char *ca_file;
	int ip_version;           /* 0 either, 4 or 6 only */
	int http1_only;           /* 1: never negotiate HTTP/2 */
	/* A flag owned by the caller that stops runs as sw_fetcher_stop does
	 * while it is non-zero (a thread or signal handler sets it; the run
	 * sees it within about a second).  NULL: none.  Borrowed. */
	volatile sig_atomic_t *stop;
};

/* Fills o with the defaults above. */
void sw_fetch_opts_init(struct sw_fetch_opts *o);

/* libcurl's timings of one hop, in microseconds since the hop started.  Each
 * includes the ones before it: dns <= connect <= tls <= first_byte <= total;
 * connect and tls stay 0 (or equal dns) on a reused connection, tls is 0 for
 * plain HTTP. */
struct sw_fetch_times {
	int64_t dns_us, connect_us, tls_us, first_byte_us, total_us;
};

/* One request of a redirect chain. */
struct sw_fetch_hop {
	char *url;            /* absolute, as libcurl normalised it */
	long status;          /* 0 when no response arrived */
	char ip[48];          /* peer address; "" when no connection */
	long port;
	int cross_domain;     /* host's registrable domain differs from the first hop's */
	struct sw_fetch_times times;
};

/* One certificate as the server sent it. */
struct sw_fetch_cert {
	char *subject;        /* RFC 2253 one-line form */
	char *issuer;
	char **sans;          /* DNS names and IP addresses, as text */
	size_t n_sans;        /* kept; at most 256 */
	time_t not_before, not_after;
	int self_signed;
};

/* TLS facts of the final HTTPS hop (present == 0 otherwise). */
struct sw_fetch_tls {
	int present;
	char version[16];     /* "TLSv1.3", "TLSv1.2", ... */
	int version_num;      /* 0x0304 for TLS 1.3, 0x0301 for TLS 1.0 */
	struct sw_fetch_cert *certs; /* leaf first, in the order sent; at most 16 */
	size_t n_certs;
	int verified;         /* chain verifies against the trust anchors now */
	long verify_code;     /* OpenSSL X509_V_* code, 0 when verified */
	char verify_msg[128]; /* OpenSSL's words for verify_code */
	int name_match;       /* leaf's SANs cover the host (no CN fallback, as browsers) */
	char *chain_pem;      /* the chain as sent (at most 16), PEM, for evidence; NULL
			       * when memory ran out */
};

/* Where the body's charset label came from. */
enum sw_fetch_cs_src {
	SW_FETCH_CS_NONE,     /* nothing declared: UTF-8 if valid, else GB18030 */
	SW_FETCH_CS_HEADER,   /* Content-Type charset parameter */
	SW_FETCH_CS_BOM,      /* byte order mark */
	SW_FETCH_CS_META,     /* <meta charset> or http-equiv in the first 4 KiB */
};

/*
 * Who the request claims to be.  Sites hijacked for search-engine spam
 * (cloaking) answer spiders and visitors from a search engine differently
 * from everyone else, so a live check asks as all three.
 */
enum sw_fetch_as {
	SW_FETCH_AS_SELF,    /* our own User-Agent, no Referer */
	SW_FETCH_AS_SPIDER,  /* Baiduspider's User-Agent */
	SW_FETCH_AS_SEARCH,  /* a browser arriving from a Baidu results page */
};

/*
 * What one fetch produced.  Strings are NUL-terminated and owned by the
 * result.  Fields after err describe what was received and stay meaningful
 * after an error (a truncated page keeps status, headers and the body kept).
 */
struct sw_fetch_result {
	void *user;               /* as given to sw_fetcher_add */
	enum sw_fetch_as as;      /* who the request claimed to be */
	char *url;                /* as given to sw_fetcher_add */
	char *final_url;          /* last hop's URL (== url's normal form without redirects) */
	long status;              /* last hop's HTTP status; 0 when none */
	enum sw_fetch_err err;
	char errmsg[256];         /* "" when err is SW_FETCH_OK */
	struct sw_fetch_hop *hops; /* hops[0] is the requested URL, the last the final one */
	size_t n_hops;
	int cross_domain;         /* some hop left the requested registrable domain */
	char primary_ip[48];      /* last hop's peer address */
	long primary_port;
	struct sw_fetch_times times; /* last hop's */
	int64_t elapsed_us;       /* from the first hop's start to the end, all hops */
	int http_version;         /* 10, 11, 20, 30; 0 when no response */
	char *headers;            /* last response's raw header block, as received */
	size_t headers_len;
	char *content_type;       /* Content-Type value; NULL when absent */
	/*
	 * The body of the last response as received after libcurl undid the
	 * Content-Encoding (gzip, deflate, br, zstd): no charset conversion, no
	 * other change, so it is the evidence.  body[body_len] is a NUL not
	 * counted in body_len; body is never NULL.
	 */
	unsigned char *body;
	size_t body_len;
	int64_t raw_bytes;        /* body bytes on the wire, before decoding */
	int truncated;            /* body stopped at a cap (err is SW_FETCH_ETOOLARGE) */
	char charset[32];         /* declared label, lower case; "" when none */
	enum sw_fetch_cs_src charset_src;
	struct sw_fetch_tls tls;
	/* The request of the last hop as sent: method, and for the site's own
	 * view (SW_FETCH_AS_SELF) the request header block libcurl wrote
	 * (HTTP/1 text; for HTTP/2 libcurl's rendering of it); NULL otherwise. */
	const char *req_method;   /* "GET"; static */
	char *req_headers;
	size_t req_headers_len;
	/* Every address the requested host name resolved to (at most 16), as
	 * text, when the fetcher resolved it (hop 0 of a fetch not added with
	 * SW_FETCH_F_NEXT); n_addrs 0 otherwise. */
	char addrs[16][48];
	size_t n_addrs;
	int64_t resolve_us;       /* time the resolution took */
};

/* Frees r and all it holds.  r may be NULL. */
void sw_fetch_result_free(struct sw_fetch_result *r);

/*
 * Finds header name (case-insensitive) in r's raw header block; returns a
 * pointer into r->headers at its value, leading and trailing blanks left out,
 * and the value's length in *len.  NULL when absent.  The first of repeated
 * headers wins.  The pointer is valid while r is.
 */
const char *sw_fetch_header(const struct sw_fetch_result *r, const char *name, size_t *len);

/*
 * Converts r's body to UTF-8 following r->charset (GBK, GB2312 and GB18030
 * decode as GB18030, Big5 as Big5-HKSCS, a BOM picks UTF-8/16; an undeclared
 * body is UTF-8 when valid, else GB18030).  Bytes invalid in that encoding
 * become U+FFFD: hostile pages must still be analysed, and the raw body stays
 * the evidence.  The BOM is dropped.  Newly allocated NUL-terminated text in
 * *out (caller frees), its length in *outlen.  SW_ENOMEM is the only failure.
 */
enum sw_err sw_fetch_body_utf8(const struct sw_fetch_result *r, char **out, size_t *outlen);

/*
 * The iconv name r's body is decoded from by sw_fetch_body_utf8 ("UTF-8",
 * "GB18030", "BIG5-HKSCS" ...).  Evidence offsets in converted text are
 * mapped back to raw bytes with it.
 */
const char *sw_fetch_body_charset(const struct sw_fetch_result *r);

/*
 * A result holding a copy of body as if it had been fetched from url with
 * Content-Type ctype (NULL: none), the charset detected as for a fetch
 * (BOM, header, <meta>, else UTF-8 when valid, else GB18030): the offline
 * check analyses files through the same path as live pages.  *out is the
 * caller's (sw_fetch_result_free).  SW_ENOMEM is the only failure.
 */
enum sw_err sw_fetch_result_from_body(const char *url, const void *body, size_t len,
				      const char *ctype, struct sw_fetch_result **out);

/* A point-in-time view of the engine, for progress displays and tests. */
struct sw_fetch_stats {
	size_t queued;           /* fetches waiting for a slot (hops included) */
	size_t active;           /* transfers in flight now */
	size_t active_max;       /* highest active seen */
	size_t host_active_max;  /* highest in-flight count one host name reached */
	uint64_t added;          /* URLs added */
	uint64_t done;           /* results delivered */
	uint64_t transfers;      /* requests started (a redirect hop is one more) */
	uint64_t abandoned;      /* results delivered as SW_FETCH_EABORTED */
};

struct sw_fetcher;

/* Receives each result; owns r from then on (see the file comment).  May
 * call sw_fetcher_add and sw_fetcher_stop, nothing else of the fetcher. */
typedef void (*sw_fetch_done_fn)(struct sw_fetch_result *r, void *arg);

/* Creates a fetcher with o (NULL: defaults).  SW_EINVAL (message in eb) for a
 * zero limit or a CA file that does not load; SW_ENOMEM; SW_EIO when libcurl
 * cannot start. */
enum sw_err sw_fetcher_new(const struct sw_fetch_opts *o, struct sw_fetcher **out,
			   struct sw_errbuf *eb);

/* As sw_fetcher_add, asking as `as`; the result's `as` says which. */
enum sw_err sw_fetcher_add_as(struct sw_fetcher *f, const char *url, void *user,
			      enum sw_fetch_as as);

/* Flags of sw_fetcher_add_ex. */
enum {
	/* Keep the connection when the fetch ends, because another fetch of
	 * the same host follows (the next view, an inner page). */
	SW_FETCH_F_KEEP = 1,
	/* Start before anything queued: at the front of its host's queue and
	 * the host at the front of the ready list, so that, added from the
	 * done callback of a fetch of the same host made with SW_FETCH_F_KEEP,
	 * it reuses that connection (one TLS handshake for several requests).
	 * The host name is not resolved again: libcurl's cache has it. */
	SW_FETCH_F_NEXT = 2,
};

/* As sw_fetcher_add_as with flags (above). */
enum sw_err sw_fetcher_add_ex(struct sw_fetcher *f, const char *url, void *user,
			      enum sw_fetch_as as, unsigned flags);

/* Queues url (copied) with user for the next or current run.  A malformed or
 * non-http(s) URL is not refused here: its result says SW_FETCH_EURL.
 * SW_ENOMEM is the only failure. */
enum sw_err sw_fetcher_add(struct sw_fetcher *f, const char *url, void *user);

/*
 * Runs until every queued fetch has been delivered to done(r, arg), or until
 * sw_fetcher_stop, after which in-flight and queued fetches are delivered as
 * SW_FETCH_EABORTED and run returns.  SW_EIO (message in eb) when the event
 * loop itself fails; the fetches not delivered yet are then abandoned too.
 */
enum sw_err sw_fetcher_run(struct sw_fetcher *f, sw_fetch_done_fn done, void *arg,
			   struct sw_errbuf *eb);

/* Asks the current (or next) run to abandon its work and return within about
 * a second.  Async-signal-safe: it only sets a flag. */
void sw_fetcher_stop(struct sw_fetcher *f);

/* Copies the counters into *st. */
void sw_fetcher_stats(const struct sw_fetcher *f, struct sw_fetch_stats *st);

/* Transfers in flight now for host name host (lower case, as in the URL). */
size_t sw_fetcher_host_active(const struct sw_fetcher *f, const char *host);

/* Frees f, dropping anything still queued without callbacks.  Not from a
 * callback.  f may be NULL. */
void sw_fetcher_free(struct sw_fetcher *f);

#endif
