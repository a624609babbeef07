//! The register as it stood at a past moment, rebuilt from its audit log
//! into a register in memory, so that listing, counting, checking and
//! exporting run on it unchanged.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::audit;
use crate::error::{Error, Result};
use crate::register::Register;
use crate::store;

/// The local time zone: the system's (`TZ`, else the system setting), else
/// Japan's (+09:00, which has no summer time) when the system names none
/// daicho can read.
pub fn local_time_zone() -> TimeZone {
    TimeZone::try_system().unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(9)))
}

/// The first instant of `date` in `zone`.
pub fn start_of_day(date: Date, zone: &TimeZone) -> Result<Timestamp> {
    zone.to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .map_err(|_| {
            Error::invalid(
                "date",
                date.to_string(),
                "この日の始まりを時刻にできません",
                "the day has no start in time",
            )
        })
}

/// The first instant after `date` in `zone`: the end of that day.
pub fn end_of_day(date: Date, zone: &TimeZone) -> Result<Timestamp> {
    date.tomorrow()
        .map_err(|_| {
            Error::invalid(
                "date",
                date.to_string(),
                "この日の終わりを時刻にできません",
                "the day has no end in time",
            )
        })
        .and_then(|next| start_of_day(next, zone))
}

impl Register {
    /// The register as it stood just before `before`, rebuilt in memory
    /// from the audit log: the entries written before then (the log's
    /// longest prefix), verified from the first, replayed from empty.
    ///
    /// The result reads like the register did then (assets in the order
    /// they were stored, links, risk assessments, exceptions, the audit
    /// head); changes to it are lost when it is dropped. A broken or
    /// missing entry among those taken is refused naming it
    /// ([`Error::Corrupt`]), as is a time before a policy change
    /// ([`Error::Invalid`]): the register keeps only its current policy.
    /// The fields later redacted (墨消し) are blank.
    pub fn as_of(&self, before: Timestamp) -> Result<Register> {
        let policy = self.policy().clone();
        let mut target = store::create_in_memory(&policy)?;
        target.write(|target| {
            self.db()
                .read(|source| audit::rebuild(source, &policy, before, target))
        })?;
        // The file's name stays, so that an export never replaces it.
        let mut rebuilt = Register::new(target, policy, self.path().map(ToOwned::to_owned));
        rebuilt.set_actor(self.actor())?;
        Ok(rebuilt)
    }

    /// [`Register::as_of`] the end of `date` in `zone` (the local time zone
    /// for a person's "as of 2026-03-31").
    pub fn as_of_date(&self, date: Date, zone: &TimeZone) -> Result<Register> {
        // A refusal names the day asked for, not the instant after it.
        self.as_of(end_of_day(date, zone)?).map_err(|e| match e {
            Error::Invalid {
                field: "as_of",
                reason,
                ..
            } => Error::Invalid {
                field: "as_of",
                value: date.to_string(),
                reason,
            },
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::model::{AssetFields, AssetName, Classification, Disposal, Kind, Link, Relation};
    use crate::policy::Policy;
    use crate::query::Filter;
    use crate::sheet::ExportOptions;

    fn japan() -> TimeZone {
        TimeZone::fixed(jiff::tz::offset(9))
    }

    /// Noon in Japan on a day.
    fn noon(y: i16, m: i8, d: i8) -> Timestamp {
        japan().to_timestamp(date(y, m, d).at(12, 0, 0, 0)).unwrap()
    }

    fn fields(register: &Register, kind: &str, name: &str) -> AssetFields {
        let policy = register.policy();
        AssetFields::new(
            Kind::parse(kind).unwrap(),
            AssetName::new(name).unwrap(),
            policy.organization("mayor").unwrap().code.clone(),
            Classification::parse(policy, "3B", "2", "2").unwrap(),
        )
    }

    fn export(register: &Register) -> Vec<u8> {
        let mut out = Vec::new();
        register
            .export_assets(&mut out, &Filter::default(), &ExportOptions::default())
            .unwrap();
        out
    }

    #[test]
    fn the_end_of_a_day_is_the_next_midnight_in_the_zone() -> Result<()> {
        assert_eq!(
            end_of_day(date(2026, 3, 31), &japan())?.to_string(),
            "2026-03-31T15:00:00Z"
        );
        assert_eq!(
            end_of_day(date(2026, 3, 31), &TimeZone::UTC)?.to_string(),
            "2026-04-01T00:00:00Z"
        );
        Ok(())
    }

    #[test]
    fn the_register_as_of_a_day_exports_as_it_did_that_day() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Register::create_at(
            dir.path().join("r.db"),
            &Policy::niigata(),
            "tester",
            Some(noon(2026, 1, 9)),
        )?;
        r.set_clock(Some(noon(2026, 1, 10)));
        let server = r.add(fields(&r, "ア", "住基サーバ"))?;
        let data = r.add(fields(&r, "イ", "住民記録データ"))?;
        r.set_clock(Some(noon(2026, 2, 3)));
        r.link(Link::new(data.id, Relation::StoredOn, server.id))?;
        r.edit(
            data.id,
            None,
            [crate::FieldChange::Department("市民課".to_owned())],
        )?;
        let january_end = export(&r);
        let february = r.as_of_date(date(2026, 2, 3), &japan())?;
        let links_then = r.links()?;
        r.set_clock(Some(noon(2026, 5, 20)));
        let manual = r.add(fields(&r, "イ", "窓口マニュアル"))?;
        r.unlink(data.id, Relation::StoredOn, server.id)?;
        r.dispose(
            data.id,
            None,
            Disposal {
                date: date(2026, 5, 20),
                person: "鈴木".to_owned(),
                method: Some("溶解".to_owned()),
                approver: Some("課長".to_owned()),
                certificate: None,
            },
        )?;
        let may_end = export(&r);
        r.set_clock(Some(noon(2026, 8, 1)));
        r.delete(manual.id, "重複登録")?;

        assert_eq!(export(&february), january_end);
        assert_eq!(february.links()?, links_then);
        let may = r.as_of_date(date(2026, 5, 31), &japan())?;
        assert_eq!(export(&may), may_end);
        assert!(may.links()?.is_empty());
        // The day before anything: only the register's own first entry.
        let before = r.as_of_date(date(2026, 1, 9), &japan())?;
        assert_eq!(before.assets(&Filter::default())?.len(), 0);
        assert_eq!(before.head()?.entries, 1);
        // Each rebuilt register is sound as the real one was then.
        for rebuilt in [&february, &may, &before] {
            let verification = rebuilt.verify()?;
            assert!(verification.is_ok(), "{verification}");
        }
        assert_eq!(r.as_of(noon(2027, 1, 1))?.head()?, r.head()?);
        Ok(())
    }

    #[test]
    fn recorded_runs_findings_and_processes_are_rebuilt_as_they_stood() -> Result<()> {
        use crate::rules::{CheckOptions, FindingUpdate, NewProcess, ProcessChange};
        let dir = tempfile::tempdir().unwrap();
        let mut r = Register::create_at(
            dir.path().join("r.db"),
            &Policy::niigata(),
            "tester",
            Some(noon(2026, 1, 9)),
        )?;
        r.set_clock(Some(noon(2026, 1, 10)));
        r.add(fields(&r, "ア", "住基サーバ"))?;
        r.record_check(&CheckOptions::default().with_today(date(2026, 1, 10)))?;
        r.add_process(&NewProcess {
            name: "住民基本台帳事務".to_owned(),
            handlers: 10,
            ..NewProcess::default()
        })?;
        let (findings_then, processes_then) = (r.findings()?, r.processes()?);
        assert!(!findings_then.is_empty());
        r.set_clock(Some(noon(2026, 2, 10)));
        r.set_finding(
            "1",
            &FindingUpdate {
                owner: Some("佐藤".to_owned()),
                ..FindingUpdate::default()
            },
        )?;
        r.set_process(
            "1",
            &ProcessChange {
                handlers: Some(20),
                ..ProcessChange::default()
            },
        )?;
        r.record_check(&CheckOptions::default().with_today(date(2026, 2, 10)))?;

        let january = r.as_of_date(date(2026, 1, 31), &japan())?;
        assert_eq!(january.findings()?, findings_then);
        assert_eq!(january.processes()?, processes_then);
        let march = r.as_of_date(date(2026, 3, 1), &japan())?;
        assert_eq!(march.findings()?, r.findings()?);
        assert_eq!(march.processes()?, r.processes()?);
        for rebuilt in [&january, &march] {
            let verification = rebuilt.verify()?;
            assert!(verification.is_ok(), "{verification}");
        }
        Ok(())
    }

    #[test]
    fn a_day_before_a_policy_change_is_refused_and_a_day_after_it_is_not() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Register::create_at(
            dir.path().join("r.db"),
            &Policy::niigata(),
            "tester",
            Some(noon(2026, 1, 9)),
        )?;
        r.set_clock(Some(noon(2026, 3, 1)));
        r.set_policy(Policy::built_in("mic-r5")?)?;
        let err = r
            .as_of_date(date(2026, 2, 1), &japan())
            .map(drop)
            .unwrap_err();
        assert!(
            matches!(&err, Error::Invalid { field: "as_of", reason, .. } if reason.en.contains("policy was replaced")),
            "{err}"
        );
        assert_eq!(
            r.as_of_date(date(2026, 3, 1), &japan())?.policy().name(),
            "mic-r5"
        );
        Ok(())
    }

    #[test]
    fn a_tampered_entry_refuses_the_days_after_it_and_not_before() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Register::create_at(
            dir.path().join("r.db"),
            &Policy::niigata(),
            "tester",
            Some(noon(2026, 1, 9)),
        )?;
        r.set_clock(Some(noon(2026, 1, 10)));
        let asset = r.add(fields(&r, "ア", "住基サーバ"))?;
        r.set_clock(Some(noon(2026, 4, 1)));
        r.edit(
            asset.id,
            None,
            [crate::FieldChange::Department("市民課".to_owned())],
        )?;
        let tampered = r.head()?.entries;
        r.db().execute_for_test(&format!(
            "UPDATE audit_log SET actor = 'x' WHERE seq = {tampered}"
        ));
        let err = r
            .as_of_date(date(2026, 4, 1), &japan())
            .map(drop)
            .unwrap_err();
        assert!(
            matches!(&err, Error::Corrupt { what } if what.contains(&format!("audit entry {tampered} does not verify"))),
            "{err}"
        );
        let january = r.as_of_date(date(2026, 3, 31), &japan())?;
        assert_eq!(january.assets(&Filter::default())?.len(), 1);
        Ok(())
    }
}
