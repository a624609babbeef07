//! The JSON wire formats of daicho's results, each defined once: a flat,
//! serializable record per result (a check report, an explanation, a
//! summary, a verification, an import or export report, the risk list, an
//! audit entry, a policy table), made from the domain type with `From` (or
//! `new` where the record needs something the type does not hold, such as a
//! file name). Domain types carry no serde derives; the CLI's
//! `--format json` writes these records.
//!
//! Records hold codes, never labels: a label depends on the reader's
//! language and is left to whoever shows it. Each record declares its
//! fields in alphabetical order, the order of its keys in the JSON; a
//! record holding an [`AssetRecord`] or a [`LinkRecord`] writes them with
//! their keys sorted too.
//!
//! An audit entry's change is typed as well: [`EntryChange`] compares the
//! entry's before and after asset records field by field ([`FieldDiff`]),
//! or names the link or the risk assessment it changed.

mod campaign;
mod check;
mod followup;
mod history;
mod policy;
mod register;
mod sheet;

pub use campaign::*;
pub use check::*;
pub use followup::*;
pub use history::*;
pub use policy::*;
pub use register::*;
pub use sheet::*;

#[cfg(test)]
mod tests;
