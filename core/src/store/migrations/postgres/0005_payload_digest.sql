-- Audit entries of format 2 chain a digest of their payload (before and
-- after) instead of the payload itself, so that a field of a stored payload
-- can be redacted without breaking the chain. Entries written before keep
-- format 1 (the payload hashed as it is) and no digest.

ALTER TABLE audit_log ADD COLUMN format BIGINT NOT NULL DEFAULT 1
    CHECK (format IN (1, 2));
-- A table constraint: PostgreSQL wants a column's CHECK to name only its column.
ALTER TABLE audit_log ADD COLUMN payload_digest BYTEA,
    ADD CHECK ((format = 1 AND payload_digest IS NULL)
        OR (format = 2 AND octet_length(payload_digest) = 32));
