//! Attestation campaigns (棚卸): once a year each section (所属) of each body
//! confirms its part of the register. A campaign opens one attestation per
//! (organization, department) that holds assets; a section attests with its
//! returned sheet, if any, imported in the same transaction, and every asset
//! it holds is marked reviewed (`reviewed_on`) that day. Every step is an
//! audit entry, and the log replays the campaigns' rows.

use std::collections::HashSet;

use jiff::Timestamp;
use jiff::civil::Date;
use sha2::{Digest, Sha256};

use crate::audit::{Action, AttestRecord, Change, CloseRecord, StartRecord};
use crate::error::{Error, Result};
use crate::model::{Asset, AssetId};
use crate::policy::{OrgCode, Policy};
use crate::query::{Disposed, Filter};
use crate::record::to_json;
use crate::register::Register;
use crate::sheet::{Hooks, ImportOptions, ImportReport, Outcome};
use crate::store::{AttestationRow, CampaignRow, Db};
use crate::table::AssetRecord;
use crate::write::Writer;

/// A campaign to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCampaign {
    /// Its name, unique in the register (the fiscal year: `2026`).
    pub name: String,
    /// The day by which every section should have attested.
    pub due_on: Option<Date>,
    /// Only this organization's sections; all when none.
    pub organization: Option<OrgCode>,
}

/// A campaign as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    /// Its name.
    pub name: String,
    /// The organization it covers, or none for all.
    pub organization: Option<String>,
    /// The due date.
    pub due_on: Option<Date>,
    /// When it was started, and by whom.
    pub started_at: Timestamp,
    /// Who started it.
    pub started_by: String,
    /// When it was closed (none while open).
    pub closed_at: Option<Timestamp>,
    /// Who closed it.
    pub closed_by: Option<String>,
}

/// Where a section's attestation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttestationState {
    /// The section confirmed its list.
    Attested,
    /// Not yet, and not past the due date.
    Open,
    /// Not yet, and past the due date.
    Overdue,
}

impl AttestationState {
    /// The code: `attested`, `open`, `overdue`.
    pub fn code(self) -> &'static str {
        match self {
            AttestationState::Attested => "attested",
            AttestationState::Open => "open",
            AttestationState::Overdue => "overdue",
        }
    }

    /// The Japanese label.
    pub fn label_ja(self) -> &'static str {
        match self {
            AttestationState::Attested => "確認済",
            AttestationState::Open => "未確認",
            AttestationState::Overdue => "期限超過",
        }
    }
}

/// One section's attestation in a campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionStatus {
    /// The organization's code.
    pub organization: String,
    /// The department (所属).
    pub department: String,
    /// Where it stands.
    pub state: AttestationState,
    /// The day it attested.
    pub attested_on: Option<Date>,
    /// Who confirmed the list.
    pub attested_by: Option<String>,
    /// Who recorded the attestation, and when.
    pub recorded: Option<(String, Timestamp)>,
    /// How many assets it confirmed.
    pub confirmed: Option<u64>,
    /// The SHA-256 (hex) of the records confirmed.
    pub digest: Option<String>,
    /// How many assets (not disposed of) the section holds now.
    pub assets_now: u64,
    /// The section's assets the attestation did not confirm (added or moved
    /// in after it), by id and name; empty while open.
    pub unconfirmed: Vec<(AssetId, String)>,
}

/// A campaign and where each of its sections stands on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignStatus {
    /// The campaign.
    pub campaign: Campaign,
    /// The day overdue is counted to.
    pub today: Date,
    /// Each section, by organization and department.
    pub sections: Vec<SectionStatus>,
}

/// A section's attestation to record.
#[derive(Debug, Clone, Default)]
pub struct Attest {
    /// The department (所属).
    pub department: String,
    /// Its organization, when several have a department of that name.
    pub organization: Option<OrgCode>,
    /// Who confirmed the list (the section's 情報セキュリティ管理者).
    pub by: String,
    /// The section's returned sheet, imported first (all or nothing).
    pub sheet: Option<std::path::PathBuf>,
    /// How the sheet is read.
    pub options: ImportOptions,
}

/// An attestation as recorded.
#[derive(Debug, Clone)]
pub struct Attestation {
    /// The campaign's name.
    pub campaign: String,
    /// The organization's code.
    pub organization: String,
    /// The department.
    pub department: String,
    /// The day (local) it attested; every asset's `reviewed_on`.
    pub attested_on: Date,
    /// Who confirmed.
    pub attested_by: String,
    /// How many assets were confirmed.
    pub confirmed: u64,
    /// How many of them this attestation marked reviewed (the others were already).
    pub marked: u64,
    /// The SHA-256 (hex) of the records confirmed, each as its JSON record
    /// and a line feed, in id order.
    pub digest: String,
    /// The returned sheet's import, when one was given.
    pub import: Option<ImportReport>,
}

fn corrupt(what: String) -> Error {
    Error::Corrupt { what }
}

fn date(text: Option<&str>, what: &str) -> Result<Option<Date>> {
    text.map(|t| {
        t.parse()
            .map_err(|_| corrupt(format!("{what} has the date `{t}`")))
    })
    .transpose()
}

fn time(text: &str, what: &str) -> Result<Timestamp> {
    text.parse()
        .map_err(|_| corrupt(format!("{what} has the time `{text}`")))
}

impl TryFrom<&CampaignRow> for Campaign {
    type Error = Error;

    fn try_from(row: &CampaignRow) -> Result<Campaign> {
        let what = format!("campaign `{}`", row.name);
        Ok(Campaign {
            name: row.name.clone(),
            organization: row.organization.clone(),
            due_on: date(row.due_on.as_deref(), &what)?,
            started_at: time(&row.started_at, &what)?,
            started_by: row.started_by.clone(),
            closed_at: row
                .closed_at
                .as_deref()
                .map(|t| time(t, &what))
                .transpose()?,
            closed_by: row.closed_by.clone(),
        })
    }
}

/// Where each section of a campaign stands on `today`, read in `db`'s
/// current read (see [`Register::campaign_status`]).
fn status_of(db: &Db, policy: &Policy, row: &CampaignRow, today: Date) -> Result<CampaignStatus> {
    let campaign = Campaign::try_from(row)?;
    let mut sections = Vec::new();
    for attestation in db.attestations(row.id)? {
        let what = format!("the attestation of `{}`", attestation.department);
        let assets = section_assets(
            db,
            policy,
            &attestation.organization,
            &attestation.department,
        )?;
        let state = match (&attestation.attested_at, campaign.due_on) {
            (Some(_), _) => AttestationState::Attested,
            (None, Some(due)) if due < today => AttestationState::Overdue,
            (None, _) => AttestationState::Open,
        };
        let unconfirmed = if attestation.attested_at.is_some() {
            let confirmed: HashSet<AssetId> = db
                .attested_assets((row.id, &attestation.organization, &attestation.department))?
                .into_iter()
                .collect();
            assets
                .iter()
                .filter(|a| !confirmed.contains(&a.id))
                .map(|a| (a.id, a.name().to_owned()))
                .collect()
        } else {
            Vec::new()
        };
        let recorded = match (&attestation.recorded_by, &attestation.attested_at) {
            (Some(by), Some(at)) => Some((by.clone(), time(at, &what)?)),
            _ => None,
        };
        sections.push(SectionStatus {
            state,
            attested_on: date(attestation.attested_on.as_deref(), &what)?,
            attested_by: attestation.attested_by.clone(),
            recorded,
            confirmed: attestation.asset_count.and_then(|n| u64::try_from(n).ok()),
            digest: attestation.digest.clone(),
            assets_now: assets.len() as u64,
            unconfirmed,
            organization: attestation.organization,
            department: attestation.department,
        });
    }
    Ok(CampaignStatus {
        campaign,
        today,
        sections,
    })
}

/// Where the latest campaign stands on `today`, read in `db`'s current
/// read; none before the first campaign.
pub(crate) fn latest_status(
    db: &Db,
    policy: &Policy,
    today: Date,
) -> Result<Option<CampaignStatus>> {
    db.campaigns()?
        .pop()
        .map(|row| status_of(db, policy, &row, today))
        .transpose()
}

/// The campaign named, else the latest one.
fn find_campaign(db: &Db, name: Option<&str>) -> Result<CampaignRow> {
    let found = match name {
        Some(name) => db.campaign_named(name.trim())?,
        None => db.campaigns()?.pop(),
    };
    found.ok_or_else(|| match name {
        Some(name) => {
            let names: Vec<String> = db
                .campaigns()
                .map(|all| all.into_iter().map(|c| c.name).collect())
                .unwrap_or_default();
            Error::unknown("campaign", name, names)
        }
        None => Error::invalid(
            "campaign",
            "latest",
            "台帳にはまだ棚卸がありません",
            "the register has no campaign yet",
        ),
    })
}

/// The open campaign (the latest, if not closed).
fn open_campaign(db: &Db) -> Result<CampaignRow> {
    let latest = find_campaign(db, None)?;
    if latest.closed_at.is_some() {
        return Err(Error::invalid(
            "campaign",
            latest.name,
            "最新の棚卸は締め切られています。開いている棚卸はありません",
            "the latest campaign is closed; no campaign is open",
        ));
    }
    Ok(latest)
}

/// The attestation of a department in a campaign (with its organization
/// when several organizations have a department of that name).
fn find_section(
    db: &Db,
    campaign: &CampaignRow,
    department: &str,
    organization: Option<&OrgCode>,
) -> Result<AttestationRow> {
    let department = department.trim();
    let all = db.attestations(campaign.id)?;
    let mut matching: Vec<AttestationRow> = all
        .iter()
        .filter(|a| a.department == department)
        .filter(|a| organization.is_none_or(|o| a.organization == o.as_str()))
        .cloned()
        .collect();
    match matching.len() {
        1 => Ok(matching.remove(0)),
        0 => Err(Error::unknown(
            "department",
            department,
            all.into_iter().map(|a| a.department),
        )),
        _ => {
            let organizations = matching
                .iter()
                .map(|a| a.organization.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            Err(Error::invalid(
                "department",
                department,
                format!(
                    "いくつもの所管（{organizations}）にこの名前の所属があります。所管を指定してください"
                ),
                format!(
                    "sections of several organizations ({organizations}) are called that; name the organization"
                ),
            ))
        }
    }
}

/// The filter of a section's assets not disposed of.
fn section_filter(policy: &Policy, organization: &str, department: &str) -> Result<Filter> {
    Ok(Filter {
        organization: Some(policy.organization(organization)?.code.clone()),
        department: Some(department.to_owned()),
        disposed: Disposed::Exclude,
        ..Filter::default()
    })
}

fn section_assets(
    db: &Db,
    policy: &Policy,
    organization: &str,
    department: &str,
) -> Result<Vec<Asset>> {
    let mut assets = Vec::new();
    db.for_each_asset(
        policy,
        &section_filter(policy, organization, department)?,
        &mut |asset| {
            assets.push(asset);
            Ok(())
        },
    )?;
    assets.sort_by(|a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
    Ok(assets)
}

/// The day of a moment in the local time zone.
fn local_day(at: Timestamp) -> Date {
    crate::as_of::local_time_zone()
        .to_offset(at)
        .to_datetime(at)
        .date()
}

impl Register {
    /// Starts a campaign: one open attestation per (organization,
    /// department) holding assets not disposed of (of one organization, if
    /// given), with a `campaign_start` audit entry. Refused while another
    /// campaign is open, for a name used before, and when no section holds
    /// assets.
    pub fn start_campaign(&mut self, new: &NewCampaign) -> Result<Campaign> {
        let name = new.name.trim().to_owned();
        crate::write::check_text("campaign", &name, false)?;
        crate::write::validate_free_text("campaign", &name)?;
        if name.is_empty() {
            return Err(Error::invalid(
                "campaign",
                "",
                "棚卸には名前が必要です（例: 2026）",
                "a campaign needs a name (2026)",
            ));
        }
        let organization = new.organization.as_ref().map(|o| o.as_str().to_owned());
        let due_on = new.due_on.map(|d| d.to_string());
        let row = self.write(|w| {
            if let Some(open) = w.db.campaigns()?.pop().filter(|c| c.closed_at.is_none()) {
                return Err(Error::invalid(
                    "campaign",
                    name.clone(),
                    format!(
                        "棚卸 `{}` がまだ開いています。先に締め切ってください",
                        open.name
                    ),
                    format!("campaign `{}` is still open; close it first", open.name),
                ));
            }
            if w.db.campaign_named(&name)?.is_some() {
                return Err(Error::invalid(
                    "campaign",
                    name.clone(),
                    "その名前の棚卸はすでにあります",
                    "a campaign of that name exists already",
                ));
            }
            let sections = w.db.sections(organization.as_deref())?;
            if sections.is_empty() {
                return Err(Error::invalid(
                    "campaign",
                    name.clone(),
                    "確認する資産を持つ所属がありません",
                    "no section holds assets to attest",
                ));
            }
            let mut row = CampaignRow {
                id: 0,
                name: name.clone(),
                organization: organization.clone(),
                due_on: due_on.clone(),
                started_at: w.log.at().to_owned(),
                started_by: w.log.actor().to_owned(),
                closed_at: None,
                closed_by: None,
            };
            row.id = w.db.insert_campaign(&row)?;
            for (organization, department) in &sections {
                w.db.insert_attestation(&AttestationRow {
                    campaign: row.id,
                    organization: organization.clone(),
                    department: department.clone(),
                    attested_on: None,
                    attested_at: None,
                    attested_by: None,
                    recorded_by: None,
                    asset_count: None,
                    digest: None,
                })?;
            }
            let record = to_json(&StartRecord {
                id: row.id,
                name: row.name.clone(),
                organization: row.organization.clone(),
                due_on: row.due_on.clone(),
                sections,
            });
            w.log
                .append(w.db, &campaign_change(Action::CampaignStart, &record))?;
            Ok(row)
        })?;
        Campaign::try_from(&row)
    }

    /// The campaign of a name, else the latest one.
    pub fn campaign(&self, name: Option<&str>) -> Result<Campaign> {
        self.db()
            .read(|db| Campaign::try_from(&find_campaign(db, name)?))
    }

    /// Where each section of a campaign (the named one, else the latest)
    /// stands on `today`: attested, open, or overdue (open past the due
    /// date); for an attested section, the assets it holds now that its
    /// attestation did not confirm.
    pub fn campaign_status(&self, name: Option<&str>, today: Date) -> Result<CampaignStatus> {
        let policy = self.policy();
        self.db()
            .read(|db| status_of(db, policy, &find_campaign(db, name)?, today))
    }

    /// The filter of an open attestation's section (its assets not disposed
    /// of), for the list the section is sent (`export`).
    pub fn campaign_section(
        &self,
        department: &str,
        organization: Option<&OrgCode>,
    ) -> Result<Filter> {
        let policy = self.policy();
        self.db().read(|db| {
            let campaign = open_campaign(db)?;
            let section = find_section(db, &campaign, department, organization)?;
            section_filter(policy, &section.organization, &section.department)
        })
    }

    /// Records a section's attestation in the open campaign, in one
    /// transaction: its returned sheet first, if given (through the import,
    /// all or nothing; a row may change only the section's assets), then
    /// `reviewed_on` set to today (local) on every asset the section holds
    /// (an `update` entry each where it changes), then the attestation
    /// (who, when, how many, the digest of the records confirmed) with an
    /// `attest` entry. Refused for a section that attested already.
    pub fn attest(&mut self, attest: &Attest) -> Result<Attestation> {
        let by = attest.by.trim().to_owned();
        crate::write::check_text("by", &by, false)?;
        crate::write::validate_free_text("by", &by)?;
        if by.is_empty() {
            return Err(Error::invalid(
                "by",
                "",
                "確認した人（--by）を指定してください",
                "an attestation names who confirmed the list",
            ));
        }
        let policy = self.policy().clone();
        let (campaign, section) = self.db().read(|db| {
            let campaign = open_campaign(db)?;
            let section = find_section(
                db,
                &campaign,
                &attest.department,
                attest.organization.as_ref(),
            )?;
            Ok((campaign, section))
        })?;
        if let Some(on) = &section.attested_on {
            return Err(Error::invalid(
                "department",
                section.department,
                format!(
                    "この所属は棚卸 `{}` ですでに {on} に確認済みです（{}）",
                    campaign.name,
                    section.attested_by.clone().unwrap_or_default(),
                ),
                format!(
                    "the section attested already on {on} ({}) in campaign `{}`",
                    section.attested_by.unwrap_or_default(),
                    campaign.name
                ),
            ));
        }
        let key = (
            campaign.id,
            section.organization.clone(),
            section.department.clone(),
        );
        let today = local_day(self.now());
        let record = |w: &mut Writer<'_, '_>| attest_within(w, &policy, &key, &by, today);
        match &attest.sheet {
            None => {
                let (attested, marked, digest) = self.write(record)?;
                Ok(attestation(
                    &campaign,
                    &key,
                    today,
                    &by,
                    (attested, marked, digest),
                    None,
                ))
            }
            Some(path) => {
                let mut options = attest.options.clone();
                options.row_outcomes(true).dry_run(false);
                let section_before = |db: &Db| -> Result<HashSet<AssetId>> {
                    Ok(section_assets(db, &policy, &key.1, &key.2)?
                        .into_iter()
                        .map(|a| a.id)
                        .collect())
                };
                let hooks = Hooks {
                    before: section_before,
                    after: |w: &mut Writer<'_, '_>,
                            report: &ImportReport,
                            before: HashSet<AssetId>| {
                        only_the_section(w, &policy, &key, report, &before)?;
                        record(w)
                    },
                };
                let (report, done) = self.import_assets_with(path, &options, hooks)?;
                Ok(attestation(&campaign, &key, today, &by, done, Some(report)))
            }
        }
    }

    /// Closes the open campaign, with a `campaign_close` audit entry; its
    /// sections not attested stay so.
    pub fn close_campaign(&mut self) -> Result<Campaign> {
        let row = self.write(|w| {
            let mut row = open_campaign(w.db)?;
            let at = w.log.at().to_owned();
            let by = w.log.actor().to_owned();
            if !w.db.close_campaign(row.id, &at, &by)? {
                return Err(Error::invalid(
                    "campaign",
                    row.name,
                    "この棚卸はすでに締め切られています",
                    "the campaign is closed already",
                ));
            }
            row.closed_at = Some(at);
            row.closed_by = Some(by);
            let record = to_json(&CloseRecord {
                id: row.id,
                name: row.name.clone(),
            });
            w.log
                .append(w.db, &campaign_change(Action::CampaignClose, &record))?;
            Ok(row)
        })?;
        Campaign::try_from(&row)
    }
}

fn campaign_change(action: Action, record: &str) -> Change<'_> {
    Change {
        action,
        asset_id: None,
        related_id: None,
        before: None,
        after: Some(record),
    }
}

fn attestation(
    campaign: &CampaignRow,
    (_, organization, department): &(i64, String, String),
    attested_on: Date,
    by: &str,
    (confirmed, marked, digest): (u64, u64, String),
    import: Option<ImportReport>,
) -> Attestation {
    Attestation {
        campaign: campaign.name.clone(),
        organization: organization.clone(),
        department: department.clone(),
        attested_on,
        attested_by: by.to_owned(),
        confirmed,
        marked,
        digest,
        import,
    }
}

/// Refuses a returned sheet that adds or changes an asset outside the section.
fn only_the_section(
    w: &Writer<'_, '_>,
    policy: &Policy,
    (_, organization, department): &(i64, String, String),
    report: &ImportReport,
    before: &HashSet<AssetId>,
) -> Result<()> {
    for row in &report.rows {
        if row.outcome == Outcome::Unchanged || before.contains(&row.id) {
            continue;
        }
        let now = w.db.asset(policy, row.id)?;
        let inside = now.as_ref().is_some_and(|a| {
            a.fields.organization.as_str() == organization && a.fields.department == *department
        });
        if row.outcome == Outcome::Created && inside {
            continue;
        }
        return Err(Error::invalid(
            "sheet",
            format!("{} line {}", row.file, row.line),
            format!(
                "この行は所属 `{department}` のものではない資産 `{}` を変更します。\
                 所属のシートで変えられるのはその所属の資産だけです",
                now.as_ref()
                    .map_or_else(|| row.id.to_string(), |a| a.name().to_owned())
            ),
            format!(
                "the row changes asset `{}`, which is not in section `{department}`; \
                 a section's sheet may change only its own assets",
                now.as_ref()
                    .map_or_else(|| row.id.to_string(), |a| a.name().to_owned())
            ),
        ));
    }
    Ok(())
}

/// Marks the section's assets reviewed today and records the attestation:
/// how many assets were confirmed, how many marked, and the digest.
fn attest_within(
    w: &mut Writer<'_, '_>,
    policy: &Policy,
    (campaign, organization, department): &(i64, String, String),
    by: &str,
    today: Date,
) -> Result<(u64, u64, String)> {
    if !w
        .db
        .campaigns()?
        .iter()
        .any(|c| c.id == *campaign && c.closed_at.is_none())
    {
        return Err(Error::invalid(
            "campaign",
            campaign.to_string(),
            "その間に棚卸が締め切られました",
            "the campaign was closed meanwhile",
        ));
    }
    let mut marked = 0u64;
    for asset in section_assets(w.db, policy, organization, department)? {
        if asset.fields.reviewed_on != Some(today) {
            w.change(asset.id, None, |current| {
                let mut fields = current.fields.clone();
                fields.reviewed_on = Some(today);
                Ok(fields)
            })?;
            marked += 1;
        }
    }
    let confirmed = section_assets(w.db, policy, organization, department)?;
    let mut hasher = Sha256::new();
    for asset in &confirmed {
        hasher.update(to_json(&AssetRecord::from(asset)).as_bytes());
        hasher.update(b"\n");
    }
    let digest = hex::encode(hasher.finalize());
    let count = confirmed.len() as i64;
    let row = AttestationRow {
        campaign: *campaign,
        organization: organization.clone(),
        department: department.clone(),
        attested_on: Some(today.to_string()),
        attested_at: Some(w.log.at().to_owned()),
        attested_by: Some(by.to_owned()),
        recorded_by: Some(w.log.actor().to_owned()),
        asset_count: Some(count),
        digest: Some(digest.clone()),
    };
    if !w.db.record_attestation(&row)? {
        return Err(Error::invalid(
            "department",
            department.clone(),
            "この所属はすでに確認済みです",
            "the section attested already",
        ));
    }
    for asset in &confirmed {
        w.db.insert_attested_asset((*campaign, organization, department), asset.id)?;
    }
    let record = to_json(&AttestRecord {
        campaign: *campaign,
        organization: organization.clone(),
        department: department.clone(),
        attested_on: today.to_string(),
        attested_by: by.to_owned(),
        asset_count: count,
        digest: digest.clone(),
        assets: confirmed.iter().map(|a| a.id.to_string()).collect(),
    });
    w.log
        .append(w.db, &campaign_change(Action::Attest, &record))?;
    Ok((confirmed.len() as u64, marked, digest))
}

#[cfg(test)]
mod tests;
