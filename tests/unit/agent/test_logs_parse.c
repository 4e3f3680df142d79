/*
 * test_logs_parse.c - log formats and lines (src/agent/logs_parse.c):
 * nginx and Apache built-in and custom formats, escaped quotes, error
 * logs, malformed lines, times, and the decoding used for matching
 * (percent, double, %u, nginx \xHH, GBK).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "agent/logs_parse.h"

static struct ag_logrec rec;

static int parse(const char *fmt, const char *line)
{
	struct ag_logfmt f;
	struct sw_errbuf eb;

	sw_errbuf_clear(&eb);
	assert_int_equal(ag_logfmt_compile(fmt, &f, &eb), SW_OK);
	return ag_log_parse(&f, line, strlen(line), &rec);
}

static void test_combined(void **state)
{
	(void)state;
	assert_int_equal(parse("combined", "203.0.113.9 - bob [25/Nov/2026:18:23:38 +0800] \"GET "
					   "/s?q=%E6%94%BF HTTP/1.1\" 404 153 \"https://x.cn/a?b=1\" "
					   "\"Mozilla/5.0 (X11; Linux)\""),
			 0);
	assert_string_equal(rec.addr, "203.0.113.9");
	assert_string_equal(rec.user, "bob");
	assert_string_equal(rec.method, "GET");
	assert_string_equal(rec.uri, "/s?q=%E6%94%BF");
	assert_string_equal(rec.proto, "HTTP/1.1");
	assert_int_equal(rec.status, 404);
	assert_int_equal(rec.bytes, 153);
	assert_string_equal(rec.referer, "https://x.cn/a?b=1");
	assert_string_equal(rec.ua, "Mozilla/5.0 (X11; Linux)");
	assert_int_equal(rec.time, 1795602218); /* 2026-11-25T10:23:38Z */
	assert_int_equal(rec.has_request, 1);
}

static void test_escapes_and_dash(void **state)
{
	(void)state;
	/* nginx writes a quote in a value as \x22, Apache as \" */
	assert_int_equal(parse("combined", "192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] \"GET "
					   "/a?x=\\x22><script> HTTP/1.1\" 200 5 \"-\" \"a \\\"b\\\" c\""),
			 0);
	assert_string_equal(rec.uri, "/a?x=\"><script>");
	assert_string_equal(rec.referer, "");
	assert_string_equal(rec.ua, "a \"b\" c");
	assert_int_equal(rec.time, 1767225600);
}

static void test_common_and_custom(void **state)
{
	(void)state;
	assert_int_equal(parse("common", "::1 - - [01/Jan/2026:00:00:00 +0000] \"HEAD / HTTP/1.0\" 301 -"), 0);
	assert_string_equal(rec.addr, "::1");
	assert_int_equal(rec.status, 301);
	assert_int_equal(rec.bytes, -1);
	/* an nginx log_format with the host first and the request split */
	assert_int_equal(parse("$host $remote_addr [$time_iso8601] $request_method $uri $args "
			       "$status \"$http_user_agent\" $request_time",
			       "www.gov.cn 198.51.100.2 [2026-01-01T08:00:00+08:00] POST /login a=1&b=2 "
			       "401 \"curl/8\" 0.003"),
			 0);
	assert_string_equal(rec.host, "www.gov.cn");
	assert_string_equal(rec.method, "POST");
	assert_string_equal(rec.uri, "/login?a=1&b=2");
	assert_int_equal(rec.status, 401);
	assert_int_equal(rec.time, 1767225600);
	assert_int_equal(rec.has_request, 1);
	/* Apache's LogFormat syntax, vhost_combined */
	assert_int_equal(parse("vhost_combined", "www.a.cn:443 192.0.2.8 - - [01/Jan/2026:00:00:00 "
						 "+0000] \"GET /x HTTP/2.0\" 200 12 \"-\" \"UA\""),
			 0);
	assert_string_equal(rec.host, "www.a.cn");
	assert_string_equal(rec.addr, "192.0.2.8");
	assert_string_equal(rec.proto, "HTTP/2.0");
}

static void test_malformed(void **state)
{
	struct ag_logfmt f;
	struct sw_errbuf eb;

	(void)state;
	assert_int_equal(parse("combined", "garbage"), -1);
	assert_int_equal(parse("combined", ""), -1);
	assert_int_equal(parse("combined", "1.2.3.4 - - [x] \"GET / HTTP/1.1\" 2000 1 \"-\" \"-\""), -1);
	/* a TLS handshake sent to a plain port: a line, but no request */
	assert_int_equal(parse("combined", "1.2.3.4 - - [01/Jan/2026:00:00:00 +0000] "
					   "\"\\x16\\x03\\x01\" 400 157 \"-\" \"-\""),
			 0);
	assert_int_equal(rec.has_request, 0);
	/* two variables in a row cannot be told apart; a format needs an address */
	sw_errbuf_clear(&eb);
	assert_int_equal(ag_logfmt_compile("$remote_addr$status", &f, &eb), SW_EINVAL);
	assert_int_equal(ag_logfmt_compile("$status $request", &f, &eb), SW_EINVAL);
}

static void test_error_logs(void **state)
{
	(void)state;
	assert_int_equal(parse("error", "2026/11/25 18:23:38 [error] 12#0: *5 open() \"/www/x.php\" "
					"failed (2: No such file or directory), client: 127.0.0.2, server: "
					"localhost, request: \"GET /x.php?a=1 HTTP/1.1\", host: \"127.0.0.1:8080\""),
			 0);
	assert_string_equal(rec.addr, "127.0.0.2");
	assert_string_equal(rec.uri, "/x.php?a=1");
	assert_string_equal(rec.host, "127.0.0.1:8080");
	assert_int_equal(parse("error", "[Wed Nov 25 18:23:38.1 2026] [core:error] [pid 9] [client "
					"192.0.2.7:51234] AH00128: File does not exist: /var/www/a"),
			 0);
	assert_string_equal(rec.addr, "192.0.2.7");
	assert_int_equal(rec.has_request, 0);
	assert_int_equal(parse("error", "2026/11/25 18:23:38 [notice] 1#1: signal process started"), -1);
}

static void test_decode(void **state)
{
	char out[256];
	int bad, left;

	(void)state;
	ag_log_decode("/s?q=%E6%94%BF%E5%8A%A1+a", 25, out, sizeof out, &bad, &left);
	assert_string_equal(out, "/s?q=政务 a");
	assert_int_equal(bad, 0);
	/* GBK (the same two characters) becomes UTF-8 */
	ag_log_decode("/s?q=%D5%FE%CE%F1", 17, out, sizeof out, &bad, &left);
	assert_string_equal(out, "/s?q=政务");
	assert_int_equal(bad, 1);
	/* double encoding, %u, nginx's \xHH */
	ag_log_decode("/a?x=%253Cscript%253E", 21, out, sizeof out, &bad, &left);
	assert_string_equal(out, "/a?x=<script>");
	ag_log_decode("/a?x=%u003cb", 12, out, sizeof out, &bad, &left);
	assert_string_equal(out, "/a?x=<b");
	ag_log_decode("/a\\x22b", 7, out, sizeof out, &bad, &left);
	assert_string_equal(out, "/a\"b");
	/* four rounds of encoding leave one behind */
	ag_log_decode("%2525253C", 9, out, sizeof out, &bad, &left);
	assert_int_equal(left, 1);
	/* bounded output */
	ag_log_decode("abcdefgh", 8, out, 4, NULL, NULL);
	assert_string_equal(out, "abc");
	assert_int_equal(ag_utf8_valid("\xe6\x94", 2), 0);
	assert_int_equal(ag_utf8_valid("\xc0\xaf", 2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_combined),      cmocka_unit_test(test_escapes_and_dash),
		cmocka_unit_test(test_common_and_custom), cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_error_logs),    cmocka_unit_test(test_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
