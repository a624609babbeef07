use super::*;
use crate::model::{AssetFields, AssetName, Classification, Kind, Link, Relation};
use crate::policy::Policy;

fn register() -> Register {
    let mut register = crate::test_backend::register(&Policy::niigata()).unwrap();
    register.set_actor("監査担当 <山田> & 佐藤").unwrap();
    register
}

fn fields(register: &Register, kind: &str, name: &str, c: &str) -> AssetFields {
    let policy = register.policy();
    AssetFields::new(
        Kind::parse(kind).unwrap(),
        AssetName::new(name).unwrap(),
        policy.organization("市長部局").unwrap().code.clone(),
        Classification::parse(policy, c, "2", "2").unwrap(),
    )
}

fn day(text: &str) -> Date {
    text.parse().unwrap()
}

#[test]
fn the_report_counts_what_summary_and_check_count() -> Result<()> {
    let mut r = register();
    let system = r.add(fields(&r, "ア", "<script>alert(1)</script> & 基幹系", "2"))?;
    let data = r.add(fields(&r, "イ", "住民記録データ", "3B"))?;
    r.link(Link::new(data.id, Relation::StoredOn, system.id))?;
    let today = crate::parse::today_in_japan();
    let report = r.auditor_report(&ReportOptions::default().with_today(today))?;

    assert_eq!(report.summary, r.summary()?);
    let mut check = r.check(&CheckOptions::default().with_today(today))?;
    check.head = report.check.head;
    assert_eq!(report.check, check);
    assert!(report.verification.is_ok());
    assert_eq!(report.explanations.len(), report.check.findings.len());
    // The system is below what it stores: the finding's path names the link.
    let below = report
        .check
        .findings
        .iter()
        .position(|f| f.rule == crate::rules::RuleId::ClassBelowInherited)
        .expect("a class finding");
    let path = &report.explanations[below];
    assert_eq!(path.len(), 1);
    assert_eq!(path[0].from.id, data.id);
    assert_eq!(path[0].to.id, system.id);
    // Two assets created this month, nothing else.
    let this_month = report.months.last().unwrap();
    assert_eq!((this_month.created, this_month.changed), (2, 0));
    assert_eq!(report.months.len(), 12);
    // Neither asset was ever reviewed.
    assert_eq!(report.reviews.last(), Some(&(ReviewYear::Never, 2)));
    Ok(())
}

#[test]
fn user_text_is_escaped_and_nothing_is_loaded() -> Result<()> {
    let mut r = register();
    r.add(fields(&r, "ア", "<script>alert(1)</script> & 基幹系", "2"))?;
    let report = r.auditor_report(&ReportOptions::default().with_city("みなと市 <本庁>"))?;
    for lang in [Lang::Ja, Lang::En] {
        let html = report.to_html(lang);
        assert_eq!(html.matches("<script").count(), 0, "no script element");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; 基幹系"));
        assert!(html.contains("みなと市 &lt;本庁&gt;"));
        assert!(html.contains("監査担当 &lt;山田&gt; &amp; 佐藤"));
        assert!(!html.contains("http://") && !html.contains("https://"));
        assert!(!html.contains(" src=") && !html.contains("url("));
        assert_eq!(
            html.matches("<svg class=\"chart\"").count(),
            8,
            "every chart"
        );
    }
    assert!(report.to_html(Lang::Ja).contains("<html lang=\"ja\">"));
    assert!(report.to_html(Lang::En).contains("<html lang=\"en\">"));
    Ok(())
}

#[test]
fn changes_and_disposals_fall_in_their_month_and_fiscal_year() -> Result<()> {
    let mut r = register();
    let asset = r.add(fields(&r, "ア", "旧財務会計システム", "2"))?;
    let mut changed = asset.fields.clone();
    changed.manager = Some("佐藤".to_owned());
    changed.department = "財政課".to_owned();
    r.update(asset.id, 1, changed)?;
    let today = crate::parse::today_in_japan();
    let disposal = Disposal {
        date: today,
        person: "田中".to_owned(),
        method: Some("物理破壊".to_owned()),
        approver: Some("佐藤".to_owned()),
        certificate: None,
    };
    r.dispose(asset.id, None, disposal.clone())?;
    let report = r.auditor_report(&ReportOptions::default().with_today(today))?;
    let month = report.months.last().unwrap();
    assert_eq!((month.created, month.changed, month.disposed), (1, 1, 1));
    assert!(report.changed_fields.contains(&("manager", 1)));
    assert!(report.changed_fields.contains(&("department", 1)));
    assert_eq!(report.disposals.len(), 1);
    assert_eq!(report.disposals[0].disposal, disposal);
    assert_eq!(report.fiscal_year, fiscal_year_of(today));

    // A year later the disposal belongs to the year before, and the
    // entries to months before the twelve shown.
    let later = today
        .checked_add(jiff::Span::new().years(1).months(1))
        .unwrap();
    let report = r.auditor_report(&ReportOptions::default().with_today(later))?;
    assert!(report.disposals.is_empty());
    assert!(
        report
            .months
            .iter()
            .all(|m| m.created + m.changed + m.disposed == 0)
    );
    Ok(())
}

#[test]
fn fiscal_years_start_in_april_and_take_the_era_of_their_may() {
    assert_eq!(fiscal_year_of(day("2026-03-31")), 2025);
    assert_eq!(fiscal_year_of(day("2026-04-01")), 2026);
    assert_eq!(fiscal_year_label(2019, Lang::Ja), "令和元年度");
    assert_eq!(fiscal_year_label(2025, Lang::Ja), "令和7年度");
    assert_eq!(fiscal_year_label(2018, Lang::Ja), "平成30年度");
    assert_eq!(fiscal_year_label(2025, Lang::En), "FY2025");
}

#[test]
fn twelve_months_end_with_today_and_cross_the_year() {
    let months = twelve_months(day("2026-02-10"));
    assert_eq!(months.len(), 12);
    assert_eq!((months[0].year, months[0].month), (2025, 3));
    assert_eq!((months[11].year, months[11].month), (2026, 2));
    assert_eq!((months[10].year, months[10].month), (2026, 1));
}

#[test]
fn review_years_run_without_gaps_to_the_current_year() {
    use ReviewYear::{Before, In, Never};
    let years = review_years([Some(2022), Some(2024), None, Some(2024)].into_iter(), 2026);
    assert_eq!(
        years,
        [
            (In(2022), 1),
            (In(2023), 0),
            (In(2024), 2),
            (In(2025), 0),
            (In(2026), 0),
            (Never, 1)
        ]
    );
    assert_eq!(
        review_years(std::iter::empty(), 2026),
        [(In(2026), 0), (Never, 0)]
    );
    // Ten 年度 one by one; older reviews share one bar, a later one extends the range.
    let years = review_years(
        [Some(1995), Some(2010), Some(2017), Some(2027)].into_iter(),
        2026,
    );
    assert_eq!(years[0], (Before(2017), 2));
    assert_eq!(years[1], (In(2017), 1));
    assert_eq!(years[years.len() - 2], (In(2027), 1));
    assert_eq!(years.len(), 1 + 11 + 1);
    let years = review_years([Some(2001), Some(2024)].into_iter(), 2026);
    assert_eq!(years[..2], [(Before(2017), 1), (In(2017), 0)]);
}

#[test]
fn a_report_file_appears_whole_and_is_not_replaced_unasked() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let r = Register::create(dir.path().join("r.db"), &Policy::niigata())?;
    let path = dir.path().join("報告書.html");
    r.write_auditor_report(&path, &ReportOptions::default())?;
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
    let err = r
        .write_auditor_report(&path, &ReportOptions::default())
        .unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
    r.write_auditor_report(&path, &ReportOptions::default().overwrite(true))?;
    // The register's own file is never a report's destination.
    assert!(
        r.write_auditor_report(
            dir.path().join("r.db"),
            &ReportOptions::default().overwrite(true)
        )
        .is_err()
    );
    Ok(())
}

#[test]
fn the_overdue_list_shows_each_assets_last_review() -> Result<()> {
    let mut r = register();
    let mut old = fields(&r, "ア", "配水監視制御システム", "2");
    old.reviewed_on = Some(day("2024-03-31"));
    let old = r.add(old)?;
    let mut fresh = fields(&r, "ア", "文書管理システム", "2");
    fresh.reviewed_on = Some(day("2026-06-30"));
    let fresh = r.add(fresh)?;
    let report = r.auditor_report(&ReportOptions::default().with_today(day("2026-11-25")))?;
    assert_eq!(report.reviewed_on.get(&old.id), Some(&day("2024-03-31")));
    assert!(!report.reviewed_on.contains_key(&fresh.id), "not overdue");
    assert_eq!(
        report.reviews,
        [
            (ReviewYear::In(2023), 1),
            (ReviewYear::In(2024), 0),
            (ReviewYear::In(2025), 0),
            (ReviewYear::In(2026), 1),
            (ReviewYear::Never, 0)
        ]
    );
    let html = report.to_html(Lang::Ja);
    let overdue = &html[html.find("点検期限を過ぎた資産").unwrap()..];
    assert!(overdue.contains("<td>配水監視制御システム</td><td>2024-03-31</td>"));
    assert!(!overdue[..overdue.find("</table>").unwrap()].contains("文書管理システム"));
    assert!(html.contains("令和5年度"));
    Ok(())
}

#[test]
fn the_cycle_sections_show_the_campaign_and_the_corrections_of_the_day_reported() -> Result<()> {
    use crate::campaign::NewCampaign;
    use crate::rules::{FindingStatus, FindingUpdate};

    let japan = jiff::tz::TimeZone::fixed(jiff::tz::offset(9));
    let noon = |d: &str| japan.to_timestamp(day(d).at(12, 0, 0, 0)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut r = Register::create_at(
        dir.path().join("r.db"),
        &Policy::niigata(),
        "監査担当",
        Some(noon("2026-09-01")),
    )?;
    let mut first = fields(&r, "イ", "住民記録データ", "2");
    "市民課".clone_into(&mut first.department);
    r.add(first)?;
    let september = r.head()?.entries;
    r.set_clock(Some(noon("2026-10-01")));
    r.add(fields(&r, "ウ", "窓口マニュアル", "2"))?;
    r.record_check(&CheckOptions::default().with_today(day("2026-10-01")))?;
    r.set_finding(
        "1",
        &FindingUpdate {
            status: Some(FindingStatus::InProgress),
            owner: Some("<i>佐藤</i>".to_owned()),
            due_on: Some(Some(day("2026-10-31"))),
        },
    )?;
    r.start_campaign(&NewCampaign {
        name: "2026 <棚卸>".to_owned(),
        due_on: Some(day("2026-10-20")),
        organization: None,
    })?;

    let now = r.auditor_report(&ReportOptions::default().with_today(day("2026-11-01")))?;
    assert!(now.as_of.is_none());
    let campaign = now.campaign.as_ref().expect("the campaign");
    assert!(
        campaign
            .sections
            .iter()
            .all(|s| s.state == crate::campaign::AttestationState::Overdue)
    );
    assert!(now.findings.iter().any(|f| f.is_overdue(now.today)));
    let html = now.to_html(Lang::Ja);
    assert!(html.contains("<section id=\"attestation\"><h2>6. 棚卸（確認の状況）</h2>"));
    assert!(html.contains("<section id=\"corrections\"><h2>3. 是正の状況</h2>"));
    assert!(html.contains("2026 &lt;棚卸&gt;") && html.contains("&lt;i&gt;佐藤&lt;/i&gt;"));
    assert!(!html.contains("<i>"));

    // As of the end of September: one asset, no run, no campaign yet.
    let past = r.auditor_report(&ReportOptions::default().with_as_of(day("2026-09-30")))?;
    assert_eq!(past.today, day("2026-09-30"));
    assert_eq!(
        past.as_of,
        Some(ReportAsOf {
            day: day("2026-09-30"),
            entries: september
        })
    );
    assert_eq!(past.summary.total, 1);
    assert!(past.campaign.is_none() && past.findings.is_empty());
    let html = past.to_html(Lang::En);
    assert!(
        !html.contains("id=\"attestation\""),
        "no campaign, no section"
    );
    assert!(html.contains("<section id=\"corrections\"><h2>3. Corrections</h2>"));
    assert!(html.contains(&format!("entries 1 to {september}")));
    assert!(html.contains("<li><a href=\"#risks\">7. Risks</a></li>"));
    Ok(())
}
