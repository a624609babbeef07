use jiff::civil::date;
use jiff::tz::{TimeZone, offset};

use super::*;
use crate::model::{AssetFields, AssetName, Classification, Kind};
use crate::sheet::ExportOptions;

fn noon(m: i8, d: i8) -> Timestamp {
    TimeZone::fixed(offset(9))
        .to_timestamp(date(2026, m, d).at(12, 0, 0, 0))
        .unwrap()
}

fn add(r: &mut Register, name: &str, org: &str, department: &str) -> Asset {
    let policy = r.policy();
    let mut fields = AssetFields::new(
        Kind::parse("イ").unwrap(),
        AssetName::new(name).unwrap(),
        policy.organization(org).unwrap().code.clone(),
        Classification::parse(policy, "3C", "2", "2").unwrap(),
    );
    fields.department = department.to_owned();
    r.add(fields).unwrap()
}

/// A register of three sections in two bodies, its clock in June 2026.
fn city(dir: &Path) -> Register {
    let mut r = Register::create_at(
        crate::test_backend::location(dir, "r.db"),
        &Policy::niigata(),
        "情報政策課",
        Some(noon(6, 1)),
    )
    .unwrap();
    add(&mut r, "住民記録データ", "mayor", "市民課");
    add(&mut r, "窓口マニュアル", "mayor", "市民課");
    add(&mut r, "課税台帳", "mayor", "税務課");
    add(&mut r, "料金システム", "waterworks", "お客さまサービス課");
    r
}

fn start(r: &mut Register, organization: Option<&str>) -> Campaign {
    let organization = organization.map(|o| r.policy().organization(o).unwrap().code.clone());
    r.start_campaign(&NewCampaign {
        name: "2026".to_owned(),
        due_on: Some(date(2026, 9, 30)),
        organization,
    })
    .unwrap()
}

fn attest(department: &str, sheet: Option<&Path>) -> Attest {
    Attest {
        department: department.to_owned(),
        by: "課長".to_owned(),
        sheet: sheet.map(Path::to_path_buf),
        ..Attest::default()
    }
}

use std::path::Path;

#[test]
fn a_campaign_opens_one_attestation_per_section_and_status_tells_attested_open_and_overdue()
-> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let mut r = city(dir.path());
    start(&mut r, None);
    r.set_clock(Some(noon(7, 1)));
    let done = r.attest(&attest("市民課", None))?;
    assert_eq!((done.confirmed, done.marked), (2, 2));
    assert_eq!(done.attested_on, local_day(noon(7, 1)));
    for asset in r.assets(&Filter {
        department: Some("市民課".to_owned()),
        ..Filter::default()
    })? {
        assert_eq!(asset.fields.reviewed_on, Some(done.attested_on));
    }
    let status = r.campaign_status(None, date(2026, 10, 1))?;
    let by_section: Vec<(&str, &str, AttestationState)> = status
        .sections
        .iter()
        .map(|s| (s.organization.as_str(), s.department.as_str(), s.state))
        .collect();
    assert_eq!(
        by_section,
        [
            ("mayor", "市民課", AttestationState::Attested),
            ("mayor", "税務課", AttestationState::Overdue),
            (
                "waterworks",
                "お客さまサービス課",
                AttestationState::Overdue
            ),
        ]
    );
    let before_due = r.campaign_status(Some("2026"), date(2026, 9, 30))?;
    assert_eq!(before_due.sections[1].state, AttestationState::Open);

    // An asset added to the section afterwards is not confirmed.
    let late = add(&mut r, "証明書交付記録", "mayor", "市民課");
    let status = r.campaign_status(None, date(2026, 10, 1))?;
    assert_eq!(
        status.sections[0].unconfirmed,
        [(late.id, "証明書交付記録".to_owned())]
    );
    assert_eq!(status.sections[0].confirmed, Some(2));
    assert_eq!(status.sections[0].assets_now, 3);

    // Twice is refused; so is an unknown section, with a suggestion.
    let err = r.attest(&attest("市民課", None)).unwrap_err();
    assert!(err.to_string().contains("attested already"), "{err}");
    let err = r.attest(&attest("市民", None)).unwrap_err();
    assert!(matches!(err, Error::UnknownValue { .. }), "{err}");

    // The log replays the campaign; closing ends it.
    let verification = r.verify()?;
    assert!(verification.is_ok(), "{verification}");
    r.set_clock(Some(noon(10, 5)));
    let closed = r.close_campaign()?;
    assert!(closed.closed_at.is_some());
    let err = r.attest(&attest("税務課", None)).unwrap_err();
    assert!(err.to_string().contains("no campaign is open"), "{err}");
    assert!(r.verify()?.is_ok());
    // The register as of the day after the attestation holds the campaign.
    let july = r.as_of_date(date(2026, 7, 2), &TimeZone::fixed(offset(9)))?;
    let then = july.campaign_status(None, date(2026, 7, 2))?;
    assert_eq!(then.sections[0].state, AttestationState::Attested);
    assert!(then.campaign.closed_at.is_none());
    assert!(july.verify()?.is_ok());
    // A hand-edited attestation no longer matches the log.
    r.db()
        .execute_for_test("UPDATE attestations SET asset_count = 5 WHERE department = '市民課'");
    let verification = r.verify()?;
    assert!(
        verification.to_string().contains(
            "attestation of `mayor 市民課` in campaign `2026`: differs from the audit log"
        ),
        "{verification}"
    );
    Ok(())
}

#[test]
fn a_campaign_of_one_organization_and_a_second_while_one_is_open() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let mut r = city(dir.path());
    let campaign = start(&mut r, Some("水道局"));
    assert_eq!(campaign.organization.as_deref(), Some("waterworks"));
    assert_eq!(r.campaign_status(None, date(2026, 6, 1))?.sections.len(), 1);
    let err = r
        .start_campaign(&NewCampaign {
            name: "2027".to_owned(),
            due_on: None,
            organization: None,
        })
        .unwrap_err();
    assert!(err.to_string().contains("still open"), "{err}");
    Ok(())
}

/// The section's list as `campaign export` writes it, with `edit` applied to its text.
fn returned_sheet(
    r: &Register,
    dir: &Path,
    department: &str,
    edit: impl Fn(String) -> String,
) -> std::path::PathBuf {
    let filter = r.campaign_section(department, None).unwrap();
    let mut out = Vec::new();
    r.export_assets(&mut out, &filter, &ExportOptions::default())
        .unwrap();
    let path = dir.join(format!("{department}.csv"));
    std::fs::write(&path, edit(String::from_utf8(out).unwrap())).unwrap();
    path
}

#[test]
fn a_returned_sheet_is_imported_and_attested_in_one_transaction_or_not_at_all() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let mut r = city(dir.path());
    start(&mut r, None);
    // A sheet that moves another section's asset is refused whole.
    let mut everything = Vec::new();
    r.export_assets(
        &mut everything,
        &Filter::default(),
        &ExportOptions::default(),
    )?;
    let tax_row = String::from_utf8(everything)
        .unwrap()
        .lines()
        .find(|line| line.contains("課税台帳"))
        .unwrap()
        .replace("税務課", "市民課");
    let sheet = returned_sheet(&r, dir.path(), "市民課", |text| {
        text.replace(
            "窓口マニュアル,mayor,市民課,,",
            "窓口マニュアル,mayor,市民課,佐藤,",
        ) + &tax_row
            + "\r\n"
    });
    let head = r.head()?;
    let err = r.attest(&attest("市民課", Some(&sheet))).unwrap_err();
    assert!(err.to_string().contains("not in section `市民課`"), "{err}");
    assert_eq!(r.head()?, head);
    assert!(r.resolve("窓口マニュアル")?.fields.manager.is_none());

    // Two edits of its own: applied and attested together.
    let sheet = returned_sheet(&r, dir.path(), "市民課", |text| {
        text.replace(
            "窓口マニュアル,mayor,市民課,,",
            "窓口マニュアル,mayor,市民課,佐藤,",
        )
        .replace(
            "住民記録データ,mayor,市民課,,",
            "住民記録データ,mayor,市民課,鈴木,",
        )
    });
    let done = r.attest(&attest("市民課", Some(&sheet)))?;
    let import = done.import.as_ref().unwrap();
    assert_eq!(import.assets.updated, 2);
    assert_eq!(done.confirmed, 2);
    assert_eq!(
        r.resolve("窓口マニュアル")?.fields.manager.as_deref(),
        Some("佐藤")
    );
    assert_eq!(
        r.resolve("住民記録データ")?.fields.manager.as_deref(),
        Some("鈴木")
    );
    // Each asset: created, edited by the sheet, reviewed by the attestation.
    assert_eq!(r.history(r.resolve("窓口マニュアル")?.id)?.len(), 3);
    assert!(r.verify()?.is_ok());
    Ok(())
}

#[test]
fn who_attests_is_checked_like_every_free_text() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let mut r = city(dir.path());
    start(&mut r, None);
    let head = r.head()?;
    let first = "27182818284";
    let number = format!("{first}{}", crate::mynumber::check_digit(first).unwrap());
    for by in ["", "課長\u{1b}[31m", &format!("課長 {number}")] {
        let err = r
            .attest(&attest("市民課", None).with_by(by))
            .map(drop)
            .unwrap_err();
        assert!(matches!(err, Error::Invalid { field: "by", .. }), "{err}");
        assert!(!err.to_string().contains(&number), "{err}");
    }
    assert_eq!(r.head()?, head);
    Ok(())
}

impl Attest {
    fn with_by(mut self, by: &str) -> Self {
        by.clone_into(&mut self.by);
        self
    }
}
