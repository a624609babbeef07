-- The first schema of a daicho register.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE assets (
    id                   BLOB NOT NULL UNIQUE CHECK (length(id) = 16),
    kind                 TEXT NOT NULL,
    name                 TEXT NOT NULL CHECK (name <> ''),
    organization         TEXT NOT NULL,
    department           TEXT NOT NULL,
    manager              TEXT,
    confidentiality      TEXT NOT NULL,
    confidentiality_rank INTEGER NOT NULL,
    integrity            TEXT NOT NULL,
    integrity_rank       INTEGER NOT NULL,
    availability         TEXT NOT NULL,
    availability_rank    INTEGER NOT NULL,
    segment              TEXT,
    medium               TEXT,
    location             TEXT,
    personal             INTEGER NOT NULL,
    sensitive            INTEGER NOT NULL,
    my_number            INTEGER NOT NULL,
    record_count         INTEGER,
    controls             TEXT NOT NULL,
    hosting              TEXT,
    provider             TEXT,
    contract             TEXT,
    retention            TEXT,
    exclusion            TEXT,
    reviewed_on          TEXT,
    disposed_on          TEXT,
    disposed_by          TEXT,
    disposal_method      TEXT,
    disposal_approver    TEXT,
    disposal_certificate TEXT,
    notes                TEXT,
    extra                TEXT,
    version              INTEGER NOT NULL CHECK (version >= 1),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
) STRICT;

CREATE INDEX assets_organization ON assets (organization);
CREATE INDEX assets_name ON assets (name);

CREATE TABLE links (
    from_id      BLOB NOT NULL REFERENCES assets (id),
    relation     TEXT NOT NULL,
    to_id        BLOB NOT NULL REFERENCES assets (id),
    sanitization TEXT,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (from_id, relation, to_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX links_to ON links (to_id);

CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    asset_id   BLOB,
    related_id BLOB,
    before     TEXT,
    after      TEXT,
    hash       BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;

CREATE INDEX audit_log_asset ON audit_log (asset_id) WHERE asset_id IS NOT NULL;
CREATE INDEX audit_log_related ON audit_log (related_id) WHERE related_id IS NOT NULL;
