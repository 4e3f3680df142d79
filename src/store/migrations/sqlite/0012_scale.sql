-- 0012: several probe nodes on one store (src/store/lease.c, node.c).
--
-- A node leases the due sites it is about to check: lease_node names it
-- and lease_until (unix seconds) is when the lease lapses, so the sites of
-- a node that died are taken again within one interval.  Recording the
-- check clears the lease and moves next_due.  A site whose lease_until is
-- NULL or past is free.
ALTER TABLE site_schedule ADD COLUMN lease_node TEXT;
ALTER TABLE site_schedule ADD COLUMN lease_until INTEGER;

-- Which node made a check (NULL: before 0012), for each node's share of
-- the work and for auditing who saw what.
ALTER TABLE checks ADD COLUMN node TEXT;
CREATE INDEX checks_node_time ON checks(node, checked_at);

-- The probe nodes: a name each (unique), its labels (sorted "key=value"
-- pairs joined by ','), when it started and when it was last heard of.
CREATE TABLE probe_nodes (
	name         TEXT PRIMARY KEY,
	labels       TEXT NOT NULL DEFAULT '',
	started_at   INTEGER NOT NULL,
	heartbeat_at INTEGER NOT NULL,
	lease_s      INTEGER NOT NULL
);

-- Vantage points: a site whose policy asks for checks from labelled nodes
-- (vantage=net=unicom,net=telecom) has one row per label, leased and
-- rescheduled like its main schedule, holding what the last check from
-- that vantage point saw: the addresses (sorted, ';'-joined) and the
-- page's snapshot key.
CREATE TABLE vantage_schedule (
	site_id     INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	vantage     TEXT NOT NULL,
	next_due    INTEGER NOT NULL,
	lease_node  TEXT,
	lease_until INTEGER,
	checked_at  INTEGER,
	node        TEXT,
	ips         TEXT,
	body_hash   TEXT,
	PRIMARY KEY (site_id, vantage)
);
CREATE INDEX vantage_schedule_due ON vantage_schedule(next_due);
