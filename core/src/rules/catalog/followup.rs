//! `correction.*` and `pia.*`: what the register records beside its assets,
//! followed up: corrections past their due date, and the 特定個人情報保護評価
//! each 事務 of 特定個人情報 needs.

use crate::policy::PiaKind;
use crate::rules::findings::{CheckOptions, Findings, Subject};
use crate::rules::inherit::Inheritance;
use crate::rules::snapshot::{CorrectionNode, ProcessNode, Snapshot};

/// `correction.overdue` in the catalog's run: nothing. It is computed after
/// the other rules (`check::overdue_corrections`), since it depends on the
/// keys the run finds; see [`overdue_message`].
pub(super) fn correction_overdue(
    _: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    _: &mut Findings<'_>,
) {
}

/// What `correction.overdue` says of a tracked finding still to be corrected
/// on the check's day, in Japanese and English; none before its due date.
pub(crate) fn overdue_message(
    c: &CorrectionNode,
    options: &CheckOptions,
) -> Option<(String, String)> {
    if c.due_on >= options.today {
        return None;
    }
    let (owner_ja, owner_en) = c.owner.as_deref().map_or_else(
        || ("担当者未定".to_owned(), "no owner".to_owned()),
        |o| (format!("担当 {o}"), format!("owner {o}")),
    );
    Some((
        format!(
            "指摘 #{}（{}）の是正期限 {} を過ぎています（{owner_ja}）",
            c.id, c.key, c.due_on
        ),
        format!(
            "finding #{} ({}) was due for correction on {} ({owner_en})",
            c.id, c.key, c.due_on
        ),
    ))
}

/// What a 事務's figures say, for messages: persons, handlers, incident.
fn figures(snapshot: &Snapshot, p: &ProcessNode, options: &CheckOptions) -> (String, String) {
    let need = snapshot
        .policy
        .pia()
        .need(p.persons, p.handlers, p.incident_on, options.today);
    let persons = need
        .persons
        .map_or_else(|| "?".to_owned(), |n| n.to_string());
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

/// The evaluation a 事務 needs on the check's day.
fn required(snapshot: &Snapshot, p: &ProcessNode, options: &CheckOptions) -> Option<PiaKind> {
    snapshot
        .policy
        .pia()
        .need(p.persons, p.handlers, p.incident_on, options.today)
        .required
}

/// A finding on the 事務 `p`, naming its files (if any).
fn push(out: &mut Findings<'_>, p: &ProcessNode, ja: String, en: String) {
    let subject = Subject::Process {
        id: p.id,
        name: p.name.clone(),
    };
    out.push_on(subject, &p.files, ja, en);
}

/// `pia.evaluation_missing`: a 事務 that needs an evaluation with none recorded.
pub(super) fn evaluation_missing(
    snapshot: &Snapshot,
    _: &Inheritance,
    options: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for p in snapshot.processes.iter().filter(|p| p.done.is_none()) {
        let Some(kind) = required(snapshot, p, options) else {
            continue;
        };
        let (ja, en) = figures(snapshot, p, options);
        push(
            out,
            p,
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
        let (Some(kind), Some((done, _))) = (required(snapshot, p, options), p.done) else {
            continue;
        };
        if done >= kind {
            continue;
        }
        let (ja, en) = figures(snapshot, p, options);
        push(
            out,
            p,
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
        let (Some(_), Some((done, published))) = (required(snapshot, p, options), p.done) else {
            continue;
        };
        if !thresholds.is_stale(published, options.today) {
            continue;
        }
        let years = thresholds.valid_years;
        push(
            out,
            p,
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

/// `pia.persons_unknown`: a 事務 whose 対象人数 is neither stated nor given by
/// the 件数 of a file of 特定個人情報, so that the threshold judgment cannot
/// be made.
pub(super) fn persons_unknown(
    snapshot: &Snapshot,
    _: &Inheritance,
    _: &CheckOptions,
    out: &mut Findings<'_>,
) {
    for p in snapshot.processes.iter().filter(|p| p.persons.is_none()) {
        push(
            out,
            p,
            format!(
                "事務「{}」の対象人数が不明です（対象人数の記載も、件数のある特定個人情報ファイルもありません）。しきい値判断ができません",
                p.name
            ),
            format!(
                "the number of persons of process `{}` is unknown (neither stated nor the 件数 of a file of 特定個人情報), so the evaluation it needs cannot be judged",
                p.name
            ),
        );
    }
}
