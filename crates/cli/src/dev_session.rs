//! What keeps a `lunora dev` session alive when a save stops the dev server.
//!
//! wrangler 4.86 keeps running after a bundling error (a syntax error: the last bundle keeps
//! serving) or a config syntax error, but exits 1 when the reloaded worker throws at module load
//! ("The Workers runtime failed to start": `defineContainer` rejecting a value, a top-level
//! `throw` in the entry) and when `wrangler.jsonc` parses but fails its validation. Nothing lunora
//! can pass to wrangler keeps that reload from happening, so the session is kept one level up.
//!
//! Contract of [`supervise`]: the dev server's exit ends the session (with its exit code) when
//! lunora got a signal, when it exited 0 (the user quit it), or when it failed in a run during
//! which no input was saved (nor recorded within [`SETTLE`] of the exit) and that was not a
//! restart (a port in use, a missing tool: as before). Otherwise the session stays: lunora says so, and starts the dev server again at once if an
//! input was saved since that run started and the newest codegen run succeeded (the fix may have
//! been saved while it was stopping), else at the next save whose codegen succeeds. A restart that
//! fails again waits for the next save; it never loops. A restart the watcher asked for
//! ([`Saves::request_restart`]: a save added a container, whose image wrangler builds only when
//! it starts) stops the running dev server and starts it again at once.

use crate::output::{local_time, Reporter};
use anyhow::Result;
use std::process::ExitStatus;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long a dev server's failure waits for the watcher to record a save made just before it.
const SETTLE: Duration = Duration::from_millis(500);

/// What the watcher saw: how many saves it ran codegen for, and whether the newest succeeded.
#[derive(Debug, Default)]
pub struct Saves {
    count: AtomicU64,
    last_ok: AtomicBool,
    restart: AtomicBool,
}

impl Saves {
    pub fn new() -> Saves {
        Saves {
            count: AtomicU64::new(0),
            last_ok: AtomicBool::new(true),
            restart: AtomicBool::new(false),
        }
    }

    /// Asks for the running dev server to be stopped and started again.
    pub fn request_restart(&self) {
        self.restart.store(true, Ordering::SeqCst);
    }

    /// Whether a restart was asked for since the current dev server started.
    pub fn restart_requested(&self) -> bool {
        self.restart.load(Ordering::SeqCst)
    }

    /// Called by the watcher once per codegen run it starts for a save.
    pub fn record(&self, ok: bool) {
        self.last_ok.store(ok, Ordering::SeqCst);
        self.count.fetch_add(1, Ordering::SeqCst);
    }

    fn count(&self) -> u64 {
        self.count.load(Ordering::SeqCst)
    }
}

/// Runs the dev server (`run` starts it and waits for it) until the session ends; see the
/// module contract. `signal` reports a signal lunora received. Returns lunora's exit code: the
/// dev server's, or 128 + the signal when one came while no dev server ran.
pub fn supervise(
    saves: &Saves,
    reporter: &Reporter,
    signal: &dyn Fn() -> Option<i32>,
    mut run: impl FnMut() -> Result<ExitStatus>,
) -> Result<i32> {
    let mut restarted = false;
    loop {
        let started_at = saves.count();
        saves.restart.store(false, Ordering::SeqCst);
        let status = run()?;
        let code = crate::exec::exit_code(status);
        if signal().is_none() && saves.restart.swap(false, Ordering::SeqCst) {
            restarted = true;
            continue;
        }
        if signal().is_some() || status.success() {
            return Ok(code);
        }
        if !restarted && saves.count() == started_at {
            // A dev server that reloads faster than codegen runs can exit before the watcher
            // has recorded the save that stopped it: give the watcher a moment.
            let until = Instant::now() + SETTLE;
            while saves.count() == started_at && signal().is_none() && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(20));
            }
            if saves.count() == started_at || signal().is_some() {
                return Ok(code);
            }
        }
        reporter.note(&format!(
            "[{}] lunora: the dev server stopped (exit code {code}) after a change; the session \
             goes on: fix the error above and save, and it starts again (Ctrl-C to quit)",
            local_time()
        ));
        // Restart at once only when a successful save already happened during that run.
        let mut seen = started_at;
        loop {
            if let Some(sig) = signal() {
                return Ok(128 + sig);
            }
            let now = saves.count();
            if now != seen && saves.last_ok.load(Ordering::SeqCst) {
                break;
            }
            if now != seen {
                seen = now;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        reporter.note(&format!(
            "[{}] lunora: restarting the dev server after the last save",
            local_time()
        ));
        restarted = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;
    use std::sync::Arc;

    fn exit(code: i32) -> ExitStatus {
        ExitStatus::from_raw(code << 8)
    }

    /// [`supervise`] with no Ctrl-C: the session ends when `run` says so.
    fn supervise_unsignalled(saves: &Saves, run: impl FnMut() -> Result<ExitStatus>) -> i32 {
        supervise(
            saves,
            &Reporter::new(crate::output::Format::Human),
            &|| None,
            run,
        )
        .unwrap()
    }

    #[test]
    fn a_failure_without_a_save_ends_the_session_with_its_code() {
        let saves = Saves::new();
        let mut runs = 0;
        let ended = supervise_unsignalled(&saves, || {
            runs += 1;
            Ok(exit(3))
        });
        assert_eq!(ended, 3);
        assert_eq!(runs, 1);
    }

    #[test]
    fn a_failure_after_a_save_restarts_after_the_next_valid_save() {
        let saves = Arc::new(Saves::new());
        let mut runs = 0;
        let s = saves.clone();
        let ended = supervise_unsignalled(&saves, || {
            runs += 1;
            match runs {
                // A bad save crashes the dev server.
                1 => {
                    s.record(false);
                    Ok(exit(1))
                }
                // Restarted once the fix was saved; the user quits.
                2 => Ok(exit(0)),
                _ => unreachable!(),
            }
            .inspect(|_| {
                if runs == 1 {
                    let s = s.clone();
                    std::thread::spawn(move || {
                        std::thread::sleep(Duration::from_millis(150));
                        s.record(false); // still wrong: no restart
                        std::thread::sleep(Duration::from_millis(250));
                        s.record(true);
                    });
                }
            })
        });
        assert_eq!(ended, 0);
        assert_eq!(runs, 2);
        assert_eq!(saves.count(), 3);
    }

    #[test]
    fn a_fix_saved_while_the_server_was_stopping_restarts_at_once_and_a_failed_restart_waits() {
        let saves = Arc::new(Saves::new());
        let s = saves.clone();
        let mut runs = 0;
        let signal_after = Arc::new(AtomicU64::new(0));
        let sa = signal_after.clone();
        let ended = supervise(
            &saves,
            &Reporter::new(crate::output::Format::Human),
            &|| (sa.load(Ordering::SeqCst) == 1).then_some(2),
            || {
                runs += 1;
                if runs == 1 {
                    s.record(false);
                    s.record(true);
                } else {
                    // The restart fails without a save: the session waits, then gets Ctrl-C.
                    let sa = sa.clone();
                    std::thread::spawn(move || {
                        std::thread::sleep(Duration::from_millis(300));
                        sa.store(1, Ordering::SeqCst);
                    });
                }
                Ok(exit(1))
            },
        )
        .unwrap();
        assert_eq!(ended, 130);
        assert_eq!(runs, 2);
    }

    #[test]
    fn a_requested_restart_starts_the_dev_server_again_whatever_its_exit() {
        let saves = Arc::new(Saves::new());
        let s = saves.clone();
        let mut runs = 0;
        let ended = supervise_unsignalled(&saves, || {
            runs += 1;
            if runs == 1 {
                // A save added a container: the dev server is stopped and exits 0.
                s.record(true);
                s.request_restart();
            }
            Ok(exit(0))
        });
        assert_eq!(ended, 0);
        assert_eq!(runs, 2, "restarted once, then the user quit");
    }
}
