-- 0008: compliance tracking (src/compliance/, src/store/compliance*.c).
-- Event times are unix seconds (INTEGER) as in 0003, so the clock the
-- callers pass in (tests set it) is what gets stored; calendar dates a
-- person chose (deadlines, review and assessment dates) are YYYY-MM-DD
-- text as in the register.

-- Qualification review campaigns (开办审核/资格复核): the sites are chosen
-- when the campaign opens (region subtree, unit type, group; NULL: any)
-- and copied into review_items, so later register changes do not move
-- the campaign's denominator.
CREATE TABLE review_campaigns (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	kind        TEXT NOT NULL CHECK (kind IN ('opening', 'recheck')),
	region      TEXT,
	unit_type   TEXT,
	group_id    INTEGER REFERENCES site_groups(id) ON DELETE SET NULL,
	deadline    TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	note        TEXT
);

-- One site in one campaign and its decision (NULL until decided).
CREATE TABLE review_items (
	id          INTEGER PRIMARY KEY,
	campaign_id INTEGER NOT NULL REFERENCES review_campaigns(id) ON DELETE CASCADE,
	site_id     INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	decision    TEXT CHECK (decision IN ('approved', 'rejected')),
	reviewer    TEXT,
	decided_on  TEXT,
	decided_at  INTEGER,
	note        TEXT,
	UNIQUE (campaign_id, site_id)
);
CREATE INDEX review_items_site ON review_items(site_id);

-- What a rejection opens: domain clean-up and ICP filing cancellation,
-- each tracked to done.
CREATE TABLE review_tasks (
	id          INTEGER PRIMARY KEY,
	item_id     INTEGER NOT NULL REFERENCES review_items(id) ON DELETE CASCADE,
	site_id     INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	kind        TEXT NOT NULL CHECK (kind IN ('domain_cleanup', 'icp_cancel')),
	status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
	created_at  INTEGER NOT NULL,
	done_at     INTEGER,
	done_by     TEXT,
	note        TEXT,
	UNIQUE (item_id, kind)
);
CREATE INDEX review_tasks_site ON review_tasks(site_id);

-- Logged overrides of the register's status rules (a rejected site kept
-- online, a launch without a recent passing check).  used_at is set when
-- the status change it allowed was written: one override, one change.
CREATE TABLE status_overrides (
	id          INTEGER PRIMARY KEY,
	site_id     INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	to_status   TEXT NOT NULL,
	actor       TEXT NOT NULL,
	reason      TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	used_at     INTEGER
);
CREATE INDEX status_overrides_site ON status_overrides(site_id);

-- Results of `sitewarden check --record` for register sites: the
-- pre-launch gate (上线前安全检测) looks for a recent pass here.
CREATE TABLE gate_checks (
	id          INTEGER PRIMARY KEY,
	site_id     INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	checked_at  INTEGER NOT NULL,
	passed      INTEGER NOT NULL CHECK (passed IN (0, 1)),
	worst       TEXT,
	findings    INTEGER NOT NULL,
	url         TEXT NOT NULL
);
CREATE INDEX gate_checks_site ON gate_checks(site_id, checked_at);

-- MLPS (等级保护) history; the register's mlps_* fields hold the current
-- grade, filing and last assessment.
CREATE TABLE mlps_gradings (
	id           INTEGER PRIMARY KEY,
	site_id      INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	grade        INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 5),
	grading_date TEXT NOT NULL,
	basis        TEXT,
	created_at   INTEGER NOT NULL
);
CREATE INDEX mlps_gradings_site ON mlps_gradings(site_id);

CREATE TABLE mlps_assessments (
	id          INTEGER PRIMARY KEY,
	site_id     INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	agency      TEXT NOT NULL,
	assess_date TEXT NOT NULL,
	score       TEXT,
	result      TEXT NOT NULL CHECK (result IN ('pass', 'basic_pass', 'fail')),
	report_ref  TEXT,
	created_at  INTEGER NOT NULL
);
CREATE INDEX mlps_assessments_site ON mlps_assessments(site_id, assess_date);

-- Rectification items (隐患整改).  source_ref names what the item came
-- from (an assessment id, a check id, an incident id, an inspection's
-- reference); finding_kind ties a monitoring item to the finding whose
-- disappearance makes it ready for verification.  overdue_at and
-- escalated_at are set once each and never cleared, which is what makes
-- an item escalate exactly once.
CREATE TABLE rectifications (
	id              INTEGER PRIMARY KEY,
	site_id         INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	source          TEXT NOT NULL CHECK (source IN ('assessment', 'finding', 'incident', 'inspection')),
	source_ref      TEXT,
	finding_kind    TEXT,
	severity        TEXT NOT NULL,
	title           TEXT NOT NULL,
	owner           TEXT,
	deadline        TEXT NOT NULL,
	status          TEXT NOT NULL DEFAULT 'open'
	                CHECK (status IN ('open', 'in_progress', 'fixed', 'verified', 'overdue')),
	ready_to_verify INTEGER NOT NULL DEFAULT 0,
	evidence        TEXT,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	fixed_at        INTEGER,
	verified_at     INTEGER,
	overdue_at      INTEGER,
	escalated_at    INTEGER
);
CREATE INDEX rectifications_site ON rectifications(site_id);
CREATE INDEX rectifications_status ON rectifications(status, deadline);

-- Escalations of overdue items, one per item at most (UNIQUE): the
-- notification queue (alerts) reads the undelivered ones.
CREATE TABLE rectification_escalations (
	id           INTEGER PRIMARY KEY,
	item_id      INTEGER NOT NULL UNIQUE REFERENCES rectifications(id) ON DELETE CASCADE,
	site_id      INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	created_at   INTEGER NOT NULL,
	deadline     TEXT NOT NULL,
	title        TEXT NOT NULL,
	delivered_at INTEGER
);
