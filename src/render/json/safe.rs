//! Streaming the JSON contract to any writer, escaped for terminals.
//!
//! `--format json` output of a big workspace is tens of megabytes: building
//! it as one `String`, then a second escaped copy, cost several times the
//! file's size in memory and most of the run's time. Instead serde_json
//! writes through [`Safe`], which escapes on the fly what
//! [`crate::render::text::json_safe`] escapes (C1 controls, bidi controls,
//! line and paragraph separators) and passes everything else straight on.
//! Each of those characters starts with the byte 0xC2, 0xD8 or 0xE2 in
//! UTF-8, so a chunk without them (nearly all of them) is written as is.

use std::fmt::Write as _;
use std::io::{self, Write};

/// A writer that escapes the characters a terminal could be fooled by as
/// `\uXXXX`. They only ever stand inside JSON strings (the structure is
/// ASCII), so the output is the same JSON value.
#[derive(Debug)]
pub struct Safe<W: Write> {
    inner: W,
    /// The start of a character split between two writes.
    pending: Vec<u8>,
}

impl<W: Write> Safe<W> {
    /// Escapes what is written to `inner`.
    pub fn new(inner: W) -> Self {
        Safe {
            inner,
            pending: Vec::new(),
        }
    }

    /// Flushes and returns the inner writer.
    #[cfg(test)]
    pub fn into_inner(mut self) -> io::Result<W> {
        self.flush()?;
        Ok(self.inner)
    }

    fn escape(&mut self, bytes: &[u8]) -> io::Result<()> {
        let (text, tail) = match std::str::from_utf8(bytes) {
            Ok(s) => (s, &[][..]),
            // An incomplete character at the end: keep it for the next write.
            Err(e) if e.error_len().is_none() => {
                let (ok, tail) = bytes.split_at(e.valid_up_to());
                (std::str::from_utf8(ok).unwrap_or_default(), tail)
            }
            // Not UTF-8 (serde_json never writes that): passed on unchanged.
            Err(_) => return self.inner.write_all(bytes),
        };
        let mut out = String::with_capacity(text.len() + 16);
        for c in text.chars() {
            if needs_escape(c) {
                let _ = write!(out, "\\u{:04x}", c as u32);
            } else {
                out.push(c);
            }
        }
        self.pending = tail.to_vec();
        self.inner.write_all(out.as_bytes())
    }
}

/// The characters [`crate::render::text::json_safe`] escapes.
fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\u{80}'..='\u{9f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{061c}'
    )
}

impl<W: Write> Write for Safe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if self.pending.is_empty() && memchr::memchr3(0xc2, 0xd8, 0xe2, buf).is_none() {
            return self.inner.write_all(buf);
        }
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(buf);
        self.escape(&bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        let rest = std::mem::take(&mut self.pending);
        self.inner.write_all(&rest)?;
        self.inner.flush()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_json_safe_even_when_a_character_is_split() {
        let text = "{\"a\": \"x\u{202e}y\u{85}z\u{2028}é\u{61c}ü\"}\n";
        let expected = crate::render::text::json_safe(text);
        assert!(expected.contains("\\u202e") && expected.contains("\\u0085"));
        for cut in 0..=text.len() {
            let mut w = Safe::new(Vec::new());
            w.write_all(&text.as_bytes()[..cut]).unwrap();
            w.write_all(&text.as_bytes()[cut..]).unwrap();
            let out = String::from_utf8(w.into_inner().unwrap()).unwrap();
            assert_eq!(out, expected, "cut at {cut}");
        }
    }

    #[test]
    fn plain_text_passes_unchanged() {
        let mut w = Safe::new(Vec::new());
        w.write_all("{\"é\": \"日本\"}".as_bytes()).unwrap();
        assert_eq!(w.into_inner().unwrap(), "{\"é\": \"日本\"}".as_bytes());
    }
}
