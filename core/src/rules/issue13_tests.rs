//! Issue 13: the self-inspection as an auditor reads the policy. One test
//! per item of the issue's "Why", each reproducing what main accepted; they
//! run on a register in memory, through the API.

use jiff::civil::Date;

use crate::error::{Error, Result};
use crate::model::{
    AssetFields, AssetId, AssetName, Classification, Disposal, HostingKind, Kind, Link, Medium,
    Relation, Sanitization, Scope, Segment,
};
use crate::policy::{Axis, Policy};
use crate::register::Register;
use crate::rules::{CheckOptions, NewException, Report, RuleId, Severity};

fn today() -> Date {
    Date::new(2026, 11, 25).unwrap()
}

fn options() -> CheckOptions {
    CheckOptions::default().with_today(today())
}

struct City {
    r: Register,
}

impl City {
    fn new() -> City {
        City::with(&Policy::niigata())
    }

    fn with(policy: &Policy) -> City {
        City {
            r: crate::test_backend::register(policy).unwrap(),
        }
    }

    /// An asset reviewed and managed, with every control of the policy.
    fn fields(&self, kind: Kind, name: &str, org: &str, c: &str) -> AssetFields {
        let policy = self.r.policy();
        let class = Classification::parse(policy, c, "1", "1").unwrap();
        let org = policy.organization(org).unwrap().code.clone();
        let mut f = AssetFields::new(kind, AssetName::new(name).unwrap(), org, class);
        f.manager = Some("m".to_owned());
        f.reviewed_on = Some(Date::new(2026, 6, 1).unwrap());
        f.controls = policy.controls().iter().map(|c| c.code.clone()).collect();
        f
    }

    fn add(&mut self, f: AssetFields) -> AssetId {
        self.r.add(f).unwrap().id
    }

    fn link(&mut self, from: AssetId, relation: Relation, to: AssetId) {
        self.r.link(Link::new(from, relation, to)).unwrap();
    }

    fn check(&self) -> Report {
        self.r.check(&options()).unwrap()
    }
}

/// The findings of a rule, as the names of their first assets.
fn named(report: &Report, rule: RuleId) -> Vec<String> {
    report
        .of_rule(rule)
        .map(|f| f.assets[0].name.clone())
        .collect()
}

/// Why 1: a My Number database of 312,540 residents classed 1 passes with no
/// finding, and its risk scores 中 because 重要度 follows the declared class.
#[test]
fn personal_data_sets_a_floor_and_the_importance_follows_it() -> Result<()> {
    let mut city = City::new();
    let mut f = city.fields(Kind::Information, "個人番号DB", "mayor", "1");
    f.segment = Some(Segment::MyNumber);
    f.personal_data.personal = true;
    f.personal_data.my_number = true;
    f.record_count = Some(312_540);
    let db = city.add(f);
    let mut f = city.fields(Kind::Information, "名簿", "mayor", "2");
    f.segment = Some(Segment::Lgwan);
    f.personal_data.sensitive = true;
    city.add(f);
    let report = city.check();
    let floor: Vec<_> = report.of_rule(RuleId::ClassBelowFloor).collect();
    assert_eq!(floor.len(), 2);
    assert_eq!(floor[0].severity, Severity::Error);
    assert!(
        floor
            .iter()
            .any(|f| f.message_ja.contains("特定個人情報を1,000件以上含む")
                && f.message_ja.contains("自治体機密性3B以上"))
    );
    assert!(
        floor
            .iter()
            .any(|f| f.message_en.contains("sensitive personal information"))
    );
    city.r.assess(db, "intentional", 3, 3)?;
    let risks = city.r.risks()?;
    assert_eq!(risks.entries[0].importance, 3);
    assert_eq!(risks.entries[0].band, "high");
    let explanation = city.r.explain(db)?;
    assert_eq!(explanation.axes[0].effective.code(), "3B");
    assert_eq!(
        explanation.axes[0].floor,
        Some(crate::policy::PersonalFact::MyNumber)
    );
    // mic-r5 has floors of its own: 機密性2.
    let mut mic = City::with(&Policy::built_in("mic-r5")?);
    let mut f = mic.fields(Kind::Information, "名簿", "mayor", "1");
    f.personal_data.personal = true;
    mic.add(f);
    let report = mic.check();
    assert!(
        report
            .of_rule(RuleId::ClassBelowFloor)
            .any(|f| f.message_ja.contains("機密性2以上"))
    );
    Ok(())
}

/// Why 2: a 自治体機密性2 LGWAN file with only `copy_restricted` and
/// `secure_disposal` drew nothing under niigata.
#[test]
fn niigata_asks_the_full_handling_restrictions() {
    let mut city = City::new();
    let mut f = city.fields(Kind::Information, "文書", "mayor", "2");
    f.segment = Some(Segment::Lgwan);
    f.medium = Some(Medium::ElectronicFile);
    f.controls = ["copy_restricted", "secure_disposal"]
        .into_iter()
        .map(|c| city.r.policy().control(c).unwrap().code.clone())
        .collect();
    city.add(f);
    // Paper at 3C: no encryption, but the locked case; no integrity lists.
    let mut f = city.fields(Kind::Information, "紙", "mayor", "3C");
    f.medium = Some(Medium::Paper);
    f.classification = Classification::parse(city.r.policy(), "3C", "2", "2").unwrap();
    f.controls = ["copy_restricted", "storage_restricted", "secure_disposal"]
        .into_iter()
        .chain(["offsite_rules", "locked_storage"])
        .map(|c| city.r.policy().control(c).unwrap().code.clone())
        .collect();
    city.add(f);
    let report = city.check();
    let missing: Vec<_> = report.of_rule(RuleId::RequiredControlMissing).collect();
    assert_eq!(missing.len(), 2);
    let file = missing.iter().find(|f| f.assets[0].name == "文書").unwrap();
    for control in [
        "storage_restricted",
        "encryption",
        "trusted_network",
        "offsite_rules",
        "locked_storage",
    ] {
        assert!(file.message_en.contains(control), "{}", file.message_en);
    }
    let paper = missing.iter().find(|f| f.assets[0].name == "紙").unwrap();
    assert!(
        paper.message_en.contains("locked_case"),
        "{}",
        paper.message_en
    );
    assert!(!paper.message_en.contains("encryption"));
    assert!(!paper.message_en.contains("backup"));
    let policy = Policy::niigata();
    let c3c = policy.level_def(Axis::Confidentiality, "3C").unwrap();
    for control in ["no_private_device", "offsite_rules"] {
        assert!(
            c3c.restrictions
                .iter()
                .any(|r| r.control.as_str() == control)
        );
    }
    let i2 = policy.level_def(Axis::Integrity, "2").unwrap();
    assert!(
        i2.restrictions
            .iter()
            .any(|r| r.control.as_str() == "offsite_rules")
    );
}

/// Why 3: only transfers from the internet side were flagged.
#[test]
fn transfers_between_lgwan_and_internet_are_checked_both_ways() {
    let mut city = City::new();
    let mut f = city.fields(Kind::NetworkSystem, "庁内", "mayor", "3C");
    f.segment = Some(Segment::Lgwan);
    let lgwan = city.add(f);
    let mut f = city.fields(Kind::NetworkSystem, "外部", "mayor", "2");
    f.segment = Some(Segment::Internet);
    let internet = city.add(f);
    city.link(lgwan, Relation::TransfersTo, internet);
    city.link(internet, Relation::TransfersTo, lgwan);
    let report = city.check();
    assert_eq!(named(&report, RuleId::LgwanInternet), ["庁内"]);
    assert_eq!(named(&report, RuleId::UnsanitizedTransfer), ["外部"]);
    let mut sanitized = Link::new(lgwan, Relation::TransfersTo, internet);
    sanitized.sanitization = Some(Sanitization::FileSanitization);
    city.r
        .unlink(lgwan, Relation::TransfersTo, internet)
        .unwrap();
    city.r.link(sanitized).unwrap();
    assert!(named(&city.check(), RuleId::LgwanInternet).is_empty());
}

/// Why 4: `related` needed no link, and an excluded asset with My Number
/// data at 1 on the internet gave no finding.
#[test]
fn related_exclusions_need_a_link_and_excluded_my_number_data_warns() {
    let mut city = City::new();
    let mut f = city.fields(Kind::Information, "関連", "education", "1");
    f.scope = Scope::Excluded(city.r.policy().exclusion("related").unwrap().code.clone());
    let related = city.add(f);
    let mut f = city.fields(Kind::Information, "番号", "education", "1");
    f.segment = Some(Segment::Internet);
    f.personal_data.my_number = true;
    f.scope = Scope::Excluded(
        city.r
            .policy()
            .exclusion("school_education")
            .unwrap()
            .code
            .clone(),
    );
    let school = city.add(f);
    let report = city.check();
    assert_eq!(named(&report, RuleId::RelatedUnlinked), ["関連"]);
    assert_eq!(named(&report, RuleId::ExcludedMyNumber), ["番号"]);
    city.link(related, Relation::CopyOf, school);
    assert!(named(&city.check(), RuleId::RelatedUnlinked).is_empty());
}

/// Why 5: an excluded 3B 校務データ on an in-scope 2 server left the server 適合.
#[test]
fn excluded_content_raises_the_in_scope_system_that_stores_it() {
    let mut city = City::new();
    let mut f = city.fields(Kind::Information, "校務データ", "education", "3B");
    f.scope = Scope::Excluded(
        city.r
            .policy()
            .exclusion("school_education")
            .unwrap()
            .code
            .clone(),
    );
    let data = city.add(f);
    let server = city.add(city.fields(Kind::NetworkSystem, "共有サーバ", "mayor", "2"));
    city.link(data, Relation::StoredOn, server);
    let report = city.check();
    let finding = report.of_rule(RuleId::ClassBelowInherited).next().unwrap();
    assert_eq!(finding.assets[0].name, "共有サーバ");
    assert_eq!(finding.organization.as_str(), "mayor");
}

/// Why 6 and 7: My Number data on a USB memory, a segment other than the
/// host's, 3B on the internet, no monitoring; MFA asked of a switch.
#[test]
fn segment_gaps_are_found_and_network_devices_need_no_mfa() {
    let mut city = City::new();
    let mut f = city.fields(Kind::NetworkSystem, "USB", "mayor", "3B");
    f.medium = Some(Medium::PortableMedia);
    f.personal_data.my_number = true;
    city.add(f);
    let mut f = city.fields(Kind::NetworkSystem, "公開サーバ", "mayor", "2");
    f.segment = Some(Segment::Internet);
    f.controls.retain(|c| c.as_str() != "monitoring");
    let server = city.add(f);
    let mut f = city.fields(Kind::Information, "内部資料", "mayor", "3B");
    f.segment = Some(Segment::Lgwan);
    let doc = city.add(f);
    city.link(doc, Relation::StoredOn, server);
    let mut f = city.fields(Kind::NetworkSystem, "スイッチ", "mayor", "3B");
    f.segment = Some(Segment::MyNumber);
    f.medium = Some(Medium::NetworkDevice);
    f.controls
        .retain(|c| !matches!(c.as_str(), "mfa" | "export_blocked"));
    city.add(f);
    let mut f = city.fields(Kind::NetworkSystem, "窓口端末", "mayor", "3B");
    f.segment = Some(Segment::MyNumber);
    f.medium = Some(Medium::Terminal);
    f.controls.retain(|c| c.as_str() != "mfa");
    city.add(f);
    let report = city.check();
    assert_eq!(named(&report, RuleId::MyNumberMedia), ["USB"]);
    assert_eq!(named(&report, RuleId::HostMismatch), ["内部資料"]);
    assert_eq!(named(&report, RuleId::InternetHigh), ["公開サーバ"]);
    assert_eq!(named(&report, RuleId::InternetMonitoring), ["公開サーバ"]);
    assert_eq!(named(&report, RuleId::MyNumberControls), ["窓口端末"]);
}

/// Why 8: no exception path; a route-limited link stayed a permanent error.
#[test]
fn a_valid_exception_turns_its_finding_into_info_and_an_expired_one_is_an_error() -> Result<()> {
    let mut city = City::new();
    let mut f = city.fields(Kind::NetworkSystem, "住基", "mayor", "3B");
    f.segment = Some(Segment::MyNumber);
    let mynumber = city.add(f);
    let mut f = city.fields(Kind::NetworkSystem, "中間サーバー", "mayor", "3B");
    f.segment = Some(Segment::Lgwan);
    let lgwan = city.add(f);
    city.link(mynumber, Relation::TransfersTo, lgwan);
    let new = |expires: Option<Date>| NewException {
        rule: RuleId::MyNumberConnection,
        asset: mynumber,
        related: Some(lgwan),
        reason: "経路限定の連携".to_owned(),
        approver: "CISO".to_owned(),
        approved_on: Date::new(2026, 4, 1).unwrap(),
        expires_on: expires,
        conditions: Some("MACアドレス・ポートで限定".to_owned()),
    };
    let exception = city.r.add_exception(new(Date::new(2027, 3, 31).ok()))?;
    let report = city.check();
    let finding = report.of_rule(RuleId::MyNumberConnection).next().unwrap();
    assert_eq!(finding.severity, Severity::Info);
    assert_eq!(finding.exception, Some(exception.id));
    assert!(finding.message_ja.contains("例外措置 #1"));
    assert!(!report.fails(Severity::Error));
    // Past its expiry, the finding is an error again, and so is the exception.
    let late = city
        .r
        .check(&CheckOptions::default().with_today(Date::new(2027, 4, 1).unwrap()))?;
    assert_eq!(
        late.of_rule(RuleId::MyNumberConnection)
            .next()
            .unwrap()
            .severity,
        Severity::Error
    );
    assert_eq!(late.of_rule(RuleId::ExceptionExpired).count(), 1);
    // Ended, it covers nothing and is not reported.
    let ended = city.r.end_exception(exception.id)?;
    assert!(ended.ended_at.is_some());
    assert!(city.r.end_exception(exception.id).is_err());
    let report = city.check();
    assert_eq!(
        report
            .of_rule(RuleId::MyNumberConnection)
            .next()
            .unwrap()
            .severity,
        Severity::Error
    );
    assert_eq!(city.r.exceptions()?.len(), 1);
    assert_eq!(
        city.r
            .history(mynumber)?
            .iter()
            .filter(|e| e.action == crate::Action::Exception)
            .count(),
        2
    );
    assert!(city.r.verify()?.is_ok());
    // An approval in the future, or an expiry before it, is refused.
    let mut future = new(None);
    future.approved_on = Date::new(2999, 1, 1).unwrap();
    assert!(city.r.add_exception(future).is_err());
    assert!(
        city.r
            .add_exception(new(Date::new(2026, 3, 1).ok()))
            .is_err()
    );
    Ok(())
}

/// Why 9: 一般ごみ for 3B media, approver = disposer, a C1 server that held
/// 3B disposed with no record, information on a disposed system, a future
/// disposal date: all accepted without a finding.
#[test]
fn disposal_is_judged_at_the_effective_level_with_its_method_and_approver() {
    let mut city = City::new();
    let disposal = |method: Option<&str>, approver: Option<&str>| Disposal {
        date: Date::new(2026, 10, 1).unwrap(),
        person: "処分 一郎".to_owned(),
        method: method.map(str::to_owned),
        approver: approver.map(str::to_owned),
        certificate: None,
    };
    let usb = city.add(city.fields(Kind::NetworkSystem, "USB", "mayor", "3B"));
    city.r
        .dispose(usb, None, disposal(Some("一般ごみ"), Some("課長")))
        .unwrap();
    let pc = city.add(city.fields(Kind::NetworkSystem, "PC", "mayor", "2"));
    city.r
        .dispose(pc, None, disposal(Some("物理破壊"), Some("処分 一郎")))
        .unwrap();
    let server = city.add(city.fields(Kind::NetworkSystem, "サーバ", "mayor", "1"));
    let data = city.add(city.fields(Kind::Information, "データ", "mayor", "3B"));
    city.link(data, Relation::StoredOn, server);
    city.r.dispose(server, None, disposal(None, None)).unwrap();
    let mut f = city.fields(Kind::NetworkSystem, "委託サーバ", "mayor", "2");
    f.hosting = Some(crate::model::Hosting {
        kind: HostingKind::Outsourced,
        provider: Some("p".to_owned()),
        contract: Some("c".to_owned()),
    });
    let outsourced = city.add(f);
    city.r
        .dispose(outsourced, None, disposal(Some("物理破壊"), Some("課長")))
        .unwrap();
    let report = city.check();
    assert_eq!(named(&report, RuleId::DisposalMethodUnlisted), ["USB"]);
    assert_eq!(named(&report, RuleId::DisposalSelfApproved), ["PC"]);
    let mut incomplete = named(&report, RuleId::DisposalIncomplete);
    incomplete.sort();
    assert_eq!(incomplete, ["サーバ", "委託サーバ"]);
    assert!(
        report
            .of_rule(RuleId::DisposalIncomplete)
            .any(|f| f.message_en.contains("at C3B"))
    );
    assert_eq!(named(&report, RuleId::DisposalStillStored), ["データ"]);
    let later = city.add(city.fields(Kind::NetworkSystem, "未来", "mayor", "2"));
    let mut future = disposal(Some("物理破壊"), Some("課長"));
    future.date = Date::new(2999, 1, 1).unwrap();
    let err = city.r.dispose(later, None, future).unwrap_err();
    assert!(err.to_string().contains("disposed_on"), "{err}");
}

/// Why 10: the old label 「機密性2」 silently became 自治体機密性2.
#[test]
fn old_labels_are_refused_with_the_mapping_under_niigata() {
    let policy = Policy::niigata();
    let err = policy.level(Axis::Confidentiality, "機密性2").unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }));
    let message = err.to_string();
    assert!(message.contains("3B, 3C, 2"), "{message}");
    assert!(message.contains("GUIDELINE-NOTES §1.2"), "{message}");
    assert!(policy.level(Axis::Confidentiality, "機密性3").is_err());
    assert!(policy.level(Axis::Confidentiality, "自治体機密性2").is_ok());
    assert!(policy.level(Axis::Confidentiality, "機密性3B").is_ok());
    let mic = Policy::built_in("mic-r5").unwrap();
    assert_eq!(
        mic.level(Axis::Confidentiality, "機密性2").unwrap().code(),
        "2"
    );
}

/// Why 12: the smaller items.
#[test]
fn the_smaller_items_of_issue_13() -> Result<()> {
    let mut city = City::new();
    // `list --my-number` counts the systems that hold it through links.
    let mut f = city.fields(Kind::Information, "番号データ", "mayor", "3B");
    f.personal_data.my_number = true;
    let data = city.add(f);
    let server = city.add(city.fields(Kind::NetworkSystem, "番号サーバ", "mayor", "3B"));
    let copy = city.add(city.fields(Kind::NetworkSystem, "番号サーバ複製", "mayor", "3B"));
    city.add(city.fields(Kind::NetworkSystem, "無関係", "mayor", "3B"));
    city.link(data, Relation::StoredOn, server);
    city.link(copy, Relation::CopyOf, server);
    let holders = city.r.assets(&crate::query::Filter {
        my_number: Some(true),
        ..Default::default()
    })?;
    let mut names: Vec<&str> = holders.iter().map(crate::model::Asset::name).collect();
    names.sort_unstable();
    assert_eq!(names, ["番号サーバ", "番号サーバ複製", "番号データ"]);
    // `manager.missing` cites §6(1)/(2).
    assert_eq!(RuleId::ManagerMissing.section(), "§6(1), §6(2)");
    // A future review date is refused.
    let mut f = city.fields(Kind::Information, "未来", "mayor", "1");
    f.reviewed_on = Some(Date::new(2999, 4, 1).unwrap());
    assert!(
        city.r
            .add(f)
            .unwrap_err()
            .to_string()
            .contains("reviewed_on")
    );
    // The review cycle is the fiscal year for niigata: on 2026-11-25 a review
    // on 2025-04-01 is in time, one on 2025-03-31 overdue.
    assert_eq!(
        city.r.policy().review_cycle(),
        crate::policy::ReviewCycle::FiscalYear
    );
    let mut f = city.fields(Kind::Information, "前年度", "mayor", "1");
    f.reviewed_on = Some(Date::new(2025, 4, 1).unwrap());
    city.add(f);
    let mut f = city.fields(Kind::Information, "前々年度", "mayor", "1");
    f.reviewed_on = Some(Date::new(2025, 3, 31).unwrap());
    city.add(f);
    assert_eq!(named(&city.check(), RuleId::ReviewOverdue), ["前々年度"]);
    // Paper is carried in a locked case, not merely stored locked.
    let c2 = Policy::niigata();
    let level = c2.level_def(Axis::Confidentiality, "2").unwrap();
    assert!(
        level
            .restrictions
            .iter()
            .any(|r| r.control.as_str() == "locked_case" && r.paper_only)
    );
    // The levels say they paraphrase the guideline.
    assert!(level.paraphrased);
    Ok(())
}
