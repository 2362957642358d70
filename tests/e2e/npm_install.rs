//! lunora installed the way a user installs it: the tarballs `scripts/package-npm.sh` writes,
//! `npm install`ed into a fresh project outside the checkout, run through `npx lunora`; the
//! generated code type-checks against the installed `@lunora/container`. Also the launcher's own
//! contract (LUNORA_BINARY, exit codes, signals, a missing platform package) and the one version
//! shared by the crate and every npm package.
//!
//! The install test packages the binary `cargo test` already built (stripped of debug info, to
//! keep the tarball small) through `--binary`; `./scripts/package-npm.sh OUTDIR` alone builds the
//! release binary itself.

use crate::support::{workspace, write_script, Background, Run, TempProject};
use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(
        &fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn run(cmd: &mut Command) -> Run {
    Run::from(
        cmd.stdin(Stdio::null())
            .env("NO_COLOR", "1")
            .env("npm_config_update_notifier", "false")
            .env_remove("LUNORA_BINARY")
            .output()
            .unwrap_or_else(|e| panic!("spawning {cmd:?}: {e} (is Node.js with npm on PATH?)")),
    )
}

/// `npm install <args>` in `dir`: from the npm cache only when it has everything, else with the
/// registry for what the cache lacks (the first run on a fresh machine).
fn npm_install(dir: &Path, args: &[&str]) {
    let mut last = None;
    for mode in ["--offline", "--prefer-offline"] {
        let r = run(Command::new("npm")
            .arg("install")
            .arg(mode)
            .args(["--no-audit", "--no-fund", "--loglevel=error"])
            .args(args)
            .current_dir(dir));
        if r.code == 0 {
            return;
        }
        last = Some(r);
    }
    let r = last.unwrap();
    panic!("npm install failed\n{}", r.all());
}

/// The pinned version of a tool in the workspace's root package.json (one source of pins).
fn pinned(name: &str) -> String {
    read_json(&workspace().join("package.json"))["devDependencies"][name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} is not pinned in the root package.json"))
        .to_string()
}

#[test]
fn the_crate_and_every_npm_package_share_one_version() {
    let ws = workspace();
    let launcher = read_json(&ws.join("packages/cli/package.json"));
    assert_eq!(launcher["version"], VERSION, "packages/cli/package.json");
    let platforms = read_json(&ws.join("packages/cli/platforms.json"));
    let mut listed: Vec<String> = platforms
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["package"].as_str().unwrap().to_string())
        .collect();
    listed.sort();
    let optional = launcher["optionalDependencies"].as_object().unwrap();
    assert_eq!(
        optional.keys().cloned().collect::<Vec<_>>(),
        listed,
        "optionalDependencies = platforms.json"
    );
    for (name, range) in optional {
        assert_eq!(range, VERSION, "optionalDependencies {name}");
    }
    for required in [
        "@lunora/cli-linux-x64-gnu",
        "@lunora/cli-linux-x64-musl",
        "@lunora/cli-linux-arm64-gnu",
        "@lunora/cli-darwin-x64",
        "@lunora/cli-darwin-arm64",
        "@lunora/cli-win32-x64-msvc",
    ] {
        assert!(optional.contains_key(required), "{required}");
    }
    assert_eq!(
        read_json(&ws.join("packages/container/package.json"))["version"],
        VERSION,
        "packages/container/package.json"
    );
    assert_eq!(
        read_json(&ws.join("examples/transcoder/package.json"))["dependencies"]
            ["@lunora/container"],
        VERSION,
        "examples/transcoder/package.json"
    );

    let r = run(Command::new(env!("CARGO_BIN_EXE_lunora")).arg("--version"));
    r.assert_code(0);
    assert_eq!(r.stdout, format!("lunora {VERSION}\n"));

    // The packaging script's own check agrees, and refuses a drifted copy of the tree.
    let r = run(Command::new("node")
        .arg(ws.join("packages/cli/scripts/stage.mjs"))
        .arg("versions"));
    r.assert_code(0);
    assert_eq!(r.stdout, format!("{VERSION}\n"));
    let copy = tempfile::tempdir().unwrap();
    for rel in [
        "Cargo.toml",
        "packages/container/package.json",
        "packages/cli/package.json",
        "packages/cli/platforms.json",
        "packages/cli/lib/platform.js",
        "packages/cli/scripts/stage.mjs",
    ] {
        let to = copy.path().join(rel);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(ws.join(rel), to).unwrap();
    }
    let manifest = copy.path().join("packages/cli/package.json");
    let drifted = fs::read_to_string(&manifest).unwrap().replacen(
        &format!("\"@lunora/cli-darwin-x64\": \"{VERSION}\""),
        "\"@lunora/cli-darwin-x64\": \"0.0.1\"",
        1,
    );
    fs::write(&manifest, drifted).unwrap();
    let r = run(Command::new("node")
        .arg(copy.path().join("packages/cli/scripts/stage.mjs"))
        .arg("versions"));
    r.assert_code(1);
    assert!(
        r.stderr.contains("not in lock-step")
            && r.stderr
                .contains("optionalDependencies @lunora/cli-darwin-x64 is 0.0.1"),
        "{}",
        r.stderr
    );
}

/// The tarballs of one `package-npm.sh` run: (launcher, platform package, runtime).
struct Tarballs {
    _dir: tempfile::TempDir,
    launcher: PathBuf,
    platform: PathBuf,
    runtime: PathBuf,
}

fn package() -> Tarballs {
    let dir = tempfile::Builder::new()
        .prefix("lunora-npm-")
        .tempdir()
        .unwrap();
    // Debug info is most of a debug binary (110 MB → 8 MB); npm pack would spend half a minute
    // compressing it. Without `strip` the binary goes in as it is.
    let binary = dir.path().join("lunora");
    let stripped = Command::new("strip")
        .arg("-o")
        .arg(&binary)
        .arg(env!("CARGO_BIN_EXE_lunora"))
        .status()
        .is_ok_and(|s| s.success());
    if !stripped {
        fs::copy(env!("CARGO_BIN_EXE_lunora"), &binary).unwrap();
    }
    let out = dir.path().join("out");
    let r = run(Command::new(workspace().join("scripts/package-npm.sh"))
        .arg("--binary")
        .arg(&binary)
        .arg(&out));
    r.assert_code(0);
    let mut launcher = None;
    let mut platform = None;
    let mut runtime = None;
    for entry in fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == format!("lunora-cli-{VERSION}.tgz") {
            launcher = Some(path);
        } else if name == format!("lunora-container-{VERSION}.tgz") {
            runtime = Some(path);
        } else if name.starts_with("lunora-cli-") && name.ends_with(&format!("-{VERSION}.tgz")) {
            assert!(platform.is_none(), "one platform package: {name}");
            platform = Some(path);
        } else {
            panic!("unexpected file in OUTDIR: {name}");
        }
    }
    Tarballs {
        _dir: dir,
        launcher: launcher.expect("launcher tarball"),
        platform: platform.expect("platform tarball"),
        runtime: runtime.expect("runtime tarball"),
    }
}

/// `npx lunora ARGS` in `dir`, with no Rust toolchain on PATH.
fn npx(dir: &Path, args: &[&str]) -> Run {
    run(Command::new("npx")
        .arg("lunora")
        .args(args)
        .env("PATH", path_without_cargo())
        .current_dir(dir))
}

/// [`npm_install`] with `PATH` set to `path`.
fn npm_install_with_path(dir: &Path, args: &[&str], path: &std::ffi::OsStr) {
    let mut last = None;
    for mode in ["--offline", "--prefer-offline"] {
        let r = run(Command::new("npm")
            .arg("install")
            .arg(mode)
            .args(["--no-audit", "--no-fund", "--loglevel=error"])
            .args(args)
            .env("PATH", path)
            .current_dir(dir));
        if r.code == 0 {
            return;
        }
        last = Some(r);
    }
    panic!("npm install {args:?} failed\n{}", last.unwrap().all());
}

/// PATH without any directory that holds `cargo` or `rustc`: the installed app must not need Rust.
fn path_without_cargo() -> std::ffi::OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let kept: Vec<PathBuf> = std::env::split_paths(&path)
        .filter(|dir| !dir.join("cargo").exists() && !dir.join("rustc").exists())
        .collect();
    std::env::join_paths(kept).unwrap()
}

#[test]
fn installed_from_the_tarballs_lunora_runs_codegen_and_the_output_type_checks() {
    let tarballs = package();
    // A fresh project outside the checkout: a copy of the example, with a package.json that
    // names none of lunora's packages yet (the README's Install section adds them).
    let p = TempProject::example_copy("transcoder");
    assert!(!p.path().starts_with(workspace()));
    let mut dev = serde_json::Map::new();
    for tool in ["@cloudflare/workers-types", "typescript"] {
        dev.insert(tool.into(), pinned(tool).into());
    }
    let manifest = serde_json::json!({
        "name": "installed-like-a-user",
        "private": true,
        "type": "module",
        "devDependencies": dev,
    });
    p.write(
        "package.json",
        &serde_json::to_string_pretty(&manifest).unwrap(),
    );
    npm_install(p.path(), &[]);
    // The README's two commands, without Rust on PATH: the launcher and this machine's platform
    // package as dev dependencies, the runtime (imported by the worker) as a dependency.
    let no_cargo = path_without_cargo();
    let tgz = |t: &Path| t.to_string_lossy().into_owned();
    npm_install_with_path(
        p.path(),
        &["-D", &tgz(&tarballs.launcher), &tgz(&tarballs.platform)],
        &no_cargo,
    );
    npm_install_with_path(p.path(), &[&tgz(&tarballs.runtime)], &no_cargo);
    let platform_name = read_json(&p.path().join("package.json"))["devDependencies"]
        .as_object()
        .unwrap()
        .keys()
        .find(|k| k.starts_with("@lunora/cli-"))
        .expect("the platform package is a dev dependency")
        .clone();
    let declared = read_json(&p.path().join("package.json"));
    assert!(
        declared["dependencies"]["@lunora/container"]
            .as_str()
            .is_some_and(|s| s.starts_with("file:")),
        "{declared}"
    );

    let installed = p.path().join("node_modules/@lunora");
    for pkg in [
        "cli",
        "container",
        platform_name.trim_start_matches("@lunora/"),
    ] {
        let dir = installed.join(pkg);
        assert!(
            dir.is_dir() && !dir.is_symlink(),
            "{} is installed, not linked",
            dir.display()
        );
        assert_eq!(
            read_json(&dir.join("package.json"))["version"],
            VERSION,
            "{pkg}"
        );
    }

    let r = npx(p.path(), &["--version"]);
    r.assert_code(0);
    assert_eq!(r.stdout, format!("lunora {VERSION}\n"));

    // codegen from the project root, then --check from below it (the root is discovered).
    let r = npx(p.path(), &["codegen"]);
    r.assert_code(0);
    assert!(
        r.stdout.contains("wrote lunora/_generated/containers.ts"),
        "{}",
        r.all()
    );
    npx(&p.path().join("src/server"), &["codegen", "--check"]).assert_code(0);

    // Exit codes come through the launcher and npx: stale output is 1, a usage error 2.
    let ts = p.read("lunora/containers.ts");
    p.write(
        "lunora/containers.ts",
        &ts.replace("maxInstances: 5", "maxInstances: 6"),
    );
    let r = npx(p.path(), &["codegen", "--check"]);
    r.assert_code(1);
    assert!(r.stdout.contains("out of date"), "{}", r.all());
    p.write("lunora/containers.ts", &ts);
    npx(p.path(), &["codegen", "--chek"]).assert_code(2);

    // The generated code type-checks against the installed runtime, not the workspace's.
    let r = run(Command::new(p.path().join("node_modules/.bin/tsc"))
        .args(["--noEmit", "-p", "tsconfig.json", "--listFiles"])
        .current_dir(p.path()));
    assert_eq!(r.code, 0, "tsc rejected the generated code:\n{}", r.all());
    let project = p.path().canonicalize().unwrap();
    for dts in ["index.d.ts", "do.d.ts"] {
        let expected = project
            .join("node_modules/@lunora/container/dist")
            .join(dts);
        assert!(
            r.stdout.lines().any(|l| Path::new(l) == expected),
            "tsc did not read {}:\n{}",
            expected.display(),
            r.stdout
        );
    }
    let ws = workspace().display().to_string();
    assert!(
        !r.stdout.lines().any(|l| l.starts_with(&ws)),
        "tsc read files from the checkout:\n{}",
        r.stdout
    );

    // `generate` keeps the runtime's tarball specifier and adds @cloudflare/containers at a
    // range the registry serves: the plain install it asks for then succeeds.
    let r = npx(
        p.path(),
        &["generate", "lunora-container", "--name=thumbnailer"],
    );
    r.assert_code(0);
    let after = read_json(&p.path().join("package.json"));
    assert_eq!(
        after["dependencies"]["@lunora/container"], declared["dependencies"]["@lunora/container"],
        "the installed runtime's specifier is kept"
    );
    assert!(
        after["dependencies"]["@cloudflare/containers"].is_string(),
        "{after}"
    );
    npm_install_with_path(p.path(), &[], &path_without_cargo());
    npx(p.path(), &["codegen", "--check"]).assert_code(0);
    let r = run(Command::new(p.path().join("node_modules/.bin/tsc"))
        .args(["--noEmit", "-p", "tsconfig.json"])
        .current_dir(p.path()));
    assert_eq!(r.code, 0, "tsc after generate:\n{}", r.all());
}

/// A project with only the launcher installed (`--omit=optional`), and its `lunora` command.
fn launcher_only() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::Builder::new()
        .prefix("lunora-npm-")
        .tempdir()
        .unwrap();
    let r = run(Command::new("npm")
        .args(["pack", "--loglevel=error", "--pack-destination"])
        .arg(dir.path())
        .current_dir(workspace().join("packages/cli")));
    r.assert_code(0);
    let tarball = dir.path().join(r.stdout.trim().lines().last().unwrap());
    let project = dir.path().join("project");
    fs::create_dir_all(&project).unwrap();
    fs::write(
        project.join("package.json"),
        "{\"name\": \"launcher-only\", \"private\": true}\n",
    )
    .unwrap();
    npm_install(
        &project,
        &["--omit=optional", "-D", &tarball.to_string_lossy()],
    );
    let bin = project.join("node_modules/.bin/lunora");
    assert!(bin.exists(), "the launcher's bin is linked");
    (dir, bin)
}

fn launch(bin: &Path, args: &[&str], binary: Option<&Path>) -> Command {
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match binary {
        Some(b) => cmd.env("LUNORA_BINARY", b),
        None => cmd.env_remove("LUNORA_BINARY"),
    };
    cmd
}

#[test]
fn the_launcher_runs_lunora_binary_and_forwards_arguments_exit_codes_and_signals() {
    let (dir, bin) = launcher_only();

    // Installed with --omit=optional: no binary, and the message says which package and how.
    let r = Run::from(launch(&bin, &["--version"], None).output().unwrap());
    r.assert_code(1);
    for needle in [
        "is not installed",
        "@lunora/cli-",
        "--omit=optional",
        "npm install -D @lunora/cli-",
        "LUNORA_BINARY",
    ] {
        assert!(r.stderr.contains(needle), "`{needle}` in\n{}", r.stderr);
    }

    // LUNORA_BINARY: the real binary.
    let real = Path::new(env!("CARGO_BIN_EXE_lunora"));
    let r = Run::from(launch(&bin, &["--version"], Some(real)).output().unwrap());
    r.assert_code(0);
    assert_eq!(r.stdout, format!("lunora {VERSION}\n"));

    // …that does not exist, or is a directory: an error naming the variable and the path.
    let missing = dir.path().join("no-such-lunora");
    let r = Run::from(
        launch(&bin, &["--version"], Some(&missing))
            .output()
            .unwrap(),
    );
    r.assert_code(1);
    assert!(
        r.stderr.contains(&format!(
            "LUNORA_BINARY is set to {}, but there is no file there",
            missing.display()
        )),
        "{}",
        r.stderr
    );
    let r = Run::from(
        launch(&bin, &["--version"], Some(dir.path()))
            .output()
            .unwrap(),
    );
    r.assert_code(1);
    assert!(r.stderr.contains("which is not a file"), "{}", r.stderr);

    // Arguments, environment and working directory pass through verbatim; the exit code comes back.
    let echo = dir.path().join("echo-lunora");
    write_script(
        &echo,
        "for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\nprintf 'cwd=%s var=%s\\n' \"$(pwd)\" \"$MY_VAR\"\nexit 7",
    );
    let cwd = dir.path().join("project");
    let r = Run::from(
        launch(&bin, &["codegen", "a b", "", "--flag=ü"], Some(&echo))
            .current_dir(&cwd)
            .env("MY_VAR", "x y")
            .output()
            .unwrap(),
    );
    r.assert_code(7);
    assert_eq!(
        r.stdout,
        format!(
            "[codegen]\n[a b]\n[]\n[--flag=ü]\ncwd={} var=x y\n",
            cwd.canonicalize().unwrap().display()
        )
    );

    // A binary killed by a signal: the launcher dies of the same signal.
    for (signal, name) in [(libc::SIGTERM, "TERM"), (libc::SIGHUP, "HUP")] {
        let suicide = dir.path().join(format!("kill-{name}"));
        write_script(&suicide, &format!("kill -{name} $$\nsleep 5"));
        let status = launch(&bin, &[], Some(&suicide)).status().unwrap();
        assert_eq!(status.signal(), Some(signal), "{name}: {status:?}");
    }

    // Signals sent to the launcher reach the binary, which decides how to exit.
    let trap = dir.path().join("trap-lunora");
    write_script(
        &trap,
        // Gives up by itself after ~30 s, so a failing run leaves nothing behind.
        "trap 'echo got TERM; exit 42' TERM\ntrap 'echo got INT; exit 43' INT\necho ready\ni=0\nwhile [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done\nexit 99",
    );
    for (signal, name, code) in [(libc::SIGTERM, "TERM", 42), (libc::SIGINT, "INT", 43)] {
        let mut child = Background::spawn(launch(&bin, &[], Some(&trap)));
        child.wait_for("the binary to start", |b| b.output().contains("ready"));
        assert_eq!(child.signal_and_wait(signal), code, "{name}");
        assert!(
            child.output().contains(&format!("got {name}")),
            "{}",
            child.output()
        );
    }
}

#[test]
fn ctrl_c_on_a_terminal_reaches_the_binary_once() {
    let (dir, bin) = launcher_only();
    // Reports each SIGINT with its sender (si_pid 0: the terminal; the launcher's pid: forwarded),
    // exits 42 on SIGTERM. Python for sigwaitinfo, which a shell trap cannot do (two SIGINTs
    // close together also merge in a trap). Ends by itself after 30 s.
    let counter = dir.path().join("signal-report");
    write_script(
        &counter,
        r#"exec python3 -c '
import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
print("ready", os.getpid(), os.getppid(), flush=True)
while True:
    info = signal.sigtimedwait({signal.SIGINT, signal.SIGTERM}, 30)
    if info is None:
        sys.exit(99)
    if info.si_signo == signal.SIGTERM:
        print("TERM", flush=True)
        sys.exit(42)
    print("INT from", info.si_pid, flush=True)
'"#,
    );
    // util-linux `script` gives the launcher a terminal (a pty) and writes our stdin into it:
    // a \x03 there is Ctrl-C, which the terminal sends to its whole foreground process group.
    let mut cmd = Command::new("script");
    // `exec`: no shell waits in between (one that saw Ctrl-C would die of it, whatever we exit with).
    cmd.args(["-qfec", &format!("exec {}", bin.display()), "/dev/null"])
        .env("SHELL", "/bin/sh")
        .env("LUNORA_BINARY", &counter)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut session = Background::spawn(cmd);
    session.wait_for("the binary to start", |b| b.output().contains("ready "));
    let launcher_pid: i32 = {
        let out = session.output();
        let line = out
            .lines()
            .find(|l| l.contains("ready "))
            .unwrap()
            .to_string();
        line.trim()
            .rsplit(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap_or_else(|_| panic!("no pid in {line:?}"))
    };
    use std::io::Write;
    session
        .child
        .stdin
        .as_mut()
        .unwrap()
        .write_all(b"\x03")
        .unwrap();
    session.wait_for("Ctrl-C to arrive", |b| b.output().contains("INT from "));
    // Give a second, forwarded SIGINT (the bug) time to arrive.
    std::thread::sleep(std::time::Duration::from_millis(500));
    unsafe {
        libc::kill(launcher_pid, libc::SIGTERM);
    }
    assert_eq!(session.wait(), 42, "{}", session.output());
    let out = session.output();
    let ints: Vec<&str> = out.lines().filter(|l| l.contains("INT from ")).collect();
    assert_eq!(
        ints.len(),
        1,
        "one SIGINT, from the terminal, none forwarded by the launcher (pid {launcher_pid}):\n{out}"
    );
    assert!(ints[0].trim_end().ends_with("INT from 0"), "{out}");
}
