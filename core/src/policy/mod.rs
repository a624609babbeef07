//! The policy as data: organizations, classification levels with their
//! handling restrictions, exclusion reasons, controls and the review interval.
//!
//! A [`Policy`] is loaded from TOML: one of the built-in profiles
//! ([`BUILT_IN_POLICIES`]) or a city's own file, which may `extends` a built-in one and
//! replace only the sections it names. A register stores the resolved policy
//! it was created with and validates everything against it.

mod build;
mod file;
mod pia;
mod words;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

pub use pia::{PiaKind, PiaNeed, PiaThresholds};

use crate::error::{Error, Result};
use crate::text::fold;

/// The names of the built-in profiles; the first is the default.
pub const BUILT_IN_POLICIES: &[&str] = &["niigata", "mic-r5"];

fn built_in_text(name: &str) -> Option<&'static str> {
    match name {
        "niigata" => Some(include_str!("niigata.toml")),
        "mic-r5" => Some(include_str!("mic-r5.toml")),
        _ => None,
    }
}

/// One of the three axes of classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Axis {
    /// 機密性.
    Confidentiality,
    /// 完全性.
    Integrity,
    /// 可用性.
    Availability,
}

impl Axis {
    /// The three axes in the order C, I, A.
    pub const ALL: [Axis; 3] = [Axis::Confidentiality, Axis::Integrity, Axis::Availability];

    /// The canonical code: `confidentiality`, `integrity` or `availability`.
    pub fn code(self) -> &'static str {
        match self {
            Axis::Confidentiality => "confidentiality",
            Axis::Integrity => "integrity",
            Axis::Availability => "availability",
        }
    }

    /// The Japanese name.
    pub fn label_ja(self) -> &'static str {
        match self {
            Axis::Confidentiality => "機密性",
            Axis::Integrity => "完全性",
            Axis::Availability => "可用性",
        }
    }

    /// The one-letter mark used in compact labels such as `C3B-I2-A2`.
    pub fn letter(self) -> char {
        match self {
            Axis::Confidentiality => 'C',
            Axis::Integrity => 'I',
            Axis::Availability => 'A',
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Axis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A classification level on one axis, as a value: its axis, code and rank.
///
/// Levels are made by [`Policy::level`]; higher rank is stricter, and levels
/// of one axis compare by rank.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Level {
    axis: Axis,
    rank: u8,
    code: Arc<str>,
}

impl Level {
    /// The axis.
    pub fn axis(&self) -> Axis {
        self.axis
    }

    /// The rank: 1 is the lowest level.
    pub fn rank(&self) -> u8 {
        self.rank
    }

    /// The code, e.g. `3B` or `2`.
    pub fn code(&self) -> &str {
        &self.code
    }
}

impl PartialOrd for Level {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        (self.axis == other.axis).then(|| self.rank.cmp(&other.rank))
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

macro_rules! policy_code {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Arc<str>);

        impl $name {
            /// The code.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

policy_code! {
    /// The code of one of the policy's organizations, e.g. `waterworks` (水道局).
    OrgCode
}
policy_code! {
    /// The code of a control (管理策) of the policy, e.g. `mfa`.
    ControlCode
}
policy_code! {
    /// The code of an exclusion reason of the policy, e.g. `school_education`.
    ExclusionCode
}

/// One of the bodies the policy applies to (§4(1)).
#[derive(Debug, Clone)]
pub struct Organization {
    /// The code.
    pub code: OrgCode,
    /// The Japanese name, e.g. 水道局.
    pub ja: String,
    /// The English name.
    pub en: String,
    /// Further names staff write for it (市長事務部局, 消防本部), accepted
    /// wherever the organization is.
    pub aliases: Vec<String>,
}

/// A control (管理策) an asset can declare.
#[derive(Debug, Clone)]
pub struct Control {
    /// The code.
    pub code: ControlCode,
    /// The Japanese label.
    pub ja: String,
    /// The English label.
    pub en: String,
}

/// A reason an asset is outside the policy's scope (§4(2) proviso).
#[derive(Debug, Clone)]
pub struct Exclusion {
    /// The code.
    pub code: ExclusionCode,
    /// The Japanese label.
    pub ja: String,
    /// The English label.
    pub en: String,
    /// The only organizations whose assets may carry this reason.
    pub organizations: Vec<OrgCode>,
    /// For related information: the exclusions such an asset must be linked
    /// to (and whose organizations it must fit); empty for the others.
    pub related_to: Vec<ExclusionCode>,
}

/// A handling restriction (取扱制限) of a level, as the control it requires.
#[derive(Debug, Clone)]
pub struct Restriction {
    /// The control that satisfies the restriction.
    pub control: ControlCode,
    /// The restriction's wording in Japanese.
    pub ja: String,
    /// The restriction's wording in English.
    pub en: String,
    /// True when the restriction applies to electronic media only (not paper).
    pub electronic_only: bool,
    /// True when the restriction applies only to assets on a network segment
    /// (not paper, not unconnected media such as a USB memory).
    pub network_only: bool,
    /// True when the restriction applies to paper only (e.g. a locked case
    /// when carrying documents).
    pub paper_only: bool,
}

impl Restriction {
    /// Where the restriction applies, as bits: 1 paper, 2 electronic media
    /// off any network, 4 networked assets.
    pub(crate) fn reach(&self) -> u8 {
        if self.paper_only {
            1
        } else if self.network_only {
            4
        } else if self.electronic_only {
            6
        } else {
            7
        }
    }
}

/// A kind of personal data that sets a classification floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PersonalFact {
    /// 個人情報.
    Personal,
    /// 要配慮個人情報.
    Sensitive,
    /// 特定個人情報.
    MyNumber,
}

impl PersonalFact {
    /// The code: `personal`, `sensitive` or `my_number`.
    pub fn code(self) -> &'static str {
        match self {
            PersonalFact::Personal => "personal",
            PersonalFact::Sensitive => "sensitive",
            PersonalFact::MyNumber => "my_number",
        }
    }

    /// The Japanese label.
    pub fn label_ja(self) -> &'static str {
        match self {
            PersonalFact::Personal => "個人情報",
            PersonalFact::Sensitive => "要配慮個人情報",
            PersonalFact::MyNumber => "特定個人情報",
        }
    }

    fn parse(code: &str) -> Option<PersonalFact> {
        [
            PersonalFact::Personal,
            PersonalFact::Sensitive,
            PersonalFact::MyNumber,
        ]
        .into_iter()
        .find(|f| f.code() == code)
    }
}

/// A classification floor (GUIDELINE-NOTES §1.2): an asset holding this
/// kind of personal data (about `min_records` people or more, when given) is
/// at least `level` in confidentiality.
#[derive(Debug, Clone)]
pub struct Floor {
    /// The kind of personal data.
    pub fact: PersonalFact,
    /// The number of people (件数) from which the floor applies.
    pub min_records: Option<u64>,
    /// The lowest confidentiality allowed.
    pub level: Level,
    /// Why, in Japanese.
    pub ja: String,
    /// Why, in English.
    pub en: String,
}

/// A disposal method that makes information unrecoverable (§6(2)).
#[derive(Debug, Clone)]
pub struct DisposalMethod {
    /// The code, e.g. `physical_destruction`.
    pub code: String,
    /// The Japanese label, e.g. 物理破壊.
    pub ja: String,
    /// The English label.
    pub en: String,
    /// Done by a contractor: a disposal certificate is required.
    pub outsourced: bool,
}

/// How often every asset must be reviewed (自己点検, §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReviewCycle {
    /// Within this many days before today.
    Days(u32),
    /// Within the current or the previous fiscal year (年度, April–March).
    FiscalYear,
}

/// A label of an older scale that the policy refuses, with the levels a
/// person chooses among (GUIDELINE-NOTES §1.2).
#[derive(Debug, Clone)]
pub struct LegacyLabel {
    /// The old label, e.g. 機密性2.
    pub label: String,
    /// The codes of the levels it may become.
    pub candidates: Vec<String>,
}

/// A level of one axis, with its definition and handling restrictions.
#[derive(Debug, Clone)]
pub struct LevelDef {
    /// The level as a value.
    pub level: Level,
    /// The Japanese label, e.g. 自治体機密性3B.
    pub ja: String,
    /// The English label.
    pub en: String,
    /// The definition in Japanese.
    pub definition_ja: String,
    /// The definition in English.
    pub definition_en: String,
    /// The importance (重要度, 1–3) the level gives an asset in risk analysis.
    pub importance: u8,
    /// True when the definition and restrictions paraphrase the guideline's
    /// model text rather than quote the city's own standard.
    pub paraphrased: bool,
    /// The handling restrictions of the level.
    pub restrictions: Vec<Restriction>,
}

/// The levels of one axis, highest first.
#[derive(Debug, Clone)]
pub struct Scale {
    /// The axis.
    pub axis: Axis,
    /// The axis's Japanese name in this policy, e.g. 機密性.
    pub ja: String,
    /// The axis's English name.
    pub en: String,
    /// The levels, highest rank first.
    pub levels: Vec<LevelDef>,
    /// Labels of an older scale that are refused.
    pub legacy: Vec<LegacyLabel>,
}

/// A city's policy, resolved and validated.
#[derive(Debug, Clone)]
pub struct Policy {
    name: String,
    title_ja: String,
    title_en: String,
    version: String,
    review_interval_days: u32,
    organizations: Vec<Organization>,
    controls: Vec<Control>,
    exclusions: Vec<Exclusion>,
    scales: [Scale; 3],
    risk: file::RiskFile,
    review_cycle: ReviewCycle,
    floors: Vec<Floor>,
    disposal_methods: Vec<DisposalMethod>,
    internet_max: Option<Level>,
    transfer_error_from: Option<Level>,
    pia: PiaThresholds,
    text: String,
    sha256: String,
    lookup: Lookup,
    words: words::Words,
}

/// Folded spellings (code, labels, aliases) to indexes, built once per policy.
#[derive(Debug, Clone, Default)]
struct Lookup {
    organizations: HashMap<String, usize>,
    controls: HashMap<String, usize>,
    exclusions: HashMap<String, usize>,
    disposal_methods: HashMap<String, usize>,
    levels: [HashMap<String, usize>; 3],
}

/// The most bytes a policy file may hold.
pub(crate) const MAX_POLICY_BYTES: u64 = 1 << 20;

impl Policy {
    /// The code a city's synonym stands for in one of the library's closed
    /// columns (`kind`, `segment`, `medium`, `hosting`); `None` when the
    /// policy gives the cell no synonym.
    pub fn synonym(&self, column: &str, input: &str) -> Option<&str> {
        let map = self.words.codes.get(column)?;
        map.get(input)
            .or_else(|| map.get(&fold(input)))
            .map(String::as_str)
    }

    /// Every synonym the policy adds: column, code and word as written.
    pub fn synonyms(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        (self.words.synonyms.iter())
            .map(|(column, code, word)| (*column, code.as_str(), word.as_str()))
    }

    /// The further words a member of one of the policy's closed columns is
    /// written as (its aliases, then the city's synonyms), besides its code
    /// and labels.
    pub fn further_words(&self, column: &str, code: &str) -> &[String] {
        self.words
            .further
            .iter()
            .find(|((c, k), _)| *c == column && k == code)
            .map_or(&[], |(_, words)| words.as_slice())
    }
}

impl Policy {
    /// The built-in `niigata` profile.
    ///
    /// # Panics
    ///
    /// Never: the embedded profile is checked by this crate's tests.
    pub fn niigata() -> Policy {
        Policy::built_in("niigata").expect("the built-in niigata profile is valid (tested)")
    }

    /// A built-in profile by name (see [`BUILT_IN_POLICIES`]).
    pub fn built_in(name: &str) -> Result<Policy> {
        let text = built_in_text(name).ok_or_else(|| Error::UnknownPolicy {
            built_in: BUILT_IN_POLICIES,
            name: name.to_owned(),
        })?;
        Policy::from_toml(text, name)
    }

    /// A policy from a TOML file's text; `origin` names it in errors.
    ///
    /// A text of more than 1 MiB is refused ([`Error::PolicyTooLarge`]): a
    /// city's policy is a few KiB.
    pub fn from_toml(text: &str, origin: &str) -> Result<Policy> {
        if text.len() as u64 > MAX_POLICY_BYTES {
            return Err(Error::PolicyTooLarge {
                origin: origin.to_owned(),
                limit: MAX_POLICY_BYTES,
            });
        }
        let resolved = file::resolve(text, origin, &built_in_text)?;
        Policy::from_file(resolved, origin)
    }

    /// A policy from a TOML file on disk, read to 1 MiB at most: a larger
    /// file is refused ([`Error::PolicyTooLarge`]) without being read whole.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> Result<Policy> {
        use std::io::Read as _;
        let path = path.as_ref();
        let io = |source| Error::Io {
            action: "read policy",
            path: path.to_owned(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let mut text = String::new();
        file.take(MAX_POLICY_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(io)?;
        Policy::from_toml(&text, &path.display().to_string())
    }

    /// A built-in profile name, or else a path to a TOML file.
    pub fn load(name_or_path: &str) -> Result<Policy> {
        if built_in_text(name_or_path).is_some() {
            Policy::built_in(name_or_path)
        } else if std::path::Path::new(name_or_path).exists() {
            Policy::from_path(name_or_path)
        } else {
            Err(Error::UnknownPolicy {
                built_in: BUILT_IN_POLICIES,
                name: name_or_path.to_owned(),
            })
        }
    }

    fn from_file(file: file::PolicyFile, origin: &str) -> Result<Policy> {
        build::policy(file, origin)
    }

    /// The profile's name, e.g. `niigata`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The Japanese title.
    pub fn title_ja(&self) -> &str {
        &self.title_ja
    }

    /// The English title.
    pub fn title_en(&self) -> &str {
        &self.title_en
    }

    /// The profile's version, e.g. the date its policy took effect.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Days after which an asset's last review is overdue (§7), when the
    /// review cycle counts days.
    pub fn review_interval_days(&self) -> u32 {
        self.review_interval_days
    }

    /// How often every asset must be reviewed.
    pub fn review_cycle(&self) -> ReviewCycle {
        self.review_cycle
    }

    /// The classification floors set by personal data.
    pub fn floors(&self) -> &[Floor] {
        &self.floors
    }

    /// The highest floor that applies to an asset with these personal-data
    /// flags and 件数, as an index into [`Policy::floors`].
    pub fn floor(
        &self,
        personal: bool,
        sensitive: bool,
        my_number: bool,
        records: Option<u64>,
    ) -> Option<usize> {
        self.floors
            .iter()
            .enumerate()
            .filter(|(_, floor)| {
                let holds = match floor.fact {
                    PersonalFact::Personal => personal,
                    PersonalFact::Sensitive => sensitive,
                    PersonalFact::MyNumber => my_number,
                };
                holds
                    && floor
                        .min_records
                        .is_none_or(|min| records.is_some_and(|n| n >= min))
            })
            .max_by_key(|(i, floor)| (floor.level.rank, std::cmp::Reverse(*i)))
            .map(|(i, _)| i)
    }

    /// The unrecoverable disposal methods the policy accepts; empty when
    /// any method is accepted.
    pub fn disposal_methods(&self) -> &[DisposalMethod] {
        &self.disposal_methods
    }

    /// The disposal method for a code, label or alias.
    pub fn disposal_method(&self, input: &str) -> Result<&DisposalMethod> {
        find(&self.lookup.disposal_methods, &self.disposal_methods, input).ok_or_else(|| {
            let allowed = self
                .disposal_methods
                .iter()
                .map(|m| m.ja.as_str())
                .collect::<Vec<_>>();
            Error::invalid(
                "disposal_method",
                input,
                format!(
                    "復元できなくする方法ではありません（使えるもの: {}）",
                    allowed.join("、")
                ),
                format!(
                    "not a method that makes information unrecoverable (allowed: {})",
                    allowed.join(", ")
                ),
            )
        })
    }

    /// The highest confidentiality the internet segment should hold.
    pub fn internet_max_confidentiality(&self) -> Option<&Level> {
        self.internet_max.as_ref()
    }

    /// The confidentiality from which an unsanitized transfer between LGWAN
    /// and internet is an error rather than a warning.
    pub fn transfer_error_from(&self) -> Option<&Level> {
        self.transfer_error_from.as_ref()
    }

    /// The resolved policy as TOML: what a register stores.
    pub fn to_toml(&self) -> &str {
        &self.text
    }

    /// The thresholds of 特定個人情報保護評価 (the `[pia]` section).
    pub fn pia(&self) -> PiaThresholds {
        self.pia
    }

    /// The SHA-256 of [`Policy::to_toml`], hex encoded.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The organizations, in the policy's order.
    pub fn organizations(&self) -> &[Organization] {
        &self.organizations
    }

    /// The controls, in the policy's order.
    pub fn controls(&self) -> &[Control] {
        &self.controls
    }

    /// The exclusion reasons.
    pub fn exclusions(&self) -> &[Exclusion] {
        &self.exclusions
    }

    /// The levels of an axis, highest first.
    pub fn scale(&self, axis: Axis) -> &Scale {
        &self.scales[axis.index()]
    }

    /// The organization for a code, Japanese or English name.
    pub fn organization(&self, input: &str) -> Result<&Organization> {
        find(&self.lookup.organizations, &self.organizations, input).ok_or_else(|| {
            unknown(
                "organization",
                input,
                &self.lookup.organizations,
                self.organizations
                    .iter()
                    .map(|o| (o.code.as_str(), o.ja.as_str())),
            )
        })
    }

    /// The control for a code, label or alias.
    pub fn control(&self, input: &str) -> Result<&Control> {
        find(&self.lookup.controls, &self.controls, input).ok_or_else(|| {
            unknown(
                "control",
                input,
                &self.lookup.controls,
                self.controls
                    .iter()
                    .map(|c| (c.code.as_str(), c.ja.as_str())),
            )
        })
    }

    /// The exclusion reason for a code, label or alias.
    pub fn exclusion(&self, input: &str) -> Result<&Exclusion> {
        find(&self.lookup.exclusions, &self.exclusions, input).ok_or_else(|| {
            unknown(
                "exclusion_reason",
                input,
                &self.lookup.exclusions,
                self.exclusions
                    .iter()
                    .map(|e| (e.code.as_str(), e.ja.as_str())),
            )
        })
    }

    /// The level of an axis for a code or label (`3B`, `自治体機密性3B`, `C3B`).
    pub fn level(&self, axis: Axis, input: &str) -> Result<Level> {
        self.level_def(axis, input).map(|def| def.level.clone())
    }

    /// The definition of a level for a code or label.
    pub fn level_def(&self, axis: Axis, input: &str) -> Result<&LevelDef> {
        let scale = &self.scales[axis.index()];
        find(&self.lookup.levels[axis.index()], &scale.levels, input).ok_or_else(|| {
            let folded = fold(input);
            if let Some(legacy) = scale.legacy.iter().find(|l| fold(&l.label) == folded) {
                return Error::invalid(
                    axis.code(),
                    input,
                    format!(
                        "`{}` は旧来の 3/2/1 区分の表記で、このポリシーは自動では読み替えません。{} から人が選んでください（GUIDELINE-NOTES §1.2、`daicho policy levels` 参照）",
                        legacy.label,
                        legacy.candidates.join("、")
                    ),
                    format!(
                        "`{}` is a label of the old 3/2/1 scale, which this policy does not map automatically: a person chooses among {} (GUIDELINE-NOTES §1.2; see `daicho policy levels`)",
                        legacy.label,
                        legacy.candidates.join(", ")
                    ),
                );
            }
            // Level codes are what people write (3B): no labels are listed.
            unknown(
                axis.code(),
                input,
                &self.lookup.levels[axis.index()],
                scale.levels.iter().map(|l| (l.level.code(), "")),
            )
        })
    }

    /// The definition of a level value; `None` when it is not of this policy.
    pub fn definition(&self, level: &Level) -> Option<&LevelDef> {
        self.scales[level.axis.index()]
            .levels
            .iter()
            .find(|def| def.level.rank == level.rank && def.level.code == level.code)
    }

    /// The lowest level of an axis.
    pub fn lowest(&self, axis: Axis) -> &Level {
        let levels = &self.scales[axis.index()].levels;
        &levels[levels.len() - 1].level
    }

    /// The Japanese name of an organization code, or the code itself.
    pub fn organization_ja<'a>(&'a self, code: &'a OrgCode) -> &'a str {
        self.organizations
            .iter()
            .find(|o| &o.code == code)
            .map_or(code.as_str(), |o| o.ja.as_str())
    }

    /// The English name of an organization code, or the code itself.
    pub fn organization_en<'a>(&'a self, code: &'a OrgCode) -> &'a str {
        self.organizations
            .iter()
            .find(|o| &o.code == code)
            .map_or(code.as_str(), |o| o.en.as_str())
    }

    /// The risk settings: threat groups, the damage-likelihood matrix and the bands.
    pub fn risk(&self) -> &RiskSettings {
        &self.risk
    }
}

/// The policy's risk analysis settings (basic policy §3 and §8).
pub type RiskSettings = file::RiskFile;

fn find<'a, T>(map: &HashMap<String, usize>, items: &'a [T], input: &str) -> Option<&'a T> {
    map.get(input)
        .or_else(|| map.get(&fold(input)))
        .and_then(|&index| items.get(index))
}

/// A value that is none of `members` (code and Japanese label), with the
/// members whose spellings in `lookup` come closest suggested.
fn unknown<'a>(
    field: &'static str,
    input: &str,
    lookup: &'a HashMap<String, usize>,
    members: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Error {
    Error::unknown_among(
        field,
        input,
        members,
        lookup
            .iter()
            .map(|(spelling, &index)| (index, spelling.as_str())),
    )
}

fn insert_unique<'s>(
    map: &mut HashMap<String, usize>,
    spelling: &'s str,
    index: usize,
) -> Result<(), &'s str> {
    let key = fold(spelling);
    if key.is_empty() {
        return Ok(());
    }
    match map.insert(key, index) {
        Some(previous) if previous != index => Err(spelling),
        _ => Ok(()),
    }
}

fn check_code(code: &str) -> Result<(), (&'static str, &'static str)> {
    if !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        Ok(())
    } else {
        Err((
            "コードは小文字の英字・数字・`_`・`-` で書きます",
            "a code is lowercase ASCII letters, digits, `_` or `-`",
        ))
    }
}

#[cfg(test)]
mod tests;
