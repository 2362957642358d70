//! `containers/syntax-error`, `containers/cyclic-reference`, `containers/mutated-const`,
//! `containers/mutable-binding`, `containers/computed-key`, `containers/non-static-spread`,
//! `containers/duplicate-key` (warning): reading the file without running it.
//!
//! Codegen reads `containers.ts` statically: literals, module-scope `const`s (also through
//! spreads, `as const` and `satisfies`), nothing else. Catches a file that does not parse; `const`s
//! that refer back to themselves; a `const` used by a container that the file writes to elsewhere
//! (its value at runtime is not the one written); a shorthand property naming a `let`/`var`; a
//! computed key or a spread that cannot be read; and a key written twice (the last wins). Why:
//! what codegen writes into `wrangler.jsonc` must be what the runtime sees. These rules are
//! reported by the parser (`syntax.rs`) and the static evaluator (`eval.rs`), where their
//! messages are; `containers/too-deeply-nested` and `containers/evaluation-too-large` bound the
//! work on hostile input (`tests/hostile.rs` covers them).
//!
//! Invalid:
//! ```ts invalid containers/syntax-error
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c" ;
//! ```
//!
//! ```ts invalid containers/cyclic-reference
//! import { defineContainer } from "@lunora/container";
//! const a = { ...b };
//! const b = { ...a };
//! export const app = defineContainer({ image: "./c", env: a, enableInternet: false });
//! ```
//!
//! ```ts invalid containers/mutated-const
//! import { defineContainer } from "@lunora/container";
//! const env = { LOG_LEVEL: "info" };
//! env.LOG_LEVEL = "debug";
//! export const app = defineContainer({ image: "./c", env, enableInternet: false });
//! ```
//!
//! ```ts invalid containers/mutable-binding
//! import { defineContainer } from "@lunora/container";
//! let env = { LOG_LEVEL: "info" };
//! export const app = defineContainer({ image: "./c", env, enableInternet: false });
//! ```
//!
//! ```ts invalid containers/computed-key
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./c", env: { [name()]: "1" }, enableInternet: false });
//! ```
//!
//! ```ts invalid containers/non-static-spread
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ ...defaults(), image: "./c", enableInternet: false });
//! ```
//!
//! ```ts invalid containers/duplicate-key
//! import { defineContainer } from "@lunora/container";
//! export const app = defineContainer({ image: "./a", image: "./c", enableInternet: false });
//! ```
//!
//! Valid:
//! ```ts valid
//! import { defineContainer } from "@lunora/container";
//! const base = { enableInternet: false, env: { LOG_LEVEL: "info" } } as const;
//! export const app = defineContainer({ ...base, image: "./c", ["sleepAfter"]: "5m" });
//! ```

#[cfg(test)]
mod tests {
    documented_examples!("static_evaluation.rs");
}
