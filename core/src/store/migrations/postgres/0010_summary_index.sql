-- The summary's counts from an index alone: one index on the columns the
-- summary groups by, in its GROUP BY order, read in order without a sort and
-- without reading the assets' rows (a 1,000,000-asset register's table is
-- about a gigabyte; this index is a few dozen megabytes). It begins with the
-- organization, so it also serves the listing filter by organization that
-- `assets_organization` served, and replaces it: a first import rebuilds
-- as many indexes as before. Self-contained, so that it can be renumbered.
DROP INDEX IF EXISTS assets_organization;
CREATE INDEX assets_summary ON assets (organization, confidentiality, kind, segment, exclusion, disposed_on);
