//! The tables `campaigns`, `attestations` and `attested_assets` (migration
//! 0009): attestation campaigns (棚卸), read and written as plain values for
//! `campaign`.

use super::sql::{OptionalExtension, Row, params};

use super::{Db, failed};
use crate::error::Result;
use crate::model::AssetId;

/// One stored campaign; dates and times as stored (ISO 8601, RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CampaignRow {
    /// 0 for one not yet inserted.
    pub(crate) id: i64,
    pub(crate) name: String,
    /// The one organization it covers, or none for all.
    pub(crate) organization: Option<String>,
    pub(crate) due_on: Option<String>,
    pub(crate) started_at: String,
    pub(crate) started_by: String,
    pub(crate) closed_at: Option<String>,
    pub(crate) closed_by: Option<String>,
}

/// One section's attestation in a campaign; open while `attested_at` is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AttestationRow {
    pub(crate) campaign: i64,
    pub(crate) organization: String,
    pub(crate) department: String,
    pub(crate) attested_on: Option<String>,
    pub(crate) attested_at: Option<String>,
    /// Who confirmed the list (the section's 情報セキュリティ管理者).
    pub(crate) attested_by: Option<String>,
    /// Who recorded the attestation (the actor).
    pub(crate) recorded_by: Option<String>,
    pub(crate) asset_count: Option<i64>,
    /// The SHA-256 (hex) of the records confirmed.
    pub(crate) digest: Option<String>,
}

const CAMPAIGN_COLUMNS: &str =
    "id, name, organization, due_on, started_at, started_by, closed_at, closed_by";

const ATTESTATION_COLUMNS: &str = "campaign_id, organization, department, attested_on, \
     attested_at, attested_by, recorded_by, asset_count, digest";

fn read_campaign(row: &Row<'_>) -> super::sql::Result<CampaignRow> {
    Ok(CampaignRow {
        id: row.get(0)?,
        name: row.get(1)?,
        organization: row.get(2)?,
        due_on: row.get(3)?,
        started_at: row.get(4)?,
        started_by: row.get(5)?,
        closed_at: row.get(6)?,
        closed_by: row.get(7)?,
    })
}

fn read_attestation(row: &Row<'_>) -> super::sql::Result<AttestationRow> {
    Ok(AttestationRow {
        campaign: row.get(0)?,
        organization: row.get(1)?,
        department: row.get(2)?,
        attested_on: row.get(3)?,
        attested_at: row.get(4)?,
        attested_by: row.get(5)?,
        recorded_by: row.get(6)?,
        asset_count: row.get(7)?,
        digest: row.get(8)?,
    })
}

impl Db {
    /// Inserts a campaign (with its id, unless 0) and returns its id.
    pub(crate) fn insert_campaign(&self, row: &CampaignRow) -> Result<i64> {
        self.conn
            .query_row(
                &format!(
                    "INSERT INTO campaigns ({CAMPAIGN_COLUMNS}) \
                     VALUES (coalesce(?1, (SELECT coalesce(max(id), 0) + 1 FROM campaigns)), \
                     ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id"
                ),
                params![
                    (row.id != 0).then_some(row.id),
                    row.name,
                    row.organization,
                    row.due_on,
                    row.started_at,
                    row.started_by,
                    row.closed_at,
                    row.closed_by
                ],
                |row| row.get(0),
            )
            .map_err(failed("starting a campaign"))
    }

    /// Every campaign, oldest first.
    pub(crate) fn campaigns(&self) -> Result<Vec<CampaignRow>> {
        let read = || -> super::sql::Result<Vec<CampaignRow>> {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {CAMPAIGN_COLUMNS} FROM campaigns ORDER BY id"
            ))?;
            stmt.query_map([], read_campaign)?.collect()
        };
        read().map_err(failed("reading the campaigns"))
    }

    /// The campaign of a name.
    pub(crate) fn campaign_named(&self, name: &str) -> Result<Option<CampaignRow>> {
        self.conn
            .query_row(
                &format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE name = ?1"),
                [name],
                read_campaign,
            )
            .optional()
            .map_err(failed("reading a campaign"))
    }

    /// Closes an open campaign; false when it was not open.
    pub(crate) fn close_campaign(&self, id: i64, at: &str, by: &str) -> Result<bool> {
        let changed = self
            .conn
            .execute(
                "UPDATE campaigns SET closed_at = ?2, closed_by = ?3 \
                 WHERE id = ?1 AND closed_at IS NULL",
                params![id, at, by],
            )
            .map_err(failed("closing a campaign"))?;
        Ok(changed == 1)
    }

    /// The (organization, department) pairs that hold assets not disposed
    /// of, of one organization or all, ordered.
    pub(crate) fn sections(&self, organization: Option<&str>) -> Result<Vec<(String, String)>> {
        let read = || -> super::sql::Result<Vec<(String, String)>> {
            // The cast types the parameter: PostgreSQL cannot tell the type of `$1 IS NULL`.
            let mut stmt = self.conn.prepare(
                // The cast gives PostgreSQL the type of `?1`, which it cannot
                // infer from `IS NULL`.
                "SELECT DISTINCT organization, department FROM assets \
                 WHERE disposed_on IS NULL AND (CAST(?1 AS TEXT) IS NULL OR organization = ?1) \
                 ORDER BY organization, department",
            )?;
            stmt.query_map([organization], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect()
        };
        read().map_err(failed("reading the sections"))
    }

    /// Inserts an attestation, open or recorded.
    pub(crate) fn insert_attestation(&self, row: &AttestationRow) -> Result<()> {
        self.conn
            .execute(
                &format!(
                    "INSERT INTO attestations ({ATTESTATION_COLUMNS}) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                ),
                params![
                    row.campaign,
                    row.organization,
                    row.department,
                    row.attested_on,
                    row.attested_at,
                    row.attested_by,
                    row.recorded_by,
                    row.asset_count,
                    row.digest
                ],
            )
            .map_err(failed("opening an attestation"))?;
        Ok(())
    }

    /// Records an open attestation as done; false when it was not open.
    pub(crate) fn record_attestation(&self, row: &AttestationRow) -> Result<bool> {
        let changed = self
            .conn
            .execute(
                "UPDATE attestations SET attested_on = ?4, attested_at = ?5, attested_by = ?6, \
                 recorded_by = ?7, asset_count = ?8, digest = ?9 \
                 WHERE campaign_id = ?1 AND organization = ?2 AND department = ?3 \
                 AND attested_at IS NULL",
                params![
                    row.campaign,
                    row.organization,
                    row.department,
                    row.attested_on,
                    row.attested_at,
                    row.attested_by,
                    row.recorded_by,
                    row.asset_count,
                    row.digest
                ],
            )
            .map_err(failed("recording an attestation"))?;
        Ok(changed == 1)
    }

    /// A campaign's attestations, by organization and department.
    pub(crate) fn attestations(&self, campaign: i64) -> Result<Vec<AttestationRow>> {
        let read = || -> super::sql::Result<Vec<AttestationRow>> {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {ATTESTATION_COLUMNS} FROM attestations WHERE campaign_id = ?1 \
                 ORDER BY organization, department"
            ))?;
            stmt.query_map([campaign], read_attestation)?.collect()
        };
        read().map_err(failed("reading the attestations"))
    }

    /// Notes an asset as confirmed by a section's attestation.
    pub(crate) fn insert_attested_asset(
        &self,
        (campaign, organization, department): (i64, &str, &str),
        id: AssetId,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO attested_assets (campaign_id, organization, department, asset_id) \
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut stmt| stmt.execute(params![campaign, organization, department, id]))
            .map_err(failed("recording an attestation"))?;
        Ok(())
    }

    /// The assets a section's attestation confirmed.
    pub(crate) fn attested_assets(
        &self,
        (campaign, organization, department): (i64, &str, &str),
    ) -> Result<Vec<AssetId>> {
        let read = || -> super::sql::Result<Vec<AssetId>> {
            let mut stmt = self.conn.prepare(
                "SELECT asset_id FROM attested_assets \
                 WHERE campaign_id = ?1 AND organization = ?2 AND department = ?3 \
                 ORDER BY asset_id",
            )?;
            stmt.query_map(params![campaign, organization, department], |row| {
                row.get(0)
            })?
            .collect()
        };
        read().map_err(failed("reading an attestation"))
    }
}
