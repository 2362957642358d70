//! `lunora adopt`: a hand-wired Cloudflare Containers project (a `class X extends Container` in
//! the worker, a `containers[]` entry, a Durable Object binding and a migration) becomes a lunora
//! one, without losing a byte of Durable Object storage and without renaming anything.
//!
//! The plan is `lunora_project::adopt_plan` (every decision, over the project's `Fs`); this
//! command stages its files, runs codegen on top in the same transaction, writes atomically (or
//! shows the plan with `--dry-run`) and reports what was done and what is left to the user.

use crate::commands::migrate::{self, Staged};
use crate::commands::toml_convert;
use crate::output::Reporter;
use crate::project::{self, Project, CONTAINERS_TS};
use anyhow::Result;
use lunora_project::adopt::Adoption;
use lunora_project::adopt_plan::{plan_adopt, AdoptOutcome};
use lunora_project::package_json::{self, RuntimePackages};

pub fn run(
    project: &Project,
    dry_run: bool,
    convert_toml: bool,
    reporter: &Reporter,
) -> Result<i32> {
    // A wrangler.toml project: lunora edits only JSON configs, so it is converted first (on
    // request), and the converted wrangler.jsonc is written with the adoption.
    let converted = match toml_convert::converted_config(project, convert_toml)? {
        toml_convert::Outcome::NotToml => None,
        toml_convert::Outcome::Refused(errors, toml_sources) => {
            return Ok(migrate::refuse(reporter, &errors, &toml_sources))
        }
        toml_convert::Outcome::Converted(wf) => Some(wf),
    };
    let plan = match plan_adopt(project, converted)? {
        AdoptOutcome::ConvertOnly {
            file: (rel, text),
            why,
        } => {
            // Nothing to adopt, but the conversion asked for is done.
            let mut staged = Staged::default();
            staged.put(&rel, text);
            let (code, _) = migrate::finish(project, staged, Some(&rel), dry_run, reporter)?;
            if code == 0 {
                reporter.note(&format!(
                    "lunora: {} wrangler.toml to {rel} (wrangler.toml is left as it is; wrangler reads {rel} first); {why}, so there is nothing to adopt",
                    if dry_run { "would convert" } else { "converted" },
                ));
            }
            return Ok(code);
        }
        AdoptOutcome::NothingToAdopt(where_) => {
            reporter.note(&format!(
                "lunora: every container in the wrangler config is {where_}; nothing to adopt"
            ));
            return Ok(0);
        }
        AdoptOutcome::Refused(refusal) => {
            for note in &refusal.notes {
                reporter.note(note);
            }
            return Ok(migrate::refuse(
                reporter,
                &refusal.diagnostics,
                &refusal.sources,
            ));
        }
        AdoptOutcome::Planned(plan) => plan,
    };
    let mut staged = Staged::default();
    for (rel, text) in &plan.files {
        staged.put(rel, text.clone());
    }
    let (code, _tx) =
        migrate::finish(project, staged, Some(&plan.wrangler_rel), dry_run, reporter)?;
    if code != 0 {
        return Ok(code);
    }
    let (adoptions, entry, packages, package_manager) = (
        &plan.adoptions,
        &plan.entry,
        &plan.packages,
        &plan.package_manager,
    );
    let kept = &plan.kept;

    // What was done, class by class, and what is left to the user.
    let mut lines = Vec::new();
    for a in adoptions {
        let storage = if !a.class_fixed {
            format!(
                "{} keeps its storage (same class name, no migration)",
                a.class
            )
        } else {
            format!(
                "{} keeps its name (`className`), its storage and its container application; no migration",
                a.class
            )
        };
        let carried = if a.carried.is_empty() {
            String::new()
        } else {
            format!("; from the class: {}", a.carried.join(", "))
        };
        lines.push(format!(
            "  `{}` → `{}` (class {}, binding {} kept): {storage}{carried}",
            a.class, a.export, a.generated, a.binding
        ));
        reporter.progress(
            if dry_run {
                crate::codes::LUNORA_WOULD_ADOPT
            } else {
                crate::codes::LUNORA_ADOPTED
            },
            if dry_run { "would adopt" } else { "adopted" },
            CONTAINERS_TS,
            &format!("{} as `{}`", a.class, a.export),
        );
    }
    reporter.diagnostics(kept, &plan.kept_sources);
    let mut out = format!(
        "\n{} {} hand-wired container{}:\n{}\n",
        if dry_run { "Would adopt" } else { "Adopted" },
        adoptions.len(),
        if adoptions.len() == 1 { "" } else { "s" },
        lines.join("\n")
    );
    let through_star: Vec<&Adoption> = adoptions
        .iter()
        .filter(|a| a.keep_because.is_empty())
        .collect();
    if !through_star.is_empty() {
        let handles = project::relative_specifier(
            &entry.dir,
            std::path::Path::new("lunora/_generated/containerHandles"),
        );
        out.push_str(&format!(
            "The worker now exports {} through `export *`, which `wrangler types` does not follow: in its `Env`, {} {} untyped Durable Object {}. Where code needs the class type (e.g. `getContainer(env.X)`), type the env with lunora's fragment: `import type {{ ContainersEnv }} from \"{handles}\";` and `env: Env & ContainersEnv`.\n",
            through_star.iter().map(|a| a.generated.as_str()).collect::<Vec<_>>().join(", "),
            through_star.iter().map(|a| format!("`env.{}`", a.binding)).collect::<Vec<_>>().join(", "),
            if through_star.len() == 1 { "becomes an" } else { "become" },
            if through_star.len() == 1 { "namespace" } else { "namespaces" },
        ));
    }
    if plan.converted {
        out.push_str(&format!(
            "{} wrangler.toml to {} (every key and comment kept); wrangler.toml is left as it is, and wrangler reads {} first: delete wrangler.toml once you have checked the result.\n",
            if dry_run { "Would convert" } else { "Converted" },
            plan.wrangler_rel,
            plan.wrangler_rel
        ));
    }
    match packages {
        RuntimePackages::Declared => {}
        RuntimePackages::Add(_, added) => out.push_str(&format!(
            "{} to package.json (dependencies): {}.\n",
            if dry_run { "Would add" } else { "Added" },
            package_json::describe_dependencies(added)
        )),
        RuntimePackages::ByHand(why, deps) => out.push_str(&format!(
            "{}; the worker now imports {}: add them to its `dependencies`.\n",
            match why {
                Some(why) => format!("package.json was left alone: {why}"),
                None => "there is no package.json".to_string(),
            },
            package_json::describe_dependencies(deps)
        )),
    }
    if dry_run {
        out.push_str("Dry run: nothing was written.\n");
    } else {
        // Installing comes first: the worker does not build until the packages are there.
        let mut steps: Vec<String> = Vec::new();
        match packages {
            RuntimePackages::Declared => {}
            RuntimePackages::Add(..) => steps.push(format!(
                "install the new dependencies: `{}`",
                package_manager.install_command()
            )),
            RuntimePackages::ByHand(..) => steps.push(format!(
                "add the packages named above to package.json and run `{}`",
                package_manager.install_command()
            )),
        }
        steps.push(format!(
            "run `{}` to refresh the `Env` type (the classes now come from lunora's generated module) and check the diff",
            package_manager.exec_command("wrangler types")
        ));
        steps.push("deploy".to_string());
        out.push_str("Next:\n");
        for (i, step) in steps.iter().enumerate() {
            out.push_str(&format!("  {}. {step}.\n", i + 1));
        }
    }
    // Names and bindings come from the user's files: escaped like every value lunora prints.
    reporter.note(&crate::output::escape_lines(out.trim_end()));
    Ok(0)
}
