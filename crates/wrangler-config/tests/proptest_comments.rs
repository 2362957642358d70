//! Generated JSONC documents with comments in every legal place go through the reconciler: every
//! comment survives, the output parses, and a second pass changes nothing.
//! Case count: `PROPTEST_CASES` (default 64).

use lunora_wrangler_config::{
    reconcile, ChangeKind, ConfigFormat, DesiredContainer, InstanceTypeValue, ReconcileInput,
};
use proptest::prelude::*;
use std::collections::BTreeMap;

const CLASSES: [&str; 3] = ["TranscoderContainer", "ResizerContainer", "ThumbContainer"];
const BINDINGS: [&str; 3] = [
    "CONTAINER_TRANSCODER",
    "CONTAINER_RESIZER",
    "CONTAINER_THUMB",
];

#[derive(Debug, Clone)]
struct Shape {
    /// `containers[]` entries: (class index, max_instances, has a user field).
    containers: Option<Vec<(usize, Option<u32>, bool)>>,
    /// Bindings by class index (always lunora's name for that class, so no conflicts).
    bindings: Option<Vec<usize>>,
    /// Migrations: `None` is a `null` entry, else the classes of `new_sqlite_classes`.
    migrations: Option<Vec<Option<Vec<usize>>>>,
    observability: Option<bool>,
    vars: Option<Vec<u8>>,
    trailing_commas: bool,
    /// Line ending and indentation unit of the whole document.
    crlf: bool,
    indent: &'static str,
    desired: Vec<usize>,
    /// Choices for what goes in each trivia slot, consumed in turn.
    trivia: Vec<u8>,
}

struct Writer<'a> {
    out: String,
    seeds: &'a [u8],
    next_seed: usize,
    next_comment: usize,
    comments: Vec<String>,
    indent: usize,
    unit: &'static str,
    eol: &'static str,
}

impl Writer<'_> {
    fn seed(&mut self) -> u8 {
        let s = self.seeds[self.next_seed % self.seeds.len()];
        self.next_seed += 1;
        s
    }

    fn newline(&mut self) {
        self.out.push_str(self.eol);
        self.out.push_str(&self.unit.repeat(self.indent));
    }

    /// A place where whitespace and comments are legal.
    fn trivia(&mut self) {
        match self.seed() % 8 {
            0 | 1 => {}
            2 => self.out.push(' '),
            3 => self.newline(),
            4 | 5 => {
                let c = format!("/* c{} */", self.next_comment);
                self.next_comment += 1;
                self.out.push(' ');
                self.out.push_str(&c);
                self.out.push(' ');
                self.comments.push(c);
            }
            _ => {
                let c = format!("// c{}", self.next_comment);
                self.next_comment += 1;
                self.out.push(' ');
                self.out.push_str(&c);
                self.comments.push(c);
                self.newline();
            }
        }
    }

    fn string(&mut self, s: &str) {
        self.out.push('"');
        self.out.push_str(s);
        self.out.push('"');
    }

    /// Writes `{ "k": v, … }` with trivia around every token; `items` write the values.
    fn object(&mut self, items: Vec<Item<'_>>, trailing: bool) {
        self.out.push('{');
        self.indent += 1;
        self.trivia();
        let n = items.len();
        for (i, (key, write)) in items.into_iter().enumerate() {
            self.newline();
            self.trivia();
            self.string(&key);
            self.trivia();
            self.out.push(':');
            self.trivia();
            write(self);
            self.trivia();
            if i + 1 < n || trailing {
                self.out.push(',');
                self.trivia();
            }
        }
        self.indent -= 1;
        self.newline();
        self.out.push('}');
    }

    fn array(&mut self, items: Vec<Part<'_>>, trailing: bool) {
        self.out.push('[');
        self.indent += 1;
        self.trivia();
        let n = items.len();
        for (i, write) in items.into_iter().enumerate() {
            self.newline();
            self.trivia();
            write(self);
            self.trivia();
            if i + 1 < n || trailing {
                self.out.push(',');
                self.trivia();
            }
        }
        self.indent -= 1;
        self.newline();
        self.out.push(']');
    }
}

/// Writes one value.
type Part<'a> = Box<dyn Fn(&mut Writer<'_>) + 'a>;
/// Writes one property: key and value writer.
type Item<'a> = (String, Part<'a>);

fn render(shape: &Shape) -> (String, Vec<String>) {
    let mut w = Writer {
        out: String::new(),
        seeds: &shape.trivia,
        next_seed: 0,
        next_comment: 0,
        comments: Vec::new(),
        indent: 0,
        unit: shape.indent,
        eol: if shape.crlf { "\r\n" } else { "\n" },
    };
    let t = shape.trailing_commas;
    w.trivia();
    let mut items: Vec<Item<'_>> = vec![
        (
            "name".into(),
            Box::new(|w: &mut Writer<'_>| w.string("gen // not /* a comment */")),
        ),
        (
            "main".into(),
            Box::new(|w: &mut Writer<'_>| w.string("src/index.js")),
        ),
    ];
    if let Some(vars) = &shape.vars {
        items.push((
            "vars".into(),
            Box::new(move |w: &mut Writer<'_>| {
                let props: Vec<Item<'_>> = vars
                    .iter()
                    .map(|v| {
                        (
                            format!("V{v}"),
                            Box::new(move |w: &mut Writer<'_>| w.out.push_str(&v.to_string()))
                                as Part<'_>,
                        )
                    })
                    .collect();
                w.object(props, t);
            }),
        ));
    }
    if let Some(containers) = &shape.containers {
        items.push((
            "containers".into(),
            Box::new(move |w: &mut Writer<'_>| {
                let entries: Vec<Part<'_>> = containers
                    .iter()
                    .map(|(class, max, user)| {
                        Box::new(move |w: &mut Writer<'_>| {
                            let mut props: Vec<Item<'_>> = vec![
                                (
                                    "class_name".into(),
                                    Box::new(move |w: &mut Writer<'_>| w.string(CLASSES[*class])),
                                ),
                                (
                                    "image".into(),
                                    Box::new(|w: &mut Writer<'_>| w.string("./old/Dockerfile")),
                                ),
                            ];
                            if let Some(max) = max {
                                props.push((
                                    "max_instances".into(),
                                    Box::new(move |w: &mut Writer<'_>| {
                                        w.out.push_str(&max.to_string())
                                    }),
                                ));
                            }
                            if *user {
                                props.push((
                                    "rollout_kind".into(),
                                    Box::new(|w: &mut Writer<'_>| w.string("full_manual")),
                                ));
                            }
                            w.object(props, t);
                        }) as Part<'_>
                    })
                    .collect();
                w.array(entries, t);
            }),
        ));
    }
    if let Some(bindings) = &shape.bindings {
        items.push((
            "durable_objects".into(),
            Box::new(move |w: &mut Writer<'_>| {
                let inner: Vec<Item<'_>> = vec![(
                    "bindings".into(),
                    Box::new(move |w: &mut Writer<'_>| {
                        let entries: Vec<Part<'_>> = bindings
                            .iter()
                            .map(|class| {
                                Box::new(move |w: &mut Writer<'_>| {
                                    let props: Vec<Item<'_>> = vec![
                                        (
                                            "class_name".into(),
                                            Box::new(move |w: &mut Writer<'_>| {
                                                w.string(CLASSES[*class])
                                            }),
                                        ),
                                        (
                                            "name".into(),
                                            Box::new(move |w: &mut Writer<'_>| {
                                                w.string(BINDINGS[*class])
                                            }),
                                        ),
                                    ];
                                    w.object(props, t);
                                }) as Part<'_>
                            })
                            .collect();
                        w.array(entries, t);
                    }),
                )];
                w.object(inner, t);
            }),
        ));
    }
    if let Some(migrations) = &shape.migrations {
        items.push((
            "migrations".into(),
            Box::new(move |w: &mut Writer<'_>| {
                let entries: Vec<Part<'_>> = migrations
                    .iter()
                    .enumerate()
                    .map(|(i, m)| {
                        Box::new(move |w: &mut Writer<'_>| match m {
                            None => w.out.push_str("null"),
                            Some(classes) => {
                                let props: Vec<Item<'_>> = vec![
                                    (
                                        "tag".into(),
                                        Box::new(move |w: &mut Writer<'_>| {
                                            w.string(&format!("v{}", i * 2 + 1))
                                        }),
                                    ),
                                    (
                                        "new_sqlite_classes".into(),
                                        Box::new(move |w: &mut Writer<'_>| {
                                            let names: Vec<Part<'_>> = classes
                                                .iter()
                                                .map(|c| {
                                                    Box::new(move |w: &mut Writer<'_>| {
                                                        w.string(CLASSES[*c])
                                                    })
                                                        as Part<'_>
                                                })
                                                .collect();
                                            w.array(names, t);
                                        }),
                                    ),
                                ];
                                w.object(props, t);
                            }
                        }) as Part<'_>
                    })
                    .collect();
                w.array(entries, t);
            }),
        ));
    }
    if let Some(enabled) = shape.observability {
        items.push((
            "observability".into(),
            Box::new(move |w: &mut Writer<'_>| {
                let props: Vec<Item<'_>> = vec![(
                    "enabled".into(),
                    Box::new(move |w: &mut Writer<'_>| {
                        w.out.push_str(if enabled { "true" } else { "false" })
                    }),
                )];
                w.object(props, t);
            }),
        ));
    }
    w.object(items, t);
    w.trivia();
    w.out.push_str(w.eol);
    (w.out, w.comments)
}

fn desired(shape: &Shape) -> Vec<DesiredContainer> {
    let mut seen = Vec::new();
    for &i in &shape.desired {
        if !seen.contains(&i) {
            seen.push(i);
        }
    }
    seen.into_iter()
        .map(|i| DesiredContainer {
            class_name: CLASSES[i].into(),
            binding: BINDINGS[i].into(),
            image: format!("./containers/{i}/Dockerfile"),
            image_build_context: None,
            image_vars: None,
            instance_type: Some(InstanceTypeValue::Named("basic".into())),
            max_instances: Some(3),
            name: None,
            rollout_step_percentage: None,
            rollout_active_grace_period: None,
        })
        .collect()
}

fn shape() -> impl Strategy<Value = Shape> {
    let class = 0usize..3;
    (
        proptest::option::of(proptest::collection::vec(
            (class.clone(), proptest::option::of(1u32..10), any::<bool>()),
            0..3,
        )),
        proptest::option::of(proptest::collection::vec(class.clone(), 0..3)),
        proptest::option::of(proptest::collection::vec(
            proptest::option::of(proptest::collection::vec(class.clone(), 0..3)),
            0..3,
        )),
        proptest::option::of(any::<bool>()),
        proptest::option::of(proptest::collection::vec(any::<u8>(), 0..3)),
        (
            any::<bool>(),
            any::<bool>(),
            prop_oneof![Just("  "), Just("    "), Just("\t")],
        ),
        proptest::collection::vec(class, 0..4),
        proptest::collection::vec(any::<u8>(), 1..300),
    )
        .prop_map(
            |(
                containers,
                bindings,
                migrations,
                observability,
                vars,
                (trailing_commas, crlf, indent),
                desired,
                trivia,
            )| Shape {
                // One entry per class: two are a located error (`wrangler/duplicate-container`).
                containers: containers.map(|mut entries| {
                    let mut seen = std::collections::HashSet::new();
                    entries.retain(|(class, _, _)| seen.insert(*class));
                    entries
                }),
                crlf,
                indent,
                bindings,
                migrations,
                observability,
                vars,
                trailing_commas,
                desired,
                trivia,
            },
        )
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn comments_survive_and_second_pass_is_a_no_op(shape in shape()) {
        let (text, comments) = render(&shape);
        let containers = desired(&shape);
        // Owned by lunora (with every field its own), so removing a field the definition
        // dropped is exercised too.
        let owned: Vec<String> = containers.iter().map(|c| c.class_name.clone()).collect();
        let input = ReconcileInput {
            text: &text,
            format: ConfigFormat::Jsonc,
            file: "wrangler.jsonc",
            containers: &containers,
            env: None,
            declared_unwired: &[],
            owned: &owned,
            written_fields: &BTreeMap::new(),
            env_written: &BTreeMap::new(),
        };
        let out = match reconcile(&input) {
            Ok(out) => out,
            Err(errors) => panic!("generated document rejected: {errors:#?}\n{text}"),
        };
        for comment in &comments {
            prop_assert!(out.text.contains(comment.as_str()), "lost `{}`\n--- input\n{}\n--- output\n{}", comment, text, out.text);
        }
        let again = reconcile(&ReconcileInput { text: &out.text, ..input.clone() });
        let again = match again {
            Ok(again) => again,
            Err(errors) => panic!("output does not reconcile: {errors:#?}\n{}", out.text),
        };
        prop_assert_eq!(&again.text, &out.text, "second pass changed the text; input:\n{}", text);
        if shape.crlf {
            prop_assert!(!out.text.replace("\r\n", "").contains('\n'), "a bare LF in a CRLF file:\n{:?}", out.text);
        } else {
            prop_assert!(!out.text.contains('\r'));
        }
        if !containers.is_empty() && shape.indent != "\t" {
            prop_assert!(!out.text.contains('\t'), "a tab in a space-indented file:\n{}", out.text);
        }
        prop_assert!(again.changes.iter().all(|c| c.kind == ChangeKind::Unchanged), "{:?}", again.changes);
    }
}

#[test]
fn sample_document_has_comments_everywhere() {
    let shape = Shape {
        containers: Some(vec![(0, Some(2), true)]),
        bindings: Some(vec![]),
        migrations: Some(vec![None, Some(vec![1])]),
        observability: Some(false),
        vars: Some(vec![]),
        trailing_commas: true,
        crlf: false,
        indent: "  ",
        desired: vec![0, 2],
        trivia: (0..64).map(|i| (i * 5 + 4) as u8).collect(),
    };
    let (text, comments) = render(&shape);
    eprintln!("{text}");
    assert!(comments.len() > 20);
    let containers = desired(&shape);
    let input = ReconcileInput {
        text: &text,
        format: ConfigFormat::Jsonc,
        file: "wrangler.jsonc",
        containers: &containers,
        env: None,
        declared_unwired: &[],
        owned: &[],
        written_fields: &BTreeMap::new(),
        env_written: &BTreeMap::new(),
    };
    let out = reconcile(&input).unwrap();
    eprintln!("{}", out.text);
    for c in &comments {
        assert!(out.text.contains(c.as_str()));
    }
}

/// The line range (byte offsets of the first line's start and the last line's end) of `span`.
fn lines_of(text: &str, span: lunora_diagnostic::Span) -> (usize, usize) {
    let start = text[..span.start as usize].rfind('\n').map_or(0, |i| i + 1);
    let end = text[span.end as usize..]
        .find('\n')
        .map_or(text.len(), |i| span.end as usize + i);
    (start, end)
}

proptest! {
    #![proptest_config(config())]

    /// The typed edits of `lunora rename` / `adopt` (append a rename, move the binding and the
    /// entry) keep every comment; those of `lunora remove --delete-data` keep every comment that is
    /// not inside, or on the lines of, a removed entry. Each result parses, and repeating the
    /// edits changes nothing.
    #[test]
    fn typed_edits_keep_comments(shape in shape(), which in 0usize..3) {
        use lunora_wrangler_config::{append_delete, append_rename, facts, move_binding, move_container_entry, remove_wiring, Rename, Wiring};
        let (text, comments) = render(&shape);
        let from = CLASSES[which];
        let to = "RenamedContainer";
        let f = "wrangler.jsonc";
        let fmt = ConfigFormat::Jsonc;
        let declares = |t: &str| facts(t, f).unwrap().has_storage(from);
        let renamed = append_rename(&text, fmt, f, &[Rename { from: from.into(), to: to.into() }]).unwrap();
        let moved = move_binding(&renamed.text, fmt, f, from, to, Some((BINDINGS[which], "RENAMED"))).unwrap();
        let moved = move_container_entry(&moved.text, fmt, f, from, to).unwrap();
        for comment in &comments {
            prop_assert!(moved.text.contains(comment.as_str()), "rename lost `{}`\n--- input\n{}\n--- output\n{}", comment, text, moved.text);
        }
        prop_assert!(!declares(&moved.text), "{} still has storage after the rename:\n{}", from, moved.text);
        let again = append_rename(&moved.text, fmt, f, &[Rename { from: from.into(), to: to.into() }]).unwrap();
        let again = move_binding(&again.text, fmt, f, from, to, Some((BINDINGS[which], "RENAMED"))).unwrap();
        let again = move_container_entry(&again.text, fmt, f, from, to).unwrap();
        prop_assert_eq!(&again.text, &moved.text);

        // Removal: comments on the lines of the removed entries may go with them, no other.
        let before = facts(&text, f).unwrap();
        let doomed: Vec<(usize, usize)> = before.scopes.iter().flat_map(|s| {
            s.containers.iter().filter(|c| c.class_name == from).map(|c| c.span)
                .chain(s.bindings.iter().filter(|b| b.class_name == from).map(|b| b.span))
        }).map(|span| lines_of(&text, span)).collect();
        let removed = remove_wiring(&text, fmt, f, from, Wiring::ContainerEntry).unwrap();
        let removed = remove_wiring(&removed.text, fmt, f, from, Wiring::Binding).unwrap();
        let removed = append_delete(&removed.text, fmt, f, &[from.to_string()]).unwrap();
        for comment in &comments {
            let at = text.find(comment.as_str()).unwrap();
            if doomed.iter().any(|(s, e)| (*s..=*e).contains(&at)) {
                continue;
            }
            prop_assert!(removed.text.contains(comment.as_str()), "removal lost `{}`\n--- input\n{}\n--- output\n{}", comment, text, removed.text);
        }
        let after = facts(&removed.text, f).unwrap();
        prop_assert!(after.scopes_wiring(from).next().is_none(), "{} still wired:\n{}", from, removed.text);
        prop_assert!(!after.has_storage(from));
    }
}
