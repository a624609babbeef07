//! The chain, its anchors, the replay and redaction, each against the
//! attack it answers: a rewrite, a truncation, an emptied log, an edited
//! row, a planted trigger, an edited policy.

use super::*;
use crate::model::{AssetName, Classification, Disposal, Kind, Link, Relation, Sanitization};
use crate::register::{Anchor, Register};
use crate::store::{self, Value};
use crate::{AssetFields, Policy};

fn fields(register: &Register, kind: &str, name: &str, c: &str) -> AssetFields {
    let policy = register.policy();
    AssetFields::new(
        Kind::parse(kind).unwrap(),
        AssetName::new(name).unwrap(),
        policy.organization("mayor").unwrap().code.clone(),
        Classification::parse(policy, c, "2", "2").unwrap(),
    )
}

/// A register with assets, links, an edit, a disposal and risk
/// assessments: every kind of entry but a restore.
fn busy(register: &mut Register) -> Vec<crate::Asset> {
    register.set_actor("tester").unwrap();
    let system = register
        .add(fields(register, "ア", "住基サーバ", "3B"))
        .unwrap();
    let other = register
        .add(fields(register, "ア", "住基バックアップ", "3B"))
        .unwrap();
    let data = register
        .add(fields(register, "イ", "住民記録", "3B"))
        .unwrap();
    register
        .link(Link::new(data.id, Relation::StoredOn, system.id))
        .unwrap();
    let mut transfer = Link::new(system.id, Relation::TransfersTo, other.id);
    transfer.sanitization = Some(Sanitization::None);
    register.link(transfer).unwrap();
    register
        .unlink(data.id, Relation::StoredOn, system.id)
        .unwrap();
    let mut notes = data.fields.clone();
    notes.notes = Some("年次点検済".to_owned());
    register.update(data.id, 1, notes).unwrap();
    register.assess(system.id, "intentional", 3, 2).unwrap();
    register.assess(system.id, "disaster", 2, 2).unwrap();
    register.assess(system.id, "intentional", 2, 2).unwrap();
    register.unassess(system.id, "disaster").unwrap();
    let disposal = Disposal {
        date: jiff::civil::date(2026, 3, 31),
        person: "鈴木".to_owned(),
        method: Some("溶解".to_owned()),
        approver: None,
        certificate: None,
    };
    register.dispose(other.id, None, disposal).unwrap();
    vec![system, other, data]
}

/// Recomputes the stored hash of every entry from `from` on, as someone
/// with write access to the file can: the chain is then intact again.
fn rechain(register: &Register, from: u64) {
    let mut entries = Vec::new();
    register
        .db()
        .each_entry(|_, entry| {
            entries.push(entry.unwrap());
            true
        })
        .unwrap();
    let mut previous = [0u8; 32];
    for entry in entries {
        let change = Change {
            action: entry.action.parse().unwrap(),
            asset_id: entry.asset_id,
            related_id: entry.related_id,
            before: entry.before.as_deref(),
            after: entry.after.as_deref(),
        };
        let hash = if entry.format == 1 {
            entry_hash_v1(&previous, entry.seq, &entry.at, &entry.actor, &change)
        } else {
            let digest = payload_digest(change.before, change.after);
            let hash = entry_hash_v2(
                &previous,
                entry.seq,
                &entry.at,
                &entry.actor,
                &change,
                &digest,
            );
            register.db().execute_bound_for_test(
                "UPDATE audit_log SET payload_digest = ?1 WHERE seq = ?2",
                &[Value::Blob(&digest), Value::Integer(entry.seq as i64)],
            );
            hash
        };
        if entry.seq >= from {
            register.db().execute_bound_for_test(
                "UPDATE audit_log SET hash = ?1 WHERE seq = ?2",
                &[Value::Blob(&hash), Value::Integer(entry.seq as i64)],
            );
        }
        previous = if entry.seq >= from {
            hash
        } else {
            entry.hash.try_into().unwrap()
        };
    }
}

#[test]
fn every_kind_of_change_replays_to_the_register() -> crate::Result<()> {
    let mut register = crate::test_backend::register(&Policy::niigata())?;
    busy(&mut register);
    let verification = register.verify()?;
    assert!(verification.is_ok(), "{verification}");
    assert_eq!(verification.mismatch_count, 0);
    assert_eq!(verification.notes, Vec::<String>::new());
    assert_eq!(verification.chain.legacy_entries, 0);
    assert_eq!(verification.head(), register.head()?);
    assert_eq!(verification.head().entries, 13);
    Ok(())
}

#[test]
fn a_head_is_written_and_read_as_n_colon_hex() {
    let head = Head {
        entries: 12,
        hash: [0xab; 32],
    };
    let text = head.to_string();
    assert_eq!(text, format!("12:{}", "ab".repeat(32)));
    assert_eq!(text.parse::<Head>().unwrap(), head);
    for bad in ["12", "x:ab", "12:abc", &format!("12:{}", "zz".repeat(32))] {
        let err = bad.parse::<Head>().unwrap_err();
        assert!(err.to_string().contains("expected N:HEX"), "{bad}: {err}");
    }
}

#[test]
fn a_truncated_log_fails_against_the_head_recorded_before() -> crate::Result<()> {
    let mut register = crate::test_backend::register(&Policy::niigata())?;
    busy(&mut register);
    let head = register.head()?;
    let anchor = Anchor::Head {
        head,
        source: "--expect-head".to_owned(),
    };
    assert!(register.verify_anchored(&anchor)?.is_ok());

    register
        .db()
        .execute_for_test("DELETE FROM audit_log WHERE seq > 4");
    let verification = register.verify_anchored(&anchor)?;
    assert!(
        verification.chain.is_intact(),
        "the shorter chain is intact"
    );
    let difference = verification.chain.anchor.unwrap().first_difference.unwrap();
    assert_eq!(difference.seq, 5);
    assert_eq!(
        difference.reason,
        "the log has 4 entries, fewer than the anchor's 13"
    );
    // The assets changed after entry 4 no longer match the log either.
    assert!(verification.mismatch_count > 0);
    Ok(())
}

#[test]
fn a_head_of_another_chain_names_the_entry_that_differs() -> crate::Result<()> {
    let mut register = crate::test_backend::register(&Policy::niigata())?;
    busy(&mut register);
    let mut head = register.head()?;
    head.hash[0] ^= 1;
    let verification = register.verify_anchored(&Anchor::Head {
        head,
        source: "--expect-head".to_owned(),
    })?;
    let difference = verification.chain.anchor.unwrap().first_difference.unwrap();
    assert_eq!(difference.seq, 13);
    assert!(
        difference.reason.starts_with("entry 13 has the hash"),
        "{difference:?}"
    );
    Ok(())
}

#[test]
fn a_rechained_rewrite_passes_alone_and_fails_against_a_backup() -> crate::Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let mut register = Register::create(dir.path().join("r.db"), &Policy::niigata())?;
    busy(&mut register);
    let backup = dir.path().join("backup.db");
    register.backup(&backup)?;
    register.add(fields(&register, "ウ", "手順書", "2"))?;

    register
        .db()
        .execute_for_test("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3");
    assert_eq!(register.verify()?.chain.first_broken.unwrap().seq, 3);
    rechain(&register, 3);
    let alone = register.verify()?;
    assert!(alone.is_ok(), "a rechained log verifies alone: {alone}");

    let against = register.verify_anchored(&Anchor::Backup(backup.clone()))?;
    assert!(!against.is_ok());
    let anchor = against.chain.anchor.unwrap();
    assert_eq!(anchor.expected.entries, 13);
    let difference = anchor.first_difference.unwrap();
    assert_eq!(difference.seq, 3);
    assert_eq!(
        difference.reason,
        "entry 3 differs from the anchor's entry 3"
    );
    Ok(())
}

#[test]
fn an_emptied_log_leaves_every_asset_unaccounted_for() -> crate::Result<()> {
    let mut register = crate::test_backend::register(&Policy::niigata())?;
    busy(&mut register);
    register.db().execute_for_test("DELETE FROM audit_log");
    let verification = register.verify()?;
    assert!(verification.chain.is_intact());
    assert!(!verification.is_ok());
    // Three assets, one link and one risk assessment that no entry made.
    assert_eq!(verification.mismatch_count, 5, "{verification}");
    assert!(
        verification.mismatches[0]
            .to_string()
            .ends_with("is in the register but not in the audit log"),
        "{verification}"
    );
    assert_eq!(verification.notes.len(), 1);
    assert!(verification.notes[0].contains("chains no policy digest"));
    Ok(())
}

#[test]
fn an_edited_asset_row_is_named_with_its_column() -> crate::Result<()> {
    let mut register = crate::test_backend::register(&Policy::niigata())?;
    let assets = busy(&mut register);
    register.db().execute_for_test(
        "UPDATE assets SET confidentiality = '1' WHERE name = '住基サーバ';
         UPDATE assets SET integrity_rank = 0 WHERE name = '住民記録';
         UPDATE links SET sanitization = 'full';
         UPDATE risk_assessments SET likelihood = 1",
    );
    let verification = register.verify()?;
    let found: Vec<(String, Option<String>)> = verification
        .mismatches
        .iter()
        .map(|m| (m.object.clone(), m.field.clone()))
        .collect();
    let system = format!("asset `住基サーバ` ({})", assets[0].id);
    let data = format!("asset `住民記録` ({})", assets[2].id);
    assert!(
        found.contains(&(system, Some("confidentiality".to_owned()))),
        "{verification}"
    );
    assert!(
        found.contains(&(data, Some("integrity_rank".to_owned()))),
        "{verification}"
    );
    assert!(
        found
            .iter()
            .any(|(o, f)| o.starts_with("link") && f.as_deref() == Some("sanitization"))
    );
    assert!(
        found
            .iter()
            .any(|(o, f)| o.starts_with("risk") && f.as_deref() == Some("likelihood"))
    );
    assert_eq!(verification.mismatch_count, 4);
    assert!(
        verification
            .to_string()
            .contains("`confidentiality` is `1` in the register, `3B` in the audit log (entry 2)"),
        "{verification}"
    );
    Ok(())
}

#[test]
fn a_planted_trigger_or_view_is_named() -> crate::Result<()> {
    let mut register = crate::test_backend::register(&Policy::niigata())?;
    busy(&mut register);
    register
        .db()
        .execute_for_test(if crate::test_backend::on_postgres() {
            "CREATE FUNCTION keep_quiet() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                 UPDATE assets SET notes = NULL WHERE id = NEW.id; RETURN NULL;
             END $$;
             CREATE TRIGGER keep_quiet AFTER UPDATE ON assets
                 FOR EACH ROW EXECUTE FUNCTION keep_quiet();
             CREATE VIEW everything AS SELECT * FROM assets;
             DROP INDEX links_to"
        } else {
            "CREATE TRIGGER keep_quiet AFTER UPDATE ON assets BEGIN
                 UPDATE assets SET notes = NULL WHERE id = NEW.id;
             END;
             CREATE VIEW everything AS SELECT * FROM assets;
             DROP INDEX links_to"
        });
    let verification = register.verify()?;
    assert_eq!(
        verification.schema,
        [
            "an extra trigger `keep_quiet` on `assets` that no migration creates",
            "an extra view `everything` on `everything` that no migration creates",
            "the index `links_to` is missing",
        ]
    );
    assert!(!verification.is_ok());
    Ok(())
}

#[test]
fn an_edited_stored_policy_is_named_even_with_its_digest_replaced() -> crate::Result<()> {
    let mut register = crate::test_backend::register(&Policy::niigata())?;
    busy(&mut register);
    let (text, _) = register.db().stored_policy()?;
    let cut = text
        .unwrap()
        .replace("review_interval_days = 365", "review_interval_days = 9999");
    register.db().execute_bound_for_test(
        "UPDATE meta SET value = ?1 WHERE key = 'policy_toml'",
        &[Value::Text(cut.as_bytes())],
    );
    let verification = register.verify()?;
    assert_eq!(verification.policy.len(), 2, "{verification}");
    assert!(verification.policy[0].contains("not to the SHA-256 stored beside it"));

    // The digest stored beside it is replaced too: the chained one remains.
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(cut.as_bytes()));
    register.db().execute_bound_for_test(
        "UPDATE meta SET value = ?1 WHERE key = 'policy_sha256'",
        &[Value::Text(sha.as_bytes())],
    );
    let verification = register.verify()?;
    assert_eq!(verification.policy.len(), 1, "{verification}");
    assert!(
        verification.policy[0].contains("not to the SHA-256 chained in audit entry 1"),
        "{verification}"
    );
    Ok(())
}

/// A note holding a personal number, then the note changed: both entries
/// hold the number.
fn noted(register: &mut Register) -> crate::Asset {
    register.set_actor("tester").unwrap();
    let mut f = fields(register, "イ", "相談記録", "3B");
    f.notes = Some("個人番号 123456789012 の方から相談".to_owned());
    let asset = register.add(f).unwrap();
    let mut f = asset.fields.clone();
    f.notes = Some("相談あり".to_owned());
    register.update(asset.id, 1, f).unwrap()
}

#[test]
fn a_redaction_removes_the_content_and_keeps_the_chain() -> crate::Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let mut register = Register::create(&path, &Policy::niigata())?;
    let asset = noted(&mut register);
    // Entry 1 is `init`, 2 the creation, 3 the change of the note.
    let first = register.redact(2, "notes", "個人番号の誤記載")?;
    assert_eq!((first.entry, first.by), (2, 4));
    let second = register.redact(3, "notes", "個人番号の誤記載")?;
    assert_eq!((second.entry, second.by), (3, 5));

    let verification = register.verify()?;
    assert!(verification.is_ok(), "{verification}");
    let redacted: Vec<(u64, u64, &str)> = verification
        .chain
        .redactions
        .iter()
        .map(|r| (r.entry, r.by, r.field.as_str()))
        .collect();
    assert_eq!(redacted, [(2, 4, "notes"), (3, 5, "notes")]);
    assert!(verification.notes[0].contains("redacted by entry 4"));
    // The history no longer holds the number, and says what was redacted.
    let history = register.history(asset.id)?;
    for entry in &history {
        let text = format!("{:?}{:?}", entry.before, entry.after);
        assert!(!text.contains("123456789012"), "{text}");
    }
    assert_eq!(history.last().unwrap().action, Action::Redact);
    assert_eq!(
        register.get(asset.id)?.fields.notes.as_deref(),
        Some("相談あり")
    );
    drop(register);
    // Nor does the file: deleted content is overwritten.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend(std::fs::read(dir.path().join("r.db-wal")).unwrap_or_default());
    let needle = "123456789012".as_bytes();
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));

    // A payload changed after its redaction is tampering again.
    let register = Register::open(&path)?;
    register.db().execute_for_test(
        "UPDATE audit_log SET after = replace(after, '相談', '苦情') WHERE seq = 3",
    );
    let broken = register.verify()?.chain.first_broken.unwrap();
    assert_eq!(broken.seq, 3);
    assert_eq!(broken.reason, "the payload does not match its digest");
    Ok(())
}

#[test]
fn a_redaction_is_refused_where_it_would_hide_or_break_something() -> crate::Result<()> {
    let mut register = crate::test_backend::register(&Policy::niigata())?;
    let asset = noted(&mut register);
    let refused = |register: &mut Register, seq, field: &str| {
        register.redact(seq, field, "理由").unwrap_err().to_string()
    };
    let mut kept = fields(&register, "イ", "窓口記録", "2");
    kept.notes = Some("要確認".to_owned());
    register.add(kept)?;
    // Entry 4 holds only the note the asset still holds.
    assert!(refused(&mut register, 4, "notes").contains("the value the asset still holds"));
    assert!(refused(&mut register, 1, "notes").contains("a `init` entry holds no asset record"));
    assert!(refused(&mut register, 2, "name").contains("unknown field `name`"));
    assert!(refused(&mut register, 2, "location").contains("the entry holds no `location`"));
    assert!(refused(&mut register, 99, "notes").contains("no such entry"));
    let err = register.redact(2, "notes", "  ").unwrap_err();
    assert!(err.to_string().contains("says why"), "{err}");

    // An entry that does not verify is not redacted (that would hide its tampering).
    register
        .db()
        .execute_for_test("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2");
    assert!(refused(&mut register, 2, "notes").contains("does not verify"));
    assert_eq!(register.get(asset.id)?.version, 2);
    Ok(())
}

#[test]
fn entries_of_format_1_still_verify_and_are_not_redacted() -> crate::Result<()> {
    let mut register = crate::test_backend::register(&Policy::niigata())?;
    noted(&mut register);
    // As a register written before payload digests: format 1, no digest.
    register
        .db()
        .execute_for_test("UPDATE audit_log SET format = 1, payload_digest = NULL");
    rechain(&register, 1);
    let verification = register.verify()?;
    assert!(verification.is_ok(), "{verification}");
    assert_eq!(verification.chain.legacy_entries, 3);
    let err = register.redact(2, "notes", "理由").unwrap_err();
    assert!(err.to_string().contains("format 1"), "{err}");

    // New entries follow in format 2, and format 1 may not follow them.
    register.add(fields(&register, "ア", "新システム", "2"))?;
    register.add(fields(&register, "ア", "新システム2", "2"))?;
    assert!(register.verify()?.is_ok());
    register
        .db()
        .execute_for_test("UPDATE audit_log SET format = 1, payload_digest = NULL WHERE seq = 5");
    rechain(&register, 5);
    let broken = register.verify()?.chain.first_broken.unwrap();
    assert_eq!(
        (broken.seq, broken.reason.as_str()),
        (5, "an entry of format 1 follows entries of format 2")
    );

    // A format 1 payload is hashed as it is: editing it breaks the chain.
    let mut register = crate::test_backend::register(&Policy::niigata())?;
    noted(&mut register);
    register
        .db()
        .execute_for_test("UPDATE audit_log SET format = 1, payload_digest = NULL");
    rechain(&register, 1);
    register.db().execute_for_test(
        "UPDATE audit_log SET after = replace(after, '相談', '苦情') WHERE seq = 3",
    );
    let broken = register.verify()?.chain.first_broken.unwrap();
    assert_eq!(broken.reason, "the stored hash does not match the entry");
    Ok(())
}

#[test]
fn a_rollback_by_restore_is_in_the_log_and_fails_against_the_later_head() -> crate::Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let mut register = Register::create(&path, &Policy::niigata())?;
    let assets = busy(&mut register);
    let backup = dir.path().join("backup.db");
    register.backup(&backup)?;
    let disposal = Disposal {
        date: jiff::civil::date(2026, 4, 1),
        person: "鈴木".to_owned(),
        method: None,
        approver: None,
        certificate: None,
    };
    register.dispose(assets[2].id, None, disposal)?;
    let later = register.head()?;
    drop(register);

    let restored = Register::restore_as(&backup, &path, true, "mallory")?;
    let verification = restored.verify()?;
    assert!(verification.is_ok(), "{verification}");
    assert_eq!(
        verification.notes,
        [format!(
            "audit entry 14: restored from a backup, replacing the register at head {later}"
        )]
    );
    let against = restored.verify_anchored(&Anchor::Head {
        head: later,
        source: "--expect-head".to_owned(),
    })?;
    let difference = against.chain.anchor.unwrap().first_difference.unwrap();
    assert_eq!(difference.seq, 14);
    Ok(())
}

#[test]
fn open_read_only_writes_nothing_and_refuses_an_older_schema() -> crate::Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let mut register = Register::create(&path, &Policy::niigata())?;
    busy(&mut register);
    drop(register);
    let before = std::fs::read(&path).unwrap();
    let mut reader = Register::open_read_only(&path)?;
    assert!(reader.verify()?.is_ok());
    assert_eq!(reader.assets(&crate::Filter::default())?.len(), 2);
    assert!(reader.add(fields(&reader, "ア", "書けない", "2")).is_err());
    drop(reader);
    assert_eq!(std::fs::read(&path).unwrap(), before);

    store::execute_in_file(&path, "PRAGMA user_version = 2");
    let err = Register::open_read_only(&path).unwrap_err();
    assert!(
        matches!(err, crate::Error::SchemaTooOld { found: 2, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("daicho upgrade"), "{err}");
    Ok(())
}

#[test]
fn a_register_of_schema_2_restores_verifies_and_anchors() -> crate::Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.db");
    let mut register = Register::create(&newer, &Policy::niigata())?;
    noted(&mut register);
    register
        .db()
        .execute_for_test("UPDATE audit_log SET format = 1, payload_digest = NULL");
    rechain(&register, 1);
    drop(register);
    let older = dir.path().join("older.db");
    store::write_older_for_test(&newer, &older, 2);

    // Read-only commands refuse it; a writable open, a restore and an
    // anchor read it.
    let err = Register::open_read_only(&older).unwrap_err();
    assert!(
        matches!(err, crate::Error::SchemaTooOld { found: 2, .. }),
        "{err}"
    );
    let restored = Register::restore(&older, dir.path().join("restored.db"), false)?;
    let verification = restored.verify_anchored(&Anchor::Backup(older.clone()))?;
    assert!(verification.is_ok(), "{verification}");
    assert_eq!(verification.chain.legacy_entries, 3);
    assert_eq!(verification.chain.anchor.unwrap().expected.entries, 3);
    let upgraded = Register::open(&older)?;
    assert!(upgraded.verify()?.is_ok());
    Ok(())
}
