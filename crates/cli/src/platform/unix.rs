//! Unix (Linux and macOS): the pseudo-terminal, raw mode, signals and process queries, with
//! rustix for the system calls and libc only for what rustix deliberately leaves out (installing
//! signal handlers, `localtime_r`).
//!
//! Pseudo-terminal contract:
//! * [`Pty::open`] makes a pty pair whose slave starts with the user's terminal settings and
//!   window size; [`Pty::command`] wires a `Command` to the slave as stdin, stdout and stderr,
//!   in a session of its own with the slave as controlling terminal (so the kernel delivers
//!   Ctrl-C, resizes and job control to the child as a terminal would).
//! * [`RawMode`] puts lunora's own terminal in raw input mode (no echo, no line editing, no
//!   signal keys: every key goes to the child) and restores the saved settings when dropped,
//!   when a thread panics, and before lunora exits by way of a handled signal. Output
//!   processing is left as the user had it, so lunora's own lines still end where they should.
//! * [`relay`] copies the child's output to lunora's stdout as it arrives (a prompt without a
//!   newline shows at once), rewriting lifecycle lines and ending lines with `\n` (lunora's
//!   terminal adds the `\r`, as the pty did); [`forward_input`] copies keys to the
//!   child; window-size changes (SIGWINCH) are copied to the pty as they happen.
//!
//! Signal contract: after [`install`], SIGINT, SIGTERM and SIGHUP no longer kill lunora; the most
//! recent one is reported by [`received`]. While a child is registered with [`set_child`] (the
//! leader of a process group of its own: see `group`), every such signal is forwarded to its
//! group at once: the child does not share lunora's terminal's foreground group, so the terminal's
//! own Ctrl-C does not reach it. [`interrupts`] counts them, plus the Ctrl-C keys [`forward_input`]
//! passes to the current child, for the escalation in `group`.

use super::rewrite::Rewriter;
use rustix::event::{poll, PollFd, PollFlags};
use rustix::fs::{Mode, OFlags};
use rustix::io::{Errno, FdFlags};
use rustix::termios::{
    ControlModes, InputModes, LocalModes, OptionalActions, SpecialCodeIndex, Termios, Winsize,
};
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn stdin() -> BorrowedFd<'static> {
    rustix::stdio::stdin()
}

fn stdout() -> BorrowedFd<'static> {
    rustix::stdio::stdout()
}

/// The window size of `fd`, if it is a terminal that knows one.
fn winsize_of(fd: BorrowedFd<'_>) -> Option<Winsize> {
    rustix::termios::tcgetwinsize(fd)
        .ok()
        .filter(|w| w.ws_col > 0)
}

/// Lunora's window size: its stdout's, else its stdin's.
fn own_winsize() -> Option<Winsize> {
    winsize_of(stdout()).or_else(|| winsize_of(stdin()))
}

fn set_cloexec(fd: BorrowedFd<'_>) -> io::Result<()> {
    let flags = rustix::io::fcntl_getfd(fd)?;
    rustix::io::fcntl_setfd(fd, flags | FdFlags::CLOEXEC)?;
    Ok(())
}

/// A pseudo-terminal pair.
pub struct Pty {
    master: OwnedFd,
    slave: OwnedFd,
}

impl Pty {
    /// Opens a pty whose slave has the settings of lunora's stdin and the size of its stdout.
    pub fn open() -> io::Result<Pty> {
        use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
        let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY)?;
        // Neither end leaks into other programs lunora starts (the watcher's tools, say).
        set_cloexec(master.as_fd())?;
        grantpt(&master)?;
        unlockpt(&master)?;
        let name = ptsname(&master, Vec::new())?;
        let slave = rustix::fs::open(
            name.as_c_str(),
            OFlags::RDWR | OFlags::NOCTTY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        if let Ok(termios) = rustix::termios::tcgetattr(stdin()) {
            rustix::termios::tcsetattr(&slave, OptionalActions::Now, &termios)?;
        }
        if let Some(w) = own_winsize() {
            rustix::termios::tcsetwinsize(&master, w)?;
        }
        Ok(Pty { master, slave })
    }

    /// Wires `cmd` to the slave end, in a new session with the slave as its controlling
    /// terminal. Returns the master end; the slave is closed in lunora once `cmd` is dropped.
    pub fn command(self, cmd: &mut Command) -> io::Result<OwnedFd> {
        cmd.stdin(Stdio::from(self.slave.try_clone()?))
            .stdout(Stdio::from(self.slave.try_clone()?))
            .stderr(Stdio::from(self.slave));
        // SAFETY: the closure only makes async-signal-safe calls (setsid, ioctl).
        unsafe {
            use std::os::unix::process::CommandExt;
            cmd.pre_exec(|| {
                rustix::process::setsid()?;
                rustix::process::ioctl_tiocsctty(stdin())?;
                Ok(())
            });
        }
        Ok(self.master)
    }
}

/// Whether lunora runs in the foreground of the terminal on its stdin and stdout (a background
/// job must not take the terminal over: changing its settings would stop it with SIGTTOU).
pub fn in_foreground_of_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal()
        && rustix::termios::tcgetpgrp(stdin()).ok() == Some(rustix::process::getpgrp())
}

/// The settings to restore, shared with the panic hook and [`restore_terminal`].
static SAVED: Mutex<Option<Termios>> = Mutex::new(None);

/// Lunora's terminal in raw input mode for as long as this lives.
pub struct RawMode(());

impl RawMode {
    /// Switches stdin to raw input mode; `None` when it is not a terminal.
    pub fn enable() -> Option<RawMode> {
        let original = rustix::termios::tcgetattr(stdin()).ok()?;
        let mut raw = original.clone();
        raw.input_modes &= !(InputModes::IGNBRK
            | InputModes::BRKINT
            | InputModes::PARMRK
            | InputModes::ISTRIP
            | InputModes::INLCR
            | InputModes::IGNCR
            | InputModes::ICRNL
            | InputModes::IXON);
        raw.local_modes &= !(LocalModes::ECHO
            | LocalModes::ECHONL
            | LocalModes::ICANON
            | LocalModes::ISIG
            | LocalModes::IEXTEN);
        raw.control_modes &= !(ControlModes::CSIZE | ControlModes::PARENB);
        raw.control_modes |= ControlModes::CS8;
        raw.special_codes[SpecialCodeIndex::VMIN] = 1;
        raw.special_codes[SpecialCodeIndex::VTIME] = 0;
        *SAVED.lock().unwrap_or_else(|e| e.into_inner()) = Some(original);
        install_panic_hook();
        if rustix::termios::tcsetattr(stdin(), OptionalActions::Now, &raw).is_err() {
            SAVED.lock().unwrap_or_else(|e| e.into_inner()).take();
            return None;
        }
        Some(RawMode(()))
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Puts lunora's terminal back as it was before [`RawMode::enable`]. Idempotent.
pub fn restore_terminal() {
    let saved = SAVED.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(t) = saved {
        let _ = rustix::termios::tcsetattr(stdin(), OptionalActions::Now, &t);
    }
}

fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
    });
}

/// The write end of the self-pipe SIGWINCH writes to (-1 when none).
static WINCH_PIPE: AtomicI32 = AtomicI32::new(-1);

extern "C" fn on_winch(_sig: libc::c_int) {
    let fd = WINCH_PIPE.load(Ordering::SeqCst);
    if fd >= 0 {
        // SAFETY: write(2) is async-signal-safe; a full pipe already holds a wake-up.
        unsafe {
            libc::write(fd, b"w".as_ptr().cast(), 1);
        }
    }
}

/// Resize notifications: readable whenever lunora's window changed size.
struct Winch {
    read: OwnedFd,
    _write: OwnedFd,
}

impl Winch {
    fn install() -> io::Result<Winch> {
        // pipe + fcntl rather than pipe2, which macOS lacks.
        let (read, write) = rustix::pipe::pipe()?;
        for fd in [&read, &write] {
            set_cloexec(fd.as_fd())?;
            let flags = rustix::fs::fcntl_getfl(fd)?;
            rustix::fs::fcntl_setfl(fd, flags | OFlags::NONBLOCK)?;
        }
        WINCH_PIPE.store(write.as_raw_fd(), Ordering::SeqCst);
        // SAFETY: installing a handler that only calls write(2).
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_winch as *const () as usize;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(libc::SIGWINCH, &action, std::ptr::null_mut());
        }
        Ok(Winch {
            read,
            _write: write,
        })
    }

    fn drain(&self) {
        let mut buf = [0u8; 64];
        while rustix::io::read(&self.read, &mut buf).is_ok_and(|n| n > 0) {}
    }
}

impl Drop for Winch {
    fn drop(&mut self) {
        WINCH_PIPE.store(-1, Ordering::SeqCst);
        // SAFETY: back to the default disposition.
        unsafe {
            libc::signal(libc::SIGWINCH, libc::SIG_DFL);
        }
    }
}

/// Copies lunora's window size to the pty (the kernel signals the child's group).
fn copy_winsize(master: BorrowedFd<'_>) {
    if let Some(w) = own_winsize() {
        let _ = rustix::termios::tcsetwinsize(master, w);
    }
}

/// Waits up to `timeout` for events on `fds`; an interrupted wait counts as a timeout.
fn wait(fds: &mut [PollFd<'_>], timeout: Duration) -> io::Result<usize> {
    let timeout = rustix::time::Timespec {
        tv_sec: timeout.as_secs() as _,
        tv_nsec: timeout.subsec_nanos() as _,
    };
    match poll(fds, Some(&timeout)) {
        Ok(n) => Ok(n),
        Err(Errno::INTR) => Ok(0),
        Err(e) => Err(e.into()),
    }
}

/// Copies the child's output (the pty master) to lunora's stdout until the child has exited
/// (`exited` set) and its output is drained, or the pty closes. Keeps the pty's window size in
/// step with lunora's.
pub fn relay(
    master: Arc<OwnedFd>,
    exited: Arc<AtomicBool>,
    color: bool,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let winch = Winch::install().ok();
        let mut rewriter =
            Rewriter::new(io::stdout(), color).with_gate(&crate::container_logs::TERMINAL_MID_LINE);
        let mut buf = vec![0u8; 64 * 1024];
        let mut quiet_since: Option<Instant> = None;
        let mut exited_at: Option<Instant> = None;
        loop {
            let (master_events, winch_events) = {
                let mut fds = vec![PollFd::new(&*master, PollFlags::IN)];
                if let Some(w) = &winch {
                    fds.push(PollFd::new(&w.read, PollFlags::IN));
                }
                if wait(&mut fds, Duration::from_millis(20)).is_err() {
                    break;
                }
                (
                    fds[0].revents(),
                    fds.get(1).map_or(PollFlags::empty(), |f| f.revents()),
                )
            };
            if let (Some(w), true) = (&winch, winch_events.contains(PollFlags::IN)) {
                w.drain();
                copy_winsize(master.as_fd());
            }
            if master_events.contains(PollFlags::IN) {
                match rustix::io::read(&*master, &mut buf[..]) {
                    Ok(n) if n > 0 => {
                        rewriter.feed(&buf[..n]);
                        quiet_since = None;
                        if exited_at.is_none_or(|t| t.elapsed() < Duration::from_secs(1)) {
                            continue;
                        }
                        break;
                    }
                    Err(Errno::INTR) => {}
                    // 0 or an error (EIO once every slave descriptor is closed): the end.
                    _ => break,
                }
            } else if master_events.intersects(PollFlags::HUP | PollFlags::ERR) {
                break;
            }
            rewriter.tick();
            if exited.load(Ordering::SeqCst) {
                // The child is gone but something it started may still hold the pty: show what
                // is already written (up to a second of it), then stop.
                let since = *quiet_since.get_or_insert_with(Instant::now);
                let gone = *exited_at.get_or_insert_with(Instant::now);
                if since.elapsed() > Duration::from_millis(100)
                    || gone.elapsed() > Duration::from_secs(1)
                {
                    break;
                }
            }
        }
        rewriter.finish();
    })
}

/// Copies keys from lunora's stdin to the child until `stop` is set or stdin ends, counting
/// Ctrl-C keys (see [`interrupts`]).
pub fn forward_input(master: Arc<OwnedFd>, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while !stop.load(Ordering::SeqCst) {
            let events = {
                let mut fds = [PollFd::from_borrowed_fd(stdin(), PollFlags::IN)];
                match wait(&mut fds, Duration::from_millis(50)) {
                    Ok(0) => continue,
                    Ok(_) => fds[0].revents(),
                    Err(_) => return,
                }
            };
            if !events.contains(PollFlags::IN) {
                if events.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
                    return;
                }
                continue;
            }
            let n = match rustix::io::read(stdin(), &mut buf[..]) {
                Ok(0) => return,
                Ok(n) => n,
                Err(Errno::INTR) => continue,
                Err(_) => return,
            };
            // Ctrl-C (the terminal's interrupt key, as the child's terminal starts with lunora's
            // settings) counts towards escalating a dev server that does not stop.
            let keys = buf[..n].iter().filter(|&&b| b == 0x03).count() as u32;
            INTERRUPT_KEYS.fetch_add(keys, Ordering::SeqCst);
            let mut rest = &buf[..n];
            while !rest.is_empty() {
                match rustix::io::write(&*master, rest) {
                    Ok(w) => rest = &rest[w..],
                    Err(Errno::INTR) => continue,
                    Err(_) => return,
                }
            }
        }
    })
}

// ---- signals ----

static RECEIVED: AtomicI32 = AtomicI32::new(0);
static CHILD: AtomicI32 = AtomicI32::new(0);
/// A signal that arrived while no child was registered, delivered by [`set_child`].
static PENDING: AtomicI32 = AtomicI32::new(0);

/// Signals received since [`install`].
static SIGNALS: AtomicU32 = AtomicU32::new(0);
/// Ctrl-C keys passed to the current child (see [`forward_input`]).
static INTERRUPT_KEYS: AtomicU32 = AtomicU32::new(0);

/// The signals lunora stops on (and forwards).
const HANDLED: [i32; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

extern "C" fn on_signal(sig: libc::c_int) {
    RECEIVED.store(sig, Ordering::SeqCst);
    SIGNALS.fetch_add(1, Ordering::SeqCst);
    let child = CHILD.load(Ordering::SeqCst);
    if child <= 0 {
        PENDING.store(sig, Ordering::SeqCst);
    } else {
        // kill(2) is async-signal-safe.
        unsafe {
            libc::kill(-child, sig);
        }
    }
}

/// Installs the handlers. Idempotent.
pub fn install() {
    for sig in HANDLED {
        // SAFETY: installing a handler that only touches atomics and calls kill(2).
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as *const () as usize;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(sig, &action, std::ptr::null_mut());
        }
    }
}

/// The last handled signal received since [`install`], if any.
pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// How many interrupts the current session had: signals to lunora, plus Ctrl-C keys typed to
/// the current child on its own terminal.
pub fn interrupts() -> u32 {
    SIGNALS.load(Ordering::SeqCst) + INTERRUPT_KEYS.load(Ordering::SeqCst)
}

/// Registers the child whose process group signals are forwarded to (`None` to stop
/// forwarding). A signal that arrived since the last registration, which the child cannot have
/// seen, is delivered now.
pub fn set_child(pid: Option<u32>) {
    INTERRUPT_KEYS.store(0, Ordering::SeqCst);
    let pid = pid.map(|p| p as i32).unwrap_or(0);
    CHILD.store(pid, Ordering::SeqCst);
    if pid > 0 {
        let pending = PENDING.swap(0, Ordering::SeqCst);
        if pending != 0 {
            // SAFETY: plain kill(2) of our own child's group.
            unsafe {
                libc::kill(-pid, pending);
            }
        }
    }
}

// ---- processes and files ----

/// The exit code of a finished process: its own, or 128 + the signal that killed it.
pub fn exit_code(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
}

/// The program `name` in `dir`, if it is there and executable.
pub fn program_in(dir: &Path, name: &str) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::metadata(&path)
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .then_some(path)
}

/// The local time of day as `(hours, minutes, seconds)`.
pub fn local_time_of_day() -> Option<(u32, u32, u32)> {
    // SAFETY: time(2) and localtime_r(3) with valid pointers; `tm` is plain data.
    unsafe {
        let now = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&now, &mut tm).is_null() {
            return None;
        }
        Some((tm.tm_hour as u32, tm.tm_min as u32, tm.tm_sec as u32))
    }
}
