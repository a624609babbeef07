//! `daicho-bench pg --url URL [--rows N] [--runs N] [--keep DIR]`: daicho's
//! first import and export on a PostgreSQL server side by side with the
//! floor on the same server: `psql`'s `\copy` of the same CSV file into a
//! table of text columns (no key, no checks, no audit log), and `\copy
//! (SELECT …) TO` a file.
//!
//! Every run works in new schemas (one for daicho's register, one for the
//! floor's table), dropped at its end. daicho's phases run in a child
//! process (this binary again, `daicho-bench pg-phase …`) so that their peak
//! memory is their own; the floor is `psql`, run under `/usr/bin/time` for
//! its CPU time and peak memory. daicho and the floor alternate, the one
//! going first swapping each run; each figure is the median over the runs.
//!
//! The client's CPU time is the child's (user + system, all threads). The
//! server's is measured apart when the server runs on this machine and its
//! data directory is readable: the postmaster's and its children's CPU time
//! from `/proc`, before and after the phase (the backend of a phase that
//! ended is in the postmaster's `cutime` once reaped).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use daicho::sheet::{ExportOptions, Headers, ImportOptions};
use daicho::{Policy, Register};

use crate::generate;
use crate::side::{
    Fallible, all, cpu_millis, load_average, machine, median, median_u64, mib, peak_rss, ratio,
    seconds,
};

/// `pg`'s options.
pub(crate) struct PgArgs {
    url: String,
    rows: u64,
    seed: u64,
    runs: usize,
    keep: Option<PathBuf>,
}

pub(crate) fn parse_args(mut args: impl Iterator<Item = String>) -> Result<PgArgs, String> {
    let mut parsed = PgArgs {
        url: String::new(),
        rows: 100_000,
        seed: 42,
        runs: 3,
        keep: None,
    };
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value"))?;
        match flag.as_str() {
            "--url" => parsed.url = value,
            "--rows" => {
                parsed.rows = value
                    .replace('_', "")
                    .parse()
                    .map_err(|e| format!("--rows: {e}"))?;
            }
            "--seed" => parsed.seed = value.parse().map_err(|e| format!("--seed: {e}"))?,
            "--runs" => {
                parsed.runs = value.parse().map_err(|e| format!("--runs: {e}"))?;
                if parsed.runs == 0 {
                    return Err("--runs: at least 1".to_owned());
                }
            }
            "--keep" => parsed.keep = Some(value.into()),
            _ => return Err(format!("unknown option `{flag}`")),
        }
    }
    if parsed.url.is_empty() {
        return Err(
            "usage: daicho-bench pg --url postgresql://… [--rows N] [--runs N] [--seed N] [--keep DIR]"
                .to_owned(),
        );
    }
    Ok(parsed)
}

/// The two paths measured.
const PATHS: [&str; 2] = ["first import", "export"];

/// One side's figures of one path over the runs.
#[derive(Default)]
struct Samples {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
    server: Vec<Duration>,
    peak: Vec<u64>,
}

/// What one phase took.
struct Figures {
    wall: Duration,
    cpu: Option<Duration>,
    server: Option<Duration>,
    peak: u64,
}

/// `daicho-bench pg`.
pub(crate) fn pg(args: &PgArgs) -> Fallible<()> {
    let temp = tempfile::tempdir()?;
    let dir = args.keep.as_deref().unwrap_or(temp.path()).to_path_buf();
    std::fs::create_dir_all(&dir)?;
    let sheet = dir.join("inventory.csv");
    println!("{}", machine());
    let mut admin = postgres::Client::connect(&args.url, postgres::NoTls)?;
    let server = Server::find(&mut admin);
    println!(
        "server: {}; {}",
        admin
            .query_one("SELECT version()", &[])?
            .get::<_, String>(0),
        settings(&mut admin)?
    );
    if server.is_none() {
        println!("server CPU: not measured (the server's data directory is not readable here)");
    }
    let started = Instant::now();
    generate::write(&sheet, args.rows, args.seed)?;
    let columns = csv::Reader::from_path(&sheet)?.headers()?.len();
    println!(
        "setup: {} rows generated ({:.1} MiB) in {:.1?}",
        args.rows,
        std::fs::metadata(&sheet)?.len() as f64 / 1_048_576.0,
        started.elapsed()
    );

    let tag = std::process::id();
    let mut results: [[Samples; 2]; 2] = Default::default();
    for run in 0..args.runs {
        println!(
            "run {} of {} ({}):",
            run + 1,
            args.runs,
            load_average().unwrap_or_default()
        );
        let schemas = [
            format!("bench_daicho_{tag}_{run}"),
            format!("bench_floor_{tag}_{run}"),
        ];
        let names: Vec<String> = (0..columns).map(|i| format!("c{i} text")).collect();
        admin.batch_execute(&format!(
            "CREATE SCHEMA {0}; CREATE SCHEMA {1}; CREATE TABLE {1}.sheet ({2})",
            schemas[0],
            schemas[1],
            names.join(", ")
        ))?;
        let context = Context {
            args,
            dir: &dir,
            server: server.as_ref(),
            schemas: &schemas,
        };
        run_once(&context, run, &mut admin, &mut results)?;
        admin.batch_execute(&format!(
            "DROP SCHEMA {} CASCADE; DROP SCHEMA {} CASCADE",
            schemas[0], schemas[1]
        ))?;
    }
    print_medians(args, &mut results);
    Ok(())
}

/// What every phase of a run needs.
struct Context<'a> {
    args: &'a PgArgs,
    dir: &'a Path,
    server: Option<&'a Server>,
    /// daicho's schema, then the floor's.
    schemas: &'a [String; 2],
}

/// One run: each path by daicho and by the floor, alternating, then a check
/// that each loaded and wrote every row.
fn run_once(
    context: &Context<'_>,
    run: usize,
    admin: &mut postgres::Client,
    results: &mut [[Samples; 2]; 2],
) -> Fallible<()> {
    let (args, dir) = (context.args, context.dir);
    let [ours, floor] = context.schemas;
    let sheet = dir.join("inventory.csv");
    let register = schema_url(&args.url, ours);
    let exported = dir.join("daicho_export.csv");
    let floor_exported = dir.join("floor_export.csv");
    for (path, result) in PATHS.iter().zip(results.iter_mut()) {
        let mut order = [true, false];
        if run % 2 == 1 {
            order.reverse();
        }
        for is_daicho in order {
            let phase = match (*path, is_daicho) {
                ("first import", true) => Phase::Daicho("import", &register),
                ("first import", false) => Phase::Psql(format!(
                    "\\copy {floor}.sheet FROM '{}' WITH (FORMAT csv, HEADER true)",
                    sheet.display()
                )),
                (_, true) => Phase::Daicho("export", &register),
                (_, false) => Phase::Psql(format!(
                    "\\copy (SELECT * FROM {floor}.sheet) TO '{}' WITH (FORMAT csv, HEADER true)",
                    floor_exported.display()
                )),
            };
            let figures = measure(&phase, context, admin)?;
            println!(
                "  {path:<13} {:<6} {:>9.3} s  {:>9} rows/s  CPU {:>8}  server CPU {:>8}  peak {}",
                if is_daicho { "daicho" } else { "floor" },
                figures.wall.as_secs_f64(),
                rows_per_second(args.rows, Some(figures.wall)),
                seconds(figures.cpu),
                seconds(figures.server),
                mib(figures.peak)
            );
            let samples = &mut result[usize::from(!is_daicho)];
            samples.wall.push(figures.wall);
            samples.cpu.extend(figures.cpu);
            samples.server.extend(figures.server);
            samples.peak.push(figures.peak);
        }
    }
    // Not timed: both sides loaded and wrote every row.
    let loaded: i64 = admin
        .query_one(&format!("SELECT count(*) FROM {floor}.sheet"), &[])?
        .get(0);
    let assets: i64 = admin
        .query_one(&format!("SELECT count(*) FROM {ours}.assets"), &[])?
        .get(0);
    if loaded as u64 != args.rows || assets as u64 != args.rows {
        return Err(format!(
            "{} rows: the floor loaded {loaded}, daicho {assets}",
            args.rows
        )
        .into());
    }
    for file in [&exported, &floor_exported] {
        let rows = csv::Reader::from_path(file)?.records().count() as u64;
        if rows != args.rows {
            return Err(format!("{} holds {rows} rows", file.display()).into());
        }
    }
    Ok(())
}

/// The table of medians, as BENCHMARKS.md shows it.
fn print_medians(args: &PgArgs, results: &mut [[Samples; 2]; 2]) {
    println!(
        "\nmedians of {} runs, {} rows ({})",
        args.runs,
        args.rows,
        load_average().unwrap_or_default()
    );
    println!(
        "| path | daicho | floor | ratio | daicho rows/s | floor rows/s | daicho CPU | floor CPU | CPU ratio | server CPU, daicho | server CPU, floor | daicho peak RSS | floor peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (path, [ours, floor]) in PATHS.iter().zip(results.iter_mut()) {
        let (wall, floor_wall) = (median(&mut ours.wall), median(&mut floor.wall));
        let (cpu, floor_cpu) = (median(&mut ours.cpu), median(&mut floor.cpu));
        println!(
            "| {path} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            seconds(wall),
            seconds(floor_wall),
            ratio(wall, floor_wall),
            rows_per_second(args.rows, wall),
            rows_per_second(args.rows, floor_wall),
            seconds(cpu),
            seconds(floor_cpu),
            ratio(cpu, floor_cpu),
            seconds(median(&mut ours.server)),
            seconds(median(&mut floor.server)),
            mib(median_u64(&mut ours.peak)),
            mib(median_u64(&mut floor.peak)),
        );
    }
}

/// What a phase runs: daicho's (in a child process, on the register at a
/// URL) or `psql`'s meta-command.
enum Phase<'a> {
    Daicho(&'static str, &'a str),
    Psql(String),
}

fn measure(
    phase: &Phase<'_>,
    context: &Context<'_>,
    admin: &mut postgres::Client,
) -> Fallible<Figures> {
    let (dir, url, server) = (context.dir, &context.args.url, context.server);
    let _ = Command::new("sync").status();
    let server_before = server.and_then(Server::cpu);
    let mut figures = match phase {
        Phase::Daicho(name, register) => daicho_child(name, dir, register)?,
        Phase::Psql(command) => psql(url, command, dir)?,
    };
    // The phase's backend is gone (or going) with its client: wait for it,
    // so that its CPU time is counted in this phase's.
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        let others: i64 = admin
            .query_one(
                "SELECT count(*) FROM pg_stat_activity \
                 WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
                &[],
            )?
            .get(0);
        if others == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    figures.server = server
        .and_then(Server::cpu)
        .zip(server_before)
        .map(|(after, before)| after.saturating_sub(before));
    Ok(figures)
}

/// Runs daicho's phase in a child process and reads its figures.
fn daicho_child(name: &str, dir: &Path, register: &str) -> Fallible<Figures> {
    let mut command = Command::new(std::env::current_exe()?);
    command.args(["pg-phase", name]).arg(dir).arg(register);
    let (wall, peak, cpu) = crate::side::phase_child(name, &mut command)?;
    Ok(Figures {
        wall,
        cpu: Some(cpu),
        server: None,
        peak,
    })
}

/// Runs `psql -c COMMAND` under `/usr/bin/time` (for its CPU time and peak
/// memory, which are `n/a` without it).
fn psql(url: &str, command: &str, dir: &Path) -> Fallible<Figures> {
    let times = dir.join("psql.time");
    let _ = std::fs::remove_file(&times);
    let mut cmd = if Path::new("/usr/bin/time").exists() {
        let mut cmd = Command::new("/usr/bin/time");
        cmd.args(["-f", "%U %S %M", "-o"]).arg(&times).arg("psql");
        cmd
    } else {
        Command::new("psql")
    };
    cmd.args([
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-d",
        url,
        "-c",
        command,
    ]);
    let started = Instant::now();
    let output = cmd.output()?;
    let wall = started.elapsed();
    if !output.status.success() {
        return Err(format!("psql failed: {}", String::from_utf8_lossy(&output.stderr)).into());
    }
    let text = std::fs::read_to_string(&times).unwrap_or_default();
    let fields: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let (cpu, peak) = match fields[..] {
        [user, system, kib] => (
            Some(Duration::from_secs_f64(user + system)),
            (kib * 1024.0) as u64,
        ),
        _ => (None, 0),
    };
    Ok(Figures {
        wall,
        cpu,
        server: None,
        peak,
    })
}

/// `daicho-bench pg-phase NAME DIR URL`: runs daicho's phase on the register
/// at `URL` and prints its wall time in nanoseconds, peak resident memory in
/// bytes and CPU time in milliseconds. The import's clock starts after the
/// register is created (its schema made), as the floor's table is made
/// before its clock starts; the export's includes opening the register, as
/// the floor's includes `psql` connecting.
pub(crate) fn phase(name: &str, dir: &Path, url: &str) -> Fallible<()> {
    let (started, cpu_before) = match name {
        "import" => {
            let mut register = Register::create(url, &Policy::niigata())?;
            register.set_actor("bench")?;
            let _ = std::fs::write("/proc/self/clear_refs", "5");
            let (started, cpu_before) = (Instant::now(), cpu_millis());
            register.import_assets_path(dir.join("inventory.csv"), &ImportOptions::default())?;
            (started, cpu_before)
        }
        "export" => {
            let (started, cpu_before) = (Instant::now(), cpu_millis());
            let register = Register::open(url)?;
            let mut options = ExportOptions::default();
            options.headers(Headers::Ja);
            options.overwrite(true);
            register.export_assets_path(dir.join("daicho_export.csv"), &all(), &options)?;
            (started, cpu_before)
        }
        other => return Err(format!("unknown phase `{other}`").into()),
    };
    let elapsed = started.elapsed();
    let cpu = cpu_millis()
        .zip(cpu_before)
        .map_or(0, |(after, before)| after.saturating_sub(before));
    println!("{} {} {cpu}", elapsed.as_nanos(), peak_rss().unwrap_or(0));
    Ok(())
}

/// The URL of the schema `schema` on the server at `url`.
fn schema_url(url: &str, schema: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}options=-c%20search_path%3D{schema}")
}

fn rows_per_second(rows: u64, wall: Option<Duration>) -> String {
    wall.filter(|w| !w.is_zero()).map_or_else(
        || "–".to_owned(),
        |w| format!("{:.0}", rows as f64 / w.as_secs_f64()),
    )
}

/// The server's settings that matter to a bulk load.
fn settings(admin: &mut postgres::Client) -> Fallible<String> {
    let rows = admin.query(
        "SELECT name, setting, coalesce(unit, '') FROM pg_settings WHERE name IN \
         ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_level', 'shared_buffers', \
          'max_wal_size', 'checkpoint_timeout', 'autovacuum')",
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|row| {
            format!(
                "{}={}{}",
                row.get::<_, String>(0),
                row.get::<_, String>(1),
                row.get::<_, String>(2)
            )
        })
        .collect::<Vec<_>>()
        .join(" "))
}

/// The server's processes, when it runs on this machine.
struct Server {
    postmaster: u32,
}

impl Server {
    /// The postmaster's pid, from the data directory's `postmaster.pid`.
    fn find(admin: &mut postgres::Client) -> Option<Server> {
        let dir: String = admin.query_one("SHOW data_directory", &[]).ok()?.get(0);
        let pid = std::fs::read_to_string(Path::new(&dir).join("postmaster.pid")).ok()?;
        let postmaster = pid.lines().next()?.trim().parse().ok()?;
        let server = Server { postmaster };
        server.cpu().map(|_| server)
    }

    /// CPU time of the postmaster, of its children that ended, and of those
    /// that run now (or have ended, not yet reaped). A child reaped during
    /// the scan would be counted twice or not at all: the scan is then done
    /// again.
    fn cpu(&self) -> Option<Duration> {
        loop {
            let (_, ended_before, _) = stat(self.postmaster)?;
            let mut children = 0;
            for entry in std::fs::read_dir("/proc").ok()?.flatten() {
                let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
                    continue;
                };
                match stat(pid) {
                    Some((own, _, parent)) if parent == self.postmaster => children += own,
                    _ => {}
                }
            }
            let (own, ended, _) = stat(self.postmaster)?;
            if ended == ended_before {
                return Some(Duration::from_millis((own + ended + children) * 10));
            }
        }
    }
}

/// A process's CPU ticks (user + system), its waited-for children's, and
/// its parent's pid, from `/proc/PID/stat`.
fn stat(pid: u32) -> Option<(u64, u64, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let number = |i: usize| fields.get(i)?.parse::<u64>().ok();
    Some((
        number(11)? + number(12)?,
        number(13)? + number(14)?,
        fields.get(1)?.parse().ok()?,
    ))
}
