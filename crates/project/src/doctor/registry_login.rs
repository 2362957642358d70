//! The `registry-login` check (`doctor` and `dev`): whether `wrangler dev` will need a Cloudflare
//! login for the declared images, said before it starts.
//!
//! What wrangler 4.86 does (`node_modules/wrangler/wrangler-dist/cli.js`): when `wrangler dev`
//! resolves its config, every `containers[]` image that is not a Dockerfile — a registry
//! reference (`docker.io/…`, ECR, the Cloudflare Registry) and so also the Cloudflare Registry tag
//! lunora writes for a `{ build }` image — is namespaced with the account id
//! (`getNormalizedContainerOptions` → `resolveImageName(await getAccountId(config), …)`), and
//! wrangler then asks Cloudflare for registry credentials (`fillOpenAPIConfiguration` →
//! `requireAuth`). Neither step looks at `--enable-containers=false` or
//! `dev.enable_containers`, and an `account_id` in the config skips only the first. Without a
//! login, `wrangler dev` stops with "Not logged in." (or asks for `CLOUDFLARE_API_TOKEN` in CI).
//! A Dockerfile image needs no login, so the way out is a local Dockerfile `FROM` the image
//! (the spec's "Local development").
//!
//! Whether the user is logged in is told from what wrangler itself reads, without running it or
//! touching the network: `CLOUDFLARE_API_TOKEN` (or `CLOUDFLARE_API_KEY` with
//! `CLOUDFLARE_EMAIL`), or the OAuth file `wrangler login` writes (`<config dir>/config/default.toml`,
//! the config dir being `~/.wrangler` when it exists, else `.wrangler` in the platform's config
//! directory). An expired login cannot be told offline; the check says where it found it.

use super::{ids, Check, Probes};
use crate::plan::Plan;
use crate::project::Project;
use crate::text::name_list;
use lunora_diagnostic::printable;
use std::path::PathBuf;

/// `None` when no declared (and wired) container has an image `wrangler dev` resolves against
/// the account.
pub(super) fn registry_login_check(
    project: &Project,
    plan: &Plan,
    probes: &dyn Probes,
) -> Option<Check> {
    let images: Vec<(&str, String)> = plan
        .containers
        .iter()
        .filter(|c| {
            !plan
                .missing_reexports
                .iter()
                .any(|m| m.class_name == c.class_name)
        })
        .filter_map(|c| Some((c.export_name.as_str(), crate::registry_image(c)?)))
        .collect();
    if images.is_empty() {
        return None;
    }
    let names: Vec<&str> = images.iter().map(|(n, _)| *n).collect();
    let described: Vec<String> = images
        .iter()
        .map(|(n, image)| format!("`{n}` ({})", printable(image)))
        .collect();
    if let Some(how) = cloudflare_login(project, probes) {
        return Some(Check::ok(
            ids::REGISTRY_LOGIN,
            format!(
                "`wrangler dev` resolves the registry image{} of {} with your Cloudflare login ({how})",
                if images.len() == 1 { "" } else { "s" },
                name_list(&names)
            ),
        ));
    }
    let (name, image) = &images[0];
    Some(Check::failed(
        ids::REGISTRY_LOGIN,
        format!(
            "`wrangler dev` needs a Cloudflare login for {}, even with `--enable-containers=false`: wrangler resolves every registry image against your account before the dev server starts, and stops with \"Not logged in.\" without one",
            described.join(", ")
        ),
        format!(
            "log in with `npx wrangler login` (or set CLOUDFLARE_API_TOKEN); or develop against a local Dockerfile, which needs no login: a Dockerfile with `FROM --platform=linux/amd64 {}` and `image: \"./containers/{}\"` pointing at its directory (`lunora deploy` then builds it)",
            printable(image),
            lunora_naming::kebab_for(name)
        ),
    ))
}

/// How the user is logged in to Cloudflare for wrangler, if they are, as shown to them.
fn cloudflare_login(project: &Project, probes: &dyn Probes) -> Option<String> {
    if probes.env("CLOUDFLARE_API_TOKEN").is_some() {
        return Some("CLOUDFLARE_API_TOKEN is set".to_string());
    }
    if probes.env("CLOUDFLARE_API_KEY").is_some() && probes.env("CLOUDFLARE_EMAIL").is_some() {
        return Some("CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL are set".to_string());
    }
    let file = wrangler_config_dirs(project, probes)
        .into_iter()
        .map(|dir| dir.join("config").join("default.toml"))
        .find(|f| project.fs().is_file(f))?;
    Some(format!("`wrangler login`, {}", file.display()))
}

/// The directories wrangler 4.86 may keep its global config in (`getGlobalWranglerConfigPath`):
/// `~/.wrangler` when it is a directory, else `.wrangler` in the platform's config directory
/// (`$XDG_CONFIG_HOME` or `~/.config` on Linux, `~/Library/Preferences` on macOS, `%APPDATA%` on
/// Windows; the ones that do not exist on this machine are simply not found).
fn wrangler_config_dirs(project: &Project, probes: &dyn Probes) -> Vec<PathBuf> {
    let home = probes
        .env("HOME")
        .or_else(|| probes.env("USERPROFILE"))
        .map(PathBuf::from);
    if let Some(home) = &home {
        let legacy = home.join(".wrangler");
        if project.fs().is_dir(&legacy) {
            return vec![legacy];
        }
    }
    let mut dirs = Vec::new();
    if let Some(xdg) = probes.env("XDG_CONFIG_HOME") {
        dirs.push(PathBuf::from(xdg).join(".wrangler"));
    }
    if let Some(home) = &home {
        dirs.push(home.join(".config").join(".wrangler"));
        dirs.push(home.join("Library").join("Preferences").join(".wrangler"));
    }
    if let Some(appdata) = probes.env("APPDATA") {
        dirs.push(PathBuf::from(appdata).join(".wrangler"));
    }
    dirs
}
