//! Tests of the worker-module reader.

use super::*;

#[test]
fn export_names_for_hand_written_classes() {
    for (class, export) in [
        ("MyContainer", "my"),
        ("Sandbox", "sandbox"),
        ("FUSEDemo", "fuseDemo"),
        ("APIContainer", "api"),
        ("MyHTTPServer", "myHTTPServer"),
        ("HTTPServerContainer", "httpServer"),
        ("Container", "container"),
        ("XContainer", "x"),
        ("S3Sync", "s3Sync"),
        ("TranscoderContainer", "transcoder"),
    ] {
        assert_eq!(export_name_for_class(class), export, "{class}");
    }
}

const TEMPLATE: &str = r#"import { Container, getContainer, getRandom } from "@cloudflare/containers";
import { Hono } from "hono";

const PORT = 8080;

// The container class.
export class MyContainer extends Container<Env> {
  // Port the container listens on (default: 8080)
  defaultPort = PORT;
  // Time before container sleeps due to inactivity (default: 30s)
  sleepAfter = "2m";
  // Environment variables passed to the container
  envVars = {
    MESSAGE: "I was passed in via the container class!",
  };

  // Optional lifecycle hooks
  override onStart() {
    console.log("Container successfully started");
  }

  override onStop() {
    console.log("Container successfully shut down");
  }
}

export class Plain extends Container {
  defaultPort = 3000;
  enableInternet = false;
  entrypoint = ["node", "server.js"] as const;
}

class NotAContainer {}

export default {
  fetch: (r: Request, env: Env) => getContainer(env.MY_CONTAINER).fetch(r),
};
"#;

#[test]
fn reads_the_cloudflare_template() {
    let m = hand_written_classes(TEMPLATE, "src/index.ts").unwrap();
    assert_eq!(m.classes.len(), 2);
    let c = &m.classes[0];
    assert_eq!(c.name, "MyContainer");
    assert!(c.exported_inline && !c.exported_separately);
    let fields: Vec<(&str, &StaticValue)> = c
        .fields
        .iter()
        .map(|f| (f.key, f.value.as_ref().unwrap()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("defaultPort", &StaticValue::Num(8080.0)),
            ("sleepAfter", &StaticValue::Str("2m".into())),
            (
                "env",
                &StaticValue::Object(vec![(
                    "MESSAGE".into(),
                    StaticValue::Str("I was passed in via the container class!".into())
                )])
            ),
        ]
    );
    let own: Vec<(&str, MemberKind)> = c
        .own_code
        .iter()
        .map(|o| (o.name.as_str(), o.kind))
        .collect();
    assert_eq!(
        own,
        vec![("onStart", MemberKind::Hook), ("onStop", MemberKind::Hook)]
    );
    assert_eq!(c.leading_comments.len(), 1);
    assert_eq!(c.leading_comments[0].text, "// The container class.");
    assert!(c
        .inner_comments
        .iter()
        .any(|k| k.text == "// Optional lifecycle hooks"));
    assert!(&TEMPLATE[c.statement_span.start as usize..].starts_with("export class MyContainer"));
    assert!(TEMPLATE[..c.statement_span.end as usize].ends_with(");\n  }\n}"));

    let p = &m.classes[1];
    assert!(p.own_code.is_empty(), "{:?}", p.own_code);
    assert_eq!(p.fields.len(), 3);
    // `Container` is used only by the classes; `getContainer` elsewhere too.
    let outside = |name: &str| {
        m.references[name].iter().any(|s| {
            !m.classes
                .iter()
                .any(|c| c.statement_span.start <= s.start && s.end <= c.statement_span.end)
        })
    };
    assert!(!outside("Container"));
    assert!(outside("getContainer"));
    assert!(!m.references.contains_key("getRandom"));
    assert_eq!(m.imports[0].specifiers.len(), 3);
}

#[test]
fn dynamic_values_constructors_and_aliases_are_own_code() {
    let src = r#"import * as cf from "@cloudflare/containers";
import { Container as Base } from "@cloudflare/containers";
let port = 1;
export class A extends cf.Container {
  defaultPort = port;
  envVars = { TOKEN: this.env.OTHER };
  manualStart = true;
  constructor(ctx: any, env: any) { super(ctx, env); }
  static x = 1;
  #secret = 2;
  get status() { return 1; }
}
class B extends Base {}
export { B };
class C extends Other {}
"#;
    let m = hand_written_classes(src, "w.ts").unwrap();
    assert_eq!(m.classes.len(), 2);
    let a = &m.classes[0];
    let kinds: Vec<MemberKind> = a.own_code.iter().map(|o| o.kind).collect();
    assert_eq!(
        kinds,
        vec![
            MemberKind::DynamicField,
            MemberKind::DynamicField,
            MemberKind::Field,
            MemberKind::Constructor,
            MemberKind::Static,
            MemberKind::Private,
            MemberKind::Getter
        ]
    );
    assert!(a.own_code[0].why.as_deref().unwrap().contains("`let`"));
    let b = &m.classes[1];
    assert!(!b.exported_inline && b.exported_separately);
}

/// `X: this.env.X` in `envVars` is the secret `X`; the rest of the object stays `env`.
#[test]
fn env_reads_under_their_own_name_are_secrets() {
    let src = "import { Container } from \"@cloudflare/containers\";\nexport class A extends Container {\n  envVars = { TOKEN: this.env.TOKEN, MODE: \"x\", DB: this.env.DATABASE_URL };\n}\n";
    let m = hand_written_classes(src, "w.ts").unwrap();
    let a = &m.classes[0];
    let secrets = a
        .fields
        .iter()
        .find(|f| f.key == "secrets")
        .expect("secrets");
    assert_eq!(
        secrets.value,
        Ok(StaticValue::Array(vec![StaticValue::Str("TOKEN".into())]))
    );
    // `DB` reads another name: not a secret of its own name, so the value stays dynamic.
    assert_eq!(a.own_code.len(), 1, "{:?}", a.own_code);
    let src = src.replace(", DB: this.env.DATABASE_URL", "");
    let m = hand_written_classes(&src, "w.ts").unwrap();
    let a = &m.classes[0];
    assert!(a.own_code.is_empty(), "{:?}", a.own_code);
    let env = a.fields.iter().find(|f| f.key == "env").expect("env");
    assert_eq!(
        env.value,
        Ok(StaticValue::Object(vec![(
            "MODE".into(),
            StaticValue::Str("x".into())
        )]))
    );
}

/// What adopt needs to follow a worker's layout: re-exports (named, aliased, default, and
/// import-then-export), the names each class is exported under, the `cf-containers` base,
/// and what other classes extend.
#[test]
fn reads_re_exports_aliases_and_other_bases() {
    let src = r#"import { Container } from "cf-containers";
import Dflt from "./dflt";
import { Named as Local } from "./named";
import type { T } from "./types";
import { DurableObject } from "cloudflare:workers";
export { Sandbox } from "./sandbox";
export { default as Other, X as Y } from "./other";
export { Dflt, Local as Renamed };
class Impl extends Container {}
export { Impl as Api };
export default class Main extends Container {}
export class Plain extends DurableObject {}
"#;
    let m = hand_written_classes(src, "src/index.ts").unwrap();
    let re: Vec<(&str, &str, &str)> = m
        .re_exports
        .iter()
        .map(|r| (r.exported.as_str(), r.imported.as_str(), r.module.as_str()))
        .collect();
    assert_eq!(
        re,
        vec![
            ("Sandbox", "Sandbox", "./sandbox"),
            ("Other", "default", "./other"),
            ("Y", "X", "./other"),
            ("Dflt", "default", "./dflt"),
            ("Renamed", "Named", "./named"),
        ]
    );
    let classes: Vec<(&str, Vec<&str>)> = m
        .classes
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.exported_as.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        classes,
        vec![("Impl", vec!["Api"]), ("Main", vec!["default"])]
    );
    assert_eq!(m.other_classes.len(), 1);
    let plain = &m.other_classes[0];
    assert_eq!(plain.exported_as, vec!["Plain".to_string()]);
    assert_eq!(
        plain.extends,
        Some((
            "DurableObject".to_string(),
            Some("cloudflare:workers".to_string())
        ))
    );
}

#[test]
fn a_module_that_does_not_parse_is_an_error() {
    assert!(hand_written_classes("export class {", "w.ts").is_err());
}
