//! The self-inspection (自己点検, basic policy §7): effective classification
//! with explanations, the policy's rules as findings, what-if questions and
//! the risk list (§3, §8).
//!
//! Everything here is a pure function over a [`Snapshot`]: a compact,
//! in-memory copy of the assets and links that the rules need (ranks as
//! bytes, controls as a bitset, ids as indexes). [`Register::check`],
//! [`Register::explain`] and [`Register::what_if`] load one from the
//! register; [`Snapshot::new`] builds one from assets and links held
//! anywhere, so the rules can run without SQLite.
//!
//! # Effective classification
//!
//! The highest class wins (GUIDELINE-NOTES §1.3): a system (ア) holding
//! information (イ) through `stored_on` must be classified on each axis at
//! least as high as what it holds, and a `copy_of` at least as high as its
//! original. The required level of an asset on an axis is the highest
//! declared level of any asset from which a chain of such links leads to it;
//! its *effective* level is the higher of that and its own. The computation is
//! a breadth-first search per level, from the highest level down, over the
//! links between in-scope assets in use; it visits every asset once, so a
//! cycle of links cannot make it loop, and the result does not depend on the
//! order in which assets or links were added. Each raised value keeps the
//! path that explains it, traced back to the asset where the level
//! originates (e.g. `住民記録データ stored_on 住民基本台帳システム`, then
//! `住民基本台帳システム遠隔地バックアップ copy_of 住民基本台帳システム`).
//! 特定個人情報 travels the same links: a system holding My Number data holds
//! it too.
//!
//! Excluded assets (§4(2) proviso) and disposed assets neither pass levels on
//! nor receive them, and are not checked, except by the rules that concern
//! them (`scope.excluded_linked`, `disposal.record_incomplete`).
//!
//! # Rules
//!
//! | id | severity | section | finds |
//! |---|---|---|---|
//! | `class.below_inherited` | error | §6(2) | a level below the one inherited through `stored_on` / `copy_of` |
//! | `segment.my_number_outside` | error | §6(3)ア | 特定個人情報 (own or held) on an asset in a segment other than the My Number segment |
//! | `segment.my_number_connection` | error | §6(3)ア | `connects_to` or `transfers_to` between the My Number segment and another segment |
//! | `segment.lgwan_internet` | error | §6(3)イ | `connects_to` between the LGWAN and internet segments, or a transfer from internet to LGWAN without sanitization |
//! | `segment.my_number_controls` | error | §6(3)ア | a system (ア) in the My Number segment without `mfa` or `export_blocked` |
//! | `disposal.record_incomplete` | error | §6(2) | a disposed asset above the lowest confidentiality level without method or approver |
//! | `hosting.contract_missing` | error | §6(8) | outsourced or cloud hosting above the lowest confidentiality level without provider or contract |
//! | `controls.required_missing` | warning | §6(2) | a control required by the handling restrictions of the asset's effective levels is not declared |
//! | `manager.missing` | warning | §7 | no 情報セキュリティ管理者 |
//! | `review.overdue` | warning | §7 | the last review is older than the policy's interval |
//! | `review.missing` | warning | §7 | no review date |
//! | `scope.excluded_linked` | warning | §4(2) | an excluded asset linked to an in-scope asset |
//! | `link.cycle` | warning | §6(2) | `stored_on` / `copy_of` links that form a cycle (a data-entry mistake) |
//!
//! Errors are broken rules of the policy as recorded (a class too low, a
//! segment breach, an unapproved disposal, outsourcing without a contract);
//! warnings are gaps in handling or in the register itself (a missing control,
//! manager or review, a blurred scope, a cycle). [`Severity::Info`] is kept
//! for advice and not used by the built-in rules.
//!
//! Restrictions marked `electronic_only` in the policy are not asked of paper;
//! those marked `network_only` only of assets with a network segment. A
//! transfer from LGWAN to internet needs no sanitization (the policy asks it
//! inbound only, GUIDELINE-NOTES §5.1).
//!
//! # Risk
//!
//! [`Register::assess`] records, per asset and threat group of §3, the
//! threat's likelihood (1–3) and the vulnerability (1–3).
//! [`Register::risks`] lists them with the damage likelihood (the policy's
//! 3×3 matrix), the importance (the highest `importance` of the asset's
//! effective levels) and the risk value (importance × damage likelihood) with
//! its band, highest first; in-scope assets in use without any assessment are
//! listed apart as not assessed.

mod check;
mod inherit;
mod risk;
mod snapshot;

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;

use crate::error::{Error, Result};
use crate::model::{AssetId, Classification, Kind, Link, Relation};
use crate::policy::{Axis, ExclusionCode, Level, OrgCode};
use crate::register::Register;
use crate::store;

pub use risk::{Assessment, RiskEntry, RiskReport};
pub use snapshot::Snapshot;

/// The rules of the self-inspection, each with a stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum RuleId {
    /// `class.below_inherited`: a level below the one inherited through
    /// `stored_on` or `copy_of`.
    ClassBelowInherited,
    /// `segment.my_number_outside`: 特定個人情報 outside the My Number segment.
    MyNumberOutside,
    /// `segment.my_number_connection`: a connection or transfer between the
    /// My Number segment and another segment.
    MyNumberConnection,
    /// `segment.lgwan_internet`: an LGWAN ↔ internet connection, or an
    /// internet → LGWAN transfer without sanitization.
    LgwanInternet,
    /// `segment.my_number_controls`: a My Number segment system without
    /// multi-factor authentication or blocked data export.
    MyNumberControls,
    /// `disposal.record_incomplete`: a disposal without method or approver.
    DisposalIncomplete,
    /// `hosting.contract_missing`: outsourced or cloud hosting without
    /// provider or contract.
    ContractMissing,
    /// `controls.required_missing`: a control the handling restrictions
    /// require is not declared.
    RequiredControlMissing,
    /// `manager.missing`: no 情報セキュリティ管理者.
    ManagerMissing,
    /// `review.overdue`: the last review is older than the policy's interval.
    ReviewOverdue,
    /// `review.missing`: never reviewed.
    ReviewMissing,
    /// `scope.excluded_linked`: an excluded asset linked to an in-scope one.
    ExcludedLinked,
    /// `link.cycle`: `stored_on` / `copy_of` links forming a cycle.
    LinkCycle,
}

impl RuleId {
    /// Every rule, in report order.
    pub const ALL: &'static [RuleId] = &[
        RuleId::ClassBelowInherited,
        RuleId::MyNumberOutside,
        RuleId::MyNumberConnection,
        RuleId::LgwanInternet,
        RuleId::MyNumberControls,
        RuleId::DisposalIncomplete,
        RuleId::ContractMissing,
        RuleId::RequiredControlMissing,
        RuleId::ManagerMissing,
        RuleId::ReviewOverdue,
        RuleId::ReviewMissing,
        RuleId::ExcludedLinked,
        RuleId::LinkCycle,
    ];

    /// The stable id, e.g. `segment.my_number_outside`.
    pub fn code(self) -> &'static str {
        match self {
            RuleId::ClassBelowInherited => "class.below_inherited",
            RuleId::MyNumberOutside => "segment.my_number_outside",
            RuleId::MyNumberConnection => "segment.my_number_connection",
            RuleId::LgwanInternet => "segment.lgwan_internet",
            RuleId::MyNumberControls => "segment.my_number_controls",
            RuleId::DisposalIncomplete => "disposal.record_incomplete",
            RuleId::ContractMissing => "hosting.contract_missing",
            RuleId::RequiredControlMissing => "controls.required_missing",
            RuleId::ManagerMissing => "manager.missing",
            RuleId::ReviewOverdue => "review.overdue",
            RuleId::ReviewMissing => "review.missing",
            RuleId::ExcludedLinked => "scope.excluded_linked",
            RuleId::LinkCycle => "link.cycle",
        }
    }

    /// The severity of the rule's findings.
    pub fn severity(self) -> Severity {
        match self {
            RuleId::ClassBelowInherited
            | RuleId::MyNumberOutside
            | RuleId::MyNumberConnection
            | RuleId::LgwanInternet
            | RuleId::MyNumberControls
            | RuleId::DisposalIncomplete
            | RuleId::ContractMissing => Severity::Error,
            RuleId::RequiredControlMissing
            | RuleId::ManagerMissing
            | RuleId::ReviewOverdue
            | RuleId::ReviewMissing
            | RuleId::ExcludedLinked
            | RuleId::LinkCycle => Severity::Warning,
        }
    }

    /// The policy section the rule enforces, e.g. `§6(3)ア`.
    pub fn section(self) -> &'static str {
        match self {
            RuleId::ClassBelowInherited
            | RuleId::DisposalIncomplete
            | RuleId::RequiredControlMissing
            | RuleId::LinkCycle => "§6(2)",
            RuleId::MyNumberOutside | RuleId::MyNumberConnection | RuleId::MyNumberControls => {
                "§6(3)ア"
            }
            RuleId::LgwanInternet => "§6(3)イ",
            RuleId::ContractMissing => "§6(8)",
            RuleId::ManagerMissing | RuleId::ReviewOverdue | RuleId::ReviewMissing => "§7",
            RuleId::ExcludedLinked => "§4(2)",
        }
    }

    /// A short Japanese title.
    pub fn title_ja(self) -> &'static str {
        match self {
            RuleId::ClassBelowInherited => "継承すべき分類を下回る",
            RuleId::MyNumberOutside => "特定個人情報がマイナンバー利用事務系の外にある",
            RuleId::MyNumberConnection => "マイナンバー利用事務系と他の系との接続",
            RuleId::LgwanInternet => "LGWAN接続系とインターネット接続系の接続・無害化なしの転送",
            RuleId::MyNumberControls => "マイナンバー利用事務系の多要素認証・持出し不可設定がない",
            RuleId::DisposalIncomplete => "廃棄記録（方法・承認者）が不完全",
            RuleId::ContractMissing => "委託・クラウドの委託先・契約が未記載",
            RuleId::RequiredControlMissing => "取扱制限で必要な管理策がない",
            RuleId::ManagerMissing => "情報セキュリティ管理者が未登録",
            RuleId::ReviewOverdue => "点検が期限切れ",
            RuleId::ReviewMissing => "点検日が未記載",
            RuleId::ExcludedLinked => "適用除外の資産が対象資産と関連付けられている",
            RuleId::LinkCycle => "保存・複製の関係が循環している",
        }
    }

    /// A short English title.
    pub fn title_en(self) -> &'static str {
        match self {
            RuleId::ClassBelowInherited => "class below the inherited level",
            RuleId::MyNumberOutside => "My Number data outside the My Number segment",
            RuleId::MyNumberConnection => "My Number segment connected to another segment",
            RuleId::LgwanInternet => {
                "LGWAN and internet connected, or transfer without sanitization"
            }
            RuleId::MyNumberControls => "My Number system without MFA or blocked export",
            RuleId::DisposalIncomplete => "disposal record without method or approver",
            RuleId::ContractMissing => "outsourcing or cloud without provider or contract",
            RuleId::RequiredControlMissing => "control required by handling restrictions missing",
            RuleId::ManagerMissing => "no information security manager",
            RuleId::ReviewOverdue => "review overdue",
            RuleId::ReviewMissing => "never reviewed",
            RuleId::ExcludedLinked => "excluded asset linked to an in-scope asset",
            RuleId::LinkCycle => "stored_on / copy_of links form a cycle",
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for RuleId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        RuleId::ALL
            .iter()
            .copied()
            .find(|rule| rule.code() == s.trim())
            .ok_or_else(|| Error::unknown("rule", s, RuleId::ALL.iter().map(|r| r.code())))
    }
}

/// How serious a finding is; `Error` is the most serious and sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A rule of the policy is broken as recorded.
    Error,
    /// A gap in handling or in the register.
    Warning,
    /// Advice.
    Info,
}

impl Severity {
    /// Every severity, most serious first.
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    /// The code: `error`, `warning` or `info`.
    pub fn code(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// The Japanese label: 違反, 要改善 or 参考.
    pub fn label_ja(self) -> &'static str {
        match self {
            Severity::Error => "違反",
            Severity::Warning => "要改善",
            Severity::Info => "参考",
        }
    }

    /// True when `self` is as serious as `threshold` or more.
    pub fn at_least(self, threshold: Severity) -> bool {
        self <= threshold
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Severity {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.code() == s.trim() || sev.label_ja() == s.trim())
            .ok_or_else(|| Error::unknown("severity", s, ["error", "warning", "info"]))
    }
}

/// An asset named in a finding, an explanation or a risk entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AssetRef {
    /// The id.
    pub id: AssetId,
    /// The name.
    pub name: String,
    /// ア, イ or ウ.
    pub kind: Kind,
}

/// One problem the self-inspection found.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Finding {
    /// The rule.
    pub rule: RuleId,
    /// How serious it is (the rule's severity).
    pub severity: Severity,
    /// The policy section the rule enforces.
    pub section: &'static str,
    /// The organization of the first asset, for grouping.
    pub organization: OrgCode,
    /// The assets involved; the first is the one to fix.
    pub assets: Vec<AssetRef>,
    /// What is wrong, in Japanese.
    pub message_ja: String,
    /// What is wrong, in English.
    pub message_en: String,
}

/// An asset outside the policy's scope, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcludedAsset {
    /// The asset.
    pub asset: AssetRef,
    /// Its organization.
    pub organization: OrgCode,
    /// The exclusion reason.
    pub reason: ExclusionCode,
    /// True when it has been disposed of.
    pub disposed: bool,
}

/// The result of a self-inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The date the review-age rule counted from.
    pub today: Date,
    /// The findings, ordered by organization (in the policy's order),
    /// severity, rule, then the first asset's name and id.
    pub findings: Vec<Finding>,
    /// The assets outside the policy's scope, by organization and name.
    pub excluded: Vec<ExcludedAsset>,
    /// How many in-scope assets in use were checked.
    pub checked: usize,
    /// How many assets are disposed of.
    pub disposed: usize,
    /// How many links there are.
    pub links: usize,
}

impl Report {
    /// How many findings have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The most serious severity found, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).min()
    }

    /// True when some finding is at least as serious as `threshold`.
    pub fn fails(&self, threshold: Severity) -> bool {
        self.worst().is_some_and(|worst| worst.at_least(threshold))
    }

    /// The findings of one rule.
    pub fn of_rule(&self, rule: RuleId) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.rule == rule)
    }
}

/// Options of a self-inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CheckOptions {
    /// The date reviews are counted to; defaults to today in Japan.
    pub today: Date,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            today: crate::parse::today_in_japan(),
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
}

/// One link on an explaining path, in the link's own direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The link's source.
    pub from: AssetRef,
    /// The relation: `stored_on` or `copy_of`.
    pub relation: Relation,
    /// The link's target.
    pub to: AssetRef,
}

/// Why an asset needs the level it needs on one axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AxisExplanation {
    /// The axis.
    pub axis: Axis,
    /// The level the asset declares.
    pub declared: Level,
    /// The highest level that flows in through `stored_on` / `copy_of`, if any
    /// link brings one.
    pub inherited: Option<Level>,
    /// The higher of the two: the level the asset must be handled at.
    pub effective: Level,
    /// The asset where the effective level originates (the asset itself when
    /// its own level is the highest and nothing brings it).
    pub origin: AssetRef,
    /// The links from the origin to the asset; empty when the asset is its
    /// own origin.
    pub path: Vec<Step>,
}

impl AxisExplanation {
    /// True when the declared level is below the inherited one.
    pub fn is_below(&self) -> bool {
        self.declared.rank() < self.effective.rank()
    }
}

/// An asset's declared and effective classification, with the paths behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The asset.
    pub asset: AssetRef,
    /// Its organization.
    pub organization: OrgCode,
    /// The exclusion reason, when out of scope (nothing is inherited then).
    pub excluded: Option<ExclusionCode>,
    /// True when disposed of (nothing is inherited then).
    pub disposed: bool,
    /// Confidentiality, integrity and availability, in that order.
    pub axes: Vec<AxisExplanation>,
    /// When the asset holds 特定個人情報: the path it arrives by (empty when
    /// the asset itself is flagged).
    pub my_number: Option<Vec<Step>>,
    /// The findings that name the asset.
    pub findings: Vec<Finding>,
}

/// A proposed change to ask "what would it raise?" about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Proposal {
    /// Add this link.
    Link(Link),
    /// Give this asset this classification.
    Reclassify {
        /// The asset.
        id: AssetId,
        /// The proposed classification.
        classification: Classification,
    },
}

/// One asset whose effective level a proposal would raise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raised {
    /// The asset.
    pub asset: AssetRef,
    /// The axis.
    pub axis: Axis,
    /// The effective level now.
    pub from: Level,
    /// The effective level after the change.
    pub to: Level,
    /// The path that would explain the new level.
    pub path: Vec<Step>,
}

/// What a proposal would change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhatIf {
    /// The assets whose effective level would rise, by name and axis.
    pub raised: Vec<Raised>,
    /// Findings the change would add.
    pub new_findings: Vec<Finding>,
    /// Findings the change would resolve.
    pub resolved_findings: Vec<Finding>,
}

impl Register {
    /// A compact copy of the assets and links for the rules.
    pub fn snapshot(&self) -> Result<Snapshot> {
        let mut assets = snapshot::Builder::new(&self.policy)?;
        assets.reserve(store::snapshot::count_assets(&self.conn)?);
        store::snapshot::for_each_asset(&self.conn, |row| assets.stored(row))?;
        let mut snapshot = assets.finish();
        let mut edges = Vec::new();
        store::snapshot::for_each_link(&self.conn, |row| {
            edges.push(snapshot.stored_edge(row)?);
            Ok(())
        })?;
        snapshot.set_edges(edges);
        Ok(snapshot)
    }

    /// Runs the self-inspection.
    pub fn check(&self, options: &CheckOptions) -> Result<Report> {
        Ok(self.snapshot()?.check(options))
    }

    /// Explains an asset's effective classification (with today's findings).
    pub fn explain(&self, id: AssetId) -> Result<Explanation> {
        self.snapshot()?.explain(id, &CheckOptions::default())
    }

    /// Says which assets a proposed link or reclassification would raise,
    /// and which findings it would add or resolve; the register is not changed.
    pub fn what_if(&self, proposal: &Proposal, options: &CheckOptions) -> Result<WhatIf> {
        self.snapshot()?.what_if(proposal, options)
    }
}

#[cfg(test)]
mod tests;
