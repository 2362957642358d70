//! `lunora`: container codegen and workflows for Lunora apps on Cloudflare Workers.
//!
//! Exit codes: 0 success, 1 diagnostics or stale output (`--check`) or a failed step, 2 usage;
//! `dev`, `deploy` and `containers` exit with the code of the program they ran when it fails.

mod advise;
mod commands;
mod exec;
mod fsutil;
mod lifecycle;
mod output;
mod pipeline;
mod project;
mod signals;
mod watch;

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
    arg_required_else_help = true,
    after_help = "Examples:\n  lunora generate lunora-container --name=transcoder\n  lunora codegen --watch\n  lunora dev\n  lunora deploy --dry-run"
)]
struct Cli {
    #[command(flatten)]
    common: CommonArgs,
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
        after_help = "Examples:\n  lunora codegen\n  lunora codegen --check            # CI: exit 1 with a diff when anything is stale\n  lunora codegen --root apps/web --format json\n  lunora codegen --watch            # regenerate on every save until Ctrl-C\n  lunora codegen --cost             # also print the cost ceiling per container"
    )]
    Codegen(CodegenArgs),
    /// Codegen, then run `wrangler dev` (or `vite dev` in a Vite project), regenerating on change.
    #[command(
        after_help = "Examples:\n  lunora dev\n  lunora dev --env staging\n  lunora dev -- --port 8788 --enable-containers=false   # arguments after -- go to wrangler dev / vite dev"
    )]
    Dev(DevArgs),
    /// Codegen, check images and tools, build and push Railpack images, then `wrangler deploy`.
    #[command(
        after_help = "Examples:\n  lunora deploy\n  lunora deploy --dry-run          # run the checks, print the commands\n  lunora deploy --env production -- --minify   # arguments after -- go to wrangler deploy"
    )]
    Deploy(DeployArgs),
    /// Scaffold project files.
    #[command(
        subcommand,
        after_help = "Examples:\n  lunora generate lunora-container --name=image-resizer --port 3000"
    )]
    Generate(GenerateCommand),
    /// Manage images and instances: `wrangler containers …` (Docker preflight on build and push).
    #[command(
        after_help = "Examples:\n  lunora containers build ./containers/transcoder --tag transcoder:v1 --push\n  lunora containers push transcoder:v1\n  lunora containers images list\n  lunora containers images delete transcoder:v1\n  lunora containers list\n  lunora containers info <CONTAINER_ID>"
    )]
    Containers(ContainersArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  lunora completions bash > ~/.local/share/bash-completion/completions/lunora\n  lunora completions zsh > \"${fpath[1]}/_lunora\"\n  lunora completions fish > ~/.config/fish/completions/lunora.fish"
    )]
    Completions(CompletionsArgs),
}

#[derive(Args, Debug)]
struct CodegenArgs {
    /// Write nothing; exit 1 and print a diff when any output is stale.
    #[arg(long, conflicts_with = "watch")]
    check: bool,
    /// Regenerate on every save of lunora/containers.ts (and the wrangler config / worker entry) until Ctrl-C.
    #[arg(long)]
    watch: bool,
    /// Also reconcile the `env.<NAME>` block of the wrangler config.
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
    /// Also print the cost ceiling: per container and in total, one instance-hour and every
    /// `maxInstances` instance busy for a 30-day month, from Cloudflare's published prices.
    #[arg(long, conflicts_with = "watch")]
    cost: bool,
}

#[derive(Args, Debug)]
struct DevArgs {
    /// Wrangler environment: reconciled by codegen and passed to the dev server.
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
    /// Arguments for `wrangler dev` / `vite dev`.
    #[arg(last = true, value_name = "ARGS")]
    extra: Vec<String>,
}

#[derive(Args, Debug)]
struct DeployArgs {
    /// Wrangler environment: reconciled by codegen and passed to `wrangler deploy --env`.
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
    /// Run the checks and print the build, push and deploy commands without running them.
    #[arg(long)]
    dry_run: bool,
    /// Arguments for `wrangler deploy`.
    #[arg(last = true, value_name = "ARGS")]
    extra: Vec<String>,
}

#[derive(Subcommand, Debug)]
enum GenerateCommand {
    /// A container: containers/<name>/{Dockerfile,server.mjs}, its definition, the re-export.
    #[command(
        after_help = "Examples:\n  lunora generate lunora-container --name=transcoder\n  lunora generate lunora-container --name=image-resizer --port 3000   # export imageResizer"
    )]
    LunoraContainer(LunoraContainerArgs),
}

#[derive(Args, Debug)]
struct LunoraContainerArgs {
    /// The container's name; `image-resizer` becomes the export `imageResizer` and containers/image-resizer/.
    #[arg(long)]
    name: String,
    /// The port the starter server listens on (EXPOSEd, and the definition's defaultPort).
    #[arg(long, default_value_t = 8080, value_parser = clap::value_parser!(u16).range(1..))]
    port: u16,
}

#[derive(Args, Debug)]
struct ContainersArgs {
    /// `build`, `push`, `images list`, `images delete`, `list`, `info`, … with their arguments, passed to `wrangler containers` verbatim.
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        required = true,
        value_name = "ARGS"
    )]
    args: Vec<String>,
}

#[derive(Args, Debug)]
struct CompletionsArgs {
    /// The shell to generate completions for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
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
    let reporter = Reporter::new(cli.common.format);
    if let Command::Completions(args) = &cli.command {
        clap_complete::generate(
            args.shell,
            &mut Cli::command(),
            "lunora",
            &mut std::io::stdout(),
        );
        return Ok(0);
    }
    let project = project::Project::new(cli.common.root.as_deref())?;
    match cli.command {
        Command::Codegen(args) => {
            let options = pipeline::PlanOptions {
                env: args.env,
                ..Default::default()
            };
            if args.watch {
                return watch::run(&project, &options, &reporter);
            }
            let outcome = commands::codegen::run_once(&project, &options, args.check, &reporter)?;
            if args.cost {
                advise::print_cost(&outcome.plan, &reporter);
            }
            Ok(outcome.code)
        }
        Command::Dev(args) => {
            let options = pipeline::PlanOptions {
                env: args.env,
                ..Default::default()
            };
            commands::dev::run(&project, &options, &args.extra, &reporter)
        }
        Command::Deploy(args) => {
            let options = pipeline::PlanOptions {
                env: args.env,
                skip_image_source_warning: true,
            };
            let deploy = commands::deploy::DeployArgs {
                dry_run: args.dry_run,
                extra: &args.extra,
            };
            commands::deploy::run(&project, &options, deploy, &reporter)
        }
        Command::Generate(GenerateCommand::LunoraContainer(args)) => {
            let args = commands::generate::GenerateArgs {
                name: args.name,
                port: args.port,
            };
            commands::generate::run(&project, &args, &reporter)
        }
        Command::Containers(args) => commands::containers::run(&project, &args.args),
        Command::Completions(_) => unreachable!("handled above"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
