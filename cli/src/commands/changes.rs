//! `daicho changes`: every change between two days, off the audit log.

use daicho::parse::parse_date;
use daicho::{ChangeRecord, ChangesFilter, end_of_day, local_time, local_time_zone, start_of_day};

use super::{Context, fields};
use crate::args::{ChangesArgs, Lang};
use crate::exit::{Status, user_error};
use crate::output::{self, Rows, pick};

pub(crate) fn changes(ctx: &Context, args: &ChangesArgs) -> anyhow::Result<Status> {
    let register = ctx.open_read_only()?;
    output::writing(&register, &args.out, ctx.format(), || {
        changes_to(ctx, &register, args)
    })
}

fn changes_to(
    ctx: &Context,
    register: &daicho::Register,
    args: &ChangesArgs,
) -> anyhow::Result<Status> {
    let zone = local_time_zone();
    let day = |flag: &str, text: &str| -> anyhow::Result<_> {
        Ok(fields::cell(flag, text, parse_date(text))?.date)
    };
    let first = day("--since", &args.since)?;
    let since = start_of_day(first, &zone)?;
    let until = match &args.until {
        Some(text) => {
            let last = day("--until", text)?;
            if last < first {
                user_error!(
                    "--until {last} が --since {first} より前です",
                    "--until {last} is before --since {first}"
                );
            }
            Some(end_of_day(last, &zone)?)
        }
        None => None,
    };
    let filter = ChangesFilter {
        since: Some(since),
        until,
        organization: args
            .organization
            .as_deref()
            .map(|o| register.policy().organization(o))
            .transpose()?
            .map(|o| o.code.clone()),
        department: args.department.clone(),
    };
    let lines = register.changes(&filter)?;
    let lang = ctx.lang();
    let mut rows = Rows::new(match lang {
        Lang::Ja => [
            "日時",
            "操作者",
            "操作",
            "資産",
            "資産ID",
            "項目",
            "変更前",
            "変更後",
        ],
        Lang::En => [
            "at", "actor", "action", "asset", "asset id", "field", "old", "new",
        ],
    });
    for line in &lines {
        rows.push([
            local_time(line.at, &zone),
            line.actor.clone(),
            pick(lang, line.action.label_ja(), line.action.code()).to_owned(),
            line.asset_name.clone().unwrap_or_default(),
            line.asset_id.map(|id| id.to_string()).unwrap_or_default(),
            line.field.label(lang.into()),
            line.old.clone(),
            line.new.clone(),
        ]);
    }
    let json: Vec<ChangeRecord> = lines
        .iter()
        .map(|line| ChangeRecord::new(line, &zone))
        .collect();
    output::emit(ctx.format(), &rows, &json)?;
    Ok(Status::Success)
}
