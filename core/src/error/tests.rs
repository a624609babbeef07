use std::fmt::Write as _;
use std::path::PathBuf;

use super::*;
use crate::sheet::RowError;

fn id(text: &str) -> AssetId {
    text.parse().expect("a valid id")
}

fn row_error(line: u64, column: Option<&str>, value: &str, reason: &str) -> RowError {
    RowError {
        file: "台帳.csv".to_owned(),
        line,
        column: column.map(str::to_owned),
        value: value.to_owned(),
        reason: reason.to_owned(),
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
        Error::RegisterMissing { .. } => "RegisterMissing",
        Error::NotARegister { .. } => "NotARegister",
        Error::SchemaTooNew { .. } => "SchemaTooNew",
        Error::SchemaTooOld { .. } => "SchemaTooOld",
        Error::PolicyParse { .. } => "PolicyParse",
        Error::PolicyInvalid { .. } => "PolicyInvalid",
        Error::UnknownPolicy { .. } => "UnknownPolicy",
        Error::Io { .. } => "Io",
        Error::Busy => "Busy",
        Error::Storage { .. } => "Storage",
        Error::Import { .. } => "Import",
        Error::Unencodable { .. } => "Unencodable",
        Error::Corrupt { .. } => "Corrupt",
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
        Error::invalid("record_count", "たくさん", "not a count"),
        Error::unknown("organization", "警察本部", ["mayor", "fire", "waterworks"]),
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
            reason: "the organization `mayor` is listed twice".to_owned(),
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
        Error::Checkpoint {
            what: "checkpoint",
            path: PathBuf::from("checkpoint.txt"),
            reason: "the signature does not verify with the public key".to_owned(),
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
    assert_eq!(named.len(), 22, "every variant has a sample: {named:?}");
    insta::assert_snapshot!(text);
}
