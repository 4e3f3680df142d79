/*
 * sched.c - due times and the flapping rule (see sched.h for why).
 */
#include "probe/sched.h"

#include <stdlib.h>
#include <string.h>

uint64_t sw_sched_hash(int64_t site_id, uint64_t salt)
{
	/* splitmix64's finaliser: cheap, and consecutive ids land far apart,
	 * which is what spreads an import of ids 1..N over the interval. */
	uint64_t z = (uint64_t)site_id * 0x9e3779b97f4a7c15ULL + salt;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int64_t sw_sched_first_due(int64_t site_id, int64_t now, long interval, int spread)
{
	if (!spread || interval <= 1)
		return now;
	return now + (int64_t)(sw_sched_hash(site_id, 0) % (uint64_t)interval);
}

int64_t sw_sched_next_due(int64_t site_id, int64_t now, long interval)
{
	int64_t span, jitter;

	if (interval < 1)
		interval = 1;
	span = interval / SW_SCHED_JITTER_DIV;
	if (span == 0)
		return now + interval;
	/* Uniform in [-span, span]; interval - span >= 1 keeps it in the future. */
	jitter = (int64_t)(sw_sched_hash(site_id, (uint64_t)(now / interval) + 1) %
			   (uint64_t)(2 * span + 1)) -
		 span;
	return now + interval + jitter;
}

int sw_sched_failed(enum sw_fetch_err err, long status)
{
	if (err != SW_FETCH_OK && err != SW_FETCH_ETOOLARGE)
		return 1;
	return status == 0 || status >= 400;
}

struct sw_sched_verdict sw_sched_judge(int prev_fails, int prev_up, int failed, long threshold)
{
	struct sw_sched_verdict v;
	int was_up = prev_up != 0; /* never checked counts as up */

	if (threshold < 1)
		threshold = 1;
	if (prev_fails < 0)
		prev_fails = 0;
	v.fails = failed ? prev_fails + 1 : 0;
	/* Once down, a site stays down until a success, whatever the count. */
	v.up = !failed || (was_up && v.fails < threshold);
	/* A down site keeps reporting, also when the threshold was raised. */
	v.report = !failed || !v.up;
	v.changed = prev_up < 0 || v.up != was_up;
	return v;
}

int sw_sched_availability_kind(const char *key)
{
	static const char *const held[] = {"availability.down", "availability.timeout",
					   "availability.http_error", "dns.nxdomain",
					   "tls.handshake"};

	for (size_t i = 0; i < sizeof held / sizeof held[0]; i++)
		if (strcmp(key, held[i]) == 0)
			return 1;
	return 0;
}

void sw_sched_hold_back(struct sw_findings *f)
{
	size_t keep = 0;

	for (size_t i = 0; i < f->n; i++) {
		if (sw_sched_availability_kind(f->v[i].kind->key)) {
			free(f->v[i].title);
			free(f->v[i].evidence);
			continue;
		}
		f->v[keep++] = f->v[i];
	}
	f->n = keep;
}
