use super::*;

#[test]
fn built_in_profiles_load() {
    for name in BUILT_IN_POLICIES {
        let policy = Policy::built_in(name).unwrap();
        assert_eq!(policy.name(), *name);
        assert_eq!(policy.organizations().len(), 10);
        assert_eq!(policy.review_interval_days(), 365);
    }
}

#[test]
fn niigata_has_five_confidentiality_levels_highest_first() {
    let policy = Policy::niigata();
    let codes: Vec<_> = policy
        .scale(Axis::Confidentiality)
        .levels
        .iter()
        .map(|l| l.level.code().to_owned())
        .collect();
    assert_eq!(codes, ["3A", "3B", "3C", "2", "1"]);
    let mic = Policy::built_in("mic-r5").unwrap();
    let codes: Vec<_> = mic
        .scale(Axis::Confidentiality)
        .levels
        .iter()
        .map(|l| l.level.code().to_owned())
        .collect();
    assert_eq!(codes, ["3", "2", "1"]);
    assert_eq!(mic.scale(Axis::Integrity).levels.len(), 2);
}

#[track_caller]
fn check_level(axis: Axis, input: &str, code: &str) {
    assert_eq!(
        Policy::niigata().level(axis, input).unwrap().code(),
        code,
        "input {input:?}"
    );
}

#[test]
fn levels_accept_codes_and_labels() {
    check_level(Axis::Confidentiality, "3B", "3B");
    check_level(Axis::Confidentiality, "3b", "3B");
    check_level(Axis::Confidentiality, "自治体機密性3B", "3B");
    check_level(Axis::Confidentiality, "機密性３Ｂ", "3B");
    check_level(Axis::Confidentiality, "C3B", "3B");
    check_level(Axis::Integrity, "完全性2", "2");
    check_level(Axis::Availability, "Ａ１", "1");
    let err = Policy::niigata()
        .level(Axis::Confidentiality, "3D")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown confidentiality `3D` (allowed: 3A, 3B, 3C, 2, 1)"
    );
}

#[test]
fn levels_compare_by_rank_within_an_axis() {
    let policy = Policy::niigata();
    let c3b = policy.level(Axis::Confidentiality, "3B").unwrap();
    let c2 = policy.level(Axis::Confidentiality, "2").unwrap();
    let i2 = policy.level(Axis::Integrity, "2").unwrap();
    assert!(c3b > c2);
    assert_eq!(c2.partial_cmp(&i2), None);
}

#[test]
fn organizations_accept_code_and_names() {
    let policy = Policy::niigata();
    assert_eq!(
        policy.organization("水道局").unwrap().code.as_str(),
        "waterworks"
    );
    assert_eq!(policy.organization("waterworks").unwrap().ja, "水道局");
    assert_eq!(
        policy.organization("Fire Bureau").unwrap().code.as_str(),
        "fire"
    );
    assert!(policy.organization("県庁").is_err());
}

#[test]
fn exclusions_name_the_organizations_that_may_use_them() {
    let policy = Policy::niigata();
    let school = policy.exclusion("学校教育情報").unwrap();
    assert_eq!(
        school.organizations,
        [policy.organization("education").unwrap().code.clone()]
    );
    assert_eq!(
        policy
            .exclusion("市民病院の医療情報")
            .unwrap()
            .code
            .as_str(),
        "hospital_medical"
    );
}

#[test]
fn a_city_file_can_extend_a_built_in_profile() {
    let text = r#"
name = "minato"
extends = "niigata"
review_interval_days = 180

[[organizations]]
code = "mayor"
ja = "市長事務部局"
en = "Mayor's office"
"#;
    // The base's exclusions name organizations this file dropped: a clear error.
    let err = Policy::from_toml(text, "minato.toml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "policy `minato.toml` is inconsistent: exclusion `school_education` names unknown organization `education`"
    );
    let text = text.replace(
        "review_interval_days = 180",
        "review_interval_days = 180\nexclusions = []",
    );
    let policy = Policy::from_toml(&text, "minato.toml").unwrap();
    assert_eq!(policy.name(), "minato");
    assert_eq!(policy.review_interval_days(), 180);
    assert_eq!(policy.organizations().len(), 1);
    assert_eq!(policy.scale(Axis::Confidentiality).levels.len(), 5);
    assert!(policy.exclusions().is_empty());
}

#[test]
fn the_resolved_policy_round_trips_through_its_toml() {
    let policy = Policy::niigata();
    let again = Policy::from_toml(policy.to_toml(), "stored").unwrap();
    assert_eq!(again.sha256(), policy.sha256());
}

#[test]
fn bad_policy_files_are_clear_errors() {
    let unknown_field = "name = \"x\"\nextends = \"niigata\"\nreview_days = 3\n";
    let err = Policy::from_toml(unknown_field, "x.toml").unwrap_err();
    assert!(matches!(err, Error::PolicyParse { .. }), "{err}");
    assert!(
        format!("{err:?}").contains("review_days"),
        "the cause names the field: {err:?}"
    );

    let missing = "name = \"x\"\ntitle_ja = \"x\"\nreview_interval_days = 3\n";
    assert!(matches!(
        Policy::from_toml(missing, "x.toml").unwrap_err(),
        Error::PolicyParse { .. }
    ));

    let bad_control =
        Policy::niigata()
            .to_toml()
            .replacen("control = \"backup\"", "control = \"back_up\"", 1);
    let err = Policy::from_toml(&bad_control, "x.toml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "policy `x.toml` is inconsistent: integrity level `2` requires unknown control `back_up`"
    );

    assert!(matches!(
        Policy::load("no-such-profile"),
        Err(Error::UnknownPolicy { .. })
    ));
}

#[test]
fn risk_defaults_follow_the_ipa_matrix() {
    let policy = Policy::niigata();
    let risk = policy.risk();
    assert_eq!(risk.threats.len(), 5);
    assert_eq!(risk.damage_likelihood(3, 3), Some(3));
    assert_eq!(risk.damage_likelihood(1, 1), Some(1));
    // GUIDELINE-NOTES §3.2: threat 2 × vulnerability 2 gives 1, 3 × 2 gives 2.
    assert_eq!(risk.damage_likelihood(2, 2), Some(1));
    assert_eq!(risk.damage_likelihood(3, 2), Some(2));
    assert_eq!(risk.damage_likelihood(2, 3), Some(2));
    assert_eq!(risk.damage_likelihood(0, 2), None);
    assert_eq!(risk.band(9).unwrap().code, "high");
    assert_eq!(risk.band(2).unwrap().code, "low");
}

#[test]
fn a_policy_file_over_1_mib_is_refused_without_reading_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.toml");
    // A valid policy padded with comments to just over the limit.
    let mut text = Policy::niigata().to_toml().to_owned();
    let room = usize::try_from(MAX_POLICY_BYTES).unwrap() - text.len();
    text.push('#');
    text.push_str(&"x".repeat(room - 2));
    text.push('\n');
    std::fs::write(&path, &text).unwrap();
    assert!(Policy::from_path(&path).is_ok(), "exactly 1 MiB is read");
    text.push('\n');
    std::fs::write(&path, &text).unwrap();
    let err = Policy::from_path(&path).unwrap_err();
    assert!(matches!(err, Error::PolicyTooLarge { .. }), "{err:?}");
    assert!(
        err.to_string()
            .ends_with("big.toml` is larger than 1 MiB, the most a policy file may hold"),
        "{err}"
    );
    assert!(matches!(
        Policy::from_toml(&text, "big.toml"),
        Err(Error::PolicyTooLarge { .. })
    ));
}
