//! A worker process for the reliability tests (`tests/tests/reliability/`):
//! it writes to a register through the library, one line on stdout per
//! outcome, so that a test can run several at once or kill one mid-write.
//!
//! ```text
//! reliability-worker edit DB ACTOR COUNT SEED ID...   COUNT edits, then exit
//! reliability-worker churn DB ACTOR SEED ID...        edits and adds until killed
//! ```
//!
//! Output lines: `ok ID MARKER VERSION` for an edit that was written,
//! `conflict ID MARKER` for one refused as stale, `added ID` for a new asset.
//! Any other error is printed as `error …` and ends the worker with status 2.

#![allow(clippy::print_stdout, reason = "the outcomes are the worker's output")]

use std::io::Write;
use std::process::ExitCode;

use daicho::{AssetFields, AssetId, AssetName, Classification, Kind, Register};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("edit") if args.len() >= 6 => edit(&args[1], &args[2], &args[3], &args[4], &args[5..]),
        Some("churn") if args.len() >= 5 => churn(&args[1], &args[2], &args[3], &args[4..]),
        _ => Err(
            "usage: reliability-worker edit DB ACTOR COUNT SEED ID... | churn DB ACTOR SEED ID..."
                .to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            println!("error {message}");
            #[allow(
                clippy::print_stderr,
                reason = "the failure is the worker's diagnostic"
            )]
            {
                eprintln!("error: {message}");
            }
            ExitCode::from(2)
        }
    }
}

/// A small seeded generator (SplitMix64): the same seed gives the same run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn open(db: &str, actor: &str) -> Result<Register, String> {
    let mut register = Register::open(db).map_err(|e| format!("opening: {e}"))?;
    register
        .set_actor(actor)
        .map_err(|e| format!("setting the actor: {e}"))?;
    Ok(register)
}

fn ids(args: &[String]) -> Result<Vec<AssetId>, String> {
    args.iter()
        .map(|id| id.parse().map_err(|e| format!("{e}")))
        .collect()
}

fn number(text: &str) -> Result<u64, String> {
    text.parse().map_err(|_| format!("not a number: {text}"))
}

/// Sets an asset's notes to a unique marker; one time in twenty it bases the
/// change on a stale version on purpose, which must be refused as a conflict.
fn edit_once(
    register: &mut Register,
    rng: &mut Rng,
    id: AssetId,
    marker: &str,
    out: &mut impl Write,
) -> Result<(), String> {
    let current = register.get(id).map_err(|e| format!("reading {id}: {e}"))?;
    let mut fields = current.fields.clone();
    fields.notes = Some(marker.to_owned());
    let stale = current.version > 1 && rng.below(20) == 0;
    let expected = if stale {
        current.version - 1
    } else {
        current.version
    };
    let line = match register.update(id, expected, fields) {
        Ok(asset) => format!("ok {id} {marker} {}", asset.version),
        Err(e) if e.is_conflict() => format!("conflict {id} {marker}"),
        Err(e) => return Err(format!("editing {id}: {e}")),
    };
    writeln!(out, "{line}").map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())
}

fn edit(db: &str, actor: &str, count: &str, seed: &str, id_args: &[String]) -> Result<(), String> {
    let mut register = open(db, actor)?;
    let mut rng = Rng(number(seed)?);
    let ids = ids(id_args)?;
    let mut out = std::io::stdout().lock();
    for i in 0..number(count)? {
        let id = ids[rng.below(ids.len())];
        edit_once(
            &mut register,
            &mut rng,
            id,
            &format!("{actor}-{i}"),
            &mut out,
        )?;
    }
    Ok(())
}

fn churn(db: &str, actor: &str, seed: &str, id_args: &[String]) -> Result<(), String> {
    let mut register = open(db, actor)?;
    let mut rng = Rng(number(seed)?);
    let ids = ids(id_args)?;
    let policy = register.policy().clone();
    let org = policy
        .organizations()
        .first()
        .ok_or("the policy has no organization")?
        .code
        .clone();
    let mut out = std::io::stdout().lock();
    for i in 0_u64.. {
        if rng.below(4) == 0 {
            let class = Classification::parse(&policy, "2", "2", "2").map_err(|e| e.to_string())?;
            let name = AssetName::new(format!("{actor}-added-{i}")).map_err(|e| e.to_string())?;
            let mut fields = AssetFields::new(Kind::Information, name, org.clone(), class);
            // 1 to 4,000 characters: an empty note is refused (it is written as no note).
            fields.notes = Some("x".repeat(1 + rng.below(4000)));
            let asset = register.add(fields).map_err(|e| format!("adding: {e}"))?;
            writeln!(out, "added {}", asset.id).map_err(|e| e.to_string())?;
        } else {
            let id = ids[rng.below(ids.len())];
            edit_once(
                &mut register,
                &mut rng,
                id,
                &format!("{actor}-{i}"),
                &mut out,
            )?;
        }
    }
    Err("ran out of numbers".to_owned())
}
