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

/// Prints an error and its causes to stderr and picks the exit status; an
/// unknown value's allowed values (and suggestions) are shown as Japanese
/// labels under `--lang ja`.
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
            cause
                .downcast_ref::<daicho::Error>()
                .and_then(|e| labelled(e, lang))
                .unwrap_or_else(|| cause.to_string())
        };
        let mut chain = err.chain();
        if let Some(top) = chain.next() {
            eprintln!("error: {}", shown(message(top)));
        }
        for cause in chain {
            eprintln!("  caused by: {}", shown(message(cause)));
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

/// Under `--lang ja`, the message of an invalid value with the Japanese
/// reason the library gave, or of an unknown value with the Japanese labels
/// of the allowed values and the suggestions in place of their codes, when
/// the library gave labels; `None` to keep the library's message.
fn labelled(error: &daicho::Error, lang: Lang) -> Option<String> {
    if let daicho::Error::Invalid {
        field,
        value,
        reason_ja,
        ..
    } = error
    {
        return (lang == Lang::Ja && !reason_ja.is_empty())
            .then(|| format!("{field} `{value}` は受け付けられません: {reason_ja}"));
    }
    let daicho::Error::UnknownValue {
        field,
        value,
        allowed,
        suggestions,
        allowed_ja,
        ..
    } = error
    else {
        return None;
    };
    if lang != Lang::Ja || allowed_ja.iter().all(String::is_empty) {
        return None;
    }
    let label = |code: &String| -> String {
        allowed
            .iter()
            .position(|a| a == code)
            .and_then(|i| allowed_ja.get(i))
            .filter(|label| !label.is_empty())
            .unwrap_or(code)
            .clone()
    };
    let mean = match suggestions.iter().map(label).collect::<Vec<_>>().as_slice() {
        [] => String::new(),
        [one] => format!(", did you mean `{one}`?"),
        [rest @ .., last] => format!(
            ", did you mean {} or `{last}`?",
            rest.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let allowed: Vec<String> = allowed.iter().map(label).collect();
    Some(format!(
        "unknown {field} `{value}`{mean} (allowed: {})",
        allowed.join("、")
    ))
}

/// An error in the user's input found by the CLI itself (not by the library).
#[derive(Debug)]
pub(crate) struct UserError(pub(crate) String);

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

/// Returns a [`UserError`] from the current function.
macro_rules! user_error {
    ($($arg:tt)*) => {
        return Err(anyhow::Error::new($crate::exit::UserError(format!($($arg)*))))
    };
}
pub(crate) use user_error;
