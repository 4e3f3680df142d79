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
#include "analyze/baseline.h"
#include "analyze/worker_wire.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdint.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ANSWER_MAX (64u << 20) /* findings of one page never come near this */

/* AddressSanitizer reserves terabytes of address space for its shadow
 * memory, so an address-space limit kills every sanitized child at once:
 * sanitized test builds keep the CPU limit and the filter only. */
#if defined(__SANITIZE_ADDRESS__)
#define SW_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SW_ASAN 1
#endif
#endif
#ifndef SW_ASAN
#define SW_ASAN 0
#endif

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
		SCMP_SYS(madvise),    SCMP_SYS(mprotect),  SCMP_SYS(write),      SCMP_SYS(read),       SCMP_SYS(exit),
		SCMP_SYS(exit_group), SCMP_SYS(rt_sigreturn), SCMP_SYS(futex),   SCMP_SYS(getrandom),
		SCMP_SYS(clock_gettime), SCMP_SYS(gettid), SCMP_SYS(getpid), SCMP_SYS(rt_sigprocmask),
		SCMP_SYS(fstat),      SCMP_SYS(newfstatat), SCMP_SYS(tgkill),
		SCMP_SYS(sysinfo), /* glibc qsort sizes its buffer by physical memory */
		SCMP_SYS(sigaltstack), /* sanitizer runtimes tear their stacks down at exit */
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

/* What a child is asked to do. */
struct job_analyze {
	const struct sw_an_rules *rules;
	const struct sw_an_input *in;
};

struct job_learn {
	const struct sw_an_page *pages;
	size_t n;
};

/*
 * Leaves the child with nothing but its socket (as fd 3) and stderr: the
 * parent's database, log and network descriptors are inherited by fork,
 * and the filter allows read and write on any descriptor.  Returns 3.
 */
static int keep_only(int fd)
{
	if (fd != 3 && (dup2(fd, 3) < 0 || close(fd)))
		_exit(3);
	close(0);
	close(1);
	if (close_range(4, ~0U, 0))
		_exit(3);
	return 3;
}

/* Applies the limits and the filter in the child; exits when it cannot. */
static void enter_sandbox(const struct sw_an_worker_limits *lim)
{
	struct rlimit cpu = {lim->cpu_seconds, lim->cpu_seconds + 1};
	struct rlimit as = {vm_size() + lim->mem_bytes, vm_size() + lim->mem_bytes};

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setrlimit(RLIMIT_CPU, &cpu) || (!SW_ASAN && setrlimit(RLIMIT_AS, &as)) ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || confine())
		_exit(3);
}

/* The analysis child's work: findings as JSON lines, then the end line. */
static int analyze_job(int fd, const void *arg)
{
	const struct job_analyze *j = arg;
	struct sw_findings fs;
	char *line;
	int ok = 1;

	sw_findings_init(&fs);
	if (sw_analyze(j->rules, j->in, &fs, NULL) != SW_OK)
		return 4;
	for (size_t i = 0; i < fs.n && ok; i++) {
		json_t *o = json_pack("{s:s, s:i, s:s, s:s?}", "key", fs.v[i].kind->key, "sev",
				      (int)fs.v[i].sev, "title", fs.v[i].title, "evidence",
				      fs.v[i].evidence);

		line = o ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
		ok = line && write_all(fd, line, strlen(line)) == 0 && write_all(fd, "\n", 1) == 0;
		free(line);
	}
	/* The page's links, when asked for, as one line before the end. */
	if (ok && j->in->links && j->in->links->n) {
		json_t *a = json_array();

		for (size_t i = 0; i < j->in->links->n; i++)
			json_array_append_new(a, json_string(j->in->links->v[i]));
		json_t *o = json_pack("{s:o}", "links", a);

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
	return ok ? 0 : 5;
}

/* The learning child's work: the baseline blob, as bytes. */
static int learn_job(int fd, const void *arg)
{
	const struct job_learn *j = arg;
	struct sw_doc *docs[SW_BASELINE_MAX_VERSIONS] = {0};
	struct sw_baseline *b = NULL;
	unsigned char *blob = NULL;
	size_t len = 0, n = j->n < SW_BASELINE_MAX_VERSIONS ? j->n : SW_BASELINE_MAX_VERSIONS;
	struct sw_doc_limits lim;

	sw_doc_limits_init(&lim);
	for (size_t i = 0; i < n; i++)
		if (sw_doc_parse(j->pages[i].text, j->pages[i].text_len, &lim, &docs[i], NULL))
			return 4;
	if (sw_baseline_learn((const struct sw_doc *const *)docs, n, &b, NULL) ||
	    sw_baseline_to_blob(b, &blob, &len, NULL))
		return 4;
	return write_all(fd, (const char *)blob, len) ? 5 : 0;
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

/* Takes the child's links line into links (NULL: none were asked for);
 * 0 when every entry is an http(s) URL within bounds.  The child is not
 * trusted: the engine checks the origin of each again. */
static int take_links(json_t *a, struct sw_an_links *links)
{
	size_t i;
	json_t *v;

	if (!links || !json_is_array(a) || json_array_size(a) > links->max ||
	    json_array_size(a) > SW_AN_LINKS_MAX)
		return -1;
	json_array_foreach(a, i, v) {
		const char *u = json_string_value(v);

		if (!u || strlen(u) > SW_AN_LINK_LEN ||
		    (strncmp(u, "http://", 7) && strncmp(u, "https://", 8)) || links->n >= links->max)
			return -1;
		if (!(links->v[links->n] = strdup(u)))
			return -1;
		links->n++;
	}
	return 0;
}

/* Parses the answer into out (and links, may be NULL); 0 when it is
 * complete and well-formed. */
static int take_answer(char *buf, struct sw_findings *out, struct sw_an_links *links)
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
		if ((end = json_object_get(o, "links"))) {
			int bad = take_links(end, links);

			json_decref(o);
			if (bad)
				return -1;
			continue;
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

/*
 * Runs job(fd, arg) in a sandboxed child and collects what it writes.
 * Returns 0 with the answer in *buf (caller frees) when the child exited 0;
 * otherwise -1 with *why saying how it died ("time", "memory", "sandbox",
 * "crash").  -2 when no child could be started (errno set).
 */
static int run_job(int (*job)(int fd, const void *arg), const void *arg,
		   const struct sw_an_worker_limits *lim, char **buf, size_t *len, const char **why)
{
	int fds[2], status = 0, ok;
	pid_t pid;

	*buf = NULL;
	*len = 0;
	/* jansson seeds its hash function from /dev/urandom on first use:
	 * do it here, where files may be opened, not in the child. */
	json_object_seed(0);
	if (pipe2(fds, O_CLOEXEC))
		return -2;
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -2;
	}
	if (pid == 0) {
		int fd;

		close(fds[0]);
		fd = keep_only(fds[1]);
		enter_sandbox(lim);
		_exit(job(fd, arg));
	}
	close(fds[1]);
	ok = read_answer(fds[0], buf, len, lim->wall_seconds) == 0;
	close(fds[0]);
	if (!ok)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (ok && WIFEXITED(status) && WEXITSTATUS(status) == 0 && *buf)
		return 0;
	*why = !ok || (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL))
		       ? "time"
	       : WIFSIGNALED(status) ? (WTERMSIG(status) == SIGSYS ? "sandbox" : "crash")
				     : "memory";
	free(*buf);
	*buf = NULL;
	return -1;
}

/*
 * The persistent analysis worker.  Forking per page cost ~4 ms of system
 * time (page tables of a process holding the compiled rules), ten times a
 * small page's analysis; so one child serves up to SERVE_MAX pages, one at
 * a time, over a socket pair, and a fresh one is forked after that, after
 * it dies, or when the rules change.  The per-page bound is the parent's
 * wall-clock deadline (the child is killed past it); RLIMIT_CPU bounds the
 * child's whole life.  One worker per process: the callers analyse one page
 * at a time (not thread-safe).
 *
 * Each fork also costs the parent: every heap page it writes afterwards
 * faults once (copy-on-write), and a fetching parent writes tens of
 * megabytes of heap (bodies, TLS and HTTP/2 buffers spread over the
 * arena).  Measured in bench/probe (HTTPS, every check on): with a fork
 * every 500 pages the parent took about 40 such faults a page, about a
 * third of the check's CPU on this virtual machine; every 5,000 pages, 5.
 * 5,000 pages of 2-3 ms stay far below the life's RLIMIT_CPU (10x the
 * per-page limit, 100 s by default).
 */
#define SERVE_MAX 5000
#define FRAME_MAX ((size_t)512 << 20)

static struct {
	pid_t pid;
	int fd;                           /* our end of the socket pair */
	const struct sw_an_rules *rules;  /* what the child was forked with */
	unsigned served;
} pw = {0, -1, NULL, 0};

/* Reads exactly n bytes; 0 on success, -1 on EOF or error. */
static int read_all(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* The child's life: requests in, findings out, until the socket closes. */
static _Noreturn void serve(int fd, const struct sw_an_rules *rules)
{
	for (;;) {
		struct job_analyze job;
		struct sw_wire_req req;
		unsigned char *frame;
		uint64_t len;
		int rc;

		if (read_all(fd, &len, sizeof len))
			_exit(0); /* the parent closed: done */
		if (len == 0 || len > FRAME_MAX || !(frame = malloc((size_t)len)))
			_exit(6);
		if (read_all(fd, frame, (size_t)len))
			_exit(0);
		if (sw_wire_get_input(frame, (size_t)len, &req) != SW_OK)
			_exit(7);
		job.rules = rules;
		job.in = &req.in;
		rc = analyze_job(fd, &job);
		sw_wire_req_cleanup(&req);
		free(frame);
		if (rc)
			_exit(rc);
	}
}

/* Ends the worker; kills it first when it is still busy. */
static void pw_stop(int hard, int *status)
{
	int st = 0;

	if (pw.fd >= 0)
		close(pw.fd);
	if (pw.pid > 0) {
		if (hard)
			kill(pw.pid, SIGKILL);
		while (waitpid(pw.pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	if (status)
		*status = st;
	pw.pid = 0;
	pw.fd = -1;
	pw.served = 0;
}

static int pw_start(const struct sw_an_rules *rules, const struct sw_an_worker_limits *lim)
{
	struct sw_an_worker_limits life = *lim;
	int sv[2];

	/* jansson seeds its hash function from /dev/urandom on first use:
	 * do it here, where files may be opened, not in the child. */
	json_object_seed(0);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	fflush(NULL);
	if ((pw.pid = fork()) < 0) {
		close(sv[0]);
		close(sv[1]);
		pw.pid = 0;
		return -1;
	}
	if (pw.pid == 0) {
		int fd;

		close(sv[0]);
		fd = keep_only(sv[1]);
		life.cpu_seconds = lim->cpu_seconds * 10; /* a life of pages, each watched */
		enter_sandbox(&life);
		serve(fd, rules);
	}
	close(sv[1]);
	pw.fd = sv[0];
	pw.rules = rules;
	pw.served = 0;
	return 0;
}

/* Reads one answer (up to and including its end line) within the deadline;
 * 0 on success with the answer in *buf (caller frees). */
static int read_reply(int fd, char **buf, unsigned wall_seconds)
{
	struct timespec t0, now;
	size_t len = 0, cap = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	*buf = NULL;
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		long left;
		ssize_t r;
		char *last;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (long)wall_seconds * 1000 -
		       ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			break;
		if (poll(&p, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (!p.revents)
			continue;
		if (len + 65536 + 1 > cap) {
			char *nb;

			if (cap >= ANSWER_MAX)
				break;
			cap = cap ? 2 * cap : 131072;
			if (!(nb = realloc(*buf, cap)))
				break;
			*buf = nb;
		}
		r = read(fd, *buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		(*buf)[len] = '\0';
		/* Complete when the last full line is the end line. */
		if (len && (*buf)[len - 1] == '\n') {
			(*buf)[len - 1] = '\0';
			last = strrchr(*buf, '\n');
			last = last ? last + 1 : *buf;
			(*buf)[len - 1] = '\n';
			if (!strncmp(last, "{\"end\":", 7))
				return 0;
		}
	}
	free(*buf);
	*buf = NULL;
	return -1;
}

/* How a worker that died or was killed ended, for the finding. */
static const char *why_dead(int status, int killed)
{
	if (killed || (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL)))
		return "time";
	if (WIFSIGNALED(status))
		return WTERMSIG(status) == SIGSYS ? "sandbox" : "crash";
	return "memory";
}

enum sw_err sw_an_worker_analyze(const struct sw_an_rules *rules, const struct sw_an_input *in,
				 const struct sw_an_worker_limits *lim, struct sw_findings *out,
				 struct sw_errbuf *eb)
{
	struct sw_an_worker_limits def;
	struct sw_wire w = {0};
	struct sw_findings got;
	const char *why;
	char *buf = NULL;
	uint64_t len;
	int status = 0, sent;

	if (!lim) {
		sw_an_worker_limits_init(&def);
		lim = &def;
	}
	if (!lim->sandbox)
		return sw_analyze(rules, in, out, eb);
	if (sw_wire_put_input(&w, in) != SW_OK) {
		free(w.p);
		return SW_ENOMEM;
	}
	if (pw.pid && (pw.rules != rules || pw.served >= SERVE_MAX))
		pw_stop(0, NULL);
	if (!pw.pid && pw_start(rules, lim)) {
		free(w.p);
		return sw_errf(eb, SW_EIO, "cannot start an analysis worker: %s", strerror(errno));
	}
	len = w.n;
	sent = send(pw.fd, &len, sizeof len, MSG_NOSIGNAL) == (ssize_t)sizeof len;
	for (size_t off = 0; sent && off < w.n;) {
		ssize_t r = send(pw.fd, w.p + off, w.n - off, MSG_NOSIGNAL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			sent = 0;
		else
			off += (size_t)r;
	}
	free(w.p);
	pw.served++;
	sw_findings_init(&got);
	if (sent && read_reply(pw.fd, &buf, lim->wall_seconds) == 0 && take_answer(buf, &got, in->links) == 0) {
		free(buf);
		for (size_t i = 0; i < got.n; i++)
			if (sw_findings_add(out, got.v[i].kind->key, got.v[i].sev, got.v[i].evidence, "%s",
					    got.v[i].title) != SW_OK) {
				sw_findings_cleanup(&got);
				return SW_ENOMEM;
			}
		sw_findings_cleanup(&got);
		return SW_OK;
	}
	free(buf);
	sw_findings_cleanup(&got);
	if (in->links)
		sw_an_links_cleanup(in->links); /* half an answer gives no links */
	/* The worker died, overran or answered garbage: a fresh one next time. */
	{
		int alive = pw.pid > 0 && waitpid(pw.pid, &status, WNOHANG) == 0;
		char ev[160];

		if (alive)
			pw_stop(1, &status);
		else {
			pw.pid = 0; /* reaped by the WNOHANG wait above */
			pw_stop(0, NULL);
		}
		why = why_dead(status, alive);
		snprintf(ev, sizeof ev, "{\"technique\":\"worker-%s\",\"confidence\":1.0,\"count\":1}", why);
		return sw_findings_add(out, "analysis.limit", SW_SEV_MEDIUM, ev,
				       "the page could not be analysed within the worker's limits (%s)", why);
	}
}

enum sw_err sw_an_worker_learn(const struct sw_an_page *pages, size_t n,
			       const struct sw_an_worker_limits *lim, struct sw_baseline **out,
			       struct sw_errbuf *eb)
{
	struct sw_an_worker_limits def;
	struct job_learn job = {pages, n};
	const char *why = "crash";
	char *buf = NULL;
	size_t len;
	enum sw_err rc;
	int r;

	*out = NULL;
	if (!lim) {
		sw_an_worker_limits_init(&def);
		lim = &def;
	}
	if (n == 0 || n > SW_BASELINE_MAX_VERSIONS)
		return sw_errf(eb, SW_EINVAL, "a baseline is learned from 1 to %d pages",
			       SW_BASELINE_MAX_VERSIONS);
	if ((r = run_job(learn_job, &job, lim, &buf, &len, &why)) == -2)
		return sw_errf(eb, SW_EIO, "cannot start an analysis worker: %s", strerror(errno));
	if (r < 0)
		return sw_errf(eb, SW_ELIMIT, "the pages could not be learned within the worker's limits (%s)",
			       why);
	/* The blob is read back with its own checks: the child is not trusted. */
	rc = sw_baseline_from_blob((const unsigned char *)buf, len, out, eb);
	free(buf);
	return rc;
}
