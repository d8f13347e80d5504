//! YAML 1.1 words: `yes`, `no`, `on`, `off`, `y`, `n` in any common case.
//!
//! okr reads YAML 1.2, where `owner: NO` is the text "NO". YAML 1.1 tools
//! (PyYAML, Ruby's Psych, older yq, many CI systems) read the same line as
//! the boolean `false`, so a file that means one thing to okr means another
//! to the scripts around it. `okr check` warns about every such plain
//! (unquoted) value and gives the quoted spelling that every tool agrees on.
//!
//! This is a raw-text pass: the typed reader has already turned the word
//! into a string and kept no trace of how it was written.

/// A YAML 1.1 boolean word written as a plain value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Yaml11Word {
    /// 1-based line.
    pub line: usize,
    /// 1-based column of the word (in characters).
    pub column: usize,
    /// The word as written.
    pub word: String,
    /// The boolean YAML 1.1 tools read.
    pub reads_as: bool,
}

impl Yaml11Word {
    /// The warning `okr check` prints.
    pub fn message(&self) -> String {
        format!(
            "`{w}` is read by okr as the text \"{w}\", but YAML 1.1 tools (PyYAML, older yq) read it as the boolean {b}; write '{w}' in quotes (or true/false if a boolean is meant)",
            w = self.word,
            b = self.reads_as
        )
    }
}

fn reads_as(word: &str) -> Option<bool> {
    match word {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
        _ => None,
    }
}

/// Every plain YAML 1.1 boolean word used as a value in `text`: after
/// `key:` or `- `, outside comments and block scalars, and outside
/// `settings.checks`, where `off` is okr's own documented keyword.
pub fn find(text: &str) -> Vec<Yaml11Word> {
    let mut out = Vec::new();
    // Indentation of the line that opened a block scalar (`|` or `>`) or
    // the `checks:` mapping: lines indented deeper are skipped.
    let mut skip: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        let body = line.trim();
        if let Some(open) = skip {
            if body.is_empty() || indent > open {
                continue;
            }
            skip = None;
        }
        if body == "checks:" || body.starts_with("checks: #") {
            skip = Some(indent);
            continue;
        }
        if body.starts_with('#') || body.is_empty() {
            continue;
        }
        let value = value_part(line);
        let Some((start, raw)) = value else {
            continue;
        };
        let word = strip_comment(raw).trim_end();
        if word.starts_with('|') || word.starts_with('>') {
            skip = Some(indent);
            continue;
        }
        if let Some(b) = reads_as(word) {
            out.push(Yaml11Word {
                line: i + 1,
                column: line[..start].chars().count() + 1,
                word: word.to_string(),
                reads_as: b,
            });
        }
    }
    out
}

/// The value after `key: ` or `- ` (byte offset and text), if any.
fn value_part(line: &str) -> Option<(usize, &str)> {
    let mut rest = line.trim_start();
    let mut at = line.len() - rest.len();
    while let Some(r) = rest.strip_prefix("- ") {
        let trimmed = r.trim_start();
        at += rest.len() - trimmed.len();
        rest = trimmed;
    }
    if let Some(colon) = key_end(rest) {
        let after = &rest[colon + 1..];
        let value = after.trim_start();
        at += colon + 1 + (after.len() - value.len());
        rest = value;
    }
    (!rest.is_empty()).then_some((at, rest))
}

/// The byte index of the `:` that ends a plain key, if the line has one.
fn key_end(s: &str) -> Option<usize> {
    if s.starts_with(['"', '\'', '{', '[']) {
        return None;
    }
    let b = s.as_bytes();
    (0..b.len()).find(|&i| b[i] == b':' && (i + 1 == b.len() || b[i + 1] == b' '))
}

fn strip_comment(s: &str) -> &str {
    match s.find(" #") {
        Some(i) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_plain_words_and_nothing_else() {
        let text = "version: 1\nobjectives:\n  - id: a\n    owner: NO   # Norway\n    unit: off\n    title: 'yes'\n    description: |\n      on\n      no\n    note: no way\n    # owner: yes\n    tags:\n      - Yes\nsettings:\n  checks:\n    some-rule: off\n";
        let found = find(text);
        let got: Vec<(usize, usize, &str, bool)> = found
            .iter()
            .map(|w| (w.line, w.column, w.word.as_str(), w.reads_as))
            .collect();
        assert_eq!(
            got,
            vec![
                (4, 12, "NO", false),
                (5, 11, "off", false),
                (13, 9, "Yes", true)
            ]
        );
        assert!(found[0].message().contains("write 'NO' in quotes"));
    }
}
