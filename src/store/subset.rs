//! Reading only the files a command on one ID can need.
//!
//! `okr check-in KR`, `add kr OBJ`, `edit ID`, `show ID` touch one thing,
//! yet a company workspace has a thousand files. A file can only define or
//! refer to an ID if its text contains the ID's characters: IDs are slugs
//! (no spaces), so a plain, quoted or flow-style spelling all contain them,
//! and an ID the query is a prefix of contains the query too. So every file
//! is still read (a byte search is far cheaper than parsing), but only the
//! files that mention one of the wanted strings are parsed, plus every file
//! that may hold settings and every file using escapes (`\x..` could spell
//! an ID without its plain text).
//!
//! What stays guaranteed: the IDs that match a query (exactly or as a
//! prefix) are all loaded, so resolving it gives the same answer as on the
//! whole workspace, and two definitions of the same ID are both loaded and
//! refused; a new ID is chosen by a caller that passes its candidate slugs
//! as wanted strings, so every file that could already hold it is loaded.
//! When a query matches nothing, the whole workspace is parsed after all,
//! so the "did you mean" suggestions look at every ID.

use std::path::Path;

use super::StoreError;
use super::Workspace;
use super::load::Filter;
use super::lock::WorkspaceLock;
use crate::model::id::{self, Lookup};

/// The strings a one-ID command wants: the IDs or prefixes it resolves
/// (`queries`) and any further strings whose files it must see (`more`,
/// e.g. the candidate slugs of a new ID).
#[derive(Debug, Clone, Copy)]
pub struct Wanted<'a> {
    /// Typed IDs or unique prefixes the command resolves.
    pub queries: &'a [&'a str],
    /// Other strings whose files must be loaded (never resolved).
    pub more: &'a [&'a str],
}

impl Wanted<'_> {
    fn all(&self) -> impl Iterator<Item = &str> {
        self.queries.iter().chain(self.more.iter()).copied()
    }

    /// Whether a plain substring search can stand for these strings: not
    /// for an empty one (it is in every file) or one with whitespace (a
    /// multi-line plain scalar folds a line break into a space).
    fn searchable(&self) -> bool {
        self.all()
            .all(|s| !s.is_empty() && !s.contains(char::is_whitespace))
    }
}

/// Whether `text` must be parsed for a command that wants `wanted`.
pub fn may_mention(text: &str, wanted: &[&str]) -> bool {
    Needles::new(wanted).may_mention(text)
}

/// Substring searchers built once for many texts (SIMD `memmem`).
#[derive(Debug)]
pub struct Needles<'a> {
    finders: Vec<memchr::memmem::Finder<'a>>,
}

impl<'a> Needles<'a> {
    /// Searchers for `wanted`, plus `settings`, which every command needs.
    pub fn new(wanted: &[&'a str]) -> Self {
        let mut n = Needles::exactly(wanted);
        n.finders.push(memchr::memmem::Finder::new("settings"));
        n
    }

    /// Searchers for `wanted` alone.
    pub fn exactly(wanted: &[&'a str]) -> Self {
        Needles {
            finders: wanted
                .iter()
                .map(|w| memchr::memmem::Finder::new(*w))
                .collect(),
        }
    }

    /// Whether `text` uses an escape or contains one of the needles.
    pub fn may_mention(&self, text: &str) -> bool {
        let b = text.as_bytes();
        memchr::memchr(b'\\', b).is_some() || self.finders.iter().any(|f| f.find(b).is_some())
    }
}

impl Workspace {
    /// Locks the workspace, then reads it parsing only the files that may
    /// mention what `wanted` names (see the module comment).
    pub fn open_locked_for(root: &Path, wanted: Wanted<'_>) -> Result<Self, StoreError> {
        let lock = WorkspaceLock::acquire(root)?;
        let mut ws = Self::load_for(root, wanted, true)?;
        ws.lock = Some(lock);
        Ok(ws)
    }

    /// Reads the workspace without locking it, parsing only the files that
    /// may mention what `wanted` names (for read-only commands on one ID).
    pub fn open_for(root: &Path, wanted: Wanted<'_>) -> Result<Self, StoreError> {
        Self::load_for(root, wanted, false)
    }

    fn load_for(root: &Path, wanted: Wanted<'_>, editable: bool) -> Result<Self, StoreError> {
        if !wanted.searchable() {
            return Self::load_filtered(root, &Filter::All, editable);
        }
        let wanted_all: Vec<&str> = wanted.all().collect();
        let filter = Filter::Mentions(Needles::new(&wanted_all), &wanted_all);
        let ws = Self::load_filtered(root, &filter, editable)?;
        let found = wanted
            .queries
            .iter()
            .all(|q| !matches!(id::resolve(q, ws.all_ids()), Lookup::NotFound(_)));
        if found {
            return Ok(ws);
        }
        // Not found: the whole workspace, so suggestions see every ID.
        drop(ws);
        Self::load_filtered(root, &Filter::All, editable)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn obj(id: &str, kr: &str) -> String {
        format!(
            "version: 1\nobjectives:\n  - id: {id}\n    title: T\n    period: 2026-Q3\n    key_results:\n      - id: {kr}\n        title: K\n        target: 10\n"
        )
    }

    fn dir(files: &[(&str, String)]) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("okrs");
        std::fs::create_dir(&root).unwrap();
        for (name, text) in files {
            std::fs::write(root.join(name), text).unwrap();
        }
        d
    }

    fn loaded(ws: &Workspace) -> Vec<String> {
        ws.files
            .iter()
            .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn parses_only_the_files_that_mention_the_id_and_settings() {
        let d = dir(&[
            ("a.yaml", obj("alpha", "alpha-kr")),
            ("b.yaml", obj("beta", "beta-kr")),
            (
                "c.yaml",
                "version: 1\nsettings:\n  fiscal_year_start: april\n".into(),
            ),
            ("d.yaml", obj("gamma", "gamma-kr")),
        ]);
        let root = d.path().join("okrs");
        let w = Wanted {
            queries: &["beta-k"],
            more: &[],
        };
        let ws = Workspace::open_for(&root, w).unwrap();
        assert_eq!(loaded(&ws), ["b.yaml", "c.yaml"]);
        assert!(ws.address("beta-kr").is_some());
        // A file using an escape could spell the ID: it is parsed too.
        std::fs::write(root.join("e.yaml"), obj("\"d\\x65lta\"", "x")).unwrap();
        let ws = Workspace::open_for(&root, w).unwrap();
        assert_eq!(loaded(&ws), ["b.yaml", "c.yaml", "e.yaml"]);
    }

    #[test]
    fn a_prefix_sees_every_id_it_could_mean() {
        let d = dir(&[
            ("a.yaml", obj("launch", "launch-kr")),
            ("b.yaml", obj("launch-2", "other")),
        ]);
        let root = d.path().join("okrs");
        let ws = Workspace::open_for(
            &root,
            Wanted {
                queries: &["launch-"],
                more: &[],
            },
        )
        .unwrap();
        assert!(matches!(
            id::resolve("launch-", ws.all_ids()),
            Lookup::Ambiguous(_)
        ));
    }

    #[test]
    fn a_duplicate_of_the_wanted_id_is_still_refused() {
        let d = dir(&[
            ("a.yaml", obj("alpha", "kr")),
            ("b.yaml", obj("beta", "kr")),
            ("c.yaml", obj("gamma", "other")),
        ]);
        let root = d.path().join("okrs");
        let w = Wanted {
            queries: &["kr"],
            more: &[],
        };
        let err = Workspace::open_for(&root, w).unwrap_err();
        assert!(err.to_string().contains("duplicate ID `kr`"), "{err}");
    }

    #[test]
    fn nothing_found_loads_everything_for_suggestions() {
        let d = dir(&[
            ("a.yaml", obj("alpha", "alpha-kr")),
            ("b.yaml", obj("beta", "beta-kr")),
        ]);
        let root = d.path().join("okrs");
        let w = Wanted {
            queries: &["alpah"],
            more: &[],
        };
        let ws = Workspace::open_for(&root, w).unwrap();
        assert_eq!(loaded(&ws), ["a.yaml", "b.yaml"]);
    }

    #[test]
    fn more_strings_load_their_files_without_being_resolved() {
        let d = dir(&[
            ("a.yaml", obj("alpha", "alpha-kr")),
            ("b.yaml", obj("beta", "reach-users-2")),
        ]);
        let root = d.path().join("okrs");
        let w = Wanted {
            queries: &["alpha"],
            more: &["reach-users"],
        };
        let ws = Workspace::open_for(&root, w).unwrap();
        assert_eq!(loaded(&ws), ["a.yaml", "b.yaml"]);
        let w = Wanted {
            queries: &["alpha"],
            more: &["reach users"],
        };
        assert_eq!(loaded(&Workspace::open_for(&root, w).unwrap()).len(), 2);
    }
}
