#![allow(clippy::print_stdout)]
//! `omniroute-bench`: what the gateway adds over calling the mock upstream directly.
//!
//! Starts the release `mock-upstream` and `omniroute` binaries on loopback, routes the gateway
//! to the mock, and times the same requests both ways with the same client: latency at
//! concurrency 1 and 16, throughput at 16 and 64, the first token and the per-event cost of a
//! 50-event stream, the gateway's CPU time per request, and its memory idle and with 1,000
//! streams open. Prints a Markdown report and writes it to `docs/benchmarks.md`.
//!
//! Build the binaries under test first: `cargo build --release -p server -p mock-upstream`.

mod load;
mod procs;
mod report;
mod run;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

/// Measures the gateway against a direct call to the mock upstream (loopback only).
#[derive(Parser, Clone)]
#[command(name = "omniroute-bench")]
pub struct Args {
    /// Timed requests per path at each concurrency (split over the rounds).
    #[arg(long, default_value_t = 12000)]
    requests: usize,
    /// Timed 50-event streams per path (sequential; split over the rounds).
    #[arg(long, default_value_t = 3000)]
    streams: usize,
    /// Streams held open at once for the memory measurement.
    #[arg(long, default_value_t = 1000)]
    open_streams: usize,
    /// Direct and gateway runs alternate this many times, so drift hits both alike.
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Untimed requests per path before the timed runs.
    #[arg(long, default_value_t = 500)]
    warmup: usize,
    /// Tokio worker threads of the load generator (1 = a single-threaded client).
    #[arg(long, default_value_t = 1)]
    client_threads: usize,
    /// Longest a single timed run may take before it stops early, in seconds.
    #[arg(long, default_value_t = 60)]
    run_limit_secs: u64,
    /// The gateway binary (default: `$CARGO_TARGET_DIR` or `target`, then `release/omniroute`).
    #[arg(long)]
    gateway_bin: Option<PathBuf>,
    /// The mock binary (default: next to the gateway, `release/mock-upstream`).
    #[arg(long)]
    mock_bin: Option<PathBuf>,
    /// `RUST_LOG` for the gateway (its default, `info`, logs one line per request).
    #[arg(long, default_value = "info")]
    gateway_log: String,
    /// Where to write the report.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/benchmarks.md"))]
    out: PathBuf,
    /// Print the report only; do not write the file.
    #[arg(long)]
    no_write: bool,
    /// A note about the machine for the report.
    #[arg(
        long,
        default_value = "shared with other work (builds, tests) during the run; expect run-to-run variation"
    )]
    machine_note: String,
}

/// Set when this process re-ran itself through `bash -c 'ulimit -n ...'`.
const REEXEC_ENV: &str = "OMNIROUTE_BENCH_NOFILE_RAISED";

fn main() -> ExitCode {
    let mut args = Args::parse();
    match ensure_nofile(&mut args) {
        Ok(Some(code)) => return code,
        Ok(None) => {}
        Err(e) => {
            eprintln!("omniroute-bench: {e:#}");
            return ExitCode::FAILURE;
        }
    }
    let runtime = if args.client_threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(args.client_threads)
            .enable_all()
            .build()
    };
    let runtime = match runtime {
        Ok(r) => r,
        Err(e) => {
            eprintln!("omniroute-bench: cannot start tokio: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        tokio::select! {
            r = run::run(args) => r,
            // Returning drops the child handles, which kills the mock and the gateway.
            _ = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("interrupted")),
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("omniroute-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The open-streams measurement needs about 1 descriptor per stream here and 2 in the gateway
/// (which inherits this limit). Without unsafe code the soft limit can only be raised by a
/// shell: re-run this binary through `bash -c 'ulimit -n N; exec ...'` when it is too low.
/// Returns the exit code of that re-run, or `None` to go on in this process.
fn ensure_nofile(args: &mut Args) -> Result<Option<ExitCode>> {
    let need = args.open_streams as u64 * 2 + 1024;
    let Some((soft, hard)) = procs::nofile_limits() else {
        return Ok(None);
    };
    if soft >= need {
        return Ok(None);
    }
    if hard >= need && std::env::var_os(REEXEC_ENV).is_none() {
        let exe = std::env::current_exe().context("finding this executable")?;
        eprintln!("omniroute-bench: raising the open-files limit from {soft} to {need}");
        let status = std::process::Command::new("bash")
            .arg("-c")
            .arg(r#"ulimit -Sn "$1" || exit 111; shift; exec "$@""#)
            .arg("bash")
            .arg(need.to_string())
            .arg(exe)
            .args(std::env::args_os().skip(1))
            .env(REEXEC_ENV, "1")
            .status()
            .context("running bash to raise the open-files limit")?;
        let code = status.code().unwrap_or(1);
        return Ok(Some(ExitCode::from(u8::try_from(code).unwrap_or(1))));
    }
    let fits = (soft.saturating_sub(1024) / 2) as usize;
    eprintln!(
        "omniroute-bench: the open-files limit ({soft}, hard {hard}) allows only {fits} open streams; raise it with `ulimit -n {need}`"
    );
    args.open_streams = fits;
    Ok(None)
}
