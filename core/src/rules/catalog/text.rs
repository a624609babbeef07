//! `text.my_number_like`: the register's own texts holding a number shaped
//! like a 個人番号, which the register must never hold (§6(3)ア; issue 13
//! item 8). The write path refuses them; this finds those written before.

use crate::mynumber::mask;
use crate::rules::findings::{CheckOptions, Findings};
use crate::rules::inherit::Inheritance;
use crate::rules::snapshot::{NumberInText, Snapshot};
use crate::table::Column;
use crate::table::headers::fold_header;

/// `text.my_number_like`: a free text (name, notes, an extra attribute …)
/// holding a number shaped like a 個人番号, on any asset (excluded and
/// disposed assets too: the register holds their texts all the same).
pub(super) fn my_number_like(
    snapshot: &Snapshot,
    _: &Inheritance,
    options: &CheckOptions,
    out: &mut Findings<'_>,
) {
    let range = out.assets();
    let first = snapshot
        .numbers
        .partition_point(|(index, _)| *index < range.start);
    for (v, hit) in snapshot.numbers[first..]
        .iter()
        .take_while(|(index, _)| *index < range.end)
    {
        if allowed(options, hit) {
            continue;
        }
        let name = mask(snapshot.name(*v));
        let masked = &hit.masked;
        let (ja, en) = match &hit.key {
            Some(key) => {
                let key = mask(key);
                (
                    format!("追加属性「{key}」"),
                    format!("the extra attribute `{key}`"),
                )
            }
            None => (
                hit.column.ja().to_owned(),
                format!("`{}`", hit.column.key()),
            ),
        };
        out.push(
            &[*v],
            format!("{name}の{ja}に個人番号と思われる数字（{masked}）が記録されています"),
            format!("{name} holds a number shaped like a My Number in {en} ({masked})"),
        );
    }
}

/// True when the check was told that the column may hold such numbers.
fn allowed(options: &CheckOptions, hit: &NumberInText) -> bool {
    options
        .allow_my_number_like
        .iter()
        .any(|given| match &hit.key {
            Some(key) => fold_header(given) == fold_header(key),
            None => Column::from_header(given) == Some(hit.column),
        })
}
