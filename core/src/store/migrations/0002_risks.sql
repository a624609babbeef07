-- Risk assessments (basic policy §3 and §8): per asset and threat group,
-- the threat's likelihood and the vulnerability, each 1–3. The threat is a
-- code of the register's policy (`risk.threats`).

CREATE TABLE risk_assessments (
    asset_id      BLOB NOT NULL REFERENCES assets (id),
    threat        TEXT NOT NULL CHECK (threat <> ''),
    likelihood    INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 3),
    vulnerability INTEGER NOT NULL CHECK (vulnerability BETWEEN 1 AND 3),
    assessed_at   TEXT NOT NULL,
    assessed_by   TEXT NOT NULL,
    PRIMARY KEY (asset_id, threat)
) STRICT, WITHOUT ROWID;
