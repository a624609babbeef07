//! Snapshots of what the CLI prints today, the safety net of the refactor of
//! issue 10: every subcommand on the shipped example city (みなと市), in table
//! and JSON form where it has them, with its main error paths; and every
//! bad-input fixture through `daicho import` or `daicho init --policy`.
//!
//! Each snapshot is a transcript: the command line, the exit status, stdout
//! and stderr (and, for exports, the files written). What changes from run to
//! run is replaced:
//! - the temporary directory → `[TEMP]`, the repository → `[REPO]`;
//! - ids made during the run (UUID v7 with a timestamp of today) → `[UUIDv7 #n]`,
//!   numbered by first appearance in the snapshot; the example's own ids are
//!   fixed in its sheet and stay;
//! - timestamps of "now" (RFC 3339 in JSON and `show`, `%Y-%m-%d %H:%M:%S` in
//!   `history`) → `[TIMESTAMP]` and `[DATETIME         ]`, and the audit
//!   entries' hashes (chained over those timestamps) → `[SHA256]`, the
//!   chain's heads `N:HEX` → `N:[HEAD]`;
//! - the process id and clock in a backup's temporary file name.
//!
//! The invisible is made visible: a byte order mark → `[BOM]`, control
//! characters → their Unicode pictures (a carriage return → `␍`, NUL → `␀`).
//!
//! Dates of "now" are given, never defaulted: `check --today 2026-11-25` (the
//! date the example's README assumes) and `dispose --date`. The actor is fixed
//! with `DAICHO_ACTOR`, the help's width with `COLUMNS`.

use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use daicho_tests::{Run, Workspace, daicho_bin, repo_root};

/// The actor of every change (through `DAICHO_ACTOR`).
const ACTOR: &str = "snapshot-actor";

/// The date the example's review findings assume.
const TODAY: &str = "2026-11-25";

/// A temporary directory holding the example's sheets (`assets.csv`,
/// `links.csv`), where `daicho` runs, and a register: `register.db` in it, or
/// a schema on the PostgreSQL test server when the run tests that backend.
struct Dir {
    ws: Workspace,
}

impl Dir {
    /// A directory with the example's sheets and no register.
    fn empty() -> Self {
        Dir::with_sheets(Workspace::new())
    }

    /// [`Dir::empty`] with its register `register.db` on every run: for
    /// a test of the file.
    fn empty_file() -> Self {
        Dir::with_sheets(Workspace::with_file())
    }

    fn with_sheets(ws: Workspace) -> Self {
        let dir = Dir { ws };
        for name in ["assets.csv", "links.csv"] {
            std::fs::copy(
                repo_root().join("examples/inventory").join(name),
                dir.path().join(name),
            )
            .expect("the example's sheets are readable");
        }
        dir
    }

    /// A directory with the example register built as `scripts/demo` does.
    fn example() -> Self {
        Dir::build_example(Dir::empty())
    }

    /// [`Dir::example`] in `register.db` on every run: for a test of the file.
    fn example_file() -> Self {
        Dir::build_example(Dir::empty_file())
    }

    fn build_example(dir: Dir) -> Self {
        for args in [
            &["init"][..],
            &["import", "assets.csv"],
            &["import", "--links", "links.csv"],
        ] {
            dir.run(args).success();
        }
        dir
    }

    fn path(&self) -> &Path {
        self.ws.path()
    }

    /// The register's location for `DAICHO_DB`: relative, as a user gives
    /// it, when it is a file.
    fn db(&self) -> OsString {
        if self.ws.on_server() {
            self.ws.location()
        } else {
            "register.db".into()
        }
    }

    /// Writes a file into the directory.
    fn write(&self, name: &str, contents: &str) {
        std::fs::write(self.path().join(name), contents).expect("the directory is writable");
    }

    /// Runs `daicho` in the directory with `--db register.db` (through the
    /// environment) and a fixed actor and terminal width.
    fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        let output = Command::new(daicho_bin())
            .current_dir(self.path())
            .env("DAICHO_DB", self.db())
            .env("DAICHO_ACTOR", ACTOR)
            .env("COLUMNS", "100")
            // Times are shown in the system's zone: Japan's, written as a
            // POSIX rule so that no tzdb is needed.
            .env("TZ", "JST-9")
            .args(args)
            .output()
            .expect("daicho runs");
        Run::from(output)
    }

    /// Runs `daicho` and returns the transcript of the run.
    fn transcript<S: AsRef<OsStr>>(&self, args: &[S]) -> String {
        let run = self.run(args);
        let mut text = String::from("$ daicho");
        for arg in args {
            let arg = arg.as_ref().to_string_lossy();
            if arg.is_empty() || arg.contains(char::is_whitespace) {
                let _ = write!(text, " \"{arg}\"");
            } else {
                let _ = write!(text, " {arg}");
            }
        }
        let _ = write!(text, "\nexit status: {}\n", run.code);
        section(&mut text, "stdout", &run.stdout);
        section(&mut text, "stderr", &run.stderr);
        text
    }

    /// Runs `daicho` and snapshots the transcript as `name`.
    fn snap<S: AsRef<OsStr>>(&self, name: &str, args: &[S]) {
        let text = self.transcript(args);
        self.assert(name, &text);
    }

    /// Runs `daicho`, then snapshots the transcript and the files it wrote.
    fn snap_with_files<S: AsRef<OsStr>>(&self, name: &str, args: &[S], files: &[&str]) {
        let mut text = self.transcript(args);
        for file in files {
            let bytes = std::fs::read(self.path().join(file)).expect("the file was written");
            section(
                &mut text,
                &format!("file {file}"),
                &String::from_utf8_lossy(&bytes),
            );
        }
        self.assert(name, &text);
    }

    /// Snapshots `text` as `name` with the filters of this directory.
    fn assert(&self, name: &str, text: &str) {
        let text = mask_new_ids(text);
        self.settings().bind(|| insta::assert_snapshot!(name, text));
    }

    fn settings(&self) -> insta::Settings {
        let mut settings = insta::Settings::clone_current();
        let mut paths = vec![(self.path().to_path_buf(), "[TEMP]")];
        if let Ok(canonical) = self.path().canonicalize() {
            paths.push((canonical, "[TEMP]"));
        }
        paths.push((repo_root().to_path_buf(), "[REPO]"));
        for (path, replacement) in paths {
            settings.add_filter(&regex_escape(&path.to_string_lossy()), replacement);
        }
        for (pattern, replacement) in FILTERS {
            settings.add_filter(pattern, *replacement);
        }
        // The register's location, shown as `postgres://user@host:port/db`
        // on the server, stands where its file's name does: one snapshot
        // for both backends.
        if self.ws.on_server() {
            settings.add_filter(
                r"postgres(ql)?://[^@\s]*@[^:\s]*:\d+/\w*(\?[^\s\]`'\x22]*)?",
                "register.db",
            );
            // Help shows `DAICHO_DB`'s value; the URL's length wrapped it.
            settings.add_filter(
                r"\[env:\s+DAICHO_DB=register\.db\s*\]",
                "[env: DAICHO_DB=register.db]",
            );
        }
        settings
    }
}

/// What changes from run to run, in the order applied.
const FILTERS: &[(&str, &str)] = &[
    // Timestamps of "now", with the padding a table gives them (their
    // length varies with trailing zeros of the fraction).
    (
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}) *\|",
        "[TIMESTAMP] |",
    ),
    (
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})",
        "[TIMESTAMP]",
    ),
    // `history`'s fixed-width time column keeps its width.
    (
        r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}",
        "[DATETIME         ]",
    ),
    // Audit entries' hashes chain over their timestamps, and so do the
    // heads (`N:HEX`) of the chain.
    (r#""hash": "[0-9a-f]{64}""#, r#""hash": "[SHA256]""#),
    (r"\b(\d+):[0-9a-f]{64}\b", "$1:[HEAD]"),
    // A backup is written under `.NAME.partial-PID-NANOS` first.
    (r"\.partial-\d+-\d+", ".partial-[PID]-[NANOS]"),
];

/// Replaces the UUID v7 ids made during this run (their timestamp is within
/// a day of now) by `[UUIDv7 #n]`, numbered by first appearance. Older ones,
/// such as the example id in an error message, stay.
fn mask_new_ids(text: &str) -> String {
    const DAY_MS: u64 = 24 * 60 * 60 * 1000;
    let now_ms = u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("the clock is past 1970")
            .as_millis(),
    )
    .expect("milliseconds fit in u64");
    let bytes = text.as_bytes();
    let mut seen: Vec<&str> = Vec::new();
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut i) = (0, 0);
    while i + 36 <= bytes.len() {
        let candidate = &bytes[i..i + 36];
        let bounded = (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
            && bytes.get(i + 36).is_none_or(|b| !b.is_ascii_alphanumeric());
        if !(bounded && is_uuid_v7(candidate)) {
            i += 1;
            continue;
        }
        // Only ASCII bytes were matched, so `i` and `i + 36` are char boundaries.
        let id = &text[i..i + 36];
        let millis = (u64::from_str_radix(&id[..8], 16).expect("hex") << 16)
            | u64::from_str_radix(&id[9..13], 16).expect("hex");
        if now_ms.abs_diff(millis) < DAY_MS {
            let n = if let Some(n) = seen.iter().position(|s| *s == id) {
                n + 1
            } else {
                seen.push(id);
                seen.len()
            };
            out.push_str(&text[copied..i]);
            let _ = write!(out, "[UUIDv7 #{n}]");
            copied = i + 36;
        }
        i += 36;
    }
    out.push_str(&text[copied..]);
    out
}

/// `xxxxxxxx-xxxx-7xxx-Vxxx-xxxxxxxxxxxx` in lowercase hex, V one of 8, 9, a, b.
fn is_uuid_v7(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().all(|(i, b)| match i {
        8 | 13 | 18 | 23 => *b == b'-',
        14 => *b == b'7',
        19 => matches!(b, b'8' | b'9' | b'a' | b'b'),
        _ => b.is_ascii_digit() || (b'a'..=b'f').contains(b),
    })
}

/// Appends a titled section to a transcript, with a byte order mark and
/// control characters (but line feeds and tabs) made visible.
fn section(text: &mut String, title: &str, body: &str) {
    if body.is_empty() {
        let _ = writeln!(text, "----- {title}: (empty)");
        return;
    }
    let _ = writeln!(text, "----- {title}");
    for c in body.chars() {
        match c {
            '\n' | '\t' => text.push(c),
            '\u{feff}' => text.push_str("[BOM]"),
            '\u{7f}' => text.push('␡'),
            c if c.is_ascii_control() => {
                text.push(char::from_u32(0x2400 + u32::from(c)).expect("a control picture"));
            }
            c => text.push(c),
        }
    }
    if !body.ends_with('\n') {
        text.push_str("\n(no newline at end)\n");
    }
}

/// Escapes the characters a regular expression treats specially.
fn regex_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if r"\.+*?()|[]{}^$".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[test]
fn init() {
    let dir = Dir::empty();
    dir.snap("init", &["init"]);
    // Refused by the file that exists (cli.rs checks the server's refusal).
    let file = Dir::empty_file();
    file.run(&["init"]).success();
    file.snap("init_exists", &["init"]);
    dir.snap(
        "init_json_mic_r5",
        &[
            "init", "--policy", "mic-r5", "--db", "mic.db", "--format", "json",
        ],
    );
    dir.snap("init_unknown_policy", &["init", "--policy", "tokyo"]);
    dir.snap(
        "init_missing_policy_file",
        &["init", "--policy", "missing.toml", "--db", "other.db"],
    );
    dir.write(
        "minato.toml",
        "name = \"minato\"\nextends = \"niigata\"\nreview_interval_days = 180\n",
    );
    dir.snap(
        "init_city_policy",
        &["init", "--policy", "minato.toml", "--db", "minato.db"],
    );
    dir.write(
        "broken.toml",
        "name = \"broken\"\nextends = \"niigata\"\nreview_interval_days = \"often\"\n",
    );
    dir.snap(
        "init_bad_policy_value",
        &["init", "--policy", "broken.toml", "--db", "broken.db"],
    );
}

#[test]
fn import() {
    let dir = Dir::empty();
    dir.run(&["init"]).success();
    dir.snap("import_assets", &["import", "assets.csv"]);
    dir.snap("import_links", &["import", "--links", "links.csv"]);
    dir.snap(
        "import_again_json",
        &[
            "import",
            "assets.csv",
            "--links",
            "links.csv",
            "--format",
            "json",
        ],
    );
    dir.snap(
        "import_dry_run_rows",
        &[
            "import",
            "assets.csv",
            "--dry-run",
            "--rows",
            "--lang",
            "en",
        ],
    );

    // New rows, an extra column and an era date past its era's end.
    dir.write(
        "new.csv",
        "種別,資産名,所管,機密性,完全性,可用性,点検日,備品番号\r\n\
         ア,下水道台帳システム,水道局,3C,2,2,平成32年4月1日,K-001\r\n\
         イ,下水道台帳データ,waterworks,自治体機密性3C,完全性2,可用性1,R8.4.1,\r\n",
    );
    dir.snap("import_dry_run_new", &["import", "new.csv", "--dry-run"]);
    dir.snap(
        "import_dry_run_new_json",
        &[
            "import",
            "new.csv",
            "--dry-run",
            "--rows",
            "--format",
            "json",
        ],
    );
    dir.snap("import_strict", &["import", "new.csv", "--strict"]);

    // Every row wrong in a different way.
    dir.write(
        "bad.csv",
        "kind,name,organization,confidentiality,integrity,availability,reviewed_on,record_count,personal\r\n\
         ア,新システム,警察本部,3B,2,2,2025-04-08,,\r\n\
         イ,新データ,市長部局,3Z,2,2,,12件,\r\n\
         エ,新文書,市長部局,2,1,1,令和99年13月1日,,たぶん\r\n\
         ア,,市長部局,2,1,1,,,\r\n",
    );
    dir.snap("import_errors", &["import", "bad.csv"]);
    dir.snap(
        "import_errors_max_1",
        &["import", "bad.csv", "--max-errors", "1", "--lang", "en"],
    );
    dir.snap(
        "import_errors_json",
        &["import", "bad.csv", "--format", "json"],
    );

    dir.write(
        "bad-links.csv",
        "from,relation,to,sanitization\r\n\
         住民記録データ,stored_on,存在しないサーバ,\r\n\
         住民記録データ,owns,住民基本台帳システム,\r\n\
         電子申請システム,transfers_to,庁内ファイルサーバ,sometimes\r\n",
    );
    dir.snap(
        "import_link_errors",
        &["import", "--links", "bad-links.csv"],
    );
    dir.snap(
        "import_link_errors_json",
        &["import", "--links", "bad-links.csv", "--format", "json"],
    );
    dir.snap("import_missing_file", &["import", "missing.csv"]);
    dir.snap("import_nothing", &["import"]);
    dir.snap(
        "import_unknown_encoding",
        &["import", "assets.csv", "--encoding", "latin1"],
    );
    dir.snap(
        "import_forced_encoding",
        &[
            "import",
            "assets.csv",
            "--encoding",
            "utf-16le",
            "--dry-run",
        ],
    );
    dir.snap(
        "import_no_register",
        &["import", "assets.csv", "--db", "none.db"],
    );
}

#[test]
fn export() {
    let dir = Dir::example();
    dir.snap("export_stdout", &["export"]);
    dir.snap_with_files(
        "export_headers_ja_json",
        &[
            "export",
            "--headers",
            "ja",
            "--org",
            "水道局",
            "-o",
            "water.csv",
            "--links",
            "water-links.csv",
            "--format",
            "json",
        ],
        &["water.csv", "water-links.csv"],
    );
    dir.snap_with_files(
        "export_only_disposed",
        &[
            "export",
            "--only-disposed",
            "--encoding",
            "utf-8",
            "-o",
            "disposed.csv",
        ],
        &["disposed.csv"],
    );
    dir.snap(
        "export_kind_segment",
        &[
            "export",
            "--kind",
            "ウ",
            "--segment",
            "lgwan",
            "--exclude-disposed",
        ],
    );
    dir.snap(
        "export_cp932_unencodable",
        &["export", "--encoding", "cp932", "-o", "cp932.csv"],
    );
    dir.snap(
        "export_cp932_replace",
        &[
            "export",
            "--encoding",
            "cp932",
            "--replace",
            "-o",
            "cp932.csv",
        ],
    );
    dir.snap("export_unknown_org", &["export", "--org", "警察本部"]);
    dir.snap(
        "export_unknown_encoding",
        &["export", "--encoding", "latin1"],
    );
    dir.snap("export_missing_dir", &["export", "-o", "nodir/out.csv"]);
    // Issue 11: an existing file needs --force.
    dir.write("existing.csv", "keep me");
    dir.snap("export_existing_file", &["export", "-o", "existing.csv"]);
}

/// Issue 11: the register's file is never an output, `--force` or not.
#[test]
fn export_onto_the_register_file() {
    let dir = Dir::example_file();
    dir.snap(
        "export_onto_the_register",
        &["export", "-o", "register.db", "--force"],
    );
}

#[test]
fn list() {
    let dir = Dir::example();
    dir.snap("list", &["list"]);
    dir.snap(
        "list_org_json",
        &["list", "--org", "水道局", "--format", "json"],
    );
    dir.snap(
        "list_my_number_en",
        &["list", "--my-number", "--lang", "en"],
    );
    dir.snap(
        "list_kind_min_csv",
        &[
            "list",
            "--kind",
            "イ",
            "--min-confidentiality",
            "3B",
            "--format",
            "csv",
        ],
    );
    dir.snap(
        "list_name_segment",
        &["list", "--name", "システム", "--segment", "LGWAN接続系"],
    );
    dir.snap("list_excluded", &["list", "--excluded"]);
    dir.snap(
        "list_only_disposed_json",
        &["list", "--only-disposed", "--format", "json"],
    );
    dir.snap(
        "list_min_integrity_availability",
        &[
            "list",
            "--min-integrity",
            "2",
            "--min-availability",
            "2",
            "--sensitive",
            "--include-disposed",
        ],
    );
    dir.snap("list_unknown_org", &["list", "--org", "警察本部"]);
    dir.snap("list_bad_level", &["list", "--min-confidentiality", "4"]);
    dir.snap("list_bad_kind", &["list", "--kind", "エ"]);
    dir.snap(
        "list_conflicting_flags",
        &["list", "--in-scope", "--excluded"],
    );
}

#[test]
fn show() {
    let dir = Dir::example();
    dir.snap("show", &["show", "住民基本台帳システム"]);
    dir.snap("show_en", &["show", "住民基本台帳システム", "--lang", "en"]);
    dir.snap(
        "show_json",
        &["show", "住民基本台帳システム", "--format", "json"],
    );
    dir.snap(
        "show_disposed_by_id",
        &["show", "244d9331-1b60-4fb6-9473-5108920c33e3"],
    );
    dir.snap("show_disposed", &["show", "旧消防指令台端末ハードディスク"]);
    dir.snap(
        "show_disposed_json",
        &["show", "旧消防指令台端末ハードディスク", "--format", "json"],
    );
    dir.snap("show_unknown_name", &["show", "存在しない資産"]);
    dir.snap(
        "show_unknown_id",
        &["show", "00000000-0000-4000-8000-000000000000"],
    );
    dir.snap(
        "show_no_register",
        &["show", "住民記録データ", "--db", "none.db"],
    );
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one snapshot after another on one register, built once"
)]
fn add() {
    let dir = Dir::example();
    dir.snap(
        "add",
        &[
            "add",
            "--kind",
            "ア",
            "--name",
            "下水道台帳システム",
            "--org",
            "水道局",
            "--dept",
            "下水道課",
            "-c",
            "3C",
            "-i",
            "2",
            "-a",
            "2",
            "--segment",
            "LGWAN接続系",
            "--medium",
            "サーバ",
            "--controls",
            "backup;access_control",
            "--hosting",
            "委託",
            "--provider",
            "株式会社みなと情報サービス",
            "--retention",
            "5年",
            "--reviewed-on",
            "令和7年4月8日",
            "--extra",
            "備品番号=K-001",
        ],
    );
    dir.snap(
        "add_json_with_id",
        &[
            "add",
            "--id",
            "11111111-2222-4333-8444-555555555555",
            "--kind",
            "イ",
            "--name",
            "下水道台帳データ",
            "--org",
            "waterworks",
            "-c",
            "自治体機密性3C",
            "-i",
            "完全性2",
            "-a",
            "可用性1",
            "--personal",
            "○",
            "--record-count",
            "1,234件",
            "--notes",
            "=SUM(A1)",
            "--format",
            "json",
        ],
    );
    dir.snap(
        "add_en",
        &[
            "add",
            "--kind",
            "ウ",
            "--name",
            "下水道台帳仕様書",
            "--org",
            "水道局",
            "-c",
            "2",
            "-i",
            "1",
            "-a",
            "1",
            "--medium",
            "紙",
            "--lang",
            "en",
        ],
    );
    // A second asset of an existing name: allowed, and the name is then ambiguous.
    dir.snap(
        "add_duplicate_name",
        &[
            "add",
            "--kind",
            "イ",
            "--name",
            "戸籍データ",
            "--org",
            "mayor",
            "-c",
            "3B",
            "-i",
            "2",
            "-a",
            "2",
            "--format",
            "json",
        ],
    );
    dir.snap("add_ambiguous_name_show", &["show", "戸籍データ"]);
    dir.snap("add_missing_fields", &["add", "--name", "名前だけの資産"]);
    dir.snap(
        "add_bad_level",
        &[
            "add",
            "--kind",
            "ア",
            "--name",
            "x",
            "--org",
            "水道局",
            "-c",
            "3D",
            "-i",
            "2",
            "-a",
            "2",
        ],
    );
    dir.snap(
        "add_bad_values",
        &[
            "add",
            "--kind",
            "ア",
            "--name",
            "x",
            "--org",
            "水道局",
            "-c",
            "3C",
            "-i",
            "2",
            "-a",
            "2",
            "--personal",
            "たぶん",
            "--reviewed-on",
            "昨日",
            "--controls",
            "magic",
        ],
    );
    dir.snap(
        "add_unknown_control",
        &[
            "add",
            "--kind",
            "ア",
            "--name",
            "x",
            "--org",
            "水道局",
            "-c",
            "3C",
            "-i",
            "2",
            "-a",
            "2",
            "--controls",
            "magic",
        ],
    );
    dir.snap(
        "add_existing_id",
        &[
            "add",
            "--id",
            "11111111-2222-4333-8444-555555555555",
            "--kind",
            "ア",
            "--name",
            "y",
            "--org",
            "水道局",
            "-c",
            "3C",
            "-i",
            "2",
            "-a",
            "2",
        ],
    );
    dir.snap(
        "add_bad_id",
        &[
            "add",
            "--id",
            "not-a-uuid",
            "--kind",
            "ア",
            "--name",
            "y",
            "--org",
            "水道局",
            "-c",
            "3C",
            "-i",
            "2",
            "-a",
            "2",
        ],
    );
    dir.snap(
        "add_bad_exclusion",
        &[
            "add",
            "--kind",
            "イ",
            "--name",
            "z",
            "--org",
            "水道局",
            "-c",
            "3C",
            "-i",
            "2",
            "-a",
            "2",
            "--exclusion-reason",
            "学校教育情報",
        ],
    );
}

#[test]
fn edit_and_history() {
    let dir = Dir::example();
    dir.snap(
        "edit",
        &[
            "edit",
            "住民記録データ",
            "--manager",
            "山田 太郎",
            "--retention",
            "5年",
            "--expected-version",
            "1",
        ],
    );
    dir.snap(
        "edit_conflict",
        &[
            "edit",
            "住民記録データ",
            "--manager",
            "佐藤 花子",
            "--expected-version",
            "1",
        ],
    );
    dir.snap(
        "edit_json_unset",
        &[
            "edit",
            "住民記録データ",
            "--unset",
            "notes",
            "--unset",
            "retention",
            "-c",
            "3A",
            "--actor",
            "監査担当",
            "--format",
            "json",
        ],
    );
    dir.snap(
        "edit_unchanged",
        &[
            "edit",
            "住民記録データ",
            "-c",
            "自治体機密性3A",
            "--lang",
            "en",
        ],
    );
    dir.snap("edit_bad_value", &["edit", "住民記録データ", "-c", "9Z"]);
    dir.snap(
        "edit_bad_record_count",
        &["edit", "住民記録データ", "--record-count", "たくさん"],
    );
    dir.snap(
        "edit_unknown_unset",
        &["edit", "住民記録データ", "--unset", "colour"],
    );
    dir.snap(
        "edit_unknown_asset",
        &["edit", "存在しない資産", "--manager", "x"],
    );
    dir.snap(
        "edit_disposed",
        &["edit", "旧消防指令台端末ハードディスク", "--manager", "x"],
    );
    dir.snap("history", &["history", "住民記録データ"]);
    dir.snap("history_en", &["history", "住民記録データ", "--lang", "en"]);
    dir.snap(
        "history_json",
        &["history", "住民記録データ", "--format", "json"],
    );
    dir.snap(
        "history_disposed",
        &["history", "旧消防指令台端末ハードディスク"],
    );
    dir.snap("history_unknown", &["history", "存在しない資産"]);
}

#[test]
fn dispose() {
    let dir = Dir::example();
    dir.snap(
        "dispose",
        &[
            "dispose",
            "監査調書（紙）",
            "--by",
            "鈴木 一郎",
            "--method",
            "溶解",
            "--approver",
            "監査事務局長",
            "--certificate",
            "溶解証明 R8-12",
            "--date",
            "R8.3.31",
            "--expected-version",
            "1",
        ],
    );
    dir.snap(
        "dispose_json",
        &[
            "dispose",
            "暗号化USBメモリ（貸出用）",
            "--by",
            "情報政策課",
            "--date",
            "2026-10-01",
            "--format",
            "json",
        ],
    );
    dir.snap(
        "dispose_conflict",
        &[
            "dispose",
            "救急活動記録票（紙）",
            "--by",
            "x",
            "--date",
            "2026-10-01",
            "--expected-version",
            "4",
        ],
    );
    dir.snap(
        "dispose_already",
        &[
            "dispose",
            "監査調書（紙）",
            "--by",
            "x",
            "--date",
            "2026-10-01",
        ],
    );
    dir.snap(
        "dispose_bad_date",
        &[
            "dispose",
            "救急活動記録票（紙）",
            "--by",
            "x",
            "--date",
            "昨日",
        ],
    );
    dir.snap(
        "dispose_unknown",
        &[
            "dispose",
            "存在しない資産",
            "--by",
            "x",
            "--date",
            "2026-10-01",
        ],
    );
    dir.snap(
        "dispose_without_by",
        &["dispose", "救急活動記録票（紙）", "--date", "2026-10-01"],
    );
    dir.snap(
        "dispose_then_list",
        &["list", "--only-disposed", "--lang", "en"],
    );
}

#[test]
fn link_and_unlink() {
    let dir = Dir::example();
    dir.snap("link", &["link", "住民記録データ", "copy_of", "戸籍データ"]);
    dir.snap(
        "link_sanitization_json",
        &[
            "link",
            "公式ウェブサイトCMS",
            "transfers_to",
            "文書管理システム",
            "--sanitization",
            "無害化",
            "--format",
            "json",
        ],
    );
    dir.snap(
        "link_exists_other_sanitization",
        &[
            "link",
            "公式ウェブサイトCMS",
            "transfers_to",
            "文書管理システム",
            "--sanitization",
            "file_sanitization",
        ],
    );
    dir.snap(
        "link_exists",
        &[
            "link",
            "住民記録データ",
            "stored_on",
            "住民基本台帳システム",
        ],
    );
    dir.snap(
        "link_unknown_relation",
        &["link", "住民記録データ", "owns", "住民基本台帳システム"],
    );
    dir.snap(
        "link_unknown_asset",
        &["link", "住民記録データ", "stored_on", "存在しないサーバ"],
    );
    dir.snap(
        "link_to_itself",
        &["link", "住民記録データ", "copy_of", "住民記録データ"],
    );
    dir.snap(
        "link_disposed",
        &[
            "link",
            "住民記録データ",
            "stored_on",
            "旧消防指令台端末ハードディスク",
        ],
    );
    dir.snap(
        "unlink",
        &["unlink", "住民記録データ", "copy_of", "戸籍データ"],
    );
    dir.snap(
        "unlink_json",
        &[
            "unlink",
            "税務システム",
            "connects_to",
            "財務会計システム",
            "--format",
            "json",
        ],
    );
    dir.snap(
        "unlink_missing",
        &["unlink", "住民記録データ", "copy_of", "戸籍データ"],
    );
    dir.snap("link_history", &["history", "戸籍データ", "--lang", "en"]);
}

#[test]
fn verify() {
    let dir = Dir::example();
    dir.snap("verify", &["verify"]);
    dir.snap("verify_en", &["verify", "--lang", "en"]);
    dir.snap("verify_json", &["verify", "--format", "json"]);
    let tamper = "UPDATE audit_log SET actor = 'mallory' WHERE seq = 10";
    dir.ws.execute_sql(tamper, tamper);
    dir.snap("verify_tampered", &["verify"]);
    dir.snap("verify_tampered_json", &["verify", "--format", "json"]);
    dir.snap("verify_no_register", &["verify", "--db", "none.db"]);
    dir.snap("verify_not_a_register", &["verify", "--db", "assets.csv"]);
}

/// Issue 11: a head as an anchor, an edited row, a redaction and an upgrade.
#[test]
fn tamper_evidence() {
    let dir = Dir::example();
    let head = dir.run(&["verify", "--format", "json"]).json()["head"]
        .as_str()
        .expect("a head")
        .to_owned();
    dir.snap(
        "verify_expect_head",
        &["verify", "--expect-head", &head, "--lang", "en"],
    );
    dir.snap("verify_bad_head", &["verify", "--expect-head", "135:abc"]);
    let edits = "DELETE FROM audit_log WHERE seq > 134;
         UPDATE assets SET confidentiality = '1' WHERE name = '住民基本台帳システム';";
    dir.ws.execute_sql(
        &format!("{edits} CREATE TRIGGER quietly AFTER UPDATE ON assets BEGIN SELECT 1; END"),
        &format!(
            "{edits} CREATE FUNCTION quietly() RETURNS trigger LANGUAGE plpgsql \
             AS $$ BEGIN RETURN NEW; END $$; \
             CREATE TRIGGER quietly AFTER UPDATE ON assets \
             FOR EACH ROW EXECUTE FUNCTION quietly();"
        ),
    );
    dir.snap(
        "verify_expect_head_truncated",
        &["verify", "--expect-head", &head, "--lang", "en"],
    );
    dir.snap(
        "verify_expect_head_truncated_json",
        &["verify", "--expect-head", &head, "--format", "json"],
    );

    let dir = Dir::example();
    dir.run(&[
        "edit",
        "住民記録データ",
        "--notes",
        "個人番号 123456789012 を誤記",
    ])
    .success();
    dir.run(&["edit", "住民記録データ", "--notes", "訂正済"])
        .success();
    // Entry 137 changed the note from the number to what the asset holds now.
    dir.snap(
        "redact",
        &[
            "redact",
            "137",
            "--field",
            "notes",
            "--reason",
            "個人番号の誤記載",
        ],
    );
    dir.snap(
        "redact_en_json",
        &[
            "redact",
            "136",
            "--field",
            "notes",
            "--reason",
            "個人番号の誤記載",
            "--format",
            "json",
        ],
    );
    dir.snap(
        "redact_still_held",
        &[
            "redact",
            "137",
            "--field",
            "notes",
            "--reason",
            "個人番号の誤記載",
        ],
    );
    dir.snap("redact_verify_en", &["verify", "--lang", "en"]);
    dir.snap(
        "redact_history_en",
        &["history", "住民記録データ", "--lang", "en"],
    );
    dir.snap("upgrade", &["upgrade", "--lang", "en"]);
}

#[test]
fn summary() {
    let dir = Dir::example();
    dir.snap("summary", &["summary"]);
    dir.snap("summary_en", &["summary", "--lang", "en"]);
    dir.snap("summary_json", &["summary", "--format", "json"]);
    dir.snap("summary_csv", &["summary", "--format", "csv"]);
}

#[test]
fn report() {
    let dir = Dir::example();
    dir.snap(
        "report",
        &[
            "report",
            "-o",
            "報告書.html",
            "--today",
            TODAY,
            "--city",
            "みなと市",
        ],
    );
    dir.snap(
        "report_en",
        &[
            "report",
            "-o",
            "report.html",
            "--today",
            TODAY,
            "--lang",
            "en",
        ],
    );
    dir.snap("report_exists", &["report", "-o", "報告書.html"]);
    dir.snap(
        "report_bad_today",
        &["report", "-o", "r2.html", "--today", "令和8年13月1日"],
    );
    dir.snap("report_no_output", &["report"]);
    dir.snap(
        "report_bad_as_of",
        &["report", "-o", "r3.html", "--as-of", "2026-02-30"],
    );
    dir.snap(
        "report_as_of_before_the_register",
        &[
            "report",
            "-o",
            "r4.html",
            "--as-of",
            "2000-01-01",
            "--lang",
            "en",
        ],
    );
    dir.snap("report_help", &["report", "--help"]);
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one snapshot after another on one register, built once"
)]
fn check() {
    let dir = Dir::example();
    dir.snap("check", &["check", "--today", TODAY]);
    dir.snap("check_en", &["check", "--today", TODAY, "--lang", "en"]);
    dir.snap(
        "check_json",
        &["check", "--today", TODAY, "--format", "json"],
    );
    dir.snap("check_csv", &["check", "--today", TODAY, "--format", "csv"]);
    dir.snap(
        "check_csv_en_never",
        &[
            "check",
            "--today",
            "令和8年11月25日",
            "--format",
            "csv",
            "--lang",
            "en",
            "--fail-on",
            "never",
        ],
    );
    // A later date: more reviews are overdue; warnings fail the check.
    dir.snap(
        "check_later_warning",
        &[
            "check",
            "--today",
            "2027-08-01",
            "--fail-on",
            "warning",
            "--format",
            "json",
        ],
    );
    dir.snap("check_bad_today", &["check", "--today", "昨日"]);
    dir.snap(
        "check_bad_fail_on",
        &["check", "--today", TODAY, "--fail-on", "sometimes"],
    );
    dir.snap(
        "check_what_if_link",
        &[
            "check",
            "--today",
            TODAY,
            "--what-if-link",
            "住民記録データ",
            "stored_on",
            "庁内ファイルサーバ",
        ],
    );
    dir.snap(
        "check_what_if_link_json",
        &[
            "check",
            "--today",
            TODAY,
            "--what-if-link",
            "電子申請システム",
            "transfers_to",
            "財務会計システム",
            "--format",
            "json",
        ],
    );
    dir.snap(
        "check_what_if_class_en",
        &[
            "check",
            "--today",
            TODAY,
            "--what-if-class",
            "住民記録データ",
            "3A",
            "2",
            "2",
            "--lang",
            "en",
        ],
    );
    dir.snap(
        "check_what_if_class_json",
        &[
            "check",
            "--today",
            TODAY,
            "--what-if-class",
            "人事給与システム",
            "3C",
            "2",
            "2",
            "--format",
            "json",
        ],
    );
    dir.snap(
        "check_what_if_link_wrong_kinds",
        &[
            "check",
            "--what-if-link",
            "電子申請データ",
            "transfers_to",
            "財務会計システム",
        ],
    );
    dir.snap(
        "check_what_if_bad_relation",
        &[
            "check",
            "--what-if-link",
            "住民記録データ",
            "owns",
            "庁内ファイルサーバ",
        ],
    );
    dir.snap(
        "check_what_if_unknown_asset",
        &["check", "--what-if-class", "存在しない資産", "3A", "2", "2"],
    );
    dir.snap(
        "check_what_if_bad_level",
        &["check", "--what-if-class", "住民記録データ", "9Z", "2", "2"],
    );
    dir.snap(
        "check_what_if_both",
        &[
            "check",
            "--what-if-class",
            "住民記録データ",
            "3A",
            "2",
            "2",
            "--what-if-link",
            "住民記録データ",
            "stored_on",
            "庁内ファイルサーバ",
        ],
    );
}

#[test]
fn explain() {
    let dir = Dir::example();
    dir.snap(
        "explain",
        &["explain", "住民基本台帳システム遠隔地バックアップ"],
    );
    dir.snap(
        "explain_en",
        &[
            "explain",
            "住民基本台帳システム遠隔地バックアップ",
            "--lang",
            "en",
        ],
    );
    dir.snap(
        "explain_json",
        &[
            "explain",
            "住民基本台帳システム遠隔地バックアップ",
            "--format",
            "json",
        ],
    );
    dir.snap("explain_below", &["explain", "人事給与システム"]);
    dir.snap(
        "explain_below_json",
        &["explain", "人事給与システム", "--format", "json"],
    );
    dir.snap("explain_excluded", &["explain", "校務支援システム"]);
    dir.snap(
        "explain_cycle",
        &["explain", "選挙人名簿抄本（投票所用）", "--lang", "en"],
    );
    dir.snap("explain_unknown", &["explain", "存在しない資産"]);
}

#[test]
fn risk() {
    let dir = Dir::example();
    dir.snap("risk_none_json", &["risk", "--format", "json"]);
    dir.snap(
        "risk_set",
        &[
            "risk",
            "set",
            "住民基本台帳システム",
            "intentional",
            "2",
            "3",
        ],
    );
    dir.snap(
        "risk_set_json",
        &[
            "risk",
            "set",
            "住民基本台帳システム",
            "disaster",
            "1",
            "2",
            "--format",
            "json",
        ],
    );
    dir.snap(
        "risk_set_again",
        &[
            "risk",
            "set",
            "住民基本台帳システム",
            "intentional",
            "3",
            "3",
        ],
    );
    dir.snap(
        "risk_set_more",
        &[
            "risk",
            "set",
            "ウェブサイト掲載情報",
            "unintentional",
            "3",
            "1",
        ],
    );
    dir.snap("risk_list", &["risk"]);
    dir.snap("risk_list_en", &["risk", "list", "--lang", "en"]);
    dir.snap("risk_list_json", &["risk", "list", "--format", "json"]);
    dir.snap(
        "risk_unset",
        &["risk", "unset", "住民基本台帳システム", "disaster"],
    );
    dir.snap(
        "risk_unset_missing",
        &["risk", "unset", "住民基本台帳システム", "disaster"],
    );
    dir.snap(
        "risk_unknown_threat",
        &["risk", "set", "住民基本台帳システム", "flood", "2", "2"],
    );
    dir.snap(
        "risk_out_of_range",
        &[
            "risk",
            "set",
            "住民基本台帳システム",
            "intentional",
            "4",
            "2",
        ],
    );
    dir.snap(
        "risk_unknown_asset",
        &["risk", "set", "存在しない資産", "intentional", "2", "2"],
    );
    dir.snap(
        "risk_disposed",
        &[
            "risk",
            "set",
            "旧消防指令台端末ハードディスク",
            "intentional",
            "2",
            "2",
        ],
    );
    dir.snap("risk_history", &["history", "住民基本台帳システム"]);
}

#[test]
fn policy() {
    let dir = Dir::example();
    for section in [
        "levels",
        "organizations",
        "restrictions",
        "controls",
        "exclusions",
        "vocabulary",
    ] {
        dir.snap(&format!("policy_{section}"), &["policy", section]);
        dir.snap(
            &format!("policy_{section}_json"),
            &["policy", section, "--format", "json"],
        );
    }
    dir.snap("policy_default_en", &["policy", "--lang", "en"]);
    dir.write(
        "synonyms.toml",
        "name = \"minato\"\nextends = \"niigata\"\n\
         [[synonyms]]\ncolumn = \"kind\"\ncode = \"network_system\"\nwords = [\"システム系\"]\n\
         [[synonyms]]\ncolumn = \"organization\"\ncode = \"mayor\"\nwords = [\"各区役所\"]\n",
    );
    dir.snap(
        "policy_vocabulary_en_synonyms",
        &[
            "policy",
            "vocabulary",
            "--profile",
            "synonyms.toml",
            "--lang",
            "en",
        ],
    );
    dir.snap(
        "policy_restrictions_en",
        &["policy", "restrictions", "--lang", "en"],
    );
    dir.snap(
        "policy_mic_r5",
        &["policy", "levels", "--profile", "mic-r5", "--db", "none.db"],
    );
    dir.write(
        "minato.toml",
        "name = \"minato\"\nextends = \"niigata\"\nreview_interval_days = 180\n",
    );
    dir.snap(
        "policy_city_file",
        &[
            "policy",
            "exclusions",
            "--profile",
            "minato.toml",
            "--format",
            "csv",
        ],
    );
    dir.snap("policy_unknown_profile", &["policy", "--profile", "tokyo"]);
    dir.snap(
        "policy_missing_file",
        &["policy", "--profile", "missing.toml"],
    );
    dir.snap("policy_unknown_section", &["policy", "rules"]);
}

#[test]
fn backup_and_restore() {
    let dir = Dir::example();
    dir.snap("backup", &["backup", "backup.db"]);
    dir.snap("backup_json", &["backup", "backup2.db", "--format", "json"]);
    dir.snap("backup_exists", &["backup", "backup.db"]);
    dir.snap("backup_missing_dir", &["backup", "nodir/backup.db"]);
    dir.snap(
        "restore",
        &[
            "restore",
            "backup.db",
            "--db",
            "restored.db",
            "--lang",
            "en",
        ],
    );
    dir.snap(
        "restore_json",
        &[
            "restore",
            "backup.db",
            "--db",
            "restored2.db",
            "--format",
            "json",
        ],
    );
    if dir.ws.on_server() {
        // A backup goes onto a server by `daicho migrate`, never over a register.
        let run = dir.run(&["restore", "backup.db", "--force", "--lang", "en"]);
        assert_eq!(run.code, 1, "{run:?}");
        assert!(
            run.stderr
                .contains("a register on PostgreSQL cannot be restored onto;"),
            "{}",
            run.stderr
        );
    }
    dir.snap(
        "restore_missing",
        &["restore", "missing.db", "--db", "restored3.db"],
    );
    dir.snap(
        "restore_not_a_register",
        &["restore", "assets.csv", "--db", "restored4.db"],
    );
}

/// A backup restored over the register's file: refused without `--force`.
#[test]
fn restore_onto_the_register_file() {
    let dir = Dir::example_file();
    dir.run(&["backup", "backup.db"]).success();
    dir.snap("restore_without_force", &["restore", "backup.db"]);
    dir.snap("restore_force", &["restore", "backup.db", "--force"]);
}

#[test]
fn usage() {
    let dir = Dir::empty();
    dir.snap("usage_help", &["--help"]);
    dir.snap("usage_import_help", &["import", "--help"]);
    dir.snap("usage_check_help", &["help", "check"]);
    dir.snap("usage_no_command", &[] as &[&str]);
    dir.snap("usage_unknown_command", &["frobnicate"]);
    dir.snap("usage_bad_format", &["list", "--format", "yaml"]);
    // No file (cli.rs checks the server's empty schema).
    Dir::empty_file().snap("usage_no_register", &["list"]);
    dir.snap("usage_not_a_register", &["summary", "--db", "links.csv"]);
    // clap's own errors follow --lang too, read off the raw arguments.
    dir.snap("usage_unknown_argument", &["list", "--formt", "json"]);
    dir.snap("usage_missing_value", &["add", "--kind"]);
    dir.snap("usage_conflict", &["list", "--in-scope", "--excluded"]);
    dir.snap("usage_unknown_command_en", &["--lang", "en", "frobnicate"]);
    dir.snap(
        "usage_bad_format_en",
        &["list", "--format", "yaml", "--lang=en"],
    );
}

/// Every bad-input fixture: CSV and TXT through `daicho import` into an
/// empty register (table and JSON) and into a register holding an asset;
/// TOML through `daicho init --policy`.
#[test]
fn bad_input() {
    let empty = Dir::empty();
    empty.run(&["init"]).success();
    let one = Dir::empty();
    one.run(&["init"]).success();
    one.run(&[
        "add",
        "--kind",
        "ア",
        "--name",
        "既存の資産",
        "--org",
        "水道局",
        "-c",
        "3B",
        "-i",
        "2",
        "-a",
        "2",
    ])
    .success();
    insta::glob!("../fixtures", "bad_input/*", |path| {
        let path: PathBuf = path.to_path_buf();
        let mut text = String::new();
        if path.extension().is_some_and(|e| e == "toml") {
            let fresh = Dir::empty();
            for format in ["table", "json"] {
                text.push_str(&fresh.transcript(&[
                    "init".as_ref(),
                    "--policy".as_ref(),
                    path.as_os_str(),
                    "--format".as_ref(),
                    format.as_ref(),
                ]));
            }
            text.push_str(&fresh.transcript(&[
                "init".as_ref(),
                "--policy".as_ref(),
                path.as_os_str(),
                "--lang".as_ref(),
                "en".as_ref(),
            ]));
            assert!(
                !fresh.path().join("register.db").exists(),
                "a bad policy created a register"
            );
            fresh.assert("bad_input", &text);
        } else {
            text.push_str("# into an empty register\n");
            for format in ["table", "json"] {
                text.push_str(&empty.transcript(&[
                    "import".as_ref(),
                    path.as_os_str(),
                    "--format".as_ref(),
                    format.as_ref(),
                ]));
            }
            text.push_str("# into an empty register, in English\n");
            text.push_str(&empty.transcript(&[
                "import".as_ref(),
                path.as_os_str(),
                "--lang".as_ref(),
                "en".as_ref(),
            ]));
            text.push_str("# into a register holding one asset\n");
            text.push_str(&one.transcript(&["import".as_ref(), path.as_os_str()]));
            one.assert("bad_input", &text);
        }
    });
}

/// Issue 12, item 4: deleting an asset registered by mistake.
#[test]
fn delete() {
    let dir = Dir::example();
    dir.snap(
        "delete_linked",
        &["delete", "住民基本台帳システム", "--reason", "二重登録"],
    );
    dir.snap(
        "delete_with_links",
        &[
            "delete",
            "住民記録データ",
            "--reason",
            "二重登録（J-001 と同じ）",
            "--with-links",
        ],
    );
    dir.snap(
        "delete_history_by_id",
        &[
            "history",
            "2f5fc143-7ce2-458b-957d-f3532b5cbada",
            "--lang",
            "en",
        ],
    );
    dir.snap(
        "delete_json_en",
        &[
            "delete",
            "旧消防指令台端末ハードディスク",
            "--reason",
            "register cleanup",
            "--format",
            "json",
            "--lang",
            "en",
        ],
    );
    dir.snap("delete_no_reason", &["delete", "戸籍データ"]);
    dir.snap(
        "delete_blank_reason",
        &["delete", "戸籍データ", "--reason", " "],
    );
    dir.snap(
        "delete_unknown",
        &["delete", "存在しない資産", "--reason", "x"],
    );
    dir.snap("delete_verify", &["verify"]);
}

/// Issue 12, item 4: every import is recorded and can be undone.
#[test]
fn import_undo() {
    let dir = Dir::example();
    dir.write(
        "new.csv",
        "資産名,種別,所管,所属,機密性,完全性,可用性\r\n\
         会議室予約システム,ア,市長事務部局,総務課,2,1,1\r\n\
         会議室予約データ,イ,市長事務部局,総務課,2,1,1\r\n",
    );
    dir.write(
        "new-links.csv",
        "from,relation,to\r\n会議室予約データ,stored_on,会議室予約システム\r\n",
    );
    let before = dir.run(&["export"]).stdout;
    dir.snap(
        "import_undo_new",
        &["import", "new.csv", "--links", "new-links.csv"],
    );
    dir.snap("import_list", &["import", "--list"]);
    dir.snap(
        "import_list_json",
        &["import", "--list", "--format", "json"],
    );
    dir.snap("import_undo_last", &["import", "--undo", "last"]);
    assert_eq!(
        dir.run(&["export"]).stdout,
        before,
        "the undo restores the sheet"
    );
    dir.snap("import_undo_again", &["import", "--undo", "3"]);
    dir.snap("import_undo_unknown", &["import", "--undo", "9"]);
    dir.snap("import_undo_bad", &["import", "--undo", "前回"]);
    // An asset the import made is changed afterwards: nothing is reverted.
    dir.run(&["import", "new.csv"]).success();
    dir.run(&["edit", "会議室予約データ", "--manager", "山田"])
        .success();
    dir.snap("import_undo_changed_since", &["import", "--undo", "last"]);
    dir.snap(
        "import_undo_changed_since_en",
        &["import", "--undo", "last", "--lang", "en"],
    );
    dir.snap(
        "import_undo_json",
        &["import", "--undo", "2", "--format", "json"],
    );
    dir.snap("import_undo_list_en", &["import", "--list", "--lang", "en"]);
}

/// Issue 12, item 5: names as staff write them, and a register's policy changed.
#[test]
fn organization_names_and_policy_set() {
    let dir = Dir::example();
    dir.snap("list_org_alias", &["list", "--org", "消防本部"]);
    dir.snap("list_org_suggestion", &["list", "--org", "消防暑"]);
    dir.snap(
        "list_org_suggestion_en",
        &["list", "--org", "消防暑", "--lang", "en"],
    );
    dir.snap(
        "add_kind_suggestion",
        &[
            "add",
            "--kind",
            "情報資産",
            "--name",
            "x",
            "--org",
            "水道局",
            "-c",
            "2",
            "-i",
            "1",
            "-a",
            "1",
        ],
    );
    dir.write(
        "minato.toml",
        "name = \"minato\"\nextends = \"niigata\"\n\n\
         [[organization_aliases]]\norganization = \"mayor\"\naliases = [\"各区役所\"]\n",
    );
    dir.snap("policy_set", &["policy", "set", "minato.toml"]);
    dir.snap(
        "policy_set_again_json",
        &["policy", "set", "minato.toml", "--format", "json"],
    );
    dir.snap("policy_set_organizations", &["policy", "organizations"]);
    dir.snap("policy_set_alias_in_use", &["list", "--org", "各区役所"]);
    dir.write(
        "small.toml",
        "name = \"small\"\nextends = \"niigata\"\nexclusions = []\n\n\
         [[organizations]]\ncode = \"mayor\"\nja = \"市長部局\"\n",
    );
    dir.snap("policy_set_refused", &["policy", "set", "small.toml"]);
    dir.snap("policy_set_no_file", &["policy", "set"]);
    dir.snap(
        "policy_set_refused_en",
        &["policy", "set", "mic-r5", "--lang", "en"],
    );
    dir.snap("policy_set_verify", &["verify"]);
}

/// Issue 12, item 9: one section's assets, names as typed, and candidates.
#[test]
fn finding_and_scoping() {
    let dir = Dir::example();
    dir.snap(
        "list_department",
        &["list", "--department", "市民生活部 市民課"],
    );
    dir.snap(
        "list_name_half_width",
        &["list", "--name", "ｼｽﾃﾑ", "--org", "水道局"],
    );
    dir.snap("list_name_hiragana", &["list", "--name", "ばっくあっぷ"]);
    dir.snap(
        "export_department",
        &["export", "--department", "お客さまサービス課"],
    );
    dir.snap(
        "check_department",
        &[
            "check",
            "--today",
            TODAY,
            "--department",
            "市民生活部 市民課",
        ],
    );
    dir.snap("show_candidates", &["show", "ﾊﾞｯｸｱｯﾌﾟ"]);
    dir.snap(
        "show_candidates_json_en",
        &["show", "住民基本台帳", "--format", "json", "--lang", "en"],
    );
}

/// Issue 16 item 2: a recorded run, the findings it tracks, a correction
/// set in progress and overdue, the status history, and a later run that
/// resolves what was fixed.
#[test]
fn findings_tracked_to_correction() {
    let dir = Dir::example();
    dir.snap(
        "findings_record",
        &[
            "check",
            "--record",
            "--today",
            "2026-04-01",
            "--fail-on",
            "never",
        ],
    );
    dir.snap("findings_list", &["findings"]);
    dir.snap(
        "findings_set",
        &[
            "findings",
            "set",
            "1",
            "--status",
            "是正中",
            "--owner",
            "人事課 佐藤",
            "--due",
            "令和8年4月30日",
        ],
    );
    dir.snap(
        "findings_set_resolved_refused",
        &["findings", "set", "1", "--status", "resolved"],
    );
    dir.snap(
        "findings_unknown",
        &["findings", "set", "9999", "--owner", "x"],
    );
    dir.snap(
        "findings_overdue_en",
        &[
            "check",
            "--today",
            "2026-05-01",
            "--lang",
            "en",
            "--fail-on",
            "never",
        ],
    );
    // Fix the finding in progress: 人事給与システム raised to 3C.
    dir.run(&["edit", "人事給与システム", "-c", "3C"]).success();
    dir.snap(
        "findings_record_later",
        &[
            "check",
            "--record",
            "--today",
            "2026-05-10",
            "--fail-on",
            "never",
            "--lang",
            "en",
        ],
    );
    dir.snap(
        "findings_in_progress_or_resolved_en",
        &["findings", "--status", "resolved", "--lang", "en"],
    );
    dir.snap("findings_history", &["findings", "history", "1"]);
    dir.snap(
        "findings_json",
        &["findings", "--status", "resolved", "--format", "json"],
    );
    dir.snap(
        "findings_csv",
        &["findings", "--status", "in_progress", "--format", "csv"],
    );
    dir.snap("findings_bad_status", &["findings", "--status", "done"]);
    // A report that cannot be written records no run.
    dir.write("report.csv", "kept");
    dir.snap(
        "findings_record_existing_file",
        &[
            "check",
            "--record",
            "--today",
            "2026-06-01",
            "-o",
            "report.csv",
        ],
    );
    dir.snap(
        "findings_record_earlier_refused",
        &["check", "--record", "--today", "2026-05-01"],
    );
    a_recorded_run_whose_report_is_lost_says_so(&dir);
}

/// The report of `check --record` is rendered before the run commits and
/// published after: stdout that cannot be written is said to have lost a
/// recorded run's report, not left silent.
fn a_recorded_run_whose_report_is_lost_says_so(dir: &Dir) {
    if Path::new("/dev/full").exists() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = Command::new(daicho_bin())
            .current_dir(dir.path())
            .env("DAICHO_DB", dir.db())
            .env("DAICHO_ACTOR", ACTOR)
            .args(["check", "--record", "--today", "2026-06-01"])
            .stdout(full)
            .output()
            .expect("daicho runs");
        let run = Run::from(output);
        assert_ne!(run.code, 0, "{run:?}");
        assert!(
            run.stderr
                .contains("自己点検 #3（2026-06-01）は記録されましたが"),
            "{}",
            run.stderr
        );
    }
}

/// The example city with its files of 特定個人情報 put in five 事務, and
/// the 事務 recorded (the first one's recording snapshotted).
fn example_with_processes() -> Dir {
    let dir = Dir::example();
    for (process, assets) in [
        (
            "住民基本台帳事務",
            &[
                "住民基本台帳システム",
                "住民基本台帳システム遠隔地バックアップ",
                "住民記録データ",
            ][..],
        ),
        ("個人住民税事務", &["税務システム", "個人住民税課税データ"]),
        (
            "国民健康保険事務",
            &["国民健康保険システム", "国民健康保険資格・給付データ"],
        ),
        (
            "介護保険事務",
            &["介護保険システム", "介護保険認定・給付データ"],
        ),
        ("児童手当事務", &["児童手当受給者一覧（個人番号付）"]),
    ] {
        for asset in assets {
            dir.run(&["edit", asset, "--extra", &format!("事務={process}")])
                .success();
        }
    }
    dir.snap(
        "pia_add",
        &[
            "pia",
            "add",
            "住民基本台帳事務",
            "--handlers",
            "350",
            "--evaluation",
            "全項目評価",
            "--document",
            "第10001号",
            "--published",
            "令和5年6月1日",
        ],
    );
    for args in [
        &[
            "pia",
            "add",
            "個人住民税事務",
            "--handlers",
            "620",
            "--evaluation",
            "focused",
            "--document",
            "第10002号",
            "--published",
            "2024-03-01",
        ][..],
        &[
            "pia",
            "add",
            "国民健康保険事務",
            "--handlers",
            "120",
            "--evaluation",
            "基礎項目",
            "--document",
            "第10003号",
            "--published",
            "2020-06-01",
        ],
        &["pia", "add", "介護保険事務", "--handlers", "80"],
        &[
            "pia",
            "add",
            "児童手当事務",
            "--handlers",
            "40",
            "--evaluation",
            "basic",
            "--document",
            "第10005号",
            "--published",
            "2025-07-01",
        ],
    ] {
        dir.run(args).success();
    }
    dir
}

/// Issue 16 item 4: the example city's 事務 of 特定個人情報, each judged by
/// the thresholds: 全項目評価 done, 全項目評価 needed where 重点 was done,
/// a 基礎項目評価 past five years, a 重点項目評価 missing after a 重大事故,
/// and a 基礎項目評価 done.
#[test]
fn pia() {
    let dir = example_with_processes();
    dir.snap(
        "pia_set_incident",
        &["pia", "set", "介護保険事務", "--incident", "2026-02-10"],
    );
    dir.snap("pia_list", &["pia", "--today", TODAY]);
    dir.snap("pia_list_en", &["pia", "--today", TODAY, "--lang", "en"]);
    dir.snap(
        "pia_list_json",
        &["pia", "--today", TODAY, "--format", "json"],
    );
    dir.snap(
        "pia_check",
        &[
            "check",
            "--today",
            TODAY,
            "--format",
            "csv",
            "--lang",
            "en",
            "--fail-on",
            "never",
        ],
    );
    dir.snap(
        "pia_add_duplicate",
        &["pia", "add", "住民基本台帳事務 ", "--handlers", "1"],
    );
    dir.snap(
        "pia_add_bad_evaluation",
        &[
            "pia",
            "add",
            "新事務",
            "--evaluation",
            "detailed",
            "--document",
            "1",
            "--published",
            "2025-01-01",
        ],
    );
    dir.snap(
        "pia_add_evaluation_without_document",
        &["pia", "add", "新事務", "--evaluation", "basic"],
    );
    dir.snap(
        "pia_set_unknown",
        &["pia", "set", "存在しない事務", "--handlers", "1"],
    );
}

/// Issue 12, item 7: the committed office sheet as a section breaks it (a
/// body the policy does not know, a ✓ Excel saved as `?`, a level of 9),
/// its errors naming Excel's rows and the assets, in Japanese (the
/// default) and in English.
#[test]
fn office_sheet_errors_in_both_languages() {
    let dir = Dir::empty();
    dir.run(&["init"]).success();
    let bytes = std::fs::read(repo_root().join("tests/fixtures/office/section-sheet.csv"))
        .expect("the fixture is readable");
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
    let mut broken = text.into_owned();
    for (from, to) in [
        (
            "選挙人名簿データ,イ,選挙管理委員会事務局,選挙課,3B,2,2,LGWAN接続系,レ,",
            "選挙人名簿データ,イ,各区役所,選挙課,3B,2,2,LGWAN接続系,?,",
        ),
        (
            "水道料金システム,ア,水道局事務局,営業課,3C,2,",
            "水道料金システム,ア,水道局事務局,営業課,3C,9,",
        ),
    ] {
        assert!(broken.contains(from), "the fixture holds `{from}`");
        broken = broken.replace(from, to);
    }
    let (encoded, _, _) = encoding_rs::SHIFT_JIS.encode(&broken);
    std::fs::write(dir.path().join("section-sheet.csv"), &encoded).expect("writable");
    let mut transcript = dir.transcript(&["import", "section-sheet.csv"]);
    transcript.push_str(&dir.transcript(&["import", "section-sheet.csv", "--lang", "en"]));
    dir.assert("office_sheet_errors", &transcript);
}

/// Issue 16: the changes between two days, and the register as of a day
/// (before the register was made: empty; far ahead: as it is).
#[test]
fn changes_and_as_of() {
    let dir = Dir::example();
    dir.run(&["edit", "本会議会議録原稿データ", "--manager", "議事 太郎"])
        .success();
    dir.run(&[
        "edit",
        "本会議会議録原稿データ",
        "--department",
        "議会事務局 総務課",
    ])
    .success();
    dir.snap(
        "changes",
        &["changes", "--since", "2000-01-01", "--dept", "議事調査課"],
    );
    dir.snap(
        "changes_json_en",
        &[
            "changes",
            "--since",
            "2000-01-01",
            "--until",
            "2999-12-31",
            "--dept",
            "議会事務局 総務課",
            "--lang",
            "en",
            "--format",
            "json",
        ],
    );
    dir.snap_with_files(
        "changes_csv",
        &[
            "changes",
            "--since",
            "2000-01-01",
            "--dept",
            "議事調査課",
            "--format",
            "csv",
            "-o",
            "changes.csv",
        ],
        &["changes.csv"],
    );
    dir.snap(
        "changes_until_before_since",
        &["changes", "--since", "2026-04-01", "--until", "2026-03-31"],
    );
    dir.snap("changes_bad_date", &["changes", "--since", "昨日"]);
    dir.snap(
        "as_of_list_before_the_register",
        &["list", "--as-of", "2000-01-01"],
    );
    dir.snap(
        "as_of_summary_ahead",
        &["summary", "--as-of", "2999-12-31", "--lang", "en"],
    );
    dir.snap(
        "as_of_export_bad_date",
        &["export", "--as-of", "2026-02-30", "-o", "x.csv"],
    );
}

/// Issue 16: an attestation campaign's start, status and errors.
#[test]
fn campaign() {
    let dir = Dir::example();
    dir.snap("campaign_status_none", &["campaign", "status"]);
    dir.snap(
        "campaign_start",
        &[
            "campaign",
            "start",
            "2026",
            "--due",
            "2026-11-30",
            "--org",
            "選挙管理委員会",
        ],
    );
    dir.snap("campaign_start_again", &["campaign", "start", "2027"]);
    dir.snap(
        "campaign_status",
        &["campaign", "status", "--today", "2026-12-01"],
    );
    dir.snap(
        "campaign_status_json_en",
        &[
            "campaign",
            "status",
            "--today",
            "2026-11-30",
            "--format",
            "json",
            "--lang",
            "en",
        ],
    );
    dir.snap_with_files(
        "campaign_export",
        &[
            "campaign",
            "export",
            "--dept",
            "事務局 選挙課",
            "-o",
            "選挙課.csv",
        ],
        &["選挙課.csv"],
    );
    dir.snap(
        "campaign_export_xlsx",
        &[
            "campaign",
            "export",
            "--dept",
            "事務局 選挙課",
            "-o",
            "選挙課.xlsx",
        ],
    );
    dir.snap(
        "campaign_export_exists",
        &[
            "campaign",
            "export",
            "--dept",
            "事務局 選挙課",
            "-o",
            "選挙課.csv",
        ],
    );
    dir.snap(
        "attest_unknown_section",
        &["attest", "--dept", "選挙課", "--by", "課長"],
    );
    dir.snap("attest_without_by", &["attest", "--dept", "事務局 選挙課"]);
    dir.snap("campaign_close", &["campaign", "close"]);
    dir.snap(
        "campaign_close_again",
        &["campaign", "close", "--lang", "en"],
    );
}
