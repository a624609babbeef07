//! The wording the rules share: level labels, lists of missing items, and
//! the paths that explain an inherited level.

use crate::model::Relation;
use crate::policy::Axis;
use crate::rules::inherit::Inheritance;
use crate::rules::snapshot::Snapshot;

/// "A及びB" / "A and B" from the items whose flag is set.
pub(super) fn missing_words(items: &[(bool, &str, &str)]) -> (String, String) {
    let ja: Vec<&str> = items.iter().filter(|i| i.0).map(|i| i.1).collect();
    let en: Vec<&str> = items.iter().filter(|i| i.0).map(|i| i.2).collect();
    (ja.join("及び"), en.join(" and "))
}

/// The Japanese label of a level by its rank, e.g. 自治体機密性3C.
pub(super) fn label_ja(snapshot: &Snapshot, axis: Axis, rank: u8) -> String {
    snapshot.level_def(axis, rank).map_or_else(
        || format!("{}{rank}", axis.label_ja()),
        |def| def.ja.clone(),
    )
}

/// The longest path a message spells out in full.
const MESSAGE_HOPS: u32 = 3;

/// A path for a message: in full up to [`MESSAGE_HOPS`] links, else the
/// origin, the number of links and the last link (`explain` shows it all).
pub(super) enum ShortPath {
    Full(Vec<u32>),
    Long { origin: u32, hops: u32, last: u32 },
}

impl ShortPath {
    /// The path to asset `v` on a channel of the inheritance.
    pub(super) fn to(inh: &Inheritance, channel: usize, v: u32, snapshot: &Snapshot) -> ShortPath {
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

    pub(super) fn is_empty(&self) -> bool {
        matches!(self, ShortPath::Full(links) if links.is_empty())
    }

    /// E.g. `住民記録データ（イ）は住民基本台帳システム（ア）に保存`.
    pub(super) fn ja(&self, snapshot: &Snapshot) -> String {
        match self {
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

    /// E.g. `住民記録データ (イ) stored_on 住民基本台帳システム (ア)`.
    pub(super) fn en(&self, snapshot: &Snapshot) -> String {
        match self {
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
}

/// One link of a path, in Japanese and English.
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
