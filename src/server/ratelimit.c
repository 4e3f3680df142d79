/*
 * ratelimit.c - the failed sign-in counter (ratelimit.h): an open-addressed
 * table of SW_RL_SLOTS entries probed at most SW_RL_PROBE deep, each with
 * a ring of the last SW_RL_MAX failure times.
 */
#include "server/ratelimit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sw_rl_init(struct sw_ratelimit *rl)
{
	rl->slots = calloc(SW_RL_SLOTS, sizeof *rl->slots);
	if (!rl->slots)
		return -1;
	pthread_mutex_init(&rl->mu, NULL);
	return 0;
}

void sw_rl_cleanup(struct sw_ratelimit *rl)
{
	if (!rl->slots)
		return;
	pthread_mutex_destroy(&rl->mu);
	free(rl->slots);
	rl->slots = NULL;
}

/* FNV-1a of the key: the table index. */
static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/*
 * Finds key's slot; with `make`, takes a free slot or evicts the one with
 * the oldest last failure in the probe window.  NULL when absent (and not
 * made).  Keys longer than a slot holds are cut: two names sharing 95
 * bytes share a counter, which only makes the limit stricter.
 */
static struct sw_rl_slot *slot_of(struct sw_ratelimit *rl, const char *key, int make)
{
	char k[sizeof rl->slots[0].key];
	uint32_t h;
	struct sw_rl_slot *victim = NULL;

	snprintf(k, sizeof k, "%s", key);
	h = hash(k);
	for (int i = 0; i < SW_RL_PROBE; i++) {
		struct sw_rl_slot *s = &rl->slots[(h + (uint32_t)i) % SW_RL_SLOTS];
		if (s->key[0] && !strcmp(s->key, k))
			return s;
		if (!victim || (victim->key[0] && (!s->key[0] || s->last < victim->last)))
			victim = s;
	}
	if (!make)
		return NULL;
	memset(victim, 0, sizeof *victim);
	memcpy(victim->key, k, sizeof k);
	return victim;
}

int sw_rl_wait(struct sw_ratelimit *rl, const char *key, int64_t now)
{
	struct sw_rl_slot *s;
	int64_t oldest = INT64_MAX;
	int n = 0, wait = 0;

	pthread_mutex_lock(&rl->mu);
	if ((s = slot_of(rl, key, 0))) {
		for (int i = 0; i < SW_RL_MAX; i++) {
			if (s->fails[i] && s->fails[i] > now - SW_RL_WINDOW) {
				n++;
				if (s->fails[i] < oldest)
					oldest = s->fails[i];
			}
		}
		if (n >= SW_RL_MAX)
			wait = (int)(oldest + SW_RL_WINDOW - now);
		if (wait < 0)
			wait = 0;
		if (n >= SW_RL_MAX && wait == 0)
			wait = 1;
	}
	pthread_mutex_unlock(&rl->mu);
	return wait;
}

void sw_rl_fail(struct sw_ratelimit *rl, const char *key, int64_t now)
{
	struct sw_rl_slot *s;

	pthread_mutex_lock(&rl->mu);
	s = slot_of(rl, key, 1);
	s->fails[s->next] = now;
	s->next = (s->next + 1) % SW_RL_MAX;
	s->last = now;
	pthread_mutex_unlock(&rl->mu);
}

void sw_rl_clear(struct sw_ratelimit *rl, const char *key)
{
	struct sw_rl_slot *s;

	pthread_mutex_lock(&rl->mu);
	if ((s = slot_of(rl, key, 0)))
		memset(s, 0, sizeof *s);
	pthread_mutex_unlock(&rl->mu);
}
