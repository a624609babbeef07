//! The self-inspection (issue 5), data-driven: an inventory and an
//! expected-findings file per case.
//!
//! - `tests/fixtures/rules/` is the fixture city: every rule violated at least
//!   once and satisfied at least once (`ok` lines name assets a rule must
//!   not report).
//! - `examples/inventory/` is the sample city; its README lists the planted
//!   findings, and `tests/fixtures/rules/example.expected` is that table as
//!   data (plus the cycle the README allows).
//!
//! Expected files hold one finding per line: the rule id, then the names of
//! the assets it names, in order, separated by tabs. `ok<TAB>rule<TAB>name`
//! says the rule must not name that asset. `#` starts a comment.

#![allow(clippy::missing_panics_doc, reason = "tests fail by panicking")]

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use daicho::parse::{parse_bool, parse_count, parse_date, split_multi};
use daicho::sheet::ImportOptions;
use daicho::{
    AssetFields, AssetId, AssetName, CheckOptions, Classification, Disposal, Hosting, HostingKind,
    Kind, Link, Medium, NewException, PersonalData, Policy, Proposal, Register, Relation, Report,
    Retention, RuleId, Sanitization, Scope, Segment,
};
use daicho_tests::repo_root;

/// The options with the date the example README's review findings assume.
fn options() -> CheckOptions {
    CheckOptions::default().with_today(parse_date("2026-11-25").unwrap().date)
}

/// A minimal reader for the CSV Excel writes: BOM, CRLF, quoted cells with
/// `""` escapes and line breaks. It feeds the API path of [`load`], which
/// enters the same inventory a second way (the real import is the first).
fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            (_, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !record.is_empty() {
        record.push(cell);
        records.push(record);
    }
    let header = records.remove(0);
    records
        .into_iter()
        .filter(|r| r.iter().any(|c| !c.is_empty()))
        .map(|r| header.iter().cloned().zip(r).collect())
        .collect()
}

/// Loads an inventory into an in-memory register: through the CSV import,
/// or with `reverse` through the API, adding assets and links in the opposite
/// order (the report must not change).
#[expect(
    clippy::too_many_lines,
    reason = "sets every field through the API, independently of the importer it checks"
)]
fn load(dir: &Path, reverse: bool) -> Register {
    let policy = Policy::niigata();
    let mut register = Register::in_memory(&policy).unwrap();
    if !reverse {
        register
            .import_paths(
                Some(&dir.join("assets.csv")),
                Some(&dir.join("links.csv")),
                &ImportOptions::default(),
            )
            .unwrap_or_else(|e| panic!("importing {}: {e}", dir.display()));
        add_exceptions(&mut register, dir);
        add_processes(&mut register, dir);
        add_corrections(&mut register, dir);
        return register;
    }
    let mut rows = read_csv(&dir.join("assets.csv"));
    if reverse {
        rows.reverse();
    }
    let mut ids = HashMap::new();
    for row in rows {
        let get = |key: &str| row.get(key).map(|s| s.trim()).unwrap_or_default();
        let opt = |key: &str| Some(get(key)).filter(|s| !s.is_empty()).map(str::to_owned);
        let name = get("資産名");
        let fail = |what: &str| -> ! { panic!("{name}: bad {what}") };
        let class = Classification::parse(&policy, get("機密性"), get("完全性"), get("可用性"))
            .unwrap_or_else(|_| fail("classification"));
        let org = policy
            .organization(get("所管"))
            .unwrap_or_else(|_| fail("organization"))
            .code
            .clone();
        let kind = Kind::parse(get("種別")).unwrap_or_else(|_| fail("kind"));
        let mut fields = AssetFields::new(kind, AssetName::new(name).unwrap(), org, class);
        get("所属").clone_into(&mut fields.department);
        fields.manager = opt("情報セキュリティ管理者");
        fields.segment =
            opt("ネットワーク区分").map(|s| Segment::parse(&s).unwrap_or_else(|_| fail("segment")));
        fields.medium = opt("媒体").map(|s| Medium::parse(&s).unwrap_or_else(|_| fail("medium")));
        fields.location = opt("保管場所");
        let flag =
            |key: &str| opt(key).is_some_and(|s| parse_bool(&s).unwrap_or_else(|_| fail(key)));
        fields.personal_data = PersonalData {
            personal: flag("個人情報"),
            sensitive: flag("要配慮個人情報"),
            my_number: flag("特定個人情報"),
        };
        fields.record_count =
            opt("件数").map(|s| parse_count(&s).unwrap_or_else(|_| fail("count")));
        for control in split_multi(get("管理策")) {
            let code = policy
                .control(control)
                .unwrap_or_else(|_| fail(control))
                .code
                .clone();
            fields.controls.insert(code);
        }
        fields.hosting = opt("運用形態").map(|s| Hosting {
            kind: HostingKind::parse(&s).unwrap_or_else(|_| fail("hosting")),
            provider: opt("委託先"),
            contract: opt("契約番号"),
        });
        fields.retention =
            opt("保存期間").map(|s| Retention::parse(&s).unwrap_or_else(|_| fail("retention")));
        if let Some(reason) = opt("適用除外") {
            let code = policy
                .exclusion(&reason)
                .unwrap_or_else(|_| fail("exclusion"))
                .code
                .clone();
            fields.scope = Scope::Excluded(code);
        }
        let date = |key: &str| opt(key).map(|s| parse_date(&s).unwrap_or_else(|_| fail(key)).date);
        fields.reviewed_on = date("点検日");
        fields.disposal = date("廃棄日").map(|date| Disposal {
            date,
            person: get("廃棄担当者").to_owned(),
            method: opt("廃棄方法"),
            approver: opt("廃棄承認者"),
            certificate: opt("廃棄証明書"),
        });
        fields.notes = opt("備考");
        let id: AssetId = get("資産ID").parse().unwrap_or_else(|_| fail("id"));
        register.add_with_id(id, fields).unwrap();
        ids.insert(name.to_owned(), id);
    }
    let mut links = read_csv(&dir.join("links.csv"));
    if reverse {
        links.reverse();
    }
    for row in links {
        let id = |key: &str| {
            *ids.get(&row[key])
                .unwrap_or_else(|| panic!("no asset `{}`", row[key]))
        };
        let mut link = Link::new(
            id("from"),
            Relation::parse(&row["relation"]).unwrap(),
            id("to"),
        );
        link.sanitization = Some(row["sanitization"].as_str())
            .filter(|s| !s.is_empty())
            .map(|s| Sanitization::parse(s).unwrap());
        register
            .link(link)
            .unwrap_or_else(|e| panic!("{} {} {}: {e}", row["from"], row["relation"], row["to"]));
    }
    add_exceptions(&mut register, dir);
    add_processes(&mut register, dir);
    add_corrections(&mut register, dir);
    register
}

/// Records the exceptions (例外措置) of `exceptions.csv`, when the case has
/// one (columns `rule`, `asset`, `to`, `reason`, `approver`, `approved_on`, `expires_on`;
/// assets by name); a sheet has no exceptions, so both paths use the API.
fn add_exceptions(register: &mut Register, dir: &Path) {
    let path = dir.join("exceptions.csv");
    if !path.exists() {
        return;
    }
    for row in read_csv(&path) {
        let id = |key: &str| {
            Some(row[key].as_str())
                .filter(|s| !s.is_empty())
                .map(|name| register.resolve(name).unwrap().id)
        };
        let date = |key: &str| {
            Some(row[key].as_str())
                .filter(|s| !s.is_empty())
                .map(|s| parse_date(s).unwrap().date)
        };
        let new = NewException {
            rule: row["rule"].parse().unwrap(),
            asset: id("asset").unwrap(),
            related: id("to"),
            reason: row["reason"].clone(),
            approver: row["approver"].clone(),
            approved_on: date("approved_on").unwrap(),
            expires_on: date("expires_on"),
            conditions: None,
        };
        register.add_exception(new).unwrap();
    }
}

/// Records the 事務 of `processes.csv`, when the case has one (columns
/// `name`, `handlers`, `persons`, `incident_on`, `evaluation`, `document`,
/// `published_on`, `files`: asset names separated by `;`), and puts each
/// file in its 事務 through its extra attribute `事務`.
fn add_processes(register: &mut Register, dir: &Path) {
    let path = dir.join("processes.csv");
    if !path.exists() {
        return;
    }
    for row in read_csv(&path) {
        let text = |key: &str| Some(row[key].clone()).filter(|s| !s.is_empty());
        let date = |key: &str| text(key).map(|s| parse_date(&s).unwrap().date);
        let evaluation = text("evaluation").map(|kind| daicho::Evaluation {
            kind: kind.parse().unwrap(),
            document: text("document").unwrap(),
            published_on: date("published_on").unwrap(),
        });
        register
            .add_process(&daicho::NewProcess {
                name: row["name"].clone(),
                handlers: row["handlers"].parse().unwrap(),
                stated_persons: text("persons").map(|n| n.parse().unwrap()),
                incident_on: date("incident_on"),
                evaluation,
            })
            .unwrap();
        for name in split_multi(&row["files"]) {
            let mut asset = register.resolve(name).unwrap();
            asset.fields.extra.insert("事務", row["name"].clone());
            register
                .update(asset.id, asset.version, asset.fields)
                .unwrap();
        }
    }
}

/// Records a run and sets the due dates of `corrections.csv`, when the
/// case has one (columns `rule`, `asset` by name, `due`, `owner`).
fn add_corrections(register: &mut Register, dir: &Path) {
    let path = dir.join("corrections.csv");
    if !path.exists() {
        return;
    }
    register.record_check(&options()).unwrap();
    for row in read_csv(&path) {
        let asset = register.resolve(&row["asset"]).unwrap();
        let key = format!("{}:{}", row["rule"], asset.id);
        register
            .set_finding(
                &key,
                &daicho::FindingUpdate {
                    status: None,
                    owner: Some(row["owner"].clone()),
                    due_on: Some(Some(parse_date(&row["due"]).unwrap().date)),
                },
            )
            .unwrap();
    }
}

/// Expected findings and `ok` assertions from a file.
struct Expected {
    findings: Vec<String>,
    ok: Vec<(RuleId, String)>,
}

fn read_expected(path: &Path) -> Expected {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut expected = Expected {
        findings: Vec::new(),
        ok: Vec::new(),
    };
    for line in text.lines().map(str::trim_end) {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("ok\t") {
            let (rule, name) = rest
                .split_once('\t')
                .unwrap_or_else(|| panic!("bad line {line:?}"));
            expected.ok.push((
                rule.parse()
                    .unwrap_or_else(|_| panic!("bad rule in {line:?}")),
                name.to_owned(),
            ));
        } else {
            let rule = line.split('\t').next().unwrap_or_default();
            assert!(rule.parse::<RuleId>().is_ok(), "bad rule in {line:?}");
            expected.findings.push(line.to_owned());
        }
    }
    expected.findings.sort();
    expected
}

/// The findings as expected-file lines, sorted.
fn actual_lines(report: &Report) -> Vec<String> {
    let mut lines: Vec<String> = report
        .findings
        .iter()
        .map(|f| {
            let mut line = f.rule.code().to_owned();
            for asset in &f.assets {
                line.push('\t');
                line.push_str(&asset.name);
            }
            // A finding on a 事務 with no file names the 事務.
            if let (true, Some(daicho::Subject::Process { name, .. })) =
                (f.assets.is_empty(), &f.subject)
            {
                line.push_str("\t事務:");
                line.push_str(name);
            }
            line
        })
        .collect();
    lines.sort();
    lines
}

#[track_caller]
fn check_case(dir: &Path, expected: &Path) -> Report {
    let register = load(dir, false);
    let report = register.check(&options()).unwrap();
    let expected = read_expected(expected);
    let actual = actual_lines(&report);
    let missing: Vec<_> = expected
        .findings
        .iter()
        .filter(|l| !actual.contains(l))
        .collect();
    let extra: Vec<_> = actual
        .iter()
        .filter(|l| !expected.findings.contains(l))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "findings differ\n  missing:\n    {}\n  unexpected:\n    {}\n  (messages:\n    {})",
        missing
            .iter()
            .map(|s| s.replace('\t', " | "))
            .collect::<Vec<_>>()
            .join("\n    "),
        extra
            .iter()
            .map(|s| s.replace('\t', " | "))
            .collect::<Vec<_>>()
            .join("\n    "),
        report
            .findings
            .iter()
            .map(|f| format!("{} {}", f.rule, f.message_en))
            .collect::<Vec<_>>()
            .join("\n    "),
    );
    for (rule, name) in &expected.ok {
        assert!(
            report.assets_named(name).any(|_| true) || register.resolve(name).is_ok(),
            "`ok` line names unknown asset {name}"
        );
        assert!(
            !report
                .of_rule(*rule)
                .any(|f| f.assets.iter().any(|a| &a.name == name)),
            "{rule} must not report {name}"
        );
    }
    // The same inventory entered in the opposite order gives the same report
    // (but for the audit log's head, which records the order).
    let mut reversed = load(dir, true).check(&options()).unwrap();
    assert_ne!(reversed.head, None);
    reversed.head = report.head;
    assert_eq!(report, reversed, "the report depends on the order of entry");
    report
}

trait Named {
    fn assets_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a daicho::Finding>;
}

impl Named for Report {
    fn assets_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a daicho::Finding> {
        self.findings
            .iter()
            .filter(move |f| f.assets.iter().any(|a| a.name == name))
    }
}

/// The fixture city as a register written before the write path refused
/// numbers shaped like a 個人番号: one held in 住民データ's 備考, made here
/// from eleven digits and its check digit (no committed file holds one).
fn with_a_my_number(dir: &Path) -> Report {
    let register = load(dir, false);
    let mut assets = register
        .assets(&daicho::Filter {
            disposed: daicho::Disposed::Include,
            ..daicho::Filter::default()
        })
        .unwrap();
    let first = "31415926535";
    let number = format!("{first}{}", daicho::mynumber::check_digit(first).unwrap());
    let held = assets
        .iter_mut()
        .find(|a| a.name() == "住民データ")
        .unwrap();
    held.fields.notes = Some(format!("個人番号 {number}"));
    let snapshot = daicho::Snapshot::new(register.policy(), &assets, &register.links().unwrap());
    snapshot.unwrap().check(&options())
}

#[test]
fn fixture_city_violates_and_satisfies_every_rule() {
    let dir = repo_root().join("tests/fixtures/rules");
    let report = check_case(&dir, &dir.join("expected.txt"));
    let expected = read_expected(&dir.join("expected.txt"));
    let legacy = with_a_my_number(&dir);
    let found: Vec<&str> = legacy
        .of_rule(RuleId::MyNumberLike)
        .map(|f| f.message_en.as_str())
        .collect();
    assert_eq!(
        found,
        ["住民データ holds a number shaped like a My Number in `notes` (3141********)"]
    );
    for rule in RuleId::ALL {
        let violated = if *rule == RuleId::MyNumberLike {
            &legacy
        } else {
            &report
        };
        assert!(
            violated.of_rule(*rule).next().is_some(),
            "no case violates {rule}"
        );
        assert!(
            expected.ok.iter().any(|(r, _)| r == rule),
            "no case satisfies {rule}"
        );
    }
}

#[test]
fn example_inventory_has_the_planted_findings() {
    let report = check_case(
        &repo_root().join("examples/inventory"),
        &repo_root().join("tests/fixtures/rules/example.expected"),
    );
    assert_eq!(report.excluded.len(), 6);
    assert_eq!(report.disposed, 3);
    assert_eq!(report.checked, 71 - 6 - 3);
    assert_eq!(report.links, 63);
}

#[test]
fn explain_shows_a_two_hop_path_on_the_example() {
    let register = load(&repo_root().join("examples/inventory"), false);
    let backup = register
        .resolve("住民基本台帳システム遠隔地バックアップ")
        .unwrap();
    let explanation = register.explain(backup.id).unwrap();
    let c = &explanation.axes[0];
    assert_eq!(c.effective.code(), "3B");
    assert_eq!(c.declared.code(), "3B");
    assert_eq!(c.origin.name, "住民記録データ");
    let path: Vec<String> = c
        .path
        .iter()
        .map(|s| format!("{} {} {}", s.from.name, s.relation, s.to.name))
        .collect();
    assert_eq!(
        path,
        [
            "住民記録データ stored_on 住民基本台帳システム",
            "住民基本台帳システム遠隔地バックアップ copy_of 住民基本台帳システム",
        ]
    );
    assert!(!c.is_below());
    // Flagged itself, and also holding what 住民記録データ brings by the same path.
    assert_eq!(explanation.my_number.as_ref().map(Vec::len), Some(2));

    let hr = register.resolve("人事給与システム").unwrap();
    let explanation = register.explain(hr.id).unwrap();
    let c = &explanation.axes[0];
    assert!(c.is_below());
    assert_eq!((c.declared.code(), c.effective.code()), ("2", "3C"));
    assert_eq!(c.path.len(), 1);
    assert!(
        explanation
            .findings
            .iter()
            .any(|f| f.rule == RuleId::ClassBelowInherited)
    );
}

#[test]
fn what_if_names_the_assets_a_link_would_raise() {
    let register = load(&repo_root().join("examples/inventory"), false);
    let options = options();
    let resident = register.resolve("住民記録データ").unwrap();
    let groupware = register.resolve("グループウェア").unwrap();
    let answer = register
        .what_if(
            &Proposal::Link(Link::new(resident.id, Relation::StoredOn, groupware.id)),
            &options,
        )
        .unwrap();
    let raised: Vec<String> = answer
        .raised
        .iter()
        .map(|r| format!("{} {} {}→{}", r.asset.name, r.axis, r.from, r.to))
        .collect();
    assert_eq!(raised, ["グループウェア confidentiality 2→3B"]);
    assert!(
        answer
            .new_findings
            .iter()
            .any(|f| f.rule == RuleId::ClassBelowInherited)
    );
    assert!(
        answer
            .new_findings
            .iter()
            .any(|f| f.rule == RuleId::MyNumberOutside)
    );
    assert!(answer.resolved_findings.is_empty());
    // A link the register would refuse is refused here too.
    assert!(
        register
            .what_if(
                &Proposal::Link(Link::new(groupware.id, Relation::StoredOn, resident.id)),
                &options,
            )
            .is_err()
    );

    // Raising 人事給与システム to 3C resolves finding 11 and raises nothing else.
    let hr = register.resolve("人事給与システム").unwrap();
    let policy = register.policy();
    let answer = register
        .what_if(
            &Proposal::Reclassify {
                id: hr.id,
                classification: Classification::parse(policy, "3C", "2", "2").unwrap(),
            },
            &options,
        )
        .unwrap();
    assert!(answer.raised.is_empty());
    assert_eq!(answer.resolved_findings.len(), 1);
    assert_eq!(
        answer.resolved_findings[0].rule,
        RuleId::ClassBelowInherited
    );
}

/// Writes the example inventory into the workspace's register file.
fn example_workspace() -> daicho_tests::Workspace {
    let ws = daicho_tests::Workspace::new();
    let dir = repo_root().join("examples/inventory");
    let mut register = Register::create(ws.location(), &Policy::niigata()).unwrap();
    register
        .import_paths(
            Some(&dir.join("assets.csv")),
            Some(&dir.join("links.csv")),
            &ImportOptions::default(),
        )
        .unwrap();
    ws
}

#[test]
fn cli_check_shows_sections_and_exits_by_fail_on() {
    let ws = example_workspace();
    let run = ws.daicho(["check", "--today", "2026-11-25"]).expect_code(1);
    assert!(run.stdout.contains("§6(3)ア"), "{}", run.stdout);
    assert!(run.stdout.contains("segment.lgwan_internet"));
    assert!(run.stdout.contains("適用除外の資産"));
    assert!(
        run.stderr.contains("違反 9件、要改善 8件"),
        "{}",
        run.stderr
    );
    ws.daicho(["check", "--today", "2026-11-25", "--fail-on", "never"])
        .expect_code(0);

    let json = ws
        .daicho(["check", "--today", "令和8年11月25日", "--format", "json"])
        .expect_code(1)
        .json();
    assert_eq!(json["findings"].as_array().unwrap().len(), 17);
    assert_eq!(json["excluded"].as_array().unwrap().len(), 6);

    let csv = ws
        .daicho([
            "check",
            "--today",
            "2026-11-25",
            "--format",
            "csv",
            "--lang",
            "en",
        ])
        .expect_code(1);
    assert!(
        csv.stdout
            .starts_with("organization,severity,rule,section,assets,message")
    );
    assert_eq!(csv.stdout.lines().count(), 18);
}

#[test]
fn cli_explain_what_if_and_risk() {
    let ws = example_workspace();
    let run = ws
        .daicho(["explain", "住民基本台帳システム遠隔地バックアップ"])
        .success();
    assert!(
        run.stdout.contains(
            "住民記録データ (イ) stored_on 住民基本台帳システム (ア) → 住民基本台帳システム遠隔地バックアップ (ア) copy_of 住民基本台帳システム (ア)"
        ),
        "{}",
        run.stdout
    );
    let json = ws
        .daicho(["explain", "人事給与システム", "--format", "json"])
        .success()
        .json();
    assert_eq!(json["axes"][0]["below"], true);
    assert_eq!(json["axes"][0]["effective"], "3C");

    let json = ws
        .daicho([
            "check",
            "--what-if-class",
            "人事給与システム",
            "3C",
            "2",
            "2",
            "--format",
            "json",
        ])
        .success()
        .json();
    assert_eq!(json["raised"].as_array().unwrap().len(), 0);
    assert_eq!(
        json["resolved_findings"][0]["rule"],
        "class.below_inherited"
    );

    ws.daicho([
        "risk",
        "set",
        "住民基本台帳システム",
        "intentional",
        "3",
        "2",
    ])
    .success();
    ws.daicho(["risk", "set", "住民基本台帳システム", "meteor", "3", "2"])
        .expect_code(1);
    let json = ws.daicho(["risk", "--format", "json"]).success().json();
    assert_eq!(json["entries"][0]["value"], 6);
    assert_eq!(json["entries"][0]["band"], "high");
    assert_eq!(json["not_assessed"].as_array().unwrap().len(), 61);
}
