//! `containers/missing-image`, `containers/empty-image`, `containers/invalid-image`,
//! `containers/invalid-image-path`, `containers/registry-string-image`: the `image` field.
//!
//! Catches a container without `image`, an empty path, registry reference or build directory,
//! an `image` object with both or neither of `registry` and `build`, a path written with `\`,
//! and a string `image` that looks like a registry reference (`"nginx:1.27"`). Why: `image` is
//! what wrangler deploys; a string is always a local path (a Dockerfile or a directory holding
//! one), so a registry reference written as a string would be looked for on disk. The checks of
//! the reference itself are in [`super::registry`].
//!
//! Invalid:
//! ```ts invalid containers/missing-image
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ defaultPort: 8080, enableInternet: false });
//! ```
//!
//! ```ts invalid containers/empty-image
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "", enableInternet: false });
//! ```
//!
//! ```ts invalid containers/invalid-image
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: { registry: "docker.io/acme/app:1.0", build: "./app" }, enableInternet: false });
//! ```
//!
//! ```ts invalid containers/invalid-image-path
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: ".\\containers\\app", enableInternet: false });
//! ```
//!
//! ```ts invalid containers/registry-string-image
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "nginx:1.27", enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./containers/app", enableInternet: false });
//! export const web = defineContainer({ image: { build: "./services/web" }, enableInternet: false });
//! ```

use super::super::{example, quoted, Checker};
use super::registry::{
    self, looks_like_registry_reference, qualified_docker_hub_reference, registry_host,
};
use crate::codes::{
    EMPTY_IMAGE, INVALID_IMAGE, INVALID_IMAGE_PATH, MISSING_IMAGE, REGISTRY_STRING_IMAGE,
};
use crate::eval::{Kind, Prop, Value};
use crate::model::ImageSource;
use crate::rules::IMAGE_KEYS;
use lunora_diagnostic::Span;

fn message_missing(export_name: &str) -> String {
    format!("container `{export_name}` has no `image`")
}

fn help_missing() -> String {
    format!("add {}", example("image"))
}

fn message_empty(what: &str) -> String {
    format!("`{what}` is empty")
}

fn help_empty() -> String {
    format!("write {}", example("image"))
}

fn message_backslash(what: &str) -> String {
    format!("`{what}` uses `\\` in a path")
}

fn help_backslash(path: &str) -> String {
    format!(
        "use `/` as the separator: {}",
        quoted(&path.replace('\\', "/"))
    )
}

fn message_registry_string(image: &str) -> String {
    format!(
        "`image: {}` looks like a registry reference, but a string image is a local path",
        quoted(image)
    )
}

fn help_registry_string(qualified: &str) -> String {
    format!("write `image: {{ registry: {} }}`", quoted(qualified))
}

const MESSAGE_BOTH: &str = "`image` sets both `registry` and `build`";
const HELP_BOTH: &str = "keep one: `{ registry: \"…:tag\" }` for a pre-built image, `{ build: \"./dir\" }` for Railpack";
const MESSAGE_NEITHER: &str = "`image` object needs `registry` or `build`";
const EXPECTED: &str = "a path string, `{ registry }` or `{ build }`";

/// The image of container `export_name` (`prop` is its `image` key, if written), or `None`
/// after reporting. A missing `image` is not reported when an unreadable spread may set it
/// (`incomplete`).
pub(crate) fn check(
    c: &mut Checker<'_>,
    prop: Option<&Prop>,
    export_name: &str,
    name_span: Span,
    incomplete: bool,
) -> Option<ImageSource> {
    match prop {
        Some(p) => check_source(c, &p.value),
        None if incomplete => None,
        None => {
            c.error_at(
                MISSING_IMAGE,
                message_missing(export_name),
                name_span,
                help_missing(),
            );
            None
        }
    }
}

/// `containers/app/` → `./containers/app`; absolute paths stay absolute.
fn normalise_path(path: &str) -> String {
    let absolute = path.starts_with('/');
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_string()
    } else {
        format!("./{joined}")
    }
}

fn image_path_ok(c: &mut Checker<'_>, path: &str, value: &Value, what: &str) -> bool {
    if path.trim().is_empty() {
        c.error(EMPTY_IMAGE, message_empty(what), value, help_empty());
        return false;
    }
    if path.contains('\\') {
        c.error(
            INVALID_IMAGE_PATH,
            message_backslash(what),
            value,
            help_backslash(path),
        );
        return false;
    }
    true
}

/// The image source at `value` (present), or `None` after reporting.
fn check_source(c: &mut Checker<'_>, value: &Value) -> Option<ImageSource> {
    match c.present("image", "image", value, true)? {
        Kind::Str(s) => {
            if !image_path_ok(c, s, value, "image") {
                return None;
            }
            if looks_like_registry_reference(s) {
                let qualified = match registry_host(s) {
                    Some(_) => s.to_string(),
                    None => qualified_docker_hub_reference(s),
                };
                c.error(
                    REGISTRY_STRING_IMAGE,
                    message_registry_string(s),
                    value,
                    help_registry_string(&qualified),
                );
                return None;
            }
            Some(ImageSource::Local {
                path: normalise_path(s),
            })
        }
        Kind::Object(props) => {
            let mut source = None;
            let mut ok = true;
            for prop in props {
                match prop.key.as_str() {
                    "registry" => {
                        let Some(r) = c.string("image.registry", "image", &prop.value, true) else {
                            ok = false;
                            continue;
                        };
                        if r.trim().is_empty() {
                            c.error(
                                EMPTY_IMAGE,
                                message_empty("image.registry"),
                                &prop.value,
                                help_empty(),
                            );
                            ok = false;
                        } else if !registry::check(c, r, &prop.value) {
                            ok = false;
                        } else if source.is_none() {
                            source = Some(ImageSource::Registry {
                                reference: r.to_string(),
                            });
                        }
                    }
                    "build" => {
                        let Some(dir) = c.string("image.build", "image", &prop.value, true) else {
                            ok = false;
                            continue;
                        };
                        if !image_path_ok(c, dir, &prop.value, "image.build") {
                            ok = false;
                        } else if source.is_none() {
                            source = Some(ImageSource::Build {
                                dir: normalise_path(dir),
                            });
                        }
                    }
                    _ => {
                        c.unknown_key(prop, "`image`", IMAGE_KEYS);
                        ok = false;
                    }
                }
            }
            let has = |k: &str| props.iter().any(|p| p.key == k);
            if has("registry") && has("build") {
                c.error(INVALID_IMAGE, MESSAGE_BOTH, value, HELP_BOTH);
                return None;
            }
            if source.is_none() && ok {
                c.error(INVALID_IMAGE, MESSAGE_NEITHER, value, help_empty());
            }
            if ok {
                source
            } else {
                None
            }
        }
        _ => {
            c.wrong_type("image", "image", EXPECTED, value);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    documented_examples!("image.rs");

    #[test]
    fn paths_are_normalised() {
        assert_eq!(normalise_path("containers/app/"), "./containers/app");
        assert_eq!(normalise_path("./a/./b"), "./a/b");
        assert_eq!(normalise_path("/abs/dir/"), "/abs/dir");
        assert_eq!(normalise_path("."), ".");
    }
}
