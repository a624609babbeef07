//! Asset rows: their keys (id and version), their cells parsed into fields,
//! and what each does to the register, through the one write path.

use jiff::Timestamp;

use super::header::AssetHeader;
use super::ids::Ids;
use super::reader::RawRow;
use super::{Outcome, Sink};
use crate::error::{Error, Result};
use crate::model::{Asset, AssetFields, AssetId, Extra};
use crate::store::SeenIds;
use crate::table::Column;
use crate::table::cells::{Issues, Resolver, parse_fields, reason};
use crate::write::{self, MayHoldNumbers, Writer, Written};

/// What reading an asset sheet's rows needs, besides the sink.
pub(super) struct AssetRows<'h, 'p> {
    pub(super) file: &'h str,
    pub(super) header: &'h AssetHeader,
    /// The columns that may hold numbers shaped like a 個人番号.
    pub(super) numbers: &'h MayHoldNumbers,
    pub(super) resolver: Resolver<'p>,
    pub(super) seen: SeenIds,
    pub(super) ids: Ids,
    pub(super) now: Timestamp,
}

/// A row's cell problems, reported with the file, line and header.
struct CellIssues<'s, 'h> {
    sink: &'s mut Sink,
    file: &'h str,
    line: u64,
    header: &'h AssetHeader,
}

impl Issues for CellIssues<'_, '_> {
    fn error(&mut self, column: Column, value: &str, reason: String) {
        let name = self.header.name(column);
        self.sink
            .error(self.file, self.line, Some(name), value, reason);
    }

    fn warn(&mut self, column: Column, value: &str, reason: String) {
        let name = self.header.name(column);
        self.sink.warn(self.file, self.line, name, value, reason);
    }

    fn header(&self, column: Column) -> String {
        self.header.name(column).to_owned()
    }
}

impl AssetRows<'_, '_> {
    /// Reports a library error on a row, in its column when it names one.
    fn refuse(&self, sink: &mut Sink, line: u64, error: &Error) {
        let (column, value) = match error {
            Error::Invalid { field, value, .. } | Error::UnknownValue { field, value, .. } => (
                Column::from_field(field).map(|col| self.header.name(col)),
                value.as_str(),
            ),
            _ => (None, ""),
        };
        sink.error(self.file, line, column, value, reason(error));
    }

    /// The id and version cells of a row, checked, and the id recorded as
    /// met; `None` when the row is to be skipped (its error is reported).
    fn keys(
        &mut self,
        sink: &mut Sink,
        row: &RawRow<'_>,
    ) -> Result<Option<(Option<AssetId>, Option<u64>)>> {
        let (file, header, line) = (self.file, self.header, row.line);
        let width = header.names.len();
        if row.record.len() > width && row.record.iter().skip(width).any(|c| !c.trim().is_empty()) {
            let reason = format!(
                "the row has {} cells but the header only {width}",
                row.record.len()
            );
            sink.error(file, line, None, "", reason);
            return Ok(None);
        }
        let cell = |col: Column| header.position(col).map(|i| row.cell(i).trim());
        let id = match cell(Column::Id).filter(|s| !s.is_empty()) {
            None => None,
            Some(text) => match text.parse::<AssetId>() {
                Ok(id) => Some(id),
                Err(e) => {
                    sink.error(file, line, Some(header.name(Column::Id)), text, reason(&e));
                    None
                }
            },
        };
        let expected_version = match cell(Column::Version).filter(|s| !s.is_empty()) {
            None => None,
            Some(text) => {
                let version = text.parse::<u64>().ok();
                if version.is_none() {
                    let reason = "a version is a whole number, as exported".to_owned();
                    sink.error(file, line, Some(header.name(Column::Version)), text, reason);
                }
                version
            }
        };
        if let Some(id) = id
            && let Some(first) = self.seen.insert(id, line)?
        {
            let reason =
                format!("the same id is on line {first}; an asset may appear once per file");
            let name = header.name(Column::Id);
            sink.error(file, line, Some(name), &id.to_string(), reason);
            return Ok(None);
        }
        Ok(Some((id, expected_version)))
    }

    /// A row's cells parsed and validated into fields (columns the file
    /// lacks keep `current`'s values); `None` when they have errors, which
    /// are reported.
    fn fields(
        &mut self,
        sink: &mut Sink,
        row: &RawRow<'_>,
        current: Option<&Asset>,
    ) -> Option<AssetFields> {
        let header = self.header;
        // Columns the file lacks keep the current asset's values.
        let current_cells: Option<Vec<Option<String>>> =
            current.filter(|_| !header.is_complete()).map(|asset| {
                Column::ALL
                    .iter()
                    .map(|col| col.cell(asset).canonical_text())
                    .collect()
            });
        let text = |col: Column| -> &str {
            match header.position(col) {
                Some(i) => row.cell(i),
                None => current_cells
                    .as_ref()
                    .and_then(|cells| cells[col.index()].as_deref())
                    .unwrap_or(""),
            }
        };
        let mut extra = current.map_or_else(Extra::new, |c| c.fields.extra.clone());
        for (index, key) in &header.extra {
            let value = row.cell(*index);
            if value.trim().is_empty() {
                extra.remove(key);
            } else {
                extra.insert(key.clone(), value);
            }
        }
        let mut issues = CellIssues {
            sink,
            file: self.file,
            line: row.line,
            header,
        };
        let fields = parse_fields(&mut self.resolver, text, extra, &mut issues)?;
        let checked = write::validate(self.resolver.policy(), &fields)
            .and_then(|()| write::validate_text(&fields, current.map(|c| &c.fields), self.numbers));
        if let Err(e) = checked {
            self.refuse(sink, row.line, &e);
            return None;
        }
        Some(fields)
    }

    /// A row of a bulk import into an empty register, checked: the new
    /// asset, or `None` when the row has errors or an earlier row had.
    pub(super) fn new_asset(&mut self, sink: &mut Sink, row: &RawRow<'_>) -> Result<Option<Asset>> {
        let errors_before = sink.errors.total;
        // The register was empty, and the sheet repeats no id: no row has a
        // current asset, and a version cell has nothing to be checked against.
        let Some((id, _version)) = self.keys(sink, row)? else {
            return Ok(None);
        };
        let Some(fields) = self.fields(sink, row, None) else {
            return Ok(None);
        };
        if sink.errors.total > errors_before {
            return Ok(None);
        }
        let id = id.unwrap_or_else(|| self.ids.next());
        sink.outcome(self.file, row.line, id, Outcome::Created);
        if !sink.errors.is_empty() {
            return Ok(None);
        }
        Ok(Some(Asset {
            id,
            fields,
            version: 1,
            created_at: self.now,
            updated_at: self.now,
        }))
    }

    /// A row of an import that may update: creates, updates or leaves an
    /// asset through the write path.
    pub(super) fn upsert(
        &mut self,
        sink: &mut Sink,
        writer: &mut Writer<'_, '_>,
        row: &RawRow<'_>,
    ) -> Result<()> {
        let errors_before = sink.errors.total;
        let Some((id, expected_version)) = self.keys(sink, row)? else {
            return Ok(());
        };
        let current = match id {
            Some(id) => writer.db.asset(writer.policy, id)?,
            None => None,
        };
        let Some(fields) = self.fields(sink, row, current.as_ref()) else {
            return Ok(());
        };
        if sink.errors.total > errors_before {
            return Ok(());
        }
        let written = match current {
            None => {
                let asset = Asset {
                    id: id.unwrap_or_else(|| self.ids.next()),
                    fields,
                    version: 1,
                    created_at: self.now,
                    updated_at: self.now,
                };
                writer.add(asset).map(|asset| (asset.id, Written::Created))
            }
            Some(current) => {
                if let Some(expected) = expected_version
                    && expected != current.version
                {
                    let reason = format!(
                        "asset `{}` was changed since this sheet was exported: the sheet has \
                         version {expected}, the register {}",
                        current.id, current.version
                    );
                    let column = self.header.name(Column::Version);
                    sink.error(
                        self.file,
                        row.line,
                        Some(column),
                        &expected.to_string(),
                        reason,
                    );
                    return Ok(());
                }
                writer
                    .replace(current, fields)
                    .map(|(asset, written)| (asset.id, written))
            }
        };
        match written {
            Ok((id, written)) => {
                let outcome = match written {
                    Written::Created => Outcome::Created,
                    Written::Updated => Outcome::Updated,
                    Written::Unchanged => Outcome::Unchanged,
                };
                sink.outcome(self.file, row.line, id, outcome);
                Ok(())
            }
            Err(e) if e.is_user_error() && !matches!(e, Error::Busy) => {
                self.refuse(sink, row.line, &e);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}
