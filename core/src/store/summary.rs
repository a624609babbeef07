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

impl Db {
    /// The assets counted by group.
    pub(crate) fn summary_groups(&self) -> Result<Vec<SummaryGroup>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT organization, confidentiality, kind, segment, exclusion, \
                 disposed_on IS NOT NULL, count(*) FROM assets GROUP BY 1, 2, 3, 4, 5, 6",
            )
            .map_err(failed("counting assets"))?;
        stmt.query_map([], |row| {
            Ok(SummaryGroup {
                organization: row.get(0)?,
                confidentiality: row.get(1)?,
                kind: row.get(2)?,
                segment: row.get(3)?,
                exclusion: row.get(4)?,
                disposed: row.get(5)?,
                count: row.get::<_, i64>(6)? as u64,
            })
        })
        .and_then(Iterator::collect)
        .map_err(failed("counting assets"))
    }
}
