//! Exclusions and disposals, reviews, the year's changes and the risks.

use std::fmt::Write as _;

use super::{
    ACCENT, SECOND, THIRD, count, empty, figure, head, heading, org, section, table, text_cell,
};
use crate::report::markup::escape;
use crate::report::svg::{self, Series};
use crate::report::{AuditorReport, ReviewYear, fiscal_year_label};
use crate::rules::{Finding, RuleId};
use crate::table::Column;
use crate::text::Lang;

pub(super) fn excluded_and_disposed(out: &mut String, report: &AuditorReport, lang: Lang) {
    let (id, title) = heading(report, "scope", lang);
    let title = title.as_str();
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

pub(super) fn reviews(out: &mut String, report: &AuditorReport, lang: Lang) {
    let (id, title) = heading(report, "reviews", lang);
    let title = title.as_str();
    section(out, id, title);
    let _ = write!(
        out,
        "<h3>{}</h3><div class=\"pair\">",
        lang.pick(
            "最終点検の年度（対象資産）",
            "Fiscal year of the last review (in scope)"
        )
    );
    let label = |year: ReviewYear| match year {
        ReviewYear::In(y) => fiscal_year_label(y, lang),
        ReviewYear::Before(y) => match lang {
            Lang::Ja => format!("{}より前", fiscal_year_label(y, lang)),
            _ => format!("before {}", fiscal_year_label(y, lang)),
        },
        ReviewYear::Never => lang.pick("未点検", "never").to_owned(),
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

pub(super) fn changes(out: &mut String, report: &AuditorReport, lang: Lang) {
    let (id, title) = heading(report, "changes", lang);
    let title = title.as_str();
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

pub(super) fn risks(out: &mut String, report: &AuditorReport, lang: Lang) {
    let (id, title) = heading(report, "risks", lang);
    let title = title.as_str();
    section(out, id, title);
    let _ = write!(
        out,
        "<p>{}</p>",
        lang.pick(
            "リスク値＝重要度×被害発生可能性（IPA方式の3×3マトリクス）。セルは該当する評価の件数。",
            "Risk value = importance × damage likelihood (the IPA 3×3 matrix); each cell counts the assessments."
        )
    );
    risk_matrix(out, report, lang, title);
    risk_list(out, report, lang);
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

/// Importance × damage likelihood: counts in cells colored by band.
fn risk_matrix(out: &mut String, report: &AuditorReport, lang: Lang, title: &str) {
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
}

/// The assessed risks, highest value first.
fn risk_list(out: &mut String, report: &AuditorReport, lang: Lang) {
    let entries = &report.risks.entries;
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
}
