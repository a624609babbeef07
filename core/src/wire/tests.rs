use serde::Serialize;

use super::*;
use crate::{
    Action, AssetFields, AssetName, AuditEntry, CheckOptions, Classification, Kind, Link,
    LinkRecord, Policy, Register, Relation, Retention,
};

fn register() -> Register {
    let mut register = crate::test_backend::register(&Policy::niigata()).unwrap();
    register.set_actor("test").unwrap();
    register
}

fn fields(register: &Register, kind: &str, name: &str, c: &str) -> AssetFields {
    let policy = register.policy();
    let class = Classification::parse(policy, c, "2", "2").unwrap();
    let org = policy.organization("市長部局").unwrap().code.clone();
    AssetFields::new(
        Kind::parse(kind).unwrap(),
        AssetName::new(name).unwrap(),
        org,
        class,
    )
}

fn text(s: &str) -> FieldValue {
    FieldValue::Text(s.to_owned())
}

#[track_caller]
fn check(entry: &AuditEntry, expect: &EntryChange) {
    assert_eq!(&EntryChange::from(entry), expect);
}

#[test]
fn an_update_lists_the_fields_changed_set_and_cleared() {
    let mut register = register();
    let mut data = fields(&register, "イ", "住民記録", "3B");
    data.manager = Some("山田".to_owned());
    data.retention = Some(Retention::Permanent);
    let asset = register.add(data).unwrap();
    let mut data = asset.fields.clone();
    data.manager = Some("高橋".to_owned());
    data.notes = Some("メモ".to_owned());
    data.retention = None;
    data.personal_data.personal = true;
    register.update(asset.id, asset.version, data).unwrap();

    let history = register.history(asset.id).unwrap();
    check(
        &history[0],
        &EntryChange::Created {
            name: Some("住民記録".to_owned()),
        },
    );
    check(
        &history[1],
        &EntryChange::Fields(vec![
            FieldDiff {
                field: "manager",
                old: text("山田"),
                new: text("高橋"),
            },
            FieldDiff {
                field: "notes",
                old: FieldValue::None,
                new: text("メモ"),
            },
            FieldDiff {
                field: "personal",
                old: FieldValue::Flag(false),
                new: FieldValue::Flag(true),
            },
            FieldDiff {
                field: "retention",
                old: text("permanent"),
                new: FieldValue::None,
            },
        ]),
    );
}

#[test]
fn a_link_entry_names_its_ends() {
    let mut register = register();
    let data = register
        .add(fields(&register, "イ", "住民記録", "3B"))
        .unwrap();
    let system = register
        .add(fields(&register, "ア", "住基システム", "3B"))
        .unwrap();
    register
        .link(Link::new(data.id, Relation::StoredOn, system.id))
        .unwrap();
    register
        .unlink(data.id, Relation::StoredOn, system.id)
        .unwrap();
    let link = LinkRecord {
        from: data.id.to_string(),
        relation: "stored_on".to_owned(),
        to: system.id.to_string(),
        sanitization: None,
    };
    let history = register.history(system.id).unwrap();
    assert_eq!(history.len(), 3);
    check(
        &history[1],
        &EntryChange::Link {
            edit: LinkEdit::Added,
            link: link.clone(),
        },
    );
    check(
        &history[2],
        &EntryChange::Link {
            edit: LinkEdit::Removed,
            link,
        },
    );
}

#[test]
fn an_assessment_entry_has_its_ratings() {
    let mut register = register();
    let system = register
        .add(fields(&register, "ア", "住基システム", "3B"))
        .unwrap();
    register.assess(system.id, "intentional", 2, 3).unwrap();
    register.assess(system.id, "intentional", 3, 3).unwrap();
    register.unassess(system.id, "intentional").unwrap();
    let rating = |likelihood, vulnerability| {
        Some(RiskRating {
            likelihood,
            vulnerability,
        })
    };
    let assessment = |before, after| EntryChange::Assessment {
        threat: "intentional".to_owned(),
        before,
        after,
    };
    let history = register.history(system.id).unwrap();
    check(&history[1], &assessment(None, rating(2, 3)));
    check(&history[2], &assessment(rating(2, 3), rating(3, 3)));
    check(&history[3], &assessment(rating(3, 3), None));
}

/// An entry as the audit log stored it before it left out null, false
/// and empty fields: whole records, which compare with the records
/// stored without those fields as if they were there.
#[test]
fn entries_stored_whole_compare_with_entries_stored_without_empty_fields() {
    let whole = r#"{"id":"0196a2b0-0000-7000-8000-000000000001","kind":"information","name":"住民記録","organization":"mayor","department":"","manager":null,"confidentiality":"3B","integrity":"2","availability":"2","segment":null,"medium":null,"location":null,"personal":false,"sensitive":false,"my_number":false,"record_count":null,"controls":[],"hosting":null,"provider":null,"contract":null,"retention":"5","exclusion_reason":null,"reviewed_on":null,"disposed_on":null,"disposed_by":null,"disposal_method":null,"disposal_approver":null,"disposal_certificate":null,"notes":null,"extra":[],"version":1,"created_at":"2025-04-01T00:00:00Z","updated_at":"2025-04-01T00:00:00Z"}"#;
    let compact = r#"{"kind":"information","name":"住民記録","organization":"mayor","department":"","confidentiality":"3B","integrity":"2","availability":"2","controls":["mfa"],"extra":[["調達年度","R5"]],"version":2}"#;
    let entry = |before: &str, after: &str| AuditEntry {
        seq: 2,
        at: "2025-05-01T00:00:00Z".parse().unwrap(),
        actor: "test".to_owned(),
        action: Action::Update,
        asset_id: None,
        related_id: None,
        before: Some(before.to_owned()),
        after: Some(after.to_owned()),
        hash: [0; 32],
    };
    check(&entry(whole, whole), &EntryChange::Fields(Vec::new()));
    check(
        &entry(whole, compact),
        &EntryChange::Fields(vec![
            FieldDiff {
                field: "controls",
                old: FieldValue::Codes(Vec::new()),
                new: FieldValue::Codes(vec!["mfa".to_owned()]),
            },
            FieldDiff {
                field: "extra",
                old: FieldValue::Pairs(Vec::new()),
                new: FieldValue::Pairs(vec![("調達年度".to_owned(), "R5".to_owned())]),
            },
            FieldDiff {
                field: "retention",
                old: text("5"),
                new: FieldValue::None,
            },
        ]),
    );
}

/// Serializing a record gives its keys in sorted order, as the CLI's
/// JSON always had them.
#[track_caller]
fn assert_sorted<T: Serialize>(record: &T) {
    let direct = serde_json::to_string(record).unwrap();
    let sorted = serde_json::to_value(record).unwrap().to_string();
    assert_eq!(direct, sorted);
}

#[test]
fn records_write_their_keys_sorted() {
    let mut register = register();
    let mut data = fields(&register, "イ", "住民記録", "3B");
    data.personal_data.my_number = true;
    let data = register.add(data).unwrap();
    let system = register
        .add(fields(&register, "ア", "住基システム", "2"))
        .unwrap();
    register
        .link(Link::new(data.id, Relation::StoredOn, system.id))
        .unwrap();
    register.assess(system.id, "intentional", 2, 3).unwrap();
    let options = CheckOptions::default();
    let report = register.check(&options).unwrap();
    assert!(!report.findings.is_empty());
    assert_sorted(&ReportRecord::from(&report));
    // Issue 17: the streamed report is the record, byte for byte, with and
    // without a head.
    assert_eq!(
        serde_json::to_string_pretty(&ReportStream(&report)).unwrap(),
        serde_json::to_string_pretty(&ReportRecord::from(&report)).unwrap()
    );
    let headless = crate::rules::Report {
        head: None,
        ..report.clone()
    };
    assert_eq!(
        serde_json::to_string(&ReportStream(&headless)).unwrap(),
        serde_json::to_string(&ReportRecord::from(&headless)).unwrap()
    );
    let explanation = register.explain(system.id).unwrap();
    assert_sorted(&ExplanationRecord::from(&explanation));
    assert_sorted(&SummaryRecord::from(&register.summary().unwrap()));
    assert_sorted(&VerificationRecord::from(&register.verify().unwrap()));
    assert_sorted(&RiskReportRecord::from(&register.risks().unwrap()));
    for entry in register.history(system.id).unwrap() {
        assert_sorted(&HistoryRecord::from(&entry));
    }
    let links = register.links_of(system.id).unwrap();
    assert_sorted(&ShownAssetRecord::new(&system, &links));
    assert_sorted(&AssetListRecord(&[data, system]));
    let policy = register.policy();
    for def in &policy.scale(crate::Axis::Confidentiality).levels {
        assert_sorted(&LevelRecord::from(def));
        for r in &def.restrictions {
            assert_sorted(&RestrictionRecord::new(def, r));
        }
    }
    for e in policy.exclusions() {
        assert_sorted(&ExclusionRecord::from(e));
    }
}
