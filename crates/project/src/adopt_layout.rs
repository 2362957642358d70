//! Where a hand-wired container class really lives, for `lunora adopt`: wrangler binds a class
//! by the name the worker entry exports, and the entry may export it from another module
//! (`export { X } from "./x"`, `export * from "./x"`, `import X from "./x"; export { X }`), under
//! an alias (`export { A as B }`), or as another module's `export default`. This follows those
//! exports through the worker's own modules and says, for every class the config names, which
//! module declares it, or why it is not a container class, at the file and line that says so.
//!
//! Bounded: only relative specifiers inside the project root are followed, through the
//! project's `Fs` (whose reads are bounded), each module parsed once, at most
//! [`MAX_MODULES`] modules; a cycle ends where it closes.

use crate::project::{Project, WorkerEntry};
use crate::source::line_of;
use lunora_diagnostic::Span;
use lunora_parser::adopt::{hand_written_classes, WorkerModule, CONTAINER_MODULES};
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

/// How many modules adopt reads at most while following the entry's exports.
pub const MAX_MODULES: usize = 256;

/// The extensions a relative specifier without one may resolve to, in bundler order.
const EXTENSIONS: &[&str] = &["ts", "tsx", "mts", "js", "jsx", "mjs"];

/// A module of the worker that declares an adopted class, other than the entry.
pub struct OtherModule {
    pub entry: WorkerEntry,
    pub text: String,
}

/// What one exported name resolves to.
#[derive(Clone)]
enum Target {
    /// `classes[index]` of the module `file`.
    Class { file: String, index: usize },
    /// Not a container class: why, located.
    NotContainer(String),
}

struct Parsed {
    text: String,
    module: WorkerModule,
}

struct Layout<'p> {
    project: &'p Project,
    modules: HashMap<String, Result<Rc<Parsed>, String>>,
    exports: HashMap<String, Rc<HashMap<String, Target>>>,
    in_progress: Vec<String>,
}

/// Completes `module` (the entry's) with the classes the config names that other modules
/// declare, and the located reason for each it cannot find. A class found elsewhere is appended
/// to `module.classes` with `declared_in` set and the config's class name in `exported_as`; the
/// returned modules hold the texts their diagnostics point into. Classes the entry declares
/// itself (under that name, or exporting it under that name) are left as they are.
pub fn follow_exports(
    project: &Project,
    entry: &WorkerEntry,
    entry_text: &str,
    module: &mut WorkerModule,
    classes: &[String],
) -> Vec<OtherModule> {
    let mut layout = Layout {
        project,
        modules: HashMap::new(),
        exports: HashMap::new(),
        in_progress: Vec::new(),
    };
    layout.modules.insert(
        entry.rel.clone(),
        Ok(Rc::new(Parsed {
            text: entry_text.to_string(),
            module: module.clone(),
        })),
    );
    let table = layout.exports_of(&entry.rel);
    let mut others: Vec<OtherModule> = Vec::new();
    let in_entry: std::collections::HashSet<String> = module
        .classes
        .iter()
        .filter(|h| h.declared_in.is_none())
        .flat_map(|h| std::iter::once(h.name.clone()).chain(h.exported_as.iter().cloned()))
        .collect();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for class in classes {
        if in_entry.contains(class) {
            continue;
        }
        match table.get(class) {
            Some(Target::Class { file, index }) if *file == entry.rel => {
                // The entry declares it under another name and exports it as `class`.
                if let Some(h) = module.classes.get_mut(*index) {
                    if !h.exported_as.contains(class) {
                        h.exported_as.push(class.clone());
                    }
                }
            }
            Some(Target::Class { file, index }) => {
                let Some(Ok(parsed)) = layout.modules.get(file) else {
                    continue;
                };
                let mut h = parsed.module.classes[*index].clone();
                h.declared_in = Some(file.clone());
                if !h.exported_as.contains(class) {
                    h.exported_as.push(class.clone());
                }
                module.classes.push(h);
                if seen.insert(file.clone()) {
                    others.push(OtherModule {
                        entry: WorkerEntry::from_main(file),
                        text: parsed.text.clone(),
                    });
                }
            }
            Some(Target::NotContainer(why)) => {
                module.unresolved.insert(class.clone(), why.clone());
            }
            None => {}
        }
    }
    others
}

/// The index in `module.classes` of the class wrangler binds as `class`: one the entry declares
/// under that name, else one exported under it (an alias, or a class of another module).
pub fn class_index(module: &WorkerModule, class: &str) -> Option<usize> {
    module
        .classes
        .iter()
        .position(|h| h.declared_in.is_none() && h.name == class)
        .or_else(|| {
            module
                .classes
                .iter()
                .position(|h| h.exported_as.iter().any(|n| n == class))
        })
}

/// The module (and its text) that declares `h`: the entry, or one of `others`.
pub fn module_of<'a>(
    h: &lunora_parser::adopt::HandWrittenClass,
    entry: &'a WorkerEntry,
    entry_text: &'a str,
    others: &'a [OtherModule],
) -> (&'a WorkerEntry, &'a str) {
    h.declared_in
        .as_ref()
        .and_then(|f| others.iter().find(|o| o.entry.rel == *f))
        .map_or((entry, entry_text), |o| (&o.entry, o.text.as_str()))
}

impl Layout<'_> {
    fn parsed(&mut self, file: &str) -> Result<Rc<Parsed>, String> {
        if let Some(p) = self.modules.get(file) {
            return p.clone();
        }
        let result = if self.modules.len() >= MAX_MODULES {
            Err(format!(
                "adopt follows at most {MAX_MODULES} modules of the worker, and {file} is past that"
            ))
        } else {
            match self.project.read(file) {
                Ok(Some(text)) => match hand_written_classes(&text, file) {
                    Ok(module) => Ok(Rc::new(Parsed { text, module })),
                    Err(errors) => {
                        let first = errors
                            .first()
                            .map(|d| d.message.clone())
                            .unwrap_or_default();
                        Err(format!("{file} does not parse ({first})"))
                    }
                },
                Ok(None) => Err(format!("{file} does not exist")),
                Err(e) => Err(format!("{file} cannot be read: {e:#}")),
            }
        };
        self.modules.insert(file.to_string(), result.clone());
        result
    }

    /// Every name `file` exports that is a class, or that adopt can say is not a container
    /// class. Computed once per module.
    fn exports_of(&mut self, file: &str) -> Rc<HashMap<String, Target>> {
        if let Some(t) = self.exports.get(file) {
            return t.clone();
        }
        if self.in_progress.iter().any(|f| f == file) {
            return Rc::new(HashMap::new());
        }
        let Ok(parsed) = self.parsed(file) else {
            return Rc::new(HashMap::new());
        };
        self.in_progress.push(file.to_string());
        let m = &parsed.module;
        let at = |span_start: u32| format!("{file}:{}", line_of(&parsed.text, span_start));
        let mut table: HashMap<String, Target> = HashMap::new();
        for (index, h) in m.classes.iter().enumerate() {
            for name in &h.exported_as {
                table.entry(name.clone()).or_insert(Target::Class {
                    file: file.to_string(),
                    index,
                });
            }
        }
        for c in &m.other_classes {
            let base = match &c.extends {
                None => "extends nothing".to_string(),
                Some((text, Some(from))) => format!("extends `{text}` (from \"{from}\")"),
                Some((text, None)) => format!("extends `{text}`"),
            };
            let why = format!(
                "`class {}` at {} {base}, not `Container` from {}; adopt takes over only classes that extend it directly",
                c.name,
                at(c.name_span.start),
                CONTAINER_MODULES
                    .iter()
                    .map(|m| format!("\"{m}\""))
                    .collect::<Vec<_>>()
                    .join(" or ")
            );
            for name in &c.exported_as {
                table
                    .entry(name.clone())
                    .or_insert(Target::NotContainer(why.clone()));
            }
        }
        for r in &m.re_exports {
            if table.contains_key(&r.exported) {
                continue;
            }
            let target = match self.resolve(file, &r.module) {
                Err(why) => Some(Target::NotContainer(format!(
                    "{} exports `{}` from \"{}\", which {why}",
                    at(r.span.start),
                    r.exported,
                    r.module
                ))),
                Ok(other) => self
                    .exports_of(&other)
                    .get(&r.imported)
                    .cloned()
                    .or_else(|| {
                        let problem = match self.parsed(&other) {
                            Err(why) => why,
                            Ok(_) => format!("{other} has no class exported as `{}`", r.imported),
                        };
                        Some(Target::NotContainer(format!(
                            "{} exports `{}` from {other}, and {problem}",
                            at(r.span.start),
                            r.exported
                        )))
                    }),
            };
            if let Some(t) = target {
                table.insert(r.exported.clone(), t);
            }
        }
        for (specifier, _) in &m.star_exports {
            let Ok(other) = self.resolve(file, specifier) else {
                continue;
            };
            let theirs = self.exports_of(&other);
            for (name, t) in theirs.iter() {
                if name != "default" && !table.contains_key(name) {
                    table.insert(name.clone(), t.clone());
                }
            }
        }
        self.in_progress.pop();
        let table = Rc::new(table);
        self.exports.insert(file.to_string(), table.clone());
        table
    }

    /// The project-relative file a specifier written in `from` names, or why adopt does not
    /// follow it.
    fn resolve(&mut self, from: &str, specifier: &str) -> Result<String, String> {
        if !(specifier.starts_with("./") || specifier.starts_with("../")) {
            return Err(
                "is a package, not a module of the worker; adopt reads only the worker's own modules"
                    .into(),
            );
        }
        let dir = Path::new(from).parent().unwrap_or(Path::new(""));
        let joined = lunora_codegen::normalize(&dir.join(specifier));
        if joined.starts_with("..") || joined.is_absolute() {
            return Err("is outside the project".into());
        }
        let base = joined.to_string_lossy().replace('\\', "/");
        let mut candidates: Vec<String> = vec![base.clone()];
        // TypeScript's ESM spelling: `./x.js` names `x.ts`.
        for (js, ts) in [(".js", ".ts"), (".mjs", ".mts"), (".jsx", ".tsx")] {
            if let Some(stem) = base.strip_suffix(js) {
                candidates.push(format!("{stem}{ts}"));
            }
        }
        candidates.extend(EXTENSIONS.iter().map(|e| format!("{base}.{e}")));
        candidates.extend(EXTENSIONS.iter().map(|e| format!("{base}/index.{e}")));
        candidates
            .into_iter()
            .find(|c| self.project.is_file(c))
            .ok_or_else(|| "does not resolve to a file of the project".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MemoryFs;
    use std::sync::Arc;

    const BASE: &str = "import { Container } from \"@cloudflare/containers\";\n";

    fn project(files: &[(&str, &str)]) -> Project {
        let mut fs = MemoryFs::new().dir("/p");
        for (rel, text) in files {
            fs = fs.file(format!("/p/{rel}"), *text);
        }
        Project::new(Arc::new(fs), "/p".into())
    }

    fn follow(files: &[(&str, &str)], classes: &[&str]) -> (WorkerModule, Vec<String>) {
        let p = project(files);
        let entry = WorkerEntry::from_main("src/index.ts");
        let text = files[0].1;
        let mut module = hand_written_classes(text, "src/index.ts").unwrap();
        let classes: Vec<String> = classes.iter().map(|c| c.to_string()).collect();
        let others = follow_exports(&p, &entry, text, &mut module, &classes);
        (module, others.into_iter().map(|o| o.entry.rel).collect())
    }

    #[test]
    fn follows_named_aliased_star_and_default_re_exports() {
        let files = [
            (
                "src/index.ts",
                "export { Sandbox } from \"./sandbox\";\nexport { Inner as Outer } from \"./inner.js\";\nexport * from \"./more\";\nimport Dflt from \"./dflt\";\nexport { Dflt };\nexport default { fetch() {} };\n",
            ),
            ("src/sandbox.ts", &format!("{BASE}export class Sandbox extends Container {{ defaultPort = 1; }}\n")),
            ("src/inner.ts", &format!("{BASE}export class Inner extends Container {{}}\n")),
            ("src/more/index.ts", "export * from \"../deep\";\n"),
            ("src/deep.ts", "import { Container } from \"cf-containers\";\nexport class Deep extends Container {}\n"),
            ("src/dflt.ts", &format!("{BASE}export default class Named extends Container {{}}\n")),
        ];
        let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (*a, *b)).collect();
        let (m, others) = follow(&files, &["Sandbox", "Outer", "Deep", "Dflt"]);
        let found: Vec<(&str, Option<&str>)> = m
            .classes
            .iter()
            .map(|h| (h.name.as_str(), h.declared_in.as_deref()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("Sandbox", Some("src/sandbox.ts")),
                ("Inner", Some("src/inner.ts")),
                ("Deep", Some("src/deep.ts")),
                ("Named", Some("src/dflt.ts")),
            ]
        );
        assert!(m.classes[1].exported_as.contains(&"Outer".to_string()));
        assert_eq!(others.len(), 4);
        assert!(m.unresolved.is_empty(), "{:?}", m.unresolved);
    }

    #[test]
    fn says_why_a_class_is_not_a_container_class_at_its_line() {
        let files = [
            (
                "src/index.ts",
                "export { Sandbox } from \"./sandbox\";\nexport { Gone } from \"./gone\";\nexport { Pkg } from \"some-package\";\n",
            ),
            (
                "src/sandbox.ts",
                "import { DurableObject } from \"cloudflare:workers\";\n\nexport class Sandbox extends DurableObject {}\n",
            ),
        ];
        let (m, _) = follow(&files, &["Sandbox", "Gone", "Pkg"]);
        assert!(m.classes.is_empty());
        let why = &m.unresolved["Sandbox"];
        assert!(
            why.contains("`class Sandbox` at src/sandbox.ts:3 extends `DurableObject` (from \"cloudflare:workers\")"),
            "{why}"
        );
        assert!(
            m.unresolved["Gone"]
                .contains("src/index.ts:2 exports `Gone` from \"./gone\", which does not resolve"),
            "{:?}",
            m.unresolved
        );
        assert!(
            m.unresolved["Pkg"].contains("is a package"),
            "{:?}",
            m.unresolved
        );
    }

    #[test]
    fn an_aliased_export_of_the_entry_is_found_in_the_entry() {
        let text = format!("{BASE}class A extends Container {{}}\nexport {{ A as B }};\n");
        let (m, others) = follow(&[("src/index.ts", &text)], &["B"]);
        assert!(others.is_empty());
        assert_eq!(m.classes.len(), 1);
        assert!(m.classes[0].declared_in.is_none());
        assert_eq!(m.classes[0].exported_as, vec!["B".to_string()]);
    }

    #[test]
    fn a_cycle_of_star_exports_ends() {
        let files = [
            ("src/index.ts", "export * from \"./a\";\n"),
            ("src/a.ts", "export * from \"./index\";\n"),
        ];
        let (m, _) = follow(&files, &["X"]);
        assert!(m.classes.is_empty() && m.unresolved.is_empty());
    }
}

/// Where one adopted class's settings come from, for [`relocate_definition_errors`].
pub struct Origin<'a> {
    pub class: &'a str,
    pub export: &'a str,
    pub hand: &'a lunora_parser::adopt::HandWrittenClass,
    /// The module that declares the class.
    pub class_file: &'a str,
    /// Its top-level `containers[]` entry.
    pub entry: Option<Span>,
}

/// Errors found in the definitions adopt would write, moved to where each value comes from: the
/// class field it was carried from, else the class's `containers[]` entry in the wrangler config.
/// (The definition file does not exist yet, so a location in it points nowhere.) Errors outside
/// any adopted definition are returned as they are.
pub fn relocate_definition_errors(
    errors: Vec<lunora_diagnostic::Diagnostic>,
    planned_file: &str,
    planned: &str,
    origins: &[Origin<'_>],
    wrangler_rel: &str,
) -> Vec<lunora_diagnostic::Diagnostic> {
    let mut starts: Vec<(usize, &Origin<'_>)> = origins
        .iter()
        .filter_map(|o| {
            planned
                .find(&format!("export const {} =", o.export))
                .map(|at| (at, o))
        })
        .collect();
    starts.sort_by_key(|(at, _)| *at);
    errors
        .into_iter()
        .map(|mut d| {
            let Some(label) = d.labels.iter().find(|l| l.primary && l.file == planned_file) else {
                return d;
            };
            let at = label.span.start as usize;
            let Some((_, o)) = starts.iter().rev().find(|(start, _)| *start <= at) else {
                return d;
            };
            // The definition key on the line of the error.
            let line_start = planned[..at.min(planned.len())].rfind('\n').map_or(0, |i| i + 1);
            let key = planned[line_start..]
                .trim_start()
                .split(':')
                .next()
                .unwrap_or("")
                .to_string();
            let from_class = o.hand.fields.iter().find(|f| f.key == key);
            let (file, span, what) = match (from_class, o.entry) {
                (Some(f), _) => (o.class_file, f.span, format!("`{}` of class `{}`", f.field, o.class)),
                (None, Some(entry)) => {
                    let field = match key.as_str() {
                        "maxInstances" => "max_instances",
                        "instanceType" => "instance_type",
                        "buildArgs" => "image_vars",
                        "rollout" => "rollout_step_percentage` / `rollout_active_grace_period",
                        other => other,
                    };
                    d.help = Some(format!(
                        "change `{field}` in {wrangler_rel} ({}), then adopt again",
                        d.help.as_deref().unwrap_or("wrangler would reject it too")
                    ));
                    (wrangler_rel, entry, format!("the containers[] entry of `{}`", o.class))
                }
                (None, None) => return d,
            };
            d.message = format!(
                "`{}` cannot be adopted: {} (from {what}, as `{key}` in the definition adopt would write)",
                o.class, d.message
            );
            d.labels = vec![lunora_diagnostic::Label {
                file: file.to_string(),
                span,
                message: "the value comes from here".into(),
                primary: true,
                position: None,
            }];
            d
        })
        .collect()
}
