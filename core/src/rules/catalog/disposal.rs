//! `disposal.*` and `hosting.*`: the records of disposal and outsourcing
//! that assets above the lowest confidentiality level need (§6(2), §6(8)).

use crate::model::HostingKind;
use crate::policy::Axis;
use crate::rules::catalog::words::{label_ja, missing_words};
use crate::rules::findings::{CheckOptions, Findings};
use crate::rules::inherit::Inheritance;
use crate::rules::snapshot::{
    CONTRACT, DISPOSAL_APPROVER, DISPOSAL_CERTIFICATE, DISPOSAL_METHOD, DISPOSAL_OUTSOURCED,
    DISPOSED, METHOD_UNLISTED, PROVIDER, SELF_APPROVED, Snapshot,
};

/// `disposal.record_incomplete`: an in-scope asset disposed of above the
/// lowest confidentiality level (its effective level: what it held counts)
/// without method or approver, or without a certificate when a contractor
/// disposed of it (outsourced or cloud hosting, or a method the policy marks
/// `outsourced`).
pub(super) fn record_incomplete(
    snapshot: &Snapshot,
    inh: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    let lowest = snapshot.policy.lowest(Axis::Confidentiality).rank();
    for (v, node) in snapshot.in_scope(out.assets()) {
        let c = inh.effective[0][v as usize];
        if !node.has(DISPOSED) || c <= lowest {
            continue;
        }
        let outsourced = node.has(DISPOSAL_OUTSOURCED)
            || matches!(
                node.hosting,
                Some(HostingKind::Outsourced | HostingKind::Cloud)
            );
        let no_certificate = outsourced && !node.has(DISPOSAL_CERTIFICATE);
        if node.has(DISPOSAL_METHOD) && node.has(DISPOSAL_APPROVER) && !no_certificate {
            continue;
        }
        let (ja, en) = missing_words(&[
            (!node.has(DISPOSAL_METHOD), "廃棄方法", "method"),
            (!node.has(DISPOSAL_APPROVER), "廃棄承認者", "approver"),
            (
                no_certificate,
                "廃棄証明書（委託）",
                "certificate (outsourced)",
            ),
        ]);
        let name = snapshot.name(v);
        out.push(
            &[v],
            format!(
                "{name}は{}で廃棄されましたが、{ja}の記録がありません",
                label_ja(snapshot, Axis::Confidentiality, c)
            ),
            format!(
                "{name} was disposed of at C{} without a recorded {en}",
                snapshot.level(Axis::Confidentiality, c)
            ),
        );
    }
}

/// `disposal.method_unlisted`: an in-scope asset disposed of with a method
/// that is not among the policy's unrecoverable methods.
pub(super) fn method_unlisted(
    snapshot: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    let methods = snapshot.policy.disposal_methods();
    let allowed_ja: Vec<&str> = methods.iter().map(|m| m.ja.as_str()).collect();
    let allowed_en: Vec<&str> = methods.iter().map(|m| m.code.as_str()).collect();
    for (v, node) in snapshot.in_scope(out.assets()) {
        if !node.has(METHOD_UNLISTED) {
            continue;
        }
        let name = snapshot.name(v);
        out.push(
            &[v],
            format!(
                "{name}の廃棄方法は復元不可能な方法として定められたもの（{}）ではありません",
                allowed_ja.join("、")
            ),
            format!(
                "{name} was disposed of by a method that is not one of the policy's unrecoverable methods ({})",
                allowed_en.join(", ")
            ),
        );
    }
}

/// `disposal.self_approved`: the approver of an in-scope asset's disposal is
/// the person who disposed of it (an approver must differ from the applicant).
pub(super) fn self_approved(
    snapshot: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for (v, node) in snapshot.in_scope(out.assets()) {
        if !node.has(SELF_APPROVED) {
            continue;
        }
        let name = snapshot.name(v);
        out.push(
            &[v],
            format!("{name}の廃棄を実施者自身が承認しています"),
            format!("{name} was disposed of by the person who approved the disposal"),
        );
    }
}

/// `disposal.still_stored`: information in use stored on a disposed system;
/// the finding names the information, then the system.
pub(super) fn still_stored(
    snapshot: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for (ends, info, host) in snapshot.stored_on() {
        if !(info.is_active() && host.exclusion == 0 && host.has(DISPOSED)) {
            continue;
        }
        let (from, to) = (snapshot.name(ends[0]), snapshot.name(ends[1]));
        out.push(
            &ends,
            format!("使用中の{from}が廃棄済みの{to}に保存されたままです。保存先を更新してください"),
            format!("{from} is in use but still stored on {to}, which was disposed of; record where it is kept now"),
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
