//! Typed edits that move a Durable Object class's wiring to another class name (`lunora
//! rename`, `lunora adopt`): its bindings and its `containers[]` entry, in every scope, under
//! the contract of [`crate::edit`].

use crate::edit::{all_scopes, edit, scope_object, set_string, EditOutput, Rename};
use crate::read::Scope;
use crate::{string_prop, ChangeKind, ConfigFormat, Edits};
use jsonc_parser::cst::{CstInputValue, CstObject};
use lunora_diagnostic::Diagnostic;
use std::collections::HashMap;

/// Points every `durable_objects.bindings` entry of `from_class` (top level and every
/// environment) at `to_class`. With `rename_name = Some((old, new))`, a binding named `old` is
/// renamed `new` too (a lunora-derived name following its export); any other name is kept. When
/// the scope already binds `to_class` under the resulting name, the `from_class` entry is
/// removed instead, so no duplicate is left. Errors: the resulting name is taken by a binding of
/// a third class (`wrangler/binding-conflict`).
pub fn move_binding(
    text: &str,
    format: ConfigFormat,
    file: &str,
    from_class: &str,
    to_class: &str,
    rename_name: Option<(&str, &str)>,
) -> Result<EditOutput, Vec<Diagnostic>> {
    edit(text, format, file, |analysis, root, ed, errors| {
        for scope in all_scopes(analysis) {
            let obj = scope_object(root, scope);
            let nodes = binding_nodes(&obj)
                .into_iter()
                .filter(|o| string_prop(o, "class_name").as_deref() == Some(from_class))
                .collect();
            let mv = Move {
                file,
                from_class,
                to_class,
            };
            mv.binding(scope, nodes, rename_name, ed, errors);
        }
    })
}

/// Moves every binding and `containers[]` entry of each `from` class to its `to` class, as
/// [`move_binding`] (names kept) and [`move_container_entry`] do for one class, in one read
/// of the text: linear in the size of the config, however many classes move.
pub fn move_classes(
    text: &str,
    format: ConfigFormat,
    file: &str,
    renames: &[Rename],
) -> Result<EditOutput, Vec<Diagnostic>> {
    edit(text, format, file, |analysis, root, ed, errors| {
        for scope in all_scopes(analysis) {
            let obj = scope_object(root, scope);
            let mut bindings: HashMap<String, Vec<CstObject>> = HashMap::new();
            for node in binding_nodes(&obj) {
                if let Some(class) = string_prop(&node, "class_name") {
                    bindings.entry(class).or_default().push(node);
                }
            }
            let mut entries: HashMap<String, CstObject> = HashMap::new();
            for node in container_nodes(&obj) {
                if let Some(class) = string_prop(&node, "class_name") {
                    entries.entry(class).or_insert(node);
                }
            }
            for r in renames {
                let mv = Move {
                    file,
                    from_class: &r.from,
                    to_class: &r.to,
                };
                let nodes = bindings.remove(&r.from).unwrap_or_default();
                mv.binding(scope, nodes, None, ed, errors);
                mv.entry(scope, entries.remove(&r.from), ed, errors);
            }
        }
    })
}

/// The `durable_objects.bindings` objects of a scope, in file order.
fn binding_nodes(obj: &CstObject) -> Vec<CstObject> {
    obj.object_value("durable_objects")
        .and_then(|d| d.array_value("bindings"))
        .map(|a| {
            a.elements()
                .into_iter()
                .filter_map(|e| e.as_object())
                .collect()
        })
        .unwrap_or_default()
}

/// The `containers[]` objects of a scope, in file order.
fn container_nodes(obj: &CstObject) -> Vec<CstObject> {
    obj.array_value("containers")
        .map(|a| {
            a.elements()
                .into_iter()
                .filter_map(|e| e.as_object())
                .collect()
        })
        .unwrap_or_default()
}

/// One class moving to another name, in one scope at a time.
struct Move<'a> {
    file: &'a str,
    from_class: &'a str,
    to_class: &'a str,
}

impl Move<'_> {
    /// [`move_binding`] in `scope`, whose binding objects of `from_class` are `nodes`.
    fn binding(
        &self,
        scope: &Scope,
        nodes: Vec<CstObject>,
        rename_name: Option<(&str, &str)>,
        ed: &mut Edits,
        errors: &mut Vec<Diagnostic>,
    ) {
        let Move {
            file,
            from_class,
            to_class,
        } = *self;
        let mut plan = Vec::new();
        let of = |class: &str| {
            scope
                .bindings_by_class
                .get(class)
                .into_iter()
                .flatten()
                .map(|&i| &scope.bindings[i])
        };
        for b in of(from_class) {
            let name = match rename_name {
                Some((old, new)) if b.name == old => new.to_string(),
                _ => b.name.clone(),
            };
            let taken = scope
                .binding_by_name
                .get(&name)
                .map(|&i| &scope.bindings[i])
                .filter(|o| o.class_name != from_class);
            match taken {
                Some(o) if o.class_name == to_class => plan.push((b.name.clone(), name, true)),
                Some(o) => errors.push(
                    Diagnostic::error(
                        crate::codes::BINDING_CONFLICT,
                        format!(
                            "`{}durable_objects.bindings` {name} already points at `{}`",
                            scope.prefix, o.class_name
                        ),
                    )
                    .with_primary(file, o.span, "taken here")
                    .with_help(format!(
                        "rename or remove that binding first; lunora does not overwrite a binding of another class ({})",
                        o.class_name
                    )),
                ),
                None => plan.push((b.name.clone(), name, false)),
            }
        }
        if of(from_class).next().is_none() {
            for b in of(to_class) {
                ed.push(
                    ChangeKind::Unchanged,
                    format!(
                        "{}durable_objects.bindings {} → {to_class}",
                        scope.prefix, b.name
                    ),
                );
            }
        }
        if plan.is_empty() || !errors.is_empty() {
            return;
        }
        for (node, (old_name, new_name, duplicate)) in nodes.into_iter().zip(plan) {
            if duplicate {
                node.remove();
                ed.push(
                    ChangeKind::Removed,
                    format!(
                        "{}durable_objects.bindings {old_name} → {from_class} (`{new_name}` already binds {to_class})",
                        scope.prefix
                    ),
                );
                continue;
            }
            set_string(&node, "class_name", to_class);
            if new_name != old_name {
                set_string(&node, "name", &new_name);
                ed.push(
                    ChangeKind::Updated,
                    format!(
                        "{}durable_objects.bindings {old_name} → {from_class} is now {new_name} → {to_class}",
                        scope.prefix
                    ),
                );
            } else {
                ed.push(
                    ChangeKind::Updated,
                    format!(
                        "{}durable_objects.bindings {old_name} now → {to_class} (was {from_class})",
                        scope.prefix
                    ),
                );
            }
        }
    }
}

/// Sets `class_name` of the `containers[]` entry of `from_class` to `to_class`, in every scope,
/// keeping every other field and comment of the entry. Errors: the scope also has an entry for
/// `to_class` (`wrangler/duplicate-container`: merge by hand).
pub fn move_container_entry(
    text: &str,
    format: ConfigFormat,
    file: &str,
    from_class: &str,
    to_class: &str,
) -> Result<EditOutput, Vec<Diagnostic>> {
    edit(text, format, file, |analysis, root, ed, errors| {
        for scope in all_scopes(analysis) {
            let node = container_nodes(&scope_object(root, scope))
                .into_iter()
                .find(|o| string_prop(o, "class_name").as_deref() == Some(from_class));
            let mv = Move {
                file,
                from_class,
                to_class,
            };
            mv.entry(scope, node, ed, errors);
        }
    })
}

impl Move<'_> {
    /// [`move_container_entry`] in `scope`, whose entry object of `from_class` is `node`.
    fn entry(
        &self,
        scope: &Scope,
        node: Option<CstObject>,
        ed: &mut Edits,
        errors: &mut Vec<Diagnostic>,
    ) {
        let Move {
            file,
            from_class,
            to_class,
        } = *self;
        let from = scope.container_by_class.get(from_class);
        let to = scope.container_by_class.get(to_class);
        match (from, to) {
            (Some(&f), Some(&t)) => errors.push(
                Diagnostic::error(
                    crate::codes::DUPLICATE_CONTAINER,
                    format!(
                        "`{}containers[]` has entries for both `{from_class}` and `{to_class}`",
                        scope.prefix
                    ),
                )
                .with_primary(file, scope.containers[t].span, format!("entry for {to_class}"))
                .with_secondary(file, scope.containers[f].span, format!("entry for {from_class}"))
                .with_help(format!(
                    "keep one entry: delete the one for `{to_class}` (or merge the two by hand), then run the command again"
                )),
            ),
            (None, Some(_)) => ed.push(
                ChangeKind::Unchanged,
                format!("{}containers[] entry for {to_class}", scope.prefix),
            ),
            (None, None) => {}
            (Some(_), None) => {
                if !errors.is_empty() {
                    return;
                }
                let Some(node) = node else {
                    return;
                };
                set_string(&node, "class_name", to_class);
                // The container application keeps the name wrangler derived from the old
                // class: Cloudflare matches a deploy to its application by that name.
                let pinned = match (&scope.worker_name, node.get("name")) {
                    (Some(worker), None) => {
                        let name = crate::derived_application_name(
                            worker,
                            from_class,
                            scope.env.as_deref(),
                        );
                        let at = node
                            .get("class_name")
                            .map_or(0, |p| p.property_index() + 1);
                        node.insert(at, "name", CstInputValue::String(name.clone()));
                        format!(" (its container application keeps the name {name})")
                    }
                    _ => String::new(),
                };
                ed.push(
                    ChangeKind::Updated,
                    format!(
                        "{}containers[] entry for {from_class} is now for {to_class}{pinned}",
                        scope.prefix
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Moving many classes at once gives the same text as moving them one by one.
    #[test]
    fn move_classes_is_the_one_by_one_moves_in_one_read() {
        let mut entries = Vec::new();
        let mut bindings = Vec::new();
        for i in 0..5 {
            entries.push(format!(
                "    {{ \"class_name\": \"C{i}\", \"image\": \"./Dockerfile\" }}, // c{i}"
            ));
            bindings.push(format!(
                "{{ \"class_name\": \"C{i}\", \"name\": \"B{i}\" }}"
            ));
        }
        let text = format!(
            "{{\n  \"name\": \"w\",\n  \"containers\": [\n{}\n  ],\n  \"durable_objects\": {{ \"bindings\": [{}] }},\n  \"env\": {{ \"s\": {{ \"name\": \"ws\", \"durable_objects\": {{ \"bindings\": [{}] }} }} }},\n}}\n",
            entries.join("\n"),
            bindings.join(", "),
            bindings[1]
        );
        let renames: Vec<Rename> = (0..5)
            .filter(|i| *i != 2)
            .map(|i| Rename {
                from: format!("C{i}"),
                to: format!("C{i}Container"),
            })
            .collect();
        let fmt = ConfigFormat::Jsonc;
        let mut one_by_one = text.clone();
        for r in &renames {
            one_by_one = move_binding(&one_by_one, fmt, "w.jsonc", &r.from, &r.to, None)
                .unwrap()
                .text;
            one_by_one = move_container_entry(&one_by_one, fmt, "w.jsonc", &r.from, &r.to)
                .unwrap()
                .text;
        }
        let at_once = move_classes(&text, fmt, "w.jsonc", &renames).unwrap();
        assert_eq!(at_once.text, one_by_one);
        assert!(at_once.text.contains("\"class_name\": \"C2\""));
        assert!(at_once.text.contains("// c3"));
        let again = move_classes(&at_once.text, fmt, "w.jsonc", &renames).unwrap();
        assert_eq!(again.text, at_once.text);
        assert!(again
            .changes
            .iter()
            .all(|c| c.kind == ChangeKind::Unchanged));
    }
}
