//! `daicho backup` and `daicho restore`.

use anyhow::Context as _;
use daicho::{Register, Verification, VerificationRecord};

use super::Context;
use crate::args::{BackupArgs, Format, MigrateArgs, RestoreArgs};
use crate::exit::Status;
use crate::output::{self, pick};

pub(crate) fn backup(ctx: &Context, args: &BackupArgs) -> anyhow::Result<Status> {
    let register = ctx.open_read_only()?;
    let verification = register.backup(&args.dest)?;
    let lang = ctx.lang();
    let summary = copy_summary(
        lang,
        &verification,
        &format!("`{}`", args.dest.display()),
        [
            pick(lang, "バックアップを作成しました:", "backed up to"),
            pick(
                lang,
                "バックアップを作成しましたが、検証に失敗しました",
                "backed up, but the copy does not verify",
            ),
        ],
    );
    report(ctx, &summary, &args.dest, &verification)?;
    Ok(if verification.is_ok() {
        Status::Success
    } else {
        Status::Failure
    })
}

/// The line of a copy made and verified (a backup, a move): `done WHERE (N
/// entries, verified; head …)`, or `failed WHERE: what does not verify`.
fn copy_summary(
    lang: crate::args::Lang,
    verification: &Verification,
    place: &str,
    [done, failed]: [&str; 2],
) -> String {
    if verification.is_ok() {
        format!(
            "{done} {place} ({} {}{})",
            verification.chain.entries,
            pick(
                lang,
                "件の監査記録、検証済み、先頭 ",
                "audit entries, verified; head "
            ),
            verification.head(),
        )
    } else {
        format!("{failed} {place}: {verification}")
    }
}

pub(crate) fn restore(ctx: &Context, args: &RestoreArgs) -> anyhow::Result<Status> {
    let db = &ctx.global.db;
    let register = match Register::restore_as(&args.backup, db, args.force, &ctx.actor()) {
        Err(err @ daicho::Error::AlreadyExists { .. }) => {
            let db = db.display();
            return Err(anyhow::Error::new(err).context(crate::exit::context(
                format!("--force なしでは台帳 `{db}` を置き換えません"),
                format!("not replacing the register `{db}` without --force"),
            )));
        }
        other => other.with_context(|| {
            let backup = args.backup.display();
            crate::exit::context(
                format!("`{backup}` から復元しています"),
                format!("restoring `{backup}`"),
            )
        })?,
    };
    let verification = register.verify()?;
    let summary = format!(
        "{} `{}` ← `{}` ({} {})",
        pick(ctx.lang(), "復元しました:", "restored"),
        db.display(),
        args.backup.display(),
        verification.chain.entries,
        pick(
            ctx.lang(),
            "件の監査記録、検証済み",
            "audit entries, verified"
        ),
    );
    report(ctx, &summary, db, &verification)?;
    Ok(if verification.is_ok() {
        Status::Success
    } else {
        Status::Failure
    })
}

pub(crate) fn migrate(ctx: &Context, args: &MigrateArgs) -> anyhow::Result<Status> {
    let from = args.from.as_ref().unwrap_or(&ctx.global.db);
    let verification = Register::migrate(from, &args.to).with_context(|| {
        let (from, to) = (from.display(), args.to.display());
        crate::exit::context(
            format!("`{from}` を `{to}` へ移しています"),
            format!("moving `{from}` to `{to}`"),
        )
    })?;
    let lang = ctx.lang();
    let summary = copy_summary(
        lang,
        &verification,
        &format!("`{}` → `{}`", from.display(), args.to.display()),
        [
            pick(lang, "台帳を移しました:", "moved the register:"),
            pick(
                lang,
                "台帳を移しましたが、移した先の検証に失敗しました",
                "moved the register, but the new one does not verify",
            ),
        ],
    );
    report(ctx, &summary, &args.to, &verification)?;
    Ok(if verification.is_ok() {
        Status::Success
    } else {
        Status::Failure
    })
}

fn report(
    ctx: &Context,
    summary: &str,
    file: &std::path::Path,
    verification: &Verification,
) -> anyhow::Result<()> {
    if ctx.format() == Format::Json {
        output::json(&VerificationRecord::from(verification).with_file(file))
    } else {
        output::line(summary)
    }
}
