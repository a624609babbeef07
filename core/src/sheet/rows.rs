//! Rows of column values handed from one thread to another in bulk: the
//! values kept flat, every text and blob in one buffer.
//!
//! A batch is filled, sent, emptied by the other thread and sent back to be
//! filled again, so that after the first few batches nothing is allocated
//! per row and neither thread frees memory the other allocated (which makes
//! two threads take turns at the allocator's locks).

use std::ops::Range;

use rusqlite::types::ValueRef;

/// Bytes of text and blobs a batch holds before it counts as full, besides
/// the row that crosses the limit: rows with long notes make smaller
/// batches, not larger ones.
const MAX_BYTES: usize = 1 << 20;

/// Values of rows of one width, flat: value `i` of row `r` is at
/// `r * width + i`.
#[derive(Debug, Default)]
pub(super) struct Batch {
    values: Vec<Slot>,
    bytes: Vec<u8>,
}

/// A value whose text or blob is in its batch's buffer.
#[derive(Debug, Clone)]
enum Slot {
    Null,
    Integer(i64),
    Real(f64),
    Text(Range<usize>),
    Blob(Range<usize>),
}

impl Batch {
    /// Adds a value, copying its text or blob.
    pub(super) fn push(&mut self, value: ValueRef<'_>) {
        let slot = match value {
            ValueRef::Null => Slot::Null,
            ValueRef::Integer(n) => Slot::Integer(n),
            ValueRef::Real(x) => Slot::Real(x),
            ValueRef::Text(text) => Slot::Text(self.copy(text)),
            ValueRef::Blob(blob) => Slot::Blob(self.copy(blob)),
        };
        self.values.push(slot);
    }

    /// Adds values, copying their texts and blobs.
    pub(super) fn extend<'v>(&mut self, values: impl IntoIterator<Item = ValueRef<'v>>) {
        for value in values {
            self.push(value);
        }
    }

    fn copy(&mut self, bytes: &[u8]) -> Range<usize> {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(bytes);
        start..self.bytes.len()
    }

    /// The values of each row, `width` at a time.
    pub(super) fn rows(&self, width: usize) -> impl Iterator<Item = Row<'_>> {
        self.values.chunks_exact(width).map(|slots| Row {
            slots,
            bytes: &self.bytes,
        })
    }

    /// Whether the batch holds `rows` rows of `width` values, or
    /// [`MAX_BYTES`] of text: time to send it.
    pub(super) fn is_full(&self, rows: usize, width: usize) -> bool {
        self.values.len() >= rows * width || self.bytes.len() >= MAX_BYTES
    }

    pub(super) fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Empties the batch, keeping its buffers' capacity.
    pub(super) fn clear(&mut self) {
        self.values.clear();
        self.bytes.clear();
    }
}

/// One row of a [`Batch`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Row<'a> {
    slots: &'a [Slot],
    bytes: &'a [u8],
}

impl<'a> Row<'a> {
    /// The value at `index` (0-based; panics past the row's width, as a
    /// slice would).
    pub(super) fn get(&self, index: usize) -> ValueRef<'a> {
        match &self.slots[index] {
            Slot::Null => ValueRef::Null,
            Slot::Integer(n) => ValueRef::Integer(*n),
            Slot::Real(x) => ValueRef::Real(*x),
            Slot::Text(range) => ValueRef::Text(&self.bytes[range.clone()]),
            Slot::Blob(range) => ValueRef::Blob(&self.bytes[range.clone()]),
        }
    }

    /// The values from `start` on, at most `N` of them, as an array.
    pub(super) fn array<const N: usize>(&self, start: usize) -> [ValueRef<'a>; N] {
        std::array::from_fn(|i| self.get(start + i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_gives_back_the_values_it_was_given() {
        let values = [
            ValueRef::Null,
            ValueRef::Integer(-7),
            ValueRef::Real(0.5),
            ValueRef::Text("住民記録".as_bytes()),
            ValueRef::Blob(&[0, 1, 2]),
            ValueRef::Text(b""),
        ];
        let mut batch = Batch::default();
        for _ in 0..3 {
            batch.extend(values);
        }
        assert!(batch.is_full(3, 6));
        assert!(!batch.is_full(4, 6));
        let rows: Vec<[ValueRef<'_>; 6]> = batch.rows(6).map(|row| row.array(0)).collect();
        assert_eq!(rows, [values; 3]);
        let row = batch.rows(6).next().unwrap();
        assert_eq!(row.array::<2>(3), [values[3], values[4]]);
        batch.clear();
        assert!(batch.is_empty());
        batch.push(ValueRef::Blob(&vec![0; MAX_BYTES]));
        assert!(batch.is_full(1_000, 6), "full by its bytes");
    }
}
