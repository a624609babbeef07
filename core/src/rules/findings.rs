//! What a rule is given besides the snapshot and the inheritance
//! ([`CheckOptions`]), and what it fills ([`Findings`]).
//!
//! A rule says what is wrong and where; the catalog says which rule it is,
//! so a rule's function never names its own id, severity or section.

use std::ops::Range;

use jiff::civil::Date;

use crate::rules::snapshot::Snapshot;

/// What a finding is about besides assets.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Subject {
    /// A 事務 of 特定個人情報 (`pia.*`), by its number, shown by its name.
    Process {
        /// The 事務's number.
        id: i64,
        /// Its name when the check ran.
        name: String,
    },
    /// A tracked finding (`correction.overdue`), by its number.
    Finding {
        /// The tracked finding's number.
        id: i64,
    },
}

impl Subject {
    /// Its part of a finding's key: `process-3` or `finding-12`.
    pub fn key(&self) -> String {
        match self {
            Subject::Process { id, .. } => format!("process-{id}"),
            Subject::Finding { id } => format!("finding-{id}"),
        }
    }
}

/// Options of a self-inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CheckOptions {
    /// The date reviews are counted to; defaults to today in Japan.
    pub today: Date,
    /// The columns whose numbers shaped like a 個人番号 are not findings of
    /// `text.my_number_like`: those an import allowed to hold other 12-digit
    /// codes (asset columns by any of their names, extra attributes by key).
    pub allow_my_number_like: Vec<String>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            today: crate::parse::today_in_japan(),
            allow_my_number_like: Vec::new(),
        }
    }
}

impl CheckOptions {
    /// Counts reviews to this date instead of today (for reproducible reports).
    #[must_use]
    pub fn with_today(mut self, today: Date) -> Self {
        self.today = today;
        self
    }

    /// Lets a column hold numbers shaped like a 個人番号 (see
    /// [`CheckOptions::allow_my_number_like`]); may be given for several.
    #[must_use]
    pub fn allow_my_number_like(mut self, column: impl Into<String>) -> Self {
        self.allow_my_number_like.push(column.into());
        self
    }
}

/// One finding of the rule being run, before the catalog names the rule:
/// its assets by index, an asset named twice listed once.
#[derive(Debug)]
pub(crate) struct Found {
    /// The organization's index in the policy's order.
    pub(crate) organization: u16,
    pub(crate) assets: Vec<u32>,
    pub(crate) subject: Option<Subject>,
    pub(crate) message_ja: String,
    pub(crate) message_en: String,
}

/// Where a rule's findings go as it finds them (the check names the rule,
/// applies exceptions and keeps them in report order).
pub(crate) trait Emit {
    fn emit(&mut self, found: Found);
}

/// The findings of one rule over one part of the snapshot.
pub(crate) struct Findings<'s> {
    snapshot: &'s Snapshot,
    /// The assets a rule on assets looks at (the asset rules run on two
    /// halves at once); rules on links look at every link.
    assets: Range<u32>,
    out: &'s mut dyn Emit,
}

impl std::fmt::Debug for Findings<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Findings")
            .field("assets", &self.assets)
            .finish_non_exhaustive()
    }
}

impl<'s> Findings<'s> {
    pub(crate) fn new(snapshot: &'s Snapshot, assets: Range<u32>, out: &'s mut dyn Emit) -> Self {
        Findings {
            snapshot,
            assets,
            out,
        }
    }

    /// The indexes of the assets to look at.
    pub(crate) fn assets(&self) -> Range<u32> {
        self.assets.clone()
    }

    /// Records a finding on `assets` (by index; the first is the one to fix,
    /// and gives the organization); an asset named twice is listed once.
    pub(crate) fn push(&mut self, assets: &[u32], message_ja: String, message_en: String) {
        let Some(&first) = assets.first() else {
            return;
        };
        self.out.emit(Found {
            organization: self.snapshot.nodes[first as usize].org,
            assets: once_each(assets),
            subject: None,
            message_ja,
            message_en,
        });
    }

    /// Records a finding on `subject` (a 事務 or a tracked finding), naming
    /// `assets` (by index, the first to fix) if it has any; one with none is
    /// grouped under the policy's first organization.
    pub(crate) fn push_on(
        &mut self,
        subject: Subject,
        assets: &[u32],
        message_ja: String,
        message_en: String,
    ) {
        let organization = match assets.first() {
            Some(&first) => self.snapshot.nodes[first as usize].org,
            None if self.snapshot.policy.organizations().is_empty() => return,
            None => 0,
        };
        self.out.emit(Found {
            organization,
            assets: once_each(assets),
            subject: Some(subject),
            message_ja,
            message_en,
        });
    }
}

/// The indexes in order, each once (an index is one asset).
fn once_each(assets: &[u32]) -> Vec<u32> {
    let mut once: Vec<u32> = Vec::with_capacity(assets.len());
    for &a in assets {
        if !once.contains(&a) {
            once.push(a);
        }
    }
    once
}
