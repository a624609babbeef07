//! `manager.*` and `review.*`: the upkeep of the register itself (§7).

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

/// `review.overdue`: the last review is older than the policy's interval,
/// counted back from [`CheckOptions::today`].
pub(super) fn overdue(
    snapshot: &Snapshot,
    _: &Inheritance,
    options: &CheckOptions,
    out: &mut Findings<'_>,
) {
    let days = snapshot.policy.review_interval_days();
    let Ok(cutoff) = options
        .today
        .checked_sub(jiff::Span::new().days(i64::from(days)))
    else {
        return;
    };
    for (v, node) in snapshot.active(out.assets()) {
        let Some(date) = node.reviewed_on.filter(|date| *date < cutoff) else {
            continue;
        };
        let name = snapshot.name(v);
        out.push(
            &[v],
            format!(
                "{name}の最終点検日 {date} から{days}日を超えています（{}時点）",
                options.today
            ),
            format!(
                "{name} was last reviewed on {date}, more than {days} days before {}",
                options.today
            ),
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
