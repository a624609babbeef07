//! One handler per subcommand: call the library, then render.

mod assets;
mod backup;
mod campaign;
mod changes;
mod check;
mod checkpoint;
mod delete;
mod exception;
mod explain;
mod export;
mod fields;
mod findings;
mod import;
mod imports;
mod init;
mod links;
mod pia;
mod policy;
mod report;
mod risk;
mod summary;
mod verify;

use crate::args::{AsOfArgs, Cli, Command, Format, Global, Lang};
use crate::exit::Status;

/// What every handler needs: the global options.
pub(crate) struct Context {
    pub(crate) global: Global,
}

/// Warns on stderr when others than its owner may read or write the register.
fn warn_if_open_to_others(register: &daicho::Register, lang: Lang) {
    if let Some(warning) = register.permissions_warning() {
        #[allow(clippy::print_stderr, reason = "a warning is a diagnostic")]
        {
            eprintln!(
                "{} {}",
                crate::output::pick(lang, "警告:", "warning:"),
                warning.message(lang.into())
            );
        }
    }
}

impl Context {
    /// Opens the register named by `--db`, with the actor set; warns on
    /// stderr when others than its owner may read or write the file.
    pub(crate) fn open(&self) -> anyhow::Result<daicho::Register> {
        let mut register = daicho::Register::open(&self.global.db)?;
        warn_if_open_to_others(&register, self.lang());
        register.set_actor(self.actor())?;
        Ok(register)
    }

    /// Opens the register named by `--db` read-only: nothing is written,
    /// and it may be a read-only file in a read-only directory; warns as
    /// [`Context::open`] does.
    pub(crate) fn open_read_only(&self) -> anyhow::Result<daicho::Register> {
        let register = daicho::Register::open_read_only(&self.global.db)?;
        warn_if_open_to_others(&register, self.lang());
        Ok(register)
    }

    /// The register read-only, or with `--as-of` as it stood at the end of
    /// that day in the local time zone, rebuilt from its audit log.
    pub(crate) fn open_as_of(&self, as_of: &AsOfArgs) -> anyhow::Result<daicho::Register> {
        let register = self.open_read_only()?;
        match as_of.as_of.as_deref() {
            None => Ok(register),
            Some(text) => {
                let date = fields::cell("--as-of", text, daicho::parse::parse_date(text))?.date;
                Ok(register.as_of_date(date, &daicho::local_time_zone())?)
            }
        }
    }

    /// `--actor` as given, else the OS user with the OS uid beside it
    /// ([`os_actor`]).
    pub(crate) fn actor(&self) -> String {
        self.global.actor.clone().unwrap_or_else(|| {
            let user = std::env::var("USER")
                .or_else(|_| std::env::var("LOGNAME"))
                .or_else(|_| std::env::var("USERNAME"))
                .ok();
            os_actor(user.as_deref())
        })
    }

    pub(crate) fn format(&self) -> Format {
        self.global.format
    }

    pub(crate) fn lang(&self) -> Lang {
        self.global.lang
    }
}

/// The actor daicho names itself: the user name the environment gives
/// (`unknown` when it gives none) and, on Unix, the process's real uid beside
/// it (`山田 (uid 1000)`, `unknown (uid 1000)`), which the environment cannot
/// change. On Windows the user name only.
fn os_actor(user: Option<&str>) -> String {
    let name = user
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or("unknown");
    #[cfg(unix)]
    {
        format!("{name} (uid {})", rustix::process::getuid().as_raw())
    }
    #[cfg(not(unix))]
    {
        name.to_owned()
    }
}

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> anyhow::Result<Status> {
    let ctx = Context { global: cli.global };
    match cli.command {
        Command::Init(args) => init::init(&ctx, &args),
        Command::Add(args) => assets::add(&ctx, &args),
        Command::Show(args) => assets::show(&ctx, &args),
        Command::List(args) => assets::list(&ctx, &args),
        Command::Edit(args) => assets::edit(&ctx, &args),
        Command::Dispose(args) => assets::dispose(&ctx, &args),
        Command::Delete(args) => delete::delete(&ctx, &args),
        Command::History(args) => assets::history(&ctx, &args),
        Command::Link(args) => links::link(&ctx, &args),
        Command::Unlink(args) => links::unlink(&ctx, &args),
        Command::Verify(args) => verify::verify(&ctx, &args),
        Command::Backup(args) => backup::backup(&ctx, &args),
        Command::Restore(args) => backup::restore(&ctx, &args),
        Command::Summary(args) => summary::summary(&ctx, &args),
        Command::Checkpoint(args) => checkpoint::checkpoint(&ctx, &args),
        Command::Redact(args) => verify::redact(&ctx, &args),
        Command::Upgrade => verify::upgrade(&ctx),
        Command::Migrate(args) => backup::migrate(&ctx, &args),
        Command::Policy(args) => policy::policy(&ctx, &args),
        Command::Import(args) => import::import(&ctx, &args),
        Command::Export(args) => export::export(&ctx, &args),
        Command::Check(args) => check::check(&ctx, &args),
        Command::Explain(args) => explain::explain(&ctx, &args),
        Command::Risk(args) => risk::risk(&ctx, &args),
        Command::Exception(args) => exception::exception(&ctx, &args),
        Command::Findings(args) => findings::findings(&ctx, &args),
        Command::Pia(args) => pia::pia(&ctx, &args),
        Command::Report(args) => report::report(&ctx, &args),
        Command::Changes(args) => changes::changes(&ctx, &args),
        Command::Campaign(args) => campaign::campaign(&ctx, &args),
        Command::Attest(args) => campaign::attest(&ctx, &args),
    }
}
