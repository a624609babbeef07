//! Issue 16, items 2 and 4: findings tracked to correction (是正), and the
//! 特定個人情報保護評価 helper; on registers in temporary files, through the API.

use jiff::civil::Date;

use crate::audit::Action;
use crate::error::Result;
use crate::model::{AssetFields, AssetId, AssetName, Classification, Extra, Kind, Segment};
use crate::policy::PiaKind::{self, Basic, Focused, Full};
use crate::policy::Policy;
use crate::register::Register;
use crate::rules::{
    CheckOptions, Evaluation, FindingStatus, FindingUpdate, NewException, NewProcess, PiaVerdict,
    ProcessChange, RuleId, Severity,
};

fn day(y: i16, m: i8, d: i8) -> Date {
    Date::new(y, m, d).unwrap()
}

fn on(date: Date) -> CheckOptions {
    CheckOptions::default().with_today(date)
}

struct City {
    _dir: tempfile::TempDir,
    r: Register,
}

impl City {
    fn new() -> City {
        let dir = tempfile::tempdir().unwrap();
        let r =
            Register::create_as(dir.path().join("r.daicho"), &Policy::niigata(), "tester").unwrap();
        City { _dir: dir, r }
    }

    /// An information asset, managed, reviewed and with every control.
    fn fields(&self, name: &str) -> AssetFields {
        let policy = self.r.policy();
        let class = Classification::parse(policy, "3C", "1", "1").unwrap();
        let org = policy.organizations()[0].code.clone();
        let mut f = AssetFields::new(Kind::Information, AssetName::new(name).unwrap(), org, class);
        f.manager = Some("m".to_owned());
        f.reviewed_on = Some(day(2026, 6, 1));
        f.controls = policy.controls().iter().map(|c| c.code.clone()).collect();
        f
    }

    /// A file of 特定個人情報 of `count` persons in the My Number segment,
    /// belonging to the 事務 `process`.
    fn file(&mut self, name: &str, count: u64, process: &str) -> AssetId {
        let mut f = self.fields(name);
        f.segment = Some(Segment::MyNumber);
        f.personal_data.personal = true;
        f.personal_data.my_number = true;
        f.record_count = Some(count);
        let mut extra = Extra::new();
        extra.insert("事務", process);
        f.extra = extra;
        self.r.add(f).unwrap().id
    }
}

/// Acceptance: a finding fixed between two recorded runs is resolved with
/// the second run's date; its status history is in the audit log.
#[test]
fn a_finding_fixed_between_two_runs_is_resolved_on_the_second_runs_date() -> Result<()> {
    let mut city = City::new();
    let mut f = city.fields("住民票写し");
    f.manager = None;
    let asset = city.r.add(f)?;
    let (report, first) = city.r.record_check(&on(day(2026, 4, 1)))?;
    assert_eq!(first.new, report.findings.len());
    let key = format!("manager.missing:{}", asset.id);
    let tracked = city.r.finding(&key)?;
    assert_eq!(tracked.status, FindingStatus::Open);
    assert_eq!(tracked.first_seen, day(2026, 4, 1));
    assert_eq!(tracked.assets, vec![asset.id]);

    let set = city.r.set_finding(
        &key,
        &FindingUpdate {
            status: Some("是正中".parse()?),
            owner: Some("総務課 佐藤".to_owned()),
            due_on: Some(Some(day(2026, 6, 30))),
        },
    )?;
    assert_eq!(set.status, FindingStatus::InProgress);

    let mut fixed = asset.fields.clone();
    fixed.manager = Some("総務課長".to_owned());
    city.r.update(asset.id, asset.version, fixed)?;
    let (_, second) = city.r.record_check(&on(day(2026, 5, 10)))?;
    assert_eq!(second.resolved, 1);
    let resolved = city.r.finding(&key)?;
    assert_eq!(resolved.status, FindingStatus::Resolved);
    assert_eq!(resolved.resolved_on, Some(day(2026, 5, 10)));
    assert_eq!(resolved.last_seen, day(2026, 4, 1));

    // open → in_progress → resolved, each an entry of the log.
    let statuses: Vec<String> = city
        .r
        .finding_history(&key)?
        .iter()
        .map(|e| {
            let after: serde_json::Value =
                serde_json::from_str(e.after.as_deref().unwrap()).unwrap();
            after["status"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(statuses, ["open", "in_progress", "resolved"]);
    assert_eq!(city.r.runs()?.len(), 2);
    assert!(
        city.r.verify()?.is_ok(),
        "{:?}",
        city.r.verify()?.problems()
    );
    Ok(())
}

#[test]
fn a_resolved_finding_reopens_when_it_comes_back_and_an_exception_covers_one() -> Result<()> {
    let mut city = City::new();
    let mut f = city.fields("申請書");
    f.manager = None;
    let asset = city.r.add(f)?;
    let key = format!("manager.missing:{}", asset.id);
    city.r.record_check(&on(day(2026, 4, 1)))?;
    let mut fixed = city.r.get(asset.id)?;
    fixed.fields.manager = Some("課長".to_owned());
    let fixed = city.r.update(asset.id, fixed.version, fixed.fields)?;
    city.r.record_check(&on(day(2026, 5, 1)))?;
    assert_eq!(city.r.finding(&key)?.status, FindingStatus::Resolved);

    let mut again = fixed.fields.clone();
    again.manager = None;
    city.r.update(asset.id, fixed.version, again)?;
    let (_, run) = city.r.record_check(&on(day(2026, 6, 1)))?;
    assert_eq!(run.reopened, 1);
    let reopened = city.r.finding(&key)?;
    assert_eq!(
        (reopened.status, reopened.resolved_on, reopened.last_seen),
        (FindingStatus::Open, None, day(2026, 6, 1))
    );
    assert_eq!(reopened.first_seen, day(2026, 4, 1));

    city.r.add_exception(NewException {
        rule: RuleId::ManagerMissing,
        asset: asset.id,
        related: None,
        reason: "後任の着任待ち".to_owned(),
        approver: "CISO".to_owned(),
        approved_on: day(2026, 6, 1),
        expires_on: None,
        conditions: None,
    })?;
    city.r.record_check(&on(day(2026, 6, 2)))?;
    assert_eq!(city.r.finding(&key)?.status, FindingStatus::Excepted);
    assert!(
        city.r.verify()?.is_ok(),
        "{:?}",
        city.r.verify()?.problems()
    );
    Ok(())
}

#[test]
fn an_overdue_correction_is_a_finding_of_its_own() -> Result<()> {
    let mut city = City::new();
    let mut f = city.fields("台帳");
    f.manager = None;
    let asset = city.r.add(f)?;
    city.r.record_check(&on(day(2026, 4, 1)))?;
    let key = format!("manager.missing:{}", asset.id);
    city.r.set_finding(
        &key,
        &FindingUpdate {
            due_on: Some(Some(day(2026, 4, 30))),
            ..FindingUpdate::default()
        },
    )?;
    let before = city.r.check(&on(day(2026, 4, 30)))?;
    assert_eq!(before.of_rule(RuleId::CorrectionOverdue).count(), 0);
    let after = city.r.check(&on(day(2026, 5, 1)))?;
    let overdue: Vec<_> = after.of_rule(RuleId::CorrectionOverdue).collect();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].severity, Severity::Warning);
    assert!(overdue[0].message_ja.contains("2026-04-30"));
    assert!(city.r.finding(&key)?.is_overdue(day(2026, 5, 1)));
    Ok(())
}

#[test]
fn bad_updates_and_runs_are_refused_with_the_reason() -> Result<()> {
    let mut city = City::new();
    let mut f = city.fields("文書");
    f.manager = None;
    city.r.add(f)?;
    city.r.record_check(&on(day(2026, 4, 1)))?;
    let early = city.r.record_check(&on(day(2026, 3, 31))).unwrap_err();
    assert!(early.to_string().contains("2026-04-01"), "{early}");
    let resolved = city.r.set_finding(
        "1",
        &FindingUpdate {
            status: Some(FindingStatus::Resolved),
            ..FindingUpdate::default()
        },
    );
    assert!(resolved.unwrap_err().to_string().contains("recorded run"));
    assert!(city.r.finding("no.such:rule").is_err());
    assert!("done".parse::<FindingStatus>().is_err());
    let first = "27182818284";
    let my_number = format!("{first}{}", crate::mynumber::check_digit(first).unwrap());
    let number = city.r.set_finding(
        "#1",
        &FindingUpdate {
            owner: Some(format!("担当 {my_number}")),
            ..FindingUpdate::default()
        },
    );
    assert!(
        number.is_err(),
        "a number shaped like a 個人番号 is refused"
    );
    Ok(())
}

/// `pia` on a register: the figures come from the files, or from the
/// stated figure; each boundary of the judgment is in `policy::pia`.
#[test]
fn each_process_gets_the_evaluation_its_figures_require() -> Result<()> {
    let mut city = City::new();
    let today = day(2026, 12, 1);
    for (name, persons, handlers) in [
        ("A 事務", 999, 0),
        ("B 事務", 1_000, 0),
        ("C 事務", 9_999, 600),
        ("D 事務", 10_000, 499),
        ("E 事務", 10_000, 500),
        ("F 事務", 99_999, 0),
        ("G 事務", 100_000, 0),
        ("H 事務", 299_999, 500),
        ("I 事務", 300_000, 0),
    ] {
        city.file(&format!("{name}ファイル"), persons, name);
        city.file(&format!("{name}の写し"), persons / 2, name);
        city.r.add_process(&NewProcess {
            name: name.to_owned(),
            handlers,
            ..NewProcess::default()
        })?;
    }
    let report = city.r.pia(today)?;
    let required: Vec<(u64, Option<PiaKind>)> = report
        .entries
        .iter()
        .map(|e| (e.need.persons.unwrap(), e.need.required))
        .collect();
    assert_eq!(
        required,
        [
            (999, None),
            (1_000, Some(Basic)),
            (9_999, Some(Basic)),
            (10_000, Some(Basic)),
            (10_000, Some(Focused)),
            (99_999, Some(Basic)),
            (100_000, Some(Focused)),
            (299_999, Some(Full)),
            (300_000, Some(Full)),
        ]
    );
    assert_eq!(report.entries[1].files.len(), 2);
    assert_eq!(report.entries[1].verdict, PiaVerdict::Missing);
    assert!(report.unassigned.is_empty() && report.unknown.is_empty());

    // A stated figure wins over the files' 件数; a 重大事故 in the last year
    // raises the need.
    let f = city.r.set_process(
        "f 事務",
        &ProcessChange {
            incident_on: Some(Some(day(2026, 1, 15))),
            ..ProcessChange::default()
        },
    )?;
    let a = city.r.set_process(
        "#1",
        &ProcessChange {
            stated_persons: Some(Some(20_000)),
            ..ProcessChange::default()
        },
    )?;
    let report = city.r.pia(today)?;
    assert_eq!(
        report.entries[(f.id - 1) as usize].need.required,
        Some(Focused)
    );
    assert_eq!(
        report.entries[(a.id - 1) as usize].need.persons,
        Some(20_000)
    );
    assert!(
        city.r.verify()?.is_ok(),
        "{:?}",
        city.r.verify()?.problems()
    );
    Ok(())
}

#[test]
fn missing_insufficient_and_stale_evaluations_are_findings() -> Result<()> {
    let mut city = City::new();
    let today = day(2026, 12, 1);
    let big = city.file("住民記録", 312_540, "住民基本台帳事務");
    city.file("税台帳", 150_000, "個人住民税事務");
    city.file("手当台帳", 20_000, "児童手当事務");
    let evaluation = |kind, published_on| {
        Some(Evaluation {
            kind,
            document: "評価書番号 1".to_owned(),
            published_on,
        })
    };
    city.r.add_process(&NewProcess {
        name: "住民基本台帳事務".to_owned(),
        handlers: 800,
        ..NewProcess::default()
    })?;
    city.r.add_process(&NewProcess {
        name: "個人住民税事務".to_owned(),
        handlers: 120,
        evaluation: evaluation(PiaKind::Basic, day(2024, 4, 1)),
        ..NewProcess::default()
    })?;
    city.r.add_process(&NewProcess {
        name: "児童手当事務".to_owned(),
        handlers: 40,
        evaluation: evaluation(PiaKind::Focused, day(2021, 11, 30)),
        ..NewProcess::default()
    })?;
    let report = city.r.check(&on(today))?;
    let missing: Vec<_> = report.of_rule(RuleId::PiaMissing).collect();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].assets[0].id, big);
    assert!(missing[0].message_ja.contains("全項目評価"));
    assert_eq!(missing[0].section, "番号法§27・§28");
    assert_eq!(report.of_rule(RuleId::PiaInsufficient).count(), 1);
    let stale: Vec<_> = report.of_rule(RuleId::PiaStale).collect();
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].severity, Severity::Warning);

    city.r.set_process(
        "住民基本台帳事務",
        &ProcessChange {
            evaluation: Some(evaluation(PiaKind::Full, day(2026, 3, 1))),
            ..ProcessChange::default()
        },
    )?;
    let report = city.r.check(&on(today))?;
    assert_eq!(report.of_rule(RuleId::PiaMissing).count(), 0);
    let verdicts: Vec<PiaVerdict> = city
        .r
        .pia(today)?
        .entries
        .iter()
        .map(|e| e.verdict)
        .collect();
    assert_eq!(
        verdicts,
        [
            PiaVerdict::Done,
            PiaVerdict::Insufficient,
            PiaVerdict::Stale
        ]
    );
    let logged = city.r.db().entries_of_action(Action::Pia.code())?.len();
    assert_eq!(logged, 4);
    Ok(())
}

#[test]
fn process_names_are_matched_folded_and_unknown_ones_are_listed() -> Result<()> {
    let mut city = City::new();
    city.file("国保台帳", 5_000, "国民健康保険事務；介護保険事務");
    city.file("誤記", 10, "国民健康保健事務");
    let mut lost = city.fields("宛先なし");
    lost.segment = Some(Segment::MyNumber);
    lost.personal_data.personal = true;
    lost.personal_data.my_number = true;
    city.r.add(lost)?;
    city.r.add_process(&NewProcess {
        name: "国民健康保険事務".to_owned(),
        ..NewProcess::default()
    })?;
    city.r.add_process(&NewProcess {
        name: "介護保険事務".to_owned(),
        ..NewProcess::default()
    })?;
    let duplicate = city.r.add_process(&NewProcess {
        name: "国民健康保険事務 ".to_owned(),
        ..NewProcess::default()
    });
    assert!(duplicate.is_err());
    let future = city.r.add_process(&NewProcess {
        name: "未来".to_owned(),
        incident_on: Some(day(2999, 1, 1)),
        ..NewProcess::default()
    });
    assert!(future.is_err());
    let report = city.r.pia(day(2026, 12, 1))?;
    assert_eq!(report.entries[0].files.len(), 1);
    assert_eq!(report.entries[1].files.len(), 1);
    assert_eq!(report.unknown.len(), 1);
    assert_eq!(report.unknown[0].named, "国民健康保健事務");
    assert_eq!(report.unassigned.len(), 1);
    assert_eq!(report.unassigned[0].name, "宛先なし");
    Ok(())
}

/// The review's defects of the first version (issue 16, items 2 and 4).
mod review {
    use super::*;
    use crate::rules::{KeySubject, Subject};

    fn process(city: &mut City, name: &str, handlers: u64, persons: Option<u64>) -> i64 {
        city.r
            .add_process(&NewProcess {
                name: name.to_owned(),
                handlers,
                stated_persons: persons,
                ..NewProcess::default()
            })
            .unwrap()
            .id
    }

    /// 1: a 事務 with no file in use is a finding on the 事務, tracked by its
    /// number.
    #[test]
    fn a_process_without_files_is_a_finding_on_the_process() -> Result<()> {
        let mut city = City::new();
        let id = process(&mut city, "丙事務", 10, Some(500_000));
        let report = city.r.check(&on(day(2026, 5, 1)))?;
        let missing: Vec<_> = report.of_rule(RuleId::PiaMissing).collect();
        assert_eq!(missing.len(), 1, "{:?}", report.findings);
        assert!(missing[0].assets.is_empty());
        assert_eq!(
            missing[0].subject,
            Some(Subject::Process {
                id,
                name: "丙事務".to_owned()
            })
        );
        assert!(missing[0].message_ja.contains("全項目評価"));
        city.r.record_check(&on(day(2026, 5, 1)))?;
        let tracked = city
            .r
            .finding(&format!("pia.evaluation_missing:process-{id}"))?;
        assert_eq!(tracked.subject, Some(KeySubject::Process(id)));
        assert!(tracked.assets.is_empty());
        assert!(
            city.r.verify()?.is_ok(),
            "{:?}",
            city.r.verify()?.problems()
        );
        Ok(())
    }

    /// 1: a renamed 事務 is carried to its files' `事務` attribute, each
    /// through the write path with an audit entry.
    #[test]
    fn a_renamed_process_is_carried_to_its_files() -> Result<()> {
        let mut city = City::new();
        let file = city.file("住基ファイル", 5_000, "乙事務；住民基本台帳事務");
        let other = city.file("別ファイル", 10, "乙事務");
        process(&mut city, "住民基本台帳事務", 1, None);
        let entries = city.r.history(file)?.len();
        city.r.set_process(
            "住民基本台帳事務",
            &ProcessChange {
                name: Some("住民基本台帳に関する事務".to_owned()),
                ..ProcessChange::default()
            },
        )?;
        let renamed = city.r.get(file)?;
        assert_eq!(
            renamed.fields.extra.get("事務"),
            Some("乙事務；住民基本台帳に関する事務")
        );
        assert_eq!(city.r.history(file)?.len(), entries + 1);
        assert_eq!(city.r.get(other)?.fields.extra.get("事務"), Some("乙事務"));
        let report = city.r.pia(day(2026, 5, 1))?;
        assert_eq!(report.entries[0].files.len(), 1);
        assert!(
            city.r.verify()?.is_ok(),
            "{:?}",
            city.r.verify()?.problems()
        );
        Ok(())
    }

    /// 2: one file of two 事務 gives two tracked findings; the key stays when
    /// another file becomes the largest, so the owner and due date stay.
    #[test]
    fn process_findings_are_keyed_by_the_process() -> Result<()> {
        let mut city = City::new();
        city.file("共通ファイル", 5_000, "甲事務;乙事務");
        let a = process(&mut city, "甲事務", 1, None);
        let b = process(&mut city, "乙事務", 1, None);
        let (report, run) = city.r.record_check(&on(day(2026, 4, 1)))?;
        assert_eq!(report.of_rule(RuleId::PiaMissing).count(), 2);
        assert_eq!(run.new, report.findings.len());
        for id in [a, b] {
            city.r
                .finding(&format!("pia.evaluation_missing:process-{id}"))?;
        }
        let key = format!("pia.evaluation_missing:process-{a}");
        city.r.set_finding(
            &key,
            &FindingUpdate {
                owner: Some("佐藤".to_owned()),
                ..FindingUpdate::default()
            },
        )?;
        city.file("大きいファイル", 9_000, "甲事務");
        let (_, run) = city.r.record_check(&on(day(2026, 4, 2)))?;
        assert_eq!(run.resolved, 0);
        let tracked = city.r.finding(&key)?;
        assert_eq!(tracked.owner.as_deref(), Some("佐藤"));
        assert_eq!(tracked.last_seen, day(2026, 4, 2));
        let pia = city
            .r
            .findings()?
            .into_iter()
            .filter(|f| f.rule == RuleId::PiaMissing)
            .count();
        assert_eq!(pia, 2);
        Ok(())
    }

    /// 2: `correction.overdue` is keyed by the tracked finding, so two
    /// overdue findings on one asset are two.
    #[test]
    fn overdue_corrections_are_keyed_by_the_tracked_finding() -> Result<()> {
        let mut city = City::new();
        let mut f = city.fields("二重の指摘");
        f.manager = None;
        f.reviewed_on = None;
        city.r.add(f)?;
        let (report, _) = city.r.record_check(&on(day(2026, 4, 1)))?;
        assert!(report.findings.len() >= 2);
        for f in city.r.findings()? {
            city.r.set_finding(
                &f.key,
                &FindingUpdate {
                    due_on: Some(Some(day(2026, 4, 30))),
                    ..FindingUpdate::default()
                },
            )?;
        }
        let tracked = city.r.findings()?.len();
        let (report, run) = city.r.record_check(&on(day(2026, 5, 10)))?;
        let overdue: Vec<_> = report.of_rule(RuleId::CorrectionOverdue).collect();
        assert_eq!(overdue.len(), tracked);
        assert_eq!(run.new, tracked);
        let first = &city.r.findings()?[0];
        let key = format!("correction.overdue:finding-{}", first.id);
        assert_eq!(
            city.r.finding(&key)?.subject,
            Some(KeySubject::Finding(first.id))
        );
        // An overdue finding is never itself overdue.
        city.r.set_finding(
            &key,
            &FindingUpdate {
                due_on: Some(Some(day(2026, 5, 11))),
                ..FindingUpdate::default()
            },
        )?;
        let (report, _) = city.r.record_check(&on(day(2026, 5, 20)))?;
        assert_eq!(report.of_rule(RuleId::CorrectionOverdue).count(), tracked);
        Ok(())
    }

    /// 2: two findings of one run with one key are a bug, stopped in a debug
    /// build.
    #[test]
    #[cfg_attr(debug_assertions, should_panic(expected = "two findings of one run"))]
    fn a_duplicate_key_within_a_run_is_a_bug() {
        let mut city = City::new();
        let mut f = city.fields("重複");
        f.manager = None;
        city.r.add(f).unwrap();
        let report = city.r.check(&on(day(2026, 4, 1))).unwrap();
        let mut findings = report.findings.clone();
        findings.push(findings[0].clone());
        let refused = crate::rules::correction::unique_keys(&findings);
        assert!(refused.is_err());
        assert!(crate::rules::correction::unique_keys(&report.findings).is_ok());
        panic!("two findings of one run: refused in a release build");
    }

    /// 3: the run that resolves a finding opens no overdue finding for it.
    #[test]
    fn the_run_that_resolves_a_finding_does_not_find_it_overdue() -> Result<()> {
        let mut city = City::new();
        let mut f = city.fields("直した資産");
        f.manager = None;
        let asset = city.r.add(f)?;
        city.r.record_check(&on(day(2026, 4, 1)))?;
        let key = format!("manager.missing:{}", asset.id);
        city.r.set_finding(
            &key,
            &FindingUpdate {
                due_on: Some(Some(day(2026, 4, 30))),
                ..FindingUpdate::default()
            },
        )?;
        let mut fixed = asset.fields.clone();
        fixed.manager = Some("課長".to_owned());
        city.r.update(asset.id, asset.version, fixed)?;
        let (report, run) = city.r.record_check(&on(day(2026, 5, 10)))?;
        assert_eq!(report.of_rule(RuleId::CorrectionOverdue).count(), 0);
        assert_eq!((run.resolved, run.new), (1, 0));
        assert_eq!(city.r.finding(&key)?.status, FindingStatus::Resolved);
        Ok(())
    }

    /// 4: an unknown 対象人数 is its own verdict, and a warning.
    #[test]
    fn unknown_persons_are_a_verdict_and_a_warning() -> Result<()> {
        let mut city = City::new();
        process(&mut city, "丁事務", 10, None);
        let report = city.r.pia(day(2026, 5, 1))?;
        assert_eq!(report.entries[0].verdict, PiaVerdict::PersonsUnknown);
        assert_eq!(report.entries[0].verdict.label_ja(), "対象人数不明");
        let check = city.r.check(&on(day(2026, 5, 1)))?;
        let unknown: Vec<_> = check.of_rule(RuleId::PiaPersonsUnknown).collect();
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].severity, Severity::Warning);
        Ok(())
    }

    /// 5: a run cannot be recorded for a date after today in Japan.
    #[test]
    fn a_run_after_today_is_refused() -> Result<()> {
        let mut city = City::new();
        let tomorrow = crate::parse::today_in_japan().tomorrow().unwrap();
        let refused = city.r.record_check(&on(tomorrow)).unwrap_err();
        assert!(refused.to_string().contains("after today"), "{refused}");
        assert!(city.r.runs()?.is_empty());
        city.r.record_check(&on(crate::parse::today_in_japan()))?;
        Ok(())
    }

    /// 6: names one lookup cannot tell apart are refused, inside the write
    /// transaction and by the table's constraint alike.
    #[test]
    fn process_names_differing_in_width_or_case_are_one_name() -> Result<()> {
        let mut city = City::new();
        process(&mut city, "ＡＢＣ事務", 1, None);
        for name in ["abc事務", "ABC 事務"] {
            let refused = city
                .r
                .add_process(&NewProcess {
                    name: name.to_owned(),
                    ..NewProcess::default()
                })
                .unwrap_err();
            assert!(refused.is_user_error(), "{refused}");
        }
        let id = process(&mut city, "他の事務", 1, None);
        let renamed = city.r.set_process(
            &id.to_string(),
            &ProcessChange {
                name: Some("Abc事務".to_owned()),
                ..ProcessChange::default()
            },
        );
        assert!(renamed.unwrap_err().is_user_error());
        // The constraint, as a second writer would meet it.
        let mut row = city.r.db().process(1)?.unwrap();
        row.name = "abc事務".to_owned();
        let refused = city.r.db().insert_process(&row).unwrap_err();
        assert!(
            matches!(refused, crate::Error::Invalid { field: "name", .. }),
            "{refused:?}"
        );
        Ok(())
    }

    /// 7: 対象人数 counts only files of 特定個人情報.
    #[test]
    fn persons_come_from_my_number_files_only() -> Result<()> {
        let mut city = City::new();
        city.file("番号ファイル", 900, "戊事務");
        let mut plain = city.fields("一般ファイル");
        plain.record_count = Some(50_000);
        let mut extra = Extra::new();
        extra.insert("事務", "戊事務");
        plain.extra = extra;
        city.r.add(plain)?;
        process(&mut city, "戊事務", 1, None);
        let report = city.r.pia(day(2026, 5, 1))?;
        assert_eq!(report.entries[0].need.persons, Some(900));
        assert_eq!(report.entries[0].verdict, PiaVerdict::NotRequired);
        Ok(())
    }

    /// 8: a name holding a separator of the `事務` attribute is refused.
    #[test]
    fn process_names_with_a_separator_are_refused() {
        let mut city = City::new();
        for name in ["甲、乙事務", "甲;乙", "甲；乙"] {
            let refused = city
                .r
                .add_process(&NewProcess {
                    name: name.to_owned(),
                    ..NewProcess::default()
                })
                .unwrap_err();
            assert!(refused.to_string().contains("separates"), "{refused}");
        }
    }

    /// 9: a report that cannot be rendered before the run commits leaves
    /// no run recorded.
    #[test]
    fn a_report_that_cannot_be_rendered_records_no_run() -> Result<()> {
        let mut city = City::new();
        let mut f = city.fields("書けない報告");
        f.manager = None;
        city.r.add(f)?;
        let head = city.r.head()?;
        let refused = city
            .r
            .record_check_then(&on(day(2026, 4, 1)), |report, run| {
                assert!(!report.findings.is_empty());
                assert_eq!(run.id, 1);
                Err(crate::Error::Busy)
            });
        assert!(matches!(refused, Err(crate::Error::Busy)));
        assert!(city.r.runs()?.is_empty());
        assert!(city.r.findings()?.is_empty());
        assert_eq!(city.r.head()?, head);
        Ok(())
    }
}
