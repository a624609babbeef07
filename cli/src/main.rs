//! `daicho`: the command-line door onto the daicho register.

mod args;
mod commands;
mod exit;
mod output;
mod terminal;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return exit::usage_status(&err).into();
        }
    };
    let lang = cli.global.lang;
    match commands::run(cli) {
        Ok(status) => status.into(),
        Err(err) => exit::report(&err, lang).into(),
    }
}
