//! Every command reads the wrangler config the same way (issue 21): one document, parsed once per
//! run, with one strictness. These ran apart before: codegen accepted a byte order mark that
//! doctor called a parse error, dev missed `enable_containers: false` after a mark, lenient
//! readers accepted an unquoted key that reconciliation rejected, and doctor reported a config
//! error as "lunora/containers.ts has 1 error".

use crate::support::{Fakes, TempProject};

/// The example's config with a byte order mark in front.
fn with_bom(p: &TempProject) {
    let text = p.read("wrangler.jsonc");
    p.write("wrangler.jsonc", &format!("\u{feff}{text}"));
}

#[test]
fn a_byte_order_mark_is_read_the_same_by_codegen_doctor_and_dev() {
    let p = TempProject::example("transcoder");
    with_bom(&p);
    p.lunora(&["codegen"]).assert_code(0);
    assert!(p.read("wrangler.jsonc").starts_with('\u{feff}'));
    p.lunora(&["codegen", "--check"]).assert_code(0);

    let doctor = p.lunora_env(&["doctor"], &[("WRANGLER_DOCKER_BIN", "/bin/true")]);
    doctor.assert_code(0);
    assert!(
        doctor
            .stdout
            .contains("✓ wrangler-config  wrangler.jsonc (compatibility_date 2026-04-01)"),
        "{}",
        doctor.stdout
    );
    assert!(
        !doctor.stdout.contains("does not parse"),
        "{}",
        doctor.stdout
    );
}

#[test]
fn dev_sees_enable_containers_false_in_a_config_with_a_byte_order_mark() {
    let p = TempProject::example_bare("transcoder");
    p.write(
        "wrangler.jsonc",
        &p.read("wrangler.jsonc").replace(
            "\"observability\": {",
            "\"dev\": { \"enable_containers\": false },\n  \"observability\": {",
        ),
    );
    with_bom(&p);
    let f = Fakes::new().set("FAKE_DOCKER_EXIT", "1");
    let run = p.lunora_env(&["dev"], &f.envs());
    run.assert_code(0);
    assert!(!run.all().contains("Docker"), "{}", run.all());
    assert!(!run.all().contains("doctor/"), "{}", run.all());
    assert_eq!(f.log(), "wrangler dev\n");
}

/// `"main"` written without quotes: line 7, column 3 of the example's config.
fn with_unquoted_key(p: &TempProject) {
    let text = p.read("wrangler.jsonc");
    assert!(text.lines().nth(6).unwrap().starts_with("  \"main\":"));
    p.write("wrangler.jsonc", &text.replacen("\"main\":", "main:", 1));
}

#[test]
fn an_unquoted_key_is_rejected_the_same_way_by_every_command() {
    let p = TempProject::example("transcoder");
    p.lunora(&["codegen"]).assert_code(0);
    with_unquoted_key(&p);
    let before = p.snapshot();
    for args in [
        &["codegen"][..],
        &["codegen", "--check"][..],
        &["rename", "transcoder", "encoder"][..],
        &["remove", "transcoder"][..],
        &["adopt"][..],
        &["deploy", "--dry-run"][..],
        &["dev"][..],
    ] {
        let run = p.lunora_env(args, &Fakes::new().envs());
        run.assert_code(1);
        assert!(
            run.stderr.contains("error[wrangler/parse-error]"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("--> wrangler.jsonc:7:3"),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(p.snapshot(), before, "{args:?} wrote something");
    }
}

#[test]
fn doctor_reports_a_config_that_does_not_parse_as_a_config_error() {
    let p = TempProject::example("transcoder");
    with_unquoted_key(&p);
    let run = p.lunora_env(&["doctor"], &[("WRANGLER_DOCKER_BIN", "/bin/true")]);
    run.assert_code(1);
    assert!(
        run.stdout
            .contains("✗ wrangler-config  wrangler.jsonc does not parse"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("(wrangler.jsonc:7:3)"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("lunora/containers.ts has"),
        "{}",
        run.stdout
    );
    // The same file with a byte order mark: the position is the same.
    with_bom(&p);
    let run = p.lunora_env(&["doctor"], &[("WRANGLER_DOCKER_BIN", "/bin/true")]);
    run.assert_code(1);
    assert!(
        run.stdout.contains("(wrangler.jsonc:7:3)"),
        "{}",
        run.stdout
    );
}
