-- 0009: PostgreSQL dialect of ../sqlite/0009_engine.sql.
CREATE TABLE site_probe_marks (
	site_id     BIGINT PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	exposure_at BIGINT
);
