//! `scope.*` and `link.*`: links that blur the policy's scope (§4(2)) or
//! that cannot be right (§6(2)).

use crate::rules::findings::{CheckOptions, Findings};
use crate::rules::inherit::MY_NUMBER_CHANNEL;
use crate::rules::inherit::{Inheritance, cycles};
use crate::rules::snapshot::{DISPOSED, MY_NUMBER, Snapshot};

/// `scope.excluded_linked`: a link between an excluded asset and an in-scope
/// one, neither disposed of; the finding names the excluded asset first.
pub(super) fn excluded_linked(
    snapshot: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for edge in &snapshot.edges {
        let (a, b) = (
            &snapshot.nodes[edge.from as usize],
            &snapshot.nodes[edge.to as usize],
        );
        if a.has(DISPOSED) || b.has(DISPOSED) || (a.exclusion == 0) == (b.exclusion == 0) {
            continue;
        }
        let (excluded, inside) = if a.exclusion != 0 {
            (edge.from, edge.to)
        } else {
            (edge.to, edge.from)
        };
        let Some(reason) = snapshot.exclusion(excluded) else {
            continue;
        };
        let (from, to) = (snapshot.name(edge.from), snapshot.name(edge.to));
        let relation = edge.relation.code();
        out.push(
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
    }
}

/// `link.cycle`: `stored_on` / `copy_of` links between in-scope assets in
/// use that form a cycle (a data-entry mistake); one finding per cycle,
/// naming up to ten of its assets in the message and all of them as assets.
pub(super) fn link_cycle(
    snapshot: &Snapshot,
    inh: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for members in cycles(&inh.flow) {
        // Disposed assets receive levels but are history: not a cycle to fix.
        if members
            .iter()
            .any(|&m| !snapshot.nodes[m as usize].is_active())
        {
            continue;
        }
        let mut names: Vec<&str> = members.iter().take(10).map(|&m| snapshot.name(m)).collect();
        let more = members.len().saturating_sub(names.len());
        let more_text = format!("…(+{more})");
        if more > 0 {
            names.push(&more_text);
        }
        out.push(
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
}

/// `scope.related_unlinked`: an asset excluded for a reason that is
/// `related_to` others (関連情報) with no link, either way, to an asset
/// excluded for one of those reasons whose organizations include its own
/// (the body check comes from the information it relates to).
pub(super) fn related_unlinked(
    snapshot: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    let n = snapshot.nodes.len();
    let needs = |v: u32| {
        snapshot
            .exclusion(v)
            .filter(|e| !e.related_to.is_empty() && !snapshot.nodes[v as usize].has(DISPOSED))
    };
    let mut anchored = vec![false; n];
    for edge in &snapshot.edges {
        for (v, other) in [(edge.from, edge.to), (edge.to, edge.from)] {
            let (Some(reason), Some(target)) = (needs(v), snapshot.exclusion(other)) else {
                continue;
            };
            let org = snapshot.org_code(v);
            if reason.related_to.contains(&target.code) && target.organizations.contains(&org) {
                anchored[v as usize] = true;
            }
        }
    }
    for v in 0..n as u32 {
        let Some(reason) = needs(v) else {
            continue;
        };
        if anchored[v as usize] {
            continue;
        }
        let name = snapshot.name(v);
        let targets: Vec<&str> = reason
            .related_to
            .iter()
            .filter_map(|code| {
                snapshot
                    .policy
                    .exclusions()
                    .iter()
                    .find(|e| &e.code == code)
                    .map(|e| e.ja.as_str())
            })
            .collect();
        out.push(
            &[v],
            format!(
                "{name}は{}として適用除外ですが、同じ機関の{}と関連付けられていません。関連付けるか、対象資産として登録してください",
                reason.ja,
                targets.join("又は")
            ),
            format!(
                "{name} is excluded as {} but not linked to {} of its own body; link it, or register it in scope",
                reason.en,
                reason
                    .related_to
                    .iter()
                    .map(crate::policy::ExclusionCode::as_str)
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        );
    }
}

/// `scope.excluded_my_number`: an excluded asset in use that holds
/// 特定個人情報: outside the policy, but the My Number Act still applies.
pub(super) fn excluded_my_number(
    snapshot: &Snapshot,
    inh: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for v in out.assets() {
        let node = &snapshot.nodes[v as usize];
        let Some(reason) = snapshot.exclusion(v) else {
            continue;
        };
        if node.has(DISPOSED)
            || !(node.has(MY_NUMBER) || inh.effective[MY_NUMBER_CHANNEL][v as usize] == 1)
        {
            continue;
        }
        let name = snapshot.name(v);
        out.push(
            &[v],
            format!(
                "適用除外（{}）の{name}が特定個人情報を含みます。番号法の安全管理措置は適用されます",
                reason.ja
            ),
            format!(
                "{name} is excluded ({}) but holds 特定個人情報 (My Number data); the My Number Act's safeguards still apply",
                reason.en
            ),
        );
    }
}
