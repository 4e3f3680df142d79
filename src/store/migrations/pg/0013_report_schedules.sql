-- 0013: PostgreSQL dialect of ../sqlite/0013_report_schedules.sql.
CREATE TABLE report_schedules (
	id         BIGSERIAL PRIMARY KEY,
	name       TEXT COLLATE "C" NOT NULL UNIQUE,
	kind       TEXT COLLATE "C" NOT NULL CHECK (kind IN ('bulletin', 'progress')),
	every      TEXT COLLATE "C" NOT NULL CHECK (every IN ('week', 'month')),
	region     TEXT COLLATE "C",
	unit_type  TEXT COLLATE "C",
	dept_id    BIGINT REFERENCES departments(id) ON DELETE CASCADE DEFERRABLE,
	group_id   BIGINT REFERENCES site_groups(id) ON DELETE CASCADE DEFERRABLE,
	format     TEXT COLLATE "C" NOT NULL CHECK (format IN ('xlsx', 'csv', 'html')),
	channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE DEFERRABLE,
	link_base  TEXT COLLATE "C",
	created_at BIGINT NOT NULL
);

CREATE TABLE report_runs (
	id          BIGSERIAL PRIMARY KEY,
	schedule_id BIGINT NOT NULL REFERENCES report_schedules(id) ON DELETE CASCADE DEFERRABLE,
	period      TEXT COLLATE "C" NOT NULL,
	file_name   TEXT COLLATE "C" NOT NULL,
	content     TEXT COLLATE "C" NOT NULL,
	size        BIGINT NOT NULL,
	state       TEXT COLLATE "C" NOT NULL CHECK (state IN ('queued', 'sent')),
	attempts    BIGINT NOT NULL DEFAULT 0,
	next_at     BIGINT NOT NULL,
	created_at  BIGINT NOT NULL,
	sent_at     BIGINT,
	last_error  TEXT COLLATE "C",
	UNIQUE (schedule_id, period)
);
CREATE INDEX report_runs_due ON report_runs(state, next_at);
