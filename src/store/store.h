/*
 * store.h - the only way into sitewarden's database.
 *
 * Callers see register records (struct sw_rec), filters and callbacks; no
 * SQL and no database handle leaves this module, so the SQLite backend and
 * the PostgreSQL backend (chosen by the address given to sw_store_open) are
 * interchangeable.  Every statement is prepared once and reused.
 *
 * Writes outside an explicit transaction are each their own transaction.
 * Within sw_store_begin/commit the caller may group any number of writes.
 * Transactions nest: an inner begin is a savepoint, and an inner rollback
 * undoes only what happened since that begin, so a bulk import can reject
 * one row and go on while the outer transaction decides all or nothing.
 */
#ifndef SW_STORE_STORE_H
#define SW_STORE_STORE_H

#include <stdint.h>

#include "core/err.h"
#include "model/entity.h"

struct sw_store;
struct sw_access; /* below */

/* The default database when neither --db nor SITEWARDEN_DB names one. */
#define SW_STORE_DEFAULT_PATH "var/sitewarden.db"

/*
 * Opens (creating when needed) the database named by `where`: a file path
 * means SQLite (its directory is created); a "postgresql://" or
 * "postgres://" address means PostgreSQL (the database must exist; its
 * tables are created).  Applies pending migrations.  On success *out owns
 * the connection.
 */
enum sw_err sw_store_open(const char *where, struct sw_store **out, struct sw_errbuf *eb);

/* Closes st and frees everything it owns; NULL is ignored. */
void sw_store_close(struct sw_store *st);

/* "sqlite" or "postgresql". */
const char *sw_store_backend(const struct sw_store *st);

/* Highest migration applied. */
int sw_store_schema_version(const struct sw_store *st);

enum sw_err sw_store_begin(struct sw_store *st, struct sw_errbuf *eb);
enum sw_err sw_store_commit(struct sw_store *st, struct sw_errbuf *eb);
/*
 * Starts a bulk transaction: nested begin/commit inside it cost nothing (no
 * savepoints, which make SQLite copy every page a savepoint touches), and a
 * nested rollback dooms the whole transaction: the final commit then rolls
 * back and fails.  For callers that want all or nothing anyway (imports).
 */
enum sw_err sw_store_begin_bulk(struct sw_store *st, struct sw_errbuf *eb);

/* Undoes everything since the matching sw_store_begin and ends that level
 * (in a bulk transaction: marks the whole transaction for rollback). */
void sw_store_rollback(struct sw_store *st);

/*
 * Makes the current transaction check references only when it commits,
 * so rows that refer to each other may be written in any order (a copied
 * department may name a parent with a larger id).  Only inside a
 * transaction; it ends with the transaction.
 */
enum sw_err sw_store_defer_refs(struct sw_store *st, struct sw_errbuf *eb);

/*
 * Inserts rec (all fields; NULL values stored as NULL) and sets rec->id.
 * SW_EEXIST when a unique key clashes (nothing is inserted and the
 * transaction stays usable), SW_EINUSE when a reference points nowhere.
 */
enum sw_err sw_store_insert(struct sw_store *st, struct sw_rec *rec, struct sw_errbuf *eb);

/*
 * Inserts rec as the copy of a row of another store: with rec->id and its
 * created_at/updated_at (NULL timestamps mean now).  SW_EEXIST when the id
 * or a unique key is taken.  Call sw_store_sync_ids after copying, before
 * anything inserts rows with new ids.
 */
enum sw_err sw_store_insert_copy(struct sw_store *st, const struct sw_rec *rec,
				 struct sw_errbuf *eb);

/* Makes the ids the store hands out follow the largest id of every entity:
 * PostgreSQL's sequences do not see rows inserted with explicit ids. */
enum sw_err sw_store_sync_ids(struct sw_store *st, struct sw_errbuf *eb);

/* Writes every field of rec over the row rec->id.  SW_ENOTFOUND when gone. */
enum sw_err sw_store_update(struct sw_store *st, const struct sw_rec *rec,
			    struct sw_errbuf *eb);

/* Deletes row id of ent.  SW_EINUSE (with what still refers to it in eb)
 * when other rows refer to it; SW_ENOTFOUND when there is no such row. */
enum sw_err sw_store_delete(struct sw_store *st, const struct sw_entity *ent, int64_t id,
			    struct sw_errbuf *eb);

/* Reads row id of ent into out (initialised here; caller cleans it up). */
enum sw_err sw_store_get(struct sw_store *st, const struct sw_entity *ent, int64_t id,
			 struct sw_rec *out, struct sw_errbuf *eb);

/* As sw_store_get, for the row only when acc admits it (NULL: always):
 * SW_ENOTFOUND alike for a row that is absent and one out of scope, so
 * existence is not disclosed. */
enum sw_err sw_store_get_in(struct sw_store *st, const struct sw_entity *ent, int64_t id,
			    const struct sw_access *acc, struct sw_rec *out,
			    struct sw_errbuf *eb);

/* Finds the id of the first row of ent whose field `field` equals value
 * exactly.  SW_ENOTFOUND when none; *n_matches (may be NULL) gets how many
 * rows matched, capped at 2, so callers can refuse ambiguous names. */
enum sw_err sw_store_find(struct sw_store *st, const struct sw_entity *ent, int field,
			  const char *value, int64_t *id, int *n_matches, struct sw_errbuf *eb);

/*
 * What one user may see (issue 9's roles), applied inside every query that
 * takes it so a refused row never leaves the store.  A row is visible when
 * any member that is set admits it: a supervisor sees the sites whose unit
 * is in its region subtree OR whose unit's supervising department is its
 * department or below it; an operator the sites of its unit.  Units,
 * persons, departments and groups follow their sites (see scope.c); the
 * regions table is reference data everyone reads.  A struct with nothing
 * set admits nothing; a NULL pointer (admins, auditors, the CLI) admits
 * everything.
 */
struct sw_access {
	const char *region;    /* region code whose subtree is visible; NULL/"" none */
	int64_t dept_id;       /* department whose subtree's units are visible; 0 none */
	int64_t unit_id;       /* unit whose sites are visible; 0 none */
};

/* Monitoring state filter of site lists (sw_filter.up). */
enum sw_up_filter { SW_UP_ANY, SW_UP_UP, SW_UP_DOWN, SW_UP_UNCHECKED };

/* Which rows a list returns.  Zero/NULL members do not filter. */
struct sw_filter {
	const char *region;    /* region code: the region and all below it */
	const char *unit_type; /* enum key */
	int64_t group_id;
	int64_t unit_id;
	const char *status;    /* enum key */
	const char *search;    /* substring of the name (and URL for sites) */
	int64_t limit;         /* 0: no limit */
	int64_t offset;
	const struct sw_access *acc; /* who asks; NULL: everything */
	/* Sites only: an open finding (of the site's latest check) of this
	 * kind family ("tls") or exact kind ("tls.expired"), and/or of this
	 * severity; the monitoring state. */
	const char *kind;
	const char *severity;
	enum sw_up_filter up;
};

/* Called once per row; rec and its strings are valid during the call only.
 * A non-zero return stops the walk (sw_store_list then returns SW_OK). */
typedef int (*sw_rec_cb)(void *arg, const struct sw_rec *rec);

/* Walks the rows of ent that pass f (NULL: all) in id order. */
enum sw_err sw_store_list(struct sw_store *st, const struct sw_entity *ent,
			  const struct sw_filter *f, sw_rec_cb cb, void *arg, struct sw_errbuf *eb);

/* Counts the rows of ent that pass f. */
enum sw_err sw_store_count(struct sw_store *st, const struct sw_entity *ent,
			   const struct sw_filter *f, int64_t *n, struct sw_errbuf *eb);

/* Replaces the host names indexed for site_id (primary host and other
 * domains).  SW_EEXIST names the first domain another site holds. */
enum sw_err sw_store_site_domains_set(struct sw_store *st, int64_t site_id,
				      const char *const *domains, size_t n, struct sw_errbuf *eb);

/* Indexes one more host name for site_id, for copying a store (the
 * register keeps the list whole with sw_store_site_domains_set).
 * SW_EEXIST when another site holds it. */
enum sw_err sw_store_site_domain_add(struct sw_store *st, int64_t site_id, const char *domain,
				     struct sw_errbuf *eb);

/* One indexed host name; non-zero return stops the walk. */
typedef int (*sw_domain_cb)(void *arg, int64_t site_id, const char *domain);

/* Walks every indexed host name, ordered by site id, then name. */
enum sw_err sw_store_site_domains_all(struct sw_store *st, sw_domain_cb cb, void *arg,
				      struct sw_errbuf *eb);

/* As sw_store_site_domains_set for a site that has no names yet. */
enum sw_err sw_store_site_domains_add(struct sw_store *st, int64_t site_id,
				      const char *const *domains, size_t n, struct sw_errbuf *eb);

/* Finds the site holding host name `domain`.  SW_ENOTFOUND when none. */
enum sw_err sw_store_site_by_domain(struct sw_store *st, const char *domain, int64_t *site_id,
				    struct sw_errbuf *eb);

/* Makes person_id responsible for site_id in `role` (idempotent). */
enum sw_err sw_store_site_person_link(struct sw_store *st, int64_t site_id, int64_t person_id,
				      const char *role, struct sw_errbuf *eb);

/* Removes the link(s) between site and person; role NULL removes all
 * roles.  SW_ENOTFOUND when there was none. */
enum sw_err sw_store_site_person_unlink(struct sw_store *st, int64_t site_id,
					int64_t person_id, const char *role,
					struct sw_errbuf *eb);

/* One site-person link; non-zero return stops the walk. */
typedef int (*sw_link_cb)(void *arg, int64_t site_id, int64_t person_id, const char *role);

/* Walks the links of a site (person_id 0) or of a person (site_id 0);
 * both 0: every link, ordered by site, person and role. */
enum sw_err sw_store_site_persons(struct sw_store *st, int64_t site_id, int64_t person_id,
				  sw_link_cb cb, void *arg, struct sw_errbuf *eb);

/* Policy scopes (inheritance order global -> group -> site). */
enum sw_scope { SW_SCOPE_GLOBAL, SW_SCOPE_GROUP, SW_SCOPE_SITE };

/* One stored policy setting; non-zero return stops the walk. */
typedef int (*sw_kv_cb)(void *arg, const char *key, const char *value);

/* Walks the settings stored for one scope (scope_id 0 for global). */
enum sw_err sw_store_policy_get(struct sw_store *st, enum sw_scope scope, int64_t scope_id,
				sw_kv_cb cb, void *arg, struct sw_errbuf *eb);

/* Stores (value non-NULL) or removes (NULL: inherit again) one setting. */
enum sw_err sw_store_policy_set(struct sw_store *st, enum sw_scope scope, int64_t scope_id,
				const char *key, const char *value, struct sw_errbuf *eb);

/* One stored setting with its scope, as a store copy sees it. */
struct sw_policy_row {
	enum sw_scope scope;
	int64_t scope_id;
	const char *key, *value, *updated_at;
};

/* Walks every stored setting, ordered by scope, scope id and key; row and
 * its strings are valid during the call only. */
enum sw_err sw_store_policy_all(struct sw_store *st,
				int (*cb)(void *arg, const struct sw_policy_row *row), void *arg,
				struct sw_errbuf *eb);

/* Stores row as it is, updated_at included (copying a store); replaces a
 * setting with the same scope and key. */
enum sw_err sw_store_policy_put(struct sw_store *st, const struct sw_policy_row *row,
				struct sw_errbuf *eb);

/*
 * Outside monitoring (src/store/monitor.c, snapshot.c).  Times are unix
 * seconds.  Only sites whose status is online or pre-launch are scheduled:
 * the others are not watched.
 */

/* A site that is due, as sw_store_due hands it out.  Strings are valid
 * during the callback only. */
struct sw_due {
	int64_t site_id, group_id;   /* group_id 0: none */
	const char *url;
	const char *ips;             /* the register's ';'-joined addresses, or NULL */
	const char *last_ips;        /* addresses seen by the last check, or NULL */
	int64_t next_due;
	int fails;                   /* consecutive failed checks so far */
	int up;                      /* state now: 1 up, 0 down, -1 never checked */
	int64_t since;               /* when up last changed (0: never checked) */
};

/* Active sites without a schedule yet, in id order; non-zero return stops. */
enum sw_err sw_store_sched_unscheduled(struct sw_store *st,
				       int (*cb)(void *arg, int64_t site_id, int64_t group_id),
				       void *arg, struct sw_errbuf *eb);

/* Sets when site_id is due next (creating its schedule row; fails and
 * last addresses are kept).  Used for new sites and "check now". */
enum sw_err sw_store_sched_set(struct sw_store *st, int64_t site_id, int64_t next_due,
			       struct sw_errbuf *eb);

/* A site's schedule row.  last_ips is a copy, cut to fit. */
struct sw_sched_row {
	int64_t next_due, last_checked; /* last_checked 0: never */
	int fails;
	char last_ips[256];
};

/* Reads the schedule of site_id.  SW_ENOTFOUND when it has none. */
enum sw_err sw_store_sched_get(struct sw_store *st, int64_t site_id, struct sw_sched_row *out,
			       struct sw_errbuf *eb);

/* Earliest next_due of any active site into *t; SW_ENOTFOUND when no
 * active site is scheduled. */
enum sw_err sw_store_sched_next(struct sw_store *st, int64_t *t, struct sw_errbuf *eb);

/*
 * Walks up to `limit` active sites whose next_due <= now, most overdue
 * first.  Taking does not reserve: the caller reschedules each site when
 * it records the check (sw_store_check_record), and a site whose check
 * never got recorded (the probe was stopped) is simply due again.
 */
enum sw_err sw_store_due(struct sw_store *st, int64_t now, int64_t limit,
			 int (*cb)(void *arg, const struct sw_due *d), void *arg,
			 struct sw_errbuf *eb);

/* One check as stored.  Strings are borrowed (NULL: none). */
struct sw_check_row {
	int64_t id;                  /* set by sw_store_check_record */
	int64_t site_id, checked_at;
	long status;                 /* HTTP status of the final hop; 0 none */
	int err;                     /* enum sw_fetch_err */
	int64_t total_ms, dns_ms, connect_ms, tls_ms, first_byte_ms;
	const char *ip;
	int http_version;            /* 11, 20 ...; 0 none */
	const char *body_hash;       /* snapshot key (sw_store_snapshot_put) */
	int64_t body_size;
	int64_t tls_not_after;       /* leaf certificate; 0: no TLS */
};

/* One finding of a check.  Strings are borrowed. */
struct sw_check_finding {
	const char *kind, *severity, *title, *evidence; /* evidence may be NULL */
	const char *page; /* URL of the inner page it was found on; NULL: the site's
			   * home page or the site as a whole (migration 0011) */
};

/* The dashboard's row of a site. */
struct sw_site_state {
	int64_t site_id;
	int up;                      /* after the flapping rule */
	int64_t since, checked_at, last_check_id;
	long last_status;
	int last_err;
	int64_t last_ms, open_findings;
};

/*
 * Records one check in one transaction: the check row (c->id is set), its
 * n findings, the site's state (state->last_check_id is filled in) and its
 * schedule (next_due, consecutive fails, last_ips which may be NULL to keep
 * the old).  All or nothing: a stop in the middle leaves no half-written
 * check.  May run inside a caller's transaction (then as a savepoint).
 */
enum sw_err sw_store_check_record(struct sw_store *st, struct sw_check_row *c,
				  const struct sw_check_finding *f, size_t n,
				  struct sw_site_state *state, int64_t next_due, int fails,
				  const char *last_ips, struct sw_errbuf *eb);

/* Reads the state row of site_id.  SW_ENOTFOUND when never checked. */
enum sw_err sw_store_site_state_get(struct sw_store *st, int64_t site_id,
				    struct sw_site_state *out, struct sw_errbuf *eb);

/* Walks the checks of site_id made at or after `since`, newest first, at
 * most limit (0: all).  The row's strings are valid during the call only. */
enum sw_err sw_store_checks_recent(struct sw_store *st, int64_t site_id, int64_t since,
				   int64_t limit,
				   int (*cb)(void *arg, const struct sw_check_row *c), void *arg,
				   struct sw_errbuf *eb);

/* Walks the findings of one check in the order they were recorded. */
enum sw_err sw_store_check_findings(struct sw_store *st, int64_t check_id,
				    int (*cb)(void *arg, const struct sw_check_finding *f),
				    void *arg, struct sw_errbuf *eb);

/*
 * Retention: deletes the checks (and their findings) made before cutoff,
 * then the snapshots first seen before cutoff that no remaining check
 * names.  *n_checks and *n_snaps (may be NULL) get how many went.
 */
enum sw_err sw_store_history_prune(struct sw_store *st, int64_t cutoff, int64_t *n_checks,
				   int64_t *n_snaps, struct sw_errbuf *eb);

/* SHA-256 hex digest plus NUL: the key of a snapshot. */
#define SW_SNAPSHOT_KEY_LEN 65

/* Writes the snapshot key of len bytes at body into key. */
void sw_store_snapshot_key(const void *body, size_t len, char key[SW_SNAPSHOT_KEY_LEN]);

/*
 * Stores a page body under its key (written into key) compressed with
 * zstd, first seen at `now`.  When the key is already stored nothing is
 * compressed or written (*added, may be NULL, tells which happened).
 */
enum sw_err sw_store_snapshot_put(struct sw_store *st, const void *body, size_t len,
				  int64_t now, char key[SW_SNAPSHOT_KEY_LEN], int *added,
				  struct sw_errbuf *eb);

/* Reads the body stored under key into a new buffer (*body, caller frees;
 * NUL-terminated beyond *len).  SW_ENOTFOUND when absent; SW_ESTORE when
 * the stored frame does not decompress to a body with that key. */
enum sw_err sw_store_snapshot_get(struct sw_store *st, const char *key, unsigned char **body,
				  size_t *len, struct sw_errbuf *eb);

/* ---- defacement baselines (0004; the blob is analyze/baseline.h's) ---- */

/* One stored baseline.  Borrowed strings: valid during the callback that
 * gets the row (or, for sw_store_baseline_add, the call). */
struct sw_baseline_row {
	int64_t id, site_id, created_at;  /* created_at: unix seconds */
	const char *source;               /* "learned" or "accepted" */
	const char *actor;                /* who accepted it; may be NULL */
	int64_t versions;                 /* page versions it was learned from */
	const char *title;                /* the baseline's title, for lists */
	const char *pages;                /* snapshot keys, space-separated; may be NULL */
	const unsigned char *blob;        /* sw_baseline_to_blob; NULL in history walks */
	size_t blob_len;
};

/* Appends a baseline for r->site_id (r->id is ignored); *id (may be NULL)
 * gets the new row's id.  The newest row is the site's current baseline. */
enum sw_err sw_store_baseline_add(struct sw_store *st, const struct sw_baseline_row *r,
				  int64_t *id, struct sw_errbuf *eb);

/* Calls cb once with the current (newest) baseline of site_id, blob
 * included.  SW_ENOTFOUND when the site has none. */
enum sw_err sw_store_baseline_current(struct sw_store *st, int64_t site_id,
				      int (*cb)(void *arg, const struct sw_baseline_row *r),
				      void *arg, struct sw_errbuf *eb);

/* Walks the baselines of site_id newest first, at most limit (0: all),
 * without blobs; stops when cb returns non-zero. */
enum sw_err sw_store_baseline_history(struct sw_store *st, int64_t site_id, int64_t limit,
				      int (*cb)(void *arg, const struct sw_baseline_row *r),
				      void *arg, struct sw_errbuf *eb);

#endif
