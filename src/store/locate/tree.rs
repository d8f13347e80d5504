//! The raw tree of a file and the place of each of its nodes, from one
//! parse.
//!
//! `okr check` needs both: the raw tree for the rules typed reading cannot
//! see, and the places of the findings. Reading the tree with
//! serde-saphyr's `Spanned` at every node gives the same tree as
//! `serde_saphyr::from_str::<Value>` (scalars are handed to serde_json's own
//! visitor) and the byte offset where every node starts, the offset the
//! event parser reports for it, so the second pass over the text that
//! [`super::Locator`] makes is not needed.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use serde_saphyr::Spanned;

use super::{LineIndex, Step};

/// Where the nodes below one node start.
#[derive(Debug)]
pub(super) enum Below {
    /// A scalar: nothing below.
    Leaf,
    /// A sequence's items, in order.
    Seq(Vec<Place>),
    /// A mapping's values by key, in order (the first of duplicate keys is
    /// found first).
    Map(Vec<(Box<str>, Place)>),
}

/// A node's start (byte offset) and the places below it.
#[derive(Debug)]
pub(super) struct Place {
    pub(super) start: usize,
    pub(super) below: Below,
}

/// The places of every node of one text, for many lookups.
#[derive(Debug)]
pub struct Places<'t> {
    pub(super) text: &'t str,
    pub(super) root: Below,
    pub(super) lines: LineIndex,
}

impl Places<'_> {
    /// 1-based line and column of the node at `path` (or of the deepest part
    /// of the path that exists; `(1, 1)` when not even the first step does),
    /// as [`super::locate`] gives it.
    pub fn locate(&self, path: &[Step<'_>]) -> (usize, usize) {
        let mut below = &self.root;
        let mut offset = 0;
        for step in path {
            let next = match (step, below) {
                (Step::Key(k), Below::Map(m)) => {
                    m.iter().find(|(key, _)| &**key == *k).map(|e| &e.1)
                }
                (Step::Index(i), Below::Seq(s)) => s.get(*i),
                _ => None,
            };
            let Some(place) = next else { break };
            offset = place.start;
            below = &place.below;
        }
        self.lines.line_col(self.text, offset)
    }
}

/// The tree of `text` as `serde_saphyr::from_str::<Value>` reads it, and the
/// places of its nodes; `None` when the text does not read as a tree.
pub fn tree_with_places(text: &str) -> Option<(Value, Places<'_>)> {
    let node = serde_saphyr::from_str::<Node>(text).ok()?;
    let places = Places {
        text,
        root: node.below,
        lines: LineIndex::new(text),
    };
    Some((node.value, places))
}

/// A node's value and the places below it.
struct Node {
    value: Value,
    below: Below,
}

impl Node {
    fn leaf(value: Value) -> Self {
        Node {
            value,
            below: Below::Leaf,
        }
    }
}

/// The byte offset of a node from its span (0 when the source has none).
fn start(s: &Spanned<Node>) -> usize {
    let at = s.referenced.span().byte_offset().unwrap_or(0);
    usize::try_from(at).unwrap_or(usize::MAX)
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

/// A scalar as serde_json's own visitor makes it.
fn scalar<'de, D: Deserializer<'de>, E: de::Error>(d: D) -> Result<Node, E> {
    Value::deserialize(d)
        .map(Node::leaf)
        .map_err(|e| E::custom(e))
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        scalar(IntoDeserializer::<E>::into_deserializer(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        scalar(IntoDeserializer::<E>::into_deserializer(v))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        scalar(IntoDeserializer::<E>::into_deserializer(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        scalar(IntoDeserializer::<E>::into_deserializer(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        scalar(IntoDeserializer::<E>::into_deserializer(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        scalar(IntoDeserializer::<E>::into_deserializer(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::leaf(Value::String(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::leaf(Value::String(v)))
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::leaf(Value::Null))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::leaf(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut values = Vec::new();
        let mut places = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            let at = start(&item);
            let Node { value, below } = item.value;
            places.push(Place { start: at, below });
            values.push(value);
        }
        Ok(Node {
            value: Value::Array(values),
            below: Below::Seq(places),
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut values = Map::new();
        let mut places = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let item: Spanned<Node> = map.next_value()?;
            let at = start(&item);
            let Node { value, below } = item.value;
            places.push((Box::from(key.as_str()), Place { start: at, below }));
            values.insert(key, value);
        }
        Ok(Node {
            value: Value::Object(values),
            below: Below::Map(places),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::locate::Locator;

    /// A path step that owns its key.
    #[derive(Clone, Debug)]
    enum Owned {
        Key(String),
        Index(usize),
    }

    /// Every path of the tree, and one that does not exist below each
    /// collection.
    fn paths(v: &Value, at: &mut Vec<Owned>, out: &mut Vec<Vec<Owned>>) {
        out.push(at.clone());
        let children: Vec<(Owned, Option<&Value>)> = match v {
            Value::Array(a) => (0..=a.len()).map(|i| (Owned::Index(i), a.get(i))).collect(),
            Value::Object(m) => m
                .iter()
                .map(|(k, x)| (Owned::Key(k.clone()), Some(x)))
                .chain([(Owned::Key("nope".into()), None)])
                .collect(),
            _ => Vec::new(),
        };
        for (step, child) in children {
            at.push(step);
            match child {
                Some(x) => paths(x, at, out),
                None => out.push(at.clone()),
            }
            at.pop();
        }
    }

    /// The places agree with the event-parser locator at every path, and the
    /// tree with serde-saphyr's own.
    fn agrees(text: &str) {
        let (tree, places) = tree_with_places(text).unwrap();
        let plain: Value = serde_saphyr::from_str(text).unwrap();
        assert_eq!(tree, plain, "{text}");
        let locator = Locator::new(text);
        let mut all = Vec::new();
        paths(&tree, &mut Vec::new(), &mut all);
        assert!(all.len() > 5);
        for p in all {
            let steps: Vec<Step<'_>> = p
                .iter()
                .map(|s| match s {
                    Owned::Key(k) => Step::Key(k),
                    Owned::Index(i) => Step::Index(*i),
                })
                .collect();
            assert_eq!(
                places.locate(&steps),
                locator.locate(&steps),
                "{p:?} in {text:?}"
            );
        }
    }

    #[test]
    fn places_agree_with_the_event_parser() {
        agrees("version: 1\nobjectives:\n  - id: a\n    title: A\n  - id: b\n    title: B\n");
        // CRLF, comments, flow lists and maps, quoted keys and values, a
        // non-ASCII title before the place (columns count characters).
        agrees(
            "# head\r\nversion: 1\r\nobjectives:\r\n  # one\r\n  - id: \"a\"\r\n    title: 'Café: ü # x'\r\n    key_results: [{id: k, check_ins: [ {date: 2026-07-01, value: 3}, {date: 2026-07-08, value: 4} ]}]\r\n",
        );
        agrees(
            "version: 1\nobjectives:\n- id: a\n  title: >-\n    folded\n    text\n  key_results:\n  - id: k\n    check_ins:\n    - date: 2026-07-01   # c\n      value: 1.5\n      note: ~\n    -   {date: 2026-07-02, value: -3}\n  tags: [x, 'y', 12]\n",
        );
        agrees(
            "version: 1\nobjectives:\n  - &o {id: a, title: A}\n  - *o\nx: {1: one, true: yes}\n",
        );
        // Empty values, document markers, a tag, a quoted key.
        agrees(
            "---\nversion: 1\nobjectives:\n  - id: a\n    note:\n    \"title\": !!str 12\n    key_results:\n      -\n      - check_ins: []\n        x:\n...\n",
        );
    }

    #[test]
    fn a_text_that_is_no_tree_gives_none() {
        assert!(tree_with_places("a: [1, 2\n").is_none());
    }
}
