//! The summary's counts, grouped in SQLite.

use super::{Db, failed};
use crate::error::Result;

/// One group of assets with the same organization, confidentiality, kind,
/// segment, exclusion and disposal state, and how many there are.
#[derive(Debug)]
pub(crate) struct SummaryGroup {
    pub(crate) organization: String,
    pub(crate) confidentiality: String,
    pub(crate) kind: String,
    pub(crate) segment: Option<String>,
    pub(crate) exclusion: Option<String>,
    pub(crate) disposed: bool,
    pub(crate) count: u64,
}

/// The counts by group, with the disposed ones of each group beside.
pub(super) const SUMMARY_SQL: &str = "SELECT organization, confidentiality, kind, segment, \
     exclusion, count(*), count(disposed_on) FROM assets \
     GROUP BY organization, confidentiality, kind, segment, exclusion";

impl Db {
    /// The assets counted by group.
    ///
    /// Grouped by the columns of the index `assets_summary` in its order, so
    /// that SQLite reads that index alone, in order, without sorting (a
    /// register opened read-only before its migration has no such index and
    /// is read the slow way, which is why the index is not forced); each
    /// group's disposed assets are counted beside it (`count(disposed_on)`)
    /// rather than grouped by an expression the index does not hold.
    pub(crate) fn summary_groups(&self) -> Result<Vec<SummaryGroup>> {
        let mut stmt = self
            .conn
            .prepare(SUMMARY_SQL)
            .map_err(failed("counting assets"))?;
        let rows = stmt
            .query_map([], |row| {
                let all = row.get::<i64>(5)?.unsigned_abs();
                let disposed = row.get::<i64>(6)?.unsigned_abs();
                Ok((
                    row.get::<String>(0)?,
                    row.get::<String>(1)?,
                    row.get::<String>(2)?,
                    row.get::<Option<String>>(3)?,
                    row.get::<Option<String>>(4)?,
                    all - disposed,
                    disposed,
                ))
            })
            .map_err(failed("counting assets"))?;
        let mut groups = Vec::new();
        for row in rows {
            let (organization, confidentiality, kind, segment, exclusion, in_use, disposed) =
                row.map_err(failed("counting assets"))?;
            for (is_disposed, count) in [(false, in_use), (true, disposed)] {
                if count > 0 {
                    groups.push(SummaryGroup {
                        organization: organization.clone(),
                        confidentiality: confidentiality.clone(),
                        kind: kind.clone(),
                        segment: segment.clone(),
                        exclusion: exclusion.clone(),
                        disposed: is_disposed,
                        count,
                    });
                }
            }
        }
        Ok(groups)
    }
}
