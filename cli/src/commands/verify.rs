//! `daicho verify`.

use daicho::VerificationRecord;

use super::Context;
use crate::args::Lang;
use crate::exit::Status;
use crate::output::{self, Rows, pick};

pub(crate) fn verify(ctx: &Context) -> anyhow::Result<Status> {
    let register = ctx.open()?;
    let report = register.verify()?;
    let lang = ctx.lang();
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["検査", "結果"],
        Lang::En => ["check", "result"],
    });
    let ok = pick(lang, "正常", "ok");
    rows.push([
        pick(lang, "データベース整合性", "database integrity").to_owned(),
        if report.database.is_empty() {
            ok.to_owned()
        } else {
            report.database.join("; ")
        },
    ]);
    rows.push([
        pick(lang, "関連の参照先", "link ends").to_owned(),
        if report.dangling_links == 0 {
            ok.to_owned()
        } else {
            format!(
                "{} {}",
                report.dangling_links,
                pick(lang, "件の参照切れ", "dangling links")
            )
        },
    ]);
    rows.push([
        pick(lang, "監査ログのハッシュ連鎖", "audit log hash chain").to_owned(),
        match &report.chain.first_broken {
            None => format!(
                "{ok} ({} {})",
                report.chain.entries,
                pick(lang, "件", "entries")
            ),
            Some(broken) => format!("entry {}: {}", broken.seq, broken.reason),
        },
    ]);
    output::emit(ctx.format(), &rows, &VerificationRecord::from(&report))?;
    Ok(if report.is_ok() {
        Status::Success
    } else {
        Status::Failure
    })
}
