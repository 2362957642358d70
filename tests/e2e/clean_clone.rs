//! Issue 23.9, the `_generated` story: lunora's generated modules are committed (as Convex
//! commits `convex/_generated` and C3 commits `wrangler types` output), so a `git clone` of a
//! committed example passes the README's CI step as it is; a project whose `.gitignore` keeps
//! them out is told which line does it.

use crate::support::{workspace, TempProject};
use std::path::Path;
use std::process::Command;

#[track_caller]
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=lunora-e2e",
            "-c",
            "user.email=e2e@lunora.invalid",
        ])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The files of `examples/<name>` a commit would hold (tracked, or untracked and not ignored by
/// its `.gitignore`), committed to a fresh repository, then cloned; `node_modules` linked.
fn clean_clone(name: &str, edit: impl Fn(&Path)) -> TempProject {
    let ws = workspace();
    let listed = git(
        &ws,
        &[
            "ls-files",
            "--cached",
            "--others",
            "--exclude-standard",
            &format!("examples/{name}"),
        ],
    );
    let origin = tempfile::Builder::new()
        .prefix("lunora-e2e-origin-")
        .tempdir()
        .unwrap();
    let prefix = format!("examples/{name}/");
    for rel in listed.lines() {
        let inner = rel.strip_prefix(&prefix).expect("under the example");
        let to = origin.path().join(inner);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        if ws.join(rel).exists() {
            std::fs::copy(ws.join(rel), &to).unwrap();
        }
    }
    edit(origin.path());
    git(origin.path(), &["init", "-q"]);
    git(origin.path(), &["add", "-A"]);
    git(origin.path(), &["commit", "-q", "-m", "the example"]);
    let dir = tempfile::Builder::new()
        .prefix("lunora-e2e-clone-")
        .tempdir()
        .unwrap();
    git(
        dir.path(),
        &["clone", "-q", origin.path().to_str().unwrap(), "."],
    );
    std::os::unix::fs::symlink(ws.join("node_modules"), dir.path().join("node_modules")).unwrap();
    TempProject { dir }
}

/// The CI step of the README's "CI" section: the arguments after `npx lunora`.
fn readme_ci_step() -> Vec<String> {
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap();
    let ci = &readme[readme
        .find("## CI: `lunora codegen --check`")
        .expect("the CI section")..];
    let line = ci
        .lines()
        .find_map(|l| l.trim().strip_prefix("- run: npx lunora "))
        .expect("a `- run: npx lunora …` step");
    line.split_whitespace().map(str::to_string).collect()
}

/// Regression (issue 23): the example ignored `lunora/_generated/`, so the README's CI step
/// failed on a clean clone with "3 files are out of date".
#[test]
fn a_clean_clone_of_the_example_passes_the_readme_ci_step() {
    let step = readme_ci_step();
    assert!(step.contains(&"--check".to_string()), "{step:?}");
    for example in ["transcoder", "echo"] {
        let p = clean_clone(example, |_| {});
        assert!(p.exists("lunora/_generated/containers.ts"), "{example}");
        let args: Vec<&str> = step.iter().map(String::as_str).collect();
        let run = p.lunora(&args);
        assert_eq!(run.code, 0, "{example}: {}", run.all());
        // The clone builds and type-checks with nothing run first.
        p.npm_tool("tsc", &["--noEmit", "-p", "tsconfig.json"], &[])
            .assert_code(0);
    }
}

/// A project that ignores the generated modules fails the CI step on every clean clone; the
/// check names the `.gitignore` line and what to do, and so does `generate`.
#[test]
fn a_gitignore_that_keeps_generated_modules_out_is_named() {
    let p = clean_clone("transcoder", |root| {
        std::fs::write(
            root.join(".gitignore"),
            ".wrangler/\nlunora/_generated/\nworker-configuration.d.ts\n",
        )
        .unwrap();
        std::fs::remove_dir_all(root.join("lunora/_generated")).unwrap();
    });
    assert!(!p.exists("lunora/_generated"));
    let run = p.lunora(&["codegen", "--check", "--format", "github"]);
    run.assert_code(1);
    let out = run.all();
    assert!(
        out.contains("::warning file=.gitignore,line=2,")
            && out.contains("lunora/generated-ignored")
            && out.contains("delete this line and commit lunora/_generated/"),
        "{out}"
    );
    let run = p.lunora(&["generate", "lunora-container", "--name=thumbnailer"]);
    run.assert_code(0);
    assert!(
        run.all().contains("warning[lunora/generated-ignored]"),
        "{}",
        run.all()
    );
}
