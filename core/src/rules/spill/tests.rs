//! Issue 17: the streamed check finds what the check in memory finds, in
//! the same order and bytes, however small its buffer (every finding
//! spilled, runs merged past their bound).

use jiff::civil::Date;

use crate::error::Result;
use crate::model::{AssetFields, AssetName, Classification, Kind, Link, Relation};
use crate::policy::Policy;
use crate::query::Filter;
use crate::register::Register;
use crate::rules::{CheckOptions, FindingUpdate, NewException, Report, RuleId, StreamedReport};

fn day(y: i16, m: i8, d: i8) -> Date {
    Date::new(y, m, d).unwrap()
}

/// A register of a few hundred assets in three organizations and two
/// departments, with names repeated (findings alike but for the asset's
/// id), links, an exception, and tracked findings overdue.
fn city(dir: &std::path::Path) -> Result<Register> {
    let mut r = Register::create_as(dir.join("r.daicho"), &Policy::niigata(), "tester")?;
    let policy = r.policy().clone();
    let mut ids = Vec::new();
    for i in 0..240_usize {
        let org = policy.organizations()[i % 3].code.clone();
        let kind = if i % 4 == 0 {
            Kind::NetworkSystem
        } else {
            Kind::Information
        };
        let class = Classification::parse(&policy, if i % 5 == 0 { "3A" } else { "2" }, "1", "1")?;
        let name = AssetName::new(format!("資産{}", i % 50))?;
        let mut f = AssetFields::new(kind, name, org, class);
        if i % 3 != 0 {
            f.manager = Some("課長".to_owned());
        }
        if i % 7 != 0 {
            f.reviewed_on = Some(day(2020 + (i % 6) as i16, 4, 1));
        }
        f.department = if i % 2 == 0 { "総務課" } else { "税務課" }.to_owned();
        ids.push(r.add(f)?.id);
    }
    for i in (1..240).step_by(4) {
        r.link(Link::new(ids[i], Relation::StoredOn, ids[i - 1]))?;
    }
    r.add_exception(NewException {
        rule: RuleId::ManagerMissing,
        asset: ids[3],
        related: None,
        reason: "後任の着任待ち".to_owned(),
        approver: "CISO".to_owned(),
        approved_on: day(2026, 4, 1),
        expires_on: None,
        conditions: None,
    })?;
    r.record_check(&CheckOptions::default().with_today(day(2026, 4, 1)))?;
    for f in r.findings()?.iter().step_by(3) {
        r.set_finding(
            &f.key,
            &FindingUpdate {
                due_on: Some(Some(day(2026, 4, 30))),
                ..FindingUpdate::default()
            },
        )?;
    }
    Ok(r)
}

fn streamed_findings(report: &StreamedReport) -> Result<Vec<crate::rules::Finding>> {
    let mut findings = Vec::new();
    report.for_each_finding(|f| {
        findings.push(f.clone());
        Ok::<(), crate::error::Error>(())
    })?;
    Ok(findings)
}

fn same(report: &Report, streamed: &StreamedReport) -> Result<()> {
    let findings = streamed_findings(streamed)?;
    assert_eq!(findings, report.findings);
    for severity in [
        crate::rules::Severity::Error,
        crate::rules::Severity::Warning,
        crate::rules::Severity::Info,
    ] {
        assert_eq!(streamed.count(severity), report.count(severity));
    }
    assert_eq!(streamed.worst(), report.worst());
    assert_eq!(streamed.excluded, report.excluded);
    assert_eq!(
        (
            streamed.checked,
            streamed.disposed,
            streamed.links,
            streamed.head
        ),
        (report.checked, report.disposed, report.links, report.head)
    );
    let json = serde_json::to_string_pretty(&crate::wire::ReportStream(report)).unwrap();
    let streamed_json =
        serde_json::to_string_pretty(&crate::wire::StreamedReportRecord(streamed)).unwrap();
    assert_eq!(streamed_json, json);
    // A second pass reads the same findings again.
    assert_eq!(streamed_findings(streamed)?, findings);
    Ok(())
}

#[test]
fn the_streamed_check_is_the_check_whatever_its_buffer() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let r = city(dir.path())?;
    let options = CheckOptions::default().with_today(day(2026, 5, 10));
    let report = r.check(&options)?;
    assert!(report.findings.len() > 300, "{}", report.findings.len());
    assert!(report.of_rule(RuleId::CorrectionOverdue).count() > 10);
    assert!(report.findings.iter().any(|f| f.exception.is_some()));
    // In memory; a few findings a run; one finding a run (past 64 runs,
    // merged into one).
    for limit in [usize::MAX, 4_000, 1] {
        same(&report, &r.check_streamed_with(&options, None, limit)?)?;
    }
    assert_eq!(
        streamed_findings(&r.check_streamed(&options, None)?)?,
        report.findings
    );
    Ok(())
}

#[test]
fn the_streamed_check_of_a_department_is_check_where() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let r = city(dir.path())?;
    let options = CheckOptions::default().with_today(day(2026, 5, 10));
    let filter = Filter {
        department: Some("税務課".to_owned()),
        ..Filter::default()
    };
    let report = r.check_where(&options, &filter)?;
    assert!(!report.findings.is_empty());
    assert!(report.findings.len() < r.check(&options)?.findings.len());
    for limit in [usize::MAX, 1] {
        same(
            &report,
            &r.check_streamed_with(&options, Some(&filter), limit)?,
        )?;
    }
    Ok(())
}

#[test]
fn a_streamed_run_records_what_a_run_in_memory_records() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let mut memory = city(dir.path())?;
    // Fixed since the first run: resolved by the next.
    for asset in memory.assets(&Filter::default())?.into_iter().take(30) {
        let mut fields = asset.fields.clone();
        fields.manager = Some("課長".to_owned());
        memory.update(asset.id, asset.version, fields)?;
    }
    memory.backup(dir.path().join("copy.daicho"))?;
    let mut streamed = Register::open(dir.path().join("copy.daicho"))?;
    streamed.set_actor("tester")?;
    let options = CheckOptions::default().with_today(day(2026, 5, 10));
    let (report, run) = memory.record_check(&options)?;
    let (streamed_report, streamed_run) = streamed.record_with(
        &options,
        |r| r.check_streamed_with(&options, None, 1),
        |_, _| Ok::<(), crate::error::Error>(()),
    )?;
    assert_eq!(streamed_findings(&streamed_report)?, report.findings);
    assert!(run.resolved > 0 && run.new > 0, "{run:?}");
    assert_eq!(
        (
            streamed_run.counts,
            streamed_run.new,
            streamed_run.reopened,
            streamed_run.resolved
        ),
        (run.counts, run.new, run.reopened, run.resolved)
    );
    assert_eq!(streamed.findings()?, memory.findings()?);
    for r in [&memory, &streamed] {
        assert!(r.verify()?.is_ok(), "{:?}", r.verify()?.problems());
    }
    Ok(())
}

/// Thousands of runs: the runs written since the last merge are merged as
/// they reach the bound, and every run once the merged ones pile up; the
/// merge gives every finding once, in report order.
#[test]
fn a_sorter_of_thousands_of_runs_gives_every_finding_in_order() -> Result<()> {
    use super::{Emitted, Sorter, Source, merge, report_order};
    let dir = tempfile::tempdir().unwrap();
    let snapshot = city(dir.path())?.snapshot()?;
    let n = snapshot.nodes.len() as u64;
    let mut state = 7_u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        state >> 33
    };
    let findings: Vec<Emitted> = (0..4_500_u64)
        .map(|order| Emitted {
            rule: RuleId::ALL[(next() % 5) as usize],
            severity: crate::rules::Severity::Warning,
            org: (next() % 3) as u16,
            assets: vec![(next() % n) as u32, (next() % n) as u32],
            subject: None,
            message_ja: format!("指摘 {}", next() % 10),
            message_en: format!("finding {}", next() % 10),
            exception: (order % 7 == 0).then_some(order as i64),
            order,
        })
        .collect();
    let mut sorter = Sorter::new(Some(1));
    for f in &findings {
        sorter.push(&snapshot, f.clone());
    }
    let (runs, tail) = sorter.finish(&snapshot)?;
    assert!(runs.len() < super::MAX_RUNS, "{} runs", runs.len());
    let mut sources = runs.iter().map(Source::run).collect::<Result<Vec<_>>>()?;
    sources.push(Source::Memory(tail.into_iter()));
    let mut merged = Vec::new();
    merge(&snapshot, sources, |f| {
        merged.push(f);
        Ok::<(), crate::error::Error>(())
    })?;
    let mut expected = findings;
    expected.sort_by(|a, b| report_order(&snapshot, a, b));
    assert_eq!(merged, expected);
    Ok(())
}

#[test]
fn reading_the_findings_again_from_inside_a_reading_is_refused() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let r = city(dir.path())?;
    let report = r.check_streamed_with(
        &CheckOptions::default().with_today(day(2026, 5, 10)),
        None,
        1,
    )?;
    let mut inner = None;
    report.for_each_finding(|_| {
        if inner.is_none() {
            inner = Some(report.for_each_finding(|_| Ok::<(), crate::error::Error>(())));
        }
        Ok::<(), crate::error::Error>(())
    })?;
    let refused = inner.expect("one finding at least").unwrap_err();
    assert!(refused.to_string().contains("findings"), "{refused}");
    // Once done, it reads again.
    assert_eq!(streamed_findings(&report)?.len(), report.len());
    Ok(())
}

/// `explain` keeps only the asset's findings as they are found: the same
/// as the whole check's findings that name it, in the same order.
#[test]
fn an_explanation_names_the_findings_of_the_whole_check_that_name_its_asset() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let r = city(dir.path())?;
    let options = CheckOptions::default().with_today(day(2026, 5, 10));
    let snapshot = r.snapshot()?;
    let report = snapshot.check(&options);
    let mut named = 0;
    for asset in r.assets(&Filter::default())?.iter().step_by(7) {
        let expected: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.assets.iter().any(|a| a.id == asset.id))
            .cloned()
            .collect();
        named += expected.len();
        assert_eq!(snapshot.explain(asset.id, &options)?.findings, expected);
    }
    assert!(named > 20, "{named}");
    Ok(())
}
