//! Errors from reading and writing workspace files.
//!
//! Every error names the file; problems inside a file also carry the line and
//! column and show the offending line with a caret, like a compiler would.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A position in a file, 1-based, with the text of that line for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub path: PathBuf,
    /// Line number, from 1.
    pub line: usize,
    /// Column number in characters, from 1.
    pub column: usize,
    /// The text of the line (without its newline).
    pub source_line: String,
    /// How to fix the problem at this place, printed as `hint:` lines after
    /// the message (empty when there is nothing to add).
    pub hints: Vec<String>,
}

/// Widest stretch of a source line a snippet shows; a longer line is cut
/// around the column and marked with `…` so the caret stays in view.
pub const SNIPPET_WIDTH: usize = 72;

impl Location {
    /// Builds a location and fetches the line's text from `text`.
    pub fn new(path: PathBuf, text: &str, line: usize, column: usize) -> Self {
        let source_line = text
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .to_string();
        Location {
            path,
            line: line.max(1),
            column: column.max(1),
            source_line,
            hints: Vec::new(),
        }
    }

    /// The same location with one more hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// `path:line:col`
    pub fn position(&self) -> String {
        format!("{}:{}:{}", self.path.display(), self.line, self.column)
    }

    /// The offending line and a caret under the column, indented by a gutter.
    /// A line wider than [`SNIPPET_WIDTH`] is shown only around the column.
    pub fn snippet(&self) -> String {
        let num = self.line.to_string();
        let pad = " ".repeat(num.len());
        let (line, column) = window(&self.source_line, self.column, SNIPPET_WIDTH);
        // Columns count characters; the caret lines up under the character.
        let caret_pad: String = line
            .chars()
            .take(column - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        format!("{pad} |\n{num} | {line}\n{pad} | {caret_pad}^")
    }

    /// [`Location::snippet`] with the line's text passed through `show` (the
    /// terminal sanitiser): the caret stays under the character even where
    /// an invisible character became a visible escape.
    pub fn snippet_with(&self, show: impl Fn(&str) -> String) -> String {
        let num = self.line.to_string();
        let pad = " ".repeat(num.len());
        let (line, column) = window(&self.source_line, self.column, SNIPPET_WIDTH);
        let chars: Vec<char> = line.chars().collect();
        let at = (column - 1).min(chars.len());
        let before = show(&chars[..at].iter().collect::<String>());
        let after = show(&chars[at..].iter().collect::<String>());
        let caret_pad: String = before
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        format!("{pad} |\n{num} | {before}{after}\n{pad} | {caret_pad}^")
    }
}

/// At most `width` characters of `line` around `column` (1-based), with `…`
/// where it was cut, and the column within the result.
fn window(line: &str, column: usize, width: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= width {
        return (line.to_string(), column);
    }
    let col = column.clamp(1, chars.len() + 1) - 1;
    // Keep a third of the width before the column, the rest after it.
    let start = col.saturating_sub(width / 3).min(chars.len() - width);
    let end = (start + width).min(chars.len());
    let mut out = String::new();
    let mut at = col - start + 1;
    if start > 0 {
        out.push('…');
        at += 1;
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    (out, at)
}

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// The file is not valid YAML, or not a valid OKR file.
    #[error("{}: {message}\n{}", location.position(), location.snippet())]
    Invalid {
        /// Where.
        location: Box<Location>,
        /// What is wrong.
        message: String,
    },
    /// No `okrs.yaml` or `okrs/` was found.
    #[error("no OKR workspace found in {} or any parent directory", start.display())]
    NoWorkspace {
        /// Where the search started.
        start: PathBuf,
    },
    /// The path given with `-f`/`OKR_FILE` does not exist.
    #[error("{}: no such file or directory", path.display())]
    Missing {
        /// The path given.
        path: PathBuf,
    },
    /// The same ID is used twice in the workspace.
    #[error("duplicate ID `{id}`: used in {} and again in {}", first.display(), second.display())]
    DuplicateId {
        /// The ID.
        id: String,
        /// Where it first appears.
        first: PathBuf,
        /// Where it appears again.
        second: PathBuf,
    },
    /// More than one file carries `settings:`.
    #[error("settings are given in both {} and {}: keep them in one file", first.display(), second.display())]
    DuplicateSettings {
        /// First file with settings.
        first: PathBuf,
        /// Second file with settings.
        second: PathBuf,
    },
    /// The store will not replace this file (read-only, foreign owner,
    /// hard links, changed since read): the reason says which.
    #[error("{}: {reason}", path.display())]
    Refused {
        /// The file.
        path: PathBuf,
        /// Why, and what to do.
        reason: String,
    },
    /// A lossless edit did not read back as the intended model: a bug in
    /// okr (an internal error, exit 70), never the user's fault.
    #[error("{}: could not update the file without changing other content ({detail}); nothing was written", path.display())]
    EditFailed {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
}

impl StoreError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        StoreError::Io {
            path: path.into(),
            source,
        }
    }
}

/// A wrapper so `Location` can be shown alone in messages.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.position())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_shown_whole() {
        let l = Location::new("x.yaml".into(), "a: 1\nb: two\n", 2, 4);
        assert_eq!(l.snippet(), "  |\n2 | b: two\n  |    ^");
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("title: {}BAD{}", "a".repeat(200), "z".repeat(200));
        let l = Location::new("x.yaml".into(), &line, 1, 208);
        let s = l.snippet();
        let shown = s.lines().nth(1).unwrap();
        assert!(shown.chars().count() < SNIPPET_WIDTH + 10, "{s}");
        assert!(shown.contains("BAD") && shown.contains('…'), "{s}");
        // The caret sits under the B.
        let caret = s.lines().nth(2).unwrap().chars().count();
        let b = shown.chars().position(|c| c == 'B').unwrap() + 1;
        assert_eq!(caret, b, "{s}");
    }

    #[test]
    fn a_10_mb_line_prints_one_short_line() {
        let line = format!("{}X{}", "a".repeat(5_000_000), "b".repeat(5_000_000));
        let loc = Location::new(PathBuf::from("x.yaml"), &line, 1, 5_000_001);
        let s = loc.snippet_with(|t| t.to_string());
        assert!(s.len() < 300, "{s}");
        let lines: Vec<&str> = s.lines().collect();
        let caret = lines[2].find('^').unwrap();
        let x = lines[1].find('X').unwrap();
        assert_eq!(
            lines[1][..x].chars().count(),
            lines[2][..caret].chars().count()
        );
    }

    #[test]
    fn the_sanitised_snippet_keeps_the_caret_under_the_character() {
        let loc = Location::new(PathBuf::from("x.yaml"), "key: \u{1b}[2J: x", 1, 8);
        let s = loc.snippet_with(|t| t.replace('\u{1b}', "\\e"));
        assert_eq!(s, "  |\n1 | key: \\e[2J: x\n  |         ^");
    }

    #[test]
    fn a_column_near_the_end_keeps_the_end() {
        let line = format!("{}X", "a".repeat(300));
        let (w, at) = window(&line, 301, 72);
        assert!(w.starts_with('…') && w.ends_with('X'), "{w}");
        assert_eq!(w.chars().nth(at - 1), Some('X'));
    }
}
