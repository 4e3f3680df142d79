-- 0007: frozen evidence, PostgreSQL dialect of ../sqlite/0007_evidence.sql
-- (whose comments explain the tables).  BIGINT seq and times, TEXT COLLATE
-- "C", BYTEA bodies; the append-only rule is one trigger function that
-- refuses UPDATE and DELETE row by row and TRUNCATE per statement.

CREATE TABLE evidence_ledger (
	seq        BIGINT PRIMARY KEY CHECK (seq > 0),
	algo       TEXT COLLATE "C" NOT NULL,
	created_at BIGINT NOT NULL,
	kind       TEXT COLLATE "C" NOT NULL,
	site_id    BIGINT NOT NULL,
	check_id   BIGINT NOT NULL,
	size       BIGINT NOT NULL,
	item_hash  TEXT COLLATE "C" NOT NULL,
	media_type TEXT COLLATE "C" NOT NULL,
	name       TEXT COLLATE "C" NOT NULL,
	prev_hash  TEXT COLLATE "C" NOT NULL,
	entry_hash TEXT COLLATE "C" NOT NULL
);
CREATE INDEX evidence_ledger_check ON evidence_ledger(check_id);
CREATE INDEX evidence_ledger_site ON evidence_ledger(site_id, created_at);

CREATE TABLE evidence_blobs (
	algo       TEXT COLLATE "C" NOT NULL,
	hash       TEXT COLLATE "C" NOT NULL,
	body       BYTEA NOT NULL,
	raw_size   BIGINT NOT NULL,
	first_seen BIGINT NOT NULL,
	PRIMARY KEY (algo, hash)
);

CREATE TABLE evidence_signatures (
	id         BIGSERIAL PRIMARY KEY,
	seq        BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	sig_algo   TEXT COLLATE "C" NOT NULL,
	key_id     TEXT COLLATE "C" NOT NULL,
	head_text  TEXT COLLATE "C" NOT NULL,
	sig        BYTEA NOT NULL
);
CREATE INDEX evidence_signatures_seq ON evidence_signatures(seq);

CREATE FUNCTION evidence_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER evidence_ledger_append_only BEFORE UPDATE OR DELETE ON evidence_ledger
	FOR EACH ROW EXECUTE FUNCTION evidence_append_only();
CREATE TRIGGER evidence_ledger_no_truncate BEFORE TRUNCATE ON evidence_ledger
	FOR EACH STATEMENT EXECUTE FUNCTION evidence_append_only();
CREATE TRIGGER evidence_signatures_append_only BEFORE UPDATE OR DELETE ON evidence_signatures
	FOR EACH ROW EXECUTE FUNCTION evidence_append_only();
CREATE TRIGGER evidence_signatures_no_truncate BEFORE TRUNCATE ON evidence_signatures
	FOR EACH STATEMENT EXECUTE FUNCTION evidence_append_only();
