//! End-to-end tests: the real `lunora` binary on copies of the example apps, checked with the
//! real `tsc` and `wrangler` from the root npm workspace (run `npm ci && npm run build` first).

mod support;

mod a_week_later;
mod adopt;
mod advisor;
mod cli;
mod codegen_example;
mod config_agreement;
mod container_logs;
mod deploy;
mod dev;
mod doctor;
mod echo_example;
mod generate;
mod migrations;
mod npm_install;
mod onboarding;
mod ownership;
mod reconcile;
mod safety;
mod untrusted_input;
mod watch;
mod workerd_example;
