//! Records of the policy's tables: levels, restrictions, labels, exclusions.

use serde::Serialize;

use crate::policy::{Control, Exclusion, LevelDef, Organization, Restriction};
use crate::policy_change::PolicyChange;
use crate::rules::RuleId;
use crate::table::vocabulary::VocabularyEntry;
use crate::wire::PolicyStamp;

// The policy's tables.

/// A classification level of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelRecord<'a> {
    /// The axis's code.
    pub axis: &'static str,
    /// The level's code.
    pub code: &'a str,
    /// The definition, in English.
    pub definition_en: &'a str,
    /// The definition, in Japanese.
    pub definition_ja: &'a str,
    /// The label, in English.
    pub en: &'a str,
    /// 重要度, 1–3.
    pub importance: u8,
    /// The label, in Japanese.
    pub ja: &'a str,
    /// True when the definition and restrictions paraphrase the guideline's
    /// model text instead of quoting the city's own standard.
    pub paraphrased: bool,
    /// The rank: 1 is the lowest level.
    pub rank: u8,
    /// The controls its handling restrictions require.
    pub requires: Vec<&'a str>,
}

impl<'a> From<&'a LevelDef> for LevelRecord<'a> {
    fn from(def: &'a LevelDef) -> Self {
        LevelRecord {
            axis: def.level.axis().code(),
            code: def.level.code(),
            definition_en: &def.definition_en,
            definition_ja: &def.definition_ja,
            en: &def.en,
            importance: def.importance,
            ja: &def.ja,
            paraphrased: def.paraphrased,
            rank: def.level.rank(),
            requires: def
                .restrictions
                .iter()
                .map(|r| r.control.as_str())
                .collect(),
        }
    }
}

/// A handling restriction of a level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestrictionRecord<'a> {
    /// The axis's code.
    pub axis: &'static str,
    /// The control's code.
    pub control: &'a str,
    /// True when not asked of paper.
    pub electronic_only: bool,
    /// The restriction, in English.
    pub en: &'a str,
    /// The restriction, in Japanese.
    pub ja: &'a str,
    /// The level's code.
    pub level: &'a str,
    /// True when asked only of assets with a network segment.
    pub network_only: bool,
    /// True when asked only of paper.
    pub paper_only: bool,
}

impl<'a> RestrictionRecord<'a> {
    /// The record of `restriction`, one of `def`'s.
    pub fn new(def: &'a LevelDef, restriction: &'a Restriction) -> Self {
        RestrictionRecord {
            axis: def.level.axis().code(),
            control: restriction.control.as_str(),
            electronic_only: restriction.electronic_only,
            en: &restriction.en,
            ja: &restriction.ja,
            level: def.level.code(),
            network_only: restriction.network_only,
            paper_only: restriction.paper_only,
        }
    }
}

/// A code with its labels: an organization or a control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelRecord<'a> {
    /// The code.
    pub code: &'a str,
    /// The English label.
    pub en: &'a str,
    /// The Japanese label.
    pub ja: &'a str,
}

impl<'a> From<&'a Organization> for LabelRecord<'a> {
    fn from(o: &'a Organization) -> Self {
        LabelRecord {
            code: o.code.as_str(),
            en: &o.en,
            ja: &o.ja,
        }
    }
}

impl<'a> From<&'a Control> for LabelRecord<'a> {
    fn from(c: &'a Control) -> Self {
        LabelRecord {
            code: c.code.as_str(),
            en: &c.en,
            ja: &c.ja,
        }
    }
}

/// An organization of the policy, with the further names it is known by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganizationRecord<'a> {
    /// The further names accepted for it.
    pub aliases: &'a [String],
    /// The code.
    pub code: &'a str,
    /// The English name.
    pub en: &'a str,
    /// The Japanese name.
    pub ja: &'a str,
}

impl<'a> From<&'a Organization> for OrganizationRecord<'a> {
    fn from(o: &'a Organization) -> Self {
        OrganizationRecord {
            aliases: &o.aliases,
            code: o.code.as_str(),
            en: &o.en,
            ja: &o.ja,
        }
    }
}

/// A word list of a closed column's member (`policy vocabulary`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VocabularyRecord<'a> {
    /// The code.
    pub code: &'a str,
    /// The column's key.
    pub column: &'static str,
    /// The column's Japanese header.
    pub column_ja: &'static str,
    /// The English label.
    pub en: &'a str,
    /// The Japanese label.
    pub ja: &'a str,
    /// The further words and marks read as it.
    pub words: &'a [String],
}

impl<'a> From<&'a VocabularyEntry> for VocabularyRecord<'a> {
    fn from(entry: &'a VocabularyEntry) -> Self {
        VocabularyRecord {
            code: &entry.code,
            column: entry.column.key(),
            column_ja: entry.column.ja(),
            en: &entry.en,
            ja: &entry.ja,
            words: &entry.words,
        }
    }
}

/// A change of the register's policy (`policy set`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyChangeRecord<'a> {
    /// The policy after.
    pub after: PolicyStamp,
    /// The policy before.
    pub before: PolicyStamp,
    /// False when the new policy was the old one: nothing was written.
    pub changed: bool,
    /// The register's file.
    pub db: &'a str,
}

impl<'a> PolicyChangeRecord<'a> {
    /// The record of `change` to the register at `db`.
    pub fn new(change: &PolicyChange, db: &'a str) -> Self {
        PolicyChangeRecord {
            after: PolicyStamp {
                name: change.new_name.clone(),
                sha256: change.new_sha256.clone(),
            },
            before: PolicyStamp {
                name: change.old_name.clone(),
                sha256: change.old_sha256.clone(),
            },
            changed: change.changed,
            db,
        }
    }
}

/// An exclusion reason of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExclusionRecord<'a> {
    /// The code.
    pub code: &'a str,
    /// The reason, in English.
    pub en: &'a str,
    /// The reason, in Japanese.
    pub ja: &'a str,
    /// The codes of the organizations that may use it.
    pub organizations: Vec<&'a str>,
}

impl<'a> From<&'a Exclusion> for ExclusionRecord<'a> {
    fn from(e: &'a Exclusion) -> Self {
        ExclusionRecord {
            code: e.code.as_str(),
            en: &e.en,
            ja: &e.ja,
            organizations: e.organizations.iter().map(crate::OrgCode::as_str).collect(),
        }
    }
}

/// A rule of the self-inspection (`daicho policy rules`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleRecord {
    /// The stable id, e.g. `segment.my_number_outside`.
    pub id: &'static str,
    /// The policy section it enforces.
    pub section: &'static str,
    /// The severity's code.
    pub severity: &'static str,
    /// The title, in English.
    pub title_en: &'static str,
    /// The title, in Japanese.
    pub title_ja: &'static str,
}

impl From<RuleId> for RuleRecord {
    fn from(rule: RuleId) -> Self {
        RuleRecord {
            id: rule.code(),
            section: rule.section(),
            severity: rule.severity().code(),
            title_en: rule.title_en(),
            title_ja: rule.title_ja(),
        }
    }
}
