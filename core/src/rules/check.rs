//! The self-inspection: every rule of the catalog over a snapshot, then the
//! findings in report order.

use std::ops::Range;

use jiff::civil::Date;

use crate::model::AssetId;
use crate::policy::{ExclusionCode, OrgCode, Policy};
use crate::rules::catalog::{Over, RULES, RuleId, Severity};
pub use crate::rules::findings::Subject;
use crate::rules::findings::{CheckOptions, Findings};
use crate::rules::inherit::Inheritance;
use crate::rules::snapshot::{AssetRef, DISPOSED, ExceptionNode, Snapshot};
use std::collections::HashMap;

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
    /// The assets involved; the first is the one to fix. Empty only for a
    /// finding on a [`Subject`] with no asset (a 事務 with no file in use).
    pub assets: Vec<AssetRef>,
    /// What the finding is about when that is not its assets: a 事務 or a
    /// tracked finding. It then makes the finding's key (see
    /// [`Finding::key`]).
    pub subject: Option<Subject>,
    /// What is wrong, in Japanese.
    pub message_ja: String,
    /// What is wrong, in English.
    pub message_en: String,
    /// The exception (例外措置) that covers it, if any; its severity is then
    /// [`Severity::Info`].
    pub exception: Option<i64>,
}

impl Finding {
    /// The finding's stable key (see `rules::correction`): its rule's id, a
    /// colon, then its subject's key (`pia.evaluation_missing:process-3`,
    /// `correction.overdue:finding-12`) or, without one, the ids of the
    /// assets it names joined by `+`.
    pub fn key(&self) -> String {
        let subject = self.subject.as_ref().map_or_else(
            || {
                let ids: Vec<String> = self.assets.iter().map(|a| a.id.to_string()).collect();
                ids.join("+")
            },
            Subject::key,
        );
        format!("{}:{subject}", self.rule.code())
    }
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
    /// The audit chain's head the register was read at (none for a
    /// snapshot not read from a register).
    pub head: Option<crate::audit::Head>,
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

impl Snapshot {
    /// Runs the self-inspection.
    pub fn check(&self, options: &CheckOptions) -> Report {
        let inheritance = Inheritance::compute(self);
        run(self, &inheritance, options)
    }
}

/// Runs every rule of the catalog.
pub(crate) fn run(snapshot: &Snapshot, inh: &Inheritance, options: &CheckOptions) -> Report {
    let n = snapshot.nodes.len() as u32;
    let half = n / 2;
    let assets = |range: Range<u32>| {
        (
            rules(snapshot, inh, options, Over::Assets, range.clone()),
            Census::of(snapshot, range),
        )
    };
    let links = || rules(snapshot, inh, options, Over::Links, 0..n);
    // Two threads for the rules on assets and one for those on links (a
    // 2-core machine checks a million assets in a few seconds).
    let ((mut findings, mut census), (more, second), linked) = std::thread::scope(|scope| {
        let first = scope.spawn(|| assets(0..half));
        let linked = scope.spawn(links);
        let second = assets(half..n);
        (
            first.join().unwrap_or_else(|_| assets(0..half)),
            second,
            linked.join().unwrap_or_else(|_| links()),
        )
    });
    findings.extend(more);
    findings.extend(linked);
    census.excluded.extend(second.excluded);
    apply_exceptions(snapshot, options.today, &mut findings);
    overdue_corrections(snapshot, options, &mut findings);
    let policy = &snapshot.policy;
    sort_findings(policy, &mut findings);
    census.excluded.sort_by(|a, b| {
        org_rank(policy, &a.organization)
            .cmp(&org_rank(policy, &b.organization))
            .then_with(|| a.asset.name.cmp(&b.asset.name))
    });
    Report {
        today: options.today,
        findings,
        excluded: census.excluded,
        checked: census.checked + second.checked,
        disposed: census.disposed + second.disposed,
        links: snapshot.edges.len(),
        head: None,
    }
}

/// The findings of the catalog's rules that go `over` assets or links, each
/// rule's in the order it reports them.
fn rules(
    snapshot: &Snapshot,
    inh: &Inheritance,
    options: &CheckOptions,
    over: Over,
    assets: Range<u32>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in RULES.iter().filter(|rule| rule.over == over) {
        let mut out = Findings::new(snapshot, assets.clone());
        (rule.check)(snapshot, inh, options, &mut out);
        findings.extend(out.into_found().into_iter().map(|found| Finding {
            rule: rule.id,
            severity: rule.severity,
            section: rule.section,
            organization: found.organization,
            assets: found.assets,
            subject: found.subject,
            message_ja: found.message_ja,
            message_en: found.message_en,
            exception: None,
        }));
    }
    findings
}

/// What the report counts besides findings, over a range of assets.
struct Census {
    excluded: Vec<ExcludedAsset>,
    checked: usize,
    disposed: usize,
}

impl Census {
    fn of(snapshot: &Snapshot, range: Range<u32>) -> Census {
        let mut census = Census {
            excluded: Vec::new(),
            checked: 0,
            disposed: 0,
        };
        for v in range {
            let node = &snapshot.nodes[v as usize];
            if let Some(reason) = snapshot.exclusion(v) {
                census.excluded.push(ExcludedAsset {
                    asset: snapshot.asset_ref(v),
                    organization: snapshot.org_code(v),
                    reason: reason.code.clone(),
                    disposed: node.has(DISPOSED),
                });
            } else if node.has(DISPOSED) {
                census.disposed += 1;
            } else {
                census.checked += 1;
            }
        }
        census
    }
}

/// Report order: organization (the policy's order), severity, rule, the
/// first asset's name and id, then the English message.
fn sort_findings(policy: &Policy, findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        org_rank(policy, &a.organization)
            .cmp(&org_rank(policy, &b.organization))
            .then(a.severity.cmp(&b.severity))
            .then(a.rule.cmp(&b.rule))
            .then_with(|| {
                let first = |f: &Finding| f.assets.first().map(|r| (r.name.clone(), r.id));
                first(a).cmp(&first(b))
            })
            .then_with(|| a.subject.cmp(&b.subject))
            .then_with(|| a.message_en.cmp(&b.message_en))
    });
}

/// `correction.overdue`, after the other rules: a tracked finding still to
/// be corrected past its due date, for the keys this run still finds (a
/// finding this run no longer finds is resolved by it, not overdue), never
/// for a `correction.overdue` finding itself, nor for one an exception now
/// covers. It names the tracked finding's assets as this run found them.
fn overdue_corrections(snapshot: &Snapshot, options: &CheckOptions, findings: &mut Vec<Finding>) {
    if snapshot.corrections.is_empty() {
        return;
    }
    let rule = RuleId::CorrectionOverdue;
    let current: HashMap<String, &Finding> = findings
        .iter()
        .filter(|f| f.rule != rule && f.exception.is_none())
        .map(|f| (f.key(), f))
        .collect();
    let mut overdue = Vec::new();
    for c in &snapshot.corrections {
        let Some(found) = current.get(&c.key) else {
            continue;
        };
        let Some((ja, en)) = crate::rules::catalog::overdue_message(c, options) else {
            continue;
        };
        overdue.push(Finding {
            rule,
            severity: rule.severity(),
            section: rule.section(),
            organization: found.organization.clone(),
            assets: found.assets.clone(),
            subject: Some(Subject::Finding { id: c.id }),
            message_ja: ja,
            message_en: en,
            exception: None,
        });
    }
    findings.extend(overdue);
}

/// An organization's place in the policy's order.
fn org_rank(policy: &Policy, code: &OrgCode) -> usize {
    policy
        .organizations()
        .iter()
        .position(|o| &o.code == code)
        .unwrap_or(usize::MAX)
}

/// Turns the findings covered by a valid exception into 参考 (info) naming it.
fn apply_exceptions(snapshot: &Snapshot, today: Date, findings: &mut [Finding]) {
    if snapshot.exceptions.is_empty() {
        return;
    }
    let mut by_asset: HashMap<AssetId, Vec<&ExceptionNode>> = HashMap::new();
    for exception in &snapshot.exceptions {
        let valid =
            exception.approved_on <= today && exception.expires_on.is_none_or(|d| d >= today);
        if valid {
            by_asset
                .entry(snapshot.ids[exception.asset as usize])
                .or_default()
                .push(exception);
        }
    }
    for finding in findings {
        let Some(candidates) = finding.assets.first().and_then(|a| by_asset.get(&a.id)) else {
            continue;
        };
        let covering = candidates.iter().find(|e| {
            e.rule == finding.rule.code()
                && e.related.is_none_or(|r| {
                    finding
                        .assets
                        .iter()
                        .any(|a| a.id == snapshot.ids[r as usize])
                })
        });
        if let Some(e) = covering {
            let until_ja = e
                .expires_on
                .map_or("期限なし".to_owned(), |d| format!("{d}まで"));
            let until_en = e
                .expires_on
                .map_or("no expiry".to_owned(), |d| format!("until {d}"));
            finding.severity = Severity::Info;
            finding.exception = Some(e.id);
            finding.message_ja = format!(
                "{}（例外措置 #{}: {}、承認者 {}、{until_ja}）",
                finding.message_ja, e.id, e.reason, e.approver
            );
            finding.message_en = format!(
                "{} (exception #{}: {}, approved by {}, {until_en})",
                finding.message_en, e.id, e.reason, e.approver
            );
        }
    }
}
