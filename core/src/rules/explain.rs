//! Explanations of effective classification, and what-if questions: what a
//! proposed link or reclassification would raise, add and resolve.

use std::collections::HashSet;

use crate::error::{Error, Result};
use crate::model::{AssetId, Classification, Link, Relation};
use crate::policy::{Axis, ExclusionCode, Level, OrgCode, PersonalFact};
use crate::rules::catalog::RuleId;
use crate::rules::check::{Finding, Report, run, run_keeping};
use crate::rules::findings::CheckOptions;
use crate::rules::inherit::{Inheritance, MY_NUMBER_CHANNEL};
use crate::rules::snapshot::{AssetRef, DISPOSED, MY_NUMBER, Snapshot};

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
    /// The kind of personal data whose floor raises the asset's own level
    /// (confidentiality only), if one does.
    pub floor: Option<PersonalFact>,
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

impl Snapshot {
    /// Explains one asset's effective classification.
    pub fn explain(&self, id: AssetId, options: &CheckOptions) -> Result<Explanation> {
        let index = self
            .index(id)
            .ok_or_else(|| Error::NotFound { id: id.to_string() })?;
        let inheritance = Inheritance::compute(self);
        // Only the asset's findings are kept, as the rules find them.
        let keep = std::collections::HashSet::from([index]);
        let report = run_keeping(self, &inheritance, options, Some(&keep));
        Ok(explain(self, &inheritance, index, report))
    }

    /// Says what a proposed link or reclassification would raise.
    pub fn what_if(&self, proposal: &Proposal, options: &CheckOptions) -> Result<WhatIf> {
        let changed = match proposal {
            Proposal::Link(link) => self.with_link(link)?,
            Proposal::Reclassify { id, classification } => {
                self.reclassified(*id, classification)?
            }
        };
        Ok(what_if(self, &changed, options))
    }
}

impl Snapshot {
    /// For each finding, the links that explain it where its rule has such
    /// a path: the inherited level a class falls below, or the way
    /// 特定個人情報 arrives at an asset; empty otherwise. One inheritance
    /// computation serves every finding.
    pub(crate) fn finding_paths(&self, findings: &[Finding]) -> Vec<Vec<Step>> {
        let inh = Inheritance::compute(self);
        findings
            .iter()
            .map(|finding| {
                let Some(v) = finding.assets.first().and_then(|a| self.index(a.id)) else {
                    return Vec::new();
                };
                let path = match finding.rule {
                    // The first axis whose declared level is below the effective one.
                    RuleId::ClassBelowInherited => Axis::ALL
                        .into_iter()
                        .map(|axis| axis as usize)
                        .filter(|&a| self.nodes[v as usize].ranks[a] < inh.effective[a][v as usize])
                        .map(|a| inh.path(a, v, self))
                        .find(|path| !path.is_empty())
                        .unwrap_or_default(),
                    RuleId::MyNumberOutside | RuleId::MyNumberMedia => {
                        inh.path(MY_NUMBER_CHANNEL, v, self)
                    }
                    _ => Vec::new(),
                };
                steps(self, &path)
            })
            .collect()
    }
}

/// The explanation of one asset.
fn explain(snapshot: &Snapshot, inh: &Inheritance, v: u32, report: Report) -> Explanation {
    let node = &snapshot.nodes[v as usize];
    let axes = Axis::ALL
        .into_iter()
        .map(|axis| {
            let a = axis as usize;
            let inherited = inh.inherited(a, v, snapshot);
            let path = inh.path(a, v, snapshot);
            let floor = (axis == Axis::Confidentiality && node.floor > node.ranks[0])
                .then(|| snapshot.floor_of(v).map(|f| f.fact))
                .flatten();
            AxisExplanation {
                axis,
                declared: snapshot.level(axis, node.ranks[a]),
                inherited: (inherited > 0).then(|| snapshot.level(axis, inherited)),
                effective: snapshot.level(axis, inh.effective[a][v as usize]),
                origin: snapshot.asset_ref(inh.origin(a, v)),
                path: steps(snapshot, &path),
                floor,
            }
        })
        .collect();
    let my_number = (inh.effective[MY_NUMBER_CHANNEL][v as usize] == 1 || node.has(MY_NUMBER))
        .then(|| steps(snapshot, &inh.path(MY_NUMBER_CHANNEL, v, snapshot)));
    let id = snapshot.ids[v as usize];
    let findings = report
        .findings
        .into_iter()
        .filter(|f| f.assets.iter().any(|a| a.id == id))
        .collect();
    Explanation {
        asset: snapshot.asset_ref(v),
        organization: snapshot.org_code(v),
        excluded: snapshot.exclusion(v).map(|e| e.code.clone()),
        disposed: node.has(DISPOSED),
        axes,
        my_number,
        findings,
    }
}

/// Compares a snapshot with a changed copy of it.
fn what_if(before: &Snapshot, after: &Snapshot, options: &CheckOptions) -> WhatIf {
    let inh_before = Inheritance::compute(before);
    let inh_after = Inheritance::compute(after);
    let mut raised = Vec::new();
    for v in 0..after.nodes.len() {
        for axis in Axis::ALL {
            let a = axis as usize;
            let (old, new) = (inh_before.effective[a][v], inh_after.effective[a][v]);
            if new > old {
                raised.push(Raised {
                    asset: after.asset_ref(v as u32),
                    axis,
                    from: after.level(axis, old),
                    to: after.level(axis, new),
                    path: steps(after, &inh_after.path(a, v as u32, after)),
                });
            }
        }
    }
    raised.sort_by(|a, b| {
        a.asset
            .name
            .cmp(&b.asset.name)
            .then(a.asset.id.cmp(&b.asset.id))
            .then(a.axis.cmp(&b.axis))
    });
    let old = run(before, &inh_before, options).findings;
    let new = run(after, &inh_after, options).findings;
    let (old_set, new_set): (HashSet<&Finding>, HashSet<&Finding>) =
        (old.iter().collect(), new.iter().collect());
    WhatIf {
        raised,
        new_findings: new
            .iter()
            .filter(|f| !old_set.contains(f))
            .cloned()
            .collect(),
        resolved_findings: old
            .iter()
            .filter(|f| !new_set.contains(f))
            .cloned()
            .collect(),
    }
}

/// The steps of a path of links.
fn steps(snapshot: &Snapshot, path: &[u32]) -> Vec<Step> {
    path.iter()
        .map(|&l| {
            let edge = snapshot.edges[l as usize];
            Step {
                from: snapshot.asset_ref(edge.from),
                relation: edge.relation,
                to: snapshot.asset_ref(edge.to),
            }
        })
        .collect()
}
