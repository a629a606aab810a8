//! The byte side of reading: encoding detection and transcoding to UTF-8, and a buffer that
//! counts lines and bounds how much one token may take.
//!
//! quick-xml's own encoding detection decodes the first bytes as UTF-8 before it sees the
//! declaration, which fails on windows-1251 files with Cyrillic near the start. So the
//! declaration is sniffed here first, and anything that is not UTF-8 is transcoded to UTF-8
//! before quick-xml sees it. UTF-8 input is validated here, chunk by chunk, with a SIMD
//! validator: quick-xml then hands out bytes that are known to be UTF-8.

use std::cell::Cell;
use std::io::{self, BufRead, Chain, Cursor, Read};

use encoding_rs::Encoding;
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};
use memchr::memchr_iter;

use crate::{ErrorKind, Position};

/// How many leading bytes are examined for a BOM and the XML declaration.
const SNIFF_BYTES: usize = 1024;
const BUFFER_BYTES: usize = 64 * 1024;
/// Most bytes [`Input::lookahead`] gathers (the buffer grows to it at most once).
pub(crate) const MAX_LOOKAHEAD: usize = 1 << 20;

type Prefixed<R> = Chain<Cursor<Vec<u8>>, R>;

enum Source<R: BufRead> {
    Utf8(Prefixed<R>),
    Transcoded(DecodeReaderBytes<Prefixed<R>, Vec<u8>>),
}

impl<R: BufRead> Read for Source<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match self {
            Source::Utf8(r) => r.read(out),
            Source::Transcoded(r) => r.read(out),
        }
    }
}

/// UTF-8 bytes of the document, buffered, with the line and column of what has been consumed.
pub(crate) struct Input<R: BufRead> {
    source: Source<R>,
    buf: Vec<u8>,
    pos: usize,
    filled: usize,
    /// Lines and columns are counted lazily, in bulk: up to `counted` in `buf`.
    counted: Cell<usize>,
    line: Cell<u64>,
    column: Cell<u64>,
    since_mark: usize,
    max_token: usize,
    token_too_long: bool,
    encoding: &'static Encoding,
    /// `Some` while the input still needs UTF-8 validation (not for transcoded input).
    utf8: Option<Utf8Check>,
    invalid_utf8_at: Option<Position>,
    /// What a lookahead met, kept for when the cursor gets there: an I/O error, or invalid
    /// UTF-8 at `filled`.
    deferred: Option<Deferred>,
}

/// A failure a lookahead met past the cursor.
enum Deferred {
    Io(io::Error),
    InvalidUtf8,
}

/// Validates UTF-8 across chunk boundaries: a character cut by a boundary waits in `pending`.
#[derive(Default)]
struct Utf8Check {
    pending: [u8; 4],
    pending_len: usize,
}

impl Utf8Check {
    /// The index of the first invalid byte in `chunk`, if any; `eof` says no chunk follows.
    fn check(&mut self, mut chunk: &[u8], eof: bool) -> Option<usize> {
        let mut offset = 0;
        if self.pending_len > 0 {
            let width = utf8_width(self.pending[0]);
            let need = width - self.pending_len;
            if chunk.len() < need {
                if eof {
                    return Some(0);
                }
                self.pending[self.pending_len..self.pending_len + chunk.len()]
                    .copy_from_slice(chunk);
                self.pending_len += chunk.len();
                return None;
            }
            self.pending[self.pending_len..width].copy_from_slice(&chunk[..need]);
            if std::str::from_utf8(&self.pending[..width]).is_err() {
                return Some(0);
            }
            self.pending_len = 0;
            chunk = &chunk[need..];
            offset = need;
        }
        match simdutf8::compat::from_utf8(chunk) {
            Ok(_) => None,
            Err(e) if e.error_len().is_none() && !eof => {
                let tail = &chunk[e.valid_up_to()..];
                if utf8_width(tail[0]) == 0 {
                    return Some(offset + e.valid_up_to());
                }
                self.pending[..tail.len()].copy_from_slice(tail);
                self.pending_len = tail.len();
                None
            }
            Err(e) => Some(offset + e.valid_up_to()),
        }
    }

    /// Whether a character was left unfinished.
    fn unfinished(&self) -> bool {
        self.pending_len > 0
    }
}

/// The length of the UTF-8 sequence a lead byte starts; 0 for a byte that cannot lead.
fn utf8_width(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

impl<R: BufRead> Input<R> {
    /// Sniffs the encoding from a BOM or the declaration and sets up transcoding if needed.
    pub(crate) fn new(mut inner: R, max_token: usize) -> Result<Self, ErrorKind> {
        let prefix = read_prefix(&mut inner).map_err(|e| ErrorKind::Io(e.to_string()))?;
        let (encoding, bom) = detect(&prefix)?;
        let chained = Cursor::new(prefix).chain(inner);
        let source = if encoding == encoding_rs::UTF_8 {
            let mut chained = chained;
            // Drop a UTF-8 BOM so quick-xml starts at '<'.
            chained.get_mut().0.set_position(bom as u64);
            Source::Utf8(chained)
        } else {
            let decoder = DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding))
                .bom_override(true)
                .strip_bom(true)
                .build(chained);
            Source::Transcoded(decoder)
        };
        Ok(Self {
            source,
            buf: vec![0; BUFFER_BYTES],
            pos: 0,
            filled: 0,
            counted: Cell::new(0),
            line: Cell::new(1),
            column: Cell::new(1),
            since_mark: 0,
            max_token,
            token_too_long: false,
            utf8: (encoding == encoding_rs::UTF_8).then(Utf8Check::default),
            invalid_utf8_at: None,
            deferred: None,
            encoding,
        })
    }

    /// The bytes after the cursor without consuming them: at least `want` (up to
    /// [`MAX_LOOKAHEAD`]) unless the input ends sooner or fails (the failure then comes when
    /// the cursor reaches it). Lines stay counted right: the consumed part is counted before
    /// the rest moves to the front of the buffer.
    pub(crate) fn lookahead(&mut self, want: usize) -> &[u8] {
        let want = want.min(MAX_LOOKAHEAD);
        if self.filled - self.pos < want && self.deferred.is_none() {
            self.count_upto(self.pos);
            self.buf.copy_within(self.pos..self.filled, 0);
            self.filled -= self.pos;
            self.pos = 0;
            self.counted.set(0);
            if self.buf.len() < want {
                self.buf.resize(want, 0);
            }
            while self.filled < want {
                let n = match self.source.read(&mut self.buf[self.filled..]) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.deferred = Some(Deferred::Io(e));
                        break;
                    }
                };
                let chunk = self.filled..self.filled + n;
                if let Some(check) = &mut self.utf8
                    && let Some(bad) = check.check(&self.buf[chunk], false)
                {
                    self.filled += bad;
                    self.deferred = Some(Deferred::InvalidUtf8);
                    break;
                }
                self.filled += n;
            }
        }
        &self.buf[self.pos..self.filled]
    }

    /// The byte before the last one consumed, while it is still in the buffer (a start tag
    /// just read ends in `/>` when the element is empty).
    pub(crate) fn before_last_consumed(&self) -> Option<u8> {
        self.pos.checked_sub(2).map(|at| self.buf[at])
    }

    /// The encoding the document is in.
    pub(crate) fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    /// Where the consumed bytes end.
    pub(crate) fn position(&self) -> Position {
        self.count_upto(self.pos);
        Position {
            line: self.line.get(),
            column: self.column.get(),
        }
    }

    /// Advances the line and column over `buf[counted..end]`.
    fn count_upto(&self, end: usize) {
        let start = self.counted.get();
        if end <= start {
            return;
        }
        let segment = &self.buf[start..end];
        let newlines = memchr_iter(b'\n', segment).count() as u64;
        let tail = match memchr::memrchr(b'\n', segment) {
            Some(last) => {
                self.line.set(self.line.get() + newlines);
                self.column.set(1);
                &segment[last + 1..]
            }
            None => segment,
        };
        // Columns count characters: every byte that does not continue a UTF-8 sequence.
        let chars = tail.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64;
        self.column.set(self.column.get() + chars);
        self.counted.set(end);
    }

    /// Starts counting a new token (called after every event).
    pub(crate) fn mark(&mut self) {
        self.since_mark = 0;
    }

    /// Where the input stopped being valid UTF-8, if it did.
    pub(crate) fn invalid_utf8_at(&self) -> Option<Position> {
        self.invalid_utf8_at
    }

    /// Whether the last I/O error was the token limit.
    pub(crate) fn token_too_long(&self) -> bool {
        self.token_too_long
    }
}

impl<R: BufRead> Read for Input<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Input<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.filled {
            match self.deferred.take() {
                Some(Deferred::Io(e)) => return Err(e),
                Some(Deferred::InvalidUtf8) => {
                    self.count_upto(self.filled);
                    self.invalid_utf8_at = Some(Position {
                        line: self.line.get(),
                        column: self.column.get(),
                    });
                    // Said again, should anyone read on.
                    self.deferred = Some(Deferred::InvalidUtf8);
                    return Err(io::Error::other("invalid UTF-8"));
                }
                None => {}
            }
            if self.since_mark > self.max_token {
                self.token_too_long = true;
                return Err(io::Error::other("token too long"));
            }
            self.count_upto(self.filled);
            self.filled = self.source.read(&mut self.buf)?;
            self.pos = 0;
            self.counted.set(0);
            if let Some(check) = &mut self.utf8 {
                let eof = self.filled == 0;
                let bad = if eof {
                    check.unfinished().then_some(0)
                } else {
                    check.check(&self.buf[..self.filled], false)
                };
                if let Some(index) = bad {
                    self.count_upto(index.min(self.filled));
                    self.invalid_utf8_at = Some(Position {
                        line: self.line.get(),
                        column: self.column.get(),
                    });
                    return Err(io::Error::other("invalid UTF-8"));
                }
            }
        }
        Ok(&self.buf[self.pos..self.filled])
    }

    fn consume(&mut self, amount: usize) {
        self.since_mark += amount;
        self.pos += amount;
    }
}

/// Reads up to [`SNIFF_BYTES`] from the start of the input.
fn read_prefix<R: BufRead>(inner: &mut R) -> io::Result<Vec<u8>> {
    let mut prefix = Vec::with_capacity(SNIFF_BYTES);
    while prefix.len() < SNIFF_BYTES {
        let available = inner.fill_buf()?;
        if available.is_empty() {
            break;
        }
        let n = available.len().min(SNIFF_BYTES - prefix.len());
        prefix.extend_from_slice(&available[..n]);
        inner.consume(n);
    }
    Ok(prefix)
}

/// The document's encoding and the length of its BOM, from the BOM or the declaration.
fn detect(prefix: &[u8]) -> Result<(&'static Encoding, usize), ErrorKind> {
    if let Some((encoding, bom)) = Encoding::for_bom(prefix) {
        return Ok((encoding, bom));
    }
    match declared_encoding(prefix) {
        None => Ok((encoding_rs::UTF_8, 0)),
        Some(label) => match Encoding::for_label(label.as_bytes()) {
            // A UTF-16 declaration without a BOM in a file that starts with ASCII '<' is a lie.
            Some(encoding)
                if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE =>
            {
                Ok((encoding_rs::UTF_8, 0))
            }
            Some(encoding) => Ok((encoding, 0)),
            None => Err(ErrorKind::UnsupportedEncoding(label)),
        },
    }
}

/// The `encoding` pseudo-attribute of a leading `<?xml … ?>` declaration.
fn declared_encoding(prefix: &[u8]) -> Option<String> {
    let text = prefix.strip_prefix(b"<?xml")?;
    let end = memchr::memmem::find(text, b"?>")?;
    let decl = &text[..end];
    let at = memchr::memmem::find(decl, b"encoding")?;
    let rest = &decl[at + b"encoding".len()..];
    let rest = rest
        .trim_ascii_start()
        .strip_prefix(b"=")?
        .trim_ascii_start();
    let quote = *rest.first().filter(|&&q| q == b'"' || q == b'\'')?;
    let value = &rest[1..];
    let close = memchr::memchr(quote, value)?;
    Some(String::from_utf8_lossy(&value[..close]).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_declared_encoding() {
        let decl = |s: &str| declared_encoding(s.as_bytes());
        assert_eq!(
            decl(r#"<?xml version="1.0" encoding="windows-1251"?><a/>"#).as_deref(),
            Some("windows-1251")
        );
        assert_eq!(
            decl("<?xml version='1.0' encoding = 'UTF-8' standalone='yes'?>").as_deref(),
            Some("UTF-8")
        );
        assert_eq!(decl(r#"<?xml version="1.0"?>"#), None);
        assert_eq!(decl("<a/>"), None);
    }

    #[test]
    fn detects_boms_and_declarations() {
        assert_eq!(
            detect(b"\xEF\xBB\xBF<?xml version=\"1.0\"?>").unwrap(),
            (encoding_rs::UTF_8, 3)
        );
        assert_eq!(
            detect(b"<?xml version=\"1.0\" encoding=\"windows-1251\"?>")
                .unwrap()
                .0,
            encoding_rs::WINDOWS_1251
        );
        assert_eq!(
            detect(b"<?xml version=\"1.0\" encoding=\"cp1251\"?>")
                .unwrap()
                .0,
            encoding_rs::WINDOWS_1251
        );
        assert_eq!(detect(b"\xFF\xFE<\x00").unwrap().0, encoding_rs::UTF_16LE);
        assert!(matches!(
            detect(b"<?xml version=\"1.0\" encoding=\"klingon\"?>"),
            Err(ErrorKind::UnsupportedEncoding(_))
        ));
    }

    #[test]
    fn counts_lines_and_character_columns() {
        let mut input = Input::new("ab\nвг\nд".as_bytes(), 1 << 20).unwrap();
        let mut all = Vec::new();
        input.read_to_end(&mut all).unwrap();
        assert_eq!(input.position(), Position { line: 3, column: 2 });
    }

    #[test]
    fn utf8_is_checked_across_chunk_boundaries() {
        let text = "Чайник «Ёж» 🍵".as_bytes();
        for split in 0..text.len() {
            let mut check = Utf8Check::default();
            assert_eq!(check.check(&text[..split], false), None, "split {split}");
            assert_eq!(check.check(&text[split..], false), None, "split {split}");
            assert!(!check.unfinished());
        }
        let mut check = Utf8Check::default();
        assert_eq!(check.check(b"ok \xD0", false), None);
        assert!(
            check.unfinished(),
            "a cut character at the end of the input is an error"
        );
        assert_eq!(Utf8Check::default().check(b"ab\xFFcd", false), Some(2));
        assert_eq!(Utf8Check::default().check(b"ab\xC0\x80", false), Some(2));
    }

    #[test]
    fn invalid_utf8_reports_its_line() {
        let mut input = Input::new(&b"<a>\n\n<b>\xCF\xF0\xE8</b></a>"[..], 1 << 20).unwrap();
        let mut all = Vec::new();
        assert!(input.read_to_end(&mut all).is_err());
        assert_eq!(input.invalid_utf8_at().map(|p| p.line), Some(3));
    }

    #[test]
    fn transcodes_windows_1251_to_utf8() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251
            .encode("<?xml version=\"1.0\" encoding=\"windows-1251\"?><Товар/>");
        let mut input = Input::new(&bytes[..], 1 << 20).unwrap();
        let mut text = String::new();
        input.read_to_string(&mut text).unwrap();
        assert!(text.ends_with("<Товар/>"));
    }
}
