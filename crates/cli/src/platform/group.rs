//! Unix: the dev server's process group, and what ends it.
//!
//! Contract:
//! * [`own_group`] starts a command in a process group of its own (under a pseudo-terminal it
//!   already leads a session), so everything it starts — wrangler's workerd, vite's workers — can
//!   be signalled as one.
//! * [`wait_stopping`] waits for the dev server. A SIGTERM or SIGHUP lunora passed on that the
//!   dev server does not obey within [`UNATTENDED_GRACE`] is followed by SIGKILL to its group
//!   (nobody may be there to press Ctrl-C again). A second interrupt (a second signal to lunora,
//!   or a second Ctrl-C typed to a dev server on its own terminal) escalates: SIGTERM to the whole
//!   group, then SIGKILL after [`GRACE`], each announced. When the dev server has exited, whatever
//!   it started that still runs in its group gets SIGTERM, then SIGKILL (announced) after
//!   [`GRACE`], before the wait returns.
//! * [`Guard`] covers lunora ending without that wait (killed with SIGKILL, a crash): a watchdog
//!   process outside the group holds a pipe from lunora; when the pipe closes without lunora
//!   saying the group is done, the watchdog sends SIGTERM, then SIGKILL after [`GRACE`], to the
//!   group. It ignores the signals a terminal or a supervisor sends to lunora's own group.
//! * [`end_with_lunora`]: a helper outside the group (the container-output readers) ends with
//!   lunora, on Linux.

use std::io::{self, Write};
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long a process group gets between SIGTERM and SIGKILL.
pub const GRACE: Duration = Duration::from_secs(3);
/// How long the dev server gets to stop after a SIGTERM or SIGHUP to lunora (a supervisor, a
/// closed terminal: nobody to press Ctrl-C again) before its group gets SIGKILL.
pub const UNATTENDED_GRACE: Duration = Duration::from_secs(10);

/// Makes `cmd` end (SIGTERM) when lunora does, however lunora ends. Linux only (the parent-death
/// signal); elsewhere a helper lunora started (`docker logs --follow`) ends with what it reads.
pub fn end_with_lunora(cmd: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        let parent = std::process::id() as libc::pid_t;
        // SAFETY: prctl(2) and getppid(2) are async-signal-safe.
        unsafe {
            cmd.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
                    return Err(io::Error::last_os_error());
                }
                // lunora ended before the signal was armed.
                if libc::getppid() != parent {
                    return Err(io::Error::other("lunora has exited"));
                }
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = cmd;
}

/// Starts `cmd` in a new process group whose id is the child's pid.
pub fn own_group(cmd: &mut Command) {
    cmd.process_group(0);
}

/// Whether any process is left in group `pgid`.
fn group_alive(pgid: i32) -> bool {
    // SAFETY: kill(2) with signal 0 only checks for existence.
    unsafe { libc::kill(-pgid, 0) == 0 }
}

fn signal_group(pgid: i32, sig: i32) {
    // SAFETY: plain kill(2) of the dev server's group.
    unsafe {
        libc::kill(-pgid, sig);
    }
}

/// Waits for `child` (the leader of its own process group); see the module contract. `note`
/// prints a line for the user. Once `stop_wanted` returns true the group gets SIGINT (as from
/// Ctrl-C), then SIGTERM and SIGKILL [`GRACE`] apart while it runs on. Returns the child's exit
/// status.
pub fn wait_stopping(
    child: &mut Child,
    note: &dyn Fn(&str),
    stop_wanted: &dyn Fn() -> bool,
) -> io::Result<ExitStatus> {
    let pgid = child.id() as i32;
    let mut terminated_at: Option<Instant> = None;
    let mut interrupted_at: Option<Instant> = None;
    let mut unattended_at: Option<Instant> = None;
    let mut killed = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if unattended_at.is_none()
            && matches!(super::unix::received(), Some(libc::SIGTERM | libc::SIGHUP))
        {
            unattended_at = Some(Instant::now());
        }
        if !killed
            && terminated_at.is_none()
            && unattended_at.is_some_and(|at| at.elapsed() >= UNATTENDED_GRACE)
        {
            note(&format!(
                "lunora: the dev server did not stop within {} s of the signal lunora passed \
                 on: killing its process group (SIGKILL)",
                UNATTENDED_GRACE.as_secs()
            ));
            signal_group(pgid, libc::SIGKILL);
            killed = true;
        }
        if interrupted_at.is_none() && stop_wanted() {
            signal_group(pgid, libc::SIGINT);
            interrupted_at = Some(Instant::now());
        }
        if terminated_at.is_none() && interrupted_at.is_some_and(|at| at.elapsed() >= GRACE) {
            signal_group(pgid, libc::SIGTERM);
            terminated_at = Some(Instant::now());
        }
        match terminated_at {
            None if super::unix::interrupts() >= 2 => {
                note(&format!(
                    "lunora: interrupted again: stopping the dev server (SIGTERM to its process \
                     group; SIGKILL in {} s if it is still running)",
                    GRACE.as_secs()
                ));
                signal_group(pgid, libc::SIGTERM);
                terminated_at = Some(Instant::now());
            }
            Some(at) if !killed && at.elapsed() >= GRACE => {
                note(&format!(
                    "lunora: the dev server did not stop within {} s: killing its process group \
                     (SIGKILL)",
                    GRACE.as_secs()
                ));
                signal_group(pgid, libc::SIGKILL);
                killed = true;
            }
            _ => {}
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    end_group(pgid, note);
    Ok(status)
}

/// Stops what is left of group `pgid` after its leader exited: SIGTERM, quietly (wrangler leaves
/// esbuild or workerd winding down for a moment), then SIGKILL, announced, after [`GRACE`].
fn end_group(pgid: i32, note: &dyn Fn(&str)) {
    // Most dev servers stop their helpers as they exit: give them a moment first.
    let settle = Instant::now();
    while group_alive(pgid) && settle.elapsed() < Duration::from_millis(200) {
        std::thread::sleep(Duration::from_millis(10));
    }
    if !group_alive(pgid) {
        return;
    }
    signal_group(pgid, libc::SIGTERM);
    let at = Instant::now();
    while group_alive(pgid) {
        if at.elapsed() >= GRACE {
            note(&format!(
                "lunora: processes the dev server started did not stop within {} s of SIGTERM: \
                 killed them (SIGKILL)",
                GRACE.as_secs()
            ));
            signal_group(pgid, libc::SIGKILL);
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The watchdog: reads one line; anything but `done` (end of file: lunora is gone) ends the
/// group given as `$1`.
const WATCHDOG: &str = r#"trap '' INT HUP TERM QUIT
read -r line
[ "$line" = done ] && exit 0
kill -TERM -"$1" 2>/dev/null || exit 0
i=0
while [ "$i" -lt "$2" ] && kill -0 -"$1" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
kill -KILL -"$1" 2>/dev/null
exit 0"#;

/// Ends the group of a dev server if lunora ends without [`Guard::release`]; see the module
/// contract.
pub struct Guard {
    pipe: Option<ChildStdin>,
    watchdog: Child,
}

impl Guard {
    /// Starts the watchdog for group `pgid`.
    pub fn watch(pgid: u32) -> io::Result<Guard> {
        let tenths = (GRACE.as_millis() / 100).to_string();
        let mut cmd = Command::new("/bin/sh");
        cmd.args([
            "-c",
            WATCHDOG,
            "lunora-watchdog",
            &pgid.to_string(),
            &tenths,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        own_group(&mut cmd);
        let mut watchdog = cmd.spawn()?;
        Ok(Guard {
            pipe: watchdog.stdin.take(),
            watchdog,
        })
    }

    /// The group is ended (see [`wait_stopping`]): the watchdog leaves it alone.
    pub fn release(mut self) {
        if let Some(mut pipe) = self.pipe.take() {
            let _ = pipe.write_all(b"done\n");
        }
        let _ = self.watchdog.wait();
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        // Not released (an error path): closing the pipe lets the watchdog end the group.
        if self.pipe.take().is_some() {
            let _ = self.watchdog.wait();
        }
    }
}
