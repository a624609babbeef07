//! Replacing a register's policy (`daicho policy set`).
//!
//! A register validates against the policy it stores. A new policy (a city's
//! own file adding aliases, or a built-in profile's newer edition) replaces
//! it only when every asset in the register, disposed ones included, would
//! be valid under it: each level, organization, control and exclusion code
//! must still mean the same, and each risk assessment's threat group must
//! still exist. Otherwise nothing changes and the error lists the assets.
//! The change is one write transaction with an audit entry
//! ([`Action::PolicySet`]) holding the old and the new policy's name and
//! SHA-256; a level whose code stays but whose rank moves has the stored
//! ranks rewritten with it.

use crate::audit::{Action, Change};
use crate::error::{Error, Result};
use crate::model::AssetFields;
use crate::policy::{Axis, Policy};
use crate::query::{Disposed, Filter};
use crate::register::Register;
use crate::text::Localized;
use crate::write;

/// How many invalid assets a refusal names; the count is never capped.
const SHOWN: usize = 20;

/// What [`Register::set_policy`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PolicyChange {
    /// The old policy's name.
    pub old_name: String,
    /// The old policy's SHA-256.
    pub old_sha256: String,
    /// The new policy's name.
    pub new_name: String,
    /// The new policy's SHA-256.
    pub new_sha256: String,
    /// False when the new policy was the same as the old (same SHA-256):
    /// nothing was written.
    pub changed: bool,
}

impl Register {
    /// Replaces the register's policy with `policy`, with an audit entry;
    /// see the [module docs](self). Refused ([`Error::PolicyRefused`]) when
    /// an asset would not be valid under it.
    pub fn set_policy(&mut self, policy: Policy) -> Result<PolicyChange> {
        crate::table::vocabulary::check_synonyms(&policy)?;
        let old = self.policy().clone();
        let change = PolicyChange {
            old_name: old.name().to_owned(),
            old_sha256: old.sha256().to_owned(),
            new_name: policy.name().to_owned(),
            new_sha256: policy.sha256().to_owned(),
            changed: old.sha256() != policy.sha256(),
        };
        if !change.changed {
            return Ok(change);
        }
        let stamp =
            |p: &Policy| serde_json::json!({ "name": p.name(), "sha256": p.sha256() }).to_string();
        let (before, after) = (stamp(&old), stamp(&policy));
        self.write_logged(|db, log| {
            let mut problems = Vec::new();
            let mut total = 0;
            let mut refuse = |name: &str, error: &Error| {
                total += 1;
                if problems.len() < SHOWN {
                    let message = error.localized();
                    problems.push(Localized::new(
                        format!("`{name}`: {}", message.ja),
                        format!("`{name}`: {}", message.en),
                    ));
                }
            };
            let all = Filter {
                disposed: Disposed::Include,
                ..Filter::default()
            };
            let mut names = std::collections::HashMap::new();
            db.for_each_asset(&old, &all, |asset| {
                if let Err(error) = under(&policy, &asset.fields) {
                    refuse(asset.name(), &error);
                }
                names.insert(asset.id, asset.fields.name.clone());
                Ok(())
            })?;
            let threats = &policy.risk().threats;
            db.each_assessment(|row| {
                if !threats.iter().any(|t| t.code == row.threat) {
                    let name = names
                        .get(&row.asset)
                        .map_or_else(|| row.asset.to_string(), |n| n.as_str().to_owned());
                    let error = Error::unknown(
                        "threat",
                        row.threat,
                        threats.iter().map(|t| t.code.clone()),
                    );
                    refuse(&name, &error);
                }
                Ok(())
            })?;
            if total > 0 {
                return Err(Error::PolicyRefused {
                    name: policy.name().to_owned(),
                    problems,
                    total,
                });
            }
            db.replace_policy(&policy)?;
            log.append(
                db,
                &Change {
                    action: Action::PolicySet,
                    asset_id: None,
                    related_id: None,
                    before: Some(&before),
                    after: Some(&after),
                },
            )
        })?;
        self.replace_policy(policy);
        Ok(change)
    }
}

/// An asset's fields with their levels taken from `policy` by code, checked
/// against it as the write path checks them.
fn under(policy: &Policy, fields: &AssetFields) -> Result<AssetFields> {
    let mut fields = fields.clone();
    for axis in Axis::ALL {
        let code = fields.classification.get(axis).code().to_owned();
        let level = policy.level(axis, &code)?;
        if level.code() != code {
            // A label of the new policy spells the old code: not the same level.
            return Err(Error::unknown(
                axis.code(),
                code,
                policy.scale(axis).levels.iter().map(|l| l.level.code()),
            ));
        }
        match axis {
            Axis::Confidentiality => fields.classification.confidentiality = level,
            Axis::Integrity => fields.classification.integrity = level,
            Axis::Availability => fields.classification.availability = level,
        }
    }
    for control in &fields.controls {
        if policy.control(control.as_str())?.code != *control {
            return Err(Error::unknown(
                "control",
                control.as_str(),
                policy.controls().iter().map(|c| c.code.as_str()),
            ));
        }
    }
    if let crate::model::Scope::Excluded(reason) = &fields.scope
        && policy.exclusion(reason.as_str())?.code != *reason
    {
        return Err(Error::unknown(
            "exclusion_reason",
            reason.as_str(),
            policy.exclusions().iter().map(|e| e.code.as_str()),
        ));
    }
    write::validate(policy, &fields)?;
    Ok(fields)
}

#[cfg(test)]
mod tests;
