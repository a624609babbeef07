//! `daicho delete`: remove an asset registered by mistake, saying why.

use daicho::DeletionRecord;

use super::{Context, assets::resolve_or_list};
use crate::args::{DeleteArgs, Format};
use crate::exit::Status;
use crate::output::{self, pick};

pub(crate) fn delete(ctx: &Context, args: &DeleteArgs) -> anyhow::Result<Status> {
    let mut register = ctx.open()?;
    let Some(asset) = resolve_or_list(ctx, &register, &args.asset)? else {
        return Ok(Status::Failure);
    };
    let deletion = if args.with_links {
        register.delete_with_links(asset.id, &args.reason)?
    } else {
        register.delete(asset.id, &args.reason)?
    };
    if ctx.format() == Format::Json {
        output::json(&DeletionRecord::new(&deletion, &args.reason))?;
        return Ok(Status::Success);
    }
    let lang = ctx.lang();
    let mut with = Vec::new();
    if !deletion.links.is_empty() {
        with.push(format!(
            "{} {}",
            deletion.links.len(),
            pick(lang, "件の関連", "links")
        ));
    }
    if deletion.assessments > 0 {
        with.push(format!(
            "{} {}",
            deletion.assessments,
            pick(lang, "件のリスク評価", "risk assessments")
        ));
    }
    let name = deletion.asset.name();
    let id = deletion.asset.id;
    output::line(&match (lang, with.is_empty()) {
        (crate::args::Lang::Ja, true) => format!("資産 `{name}` ({id}) を削除しました"),
        (crate::args::Lang::Ja, false) => {
            format!(
                "資産 `{name}` ({id}) を削除しました（{}も削除）",
                with.join("、")
            )
        }
        (crate::args::Lang::En, true) => format!("deleted asset `{name}` ({id})"),
        (crate::args::Lang::En, false) => {
            format!("deleted asset `{name}` ({id}) with {}", with.join(" and "))
        }
    })?;
    Ok(Status::Success)
}
