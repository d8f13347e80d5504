//! The one sanitiser: making text from files safe to print.
//!
//! Titles, notes, owners and IDs come from files other people wrote and
//! commit to git. Printed raw, an escape sequence could move the cursor,
//! retitle the terminal (`ESC ] 0 ;`) or write the clipboard (`ESC ] 52`);
//! a bidi override could reorder a line; an invisible character could make
//! `grow\u{200b}-revenue` look exactly like `grow-revenue`. Every such
//! character is shown as a visible escape instead (`\e`, `\x07`, `\u{200b}`).
//!
//! Three entry points, one classification ([`is_unsafe`]):
//! - [`sanitize`] / [`sanitize_multiline`] for text a renderer puts on screen;
//! - [`TerminalGuard`], a writer around stdout and stderr when they are a
//!   terminal, so that no path (CSV, JSON, rollover's lines, messages) can
//!   reach the terminal raw, whatever a renderer forgot;
//! - [`json_safe`] for JSON anywhere: C1 controls, bidi controls and line
//!   separators become `\uXXXX` escapes (valid JSON, safe to `cat`); all
//!   other text is carried as it is when stdout is a file or pipe.

use std::fmt::Write as _;
use std::io::{self, Write};

/// Returns `s` with every unsafe character made visible and harmless.
/// Ordinary text, including non-ASCII letters and emoji, passes unchanged.
pub fn sanitize(s: &str) -> String {
    sanitized(s).into_owned()
}

/// [`sanitize`], borrowing a text that is safe as it is (most are).
pub fn sanitized(s: &str) -> std::borrow::Cow<'_, str> {
    // Printable ASCII is always safe, and a byte test is far cheaper than a
    // char test (thousands of `okr check` messages).
    // (A fold, not `all`: without the early exit it runs on whole words.)
    let printable = s
        .bytes()
        .fold(true, |ok, b| ok & (b.wrapping_sub(b' ') < 0x5f));
    if printable || !s.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if is_unsafe(c) && !is_emoji_joiner(&chars, i) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Like [`sanitize`] but keeps line breaks, for multi-line messages.
pub fn sanitize_multiline(s: &str) -> String {
    s.split('\n').map(sanitize).collect::<Vec<_>>().join("\n")
}

fn push_escape(out: &mut String, c: char) {
    match c {
        '\x1b' => out.push_str("\\e"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x100 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// Whether `c` must not reach a terminal as it is: control characters (C0,
/// DEL, C1), bidi controls, and characters that are invisible or look like
/// a space or nothing at all.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi(c) || is_invisible(c)
}

/// Bidirectional overrides, embeddings, isolates and marks: they reorder
/// what is shown ("Trojan Source").
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Zero-width and otherwise invisible characters, line and paragraph
/// separators, the byte order mark, invisible fillers and tag characters.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{034f}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200d}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{2060}'..='\u{2065}'
            | '\u{206a}'..='\u{206f}'
            | '\u{3164}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e007f}'
    )
}

/// A zero-width joiner between two pictographs is part of an emoji
/// (👩‍💻), not a hidden character.
fn is_emoji_joiner(chars: &[char], i: usize) -> bool {
    let pictograph = |c: Option<&char>| {
        c.is_some_and(|&c| matches!(c as u32, 0x2600..=0x27bf | 0x1f000..=0x1faff))
    };
    chars[i] == '\u{200d}' && i > 0 && pictograph(chars.get(i - 1)) && pictograph(chars.get(i + 1))
}

/// JSON text with C1 controls, bidi controls and line/paragraph separators
/// escaped as `\uXXXX`. Every such character can only stand inside a JSON
/// string (the structure is ASCII), so the result is the same JSON value.
pub fn json_safe(json: &str) -> String {
    let needs = |c: char| matches!(c, '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}') || is_bidi(c);
    if !json.chars().any(needs) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if needs(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Text for a terminal: [`sanitize`] for everything, except that line
/// breaks (`\n`, `\r\n`), tabs and, when `color` is on, complete SGR colour
/// sequences (`ESC [ 0-9; m`) pass.
pub fn for_terminal(s: &str, color: bool) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(n) = sgr_len(&chars[i..]).filter(|_| color) {
            out.extend(&chars[i..i + n]);
            i += n;
            continue;
        }
        let keep = c == '\n'
            || c == '\t'
            || (c == '\r' && chars.get(i + 1) == Some(&'\n'))
            || !is_unsafe(c)
            || is_emoji_joiner(&chars, i);
        if keep {
            out.push(c);
        } else {
            push_escape(&mut out, c);
        }
        i += 1;
    }
    out
}

/// The length of a complete SGR sequence at the start of `s`.
fn sgr_len(s: &[char]) -> Option<usize> {
    if s.first() != Some(&'\x1b') || s.get(1) != Some(&'[') {
        return None;
    }
    let body = s[2..]
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == ';')
        .count();
    (s.get(2 + body) == Some(&'m')).then_some(3 + body)
}

/// A writer that passes everything through [`for_terminal`] when `enabled`
/// (the stream is a terminal), and is a plain pass-through otherwise.
///
/// Bytes that may be the first half of a character, of `\r\n` or of a
/// colour sequence split across two writes are held until the next write
/// or flush; invalid UTF-8 is shown as `\xNN`.
#[derive(Debug)]
pub struct TerminalGuard<W: Write> {
    inner: W,
    enabled: bool,
    color: bool,
    pending: Vec<u8>,
}

impl<W: Write> TerminalGuard<W> {
    /// Wraps `inner`; `enabled` when it is a terminal, `color` when colour
    /// sequences from the style module may pass.
    pub fn new(inner: W, enabled: bool, color: bool) -> Self {
        TerminalGuard {
            inner,
            enabled,
            color,
            pending: Vec::new(),
        }
    }

    fn drain(&mut self, all: bool) -> io::Result<()> {
        let mut out = String::new();
        let mut start = 0;
        let bytes = std::mem::take(&mut self.pending);
        while start < bytes.len() {
            match std::str::from_utf8(&bytes[start..]) {
                Ok(s) => {
                    let keep = if all { 0 } else { held_tail(s) };
                    out.push_str(&for_terminal(&s[..s.len() - keep], self.color));
                    self.pending = bytes[bytes.len() - keep..].to_vec();
                    break;
                }
                Err(e) => {
                    let valid = start + e.valid_up_to();
                    let s = std::str::from_utf8(&bytes[start..valid]).unwrap_or_default();
                    out.push_str(&for_terminal(s, self.color));
                    match e.error_len() {
                        Some(n) => {
                            for b in &bytes[valid..valid + n] {
                                let _ = write!(out, "\\x{b:02x}");
                            }
                            start = valid + n;
                        }
                        None if !all => {
                            self.pending = bytes[valid..].to_vec();
                            break;
                        }
                        None => {
                            for b in &bytes[valid..] {
                                let _ = write!(out, "\\x{b:02x}");
                            }
                            break;
                        }
                    }
                }
            }
        }
        self.inner.write_all(out.as_bytes())
    }
}

/// How many bytes at the end of `s` might start a sequence that the next
/// write completes: a `\r`, or an unfinished `ESC [ 0-9;`.
fn held_tail(s: &str) -> usize {
    if let Some(esc) = s.rfind('\x1b') {
        let rest = &s[esc + 1..];
        let open = rest.is_empty()
            || (rest.starts_with('[')
                && rest.len() < 32
                && rest[1..].chars().all(|c| c.is_ascii_digit() || c == ';'));
        if open {
            return s.len() - esc;
        }
    }
    usize::from(s.ends_with('\r'))
}

impl<W: Write> Write for TerminalGuard<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.enabled {
            return self.inner.write(buf);
        }
        self.pending.extend_from_slice(buf);
        self.drain(false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.enabled && !self.pending.is_empty() {
            self.drain(true)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for TerminalGuard<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_made_visible() {
        assert_eq!(sanitize("a\x1b[2Jb"), "a\\e[2Jb");
        assert_eq!(sanitize("bell\x07"), "bell\\x07");
        assert_eq!(sanitize("csi\u{9b}31m"), "csi\\x9b31m");
        assert_eq!(sanitize("two\nlines"), "two\\nlines");
        assert_eq!(sanitize("rtl\u{202e}x"), "rtl\\u{202e}x");
    }

    #[test]
    fn invisible_characters_are_made_visible() {
        for (c, shown) in [
            ('\u{200b}', "\\u{200b}"),
            ('\u{200e}', "\\u{200e}"),
            ('\u{200f}', "\\u{200f}"),
            ('\u{2028}', "\\u{2028}"),
            ('\u{2029}', "\\u{2029}"),
            ('\u{feff}', "\\u{feff}"),
            ('\u{2060}', "\\u{2060}"),
            ('\u{00ad}', "\\xad"),
            ('\u{e0041}', "\\u{e0041}"),
        ] {
            assert_eq!(
                sanitize(&format!("grow{c}-revenue")),
                format!("grow{shown}-revenue")
            );
        }
        // A lone joiner is hidden text; between two emoji it is the emoji.
        assert_eq!(sanitize("a\u{200d}b"), "a\\u{200d}b");
        assert_eq!(sanitize("👩\u{200d}💻"), "👩\u{200d}💻");
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        assert_eq!(sanitize("Café ☕ 100% — ok"), "Café ☕ 100% — ok");
        assert_eq!(sanitize_multiline("a\nb\x1b"), "a\nb\\e");
    }

    #[test]
    fn json_escapes_c1_and_bidi_and_stays_the_same_value() {
        let v = serde_json::json!({"t": "a\u{85}b\u{202e}c\u{2028}d\u{200b}e"});
        let s = json_safe(&serde_json::to_string(&v).unwrap());
        assert_eq!(
            s,
            r#"{"t":"a\u0085b\u202ec\u2028d"#.to_string() + "\u{200b}e\"}"
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
    }

    #[test]
    fn the_guard_passes_layout_and_colour_but_nothing_else() {
        let mut out = Vec::new();
        {
            let mut g = TerminalGuard::new(&mut out, true, true);
            g.write_all(b"\x1b[1mok\x1b[0m\ta,b\r\n\x1b]0;title\x07 x\ry\n")
                .unwrap();
            g.write_all("grow\u{200b}-".as_bytes()).unwrap();
            // A colour sequence and a character split across two writes.
            g.write_all(b"\x1b[3").unwrap();
            g.write_all(b"1m\xe2\x9c").unwrap();
            g.write_all(b"\x93 \xff\n").unwrap();
            g.flush().unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\x1b[1mok\x1b[0m\ta,b\r\n\\e]0;title\\x07 x\\ry\ngrow\\u{200b}-\x1b[31m✓ \\xff\n"
        );
        let mut out = Vec::new();
        TerminalGuard::new(&mut out, true, false)
            .write_all(b"\x1b[31mred")
            .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "\\e[31mred");
        let mut out = Vec::new();
        TerminalGuard::new(&mut out, false, false)
            .write_all(b"\x1b]52;c;x\x07")
            .unwrap();
        assert_eq!(out, b"\x1b]52;c;x\x07", "a pipe gets the data as it is");
    }
}
