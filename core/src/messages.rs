//! Messages in both languages: the Japanese rendering of every [`Error`] and
//! [`RowError`] beside their English `Display`.
//!
//! The design, for whoever adds a message: a reason that is made in one
//! place and shown in another is a [`Localized`] pair (`Error::Invalid`'s
//! `reason`, `RowError::reason`), written where the reason is known; a
//! variant with structured fields gets its Japanese text here, from the same
//! fields its English `#[error]` uses. Every value quoted goes through
//! [`Masked`], as in English. This module stands beside the column table, so
//! that field names are shown as the sheets' Japanese headers.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::error::{Error, RowError};
use crate::mynumber::Masked;
use crate::table::Column;
use crate::text::{Lang, Localized};

impl Error {
    /// The message in `lang`: the English one is `Display`'s.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Ja => self.ja(),
            _ => self.to_string(),
        }
    }

    /// The message in both languages.
    #[must_use]
    pub fn localized(&self) -> Localized {
        Localized::new(self.ja(), self.to_string())
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one arm a variant, as the English `#[error]` attributes are"
    )]
    fn ja(&self) -> String {
        match self {
            Error::Invalid {
                field,
                value,
                reason,
            } => format!(
                "{} `{}` は使えません: {}",
                field_ja(field),
                Masked(value),
                Masked(&reason.ja)
            ),
            Error::UnknownValue { field, value, .. } => format!(
                "{} `{}` は{}",
                field_ja(field),
                Masked(value),
                Masked(&unknown_reason(self).ja)
            ),
            Error::NotFound { id } => format!("ID `{}` の資産はありません", Masked(id)),
            Error::AmbiguousName { name, matches } => {
                if *matches == 0 {
                    format!("名称が `{}` の資産はありません", Masked(name))
                } else {
                    format!(
                        "名称が `{}` の資産が {matches} 件あります。ID で指定してください",
                        Masked(name)
                    )
                }
            }
            Error::Conflict {
                id,
                expected,
                actual,
            } => format!(
                "資産 `{id}` は他の人が変更しました（元にした版 {expected}、現在の版 {actual}）"
            ),
            Error::Link {
                from,
                relation,
                to,
                exists,
            } => format!(
                "関連 `{from} {relation} {to}` は{}",
                if *exists {
                    "すでにあります"
                } else {
                    "ありません"
                }
            ),
            Error::Disposed { id, date } => {
                format!("資産 `{id}` は {date} に廃棄済みのため、変更できません")
            }
            Error::AlreadyExists { path } => {
                format!("`{}` にはすでにファイルがあります", Masked(path.display()))
            }
            Error::RefusedOutput { path, reason } => format!(
                "`{}` には書き込みません: {}",
                Masked(path.display()),
                refused_output_ja(reason)
            ),
            Error::RegisterMissing { path } => {
                format!("`{}` に台帳がありません", Masked(path.display()))
            }
            Error::NotARegister { path } => {
                format!(
                    "`{}` は daicho の台帳ではありません",
                    Masked(path.display())
                )
            }
            Error::SchemaTooNew {
                path,
                found,
                supported,
            } => format!(
                "`{}` の台帳はスキーマ版 {found} で、この daicho が扱える {supported} より新しいものです。daicho を更新してください",
                Masked(path.display())
            ),
            Error::SchemaTooOld {
                path,
                found,
                supported,
            } => format!(
                "`{}` の台帳はスキーマ版 {found} で、この daicho が読む {supported} より古いものです。書き込みできる状態で一度 `daicho upgrade` を実行して移行してください",
                Masked(path.display())
            ),
            Error::PolicyParse { origin, .. } => format!(
                "ポリシー `{}` は daicho のポリシーとして正しい TOML ではありません",
                Masked(origin)
            ),
            Error::PolicyInvalid { origin, reason } => format!(
                "ポリシー `{}` に矛盾があります: {}",
                Masked(origin),
                Masked(&reason.ja)
            ),
            Error::PolicyTooLarge { origin, limit } => format!(
                "ポリシー `{}` は {} MiB を超えています。ポリシーのファイルはそれ以下です",
                Masked(origin),
                limit >> 20
            ),
            Error::UnknownPolicy { name, built_in } => format!(
                "組み込みのポリシー `{}` はありません（組み込み: {}）",
                Masked(name),
                built_in.join("、")
            ),
            Error::Io { action, path, .. } => {
                format!("`{}` を{}", Masked(path.display()), io_action_ja(action))
            }
            Error::Busy => {
                "台帳は使用中です。別のプロセスが書き込んでいます。もう一度お試しください"
                    .to_owned()
            }
            Error::Server { ja, .. } => ja.clone(),
            Error::Storage { operation, .. } => {
                format!("台帳のデータベースが予期せず失敗しました（{operation}）")
            }
            Error::Import {
                source_name,
                errors,
                total,
            } => import_message(Lang::Ja, source_name, errors, *total, 3),
            Error::Unencodable {
                row,
                column,
                character,
                encoding,
            } => format!(
                "{row} 行目、列 `{}`: `{character}`（U+{:04X}）は {encoding} で書けません。UTF-8 を選ぶか、その文字を置き換えてください",
                Masked(column),
                u32::from(*character)
            ),
            Error::Linked { name, links, .. } => format!(
                "資産 `{}` には関連が {} 件あります: {}。関連ごと削除するときはそう指定してください",
                Masked(name),
                links.len(),
                Masked(quoted(links))
            ),
            Error::ChangedSince { import, assets } => format!(
                "取り込み {import} は取り消せません: 取り込みが触れた資産のうち {} 件がその後変更されています（{}）。何も戻していません",
                assets.len(),
                Masked(quoted(
                    &assets
                        .iter()
                        .map(|(_, name)| name.clone())
                        .collect::<Vec<_>>()
                ))
            ),
            Error::PolicyRefused {
                name,
                problems,
                total,
            } => format!(
                "ポリシー `{name}` は設定しませんでした: 資産 {total} 件が不正になります（{}）",
                problems
                    .iter()
                    .map(|p| p.ja.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            Error::Corrupt { what } => format!(
                "台帳にこの daicho が読めないデータがあります: {}",
                Masked(what)
            ),
            Error::Checkpoint { what, path, reason } => format!(
                "{} `{}` は使えません: {}",
                match *what {
                    "checkpoint" => "チェックポイント",
                    "private key" => "秘密鍵",
                    "public key" => "公開鍵",
                    other => other,
                },
                path.display(),
                reason.ja
            ),
        }
    }
}

impl RowError {
    /// The problem in `lang`: `file row N (`asset`), column `c`, value `v`:
    /// reason`, every run of twelve digits masked.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let mut text = match &self.cell {
            Some(cell) => format!("{} {}", Masked(&self.file), Masked(cell)),
            None => format!("{} {} 行目", Masked(&self.file), self.row),
        };
        if let Some(asset) = &self.asset {
            let _ = write!(text, "（`{}`）", Masked(asset));
        }
        if let Some(column) = &self.column {
            let _ = write!(text, "、列 `{}`", Masked(column));
        }
        if !self.value.is_empty() {
            let _ = write!(text, "、値 `{}`", Masked(&self.value));
        }
        let _ = write!(text, ": {}", Masked(&self.reason.ja));
        if self.line != self.row && self.cell.is_none() {
            let _ = write!(text, "（ファイルの {} 行目）", self.line);
        }
        text
    }
}

/// The message of a failed import in `lang`: how many errors, nothing
/// written, and the first `shown` errors on lines of their own.
#[must_use]
pub fn import_message(
    lang: Lang,
    source: &str,
    errors: &[RowError],
    total: usize,
    shown: usize,
) -> String {
    let mut message = match lang {
        Lang::Ja => format!(
            "`{}` を取り込めませんでした: エラーが {total} 件あります。何も書き込んでいません",
            Masked(source)
        ),
        _ => format!(
            "failed to import `{}`: {total} {}, nothing was written",
            Masked(source),
            if total == 1 { "error" } else { "errors" }
        ),
    };
    for error in errors.iter().take(shown) {
        let _ = write!(message, "\n  {}", error.message(lang));
    }
    let listed = shown.min(errors.len());
    if total > listed {
        let rest = total - listed;
        let _ = match lang {
            Lang::Ja => write!(message, "\n  …ほか {rest} 件"),
            _ => write!(message, "\n  ... and {rest} more"),
        };
    }
    message
}

/// A field's name as a person reads it: the column's Japanese header, or
/// the Japanese for the other fields that messages name.
pub(crate) fn field_ja(field: &str) -> Cow<'static, str> {
    if let Some(column) = Column::from_field(field) {
        return Cow::Borrowed(column.ja());
    }
    Cow::Borrowed(match field {
        "import" => "取り込み",
        "entry" => "監査ログの記録",
        "head" => "ヘッド",
        "origin" => "発行元",
        "link" => "関連",
        "relation" => "関係",
        "sanitization" => "無害化",
        "exception" => "例外措置",
        "threat" => "脅威",
        "likelihood" => "発生可能性",
        "vulnerability" => "脆弱性",
        "assets" => "資産",
        "extra" => "追加の属性",
        "field" => "項目",
        "reason" => "理由",
        "actor" => "操作者",
        "encoding" => "文字コード",
        "approved_on" => "承認日",
        "expires_on" => "有効期限",
        "approver" => "承認者",
        "conditions" => "条件",
        "policy" => "ポリシー",
        "control" => "対策",
        "level" => "格付",
        "axis" => "格付の軸",
        "format" => "形式",
        "headers" => "見出し",
        "campaign" => "棚卸",
        "finding" => "指摘",
        "status" => "状態",
        "owner" => "担当者",
        "process" => "事務",
        "evaluation" => "評価",
        "document" => "評価書番号",
        "handlers" => "取扱者数",
        "persons" => "対象人数",
        "today" | "as_of" => "基準日",
        "since" => "開始日",
        "until" => "終了日",
        "by" => "確認者",
        "sheet" => "シート",
        "date" => "日付",
        "output" => "出力",
        _ => return Cow::Owned(field.to_owned()),
    })
}

/// Why a value is not among a closed set, without repeating the value, in
/// both languages: the closest members ("did you mean") and the members
/// allowed, shown as their Japanese labels in Japanese where they have one.
pub(crate) fn unknown_reason(error: &Error) -> Localized {
    let Error::UnknownValue {
        field,
        allowed,
        suggestions,
        allowed_ja,
        ..
    } = error
    else {
        return error.localized();
    };
    let label = |code: &String| -> String {
        allowed
            .iter()
            .position(|a| a == code)
            .and_then(|i| allowed_ja.get(i))
            .filter(|label| !label.is_empty())
            .unwrap_or(code)
            .clone()
    };
    let more = if allowed.len() > SHOWN { ", ..." } else { "" };
    let en_allowed = allowed.iter().take(SHOWN).cloned().collect::<Vec<_>>();
    let ja_allowed = allowed.iter().take(SHOWN).map(label).collect::<Vec<_>>();
    let en = if allowed.is_empty() {
        format!(
            "not a known {field}{} (none is allowed)",
            crate::error::did_you_mean(suggestions)
        )
    } else {
        format!(
            "not a known {field}{} (allowed: {}{more})",
            crate::error::did_you_mean(suggestions),
            en_allowed.join(", ")
        )
    };
    let mean = match suggestions.iter().map(label).collect::<Vec<_>>().as_slice() {
        [] => String::new(),
        labels => format!(
            "。もしかして {}？",
            labels
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join("、")
        ),
    };
    let ja = if allowed.is_empty() {
        format!(
            "{}にありません{mean}（使えるものはありません）",
            field_ja(field)
        )
    } else {
        let more = if more.is_empty() { "" } else { "、…" };
        format!(
            "登録された{}ではありません{mean}（使えるもの: {}{more}）",
            field_ja(field),
            ja_allowed.join("、")
        )
    };
    Localized::new(ja, en)
}

/// How many allowed values an import error lists.
const SHOWN: usize = 12;

/// The Japanese of [`Error::RefusedOutput`]'s reasons.
fn refused_output_ja(reason: &str) -> &str {
    match reason {
        "it names no file" => "ファイル名がありません",
        "it is a symbolic link, which is never followed" => {
            "シンボリックリンクです（リンク先には書き込みません）"
        }
        "it is one of the register's own files" => "台帳自身のファイルです",
        "it is not a regular file" => "通常のファイルではありません",
        other => other,
    }
}

/// What [`Error::Io`]'s `action` failed to do, in Japanese.
fn io_action_ja(action: &str) -> Cow<'static, str> {
    Cow::Borrowed(match action {
        "read" => "読み込めませんでした",
        "read policy" => "ポリシーとして読み込めませんでした",
        "write" => "書き込めませんでした",
        "write the backup" => "バックアップとして書き込めませんでした",
        "create" => "作成できませんでした",
        "open" => "開けませんでした",
        "remove" => "削除できませんでした",
        "sync" => "ディスクに同期できませんでした",
        "inspect" => "確認できませんでした",
        "make owner-only" => "所有者だけが読めるようにできませんでした",
        "get random numbers for" => "乱数で生成できませんでした",
        other => return Cow::Owned(format!("{other}できませんでした")),
    })
}

/// Items in backticks, joined by `、`, the first ten.
fn quoted(items: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut text = items
        .iter()
        .take(SHOWN)
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join("、");
    if items.len() > SHOWN {
        let _ = write!(text, " ほか {} 件", items.len() - SHOWN);
    }
    text
}
