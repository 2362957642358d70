//! Ctrl-C / SIGTERM handling shared by `codegen --watch` and `lunora dev`.
//!
//! Contract: after [`install`], SIGINT, SIGTERM and SIGHUP no longer kill lunora; the most recent
//! one is reported by [`received`]. While a child is registered with [`set_child`], a signal that
//! another process sent to lunora (`kill`, a supervisor, a test) is forwarded to the child at
//! once. A signal the terminal sends (Ctrl-C) already reaches the child, which shares lunora's
//! foreground process group, so it is not sent twice — unless the child runs on a terminal of
//! its own ([`set_child_on_own_terminal`]), which lunora's terminal does not signal: then every
//! signal is forwarded.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

static RECEIVED: AtomicI32 = AtomicI32::new(0);
static CHILD: AtomicI32 = AtomicI32::new(0);
/// A signal that arrived while no child was registered, delivered by [`set_child`].
static PENDING: AtomicI32 = AtomicI32::new(0);
/// The child does not share lunora's terminal: forward terminal-generated signals too.
static FORWARD_ALL: AtomicBool = AtomicBool::new(false);

/// The signals lunora stops on (and forwards).
pub const HANDLED: [i32; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

extern "C" fn on_signal(sig: libc::c_int, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
    RECEIVED.store(sig, Ordering::SeqCst);
    let child = CHILD.load(Ordering::SeqCst);
    // si_code > 0 means the kernel generated it (the terminal's Ctrl-C reaches the whole group).
    let from_process = info.is_null() || unsafe { (*info).si_code } <= 0;
    if child <= 0 {
        PENDING.store(sig, Ordering::SeqCst);
    } else if from_process || FORWARD_ALL.load(Ordering::SeqCst) {
        // kill(2) is async-signal-safe.
        unsafe {
            libc::kill(child, sig);
        }
    }
}

/// Installs the handlers. Idempotent.
pub fn install() {
    for sig in HANDLED {
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as *const () as usize;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_RESTART;
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

/// Registers the child that signals are forwarded to (`None` to stop forwarding). A signal that
/// arrived since the last registration, which the child cannot have seen, is delivered now.
pub fn set_child(pid: Option<u32>) {
    FORWARD_ALL.store(false, Ordering::SeqCst);
    register(pid);
}

/// Like [`set_child`], for a child in a session of its own (under a pseudo-terminal): signals
/// lunora's terminal sends (a hang-up) are forwarded as well.
pub fn set_child_on_own_terminal(pid: u32) {
    FORWARD_ALL.store(true, Ordering::SeqCst);
    register(Some(pid));
}

fn register(pid: Option<u32>) {
    let pid = pid.map(|p| p as i32).unwrap_or(0);
    CHILD.store(pid, Ordering::SeqCst);
    if pid > 0 {
        let pending = PENDING.swap(0, Ordering::SeqCst);
        if pending != 0 {
            unsafe {
                libc::kill(pid, pending);
            }
        }
    }
}
