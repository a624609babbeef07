//! One handler per subcommand: call the library, then render.

mod assets;
mod backup;
mod check;
mod exception;
mod explain;
mod export;
mod fields;
mod import;
mod init;
mod links;
mod policy;
mod risk;
mod summary;
mod verify;

use crate::args::{Cli, Command, Format, Global, Lang};
use crate::exit::Status;

/// What every handler needs: the global options.
pub(crate) struct Context {
    pub(crate) global: Global,
}

impl Context {
    /// Opens the register named by `--db`, with the actor set.
    pub(crate) fn open(&self) -> anyhow::Result<daicho::Register> {
        let mut register = daicho::Register::open(&self.global.db)?;
        register.set_actor(self.actor())?;
        Ok(register)
    }

    /// `--actor`, else the OS user.
    pub(crate) fn actor(&self) -> String {
        self.global
            .actor
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("LOGNAME").ok())
            .or_else(|| std::env::var("USERNAME").ok())
            .unwrap_or_else(|| "unknown".to_owned())
    }

    pub(crate) fn format(&self) -> Format {
        self.global.format
    }

    pub(crate) fn lang(&self) -> Lang {
        self.global.lang
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
        Command::History(args) => assets::history(&ctx, &args),
        Command::Link(args) => links::link(&ctx, &args),
        Command::Unlink(args) => links::unlink(&ctx, &args),
        Command::Verify => verify::verify(&ctx),
        Command::Backup(args) => backup::backup(&ctx, &args),
        Command::Restore(args) => backup::restore(&ctx, &args),
        Command::Summary => summary::summary(&ctx),
        Command::Policy(args) => policy::policy(&ctx, &args),
        Command::Import(args) => import::import(&ctx, &args),
        Command::Export(args) => export::export(&ctx, &args),
        Command::Check(args) => check::check(&ctx, &args),
        Command::Explain(args) => explain::explain(&ctx, &args),
        Command::Risk(args) => risk::risk(&ctx, &args),
        Command::Exception(args) => exception::exception(&ctx, &args),
    }
}
