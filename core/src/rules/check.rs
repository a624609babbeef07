//! The self-inspection: every rule of the catalog over a snapshot, then the
//! findings in report order.

use std::ops::Range;

use jiff::civil::Date;

use crate::error::{Error, Result};
use crate::policy::{ExclusionCode, OrgCode, Policy};
use crate::rules::catalog::{Over, RULES, RuleId, Severity};
pub use crate::rules::findings::Subject;
use crate::rules::findings::{CheckOptions, Emit, Findings, Found};
use crate::rules::inherit::Inheritance;
use crate::rules::snapshot::{AssetRef, DISPOSED, ExceptionNode, Snapshot};
use crate::rules::spill::{Emitted, Sorter, Source, merge};
use std::collections::{HashMap, HashSet};

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

/// How much of the findings each of the check's three parts keeps in memory
/// before spilling them, sorted, to a temporary file (streamed check).
pub(crate) const SPILL_BYTES: usize = 8 << 20;

/// Runs every rule of the catalog, every finding in memory.
pub(crate) fn run(snapshot: &Snapshot, inh: &Inheritance, options: &CheckOptions) -> Report {
    run_keeping(snapshot, inh, options, None)
}

/// [`run`], keeping only the findings that name an asset of `keep` (by
/// index) when given, the others dropped as they are found; the counts of
/// assets and the exclusions are the whole register's.
pub(crate) fn run_keeping(
    snapshot: &Snapshot,
    inh: &Inheritance,
    options: &CheckOptions,
    keep: Option<&HashSet<u32>>,
) -> Report {
    let context = Context::new(snapshot, options, keep);
    let (sorters, _, census) = emit_all(&context, inh, None);
    let sources = sorters
        .into_iter()
        .map(|sorter| Source::Memory(sorter.into_sorted(snapshot).into_iter()))
        .collect();
    let mut findings = Vec::new();
    let merged: Result<()> = merge(snapshot, sources, |e| {
        findings.push(finding(snapshot, e));
        Ok(())
    });
    // Nothing is read from a file in memory: a merge of memory cannot fail.
    debug_assert!(merged.is_ok());
    let (checked, disposed) = (census.checked, census.disposed);
    Report {
        today: options.today,
        findings,
        excluded: census.sorted(&snapshot.policy),
        checked,
        disposed,
        links: snapshot.edges.len(),
        head: None,
    }
}

/// A self-inspection whose findings stay on disk, sorted, until they are
/// read in report order ([`StreamedReport::for_each_finding`]): its memory
/// grows with the register's assets and links, not with its findings. The
/// findings, counts and exclusions are those of the [`Report`] of the same
/// check.
#[derive(Debug)]
pub struct StreamedReport {
    /// The date the review-age rule counted from.
    pub today: Date,
    /// The assets outside the policy's scope, by organization and name.
    pub excluded: Vec<ExcludedAsset>,
    /// How many in-scope assets in use were checked.
    pub checked: usize,
    /// How many assets are disposed of.
    pub disposed: usize,
    /// How many links there are.
    pub links: usize,
    /// The audit chain's head the register was read at.
    pub head: Option<crate::audit::Head>,
    counts: [usize; 3],
    snapshot: Snapshot,
    runs: Vec<std::fs::File>,
    tails: Vec<Vec<Emitted>>,
    reading: std::cell::Cell<bool>,
}

impl StreamedReport {
    /// How many findings have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.counts[severity as usize]
    }

    /// How many findings there are.
    pub fn len(&self) -> usize {
        self.counts.iter().sum()
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most serious severity found, if any.
    pub fn worst(&self) -> Option<Severity> {
        [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .find(|&s| self.count(s) > 0)
    }

    /// True when some finding is at least as serious as `threshold`.
    pub fn fails(&self, threshold: Severity) -> bool {
        self.worst().is_some_and(|worst| worst.at_least(threshold))
    }

    /// Calls `each` with every finding in report order (that of
    /// [`Report::findings`]), one at a time; may be called again for another
    /// pass, but not from inside `each` (refused). The findings wait in
    /// unnamed temporary files in the system's temporary directory (about
    /// 500 bytes a finding).
    pub fn for_each_finding<E: From<Error>>(
        &self,
        mut each: impl FnMut(&Finding) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        if self.reading.replace(true) {
            return Err(Error::invalid(
                "findings",
                "",
                "自己点検の指摘を読んでいる間は、同じ報告の指摘をもう一度読み始めることはできません",
                "a report's findings cannot be read again while they are being read",
            )
            .into());
        }
        let result = (|| {
            let mut sources = self
                .runs
                .iter()
                .map(Source::run)
                .collect::<Result<Vec<_>>>()?;
            sources.extend(
                self.tails
                    .iter()
                    .map(|tail| Source::Memory(tail.clone().into_iter())),
            );
            merge(&self.snapshot, sources, |e| {
                each(&finding(&self.snapshot, e))
            })
        })();
        self.reading.set(false);
        result
    }
}

/// Runs every rule of the catalog, keeping what concerns the assets `keep`
/// names (by index) when given, the findings spilled in sorted runs to
/// temporary files past `limit` bytes per part of the check.
pub(crate) fn stream(
    snapshot: Snapshot,
    options: &CheckOptions,
    keep: Option<&HashSet<u32>>,
    limit: usize,
) -> Result<StreamedReport> {
    let inheritance = Inheritance::compute(&snapshot);
    let context = Context::new(&snapshot, options, keep);
    let (sorters, counts, census) = emit_all(&context, &inheritance, Some(limit));
    drop(inheritance);
    let mut runs = Vec::new();
    let mut tails = Vec::new();
    for sorter in sorters {
        let (run, tail) = sorter.finish(&snapshot)?;
        runs.extend(run);
        tails.push(tail);
    }
    let (checked, disposed) = (census.checked, census.disposed);
    let mut excluded = census.sorted(&snapshot.policy);
    if let Some(keep) = keep {
        excluded.retain(|e| {
            snapshot
                .index(e.asset.id)
                .is_some_and(|i| keep.contains(&i))
        });
    }
    Ok(StreamedReport {
        today: options.today,
        excluded,
        checked,
        disposed,
        links: snapshot.edges.len(),
        head: None,
        counts,
        snapshot,
        runs,
        tails,
        reading: std::cell::Cell::new(false),
    })
}

/// A finding of the report from its emitted form.
fn finding(snapshot: &Snapshot, e: Emitted) -> Finding {
    Finding {
        rule: e.rule,
        severity: e.severity,
        section: e.rule.section(),
        organization: snapshot.policy.organizations()[usize::from(e.org)]
            .code
            .clone(),
        assets: e.assets.iter().map(|&a| snapshot.asset_ref(a)).collect(),
        subject: e.subject,
        message_ja: e.message_ja,
        message_en: e.message_en,
        exception: e.exception,
    }
}

/// What the findings go through as the rules emit them.
struct Context<'s> {
    snapshot: &'s Snapshot,
    options: &'s CheckOptions,
    /// The valid exceptions by the index of their asset.
    exceptions: HashMap<u32, Vec<&'s ExceptionNode>>,
    /// The tracked findings due (`correction.overdue`) by key: their places
    /// in the snapshot's list.
    corrections: HashMap<&'s str, Vec<usize>>,
    /// The assets whose findings are kept, when not all.
    keep: Option<&'s HashSet<u32>>,
}

impl<'s> Context<'s> {
    fn new(
        snapshot: &'s Snapshot,
        options: &'s CheckOptions,
        keep: Option<&'s HashSet<u32>>,
    ) -> Self {
        let today = options.today;
        let mut exceptions: HashMap<u32, Vec<&ExceptionNode>> = HashMap::new();
        for exception in &snapshot.exceptions {
            let valid =
                exception.approved_on <= today && exception.expires_on.is_none_or(|d| d >= today);
            if valid {
                exceptions
                    .entry(exception.asset)
                    .or_default()
                    .push(exception);
            }
        }
        let mut corrections: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, c) in snapshot.corrections.iter().enumerate() {
            corrections.entry(c.key.as_str()).or_default().push(i);
        }
        Context {
            snapshot,
            options,
            exceptions,
            corrections,
            keep,
        }
    }
}

/// The rules' findings of one part of the check, as they are emitted.
struct Sink<'c, 's> {
    context: &'c Context<'s>,
    /// The rule being run.
    rule: RuleId,
    part: u64,
    emitted: u64,
    sorter: Sorter,
    counts: [usize; 3],
}

/// The part of `correction.overdue` findings, after the three parts of the
/// rules (the first and the second half of the assets, the links).
const OVERDUE_PART: u64 = 3;

impl Sink<'_, '_> {
    fn keep(&mut self, finding: Emitted) {
        if let Some(keep) = self.context.keep
            && !finding.assets.iter().any(|a| keep.contains(a))
        {
            return;
        }
        self.counts[finding.severity as usize] += 1;
        self.sorter.push(self.context.snapshot, finding);
    }
}

impl Emit for Sink<'_, '_> {
    fn emit(&mut self, found: Found) {
        let context = self.context;
        let mut finding = Emitted {
            rule: self.rule,
            severity: self.rule.severity(),
            org: found.organization,
            assets: found.assets,
            subject: found.subject,
            message_ja: found.message_ja,
            message_en: found.message_en,
            exception: None,
            order: self.part << 40 | self.emitted,
        };
        self.emitted += 1;
        apply_exception(context, &mut finding);
        overdue(self, &finding);
        self.keep(finding);
    }
}

/// Every rule's findings in three parts, two threads for the rules on
/// assets and one for those on links (a 2-core machine checks a million
/// assets in a few seconds): their sorters, counts by severity, and the
/// census of assets.
fn emit_all(
    context: &Context<'_>,
    inh: &Inheritance,
    limit: Option<usize>,
) -> (Vec<Sorter>, [usize; 3], Census) {
    let snapshot = context.snapshot;
    let n = snapshot.nodes.len() as u32;
    let half = n / 2;
    let assets = |range: Range<u32>, part: u64| {
        (
            rules(context, inh, Over::Assets, range.clone(), part, limit),
            Census::of(snapshot, range),
        )
    };
    let links = || rules(context, inh, Over::Links, 0..n, 2, limit);
    let ((first, mut census), (second, more), linked) = std::thread::scope(|scope| {
        let first = scope.spawn(|| assets(0..half, 0));
        let linked = scope.spawn(links);
        let second = assets(half..n, 1);
        (
            first.join().unwrap_or_else(|_| assets(0..half, 0)),
            second,
            linked.join().unwrap_or_else(|_| links()),
        )
    });
    census.excluded.extend(more.excluded);
    census.checked += more.checked;
    census.disposed += more.disposed;
    let mut counts = [0; 3];
    let mut sorters = Vec::new();
    for (sorter, part) in [first, second, linked] {
        for (total, n) in counts.iter_mut().zip(part) {
            *total += n;
        }
        sorters.push(sorter);
    }
    (sorters, counts, census)
}

/// The findings of the catalog's rules that go `over` assets or links, each
/// rule's in the order it reports them.
fn rules(
    context: &Context<'_>,
    inh: &Inheritance,
    over: Over,
    assets: Range<u32>,
    part: u64,
    limit: Option<usize>,
) -> (Sorter, [usize; 3]) {
    let mut sink = Sink {
        context,
        rule: RuleId::ALL[0],
        part,
        emitted: 0,
        sorter: Sorter::new(limit),
        counts: [0; 3],
    };
    for rule in RULES.iter().filter(|rule| rule.over == over) {
        sink.rule = rule.id;
        let mut out = Findings::new(context.snapshot, assets.clone(), &mut sink);
        (rule.check)(context.snapshot, inh, context.options, &mut out);
    }
    (sink.sorter, sink.counts)
}

/// What the report counts besides findings, over a range of assets.
struct Census {
    excluded: Vec<ExcludedAsset>,
    checked: usize,
    disposed: usize,
}

impl Census {
    /// The excluded assets by organization (the policy's order) and name.
    fn sorted(mut self, policy: &Policy) -> Vec<ExcludedAsset> {
        self.excluded.sort_by(|a, b| {
            org_rank(policy, &a.organization)
                .cmp(&org_rank(policy, &b.organization))
                .then_with(|| a.asset.name.cmp(&b.asset.name))
        });
        self.excluded
    }

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

/// `correction.overdue`, beside the finding it is about: a tracked finding
/// still to be corrected past its due date, for the keys this run still
/// finds (a finding this run no longer finds is resolved by it, not
/// overdue), never for a `correction.overdue` finding itself, nor for one an
/// exception now covers. It names the tracked finding's assets as this run
/// found them, and takes its place in the report's order after every
/// finding of the rules.
fn overdue(sink: &mut Sink<'_, '_>, found: &Emitted) {
    let context = sink.context;
    let rule = RuleId::CorrectionOverdue;
    if context.corrections.is_empty() || found.rule == rule || found.exception.is_some() {
        return;
    }
    let Some(places) = context
        .corrections
        .get(emitted_key(context.snapshot, found).as_str())
    else {
        return;
    };
    for &place in places {
        let c = &context.snapshot.corrections[place];
        let Some((ja, en)) = crate::rules::catalog::overdue_message(c, context.options) else {
            continue;
        };
        sink.keep(Emitted {
            rule,
            severity: rule.severity(),
            org: found.org,
            assets: found.assets.clone(),
            subject: Some(Subject::Finding { id: c.id }),
            message_ja: ja,
            message_en: en,
            exception: None,
            order: OVERDUE_PART << 40 | place as u64,
        });
    }
}

/// [`Finding::key`] of an emitted finding.
fn emitted_key(snapshot: &Snapshot, e: &Emitted) -> String {
    let subject = e.subject.as_ref().map_or_else(
        || {
            let ids: Vec<String> = e
                .assets
                .iter()
                .map(|&a| snapshot.ids[a as usize].to_string())
                .collect();
            ids.join("+")
        },
        Subject::key,
    );
    format!("{}:{subject}", e.rule.code())
}

/// An organization's place in the policy's order.
fn org_rank(policy: &Policy, code: &OrgCode) -> usize {
    policy
        .organizations()
        .iter()
        .position(|o| &o.code == code)
        .unwrap_or(usize::MAX)
}

/// Turns a finding covered by a valid exception into 参考 (info) naming it.
fn apply_exception(context: &Context<'_>, finding: &mut Emitted) {
    let Some(candidates) = finding
        .assets
        .first()
        .and_then(|a| context.exceptions.get(a))
    else {
        return;
    };
    let covering = candidates.iter().find(|e| {
        e.rule == finding.rule.code() && e.related.is_none_or(|r| finding.assets.contains(&r))
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
