-- 0011: the page a check's finding was made on.  The monitoring engine
-- crawls a few inner pages of each site (policy crawl_pages/crawl_depth);
-- a finding on one of them carries that page's URL.  NULL: the site's home
-- page, or the site as a whole (availability, TLS, DNS).
ALTER TABLE check_findings ADD COLUMN page TEXT;
