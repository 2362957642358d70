//! Reconciles a `wrangler.jsonc` / `wrangler.json` text with the containers a project declares.
//! Pure: strings in, string out. Edits go through jsonc-parser's CST so everything outside the
//! edited spots (comments, trailing commas, key order, indentation, line endings) survives.

use lunora_diagnostic::Diagnostic;
use std::collections::BTreeMap;

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
    /// `CONTAINER_TRANSCODER`.
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
    /// Containers whose classes the worker entry exports, in a stable order.
    pub containers: &'a [DesiredContainer],
    /// `--env NAME`: also reconcile `env.<NAME>` (durable_objects and containers are not inherited).
    pub env: Option<&'a str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Updated,
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
    /// Warnings (observability disabled, leftover entries of removed containers, …).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reconciles `input`. `Err` carries located errors (the file does not parse, a container class
/// is declared key-value backed, …); the caller must then leave the file untouched.
pub fn reconcile(input: &ReconcileInput<'_>) -> Result<ReconcileOutput, Vec<Diagnostic>> {
    Ok(ReconcileOutput {
        text: input.text.to_string(),
        changes: Vec::new(),
        diagnostics: Vec::new(),
    })
}
