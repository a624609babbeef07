//! `daicho init`.

use daicho::{Policy, Register};

use super::Context;
use crate::args::{Format, InitArgs};
use crate::exit::Status;
use crate::output;

pub(crate) fn init(ctx: &Context, args: &InitArgs) -> anyhow::Result<Status> {
    let policy = Policy::load(&args.policy)?;
    Register::create(&ctx.global.db, &policy)?;
    let json = serde_json::json!({
        "db": ctx.global.db.display().to_string(),
        "policy": policy.name(),
        "policy_sha256": policy.sha256(),
    });
    match ctx.format() {
        Format::Json => output::emit(
            Format::Json,
            &output::Rows::new(Vec::<String>::new()),
            &json,
        )?,
        _ => output::line(&format!(
            "created register `{}` with policy `{}` ({})",
            ctx.global.db.display(),
            policy.name(),
            policy.title_ja()
        ))?,
    }
    Ok(Status::Success)
}
