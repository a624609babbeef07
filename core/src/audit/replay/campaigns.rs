//! Attestation campaigns (棚卸) in the audit log: the payloads their entries
//! hold, what the log says of each campaign and attestation, the comparison
//! with the register's rows, and their rebuilding.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Replay;
use crate::error::Result;
use crate::model::AssetId;
use crate::store::{AttestationRow, CampaignRow, Db, StoredEntry};

/// A `campaign_start` entry's after: the campaign and the sections it opened.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StartRecord {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) organization: Option<String>,
    pub(crate) due_on: Option<String>,
    /// (organization, department) of each attestation opened.
    pub(crate) sections: Vec<(String, String)>,
}

/// An `attest` entry's after: the attestation as recorded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AttestRecord {
    pub(crate) campaign: i64,
    pub(crate) organization: String,
    pub(crate) department: String,
    pub(crate) attested_on: String,
    pub(crate) attested_by: String,
    pub(crate) asset_count: i64,
    pub(crate) digest: String,
    /// The ids confirmed, in order.
    pub(crate) assets: Vec<String>,
}

/// A `campaign_close` entry's after.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CloseRecord {
    pub(crate) id: i64,
    pub(crate) name: String,
}

type SectionKey = (i64, String, String);

/// What the log says of the campaigns so far.
#[derive(Debug, Default)]
pub(super) struct Campaigns {
    campaigns: BTreeMap<i64, CampaignRow>,
    attestations: BTreeMap<SectionKey, (AttestationRow, Vec<AssetId>)>,
}

impl Campaigns {
    pub(super) fn visit(&mut self, seq: u64, action: &str, entry: &StoredEntry, out: &mut Replay) {
        let mut unreadable = |what: &str| {
            out.push(
                format!("audit entry {seq}"),
                None,
                format!("its {what} cannot be read"),
            );
        };
        let after = entry.after.as_deref().unwrap_or_default();
        match action {
            "campaign_start" => match serde_json::from_str::<StartRecord>(after) {
                Ok(start) => {
                    for (organization, department) in start.sections {
                        let row = AttestationRow {
                            campaign: start.id,
                            organization: organization.clone(),
                            department: department.clone(),
                            attested_on: None,
                            attested_at: None,
                            attested_by: None,
                            recorded_by: None,
                            asset_count: None,
                            digest: None,
                        };
                        self.attestations
                            .insert((start.id, organization, department), (row, Vec::new()));
                    }
                    self.campaigns.insert(
                        start.id,
                        CampaignRow {
                            id: start.id,
                            name: start.name,
                            organization: start.organization,
                            due_on: start.due_on,
                            started_at: entry.at.clone(),
                            started_by: entry.actor.clone(),
                            closed_at: None,
                            closed_by: None,
                        },
                    );
                }
                Err(_) => unreadable("campaign"),
            },
            "attest" => match serde_json::from_str::<AttestRecord>(after) {
                Ok(attest) => {
                    let ids: Option<Vec<AssetId>> =
                        attest.assets.iter().map(|id| id.parse().ok()).collect();
                    let key = (attest.campaign, attest.organization, attest.department);
                    match (self.attestations.get_mut(&key), ids) {
                        (Some((row, assets)), Some(ids)) => {
                            row.attested_on = Some(attest.attested_on);
                            row.attested_at = Some(entry.at.clone());
                            row.attested_by = Some(attest.attested_by);
                            row.recorded_by = Some(entry.actor.clone());
                            row.asset_count = Some(attest.asset_count);
                            row.digest = Some(attest.digest);
                            *assets = ids;
                        }
                        (None, _) => out.push(
                            format!("audit entry {seq}"),
                            None,
                            "it attests a section no campaign opened".into(),
                        ),
                        (_, None) => unreadable("attested assets"),
                    }
                }
                Err(_) => unreadable("attestation"),
            },
            _ => match serde_json::from_str::<CloseRecord>(after) {
                Ok(close) => match self.campaigns.get_mut(&close.id) {
                    Some(campaign) => {
                        campaign.closed_at = Some(entry.at.clone());
                        campaign.closed_by = Some(entry.actor.clone());
                    }
                    None => out.push(
                        format!("audit entry {seq}"),
                        None,
                        "it closes a campaign no entry started".into(),
                    ),
                },
                Err(_) => unreadable("campaign"),
            },
        }
    }

    /// Compares the register's campaigns, attestations and attested assets
    /// with the log's.
    pub(super) fn compare(&self, db: &Db, out: &mut Replay) -> Result<()> {
        let stored = db.campaigns()?;
        for row in &stored {
            let object = format!("campaign `{}`", row.name);
            match self.campaigns.get(&row.id) {
                Some(logged) if logged == row => {}
                Some(_) => out.push(object, None, "differs from the audit log".into()),
                None => out.push(
                    object,
                    None,
                    "is in the register but not in the audit log".into(),
                ),
            }
            for attestation in db.attestations(row.id)? {
                let key = (
                    row.id,
                    attestation.organization.clone(),
                    attestation.department.clone(),
                );
                let object = format!(
                    "attestation of `{} {}` in campaign `{}`",
                    attestation.organization, attestation.department, row.name
                );
                let ids = db.attested_assets((row.id, &key.1, &key.2))?;
                match self.attestations.get(&key) {
                    Some((logged, _)) if *logged != attestation => {
                        out.push(object, None, "differs from the audit log".into());
                    }
                    Some((_, logged)) if sorted(logged) != ids => {
                        out.push(object, Some("assets"), "differ from the audit log".into());
                    }
                    Some(_) => {}
                    None => out.push(
                        object,
                        None,
                        "is in the register but not in the audit log".into(),
                    ),
                }
            }
        }
        for campaign in self.campaigns.values() {
            if !stored.iter().any(|row| row.id == campaign.id) {
                out.push(
                    format!("campaign `{}`", campaign.name),
                    None,
                    "is in the audit log but not in the register".into(),
                );
            }
        }
        Ok(())
    }

    /// Writes the campaigns the log says into a rebuilt register.
    pub(super) fn rebuild(&self, target: &Db) -> Result<()> {
        for campaign in self.campaigns.values() {
            target.insert_campaign(campaign)?;
        }
        for ((campaign, organization, department), (row, ids)) in &self.attestations {
            target.insert_attestation(row)?;
            for id in ids {
                target.insert_attested_asset((*campaign, organization, department), *id)?;
            }
        }
        Ok(())
    }
}

fn sorted(ids: &[AssetId]) -> Vec<AssetId> {
    let mut ids = ids.to_vec();
    ids.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    ids
}
