//! `class.*`: classification below what flows in.

use std::fmt::Write as _;

use crate::policy::Axis;
use crate::rules::catalog::words::{ShortPath, label_ja};
use crate::rules::findings::{CheckOptions, Findings};
use crate::rules::inherit::Inheritance;
use crate::rules::snapshot::Snapshot;

/// `class.below_inherited`: on some axis, the asset's own level is below the
/// level that flows in through `stored_on` / `copy_of`; the finding names the
/// asset, then the origin of each raised level.
pub(super) fn below_inherited(
    snapshot: &Snapshot,
    inh: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for (v, node) in snapshot.active(out.assets()) {
        let eff = inh.effective_ranks(v);
        // A level the asset's own personal data sets is `class.below_floor`'s.
        let below: Vec<Axis> = Axis::ALL
            .into_iter()
            .filter(|axis| {
                let a = *axis as usize;
                node.ranks[a] < eff[a] && inh.origin(a, v) != v
            })
            .collect();
        if below.is_empty() {
            continue;
        }
        let name = snapshot.name(v);
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
            let path = ShortPath::to(inh, a, v, snapshot);
            assets.push(inh.origin(a, v));
            let _ = write!(
                ja,
                " {}は{}以上が必要（{}）;",
                label_ja(snapshot, axis, node.ranks[a]),
                label_ja(snapshot, axis, eff[a]),
                path.ja(snapshot),
            );
            let _ = write!(
                en,
                " {}{} needs at least {}{} ({});",
                axis.letter(),
                snapshot.level(axis, node.ranks[a]),
                axis.letter(),
                snapshot.level(axis, eff[a]),
                path.en(snapshot),
            );
        }
        ja.pop();
        en.pop();
        out.push(&assets, ja, en);
    }
}

/// `class.below_floor`: the declared confidentiality is below the floor the
/// asset's own personal data sets (the policy's `floors`); the finding names
/// the fact that sets it.
pub(super) fn below_floor(
    snapshot: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    let axis = Axis::Confidentiality;
    for (v, node) in snapshot.active(out.assets()) {
        if node.ranks[0] >= node.floor {
            continue;
        }
        let Some(floor) = snapshot.floor_of(v) else {
            continue;
        };
        let name = snapshot.name(v);
        out.push(
            &[v],
            format!(
                "{name}は{}ため{}以上が必要です（登録は{}）",
                floor.ja,
                label_ja(snapshot, axis, node.floor),
                label_ja(snapshot, axis, node.ranks[0])
            ),
            format!(
                "{name} {}, so it needs at least C{} (recorded C{})",
                floor.en,
                snapshot.level(axis, node.floor),
                snapshot.level(axis, node.ranks[0])
            ),
        );
    }
}
