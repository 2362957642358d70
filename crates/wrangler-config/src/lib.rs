//! Reconciles a `wrangler.jsonc` / `wrangler.json` text with the containers a project declares.
//! Pure: strings in, string out. Edits go through jsonc-parser's CST so everything outside the
//! edited spots (comments, trailing commas, key order, indentation, line endings) survives.
//!
//! Accepted input: JSON plus comments and trailing commas (in `.json` files too, as wrangler reads
//! them), optionally after a UTF-8 byte order mark (kept as it was); anything looser (missing
//! commas, unquoted keys, single quotes) is a parse error. What is written follows the file: its
//! indentation, line endings, and trailing commas (never in a `.json` file).
//!
//! What is reconciled, as wrangler reads it: the top level, and every `env.<name>` block
//! (wrangler inherits neither `containers` nor `durable_objects` into an environment), except
//! a block with its own explicit `"containers": []`, which says that environment runs without
//! containers: it is left alone. An environment with its own `migrations` gets its migrations
//! there (wrangler then ignores the top-level ones); otherwise the top-level migrations apply.
//! Inside an environment block, a `containers[]` value lunora wrote (the record's
//! `env_written`) follows the definition; any other value there was set by hand and is kept,
//! and an `info` says where it differs from the definition.
//!
//! Ownership: lunora only ever calls a class "no longer declared" when it is in
//! [`ReconcileInput::owned`], the record of classes lunora generated before. A class wired by
//! hand is never its business, whatever its name.
//!
//! Diagnostic codes. Errors (the file must be left untouched): `wrangler/parse-error`,
//! `wrangler/invalid-root`, `wrangler/invalid-type`, `wrangler/missing-field`,
//! `wrangler/duplicate-application`,
//! `wrangler/duplicate-container`, `wrangler/missing-env`, `wrangler/binding-conflict`,
//! `wrangler/binding-mismatch`, `wrangler/kv-backed-container`, `wrangler/duplicate-key`,
//! `wrangler/invalid-kept-value` (a kept hand-set value wrangler 4.86 rejects),
//! `wrangler/internal`.
//! Warnings: `wrangler/observability-disabled`, `wrangler/leftover-container`,
//! `wrangler/null-migration`, `wrangler/missing-name`, `wrangler/stale-field-kept`.
//! Info: `wrangler/binding-reused`, `wrangler/env-values-kept`, `wrangler/hand-set-kept`.
//!
//! An owned field the definition no longer sets is removed when lunora wrote it (the record's
//! `written_fields`), unless a comment shares its line: then it is kept (a run never loses a
//! comment) and `wrangler/stale-field-kept` points at it. A field lunora never wrote (set by hand
//! before the class was declared) is kept, and `wrangler/hand-set-kept` says so.

mod application;
mod check;
mod class_edits;
pub mod codes;
mod document;
mod edit;
mod facts;
mod notes;
mod read;
mod reconcile;
mod scope;
pub mod toml;
mod values;

use jsonc_parser::cst::{
    CstArray, CstContainerNode, CstInputValue, CstNode, CstObject, CstRootNode, TrailingCommaMode,
};
use lunora_diagnostic::{Diagnostic, Span};
use read::{Analysis, Migrations, Observability, Scope, Storage};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

pub use application::derived_application_name;
pub use class_edits::ClassRename;
pub use document::WranglerConfig;
pub use edit::{
    append_delete, append_rename, move_binding, move_container_entry, remove_container_field,
    remove_wiring, EditOutput, Rename, Wiring,
};
pub use facts::{
    facts, BindingFact, ConfigFacts, ContainerEntryFact, DeclaredClassFact, ScopeFacts, StorageKind,
};
/// The parse options of every strict JSONC file lunora reads (the wrangler config, lunora.jsonc).
pub use read::parse_options as strict_jsonc_options;

use check::*;
use notes::*;
use reconcile::*;
use scope::*;
pub use values::value_to_cst;

/// Which file flavour is being edited: a `.json` file must stay strict JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigFormat {
    Jsonc,
    Json,
}

/// A container as wrangler should see it; built by the CLI from the validated model.
#[derive(Debug, Clone, PartialEq)]
pub struct DesiredContainer {
    /// `TranscoderContainer`.
    pub class_name: String,
    /// `CONTAINER_TRANSCODER`: the binding lunora adds when the class has none yet. A class
    /// already bound under another name keeps that name (see [`ReconcileOutput::bindings`]).
    pub binding: String,
    /// `containers[].image`: a Dockerfile path (`./containers/x/Dockerfile`) or a registry reference.
    pub image: String,
    pub image_build_context: Option<String>,
    pub image_vars: Option<BTreeMap<String, String>>,
    pub instance_type: Option<InstanceTypeValue>,
    pub max_instances: Option<u32>,
    pub name: Option<String>,
    pub rollout_step_percentage: Option<RolloutStep>,
    pub rollout_active_grace_period: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum InstanceTypeValue {
    Named(String),
    /// Written as `{ "vcpu": …, "memory_mib": …, "disk_mb": … }`.
    Custom {
        vcpu: f64,
        memory_mib: u32,
        disk_mb: u32,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum RolloutStep {
    One(u8),
    Steps(Vec<u8>),
}

/// Input of one reconciliation.
#[derive(Debug, Clone)]
pub struct ReconcileInput<'a> {
    pub text: &'a str,
    pub format: ConfigFormat,
    /// Name used in diagnostics, e.g. `wrangler.jsonc`.
    pub file: &'a str,
    /// Containers to wire (declared without errors, and exported by the worker entry), in a
    /// stable order.
    pub containers: &'a [DesiredContainer],
    /// `--env NAME`: the environment dev/deploy runs. It must exist (every block is wired anyway).
    pub env: Option<&'a str>,
    /// Classes of the other declared containers (not exported by the worker entry, or whose
    /// definition has an error). Their wiring is neither touched nor reported.
    pub declared_unwired: &'a [String],
    /// Classes lunora generated before (its record). Only these can be reported as no longer
    /// declared; pass none when the record is missing or the declared set is unknown.
    pub owned: &'a [String],
    /// For classes of `owned`: the top-level `containers[]` fields lunora wrote for them last run
    /// (the record's `fields`). Only these are removed when the definition stops setting them; a
    /// field lunora never wrote (set by hand before the class was declared) is the user's and is
    /// kept. A class of `owned` missing here (a record from before fields were kept, or one
    /// that does not read) has no field lunora may remove.
    pub written_fields: &'a BTreeMap<String, BTreeSet<String>>,
    /// What lunora wrote (or found equal to the definition) last run in each environment block's
    /// `containers[]` entries: env name → class → field → value. A field whose value is still
    /// the recorded one is lunora's and follows the definition; any other value there was set
    /// by hand and is kept. Empty for a record from before environments were recorded: then no
    /// existing value in an environment block is changed or removed.
    pub env_written: &'a EnvRecord,
}

/// Per environment block, per class, the `containers[]` fields lunora wrote with their values.
pub type EnvRecord = BTreeMap<String, BTreeMap<String, BTreeMap<String, Value>>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Updated,
    /// Only the typed edits of [`edit`] remove (an entry or binding on `lunora remove
    /// --delete-data`, a duplicate binding on a move); reconciliation never does.
    Removed,
    Unchanged,
}

/// One thing the reconciler did (or found already right), for the CLI to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// Human description, e.g. `containers[] entry for TranscoderContainer` or
    /// `durable_objects.bindings CONTAINER_TRANSCODER`.
    pub what: String,
}

#[derive(Debug, Clone)]
pub struct ReconcileOutput {
    /// The new text; equal to the input when nothing changed.
    pub text: String,
    pub changes: Vec<Change>,
    /// Warnings and infos (observability disabled, leftover entries of removed containers, a
    /// reused binding, …).
    pub diagnostics: Vec<Diagnostic>,
    /// For every class in [`ReconcileInput::containers`], the Durable Object binding it is wired
    /// under: its existing binding when it had one, else [`DesiredContainer::binding`]. The
    /// generated handles must use these names.
    pub bindings: BTreeMap<String, String>,
    /// Every class the returned text wires anywhere (a binding or a `containers[]` entry, at the
    /// top level or in any environment).
    pub wired_classes: BTreeSet<String>,
    /// For every class in [`ReconcileInput::containers`]: the top-level `containers[]` fields the
    /// definition sets, which lunora wrote or confirmed this run (the next run's
    /// [`ReconcileInput::written_fields`]).
    pub written_fields: BTreeMap<String, BTreeSet<String>>,
    /// For every environment block this run reconciled and every class of
    /// [`ReconcileInput::containers`] with an entry there: the fields whose value is the
    /// definition's (written or confirmed this run), the next run's
    /// [`ReconcileInput::env_written`] for those blocks and classes.
    pub env_written: EnvRecord,
}

/// The format of a config file by its name: `.json` is strict JSON, anything else (`.jsonc`) JSONC.
pub fn detect_format(file_name: &str) -> ConfigFormat {
    if file_name.to_ascii_lowercase().ends_with(".json") {
        ConfigFormat::Json
    } else {
        ConfigFormat::Jsonc
    }
}

pub(crate) const BOM: char = '\u{feff}';

/// Reconciles `input`. `Err` carries located errors (the file does not parse, a container class
/// is declared key-value backed, a `containers[]` entry wrangler would reject, …); the caller
/// must then leave the file untouched.
///
/// Contract: only the spots named in the returned changes are edited; reconciling the returned
/// text again yields the same text and only `Unchanged` changes. Error spans point into the input
/// text; warning spans point into the returned text (where the user will find them). Both count
/// a leading byte order mark. Nothing is added when `containers` is empty; leftover entries of
/// owned classes are still reported.
pub fn reconcile(input: &ReconcileInput<'_>) -> Result<ReconcileOutput, Vec<Diagnostic>> {
    let Some(rest) = input.text.strip_prefix(BOM) else {
        return reconcile_text(input);
    };
    // wrangler reads a file with a byte order mark; so does lunora, and keeps the mark.
    let shift = BOM.len_utf8() as u32;
    let inner = ReconcileInput {
        text: rest,
        ..input.clone()
    };
    match reconcile_text(&inner) {
        Ok(mut out) => {
            out.text.insert(0, BOM);
            shift_spans(&mut out.diagnostics, shift);
            Ok(out)
        }
        Err(mut errors) => {
            shift_spans(&mut errors, shift);
            Err(errors)
        }
    }
}

pub(crate) fn shift_spans(diagnostics: &mut [Diagnostic], by: u32) {
    for d in diagnostics {
        for label in &mut d.labels {
            label.span = Span::new(label.span.start + by, label.span.end + by);
        }
    }
}

pub use lunora_naming::export_name_of;

#[cfg(test)]
mod tests {
    use super::*;

    /// Reconciles `text` with no containers declared and nothing owned.
    fn reconcile_bare(text: &str) -> Result<ReconcileOutput, Vec<Diagnostic>> {
        reconcile(&ReconcileInput {
            text,
            format: ConfigFormat::Jsonc,
            file: "wrangler.jsonc",
            containers: &[],
            env: None,
            declared_unwired: &[],
            owned: &[],
            written_fields: &BTreeMap::new(),
            env_written: &BTreeMap::new(),
        })
    }

    #[test]
    fn detects_format_by_extension() {
        assert_eq!(detect_format("wrangler.json"), ConfigFormat::Json);
        assert_eq!(detect_format("dir/WRANGLER.JSON"), ConfigFormat::Json);
        assert_eq!(detect_format("wrangler.jsonc"), ConfigFormat::Jsonc);
        assert_eq!(detect_format("wrangler.toml"), ConfigFormat::Jsonc);
    }

    #[test]
    fn value_to_cst_writes_integers_without_fraction() {
        let root = CstRootNode::parse("{}", &read::parse_options()).unwrap();
        let obj = root.object_value().unwrap();
        let value: Value =
            serde_json::from_str(r#"{"a": 5.0, "b": 0.25, "c": [1, "x", null, true], "d": {}}"#)
                .unwrap();
        obj.append("v", value_to_cst(&value));
        let text = root.to_string();
        assert!(text.contains("\"a\": 5,"), "{text}");
        assert!(text.contains("\"b\": 0.25"), "{text}");
        assert!(text.contains(r#"[1, "x", null, true]"#), "{text}");
        let keys: Vec<_> = ["\"a\"", "\"b\"", "\"c\"", "\"d\""]
            .iter()
            .map(|k| text.find(k).unwrap())
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "key order kept: {text}"
        );
    }

    #[test]
    fn parse_error_points_at_line_and_column() {
        let text = "{\n  \"a\": 1\n  \"b\": 2\n}\n";
        let errors = reconcile_bare(text).unwrap_err();
        assert_eq!(errors[0].code, crate::codes::PARSE_ERROR);
        let at = lunora_diagnostic::SourceText::new(text)
            .line_col(errors[0].primary_label().unwrap().span.start);
        assert_eq!((at.line, at.column), (2, 9));
    }

    #[test]
    fn no_containers_changes_nothing() {
        let text = "{ \"name\": \"x\" }\n";
        let out = reconcile_bare(text).unwrap();
        assert_eq!(out.text, text);
        assert!(out.changes.is_empty());
    }
}
