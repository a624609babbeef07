//! `daicho report` on the example city: every number the report shows from
//! `summary`, `check`, `risk`, `findings` and `campaign status` equals the
//! one their JSON gives on the same register, user text is escaped, the page
//! loads nothing, and a report `--as-of` a past day counts that day's register.
//!
//! The page marks each such number `data-count="KEY"`, the key naming where
//! the number is in the JSON (`summary.by_kind.information`,
//! `check.rule.review.overdue`, `risks.matrix.3.2`, `findings.status.open`,
//! `campaign.state.overdue`).

use std::collections::BTreeMap;
use std::process::Command;

use daicho::{AssetFields, AssetName, Classification, Kind, Policy, Register};
use daicho_tests::{Run, Workspace, daicho_bin, repo_root};
use jiff::civil::{Date, date};
use jiff::tz::{TimeZone, offset};
use serde_json::Value;

const TODAY: &str = "2026-11-25";

/// The example register of `scripts/demo`, with risk assessments and an
/// asset whose name is markup.
fn example() -> Workspace {
    let ws = Workspace::new();
    let inventory = repo_root().join("examples/inventory");
    ws.daicho(["init"]).success();
    ws.daicho(["import".as_ref(), inventory.join("assets.csv").as_os_str()])
        .success();
    ws.daicho([
        "import".as_ref(),
        "--links".as_ref(),
        inventory.join("links.csv").as_os_str(),
    ])
    .success();
    for (asset, threat, likelihood, vulnerability) in [
        ("住民基本台帳システム", "intentional", "3", "2"),
        ("住民基本台帳システム", "disaster", "1", "1"),
        ("LGWAN接続系ネットワーク", "unintentional", "2", "3"),
        ("インターネットメールサーバ", "intentional", "3", "3"),
    ] {
        ws.daicho(["risk", "set", asset, threat, likelihood, vulnerability])
            .success();
    }
    ws.daicho([
        "add",
        "--kind",
        "イ",
        "--name",
        "<script>alert(1)</script> & \"台帳\"",
        "--org",
        "水道局",
        "--confidentiality",
        "2",
        "--integrity",
        "2",
        "--availability",
        "2",
    ])
    .success();
    ws
}

/// Every `data-count="KEY">N<` of the page.
fn counts(html: &str) -> BTreeMap<String, u64> {
    let mut found = BTreeMap::new();
    for part in html.split("data-count=\"").skip(1) {
        let (key, rest) = part.split_once('"').expect("a closed attribute");
        let number = rest
            .strip_prefix('>')
            .and_then(|rest| rest.split_once('<'))
            .map(|(n, _)| n)
            .expect("the number follows its key");
        let n: u64 = number
            .parse()
            .unwrap_or_else(|_| panic!("`{key}` holds `{number}`"));
        if let Some(seen) = found.insert(key.to_owned(), n) {
            assert_eq!(seen, n, "`{key}` shows two numbers");
        }
    }
    found
}

fn number(value: &Value) -> u64 {
    value
        .as_u64()
        .unwrap_or_else(|| panic!("{value} is a count"))
}

/// The numbers `summary`, `check` and `risk` give as JSON, under the page's keys.
fn expected(ws: &Workspace) -> BTreeMap<String, u64> {
    let mut expected = BTreeMap::new();
    let summary = ws.daicho(["summary", "--format", "json"]).success().json();
    for key in ["total", "in_scope", "excluded", "disposed", "links"] {
        expected.insert(format!("summary.{key}"), number(&summary[key]));
    }
    for body in summary["by_organization"].as_array().unwrap() {
        let org = body["organization"].as_str().unwrap();
        for (level, n) in body["confidentiality"].as_object().unwrap() {
            expected.insert(format!("summary.by_organization.{org}.{level}"), number(n));
        }
    }
    for group in ["by_kind", "by_segment", "by_scope"] {
        for (code, n) in summary[group].as_object().unwrap() {
            expected.insert(format!("summary.{group}.{code}"), number(n));
        }
    }

    let check = ws
        .daicho([
            "check",
            "--today",
            TODAY,
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .success()
        .json();
    for key in ["checked", "disposed", "links"] {
        expected.insert(format!("check.{key}"), number(&check[key]));
    }
    expected.insert(
        "check.excluded".to_owned(),
        check["excluded"].as_array().unwrap().len() as u64,
    );
    let rules = ws
        .daicho(["policy", "rules", "--format", "json"])
        .success()
        .json();
    for rule in rules.as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        expected.insert(format!("check.rule.{id}"), 0);
    }
    for severity in ["error", "warning", "info"] {
        expected.insert(format!("check.severity.{severity}"), 0);
    }
    for body in summary["by_organization"].as_array().unwrap() {
        let org = body["organization"].as_str().unwrap();
        expected.insert(format!("check.organization.{org}"), 0);
    }
    for finding in check["findings"].as_array().unwrap() {
        for key in [
            format!("check.rule.{}", finding["rule"].as_str().unwrap()),
            format!("check.severity.{}", finding["severity"].as_str().unwrap()),
            format!(
                "check.organization.{}",
                finding["organization"].as_str().unwrap()
            ),
        ] {
            *expected
                .get_mut(&key)
                .unwrap_or_else(|| panic!("`{key}` is known")) += 1;
        }
    }

    let risks = ws.daicho(["risk", "--format", "json"]).success().json();
    for importance in 1..=3 {
        for damage in 1..=3 {
            expected.insert(format!("risks.matrix.{importance}.{damage}"), 0);
        }
    }
    for entry in risks["entries"].as_array().unwrap() {
        let key = format!(
            "risks.matrix.{}.{}",
            number(&entry["importance"]),
            number(&entry["damage_likelihood"])
        );
        *expected.get_mut(&key).unwrap() += 1;
    }
    expected.insert(
        "risks.not_assessed".to_owned(),
        risks["not_assessed"].as_array().unwrap().len() as u64,
    );
    cycle(ws, &mut expected);
    expected
}

/// The numbers of `findings` and, once a campaign started, `campaign
/// status` (on [`TODAY`]).
fn cycle(ws: &Workspace, expected: &mut BTreeMap<String, u64>) {
    let findings = ws.daicho(["findings", "--format", "json"]).success().json();
    for status in ["open", "in_progress", "resolved", "excepted"] {
        expected.insert(format!("findings.status.{status}"), 0);
    }
    expected.insert("findings.overdue".to_owned(), 0);
    for finding in findings.as_array().unwrap() {
        let status = finding["status"].as_str().unwrap();
        *expected
            .get_mut(&format!("findings.status.{status}"))
            .unwrap_or_else(|| panic!("`{status}` is a status")) += 1;
        // `findings` counts overdue to the real today, the report to TODAY:
        // the tests' due dates fall before both or after both.
        if finding["overdue"] == true {
            *expected.get_mut("findings.overdue").unwrap() += 1;
        }
    }

    let status = ws.daicho(["campaign", "status", "--today", TODAY, "--format", "json"]);
    if status.code != 0 {
        assert!(
            status.stderr.contains("棚卸がありません"),
            "{}",
            status.stderr
        );
        return;
    }
    let status = status.json();
    let sections = status["sections"].as_array().unwrap();
    expected.insert("campaign.sections".to_owned(), sections.len() as u64);
    for state in ["attested", "open", "overdue"] {
        expected.insert(format!("campaign.state.{state}"), 0);
    }
    let mut unconfirmed = 0;
    for section in sections {
        let state = section["state"].as_str().unwrap();
        *expected
            .get_mut(&format!("campaign.state.{state}"))
            .unwrap() += 1;
        let key = format!(
            "campaign.section.{}/{}",
            section["organization"].as_str().unwrap(),
            section["department"].as_str().unwrap()
        );
        if !section["confirmed"].is_null() {
            expected.insert(format!("{key}.confirmed"), number(&section["confirmed"]));
        }
        expected.insert(format!("{key}.assets_now"), number(&section["assets_now"]));
        let added = section["unconfirmed"].as_array().unwrap().len() as u64;
        expected.insert(format!("{key}.unconfirmed"), added);
        unconfirmed += added;
    }
    expected.insert("campaign.unconfirmed".to_owned(), unconfirmed);
}

#[test]
fn every_number_of_the_report_is_the_one_summary_check_and_risk_give() {
    let ws = example();
    let expected = expected(&ws);
    assert!(
        expected["check.severity.error"] > 0,
        "the example plants errors"
    );
    assert!(
        expected
            .keys()
            .filter(|k| k.starts_with("risks.matrix"))
            .count()
            == 9
            && expected
                .iter()
                .any(|(k, n)| k.starts_with("risks.matrix") && *n > 0),
        "the matrix has assessments"
    );
    for (file, lang) in [("報告書.html", "ja"), ("report.html", "en")] {
        ws.daicho(["report", "-o", file, "--today", TODAY, "--lang", lang])
            .success();
        let html = std::fs::read_to_string(ws.path().join(file)).unwrap();
        assert_eq!(counts(&html), expected, "{file}");
    }
}

/// The example with a recorded run, two corrections taken up (one past its
/// due date), and a campaign due before [`TODAY`]: one section attested,
/// with an asset added to it since, and the others overdue.
#[test]
fn the_corrections_and_the_campaign_are_those_findings_and_campaign_status_give() {
    let ws = example();
    ws.daicho([
        "check",
        "--record",
        "--today",
        "2026-10-01",
        "--fail-on",
        "never",
    ])
    .success();
    let owner = "<b>情報政策課</b> & \"佐藤\"";
    ws.daicho([
        "findings",
        "set",
        "1",
        "--status",
        "in_progress",
        "--owner",
        owner,
        "--due",
        "2026-10-31",
    ])
    .success();
    ws.daicho([
        "findings",
        "set",
        "2",
        "--owner",
        "鈴木",
        "--due",
        "2099-03-31",
    ])
    .success();
    // Overdue is counted to `--today`: finding 1 is due 2026-10-31.
    assert_eq!(overdue_on(&ws, 1, "2026-10-31"), [false]);
    assert_eq!(overdue_on(&ws, 1, "令和8年11月1日"), [true]);
    ws.daicho(["campaign", "start", "2026", "--due", "2026-11-20"])
        .success();
    let department = "市民生活部 市民課";
    ws.daicho([
        "attest",
        "--dept",
        department,
        "--org",
        "mayor",
        "--by",
        "市民課長 <印>",
    ])
    .success();
    ws.daicho([
        "add",
        "--kind",
        "ウ",
        "--name",
        "窓口受付簿 <新>",
        "--org",
        "mayor",
        "--department",
        department,
        "--confidentiality",
        "2",
        "--integrity",
        "2",
        "--availability",
        "2",
    ])
    .success();

    let expected = expected(&ws);
    assert_eq!(expected["findings.status.in_progress"], 1);
    assert_eq!(expected["findings.overdue"], 1);
    assert_eq!(expected["campaign.state.attested"], 1);
    assert_eq!(expected["campaign.unconfirmed"], 1);
    assert!(expected["campaign.state.overdue"] > 10);
    for (file, lang) in [("報告書.html", "ja"), ("report.html", "en")] {
        ws.daicho(["report", "-o", file, "--today", TODAY, "--lang", lang])
            .success();
        let html = std::fs::read_to_string(ws.path().join(file)).unwrap();
        assert_eq!(counts(&html), expected, "{file}");
        for id in ["corrections", "attestation"] {
            assert!(html.contains(&format!("<section id=\"{id}\"")), "{id}");
        }
        // The owner, the confirmer and the new asset's name are text.
        assert!(html.contains("&lt;b&gt;情報政策課&lt;/b&gt; &amp; &quot;佐藤&quot;"));
        assert!(html.contains("市民課長 &lt;印&gt;"));
        assert!(html.contains("窓口受付簿 &lt;新&gt;"));
        assert!(!html.contains("<b>"));
        // The one past its due date is marked, the other not.
        assert_eq!(html.matches("data-overdue=\"true\"").count(), 1, "{file}");
        assert!(html.contains("2026-10-31 <span class=\"state-bad\">"));
        assert!(html.contains("2099-03-31"));
    }
}

/// Runs the CLI on the workspace's register in Japan's time zone.
/// Whether tracked finding `id` is overdue on `day`, as `findings --today` lists it.
fn overdue_on(ws: &Workspace, id: u64, day: &str) -> Vec<bool> {
    let listed = ws
        .daicho(["findings", "--today", day, "--format", "json"])
        .success()
        .json();
    listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == id)
        .map(|f| f["overdue"].as_bool().unwrap())
        .collect()
}

fn in_japan(ws: &Workspace, args: &[&str]) -> Run {
    Command::new(daicho_bin())
        .current_dir(ws.path())
        .env("DAICHO_DB", ws.location())
        .env("DAICHO_ACTOR", "test-actor")
        .env("TZ", "JST-9")
        .args(args)
        .output()
        .map(Run::from)
        .expect("daicho runs")
}

/// Two assets added on 2026-09-01 and three on 2026-10-15, through the
/// library's clock; the entries written in September.
fn two_months(ws: &Workspace) -> u64 {
    let japan = TimeZone::fixed(offset(9));
    let noon = |day: Date| japan.to_timestamp(day.at(12, 0, 0, 0)).unwrap();
    let mut register = Register::create_at(
        ws.location(),
        &Policy::niigata(),
        "情報政策課",
        Some(noon(date(2026, 9, 1))),
    )
    .unwrap();
    let add = |register: &mut Register, name: &str, kind: &str, c: &str| {
        let policy = register.policy();
        let fields = AssetFields::new(
            Kind::parse(kind).unwrap(),
            AssetName::new(name).unwrap(),
            policy.organization("市長部局").unwrap().code.clone(),
            Classification::parse(policy, c, "2", "2").unwrap(),
        );
        register.add(fields).unwrap();
    };
    add(&mut register, "住基サーバ", "ア", "3C");
    add(&mut register, "住民記録データ", "イ", "3B");
    let september = register.head().unwrap().entries;
    register.set_clock(Some(noon(date(2026, 10, 15))));
    add(&mut register, "課税台帳", "イ", "3B");
    add(&mut register, "窓口マニュアル", "ウ", "2");
    add(&mut register, "庁内ファイルサーバ", "ア", "2");
    september
}

/// A register written over two months: the report as of a day in between
/// counts the register of that day, as `summary` and `check` `--as-of` it
/// do, and says so on its cover.
#[test]
fn a_report_as_of_a_past_day_counts_that_days_register() {
    let ws = Workspace::new();
    let september = two_months(&ws);
    let day = "2026-09-30";
    let summary = in_japan(&ws, &["summary", "--as-of", day, "--format", "json"])
        .success()
        .json();
    let now = in_japan(&ws, &["summary", "--format", "json"])
        .success()
        .json();
    assert_eq!((number(&summary["total"]), number(&now["total"])), (2, 5));
    let check = in_japan(
        &ws,
        &[
            "check",
            "--as-of",
            day,
            "--today",
            day,
            "--format",
            "json",
            "--fail-on",
            "never",
        ],
    )
    .success()
    .json();
    for lang in ["ja", "en"] {
        let run = in_japan(
            &ws,
            &[
                "report",
                "-o",
                "past.html",
                "--as-of",
                day,
                "--lang",
                lang,
                "--force",
            ],
        )
        .success();
        assert!(run.stdout.contains(day), "{}", run.stdout);
        let html = std::fs::read_to_string(ws.path().join("past.html")).unwrap();
        let shown = counts(&html);
        for key in ["total", "in_scope", "excluded", "disposed", "links"] {
            assert_eq!(
                shown[&format!("summary.{key}")],
                number(&summary[key]),
                "{key}"
            );
        }
        for (code, n) in summary["by_kind"].as_object().unwrap() {
            assert_eq!(
                shown[&format!("summary.by_kind.{code}")],
                number(n),
                "{code}"
            );
        }
        assert_eq!(shown["check.checked"], number(&check["checked"]));
        assert_eq!(
            shown["check.severity.error"]
                + shown["check.severity.warning"]
                + shown["check.severity.info"],
            check["findings"].as_array().unwrap().len() as u64
        );
        // The cover names the day and the entries the register was rebuilt from.
        assert!(html.contains(&format!("data-as-of=\"{day}\"")));
        let basis = match lang {
            "ja" => format!("第1件から第{september}件まで"),
            _ => format!("entries 1 to {september}"),
        };
        assert!(html.contains(&basis), "{basis}");
    }
    // The register itself is unchanged: its own report counts five.
    in_japan(&ws, &["report", "-o", "now.html"]).success();
    let html = std::fs::read_to_string(ws.path().join("now.html")).unwrap();
    assert_eq!(counts(&html)["summary.total"], 5);
    assert!(!html.contains("data-as-of"));
}

#[test]
fn the_report_escapes_user_text_and_loads_nothing() {
    let ws = example();
    ws.daicho(["report", "-o", "r.html", "--city", "みなと市 <本庁> & 支所"])
        .success();
    let html = std::fs::read_to_string(ws.path().join("r.html")).unwrap();
    assert!(!html.contains("<script"), "no script element");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;台帳&quot;"));
    assert!(html.contains("みなと市 &lt;本庁&gt; &amp; 支所"));
    for reference in [
        "http://", "https://", "src=", "url(", "@import", "<link", "<img",
    ] {
        assert!(!html.contains(reference), "the page holds `{reference}`");
    }
    // Japanese by default, and every section there.
    assert!(html.contains("<html lang=\"ja\">"));
    for id in [
        "cover",
        "summary",
        "inspection",
        "scope",
        "reviews",
        "changes",
        "risks",
    ] {
        assert!(html.contains(&format!("<section id=\"{id}\"")) || id == "cover");
    }
}

#[test]
fn a_report_is_not_written_over_a_file_without_force() {
    let ws = example();
    std::fs::write(ws.path().join("kept.html"), "kept").unwrap();
    let run = ws.daicho(["report", "-o", "kept.html"]).expect_code(1);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(ws.path().join("kept.html")).unwrap(),
        "kept"
    );
    ws.daicho(["report", "-o", "kept.html", "--force"])
        .success();
    assert!(
        std::fs::read_to_string(ws.path().join("kept.html"))
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
}

/// The register's own file is never written over, `--force` or not: a test
/// of the file, so on SQLite in every run.
#[test]
fn a_report_is_not_written_over_the_register_file() {
    let ws = Workspace::with_file();
    ws.daicho(["init"]).success();
    ws.daicho([
        "import".as_ref(),
        repo_root()
            .join("examples/inventory/assets.csv")
            .as_os_str(),
    ])
    .success();
    ws.daicho([
        "report".as_ref(),
        "-o".as_ref(),
        ws.db().as_os_str(),
        "--force".as_ref(),
    ])
    .expect_code(1);
    ws.daicho(["verify"]).success();
}
