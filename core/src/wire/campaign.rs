//! Records of attestation campaigns (棚卸): a campaign, where its sections
//! stand, and an attestation recorded.

use serde::Serialize;

use super::ImportRecord;
use crate::campaign::{Attestation, Campaign, CampaignStatus, SectionStatus};

/// A campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignRecord {
    /// When it was closed (RFC 3339, UTC); null while open.
    pub closed_at: Option<String>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// The due date.
    pub due_on: Option<String>,
    /// Its name.
    pub name: String,
    /// The organization it covers; null for all.
    pub organization: Option<String>,
    /// When it was started (RFC 3339, UTC).
    pub started_at: String,
    /// Who started it.
    pub started_by: String,
}

impl From<&Campaign> for CampaignRecord {
    fn from(c: &Campaign) -> Self {
        CampaignRecord {
            closed_at: c.closed_at.map(|t| t.to_string()),
            closed_by: c.closed_by.clone(),
            due_on: c.due_on.map(|d| d.to_string()),
            name: c.name.clone(),
            organization: c.organization.clone(),
            started_at: c.started_at.to_string(),
            started_by: c.started_by.clone(),
        }
    }
}

/// An asset a section's attestation did not confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnconfirmedRecord {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// Where one section stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionStatusRecord {
    /// How many assets (not disposed of) it holds now.
    pub assets_now: u64,
    /// The day it attested.
    pub attested_on: Option<String>,
    /// Who confirmed the list.
    pub attested_by: Option<String>,
    /// How many assets it confirmed.
    pub confirmed: Option<u64>,
    /// The department (所属).
    pub department: String,
    /// The SHA-256 of the records confirmed (hex).
    pub digest: Option<String>,
    /// The organization's code.
    pub organization: String,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: Option<String>,
    /// Who recorded it.
    pub recorded_by: Option<String>,
    /// `attested`, `open` or `overdue`.
    pub state: &'static str,
    /// Its assets the attestation did not confirm (added or moved in since).
    pub unconfirmed: Vec<UnconfirmedRecord>,
}

impl From<&SectionStatus> for SectionStatusRecord {
    fn from(s: &SectionStatus) -> Self {
        SectionStatusRecord {
            assets_now: s.assets_now,
            attested_on: s.attested_on.map(|d| d.to_string()),
            attested_by: s.attested_by.clone(),
            confirmed: s.confirmed,
            department: s.department.clone(),
            digest: s.digest.clone(),
            organization: s.organization.clone(),
            recorded_at: s.recorded.as_ref().map(|(_, at)| at.to_string()),
            recorded_by: s.recorded.as_ref().map(|(by, _)| by.clone()),
            state: s.state.code(),
            unconfirmed: s
                .unconfirmed
                .iter()
                .map(|(id, name)| UnconfirmedRecord {
                    id: id.to_string(),
                    name: name.clone(),
                })
                .collect(),
        }
    }
}

/// A campaign and where each of its sections stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignStatusRecord {
    /// The campaign.
    pub campaign: CampaignRecord,
    /// Each section, by organization and department.
    pub sections: Vec<SectionStatusRecord>,
    /// The day overdue is counted to.
    pub today: String,
}

impl From<&CampaignStatus> for CampaignStatusRecord {
    fn from(s: &CampaignStatus) -> Self {
        CampaignStatusRecord {
            campaign: CampaignRecord::from(&s.campaign),
            sections: s.sections.iter().map(SectionStatusRecord::from).collect(),
            today: s.today.to_string(),
        }
    }
}

/// An attestation recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttestationRecord<'a> {
    /// The day it attested.
    pub attested_on: String,
    /// Who confirmed.
    pub attested_by: &'a str,
    /// The campaign's name.
    pub campaign: &'a str,
    /// How many assets were confirmed.
    pub confirmed: u64,
    /// The department.
    pub department: &'a str,
    /// The SHA-256 of the records confirmed (hex).
    pub digest: &'a str,
    /// The returned sheet's import, if any.
    pub import: Option<ImportRecord<'a>>,
    /// How many assets it marked reviewed.
    pub marked: u64,
    /// The organization's code.
    pub organization: &'a str,
}

impl<'a> From<&'a Attestation> for AttestationRecord<'a> {
    fn from(a: &'a Attestation) -> Self {
        AttestationRecord {
            attested_on: a.attested_on.to_string(),
            attested_by: &a.attested_by,
            campaign: &a.campaign,
            confirmed: a.confirmed,
            department: &a.department,
            digest: &a.digest,
            import: a.import.as_ref().map(ImportRecord::from),
            marked: a.marked,
            organization: &a.organization,
        }
    }
}
