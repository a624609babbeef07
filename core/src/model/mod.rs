//! The domain model: assets, their parts and the links between them.

mod asset;
mod change;
pub(crate) mod codes;
mod id;
mod link;

pub use asset::{
    Asset, AssetFields, Classification, Disposal, Extra, Hosting, PersonalData, Retention, Scope,
};
pub use change::FieldChange;
pub use codes::{HostingKind, Kind, Medium, Relation, Sanitization, Segment};
pub use id::{AssetId, AssetName};
pub use link::Link;
