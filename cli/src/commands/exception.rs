//! `daicho exception`: the register of exceptions (例外措置).

use daicho::parse::{parse_date, today_in_japan};
use daicho::{ExceptionRecord, NewException, RuleId};

use super::Context;
use crate::args::{ExceptionAction, ExceptionAddArgs, ExceptionArgs, Lang};
use crate::exit::Status;
use crate::output::{self, Rows, pick};

pub(crate) fn exception(ctx: &Context, args: &ExceptionArgs) -> anyhow::Result<Status> {
    match &args.action {
        None | Some(ExceptionAction::List) => list(ctx),
        Some(ExceptionAction::Add(add_args)) => add(ctx, add_args),
        Some(ExceptionAction::End(end)) => {
            let mut register = ctx.open()?;
            let ended = register.end_exception(end.id)?;
            let (id, rule) = (ended.id, ended.rule.code());
            output::line(&match ctx.lang() {
                Lang::Ja => format!("例外措置 #{id}（{rule}）を終了しました"),
                Lang::En => format!("ended exception #{id} ({rule})"),
            })?;
            Ok(Status::Success)
        }
    }
}

fn add(ctx: &Context, args: &ExceptionAddArgs) -> anyhow::Result<Status> {
    let mut register = ctx.open()?;
    let rule: RuleId = args.rule.parse()?;
    let asset = register.resolve(&args.asset)?;
    let related = args
        .to
        .as_deref()
        .map(|to| register.resolve(to))
        .transpose()?;
    let added = register.add_exception(NewException {
        rule,
        asset: asset.id,
        related: related.as_ref().map(|a| a.id),
        reason: args.reason.clone(),
        approver: args.approver.clone(),
        approved_on: parse_date(&args.approved_on)?.date,
        expires_on: args
            .expires_on
            .as_deref()
            .map(|d| parse_date(d).map(|p| p.date))
            .transpose()?,
        conditions: args.conditions.clone(),
    })?;
    let on = match &related {
        Some(to) => format!("`{}` → `{}`", asset.name(), to.name()),
        None => format!("`{}`", asset.name()),
    };
    let (id, rule) = (added.id, added.rule.code());
    output::line(&match ctx.lang() {
        Lang::Ja => format!("例外措置 #{id} を {on} の {rule} について記録しました"),
        Lang::En => format!("recorded exception #{id} to {rule} on {on}"),
    })?;
    Ok(Status::Success)
}

fn list(ctx: &Context) -> anyhow::Result<Status> {
    let register = ctx.open()?;
    let today = today_in_japan();
    let exceptions = register.exceptions()?;
    let lang = ctx.lang();
    let mut rows = Rows::new(match lang {
        Lang::Ja => [
            "番号",
            "ルール",
            "資産",
            "関連先",
            "理由",
            "承認者",
            "承認日",
            "期限",
            "状態",
        ],
        Lang::En => [
            "id", "rule", "asset", "related", "reason", "approver", "approved", "expires", "state",
        ],
    });
    let name = |id: daicho::AssetId| {
        register
            .get(id)
            .map_or_else(|_| id.to_string(), |a| a.name().to_owned())
    };
    let mut json = Vec::new();
    for e in &exceptions {
        let state = e.state(today);
        rows.push([
            e.id.to_string(),
            e.rule.code().to_owned(),
            name(e.asset),
            e.related.map(name).unwrap_or_default(),
            e.reason.clone(),
            e.approver.clone(),
            e.approved_on.to_string(),
            e.expires_on.map(|d| d.to_string()).unwrap_or_default(),
            pick(lang, state_ja(state), state).to_owned(),
        ]);
        json.push(ExceptionRecord::new(e, today));
    }
    output::emit(ctx.format(), &rows, &json)?;
    Ok(Status::Success)
}

fn state_ja(state: &str) -> &'static str {
    match state {
        "valid" => "有効",
        "expired" => "期限切れ",
        "ended" => "終了",
        _ => "承認日前",
    }
}
