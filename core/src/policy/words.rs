//! The further words of the closed columns: each member's aliases as the
//! profile lists them, and the synonyms a city's file adds
//! (`[[synonyms]]`), each read as an existing code.
//!
//! A synonym of a column whose members are the policy's (organizations,
//! levels, controls, exclusions, disposal methods) joins that column's
//! lookup here, refused when its code is unknown or when the word already
//! means another member. The members of `kind`, `segment`, `medium` and
//! `hosting` are the library's own closed sets, a floor above: their
//! synonyms are kept here and checked against them by the column table
//! (`table::vocabulary::check_synonyms`), which `Register::create` and
//! `Register::set_policy` run.

use std::collections::{BTreeMap, HashMap};

use super::file::{PolicyFile, SynonymFile};
use super::{Axis, Lookup, insert_unique};
use crate::error::{Error, Result};
use crate::text::fold;

/// The closed columns whose members are the library's closed sets.
pub(crate) const CODE_COLUMNS: [&str; 4] = ["kind", "segment", "medium", "hosting"];

/// The closed columns whose members are the policy's.
pub(crate) const POLICY_COLUMNS: [&str; 7] = [
    "organization",
    "confidentiality",
    "integrity",
    "availability",
    "controls",
    "exclusion_reason",
    "disposal_method",
];

/// The further words of each closed column.
#[derive(Debug, Clone, Default)]
pub(super) struct Words {
    /// Per policy column and member code: its aliases, then its synonyms.
    pub(super) further: BTreeMap<(&'static str, String), Vec<String>>,
    /// The synonyms of the library's closed sets: column → folded word → code.
    pub(super) codes: HashMap<&'static str, HashMap<String, String>>,
    /// Every synonym as written: column, code, word.
    pub(super) synonyms: Vec<(&'static str, String, String)>,
}

/// The column named in a `[[synonyms]]` entry, as one of the constants.
fn column_of(name: &str) -> Option<&'static str> {
    CODE_COLUMNS
        .into_iter()
        .chain(POLICY_COLUMNS)
        .find(|column| *column == name)
}

/// Collects the aliases of the policy's members and adds the file's synonyms
/// to the lookups; `invalid` makes the error of a bad entry.
pub(super) fn collect(
    file: &PolicyFile,
    lookup: &mut Lookup,
    invalid: &dyn Fn(String, String) -> Error,
) -> Result<Words> {
    let mut words = Words::default();
    let mut note = |column: &'static str, code: &str, aliases: &[String]| {
        words
            .further
            .entry((column, code.to_owned()))
            .or_default()
            .extend(aliases.iter().cloned());
    };
    for org in &file.organizations {
        note("organization", &org.code, &org.aliases);
    }
    for (column, axis, scale) in [
        (
            "confidentiality",
            Axis::Confidentiality,
            &file.confidentiality,
        ),
        ("integrity", Axis::Integrity, &file.integrity),
        ("availability", Axis::Availability, &file.availability),
    ] {
        for level in &scale.levels {
            // The forms `build` accepts besides the labels: `C3B`, `機密性3B`.
            let prefixed = [
                format!("{}{}", axis.letter(), level.code),
                format!("{}{}", scale.ja, level.code),
            ];
            note(column, &level.code, &prefixed);
            note(column, &level.code, &level.aliases);
        }
    }
    for control in &file.controls {
        note("controls", &control.code, &control.aliases);
    }
    for exclusion in &file.exclusions {
        note("exclusion_reason", &exclusion.code, &exclusion.aliases);
    }
    for method in &file.disposal_methods {
        note("disposal_method", &method.code, &method.aliases);
    }
    for entry in &file.synonyms {
        add(file, entry, lookup, &mut words, invalid)?;
    }
    Ok(words)
}

/// Adds one `[[synonyms]]` entry.
fn add(
    file: &PolicyFile,
    entry: &SynonymFile,
    lookup: &mut Lookup,
    words: &mut Words,
    invalid: &dyn Fn(String, String) -> Error,
) -> Result<()> {
    let column = column_of(&entry.column).ok_or_else(|| {
        let (name, closed) = (
            &entry.column,
            CODE_COLUMNS
                .into_iter()
                .chain(POLICY_COLUMNS)
                .collect::<Vec<_>>()
                .join(", "),
        );
        invalid(
            format!("`synonyms` の列 `{name}` は選択肢の決まった列ではありません（{closed}）"),
            format!(
                "`synonyms` names the column `{name}`, which is not a closed column ({closed})"
            ),
        )
    })?;
    let code = &entry.code;
    if entry.words.iter().all(|word| fold(word).is_empty()) {
        return Err(invalid(
            format!("`{column}` `{code}` の `synonyms` に語がありません"),
            format!("`synonyms` for `{column}` `{code}` lists no words"),
        ));
    }
    if CODE_COLUMNS.contains(&column) {
        let map = words.codes.entry(column).or_default();
        for word in &entry.words {
            match map.insert(fold(word), entry.code.clone()) {
                Some(other) if other != entry.code => {
                    return Err(invalid(
                        format!(
                            "`{column}` の同義語 `{word}` が `{other}` と `{code}` の両方にあります"
                        ),
                        format!(
                            "the synonym `{word}` of `{column}` is given to both `{other}` and `{code}`"
                        ),
                    ));
                }
                _ => {}
            }
        }
    } else {
        let (map, codes) = policy_column(file, lookup, column);
        let index = codes
            .iter()
            .position(|code| *code == entry.code)
            .ok_or_else(|| {
                let codes = codes.join(", ");
                invalid(
                    format!("`{column}` の同義語が指すコード `{code}` はありません（コード: {codes}）"),
                    format!(
                        "the synonyms of `{column}` name the code `{code}`, which is not one (codes: {codes})"
                    ),
                )
            })?;
        for word in &entry.words {
            insert_unique(map, word, index).map_err(|word| {
                invalid(
                    format!("`{column}` `{code}` の同義語 `{word}` はすでにほかの選択肢の語です"),
                    format!(
                        "the synonym `{word}` of `{column}` `{code}` is already a word of another member"
                    ),
                )
            })?;
        }
        words
            .further
            .entry((column, entry.code.clone()))
            .or_default()
            .extend(entry.words.iter().cloned());
    }
    words.synonyms.extend(
        entry
            .words
            .iter()
            .map(|word| (column, entry.code.clone(), word.clone())),
    );
    Ok(())
}

/// A policy column's lookup and its members' codes, in the lookup's order.
fn policy_column<'l, 'f>(
    file: &'f PolicyFile,
    lookup: &'l mut Lookup,
    column: &str,
) -> (&'l mut HashMap<String, usize>, Vec<&'f str>) {
    let levels = |axis: Axis, scale: &'f super::file::ScaleFile| {
        (axis, scale.levels.iter().map(|l| l.code.as_str()).collect())
    };
    let (axis, codes): (Axis, Vec<&str>) = match column {
        "organization" => {
            let codes = file.organizations.iter().map(|o| o.code.as_str()).collect();
            return (&mut lookup.organizations, codes);
        }
        "controls" => {
            let codes = file.controls.iter().map(|c| c.code.as_str()).collect();
            return (&mut lookup.controls, codes);
        }
        "exclusion_reason" => {
            let codes = file.exclusions.iter().map(|e| e.code.as_str()).collect();
            return (&mut lookup.exclusions, codes);
        }
        "disposal_method" => {
            let codes = file.disposal_methods.iter().map(|m| m.code.as_str());
            return (&mut lookup.disposal_methods, codes.collect());
        }
        "integrity" => levels(Axis::Integrity, &file.integrity),
        "availability" => levels(Axis::Availability, &file.availability),
        _ => levels(Axis::Confidentiality, &file.confidentiality),
    };
    let index = Axis::ALL.iter().position(|a| *a == axis).unwrap_or(0);
    (&mut lookup.levels[index], codes)
}
