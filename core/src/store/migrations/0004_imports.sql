-- Issue 12: every import is recorded, so that it can be listed and undone.
--
-- An import is one write transaction, which holds the write lock from its
-- start, so its audit entries are consecutive: the import names them by the
-- first and the last `seq` (both null when it changed nothing) rather than
-- each entry naming its import, which leaves the audit log's rows and hash
-- as they are. An undo writes entries of its own and is noted on its
-- import (`undone_at`, `undone_by`, and its entries' range, which with the
-- import's own range nets out: an earlier import may still be undone).
--
-- Numbered 0004 and independent of 0003 (the audit log's payload digests).

CREATE TABLE imports (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    source          TEXT NOT NULL,
    assets_created  INTEGER NOT NULL CHECK (assets_created >= 0),
    assets_updated  INTEGER NOT NULL CHECK (assets_updated >= 0),
    assets_unchanged INTEGER NOT NULL CHECK (assets_unchanged >= 0),
    links_created   INTEGER NOT NULL CHECK (links_created >= 0),
    links_updated   INTEGER NOT NULL CHECK (links_updated >= 0),
    links_unchanged INTEGER NOT NULL CHECK (links_unchanged >= 0),
    first_seq       INTEGER,
    last_seq        INTEGER,
    undone_at       TEXT,
    undone_by       TEXT,
    undo_first_seq  INTEGER,
    undo_last_seq   INTEGER,
    CHECK ((first_seq IS NULL) = (last_seq IS NULL) AND first_seq <= last_seq),
    CHECK ((undone_at IS NULL) = (undone_by IS NULL)),
    CHECK ((undo_first_seq IS NULL) = (undo_last_seq IS NULL) AND undo_first_seq <= undo_last_seq),
    CHECK (undone_at IS NOT NULL OR undo_first_seq IS NULL)
) STRICT;

-- `--department` lists one section's assets: many distinct values, unlike
-- kind or segment, so an index pays.
CREATE INDEX assets_department ON assets (department);
