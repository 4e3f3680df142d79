/*
 * attack_run.c - the anti-attack thread (attack_run.h).
 */
#include "agent/attack_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent/fsutil.h"

#define POLL_MS 200
#define LINES_PER_POLL 20000

static void emit_json(const struct ag_json *ev, void *arg)
{
	struct ag_attack_run *r = arg;

	ag_spool_emit(r->sp, ev);
}

/* A closed window: the attack event, then maybe a block. */
static void on_event(const struct ag_agg_event *ev, void *arg)
{
	struct ag_attack_run *r = arg;

	ag_spool_emit(r->sp, ev->body);
	if (r->conf->block && ev->severity >= r->conf->block_min_sev) {
		struct ag_json j;
		ag_json_init(&j);
		if (ag_block_add(&r->blk, ev->source, ag_akind_name(ev->kind), time(NULL), &j))
			ag_spool_emit(r->sp, &j);
		ag_json_free(&j);
	}
}

struct line_ctx {
	struct ag_attack_run *r;
	struct ag_attack_log *l;
};

static void on_line(const char *line, size_t n, void *arg)
{
	struct line_ctx *c = arg;
	struct ag_attack_run *r = c->r;
	struct ag_line_verdict v;
	int64_t now = time(NULL);

	r->det.lines++;
	if (ag_log_parse(&c->l->fmt, line, n, &r->rec)) {
		c->l->malformed++;
		r->det.malformed++;
		return;
	}
	/* An error log repeats requests the access log already has: judged
	 * only when no access log is followed, or each would count twice. */
	if (c->l->lc->error_log && r->has_access_log)
		return;
	ag_detect_rec(&r->det, &r->rec, c->l->lc->site, &v);
	/* windows follow the lines' own clock; a line from the future (a wrong
	 * clock) or without a time counts as now */
	ag_agg_add(&r->agg, &r->rec, &v, c->l->lc->site, c->l->lc->path, line, n,
		   r->rec.time && r->rec.time <= now + 300 ? r->rec.time : now);
}

static void save_state(struct ag_attack_run *r)
{
	struct ag_follow *fs[256];
	struct sw_errbuf eb;

	for (size_t i = 0; i < r->n_logs; i++)
		fs[i] = &r->logs[i].follow;
	sw_errbuf_clear(&eb);
	ag_follow_save(fs, r->n_logs, r->state_path, &eb);
	r->dirty = 0;
}

static void *thread_main(void *arg)
{
	struct ag_attack_run *r = arg;

	while (!r->stop) {
		int64_t mono = ag_mono_ns();
		size_t got = 0;
		for (size_t i = 0; i < r->n_logs && !r->stop; i++) {
			struct line_ctx c = {r, &r->logs[i]};
			got += ag_follow_poll(&r->logs[i].follow, r->conf->start_at_end, mono, on_line,
					      &c, LINES_PER_POLL);
		}
		ag_agg_tick(&r->agg, time(NULL), 0);
		if (r->conf->block)
			ag_block_expire(&r->blk, time(NULL), emit_json, r);
		if (got)
			r->dirty = 1;
		if (r->dirty && mono - r->last_save_ns > 1000000000LL) {
			save_state(r);
			r->last_save_ns = mono;
		}
		if (mono - r->last_quar_ns > 5000000000LL) {
			ag_detect_reload_quarantine(&r->det);
			r->last_quar_ns = mono;
		}
		if (got < LINES_PER_POLL / 2)
			usleep(POLL_MS * 1000);
	}
	ag_agg_tick(&r->agg, 0, 1);
	save_state(r);
	return NULL;
}

enum sw_err ag_attack_start(struct ag_attack_run *r, const struct ag_config *c,
			    struct ag_spool *sp, const char *store_dir, struct sw_errbuf *eb)
{
	struct ag_follow *fs[256];
	enum sw_err rc;

	memset(r, 0, sizeof *r);
	if (!c->attack || c->attack->n_logs == 0)
		return SW_OK;
	r->conf = c->attack;
	r->sp = sp;
	r->n_logs = c->attack->n_logs;
	if (!(r->logs = calloc(r->n_logs, sizeof *r->logs)))
		return SW_ENOMEM;
	for (size_t i = 0; i < r->n_logs; i++) {
		struct ag_attack_log *l = &r->logs[i];
		l->lc = &c->attack->logs[i];
		r->has_access_log |= !l->lc->error_log;
		if ((rc = ag_logfmt_compile(l->lc->error_log ? "error" : l->lc->format, &l->fmt, eb)))
			return rc;
		if ((rc = ag_follow_init(&l->follow, l->lc->path)))
			return rc;
		fs[i] = &l->follow;
	}
	snprintf(r->state_path, sizeof r->state_path, "%s/logs.state", store_dir);
	ag_follow_load(fs, r->n_logs, r->state_path);
	if ((rc = ag_detect_init(&r->det, r->conf, AG_DET_PIPELINE, store_dir, eb)) ||
	    (rc = ag_agg_init(&r->agg, r->conf, on_event, r)) ||
	    (rc = ag_block_init(&r->blk, r->conf, eb)))
		return rc;
	if (pthread_create(&r->th, NULL, thread_main, r))
		return sw_errf(eb, SW_EIO, "cannot start the log thread");
	r->running = 1;
	return SW_OK;
}

void ag_attack_stop(struct ag_attack_run *r)
{
	if (r->running && !r->joined) {
		r->stop = 1;
		pthread_join(r->th, NULL);
		r->joined = 1;
	}
}

void ag_attack_free(struct ag_attack_run *r)
{
	ag_attack_stop(r);
	r->running = 0;
	if (!r->logs)
		return;
	for (size_t i = 0; i < r->n_logs; i++)
		ag_follow_free(&r->logs[i].follow);
	free(r->logs);
	r->logs = NULL;
	ag_detect_cleanup(&r->det);
	ag_agg_cleanup(&r->agg);
	if (r->conf)
		ag_block_cleanup(&r->blk);
}

void ag_attack_status(struct ag_attack_run *r, struct ag_json *j)
{
	struct ag_json arr, one;

	if (!r->running)
		return;
	ag_json_init(&arr);
	ag_json_init(&one);
	ag_json_append(&arr, "[", 1);
	for (size_t i = 0; i < r->n_logs; i++) {
		struct ag_attack_log *l = &r->logs[i];
		ag_json_reset(&one);
		ag_json_str(&one, "path", l->lc->path);
		ag_json_int(&one, "lines", (int64_t)l->follow.lines);
		ag_json_int(&one, "malformed", (int64_t)l->malformed);
		ag_json_int(&one, "long_lines", (int64_t)l->follow.long_lines);
		ag_json_int(&one, "rotations", (int64_t)l->follow.rotations);
		ag_json_int(&one, "truncations", (int64_t)l->follow.truncations);
		ag_json_int(&one, "offset", l->follow.cur.off);
		ag_json_append(&arr, i ? ",{" : "{", i ? 2 : 1);
		ag_json_append(&arr, one.s ? one.s : "", one.len);
		ag_json_append(&arr, "}", 1);
	}
	ag_json_append(&arr, "]", 1);
	ag_json_raw(j, "logs", arr.s);
	ag_json_reset(&one);
	ag_json_int(&one, "requests", (int64_t)r->det.requests);
	ag_json_int(&one, "first_pass_sent", (int64_t)r->det.passed);
	ag_json_int(&one, "crs_runs", (int64_t)r->det.crs_runs);
	ag_json_int(&one, "attacks", (int64_t)r->det.attacks);
	for (int k = 1; k < AG__K_COUNT; k++)
		if (r->det.by_kind[k])
			ag_json_int(&one, ag_akind_name(k), (int64_t)r->det.by_kind[k]);
	ag_json_int(&one, "events", (int64_t)r->agg.events);
	ag_json_reset(&arr);
	ag_json_append(&arr, "{", 1);
	ag_json_append(&arr, one.s ? one.s : "", one.len);
	ag_json_append(&arr, "}", 1);
	ag_json_raw(j, "verdicts", arr.s);
	if (r->conf->block)
		ag_block_status(&r->blk, j);
	ag_json_free(&arr);
	ag_json_free(&one);
}
