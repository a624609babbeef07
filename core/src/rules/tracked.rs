//! What the register records beside its assets that rules look at, as
//! plain data a [`Snapshot`](crate::rules::Snapshot) carries: tracked
//! findings due for correction, and the 事務 of 特定個人情報.

use jiff::civil::Date;

use crate::policy::PiaKind;

/// A tracked finding still to be corrected, with its due date, for
/// `correction.overdue` (computed after the other rules, for the keys the
/// run still finds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CorrectionNode {
    pub(crate) id: i64,
    pub(crate) key: String,
    pub(crate) due_on: Date,
    pub(crate) owner: Option<String>,
}

/// A 事務 of 特定個人情報 with the figures its evaluation depends on, for
/// `pia.*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProcessNode {
    /// Its number: the subject of its findings, and their key.
    pub(crate) id: i64,
    pub(crate) name: String,
    /// Its files in use, the largest 件数 first (named by its findings; may
    /// be none).
    pub(crate) files: Vec<u32>,
    /// The stated 対象人数, else the largest 件数 among its files of
    /// 特定個人情報.
    pub(crate) persons: Option<u64>,
    pub(crate) handlers: u64,
    /// The last 重大事故.
    pub(crate) incident_on: Option<Date>,
    /// The evaluation done: its kind and publication date.
    pub(crate) done: Option<(PiaKind, Date)>,
}
