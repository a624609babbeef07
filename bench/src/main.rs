//! `daicho-bench csv --rows N`: generates a deterministic, realistic inventory
//! sheet, imports it into a fresh register, exports it, imports the export
//! again, and prints rows/s and peak memory for each phase. `--runs N`
//! repeats the three phases with a new register each time (the sheet is
//! generated once) and ends with each phase's median, as a machine others
//! share gives noisy single runs.
//!
//! Run it in release mode: `cargo run --release -p daicho-bench -- csv --rows 1000000`.
//!
//! `daicho-bench side --rows N --runs N [--keep DIR]` measures every path of
//! issue 17 side by side with a floor in the same run (see `side.rs`);
//! `daicho-bench pg --url URL --rows N --runs N` measures the first import
//! and the export on a PostgreSQL server beside `psql`'s `\copy` (see
//! `pg.rs`); `daicho-bench sheet ROWS FILE` writes the generated sheet alone.

#![allow(clippy::print_stdout, reason = "a benchmark prints its figures")]

mod generate;
mod pg;
mod side;

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use daicho::sheet::{ExportOptions, Headers, ImportOptions};
use daicho::{Disposed, Filter, Policy, Register};

/// What to run, from the command line.
struct Args {
    rows: u64,
    seed: u64,
    keep: Option<std::path::PathBuf>,
    import_only: bool,
    runs: usize,
}

/// `side`'s options: rows, seed, runs (at least 3, for a median) and the
/// directory to keep.
fn parse_side_args(
    mut args: impl Iterator<Item = String>,
) -> Result<(u64, u64, usize, Option<std::path::PathBuf>), String> {
    let (mut rows, mut seed, mut runs, mut keep) = (100_000, 42, 3, None);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value"))?;
        match flag.as_str() {
            "--rows" => {
                rows = value
                    .replace('_', "")
                    .parse()
                    .map_err(|e| format!("--rows: {e}"))?;
            }
            "--seed" => seed = value.parse().map_err(|e| format!("--seed: {e}"))?,
            "--runs" => {
                runs = value.parse().map_err(|e| format!("--runs: {e}"))?;
                if runs < 3 {
                    return Err("--runs: at least 3, for a median".to_owned());
                }
            }
            "--keep" => keep = Some(value.into()),
            _ => return Err(format!("unknown option `{flag}`")),
        }
    }
    Ok((rows, seed, runs, keep))
}

fn finish(result: Result<(), Box<dyn std::error::Error>>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("csv") => {}
        _ => {
            return Err(
                "usage: daicho-bench csv [--rows N] [--seed N] [--runs N] [--keep DIR] [--import-only]"
                    .to_owned(),
            );
        }
    }
    let mut parsed = Args {
        rows: 1_000_000,
        seed: 42,
        keep: None,
        import_only: false,
        runs: 1,
    };
    while let Some(flag) = args.next() {
        if flag == "--import-only" {
            parsed.import_only = true;
            continue;
        }
        let value = args
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value"))?;
        match flag.as_str() {
            "--rows" => {
                parsed.rows = value
                    .replace('_', "")
                    .parse()
                    .map_err(|e| format!("--rows: {e}"))?;
            }
            "--seed" => parsed.seed = value.parse().map_err(|e| format!("--seed: {e}"))?,
            "--keep" => parsed.keep = Some(value.into()),
            "--runs" => {
                parsed.runs = value.parse().map_err(|e| format!("--runs: {e}"))?;
                if parsed.runs == 0 {
                    return Err("--runs: at least 1".to_owned());
                }
            }
            _ => return Err(format!("unknown option `{flag}`")),
        }
    }
    Ok(parsed)
}

/// Peak resident memory since the last reset, in bytes (Linux `VmHWM`).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// CPU time used by this process so far (user + system), from `/proc/self/stat`.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // The kernel reports clock ticks; Linux uses 100 per second.
    Some(Duration::from_millis(ticks * 10))
}

/// Times a phase: wall time, CPU time, and peak RSS during it.
///
/// Files written before (the sheet, the last run's export) are first synced
/// to disk, so that a phase does not pay for writing another's data back.
fn measure<T>(work: impl FnOnce() -> T) -> (T, Duration, Option<Duration>, Option<u64>) {
    let _ = std::process::Command::new("sync").status();
    reset_peak_rss();
    let cpu_before = cpu_time();
    let started = Instant::now();
    let result = work();
    let elapsed = started.elapsed();
    let cpu = cpu_time()
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    (result, elapsed, cpu, peak_rss())
}

fn cpu(cpu: Option<Duration>) -> String {
    cpu.map_or_else(|| "n/a".to_owned(), |c| format!("{:.2}s", c.as_secs_f64()))
}

/// Resets the peak to the current resident memory (Linux 4.0 and later).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn mib(bytes: Option<u64>) -> String {
    bytes.map_or_else(
        || "n/a".to_owned(),
        |b| format!("{:.1} MiB", b as f64 / 1_048_576.0),
    )
}

fn rate(rows: u64, elapsed: Duration) -> String {
    format!("{:.0} rows/s", rows as f64 / elapsed.as_secs_f64())
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let temp = tempfile::tempdir()?;
    let dir = args.keep.as_deref().unwrap_or(temp.path());
    std::fs::create_dir_all(dir)?;
    let sheet = dir.join("inventory.csv");
    let exported = dir.join("exported.csv");
    let db = dir.join("bench.db");
    for stale in [&sheet, &exported, &db] {
        let _ = std::fs::remove_file(stale);
    }

    let started = Instant::now();
    let stats = generate::write(&sheet, args.rows, args.seed)?;
    println!(
        "generated {} rows ({:.1} MiB, {:.1}% of notes with commas, quotes or line breaks) in {:.2?}",
        args.rows,
        file_size(&sheet) as f64 / 1_048_576.0,
        stats.tricky_notes as f64 * 100.0 / args.rows.max(1) as f64,
        started.elapsed()
    );

    let mut timings = Timings::default();
    for run in 1..=args.runs {
        if args.runs > 1 {
            println!("run {run} of {}:", args.runs);
        }
        for stale in [&exported, &db] {
            let _ = std::fs::remove_file(stale);
        }
        run_once(args, &sheet, &exported, &db, &mut timings)?;
    }
    if args.runs > 1 {
        println!("median of {} runs:", args.runs);
        for (phase, rows, times) in [
            ("import", args.rows, &mut timings.import),
            ("export", args.rows, &mut timings.export),
            ("re-import", args.rows, &mut timings.reimport),
        ] {
            if let Some(median) = median(times) {
                println!("  {phase:<10} {median:>8.2?} ({:>13})", rate(rows, median));
            }
        }
    }
    Ok(())
}

/// Each run's wall time, per phase.
#[derive(Default)]
struct Timings {
    import: Vec<Duration>,
    export: Vec<Duration>,
    reimport: Vec<Duration>,
}

fn median(times: &mut [Duration]) -> Option<Duration> {
    times.sort_unstable();
    let middle = times.len() / 2;
    match times.len() {
        0 => None,
        n if n % 2 == 1 => Some(times[middle]),
        _ => Some((times[middle - 1] + times[middle]) / 2),
    }
}

fn run_once(
    args: &Args,
    sheet: &Path,
    exported: &Path,
    db: &Path,
    timings: &mut Timings,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut register = Register::create(db, &Policy::niigata())?;
    register.set_actor("bench")?;
    let (report, elapsed, used, peak) =
        measure(|| register.import_assets_path(sheet, &ImportOptions::default()));
    let report = report?;
    timings.import.push(elapsed);
    println!(
        "import:    {:>9} created   {:>8.2?} ({:>13}), CPU {}, peak RSS {}",
        report.assets.created,
        elapsed,
        rate(report.assets.created, elapsed),
        cpu(used),
        mib(peak)
    );

    if args.import_only {
        return Ok(());
    }
    let all = Filter {
        disposed: Disposed::Include,
        ..Filter::default()
    };
    let mut options = ExportOptions::default();
    options.headers(Headers::Ja);
    let (export, elapsed, used, peak) =
        measure(|| register.export_assets_path(exported, &all, &options));
    let export = export?;
    timings.export.push(elapsed);
    println!(
        "export:    {:>9} rows      {:>8.2?} ({:>13}), CPU {}, peak RSS {}, {:.1} MiB written",
        export.rows,
        elapsed,
        rate(export.rows, elapsed),
        cpu(used),
        mib(peak),
        file_size(exported) as f64 / 1_048_576.0
    );

    let (again, elapsed, used, peak) =
        measure(|| register.import_assets_path(exported, &ImportOptions::default()));
    let again = again?;
    timings.reimport.push(elapsed);
    println!(
        "re-import: {:>9} unchanged {:>8.2?} ({:>13}), CPU {}, peak RSS {}",
        again.assets.unchanged,
        elapsed,
        rate(again.assets.total(), elapsed),
        cpu(used),
        mib(peak)
    );
    println!(
        "register:  {:.1} MiB, {} audit entries",
        file_size(db) as f64 / 1_048_576.0,
        register.verify()?.chain.entries
    );
    Ok(())
}

fn main() -> ExitCode {
    let mut raw = std::env::args().skip(1);
    match raw.next().as_deref() {
        Some("phase") => {
            let (Some(name), Some(dir)) = (raw.next(), raw.next()) else {
                eprintln!("usage: daicho-bench phase NAME DIR");
                return ExitCode::from(2);
            };
            return finish(side::phase(&name, Path::new(&dir)));
        }
        Some("sheet") => {
            // `daicho-bench sheet ROWS FILE`: the generated sheet alone (the
            // memory test of the tests package reads it).
            let (Some(rows), Some(path)) = (raw.next(), raw.next()) else {
                eprintln!("usage: daicho-bench sheet ROWS FILE");
                return ExitCode::from(2);
            };
            let written = rows
                .parse::<u64>()
                .map_err(Into::into)
                .and_then(|rows| generate::write(Path::new(&path), rows, 42).map_err(Into::into))
                .map(drop);
            return finish(written);
        }
        Some("pg") => {
            return match pg::parse_args(raw) {
                Ok(args) => finish(pg::pg(&args)),
                Err(message) => {
                    eprintln!("{message}");
                    ExitCode::from(2)
                }
            };
        }
        Some("pg-phase") => {
            let (Some(name), Some(dir), Some(url)) = (raw.next(), raw.next(), raw.next()) else {
                eprintln!("usage: daicho-bench pg-phase NAME DIR URL");
                return ExitCode::from(2);
            };
            return finish(pg::phase(&name, Path::new(&dir), &url));
        }
        Some("side") => {
            return match parse_side_args(raw) {
                Ok((rows, seed, runs, keep)) => {
                    finish(side::side(rows, seed, runs, keep.as_deref()))
                }
                Err(message) => {
                    eprintln!("{message}");
                    ExitCode::from(2)
                }
            };
        }
        _ => {}
    }
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
