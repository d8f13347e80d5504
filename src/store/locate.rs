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
    let Ok(file) = YamlFile::from_str(text) else {
        return (1, 1);
    };
    let Some(doc) = file.document() else {
        return (1, 1);
    };
    let Some(root) = doc.as_mapping() else {
        return (1, 1);
    };
    let mut node = YamlNode::Mapping(root);
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
    line_col(text, offset)
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
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
    }
}
