//! `daicho link` and `unlink`.

use daicho::{Link, Relation, Sanitization};

use super::Context;
use crate::args::{Lang, LinkArgs, UnlinkArgs};
use crate::exit::Status;
use crate::output;

pub(crate) fn link(ctx: &Context, args: &LinkArgs) -> anyhow::Result<Status> {
    let mut register = ctx.open()?;
    let from = register.resolve(&args.from)?;
    let to = register.resolve(&args.to)?;
    let link = Link {
        from: from.id,
        relation: Relation::parse(&args.relation)?,
        to: to.id,
        sanitization: args
            .sanitization
            .as_deref()
            .map(Sanitization::parse)
            .transpose()?,
    };
    register.link(link)?;
    let (from, to) = (from.name(), to.name());
    output::line(&match ctx.lang() {
        Lang::Ja => format!("`{from}` {} `{to}` を関連付けました", link.relation),
        Lang::En => format!("linked `{from}` {} `{to}`", link.relation),
    })?;
    Ok(Status::Success)
}

pub(crate) fn unlink(ctx: &Context, args: &UnlinkArgs) -> anyhow::Result<Status> {
    let mut register = ctx.open()?;
    let from = register.resolve(&args.from)?;
    let to = register.resolve(&args.to)?;
    let relation = Relation::parse(&args.relation)?;
    register.unlink(from.id, relation, to.id)?;
    let (from, to) = (from.name(), to.name());
    output::line(&match ctx.lang() {
        Lang::Ja => format!("`{from}` {relation} `{to}` の関連を外しました"),
        Lang::En => format!("unlinked `{from}` {relation} `{to}`"),
    })?;
    Ok(Status::Success)
}
