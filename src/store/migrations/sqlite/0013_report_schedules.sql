-- 0013: scheduled reports (src/compliance/schedule.c,
-- src/store/compliance_sched.c).  A schedule names a report (bulletin or
-- progress), its period length (week or month), its scope, the file
-- format and the notification channel it goes to.  Times are unix seconds.
CREATE TABLE report_schedules (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	kind       TEXT NOT NULL CHECK (kind IN ('bulletin', 'progress')),
	every      TEXT NOT NULL CHECK (every IN ('week', 'month')),
	region     TEXT,
	unit_type  TEXT,
	dept_id    INTEGER REFERENCES departments(id) ON DELETE CASCADE,
	group_id   INTEGER REFERENCES site_groups(id) ON DELETE CASCADE,
	format     TEXT NOT NULL CHECK (format IN ('xlsx', 'csv', 'html')),
	channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
	link_base  TEXT,
	created_at INTEGER NOT NULL
);

-- One row per schedule and period, made by the first tick after the
-- period ends: the UNIQUE key is what makes "once per period" hold across
-- ticks, restarts and several processes on one database.  The rendered
-- file is kept (base64) so a send that fails is retried with the same
-- bytes, and so the link a chat channel gets can be downloaded.  state:
-- queued until the channel accepted it, then sent.
CREATE TABLE report_runs (
	id          INTEGER PRIMARY KEY,
	schedule_id INTEGER NOT NULL REFERENCES report_schedules(id) ON DELETE CASCADE,
	period      TEXT NOT NULL,
	file_name   TEXT NOT NULL,
	content     TEXT NOT NULL,
	size        INTEGER NOT NULL,
	state       TEXT NOT NULL CHECK (state IN ('queued', 'sent')),
	attempts    INTEGER NOT NULL DEFAULT 0,
	next_at     INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	sent_at     INTEGER,
	last_error  TEXT,
	UNIQUE (schedule_id, period)
);
CREATE INDEX report_runs_due ON report_runs(state, next_at);
