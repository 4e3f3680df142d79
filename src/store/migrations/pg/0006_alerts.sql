-- 0006: alerts, notifications and incidents; see the SQLite file for the
-- why.  Differences as in 0003: BIGSERIAL ids, BIGINT times and references
-- (DEFERRABLE), TEXT COLLATE "C" for keys and states.

CREATE TABLE alerts (
	id               BIGSERIAL PRIMARY KEY,
	site_id          BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	kind             TEXT COLLATE "C" NOT NULL,
	fingerprint      TEXT COLLATE "C" NOT NULL,
	severity         TEXT COLLATE "C" NOT NULL,
	title            TEXT NOT NULL,
	evidence         TEXT,
	state            TEXT COLLATE "C" NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved', 'suppressed')),
	count            BIGINT NOT NULL,
	first_seen       BIGINT NOT NULL,
	last_seen        BIGINT NOT NULL,
	first_check_id   BIGINT,
	last_check_id    BIGINT,
	state_at         BIGINT NOT NULL,
	state_by         TEXT,
	note             TEXT,
	suppressed_until BIGINT,
	UNIQUE (site_id, kind, fingerprint)
);
CREATE INDEX alerts_state ON alerts(state, site_id);

CREATE TABLE alert_checks (
	alert_id BIGINT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE DEFERRABLE,
	check_id BIGINT NOT NULL,
	PRIMARY KEY (alert_id, check_id)
);

CREATE TABLE alert_silences (
	id         BIGSERIAL PRIMARY KEY,
	scope      TEXT COLLATE "C" NOT NULL CHECK (scope IN ('site', 'group')),
	scope_id   BIGINT NOT NULL,
	what       TEXT COLLATE "C" NOT NULL CHECK (what IN ('maintenance', 'suppress')),
	family     TEXT COLLATE "C",
	starts_at  BIGINT NOT NULL,
	ends_at    BIGINT,
	reason     TEXT,
	created_by TEXT,
	created_at BIGINT NOT NULL
);
CREATE INDEX alert_silences_scope ON alert_silences(scope, scope_id);

CREATE TABLE channels (
	id           BIGSERIAL PRIMARY KEY,
	name         TEXT COLLATE "C" NOT NULL UNIQUE,
	kind         TEXT COLLATE "C" NOT NULL CHECK (kind IN ('webhook', 'dingtalk', 'wecom', 'smtp', 'syslog')),
	url          TEXT NOT NULL,
	secret       TEXT,
	recipients   TEXT,
	sender       TEXT,
	scope        TEXT COLLATE "C" NOT NULL CHECK (scope IN ('all', 'dept', 'group', 'site', 'responsible')),
	scope_id     BIGINT,
	min_severity TEXT COLLATE "C" NOT NULL,
	digest_after BIGINT NOT NULL,
	enabled      INTEGER NOT NULL DEFAULT 1,
	created_at   BIGINT NOT NULL
);

CREATE TABLE notify_queue (
	id          BIGSERIAL PRIMARY KEY,
	channel_id  BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE DEFERRABLE,
	idem_key    TEXT COLLATE "C" NOT NULL UNIQUE,
	event       TEXT COLLATE "C" NOT NULL,
	alert_id    BIGINT,
	incident_id BIGINT,
	site_id     BIGINT,
	severity    TEXT COLLATE "C" NOT NULL,
	subject     TEXT NOT NULL,
	body        TEXT NOT NULL,
	recipients  TEXT,
	state       TEXT COLLATE "C" NOT NULL CHECK (state IN ('queued', 'sent', 'digested')),
	attempts    BIGINT NOT NULL DEFAULT 0,
	next_at     BIGINT NOT NULL,
	created_at  BIGINT NOT NULL,
	sent_at     BIGINT,
	last_error  TEXT,
	digest_id   BIGINT
);
CREATE INDEX notify_queue_due ON notify_queue(state, channel_id, next_at);

CREATE TABLE incidents (
	id             BIGSERIAL PRIMARY KEY,
	site_id        BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	title          TEXT NOT NULL,
	severity       TEXT COLLATE "C" NOT NULL,
	major          BIGINT NOT NULL DEFAULT 0,
	state          TEXT COLLATE "C" NOT NULL CHECK (state IN ('open', 'closed')),
	source         TEXT COLLATE "C" NOT NULL CHECK (source IN ('auto', 'manual')),
	opened_at      BIGINT NOT NULL,
	opened_by      TEXT,
	closed_at      BIGINT,
	cause          TEXT,
	fix            TEXT,
	accountability TEXT
);
CREATE INDEX incidents_site ON incidents(site_id, state);

CREATE TABLE incident_alerts (
	incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE DEFERRABLE,
	alert_id    BIGINT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE DEFERRABLE,
	PRIMARY KEY (incident_id, alert_id)
);

CREATE TABLE incident_steps (
	id          BIGSERIAL PRIMARY KEY,
	incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE DEFERRABLE,
	step        TEXT COLLATE "C" NOT NULL,
	at          BIGINT NOT NULL,
	actor       TEXT,
	note        TEXT
);
CREATE INDEX incident_steps_incident ON incident_steps(incident_id, id);

CREATE TABLE incident_overdue (
	incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE DEFERRABLE,
	step        TEXT COLLATE "C" NOT NULL,
	raised_at   BIGINT NOT NULL,
	PRIMARY KEY (incident_id, step)
);

CREATE TABLE response_plans (
	id         BIGSERIAL PRIMARY KEY,
	name       TEXT COLLATE "C" NOT NULL UNIQUE,
	scope      TEXT COLLATE "C" NOT NULL CHECK (scope IN ('all', 'group', 'site')),
	scope_id   BIGINT,
	body       TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE drills (
	id         BIGSERIAL PRIMARY KEY,
	plan_id    BIGINT REFERENCES response_plans(id) ON DELETE SET NULL DEFERRABLE,
	held_on    TEXT NOT NULL,
	scenario   TEXT NOT NULL,
	result     TEXT NOT NULL,
	note       TEXT,
	created_at BIGINT NOT NULL
);
