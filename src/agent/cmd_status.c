/*
 * cmd_status.c - `sitewarden-agent status`: the running agent's own view
 * when one runs (over the control socket), else what the store says:
 * roots and their baselines, pauses, spool depth, the last events.
 */
#include "agent/baseline.h"
#include "agent/cmd.h"
#include "agent/ctl.h"
#include "agent/fsutil.h"
#include "agent/json.h"
#include "agent/spool.h"
#include "agent/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void print_line(const char *line, void *arg)
{
	(void)arg;
	printf("  %s\n", line);
}

/* Prints one root's baseline facts. */
static void root_status(const struct ag_config *c, struct ag_store *st, size_t i, int json,
			int last)
{
	const char *path = c->roots[i].path;
	char dir[4096], idx[4200], pf[4200], t[32], *txt;
	struct ag_base b;
	struct sw_errbuf eb;
	uint64_t files = 0, dirs = 0, links = 0, bytes = 0;
	long long paused = 0;
	int ok;

	sw_errbuf_clear(&eb);
	ag_store_root_dir(st, path, dir, sizeof dir);
	snprintf(idx, sizeof idx, "%s/baseline.idx", dir);
	snprintf(pf, sizeof pf, "%s/paused", dir);
	if (ag_read_small(pf, 64, &txt, NULL) == SW_OK) {
		paused = strtoll(txt, NULL, 10);
		free(txt);
		if (paused <= time(NULL))
			paused = 0;
	}
	ok = ag_base_load(&b, idx, NULL, &eb) == SW_OK;
	if (ok) {
		ag_base_counts(&b, &files, &dirs, &links, &bytes);
		ag_fmt_time(b.created * 1000000000, t);
	}
	if (json) {
		struct ag_json j;
		ag_json_init(&j);
		ag_json_str(&j, "path", path);
		ag_json_raw(&j, "baseline", ok ? "true" : "false");
		ag_json_int(&j, "files", (int64_t)files);
		ag_json_int(&j, "dirs", (int64_t)dirs);
		ag_json_int(&j, "links", (int64_t)links);
		ag_json_int(&j, "bytes", (int64_t)bytes);
		ag_json_int(&j, "paused_until", paused);
		printf("{%s}%s", j.s ? j.s : "", last ? "" : ",");
		ag_json_free(&j);
	} else if (ok) {
		printf("root %s: %llu files, %llu directories, %llu links, %.1f MB; baseline %s (%s)%s\n",
		       path, (unsigned long long)files, (unsigned long long)dirs,
		       (unsigned long long)links, (double)bytes / 1e6, t, ag_algo_name(b.algo),
		       paused ? ", PAUSED" : "");
	} else {
		printf("root %s: no usable baseline (%s)\n", path, eb.msg);
	}
	if (ok)
		ag_base_cleanup(&b);
}

int ag_cmd_status(struct ag_config *c, const struct ag_opts *o)
{
	struct ag_store st;
	struct ag_spool sp;
	struct sw_errbuf eb;
	char *reply = NULL;
	int running;

	sw_errbuf_clear(&eb);
	if (ag_store_open(&st, c->store, 0, &eb))
		return ag_err("%s", eb.msg), 1;
	running = ag_ctl_call(st.dir, "status", &reply, 10) == SW_OK && reply &&
		  !strncmp(reply, "ok\n", 3);
	if (ag_spool_open(&sp, st.dir, c->id, 1, &eb)) {
		ag_store_close(&st);
		free(reply);
		return ag_err("%s", eb.msg), 1;
	}
	if (o->json) {
		struct ag_json j;
		ag_json_init(&j);
		ag_json_str(&j, "store", st.dir);
		ag_json_raw(&j, "running", running ? "true" : "false");
		ag_json_int(&j, "spool_depth", (int64_t)ag_spool_depth(&sp));
		ag_json_int(&j, "last_seq", (int64_t)sp.written);
		ag_json_int(&j, "acked_seq", (int64_t)sp.acked);
		printf("{%s,\"roots\":[", j.s ? j.s : "");
		ag_json_free(&j);
		for (size_t i = 0; i < c->n_roots; i++)
			root_status(c, &st, i, 1, i + 1 == c->n_roots);
		printf("],\"agent\":%s}\n", running ? strchr(reply, '\n') + 1 : "null");
	} else {
		printf("agent %s: %s\nstore %s\n", c->id,
		       running ? "running" : (ag_store_locked(&st) ? "store locked (init or publish "
								     "running?)"
								   : "not running"),
		       st.dir);
		if (running) {
			char *att = NULL;
			printf("live %s", strchr(reply, '\n') + 1);
			/* followed logs, verdicts, blocked addresses (anti-attack) */
			if (ag_ctl_call(st.dir, "attack", &att, 10) == SW_OK && att &&
			    !strncmp(att, "ok\n", 3))
				fputs(att + 3, stdout);
			free(att);
		}
		printf("server %s; spool depth %llu (last event #%llu, acknowledged #%llu)\n",
		       c->server ? c->server : "(none: events stay in the spool)",
		       (unsigned long long)ag_spool_depth(&sp), (unsigned long long)sp.written,
		       (unsigned long long)sp.acked);
		for (size_t i = 0; i < c->n_roots; i++)
			root_status(c, &st, i, 0, 0);
		printf("last events:\n");
		ag_spool_tail(&sp, 10, print_line, NULL);
	}
	ag_spool_close(&sp);
	ag_store_close(&st);
	free(reply);
	return 0;
}
