//! `daicho summary`.

use std::fmt::Write as _;

use daicho::{Policy, Summary, SummaryRecord};

use super::Context;
use crate::args::{Format, Lang, SummaryArgs};
use crate::exit::Status;
use crate::output::{self, Rows, pick};

pub(crate) fn summary(ctx: &Context, args: &SummaryArgs) -> anyhow::Result<Status> {
    let register = ctx.open_as_of(&args.as_of)?;
    let out = &args.out;
    let file = output::to_file(&register, out.output.as_deref(), out.force, ctx.format())?;
    let status = summary_to(ctx, &register)?;
    if let Some(file) = file {
        file.finish()?;
    }
    Ok(status)
}

fn summary_to(ctx: &Context, register: &daicho::Register) -> anyhow::Result<Status> {
    let summary = register.summary()?;
    let policy = register.policy();
    let lang = ctx.lang();
    let json = SummaryRecord::from(&summary);
    if ctx.format() == Format::Json {
        output::json(&json)?;
        return Ok(Status::Success);
    }

    // Organization × confidentiality: one row per organization, one column per level.
    let levels = &policy.scale(daicho::Axis::Confidentiality).levels;
    let mut headers = vec![pick(lang, "所管", "organization").to_owned()];
    headers.extend(levels.iter().map(|def| def.level.code().to_owned()));
    headers.push(pick(lang, "計", "total").to_owned());
    let mut by_org = Rows::new(headers);
    for (org, counts) in &summary.by_organization {
        let mut row = vec![
            pick(
                lang,
                policy.organization_ja(org),
                policy.organization_en(org),
            )
            .to_owned(),
        ];
        row.extend(counts.iter().map(|(_, n)| n.to_string()));
        row.push(counts.iter().map(|(_, n)| n).sum::<u64>().to_string());
        by_org.push(row);
    }
    if ctx.format() == Format::Csv {
        output::emit(Format::Csv, &by_org, &json)?;
        return Ok(Status::Success);
    }

    let mut heading = String::new();
    let _ = write!(
        heading,
        "{} {}  {} {}  {} {}  {} {}  {} {}",
        pick(lang, "資産数", "assets"),
        summary.total,
        pick(lang, "対象", "in scope"),
        summary.in_scope,
        pick(lang, "適用除外", "excluded"),
        summary.excluded,
        pick(lang, "廃棄済", "disposed"),
        summary.disposed,
        pick(lang, "関連", "links"),
        summary.links,
    );
    output::line(&format!(
        "{} — {}",
        policy.name(),
        pick(lang, policy.title_ja(), policy.title_en())
    ))?;
    output::line(&heading)?;
    output::line(&format!(
        "\n{}",
        pick(
            lang,
            "所管別・機密性別（対象資産）",
            "by organization and confidentiality (in scope)"
        )
    ))?;
    output::emit(Format::Table, &by_org, &json)?;

    output::line(&format!("\n{}", pick(lang, "種別", "by kind")))?;
    output::emit(Format::Table, &kind_rows(lang, &summary), &json)?;
    output::line(&format!(
        "\n{}",
        pick(lang, "ネットワーク区分", "by segment")
    ))?;
    output::emit(Format::Table, &segment_rows(lang, &summary), &json)?;
    output::line(&format!("\n{}", pick(lang, "適用範囲", "by scope")))?;
    output::emit(Format::Table, &scope_rows(lang, policy, &summary), &json)?;
    Ok(Status::Success)
}

fn kind_rows(lang: Lang, summary: &Summary) -> Rows {
    let mut by_kind = Rows::new([pick(lang, "種別", "kind"), pick(lang, "資産数", "assets")]);
    for (kind, n) in &summary.by_kind {
        by_kind.push([
            format!(
                "{} {}",
                kind.letter(),
                pick(lang, kind.label_ja(), kind.label_en())
            ),
            n.to_string(),
        ]);
    }
    by_kind
}

fn segment_rows(lang: Lang, summary: &Summary) -> Rows {
    let mut by_segment = Rows::new([
        pick(lang, "ネットワーク区分", "segment"),
        pick(lang, "資産数", "assets"),
    ]);
    for (segment, n) in &summary.by_segment {
        let label = segment.map_or(pick(lang, "（なし）", "(none)"), |s| {
            pick(lang, s.label_ja(), s.label_en())
        });
        by_segment.push([label.to_owned(), n.to_string()]);
    }
    by_segment
}

fn scope_rows(lang: Lang, policy: &Policy, summary: &Summary) -> Rows {
    let mut by_scope = Rows::new([
        pick(lang, "適用範囲", "scope"),
        pick(lang, "資産数", "assets"),
    ]);
    for (exclusion, n) in &summary.by_scope {
        let label = match exclusion {
            None => pick(lang, "対象", "in scope").to_owned(),
            Some(code) => policy
                .exclusions()
                .iter()
                .find(|e| &e.code == code)
                .map_or_else(
                    || code.to_string(),
                    |e| {
                        format!(
                            "{}: {}",
                            pick(lang, "除外", "excluded"),
                            pick(lang, &e.ja, &e.en)
                        )
                    },
                ),
        };
        by_scope.push([label, n.to_string()]);
    }
    by_scope
}
