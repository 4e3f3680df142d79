-- 0005: users, sessions, API tokens, the audit log and agents; PostgreSQL
-- dialect of ../sqlite/0005_users.sql, whose comments explain the tables.
-- Differences as in 0001/0003: BIGSERIAL ids, BIGINT times and references
-- (DEFERRABLE), TEXT COLLATE "C"; the audit log's guard is a PL/pgSQL
-- trigger function.

CREATE TABLE users (
	id         BIGSERIAL PRIMARY KEY,
	name       TEXT COLLATE "C" NOT NULL UNIQUE,
	pw_hash    TEXT COLLATE "C" NOT NULL,
	role       TEXT COLLATE "C" NOT NULL
	           CHECK (role IN ('admin', 'supervisor', 'operator', 'auditor')),
	region     TEXT COLLATE "C",
	dept_id    BIGINT REFERENCES departments(id) DEFERRABLE,
	unit_id    BIGINT REFERENCES units(id) DEFERRABLE,
	disabled   BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE sessions (
	id_hash    TEXT COLLATE "C" PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	csrf       TEXT COLLATE "C" NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	remote     TEXT COLLATE "C"
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE api_tokens (
	id         BIGSERIAL PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	name       TEXT COLLATE "C" NOT NULL,
	token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
	created_at BIGINT NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE audit_log (
	id        BIGSERIAL PRIMARY KEY,
	at        BIGINT NOT NULL,
	user_id   BIGINT,
	user_name TEXT COLLATE "C" NOT NULL,
	remote    TEXT COLLATE "C" NOT NULL,
	method    TEXT COLLATE "C" NOT NULL,
	path      TEXT COLLATE "C" NOT NULL,
	target    TEXT COLLATE "C",
	status    BIGINT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse();

CREATE TABLE agents (
	id           BIGSERIAL PRIMARY KEY,
	name         TEXT COLLATE "C" NOT NULL UNIQUE,
	site_id      BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	token_hash   TEXT COLLATE "C" UNIQUE,
	hmac_key     TEXT COLLATE "C",
	created_at   BIGINT NOT NULL,
	ack_seq      BIGINT,
	last_hb      BIGINT,
	hb_interval  BIGINT,
	heartbeat    TEXT,
	silent_since BIGINT,
	CHECK (token_hash IS NOT NULL OR hmac_key IS NOT NULL)
);
CREATE INDEX agents_site ON agents(site_id);

CREATE TABLE agent_events (
	id          BIGSERIAL PRIMARY KEY,
	agent_id    BIGINT NOT NULL REFERENCES agents(id) ON DELETE CASCADE DEFERRABLE,
	seq         BIGINT NOT NULL,
	kind        TEXT COLLATE "C" NOT NULL,
	time        TEXT COLLATE "C",
	received_at BIGINT NOT NULL,
	body        TEXT NOT NULL,
	UNIQUE (agent_id, seq)
);

CREATE TABLE agent_findings (
	id         BIGSERIAL PRIMARY KEY,
	agent_id   BIGINT NOT NULL REFERENCES agents(id) ON DELETE CASCADE DEFERRABLE,
	site_id    BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	seq        BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	kind       TEXT COLLATE "C" NOT NULL,
	severity   TEXT COLLATE "C" NOT NULL,
	title      TEXT NOT NULL,
	evidence   TEXT
);
CREATE INDEX agent_findings_site ON agent_findings(site_id, id);
