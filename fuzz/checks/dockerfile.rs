//! The `dockerfile` fuzz target's oracle.
//!
//! Contract, for arbitrary text as a container's Dockerfile: parsing, resolving (with and
//! without build arguments) and linting never panic; every label of every finding lies inside
//! the text it names, on a character boundary; and the work is bounded: resolving within a
//! small budget costs no more than that budget plus the input (a budget that runs out says
//! where, at an instruction that exists).

use lunora_advisor::dockerfile::{parse, resolve, resolve_within, Budget};
use lunora_advisor::{lint_dockerfile, DockerfileText};
use std::collections::BTreeMap;

const CONTAINERS_TS: &str = "lunora/containers.ts";
const DOCKERFILE: &str = "containers/app/Dockerfile";
const DEFINITION: &str = "import { defineContainer } from \"@lunora/container\";\n\nexport const app = defineContainer({\n  image: \"./containers/app\",\n  enableInternet: false,\n  defaultPort: 8080,\n  buildArgs: { PORT: \"8080\", BASE: \"node:22\" },\n});\n";

pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parsed = parse(&text);
    for args in [
        BTreeMap::new(),
        BTreeMap::from([("PORT".to_string(), "3000".to_string())]),
    ] {
        let build = resolve(&parsed, &args);
        if let Some(idx) = build.over_budget {
            assert!(idx < parsed.instructions.len(), "budget note past the end");
        }
        let _ = build.chain();
        let small = Budget::new(64);
        let bounded = resolve_within(&parsed, &args, &small);
        if let Some(idx) = bounded.over_budget {
            assert!(idx < parsed.instructions.len(), "budget note past the end");
        }
    }

    let out = lunora_parser::parse_containers(DEFINITION, CONTAINERS_TS);
    let spec = out
        .containers
        .first()
        .expect("the fixed definition is valid");
    let diagnostics = lint_dockerfile(
        DockerfileText {
            file: DOCKERFILE,
            text: &text,
        },
        &[spec],
        CONTAINERS_TS,
    );
    for d in &diagnostics {
        for label in &d.labels {
            let source: &str = match label.file.as_str() {
                DOCKERFILE => &text,
                CONTAINERS_TS => DEFINITION,
                other => panic!("a label in an unknown file {other}"),
            };
            let (start, end) = (label.span.start as usize, label.span.end as usize);
            assert!(
                start <= end && end <= source.len(),
                "label {start}..{end} outside {} bytes of {}",
                source.len(),
                label.file
            );
            assert!(
                source.is_char_boundary(start) && source.is_char_boundary(end),
                "label {start}..{end} inside a character of {}",
                label.file
            );
        }
    }
}
