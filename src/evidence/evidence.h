/*
 * evidence.h - evidence fixing (固定证据): freezing what a check saw,
 * chaining it into a tamper-evident ledger, signing the ledger's head,
 * exporting self-contained packages and verifying them.
 *
 * Facts that shaped it:
 *  - A court expert must be able to check a package without our code:
 *    every hash is a plain `openssl dgst -sm3` (or -sha256) of bytes in
 *    the package, every chain entry is one line of text whose hash the next
 *    line names, and the head is signed so that `openssl pkeyutl -verify`
 *    checks it.  The package is a POSIX ustar archive (docs/evidence.md).
 *  - Evidence must outlive the check history and the site: items are kept
 *    in their own content-addressed table, not in the pruned snapshots.
 *  - Append-only: there is no code path that changes or removes a ledger
 *    entry; PostgreSQL and SQLite triggers refuse it too, and any change
 *    made behind the store's back breaks the chain at that entry.
 *
 * Ownership: struct sw_evidence borrows the store it was opened on; it
 * must be freed before the store is closed.  Not thread-safe: one per
 * store connection.
 */
#ifndef SW_EVIDENCE_EVIDENCE_H
#define SW_EVIDENCE_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "evidence/digest.h"
#include "evidence/keys.h"
#include "store/evidence.h"
#include "store/store.h"

struct sw_fetch_result;

/* Largest item accepted (a quarantined file or a page body). */
#define SW_EV_ITEM_MAX ((size_t)64 << 20)
/* Largest package written or read. */
#define SW_EV_PACKAGE_MAX ((size_t)1 << 30)
/* Items exported in one package at most. */
#define SW_EV_EXPORT_MAX_ITEMS 10000

struct sw_ev_opts {
	enum sw_ev_hash hash;    /* of new entries; default SM3 */
	enum sw_ev_sig sig;      /* default SM2 */
	const char *key_dir;     /* NULL: no key (verify-only handles can't sign) */
	int create_key;          /* generate the key when key_dir has none */
	int64_t sign_interval;   /* seconds between automatic head signatures; default 3600 */
};

/* Fills o with the defaults (no key directory). */
void sw_ev_opts_init(struct sw_ev_opts *o);

/* The default key directory for database `db`: "keys" beside an SQLite
 * file (var/sitewarden.db -> var/keys), "var/keys" for PostgreSQL. */
void sw_ev_default_key_dir(const char *db, char *buf, size_t n);

struct sw_evidence;

/* Opens the evidence ledger of st (borrowed) with o (NULL: defaults). */
enum sw_err sw_evidence_open(struct sw_store *st, const struct sw_ev_opts *o,
			     struct sw_evidence **out, struct sw_errbuf *eb);

/* Frees ev; NULL is ignored. */
void sw_evidence_free(struct sw_evidence *ev);

/* The signing key, or NULL when opened without one (borrowed). */
struct sw_ev_key *sw_evidence_key(struct sw_evidence *ev);

/* One item to freeze.  Everything borrowed for the call. */
struct sw_ev_item {
	const char *kind;        /* [a-z-]+: "body", "headers", ..., "file" */
	const char *name;        /* 1-255 bytes, free text (a file's name) */
	const char *media_type;  /* NULL: application/octet-stream */
	const void *bytes;
	size_t len;
	int64_t site_id, check_id; /* 0: none */
};

/*
 * Freezes n items as consecutive ledger entries in one transaction (all or
 * none): each item's bytes are stored under their hash and one entry is
 * appended for it.  *first_seq (may be NULL) gets the first entry's seq.
 * Retries when another writer appended at the same time.  Signs the head
 * afterwards when the last signature is older than the sign interval.
 */
enum sw_err sw_evidence_add(struct sw_evidence *ev, const struct sw_ev_item *items, size_t n,
			    int64_t *first_seq, struct sw_errbuf *eb);

/* One finding as the freezing API takes it (the store's shape). */
struct sw_check_finding;

/*
 * Freezes what check check_id of site_id saw: the request as made, the
 * response's status line and timings, the raw header block, the raw body
 * bytes, the resolved addresses of every hop, the certificate chain's
 * facts and the findings (n of them).  Does nothing (and says 0 in
 * *n_items) when that check is frozen already.  *n_items may be NULL.
 */
enum sw_err sw_evidence_freeze_check(struct sw_evidence *ev, int64_t site_id, int64_t check_id,
				     const struct sw_fetch_result *r,
				     const struct sw_check_finding *f, size_t n, size_t *n_items,
				     struct sw_errbuf *eb);

struct sw_engine_check;

/*
 * Freezes the check the engine hands to its on_check hook (engine/engine.h):
 * c->self's full exchange (request headers as sent, every resolved address,
 * the certificate chain as PEM besides the items above) and c's findings
 * with the page each was found on.  Does nothing when that check is frozen
 * already.  SW_EINVAL when c has no exchange (c->self NULL).
 */
enum sw_err sw_evidence_freeze_engine(struct sw_evidence *ev, const struct sw_engine_check *c,
				      size_t *n_items, struct sw_errbuf *eb);

/*
 * Freezes check check_id after the fact from what the store holds: the
 * check row, its findings and the body snapshot it names (absent when the
 * history was pruned: then the item records that).  Does nothing when the
 * check is frozen already.  SW_ENOTFOUND when there is no such check.
 */
enum sw_err sw_evidence_freeze_stored(struct sw_evidence *ev, int64_t check_id,
				      size_t *n_items, struct sw_errbuf *eb);

/*
 * Calls cb with the seq of every entry an incident's package holds (the
 * entries of the checks its alerts were seen in, frozen from the store
 * first when they were not frozen at detection), in check order.  A
 * non-zero return stops.  SW_ENOTFOUND when there is no such incident.
 */
enum sw_err sw_evidence_incident_seqs(struct sw_evidence *ev, int64_t incident_id,
				      int (*cb)(void *arg, int64_t seq), void *arg,
				      struct sw_errbuf *eb);

/*
 * Signs the current head (when there is one and `force` is set, or when
 * the newest signature is older than the interval or not over the head).
 * *seq (may be NULL) gets the seq signed, 0 when nothing was.
 */
enum sw_err sw_evidence_sign_head(struct sw_evidence *ev, int force, int64_t *seq,
				  struct sw_errbuf *eb);

/* The text a head signature signs: one line ending in "\n". */
int sw_ev_head_text(char *buf, size_t n, const char *algo, int64_t seq, const char *hash,
		    int64_t at);

/* What a verification found, one problem per call: where ("chain.txt",
 * "items/...", or "entry 17") and what. */
typedef void (*sw_ev_problem_cb)(void *arg, const char *where, const char *what);

struct sw_ev_verify_stats {
	int64_t entries, signatures, bytes, problems;
};

/*
 * Checks the whole stored chain: every entry's hash, every link, every
 * item's bytes against its hash, and every stored signature (with ev's key
 * when it has one with the same id).  Problems go to cb; SW_OK means the
 * walk ran (stats->problems says whether it found any).
 */
enum sw_err sw_evidence_ledger_verify(struct sw_evidence *ev, sw_ev_problem_cb cb, void *arg,
				      struct sw_ev_verify_stats *stats, struct sw_errbuf *eb);

/*
 * Writes a package of the entries seqs[0..n) (duplicates ignored; "export"
 * entries refused) labelled `label` ([A-Za-z0-9._-], at most 40 bytes):
 * appends an export entry over its manifest, signs the head there, and
 * returns the ustar archive in a new buffer (*pkg, caller frees).
 */
enum sw_err sw_evidence_export(struct sw_evidence *ev, const int64_t *seqs, size_t n,
			       const char *label, unsigned char **pkg, size_t *len,
			       struct sw_errbuf *eb);

/* One member's verdict in a package verification. */
struct sw_ev_pkg_item {
	const char *path;    /* member name inside the package */
	int64_t seq;         /* its ledger entry; 0 for non-items */
	int ok;
};

/*
 * Verifies package bytes without any database: the archive's structure,
 * every item's hash and size against the manifest and the chain, the chain
 * itself, the manifest against the export entry, the head against the
 * chain's end and the signature with the package's public key.  Each
 * problem goes to cb naming the member at fault; item_cb (may be NULL)
 * gets each item with its verdict.  Returns SW_OK when everything holds,
 * SW_EINVAL when anything does not (details through cb).
 */
enum sw_err sw_evidence_verify_package(const void *pkg, size_t len, sw_ev_problem_cb cb,
				       void *arg,
				       void (*item_cb)(void *arg, const struct sw_ev_pkg_item *it),
				       struct sw_errbuf *eb);

#endif
