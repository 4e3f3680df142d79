/*
 * test_config.c - the agent's INI file and its safety rules
 * (src/agent/config.c): one-line errors naming the line, refusal to
 * protect "/", overlapping roots or a store inside a root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/config.h"

static char tmp[512];

/* Writes text to tmp/agent.ini and returns its path. */
static const char *ini(const char *text)
{
	static char path[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/agent.ini", tmp);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

/* Loads text and finishes; returns the code and leaves the message in eb. */
static enum sw_err load(const char *text, struct ag_config *c, struct sw_errbuf *eb)
{
	enum sw_err rc;

	ag_config_init(c);
	sw_errbuf_clear(eb);
	rc = ag_config_load(c, ini(text), eb);
	return rc ? rc : ag_config_finish(c, 1, eb);
}

static void test_good_file(void **state)
{
	struct ag_config c;
	struct sw_errbuf eb;
	char text[8192];

	(void)state;
	snprintf(text, sizeof text,
		 "# comment\n[agent]\nid = web-01\nstore = %s/store\nhash = sm3\n"
		 "watcher = inotify\nserve_guard = on\nheartbeat = 2m\n\n"
		 "[root]\npath = %s/www\nexclude = cache\nexclude = *.log\nupload = /uploads/\n",
		 tmp, tmp);
	assert_int_equal(load(text, &c, &eb), SW_OK);
	assert_string_equal(c.id, "web-01");
	assert_int_equal(c.algo, AG_SM3);
	assert_int_equal(c.watcher, AG_WATCH_INOTIFY);
	assert_int_equal(c.serve_guard, 1);
	assert_int_equal(c.heartbeat_s, 120);
	assert_int_equal(c.n_roots, 1);
	assert_int_equal(c.roots[0].n_exclude, 2);
	assert_string_equal(c.roots[0].upload[0], "uploads");
	assert_int_equal(ag_config_root_find(&c, c.roots[0].path), 0);
	ag_config_cleanup(&c);
}

static void test_errors_name_the_line(void **state)
{
	struct ag_config c;
	struct sw_errbuf eb;

	(void)state;
	assert_int_not_equal(load("[agent]\nhash = md5\n", &c, &eb), SW_OK);
	assert_non_null(strstr(eb.msg, "agent.ini:2"));
	assert_non_null(strstr(eb.msg, "sha256 or sm3"));
	assert_null(strchr(eb.msg, '\n'));
	ag_config_cleanup(&c);
	assert_int_not_equal(load("[agent]\nbogus = 1\n", &c, &eb), SW_OK);
	assert_non_null(strstr(eb.msg, "unknown key 'bogus'"));
	ag_config_cleanup(&c);
	assert_int_not_equal(load("[agnet]\n", &c, &eb), SW_OK);
	assert_non_null(strstr(eb.msg, "agent.ini:1"));
	ag_config_cleanup(&c);
	assert_int_not_equal(load("[agent]\nheartbeat = soon\n", &c, &eb), SW_OK);
	ag_config_cleanup(&c);
}

static void test_safety(void **state)
{
	struct ag_config c;
	struct sw_errbuf eb;
	char text[8192];

	(void)state;
	snprintf(text, sizeof text, "[agent]\nstore = %s/store\n[root]\npath = /\n", tmp);
	assert_int_equal(load(text, &c, &eb), SW_EINVAL);
	assert_non_null(strstr(eb.msg, "refusing to protect /"));
	ag_config_cleanup(&c);

	snprintf(text, sizeof text, "[agent]\nstore = %s/www/store\n[root]\npath = %s/www\n", tmp,
		 tmp);
	assert_int_equal(load(text, &c, &eb), SW_EINVAL);
	assert_non_null(strstr(eb.msg, "overlap"));
	ag_config_cleanup(&c);

	snprintf(text, sizeof text,
		 "[agent]\nstore = %s/store\n[root]\npath = %s/www\n[root]\npath = %s/www/sub\n",
		 tmp, tmp, tmp);
	assert_int_equal(load(text, &c, &eb), SW_EINVAL);
	assert_non_null(strstr(eb.msg, "overlap"));
	ag_config_cleanup(&c);

	snprintf(text, sizeof text, "[agent]\nstore = %s/store\n[root]\npath = %s/nothere\n", tmp,
		 tmp);
	assert_int_equal(load(text, &c, &eb), SW_EINVAL);
	ag_config_cleanup(&c);

	snprintf(text, sizeof text,
		 "[agent]\nstore = %s/store\nserver = https://x.example\n[root]\npath = %s/www\n",
		 tmp, tmp);
	assert_int_equal(load(text, &c, &eb), SW_EINVAL);
	assert_non_null(strstr(eb.msg, "credentials"));
	ag_config_cleanup(&c);
}

static void test_durations(void **state)
{
	(void)state;
	assert_int_equal(ag_parse_duration("90"), 90);
	assert_int_equal(ag_parse_duration("90s"), 90);
	assert_int_equal(ag_parse_duration("15m"), 900);
	assert_int_equal(ag_parse_duration("2h"), 7200);
	assert_int_equal(ag_parse_duration("1d"), 86400);
	assert_int_equal(ag_parse_duration("1w"), -1);
	assert_int_equal(ag_parse_duration("-5"), -1);
	assert_int_equal(ag_parse_duration(""), -1);
	assert_int_equal(ag_parse_duration(NULL), -1);
}

static int setup(void **state)
{
	const char *t = getenv("TMPDIR");
	char p[4200];

	(void)state;
	snprintf(tmp, sizeof tmp, "%s/agent-config-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(p, sizeof p, "%s/www", tmp);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/www/sub", tmp);
	mkdir(p, 0755);
	return 0;
}

static int teardown(void **state)
{
	char cmd[4300];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_safety),
		cmocka_unit_test(test_durations),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
