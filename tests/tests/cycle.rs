//! Issue 16: the yearly cycle. A scripted year of changes, dated through
//! the library's clock, then the CLI's `export --as-of` compared byte for
//! byte with the exports taken on those days, `changes` against the script,
//! and a tampered entry refusing the days after it only.

use std::path::Path;
use std::process::Command;

use daicho::{
    AssetFields, AssetId, AssetName, Classification, Disposal, FieldChange, Kind, Link, Policy,
    Register, Relation,
};
use daicho_tests::{Run, Workspace, daicho_bin};
use jiff::Timestamp;
use jiff::civil::{Date, date};
use jiff::tz::{TimeZone, offset};

/// The zone the CLI runs in: Japan's, as a POSIX TZ string the system need not know.
const TZ: &str = "JST-9";

fn japan() -> TimeZone {
    TimeZone::fixed(offset(9))
}

/// A time of day in Japan.
fn at(day: Date, hour: i8) -> Timestamp {
    japan().to_timestamp(day.at(hour, 0, 0, 0)).unwrap()
}

/// Runs the CLI on the workspace's register in Japan's time zone.
fn daicho(ws: &Workspace, args: &[&str]) -> Run {
    Command::new(daicho_bin())
        .current_dir(ws.path())
        .env("DAICHO_DB", ws.location())
        .env("DAICHO_ACTOR", "test-actor")
        .env("TZ", TZ)
        .args(args)
        .output()
        .map(Run::from)
        .expect("daicho runs")
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Takes the export (assets and links) `export` writes now, or as of a day.
fn export(ws: &Workspace, name: &str, as_of: Option<&str>) -> (Vec<u8>, Vec<u8>) {
    let assets = format!("{name}.csv");
    let links = format!("{name}-links.csv");
    let mut args = vec![
        "export",
        "-o",
        &assets,
        "--links",
        &links,
        "--headers",
        "ja",
    ];
    if let Some(day) = as_of {
        args.extend(["--as-of", day]);
    }
    daicho(ws, &args).success();
    (
        read(&ws.path().join(&assets)),
        read(&ws.path().join(&links)),
    )
}

struct Year {
    register: Register,
    /// The scripted edits: entry, asset, field and old → new.
    edits: Vec<(u64, String, &'static str, String, String)>,
}

impl Year {
    fn on(&mut self, day: Date, hour: i8) {
        self.register.set_clock(Some(at(day, hour)));
    }

    fn add(&mut self, name: &str, kind: &str, department: &str) -> AssetId {
        let policy = self.register.policy();
        let mut fields = AssetFields::new(
            Kind::parse(kind).unwrap(),
            AssetName::new(name).unwrap(),
            policy.organization("市長部局").unwrap().code.clone(),
            Classification::parse(policy, "3C", "2", "2").unwrap(),
        );
        department.clone_into(&mut fields.department);
        self.register.add(fields).unwrap().id
    }

    /// Changes one text field, noting the edit the log should list.
    fn edit(&mut self, id: AssetId, field: &'static str, new: &str) {
        let asset = self.register.get(id).unwrap();
        let (old, change) = match field {
            "manager" => (
                asset.fields.manager.clone().unwrap_or_default(),
                FieldChange::Manager(Some(new.to_owned())),
            ),
            "department" => (
                asset.fields.department.clone(),
                FieldChange::Department(new.to_owned()),
            ),
            "location" => (
                asset.fields.location.clone().unwrap_or_default(),
                FieldChange::Location(Some(new.to_owned())),
            ),
            other => panic!("the script edits no `{other}`"),
        };
        self.register.edit(id, None, [change]).unwrap();
        let seq = self.register.head().unwrap().entries;
        let name = asset.name().to_owned();
        self.edits.push((seq, name, field, old, new.to_owned()));
    }
}

/// The exports taken on three days, the scripted edits, and the entry a
/// tamper test changes (a disposal in July).
struct Script {
    march: (Vec<u8>, Vec<u8>),
    august: (Vec<u8>, Vec<u8>),
    november: (Vec<u8>, Vec<u8>),
    edits: Vec<(u64, String, &'static str, String, String)>,
    july_entry: u64,
}

/// Twelve months of changes, with the register's exports taken on the last
/// day of March, August and November.
fn script(ws: &Workspace) -> Script {
    let register = Register::create_at(
        ws.location(),
        &Policy::niigata(),
        "情報政策課",
        Some(at(date(2026, 1, 5), 9)),
    )
    .unwrap();
    let mut year = Year {
        register,
        edits: Vec::new(),
    };

    // January to March: the inventory is registered and linked.
    year.on(date(2026, 1, 5), 10);
    let server = year.add("住基サーバ", "ア", "市民課");
    let records = year.add("住民記録データ", "イ", "市民課");
    let manual = year.add("窓口マニュアル", "ウ", "市民課");
    let tax = year.add("課税台帳", "イ", "税務課");
    year.on(date(2026, 2, 12), 14);
    year.register
        .link(Link::new(records, Relation::StoredOn, server))
        .unwrap();
    year.edit(records, "manager", "佐藤");
    year.on(date(2026, 3, 31), 17);
    year.edit(tax, "location", "本庁舎3階");
    let march = export(ws, "march", None);

    // April to August: a reorganization, a disposal, an unlink.
    year.on(date(2026, 4, 1), 9);
    year.edit(manual, "department", "窓口サービス課");
    year.on(date(2026, 5, 20), 11);
    year.edit(server, "manager", "鈴木");
    let backup = year.add("バックアップ媒体", "ア", "市民課");
    year.on(date(2026, 7, 7), 15);
    year.register
        .link(Link::new(records, Relation::StoredOn, backup))
        .unwrap();
    year.register
        .unlink(records, Relation::StoredOn, server)
        .unwrap();
    year.register
        .dispose(
            server,
            None,
            Disposal {
                date: date(2026, 7, 7),
                person: "鈴木".to_owned(),
                method: Some("物理破壊".to_owned()),
                approver: Some("市民課長".to_owned()),
                certificate: None,
            },
        )
        .unwrap();
    let tampered = year.register.head().unwrap().entries;
    year.on(date(2026, 8, 31), 23);
    year.edit(tax, "manager", "高橋");
    let august = export(ws, "august", None);

    // September to November: more edits, one asset deleted.
    year.on(date(2026, 9, 1), 0);
    year.edit(records, "location", "データセンター");
    year.on(date(2026, 10, 15), 10);
    year.register.delete(manual, "重複登録").unwrap();
    year.on(date(2026, 11, 20), 16);
    year.edit(tax, "department", "市民税課");
    let november = export(ws, "november", None);
    Script {
        march,
        august,
        november,
        edits: year.edits,
        july_entry: tampered,
    }
}

#[test]
fn the_register_as_of_three_days_exports_as_it_did_on_them() {
    let ws = Workspace::new();
    let Script {
        march,
        august,
        november,
        ..
    } = script(&ws);
    assert_eq!(export(&ws, "march-as-of", Some("2026-03-31")), march);
    assert_eq!(export(&ws, "august-as-of", Some("2026-08-31")), august);
    assert_eq!(
        export(&ws, "november-as-of", Some("令和8年11月30日")),
        november
    );
    assert_ne!(march, august);
}

#[test]
fn changes_list_exactly_the_scripted_edits() {
    let ws = Workspace::new();
    let script = script(&ws);

    // The edits from April to August, exactly, in the order made.
    let run = daicho(
        &ws,
        &[
            "changes",
            "--since",
            "2026-04-01",
            "--until",
            "2026-08-31",
            "--format",
            "json",
        ],
    )
    .success();
    let listed: Vec<(u64, String, &str, String, String)> = run
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["action"] == "update")
        .map(|c| {
            let text = |key: &str| c[key].as_str().unwrap_or_default().to_owned();
            let field = match c["field"].as_str() {
                Some("manager") => "manager",
                Some("department") => "department",
                Some("location") => "location",
                other => panic!("an edit of {other:?} that the script did not make"),
            };
            (
                c["seq"].as_u64().unwrap(),
                text("asset_name"),
                field,
                text("old"),
                text("new"),
            )
        })
        .collect();
    let scripted: Vec<_> = script
        .edits
        .iter()
        .filter(|(_, _, _, _, new)| ["窓口サービス課", "鈴木", "高橋"].contains(&new.as_str()))
        .cloned()
        .collect();
    assert_eq!(listed, scripted);
    // Every change of the year is there, each edit with its time in Japan.
    let whole = daicho(
        &ws,
        &["changes", "--since", "2026-01-01", "--format", "json"],
    )
    .success();
    let all = whole.json();
    let all = all.as_array().unwrap();
    let updates = all.iter().filter(|c| c["action"] == "update").count();
    assert_eq!(updates, script.edits.len());
    assert!(all.iter().any(|c| c["at"] == "2026-08-31T23:00:00+09:00"));
    assert!(all.iter().any(|c| c["action"] == "dispose"));
    assert!(all.iter().any(|c| c["action"] == "delete"));
    // The section as the asset was then: the manual's edit is 窓口サービス課's.
    let section = daicho(
        &ws,
        &[
            "--lang",
            "ja",
            "changes",
            "--since",
            "2026-01-01",
            "--dept",
            "窓口サービス課",
        ],
    )
    .success();
    assert!(
        section.stdout.contains("窓口マニュアル"),
        "{}",
        section.stdout
    );
    assert!(section.stdout.contains("所属"), "{}", section.stdout);
    assert!(!section.stdout.contains("課税台帳"), "{}", section.stdout);
}

#[test]
fn a_tampered_entry_refuses_the_days_after_it_and_not_those_before() {
    let ws = Workspace::new();
    let Script {
        march,
        july_entry: tampered,
        ..
    } = script(&ws);
    let tamper = format!("UPDATE audit_log SET actor = '改ざん' WHERE seq = {tampered}");
    ws.execute_sql(&tamper, &tamper);
    let refused = daicho(
        &ws,
        &["export", "--as-of", "2026-08-31", "-o", "refused.csv"],
    );
    assert_ne!(refused.code, 0);
    assert!(
        refused
            .stderr
            .contains(&format!("audit entry {tampered} does not verify")),
        "{}",
        refused.stderr
    );
    assert!(!ws.path().join("refused.csv").exists());
    for command in ["list", "summary", "check"] {
        let run = daicho(&ws, &[command, "--as-of", "2026-08-31"]);
        assert_ne!(run.code, 0, "{command}");
        assert!(
            run.stderr.contains(&format!("audit entry {tampered}")),
            "{}",
            run.stderr
        );
    }
    assert_eq!(export(&ws, "march-again", Some("2026-03-31")), march);
    let june = daicho(&ws, &["--lang", "en", "list", "--as-of", "2026-06-30"]).success();
    assert!(june.stdout.contains("バックアップ媒体"), "{}", june.stdout);
}

/// The example city's register (みなと市), as `scripts/demo` builds it.
fn example() -> Workspace {
    let ws = Workspace::new();
    for name in ["assets.csv", "links.csv"] {
        std::fs::copy(
            daicho_tests::repo_root()
                .join("examples/inventory")
                .join(name),
            ws.path().join(name),
        )
        .expect("the example's sheets are readable");
    }
    daicho(&ws, &["init"]).success();
    daicho(&ws, &["import", "assets.csv"]).success();
    daicho(&ws, &["import", "--links", "links.csv"]).success();
    ws
}

/// Sets the 情報セキュリティ管理者 of the first two rows of a section's sheet.
fn edit_two_managers(path: &Path) -> [(String, String); 2] {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (name_at, manager_at) = (at("資産名"), at("情報セキュリティ管理者"));
    let mut rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut edited = Vec::new();
    for (row, manager) in rows.iter_mut().zip(["棚卸 一郎", "棚卸 二郎"]) {
        let mut cells: Vec<String> = row.iter().map(str::to_owned).collect();
        manager.clone_into(&mut cells[manager_at]);
        edited.push((cells[name_at].clone(), manager.to_owned()));
        *row = csv::StringRecord::from(cells);
    }
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(&headers).unwrap();
    for row in &rows {
        writer.write_record(row).unwrap();
    }
    std::fs::write(path, writer.into_inner().unwrap()).unwrap();
    [edited[0].clone(), edited[1].clone()]
}

/// The section of `mayor` returns its sheet with two edits: applied and
/// attested in one transaction.
fn returns_a_sheet_with_two_edits(ws: &Workspace, department: &str) {
    // 市民課 returns its sheet with two edits: applied and attested at once.
    daicho(
        ws,
        &[
            "campaign",
            "export",
            "--dept",
            department,
            "--org",
            "mayor",
            "-o",
            "市民課.csv",
        ],
    )
    .success();
    let edits = edit_two_managers(&ws.path().join("市民課.csv"));
    let head_before = daicho(ws, &["verify", "--format", "json"]).success().json()["head"].clone();
    let done = daicho(
        ws,
        &[
            "attest",
            "--dept",
            department,
            "--org",
            "mayor",
            "--by",
            "市民課長",
            "--sheet",
            "市民課.csv",
            "--format",
            "json",
        ],
    )
    .success()
    .json();
    assert_eq!(done["import"]["assets"]["updated"], 2, "{done}");
    for (name, manager) in &edits {
        let shown = daicho(ws, &["show", name, "--format", "json"])
            .success()
            .json();
        assert_eq!(shown["asset"]["manager"], manager.as_str(), "{shown}");
        assert_eq!(
            shown["asset"]["reviewed_on"], done["attested_on"],
            "{shown}"
        );
    }
    // One transaction: the sheet's two entries, one per asset marked, and the attestation.
    let confirmed = done["confirmed"].as_u64().unwrap();
    let marked = done["marked"].as_u64().unwrap();
    let head_after = daicho(ws, &["verify", "--format", "json"]).success().json()["head"].clone();
    let entries = |head: &serde_json::Value| -> u64 {
        head.as_str()
            .unwrap()
            .split(':')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(entries(&head_after) - entries(&head_before), 2 + marked + 1);
    assert!(marked <= confirmed && confirmed >= 2);
}

/// An asset added to a section after its attestation is listed as not yet confirmed.
fn a_later_asset_is_not_confirmed(ws: &Workspace, department: &str) {
    // An asset added to 市民課 afterwards is listed as not yet confirmed.
    daicho(
        ws,
        &[
            "add",
            "--kind",
            "イ",
            "--name",
            "証明書交付記録",
            "--org",
            "市長部局",
            "--department",
            department,
            "-c",
            "3C",
            "-i",
            "2",
            "-a",
            "2",
        ],
    )
    .success();
    let later = daicho(ws, &["campaign", "status", "--format", "json"])
        .success()
        .json();
    let citizens = later["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["department"] == department)
        .unwrap()
        .clone();
    assert_eq!(
        citizens["unconfirmed"][0]["name"], "証明書交付記録",
        "{citizens}"
    );
}

#[test]
fn a_campaign_over_the_example_city_every_section_attested_but_one_overdue() {
    let ws = example();
    daicho(&ws, &["campaign", "start", "2026", "--due", "2026-11-30"]).success();
    let status = daicho(&ws, &["campaign", "status", "--format", "json"]).success();
    let sections: Vec<(String, String)> = status.json()["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let text = |key: &str| s[key].as_str().unwrap().to_owned();
            (text("organization"), text("department"))
        })
        .collect();
    assert!(sections.len() > 10, "{sections:?}");
    let returning = ("mayor".to_owned(), "市民生活部 市民課".to_owned());
    let left_open = ("election".to_owned(), "事務局 選挙課".to_owned());
    assert!(sections.contains(&returning) && sections.contains(&left_open));

    returns_a_sheet_with_two_edits(&ws, &returning.1);

    // Every other section but one attests without a sheet.
    for (organization, department) in &sections {
        if (organization, department) == (&returning.0, &returning.1)
            || (organization, department) == (&left_open.0, &left_open.1)
        {
            continue;
        }
        daicho(
            &ws,
            &[
                "attest",
                "--dept",
                department,
                "--org",
                organization,
                "--by",
                "所属長",
            ],
        )
        .success();
    }
    let after_due = daicho(
        &ws,
        &[
            "campaign",
            "status",
            "--today",
            "2026-12-01",
            "--format",
            "json",
        ],
    )
    .success()
    .json();
    for section in after_due["sections"].as_array().unwrap() {
        let key = (
            section["organization"].as_str().unwrap().to_owned(),
            section["department"].as_str().unwrap().to_owned(),
        );
        let expected = if key == left_open {
            "overdue"
        } else {
            "attested"
        };
        assert_eq!(section["state"], expected, "{section}");
    }
    let on_due = daicho(
        &ws,
        &[
            "campaign",
            "status",
            "--today",
            "2026-11-30",
            "--lang",
            "en",
        ],
    )
    .success();
    assert!(
        on_due.stdout.contains("1 open, 0 overdue"),
        "{}",
        on_due.stdout
    );
    let table = daicho(&ws, &["campaign", "status", "--today", "2026-12-01"]).success();
    assert!(table.stdout.contains("期限超過 1"), "{}", table.stdout);
    // The log replays it all.
    daicho(&ws, &["verify"]).success();
    a_later_asset_is_not_confirmed(&ws, &returning.1);
    daicho(&ws, &["campaign", "close"]).success();
    let refused = daicho(&ws, &["attest", "--dept", &left_open.1, "--by", "x"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
}

/// A section's list as a workbook (`campaign export -o X.xlsx`, the workbook
/// `export -o X.xlsx --department X` writes), returned unchanged, is
/// attested: its import changes nothing.
#[test]
fn a_sections_workbook_returned_unchanged_is_attested_and_changes_nothing() {
    let ws = example();
    let department = "市民生活部 市民課";
    daicho(&ws, &["campaign", "start", "2026"]).success();
    daicho(
        &ws,
        &[
            "campaign",
            "export",
            "--dept",
            department,
            "--org",
            "mayor",
            "-o",
            "市民課.xlsx",
        ],
    )
    .success();
    let done = daicho(
        &ws,
        &[
            "attest",
            "--dept",
            department,
            "--org",
            "mayor",
            "--by",
            "市民課長",
            "--sheet",
            "市民課.xlsx",
            "--format",
            "json",
        ],
    )
    .success()
    .json();
    let assets = &done["import"]["assets"];
    assert_eq!(assets["created"], 0, "{done}");
    assert_eq!(assets["updated"], 0, "{done}");
    assert_eq!(assets["unchanged"], done["confirmed"], "{done}");
    daicho(&ws, &["verify"]).success();
}
