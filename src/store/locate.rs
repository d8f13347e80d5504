//! Finding where a model element sits in a file's text.
//!
//! Typed reading does not keep positions (that keeps the model plain and
//! loading fast); when a message needs a line and column we re-read the text
//! with the event parser (no tree) and walk to the element. Only error paths
//! and `okr check` pay for this, once per file.

use std::collections::HashMap;

use serde_saphyr::granit_parser::{Event, Options, Parser};

mod tree;
pub use tree::{Places, tree_with_places};
mod packed;
pub use packed::{Finder, Packed};

/// One step of a path into the document.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// A mapping key.
    Key(&'a str),
    /// A sequence index.
    Index(usize),
}

/// 1-based line and column of the node at `path` (or of the deepest part of
/// the path that exists). Returns `(1, 1)` when nothing can be found.
pub fn locate(text: &str, path: &[Step<'_>]) -> (usize, usize) {
    Locator::new(text).locate(path)
}

/// Locates many paths in one text: one pass of the event parser records
/// where every node starts (by its path), and the line starts are indexed
/// once, so `okr check` stays linear in the number of findings instead of
/// re-reading the file for each one.
#[derive(Debug)]
pub struct Locator<'t> {
    text: &'t str,
    starts: HashMap<String, usize>,
    lines: LineIndex,
}

/// Separates path segments in the keys of [`Locator::starts`].
const SEP: char = '\u{1f}';

impl<'t> Locator<'t> {
    /// Reads `text` once.
    pub fn new(text: &'t str) -> Self {
        Locator {
            text,
            starts: node_starts(text),
            lines: LineIndex::new(text),
        }
    }

    /// 1-based line and column of the node at `path`, as [`locate`].
    pub fn locate(&self, path: &[Step<'_>]) -> (usize, usize) {
        let mut key = String::new();
        let mut offset = 0usize;
        for (n, step) in path.iter().enumerate() {
            if n > 0 {
                key.push(SEP);
            }
            match step {
                Step::Key(k) => key.push_str(k),
                Step::Index(i) => key.push_str(&i.to_string()),
            }
            match self.starts.get(&key) {
                Some(o) => offset = *o,
                None => break,
            }
        }
        self.lines.line_col(self.text, offset)
    }
}

/// Where each node of the document starts, by path (segments joined with
/// [`SEP`]); the first document only, first of duplicate keys.
fn node_starts(text: &str) -> HashMap<String, usize> {
    enum Frame {
        Map { key: Option<String>, want_key: bool },
        Seq { next: usize },
    }
    fn path(stack: &[Frame]) -> Option<String> {
        let mut p = String::new();
        for (n, f) in stack.iter().enumerate() {
            if n > 0 {
                p.push(SEP);
            }
            match f {
                Frame::Map { key: Some(k), .. } => p.push_str(k),
                Frame::Seq { next } => p.push_str(&next.to_string()),
                Frame::Map { key: None, .. } => return None,
            }
        }
        Some(p)
    }
    fn value_done(stack: &mut [Frame]) {
        match stack.last_mut() {
            Some(Frame::Map { want_key, .. }) => *want_key = true,
            Some(Frame::Seq { next }) => *next += 1,
            None => {}
        }
    }
    let mut starts = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    // Comments are no nodes; not emitting them spares the parser their
    // bookkeeping.
    let mut options = Options::default();
    options.emit_comments = false;
    for ev in Parser::new_from_str_with_options(text, options) {
        let Ok((event, span)) = ev else { break };
        let start = span.start.byte_offset().unwrap_or(0);
        let is_key = matches!(stack.last(), Some(Frame::Map { want_key: true, .. }));
        match event {
            Event::Scalar(value, ..) if is_key => {
                if let Some(Frame::Map { key, want_key }) = stack.last_mut() {
                    *key = Some(value.into_owned());
                    *want_key = false;
                }
            }
            Event::Scalar(..) | Event::Alias(..) => {
                if !stack.is_empty()
                    && let Some(p) = path(&stack)
                {
                    starts.entry(p).or_insert(start);
                }
                value_done(&mut stack);
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if is_key {
                    // A complex key: nothing we can name; skip its value too.
                    if let Some(Frame::Map { key, want_key }) = stack.last_mut() {
                        *key = None;
                        *want_key = false;
                    }
                } else if !stack.is_empty()
                    && let Some(p) = path(&stack)
                {
                    starts.entry(p).or_insert(start);
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq { next: 0 }
                } else {
                    Frame::Map {
                        key: None,
                        want_key: true,
                    }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                stack.pop();
                value_done(&mut stack);
            }
            Event::DocumentEnd => break,
            _ => {}
        }
    }
    starts
}

/// The byte offset of every line start, for offset -> line:column lookups
/// in O(log lines).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of a byte offset in `text`
    /// (the text this index was built from).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = text.get(start..offset).unwrap_or("").chars().count() + 1;
        (line, col)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values() {
        let text = "version: 1\nobjectives:\n  - id: a\n    title: A\n  - id: b\n    title: B\n";
        let (l, c) = locate(
            text,
            &[Step::Key("objectives"), Step::Index(1), Step::Key("id")],
        );
        assert_eq!((l, c), (5, 9));
    }

    #[test]
    fn line_index_agrees_with_line_col() {
        let text = "ab\ncé d\n\nx: y\n";
        let idx = LineIndex::new(text);
        for off in (0..=text.len()).filter(|o| text.is_char_boundary(*o)) {
            assert_eq!(idx.line_col(text, off), line_col(text, off), "at {off}");
        }
    }

    #[test]
    fn one_locator_finds_many_paths() {
        let text = "version: 1\nobjectives:\n  - id: a\n    title: A\n  - id: b\n    title: B\n";
        let loc = Locator::new(text);
        let at = |i| loc.locate(&[Step::Key("objectives"), Step::Index(i), Step::Key("title")]);
        assert_eq!(at(0), (4, 12));
        assert_eq!(at(1), (6, 12));
        assert_eq!(loc.locate(&[Step::Key("nope")]), (1, 1));
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
    }
}
