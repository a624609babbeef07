-- The register of exceptions (例外措置): a finding of one rule on an asset, or
-- on a link from the asset to a related one, approved for a reason and a
-- time. Self-contained: it names no table but `assets`, and creates nothing
-- another migration creates.
CREATE TABLE exceptions (
    id          INTEGER PRIMARY KEY,
    rule        TEXT NOT NULL,
    asset_id    BLOB NOT NULL CHECK (length(asset_id) = 16)
                REFERENCES assets (id),
    related_id  BLOB CHECK (related_id IS NULL OR length(related_id) = 16)
                REFERENCES assets (id),
    reason      TEXT NOT NULL,
    approver    TEXT NOT NULL,
    approved_on TEXT NOT NULL,
    expires_on  TEXT,
    conditions  TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    ended_at    TEXT,
    ended_by    TEXT
) STRICT;

CREATE INDEX exceptions_asset ON exceptions (asset_id);
