//! The one writer of a `defineContainer({ … })` definition, for `lunora generate` (the scaffold)
//! and `lunora adopt` (a hand-wired class's settings): rendered from `templates/definition.ts.jinja`.
//! Keys and values arrive as TypeScript source (the caller renders each value); comments are
//! whole comment texts (`// …` or `/* … */`), kept as written.

use serde::Serialize;

/// One `key: value,` line, with the comment lines above it and a comment after it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DefinitionField {
    /// Comment lines above the field, each written on its own line.
    pub comments: Vec<String>,
    pub key: String,
    /// The value as TypeScript source.
    pub value: String,
    /// A comment at the end of the field's line.
    pub comment: Option<String>,
}

impl DefinitionField {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> DefinitionField {
        DefinitionField {
            key: key.into(),
            value: value.into(),
            ..Default::default()
        }
    }

    pub fn with_comment(mut self, comment: impl Into<String>) -> DefinitionField {
        self.comment = Some(comment.into());
        self
    }
}

/// `export const <export_name> = <define_ident>({ … });`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Definition {
    /// Comment lines above the export (its doc comment).
    pub doc: Vec<String>,
    pub export_name: String,
    /// How the file calls `defineContainer` (`defineContainer`, an alias, `ns.defineContainer`).
    pub define_ident: String,
    pub fields: Vec<DefinitionField>,
    /// Comment lines after the last field, inside the object.
    pub footer: Vec<String>,
}

/// The definition's text, without a trailing newline.
pub fn render_definition(definition: &Definition) -> String {
    let out = crate::templates()
        .get_template("definition.ts")
        .and_then(|t| {
            t.render(minijinja::value::Value::from(minijinja::value::Serde(
                definition,
            )))
        })
        .expect("the definition template renders");
    out.trim_end_matches('\n').to_string()
}

/// The definition `lunora generate lunora-container` scaffolds for `export_name`, whose files
/// are in `containers/<kebab_name>/` and whose server listens on `port`.
pub fn scaffold_definition(
    export_name: &str,
    kebab_name: &str,
    port: u16,
    define_ident: &str,
) -> String {
    let image =
        serde_json::to_string(&format!("./containers/{kebab_name}")).expect("a string serializes");
    render_definition(&Definition {
        export_name: export_name.to_string(),
        define_ident: define_ident.to_string(),
        fields: vec![
            DefinitionField::new("image", image)
                .with_comment("// directory with a Dockerfile, or { registry: \"…:tag\" }"),
            DefinitionField::new("defaultPort", port.to_string()),
            DefinitionField::new("instanceType", "\"basic\"")
                .with_comment("// lite | basic | standard-1..4 | { vcpu, memoryMib, diskMb }"),
            DefinitionField::new("maxInstances", "3"),
            DefinitionField::new("sleepAfter", "\"5m\""),
            DefinitionField::new("enableInternet", "false")
                .with_comment("// set true to allow outbound connections (egress is billed)"),
        ],
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scaffold is byte for byte what `lunora generate` wrote from its own template before
    /// the two definition writers became one.
    #[test]
    fn the_scaffold_is_unchanged() {
        assert_eq!(
            scaffold_definition("imageResizer", "image-resizer", 8080, "defineContainer"),
            "export const imageResizer = defineContainer({\n  image: \"./containers/image-resizer\", // directory with a Dockerfile, or { registry: \"…:tag\" }\n  defaultPort: 8080,\n  instanceType: \"basic\", // lite | basic | standard-1..4 | { vcpu, memoryMib, diskMb }\n  maxInstances: 3,\n  sleepAfter: \"5m\",\n  enableInternet: false, // set true to allow outbound connections (egress is billed)\n});"
        );
        // The fuzz oracle's copy of the scaffold (it cannot depend on this crate) is this text.
        let oracle = include_str!("../../../fuzz/checks/generate.rs");
        let ours = scaffold_definition("{name}", "fuzz", 8080, "{ident}");
        assert!(
            oracle.contains(&format!("{ours:?}")),
            "fuzz/checks/generate.rs: {ours:?}"
        );
    }

    #[test]
    fn comments_above_after_and_at_the_end() {
        let text = render_definition(&Definition {
            doc: vec!["/** One sandbox per user. */".into()],
            export_name: "sandbox".into(),
            define_ident: "dc".into(),
            fields: vec![DefinitionField {
                comments: vec!["// Labels for metrics.".into()],
                ..DefinitionField::new("labels", "{ team: \"a\" }").with_comment("// why")
            }],
            footer: vec!["// the end".into()],
        });
        assert_eq!(
            text,
            "/** One sandbox per user. */\nexport const sandbox = dc({\n  // Labels for metrics.\n  labels: { team: \"a\" }, // why\n  // the end\n});"
        );
    }
}
