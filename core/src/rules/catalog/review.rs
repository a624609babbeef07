//! `manager.*` and `review.*`: the upkeep of the register itself: a manager
//! for every asset (§6(1), §6(2)), and the yearly self-inspection (§7).

use jiff::civil::Date;

use crate::policy::ReviewCycle;
use crate::rules::findings::{CheckOptions, Findings};
use crate::rules::inherit::Inheritance;
use crate::rules::snapshot::{MANAGER, Snapshot};

/// `manager.missing`: no 情報セキュリティ管理者.
pub(super) fn manager_missing(
    snapshot: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for (v, node) in snapshot.active(out.assets()) {
        if node.has(MANAGER) {
            continue;
        }
        let name = snapshot.name(v);
        out.push(
            &[v],
            format!("{name}に情報セキュリティ管理者が登録されていません"),
            format!("{name} has no information security manager (情報セキュリティ管理者)"),
        );
    }
}

/// `review.overdue`: the last review is older than the policy's cycle allows,
/// counted back from [`CheckOptions::today`]: a number of days, or (for
/// `fiscal_year`) before the start of the previous fiscal year (年度, from
/// 1 April), so that every asset is reviewed within the current or the
/// previous 年度.
pub(super) fn overdue(
    snapshot: &Snapshot,
    _: &Inheritance,
    options: &CheckOptions,
    out: &mut Findings<'_>,
) {
    let today = options.today;
    let (cutoff, why_ja, why_en) = match snapshot.policy.review_cycle() {
        ReviewCycle::Days(days) => {
            let Ok(cutoff) = today.checked_sub(jiff::Span::new().days(i64::from(days))) else {
                return;
            };
            (
                cutoff,
                format!("{days}日を超えています"),
                format!("more than {days} days before {today}"),
            )
        }
        ReviewCycle::FiscalYear => {
            let fiscal = if today.month() >= 4 {
                today.year()
            } else {
                today.year() - 1
            };
            let Ok(cutoff) = Date::new(fiscal - 1, 4, 1) else {
                return;
            };
            (
                cutoff,
                format!("今年度・前年度（{cutoff}以降）に点検されていません"),
                format!(
                    "not within the current or previous fiscal year (since {cutoff}) as of {today}"
                ),
            )
        }
    };
    for (v, node) in snapshot.active(out.assets()) {
        let Some(date) = node.reviewed_on.filter(|date| *date < cutoff) else {
            continue;
        };
        let name = snapshot.name(v);
        let ja = match snapshot.policy.review_cycle() {
            ReviewCycle::Days(_) => {
                format!("{name}の最終点検日 {date} から{why_ja}（{today}時点）")
            }
            ReviewCycle::FiscalYear => {
                format!("{name}の最終点検日は {date} で、{why_ja}（{today}時点）")
            }
        };
        out.push(
            &[v],
            ja,
            format!("{name} was last reviewed on {date}, {why_en}"),
        );
    }
}

/// `review.missing`: no review date.
pub(super) fn missing(
    snapshot: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for (v, node) in snapshot.active(out.assets()) {
        if node.reviewed_on.is_some() {
            continue;
        }
        let name = snapshot.name(v);
        out.push(
            &[v],
            format!("{name}の点検日がありません"),
            format!("{name} has never been reviewed"),
        );
    }
}
