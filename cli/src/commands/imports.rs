//! `daicho import --list` and `daicho import --undo`: the recorded imports.

use daicho::{Error, Import, ImportEntryRecord, ImportRef, UndoRecord};

use super::Context;
use crate::args::{Format, Lang};
use crate::exit::Status;
use crate::output::{self, Rows, terminal_text};

/// Lists the recorded imports, oldest first.
pub(crate) fn list(ctx: &Context) -> anyhow::Result<Status> {
    let register = ctx.open()?;
    let imports = register.imports()?;
    let lang = ctx.lang();
    let mut rows = Rows::new(match lang {
        Lang::Ja => [
            "番号",
            "日時",
            "操作者",
            "ファイル",
            "資産 登録/変更/変更なし",
            "関連 登録/変更/変更なし",
            "監査ログ",
            "取消",
        ],
        Lang::En => [
            "id",
            "at",
            "actor",
            "source",
            "assets created/updated/unchanged",
            "links created/updated/unchanged",
            "entries",
            "undone",
        ],
    });
    let counts =
        |[created, updated, unchanged]: [u64; 3]| format!("{created}/{updated}/{unchanged}");
    for import in &imports {
        rows.push([
            import.id.to_string(),
            output::local_time(import.at),
            import.actor.clone(),
            import.source.clone(),
            counts(import.assets),
            counts(import.links),
            import.entries.to_string(),
            import.undone.as_ref().map_or_else(String::new, |(at, by)| {
                format!("{} ({by})", output::local_time(*at))
            }),
        ]);
    }
    let json: Vec<ImportEntryRecord> = imports.iter().map(ImportEntryRecord::from).collect();
    output::emit(ctx.format(), &rows, &json)?;
    Ok(Status::Success)
}

/// Reverts an import, or lists the assets that changed since and reverts nothing.
pub(crate) fn undo(ctx: &Context, which: &str) -> anyhow::Result<Status> {
    let which: ImportRef = which.parse()?;
    let mut register = ctx.open()?;
    let undo = match register.undo_import(which) {
        Ok(undo) => undo,
        Err(Error::ChangedSince { import, assets }) => {
            refused(ctx.lang(), import, &assets);
            return Ok(Status::Failure);
        }
        Err(other) => return Err(other.into()),
    };
    if ctx.format() == Format::Json {
        output::json(&UndoRecord::from(&undo))?;
        return Ok(Status::Success);
    }
    let Import { id, source, .. } = &undo.import;
    output::line(&match ctx.lang() {
        Lang::Ja => format!(
            "取込 {id}（{source}）を取り消しました: 資産 削除 {} 件・復元 {} 件、関連 削除 {} 件・復元 {} 件",
            undo.deleted, undo.restored, undo.links_removed, undo.links_restored
        ),
        Lang::En => format!(
            "undid import {id} ({source}): {} assets deleted, {} restored; {} links removed, {} restored",
            undo.deleted, undo.restored, undo.links_removed, undo.links_restored
        ),
    })?;
    Ok(Status::Success)
}

/// Says why an undo was refused, with every asset that changed since.
#[allow(clippy::print_stderr, reason = "errors are diagnostics")]
fn refused(lang: Lang, import: u64, assets: &[(daicho::AssetId, String)]) {
    eprintln!(
        "{} {}",
        crate::output::pick(lang, "エラー:", "error:"),
        match lang {
            Lang::Ja => format!(
                "取込 {import} は取り消せません: 取込の後に {} 件の資産が変更されています。何も取り消していません",
                assets.len()
            ),
            Lang::En => format!(
                "import {import} cannot be undone: {} {} it touched changed since; nothing was reverted",
                assets.len(),
                if assets.len() == 1 { "asset" } else { "assets" }
            ),
        }
    );
    for (id, name) in assets {
        eprintln!("  {} ({id})", terminal_text(name));
    }
}
