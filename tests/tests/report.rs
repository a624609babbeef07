//! `daicho report` on the example city: every number the report shows from
//! `summary`, `check` and `risk` equals the one their JSON gives on the same
//! register, user text is escaped, and the page loads nothing.
//!
//! The page marks each such number `data-count="KEY"`, the key naming where
//! the number is in the JSON (`summary.by_kind.information`,
//! `check.rule.review.overdue`, `risks.matrix.3.2`).

use std::collections::BTreeMap;

use daicho_tests::{Workspace, repo_root};
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
    expected
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
fn a_report_is_not_written_over_a_file_or_the_register() {
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
    ws.daicho([
        "report".as_ref(),
        "-o".as_ref(),
        ws.db().as_os_str(),
        "--force".as_ref(),
    ])
    .expect_code(1);
    ws.daicho(["verify"]).success();
}
