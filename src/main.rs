//! The `recension` command: parse, run, exit. Everything else is in the
//! library.
use std::process::ExitCode;

use clap::Parser;

// The clustering stage allocates many short-lived strings and vectors from
// both threads; mimalloc's per-thread heaps cut that cost (measured in the
// README's bench section).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = recension::cli::Args::parse(); // clap exits 2 on usage errors
    match recension::run(&args) {
        Ok(code) => code,
        Err(e) if recension::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("{}", recension::cmd::error_line(&e));
            }
            ExitCode::from(recension::EXIT_ERROR)
        }
    }
}
