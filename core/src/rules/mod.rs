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
//! them (`scope.excluded_linked`, `disposal.record_incomplete`,
//! `text.my_number_like`).
//!
//! # Rules
//!
//! The rules are a catalog (`catalog/mod.rs`): one row per rule holds its id,
//! severity, policy section, Japanese and English titles, whether it looks at
//! assets or links, and its function; [`RuleId`] and its methods are derived
//! from the rows, and the check runs every row's function. The functions sit
//! beside the catalog, grouped by topic. This table is the catalog (a test
//! keeps the two alike):
//!
//! | id | severity | section | over | function | finds |
//! |---|---|---|---|---|---|
//! | `class.below_inherited` | error | §6(2) | assets | `class::below_inherited` | a level below the one inherited through `stored_on` / `copy_of` |
//! | `segment.my_number_outside` | error | §6(3)ア | assets | `segment::my_number_outside` | 特定個人情報 (own or held) on an asset in a segment other than the My Number segment |
//! | `segment.my_number_connection` | error | §6(3)ア | links | `segment::my_number_connection` | `connects_to` or `transfers_to` between the My Number segment and another segment |
//! | `segment.lgwan_internet` | error | §6(3)イ | links | `segment::lgwan_internet` | `connects_to` between the LGWAN and internet segments, or a transfer from internet to LGWAN without sanitization |
//! | `segment.my_number_controls` | error | §6(3)ア | assets | `segment::my_number_controls` | a system (ア) in the My Number segment without `mfa` or `export_blocked` |
//! | `text.my_number_like` | error | §6(3)ア | assets | `text::my_number_like` | a text of the register (name, notes, an extra attribute …) holding a number shaped like a 個人番号, on any asset, unless the check allows the column |
//! | `disposal.record_incomplete` | error | §6(2) | assets | `disposal::record_incomplete` | a disposed asset above the lowest confidentiality level without method or approver |
//! | `hosting.contract_missing` | error | §6(8) | assets | `disposal::contract_missing` | outsourced or cloud hosting above the lowest confidentiality level without provider or contract |
//! | `controls.required_missing` | warning | §6(2) | assets | `controls::required_missing` | a control required by the handling restrictions of the asset's effective levels is not declared |
//! | `manager.missing` | warning | §7 | assets | `review::manager_missing` | no 情報セキュリティ管理者 |
//! | `review.overdue` | warning | §7 | assets | `review::overdue` | the last review is older than the policy's interval |
//! | `review.missing` | warning | §7 | assets | `review::missing` | no review date |
//! | `scope.excluded_linked` | warning | §4(2) | links | `scope::excluded_linked` | an excluded asset linked to an in-scope asset |
//! | `link.cycle` | warning | §6(2) | links | `scope::link_cycle` | `stored_on` / `copy_of` links that form a cycle (a data-entry mistake) |
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

//!
//! # Modules
//!
//! Each module uses only modules below it, so there are no circles; this
//! file declares them, re-exports the public types and loads a snapshot
//! from the register.
//!
//! ```text
//! scoped     Register::check_where (the share of a check one filter selects)
//! explain    Explanation, WhatIf; Snapshot::{explain, what_if}
//! risk       RiskReport; Register::{assess, unassess, assessments, risks}  (SQL in store::risks)
//! check      Report, Finding; Snapshot::check runs every row of the catalog
//! catalog    RuleId, Severity, RULES (one row per rule)
//!   ├ class, segment, disposal, controls, review, scope, text (one function per rule)
//!   └ words (wording the rule functions share)
//! findings   CheckOptions, Findings (what a rule is given and fills)
//! inherit    Inheritance (effective levels, paths, cycles)
//! snapshot   Snapshot, plain data (built from the rows of store::snapshot)
//! ```

mod catalog;
mod check;
mod explain;
mod findings;
mod inherit;
mod risk;
mod scoped;
mod snapshot;

use crate::error::Result;
use crate::model::AssetId;
use crate::register::Register;

pub use catalog::{RuleId, Severity};
pub use check::{ExcludedAsset, Finding, Report};
pub use explain::{AxisExplanation, Explanation, Proposal, Raised, Step, WhatIf};
pub use findings::CheckOptions;
pub use risk::{Assessment, RiskEntry, RiskReport};
pub use snapshot::{AssetRef, Snapshot};

impl Register {
    /// A compact copy of the assets and links for the rules.
    pub fn snapshot(&self) -> Result<Snapshot> {
        let mut assets = snapshot::Builder::new(self.policy())?;
        assets.reserve(self.db().count_assets()?);
        self.db().snapshot_assets(|row| assets.stored(row))?;
        let mut snapshot = assets.finish();
        let mut edges = Vec::new();
        self.db().snapshot_links(|row| {
            edges.push(snapshot.stored_edge(row)?);
            Ok(())
        })?;
        snapshot.set_edges(edges);
        Ok(snapshot)
    }

    /// Runs the self-inspection on the register as it is at one moment,
    /// with the audit chain's head of that moment.
    pub fn check(&self, options: &CheckOptions) -> Result<Report> {
        let (snapshot, head) = self.db().read(|_| Ok((self.snapshot()?, self.head()?)))?;
        let mut report = snapshot.check(options);
        report.head = Some(head);
        Ok(report)
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
