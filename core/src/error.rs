//! The one error type of the library.
//!
//! Variants carry structured context (field, value, id, path) so that the CLI
//! and the Python bindings can match on meaning; storage failures are
//! translated into domain errors inside the store module.

use std::fmt;
use std::path::PathBuf;

use crate::model::AssetId;
use crate::mynumber::Masked;
use crate::text::Localized;

/// A `Result` whose error defaults to [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value is not acceptable for a field.
    #[error("invalid {field} `{}`: {}", Masked(value), Masked(reason))]
    Invalid {
        /// The field that was being set, e.g. `name` or `record_count`.
        field: &'static str,
        /// The value as given, with any control character written as an
        /// escape (`\u{1b}`) where that is why it is refused.
        value: String,
        /// Why it is not acceptable, in both languages.
        reason: Localized,
    },
    /// A value is not one of a closed set (a policy's organizations, levels,
    /// controls, or one of the library's enums).
    #[error(
        "unknown {field} `{}`{} ({})",
        Masked(value),
        Masked(did_you_mean(suggestions)),
        Masked(allowed_list(allowed))
    )]
    UnknownValue {
        /// The field that was being set, e.g. `organization`.
        field: &'static str,
        /// The value as given.
        value: String,
        /// The codes that are accepted.
        allowed: Vec<String>,
        /// The accepted codes closest to the value, best first ("did you
        /// mean"): by containment, then by edit distance; often none.
        suggestions: Vec<String>,
        /// The Japanese label of each accepted code, in `allowed`'s order;
        /// empty where the codes are what people write (levels, encodings).
        allowed_ja: Vec<String>,
    },
    /// No asset has this id.
    #[error("no asset with id `{}`", Masked(id))]
    NotFound {
        /// The id that was looked up.
        id: String,
    },
    /// No asset has this name, or more than one has it.
    #[error("{} asset named `{}`", if *matches == 0 { "no" } else { "more than one" }, Masked(name))]
    AmbiguousName {
        /// The name that was looked up.
        name: String,
        /// How many assets carry the name (0 or more than 1).
        matches: usize,
    },
    /// A write was based on a version that is no longer current.
    #[error(
        "asset `{id}` was changed by someone else (expected version {expected}, found {actual})"
    )]
    Conflict {
        /// The asset that was being changed.
        id: AssetId,
        /// The version the caller based the change on.
        expected: u64,
        /// The version in the register.
        actual: u64,
    },
    /// A link that is being added exists already, or one being removed does not.
    #[error("link `{from} {relation} {to}` {}", if *exists { "exists already" } else { "does not exist" })]
    Link {
        /// The id of the link's source asset.
        from: AssetId,
        /// The relation's code.
        relation: &'static str,
        /// The id of the link's target asset.
        to: AssetId,
        /// True when the link exists (adding failed); false when it does not (removing failed).
        exists: bool,
    },
    /// The asset has been disposed of and can no longer be changed.
    #[error("asset `{id}` was disposed of on {date} and can no longer be changed")]
    Disposed {
        /// The asset.
        id: AssetId,
        /// The disposal date.
        date: jiff::civil::Date,
    },
    /// A file exists where a new one was to be created (a register, a
    /// backup, or an output written without leave to replace a file).
    #[error("a file exists already at `{}`", Masked(path.display()))]
    AlreadyExists {
        /// The path that was to be created.
        path: PathBuf,
    },
    /// An output file may not be written where it was asked for, even when
    /// replacing files is allowed: the register's own file, a symbolic link,
    /// or something other than a regular file.
    #[error("refusing to write `{}`: {reason}", path.display())]
    RefusedOutput {
        /// The output's path.
        path: PathBuf,
        /// Why, e.g. `it is a symbolic link, which is never followed`.
        reason: &'static str,
    },
    /// A file was expected and is missing.
    #[error("no register at `{}`", Masked(path.display()))]
    RegisterMissing {
        /// The path that was opened.
        path: PathBuf,
    },
    /// The file is not a daicho register.
    #[error("`{}` is not a daicho register", Masked(path.display()))]
    NotARegister {
        /// The path that was opened.
        path: PathBuf,
    },
    /// The register was written by a newer daicho.
    #[error("the register at `{}` has schema version {found}, newer than the {supported} this daicho knows; upgrade daicho", Masked(path.display()))]
    SchemaTooNew {
        /// The path that was opened.
        path: PathBuf,
        /// The schema version in the file.
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },
    /// A read-only open found a register written by an older daicho, whose
    /// schema only a writable open migrates.
    #[error("the register at `{}` has schema version {found}, older than the {supported} this daicho reads; run `daicho upgrade` once with write access to migrate it", path.display())]
    SchemaTooOld {
        /// The path that was opened.
        path: PathBuf,
        /// The schema version in the file.
        found: i64,
        /// The schema version this build reads.
        supported: i64,
    },
    /// A policy profile could not be read.
    #[error("policy `{}` is not valid TOML for a daicho policy", Masked(origin))]
    PolicyParse {
        /// Where the policy came from: a built-in profile name or a path.
        origin: String,
        /// What the TOML parser found.
        #[source]
        source: toml::de::Error,
    },
    /// A policy profile parsed but does not hold together.
    #[error("policy `{}` is inconsistent: {}", Masked(origin), Masked(reason))]
    PolicyInvalid {
        /// Where the policy came from.
        origin: String,
        /// What is wrong, in both languages.
        reason: Localized,
    },
    /// A policy file is larger than a policy may be.
    #[error("policy `{}` is larger than {} MiB, the most a policy file may hold", Masked(origin), limit >> 20)]
    PolicyTooLarge {
        /// Where the policy came from.
        origin: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// No built-in policy has this name.
    #[error("unknown built-in policy `{}` (built in: {})", Masked(name), built_in.join(", "))]
    UnknownPolicy {
        /// The name asked for.
        name: String,
        /// The built-in profiles' names.
        built_in: &'static [&'static str],
    },
    /// Reading or writing a file failed.
    #[error("failed to {action} `{}`", Masked(path.display()))]
    Io {
        /// What was being done, e.g. `read` or `create`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The register is busy: another process held the write lock for too long.
    #[error("the register is busy: another process is writing to it; try again")]
    Busy,
    /// A register on a database server could not be reached, or was asked
    /// for what only a register file does. Both languages' messages are
    /// made where the error is, since they name the server's own words.
    #[error("{en}")]
    Server {
        /// The message in Japanese.
        ja: String,
        /// The message in English.
        en: String,
    },
    /// The database failed in a way the library did not expect.
    #[error("the register's database failed while {operation}")]
    Storage {
        /// What the library was doing.
        operation: &'static str,
        /// The database's own error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A CSV import found errors; nothing was written.
    #[error("{}", import_error_message(source_name, errors, *total))]
    Import {
        /// The file or files imported (masked as [`RowError`]'s fields are).
        source_name: String,
        /// The errors, in file order (at most `sheet::MAX_STORED_ISSUES`).
        errors: Vec<RowError>,
        /// How many errors there were in all.
        total: usize,
    },
    /// An export hit a character its encoding cannot hold.
    #[error("row {row}, column `{}`: `{character}` (U+{:04X}) cannot be written in {encoding}; choose UTF-8 or replace it", Masked(column), u32::from(*character))]
    Unencodable {
        /// The data row, from 1 (the header is row 0).
        row: u64,
        /// The column's header.
        column: String,
        /// The character.
        character: char,
        /// The encoding's label, e.g. `cp932`.
        encoding: &'static str,
    },
    /// An asset cannot be deleted while links join it to other assets,
    /// unless its links are deleted with it.
    #[error("asset `{name}` has {}: {}; delete it with its links to remove them too", count(links.len(), "link", "links"), quoted(links))]
    Linked {
        /// The asset.
        id: AssetId,
        /// Its name.
        name: String,
        /// Each link as `from relation to`, with the assets' names.
        links: Vec<String>,
    },
    /// An import cannot be undone because assets it touched have changed
    /// since; nothing was reverted.
    #[error("import {import} cannot be undone: {} it touched changed since ({}); nothing was reverted", count(assets.len(), "asset", "assets"), quoted(&assets.iter().map(|(_, name)| name.clone()).collect::<Vec<_>>()))]
    ChangedSince {
        /// The import's id.
        import: u64,
        /// The assets that changed, with their names.
        assets: Vec<(AssetId, String)>,
    },
    /// A policy cannot replace the register's: assets in the register would
    /// not be valid under it; nothing was changed.
    #[error("policy `{name}` was not set: it would make {} invalid ({})", count(*total, "asset", "assets"), problems.iter().map(|p| p.en.as_str()).collect::<Vec<_>>().join("; "))]
    PolicyRefused {
        /// The new policy's name.
        name: String,
        /// What would be wrong, per asset (`` `name`: reason ``), the first
        /// ones, in both languages.
        problems: Vec<Localized>,
        /// How many assets would be invalid.
        total: usize,
    },
    /// Data in the register could not be read back (a corrupt or hand-edited file).
    #[error("the register holds data this daicho cannot read: {}", Masked(what))]
    Corrupt {
        /// What could not be read.
        what: String,
    },
    /// A signed checkpoint or a key file cannot be used: malformed, signed
    /// by another key, or its signature does not verify.
    #[error("the {what} `{}` cannot be used: {reason}", path.display())]
    Checkpoint {
        /// `checkpoint`, `private key` or `public key`.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// What is wrong, in both languages.
        reason: Localized,
    },
}

impl Error {
    /// True when the error is caused by input the user can fix (bad value,
    /// unknown id, stale version, missing file), false when it is unexpected.
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::Storage { .. } | Error::Corrupt { .. } => false,
            Error::Io { source, .. } => matches!(
                source.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied
            ),
            _ => true,
        }
    }

    /// True for [`Error::NotFound`].
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
    }

    /// True for [`Error::Conflict`].
    pub fn is_conflict(&self) -> bool {
        matches!(self, Error::Conflict { .. })
    }

    /// A value not acceptable for `field`, and why (in Japanese and English).
    pub(crate) fn invalid(
        field: &'static str,
        value: impl Into<String>,
        ja: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            field,
            value: value.into(),
            reason: Localized::new(ja, en),
        }
    }

    /// A value not among `allowed` (codes); the closest codes are suggested.
    pub(crate) fn unknown<I, S>(field: &'static str, value: impl Into<String>, allowed: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let value = value.into();
        let allowed: Vec<String> = allowed.into_iter().map(Into::into).collect();
        let suggestions = crate::text::closest(
            &value,
            allowed
                .iter()
                .enumerate()
                .map(|(i, code)| (i, code.as_str())),
        )
        .into_iter()
        .map(|i| allowed[i].clone())
        .collect();
        Error::UnknownValue {
            field,
            value,
            allowed,
            suggestions,
            allowed_ja: Vec::new(),
        }
    }

    /// A value not among a closed set whose members each have a code, a
    /// Japanese label and further spellings: the members whose spellings come
    /// closest to the value are suggested, by code.
    pub(crate) fn unknown_among<'a>(
        field: &'static str,
        value: impl Into<String>,
        members: impl IntoIterator<Item = (&'a str, &'a str)>,
        spellings: impl IntoIterator<Item = (usize, &'a str)>,
    ) -> Self {
        let value = value.into();
        let (allowed, allowed_ja): (Vec<String>, Vec<String>) = members
            .into_iter()
            .map(|(code, ja)| (code.to_owned(), ja.to_owned()))
            .unzip();
        let suggestions = crate::text::closest(&value, spellings)
            .into_iter()
            .filter_map(|index| allowed.get(index).cloned())
            .collect();
        Error::UnknownValue {
            field,
            value,
            allowed,
            suggestions,
            allowed_ja,
        }
    }
}

/// `, did you mean `a`, `b` or `c`?`, or nothing without suggestions.
pub(crate) fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!(", did you mean `{one}`?"),
        [rest @ .., last] => format!(", did you mean {} or `{last}`?", quoted(rest)),
    }
}

/// `allowed: a, b`, or that none is when the set is empty.
fn allowed_list(allowed: &[String]) -> String {
    if allowed.is_empty() {
        "none is allowed".to_owned()
    } else {
        format!("allowed: {}", allowed.join(", "))
    }
}

/// Items in backticks, joined by commas.
fn quoted(items: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut text = items
        .iter()
        .take(SHOWN)
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        use std::fmt::Write as _;
        let _ = write!(text, " and {} more", items.len() - SHOWN);
    }
    text
}

/// `1 link`, `2 links`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One problem in an imported file: where it is and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The file (its path, or the name given to a reader import).
    pub file: String,
    /// In a workbook, the cell as Excel names it with its sheet (`台帳!F12`),
    /// or the row (`台帳!12:12`) for a problem with the whole row; `None`
    /// for a CSV file.
    pub cell: Option<String>,
    /// The row as Excel numbers it, from 1: title rows count, and a cell
    /// with line breaks is one row.
    pub row: u64,
    /// The line of the file the row starts on, from 1.
    pub line: u64,
    /// The name of the asset the row describes, when it has one.
    pub asset: Option<String>,
    /// The column as its header is written in the file; `None` for a
    /// problem with the whole row.
    pub column: Option<String>,
    /// The cell as written (empty for a whole-row problem), every run of
    /// twelve digits masked (`1234********`) as the importer records it.
    pub value: String,
    /// What is wrong, in both languages.
    pub reason: Localized,
}

impl fmt::Display for RowError {
    /// `file:line, column `c`, value `v`: reason`, every run of twelve
    /// digits masked ([`crate::mynumber::mask`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cell {
            Some(cell) => write!(f, "{} {}", Masked(&self.file), Masked(cell))?,
            None => write!(f, "{} row {}", Masked(&self.file), self.row)?,
        }
        if let Some(asset) = &self.asset {
            write!(f, " (`{}`)", Masked(asset))?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column `{}`", Masked(column))?;
        }
        if !self.value.is_empty() {
            write!(f, ", value `{}`", Masked(&self.value))?;
        }
        write!(f, ": {}", Masked(&self.reason))?;
        if self.line != self.row && self.cell.is_none() {
            write!(f, " (line {} of the file)", self.line)?;
        }
        Ok(())
    }
}

/// The message of [`Error::Import`]: how many errors, and the first ones.
fn import_error_message(source: &str, errors: &[RowError], total: usize) -> String {
    use std::fmt::Write as _;
    const SHOWN: usize = 3;
    let mut message = format!(
        "failed to import `{}`: {total} {}, nothing was written",
        Masked(source),
        if total == 1 { "error" } else { "errors" }
    );
    for error in errors.iter().take(SHOWN) {
        let _ = write!(message, "\n  {error}");
    }
    if total > SHOWN.min(errors.len()) {
        let _ = write!(
            message,
            "\n  ... and {} more",
            total - SHOWN.min(errors.len())
        );
    }
    message
}

#[cfg(test)]
mod tests;
