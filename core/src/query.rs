//! Filters for listing assets, and the register's summary counts.

use crate::model::{Kind, Segment};
use crate::policy::{ExclusionCode, Level, OrgCode};

/// Which assets to list; every set criterion must hold.
///
/// The default lists every asset that has not been disposed of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this organization's assets.
    pub organization: Option<OrgCode>,
    /// Only assets of this department (所属), as written (after trimming).
    pub department: Option<String>,
    /// Only this kind.
    pub kind: Option<Kind>,
    /// Only this segment.
    pub segment: Option<Segment>,
    /// Only assets at or above this confidentiality level.
    pub min_confidentiality: Option<Level>,
    /// Only assets at or above this integrity level.
    pub min_integrity: Option<Level>,
    /// Only assets at or above this availability level.
    pub min_availability: Option<Level>,
    /// Only in-scope (true) or excluded (false) assets.
    pub in_scope: Option<bool>,
    /// Only assets with (true) or without (false) 個人情報.
    pub personal: Option<bool>,
    /// Only assets with (true) or without (false) 要配慮個人情報.
    pub sensitive: Option<bool>,
    /// Only assets with (true) or without (false) 特定個人情報: their own, or
    /// held through `stored_on` and `copy_of` links.
    pub my_number: Option<bool>,
    /// Only assets whose name contains this text, both folded: full- and
    /// half-width forms, upper and lower case, katakana and hiragana, and
    /// spaces do not matter (`ｼｽﾃﾑ` finds システム).
    pub name_contains: Option<String>,
    /// Whether disposed assets are listed.
    pub disposed: Disposed,
    /// Only assets of this manager (管理者), as written (after trimming).
    pub manager: Option<String>,
    /// Only assets last reviewed (点検) before this day, or never: those due a review.
    pub reviewed_before: Option<jiff::civil::Date>,
    /// Only assets changed (or added) at or after this time.
    pub updated_since: Option<jiff::Timestamp>,
}

/// Whether a listing includes disposed assets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Disposed {
    /// Only assets still in use.
    #[default]
    Exclude,
    /// Assets in use and disposed assets.
    Include,
    /// Only disposed assets.
    Only,
}

/// Counts of the assets in a register.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Every asset, disposed ones included.
    pub total: u64,
    /// Assets in use and in scope.
    pub in_scope: u64,
    /// Assets in use and excluded from the policy.
    pub excluded: u64,
    /// Assets disposed of.
    pub disposed: u64,
    /// Links between assets.
    pub links: u64,
    /// In-scope assets in use by organization, then by confidentiality level
    /// (codes highest first), in the policy's order: every organization, with
    /// zeros when it has none.
    pub by_organization: Vec<(OrgCode, Vec<(Level, u64)>)>,
    /// In-scope assets in use by kind.
    pub by_kind: Vec<(Kind, u64)>,
    /// In-scope assets in use by segment; `None` for no segment (paper).
    pub by_segment: Vec<(Option<Segment>, u64)>,
    /// Assets in use by scope: `None` for in scope, else the exclusion reason.
    pub by_scope: Vec<(Option<ExclusionCode>, u64)>,
}
