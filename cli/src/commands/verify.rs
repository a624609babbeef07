//! `daicho verify`, `daicho redact` and `daicho upgrade`.

use daicho::{
    Anchor, Checkpoint, Head, PublicKey, RedactionRecord, Verification, VerificationRecord,
};

use super::Context;
use crate::args::{Format, Lang, RedactArgs, VerifyArgs};
use crate::exit::Status;
use crate::output::{self, Rows, pick};

pub(crate) fn verify(ctx: &Context, args: &VerifyArgs) -> anyhow::Result<Status> {
    let register = ctx.open_read_only()?;
    let report = match anchor(args)? {
        Some(anchor) => register.verify_anchored(&anchor)?,
        None => register.verify()?,
    };
    let rows = verification_rows(ctx.lang(), &report);
    output::emit(ctx.format(), &rows, &VerificationRecord::from(&report))?;
    Ok(if report.is_ok() {
        Status::Success
    } else {
        Status::Failure
    })
}

/// The anchor `--expect-head`, `--against` or `--checkpoint` names, if any.
fn anchor(args: &VerifyArgs) -> anyhow::Result<Option<Anchor>> {
    if let Some(text) = &args.expect_head {
        let head: Head = text.parse()?;
        return Ok(Some(Anchor::Head {
            head,
            source: "--expect-head".to_owned(),
        }));
    }
    if let Some(backup) = &args.against {
        return Ok(Some(Anchor::Backup(backup.clone())));
    }
    if let (Some(path), Some(key)) = (&args.checkpoint, &args.public_key) {
        let checkpoint = Checkpoint::read(path, &PublicKey::read(key)?)?;
        return Ok(Some(Anchor::Head {
            head: checkpoint.head,
            source: format!(
                "checkpoint `{}` of `{}` signed {}",
                path.display(),
                checkpoint.origin,
                crate::output::local_time(checkpoint.time)
            ),
        }));
    }
    Ok(None)
}

/// One row per check, with each problem and note on a row of its own.
fn verification_rows(lang: Lang, report: &Verification) -> Rows {
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["検査", "結果"],
        Lang::En => ["check", "result"],
    });
    let ok = pick(lang, "正常", "ok");
    rows.push([
        pick(lang, "データベース整合性", "database integrity").to_owned(),
        if report.database.is_empty() {
            ok.to_owned()
        } else {
            report.database.join("; ")
        },
    ]);
    rows.push([
        pick(lang, "関連の参照先", "link ends").to_owned(),
        if report.dangling_links == 0 {
            ok.to_owned()
        } else {
            format!(
                "{} {}",
                report.dangling_links,
                pick(lang, "件の参照切れ", "dangling links")
            )
        },
    ]);
    rows.push([
        pick(lang, "監査ログのハッシュ連鎖", "audit log hash chain").to_owned(),
        match &report.chain.first_broken {
            None => format!(
                "{ok} ({} {})",
                report.chain.entries,
                pick(lang, "件", "entries")
            ),
            Some(broken) => format!("entry {}: {}", broken.seq, broken.reason),
        },
    ]);
    rows.push([
        pick(lang, "監査ログの先頭", "audit log head").to_owned(),
        report.head().to_string(),
    ]);
    if let Some(anchor) = &report.chain.anchor {
        let label = pick(lang, "アンカー", "anchor").to_owned();
        rows.push([
            label.clone(),
            match &anchor.first_difference {
                None => format!(
                    "{ok} ({} 1..{} {}: {})",
                    pick(lang, "記録", "entries"),
                    anchor.expected.entries,
                    pick(lang, "に変更なし", "unchanged"),
                    anchor.source
                ),
                Some(difference) => format!("{}: {}", anchor.source, difference.reason),
            },
        ]);
    }
    let replay = pick(lang, "台帳と監査ログの照合", "register against the log").to_owned();
    if report.mismatch_count == 0 {
        rows.push([replay, ok.to_owned()]);
    } else {
        rows.push([
            replay,
            format!(
                "{} {}",
                report.mismatch_count,
                pick(lang, "件の差異", "differences")
            ),
        ]);
        for mismatch in &report.mismatches {
            rows.push([
                pick(lang, "差異", "difference").to_owned(),
                mismatch.to_string(),
            ]);
        }
    }
    for (label, problems) in [
        (
            pick(lang, "保存されたポリシー", "stored policy"),
            &report.policy,
        ),
        (pick(lang, "スキーマ", "schema"), &report.schema),
    ] {
        if problems.is_empty() {
            rows.push([label.to_owned(), ok.to_owned()]);
        }
        for problem in problems {
            rows.push([label.to_owned(), problem.clone()]);
        }
    }
    for note in &report.notes {
        rows.push([pick(lang, "注記", "note").to_owned(), note.clone()]);
    }
    rows
}

pub(crate) fn redact(ctx: &Context, args: &RedactArgs) -> anyhow::Result<Status> {
    let mut register = ctx.open()?;
    let redaction = register.redact(args.entry, &args.field, &args.reason)?;
    if ctx.format() == Format::Json {
        output::json(&RedactionRecord::from(&redaction))?;
    } else {
        output::line(&match ctx.lang() {
            Lang::Ja => format!(
                "監査記録 {} の `{}` を墨消ししました（監査記録 {} に記録）",
                redaction.entry, redaction.field, redaction.by
            ),
            Lang::En => format!(
                "redacted `{}` of audit entry {} (recorded as entry {})",
                redaction.field, redaction.entry, redaction.by
            ),
        })?;
    }
    Ok(Status::Success)
}

pub(crate) fn upgrade(ctx: &Context) -> anyhow::Result<Status> {
    // A writable open migrates the register.
    let register = ctx.open()?;
    output::line(&format!(
        "{} `{}`",
        pick(
            ctx.lang(),
            "この daicho のスキーマに移行済みです:",
            "at this daicho's schema:"
        ),
        ctx.global.db.display()
    ))?;
    drop(register);
    Ok(Status::Success)
}
