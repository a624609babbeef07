//! Issue 17: memory that does not grow with the register.
//!
//! The CLI runs each path as a child process on a generated inventory of
//! two sizes, four times apart; the child's peak resident memory must stay
//! under one bound at both sizes, and the larger register must not cost more
//! than a few MiB over the smaller: rows and matches stream to their output
//! instead of being held. Sizes and bounds hold for a debug build (what
//! `cargo test --workspace` runs), and nothing here is timed.
//!
//! Linux only: the peak is the child's `VmHWM`, read from `/proc` while it
//! runs. The high-water mark only grows, so the last reading before the
//! child exits is its peak. Elsewhere there is no `/proc`, and
//! `getrusage`/`GetProcessMemoryInfo` need `unsafe`, which the workspace
//! forbids.
#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use daicho_tests::{built_binary, daicho_bin};

/// The smaller and the larger inventory.
const SMALL: u64 = 5_000;
const LARGE: u64 = 20_000;

/// No path may use more than this at either size.
const BOUND: u64 = 128 * 1024 * 1024;

/// How much more the larger register may cost than the smaller: allocator
/// slack and the threads' buffers in a debug build (measured: up to 6 MiB
/// from run to run). Holding every match costs several times this at
/// 15,000 more (an asset's record is about a kilobyte in memory); a slower
/// leak, like the export's memo of every free text that issue 17 found
/// (16 MiB per 100,000 rows), needs the benchmark's larger sizes to show.
const GROWTH: u64 = 8 * 1024 * 1024;

/// Runs `daicho` in `dir` and returns its peak resident memory in bytes.
fn peak_of(dir: &Path, args: &[&str]) -> u64 {
    let mut child = Command::new(daicho_bin())
        .current_dir(dir)
        .env("DAICHO_DB", dir.join("register.db"))
        .env("DAICHO_ACTOR", "test-actor")
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("daicho runs");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(kib) = status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse::<u64>().ok())
        {
            peak = peak.max(kib * 1024);
        }
        if child
            .try_wait()
            .expect("the child can be waited for")
            .is_some()
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let output = child.wait_with_output().expect("daicho's output");
    assert!(
        output.status.success(),
        "daicho {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(peak > 0, "no peak was read for daicho {args:?}");
    peak
}

/// The peak of each path on a register of `rows` generated assets.
fn peaks(rows: u64) -> Vec<(&'static str, u64)> {
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("inventory.csv");
    let status = Command::new(built_binary("daicho-bench", "daicho-bench"))
        .args(["sheet", &rows.to_string()])
        .arg(&sheet)
        .status()
        .expect("the generator runs");
    assert!(status.success());
    let sheet = sheet.to_str().unwrap();
    let run = |args: &[&str]| peak_of(dir.path(), args);
    run(&["init"]);
    vec![
        ("import", run(&["import", sheet])),
        ("export", run(&["export", "-o", "exported.csv"])),
        (
            "list --in-scope --format json",
            run(&["list", "--in-scope", "--format", "json", "-o", "list.json"]),
        ),
    ]
}

#[test]
fn peak_memory_does_not_grow_with_the_register() {
    let small = peaks(SMALL);
    let large = peaks(LARGE);
    for ((path, small), (_, large)) in small.iter().zip(&large) {
        let mib = |bytes: u64| bytes as f64 / 1_048_576.0;
        // Shown with --nocapture, to see the margins.
        eprintln!("{path}: {:.1} MiB → {:.1} MiB", mib(*small), mib(*large));
        assert!(
            *large <= BOUND,
            "{path}: {:.1} MiB at {LARGE} assets, over the bound",
            mib(*large)
        );
        assert!(
            *large <= small + GROWTH,
            "{path}: {:.1} MiB at {SMALL} assets, {:.1} MiB at {LARGE}: memory grows with the register",
            mib(*small),
            mib(*large)
        );
    }
}
