//! `lunora doctor`: every prerequisite at once, each failure with its fix, exit 1 on any.

use crate::support::{fake, write_script, Fakes, TempProject};

fn which(tool: &str) -> std::path::PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|d| d.join(tool))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{tool} is not on PATH"))
}

#[test]
fn doctor_passes_on_the_example_with_the_real_toolchain() {
    let p = TempProject::example("transcoder");
    // No Docker engine here: WRANGLER_DOCKER_BIN is what wrangler (and lunora) use instead.
    let run = p.lunora_env(&["doctor"], &[("WRANGLER_DOCKER_BIN", "/bin/true")]);
    run.assert_code(0);
    let out = &run.stdout;
    let wrangler_version = {
        let pkg: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(
                crate::support::workspace().join("node_modules/wrangler/package.json"),
            )
            .unwrap(),
        )
        .unwrap();
        pkg["version"].as_str().unwrap().to_string()
    };
    for want in [
        "✓ containers       lunora/containers.ts: 1 container (transcoder)".to_string(),
        "✓ node             Node v".to_string(),
        "(wrangler needs >=".to_string(),
        format!("✓ wrangler         wrangler {wrangler_version} (node_modules/.bin/wrangler)"),
        "✓ docker           a Docker engine answers (`/bin/true info`)".into(),
        "- railpack         not needed: no `{ build }` image is declared".into(),
        "✓ packages         @lunora/container 0.1.0 with @cloudflare/containers 0.3.7 (needs >=0.3.7 <0.4)".into(),
        "✓ reexport         the worker entry re-exports every container class".into(),
        "✓ wrangler-config  wrangler.jsonc (compatibility_date 2026-04-01)".into(),
        "lunora: all 7 checks passed".into(),
    ] {
        assert!(out.contains(&want), "missing `{want}` in\n{out}");
    }
    assert!(!out.contains('✗'), "{out}");
}

#[test]
fn doctor_reports_every_failure_at_once_each_with_its_fix() {
    let p = TempProject::example_bare("transcoder");
    // A `{ build }` image, an unexported container, a runtime dependency at a version the
    // runtime does not accept, no compatibility_date, no Docker engine, no railpack, no
    // BUILDKIT_HOST.
    let ts = p.read("lunora/containers.ts");
    p.write(
        "lunora/containers.ts",
        &format!("{ts}\nexport const reportWorker = defineContainer({{\n  image: {{ build: \"./services/report-worker\" }},\n  enableInternet: false,\n}});\n"),
    );
    p.write("services/report-worker/package.json", "{}\n");
    p.write(
        "src/server/index.ts",
        &p.read("src/server/index.ts").replace(
            "export * from \"../../lunora/_generated/containers\";\n",
            "export { TranscoderContainer } from \"../../lunora/_generated/containers\";\n",
        ),
    );
    std::fs::remove_file(p.path().join("node_modules/@cloudflare/containers")).unwrap();
    p.write(
        "node_modules/@cloudflare/containers/package.json",
        "{ \"name\": \"@cloudflare/containers\", \"version\": \"0.2.1\" }\n",
    );
    p.write(
        "wrangler.jsonc",
        &p.read("wrangler.jsonc")
            .replace("\"compatibility_date\": \"2026-04-01\",", ""),
    );
    let bin = tempfile::tempdir().unwrap();
    for tool in ["docker", "wrangler"] {
        std::os::unix::fs::symlink(fake(tool), bin.path().join(tool)).unwrap();
    }
    std::os::unix::fs::symlink(which("node"), bin.path().join("node")).unwrap();
    let f = Fakes::new()
        .set("PATH", &format!("{}:/usr/bin:/bin", bin.path().display()))
        .set("FAKE_DOCKER_EXIT", "1")
        .set("BUILDKIT_HOST", "");
    let before = p.snapshot();
    let run = p.lunora_env(&["doctor"], &f.envs());
    run.assert_code(1);
    let out = &run.stdout;
    for (failed, fix) in [
        ("✗ docker           no Docker engine answered", "start Docker Desktop or Colima"),
        ("✗ railpack         `railpack` was not found on PATH, but reportWorker uses `image: { build }`", "https://railpack.com/install.sh"),
        ("✗ buildkit         BUILDKIT_HOST is not set", "export BUILDKIT_HOST=docker-container://buildkit"),
        ("✗ packages         @cloudflare/containers 0.2.1 is installed", "`npm i '@cloudflare/containers@>=0.3.7 <0.4'`"),
        ("✗ reexport         the worker entry src/server/index.ts does not export ReportWorkerContainer", "add `export * from \"../../lunora/_generated/containers\";` to src/server/index.ts"),
        ("✗ wrangler-config  wrangler.jsonc has no compatibility_date", "\"compatibility_date\": \"YYYY-MM-DD\""),
    ] {
        assert!(out.contains(failed), "missing `{failed}` in\n{out}");
        let after = &out[out.find(failed).unwrap()..];
        let fix_line = after.lines().nth(1).unwrap_or("");
        assert!(fix_line.trim_start().starts_with("fix: "), "{failed}: no fix line\n{out}");
        assert!(after.contains(fix), "{failed}: fix `{fix}` missing\n{out}");
    }
    // wrangler from PATH is not an npm install: its version comes from `wrangler --version`.
    assert!(
        out.contains("✓ wrangler         wrangler 4.86.0-fake ("),
        "{out}"
    );
    assert!(out.contains("lunora: 6 of 9 checks failed"), "{out}");
    assert_eq!(before, p.snapshot(), "doctor wrote something");
    assert_eq!(f.log(), "wrangler --version\ndocker info\n");
}

/// Runtime packages not installed: when package.json declares them the fix is the plain install
/// (naming them again would replace the declared ranges with the newest release); otherwise the
/// undeclared ones are added at the ranges `lunora generate` writes, with the lockfile's manager.
#[test]
fn doctor_packages_fix_keeps_the_declared_ranges() {
    let p = TempProject::example_bare("transcoder");
    let _ = std::fs::remove_dir_all(p.path().join("node_modules"));
    let fix_of = |p: &TempProject| {
        let run = p.lunora(&["doctor"]);
        let out = run.stdout.clone();
        let at = out
            .find("✗ packages ")
            .unwrap_or_else(|| panic!("no failed packages check in\n{out}"));
        out[at..].lines().nth(1).unwrap_or("").trim().to_string()
    };
    // The example declares @lunora/container only.
    assert_eq!(
        fix_of(&p),
        "fix: `npm i '@cloudflare/containers@>=0.3.7 <0.4'`"
    );
    p.write(
        "package.json",
        "{\n  \"name\": \"app\",\n  \"private\": true,\n  \"dependencies\": {\n    \"@cloudflare/containers\": \">=0.3.7 <0.4\",\n    \"@lunora/container\": \"^0.1.0\"\n  }\n}\n",
    );
    assert_eq!(
        fix_of(&p),
        "fix: `npm install` (package.json declares them)"
    );
    p.write("pnpm-lock.yaml", "lockfileVersion: '9.0'\n");
    assert_eq!(
        fix_of(&p),
        "fix: `pnpm install` (package.json declares them)"
    );
    p.write("package.json", "{ \"name\": \"app\", \"private\": true }\n");
    assert_eq!(
        fix_of(&p),
        "fix: `pnpm add '@lunora/container@^0.1.0' '@cloudflare/containers@>=0.3.7 <0.4'`"
    );
}

#[test]
fn doctor_checks_node_against_the_range_wrangler_asks_for() {
    let p = TempProject::example_bare("transcoder");
    // wrangler installed in the project (its package.json says which Node it needs), and a
    // Node that is too old.
    p.write(
        "node_modules/wrangler/package.json",
        "{ \"name\": \"wrangler\", \"version\": \"4.86.0\", \"engines\": { \"node\": \">=20.3.0\" } }\n",
    );
    write_script(
        &p.path().join("node_modules/wrangler/bin/wrangler.js"),
        "exit 0",
    );
    std::fs::create_dir_all(p.path().join("node_modules/.bin")).unwrap();
    std::os::unix::fs::symlink(
        "../wrangler/bin/wrangler.js",
        p.path().join("node_modules/.bin/wrangler"),
    )
    .unwrap();
    let bin = tempfile::tempdir().unwrap();
    write_script(&bin.path().join("node"), "echo v18.19.0");
    std::os::unix::fs::symlink(fake("docker"), bin.path().join("docker")).unwrap();
    let f = Fakes::new().set("PATH", &format!("{}:/usr/bin:/bin", bin.path().display()));
    let run = p.lunora_env(&["doctor"], &f.envs());
    run.assert_code(1);
    assert!(
        run.stdout
            .contains("✗ node             Node v18.19.0 is installed, but wrangler needs >=20.3.0"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("✓ wrangler         wrangler 4.86.0 (node_modules/.bin/wrangler)"),
        "node_modules/.bin first: {}",
        run.stdout
    );
    // And without any Node at all (only the fakes' directory on PATH: /bin has a node).
    std::fs::remove_file(bin.path().join("node")).unwrap();
    let f = Fakes::new().set("PATH", &bin.path().display().to_string());
    let run = p.lunora_env(&["doctor"], &f.envs());
    run.assert_code(1);
    assert!(
        run.stdout
            .contains("✗ node             `node` was not found on PATH"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("install Node.js >=20.3.0"),
        "{}",
        run.stdout
    );
}

#[test]
fn doctor_in_json_is_one_record_per_check() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new().set("FAKE_DOCKER_EXIT", "1");
    let run = p.lunora_env(&["doctor", "--format", "json"], &f.envs());
    run.assert_code(1);
    let records: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let docker = records
        .iter()
        .find(|r| r["code"] == "doctor/docker")
        .unwrap();
    assert_eq!(docker["severity"], "error");
    assert_eq!(docker["status"], "failed");
    assert!(docker["help"].as_str().unwrap().contains("colima start"));
    let config = records
        .iter()
        .find(|r| r["code"] == "doctor/wrangler-config")
        .unwrap();
    assert_eq!(config["status"], "ok");
    assert_eq!(config["severity"], "info");
    assert!(records
        .iter()
        .any(|r| r["code"] == "doctor/railpack" && r["status"] == "not-needed"));
}

#[test]
fn doctor_without_a_wrangler_config_or_wrangler() {
    let p = TempProject::empty();
    let f = Fakes::new().set("PATH", "/usr/bin:/bin");
    let run = p.lunora_env(&["doctor"], &f.envs());
    run.assert_code(1);
    assert!(
        run.stdout
            .contains("✗ wrangler-config  no wrangler.jsonc or wrangler.json in"),
        "{}",
        run.stdout
    );
    // The empty project links the workspace's node_modules, so wrangler is found there.
    assert!(
        run.stdout.contains("✓ wrangler         wrangler "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("- packages         not needed: no containers are declared"),
        "{}",
        run.stdout
    );
}

/// Issue 23.10: with a registry image declared, wrangler 4.86's `wrangler dev` needs a Cloudflare
/// login even with `--enable-containers=false` (it resolves the image against the account while
/// reading its config). `doctor` and `dev` say so before wrangler starts, with the local
/// Dockerfile way out; a login (wrangler's OAuth file or CLOUDFLARE_API_TOKEN) makes it pass, and
/// a Dockerfile image needs none. No network: the login is told from what wrangler reads.
#[test]
fn registry_images_need_a_cloudflare_login_in_dev_and_doctor_and_dev_say_so_first() {
    let p = TempProject::example_bare("transcoder");
    let ts = p.read("lunora/containers.ts").replace(
        "image: \"./containers/transcoder\"",
        "image: { registry: \"docker.io/acme/transcoder:1.4\" }",
    );
    p.write("lunora/containers.ts", &ts);
    let home = tempfile::tempdir().unwrap();
    let home_s = home.path().to_string_lossy().into_owned();
    let f = Fakes::new()
        .set("HOME", &home_s)
        .set("XDG_CONFIG_HOME", "")
        .set("APPDATA", "")
        .set("CLOUDFLARE_API_TOKEN", "")
        .set("CLOUDFLARE_API_KEY", "");
    let record = |run: &crate::support::Run| -> serde_json::Value {
        run.stdout
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .find(|r| r["code"] == "doctor/registry-login")
            .unwrap_or_else(|| panic!("no registry-login record: {}", run.stdout))
    };

    // Not logged in: doctor fails the check, naming the image and the way out.
    let run = p.lunora_env(&["doctor", "--format", "json"], &f.envs());
    run.assert_code(1);
    let r = record(&run);
    assert_eq!(r["status"], "failed");
    let message = r["message"].as_str().unwrap();
    assert!(
        message.contains("`transcoder` (docker.io/acme/transcoder:1.4)")
            && message.contains("even with `--enable-containers=false`")
            && message.contains("\"Not logged in.\""),
        "{message}"
    );
    let help = r["help"].as_str().unwrap();
    assert!(
        help.contains("`npx wrangler login`")
            && help.contains("`FROM --platform=linux/amd64 docker.io/acme/transcoder:1.4`")
            && help.contains("`image: \"./containers/transcoder\"`"),
        "{help}"
    );

    // dev says it up front, as a warning, also when containers are turned off, and still runs
    // wrangler (the user may log in meanwhile).
    let run = p.lunora_env(&["dev", "--", "--enable-containers=false"], &f.envs());
    run.assert_code(0);
    assert!(
        run.stderr.contains("warning[doctor/registry-login]: `wrangler dev` needs a Cloudflare login for `transcoder` (docker.io/acme/transcoder:1.4)"),
        "{}",
        run.all()
    );
    assert!(
        f.log().contains("dev --enable-containers=false"),
        "{}",
        f.log()
    );

    // `wrangler login` writes its OAuth file: the check passes and says where it found it.
    let auth = home.path().join(".config/.wrangler/config/default.toml");
    std::fs::create_dir_all(auth.parent().unwrap()).unwrap();
    std::fs::write(&auth, "oauth_token = \"x\"\n").unwrap();
    let r = record(&p.lunora_env(&["doctor", "--format", "json"], &f.envs()));
    assert_eq!(r["status"], "ok", "{r}");
    assert!(
        r["message"].as_str().unwrap().contains("`wrangler login`"),
        "{r}"
    );
    let run = p.lunora_env(&["dev"], &f.envs());
    assert!(!run.stderr.contains("registry-login"), "{}", run.all());

    // Logged out again, but with an API token (CI): passes.
    std::fs::remove_file(&auth).unwrap();
    let token = Fakes::new()
        .set("HOME", &home_s)
        .set("XDG_CONFIG_HOME", "")
        .set("CLOUDFLARE_API_TOKEN", "t0ken");
    let r = record(&p.lunora_env(&["doctor", "--format", "json"], &token.envs()));
    assert_eq!(r["status"], "ok");
    assert!(r["message"]
        .as_str()
        .unwrap()
        .contains("CLOUDFLARE_API_TOKEN is set"));

    // The fix: a local Dockerfile FROM the image. No login is needed any more.
    p.write(
        "containers/transcoder/Dockerfile",
        "FROM --platform=linux/amd64 docker.io/acme/transcoder:1.4\nEXPOSE 8080\n",
    );
    p.write(
        "lunora/containers.ts",
        &ts.replace(
            "image: { registry: \"docker.io/acme/transcoder:1.4\" }",
            "image: \"./containers/transcoder\"",
        ),
    );
    let r = record(&p.lunora_env(&["doctor", "--format", "json"], &f.envs()));
    assert_eq!(r["status"], "not-needed");
    let run = p.lunora_env(&["dev"], &f.envs());
    assert!(!run.stderr.contains("registry-login"), "{}", run.all());
}

/// Issue 27.8: doctor said nothing about a package.json npm cannot read, and a BOM (which npm
/// reads fine) changed its fix. Over successive edits of one project's package.json.
#[test]
fn r27_doctor_never_mentioned_a_package_json_npm_cannot_read() {
    let p = TempProject::example_bare("transcoder");
    let f = Fakes::new().set("WRANGLER_DOCKER_BIN", "/bin/true");
    let record = |run: &crate::support::Run, code: &str| -> Option<serde_json::Value> {
        run.stdout
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .find(|r| r["code"] == code)
    };
    let doctor = || p.lunora_env(&["doctor", "--format", "json"], &f.envs());

    // A FIFO: doctor answers at once (no blocking read) and says what it is.
    let pj = p.path().join("package.json");
    let original = std::fs::read_to_string(&pj).unwrap();
    std::fs::remove_file(&pj).unwrap();
    let c = std::ffi::CString::new(pj.to_string_lossy().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let started = std::time::Instant::now();
    let run = doctor();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    run.assert_code(1);
    let r = record(&run, "doctor/package-json").expect("a package-json failure");
    assert!(
        r["message"]
            .as_str()
            .unwrap()
            .contains("is a FIFO (named pipe), not a regular file"),
        "{r}"
    );

    // Not JSON (a trailing comma npm refuses): located in the message.
    std::fs::remove_file(&pj).unwrap();
    p.write("package.json", "{\n  \"name\": \"app\",\n}\n");
    let r = record(&doctor(), "doctor/package-json").expect("a package-json failure");
    assert_eq!(
        r["message"],
        "npm cannot read package.json: it is not valid JSON (trailing comma at line 3 column 1)"
    );

    // Fixed, with a BOM: npm reads it, so doctor does too, and its fix is the one without.
    p.write("package.json", &original);
    let plain = doctor();
    assert!(
        record(&plain, "doctor/package-json").is_none(),
        "{}",
        plain.stdout
    );
    p.write("package.json", &format!("\u{feff}{original}"));
    let bom = doctor();
    assert!(
        record(&bom, "doctor/package-json").is_none(),
        "{}",
        bom.stdout
    );
    assert_eq!(
        record(&bom, "doctor/packages").map(|r| r["help"].clone()),
        record(&plain, "doctor/packages").map(|r| r["help"].clone())
    );
}

/// Issue 27.3: doctor on a package.json with 10,000 dependencies took 2.6 s (quadratic in a
/// minified file); it must answer an input under 1 MB in well under a second.
#[test]
fn r27_doctor_on_a_package_json_with_10000_dependencies_was_quadratic() {
    let p = TempProject::example_bare("transcoder");
    let deps: Vec<String> = (0..10_000)
        .map(|i| format!("\"pkg-{i:05}\":\"^1.0.0\""))
        .collect();
    p.write(
        "package.json",
        &format!(
            "{{\"name\":\"big\",\"dependencies\":{{{}}}}}",
            deps.join(",")
        ),
    );
    let f = Fakes::new().set("WRANGLER_DOCKER_BIN", "/bin/true");
    let started = std::time::Instant::now();
    let run = p.lunora_env(&["doctor"], &f.envs());
    let took = started.elapsed();
    assert!(run.stdout.contains("packages"), "{}", run.all());
    // A debug build; the old code took 7 s of wall time here.
    assert!(
        took < std::time::Duration::from_secs(2),
        "doctor took {took:?}"
    );
}
