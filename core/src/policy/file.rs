//! The TOML shape of a policy file, and `extends` resolution.
//!
//! These structs are the wire format only; [`super::Policy`] is built from
//! them after validation. Unknown fields are refused so that a misspelt key
//! is an error, not a silently ignored rule.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::text::{Localized, fold};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PolicyFile {
    pub(super) name: String,
    pub(super) title_ja: String,
    #[serde(default)]
    pub(super) title_en: String,
    #[serde(default)]
    pub(super) version: String,
    pub(super) review_interval_days: u32,
    /// `days` (a rolling `review_interval_days`) or `fiscal_year` (within the
    /// current or previous 年度, April–March).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) review_cycle: Option<String>,
    pub(super) organizations: Vec<NamedFile>,
    #[serde(default)]
    pub(super) exclusions: Vec<ExclusionFile>,
    #[serde(default)]
    pub(super) controls: Vec<NamedFile>,
    pub(super) confidentiality: ScaleFile,
    pub(super) integrity: ScaleFile,
    pub(super) availability: ScaleFile,
    #[serde(default)]
    pub(super) risk: RiskFile,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) floors: Vec<FloorFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) disposal_methods: Vec<DisposalMethodFile>,
    #[serde(default, skip_serializing_if = "SegmentsFile::is_empty")]
    pub(super) segments: SegmentsFile,
    /// The thresholds of 特定個人情報保護評価; the national rule's without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) pia: Option<super::PiaThresholds>,
    /// Words a city adds to closed columns, each read as an existing code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) synonyms: Vec<SynonymFile>,
}

/// Words a city's sheets write for an existing code of a closed column:
///
/// ```toml
/// [[synonyms]]
/// column = "kind"             # kind, segment, medium, hosting, organization,
/// code = "network_system"     # confidentiality, integrity, availability,
/// words = ["システム系"]      # controls, exclusion_reason, disposal_method
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SynonymFile {
    pub(super) column: String,
    pub(super) code: String,
    pub(super) words: Vec<String>,
}

/// A classification floor: the lowest confidentiality an asset holding a
/// kind of personal data may have (from `min_records` people on, if given).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FloorFile {
    /// `personal`, `sensitive` or `my_number`.
    pub(super) fact: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) min_records: Option<u64>,
    pub(super) confidentiality: String,
    pub(super) ja: String,
    #[serde(default)]
    pub(super) en: String,
}

/// A disposal method the profile accepts as making information unrecoverable.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DisposalMethodFile {
    pub(super) code: String,
    pub(super) ja: String,
    #[serde(default)]
    pub(super) en: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) aliases: Vec<String>,
    /// Done by a contractor, so a certificate is required.
    #[serde(default, skip_serializing_if = "is_false")]
    pub(super) outsourced: bool,
}

/// Levels that the segment rules compare with.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SegmentsFile {
    /// The highest confidentiality the internet segment should hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) internet_max_confidentiality: Option<String>,
    /// From this confidentiality on, an unsanitized transfer between LGWAN
    /// and internet is an error (a warning below).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) transfer_error_from: Option<String>,
}

impl SegmentsFile {
    fn is_empty(&self) -> bool {
        self.internet_max_confidentiality.is_none() && self.transfer_error_from.is_none()
    }
}

/// A label of an older scale that must not be read as a level of this one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LegacyFile {
    pub(super) label: String,
    /// The levels a person chooses among (GUIDELINE-NOTES §1.2).
    pub(super) candidates: Vec<String>,
}

/// A partial policy: a city's file that `extends` a built-in profile and
/// replaces only the sections it names.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverlayFile {
    name: String,
    extends: Option<String>,
    title_ja: Option<String>,
    title_en: Option<String>,
    version: Option<String>,
    review_interval_days: Option<u32>,
    review_cycle: Option<String>,
    organizations: Option<Vec<NamedFile>>,
    exclusions: Option<Vec<ExclusionFile>>,
    controls: Option<Vec<NamedFile>>,
    confidentiality: Option<ScaleFile>,
    integrity: Option<ScaleFile>,
    availability: Option<ScaleFile>,
    risk: Option<RiskFile>,
    organization_aliases: Option<Vec<OrganizationAliases>>,
    floors: Option<Vec<FloorFile>>,
    disposal_methods: Option<Vec<DisposalMethodFile>>,
    segments: Option<SegmentsFile>,
    pia: Option<super::PiaThresholds>,
    synonyms: Option<Vec<SynonymFile>>,
}

/// Names to add to one organization of the profile a file extends, without
/// restating the others:
///
/// ```toml
/// [[organization_aliases]]
/// organization = "mayor"        # its code or any of its names
/// aliases = ["各区役所"]
/// ```
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganizationAliases {
    organization: String,
    aliases: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NamedFile {
    pub(super) code: String,
    pub(super) ja: String,
    #[serde(default)]
    pub(super) en: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) aliases: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExclusionFile {
    pub(super) code: String,
    pub(super) ja: String,
    #[serde(default)]
    pub(super) en: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) aliases: Vec<String>,
    pub(super) organizations: Vec<String>,
    /// For information related to excluded information: the exclusions an
    /// asset must be linked to, whose organizations it must fit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) related_to: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScaleFile {
    pub(super) ja: String,
    #[serde(default)]
    pub(super) en: String,
    pub(super) levels: Vec<LevelFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) legacy: Vec<LegacyFile>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LevelFile {
    pub(super) code: String,
    pub(super) rank: u8,
    pub(super) importance: u8,
    pub(super) ja: String,
    #[serde(default)]
    pub(super) en: String,
    #[serde(default)]
    pub(super) definition_ja: String,
    #[serde(default)]
    pub(super) definition_en: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) aliases: Vec<String>,
    /// The definition and restrictions paraphrase the guideline's model text.
    #[serde(default, skip_serializing_if = "is_false")]
    pub(super) paraphrased: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) restrictions: Vec<RestrictionFile>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RestrictionFile {
    pub(super) control: String,
    pub(super) ja: String,
    #[serde(default)]
    pub(super) en: String,
    #[serde(default)]
    pub(super) electronic_only: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub(super) network_only: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub(super) paper_only: bool,
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde passes fields by reference"
)]
fn is_false(value: &bool) -> bool {
    !*value
}

/// The policy's risk analysis settings (basic policy §3 and §8): the threat
/// groups, the damage-likelihood matrix and the acceptance bands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskFile {
    /// The threat groups a risk entry can point at (§3 (1)–(5)).
    pub threats: Vec<ThreatGroup>,
    /// 被害発生可能性 (1–3) by threat likelihood (rows, 3 down to 1) and
    /// vulnerability (columns, 3 down to 1).
    pub damage_likelihood: [[u8; 3]; 3],
    /// Acceptance bands by the lowest risk value (importance × damage likelihood) each starts at.
    pub bands: Vec<RiskBand>,
}

/// A threat group of the basic policy §3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreatGroup {
    /// The code, e.g. `intentional`.
    pub code: String,
    /// The Japanese wording.
    pub ja: String,
    /// The English wording.
    #[serde(default)]
    pub en: String,
    /// The policy section, e.g. `§3(1)`.
    pub section: String,
}

/// An acceptance band of risk values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskBand {
    /// The code, e.g. `high`.
    pub code: String,
    /// The Japanese label, e.g. 高.
    pub ja: String,
    /// The English label.
    #[serde(default)]
    pub en: String,
    /// The lowest risk value in the band.
    pub min: u8,
}

impl RiskFile {
    /// 被害発生可能性 for a threat likelihood and a vulnerability, each 1–3.
    pub fn damage_likelihood(&self, threat: u8, vulnerability: u8) -> Option<u8> {
        let row = 3usize.checked_sub(usize::from(threat))?;
        let column = 3usize.checked_sub(usize::from(vulnerability))?;
        self.damage_likelihood.get(row)?.get(column).copied()
    }

    /// The band a risk value falls in: the one with the highest `min` not above it.
    pub fn band(&self, value: u8) -> Option<&RiskBand> {
        self.bands
            .iter()
            .filter(|b| b.min <= value)
            .max_by_key(|b| b.min)
    }

    pub(super) fn validate(&self) -> Result<(), (&'static str, &'static str)> {
        if self.threats.is_empty() {
            return Err(("risk.threats が空です", "risk.threats is empty"));
        }
        if self
            .damage_likelihood
            .iter()
            .flatten()
            .any(|v| !(1..=3).contains(v))
        {
            return Err((
                "risk.damage_likelihood の値は 1〜3 です",
                "risk.damage_likelihood values must be 1–3",
            ));
        }
        if self.bands.iter().all(|b| b.min > 1) {
            return Err((
                "risk.bands には 1 から始まる帯が要ります",
                "risk.bands must have a band starting at 1",
            ));
        }
        Ok(())
    }
}

impl Default for RiskFile {
    /// The IPA model (GUIDELINE-NOTES §3.2) and the five threat groups of §3.
    fn default() -> Self {
        let threat = |code: &str, ja: &str, en: &str, section: &str| ThreatGroup {
            code: code.to_owned(),
            ja: ja.to_owned(),
            en: en.to_owned(),
            section: section.to_owned(),
        };
        let band = |code: &str, ja: &str, en: &str, min| RiskBand {
            code: code.to_owned(),
            ja: ja.to_owned(),
            en: en.to_owned(),
            min,
        };
        RiskFile {
            threats: vec![
                threat(
                    "intentional",
                    "サイバー攻撃・部外者の侵入・内部不正等の意図的要因",
                    "intentional: cyber attacks, intrusion, insider wrongdoing",
                    "§3(1)",
                ),
                threat(
                    "unintentional",
                    "規定違反・設計不備・操作ミス・委託管理の不備・機器故障等の非意図的要因",
                    "unintentional: rule breaches, defects, mistakes, weak outsourcing control, equipment failure",
                    "§3(2)",
                ),
                threat(
                    "disaster",
                    "地震・落雷・火災等の災害",
                    "disasters: earthquake, lightning, fire",
                    "§3(3)",
                ),
                threat(
                    "epidemic",
                    "大規模・広範囲にわたる疾病による要員不足",
                    "staff shortage from a large-scale epidemic",
                    "§3(4)",
                ),
                threat(
                    "infrastructure",
                    "電力・通信・水道供給の途絶等のインフラの障害",
                    "infrastructure outage: power, communications, water",
                    "§3(5)",
                ),
            ],
            damage_likelihood: [[3, 2, 1], [2, 1, 1], [1, 1, 1]],
            bands: vec![
                band("low", "低", "low", 1),
                band("medium", "中", "medium", 3),
                band("high", "高", "high", 6),
            ],
        }
    }
}

/// Parses a policy file, resolving `extends` against the built-in profiles.
pub(super) fn resolve(
    text: &str,
    origin: &str,
    built_in: &dyn Fn(&str) -> Option<&'static str>,
) -> Result<PolicyFile> {
    let parse_error = |source| Error::PolicyParse {
        origin: origin.to_owned(),
        source,
    };
    let overlay: OverlayFile = toml::from_str(text).map_err(parse_error)?;
    let Some(base_name) = &overlay.extends else {
        if overlay.organization_aliases.is_some() {
            return Err(Error::PolicyInvalid {
                origin: origin.to_owned(),
                reason: Localized::new(
                    "`organization_aliases` は `extends` する組み込みのポリシーに書き足すものです。\
                     ポリシー全体を書くなら各所管の `aliases` に書きます",
                    "`organization_aliases` adds to a profile the file `extends`; \
                     a whole policy lists each organization's `aliases`",
                ),
            });
        }
        return toml::from_str(text).map_err(parse_error);
    };
    let base_text = built_in(base_name).ok_or_else(|| Error::PolicyInvalid {
        origin: origin.to_owned(),
        reason: Localized::new(
            format!("`extends` の `{base_name}` は組み込みのポリシーではありません"),
            format!("it extends `{base_name}`, which is not a built-in profile"),
        ),
    })?;
    // Built-in profiles extend at most one level deep.
    let mut base = resolve(base_text, base_name, built_in)?;
    base.name = overlay.name;
    macro_rules! replace {
        ($($field:ident),*) => { $(if let Some(value) = overlay.$field { base.$field = value; })* };
    }
    if overlay.review_cycle.is_some() {
        base.review_cycle = overlay.review_cycle;
    }
    if overlay.pia.is_some() {
        base.pia = overlay.pia;
    }
    replace!(
        title_ja,
        title_en,
        version,
        review_interval_days,
        organizations,
        exclusions,
        controls,
        confidentiality,
        integrity,
        availability,
        risk,
        floors,
        disposal_methods,
        segments
    );
    for added in overlay.organization_aliases.unwrap_or_default() {
        add_aliases(&mut base, added, origin)?;
    }
    // Synonyms add to the profile's, as aliases do.
    base.synonyms.extend(overlay.synonyms.unwrap_or_default());
    Ok(base)
}

/// Adds an `[[organization_aliases]]` entry's names to its organization,
/// found by code or by any of its names; a name it has already is skipped.
fn add_aliases(base: &mut PolicyFile, added: OrganizationAliases, origin: &str) -> Result<()> {
    let wanted = fold(&added.organization);
    let org = base
        .organizations
        .iter_mut()
        .find(|org| {
            [&org.code, &org.ja, &org.en]
                .into_iter()
                .chain(&org.aliases)
                .any(|name| fold(name) == wanted)
        })
        .ok_or_else(|| Error::PolicyInvalid {
            origin: origin.to_owned(),
            reason: Localized::new(
                format!(
                    "`organization_aliases` の `{}` は、書き足す先のポリシーの所管ではありません",
                    added.organization
                ),
                format!(
                    "`organization_aliases` names `{}`, which is not an organization of the profile it extends",
                    added.organization
                ),
            ),
        })?;
    for alias in added.aliases {
        let folded = fold(&alias);
        let known = [&org.code, &org.ja, &org.en]
            .into_iter()
            .chain(&org.aliases)
            .any(|name| fold(name) == folded);
        if !known {
            org.aliases.push(alias);
        }
    }
    Ok(())
}
