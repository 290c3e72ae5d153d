//! The command line: `omniroute [--port N] [--host ADDR] [--data-dir DIR]` starts the server;
//! `omniroute reset-password` sets a new dashboard password.

use crate::config::{Config, Overrides};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "omniroute",
    version,
    about = "OmniRoute: a self-hosted AI gateway (OpenAI, Anthropic, Gemini and Responses APIs on one port)",
    after_help = "Environment: PORT, HOSTNAME, DATA_DIR, JWT_SECRET, API_KEY_SECRET, INITIAL_PASSWORD, \
AUTH_COOKIE_SECURE, RUST_LOG, OMNIROUTE_API_KEY (with --mcp), OMNIROUTE_MCP_ALLOWED_HOSTS. A .env file is read from DATA_DIR and from the working directory."
)]
pub struct Cli {
    /// Port to listen on (env PORT; default 20128; 0 picks a free port).
    #[arg(long, global = true)]
    pub port: Option<u16>,
    /// Address to bind (env HOSTNAME; default 127.0.0.1).
    #[arg(long, global = true)]
    pub host: Option<String>,
    /// Data directory for the database and secrets (env DATA_DIR; default ~/.omniroute).
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Run the MCP server over stdio instead of the HTTP server (for IDE plugins such as
    /// Claude Desktop): protocol on stdout, logs on stderr.
    #[arg(long)]
    pub mcp: bool,
    /// With --mcp: the API key whose scopes limit the MCP tools (env OMNIROUTE_API_KEY).
    #[arg(long, requires = "mcp")]
    pub api_key: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the server (the default).
    Serve,
    /// Set a new dashboard password. Without --password a random one is generated and printed.
    ResetPassword {
        /// The new password (at least 8 characters).
        #[arg(long)]
        password: Option<String>,
    },
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let overrides = Overrides {
        port: cli.port,
        host: cli.host,
        data_dir: cli.data_dir,
    };
    let config = Config::load(overrides)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if cli.mcp {
        return runtime.block_on(crate::mcp::stdio::serve(config, cli.api_key));
    }
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => runtime.block_on(crate::run(config)),
        Command::ResetPassword { password } => {
            runtime.block_on(crate::auth::reset_password_cli(config, password))
        }
    }
}
