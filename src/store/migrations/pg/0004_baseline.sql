-- 0004: defacement baselines; see the SQLite file for the why.  Differences
-- as in 0001/0003: BIGSERIAL ids, BIGINT times and references
-- (DEFERRABLE), TEXT COLLATE "C", BYTEA for the blob.
CREATE TABLE baselines (
	id         BIGSERIAL PRIMARY KEY,
	site_id    BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	created_at BIGINT NOT NULL,
	source     TEXT COLLATE "C" NOT NULL CHECK (source IN ('learned', 'accepted')),
	actor      TEXT,
	versions   BIGINT NOT NULL,
	title      TEXT NOT NULL,
	pages      TEXT COLLATE "C",
	blob       BYTEA NOT NULL
);
CREATE INDEX baselines_site ON baselines(site_id, id);
