/*
 * test_logs_follow.c - following a log (src/agent/logs_follow.c): every
 * line exactly once across partial writes, rotation by rename (the old
 * file's tail first), copytruncate (the copy's unread tail first),
 * truncation, a restart from the saved state (also after a rotation
 * while stopped), and over-long lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/logs_follow.h"

static char dir[512], logp[600], state[600];
static char seen[4096][32];
static size_t n_seen;

static void on_line(const char *line, size_t n, void *arg)
{
	(void)arg;
	if (n_seen < 4096) {
		snprintf(seen[n_seen], sizeof seen[0], "%.*s", (int)(n < 31 ? n : 31), line);
		n_seen++;
	}
}

static void append(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static size_t poll_all(struct ag_follow *f)
{
	return ag_follow_poll(f, 0, 0, on_line, NULL, 100000);
}

/* seen holds exactly "l1".."ln", in order. */
static void assert_seen(int n)
{
	assert_int_equal(n_seen, n);
	for (int i = 0; i < n; i++) {
		char want[16];
		snprintf(want, sizeof want, "l%d", i + 1);
		assert_string_equal(seen[i], want);
	}
}

static int setup(void **state_)
{
	(void)state_;
	snprintf(dir, sizeof dir, "%s/follow.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(logp, sizeof logp, "%s/access.log", dir);
	snprintf(state, sizeof state, "%s/logs.state", dir);
	n_seen = 0;
	return 0;
}

static int teardown(void **state_)
{
	char cmd[700];

	(void)state_;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

static void test_partial_and_rename(void **st)
{
	struct ag_follow f;
	char p1[700];

	(void)st;
	assert_int_equal(ag_follow_init(&f, logp), SW_OK);
	assert_int_equal(poll_all(&f), 0); /* not there yet: waited for */
	append(logp, "l1\nl2\nl3");        /* l3 is not complete */
	assert_int_equal(poll_all(&f), 2);
	append(logp, "\nl4\n");
	assert_int_equal(poll_all(&f), 2);
	/* logrotate renames; the server writes on to the old file until it reopens */
	snprintf(p1, sizeof p1, "%s.1", logp);
	assert_int_equal(rename(logp, p1), 0);
	append(p1, "l5\n");
	append(logp, "l7\n");
	poll_all(&f);
	append(p1, "l6\n"); /* late write to the rotated file: still read */
	poll_all(&f);
	append(logp, "l8\n");
	poll_all(&f);
	assert_int_equal(f.rotations, 1);
	/* l5, then the new file's l7, then the late l6: every line once */
	assert_int_equal(n_seen, 8);
	assert_string_equal(seen[4], "l5");
	assert_string_equal(seen[5], "l7");
	assert_string_equal(seen[6], "l6");
	assert_string_equal(seen[7], "l8");
	ag_follow_free(&f);
}

static void test_copytruncate(void **st)
{
	struct ag_follow f;
	char p1[700], cmd[3000];

	(void)st;
	assert_int_equal(ag_follow_init(&f, logp), SW_OK);
	append(logp, "l1\nl2\n");
	assert_int_equal(poll_all(&f), 2);
	append(logp, "l3\nl4\n"); /* written, not yet read, then copied away */
	snprintf(p1, sizeof p1, "%s.1", logp);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s' && : > '%s'", logp, p1, logp);
	assert_int_equal(system(cmd), 0);
	append(logp, "l5\n");
	poll_all(&f);
	assert_int_equal(f.truncations, 1);
	assert_seen(5);
	/* truncated and written past the old offset before we look */
	append(logp, "l6\n");
	poll_all(&f);
	snprintf(cmd, sizeof cmd, "rm -f '%s'; : > '%s'", p1, logp);
	assert_int_equal(system(cmd), 0);
	append(logp, "l7\nl8\nl9\nl10\n");
	poll_all(&f);
	assert_seen(10);
	ag_follow_free(&f);
}

static void test_restart(void **st)
{
	struct ag_follow f, g, h;
	struct ag_follow *fs[1];
	struct sw_errbuf eb;
	char p1[700];

	(void)st;
	sw_errbuf_clear(&eb);
	assert_int_equal(ag_follow_init(&f, logp), SW_OK);
	append(logp, "l1\nl2\n");
	poll_all(&f);
	fs[0] = &f;
	assert_int_equal(ag_follow_save(fs, 1, state, &eb), SW_OK);
	ag_follow_free(&f);
	/* stopped: more lines arrive */
	append(logp, "l3\nl4\n");
	assert_int_equal(ag_follow_init(&g, logp), SW_OK);
	fs[0] = &g;
	ag_follow_load(fs, 1, state);
	/* start_at_end does not apply to a file we know */
	ag_follow_poll(&g, 1, 0, on_line, NULL, 1000);
	assert_seen(4);
	assert_int_equal(ag_follow_save(fs, 1, state, &eb), SW_OK);
	ag_follow_free(&g);
	/* stopped again; the log is rotated meanwhile */
	append(logp, "l5\n");
	snprintf(p1, sizeof p1, "%s.1", logp);
	assert_int_equal(rename(logp, p1), 0);
	append(logp, "l6\n");
	assert_int_equal(ag_follow_init(&h, logp), SW_OK);
	fs[0] = &h;
	ag_follow_load(fs, 1, state);
	poll_all(&h);
	assert_seen(6);
	ag_follow_free(&h);
}

static void test_first_sight_and_long(void **st)
{
	struct ag_follow f;
	char *big = malloc(AG_FOLLOW_LINE_MAX * 2 + 2);

	(void)st;
	append(logp, "old1\nold2\n");
	assert_int_equal(ag_follow_init(&f, logp), SW_OK);
	/* a log never seen before is read from its end */
	assert_int_equal(ag_follow_poll(&f, 1, 0, on_line, NULL, 1000), 0);
	memset(big, 'x', AG_FOLLOW_LINE_MAX * 2);
	big[AG_FOLLOW_LINE_MAX * 2] = '\n';
	big[AG_FOLLOW_LINE_MAX * 2 + 1] = '\0';
	append(logp, big);
	append(logp, "l1\n");
	poll_all(&f);
	assert_int_equal(f.long_lines, 1);
	assert_seen(1);
	/* at most max lines per call */
	append(logp, "l2\nl3\nl4\n");
	assert_int_equal(ag_follow_poll(&f, 1, 0, on_line, NULL, 2), 2);
	assert_int_equal(ag_follow_poll(&f, 1, 0, on_line, NULL, 2), 1);
	assert_seen(4);
	free(big);
	ag_follow_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_partial_and_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copytruncate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_sight_and_long, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
