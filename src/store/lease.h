/*
 * lease.h - sharing the monitoring work between probe nodes (migration
 * 0012): a node leases the due sites it is about to check, records each
 * check under its name, and writes results in batches.
 *
 * There is no coordinator.  A lease is two columns of a site's schedule
 * (the node's name and when the lease lapses); taking a batch is one
 * UPDATE guarded by "due and not leased, or the lease lapsed", so two
 * nodes never hold the same site, and a node that dies holds its sites
 * only until their leases lapse.  On PostgreSQL the rows are picked with
 * FOR UPDATE SKIP LOCKED, so nodes taking batches at the same moment skip
 * each other's rows instead of queueing behind them; on SQLite the write
 * lock already makes one taker at a time.
 */
#ifndef SW_STORE_LEASE_H
#define SW_STORE_LEASE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Gives site_id its first due time unless it has a schedule already
 * (several nodes may schedule the same new site at once: the first wins,
 * and a check recorded meanwhile is never undone). */
enum sw_err sw_store_sched_add(struct sw_store *st, int64_t site_id, int64_t next_due,
			       struct sw_errbuf *eb);

/*
 * Leases to `node` up to `limit` active sites due at `due_by` whose lease
 * is free or lapsed at `now`, most overdue first, until `lease_until`, in
 * one transaction; then calls cb for each (struct sw_due as sw_store_due
 * gives it).  A non-zero return from cb stops the walk; the sites not
 * walked stay leased until their lease lapses.
 */
enum sw_err sw_store_lease_due(struct sw_store *st, const char *node, int64_t due_by,
			       int64_t now, int64_t lease_until, int64_t limit,
			       int (*cb)(void *arg, const struct sw_due *d), void *arg,
			       struct sw_errbuf *eb);

/* Frees every lease `node` holds (a node that stops cleanly gives back
 * the sites it did not check, so others need not wait for the lapse). */
enum sw_err sw_store_lease_release(struct sw_store *st, const char *node,
				   struct sw_errbuf *eb);

/* When the next active site becomes takeable (due and its lease free or
 * lapsed) into *t; SW_ENOTFOUND when nothing is scheduled. */
enum sw_err sw_store_lease_next(struct sw_store *st, int64_t *t, struct sw_errbuf *eb);

/*
 * As sw_store_check_record, for a check made by `node` (NULL: unnamed):
 * the check row names the node and the site's lease is cleared.
 */
enum sw_err sw_store_check_record_by(struct sw_store *st, const char *node,
				     struct sw_check_row *c, const struct sw_check_finding *f,
				     size_t n, struct sw_site_state *state, int64_t next_due,
				     int fails, const char *last_ips, struct sw_errbuf *eb);

/*
 * Starts the transaction a batch of results is written in (committed with
 * sw_store_commit, undone with sw_store_rollback).  It is a bulk
 * transaction (nested begins are free).  On PostgreSQL it also takes a
 * transaction-level advisory lock, so that the batches of several nodes,
 * which all add to the same daily rollup rows (region_daily), are written
 * one after the other instead of deadlocking on those rows in different
 * orders; a batch is short (written at once), so the wait is too.
 */
enum sw_err sw_store_batch_begin(struct sw_store *st, struct sw_errbuf *eb);

/* ---- vantage points ---- */

/*
 * Makes the vantage rows of site_id exactly `labels` (n of them, each a
 * "key=value" label): new labels are due at `now`, labels no longer asked
 * for are dropped.  Writes nothing when they already match.
 */
enum sw_err sw_store_vantage_sync(struct sw_store *st, int64_t site_id,
				  const char *const *labels, size_t n, int64_t now,
				  struct sw_errbuf *eb);

/* A vantage check to make, as sw_store_vantage_lease hands it out; the
 * strings are valid during the callback only. */
struct sw_vantage_due {
	int64_t site_id, group_id; /* group_id 0: none */
	const char *vantage, *url;
};

/*
 * Leases to `node` up to `limit` due vantage rows of active sites whose
 * label is one of `labels` (n labels), as sw_store_lease_due does for
 * sites, and calls cb for each.
 */
enum sw_err sw_store_vantage_lease(struct sw_store *st, const char *node,
				   const char *const *labels, size_t n, int64_t now,
				   int64_t lease_until, int64_t limit,
				   int (*cb)(void *arg, const struct sw_vantage_due *d),
				   void *arg, struct sw_errbuf *eb);

/* What one vantage point saw last.  Strings borrowed (NULL: none). */
struct sw_vantage_seen {
	int64_t site_id;
	const char *vantage, *node;
	int64_t checked_at;
	const char *ips;       /* sorted, ';'-joined */
	const char *body_hash; /* snapshot key of the page; NULL when no response */
};

/* Stores what a vantage check saw (v->checked_at is when), clears its
 * lease and makes it due again at next_due. */
enum sw_err sw_store_vantage_record(struct sw_store *st, const struct sw_vantage_seen *v,
				    int64_t next_due, struct sw_errbuf *eb);

/* Walks the vantage rows of site_id checked at or after `since`, ordered
 * by label. */
enum sw_err sw_store_vantage_walk(struct sw_store *st, int64_t site_id, int64_t since,
				  int (*cb)(void *arg, const struct sw_vantage_seen *v),
				  void *arg, struct sw_errbuf *eb);

#endif
