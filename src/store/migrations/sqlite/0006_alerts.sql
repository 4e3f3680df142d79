-- 0006: alerts, notifications and incidents (src/store/alert.c, notify.c,
-- incident.c).  Times are unix seconds, as in 0003: deadlines, back-off and
-- windows are compared and added on every tick.  Check ids are kept as
-- plain integers, not references: retention prunes old checks while the
-- alerts and incidents that saw them stay.

-- One alert per (site, kind, fingerprint): the fingerprint is the finding's
-- stable identity (a dark link's target domain, a script's URL), so the
-- same problem seen in a hundred checks is one row with a count.  state:
-- open, acknowledged, resolved (by a clean check or by hand), suppressed
-- (by hand until suppressed_until, or by a maintenance window/suppression).
CREATE TABLE alerts (
	id               INTEGER PRIMARY KEY,
	site_id          INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	kind             TEXT NOT NULL,
	fingerprint      TEXT NOT NULL,
	severity         TEXT NOT NULL,
	title            TEXT NOT NULL,
	evidence         TEXT,
	state            TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved', 'suppressed')),
	count            INTEGER NOT NULL,
	first_seen       INTEGER NOT NULL,
	last_seen        INTEGER NOT NULL,
	first_check_id   INTEGER,
	last_check_id    INTEGER,
	state_at         INTEGER NOT NULL,
	state_by         TEXT,
	note             TEXT,
	suppressed_until INTEGER,
	UNIQUE (site_id, kind, fingerprint)
);
CREATE INDEX alerts_state ON alerts(state, site_id);

-- Every check an alert's finding was seen in (evidence export walks them).
CREATE TABLE alert_checks (
	alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
	check_id INTEGER NOT NULL,
	PRIMARY KEY (alert_id, check_id)
);

-- Silences of a site or group: 'maintenance' windows (start and end) and
-- 'suppress' rules (end NULL: until removed), optionally of one family.
CREATE TABLE alert_silences (
	id         INTEGER PRIMARY KEY,
	scope      TEXT NOT NULL CHECK (scope IN ('site', 'group')),
	scope_id   INTEGER NOT NULL,
	what       TEXT NOT NULL CHECK (what IN ('maintenance', 'suppress')),
	family     TEXT,
	starts_at  INTEGER NOT NULL,
	ends_at    INTEGER,
	reason     TEXT,
	created_by TEXT,
	created_at INTEGER NOT NULL
);
CREATE INDEX alert_silences_scope ON alert_silences(scope, scope_id);

-- Notification channels.  scope says whose alerts go there: 'all', a
-- department's, a group's or a site's (scope_id), or 'responsible' (mail
-- to the site's responsible persons from the register).
CREATE TABLE channels (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,
	kind         TEXT NOT NULL CHECK (kind IN ('webhook', 'dingtalk', 'wecom', 'smtp', 'syslog')),
	url          TEXT NOT NULL,
	secret       TEXT,
	recipients   TEXT,
	sender       TEXT,
	scope        TEXT NOT NULL CHECK (scope IN ('all', 'dept', 'group', 'site', 'responsible')),
	scope_id     INTEGER,
	min_severity TEXT NOT NULL,
	digest_after INTEGER NOT NULL,
	enabled      INTEGER NOT NULL DEFAULT 1,
	created_at   INTEGER NOT NULL
);

-- The outbox: one row per message and channel, written in the transaction
-- that changed the alert.  idem_key is sent with the message so receivers
-- can drop a repeat.  state: queued, sent, digested (went inside the
-- digest row digest_id).
CREATE TABLE notify_queue (
	id          INTEGER PRIMARY KEY,
	channel_id  INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
	idem_key    TEXT NOT NULL UNIQUE,
	event       TEXT NOT NULL,
	alert_id    INTEGER,
	incident_id INTEGER,
	site_id     INTEGER,
	severity    TEXT NOT NULL,
	subject     TEXT NOT NULL,
	body        TEXT NOT NULL,
	recipients  TEXT,
	state       TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'digested')),
	attempts    INTEGER NOT NULL DEFAULT 0,
	next_at     INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	sent_at     INTEGER,
	last_error  TEXT,
	digest_id   INTEGER
);
CREATE INDEX notify_queue_due ON notify_queue(state, channel_id, next_at);

-- Incidents (应急处置) and the steps of the plan's reporting chain.
CREATE TABLE incidents (
	id             INTEGER PRIMARY KEY,
	site_id        INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	title          TEXT NOT NULL,
	severity       TEXT NOT NULL,
	major          INTEGER NOT NULL DEFAULT 0,
	state          TEXT NOT NULL CHECK (state IN ('open', 'closed')),
	source         TEXT NOT NULL CHECK (source IN ('auto', 'manual')),
	opened_at      INTEGER NOT NULL,
	opened_by      TEXT,
	closed_at      INTEGER,
	cause          TEXT,
	fix            TEXT,
	accountability TEXT
);
CREATE INDEX incidents_site ON incidents(site_id, state);

CREATE TABLE incident_alerts (
	incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
	alert_id    INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
	PRIMARY KEY (incident_id, alert_id)
);

CREATE TABLE incident_steps (
	id          INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
	step        TEXT NOT NULL,
	at          INTEGER NOT NULL,
	actor       TEXT,
	note        TEXT
);
CREATE INDEX incident_steps_incident ON incident_steps(incident_id, id);

-- A step that missed its deadline, raised once (the primary key).
CREATE TABLE incident_overdue (
	incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
	step        TEXT NOT NULL,
	raised_at   INTEGER NOT NULL,
	PRIMARY KEY (incident_id, step)
);

-- Emergency plans (应急预案) of a site, a group or everything, and drills
-- (应急演练) held on them.
CREATE TABLE response_plans (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	scope      TEXT NOT NULL CHECK (scope IN ('all', 'group', 'site')),
	scope_id   INTEGER,
	body       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE drills (
	id         INTEGER PRIMARY KEY,
	plan_id    INTEGER REFERENCES response_plans(id) ON DELETE SET NULL,
	held_on    TEXT NOT NULL,
	scenario   TEXT NOT NULL,
	result     TEXT NOT NULL,
	note       TEXT,
	created_at INTEGER NOT NULL
);
