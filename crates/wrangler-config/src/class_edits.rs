//! Whole-class edits of the document, as `lunora rename`, `remove` and `adopt` make them: each
//! is one method of [`WranglerConfig`] that edits one CST (parsed once, printed once) and then
//! holds the edited document, like uv's `PyProjectTomlMut`.
//!
//! Contract: a method either succeeds, leaving `self` the edited document (accessors read the
//! new text) and returning what it did in file order, or fails with located errors that point
//! into the text `self` still holds, unchanged. The parts run in the order their changes are
//! listed; the first part that finds errors stops the edit. Applying the same edit again changes
//! nothing and reports only `Unchanged`.

use crate::edit::{self, Rename, Wiring};
use crate::read::Analysis;
use crate::{Change, Edits, WranglerConfig};
use jsonc_parser::cst::CstObject;
use lunora_diagnostic::Diagnostic;

/// One Durable Object class renamed, with its storage, binding and `containers[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassRename {
    pub from: String,
    pub to: String,
    /// `Some((old, new))`: a binding named `old` is renamed `new` (a lunora-derived binding name
    /// following its export); any other binding name is kept.
    pub binding: Option<(String, String)>,
}

type Part<'a> = Box<dyn FnMut(&Analysis, &CstObject, &mut Edits, &mut Vec<Diagnostic>) + 'a>;

impl WranglerConfig {
    /// Renames every class of `renames` as Cloudflare renames a Durable Object class: one
    /// `renamed_classes` migration in every `migrations` array that declares a `from` (see
    /// [`crate::append_rename`]), then each class's bindings ([`crate::move_binding`]), then its
    /// `containers[]` entries, whose container application keeps the name wrangler derived
    /// from the old class ([`crate::move_container_entry`]).
    pub fn rename_classes(
        &mut self,
        renames: &[ClassRename],
    ) -> Result<Vec<Change>, Vec<Diagnostic>> {
        let file = self.file().to_string();
        let pairs: Vec<Rename> = renames
            .iter()
            .map(|r| Rename {
                from: r.from.clone(),
                to: r.to.clone(),
            })
            .collect();
        let mut parts: Vec<Part<'_>> = vec![Box::new(edit::rename_step(&file, &pairs))];
        for r in renames {
            let binding = r.binding.as_ref().map(|(a, b)| (a.as_str(), b.as_str()));
            parts.push(Box::new(edit::binding_step(&file, &r.from, &r.to, binding)));
        }
        for r in renames {
            parts.push(Box::new(edit::entry_step(&file, &r.from, &r.to)));
        }
        self.apply_parts(parts)
    }

    /// Deletes `class` with its data: its `containers[]` entries and bindings go from every
    /// scope ([`crate::remove_wiring`]), and every
    /// `migrations` array that declares it gets a `deleted_classes` migration
    /// ([`crate::append_delete`]), which makes Cloudflare delete its stored data at the next
    /// deploy.
    pub fn delete_class(&mut self, class: &str) -> Result<Vec<Change>, Vec<Diagnostic>> {
        let classes = [class.to_string()];
        let parts: Vec<Part<'_>> = vec![
            Box::new(edit::remove_wiring_step(class, Wiring::ContainerEntry)),
            Box::new(edit::remove_wiring_step(class, Wiring::Binding)),
            Box::new(edit::delete_step(&classes)),
        ];
        self.apply_parts(parts)
    }

    fn apply_parts(&mut self, mut parts: Vec<Part<'_>>) -> Result<Vec<Change>, Vec<Diagnostic>> {
        let out = edit::edit(
            self.text(),
            self.format(),
            self.file(),
            |analysis, root, ed, errors| {
                for part in parts.iter_mut() {
                    part(analysis, root, ed, errors);
                    if !errors.is_empty() {
                        return;
                    }
                }
            },
        )?;
        if out.text != self.text() {
            *self = self.with_text(&out.text)?;
        }
        Ok(out.changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{codes, ChangeKind};

    const CONFIG: &str = r#"{
  "name": "app",
  // the worker's containers
  "containers": [{ "class_name": "AContainer", "image": "./a/Dockerfile" }],
  "durable_objects": { "bindings": [{ "name": "CONTAINER_A", "class_name": "AContainer" }] },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["AContainer"] }],
}
"#;

    fn rename_a_to_b() -> ClassRename {
        ClassRename {
            from: "AContainer".into(),
            to: "BContainer".into(),
            binding: Some(("CONTAINER_A".into(), "CONTAINER_B".into())),
        }
    }

    #[test]
    fn a_rename_is_the_same_text_as_its_three_edits_in_turn() {
        let mut config = WranglerConfig::parse("wrangler.jsonc", CONFIG).unwrap();
        let changes = config.rename_classes(&[rename_a_to_b()]).unwrap();
        let fmt = config.format();
        let step1 = crate::append_rename(
            CONFIG,
            fmt,
            "wrangler.jsonc",
            &[Rename {
                from: "AContainer".into(),
                to: "BContainer".into(),
            }],
        )
        .unwrap();
        let step2 = crate::move_binding(
            &step1.text,
            fmt,
            "wrangler.jsonc",
            "AContainer",
            "BContainer",
            Some(("CONTAINER_A", "CONTAINER_B")),
        )
        .unwrap();
        let step3 = crate::move_container_entry(
            &step2.text,
            fmt,
            "wrangler.jsonc",
            "AContainer",
            "BContainer",
        )
        .unwrap();
        assert_eq!(config.text(), step3.text);
        let chained: Vec<Change> = [step1.changes, step2.changes, step3.changes].concat();
        assert_eq!(changes, chained);
        assert!(config.wires("BContainer") && !config.wires("AContainer"));
        assert!(config.text().contains("// the worker's containers"));

        let again = config.rename_classes(&[rename_a_to_b()]).unwrap();
        assert!(
            again.iter().all(|c| c.kind == ChangeKind::Unchanged),
            "{again:?}"
        );
    }

    #[test]
    fn a_delete_removes_the_wiring_and_ends_the_storage() {
        let mut config = WranglerConfig::parse("wrangler.jsonc", CONFIG).unwrap();
        let changes = config.delete_class("AContainer").unwrap();
        let kinds: Vec<ChangeKind> = changes.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [ChangeKind::Removed, ChangeKind::Removed, ChangeKind::Added]
        );
        assert!(!config.wires("AContainer"));
        assert!(config
            .text()
            .contains(r#""deleted_classes": ["AContainer"]"#));
        assert!(config.text().contains("// the worker's containers"));
    }

    #[test]
    fn a_failed_edit_leaves_the_document_and_points_into_it() {
        let text = CONFIG.replace(
            r#"{ "tag": "v1", "new_sqlite_classes": ["AContainer"] }"#,
            r#"{ "tag": "v1", "new_sqlite_classes": ["AContainer", "BContainer"] }"#,
        );
        let mut config = WranglerConfig::parse("wrangler.jsonc", &text).unwrap();
        let errors = config.rename_classes(&[rename_a_to_b()]).unwrap_err();
        assert_eq!(errors[0].code, codes::RENAME_TARGET_EXISTS);
        let at = errors[0].primary_label().unwrap().span;
        assert_eq!(&text[at.start as usize..at.end as usize], "\"BContainer\"");
        assert_eq!(config.text(), text);
    }
}
