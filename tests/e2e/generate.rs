//! `lunora generate lunora-container`: the scaffold passes codegen and the real tsc, existing
//! text is kept, and every refusal writes nothing.

use crate::support::TempProject;

#[test]
fn scaffold_in_the_example_passes_codegen_and_tsc() {
    let p = TempProject::example("transcoder");
    let before_ts = p.read("lunora/containers.ts");
    let before_entry = p.read("src/server/index.ts");
    let run = p.lunora(&[
        "generate",
        "lunora-container",
        "--name=image-resizer",
        "--port",
        "3000",
    ]);
    run.assert_code(0);
    assert!(run.stdout.contains("Next steps"), "{}", run.stdout);

    let dockerfile = p.read("containers/image-resizer/Dockerfile");
    assert!(
        dockerfile.contains("FROM --platform=linux/amd64 "),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("\nEXPOSE 3000\n"), "{dockerfile}");
    assert!(
        dockerfile.contains("ENTRYPOINT [\"node\", \"server.mjs\"]"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("# Exec form"),
        "the reasons are comments: {dockerfile}"
    );
    let server = p.read("containers/image-resizer/server.mjs");
    assert!(
        server.contains("process.on(\"SIGTERM\"") && server.contains("3000"),
        "{server}"
    );

    let ts = p.read("lunora/containers.ts");
    assert!(
        ts.starts_with(&before_ts),
        "existing text kept byte for byte:\n{ts}"
    );
    assert!(
        ts.contains("export const imageResizer = defineContainer({"),
        "{ts}"
    );
    assert!(ts.contains("image: \"./containers/image-resizer\""), "{ts}");
    assert!(ts.contains("defaultPort: 3000"), "{ts}");
    assert_eq!(
        p.read("src/server/index.ts"),
        before_entry,
        "the re-export was already there"
    );

    let cfg = p.read("wrangler.jsonc");
    assert!(
        cfg.contains("\"ImageResizerContainer\"") && cfg.contains("CONTAINER_IMAGE_RESIZER"),
        "{cfg}"
    );
    p.lunora(&["codegen", "--check"]).assert_code(0);
    let tsc = p.npm_tool("tsc", &["--noEmit", "-p", "tsconfig.json"], &[]);
    assert_eq!(tsc.code, 0, "tsc rejected the scaffold:\n{}", tsc.all());
}

#[test]
fn scaffold_creates_containers_ts_and_adds_the_reexport() {
    let p = TempProject::example("transcoder");
    std::fs::remove_file(p.path().join("lunora/containers.ts")).unwrap();
    // An entry without containers: no re-export, no handles import.
    let plain = "// Worker entry.\nimport { helper } from \"./transcode\";\n\nexport default {\n  async fetch(): Promise<Response> {\n    void helper;\n    return new Response(\"ok\");\n  },\n};\n";
    p.write("src/server/index.ts", plain);
    p.write("src/server/transcode.ts", "export const helper = 1;\n");
    std::fs::remove_dir_all(p.path().join("containers/transcoder")).unwrap();

    p.lunora(&["generate", "lunora-container", "--name=transcoder"])
        .assert_code(0);
    let ts = p.read("lunora/containers.ts");
    assert!(
        ts.contains("import { defineContainer } from \"@lunora/container\";\n"),
        "{ts}"
    );
    assert!(
        ts.contains("export const transcoder = defineContainer({"),
        "{ts}"
    );
    let new_entry = p.read("src/server/index.ts");
    assert_eq!(
        new_entry,
        plain.replace(
            "import { helper } from \"./transcode\";\n",
            "import { helper } from \"./transcode\";\nexport * from \"../../lunora/_generated/containers\";\n"
        )
    );
    // Once only: a second container does not add it again.
    p.lunora(&["generate", "lunora-container", "--name=thumbnailer"])
        .assert_code(0);
    assert_eq!(p.read("src/server/index.ts"), new_entry);
    p.lunora(&["codegen", "--check"]).assert_code(0);
    let tsc = p.npm_tool("tsc", &["--noEmit", "-p", "tsconfig.json"], &[]);
    assert_eq!(tsc.code, 0, "tsc rejected the scaffold:\n{}", tsc.all());
}

#[test]
fn scaffold_uses_an_aliased_import_and_adds_a_missing_one() {
    let p = TempProject::example_bare("transcoder");
    let aliased = p
        .read("lunora/containers.ts")
        .replace(
            "import { defineContainer } from \"@lunora/container\";",
            "import { defineContainer as container } from \"@lunora/container\";",
        )
        .replace("= defineContainer(", "= container(");
    p.write("lunora/containers.ts", &aliased);
    p.lunora(&["generate", "lunora-container", "--name=worker"])
        .assert_code(0);
    let ts = p.read("lunora/containers.ts");
    assert!(ts.starts_with(&aliased));
    assert!(ts.contains("export const worker = container({"), "{ts}");
    assert_eq!(ts.matches("@lunora/container").count(), 1, "{ts}");

    // A file without the import (nothing declared yet) gets it, after the leading comment.
    let q = TempProject::example_bare("transcoder");
    let original = "// lunora/containers.ts\nexport const VERSION = \"1\";\n";
    q.write("lunora/containers.ts", original);
    q.lunora(&["generate", "lunora-container", "--name=worker"])
        .assert_code(0);
    let ts = q.read("lunora/containers.ts");
    assert!(
        ts.starts_with("// lunora/containers.ts\nimport { defineContainer } from \"@lunora/container\";\nexport const VERSION = \"1\";\n"),
        "{ts}"
    );
    q.lunora(&["codegen", "--check"]).assert_code(0);
}

#[test]
fn refusals_write_nothing() {
    let p = TempProject::example_bare("transcoder");
    let ts = p.read("lunora/containers.ts");
    p.write(
        "lunora/containers.ts",
        &format!("{ts}\nexport const image_resizer = defineContainer({{ image: {{ registry: \"docker.io/acme/r:1\" }} }});\nexport const helperValue = 1;\nconst helperConst = 2;\nvoid helperConst;\n"),
    );
    p.lunora(&["codegen"]).assert_code(0);
    std::fs::create_dir_all(p.path().join("containers/thumbnailer")).unwrap();
    let before = p.snapshot();
    let cases: &[(&str, &str)] = &[
        ("--name=", "empty"),
        ("--name=a/b", "path separators"),
        ("--name=..", "path separators"),
        ("--name=..%2f", "path separators"),
        ("--name=x\\y", "path separators"),
        ("--name=3d", "JavaScript identifier"),
        ("--name=class", "reserved word"),
        ("--name=constructor", "cannot name a container"),
        ("--name=con", "reserved device name"),
        ("--name=transcoder", "already exports `transcoder`"),
        ("--name=helper-value", "already exports `helperValue`"),
        // Declared but not exported: a second declaration would not compile.
        ("--name=helper-const", "already declares `helperConst`"),
        ("--name=imageResizer", "binding CONTAINER_IMAGE_RESIZER"),
        (
            "--name=thumbnailer",
            "containers/thumbnailer already exists",
        ),
    ];
    for (arg, why) in cases {
        let run = p.lunora(&["generate", "lunora-container", arg]);
        assert_ne!(run.code, 0, "{arg} was accepted");
        assert!(
            run.stderr.contains(why),
            "{arg}: expected `{why}` in\n{}",
            run.stderr
        );
        assert!(p.snapshot() == before, "{arg} wrote something");
    }
}

#[test]
fn refuses_while_containers_ts_has_errors() {
    let p = TempProject::example_bare("transcoder");
    p.write(
        "lunora/containers.ts",
        &p.read("lunora/containers.ts")
            .replace("maxInstances: 5", "maxInstances: -1"),
    );
    let before = p.snapshot();
    let run = p.lunora(&["generate", "lunora-container", "--name=worker"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("has errors"), "{}", run.stderr);
    assert!(p.snapshot() == before);
}

// Regression (issue 10): `--name=ffmpeg2Pass` exported `ffmpeg2pass` with the binding
// `CONTAINER_FFMPEG2PASS`; Lunora's generator keeps the export `ffmpeg2Pass`, scaffolds
// containers/ffmpeg2-pass and binds CONTAINER_FFMPEG2_PASS.
#[test]
fn generate_ffmpeg2pass_keeps_lunoras_names() {
    let p = TempProject::example_bare("transcoder");
    p.lunora(&["generate", "lunora-container", "--name=ffmpeg2Pass"])
        .assert_code(0);
    let ts = p.read("lunora/containers.ts");
    assert!(
        ts.contains("export const ffmpeg2Pass = defineContainer({"),
        "{ts}"
    );
    assert!(ts.contains("image: \"./containers/ffmpeg2-pass\""), "{ts}");
    assert!(p.exists("containers/ffmpeg2-pass/Dockerfile"));
    let cfg = p.read("wrangler.jsonc");
    assert!(
        cfg.contains("\"Ffmpeg2PassContainer\"") && cfg.contains("\"CONTAINER_FFMPEG2_PASS\""),
        "{cfg}"
    );
    p.lunora(&["codegen", "--check"]).assert_code(0);
}

// Issue 12: a `--name` from which no valid container name follows is a usage error (exit 2),
// like an unknown flag, and writes nothing.
#[test]
fn generate_refuses_names_no_container_can_have_with_exit_2() {
    let p = TempProject::example_bare("transcoder");
    let before = p.snapshot();
    for (arg, why) in [
        ("--name=", "empty"),
        ("--name=ñandú", "use letters, digits"),
        ("--name=$", "use letters, digits"),
        ("--name=__proto__", "start it with a letter"),
        ("--name=a__", "`_` must join two words"),
        ("--name=to-string", "`toString` cannot name a container"),
        ("--name=CON", "reserved device name"),
        ("--name=class", "reserved word"),
    ] {
        let run = p.lunora(&["generate", "lunora-container", arg]);
        assert_eq!(run.code, 2, "{arg}: {}", run.all());
        assert!(
            run.stderr.contains(why),
            "{arg}: expected `{why}` in\n{}",
            run.stderr
        );
        assert!(p.snapshot() == before, "{arg} wrote something");
    }
}

#[test]
fn r12_generate_put_the_reexport_inside_a_template_or_comment() {
    let p = TempProject::example("transcoder");
    std::fs::remove_file(p.path().join("lunora/containers.ts")).unwrap();
    std::fs::remove_dir_all(p.path().join("containers/transcoder")).unwrap();
    p.write("src/server/transcode.ts", "export const helper = 1;\n");
    // Lines that start with `import` inside a template literal and a block comment, after the
    // real imports: a line-based search put the re-export in there and said "updated".
    let entry = "import { helper } from \"./transcode\";\n\
                 const banner = `\nimport nothing from \"here\";\n`;\n\
                 /*\nimport { alsoNothing } from \"there\";\n*/\n\
                 export default {\n  async fetch(): Promise<Response> {\n    void helper;\n    return new Response(banner);\n  },\n};\n";
    p.write("src/server/index.ts", entry);
    let run = p.lunora(&["generate", "lunora-container", "--name=transcoder"]);
    run.assert_code(0);
    assert_eq!(
        p.read("src/server/index.ts"),
        entry.replace(
            "import { helper } from \"./transcode\";\n",
            "import { helper } from \"./transcode\";\nexport * from \"../../lunora/_generated/containers\";\n"
        )
    );
    assert!(run.all().contains("src/server/index.ts"), "{}", run.all());
    // codegen sees the re-export: the class is wired, and the entry type-checks.
    let cfg = p.read("wrangler.jsonc");
    assert!(cfg.contains("\"TranscoderContainer\""), "{cfg}");
    p.lunora(&["codegen", "--check"]).assert_code(0);
    let tsc = p.npm_tool("tsc", &["--noEmit", "-p", "tsconfig.json"], &[]);
    assert_eq!(tsc.code, 0, "tsc rejected the entry:\n{}", tsc.all());
}

#[test]
fn r12_generate_put_the_import_inside_a_template() {
    let p = TempProject::example_bare("transcoder");
    // No import of defineContainer yet, and a template whose line looks like one.
    let original =
        "export const NOTE = `\nimport { defineContainer } from \"@lunora/container\";\n`;\n";
    p.write("lunora/containers.ts", original);
    p.lunora(&["generate", "lunora-container", "--name=worker"])
        .assert_code(0);
    let ts = p.read("lunora/containers.ts");
    assert!(
        ts.starts_with(&format!(
            "import {{ defineContainer }} from \"@lunora/container\";\n{original}"
        )),
        "{ts}"
    );
    p.lunora(&["codegen", "--check"]).assert_code(0);
}

#[test]
fn unimported_definitions_count_once_generate_adds_the_import() {
    // Found by the `generate` fuzz target: a file calling `defineContainer` without importing
    // it. Adding the import makes those calls containers: fine when they are valid, refused
    // (nothing written) when they are not.
    let p = TempProject::example_bare("transcoder");
    p.write(
        "lunora/containers.ts",
        "export const early = defineContainer({ image: { registry: \"docker.io/acme/e:1\" } });\n",
    );
    p.lunora(&["generate", "lunora-container", "--name=worker"])
        .assert_code(0);
    let ts = p.read("lunora/containers.ts");
    assert!(
        ts.starts_with(
            "import { defineContainer } from \"@lunora/container\";\nexport const early"
        ),
        "{ts}"
    );
    assert!(
        ts.contains("export const worker = defineContainer({"),
        "{ts}"
    );

    let q = TempProject::example_bare("transcoder");
    q.write(
        "lunora/containers.ts",
        "export const broken = defineContainer({ image: 5 });\n",
    );
    let before = q.snapshot();
    let run = q.lunora(&["generate", "lunora-container", "--name=worker"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("without importing it")
            && run.stderr.contains("containers/wrong-type at line 2"),
        "{}",
        run.stderr
    );
    assert!(q.snapshot() == before, "a refused generate wrote something");
}
