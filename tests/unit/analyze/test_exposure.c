/*
 * test_exposure.c - the exposure analyzer through sw_analyze: server-made
 * listings (nginx, Apache, IIS) and phpinfo() pages are flagged, articles
 * that quote them are not; version banners, missing security headers and
 * mixed content are judged from headers and the https URL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/analyze.h"
#include "analyze/exposure_hdr.h"

static struct sw_an_rules *rules;

static int setup(void **state)
{
	struct sw_errbuf eb;

	(void)state;
	sw_errbuf_clear(&eb);
	if (sw_an_rules_load(NULL, &rules, &eb) != SW_OK) {
		fprintf(stderr, "rules: %s\n", eb.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sw_an_rules_free(rules);
	return 0;
}

/* Runs every analyzer on html (with headers hdr, may be NULL). */
static void analyze(const char *html, const char *url, const char *hdr, struct sw_findings *out)
{
	static const struct sw_an_site unknown = {.gov = -1};
	struct sw_an_page pg = {.url = url, .raw = html, .raw_len = strlen(html), .text = html,
				.text_len = strlen(html), .headers = hdr,
				.headers_len = hdr ? strlen(hdr) : 0, .status = hdr ? 200 : 0};
	struct sw_an_input in;
	struct sw_errbuf eb;

	sw_an_input_init(&in);
	in.page = &pg;
	in.site = &unknown;
	sw_findings_init(out);
	assert_int_equal(sw_analyze(rules, &in, out, &eb), SW_OK);
}

/* Evidence and title of the finding of kind key, or NULL; *count gets how
 * many exposure findings there are. */
static const struct sw_finding *find(const struct sw_findings *f, const char *key, size_t *count)
{
	const struct sw_finding *hit = NULL;

	*count = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].kind->family, "exposure") != 0)
			continue;
		++*count;
		if (strcmp(f->v[i].kind->key, key) == 0 && !hit)
			hit = &f->v[i];
	}
	return hit;
}

/* Asserts the page yields exactly one exposure finding, of kind key, and
 * that its title or evidence contains want (when not NULL). */
static void only(const char *html, const char *url, const char *hdr, const char *key,
		 const char *want)
{
	struct sw_findings f;
	const struct sw_finding *x;
	size_t n;

	analyze(html, url, hdr, &f);
	x = find(&f, key, &n);
	for (size_t i = 0; i < f.n && (x == NULL || n != 1); i++)
		fprintf(stderr, "  %s: %s %s\n", f.v[i].kind->key, f.v[i].title,
			f.v[i].evidence ? f.v[i].evidence : "");
	assert_non_null(x);
	assert_int_equal(n, 1);
	if (want && !strstr(x->title, want) && !(x->evidence && strstr(x->evidence, want)))
		fail_msg("'%s' not in %s / %s", want, x->title, x->evidence);
	sw_findings_cleanup(&f);
}

/* Asserts the page yields no exposure finding. */
static void quiet(const char *html, const char *url, const char *hdr)
{
	struct sw_findings f;
	size_t n;

	analyze(html, url, hdr, &f);
	find(&f, "", &n);
	for (size_t i = 0; i < f.n && n; i++)
		fprintf(stderr, "  %s: %s\n", f.v[i].kind->key, f.v[i].title);
	assert_int_equal(n, 0);
	sw_findings_cleanup(&f);
}

static const char nginx_listing[] =
	"<html>\r\n<head><title>Index of /upload/</title></head>\r\n<body>\r\n"
	"<h1>Index of /upload/</h1><hr><pre><a href=\"../\">../</a>\r\n"
	"<a href=\"2023/\">2023/</a>                                              12-Jan-2024 09:12"
	"                   -\r\n<a href=\"backup.sql\">backup.sql</a>                         "
	"03-Mar-2024 17:40            10485760\r\n</pre><hr></body>\r\n</html>\r\n";

static const char apache_listing[] =
	"<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\"><html><head><title>Index of "
	"/files</title></head><body><h1>Index of /files</h1><table><tr><th valign=\"top\"><img "
	"src=\"/icons/blank.gif\" alt=\"[ICO]\"></th><th><a href=\"?C=N;O=D\">Name</a></th><th><a "
	"href=\"?C=M;O=A\">Last modified</a></th><th><a href=\"?C=S;O=A\">Size</a></th></tr>"
	"<tr><td valign=\"top\"><img src=\"/icons/back.gif\" alt=\"[PARENTDIR]\"></td><td><a "
	"href=\"/\">Parent Directory</a></td><td>&nbsp;</td><td align=\"right\">  - </td></tr>"
	"<tr><td><a href=\"db.bak\">db.bak</a></td><td align=\"right\">2024-03-01 10:11  </td>"
	"<td align=\"right\">3.2M</td></tr></table><address>Apache/2.4.41 (Ubuntu) Server at "
	"www.example.gov.cn Port 80</address></body></html>";

static const char iis_listing[] =
	"<html><head><title>www.example.gov.cn - /docs/</title></head><body><H1>www.example.gov.cn"
	" - /docs/</H1><hr><pre><A HREF=\"/\">[To Parent Directory]</A><br><br>  2024年3月1日    "
	"10:11        12345 <A HREF=\"/docs/a.doc\">a.doc</A><br></pre><hr></body></html>";

static void test_listings(void **state)
{
	(void)state;
	only(nginx_listing, "http://www.example.gov.cn/upload/", NULL, "exposure.dir_listing",
	     "Index of /upload/");
	only(apache_listing, NULL, NULL, "exposure.dir_listing", "Index of /files");
	only(iis_listing, NULL, NULL, "exposure.dir_listing", "IIS");
	/* An article that talks about listings is not one. */
	quiet("<html><head><title>关于防范目录浏览漏洞的通知</title></head><body><p>近期发现部分网站"
	      "开启了目录浏览，页面标题形如“Index of /”，可列出 Parent Directory 下的全部文件。"
	      "请各单位立即关闭。</p></body></html>",
	      NULL, NULL);
	quiet("<html><head><title>Index of /</title></head><body><p>我们的索引页</p></body></html>",
	      NULL, NULL);
}

static void test_phpinfo(void **state)
{
	static const char php[] =
		"<!DOCTYPE html><html><head><title>PHP 7.4.3 - phpinfo()</title></head><body><div "
		"class=\"center\"><table><tr class=\"h\"><td><h1 class=\"p\">PHP Version 7.4.3</h1>"
		"</td></tr></table><table><tr><td class=\"e\">System </td><td class=\"v\">Linux web01 "
		"5.4.0 </td></tr><tr><td class=\"e\">Build Date </td><td class=\"v\">Feb 18 2020 "
		"</td></tr><tr><td class=\"e\">Server API </td><td class=\"v\">FPM/FastCGI </td></tr>"
		"<tr><td class=\"e\">Loaded Configuration File </td><td class=\"v\">/etc/php/7.4/fpm/"
		"php.ini </td></tr></table></div></body></html>";
	static const char old_php[] =
		"<html><head><title>phpinfo()</title></head><body><h1>PHP Version 5.2.17</h1><table>"
		"<tr><td>Server API</td><td>Apache 2.0 Handler</td></tr></table></body></html>";

	(void)state;
	only(php, "http://www.example.gov.cn/info.php", NULL, "exposure.phpinfo", "phpinfo");
	only(old_php, NULL, NULL, "exposure.phpinfo", NULL);
	/* A tutorial mentioning phpinfo words in passing. */
	quiet("<html><head><title>PHP 教程</title></head><body><p>调用 phpinfo() 可查看 PHP Version"
	      " 等信息，上线前请删除。</p></body></html>",
	      NULL, NULL);
}

static const char plain[] =
	"<html><head><title>某某市人民政府</title></head><body><p>政务公开</p></body></html>";

static void test_banner(void **state)
{
	(void)state;
	only(plain, "http://www.example.gov.cn/",
	     "HTTP/1.1 200 OK\r\nServer: nginx/1.18.0\r\nContent-Type: text/html\r\n"
	     "Content-Security-Policy: default-src 'self'\r\nX-Frame-Options: SAMEORIGIN\r\n\r\n",
	     "exposure.banner", "nginx/1.18.0");
	only(plain, "http://www.example.gov.cn/",
	     "HTTP/1.1 200 OK\r\nServer: nginx\r\nX-Powered-By: PHP/5.6.40\r\n"
	     "Content-Security-Policy: frame-ancestors 'self'\r\n\r\n",
	     "exposure.banner", "PHP/5.6.40");
	/* Product names without versions, and only the last response counts. */
	quiet(plain, "http://www.example.gov.cn/",
	      "HTTP/1.1 301 Moved\r\nServer: Apache/2.2.15\r\n\r\nHTTP/1.1 200 OK\r\nServer: nginx\r\n"
	      "X-Powered-By: ASP.NET\r\nContent-Security-Policy: default-src 'self'\r\n"
	      "x-frame-options: DENY\r\n\r\n");
}

static void test_header_missing(void **state)
{
	(void)state;
	only(plain, "https://www.example.gov.cn/",
	     "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; charset=utf-8\r\n\r\n",
	     "exposure.header_missing",
	     "Content-Security-Policy, X-Frame-Options, Strict-Transport-Security");
	only(plain, "http://www.example.gov.cn/",
	     "HTTP/1.1 200 OK\r\nX-Frame-Options: SAMEORIGIN\r\n\r\n", "exposure.header_missing",
	     "lacks security headers: Content-Security-Policy");
	quiet(plain, "https://www.example.gov.cn/",
	      "HTTP/2 200\r\ncontent-security-policy: default-src 'self'; frame-ancestors 'none'\r\n"
	      "strict-transport-security: max-age=31536000\r\n\r\n");
	/* Offline (no headers): nothing to judge. */
	quiet(plain, "https://www.example.gov.cn/", NULL);
	/* Not an HTML answer. */
	quiet(plain, "https://www.example.gov.cn/", "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n");
}

static void test_mixed_content(void **state)
{
	static const char mixed[] =
		"<html><head><title>某某市人民政府</title><link rel=stylesheet href='/css/a.css'>"
		"</head><body><p>政务公开</p><script src='http://cdn.example.com/jquery.js'></script>"
		"<img src='/a.png'><noscript><img src='http://stat.example.com/p.gif'></noscript>"
		"</body></html>";
	static const char clean[] =
		"<html><head><title>某某市人民政府</title><link rel=stylesheet href='//cdn.example.com/"
		"a.css'><link rel=canonical href='http://www.example.gov.cn/'></head><body><p>政务公开"
		"</p><a href='http://www.other.gov.cn/'>友情链接</a><script src='https://cdn.example"
		".com/jquery.js'></script><img src='/a.png'></body></html>";

	(void)state;
	only(mixed, "https://www.example.gov.cn/", NULL, "exposure.mixed_content",
	     "http://cdn.example.com/jquery.js");
	/* The same page over http has nothing to mix. */
	quiet(mixed, "http://www.example.gov.cn/", NULL);
	quiet(mixed, NULL, NULL);
	/* Links and canonical URLs load nothing; protocol-relative is fine. */
	quiet(clean, "https://www.example.gov.cn/", NULL);
}

static void test_header_lookup(void **state)
{
	static const char h[] = "HTTP/1.1 302 Found\r\nLocation: /x\r\n\r\nHTTP/1.1 200 OK\r\n"
				"SERVER:   Tengine/2.3.2  \r\nX-Long: a\r\n";
	struct sw__hdr_val v;

	(void)state;
	assert_true(sw__hdr_get(h, strlen(h), "server", &v));
	assert_int_equal(v.n, strlen("Tengine/2.3.2"));
	assert_memory_equal(v.p, "Tengine/2.3.2", v.n);
	assert_false(sw__hdr_get(h, strlen(h), "location", &v));
	assert_false(sw__hdr_get(h, strlen(h), "x-lon", &v));
	assert_false(sw__hdr_get(NULL, 0, "server", &v));
	assert_true(sw__hdr_has("text/HTML", 9, "html"));
	assert_false(sw__hdr_has("text", 4, "html"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listings),     cmocka_unit_test(test_phpinfo),
		cmocka_unit_test(test_banner),       cmocka_unit_test(test_header_missing),
		cmocka_unit_test(test_mixed_content), cmocka_unit_test(test_header_lookup),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
