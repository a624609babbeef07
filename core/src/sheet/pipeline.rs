//! The two stages of a bulk import (an asset sheet into an empty register):
//! the calling thread reads, parses and validates the rows, and turns each
//! new asset into the column values of its row and of its audit entry (the
//! JSON, the number and the chained hash included); a second thread, holding
//! the open transaction, only binds those values and steps the inserts.
//!
//! Rows cross in batches ([`Batch`]) over a bounded channel, so memory
//! stays flat however long the sheet is; written batches go back to the
//! reading thread to be filled again.
//!
//! Into a register file written through a rollback journal, a third thread
//! (on Linux) syncs the file system holding it every half second while the
//! rows are written, so that the commit does not wait for the disk to take
//! a gigabyte of dirty pages at once (about 0.9 s of a 1,000,000-row
//! import, otherwise). Syncing early is safe: until the commit, the journal
//! rolls those pages back after a crash. It syncs through the directory,
//! not a second descriptor of the register file: closing that would drop
//! the process's POSIX locks on the file, SQLite's included, and let other
//! processes write in the middle of the import
//! (<https://www.sqlite.org/howtocorrupt.html>, §2.2).
//!
//! Errors in the rows are the first stage's business: it stops sending rows
//! at the first one, and the transaction is rolled back at the end, as for
//! any failed import.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use crate::audit::{Action, Chain, Change};
use crate::error::Result;
use crate::model::Asset;
use crate::record;
use crate::store::{self, Batch, BulkWriter, Db};

/// Rows per batch sent to the writer, at most.
const BATCH_ROWS: usize = 512;

/// Batches on their way to the writer at most, besides the two being filled
/// and written.
const BATCHES_IN_FLIGHT: usize = 4;

/// How often the register file is synced while rows are written.
const SYNC_EVERY: Duration = Duration::from_millis(500);

/// The values of one row: the asset row's, then its audit entry's.
const ROW_VALUES: usize = BulkWriter::ROW_VALUES;

/// Runs `produce` on this thread, writing every asset it hands to its sink
/// (in order), with its audit entry, on a second thread through `db`,
/// whose transaction is open.
///
/// `file` is the register file, when it is written through a rollback
/// journal; its file system is then synced as the rows are written.
///
/// `at` is the audit entries' time and the new assets' creation time,
/// `actor` the entries' actor, and `chain` the audit log's head, moved past
/// the new entries. A write error stops the writer and is returned;
/// otherwise `produce`'s result is.
pub(super) fn insert_created<T>(
    db: &mut Db,
    file: Option<&Path>,
    at: &str,
    actor: &str,
    chain: &mut Chain,
    produce: impl FnOnce(&mut dyn FnMut(&Asset)) -> Result<T>,
) -> Result<T> {
    std::thread::scope(|scope| {
        let (to_writer, from_reader) = mpsc::sync_channel::<Batch>(BATCHES_IN_FLIGHT);
        let (to_reader, from_writer) = mpsc::channel::<Batch>();
        let (stop_syncing, stopped) = mpsc::channel::<()>();
        if let Some(directory) = file.and_then(open_directory) {
            // Not joined: the import need not wait for a sync still running
            // (of other files too) when it ends; the thread stops after it.
            // Best effort: without the thread, the commit syncs it all.
            let _ = std::thread::Builder::new()
                .name("daicho-sync".to_owned())
                .spawn(move || {
                    while let Err(mpsc::RecvTimeoutError::Timeout) =
                        stopped.recv_timeout(SYNC_EVERY)
                    {
                        sync_file_system(&directory);
                    }
                });
        }
        let writer = scope.spawn(move || write(db, &from_reader, &to_reader));
        let mut batch = Batch::default();
        let produced = produce(&mut |asset| {
            push_created(&mut batch, asset, at, actor, chain);
            if batch.is_full(BATCH_ROWS, ROW_VALUES) {
                let empty = from_writer.try_recv().unwrap_or_default();
                // A closed channel means the writer failed: its error is
                // returned below, and these rows are not needed.
                let _ = to_writer.send(std::mem::replace(&mut batch, empty));
            }
        });
        if !batch.is_empty() {
            let _ = to_writer.send(batch);
        }
        drop(to_writer);
        let written = writer.join();
        drop(stop_syncing);
        match written {
            Ok(written) => written.and(produced),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// The second stage: inserts each row and its audit entry, and hands each
/// written batch back.
fn write(db: &Db, batches: &mpsc::Receiver<Batch>, written: &mpsc::Sender<Batch>) -> Result<()> {
    // The statements are prepared once, not looked up for every row.
    let mut writer = db.bulk_writer()?;
    for mut batch in batches {
        for row in batch.rows(ROW_VALUES) {
            writer.write(row)?;
        }
        batch.clear();
        // The reading thread may have finished; the batch is then dropped.
        let _ = written.send(batch);
    }
    writer.finish()
}

/// The directory holding `file`, opened to sync its file system; `None`
/// where that is not done (best effort: the commit syncs anyway).
#[cfg(target_os = "linux")]
fn open_directory(file: &Path) -> Option<std::fs::File> {
    let directory = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::File::open(directory).ok()
}

#[cfg(not(target_os = "linux"))]
fn open_directory(_file: &Path) -> Option<std::fs::File> {
    None
}

#[cfg(target_os = "linux")]
fn sync_file_system(directory: &std::fs::File) {
    // A failure only leaves the pages to the commit's sync.
    let _ = rustix::fs::syncfs(directory);
}

#[cfg(not(target_os = "linux"))]
fn sync_file_system(_directory: &std::fs::File) {}

/// Adds a new asset's row and its audit entry, numbered and hashed by
/// `chain`.
fn push_created(batch: &mut Batch, asset: &Asset, at: &str, actor: &str, chain: &mut Chain) {
    store::asset_values(asset, at, at, |value| batch.push(value));
    let after = record::audit_json_at(asset, at, at, at);
    let change = Change {
        action: Action::Create,
        asset_id: Some(asset.id),
        related_id: None,
        before: None,
        after: Some(&after),
    };
    let sealed = chain.next(at, actor, &change);
    batch.extend(store::entry_values(&change.row(&sealed, at, actor)));
}
