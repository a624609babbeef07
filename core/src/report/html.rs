//! The report's page: a cover, then one section a printed page (or more).
//!
//! Every number the page shows from `summary`, `check` or `risk` sits in a
//! table cell marked `data-count="KEY"`, the key naming where the same
//! number is in their JSON (`summary.by_kind.information`), so that tests
//! can hold the page to them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::markup::{STYLE, escape};
use super::svg::{self, Series};
use super::{AuditorReport, fiscal_year_label};
use crate::policy::{Axis, OrgCode, Policy};
use crate::rules::{Finding, RuleId, Severity, Step};
use crate::table::Column;
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
    excluded_and_disposed(&mut out, report, lang);
    reviews(&mut out, report, lang);
    changes(&mut out, report, lang);
    risks(&mut out, report, lang);
    let _ = write!(
        out,
        "</main><footer>daicho {} — {}</footer></body></html>\n",
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
        (
            lang.pick("基準日", "As of"),
            escape(&report.today.to_string()),
        ),
        (lang.pick("作成日時", "Made at"), escape(&made)),
        (lang.pick("作成者", "Made by"), escape(&report.actor)),
    ];
    for (label, value) in rows {
        let _ = write!(out, "<dt>{}</dt><dd>{value}</dd>", escape(label));
    }
    out.push_str("</dl></div><div class=\"figures\">");
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
    out.push_str("</div><nav class=\"toc\"><h3>");
    out.push_str(lang.pick("目次", "Contents"));
    out.push_str("</h3><ol>");
    for (id, ja, en) in SECTIONS {
        let _ = write!(out, "<li><a href=\"#{id}\">{}</a></li>", lang.pick(ja, en));
    }
    out.push_str("</ol></nav></section>");
}

/// The sections after the cover: id, Japanese and English heading.
const SECTIONS: [(&str, &str, &str); 6] = [
    ("summary", "1. 資産の概要", "1. Assets at a glance"),
    ("inspection", "2. 自己点検の結果", "2. Self-inspection"),
    ("scope", "3. 適用除外と廃棄", "3. Exclusions and disposals"),
    ("reviews", "4. 点検の実施状況", "4. Reviews"),
    (
        "changes",
        "5. 過去12か月の変更",
        "5. Changes in the last twelve months",
    ),
    ("risks", "6. リスク評価", "6. Risks"),
];

fn heading(index: usize, lang: Lang) -> (&'static str, &'static str) {
    let (id, ja, en) = SECTIONS[index];
    (id, lang.pick(ja, en))
}

fn summary(out: &mut String, report: &AuditorReport, lang: Lang) {
    let (id, title) = heading(0, lang);
    section(out, id, title);
    let s = &report.summary;
    out.push_str("<table><thead><tr>");
    let figures = [
        (lang.pick("資産数", "assets"), "total", s.total),
        (lang.pick("対象", "in scope"), "in_scope", s.in_scope),
        (lang.pick("適用除外", "excluded"), "excluded", s.excluded),
        (lang.pick("廃棄済", "disposed"), "disposed", s.disposed),
        (lang.pick("関連", "links"), "links", s.links),
    ];
    for (label, _, _) in figures {
        let _ = write!(out, "<th class=\"n\">{label}</th>");
    }
    out.push_str("</tr></thead><tbody><tr>");
    for (_, key, n) in figures {
        count(out, Some(&format!("summary.{key}")), n);
    }
    out.push_str("</tr></tbody></table>");

    // Body × confidentiality: a heat map, and the same counts as a heat table.
    let policy = &report.policy;
    let levels = &policy.scale(Axis::Confidentiality).levels;
    let level_labels: Vec<String> = levels.iter().map(|d| d.level.code().to_owned()).collect();
    let rows: Vec<String> = s
        .by_organization
        .iter()
        .map(|(code, _)| org(policy, code, lang).to_owned())
        .collect();
    let values: Vec<Vec<u64>> = s
        .by_organization
        .iter()
        .map(|(_, counts)| counts.iter().map(|(_, n)| *n).collect())
        .collect();
    let _ = write!(
        out,
        "<h3>{}</h3>",
        lang.pick(
            "所管別・機密性別（対象資産）",
            "By body and confidentiality (in scope)"
        )
    );
    figure(
        out,
        lang.pick(
            "図1 所管×機密性のヒートマップ",
            "Figure 1: body × confidentiality",
        ),
        &svg::heat_map(
            "chart-body-level",
            title,
            &rows,
            &level_labels,
            &values,
            None,
        ),
    );
    let max = values.iter().flatten().copied().max().unwrap_or(0);
    out.push_str("<table>");
    let mut columns: Vec<(&str, bool)> = vec![(lang.pick("所管", "body"), false)];
    columns.extend(level_labels.iter().map(|l| (l.as_str(), true)));
    columns.push((lang.pick("計", "total"), true));
    head(out, &columns);
    out.push_str("<tbody>");
    for ((code, counts), label) in s.by_organization.iter().zip(&rows) {
        out.push_str("<tr>");
        text_cell(out, label);
        for (level, n) in counts {
            let (fill, ink) = svg::heat_color(*n, max);
            let _ = write!(
                out,
                "<td class=\"n heat\" style=\"background:{fill};color:{ink}\" data-count=\"{}\">{n}</td>",
                escape(&format!(
                    "summary.by_organization.{}.{}",
                    code.as_str(),
                    level.code()
                )),
            );
        }
        count(out, None, counts.iter().map(|(_, n)| n).sum::<u64>());
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");

    let by_kind: Vec<(String, String, u64)> = s
        .by_kind
        .iter()
        .map(|(kind, n)| {
            (
                format!(
                    "{} {}",
                    kind.letter(),
                    lang.pick(kind.label_ja(), kind.label_en())
                ),
                format!("summary.by_kind.{}", kind.code()),
                *n,
            )
        })
        .collect();
    let by_segment: Vec<(String, String, u64)> = s
        .by_segment
        .iter()
        .map(|(segment, n)| {
            let (label, code) = segment
                .map_or((lang.pick("（なし）", "(none)"), "none"), |s| {
                    (lang.pick(s.label_ja(), s.label_en()), s.code())
                });
            (label.to_owned(), format!("summary.by_segment.{code}"), *n)
        })
        .collect();
    let by_scope: Vec<(String, String, u64)> = s
        .by_scope
        .iter()
        .map(|(exclusion, n)| match exclusion {
            None => (
                lang.pick("対象", "in scope").to_owned(),
                "summary.by_scope.in_scope".to_owned(),
                *n,
            ),
            Some(code) => {
                let label = policy
                    .exclusions()
                    .iter()
                    .find(|e| &e.code == code)
                    .map_or_else(|| code.to_string(), |e| lang.pick(&e.ja, &e.en).to_owned());
                (
                    format!("{}: {label}", lang.pick("除外", "excluded")),
                    format!("summary.by_scope.{}", code.as_str()),
                    *n,
                )
            }
        })
        .collect();
    for (chart, ja, en, items) in [
        ("chart-kind", "種別", "By kind", &by_kind),
        (
            "chart-segment",
            "ネットワーク区分",
            "By segment",
            &by_segment,
        ),
        ("chart-scope", "適用範囲", "By scope", &by_scope),
    ] {
        let label = lang.pick(ja, en);
        let _ = write!(out, "<h3>{}</h3><div class=\"pair\">", escape(label));
        let bars: Vec<(String, u64)> = items.iter().map(|(l, _, n)| (l.clone(), *n)).collect();
        figure(out, label, &svg::bars(chart, label, &bars, ACCENT));
        out.push_str("<table>");
        head(
            out,
            &[(label, false), (lang.pick("資産数", "assets"), true)],
        );
        out.push_str("<tbody>");
        for (l, key, n) in items {
            out.push_str("<tr>");
            text_cell(out, l);
            count(out, Some(key), n);
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table></div>");
    }
    out.push_str("</section>");
}

/// A path of links as a person reads it: `A (イ) stored_on B (ア) → …`.
fn path_text(path: &[Step]) -> String {
    path.iter()
        .map(|s| {
            format!(
                "{} ({}) {} {} ({})",
                s.from.name,
                s.from.kind.letter(),
                s.relation,
                s.to.name,
                s.to.kind.letter()
            )
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

fn inspection(out: &mut String, report: &AuditorReport, lang: Lang) {
    let (id, title) = heading(1, lang);
    section(out, id, title);
    let check = &report.check;
    let policy = &report.policy;
    let _ = write!(
        out,
        "<p>{}</p>",
        escape(&match lang {
            Lang::Ja => format!(
                "{}時点の自己点検（基本方針 §7）。指摘は所管・重大度・ルールの順。",
                check.today
            ),
            _ => format!(
                "Self-inspection (basic policy §7) as of {}; findings by body, severity and rule.",
                check.today
            ),
        })
    );
    out.push_str("<table>");
    head(
        out,
        &[
            (lang.pick("点検対象", "checked"), true),
            (lang.pick("適用除外", "excluded"), true),
            (lang.pick("廃棄済", "disposed"), true),
            (lang.pick("関連", "links"), true),
            (severity(lang, Severity::Error), true),
            (severity(lang, Severity::Warning), true),
            (severity(lang, Severity::Info), true),
        ],
    );
    out.push_str("<tbody><tr>");
    count(out, Some("check.checked"), check.checked);
    count(out, Some("check.excluded"), check.excluded.len());
    count(out, Some("check.disposed"), check.disposed);
    count(out, Some("check.links"), check.links);
    for sev in Severity::ALL {
        count(
            out,
            Some(&format!("check.severity.{}", sev.code())),
            check.count(sev),
        );
    }
    out.push_str("</tr></tbody></table>");

    // By rule: a bar per rule with findings, and every rule's count.
    let mut by_rule: BTreeMap<usize, usize> = BTreeMap::new();
    for f in &check.findings {
        *by_rule.entry(f.rule as usize).or_default() += 1;
    }
    let _ = write!(out, "<h3>{}</h3>", lang.pick("ルール別", "By rule"));
    let bars: Vec<(String, u64)> = by_rule
        .iter()
        .map(|(&rule, &n)| (RuleId::ALL[rule].code().to_owned(), n as u64))
        .collect();
    if !bars.is_empty() {
        figure(
            out,
            lang.pick("図2 ルール別の指摘件数", "Figure 2: findings by rule"),
            &svg::bars("chart-rules", title, &bars, ACCENT),
        );
    }
    table(out, &[27, 9, 44, 10, 10]);
    head(
        out,
        &[
            (lang.pick("ルール", "rule"), false),
            (lang.pick("条項", "section"), false),
            (lang.pick("内容", "title"), false),
            (lang.pick("重大度", "severity"), false),
            (lang.pick("件数", "findings"), true),
        ],
    );
    out.push_str("<tbody>");
    for rule in RuleId::ALL {
        let n = by_rule.get(&(*rule as usize)).copied().unwrap_or(0);
        out.push_str("<tr>");
        text_cell(out, rule.code());
        text_cell(out, rule.section());
        text_cell(out, lang.pick(rule.title_ja(), rule.title_en()));
        let _ = write!(
            out,
            "<td class=\"sev sev-{}\">{}</td>",
            rule.severity().code(),
            severity(lang, rule.severity())
        );
        count(out, Some(&format!("check.rule.{}", rule.code())), n);
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");

    // By body and severity.
    let _ = write!(out, "<h3>{}</h3><table>", lang.pick("所管別", "By body"));
    head(
        out,
        &[
            (lang.pick("所管", "body"), false),
            (severity(lang, Severity::Error), true),
            (severity(lang, Severity::Warning), true),
            (severity(lang, Severity::Info), true),
            (lang.pick("計", "total"), true),
        ],
    );
    out.push_str("<tbody>");
    for organization in policy.organizations() {
        let of_body: Vec<&Finding> = check
            .findings
            .iter()
            .filter(|f| f.organization == organization.code)
            .collect();
        out.push_str("<tr>");
        text_cell(out, org(policy, &organization.code, lang));
        for sev in Severity::ALL {
            count(
                out,
                None,
                of_body.iter().filter(|f| f.severity == sev).count(),
            );
        }
        count(
            out,
            Some(&format!(
                "check.organization.{}",
                organization.code.as_str()
            )),
            of_body.len(),
        );
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");

    let _ = write!(out, "<h3>{}</h3>", lang.pick("指摘の一覧", "Findings"));
    if check.findings.is_empty() {
        empty(out, lang);
    } else {
        table(out, &[11, 8, 19, 22, 40]);
        head(
            out,
            &[
                (lang.pick("所管", "body"), false),
                (lang.pick("重大度", "severity"), false),
                (lang.pick("ルール・条項", "rule, section"), false),
                (lang.pick("資産", "assets"), false),
                (lang.pick("内容と根拠", "finding and why"), false),
            ],
        );
        out.push_str("<tbody>");
        for (i, f) in check.findings.iter().enumerate() {
            let assets = f
                .assets
                .iter()
                .map(|a| format!("{} ({})", a.name, a.kind.letter()))
                .collect::<Vec<_>>()
                .join(" / ");
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"sev sev-{code}\">{}</td><td>{}<br>{}</td><td>{}</td><td>{}",
                escape(org(policy, &f.organization, lang)),
                severity(lang, f.severity),
                escape(f.rule.code()),
                escape(f.section),
                escape(&assets),
                escape(lang.pick(&f.message_ja, &f.message_en)),
                code = f.severity.code(),
            );
            if let Some(path) = report.explanations.get(i).filter(|p| !p.is_empty()) {
                let _ = write!(
                    out,
                    "<span class=\"path\">{}: {}</span>",
                    lang.pick("経路", "path"),
                    escape(&path_text(path))
                );
            }
            if let Some(exception) = f.exception {
                let _ = write!(
                    out,
                    "<span class=\"path\">{} #{exception}</span>",
                    lang.pick("例外措置", "exception")
                );
            }
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
}

fn excluded_and_disposed(out: &mut String, report: &AuditorReport, lang: Lang) {
    let (id, title) = heading(2, lang);
    section(out, id, title);
    let policy = &report.policy;
    let _ = write!(
        out,
        "<h3>{}</h3>",
        lang.pick(
            "適用除外の資産と理由（基本方針 §4(2)）",
            "Excluded assets and their reasons (basic policy §4(2))"
        )
    );
    if report.check.excluded.is_empty() {
        empty(out, lang);
    } else {
        table(out, &[40, 18, 30, 12]);
        head(
            out,
            &[
                (lang.pick("資産", "asset"), false),
                (lang.pick("所管", "body"), false),
                (lang.pick("理由", "reason"), false),
                (lang.pick("状態", "state"), false),
            ],
        );
        out.push_str("<tbody>");
        for e in &report.check.excluded {
            let reason = policy
                .exclusions()
                .iter()
                .find(|x| x.code == e.reason)
                .map_or(e.reason.as_str(), |x| lang.pick(&x.ja, &x.en));
            out.push_str("<tr>");
            text_cell(out, &e.asset.name);
            text_cell(out, org(policy, &e.organization, lang));
            text_cell(out, reason);
            text_cell(
                out,
                if e.disposed {
                    lang.pick("廃棄済", "disposed")
                } else {
                    lang.pick("使用中", "in use")
                },
            );
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
    }
    let year = fiscal_year_label(report.fiscal_year, lang);
    let _ = write!(
        out,
        "<h3>{}</h3>",
        escape(&match lang {
            Lang::Ja => format!("{year}の廃棄（方法・承認者）"),
            _ => format!("Disposals of {year} (method, approver)"),
        })
    );
    if report.disposals.is_empty() {
        empty(out, lang);
    } else {
        table(out, &[12, 22, 20, 12, 10, 12, 12]);
        head(
            out,
            &[
                (lang.pick("廃棄日", "date"), false),
                (lang.pick("資産", "asset"), false),
                (lang.pick("所管・所属", "body, department"), false),
                (lang.pick("方法", "method"), false),
                (lang.pick("担当者", "by"), false),
                (lang.pick("承認者", "approver"), false),
                (lang.pick("証明書", "certificate"), false),
            ],
        );
        out.push_str("<tbody>");
        let missing = lang.pick("（未記入）", "(missing)");
        for d in &report.disposals {
            out.push_str("<tr>");
            text_cell(out, &d.disposal.date.to_string());
            text_cell(out, &d.name);
            text_cell(
                out,
                &format!("{} {}", org(policy, &d.organization, lang), d.department),
            );
            text_cell(out, d.disposal.method.as_deref().unwrap_or(missing));
            text_cell(out, &d.disposal.person);
            text_cell(out, d.disposal.approver.as_deref().unwrap_or(missing));
            text_cell(out, d.disposal.certificate.as_deref().unwrap_or("—"));
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
}

fn reviews(out: &mut String, report: &AuditorReport, lang: Lang) {
    let (id, title) = heading(3, lang);
    section(out, id, title);
    let _ = write!(
        out,
        "<h3>{}</h3><div class=\"pair\">",
        lang.pick(
            "最終点検の年度（対象資産）",
            "Fiscal year of the last review (in scope)"
        )
    );
    let label = |year: Option<i16>| {
        year.map_or_else(
            || lang.pick("未点検", "never").to_owned(),
            |y| fiscal_year_label(y, lang),
        )
    };
    let bars: Vec<(String, u64)> = report
        .reviews
        .iter()
        .map(|(year, n)| (label(*year), *n))
        .collect();
    figure(
        out,
        lang.pick("図3 最終点検の年度", "Figure 3: last review by fiscal year"),
        &svg::bars("chart-reviews", title, &bars, SECOND),
    );
    out.push_str("<table>");
    head(
        out,
        &[
            (lang.pick("年度", "fiscal year"), false),
            (lang.pick("資産数", "assets"), true),
        ],
    );
    out.push_str("<tbody>");
    for (year, n) in &report.reviews {
        out.push_str("<tr>");
        text_cell(out, &label(*year));
        count(out, None, n);
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");

    let _ = write!(
        out,
        "<h3>{}</h3>",
        lang.pick(
            "点検期限を過ぎた資産・未点検の資産（所管別）",
            "Overdue or never reviewed, by body"
        )
    );
    let overdue: Vec<&Finding> = report
        .check
        .findings
        .iter()
        .filter(|f| matches!(f.rule, RuleId::ReviewOverdue | RuleId::ReviewMissing))
        .collect();
    if overdue.is_empty() {
        empty(out, lang);
    } else {
        table(out, &[20, 44, 16, 20]);
        head(
            out,
            &[
                (lang.pick("所管", "body"), false),
                (lang.pick("資産", "asset"), false),
                (lang.pick("最終点検日", "last review"), false),
                (lang.pick("ルール", "rule"), false),
            ],
        );
        out.push_str("<tbody>");
        for f in overdue {
            let Some(asset) = f.assets.first() else {
                continue;
            };
            out.push_str("<tr>");
            text_cell(out, org(&report.policy, &f.organization, lang));
            text_cell(out, &asset.name);
            text_cell(
                out,
                &report
                    .reviewed_on
                    .get(&asset.id)
                    .map_or_else(|| "—".to_owned(), ToString::to_string),
            );
            text_cell(out, f.rule.code());
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
}

fn changes(out: &mut String, report: &AuditorReport, lang: Lang) {
    let (id, title) = heading(4, lang);
    section(out, id, title);
    let months: Vec<String> = report
        .months
        .iter()
        .map(|m| match lang {
            Lang::Ja => format!("{}月", m.month),
            _ => format!("{}-{:02}", m.year % 100, m.month),
        })
        .collect();
    let (created, changed, disposed) = (
        lang.pick("新規", "created"),
        lang.pick("変更", "changed"),
        lang.pick("廃棄", "disposed"),
    );
    figure(
        out,
        lang.pick(
            "図4 月別の登録・変更・廃棄（監査ログより）",
            "Figure 4: assets created, changed and disposed per month (from the audit log)",
        ),
        &svg::columns(
            "chart-changes",
            title,
            &months,
            &[
                Series {
                    name: created,
                    color: ACCENT,
                    values: report.months.iter().map(|m| m.created).collect(),
                },
                Series {
                    name: changed,
                    color: SECOND,
                    values: report.months.iter().map(|m| m.changed).collect(),
                },
                Series {
                    name: disposed,
                    color: THIRD,
                    values: report.months.iter().map(|m| m.disposed).collect(),
                },
            ],
        ),
    );
    out.push_str("<table>");
    head(
        out,
        &[
            (lang.pick("月", "month"), false),
            (created, true),
            (changed, true),
            (disposed, true),
        ],
    );
    out.push_str("<tbody>");
    for m in &report.months {
        out.push_str("<tr>");
        text_cell(out, &format!("{}-{:02}", m.year, m.month));
        count(out, None, m.created);
        count(out, None, m.changed);
        count(out, None, m.disposed);
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    let _ = write!(
        out,
        "<h3>{}</h3>",
        lang.pick("変更の多い項目", "Fields changed most often")
    );
    if report.changed_fields.is_empty() {
        empty(out, lang);
    } else {
        out.push_str("<table>");
        head(
            out,
            &[
                (lang.pick("項目", "field"), false),
                (lang.pick("変更回数", "changes"), true),
            ],
        );
        out.push_str("<tbody>");
        for (field, n) in &report.changed_fields {
            let label = Column::ALL
                .iter()
                .find(|c| c.key() == *field)
                .map_or(*field, |c| lang.pick(c.ja(), c.en()));
            out.push_str("<tr>");
            text_cell(out, label);
            count(out, None, n);
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
}

/// Pale green, amber and red for the policy's bands from the lowest up;
/// a band beyond the third keeps the red.
const BAND_FILLS: [&str; 3] = ["#dcebdf", "#f6e3b4", "#f1c3c0"];

/// The fill of a risk value's band.
fn band_fill(report: &AuditorReport, value: u8) -> &'static str {
    let mut bands: Vec<u8> = report.policy.risk().bands.iter().map(|b| b.min).collect();
    bands.sort_unstable();
    let index = bands
        .iter()
        .filter(|&&min| min <= value)
        .count()
        .saturating_sub(1);
    BAND_FILLS[index.min(BAND_FILLS.len() - 1)]
}

fn risks(out: &mut String, report: &AuditorReport, lang: Lang) {
    let (id, title) = heading(5, lang);
    section(out, id, title);
    let _ = write!(
        out,
        "<p>{}</p>",
        lang.pick(
            "リスク値＝重要度×被害発生可能性（IPA方式の3×3マトリクス）。セルは該当する評価の件数。",
            "Risk value = importance × damage likelihood (the IPA 3×3 matrix); each cell counts the assessments."
        )
    );
    let entries = &report.risks.entries;
    let mut matrix = [[0_u64; 3]; 3];
    for e in entries {
        if (1..=3).contains(&e.importance) && (1..=3).contains(&e.damage_likelihood) {
            matrix[usize::from(3 - e.importance)][usize::from(e.damage_likelihood - 1)] += 1;
        }
    }
    let importance = |i: u8| format!("{} {i}", lang.pick("重要度", "importance"));
    let damage = |d: u8| format!("{} {d}", lang.pick("被害発生可能性", "damage"));
    let rows: Vec<String> = (1..=3).rev().map(importance).collect();
    let columns: Vec<String> = (1..=3).map(|d: u8| d.to_string()).collect();
    let values: Vec<Vec<u64>> = matrix.iter().map(|row| row.to_vec()).collect();
    // Each cell takes the color of its risk value's band, as the IPA matrix shows it.
    let fills: Vec<Vec<&str>> = (1..=3_u8)
        .rev()
        .map(|i| (1..=3_u8).map(|d| band_fill(report, i * d)).collect())
        .collect();
    figure(
        out,
        lang.pick(
            "図5 リスクマトリクス（縦：重要度、横：被害発生可能性）",
            "Figure 5: risk matrix (rows: importance, columns: damage likelihood)",
        ),
        &svg::heat_map("chart-risks", title, &rows, &columns, &values, Some(&fills)),
    );
    out.push_str("<table>");
    let labels: Vec<String> = (1..=3).map(damage).collect();
    let mut head_columns: Vec<(&str, bool)> = vec![(lang.pick("重要度", "importance"), false)];
    head_columns.extend(labels.iter().map(|l| (l.as_str(), true)));
    head(out, &head_columns);
    out.push_str("<tbody>");
    for (r, row) in matrix.iter().enumerate() {
        let i = 3 - r;
        out.push_str("<tr>");
        text_cell(out, &rows[r]);
        for (c, n) in row.iter().enumerate() {
            let _ = write!(
                out,
                "<td class=\"n heat\" style=\"background:{}\" data-count=\"risks.matrix.{i}.{}\">{n}</td>",
                band_fill(report, (i * (c + 1)) as u8),
                c + 1
            );
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");

    let _ = write!(
        out,
        "<h3>{}</h3>",
        lang.pick("リスク値の高い順", "Highest risks first")
    );
    if entries.is_empty() {
        empty(out, lang);
    } else {
        table(out, &[22, 12, 27, 9, 12, 9, 9]);
        head(
            out,
            &[
                (lang.pick("資産", "asset"), false),
                (lang.pick("所管", "body"), false),
                (lang.pick("脅威", "threat"), false),
                (lang.pick("重要度", "importance"), true),
                (lang.pick("被害発生可能性", "damage"), true),
                (lang.pick("リスク値", "value"), true),
                (lang.pick("区分", "band"), false),
            ],
        );
        out.push_str("<tbody>");
        let risk = report.policy.risk();
        for e in entries {
            let threat = risk
                .threats
                .iter()
                .find(|t| t.code == e.threat)
                .map_or(e.threat.as_str(), |t| lang.pick(&t.ja, &t.en));
            let band = risk
                .bands
                .iter()
                .find(|b| b.code == e.band)
                .map_or(e.band.as_str(), |b| lang.pick(&b.ja, &b.en));
            out.push_str("<tr>");
            text_cell(out, &e.asset.name);
            text_cell(out, org(&report.policy, &e.organization, lang));
            text_cell(out, threat);
            count(out, None, e.importance);
            count(out, None, e.damage_likelihood);
            count(out, None, e.value);
            text_cell(out, band);
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("<table>");
    head(
        out,
        &[(
            lang.pick("未評価の対象資産", "in-scope assets not assessed"),
            true,
        )],
    );
    out.push_str("<tbody><tr>");
    count(
        out,
        Some("risks.not_assessed"),
        report.risks.not_assessed.len(),
    );
    out.push_str("</tr></tbody></table></section>");
}
