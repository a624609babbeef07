//! The yearly cycle: the findings tracked to correction (是正) and the
//! latest attestation campaign (棚卸).
//!
//! The corrections' counts are keyed as `daicho findings --format json`
//! gives them (`findings.status.in_progress`: the findings of that status;
//! `findings.overdue`: those still to be corrected past their due date), the
//! campaign's as `daicho campaign status --format json` does
//! (`campaign.state.overdue`: the sections in that state;
//! `campaign.section.ORG/DEPT.confirmed`: a section's `confirmed`).

use std::fmt::Write as _;

use super::{count, empty, head, heading, org, section, table, text_cell};
use crate::campaign::{AttestationState, CampaignStatus, SectionStatus};
use crate::report::AuditorReport;
use crate::report::markup::escape;
use crate::rules::{FindingStatus, TrackedFinding};
use crate::text::Lang;

/// A body's name, from the code a campaign's row holds.
fn body_name(report: &AuditorReport, code: &str, lang: Lang) -> String {
    report
        .policy
        .organizations()
        .iter()
        .find(|o| o.code.as_str() == code)
        .map_or_else(|| code.to_owned(), |o| lang.pick(&o.ja, &o.en).to_owned())
}

fn status_label(lang: Lang, status: FindingStatus) -> &'static str {
    lang.pick(status.label_ja(), status.label_en())
}

pub(super) fn corrections(out: &mut String, report: &AuditorReport, lang: Lang) {
    let (id, title) = heading(report, "corrections", lang);
    section(out, id, &title);
    let _ = write!(
        out,
        "<p>{}</p>",
        escape(&match lang {
            Lang::Ja => format!(
                "記録した自己点検（check --record）の指摘の是正状況。期限超過は{}時点。",
                report.today
            ),
            _ => format!(
                "The findings of the recorded self-inspections (check --record) and their \
                 correction; overdue as of {}.",
                report.today
            ),
        })
    );
    let overdue = report
        .findings
        .iter()
        .filter(|f| f.is_overdue(report.today))
        .count();
    out.push_str("<table>");
    let mut columns: Vec<(&str, bool)> = FindingStatus::ALL
        .iter()
        .map(|s| (status_label(lang, *s), true))
        .collect();
    columns.push((lang.pick("うち期限超過", "of which overdue"), true));
    head(out, &columns);
    out.push_str("<tbody><tr>");
    for status in FindingStatus::ALL {
        let n = report
            .findings
            .iter()
            .filter(|f| f.status == status)
            .count();
        count(out, Some(&format!("findings.status.{}", status.code())), n);
    }
    count(out, Some("findings.overdue"), overdue);
    out.push_str("</tr></tbody></table>");

    let _ = write!(
        out,
        "<h3>{}</h3>",
        lang.pick(
            "是正が済んでいない指摘（未対応・是正中）",
            "Findings still to be corrected (open, in progress)"
        )
    );
    let pending: Vec<&TrackedFinding> = report
        .findings
        .iter()
        .filter(|f| f.status.is_pending())
        .collect();
    if pending.is_empty() {
        empty(out, lang);
    } else {
        pending_list(out, report, lang, &pending);
    }
    out.push_str("</section>");
}

/// The findings still to be corrected, by number, with owner and due date.
fn pending_list(out: &mut String, report: &AuditorReport, lang: Lang, pending: &[&TrackedFinding]) {
    table(out, &[6, 19, 19, 8, 11, 13, 24]);
    head(
        out,
        &[
            (lang.pick("番号", "no."), true),
            (lang.pick("ルール", "rule"), false),
            (lang.pick("資産（所管）", "asset (body)"), false),
            (lang.pick("状態", "status"), false),
            (lang.pick("担当者", "owner"), false),
            (lang.pick("是正期限", "due"), false),
            (lang.pick("内容", "finding"), false),
        ],
    );
    out.push_str("<tbody>");
    let unset = lang.pick("（未定）", "(not set)");
    for f in pending {
        let overdue = f.is_overdue(report.today);
        let _ = write!(
            out,
            "<tr data-finding=\"{}\" data-overdue=\"{overdue}\">",
            escape(&f.key)
        );
        count(out, None, f.id);
        let _ = write!(
            out,
            "<td>{}<span class=\"path\">{}</span></td>",
            escape(f.rule.code()),
            escape(lang.pick(f.rule.title_ja(), f.rule.title_en()))
        );
        let asset = f.assets.first().map_or_else(String::new, |id| {
            report.correction_assets.get(id).map_or_else(
                || format!("{id} {}", lang.pick("（削除済）", "(deleted)")),
                |(name, body)| format!("{name}（{}）", org(&report.policy, body, lang)),
            )
        });
        text_cell(out, &asset);
        text_cell(out, status_label(lang, f.status));
        text_cell(out, f.owner.as_deref().unwrap_or(unset));
        match f.due_on {
            None => text_cell(out, unset),
            Some(due) if overdue => {
                let _ = write!(
                    out,
                    "<td>{due} <span class=\"state-bad\">{}</span></td>",
                    lang.pick("期限超過", "overdue")
                );
            }
            Some(due) => text_cell(out, &due.to_string()),
        }
        text_cell(out, lang.pick(&f.message_ja, &f.message_en));
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

fn state_label(lang: Lang, state: AttestationState) -> &'static str {
    match (lang, state) {
        (Lang::Ja, _) => state.label_ja(),
        (_, AttestationState::Attested) => "attested",
        (_, AttestationState::Overdue) => "overdue",
        _ => "open",
    }
}

/// The key of a section's number: `campaign.section.ORG/DEPT.FIELD`.
fn section_key(s: &SectionStatus, field: &str) -> String {
    format!(
        "campaign.section.{}/{}.{field}",
        s.organization, s.department
    )
}

pub(super) fn attestation(out: &mut String, report: &AuditorReport, lang: Lang) {
    let Some(status) = &report.campaign else {
        return;
    };
    let (id, title) = heading(report, "attestation", lang);
    section(out, id, &title);
    campaign_facts(out, report, status, lang);
    let sections = &status.sections;
    let in_state = |state: AttestationState| sections.iter().filter(|s| s.state == state).count();
    let unconfirmed: usize = sections.iter().map(|s| s.unconfirmed.len()).sum();
    out.push_str("<table>");
    head(
        out,
        &[
            (lang.pick("所属数", "sections"), true),
            (state_label(lang, AttestationState::Attested), true),
            (state_label(lang, AttestationState::Open), true),
            (state_label(lang, AttestationState::Overdue), true),
            (
                lang.pick("確認後に加わった資産", "assets added since"),
                true,
            ),
        ],
    );
    out.push_str("<tbody><tr>");
    count(out, Some("campaign.sections"), sections.len());
    for state in [
        AttestationState::Attested,
        AttestationState::Open,
        AttestationState::Overdue,
    ] {
        count(
            out,
            Some(&format!("campaign.state.{}", state.code())),
            in_state(state),
        );
    }
    count(out, Some("campaign.unconfirmed"), unconfirmed);
    out.push_str("</tr></tbody></table>");
    section_list(out, report, status, lang);
    unconfirmed_list(out, report, status, lang);
    out.push_str("</section>");
}

/// The campaign's name, scope, due date and whether it is open.
fn campaign_facts(out: &mut String, report: &AuditorReport, status: &CampaignStatus, lang: Lang) {
    let c = &status.campaign;
    let japan = jiff::tz::Offset::constant(9);
    let day = |at: jiff::Timestamp| japan.to_datetime(at).date().to_string();
    let scope = c.organization.as_deref().map_or_else(
        || lang.pick("全所管", "every body").to_owned(),
        |code| body_name(report, code, lang),
    );
    let state = match (&c.closed_at, &c.closed_by) {
        (Some(at), by) => match lang {
            Lang::Ja => format!("終了（{} {}）", day(*at), by.as_deref().unwrap_or("")),
            _ => format!("closed ({} by {})", day(*at), by.as_deref().unwrap_or("?")),
        },
        _ => lang.pick("実施中", "open").to_owned(),
    };
    let rows = [
        (lang.pick("棚卸", "Campaign"), c.name.clone()),
        (lang.pick("対象", "Covers"), scope),
        (
            lang.pick("確認期限", "Due"),
            c.due_on.map_or_else(
                || lang.pick("（なし）", "(none)").to_owned(),
                |d| d.to_string(),
            ),
        ),
        (
            lang.pick("開始", "Started"),
            format!("{} {}", day(c.started_at), c.started_by),
        ),
        (lang.pick("状態", "State"), state),
    ];
    out.push_str("<table class=\"fixed\"><colgroup><col style=\"width:25%\"><col style=\"width:75%\"></colgroup><tbody>");
    for (label, value) in rows {
        let _ = write!(
            out,
            "<tr><th>{}</th><td>{}</td></tr>",
            escape(label),
            escape(&value)
        );
    }
    out.push_str("</tbody></table>");
}

/// Each section: state, who confirmed and when, how many.
fn section_list(out: &mut String, report: &AuditorReport, status: &CampaignStatus, lang: Lang) {
    let _ = write!(
        out,
        "<h3>{}</h3>",
        lang.pick("所管・所属ごとの確認", "By body and section")
    );
    table(out, &[14, 22, 11, 15, 12, 9, 9, 8]);
    head(
        out,
        &[
            (lang.pick("所管", "body"), false),
            (lang.pick("所属", "section"), false),
            (lang.pick("状態", "state"), false),
            (lang.pick("確認者", "attested by"), false),
            (lang.pick("確認日", "on"), false),
            (lang.pick("確認件数", "confirmed"), true),
            (lang.pick("現在の資産", "assets now"), true),
            (lang.pick("確認後の追加", "added since"), true),
        ],
    );
    out.push_str("<tbody>");
    for s in &status.sections {
        out.push_str("<tr>");
        text_cell(out, &body_name(report, &s.organization, lang));
        text_cell(out, &s.department);
        let class = match s.state {
            AttestationState::Attested => "state-ok",
            AttestationState::Overdue => "state-bad",
            _ => "",
        };
        let _ = write!(
            out,
            "<td><span class=\"{class}\">{}</span></td>",
            escape(state_label(lang, s.state))
        );
        text_cell(out, s.attested_by.as_deref().unwrap_or("—"));
        text_cell(
            out,
            &s.attested_on
                .map_or_else(|| "—".to_owned(), |d| d.to_string()),
        );
        match s.confirmed {
            Some(n) => count(out, Some(&section_key(s, "confirmed")), n),
            None => out.push_str("<td class=\"n\">—</td>"),
        }
        count(out, Some(&section_key(s, "assets_now")), s.assets_now);
        count(
            out,
            Some(&section_key(s, "unconfirmed")),
            s.unconfirmed.len(),
        );
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

/// The assets a section holds that its attestation did not confirm.
fn unconfirmed_list(out: &mut String, report: &AuditorReport, status: &CampaignStatus, lang: Lang) {
    let _ = write!(
        out,
        "<h3>{}</h3>",
        lang.pick(
            "確認後に加わった未確認の資産",
            "Assets added to a section after its attestation (not yet confirmed)"
        )
    );
    let rows: Vec<(&SectionStatus, &str)> = status
        .sections
        .iter()
        .flat_map(|s| {
            s.unconfirmed
                .iter()
                .map(move |(_, name)| (s, name.as_str()))
        })
        .collect();
    if rows.is_empty() {
        empty(out, lang);
        return;
    }
    table(out, &[20, 35, 45]);
    head(
        out,
        &[
            (lang.pick("所管", "body"), false),
            (lang.pick("所属", "section"), false),
            (lang.pick("資産", "asset"), false),
        ],
    );
    out.push_str("<tbody>");
    for (s, name) in rows {
        out.push_str("<tr>");
        text_cell(out, &body_name(report, &s.organization, lang));
        text_cell(out, &s.department);
        text_cell(out, name);
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}
