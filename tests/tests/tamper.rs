//! Issue 11: each attack on a register by someone who can write its file
//! (or its tables on the server), made with the CLI and direct SQL on a
//! scratch register, and `verify` failing as it should; redaction; signed
//! checkpoints; and the read-only commands run as a user who cannot write
//! the register or its directory.

use std::path::{Path, PathBuf};
use std::process::Command;

use daicho_tests::{Run, Workspace, daicho_bin, repo_root};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

/// The example city's register (みなと市), as `scripts/demo` builds it.
fn example() -> Workspace {
    example_in(Workspace::new())
}

/// The example city's register in `ws`.
fn example_in(ws: Workspace) -> Workspace {
    for name in ["assets.csv", "links.csv"] {
        std::fs::copy(
            repo_root().join("examples/inventory").join(name),
            ws.path().join(name),
        )
        .expect("the example's sheets are readable");
    }
    ws.daicho(["init"]).success();
    ws.daicho(["import", "assets.csv"]).success();
    ws.daicho(["import", "--links", "links.csv"]).success();
    ws
}

/// Runs SQL, the same in both dialects, on the register as anyone with
/// write access to the file (or the tables on the server) can.
fn sql(ws: &Workspace, statements: &str) {
    ws.execute_sql(statements, statements);
}

/// The text of the first column of each row a query gives, on either backend.
fn texts(ws: &Workspace, query: &str) -> Vec<String> {
    if ws.on_server() {
        let rows = ws.server_client().query(query, &[]).expect(query);
        rows.iter().map(|row| row.get(0)).collect()
    } else {
        let conn = Connection::open(ws.db()).unwrap();
        let mut stmt = conn.prepare(query).expect(query);
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }
}

/// `text` as an SQL string literal (the same in both dialects).
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `verify --format json` with extra arguments.
fn verify(ws: &Workspace, args: &[&str]) -> (Run, serde_json::Value) {
    let mut all = vec!["verify", "--format", "json", "--lang", "en"];
    all.extend_from_slice(args);
    let run = ws.daicho(all);
    let json = run.json();
    (run, json)
}

/// The head `verify` prints.
fn head(ws: &Workspace) -> String {
    let (run, json) = verify(ws, &[]);
    run.success();
    json["head"].as_str().expect("a head").to_owned()
}

/// The problems a verification names, as its table prints them.
fn table(ws: &Workspace, args: &[&str]) -> Run {
    let mut all = vec!["verify", "--lang", "en"];
    all.extend_from_slice(args);
    ws.daicho(all)
}

/// An audit entry's columns the hash covers, and its stored hash.
type Entry = (
    i64,
    String,
    String,
    String,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    Vec<u8>,
);

/// Recomputes every entry's hash from `from` on (format 2), as an attacker
/// who rewrote an entry would, so that the chain is intact again.
fn rechain(ws: &Workspace, from: i64) {
    const ENTRIES: &str = "SELECT seq, at, actor, action, asset_id, related_id, payload_digest, hash \
                           FROM audit_log ORDER BY seq";
    let entries: Vec<Entry> = if ws.on_server() {
        let rows = ws.server_client().query(ENTRIES, &[]).unwrap();
        rows.iter()
            .map(|r| {
                (
                    r.get(0),
                    r.get(1),
                    r.get(2),
                    r.get(3),
                    r.get(4),
                    r.get(5),
                    r.get(6),
                    r.get(7),
                )
            })
            .collect()
    } else {
        let conn = Connection::open(ws.db()).unwrap();
        let mut stmt = conn.prepare(ENTRIES).unwrap();
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    let field = |hasher: &mut Sha256, bytes: Option<&[u8]>| match bytes {
        None => hasher.update([0u8]),
        Some(bytes) => {
            hasher.update([1u8]);
            hasher.update((bytes.len() as u64).to_be_bytes());
            hasher.update(bytes);
        }
    };
    let mut previous = [0u8; 32].to_vec();
    for (seq, at, actor, action, asset, related, digest, hash) in entries {
        if seq < from {
            previous = hash;
            continue;
        }
        let mut hasher = Sha256::new();
        hasher.update(&previous);
        hasher.update((seq as u64).to_be_bytes());
        hasher.update([2u8]);
        field(&mut hasher, Some(at.as_bytes()));
        field(&mut hasher, Some(actor.as_bytes()));
        field(&mut hasher, Some(action.as_bytes()));
        field(&mut hasher, asset.as_deref());
        field(&mut hasher, related.as_deref());
        hasher.update(digest.expect("format 2"));
        let hash = hasher.finalize().to_vec();
        let update = format!(
            "UPDATE audit_log SET hash = {} WHERE seq = {seq}",
            hex_literal(ws, &hash)
        );
        ws.execute_sql(&update, &update);
        previous = hash;
    }
}

/// Bytes as an SQL literal of the register's dialect.
fn hex_literal(ws: &Workspace, bytes: &[u8]) -> String {
    if ws.on_server() {
        format!("'\\x{}'::bytea", hex::encode(bytes))
    } else {
        format!("X'{}'", hex::encode(bytes))
    }
}

fn sha256_of(path: &Path) -> String {
    hex::encode(Sha256::digest(
        std::fs::read(path).expect("the file is readable"),
    ))
}

#[test]
fn a_truncated_log_fails_against_the_head_printed_before() {
    let ws = example();
    let head = head(&ws);
    assert!(head.starts_with("135:"), "{head}");
    sql(&ws, "DELETE FROM audit_log WHERE seq > 4");

    let (run, json) = verify(&ws, &["--expect-head", &head]);
    run.expect_code(1);
    assert_eq!(json["audit_entries"], 4);
    assert_eq!(
        json["anchor"]["difference"]["reason"],
        "the log has 4 entries, fewer than the anchor's 135"
    );
    // Without the anchor the shorter chain is intact, but the assets it
    // no longer mentions are named.
    let run = table(&ws, &[]).expect_code(1);
    assert!(
        run.stdout
            .contains("is in the register but not in the audit log"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_rechained_rewrite_of_an_old_entry_fails_against_a_backup() {
    let ws = example();
    ws.daicho(["backup", "backup.db"]).success();
    ws.daicho(["edit", "税務システム", "--notes", "点検済"])
        .success();

    // Someone rewrites who made entry 3 and recomputes every later hash.
    sql(
        &ws,
        "UPDATE audit_log SET actor = 'someone else' WHERE seq = 3",
    );
    table(&ws, &[]).expect_code(1);
    rechain(&ws, 3);
    let run = table(&ws, &[]).success();
    assert!(run.stdout.contains("ok (136 entries)"), "{}", run.stdout);

    let (run, json) = verify(&ws, &["--against", "backup.db"]);
    run.expect_code(1);
    assert_eq!(json["anchor"]["difference"]["seq"], 3);
    assert_eq!(
        json["anchor"]["difference"]["reason"],
        "entry 3 differs from the anchor's entry 3"
    );
    assert_eq!(json["anchor"]["source"], "backup `backup.db`");
}

#[test]
fn an_emptied_log_with_the_assets_left_fails() {
    let ws = example();
    sql(&ws, "DELETE FROM audit_log");
    let (run, json) = verify(&ws, &[]);
    run.expect_code(1);
    // 71 assets, 41 links and no risk assessment that no entry made.
    let count = json["mismatch_count"].as_u64().unwrap();
    assert!(count >= 71, "{json}");
    assert_eq!(
        json["mismatches"][0]["detail"],
        "is in the register but not in the audit log"
    );
    assert!(
        json["notes"][0]
            .as_str()
            .unwrap()
            .contains("chains no policy digest"),
        "{json}"
    );
}

#[test]
fn a_rollback_by_restore_shows_in_the_log_and_against_the_later_head() {
    // A restore is onto a register file (and its permissions are checked).
    let ws = example_in(Workspace::with_file());
    ws.daicho(["backup", "before.db"]).success();
    ws.daicho([
        "dispose",
        "税務システム",
        "--by",
        "鈴木",
        "--date",
        "2026-04-01",
    ])
    .success();
    let later = head(&ws);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(ws.db(), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    ws.daicho(["restore", "before.db", "--force"]).success();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(ws.db()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "restore --force writes 0600");
    }

    // The restore is in the log, with the head it replaced.
    let run = table(&ws, &[]).success();
    assert!(
        run.stdout.contains(&format!(
            "audit entry 136: restored from a backup, replacing the register at head {later}"
        )),
        "{}",
        run.stdout
    );
    let (_, json) = verify(&ws, &[]);
    let history = Connection::open(ws.db())
        .unwrap()
        .query_row(
            "SELECT actor, after FROM audit_log WHERE action = 'restore'",
            [],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .unwrap();
    assert_eq!(history.0, "test-actor");
    assert!(history.1.contains(&later), "{}", history.1);
    assert_eq!(json["ok"], true);

    // Against the head printed after the disposal, entry 136 differs.
    let (run, json) = verify(&ws, &["--expect-head", &later]);
    run.expect_code(1);
    assert_eq!(json["anchor"]["difference"]["seq"], 136);
}

#[test]
fn an_edited_asset_row_is_named_with_its_field() {
    let ws = example();
    sql(
        &ws,
        "UPDATE assets SET confidentiality = '1' WHERE name = '住民基本台帳システム'",
    );
    let (run, json) = verify(&ws, &[]);
    run.expect_code(1);
    assert_eq!(json["mismatch_count"], 1);
    let mismatch = &json["mismatches"][0];
    assert_eq!(
        mismatch["object"],
        "asset `住民基本台帳システム` (6a757fa2-e41c-45e1-a01e-f8867e2df9a1)"
    );
    assert_eq!(mismatch["field"], "confidentiality");
    assert!(
        mismatch["detail"]
            .as_str()
            .unwrap()
            .starts_with("is `1` in the register, `3B` in the audit log"),
        "{mismatch}"
    );
}

#[test]
fn an_exception_given_a_later_expiry_in_the_file_is_named() {
    let ws = example();
    ws.daicho([
        "exception",
        "add",
        "--rule",
        "manager.missing",
        "--asset",
        "住民基本台帳システム",
        "--reason",
        "担当者の異動中",
        "--approver",
        "CISO",
        "--approved-on",
        "令和8年4月1日",
        "--expires-on",
        "令和8年6月30日",
    ])
    .success();
    let (run, _) = verify(&ws, &[]);
    run.success();
    sql(&ws, "UPDATE exceptions SET expires_on = '2099-12-31'");
    let (run, json) = verify(&ws, &[]);
    run.expect_code(1);
    assert_eq!(json["mismatch_count"], 1, "{json}");
    let mismatch = &json["mismatches"][0];
    assert_eq!(mismatch["object"], "exception #1");
    assert_eq!(mismatch["field"], "expires_on");
    assert_eq!(
        mismatch["detail"],
        "is `2099-12-31` in the register, `2026-06-30` in the audit log"
    );
    sql(&ws, "DELETE FROM exceptions");
    let (run, json) = verify(&ws, &[]);
    run.expect_code(1);
    assert_eq!(
        json["mismatches"][0]["detail"],
        "is in the audit log but not in the register"
    );
}

#[test]
fn a_planted_trigger_is_named_and_what_it_rewrote_too() {
    let ws = example();
    ws.execute_sql(
        "CREATE TRIGGER quietly AFTER UPDATE ON assets WHEN NEW.confidentiality <> '1' BEGIN
             UPDATE assets SET confidentiality = '1', confidentiality_rank = 1 WHERE id = NEW.id;
         END",
        "CREATE FUNCTION quietly() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
             UPDATE assets SET confidentiality = '1', confidentiality_rank = 1 WHERE id = NEW.id;
             RETURN NULL;
         END $$;
         CREATE TRIGGER quietly AFTER UPDATE ON assets FOR EACH ROW
             WHEN (NEW.confidentiality <> '1') EXECUTE FUNCTION quietly();",
    );
    ws.daicho(["edit", "住民基本台帳システム", "--notes", "点検済"])
        .success();
    let (run, json) = verify(&ws, &[]);
    run.expect_code(1);
    assert_eq!(
        json["schema"][0],
        "an extra trigger `quietly` on `assets` that no migration creates"
    );
    let fields: Vec<&str> = json["mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["field"].as_str())
        .collect();
    assert!(fields.contains(&"confidentiality"), "{json}");
}

#[test]
fn restrictions_cut_from_the_stored_policy_are_named() {
    let ws = example();
    let missing_controls = |ws: &Workspace| {
        let run = ws.daicho([
            "check",
            "--today",
            "2026-11-25",
            "--format",
            "json",
            "--fail-on",
            "never",
        ]);
        run.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "controls.required_missing")
            .count()
    };
    assert!(missing_controls(&ws) > 0);
    let [text] = <[String; 1]>::try_from(texts(
        &ws,
        "SELECT value FROM meta WHERE key = 'policy_toml'",
    ))
    .expect("one stored policy");
    let cut: Vec<&str> = text
        .split("\n\n")
        .filter(|block| {
            let header = block.lines().next().unwrap_or("");
            !header.ends_with(".levels.restrictions]]")
        })
        .collect();
    sql(
        &ws,
        &format!(
            "UPDATE meta SET value = {} WHERE key = 'policy_toml'",
            literal(&cut.join("\n\n"))
        ),
    );
    // The self-inspection now finds nothing missing: the edit took effect.
    assert_eq!(missing_controls(&ws), 0);

    let (run, json) = verify(&ws, &[]);
    run.expect_code(1);
    let policy = json["policy"].as_array().unwrap();
    assert_eq!(policy.len(), 2, "{json}");
    assert!(
        policy[1]
            .as_str()
            .unwrap()
            .contains("not to the SHA-256 chained in audit entry 1"),
        "{json}"
    );
}

/// The number that `redacted` writes in a note, then redacts.
const NUMBER: &str = "123456789012";

/// A register whose asset's note held [`NUMBER`] (entries 2 and 3), redacted
/// from both entries.
fn redacted(ws: &Workspace) {
    ws.daicho(["init"]).success();
    ws.daicho([
        "add",
        "--kind",
        "イ",
        "--name",
        "相談記録",
        "--org",
        "mayor",
        "-c",
        "3B",
        "-i",
        "2",
        "-a",
        "2",
        "--notes",
        &format!("個人番号 {NUMBER} の方から相談"),
    ])
    .success();
    ws.daicho(["edit", "相談記録", "--notes", "相談あり"])
        .success();
    let history = ws
        .daicho(["history", "相談記録", "--format", "json"])
        .success();
    assert!(history.stdout.contains(NUMBER));

    // Entry 2 made the asset, entry 3 changed the note.
    for entry in ["2", "3"] {
        ws.daicho([
            "redact",
            entry,
            "--field",
            "notes",
            "--reason",
            "個人番号の誤記載",
            "--lang",
            "en",
        ])
        .success();
    }
}

#[test]
fn redact_removes_a_notes_content_from_the_log_and_verify_passes() {
    let ws = Workspace::new();
    redacted(&ws);
    let run = table(&ws, &[]).success();
    assert!(
        run.stdout
            .contains("audit entry 2: `notes` redacted by entry 4 (個人番号の誤記載)"),
        "{}",
        run.stdout
    );
    let history = ws
        .daicho(["history", "相談記録", "--format", "json"])
        .success();
    assert!(!history.stdout.contains(NUMBER), "{}", history.stdout);
    let logged = texts(
        &ws,
        "SELECT coalesce(before, '') || coalesce(after, '') FROM audit_log",
    );
    assert!(logged.iter().all(|p| !p.contains(NUMBER)));
    let show = ws.daicho(["show", "相談記録"]).success();
    assert!(show.stdout.contains("相談あり"));
}

/// No copy of a redacted number is left in the register's file: a test of
/// the file's bytes, so on SQLite in every run.
#[test]
fn redact_leaves_no_copy_in_the_register_file() {
    let ws = Workspace::with_file();
    redacted(&ws);
    let bytes = std::fs::read(ws.db()).unwrap();
    assert!(!bytes.windows(NUMBER.len()).any(|w| w == NUMBER.as_bytes()));
}

#[test]
fn a_signed_checkpoint_verifies_and_a_tampered_or_foreign_one_does_not() {
    let ws = example();
    let keys = |name: &str| {
        ws.daicho([
            "checkpoint",
            "keygen",
            "--out-private",
            &format!("{name}.key"),
            "--out-public",
            &format!("{name}.pub"),
        ])
        .success();
    };
    keys("manager");
    keys("other");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(ws.path().join("manager.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    ws.daicho([
        "checkpoint",
        "sign",
        "--key",
        "manager.key",
        "-o",
        "cp.txt",
        "--origin",
        "minato",
    ])
    .success();
    let text = std::fs::read_to_string(ws.path().join("cp.txt")).unwrap();
    assert!(text.starts_with("minato\n135\n"), "{text}");

    // Later changes keep entries 1..135.
    ws.daicho(["edit", "税務システム", "--notes", "点検済"])
        .success();
    let (run, json) = verify(
        &ws,
        &["--checkpoint", "cp.txt", "--public-key", "manager.pub"],
    );
    run.success();
    assert_eq!(json["anchor"]["holds"], true);

    // Signed by another key.
    let run = ws
        .daicho_en([
            "verify",
            "--checkpoint",
            "cp.txt",
            "--public-key",
            "other.pub",
        ])
        .expect_code(1);
    assert!(
        run.stderr.contains("it was signed by key"),
        "{}",
        run.stderr
    );

    // A size changed under the signature.
    std::fs::write(
        ws.path().join("forged.txt"),
        text.replacen("\n135\n", "\n130\n", 1),
    )
    .unwrap();
    let run = ws
        .daicho([
            "verify",
            "--checkpoint",
            "forged.txt",
            "--public-key",
            "manager.pub",
            "--lang",
            "en",
        ])
        .expect_code(1);
    assert!(
        run.stderr
            .contains("the signature does not verify with the public key"),
        "{}",
        run.stderr
    );

    // A log cut below the checkpoint fails against it.
    sql(&ws, "DELETE FROM audit_log WHERE seq > 100");
    let (run, json) = verify(
        &ws,
        &["--checkpoint", "cp.txt", "--public-key", "manager.pub"],
    );
    run.expect_code(1);
    assert_eq!(
        json["anchor"]["difference"]["reason"],
        "the log has 100 entries, fewer than the anchor's 135"
    );
    // A register that does not verify is not signed.
    let run = ws
        .daicho_en(["checkpoint", "sign", "--key", "manager.key"])
        .expect_code(1);
    assert!(run.stderr.contains("not signing"), "{}", run.stderr);
}

/// True when this process runs as root (a file it makes is root's).
#[cfg(unix)]
fn running_as_root(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = dir.join("whoami");
    std::fs::write(&probe, b"").unwrap();
    let root = std::fs::metadata(&probe).unwrap().uid() == 0;
    std::fs::remove_file(&probe).unwrap();
    root
}

/// A command that runs `program` as the unprivileged user `nobody` (65534)
/// when this process is root, with `setpriv` or else `runuser`.
#[cfg(unix)]
fn unprivileged(program: &Path, root: bool) -> Command {
    if !root {
        return Command::new(program);
    }
    let found = |tool: &str| {
        ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]
            .iter()
            .map(|dir| PathBuf::from(dir).join(tool))
            .find(|path| path.exists())
    };
    if let Some(setpriv) = found("setpriv") {
        let mut command = Command::new(setpriv);
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(program);
        command
    } else if let Some(runuser) = found("runuser") {
        let mut command = Command::new(runuser);
        command.args(["-u", "nobody", "--"]).arg(program);
        command
    } else {
        panic!(
            "running as root, and neither setpriv nor runuser (util-linux) is installed to drop privileges"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_register_in_a_read_only_directory_verifies_and_lists_unchanged() {
    use std::os::unix::fs::PermissionsExt;
    // The file's and its directory's permissions are the point.
    let ws = example_in(Workspace::with_file());
    let expected_head = head(&ws);
    let root = running_as_root(ws.path());
    // The register, alone in a directory; the binary where the user can run it.
    let dir = ws.path().join("archive");
    std::fs::create_dir(&dir).unwrap();
    let register = dir.join("register.db");
    std::fs::copy(ws.db(), &register).unwrap();
    let bin = ws.path().join("daicho");
    std::fs::copy(daicho_bin(), &bin).unwrap();
    std::fs::set_permissions(ws.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    if root {
        std::os::unix::fs::chown(&register, Some(65534), Some(65534)).unwrap();
    }
    std::fs::set_permissions(&register, std::fs::Permissions::from_mode(0o400)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = sha256_of(&register);

    let run = |args: &[&str]| -> Run {
        unprivileged(&bin, root)
            .arg("--db")
            .arg(&register)
            .args(args)
            .env_remove("DAICHO_DB")
            .current_dir(&dir)
            .output()
            .expect("daicho runs")
            .into()
    };
    // The user cannot write the file or the directory.
    let write = unprivileged(Path::new("/bin/sh"), root)
        .args(["-c", &format!("touch {}/x", dir.display())])
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!write.success(), "the directory must not be writable");

    let verified = run(&["verify", "--format", "json"]).success();
    assert_eq!(verified.json()["head"], expected_head.as_str());
    assert_eq!(verified.json()["ok"], true);
    let listed = run(&["list", "--format", "json", "--include-disposed"]).success();
    assert_eq!(listed.json().as_array().unwrap().len(), 71);
    run(&["show", "住民基本台帳システム"]).success();
    run(&["history", "住民基本台帳システム"]).success();
    run(&["summary"]).success();
    run(&["check", "--today", "2026-11-25", "--fail-on", "never"]).success();
    run(&["export"]).success();
    run(&["policy"]).success();
    run(&["explain", "住民基本台帳システム"]).success();
    run(&["export", "--as-of", "2999-12-31"]).success();
    run(&["changes", "--since", "2000-01-01"]).success();
    // A write is refused, and nothing changes.
    run(&["edit", "住民基本台帳システム", "--notes", "x"]).expect_code(2);
    assert_eq!(sha256_of(&register), before);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["register.db"], "no journal appeared beside it");
    // Leave the directory removable.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Issue 16: a finding's status, a recorded run's counts and a 事務's
/// figures rewritten in the file are each named by `verify`.
#[test]
fn a_finding_a_run_or_a_process_rewritten_in_the_file_is_named() {
    let ws = example();
    ws.daicho([
        "check",
        "--record",
        "--today",
        "2026-04-01",
        "--fail-on",
        "never",
    ])
    .success();
    ws.daicho([
        "findings",
        "set",
        "1",
        "--status",
        "in_progress",
        "--due",
        "2026-04-30",
    ])
    .success();
    ws.daicho(["pia", "add", "住民基本台帳事務", "--handlers", "350"])
        .success();
    let (run, _) = verify(&ws, &[]);
    run.success();
    sql(
        &ws,
        "UPDATE findings SET status = 'resolved', resolved_on = '2026-04-02' WHERE id = 1; \
         UPDATE check_runs SET errors = 0; \
         UPDATE pia_processes SET handlers = 10",
    );
    let (run, json) = verify(&ws, &[]);
    run.expect_code(1);
    let named: Vec<(String, String)> = json["mismatches"]
        .as_array()
        .expect("mismatches")
        .iter()
        .map(|m| {
            (
                m["object"].as_str().unwrap_or_default().to_owned(),
                m["field"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("finding #1", "status"),
        ("finding #1", "resolved_on"),
        ("recorded run #1", "errors"),
        ("事務 #1", "handlers"),
    ] {
        assert!(
            named.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {named:?}"
        );
    }
    sql(&ws, "DELETE FROM findings WHERE id = 2");
    let (_, json) = verify(&ws, &[]);
    assert!(
        json["mismatches"]
            .as_array()
            .expect("mismatches")
            .iter()
            .any(|m| m["object"] == "finding #2"
                && m["detail"] == "is in the audit log but not in the register"),
        "{json}"
    );
}
