//! Every word a closed column accepts: each member's code, labels and
//! further words (aliases, marks, a city's synonyms), in the column table's
//! order, for `daicho policy vocabulary`; and the check of a policy's
//! synonyms of the library's own closed sets.

use super::{CellKind, Column};
use crate::error::{Error, Result};
use crate::model::{HostingKind, Kind, Medium, Segment};
use crate::parse::bool_words;
use crate::policy::{Axis, Policy};

/// One member of a closed column and the words that mean it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VocabularyEntry {
    /// The column.
    pub column: Column,
    /// The member's code, as stored and exported with English headers.
    pub code: String,
    /// Its Japanese label, as exported with Japanese headers.
    pub ja: String,
    /// Its English label.
    pub en: String,
    /// The further words and marks read as it (aliases, ✓/レ, a city's
    /// synonyms), besides the code and the labels; compared after NFKC,
    /// case and spaces folded.
    pub words: Vec<String>,
}

/// Every accepted word of every closed column of the asset sheet, under
/// `policy`, in the column table's order.
pub fn vocabulary(policy: &Policy) -> Vec<VocabularyEntry> {
    let mut entries = Vec::new();
    for &column in Column::ALL {
        match column.kind() {
            CellKind::Code => code_column(policy, column, &mut entries),
            CellKind::PolicyCode | CellKind::Level | CellKind::Controls => {
                policy_column(policy, column, &mut entries);
            }
            CellKind::OptionalText if column == Column::DisposalMethod => {
                policy_column(policy, column, &mut entries);
            }
            CellKind::Flag => {
                let (yes, no) = bool_words();
                for (code, ja, en, words) in [("true", "○", "yes", yes), ("false", "×", "no", no)]
                {
                    entries.push(VocabularyEntry {
                        column,
                        code: code.to_owned(),
                        ja: ja.to_owned(),
                        en: en.to_owned(),
                        words: words
                            .iter()
                            .filter(|w| ![code, ja, en].contains(w))
                            .map(|w| (*w).to_owned())
                            .collect(),
                    });
                }
            }
            _ => {}
        }
    }
    entries
}

/// The members of one of the library's closed sets, with a city's synonyms.
fn code_column(policy: &Policy, column: Column, entries: &mut Vec<VocabularyEntry>) {
    let synonyms = |code: &str| -> Vec<String> {
        policy
            .synonyms()
            .filter(|(c, k, _)| *c == column.key() && *k == code)
            .map(|(_, _, word)| word.to_owned())
            .collect()
    };
    let mut push = |code: &str, ja: &str, en: &str, spellings: &[&str]| {
        let mut words: Vec<String> = spellings
            .iter()
            .filter(|w| ![code, ja, en].contains(w))
            .map(|w| (*w).to_owned())
            .collect();
        words.extend(synonyms(code));
        entries.push(VocabularyEntry {
            column,
            code: code.to_owned(),
            ja: ja.to_owned(),
            en: en.to_owned(),
            words,
        });
    };
    macro_rules! members {
        ($set:ty) => {
            for member in <$set>::ALL {
                push(
                    member.code(),
                    member.label_ja(),
                    member.label_en(),
                    member.spellings(),
                );
            }
        };
    }
    match column {
        Column::Kind => members!(Kind),
        Column::Segment => members!(Segment),
        Column::Medium => members!(Medium),
        Column::Hosting => members!(HostingKind),
        Column::Retention => {
            push("under_one_year", "1年未満", "under a year", &["<1", "0"]);
            push("permanent", "永年", "permanent", &["常用", "永久"]);
            push("N", "N年", "N years", &["5", "5年", "5 years"]);
        }
        _ => {}
    }
}

/// The members of one of the policy's closed columns.
fn policy_column(policy: &Policy, column: Column, entries: &mut Vec<VocabularyEntry>) {
    let key = column.key();
    let mut push = |code: &str, ja: &str, en: &str| {
        entries.push(VocabularyEntry {
            column,
            code: code.to_owned(),
            ja: ja.to_owned(),
            en: en.to_owned(),
            words: policy.further_words(key, code).to_vec(),
        });
    };
    match column {
        Column::Organization => {
            for org in policy.organizations() {
                push(org.code.as_str(), &org.ja, &org.en);
            }
        }
        Column::Confidentiality | Column::Integrity | Column::Availability => {
            let axis = match column {
                Column::Confidentiality => Axis::Confidentiality,
                Column::Integrity => Axis::Integrity,
                _ => Axis::Availability,
            };
            for level in &policy.scale(axis).levels {
                push(level.level.code(), &level.ja, &level.en);
            }
        }
        Column::Controls => {
            for control in policy.controls() {
                push(control.code.as_str(), &control.ja, &control.en);
            }
        }
        Column::ExclusionReason => {
            for exclusion in policy.exclusions() {
                push(exclusion.code.as_str(), &exclusion.ja, &exclusion.en);
            }
        }
        Column::DisposalMethod => {
            for method in policy.disposal_methods() {
                push(&method.code, &method.ja, &method.en);
            }
        }
        _ => {}
    }
}

/// Checks a policy's synonyms of the library's closed sets: each names a
/// code of its column and no word another member already has.
pub(crate) fn check_synonyms(policy: &Policy) -> Result<()> {
    for (column, code, word) in policy.synonyms() {
        let parse: fn(&str) -> Result<String> = match column {
            "kind" => |t| Kind::parse(t).map(|k| k.code().to_owned()),
            "segment" => |t| Segment::parse(t).map(|s| s.code().to_owned()),
            "medium" => |t| Medium::parse(t).map(|m| m.code().to_owned()),
            "hosting" => |t| HostingKind::parse(t).map(|h| h.code().to_owned()),
            _ => continue,
        };
        let invalid = |ja: String, en: String| Error::PolicyInvalid {
            origin: policy.name().to_owned(),
            reason: crate::text::Localized::new(ja, en),
        };
        match parse(code) {
            Ok(found) if found == code => {}
            _ => {
                return Err(invalid(
                    format!("`{column}` の同義語が指すコード `{code}` はありません"),
                    format!("the synonyms of `{column}` name the code `{code}`, which is not one"),
                ));
            }
        }
        if let Ok(other) = parse(word)
            && other != code
        {
            return Err(invalid(
                format!("`{column}` `{code}` の同義語 `{word}` はすでに `{other}` の語です"),
                format!(
                    "the synonym `{word}` of `{column}` `{code}` is already a word of `{other}`"
                ),
            ));
        }
    }
    Ok(())
}

/// A cell of one of the library's closed columns: its own spellings first,
/// then a city's synonym.
pub(crate) fn parse_code<T>(
    policy: &Policy,
    column: &str,
    text: &str,
    parse: impl Fn(&str) -> Result<T>,
) -> Result<T> {
    parse(text).or_else(|error| match policy.synonym(column, text) {
        Some(code) => parse(code),
        None => Err(error),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A city's file that extends the niigata profile with synonyms.
    fn city(synonyms: &str) -> Result<Policy> {
        Policy::from_toml(
            &format!("name = \"minato\"\nextends = \"niigata\"\n{synonyms}"),
            "minato.toml",
        )
    }

    const SYNONYMS: &str = r#"
[[synonyms]]
column = "kind"
code = "network_system"
words = ["システム系"]

[[synonyms]]
column = "segment"
code = "lgwan"
words = ["総合行政ネットワーク"]

[[synonyms]]
column = "organization"
code = "mayor"
words = ["各区役所"]

[[synonyms]]
column = "controls"
code = "malware_protection"
words = ["ウイルス対策ソフト"]
"#;

    #[test]
    fn a_citys_synonyms_are_read_as_their_codes_in_a_sheet() {
        let policy = city(SYNONYMS).unwrap();
        let mut register = crate::test_backend::register(&policy).unwrap();
        let sheet = "資産名,種別,所管,機密性,完全性,可用性,ネットワーク区分,管理策\n\
                     窓口端末,システム系,各区役所,2,1,1,総合行政ネットワーク,ウイルス対策ソフト\n";
        register
            .import_assets(sheet.as_bytes(), &crate::sheet::ImportOptions::default())
            .unwrap();
        let asset = register.resolve("窓口端末").unwrap();
        assert_eq!(asset.fields.kind, Kind::NetworkSystem);
        assert_eq!(asset.fields.segment, Some(Segment::Lgwan));
        assert_eq!(asset.fields.organization.as_str(), "mayor");
        assert!(
            asset
                .fields
                .controls
                .iter()
                .any(|c| c.as_str() == "malware_protection")
        );
    }

    #[test]
    fn the_vocabulary_lists_every_closed_column_with_the_synonyms() {
        let policy = city(SYNONYMS).unwrap();
        let entries = vocabulary(&policy);
        let words = |column: Column, code: &str| {
            entries
                .iter()
                .find(|e| e.column == column && e.code == code)
                .unwrap_or_else(|| panic!("no {column:?} {code}"))
                .words
                .clone()
        };
        assert!(words(Column::Kind, "network_system").contains(&"ア".to_owned()));
        assert!(words(Column::Kind, "network_system").contains(&"システム系".to_owned()));
        assert!(words(Column::Organization, "mayor").contains(&"各区役所".to_owned()));
        assert!(words(Column::Personal, "true").contains(&"✓".to_owned()));
        assert!(words(Column::Personal, "false").contains(&"非該当".to_owned()));
        assert!(words(Column::Confidentiality, "3B").contains(&"C3B".to_owned()));
        for column in [
            Column::Kind,
            Column::Organization,
            Column::Confidentiality,
            Column::Integrity,
            Column::Availability,
            Column::Segment,
            Column::Medium,
            Column::Personal,
            Column::Sensitive,
            Column::MyNumber,
            Column::Controls,
            Column::Hosting,
            Column::Retention,
            Column::ExclusionReason,
        ] {
            assert!(entries.iter().any(|e| e.column == column), "{column:?}");
        }
    }

    #[test]
    fn a_synonym_of_an_unknown_code_or_of_another_members_word_is_refused() {
        for (synonym, expected) in [
            (
                "column = \"organization\"\ncode = \"police\"\nwords = [\"警察\"]",
                "name the code `police`, which is not one",
            ),
            (
                "column = \"organization\"\ncode = \"mayor\"\nwords = [\"水道局\"]",
                "the synonym `水道局` of `organization` `mayor` is already a word of another member",
            ),
            (
                "column = \"colour\"\ncode = \"red\"\nwords = [\"赤\"]",
                "not a closed column",
            ),
        ] {
            let error = city(&format!("[[synonyms]]\n{synonym}\n")).unwrap_err();
            assert!(error.to_string().contains("minato.toml"), "{error}");
            let Error::PolicyInvalid { reason, .. } = &error else {
                panic!("{error:?}");
            };
            assert!(reason.en.contains(expected), "{reason}");
        }
        // The library's own closed sets are checked when a register takes
        // the policy.
        for (synonym, expected) in [
            (
                "column = \"kind\"\ncode = \"hardware\"\nwords = [\"機器\"]",
                "name the code `hardware`, which is not one",
            ),
            (
                "column = \"kind\"\ncode = \"network_system\"\nwords = [\"イ\"]",
                "the synonym `イ` of `kind` `network_system` is already a word of `information`",
            ),
        ] {
            let policy = city(&format!("[[synonyms]]\n{synonym}\n")).unwrap();
            let error = crate::test_backend::register(&policy)
                .map(|_| ())
                .unwrap_err();
            let Error::PolicyInvalid { reason, .. } = &error else {
                panic!("{error:?}");
            };
            assert!(reason.en.contains(expected), "{reason}");
        }
    }
}
