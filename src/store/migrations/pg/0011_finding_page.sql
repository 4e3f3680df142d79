-- 0011: PostgreSQL dialect of ../sqlite/0011_finding_page.sql.
ALTER TABLE check_findings ADD COLUMN page TEXT;
