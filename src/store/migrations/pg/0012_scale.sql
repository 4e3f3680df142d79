-- 0012: PostgreSQL dialect of ../sqlite/0012_scale.sql (leases, probe
-- nodes, vantage points); differences as in 0003: BIGINT times and
-- references (DEFERRABLE), TEXT COLLATE "C".
ALTER TABLE site_schedule ADD COLUMN lease_node TEXT COLLATE "C";
ALTER TABLE site_schedule ADD COLUMN lease_until BIGINT;

ALTER TABLE checks ADD COLUMN node TEXT COLLATE "C";
CREATE INDEX checks_node_time ON checks(node, checked_at);

CREATE TABLE probe_nodes (
	name         TEXT COLLATE "C" PRIMARY KEY,
	labels       TEXT COLLATE "C" NOT NULL DEFAULT '',
	started_at   BIGINT NOT NULL,
	heartbeat_at BIGINT NOT NULL,
	lease_s      BIGINT NOT NULL
);

CREATE TABLE vantage_schedule (
	site_id     BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE DEFERRABLE,
	vantage     TEXT COLLATE "C" NOT NULL,
	next_due    BIGINT NOT NULL,
	lease_node  TEXT COLLATE "C",
	lease_until BIGINT,
	checked_at  BIGINT,
	node        TEXT COLLATE "C",
	ips         TEXT COLLATE "C",
	body_hash   TEXT COLLATE "C",
	PRIMARY KEY (site_id, vantage)
);
CREATE INDEX vantage_schedule_due ON vantage_schedule(next_due);
