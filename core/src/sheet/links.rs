//! Link rows: their ends found by id or unique name, and each link added or
//! changed through the one write path.

use std::collections::HashMap;

use super::columns::LinkCol;
use super::header::LinkHeader;
use super::reader::RawRow;
use super::sink::At;
use super::{Outcome, Sink};
use crate::error::{Error, Result};
use crate::model::{AssetId, Link, Relation, Sanitization};
use crate::table::cells::reason;
use crate::text::Localized;
use crate::write::{self, Writer, Written};

/// What reading a link sheet's rows needs, besides the sink.
pub(super) struct LinkRows<'h> {
    pub(super) file: &'h str,
    pub(super) header: &'h LinkHeader,
    /// The asset sheet of the same import had errors: its assets are not
    /// there to link, so the rows are only checked on their own.
    pub(super) assets_failed: bool,
    pub(super) seen: HashMap<(AssetId, Relation, AssetId), u64>,
}

impl LinkRows<'_> {
    /// Checks a link row and writes its link.
    pub(super) fn row(
        &mut self,
        sink: &mut Sink,
        writer: &mut Writer<'_, '_>,
        row: &RawRow<'_>,
    ) -> Result<()> {
        let (file, header, at) = (self.file, self.header, row.at(None));
        let cell = |col: LinkCol| header.position(col).map_or("", |i| row.cell(i)).trim();
        let before = sink.errors.total;
        let relation = match Relation::parse(cell(LinkCol::Relation)) {
            Ok(r) => Some(r),
            Err(e) => {
                let column = header.name(LinkCol::Relation);
                sink.error(file, at, Some(column), cell(LinkCol::Relation), reason(&e));
                None
            }
        };
        let sanitization = match cell(LinkCol::Sanitization) {
            "" => None,
            text => match Sanitization::parse(text) {
                Ok(s) => Some(s),
                Err(e) => {
                    let column = header.name(LinkCol::Sanitization);
                    sink.error(file, at, Some(column), text, reason(&e));
                    None
                }
            },
        };
        if self.assets_failed {
            return Ok(());
        }
        let mut ends = Vec::with_capacity(2);
        for col in [LinkCol::From, LinkCol::To] {
            match resolve(writer, cell(col)) {
                Ok(asset) => ends.push(asset),
                Err(reason) => sink.error(file, at, Some(header.name(col)), cell(col), reason),
            }
        }
        if sink.errors.total > before {
            return Ok(());
        }
        let (Some(relation), [from, to]) = (relation, ends.as_slice()) else {
            return Ok(());
        };
        let wanted = Link {
            from: from.id,
            relation,
            to: to.id,
            sanitization,
        };
        if let Err(e) = write::validate_link(&wanted, from, to) {
            self.refuse(sink, at, &e);
            return Ok(());
        }
        if let Some(first) = self
            .seen
            .insert((wanted.from, wanted.relation, wanted.to), at.row)
        {
            let reason = Localized::new(
                format!("同じ関連が {first} 行目にあります"),
                format!("the same link is on row {first}"),
            );
            sink.error(file, at, None, "", reason);
            return Ok(());
        }
        let outcome = match writer.link(&wanted, true) {
            Ok(Written::Created) => Outcome::Created,
            Ok(Written::Updated) => Outcome::Updated,
            Ok(Written::Unchanged) => Outcome::Unchanged,
            Err(e) if e.is_user_error() && !matches!(e, Error::Busy) => {
                self.refuse(sink, at, &e);
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        sink.link_outcome(file, at, wanted.from, outcome);
        Ok(())
    }

    /// Reports a library error on a row, in the column it concerns.
    fn refuse(&self, sink: &mut Sink, at: At<'_>, error: &Error) {
        let (column, value) = match error {
            Error::Invalid { field, value, .. } | Error::UnknownValue { field, value, .. } => {
                let column = if *field == "sanitization" {
                    LinkCol::Sanitization
                } else {
                    LinkCol::Relation
                };
                (Some(self.header.name(column)), value.as_str())
            }
            _ => (None, ""),
        };
        sink.error(self.file, at, column, value, reason(error));
    }
}

/// Finds a link's end by id or unique name; the reason when it cannot.
fn resolve(writer: &Writer<'_, '_>, text: &str) -> Result<crate::model::Asset, Localized> {
    if text.is_empty() {
        return Err(Localized::from((
            "関連には両端（資産の ID か重複のない名称）が要ります",
            "a link needs both ends (an asset id or unique name)",
        )));
    }
    if let Ok(id) = text.parse::<AssetId>() {
        return match writer.db.asset(writer.policy, id) {
            Ok(Some(asset)) => Ok(asset),
            Ok(None) => Err(Localized::new(
                format!("ID `{id}` の資産はありません"),
                format!("no asset has the id `{id}`"),
            )),
            Err(e) => Err(e.localized()),
        };
    }
    let found = writer
        .db
        .assets_named(writer.policy, text, 2)
        .map_err(|e| e.localized())?;
    match <[crate::model::Asset; 1]>::try_from(found) {
        Ok([asset]) => Ok(asset),
        Err(found) if found.is_empty() => Err(Localized::from((
            "この ID・名称の資産はありません",
            "no asset has this id or name",
        ))),
        Err(_) => Err(Localized::from((
            "この名称の資産が複数あります。ID で指定してください",
            "more than one asset has this name; use the id",
        ))),
    }
}
