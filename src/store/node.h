/*
 * node.h - the probe nodes sharing one store (migration 0012): each
 * registers under a name with its labels and beats every round, so an
 * operator sees which nodes are alive and how the work is shared.
 */
#ifndef SW_STORE_NODE_H
#define SW_STORE_NODE_H

#include <stdint.h>

#include "store/store.h"

/* A node is dead when it has not beaten for this long, or for three times
 * its lease time when that is longer: a node beats every round and every
 * ten seconds of a long round, and a round's fetches end within its
 * lease. */
#define SW_NODE_DEAD_AFTER 60

/*
 * Registers node `name` or refreshes it: labels (canonical: sorted
 * "key=value" pairs joined by ','; "" none), when it started, now as its
 * heartbeat, its lease time in seconds.
 */
enum sw_err sw_store_node_beat(struct sw_store *st, const char *name, const char *labels,
			       int64_t started_at, int64_t now, int64_t lease_s,
			       struct sw_errbuf *eb);

/* One node as sw_store_node_list gives it; strings valid during the call. */
struct sw_node_row {
	const char *name, *labels;
	int64_t started_at, heartbeat_at, lease_s;
	int alive;           /* heard of recently enough at the time asked */
	int64_t checks_hour; /* checks it recorded in the hour before then */
};

/* Walks every node by name, judged at `now`; non-zero return stops. */
enum sw_err sw_store_node_list(struct sw_store *st, int64_t now,
			       int (*cb)(void *arg, const struct sw_node_row *n), void *arg,
			       struct sw_errbuf *eb);

/* Forgets node `name` (its checks keep its name).  SW_ENOTFOUND when
 * there is no such node. */
enum sw_err sw_store_node_remove(struct sw_store *st, const char *name, struct sw_errbuf *eb);

#endif
