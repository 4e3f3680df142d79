/*
 * counters.c - the engine's counters for /metrics (engine.h), kept under a
 * mutex because the server reads them from its own threads while the
 * engine's thread writes them.
 */
#include "engine/engine_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/finding.h"

/* Upper bounds of the latency buckets in ms; the last (0) is +Inf. */
static const int64_t lat_le[SW_ENGINE_LAT_BUCKETS] = {100,  250,   500,   1000, 2500,
						      5000, 10000, 30000, 0};

struct sw_engine_counters {
	pthread_mutex_t mu;
	struct sw_engine_stats s;
};

struct sw_engine_counters *sw_engine_counters_new(void)
{
	struct sw_engine_counters *c = calloc(1, sizeof *c);
	const struct sw_finding_kind *k;
	size_t n, i, j;

	if (!c)
		return NULL;
	if (pthread_mutex_init(&c->mu, NULL)) {
		free(c);
		return NULL;
	}
	memcpy(c->s.lat_le_ms, lat_le, sizeof lat_le);
	/* The families in the order the finding table first names them. */
	k = sw_finding_kinds(&n);
	for (i = 0; i < n; i++) {
		for (j = 0; j < c->s.n_families && strcmp(c->s.family[j], k[i].family); j++)
			;
		if (j == c->s.n_families && j < SW_ENGINE_FAMILIES)
			c->s.family[c->s.n_families++] = k[i].family;
	}
	c->s.started_at = (int64_t)time(NULL);
	return c;
}

void sw_engine_counters_free(struct sw_engine_counters *c)
{
	if (c) {
		pthread_mutex_destroy(&c->mu);
		free(c);
	}
}

void sw_engine_counters_read(struct sw_engine_counters *c, struct sw_engine_stats *out)
{
	pthread_mutex_lock(&c->mu);
	*out = c->s;
	pthread_mutex_unlock(&c->mu);
}

void sw__engine_count_check(struct sw_engine_counters *c, const struct sw_engine_check *chk,
			    int failed, int64_t latency_ms)
{
	struct sw_engine_stats *s;

	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	s = &c->s;
	s->checks++;
	s->failures += failed != 0;
	s->down += !chk->up;
	s->findings += chk->n_findings;
	if (s->queue_depth)
		s->queue_depth--;
	for (size_t i = 0; i < chk->n_findings; i++) {
		const struct sw_finding_kind *k = sw_finding_kind(chk->findings[i].key);

		for (size_t j = 0; k && j < s->n_families; j++)
			if (!strcmp(s->family[j], k->family)) {
				s->by_family[j]++;
				break;
			}
	}
	if (!failed) {
		s->lat_n++;
		s->lat_sum_ms += latency_ms;
		if (latency_ms > s->lat_max_ms)
			s->lat_max_ms = latency_ms;
		for (size_t i = 0; i < SW_ENGINE_LAT_BUCKETS; i++)
			if (!s->lat_le_ms[i] || latency_ms <= s->lat_le_ms[i])
				s->lat_count[i]++;
	}
	pthread_mutex_unlock(&c->mu);
}

void sw__engine_count_round(struct sw_engine_counters *c, size_t taken, int64_t now)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	c->s.rounds++;
	c->s.due_last_round = taken;
	c->s.queue_depth = taken;
	c->s.last_round_at = now;
	pthread_mutex_unlock(&c->mu);
}

void sw__engine_count_idle(struct sw_engine_counters *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	c->s.queue_depth = 0;
	pthread_mutex_unlock(&c->mu);
}
