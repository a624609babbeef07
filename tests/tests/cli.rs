//! The CLI as a black box: the foundation commands, their output formats and exit codes.

use daicho_tests::Workspace;

fn register_with_two_assets() -> Workspace {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    ws.daicho([
        "add",
        "--kind",
        "ア",
        "--name",
        "住民基本台帳システム",
        "--org",
        "市長部局",
        "--dept",
        "市民課",
        "-c",
        "3B",
        "-i",
        "2",
        "-a",
        "2",
        "--segment",
        "マイナンバー利用事務系",
        "--medium",
        "サーバ",
        "--controls",
        "mfa;export_blocked",
        "--reviewed-on",
        "令和7年4月8日",
    ])
    .success();
    ws.daicho([
        "add",
        "--kind",
        "イ",
        "--name",
        "住民記録データ",
        "--org",
        "mayor",
        "-c",
        "自治体機密性3B",
        "-i",
        "完全性2",
        "-a",
        "可用性2",
        "--personal",
        "○",
        "--my-number",
        "有",
        "--record-count",
        "312,540",
    ])
    .success();
    ws.daicho([
        "link",
        "住民記録データ",
        "stored_on",
        "住民基本台帳システム",
    ])
    .success();
    ws
}

#[test]
fn init_creates_a_register_and_refuses_to_overwrite_it() {
    let ws = Workspace::new();
    let run = ws.daicho_en(["init", "--policy", "mic-r5"]).success();
    assert!(run.stdout.contains("policy `mic-r5`"), "{}", run.stdout);
    let run = ws.daicho(["init", "--lang", "en"]).expect_code(1);
    let refusal = if ws.on_server() {
        "error: postgres://"
    } else {
        "error: a file exists already at `"
    };
    assert!(run.stderr.starts_with(refusal), "{}", run.stderr);
    if ws.on_server() {
        assert!(
            run.stderr
                .contains(": this schema holds a register already;"),
            "{}",
            run.stderr
        );
    }
    assert!(run.stdout.is_empty());
}

#[test]
fn add_accepts_japanese_labels_and_show_prints_them() {
    let ws = register_with_two_assets();
    let run = ws.daicho(["show", "住民記録データ"]).success();
    for expected in [
        "自治体機密性3B",
        "完全性2",
        "市長部局",
        "312540",
        "→ stored_on",
        "住民基本台帳システム",
    ] {
        assert!(
            run.stdout.contains(expected),
            "missing {expected:?} in\n{}",
            run.stdout
        );
    }
    let json = ws
        .daicho(["show", "住民基本台帳システム", "--format", "json"])
        .success()
        .json();
    assert_eq!(json["asset"]["segment"], "mynumber");
    assert_eq!(json["asset"]["reviewed_on"], "2025-04-08");
    assert_eq!(
        json["asset"]["controls"],
        serde_json::json!(["export_blocked", "mfa"])
    );
    assert_eq!(json["links"][0]["relation"], "stored_on");
}

#[test]
fn list_filters_and_prints_every_format() {
    let ws = register_with_two_assets();
    let json = ws
        .daicho(["list", "--my-number", "--format", "json"])
        .success()
        .json();
    let names: Vec<_> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    // Issue 13: the system holds the data's 特定個人情報 through `stored_on`.
    assert_eq!(names, ["住民基本台帳システム", "住民記録データ"]);
    let csv = ws
        .daicho(["list", "--kind", "ア", "--format", "csv", "--lang", "en"])
        .success()
        .stdout;
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("id,kind,name,organization"),
        "{csv}"
    );
    assert!(lines.next().unwrap().contains("住民基本台帳システム"));
    assert_eq!(lines.next(), None);
    let table = ws
        .daicho(["list", "--min-confidentiality", "3A"])
        .success()
        .stdout;
    assert!(!table.contains("住民"), "{table}");
}

#[test]
fn list_filters_by_manager_review_day_and_change_day() {
    let ws = register_with_two_assets();
    ws.daicho(["edit", "住民記録データ", "--manager", "市民課長"])
        .success();
    let names = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["list", "--format", "json"];
        all.extend_from_slice(args);
        ws.daicho(all)
            .success()
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&["--manager", "市民課長"]), ["住民記録データ"]);
    // Reviewed on 令和7年4月8日: not before that day; the data was never reviewed.
    assert_eq!(
        names(&["--reviewed-before", "令和7年4月8日"]),
        ["住民記録データ"]
    );
    assert_eq!(names(&["--reviewed-before", "R7.4.9"]).len(), 2);
    // Both were added today; nothing changes after the year 9999 begins.
    assert_eq!(names(&["--updated-since", "2020-01-01"]).len(), 2);
    assert!(names(&["--updated-since", "9999-01-01"]).is_empty());
    let refused = ws
        .daicho(["list", "--updated-since", "昨日"])
        .expect_code(1);
    assert!(
        refused.stderr.contains("--updated-since"),
        "{}",
        refused.stderr
    );
}

#[test]
fn edit_with_a_stale_version_is_refused_and_history_shows_each_change() {
    let ws = register_with_two_assets();
    ws.daicho([
        "edit",
        "住民記録データ",
        "--manager",
        "山田 太郎",
        "--expected-version",
        "1",
    ])
    .success();
    let run = ws
        .daicho([
            "edit",
            "住民記録データ",
            "--manager",
            "佐藤 花子",
            "--expected-version",
            "1",
            "--lang",
            "en",
        ])
        .expect_code(1);
    assert!(
        run.stderr
            .contains("was changed by someone else (expected version 1, found 2)"),
        "{}",
        run.stderr
    );
    let history = ws
        .daicho(["history", "住民記録データ", "--format", "json"])
        .success()
        .json();
    let actions: Vec<_> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create", "link", "update"]);
    assert_eq!(history[2]["actor"], "test-actor");
    assert_eq!(history[2]["after"]["manager"], "山田 太郎");
    ws.daicho(["verify"]).success();
}

#[test]
fn dispose_unlink_and_summary() {
    let ws = register_with_two_assets();
    ws.daicho([
        "unlink",
        "住民記録データ",
        "stored_on",
        "住民基本台帳システム",
    ])
    .success();
    ws.daicho([
        "dispose",
        "住民記録データ",
        "--by",
        "鈴木",
        "--method",
        "溶解",
        "--approver",
        "課長",
        "--date",
        "R8.3.31",
    ])
    .success();
    let summary = ws.daicho(["summary", "--format", "json"]).success().json();
    assert_eq!(summary["total"], 2);
    assert_eq!(summary["disposed"], 1);
    assert_eq!(summary["in_scope"], 1);
    assert_eq!(summary["by_segment"]["mynumber"], 1);
    let table = ws.daicho(["summary"]).success().stdout;
    assert!(table.contains("所管別・機密性別"), "{table}");
}

#[test]
fn bad_input_is_a_clear_error_with_exit_code_1() {
    let ws = register_with_two_assets();
    for (args, message) in [
        (
            vec!["show", "存在しない資産"],
            "error: no asset named `存在しない資産`",
        ),
        (
            vec!["edit", "住民記録データ", "-c", "3D"],
            "error: unknown confidentiality `3D` (allowed: 3A, 3B, 3C, 2, 1)",
        ),
        (
            vec!["edit", "住民記録データ", "--reviewed-on", "平成1年1月7日"],
            "is before the 平成 era began on 1989-01-08",
        ),
        (
            vec![
                "link",
                "住民基本台帳システム",
                "stored_on",
                "住民記録データ",
            ],
            "stored_on joins information",
        ),
        (vec!["list", "--segment", "衛星"], "unknown segment `衛星`"),
        (vec!["add", "--kind", "ア"], "a new asset needs --name"),
        (vec!["list", "--no-such-flag"], "unexpected argument"),
    ] {
        let mut args = args;
        args.extend(["--lang", "en"]);
        let run = ws.daicho(&args).expect_code(1);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    let missing = Workspace::new();
    // An empty schema on the server, a missing file otherwise.
    let (ja, en) = if missing.on_server() {
        (
            "このスキーマに daicho の台帳はありません",
            "this schema holds no daicho register",
        )
    } else {
        ("に台帳がありません", "no register at")
    };
    let run = missing.daicho(["list"]).expect_code(1);
    assert!(run.stderr.contains(ja), "{}", run.stderr);
    let run = missing.daicho(["list", "--lang", "en"]).expect_code(1);
    assert!(run.stderr.contains(en), "{}", run.stderr);
}

#[test]
fn policy_shows_levels_organizations_and_restrictions() {
    let ws = Workspace::new();
    let json = ws
        .daicho([
            "policy",
            "organizations",
            "--profile",
            "niigata",
            "--format",
            "json",
        ])
        .success()
        .json();
    assert_eq!(json.as_array().unwrap().len(), 10);
    let levels = ws
        .daicho(["policy", "levels", "--profile", "mic-r5", "--lang", "en"])
        .success()
        .stdout;
    assert!(levels.contains("confidentiality 3"), "{levels}");
    let restrictions = ws
        .daicho(["policy", "restrictions", "--profile", "niigata"])
        .success()
        .stdout;
    assert!(
        restrictions.contains("復元不可能な処理を施しての廃棄"),
        "{restrictions}"
    );
}

/// Issue 13: `daicho policy rules` lists every rule of the catalog, as a
/// table and as JSON, without opening a register.
#[test]
fn policy_rules_lists_every_rule() {
    let ws = Workspace::new();
    let json = ws
        .daicho(["policy", "rules", "--format", "json"])
        .success()
        .json();
    let rules = json.as_array().unwrap();
    assert_eq!(rules.len(), daicho::RuleId::ALL.len());
    let floor = rules
        .iter()
        .find(|r| r["id"] == "class.below_floor")
        .unwrap();
    assert_eq!(floor["severity"], "error");
    assert_eq!(floor["section"], "§6(2)");
    assert!(floor["title_ja"].as_str().unwrap().contains("個人情報"));
    let table = ws.daicho(["policy", "rules"]).success().stdout;
    assert!(table.contains("segment.unsanitized_transfer"), "{table}");
    assert!(table.contains("要改善"), "{table}");
}

/// Issue 13: `daicho exception add|list|end`: an exception turns the finding
/// it covers into 参考 (info) naming it, until it is ended.
#[test]
fn exceptions_are_added_listed_and_ended() {
    let ws = register_with_two_assets();
    ws.daicho([
        "add",
        "--kind",
        "ア",
        "--name",
        "中間サーバー連携",
        "--org",
        "mayor",
        "-c",
        "3B",
        "-i",
        "2",
        "-a",
        "2",
        "--segment",
        "lgwan",
    ])
    .success();
    ws.daicho([
        "link",
        "住民基本台帳システム",
        "transfers_to",
        "中間サーバー連携",
    ])
    .success();
    let before = ws
        .daicho(["check", "--format", "json"])
        .expect_code(1)
        .json();
    let connection = |report: &serde_json::Value| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "segment.my_number_connection")
            .cloned()
            .unwrap()
    };
    assert_eq!(connection(&before)["severity"], "error");
    let run = ws
        .daicho([
            "exception",
            "add",
            "--rule",
            "segment.my_number_connection",
            "--asset",
            "住民基本台帳システム",
            "--to",
            "中間サーバー連携",
            "--reason",
            "経路限定の連携",
            "--approver",
            "CISO",
            "--approved-on",
            "令和8年4月1日",
            "--lang",
            "en",
        ])
        .success();
    assert!(
        run.stdout.contains("recorded exception #1"),
        "{}",
        run.stdout
    );
    let after = ws
        .daicho(["check", "--format", "json", "--fail-on", "never"])
        .success()
        .json();
    let covered = connection(&after);
    assert_eq!(covered["severity"], "info");
    assert_eq!(covered["exception"], 1);
    let list = ws
        .daicho(["exception", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(list[0]["state"], "valid");
    assert_eq!(list[0]["rule"], "segment.my_number_connection");
    ws.daicho(["exception", "end", "1"]).success();
    let table = ws.daicho(["exception", "list"]).success().stdout;
    assert!(table.contains("終了"), "{table}");
    let again = ws
        .daicho(["check", "--format", "json"])
        .expect_code(1)
        .json();
    assert_eq!(connection(&again)["severity"], "error");
    let run = ws
        .daicho([
            "exception",
            "add",
            "--rule",
            "no.such",
            "--asset",
            "住民記録データ",
        ])
        .expect_code(1);
    assert!(run.stderr.contains("--reason"), "{}", run.stderr);
}
