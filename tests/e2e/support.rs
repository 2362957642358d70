//! Helpers for end-to-end tests: temp copies of example projects wired to the workspace's
//! node_modules, running the real `lunora` binary and the real npm tools.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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
    let dist = workspace().join("packages/container/dist/index.js");
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
