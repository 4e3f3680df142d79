/*
 * fetch_int.h - what the files of the fetching layer share with each other
 * (fetch.c the engine, fetch_xfer.c one transfer, fetch_result.c the result,
 * fetch_tls.c certificate facts, fetch_charset.c charsets).  Not a contract:
 * only src/probe/fetch*.c and their unit tests include it.
 */
#ifndef SW_PROBE_FETCH_INT_H
#define SW_PROBE_FETCH_INT_H

#include <curl/curl.h>
#include <libpsl.h>
#include <signal.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "probe/fetch.h"

#define SW_FETCH_UA "sitewarden/0.1.0 (website security supervision)"

struct sw__host;
struct sw__job;
struct sw_fetcher;

/* User-Agents of the cloaking views (enum sw_fetch_as). */
#define SW_FETCH_UA_SPIDER \
	"Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"
#define SW_FETCH_UA_BROWSER \
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) " \
	"Chrome/120.0 Safari/537.36"

/* One fetch from add to delivery.  The easy handle is made when the fetch
 * first gets a slot, so a queue of 100,000 URLs holds no libcurl state. */
struct sw__job {
	struct sw__job *next;      /* in its host's queue or the failed list */
	struct sw__job *aprev, *anext; /* in the fetcher's in-flight list */
	struct sw_fetcher *f;
	struct sw__host *host;     /* NULL for a URL that never parsed */
	CURL *easy;
	struct sw_fetch_result *r;
	char *origin_domain;       /* registrable domain of hop 0 (or its host) */
	char *bare;                /* current hop's host without IPv6 brackets */
	int64_t start_us;          /* monotonic, when hop 0 started; 0 before */
	int raw_cap_hit;           /* the wire cap aborted the transfer */
	size_t body_cap;           /* bytes allocated for r->body */
	size_t hdr_cap;            /* bytes allocated for r->headers */
	int tls_taken;             /* this hop's TLS facts are recorded */
	int oom;                   /* a callback ran out of memory */
	unsigned flags;            /* SW_FETCH_F_* */
	int dns_done;              /* hop 0's name is resolved (or needs no resolving) */
	struct sw__dns *dns;       /* the resolution in progress; NULL otherwise */
	struct sw__job *dprev, *dnext; /* in the fetcher's resolving list */
	struct curl_slist *res_list; /* this fetch's CURLOPT_RESOLVE; NULL: the fetcher's */
	size_t reqh_cap;           /* bytes allocated for r->req_headers */
	char errbuf[CURL_ERROR_SIZE];
};

/* A host name's queue and in-flight count (fetch_queue.c). */
struct sw__host {
	struct sw__host *hnext;      /* hash chain */
	struct sw__host *rnext;      /* ready list */
	int in_ready;
	size_t active;
	struct sw__job *qhead, *qtail;
	uint64_t hash;
	char name[];
};

/* The engine (fetch.c); shared so fetch_queue.c can keep its lists. */
struct sw_fetcher {
	struct sw_fetch_opts o;
	char *user_agent;
	struct curl_slist *resolve, *reqheaders;
	X509_STORE *store;
	psl_ctx_t *psl_own;           /* freed with the fetcher; NULL when built in */
	const psl_ctx_t *psl;
	CURLM *multi;
	struct sw__host **htab;
	size_t hcap, hcount;
	struct sw__host *rhead, *rtail;
	struct sw__job *fhead, *ftail; /* fetches that failed before a transfer */
	struct sw__job *active;        /* in flight, doubly linked */
	struct sw__job *resolving;     /* resolving hop 0's name, doubly linked */
	char **ovr;                    /* the resolve entries as given, NULL-terminated */
	sw_fetch_done_fn done;
	void *arg;
	volatile sig_atomic_t stop;
	struct sw_fetch_stats st;
};

/* --- fetch_queue.c --- */

/* The host record for name: NULL when none / out of memory (get creates). */
struct sw__host *sw__host_find(const struct sw_fetcher *f, const char *name);
struct sw__host *sw__host_get(struct sw_fetcher *f, const char *name);

/* Frees p when nothing refers to it (no transfer, no queue, not ready). */
void sw__host_release(struct sw_fetcher *f, struct sw__host *p);

/* Puts p in the ready list (front or back) if it has waiting fetches and a
 * free slot and is not there yet. */
void sw__ready_push(struct sw_fetcher *f, struct sw__host *p, int front);

/* Queues j on p (front for a redirect hop) and makes p ready. */
void sw__host_enqueue(struct sw_fetcher *f, struct sw__host *p, struct sw__job *j, int front);

/* --- fetch_result.c --- */

/* New zeroed result for url/user, body an empty NUL-terminated buffer. */
struct sw_fetch_result *sw__result_new(const char *url, void *user);

/* Appends a hop for url; returns it or NULL on allocation failure. */
struct sw_fetch_hop *sw__result_add_hop(struct sw_fetch_result *r, const char *url);

/* Empties the per-response parts (headers, body, content type, TLS facts)
 * before another hop's response arrives. */
void sw__result_reset_response(struct sw_fetch_result *r, struct sw__job *j);

/* Sets err and errmsg unless an error is already recorded (first wins). */
void sw__result_fail(struct sw_fetch_result *r, enum sw_fetch_err e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Releases the TLS facts in t and zeroes it. */
void sw__tls_clear(struct sw_fetch_tls *t);

/* --- fetch_xfer.c --- */

/* Prepares j->easy for the URL of j's last hop with the fetcher's settings
 * (making the handle on first use); remaining_ms bounds the hop.
 * SW_ENOMEM or SW_EIO. */
enum sw_err sw__xfer_setup(struct sw__job *j, long remaining_ms);

/* Records what libcurl knows of the finished hop (status, address, times,
 * version, content type) and maps rc to an error when it failed. */
void sw__xfer_collect(struct sw__job *j, CURLcode rc);

/* The fetch error kind for a libcurl result code (a table). */
enum sw_fetch_err sw__fetch_err_from_curl(CURLcode rc);

/* When the finished hop is a redirect to follow, returns its target URL
 * (borrowed from libcurl, valid until the handle changes); else NULL. */
const char *sw__xfer_redirect(struct sw__job *j);

/* --- fetch.c (used by fetch_xfer.c's callbacks) --- */

/* Settings and shared state of f the transfer callbacks need. */
const struct sw_fetch_opts *sw__fetcher_opts(const struct sw_fetcher *f);
struct curl_slist *sw__fetcher_resolve(const struct sw_fetcher *f);
struct curl_slist *sw__fetcher_reqheaders(const struct sw_fetcher *f);
X509_STORE *sw__fetcher_store(const struct sw_fetcher *f);
int sw__fetcher_stopping(const struct sw_fetcher *f);

/* --- fetch_tls.c --- */

/* Records the TLS facts of ssl into t (replacing what was there): version,
 * chain, the verdict of verifying it against store, and whether host (an
 * IP literal or a name) matches the leaf.  Allocation failures leave fewer
 * facts, never a crash. */
void sw__tls_capture(SSL *ssl, X509_STORE *store, const char *host, struct sw_fetch_tls *t);

/* Loads the trust anchors: ca_file, or the system store when NULL.  NULL
 * with a message in eb when the file does not load. */
X509_STORE *sw__tls_store_new(const char *ca_file, struct sw_errbuf *eb);

/* --- fetch_dns.c --- */

struct sw__dns;

enum sw__dns_state { SW__DNS_SKIP, SW__DNS_WAIT, SW__DNS_FAIL };

/* Begins resolving the host of j's first hop: SKIP when nothing is to be
 * resolved (an IP literal, or a resolve entry covers it: its addresses are
 * recorded), WAIT when a lookup runs (j->dns set), FAIL when j->r has
 * failed (an NXDOMAIN entry, no memory, the lookup refused). */
enum sw__dns_state sw__dns_begin(struct sw_fetcher *f, struct sw__job *j);

/* 1 when j's lookup has ended: the addresses are recorded and j->res_list
 * set, or j->r has failed (ENXDOMAIN or EDNS).  j->dns is then released. */
int sw__dns_done(struct sw_fetcher *f, struct sw__job *j);

/* Abandons j's lookup (j->dns released, or given up to the resolver when
 * it cannot be cancelled in time). */
void sw__dns_cancel(struct sw__job *j);

/* --- fetch_charset.c --- */

/* Sets r->charset and r->charset_src from the Content-Type header, else a
 * BOM, else a <meta> in the first 4 KiB of the body. */
void sw__charset_detect(struct sw_fetch_result *r);

/* --- URL facts (fetch_queue.c) --- */

/* Parses url: its normal form in *norm, its host in lower case in *host
 * (IPv6 in brackets) and without brackets in *bare, all newly allocated
 * (caller frees).  SW_EINVAL unless it is an absolute http or https URL
 * with a host; SW_ENOMEM. */
enum sw_err sw__url_parse(const char *url, char **norm, char **host, char **bare);

/* Registrable domain of host (newly allocated); the host itself for IP
 * literals, single labels and public suffixes.  NULL on allocation failure. */
char *sw__registrable_domain(const struct sw_fetcher *f, const char *host);

#endif
