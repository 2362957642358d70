//! The project's settings: `lunora.jsonc` (or `lunora.json`) at the project root, the one place
//! a project tells lunora what it cannot know or should judge differently — the account's real
//! container limits, and a level for any advisor lint, the way `biome.json`, Ruff's settings and
//! ESLint's `rules` do it:
//!
//! ```jsonc
//! {
//!   "$schema": "./node_modules/@lunora/cli/lunora.schema.json",
//!   // Cloudflare raised this account's limits
//!   "account": { "limits": { "vcpu": 1000, "memoryGib": 4000, "diskGb": 20000 } },
//!   "lints": { "container_public_internet": "off", "container_account_limits": "error" }
//! }
//! ```
//!
//! Contract: no file means the defaults. A file is JSON with comments and trailing commas; every
//! problem in it (syntax, an unknown key or lint code, a bad value, a key written twice) is an
//! error located in the file, with the fix (a "did you mean" where one is close), so the run
//! writes nothing. What is valid in a file with errors still applies, so a typo in one entry does
//! not bring back every lint the others turned off. A level applies to every finding of its lint.

use crate::codes;
use crate::project::{self, Project};
use jsonc_parser::ast::{Object, ObjectProp, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};
use lunora_advisor::platform::{self, Size};
use lunora_advisor::AccountLimits;
use lunora_diagnostic::{Diagnostic, Severity, Sources, Span};
use std::collections::BTreeMap;

/// The settings files lunora reads from the project root, in this order; a project has one.
pub const SETTINGS_FILES: [&str; 2] = ["lunora.jsonc", "lunora.json"];

/// The keys of the settings object.
const TOP_KEYS: &[&str] = &["$schema", "account", "lints"];
/// The keys of `account`.
const ACCOUNT_KEYS: &[&str] = &["limits"];
/// The keys of `account.limits`: vCPU, GiB of memory, GB of disk, as Cloudflare states them.
const LIMIT_KEYS: &[&str] = &["vcpu", "memoryGib", "diskGb"];
/// The levels a lint may be given.
const LEVELS: &[&str] = &["off", "info", "warn", "error"];

/// A lint's level: `off` drops its findings, the others set their severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    Info,
    Warn,
    Error,
}

impl Level {
    fn parse(word: &str) -> Option<Level> {
        match word {
            "off" => Some(Level::Off),
            "info" => Some(Level::Info),
            "warn" => Some(Level::Warn),
            "error" => Some(Level::Error),
            _ => None,
        }
    }

    /// As written in the settings file.
    pub fn name(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }

    fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warn => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// What a project's settings say, with the defaults for what they leave out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// The limits `container_account_limits` judges against.
    pub account_limits: AccountLimits,
    /// Lint code → its level; a lint not listed keeps its own severities.
    pub levels: BTreeMap<String, Level>,
}

impl Settings {
    /// `diagnostics` with the lint levels applied: findings of a lint set to `off` removed, the
    /// others of a listed lint given its severity. Other diagnostics are untouched.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.levels.is_empty() {
            return;
        }
        diagnostics.retain_mut(|d| match self.levels.get(&d.code) {
            None => true,
            Some(level) => match level.severity() {
                None => false,
                Some(severity) => {
                    d.severity = severity;
                    true
                }
            },
        });
    }
}

/// Reads the project's settings: the defaults when it has no settings file. Problems are added
/// to `diagnostics` (errors, so the run writes nothing) and the file's text to `sources`.
pub fn read_settings(
    project: &Project,
    diagnostics: &mut Vec<Diagnostic>,
    sources: &mut Sources,
) -> Settings {
    let mut found: Vec<(&str, String)> = Vec::new();
    for rel in SETTINGS_FILES {
        match project.read(rel) {
            Ok(Some(text)) => found.push((rel, text)),
            Ok(None) => {}
            Err(e) => diagnostics.push(project::read_error(rel, &e)),
        }
    }
    match found.len() {
        0 => Settings::default(),
        1 => {
            let (rel, text) = found.pop().unwrap();
            let (settings, found) = parse_settings(rel, &text);
            if !found.is_empty() {
                diagnostics.extend(found);
                sources.insert(rel, text);
            }
            settings
        }
        _ => {
            diagnostics.push(
                Diagnostic::error(
                    codes::SETTINGS_TWO_FILES,
                    format!(
                        "both {} and {} exist; lunora reads one settings file",
                        SETTINGS_FILES[0], SETTINGS_FILES[1]
                    ),
                )
                .with_file(SETTINGS_FILES[1])
                .with_help(format!(
                    "merge {} into {} and delete it",
                    SETTINGS_FILES[1], SETTINGS_FILES[0]
                )),
            );
            Settings::default()
        }
    }
}

/// What the project's settings file states, for `doctor`: `lunora.jsonc: account limits
/// 1000 vCPU, 4000 GiB memory, 2 TB disk; lints: container_public_internet off`. `None` without
/// a settings file (or with one that does not read: that is an error of the run).
pub fn describe(project: &Project) -> Option<String> {
    let (rel, text) = SETTINGS_FILES
        .iter()
        .find_map(|rel| Some((*rel, project.read(rel).ok()??)))?;
    let (settings, found) = parse_settings(rel, &text);
    if !found.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    if settings.account_limits.configured_in.is_some() {
        let [vcpu, memory, disk] = settings.account_limits.limit_texts();
        parts.push(format!(
            "account limits {vcpu}, {memory} memory, {disk} disk"
        ));
    }
    if !settings.levels.is_empty() {
        let levels: Vec<String> = settings
            .levels
            .iter()
            .map(|(code, level)| format!("{code} {}", level.name()))
            .collect();
        parts.push(format!("lints: {}", levels.join(", ")));
    }
    if parts.is_empty() {
        parts.push("the defaults".to_string());
    }
    Some(format!("{rel}: {}", parts.join("; ")))
}

/// The settings `text` (the contents of `file`) states, and every problem with it. What is
/// valid applies even when something else is not.
pub fn parse_settings(file: &str, text: &str) -> (Settings, Vec<Diagnostic>) {
    // A byte order mark is read past, as by every JSON reader of the ecosystem.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut reader = Reader {
        file,
        shift: bom as u32,
        found: Vec::new(),
    };
    let mut settings = Settings::default();
    let parsed =
        match jsonc_parser::parse_to_ast(&text[bom..], &CollectOptions::default(), &options()) {
            Ok(parsed) => parsed,
            Err(err) => {
                let range = err.range();
                let end = range.end.max(range.start + 1).min(text.len() - bom);
                let d = Diagnostic::error(
                    codes::SETTINGS_PARSE_ERROR,
                    format!("{file} does not parse: {}", err.kind()),
                )
                .with_help(format!(
                "fix the syntax at line {} column {} (JSON; comments and trailing commas are fine)",
                err.line_display(),
                err.column_display()
            ));
                let span = reader.span(range.start, end);
                return (
                    settings,
                    vec![d.with_primary(file, span, err.kind().to_string())],
                );
            }
        };
    let root = match parsed.value {
        Some(Value::Object(o)) => o,
        other => {
            let span = other
                .as_ref()
                .map(|v| reader.span(v.start(), v.end()))
                .unwrap_or_else(|| reader.span(0, text.len() - bom));
            reader.error(
                codes::SETTINGS_INVALID_VALUE,
                format!("{file} must contain one JSON object"),
                span,
                "write `{ \"lints\": { \"container_public_internet\": \"off\" } }`, for example",
            );
            return (settings, reader.found);
        }
    };
    for prop in reader.props(&root, "the settings", TOP_KEYS) {
        match prop.name.as_str() {
            "$schema" => {
                if !matches!(prop.value, Value::StringLit(_)) {
                    reader.wrong_type(prop, "a string (the schema's path or URL)");
                }
            }
            "account" => {
                let Some(account) = reader.object(prop, "`account`") else {
                    continue;
                };
                for prop in reader.props(account, "`account`", ACCOUNT_KEYS) {
                    if let Some(limits) = reader.object(prop, "`account.limits`") {
                        reader.limits(limits, &mut settings.account_limits);
                    }
                }
            }
            "lints" => {
                if let Some(lints) = reader.object(prop, "`lints`") {
                    reader.lints(lints, &mut settings.levels);
                }
            }
            _ => unreachable!("props() yields known keys only"),
        }
    }
    if settings.account_limits != AccountLimits::default() {
        settings.account_limits.configured_in = Some(file.to_string());
    }
    (settings, reader.found)
}

/// JSON with comments and trailing commas, nothing looser: a typo is reported, not repaired
/// (the wrangler config's rules).
fn options() -> ParseOptions {
    lunora_wrangler_config::strict_jsonc_options()
}

struct Reader<'f> {
    file: &'f str,
    /// Bytes before the parsed text (a byte order mark).
    shift: u32,
    found: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(start as u32 + self.shift, end as u32 + self.shift)
    }

    fn error(&mut self, code: &str, message: String, span: Span, help: impl Into<String>) {
        self.found.push(
            Diagnostic::error(code, message)
                .with_primary(self.file, span, "")
                .with_help(help),
        );
    }

    fn key_span(&self, prop: &ObjectProp<'_>) -> Span {
        let r = prop.name.range();
        self.span(r.start, r.end)
    }

    fn value_span(&self, prop: &ObjectProp<'_>) -> Span {
        self.span(prop.value.start(), prop.value.end())
    }

    /// The properties of `object` whose keys are `known`, each once; an unknown key or one
    /// written twice is reported (the first of a repeated key is kept out, as JSON readers keep
    /// the last).
    fn props<'a, 'b>(
        &mut self,
        object: &'b Object<'a>,
        where_: &str,
        known: &[&str],
    ) -> Vec<&'b ObjectProp<'a>> {
        let mut out: Vec<&ObjectProp<'a>> = Vec::new();
        for prop in &object.properties {
            let name = prop.name.as_str();
            if !known.contains(&name) {
                let help = match lunora_parser::suggest(name, known) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "{where_} accept{} {}",
                        if where_.starts_with('`') { "s" } else { "" },
                        quoted(known)
                    ),
                };
                self.error(
                    codes::SETTINGS_UNKNOWN_KEY,
                    format!(
                        "unknown key `{}` in {where_} of {}",
                        printable(name),
                        self.file
                    ),
                    self.key_span(prop),
                    help,
                );
                continue;
            }
            if let Some(i) = out.iter().position(|p| p.name.as_str() == name) {
                out.remove(i);
                self.error(
                    codes::SETTINGS_DUPLICATE_KEY,
                    format!("`{name}` is written twice in {where_} of {}", self.file),
                    self.key_span(prop),
                    "keep one of them: JSON readers use only the last",
                );
            }
            out.push(prop);
        }
        out
    }

    fn wrong_type(&mut self, prop: &ObjectProp<'_>, expected: &str) {
        let span = self.value_span(prop);
        self.error(
            codes::SETTINGS_INVALID_VALUE,
            format!(
                "`{}` in {} must be {expected}",
                prop.name.as_str(),
                self.file
            ),
            span,
            format!("write {expected} here"),
        );
    }

    fn object<'a, 'b>(&mut self, prop: &'b ObjectProp<'a>, what: &str) -> Option<&'b Object<'a>> {
        match &prop.value {
            Value::Object(o) => Some(o),
            _ => {
                self.wrong_type(prop, &format!("an object ({what})"));
                None
            }
        }
    }

    fn limits(&mut self, object: &Object<'_>, limits: &mut AccountLimits) {
        for prop in self.props(object, "`account.limits`", LIMIT_KEYS) {
            let value = match &prop.value {
                Value::NumberLit(n) => n.value.parse::<f64>().ok(),
                _ => None,
            };
            let Some(n) = value.filter(|n| n.is_finite() && *n > 0.0) else {
                let unit = match prop.name.as_str() {
                    "vcpu" => "vCPU",
                    "memoryGib" => "GiB of memory",
                    _ => "GB of disk",
                };
                let default = limit_of(&platform::ACCOUNT_LIMITS, prop.name.as_str());
                let span = self.value_span(prop);
                self.error(
                    codes::SETTINGS_INVALID_VALUE,
                    format!(
                        "`account.limits.{}` in {} must be a number above 0 ({unit} the account may run at once)",
                        prop.name.as_str(),
                        self.file
                    ),
                    span,
                    format!(
                        "write the limit Cloudflare gave your account, e.g. `\"{}\": {}` (the default is {})",
                        prop.name.as_str(),
                        platform::fmt_num(default * 10.0),
                        platform::fmt_num(default)
                    ),
                );
                continue;
            };
            match prop.name.as_str() {
                "vcpu" => limits.size.vcpu = n,
                "memoryGib" => limits.size.memory_gib = n,
                _ => limits.size.disk_gb = n,
            }
        }
    }

    fn lints(&mut self, object: &Object<'_>, levels: &mut BTreeMap<String, Level>) {
        let codes = lunora_advisor::codes::LINTS;
        for prop in &object.properties {
            let name = prop.name.as_str();
            if !codes.contains(&name) {
                let help = match lunora_parser::suggest(name, codes) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the lints are {}", quoted(codes)),
                };
                self.error(
                    codes::SETTINGS_UNKNOWN_LINT,
                    format!(
                        "`{}` in {} is not a lint lunora has",
                        printable(name),
                        self.file
                    ),
                    self.key_span(prop),
                    help,
                );
                continue;
            }
            let level = match &prop.value {
                Value::StringLit(s) => Level::parse(&s.value),
                _ => None,
            };
            let Some(level) = level else {
                let written = match &prop.value {
                    Value::StringLit(s) => Some(s.value.to_string()),
                    _ => None,
                };
                let help = match written.as_deref().and_then(closest_level) {
                    Some(level) => format!("did you mean `\"{level}\"`?"),
                    None => format!("write one of {}", quoted(LEVELS)),
                };
                let span = self.value_span(prop);
                self.error(
                    codes::SETTINGS_INVALID_VALUE,
                    format!(
                        "the level of `{name}` in {} must be one of {}",
                        self.file,
                        quoted(LEVELS)
                    ),
                    span,
                    help,
                );
                continue;
            };
            if levels.insert(name.to_string(), level).is_some() {
                self.error(
                    codes::SETTINGS_DUPLICATE_KEY,
                    format!("`{name}` is written twice in `lints` of {}", self.file),
                    self.key_span(prop),
                    "keep one of them: JSON readers use only the last",
                );
            }
        }
    }
}

/// The level `written` most likely means: a close spelling of a level, or of a word other tools
/// use for one (`"warning"`, `"information"`, `"none"`, `"disabled"`).
fn closest_level(written: &str) -> Option<&'static str> {
    const ALIASES: &[(&str, &str)] = &[
        ("warning", "warn"),
        ("information", "info"),
        ("none", "off"),
        ("disabled", "off"),
    ];
    lunora_parser::suggest(written, LEVELS).or_else(|| {
        let words: Vec<&str> = ALIASES.iter().map(|(w, _)| *w).collect();
        let word = lunora_parser::suggest(written, &words)?;
        ALIASES.iter().find(|(w, _)| *w == word).map(|(_, l)| *l)
    })
}

fn limit_of(size: &Size, key: &str) -> f64 {
    match key {
        "vcpu" => size.vcpu,
        "memoryGib" => size.memory_gib,
        _ => size.disk_gb,
    }
}

/// `"a"`, `"b"` or `"c"` — for help lines that list what is accepted.
fn quoted(words: &[&str]) -> String {
    let q: Vec<String> = words.iter().map(|w| format!("`\"{w}\"`")).collect();
    match q.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn printable(s: &str) -> String {
    lunora_diagnostic::printable(s).into_owned()
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
