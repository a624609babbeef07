//! The table `risk_assessments` (migration 0002): one row per asset and
//! threat group, read and written as plain values for `rules::risk`.

use super::sql::{OptionalExtension, params};

use super::{Db, failed};
use crate::error::Result;
use crate::model::AssetId;

/// One stored assessment of an asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AssessmentRow {
    pub(crate) asset: AssetId,
    pub(crate) threat: String,
    pub(crate) likelihood: u8,
    pub(crate) vulnerability: u8,
}

/// An assessment with when and by whom it was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecordedRow {
    pub(crate) assessment: AssessmentRow,
    /// As stored (RFC 3339).
    pub(crate) assessed_at: String,
    pub(crate) assessed_by: String,
}

impl Db {
    /// The likelihood and vulnerability of one asset and threat, if assessed;
    /// `operation` names the change the reading is part of, for its error.
    pub(crate) fn assessment(
        &self,
        id: AssetId,
        threat: &str,
        operation: &'static str,
    ) -> Result<Option<(u8, u8)>> {
        self.conn.query_row(
        "SELECT likelihood, vulnerability FROM risk_assessments WHERE asset_id = ?1 AND threat = ?2",
        params![id, threat],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .optional()
    .map_err(failed(operation))
    }

    /// Records an assessment, replacing the asset's earlier one of the threat.
    pub(crate) fn record_assessment(
        &self,
        id: AssetId,
        threat: &str,
        (likelihood, vulnerability): (u8, u8),
        assessed_at: &str,
        assessed_by: &str,
    ) -> Result<()> {
        self.conn.execute(
        "INSERT INTO risk_assessments (asset_id, threat, likelihood, vulnerability, assessed_at, assessed_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (asset_id, threat) DO UPDATE SET likelihood = ?3, vulnerability = ?4, \
         assessed_at = ?5, assessed_by = ?6",
        params![id, threat, likelihood, vulnerability, assessed_at, assessed_by],
    )
    .map_err(failed("recording a risk assessment"))?;
        Ok(())
    }

    /// Removes the assessment of one asset and threat.
    pub(crate) fn remove_assessment(&self, id: AssetId, threat: &str) -> Result<()> {
        self.conn
            .execute(
                "DELETE FROM risk_assessments WHERE asset_id = ?1 AND threat = ?2",
                params![id, threat],
            )
            .map_err(failed("removing a risk assessment"))?;
        Ok(())
    }

    /// Calls `each` with every assessment of one asset, in storage order, with
    /// when and by whom it was recorded; stops at its first error.
    pub(crate) fn assessments_of(
        &self,
        id: AssetId,
        mut each: impl FnMut(RecordedRow) -> Result<()>,
    ) -> Result<()> {
        let failed = || failed("reading risk assessments");
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT threat, likelihood, vulnerability, assessed_at, assessed_by \
             FROM risk_assessments WHERE asset_id = ?1",
            )
            .map_err(failed())?;
        let rows = stmt
            .query_map([id], |row| {
                Ok(RecordedRow {
                    assessment: AssessmentRow {
                        asset: id,
                        threat: row.get(0)?,
                        likelihood: row.get(1)?,
                        vulnerability: row.get(2)?,
                    },
                    assessed_at: row.get(3)?,
                    assessed_by: row.get(4)?,
                })
            })
            .map_err(failed())?;
        for row in rows {
            each(row.map_err(failed())?)?;
        }
        Ok(())
    }

    /// Calls `each` with every assessment of every asset, in storage order;
    /// stops at its first error.
    pub(crate) fn each_assessment(
        &self,
        mut each: impl FnMut(AssessmentRow) -> Result<()>,
    ) -> Result<()> {
        let failed = || failed("reading risk assessments");
        let mut stmt = self
            .conn
            .prepare("SELECT asset_id, threat, likelihood, vulnerability FROM risk_assessments")
            .map_err(failed())?;
        let rows = stmt
            .query_map([], |row| {
                Ok(AssessmentRow {
                    asset: row.get(0)?,
                    threat: row.get(1)?,
                    likelihood: row.get(2)?,
                    vulnerability: row.get(3)?,
                })
            })
            .map_err(failed())?;
        for row in rows {
            each(row.map_err(failed())?)?;
        }
        Ok(())
    }
}
