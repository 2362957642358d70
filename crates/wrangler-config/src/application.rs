//! Container application names as wrangler 4.86 derives them when `containers[].name` is not
//! set: `<worker name>-<class_name>`, plus `-<env>` inside an environment block (where the worker
//! name is the block's own `name`, not the inherited one), lower-cased, each space a `-`.
//! Cloudflare matches a deploy to an existing application by this name, so a class rename without
//! a pinned `name` would create a second application for the same Durable Object namespace.

/// The application name wrangler uses for `class_name` in a scope whose own worker `name` is
/// `worker_name` (`env`: the environment block's name, `None` at top level).
pub fn derived_application_name(worker_name: &str, class_name: &str, env: Option<&str>) -> String {
    let mut name = format!("{worker_name}-{class_name}");
    if let Some(env) = env {
        name.push('-');
        name.push_str(env);
    }
    name.to_lowercase().replace(' ', "-")
}

/// One application per name: refuses a run after which two `containers[]` entries of a scope
/// would carry the same application name (explicit or derived), since Cloudflare gives a name one
/// application and would fail the deploy after the Worker is uploaded. Located at the entry that
/// has the name already.
pub(crate) fn check_one_application_per_name(
    file: &str,
    targets: &[&crate::read::Scope],
    desired: &[crate::DesiredContainer],
) -> Result<(), Vec<lunora_diagnostic::Diagnostic>> {
    let mut errors = Vec::new();
    for scope in targets {
        let derived = |class: &str| {
            scope
                .worker_name
                .as_deref()
                .map(|w| derived_application_name(w, class, scope.env.as_deref()))
        };
        let explicit = |i: usize| {
            scope.containers[i]
                .fields
                .get("name")
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
        };
        // (class, application name after the run, the entry's span when it exists, lunora's).
        let mut after: Vec<(&str, String, Option<lunora_diagnostic::Span>, bool)> = Vec::new();
        for (i, c) in scope.containers.iter().enumerate() {
            if desired.iter().any(|d| d.class_name == c.class_name) {
                continue;
            }
            if let Some(name) = explicit(i).or_else(|| derived(&c.class_name)) {
                after.push((&c.class_name, name, Some(c.span), false));
            }
        }
        for d in desired {
            let existing = scope.container_by_class.get(&d.class_name).copied();
            // An environment's existing entry is left as it is; others get the definition's name.
            let name = match (scope.env.is_some(), existing) {
                (true, Some(i)) => explicit(i),
                _ => d.name.clone().or_else(|| existing.and_then(explicit)),
            }
            .or_else(|| derived(&d.class_name));
            if let Some(name) = name {
                let span = existing.map(|i| scope.containers[i].span);
                after.push((&d.class_name, name, span, true));
            }
        }
        // Only a clash the run would write is its business; one already in the file is the user's.
        for (i, (class, name, span, ours)) in after.iter().enumerate() {
            let Some((other, _, other_span, _)) = after[..i]
                .iter()
                .find(|(_, n, _, theirs)| n == name && (*ours || *theirs))
            else {
                continue;
            };
            let mut d = lunora_diagnostic::Diagnostic::error(
                crate::codes::DUPLICATE_APPLICATION,
                format!(
                    "`{}containers[]` would have two entries for the container application `{name}`: `{other}` and `{class}`; Cloudflare gives a name one application, so the deploy would fail after the Worker is uploaded",
                    scope.prefix
                ),
            );
            match (other_span, span) {
                (Some(at), Some(second)) => {
                    d = d
                        .with_primary(file, *at, format!("`{name}` is {other}'s"))
                        .with_secondary(file, *second, format!("also `{name}`"));
                }
                (Some(at), None) | (None, Some(at)) => {
                    d = d.with_primary(file, *at, format!("`{name}` is taken here"));
                }
                (None, None) => d = d.with_file(file),
            }
            errors.push(d.with_help(format!(
                "give one of them another application name (`name` in its definition, or `containers[].name` in {file}), or declare the existing container instead of adding a second one"
            )));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_wranglers_rule() {
        assert_eq!(
            derived_application_name("lunora-transcoder-example", "TranscoderContainer", None),
            "lunora-transcoder-example-transcodercontainer"
        );
        assert_eq!(
            derived_application_name("My App", "Sandbox", Some("Staging")),
            "my-app-sandbox-staging"
        );
        // Only spaces are replaced, as wrangler does.
        assert_eq!(derived_application_name("a_b", "C\tD", None), "a_b-c\td");
    }

    fn desired(class: &str, name: Option<&str>) -> crate::DesiredContainer {
        crate::DesiredContainer {
            class_name: class.into(),
            binding: "CONTAINER_X".into(),
            image: "./Dockerfile".into(),
            image_build_context: None,
            image_vars: None,
            instance_type: None,
            max_instances: None,
            name: name.map(str::to_string),
            rollout_step_percentage: None,
            rollout_active_grace_period: None,
        }
    }

    fn run(
        text: &str,
        containers: &[crate::DesiredContainer],
    ) -> Result<String, Vec<lunora_diagnostic::Diagnostic>> {
        crate::reconcile(&crate::ReconcileInput {
            text,
            format: crate::ConfigFormat::Jsonc,
            file: "wrangler.jsonc",
            containers,
            env: None,
            declared_unwired: &[],
            owned: &[],
            written_fields: &std::collections::BTreeMap::new(),
            env_written: &Default::default(),
        })
        .map(|o| o.text)
    }

    const HAND_WIRED: &str = r#"{
  "name": "app",
  "containers": [{ "class_name": "Sandbox", "image": "./Dockerfile", "name": "shared-app" }],
  "durable_objects": { "bindings": [{ "class_name": "Sandbox", "name": "SANDBOX" }] },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["Sandbox"] }],
}
"#;

    /// Regression for "declare-first writes a second containers[] entry whose application name
    /// equals a hand-wired one": refused at the hand-wired entry, nothing written.
    #[test]
    fn a_second_entry_with_a_taken_application_name_is_refused_at_the_first() {
        let errors = run(
            HAND_WIRED,
            &[desired("SandboxContainer", Some("shared-app"))],
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let e = &errors[0];
        assert_eq!(e.code, crate::codes::DUPLICATE_APPLICATION);
        assert!(
            e.message
                .contains("`shared-app`: `Sandbox` and `SandboxContainer`"),
            "{}",
            e.message
        );
        let at = e.primary_label().expect("located").span;
        assert_eq!(
            &HAND_WIRED[at.start as usize..at.start as usize + 14],
            "{ \"class_name\""
        );
    }

    /// A derived name counts as much as an explicit one, in an environment block too.
    #[test]
    fn a_derived_application_name_is_taken_too() {
        let errors = run(HAND_WIRED, &[desired("Other", Some("app-sandbox"))]);
        assert!(
            errors.is_ok(),
            "Sandbox's name is explicit, so app-sandbox is free"
        );
        let text = HAND_WIRED.replace(", \"name\": \"shared-app\"", "");
        let errors = run(&text, &[desired("Other", Some("app-sandbox"))]).unwrap_err();
        assert_eq!(errors[0].code, crate::codes::DUPLICATE_APPLICATION);
        let env = text.replace(
            "  \"migrations\"",
            "  \"env\": { \"s\": { \"name\": \"app\", \"containers\": [{ \"class_name\": \"Sandbox\", \"image\": \"./Dockerfile\", \"name\": \"app-other-s\" }] } },\n  \"migrations\"",
        );
        let errors = run(&env, &[desired("Other", None)]).unwrap_err();
        assert!(
            errors[0].message.contains("`env.s.containers[]`"),
            "{}",
            errors[0].message
        );
    }

    /// Distinct names, and a clash already in the file between two hand-wired entries, are not
    /// this run's business.
    #[test]
    fn distinct_names_and_the_users_own_clash_pass() {
        assert!(run(HAND_WIRED, &[desired("SandboxContainer", None)]).is_ok());
        let clash = HAND_WIRED.replace(
            "\"name\": \"shared-app\" }]",
            "\"name\": \"shared-app\" }, { \"class_name\": \"B\", \"image\": \"./Dockerfile\", \"name\": \"shared-app\" }]",
        );
        assert!(run(&clash, &[desired("C", None)]).is_ok());
    }
}
