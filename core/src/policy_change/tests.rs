use std::fmt::Write as _;

use super::*;
use crate::model::{AssetName, Classification, Kind};
use crate::{AuditEntry, Filter};

fn add(register: &mut Register, name: &str, org: &str, c: &str) -> crate::Asset {
    let policy = register.policy();
    let fields = AssetFields::new(
        Kind::Information,
        AssetName::new(name).unwrap(),
        policy.organization(org).unwrap().code.clone(),
        Classification::parse(policy, c, "2", "2").unwrap(),
    );
    register.add(fields).unwrap()
}

const WITH_WARDS: &str = r#"
name = "minato"
extends = "niigata"

[[organization_aliases]]
organization = "mayor"
aliases = ["各区役所"]
"#;

/// The log's entries that are about no asset (policy changes).
/// The entries of policy changes (the register's `init` entry aside).
fn register_entries(register: &Register) -> Vec<AuditEntry> {
    let mut found = Vec::new();
    register
        .db()
        .each_entry(|_, entry| {
            if let Some(entry) =
                entry.filter(|e| e.asset_id.is_none() && e.action == Action::PolicySet.code())
            {
                found.push(AuditEntry {
                    seq: entry.seq,
                    at: entry.at.parse().unwrap(),
                    actor: entry.actor,
                    action: entry.action.parse().unwrap(),
                    asset_id: None,
                    related_id: None,
                    before: entry.before,
                    after: entry.after,
                    hash: [0; 32],
                });
            }
            true
        })
        .unwrap();
    found
}

#[test]
fn a_policy_with_more_aliases_replaces_the_stored_one_with_an_entry() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let mut r = Register::create(&path, &Policy::niigata())?;
    r.set_actor("情報政策課")?;
    add(&mut r, "住民記録データ", "mayor", "3B");
    assert!(r.policy().organization("各区役所").is_err());

    let minato = Policy::from_toml(WITH_WARDS, "minato.toml")?;
    let change = r.set_policy(minato.clone())?;
    assert!(change.changed);
    assert_eq!(change.old_name, "niigata");
    assert_eq!(change.new_sha256, minato.sha256());
    assert_eq!(r.policy().organization("各区役所")?.code.as_str(), "mayor");
    assert!(r.verify()?.is_ok());
    let entries = register_entries(&r);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, Action::PolicySet);
    let after: serde_json::Value =
        serde_json::from_str(entries[0].after.as_deref().unwrap()).unwrap();
    assert_eq!(after["sha256"], minato.sha256());
    assert_eq!(after["name"], "minato");

    // The register stores it: opened again, it validates with it.
    drop(r);
    let mut r = Register::open(&path)?;
    assert_eq!(r.policy().sha256(), minato.sha256());
    // The same policy again changes nothing and writes nothing.
    let again = r.set_policy(minato)?;
    assert!(!again.changed);
    assert_eq!(register_entries(&r).len(), 1);
    Ok(())
}

#[test]
fn a_policy_that_would_make_assets_invalid_is_refused_and_names_them() -> Result<()> {
    let mut r = crate::test_backend::register(&Policy::niigata())?;
    add(&mut r, "電子カルテ", "hospital", "3A");
    add(&mut r, "病院会計", "hospital", "2");
    add(&mut r, "住民記録データ", "mayor", "3B");
    let without_hospital = r#"
name = "small"
extends = "niigata"
exclusions = []

[[organizations]]
code = "mayor"
ja = "市長部局"
"#;
    let err = r
        .set_policy(Policy::from_toml(without_hospital, "small.toml")?)
        .unwrap_err();
    let Error::PolicyRefused {
        name,
        problems,
        total,
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!((name.as_str(), *total), ("small", 2));
    assert!(
        problems[0]
            .en
            .starts_with("`電子カルテ`: unknown organization `hospital`"),
        "{problems:?}"
    );
    assert_eq!(r.policy().name(), "niigata");
    assert!(r.verify()?.is_ok());
    // Under mic-r5 the levels 3A and 3B do not exist.
    let err = r.set_policy(Policy::built_in("mic-r5")?).unwrap_err();
    assert!(
        matches!(err, Error::PolicyRefused { total: 2, .. }),
        "{err}"
    );
    assert!(err.to_string().starts_with("policy `mic-r5` was not set: it would make 2 assets invalid (`電子カルテ`: unknown confidentiality `3A`"), "{err}");
    Ok(())
}

/// A level keeps its code and moves its rank: the stored ranks follow, so
/// that "at least" filters stay right.
#[test]
fn stored_ranks_follow_the_new_policy() -> Result<()> {
    let mut r = crate::test_backend::register(&Policy::niigata())?;
    add(&mut r, "a", "mayor", "3A");
    add(&mut r, "b", "mayor", "3B");
    add(&mut r, "c", "mayor", "2");
    let mut levels = String::from(
        "name = \"reranked\"\nextends = \"niigata\"\n[confidentiality]\nja = \"機密性\"\n",
    );
    for (code, rank) in [("3A", 15), ("3B", 14), ("3C", 13), ("2", 12), ("1", 11)] {
        let _ = write!(
            levels,
            "[[confidentiality.levels]]\ncode = \"{code}\"\nrank = {rank}\nimportance = 1\nja = \"機密性{code}\"\n"
        );
    }
    r.set_policy(Policy::from_toml(&levels, "reranked.toml")?)?;
    let at_least_3b = r.assets(&Filter {
        min_confidentiality: Some(r.policy().level(Axis::Confidentiality, "3B")?),
        ..Filter::default()
    })?;
    let names: Vec<&str> = at_least_3b.iter().map(crate::Asset::name).collect();
    assert_eq!(names, ["a", "b"]);
    assert!(r.verify()?.is_ok());
    Ok(())
}
