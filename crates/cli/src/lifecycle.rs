//! The runtime's container lifecycle lines, as `lunora dev` shows them.
//!
//! The generated classes log one JSON object per event (the contract shared with the runtime):
//! `{"type":"container","container":"transcoder","instanceId":"a1b2…","event":"stop",
//! "level":…,"message":…,"timestamp":…,"detail"?:…,"exitCode"?:…,"reason"?:…}`, possibly behind
//! a prefix that wrangler adds. [`render`] turns such a line into
//! `[lunora] container:transcoder#a1b2c3d4 stop exit code 137` and leaves every other line alone.
//!
//! The detail is `detail` when it is a non-empty string; otherwise, for events other than
//! `start`, the `message`, with `exitCode` / `reason` added when the message does not already
//! say them. Every value is printed with control characters escaped; `error` is red when
//! `color` is set.

use crate::output::escape_control;
use serde_json::Value;

/// The display form of a lifecycle line, or `None` when `line` is not one.
pub fn render(line: &str, color: bool) -> Option<String> {
    if !line.contains("\"container\"") {
        return None;
    }
    for (i, _) in line.match_indices('{') {
        let Some(Ok(Value::Object(obj))) = serde_json::Deserializer::from_str(&line[i..])
            .into_iter::<Value>()
            .next()
        else {
            continue;
        };
        if obj.get("type").and_then(Value::as_str) != Some("container") {
            continue;
        }
        let container = obj.get("container").and_then(Value::as_str)?;
        let event = obj.get("event").and_then(Value::as_str)?;
        let id = obj.get("instanceId").and_then(Value::as_str).unwrap_or("");
        let short: String = id.chars().take(8).collect();
        let event_text = escape_control(event);
        let event_text = if color && event == "error" {
            format!("\x1b[1;31m{event_text}\x1b[0m")
        } else {
            event_text.into_owned()
        };
        let mut out = format!(
            "[lunora] container:{}#{} {event_text}",
            escape_control(container),
            escape_control(&short)
        );
        let detail = detail(&obj, event);
        if !detail.is_empty() {
            out.push(' ');
            out.push_str(&escape_control(&detail));
        }
        return Some(out);
    }
    None
}

/// What follows the event: see the module contract.
fn detail(obj: &serde_json::Map<String, Value>, event: &str) -> String {
    let text = |key: &str| {
        obj.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    if let Some(detail) = text("detail") {
        return detail.to_string();
    }
    let message = if event == "start" {
        ""
    } else {
        text("message").unwrap_or("")
    };
    let mut extra = Vec::new();
    if let Some(code) = obj.get("exitCode").filter(|v| v.is_number()) {
        let said = format!("exit code {code}");
        if !message.contains(&said) {
            extra.push(said);
        }
    }
    if let Some(reason) = text("reason") {
        if !message.contains(reason) {
            extra.push(reason.to_string());
        }
    }
    match (message.is_empty(), extra.is_empty()) {
        (_, true) => message.to_string(),
        (true, false) => extra.join(", "),
        (false, false) => format!("{message} ({})", extra.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: &str = r#"{"type":"container","container":"transcoder","instanceId":"a1b2c3d4e5f6","event":"start","level":"info","message":"started","timestamp":"2026-04-01T00:00:00Z"}"#;

    fn event(fields: &str) -> String {
        format!(
            r#"{{"type":"container","container":"transcoder","instanceId":"a1b2c3d4e5f6","level":"info","timestamp":"2026-04-01T00:00:00Z",{fields}}}"#
        )
    }

    #[test]
    fn one_space_before_the_event_and_no_detail_for_a_plain_start() {
        assert_eq!(
            render(START, false).unwrap(),
            "[lunora] container:transcoder#a1b2c3d4 start"
        );
    }

    #[test]
    fn detail_wins_then_message_then_exit_code_and_reason() {
        let line = event(r#""event":"stop","message":"stopped","detail":"exit code 137""#);
        assert_eq!(
            render(&line, false).unwrap(),
            "[lunora] container:transcoder#a1b2c3d4 stop exit code 137"
        );
        let line =
            event(r#""event":"stop","message":"stopped","detail":"hard timeout (1h) reached""#);
        assert!(render(&line, false)
            .unwrap()
            .ends_with(" stop hard timeout (1h) reached"));
        let line = event(r#""event":"error","message":"exited unexpectedly""#);
        assert_eq!(
            render(&line, false).unwrap(),
            "[lunora] container:transcoder#a1b2c3d4 error exited unexpectedly"
        );
        let line = event(r#""event":"stop","exitCode":137,"reason":"oom""#);
        assert!(render(&line, false)
            .unwrap()
            .ends_with(" stop exit code 137, oom"));
        let line = event(r#""event":"stop","message":"stopped","exitCode":0"#);
        assert!(render(&line, false)
            .unwrap()
            .ends_with(" stop stopped (exit code 0)"));
        let line = event(r#""event":"stop","message":"stopped with exit code 1","exitCode":1"#);
        assert!(render(&line, false)
            .unwrap()
            .ends_with(" stop stopped with exit code 1"));
        // An empty detail falls back; a start's message is not a detail.
        let line = event(r#""event":"start","message":"started","detail":"""#);
        assert!(render(&line, false).unwrap().ends_with("#a1b2c3d4 start"));
    }

    #[test]
    fn error_is_red_only_with_colour() {
        let line = event(r#""event":"error","detail":"boom""#);
        assert_eq!(
            render(&line, true).unwrap(),
            "[lunora] container:transcoder#a1b2c3d4 \x1b[1;31merror\x1b[0m boom"
        );
        let line = event(r#""event":"stop","detail":"exit code 1""#);
        assert!(!render(&line, true).unwrap().contains('\x1b'));
    }

    #[test]
    fn control_characters_in_values_are_escaped() {
        let line =
            event(r#""event":"error","detail":"a\u001b]52;c;aGk=\u0007\n::error file=x::y""#);
        let out = render(&line, false).unwrap();
        assert!(
            !out.contains('\x1b') && !out.contains('\n') && !out.contains('\x07'),
            "{out:?}"
        );
        assert!(
            out.ends_with(r"a\u{1b}]52;c;aGk=\u{7}\n::error file=x::y"),
            "{out}"
        );
    }

    #[test]
    fn finds_the_object_behind_a_prefix() {
        let line = format!("[wrangler:info] {START}");
        assert_eq!(
            render(&line, false).unwrap(),
            "[lunora] container:transcoder#a1b2c3d4 start"
        );
        let nested = format!("log {{\"x\": 1}} {START} trailing");
        assert!(render(&nested, false).is_some());
    }

    #[test]
    fn leaves_other_lines_alone() {
        assert_eq!(render("Ready on http://localhost:8787", false), None);
        assert_eq!(render(r#"{"type":"request","container":"x"}"#, false), None);
        assert_eq!(render(r#"{"type":"container", broken"#, false), None);
    }
}
