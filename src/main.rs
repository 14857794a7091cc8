//! The `recension` command: parse, run, exit. Everything else is in the
//! library.
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = recension::cli::Args::parse(); // clap exits 2 on usage errors
    match recension::run(&args) {
        Ok(code) => code,
        Err(e) if recension::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("recension: {e:#}");
            }
            ExitCode::from(recension::EXIT_ERROR)
        }
    }
}
