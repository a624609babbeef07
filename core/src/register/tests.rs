use super::*;
use crate::audit::Action;
use crate::model::{AssetName, Classification, Medium, Sanitization, Scope};
use crate::policy::OrgCode;
use crate::query::Disposed;

fn register() -> Register {
    let mut register = crate::test_backend::register(&Policy::niigata()).unwrap();
    register.set_actor("tester").unwrap();
    register
}

fn fields(register: &Register, kind: &str, name: &str, org: &str, c: &str) -> AssetFields {
    let policy = register.policy();
    AssetFields::new(
        Kind::parse(kind).unwrap(),
        AssetName::new(name).unwrap(),
        policy.organization(org).unwrap().code.clone(),
        Classification::parse(policy, c, "2", "2").unwrap(),
    )
}

#[test]
fn add_then_get_returns_the_same_asset() -> Result<()> {
    let mut r = register();
    let mut f = fields(&r, "ア", "住民基本台帳システム", "市長部局", "3B");
    f.segment = Some(Segment::MyNumber);
    f.medium = Some(Medium::Server);
    f.controls
        .insert(r.policy().control("多要素認証")?.code.clone());
    f.extra.insert("調達年度", "令和5年度");
    let added = r.add(f)?;
    assert_eq!(added.version, 1);
    assert_eq!(r.get(added.id)?, added);
    assert_eq!(r.resolve("住民基本台帳システム")?, added);
    assert_eq!(r.resolve(&added.id.to_string())?, added);
    Ok(())
}

#[test]
fn a_stale_version_is_a_conflict_and_nothing_is_lost() -> Result<()> {
    let mut r = register();
    let asset = r.add(fields(&r, "イ", "税務データ", "mayor", "3B"))?;
    let mut first = asset.fields.clone();
    first.manager = Some("山田".to_owned());
    let updated = r.update(asset.id, 1, first)?;
    assert_eq!(updated.version, 2);

    let mut second = asset.fields.clone();
    second.manager = Some("佐藤".to_owned());
    let err = r.update(asset.id, 1, second).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Conflict {
                expected: 1,
                actual: 2,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(r.get(asset.id)?.fields.manager.as_deref(), Some("山田"));
    Ok(())
}

#[test]
fn an_update_that_changes_nothing_writes_no_audit_entry() -> Result<()> {
    let mut r = register();
    let asset = r.add(fields(&r, "イ", "税務データ", "mayor", "3B"))?;
    let same = r.update(asset.id, 1, asset.fields.clone())?;
    assert_eq!(same.version, 1);
    assert_eq!(r.history(asset.id)?.len(), 1);
    Ok(())
}

#[test]
fn every_change_is_in_the_history_and_the_chain_verifies() -> Result<()> {
    let mut r = register();
    let system = r.add(fields(&r, "ア", "住基サーバ", "mayor", "3B"))?;
    let data = r.add(fields(&r, "イ", "住民記録データ", "mayor", "3B"))?;
    r.link(Link::new(data.id, Relation::StoredOn, system.id))?;
    let mut changed = data.fields.clone();
    changed.notes = Some("年次点検済".to_owned());
    r.update(data.id, 1, changed)?;
    r.unlink(data.id, Relation::StoredOn, system.id)?;
    let disposal = Disposal {
        date: jiff::civil::date(2026, 3, 31),
        person: "鈴木".to_owned(),
        method: Some("溶解".to_owned()),
        approver: Some("課長".to_owned()),
        certificate: None,
    };
    r.dispose(data.id, 2, disposal)?;

    let actions: Vec<_> = r.history(data.id)?.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            Action::Create,
            Action::Link,
            Action::Update,
            Action::Unlink,
            Action::Dispose
        ]
    );
    assert!(r.history(data.id)?.iter().all(|e| e.actor == "tester"));
    // Asset records read back whole, though stored without empty fields.
    let created = r.history(data.id)?.remove(0);
    let after: serde_json::Value = serde_json::from_str(created.after.as_deref().unwrap()).unwrap();
    assert_eq!(after["manager"], serde_json::Value::Null);
    assert_eq!(after["personal"], false);
    assert_eq!(after["controls"], serde_json::json!([]));
    let verification = r.verify()?;
    assert!(verification.is_ok(), "{verification:?}");
    // Six changes after the register's `init` entry.
    assert_eq!(verification.chain.entries, 7);
    Ok(())
}

#[test]
fn verify_names_the_first_tampered_entry() -> Result<()> {
    let mut r = register();
    for name in ["a", "b", "c"] {
        r.add(fields(&r, "イ", name, "mayor", "2"))?;
    }
    r.db()
        .execute_for_test("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2");
    let report = r.verify()?.chain;
    assert_eq!(report.first_broken.map(|b| b.seq), Some(2));

    let mut r = register();
    for name in ["a", "b", "c"] {
        r.add(fields(&r, "イ", name, "mayor", "2"))?;
    }
    r.db()
        .execute_for_test("DELETE FROM audit_log WHERE seq = 2");
    let broken = r.verify()?.chain.first_broken.unwrap();
    assert_eq!(broken.seq, 2);
    assert_eq!(broken.reason, "entry 2 is missing (next is 3)");
    Ok(())
}

#[test]
fn disposed_assets_cannot_change() -> Result<()> {
    let mut r = register();
    let asset = r.add(fields(&r, "ア", "旧端末", "fire", "2"))?;
    let disposal = Disposal {
        date: jiff::civil::date(2026, 1, 10),
        person: "消防 太郎".to_owned(),
        method: Some("物理破壊".to_owned()),
        approver: None,
        certificate: None,
    };
    let disposed = r.dispose(asset.id, 1, disposal.clone())?;
    let mut f = disposed.fields.clone();
    f.notes = Some("x".to_owned());
    assert!(matches!(
        r.update(asset.id, 2, f).unwrap_err(),
        Error::Disposed { .. }
    ));
    let mut reopened = disposed.fields.clone();
    reopened.disposal = None;
    assert!(matches!(
        r.update(asset.id, 2, reopened).unwrap_err(),
        Error::Disposed { .. }
    ));
    // Completing the disposal record afterwards is allowed.
    let mut completed = disposed.fields.clone();
    if let Some(d) = completed.disposal.as_mut() {
        d.approver = Some("消防局 総務課長".to_owned());
    }
    let disposed = r.update(asset.id, 2, completed)?;
    assert_eq!(disposed.version, 3);
    assert!(matches!(
        r.dispose(asset.id, 3, disposal).unwrap_err(),
        Error::Disposed { .. }
    ));
    assert!(r.assets(&Filter::default())?.is_empty());
    let all = Filter {
        disposed: Disposed::Include,
        ..Filter::default()
    };
    assert_eq!(r.assets(&all)?.len(), 1);
    Ok(())
}

#[test]
fn links_must_fit_the_kinds_they_join() -> Result<()> {
    let mut r = register();
    let system = r.add(fields(&r, "ア", "sys", "mayor", "2"))?;
    let data = r.add(fields(&r, "イ", "data", "mayor", "2"))?;
    let doc = r.add(fields(&r, "ウ", "spec", "mayor", "2"))?;
    r.link(Link::new(doc.id, Relation::Describes, system.id))?;
    let err = r
        .link(Link::new(system.id, Relation::StoredOn, data.id))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid relation `sys stored_on data`: stored_on joins information (イ) to a system or medium (ア)"
    );
    let err = r
        .link(Link::new(doc.id, Relation::Describes, system.id))
        .unwrap_err();
    assert!(matches!(err, Error::Link { exists: true, .. }));
    let err = r
        .unlink(data.id, Relation::StoredOn, system.id)
        .unwrap_err();
    assert!(matches!(err, Error::Link { exists: false, .. }));
    let mut transfer = Link::new(data.id, Relation::StoredOn, system.id);
    transfer.sanitization = Some(Sanitization::TextConversion);
    assert!(r.link(transfer).is_err());
    assert!(
        r.link(Link::new(system.id, Relation::ConnectsTo, system.id))
            .is_err()
    );
    assert_eq!(r.links_of(system.id)?.len(), 1);
    Ok(())
}

#[test]
fn exclusion_reasons_are_limited_to_their_organizations() -> Result<()> {
    let mut r = register();
    let school = r.policy().exclusion("学校教育情報")?.code.clone();
    let mut f = fields(&r, "イ", "成績データ", "水道局", "3C");
    f.scope = Scope::Excluded(school.clone());
    let err = r.add(f.clone()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid exclusion_reason `school_education`: only 教育委員会 may exclude assets for this reason"
    );
    f.organization = r.policy().organization("教育委員会")?.code.clone();
    r.add(f)?;
    Ok(())
}

#[test]
fn values_from_another_policy_are_refused() {
    let mut r = register();
    let mic = Policy::built_in("mic-r5").unwrap();
    let mut f = fields(&r, "イ", "x", "mayor", "2");
    f.classification.confidentiality = mic.level(Axis::Confidentiality, "3").unwrap();
    assert!(matches!(
        r.add(f).unwrap_err(),
        Error::UnknownValue {
            field: "confidentiality",
            ..
        }
    ));
    let mut f = fields(&r, "イ", "x", "mayor", "2");
    let other = Policy::from_toml(
        "name = \"x\"\nextends = \"niigata\"\nexclusions = []\n[[organizations]]\ncode = \"port\"\nja = \"港湾局\"\n",
        "x",
    )
    .unwrap();
    f.organization = other.organization("port").unwrap().code.clone();
    assert!(matches!(
        r.add(f).unwrap_err(),
        Error::UnknownValue {
            field: "organization",
            ..
        }
    ));
}

#[test]
fn filters_select_by_every_criterion() -> Result<()> {
    let mut r = register();
    let policy = r.policy().clone();
    let mut system = fields(&r, "ア", "住基サーバ", "mayor", "3B");
    system.segment = Some(Segment::MyNumber);
    let system = r.add(system)?;
    let mut data = fields(&r, "イ", "住民記録データ", "mayor", "3B");
    data.personal_data.my_number = true;
    data.personal_data.personal = true;
    let data = r.add(data)?;
    let water = r.add(fields(&r, "ア", "水道料金システム", "waterworks", "2"))?;
    let mut grades = fields(&r, "イ", "成績データ", "education", "3C");
    grades.scope = Scope::Excluded(policy.exclusion("school_education")?.code.clone());
    let grades = r.add(grades)?;

    let names = |filter: Filter| -> Vec<String> {
        r.assets(&filter)
            .unwrap()
            .iter()
            .map(|a| a.name().to_owned())
            .collect()
    };
    let org =
        |code: &str| -> Option<OrgCode> { Some(policy.organization(code).unwrap().code.clone()) };
    assert_eq!(
        names(Filter::default()),
        [
            "住基サーバ",
            "住民記録データ",
            "成績データ",
            "水道料金システム"
        ]
    );
    assert_eq!(
        names(Filter {
            organization: org("水道局"),
            ..Filter::default()
        }),
        [water.name()]
    );
    assert_eq!(
        names(Filter {
            kind: Some(Kind::NetworkSystem),
            ..Filter::default()
        }),
        [system.name(), water.name()]
    );
    assert_eq!(
        names(Filter {
            segment: Some(Segment::MyNumber),
            ..Filter::default()
        }),
        [system.name()]
    );
    let min = Some(policy.level(Axis::Confidentiality, "3C")?);
    assert_eq!(
        names(Filter {
            min_confidentiality: min,
            ..Filter::default()
        }),
        [system.name(), data.name(), grades.name()]
    );
    assert_eq!(
        names(Filter {
            in_scope: Some(false),
            ..Filter::default()
        }),
        [grades.name()]
    );
    assert_eq!(
        names(Filter {
            my_number: Some(true),
            ..Filter::default()
        }),
        [data.name()]
    );
    assert_eq!(
        names(Filter {
            personal: Some(true),
            ..Filter::default()
        }),
        [data.name()]
    );
    assert_eq!(
        names(Filter {
            name_contains: Some("住".to_owned()),
            ..Filter::default()
        }),
        [system.name(), data.name()]
    );
    // Text in names is matched literally, never as SQL.
    assert!(
        names(Filter {
            name_contains: Some("%' OR 1=1 --".to_owned()),
            ..Filter::default()
        })
        .is_empty()
    );
    Ok(())
}

#[test]
fn summary_counts_in_scope_assets_by_organization_and_level() -> Result<()> {
    let mut r = register();
    r.add(fields(&r, "ア", "a", "mayor", "3B"))?;
    r.add(fields(&r, "イ", "b", "mayor", "2"))?;
    r.add(fields(&r, "イ", "c", "fire", "2"))?;
    let mut excluded = fields(&r, "イ", "d", "hospital", "3B");
    excluded.scope = Scope::Excluded(r.policy().exclusion("hospital_medical")?.code.clone());
    r.add(excluded)?;
    let s = r.summary()?;
    assert_eq!((s.total, s.in_scope, s.excluded, s.disposed), (4, 3, 1, 0));
    let mayor: Vec<u64> = s.by_organization[0].1.iter().map(|(_, n)| *n).collect();
    assert_eq!(s.by_organization[0].0.as_str(), "mayor");
    assert_eq!(mayor, [0, 1, 0, 1, 0]);
    // Issue 13: every body of §4(1) is listed, 市民病院 (all excluded) with zeros.
    assert_eq!(s.by_organization.len(), 10);
    let hospital = s
        .by_organization
        .iter()
        .find(|(org, _)| org.as_str() == "hospital")
        .unwrap();
    assert!(hospital.1.iter().all(|(_, n)| *n == 0));
    assert_eq!(
        s.by_kind,
        [
            (Kind::NetworkSystem, 1),
            (Kind::Information, 2),
            (Kind::SystemDocument, 0)
        ]
    );
    assert_eq!(s.by_segment.last(), Some(&(None, 3)));
    assert_eq!(s.by_scope[0], (None, 3));
    assert_eq!(s.by_scope[2].1, 1);
    Ok(())
}

#[test]
fn a_file_register_keeps_its_policy_and_assets_across_opens() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let mic = Policy::built_in("mic-r5")?;
    let mut r = Register::create(&path, &mic)?;
    let id = r
        .add(fields(&r, "イ", "旧基準の情報", "mayor", "機密性3"))?
        .id;
    drop(r);
    let r = Register::open(&path)?;
    assert_eq!(r.policy().name(), "mic-r5");
    assert_eq!(r.get(id)?.fields.classification.confidentiality.code(), "3");
    assert!(matches!(
        Register::create(&path, &mic).unwrap_err(),
        Error::AlreadyExists { .. }
    ));
    Ok(())
}

/// Issue 11: free text and the actor refuse control characters (terminal
/// escape sequences among them); notes and extra values may break lines.
#[test]
fn control_characters_are_refused_in_free_text_and_the_actor() -> Result<()> {
    let mut r = register();
    let asset = r.add(fields(&r, "ア", "庁内ファイルサーバ", "mayor", "2"))?;
    let refused = |err: Error, field: &str| {
        assert!(
            matches!(&err, Error::Invalid { field: f, reason, .. }
                if *f == field && reason.en.contains("U+001B")),
            "{err:?}"
        );
        assert!(!err.to_string().contains('\u{1b}'), "{err}");
    };
    let mut f = fields(&r, "ア", "端末", "mayor", "2");
    f.department = "情報政策課\u{1b}[2J".to_owned();
    refused(r.add(f).unwrap_err(), "department");
    let changes = [
        (
            FieldChange::Notes(Some("備考\u{1b}]52;c;ZXZpbA==\u{7}".to_owned())),
            "notes",
        ),
        (
            FieldChange::Location(Some("本庁舎\u{1b}[1A".to_owned())),
            "location",
        ),
        (
            FieldChange::Manager(Some("\u{1b}[31m山田".to_owned())),
            "manager",
        ),
    ];
    for (change, field) in changes {
        refused(r.edit(asset.id, None, [change]).unwrap_err(), field);
    }
    let mut extra = asset.fields.clone();
    extra.extra.insert("調達年度", "令和5年度\u{1b}[8m");
    refused(r.update(asset.id, 1, extra).unwrap_err(), "extra");
    let err = r
        .edit(
            asset.id,
            None,
            [FieldChange::Location(Some("一階\n二階".to_owned()))],
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid location `一階\\n二階`: control character U+000A is not allowed"
    );
    let err = r
        .edit(
            asset.id,
            None,
            [FieldChange::Notes(Some("上書き\r表示".to_owned()))],
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid notes `上書き\\r表示`: control character U+000D is not allowed (only line breaks are)"
    );
    // Nothing was written, and line breaks in notes are welcome.
    assert_eq!(r.get(asset.id)?.version, 1);
    let notes = "一行目\n二行目\r\n三行目";
    let edited = r.edit(asset.id, None, [FieldChange::Notes(Some(notes.to_owned()))])?;
    assert_eq!(edited.fields.notes.as_deref(), Some(notes));

    let err = r.set_actor("監査\u{1b}[2K太郎").unwrap_err();
    refused(err, "actor");
    assert_eq!(r.actor(), "tester");
    r.set_actor("\u{9b}31m").unwrap_err();
    r.set_actor("情報政策課 山田")?;
    assert_eq!(r.actor(), "情報政策課 山田");
    Ok(())
}

/// Issue 12: a deletion keeps the asset's last state and the reason in the
/// log, and is refused while links join it, unless they go too.
#[test]
fn an_asset_is_deleted_with_its_reason_and_its_links_only_when_told() -> Result<()> {
    let mut r = register();
    let system = r.add(fields(&r, "ア", "住民基本台帳システム", "mayor", "3B"))?;
    let data = r.add(fields(&r, "イ", "住民記録データ", "mayor", "3B"))?;
    let copy = r.add(fields(&r, "イ", "住民記録データ（重複）", "mayor", "3B"))?;
    r.link(Link::new(data.id, Relation::StoredOn, system.id))?;
    r.link(Link::new(copy.id, Relation::StoredOn, system.id))?;

    let err = r.delete(system.id, "二重登録").unwrap_err();
    assert_eq!(
        err.to_string(),
        "asset `住民基本台帳システム` has 2 links: `住民記録データ stored_on 住民基本台帳システム`, \
         `住民記録データ（重複） stored_on 住民基本台帳システム`; delete it with its links to remove them too"
    );
    assert_eq!(r.get(system.id)?, system);
    let err = r.delete(copy.id, "  ").unwrap_err();
    assert!(
        matches!(
            err,
            Error::Invalid {
                field: "reason",
                ..
            }
        ),
        "{err}"
    );

    let deleted = r.delete_with_links(copy.id, "二重登録（J-001と同じ）")?;
    assert_eq!(deleted.asset, copy);
    assert_eq!(deleted.links.len(), 1);
    assert!(r.get(copy.id).unwrap_err().is_not_found());
    assert_eq!(r.links()?.len(), 1);
    assert!(r.verify()?.is_ok());
    // The history is kept: the link's removal, then the deletion with the
    // last state and the reason.
    let history = r.history(copy.id)?;
    let actions: Vec<Action> = history.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [Action::Create, Action::Link, Action::Unlink, Action::Delete]
    );
    let last = history.last().unwrap();
    let before: serde_json::Value = serde_json::from_str(last.before.as_deref().unwrap()).unwrap();
    assert_eq!(before["name"], "住民記録データ（重複）");
    assert_eq!(before["id"], copy.id.to_string());
    assert_eq!(
        last.after.as_deref(),
        Some(r#"{"reason":"二重登録（J-001と同じ）"}"#)
    );
    // An unlinked asset is deleted without being told.
    r.unlink(data.id, Relation::StoredOn, system.id)?;
    r.delete(system.id, "廃止済み")?;
    assert_eq!(r.summary()?.total, 1);
    assert!(r.delete(system.id, "again").unwrap_err().is_not_found());
    Ok(())
}

#[test]
fn a_deleted_assets_risk_assessments_go_with_it_each_logged() -> Result<()> {
    let mut r = register();
    let system = r.add(fields(&r, "ア", "水道料金システム", "waterworks", "3B"))?;
    r.assess(system.id, "intentional", 2, 2)?;
    r.assess(system.id, "disaster", 1, 2)?;
    let deleted = r.delete(system.id, "移行済み")?;
    assert_eq!(deleted.assessments, 2);
    let actions: Vec<Action> = r.history(system.id)?.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            Action::Create,
            Action::Assess,
            Action::Assess,
            Action::Assess,
            Action::Assess,
            Action::Delete
        ]
    );
    assert!(r.risks()?.entries.is_empty());
    assert!(r.verify()?.is_ok());
    Ok(())
}

/// Issue 12: one section's assets, and names as staff type them.
#[test]
fn assets_are_found_by_department_and_by_folded_name() -> Result<()> {
    let mut r = register();
    let mut citizen = fields(&r, "ア", "住民基本台帳システム", "mayor", "3B");
    citizen.department = "市民課".to_owned();
    let citizen = r.add(citizen)?;
    let mut tax = fields(&r, "ア", "ｾﾞｲﾑシステム", "mayor", "3B");
    tax.department = "税務課".to_owned();
    let tax = r.add(tax)?;
    let mut paper = fields(&r, "イ", "しすてむ設計書", "mayor", "2");
    paper.department = "市民課".to_owned();
    let paper = r.add(paper)?;
    let names = |filter: Filter| -> Vec<String> {
        r.assets(&filter)
            .unwrap()
            .iter()
            .map(|a| a.name().to_owned())
            .collect()
    };
    assert_eq!(
        names(Filter {
            department: Some(" 市民課 ".to_owned()),
            ..Filter::default()
        }),
        [paper.name(), citizen.name()]
    );
    for (needle, expected) in [
        ("ｼｽﾃﾑ", vec![paper.name(), citizen.name(), tax.name()]),
        ("システム", vec![paper.name(), citizen.name(), tax.name()]),
        ("ぜいむ", vec![tax.name()]),
        ("ゼイム　システム", vec![tax.name()]),
        ("住民基本台帳", vec![citizen.name()]),
        ("台帳システム", vec![citizen.name()]),
        ("ＤＢ", vec![]),
    ] {
        assert_eq!(
            names(Filter {
                name_contains: Some(needle.to_owned()),
                ..Filter::default()
            }),
            expected,
            "{needle}"
        );
    }
    assert_eq!(
        names(Filter {
            department: Some("市民課".to_owned()),
            name_contains: Some("ｼｽﾃﾑ".to_owned()),
            ..Filter::default()
        }),
        [paper.name(), citizen.name()]
    );
    Ok(())
}

/// Issue 17: the listing SQLite sorts is the listing `assets` sorts.
#[test]
fn assets_in_order_come_as_assets_sorts_them() -> Result<()> {
    let mut r = register();
    // Organizations out of the policy's order, names that tie (ordered by
    // id then), kana, kanji, Latin and digits, one disposed.
    for (org, name) in [
        ("waterworks", "水道料金システム"),
        ("mayor", "住基サーバ"),
        ("education", "成績データ"),
        ("mayor", "Aシステム"),
        ("mayor", "住基サーバ"),
        ("fire", "119番受付"),
        ("mayor", "あいうえお"),
        ("waterworks", "水道料金システム"),
    ] {
        r.add(fields(&r, "ア", name, org, "2"))?;
    }
    let retired = r.add(fields(&r, "イ", "旧台帳", "mayor", "2"))?;
    r.dispose(
        retired.id,
        1,
        Disposal {
            date: jiff::civil::date(2026, 4, 1),
            person: "総務 花子".to_owned(),
            method: Some("溶解".to_owned()),
            approver: None,
            certificate: None,
        },
    )?;
    for filter in [
        Filter::default(),
        Filter {
            disposed: Disposed::Include,
            ..Filter::default()
        },
        Filter {
            organization: Some(r.policy().organization("mayor")?.code.clone()),
            ..Filter::default()
        },
    ] {
        let sorted = r.assets(&filter)?;
        let mut streamed = Vec::new();
        r.for_each_asset_ordered(&filter, |asset| {
            streamed.push(asset);
            Ok::<(), Error>(())
        })?;
        assert!(!streamed.is_empty());
        assert_eq!(streamed, sorted);
    }
    Ok(())
}

/// Issue 15: the filters staff scripts use, by manager, due review and recent change.
#[test]
fn assets_are_found_by_manager_review_and_change_time() -> Result<()> {
    let mut r = register();
    let mut reviewed = fields(&r, "ア", "住民基本台帳システム", "mayor", "3B");
    reviewed.manager = Some("佐藤 健一".to_owned());
    reviewed.reviewed_on = Some(jiff::civil::date(2025, 4, 1));
    let reviewed = r.add(reviewed)?;
    let mut stale = fields(&r, "ア", "税務システム", "mayor", "3B");
    stale.reviewed_on = Some(jiff::civil::date(2023, 4, 1));
    let stale = r.add(stale)?;
    let never = r.add(fields(&r, "イ", "設計書", "mayor", "2"))?;
    let names = |r: &Register, filter: Filter| -> Vec<String> {
        r.assets(&filter)
            .unwrap()
            .iter()
            .map(|a| a.name().to_owned())
            .collect()
    };
    let by_manager = Filter {
        manager: Some(" 佐藤 健一 ".to_owned()),
        ..Filter::default()
    };
    assert_eq!(names(&r, by_manager), [reviewed.name()]);
    let due = Filter {
        reviewed_before: Some(jiff::civil::date(2025, 4, 1)),
        ..Filter::default()
    };
    assert_eq!(names(&r, due), [stale.name(), never.name()]);
    let since = |at: jiff::Timestamp| Filter {
        updated_since: Some(at),
        ..Filter::default()
    };
    assert_eq!(names(&r, since(never.updated_at)), [never.name()]);
    // A second and a fraction of a second apart compare as times, not as text.
    let before = never.updated_at - jiff::SignedDuration::from_micros(1);
    assert_eq!(names(&r, since(before)), [never.name()]);
    let just_after = never.updated_at + jiff::SignedDuration::from_micros(1);
    assert!(names(&r, since(just_after)).is_empty());
    let changed = r.update(stale.id, stale.version, {
        let mut f = stale.fields.clone();
        f.notes = Some("更新".to_owned());
        f
    })?;
    assert_eq!(
        names(&r, since(changed.updated_at)),
        [changed.name().to_owned()]
    );
    Ok(())
}

/// Issue 15: a listing read page by page sees every asset once, in id order, and a
/// change between pages moves nothing.
#[test]
fn assets_are_read_page_by_page_in_id_order() -> Result<()> {
    let mut r = register();
    let mut ids = Vec::new();
    for n in 0..7 {
        let mut f = fields(&r, "ア", &format!("システム{n}"), "mayor", "2");
        f.manager = (n % 2 == 0).then(|| "佐藤".to_owned());
        ids.push(r.add(f)?.id);
    }
    ids.sort();
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = r.assets_page(&Filter::default(), after, 3)?;
        if page.is_empty() {
            break;
        }
        after = page.last().map(|a| a.id);
        // Changing an asset already read neither repeats nor skips one.
        let first = &page[0];
        let mut changed = first.fields.clone();
        changed.notes = Some("読んだ".to_owned());
        r.update(first.id, first.version, changed)?;
        seen.extend(page.iter().map(|a| a.id));
    }
    assert_eq!(seen, ids);
    let managed = Filter {
        manager: Some("佐藤".to_owned()),
        ..Filter::default()
    };
    let page = r.assets_page(&managed, None, 100)?;
    assert_eq!(page.len(), 4);
    assert!(page.windows(2).all(|w| w[0].id < w[1].id));
    Ok(())
}

/// A count past what SQLite stores (i64) is refused by the write path, as a
/// sheet's is by the parser, rather than stored negative and read back corrupt.
#[test]
fn a_count_past_what_the_register_stores_is_refused() -> Result<()> {
    let mut r = register();
    let mut largest = fields(&r, "イ", "住民記録データ", "mayor", "3B");
    largest.record_count = Some(crate::parse::MAX_COUNT);
    let added = r.add(largest)?;
    assert_eq!(
        r.get(added.id)?.fields.record_count,
        Some(crate::parse::MAX_COUNT)
    );
    let mut beyond = fields(&r, "イ", "税務データ", "mayor", "3B");
    beyond.record_count = Some(crate::parse::MAX_COUNT + 1);
    let err = r.add(beyond).unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Invalid {
                field: "record_count",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(r.assets(&Filter::default())?.len(), 1);
    Ok(())
}
