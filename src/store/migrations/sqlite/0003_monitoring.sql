-- 0003: outside monitoring.  Times are unix seconds (INTEGER): the
-- scheduler compares and adds them on every sweep, and a check row is
-- written for every site every few minutes, so they are kept small and
-- arithmetic rather than ISO text.

-- When each site is due next, and what the scheduler remembers between
-- checks: consecutive failures (flapping suppression) and the addresses
-- the host answered from last (DNS change detection when the register
-- lists none).  A site without a row has never been scheduled.
CREATE TABLE site_schedule (
	site_id      INTEGER PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
	next_due     INTEGER NOT NULL,
	last_checked INTEGER,
	fails        INTEGER NOT NULL DEFAULT 0,
	last_ips     TEXT
);
CREATE INDEX site_schedule_due ON site_schedule(next_due);

-- One row per check, compact: codes and milliseconds, no text blobs.  err
-- is enum sw_fetch_err (append-only, never renumbered); body_hash names
-- the snapshot of the body (not a foreign key: a body may not be kept).
CREATE TABLE checks (
	id            INTEGER PRIMARY KEY,
	site_id       INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	checked_at    INTEGER NOT NULL,
	status        INTEGER NOT NULL,
	err           INTEGER NOT NULL,
	total_ms      INTEGER NOT NULL,
	dns_ms        INTEGER NOT NULL,
	connect_ms    INTEGER NOT NULL,
	tls_ms        INTEGER NOT NULL,
	first_byte_ms INTEGER NOT NULL,
	ip            TEXT,
	http_version  INTEGER NOT NULL,
	body_hash     TEXT,
	body_size     INTEGER NOT NULL,
	tls_not_after INTEGER
);
-- A site's history by time (availability %, response-time charts); the
-- time index serves the retention delete, the hash index snapshot pruning.
CREATE INDEX checks_site_time ON checks(site_id, checked_at);
CREATE INDEX checks_time ON checks(checked_at);
CREATE INDEX checks_body ON checks(body_hash);

-- The findings of one check, as the detectors produced them.
CREATE TABLE check_findings (
	id        INTEGER PRIMARY KEY,
	check_id  INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
	kind      TEXT NOT NULL,
	severity  TEXT NOT NULL,
	title     TEXT NOT NULL,
	evidence  TEXT
);
CREATE INDEX check_findings_check ON check_findings(check_id);

-- The dashboard's view of each site: one row, rewritten by every check.
-- up follows the flapping rule (down only after fail_threshold failures in
-- a row); since is when up last changed.
CREATE TABLE site_state (
	site_id       INTEGER PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
	up            INTEGER NOT NULL CHECK (up IN (0, 1)),
	since         INTEGER NOT NULL,
	checked_at    INTEGER NOT NULL,
	last_check_id INTEGER,
	last_status   INTEGER NOT NULL,
	last_err      INTEGER NOT NULL,
	last_ms       INTEGER NOT NULL,
	open_findings INTEGER NOT NULL
);

-- Page bodies, content-addressed: hash is the SHA-256 (hex) of the raw
-- body, body its zstd frame.  An unchanged page is stored once however
-- often it is checked; baselines and evidence point at a hash.
CREATE TABLE snapshots (
	hash       TEXT PRIMARY KEY CHECK (length(hash) = 64),
	body       BLOB NOT NULL,
	raw_size   INTEGER NOT NULL,
	first_seen INTEGER NOT NULL
);
