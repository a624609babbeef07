-- The 事務 (business processes) that files of 特定個人情報 belong to, each
-- with the figures of its threshold judgment and the evaluation done
-- (特定個人情報保護評価). An asset names its 事務 in its extra attribute
-- `事務`. `folded` is the name folded as lookups fold it (width, case,
-- spaces), unique so that two names one lookup cannot tell apart are never
-- both stored. Self-contained: it names no other table, so that it can be
-- renumbered.
CREATE TABLE pia_processes (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    folded         TEXT NOT NULL UNIQUE,
    handlers       INTEGER NOT NULL CHECK (handlers >= 0),
    stated_persons INTEGER CHECK (stated_persons IS NULL OR stated_persons >= 0),
    incident_on    TEXT,
    evaluation     TEXT CHECK (evaluation IS NULL OR evaluation IN ('basic', 'focused', 'full')),
    document       TEXT,
    published_on   TEXT,
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL
) STRICT;
