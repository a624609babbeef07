//! Load the example city's Excel sheets into a register, run the
//! self-inspection (自己点検) and explain where a system's class comes from.
//!
//! Run from the repository root with `cargo run -p example-inventory`; it
//! reads `examples/inventory/assets.csv` and `links.csv` (or the two paths
//! given) and counts reviews to 2026-11-25, so its output does not change
//! with the day it runs.

use std::path::PathBuf;

use daicho::sheet::ImportOptions;
use daicho::{Axis, CheckOptions, Policy, Register, Severity};

fn main() -> daicho::Result<()> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let assets = args
        .next()
        .unwrap_or_else(|| "examples/inventory/assets.csv".into());
    let links = args
        .next()
        .unwrap_or_else(|| "examples/inventory/links.csv".into());

    let mut register = Register::in_memory(&Policy::niigata())?;
    register.set_actor("example")?;
    // Both sheets in one transaction: links may name assets the same import creates.
    let report = register.import_paths(Some(&assets), Some(&links), &ImportOptions::default())?;
    println!(
        "imported {} assets and {} links",
        report.assets.created, report.links.created
    );

    let today = jiff::civil::date(2026, 11, 25);
    let check = register.check(&CheckOptions::default().with_today(today))?;
    println!(
        "self-inspection: {} errors, {} warnings, {} assets excluded",
        check.count(Severity::Error),
        check.count(Severity::Warning),
        check.excluded.len()
    );
    for finding in check
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
    {
        println!(
            "  [{}] {} {}",
            finding.section,
            finding.rule.code(),
            finding.message_en
        );
    }

    let backup = register.resolve("住民基本台帳システム遠隔地バックアップ")?;
    let explanation = register.explain(backup.id)?;
    for axis in explanation
        .axes
        .iter()
        .filter(|a| a.axis == Axis::Confidentiality)
    {
        let path: Vec<String> = axis
            .path
            .iter()
            .map(|step| format!("{} {} {}", step.from.name, step.relation, step.to.name))
            .collect();
        println!(
            "{} must be handled at {} because {}",
            backup.name(),
            axis.effective,
            path.join(", then ")
        );
    }
    Ok(())
}
