//! The stages of a parsed Dockerfile with their variables resolved for given build arguments:
//! base image and platform, EXPOSEd ports, ENTRYPOINT and CMD, and the chain of stages the one
//! that runs is built on.

use super::*;
use std::collections::BTreeMap;

/// What a stage is built on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// An earlier stage, by index.
    Stage(usize),
    /// An image pulled from a registry (it may EXPOSE ports and set ENTRYPOINT/CMD itself).
    Image(String),
    /// `scratch`: nothing inherited.
    Scratch,
    /// The image name depends on an unknown variable.
    Unknown,
}

/// The platform named by a `FROM --platform=…` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Platform {
    /// No flag, or `$TARGETPLATFORM`: whatever the build targets.
    Target,
    /// A platform string after substitution (`linux/amd64`, `linux/arm64`, …).
    Named(String),
    /// Depends on the build machine (`$BUILDPLATFORM`) or an unknown variable.
    Unknown,
}

/// The ports one EXPOSE word opens: a range and a protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExposedPorts {
    pub first: u16,
    pub last: u16,
    pub tcp: bool,
}

/// An EXPOSE instruction: its index and its ports, or `None` when a word is unknowable.
#[derive(Debug, Clone)]
pub struct Expose {
    pub instruction: usize,
    pub ports: Option<Vec<ExposedPorts>>,
}

/// One build stage and what it sets.
#[derive(Debug, Clone)]
pub struct Stage {
    /// Index of its `FROM`.
    pub from: usize,
    pub name: Option<String>,
    pub base: Base,
    pub platform: Platform,
    /// The `--platform` flag's span in the source, when there is one.
    pub platform_span: Option<Span>,
    pub exposes: Vec<Expose>,
    /// Index of the last `ENTRYPOINT`, and of the last `CMD`, of this stage.
    pub entrypoint: Option<usize>,
    pub cmd: Option<usize>,
}

/// A Dockerfile with its stages resolved for one set of build arguments.
#[derive(Debug, Clone)]
pub struct Build<'d> {
    pub dockerfile: &'d Dockerfile,
    pub stages: Vec<Stage>,
    /// The instruction at which the [`Budget`] ran out: substitutions from there on are
    /// unknown.
    pub over_budget: Option<usize>,
}

/// Names BuildKit defines in the global scope for `FROM` lines; their values depend on the build.
const PLATFORM_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// Resolves stages, substitutions and EXPOSEs with `build_args` (wrangler's `image_vars`, passed
/// as `--build-arg`) overriding `ARG` defaults.
pub fn resolve<'d>(dockerfile: &'d Dockerfile, build_args: &BTreeMap<String, String>) -> Build<'d> {
    resolve_within(dockerfile, build_args, &Budget::new(Budget::UNITS))
}

/// [`resolve`] within `budget`. Linear in the Dockerfile's size plus the budget.
pub fn resolve_within<'d>(
    dockerfile: &'d Dockerfile,
    build_args: &BTreeMap<String, String>,
    budget: &Budget,
) -> Build<'d> {
    let escape = dockerfile.escape;
    let mut over_budget = None;
    // The first stage of each name (`FROM x AS name` refers to the first).
    let mut stage_names: std::collections::HashMap<String, usize> = Default::default();
    let mut global: BTreeMap<String, Var> = BTreeMap::new();
    let mut stages: Vec<Stage> = Vec::new();
    // Per stage: variables visible at the current point, and what a name nobody declared is.
    let mut env: BTreeMap<String, Var> = BTreeMap::new();
    let mut stage_envs: Vec<(BTreeMap<String, Var>, Var)> = Vec::new();
    let mut undeclared = Var::Unknown;

    for (idx, ins) in dockerfile.instructions.iter().enumerate() {
        if over_budget.is_none() && budget.spent() {
            over_budget = Some(idx.saturating_sub(1));
        }
        let in_stage = !stages.is_empty();
        match ins.keyword.as_str() {
            "ARG" => {
                for (_, word) in ins.words() {
                    let (name, default) = match word.split_once('=') {
                        Some((n, d)) => (n.to_string(), Some(d.to_string())),
                        None => (word.to_string(), None),
                    };
                    let value = if let Some(v) = build_args.get(&name) {
                        Var::Value(v.clone())
                    } else if let Some(d) = default {
                        let scope = |n: &str| {
                            if in_stage {
                                lookup(&env, &undeclared, n)
                            } else {
                                global_lookup(&global, n)
                            }
                        };
                        match expand(&d, escape, &scope, budget) {
                            Some(v) => Var::Value(v),
                            None => Var::Unknown,
                        }
                    } else if in_stage {
                        // `ARG NAME` in a stage takes the global value, if any.
                        match global.get(&name) {
                            Some(v @ Var::Value(_)) => v.clone(),
                            _ => Var::Unknown,
                        }
                    } else {
                        Var::Unknown
                    };
                    if in_stage {
                        env.insert(name, value);
                    } else {
                        global.insert(name, value);
                    }
                }
            }
            "FROM" => {
                if !stages.is_empty() {
                    stage_envs.push((std::mem::take(&mut env), undeclared.clone()));
                }
                let (flags, rest_at) = ins.flags();
                let words = ins.words();
                let scope = |n: &str| global_lookup(&global, n);
                let image = words
                    .get(rest_at)
                    .and_then(|(_, w)| expand(w, escape, &scope, budget));
                let name = match (words.get(rest_at + 1), words.get(rest_at + 2)) {
                    (Some((_, as_kw)), Some((_, n))) if as_kw.eq_ignore_ascii_case("as") => {
                        Some(n.to_ascii_lowercase())
                    }
                    _ => None,
                };
                let base = match image {
                    None => Base::Unknown,
                    Some(img) => {
                        let lower = img.to_ascii_lowercase();
                        if let Some(&i) = stage_names.get(&lower) {
                            Base::Stage(i)
                        } else if lower == "scratch" {
                            Base::Scratch
                        } else {
                            Base::Image(img)
                        }
                    }
                };
                let flag = flags.iter().find(|f| f.name == "platform");
                let platform = match flag.and_then(|f| f.value.as_deref()) {
                    None => Platform::Target,
                    Some(v)
                        if is_target_platform_ref(v) && !global.contains_key("TARGETPLATFORM") =>
                    {
                        Platform::Target
                    }
                    Some(v) => match expand(v, escape, &scope, budget) {
                        Some(p) => Platform::Named(p),
                        None => Platform::Unknown,
                    },
                };
                let platform_span = flag.map(|f| ins.span_of(f.range.clone()));
                // Variables a stage starts with: its base stage's ENV (ARGs do not carry over).
                let (inherited, und) = match &base {
                    Base::Stage(i) => stage_envs
                        .get(*i)
                        .filter(|(e, _)| !budget.spent() && budget.charge(env_cost(e)))
                        .map(|(e, u)| (env_only(e), u.clone()))
                        .unwrap_or((BTreeMap::new(), Var::Unknown)),
                    Base::Scratch => (BTreeMap::new(), Var::Unset),
                    Base::Image(_) | Base::Unknown => (BTreeMap::new(), Var::Unknown),
                };
                env = inherited;
                undeclared = und;
                if let Some(n) = &name {
                    stage_names.entry(n.clone()).or_insert(stages.len());
                }
                stages.push(Stage {
                    from: idx,
                    name,
                    base,
                    platform,
                    platform_span,
                    exposes: Vec::new(),
                    entrypoint: None,
                    cmd: None,
                });
            }
            "ENV" if in_stage => {
                let words = ins.words();
                // Every value sees the variables as they were before this instruction.
                let mut set: Vec<(String, Var)> = Vec::new();
                {
                    let scope = |n: &str| lookup(&env, &undeclared, n);
                    let legacy = words.first().is_some_and(|(_, w)| !w.contains('='));
                    if legacy {
                        // `ENV NAME value with spaces`
                        if let Some((range, name)) = words.first() {
                            let value = ins.args[range.end..].trim();
                            let v = expand(value, escape, &scope, budget)
                                .map_or(Var::Unknown, Var::Value);
                            set.push((format!("{ENV_MARK}{name}"), v));
                        }
                    } else {
                        for (_, word) in &words {
                            if let Some((name, value)) = word.split_once('=') {
                                let v = expand(value, escape, &scope, budget)
                                    .map_or(Var::Unknown, Var::Value);
                                set.push((format!("{ENV_MARK}{name}"), v));
                            }
                        }
                    }
                }
                env.extend(set);
            }
            "EXPOSE" if in_stage => {
                let scope = |n: &str| lookup(&env, &undeclared, n);
                let ports = ins
                    .words()
                    .iter()
                    .map(|(_, w)| expand(w, escape, &scope, budget).and_then(|w| exposed_ports(&w)))
                    .collect::<Option<Vec<_>>>();
                if let Some(stage) = stages.last_mut() {
                    stage.exposes.push(Expose {
                        instruction: idx,
                        ports,
                    });
                }
            }
            "ENTRYPOINT" if in_stage => {
                if let Some(stage) = stages.last_mut() {
                    stage.entrypoint = Some(idx);
                }
            }
            "CMD" if in_stage => {
                if let Some(stage) = stages.last_mut() {
                    stage.cmd = Some(idx);
                }
            }
            _ => {}
        }
    }
    if over_budget.is_none() && budget.spent() {
        over_budget = dockerfile.instructions.len().checked_sub(1);
    }
    Build {
        dockerfile,
        stages,
        over_budget,
    }
}

/// What copying a stage's ENV into a stage built on it costs: one unit per variable and per
/// byte of value.
fn env_cost(vars: &BTreeMap<String, Var>) -> usize {
    vars.iter()
        .filter(|(k, _)| k.starts_with(ENV_MARK))
        .map(|(k, v)| {
            1 + k.len()
                + match v {
                    Var::Value(v) => v.len(),
                    _ => 0,
                }
        })
        .sum()
}

/// ENV entries are stored under this prefix so they shadow ARGs of the same name.
const ENV_MARK: &str = "\u{0}env:";

fn env_only(vars: &BTreeMap<String, Var>) -> BTreeMap<String, Var> {
    vars.iter()
        .filter(|(k, _)| k.starts_with(ENV_MARK))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn lookup(vars: &BTreeMap<String, Var>, undeclared: &Var, name: &str) -> Var {
    if let Some(v) = vars.get(&format!("{ENV_MARK}{name}")) {
        return v.clone();
    }
    vars.get(name)
        .cloned()
        .unwrap_or_else(|| undeclared.clone())
}

fn global_lookup(global: &BTreeMap<String, Var>, name: &str) -> Var {
    match global.get(name) {
        Some(v) => v.clone(),
        None if PLATFORM_ARGS.contains(&name) => Var::Unknown,
        // Only global ARGs are visible to FROM; anything else expands to nothing.
        None => Var::Unset,
    }
}

/// `$TARGETPLATFORM` or `${TARGETPLATFORM}`.
fn is_target_platform_ref(v: &str) -> bool {
    let v = v.trim_matches('"');
    v == "$TARGETPLATFORM" || v == "${TARGETPLATFORM}"
}

/// `8080`, `8080/tcp`, `8000-8010/udp`.
fn exposed_ports(word: &str) -> Option<ExposedPorts> {
    let (range, proto) = match word.split_once('/') {
        Some((r, p)) => (r, p.to_ascii_lowercase()),
        None => (word, "tcp".to_string()),
    };
    let (first, last) = match range.split_once('-') {
        Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
        None => {
            let p = range.parse().ok()?;
            (p, p)
        }
    };
    Some(ExposedPorts {
        first,
        last,
        tcp: proto == "tcp",
    })
}

impl Build<'_> {
    /// The stage that runs: the last one (wrangler builds without `--target`).
    pub fn final_stage(&self) -> Option<usize> {
        self.stages.len().checked_sub(1)
    }

    /// The final stage and the stages it is built on, final first.
    pub fn chain(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut seen = vec![false; self.stages.len()];
        let mut cur = self.final_stage();
        while let Some(i) = cur {
            if std::mem::replace(&mut seen[i], true) {
                break;
            }
            out.push(i);
            cur = match self.stages[i].base {
                Base::Stage(b) => Some(b),
                _ => None,
            };
        }
        out
    }

    /// What the chain of the final stage is rooted in.
    pub fn root(&self) -> Option<&Stage> {
        self.chain().last().map(|&i| &self.stages[i])
    }

    pub fn instruction(&self, idx: usize) -> &Instruction {
        &self.dockerfile.instructions[idx]
    }
}
