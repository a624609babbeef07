//! `correction.*` and `pia.*`: what the register records beside its assets,
//! followed up: corrections past their due date, and the 特定個人情報保護評価
//! each 事務 of 特定個人情報 needs.

use crate::policy::PiaKind;
use crate::rules::findings::{CheckOptions, Findings};
use crate::rules::inherit::Inheritance;
use crate::rules::snapshot::{ProcessNode, Snapshot};

/// `correction.overdue`: a tracked finding still open or in progress past
/// its due date.
pub(super) fn correction_overdue(
    snapshot: &Snapshot,
    _: &Inheritance,
    options: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for c in &snapshot.corrections {
        if c.due_on >= options.today {
            continue;
        }
        let (owner_ja, owner_en) = c.owner.as_deref().map_or_else(
            || ("担当者未定".to_owned(), "no owner".to_owned()),
            |o| (format!("担当 {o}"), format!("owner {o}")),
        );
        out.push(
            &[c.asset],
            format!(
                "指摘 #{}（{}）の是正期限 {} を過ぎています（{owner_ja}）",
                c.id, c.key, c.due_on
            ),
            format!(
                "finding #{} ({}) was due for correction on {} ({owner_en})",
                c.id, c.key, c.due_on
            ),
        );
    }
}

/// What a 事務's figures say, for messages: persons, handlers, incident.
fn figures(snapshot: &Snapshot, p: &ProcessNode, options: &CheckOptions) -> (String, String) {
    let need = snapshot
        .policy
        .pia()
        .need(p.persons, p.handlers, p.incident_on, options.today);
    let persons = need.persons.unwrap_or_default();
    let (incident_ja, incident_en) = if need.serious_incident {
        (
            "、過去1年に重大事故あり",
            ", a serious incident in the last year",
        )
    } else {
        ("", "")
    };
    (
        format!("対象人数 {persons}人・取扱者 {}人{incident_ja}", p.handlers),
        format!("{persons} persons, {} handlers{incident_en}", p.handlers),
    )
}

/// The evaluation a 事務 needs on the check's day, and its first file.
fn required(
    snapshot: &Snapshot,
    p: &ProcessNode,
    options: &CheckOptions,
) -> Option<(PiaKind, u32)> {
    let need = snapshot
        .policy
        .pia()
        .need(p.persons, p.handlers, p.incident_on, options.today);
    Some((need.required?, *p.files.first()?))
}

/// `pia.evaluation_missing`: a 事務 that needs an evaluation with none recorded.
pub(super) fn evaluation_missing(
    snapshot: &Snapshot,
    _: &Inheritance,
    options: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for p in snapshot.processes.iter().filter(|p| p.done.is_none()) {
        let Some((kind, file)) = required(snapshot, p, options) else {
            continue;
        };
        let (ja, en) = figures(snapshot, p, options);
        out.push(
            &[file],
            format!(
                "事務「{}」（{ja}）は{}が必要ですが、実施した評価が記録されていません",
                p.name,
                kind.label_ja()
            ),
            format!(
                "process `{}` ({en}) needs a {}, and none is recorded",
                p.name,
                kind.label_en()
            ),
        );
    }
}

/// `pia.evaluation_insufficient`: a 事務 whose recorded evaluation is less
/// thorough than its figures require.
pub(super) fn evaluation_insufficient(
    snapshot: &Snapshot,
    _: &Inheritance,
    options: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for p in &snapshot.processes {
        let (Some((kind, file)), Some((done, _))) = (required(snapshot, p, options), p.done) else {
            continue;
        };
        if done >= kind {
            continue;
        }
        let (ja, en) = figures(snapshot, p, options);
        out.push(
            &[file],
            format!(
                "事務「{}」（{ja}）は{}が必要ですが、実施した評価は{}です",
                p.name,
                kind.label_ja(),
                done.label_ja()
            ),
            format!(
                "process `{}` ({en}) needs a {}, but a {} was done",
                p.name,
                kind.label_en(),
                done.label_en()
            ),
        );
    }
}

/// `pia.evaluation_stale`: a 事務's evaluation published longer ago than the
/// policy's `valid_years` (re-evaluation at least every five years).
pub(super) fn evaluation_stale(
    snapshot: &Snapshot,
    _: &Inheritance,
    options: &CheckOptions,
    out: &mut Findings<'_>,
) {
    let thresholds = snapshot.policy.pia();
    for p in &snapshot.processes {
        let (Some((_, file)), Some((done, published))) = (required(snapshot, p, options), p.done)
        else {
            continue;
        };
        if !thresholds.is_stale(published, options.today) {
            continue;
        }
        let years = thresholds.valid_years;
        out.push(
            &[file],
            format!(
                "事務「{}」の{}は {published} の公表から{years}年を過ぎています。再評価してください",
                p.name,
                done.label_ja()
            ),
            format!(
                "the {} of process `{}` was published on {published}, more than {years} years ago; evaluate again",
                done.label_en(),
                p.name
            ),
        );
    }
}
