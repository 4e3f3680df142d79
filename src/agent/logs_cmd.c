/*
 * logs_cmd.c - `sitewarden-agent logs test FILE`: the detection run over a
 * log file offline, so an owner can check a past incident (and the corpus
 * test and the benchmark can measure it).
 *
 *   --format F   log format (default: the first [log]'s, else combined)
 *   --site S     Host given to the rules (default: the first [log]'s)
 *   --mode M     pipeline (default: first pass, then the CRS), crs (every
 *                request through the CRS), compare (both, timed, in the
 *                same run; counts the CRS detections the pipeline missed)
 *   --json       one JSON object per flagged line, per event, and a summary
 *
 * Exit status: 0 nothing found, 1 attacks found (or, with compare, a
 * detection missed), 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/attack_agg.h"
#include "agent/attack_conf.h"
#include "agent/attack_detect.h"
#include "agent/cmd.h"
#include "agent/fsutil.h"
#include "agent/logs_parse.h"

struct tctx {
	const struct ag_opts *o;
	uint64_t events;
};

static void on_event(const struct ag_agg_event *ev, void *arg)
{
	struct tctx *t = arg;

	t->events++;
	if (t->o->json)
		printf("{\"event\":{%s}}\n", ev->body->s ? ev->body->s : "");
	else
		printf("event: %s %s from %s on %s, %u request(s)\n", ag_sev_name(ev->severity),
		       ag_akind_name(ev->kind), ev->source, ev->site, ev->count);
}

static void print_rules(const struct ag_verdict *v)
{
	for (int i = 0; i < v->n_rules; i++)
		printf("%s%u", i ? "," : "", v->rules[i]);
}

/* One pass over the file; verdicts[i] gets line i's kind (compare mode
 * reads them back).  Returns the seconds it took, or -1. */
static double pass(const char *file, const struct ag_logfmt *fmt, const char *site,
		   struct ag_detect *d, struct ag_agg *agg, unsigned char **verdicts, size_t *n_lines,
		   const struct ag_opts *o, int print, int compare_crs)
{
	FILE *f = fopen(file, "r");
	char *line = NULL;
	size_t cap = 0, no = 0, vcap = 0;
	ssize_t n;
	int64_t t0 = ag_mono_ns(), last = 0;
	struct ag_logrec *r = malloc(sizeof *r);

	if (!f || !r) {
		if (f)
			fclose(f);
		free(r);
		return -1;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		struct ag_line_verdict v;
		no++;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		d->lines++;
		memset(&v, 0, sizeof v);
		if (n > 65536 || ag_log_parse(fmt, line, (size_t)n, r)) {
			d->malformed++;
		} else {
			ag_detect_rec(d, r, site, &v);
			if (agg) {
				if (r->time)
					last = r->time;
				ag_agg_add(agg, r, &v, site, file, line, (size_t)n, r->time ? r->time : last);
			}
		}
		if (!compare_crs && verdicts) {
			if (no > vcap) {
				unsigned char *nv = realloc(*verdicts, vcap = vcap ? vcap * 2 : 65536);
				if (!nv)
					break;
				*verdicts = nv;
			}
			(*verdicts)[no - 1] = (unsigned char)(v.kind | (v.v.attack ? 0x80 : 0));
		}
		if (compare_crs) {
			int mine = no <= *n_lines ? (*verdicts)[no - 1] : 0;
			int crs = v.v.attack ? v.kind : 0;
			if (crs && !(mine & 0x80)) /* the rules flag it, the pipeline's rules did not */
				d->missed++;
			mine &= 0x7f;
			if (print && o->json && (crs || mine))
				printf("{\"line\":%zu,\"pipeline\":\"%s\",\"crs\":\"%s\"}\n", no,
				       ag_akind_name(mine), ag_akind_name(crs));
			continue;
		}
		if (print && v.kind) {
			if (o->json) {
				printf("{\"line\":%zu,\"kind\":\"%s\",\"source\":\"%s\",\"status\":%d,"
				       "\"score\":%d,\"rules\":[",
				       no, ag_akind_name(v.kind), r->addr, r->status, v.v.score);
				print_rules(&v.v);
				printf("]}\n");
			} else {
				printf("%zu: %s (score %d, rules ", no, ag_akind_name(v.kind), v.v.score);
				print_rules(&v.v);
				printf(") %.200s\n", line);
			}
		}
	}
	if (!compare_crs && verdicts)
		*n_lines = no;
	free(line);
	free(r);
	fclose(f);
	if (agg)
		ag_agg_tick(agg, 0, 1);
	return (double)(ag_mono_ns() - t0) / 1e9;
}

int ag_cmd_logs(struct ag_config *c, const struct ag_opts *o)
{
	struct ag_logfmt fmt;
	struct sw_errbuf eb;
	struct ag_detect d;
	struct ag_agg agg;
	struct tctx t = {o, 0};
	const char *format = o->log_format, *site = o->site;
	int mode = AG_DET_PIPELINE, rc = 0;
	unsigned char *verdicts = NULL;
	size_t n_lines = 0;
	double secs;

	sw_errbuf_clear(&eb);
	if (!o->file)
		return ag_err("usage: sitewarden-agent logs test FILE [--json] [--mode M]"), 2;
	if (!c->attack) {
		if (!(c->attack = ag_attack_conf_new()) || ag_attack_conf_finish(c->attack, &eb))
			return ag_err("%s", eb.msg[0] ? eb.msg : "out of memory"), 2;
	}
	if (c->attack->n_logs) {
		format = format ? format : c->attack->logs[0].format;
		site = site ? site : c->attack->logs[0].site;
	}
	if (o->mode && !strcmp(o->mode, "crs"))
		mode = AG_DET_CRS;
	else if (o->mode && !strcmp(o->mode, "compare"))
		mode = AG_DET_BOTH;
	else if (o->mode && strcmp(o->mode, "pipeline"))
		return ag_err("--mode must be pipeline, crs or compare"), 2;
	if (ag_logfmt_compile(format, &fmt, &eb))
		return ag_err("%s", eb.msg), 2;
	if (ag_detect_init(&d, c->attack, mode == AG_DET_CRS ? AG_DET_CRS : AG_DET_PIPELINE, NULL,
			   &eb)) {
		ag_detect_cleanup(&d);
		return ag_err("%s", eb.msg), 1;
	}
	d.resolve = NULL; /* offline: never resolve (spiders = verify trusts nothing) */
	if (mode != AG_DET_BOTH) {
		if (ag_agg_init(&agg, c->attack, on_event, &t))
			return 1;
		secs = pass(o->file, &fmt, site, &d, &agg, NULL, NULL, o, 1, 0);
		ag_agg_cleanup(&agg);
		if (secs < 0) {
			ag_detect_cleanup(&d);
			return ag_err("cannot read %s", o->file), 1;
		}
		if (o->json) {
			printf("{\"summary\":{\"lines\":%llu,\"malformed\":%llu,\"requests\":%llu,"
			       "\"first_pass_sent\":%llu,\"crs_runs\":%llu,\"attacks\":%llu,\"events\":%llu,"
			       "\"seconds\":%.3f,\"kinds\":{",
			       (unsigned long long)d.lines, (unsigned long long)d.malformed,
			       (unsigned long long)d.requests, (unsigned long long)d.passed,
			       (unsigned long long)d.crs_runs, (unsigned long long)d.attacks,
			       (unsigned long long)t.events, secs);
			for (int k = 1, first = 1; k < AG__K_COUNT; k++)
				if (d.by_kind[k]) {
					printf("%s\"%s\":%llu", first ? "" : ",", ag_akind_name(k),
					       (unsigned long long)d.by_kind[k]);
					first = 0;
				}
			printf("}}}\n");
		} else {
			printf("%llu lines (%llu malformed), %llu requests, %llu sent on by the first "
			       "pass, %llu attack lines, %llu events, %.2f s\n",
			       (unsigned long long)d.lines, (unsigned long long)d.malformed,
			       (unsigned long long)d.requests, (unsigned long long)d.passed,
			       (unsigned long long)d.attacks, (unsigned long long)t.events, secs);
		}
		rc = d.attacks ? 1 : 0;
		ag_detect_cleanup(&d);
		return rc;
	}
	/* compare: the pipeline, then the CRS alone, same process, same file */
	double t_pipe = pass(o->file, &fmt, site, &d, NULL, &verdicts, &n_lines, o, 0, 0);
	uint64_t passed = d.passed, pipe_attacks = d.attacks, lines = d.lines;
	struct ag_detect dc;
	if (t_pipe < 0 || ag_detect_init(&dc, c->attack, AG_DET_CRS, NULL, &eb)) {
		free(verdicts);
		ag_detect_cleanup(&d);
		return ag_err("%s", eb.msg[0] ? eb.msg : "cannot read the file"), 1;
	}
	dc.resolve = NULL;
	double t_crs = pass(o->file, &fmt, site, &dc, NULL, &verdicts, &n_lines, o, 1, 1);
	uint64_t crs_hits = 0;
	for (int k = 1; k < AG__K_COUNT; k++)
		if (k != AG_K_WEBSHELL)
			crs_hits += dc.by_kind[k];
	if (o->json)
		printf("{\"summary\":{\"lines\":%llu,\"first_pass_sent\":%llu,\"pipeline_attacks\":%llu,"
		       "\"crs_detections\":%llu,\"missed\":%llu,\"pipeline_s\":%.3f,\"crs_s\":%.3f,"
		       "\"pipeline_lps\":%.0f,\"crs_lps\":%.0f,\"speedup\":%.2f,\"first_pass_us\":%.2f}}\n",
		       (unsigned long long)lines, (unsigned long long)passed,
		       (unsigned long long)pipe_attacks, (unsigned long long)crs_hits,
		       (unsigned long long)dc.missed, t_pipe, t_crs, (double)lines / t_pipe,
		       (double)lines / t_crs, t_crs / t_pipe, (double)d.pre_ns / 1e3 / (double)lines);
	else
		printf("%llu lines; first pass sent %llu (%.1f %%) to the CRS\n"
		       "  CRS alone:        %8.2f s  %8.0f lines/s  %llu detections\n"
		       "  first pass + CRS: %8.2f s  %8.0f lines/s  (%.1fx)\n"
		       "  CRS detections the pipeline missed: %llu\n",
		       (unsigned long long)lines, (unsigned long long)passed,
		       100.0 * (double)passed / (double)(lines ? lines : 1), t_crs,
		       (double)lines / t_crs, (unsigned long long)crs_hits, t_pipe,
		       (double)lines / t_pipe, t_crs / t_pipe, (unsigned long long)dc.missed);
	rc = dc.missed ? 1 : 0;
	free(verdicts);
	ag_detect_cleanup(&d);
	ag_detect_cleanup(&dc);
	return rc;
}
