//! Changes to an asset's fields, one field at a time: what the CLI's options
//! and Python's keyword arguments turn into, so that both doors apply them
//! the same way.

use std::collections::BTreeSet;

use jiff::civil::Date;

use crate::error::{Error, Result};
use crate::model::asset::{AssetFields, Extra, Hosting, Retention, Scope};
use crate::model::codes::{HostingKind, Kind, Medium, Segment};
use crate::model::id::AssetName;
use crate::policy::{ControlCode, ExclusionCode, Level, OrgCode};

/// One field set to a parsed value; `None` clears an optional field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldChange {
    /// Sets the kind.
    Kind(Kind),
    /// Sets the name.
    Name(AssetName),
    /// Sets or clears the 管理番号.
    AssetNumber(Option<String>),
    /// Sets the organization.
    Organization(OrgCode),
    /// Sets the level of the level's axis.
    Level(Level),
    /// Sets the section.
    Department(String),
    /// Sets or clears the 情報セキュリティ管理者.
    Manager(Option<String>),
    /// Sets or clears the segment.
    Segment(Option<Segment>),
    /// Sets or clears the medium.
    Medium(Option<Medium>),
    /// Sets or clears the storage place.
    Location(Option<String>),
    /// Sets the 個人情報 flag.
    Personal(bool),
    /// Sets the 要配慮個人情報 flag.
    Sensitive(bool),
    /// Sets the 特定個人情報 flag.
    MyNumber(bool),
    /// Sets or clears the number of people recorded.
    RecordCount(Option<u64>),
    /// Replaces the controls.
    Controls(BTreeSet<ControlCode>),
    /// Sets the hosting kind, keeping provider and contract, or clears the hosting.
    Hosting(Option<HostingKind>),
    /// Sets or clears the provider; needs a hosting, set before or in the same changes.
    Provider(Option<String>),
    /// Sets or clears the contract reference; needs a hosting, set before or in the same changes.
    Contract(Option<String>),
    /// Sets or clears the retention.
    Retention(Option<Retention>),
    /// Excludes the asset for a reason, or puts it back in scope.
    Exclusion(Option<ExclusionCode>),
    /// Sets or clears the review date.
    ReviewedOn(Option<Date>),
    /// Sets or clears the notes.
    Notes(Option<String>),
    /// Replaces every city-specific attribute.
    Extra(Extra),
    /// Sets one city-specific attribute.
    SetExtra(String, String),
    /// Removes one city-specific attribute; an error when the asset has none by that key.
    RemoveExtra(String),
}

impl AssetFields {
    /// Applies changes in order.
    ///
    /// Provider and contract are applied after the hosting, whatever their
    /// order; setting the hosting kind keeps the provider and contract unless
    /// they are changed too.
    pub fn apply(&mut self, changes: impl IntoIterator<Item = FieldChange>) -> Result<()> {
        let mut hosting_cleared = false;
        let mut provider = None;
        let mut contract = None;
        for change in changes {
            match change {
                FieldChange::Kind(kind) => self.kind = kind,
                FieldChange::Name(name) => self.name = name,
                FieldChange::Organization(org) => self.organization = org,
                FieldChange::Level(level) => {
                    let axis = level.axis();
                    *self.classification.get_mut(axis) = level;
                }
                FieldChange::Department(department) => self.department = department,
                FieldChange::AssetNumber(number) => self.asset_number = number,
                FieldChange::Manager(manager) => self.manager = manager,
                FieldChange::Segment(segment) => self.segment = segment,
                FieldChange::Medium(medium) => self.medium = medium,
                FieldChange::Location(location) => self.location = location,
                FieldChange::Personal(flag) => self.personal_data.personal = flag,
                FieldChange::Sensitive(flag) => self.personal_data.sensitive = flag,
                FieldChange::MyNumber(flag) => self.personal_data.my_number = flag,
                FieldChange::RecordCount(count) => self.record_count = count,
                FieldChange::Controls(controls) => self.controls = controls,
                FieldChange::Hosting(None) => {
                    hosting_cleared = true;
                    self.hosting = None;
                }
                FieldChange::Hosting(Some(kind)) => {
                    let previous = self.hosting.take();
                    self.hosting = Some(Hosting {
                        kind,
                        provider: previous.as_ref().and_then(|h| h.provider.clone()),
                        contract: previous.and_then(|h| h.contract),
                    });
                }
                FieldChange::Provider(value) => provider = Some(value),
                FieldChange::Contract(value) => contract = Some(value),
                FieldChange::Retention(retention) => self.retention = retention,
                FieldChange::Exclusion(None) => self.scope = Scope::InScope,
                FieldChange::Exclusion(Some(code)) => self.scope = Scope::Excluded(code),
                FieldChange::ReviewedOn(date) => self.reviewed_on = date,
                FieldChange::Notes(notes) => self.notes = notes,
                FieldChange::Extra(extra) => self.extra = extra,
                FieldChange::SetExtra(key, value) => self.extra.insert(key, value),
                FieldChange::RemoveExtra(key) => {
                    if self.extra.remove(&key).is_none() {
                        return Err(Error::invalid(
                            "extra",
                            key,
                            "この名前の属性はありません",
                            "the asset has no attribute by this name",
                        ));
                    }
                }
            }
        }
        for (field, value) in [("provider", provider), ("contract", contract)] {
            let Some(value) = value else { continue };
            match &mut self.hosting {
                Some(hosting) if field == "provider" => hosting.provider = value,
                Some(hosting) => hosting.contract = value,
                None if value.is_none() => {}
                None => {
                    let (ja, en) = if hosting_cleared {
                        (
                            "事業者・契約には「なし」以外の運用形態が要ります",
                            "a provider or contract needs a hosting other than none",
                        )
                    } else {
                        (
                            "事業者・契約には運用形態（オンプレミス・外部委託・クラウド）が要ります",
                            "a provider or contract needs a hosting (on_premises, outsourced, cloud)",
                        )
                    };
                    return Err(Error::invalid(field, value.unwrap_or_default(), ja, en));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Classification;
    use crate::policy::Policy;

    fn fields() -> AssetFields {
        let policy = Policy::niigata();
        AssetFields::new(
            Kind::NetworkSystem,
            AssetName::new("水道料金システム").unwrap(),
            policy.organization("水道局").unwrap().code.clone(),
            Classification::parse(&policy, "3C", "2", "2").unwrap(),
        )
    }

    #[test]
    fn provider_and_contract_follow_the_hosting_whatever_the_order() -> Result<()> {
        let mut f = fields();
        f.apply([
            FieldChange::Provider(Some("株式会社みなと情報サービス".to_owned())),
            FieldChange::Hosting(Some(HostingKind::Cloud)),
            FieldChange::Contract(Some("R7-123".to_owned())),
        ])?;
        let hosting = f.hosting.clone().unwrap();
        assert_eq!(hosting.kind, HostingKind::Cloud);
        assert_eq!(
            hosting.provider.as_deref(),
            Some("株式会社みなと情報サービス")
        );
        // Changing the kind keeps provider and contract.
        f.apply([FieldChange::Hosting(Some(HostingKind::Outsourced))])?;
        assert_eq!(
            f.hosting.as_ref().unwrap().contract.as_deref(),
            Some("R7-123")
        );
        Ok(())
    }

    #[test]
    fn a_provider_without_hosting_is_refused() {
        let mut f = fields();
        let err = f
            .apply([FieldChange::Provider(Some("x".to_owned()))])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid provider `x`: a provider or contract needs a hosting (on_premises, outsourced, cloud)"
        );
        // Clearing a provider that is not there is fine.
        assert!(f.apply([FieldChange::Provider(None)]).is_ok());
    }

    #[test]
    fn levels_land_on_their_axis_and_extra_attributes_are_set_and_removed() -> Result<()> {
        let policy = Policy::niigata();
        let mut f = fields();
        f.apply([
            FieldChange::Level(policy.level(crate::Axis::Integrity, "1")?),
            FieldChange::SetExtra("調達年度".to_owned(), "令和5年度".to_owned()),
        ])?;
        assert_eq!(f.classification.integrity.code(), "1");
        assert_eq!(f.classification.confidentiality.code(), "3C");
        assert_eq!(f.extra.get("調達年度"), Some("令和5年度"));
        f.apply([FieldChange::RemoveExtra("調達年度".to_owned())])?;
        assert!(f.extra.is_empty());
        assert!(
            f.apply([FieldChange::RemoveExtra("調達年度".to_owned())])
                .is_err()
        );
        Ok(())
    }
}
