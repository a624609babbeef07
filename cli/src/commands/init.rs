//! `daicho init`.

use daicho::{NewRegisterRecord, Policy, Register};

use super::Context;
use crate::args::{Format, InitArgs, Lang};
use crate::exit::Status;
use crate::output;

pub(crate) fn init(ctx: &Context, args: &InitArgs) -> anyhow::Result<Status> {
    let policy = Policy::load(&args.policy)?;
    Register::create_as(&ctx.global.db, &policy, &ctx.actor())?;
    if ctx.format() == Format::Json {
        output::json(&NewRegisterRecord::new(&ctx.global.db, &policy))?;
    } else {
        let (db, name, title) = (ctx.global.db.display(), policy.name(), policy.title_ja());
        output::line(&match ctx.lang() {
            Lang::Ja => format!("台帳 `{db}` をポリシー `{name}`（{title}）で作成しました"),
            Lang::En => format!("created register `{db}` with policy `{name}` ({title})"),
        })?;
    }
    Ok(Status::Success)
}
