-- 0009: what the monitoring engine remembers per site besides its
-- schedule: when the exposure path probe last ran (it runs at most once a
-- day per site, not at every check).  Unix seconds, as in 0003.
CREATE TABLE site_probe_marks (
	site_id     INTEGER PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
	exposure_at INTEGER
);
