//! Rows of column values handed from one thread to another in bulk: the
//! values kept flat, every text and blob in one buffer.
//!
//! A batch is filled, sent, emptied by the other thread and sent back to be
//! filled again, so that after the first few batches nothing is allocated
//! per row and neither thread frees memory the other allocated (which makes
//! two threads take turns at the allocator's locks).

use std::ops::Range;

use rusqlite::types::ValueRef;

/// A value of a column, borrowed: what rows in bulk are made of, named by
/// the store so that the rest of the library need not name SQLite's type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Value<'a> {
    /// No value.
    Null,
    /// A whole number.
    Integer(i64),
    /// A floating-point number.
    Real(f64),
    /// UTF-8 text.
    Text(&'a [u8]),
    /// Bytes.
    Blob(&'a [u8]),
}

impl Value<'_> {
    /// The name of the value's type, as SQLite names it.
    pub(crate) fn data_type(&self) -> &'static str {
        match self {
            Value::Null => "Null",
            Value::Integer(_) => "Integer",
            Value::Real(_) => "Real",
            Value::Text(_) => "Text",
            Value::Blob(_) => "Blob",
        }
    }
}

impl<'a> From<Value<'a>> for ValueRef<'a> {
    fn from(value: Value<'a>) -> Self {
        match value {
            Value::Null => ValueRef::Null,
            Value::Integer(n) => ValueRef::Integer(n),
            Value::Real(x) => ValueRef::Real(x),
            Value::Text(text) => ValueRef::Text(text),
            Value::Blob(blob) => ValueRef::Blob(blob),
        }
    }
}

impl<'a> From<ValueRef<'a>> for Value<'a> {
    fn from(value: ValueRef<'a>) -> Self {
        match value {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(n) => Value::Integer(n),
            ValueRef::Real(x) => Value::Real(x),
            ValueRef::Text(text) => Value::Text(text),
            ValueRef::Blob(blob) => Value::Blob(blob),
        }
    }
}

/// Bytes of text and blobs a batch holds before it counts as full, besides
/// the row that crosses the limit: rows with long notes make smaller
/// batches, not larger ones.
const MAX_BYTES: usize = 1 << 20;

/// Values of rows of one width, flat: value `i` of row `r` is at
/// `r * width + i`.
#[derive(Debug, Default)]
pub(crate) struct Batch {
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
    pub(crate) fn push(&mut self, value: Value<'_>) {
        let slot = match value {
            Value::Null => Slot::Null,
            Value::Integer(n) => Slot::Integer(n),
            Value::Real(x) => Slot::Real(x),
            Value::Text(text) => Slot::Text(self.copy(text)),
            Value::Blob(blob) => Slot::Blob(self.copy(blob)),
        };
        self.values.push(slot);
    }

    /// Adds values, copying their texts and blobs.
    pub(crate) fn extend<'v>(&mut self, values: impl IntoIterator<Item = Value<'v>>) {
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
    pub(crate) fn rows(&self, width: usize) -> impl Iterator<Item = Row<'_>> {
        self.values.chunks_exact(width).map(|slots| Row {
            slots,
            bytes: &self.bytes,
        })
    }

    /// Whether the batch holds `rows` rows of `width` values, or
    /// [`MAX_BYTES`] of text: time to send it.
    pub(crate) fn is_full(&self, rows: usize, width: usize) -> bool {
        self.values.len() >= rows * width || self.bytes.len() >= MAX_BYTES
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Empties the batch, keeping its buffers' capacity.
    pub(crate) fn clear(&mut self) {
        self.values.clear();
        self.bytes.clear();
    }
}

/// One row of a [`Batch`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row<'a> {
    slots: &'a [Slot],
    bytes: &'a [u8],
}

impl<'a> Row<'a> {
    /// The value at `index` (0-based; panics past the row's width, as a
    /// slice would).
    pub(crate) fn get(&self, index: usize) -> Value<'a> {
        match &self.slots[index] {
            Slot::Null => Value::Null,
            Slot::Integer(n) => Value::Integer(*n),
            Slot::Real(x) => Value::Real(*x),
            Slot::Text(range) => Value::Text(&self.bytes[range.clone()]),
            Slot::Blob(range) => Value::Blob(&self.bytes[range.clone()]),
        }
    }

    /// The values from `start` on, at most `N` of them, as an array.
    pub(crate) fn array<const N: usize>(&self, start: usize) -> [Value<'a>; N] {
        std::array::from_fn(|i| self.get(start + i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_gives_back_the_values_it_was_given() {
        let values = [
            Value::Null,
            Value::Integer(-7),
            Value::Real(0.5),
            Value::Text("住民記録".as_bytes()),
            Value::Blob(&[0, 1, 2]),
            Value::Text(b""),
        ];
        let mut batch = Batch::default();
        for _ in 0..3 {
            batch.extend(values);
        }
        assert!(batch.is_full(3, 6));
        assert!(!batch.is_full(4, 6));
        let rows: Vec<[Value<'_>; 6]> = batch.rows(6).map(|row| row.array(0)).collect();
        assert_eq!(rows, [values; 3]);
        let row = batch.rows(6).next().unwrap();
        assert_eq!(row.array::<2>(3), [values[3], values[4]]);
        batch.clear();
        assert!(batch.is_empty());
        batch.push(Value::Blob(&vec![0; MAX_BYTES]));
        assert!(batch.is_full(1_000, 6), "full by its bytes");
    }
}
