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
//! An asset's own confidentiality counts at least at the floor its personal
//! data sets (the policy's `floors`). Excluded assets (§4(2) proviso) are not
//! checked but pass their level to the in-scope system in use that stores
//! them (the finding is the system's, in its body); disposed assets receive
//! what they held (their disposal is judged at it) and pass nothing on. Only
//! the rules that concern them look at excluded or disposed assets
//! (`scope.*`, `disposal.*`, `text.my_number_like`).
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
//! | `class.below_floor` | error | §6(2) | assets | `class::below_floor` | a confidentiality below the floor its personal data sets (the policy's `floors`: 個人情報, 要配慮個人情報, 特定個人情報, 件数) |
//! | `segment.my_number_outside` | error | §6(3)ア | assets | `segment::my_number_outside` | 特定個人情報 (own or held) on an asset in a segment other than the My Number segment |
//! | `segment.my_number_media` | error | §6(3)ア | assets | `segment::my_number_media` | 特定個人情報 (own or held) on portable media, or on an electronic asset with no segment |
//! | `segment.my_number_connection` | error | §6(3)ア | links | `segment::my_number_connection` | `connects_to` or `transfers_to` between the My Number segment and another segment |
//! | `segment.lgwan_internet` | error | §6(3)イ | links | `segment::lgwan_internet` | `connects_to` between the LGWAN and internet segments, or an unsanitized transfer between them, either way, from a source at `transfer_error_from` or above |
//! | `segment.unsanitized_transfer` | warning | §6(3)イ | links | `segment::unsanitized_transfer` | an unsanitized transfer between LGWAN and internet, either way, from a source below `transfer_error_from` |
//! | `segment.my_number_controls` | error | §6(3)ア | assets | `segment::my_number_controls` | a terminal or system (ア) in the My Number segment without `mfa` or `export_blocked` (network devices, portable media and paper are not asked) |
//! | `text.my_number_like` | error | §6(3)ア | assets | `text::my_number_like` | a text of the register (name, notes, an extra attribute …) holding a number shaped like a 個人番号, on any asset, unless the check allows the column |
//! | `segment.host_mismatch` | error | §6(3) | links | `segment::host_mismatch` | information (イ) stored on a system (ア) of another segment |
//! | `segment.internet_high` | warning | §6(3)ウ | assets | `segment::internet_high` | an asset on the internet segment above `internet_max_confidentiality` (3A, 3B) |
//! | `segment.internet_monitoring` | warning | §6(3)ウ | assets | `segment::internet_monitoring` | a system (ア) on the internet segment without `monitoring`, or (but for network devices) `malware_protection` |
//! | `disposal.record_incomplete` | error | §6(2) | assets | `disposal::record_incomplete` | a disposed asset above the lowest confidentiality (effective: what it held counts) without method, approver, or a certificate when a contractor disposed of it |
//! | `disposal.method_unlisted` | error | §6(2) | assets | `disposal::method_unlisted` | a disposal method that is not among the policy's unrecoverable `disposal_methods` |
//! | `disposal.self_approved` | error | §6(2) | assets | `disposal::self_approved` | a disposal approved by the person who carried it out |
//! | `disposal.still_stored` | warning | §6(2) | links | `disposal::still_stored` | information in use still stored on a disposed system |
//! | `hosting.contract_missing` | error | §6(8) | assets | `disposal::contract_missing` | outsourced or cloud hosting above the lowest confidentiality level without provider or contract |
//! | `controls.required_missing` | warning | §6(2) | assets | `controls::required_missing` | a control required by the handling restrictions of the asset's effective levels is not declared |
//! | `manager.missing` | warning | §6(1), §6(2) | assets | `review::manager_missing` | no 情報セキュリティ管理者 |
//! | `review.overdue` | warning | §7 | assets | `review::overdue` | the last review is older than the policy's cycle (`fiscal_year`: before the previous 年度; or a number of days) |
//! | `review.missing` | warning | §7 | assets | `review::missing` | no review date |
//! | `scope.related_unlinked` | error | §4(2) | links | `scope::related_unlinked` | an asset excluded as related information (関連情報) with no link to school education or hospital medical information of its own body |
//! | `scope.excluded_my_number` | warning | §4(2) | assets | `scope::excluded_my_number` | an excluded asset holding 特定個人情報 (the My Number Act still applies) |
//! | `scope.excluded_linked` | warning | §4(2) | links | `scope::excluded_linked` | an excluded asset linked to an in-scope asset |
//! | `link.cycle` | warning | §6(2) | links | `scope::link_cycle` | `stored_on` / `copy_of` links that form a cycle (a data-entry mistake) |
//! | `exception.expired` | error | §6 | links | `exceptions::expired` | an exception (例外措置) past its expiry and not ended |
//! | `correction.overdue` | warning | §7 | links | `followup::correction_overdue` | a tracked finding (是正) still open or in progress past its due date |
//! | `pia.evaluation_missing` | error | 番号法§27・§28 | links | `followup::evaluation_missing` | a 事務 of 特定個人情報 whose figures require a 特定個人情報保護評価, with none recorded |
//! | `pia.evaluation_insufficient` | error | 番号法§27・§28 | links | `followup::evaluation_insufficient` | a 事務 whose recorded evaluation is less thorough than the threshold judgment (しきい値判断) requires |
//! | `pia.evaluation_stale` | warning | 評価規則 | links | `followup::evaluation_stale` | a 事務's evaluation published longer ago than the policy's `valid_years` (特定個人情報保護評価に関する規則: re-evaluation at least every five years) |
//! | `pia.persons_unknown` | warning | 番号法§27・§28 | links | `followup::persons_unknown` | a 事務 whose 対象人数 is neither stated nor given by a file of 特定個人情報's 件数, so the threshold judgment cannot be made |
//!
//! Errors are broken rules of the policy as recorded (a class too low, a
//! segment breach, an unapproved disposal, outsourcing without a contract,
//! an expired exception); warnings are gaps in handling or in the register
//! itself (a missing control, manager or review, a blurred scope, a cycle).
//! [`Severity::Info`] is what a finding becomes while a valid exception
//! (例外措置, [`Exception`]) covers it: the finding names the exception.
//!
//! Restrictions marked `electronic_only` in the policy are not asked of paper,
//! those marked `paper_only` only of paper, those marked `network_only` only
//! of assets with a network segment; integrity and availability restrictions
//! only of electronic assets. A transfer between LGWAN and internet needs
//! sanitization either way (§6(3)イ: 両システム間で通信する場合には、無害化通信を
//! 実施する).
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
//! scoped     Register::check_where (the share of a check one filter selects), check_streamed
//! explain    Explanation, WhatIf; Snapshot::{explain, what_if}
//! pia        Process, PiaReport; Register::{add_process, set_process, processes, pia}  (SQL in store::pia)
//! correction TrackedFinding; Register::{record_check, findings, set_finding}  (SQL in store::findings)
//! exception  Exception; Register::{add_exception, exceptions, end_exception}  (SQL in store::exceptions)
//! risk       RiskReport; Register::{assess, unassess, assessments, risks}  (SQL in store::risks)
//! check      Report, StreamedReport, Finding; Snapshot::check runs every row of the catalog
//! spill      findings kept in report order, spilled as sorted runs to temporary files
//! catalog    RuleId, Severity, RULES (one row per rule)
//!   ├ class, segment, disposal, controls, review, scope, text, exceptions, followup (one function per rule)
//!   └ words (wording the rule functions share)
//! findings   CheckOptions, Findings (what a rule is given and fills)
//! inherit    Inheritance (effective levels, paths, cycles)
//! snapshot   Snapshot, plain data (built from the rows of store::snapshot)
//! tracked    the corrections due and the 事務 a snapshot carries (plain data)
//! ```

mod catalog;
mod check;
mod correction;
mod exception;
mod explain;
mod findings;
mod inherit;
mod pia;
mod risk;
mod scoped;
mod snapshot;
mod spill;
mod tracked;

use crate::error::Result;
use crate::model::AssetId;
use crate::register::Register;

pub use catalog::{RuleId, Severity};
pub use check::{ExcludedAsset, Finding, Report, StreamedReport, Subject};
pub use correction::{
    FindingStatus, FindingUpdate, KeySubject, RecordedRun, TrackedFinding, finding_key, parse_key,
};
pub use exception::{Exception, NewException};
pub use explain::{AxisExplanation, Explanation, Proposal, Raised, Step, WhatIf};
pub use findings::CheckOptions;
pub use pia::{
    Evaluation, NewProcess, PiaEntry, PiaReport, PiaVerdict, Process, ProcessChange, ProcessFile,
    UnknownProcess,
};
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
        self.load_exceptions(&mut snapshot)?;
        self.load_corrections(&mut snapshot)?;
        self.load_processes(&mut snapshot)?;
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
mod issue13_tests;
#[cfg(test)]
mod issue16_tests;
#[cfg(test)]
mod tests;
