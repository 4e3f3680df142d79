/*
 * test_attack.c - the anti-attack parts of the agent: address ranges,
 * the verdicts of the first pass and the Core Rule Set on a few requests
 * (with Debian's CRS), aggregation into events (one per source, kind and
 * window; scanning, brute force, 2xx success), and the nginx deny list
 * (exempt addresses, a failing test command restoring the file, expiry).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/attack_agg.h"
#include "agent/attack_conf.h"
#include "agent/attack_detect.h"
#include "agent/block_nginx.h"
#include "agent/fsutil.h"

static void test_nets(void **state)
{
	struct ag_net n[3];
	uint8_t a[16];

	(void)state;
	assert_int_equal(ag_net_parse("10.0.0.0/8", &n[0]), 0);
	assert_int_equal(ag_net_parse("2001:db8::/32", &n[1]), 0);
	assert_int_equal(ag_net_parse("192.0.2.7", &n[2]), 0);
	struct ag_net junk;
	assert_int_equal(ag_net_parse("10.0.0.0/33", &junk), -1);
	assert_int_equal(ag_net_parse("nonsense", &junk), -1);
	assert_int_equal(ag_addr_parse("10.200.1.1", 10, a), 0);
	assert_int_equal(ag_net_contains(n, 3, a), 1);
	assert_int_equal(ag_addr_parse("11.0.0.1", 8, a), 0);
	assert_int_equal(ag_net_contains(n, 3, a), 0);
	assert_int_equal(ag_addr_parse("2001:db8:1::5", 13, a), 0);
	assert_int_equal(ag_net_contains(n, 3, a), 1);
	assert_int_equal(ag_addr_parse("192.0.2.8", 9, a), 0);
	assert_int_equal(ag_net_contains(n, 3, a), 0);
}

static int have_crs(void)
{
	return access("/usr/share/modsecurity-crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf", R_OK) == 0 &&
	       access("/etc/modsecurity/crs/crs-setup.conf", R_OK) == 0;
}

static struct ag_attack_conf *conf(void)
{
	struct ag_attack_conf *c = ag_attack_conf_new();
	struct sw_errbuf eb;

	sw_errbuf_clear(&eb);
	assert_non_null(c);
	assert_int_equal(ag_attack_conf_key(c, "attack", "allow", "10.20.0.0/16", &eb), SW_OK);
	assert_int_equal(ag_attack_conf_finish(c, &eb), SW_OK);
	return c;
}

static void rec_of(struct ag_logrec *r, const char *addr, const char *method, const char *uri,
		   int status, const char *ua)
{
	memset(r, 0, sizeof *r);
	snprintf(r->addr, sizeof r->addr, "%s", addr);
	snprintf(r->method, sizeof r->method, "%s", method);
	snprintf(r->uri, sizeof r->uri, "%s", uri);
	snprintf(r->proto, sizeof r->proto, "HTTP/1.1");
	snprintf(r->ua, sizeof r->ua, "%s", ua);
	r->status = status;
	r->has_request = 1;
	r->bytes = 100;
}

static void test_verdicts(void **state)
{
	struct ag_attack_conf *c;
	struct ag_detect d;
	struct ag_logrec *r = malloc(sizeof *r);
	struct ag_line_verdict v;
	struct sw_errbuf eb;
	static const struct {
		const char *uri, *ua;
		int kind, passed;
	} cases[] = {
		{"/news/list.jsp?id=1%27%20or%20%271%27%3D%271", "Mozilla/5.0", AG_K_SQLI, 1},
		{"/s?q=%3Cscript%3Ealert(1)%3C/script%3E", "Mozilla/5.0", AG_K_XSS, 1},
		{"/download.jsp?file=../../../../etc/passwd", "Mozilla/5.0", AG_K_TRAVERSAL, 1},
		{"/ping.php?ip=127.0.0.1%3Bcat%20/etc/passwd", "Mozilla/5.0", AG_K_RCE, 1},
		{"/index.html", "sqlmap/1.7.2#stable (https://sqlmap.org)", AG_K_SCANNER, 1},
		/* ordinary traffic of a Chinese portal: never sent on */
		{"/search/search.jsp?keyword=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80&page=2", "Mozilla/5.0", 0, 0},
		{"/was5/web/search?searchword=%B2%C6%D5%FE%D4%A4%CB%E3%BE%F6%CB%E3&page=4", "Mozilla/5.0", 0, 0},
		{"/art/2024/1/5/art_1234_56789.html",
		 "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)", 0, 0},
		/* a known webshell name, without any rule */
		{"/uploads/shell.php", "Mozilla/5.0", AG_K_WEBSHELL, 0},
	};

	(void)state;
	if (!have_crs()) {
		free(r);
		skip();
	}
	c = conf();
	sw_errbuf_clear(&eb);
	assert_int_equal(ag_detect_init(&d, c, AG_DET_PIPELINE, NULL, &eb), SW_OK);
	d.resolve = NULL;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rec_of(r, "198.51.100.7", "GET", cases[i].uri, 200, cases[i].ua);
		ag_detect_rec(&d, r, "www.example.gov.cn", &v);
		if (v.kind != cases[i].kind || v.passed != cases[i].passed)
			fail_msg("%s: kind %s passed %d", cases[i].uri, ag_akind_name(v.kind), v.passed);
	}
	/* allow-listed monitoring: judged, never reported */
	rec_of(r, "10.20.0.5", "GET", "/?id=1%27%20or%20%271%27%3D%271", 200, "probe");
	ag_detect_rec(&d, r, NULL, &v);
	assert_int_equal(v.allowed, 1);
	/* login attempts */
	rec_of(r, "198.51.100.7", "POST", "/admin/login.php", 200, "Mozilla/5.0");
	ag_detect_rec(&d, r, NULL, &v);
	assert_int_equal(v.login, 1);
	ag_detect_cleanup(&d);
	ag_attack_conf_free(c);
	free(r);
}

/* Events collected by the aggregation test. */
static struct {
	int kind[64], sev[64];
	char source[64][64];
	int n;
} evs;

static void on_event(const struct ag_agg_event *ev, void *arg)
{
	(void)arg;
	if (evs.n < 64) {
		evs.kind[evs.n] = ev->kind;
		evs.sev[evs.n] = ev->severity;
		snprintf(evs.source[evs.n], sizeof evs.source[0], "%s", ev->source);
		evs.n++;
	}
}

static int count_kind(int k, const char *src)
{
	int n = 0;

	for (int i = 0; i < evs.n; i++)
		n += evs.kind[i] == k && (!src || !strcmp(evs.source[i], src));
	return n;
}

static void test_aggregation(void **state)
{
	struct ag_attack_conf *c = conf();
	struct ag_agg a;
	struct ag_logrec *r = malloc(sizeof *r);
	struct ag_line_verdict v;

	(void)state;
	memset(&evs, 0, sizeof evs);
	assert_int_equal(ag_agg_init(&a, c, on_event, NULL), SW_OK);
	/* 500 SQLi requests from one address in one window: one sqli event,
	 * and their 2xx answers one success event */
	for (int i = 0; i < 500; i++) {
		rec_of(r, "198.51.100.7", "GET", "/a?id=1'", i % 2 ? 200 : 403, "x");
		memset(&v, 0, sizeof v);
		v.kind = AG_K_SQLI;
		v.v.attack = 1;
		ag_agg_add(&a, r, &v, "site", "log", "line", 4, 1000 + i / 10);
	}
	/* a scanner: 30 distinct missing paths */
	for (int i = 0; i < 30; i++) {
		char p[32];
		snprintf(p, sizeof p, "/probe%d.php", i);
		rec_of(r, "203.0.113.5", "GET", p, 404, "x");
		memset(&v, 0, sizeof v);
		ag_agg_add(&a, r, &v, "site", "log", "line", 4, 1000);
	}
	/* brute force: 12 login POSTs; and an allow-listed address that does the same */
	for (int i = 0; i < 12; i++) {
		rec_of(r, "192.0.2.9", "POST", "/login", 200, "x");
		memset(&v, 0, sizeof v);
		v.login = 1;
		ag_agg_add(&a, r, &v, "site", "log", "line", 4, 1010);
		rec_of(r, "10.20.0.5", "POST", "/login", 200, "x");
		v.allowed = 1;
		ag_agg_add(&a, r, &v, "site", "log", "line", 4, 1010);
	}
	assert_int_equal(evs.n, 0); /* nothing before the windows close */
	ag_agg_tick(&a, 1010 + c->window_s, 0);
	assert_int_equal(count_kind(AG_K_SQLI, "198.51.100.7"), 1);
	assert_int_equal(count_kind(AG_K_SUCCESS, "198.51.100.7"), 1);
	assert_int_equal(count_kind(AG_K_SCAN, "203.0.113.5"), 1);
	assert_int_equal(count_kind(AG_K_BRUTEFORCE, "192.0.2.9"), 1);
	assert_int_equal(count_kind(AG_K_BRUTEFORCE, "10.20.0.5"), 0);
	for (int i = 0; i < evs.n; i++)
		if (evs.kind[i] == AG_K_SUCCESS)
			assert_int_equal(evs.sev[i], AG_SEV_HIGH);
	assert_int_equal(evs.n, 4);
	/* the next window of the same source is a new event */
	rec_of(r, "198.51.100.7", "GET", "/a?id=1'", 403, "x");
	v.kind = AG_K_SQLI;
	v.allowed = 0;
	v.login = 0;
	ag_agg_add(&a, r, &v, "site", "log", "line", 4, 5000);
	ag_agg_tick(&a, 0, 1);
	assert_int_equal(count_kind(AG_K_SQLI, "198.51.100.7"), 2);
	ag_agg_cleanup(&a);
	ag_attack_conf_free(c);
	free(r);
}

static int unblocks;
static void on_unblock(const struct ag_json *ev, void *arg)
{
	(void)arg;
	if (strstr(ev->s, "\"kind\":\"unblock\"") && strstr(ev->s, "198.51.100.7"))
		unblocks++;
}

static void test_block(void **state)
{
	struct ag_attack_conf *c = ag_attack_conf_new();
	struct ag_blocker b;
	struct sw_errbuf eb;
	struct ag_json j;
	char dir[512], file[600], flag[700], test_cmd[1500], *txt = NULL;

	(void)state;
	sw_errbuf_clear(&eb);
	snprintf(dir, sizeof dir, "%s/block.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof file, "%s/deny.conf", dir);
	snprintf(flag, sizeof flag, "%s/broken", dir);
	/* the "nginx -t" stand-in fails while the flag file exists */
	snprintf(test_cmd, sizeof test_cmd, "test ! -e '%s'", flag);
	assert_int_equal(ag_attack_conf_key(c, "attack", "block", "on", &eb), SW_OK);
	assert_int_equal(ag_attack_conf_key(c, "attack", "block_file", file, &eb), SW_OK);
	assert_int_equal(ag_attack_conf_key(c, "attack", "block_test", test_cmd, &eb), SW_OK);
	assert_int_equal(ag_attack_conf_key(c, "attack", "block_reload", "true", &eb), SW_OK);
	assert_int_equal(ag_attack_conf_key(c, "attack", "block_for", "60s", &eb), SW_OK);
	assert_int_equal(ag_attack_conf_key(c, "attack", "allow", "192.0.2.0/24", &eb), SW_OK);
	assert_int_equal(ag_attack_conf_finish(c, &eb), SW_OK);
	assert_int_equal(ag_block_init(&b, c, &eb), SW_OK);
	ag_json_init(&j);
	/* never: loopback, allow-listed, not an address */
	assert_int_equal(ag_block_add(&b, "127.0.0.2", "sqli", 1000, &j), 0);
	assert_int_equal(ag_block_add(&b, "::1", "sqli", 1000, &j), 0);
	assert_int_equal(ag_block_add(&b, "192.0.2.44", "sqli", 1000, &j), 0);
	assert_int_equal(ag_block_add(&b, "1.2.3.4;include /etc/x", "sqli", 1000, &j), 0);
	assert_int_equal(ag_block_add(&b, "198.51.100.7", "sqli", 1000, &j), 1);
	assert_non_null(strstr(j.s, "\"kind\":\"block\""));
	assert_int_equal(ag_read_small(file, 65536, &txt, NULL), SW_OK);
	assert_non_null(strstr(txt, "deny 198.51.100.7; # until 1060 "));
	assert_null(strstr(txt, "127.0.0.2"));
	free(txt);
	/* a configuration nginx refuses: the previous file comes back */
	fclose(fopen(flag, "w"));
	ag_json_reset(&j);
	assert_int_equal(ag_block_add(&b, "203.0.113.9", "rce", 1001, &j), -1);
	assert_non_null(strstr(j.s, "\"action\":\"failed\""));
	assert_int_equal(ag_read_small(file, 65536, &txt, NULL), SW_OK);
	assert_null(strstr(txt, "203.0.113.9"));
	free(txt);
	unlink(flag);
	assert_int_equal(b.n, 1);
	/* not expired yet */
	ag_block_expire(&b, 1059, on_unblock, NULL);
	assert_int_equal(b.n, 1);
	assert_int_equal(unblocks, 0);
	ag_json_free(&j);
	ag_block_cleanup(&b);
	/* a restarted agent reads its deny file back */
	assert_int_equal(ag_block_init(&b, c, &eb), SW_OK);
	assert_int_equal(b.n, 1);
	ag_block_cleanup(&b);
	ag_attack_conf_free(c);
	snprintf(test_cmd, sizeof test_cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(test_cmd), 0);
}

static void test_unblock(void **state)
{
	struct ag_attack_conf *c = ag_attack_conf_new();
	struct ag_blocker b;
	struct sw_errbuf eb;
	struct ag_json j;
	char dir[512], file[600], cmd[700], *txt = NULL;

	(void)state;
	sw_errbuf_clear(&eb);
	snprintf(dir, sizeof dir, "%s/unblock.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof file, "%s/deny.conf", dir);
	assert_int_equal(ag_attack_conf_key(c, "attack", "block", "on", &eb), SW_OK);
	assert_int_equal(ag_attack_conf_key(c, "attack", "block_file", file, &eb), SW_OK);
	assert_int_equal(ag_attack_conf_key(c, "attack", "block_test", "true", &eb), SW_OK);
	assert_int_equal(ag_attack_conf_key(c, "attack", "block_reload", "true", &eb), SW_OK);
	assert_int_equal(ag_attack_conf_finish(c, &eb), SW_OK);
	assert_int_equal(ag_block_init(&b, c, &eb), SW_OK);
	ag_json_init(&j);
	unblocks = 0;
	assert_int_equal(ag_block_add(&b, "198.51.100.7", "sqli", 1000, &j), 1);
	ag_block_expire(&b, 1000 + c->block_for_s - 1, on_unblock, NULL);
	assert_int_equal(unblocks, 0);
	ag_block_expire(&b, 1000 + c->block_for_s, on_unblock, NULL);
	assert_int_equal(unblocks, 1);
	assert_int_equal(b.n, 0);
	assert_int_equal(ag_read_small(file, 65536, &txt, NULL), SW_OK);
	assert_null(strstr(txt, "\ndeny "));
	free(txt);
	ag_json_free(&j);
	ag_block_cleanup(&b);
	ag_attack_conf_free(c);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nets),        cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_aggregation), cmocka_unit_test(test_block),
		cmocka_unit_test(test_unblock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
