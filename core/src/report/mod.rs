//! The auditor's report (監査報告書): one self-contained HTML file with the
//! register's state, the self-inspection, disposals, reviews, the year's
//! changes and the risks, each chart with its numbers in a table.
//!
//! [`Register::auditor_report`] gathers the report as plain data
//! ([`AuditorReport`]); [`AuditorReport::to_html`] renders it (`html.rs`,
//! with the charts of `svg.rs` and every value escaped by `markup.rs`);
//! [`Register::write_auditor_report`] writes it through an
//! [`OutputFile`](crate::OutputFile). With [`ReportOptions::with_as_of`]
//! the report is of the register as it stood at the end of a past day,
//! rebuilt in memory from its verified audit log ([`Register::as_of_date`]).
//!
//! ```text
//! html    the page: cover and helpers (mod.rs), summary and self-inspection
//!         (overview.rs), exclusions to risks (records.rs), attestation and
//!         corrections (cycle.rs); tables beside every chart
//! svg     bar, column and heat-map charts as inline SVG
//! markup  escaping and the page's style sheet
//! ```

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;

use crate::audit::{self, Action};
use crate::campaign::CampaignStatus;
use crate::error::{Error, Result};
use crate::model::{AssetId, Disposal};
use crate::parse::Era;
use crate::policy::{OrgCode, Policy};
use crate::query::{Disposed, Filter, Summary};
use crate::register::{Register, Verification};
use crate::rules::{CheckOptions, Report, RiskReport, RuleId, Step, TrackedFinding};
use crate::text::Lang;
use crate::wire::EntryChange;

mod html;
mod markup;
mod svg;

/// What a report covers and how it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReportOptions {
    /// The day the report is made for: reviews count to it, its 年度 holds
    /// the disposals shown, and the twelve months of changes end with its
    /// month. Defaults to today in Japan.
    pub today: Date,
    /// The language of the page (Japanese by default).
    pub lang: Lang,
    /// The city's name for the cover; the policy's title when none.
    pub city: Option<String>,
    /// Whether an existing file is replaced.
    pub overwrite: bool,
    /// Report on the register as it stood at the end of this day (local
    /// time), rebuilt from the audit log; the register as it stands when none.
    pub as_of: Option<Date>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            today: crate::parse::today_in_japan(),
            lang: Lang::Ja,
            city: None,
            overwrite: false,
            as_of: None,
        }
    }
}

impl ReportOptions {
    /// Makes the report for this day instead of today (for reproducible reports).
    #[must_use]
    pub fn with_today(mut self, today: Date) -> Self {
        self.today = today;
        self
    }

    /// Writes the page in this language.
    #[must_use]
    pub fn with_lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }

    /// Names the city on the cover.
    #[must_use]
    pub fn with_city(mut self, city: impl Into<String>) -> Self {
        let city = city.into();
        self.city = (!city.trim().is_empty()).then(|| city.trim().to_owned());
        self
    }

    /// Reports on the register as it stood at the end of `day` (local
    /// time), rebuilt in memory from its audit log after verifying the
    /// entries up to then; the report is also made for that day (see
    /// [`ReportOptions::with_today`], which a later call may change).
    #[must_use]
    pub fn with_as_of(mut self, day: Date) -> Self {
        self.as_of = Some(day);
        self.today = day;
        self
    }

    /// Replaces an existing file.
    #[must_use]
    pub fn overwrite(mut self, overwrite: bool) -> Self {
        self.overwrite = overwrite;
        self
    }
}

/// The auditor's report as data: everything the page shows.
#[derive(Debug, Clone)]
pub struct AuditorReport {
    /// When the report was made.
    pub made_at: Timestamp,
    /// The day it was made for ([`ReportOptions::today`]).
    pub today: Date,
    /// Who made it (the register's actor).
    pub actor: String,
    /// The city named on the cover, if given.
    pub city: Option<String>,
    /// The register's policy.
    pub policy: Policy,
    /// The register's file (none in memory).
    pub register_path: Option<PathBuf>,
    /// The whole register verified: the audit chain and every row.
    pub verification: Verification,
    /// The counts of `summary`.
    pub summary: Summary,
    /// The self-inspection of `check`, as of [`AuditorReport::today`].
    pub check: Report,
    /// For each finding of [`AuditorReport::check`], the links that explain
    /// it (an inherited level, 特定個人情報 arriving); empty when the rule
    /// has none.
    pub explanations: Vec<Vec<Step>>,
    /// The 年度 (April–March) of [`AuditorReport::today`], by the year it starts in.
    pub fiscal_year: i16,
    /// The disposals dated in that 年度, by date and name.
    pub disposals: Vec<DisposalLine>,
    /// In-scope assets in use by the 年度 of their last review, oldest
    /// first, then those never reviewed.
    pub reviews: Vec<(ReviewYear, u64)>,
    /// The last review of each asset the review findings name (overdue or
    /// missing), where it has one.
    pub reviewed_on: HashMap<AssetId, Date>,
    /// Assets created, changed and disposed of per month, the twelve months
    /// ending with [`AuditorReport::today`]'s (in Japan time), oldest first.
    pub months: Vec<MonthChanges>,
    /// The asset fields changed most often in those months (by the asset
    /// record's key), most first; at most ten.
    pub changed_fields: Vec<(&'static str, u64)>,
    /// The risk list.
    pub risks: RiskReport,
    /// Where the latest attestation campaign (棚卸) stands on
    /// [`AuditorReport::today`]; none before the first campaign.
    pub campaign: Option<CampaignStatus>,
    /// Every finding tracked to correction (是正) by the recorded runs, by
    /// number; the page lists those still to be corrected.
    pub findings: Vec<TrackedFinding>,
    /// The name and body of the first asset of each finding still to be
    /// corrected, by id (none for an asset since deleted).
    pub correction_assets: HashMap<AssetId, (String, OrgCode)>,
    /// The past day the report is of, when it is not of the register as it
    /// stands ([`ReportOptions::as_of`]).
    pub as_of: Option<ReportAsOf>,
}

/// What a report of a past day stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportAsOf {
    /// The day: the register as it stood at its end (local time).
    pub day: Date,
    /// The audit log's entries written by then, from which the register
    /// was rebuilt (entries 1 to this, their chain verified).
    pub entries: u64,
}

/// One disposal of the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisposalLine {
    /// The asset's id.
    pub id: AssetId,
    /// The asset's name.
    pub name: String,
    /// Its organization.
    pub organization: OrgCode,
    /// Its department (所属).
    pub department: String,
    /// The disposal record.
    pub disposal: Disposal,
}

/// When an asset was last reviewed, as the review histogram counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewYear {
    /// Before the 年度 starting in April of this year.
    Before(i16),
    /// In the 年度 starting in April of this year.
    In(i16),
    /// Never.
    Never,
}

/// The audit log's asset changes of one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthChanges {
    /// The year.
    pub year: i16,
    /// The month, 1–12.
    pub month: i8,
    /// Assets added.
    pub created: u64,
    /// Changes of an asset's fields.
    pub changed: u64,
    /// Assets disposed of.
    pub disposed: u64,
}

/// The latest campaign's status, the tracked findings, and the first asset
/// of those still to be corrected.
type Cycle = (
    Option<CampaignStatus>,
    Vec<TrackedFinding>,
    HashMap<AssetId, (String, OrgCode)>,
);

/// Fields of the asset record (by key) with a count each.
type FieldCounts = Vec<(&'static str, u64)>;

/// How many fields the report lists among the most changed.
const TOP_FIELDS: usize = 10;

impl Register {
    /// Gathers the auditor's report: verifies the register, runs the
    /// self-inspection and reads the audit log's last twelve months; with
    /// [`ReportOptions::as_of`], of the register rebuilt as of that day.
    pub fn auditor_report(&self, options: &ReportOptions) -> Result<AuditorReport> {
        match options.as_of {
            None => self.gather_report(options, None),
            Some(day) => {
                let past = self.as_of_date(day, &crate::as_of::local_time_zone())?;
                let entries = past.head()?.entries;
                past.gather_report(options, Some(ReportAsOf { day, entries }))
            }
        }
    }

    fn gather_report(
        &self,
        options: &ReportOptions,
        as_of: Option<ReportAsOf>,
    ) -> Result<AuditorReport> {
        let verification = self.verify()?;
        let fiscal_year = fiscal_year_of(options.today);
        // Everything else is read at one moment, the check's.
        let (snapshot, head, summary, disposals, changes, risks, cycle) = self.db().read(|_| {
            Ok((
                self.snapshot()?,
                self.head()?,
                self.summary()?,
                self.disposals_in(fiscal_year)?,
                self.monthly_changes(options.today)?,
                self.risks()?,
                self.cycle(options.today)?,
            ))
        })?;
        let (campaign, findings, correction_assets) = cycle;
        let mut check = snapshot.check(&CheckOptions::default().with_today(options.today));
        check.head = Some(head);
        let explanations = snapshot.finding_paths(&check.findings);
        let overdue: HashSet<AssetId> = check
            .findings
            .iter()
            .filter(|f| matches!(f.rule, RuleId::ReviewOverdue | RuleId::ReviewMissing))
            .filter_map(|f| f.assets.first().map(|a| a.id))
            .collect();
        let reviewed_on: HashMap<AssetId, Date> = snapshot
            .reviews()
            .filter(|(id, _)| overdue.contains(id))
            .filter_map(|(id, day)| day.map(|day| (id, day)))
            .collect();
        let reviews = review_years(
            snapshot.reviews().map(|(_, day)| day.map(fiscal_year_of)),
            fiscal_year,
        );
        let (months, changed_fields) = changes;
        Ok(AuditorReport {
            made_at: Timestamp::now(),
            today: options.today,
            actor: self.actor().to_owned(),
            city: options.city.clone(),
            policy: self.policy().clone(),
            register_path: self.path().map(Path::to_path_buf),
            verification,
            summary,
            check,
            explanations,
            fiscal_year,
            disposals,
            reviews,
            reviewed_on,
            months,
            changed_fields,
            risks,
            campaign,
            findings,
            correction_assets,
            as_of,
        })
    }

    /// Where the latest campaign stands on `today`, if any, every tracked
    /// finding, and the first asset of those still to be corrected.
    fn cycle(&self, today: Date) -> Result<Cycle> {
        let campaign = crate::campaign::latest_status(self.db(), self.policy(), today)?;
        let findings = self.findings()?;
        let mut assets = HashMap::new();
        for id in findings
            .iter()
            .filter(|f| f.status.is_pending())
            .filter_map(|f| f.assets.first())
        {
            match self.get(*id) {
                Ok(asset) => {
                    let name = asset.name().to_owned();
                    assets.insert(*id, (name, asset.fields.organization));
                }
                Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok((campaign, findings, assets))
    }

    /// Gathers the auditor's report and writes it as HTML to a new file at
    /// `path`, through an [`OutputFile`](crate::OutputFile): the file
    /// appears only when complete, and replaces one only with
    /// [`ReportOptions::overwrite`].
    pub fn write_auditor_report(
        &self,
        path: impl AsRef<Path>,
        options: &ReportOptions,
    ) -> Result<AuditorReport> {
        let mut out = self.output_file(path, options.overwrite)?;
        let report = self.auditor_report(options)?;
        let written = out.path().to_owned();
        out.write_all(report.to_html(options.lang).as_bytes())
            .map_err(|source| Error::Io {
                action: "write",
                path: written,
                source,
            })?;
        out.commit()?;
        Ok(report)
    }

    /// The disposals dated in the 年度 starting in April of `fiscal_year`.
    fn disposals_in(&self, fiscal_year: i16) -> Result<Vec<DisposalLine>> {
        let disposed = self.assets(&Filter {
            disposed: Disposed::Only,
            ..Filter::default()
        })?;
        let mut lines: Vec<DisposalLine> = disposed
            .into_iter()
            .filter_map(|asset| {
                let disposal = asset.fields.disposal?;
                (fiscal_year_of(disposal.date) == fiscal_year).then(|| DisposalLine {
                    id: asset.id,
                    name: asset.fields.name.as_str().to_owned(),
                    organization: asset.fields.organization,
                    department: asset.fields.department,
                    disposal,
                })
            })
            .collect();
        lines.sort_by(|a, b| {
            (a.disposal.date, &a.name, a.id).cmp(&(b.disposal.date, &b.name, b.id))
        });
        Ok(lines)
    }

    /// The asset changes per month of the twelve months ending with
    /// `today`'s, and the fields changed most often in them.
    fn monthly_changes(&self, today: Date) -> Result<(Vec<MonthChanges>, FieldCounts)> {
        let mut months = twelve_months(today);
        // A day earlier in UTC: Japan's day starts at 15:00 UTC the day before.
        let since = Date::new(months[0].year, months[0].month, 1)
            .and_then(Date::yesterday)
            .unwrap_or(Date::MIN);
        let mut fields: HashMap<&'static str, u64> = HashMap::new();
        audit::each_asset_change_since(self.db(), since, |entry| {
            let day = japan_date(entry.at);
            let Some(month) = months
                .iter_mut()
                .find(|m| m.year == day.year() && m.month == day.month())
            else {
                return;
            };
            match entry.action {
                Action::Create => month.created += 1,
                Action::Update => month.changed += 1,
                Action::Dispose => month.disposed += 1,
                _ => return,
            }
            if entry.action != Action::Create
                && let EntryChange::Fields(diffs) = EntryChange::from(&entry)
            {
                for diff in diffs {
                    *fields.entry(diff.field).or_default() += 1;
                }
            }
        })?;
        let mut fields: Vec<(&'static str, u64)> = fields.into_iter().collect();
        fields.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        fields.truncate(TOP_FIELDS);
        Ok((months, fields))
    }
}

/// The day in Japan (UTC+9, no daylight saving) at a moment.
fn japan_date(at: Timestamp) -> Date {
    jiff::tz::Offset::constant(9).to_datetime(at).date()
}

/// The 年度 (April to March) a day falls in, by the year it starts in.
pub(crate) fn fiscal_year_of(day: Date) -> i16 {
    if day.month() >= 4 {
        day.year()
    } else {
        day.year() - 1
    }
}

/// A 年度 as written: `令和7年度` (元年 for the first), or `FY2025`.
pub(crate) fn fiscal_year_label(year: i16, lang: Lang) -> String {
    // The era of a 年度 is the one of its May: 2019年度 is 令和元年度.
    let era = Date::new(year, 5, 1).ok().and_then(Era::of);
    match (lang, era) {
        (Lang::Ja, Some(era)) => {
            let n = year - era.first_day().year() + 1;
            if n == 1 {
                format!("{era}元年度")
            } else {
                format!("{era}{n}年度")
            }
        }
        (Lang::Ja, None) => format!("{year}年度"),
        _ => format!("FY{year}"),
    }
}

/// The twelve months ending with `today`'s, oldest first, with no changes yet.
fn twelve_months(today: Date) -> Vec<MonthChanges> {
    let (mut year, mut month) = (today.year(), today.month());
    let mut months = Vec::with_capacity(12);
    for _ in 0..12 {
        months.push(MonthChanges {
            year,
            month,
            created: 0,
            changed: 0,
            disposed: 0,
        });
        if month == 1 {
            (year, month) = (year - 1, 12);
        } else {
            month -= 1;
        }
    }
    months.reverse();
    months
}

/// How many 年度 the review histogram shows one by one, the current one
/// included; older reviews share one bar.
const REVIEW_YEARS: i16 = 10;

/// Counts by 年度 of the last review, oldest first: every 年度 from the
/// oldest seen (at most [`REVIEW_YEARS`] back, older ones counted together)
/// to the current one or a later one seen, zeros included, then the assets
/// never reviewed.
fn review_years(years: impl Iterator<Item = Option<i16>>, current: i16) -> Vec<(ReviewYear, u64)> {
    let first_shown = current - (REVIEW_YEARS - 1);
    let mut counts: HashMap<ReviewYear, u64> = HashMap::new();
    for year in years {
        let bucket = match year {
            None => ReviewYear::Never,
            Some(y) if y < first_shown => ReviewYear::Before(first_shown),
            Some(y) => ReviewYear::In(y),
        };
        *counts.entry(bucket).or_default() += 1;
    }
    let seen = |pick: fn(i16, i16) -> i16, start: i16| {
        counts
            .keys()
            .filter_map(|y| match y {
                ReviewYear::In(y) => Some(*y),
                _ => None,
            })
            .fold(start, pick)
    };
    let before = ReviewYear::Before(first_shown);
    // With older reviews counted together, every 年度 after them is shown.
    let oldest = if counts.contains_key(&before) {
        first_shown
    } else {
        seen(i16::min, current)
    };
    let newest = seen(i16::max, current);
    let count = |bucket: ReviewYear| counts.get(&bucket).copied().unwrap_or(0);
    let mut out = Vec::new();
    if counts.contains_key(&before) {
        out.push((before, count(before)));
    }
    out.extend((oldest..=newest).map(|y| (ReviewYear::In(y), count(ReviewYear::In(y)))));
    out.push((ReviewYear::Never, count(ReviewYear::Never)));
    out
}

impl AuditorReport {
    /// The report as one self-contained HTML page in `lang`: inline style
    /// and SVG, no script, nothing loaded from anywhere.
    pub fn to_html(&self, lang: Lang) -> String {
        html::page(self, lang)
    }
}

#[cfg(test)]
mod tests;
