-- 0010: rollups for the dashboard's overview (src/store/overview.c).
-- A year of checks every five minutes is about 105,000 rows per site, far
-- too many to scan per request, so every recorded check also adds itself
-- to two daily rollups in the same transaction (sw_store_check_record):
--
-- site_daily: per site and UTC day (unix seconds / 86400): how many
-- checks, how many succeeded, and the findings of the day's latest check
-- (so a day's sum over sites is the findings open at its end).  Serves
-- narrow views (a group, a department's units, an operator's unit) and a
-- site's availability history.
--
-- region_daily: the same summed per day, the unit's region code and unit
-- type at the time of the check.  Serves the wide views (everything, a
-- province, a city; a unit type) in about 30 x regions x types rows.
CREATE TABLE site_daily (
	site_id   INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	day       INTEGER NOT NULL,
	checks    INTEGER NOT NULL,
	up_checks INTEGER NOT NULL,
	findings  INTEGER NOT NULL,
	PRIMARY KEY (site_id, day)
) WITHOUT ROWID;

CREATE TABLE region_daily (
	day       INTEGER NOT NULL,
	region    TEXT NOT NULL,
	unit_type TEXT NOT NULL,
	checks    INTEGER NOT NULL,
	up_checks INTEGER NOT NULL,
	findings  INTEGER NOT NULL,
	PRIMARY KEY (day, region, unit_type)
) WITHOUT ROWID;

-- The sites with open findings, without visiting the others.
CREATE INDEX site_state_open ON site_state(open_findings) WHERE open_findings > 0;
