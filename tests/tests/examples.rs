//! The shipped examples run and print what they promise.

use std::process::Command;

use daicho_tests::{Workspace, built_binary, built_binary_with};

/// The basics example keeps its register in memory, or, when the run tests
/// PostgreSQL, in a schema on the server (its optional argument).
#[test]
fn the_basics_example_runs() {
    let ws = Workspace::new();
    let mut example = if ws.on_server() {
        let mut example = Command::new(built_binary_with(
            "example-basics",
            "example-basics",
            &["daicho/postgres"],
        ));
        example.arg(ws.location());
        example
    } else {
        Command::new(built_binary("example-basics", "example-basics"))
    };
    let output = example.output().expect("the example runs");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout,
        "住民記録データ (C3B-I2-A2) is stored on 住民基本台帳システム [マイナンバー利用事務系]\n\
         stale update refused: asset `ID` was changed by someone else (expected version 1, found 2)\n\
         住民記録データ is at version 2\n\
         3 audit entries for 住民記録データ\n\
         audit chain intact: true (5 entries)\n"
            .replace("ID", stdout_id(&stdout)),
    );
}

/// The asset id in the conflict line, which differs on every run.
fn stdout_id(stdout: &str) -> &str {
    stdout
        .split("asset `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .unwrap_or_default()
}

#[test]
fn the_inventory_example_loads_the_sheets_and_finds_the_planted_errors() {
    let output = Command::new(built_binary("example-inventory", "example-inventory"))
        .current_dir(daicho_tests::repo_root())
        .output()
        .expect("the example runs");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "imported 71 assets and 63 links");
    assert_eq!(
        lines[1],
        "self-inspection: 9 errors, 8 warnings, 6 assets excluded"
    );
    for rule in [
        "class.below_inherited",
        "segment.my_number_outside",
        "segment.my_number_connection",
        "segment.lgwan_internet",
        "segment.my_number_controls",
        "hosting.contract_missing",
        "disposal.record_incomplete",
    ] {
        assert!(stdout.contains(rule), "missing {rule} in\n{stdout}");
    }
    assert_eq!(
        lines.last().copied(),
        Some(
            "住民基本台帳システム遠隔地バックアップ must be handled at 3B because \
             住民記録データ stored_on 住民基本台帳システム, then \
             住民基本台帳システム遠隔地バックアップ copy_of 住民基本台帳システム"
        )
    );
}
