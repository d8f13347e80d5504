//! Finding where a model element sits in a file's text.
//!
//! Typed reading does not keep positions (that keeps the model plain and
//! loading fast); when a message needs a line and column we re-read the text
//! losslessly and walk to the element. Only error paths pay for this.

use std::str::FromStr;

use yaml_edit::{YamlFile, YamlNode};

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

/// Locates many paths in one text: the text is read losslessly once and its
/// line starts are indexed once, so `okr check` stays linear in the number
/// of findings instead of re-reading the file for each one.
#[derive(Debug)]
pub struct Locator<'t> {
    text: &'t str,
    root: Option<YamlNode>,
    lines: LineIndex,
}

impl<'t> Locator<'t> {
    /// Reads `text` once.
    pub fn new(text: &'t str) -> Self {
        // The whole stream, so a `%YAML` directive or `---` marker does not
        // hide the document.
        let root = YamlFile::from_str(text)
            .ok()
            .and_then(|f| f.document())
            .and_then(|d| d.as_mapping())
            .map(YamlNode::Mapping);
        Locator {
            text,
            root,
            lines: LineIndex::new(text),
        }
    }

    /// 1-based line and column of the node at `path`, as [`locate`].
    pub fn locate(&self, path: &[Step<'_>]) -> (usize, usize) {
        let Some(mut node) = self.root.clone() else {
            return (1, 1);
        };
        let mut offset = 0usize;
        for step in path {
            let next = match step {
                Step::Key(k) => node.get(*k),
                Step::Index(i) => node.get_item(*i),
            };
            match next {
                Some(n) => {
                    offset = n.byte_range().start as usize;
                    node = n;
                }
                None => break,
            }
        }
        self.lines.line_col(self.text, offset)
    }
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
