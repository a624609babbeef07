//! The size limit of one record (row), kept as the decoded text is read:
//! a row larger than [`ImportOptions::max_record_bytes`] is refused before
//! the csv reader holds it whole, so that a file of one endless line (or one
//! endless quoted cell) costs no more memory than the limit.
//!
//! The csv reader reads ahead by at most its buffer, so once more than the
//! limit and a buffer have been read since the current row began, the row is
//! larger than the limit and reading stops with [`RecordTooLarge`]. Rows a
//! little over the limit are finished and then refused by the reader, which
//! knows each row's exact size.
//!
//! [`ImportOptions::max_record_bytes`]: super::ImportOptions::max_record_bytes

use std::fmt;
use std::io::{self, Read};

/// The bytes the csv reader reads ahead (its buffer's capacity).
pub(super) const READ_AHEAD: usize = 64 * 1024;

/// A row larger than the limit, found while it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RecordTooLarge {
    /// The limit, in bytes.
    pub(super) limit: u64,
}

impl fmt::Display for RecordTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&too_large_en(self.limit))
    }
}

impl std::error::Error for RecordTooLarge {}

/// Why a row over the limit is refused.
pub(super) fn too_large(limit: u64) -> crate::text::Localized {
    crate::text::Localized::new(
        format!(
            "行が {} を超えています。1 行はそれまでです（閉じていない引用符があると、\
             ファイルの残りが 1 行になります）。本当にこの大きさの行なら上限を上げてください\
             （--max-record-bytes）",
            bytes(limit)
        ),
        too_large_en(limit),
    )
}

/// [`too_large`] in English.
fn too_large_en(limit: u64) -> String {
    format!(
        "the row is larger than {}, the most one row may hold (a quote never closed makes \
         one row of the rest of the file); if the row is meant to be this large, raise the \
         limit (--max-record-bytes)",
        bytes(limit)
    )
}

/// A size for a person: `1 MiB`, `64 KiB`, else bytes.
fn bytes(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// A reader that stops once the current row has grown past the limit.
#[derive(Debug)]
pub(super) struct Limited<R> {
    inner: R,
    limit: u64,
    /// Bytes handed to the csv reader.
    passed: u64,
    /// Where the current row begins, as the csv reader counts bytes.
    row_start: u64,
}

impl<R> Limited<R> {
    pub(super) fn new(inner: R, limit: u64) -> Self {
        Limited {
            inner,
            limit,
            passed: 0,
            row_start: 0,
        }
    }

    /// The reader within.
    pub(super) fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The limit, in bytes.
    pub(super) fn limit(&self) -> u64 {
        self.limit
    }

    /// Says where the next row begins (the csv reader's byte position).
    pub(super) fn row_starts_at(&mut self, byte: u64) {
        self.row_start = byte;
    }

    /// The most that may be read past the current row's start.
    fn reach(&self) -> u64 {
        self.limit.saturating_add(READ_AHEAD as u64)
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.passed.saturating_sub(self.row_start);
        if read > self.reach() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                RecordTooLarge { limit: self.limit },
            ));
        }
        // Read one byte past the reach at most, so that the next call knows.
        let room = usize::try_from(self.reach() - read + 1).unwrap_or(usize::MAX);
        let end = buf.len().min(room);
        let n = self.inner.read(&mut buf[..end])?;
        self.passed += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_past_the_limit_and_a_buffer() {
        let mut limited = Limited::new(io::repeat(b'x'), 100);
        let mut buf = vec![0u8; 4096];
        let mut total = 0u64;
        let error = loop {
            match limited.read(&mut buf) {
                Ok(n) => total += n as u64,
                Err(e) => break e,
            }
        };
        assert_eq!(total, 100 + READ_AHEAD as u64 + 1);
        let inner = error
            .get_ref()
            .and_then(|e| e.downcast_ref::<RecordTooLarge>());
        assert_eq!(inner, Some(&RecordTooLarge { limit: 100 }));
    }

    #[test]
    fn each_row_starts_the_count_again() {
        let mut limited = Limited::new(io::repeat(b'x'), 10);
        let mut buf = vec![0u8; 1000];
        for _ in 0..1000 {
            let n = limited.read(&mut buf).unwrap();
            assert!(n > 0);
            limited.row_starts_at(limited.passed);
        }
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(bytes(1 << 20), "1 MiB");
        assert_eq!(bytes(64 * 1024), "64 KiB");
        assert_eq!(bytes(1000), "1000 bytes");
        assert!(
            too_large(1 << 20)
                .en
                .starts_with("the row is larger than 1 MiB")
        );
    }
}
