//! `disposal.*` and `hosting.*`: the records of disposal and outsourcing
//! that assets above the lowest confidentiality level need (§6(2), §6(8)).

use crate::model::HostingKind;
use crate::policy::Axis;
use crate::rules::catalog::words::{label_ja, missing_words};
use crate::rules::findings::{CheckOptions, Findings};
use crate::rules::inherit::Inheritance;
use crate::rules::snapshot::{
    CONTRACT, DISPOSAL_APPROVER, DISPOSAL_METHOD, DISPOSED, PROVIDER, Snapshot,
};

/// `disposal.record_incomplete`: an in-scope asset disposed of above the
/// lowest confidentiality level (its own) without method or approver.
pub(super) fn record_incomplete(
    snapshot: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    let lowest = snapshot.policy.lowest(Axis::Confidentiality).rank();
    for (v, node) in snapshot.in_scope(out.assets()) {
        if !node.has(DISPOSED)
            || node.ranks[0] <= lowest
            || (node.has(DISPOSAL_METHOD) && node.has(DISPOSAL_APPROVER))
        {
            continue;
        }
        let (ja, en) = missing_words(&[
            (!node.has(DISPOSAL_METHOD), "廃棄方法", "method"),
            (!node.has(DISPOSAL_APPROVER), "廃棄承認者", "approver"),
        ]);
        let name = snapshot.name(v);
        let level = snapshot.level(Axis::Confidentiality, node.ranks[0]);
        out.push(
            &[v],
            format!(
                "{name}は{}で廃棄されましたが、{ja}の記録がありません",
                label_ja(snapshot, Axis::Confidentiality, node.ranks[0])
            ),
            format!("{name} was disposed of at C{level} without a recorded {en}"),
        );
    }
}

/// `hosting.contract_missing`: outsourced or cloud hosting above the lowest
/// confidentiality level (effective) without provider or contract.
pub(super) fn contract_missing(
    snapshot: &Snapshot,
    inh: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    let lowest = snapshot.policy.lowest(Axis::Confidentiality).rank();
    for (v, node) in snapshot.active(out.assets()) {
        let Some(hosting @ (HostingKind::Outsourced | HostingKind::Cloud)) = node.hosting else {
            continue;
        };
        let c = inh.effective[Axis::Confidentiality as usize][v as usize];
        if c <= lowest || (node.has(PROVIDER) && node.has(CONTRACT)) {
            continue;
        }
        let (ja, en) = missing_words(&[
            (!node.has(PROVIDER), "委託先", "provider"),
            (!node.has(CONTRACT), "契約番号", "contract"),
        ]);
        let name = snapshot.name(v);
        out.push(
            &[v],
            format!(
                "{name}は{}（{}）ですが{ja}の記載がありません",
                hosting.label_ja(),
                label_ja(snapshot, Axis::Confidentiality, c)
            ),
            format!(
                "{name} is {} at C{} without a recorded {en}",
                hosting.label_en(),
                snapshot.level(Axis::Confidentiality, c)
            ),
        );
    }
}
