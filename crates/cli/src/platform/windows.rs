//! Windows: console control events in place of signals, and process queries, with windows-sys
//! for the system calls.
//!
//! `lunora dev` runs the dev server with pipes here, not under a ConPTY (see [`super`]): the dev
//! server and lunora share the console, so Ctrl-C and Ctrl-Break reach the dev server from the
//! console itself, as they would without lunora, and lunora waits for it to exit.
//!
//! Signal contract (the Unix one, as far as a console allows): after [`install`], Ctrl-C,
//! Ctrl-Break and closing the console window no longer end lunora at once; the most recent one
//! is reported by [`received`] as SIGINT (Ctrl-C, Ctrl-Break) or SIGHUP (window closed, log-off,
//! shutdown). One that arrived while no child was registered is passed on to the console's
//! processes when [`set_child`] registers one (a child started after it could not have seen it).

use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::sync::atomic::{AtomicI32, Ordering};
use windows_sys::Win32::System::Console::{
    GenerateConsoleCtrlEvent, SetConsoleCtrlHandler, CTRL_BREAK_EVENT, CTRL_CLOSE_EVENT,
    CTRL_C_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT,
};

const SIGHUP: i32 = 1;
const SIGINT: i32 = 2;

static RECEIVED: AtomicI32 = AtomicI32::new(0);
static CHILD: AtomicI32 = AtomicI32::new(0);
static PENDING: AtomicI32 = AtomicI32::new(0);

unsafe extern "system" fn on_console_event(event: u32) -> i32 {
    let sig = match event {
        CTRL_C_EVENT | CTRL_BREAK_EVENT => SIGINT,
        CTRL_CLOSE_EVENT | CTRL_LOGOFF_EVENT | CTRL_SHUTDOWN_EVENT => SIGHUP,
        _ => return 0,
    };
    RECEIVED.store(sig, Ordering::SeqCst);
    if CHILD.load(Ordering::SeqCst) == 0 {
        PENDING.store(sig, Ordering::SeqCst);
    }
    // Handled: lunora goes on and exits once its child has.
    1
}

/// Installs the console control handler. Idempotent.
pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: registers a handler that only touches atomics.
        unsafe {
            SetConsoleCtrlHandler(Some(on_console_event), 1);
        }
    });
}

/// The last control event received since [`install`], as a signal number, if any.
pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// Registers the child (`None` when it has exited). A Ctrl-C that arrived since the last
/// registration is sent to the console again, so the new child sees it.
pub fn set_child(pid: Option<u32>) {
    CHILD.store(pid.map_or(0, |p| p as i32), Ordering::SeqCst);
    if pid.is_some() && PENDING.swap(0, Ordering::SeqCst) == SIGINT {
        // SAFETY: plain call; group 0 is every process attached to this console (lunora's own
        // handler only records it).
        unsafe {
            GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
        }
    }
}

/// Process groups are a Unix notion: the console's Ctrl-C already reaches every process on it.
pub fn own_group(_cmd: &mut std::process::Command) {}

/// Nothing to arm: see [`own_group`].
pub fn end_with_lunora(_cmd: &mut std::process::Command) {}

/// Waits for the dev server to exit; once `stop_wanted` returns true it is terminated (a
/// console has no way to interrupt one process of many).
pub fn wait_stopping(
    child: &mut std::process::Child,
    _note: &dyn Fn(&str),
    stop_wanted: &dyn Fn() -> bool,
) -> std::io::Result<ExitStatus> {
    let mut killed = false;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        if !killed && stop_wanted() {
            let _ = child.kill();
            killed = true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Nothing to guard on Windows (see [`own_group`]).
pub struct Guard;

impl Guard {
    pub fn watch(_pid: u32) -> std::io::Result<Guard> {
        Ok(Guard)
    }

    pub fn release(self) {}
}

/// The exit code of a finished process.
pub fn exit_code(status: ExitStatus) -> i32 {
    status.code().unwrap_or(1)
}

/// The program `name` in `dir`, if there: `name.exe`, or the `name.cmd` shim npm writes into
/// `node_modules/.bin` (std runs batch files through cmd.exe with their arguments escaped).
pub fn program_in(dir: &Path, name: &str) -> Option<PathBuf> {
    ["exe", "cmd", "bat", "com"]
        .iter()
        .map(|ext| dir.join(format!("{name}.{ext}")))
        .find(|p| p.is_file())
}

/// The local time of day as `(hours, minutes, seconds)`.
pub fn local_time_of_day() -> Option<(u32, u32, u32)> {
    use windows_sys::Win32::System::SystemInformation::GetLocalTime;
    // SAFETY: GetLocalTime fills a plain-data struct.
    let t = unsafe {
        let mut t = std::mem::zeroed();
        GetLocalTime(&mut t);
        t
    };
    Some((t.wHour as u32, t.wMinute as u32, t.wSecond as u32))
}
