//! Which asset an id-less row describes: the one with its 管理番号, or else
//! the one of its organization with its name. A sheet kept by a section
//! carries no ids, and importing it again must update, never duplicate.

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
