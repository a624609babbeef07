//! Links between assets.

use crate::model::codes::{Relation, Sanitization};
use crate::model::id::AssetId;

/// A directed, typed link between two assets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Link {
    /// The source asset.
    pub from: AssetId,
    /// The relation.
    pub relation: Relation,
    /// The target asset.
    pub to: AssetId,
    /// For [`Relation::TransfersTo`]: how the transfer is sanitized.
    pub sanitization: Option<Sanitization>,
}

impl Link {
    /// A link without sanitization.
    pub fn new(from: AssetId, relation: Relation, to: AssetId) -> Self {
        Link {
            from,
            relation,
            to,
            sanitization: None,
        }
    }
}
