//! The worker-entry half of `lunora adopt`: a class whose every member was carried into its
//! definition goes; a class with code of its own stays as a hand-authored subclass of lunora's
//! generated class (`export class Sandbox extends LunoraSandbox { … }`), so the binding still
//! reaches that code while the settings it declared statically come from the definition. Pure:
//! text in, text out.

use crate::adopt::Adoption;
use crate::project;
use crate::source::{line_of, removal_range};
use lunora_diagnostic::{Diagnostic, Span};
use lunora_parser::adopt::{Comment, HandWrittenClass, MemberKind, WorkerModule};

/// One kept class turned into a subclass of the generated class imported as `base`.
pub struct Subclassed<'a> {
    pub class: &'a HandWrittenClass,
    /// The Durable Object class wrangler binds (the generated class's name), which differs from
    /// `class.name` when the entry exports the class under an alias.
    pub generated: String,
    pub base: String,
}

/// The local name the generated class is imported under in the worker: `Lunora<Class>`, or with
/// a numeric suffix when the module already uses that name.
pub fn base_alias(module: &WorkerModule, class: &str) -> String {
    let taken = |n: &str| {
        module.references.contains_key(n)
            || module.classes.iter().any(|c| c.name == n)
            || module
                .imports
                .iter()
                .any(|i| i.specifiers.iter().any(|s| s.local == n))
    };
    let first = format!("Lunora{class}");
    if !taken(&first) {
        return first;
    }
    (2..)
        .map(|i| format!("{first}{i}"))
        .find(|n| !taken(n))
        .expect("an unused name exists")
}

/// `import { Sandbox as LunoraSandbox } from "<generated module>";` for the worker entry.
pub fn base_import_line(entry: &project::WorkerEntry, subclassed: &[(String, String)]) -> String {
    let specifier = lunora_codegen::relative_specifier(
        &entry.dir,
        std::path::Path::new(project::GENERATED_CONTAINERS_MODULE),
    );
    let names: Vec<String> = subclassed
        .iter()
        .map(|(class, base)| format!("{class} as {base}"))
        .collect();
    format!(
        "import {{ {} }} from {};",
        names.join(", "),
        serde_json::to_string(&specifier).expect("a string serialises")
    )
}

/// The byte range of the superclass expression of `h` (`Container` in `class X extends
/// Container {`, type arguments included), or `None` when the header is not written that way.
fn superclass_range(text: &str, h: &HandWrittenClass) -> Option<(usize, usize)> {
    let from = h.name_span.end as usize;
    let end = h.statement_span.end as usize;
    let header = &text[from..end];
    let body = header.find('{')?;
    let head = &header[..body];
    let at = head.find("extends")?;
    let after = at + "extends".len();
    if !head[after..].starts_with(char::is_whitespace) {
        return None;
    }
    let expr = &head[after..];
    let expr = match expr.find(" implements ") {
        Some(i) => &expr[..i],
        None => expr,
    };
    let lead = expr.len() - expr.trim_start().len();
    let trimmed = expr.trim();
    // An object type in the type arguments (`Container<{ … }>`) opens a brace before the body.
    let balanced = trimmed.matches('<').count() == trimmed.matches('>').count();
    if trimmed.is_empty() || trimmed.contains("//") || trimmed.contains("/*") || !balanced {
        return None;
    }
    let start = from + after + lead;
    Some((start, start + trimmed.len()))
}

/// Whether removing member `span` removes its whole line(s): nothing else is on them but a
/// `//` comment after it (which then moves with the member into the definition).
pub fn removes_whole_line(text: &str, span: Span) -> bool {
    let (start, end) = (span.start as usize, span.end as usize);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let before = text[line_start..start].trim();
    let after = text[end..line_end].trim();
    before.is_empty() && (after.is_empty() || after.starts_with("//"))
}

/// The comments of class `h` on the lines directly above member `span` (no blank line between),
/// in source order: they describe the member and go where it goes.
pub fn attached_comments<'a>(text: &str, h: &'a HandWrittenClass, span: Span) -> Vec<&'a Comment> {
    let mut out = Vec::new();
    let mut at = span.start as usize;
    while let Some(c) = h
        .inner_comments
        .iter()
        .filter(|c| (c.span.end as usize) <= at)
        .max_by_key(|c| c.span.end)
    {
        let gap = &text[c.span.end as usize..at];
        let line_start = text[..c.span.start as usize]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let own_line = text[line_start..c.span.start as usize].trim().is_empty();
        if !gap.trim().is_empty() || gap.matches('\n').count() != 1 || !own_line {
            break;
        }
        out.push(c);
        at = c.span.start as usize;
    }
    out.reverse();
    out
}

/// What removing member `span` of class `h` removes: its whole line(s), with the comment lines
/// attached above it, when [`removes_whole_line`]; else exactly the member.
fn member_removal(text: &str, h: &HandWrittenClass, span: Span) -> (usize, usize) {
    if removes_whole_line(text, span) {
        let start = attached_comments(text, h, span)
            .first()
            .map_or(span.start, |c| c.span.start);
        let (s, mut e) = removal_range(text, start as usize, span.end as usize);
        // First in the body: a blank line after it would open the body.
        if text[..s].trim_end().ends_with('{') {
            let rest = &text[e..];
            if let Some(nl) = rest.find('\n') {
                if rest[..nl].trim().is_empty() {
                    e += nl + 1;
                }
            }
        }
        (s, e)
    } else {
        (span.start as usize, span.end as usize)
    }
}

/// The worker text with `removed` classes gone (their doc comments too), each `subclassed` class
/// extending its generated base with the members carried into its definition removed, and the
/// named imports only those parts used dropped (a whole import when nothing of it is left).
///
/// With `reexport`, when the last import of the module goes whole, the re-export line takes its
/// place (so the file keeps its layout); the flag says whether that happened. `Err` names a
/// subclassed class whose `extends` clause adopt cannot rewrite, with where it is declared.
pub fn edit_entry(
    text: &str,
    module: &WorkerModule,
    removed: &[&HandWrittenClass],
    subclassed: &[Subclassed<'_>],
    reexport: Option<&str>,
) -> Result<(String, bool), (String, Span)> {
    if removed.is_empty() && subclassed.is_empty() {
        return Ok((text.to_string(), false));
    }
    let last_import = module.imports.iter().map(|i| i.span.start).max();
    let mut placed = false;
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    // Ranges whose references no longer count: removed classes, rewritten superclasses and
    // removed members.
    let mut gone: Vec<(usize, usize)> = Vec::new();
    for c in removed {
        let start = c
            .leading_comments
            .first()
            .map_or(c.statement_span.start, |l| l.span.start) as usize;
        let (s, e) = removal_range(text, start, c.statement_span.end as usize);
        edits.push((s, e, String::new()));
        gone.push((
            c.statement_span.start as usize,
            c.statement_span.end as usize,
        ));
    }
    for sub in subclassed {
        let h = sub.class;
        let Some((s, e)) = superclass_range(text, h) else {
            return Err((format!(
                "the `extends` clause of `{}` (line {}) is not written `class {} extends <base> {{`, so adopt cannot make it a subclass of lunora's generated class",
                h.name,
                line_of(text, h.name_span.start),
                h.name
            ), h.name_span));
        };
        edits.push((s, e, sub.base.clone()));
        gone.push((s, e));
        for f in h.fields.iter().filter(|f| f.value.is_ok()) {
            let (s, e) = member_removal(text, h, f.span);
            edits.push((s, e, String::new()));
            gone.push((f.span.start as usize, f.span.end as usize));
        }
    }
    let inside = |s: &Span| {
        gone.iter()
            .any(|(a, b)| *a <= s.start as usize && s.end as usize <= *b)
    };
    for import in &module.imports {
        let now_unused: Vec<bool> = import
            .specifiers
            .iter()
            .map(|spec| {
                let refs = module
                    .references
                    .get(&spec.local)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                !refs.is_empty() && refs.iter().all(inside)
            })
            .collect();
        if !now_unused.iter().any(|u| *u) {
            continue;
        }
        if now_unused.iter().all(|u| *u) {
            match reexport {
                Some(line) if Some(import.span.start) == last_import => {
                    edits.push((
                        import.span.start as usize,
                        import.span.end as usize,
                        line.to_string(),
                    ));
                    placed = true;
                }
                _ => {
                    let (s, e) =
                        removal_range(text, import.span.start as usize, import.span.end as usize);
                    edits.push((s, e, String::new()));
                }
            }
            continue;
        }
        // Only named specifiers are dropped one by one; the list keeps its separator style.
        let named: Vec<(usize, &lunora_parser::adopt::ImportName)> = import
            .specifiers
            .iter()
            .enumerate()
            .filter(|(_, s)| s.named)
            .collect();
        if named.iter().all(|(i, _)| !now_unused[*i]) {
            continue;
        }
        let first = named[0].1.span.start as usize;
        let last = named[named.len() - 1].1.span.end as usize;
        let sep = if named.len() > 1 {
            &text[named[0].1.span.end as usize..named[1].1.span.start as usize]
        } else {
            ", "
        };
        let kept: Vec<&str> = named
            .iter()
            .filter(|(i, _)| !now_unused[*i])
            .map(|(_, s)| &text[s.span.start as usize..s.span.end as usize])
            .collect();
        if kept.is_empty() {
            continue;
        }
        edits.push((first, last, kept.join(sep)));
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    let mut floor = usize::MAX;
    for (s, e, with) in edits {
        // Edits never overlap (each member is removed alone, or with lines only it occupies).
        debug_assert!(e <= floor, "overlapping worker edits");
        out.replace_range(s..e, &with);
        floor = s;
    }
    // A subclass whose first members went does not open its body with a blank line.
    for sub in subclassed {
        let header = format!("extends {} ", sub.base);
        let Some(at) = out.find(&header) else {
            continue;
        };
        let Some(brace) = out[at..].find('{').map(|i| at + i + 1) else {
            continue;
        };
        let rest = &out[brace..];
        if let Some(first) = rest.strip_prefix('\n') {
            if let Some(nl) = first.find('\n') {
                if first[..nl].trim().is_empty() {
                    out.replace_range(brace + 1..brace + 1 + nl + 1, "");
                }
            }
        }
    }
    Ok((out, placed))
}

/// A note at a class kept in the worker as a subclass of the generated class: the code of its
/// own that still runs there, each member labelled, and what moved into the definition.
pub fn kept_class_diagnostic(
    a: &Adoption,
    h: &HandWrittenClass,
    base: &str,
    entry: &project::WorkerEntry,
    text: &str,
) -> Diagnostic {
    let members: Vec<String> = h
        .own_code
        .iter()
        .map(|o| {
            let why = o.why.as_ref().map(|w| format!(", {w}")).unwrap_or_default();
            format!(
                "{} ({}, line {}{why})",
                o.name,
                o.kind.describe(),
                line_of(text, o.span.start)
            )
        })
        .collect();
    let mut d = Diagnostic::info(
        crate::codes::ADOPT_KEPT_CLASS,
        format!(
            "`{}` stays in {} because {}, now as a subclass of lunora's generated class (`extends {base}`): `env.{}` still reaches it, {}; the settings it declared statically come from {} (`{}`)",
            a.class,
            entry.rel,
            a.keep_because.join(" and "),
            a.binding,
            if members.is_empty() {
                "and it has no code of its own".to_string()
            } else {
                format!("and its own code keeps running: {}", members.join(", "))
            },
            crate::project::CONTAINERS_TS,
            a.export,
        ),
    )
    .with_primary(entry.rel.clone(), h.name_span, "kept, as a subclass");
    for o in &h.own_code {
        d = d.with_secondary(entry.rel.clone(), o.span, format!("{} still runs", o.name));
    }
    let hooks = h.own_code.iter().any(|o| o.kind == MemberKind::Hook);
    let fetch = h.own_code.iter().any(|o| o.name == "fetch");
    let mut help = Vec::new();
    if hooks {
        help.push("a hook of the class replaces lunora's (which emits the lifecycle events `lunora dev` shows): call the base's first, e.g. `await super.onStart()`, to keep them".to_string());
    }
    if fetch {
        help.push("a `fetch` of the class replaces lunora's readiness gating (`readyOn`): call `super.fetch(request)` to forward through it".to_string());
    }
    if help.is_empty() {
        help.push(format!(
            "static values belong in {}; code of the class stays in the subclass",
            crate::project::CONTAINERS_TS
        ));
    }
    d.with_help(help.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lunora_parser::adopt::hand_written_classes;

    const WORKER: &str = r#"import { Container, getContainer, getRandom } from "@cloudflare/containers";
import { Hono } from "hono";

// The one container.
export class Api extends Container {
  defaultPort = 8080; // the port
}

export default { fetch: (r: Request, env: Env) => getContainer(env.API).fetch(r) };
"#;

    #[test]
    fn edit_entry_drops_the_class_and_only_the_imports_it_alone_used() {
        let module = hand_written_classes(WORKER, "src/index.ts").unwrap();
        let removed: Vec<&HandWrittenClass> = module.classes.iter().collect();
        let (out, placed) =
            edit_entry(WORKER, &module, &removed, &[], Some("export * from \"x\";")).unwrap();
        // `getRandom` was unused before adopt: not adopt's to remove. `Hono` is the last import
        // and stays, so the re-export is not placed here.
        assert!(!placed);
        assert_eq!(
            out,
            "import { getContainer, getRandom } from \"@cloudflare/containers\";\nimport { Hono } from \"hono\";\n\nexport default { fetch: (r: Request, env: Env) => getContainer(env.API).fetch(r) };\n"
        );
    }

    const KEPT: &str = r#"import { Container } from "@cloudflare/containers";

export class Api extends Container<Env> {
  // Where the server listens.
  defaultPort = 8080; // the port
  // Started by hand.
  manualStart = true;
  sleepAfter = "5m"; envVars = { A: "1" };
  override async fetch(request: Request): Promise<Response> {
    return new Response("custom");
  }
}
"#;

    /// Regression for "behaviour is silently dropped": a class with code of its own keeps it,
    /// extends the generated class instead of `Container`, and loses only the members its
    /// definition now carries (two on one line included); `Container`, now unused, goes.
    #[test]
    fn a_kept_class_becomes_a_subclass_of_the_generated_one() {
        let module = hand_written_classes(KEPT, "src/index.ts").unwrap();
        let h = &module.classes[0];
        assert_eq!(base_alias(&module, "Api"), "LunoraApi");
        let sub = [Subclassed {
            class: h,
            generated: "Api".into(),
            base: "LunoraApi".into(),
        }];
        let (out, _) = edit_entry(KEPT, &module, &[], &sub, None).unwrap();
        assert_eq!(
            out,
            "export class Api extends LunoraApi {\n  // Started by hand.\n  manualStart = true;\n   \n  override async fetch(request: Request): Promise<Response> {\n    return new Response(\"custom\");\n  }\n}\n"
        );
        assert!(lunora_parser::entry_exports(&out, "src/index.ts").is_ok());
    }

    #[test]
    fn an_extends_clause_adopt_cannot_read_is_refused_with_its_line() {
        let text = "import { Container } from \"@cloudflare/containers\";\nexport class Api extends /* base */ Container {\n  fetch() { return new Response(\"\"); }\n}\n";
        let module = hand_written_classes(text, "src/index.ts").unwrap();
        let sub = [Subclassed {
            class: &module.classes[0],
            generated: "Api".into(),
            base: "LunoraApi".into(),
        }];
        let (err, _) = edit_entry(text, &module, &[], &sub, None).unwrap_err();
        assert!(err.contains("(line 2)"), "{err}");
        let text = "import { Container } from \"@cloudflare/containers\";\nexport class Api extends Container<{ A: string }> {\n  fetch() { return new Response(\"\"); }\n}\n";
        let module = hand_written_classes(text, "src/index.ts").unwrap();
        let sub = [Subclassed {
            class: &module.classes[0],
            generated: "Api".into(),
            base: "LunoraApi".into(),
        }];
        assert!(edit_entry(text, &module, &[], &sub, None).is_err());
        // Generics of its own and an `implements` clause are fine.
        let text = "import { Container } from \"@cloudflare/containers\";\nexport class Api<T> extends Container<Env> implements Disposable {\n  fetch() { return new Response(\"\"); }\n}\n";
        let module = hand_written_classes(text, "src/index.ts").unwrap();
        let sub = [Subclassed {
            class: &module.classes[0],
            generated: "Api".into(),
            base: "LunoraApi".into(),
        }];
        let (out, _) = edit_entry(text, &module, &[], &sub, None).unwrap();
        assert!(
            out.contains("export class Api<T> extends LunoraApi implements Disposable {"),
            "{out}"
        );
    }
}
