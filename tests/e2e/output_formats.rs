//! Output formats of every command: JSON records (`--format json`) and GitHub annotations
//! (`--format github`) for progress, errors and write failures, quiet and verbose human output,
//! control characters escaped, and `--watch` runs stamped with the time.

use crate::migrations::json_records;
use crate::support::{Fakes, TempProject};

/// A directory nothing can be created in, even by root (the immutable attribute), for as long
/// as this lives. Panics when the file system cannot do that: the test must not pass vacuously.
struct Immutable(std::path::PathBuf);

impl Immutable {
    const FS_IOC_GETFLAGS: libc::c_ulong = 0x8008_6601;
    const FS_IOC_SETFLAGS: libc::c_ulong = 0x4008_6602;
    const FS_IMMUTABLE_FL: libc::c_long = 0x10;

    fn set(dir: &std::path::Path, on: bool) -> std::io::Result<()> {
        use std::os::fd::AsRawFd;
        let f = std::fs::File::open(dir)?;
        let mut flags: libc::c_long = 0;
        unsafe {
            if libc::ioctl(f.as_raw_fd(), Self::FS_IOC_GETFLAGS, &mut flags) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            flags = if on {
                flags | Self::FS_IMMUTABLE_FL
            } else {
                flags & !Self::FS_IMMUTABLE_FL
            };
            if libc::ioctl(f.as_raw_fd(), Self::FS_IOC_SETFLAGS, &flags) != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        Ok(())
    }

    fn new(dir: &std::path::Path) -> Immutable {
        std::fs::create_dir_all(dir).unwrap();
        if Self::set(dir, true).is_err() {
            // Not root: permissions do the same.
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
        assert!(
            std::fs::write(dir.join("probe"), "x").is_err(),
            "cannot make {} unwritable here",
            dir.display()
        );
        Immutable(dir.to_path_buf())
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Self::set(&self.0, false);
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
    }
}

#[test]
fn write_failure_is_a_json_record_under_format_json() {
    let p = TempProject::example_bare("transcoder");
    let _lock = Immutable::new(&p.path().join("lunora/_generated"));
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(1);
    let records = json_records(&run.stdout);
    let failed = records
        .iter()
        .find(|r| r["code"] == "lunora/write-failed")
        .unwrap_or_else(|| panic!("no lunora/write-failed record in\n{}", run.stdout));
    assert_eq!(failed["severity"], "error");
    assert!(
        failed["message"]
            .as_str()
            .unwrap()
            .contains("lunora/_generated"),
        "{failed}"
    );
    assert!(
        !records.iter().any(|r| r["code"] == "lunora/wrote"),
        "nothing may be reported as written:\n{}",
        run.stdout
    );
    // Human: an `error:` line, exit 1.
    let run = p.lunora(&["codegen"]);
    run.assert_code(1);
    assert!(run.stderr.contains("error: "), "{}", run.stderr);
}

#[test]
fn other_errors_are_json_records_and_github_annotations_too() {
    let p = TempProject::example_bare("transcoder");
    // No wrangler anywhere: `containers list` fails before it starts.
    let f = Fakes::new().set("PATH", "/nonexistent");
    let run = p.lunora_env(&["--format", "json", "containers", "list"], &f.envs());
    run.assert_code(1);
    let records = json_records(&run.stdout);
    assert_eq!(records.len(), 1, "{}", run.stdout);
    assert_eq!(records[0]["severity"], "error");
    assert_eq!(records[0]["code"], "lunora/error");
    assert!(
        records[0]["message"]
            .as_str()
            .unwrap()
            .contains("`wrangler` was not found"),
        "{}",
        run.stdout
    );
    let run = p.lunora_env(&["--format", "github", "containers", "list"], &f.envs());
    run.assert_code(1);
    assert!(
        run.stdout
            .starts_with("::error title=lunora/error::`wrangler` was not found"),
        "{}",
        run.stdout
    );
    // A usage error under --format json is a record too (and exit 2).
    let run = p.lunora(&["--format", "json", "codegen", "--chek"]);
    run.assert_code(2);
    let records = json_records(&run.stdout);
    assert_eq!(records[0]["code"], "lunora/usage", "{}", run.stdout);
    assert!(
        records[0]["message"].as_str().unwrap().contains("--chek"),
        "{}",
        run.stdout
    );
}

#[test]
fn json_progress_records_for_each_kind_of_change() {
    let p = TempProject::example_bare("transcoder");
    // A config with nothing wired, but one field that will be updated on the second run.
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(0);
    let first = json_records(&run.stdout);
    let codes: Vec<&str> = first.iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"lunora/wrote"), "{codes:?}");
    let wrote = first.iter().find(|r| r["code"] == "lunora/wrote").unwrap();
    assert_eq!(wrote["severity"], "info");
    assert_eq!(wrote["file"], "lunora/_generated/containers.ts");
    assert_eq!(wrote["message"], "wrote lunora/_generated/containers.ts");
    // The example's config is already wired: its entries are unchanged, and reported so.
    let unchanged = first
        .iter()
        .find(|r| r["code"] == "wrangler/unchanged")
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(unchanged["file"], "wrangler.jsonc");

    // Nothing changed: every item is reported unchanged (JSON always lists them).
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(0);
    let again = json_records(&run.stdout);
    for file in [
        "lunora/_generated/containers.ts",
        "lunora/_generated/containerHandles.ts",
    ] {
        assert!(
            again
                .iter()
                .any(|r| r["code"] == "lunora/unchanged" && r["file"] == file),
            "{file}: {}",
            run.stdout
        );
    }
    assert!(
        !again.iter().any(|r| r["code"] == "lunora/wrote"),
        "{}",
        run.stdout
    );

    // A drifted field is updated.
    let ts = p
        .read("lunora/containers.ts")
        .replace("maxInstances: 5", "maxInstances: 6");
    p.write("lunora/containers.ts", &ts);
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(0);
    let second = json_records(&run.stdout);
    let updated = second
        .iter()
        .find(|r| r["code"] == "wrangler/updated")
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(updated["file"], "wrangler.jsonc");
    assert!(
        updated["message"].as_str().unwrap().starts_with("updated "),
        "{updated}"
    );

    // A config with nothing wired gets entries added.
    p.write(
        "wrangler.jsonc",
        "{\n  \"name\": \"x\",\n  \"main\": \"src/server/index.ts\",\n  \"compatibility_date\": \"2026-04-01\"\n}\n",
    );
    let run = p.lunora(&["codegen", "--format", "json"]);
    run.assert_code(0);
    let third = json_records(&run.stdout);
    let added = third
        .iter()
        .find(|r| r["code"] == "wrangler/added")
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(added["severity"], "info");
    assert_eq!(added["file"], "wrangler.jsonc");
    // Every line is a record; the summary goes to stderr.
    assert!(
        run.stderr.contains("lunora: 1 container (transcoder)"),
        "{}",
        run.stderr
    );
}

#[test]
fn github_format_annotates_file_line_and_column() {
    let p = TempProject::example_bare("transcoder");
    p.write(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts")
            .replace("sleepAfter: \"5m\"", "sleepAfter: \"5 minutes\""),
    );
    let line = p
        .read("lunora/containers.ts")
        .lines()
        .position(|l| l.contains("5 minutes"))
        .unwrap()
        + 1;
    let run = p.lunora(&["codegen", "--format", "github"]);
    run.assert_code(1);
    let annotation = run
        .stdout
        .lines()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        annotation.starts_with(&format!(
            "::error file=lunora/containers.ts,line={line},col="
        )),
        "{annotation}"
    );
    assert!(
        annotation.contains(",title=containers/invalid-duration::"),
        "{annotation}"
    );
    // Warnings and infos are annotations too; progress stays off stdout.
    let p = TempProject::example_bare("transcoder");
    let run = p.lunora(&["codegen", "--format", "github"]);
    run.assert_code(0);
    assert!(
        run.stdout
            .lines()
            .all(|l| l.starts_with("::notice ") || l.starts_with("::warning ")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "::notice file=lunora/containers.ts,line=4,col=14,title=container_public_internet::"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn check_in_github_format_annotates_each_stale_file() {
    let p = TempProject::example_bare("transcoder");
    p.lunora(&["codegen"]).assert_code(0);
    p.write(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts")
            .replace("maxInstances: 5", "maxInstances: 7"),
    );
    let run = p.lunora(&["codegen", "--check", "--format", "github"]);
    run.assert_code(1);
    // Each stale file, at its first changed line.
    let config_line = p
        .read("wrangler.jsonc")
        .lines()
        .position(|l| l.contains("\"max_instances\": 5"))
        .unwrap()
        + 1;
    for (file, line) in [
        ("lunora/_generated/containers.ts", None),
        ("lunora/_generated/containerHandles.ts", None),
        ("wrangler.jsonc", Some(config_line)),
    ] {
        let annotation = run
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("::error file={file},")))
            .unwrap_or_else(|| panic!("no annotation for {file}:\n{}", run.stdout));
        assert!(annotation.contains(",title=lunora/stale::"), "{annotation}");
        assert!(
            annotation.ends_with(&format!(
                "::{file} is out of date%0Ahelp: run `lunora codegen` and commit the result"
            )),
            "{annotation}"
        );
        if let Some(line) = line {
            assert!(
                annotation.starts_with(&format!("::error file={file},line={line},col=")),
                "{annotation}"
            );
        }
    }
    assert!(
        !run.stdout.contains("::error file=lunora/containers.ts,"),
        "only stale files are annotated:\n{}",
        run.stdout
    );
    // The diff goes to stderr, so stdout holds annotations only.
    assert!(run.stderr.contains("+  { binding"), "{}", run.stderr);
    assert!(
        run.stdout.lines().all(|l| l.starts_with("::")),
        "{}",
        run.stdout
    );
}

#[test]
fn quiet_by_default_verbose_lists_unchanged_items() {
    let p = TempProject::example_bare("transcoder");
    let first = p.lunora(&["codegen"]);
    first.assert_code(0);
    assert!(
        first
            .stdout
            .contains("     wrote lunora/_generated/containers.ts\n"),
        "{}",
        first.stdout
    );
    assert!(!first.stdout.contains("unchanged"), "{}", first.stdout);
    assert!(
        first
            .stdout
            .ends_with("lunora: 1 container (transcoder): 3 generated files written\n"),
        "{}",
        first.stdout
    );
    let second = p.lunora(&["codegen"]);
    second.assert_code(0);
    assert_eq!(
        second.stdout, "lunora: 1 container (transcoder): up to date\n",
        "nothing changed, one summary line"
    );
    let verbose = p.lunora(&["codegen", "-v"]);
    verbose.assert_code(0);
    assert!(
        verbose
            .stdout
            .contains(" unchanged lunora/_generated/containers.ts\n"),
        "{}",
        verbose.stdout
    );
    assert!(
        verbose
            .stdout
            .contains(" unchanged wrangler.jsonc: containers[] entry for TranscoderContainer\n"),
        "{}",
        verbose.stdout
    );
    let long = p.lunora(&["codegen", "--verbose"]);
    assert_eq!(long.stdout, verbose.stdout);
}

#[test]
fn human_progress_escapes_control_characters() {
    let p = TempProject::example_bare("transcoder");
    // A container `name` with a C1 control (CSI) and a bidi override ends up in a progress
    // detail (`name "…" added`); JSON quoting does not escape either.
    p.write(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts").replace(
            "maxInstances: 5,",
            "maxInstances: 5,\n  name: \"tc\\u009b31m\\u202eevil\",",
        ),
    );
    let run = p.lunora(&["codegen"]);
    run.assert_code(0);
    let all = run.all();
    assert!(
        all.contains("name \"tc\\u{9b}31m\\u{202e}evil\" added"),
        "{all:?}"
    );
    assert!(
        !all.contains('\u{9b}') && !all.contains('\u{202e}'),
        "{all:?}"
    );
}

#[test]
fn watch_stamps_each_run_with_the_time() {
    let p = TempProject::example_bare("transcoder");
    let mut w = crate::support::Background::spawn(p.lunora_command(&["codegen", "--watch"], &[]));
    w.wait_for("the first run", |w| w.output().contains("watching"));
    p.save(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts")
            .replace("maxInstances: 5", "maxInstances: 6"),
    );
    w.wait_for("a regeneration", |w| w.output().contains("regenerated in"));
    assert_eq!(w.signal_and_wait(libc::SIGTERM), 0);
    let out = w.output();
    let stamped = |needle: &str| {
        out.lines().any(|l| {
            let b = l.as_bytes();
            l.contains(needle)
                && b.len() > 11
                && b[0] == b'['
                && b[3] == b':'
                && b[6] == b':'
                && b[9] == b']'
                && [1, 2, 4, 5, 7, 8].iter().all(|&i| b[i].is_ascii_digit())
        })
    };
    assert!(stamped("lunora: generated in"), "{out}");
    assert!(stamped("lunora: regenerated in"), "{out}");
}
