//! What `okr check` learns from one file on its own, cached by its text.
//!
//! `okr check` reads every file into its raw tree and the places of its
//! nodes (the rules typed reading cannot see, and where findings are), then
//! into the typed model, then validates it and looks for YAML 1.1 words:
//! nearly all of a check's time, and the same answer for the same text.
//! These facts are kept in the parse cache's directory ([`super::cache`])
//! as a second kind of entry beside the parsed documents (`{key}.check.bin`,
//! the same key: okr's version, the cache format and the exact text), with
//! the same guarantees: written atomically, checksummed, a corrupt,
//! truncated or foreign entry is a miss and is rebuilt, pruned with the
//! others, off with `OKR_NO_CACHE=1`. So a warm check parses no YAML for an
//! unchanged file.
//!
//! Only what follows from the one text is kept. The rules across files
//! (`lint::check`), trust (this machine's store), includes and the
//! workspace's settings (which switch rules off or change severities) run
//! on every check; the places of every node are kept, as line and column
//! ([`locate::Packed`]), so any path those rules name is found without the
//! text. The document is stored here rather than taken from the parse
//! entry: the raw-tree rules patch the tree (an out-of-range confidence)
//! so that a file the typed reader refuses still reaches the model rules.

use std::fs;
use std::path::{Path, PathBuf};

use super::cache::Cache;
use super::codec::{self, Dec, Enc};
use super::error::StoreError;
use super::locate::{self, Packed};
use super::manifest::Manifest;
use super::yaml11::{self, Yaml11Word};
use super::{decode, parse, validate};
use crate::model::lint::{self, Finding, PathStep};
use crate::model::{Document, RuleLevel};

/// The kind of the entries, after the key in their names.
const KIND: &str = ".check";
/// The first byte of every body: bumped whenever the layout below (or
/// [`Packed`]'s) changes, as the cache's format is for the parse entries
/// (the key already holds okr's version and the document's format).
const LAYOUT: u8 = 1;

/// What `okr check` knows of one file from its text alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    /// Whether it reads, and what came of it.
    pub outcome: Outcome,
    /// YAML 1.1 boolean words written as plain values.
    pub yaml11: Vec<Yaml11Word>,
}

/// A file's model, or why it has none.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It reads (after the raw-tree rules patched what they found).
    Read {
        /// Its model.
        doc: Box<Document>,
        /// Findings of the rules on its raw tree, unconfigured, with file 0.
        raw: Vec<Finding>,
        /// Where its nodes are; `None` when its raw tree did not read
        /// (the caller then locates through the text).
        places: Option<Packed>,
    },
    /// It does not read: the error at its place.
    Refused {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

/// One file of a workspace as `okr check` takes it.
#[derive(Debug)]
pub struct Checked {
    /// Where it lives.
    pub path: PathBuf,
    /// Its text; empty when the stat index vouched for it and its facts
    /// need no text (they are then cached and hold the places, or say it
    /// does not read).
    pub text: String,
    /// What it says on its own.
    pub facts: Facts,
}

/// The facts of every file of the workspace at `root`, in order, through
/// the cache when there is one and on every core. A file the stat index
/// ([`super::manifest`], written by the other commands' loads) vouches for
/// is not even read: its facts are found by the key of the text it holds.
/// An error other than a located one (the first, in file order) is
/// returned as it is.
pub fn of_workspace(root: &Path) -> Result<Vec<Checked>, StoreError> {
    let paths = super::workspace_paths(root)?;
    let cache = Cache::from_env();
    let index = cache.as_ref().map(|c| Manifest::open(c.dir(), root));
    let checked = crate::par::map(&paths, |p| one(cache.as_ref(), index.as_ref(), p));
    if let Some(c) = &cache {
        c.prune();
    }
    checked.into_iter().collect()
}

fn one(
    cache: Option<&Cache>,
    index: Option<&Manifest>,
    path: &Path,
) -> Result<Checked, StoreError> {
    let known = index
        .zip(fs::metadata(path).ok())
        .and_then(|(m, meta)| m.lookup(path, &meta).map(|e| e.key.clone()));
    let vouched = cache
        .zip(known)
        .and_then(|(c, key)| c.read_entry(&key, KIND, decode))
        .filter(Facts::need_no_text);
    if let Some(facts) = vouched {
        return Ok(Checked {
            path: path.to_path_buf(),
            text: String::new(),
            facts,
        });
    }
    let text = decode::read(path)?;
    let facts = through(cache, path, &text)?;
    Ok(Checked {
        path: path.to_path_buf(),
        text,
        facts,
    })
}

impl Facts {
    /// Whether every finding in this file can be located without its text.
    fn need_no_text(&self) -> bool {
        match &self.outcome {
            Outcome::Read { places, .. } => places.is_some(),
            Outcome::Refused { .. } => true,
        }
    }
}

/// The facts of one text, from the cache or made and stored.
fn through(cache: Option<&Cache>, path: &Path, text: &str) -> Result<Facts, StoreError> {
    let Some(cache) = cache else {
        return of(path, text);
    };
    let key = Cache::key(text);
    if let Some(facts) = cache.read_entry(&key, KIND, decode) {
        return Ok(facts);
    }
    let facts = of(path, text)?;
    if let Some(body) = encode(&facts) {
        cache.write_entry(&key, KIND, &body);
    }
    Ok(facts)
}

/// The facts of `text` (the contents of `path`), made by parsing it.
pub fn of(path: &Path, text: &str) -> Result<Facts, StoreError> {
    let (tree, places) = match locate::tree_with_places(text) {
        Some((tree, places)) => (Some(tree), Some(places)),
        None => (None, None),
    };
    let mut raw = Vec::new();
    let doc = match tree {
        Some(mut tree) => {
            raw = lint::prepass(0, &mut tree);
            serde_json::from_value::<Document>(tree).or_else(|_| parse::parse(path, text))
        }
        None => parse::parse(path, text),
    };
    // Rules the typed reader does not see (IDs, NaN) also hold here.
    let doc = doc.and_then(|d| validate::check(path, text, &d).map(|()| d));
    let outcome = match doc {
        Ok(doc) => Outcome::Read {
            doc: Box::new(doc),
            raw,
            places: places.as_ref().and_then(Packed::of),
        },
        Err(StoreError::Invalid { location, message }) => Outcome::Refused {
            line: location.line,
            column: location.column,
            message,
        },
        Err(e) => return Err(e),
    };
    Ok(Facts {
        outcome,
        yaml11: yaml11::find(text),
    })
}

/// The bytes of `facts`; `None` when its document cannot be written.
fn encode(facts: &Facts) -> Option<Vec<u8>> {
    let mut e = Enc(vec![LAYOUT]);
    match &facts.outcome {
        Outcome::Read { doc, raw, places } => {
            e.0.push(0);
            e.bytes(&codec::encode(doc)?);
            e.len(raw.len());
            raw.iter().for_each(|f| finding(&mut e, f));
            match places {
                Some(p) => {
                    e.0.push(1);
                    p.write(&mut e);
                }
                None => e.0.push(0),
            }
        }
        Outcome::Refused {
            line,
            column,
            message,
        } => {
            e.0.push(1);
            e.len(*line);
            e.len(*column);
            e.str(message);
        }
    }
    e.len(facts.yaml11.len());
    for w in &facts.yaml11 {
        e.len(w.line);
        e.len(w.column);
        e.str(&w.word);
        e.0.push(u8::from(w.reads_as));
    }
    Some(e.0)
}

fn finding(e: &mut Enc, f: &Finding) {
    e.str(f.rule);
    e.str(f.severity.as_str());
    e.str(&f.message);
    e.len(f.path.len());
    for step in &f.path {
        match step {
            PathStep::Key(k) => {
                e.0.push(0);
                e.str(k);
            }
            PathStep::Index(i) => {
                e.0.push(1);
                e.len(*i);
            }
        }
    }
}

/// The facts `encode` made these bytes from; `None` for anything else.
fn decode(bytes: &[u8]) -> Option<Facts> {
    let mut d = Dec {
        b: bytes.strip_prefix(&[LAYOUT])?,
    };
    let outcome = match d.u8()? {
        0 => Outcome::Read {
            doc: Box::new(codec::decode(d.bytes()?)?),
            raw: d.vec(read_finding)?,
            places: match d.u8()? {
                0 => None,
                1 => Some(Packed::read(&mut d)?),
                _ => return None,
            },
        },
        1 => Outcome::Refused {
            line: d.len()?,
            column: d.len()?,
            message: d.string()?,
        },
        _ => return None,
    };
    let yaml11 = d.vec(|d| {
        Some(Yaml11Word {
            line: d.len()?,
            column: d.len()?,
            word: d.string()?,
            reads_as: d.bool()?,
        })
    })?;
    d.b.is_empty().then_some(Facts { outcome, yaml11 })
}

fn read_finding(d: &mut Dec<'_>) -> Option<Finding> {
    let name = d.bytes()?;
    let rule = lint::RULES.iter().find(|r| r.id.as_bytes() == name)?.id;
    let severity = match d.bytes()? {
        b"warning" => RuleLevel::Warning,
        b"error" => RuleLevel::Error,
        b"off" => RuleLevel::Off,
        _ => return None,
    };
    let message = d.string()?;
    let path = d.vec(|d| match d.u8()? {
        0 => Some(PathStep::Key(d.string()?.into())),
        1 => Some(PathStep::Index(d.len()?)),
        _ => None,
    })?;
    Some(Finding {
        rule,
        severity,
        message,
        file: 0,
        path,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// An unknown key (a raw-tree rule), a YAML 1.1 word, flow and block
    /// style.
    const TEXT: &str = "version: 1\nobjectives:\n  - id: a\n    title: A\n    owner: no\n    colour: red\n    period: 2026-Q3\n    key_results:\n      - id: k\n        title: K\n        target: 10\n        check_ins: [{date: 2026-08-01, value: 3, confidence: 0.5}]\n";

    fn path() -> &'static Path {
        Path::new("x.yaml")
    }

    fn round_trip(facts: &Facts) {
        let bytes = encode(facts).unwrap();
        assert_eq!(decode(&bytes).as_ref(), Some(facts));
        for cut in 0..bytes.len() {
            assert_eq!(decode(&bytes[..cut]), None, "cut at {cut}");
        }
        assert_eq!(decode(&[&bytes[..], b"\0"].concat()), None);
        // Another layout is a miss, however well it would read.
        let mut other = bytes.clone();
        other[0] = LAYOUT + 1;
        assert_eq!(decode(&other), None);
    }

    #[test]
    fn the_facts_of_a_file_that_reads_come_back_exactly() {
        let facts = of(path(), TEXT).unwrap();
        let Outcome::Read { raw, places, .. } = &facts.outcome else {
            panic!("{facts:?}");
        };
        let rules: Vec<_> = raw.iter().map(|f| f.rule).collect();
        assert_eq!(rules, ["unknown-key"]);
        assert!(places.is_some());
        assert_eq!(facts.yaml11.len(), 1);
        round_trip(&facts);
    }

    #[test]
    fn the_facts_of_a_file_that_does_not_read_come_back_exactly() {
        let facts = of(path(), "version: 1\nobjectives: [\n").unwrap();
        assert!(matches!(facts.outcome, Outcome::Refused { line: 2.., .. }));
        round_trip(&facts);
    }

    #[test]
    fn facts_are_cached_by_text_and_a_bad_entry_is_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(&dir.path().join("c")).unwrap();
        let made = through(Some(&cache), path(), TEXT).unwrap();
        let key = Cache::key(TEXT);
        let entry = cache.dir().join(format!("{key}.check.bin"));
        let full = std::fs::read(&entry).unwrap();
        assert_eq!(cache.read_entry(&key, KIND, decode), Some(made.clone()));
        // A parse entry of the same text is another kind: no facts.
        cache.put(TEXT, &parse::parse(path(), "version: 1\n").unwrap());
        std::fs::copy(cache.dir().join(format!("{key}.bin")), &entry).unwrap();
        assert_eq!(cache.read_entry(&key, KIND, decode), None);
        // A flipped bit is a miss, and the next check writes it again.
        let mut flipped = full.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        std::fs::write(&entry, flipped).unwrap();
        assert_eq!(cache.read_entry(&key, KIND, decode), None);
        assert_eq!(through(Some(&cache), path(), TEXT).unwrap(), made);
        assert_eq!(std::fs::read(&entry).unwrap(), full);
    }
}
