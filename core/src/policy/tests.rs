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

/// Issue 12: the names sections write for the bodies of §4(1).
#[test]
fn organizations_accept_the_names_staff_write() {
    for profile in BUILT_IN_POLICIES {
        let policy = Policy::built_in(profile).unwrap();
        for (written, code) in [
            ("市長事務部局", "mayor"),
            ("教育委員会事務局", "education"),
            ("選挙管理委員会事務局", "election"),
            ("監査委員事務局", "audit"),
            ("人事委員会事務局", "personnel"),
            ("農業委員会事務局", "agriculture"),
            ("消防本部", "fire"),
            ("市議会事務局", "assembly"),
            ("選管", "election"),
        ] {
            assert_eq!(
                policy.organization(written).unwrap().code.as_str(),
                code,
                "{profile}: {written}"
            );
        }
        let mayor = policy.organization("mayor").unwrap();
        assert!(
            mayor.aliases.iter().any(|a| a == "市長事務部局"),
            "{profile}"
        );
    }
}

#[test]
fn unknown_values_suggest_the_closest_and_carry_japanese_labels() {
    let policy = Policy::niigata();
    let err = policy.organization("消防署本部").unwrap_err();
    let Error::UnknownValue {
        suggestions,
        allowed,
        allowed_ja,
        ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(suggestions, &["fire"]);
    assert_eq!(allowed.len(), allowed_ja.len());
    assert_eq!(allowed_ja[0], "市長部局");
    assert_eq!(
        err.to_string(),
        "unknown organization `消防署本部`, did you mean `fire`? (allowed: mayor, fire, education, election, personnel, audit, agriculture, waterworks, hospital, assembly)"
    );
    // Nothing close: no guess.
    let err = policy.organization("警察本部").unwrap_err();
    assert!(
        matches!(&err, Error::UnknownValue { suggestions, .. } if suggestions.is_empty()),
        "{err:?}"
    );
    let err = policy.control("多要素認証の導入").unwrap_err();
    assert!(
        matches!(&err, Error::UnknownValue { suggestions, .. } if suggestions == &["mfa"]),
        "{err:?}"
    );
    let err = policy
        .level(Axis::Confidentiality, "自治体機密性3D")
        .unwrap_err();
    assert!(
        matches!(&err, Error::UnknownValue { suggestions, allowed_ja, .. }
            if suggestions == &["3A", "3B", "3C"] && allowed_ja.iter().all(String::is_empty)),
        "{err:?}"
    );
}

/// Issue 12: a city adds names to one body without restating the others.
#[test]
fn a_city_file_can_add_aliases_to_one_organization() {
    let text = r#"
name = "minato"
extends = "niigata"

[[organization_aliases]]
organization = "mayor"
aliases = ["各区役所", "市長事務部局"]

[[organization_aliases]]
organization = "水道局"
aliases = ["上下水道部"]
"#;
    let policy = Policy::from_toml(text, "minato.toml").unwrap();
    assert_eq!(policy.organizations().len(), 10);
    assert_eq!(
        policy.organization("各区役所").unwrap().code.as_str(),
        "mayor"
    );
    assert_eq!(
        policy.organization("上下水道部").unwrap().code.as_str(),
        "waterworks"
    );
    let mayor = policy.organization("mayor").unwrap();
    // A name the organization has already is not added twice.
    assert_eq!(
        mayor
            .aliases
            .iter()
            .filter(|a| *a == "市長事務部局")
            .count(),
        1
    );
    // The stored policy holds the aliases under their organization.
    let stored = Policy::from_toml(policy.to_toml(), "stored").unwrap();
    assert_eq!(stored.sha256(), policy.sha256());
    assert_eq!(
        stored.organization("各区役所").unwrap().code.as_str(),
        "mayor"
    );

    for (text, reason) in [
        (
            "name = \"x\"\nextends = \"niigata\"\n[[organization_aliases]]\norganization = \"police\"\naliases = [\"警察\"]\n",
            "`organization_aliases` names `police`, which is not an organization of the profile it extends",
        ),
        (
            "name = \"x\"\nextends = \"niigata\"\n[[organization_aliases]]\norganization = \"mayor\"\naliases = [\"水道局\"]\n",
            "organization spelling `水道局` is used twice",
        ),
    ] {
        let err = Policy::from_toml(text, "x.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("policy `x.toml` is inconsistent: {reason}")
        );
    }
    // A whole policy lists each organization's aliases itself.
    let whole = format!(
        "{}\n[[organization_aliases]]\norganization = \"mayor\"\naliases = [\"a\"]\n",
        Policy::niigata().to_toml()
    );
    let err = Policy::from_toml(&whole, "x.toml").unwrap_err();
    assert!(err.to_string().contains("adds to a profile"), "{err}");
}

/// Issue 13: restrictions may only grow with the rank; a profile whose
/// level asks for a control the level above does not is refused.
#[test]
fn the_loader_refuses_restrictions_that_shrink_as_the_rank_rises() {
    let shrinking = r#"
name = "shrinking"
extends = "niigata"

[integrity]
ja = "完全性"

[[integrity.levels]]
code = "2"
rank = 2
importance = 2
ja = "完全性2"
restrictions = [{ control = "backup", ja = "バックアップ", electronic_only = true }]

[[integrity.levels]]
code = "1"
rank = 1
importance = 1
ja = "完全性1"
restrictions = [{ control = "electronic_signature", ja = "電子署名", electronic_only = true }]
"#;
    let err = Policy::from_toml(shrinking, "shrinking.toml").unwrap_err();
    assert!(
        err.to_string()
            .contains("restrictions must not shrink as the rank rises"),
        "{err}"
    );
    // Narrower at the higher level (electronic only above, everywhere below)
    // is shrinking too.
    let narrower = shrinking.replace(
        r#"{ control = "electronic_signature", ja = "電子署名", electronic_only = true }"#,
        r#"{ control = "backup", ja = "バックアップ" }"#,
    );
    assert!(Policy::from_toml(&narrower, "narrower.toml").is_err());
    let growing = shrinking.replace(
        r#"{ control = "electronic_signature", ja = "電子署名", electronic_only = true }"#,
        "",
    );
    assert!(Policy::from_toml(&growing, "growing.toml").is_ok());
    for name in BUILT_IN_POLICIES {
        assert!(Policy::built_in(name).is_ok());
    }
}

/// Issue 13: floors, disposal methods, segment levels and the review cycle
/// are profile data, checked when the profile loads.
#[test]
fn floors_disposal_methods_and_the_review_cycle_are_profile_data() {
    let niigata = Policy::niigata();
    assert_eq!(niigata.floors().len(), 4);
    let bulk = niigata.floor(true, false, true, Some(1000)).unwrap();
    assert_eq!(niigata.floors()[bulk].level.code(), "3B");
    let small = niigata.floor(true, false, true, Some(999)).unwrap();
    assert_eq!(niigata.floors()[small].level.code(), "3C");
    assert_eq!(niigata.floor(false, false, false, None), None);
    assert!(niigata.disposal_method("溶解").unwrap().outsourced);
    assert!(niigata.disposal_method("一般ごみ").is_err());
    assert_eq!(niigata.internet_max_confidentiality().unwrap().code(), "3C");
    let mic = Policy::built_in("mic-r5").unwrap();
    assert_eq!(mic.floors()[0].level.code(), "2");
    assert!(mic.internet_max_confidentiality().is_none());
    for (bad, says) in [
        (
            "[[floors]]\nfact = \"wealth\"\nconfidentiality = \"3C\"\nja = \"x\"\n",
            "floor fact",
        ),
        (
            "[[floors]]\nfact = \"personal\"\nconfidentiality = \"9\"\nja = \"x\"\n",
            "unknown level",
        ),
        ("review_cycle = \"weekly\"\n", "review_cycle"),
    ] {
        let text = format!("name = \"bad\"\nextends = \"niigata\"\n{bad}");
        let err = Policy::from_toml(&text, "bad.toml").unwrap_err();
        assert!(err.to_string().contains(says), "{err}");
    }
}
