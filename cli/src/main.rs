//! `daicho`: the command-line door onto the daicho register.

mod args;
mod commands;
mod exit;
mod output;
mod terminal;
mod usage;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let raw: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match args::Cli::try_parse_from(&raw) {
        Ok(cli) => cli,
        Err(err) => {
            usage::print(&err, usage::lang_of(&raw));
            return exit::usage_status(&err).into();
        }
    };
    let lang = cli.global.lang;
    match commands::run(cli) {
        Ok(status) => status.into(),
        Err(err) => exit::report(&err, lang).into(),
    }
}
