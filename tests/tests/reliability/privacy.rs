//! Personal numbers and limits (SECURITY.md; issue 13 item 8, issue 11
//! items 6 to 8): a 個人番号 is refused on every door and never written, no
//! message prints a run of twelve digits whole, oversized input is refused
//! without an abort, and the CLI says who acted and when a register is open
//! to others.
//!
//! No committed file holds a whole valid 個人番号: the numbers here are built
//! at run time from eleven digits and the check digit of 省令 第5条.

use std::io::Write as _;
use std::path::Path;

use daicho::mynumber;
use daicho_tests::{Run, Workspace, daicho_bin, repo_root};

/// A number with a valid check digit, built from its first eleven digits.
fn my_number(first: &str) -> String {
    format!("{first}{}", mynumber::check_digit(first).unwrap())
}

/// Three groups of four digits joined by `separator`.
fn grouped(number: &str, separator: &str) -> String {
    format!(
        "{}{separator}{}{separator}{}",
        &number[..4],
        &number[4..8],
        &number[8..12]
    )
}

fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(u32::from('０') + d).unwrap(),
            None => c,
        })
        .collect()
}

/// The runs of twelve digits a text prints whole: twelve digits in a row,
/// or three groups of four joined by a space or a hyphen, in ASCII or
/// full-width digits; UUIDs (asset ids) and SHA-256 hashes (the audit
/// head, 64 hex digits that hold a digit run by chance) are not counted.
fn whole_runs(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let shape: Vec<char> = line
            .chars()
            .map(|c| match c {
                '0'..='9' | '０'..='９' => 'd',
                ' ' | '-' | '\u{3000}' | '－' => '-',
                c if c.is_ascii_hexdigit() => 'h',
                _ => '.',
            })
            .collect();
        let shape: String = shape.into_iter().collect();
        let uuid_free = mask_hashes(line, &mask_uuids(line, &shape));
        for pattern in ["dddddddddddd", "dddd-dddd-dddd"] {
            if uuid_free.contains(pattern) {
                found.push(line.to_owned());
            }
        }
    }
    found
}

#[test]
fn the_scan_skips_hashes_and_ids_but_not_digit_runs() {
    // The head printed when this scan first failed, by chance holding 14 digits.
    let head = "監査ログの先頭: 3:aaf33a817e9f8f63a5b783fe72ba3d7aaea2d11712350455320ff73531fd7dab";
    assert!(whole_runs(head).is_empty());
    assert!(whole_runs("6a757fa2-e41c-45e1-a01e-123456789012").is_empty());
    assert_eq!(whole_runs("件数 123456789012 人").len(), 1);
    assert_eq!(whole_runs("1234-5678-9012").len(), 1);
}

/// The shape of a line with its SHA-256 hashes (64 hex digits in a row)
/// blanked out.
fn mask_hashes(line: &str, shape: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut shape: Vec<char> = shape.chars().collect();
    let mut start = 0;
    while start < chars.len() {
        let end = start
            + chars[start..]
                .iter()
                .take_while(|c| c.is_ascii_hexdigit())
                .count();
        if end - start == 64 {
            shape[start..end].fill('.');
        }
        start = end + 1;
    }
    shape.into_iter().collect()
}

/// The shape of a line with its UUIDs blanked out.
fn mask_uuids(line: &str, shape: &str) -> String {
    let hex = |c: char| c.is_ascii_hexdigit();
    let chars: Vec<char> = line.chars().collect();
    let mut shape: Vec<char> = shape.chars().collect();
    let groups = [8, 4, 4, 4, 12];
    let mut start = 0;
    while start < chars.len() {
        let mut at = start;
        let mut ok = true;
        for (i, len) in groups.iter().enumerate() {
            if i > 0 {
                ok &= chars.get(at) == Some(&'-');
                at += 1;
            }
            ok &= at + len <= chars.len() && chars[at..at + len].iter().all(|&c| hex(c));
            at += len;
            if !ok {
                break;
            }
        }
        if ok {
            shape[start..at].fill('.');
            start = at;
        } else {
            start += 1;
        }
    }
    shape.into_iter().collect()
}

#[track_caller]
fn assert_masked(what: &str, run: &Run) {
    let text = format!("{}\n{}", run.stdout, run.stderr);
    let whole = whole_runs(&text);
    assert!(whole.is_empty(), "{what} printed whole: {whole:#?}");
}

/// True when a file holds the bytes of `number` anywhere.
fn file_holds(path: &Path, number: &str) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes
        .windows(number.len())
        .any(|window| window == number.as_bytes())
}

/// The register's file and its journal, if any.
fn register_files(ws: &Workspace) -> Vec<std::path::PathBuf> {
    let db = ws.db();
    let wal = db.with_extension("db-wal");
    [db, wal].into_iter().filter(|p| p.exists()).collect()
}

fn add(ws: &Workspace, extra: &[&str]) -> Run {
    let mut args = vec![
        "add",
        "--kind",
        "イ",
        "--name",
        "資産",
        "--org",
        "水道局",
        "-c",
        "2",
        "-i",
        "1",
        "-a",
        "1",
    ];
    args.extend_from_slice(extra);
    ws.daicho(args)
}

/// A valid number, the same with a wrong check digit, and runs of twelve
/// digits in every form a message might quote.
fn forms() -> (String, String, Vec<String>) {
    let valid = my_number("12345678901");
    let invalid = format!("{}{}", &valid[..11], (valid.as_bytes()[11] - b'0' + 1) % 10);
    let forms = vec![
        valid.clone(),
        invalid.clone(),
        grouped(&invalid, " "),
        grouped(&invalid, "-"),
        full_width(&invalid),
        format!("件数=個人番号{invalid}"),
        format!("{invalid}9"),
    ];
    (valid, invalid, forms)
}

/// Issue 11 item 6: no message about a bad-input fixture prints a run of
/// twelve digits whole (through `import`, and `init --policy` for policies).
#[test]
fn no_message_about_a_bad_input_fixture_prints_a_twelve_digit_run_whole() {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    let fixtures = repo_root().join("tests/fixtures/bad_input");
    let mut seen = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let path = entry.unwrap().path();
        for format in ["table", "json"] {
            let run = if path.extension().is_some_and(|e| e == "toml") {
                let fresh = Workspace::new();
                fresh.daicho([
                    "--format".as_ref(),
                    format.as_ref(),
                    "init".as_ref(),
                    "--policy".as_ref(),
                    path.as_os_str(),
                ])
            } else {
                ws.daicho([
                    "--format".as_ref(),
                    format.as_ref(),
                    "import".as_ref(),
                    path.as_os_str(),
                ])
            };
            assert_masked(&path.display().to_string(), &run);
            seen += 1;
        }
    }
    assert!(seen >= 20, "{seen} runs");
}

/// Issue 11 item 6: a sheet holding runs of twelve digits in every column
/// (valid and invalid check digits, every form), in its header, its link
/// sheet and its file name: no message prints one whole, and the register
/// holds none.
#[test]
fn no_message_about_a_sheet_of_twelve_digit_runs_prints_one_whole() {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    let (valid, invalid, forms) = forms();
    let headers = daicho::sheet::ASSET_HEADERS_JA;
    let mut sheet = format!("{},管理番号\n", headers.join(","));
    for form in &forms {
        let cells = vec![form.as_str(); headers.len() + 1];
        sheet.push_str(&cells.join(","));
        sheet.push('\n');
    }
    let name = format!("台帳{invalid}.csv");
    std::fs::write(ws.path().join(&name), &sheet).unwrap();
    let first_row = sheet.lines().nth(1).unwrap();
    let header = format!("{},{}\n{first_row}\n", headers.join(","), forms[0]);
    std::fs::write(ws.path().join("header.csv"), header).unwrap();
    let links = format!("from,relation,to\n{valid},stored_on,{invalid}\n");
    std::fs::write(ws.path().join("links.csv"), links).unwrap();
    for format in ["table", "json"] {
        for args in [
            vec!["import", name.as_str()],
            vec!["import", "header.csv"],
            vec!["import", "--links", "links.csv"],
            vec!["import", "--max-errors", "1000", name.as_str()],
            vec!["import", "--allow-my-number-like", "備考", name.as_str()],
        ] {
            let run = ws.daicho(["--format", format].iter().chain(args.iter()));
            assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
            assert_masked(&format!("{args:?}"), &run);
        }
    }
    let run = ws.daicho(["import", name.as_str()]);
    assert!(run.stderr.contains("1234********"), "{}", run.stderr);
    for file in register_files(&ws) {
        assert!(
            !file_holds(&file, &valid),
            "{} holds the number",
            file.display()
        );
    }
}

/// Issue 11 item 6: the CLI's own errors and the library's, quoting what
/// they were given (ids, names, paths, dates, counts, levels), mask it.
#[test]
fn no_cli_error_prints_a_twelve_digit_run_whole() {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    let (valid, invalid, forms) = forms();
    let dir = format!("{invalid}-dir");
    for args in [
        vec!["show", invalid.as_str()],
        vec!["show", forms[2].as_str()],
        vec!["edit", forms[3].as_str(), "--notes", "x"],
        vec!["link", forms[4].as_str(), "stored_on", forms[5].as_str()],
        vec!["--db", forms[6].as_str(), "list"],
        vec!["init", "--policy", dir.as_str()],
        vec!["check", "--today", forms[5].as_str()],
    ] {
        let run = ws.daicho(&args);
        assert_ne!(run.code, 0, "{args:?}");
        assert_masked(&format!("{args:?}"), &run);
    }
    let extra = format!("管理番号={valid}");
    for args in [
        vec!["--records", forms[5].as_str()],
        vec!["--reviewed", forms[2].as_str()],
        vec!["--notes", valid.as_str()],
        vec!["--extra", extra.as_str()],
        vec!["-c", forms[4].as_str()],
    ] {
        let run = add(&ws, &args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert_masked(&format!("add {args:?}"), &run);
    }
    for file in register_files(&ws) {
        assert!(
            !file_holds(&file, &valid),
            "{} holds the number",
            file.display()
        );
    }
}

/// Issue 13 item 8 on the CLI: refused on add, edit, dispose and import with
/// the column and a masked value, never written to the register or its log;
/// a column may be allowed on import; `check` finds what older registers hold.
#[test]
fn a_my_number_is_refused_on_every_door_and_never_written() {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    let number = my_number("31415926535");
    let masked = "3141********";
    let id = {
        let run = add(&ws, &["--format", "json"]).success();
        run.json()["asset"]["id"].as_str().unwrap().to_owned()
    };
    let spaced = grouped(&number, " ");
    let wide = full_width(&number);
    for (args, field) in [
        (
            vec!["edit", id.as_str(), "--notes", number.as_str()],
            "notes",
        ),
        (
            vec!["edit", id.as_str(), "--location", spaced.as_str()],
            "location",
        ),
        (
            vec!["dispose", id.as_str(), "--by", wide.as_str()],
            "disposed_by",
        ),
        (
            vec![
                "--actor",
                number.as_str(),
                "edit",
                id.as_str(),
                "--notes",
                "x",
            ],
            "actor",
        ),
    ] {
        let run = ws.daicho_en(&args);
        assert_eq!(run.code, 1, "{args:?}");
        assert!(
            run.stderr.contains(&format!("error: invalid {field} `")),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("個人番号"), "{}", run.stderr);
        assert_masked(&format!("{args:?}"), &run);
    }
    let history = ws
        .daicho(["--format", "json", "history", &id])
        .success()
        .json();
    assert_eq!(history.as_array().unwrap().len(), 1, "only the creation");

    // An import: refused with line, column and the masked value …
    let sheet =
        format!("資産名,種別,所管,機密性,完全性,可用性,管理番号\nA,ア,水道局,2,1,1,{number}\n");
    std::fs::write(ws.path().join("a.csv"), &sheet).unwrap();
    let run = ws.daicho_en(["import", "a.csv"]).expect_code(1);
    assert!(
        run.stderr.contains(&format!(
            "a.csv row 2, column `管理番号`, value `{masked}`: the cell holds"
        )),
        "{}",
        run.stderr
    );
    for file in register_files(&ws) {
        assert!(!file_holds(&file, &number), "{}", file.display());
    }
    // … unless the column is allowed to hold other 12-digit codes.
    ws.daicho(["import", "--allow-my-number-like", "管理番号", "a.csv"])
        .success();
    let check = ws
        .daicho(["--format", "json", "check", "--fail-on", "never"])
        .success()
        .json();
    let rules: Vec<&str> = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"text.my_number_like"), "{rules:?}");
    assert_masked("check", &ws.daicho(["check"]));
    let allowed = ws
        .daicho([
            "--format",
            "json",
            "check",
            "--fail-on",
            "never",
            "--allow-my-number-like",
            "管理番号",
        ])
        .success()
        .json();
    assert!(
        !allowed.to_string().contains("text.my_number_like"),
        "{allowed}"
    );
}

/// Issue 11 item 7: a 300 MB sheet of one line is refused with a clear
/// message, not an abort, and without being held in memory.
#[test]
fn a_huge_single_line_sheet_is_refused_without_an_abort() {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    let path = ws.path().join("huge.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    file.write_all("資産名,種別,所管,機密性,完全性,可用性,備考\nA,ア,水道局,2,1,1,".as_bytes())
        .unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..300 {
        file.write_all(&chunk).unwrap();
    }
    file.into_inner().unwrap().sync_all().unwrap();
    let run = ws.daicho_en(["import", "huge.csv"]).expect_code(1);
    assert!(
        run.stderr
            .contains("huge.csv row 2: the row is larger than 1 MiB, the most one row may hold"),
        "{}",
        run.stderr
    );
    // A larger limit is the user's to set.
    let run = ws
        .daicho_en(["import", "--max-record-bytes", "100", "huge.csv"])
        .expect_code(1);
    assert!(
        run.stderr.contains("larger than 100 bytes"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(&path).unwrap();
}

/// Issue 11 item 7: a policy file over 1 MiB is refused.
#[test]
fn a_policy_file_over_1_mib_is_refused() {
    let ws = Workspace::new();
    let path = ws.path().join("big.toml");
    let text = format!("name = \"big\"\n#{}\n", "x".repeat(1 << 20));
    std::fs::write(&path, text).unwrap();
    let run = ws
        .daicho_en(["init", "--policy", "big.toml"])
        .expect_code(1);
    assert!(
        run.stderr
            .contains("big.toml` is larger than 1 MiB, the most a policy file may hold"),
        "{}",
        run.stderr
    );
    assert!(!ws.db().exists());
}

/// Issue 11 item 7: a text holds what a spreadsheet cell holds, so that the
/// register's own export imports again.
#[test]
fn the_longest_note_round_trips_and_one_more_character_is_refused() {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    let longest = "備".repeat(32_767);
    let run = add(&ws, &["--notes", &format!("{longest}考"), "--lang", "en"]).expect_code(1);
    assert!(
        run.stderr
            .contains("32768 characters; a text holds at most 32767"),
        "{}",
        &run.stderr[..run.stderr.len().min(300)]
    );
    add(&ws, &["--notes", &longest]).success();
    ws.daicho(["export", "-o", "out.csv"]).success();
    let again = Workspace::new();
    again.daicho(["init"]).success();
    let out = ws.path().join("out.csv");
    again.daicho(["import".as_ref(), out.as_os_str()]).success();
    let listed = again.daicho(["--format", "json", "list"]).success().json();
    let id = listed[0]["id"].as_str().unwrap().to_owned();
    let shown = again
        .daicho(["--format", "json", "show", &id])
        .success()
        .json();
    assert_eq!(shown["asset"]["notes"].as_str(), Some(longest.as_str()));
}

/// The uid of this process (that of a file it just made).
#[cfg(unix)]
fn uid(ws: &Workspace) -> u32 {
    use std::os::unix::fs::MetadataExt;
    let probe = ws.path().join("uid-probe");
    std::fs::write(&probe, b"").unwrap();
    std::fs::metadata(&probe).unwrap().uid()
}

/// Issue 11 item 8: when daicho names the actor itself, the OS uid stands
/// beside the name, also when the environment names no user.
#[cfg(unix)]
#[test]
fn the_actor_daicho_names_carries_the_os_uid() {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    let uid = uid(&ws);
    let run_as = |user: Option<&str>| {
        let mut command = std::process::Command::new(daicho_bin());
        command
            .current_dir(ws.path())
            .env("DAICHO_DB", ws.db())
            .env_remove("DAICHO_ACTOR")
            .env_remove("USER")
            .env_remove("LOGNAME")
            .env_remove("USERNAME")
            .args(["--format", "json", "add", "--kind", "ア", "--name"]);
        command.arg(format!("by {user:?}"));
        command.args(["--org", "水道局", "-c", "2", "-i", "1", "-a", "1"]);
        if let Some(user) = user {
            command.env("USER", user);
        }
        let run = Run::from(command.output().unwrap()).success();
        let id = run.json()["asset"]["id"].as_str().unwrap().to_owned();
        let history = ws
            .daicho(["--format", "json", "history", &id])
            .success()
            .json();
        history[0]["actor"].as_str().unwrap().to_owned()
    };
    assert_eq!(run_as(Some("山田")), format!("山田 (uid {uid})"));
    assert_eq!(run_as(None), format!("unknown (uid {uid})"));
}

/// Issue 11 item 8: a register its group or other users may read draws a
/// warning whenever the CLI opens it.
#[cfg(unix)]
#[test]
fn a_register_open_to_others_draws_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    let run = ws.daicho(["list"]).success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    std::fs::set_permissions(ws.db(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = ws.daicho(["--format", "json", "list"]).success();
    assert!(
        run.stderr.starts_with("警告: 台帳 `") && run.stderr.contains("（モード 0644）"),
        "{}",
        run.stderr
    );
    let run = ws.daicho_en(["--format", "json", "list"]).success();
    assert!(
        run.stderr.starts_with("warning: the register `")
            && run.stderr.contains(
                "register.db` can be read or written by its group and other users (mode 0644); \
                 make it owner-only (chmod 600)"
            ),
        "{}",
        run.stderr
    );
    assert!(run.json().is_array(), "stdout stays JSON");
}

/// Issue 13 acceptance: no committed file holds a whole valid 個人番号.
#[test]
fn no_committed_file_holds_a_my_number() {
    let root = repo_root();
    let listed = std::process::Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output();
    let files: Vec<std::path::PathBuf> = match listed {
        Ok(output) if output.status.success() => output
            .stdout
            .split(|&b| b == 0)
            .filter(|name| !name.is_empty())
            .map(|name| root.join(String::from_utf8_lossy(name).as_ref()))
            .collect(),
        _ => panic!("`git ls-files` lists the committed files"),
    };
    assert!(files.len() > 100, "{} files", files.len());
    let mut found = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for line in text.lines() {
            if let Some(hit) = mynumber::find(line) {
                found.push(format!("{}: {}", file.display(), hit.masked));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}
