//! The places of a file's nodes as bytes, for the check-facts cache
//! ([`crate::store::checkfacts`]).
//!
//! A warm `okr check` locates findings in files it does not parse, so the
//! places are kept as each node's line and column (neither the text nor its
//! line index is needed) in one preorder byte string that is searched where
//! it lies: each collection says how many bytes its children take, so a
//! lookup skips a sibling's whole subtree in one step, a sequence's item is
//! found by its offset in a table (a check-in among hundreds: measured, the
//! walk past its siblings was 35 M of a warm check's 82 M instructions), and
//! nothing is decoded or allocated before the first lookup. Keys are
//! written once, in a table, and named by number. The answers are those of
//! [`Places::locate`], tested at every path.
//!
//! A node: line, column (LEB128), a tag; a sequence or mapping then has its
//! number of children and its body (length first). A sequence's body is a
//! table of its items' offsets (u32, little-endian, from the end of the
//! table), then the items; a mapping's is its children, each preceded by
//! its key's number and its length (so a child of another key is skipped
//! unread).

use std::collections::HashMap;

use super::Step;
use super::tree::{Below, Places};
use crate::store::codec::{Dec, Enc};

const LEAF: u8 = 0;
const SEQ: u8 = 1;
const MAP: u8 = 2;

/// Where every node of one text is, as line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packed {
    keys: Vec<String>,
    nodes: Vec<u8>,
}

/// One node read from the bytes: its place and its children's bytes.
#[derive(Debug, Clone, Copy)]
struct Node<'a> {
    at: (usize, usize),
    tag: u8,
    count: usize,
    body: &'a [u8],
}

impl<'a> Node<'a> {
    fn read(d: &mut Dec<'a>) -> Option<Node<'a>> {
        let at = (d.len()?, d.len()?);
        let tag = d.u8()?;
        let (count, body) = match tag {
            LEAF => (0, &[][..]),
            SEQ | MAP => (d.len()?, d.bytes()?),
            _ => return None,
        };
        Some(Node {
            at,
            tag,
            count,
            body,
        })
    }
}

impl Packed {
    /// The places of `places`, packed (`None` for a text of gigabytes).
    pub fn of(places: &Places<'_>) -> Option<Packed> {
        let mut p = Packer {
            places,
            keys: HashMap::new(),
            list: Vec::new(),
        };
        let mut nodes = Enc(Vec::new());
        p.node(&mut nodes, 0, &places.root)?;
        Some(Packed {
            keys: p.list,
            nodes: nodes.0,
        })
    }

    /// 1-based line and column of the node at `path`, as
    /// [`Places::locate`] gives it.
    pub fn locate(&self, path: &[Step<'_>]) -> (usize, usize) {
        self.finder().locate(path)
    }

    /// A finder for many paths.
    pub fn finder(&self) -> Finder<'_> {
        Finder {
            packed: self,
            root: Node::read(&mut Dec { b: &self.nodes }),
            trail: Vec::new(),
        }
    }

    /// The child of `node` at `step`, and the step as taken.
    fn child<'a>(&self, node: &Node<'a>, step: &Step<'_>) -> Option<(Taken, Node<'a>)> {
        let mut d = Dec { b: node.body };
        match (step, node.tag) {
            (Step::Key(k), MAP) => {
                for _ in 0..node.count {
                    let key = d.len()?;
                    let child = d.bytes()?;
                    if self.keys.get(key).is_some_and(|s| s == k) {
                        return Some((Taken::Key(key), Node::read(&mut Dec { b: child })?));
                    }
                }
                None
            }
            (Step::Index(i), SEQ) if *i < node.count => {
                let table = node.body.get(..node.count.checked_mul(4)?)?;
                let at = table.get(i * 4..i * 4 + 4)?;
                let offset = usize::try_from(u32::from_le_bytes(at.try_into().ok()?)).ok()?;
                let mut d = Dec {
                    b: node.body.get(table.len().checked_add(offset)?..)?,
                };
                Some((Taken::Index(*i), Node::read(&mut d)?))
            }
            _ => None,
        }
    }

    /// Whether `step` is the step `taken`.
    fn is(&self, taken: Taken, step: &Step<'_>) -> bool {
        match (taken, step) {
            (Taken::Key(n), Step::Key(k)) => self.keys.get(n).is_some_and(|s| s == k),
            (Taken::Index(i), Step::Index(j)) => i == *j,
            _ => false,
        }
    }

    /// Writes these places (for [`Packed::read`]).
    pub(in crate::store) fn write(&self, e: &mut Enc) {
        e.len(self.keys.len());
        self.keys.iter().for_each(|k| e.str(k));
        e.bytes(&self.nodes);
    }

    /// Places as [`Packed::write`] wrote them.
    pub(in crate::store) fn read(d: &mut Dec<'_>) -> Option<Packed> {
        let keys = d.vec(Dec::string)?;
        let nodes = d.bytes()?.to_vec();
        Some(Packed { keys, nodes })
    }
}

/// A step as taken: the key's number, or the index.
#[derive(Debug, Clone, Copy)]
enum Taken {
    Key(usize),
    Index(usize),
}

/// Locates many paths in one [`Packed`], each from the longest prefix it
/// shares with the path before: findings come in the file's order, so most
/// share all but their last steps with the one before (4,000 check-in
/// findings: 9.8 M instructions walking from the root each time).
#[derive(Debug)]
pub struct Finder<'p> {
    packed: &'p Packed,
    root: Option<Node<'p>>,
    trail: Vec<(Taken, Node<'p>)>,
}

impl Finder<'_> {
    /// 1-based line and column of the node at `path`, as
    /// [`Packed::locate`].
    pub fn locate(&mut self, path: &[Step<'_>]) -> (usize, usize) {
        let Some(root) = self.root else {
            return (1, 1);
        };
        let packed = self.packed;
        let same = self
            .trail
            .iter()
            .zip(path)
            .take_while(|((taken, _), step)| packed.is(*taken, step))
            .count();
        self.trail.truncate(same);
        let mut node = self.trail.last().map_or(root, |(_, n)| *n);
        for step in &path[same..] {
            match packed.child(&node, step) {
                Some((taken, next)) => {
                    self.trail.push((taken, next));
                    node = next;
                }
                None => break,
            }
        }
        node.at
    }
}

/// Packs one text's places, numbering keys as it meets them.
struct Packer<'p, 't> {
    places: &'p Places<'t>,
    keys: HashMap<&'p str, usize>,
    list: Vec<String>,
}

impl<'p> Packer<'p, '_> {
    /// Writes one node; `None` when a sequence's children take more than
    /// 4 GiB.
    fn node(&mut self, out: &mut Enc, start: usize, below: &'p Below) -> Option<()> {
        let (line, column) = self.places.lines.line_col(self.places.text, start);
        out.len(line);
        out.len(column);
        let mut body = Enc(Vec::new());
        match below {
            Below::Leaf => {
                out.0.push(LEAF);
                return Some(());
            }
            Below::Seq(items) => {
                out.0.push(SEQ);
                out.len(items.len());
                let mut children = Enc(Vec::new());
                for p in items {
                    let offset = u32::try_from(children.0.len()).ok()?;
                    body.0.extend_from_slice(&offset.to_le_bytes());
                    self.node(&mut children, p.start, &p.below)?;
                }
                body.0.append(&mut children.0);
            }
            Below::Map(entries) => {
                out.0.push(MAP);
                out.len(entries.len());
                for (k, p) in entries {
                    let n = self.key(k);
                    body.len(n);
                    let mut child = Enc(Vec::new());
                    self.node(&mut child, p.start, &p.below)?;
                    body.bytes(&child.0);
                }
            }
        }
        out.bytes(&body.0);
        Some(())
    }

    fn key(&mut self, k: &'p str) -> usize {
        *self.keys.entry(k).or_insert_with(|| {
            self.list.push(k.to_string());
            self.list.len() - 1
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::locate::tree_with_places;
    use serde_json::Value;

    /// A step that owns its key: `(Some(key), 0)` or `(None, index)`.
    type Owned = (Option<String>, usize);

    /// Every path of `v`, and one missing below each collection.
    fn paths(v: &Value, at: &mut Vec<Owned>, out: &mut Vec<Vec<Owned>>) {
        out.push(at.clone());
        let children: Vec<(Owned, Option<&Value>)> = match v {
            Value::Array(a) => (0..=a.len()).map(|i| ((None, i), a.get(i))).collect(),
            Value::Object(m) => m
                .iter()
                .map(|(k, x)| ((Some(k.clone()), 0), Some(x)))
                .chain([((Some("nope".to_string()), 0), None)])
                .collect(),
            _ => vec![(((Some("x".to_string())), 0), None), ((None, 0), None)],
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

    /// The locator's steps for a path from [`paths`].
    fn steps_of(p: &[Owned]) -> Vec<Step<'_>> {
        p.iter()
            .map(|(k, i)| match k {
                Some(k) => Step::Key(k),
                None => Step::Index(*i),
            })
            .collect()
    }

    fn agrees(text: &str) {
        let (tree, places) = tree_with_places(text).unwrap();
        let packed = Packed::of(&places).unwrap();
        let mut e = Enc(Vec::new());
        packed.write(&mut e);
        let mut d = Dec { b: &e.0 };
        let back = Packed::read(&mut d).unwrap();
        assert!(d.b.is_empty());
        assert_eq!(back, packed);
        let mut all = Vec::new();
        paths(&tree, &mut Vec::new(), &mut all);
        // A finder resumes each path from the one before: in order, and in
        // reverse.
        let mut finder = back.finder();
        let mut again = back.finder();
        for p in all.iter().chain(all.iter().rev()) {
            let steps = steps_of(p);
            assert_eq!(finder.locate(&steps), places.locate(&steps), "{p:?}");
            assert_eq!(
                again.locate(&steps[..steps.len() / 2]),
                places.locate(&steps[..steps.len() / 2])
            );
        }
        for p in &all {
            let steps = steps_of(p);
            assert_eq!(
                back.locate(&steps),
                places.locate(&steps),
                "{p:?} in {text:?}"
            );
        }
    }

    #[test]
    fn packed_places_agree_with_the_tree_at_every_path() {
        agrees("version: 1\nobjectives:\n  - id: a\n    title: A\n  - id: b\n    title: B\n");
        agrees(
            "# head\r\nversion: 1\r\nobjectives:\r\n  - id: \"a\"\r\n    title: 'Café: ü # x'\r\n    key_results: [{id: k, check_ins: [ {date: 2026-07-01, value: 3}, {date: 2026-07-08, value: 4} ]}]\r\n",
        );
        agrees("version: 1\nobjectives:\n  - &o {id: a, title: A}\n  - *o\nx: {a: 1, b: {c: 2}}\n");
        agrees(
            "---\nversion: 1\nobjectives:\n  - id: a\n    note:\n    key_results:\n      -\n      - check_ins: []\n",
        );
        agrees("just text\n");
    }

    #[test]
    fn bytes_that_are_not_places_never_panic() {
        let (_, places) = tree_with_places("a: [1, {b: 2}]\nc: d\n").unwrap();
        let mut e = Enc(Vec::new());
        Packed::of(&places).unwrap().write(&mut e);
        let steps = [Step::Key("a"), Step::Index(1), Step::Key("b")];
        for cut in 0..e.0.len() {
            let mut d = Dec { b: &e.0[..cut] };
            if let Some(p) = Packed::read(&mut d) {
                p.locate(&steps);
            }
            let mut flipped = e.0.clone();
            flipped[cut] ^= 0x5a;
            if let Some(p) = Packed::read(&mut Dec { b: &flipped }) {
                p.locate(&steps);
            }
        }
    }
}
