//! `harbor`: the command-line face of Harbor. It parses, calls the service API, renders;
//! it holds no logic of its own.

mod cli;
mod commands;
mod demo;
mod fail;
mod import;
mod promote;
mod render;
mod secrets;

use clap::Parser;

fn main() {
    harbor::prepare_process();
    let cli = cli::Cli::parse();
    let json = cli.json;
    match commands::run(cli) {
        Ok(()) => {}
        Err(failure) => {
            fail::report(&failure, json);
            std::process::exit(fail::exit_code(failure.error_code()));
        }
    }
}
