//! The summary and the self-inspection.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{
    ACCENT, count, empty, figure, head, heading, org, section, severity, table, text_cell,
};
use crate::policy::Axis;
use crate::report::AuditorReport;
use crate::report::markup::escape;
use crate::report::svg;
use crate::rules::{Finding, RuleId, Severity, Step};
use crate::text::Lang;

pub(super) fn summary(out: &mut String, report: &AuditorReport, lang: Lang) {
    let (id, title) = heading(report, "summary", lang);
    let title = title.as_str();
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
    body_by_level(out, report, lang, title);
    breakdowns(out, report, lang);
    out.push_str("</section>");
}

/// Body × confidentiality: a heat map, and the same counts as a heat table.
fn body_by_level(out: &mut String, report: &AuditorReport, lang: Lang, title: &str) {
    let s = &report.summary;
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
}

/// By kind, segment and scope: bars, each beside its table.
fn breakdowns(out: &mut String, report: &AuditorReport, lang: Lang) {
    let s = &report.summary;
    let policy = &report.policy;
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

pub(super) fn inspection(out: &mut String, report: &AuditorReport, lang: Lang) {
    let (id, title) = heading(report, "inspection", lang);
    let title = title.as_str();
    section(out, id, title);
    let check = &report.check;
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
    by_rule(out, report, lang, title);
    by_body(out, report, lang);
    finding_list(out, report, lang);
    out.push_str("</section>");
}

/// By rule: a bar per rule with findings, and every rule's count.
fn by_rule(out: &mut String, report: &AuditorReport, lang: Lang, title: &str) {
    let check = &report.check;
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
}

/// By body and severity.
fn by_body(out: &mut String, report: &AuditorReport, lang: Lang) {
    let (check, policy) = (&report.check, &report.policy);
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
}

/// Every finding, with the path that explains it where its rule has one.
fn finding_list(out: &mut String, report: &AuditorReport, lang: Lang) {
    let (check, policy) = (&report.check, &report.policy);
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
}
