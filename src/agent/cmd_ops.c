/*
 * cmd_ops.c - `publish`, `pause`, `resume` and `status`.  When an agent
 * runs on the store, the request goes to it over the control socket (it
 * must make the change itself, or it would undo it); otherwise the command
 * does the work under the store lock with a guard that watches nothing,
 * and its events wait in the spool for the next `run`.
 */
#include "agent/cmd.h"
#include "agent/ctl.h"
#include "agent/fsutil.h"
#include "agent/guard_int.h"
#include "agent/ops.h"
#include "agent/spool.h"
#include "agent/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Picks the root of --to (or the only one); -1 for all when allowed. */
static int pick_root(struct ag_config *c, const struct ag_opts *o, int all_ok, int *ri)
{
	if (o->to) {
		*ri = ag_config_root_find(c, o->to);
		if (*ri < 0)
			return ag_err("--to %s is not a configured root", o->to), 2;
		return 0;
	}
	if (c->n_roots == 1) {
		*ri = 0;
		return 0;
	}
	if (all_ok) {
		*ri = -1;
		return 0;
	}
	return ag_err("several roots are configured: name one with --to ROOT"), 2;
}

/* Sends req to a running agent.  Returns the exit status, or -1 when no
 * agent runs. */
static int via_agent(struct ag_config *c, const char *req, int timeout_s)
{
	char *reply = NULL;
	enum sw_err rc = ag_ctl_call(c->store, req, &reply, timeout_s);

	if (rc == SW_ENOTFOUND)
		return -1;
	if (rc || !reply)
		return ag_err("no answer from the running agent"), 1;
	if (!strncmp(reply, "ok\n", 3)) {
		fputs(reply + 3, stdout);
		free(reply);
		return 0;
	}
	ag_err("%s", strncmp(reply, "error: ", 7) ? reply : reply + 7);
	free(reply);
	return 1;
}

struct offline {
	struct ag_store st;
	struct ag_spool sp;
	struct ag_guard g;
};

/* Opens the store, spool and baselines for an offline operation. */
static int offline_open(struct ag_config *c, struct offline *f)
{
	struct sw_errbuf eb;

	memset(f, 0, sizeof *f);
	f->sp.fd = -1;
	sw_errbuf_clear(&eb);
	if (ag_store_open(&f->st, c->store, 0, &eb) || ag_store_lock(&f->st, &eb) ||
	    ag_spool_open(&f->sp, f->st.dir, c->id, 0, &eb) ||
	    ag_guard_init(&f->g, c, &f->st, &f->sp, &eb))
		return ag_err("%s", eb.msg), 1;
	f->g.ops = &ag_watch_none;
	return 0;
}

static void offline_close(struct offline *f)
{
	if (f->g.roots)
		ag_guard_cleanup(&f->g);
	if (f->sp.dir[0]) {
		ag_spool_sync(&f->sp);
		ag_spool_close(&f->sp);
	}
	ag_store_close(&f->st);
}

/* Quotes a root for a control request ("*" for all). */
static const char *root_word(struct ag_config *c, int ri)
{
	return ri < 0 ? "*" : c->roots[ri].path;
}

int ag_cmd_publish(struct ag_config *c, const struct ag_opts *o)
{
	char req[9000], sum[1024] = "";
	struct offline f;
	struct sw_errbuf eb;
	int ri, rc;

	if (!o->from)
		return ag_err("publish needs --from STAGING_DIR"), 2;
	if ((rc = pick_root(c, o, 0, &ri)))
		return rc;
	if (strchr(o->from, ' ') || strchr(o->from, '\n'))
		return ag_err("staging path must not contain blanks"), 2;
	{
		char real[4096];
		if (!realpath(o->from, real))
			return ag_err("--from %s: %s", o->from, strerror(errno)), 1;
		snprintf(req, sizeof req, "publish %s %s", c->roots[ri].path, real);
	}
	if ((rc = via_agent(c, req, 3600)) >= 0)
		return rc;
	if (offline_open(c, &f))
		return offline_close(&f), 1;
	sw_errbuf_clear(&eb);
	rc = ag_op_publish(&f.g, (uint32_t)ri, o->from, sum, sizeof sum, &eb) ? 1 : 0;
	if (rc)
		ag_err("%s", eb.msg);
	else
		printf("%s\n", sum);
	offline_close(&f);
	return rc;
}

int ag_cmd_pause(struct ag_config *c, const struct ag_opts *o)
{
	char req[4300];
	struct offline f;
	struct sw_errbuf eb;
	int ri, rc;
	int64_t until = time(NULL) + o->pause_s;

	if (o->pause_s > c->pause_max_s)
		return ag_err("--for is longer than pause_max (%llds)", (long long)c->pause_max_s), 2;
	if ((rc = pick_root(c, o, 1, &ri)))
		return rc;
	snprintf(req, sizeof req, "pause %s %lld", root_word(c, ri), (long long)until);
	if ((rc = via_agent(c, req, 30)) < 0) {
		if (offline_open(c, &f))
			return offline_close(&f), 1;
		sw_errbuf_clear(&eb);
		rc = ag_op_pause(&f.g, ri, until, &eb) ? 1 : 0;
		if (rc)
			ag_err("%s", eb.msg);
		offline_close(&f);
	}
	if (rc == 0)
		printf("protection of %s paused for %llds; `sitewarden-agent resume` keeps your "
		       "changes, the time limit undoes them\n",
		       ri < 0 ? "every root" : c->roots[ri].path, (long long)o->pause_s);
	return rc;
}

int ag_cmd_resume(struct ag_config *c, const struct ag_opts *o)
{
	char req[4300];
	struct offline f;
	struct sw_errbuf eb;
	int ri, rc;

	if ((rc = pick_root(c, o, 1, &ri)))
		return rc;
	snprintf(req, sizeof req, "resume %s %s", root_word(c, ri), o->revert ? "revert" : "accept");
	if ((rc = via_agent(c, req, 3600)) < 0) {
		if (offline_open(c, &f))
			return offline_close(&f), 1;
		sw_errbuf_clear(&eb);
		rc = ag_op_resume(&f.g, ri, !o->revert, "resume", &eb) ? 1 : 0;
		if (rc)
			ag_err("%s", eb.msg);
		offline_close(&f);
	}
	if (rc == 0)
		printf("protection resumed; changes made meanwhile %s\n",
		       o->revert ? "were undone" : "are the new baseline");
	return rc;
}
