//! The two stages of a bulk import (an asset sheet into an empty register):
//! the calling thread reads, parses and validates the rows, builds each new
//! asset's audit JSON and hashes the audit chain in row order; a second
//! thread, holding the open transaction, only inserts the prepared rows.
//!
//! Rows cross in batches over a bounded channel, so memory stays flat
//! however long the sheet is. Errors in the rows are the first stage's
//! business: it stops sending rows at the first one, and the transaction is
//! rolled back at the end, as for any failed import.

use std::sync::mpsc;

use rusqlite::Connection;

use crate::audit::{self, Action, Change};
use crate::error::Result;
use crate::model::Asset;
use crate::store;

/// A new asset ready to be written, with its audit entry already numbered
/// and hashed.
pub(super) struct Created {
    /// The asset, version 1, created now.
    pub(super) asset: Asset,
    /// The audit entry's `after` JSON.
    pub(super) after: String,
    /// The audit entry's sequence number.
    pub(super) seq: u64,
    /// The audit entry's chained hash.
    pub(super) hash: [u8; 32],
}

/// Rows per batch sent to the writer.
const BATCH: usize = 512;

/// Batches on their way to the writer at most, besides the two being filled
/// and written.
const BATCHES_IN_FLIGHT: usize = 4;

/// Runs `produce` on this thread, writing every row it hands to its sink
/// (in order) on a second thread through `conn`, whose transaction is open.
///
/// `at` and `actor` are the audit entries' time and actor; `at` is also the
/// new assets' creation time. A write error stops the writer and is
/// returned; otherwise `produce`'s result is.
pub(super) fn insert_created<T>(
    conn: &mut Connection,
    at: &str,
    actor: &str,
    produce: impl FnOnce(&mut dyn FnMut(Created)) -> Result<T>,
) -> Result<T> {
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<Vec<Created>>(BATCHES_IN_FLIGHT);
        let writer = scope.spawn(move || write(conn, at, actor, &receiver));
        let mut batch = Vec::with_capacity(BATCH);
        let produced = produce(&mut |row| {
            batch.push(row);
            if batch.len() >= BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                // A closed channel means the writer failed: its error is
                // returned below, and these rows are not needed.
                let _ = sender.send(full);
            }
        });
        if !batch.is_empty() {
            let _ = sender.send(batch);
        }
        drop(sender);
        match writer.join() {
            Ok(written) => written.and(produced),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// The second stage: inserts each asset and its audit entry.
fn write(
    conn: &Connection,
    at: &str,
    actor: &str,
    receiver: &mpsc::Receiver<Vec<Created>>,
) -> Result<()> {
    // The statements are prepared once, not looked up for every row.
    let mut insert_asset = store::prepare_insert_asset(conn)?;
    let mut insert_entry = audit::prepare_insert_entry(conn)?;
    for batch in receiver {
        for row in batch {
            store::insert_asset_with(&mut insert_asset, &row.asset, at, at)?;
            let change = Change {
                action: Action::Create,
                asset_id: Some(row.asset.id),
                related_id: None,
                before: None,
                after: Some(&row.after),
            };
            audit::insert_entry_with(&mut insert_entry, row.seq, at, actor, &change, &row.hash)?;
        }
    }
    Ok(())
}
