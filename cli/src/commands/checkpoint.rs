//! `daicho checkpoint sign` and `daicho checkpoint keygen`.

use daicho::{Checkpoint, SigningKey};

use super::Context;
use crate::args::{CheckpointAction, CheckpointArgs, CheckpointSignArgs, KeygenArgs};
use crate::exit::{Status, user_error};
use crate::output::{self, pick};

pub(crate) fn checkpoint(ctx: &Context, args: &CheckpointArgs) -> anyhow::Result<Status> {
    match &args.action {
        CheckpointAction::Sign(args) => sign(ctx, args),
        CheckpointAction::Keygen(args) => keygen(ctx, args),
    }
}

/// Verifies the register, then signs its head; a register that does not
/// verify is not vouched for.
fn sign(ctx: &Context, args: &CheckpointSignArgs) -> anyhow::Result<Status> {
    let key = SigningKey::read(&args.key)?;
    let register = ctx.open_read_only()?;
    let verification = register.verify()?;
    if !verification.is_ok() {
        user_error!(
            "署名しません: 台帳が検証に通りません（{verification}）",
            "not signing: the register does not verify ({verification})"
        );
    }
    let origin = args
        .origin
        .clone()
        .unwrap_or_else(|| ctx.global.db.display().to_string());
    let checkpoint = Checkpoint::new(&origin, verification.head())?;
    let Some(path) = &args.output else {
        use std::io::Write as _;
        std::io::stdout().write_all(checkpoint.sign(&key).as_bytes())?;
        return Ok(Status::Success);
    };
    checkpoint.sign_to(&key, path)?;
    output::line(&format!(
        "{} `{}` ({} {})",
        pick(
            ctx.lang(),
            "チェックポイントを署名しました:",
            "signed checkpoint"
        ),
        path.display(),
        pick(ctx.lang(), "先頭", "head"),
        verification.head()
    ))?;
    Ok(Status::Success)
}

fn keygen(ctx: &Context, args: &KeygenArgs) -> anyhow::Result<Status> {
    let key = SigningKey::generate()?;
    key.write_new(&args.out_private)?;
    let public = key.public_key();
    if let Err(e) = public.write_new(&args.out_public) {
        // Leave no private key without its public half.
        let _ = std::fs::remove_file(&args.out_private);
        return Err(e.into());
    }
    output::line(&format!(
        "{} {} (`{}`, `{}`)",
        pick(ctx.lang(), "鍵の組を作成しました:", "made key pair"),
        public.key_id(),
        args.out_private.display(),
        args.out_public.display()
    ))?;
    Ok(Status::Success)
}
