/*
 * block_nginx.c - the nginx deny list (block_nginx.h).
 */
#include "agent/block_nginx.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent/fsutil.h"

/* Canonical text of an address; -1 when it is none. */
static int canon(const char *addr, char out[64])
{
	uint8_t a[16];

	if (ag_addr_parse(addr, strlen(addr), a))
		return -1;
	if (!memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12))
		return inet_ntop(AF_INET, a + 12, out, 64) ? 0 : -1;
	return inet_ntop(AF_INET6, a, out, 64) ? 0 : -1;
}

int ag_block_exempt(const struct ag_blocker *b, const char *addr)
{
	uint8_t a[16];

	if (ag_addr_parse(addr, strlen(addr), a))
		return 1;
	return ag_net_contains(b->conf->never_block, b->conf->n_never_block, a) ||
	       ag_net_contains(b->conf->allow, b->conf->n_allow, a);
}

enum sw_err ag_block_init(struct ag_blocker *b, const struct ag_attack_conf *conf,
			  struct sw_errbuf *eb)
{
	char line[512], addr[64], reason[32], c[64];
	long long until;
	FILE *f;

	(void)eb;
	memset(b, 0, sizeof *b);
	b->conf = conf;
	pthread_mutex_init(&b->mu, NULL);
	if (!conf->block_file || !(f = fopen(conf->block_file, "r")))
		return SW_OK;
	while (fgets(line, sizeof line, f) && b->n < AG_BLOCK_MAX) {
		struct ag_block_entry *ne;
		reason[0] = '\0';
		if (sscanf(line, "deny %63[^;]; # until %lld %*s %31s", addr, &until, reason) < 2 ||
		    canon(addr, c) || ag_block_exempt(b, c))
			continue;
		if (!(ne = realloc(b->e, (b->n + 1) * sizeof *ne)))
			break;
		b->e = ne;
		snprintf(b->e[b->n].addr, sizeof b->e[0].addr, "%s", c);
		snprintf(b->e[b->n].reason, sizeof b->e[0].reason, "%s", reason);
		b->e[b->n++].until = until;
	}
	fclose(f);
	return SW_OK;
}

void ag_block_cleanup(struct ag_blocker *b)
{
	free(b->e);
	b->e = NULL;
	b->n = 0;
	pthread_mutex_destroy(&b->mu);
}

int ag_run_cmd(const char *cmd, int timeout_s, char *err, size_t errcap)
{
	int pfd[2], status = -1;
	pid_t pid;
	size_t got = 0;
	int64_t deadline = ag_mono_ns() + (int64_t)timeout_s * 1000000000;

	if (errcap)
		err[0] = '\0';
	if (pipe2(pfd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		struct pollfd p = {pfd[0], POLLIN, 0};
		int64_t left = (deadline - ag_mono_ns()) / 1000000;
		char buf[512];
		ssize_t n;
		if (left <= 0) {
			kill(pid, SIGKILL);
			snprintf(err, errcap, "'%s' took longer than %d s", cmd, timeout_s);
			break;
		}
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		n = read(pfd[0], buf, sizeof buf);
		if (n <= 0)
			break;
		if (got + 1 < errcap) {
			size_t k = (size_t)n < errcap - 1 - got ? (size_t)n : errcap - 1 - got;
			memcpy(err + got, buf, k);
			got += k;
			err[got] = '\0';
		}
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (errcap) {
		/* keep the last meaningful line */
		char *nl;
		while (got && (err[got - 1] == '\n' || err[got - 1] == '\r'))
			err[--got] = '\0';
		if ((nl = strrchr(err, '\n')))
			memmove(err, nl + 1, strlen(nl + 1) + 1);
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The file's text for the current entries. */
static char *render(const struct ag_blocker *b, size_t *len)
{
	char *buf = NULL;
	FILE *o = open_memstream(&buf, len);

	if (!o)
		return NULL;
	fprintf(o, "# sitewarden-agent deny list: include it in nginx's http or server block.\n"
		   "# Rewritten by the agent (block = on); lines expire by themselves.\n");
	for (size_t i = 0; i < b->n; i++) {
		char t[32];
		ag_fmt_time(b->e[i].until * 1000000000, t);
		fprintf(o, "deny %s; # until %lld %s %s\n", b->e[i].addr, (long long)b->e[i].until, t,
			b->e[i].reason[0] ? b->e[i].reason : "-");
	}
	if (fclose(o)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Writes the file and applies it; on a failed test the old text goes
 * back.  0 or -1 (b->last_error says why). */
static int apply(struct ag_blocker *b, const char *old, size_t old_len)
{
	struct sw_errbuf eb;
	size_t len;
	char *txt = render(b, &len);
	char err[256];

	sw_errbuf_clear(&eb);
	if (!txt || ag_write_atomic(b->conf->block_file, txt, len, &eb)) {
		snprintf(b->last_error, sizeof b->last_error, "cannot write %.100s: %.120s",
			 b->conf->block_file, eb.msg);
		free(txt);
		return -1;
	}
	free(txt);
	if (ag_run_cmd(b->conf->block_test_cmd, 30, err, sizeof err)) {
		snprintf(b->last_error, sizeof b->last_error, "test failed (%.60s): %.160s",
			 b->conf->block_test_cmd, err);
		if (old)
			ag_write_atomic(b->conf->block_file, old, old_len, &eb);
		b->reload_failures++;
		return -1;
	}
	if (ag_run_cmd(b->conf->block_reload_cmd, 30, err, sizeof err)) {
		snprintf(b->last_error, sizeof b->last_error, "reload failed (%.60s): %.160s",
			 b->conf->block_reload_cmd, err);
		b->reload_failures++;
		return -1;
	}
	return 0;
}

int ag_block_add(struct ag_blocker *b, const char *addr, const char *reason, int64_t now,
		 struct ag_json *ev)
{
	char c[64], t[32];
	size_t old_len = 0, i;
	char *old;
	int rc;

	if (canon(addr, c) || ag_block_exempt(b, c)) {
		b->refused += canon(addr, c) == 0;
		return 0;
	}
	pthread_mutex_lock(&b->mu);
	for (i = 0; i < b->n; i++)
		if (!strcmp(b->e[i].addr, c))
			break;
	if (i < b->n) {
		/* already blocked: extended silently (nginx already denies it) */
		b->e[i].until = now + b->conf->block_for_s;
		pthread_mutex_unlock(&b->mu);
		return 0;
	}
	if (b->n >= AG_BLOCK_MAX) {
		pthread_mutex_unlock(&b->mu);
		return 0;
	}
	struct ag_block_entry *ne = realloc(b->e, (b->n + 1) * sizeof *ne);
	if (!ne) {
		pthread_mutex_unlock(&b->mu);
		return 0;
	}
	b->e = ne;
	old = render(b, &old_len);
	snprintf(b->e[b->n].addr, sizeof b->e[0].addr, "%s", c);
	snprintf(b->e[b->n].reason, sizeof b->e[0].reason, "%s", reason ? reason : "-");
	b->e[b->n++].until = now + b->conf->block_for_s;
	rc = apply(b, old, old_len);
	if (rc)
		b->n--;
	else
		b->blocks++;
	pthread_mutex_unlock(&b->mu);
	free(old);
	ag_json_str(ev, "kind", "block");
	ag_json_str(ev, "source", c);
	ag_json_str(ev, "reason", reason);
	ag_json_str(ev, "file", b->conf->block_file);
	if (rc) {
		ag_json_str(ev, "action", "failed");
		ag_json_str(ev, "error", b->last_error);
		return -1;
	}
	ag_fmt_time((now + b->conf->block_for_s) * 1000000000, t);
	ag_json_str(ev, "action", "blocked");
	ag_json_str(ev, "until", t);
	return 1;
}

void ag_block_expire(struct ag_blocker *b, int64_t now,
		     void (*fn)(const struct ag_json *ev, void *arg), void *arg)
{
	struct ag_block_entry gone[64];
	size_t n_gone = 0, old_len = 0;
	char *old;

	pthread_mutex_lock(&b->mu);
	old = render(b, &old_len);
	for (size_t i = 0; i < b->n && n_gone < 64;) {
		if (b->e[i].until <= now) {
			gone[n_gone++] = b->e[i];
			b->e[i] = b->e[--b->n];
		} else {
			i++;
		}
	}
	if (n_gone && apply(b, old, old_len)) {
		/* nginx still denies them: keep them listed, try again later */
		for (size_t i = 0; i < n_gone; i++)
			b->e[b->n++] = gone[i];
		n_gone = 0;
	}
	b->unblocks += n_gone;
	pthread_mutex_unlock(&b->mu);
	free(old);
	for (size_t i = 0; i < n_gone; i++) {
		struct ag_json j;
		ag_json_init(&j);
		ag_json_str(&j, "kind", "unblock");
		ag_json_str(&j, "source", gone[i].addr);
		ag_json_str(&j, "reason", "expired");
		ag_json_str(&j, "file", b->conf->block_file);
		fn(&j, arg);
		ag_json_free(&j);
	}
}

void ag_block_status(struct ag_blocker *b, struct ag_json *j)
{
	struct ag_json arr;

	ag_json_init(&arr);
	ag_json_append(&arr, "[", 1);
	pthread_mutex_lock(&b->mu);
	for (size_t i = 0; i < b->n; i++) {
		char t[32];
		struct ag_json one;
		ag_json_init(&one);
		ag_fmt_time(b->e[i].until * 1000000000, t);
		ag_json_str(&one, "source", b->e[i].addr);
		ag_json_str(&one, "until", t);
		ag_json_str(&one, "reason", b->e[i].reason);
		ag_json_append(&arr, i ? ",{" : "{", i ? 2 : 1);
		ag_json_append(&arr, one.s ? one.s : "", one.len);
		ag_json_append(&arr, "}", 1);
		ag_json_free(&one);
	}
	pthread_mutex_unlock(&b->mu);
	ag_json_append(&arr, "]", 1);
	ag_json_raw(j, "blocked", arr.s ? arr.s : "[]");
	ag_json_free(&arr);
}
