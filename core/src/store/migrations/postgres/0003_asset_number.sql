-- 管理番号 (issue 12): a city's own number for an asset (`J-001`), unique
-- in the register when given; id-less sheet rows are matched by it first.
-- Appended after `rowid`: PostgreSQL adds columns only at the end.

ALTER TABLE assets ADD COLUMN asset_number TEXT COLLATE "C" CHECK (asset_number <> '');

CREATE UNIQUE INDEX assets_asset_number ON assets (asset_number)
    WHERE asset_number IS NOT NULL;

-- Id-less rows without a number are matched by organization and name,
-- through the index on names: few assets share one.
