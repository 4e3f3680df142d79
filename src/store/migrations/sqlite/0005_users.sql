-- 0005: people and agents of `sitewarden serve` (src/store/user.h,
-- audit.h, agent.h).  Secrets are never stored as given: passwords as
-- argon2id hashes, session ids and API tokens as SHA-256 hex digests (they
-- are 256-bit random values, so a plain digest cannot be brute-forced).
-- Times are unix seconds, as in 0003, because sessions and rate limits
-- compare them on every request.

-- Accounts.  role decides what a user may do; the scope columns narrow
-- what it sees: a supervisor its region subtree (region code) and/or its
-- department's units, an operator its unit.  disabled users cannot sign
-- in and their sessions and tokens stop working.
CREATE TABLE users (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	pw_hash    TEXT NOT NULL,
	role       TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'operator', 'auditor')),
	region     TEXT,
	dept_id    INTEGER REFERENCES departments(id),
	unit_id    INTEGER REFERENCES units(id),
	disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

-- Browser sessions: the cookie holds the random id, the table its digest.
CREATE TABLE sessions (
	id_hash    TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	remote     TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- API tokens for scripts (Authorization: Bearer), shown once at creation.
CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Who changed what, when and from where.  Append-only: the code has no
-- UPDATE or DELETE of it, and these triggers refuse both.
CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,
	user_id   INTEGER,
	user_name TEXT NOT NULL,
	remote    TEXT NOT NULL,
	method    TEXT NOT NULL,
	path      TEXT NOT NULL,
	target    TEXT,
	status    INTEGER NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Enrolled host agents (sitewarden-agent), each guarding one site.  An
-- agent authenticates with a bearer token (its digest here) or an HMAC
-- key (kept as given, hex: the server must recompute signatures).
-- ack_seq is the highest sequence up to which every event is held;
-- hb_interval the last gap between heartbeats, which decides silence.
CREATE TABLE agents (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,
	site_id      INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	token_hash   TEXT UNIQUE,
	hmac_key     TEXT,
	created_at   INTEGER NOT NULL,
	ack_seq      INTEGER,
	last_hb      INTEGER,
	hb_interval  INTEGER,
	heartbeat    TEXT,
	silent_since INTEGER,
	CHECK (token_hash IS NOT NULL OR hmac_key IS NOT NULL)
);
CREATE INDEX agents_site ON agents(site_id);

-- Every event an agent sent, once per (agent, seq) as the protocol keys
-- them; body is the event's JSON as received.
CREATE TABLE agent_events (
	id          INTEGER PRIMARY KEY,
	agent_id    INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
	seq         INTEGER NOT NULL,
	kind        TEXT NOT NULL,
	time        TEXT,
	received_at INTEGER NOT NULL,
	body        TEXT NOT NULL,
	UNIQUE (agent_id, seq)
);

-- Findings of family "agent" (tamper, webshell, store_corrupt, silent)
-- for the agent's site; seq 0 for those the server raised itself
-- (silence).
CREATE TABLE agent_findings (
	id         INTEGER PRIMARY KEY,
	agent_id   INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
	site_id    INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	seq        INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	severity   TEXT NOT NULL,
	title      TEXT NOT NULL,
	evidence   TEXT
);
CREATE INDEX agent_findings_site ON agent_findings(site_id, id);
