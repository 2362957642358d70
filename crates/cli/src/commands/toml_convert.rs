//! `lunora adopt --convert-toml`: a project configured by `wrangler.toml` gets the same config
//! as `wrangler.jsonc` (see [`lunora_wrangler_config::toml`]), planned with the adoption and
//! written in the same transaction. The TOML file is left as it is: wrangler reads
//! `wrangler.jsonc` before `wrangler.toml`, so it stops being read, and stays as the backup.

use crate::project::Project;
use anyhow::Result;
use lunora_diagnostic::{Diagnostic, Sources};
use lunora_project::WranglerFile;

pub const WRANGLER_TOML: &str = "wrangler.toml";
const CONVERTED: &str = "wrangler.jsonc";

pub enum Outcome {
    /// The project has a JSON config, or no wrangler config at all.
    NotToml,
    /// Why not, with the sources the diagnostics point into.
    Refused(Vec<Diagnostic>, Sources),
    /// The converted config, to be written as `wrangler.jsonc`.
    Converted(WranglerFile),
}

/// The config adopt works on in a `wrangler.toml` project: the converted one with `convert`,
/// else a refusal that says how to convert.
pub fn converted_config(project: &Project, convert: bool) -> Result<Outcome> {
    if project.wrangler_file()?.is_some() {
        return Ok(Outcome::NotToml);
    }
    let Some(text) = project.read(WRANGLER_TOML)? else {
        return Ok(Outcome::NotToml);
    };
    let mut sources = Sources::new();
    sources.insert(WRANGLER_TOML, text.clone());
    if !convert {
        return Ok(Outcome::Refused(
            vec![Diagnostic::error(
                lunora_project::codes::ADOPT_REFUSED,
                "the project is configured by wrangler.toml, and lunora reads and edits only wrangler.jsonc or wrangler.json",
            )
            .with_file(WRANGLER_TOML)
            .with_help("run `lunora adopt --convert-toml`: it converts wrangler.toml to wrangler.jsonc (every key and comment kept) and adopts in the same step; wrangler.toml stays as it is, and wrangler reads wrangler.jsonc first from then on (add `--dry-run` to see the result first)")],
            sources,
        ));
    }
    match lunora_wrangler_config::toml::toml_to_jsonc(&text, WRANGLER_TOML) {
        Ok(jsonc) => Ok(Outcome::Converted(WranglerFile {
            rel: CONVERTED.to_string(),
            text: jsonc,
            ignored: Some(WRANGLER_TOML.to_string()),
        })),
        Err(errors) => Ok(Outcome::Refused(errors, sources)),
    }
}
