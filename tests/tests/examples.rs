//! The shipped examples run and print what they promise.

use std::process::Command;

use daicho_tests::built_binary;

#[test]
fn the_basics_example_runs() {
    let output = Command::new(built_binary("example-basics", "example-basics"))
        .output()
        .expect("the example runs");
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
         audit chain intact: true (4 entries)\n"
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
