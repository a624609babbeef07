//! The rules: one pass over the assets and one over the links.

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::model::{HostingKind, Kind, Medium, Relation, Sanitization, Segment};
use crate::policy::Axis;
use crate::rules::inherit::{Inheritance, MY_NUMBER_CHANNEL, cycles};
use crate::rules::snapshot::{
    CONTRACT, DISPOSAL_APPROVER, DISPOSAL_METHOD, DISPOSED, MANAGER, MY_NUMBER, Node, PROVIDER,
    Snapshot,
};
use crate::rules::{
    AxisExplanation, CheckOptions, ExcludedAsset, Explanation, Finding, Raised, Report, RuleId,
    Step, WhatIf,
};

/// Controls required by the handling restrictions of each level, split by
/// where they apply.
struct Required {
    /// Per axis, indexed by rank: (always, electronic media only, networked only).
    masks: [Vec<(u64, u64, u64)>; 3],
}

impl Required {
    fn new(snapshot: &Snapshot) -> Required {
        let policy = &snapshot.policy;
        let bit = |code: &str| {
            policy
                .controls()
                .iter()
                .position(|c| c.code.as_str() == code)
                .map_or(0, |i| 1u64 << i)
        };
        let masks = Axis::ALL.map(|axis| {
            let mut by_rank = vec![(0, 0, 0); 256];
            for def in &policy.scale(axis).levels {
                let slot: &mut (u64, u64, u64) = &mut by_rank[usize::from(def.level.rank())];
                for r in &def.restrictions {
                    let b = bit(r.control.as_str());
                    if r.network_only {
                        slot.2 |= b;
                    } else if r.electronic_only {
                        slot.1 |= b;
                    } else {
                        slot.0 |= b;
                    }
                }
            }
            by_rank
        });
        Required { masks }
    }

    /// The controls an asset with these effective ranks must declare.
    fn of(&self, node: &Node, ranks: [u8; 3]) -> u64 {
        let electronic = node.medium.is_none_or(Medium::is_electronic);
        let networked = electronic && node.segment.is_some();
        let mut need = 0;
        for (axis, rank) in ranks.iter().enumerate() {
            let (always, e_only, net_only) = self.masks[axis][usize::from(*rank)];
            need |= always;
            if electronic {
                need |= e_only;
            }
            if networked {
                need |= net_only;
            }
        }
        need
    }
}

/// Collects findings with their messages.
struct Out<'s> {
    snapshot: &'s Snapshot,
    findings: Vec<Finding>,
}

impl Out<'_> {
    fn push(&mut self, rule: RuleId, assets: &[u32], ja: String, en: String) {
        let Some(&first) = assets.first() else {
            return;
        };
        let mut refs = Vec::with_capacity(assets.len());
        for &a in assets {
            if !refs
                .iter()
                .any(|r: &crate::rules::AssetRef| r.id == self.snapshot.ids[a as usize])
            {
                refs.push(self.snapshot.asset_ref(a));
            }
        }
        self.findings.push(Finding {
            rule,
            severity: rule.severity(),
            section: rule.section(),
            organization: self.snapshot.org_code(first),
            assets: refs,
            message_ja: ja,
            message_en: en,
        });
    }
}

/// Runs every rule.
pub(crate) fn run(snapshot: &Snapshot, inh: &Inheritance, options: &CheckOptions) -> Report {
    let policy = &snapshot.policy;
    let required = Required::new(snapshot);
    let bit = |code: &str| {
        policy
            .controls()
            .iter()
            .position(|c| c.code.as_str() == code)
            .map(|i| 1u64 << i)
    };
    let mfa = bit("mfa");
    let export_blocked = bit("export_blocked");
    let lowest_c = policy.lowest(Axis::Confidentiality).rank();
    let cutoff = options
        .today
        .checked_sub(jiff::Span::new().days(i64::from(policy.review_interval_days())))
        .ok();

    // The rules on assets, over a range of them.
    let asset_rules = |range: std::ops::Range<usize>| {
        let mut out = Out {
            snapshot,
            findings: Vec::new(),
        };
        let mut checked = 0;
        let mut disposed = 0;
        let mut excluded = Vec::new();
        for (i, node) in snapshot
            .nodes
            .iter()
            .enumerate()
            .take(range.end)
            .skip(range.start)
        {
            let v = i as u32;
            let name = snapshot.name(v);
            if node.exclusion != 0 {
                excluded.push(ExcludedAsset {
                    asset: snapshot.asset_ref(v),
                    organization: snapshot.org_code(v),
                    reason: policy.exclusions()[usize::from(node.exclusion - 1)]
                        .code
                        .clone(),
                    disposed: node.has(DISPOSED),
                });
                continue;
            }
            if node.has(DISPOSED) {
                disposed += 1;
                if node.ranks[0] > lowest_c
                    && !(node.has(DISPOSAL_METHOD) && node.has(DISPOSAL_APPROVER))
                {
                    let (ja, en) = missing_words(&[
                        (!node.has(DISPOSAL_METHOD), "廃棄方法", "method"),
                        (!node.has(DISPOSAL_APPROVER), "廃棄承認者", "approver"),
                    ]);
                    let level = snapshot.level(Axis::Confidentiality, node.ranks[0]);
                    out.push(
                        RuleId::DisposalIncomplete,
                        &[v],
                        format!(
                            "{name}は{}で廃棄されましたが、{ja}の記録がありません",
                            label_ja(snapshot, Axis::Confidentiality, node.ranks[0])
                        ),
                        format!("{name} was disposed of at C{level} without a recorded {en}"),
                    );
                }
                continue;
            }
            checked += 1;
            let eff = [
                inh.effective[0][i],
                inh.effective[1][i],
                inh.effective[2][i],
            ];

            // class.below_inherited
            let below: Vec<Axis> = Axis::ALL
                .into_iter()
                .filter(|axis| node.ranks[*axis as usize] < eff[*axis as usize])
                .collect();
            if !below.is_empty() {
                let mut assets = vec![v];
                let mut ja = format!(
                    "{name}（{}）の分類が継承すべき分類を下回っています:",
                    node.kind.letter()
                );
                let mut en = format!(
                    "{name} ({}) is classified below what it inherits:",
                    node.kind.letter()
                );
                for axis in below {
                    let a = axis as usize;
                    let path = short_path(inh, a, v, snapshot);
                    let origin = inh.origin(a, v);
                    assets.push(origin);
                    let _ = write!(
                        ja,
                        " {}は{}以上が必要（{}）;",
                        label_ja(snapshot, axis, node.ranks[a]),
                        label_ja(snapshot, axis, eff[a]),
                        path_ja(snapshot, &path),
                    );
                    let _ = write!(
                        en,
                        " {}{} needs at least {}{} ({});",
                        axis.letter(),
                        snapshot.level(axis, node.ranks[a]),
                        axis.letter(),
                        snapshot.level(axis, eff[a]),
                        path_en(snapshot, &path),
                    );
                }
                ja.pop();
                en.pop();
                out.push(RuleId::ClassBelowInherited, &assets, ja, en);
            }

            // segment.my_number_outside
            if inh.effective[MY_NUMBER_CHANNEL][i] == 1
                && let Some(segment) = node.segment
                && segment != Segment::MyNumber
            {
                let path = short_path(inh, MY_NUMBER_CHANNEL, v, snapshot);
                let mut assets = vec![v];
                let (via_ja, via_en) = if path.is_empty() {
                    (String::new(), String::new())
                } else {
                    assets.push(inh.origin(MY_NUMBER_CHANNEL, v));
                    (
                        format!("（{}）", path_ja(snapshot, &path)),
                        format!(" ({})", path_en(snapshot, &path)),
                    )
                };
                out.push(
                RuleId::MyNumberOutside,
                &assets,
                format!(
                    "特定個人情報を扱う{name}が{}にあります（マイナンバー利用事務系の外）{via_ja}",
                    segment.label_ja()
                ),
                format!(
                    "{name} holds 特定個人情報 (My Number data) but is in the {}, outside the My Number segment{via_en}",
                    segment.label_en()
                ),
            );
            }

            // segment.my_number_controls
            if node.kind == Kind::NetworkSystem && node.segment == Some(Segment::MyNumber) {
                let has = |bit: Option<u64>| bit.is_some_and(|b| node.controls & b != 0);
                if !has(mfa) || !has(export_blocked) {
                    let (ja, en) = missing_words(&[
                        (!has(mfa), "多要素認証", "multi-factor authentication (mfa)"),
                        (
                            !has(export_blocked),
                            "持出し不可設定",
                            "blocked data export (export_blocked)",
                        ),
                    ]);
                    out.push(
                        RuleId::MyNumberControls,
                        &[v],
                        format!("マイナンバー利用事務系のシステム{name}に{ja}がありません"),
                        format!("{name} is a My Number segment system without {en}"),
                    );
                }
            }

            // controls.required_missing
            let missing = required.of(node, eff) & !node.controls;
            if missing != 0 {
                let mut ja = Vec::new();
                let mut en = Vec::new();
                for (bit, control) in policy.controls().iter().enumerate() {
                    if missing & (1 << bit) != 0 {
                        let levels = requiring(snapshot, eff, control.code.as_str());
                        ja.push(format!("{}（{}）", control.ja, levels.0));
                        en.push(format!("{} ({})", control.code, levels.1));
                    }
                }
                out.push(
                    RuleId::RequiredControlMissing,
                    &[v],
                    format!(
                        "{name}に取扱制限で必要な管理策がありません: {}",
                        ja.join("、")
                    ),
                    format!(
                        "{name} lacks controls its handling restrictions require: {}",
                        en.join(", ")
                    ),
                );
            }

            // manager.missing
            if !node.has(MANAGER) {
                out.push(
                    RuleId::ManagerMissing,
                    &[v],
                    format!("{name}に情報セキュリティ管理者が登録されていません"),
                    format!("{name} has no information security manager (情報セキュリティ管理者)"),
                );
            }

            // review.overdue, review.missing
            match node.reviewed_on {
                None => out.push(
                    RuleId::ReviewMissing,
                    &[v],
                    format!("{name}の点検日がありません"),
                    format!("{name} has never been reviewed"),
                ),
                Some(date) if cutoff.is_some_and(|c| date < c) => out.push(
                    RuleId::ReviewOverdue,
                    &[v],
                    format!(
                        "{name}の最終点検日 {date} から{}日を超えています（{}時点）",
                        policy.review_interval_days(),
                        options.today
                    ),
                    format!(
                        "{name} was last reviewed on {date}, more than {} days before {}",
                        policy.review_interval_days(),
                        options.today
                    ),
                ),
                Some(_) => {}
            }

            // hosting.contract_missing
            if matches!(
                node.hosting,
                Some(HostingKind::Outsourced | HostingKind::Cloud)
            ) && eff[0] > lowest_c
                && !(node.has(PROVIDER) && node.has(CONTRACT))
            {
                let hosting = node.hosting.unwrap_or(HostingKind::Cloud);
                let (ja, en) = missing_words(&[
                    (!node.has(PROVIDER), "委託先", "provider"),
                    (!node.has(CONTRACT), "契約番号", "contract"),
                ]);
                out.push(
                    RuleId::ContractMissing,
                    &[v],
                    format!(
                        "{name}は{}（{}）ですが{ja}の記載がありません",
                        hosting.label_ja(),
                        label_ja(snapshot, Axis::Confidentiality, eff[0])
                    ),
                    format!(
                        "{name} is {} at C{} without a recorded {en}",
                        hosting.label_en(),
                        snapshot.level(Axis::Confidentiality, eff[0])
                    ),
                );
            }
        }

        (out.findings, excluded, checked, disposed)
    };

    // The rules on links and cycles.
    let link_and_cycle_rules = || {
        let mut out = Out {
            snapshot,
            findings: Vec::new(),
        };
        link_rules(snapshot, &mut out);

        for members in cycles(&inh.flow) {
            let mut names: Vec<&str> = members.iter().take(10).map(|&m| snapshot.name(m)).collect();
            let more = members.len().saturating_sub(names.len());
            let more_text = format!("…(+{more})");
            if more > 0 {
                names.push(&more_text);
            }
            out.push(
            RuleId::LinkCycle,
            &members,
            format!(
                "保存・複製の関係（stored_on / copy_of）が循環しています: {}。登録の誤りがないか確認してください",
                names.join(" ⇄ ")
            ),
            format!(
                "stored_on / copy_of links form a cycle: {}; check the register for a data-entry mistake",
                names.join(" <-> ")
            ),
        );
        }

        out.findings
    };

    // Two threads for the assets and one for the links (a 2-core machine
    // checks a million assets in a few seconds).
    let n = snapshot.nodes.len();
    let half = n / 2;
    let ((mut findings, mut excluded, checked, disposed), (more, more_excluded, c2, d2), linked) =
        std::thread::scope(|scope| {
            let first = scope.spawn(|| asset_rules(0..half));
            let links = scope.spawn(link_and_cycle_rules);
            let second = asset_rules(half..n);
            (
                first.join().unwrap_or_else(|_| asset_rules(0..half)),
                second,
                links.join().unwrap_or_else(|_| link_and_cycle_rules()),
            )
        });
    findings.extend(more);
    findings.extend(linked);
    excluded.extend(more_excluded);
    let (checked, disposed) = (checked + c2, disposed + d2);
    let org_rank = |f: &Finding| {
        policy
            .organizations()
            .iter()
            .position(|o| o.code == f.organization)
            .unwrap_or(usize::MAX)
    };
    findings.sort_by(|a, b| {
        org_rank(a)
            .cmp(&org_rank(b))
            .then(a.severity.cmp(&b.severity))
            .then(a.rule.cmp(&b.rule))
            .then_with(|| a.assets[0].name.cmp(&b.assets[0].name))
            .then_with(|| a.assets[0].id.cmp(&b.assets[0].id))
            .then_with(|| a.message_en.cmp(&b.message_en))
    });
    excluded.sort_by(|a, b| {
        let rank = |code: &crate::policy::OrgCode| {
            policy
                .organizations()
                .iter()
                .position(|o| &o.code == code)
                .unwrap_or(usize::MAX)
        };
        rank(&a.organization)
            .cmp(&rank(&b.organization))
            .then_with(|| a.asset.name.cmp(&b.asset.name))
    });
    Report {
        today: options.today,
        findings,
        excluded,
        checked,
        disposed,
        links: snapshot.edges.len(),
    }
}

/// The rules on links: segments, and the scope boundary.
fn link_rules(snapshot: &Snapshot, out: &mut Out<'_>) {
    for edge in &snapshot.edges {
        let (a, b) = (
            &snapshot.nodes[edge.from as usize],
            &snapshot.nodes[edge.to as usize],
        );
        if a.has(DISPOSED) || b.has(DISPOSED) {
            continue;
        }
        let (from, to) = (snapshot.name(edge.from), snapshot.name(edge.to));
        let relation = edge.relation.code();
        if (a.exclusion == 0) != (b.exclusion == 0) {
            let (excluded, inside) = if a.exclusion != 0 {
                (edge.from, edge.to)
            } else {
                (edge.to, edge.from)
            };
            let reason = &snapshot.policy.exclusions()
                [usize::from(snapshot.nodes[excluded as usize].exclusion - 1)];
            out.push(
                RuleId::ExcludedLinked,
                &[excluded, inside],
                format!(
                    "適用除外（{}）の{}が対象資産の{}と関連付けられています（{from} {relation} {to}）",
                    reason.ja,
                    snapshot.name(excluded),
                    snapshot.name(inside)
                ),
                format!(
                    "{} is excluded ({}) but linked to the in-scope {} ({from} {relation} {to})",
                    snapshot.name(excluded),
                    reason.en,
                    snapshot.name(inside)
                ),
            );
            continue;
        }
        if a.exclusion != 0 {
            continue;
        }
        if !matches!(edge.relation, Relation::ConnectsTo | Relation::TransfersTo) {
            continue;
        }
        let (Some(sa), Some(sb)) = (a.segment, b.segment) else {
            continue;
        };
        if (sa == Segment::MyNumber) != (sb == Segment::MyNumber) {
            out.push(
                RuleId::MyNumberConnection,
                &[edge.from, edge.to],
                format!(
                    "{from}（{}）と{to}（{}）が接続されています（{relation}）。マイナンバー利用事務系は他の系と通信しないことが原則です",
                    sa.label_ja(),
                    sb.label_ja()
                ),
                format!(
                    "{from} ({}) {relation} {to} ({}): the My Number segment must not communicate with other segments",
                    sa.label_en(),
                    sb.label_en()
                ),
            );
            continue;
        }
        let lgwan_internet = matches!(
            (sa, sb),
            (Segment::Lgwan, Segment::Internet) | (Segment::Internet, Segment::Lgwan)
        );
        if !lgwan_internet {
            continue;
        }
        match edge.relation {
            Relation::ConnectsTo => out.push(
                RuleId::LgwanInternet,
                &[edge.from, edge.to],
                format!(
                    "LGWAN接続系とインターネット接続系が直接接続されています（{from} connects_to {to}）。通信経路を分割し、無害化通信で受け渡してください"
                ),
                format!(
                    "{from} connects_to {to} joins the LGWAN and internet segments; split the path and pass data only by sanitized transfer"
                ),
            ),
            Relation::TransfersTo
                if sa == Segment::Internet
                    && edge.sanitization.is_none_or(|s| s == Sanitization::None) =>
            {
                out.push(
                    RuleId::LgwanInternet,
                    &[edge.from, edge.to],
                    format!(
                        "インターネット接続系の{from}からLGWAN接続系の{to}への転送が無害化されていません（無害化方式: {}）",
                        edge.sanitization.map_or("未記載", Sanitization::label_ja)
                    ),
                    format!(
                        "the transfer from {from} (internet) to {to} (LGWAN) is not sanitized (sanitization: {})",
                        edge.sanitization.map_or("not recorded", Sanitization::code)
                    ),
                );
            }
            _ => {}
        }
    }
}

/// "A及びB" / "A and B" from the missing items.
fn missing_words(items: &[(bool, &str, &str)]) -> (String, String) {
    let ja: Vec<&str> = items.iter().filter(|i| i.0).map(|i| i.1).collect();
    let en: Vec<&str> = items.iter().filter(|i| i.0).map(|i| i.2).collect();
    (ja.join("及び"), en.join(" and "))
}

/// The Japanese label of a level, e.g. 自治体機密性3C.
fn label_ja(snapshot: &Snapshot, axis: Axis, rank: u8) -> String {
    snapshot
        .policy
        .scale(axis)
        .levels
        .iter()
        .find(|def| def.level.rank() == rank)
        .map_or_else(
            || format!("{}{rank}", axis.label_ja()),
            |def| def.ja.clone(),
        )
}

/// Which of the effective levels require a control, in Japanese and English.
fn requiring(snapshot: &Snapshot, ranks: [u8; 3], control: &str) -> (String, String) {
    let mut ja = Vec::new();
    let mut en = Vec::new();
    for axis in Axis::ALL {
        let rank = ranks[axis as usize];
        if let Some(def) = snapshot
            .policy
            .scale(axis)
            .levels
            .iter()
            .find(|d| d.level.rank() == rank)
            && def
                .restrictions
                .iter()
                .any(|r| r.control.as_str() == control)
        {
            ja.push(def.ja.clone());
            en.push(format!("{}{}", axis.letter(), def.level.code()));
        }
    }
    (ja.join("・"), en.join(", "))
}

fn step_words(snapshot: &Snapshot, link: u32) -> (String, String) {
    let edge = snapshot.edges[link as usize];
    let (from, to) = (snapshot.name(edge.from), snapshot.name(edge.to));
    let (kf, kt) = (
        snapshot.nodes[edge.from as usize].kind.letter(),
        snapshot.nodes[edge.to as usize].kind.letter(),
    );
    let ja = match edge.relation {
        Relation::CopyOf => format!("{from}（{kf}）は{to}（{kt}）の複製"),
        _ => format!("{from}（{kf}）は{to}（{kt}）に保存"),
    };
    let en = format!("{from} ({kf}) {} {to} ({kt})", edge.relation.code());
    (ja, en)
}

/// The longest path a message spells out in full.
const MESSAGE_HOPS: u32 = 3;

/// A path for a message: in full up to [`MESSAGE_HOPS`] links, else the
/// origin, the number of links and the last link (`explain` shows it all).
enum ShortPath {
    Full(Vec<u32>),
    Long { origin: u32, hops: u32, last: u32 },
}

impl ShortPath {
    fn is_empty(&self) -> bool {
        matches!(self, ShortPath::Full(links) if links.is_empty())
    }
}

fn short_path(inh: &Inheritance, channel: usize, v: u32, snapshot: &Snapshot) -> ShortPath {
    let hops = inh.depth[channel][v as usize];
    if hops <= MESSAGE_HOPS {
        ShortPath::Full(inh.path(channel, v, snapshot))
    } else {
        ShortPath::Long {
            origin: inh.origin(channel, v),
            hops,
            last: inh.parent[channel][v as usize],
        }
    }
}

fn path_ja(snapshot: &Snapshot, path: &ShortPath) -> String {
    match path {
        ShortPath::Full(links) => links
            .iter()
            .map(|&l| step_words(snapshot, l).0)
            .collect::<Vec<_>>()
            .join("、"),
        ShortPath::Long { origin, hops, last } => format!(
            "{}から{hops}件の関連を経て、…{}",
            snapshot.name(*origin),
            step_words(snapshot, *last).0
        ),
    }
}

fn path_en(snapshot: &Snapshot, path: &ShortPath) -> String {
    match path {
        ShortPath::Full(links) => links
            .iter()
            .map(|&l| step_words(snapshot, l).1)
            .collect::<Vec<_>>()
            .join("; "),
        ShortPath::Long { origin, hops, last } => format!(
            "from {} over {hops} links, ... {}",
            snapshot.name(*origin),
            step_words(snapshot, *last).1
        ),
    }
}

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

/// The explanation of one asset.
pub(crate) fn explain(
    snapshot: &Snapshot,
    inh: &Inheritance,
    v: u32,
    report: Report,
) -> Explanation {
    let node = &snapshot.nodes[v as usize];
    let axes = Axis::ALL
        .into_iter()
        .map(|axis| {
            let a = axis as usize;
            let inherited = inh.inherited(a, v, snapshot);
            let path = inh.path(a, v, snapshot);
            AxisExplanation {
                axis,
                declared: snapshot.level(axis, node.ranks[a]),
                inherited: (inherited > 0).then(|| snapshot.level(axis, inherited)),
                effective: snapshot.level(axis, inh.effective[a][v as usize]),
                origin: snapshot.asset_ref(inh.origin(a, v)),
                path: steps(snapshot, &path),
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
        excluded: (node.exclusion != 0).then(|| {
            snapshot.policy.exclusions()[usize::from(node.exclusion - 1)]
                .code
                .clone()
        }),
        disposed: node.has(DISPOSED),
        axes,
        my_number,
        findings,
    }
}

/// Compares a snapshot with a changed copy of it.
pub(crate) fn what_if(before: &Snapshot, after: &Snapshot, options: &CheckOptions) -> WhatIf {
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
