//! What a rule is given besides the snapshot and the inheritance
//! ([`CheckOptions`]), and what it fills ([`Findings`]).
//!
//! A rule says what is wrong and where; the catalog says which rule it is,
//! so a rule's function never names its own id, severity or section.

use std::ops::Range;

use jiff::civil::Date;

use crate::policy::OrgCode;
use crate::rules::snapshot::{AssetRef, Snapshot};

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

/// One finding of the rule being run, before the catalog names the rule.
#[derive(Debug)]
pub(crate) struct Found {
    pub(crate) organization: OrgCode,
    pub(crate) assets: Vec<AssetRef>,
    pub(crate) subject: Option<Subject>,
    pub(crate) message_ja: String,
    pub(crate) message_en: String,
}

/// The findings of one rule over one part of the snapshot.
#[derive(Debug)]
pub(crate) struct Findings<'s> {
    snapshot: &'s Snapshot,
    /// The assets a rule on assets looks at (the asset rules run on two
    /// halves at once); rules on links look at every link.
    assets: Range<u32>,
    found: Vec<Found>,
}

impl<'s> Findings<'s> {
    pub(crate) fn new(snapshot: &'s Snapshot, assets: Range<u32>) -> Self {
        Findings {
            snapshot,
            assets,
            found: Vec::new(),
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
        let mut refs: Vec<AssetRef> = Vec::with_capacity(assets.len());
        for &a in assets {
            if !refs.iter().any(|r| r.id == self.snapshot.ids[a as usize]) {
                refs.push(self.snapshot.asset_ref(a));
            }
        }
        self.found.push(Found {
            organization: self.snapshot.org_code(first),
            assets: refs,
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
            Some(&first) => self.snapshot.org_code(first),
            None => match self.snapshot.policy.organizations().first() {
                Some(org) => org.code.clone(),
                None => return,
            },
        };
        let mut refs: Vec<AssetRef> = Vec::with_capacity(assets.len());
        for &a in assets {
            if !refs.iter().any(|r| r.id == self.snapshot.ids[a as usize]) {
                refs.push(self.snapshot.asset_ref(a));
            }
        }
        self.found.push(Found {
            organization,
            assets: refs,
            subject: Some(subject),
            message_ja,
            message_en,
        });
    }

    pub(crate) fn into_found(self) -> Vec<Found> {
        self.found
    }
}
