//! `segment.*`: the three-tier separation of networks (§6(3)).

use crate::model::{Kind, Relation, Sanitization, Segment};
use crate::rules::catalog::words::{ShortPath, missing_words};
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

/// `segment.my_number_controls`: a system (ア) in the My Number segment
/// without `mfa` or `export_blocked`.
pub(super) fn my_number_controls(
    snapshot: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    let mfa = snapshot.control_bit("mfa");
    let export_blocked = snapshot.control_bit("export_blocked");
    for (v, node) in snapshot.active(out.assets()) {
        if node.kind != Kind::NetworkSystem || node.segment != Some(Segment::MyNumber) {
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
            format!("マイナンバー利用事務系のシステム{name}に{ja}がありません"),
            format!("{name} is a My Number segment system without {en}"),
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
/// segments, or a transfer from internet to LGWAN without sanitization (the
/// policy asks it inbound only, GUIDELINE-NOTES §5.1).
pub(super) fn lgwan_internet(
    snapshot: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for (edge, sa, sb) in between_segments(snapshot) {
        if !matches!(
            (sa, sb),
            (Segment::Lgwan, Segment::Internet) | (Segment::Internet, Segment::Lgwan)
        ) {
            continue;
        }
        let (from, to) = (snapshot.name(edge.from), snapshot.name(edge.to));
        match edge.relation {
            Relation::ConnectsTo => out.push(
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
