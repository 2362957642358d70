//! The Dockerfile reader and lints are total: any text (unterminated `${`, a trailing escape,
//! heredocs without an end, multibyte characters, CR line ends) lints without panicking, and
//! every label lies inside the text it names.

use lunora_advisor::{lint_dockerfile, DockerfileText};
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "FROM ",
    "from ",
    "EXPOSE ",
    "ARG ",
    "ENV ",
    "ENTRYPOINT ",
    "CMD ",
    "RUN ",
    "COPY ",
    "AS ",
    "--platform=",
    "linux/amd64",
    "linux/arm64",
    "$BUILDPLATFORM",
    "${TARGETPLATFORM}",
    "node:22",
    "scratch",
    "base",
    "8080",
    "3000-3010/tcp",
    "/udp",
    "$PORT",
    "${PORT:-9}",
    "${",
    "}",
    "PORT=1",
    "[\"node\", \"a\"]",
    "['x']",
    "[",
    "\"",
    "'",
    "\\",
    "`",
    "# escape=`",
    "# c",
    "<<EOF",
    "<<-E",
    "EOF",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "é",
    "日本",
    "\u{feff}",
    "exec ",
    "=",
    "-",
];

fn dockerfile() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|v| v.concat())
}

fn spec() -> lunora_parser::ContainerSpec {
    let ts = "import { defineContainer } from \"@lunora/container\";\nexport const app = defineContainer({ image: \"./c/app\", defaultPort: 8080, requiredPorts: [8080, 3005], readyOn: [{ path: \"/r\", port: 9 }], buildArgs: { PORT: \"3000\" }, enableInternet: false });\n";
    lunora_parser::parse_containers(ts, "lunora/containers.ts")
        .containers
        .remove(0)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_text_lints_without_panicking(text in dockerfile()) {
        let c = spec();
        let found = lint_dockerfile(DockerfileText { file: "c/app/Dockerfile", text: &text }, &[&c], "lunora/containers.ts");
        for d in &found {
            for l in d.labels.iter().filter(|l| l.file == "c/app/Dockerfile") {
                prop_assert!(l.span.start <= l.span.end);
                prop_assert!((l.span.end as usize) <= text.len(), "{:?} past the end of {:?}", l.span, text);
                prop_assert!(text.is_char_boundary(l.span.start as usize) && text.is_char_boundary(l.span.end as usize));
            }
        }
    }

    #[test]
    fn arbitrary_bytes_as_text_lint_without_panicking(text in "\\PC{0,200}") {
        let c = spec();
        let _ = lint_dockerfile(DockerfileText { file: "c/app/Dockerfile", text: &text }, &[&c], "lunora/containers.ts");
    }
}
