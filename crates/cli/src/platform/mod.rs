//! Everything that differs between operating systems, behind one interface: signals, the
//! dev server's pseudo-terminal, terminal size and raw mode, process exit codes, finding a
//! program, the local time. The rest of the CLI calls only this module.
//!
//! * Unix (Linux, macOS; [`unix`]): `lunora dev` on a terminal runs the dev server under a
//!   pseudo-terminal ([`Pty`], [`RawMode`], [`relay`], [`forward_input`]); SIGINT, SIGTERM and
//!   SIGHUP are handled and forwarded to the child's process group; a second interrupt escalates
//!   to SIGTERM, then SIGKILL, and no process of that group outlives lunora ([`own_group`],
//!   [`wait_stopping`], [`Guard`]).
//! * Windows ([`windows`]): no pseudo-terminal — [`in_foreground_of_terminal`] is false, so
//!   `lunora dev` pipes the dev server's output (lifecycle lines still rendered). The dev server
//!   shares lunora's console, which delivers Ctrl-C to both; lunora records it and waits for the
//!   dev server to exit ([`own_group`] and [`Guard`] do nothing, [`wait_stopping`] only waits).
//!
//! Shared by both: [`install`] / [`received`] / [`set_child`] (signals or console control
//! events, as signal numbers), [`exit_code`], [`program_in`], [`local_time_of_day`].

#[cfg(unix)]
mod group;
#[cfg(unix)]
mod rewrite;
#[cfg(unix)]
mod unix;
#[cfg(windows)]
mod windows;

#[cfg(unix)]
pub use group::{end_with_lunora, own_group, wait_stopping, Guard};
#[cfg(unix)]
pub use unix::{
    exit_code, forward_input, in_foreground_of_terminal, install, local_time_of_day, program_in,
    received, relay, set_child, Pty, RawMode,
};
#[cfg(windows)]
pub use windows::{
    end_with_lunora, exit_code, install, local_time_of_day, own_group, program_in, received,
    set_child, wait_stopping, Guard,
};

/// Whether `lunora dev` can give the dev server a terminal of its own here: never on Windows,
/// where it runs with pipes (a ConPTY is not used).
#[cfg(windows)]
pub fn in_foreground_of_terminal() -> bool {
    false
}
