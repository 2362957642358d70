//! `lunora`: container codegen and workflows for Lunora apps on Cloudflare Workers.
//!
//! Exit codes: 0 success, 1 diagnostics or stale output (`--check`) or a failed child, 2 usage.

mod commands;
mod fsutil;
mod output;
mod pipeline;
mod project;

use clap::{Args, CommandFactory, Parser, Subcommand};
use output::{Format, Reporter};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "lunora",
    version,
    about = "Declare Docker containers in lunora/containers.ts; lunora generates the Durable Object classes, typed ctx.containers handles and wrangler.jsonc wiring, and drives wrangler.",
    propagate_version = true,
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Debug, Clone)]
struct CommonArgs {
    /// Project root (the directory with lunora/ and wrangler.jsonc). Defaults to the current directory.
    #[arg(long, value_name = "DIR", global = true)]
    root: Option<PathBuf>,
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value_t = Format::Human, global = true)]
    format: Format,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Parse lunora/containers.ts, generate lunora/_generated/*, reconcile wrangler.jsonc.
    #[command(
        after_help = "Examples:\n  lunora codegen\n  lunora codegen --check            # CI: exit 1 with a diff when anything is stale\n  lunora codegen --root apps/web --format json\n  lunora codegen --watch"
    )]
    Codegen(CodegenArgs),
}

#[derive(Args, Debug)]
struct CodegenArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Write nothing; exit 1 and print a diff when any output is stale.
    #[arg(long, conflicts_with = "watch")]
    check: bool,
    /// Regenerate on every save of lunora/containers.ts.
    #[arg(long)]
    watch: bool,
    /// Also reconcile the `env.<NAME>` block of the wrangler config.
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code.clamp(0, 255) as u8),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Codegen(args) => {
            let reporter = Reporter::new(args.common.format);
            let project = project::Project::new(args.common.root.as_deref())?;
            let options = pipeline::PlanOptions {
                env: args.env.clone(),
            };
            if args.watch {
                anyhow::bail!("--watch is not available yet");
            }
            Ok(commands::codegen::run_once(&project, &options, args.check, &reporter)?.code)
        }
    }
}

#[allow(dead_code)]
fn command() -> clap::Command {
    Cli::command()
}
