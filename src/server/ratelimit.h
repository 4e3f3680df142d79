/*
 * ratelimit.h - counts failed sign-ins per key ("n:" + user name, "a:" +
 * address) so that a password cannot be guessed quickly: after
 * SW_RL_MAX failures within SW_RL_WINDOW seconds the key must wait until
 * the oldest of them leaves the window.
 *
 * The table is fixed-size (an attacker sending many names cannot grow
 * memory): a key whose probe window is full replaces the entry with the
 * oldest last failure.  It lives in the server process; a restart forgets
 * it, which costs an attacker a restart per five guesses.
 */
#ifndef SW_SERVER_RATELIMIT_H
#define SW_SERVER_RATELIMIT_H

#include <pthread.h>
#include <stdint.h>

#define SW_RL_MAX 5
#define SW_RL_WINDOW 900
#define SW_RL_SLOTS 4096
#define SW_RL_PROBE 16

struct sw_rl_slot {
	char key[96];
	int64_t fails[SW_RL_MAX]; /* ring of failure times; 0 unused */
	int next;
	int64_t last;
};

struct sw_ratelimit {
	pthread_mutex_t mu;
	struct sw_rl_slot *slots; /* SW_RL_SLOTS, owned */
};

/* Returns 0, or -1 when out of memory. */
int sw_rl_init(struct sw_ratelimit *rl);
void sw_rl_cleanup(struct sw_ratelimit *rl);

/* Seconds key must still wait at time now; 0 when it may try. */
int sw_rl_wait(struct sw_ratelimit *rl, const char *key, int64_t now);

/* Records a failure of key at now. */
void sw_rl_fail(struct sw_ratelimit *rl, const char *key, int64_t now);

/* Forgets key's failures (a successful sign-in of that name). */
void sw_rl_clear(struct sw_ratelimit *rl, const char *key);

#endif
