//! The ids (and the keys of id-less rows) met so far in a sheet, for the
//! duplicate check: in memory, and past a limit in a private temporary
//! database, so that memory stays flat however long the sheet is.

use std::collections::HashMap;
use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use rusqlite::{Connection, params};

use super::sqlite_failed;
use crate::error::Result;
use crate::model::AssetId;

/// Ids kept in memory for the duplicate check; past this many, they move to
/// a temporary table, so that memory stays flat however long the sheet is.
#[cfg(not(test))]
const SEEN_IN_MEMORY: usize = 100_000;
/// Small in tests, so that they cover the temporary table.
#[cfg(test)]
const SEEN_IN_MEMORY: usize = 100;

/// The ids met so far in an asset sheet, with their lines.
///
/// Past [`SEEN_IN_MEMORY`] ids they move, sorted, to a table of a private
/// temporary database (on disk, deleted when closed), not the register's
/// connection, so that a bulk import can check ids on its reading thread.
/// A filter of a fixed size says which ids may have moved, so that the
/// table is read only for those (a repeated id, or about one in 2,000 at
/// 4,000,000 ids); until then it has no index, and a batch only appends.
#[derive(Default)]
pub(crate) struct SeenIds(Seen);

impl SeenIds {
    /// Records an id; returns the line it was first met on, if it was.
    pub(crate) fn insert(&mut self, id: AssetId, line: u64) -> Result<Option<u64>> {
        self.0.insert(*id.as_bytes(), line)
    }
}

/// The keys of the id-less rows of a first import (a 管理番号, or an
/// organization and a name), by a 128-bit hash of each, with their rows:
/// two rows describing the same asset are found without the store, and
/// memory stays flat as [`SeenIds`]' does.
#[derive(Default)]
pub(crate) struct SeenKeys(Seen);

impl SeenKeys {
    /// Records a row's key; returns the row it was first met on, if it was.
    pub(crate) fn insert(
        &mut self,
        key: &(impl std::hash::Hash + ?Sized),
        row: u64,
    ) -> Result<Option<u64>> {
        let high = FixedState::with_seed(0x6461_6963_686f).hash_one(key);
        let low = FixedState::with_seed(0x6b65_7973_0002).hash_one(key);
        let hash = (u128::from(high) << 64) | u128::from(low);
        self.0.insert(hash.to_be_bytes(), row)
    }
}

/// Keys of 16 bytes (an id's, or a key's hash) with the line each was first
/// met on.
#[derive(Default)]
struct Seen {
    memory: HashMap<[u8; 16], u64, foldhash::fast::RandomState>,
    spilled: Option<Spilled>,
}

/// The ids moved out of memory.
struct Spilled {
    conn: Connection,
    filter: Filter,
    /// Whether the table has its index on ids yet: it is made when the
    /// filter first lets an id through, so that a sheet without repeated
    /// ids only appends.
    indexed: bool,
}

impl Seen {
    /// Records a key; returns the line it was first met on, if it was.
    fn insert(&mut self, id: [u8; 16], line: u64) -> Result<Option<u64>> {
        let storage = || sqlite_failed("checking the sheet's ids");
        if let Some(first) = self.memory.get(&id) {
            return Ok(Some(*first));
        }
        if let Some(spilled) = &mut self.spilled
            && spilled.filter.may_hold(id)
        {
            if !spilled.indexed {
                spilled
                    .conn
                    .execute_batch("CREATE INDEX sheet_seen_id ON sheet_seen (id)")
                    .map_err(storage())?;
                spilled.indexed = true;
            }
            let first: Option<i64> = spilled
                .conn
                .prepare_cached("SELECT line FROM sheet_seen WHERE id = ?1")
                .and_then(|mut stmt| {
                    let mut rows = stmt.query([id.as_slice()])?;
                    rows.next()?.map(|row| row.get(0)).transpose()
                })
                .map_err(storage())?;
            if let Some(first) = first {
                return Ok(Some(first as u64));
            }
        }
        if self.memory.len() >= SEEN_IN_MEMORY {
            self.spill()?;
        }
        self.memory.insert(id, line);
        Ok(None)
    }

    /// Moves the ids in memory to the temporary table, in order (so that
    /// a batch touches each page of the index, once there is one, once), and
    /// into the filter.
    fn spill(&mut self) -> Result<()> {
        let storage = || sqlite_failed("checking the sheet's ids");
        if self.spilled.is_none() {
            let conn = Connection::open("").map_err(storage())?;
            conn.execute_batch(
                "CREATE TABLE sheet_seen (id BLOB NOT NULL, line INTEGER NOT NULL); BEGIN;",
            )
            .map_err(storage())?;
            self.spilled = Some(Spilled {
                conn,
                filter: Filter::new(),
                indexed: false,
            });
        }
        let Some(spilled) = &mut self.spilled else {
            return Ok(());
        };
        let mut ids: Vec<([u8; 16], u64)> = self.memory.drain().collect();
        ids.sort_unstable_by_key(|(id, _)| *id);
        let mut stmt = spilled
            .conn
            .prepare_cached("INSERT INTO sheet_seen (id, line) VALUES (?1, ?2)")
            .map_err(storage())?;
        for (id, line) in ids {
            spilled.filter.add(id);
            stmt.execute(params![id.as_slice(), line as i64])
                .map_err(storage())?;
        }
        Ok(())
    }
}

/// A Bloom filter of ids, of a fixed size: every id added answers true;
/// another id true about once in 2,000 at 4,000,000 ids, far less below.
/// Each id sets [`Filter::BITS`] bits of one block of 64 bytes, so that a
/// look-up reads one cache line.
struct Filter {
    blocks: Vec<[u64; 8]>,
}

impl Filter {
    /// 8 MiB.
    const BLOCKS: usize = 1 << 17;
    /// Bits set per id.
    const BITS: u32 = 7;

    fn new() -> Self {
        Filter {
            blocks: vec![[0; 8]; Self::BLOCKS],
        }
    }

    /// The block and the bits (word, bit) of an id.
    fn place(id: [u8; 16]) -> (usize, impl Iterator<Item = (usize, u64)>) {
        let block = FixedState::with_seed(0x7365_656e_0001).hash_one(id);
        let bits = FixedState::with_seed(0x7365_656e_0002).hash_one(id);
        // The top bits choose the block; each 9 bits of the other hash, a
        // bit of its 512.
        let index = ((block >> 32) as usize * Self::BLOCKS) >> 32;
        let positions = (0..Self::BITS).map(move |i| {
            let bit = (bits >> (i * 9)) & 511;
            ((bit / 64) as usize, 1u64 << (bit % 64))
        });
        (index, positions)
    }

    fn add(&mut self, id: [u8; 16]) {
        let (index, positions) = Self::place(id);
        let block = &mut self.blocks[index];
        for (word, bit) in positions {
            block[word] |= bit;
        }
    }

    fn may_hold(&self, id: [u8; 16]) -> bool {
        let (index, mut positions) = Self::place(id);
        let block = &self.blocks[index];
        positions.all(|(word, bit)| block[word] & bit != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> AssetId {
        AssetId::from_bytes(&(n + 1).to_be_bytes()).expect("16 bytes")
    }

    #[test]
    fn an_id_met_again_names_its_first_line_in_memory_and_past_it() {
        let mut seen = SeenIds::default();
        for n in 0..1_000 {
            assert_eq!(seen.insert(id(n), n as u64 + 2).unwrap(), None);
        }
        assert!(seen.0.spilled.is_some(), "past the limit, ids move out");
        assert!(seen.0.memory.len() <= SEEN_IN_MEMORY);
        // Moved out, and still in memory.
        assert_eq!(seen.insert(id(3), 9_000).unwrap(), Some(5));
        assert_eq!(seen.insert(id(999), 9_001).unwrap(), Some(1_001));
        assert_eq!(seen.insert(id(5_000), 9_002).unwrap(), None);
        assert_eq!(seen.insert(id(5_000), 9_003).unwrap(), Some(9_002));
    }

    #[test]
    fn the_filter_holds_every_id_added_and_few_others() {
        let mut filter = Filter::new();
        let key = |n: u128| *id(n).as_bytes();
        for n in 0..100_000 {
            filter.add(key(n));
        }
        assert!((0..100_000).all(|n| filter.may_hold(key(n))));
        let others = (100_000..200_000)
            .filter(|&n| filter.may_hold(key(n)))
            .count();
        assert!(others < 10, "{others} of 100,000 other ids pass");
    }

    #[test]
    fn a_key_met_again_names_its_first_row_in_memory_and_past_it() {
        let mut seen = SeenKeys::default();
        assert_eq!(seen.insert(&("mayor", "住民記録"), 2).unwrap(), None);
        assert_eq!(seen.insert(&("water", "住民記録"), 3).unwrap(), None);
        assert_eq!(seen.insert(&("mayor", "住民記録"), 9).unwrap(), Some(2));
        assert_eq!(seen.insert("J-001", 10).unwrap(), None);
        assert_eq!(seen.insert("J-001", 11).unwrap(), Some(10));
        for n in 0..1_000_u64 {
            let name = format!("資産{n}");
            assert_eq!(
                seen.insert(&("mayor", name.as_str()), n + 20).unwrap(),
                None
            );
        }
        assert!(seen.0.spilled.is_some(), "past the limit, keys move out");
        assert_eq!(seen.insert(&("mayor", "住民記録"), 2_000).unwrap(), Some(2));
        assert_eq!(seen.insert(&("mayor", "資産7"), 2_001).unwrap(), Some(27));
        assert_eq!(seen.insert(&("water", "資産7"), 2_002).unwrap(), None);
    }
}
