/*
 * test_fetch.c - tests of the fetching layer (src/probe/fetch*.c).
 *
 * The first group needs no server: bad URLs, a stop before the run, the
 * error table, header lookup, option checks.  The rest talk to the real
 * servers that tests/integration/probe_fetch.sh starts on loopback and
 * names in SW_TEST_* variables; without them those tests skip, so a plain
 * ctest run passes on a machine without nginx.  Every host name used is
 * pointed at 127.0.0.1 by the fetcher's resolve override.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <cmocka.h>
#include <openssl/x509_vfy.h>

#include "probe/fetch.h"
#include "probe/fetch_int.h"

/* --- helpers ------------------------------------------------------------- */

/* Port part of a SW_TEST_* "addr:port" value, or NULL (test skipped). */
static const char *env_port(const char *name)
{
	const char *v = getenv(name), *c;

	if (v == NULL || (c = strrchr(v, ':')) == NULL)
		return NULL;
	return c + 1;
}

/* Skips the calling test unless every named SW_TEST_* variable is set. */
#define NEED(...)                                                          \
	do {                                                               \
		const char *need_[] = {__VA_ARGS__};                       \
		for (size_t k_ = 0; k_ < sizeof need_ / sizeof *need_; k_++) \
			if (getenv(need_[k_]) == NULL)                     \
				skip();                                    \
	} while (0)

/* Resolve overrides for every test host name, built from the env. */
static char resolve_buf[32][96];
static const char *resolve_list[33];

/* Fills resolve_list: site/other/www.site/h0..h9 on the HTTP port, good,
 * wrong on the HTTPS port, self (also on the TLS 1.0 port) and expired on
 * theirs. */
static void build_resolve(void)
{
	static const char *http_names[] = {"site.test", "other.test", "www.site.test", "h0.test",
					   "h1.test",   "h2.test",    "h3.test",       "h4.test",
					   "h5.test",   "h6.test",    "h7.test",       "h8.test",
					   "h9.test"};
	const char *hp = env_port("SW_TEST_HTTP"), *sp = env_port("SW_TEST_HTTPS");
	const char *self = env_port("SW_TEST_HTTPS_SELF"), *exp = env_port("SW_TEST_HTTPS_EXPIRED");
	const char *old = env_port("SW_TEST_HTTPS_OLD");
	size_t n = 0, i;

	for (i = 0; hp != NULL && i < sizeof http_names / sizeof *http_names; i++)
		snprintf(resolve_buf[n++], sizeof resolve_buf[0], "%s:%s:127.0.0.1", http_names[i], hp);
	if (sp != NULL) {
		snprintf(resolve_buf[n++], sizeof resolve_buf[0], "good.test:%s:127.0.0.1", sp);
		snprintf(resolve_buf[n++], sizeof resolve_buf[0], "wrong.test:%s:127.0.0.1", sp);
	}
	if (self != NULL)
		snprintf(resolve_buf[n++], sizeof resolve_buf[0], "self.test:%s:127.0.0.1", self);
	if (exp != NULL)
		snprintf(resolve_buf[n++], sizeof resolve_buf[0], "expired.test:%s:127.0.0.1", exp);
	if (old != NULL)
		snprintf(resolve_buf[n++], sizeof resolve_buf[0], "self.test:%s:127.0.0.1", old);
	for (i = 0; i < n; i++)
		resolve_list[i] = resolve_buf[i];
	resolve_list[n] = NULL;
}

/* Options for the tests: the defaults plus the resolve overrides. */
static void test_opts(struct sw_fetch_opts *o)
{
	sw_fetch_opts_init(o);
	build_resolve();
	o->resolve = resolve_list;
}

/* Done callback that keeps the single result in *arg. */
static void keep_one(struct sw_fetch_result *r, void *arg)
{
	struct sw_fetch_result **slot = arg;

	assert_null(*slot);
	*slot = r;
}

/* Fetches url with o and returns its result (caller frees). */
static struct sw_fetch_result *fetch_with(const struct sw_fetch_opts *o, const char *url)
{
	struct sw_fetcher *f;
	struct sw_fetch_result *r = NULL;
	struct sw_errbuf eb;

	sw_errbuf_clear(&eb);
	assert_int_equal(sw_fetcher_new(o, &f, &eb), SW_OK);
	assert_int_equal(sw_fetcher_add(f, url, (void *)url), SW_OK);
	assert_int_equal(sw_fetcher_run(f, keep_one, &r, &eb), SW_OK);
	sw_fetcher_free(f);
	assert_non_null(r);
	assert_ptr_equal(r->user, url);
	return r;
}

/* Fetches scheme://host:<port of env>/path with the test options. */
static struct sw_fetch_result *fetch_at(const char *scheme, const char *host, const char *env,
					const char *path)
{
	struct sw_fetch_opts o;
	char url[256];

	test_opts(&o);
	snprintf(url, sizeof url, "%s://%s:%s%s", scheme, host, env_port(env), path);
	return fetch_with(&o, url);
}

/* Asserts that r failed with kind e and a message containing what. */
static void expect_err(const struct sw_fetch_result *r, enum sw_fetch_err e, const char *what)
{
	if (r->err != e)
		fail_msg("got %s (%s), expected %s", sw_fetch_errname(r->err), r->errmsg,
			 sw_fetch_errname(e));
	if (what != NULL && strstr(r->errmsg, what) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", r->errmsg, what);
}

/* Asserts that r's UTF-8 body contains want. */
static void expect_utf8_body(const struct sw_fetch_result *r, const char *want)
{
	char *out;
	size_t len;

	assert_int_equal(sw_fetch_body_utf8(r, &out, &len), SW_OK);
	assert_int_equal(strlen(out), len);
	if (strstr(out, want) == NULL)
		fail_msg("UTF-8 body \"%s\" lacks \"%s\"", out, want);
	free(out);
}

/* --- no server needed ------------------------------------------------------ */

/* Bad and non-http(s) URLs come back as SW_FETCH_EURL, one callback each. */
static void test_bad_urls(void **state)
{
	struct sw_fetch_result *r;

	(void)state;
	r = fetch_with(NULL, "not a url");
	expect_err(r, SW_FETCH_EURL, "not an absolute");
	assert_int_equal(r->n_hops, 0);
	assert_non_null(r->body);
	sw_fetch_result_free(r);
	r = fetch_with(NULL, "ftp://example.test/x");
	expect_err(r, SW_FETCH_EURL, NULL);
	sw_fetch_result_free(r);
	r = fetch_with(NULL, "file:///etc/passwd");
	expect_err(r, SW_FETCH_EURL, NULL);
	sw_fetch_result_free(r);
}

static int counted;

/* Done callback that counts abandoned results and frees them. */
static void count_aborted(struct sw_fetch_result *r, void *arg)
{
	(void)arg;
	assert_int_equal(r->err, SW_FETCH_EABORTED);
	counted++;
	sw_fetch_result_free(r);
}

/* A stop requested before the run abandons everything queued, with one
 * callback per URL, and the next run starts clean. */
static void test_stop_before_run(void **state)
{
	struct sw_fetcher *f;
	struct sw_fetch_stats st;
	int i;

	(void)state;
	assert_int_equal(sw_fetcher_new(NULL, &f, NULL), SW_OK);
	for (i = 0; i < 10; i++)
		assert_int_equal(sw_fetcher_add(f, "http://h.invalid/", NULL), SW_OK);
	sw_fetcher_stop(f);
	counted = 0;
	assert_int_equal(sw_fetcher_run(f, count_aborted, NULL, NULL), SW_OK);
	assert_int_equal(counted, 10);
	sw_fetcher_stats(f, &st);
	assert_int_equal(st.abandoned, 10);
	assert_int_equal(st.done, 10);
	assert_int_equal(st.queued, 0);
	assert_int_equal(sw_fetcher_run(f, count_aborted, NULL, NULL), SW_OK);
	assert_int_equal(counted, 10);
	sw_fetcher_free(f);
	/* freeing with work queued drops it without callbacks */
	assert_int_equal(sw_fetcher_new(NULL, &f, NULL), SW_OK);
	assert_int_equal(sw_fetcher_add(f, "http://h.invalid/", NULL), SW_OK);
	assert_int_equal(sw_fetcher_add(f, "bad", NULL), SW_OK);
	sw_fetcher_free(f);
	sw_fetcher_free(NULL);
	sw_fetch_result_free(NULL);
}

/* Zero limits and a missing CA file are refused with a message. */
static void test_bad_options(void **state)
{
	struct sw_fetch_opts o;
	struct sw_fetcher *f = (struct sw_fetcher *)1;
	struct sw_errbuf eb;

	(void)state;
	sw_fetch_opts_init(&o);
	o.max_per_host = 0;
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_fetcher_new(&o, &f, &eb), SW_EINVAL);
	assert_null(f);
	assert_false(sw_errbuf_empty(&eb));
	sw_fetch_opts_init(&o);
	o.ca_file = "/nonexistent/ca.pem";
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_fetcher_new(&o, &f, &eb), SW_EINVAL);
	assert_non_null(strstr(eb.msg, "/nonexistent/ca.pem"));
}

/* libcurl codes map to the kinds the checks report. */
static void test_error_table(void **state)
{
	(void)state;
	assert_int_equal(sw__fetch_err_from_curl(CURLE_OK), SW_FETCH_OK);
	assert_int_equal(sw__fetch_err_from_curl(CURLE_COULDNT_RESOLVE_HOST), SW_FETCH_EDNS);
	assert_int_equal(sw__fetch_err_from_curl(CURLE_COULDNT_CONNECT), SW_FETCH_ECONNECT);
	assert_int_equal(sw__fetch_err_from_curl(CURLE_OPERATION_TIMEDOUT), SW_FETCH_ETIMEOUT);
	assert_int_equal(sw__fetch_err_from_curl(CURLE_SSL_CONNECT_ERROR), SW_FETCH_ETLS);
	assert_int_equal(sw__fetch_err_from_curl(CURLE_GOT_NOTHING), SW_FETCH_EHTTP);
	assert_int_equal(sw__fetch_err_from_curl(CURLE_FAILED_INIT), SW_FETCH_EOTHER);
	assert_string_equal(sw_fetch_errname(SW_FETCH_ELOOP), "SW_FETCH_ELOOP");
	assert_string_equal(sw_fetch_strerror(SW_FETCH_ERR__COUNT), "unknown fetch error");
}

/* Header lookup: case-insensitive, first wins, blanks trimmed, the status
 * line and continuation lines never match. */
static void test_header_lookup(void **state)
{
	static const char block[] = "HTTP/1.1 200 OK\r\n"
				    "Content-Type:  text/html; charset=gbk \r\n"
				    "X-A: 1\r\n"
				    "  X-B: folded\r\n"
				    "x-a: 2\r\n"
				    "Empty:\r\n\r\n";
	struct sw_fetch_result *r = sw__result_new("http://x.test/", NULL);
	size_t len;
	const char *v;

	(void)state;
	assert_non_null(r);
	assert_null(sw_fetch_header(r, "x-a", &len));
	r->headers = strdup(block);
	r->headers_len = strlen(block);
	v = sw_fetch_header(r, "content-type", &len);
	assert_non_null(v);
	assert_int_equal(len, strlen("text/html; charset=gbk"));
	assert_memory_equal(v, "text/html; charset=gbk", len);
	v = sw_fetch_header(r, "X-A", &len);
	assert_int_equal(len, 1);
	assert_int_equal(v[0], '1');
	assert_null(sw_fetch_header(r, "X-B", &len));
	assert_null(sw_fetch_header(r, "HTTP/1.1 200 OK", &len));
	v = sw_fetch_header(r, "empty", &len);
	assert_non_null(v);
	assert_int_equal(len, 0);
	sw_fetch_result_free(r);
}

/* --- against the loopback servers -------------------------------------------- */

/* A plain 200 page over HTTP/1.1: status, body, headers, timings, address. */
static void test_http_ok(void **state)
{
	struct sw_fetch_result *r;
	size_t len;
	const char *v;

	(void)state;
	NEED("SW_TEST_HTTP");
	r = fetch_at("http", "site.test", "SW_TEST_HTTP", "/ok");
	expect_err(r, SW_FETCH_OK, NULL);
	assert_int_equal(r->status, 200);
	assert_int_equal(r->n_hops, 1);
	assert_int_equal(r->http_version, 11);
	assert_string_equal(r->primary_ip, "127.0.0.1");
	assert_non_null(strstr((char *)r->body, "<body>hello</body>"));
	assert_int_equal(r->body_len, strlen((char *)r->body));
	assert_int_equal(r->raw_bytes, (int64_t)r->body_len);
	assert_false(r->truncated);
	assert_false(r->cross_domain);
	assert_false(r->tls.present);
	assert_string_equal(r->content_type, "text/html");
	v = sw_fetch_header(r, "server", &len);
	assert_non_null(v);
	assert_memory_equal(v, "nginx", 5);
	assert_true(r->times.total_us >= r->times.first_byte_us);
	assert_true(r->times.first_byte_us >= r->times.connect_us);
	assert_true(r->times.connect_us > 0);
	assert_true(r->elapsed_us >= r->times.total_us);
	assert_string_equal(r->final_url, r->hops[0].url);
	assert_string_equal(r->charset, "");
	expect_utf8_body(r, "<body>hello</body>");
	sw_fetch_result_free(r);
}

/* A 500 is a response, not a fetch error. */
static void test_http_500(void **state)
{
	struct sw_fetch_result *r;

	(void)state;
	NEED("SW_TEST_HTTP");
	r = fetch_at("http", "site.test", "SW_TEST_HTTP", "/err500");
	expect_err(r, SW_FETCH_OK, NULL);
	assert_int_equal(r->status, 500);
	assert_non_null(strstr((char *)r->body, "broken"));
	sw_fetch_result_free(r);
}

/* gzip is decoded: the body is the page, the wire carried fewer bytes. */
static void test_gzip_decoded(void **state)
{
	struct sw_fetch_result *r;

	(void)state;
	NEED("SW_TEST_HTTP");
	r = fetch_at("http", "site.test", "SW_TEST_HTTP", "/gz.html");
	expect_err(r, SW_FETCH_OK, NULL);
	assert_non_null(strstr((char *)r->body, "<p>line 2000 of a compressible page</p>"));
	assert_true(r->raw_bytes > 0);
	assert_true((size_t)r->raw_bytes * 4 < r->body_len);
	sw_fetch_result_free(r);
}

/* Three redirects are followed, each hop recorded. */
static void test_redirect_chain(void **state)
{
	static const long want[] = {302, 301, 307, 200};
	static const char *paths[] = {"/r1", "/r2", "/r3", "/ok"};
	struct sw_fetch_result *r;
	size_t i;

	(void)state;
	NEED("SW_TEST_HTTP");
	r = fetch_at("http", "site.test", "SW_TEST_HTTP", "/r1");
	expect_err(r, SW_FETCH_OK, NULL);
	assert_int_equal(r->n_hops, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(r->hops[i].status, want[i]);
		assert_non_null(strstr(r->hops[i].url, paths[i]));
		assert_false(r->hops[i].cross_domain);
	}
	assert_int_equal(r->status, 200);
	assert_non_null(strstr(r->final_url, "/ok"));
	assert_non_null(strstr((char *)r->body, "hello"));
	assert_false(r->cross_domain);
	sw_fetch_result_free(r);
}

/* The limit is enforced: two redirects allowed, the third is refused. */
static void test_too_many_redirects(void **state)
{
	struct sw_fetch_opts o;
	struct sw_fetch_result *r;
	char url[128];

	(void)state;
	NEED("SW_TEST_HTTP");
	test_opts(&o);
	o.max_redirects = 2;
	snprintf(url, sizeof url, "http://site.test:%s/r1", env_port("SW_TEST_HTTP"));
	r = fetch_with(&o, url);
	expect_err(r, SW_FETCH_EREDIRECTS, "more than 2 redirects");
	assert_int_equal(r->n_hops, 3);
	assert_int_equal(r->status, 307);
	sw_fetch_result_free(r);
}

/* A redirect loop ends as an error naming the loop, before re-requesting. */
static void test_redirect_loop(void **state)
{
	struct sw_fetch_result *r;

	(void)state;
	NEED("SW_TEST_HTTP");
	r = fetch_at("http", "site.test", "SW_TEST_HTTP", "/loop-a");
	expect_err(r, SW_FETCH_ELOOP, "redirect loop: ");
	assert_int_equal(r->n_hops, 2);
	assert_non_null(strstr(r->errmsg, "/loop-a -> "));
	assert_non_null(strstr(r->errmsg, "/loop-b -> "));
	sw_fetch_result_free(r);
}

/* A hop to another registrable domain is flagged; one to a subdomain of the
 * same one is not; a hop to ftp is refused. */
static void test_cross_domain(void **state)
{
	struct sw_fetch_result *r;

	(void)state;
	NEED("SW_TEST_HTTP");
	r = fetch_at("http", "site.test", "SW_TEST_HTTP", "/away");
	expect_err(r, SW_FETCH_OK, NULL);
	assert_int_equal(r->n_hops, 2);
	assert_true(r->cross_domain);
	assert_false(r->hops[0].cross_domain);
	assert_true(r->hops[1].cross_domain);
	assert_non_null(strstr(r->final_url, "http://other.test:"));
	assert_int_equal(r->status, 200);
	sw_fetch_result_free(r);

	r = fetch_at("http", "site.test", "SW_TEST_HTTP", "/www");
	expect_err(r, SW_FETCH_OK, NULL);
	assert_int_equal(r->n_hops, 2);
	assert_false(r->cross_domain);
	assert_non_null(strstr(r->final_url, "http://www.site.test:"));
	sw_fetch_result_free(r);

	r = fetch_at("http", "site.test", "SW_TEST_HTTP", "/ftp");
	expect_err(r, SW_FETCH_EURL, "ftp://");
	sw_fetch_result_free(r);
}

/* A server that accepts and never answers times out with no status; a
 * closed port is refused. */
static void test_timeout_and_refused(void **state)
{
	struct sw_fetch_opts o;
	struct sw_fetch_result *r;
	char url[128];

	(void)state;
	NEED("SW_TEST_TARPIT", "SW_TEST_REFUSED");
	test_opts(&o);
	o.timeout_ms = 800;
	snprintf(url, sizeof url, "http://%s/", getenv("SW_TEST_TARPIT"));
	r = fetch_with(&o, url);
	expect_err(r, SW_FETCH_ETIMEOUT, NULL);
	assert_int_equal(r->status, 0);
	assert_true(r->elapsed_us >= 700000 && r->elapsed_us < 5000000);
	sw_fetch_result_free(r);

	snprintf(url, sizeof url, "http://%s/", getenv("SW_TEST_REFUSED"));
	r = fetch_with(&o, url);
	expect_err(r, SW_FETCH_ECONNECT, NULL);
	sw_fetch_result_free(r);
}

/* A server that answers too slowly times out after its status arrived. */
static void test_slow(void **state)
{
	struct sw_fetch_opts o;
	struct sw_fetch_result *r;
	char url[128];

	(void)state;
	NEED("SW_TEST_HTTP");
	test_opts(&o);
	o.timeout_ms = 800;
	snprintf(url, sizeof url, "http://site.test:%s/slow", env_port("SW_TEST_HTTP"));
	r = fetch_with(&o, url);
	expect_err(r, SW_FETCH_ETIMEOUT, NULL);
	assert_int_equal(r->status, 200);
	assert_true(r->body_len < 65536);
	sw_fetch_result_free(r);
}

/* GBK declared in <meta>, GBK declared in the header, Big5 in http-equiv:
 * each is detected and converted to UTF-8. */
static void test_charsets(void **state)
{
	struct sw_fetch_result *r;

	(void)state;
	NEED("SW_TEST_HTTP");
	r = fetch_at("http", "site.test", "SW_TEST_HTTP", "/gbk.html");
	expect_err(r, SW_FETCH_OK, NULL);
	assert_string_equal(r->charset, "gbk");
	assert_int_equal(r->charset_src, SW_FETCH_CS_META);
	assert_null(strstr((char *)r->body, "政府")); /* raw bytes are GBK */
	expect_utf8_body(r, "中华人民共和国政府网站安全");
	sw_fetch_result_free(r);

	r = fetch_at("http", "site.test", "SW_TEST_HTTP", "/gbkh.html");
	assert_string_equal(r->charset, "gbk");
	assert_int_equal(r->charset_src, SW_FETCH_CS_HEADER);
	expect_utf8_body(r, "政府网站安全检测");
	sw_fetch_result_free(r);

	r = fetch_at("http", "site.test", "SW_TEST_HTTP", "/big5.html");
	assert_string_equal(r->charset, "big5");
	assert_int_equal(r->charset_src, SW_FETCH_CS_META);
	expect_utf8_body(r, "網站安全監管");
	sw_fetch_result_free(r);
}

/* A gzip bomb (256 MiB of zeros) is cut at the decoded cap after reading a
 * few KiB from the wire. */
static void test_gzip_bomb(void **state)
{
	struct sw_fetch_result *r;

	(void)state;
	NEED("SW_TEST_HTTP");
	r = fetch_at("http", "site.test", "SW_TEST_HTTP", "/bomb.html");
	expect_err(r, SW_FETCH_ETOOLARGE, "after decoding");
	assert_true(r->truncated);
	assert_int_equal(r->status, 200);
	assert_int_equal(r->body_len, (size_t)5 << 20);
	assert_true(r->raw_bytes > 0 && r->raw_bytes < 1 << 20);
	sw_fetch_result_free(r);
}

/* The wire cap stops a compressed body even when the decoded cap is high. */
static void test_raw_cap(void **state)
{
	struct sw_fetch_opts o;
	struct sw_fetch_result *r;
	char url[128];

	(void)state;
	NEED("SW_TEST_HTTP");
	test_opts(&o);
	o.max_body = (size_t)64 << 20;
	o.max_raw = 4096;
	snprintf(url, sizeof url, "http://site.test:%s/bomb.html", env_port("SW_TEST_HTTP"));
	r = fetch_with(&o, url);
	expect_err(r, SW_FETCH_ETOOLARGE, "on the wire");
	assert_true(r->truncated);
	assert_true(r->raw_bytes > 4096 && r->raw_bytes < 1 << 20);
	assert_true(r->body_len < (size_t)64 << 20);
	sw_fetch_result_free(r);
}

/* A 50 MB body keeps its first 5 MiB and is marked truncated. */
static void test_big_body(void **state)
{
	struct sw_fetch_result *r;

	(void)state;
	NEED("SW_TEST_HTTP");
	r = fetch_at("http", "site.test", "SW_TEST_HTTP", "/big.bin");
	expect_err(r, SW_FETCH_ETOOLARGE, NULL);
	assert_true(r->truncated);
	assert_int_equal(r->status, 200);
	assert_int_equal(r->body_len, (size_t)5 << 20);
	assert_true(r->raw_bytes >= 5 << 20 && r->raw_bytes < 6 << 20);
	sw_fetch_result_free(r);
}

/* Finds name among cert c's SANs. */
static int has_san(const struct sw_fetch_cert *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_sans; i++)
		if (strcmp(c->sans[i], name) == 0)
			return 1;
	return 0;
}

/* A CA-signed certificate over HTTP/2: verified against the given CA,
 * names match, facts recorded; without the CA it does not verify. */
static void test_tls_good(void **state)
{
	struct sw_fetch_opts o;
	struct sw_fetch_result *r;
	char url[128];
	time_t now = time(NULL);

	(void)state;
	NEED("SW_TEST_HTTPS", "SW_TEST_CA");
	test_opts(&o);
	o.ca_file = getenv("SW_TEST_CA");
	snprintf(url, sizeof url, "https://good.test:%s/", env_port("SW_TEST_HTTPS"));
	r = fetch_with(&o, url);
	expect_err(r, SW_FETCH_OK, NULL);
	assert_int_equal(r->status, 200);
	assert_int_equal(r->http_version, 20);
	assert_true(r->tls.present);
	assert_string_equal(r->tls.version, "TLSv1.3");
	assert_int_equal(r->tls.version_num, 0x0304);
	assert_true(r->tls.verified);
	assert_int_equal(r->tls.verify_code, 0);
	assert_true(r->tls.name_match);
	assert_true(r->tls.n_certs >= 1);
	assert_non_null(strstr(r->tls.certs[0].subject, "CN=good.test"));
	assert_non_null(strstr(r->tls.certs[0].issuer, "CN=sitewarden test CA"));
	assert_true(has_san(&r->tls.certs[0], "www.good.test"));
	assert_false(r->tls.certs[0].self_signed);
	assert_true(r->tls.certs[0].not_before <= now && r->tls.certs[0].not_after > now);
	assert_true(r->times.tls_us >= r->times.connect_us && r->times.tls_us > 0);
	sw_fetch_result_free(r);

	/* same server under a name its certificate does not carry */
	snprintf(url, sizeof url, "https://wrong.test:%s/", env_port("SW_TEST_HTTPS"));
	r = fetch_with(&o, url);
	expect_err(r, SW_FETCH_OK, NULL);
	assert_true(r->tls.verified);
	assert_false(r->tls.name_match);
	sw_fetch_result_free(r);

	/* the system store does not know our test CA */
	test_opts(&o);
	o.http1_only = 1;
	snprintf(url, sizeof url, "https://good.test:%s/", env_port("SW_TEST_HTTPS"));
	r = fetch_with(&o, url);
	expect_err(r, SW_FETCH_OK, NULL);
	assert_int_equal(r->http_version, 11);
	assert_false(r->tls.verified);
	assert_int_equal(r->tls.verify_code, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	assert_true(r->tls.name_match);
	sw_fetch_result_free(r);
}

/* Self-signed and expired certificates: fetched anyway, verdicts recorded. */
static void test_tls_bad(void **state)
{
	struct sw_fetch_opts o;
	struct sw_fetch_result *r;
	char url[128];

	(void)state;
	NEED("SW_TEST_HTTPS_SELF", "SW_TEST_HTTPS_EXPIRED", "SW_TEST_CA");
	r = fetch_at("https", "self.test", "SW_TEST_HTTPS_SELF", "/");
	expect_err(r, SW_FETCH_OK, NULL);
	assert_int_equal(r->status, 200);
	assert_true(r->tls.present);
	assert_false(r->tls.verified);
	assert_int_equal(r->tls.verify_code, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
	assert_true(r->tls.certs[0].self_signed);
	assert_true(r->tls.name_match);
	sw_fetch_result_free(r);

	test_opts(&o);
	o.ca_file = getenv("SW_TEST_CA");
	snprintf(url, sizeof url, "https://expired.test:%s/", env_port("SW_TEST_HTTPS_EXPIRED"));
	r = fetch_with(&o, url);
	expect_err(r, SW_FETCH_OK, NULL);
	assert_int_equal(r->status, 200);
	assert_false(r->tls.verified);
	assert_int_equal(r->tls.verify_code, X509_V_ERR_CERT_HAS_EXPIRED);
	assert_true(r->tls.certs[0].not_after < time(NULL));
	assert_int_equal(r->tls.certs[0].not_after, 1580515200); /* 2020-02-01 00:00:00Z */
	assert_int_equal(r->tls.certs[0].not_before, 1577836800); /* 2020-01-01 */
	assert_true(r->tls.name_match);
	sw_fetch_result_free(r);
}

/* Keeps results in arrival order in a NULL-initialised array of two. */
static void keep_two(struct sw_fetch_result *r, void *arg)
{
	struct sw_fetch_result **slot = arg;

	assert_null(slot[1]);
	slot[slot[0] ? 1 : 0] = r;
}

/* Two fetches of one HTTPS site on one connection both carry the chain.  A
 * connection is kept only while its host has more fetches queued, so both
 * are queued in one run, one at a time per host. */
static void test_tls_reused_connection(void **state)
{
	struct sw_fetch_opts o;
	struct sw_fetcher *f;
	struct sw_fetch_result *r[2] = {NULL, NULL};
	char url[128];
	int i;

	(void)state;
	NEED("SW_TEST_HTTPS_SELF");
	test_opts(&o);
	o.max_per_host = 1;
	snprintf(url, sizeof url, "https://self.test:%s/", env_port("SW_TEST_HTTPS_SELF"));
	assert_int_equal(sw_fetcher_new(&o, &f, NULL), SW_OK);
	assert_int_equal(sw_fetcher_add(f, url, NULL), SW_OK);
	assert_int_equal(sw_fetcher_add(f, url, NULL), SW_OK);
	assert_int_equal(sw_fetcher_run(f, keep_two, r, NULL), SW_OK);
	for (i = 0; i < 2; i++) {
		assert_non_null(r[i]);
		assert_int_equal(r[i]->tls.n_certs, 1);
		assert_true(r[i]->tls.certs[0].self_signed);
	}
	assert_int_equal(r[1]->times.connect_us, 0); /* the connection was reused */
	sw_fetch_result_free(r[0]);
	sw_fetch_result_free(r[1]);
	sw_fetcher_free(f);
}

/* The last fetch of a host closes its connection: a sweep visits most hosts
 * once, and a full connection cache costs libcurl a walk per connection. */
static void test_connection_not_kept_when_host_done(void **state)
{
	struct sw_fetch_opts o;
	struct sw_fetcher *f;
	struct sw_fetch_result *r[2] = {NULL, NULL};
	char url[128];
	int i;

	(void)state;
	NEED("SW_TEST_HTTPS_SELF");
	test_opts(&o);
	snprintf(url, sizeof url, "https://self.test:%s/", env_port("SW_TEST_HTTPS_SELF"));
	assert_int_equal(sw_fetcher_new(&o, &f, NULL), SW_OK);
	for (i = 0; i < 2; i++) {
		assert_int_equal(sw_fetcher_add(f, url, NULL), SW_OK);
		assert_int_equal(sw_fetcher_run(f, keep_one, &r[i], NULL), SW_OK);
		assert_non_null(r[i]);
	}
	assert_true(r[1]->times.connect_us > 0); /* a new connection */
	sw_fetch_result_free(r[0]);
	sw_fetch_result_free(r[1]);
	sw_fetcher_free(f);
}

/* A server that speaks only TLS 1.0 is still fetched, its protocol noted. */
static void test_tls_old_protocol(void **state)
{
	struct sw_fetch_result *r;

	(void)state;
	NEED("SW_TEST_HTTPS_OLD");
	r = fetch_at("https", "self.test", "SW_TEST_HTTPS_OLD", "/");
	expect_err(r, SW_FETCH_OK, NULL);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->tls.version, "TLSv1");
	assert_int_equal(r->tls.version_num, 0x0301);
	assert_int_equal(r->http_version, 11);
	sw_fetch_result_free(r);
}

/* IPv6 loopback, when the host has it. */
static void test_ipv6(void **state)
{
	struct sw_fetch_opts o;
	struct sw_fetch_result *r;
	char url[128];

	(void)state;
	NEED("SW_TEST_HTTP6");
	test_opts(&o);
	snprintf(url, sizeof url, "http://%s/ok", getenv("SW_TEST_HTTP6"));
	r = fetch_with(&o, url);
	expect_err(r, SW_FETCH_OK, NULL);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->primary_ip, "::1");
	sw_fetch_result_free(r);
}

#define N_MANY 500

static struct {
	struct sw_fetcher *f;
	int status[N_MANY];
	int calls;
	int bad_limits;
} many;

/* Done callback of the concurrency test: records the status and checks the
 * live counters never exceed the limits. */
static void many_done(struct sw_fetch_result *r, void *arg)
{
	struct sw_fetch_stats st;
	intptr_t i = (intptr_t)r->user;
	char host[16];

	(void)arg;
	sw_fetcher_stats(many.f, &st);
	snprintf(host, sizeof host, "h%d.test", (int)(i % 5));
	if (st.active > 16 || sw_fetcher_host_active(many.f, host) > 4)
		many.bad_limits++;
	if (i >= 0 && i < N_MANY && r->err == SW_FETCH_OK)
		many.status[i] = (int)r->status;
	many.calls++;
	sw_fetch_result_free(r);
}

/* 500 URLs over 5 host names with a global limit of 16 and 4 per host
 * (5 x 4 > 16, so both limits bind; hosts take turns, so the first 16 starts
 * give one host 4): every one completes with its own status, and the
 * high-water marks show both limits reached and never exceeded. */
static void test_concurrency(void **state)
{
	struct sw_fetch_opts o;
	struct sw_fetch_stats st;
	char url[128];
	intptr_t i;

	(void)state;
	NEED("SW_TEST_HTTP");
	memset(&many, 0, sizeof many);
	test_opts(&o);
	o.max_total = 16;
	o.max_per_host = 4;
	assert_int_equal(sw_fetcher_new(&o, &many.f, NULL), SW_OK);
	for (i = 0; i < N_MANY; i++) {
		snprintf(url, sizeof url, "http://h%d.test:%s/n/%s%d", (int)(i % 5),
			 env_port("SW_TEST_HTTP"), i % 7 == 0 ? "missing" : "ok", (int)i);
		assert_int_equal(sw_fetcher_add(many.f, url, (void *)i), SW_OK);
	}
	assert_int_equal(sw_fetcher_run(many.f, many_done, NULL, NULL), SW_OK);
	sw_fetcher_stats(many.f, &st);
	assert_int_equal(many.calls, N_MANY);
	assert_int_equal(many.bad_limits, 0);
	assert_int_equal(st.done, N_MANY);
	assert_int_equal(st.active, 0);
	assert_int_equal(st.queued, 0);
	assert_int_equal(st.active_max, 16);
	assert_int_equal(st.host_active_max, 4);
	for (i = 0; i < N_MANY; i++)
		assert_int_equal(many.status[i], i % 7 == 0 ? 404 : 200);
	sw_fetcher_free(many.f);
}

static struct sw_fetcher *alarm_fetcher;

/* SIGALRM handler: what a prober's SIGTERM handler would do. */
static void on_alarm(int sig)
{
	(void)sig;
	sw_fetcher_stop(alarm_fetcher);
}

/* A stop from a signal handler abandons in-flight transfers promptly: each
 * URL still gets its one callback. */
static void test_stop_from_signal(void **state)
{
	struct sw_fetch_opts o;
	struct itimerval it;
	struct sigaction sa;
	char url[128];
	int64_t t0;
	struct timespec ts;
	int i;

	(void)state;
	NEED("SW_TEST_TARPIT");
	test_opts(&o);
	o.timeout_ms = 20000;
	assert_int_equal(sw_fetcher_new(&o, &alarm_fetcher, NULL), SW_OK);
	snprintf(url, sizeof url, "http://%s/", getenv("SW_TEST_TARPIT"));
	for (i = 0; i < 12; i++)
		assert_int_equal(sw_fetcher_add(alarm_fetcher, url, NULL), SW_OK);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = 300000;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	setitimer(ITIMER_REAL, &it, NULL);
	counted = 0;
	assert_int_equal(sw_fetcher_run(alarm_fetcher, count_aborted, NULL, NULL), SW_OK);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	assert_int_equal(counted, 12);
	assert_true((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - t0 < 2500);
	signal(SIGALRM, SIG_DFL);
	sw_fetcher_free(alarm_fetcher);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_urls),
		cmocka_unit_test(test_stop_before_run),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_error_table),
		cmocka_unit_test(test_header_lookup),
		cmocka_unit_test(test_http_ok),
		cmocka_unit_test(test_http_500),
		cmocka_unit_test(test_gzip_decoded),
		cmocka_unit_test(test_redirect_chain),
		cmocka_unit_test(test_too_many_redirects),
		cmocka_unit_test(test_redirect_loop),
		cmocka_unit_test(test_cross_domain),
		cmocka_unit_test(test_timeout_and_refused),
		cmocka_unit_test(test_slow),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_gzip_bomb),
		cmocka_unit_test(test_raw_cap),
		cmocka_unit_test(test_big_body),
		cmocka_unit_test(test_tls_good),
		cmocka_unit_test(test_tls_bad),
		cmocka_unit_test(test_tls_reused_connection),
		cmocka_unit_test(test_connection_not_kept_when_host_done),
		cmocka_unit_test(test_tls_old_protocol),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_concurrency),
		cmocka_unit_test(test_stop_from_signal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
