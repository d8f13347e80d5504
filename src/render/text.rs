//! Making text from files safe to print.
//!
//! Titles, notes and owners come from files other people wrote and commit to
//! git. Printed raw, an escape sequence in a title could move the cursor,
//! retitle the terminal or hide the line before it. Every control character
//! is therefore shown as a visible escape (`\e`, `\x07`, `\u{9b}`) instead.

use std::fmt::Write;

/// Returns `s` with every control character made visible and harmless.
/// Ordinary text, including non-ASCII letters and emoji, passes unchanged.
pub fn sanitize(s: &str) -> String {
    if !s.chars().any(is_unsafe) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_unsafe(c) {
            out.push(c);
            continue;
        }
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
    out
}

/// Like [`sanitize`] but keeps line breaks, for multi-line messages.
pub fn sanitize_multiline(s: &str) -> String {
    s.split('\n').map(sanitize).collect::<Vec<_>>().join("\n")
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        // Bidirectional overrides and isolates can reorder what is shown.
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
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
    fn ordinary_text_is_unchanged() {
        assert_eq!(sanitize("Café ☕ 100% — ok"), "Café ☕ 100% — ok");
        assert_eq!(sanitize_multiline("a\nb\x1b"), "a\nb\\e");
    }
}
