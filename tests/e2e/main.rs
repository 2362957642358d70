//! End-to-end tests: the real `lunora` binary on copies of the example apps, checked with the
//! real `tsc` and `wrangler` from the root npm workspace (run `npm ci && npm run build` first).

mod support;

mod a_week_later;
mod adopt;
mod adopt_kept;
mod adopt_layouts;
mod adopt_toml;
mod advisor;
mod clean_clone;
mod cli;
mod codegen_example;
mod config_agreement;
mod container_logs;
mod containers_command;
mod deploy;
mod dev;
mod dev_processes;
mod doctor;
mod dry_run_plans;
mod echo_example;
mod generate;
mod last_container;
mod migrations;
mod npm_install;
mod onboarding;
mod output_formats;
mod ownership;
mod reconcile;
mod rename_remove;
mod safety;
mod source_size;
mod types_in_step;
mod untrusted_input;
mod watch;
mod workerd_example;
