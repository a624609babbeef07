//! `exception.*`: the register of exceptions (例外措置) itself.

use crate::rules::findings::{CheckOptions, Findings};
use crate::rules::inherit::Inheritance;
use crate::rules::snapshot::Snapshot;

/// `exception.expired`: an exception not ended whose expiry date is before
/// [`CheckOptions::today`]; it no longer covers any finding.
pub(super) fn expired(
    snapshot: &Snapshot,
    _: &Inheritance,
    options: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for exception in &snapshot.exceptions {
        let Some(expires) = exception.expires_on.filter(|d| *d < options.today) else {
            continue;
        };
        let mut assets = vec![exception.asset];
        assets.extend(exception.related);
        let id = exception.id;
        let rule = exception.rule;
        out.push(
            &assets,
            format!(
                "例外措置 #{id}（{rule}、承認者 {}）は {expires} に期限が切れています。更新するか終了してください",
                exception.approver
            ),
            format!(
                "exception #{id} ({rule}, approved by {}) expired on {expires}; renew or end it",
                exception.approver
            ),
        );
    }
}
