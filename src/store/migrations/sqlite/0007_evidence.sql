-- 0007: frozen evidence (固定证据) and its append-only hash chain.
--
-- evidence_ledger is the chain: one row per frozen item (or export), in
-- seq order from 1, each carrying the hash of the previous row's entry
-- text (src/evidence/ledger.c defines that text; entry_hash is its hash).
-- Rows are never updated or deleted: the code has no such statement and
-- the triggers below refuse them, so a change needs a hand with write
-- access to the file, and then the chain shows where.  No foreign keys:
-- evidence must outlive the site, check and snapshot it was taken from
-- (history pruning and site deletion must not touch it).
CREATE TABLE evidence_ledger (
	seq        INTEGER PRIMARY KEY CHECK (seq > 0),
	algo       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	site_id    INTEGER NOT NULL,
	check_id   INTEGER NOT NULL,
	size       INTEGER NOT NULL,
	item_hash  TEXT NOT NULL,
	media_type TEXT NOT NULL,
	name       TEXT NOT NULL,
	prev_hash  TEXT NOT NULL,
	entry_hash TEXT NOT NULL
);
CREATE INDEX evidence_ledger_check ON evidence_ledger(check_id);
CREATE INDEX evidence_ledger_site ON evidence_ledger(site_id, created_at);

CREATE TRIGGER evidence_ledger_no_update BEFORE UPDATE ON evidence_ledger
BEGIN
	SELECT RAISE(ABORT, 'evidence_ledger is append-only');
END;
CREATE TRIGGER evidence_ledger_no_delete BEFORE DELETE ON evidence_ledger
BEGIN
	SELECT RAISE(ABORT, 'evidence_ledger is append-only');
END;

-- The bytes of the items, content-addressed by (algo, hash of the raw
-- bytes); body is their zstd frame.  The same page frozen twice is stored
-- once and named by two ledger rows.
CREATE TABLE evidence_blobs (
	algo       TEXT NOT NULL,
	hash       TEXT NOT NULL,
	body       BLOB NOT NULL,
	raw_size   INTEGER NOT NULL,
	first_seen INTEGER NOT NULL,
	PRIMARY KEY (algo, hash)
);

-- Signatures over the ledger head: the exact signed text (head_text), the
-- signature bytes and the key's identity (hash of its public key DER).
CREATE TABLE evidence_signatures (
	id         INTEGER PRIMARY KEY,
	seq        INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	sig_algo   TEXT NOT NULL,
	key_id     TEXT NOT NULL,
	head_text  TEXT NOT NULL,
	sig        BLOB NOT NULL
);
CREATE INDEX evidence_signatures_seq ON evidence_signatures(seq);
CREATE TRIGGER evidence_signatures_no_update BEFORE UPDATE ON evidence_signatures
BEGIN
	SELECT RAISE(ABORT, 'evidence_signatures is append-only');
END;
CREATE TRIGGER evidence_signatures_no_delete BEFORE DELETE ON evidence_signatures
BEGIN
	SELECT RAISE(ABORT, 'evidence_signatures is append-only');
END;
