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
        .env("DAICHO_DB", ws.db())
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
        ws.db(),
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
    rusqlite::Connection::open(ws.db())
        .and_then(|conn| {
            conn.execute(
                "UPDATE audit_log SET actor = '改ざん' WHERE seq = ?1",
                [i64::try_from(tampered).unwrap()],
            )
        })
        .unwrap();
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
