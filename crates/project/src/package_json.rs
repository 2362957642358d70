//! The project's `package.json`: the runtime packages generated code imports, and the package
//! manager the project uses (so lunora can print the install command the user would type).
//!
//! Contract of [`add_dependencies`]: a pure text edit, linear in the file's size, so everything
//! outside the inserted properties — key order, indentation (spaces or tabs), line endings, the
//! final newline, a byte order mark — is kept byte for byte, and the new properties are written
//! the way their neighbours are (one a line or on one line). A package already listed in any
//! dependency field is left where the user put it.

use crate::fs::Fs;
use std::path::Path;

/// The runtime's manifest, for the `@cloudflare/containers` range it accepts (one source of truth).
const RUNTIME_MANIFEST: &str = include_str!("../../../packages/container/package.json");

/// The fields a dependency may already be declared in.
const DEPENDENCY_FIELDS: [&str; 4] = [
    "dependencies",
    "devDependencies",
    "peerDependencies",
    "optionalDependencies",
];

/// `(name, version range)` of the packages the generated worker code imports at runtime:
/// `@lunora/container` at this CLI's version (they are released in lock-step) and
/// `@cloudflare/containers` at the range `@lunora/container` declares as its peer.
pub fn runtime_dependencies() -> Vec<(String, String)> {
    let manifest: serde_json::Value =
        serde_json::from_str(RUNTIME_MANIFEST).expect("packages/container/package.json is JSON");
    let peer = manifest["peerDependencies"]["@cloudflare/containers"]
        .as_str()
        .expect("@lunora/container declares its @cloudflare/containers peer range")
        .to_string();
    vec![
        (
            "@lunora/container".to_string(),
            format!("^{}", env!("CARGO_PKG_VERSION")),
        ),
        ("@cloudflare/containers".to_string(), peer),
    ]
}

/// `a@^1 and b@2`, for messages that name packages with their ranges.
pub fn describe_dependencies(deps: &[(String, String)]) -> String {
    deps.iter()
        .map(|(n, r)| format!("{n}@{r}"))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// What a command that makes the worker import the runtime does to `package.json`, decided from
/// its text (`None`: there is none): the ranges are [`runtime_dependencies`]'s, as `generate`
/// writes them.
#[derive(Debug, PartialEq)]
pub enum RuntimePackages {
    /// package.json declares every runtime package already.
    Declared,
    /// The new package.json text and the `(name, range)` pairs it adds.
    Add(String, Vec<(String, String)>),
    /// package.json cannot be edited (the reason) or does not exist (`None`): the user adds
    /// these by hand.
    ByHand(Option<String>, Vec<(String, String)>),
}

/// Plans the runtime packages' entries in `manifest` (package.json's text, if any).
pub fn runtime_packages(manifest: Option<&str>) -> RuntimePackages {
    let deps = runtime_dependencies();
    match manifest {
        None => RuntimePackages::ByHand(None, deps),
        Some(text) => match add_dependencies(text, &deps) {
            Ok(DependencyEdit::Unchanged) => RuntimePackages::Declared,
            Ok(DependencyEdit::Added(new, added)) => RuntimePackages::Add(new, added),
            Err(why) => RuntimePackages::ByHand(Some(why), deps),
        },
    }
}

/// The runtime packages `manifest` (package.json's text) declares at a range that shares no
/// version with the one lunora's runtime needs: `(name, declared, needed)`. npm refuses such an
/// install (a peer dependency conflict), or the worker runs on a base lunora was not built for.
pub fn conflicting_runtime_ranges(manifest: &str) -> Vec<(String, String, String)> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(split_bom(manifest).0) else {
        return Vec::new();
    };
    runtime_dependencies()
        .into_iter()
        .filter_map(|(name, needed)| {
            let declared = DEPENDENCY_FIELDS
                .iter()
                .find_map(|f| value.get(*f).and_then(|d| d.get(&name)))
                .and_then(|v| v.as_str())?
                .to_string();
            (lunora_advisor::npm_range::ranges_overlap(&declared, &needed) == Some(false))
                .then_some((name, declared, needed))
        })
        .collect()
}

/// What [`add_dependencies`] did.
#[derive(Debug, PartialEq)]
pub enum DependencyEdit {
    /// Every package is already declared somewhere.
    Unchanged,
    /// The new text, and the `(name, range)` pairs added to `dependencies`.
    Added(String, Vec<(String, String)>),
}

/// The byte order mark npm reads past (`JSON.parse` of the text with it stripped).
const BOM: char = '\u{feff}';

/// `(text without a leading byte order mark, the mark)`: npm reads a package.json with one like
/// one without, so lunora does too, and an edit keeps it.
fn split_bom(text: &str) -> (&str, &str) {
    match text.strip_prefix(BOM) {
        Some(rest) => (rest, &text[..BOM.len_utf8()]),
        None => (text, ""),
    }
}

/// Which of `deps` `text` (a package.json) declares in none of its dependency fields, read the
/// way npm reads it (strict JSON after a byte order mark). `Err` says why npm could not read it.
/// Linear in the size of `text`: it neither edits nor keeps a syntax tree.
pub fn undeclared_dependencies(
    text: &str,
    deps: &[(String, String)],
) -> Result<Vec<(String, String)>, String> {
    // Strict JSON: the CST parser is lenient (comments, trailing commas), npm is not.
    let value: serde_json::Value = serde_json::from_str(split_bom(text).0)
        .map_err(|e| format!("it is not valid JSON ({e})"))?;
    let Some(object) = value.as_object() else {
        return Err("its top level is not an object".into());
    };
    for field in DEPENDENCY_FIELDS {
        if object.get(field).is_some_and(|v| !v.is_object()) {
            return Err(format!("its `{field}` is not an object"));
        }
    }
    Ok(deps
        .iter()
        .filter(|(name, _)| {
            !DEPENDENCY_FIELDS
                .iter()
                .any(|f| object.get(*f).and_then(|d| d.get(name)).is_some())
        })
        .cloned()
        .collect())
}

/// Adds each of `deps` that `text` (a package.json) does not declare yet to its `dependencies`
/// (created at the end when missing): at its alphabetical place when the existing entries are
/// sorted (as npm keeps them), else at the end. `Err` says why the file cannot be edited.
pub fn add_dependencies(text: &str, deps: &[(String, String)]) -> Result<DependencyEdit, String> {
    let missing = undeclared_dependencies(text, deps)?;
    if missing.is_empty() {
        return Ok(DependencyEdit::Unchanged);
    }
    let (text, bom) = split_bom(text);
    duplicate_keys(text)?;
    let edited = splice_dependencies(text, &missing)?;
    Ok(DependencyEdit::Added(format!("{bom}{edited}"), missing))
}

/// How the entries of a non-empty object are written: what goes between two of them (a comma,
/// then a new line and indentation, or spaces on the same line) and between a key and its value.
struct EntryStyle {
    separator: String,
    colon: String,
}

impl EntryStyle {
    /// The style of `object`'s entries in `text` (`None`: it has none).
    fn of(text: &str, object: &jsonc_parser::ast::Object) -> Option<EntryStyle> {
        use jsonc_parser::common::Ranged;
        let props = &object.properties;
        let first = props.first()?;
        let colon = text[first.name.range().end..first.value.range().start].to_string();
        let separator = match props.get(1) {
            Some(second) => text[first.range.end..second.range.start].to_string(),
            None => {
                // `{` up to the only entry: a new line and indentation, or spaces on one line.
                let lead = &text[object.range.start + 1..first.range.start];
                match lead.rfind('\n') {
                    Some(i) => {
                        let newline = if lead[..i].ends_with('\r') {
                            "\r\n"
                        } else {
                            "\n"
                        };
                        format!(",{newline}{}", &lead[i + 1..])
                    }
                    None => format!(",{lead}"),
                }
            }
        };
        Some(EntryStyle { separator, colon })
    }

    /// The style of a file with no entries to learn from: two-space indentation, its line ending.
    fn default_for(text: &str) -> EntryStyle {
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        EntryStyle {
            separator: format!(",{newline}  "),
            colon: ": ".into(),
        }
    }

    /// `(new line, indentation)` when entries go one a line.
    fn lines(&self) -> Option<(&str, &str)> {
        let rest = self.separator.strip_prefix(',')?;
        let i = rest.rfind('\n')?;
        let newline = if rest[..i].ends_with('\r') {
            "\r\n"
        } else {
            "\n"
        };
        Some((newline, &rest[i + 1..]))
    }

    fn entry(&self, name: &str, value: &str) -> String {
        format!("{}{}{value}", json_string(name), self.colon)
    }

    /// A new object holding `entries`, as a value of an entry written in this style: one entry a
    /// line one level deeper, or all on one line.
    fn object(&self, entries: &[String]) -> String {
        match self.lines() {
            Some((newline, indent)) => {
                let inner = format!("{newline}{indent}{indent}");
                format!(
                    "{{{inner}{}{newline}{indent}}}",
                    entries.join(&format!(",{inner}"))
                )
            }
            None => format!("{{{}}}", entries.join(&self.separator)),
        }
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// `text` with `missing` added to its `dependencies`, in the file's own style (see
/// [`EntryStyle`]); every other byte is kept. Linear in the size of `text`: a syntax-tree insert
/// before thousands of entries was quadratic (1.3 s for 10,000 dependencies).
fn splice_dependencies(text: &str, missing: &[(String, String)]) -> Result<String, String> {
    use jsonc_parser::ast::Value;
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default())
        .map_err(|e| format!("it does not parse ({e})"))?;
    let Some(Value::Object(top)) = parsed.value else {
        return Err("its top level is not an object".into());
    };
    let splice =
        |at: usize, end: usize, insert: &str| format!("{}{insert}{}", &text[..at], &text[end..]);
    let top_style = EntryStyle::of(text, &top);
    let mut sorted_missing: Vec<&(String, String)> = missing.iter().collect();
    sorted_missing.sort();
    let Some(field) = top.get("dependencies") else {
        // A new `dependencies` after the last entry, or as the only one.
        return Ok(match (&top_style, top.properties.last()) {
            (Some(style), Some(last)) => {
                let entries = new_entries(style, &sorted_missing);
                let prop = style.entry("dependencies", &style.object(&entries));
                splice(
                    last.range.end,
                    last.range.end,
                    &format!("{}{prop}", style.separator),
                )
            }
            _ => {
                let style = EntryStyle::default_for(text);
                let entries = new_entries(&style, &sorted_missing);
                let prop = style.entry("dependencies", &style.object(&entries));
                let (newline, indent) = style.lines().expect("the default is one a line");
                let object = format!("{{{newline}{indent}{prop}{newline}}}");
                splice(top.range.start, top.range.end, &object)
            }
        });
    };
    let Value::Object(object) = &field.value else {
        return Err("its `dependencies` is not an object".into());
    };
    let Some(style) = EntryStyle::of(text, object) else {
        // `{}`: replaced by an object written like the top level's entries.
        let parent = top_style.unwrap_or_else(|| EntryStyle::default_for(text));
        let entries = new_entries(&parent, &sorted_missing);
        return Ok(splice(
            object.range.start,
            object.range.end,
            &parent.object(&entries),
        ));
    };
    let props = &object.properties;
    let names: Vec<&str> = props.iter().map(|p| p.name.as_str()).collect();
    let sorted = names.windows(2).all(|w| w[0] <= w[1]);
    // (index of the entry it goes before, name, the entry's text); `props.len()`: after the last.
    let inserts: Vec<(usize, String)> = if sorted {
        sorted_missing
            .iter()
            .map(|(name, range)| {
                let at = names.partition_point(|n| *n < name.as_str());
                (at, style.entry(name, &json_string(range)))
            })
            .collect()
    } else {
        missing
            .iter()
            .map(|(name, range)| (props.len(), style.entry(name, &json_string(range))))
            .collect()
    };
    let mut out = String::with_capacity(text.len() + 256);
    let mut copied = 0;
    for (at, entry) in &inserts {
        let (pos, piece) = match props.get(*at) {
            Some(before) => (before.range.start, format!("{entry}{}", style.separator)),
            None => (
                props[props.len() - 1].range.end,
                format!("{}{entry}", style.separator),
            ),
        };
        out.push_str(&text[copied..pos]);
        out.push_str(&piece);
        copied = pos;
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

/// The entries for `deps` (name, range) in `style`.
fn new_entries(style: &EntryStyle, deps: &[&(String, String)]) -> Vec<String> {
    deps.iter()
        .map(|(name, range)| style.entry(name, &json_string(range)))
        .collect()
}

/// `Err` naming the first key written twice at the top level or in a dependency field, with its
/// lines: npm reads only the last copy, and an edit must not land in the one it ignores.
fn duplicate_keys(text: &str) -> Result<(), String> {
    use jsonc_parser::ast::{Object, Value};
    let Ok(parsed) = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default())
    else {
        return Ok(());
    };
    let line = |at: usize| text[..at.min(text.len())].matches('\n').count() + 1;
    let check = |object: &Object, within: Option<&str>| -> Result<(), String> {
        let mut seen: std::collections::HashMap<&str, usize> = Default::default();
        for prop in &object.properties {
            let name = prop.name.as_str();
            if let Some(first) = seen.insert(name, prop.range.start) {
                let what = match within {
                    Some(field) => format!("`{name}` in `{field}`"),
                    None => format!("`{name}`"),
                };
                return Err(format!(
                    "{what} is written twice (lines {} and {}); npm reads only the last, so merge them into one",
                    line(first),
                    line(prop.range.start)
                ));
            }
        }
        Ok(())
    };
    let Some(Value::Object(top)) = parsed.value else {
        return Ok(());
    };
    check(&top, None)?;
    for prop in &top.properties {
        let name = prop.name.as_str();
        if let (true, Value::Object(deps)) = (DEPENDENCY_FIELDS.contains(&name), &prop.value) {
            check(deps, Some(name))?;
        }
    }
    Ok(())
}

/// A JavaScript package manager, as the project's lockfile shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageManager {
    Npm,
    Pnpm,
    Yarn,
    Bun,
}

impl PackageManager {
    /// The command that installs what package.json declares.
    pub fn install_command(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm install",
            PackageManager::Pnpm => "pnpm install",
            PackageManager::Yarn => "yarn install",
            PackageManager::Bun => "bun install",
        }
    }

    /// The command that runs `bin` from the project's node_modules.
    pub fn exec_command(self, bin: &str) -> String {
        match self {
            PackageManager::Npm => format!("npx {bin}"),
            PackageManager::Pnpm => format!("pnpm exec {bin}"),
            PackageManager::Yarn => format!("yarn {bin}"),
            PackageManager::Bun => format!("bunx {bin}"),
        }
    }
}

/// The package manager of the project at `root`: the lockfile in the root or the nearest
/// directory above it (a workspace keeps one lockfile at its top; the search stops at the
/// repository's top, the directory with `.git`), else the `packageManager` field of the root's
/// package.json (corepack), else npm.
pub fn detect_package_manager(fs: &dyn Fs, root: &Path) -> PackageManager {
    const LOCKFILES: [(&str, PackageManager); 5] = [
        ("pnpm-lock.yaml", PackageManager::Pnpm),
        ("yarn.lock", PackageManager::Yarn),
        ("bun.lock", PackageManager::Bun),
        ("bun.lockb", PackageManager::Bun),
        ("package-lock.json", PackageManager::Npm),
    ];
    for dir in root.ancestors() {
        if let Some((_, pm)) = LOCKFILES.iter().find(|(f, _)| fs.is_file(&dir.join(f))) {
            return *pm;
        }
        if fs.kind(&dir.join(".git")).is_some() {
            break;
        }
    }
    let declared = fs
        .read(&root.join("package.json"))
        .ok()
        .flatten()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(split_bom(&t).0).ok())
        .and_then(|v| v["packageManager"].as_str().map(str::to_string));
    match declared.as_deref().and_then(|d| d.split('@').next()) {
        Some("pnpm") => PackageManager::Pnpm,
        Some("yarn") => PackageManager::Yarn,
        Some("bun") => PackageManager::Bun,
        _ => PackageManager::Npm,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deps() -> Vec<(String, String)> {
        vec![
            ("@lunora/container".into(), "^0.1.0".into()),
            ("@cloudflare/containers".into(), ">=0.3.7 <0.4".into()),
        ]
    }

    fn added(text: &str) -> String {
        match add_dependencies(text, &deps()).unwrap() {
            DependencyEdit::Added(t, _) => t,
            DependencyEdit::Unchanged => panic!("nothing added to {text}"),
        }
    }

    #[test]
    fn r27_a_bom_in_package_json_made_it_unreadable_though_npm_reads_it() {
        let text = "\u{feff}{\n  \"name\": \"app\",\n  \"dependencies\": {\n    \"@lunora/container\": \"^0.1.0\"\n  }\n}\n";
        assert_eq!(
            undeclared_dependencies(text, &deps()).unwrap(),
            vec![deps()[1].clone()]
        );
        // The edit keeps the mark, and everything else.
        let edited = added(text);
        assert!(edited.starts_with('\u{feff}'), "{edited:?}");
        assert!(edited.contains("\"@cloudflare/containers\": \">=0.3.7 <0.4\""));
        assert_eq!(
            add_dependencies(&edited, &deps()).unwrap(),
            DependencyEdit::Unchanged
        );
    }

    #[test]
    fn runtime_dependencies_follow_the_crate_and_the_peer_range() {
        let deps = runtime_dependencies();
        assert_eq!(
            deps[0],
            (
                "@lunora/container".to_string(),
                format!("^{}", env!("CARGO_PKG_VERSION"))
            )
        );
        assert_eq!(deps[1].0, "@cloudflare/containers");
        assert!(deps[1].1.contains("0.3"), "{:?}", deps[1]);
    }

    #[test]
    fn creates_dependencies_at_the_end_in_the_file_indentation() {
        let text = "{\n    \"name\": \"app\",\n    \"devDependencies\": {\n        \"wrangler\": \"4.86.0\"\n    }\n}\n";
        assert_eq!(
            added(text),
            "{\n    \"name\": \"app\",\n    \"devDependencies\": {\n        \"wrangler\": \"4.86.0\"\n    },\n    \"dependencies\": {\n        \"@cloudflare/containers\": \">=0.3.7 <0.4\",\n        \"@lunora/container\": \"^0.1.0\"\n    }\n}\n"
        );
    }

    #[test]
    fn inserts_in_sorted_order_with_tabs_and_crlf() {
        let text = "{\r\n\t\"name\": \"app\",\r\n\t\"dependencies\": {\r\n\t\t\"@a/b\": \"1\",\r\n\t\t\"zod\": \"3\"\r\n\t}\r\n}";
        assert_eq!(
            added(text),
            "{\r\n\t\"name\": \"app\",\r\n\t\"dependencies\": {\r\n\t\t\"@a/b\": \"1\",\r\n\t\t\"@cloudflare/containers\": \">=0.3.7 <0.4\",\r\n\t\t\"@lunora/container\": \"^0.1.0\",\r\n\t\t\"zod\": \"3\"\r\n\t}\r\n}"
        );
    }

    #[test]
    fn appends_to_unsorted_dependencies() {
        let text = "{\n  \"dependencies\": {\n    \"zod\": \"3\",\n    \"hono\": \"4\"\n  }\n}\n";
        assert_eq!(
            added(text),
            "{\n  \"dependencies\": {\n    \"zod\": \"3\",\n    \"hono\": \"4\",\n    \"@lunora/container\": \"^0.1.0\",\n    \"@cloudflare/containers\": \">=0.3.7 <0.4\"\n  }\n}\n"
        );
    }

    #[test]
    fn keeps_packages_the_user_already_declared_anywhere() {
        let text = "{\n  \"devDependencies\": {\n    \"@lunora/container\": \"0.1.0\"\n  },\n  \"dependencies\": {}\n}\n";
        match add_dependencies(text, &deps()).unwrap() {
            DependencyEdit::Added(t, what) => {
                assert_eq!(what.len(), 1);
                assert_eq!(what[0].0, "@cloudflare/containers");
                assert!(
                    t.contains("\"devDependencies\": {\n    \"@lunora/container\": \"0.1.0\"\n  }"),
                    "{t}"
                );
                assert_eq!(t.matches("@lunora/container").count(), 1, "{t}");
            }
            DependencyEdit::Unchanged => panic!("peer not added"),
        }
        let both = "{\"peerDependencies\":{\"@cloudflare/containers\":\"*\"},\"optionalDependencies\":{\"@lunora/container\":\"*\"}}";
        assert_eq!(
            add_dependencies(both, &deps()).unwrap(),
            DependencyEdit::Unchanged
        );
    }

    #[test]
    fn refuses_what_npm_would_not_read() {
        for (text, why) in [
            ("{\"a\": 1,}", "not valid JSON"),
            ("// c\n{}", "not valid JSON"),
            ("[]", "not an object"),
            ("{\"dependencies\": []}", "`dependencies` is not an object"),
        ] {
            let err = add_dependencies(text, &deps()).unwrap_err();
            assert!(err.contains(why), "{text}: {err}");
        }
    }

    #[test]
    fn runtime_packages_are_planned_at_the_runtime_ranges() {
        let runtime = runtime_dependencies();
        assert_eq!(
            runtime_packages(None),
            RuntimePackages::ByHand(None, runtime.clone())
        );
        match runtime_packages(Some("{}")) {
            RuntimePackages::Add(text, added) => {
                assert_eq!(added, runtime);
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(
                    v["dependencies"]["@lunora/container"],
                    runtime[0].1.as_str()
                );
                assert_eq!(
                    v["dependencies"]["@cloudflare/containers"],
                    runtime[1].1.as_str()
                );
            }
            other => panic!("{other:?}"),
        }
        let declared = r#"{"dependencies":{"@lunora/container":"1","@cloudflare/containers":"1"}}"#;
        assert_eq!(runtime_packages(Some(declared)), RuntimePackages::Declared);
        match runtime_packages(Some("[]")) {
            RuntimePackages::ByHand(Some(why), d) => {
                assert!(why.contains("not an object"), "{why}");
                assert_eq!(d, runtime);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            describe_dependencies(&deps()),
            "@lunora/container@^0.1.0 and @cloudflare/containers@>=0.3.7 <0.4"
        );
    }

    #[test]
    fn package_manager_from_lockfile_then_field() {
        use crate::fs::MemoryFs;
        let app = Path::new("/w/apps/web");
        let fs = MemoryFs::new().dir(app);
        assert_eq!(detect_package_manager(&fs, app), PackageManager::Npm);
        let fs = fs.file(
            app.join("package.json"),
            "{\"packageManager\": \"yarn@4.1.0\"}",
        );
        assert_eq!(detect_package_manager(&fs, app), PackageManager::Yarn);
        let fs = fs.file("/w/pnpm-lock.yaml", "");
        assert_eq!(detect_package_manager(&fs, app), PackageManager::Pnpm);
        // The search stops at the repository's top.
        let above = MemoryFs::new()
            .file("/pnpm-lock.yaml", "")
            .dir("/w/.git")
            .dir(app);
        assert_eq!(detect_package_manager(&above, app), PackageManager::Npm);
        let fs = fs.file(app.join("bun.lock"), "");
        assert_eq!(detect_package_manager(&fs, app), PackageManager::Bun);
        assert_eq!(PackageManager::Bun.install_command(), "bun install");
    }

    /// `{"dependencies":{"pkg-00000":"^1.0.0",…}}` with `count` entries on one line.
    fn one_line(field: &str, count: usize) -> String {
        let entries: Vec<String> = (0..count)
            .map(|i| format!("\"pkg-{i:05}\":\"^1.0.0\""))
            .collect();
        format!("{{\"{field}\":{{{}}}}}", entries.join(","))
    }

    #[test]
    fn r27_adding_to_10000_dependencies_on_one_line_was_quadratic() {
        // 210 kB: the syntax-tree insert before the first entry took 1.3 s (release).
        let text = one_line("dependencies", 10_000);
        let edited = added(&text);
        let expected = text.replacen(
            "{\"dependencies\":{",
            "{\"dependencies\":{\"@cloudflare/containers\":\">=0.3.7 <0.4\",\"@lunora/container\":\"^0.1.0\",",
            1,
        );
        assert_eq!(edited, expected);
        let v: serde_json::Value = serde_json::from_str(&edited).unwrap();
        assert_eq!(v["dependencies"].as_object().unwrap().len(), 10_002);
    }

    #[test]
    fn r27_creating_dependencies_beside_10000_keys_on_one_line_was_quadratic() {
        // The same insert, appending `dependencies` to a top level of 10,000 keys, took 1 s (debug).
        let text = one_line("devDependencies", 10_000);
        let flat = format!(
            "{{{}}}",
            &text["{\"devDependencies\":{".len()..text.len() - 2]
        );
        for text in [text, flat] {
            let edited = added(&text);
            assert_eq!(
                edited,
                format!(
                    "{},\"dependencies\":{{\"@cloudflare/containers\":\">=0.3.7 <0.4\",\"@lunora/container\":\"^0.1.0\"}}}}",
                    &text[..text.len() - 1]
                )
            );
        }
    }

    #[test]
    fn new_entries_follow_their_neighbours_style() {
        for (text, expected) in [
            (
                "{ \"dependencies\": { \"zod\": \"3\" } }",
                "{ \"dependencies\": { \"@cloudflare/containers\": \">=0.3.7 <0.4\", \"@lunora/container\": \"^0.1.0\", \"zod\": \"3\" } }",
            ),
            (
                "{\"name\":\"a\",\"dependencies\":{}}\n",
                "{\"name\":\"a\",\"dependencies\":{\"@cloudflare/containers\":\">=0.3.7 <0.4\",\"@lunora/container\":\"^0.1.0\"}}\n",
            ),
            (
                "{\n  \"dependencies\": {\n  }\n}",
                "{\n  \"dependencies\": {\n    \"@cloudflare/containers\": \">=0.3.7 <0.4\",\n    \"@lunora/container\": \"^0.1.0\"\n  }\n}",
            ),
            (
                "{}\r\n",
                "{\r\n  \"dependencies\": {\r\n    \"@cloudflare/containers\": \">=0.3.7 <0.4\",\r\n    \"@lunora/container\": \"^0.1.0\"\r\n  }\r\n}\r\n",
            ),
            (
                "{\n\t\"a\": {\"dependencies\": 1},\n\t\"dependencies\": {\n\t\t\"zz\": \"1\"\n\t}\n}",
                "{\n\t\"a\": {\"dependencies\": 1},\n\t\"dependencies\": {\n\t\t\"@cloudflare/containers\": \">=0.3.7 <0.4\",\n\t\t\"@lunora/container\": \"^0.1.0\",\n\t\t\"zz\": \"1\"\n\t}\n}",
            ),
        ] {
            assert_eq!(added(text), expected, "{text:?}");
        }
    }

    #[test]
    fn names_and_ranges_are_written_as_json_strings() {
        let odd = vec![("a\"b\\c".to_string(), "1 || \"2\"\n".to_string())];
        let DependencyEdit::Added(text, _) =
            add_dependencies("{\"dependencies\":{\"z\":\"1\"}}", &odd).unwrap()
        else {
            panic!("nothing added");
        };
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["dependencies"]["a\"b\\c"], "1 || \"2\"\n");
        assert_eq!(v["dependencies"]["z"], "1");
    }
}
