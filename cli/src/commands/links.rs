//! `daicho link` and `unlink`.

use daicho::{Link, Relation, Sanitization};

use super::Context;
use crate::args::{LinkArgs, UnlinkArgs};
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
    output::line(&format!(
        "linked `{}` {} `{}`",
        from.name(),
        link.relation,
        to.name()
    ))?;
    Ok(Status::Success)
}

pub(crate) fn unlink(ctx: &Context, args: &UnlinkArgs) -> anyhow::Result<Status> {
    let mut register = ctx.open()?;
    let from = register.resolve(&args.from)?;
    let to = register.resolve(&args.to)?;
    let relation = Relation::parse(&args.relation)?;
    register.unlink(from.id, relation, to.id)?;
    output::line(&format!(
        "unlinked `{}` {} `{}`",
        from.name(),
        relation,
        to.name()
    ))?;
    Ok(Status::Success)
}
