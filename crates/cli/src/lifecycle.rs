//! The runtime's container lifecycle lines, as `lunora dev` shows them.
//!
//! The generated classes log one JSON object per event:
//! `{"type":"container","container":"transcoder","instanceId":"a1b2…","event":"start",…}`,
//! possibly behind a prefix that wrangler adds. [`render`] turns such a line into
//! `[lunora] container:transcoder#a1b2c3d4  start` (`error` events append their message) and
//! leaves every other line alone.

use serde_json::Value;

/// The display form of a lifecycle line, or `None` when `line` is not one.
pub fn render(line: &str) -> Option<String> {
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
        let mut out = format!("[lunora] container:{container}#{short}  {event}");
        if event == "error" {
            if let Some(message) = obj
                .get("message")
                .and_then(Value::as_str)
                .filter(|m| !m.is_empty())
            {
                out.push(' ');
                out.push_str(message);
            }
        }
        return Some(out);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: &str = r#"{"type":"container","container":"transcoder","instanceId":"a1b2c3d4e5f6","event":"start","level":"info","message":"started","timestamp":"2026-04-01T00:00:00Z"}"#;

    #[test]
    fn renders_start_and_error() {
        assert_eq!(
            render(START).unwrap(),
            "[lunora] container:transcoder#a1b2c3d4  start"
        );
        let err = START
            .replace("\"start\"", "\"error\"")
            .replace("\"started\"", "\"exited unexpectedly\"");
        assert_eq!(
            render(&err).unwrap(),
            "[lunora] container:transcoder#a1b2c3d4  error exited unexpectedly"
        );
    }

    #[test]
    fn finds_the_object_behind_a_prefix() {
        let line = format!("[wrangler:info] {START}");
        assert_eq!(
            render(&line).unwrap(),
            "[lunora] container:transcoder#a1b2c3d4  start"
        );
        let nested = format!("log {{\"x\": 1}} {START} trailing");
        assert!(render(&nested).is_some());
    }

    #[test]
    fn leaves_other_lines_alone() {
        assert_eq!(render("Ready on http://localhost:8787"), None);
        assert_eq!(render(r#"{"type":"request","container":"x"}"#), None);
        assert_eq!(render(r#"{"type":"container", broken"#), None);
    }
}
