//! Findings sorted in report order without holding them all (issue 17): a
//! [`Sorter`] keeps a bounded buffer of [`Emitted`] findings, and when it is
//! full sorts it and writes it as a sorted run to a temporary file (created
//! unnamed, so owner-only and gone when closed); [`merge`] reads the runs and
//! the sorted tail back in one k-way merge, one finding per run in memory.
//!
//! A run's finding is stored compactly: its assets as indexes into the
//! snapshot (which the merge has), its rule, severity and organization as
//! small numbers, its texts with their lengths.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use crate::error::{Error, Result};
use crate::rules::catalog::{RuleId, Severity};
use crate::rules::findings::Subject;
use crate::rules::snapshot::Snapshot;

/// A finding as the rules emit it, before it is rendered: assets by index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Emitted {
    pub(crate) rule: RuleId,
    pub(crate) severity: Severity,
    /// The organization's index in the policy's order (its rank).
    pub(crate) org: u16,
    pub(crate) assets: Vec<u32>,
    pub(crate) subject: Option<Subject>,
    pub(crate) message_ja: String,
    pub(crate) message_en: String,
    pub(crate) exception: Option<i64>,
    /// Where it was emitted (the part of the check, then its place in that
    /// part): the last key of the report's order, so that findings alike
    /// in every other key keep the order the rules found them in.
    pub(crate) order: u64,
}

impl Emitted {
    /// About what it holds in memory, for the buffer's bound.
    fn weight(&self) -> usize {
        const ALLOCATION: usize = 16;
        let subject = match &self.subject {
            Some(Subject::Process { name, .. }) => name.capacity() + ALLOCATION,
            _ => 0,
        };
        std::mem::size_of::<Emitted>()
            + self.assets.capacity() * 4
            + self.message_ja.capacity()
            + self.message_en.capacity()
            + subject
            + 3 * ALLOCATION
    }
}

/// The report's order: organization (the policy's order), severity, rule,
/// the first asset's name and id, the subject, the English message, then
/// the order the rules emitted them in.
pub(crate) fn report_order(snapshot: &Snapshot, a: &Emitted, b: &Emitted) -> Ordering {
    let first = |e: &Emitted| {
        e.assets
            .first()
            .map(|&i| (snapshot.name(i), snapshot.ids[i as usize]))
    };
    a.org
        .cmp(&b.org)
        .then(a.severity.cmp(&b.severity))
        .then(a.rule.cmp(&b.rule))
        .then_with(|| first(a).cmp(&first(b)))
        .then_with(|| a.subject.cmp(&b.subject))
        .then_with(|| a.message_en.cmp(&b.message_en))
        .then(a.order.cmp(&b.order))
}

/// How many sorted runs a sorter keeps before merging the runs written
/// since its last merge into one, so that a merge never opens more files
/// than this (and a few more). Each finding is merged again at most once
/// while fewer than this many merged runs accumulate (a few gigabytes of
/// findings a part), so the work stays linear in the findings; past that
/// every run is merged into one.
const MAX_RUNS: usize = 64;

/// Findings kept in report order: a bounded buffer, spilled as sorted runs
/// to temporary files when a bound is given.
#[derive(Debug)]
pub(crate) struct Sorter {
    /// The buffer's bound in bytes; none keeps every finding in memory.
    limit: Option<usize>,
    buffered: Vec<Emitted>,
    weight: usize,
    runs: Vec<File>,
    /// How many of the first runs are merges of earlier runs.
    merged: usize,
    /// The first failure to write a run; later findings are dropped.
    failed: Option<Error>,
}

impl Sorter {
    pub(crate) fn new(limit: Option<usize>) -> Self {
        Sorter {
            limit,
            buffered: Vec::new(),
            weight: 0,
            runs: Vec::new(),
            merged: 0,
            failed: None,
        }
    }

    pub(crate) fn push(&mut self, snapshot: &Snapshot, finding: Emitted) {
        if self.failed.is_some() {
            return;
        }
        self.weight += finding.weight();
        self.buffered.push(finding);
        if self.limit.is_some_and(|limit| self.weight > limit)
            && let Err(err) = self.spill(snapshot)
        {
            self.failed = Some(err);
        }
    }

    /// Writes the buffer as one sorted run.
    fn spill(&mut self, snapshot: &Snapshot) -> Result<()> {
        self.buffered
            .sort_unstable_by(|a, b| report_order(snapshot, a, b));
        let file = temporary()?;
        {
            let mut out = BufWriter::with_capacity(1 << 16, &file);
            for finding in self.buffered.drain(..) {
                write_finding(&mut out, &finding).map_err(|e| io("write", e))?;
            }
            out.flush().map_err(|e| io("write", e))?;
        }
        self.buffered.shrink_to(self.buffered.capacity() / 2);
        self.weight = 0;
        self.runs.push(file);
        if self.runs.len() >= MAX_RUNS {
            if self.merged >= MAX_RUNS / 2 {
                self.merged = 0;
            }
            let file = temporary()?;
            {
                let mut out = BufWriter::with_capacity(1 << 16, &file);
                let runs = self.runs.split_off(self.merged);
                let sources = runs.iter().map(Source::run).collect::<Result<Vec<_>>>()?;
                merge(snapshot, sources, |finding| {
                    write_finding(&mut out, &finding).map_err(|e| io("write", e))
                })?;
                out.flush().map_err(|e| io("write", e))?;
            }
            self.runs.push(file);
            self.merged += 1;
        }
        Ok(())
    }

    /// Every finding, sorted, when no bound was given (none is ever
    /// spilled then).
    pub(crate) fn into_sorted(mut self, snapshot: &Snapshot) -> Vec<Emitted> {
        debug_assert!(self.limit.is_none() && self.runs.is_empty());
        self.buffered
            .sort_unstable_by(|a, b| report_order(snapshot, a, b));
        self.buffered
    }

    /// The sorted runs and the sorted tail, or the first failure.
    pub(crate) fn finish(mut self, snapshot: &Snapshot) -> Result<(Vec<File>, Vec<Emitted>)> {
        if let Some(err) = self.failed {
            return Err(err);
        }
        self.buffered
            .sort_unstable_by(|a, b| report_order(snapshot, a, b));
        Ok((self.runs, self.buffered))
    }
}

/// A temporary file, unnamed (owner-only, and removed when closed).
fn temporary() -> Result<File> {
    tempfile::tempfile().map_err(|e| io("create", e))
}

fn io(action: &'static str, source: std::io::Error) -> Error {
    Error::Io {
        action,
        path: std::env::temp_dir(),
        source,
    }
}

/// Where the merge reads findings from.
pub(crate) enum Source<'a> {
    /// A sorted run, read from its start.
    Run(BufReader<&'a File>),
    /// Findings in memory, sorted.
    Memory(std::vec::IntoIter<Emitted>),
}

impl<'a> Source<'a> {
    /// A run read from its start.
    pub(crate) fn run(file: &'a File) -> Result<Self> {
        let mut handle = file;
        handle.seek(SeekFrom::Start(0)).map_err(|e| io("read", e))?;
        Ok(Source::Run(BufReader::with_capacity(1 << 16, file)))
    }

    fn next(&mut self) -> Result<Option<Emitted>> {
        match self {
            Source::Run(reader) => read_finding(reader),
            Source::Memory(findings) => Ok(findings.next()),
        }
    }
}

/// One source's next finding, in the merge's heap (smallest first).
struct Head<'s> {
    finding: Emitted,
    source: usize,
    snapshot: &'s Snapshot,
}

impl PartialEq for Head<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Head<'_> {}
impl PartialOrd for Head<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Head<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: `BinaryHeap` pops the greatest.
        report_order(self.snapshot, &other.finding, &self.finding)
            .then(other.source.cmp(&self.source))
    }
}

/// Calls `each` with every finding of `sources` (each sorted) in report
/// order.
pub(crate) fn merge<E: From<Error>>(
    snapshot: &Snapshot,
    mut sources: Vec<Source<'_>>,
    mut each: impl FnMut(Emitted) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let mut heap = BinaryHeap::with_capacity(sources.len());
    for (source, from) in sources.iter_mut().enumerate() {
        if let Some(finding) = from.next()? {
            heap.push(Head {
                finding,
                source,
                snapshot,
            });
        }
    }
    while let Some(Head {
        finding, source, ..
    }) = heap.pop()
    {
        if let Some(next) = sources[source].next()? {
            heap.push(Head {
                finding: next,
                source,
                snapshot,
            });
        }
        each(finding)?;
    }
    Ok(())
}

fn write_finding(out: &mut impl Write, f: &Emitted) -> std::io::Result<()> {
    let text = |out: &mut dyn Write, s: &str| -> std::io::Result<()> {
        out.write_all(&(s.len() as u64).to_le_bytes())?;
        out.write_all(s.as_bytes())
    };
    out.write_all(&[f.rule as u8, f.severity as u8])?;
    out.write_all(&f.org.to_le_bytes())?;
    out.write_all(&f.order.to_le_bytes())?;
    match f.exception {
        Some(id) => {
            out.write_all(&[1])?;
            out.write_all(&id.to_le_bytes())?;
        }
        None => out.write_all(&[0])?,
    }
    out.write_all(&(f.assets.len() as u32).to_le_bytes())?;
    for a in &f.assets {
        out.write_all(&a.to_le_bytes())?;
    }
    match &f.subject {
        None => out.write_all(&[0])?,
        Some(Subject::Process { id, name }) => {
            out.write_all(&[1])?;
            out.write_all(&id.to_le_bytes())?;
            text(out, name)?;
        }
        Some(Subject::Finding { id }) => {
            out.write_all(&[2])?;
            out.write_all(&id.to_le_bytes())?;
        }
    }
    text(out, &f.message_ja)?;
    text(out, &f.message_en)
}

fn read_finding(input: &mut impl Read) -> Result<Option<Emitted>> {
    let mut head = [0u8; 2];
    match input.read(&mut head[..1]).map_err(|e| io("read", e))? {
        0 => return Ok(None),
        _ => read_exact(input, &mut head[1..])?,
    }
    let corrupt = |what: &str| Error::Corrupt {
        what: format!("a temporary file of the self-inspection has {what}"),
    };
    let rule = *RuleId::ALL
        .get(usize::from(head[0]))
        .ok_or_else(|| corrupt("an unknown rule"))?;
    let severity = match head[1] {
        0 => Severity::Error,
        1 => Severity::Warning,
        2 => Severity::Info,
        _ => return Err(corrupt("an unknown severity")),
    };
    let org = u16::from_le_bytes(bytes(input)?);
    let order = u64::from_le_bytes(bytes(input)?);
    let exception = match bytes::<1>(input)?[0] {
        0 => None,
        _ => Some(i64::from_le_bytes(bytes(input)?)),
    };
    let count = u32::from_le_bytes(bytes(input)?);
    let mut assets = Vec::with_capacity(count.min(1024) as usize);
    for _ in 0..count {
        assets.push(u32::from_le_bytes(bytes(input)?));
    }
    let subject = match bytes::<1>(input)?[0] {
        0 => None,
        1 => Some(Subject::Process {
            id: i64::from_le_bytes(bytes(input)?),
            name: text(input)?,
        }),
        2 => Some(Subject::Finding {
            id: i64::from_le_bytes(bytes(input)?),
        }),
        _ => return Err(corrupt("an unknown subject")),
    };
    Ok(Some(Emitted {
        rule,
        severity,
        org,
        assets,
        subject,
        message_ja: text(input)?,
        message_en: text(input)?,
        exception,
        order,
    }))
}

fn read_exact(input: &mut impl Read, buf: &mut [u8]) -> Result<()> {
    input.read_exact(buf).map_err(|e| io("read", e))
}

fn bytes<const N: usize>(input: &mut impl Read) -> Result<[u8; N]> {
    let mut buf = [0u8; N];
    read_exact(input, &mut buf)?;
    Ok(buf)
}

fn text(input: &mut impl Read) -> Result<String> {
    let len = u64::from_le_bytes(bytes(input)?);
    let mut buf = Vec::new();
    input
        .take(len)
        .read_to_end(&mut buf)
        .map_err(|e| io("read", e))?;
    if buf.len() as u64 != len {
        return Err(Error::Corrupt {
            what: "a temporary file of the self-inspection ends inside a finding".to_owned(),
        });
    }
    String::from_utf8(buf).map_err(|_| Error::Corrupt {
        what: "a temporary file of the self-inspection has a text that is not UTF-8".to_owned(),
    })
}

#[cfg(test)]
mod tests;
