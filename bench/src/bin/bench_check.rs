//! `bench_check [--assets N] [--links N] [--seed N] [--keep DIR]`: times the
//! self-inspection on a generated register, twice: `Register::check` (every
//! finding in memory, as the library and Python have it) and
//! `Register::check_streamed` with its JSON report written to nowhere (what
//! `daicho check --format json` does: the findings spilled in sorted runs to
//! temporary files and read back in order).
//!
//! It writes a deterministic inventory of N assets and N links as CSV sheets
//! (realistic shares of kinds, levels, segments, controls and a few
//! violations of every rule, cycles included), imports them into a fresh
//! register (setup, not timed), then runs the check in a child process so
//! that the peak memory reported (Linux `VmHWM`) is that of the check alone:
//! opening the register, loading the snapshot and running every rule (and,
//! streamed, writing the report).
//!
//! Run it in release mode:
//! `cargo run --release -p daicho-bench --bin bench_check -- --assets 1000000 --links 1000000`.

#![allow(clippy::print_stdout, reason = "a benchmark prints its figures")]
#![allow(clippy::print_stderr, reason = "a benchmark reports its errors")]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use daicho::sheet::ImportOptions;
use daicho::{CheckOptions, Policy, Register};

struct Args {
    assets: u64,
    links: u64,
    seed: u64,
    keep: Option<PathBuf>,
    /// Internal: run the check on this register and print the figures.
    run: Option<PathBuf>,
    /// Internal: with `--run`, the streamed check.
    streamed: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut parsed = Args {
        assets: 1_000_000,
        links: 1_000_000,
        seed: 42,
        keep: None,
        run: None,
        streamed: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value"))?;
        let number = |v: &str| {
            v.replace('_', "")
                .parse::<u64>()
                .map_err(|e| format!("{flag}: {e}"))
        };
        match flag.as_str() {
            "--assets" => parsed.assets = number(&value)?,
            "--links" => parsed.links = number(&value)?,
            "--seed" => parsed.seed = number(&value)?,
            "--keep" => parsed.keep = Some(value.into()),
            "--run" => parsed.run = Some(value.into()),
            "--mode" => parsed.streamed = value == "streamed",
            _ => {
                return Err(format!(
                    "unknown option `{flag}`; usage: bench_check [--assets N] [--links N] [--seed N] [--keep DIR]"
                ));
            }
        }
    }
    if parsed.assets < 100 {
        return Err("--assets must be at least 100".to_owned());
    }
    Ok(parsed)
}

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True with probability `per_mille` / 1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
}

const ORGS: &[&str] = &[
    "市長部局",
    "市長部局",
    "市長部局",
    "市長部局",
    "消防局",
    "水道局",
    "教育委員会",
    "選挙管理委員会",
    "市民病院",
    "議会事務局",
];
const FULL: &str = "access_control;access_log;no_private_device;encryption;copy_restricted;storage_restricted;locked_storage;backup;electronic_signature;recovery_time;secure_disposal;trusted_network;offsite_rules";
const PAPER: &str =
    "locked_storage;locked_case;copy_restricted;storage_restricted;secure_disposal;offsite_rules";
/// What the internet segment's systems add (§6(3)ウ).
const INTERNET: &str = ";monitoring;malware_protection";

fn id(n: u64) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// The kind of asset `n`: 35 % systems (ア), 60 % information (イ), 5 % documents (ウ).
fn kind(n: u64) -> char {
    match n % 20 {
        0..=6 => 'ア',
        7..=18 => 'イ',
        _ => 'ウ',
    }
}

/// The segment of asset `n`, by its block of 20 (so that every segment has
/// assets of every kind, and links can pick ends in one segment).
fn segment(n: u64) -> &'static str {
    match (n / 20) % 10 {
        0 | 1 => "マイナンバー利用事務系",
        2..=6 => "LGWAN接続系",
        7 | 8 => "インターネット接続系",
        _ => "",
    }
}

fn write_assets(path: &Path, count: u64, rng: &mut Rng) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    out.write_all("\u{feff}資産ID,種別,資産名,所管,情報セキュリティ管理者,機密性,完全性,可用性,ネットワーク区分,媒体,特定個人情報,管理策,運用形態,委託先,契約番号,適用除外,点検日,廃棄日,廃棄担当者,廃棄方法,廃棄承認者\r\n".as_bytes())?;
    let mut line = String::with_capacity(512);
    for n in 1..=count {
        line.clear();
        let kind = kind(n);
        let segment = segment(n);
        let paper = segment.is_empty() && kind != 'ア';
        let mut org = ORGS[rng.below(ORGS.len() as u64) as usize];
        if segment == "マイナンバー利用事務系" {
            org = "市長部局";
        }
        let exclusion = match org {
            "教育委員会" if rng.chance(100) => "学校教育情報",
            "市民病院" if rng.chance(100) => "市民病院の医療情報",
            _ => "",
        };
        let c = match (segment, rng.below(10)) {
            ("マイナンバー利用事務系", _) => "3B",
            (_, 0) => "1",
            (_, 1..=3) => "2",
            (_, 4..=8) => "3C",
            _ => "3B",
        };
        // Systems are mostly classified as high as what they may hold; a few are not.
        let c = if kind == 'ア' && rng.chance(990) {
            "3B"
        } else {
            c
        };
        // 3A and 3B stay off the internet segment (GUIDELINE-NOTES §5.3).
        let c = if segment == "インターネット接続系" && c == "3B" {
            "3C"
        } else {
            c
        };
        let (i, a) = if rng.chance(if kind == 'ア' { 995 } else { 700 }) {
            ("2", "2")
        } else {
            ("1", "1")
        };
        let medium = match (kind, paper) {
            (_, true) => "紙",
            ('ア', _) => "サーバ",
            _ => "データベース",
        };
        let my_number = segment == "マイナンバー利用事務系" && kind == 'イ';
        let mut controls = String::from(if paper { PAPER } else { FULL });
        if kind == 'ア' && segment == "インターネット接続系" {
            controls.push_str(INTERNET);
        }
        if segment == "マイナンバー利用事務系" && !rng.chance(5) {
            controls.push_str(";mfa;export_blocked");
        }
        if !paper && rng.chance(10) {
            controls = controls.replace("backup;", "");
        }
        let hosted = kind == 'ア' && rng.chance(200);
        let (hosting, provider, contract) = if hosted {
            (
                "クラウド",
                "株式会社ベンチ",
                if rng.chance(980) { "R8-1" } else { "" },
            )
        } else {
            ("", "", "")
        };
        let manager = if rng.chance(990) { "管理 太郎" } else { "" };
        let reviewed = match rng.below(100) {
            0 => String::new(),
            1..=3 => "2024-04-01".to_owned(),
            // Reviews fall in January to November 2026: a date after today is refused.
            d => format!("2026-{:02}-{:02}", 1 + d % 11, 1 + d % 28),
        };
        let disposed = rng.chance(10);
        let _ = write!(
            line,
            "{},{kind},資産{n:07},{org},{manager},{c},{i},{a},{segment},{medium},{},{controls},{hosting},{provider},{contract},{exclusion},{reviewed},",
            id(n),
            if my_number { "○" } else { "×" },
        );
        if disposed {
            let approver = if rng.chance(900) { "承認 花子" } else { "" };
            let _ = write!(line, "2026-10-01,廃棄 次郎,物理破壊,{approver}");
        } else {
            line.push_str(",,,");
        }
        line.push_str("\r\n");
        out.write_all(line.as_bytes())?;
    }
    out.flush()
}

/// The segment block (0–9) of asset `n`.
fn block_of(n: u64) -> u64 {
    (n / 20) % 10
}

/// Picks an asset of `kind`, in segment block `segment` (0–9, see [`segment`]) when given.
fn pick(rng: &mut Rng, count: u64, kind: char, segment: Option<u64>) -> u64 {
    let (first, width) = match kind {
        'ア' => (0, 7),
        'イ' => (7, 12),
        _ => (19, 1),
    };
    let blocks = count / 20;
    loop {
        let mut block = rng.below(blocks);
        if let Some(segment) = segment {
            block = block - block % 10 + segment;
        }
        let m = block * 20 + first + rng.below(width);
        if (1..=count).contains(&m) {
            return m;
        }
    }
}

fn write_links(path: &Path, assets: u64, count: u64, rng: &mut Rng) -> std::io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    out.write_all("\u{feff}from,relation,to,sanitization\r\n".as_bytes())?;
    let mut seen = std::collections::HashSet::with_capacity(count as usize);
    let mut written = 0;
    let mut attempts = 0;
    while written < count && attempts < count * 4 {
        attempts += 1;
        let roll = rng.below(100);
        let (from, relation, to, sanitization) = match roll {
            // 55 %: information stored on a system of its segment.
            0..=54 => {
                let from = pick(rng, assets, 'イ', None);
                let to = pick(rng, assets, 'ア', Some(block_of(from)));
                (from, "stored_on", to, "")
            }
            // 25 %: systems connected within a segment; 1 in 500 across.
            55..=79 => {
                let from = pick(rng, assets, 'ア', None);
                let same = !rng.chance(2);
                let to = pick(rng, assets, 'ア', same.then_some(block_of(from)));
                (from, "connects_to", to, "")
            }
            // 10 %: copies, of information or of systems.
            80..=89 => {
                let k = if rng.chance(500) { 'イ' } else { 'ア' };
                let from = pick(rng, assets, k, None);
                let to = pick(rng, assets, k, Some(block_of(from)));
                (from, "copy_of", to, "")
            }
            // 5 %: documents describing systems.
            90..=94 => {
                let from = pick(rng, assets, 'ウ', None);
                let to = pick(rng, assets, 'ア', None);
                (from, "describes", to, "")
            }
            // 5 %: transfers from the internet segment into LGWAN, mostly sanitized.
            _ => {
                let (internet, lgwan) = (7 + rng.below(2), 2 + rng.below(5));
                let from = pick(rng, assets, 'ア', Some(internet));
                let to = pick(rng, assets, 'ア', Some(lgwan));
                let s = if rng.chance(950) {
                    "file_sanitization"
                } else {
                    "none"
                };
                (from, "transfers_to", to, s)
            }
        };
        if from == to || !seen.insert((from, relation, to)) {
            continue;
        }
        writeln!(out, "{},{relation},{},{sanitization}\r", id(from), id(to))?;
        written += 1;
        // One copy in a hundred is also entered the other way round: a cycle.
        if relation == "copy_of"
            && written < count
            && rng.chance(10)
            && seen.insert((to, relation, from))
        {
            writeln!(out, "{},{relation},{},\r", id(to), id(from))?;
            written += 1;
        }
    }
    out.flush()?;
    Ok(written)
}

/// Peak resident memory of this process, in MiB (Linux `VmHWM`).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// CPU time used by this process so far (user + system, all threads), from
/// `/proc/self/stat`; with other work on the machine, wall time alone misleads.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // Linux reports clock ticks, 100 per second.
    Some(ticks as f64 / 100.0)
}

/// The load average of the last minute, to judge the wall times.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "n/a".to_owned())
}

/// The child: open, snapshot, check; print the figures.
fn run_check(db: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let options = CheckOptions::default().with_today(daicho::parse::parse_date("2026-11-25")?.date);
    let load_before = load_average();
    let cpu_start = cpu_seconds();
    let started = Instant::now();
    let register = Register::open(db)?;
    let snapshot = register.snapshot()?;
    let loaded = started.elapsed();
    let cpu_loaded = cpu_seconds();
    let report = snapshot.check(&options);
    let total = started.elapsed();
    let cpu_total = cpu_seconds();
    let cpu = |from: Option<f64>, to: Option<f64>| {
        from.zip(to)
            .map_or_else(|| "n/a".to_owned(), |(a, b)| format!("{:.2}s", b - a))
    };
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in &report.findings {
        *by_rule.entry(finding.rule.code()).or_default() += 1;
    }
    println!(
        "check:     {} assets ({} checked, {} excluded, {} disposed), {} links",
        snapshot.len(),
        report.checked,
        report.excluded.len(),
        report.disposed,
        report.links
    );
    println!(
        "           open + snapshot {:.2}s (CPU {}), rules {:.2}s (CPU {}), total {:.2}s (CPU {}), peak RSS {}, load average {load_before} before",
        loaded.as_secs_f64(),
        cpu(cpu_start, cpu_loaded),
        total.saturating_sub(loaded).as_secs_f64(),
        cpu(cpu_loaded, cpu_total),
        total.as_secs_f64(),
        cpu(cpu_start, cpu_total),
        peak_rss_mib().map_or_else(|| "n/a".to_owned(), |m| format!("{m:.0} MiB"))
    );
    println!("           {} findings:", report.findings.len());
    for (rule, n) in by_rule {
        println!("             {rule:<30} {n:>8}");
    }
    Ok(())
}

/// The child, streamed: open, snapshot, check into sorted runs, then the
/// JSON report written to nowhere; print the figures.
fn run_streamed(db: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let options = CheckOptions::default().with_today(daicho::parse::parse_date("2026-11-25")?.date);
    let load_before = load_average();
    let cpu_start = cpu_seconds();
    let started = Instant::now();
    let register = Register::open(db)?;
    let report = register.check_streamed(&options, None)?;
    let checked = started.elapsed();
    let cpu_checked = cpu_seconds();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::sink());
    serde_json::to_writer_pretty(&mut out, &daicho::StreamedReportRecord(&report))?;
    out.flush()?;
    let total = started.elapsed();
    let cpu_total = cpu_seconds();
    let cpu = |from: Option<f64>, to: Option<f64>| {
        from.zip(to)
            .map_or_else(|| "n/a".to_owned(), |(a, b)| format!("{:.2}s", b - a))
    };
    println!(
        "streamed:  open + snapshot + rules {:.2}s (CPU {}), JSON report {:.2}s (CPU {}), total {:.2}s (CPU {}), peak RSS {}, load average {load_before} before; {} findings",
        checked.as_secs_f64(),
        cpu(cpu_start, cpu_checked),
        total.saturating_sub(checked).as_secs_f64(),
        cpu(cpu_checked, cpu_total),
        total.as_secs_f64(),
        cpu(cpu_start, cpu_total),
        peak_rss_mib().map_or_else(|| "n/a".to_owned(), |m| format!("{m:.0} MiB")),
        report.len(),
    );
    Ok(())
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    if let Some(db) = &args.run {
        return if args.streamed {
            run_streamed(db)
        } else {
            run_check(db)
        };
    }
    let temp = tempfile::tempdir()?;
    let dir = args.keep.as_deref().unwrap_or(temp.path());
    std::fs::create_dir_all(dir)?;
    let (assets_csv, links_csv, db) = (
        dir.join("check-assets.csv"),
        dir.join("check-links.csv"),
        dir.join("check.db"),
    );
    for stale in [&assets_csv, &links_csv, &db] {
        let _ = std::fs::remove_file(stale);
    }
    let mut rng = Rng(args.seed);
    let started = Instant::now();
    write_assets(&assets_csv, args.assets, &mut rng)?;
    let links = write_links(&links_csv, args.assets, args.links, &mut rng)?;
    println!(
        "generated: {} assets, {links} links in {:.2?}",
        args.assets,
        started.elapsed()
    );
    let started = Instant::now();
    let mut register = Register::create(&db, &Policy::niigata())?;
    register.set_actor("bench")?;
    register.import_paths(
        Some(&assets_csv),
        Some(&links_csv),
        &ImportOptions::default(),
    )?;
    drop(register);
    println!("imported:  {:.2?} (setup, not timed)", started.elapsed());

    for mode in ["memory", "streamed"] {
        let status = Command::new(std::env::current_exe()?)
            .arg("--run")
            .arg(&db)
            .args(["--mode", mode])
            .status()?;
        if !status.success() {
            return Err(format!("the check process failed: {status}").into());
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
