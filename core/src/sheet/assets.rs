//! Asset rows: their keys (id and version), their cells parsed into fields,
//! and what each does to the register, through the one write path.

use jiff::Timestamp;

use super::header::AssetHeader;
use super::identity::{self, Match};
use super::ids::Ids;
use super::reader::RawRow;
use super::sink::At;
use super::{ColumnChange, Outcome, Sink};
use crate::error::{Error, Result};
use crate::model::{Asset, AssetFields, AssetId, Extra};
use crate::store::{SeenIds, SeenKeys, StoredAsset, StoredAssetReader};
use crate::table::Column;
use crate::table::cells::{Issues, Resolver, parse_fields, reason};
use crate::table::headers::READ_ONLY;
use crate::text::Localized;
use crate::write::{self, MayHoldNumbers, Writer, Written};

/// What reading an asset sheet's rows needs, besides the sink.
pub(super) struct AssetRows<'h, 'p> {
    pub(super) file: &'h str,
    pub(super) header: &'h AssetHeader,
    /// The columns that may hold numbers shaped like a 個人番号.
    pub(super) numbers: &'h MayHoldNumbers,
    pub(super) resolver: Resolver<'p>,
    /// The assets the rows so far describe, with their rows: an asset may
    /// appear once per file.
    pub(super) seen: SeenIds,
    /// The same for the id-less rows of a first import, by key.
    pub(super) seen_keys: SeenKeys,
    pub(super) ids: Ids,
    pub(super) now: Timestamp,
    /// The kind cells met so far, and whether each reads as information.
    pub(super) information_kinds: InformationKinds,
    /// The 保管場所 met so far, and whether each names one asset.
    pub(super) hosts: Hosts,
}

/// A row's cell problems, reported with the file, row and header.
struct CellIssues<'s, 'h> {
    sink: &'s mut Sink,
    file: &'h str,
    at: At<'h>,
    header: &'h AssetHeader,
}

impl Issues for CellIssues<'_, '_> {
    fn error(&mut self, column: Column, value: &str, reason: crate::text::Localized) {
        let name = self.header.name(column);
        self.sink
            .error(self.file, self.at, Some(name), value, reason);
    }

    fn warn(&mut self, column: Column, value: &str, reason: crate::text::Localized) {
        let name = self.header.name(column);
        self.sink.warn(self.file, self.at, name, value, reason);
    }

    fn header(&self, column: Column) -> String {
        self.header.name(column).to_owned()
    }
}

impl AssetRows<'_, '_> {
    /// Where a row is, naming its asset.
    fn at<'r>(&self, row: &'r RawRow<'_>) -> At<'r> {
        row.at(self.header.position(Column::Name))
    }

    /// Reports a library error on a row, in its column when it names one.
    fn refuse(&self, sink: &mut Sink, at: At<'_>, error: &Error) {
        let (column, value) = match error {
            Error::Invalid { field, value, .. } | Error::UnknownValue { field, value, .. } => (
                Column::from_field(field).map(|col| self.header.name(col)),
                value.as_str(),
            ),
            _ => (None, ""),
        };
        sink.error(self.file, at, column, value, reason(error));
    }

    /// The id and version cells of a row, checked, and the id recorded as
    /// met; `None` when the row is to be skipped (its error is reported).
    fn keys(
        &mut self,
        sink: &mut Sink,
        row: &RawRow<'_>,
    ) -> Result<Option<(Option<AssetId>, Option<u64>)>> {
        let (file, header, at) = (self.file, self.header, self.at(row));
        let width = header.names.len();
        if row.record.len() > width && row.record.iter().skip(width).any(|c| !c.trim().is_empty()) {
            let cells = row.record.len();
            let reason = Localized::new(
                format!("行にセルが {cells} 個ありますが、見出しは {width} 個だけです"),
                format!("the row has {cells} cells but the header only {width}"),
            );
            sink.error(file, at, None, "", reason);
            return Ok(None);
        }
        let cell = |col: Column| header.position(col).map(|i| row.cell(i).trim());
        let id = match cell(Column::Id).filter(|s| !s.is_empty()) {
            None => None,
            Some(text) => match text.parse::<AssetId>() {
                Ok(id) => Some(id),
                Err(e) => {
                    sink.error(file, at, Some(header.name(Column::Id)), text, reason(&e));
                    None
                }
            },
        };
        let expected_version = match cell(Column::Version).filter(|s| !s.is_empty()) {
            None => None,
            Some(text) => {
                let version = text.parse::<u64>().ok();
                if version.is_none() {
                    let reason = Localized::from((
                        "版は書き出したときのままの整数です",
                        "a version is a whole number, as exported",
                    ));
                    sink.error(file, at, Some(header.name(Column::Version)), text, reason);
                }
                version
            }
        };
        if let Some(id) = id
            && let Some(first) = self.seen.insert(id, at.row)?
        {
            let reason = Localized::new(
                format!(
                    "同じ ID が {first} 行目にあります。1 つのファイルに資産は 1 回だけ書けます"
                ),
                format!("the same id is on row {first}; an asset may appear once per file"),
            );
            let name = header.name(Column::Id);
            sink.error(file, at, Some(name), &id.to_string(), reason);
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
        let extra = current.map_or_else(Extra::new, |c| c.fields.extra.clone());
        let fields = self.checked_fields(sink, row, current, extra)?;
        self.new_texts(sink, row, &fields, current.map(|c| &c.fields))
            .then_some(fields)
    }

    /// A row's cells parsed into fields and validated against the policy,
    /// over `extra` (the current asset's attributes, or none), with the
    /// columns the file lacks taken from `current`; `None` when they have
    /// errors, which are reported. The texts set anew are checked by
    /// [`Self::new_texts`].
    fn checked_fields(
        &mut self,
        sink: &mut Sink,
        row: &RawRow<'_>,
        current: Option<&Asset>,
        mut extra: Extra,
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
        for (index, key) in &header.extra {
            let value = row.cell(*index);
            if key == Column::Extra.key() && is_written_dict(value) {
                // A record's `extra` (pandas writes the dict as `{'k': 'v'}`) would become
                // one attribute named `extra`, and the attributes it holds be lost.
                let reason = Localized::new(
                    "記録の追加属性がひとつの辞書として入っています。属性ごとに列を分けてください\
                     （Python では `import_records` が辞書を読みます）",
                    "holds a record's extra attributes as one dict; give each attribute its own \
                     column (Python: `import_records` reads the dict)",
                );
                sink.error(self.file, self.at(row), Some(key), value, reason);
                return None;
            }
            if value.trim().is_empty() {
                extra.remove(key);
            } else {
                extra.insert(key.clone(), value);
            }
        }
        let mut issues = CellIssues {
            sink,
            file: self.file,
            at: self.at(row),
            header,
        };
        let fields = parse_fields(&mut self.resolver, text, extra, &mut issues)?;
        if let Err(e) = write::validate(self.resolver.policy(), &fields) {
            self.refuse(sink, self.at(row), &e);
            return None;
        }
        Some(fields)
    }

    /// Checks the free texts `fields` sets anew (those that differ from
    /// `previous`); false when one is refused, which is reported.
    fn new_texts(
        &self,
        sink: &mut Sink,
        row: &RawRow<'_>,
        fields: &AssetFields,
        previous: Option<&AssetFields>,
    ) -> bool {
        match write::validate_text(fields, previous, self.numbers) {
            Ok(()) => true,
            Err(e) => {
                self.refuse(sink, self.at(row), &e);
                false
            }
        }
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
        if id.is_none() {
            let first = match &fields.asset_number {
                Some(number) => self.seen_keys.insert(number.as_str(), row.row)?,
                None => self.seen_keys.insert(
                    &(fields.organization.as_str(), fields.name.as_str()),
                    row.row,
                )?,
            };
            if let Some(first) = first {
                self.same_asset(sink, row, first);
                return Ok(None);
            }
        }
        let id = id.unwrap_or_else(|| self.ids.next());
        sink.outcome(self.file, self.at(row), id, Outcome::Created);
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

    /// The asset an id-less row describes.
    fn matching(&mut self, writer: &Writer<'_, '_>, row: &RawRow<'_>) -> Result<Match> {
        let cell = |col: Column| self.header.position(col).map_or("", |i| row.cell(i)).trim();
        let number = Some(cell(Column::AssetNumber)).filter(|n| !n.is_empty());
        let (organization, name) = (cell(Column::Organization), cell(Column::Name));
        identity::find(writer.db, &mut self.resolver, number, organization, name)
    }

    /// Notes what a row's cells suggest but do not do: a link to the asset its
    /// 保管場所 names, an exclusion its 備考 speaks of.
    /// Without the register at hand (a first import, written on another
    /// thread), only the notes are read.
    pub(super) fn hints(
        &mut self,
        sink: &mut Sink,
        writer: Option<&Writer<'_, '_>>,
        row: &RawRow<'_>,
    ) {
        let cell = |col: Column| self.header.position(col).map_or("", |i| row.cell(i)).trim();
        let (name, kind) = (cell(Column::Name), cell(Column::Kind));
        let location = cell(Column::Location);
        let host = location
            .strip_suffix('内')
            .or_else(|| location.strip_suffix("上"))
            .unwrap_or(location)
            .trim();
        if let Some(writer) = writer
            && !host.is_empty()
            && host != name
            && self.information_kinds.is_information(kind)
            && self.hosts.named_once(writer, host)
        {
            sink.hint(
                self.file,
                self.at(row),
                Localized::new(
                    format!(
                        "保管場所が資産 `{host}` を指しています。関連付けるには \
                         `daicho link {name} stored_on {host}`"
                    ),
                    format!(
                        "保管場所 names the asset `{host}`: link them with \
                         `daicho link {name} stored_on {host}`"
                    ),
                ),
            );
        }
        let notes = cell(Column::Notes);
        // `対象外` alone says too little (`バックアップ対象外`).
        for word in [
            "学校教育情報",
            "医療情報",
            "適用除外",
            "適用対象外",
            "ポリシー対象外",
            "ポリシーの対象外",
        ] {
            if notes.contains(word) && cell(Column::ExclusionReason).is_empty() {
                sink.hint(
                    self.file,
                    self.at(row),
                    Localized::new(
                        format!(
                            "備考に `{word}` とあります。ポリシーが適用されないなら（§4(2)）、\
                             適用除外にその理由を書いてください"
                        ),
                        format!(
                            "備考 says `{word}`: if the policy does not apply (§4(2)), \
                             write the reason in 適用除外"
                        ),
                    ),
                );
                break;
            }
        }
    }

    /// Reports each read-only cell (`created_at`, `updated_at`: a record's times) that
    /// differs from the asset's: the register sets them, a sheet may only repeat them.
    /// A new asset's are left alone, as its version is: the import sets its own.
    /// `times` are the asset's creation and last change.
    fn read_only_cells(&self, sink: &mut Sink, row: &RawRow<'_>, times: (Timestamp, Timestamp)) {
        for column in READ_ONLY {
            let Some(index) = self.header.position(column) else {
                continue;
            };
            let text = row.cell(index).trim();
            let at = match column {
                Column::CreatedAt => times.0,
                Column::UpdatedAt => times.1,
                _ => continue,
            };
            if text.is_empty() || text.parse::<Timestamp>().is_ok_and(|t| t == at) {
                continue;
            }
            let reason = Localized::new(
                format!(
                    "`{}`（{}）は台帳が記録する値で変更できません。この資産の値は `{at}` です。\
                     書き出したままにするか、空欄にしてください",
                    column.key(),
                    column.ja(),
                ),
                format!(
                    "`{}` ({}) is set by the register and cannot be changed: the asset's is \
                     `{at}`; leave the cell as exported, or empty",
                    column.key(),
                    column.ja(),
                ),
            );
            sink.error(
                self.file,
                self.at(row),
                Some(self.header.name(column)),
                text,
                reason,
            );
        }
    }

    /// Reports a row that describes the same asset as an earlier row.
    fn same_asset(&self, sink: &mut Sink, row: &RawRow<'_>, first: u64) {
        let reason = Localized::new(
            format!(
                "{first} 行目が同じ資産を表しています（管理番号が同じか、所管と名称が同じ）。\
                 行ごとに別の管理番号か ID を付けてください"
            ),
            format!(
                "row {first} describes the same asset (the same 管理番号, or the same \
                 organization and name); give each row its own 管理番号 or id"
            ),
        );
        sink.error(self.file, self.at(row), None, "", reason);
    }

    /// Reports an id-less row that several assets could be.
    fn ambiguous(&self, sink: &mut Sink, row: &RawRow<'_>, candidates: &[Asset]) {
        let named: Vec<String> = candidates
            .iter()
            .take(3)
            .map(|a| match &a.fields.asset_number {
                Some(number) => format!("`{}` (管理番号 `{number}`)", a.id),
                None => format!("`{}`", a.id),
            })
            .collect();
        let more = candidates.len() > 3;
        let reason = Localized::new(
            format!(
                "この所管にこの名称の資産が {} 件{}あります（{}{}）。行に、表す資産の ID か管理番号を\
                 付けてください",
                candidates.len().min(3),
                if more { "より多く" } else { "" },
                named.join("、"),
                if more { "、…" } else { "" },
            ),
            format!(
                "{}{} assets of this organization have this name ({}{}); give the row the \
                 id or 管理番号 of the one it describes",
                if more { "more than " } else { "" },
                candidates.len().min(3),
                named.join(", "),
                if more { ", …" } else { "" },
            ),
        );
        let name = self.header.name(Column::Name);
        sink.error(self.file, self.at(row), Some(name), "", reason);
    }

    /// True when a row's version cell, if any, is the asset's `version`;
    /// else the conflict is reported.
    fn version_holds(
        &self,
        sink: &mut Sink,
        row: &RawRow<'_>,
        id: AssetId,
        expected: Option<u64>,
        version: u64,
    ) -> bool {
        let Some(expected) = expected.filter(|expected| *expected != version) else {
            return true;
        };
        let reason = Localized::new(
            format!(
                "資産 `{id}` はこのシートを書き出した後に変更されています: \
                 シートの版は {expected}、台帳の版は {version}"
            ),
            format!(
                "asset `{id}` was changed since this sheet was exported: the sheet has \
                 version {expected}, the register {version}"
            ),
        );
        let column = self.header.name(Column::Version);
        let at = self.at(row);
        sink.error(self.file, at, Some(column), &expected.to_string(), reason);
        false
    }

    /// A row (of a sheet with every column) compared with its asset's stored
    /// row, which is decoded only when they differ. The same errors, in the
    /// same order, as decoding it first: a stored row that would not decode
    /// fails the import either way, and a row whose fields are the stored
    /// ones sets no text anew.
    fn compare(
        &mut self,
        sink: &mut Sink,
        row: &RawRow<'_>,
        id: AssetId,
        stored: &StoredAsset<'_, '_>,
    ) -> Result<Compared> {
        let extra = stored.extra(&mut self.resolver)?;
        let Some(fields) = self.checked_fields(sink, row, None, extra) else {
            stored.decode(&mut self.resolver)?;
            return Ok(Compared::Refused);
        };
        let probe = Asset {
            id,
            fields,
            version: 1,
            created_at: self.now,
            updated_at: self.now,
        };
        let places = stored.differing(&probe);
        if places.is_empty()
            && let Some(same) = stored.keys()
        {
            return Ok(Compared::Same(same));
        }
        let current = stored.decode(&mut self.resolver)?;
        let fields = probe.fields;
        if !self.new_texts(sink, row, &fields, Some(&current.fields)) {
            return Ok(Compared::Refused);
        }
        Ok(Compared::Differs(
            Box::new(current),
            Box::new(Differs { fields, places }),
        ))
    }

    /// What [`Self::upsert`] does with a row whose fields are its asset's
    /// (`stored`: the version and times): checks its version and times, and
    /// reports it unchanged.
    fn unchanged(
        &self,
        sink: &mut Sink,
        row: &RawRow<'_>,
        id: AssetId,
        expected_version: Option<u64>,
        errors_before: usize,
        (version, created_at, updated_at): (u64, Timestamp, Timestamp),
    ) {
        self.read_only_cells(sink, row, (created_at, updated_at));
        if sink.errors.total > errors_before
            || !self.version_holds(sink, row, id, expected_version, version)
        {
            return;
        }
        sink.outcome(self.file, self.at(row), id, Outcome::Unchanged);
    }

    /// The asset a row describes, if there is one, and when its stored row
    /// was compared ([`Self::compare`]) the row's fields and the values they
    /// change; `None` when the row is done with (refused and reported, or
    /// unchanged).
    fn current(
        &mut self,
        sink: &mut Sink,
        (writer, stored_rows): (&Writer<'_, '_>, &mut StoredAssetReader<'_>),
        row: &RawRow<'_>,
        (id, expected_version): (Option<AssetId>, Option<u64>),
        errors_before: usize,
    ) -> Result<Option<(Option<Asset>, Option<Differs>)>> {
        Ok(Some(match id {
            Some(id) if self.header.is_complete() => {
                let compared =
                    stored_rows.with(id, |stored| self.compare(sink, row, id, stored))?;
                match compared {
                    None => (None, None),
                    Some(Compared::Refused) => return Ok(None),
                    Some(Compared::Same(stored)) => {
                        self.unchanged(sink, row, id, expected_version, errors_before, stored);
                        return Ok(None);
                    }
                    Some(Compared::Differs(current, differs)) => (Some(*current), Some(*differs)),
                }
            }
            Some(id) => (writer.db.asset_with(&mut self.resolver, id)?, None),
            None => match self.matching(writer, row)? {
                Match::Found(asset) => {
                    if let Some(first) = self.seen.insert(asset.id, row.row)? {
                        self.same_asset(sink, row, first);
                        return Ok(None);
                    }
                    (Some(*asset), None)
                }
                Match::New => (None, None),
                Match::Ambiguous(candidates) => {
                    self.ambiguous(sink, row, &candidates);
                    return Ok(None);
                }
            },
        }))
    }

    /// A row of an import that may update: creates, updates or leaves an
    /// asset through the write path.
    /// `stored_rows` reads the assets' rows as stored (of `writer`'s
    /// register).
    pub(super) fn upsert(
        &mut self,
        sink: &mut Sink,
        (writer, stored_rows): (&mut Writer<'_, '_>, &mut StoredAssetReader<'_>),
        row: &RawRow<'_>,
    ) -> Result<()> {
        let errors_before = sink.errors.total;
        let Some((id, expected_version)) = self.keys(sink, row)? else {
            return Ok(());
        };
        let Some((current, compared)) = self.current(
            sink,
            (writer, stored_rows),
            row,
            (id, expected_version),
            errors_before,
        )?
        else {
            return Ok(());
        };
        let (parsed, places) = match compared {
            Some(differs) => (Some(differs.fields), Some(differs.places)),
            None => (None, None),
        };
        let Some(fields) = parsed.or_else(|| self.fields(sink, row, current.as_ref())) else {
            return Ok(());
        };
        if let Some(current) = &current {
            self.read_only_cells(sink, row, (current.created_at, current.updated_at));
        }
        if sink.errors.total > errors_before {
            return Ok(());
        }
        let written = match current {
            None => {
                let new_id = id.unwrap_or_else(|| self.ids.next());
                if id.is_none() {
                    // A later id-less row that matches it is the same asset again.
                    self.seen.insert(new_id, row.row)?;
                }
                let asset = Asset {
                    id: new_id,
                    fields,
                    version: 1,
                    created_at: self.now,
                    updated_at: self.now,
                };
                writer.add(asset).map(|asset| (asset.id, Written::Created))
            }
            Some(current) => {
                if !self.version_holds(sink, row, current.id, expected_version, current.version) {
                    return Ok(());
                }
                // Only a row that changes something is reported with its columns.
                let changed = if current.fields == fields {
                    Vec::new()
                } else {
                    changed_columns(&current, &fields)
                };
                let name = current.name().to_owned();
                let written = match &places {
                    Some(places) => writer.replace_at(current, fields, places),
                    None => writer.replace(current, fields),
                }
                .map(|(asset, written)| (asset.id, written));
                if let Ok((id, Written::Updated)) = &written {
                    sink.change(self.file, self.at(row), *id, &name, changed);
                }
                written
            }
        };
        if matches!(written, Ok((_, Written::Created | Written::Updated))) {
            // An asset was added or changed: a name may now name another.
            self.hosts.forget();
        }
        match written {
            Ok((id, written)) => {
                let outcome = match written {
                    Written::Created => Outcome::Created,
                    Written::Updated => Outcome::Updated,
                    Written::Unchanged => Outcome::Unchanged,
                };
                sink.outcome(self.file, self.at(row), id, outcome);
                Ok(())
            }
            Err(e) if e.is_user_error() && !matches!(e, Error::Busy) => {
                self.refuse(sink, self.at(row), &e);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}

/// Whether each 保管場所 met names exactly one asset, by its text, until
/// the import writes an asset: a sheet names a few places many times.
#[derive(Default)]
pub(super) struct Hosts(std::collections::HashMap<Box<str>, bool>);

impl Hosts {
    /// Places remembered; more are looked up every time.
    const LIMIT: usize = 4096;

    fn named_once(&mut self, writer: &Writer<'_, '_>, host: &str) -> bool {
        if let Some(once) = self.0.get(host) {
            return *once;
        }
        let Ok(found) = writer.db.count_named(host, 2) else {
            return false;
        };
        if self.0.len() < Self::LIMIT {
            self.0.insert(host.into(), found == 1);
        }
        found == 1
    }

    fn forget(&mut self) {
        self.0.clear();
    }
}

/// A row compared with its asset's stored row.
enum Compared {
    /// The row has errors (reported).
    Refused,
    /// The row's fields are the stored ones: the version and times.
    Same((u64, Timestamp, Timestamp)),
    /// They differ: the asset decoded, and what the row changes.
    Differs(Box<Asset>, Box<Differs>),
}

/// What a row changes in its asset's stored row.
struct Differs {
    /// The row's fields.
    fields: AssetFields,
    /// The places of the stored values they change ([`StoredAsset::differing`]).
    places: Vec<usize>,
}

/// True for a cell that is a dict as Python or JSON writes it: `{…}`.
fn is_written_dict(cell: &str) -> bool {
    let cell = cell.trim();
    cell.starts_with('{') && cell.ends_with('}')
}

/// Which kind cells read as information (イ), the kind that is stored on a
/// system, by cell text: a sheet writes a few spellings many times, and
/// parsing one folds it.
#[derive(Default)]
pub(super) struct InformationKinds(std::collections::HashMap<Box<str>, bool>);

impl InformationKinds {
    /// Spellings remembered; more are parsed every time.
    const LIMIT: usize = 256;

    fn is_information(&mut self, cell: &str) -> bool {
        if let Some(known) = self.0.get(cell) {
            return *known;
        }
        let information = crate::model::Kind::parse(cell)
            .is_ok_and(|kind| kind == crate::model::Kind::Information);
        if self.0.len() < Self::LIMIT {
            self.0.insert(cell.into(), information);
        }
        information
    }
}

/// The columns whose values differ between an asset and the fields a row
/// gives it, with the old and the new value in sheet form.
fn changed_columns(current: &Asset, fields: &AssetFields) -> Vec<ColumnChange> {
    let next = Asset {
        fields: fields.clone(),
        ..current.clone()
    };
    Column::sheet()
        .filter(|col| !matches!(col, Column::Id | Column::Version))
        .chain([Column::Extra])
        .filter_map(|col| {
            let old = col.cell(current).canonical_text();
            let new = col.cell(&next).canonical_text();
            (old != new).then_some(ColumnChange {
                column: col,
                old,
                new,
            })
        })
        .collect()
}
