/*
 * worker.c - the sandboxed analysis child (worker.h).
 *
 * The child inherits the loaded rules by fork (copy-on-write, no reload),
 * analyses, writes its findings as JSON lines to a pipe and exits.  The
 * parent reads with a deadline, then reaps.  Protocol: one JSON object per
 * line {"key","sev","title","evidence"}; a final line {"end":N} says the
 * list is complete, so a child killed halfway is not mistaken for a clean
 * page.
 */
#include "analyze/worker.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ANSWER_MAX (64u << 20) /* findings of one page never come near this */

void sw_an_worker_limits_init(struct sw_an_worker_limits *l)
{
	l->cpu_seconds = 10;
	l->wall_seconds = 20;
	l->mem_bytes = (size_t)1 << 30;
	l->sandbox = 1;
}

/* Address space in use now (VmSize), so the child's limit is on top of
 * what it inherits.  0 when unknown. */
static size_t vm_size(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long pages = 0;

	if (f) {
		if (fscanf(f, "%lu", &pages) != 1)
			pages = 0;
		fclose(f);
	}
	return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* Allows what analysing and answering need; everything else kills. */
static int confine(void)
{
	static const int allowed[] = {
		SCMP_SYS(brk),	      SCMP_SYS(mmap),	   SCMP_SYS(munmap),     SCMP_SYS(mremap),
		SCMP_SYS(madvise),    SCMP_SYS(mprotect),  SCMP_SYS(write),      SCMP_SYS(exit),
		SCMP_SYS(exit_group), SCMP_SYS(rt_sigreturn), SCMP_SYS(futex),   SCMP_SYS(getrandom),
		SCMP_SYS(clock_gettime), SCMP_SYS(gettid), SCMP_SYS(getpid), SCMP_SYS(rt_sigprocmask),
		SCMP_SYS(fstat),      SCMP_SYS(newfstatat), SCMP_SYS(tgkill),
		SCMP_SYS(sysinfo), /* glibc qsort sizes its buffer by physical memory */
	};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int rc = -1;

	if (!ctx)
		return -1;
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0) < 0)
			goto out;
	/* A library that tries a file (a random seed, a locale) gets an error
	 * it handles rather than killing the page's analysis. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(openat), 0) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(open), 0) < 0)
		goto out;
	rc = seccomp_load(ctx);
out:
	seccomp_release(ctx);
	return rc;
}

/* Writes all of buf to fd. */
static int write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The child: limits, filter, analysis, answer.  Never returns. */
static _Noreturn void child(int fd, const struct sw_an_rules *rules, const struct sw_an_input *in,
			    const struct sw_an_worker_limits *lim)
{
	struct rlimit cpu = {lim->cpu_seconds, lim->cpu_seconds + 1};
	struct rlimit as = {vm_size() + lim->mem_bytes, vm_size() + lim->mem_bytes};
	struct sw_findings fs;
	char *line;
	int ok = 1;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setrlimit(RLIMIT_CPU, &cpu) || setrlimit(RLIMIT_AS, &as) ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || confine())
		_exit(3);
	sw_findings_init(&fs);
	if (sw_analyze(rules, in, &fs, NULL) != SW_OK)
		_exit(4);
	for (size_t i = 0; i < fs.n && ok; i++) {
		json_t *o = json_pack("{s:s, s:i, s:s, s:s?}", "key", fs.v[i].kind->key, "sev",
				      (int)fs.v[i].sev, "title", fs.v[i].title, "evidence",
				      fs.v[i].evidence);

		line = o ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
		ok = line && write_all(fd, line, strlen(line)) == 0 && write_all(fd, "\n", 1) == 0;
		free(line);
	}
	if (ok) {
		char end[32];

		snprintf(end, sizeof end, "{\"end\":%zu}\n", fs.n);
		ok = write_all(fd, end, strlen(end)) == 0;
	}
	_exit(ok ? 0 : 5);
}

/* Reads the child's answer until EOF or the deadline; 0 on EOF. */
static int read_answer(int fd, char **buf, size_t *len, unsigned wall_seconds)
{
	struct timespec t0, now;
	size_t cap = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	*buf = NULL;
	*len = 0;
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		long left;
		ssize_t r;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (long)wall_seconds * 1000 - ((now.tv_sec - t0.tv_sec) * 1000 +
						     (now.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			return -1;
		if (poll(&p, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!p.revents)
			continue;
		if (*len + 65536 + 1 > cap) {
			char *nb;

			if (cap >= ANSWER_MAX)
				return -1;
			cap = cap ? 2 * cap : 65536 * 2;
			if (!(nb = realloc(*buf, cap)))
				return -1;
			*buf = nb;
		}
		r = read(fd, *buf + *len, cap - *len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		*len += (size_t)r;
	}
	if (*buf)
		(*buf)[*len] = '\0';
	return 0;
}

/* Parses the answer into out; 0 when it is complete and well-formed. */
static int take_answer(char *buf, struct sw_findings *out)
{
	size_t got = 0;

	for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		json_t *o, *end;
		const char *key, *title, *ev = NULL;
		int sev;

		if ((nl = strchr(line, '\n')))
			*nl = '\0';
		if (!(o = json_loads(line, 0, NULL)))
			return -1;
		if ((end = json_object_get(o, "end"))) {
			int complete = json_integer_value(end) == (json_int_t)got;

			json_decref(o);
			return complete ? 0 : -1;
		}
		if (json_unpack(o, "{s:s, s:i, s:s, s?s}", "key", &key, "sev", &sev, "title", &title,
				"evidence", &ev) || !sw_finding_kind(key) || sev < 0 || sev > SW_SEV_CRITICAL ||
		    sw_findings_add(out, key, (enum sw_sev)sev, ev, "%s", title) != SW_OK) {
			json_decref(o);
			return -1;
		}
		json_decref(o);
		got++;
	}
	return -1; /* no end line: the child did not finish */
}

enum sw_err sw_an_worker_analyze(const struct sw_an_rules *rules, const struct sw_an_input *in,
				 const struct sw_an_worker_limits *lim, struct sw_findings *out,
				 struct sw_errbuf *eb)
{
	struct sw_an_worker_limits def;
	struct sw_findings got;
	int fds[2], status = 0, ok;
	char *buf = NULL;
	size_t len;
	pid_t pid;

	if (!lim) {
		sw_an_worker_limits_init(&def);
		lim = &def;
	}
	if (!lim->sandbox)
		return sw_analyze(rules, in, out, eb);
	/* jansson seeds its hash function from /dev/urandom on first use:
	 * do it here, where files may be opened, not in the child. */
	json_object_seed(0);
	if (pipe2(fds, O_CLOEXEC))
		return sw_errf(eb, SW_EIO, "cannot start an analysis worker: %s", strerror(errno));
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return sw_errf(eb, SW_EIO, "cannot start an analysis worker: %s", strerror(errno));
	}
	if (pid == 0) {
		close(fds[0]);
		child(fds[1], rules, in, lim);
	}
	close(fds[1]);
	ok = read_answer(fds[0], &buf, &len, lim->wall_seconds) == 0;
	close(fds[0]);
	if (!ok)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sw_findings_init(&got);
	ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0 && buf && take_answer(buf, &got) == 0;
	free(buf);
	if (ok) {
		/* Move the findings over. */
		for (size_t i = 0; i < got.n; i++)
			if (sw_findings_add(out, got.v[i].kind->key, got.v[i].sev, got.v[i].evidence, "%s",
					    got.v[i].title) != SW_OK) {
				sw_findings_cleanup(&got);
				return SW_ENOMEM;
			}
		sw_findings_cleanup(&got);
		return SW_OK;
	}
	sw_findings_cleanup(&got);
	{
		char ev[160];
		const char *why = WIFSIGNALED(status) ? (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL
								 ? "time" : WTERMSIG(status) == SIGSYS ? "sandbox" : "crash")
						    : "memory";

		snprintf(ev, sizeof ev, "{\"technique\":\"worker-%s\",\"confidence\":1.0,\"count\":1}", why);
		return sw_findings_add(out, "analysis.limit", SW_SEV_MEDIUM, ev,
				       "the page could not be analysed within the worker's limits (%s)", why);
	}
}
