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
}
