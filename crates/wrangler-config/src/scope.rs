//! Reconciling one scope (the top level or an `env.<name>` block): bindings, `containers[]` entries, migrations, observability.

#[allow(unused_imports)]
use super::*;

/// `containers[]` entries, `durable_objects.bindings` and (when the block has its own) the
/// migrations of one scope (top level or `env.<name>`).
pub(crate) fn reconcile_scope(
    obj: &CstObject,
    scope: &Scope,
    analysis: &Analysis,
    desired: &[DesiredContainer],
    chosen: &HashMap<&str, String>,
    ed: &mut Edits,
) {
    // The existing `containers[]` entries as CST nodes, by class name, built once: scanning the
    // array per container decodes every `class_name` again (quadratic).
    let mut entries: HashMap<String, CstObject> = HashMap::new();
    if !scope.containers.is_empty() {
        if let Some(array) = obj.array_value("containers") {
            for o in objects(&array) {
                if let Some(class_name) = string_prop(&o, "class_name") {
                    entries.entry(class_name).or_insert(o);
                }
            }
        }
    }
    let mut new_entries = Vec::new();
    for container in desired {
        if let Some(entry) = upsert_container(scope, &entries, container, ed) {
            new_entries.push(entry);
        }
    }
    append_all(obj, &["containers"], new_entries, ed);

    let mut new_bindings = Vec::new();
    for container in desired {
        let name = &chosen[container.class_name.as_str()];
        let what = format!(
            "{}durable_objects.bindings {name} → {}",
            scope.prefix, container.class_name
        );
        // A binding of that name exists (and points at this class: `check` rejected others).
        if scope.binding_by_name.contains_key(name) {
            ed.push(ChangeKind::Unchanged, what);
            continue;
        }
        new_bindings.push(object_input(vec![
            ("class_name", Value::String(container.class_name.clone())),
            ("name", Value::String(name.clone())),
        ]));
        ed.push(ChangeKind::Added, what);
    }
    append_all(obj, &["durable_objects", "bindings"], new_bindings, ed);

    // Migrations go where wrangler reads them for this scope: the top level's, or the block's
    // own when it has them. A block without its own inherits the top level's (done there).
    if scope.env.is_none() || scope.migrations.is_some() {
        let migrations = analysis.migrations_of(scope);
        let migration = Migration {
            new_sqlite_classes: desired
                .iter()
                .filter(|c| {
                    report_declared(&scope.prefix, migrations, &c.class_name, ed);
                    !migrations.declared.contains_key(&c.class_name)
                })
                .map(|c| c.class_name.clone())
                .collect(),
        };
        append_migration(obj, &scope.prefix, migrations, migration, ed);
    }
}

pub(crate) fn report_declared(prefix: &str, migrations: &Migrations, class: &str, ed: &mut Edits) {
    if let Some(declared) = migrations.declared.get(class) {
        let tag = declared.tag_note("");
        ed.push(
            ChangeKind::Unchanged,
            format!("{prefix}migrations declare {class}{tag}"),
        );
    }
}

/// Brings the `containers[]` entry for `desired` up to date, or returns a new one to append.
///
/// At top level the owned fields are updated when they drift and every other field and comment
/// is kept. In an environment block an existing entry is the user's and is left as it is
/// ([`env_values_kept`] reports where it differs).
pub(crate) fn upsert_container(
    scope: &Scope,
    entries: &HashMap<String, CstObject>,
    desired: &DesiredContainer,
    ed: &mut Edits,
) -> Option<CstInputValue> {
    let what = format!(
        "{}containers[] entry for {}",
        scope.prefix, desired.class_name
    );
    let owned = values::owned_fields(desired);
    let Some(&index) = scope.container_by_class.get(&desired.class_name) else {
        let mut fields = vec![("class_name", Value::String(desired.class_name.clone()))];
        fields.extend(owned.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
        ed.push(ChangeKind::Added, what);
        return Some(object_input(fields));
    };
    let existing = &scope.containers[index];
    let entry = entries.get(&desired.class_name)?;
    if let Some(env) = &scope.env {
        upsert_env_entry(scope, env, entry, existing, desired, what, ed);
        return None;
    }

    let mut notes = Vec::new();
    // Where the next missing owned field goes: right after the previous owned field present.
    let mut anchor = entry
        .get("class_name")
        .map(|p| p.property_index() + 1)
        .unwrap_or(0);
    for (key, want) in owned {
        let have = existing.fields.get(key);
        match (have, want) {
            (have, Some(want)) => {
                set_owned_field(entry, key, have, &want, true, &mut anchor, &mut notes, ed);
            }
            (Some(_), None) if !ed.authorship.wrote(&desired.class_name, key) => {
                ed.hand_set_kept
                    .push((desired.class_name.clone(), key.to_string()));
            }
            (Some(_), None) => {
                remove_owned_field(scope, &desired.class_name, entry, key, &mut notes, ed);
            }
            (None, None) => {}
        }
    }
    push_entry_outcome(ed, what, &notes);
    None
}

/// Brings an environment block's existing entry for `desired` up to date, field by field.
///
/// Contract: a field whose value is the one lunora recorded writing there last run
/// ([`ReconcileInput::env_written`]) follows the definition (updated, or removed when the
/// definition no longer sets it and no comment shares its line). A field the definition sets
/// and the entry lacks is added (wrangler does not inherit it from the top level). Any other
/// value was set by hand and is kept ([`env_values_kept`] reports it). Without a record for the
/// block and class nothing existing is changed or removed.
fn upsert_env_entry(
    scope: &Scope,
    env: &str,
    entry: &CstObject,
    existing: &read::ExistingContainer,
    desired: &DesiredContainer,
    what: String,
    ed: &mut Edits,
) {
    let record = ed
        .authorship
        .env
        .and_then(|r| r.get(env))
        .and_then(|r| r.get(&desired.class_name));
    let recorded = |key: &str, have: &Value| {
        record
            .and_then(|r| r.get(key))
            .is_some_and(|r| values::same(r, have))
    };
    // A block that pins its own image keeps the build context that goes with it.
    let own_image = existing.fields.get("image").is_some_and(|have| {
        !have
            .as_str()
            .is_some_and(|h| values::same_path(h, &desired.image))
            && !recorded("image", have)
    });
    let mut notes = Vec::new();
    let mut anchor = entry
        .get("class_name")
        .map(|p| p.property_index() + 1)
        .unwrap_or(0);
    for (key, want) in values::owned_fields(desired) {
        if own_image && key == "image_build_context" {
            continue;
        }
        let have = existing.fields.get(key);
        match (have, want) {
            (have, Some(want)) => {
                let may_update = have.is_some_and(|have| recorded(key, have));
                if have.is_none() {
                    // A one-line entry spreads over lines: its commas must follow the file.
                    mark_if_one_line(entry, ed);
                }
                set_owned_field(
                    entry,
                    key,
                    have,
                    &want,
                    may_update,
                    &mut anchor,
                    &mut notes,
                    ed,
                );
            }
            (Some(have), None) if recorded(key, have) => {
                remove_owned_field(scope, &desired.class_name, entry, key, &mut notes, ed);
            }
            (Some(_), None) | (None, None) => {}
        }
    }
    push_entry_outcome(ed, what, &notes);
}

/// Brings the owned field `key` of `entry` to `want`, noting what changed. A field the entry
/// lacks is inserted right after the previous owned field present (`anchor`, moved past it); one
/// it has is overwritten when it differs and `may_update` (a value set by hand stays as it is).
#[allow(clippy::too_many_arguments)]
fn set_owned_field(
    entry: &CstObject,
    key: &str,
    have: Option<&Value>,
    want: &Value,
    may_update: bool,
    anchor: &mut usize,
    notes: &mut Vec<String>,
    ed: &mut Edits,
) {
    let Some(have) = have else {
        notes.push(format!("{key} {} added", values::show(want)));
        let index = (*anchor).min(entry.properties().len());
        let prop = entry.insert(index, key, value_to_cst(want));
        ed.written.extend(prop.value());
        *anchor = index + 1;
        return;
    };
    let Some(prop) = entry.get(key) else {
        return;
    };
    if may_update && !values::same(have, want) {
        notes.push(format!(
            "{key} {} → {}",
            values::show(have),
            values::show(want)
        ));
        prop.set_value(value_to_cst(want));
        ed.written.extend(prop.value());
    }
    *anchor = prop.property_index() + 1;
}

/// Removes the owned field `key` of `entry`, which the definition no longer sets. A run never
/// loses a user's comment: a field with a comment on its line stays, and is reported so the user
/// can delete it by hand.
fn remove_owned_field(
    scope: &Scope,
    class: &str,
    entry: &CstObject,
    key: &str,
    notes: &mut Vec<String>,
    ed: &mut Edits,
) {
    let Some(prop) = entry.get(key) else {
        return;
    };
    if has_comment_on_its_line(&prop.clone().into()) {
        ed.kept_commented
            .push((scope.prefix.clone(), class.to_string(), key.to_string()));
    } else {
        notes.push(format!("{key} removed"));
        prop.remove();
    }
}

/// Whether a comment shares `node`'s line: before it, or after it (past its comma).
pub(crate) fn has_comment_on_its_line(node: &CstNode) -> bool {
    let scan = |siblings: &mut dyn Iterator<Item = CstNode>| {
        for sibling in siblings {
            if sibling.is_comment() {
                return true;
            }
            if sibling.is_newline() || !(sibling.is_whitespace() || sibling.is_comma()) {
                return false;
            }
        }
        false
    };
    scan(&mut node.previous_siblings()) || scan(&mut node.next_siblings())
}

/// One migration lunora appends. Only `new_sqlite_classes` today; renames and deletions
/// (`renamed_classes`, `deleted_classes`) are further fields of the same entry.
pub(crate) struct Migration {
    pub(crate) new_sqlite_classes: Vec<String>,
}

/// Appends `migration` to the `migrations` of `obj` (the top level, or an environment block with
/// its own), tagged with the lowest `vN` those migrations do not use. Existing migrations are
/// never edited; nothing is appended when the migration is empty.
pub(crate) fn append_migration(
    obj: &CstObject,
    prefix: &str,
    existing: &Migrations,
    migration: Migration,
    ed: &mut Edits,
) {
    let mut classes = migration.new_sqlite_classes;
    let mut seen = HashSet::new();
    classes.retain(|c| seen.insert(c.clone()));
    if classes.is_empty() {
        return;
    }
    let tag = (1u32..)
        .map(|n| format!("v{n}"))
        .find(|t| !existing.tags.contains(t))
        .unwrap_or_default();
    let entry = object_input(vec![
        (
            "new_sqlite_classes",
            Value::Array(classes.iter().cloned().map(Value::String).collect()),
        ),
        ("tag", Value::String(tag.clone())),
    ]);
    append_all(obj, &["migrations"], vec![entry], ed);
    ed.push(
        ChangeKind::Added,
        format!(
            "{prefix}migrations entry {tag} (new_sqlite_classes {})",
            classes.join(", ")
        ),
    );
}

/// Turns observability on when the file says nothing about it; an explicit choice is kept.
pub(crate) fn ensure_observability(
    root: &CstObject,
    observability: &Observability,
    ed: &mut Edits,
) {
    match observability {
        Observability::Absent => {
            let prop = root.append(
                "observability",
                object_input(vec![
                    ("enabled", Value::Bool(true)),
                    ("head_sampling_rate", Value::from(1)),
                ]),
            );
            ed.written.extend(prop.value());
            ed.push(
                ChangeKind::Added,
                "observability (enabled, head_sampling_rate 1)".into(),
            );
        }
        Observability::NoEnabledKey => {
            if let Some(obs) = root.object_value("observability") {
                obs.insert(0, "enabled", CstInputValue::Bool(true));
                ed.written.push(obs.into());
            }
            ed.push(
                ChangeKind::Updated,
                "observability (enabled true added)".into(),
            );
        }
        Observability::Enabled | Observability::Disabled(_) => {
            ed.push(ChangeKind::Unchanged, "observability".into());
        }
    }
}

/// Reports an entry as unchanged, or as updated with what changed in it.
fn push_entry_outcome(ed: &mut Edits, what: String, notes: &[String]) {
    if notes.is_empty() {
        ed.push(ChangeKind::Unchanged, what);
    } else {
        ed.push(
            ChangeKind::Updated,
            format!("{what} ({})", notes.join(", ")),
        );
    }
}
