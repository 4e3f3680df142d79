-- 0008: compliance tracking, PostgreSQL dialect of ../sqlite/0008_compliance.sql
-- Event times are unix seconds (INTEGER) as in 0003, so the clock the
-- callers pass in (tests set it) is what gets stored; calendar dates a
-- person chose (deadlines, review and assessment dates) are YYYY-MM-DD
-- text as in the register.

-- Qualification review campaigns (开办审核/资格复核): the sites are chosen
-- when the campaign opens (region subtree, unit type, group; NULL: any)
-- and copied into review_items, so later register changes do not move
-- the campaign's denominator.
CREATE TABLE review_campaigns (
	id          BIGSERIAL PRIMARY KEY,
	name        TEXT COLLATE "C" NOT NULL UNIQUE,
	kind        TEXT COLLATE "C" NOT NULL CHECK (kind IN ('opening', 'recheck')),
	region      TEXT COLLATE "C",
	unit_type   TEXT COLLATE "C",
	group_id    BIGINT REFERENCES site_groups(id) ON DELETE SET NULL DEFERRABLE,
	deadline    TEXT COLLATE "C" NOT NULL,
	created_at  BIGINT NOT NULL,
	note        TEXT COLLATE "C"
);

-- One site in one campaign and its decision (NULL until decided).
CREATE TABLE review_items (
	id          BIGSERIAL PRIMARY KEY,
	campaign_id BIGINT NOT NULL REFERENCES review_campaigns(id) ON DELETE CASCADE DEFERRABLE,
	site_id     BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	decision    TEXT COLLATE "C" CHECK (decision IN ('approved', 'rejected')),
	reviewer    TEXT COLLATE "C",
	decided_on  TEXT COLLATE "C",
	decided_at  BIGINT,
	note        TEXT COLLATE "C",
	UNIQUE (campaign_id, site_id)
);
CREATE INDEX review_items_site ON review_items(site_id);

-- What a rejection opens: domain clean-up and ICP filing cancellation,
-- each tracked to done.
CREATE TABLE review_tasks (
	id          BIGSERIAL PRIMARY KEY,
	item_id     BIGINT NOT NULL REFERENCES review_items(id) ON DELETE CASCADE DEFERRABLE,
	site_id     BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	kind        TEXT COLLATE "C" NOT NULL CHECK (kind IN ('domain_cleanup', 'icp_cancel')),
	status      TEXT COLLATE "C" NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
	created_at  BIGINT NOT NULL,
	done_at     BIGINT,
	done_by     TEXT COLLATE "C",
	note        TEXT COLLATE "C",
	UNIQUE (item_id, kind)
);
CREATE INDEX review_tasks_site ON review_tasks(site_id);

-- Logged overrides of the register's status rules (a rejected site kept
-- online, a launch without a recent passing check).  used_at is set when
-- the status change it allowed was written: one override, one change.
CREATE TABLE status_overrides (
	id          BIGSERIAL PRIMARY KEY,
	site_id     BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	to_status   TEXT COLLATE "C" NOT NULL,
	actor       TEXT COLLATE "C" NOT NULL,
	reason      TEXT COLLATE "C" NOT NULL,
	created_at  BIGINT NOT NULL,
	used_at     BIGINT
);
CREATE INDEX status_overrides_site ON status_overrides(site_id);

-- Results of `sitewarden check --record` for register sites: the
-- pre-launch gate (上线前安全检测) looks for a recent pass here.
CREATE TABLE gate_checks (
	id          BIGSERIAL PRIMARY KEY,
	site_id     BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	checked_at  BIGINT NOT NULL,
	passed      INTEGER NOT NULL CHECK (passed IN (0, 1)),
	worst       TEXT COLLATE "C",
	findings    INTEGER NOT NULL,
	url         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX gate_checks_site ON gate_checks(site_id, checked_at);

-- MLPS (等级保护) history; the register's mlps_* fields hold the current
-- grade, filing and last assessment.
CREATE TABLE mlps_gradings (
	id           BIGSERIAL PRIMARY KEY,
	site_id      BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	grade        INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 5),
	grading_date TEXT COLLATE "C" NOT NULL,
	basis        TEXT COLLATE "C",
	created_at   BIGINT NOT NULL
);
CREATE INDEX mlps_gradings_site ON mlps_gradings(site_id);

CREATE TABLE mlps_assessments (
	id          BIGSERIAL PRIMARY KEY,
	site_id     BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	agency      TEXT COLLATE "C" NOT NULL,
	assess_date TEXT COLLATE "C" NOT NULL,
	score       TEXT COLLATE "C",
	result      TEXT COLLATE "C" NOT NULL CHECK (result IN ('pass', 'basic_pass', 'fail')),
	report_ref  TEXT COLLATE "C",
	created_at  BIGINT NOT NULL
);
CREATE INDEX mlps_assessments_site ON mlps_assessments(site_id, assess_date);

-- Rectification items (隐患整改).  source_ref names what the item came
-- from (an assessment id, a check id, an incident id, an inspection's
-- reference); finding_kind ties a monitoring item to the finding whose
-- disappearance makes it ready for verification.  overdue_at and
-- escalated_at are set once each and never cleared, which is what makes
-- an item escalate exactly once.
CREATE TABLE rectifications (
	id              BIGSERIAL PRIMARY KEY,
	site_id         BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	source          TEXT COLLATE "C" NOT NULL CHECK (source IN ('assessment', 'finding', 'incident', 'inspection')),
	source_ref      TEXT COLLATE "C",
	finding_kind    TEXT COLLATE "C",
	severity        TEXT COLLATE "C" NOT NULL,
	title           TEXT COLLATE "C" NOT NULL,
	owner           TEXT COLLATE "C",
	deadline        TEXT COLLATE "C" NOT NULL,
	status          TEXT COLLATE "C" NOT NULL DEFAULT 'open'
	                CHECK (status IN ('open', 'in_progress', 'fixed', 'verified', 'overdue')),
	ready_to_verify INTEGER NOT NULL DEFAULT 0,
	evidence        TEXT COLLATE "C",
	created_at      BIGINT NOT NULL,
	updated_at      BIGINT NOT NULL,
	fixed_at        BIGINT,
	verified_at     BIGINT,
	overdue_at      BIGINT,
	escalated_at    BIGINT
);
CREATE INDEX rectifications_site ON rectifications(site_id);
CREATE INDEX rectifications_status ON rectifications(status, deadline);

-- Escalations of overdue items, one per item at most (UNIQUE): the
-- notification queue (alerts) reads the undelivered ones.
CREATE TABLE rectification_escalations (
	id           BIGSERIAL PRIMARY KEY,
	item_id      BIGINT NOT NULL UNIQUE REFERENCES rectifications(id) ON DELETE CASCADE DEFERRABLE,
	site_id      BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	created_at   BIGINT NOT NULL,
	deadline     TEXT COLLATE "C" NOT NULL,
	title        TEXT COLLATE "C" NOT NULL,
	delivered_at BIGINT
);
