//! Helpers for end-to-end tests: temp copies of example projects wired to the workspace's
//! node_modules, running the real `lunora` binary and the real npm tools.

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The repository root.
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// A tool from the root npm workspace (`node_modules/.bin/<name>`). Panics with the fix when the
/// npm install has not run: these tests must not silently skip.
pub fn npm_bin(name: &str) -> PathBuf {
    let p = workspace().join("node_modules/.bin").join(name);
    assert!(
        p.exists(),
        "{} is missing: run `npm ci && npm run build` in the repository root first",
        p.display()
    );
    // Through node_modules, as the projects resolve it (the workspace link may point elsewhere).
    let dist = workspace().join("node_modules/@lunora/container/dist/index.js");
    assert!(
        dist.exists(),
        "{} is missing: run `npm run build` in the repository root first",
        dist.display()
    );
    p
}

/// A fake executable from `tests/fakes/` (stand-ins for programs that cannot run here).
pub fn fake(name: &str) -> PathBuf {
    workspace().join("tests/fakes").join(name)
}

/// A temporary project: a copy of `examples/<name>` (without generated or installed files),
/// with `node_modules` linked to the workspace's.
pub struct TempProject {
    pub dir: tempfile::TempDir,
}

impl TempProject {
    pub fn example(name: &str) -> TempProject {
        let dir = tempfile::Builder::new()
            .prefix("lunora-e2e-")
            .tempdir()
            .expect("tempdir");
        copy_dir(&workspace().join("examples").join(name), dir.path());
        let project = TempProject { dir };
        project.link_node_modules();
        project
    }

    /// A copy of `examples/<name>` whose `node_modules` holds only the packages the generated
    /// code imports (`@lunora/container`, `@cloudflare/containers`, linked from the workspace)
    /// and no `.bin`, so external programs resolve from `PATH` (where tests put fakes) unless
    /// the test creates `node_modules/.bin` itself.
    pub fn example_bare(name: &str) -> TempProject {
        let project = TempProject::example_copy(name);
        for package in ["@lunora/container", "@cloudflare/containers"] {
            let link = project.path().join("node_modules").join(package);
            fs::create_dir_all(link.parent().unwrap()).unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink(workspace().join("node_modules").join(package), &link)
                .expect("link a package");
        }
        project
    }

    /// A plain copy of `examples/<name>` with no `node_modules` at all (for installing into it).
    pub fn example_copy(name: &str) -> TempProject {
        let dir = tempfile::Builder::new()
            .prefix("lunora-e2e-")
            .tempdir()
            .expect("tempdir");
        copy_dir(&workspace().join("examples").join(name), dir.path());
        TempProject { dir }
    }

    pub fn empty() -> TempProject {
        let dir = tempfile::Builder::new()
            .prefix("lunora-e2e-")
            .tempdir()
            .expect("tempdir");
        let project = TempProject { dir };
        project.link_node_modules();
        project
    }

    fn link_node_modules(&self) {
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            workspace().join("node_modules"),
            self.path().join("node_modules"),
        )
        .expect("link node_modules");
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path().join(rel).exists()
    }

    /// Runs `lunora <args>` in the project (with `--root` pointing at it).
    pub fn lunora(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lunora"));
        cmd.args(args)
            .arg("--root")
            .arg(self.path())
            .env("NO_COLOR", "1");
        Run::from(cmd.output().expect("spawn lunora"))
    }

    /// Runs `lunora <args>` with extra environment variables (for example `PATH` with fakes first).
    pub fn lunora_env(&self, args: &[&str], envs: &[(&str, &str)]) -> Run {
        let mut cmd = self.lunora_command(args, envs);
        Run::from(cmd.output().expect("spawn lunora"))
    }

    /// `lunora --root <project> <args>` ready to spawn, with output piped. `--root` goes first:
    /// arguments after `--` (dev, deploy) and after `containers` are passed on verbatim.
    pub fn lunora_command(&self, args: &[&str], envs: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lunora"));
        cmd.arg("--root")
            .arg(self.path())
            .args(args)
            .env("NO_COLOR", "1");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// Replaces a file the way editors save: write a temp file next to it, then rename.
    pub fn save(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        let tmp = p.with_extension("tmp~");
        fs::write(&tmp, text).unwrap();
        fs::rename(&tmp, &p).unwrap();
    }

    /// Runs a workspace npm tool in the project directory.
    pub fn npm_tool(&self, name: &str, args: &[&str], envs: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(npm_bin(name));
        cmd.args(args).current_dir(self.path());
        cmd.env("WRANGLER_SEND_METRICS", "false")
            .env("CI", "true")
            .env("NO_COLOR", "1");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        Run::from(cmd.output().expect("spawn npm tool"))
    }

    /// Every file under the project (except node_modules and .wrangler) with its bytes.
    pub fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        walk(self.path(), self.path(), &mut out);
        out.sort();
        out
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "node_modules" || name == ".wrangler" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, out);
        } else {
            out.push((
                path.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                fs::read(&path).unwrap(),
            ));
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if matches!(
            name.as_str(),
            "node_modules" | ".wrangler" | "_generated" | "worker-configuration.d.ts"
        ) {
            continue;
        }
        let src = entry.path();
        let dst = to.join(&name);
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else {
            fs::copy(&src, &dst).unwrap();
        }
    }
}

/// The outcome of a command.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// A running `lunora` whose stdout and stderr are collected as they arrive. Killed (SIGKILL)
/// when dropped, so a failing test never leaves it behind.
pub struct Background {
    pub child: Child,
    pub stdout: Arc<Mutex<String>>,
    pub stderr: Arc<Mutex<String>>,
}

impl Background {
    pub fn spawn(mut cmd: Command) -> Background {
        let mut child = cmd.spawn().expect("spawn lunora");
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        Background {
            child,
            stdout,
            stderr,
        }
    }

    pub fn output(&self) -> String {
        format!(
            "{}{}",
            self.stdout.lock().unwrap(),
            self.stderr.lock().unwrap()
        )
    }

    /// Waits (up to 20 s) until `done` holds; panics with the output so far otherwise.
    #[track_caller]
    pub fn wait_for(&self, what: &str, done: impl Fn(&Background) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !done(self) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}\n--- output\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends `signal` and waits for the exit code (128 + n when killed by signal n).
    pub fn signal_and_wait(&mut self, signal: i32) -> i32 {
        unsafe {
            libc::kill(self.child.id() as i32, signal);
        }
        self.wait()
    }

    /// Waits (up to 20 s) for the exit code.
    pub fn wait(&mut self) -> i32 {
        use std::os::unix::process::ExitStatusExt;
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader threads drain what is left in the pipes.
                std::thread::sleep(Duration::from_millis(50));
                return status
                    .code()
                    .unwrap_or_else(|| 128 + status.signal().unwrap_or(0));
            }
            assert!(
                Instant::now() < deadline,
                "lunora did not exit\n--- output\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(stream: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let buf = Arc::new(Mutex::new(String::new()));
    let out = buf.clone();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
            out.lock().unwrap().push_str(&line);
            line.clear();
        }
    });
    buf
}

/// Fake `wrangler`, `docker`, `railpack` and `vite` (tests/fakes) first on `PATH`, recording
/// their calls to a log file.
pub struct Fakes {
    dir: tempfile::TempDir,
    vars: Vec<(String, String)>,
}

impl Fakes {
    pub fn new() -> Fakes {
        let dir = tempfile::Builder::new()
            .prefix("lunora-fakes-")
            .tempdir()
            .expect("tempdir");
        let path = format!(
            "{}:{}",
            workspace().join("tests/fakes").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let log = dir.path().join("calls.log").to_string_lossy().into_owned();
        Fakes {
            dir,
            vars: vec![("PATH".into(), path), ("FAKE_LOG".into(), log)],
        }
    }

    /// Sets another environment variable for `lunora` and the fakes.
    pub fn set(mut self, key: &str, value: &str) -> Fakes {
        self.vars.retain(|(k, _)| k != key);
        self.vars.push((key.into(), value.into()));
        self
    }

    pub fn envs(&self) -> Vec<(&str, &str)> {
        self.vars
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    /// The calls so far, one `program args` line each (empty when nothing ran).
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("calls.log")).unwrap_or_default()
    }

    /// A scratch file next to the log; returns its path.
    pub fn file(&self, name: &str, text: &str) -> String {
        let p = self.dir.path().join(name);
        fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    }
}

/// Runs `lunora <args>` with `cwd` as the working directory and no `--root`, so the project root
/// is discovered from there.
pub fn lunora_in(cwd: &Path, args: &[&str], envs: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lunora"));
    cmd.args(args).current_dir(cwd).env("NO_COLOR", "1");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    Run::from(cmd.stdin(Stdio::null()).output().expect("spawn lunora"))
}

/// Writes an executable shell script.
pub fn write_script(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// A program running on a pseudo-terminal the test holds, as in a user's terminal: the pty is
/// its controlling terminal (its own session), stdin, stdout and stderr. The test plays the
/// terminal: it reads the screen output, types keys and resizes the window. Killed (SIGKILL)
/// when dropped.
pub struct OnPty {
    pub child: Child,
    master: Arc<std::os::fd::OwnedFd>,
    slave: std::os::fd::OwnedFd,
    output: Arc<Mutex<Vec<u8>>>,
}

impl OnPty {
    pub fn spawn(mut cmd: Command, rows: u16, cols: u16) -> OnPty {
        use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
        use std::os::unix::process::CommandExt;
        let (mut master, mut slave) = (-1, -1);
        let size = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let r = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(r, 0, "openpty: {}", std::io::Error::last_os_error());
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        unsafe {
            libc::fcntl(master.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC);
        }
        cmd.stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave.try_clone().unwrap()));
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn on a pty");
        drop(cmd);
        let master = Arc::new(master);
        let output = Arc::new(Mutex::new(Vec::new()));
        {
            let master = master.clone();
            let output = output.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                loop {
                    let n = unsafe {
                        libc::read(master.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len())
                    };
                    if n <= 0 {
                        return;
                    }
                    output.lock().unwrap().extend_from_slice(&buf[..n as usize]);
                }
            });
        }
        OnPty {
            child,
            master,
            slave,
            output,
        }
    }

    /// Everything shown so far, raw (escape sequences and `\r` included).
    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// Everything shown so far, with line ends (`\r\n`, `\r\r\n`) as `\n`.
    pub fn screen(&self) -> String {
        self.raw().replace("\r\r\n", "\n").replace("\r\n", "\n")
    }

    /// Types `bytes` on the terminal.
    pub fn send(&self, bytes: &[u8]) {
        use std::os::fd::AsRawFd;
        let n = unsafe { libc::write(self.master.as_raw_fd(), bytes.as_ptr().cast(), bytes.len()) };
        assert_eq!(n, bytes.len() as isize, "writing to the pty");
    }

    /// Resizes the terminal window (the kernel sends SIGWINCH to the program).
    pub fn resize(&self, rows: u16, cols: u16) {
        use std::os::fd::AsRawFd;
        let size = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        assert_eq!(
            unsafe { libc::ioctl(self.master.as_raw_fd(), libc::TIOCSWINSZ, &size) },
            0
        );
    }

    /// The terminal's current settings (as the program left them).
    pub fn termios(&self) -> libc::termios {
        use std::os::fd::AsRawFd;
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(
            unsafe { libc::tcgetattr(self.slave.as_raw_fd(), &mut t) },
            0
        );
        t
    }

    /// Waits (up to 20 s) until the screen shows `text`; panics with the screen otherwise.
    #[track_caller]
    pub fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.screen().contains(text) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}\n--- screen\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits (up to 20 s) for the exit code (128 + n when killed by signal n), then lets the
    /// reader catch up with the last output.
    pub fn wait(&mut self) -> i32 {
        use std::os::unix::process::ExitStatusExt;
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(100));
                return status
                    .code()
                    .unwrap_or_else(|| 128 + status.signal().unwrap_or(0));
            }
            assert!(
                Instant::now() < deadline,
                "the program did not exit\n--- screen\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for OnPty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
