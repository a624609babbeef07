//! Streaming decoding of a CSV file to UTF-8, detecting its encoding.
//!
//! [`Decode`] wraps any reader and yields UTF-8 in chunks, so memory stays
//! flat whatever the file's size. Detection: a byte-order mark means UTF-8
//! or UTF-16; otherwise the text is read as UTF-8 while it is valid UTF-8,
//! and as CP932 when the first chunk holding a non-ASCII byte is not valid
//! UTF-8 (everything before it was ASCII, which both encodings read alike).

use std::io::{self, Read};

use encoding_rs::{Decoder, DecoderResult, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE};

use super::Encoding;

/// Bytes read from the inner reader at a time.
const CHUNK: usize = 64 * 1024;

/// A reader that decodes its inner reader's bytes to UTF-8.
pub(crate) struct Decode<R> {
    inner: R,
    input: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    decoder: Decoder,
    encoding: Encoding,
    /// True while the encoding is a guess that may still turn to CP932.
    sniffing: bool,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    finished: bool,
    /// Input bytes consumed so far, for progress.
    consumed: u64,
    /// UTF-8 bytes handed out so far.
    produced: u64,
    /// The last UTF-8 byte handed out.
    last_byte: Option<u8>,
}

impl<R> std::fmt::Debug for Decode<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decode")
            .field("encoding", &self.encoding)
            .field("consumed", &self.consumed)
            .finish_non_exhaustive()
    }
}

/// Where an offset of the decoded text stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextEnd {
    /// More text follows.
    NotYet,
    /// The offset is the end, and the last character is a line break.
    AfterLineBreak,
    /// The offset is the end, and the text does not end with a line break.
    WithoutLineBreak,
}

/// A decoding failure, carried inside an [`io::Error`] of kind `InvalidData`.
#[derive(Debug)]
pub(crate) struct DecodeError {
    pub(crate) encoding: Encoding,
    pub(crate) offset: u64,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the bytes at offset {} are not valid {}",
            self.offset, self.encoding
        )?;
        if self.encoding == Encoding::Utf8 || self.encoding == Encoding::Utf8Bom {
            f.write_str(
                "; save the sheet as 「CSV UTF-8」 again, or name the encoding (e.g. `cp932`)",
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

impl DecodeError {
    /// The message in both languages.
    pub(crate) fn localized(&self) -> crate::text::Localized {
        let mut ja = format!(
            "オフセット {} のバイトは正しい {} ではありません",
            self.offset, self.encoding
        );
        if self.encoding == Encoding::Utf8 || self.encoding == Encoding::Utf8Bom {
            ja.push_str(
                "。シートを「CSV UTF-8」で保存し直すか、文字コードを指定してください（例: `cp932`）",
            );
        }
        crate::text::Localized::new(ja, self.to_string())
    }
}

fn decoder_for(encoding: Encoding) -> Decoder {
    match encoding {
        Encoding::Utf8 | Encoding::Utf8Bom => UTF_8.new_decoder_without_bom_handling(),
        Encoding::Cp932 => SHIFT_JIS.new_decoder_without_bom_handling(),
        Encoding::Utf16Le => UTF_16LE.new_decoder_without_bom_handling(),
        Encoding::Utf16Be => UTF_16BE.new_decoder_without_bom_handling(),
    }
}

impl<R: Read> Decode<R> {
    /// Starts decoding; reads the first chunk to look for a byte-order mark.
    pub(crate) fn new(inner: R, forced: Option<Encoding>) -> io::Result<Self> {
        let mut decode = Decode {
            inner,
            input: vec![0; CHUNK],
            start: 0,
            end: 0,
            eof: false,
            decoder: UTF_8.new_decoder_without_bom_handling(),
            encoding: Encoding::Utf8,
            sniffing: false,
            output: vec![0; CHUNK * 3 + 16],
            out_start: 0,
            out_end: 0,
            finished: false,
            consumed: 0,
            produced: 0,
            last_byte: None,
        };
        decode.fill()?;
        let head = &decode.input[..decode.end];
        let (encoding, bom) = if head.starts_with(b"\xEF\xBB\xBF") {
            (Encoding::Utf8Bom, 3)
        } else if head.starts_with(b"\xFF\xFE") {
            (Encoding::Utf16Le, 2)
        } else if head.starts_with(b"\xFE\xFF") {
            (Encoding::Utf16Be, 2)
        } else {
            (Encoding::Utf8, 0)
        };
        let (encoding, bom) = match forced {
            None => {
                decode.sniffing = bom == 0;
                (encoding, bom)
            }
            // UTF-8 either way: a BOM is skipped if there is one.
            Some(Encoding::Utf8 | Encoding::Utf8Bom) if encoding == Encoding::Utf8Bom => {
                (Encoding::Utf8Bom, 3)
            }
            Some(Encoding::Utf16Le) if encoding == Encoding::Utf16Le => (encoding, 2),
            Some(Encoding::Utf16Be) if encoding == Encoding::Utf16Be => (encoding, 2),
            Some(forced) => (forced, 0),
        };
        decode.start = bom;
        decode.consumed = bom as u64;
        decode.encoding = encoding;
        decode.decoder = decoder_for(encoding);
        Ok(decode)
    }

    /// The encoding being read.
    pub(crate) fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Input bytes consumed so far.
    pub(crate) fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Whether `offset` is the end of the decoded text, and then whether
    /// the text ends with a line break.
    pub(crate) fn end_at(&self, offset: u64) -> TextEnd {
        if !(self.finished && self.out_start == self.out_end && offset == self.produced) {
            TextEnd::NotYet
        } else if self.last_byte == Some(b'\n') {
            TextEnd::AfterLineBreak
        } else {
            TextEnd::WithoutLineBreak
        }
    }

    /// Moves unread input to the front and reads until the buffer is full or
    /// the input ends.
    fn fill(&mut self) -> io::Result<()> {
        self.input.copy_within(self.start..self.end, 0);
        self.end -= self.start;
        self.start = 0;
        while self.end < self.input.len() && !self.eof {
            match self.inner.read(&mut self.input[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// While guessing UTF-8: decides on the pending chunk, returning how much
    /// of it may be decoded now.
    fn sniff(&mut self) -> usize {
        let pending = &self.input[self.start..self.end];
        match std::str::from_utf8(pending) {
            Ok(text) => {
                if !text.is_ascii() {
                    self.sniffing = false;
                }
                pending.len()
            }
            // An incomplete character at the end of the buffer.
            Err(e) if e.error_len().is_none() && !self.eof => {
                if pending[..e.valid_up_to()].is_ascii() {
                    e.valid_up_to()
                } else {
                    self.sniffing = false;
                    pending.len()
                }
            }
            // Valid UTF-8 characters before the bad byte: UTF-8 with an error.
            Err(e) if !pending[..e.valid_up_to()].is_ascii() => {
                self.sniffing = false;
                pending.len()
            }
            Err(_) => {
                // Everything before this chunk was ASCII: read it all as CP932.
                self.sniffing = false;
                self.encoding = Encoding::Cp932;
                self.decoder = decoder_for(Encoding::Cp932);
                pending.len()
            }
        }
    }

    fn decode_more(&mut self) -> io::Result<()> {
        if self.start == self.end || (self.sniffing && !self.eof) {
            self.fill()?;
        }
        let mut available = self.end;
        if self.sniffing {
            available = self.start + self.sniff();
            if available == self.start && !self.eof {
                // Only an incomplete character is pending: read on.
                self.fill()?;
                available = self.start + self.sniff();
            }
        }
        let last = self.eof && available == self.end;
        let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
            &self.input[self.start..available],
            &mut self.output,
            last,
        );
        self.start += read;
        self.consumed += read as u64;
        self.out_start = 0;
        self.out_end = written;
        match result {
            DecoderResult::InputEmpty => {
                if last {
                    self.finished = true;
                }
                Ok(())
            }
            DecoderResult::OutputFull => Ok(()),
            DecoderResult::Malformed(bad, after) => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                DecodeError {
                    encoding: self.encoding,
                    offset: self
                        .consumed
                        .saturating_sub(u64::from(bad) + u64::from(after)),
                },
            )),
        }
    }
}

impl<R: Read> Read for Decode<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                self.produced += n as u64;
                self.last_byte = buf[..n].last().copied().or(self.last_byte);
                return Ok(n);
            }
            if self.finished {
                return Ok(0);
            }
            self.decode_more()?;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    fn decode(bytes: &[u8], forced: Option<Encoding>) -> (io::Result<String>, Encoding) {
        let mut decode = match Decode::new(bytes, forced) {
            Ok(decode) => decode,
            Err(e) => return (Err(e), Encoding::Utf8),
        };
        let mut text = String::new();
        let result = decode.read_to_string(&mut text).map(|_| text);
        (result, decode.encoding())
    }

    /// A reader that returns one byte at a time, to cross every boundary.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((byte, rest)), Some(slot)) => {
                    *slot = *byte;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn detects_each_encoding() {
        let text = "資産名,備考\r\n住民記録,①㈱\r\n";
        let (cp932, _, _) = SHIFT_JIS.encode(text);
        let little_endian: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let big_endian: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let bom: Vec<u8> = b"\xEF\xBB\xBF"
            .iter()
            .chain(text.as_bytes())
            .copied()
            .collect();
        for (bytes, encoding) in [
            (text.as_bytes().to_vec(), Encoding::Utf8),
            (bom, Encoding::Utf8Bom),
            (cp932.into_owned(), Encoding::Cp932),
            (little_endian, Encoding::Utf16Le),
            (big_endian, Encoding::Utf16Be),
        ] {
            let (decoded, detected) = decode(&bytes, None);
            assert_eq!(decoded.unwrap(), text, "{encoding}");
            assert_eq!(detected, encoding);
        }
    }

    #[test]
    fn a_long_ascii_prefix_before_cp932_still_reads_as_cp932() {
        let mut text = "name,notes\r\n".to_owned();
        for i in 0..20_000 {
            let _ = write!(text, "asset{i},plain ascii\r\n");
        }
        text.push_str("住民記録,全角\r\n");
        let (cp932, _, _) = SHIFT_JIS.encode(&text);
        let (decoded, detected) = decode(&cp932, None);
        assert_eq!(decoded.unwrap(), text);
        assert_eq!(detected, Encoding::Cp932);
    }

    #[test]
    fn characters_split_across_reads_decode() {
        let text = "資産名,備考\n住民記録データ,ａｂｃ\n".repeat(3);
        let mut decoder = Decode::new(Trickle(text.as_bytes()), None).unwrap();
        let mut out = String::new();
        decoder.read_to_string(&mut out).unwrap();
        assert_eq!(out, text);
        let (cp932, _, _) = SHIFT_JIS.encode(&text);
        let mut decoder = Decode::new(Trickle(&cp932), None).unwrap();
        let mut out = String::new();
        decoder.read_to_string(&mut out).unwrap();
        assert_eq!(out, text);
        assert_eq!(decoder.encoding(), Encoding::Cp932);
    }

    #[test]
    fn invalid_utf8_after_utf8_is_an_error_with_its_offset() {
        let mut bytes = "資産名\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"ok\n\xFF\n");
        let (decoded, _) = decode(&bytes, None);
        let err = decoded.unwrap_err();
        let inner = err.get_ref().and_then(|e| e.downcast_ref::<DecodeError>());
        assert_eq!(inner.map(|e| e.offset), Some(13), "{err}");
    }

    #[test]
    fn forcing_an_encoding_wins() {
        let (cp932, _, _) = SHIFT_JIS.encode("ア");
        let (decoded, encoding) = decode(&cp932, Some(Encoding::Cp932));
        assert_eq!(decoded.unwrap(), "ア");
        assert_eq!(encoding, Encoding::Cp932);
        let (decoded, _) = decode("\u{feff}ア".as_bytes(), Some(Encoding::Utf8));
        assert_eq!(decoded.unwrap(), "ア");
        assert!(decode(&cp932, Some(Encoding::Utf8)).0.is_err());
    }
}
