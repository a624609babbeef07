//! Command-line usage errors in `--lang`.
//!
//! clap writes its errors in English. When the arguments could not be
//! parsed, `--lang` is read off the raw arguments, and under Japanese (the
//! default) the error is written again from its kind and context; help and
//! version, and English, stay clap's own.

use std::ffi::OsString;
use std::fmt::Write as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::args::Lang;

/// The `--lang` the arguments ask for (`--lang en`, `--lang=en`), Japanese
/// when none or an unknown one is given.
pub(crate) fn lang_of(args: &[OsString]) -> Lang {
    let mut words = args.iter().filter_map(|a| a.to_str());
    let mut lang = Lang::Ja;
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        let value = match word.strip_prefix("--lang") {
            Some("") => words.next(),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        match value {
            Some("en") => lang = Lang::En,
            Some("ja") => lang = Lang::Ja,
            _ => {}
        }
    }
    lang
}

/// Writes a parsing error (or help, or the version) to its stream.
pub(crate) fn print(err: &clap::Error, lang: Lang) {
    let japanese = match (lang, err.kind()) {
        (Lang::Ja, kind) if !shown_as_is(kind) => japanese(err),
        _ => None,
    };
    match japanese {
        #[allow(clippy::print_stderr, reason = "the usage error is the output")]
        Some(text) => eprint!("{text}"),
        None => {
            let _ = err.print();
        }
    }
}

/// Help, the version and a bare command's help are clap's own output.
fn shown_as_is(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    )
}

fn text(value: Option<&ContextValue>) -> Option<String> {
    match value? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::Strings(list) => Some(list.join(", ")),
        ContextValue::StyledStrs(list) => Some(
            list.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The error in Japanese, or `None` for a kind this does not know (clap's
/// English is then shown).
fn japanese(err: &clap::Error) -> Option<String> {
    let get = |kind| text(err.get(kind));
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let mut out = String::from("エラー: ");
    match err.kind() {
        ErrorKind::InvalidValue => {
            let (arg, value) = (arg?, value.unwrap_or_default());
            if value.is_empty() {
                let _ = write!(out, "{arg} に値がありません");
            } else {
                let _ = write!(out, "{arg} に '{value}' は使えません");
            }
            if let Some(valid) = get(ContextKind::ValidValue).filter(|v| !v.is_empty()) {
                let _ = write!(out, "\n  [使える値: {valid}]");
            }
        }
        ErrorKind::UnknownArgument => {
            let _ = write!(out, "知らない引数 '{}' です", arg?);
        }
        ErrorKind::InvalidSubcommand => {
            let _ = write!(
                out,
                "知らないコマンド '{}' です",
                get(ContextKind::InvalidSubcommand)?
            );
        }
        ErrorKind::MissingSubcommand => {
            let _ = write!(
                out,
                "'{}' にはコマンドが要ります",
                get(ContextKind::InvalidSubcommand)?
            );
            if let Some(valid) = get(ContextKind::ValidSubcommand) {
                let _ = write!(out, "\n  [コマンド: {valid}]");
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let _ = write!(out, "次の引数が要ります: {}", arg?);
        }
        ErrorKind::ArgumentConflict => {
            let arg = arg?;
            let _ = match get(ContextKind::PriorArg) {
                Some(prior) => write!(out, "{arg} は {prior} と一緒には使えません"),
                None => write!(out, "{arg} は一度だけ指定できます"),
            };
        }
        ErrorKind::ValueValidation => {
            let _ = write!(out, "{} の値 '{}' が読めません", arg?, value?);
            if let Some(source) = std::error::Error::source(err) {
                let _ = write!(out, ": {}", japanese_reason(&source.to_string()));
            }
        }
        ErrorKind::TooManyValues => {
            let _ = write!(out, "{} に値 '{}' は多すぎます", arg?, value?);
        }
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            let _ = write!(
                out,
                "{} の値は {} 個です（{} 個ありました）",
                arg?,
                get(ContextKind::ExpectedNumValues).or_else(|| get(ContextKind::MinValues))?,
                get(ContextKind::ActualNumValues)?
            );
        }
        ErrorKind::NoEquals => {
            let _ = write!(out, "{} には '=' で値を付けてください", arg?);
        }
        ErrorKind::InvalidUtf8 => {
            out += "引数に UTF-8 でない文字があります";
        }
        _ => return None,
    }
    out.push('\n');
    let suggestions = [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ];
    for suggestion in suggestions.into_iter().filter_map(get) {
        let _ = write!(out, "\n  もしかして: '{suggestion}'\n");
    }
    if let Some(trailing) = get(ContextKind::TrailingArg)
        && trailing == "true"
    {
        out += "\n  値として渡すには '-- ' の後に書いてください\n";
    }
    if let Some(usage) = get(ContextKind::Usage) {
        let usage = usage.trim_start();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        let _ = write!(out, "\n使い方: {usage}\n");
    }
    out += "\n詳しくは '--help' を見てください。\n";
    Some(out)
}

/// A value parser's reason in Japanese where its wording is known (clap's
/// ranges: `4 is not in 1..=3`); otherwise as written.
fn japanese_reason(reason: &str) -> String {
    let range = reason
        .split_once(" is not in ")
        .and_then(|(_, range)| range.split_once("..="));
    match range {
        Some((low, high)) => format!("{low}〜{high} の範囲にありません"),
        None => reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn lang_is_read_off_the_raw_arguments() {
        assert_eq!(lang_of(&args(&["daicho", "list"])), Lang::Ja);
        assert_eq!(lang_of(&args(&["daicho", "--lang", "en", "x"])), Lang::En);
        assert_eq!(lang_of(&args(&["daicho", "x", "--lang=en"])), Lang::En);
        assert_eq!(lang_of(&args(&["daicho", "--lang", "fr"])), Lang::Ja);
        assert_eq!(lang_of(&args(&["daicho", "--", "--lang", "en"])), Lang::Ja);
    }

    #[test]
    fn a_range_is_said_in_japanese() {
        assert_eq!(
            japanese_reason("4 is not in 1..=3"),
            "1〜3 の範囲にありません"
        );
        assert_eq!(japanese_reason("invalid digit"), "invalid digit");
    }
}
