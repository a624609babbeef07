-- Risk assessments (basic policy §3 and §8): per asset and threat group,
-- the threat's likelihood and the vulnerability, each 1–3. The threat is a
-- code of the register's policy (`risk.threats`).

CREATE TABLE risk_assessments (
    asset_id      BYTEA NOT NULL REFERENCES assets (id),
    threat        TEXT COLLATE "C" NOT NULL CHECK (threat <> ''),
    likelihood    BIGINT NOT NULL CHECK (likelihood BETWEEN 1 AND 3),
    vulnerability BIGINT NOT NULL CHECK (vulnerability BETWEEN 1 AND 3),
    assessed_at   TEXT COLLATE "C" NOT NULL,
    assessed_by   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (asset_id, threat)
);
