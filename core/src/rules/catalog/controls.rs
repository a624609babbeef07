//! `controls.*`: the controls the handling restrictions of the asset's
//! effective levels require (§6(2)).
//!
//! Restrictions marked `electronic_only` in the policy are not asked of
//! paper; those marked `paper_only` only of paper; those marked
//! `network_only` only of assets with a network segment. Integrity and
//! availability restrictions are asked of electronic assets only, whatever
//! the policy marks (「書面を除く」, GUIDELINE-NOTES §1.1).

use crate::model::Medium;
use crate::policy::Axis;
use crate::rules::findings::{CheckOptions, Findings};
use crate::rules::inherit::Inheritance;
use crate::rules::snapshot::{Node, Snapshot};

/// `controls.required_missing`: a control required by the handling
/// restrictions of the asset's effective levels is not declared.
pub(super) fn required_missing(
    snapshot: &Snapshot,
    inh: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    let required = Required::new(snapshot);
    for (v, node) in snapshot.active(out.assets()) {
        let eff = inh.effective_ranks(v);
        let missing = required.of(node, eff) & !node.controls;
        if missing == 0 {
            continue;
        }
        let mut ja = Vec::new();
        let mut en = Vec::new();
        for (bit, control) in snapshot.policy.controls().iter().enumerate() {
            if missing & (1 << bit) != 0 {
                let levels = requiring(snapshot, eff, control.code.as_str());
                ja.push(format!("{}（{}）", control.ja, levels.0));
                en.push(format!("{} ({})", control.code, levels.1));
            }
        }
        let name = snapshot.name(v);
        out.push(
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
}

/// Controls required by the handling restrictions of each level, split by
/// where they apply.
struct Required {
    /// Per axis, indexed by rank: (always, electronic media only, networked
    /// only, paper only).
    masks: [Vec<(u64, u64, u64, u64)>; 3],
}

impl Required {
    fn new(snapshot: &Snapshot) -> Required {
        let masks = Axis::ALL.map(|axis| {
            let mut by_rank = vec![(0, 0, 0, 0); 256];
            for def in &snapshot.policy.scale(axis).levels {
                let slot: &mut (u64, u64, u64, u64) = &mut by_rank[usize::from(def.level.rank())];
                for r in &def.restrictions {
                    let b = snapshot.control_bit(r.control.as_str()).unwrap_or(0);
                    if r.network_only {
                        slot.2 |= b;
                    } else if r.paper_only {
                        if axis == Axis::Confidentiality {
                            slot.3 |= b;
                        }
                    } else if r.electronic_only || axis != Axis::Confidentiality {
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
            let (always, e_only, net_only, paper_only) = self.masks[axis][usize::from(*rank)];
            need |= always;
            if electronic {
                need |= e_only;
            } else {
                need |= paper_only;
            }
            if networked {
                need |= net_only;
            }
        }
        need
    }
}

/// Which of the effective levels require a control, in Japanese and English.
fn requiring(snapshot: &Snapshot, ranks: [u8; 3], control: &str) -> (String, String) {
    let mut ja = Vec::new();
    let mut en = Vec::new();
    for axis in Axis::ALL {
        if let Some(def) = snapshot.level_def(axis, ranks[axis as usize])
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
