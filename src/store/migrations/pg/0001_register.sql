-- 0001: the register, PostgreSQL dialect of ../sqlite/0001_register.sql.
-- Same tables, columns, constraints and indexes; the comments there explain
-- them.  What differs, and why:
--  * ids are BIGSERIAL (SQLite's INTEGER PRIMARY KEY is a 64-bit rowid) and
--    references BIGINT;
--  * every TEXT column has the "C" collation: SQLite compares text byte by
--    byte, so ORDER BY, the range filters on region codes and LIKE (run as
--    ILIKE, which under "C" folds ASCII only, like SQLite's LIKE) behave
--    the same whatever locale the database was created with;
--  * dates stay TEXT in the same ISO 8601 form, so values round-trip
--    identically between the backends (the store writes them from C; the
--    defaults serve hand-written SQL only);
--  * references are DEFERRABLE (still checked per statement unless a
--    transaction asks otherwise), so `sitewarden migrate` can copy rows in
--    id order even when a department names a parent with a larger id.

CREATE TABLE regions (
	id          BIGSERIAL PRIMARY KEY,
	code        TEXT COLLATE "C" NOT NULL UNIQUE CHECK (length(code) = 6),
	name        TEXT COLLATE "C" NOT NULL,
	parent_code TEXT COLLATE "C",
	level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
	created_at  TEXT COLLATE "C" NOT NULL
	            DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	updated_at  TEXT COLLATE "C" NOT NULL
	            DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);

CREATE TABLE departments (
	id          BIGSERIAL PRIMARY KEY,
	name        TEXT COLLATE "C" NOT NULL,
	kind        TEXT COLLATE "C" NOT NULL DEFAULT 'competent',
	region      TEXT COLLATE "C" NOT NULL,
	parent_id   BIGINT REFERENCES departments(id) ON DELETE RESTRICT DEFERRABLE,
	phone       TEXT COLLATE "C",
	note        TEXT COLLATE "C",
	created_at  TEXT COLLATE "C" NOT NULL
	            DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	updated_at  TEXT COLLATE "C" NOT NULL
	            DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	UNIQUE (name, region)
);

CREATE TABLE units (
	id          BIGSERIAL PRIMARY KEY,
	name        TEXT COLLATE "C" NOT NULL,
	type        TEXT COLLATE "C" NOT NULL,
	credit_code TEXT COLLATE "C" UNIQUE,
	region      TEXT COLLATE "C" NOT NULL,
	dept_id     BIGINT REFERENCES departments(id) ON DELETE RESTRICT DEFERRABLE,
	address     TEXT COLLATE "C",
	note        TEXT COLLATE "C",
	created_at  TEXT COLLATE "C" NOT NULL
	            DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	updated_at  TEXT COLLATE "C" NOT NULL
	            DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX units_region ON units(region);
CREATE INDEX units_name ON units(name);
CREATE INDEX units_dept ON units(dept_id);

CREATE TABLE site_groups (
	id          BIGSERIAL PRIMARY KEY,
	name        TEXT COLLATE "C" NOT NULL UNIQUE,
	dept_id     BIGINT REFERENCES departments(id) ON DELETE RESTRICT DEFERRABLE,
	platform    TEXT COLLATE "C",
	note        TEXT COLLATE "C",
	created_at  TEXT COLLATE "C" NOT NULL
	            DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	updated_at  TEXT COLLATE "C" NOT NULL
	            DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);

CREATE TABLE sites (
	id               BIGSERIAL PRIMARY KEY,
	name             TEXT COLLATE "C" NOT NULL,
	url              TEXT COLLATE "C" NOT NULL UNIQUE,
	domains          TEXT COLLATE "C",
	ips              TEXT COLLATE "C",
	hosting          TEXT COLLATE "C",
	unit_id          BIGINT NOT NULL REFERENCES units(id) ON DELETE RESTRICT DEFERRABLE,
	group_id         BIGINT REFERENCES site_groups(id) ON DELETE RESTRICT DEFERRABLE,
	status           TEXT COLLATE "C" NOT NULL DEFAULT 'online',
	launch_date      TEXT COLLATE "C",
	icp              TEXT COLLATE "C",
	psb              TEXT COLLATE "C",
	gov_code         TEXT COLLATE "C",
	badge            INTEGER,
	review_state     TEXT COLLATE "C" NOT NULL DEFAULT 'pending',
	review_date      TEXT COLLATE "C",
	reviewer         TEXT COLLATE "C",
	review_note      TEXT COLLATE "C",
	mlps_grade       INTEGER CHECK (mlps_grade BETWEEN 1 AND 5),
	mlps_grading_date TEXT COLLATE "C",
	mlps_filing_no   TEXT COLLATE "C",
	mlps_filing_date TEXT COLLATE "C",
	mlps_assess_date TEXT COLLATE "C",
	mlps_agency      TEXT COLLATE "C",
	mlps_result      TEXT COLLATE "C",
	mlps_next_due    TEXT COLLATE "C",
	note             TEXT COLLATE "C",
	created_at       TEXT COLLATE "C" NOT NULL
	                 DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	updated_at       TEXT COLLATE "C" NOT NULL
	                 DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX sites_unit ON sites(unit_id);
CREATE INDEX sites_group ON sites(group_id);

-- SQLite's WITHOUT ROWID has no counterpart: an ordinary table, same key.
CREATE TABLE site_domains (
	domain   TEXT COLLATE "C" PRIMARY KEY,
	site_id  BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX site_domains_site ON site_domains(site_id);

CREATE TABLE persons (
	id          BIGSERIAL PRIMARY KEY,
	name        TEXT COLLATE "C" NOT NULL,
	role        TEXT COLLATE "C" NOT NULL,
	phone       TEXT COLLATE "C",
	email       TEXT COLLATE "C",
	title       TEXT COLLATE "C",
	unit_id     BIGINT REFERENCES units(id) ON DELETE RESTRICT DEFERRABLE,
	note        TEXT COLLATE "C",
	created_at  TEXT COLLATE "C" NOT NULL
	            DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	updated_at  TEXT COLLATE "C" NOT NULL
	            DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX persons_unit ON persons(unit_id);

CREATE TABLE site_persons (
	site_id   BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	person_id BIGINT NOT NULL REFERENCES persons(id) ON DELETE CASCADE DEFERRABLE,
	role      TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (site_id, person_id, role)
);
CREATE INDEX site_persons_person ON site_persons(person_id);

CREATE TABLE policy_settings (
	scope     TEXT COLLATE "C" NOT NULL CHECK (scope IN ('global','group','site')),
	scope_id  BIGINT NOT NULL,
	key       TEXT COLLATE "C" NOT NULL,
	value     TEXT COLLATE "C" NOT NULL,
	updated_at TEXT COLLATE "C" NOT NULL
	           DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	PRIMARY KEY (scope, scope_id, key)
);
