-- 0004: defacement baselines (src/analyze/baseline.h).  Every baseline a
-- site ever had is kept, newest last: the newest row is the one checks
-- compare against, the older rows are the history `sitewarden baseline
-- history` shows and an incident's evidence may need ("what did the page
-- look like before").  A baseline is a few KB, so rows are cheap.
--
-- source: 'learned' (from the first fetches) or 'accepted' (an operator
-- accepted the current page after an authorised change: `baseline
-- accept`); actor: who accepted it; pages: the snapshot keys (snapshots
-- table) of the page versions it was learned from, space-separated, so
-- the pages themselves can be looked at while they are retained.
CREATE TABLE baselines (
	id         INTEGER PRIMARY KEY,
	site_id    INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	source     TEXT NOT NULL CHECK (source IN ('learned', 'accepted')),
	actor      TEXT,
	versions   INTEGER NOT NULL,
	title      TEXT NOT NULL,
	pages      TEXT,
	blob       BLOB NOT NULL
);
CREATE INDEX baselines_site ON baselines(site_id, id);
