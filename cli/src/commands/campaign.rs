//! `daicho campaign` and `daicho attest`: attestation campaigns (棚卸).

use daicho::parse::{parse_date, today_in_japan};
use daicho::sheet::{ExportOptions, Headers};
use daicho::{
    Attest, AttestationRecord, AttestationState, CampaignRecord, CampaignStatusRecord, NewCampaign,
};

use super::{Context, fields};
use crate::args::{
    AttestArgs, CampaignAction, CampaignArgs, CampaignExportArgs, CampaignStartArgs,
    CampaignStatusArgs, Format, HeaderLang, Lang,
};
use crate::exit::Status;
use crate::output::{self, Rows, pick};

pub(crate) fn campaign(ctx: &Context, args: &CampaignArgs) -> anyhow::Result<Status> {
    match &args.action {
        CampaignAction::Start(start_args) => start(ctx, start_args),
        CampaignAction::Export(export_args) => export(ctx, export_args),
        CampaignAction::Status(status_args) => status(ctx, status_args),
        CampaignAction::Close => {
            let mut register = ctx.open()?;
            let closed = register.close_campaign()?;
            if ctx.format() == Format::Json {
                return output::json(&CampaignRecord::from(&closed)).map(|()| Status::Success);
            }
            output::line(&match ctx.lang() {
                Lang::Ja => format!("棚卸 {} を終了しました", closed.name),
                Lang::En => format!("closed campaign {}", closed.name),
            })?;
            Ok(Status::Success)
        }
    }
}

fn start(ctx: &Context, args: &CampaignStartArgs) -> anyhow::Result<Status> {
    let mut register = ctx.open()?;
    let organization = args
        .organization
        .as_deref()
        .map(|o| register.policy().organization(o).map(|o| o.code.clone()))
        .transpose()?;
    let due_on = args
        .due
        .as_deref()
        .map(|text| fields::cell("--due", text, parse_date(text)).map(|d| d.date))
        .transpose()?;
    let started = register.start_campaign(&NewCampaign {
        name: args.name.clone(),
        due_on,
        organization,
    })?;
    let sections = register
        .campaign_status(Some(&started.name), today_in_japan())?
        .sections
        .len();
    if ctx.format() == Format::Json {
        return output::json(&CampaignRecord::from(&started)).map(|()| Status::Success);
    }
    let due = started.due_on.map(|d| d.to_string());
    output::line(&match ctx.lang() {
        Lang::Ja => format!(
            "棚卸 {} を開始しました: {sections} 所属{}",
            started.name,
            due.map(|d| format!("、期限 {d}")).unwrap_or_default()
        ),
        Lang::En => format!(
            "started campaign {}: {sections} sections{}",
            started.name,
            due.map(|d| format!(", due {d}")).unwrap_or_default()
        ),
    })?;
    Ok(Status::Success)
}

fn export(ctx: &Context, args: &CampaignExportArgs) -> anyhow::Result<Status> {
    let register = ctx.open_read_only()?;
    let organization = args
        .organization
        .as_deref()
        .map(|o| register.policy().organization(o).map(|o| o.code.clone()))
        .transpose()?;
    let filter = register.campaign_section(&args.department, organization.as_ref())?;
    let rows = if super::export::has_extension(&args.output, "xlsx") {
        // The section's workbook, as `export -o X.xlsx --department X` writes it.
        register
            .export_workbook_path(&args.output, &filter, args.force)
            .map_err(|err| super::export::with_force_hint(err, args.force))?
            .assets
    } else {
        let mut options = ExportOptions::default();
        options.headers(match args.headers {
            HeaderLang::En => Headers::En,
            HeaderLang::Ja => Headers::Ja,
        });
        // Refuses an .xls name, with the same hints as `export`.
        let mut out = super::export::output_file(&register, &args.output, args.force)?;
        let report = register.export_assets_file(&mut out, &filter, &options)?;
        super::export::commit(out, args.force)?;
        report.rows
    };
    output::line(&match ctx.lang() {
        Lang::Ja => format!(
            "{} の一覧 {} 件を {} に書き出しました",
            args.department,
            rows,
            args.output.display()
        ),
        Lang::En => format!(
            "wrote the {} assets of {} to {}",
            rows,
            args.department,
            args.output.display()
        ),
    })?;
    Ok(Status::Success)
}

fn status(ctx: &Context, args: &CampaignStatusArgs) -> anyhow::Result<Status> {
    let register = ctx.open_read_only()?;
    output::writing(&register, &args.out, ctx.format(), || {
        let today = match &args.today {
            Some(text) => fields::cell("--today", text, parse_date(text))?.date,
            None => today_in_japan(),
        };
        let status = register.campaign_status(args.name.as_deref(), today)?;
        let lang = ctx.lang();
        let policy = register.policy();
        let mut rows = Rows::new(match lang {
            Lang::Ja => [
                "所管",
                "所属",
                "状態",
                "確認日",
                "確認者",
                "確認件数",
                "現在件数",
                "未確認",
            ],
            Lang::En => [
                "organization",
                "department",
                "state",
                "attested on",
                "attested by",
                "confirmed",
                "assets now",
                "not confirmed",
            ],
        });
        let count = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
        for section in &status.sections {
            let organization = policy.organization(&section.organization).map_or_else(
                |_| section.organization.clone(),
                |o| pick(lang, &o.ja, o.code.as_str()).to_owned(),
            );
            let unconfirmed: Vec<String> = section
                .unconfirmed
                .iter()
                .map(|(id, name)| format!("{name} ({id})"))
                .collect();
            rows.push([
                organization,
                section.department.clone(),
                pick(lang, section.state.label_ja(), section.state.code()).to_owned(),
                section
                    .attested_on
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                section.attested_by.clone().unwrap_or_default(),
                count(section.confirmed),
                section.assets_now.to_string(),
                unconfirmed.join("; "),
            ]);
        }
        if ctx.format() == Format::Table {
            let open = |state| status.sections.iter().filter(|s| s.state == state).count();
            output::line(&match lang {
                Lang::Ja => format!(
                    "棚卸 {}（{}時点）: 確認済 {}、未確認 {}、期限超過 {}{}",
                    status.campaign.name,
                    status.today,
                    open(AttestationState::Attested),
                    open(AttestationState::Open),
                    open(AttestationState::Overdue),
                    if status.campaign.closed_at.is_some() {
                        "（終了）"
                    } else {
                        ""
                    }
                ),
                Lang::En => format!(
                    "campaign {} (as of {}): {} attested, {} open, {} overdue{}",
                    status.campaign.name,
                    status.today,
                    open(AttestationState::Attested),
                    open(AttestationState::Open),
                    open(AttestationState::Overdue),
                    if status.campaign.closed_at.is_some() {
                        " (closed)"
                    } else {
                        ""
                    }
                ),
            })?;
        }
        output::emit(ctx.format(), &rows, &CampaignStatusRecord::from(&status))?;
        Ok(Status::Success)
    })
}

pub(crate) fn attest(ctx: &Context, args: &AttestArgs) -> anyhow::Result<Status> {
    let mut register = ctx.open()?;
    let organization = args
        .organization
        .as_deref()
        .map(|o| register.policy().organization(o).map(|o| o.code.clone()))
        .transpose()?;
    let done = register.attest(&Attest {
        department: args.department.clone(),
        organization,
        by: args.by.clone(),
        sheet: args.sheet.clone(),
        ..Attest::default()
    })?;
    if ctx.format() == Format::Json {
        return output::json(&AttestationRecord::from(&done)).map(|()| Status::Success);
    }
    let sheet = done.import.as_ref().map(|report| {
        let a = report.assets;
        match ctx.lang() {
            Lang::Ja => format!(
                "、シート: 追加 {} 件・更新 {} 件・変更なし {} 件",
                a.created, a.updated, a.unchanged
            ),
            Lang::En => format!(
                "; sheet: {} added, {} updated, {} unchanged",
                a.created, a.updated, a.unchanged
            ),
        }
    });
    output::line(&match ctx.lang() {
        Lang::Ja => format!(
            "棚卸 {} の確認を記録しました: {}（{} 件、確認者 {}、{}）{}",
            done.campaign,
            done.department,
            done.confirmed,
            done.attested_by,
            done.attested_on,
            sheet.unwrap_or_default()
        ),
        Lang::En => format!(
            "recorded the attestation of {} in campaign {}: {} assets, by {}, on {}{}",
            done.department,
            done.campaign,
            done.confirmed,
            done.attested_by,
            done.attested_on,
            sheet.unwrap_or_default()
        ),
    })?;
    output::line(&format!("SHA-256: {}", done.digest))?;
    Ok(Status::Success)
}
