//! Which asset an id-less row describes: the one with its 管理番号, or else
//! the one of its organization with its name. A sheet kept by a section
//! carries no ids, and importing it again must update, never duplicate.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

use foldhash::fast::FixedState;

use crate::error::Result;
use crate::model::Asset;
use crate::store::Db;
use crate::table::cells::Resolver;

/// What an id-less row matches.
#[derive(Debug)]
pub(super) enum Match {
    /// The asset it describes.
    Found(Box<Asset>),
    /// No asset yet: the row creates one.
    New,
    /// Several assets of its organization have its name: the row cannot say
    /// which; their ids and numbers, for the error.
    Ambiguous(Vec<Asset>),
}

/// Finds the asset an id-less row describes: by 管理番号 when the row has
/// one, else by organization (as the row writes it) and name.
pub(super) fn find(
    db: &Db,
    resolver: &mut Resolver<'_>,
    number: Option<&str>,
    organization: &str,
    name: &str,
) -> Result<Match> {
    if let Some(number) = number {
        return Ok(db
            .asset_by_number(resolver, number)?
            .map_or(Match::New, |asset| Match::Found(Box::new(asset))));
    }
    // A row whose organization or name is not valid creates nothing: its
    // cells are reported as they are parsed.
    let Some(organization) = resolver.organization_code(organization) else {
        return Ok(Match::New);
    };
    let mut found = db.assets_named_in(resolver, organization.as_str(), name, 4)?;
    Ok(match found.len() {
        0 => Match::New,
        1 => Match::Found(Box::new(found.remove(0))),
        _ => Match::Ambiguous(found),
    })
}

/// The keys of the id-less rows of a first import into an empty register,
/// so that two rows describing the same asset (the same 管理番号, or the
/// same organization and name) are found without the store: a 64-bit hash
/// of each key and the row it is on.
#[derive(Default)]
pub(super) struct SeenKeys {
    rows: HashMap<u64, u64, FixedState>,
}

impl SeenKeys {
    /// Records a row's key; returns the row it was first met on, if it was.
    pub(super) fn insert(&mut self, key: &(impl Hash + ?Sized), row: u64) -> Option<u64> {
        let hash = FixedState::with_seed(0x6461_6963_686f).hash_one(key);
        if let Some(first) = self.rows.get(&hash) {
            return Some(*first);
        }
        self.rows.insert(hash, row);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_met_again_names_its_first_row() {
        let mut seen = SeenKeys::default();
        assert_eq!(seen.insert(&("mayor", "住民記録"), 2), None);
        assert_eq!(seen.insert(&("water", "住民記録"), 3), None);
        assert_eq!(seen.insert(&("mayor", "住民記録"), 9), Some(2));
        assert_eq!(seen.insert("J-001", 10), None);
        assert_eq!(seen.insert("J-001", 11), Some(10));
    }
}
