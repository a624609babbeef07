use std::fmt::Write as _;
use std::path::PathBuf;

use super::*;
use crate::sheet::RowError;
use crate::text::Lang;

fn id(text: &str) -> AssetId {
    text.parse().expect("a valid id")
}

fn row_error(line: u64, column: Option<&str>, value: &str, reason: &str) -> RowError {
    RowError {
        file: "台帳.csv".to_owned(),
        cell: None,
        // From line 3 on, a cell with a line break stands above the row.
        row: if line >= 3 { line - 1 } else { line },
        line,
        asset: (line >= 3).then(|| "住民記録システム".to_owned()),
        column: column.map(str::to_owned),
        value: value.to_owned(),
        reason: Localized::new(format!("（日本語）{reason}"), reason),
    }
}

/// The variant's name; the match has no wildcard, so a new variant does not
/// compile until it is named here (and then given a sample in `samples`).
fn variant(error: &Error) -> &'static str {
    match error {
        Error::Invalid { .. } => "Invalid",
        Error::UnknownValue { .. } => "UnknownValue",
        Error::NotFound { .. } => "NotFound",
        Error::AmbiguousName { .. } => "AmbiguousName",
        Error::Conflict { .. } => "Conflict",
        Error::Link { .. } => "Link",
        Error::Disposed { .. } => "Disposed",
        Error::AlreadyExists { .. } => "AlreadyExists",
        Error::RefusedOutput { .. } => "RefusedOutput",
        Error::RegisterMissing { .. } => "RegisterMissing",
        Error::NotARegister { .. } => "NotARegister",
        Error::SchemaTooNew { .. } => "SchemaTooNew",
        Error::SchemaTooOld { .. } => "SchemaTooOld",
        Error::PolicyParse { .. } => "PolicyParse",
        Error::PolicyInvalid { .. } => "PolicyInvalid",
        Error::PolicyTooLarge { .. } => "PolicyTooLarge",
        Error::UnknownPolicy { .. } => "UnknownPolicy",
        Error::Io { .. } => "Io",
        Error::Busy => "Busy",
        Error::Server { .. } => "Server",
        Error::Storage { .. } => "Storage",
        Error::Import { .. } => "Import",
        Error::Unencodable { .. } => "Unencodable",
        Error::Corrupt { .. } => "Corrupt",
        Error::Linked { .. } => "Linked",
        Error::ChangedSince { .. } => "ChangedSince",
        Error::PolicyRefused { .. } => "PolicyRefused",
        Error::Checkpoint { .. } => "Checkpoint",
    }
}

/// Every variant at least once, with representative fields.
#[expect(
    clippy::too_many_lines,
    reason = "one sample per variant reads best as one list"
)]
fn samples() -> Vec<Error> {
    let a = id("0190f5a2-7c4e-7d3a-9b1e-2f6c8a4d5e60");
    let b = id("6a757fa2-e41c-45e1-a01e-f8867e2df9a1");
    vec![
        Error::invalid(
            "record_count",
            "たくさん",
            "件数ではありません",
            "not a count",
        ),
        Error::unknown("organization", "警察本部", ["mayor", "fire", "waterworks"]),
        crate::Policy::niigata()
            .organization("市長事務局")
            .expect_err("not a name of the policy"),
        Error::unknown("encoding", "utf8-bom", ["utf-8", "utf-8-sig", "cp932"]),
        Error::NotFound {
            id: "00000000-0000-4000-8000-000000000000".to_owned(),
        },
        Error::AmbiguousName {
            name: "存在しない資産".to_owned(),
            matches: 0,
        },
        Error::AmbiguousName {
            name: "戸籍データ".to_owned(),
            matches: 2,
        },
        Error::Conflict {
            id: a,
            expected: 1,
            actual: 2,
        },
        Error::Link {
            from: a,
            relation: "stored_on",
            to: b,
            exists: true,
        },
        Error::Link {
            from: a,
            relation: "copy_of",
            to: b,
            exists: false,
        },
        Error::Disposed {
            id: a,
            date: jiff::civil::date(2026, 3, 31),
        },
        Error::AlreadyExists {
            path: PathBuf::from("register.db"),
        },
        Error::RefusedOutput {
            path: PathBuf::from("register.db"),
            reason: "it is one of the register's own files",
        },
        Error::RegisterMissing {
            path: PathBuf::from("none.db"),
        },
        Error::NotARegister {
            path: PathBuf::from("assets.csv"),
        },
        Error::SchemaTooNew {
            path: PathBuf::from("register.db"),
            found: 9,
            supported: 2,
        },
        Error::SchemaTooOld {
            path: PathBuf::from("backup.db"),
            found: 2,
            supported: 3,
        },
        Error::PolicyParse {
            origin: "minato.toml".to_owned(),
            source: toml::from_str::<toml::Table>("review_interval_days = \"often")
                .expect_err("an unclosed string"),
        },
        Error::PolicyInvalid {
            origin: "minato.toml".to_owned(),
            reason: Localized::new(
                "所管 `mayor` が 2 度あります",
                "the organization `mayor` is listed twice",
            ),
        },
        Error::PolicyTooLarge {
            origin: "minato.toml".to_owned(),
            limit: 1 << 20,
        },
        Error::UnknownPolicy {
            built_in: crate::policy::BUILT_IN_POLICIES,
            name: "tokyo".to_owned(),
        },
        Error::Io {
            action: "read",
            path: PathBuf::from("missing.csv"),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        },
        Error::Io {
            action: "create",
            path: PathBuf::from("/readonly/out.csv"),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        },
        Error::Io {
            action: "write",
            path: PathBuf::from("out.csv"),
            source: std::io::Error::from(std::io::ErrorKind::WriteZero),
        },
        Error::Busy,
        Error::Server {
            ja: "PostgreSQL のサーバーに接続できません".to_owned(),
            en: "cannot connect to the PostgreSQL server".to_owned(),
        },
        Error::Storage {
            operation: "reading assets",
            source: "Query returned no rows".into(),
        },
        Error::Import {
            source_name: "台帳.csv".to_owned(),
            errors: vec![row_error(
                2,
                Some("機密性"),
                "3Z",
                "not a known confidentiality (allowed: 3A, 3B, 3C, 2, 1)",
            )],
            total: 1,
        },
        Error::Import {
            source_name: "台帳.csv and 関連.csv".to_owned(),
            errors: vec![
                row_error(1, None, "", "the file is empty: it has no header row"),
                row_error(2, Some("name"), "", "`name` is required"),
                row_error(3, Some("点検日"), "令和99年13月1日", "has month 13"),
                row_error(4, Some("所管"), "警察本部", "not a known organization"),
            ],
            total: 1200,
        },
        Error::Unencodable {
            row: 1,
            column: "location".to_owned(),
            character: '〜',
            encoding: "cp932",
        },
        Error::Corrupt {
            what: "the level `9Z` of asset 3".to_owned(),
        },
        Error::Linked {
            id: a,
            name: "住民基本台帳システム".to_owned(),
            links: vec![
                "住民記録データ stored_on 住民基本台帳システム".to_owned(),
                "住民基本台帳システム connects_to 宛名システム".to_owned(),
            ],
        },
        Error::ChangedSince {
            import: 3,
            assets: vec![(a, "戸籍データ".to_owned()), (b, "戸籍システム".to_owned())],
        },
        Error::PolicyRefused {
            name: "minato".to_owned(),
            problems: vec![Localized::new(
                "`電子カルテ`: 所管 `hospital` は登録された所管ではありません（使えるもの: 市長部局）",
                "`電子カルテ`: unknown organization `hospital` (allowed: mayor)",
            )],
            total: 1,
        },
        Error::Checkpoint {
            what: "checkpoint",
            path: PathBuf::from("checkpoint.txt"),
            reason: Localized::new(
                "署名が公開鍵で検証できません",
                "the signature does not verify with the public key",
            ),
        },
    ]
}

/// The message of each variant, with its causes and whether it is the user's
/// to fix (exit status 1 in the CLI) or unexpected (exit status 2).
#[test]
fn every_variant_displays_its_message() {
    let samples = samples();
    let mut text = String::new();
    for error in &samples {
        let kind = if error.is_user_error() {
            "user error"
        } else {
            "unexpected"
        };
        let _ = writeln!(text, "{} ({kind}): {error}", variant(error));
        let _ = writeln!(text, "  ja: {}", error.message(Lang::Ja));
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            for line in cause.to_string().lines() {
                let _ = writeln!(text, "  | {line}");
            }
            source = cause.source();
        }
    }
    let mut named: Vec<&str> = samples.iter().map(variant).collect();
    named.dedup();
    assert_eq!(named.len(), 28, "every variant has a sample: {named:?}");
    insta::assert_snapshot!(text);
}

/// True when a message holds twelve digits in a row, or three groups of
/// four joined by a space or a hyphen (ASCII or full-width digits).
fn holds_a_twelve_digit_run(message: &str) -> bool {
    let digits: String = message
        .chars()
        .map(|c| match c {
            '0'..='9' | '０'..='９' => 'd',
            ' ' | '-' | '\u{3000}' | '－' => '-',
            _ => '.',
        })
        .collect();
    digits.contains("dddddddddddd") || digits.contains("dddd-dddd-dddd")
}

/// Issue 11 item 6: whatever a message quotes (a value, a name, a path, a
/// reason, a row of an import), a run of twelve digits shows as
/// `1234********`, whatever its check digit.
#[test]
fn every_variant_masks_runs_of_twelve_digits() {
    for run in [
        "123456789012",
        "1234 5678 9012",
        "1234-5678-9012",
        "１２３４５６７８９０１２",
    ] {
        let text = |prefix: &str| format!("{prefix}{run}");
        let path = || PathBuf::from(text("dir/"));
        let errors = vec![
            Error::invalid(
                "record_count",
                text("個人番号"),
                text("件数ではありません: "),
                text("not a count: "),
            ),
            Error::unknown("organization", text("x"), [text("y")]),
            Error::NotFound { id: text("") },
            Error::AmbiguousName {
                name: text("資産"),
                matches: 2,
            },
            Error::AlreadyExists { path: path() },
            Error::RegisterMissing { path: path() },
            Error::NotARegister { path: path() },
            Error::SchemaTooNew {
                path: path(),
                found: 9,
                supported: 2,
            },
            Error::PolicyParse {
                origin: text("p"),
                source: toml::from_str::<toml::Table>("x = \"").expect_err("unclosed"),
            },
            Error::PolicyInvalid {
                origin: text("p"),
                reason: Localized::new(text("r"), text("r")),
            },
            Error::PolicyTooLarge {
                origin: text("p"),
                limit: 1 << 20,
            },
            Error::UnknownPolicy {
                built_in: crate::policy::BUILT_IN_POLICIES,
                name: text("p"),
            },
            Error::Io {
                action: "read",
                path: path(),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            },
            Error::Import {
                source_name: text("台帳"),
                errors: vec![RowError {
                    file: text("f"),
                    cell: None,
                    row: 2,
                    line: 2,
                    asset: Some(text("a")),
                    column: Some(text("c")),
                    value: text("件数="),
                    reason: Localized::new(text("r"), text("r")),
                }],
                total: 1,
            },
            Error::Unencodable {
                row: 1,
                column: text("c"),
                character: '〜',
                encoding: "cp932",
            },
            Error::Corrupt { what: text("w") },
        ];
        for error in errors {
            for message in [error.to_string(), error.message(Lang::Ja)] {
                assert!(
                    !holds_a_twelve_digit_run(&message),
                    "{}: {message}",
                    variant(&error)
                );
            }
        }
    }
    assert_eq!(
        Error::invalid(
            "record_count",
            "件数=個人番号123456789012",
            "件数ではありません",
            "not a count"
        )
        .to_string(),
        "invalid record_count `件数=個人番号1234********`: not a count"
    );
}
