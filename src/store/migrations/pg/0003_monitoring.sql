-- 0003: outside monitoring, PostgreSQL dialect of
-- ../sqlite/0003_monitoring.sql (whose comments explain the tables).
-- Differences as in 0001: BIGSERIAL ids, BIGINT times and references
-- (DEFERRABLE), TEXT COLLATE "C"; and the snapshot body is BYTEA.

CREATE TABLE site_schedule (
	site_id      BIGINT PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	next_due     BIGINT NOT NULL,
	last_checked BIGINT,
	fails        INTEGER NOT NULL DEFAULT 0,
	last_ips     TEXT COLLATE "C"
);
CREATE INDEX site_schedule_due ON site_schedule(next_due);

CREATE TABLE checks (
	id            BIGSERIAL PRIMARY KEY,
	site_id       BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	checked_at    BIGINT NOT NULL,
	status        INTEGER NOT NULL,
	err           INTEGER NOT NULL,
	total_ms      BIGINT NOT NULL,
	dns_ms        BIGINT NOT NULL,
	connect_ms    BIGINT NOT NULL,
	tls_ms        BIGINT NOT NULL,
	first_byte_ms BIGINT NOT NULL,
	ip            TEXT COLLATE "C",
	http_version  INTEGER NOT NULL,
	body_hash     TEXT COLLATE "C",
	body_size     BIGINT NOT NULL,
	tls_not_after BIGINT
);
CREATE INDEX checks_site_time ON checks(site_id, checked_at);
CREATE INDEX checks_time ON checks(checked_at);
CREATE INDEX checks_body ON checks(body_hash);

CREATE TABLE check_findings (
	id        BIGSERIAL PRIMARY KEY,
	check_id  BIGINT NOT NULL REFERENCES checks(id) ON DELETE CASCADE DEFERRABLE,
	kind      TEXT COLLATE "C" NOT NULL,
	severity  TEXT COLLATE "C" NOT NULL,
	title     TEXT COLLATE "C" NOT NULL,
	evidence  TEXT COLLATE "C"
);
CREATE INDEX check_findings_check ON check_findings(check_id);

CREATE TABLE site_state (
	site_id       BIGINT PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	up            INTEGER NOT NULL CHECK (up IN (0, 1)),
	since         BIGINT NOT NULL,
	checked_at    BIGINT NOT NULL,
	last_check_id BIGINT,
	last_status   INTEGER NOT NULL,
	last_err      INTEGER NOT NULL,
	last_ms       BIGINT NOT NULL,
	open_findings BIGINT NOT NULL
);

CREATE TABLE snapshots (
	hash       TEXT COLLATE "C" PRIMARY KEY CHECK (length(hash) = 64),
	body       BYTEA NOT NULL,
	raw_size   BIGINT NOT NULL,
	first_seen BIGINT NOT NULL
);
