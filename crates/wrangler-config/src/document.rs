//! The wrangler config of one run, read once: [`WranglerConfig`].
//!
//! Contract: every command reads `wrangler.jsonc` / `wrangler.json` through this type, so they
//! all agree on what the file says. A leading byte order mark is accepted (wrangler reads such a
//! file) and kept; the syntax accepted is the reconciler's (JSON plus comments and trailing
//! commas, see [`crate::read::parse_options`]), so a file that reconciliation rejects (an unquoted
//! key, a missing comma, a single-quoted string) is rejected by every reader, with the same
//! located `wrangler/parse-error`; JSON versus JSONC is decided once, from the file name.
//! Shape errors that only matter to the reconciler (a `containers[]` entry of the wrong type, …)
//! do not make the document unreadable: they are reported by [`WranglerConfig::reconcile`] and
//! the edits.

use crate::codes;
use crate::edit::{self, EditOutput, Rename, Wiring};
use crate::facts::{self, ConfigFacts};
use crate::read::{self, span, type_name, value_range};
use crate::{detect_format, ConfigFormat, ReconcileInput, ReconcileOutput, BOM};
use jsonc_parser::ast::{Object, Value};
use jsonc_parser::CollectOptions;
use lunora_diagnostic::{Diagnostic, Span};
use std::collections::HashSet;

/// One wrangler config file, parsed: its text as read and what lunora reads from it.
#[derive(Debug, Clone)]
pub struct WranglerConfig {
    file: String,
    text: String,
    format: ConfigFormat,
    main: Option<String>,
    compatibility_date: Option<Result<String, &'static str>>,
    dev_enable_containers: Option<bool>,
    env_names: Vec<String>,
    wired: HashSet<String>,
}

impl WranglerConfig {
    /// Reads `text`, the contents of `file` (`wrangler.jsonc`, or a path ending in it). `Err`
    /// holds located errors (spans count a leading byte order mark).
    pub fn parse(file: &str, text: &str) -> Result<WranglerConfig, Vec<Diagnostic>> {
        let shift = if text.starts_with(BOM) {
            BOM.len_utf8()
        } else {
            0
        };
        let inner = &text[shift..];
        let root = parse_root(inner, file).map_err(|mut errors| {
            crate::shift_spans(&mut errors, shift as u32);
            errors
        })?;
        let mut wired = HashSet::new();
        let mut env_names = Vec::new();
        collect_wired(&root, &mut wired);
        if let Some(Value::Object(envs)) = root.get("env").map(|p| &p.value) {
            for block in &envs.properties {
                env_names.push(block.name.as_str().to_string());
                if let Value::Object(obj) = &block.value {
                    collect_wired(obj, &mut wired);
                }
            }
        }
        let main = root.get_string("main").map(|s| s.value.to_string());
        let compatibility_date = root.get("compatibility_date").map(|p| match &p.value {
            Value::StringLit(s) => Ok(s.value.to_string()),
            other => Err(type_name(other)),
        });
        let dev_enable_containers = root
            .get_object("dev")
            .and_then(|dev| dev.get_boolean("enable_containers"))
            .map(|b| b.value);
        Ok(WranglerConfig {
            format: detect_format(file),
            file: file.to_string(),
            main,
            compatibility_date,
            dev_enable_containers,
            env_names,
            wired,
            text: text.to_string(),
        })
    }

    /// The file name diagnostics use (`wrangler.jsonc`).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The text as read (byte order mark included).
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_text(self) -> String {
        self.text
    }

    /// `.json` files stay strict JSON when edited.
    pub fn format(&self) -> ConfigFormat {
        self.format
    }

    /// wrangler's `main` (the worker entry), when it is a string.
    pub fn main(&self) -> Option<&str> {
        self.main.as_deref()
    }

    /// `compatibility_date`: `None` when absent, `Err(type)` when not a string.
    pub fn compatibility_date(&self) -> Option<Result<&str, &'static str>> {
        match &self.compatibility_date {
            None => None,
            Some(Ok(date)) => Some(Ok(date)),
            Some(Err(found)) => Some(Err(found)),
        }
    }

    /// `dev.enable_containers` when it is a boolean.
    pub fn enable_containers(&self) -> Option<bool> {
        self.dev_enable_containers
    }

    /// The `env.<name>` blocks, in file order.
    pub fn env_names(&self) -> &[String] {
        &self.env_names
    }

    /// Whether the top level or any `env` block binds `class` (`durable_objects.bindings`) or
    /// configures it (`containers[]`).
    pub fn wires(&self, class: &str) -> bool {
        self.wired.contains(class)
    }

    /// Reconciles the document with `input`'s containers (`input.text`, `format` and `file` are
    /// this document's; see [`crate::reconcile`]).
    pub fn reconcile(&self, input: ReconcileInput<'_>) -> Result<ReconcileOutput, Vec<Diagnostic>> {
        crate::reconcile(&ReconcileInput {
            text: &self.text,
            format: self.format,
            file: &self.file,
            ..input
        })
    }

    /// What the typed edits need to know (see [`crate::facts`]).
    pub fn facts(&self) -> Result<ConfigFacts, Vec<Diagnostic>> {
        facts::facts(&self.text, &self.file)
    }

    /// See [`crate::append_rename`].
    pub fn append_rename(&self, renames: &[Rename]) -> Result<EditOutput, Vec<Diagnostic>> {
        edit::append_rename(&self.text, self.format, &self.file, renames)
    }

    /// See [`crate::append_delete`].
    pub fn append_delete(&self, classes: &[String]) -> Result<EditOutput, Vec<Diagnostic>> {
        edit::append_delete(&self.text, self.format, &self.file, classes)
    }

    /// See [`crate::move_binding`].
    pub fn move_binding(
        &self,
        from_class: &str,
        to_class: &str,
        rename_name: Option<(&str, &str)>,
    ) -> Result<EditOutput, Vec<Diagnostic>> {
        crate::edit::move_binding(
            &self.text,
            self.format,
            &self.file,
            from_class,
            to_class,
            rename_name,
        )
    }

    /// See [`crate::move_container_entry`].
    pub fn move_container_entry(
        &self,
        from_class: &str,
        to_class: &str,
    ) -> Result<EditOutput, Vec<Diagnostic>> {
        crate::edit::move_container_entry(&self.text, self.format, &self.file, from_class, to_class)
    }

    /// See [`crate::remove_wiring`].
    pub fn remove_wiring(
        &self,
        class: &str,
        wiring: Wiring,
    ) -> Result<EditOutput, Vec<Diagnostic>> {
        edit::remove_wiring(&self.text, self.format, &self.file, class, wiring)
    }

    /// The document an edit produced (same file, new text).
    pub fn with_text(&self, text: &str) -> Result<WranglerConfig, Vec<Diagnostic>> {
        WranglerConfig::parse(&self.file, text)
    }
}

fn collect_wired(scope: &Object<'_>, out: &mut HashSet<String>) {
    let arrays = [
        scope.get_array("containers"),
        scope
            .get_object("durable_objects")
            .and_then(|d| d.get_array("bindings")),
    ];
    for array in arrays.into_iter().flatten() {
        for entry in &array.elements {
            if let Value::Object(obj) = entry {
                if let Some(class) = obj.get_string("class_name") {
                    out.insert(class.value.to_string());
                }
            }
        }
    }
}

/// Parses `text` (no byte order mark) strictly into its root object: the one place the syntax
/// and the root's type are checked (`wrangler/parse-error`, `wrangler/invalid-root`).
pub(crate) fn parse_root<'a>(text: &'a str, file: &str) -> Result<Object<'a>, Vec<Diagnostic>> {
    let parsed = match jsonc_parser::parse_to_ast(
        text,
        &CollectOptions::default(),
        &read::parse_options(),
    ) {
        Ok(parsed) => parsed,
        Err(err) => {
            let range = err.range();
            let end = if range.end > range.start {
                range.end
            } else {
                (range.start + 1).min(text.len())
            };
            return Err(vec![Diagnostic::error(
                    codes::PARSE_ERROR,
                    format!("{file} does not parse: {}", err.kind()),
                )
                .with_primary(file, Span::new(range.start as u32, end as u32), err.kind().to_string())
                .with_help(format!(
                    "fix the syntax at line {} column {}; lunora leaves the file untouched until it parses",
                    err.line_display(),
                    err.column_display()
                ))]);
        }
    };
    const EXAMPLE: &str =
        "a wrangler config is one object, e.g. `{ \"name\": \"my-worker\", \"main\": \"src/index.ts\" }`";
    match parsed.value {
        Some(Value::Object(o)) => Ok(o),
        Some(other) => Err(vec![Diagnostic::error(
            codes::INVALID_ROOT,
            format!(
                "{file} must contain a JSON object, found {}",
                type_name(&other)
            ),
        )
        .with_primary(file, span(value_range(&other)), "expected an object")
        .with_help(EXAMPLE)]),
        None => Err(vec![Diagnostic::error(
            codes::INVALID_ROOT,
            format!("{file} contains no JSON object"),
        )
        .with_primary(file, Span::new(0, text.len() as u32), "")
        .with_help(EXAMPLE)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_read_like_wrangler_reads_it() {
        let text =
            "\u{feff}{ \"main\": \"src/index.ts\", \"dev\": { \"enable_containers\": false } }";
        let config = WranglerConfig::parse("wrangler.jsonc", text).unwrap();
        assert_eq!(config.main(), Some("src/index.ts"));
        assert_eq!(config.enable_containers(), Some(false));
        assert_eq!(config.text(), text);
    }

    #[test]
    fn an_unquoted_key_is_a_located_parse_error_even_after_a_bom() {
        let text = "\u{feff}{ main: \"src/index.ts\" }";
        let errors = WranglerConfig::parse("wrangler.jsonc", text).unwrap_err();
        assert_eq!(errors[0].code, codes::PARSE_ERROR);
        let label = errors[0].primary_label().unwrap();
        // `main` starts after the 3-byte mark and `{ `.
        assert_eq!(label.span.start, 5);
    }

    #[test]
    fn wiring_env_names_and_dates_are_read_from_every_scope() {
        let text = r#"{
  // comment
  "compatibility_date": 20260401,
  "durable_objects": { "bindings": [{ "name": "A", "class_name": "AContainer" }] },
  "env": { "staging": { "containers": [{ "class_name": "BContainer", "image": "x" }] }, "prod": {} },
}"#;
        let config = WranglerConfig::parse("wrangler.json", text).unwrap();
        assert!(config.wires("AContainer") && config.wires("BContainer"));
        assert!(!config.wires("CContainer"));
        assert_eq!(config.env_names(), ["staging", "prod"]);
        assert_eq!(config.compatibility_date(), Some(Err("a number")));
        assert_eq!(config.format(), ConfigFormat::Json);
        assert_eq!(config.main(), None);
    }

    #[test]
    fn a_root_that_is_not_an_object_is_rejected() {
        let errors = WranglerConfig::parse("wrangler.jsonc", "[1]").unwrap_err();
        assert_eq!(errors[0].code, codes::INVALID_ROOT);
    }
}
