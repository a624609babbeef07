//! `scope.*` and `link.*`: links that blur the policy's scope (§4(2)) or
//! that cannot be right (§6(2)).

use crate::rules::findings::{CheckOptions, Findings};
use crate::rules::inherit::{Inheritance, cycles};
use crate::rules::snapshot::{DISPOSED, Snapshot};

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
