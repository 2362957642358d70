//! End-to-end tests: the real `lunora` binary on copies of the example apps, checked with the
//! real `tsc` and `wrangler` from the root npm workspace (run `npm ci && npm run build` first).

mod support;

mod cli;
mod codegen_example;
mod deploy;
mod dev;
mod generate;
mod safety;
mod untrusted_input;
mod watch;
mod workerd_example;
