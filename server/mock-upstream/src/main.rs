//! `mock-upstream --port N`: runs the mock provider until Ctrl-C.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use clap::Parser;
use mock_upstream::MockUpstream;

/// A mock LLM provider (OpenAI, Anthropic, Gemini, Responses) for tests and benchmarks.
#[derive(Parser)]
#[command(name = "mock-upstream", version)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to bind.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let handle = match MockUpstream::bind(SocketAddr::new(args.host, args.port)).await {
        Ok(handle) => handle,
        Err(e) => {
            eprintln!(
                "mock-upstream: cannot listen on {}:{}: {e}",
                args.host, args.port
            );
            return ExitCode::FAILURE;
        }
    };
    eprintln!("listening on {}", handle.url());
    let _ = tokio::signal::ctrl_c().await;
    drop(handle);
    ExitCode::SUCCESS
}
