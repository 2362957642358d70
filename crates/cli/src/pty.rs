//! Running the dev server under a pseudo-terminal, so it behaves as when the user runs it
//! directly (colours, key shortcuts such as wrangler's `[b]` / `[x]` / `r`), while lunora still
//! sees — and rewrites — every line it prints.
//!
//! Contract:
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

use crate::lifecycle;
use std::io::{self, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A pseudo-terminal pair.
pub struct Pty {
    master: OwnedFd,
    slave: OwnedFd,
}

fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

fn set_cloexec(fd: RawFd) -> io::Result<()> {
    // SAFETY: fcntl on a descriptor we own.
    unsafe {
        let flags = cvt(libc::fcntl(fd, libc::F_GETFD))?;
        cvt(libc::fcntl(fd, libc::F_SETFD, flags | libc::FD_CLOEXEC))?;
    }
    Ok(())
}

/// The terminal settings of `fd`, if it is a terminal.
fn termios_of(fd: RawFd) -> Option<libc::termios> {
    // SAFETY: tcgetattr fills a plain-data struct.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        (libc::tcgetattr(fd, &mut t) == 0).then_some(t)
    }
}

/// The window size of `fd`, if it is a terminal that knows one.
fn winsize_of(fd: RawFd) -> Option<libc::winsize> {
    // SAFETY: TIOCGWINSZ fills a plain-data struct.
    unsafe {
        let mut w: libc::winsize = std::mem::zeroed();
        (libc::ioctl(fd, libc::TIOCGWINSZ, &mut w) == 0 && w.ws_col > 0).then_some(w)
    }
}

impl Pty {
    /// Opens a pty whose slave has the settings of lunora's stdin and the size of its stdout.
    pub fn open() -> io::Result<Pty> {
        let termios = termios_of(libc::STDIN_FILENO);
        let winsize = winsize_of(libc::STDOUT_FILENO).or_else(|| winsize_of(libc::STDIN_FILENO));
        let mut master: RawFd = -1;
        let mut slave: RawFd = -1;
        // SAFETY: openpty writes two descriptors; the optional structs are read only.
        unsafe {
            cvt(libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                termios
                    .as_ref()
                    .map_or(std::ptr::null(), |t| t as *const libc::termios),
                winsize
                    .as_ref()
                    .map_or(std::ptr::null(), |w| w as *const libc::winsize),
            ))?;
        }
        // SAFETY: both descriptors were just created and are owned here.
        let pty = unsafe {
            Pty {
                master: OwnedFd::from_raw_fd(master),
                slave: OwnedFd::from_raw_fd(slave),
            }
        };
        // Neither end leaks into other programs lunora starts (the watcher's tools, say).
        set_cloexec(pty.master.as_raw_fd())?;
        set_cloexec(pty.slave.as_raw_fd())?;
        Ok(pty)
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
                if libc::setsid() < 0 {
                    return Err(io::Error::last_os_error());
                }
                if libc::ioctl(libc::STDIN_FILENO, libc::TIOCSCTTY as _, 0) < 0 {
                    return Err(io::Error::last_os_error());
                }
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
        // SAFETY: plain queries.
        && unsafe { libc::tcgetpgrp(libc::STDIN_FILENO) == libc::getpgrp() }
}

/// The settings to restore, shared with the panic hook and [`restore_terminal`].
static SAVED: Mutex<Option<libc::termios>> = Mutex::new(None);

/// Lunora's terminal in raw input mode for as long as this lives.
pub struct RawMode(());

impl RawMode {
    /// Switches stdin to raw input mode; `None` when it is not a terminal.
    pub fn enable() -> Option<RawMode> {
        let original = termios_of(libc::STDIN_FILENO)?;
        let mut raw = original;
        raw.c_iflag &= !(libc::IGNBRK
            | libc::BRKINT
            | libc::PARMRK
            | libc::ISTRIP
            | libc::INLCR
            | libc::IGNCR
            | libc::ICRNL
            | libc::IXON);
        raw.c_lflag &= !(libc::ECHO | libc::ECHONL | libc::ICANON | libc::ISIG | libc::IEXTEN);
        raw.c_cflag &= !(libc::CSIZE | libc::PARENB);
        raw.c_cflag |= libc::CS8;
        raw.c_cc[libc::VMIN] = 1;
        raw.c_cc[libc::VTIME] = 0;
        *SAVED.lock().unwrap_or_else(|e| e.into_inner()) = Some(original);
        install_panic_hook();
        // SAFETY: tcsetattr with a struct from tcgetattr.
        if unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &raw) } != 0 {
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
        // SAFETY: tcsetattr with the struct saved from tcgetattr.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &t);
        }
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
        let mut fds = [0 as RawFd; 2];
        // SAFETY: pipe2 writes two descriptors we then own.
        unsafe {
            cvt(libc::pipe2(
                fds.as_mut_ptr(),
                libc::O_CLOEXEC | libc::O_NONBLOCK,
            ))?;
        }
        let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
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
        // SAFETY: reading into a local buffer from a non-blocking pipe.
        while unsafe { libc::read(self.read.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) } > 0 {
        }
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

/// Copies lunora's window size to the pty.
fn copy_winsize(master: RawFd) {
    if let Some(w) = winsize_of(libc::STDOUT_FILENO).or_else(|| winsize_of(libc::STDIN_FILENO)) {
        // SAFETY: TIOCSWINSZ reads a plain-data struct; the kernel signals the child's group.
        unsafe {
            libc::ioctl(master, libc::TIOCSWINSZ, &w);
        }
    }
}

/// How long a partial line that may be the start of a lifecycle line is held back before it
/// is shown as it is.
const HOLD: Duration = Duration::from_millis(40);

/// Splits the child's output into lines, rewriting lifecycle lines, and passes everything else
/// on unchanged and at once. A partial line is held back only while it contains a `{` (it may
/// be a lifecycle line still arriving), and for at most [`HOLD`].
pub struct Rewriter<W: Write> {
    out: W,
    color: bool,
    pending: Vec<u8>,
    held_since: Option<Instant>,
    /// Part of the current line is already on screen.
    shown_partial: bool,
}

impl<W: Write> Rewriter<W> {
    pub fn new(out: W, color: bool) -> Self {
        Rewriter {
            out,
            color,
            pending: Vec::new(),
            held_since: None,
            shown_partial: false,
        }
    }

    pub fn feed(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            match data.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    self.pending.extend_from_slice(&data[..=i]);
                    data = &data[i + 1..];
                    self.complete_line();
                }
                None => {
                    self.pending.extend_from_slice(data);
                    data = &[];
                    if !self.pending.contains(&b'{') || self.pending.len() > 64 * 1024 {
                        self.show_pending();
                    } else if self.held_since.is_none() {
                        self.held_since = Some(Instant::now());
                    }
                }
            }
        }
        let _ = self.out.flush();
    }

    /// Shows a held partial line once it has waited [`HOLD`].
    pub fn tick(&mut self) {
        if self.held_since.is_some_and(|t| t.elapsed() >= HOLD) {
            self.show_pending();
            let _ = self.out.flush();
        }
    }

    /// Shows whatever is held (at the end of the output).
    pub fn finish(&mut self) {
        self.show_pending();
        let _ = self.out.flush();
    }

    fn show_pending(&mut self) {
        if !self.pending.is_empty() {
            let _ = self.out.write_all(&self.pending);
            self.shown_partial = true;
        }
        self.pending.clear();
        self.held_since = None;
    }

    fn complete_line(&mut self) {
        let line = std::mem::take(&mut self.pending);
        self.held_since = None;
        let rendered = std::str::from_utf8(&line)
            .ok()
            .and_then(|text| lifecycle::render(text, self.color));
        match rendered {
            Some(text) => {
                if self.shown_partial {
                    // The start of this line is already on screen: replace it.
                    let _ = self.out.write_all(b"\r\x1b[2K");
                }
                let _ = self.out.write_all(text.as_bytes());
                let _ = self.out.write_all(b"\n");
            }
            // The pty turned the child's `\n` into `\r\n`, and lunora's terminal does the same
            // (its output processing stays on): undo one, so each line ends as when run directly.
            None => match line.strip_suffix(b"\r\n") {
                Some(body) => {
                    let _ = self.out.write_all(body);
                    let _ = self.out.write_all(b"\n");
                }
                None => {
                    let _ = self.out.write_all(&line);
                }
            },
        }
        self.shown_partial = false;
    }
}

fn poll(fds: &mut [libc::pollfd], timeout: Duration) -> io::Result<usize> {
    // SAFETY: poll on a slice of pollfd structs.
    let n = unsafe {
        libc::poll(
            fds.as_mut_ptr(),
            fds.len() as libc::nfds_t,
            timeout.as_millis().min(i32::MAX as u128) as libc::c_int,
        )
    };
    if n < 0 {
        let e = io::Error::last_os_error();
        if e.kind() == io::ErrorKind::Interrupted {
            return Ok(0);
        }
        return Err(e);
    }
    Ok(n as usize)
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
        let mut rewriter = Rewriter::new(io::stdout(), color);
        let mut buf = vec![0u8; 64 * 1024];
        let mut quiet_since: Option<Instant> = None;
        let mut exited_at: Option<Instant> = None;
        loop {
            let mut fds = vec![libc::pollfd {
                fd: master.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            }];
            if let Some(w) = &winch {
                fds.push(libc::pollfd {
                    fd: w.read.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                });
            }
            if poll(&mut fds, Duration::from_millis(20)).is_err() {
                break;
            }
            if let (Some(w), Some(fd)) = (&winch, fds.get(1)) {
                if fd.revents & libc::POLLIN != 0 {
                    w.drain();
                    copy_winsize(master.as_raw_fd());
                }
            }
            let master_events = fds[0].revents;
            if master_events & libc::POLLIN != 0 {
                // SAFETY: reading into our buffer from the master we hold.
                let n =
                    unsafe { libc::read(master.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
                if n > 0 {
                    rewriter.feed(&buf[..n as usize]);
                    quiet_since = None;
                    if exited_at.is_none_or(|t| t.elapsed() < Duration::from_secs(1)) {
                        continue;
                    }
                }
                // 0 or an error (EIO once every slave descriptor is closed): the end.
                if n == 0 || io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                    break;
                }
            } else if master_events & (libc::POLLHUP | libc::POLLERR) != 0 {
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

/// Copies keys from lunora's stdin to the child until `stop` is set or stdin ends.
pub fn forward_input(master: Arc<OwnedFd>, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while !stop.load(Ordering::SeqCst) {
            let mut fds = [libc::pollfd {
                fd: libc::STDIN_FILENO,
                events: libc::POLLIN,
                revents: 0,
            }];
            match poll(&mut fds, Duration::from_millis(50)) {
                Ok(0) => continue,
                Ok(_) => {}
                Err(_) => return,
            }
            if fds[0].revents & libc::POLLIN == 0 {
                if fds[0].revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                    return;
                }
                continue;
            }
            // SAFETY: reading stdin into a local buffer.
            let n = unsafe { libc::read(libc::STDIN_FILENO, buf.as_mut_ptr().cast(), buf.len()) };
            if n <= 0 {
                if n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return;
            }
            let mut rest = &buf[..n as usize];
            while !rest.is_empty() {
                // SAFETY: writing our buffer to the master we hold.
                let w =
                    unsafe { libc::write(master.as_raw_fd(), rest.as_ptr().cast(), rest.len()) };
                if w < 0 {
                    if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                        continue;
                    }
                    return;
                }
                rest = &rest[w as usize..];
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"{"type":"container","container":"transcoder","instanceId":"a1b2c3d4e5f6","event":"stop","message":"stopped","detail":"exit code 137"}"#;

    fn feed_all(chunks: &[&[u8]]) -> String {
        let mut out = Vec::new();
        {
            let mut r = Rewriter::new(&mut out, false);
            for c in chunks {
                r.feed(c);
            }
            r.finish();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rewrites_lifecycle_lines_split_across_reads() {
        let line = format!("[wrangler:info] {LINE}\r\n");
        let (a, b) = line.as_bytes().split_at(30);
        assert_eq!(
            feed_all(&[b"Ready\r\n", a, b, b"after\r\n"]),
            "Ready\n[lunora] container:transcoder#a1b2c3d4 stop exit code 137\nafter\n"
        );
    }

    #[test]
    fn shows_a_prompt_without_a_newline_at_once() {
        let mut out = Vec::new();
        let mut r = Rewriter::new(&mut out, false);
        r.feed(b"? Would you like to continue (y/n) ");
        assert_eq!(out, b"? Would you like to continue (y/n) ");
    }

    #[test]
    fn replaces_a_partial_line_already_shown() {
        let out = feed_all(&[b"[wrangler:info] ", format!("{LINE}\n").as_bytes()]);
        assert_eq!(
            out,
            "[wrangler:info] \r\x1b[2K[lunora] container:transcoder#a1b2c3d4 stop exit code 137\n"
        );
    }

    #[test]
    fn a_held_brace_is_shown_after_the_hold() {
        let mut r = Rewriter::new(Vec::new(), false);
        r.feed(b"{ partial");
        r.tick();
        assert!(r.out.is_empty(), "held while it may be a lifecycle line");
        std::thread::sleep(HOLD + Duration::from_millis(5));
        r.tick();
        assert_eq!(r.out, b"{ partial");
    }

    #[test]
    fn bare_carriage_returns_pass_for_spinners() {
        assert_eq!(
            feed_all(&[b"\r| 1", b"\r/ 2", b"\r- done\r\n"]),
            "\r| 1\r/ 2\r- done\n"
        );
    }
}
