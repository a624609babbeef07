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
        let below: Vec<Axis> = Axis::ALL
            .into_iter()
            .filter(|axis| node.ranks[*axis as usize] < eff[*axis as usize])
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
