//! The report's page: a cover, then one section a printed page (or more):
//! `overview.rs` has the summary and the self-inspection, `records.rs` the
//! exclusions, disposals, reviews, changes and risks, `cycle.rs` the
//! corrections (是正) and the attestation campaign (棚卸).
//!
//! Every number the page shows from `summary`, `check` or `risk` sits in a
//! table cell marked `data-count="KEY"`, the key naming where the same
//! number is in their JSON (`summary.by_kind.information`), so that tests
//! can hold the page to them; the corrections' counts are those of
//! `findings` (`findings.status.open`), the campaign's those of `campaign
//! status` (`campaign.state.attested`).

use std::fmt::Write as _;

use super::AuditorReport;
use super::markup::{STYLE, escape};
use cycle::{attestation, corrections};
use overview::{inspection, summary};
use records::{changes, excluded_and_disposed, reviews, risks};

mod cycle;
mod overview;
mod records;
use crate::policy::{OrgCode, Policy};
use crate::rules::Severity;
use crate::text::Lang;

const ACCENT: &str = "#1f3a5f";
const SECOND: &str = "#6b8fb3";
const THIRD: &str = "#c98b2b";

/// The whole page.
pub(super) fn page(report: &AuditorReport, lang: Lang) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let title = lang.pick(
        "情報資産管理台帳 監査報告書",
        "Information asset register: audit report",
    );
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head><body><main>",
        code = lang.pick("ja", "en"),
        title = escape(title),
    );
    cover(&mut out, report, lang, title);
    summary(&mut out, report, lang);
    inspection(&mut out, report, lang);
    corrections(&mut out, report, lang);
    excluded_and_disposed(&mut out, report, lang);
    reviews(&mut out, report, lang);
    attestation(&mut out, report, lang);
    changes(&mut out, report, lang);
    risks(&mut out, report, lang);
    let _ = writeln!(
        out,
        "</main><footer>daicho {} — {}</footer></body></html>",
        env!("CARGO_PKG_VERSION"),
        escape(&report.made_at.to_string())
    );
    out
}

fn org<'a>(policy: &'a Policy, code: &'a OrgCode, lang: Lang) -> &'a str {
    lang.pick(policy.organization_ja(code), policy.organization_en(code))
}

fn severity(lang: Lang, severity: Severity) -> &'static str {
    lang.pick(severity.label_ja(), severity.code())
}

/// A section with its heading.
fn section(out: &mut String, id: &str, heading: &str) {
    let _ = write!(out, "<section id=\"{id}\"><h2>{}</h2>", escape(heading));
}

/// Opens a table; with widths (percent of the page) its columns keep them,
/// so long names wrap instead of squeezing the short columns.
fn table(out: &mut String, widths: &[u8]) {
    if widths.is_empty() {
        out.push_str("<table>");
        return;
    }
    out.push_str("<table class=\"fixed\"><colgroup>");
    for width in widths {
        let _ = write!(out, "<col style=\"width:{width}%\">");
    }
    out.push_str("</colgroup>");
}

/// A table's head row.
fn head(out: &mut String, columns: &[(&str, bool)]) {
    out.push_str("<thead><tr>");
    for (label, numeric) in columns {
        let class = if *numeric { " class=\"n\"" } else { "" };
        let _ = write!(out, "<th{class}>{}</th>", escape(label));
    }
    out.push_str("</tr></thead>");
}

/// A number cell; with a key when the number is one of `summary`, `check` or `risk`.
fn count(out: &mut String, key: Option<&str>, n: impl std::fmt::Display) {
    match key {
        Some(key) => {
            let _ = write!(
                out,
                "<td class=\"n\" data-count=\"{}\">{n}</td>",
                escape(key)
            );
        }
        None => {
            let _ = write!(out, "<td class=\"n\">{n}</td>");
        }
    }
}

fn text_cell(out: &mut String, text: &str) {
    let _ = write!(out, "<td>{}</td>", escape(text));
}

fn empty(out: &mut String, lang: Lang) {
    let _ = write!(
        out,
        "<p class=\"empty\">{}</p>",
        lang.pick("該当なし。", "None.")
    );
}

fn figure(out: &mut String, caption: &str, svg: &str) {
    let _ = write!(
        out,
        "<figure><figcaption>{}</figcaption>{svg}</figure>",
        escape(caption)
    );
}

fn cover(out: &mut String, report: &AuditorReport, lang: Lang, title: &str) {
    let policy = &report.policy;
    let city = report
        .city
        .clone()
        .unwrap_or_else(|| lang.pick(policy.title_ja(), policy.title_en()).to_owned());
    let verified = report.verification.is_ok();
    let head = report.verification.head();
    let _ = write!(
        out,
        "<section class=\"cover\" id=\"cover\"><p class=\"kicker\">{kicker}</p><h1>{title}</h1>\
         <p class=\"city\">{city}</p><div class=\"seal\"><dl>",
        kicker = lang.pick("自己点検・監査資料", "SELF-INSPECTION AND AUDIT"),
        title = escape(title),
        city = escape(&city),
    );
    let state = if verified {
        format!(
            "<span class=\"state-ok\">{}</span>",
            lang.pick("検証済み（改ざんなし）", "verified (unaltered)")
        )
    } else {
        format!(
            "<span class=\"state-bad\">{}</span> {}",
            lang.pick("検証失敗", "verification failed"),
            escape(&report.verification.problems().join("; "))
        )
    };
    let made = jiff::tz::Offset::constant(9)
        .to_datetime(report.made_at)
        .strftime("%Y-%m-%d %H:%M JST")
        .to_string();
    let path = report.register_path.as_ref().map_or_else(
        || lang.pick("（メモリ上）", "(in memory)").to_owned(),
        |p| p.display().to_string(),
    );
    let rows: [(&str, String); 8] = [
        (
            lang.pick("ポリシー", "Policy"),
            escape(&format!(
                "{} — {} ({})",
                policy.name(),
                lang.pick(policy.title_ja(), policy.title_en()),
                policy.version()
            )),
        ),
        (
            lang.pick("ポリシーのSHA-256", "Policy SHA-256"),
            format!("<span class=\"digest\">{}</span>", escape(policy.sha256())),
        ),
        (lang.pick("台帳ファイル", "Register file"), escape(&path)),
        (lang.pick("監査ログ", "Audit log"), state),
        (
            lang.pick("記録件数・先頭", "Entries and head"),
            format!(
                "{} {} <span class=\"digest\">{}</span>",
                head.entries,
                lang.pick("件", "entries"),
                escape(&head.to_string())
            ),
        ),
        (lang.pick("基準日", "As of"), as_of(report, lang)),
        (lang.pick("作成日時", "Made at"), escape(&made)),
        (lang.pick("作成者", "Made by"), escape(&report.actor)),
    ];
    for (label, value) in rows {
        let _ = write!(out, "<dt>{}</dt><dd>{value}</dd>", escape(label));
    }
    out.push_str("</dl></div>");
    key_figures(out, report, lang);
    let _ = write!(
        out,
        "<p class=\"finding\">{}</p>",
        escape(&overview(report, lang))
    );
    contents(out, report, lang);
    out.push_str("</section>");
}

/// The cover's day: the report's, or the past day whose register it shows,
/// with its basis (the audit log's entries up to then).
fn as_of(report: &AuditorReport, lang: Lang) -> String {
    let Some(past) = report.as_of else {
        return escape(&report.today.to_string());
    };
    let (day, n) = (past.day, past.entries);
    let basis = match lang {
        Lang::Ja if n == 0 => format!("{day} 終了時点の台帳（監査ログにまだ記録がなく、空の台帳）"),
        _ if n == 0 => format!(
            "the register as it stood at the end of {day} \
             (the audit log held no entry yet: an empty register)"
        ),
        Lang::Ja => format!(
            "{day} 終了時点の台帳（監査ログの第1件から第{n}件までを検証し、再構成したもの）"
        ),
        _ => format!(
            "the register as it stood at the end of {day} \
             (rebuilt from the audit log's entries 1 to {n}, verified)"
        ),
    };
    format!(
        "<span class=\"as-of\" data-as-of=\"{}\">{}</span>",
        escape(&day.to_string()),
        escape(&basis)
    )
}

/// The cover's one-sentence finding.
fn overview(report: &AuditorReport, lang: Lang) -> String {
    let check = &report.check;
    let (errors, warnings) = (check.count(Severity::Error), check.count(Severity::Warning));
    let entries = report.verification.head().entries;
    let verified = report.verification.is_ok();
    let past = report.as_of.map(|past| match lang {
        Lang::Ja => format!("{} 終了時点の台帳について、", past.day),
        _ => format!("As of the end of {}: ", past.day),
    });
    let sentence = match lang {
        Lang::Ja => format!(
            "対象資産{}件を自己点検し、違反{errors}件・要改善{warnings}件を認めた。監査ログ{entries}件の検証は{}。",
            check.checked,
            if verified {
                "異常なし"
            } else {
                "失敗（上記のとおり）"
            }
        ),
        _ => format!(
            "{} in-scope assets were inspected: {errors} errors and {warnings} warnings. \
             The audit log's {entries} entries {}.",
            check.checked,
            if verified {
                "verify"
            } else {
                "do not verify (see above)"
            }
        ),
    };
    match past {
        Some(past) => past + &sentence,
        None => sentence,
    }
}

/// The cover's boxes: assets, checked, and findings by severity.
fn key_figures(out: &mut String, report: &AuditorReport, lang: Lang) {
    out.push_str("<div class=\"figures\">");
    let check = &report.check;
    let figures = [
        (
            "",
            lang.pick("資産数", "assets"),
            "summary.total",
            report.summary.total,
        ),
        (
            "",
            lang.pick("点検対象", "checked"),
            "check.checked",
            check.checked as u64,
        ),
        (
            " error",
            severity(lang, Severity::Error),
            "check.severity.error",
            check.count(Severity::Error) as u64,
        ),
        (
            " warning",
            severity(lang, Severity::Warning),
            "check.severity.warning",
            check.count(Severity::Warning) as u64,
        ),
        (
            " info",
            severity(lang, Severity::Info),
            "check.severity.info",
            check.count(Severity::Info) as u64,
        ),
    ];
    for (class, label, key, n) in figures {
        let _ = write!(
            out,
            "<div class=\"figure-box{class}\"><span class=\"label\">{}</span>\
             <span class=\"value\" data-count=\"{key}\">{n}</span></div>",
            escape(label)
        );
    }
    out.push_str("</div>");
}

/// The table of contents.
fn contents(out: &mut String, report: &AuditorReport, lang: Lang) {
    out.push_str("<nav class=\"toc\"><h3>");
    out.push_str(lang.pick("目次", "Contents"));
    out.push_str("</h3><ol>");
    for (id, _, _) in shown(report) {
        let _ = write!(
            out,
            "<li><a href=\"#{id}\">{}</a></li>",
            escape(&heading(report, id, lang).1)
        );
    }
    out.push_str("</ol></nav>");
}

/// The sections after the cover: id, Japanese and English heading.
const SECTIONS: [(&str, &str, &str); 8] = [
    ("summary", "資産の概要", "Assets at a glance"),
    ("inspection", "自己点検の結果", "Self-inspection"),
    ("corrections", "是正の状況", "Corrections"),
    ("scope", "適用除外と廃棄", "Exclusions and disposals"),
    ("reviews", "点検の実施状況", "Reviews"),
    ("attestation", "棚卸（確認の状況）", "Attestation"),
    (
        "changes",
        "過去12か月の変更",
        "Changes in the last twelve months",
    ),
    ("risks", "リスク評価", "Risks"),
];

/// The sections the page shows: the attestation only once a campaign started.
fn shown(
    report: &AuditorReport,
) -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    SECTIONS
        .iter()
        .filter(|(id, _, _)| *id != "attestation" || report.campaign.is_some())
}

/// A section's id and its numbered heading (`3. 是正の状況`).
fn heading(report: &AuditorReport, id: &'static str, lang: Lang) -> (&'static str, String) {
    shown(report)
        .enumerate()
        .find(|(_, (shown_id, _, _))| *shown_id == id)
        .map_or_else(
            || (id, id.to_owned()),
            |(n, (_, ja, en))| (id, format!("{}. {}", n + 1, lang.pick(ja, en))),
        )
}
