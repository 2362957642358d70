//! `lunora codegen --cost`: prints the cost ceiling. What the advisor finds on disk is decided in
//! `lunora-project` (`advise`).

use crate::output::{Format, Reporter};
use crate::pipeline::Plan;
use lunora_advisor::{codes, cost};
use lunora_project::advise::about_containers_ts;
use lunora_project::CONTAINERS_TS;
use std::io::Write;

/// `lunora codegen --cost`: the cost ceiling of the planned containers, as a table (human,
/// github: on stdout / stderr like other product output) or one `lunora/cost` JSON record.
/// Nothing is priced when `containers.ts` has errors other than the account-limit verdict,
/// since containers with errors are missing from the plan.
pub fn print_cost(plan: &Plan, reporter: &Reporter) {
    let broken = plan
        .diagnostics
        .iter()
        .any(|d| d.is_error() && d.code != codes::ACCOUNT_LIMITS && about_containers_ts(d));
    if broken {
        reporter.note("lunora: no cost ceiling: lunora/containers.ts has errors");
        return;
    }
    let report = cost::cost_report(&plan.containers);
    match reporter.format {
        Format::Json => {
            let line = format!("{}\n", cost::json_record(&report, CONTAINERS_TS));
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(line.as_bytes());
            let _ = out.flush();
        }
        Format::Human | Format::Github => {
            if report.containers.is_empty() {
                reporter.note("lunora: no containers declared, nothing to cost");
            } else {
                reporter.block(&cost::render_human(&report));
            }
        }
    }
}
