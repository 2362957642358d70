//! What the processes inside local containers print, read from the local Docker engine and
//! shown one tagged line at a time: `[lunora] container:transcoder#a1b2c3d4 | listening` for
//! stdout, `[lunora] container:transcoder#a1b2c3d4 stderr | boom` for stderr (the tag is the
//! lifecycle lines' tag, see `lifecycle`).
//!
//! The engine is reached through the Docker CLI wrangler itself uses (`WRANGLER_DOCKER_BIN`,
//! else `docker` on PATH), so whatever engine wrangler starts the containers on (`DOCKER_HOST`,
//! a Docker context, Docker Desktop, colima, a podman shim) is the one read, with no socket
//! path or API version to guess. Instances are found by name: workerd names the Docker
//! container of a Durable Object `workerd-<worker>-<Class>-<64-hex id>` (its egress sidecar adds
//! `-proxy`, and is not shown).
//!
//! Contracts: a line reaches the output whole, in one write, so it never interleaves mid-line
//! with other writers that also write whole lines; control characters are escaped. Buffering is
//! bounded ([`QUEUE_LINES`] lines in flight, [`MAX_LINE`] bytes per line, at most
//! [`LINES_PER_SECOND`] printed per second): what does not fit is dropped, never waited for, and
//! each container's dropped count is printed (`… dropped N lines`) once the flood eases, at most
//! once a second. A container that floods output therefore never blocks the reader of its own
//! or any other container's output, nor the dev server's relay.

use crate::output::escape_control;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Lines in flight between the engine and the output, over all containers.
pub const QUEUE_LINES: usize = 1024;
/// Longest line shown; the rest of a longer line is cut (and marked `…`).
pub const MAX_LINE: usize = 8 * 1024;
/// Most container lines printed per second, over all containers: a flood cannot take the
/// terminal from the dev server's own output.
pub const LINES_PER_SECOND: u32 = 400;
/// Most lines one stream (one container's stdout, or its stderr) may queue per second. Without
/// it a flooding container filled the shared queue and took the whole budget, so a quiet
/// container's lines were dropped beside it; now a flood is cut at its own stream.
pub const STREAM_LINES_PER_SECOND: u32 = LINES_PER_SECOND / 4;
/// How often the engine is asked for new instances.
const DISCOVER_EVERY: Duration = Duration::from_millis(500);
/// How long a container line waits for the dev server's unfinished line on the terminal to end
/// before it is printed on a fresh line (see [`TERMINAL_MID_LINE`]).
pub const LINE_WAIT: Duration = Duration::from_millis(200);

/// Whether the dev server's output on lunora's terminal stops mid-line (a prompt, a line still
/// arriving). The pseudo-terminal relay holds this lock while it writes and sets it; the printer
/// holds it while it writes, and waits up to [`LINE_WAIT`] for it to clear before it does, so a
/// container line never lands inside a line of the dev server's.
pub static TERMINAL_MID_LINE: Mutex<bool> = Mutex::new(false);

/// Which containers to follow, shared so that it can change while they are followed (a
/// container added by a save during `lunora dev`).
pub type Target = Arc<Mutex<Project>>;

/// The Docker CLI wrangler uses: `WRANGLER_DOCKER_BIN` when set, else `docker`.
pub fn docker_program() -> OsString {
    std::env::var_os("WRANGLER_DOCKER_BIN")
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "docker".into())
}

/// Which Docker containers belong to the project: its worker's name and its container
/// classes (class name → `defineContainer` export name).
#[derive(Debug, Clone, Default)]
pub struct Project {
    /// The wrangler config's `name`; `None` accepts any worker.
    pub worker: Option<String>,
    pub classes: BTreeMap<String, String>,
}

/// One local instance: its Docker container and what lunora calls it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instance {
    pub docker_name: String,
    pub export_name: String,
    /// The Durable Object id (64 hex digits).
    pub instance_id: String,
}

impl Instance {
    /// `[lunora] container:<export>#<first 8 of the id>`, as lifecycle lines are tagged.
    pub fn tag(&self) -> String {
        let short: String = self.instance_id.chars().take(8).collect();
        format!(
            "[lunora] container:{}#{}",
            escape_control(&self.export_name),
            short
        )
    }
}

impl Project {
    /// The instance a Docker container name stands for, when it is one of this project's.
    pub fn instance(&self, docker_name: &str) -> Option<Instance> {
        let rest = docker_name.strip_prefix("workerd-")?;
        let (head, id) = rest.rsplit_once('-')?;
        if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let (worker, class) = head.rsplit_once('-')?;
        let export = self.classes.get(class)?;
        if let Some(name) = &self.worker {
            // `<name>` or, under a wrangler environment, `<name>-<env>`.
            if worker != name && !worker.starts_with(&format!("{name}-")) {
                return None;
            }
        }
        Some(Instance {
            docker_name: docker_name.to_string(),
            export_name: export.clone(),
            instance_id: id.to_ascii_lowercase(),
        })
    }
}

/// Why the engine could not be asked.
#[derive(Debug)]
pub struct EngineError(pub String);

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The project's instances the engine knows: running ones, or with `all` stopped ones too.
pub fn list(project: &Project, all: bool) -> Result<Vec<Instance>, EngineError> {
    let program = docker_program();
    let mut cmd = Command::new(&program);
    cmd.arg("ps");
    if all {
        cmd.arg("--all");
    }
    cmd.args(["--no-trunc", "--format", "{{.Names}}"]);
    let shown = program.to_string_lossy().into_owned();
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| EngineError(format!("could not run `{shown} ps`: {e}")))?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        let why = why.trim();
        return Err(EngineError(format!(
            "`{shown} ps` failed ({}){}",
            out.status,
            if why.is_empty() {
                String::new()
            } else {
                format!(": {}", escape_control(why.lines().next().unwrap_or("")))
            }
        )));
    }
    let mut found: Vec<Instance> = String::from_utf8_lossy(&out.stdout)
        .lines()
        // `docker ps` may list several names per container, comma-separated.
        .flat_map(|l| l.split(','))
        .filter_map(|n| project.instance(n.trim()))
        .collect();
    found.sort();
    found.dedup();
    Ok(found)
}

/// One line of container output on its way to the terminal.
struct Line {
    tag: Arc<str>,
    stderr: bool,
    text: Vec<u8>,
}

/// The display form of one line of output (without its newline).
pub fn render(tag: &str, stderr: bool, text: &[u8]) -> String {
    let mut text = String::from_utf8_lossy(text).into_owned();
    while text.ends_with('\n') || text.ends_with('\r') {
        text.pop();
    }
    let shown: Vec<String> = text
        .split('\t')
        .map(|piece| escape_control(piece).into_owned())
        .collect();
    let stream = if stderr { " stderr" } else { "" };
    format!("{tag}{stream} | {}", shown.join("\t"))
}

/// Per-container drop counts, shared between the readers and the printer.
#[derive(Default)]
struct Dropped(Mutex<BTreeMap<Arc<str>, u64>>);

impl Dropped {
    fn add(&self, tag: &Arc<str>) {
        *self.0.lock().unwrap().entry(tag.clone()).or_default() += 1;
    }
    fn take(&self) -> BTreeMap<Arc<str>, u64> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// Where output goes and how fast: the shared half of a [`Stream`].
#[derive(Clone)]
struct Sender {
    tx: SyncSender<Line>,
    dropped: Arc<Dropped>,
}

impl Sender {
    fn send(&self, tag: &Arc<str>, stderr: bool, text: Vec<u8>) {
        let line = Line {
            tag: tag.clone(),
            stderr,
            text,
        };
        if let Err(TrySendError::Full(_)) = self.tx.try_send(line) {
            self.dropped.add(tag);
        }
    }
}

/// Prints queued lines to `sink` until every sender is gone, respecting [`LINES_PER_SECOND`]
/// (lines over the budget are dropped and counted) and reporting drops.
fn print_loop<W: Write>(
    rx: Receiver<Line>,
    dropped: Arc<Dropped>,
    sink: fn() -> W,
    mid_line: &'static Mutex<bool>,
) {
    let mut window = Instant::now();
    let mut printed_in_window = 0u32;
    let mut last_report = Instant::now();
    let report = |dropped: &Dropped| {
        for (tag, n) in dropped.take() {
            let plural = if n == 1 { "" } else { "s" };
            let msg = format!(
                "{tag} dropped {n} line{plural} of output (more than lunora dev shows; \
                 `docker logs` has them all)\n"
            );
            let mut w = sink();
            let _ = w.write_all(msg.as_bytes());
            let _ = w.flush();
        }
    };
    loop {
        let line = match rx.recv_timeout(Duration::from_millis(250)) {
            Ok(line) => Some(line),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => {
                report(&dropped);
                return;
            }
        };
        if window.elapsed() >= Duration::from_secs(1) {
            window = Instant::now();
            printed_in_window = 0;
        }
        if let Some(line) = line {
            // Wait for the dev server's line to end; then print this line and whatever else is
            // queued by now in one go, so a prompt left open costs one wait per batch.
            let mut open = wait_for_line_end(mid_line);
            let mut batch = vec![line];
            batch.extend(rx.try_iter().take(QUEUE_LINES));
            let mut w = sink();
            for line in batch {
                if printed_in_window >= LINES_PER_SECOND {
                    dropped.add(&line.tag);
                    continue;
                }
                printed_in_window += 1;
                let mut text = String::new();
                if std::mem::take(&mut *open) {
                    // Still open after the wait: start a fresh line rather than write into it.
                    text.push('\n');
                }
                text.push_str(&render(&line.tag, line.stderr, &line.text));
                text.push('\n');
                let _ = w.write_all(text.as_bytes());
            }
            let _ = w.flush();
        }
        if last_report.elapsed() >= Duration::from_secs(1) {
            last_report = Instant::now();
            report(&dropped);
        }
    }
}

/// Locks `mid_line` once the dev server's line on the terminal has ended, or [`LINE_WAIT`] has
/// passed (then it is still set).
fn wait_for_line_end(mid_line: &'static Mutex<bool>) -> std::sync::MutexGuard<'static, bool> {
    let until = Instant::now() + LINE_WAIT;
    loop {
        let open = mid_line.lock().unwrap_or_else(|e| e.into_inner());
        if !*open || Instant::now() >= until {
            return open;
        }
        drop(open);
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Reads `stream` line by line into `sender`, cutting lines at [`MAX_LINE`]. Never blocks on
/// the output: a full queue drops the line.
fn read_lines(stream: impl Read, tag: Arc<str>, stderr: bool, sender: Sender) {
    let mut reader = BufReader::with_capacity(64 * 1024, stream);
    let mut line: Vec<u8> = Vec::new();
    let mut cut = false;
    let mut window = Instant::now();
    let mut queued_in_window = 0u32;
    loop {
        let (consumed, done) = {
            let buf = match reader.fill_buf() {
                Ok([]) | Err(_) => break,
                Ok(buf) => buf,
            };
            match buf.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    take_up_to(&mut line, &buf[..i], &mut cut);
                    (i + 1, true)
                }
                None => {
                    take_up_to(&mut line, buf, &mut cut);
                    (buf.len(), false)
                }
            }
        };
        reader.consume(consumed);
        if done {
            if cut {
                line.extend_from_slice("…".as_bytes());
            }
            if window.elapsed() >= Duration::from_secs(1) {
                window = Instant::now();
                queued_in_window = 0;
            }
            if queued_in_window < STREAM_LINES_PER_SECOND {
                queued_in_window += 1;
                sender.send(&tag, stderr, std::mem::take(&mut line));
            } else {
                line.clear();
                sender.dropped.add(&tag);
            }
            cut = false;
        }
    }
    if !line.is_empty() {
        sender.send(&tag, stderr, line);
    }
}

fn take_up_to(line: &mut Vec<u8>, bytes: &[u8], cut: &mut bool) {
    let room = MAX_LINE.saturating_sub(line.len());
    if bytes.len() > room {
        *cut = true;
    }
    line.extend_from_slice(&bytes[..bytes.len().min(room)]);
}

/// `docker logs [--follow] [--since T] <name>`, its stdout and stderr read into `sender`.
/// Returns when the command ends (for `--follow`: when the container stops).
fn follow(instance: &Instance, follow: bool, since: Option<u64>, sender: Sender) {
    let mut cmd = Command::new(docker_program());
    cmd.arg("logs");
    if follow {
        cmd.arg("--follow");
    }
    if let Some(since) = since.filter(|&s| s > 0) {
        cmd.args(["--since", &since.to_string()]);
    }
    cmd.arg(&instance.docker_name)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A follower outlives the container's output otherwise (`--follow` of a container left
    // running) when lunora ends without stopping it.
    crate::platform::end_with_lunora(&mut cmd);
    let Ok(mut child) = cmd.spawn() else {
        return;
    };
    let tag: Arc<str> = instance.tag().into();
    let out = child.stdout.take().expect("piped");
    let err = child.stderr.take().expect("piped");
    let (t2, s2) = (tag.clone(), sender.clone());
    let err_thread = std::thread::spawn(move || read_lines(err, t2, true, s2));
    read_lines(out, tag, false, sender);
    let _ = err_thread.join();
    let _ = child.wait();
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The output of local instances, streamed while something runs.
pub struct Stream {
    sender: Sender,
    printer: std::thread::JoinHandle<()>,
}

impl Stream {
    /// A stream whose lines go to `sink` (whole lines, one write each).
    pub fn new<W: Write + 'static>(sink: fn() -> W) -> Stream {
        let (tx, rx) = sync_channel(QUEUE_LINES);
        let dropped = Arc::new(Dropped::default());
        let d = dropped.clone();
        let printer = std::thread::spawn(move || print_loop(rx, d, sink, &TERMINAL_MID_LINE));
        Stream {
            sender: Sender { tx, dropped },
            printer,
        }
    }

    /// Follows every instance of `project` the engine runs, now and later, until `stop` is set
    /// (then returns at the next look at the engine; followers of running containers end with
    /// their container); each look uses `project` as it is then. Output from before
    /// `since_unix` (seconds; 0: all of it) is not shown. Gives up quietly when the engine
    /// cannot be asked: the dev server reports a missing engine itself.
    pub fn follow_all(
        &self,
        project: Target,
        since_unix: u64,
        stop: Arc<AtomicBool>,
    ) -> std::thread::JoinHandle<()> {
        let sender = self.sender.clone();
        std::thread::spawn(move || {
            let followed: Arc<Mutex<BTreeSet<String>>> = Arc::default();
            // A container that stops and starts again under the same name (the same instance)
            // is shown from its new start on.
            let ended: Arc<Mutex<BTreeMap<String, u64>>> = Arc::default();
            let mut failures = 0;
            loop {
                // The first look comes after one period: a dev server that exits at once (a
                // port in use, a missing tool) leaves the engine unasked.
                std::thread::sleep(DISCOVER_EVERY);
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                let current = project.lock().unwrap_or_else(|e| e.into_inner()).clone();
                match list(&current, false) {
                    Ok(found) => {
                        failures = 0;
                        for instance in found {
                            if !followed
                                .lock()
                                .unwrap()
                                .insert(instance.docker_name.clone())
                            {
                                continue;
                            }
                            let since = ended
                                .lock()
                                .unwrap()
                                .get(&instance.docker_name)
                                .copied()
                                .unwrap_or(since_unix)
                                .max(since_unix);
                            let (sender, followed, ended) =
                                (sender.clone(), followed.clone(), ended.clone());
                            std::thread::spawn(move || {
                                follow(&instance, true, Some(since), sender);
                                ended
                                    .lock()
                                    .unwrap()
                                    .insert(instance.docker_name.clone(), unix_now());
                                followed.lock().unwrap().remove(&instance.docker_name);
                            });
                        }
                    }
                    Err(_) => {
                        failures += 1;
                        // No engine (yet): keep looking, more slowly.
                        if failures > 3 {
                            std::thread::sleep(DISCOVER_EVERY * 4);
                        }
                    }
                }
            }
        })
    }

    /// Shows what `instance` printed so far (and, with `follow`, until it stops).
    pub fn show(&self, instance: &Instance, follow_on: bool) {
        follow(instance, follow_on, None, self.sender.clone());
    }

    /// Waits until every queued line is printed (and the drop counts reported).
    pub fn finish(self) {
        drop(self.sender);
        let _ = self.printer.join();
    }
}

/// The project's worker name and container classes, as codegen sees them now.
pub fn project_of(plan: &crate::pipeline::Plan, wrangler_text: Option<&str>) -> Project {
    let worker = wrangler_text.and_then(|text| {
        jsonc_parser::parse_to_serde_value::<serde_json::Value>(text, &Default::default())
            .ok()
            .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_string))
    });
    Project {
        worker,
        classes: plan
            .containers
            .iter()
            .map(|c| (c.class_name.clone(), c.export_name.clone()))
            .collect(),
    }
}

/// The current time in seconds since the epoch (for [`Stream::follow_all`]'s `since_unix`).
pub fn now() -> u64 {
    unix_now()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> Project {
        Project {
            worker: Some("my-app".into()),
            classes: [("TranscoderContainer".to_string(), "transcoder".to_string())].into(),
        }
    }

    const ID: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

    #[test]
    fn a_workerd_container_name_is_the_instance_of_its_class() {
        let p = project();
        let i = p
            .instance(&format!("workerd-my-app-TranscoderContainer-{ID}"))
            .unwrap();
        assert_eq!(i.export_name, "transcoder");
        assert_eq!(i.instance_id, ID);
        assert_eq!(i.tag(), "[lunora] container:transcoder#a1b2c3d4");
        // Under a wrangler environment the worker is `<name>-<env>`.
        assert!(p
            .instance(&format!("workerd-my-app-staging-TranscoderContainer-{ID}"))
            .is_some());
    }

    #[test]
    fn sidecars_other_workers_and_other_classes_are_not_instances() {
        let p = project();
        assert!(p
            .instance(&format!("workerd-my-app-TranscoderContainer-{ID}-proxy"))
            .is_none());
        assert!(p
            .instance(&format!("workerd-other-TranscoderContainer-{ID}"))
            .is_none());
        assert!(p
            .instance(&format!("workerd-my-app-OtherContainer-{ID}"))
            .is_none());
        assert!(p
            .instance("workerd-my-app-TranscoderContainer-abc")
            .is_none());
        assert!(p.instance("my-postgres").is_none());
    }

    #[test]
    fn lines_are_tagged_stderr_marked_and_control_characters_escaped() {
        let tag = "[lunora] container:transcoder#a1b2c3d4";
        assert_eq!(
            render(tag, false, b"listening on 8080\r\n"),
            "[lunora] container:transcoder#a1b2c3d4 | listening on 8080"
        );
        assert_eq!(
            render(tag, true, b"boom"),
            "[lunora] container:transcoder#a1b2c3d4 stderr | boom"
        );
        let shown = render(tag, false, b"\x1b]52;c;aGk=\x07 a\tb");
        assert!(
            !shown.contains('\x1b') && !shown.contains('\x07'),
            "{shown:?}"
        );
        assert!(shown.ends_with(" a\tb"), "{shown:?}");
    }

    #[test]
    fn a_long_line_is_cut_and_a_full_queue_drops_instead_of_waiting() {
        let (tx, rx) = sync_channel(2);
        let dropped = Arc::new(Dropped::default());
        let sender = Sender {
            tx,
            dropped: dropped.clone(),
        };
        let mut input = vec![b'x'; MAX_LINE + 100];
        input.extend_from_slice(b"\nsecond\nthird\nfourth\n");
        let tag: Arc<str> = "t".into();
        // Returns although nobody reads: the queue holds 2, the rest is dropped.
        read_lines(&input[..], tag.clone(), false, sender);
        let first = rx.recv().unwrap();
        assert_eq!(first.text.len(), MAX_LINE + "…".len());
        assert_eq!(rx.recv().unwrap().text, b"second");
        assert_eq!(dropped.take().get(&tag), Some(&2));
    }

    /// Regression (real-container suite): a container flooding its output filled the shared
    /// queue, so a quiet container's lines printed at the same time were dropped.
    #[test]
    fn a_flooding_stream_is_cut_at_its_own_rate_and_leaves_room_in_the_queue() {
        let (tx, rx) = sync_channel(QUEUE_LINES);
        let dropped = Arc::new(Dropped::default());
        let flood: Vec<u8> = b"x\n".repeat(QUEUE_LINES * 4);
        let tag: Arc<str> = "flood".into();
        read_lines(
            &flood[..],
            tag.clone(),
            false,
            Sender {
                tx: tx.clone(),
                dropped: dropped.clone(),
            },
        );
        let quiet: Arc<str> = "quiet".into();
        read_lines(
            &b"marker\n"[..],
            quiet.clone(),
            false,
            Sender {
                tx,
                dropped: dropped.clone(),
            },
        );
        let lines: Vec<Line> = rx.try_iter().collect();
        let from_flood = lines.iter().filter(|l| l.tag == tag).count();
        assert!(
            from_flood <= STREAM_LINES_PER_SECOND as usize * 2,
            "{from_flood}"
        );
        assert!(lines.iter().any(|l| l.tag == quiet && l.text == b"marker"));
        let counts = dropped.take();
        assert_eq!(
            counts.get(&tag).copied().unwrap_or(0) as usize + from_flood,
            QUEUE_LINES * 4
        );
        assert_eq!(counts.get(&quiet), None);
    }

    /// Issue 24: on a terminal, a container line was printed in the middle of a partial line of
    /// the dev server's output (a prompt, a line still arriving).
    #[test]
    fn a_container_line_waits_for_the_dev_servers_line_to_end() {
        static OPEN: Mutex<bool> = Mutex::new(false);
        static OUT: Mutex<Vec<u8>> = Mutex::new(Vec::new());
        struct Sink;
        impl Write for Sink {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                OUT.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let printed = || String::from_utf8(OUT.lock().unwrap().clone()).unwrap();
        let (tx, rx) = sync_channel(8);
        let printer = std::thread::spawn(move || {
            print_loop(rx, Arc::default(), || Sink, &OPEN);
        });
        let line = |text: &str| Line {
            tag: "t".into(),
            stderr: false,
            text: text.as_bytes().to_vec(),
        };
        // The line ends within the wait: the container line follows it, nothing in between.
        *OPEN.lock().unwrap() = true;
        tx.send(line("one")).unwrap();
        std::thread::sleep(LINE_WAIT / 2);
        assert_eq!(printed(), "", "printed into an open line");
        *OPEN.lock().unwrap() = false;
        std::thread::sleep(LINE_WAIT / 2);
        assert_eq!(printed(), "t | one\n");
        // It stays open: after the wait, the line and the ones queued meanwhile come out
        // together, on a fresh line.
        *OPEN.lock().unwrap() = true;
        tx.send(line("two")).unwrap();
        tx.send(line("three")).unwrap();
        std::thread::sleep(LINE_WAIT * 2);
        assert_eq!(printed(), "t | one\n\nt | two\nt | three\n");
        assert!(!*OPEN.lock().unwrap(), "a fresh line was started");
        drop(tx);
        printer.join().unwrap();
    }
}
