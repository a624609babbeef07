-- Findings tracked to correction (是正): each recorded run of the
-- self-inspection, and each finding by its stable key (rule and the ids of
-- the assets it names, or the 事務 or tracked finding it is about) with its
-- state; `asset_id` is the first asset it names, none for a 事務 with no
-- file. Self-contained: it names no other
-- table but its own, so that it can be renumbered.
CREATE TABLE check_runs (
    id            INTEGER PRIMARY KEY,
    checked_on    TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    actor         TEXT NOT NULL,
    policy_sha256 TEXT NOT NULL,
    errors        INTEGER NOT NULL,
    warnings      INTEGER NOT NULL,
    infos         INTEGER NOT NULL
) STRICT;

CREATE TABLE findings (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    rule        TEXT NOT NULL,
    asset_id    BLOB CHECK (asset_id IS NULL OR length(asset_id) = 16),
    message_ja  TEXT NOT NULL,
    message_en  TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    status      TEXT NOT NULL
                CHECK (status IN ('open', 'in_progress', 'resolved', 'excepted')),
    resolved_on TEXT,
    owner       TEXT,
    due_on      TEXT
) STRICT;

CREATE INDEX findings_status ON findings (status);
