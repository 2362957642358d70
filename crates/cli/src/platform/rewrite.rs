//! The line rewriter of the pseudo-terminal relay: passes the dev server's output through as it
//! arrives, with lifecycle lines rendered (see [`Rewriter`]). Platform-independent; only the
//! Unix relay uses it today.

use crate::lifecycle;
use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a partial line that may be the start of a lifecycle line is held back before it
/// is shown as it is.
const HOLD: Duration = Duration::from_millis(40);

/// Splits the child's output into lines, rewriting lifecycle lines, and passes everything else
/// on unchanged and at once. A partial line is held back only while it contains a `{` (it may
/// be a lifecycle line still arriving), and for at most [`HOLD`]. With a gate
/// ([`Rewriter::with_gate`]), every write happens under its lock, which is left saying whether
/// the output now stops mid-line.
pub struct Rewriter<W: Write> {
    out: W,
    gate: Option<&'static Mutex<bool>>,
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
            gate: None,
            color,
            pending: Vec::new(),
            held_since: None,
            shown_partial: false,
        }
    }

    /// Shares whether the output stops mid-line through `gate` (see
    /// `container_logs::TERMINAL_MID_LINE`).
    pub fn with_gate(mut self, gate: &'static Mutex<bool>) -> Self {
        self.gate = Some(gate);
        self
    }

    /// Runs `write` under the gate's lock, then records whether a line is left open.
    fn gated(&mut self, write: impl FnOnce(&mut Self)) {
        let guard = self
            .gate
            .map(|g| g.lock().unwrap_or_else(|e| e.into_inner()));
        write(self);
        let _ = self.out.flush();
        if let Some(mut open) = guard {
            *open = self.shown_partial;
        }
    }

    pub fn feed(&mut self, data: &[u8]) {
        self.gated(|r| r.feed_ungated(data));
    }

    fn feed_ungated(&mut self, mut data: &[u8]) {
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
    }

    /// Shows a held partial line once it has waited [`HOLD`].
    pub fn tick(&mut self) {
        if self.held_since.is_some_and(|t| t.elapsed() >= HOLD) {
            self.gated(Self::show_pending);
        }
    }

    /// Shows whatever is held (at the end of the output); the output no longer counts as open.
    pub fn finish(&mut self) {
        self.gated(Self::show_pending);
        if let Some(gate) = self.gate {
            *gate.lock().unwrap_or_else(|e| e.into_inner()) = false;
        }
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

    #[test]
    fn the_gate_says_whether_the_output_stops_mid_line() {
        static OPEN: Mutex<bool> = Mutex::new(false);
        let mut r = Rewriter::new(Vec::new(), false).with_gate(&OPEN);
        r.feed(b"Press a key: ");
        assert!(*OPEN.lock().unwrap(), "a prompt leaves the line open");
        r.feed(b"ok\n");
        assert!(!*OPEN.lock().unwrap());
        // A partial line held back (it may be a lifecycle line) is not on screen yet.
        r.feed(b"{\"type\":");
        assert!(!*OPEN.lock().unwrap());
        r.finish();
        assert!(!*OPEN.lock().unwrap(), "the end of the output closes it");
    }
}
