/*
 * cmd_run.c - `sitewarden-agent run`: the service.  Loads the baselines,
 * watches every directory, reconciles once (changes made while the agent
 * was stopped), then serves kernel events, serve-time guard requests and
 * the control socket until SIGTERM or SIGINT.
 */
#include "agent/attack_run.h"
#include "agent/cmd.h"
#include "agent/ctl.h"
#include "agent/fsutil.h"
#include "agent/guard_int.h"
#include "agent/ops.h"
#include "agent/perm.h"
#include "agent/report.h"
#include "agent/spool.h"
#include "agent/store.h"
#include "agent/yara.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct run {
	struct ag_config *c;
	struct ag_store st;
	struct ag_spool sp;
	struct ag_guard g;
	struct ag_reporter rp;
	struct ag_perm perm;
	struct ag_attack_run *attack; /* logs, verdicts, deny list */
	int64_t started;
	pthread_mutex_t status_mu;
};

/* Members of the heartbeat and of `status` (reporter thread: only reads
 * counters, a stale value is fine). */
static void status_members(struct ag_json *j, void *arg)
{
	struct run *r = arg;
	struct ag_json roots;
	char t[32];

	ag_json_str(j, "watcher", r->g.ops ? r->g.ops->name : "none");
	ag_json_str(j, "serve_guard", r->g.perm_fd >= 0 ? "on" : "off");
	ag_json_int(j, "pid", getpid());
	ag_json_int(j, "uptime_s", (ag_mono_ns() - r->started) / 1000000000);
	ag_json_int(j, "events", (int64_t)r->g.n_events);
	ag_json_int(j, "restored", (int64_t)r->g.n_restored);
	ag_json_int(j, "removed", (int64_t)r->g.n_removed);
	ag_json_int(j, "quarantined", (int64_t)r->g.n_quarantined);
	ag_json_int(j, "webshells", (int64_t)r->g.n_webshells);
	ag_json_int(j, "reconciles", (int64_t)r->g.n_reconciles);
	ag_json_int(j, "overflows", (int64_t)r->g.n_overflows);
	ag_json_int(j, "watched_dirs", (int64_t)(r->g.n_w - r->g.n_free_w));
	if (r->perm.running) {
		ag_json_int(j, "serve_allowed", (int64_t)r->perm.allowed);
		ag_json_int(j, "serve_denied", (int64_t)r->perm.denied);
		ag_json_int(j, "serve_hashed", (int64_t)r->perm.hashed);
		ag_json_int(j, "serve_writer_waits", (int64_t)r->perm.writer_waits);
	}
	if (r->g.last_event_ns) {
		ag_fmt_time(r->g.last_event_ns, t);
		ag_json_str(j, "last_event", t);
	}
	if (r->rp.last_error[0])
		ag_json_str(j, "last_delivery_error", r->rp.last_error);
	ag_json_init(&roots);
	ag_json_append(&roots, "[", 1);
	for (size_t i = 0; i < r->g.n_roots; i++) {
		struct ag_groot *gr = &r->g.roots[i];
		struct ag_json one;
		ag_json_init(&one);
		ag_json_str(&one, "path", gr->rc->path);
		ag_json_int(&one, "files", (int64_t)gr->files);
		ag_json_int(&one, "dirs", (int64_t)gr->dirs);
		ag_json_int(&one, "links", (int64_t)gr->links);
		ag_json_int(&one, "paused_until", gr->paused_until);
		if (i)
			ag_json_append(&roots, ",", 1);
		ag_json_append(&roots, "{", 1);
		ag_json_append(&roots, one.s, one.len);
		ag_json_append(&roots, "}", 1);
		ag_json_free(&one);
	}
	ag_json_append(&roots, "]", 1);
	ag_json_raw(j, "roots", roots.s);
	ag_json_free(&roots);
	if (r->attack)
		ag_attack_status(r->attack, j);
}

/* Finds the root a control request names ("*" is every root: -1). */
static int root_arg(struct run *r, const char *s, int *ri)
{
	if (!strcmp(s, "*")) {
		*ri = -1;
		return 0;
	}
	*ri = ag_config_root_find(r->c, s);
	return *ri < 0 ? -1 : 0;
}

/* Handles one control request and writes the answer to fd. */
static void handle_ctl(struct run *r, int fd)
{
	char line[8192], a[4200], b[4200], msg[1024];
	struct sw_errbuf eb;
	enum sw_err rc = SW_OK;
	int ri;
	long long num;

	sw_errbuf_clear(&eb);
	msg[0] = '\0';
	if (ag_ctl_read(fd, line, sizeof line))
		return;
	if (!strcmp(line, "status")) {
		struct ag_json j;
		ag_json_init(&j);
		ag_json_int(&j, "spool_depth", (int64_t)ag_spool_depth(&r->sp));
		ag_json_int(&j, "last_seq", (int64_t)r->sp.written);
		ag_json_int(&j, "acked_seq", (int64_t)r->sp.acked);
		status_members(&j, r);
		dprintf(fd, "ok\n{%s}\n", j.s ? j.s : "");
		ag_json_free(&j);
		return;
	}
	if (sscanf(line, "pause %4095s %lld", a, &num) == 2) {
		rc = root_arg(r, a, &ri) ? sw_errf(&eb, SW_ENOTFOUND, "no such root %s", a)
					 : ag_op_pause(&r->g, ri, num, &eb);
	} else if (sscanf(line, "resume %4095s %4095s", a, b) == 2) {
		rc = root_arg(r, a, &ri) ? sw_errf(&eb, SW_ENOTFOUND, "no such root %s", a)
					 : ag_op_resume(&r->g, ri, !strcmp(b, "accept"), "resume", &eb);
	} else if (sscanf(line, "publish %4095s %4095s", a, b) == 2) {
		rc = root_arg(r, a, &ri) || ri < 0
			     ? sw_errf(&eb, SW_ENOTFOUND, "no such root %s", a)
			     : ag_op_publish(&r->g, (uint32_t)ri, b, msg, sizeof msg, &eb);
	} else {
		rc = sw_errf(&eb, SW_EUSAGE, "unknown request");
	}
	if (rc)
		dprintf(fd, "error: %s\n", eb.msg[0] ? eb.msg : sw_strerror(rc));
	else
		dprintf(fd, "ok\n%s%s", msg, msg[0] ? "\n" : "");
}

/* Reads the serve-time guard's requests. */
static void drain_requests(struct run *r)
{
	uint32_t m[2 * 64];
	ssize_t n;

	while ((n = read(r->g.req_pipe[0], m, sizeof m)) > 0)
		for (ssize_t i = 0; i + 1 < n / (ssize_t)sizeof m[0]; i += 2)
			ag_guard_check_entry(&r->g, m[i], m[i + 1]);
}

/* A corrupt store stops the agent: tell the server (one delivery
 * attempt), so an unguarded host does not just look silent. */
static void report_corrupt(struct run *r, const char *msg)
{
	struct ag_json j;
	struct sw_errbuf eb;

	ag_json_init(&j);
	ag_json_str(&j, "kind", "store_corrupt");
	ag_json_str(&j, "detail", msg);
	ag_json_str(&j, "action", "agent_stopped");
	ag_spool_emit(&r->sp, &j);
	ag_json_free(&j);
	r->rp.cfg = r->c;
	r->rp.spool = &r->sp;
	sw_errbuf_clear(&eb);
	if (ag_reporter_start(&r->rp, &eb) == SW_OK)
		ag_reporter_stop(&r->rp);
}

/* Sets everything up; returns 0 or prints why not. */
static int start(struct run *r)
{
	struct sw_errbuf eb;
	int uploads = 0;

	sw_errbuf_clear(&eb);
	if (ag_store_open(&r->st, r->c->store, 0, &eb) || ag_store_lock(&r->st, &eb) ||
	    ag_spool_open(&r->sp, r->st.dir, r->c->id, 0, &eb))
		return ag_err("%s", eb.msg), 1;
	if (ag_guard_init(&r->g, r->c, &r->st, &r->sp, &eb)) {
		ag_err("%s", eb.msg);
		if (strstr(eb.msg, "corrupt"))
			report_corrupt(r, eb.msg);
		return 1;
	}
	for (size_t i = 0; i < r->c->n_roots; i++)
		uploads |= r->c->roots[i].n_upload > 0;
	if (uploads && ag_yara_new(r->c->rules_dir, &r->g.yara, &eb))
		return ag_err("%s", eb.msg), 1;
	if (r->c->serve_guard && ag_perm_open(&r->g, &eb))
		return ag_err("%s", eb.msg), 1;
	if (ag_guard_watch(&r->g, &eb))
		return ag_err("%s", eb.msg), 1;

	r->rp.cfg = r->c;
	r->rp.spool = &r->sp;
	r->rp.status = status_members;
	r->rp.status_arg = r;
	if (ag_reporter_start(&r->rp, &eb))
		return ag_err("%s", eb.msg), 1;
	if (r->c->attack && r->c->attack->n_logs) {
		if (!(r->attack = calloc(1, sizeof *r->attack)))
			return ag_err("out of memory"), 1;
		if (ag_attack_start(r->attack, r->c, &r->sp, r->st.dir, &eb))
			return ag_err("%s", eb.msg), 1;
	}
	return 0;
}

/* The event loop. */
static void loop(struct run *r, int sfd, int lfd)
{
	struct pollfd pf[4] = {{r->g.wfd, POLLIN, 0}, {lfd, POLLIN, 0}, {sfd, POLLIN, 0},
			       {r->g.req_pipe[0], POLLIN, 0}};

	for (;;) {
		int due = ag_guard_settle(&r->g, 0);
		int n = poll(pf, r->g.req_pipe[0] >= 0 ? 4 : 3, due >= 0 && due < 1000 ? due : 1000);
		if (n < 0 && errno != EINTR)
			break;
		if (pf[2].revents)
			break;
		if (pf[0].revents)
			r->g.ops->drain(&r->g);
		if (pf[3].revents)
			drain_requests(r);
		if (pf[1].revents) {
			int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			if (c >= 0) {
				handle_ctl(r, c);
				close(c);
			}
		}
		ag_op_expire(&r->g);
	}
}

int ag_cmd_run(struct ag_config *c, const struct ag_opts *o)
{
	struct run *r = calloc(1, sizeof *r);
	struct sw_errbuf eb;
	sigset_t set;
	int sfd = -1, lfd = -1, rc = 1;
	uint64_t files = 0;

	(void)o;
	if (!r)
		return 1;
	r->c = c;
	r->started = ag_mono_ns();
	r->sp.fd = -1;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	ag_perm_block_signal(); /* before any thread starts: they inherit the mask */
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (start(r))
		goto out;
	sw_errbuf_clear(&eb);
	if ((lfd = ag_ctl_listen(r->st.dir, &eb)) < 0) {
		ag_err("%s", eb.msg);
		goto out;
	}
	/* The serve-time guard answers before the first directory is marked
	 * for it: our own opens during the reconciliation wait for an answer
	 * too. */
	if (r->g.perm_fd >= 0 && ag_perm_start(&r->perm, &r->g, &eb)) {
		ag_err("%s", eb.msg);
		goto out;
	}
	ag__emit(&r->g, "agent_start", -1, NULL);
	ag_guard_reconcile(&r->g, -1, "start");
	for (size_t i = 0; i < r->g.n_roots; i++)
		files += r->g.roots[i].files;
	fprintf(stderr, "sitewarden-agent: guarding %zu root(s), %llu files, with %s%s\n",
		r->g.n_roots, (unsigned long long)files, r->g.ops->name,
		r->g.perm_fd >= 0 ? " and the serve-time guard" : "");
	loop(r, sfd, lfd);
	ag_guard_settle(&r->g, 1);
	ag__emit(&r->g, "agent_stop", -1, NULL);
	rc = 0;
out:
	if (r->attack) /* its last windows are spooled before the reporter stops */
		ag_attack_stop(r->attack);
	ag_perm_stop(&r->perm);
	if (r->g.roots)
		ag_guard_settle(&r->g, 1);
	ag_reporter_stop(&r->rp);
	if (r->attack) {
		ag_attack_free(r->attack);
		free(r->attack);
	}
	if (lfd >= 0) {
		char p[4200];
		snprintf(p, sizeof p, "%s/agent.sock", r->st.dir);
		unlink(p);
		close(lfd);
	}
	ag_yara_free(r->g.yara);
	r->g.yara = NULL;
	if (r->g.roots)
		ag_guard_cleanup(&r->g);
	if (r->sp.dir[0])
		ag_spool_close(&r->sp);
	ag_store_close(&r->st);
	if (sfd >= 0)
		close(sfd);
	free(r);
	return rc;
}
