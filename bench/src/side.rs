//! `daicho-bench side`: every path of issue 17 side by side with a floor
//! measured in the same run.
//!
//! The floor is the least a program can do for the same job: the csv crate
//! and rusqlite, one transaction, WAL, a table of text columns with no key,
//! no checks and no audit log; for an export, the same floor reading its rows
//! back and writing CSV; for the listing and the summary, rusqlite's plain
//! query on daicho's own register file. Each figure runs in a child process
//! (this binary again, `daicho-bench phase …`), so that its peak memory is
//! its own; daicho and the floor alternate (which one goes first swaps each
//! run) and each path's median over the runs is printed with the ratio.

use std::fmt::Write as _;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use daicho::sheet::{ExportOptions, Headers, ImportOptions};
use daicho::{CheckOptions, Disposed, Filter, Policy, Register};
use serde::ser::{SerializeSeq as _, Serializer as _};

use crate::generate;

pub(crate) type Fallible<T> = Result<T, Box<dyn std::error::Error>>;

/// The organization the filtered listing asks for (a tenth of the rows or
/// so: 消防局 is one of the generator's fourteen spellings).
const LISTED_ORGANIZATION: &str = "fire";

/// One path: what daicho runs and what the floor runs for it.
struct Path2 {
    name: &'static str,
    daicho: &'static str,
    floor: Option<&'static str>,
}

const PATHS: &[Path2] = &[
    Path2 {
        name: "first load, sheet without ids",
        daicho: "load-noids",
        floor: Some("floor-load-noids"),
    },
    Path2 {
        name: "first load, sheet with ids",
        daicho: "load-ids",
        floor: Some("floor-load-ids"),
    },
    Path2 {
        name: "re-import, unchanged",
        daicho: "reimport-unchanged",
        floor: Some("floor-load-ids"),
    },
    Path2 {
        name: "re-import, 10% changed",
        daicho: "reimport-changed",
        floor: Some("floor-load-changed"),
    },
    Path2 {
        name: "export",
        daicho: "export",
        floor: Some("floor-export"),
    },
    Path2 {
        name: "summary",
        daicho: "summary",
        floor: Some("floor-summary"),
    },
    Path2 {
        name: "list --org fire --format json",
        daicho: "list",
        floor: Some("floor-list"),
    },
    Path2 {
        name: "check (assets only, no links)",
        daicho: "check",
        floor: None,
    },
];

/// The files of one benchmark directory.
struct Files {
    dir: PathBuf,
}

impl Files {
    fn sheet(&self) -> PathBuf {
        self.dir.join("inventory.csv")
    }
    fn with_ids(&self) -> PathBuf {
        self.dir.join("with_ids.csv")
    }
    fn changed(&self) -> PathBuf {
        self.dir.join("changed.csv")
    }
    fn base(&self) -> PathBuf {
        self.dir.join("base.db")
    }
    fn floor_base(&self) -> PathBuf {
        self.dir.join("floor_base.db")
    }
    fn scratch_db(&self) -> PathBuf {
        self.dir.join("scratch.db")
    }
    fn scratch_out(&self) -> PathBuf {
        self.dir.join("scratch.out")
    }
}

/// `daicho-bench side --rows N --runs N [--keep DIR]`.
pub(crate) fn side(rows: u64, seed: u64, runs: usize, keep: Option<&Path>) -> Fallible<()> {
    let temp = tempfile::tempdir()?;
    let dir = keep.unwrap_or(temp.path()).to_path_buf();
    std::fs::create_dir_all(&dir)?;
    let files = Files { dir };
    println!("{}", machine());
    setup(&files, rows, seed)?;

    let mut results: Vec<[Samples; 2]> = PATHS.iter().map(|_| Default::default()).collect();
    for run in 0..runs {
        println!("run {} of {runs}:", run + 1);
        for (path, result) in PATHS.iter().zip(&mut results) {
            let mut order = vec![(path.daicho, true)];
            if let Some(floor) = path.floor {
                order.push((floor, false));
            }
            if run % 2 == 1 {
                order.reverse();
            }
            for (phase, is_daicho) in order {
                let (elapsed, peak, cpu) = child(phase, &files)?;
                println!(
                    "  {:<34} {:<6} {:>9.3} s  CPU {:>8.3} s  peak {}",
                    path.name,
                    if is_daicho { "daicho" } else { "floor" },
                    elapsed.as_secs_f64(),
                    cpu.as_secs_f64(),
                    mib(peak)
                );
                let samples = &mut result[usize::from(!is_daicho)];
                samples.wall.push(elapsed);
                samples.cpu.push(cpu);
                samples.peak.push(peak);
            }
        }
    }

    println!(
        "\nmedians of {runs} runs, {rows} rows ({})",
        load_average().unwrap_or_default()
    );
    println!(
        "| path | daicho | floor | ratio | daicho CPU | floor CPU | CPU ratio | daicho peak RSS | floor peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (path, [ours, floor]) in PATHS.iter().zip(&mut results) {
        let (wall, floor_wall) = (median(&mut ours.wall), median(&mut floor.wall));
        let (cpu, floor_cpu) = (median(&mut ours.cpu), median(&mut floor.cpu));
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            path.name,
            seconds(wall),
            seconds(floor_wall),
            ratio(wall, floor_wall),
            seconds(cpu),
            seconds(floor_cpu),
            ratio(cpu, floor_cpu),
            mib(median_u64(&mut ours.peak)),
            mib(median_u64(&mut floor.peak)),
        );
    }
    Ok(())
}

/// One side's figures over the runs.
#[derive(Default)]
struct Samples {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
    peak: Vec<u64>,
}

pub(crate) fn ratio(ours: Option<Duration>, floor: Option<Duration>) -> String {
    match (ours, floor) {
        (Some(a), Some(b)) if !b.is_zero() => format!("{:.2}×", a.as_secs_f64() / b.as_secs_f64()),
        _ => "–".to_owned(),
    }
}

/// The sheets and the registers every run starts from (not timed).
fn setup(files: &Files, rows: u64, seed: u64) -> Fallible<()> {
    let started = Instant::now();
    generate::write(&files.sheet(), rows, seed)?;
    let _ = std::fs::remove_file(files.base());
    let mut register = Register::create(files.base(), &Policy::niigata())?;
    register.set_actor("bench")?;
    register.import_assets_path(files.sheet(), &ImportOptions::default())?;
    let mut options = ExportOptions::default();
    options.headers(Headers::Ja);
    options.overwrite(true);
    register.export_assets_path(files.with_ids(), &all(), &options)?;
    drop(register);
    change_a_tenth(&files.with_ids(), &files.changed())?;
    let _ = std::fs::remove_file(files.floor_base());
    floor_load(&files.with_ids(), &files.floor_base())?;
    println!(
        "setup: {rows} rows generated, imported, exported, changed and loaded by the floor in {:.1?}",
        started.elapsed()
    );
    Ok(())
}

/// Every asset, disposed ones included.
pub(crate) fn all() -> Filter {
    Filter {
        disposed: Disposed::Include,
        ..Filter::default()
    }
}

/// Writes `from` again with every tenth row's 所属 changed.
fn change_a_tenth(from: &Path, to: &Path) -> Fallible<()> {
    let mut reader = csv::ReaderBuilder::new().from_path(from)?;
    let headers = reader.headers()?.clone();
    let department = headers
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}') == "所属")
        .ok_or("the export has no 所属 column")?;
    let mut writer = csv::Writer::from_writer(BufWriter::new(std::fs::File::create(to)?));
    writer.write_record(&headers)?;
    for (i, record) in reader.records().enumerate() {
        let record = record?;
        if i % 10 == 0 {
            let changed: Vec<String> = record
                .iter()
                .enumerate()
                .map(|(j, cell)| {
                    if j == department {
                        format!("{cell} 分室")
                    } else {
                        cell.to_owned()
                    }
                })
                .collect();
            writer.write_record(&changed)?;
        } else {
            writer.write_record(&record)?;
        }
    }
    writer.flush()?;
    Ok(())
}

/// Runs one phase in a child process; its wall time, peak memory and CPU
/// time (user and system, all threads).
fn child(phase: &str, files: &Files) -> Fallible<(Duration, u64, Duration)> {
    // The copy a re-import changes, made before the clock starts.
    let scratch = files.scratch_db();
    for stale in [scratch.clone(), files.scratch_out()] {
        let _ = std::fs::remove_file(&stale);
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut name = stale.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
    if phase.starts_with("reimport") {
        std::fs::copy(files.base(), &scratch)?;
    }
    let _ = Command::new("sync").status();
    let mut command = Command::new(std::env::current_exe()?);
    command.arg("phase").arg(phase).arg(&files.dir);
    phase_child(phase, &mut command)
}

/// Runs this binary's phase `name` as `command` and reads the line it
/// prints: wall time (ns), peak memory (bytes) and CPU time (ms).
pub(crate) fn phase_child(
    name: &str,
    command: &mut Command,
) -> Fallible<(Duration, u64, Duration)> {
    let output = command.output()?;
    if !output.status.success() {
        return Err(format!(
            "phase {name} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    let text = String::from_utf8(output.stdout)?;
    let mut fields = text.split_whitespace();
    let nanos: u64 = fields.next().ok_or("no time")?.parse()?;
    let peak: u64 = fields.next().ok_or("no peak")?.parse()?;
    let cpu: u64 = fields.next().ok_or("no CPU time")?.parse()?;
    Ok((
        Duration::from_nanos(nanos),
        peak,
        Duration::from_millis(cpu),
    ))
}

/// `daicho-bench phase NAME DIR`: runs one phase and prints its wall time in
/// nanoseconds, this process's peak resident memory in bytes and its CPU
/// time in milliseconds (0 where they cannot be read).
pub(crate) fn phase(name: &str, dir: &Path) -> Fallible<()> {
    let files = Files {
        dir: dir.to_path_buf(),
    };
    let started = Instant::now();
    match name {
        "load-noids" | "load-ids" => {
            let sheet = if name == "load-ids" {
                files.with_ids()
            } else {
                files.sheet()
            };
            let mut register = Register::create(files.scratch_db(), &Policy::niigata())?;
            register.set_actor("bench")?;
            register.import_assets_path(sheet, &ImportOptions::default())?;
        }
        "reimport-unchanged" | "reimport-changed" => {
            let sheet = if name == "reimport-changed" {
                files.changed()
            } else {
                files.with_ids()
            };
            let mut register = Register::open(files.scratch_db())?;
            register.set_actor("bench")?;
            let report = register.import_assets_path(sheet, &ImportOptions::default())?;
            if name == "reimport-unchanged" && report.assets.updated > 0 {
                return Err("an unchanged re-import changed assets".into());
            }
        }
        "export" => {
            let register = Register::open_read_only(files.base())?;
            let mut options = ExportOptions::default();
            options.headers(Headers::Ja);
            register.export_assets_path(files.scratch_out(), &all(), &options)?;
        }
        "summary" => {
            let register = Register::open_read_only(files.base())?;
            let summary = register.summary()?;
            std::hint::black_box(summary);
        }
        "list" => {
            let register = Register::open_read_only(files.base())?;
            let filter = Filter {
                organization: Some(
                    register
                        .policy()
                        .organization(LISTED_ORGANIZATION)?
                        .code
                        .clone(),
                ),
                ..Filter::default()
            };
            // What `daicho list --format json -o FILE` does.
            let out = std::fs::File::create(files.scratch_out())?;
            let mut out = BufWriter::new(out);
            let mut serializer = serde_json::Serializer::pretty(&mut out);
            let mut seq = (&mut serializer).serialize_seq(None)?;
            register.for_each_asset_ordered(&filter, |asset| -> Fallible<()> {
                seq.serialize_element(&daicho::AssetListItem(&asset))?;
                Ok(())
            })?;
            seq.end()?;
            out.write_all(b"\n")?;
            out.flush()?;
        }
        "check" => {
            let register = Register::open_read_only(files.base())?;
            // What `daicho check --format json -o FILE` does: the findings
            // spill in sorted runs and are merged back as they are written.
            let report = register.check_streamed(&CheckOptions::default(), None)?;
            let out = std::fs::File::create(files.scratch_out())?;
            let mut out = BufWriter::new(out);
            serde_json::to_writer_pretty(&mut out, &daicho::StreamedReportRecord(&report))?;
            out.write_all(b"\n")?;
            out.flush()?;
        }
        "floor-load-noids" => floor_load(&files.sheet(), &files.scratch_db())?,
        "floor-load-ids" => floor_load(&files.with_ids(), &files.scratch_db())?,
        "floor-load-changed" => floor_load(&files.changed(), &files.scratch_db())?,
        "floor-export" => floor_export(&files.floor_base(), &files.scratch_out())?,
        "floor-summary" => floor_summary(&files.base())?,
        "floor-list" => floor_list(&files.base(), &files.scratch_out())?,
        other => return Err(format!("unknown phase `{other}`").into()),
    }
    let elapsed = started.elapsed();
    let cpu = cpu_millis().unwrap_or(0);
    println!("{} {} {cpu}", elapsed.as_nanos(), peak_rss().unwrap_or(0));
    Ok(())
}

/// The floor's load: every record of the sheet into a table of text columns
/// named by the header row, in one transaction, WAL, no key, no audit.
fn floor_load(sheet: &Path, db: &Path) -> Fallible<()> {
    let mut reader = csv::ReaderBuilder::new().from_path(sheet)?;
    let columns = reader.headers()?.len();
    let mut conn = rusqlite::Connection::open(db)?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    let names: Vec<String> = (0..columns).map(|i| format!("c{i}")).collect();
    conn.execute(&format!("CREATE TABLE sheet ({})", names.join(", ")), [])?;
    let tx = conn.transaction()?;
    {
        let marks = vec!["?"; columns].join(", ");
        let mut insert = tx.prepare(&format!("INSERT INTO sheet VALUES ({marks})"))?;
        let mut record = csv::StringRecord::new();
        while reader.read_record(&mut record)? {
            insert.execute(rusqlite::params_from_iter(record.iter()))?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The floor's export: every row of its table back out as CSV.
fn floor_export(db: &Path, out: &Path) -> Fallible<()> {
    let conn = rusqlite::Connection::open(db)?;
    let mut stmt = conn.prepare("SELECT * FROM sheet")?;
    let columns = stmt.column_count();
    let mut writer = csv::Writer::from_writer(BufWriter::new(std::fs::File::create(out)?));
    let mut rows = stmt.query([])?;
    let mut cells: Vec<String> = Vec::with_capacity(columns);
    while let Some(row) = rows.next()? {
        cells.clear();
        for i in 0..columns {
            cells.push(row.get::<_, Option<String>>(i)?.unwrap_or_default());
        }
        writer.write_record(&cells)?;
    }
    writer.flush()?;
    Ok(())
}

/// The floor's summary: SQLite's GROUP BY of the summary's columns on
/// daicho's register (the covering index there, when it has one).
fn floor_summary(db: &Path) -> Fallible<()> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut stmt = conn.prepare(
        "SELECT organization, confidentiality, kind, segment, exclusion, count(*), \
         count(disposed_on) FROM assets \
         GROUP BY organization, confidentiality, kind, segment, exclusion",
    )?;
    let groups = stmt.query_map([], |row| row.get::<_, i64>(5))?.count();
    std::hint::black_box(groups);
    Ok(())
}

/// The floor's listing: the matching rows of daicho's register, ordered by
/// name, each written as a JSON object of its columns.
fn floor_list(db: &Path, out: &Path) -> Fallible<()> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut stmt =
        conn.prepare("SELECT * FROM assets WHERE organization = ?1 ORDER BY name, id")?;
    let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
    let mut out = BufWriter::new(std::fs::File::create(out)?);
    let mut rows = stmt.query([LISTED_ORGANIZATION])?;
    out.write_all(b"[")?;
    let mut first = true;
    while let Some(row) = rows.next()? {
        let mut object = serde_json::Map::new();
        for (i, name) in names.iter().enumerate() {
            let value = match row.get_ref(i)? {
                rusqlite::types::ValueRef::Null => serde_json::Value::Null,
                rusqlite::types::ValueRef::Integer(n) => n.into(),
                rusqlite::types::ValueRef::Real(x) => x.into(),
                rusqlite::types::ValueRef::Text(t) => {
                    String::from_utf8_lossy(t).into_owned().into()
                }
                rusqlite::types::ValueRef::Blob(b) => b
                    .iter()
                    .fold(String::new(), |mut hex, x| {
                        let _ = write!(hex, "{x:02x}");
                        hex
                    })
                    .into(),
            };
            object.insert(name.clone(), value);
        }
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        serde_json::to_writer_pretty(&mut out, &object)?;
    }
    out.write_all(b"\n]\n")?;
    out.flush()?;
    Ok(())
}

/// This process's peak resident memory in bytes (`VmHWM`, Linux).
#[cfg(target_os = "linux")]
pub(crate) fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// This process's CPU time so far (user + system) in milliseconds, from
/// `/proc/self/stat` (clock ticks, 100 a second on Linux).
#[cfg(target_os = "linux")]
pub(crate) fn cpu_millis() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks * 10)
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn cpu_millis() -> Option<u64> {
    None
}

/// Elsewhere (Windows, macOS) the benchmark reports no peak: reading it
/// needs the platform's own API, and the figures of record come from Linux.
#[cfg(not(target_os = "linux"))]
pub(crate) fn peak_rss() -> Option<u64> {
    None
}

pub(crate) fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let first: Vec<&str> = text.split_whitespace().take(3).collect();
    Some(format!("load average {}", first.join(" ")))
}

/// The machine: cores, CPU model, memory, date and load.
pub(crate) fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map_or("unknown", str::trim)
        .to_owned();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kib| kib.parse::<u64>().ok())
        .map_or_else(
            || "unknown".to_owned(),
            |kib| format!("{:.1} GiB", kib as f64 / 1_048_576.0),
        );
    format!(
        "machine: {cores} cores, {model}, {memory} RAM; {}",
        load_average().unwrap_or_default()
    )
}

pub(crate) fn median(times: &mut [Duration]) -> Option<Duration> {
    times.sort_unstable();
    match times.len() {
        0 => None,
        n if n % 2 == 1 => Some(times[n / 2]),
        n => Some((times[n / 2 - 1] + times[n / 2]) / 2),
    }
}

pub(crate) fn median_u64(values: &mut [u64]) -> Option<u64> {
    values.sort_unstable();
    values.get(values.len() / 2).copied()
}

pub(crate) fn seconds(time: Option<Duration>) -> String {
    time.map_or_else(
        || "–".to_owned(),
        |t| {
            if t < Duration::from_secs(1) {
                format!("{:.0} ms", t.as_secs_f64() * 1000.0)
            } else {
                format!("{:.2} s", t.as_secs_f64())
            }
        },
    )
}

pub(crate) fn mib(bytes: impl Into<Option<u64>>) -> String {
    match bytes.into() {
        Some(b) if b > 0 => format!("{:.0} MiB", b as f64 / 1_048_576.0),
        _ => "n/a".to_owned(),
    }
}
