-- Attestation campaigns (棚卸): each section (所属) of each body confirms its
-- part of the register once a campaign. A campaign opens one attestation per
-- (organization, department) that holds assets; an attestation records who
-- confirmed, when, how many assets, the SHA-256 of their records as
-- confirmed, and the ids confirmed (to tell the assets added after it).
-- Self-contained: it names no table but its own, and the ids of assets
-- confirmed are kept when an asset is deleted later.
CREATE TABLE campaigns (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    organization TEXT,
    due_on       TEXT,
    started_at   TEXT NOT NULL,
    started_by   TEXT NOT NULL,
    closed_at    TEXT,
    closed_by    TEXT
) STRICT;

CREATE TABLE attestations (
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id),
    organization TEXT NOT NULL,
    department   TEXT NOT NULL,
    attested_on  TEXT,
    attested_at  TEXT,
    attested_by  TEXT,
    recorded_by  TEXT,
    asset_count  INTEGER,
    digest       TEXT,
    PRIMARY KEY (campaign_id, organization, department)
) STRICT;

CREATE TABLE attested_assets (
    campaign_id  INTEGER NOT NULL,
    organization TEXT NOT NULL,
    department   TEXT NOT NULL,
    asset_id     BLOB NOT NULL CHECK (length(asset_id) = 16),
    PRIMARY KEY (campaign_id, organization, department, asset_id),
    FOREIGN KEY (campaign_id, organization, department)
        REFERENCES attestations (campaign_id, organization, department)
) STRICT, WITHOUT ROWID;
