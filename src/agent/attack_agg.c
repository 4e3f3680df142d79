/*
 * attack_agg.c - windows per source (attack_agg.h).
 */
#include "agent/attack_agg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/fsutil.h"

struct ag_agg_kind {
	uint32_t count, succeeded;
	uint32_t status[6]; /* by hundreds: 0 unknown, 1xx .. 5xx */
	uint32_t rules[8];
	int n_rules;
	int n_samples;
	char samples[][AG_AGG_SAMPLE_LEN];
};

struct ag_agg_src {
	int used; /* 0 empty, 1 in use, 2 closed (keeps probe chains intact) */
	char addr[64];
	char site[256];
	char log[512];
	int64_t start, last;
	uint32_t requests, n404, logins;
	uint32_t n_paths, paths_over;
	uint64_t paths[AG_AGG_PATHS]; /* distinct path hashes (open addressing, 0 empty) */
	struct ag_agg_kind *k[AG__K_COUNT];
};

const char *ag_sev_name(int sev)
{
	return sev >= AG_SEV_HIGH ? "high" : sev == AG_SEV_MEDIUM ? "medium" : "low";
}

static int kind_sev(int k)
{
	switch (k) {
	case AG_K_SUCCESS: case AG_K_WEBSHELL: return AG_SEV_HIGH;
	case AG_K_SCANNER: case AG_K_PROTOCOL: case AG_K_SCAN: return AG_SEV_LOW;
	default: return AG_SEV_MEDIUM;
	}
}

enum sw_err ag_agg_init(struct ag_agg *a, const struct ag_attack_conf *conf, ag_agg_emit_fn emit,
			void *arg)
{
	memset(a, 0, sizeof *a);
	a->conf = conf;
	a->emit = emit;
	a->arg = arg;
	a->src = calloc(AG_AGG_SOURCES, sizeof *a->src);
	return a->src ? SW_OK : SW_ENOMEM;
}

static void src_reset(struct ag_agg_src *s)
{
	for (int k = 0; k < AG__K_COUNT; k++)
		free(s->k[k]);
	memset(s, 0, sizeof *s);
	s->used = 2;
}

void ag_agg_cleanup(struct ag_agg *a)
{
	if (a->src)
		for (size_t i = 0; i < AG_AGG_SOURCES; i++)
			src_reset(&a->src[i]);
	free(a->src);
	a->src = NULL;
}

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h ? h : 1;
}

static void fmt_time(int64_t t, char out[32])
{
	struct tm tm;
	time_t tt = (time_t)t;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Emits one event for kind k of source s. */
static void emit_kind(struct ag_agg *a, struct ag_agg_src *s, int k)
{
	struct ag_agg_kind *ak = s->k[k];
	struct ag_json j, arr;
	struct ag_agg_event ev;
	char t[32], num[16];
	int sev = kind_sev(k);

	ag_json_init(&j);
	ag_json_init(&arr);
	ag_json_str(&j, "kind", "attack");
	ag_json_str(&j, "attack", ag_akind_name(k));
	ag_json_str(&j, "severity", ag_sev_name(sev));
	ag_json_str(&j, "source", s->addr);
	ag_json_str(&j, "site", s->site);
	ag_json_str(&j, "log", s->log);
	fmt_time(s->start, t);
	ag_json_str(&j, "window_start", t);
	ag_json_int(&j, "window_s", a->conf->window_s);
	ag_json_int(&j, "count", ak ? ak->count : 0);
	ag_json_int(&j, "requests", s->requests);
	if (ak && k != AG_K_SUCCESS && ak->succeeded)
		ag_json_int(&j, "succeeded", ak->succeeded);
	if (k == AG_K_SCAN) {
		ag_json_int(&j, "not_found", s->n404);
		ag_json_int(&j, "distinct_paths", s->n_paths + s->paths_over);
	}
	if (k == AG_K_BRUTEFORCE)
		ag_json_int(&j, "login_attempts", s->logins);
	if (ak) {
		struct ag_json st;
		ag_json_init(&st);
		for (int i = 1; i < 6; i++)
			if (ak->status[i]) {
				char key[8];
				snprintf(key, sizeof key, "%dxx", i);
				ag_json_int(&st, key, ak->status[i]);
			}
		ag_json_append(&arr, "{", 1);
		ag_json_append(&arr, st.s ? st.s : "", st.len);
		ag_json_append(&arr, "}", 1);
		ag_json_free(&st);
		ag_json_raw(&j, "statuses", arr.s);
		ag_json_reset(&arr);
		ag_json_append(&arr, "[", 1);
		for (int i = 0; i < ak->n_rules; i++) {
			int l = snprintf(num, sizeof num, "%s%u", i ? "," : "", ak->rules[i]);
			ag_json_append(&arr, num, (size_t)l);
		}
		ag_json_append(&arr, "]", 1);
		ag_json_raw(&j, "rules", arr.s);
		ag_json_reset(&arr);
		ag_json_append(&arr, "[", 1);
		for (int i = 0; i < ak->n_samples; i++) {
			if (i)
				ag_json_append(&arr, ",", 1);
			ag_json_quote(&arr, ak->samples[i], strlen(ak->samples[i]));
		}
		ag_json_append(&arr, "]", 1);
		ag_json_raw(&j, "samples", arr.s);
	}
	ev.kind = k;
	ev.severity = sev;
	ev.source = s->addr;
	ev.site = s->site;
	ev.count = ak ? ak->count : 0;
	ev.body = &j;
	if (!j.oom && !arr.oom) {
		a->events++;
		a->by_kind[k]++;
		a->emit(&ev, a->arg);
	}
	ag_json_free(&j);
	ag_json_free(&arr);
}

/* Closes the window of s: its events, then the slot is free. */
static void close_src(struct ag_agg *a, struct ag_agg_src *s)
{
	if (s->n404 >= (uint32_t)a->conf->scan_404 ||
	    s->n_paths + s->paths_over >= (uint32_t)a->conf->scan_paths)
		emit_kind(a, s, AG_K_SCAN);
	if (s->logins >= (uint32_t)a->conf->brute_force)
		emit_kind(a, s, AG_K_BRUTEFORCE);
	for (int k = 1; k < AG__K_COUNT; k++)
		if (k != AG_K_SCAN && k != AG_K_BRUTEFORCE && s->k[k] && s->k[k]->count)
			emit_kind(a, s, k);
	src_reset(s);
	a->n_src--;
}

static struct ag_agg_kind *kind_slot(struct ag_agg *a, struct ag_agg_src *s, int k)
{
	if (!s->k[k])
		s->k[k] = calloc(1, sizeof *s->k[k] + (size_t)a->conf->samples * AG_AGG_SAMPLE_LEN);
	return s->k[k];
}

static void note(struct ag_agg *a, struct ag_agg_src *s, int k, int status,
		 const struct ag_verdict *v, const char *raw, size_t raw_len, int evidence)
{
	struct ag_agg_kind *ak = kind_slot(a, s, k);

	if (!ak)
		return;
	ak->count++;
	ak->status[status / 100 >= 1 && status / 100 <= 5 ? status / 100 : 0]++;
	for (int i = 0; v && i < v->n_rules; i++) {
		int have = 0;
		if (v->rules[i] >= 949000 && v->rules[i] < 950000)
			continue; /* the score, not a finding */
		for (int j = 0; j < ak->n_rules; j++)
			have |= ak->rules[j] == v->rules[i];
		if (!have && ak->n_rules < 8)
			ak->rules[ak->n_rules++] = v->rules[i];
	}
	if (evidence && ak->n_samples < a->conf->samples) {
		size_t n = raw_len < AG_AGG_SAMPLE_LEN - 1 ? raw_len : AG_AGG_SAMPLE_LEN - 1;
		memcpy(ak->samples[ak->n_samples], raw, n);
		ak->samples[ak->n_samples][n] = '\0';
		ak->n_samples++;
	}
}

static struct ag_agg_src *find_src(struct ag_agg *a, const char *addr, const char *site,
				   int64_t now)
{
	uint64_t h = hash(addr, strlen(addr)) ^ hash(site, strlen(site));
	size_t i = h % AG_AGG_SOURCES;

	for (size_t probe = 0; probe < AG_AGG_SOURCES; probe++, i = (i + 1) % AG_AGG_SOURCES) {
		struct ag_agg_src *s = &a->src[i];
		if (!s->used)
			break;
		if (s->used == 1 && !strcmp(s->addr, addr) && !strcmp(s->site, site)) {
			if (now >= s->start + a->conf->window_s) {
				close_src(a, s);
				break; /* a new window in a fresh slot */
			}
			return s;
		}
	}
	if (a->n_src >= AG_AGG_SOURCES * 3 / 4)
		ag_agg_tick(a, 0, 1); /* too many sources at once: close all early */
	i = h % AG_AGG_SOURCES;
	while (a->src[i].used == 1)
		i = (i + 1) % AG_AGG_SOURCES;
	a->n_src++;
	a->src[i].used = 1;
	snprintf(a->src[i].addr, sizeof a->src[i].addr, "%s", addr);
	snprintf(a->src[i].site, sizeof a->src[i].site, "%s", site);
	a->src[i].start = now;
	return &a->src[i];
}

void ag_agg_add(struct ag_agg *a, const struct ag_logrec *r, const struct ag_line_verdict *v,
		const char *site, const char *log, const char *raw, size_t raw_len, int64_t now)
{
	struct ag_agg_src *s;
	const char *st = site && *site ? site : r->host[0] ? r->host : "-";

	if (v->allowed || !r->addr[0])
		return;
	s = find_src(a, r->addr, st, now);
	s->last = now;
	snprintf(s->log, sizeof s->log, "%s", log ? log : "");
	s->requests++;
	if (r->has_request) {
		uint64_t h;
		size_t plen = strcspn(r->uri, "?");
		h = hash(r->uri, plen);
		if (s->n_paths < AG_AGG_PATHS / 2) {
			size_t i = h % AG_AGG_PATHS;
			while (s->paths[i] && s->paths[i] != h)
				i = (i + 1) % AG_AGG_PATHS;
			if (!s->paths[i]) {
				s->paths[i] = h;
				s->n_paths++;
			}
		} else {
			s->paths_over++; /* past the table: counted as distinct */
		}
	}
	if (r->status == 404) {
		s->n404++;
		note(a, s, AG_K_SCAN, r->status, NULL, raw, raw_len, 1);
	}
	if (v->login) {
		s->logins++;
		note(a, s, AG_K_BRUTEFORCE, r->status, NULL, raw, raw_len, 1);
	}
	if (v->kind) {
		int ok2xx = r->status >= 200 && r->status < 300;
		note(a, s, v->kind, r->status, &v->v, raw, raw_len, 1);
		if (ok2xx && v->kind != AG_K_SCANNER && v->kind != AG_K_PROTOCOL) {
			s->k[v->kind]->succeeded++;
			note(a, s, AG_K_SUCCESS, r->status, &v->v, raw, raw_len, 1);
		}
	}
}

void ag_agg_tick(struct ag_agg *a, int64_t now, int all)
{
	for (size_t i = 0; i < AG_AGG_SOURCES && a->n_src; i++) {
		struct ag_agg_src *s = &a->src[i];
		if (s->used == 1 && (all || now >= s->start + a->conf->window_s))
			close_src(a, s);
	}
	if (a->n_src == 0) /* no chains left: forget the closed markers */
		for (size_t i = 0; i < AG_AGG_SOURCES; i++)
			a->src[i].used = 0;
}
