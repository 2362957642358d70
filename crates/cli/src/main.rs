//! `lunora`: container codegen and workflows for Lunora apps on Cloudflare Workers.
//!
//! Exit codes: 0 success, 1 diagnostics or stale output (`--check`) or a failed step, 2 usage
//! (clap's errors, a bad `--name`, a `--root` that is not a directory); `dev`, `deploy` and
//! `containers` exit with the code of the program they ran when it fails. Under `--format json`
//! every error, usage errors included, is a JSON record on stdout.

mod advise;
mod codes;
mod commands;
mod container_logs;
mod dev_session;
mod exec;
mod fsutil;
mod lifecycle;
mod output;
mod pipeline;
mod platform;
mod project;
mod scratch;
mod types;
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
    after_help = "Examples:\n  lunora generate lunora-container --name=transcoder\n  lunora codegen --watch\n  lunora doctor\n  lunora dev\n  lunora deploy --dry-run\n  lunora adopt --dry-run\n  lunora rename transcoder videoTranscoder"
)]
struct Cli {
    #[command(flatten)]
    common: CommonArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Debug, Clone)]
struct CommonArgs {
    /// Project root (the directory with wrangler.jsonc and lunora/). Defaults to the nearest one from the current directory up.
    #[arg(long, value_name = "DIR", global = true, value_parser = parse_root)]
    root: Option<PathBuf>,
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value_t = Format::Human, global = true)]
    format: Format,
    /// Also list what is already up to date.
    #[arg(short, long, global = true)]
    verbose: bool,
}

/// `--root` must name a directory (a usage error, exit 2, otherwise).
fn parse_root(value: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(value);
    if path.is_dir() {
        Ok(path)
    } else if path.exists() {
        Err("not a directory".to_string())
    } else {
        Err("no such directory".to_string())
    }
}

/// `--name` must make a valid container name (a usage error, exit 2, otherwise).
fn parse_container_name(value: &str) -> Result<String, String> {
    commands::generate::export_name_for(value)
        .map(|_| value.to_string())
        .map_err(|e| format!("{e:#}"))
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
        after_help = "Examples:\n  lunora deploy\n  lunora deploy --dry-run          # every check, then `wrangler deploy --dry-run`\n  lunora deploy --env production -- --minify   # arguments after -- go to wrangler deploy"
    )]
    Deploy(DeployArgs),
    /// Check every prerequisite of dev and deploy at once (Node, wrangler, Docker, Railpack, packages, wiring).
    #[command(after_help = "Examples:\n  lunora doctor\n  lunora doctor --format json")]
    Doctor,
    /// Scaffold project files.
    #[command(
        subcommand,
        after_help = "Examples:\n  lunora generate lunora-container --name=image-resizer --port 3000"
    )]
    Generate(GenerateCommand),
    /// Turn a hand-wired Cloudflare Containers project into a lunora one, keeping every Durable Object's data.
    #[command(
        long_about = "Turn a hand-wired Cloudflare Containers project into a lunora one, keeping every Durable Object's data.\n\nFor every `containers[]` entry of the wrangler config, adopt writes a `defineContainer` export in lunora/containers.ts with what wrangler holds (image, instance_type, max_instances, name, rollout fields, image_vars) and what the hand-written `class X extends Container` declares statically (defaultPort, sleepAfter, envVars, …). Adopting renames nothing: every class keeps its name (`className: \"Sandbox\"` where lunora's would differ), so its binding, storage and container application stay and no migration is added. The worker entry re-exports the generated classes; a hand-written class is removed when everything in it was carried over, else it stays as a subclass of its generated class with the code of its own (fetch, hooks, manualStart, run-time values), and adopt names each member. All or nothing: when one class cannot be adopted safely, nothing is written and the output says why.",
        after_help = "Examples:\n  lunora adopt --dry-run            # print the plan: every file edit and migration, write nothing\n  lunora adopt\n  lunora adopt --convert-toml       # a wrangler.toml project: convert it to wrangler.jsonc, then adopt\n  lunora adopt --root apps/worker --format json"
    )]
    Adopt(AdoptArgs),
    /// Rename a container; its Durable Object storage moves with it (a `renamed_classes` migration).
    #[command(
        long_about = "Rename a container; its Durable Object storage moves with it.\n\nThe export in lunora/containers.ts is renamed in place (nothing else in the file changes), a `renamed_classes` migration (OldContainer → NewContainer) is appended to every migrations array that declares the old class, and the old class's binding and containers[] entry move to the new class at the top level and in every env block. A binding named by lunora follows the new name (CONTAINER_TRANSCODER → CONTAINER_VIDEO_TRANSCODER); one you chose is kept. Codegen runs in the same step, so a following `lunora codegen` changes nothing.",
        after_help = "Examples:\n  lunora rename transcoder videoTranscoder\n  lunora rename transcoder videoTranscoder --format json"
    )]
    Rename(RenameArgs),
    /// Remove a container's definition; with --delete-data also its wiring and its stored data.
    #[command(
        long_about = "Remove a container's definition from lunora/containers.ts (every other definition and comment is kept).\n\nWithout --delete-data, the class's containers[] entry, binding and stored data stay in the wrangler config, and `wrangler deploy` refuses the config while the binding names a class the worker no longer exports. With --delete-data, the containers[] entry and the binding are removed (top level and env blocks) and a `deleted_classes` migration is appended: at the next deploy Cloudflare deletes every instance of the class and all of its stored data.",
        after_help = "Examples:\n  lunora remove transcoder                 # the definition goes; wiring and data stay\n  lunora remove transcoder --delete-data   # also delete its wiring and, at the next deploy, its data"
    )]
    Remove(RemoveArgs),
    /// Manage images and instances: `wrangler containers …` (Docker preflight on build and push).
    #[command(
        subcommand,
        after_help = "Examples:\n  lunora containers build ./containers/transcoder --tag transcoder:v1 --push\n  lunora containers push transcoder:v1\n  lunora containers images list\n  lunora containers images delete transcoder:v1\n  lunora containers list\n  lunora containers info <CONTAINER_ID>"
    )]
    Containers(ContainersCommand),
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
struct AdoptArgs {
    /// Print the plan (every file edit and migration) and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// In a wrangler.toml project: convert it to wrangler.jsonc first (every key and comment
    /// kept; wrangler.toml stays as it is, and wrangler reads wrangler.jsonc before it).
    #[arg(long)]
    convert_toml: bool,
}

#[derive(Args, Debug)]
struct RenameArgs {
    /// The container's current export name in lunora/containers.ts.
    #[arg(value_name = "OLD")]
    old: String,
    /// The new export name (letters and digits, e.g. videoTranscoder).
    #[arg(value_name = "NEW")]
    new: String,
}

#[derive(Args, Debug)]
struct RemoveArgs {
    /// The container's export name in lunora/containers.ts.
    #[arg(value_name = "NAME")]
    name: String,
    /// Also remove its containers[] entry and binding and append a `deleted_classes` migration:
    /// the next deploy deletes every instance of the class and all of its stored data.
    #[arg(long)]
    delete_data: bool,
}

#[derive(Args, Debug)]
struct DevArgs {
    /// Wrangler environment: reconciled by codegen and passed to the dev server.
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
    /// Do not show what the containers print (their stdout and stderr, read from the local Docker engine).
    #[arg(long)]
    no_container_logs: bool,
    /// Arguments for `wrangler dev` / `vite dev`.
    #[arg(last = true, value_name = "ARGS")]
    extra: Vec<String>,
}

#[derive(Args, Debug)]
struct DeployArgs {
    /// Wrangler environment: reconciled by codegen and passed to `wrangler deploy --env`.
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
    /// Run every check, print the build and push commands, then run `wrangler deploy --dry-run`.
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
    #[arg(long, value_parser = parse_container_name)]
    name: String,
    /// The port the starter server listens on (EXPOSEd, and the definition's defaultPort).
    #[arg(long, default_value_t = 8080, value_parser = clap::value_parser!(u16).range(1..))]
    port: u16,
}

/// `lunora containers <command>`: each one is `wrangler containers <command>` with the
/// arguments after it passed on (`--help` included, so it shows wrangler's own flags), except
/// lunora's own `--root`, `--format` and `--verbose`, which are lunora's wherever they appear
/// (see commands::containers).
#[derive(Subcommand, Debug)]
enum ContainersCommand {
    /// Build an image: `<PATH> -t <TAG> [--push]` (Docker preflight).
    #[command(disable_help_flag = true)]
    Build(PassThrough),
    /// Push a local image to the Cloudflare registry: `<TAG>` (Docker preflight).
    #[command(disable_help_flag = true)]
    Push(PassThrough),
    /// Images in the Cloudflare registry.
    #[command(subcommand)]
    Images(ImagesCommand),
    /// List containers.
    #[command(disable_help_flag = true)]
    List(PassThrough),
    /// Information about a container: `<ID>`.
    #[command(disable_help_flag = true)]
    Info(PassThrough),
    /// The instances of a container application: `<ID>`.
    #[command(disable_help_flag = true)]
    Instances(PassThrough),
    /// Delete a container: `<ID>`.
    #[command(disable_help_flag = true)]
    Delete(PassThrough),
    /// Non-Cloudflare registries: `configure|list|delete …`.
    #[command(disable_help_flag = true)]
    Registries(PassThrough),
    /// What the local instances of a container print (from the local Docker engine, as `lunora dev` shows it).
    #[command(
        after_help = "Examples:\n  lunora containers logs transcoder\n  lunora containers logs transcoder --follow   # until Ctrl-C"
    )]
    Logs(LogsArgs),
}

#[derive(Args, Debug)]
struct LogsArgs {
    /// The container: its export name in lunora/containers.ts.
    name: String,
    /// Keep showing new output, also of instances that start later, until Ctrl-C.
    #[arg(long, short)]
    follow: bool,
}

#[derive(Subcommand, Debug)]
enum ImagesCommand {
    /// List images.
    #[command(disable_help_flag = true)]
    List(PassThrough),
    /// Delete an image: `<TAG>`.
    #[command(disable_help_flag = true)]
    Delete(PassThrough),
}

#[derive(Args, Debug)]
struct PassThrough {
    /// Arguments for wrangler, passed verbatim.
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "ARGS"
    )]
    args: Vec<String>,
}

impl ContainersCommand {
    /// The wrangler arguments after `containers`, as the user typed them.
    fn wrangler_args(self) -> Vec<String> {
        let (words, rest): (&[&str], PassThrough) = match self {
            ContainersCommand::Build(a) => (&["build"], a),
            ContainersCommand::Push(a) => (&["push"], a),
            ContainersCommand::Images(ImagesCommand::List(a)) => (&["images", "list"], a),
            ContainersCommand::Images(ImagesCommand::Delete(a)) => (&["images", "delete"], a),
            ContainersCommand::List(a) => (&["list"], a),
            ContainersCommand::Info(a) => (&["info"], a),
            ContainersCommand::Instances(a) => (&["instances"], a),
            ContainersCommand::Delete(a) => (&["delete"], a),
            ContainersCommand::Registries(a) => (&["registries"], a),
            ContainersCommand::Logs(_) => unreachable!("lunora's own command, not wrangler's"),
        };
        words
            .iter()
            .map(|w| w.to_string())
            .chain(rest.args)
            .collect()
    }
}

#[derive(Args, Debug)]
struct CompletionsArgs {
    /// The shell to generate completions for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// glibc's fast bins off. Freeing the wrangler.jsonc syntax tree of a 20,000-container first
/// reconcile (millions of small nodes) spent a third of the run in `malloc_consolidate`, which
/// walks every fast-bin chunk again on each large free: 2.1 s → 1.5 s there, the same at 1,000
/// containers (BENCHMARKS.md). musl and other platforms have no such bins.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: called first thing in main, before any other thread exists; M_MXFAST 0 is a
    // documented setting (no fast bins) that only changes how freed chunks are kept.
    unsafe {
        libc::mallopt(libc::M_MXFAST, 0);
    }
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            if !e.use_stderr() {
                let _ = e.print();
                return ExitCode::from(0);
            }
            if json_requested() {
                let text = e.render().to_string();
                let first = text.lines().next().unwrap_or("usage error");
                let message = first.strip_prefix("error: ").unwrap_or(first);
                Reporter::new(Format::Json).error(crate::codes::LUNORA_USAGE, message, None);
            } else {
                let _ = e.print();
            }
            return ExitCode::from(2);
        }
    };
    let reporter = Reporter::new(cli.common.format).verbose(cli.common.verbose);
    match run(cli, &reporter) {
        Ok(code) => ExitCode::from(code.clamp(0, 255) as u8),
        // Run outside any project, or with a wrong --root: a usage error.
        Err(e) if e.is::<project::RootError>() => {
            if reporter.format == Format::Human {
                eprintln!("error: {e}");
            } else {
                reporter.error(crate::codes::LUNORA_USAGE, &format!("{e}"), None);
            }
            ExitCode::from(2)
        }
        Err(e) => {
            reporter.error(crate::codes::LUNORA_ERROR, &format!("{e:#}"), None);
            ExitCode::from(1)
        }
    }
}

/// Whether the command line asks for `--format json` (for errors found before it is parsed).
fn json_requested() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().enumerate().any(|(i, a)| {
        a == "--format=json" || (a == "--format" && args.get(i + 1).is_some_and(|v| v == "json"))
    })
}

fn run(cli: Cli, reporter: &Reporter) -> anyhow::Result<i32> {
    if let Command::Completions(args) = &cli.command {
        clap_complete::generate(
            args.shell,
            &mut Cli::command(),
            "lunora",
            &mut std::io::stdout(),
        );
        return Ok(0);
    }
    let root = cli.common.root.as_deref();
    if matches!(&cli.command, Command::Containers(c) if !matches!(c, ContainersCommand::Logs(_))) {
        let Command::Containers(command) = cli.command else {
            unreachable!("matched above")
        };
        // Its own project lookup and error reporting: lunora's flags may follow `containers`.
        return Ok(commands::containers::run(
            root,
            reporter,
            command.wrangler_args(),
        ));
    }
    let project = project::locate(root)?;
    match cli.command {
        Command::Codegen(args) => {
            let options = pipeline::PlanOptions {
                env: args.env,
                ..Default::default()
            };
            if args.watch {
                return watch::run(&project, &options, reporter);
            }
            let outcome = commands::codegen::run_once(&project, &options, args.check, reporter)?;
            if args.cost {
                advise::print_cost(&outcome.plan, reporter);
            }
            Ok(if outcome.types_ok { outcome.code } else { 1 })
        }
        Command::Dev(args) => {
            let options = pipeline::PlanOptions {
                env: args.env,
                ..Default::default()
            };
            commands::dev::run(
                &project,
                &options,
                &args.extra,
                !args.no_container_logs,
                reporter,
            )
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
            commands::deploy::run(&project, &options, deploy, reporter)
        }
        Command::Generate(GenerateCommand::LunoraContainer(args)) => {
            let args = commands::generate::GenerateArgs {
                name: args.name,
                port: args.port,
            };
            commands::generate::run(&project, &args, reporter)
        }
        Command::Containers(ContainersCommand::Logs(args)) => {
            commands::container_logs::run(&project, &args.name, args.follow, reporter)
        }
        Command::Containers(_) => unreachable!("handled above"),
        Command::Doctor => commands::doctor::run(&project, reporter),
        Command::Adopt(args) => {
            commands::adopt::run(&project, args.dry_run, args.convert_toml, reporter)
        }
        Command::Rename(args) => commands::rename::run(&project, &args.old, &args.new, reporter),
        Command::Remove(args) => {
            commands::remove::run(&project, &args.name, args.delete_data, reporter)
        }
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
