//! `daicho init`.

use daicho::{NewRegisterRecord, Policy, Register};

use super::Context;
use crate::args::{Format, InitArgs};
use crate::exit::Status;
use crate::output;

pub(crate) fn init(ctx: &Context, args: &InitArgs) -> anyhow::Result<Status> {
    let policy = Policy::load(&args.policy)?;
    Register::create_as(&ctx.global.db, &policy, &ctx.actor())?;
    match ctx.format() {
        Format::Json => output::json(&NewRegisterRecord::new(&ctx.global.db, &policy))?,
        _ => output::line(&format!(
            "created register `{}` with policy `{}` ({})",
            ctx.global.db.display(),
            policy.name(),
            policy.title_ja()
        ))?,
    }
    Ok(Status::Success)
}
