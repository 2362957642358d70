//! `lunora dev`'s child processes (issue 27): a dev server that ignores SIGINT, forks a
//! grandchild or floods its output without a newline is stopped, cleaned up and relayed with
//! bounded memory.

use crate::support::{write_script, Background, Fakes, OnPty, TempProject};
use std::process::Command;

/// `lunora dev` on a terminal, as a user runs it: the test is the terminal (a pty).
fn dev_on_a_terminal(p: &TempProject, f: &Fakes) -> OnPty {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lunora"));
    cmd.arg("--root")
        .arg(p.path())
        .arg("dev")
        .env("NO_COLOR", "1");
    for (k, v) in f.envs() {
        cmd.env(k, v);
    }
    OnPty::spawn(cmd, 24, 80)
}

/// Whether process `pid` has ended (gone, or a zombie nobody reaped yet).
fn ended(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            s.rsplit(") ")
                .next()
                .is_some_and(|rest| rest.starts_with('Z'))
        })
        .unwrap_or(true)
}

/// The pid a fake wrote to `file`, once it has.
fn pid_in(file: &str) -> i32 {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if let Ok(pid) = std::fs::read_to_string(file)
            .unwrap_or_default()
            .trim()
            .parse()
        {
            return pid;
        }
        assert!(std::time::Instant::now() < deadline, "no pid in {file}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A dev server that ignores SIGINT (it logs it) and SIGPIPE (its output may outlive lunora),
/// handles SIGTERM as `on_term` says, and forks a grandchild that ignores SIGINT and SIGTERM;
/// both write their pids to files.
fn stubborn_dev_server(p: &TempProject, on_term: &str) {
    write_script(
        &p.path().join("node_modules/.bin/wrangler"),
        &format!(
            r#"printf 'wrangler %s\n' "$*" >> "$FAKE_LOG"
trap 'echo "wrangler got INT" >> "$FAKE_LOG"' INT
trap '{on_term}' TERM
trap '' PIPE
sh -c 'trap "" INT TERM; echo $$ > "$FAKE_GRANDCHILD_PID"; while :; do sleep 0.1; done' &
echo $$ > "$FAKE_DEV_PID"
echo "fake dev ready"
while :; do sleep 0.05; done"#
        ),
    );
}

/// Issue 27: a dev server that ignores SIGINT could not be stopped with repeated Ctrl-C.
#[test]
fn dev_second_interrupt_escalates_to_term_then_kill_of_the_whole_group() {
    let p = TempProject::example_bare("transcoder");
    stubborn_dev_server(&p, r#"echo "wrangler got TERM" >> "$FAKE_LOG""#);
    let f = Fakes::new();
    let (dev_pid, grandchild_pid) = (f.file("dev.pid", ""), f.file("grandchild.pid", ""));
    let f = f
        .set("FAKE_DEV_PID", &dev_pid)
        .set("FAKE_GRANDCHILD_PID", &grandchild_pid);
    let mut dev = Background::spawn(p.lunora_command(&["dev"], &f.envs()));
    dev.wait_for("the dev server", |d| d.output().contains("fake dev ready"));
    let (dev_pid, grandchild_pid) = (pid_in(&dev_pid), pid_in(&grandchild_pid));
    unsafe { libc::kill(dev.child.id() as i32, libc::SIGINT) };
    dev.wait_for("the first interrupt", |_| {
        f.log().contains("wrangler got INT")
    });
    assert!(!ended(dev_pid), "the first interrupt is only forwarded");
    let code = dev.signal_and_wait(libc::SIGINT);
    let out = dev.output();
    assert_eq!(code, 137, "the dev server was killed\n{out}");
    assert!(
        out.contains("lunora: interrupted again: stopping the dev server (SIGTERM to its process group; SIGKILL in 3 s"),
        "{out}"
    );
    assert!(
        out.contains(
            "lunora: the dev server did not stop within 3 s: killing its process group (SIGKILL)"
        ),
        "{out}"
    );
    assert!(f.log().contains("wrangler got TERM"), "{}", f.log());
    assert!(ended(dev_pid), "the dev server outlived lunora");
    assert!(ended(grandchild_pid), "its child outlived lunora");
}

/// Issue 27: killing lunora left the dev server running.
#[test]
fn dev_server_and_its_children_end_when_lunora_is_killed() {
    let p = TempProject::example_bare("transcoder");
    stubborn_dev_server(&p, r#"echo "wrangler got TERM" >> "$FAKE_LOG""#);
    let f = Fakes::new();
    let (dev_pid, grandchild_pid) = (f.file("dev.pid", ""), f.file("grandchild.pid", ""));
    let f = f
        .set("FAKE_DEV_PID", &dev_pid)
        .set("FAKE_GRANDCHILD_PID", &grandchild_pid);
    let mut dev = Background::spawn(p.lunora_command(&["dev"], &f.envs()));
    dev.wait_for("the dev server", |d| d.output().contains("fake dev ready"));
    let (dev_pid, grandchild_pid) = (pid_in(&dev_pid), pid_in(&grandchild_pid));
    assert_eq!(dev.signal_and_wait(libc::SIGKILL), 137);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !(ended(dev_pid) && ended(grandchild_pid)) {
        assert!(
            std::time::Instant::now() < deadline,
            "the dev server ({}) or its child ({}) outlived lunora by 10 s\n{}",
            ended(dev_pid),
            ended(grandchild_pid),
            f.log()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        f.log().contains("wrangler got TERM"),
        "asked first: {}",
        f.log()
    );
}

/// Issue 27: a child the dev server started, and that ignores SIGTERM, outlived `lunora dev`.
#[test]
fn dev_stops_what_the_dev_server_left_running_when_it_exits() {
    let p = TempProject::example_bare("transcoder");
    stubborn_dev_server(&p, "exit 0");
    let f = Fakes::new();
    let (dev_pid, grandchild_pid) = (f.file("dev.pid", ""), f.file("grandchild.pid", ""));
    let f = f
        .set("FAKE_DEV_PID", &dev_pid)
        .set("FAKE_GRANDCHILD_PID", &grandchild_pid);
    let mut dev = Background::spawn(p.lunora_command(&["dev"], &f.envs()));
    dev.wait_for("the dev server", |d| d.output().contains("fake dev ready"));
    let grandchild_pid = pid_in(&grandchild_pid);
    assert_eq!(dev.signal_and_wait(libc::SIGTERM), 0);
    let out = dev.output();
    assert!(
        out.contains("lunora: processes the dev server started did not stop within 3 s of SIGTERM: killed them (SIGKILL)"),
        "{out}"
    );
    assert!(ended(grandchild_pid), "its child outlived lunora\n{out}");
}

/// Issue 27: piped `lunora dev` held a line without a newline whole (300 MB of output, 300 MB
/// of memory).
#[test]
fn dev_piped_output_of_a_huge_line_uses_bounded_memory() {
    use std::io::BufRead;
    const FLOOD: usize = 100_000_000;
    let p = TempProject::example_bare("transcoder");
    write_script(
        &p.path().join("node_modules/.bin/wrangler"),
        &format!(
            r#"trap 'exit 0' INT TERM
head -c {FLOOD} /dev/zero | tr '\0' x
echo
echo "flood done"
while :; do sleep 0.05; done"#
        ),
    );
    let f = Fakes::new();
    let mut cmd = p.lunora_command(&["dev"], &f.envs());
    cmd.stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let (mut xs, mut cuts, mut longest) = (0usize, 0usize, 0usize);
    let mut line = Vec::new();
    let mark = b" [lunora: line over 64 KiB, continued on the next line]\n";
    while out.read_until(b'\n', &mut line).unwrap() > 0 {
        longest = longest.max(line.len());
        let mut text = &line[..];
        if let Some(piece) = line.strip_suffix(&mark[..]) {
            cuts += 1;
            text = piece;
        }
        xs += text.iter().filter(|&&b| b == b'x').count();
        if line == b"flood done\n" {
            break;
        }
        line.clear();
    }
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let peak_kb: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap();
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    child.wait().unwrap();
    assert_eq!(xs, FLOOD, "every byte passes");
    assert_eq!(cuts, FLOOD / (64 * 1024), "each 64 KiB piece is marked");
    assert!(longest <= 64 * 1024 + mark.len(), "{longest}");
    assert!(
        peak_kb < 40 * 1024,
        "lunora's peak memory was {peak_kb} kB for a {FLOOD}-byte line"
    );
}

/// Issue 27: on a terminal, Ctrl-C typed twice to a dev server that ignores SIGINT stopped
/// nothing (the keys go to the dev server's own terminal, not to lunora).
#[test]
fn dev_on_a_terminal_second_ctrl_c_escalates() {
    let p = TempProject::example_bare("transcoder");
    stubborn_dev_server(&p, r#"echo "wrangler got TERM" >> "$FAKE_LOG""#);
    let f = Fakes::new();
    let (dev_pid, grandchild_pid) = (f.file("dev.pid", ""), f.file("grandchild.pid", ""));
    let f = f
        .set("FAKE_DEV_PID", &dev_pid)
        .set("FAKE_GRANDCHILD_PID", &grandchild_pid);
    let mut dev = dev_on_a_terminal(&p, &f);
    dev.wait_for("fake dev ready");
    let (dev_pid, grandchild_pid) = (pid_in(&dev_pid), pid_in(&grandchild_pid));
    dev.send(b"\x03");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !f.log().contains("wrangler got INT") {
        assert!(std::time::Instant::now() < deadline, "{}", f.log());
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        !ended(dev_pid),
        "the first Ctrl-C only reaches the dev server"
    );
    dev.send(b"\x03");
    dev.wait_for("lunora: interrupted again: stopping the dev server");
    dev.wait_for("killing its process group (SIGKILL)");
    assert_eq!(dev.wait(), 137);
    assert!(f.log().contains("wrangler got TERM"), "{}", f.log());
    assert!(ended(dev_pid) && ended(grandchild_pid), "{}", dev.screen());
}

/// Issue 27: a dev server that ignores the SIGTERM (or SIGHUP: a closed terminal) lunora passes
/// on kept lunora and itself running with nobody left to press Ctrl-C again.
#[test]
fn dev_kills_a_dev_server_that_ignores_a_passed_on_sigterm() {
    let p = TempProject::example_bare("transcoder");
    stubborn_dev_server(&p, r#"echo "wrangler got TERM" >> "$FAKE_LOG""#);
    let f = Fakes::new();
    let (dev_pid, grandchild_pid) = (f.file("dev.pid", ""), f.file("grandchild.pid", ""));
    let f = f
        .set("FAKE_DEV_PID", &dev_pid)
        .set("FAKE_GRANDCHILD_PID", &grandchild_pid);
    let mut dev = Background::spawn(p.lunora_command(&["dev"], &f.envs()));
    dev.wait_for("the dev server", |d| d.output().contains("fake dev ready"));
    let (dev_pid, grandchild_pid) = (pid_in(&dev_pid), pid_in(&grandchild_pid));
    let sent = std::time::Instant::now();
    let code = dev.signal_and_wait(libc::SIGTERM);
    let out = dev.output();
    assert_eq!(code, 137, "{out}");
    assert!(
        sent.elapsed() >= std::time::Duration::from_secs(10),
        "it had its 10 s"
    );
    assert!(
        out.contains("lunora: the dev server did not stop within 10 s of the signal lunora passed on: killing its process group (SIGKILL)"),
        "{out}"
    );
    assert!(f.log().contains("wrangler got TERM"), "{}", f.log());
    assert!(ended(dev_pid) && ended(grandchild_pid));
}
