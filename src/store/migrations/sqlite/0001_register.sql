-- 0001: the register.  Every table the later capabilities fill in starts
-- here with the fields the 2015 plan asks the register to carry.
-- Codes are stored as stable English keys; the Chinese labels live in the
-- model tables of the program (src/model/entities.c).

-- GB/T 2260 regions.  parent_code is not a foreign key on purpose: users
-- import cities and counties in any order and units may name a county whose
-- row is not loaded yet (sub-region queries use the code ranges).
CREATE TABLE regions (
	id          INTEGER PRIMARY KEY,
	code        TEXT NOT NULL UNIQUE CHECK (length(code) = 6),
	name        TEXT NOT NULL,
	parent_code TEXT,
	level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
	created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);

-- Supervising departments (主管/监管部门).
CREATE TABLE departments (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,
	kind        TEXT NOT NULL DEFAULT 'competent',
	region      TEXT NOT NULL,
	parent_id   INTEGER REFERENCES departments(id) ON DELETE RESTRICT,
	phone       TEXT,
	note        TEXT,
	created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	UNIQUE (name, region)
);

-- Sponsoring units (开办/主办单位).
CREATE TABLE units (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,
	type        TEXT NOT NULL,
	credit_code TEXT UNIQUE,
	region      TEXT NOT NULL,
	dept_id     INTEGER REFERENCES departments(id) ON DELETE RESTRICT,
	address     TEXT,
	note        TEXT,
	created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX units_region ON units(region);
CREATE INDEX units_name ON units(name);
CREATE INDEX units_dept ON units(dept_id);

-- Website groups (网站群).  Their policy lives in policy_settings.
CREATE TABLE site_groups (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	dept_id     INTEGER REFERENCES departments(id) ON DELETE RESTRICT,
	platform    TEXT,
	note        TEXT,
	created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);

-- Websites.  domains and ips hold the canonical ';'-joined lists as the
-- register shows them; site_domains indexes every host name for uniqueness
-- and look-up.
CREATE TABLE sites (
	id               INTEGER PRIMARY KEY,
	name             TEXT NOT NULL,
	url              TEXT NOT NULL UNIQUE,
	domains          TEXT,
	ips              TEXT,
	hosting          TEXT,
	unit_id          INTEGER NOT NULL REFERENCES units(id) ON DELETE RESTRICT,
	group_id         INTEGER REFERENCES site_groups(id) ON DELETE RESTRICT,
	status           TEXT NOT NULL DEFAULT 'online',
	launch_date      TEXT,
	icp              TEXT,
	psb              TEXT,
	gov_code         TEXT,
	badge            INTEGER,
	review_state     TEXT NOT NULL DEFAULT 'pending',
	review_date      TEXT,
	reviewer         TEXT,
	review_note      TEXT,
	mlps_grade       INTEGER CHECK (mlps_grade BETWEEN 1 AND 5),
	mlps_grading_date TEXT,
	mlps_filing_no   TEXT,
	mlps_filing_date TEXT,
	mlps_assess_date TEXT,
	mlps_agency      TEXT,
	mlps_result      TEXT,
	mlps_next_due    TEXT,
	note             TEXT,
	created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX sites_unit ON sites(unit_id);
CREATE INDEX sites_group ON sites(group_id);

-- WITHOUT ROWID: the key is the table, one b-tree instead of two.
CREATE TABLE site_domains (
	domain   TEXT PRIMARY KEY,
	site_id  INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX site_domains_site ON site_domains(site_id);

-- Responsible persons (谁主管谁负责、谁运营谁负责).
CREATE TABLE persons (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,
	role        TEXT NOT NULL,
	phone       TEXT,
	email       TEXT,
	title       TEXT,
	unit_id     INTEGER REFERENCES units(id) ON DELETE RESTRICT,
	note        TEXT,
	created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX persons_unit ON persons(unit_id);

-- A person is responsible for a site in one role (a person may hold
-- different roles on different sites).
CREATE TABLE site_persons (
	site_id   INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
	role      TEXT NOT NULL,
	PRIMARY KEY (site_id, person_id, role)
) WITHOUT ROWID;
CREATE INDEX site_persons_person ON site_persons(person_id);

-- Policies inherited global -> group -> site, one row per overridden field.
-- scope is 'global' (scope_id 0), 'group' or 'site'; a missing row means
-- "inherit".  Keys and value syntax are defined by src/model/policy.c.
CREATE TABLE policy_settings (
	scope     TEXT NOT NULL CHECK (scope IN ('global','group','site')),
	scope_id  INTEGER NOT NULL,
	key       TEXT NOT NULL,
	value     TEXT NOT NULL,
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	PRIMARY KEY (scope, scope_id, key)
);
