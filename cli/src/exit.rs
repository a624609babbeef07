//! Exit statuses and error reporting.

use std::process::ExitCode;

use crate::args::Lang;

/// How the command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Everything went as asked.
    Success,
    /// A failure the user can act on: bad input, or findings at or above `--fail-on`.
    Failure,
    /// An unexpected error.
    Error,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> Self {
        match status {
            Status::Success => ExitCode::SUCCESS,
            Status::Failure => ExitCode::from(1),
            Status::Error => ExitCode::from(2),
        }
    }
}

/// The status for a command-line parsing error: help and version succeed,
/// a bad argument is the user's to fix.
pub(crate) fn usage_status(err: &clap::Error) -> Status {
    match err.kind() {
        clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
            Status::Success
        }
        _ => Status::Failure,
    }
}

/// Prints an error and its causes to stderr in `--lang` and picks the exit
/// status: the library's errors, the CLI's own ([`UserError`]) and its
/// context lines ([`Context`]) each have a Japanese and an English form.
pub(crate) fn report(err: &anyhow::Error, lang: Lang) -> Status {
    // Output cut short by a closed pipe (`daicho list | head`) is not an error.
    if err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    }) {
        return Status::Success;
    }
    // The library masks what its own messages quote; the CLI's context and
    // the causes it did not write (a TOML parser quoting a policy's line)
    // are rendered through the same mask.
    #[allow(clippy::print_stderr)]
    {
        // A message may quote a value read from a file or an older register:
        // control characters are shown, and 個人番号-shaped numbers masked.
        let shown = |text: String| {
            crate::terminal::terminal_text(&daicho::mynumber::mask(&text)).into_owned()
        };
        let message = |cause: &(dyn std::error::Error + 'static)| {
            if let Some(error) = cause.downcast_ref::<daicho::Error>() {
                error.message(lang.into())
            } else if let Some(error) = cause.downcast_ref::<UserError>() {
                error.0.get(lang.into()).to_owned()
            } else {
                cause.to_string()
            }
        };
        let mut chain = err.chain();
        if let Some(top) = chain.next() {
            // A context line is found on the error itself, not in its chain.
            let text = err
                .downcast_ref::<Context>()
                .map_or_else(|| message(top), |c| c.0.get(lang.into()).to_owned());
            eprintln!(
                "{} {}",
                daicho::Lang::from(lang).pick("エラー:", "error:"),
                shown(text)
            );
        }
        for cause in chain {
            eprintln!(
                "  {} {}",
                daicho::Lang::from(lang).pick("原因:", "caused by:"),
                shown(message(cause))
            );
        }
    }
    let user_error = err
        .chain()
        .find_map(|cause| cause.downcast_ref::<daicho::Error>())
        .map_or_else(
            || err.downcast_ref::<UserError>().is_some(),
            daicho::Error::is_user_error,
        );
    if user_error {
        Status::Failure
    } else {
        Status::Error
    }
}

/// An error in the user's input found by the CLI itself (not by the library),
/// in both languages; `Display` is English.
#[derive(Debug)]
pub(crate) struct UserError(pub(crate) daicho::Localized);

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.en)
    }
}

impl std::error::Error for UserError {}

/// A line of context the CLI puts above a cause, in both languages.
#[derive(Debug)]
pub(crate) struct Context(pub(crate) daicho::Localized);

impl std::fmt::Display for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.en)
    }
}

/// A context line in Japanese and English, for `anyhow`'s `.context()`.
pub(crate) fn context(ja: impl Into<String>, en: impl Into<String>) -> Context {
    Context(daicho::Localized::new(ja, en))
}

/// Returns a [`UserError`] from the current function: a Japanese and an
/// English format string, which may capture the same variables.
macro_rules! user_error {
    ($ja:literal, $en:literal $(,)?) => {
        return Err(anyhow::Error::new($crate::exit::UserError(
            daicho::Localized::new(format!($ja), format!($en)),
        )))
    };
}
pub(crate) use user_error;
