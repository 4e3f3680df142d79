/*
 * test_spool.c - the event spool (src/agent/spool.c): sequence numbers
 * only grow, reading resumes from any sequence, acknowledged segments go,
 * a torn last line after a crash is cut off, and a reopened spool goes on
 * where it stopped.  Also the JSON writer's escaping of hostile names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/json.h"
#include "agent/spool.h"

static char tmp[512];

static void emit(struct ag_spool *s, int i)
{
	struct ag_json j;

	ag_json_init(&j);
	ag_json_str(&j, "kind", "test");
	ag_json_int(&j, "i", i);
	assert_int_equal(ag_spool_emit(s, &j), SW_OK);
	ag_json_free(&j);
}

static int count_segments(void)
{
	char d[1024];
	DIR *dir;
	struct dirent *de;
	int n = 0;

	snprintf(d, sizeof d, "%s/spool", tmp);
	dir = opendir(d);
	while ((de = readdir(dir)))
		n += strstr(de->d_name, ".jsonl") != NULL;
	closedir(dir);
	return n;
}

static void test_order_resume_ack(void **state)
{
	struct ag_spool s;
	struct ag_json out;
	struct sw_errbuf eb;
	uint64_t last = 0;
	size_t n;
	char d[1024];

	(void)state;
	snprintf(d, sizeof d, "%s/spool", tmp);
	mkdir(d, 0700);
	sw_errbuf_clear(&eb);
	assert_int_equal(ag_spool_open(&s, tmp, "a1", 0, &eb), SW_OK);
	/* About 3 MB: several segments. */
	for (int i = 1; i <= 30000; i++)
		emit(&s, i);
	assert_int_equal(s.written, 30000);
	/* Nothing is readable before it is durable. */
	ag_json_init(&out);
	assert_int_equal(ag_spool_read(&s, 1, 10, 1 << 20, &out, &last), 0);
	assert_int_equal(ag_spool_sync(&s), SW_OK);
	n = ag_spool_read(&s, 1, 10, 1 << 20, &out, &last);
	assert_int_equal(n, 10);
	assert_int_equal(last, 10);
	assert_true(!strncmp(out.s, "{\"seq\":1,", 9));
	/* From the middle of a later segment, in order. */
	ag_json_reset(&out);
	n = ag_spool_read(&s, 25000, 500, 1 << 20, &out, &last);
	assert_int_equal(n, 500);
	assert_int_equal(last, 25499);
	assert_non_null(strstr(out.s, "{\"seq\":25000,"));
	assert_true(count_segments() > 2);
	assert_int_equal(ag_spool_ack(&s, 29999), SW_OK);
	assert_int_equal(ag_spool_depth(&s), 1);
	assert_int_equal(count_segments(), 1);
	ag_json_free(&out);
	ag_spool_close(&s);

	/* Reopened: the numbering goes on. */
	assert_int_equal(ag_spool_open(&s, tmp, "a1", 0, &eb), SW_OK);
	assert_int_equal(s.acked, 29999);
	assert_int_equal(s.written, 30000);
	emit(&s, 30001);
	assert_int_equal(s.written, 30001);
	ag_spool_close(&s);
}

static void test_torn_line(void **state)
{
	struct ag_spool s;
	struct sw_errbuf eb;
	char seg[1024];
	int fd;

	(void)state;
	sw_errbuf_clear(&eb);
	assert_int_equal(ag_spool_open(&s, tmp, "a1", 0, &eb), SW_OK);
	emit(&s, 1);
	snprintf(seg, sizeof seg, "%s/spool/%020llu.jsonl", tmp, (unsigned long long)s.seg_first);
	ag_spool_close(&s);
	fd = open(seg, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"seq\":99999,\"ti", 16), 16); /* power cut mid-line */
	close(fd);
	assert_int_equal(ag_spool_open(&s, tmp, "a1", 0, &eb), SW_OK);
	assert_int_equal(s.written, 30002);
	emit(&s, 2);
	assert_int_equal(s.written, 30003);
	ag_spool_close(&s);
}

static void test_json_escapes(void **state)
{
	struct ag_json j;

	(void)state;
	ag_json_init(&j);
	ag_json_str(&j, "p", "a\"b\\c\n\x01\xff\xe4\xb8\xad");
	assert_string_equal(j.s, "\"p\":\"a\\\"b\\\\c\\u000a\\u0001\\u00ff中\"");
	ag_json_reset(&j);
	ag_json_str(&j, "skip", NULL);
	assert_int_equal(j.len, 0);
	ag_json_int(&j, "n", -5);
	assert_string_equal(j.s, "\"n\":-5");
	ag_json_free(&j);
}

static int setup(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(tmp, sizeof tmp, "%s/agent-spool-XXXXXX", t && *t ? t : "/tmp");
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[1024];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_resume_ack),
		cmocka_unit_test(test_torn_line),
		cmocka_unit_test(test_json_escapes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
