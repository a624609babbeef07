//! `segment.*`: the three-tier separation of networks (§6(3)).

use crate::model::{Kind, Medium, Relation, Sanitization, Segment};
use crate::policy::Axis;
use crate::rules::catalog::words::{ShortPath, label_ja, missing_words};
use crate::rules::findings::{CheckOptions, Findings};
use crate::rules::inherit::{Inheritance, MY_NUMBER_CHANNEL};
use crate::rules::snapshot::{Edge, Snapshot};

/// `segment.my_number_outside`: an asset with a network segment other than
/// the My Number segment holds 特定個人情報, its own or through its links.
pub(super) fn my_number_outside(
    snapshot: &Snapshot,
    inh: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for (v, node) in snapshot.active(out.assets()) {
        if inh.effective[MY_NUMBER_CHANNEL][v as usize] != 1 {
            continue;
        }
        let Some(segment) = node.segment.filter(|s| *s != Segment::MyNumber) else {
            continue;
        };
        let name = snapshot.name(v);
        let path = ShortPath::to(inh, MY_NUMBER_CHANNEL, v, snapshot);
        let mut assets = vec![v];
        let (via_ja, via_en) = if path.is_empty() {
            (String::new(), String::new())
        } else {
            assets.push(inh.origin(MY_NUMBER_CHANNEL, v));
            (
                format!("（{}）", path.ja(snapshot)),
                format!(" ({})", path.en(snapshot)),
            )
        };
        out.push(
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
}

/// `segment.my_number_controls`: a terminal or system (ア) in the My Number
/// segment without `mfa` or `export_blocked`; network devices, portable
/// media and paper are not asked (§6(3)ア asks them of terminals and the
/// login to systems).
pub(super) fn my_number_controls(
    snapshot: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    let mfa = snapshot.control_bit("mfa");
    let export_blocked = snapshot.control_bit("export_blocked");
    for (v, node) in snapshot.active(out.assets()) {
        if node.kind != Kind::NetworkSystem
            || node.segment != Some(Segment::MyNumber)
            || matches!(
                node.medium,
                Some(Medium::NetworkDevice | Medium::PortableMedia | Medium::Paper)
            )
        {
            continue;
        }
        let has = |bit: Option<u64>| bit.is_some_and(|b| node.controls & b != 0);
        if has(mfa) && has(export_blocked) {
            continue;
        }
        let (ja, en) = missing_words(&[
            (!has(mfa), "多要素認証", "multi-factor authentication (mfa)"),
            (
                !has(export_blocked),
                "持出し不可設定",
                "blocked data export (export_blocked)",
            ),
        ]);
        let name = snapshot.name(v);
        out.push(
            &[v],
            format!("マイナンバー利用事務系の端末・システム{name}に{ja}がありません"),
            format!("{name} is a My Number segment terminal or system without {en}"),
        );
    }
}

/// `segment.my_number_connection`: `connects_to` or `transfers_to` between
/// the My Number segment and another segment.
pub(super) fn my_number_connection(
    snapshot: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for (edge, sa, sb) in between_segments(snapshot) {
        if (sa == Segment::MyNumber) == (sb == Segment::MyNumber) {
            continue;
        }
        let (from, to) = (snapshot.name(edge.from), snapshot.name(edge.to));
        let relation = edge.relation.code();
        out.push(
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
    }
}

/// `segment.lgwan_internet`: `connects_to` between the LGWAN and internet
/// segments, or a transfer between them, either way, without sanitization
/// from a source whose effective confidentiality is at least the policy's
/// `transfer_error_from` (§6(3)イ: 両システム間で通信する場合には、無害化通信を
/// 実施する; outbound is the leak path).
pub(super) fn lgwan_internet(
    snapshot: &Snapshot,
    inh: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for (edge, sa, sb) in lgwan_internet_links(snapshot) {
        let (from, to) = (snapshot.name(edge.from), snapshot.name(edge.to));
        if edge.relation == Relation::ConnectsTo {
            out.push(
                &[edge.from, edge.to],
                format!(
                    "LGWAN接続系とインターネット接続系が直接接続されています（{from} connects_to {to}）。通信経路を分割し、無害化通信で受け渡してください"
                ),
                format!(
                    "{from} connects_to {to} joins the LGWAN and internet segments; split the path and pass data only by sanitized transfer"
                ),
            );
        } else if unsanitized(edge) && transfer_is_error(snapshot, inh, edge.from) {
            push_transfer(snapshot, inh, out, edge, sa, sb);
        }
    }
}

/// `segment.unsanitized_transfer`: a transfer between the LGWAN and internet
/// segments, either way, without sanitization, from a source below the
/// policy's `transfer_error_from`.
pub(super) fn unsanitized_transfer(
    snapshot: &Snapshot,
    inh: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for (edge, sa, sb) in lgwan_internet_links(snapshot) {
        if edge.relation == Relation::TransfersTo
            && unsanitized(edge)
            && !transfer_is_error(snapshot, inh, edge.from)
        {
            push_transfer(snapshot, inh, out, edge, sa, sb);
        }
    }
}

fn lgwan_internet_links(snapshot: &Snapshot) -> impl Iterator<Item = (&Edge, Segment, Segment)> {
    between_segments(snapshot).filter(|(_, sa, sb)| {
        matches!(
            (sa, sb),
            (Segment::Lgwan, Segment::Internet) | (Segment::Internet, Segment::Lgwan)
        )
    })
}

fn unsanitized(edge: &Edge) -> bool {
    edge.sanitization.is_none_or(|s| s == Sanitization::None)
}

fn transfer_is_error(snapshot: &Snapshot, inh: &Inheritance, source: u32) -> bool {
    snapshot
        .policy
        .transfer_error_from()
        .is_none_or(|level| inh.effective[0][source as usize] >= level.rank())
}

fn push_transfer(
    snapshot: &Snapshot,
    inh: &Inheritance,
    out: &mut Findings<'_>,
    edge: &Edge,
    sa: Segment,
    sb: Segment,
) {
    let (from, to) = (snapshot.name(edge.from), snapshot.name(edge.to));
    let c = inh.effective[0][edge.from as usize];
    out.push(
        &[edge.from, edge.to],
        format!(
            "{}の{from}（{}）から{}の{to}への転送が無害化されていません（無害化方式: {}）",
            sa.label_ja(),
            label_ja(snapshot, Axis::Confidentiality, c),
            sb.label_ja(),
            edge.sanitization.map_or("未記載", Sanitization::label_ja)
        ),
        format!(
            "the transfer from {from} ({}, C{}) to {to} ({}) is not sanitized (sanitization: {})",
            sa.label_en(),
            snapshot.level(Axis::Confidentiality, c),
            sb.label_en(),
            edge.sanitization.map_or("not recorded", Sanitization::code)
        ),
    );
}

/// `segment.my_number_media`: 特定個人情報 (its own or held) on portable
/// media, or on an electronic asset with no network segment (§6(3)ア:
/// 端末からの情報持ち出し不可).
pub(super) fn my_number_media(
    snapshot: &Snapshot,
    inh: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for (v, node) in snapshot.active(out.assets()) {
        if inh.effective[MY_NUMBER_CHANNEL][v as usize] != 1 {
            continue;
        }
        let portable = node.medium == Some(Medium::PortableMedia);
        let unsegmented = node.segment.is_none() && node.is_electronic();
        if !(portable || unsegmented) {
            continue;
        }
        let name = snapshot.name(v);
        let (ja, en) = if portable {
            ("可搬媒体", "portable media")
        } else {
            (
                "ネットワーク区分のない電子媒体",
                "an electronic asset with no network segment",
            )
        };
        out.push(
            &[v],
            format!("特定個人情報が{ja}の{name}にあります（端末からの情報持ち出し不可の原則）"),
            format!("{name} holds 特定個人情報 (My Number data) on {en}; My Number data must not leave the segment's terminals"),
        );
    }
}

/// `segment.host_mismatch`: information (イ) with a network segment stored
/// on a system (ア) of another segment.
pub(super) fn host_mismatch(
    snapshot: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for (ends, a, b) in snapshot.stored_on() {
        if !(a.is_active() && b.is_active()) {
            continue;
        }
        let (Some(sa), Some(sb)) = (a.segment, b.segment) else {
            continue;
        };
        if sa == sb {
            continue;
        }
        let (from, to) = (snapshot.name(ends[0]), snapshot.name(ends[1]));
        out.push(
            &ends,
            format!(
                "{from}は{}ですが、保存先の{to}は{}です",
                sa.label_ja(),
                sb.label_ja()
            ),
            format!(
                "{from} is in the {} but stored on {to} in the {}",
                sa.label_en(),
                sb.label_en()
            ),
        );
    }
}

/// `segment.internet_high`: an asset on the internet segment whose effective
/// confidentiality is above the policy's `internet_max_confidentiality`
/// (GUIDELINE-NOTES §5.3: 3A and 3B stay off the internet segment).
pub(super) fn internet_high(
    snapshot: &Snapshot,
    inh: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    let Some(max) = snapshot.policy.internet_max_confidentiality() else {
        return;
    };
    let axis = Axis::Confidentiality;
    for (v, node) in snapshot.active(out.assets()) {
        let c = inh.effective[0][v as usize];
        if node.segment != Some(Segment::Internet) || c <= max.rank() {
            continue;
        }
        let name = snapshot.name(v);
        out.push(
            &[v],
            format!(
                "{}の{name}がインターネット接続系にあります（{}までが目安）",
                label_ja(snapshot, axis, c),
                label_ja(snapshot, axis, max.rank())
            ),
            format!(
                "{name} is C{} on the internet segment (at most C{} belongs there)",
                snapshot.level(axis, c),
                max
            ),
        );
    }
}

/// `segment.internet_monitoring`: a system (ア) on the internet segment
/// without `monitoring`, or (but for network devices) `malware_protection`
/// (§6(3)ウ).
pub(super) fn internet_monitoring(
    snapshot: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    let monitoring = snapshot.control_bit("monitoring");
    let malware = snapshot.control_bit("malware_protection");
    for (v, node) in snapshot.active(out.assets()) {
        if node.kind != Kind::NetworkSystem || node.segment != Some(Segment::Internet) {
            continue;
        }
        let has = |bit: Option<u64>| bit.is_some_and(|b| node.controls & b != 0);
        let device = node.medium == Some(Medium::NetworkDevice);
        let (no_monitoring, no_malware) = (!has(monitoring), !device && !has(malware));
        if !(no_monitoring || no_malware) {
            continue;
        }
        let (ja, en) = missing_words(&[
            (no_monitoring, "不正通信監視", "monitoring"),
            (no_malware, "不正プログラム対策", "malware protection"),
        ]);
        let name = snapshot.name(v);
        out.push(
            &[v],
            format!("インターネット接続系の{name}に{ja}がありません"),
            format!("{name} is on the internet segment without {en}"),
        );
    }
}

/// The `connects_to` and `transfers_to` links between two in-scope assets in
/// use that both have a network segment, with the two segments.
fn between_segments(snapshot: &Snapshot) -> impl Iterator<Item = (&Edge, Segment, Segment)> {
    snapshot.edges.iter().filter_map(|edge| {
        if !matches!(edge.relation, Relation::ConnectsTo | Relation::TransfersTo) {
            return None;
        }
        let (a, b) = (
            &snapshot.nodes[edge.from as usize],
            &snapshot.nodes[edge.to as usize],
        );
        if !(a.is_active() && b.is_active()) {
            return None;
        }
        Some((edge, a.segment?, b.segment?))
    })
}
