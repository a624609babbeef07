//! The one error type of the library.
//!
//! Variants carry structured context (field, value, id, path) so that the CLI
//! and the Python bindings can match on meaning; storage failures are
//! translated into domain errors inside the store module.

use std::fmt;
use std::path::PathBuf;

use crate::model::AssetId;

/// A `Result` whose error defaults to [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value is not acceptable for a field.
    #[error("invalid {field} `{value}`: {reason}")]
    Invalid {
        /// The field that was being set, e.g. `name` or `record_count`.
        field: &'static str,
        /// The value as given.
        value: String,
        /// Why it is not acceptable.
        reason: String,
    },
    /// A value is not one of a closed set (a policy's organizations, levels,
    /// controls, or one of the library's enums).
    #[error("unknown {field} `{value}` (allowed: {})", allowed.join(", "))]
    UnknownValue {
        /// The field that was being set, e.g. `organization`.
        field: &'static str,
        /// The value as given.
        value: String,
        /// The codes that are accepted.
        allowed: Vec<String>,
    },
    /// No asset has this id.
    #[error("no asset with id `{id}`")]
    NotFound {
        /// The id that was looked up.
        id: String,
    },
    /// No asset has this name, or more than one has it.
    #[error("{} asset named `{name}`", if *matches == 0 { "no" } else { "more than one" })]
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
    /// A register file exists where a new one was to be created.
    #[error("a file exists already at `{}`", path.display())]
    AlreadyExists {
        /// The path that was to be created.
        path: PathBuf,
    },
    /// A file was expected and is missing.
    #[error("no register at `{}`", path.display())]
    RegisterMissing {
        /// The path that was opened.
        path: PathBuf,
    },
    /// The file is not a daicho register.
    #[error("`{}` is not a daicho register", path.display())]
    NotARegister {
        /// The path that was opened.
        path: PathBuf,
    },
    /// The register was written by a newer daicho.
    #[error("the register at `{}` has schema version {found}, newer than the {supported} this daicho knows; upgrade daicho", path.display())]
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
    #[error("policy `{origin}` is not valid TOML for a daicho policy")]
    PolicyParse {
        /// Where the policy came from: a built-in profile name or a path.
        origin: String,
        /// What the TOML parser found.
        #[source]
        source: toml::de::Error,
    },
    /// A policy profile parsed but does not hold together.
    #[error("policy `{origin}` is inconsistent: {reason}")]
    PolicyInvalid {
        /// Where the policy came from.
        origin: String,
        /// What is wrong.
        reason: String,
    },
    /// No built-in policy has this name.
    #[error("unknown built-in policy `{name}` (built in: {})", built_in.join(", "))]
    UnknownPolicy {
        /// The name asked for.
        name: String,
        /// The built-in profiles' names.
        built_in: &'static [&'static str],
    },
    /// Reading or writing a file failed.
    #[error("failed to {action} `{}`", path.display())]
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
    /// The embedded database failed in a way the library did not expect.
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
        /// The file or files imported.
        source_name: String,
        /// The errors, in file order (at most `sheet::MAX_STORED_ISSUES`).
        errors: Vec<RowError>,
        /// How many errors there were in all.
        total: usize,
    },
    /// An export hit a character its encoding cannot hold.
    #[error("row {row}, column `{column}`: `{character}` (U+{:04X}) cannot be written in {encoding}; choose UTF-8 or replace it", u32::from(*character))]
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
    /// Data in the register could not be read back (a corrupt or hand-edited file).
    #[error("the register holds data this daicho cannot read: {what}")]
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
        /// What is wrong.
        reason: String,
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

    pub(crate) fn invalid(
        field: &'static str,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            field,
            value: value.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn unknown<I, S>(field: &'static str, value: impl Into<String>, allowed: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Error::UnknownValue {
            field,
            value: value.into(),
            allowed: allowed.into_iter().map(Into::into).collect(),
        }
    }
}

/// One problem in an imported file: where it is and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The file (its path, or the name given to a reader import).
    pub file: String,
    /// The line the row starts on, from 1 (the header is line 1).
    pub line: u64,
    /// The column as its header is written in the file; `None` for a
    /// problem with the whole row.
    pub column: Option<String>,
    /// The cell as written (empty for a whole-row problem).
    pub value: String,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        if let Some(column) = &self.column {
            write!(f, ", column `{column}`")?;
        }
        if !self.value.is_empty() {
            write!(f, ", value `{}`", self.value)?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// The message of [`Error::Import`]: how many errors, and the first ones.
fn import_error_message(source: &str, errors: &[RowError], total: usize) -> String {
    use std::fmt::Write as _;
    const SHOWN: usize = 3;
    let mut message = format!(
        "failed to import `{source}`: {total} {}, nothing was written",
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
