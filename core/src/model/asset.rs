//! Assets and their parts.

use std::collections::BTreeSet;
use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::error::Error;
use crate::model::codes::{HostingKind, Kind, Medium, Segment};
use crate::model::id::{AssetId, AssetName};
use crate::policy::{Axis, ControlCode, ExclusionCode, Level, OrgCode, Policy};

/// The class of an asset on the three axes (§6(2)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Classification {
    /// 機密性.
    pub confidentiality: Level,
    /// 完全性.
    pub integrity: Level,
    /// 可用性.
    pub availability: Level,
}

impl Classification {
    /// Parses the three levels against a policy (codes or labels).
    pub fn parse(
        policy: &Policy,
        confidentiality: &str,
        integrity: &str,
        availability: &str,
    ) -> Result<Self, Error> {
        Ok(Classification {
            confidentiality: policy.level(Axis::Confidentiality, confidentiality)?,
            integrity: policy.level(Axis::Integrity, integrity)?,
            availability: policy.level(Axis::Availability, availability)?,
        })
    }

    /// The level on one axis.
    pub fn get(&self, axis: Axis) -> &Level {
        match axis {
            Axis::Confidentiality => &self.confidentiality,
            Axis::Integrity => &self.integrity,
            Axis::Availability => &self.availability,
        }
    }

    /// The level on one axis, mutably.
    pub fn get_mut(&mut self, axis: Axis) -> &mut Level {
        match axis {
            Axis::Confidentiality => &mut self.confidentiality,
            Axis::Integrity => &mut self.integrity,
            Axis::Availability => &mut self.availability,
        }
    }
}

impl fmt::Display for Classification {
    /// The compact marking, e.g. `C3B-I2-A2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "C{}-I{}-A{}",
            self.confidentiality, self.integrity, self.availability
        )
    }
}

/// Which kinds of personal data an asset holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PersonalData {
    /// 個人情報: personal information.
    pub personal: bool,
    /// 要配慮個人情報: sensitive personal information.
    pub sensitive: bool,
    /// 特定個人情報: personal information including a My Number.
    pub my_number: bool,
}

impl PersonalData {
    /// True when any flag is set.
    pub fn any(self) -> bool {
        self.personal || self.sensitive || self.my_number
    }
}

/// Who runs an asset, with the provider and contract when it is not the city.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Hosting {
    /// On premises, outsourced or cloud.
    pub kind: HostingKind,
    /// 委託先: the contractor or cloud provider.
    pub provider: Option<String>,
    /// The contract's reference number.
    pub contract: Option<String>,
}

/// How long an asset is kept (保存期間).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Retention {
    /// Less than one year (1年未満).
    UnderOneYear,
    /// A number of years.
    Years(u16),
    /// Kept permanently (常用 / 永年).
    Permanent,
}

impl Retention {
    /// Parses `5`, `5年`, `1年未満`, `常用`, `永年` or `permanent`.
    pub fn parse(input: &str) -> Result<Self, Error> {
        let folded = crate::text::fold(input);
        match folded.as_str() {
            "常用" | "永年" | "永久" | "permanent" => return Ok(Retention::Permanent),
            "1年未満" | "under_one_year" | "<1" => return Ok(Retention::UnderOneYear),
            _ => {}
        }
        let digits = folded
            .strip_suffix("年")
            .or_else(|| folded.strip_suffix("years"))
            .or_else(|| folded.strip_suffix("year"))
            .unwrap_or(&folded);
        match digits.parse::<u16>() {
            Ok(0) => Ok(Retention::UnderOneYear),
            Ok(years) => Ok(Retention::Years(years)),
            Err(_) => Err(Error::invalid(
                "retention",
                input,
                "年数（`5`、`5年`）、`1年未満`、`常用`または`永年`を書いてください",
                "expected a number of years (`5`, `5年`), `1年未満`, `常用` or `永年`",
            )),
        }
    }

    /// The canonical text: `5`, `under_one_year` or `permanent`.
    pub fn code(self) -> String {
        match self {
            Retention::UnderOneYear => "under_one_year".to_owned(),
            Retention::Years(years) => years.to_string(),
            Retention::Permanent => "permanent".to_owned(),
        }
    }

    /// The Japanese label: `5年`, `1年未満` or `常用`.
    pub fn label_ja(self) -> String {
        match self {
            Retention::UnderOneYear => "1年未満".to_owned(),
            Retention::Years(years) => format!("{years}年"),
            Retention::Permanent => "常用".to_owned(),
        }
    }
}

/// Whether the policy applies to an asset (§4(2)).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Scope {
    /// The policy applies.
    #[default]
    InScope,
    /// Outside the policy, for the given reason.
    Excluded(ExclusionCode),
}

impl Scope {
    /// True for [`Scope::InScope`].
    pub fn is_in_scope(&self) -> bool {
        matches!(self, Scope::InScope)
    }

    /// The exclusion reason, if any.
    pub fn exclusion(&self) -> Option<&ExclusionCode> {
        match self {
            Scope::InScope => None,
            Scope::Excluded(code) => Some(code),
        }
    }
}

/// The record of an asset's disposal (廃棄).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Disposal {
    /// The date of disposal.
    pub date: Date,
    /// Who disposed of it.
    pub person: String,
    /// How: 物理破壊, 磁気消去, 溶解, ...
    pub method: Option<String>,
    /// The 情報セキュリティ管理者 who approved it.
    pub approver: Option<String>,
    /// The disposal certificate's reference, when a contractor did it.
    pub certificate: Option<String>,
}

/// City-specific attributes, kept in the order they came.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Extra(Vec<(String, String)>);

impl Extra {
    /// An empty set.
    pub fn new() -> Self {
        Extra(Vec::new())
    }

    /// Sets a value, keeping the key's first position.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) {
        let key = key.into();
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    /// The value of a key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Removes a key, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<String> {
        let index = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(index).1)
    }

    /// The pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// True when there are no attributes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The number of attributes.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Extra {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut extra = Extra::new();
        for (k, v) in iter {
            extra.insert(k, v);
        }
        extra
    }
}

/// What describes an asset: everything but its id, version and timestamps.
///
/// Build one with [`AssetFields::new`] and set the optional fields; the
/// register validates it against its policy on add and update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetFields {
    /// ア, イ or ウ.
    pub kind: Kind,
    /// The asset's name.
    pub name: AssetName,
    /// 管理番号: the city's own number for the asset (`J-001`), unique in
    /// the register; an id-less sheet row is matched by it first.
    pub asset_number: Option<String>,
    /// The body that owns it (§4(1)).
    pub organization: OrgCode,
    /// The section (課/係), free text.
    pub department: String,
    /// 情報セキュリティ管理者 accountable for the asset.
    pub manager: Option<String>,
    /// The class on the three axes.
    pub classification: Classification,
    /// The network segment; none for paper.
    pub segment: Option<Segment>,
    /// The medium or form.
    pub medium: Option<Medium>,
    /// Where it is stored: a room, a cabinet, a path.
    pub location: Option<String>,
    /// Personal data flags.
    pub personal_data: PersonalData,
    /// 件数: how many people are recorded.
    pub record_count: Option<u64>,
    /// The controls (管理策) in place.
    pub controls: BTreeSet<ControlCode>,
    /// Who runs it.
    pub hosting: Option<Hosting>,
    /// How long it is kept.
    pub retention: Option<Retention>,
    /// In scope, or excluded with a reason.
    pub scope: Scope,
    /// The date of the last inventory or self-inspection.
    pub reviewed_on: Option<Date>,
    /// The disposal record, once disposed of.
    pub disposal: Option<Disposal>,
    /// 備考: free notes.
    pub notes: Option<String>,
    /// City-specific attributes.
    pub extra: Extra,
}

impl AssetFields {
    /// The required fields; everything else starts empty and in scope.
    pub fn new(
        kind: Kind,
        name: AssetName,
        organization: OrgCode,
        classification: Classification,
    ) -> Self {
        AssetFields {
            kind,
            name,
            asset_number: None,
            organization,
            department: String::new(),
            manager: None,
            classification,
            segment: None,
            medium: None,
            location: None,
            personal_data: PersonalData::default(),
            record_count: None,
            controls: BTreeSet::new(),
            hosting: None,
            retention: None,
            scope: Scope::InScope,
            reviewed_on: None,
            disposal: None,
            notes: None,
            extra: Extra::new(),
        }
    }
}

/// An asset as the register holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// The id.
    pub id: AssetId,
    /// What describes it.
    pub fields: AssetFields,
    /// Starts at 1 and grows by one with each change; updates name the
    /// version they are based on.
    pub version: u64,
    /// When it was added.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl Asset {
    /// The name, for short call sites.
    pub fn name(&self) -> &str {
        self.fields.name.as_str()
    }

    /// True once disposed of.
    pub fn is_disposed(&self) -> bool {
        self.fields.disposal.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_retention(input: &str, expected: Retention) {
        assert_eq!(
            Retention::parse(input).unwrap(),
            expected,
            "input {input:?}"
        );
    }

    #[test]
    fn retention_forms() {
        check_retention("5", Retention::Years(5));
        check_retention("５年", Retention::Years(5));
        check_retention("30 years", Retention::Years(30));
        check_retention("常用", Retention::Permanent);
        check_retention("永年", Retention::Permanent);
        check_retention("1年未満", Retention::UnderOneYear);
        assert!(Retention::parse("しばらく").is_err());
        for r in [
            Retention::UnderOneYear,
            Retention::Years(10),
            Retention::Permanent,
        ] {
            assert_eq!(Retention::parse(&r.code()).unwrap(), r);
            assert_eq!(Retention::parse(&r.label_ja()).unwrap(), r);
        }
    }

    #[test]
    fn extra_keeps_first_position() {
        let mut extra: Extra = [("b", "1"), ("a", "2")].into_iter().collect();
        extra.insert("b", "3");
        assert_eq!(extra.iter().collect::<Vec<_>>(), [("b", "3"), ("a", "2")]);
        assert_eq!(extra.remove("b").as_deref(), Some("3"));
        assert_eq!(extra.len(), 1);
    }

    #[test]
    fn classification_marking() {
        let policy = Policy::niigata();
        let class = Classification::parse(&policy, "3B", "2", "1").unwrap();
        assert_eq!(class.to_string(), "C3B-I2-A1");
    }
}
