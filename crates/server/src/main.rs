//! The `vitrina` binary: parse the command line, set up logging, run.

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;
use vitrina::cli::{Cli, Command};

// An import allocates and frees millions of short strings on several threads; jemalloc
// makes that cheaper than glibc (first 100k import 3.5-3.8 s against 4.0-4.5 s) and keeps
// less memory than mimalloc did (125-135 MB against 154-161 MB peak; scripts/bench-import).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    quiet_on_closed_pipe();
    // The server logs its requests; administration commands stay quiet unless asked.
    let default_level = if matches!(cli.command, Command::Serve(_)) {
        "info"
    } else {
        "warn"
    };
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let json = std::env::var("VITRINA_LOG_FORMAT").is_ok_and(|format| format == "json");
    // Each span's end with its time: which handler or store call of which request was slow.
    let span_ends = std::env::var("VITRINA_LOG_SPANS").is_ok_and(|spans| spans == "close");
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(if span_ends {
            FmtSpan::CLOSE
        } else {
            FmtSpan::NONE
        })
        .with_writer(std::io::stderr);
    if json {
        logs.json().init();
    } else {
        logs.init();
    }
    match vitrina::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            ExitCode::FAILURE
        }
    }
}

/// `vitrina exchange list | head -1`: once the reader has gone, printing fails; end quietly
/// as Unix tools do instead of reporting a panic.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}
