//! The register of exceptions (例外措置): a finding of one rule on an asset,
//! or on a link from it to another asset, approved for a reason until a date
//! (§6(3)ア's 原則として; GUIDELINE-NOTES §5.1, §5.3).
//!
//! While an exception is valid (approved on or before the day of the check,
//! not expired, not ended), the findings it covers are reported as 参考
//! (info) naming it; once expired, `exception.expired` reports it as an
//! error until it is ended. Exceptions live in the table `exceptions`
//! (migration 0006, SQL in `store::exceptions`), each change with an audit
//! entry (`Action::Exception`).

use jiff::Timestamp;
use jiff::civil::Date;

use crate::audit::{Action, Change};
use crate::error::{Error, Result};
use crate::model::AssetId;
use crate::register::Register;
use crate::rules::catalog::RuleId;
use crate::rules::snapshot::{ExceptionNode, Snapshot};
use crate::store::ExceptionRow;

/// An exception (例外措置) to one rule for an asset or a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// Its number, from 1.
    pub id: i64,
    /// The rule it covers.
    pub rule: RuleId,
    /// The asset (a link's source).
    pub asset: AssetId,
    /// The link's other end, for an exception on a link.
    pub related: Option<AssetId>,
    /// Why the rule cannot be followed.
    pub reason: String,
    /// Who approved it (not the person who records it, if they are the same
    /// the register still records it; separation is the approver's duty).
    pub approver: String,
    /// When it was approved.
    pub approved_on: Date,
    /// The last day it is valid; none for no expiry.
    pub expires_on: Option<Date>,
    /// The conditions attached (compensating controls, routes, ...).
    pub conditions: Option<String>,
    /// When it was recorded.
    pub created_at: Timestamp,
    /// Who recorded it.
    pub created_by: String,
    /// When it was ended, if it was.
    pub ended_at: Option<Timestamp>,
    /// Who ended it.
    pub ended_by: Option<String>,
}

/// What [`Register::add_exception`] records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewException {
    /// The rule it covers.
    pub rule: RuleId,
    /// The asset (a link's source).
    pub asset: AssetId,
    /// The link's other end, for an exception on a link.
    pub related: Option<AssetId>,
    /// Why the rule cannot be followed.
    pub reason: String,
    /// Who approved it.
    pub approver: String,
    /// When it was approved; not after today.
    pub approved_on: Date,
    /// The last day it is valid; not before `approved_on`.
    pub expires_on: Option<Date>,
    /// The conditions attached.
    pub conditions: Option<String>,
}

impl Exception {
    /// The state on a day: `valid`, `expired`, `ended` or `pending` (approved
    /// after that day).
    pub fn state(&self, today: Date) -> &'static str {
        if self.ended_at.is_some() {
            "ended"
        } else if self.approved_on > today {
            "pending"
        } else if self.expires_on.is_some_and(|d| d < today) {
            "expired"
        } else {
            "valid"
        }
    }

    fn from_row(row: ExceptionRow) -> Result<Exception> {
        let id = row.id;
        let corrupt = |what: &str, value: &str| Error::Corrupt {
            what: format!("exception {id} has {what} `{value}`"),
        };
        let date = |s: &str| s.parse::<Date>().map_err(|_| corrupt("the date", s));
        let time = |s: &str| s.parse::<Timestamp>().map_err(|_| corrupt("the time", s));
        Ok(Exception {
            id,
            rule: row
                .rule
                .parse()
                .map_err(|_| corrupt("the rule", &row.rule))?,
            asset: row.asset,
            related: row.related,
            approved_on: date(&row.approved_on)?,
            expires_on: row.expires_on.as_deref().map(date).transpose()?,
            created_at: time(&row.created_at)?,
            ended_at: row.ended_at.as_deref().map(time).transpose()?,
            reason: row.reason,
            approver: row.approver,
            conditions: row.conditions,
            created_by: row.created_by,
            ended_by: row.ended_by,
        })
    }

    /// The audit log's record of it.
    fn record(&self) -> String {
        serde_json::json!({
            "id": self.id,
            "rule": self.rule.code(),
            "asset": self.asset.to_string(),
            "related": self.related.map(|id| id.to_string()),
            "reason": self.reason,
            "approver": self.approver,
            "approved_on": self.approved_on.to_string(),
            "expires_on": self.expires_on.map(|d| d.to_string()),
            "conditions": self.conditions,
            "ended_at": self.ended_at.map(|t| t.to_string()),
        })
        .to_string()
    }
}

impl Register {
    /// Records an exception (例外措置), with an audit entry.
    pub fn add_exception(&mut self, new: NewException) -> Result<Exception> {
        let today = crate::parse::today_in_japan();
        for (field, value) in [("reason", &new.reason), ("approver", &new.approver)] {
            if value.trim().is_empty() {
                return Err(Error::invalid(
                    field,
                    value,
                    "例外措置には必ず書きます",
                    "an exception names it",
                ));
            }
            crate::write::check_text(field, value, false)?;
        }
        if let Some(conditions) = &new.conditions {
            crate::write::check_text("conditions", conditions, true)?;
        }
        if new.approved_on > today {
            return Err(Error::invalid(
                "approved_on",
                new.approved_on.to_string(),
                format!("承認日は今日（{today}）より後にできません"),
                format!("an approval date cannot be after today ({today})"),
            ));
        }
        if new.expires_on.is_some_and(|d| d < new.approved_on) {
            return Err(Error::invalid(
                "expires_on",
                new.expires_on.map(|d| d.to_string()).unwrap_or_default(),
                "例外措置は承認より前に期限切れにできません",
                "an exception cannot expire before it is approved",
            ));
        }
        self.get(new.asset)?;
        if let Some(related) = new.related {
            self.get(related)?;
        }
        let now = self.now();
        let actor = self.actor().to_owned();
        let mut row = ExceptionRow {
            id: 0,
            rule: new.rule.code().to_owned(),
            asset: new.asset,
            related: new.related,
            reason: new.reason.trim().to_owned(),
            approver: new.approver.trim().to_owned(),
            approved_on: new.approved_on.to_string(),
            expires_on: new.expires_on.map(|d| d.to_string()),
            conditions: new
                .conditions
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty()),
            created_at: now.to_string(),
            created_by: actor,
            ended_at: None,
            ended_by: None,
        };
        let mut id = 0;
        self.write_logged(|tx, log| {
            id = tx.insert_exception(&row)?;
            row.id = id;
            let after = Exception::from_row(row.clone())?.record();
            log.append(
                tx,
                &Change {
                    action: Action::Exception,
                    asset_id: Some(row.asset),
                    related_id: row.related,
                    before: None,
                    after: Some(&after),
                },
            )
        })?;
        self.exception(id)
    }

    /// One exception by number.
    pub fn exception(&self, id: i64) -> Result<Exception> {
        let row = self.db().exception(id)?.ok_or_else(|| Error::NotFound {
            id: format!("exception {id}"),
        })?;
        Exception::from_row(row)
    }

    /// Every exception, ended ones included, by number.
    pub fn exceptions(&self) -> Result<Vec<Exception>> {
        let mut found = Vec::new();
        self.db().each_exception(|row| {
            found.push(Exception::from_row(row)?);
            Ok(())
        })?;
        Ok(found)
    }

    /// Ends an exception (例外措置終了), with an audit entry; the findings it
    /// covered are reported again.
    pub fn end_exception(&mut self, id: i64) -> Result<Exception> {
        let before = self.exception(id)?;
        if before.ended_at.is_some() {
            return Err(Error::invalid(
                "exception",
                id.to_string(),
                "この例外措置は終了しています",
                "the exception has already ended",
            ));
        }
        let now = self.now();
        let actor = self.actor().to_owned();
        let mut after = before.clone();
        after.ended_at = Some(now);
        after.ended_by = Some(actor.clone());
        let (before_json, after_json) = (before.record(), after.record());
        self.write_logged(|tx, log| {
            if !tx.end_exception(id, &now.to_string(), &actor)? {
                return Err(Error::invalid(
                    "exception",
                    id.to_string(),
                    "この例外措置は終了しています",
                    "the exception has already ended",
                ));
            }
            log.append(
                tx,
                &Change {
                    action: Action::Exception,
                    asset_id: Some(before.asset),
                    related_id: before.related,
                    before: Some(&before_json),
                    after: Some(&after_json),
                },
            )
        })?;
        self.exception(id)
    }

    /// Adds the register's exceptions not ended to a snapshot.
    pub(crate) fn load_exceptions(&self, snapshot: &mut Snapshot) -> Result<()> {
        self.db().each_exception(|row| {
            if row.ended_at.is_some() {
                return Ok(());
            }
            let exception = Exception::from_row(row)?;
            let Some(asset) = snapshot.index(exception.asset) else {
                return Ok(());
            };
            snapshot.exceptions.push(ExceptionNode {
                id: exception.id,
                rule: exception.rule.code(),
                asset,
                related: exception.related.and_then(|id| snapshot.index(id)),
                approved_on: exception.approved_on,
                expires_on: exception.expires_on,
                approver: exception.approver,
                reason: exception.reason,
            });
            Ok(())
        })
    }
}
