//! The store: finding a workspace, reading its files, writing them back.
//!
//! A workspace is one file or a directory of `*.yaml` files. Each file is
//! parsed on its own into a [`Document`], and each keeps the text it was read
//! from, because writes are edits of that text, never re-serialisations.
//! Read-only commands use [`Workspace::open`] and never touch the lossless
//! editor; commands that change something use [`Workspace::open_locked`] and
//! [`Workspace::save`], which writes only the files whose model changed.

pub mod cache;
pub mod checkfacts;
mod codec;
pub mod conflict;
pub mod decode;
pub mod edit;
pub mod error;
pub mod explain;
pub mod failpoint;
pub mod fsio;
pub mod git;
pub mod identity;
pub mod includes;
pub mod layout;
pub mod load;
pub mod locate;
pub mod lock;
pub mod manifest;
pub mod parse;
#[cfg(test)]
mod props;
pub mod select;
pub mod source;
pub mod splice;
pub mod subset;
pub mod trust;
pub mod user;
pub mod validate;
pub mod yaml11;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

pub use error::{Location, StoreError};

use crate::model::{Document, KeyResult, Objective, Settings};
use locate::Step;
use lock::WorkspaceLock;

/// The file name searched for, and created by `okr init`.
pub const DEFAULT_FILE: &str = "okrs.yaml";
/// The directory name searched for.
pub const DEFAULT_DIR: &str = "okrs";

/// Finds the workspace: `explicit` (from `-f` or `OKR_FILE`) when given,
/// else the nearest `okrs.yaml` or `okrs/` in `cwd` or its parents.
pub fn discover(explicit: Option<&Path>, cwd: &Path) -> Result<PathBuf, StoreError> {
    if let Some(p) = explicit {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            cwd.join(p)
        };
        return if p.exists() {
            Ok(p)
        } else {
            Err(StoreError::Missing { path: p })
        };
    }
    for dir in cwd.ancestors() {
        let file = dir.join(DEFAULT_FILE);
        if file.is_file() {
            return Ok(file);
        }
        let d = dir.join(DEFAULT_DIR);
        if d.is_dir() {
            return Ok(d);
        }
    }
    Err(StoreError::NoWorkspace {
        start: cwd.to_path_buf(),
    })
}

/// One file of a workspace.
#[derive(Debug)]
pub struct WorkspaceFile {
    /// Where it lives.
    pub path: PathBuf,
    /// The model as commands see and change it.
    pub doc: Document,
    /// The text as read (empty for a file that does not exist yet).
    text: String,
    /// The model as read; `None` for a file that does not exist yet.
    original: Option<Document>,
}

impl WorkspaceFile {
    /// A file that will be created on save.
    pub fn new(path: PathBuf, doc: Document) -> Self {
        WorkspaceFile {
            path,
            doc,
            text: String::new(),
            original: None,
        }
    }

    /// The text this file was read from (empty in a workspace opened
    /// read-only, which does not keep texts).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Its text, read again from disk when it was loaded without it (from
    /// the parse cache by key): for pointing at a line in an error.
    fn text_or_read(&self) -> std::borrow::Cow<'_, str> {
        if self.text.is_empty()
            && let Ok(t) = decode::read(&self.path)
        {
            return t.into();
        }
        self.text.as_str().into()
    }
}

/// Where an ID lives in a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Address {
    /// An objective: file index, objective index.
    Objective(usize, usize),
    /// A key result: file, objective and key result index.
    KeyResult(usize, usize, usize),
}

/// Where any ID lives. Objectives, key results, KPIs and initiatives share
/// one namespace; [`Address`] stays the place of the first two, so code that
/// only knows objectives and key results keeps matching it exhaustively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// An objective or a key result.
    Okr(Address),
    /// A KPI: file index, KPI index.
    Kpi(usize, usize),
    /// An initiative: the key result's address, then the initiative index.
    Initiative(Address, usize),
}

/// A loaded workspace.
#[derive(Debug)]
pub struct Workspace {
    /// The file or directory given or found.
    pub root: PathBuf,
    /// Its files, sorted by path.
    pub files: Vec<WorkspaceFile>,
    lock: Option<WorkspaceLock>,
    /// Opened for reading only: the texts are not kept (see [`Workspace::build`]).
    read_only: bool,
}

impl Workspace {
    /// Reads a workspace without locking it (for read-only commands).
    pub fn open(root: &Path) -> Result<Self, StoreError> {
        Self::load(root, None)
    }

    /// Reads, without locking, only the files that may hold objectives of
    /// the period named `name` (see [`select`]), or settings or KPIs: for
    /// read-only commands filtered by one fixed period.
    pub fn open_period(root: &Path, name: &str) -> Result<Self, StoreError> {
        Self::load_filtered(root, &load::Filter::Period(name), false)
    }

    /// Reads, without locking, only the files that may say `autocommit`
    /// (the settings files that can turn it on).
    pub fn open_autocommit(root: &Path) -> Result<Self, StoreError> {
        Self::load_filtered(root, &load::Filter::Autocommit, false)
    }

    /// Locks the workspace against other `okr` processes, then reads it.
    /// The lock is held until the workspace is dropped, so a whole
    /// read-change-write cycle is serialised.
    pub fn open_locked(root: &Path) -> Result<Self, StoreError> {
        let lock = WorkspaceLock::acquire(root)?;
        Self::load(root, Some(lock))
    }

    fn load(root: &Path, lock: Option<WorkspaceLock>) -> Result<Self, StoreError> {
        let mut ws = Self::load_filtered(root, &load::Filter::All, lock.is_some())?;
        ws.lock = lock;
        Ok(ws)
    }

    /// Reads the files of the workspace on disk that `filter` keeps (through
    /// the stat index and the parse cache: [`load`]); an editable workspace
    /// keeps their texts.
    fn load_filtered(
        root: &Path,
        filter: &load::Filter<'_>,
        editable: bool,
    ) -> Result<Self, StoreError> {
        let paths = workspace_paths(root)?;
        let loaded = load::load(root, &paths, filter, editable)?;
        let files = loaded
            .into_iter()
            .map(|l| (l.path, l.text, l.doc))
            .collect();
        Self::assemble(root, files, editable)
    }

    /// Builds a workspace from (path, text) pairs that may come from
    /// anywhere: disk, a git revision, the three sides of a merge. The same
    /// parser and checks run as for files on disk; such a workspace is not
    /// locked, so it can be read and edited in memory but not saved.
    pub fn from_texts(root: &Path, texts: Vec<(PathBuf, String)>) -> Result<Self, StoreError> {
        Self::build(root, texts, true)
    }

    /// Parses the texts (cached, in parallel: [`cache::parse_many`]); keeps
    /// a copy of each model as read only when the workspace may be edited
    /// (a read-only open does not pay for a clone of the model).
    fn build(
        root: &Path,
        texts: Vec<(PathBuf, String)>,
        editable: bool,
    ) -> Result<Self, StoreError> {
        let docs = cache::parse_many(&texts);
        let files = texts
            .into_iter()
            .zip(docs)
            .map(|((path, text), doc)| (path, text, doc))
            .collect();
        Self::assemble(root, files, editable)
    }

    /// A workspace of parsed files (the first error, in path order, fails
    /// it); keeps a copy of each model as read only when the workspace may
    /// be edited (a read-only open does not pay for a clone of the model).
    fn assemble(
        root: &Path,
        parsed: Vec<(PathBuf, String, Result<Document, StoreError>)>,
        editable: bool,
    ) -> Result<Self, StoreError> {
        let mut files = Vec::with_capacity(parsed.len());
        for (path, text, doc) in parsed {
            let doc = doc?;
            files.push(WorkspaceFile {
                path,
                original: editable.then(|| doc.clone()),
                doc,
                text,
            });
        }
        let mut ws = Workspace {
            root: root.to_path_buf(),
            files,
            lock: None,
            read_only: !editable,
        };
        ws.check_unique_ids()?;
        ws.settings()?;
        if ws.read_only {
            // Never written, and checked above: a read-only open does not
            // hold every file's text as well as its model.
            for f in &mut ws.files {
                f.text = String::new();
            }
        }
        Ok(ws)
    }

    /// The new text of every file whose model changed, edited losslessly
    /// and verified, without writing anything: what [`Workspace::save`]
    /// would write. Usable on any workspace, including one built with
    /// [`Workspace::from_texts`].
    pub fn pending_writes(&self) -> Result<Vec<(usize, String)>, StoreError> {
        let mut pending: Vec<(usize, String)> = Vec::new();
        for (i, f) in self.files.iter().enumerate() {
            let new_text = match &f.original {
                Some(orig) if *orig == f.doc => continue,
                // Appended check-ins are spliced in and verified locally.
                Some(orig) if let Some(text) = splice::append(&f.text, orig, &f.doc) => {
                    pending.push((i, text));
                    continue;
                }
                Some(orig) => {
                    edit::apply(&f.text, orig, &f.doc).map_err(|detail| StoreError::EditFailed {
                        path: f.path.clone(),
                        detail,
                    })?
                }
                None if self.read_only || !f.text.is_empty() => {
                    return Err(StoreError::EditFailed {
                        path: f.path.clone(),
                        detail: "the workspace was opened read-only".to_string(),
                    });
                }
                None => canonical(&f.doc).map_err(|detail| StoreError::EditFailed {
                    path: f.path.clone(),
                    detail,
                })?,
            };
            verify(&f.path, &new_text, &f.doc)?;
            pending.push((i, new_text));
        }
        Ok(pending)
    }

    /// Whether the workspace is a directory of files.
    pub fn is_dir(&self) -> bool {
        self.root.is_dir()
    }

    /// Refuses a workspace where two things share an ID. Objectives, key
    /// results, KPIs and initiatives share one namespace (any ID names
    /// exactly one thing), so a KPI may not reuse an objective's ID either.
    /// The error points at the second use and names the first.
    fn check_unique_ids(&self) -> Result<(), StoreError> {
        let ids = self.files.iter().map(|f| id_places(&f.doc).count()).sum();
        let mut seen: HashMap<&str, (usize, IdAt)> = HashMap::with_capacity(ids);
        for (fi, f) in self.files.iter().enumerate() {
            for (id, at) in id_places(&f.doc) {
                let Some(&(first_file, first_at)) = seen.get(id) else {
                    seen.insert(id, (fi, at));
                    continue;
                };
                let first = &self.files[first_file];
                let (first_text, text) = (first.text_or_read(), f.text_or_read());
                let (l1, c1) = locate::locate(&first_text, &first_at.steps());
                let (line, col) = locate::locate(&text, &at.steps());
                return Err(StoreError::Invalid {
                    location: Box::new(Location::new(f.path.clone(), &text, line, col)),
                    message: format!(
                        "duplicate ID `{id}`, first used at {}:{l1}:{c1}; objectives, key results, KPIs and initiatives share one set of IDs",
                        first.path.display()
                    ),
                });
            }
        }
        Ok(())
    }

    /// The workspace settings (from whichever file has them).
    pub fn settings(&self) -> Result<Settings, StoreError> {
        let mut found: Option<(&Path, &Settings)> = None;
        for f in &self.files {
            if let Some(s) = &f.doc.settings {
                if let Some((first, _)) = found {
                    return Err(StoreError::DuplicateSettings {
                        first: first.to_path_buf(),
                        second: f.path.clone(),
                    });
                }
                found = Some((&f.path, s));
            }
        }
        Ok(found.map(|(_, s)| s.clone()).unwrap_or_default())
    }

    /// Every objective, in file order.
    pub fn objectives(&self) -> impl Iterator<Item = &Objective> + Clone {
        self.files.iter().flat_map(|f| f.doc.objectives.iter())
    }

    /// Every ID in the workspace (objectives and key results).
    pub fn ids(&self) -> impl Iterator<Item = &str> + Clone {
        self.objectives().flat_map(|o| {
            std::iter::once(o.id.as_str()).chain(o.key_results.iter().map(|k| k.id.as_str()))
        })
    }

    /// Whether `id` is taken.
    pub fn has_id(&self, id: &str) -> bool {
        self.ids().any(|i| i == id)
    }

    /// Where the exact ID `id` lives.
    pub fn address(&self, id: &str) -> Option<Address> {
        for (fi, f) in self.files.iter().enumerate() {
            for (oi, o) in f.doc.objectives.iter().enumerate() {
                if o.id == id {
                    return Some(Address::Objective(fi, oi));
                }
                if let Some(ki) = o.key_results.iter().position(|k| k.id == id) {
                    return Some(Address::KeyResult(fi, oi, ki));
                }
            }
        }
        None
    }

    /// The objective at an address (the KR's objective for a KR address).
    pub fn objective(&self, addr: Address) -> &Objective {
        let (Address::Objective(f, o) | Address::KeyResult(f, o, _)) = addr;
        &self.files[f].doc.objectives[o]
    }

    /// Mutable access to the objective at an address.
    pub fn objective_mut(&mut self, addr: Address) -> &mut Objective {
        let (Address::Objective(f, o) | Address::KeyResult(f, o, _)) = addr;
        &mut self.files[f].doc.objectives[o]
    }

    /// The key result at a KR address.
    pub fn key_result(&self, addr: Address) -> Option<&KeyResult> {
        match addr {
            Address::KeyResult(f, o, k) => Some(&self.files[f].doc.objectives[o].key_results[k]),
            Address::Objective(..) => None,
        }
    }

    /// Every ID of every kind: objectives, key results, KPIs, initiatives.
    pub fn all_ids(&self) -> impl Iterator<Item = &str> + Clone {
        let initiatives = self
            .objectives()
            .flat_map(|o| o.key_results.iter())
            .flat_map(|k| k.initiatives.iter().map(|i| i.id.as_str()));
        let kpis = self
            .files
            .iter()
            .flat_map(|f| f.doc.kpis.iter().map(|k| k.id.as_str()));
        self.ids().chain(initiatives).chain(kpis)
    }

    /// Where the exact ID `id` lives, whatever kind of thing it names.
    pub fn item(&self, id: &str) -> Option<Item> {
        if let Some(a) = self.address(id) {
            return Some(Item::Okr(a));
        }
        for (fi, f) in self.files.iter().enumerate() {
            if let Some(ki) = f.doc.kpis.iter().position(|k| k.id == id) {
                return Some(Item::Kpi(fi, ki));
            }
            for (oi, o) in f.doc.objectives.iter().enumerate() {
                for (ki, k) in o.key_results.iter().enumerate() {
                    if let Some(ii) = k.initiatives.iter().position(|i| i.id == id) {
                        return Some(Item::Initiative(Address::KeyResult(fi, oi, ki), ii));
                    }
                }
            }
        }
        None
    }

    /// Mutable access to the key result at a KR address.
    pub fn key_result_mut(&mut self, addr: Address) -> Option<&mut KeyResult> {
        match addr {
            Address::KeyResult(f, o, k) => {
                Some(&mut self.files[f].doc.objectives[o].key_results[k])
            }
            Address::Objective(..) => None,
        }
    }

    /// Writes every file whose model changed, and nothing else.
    ///
    /// All edits are made and verified in memory first; only when every
    /// changed file reads back as exactly its intended model is anything
    /// written. Returns the paths written.
    pub fn save(&mut self) -> Result<Vec<PathBuf>, StoreError> {
        debug_assert!(self.lock.is_some(), "save() needs open_locked()");
        let pending = self.pending_writes()?;
        let mut written = Vec::new();
        for (i, text) in pending {
            let f = &mut self.files[i];
            if let Some(dir) = f.path.parent().filter(|d| !d.as_os_str().is_empty()) {
                fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
            }
            let expect = match f.original {
                Some(_) => fsio::Expect::Text(f.text.as_bytes()),
                None => fsio::Expect::Absent,
            };
            fsio::replace(&f.path, expect, text.as_bytes())?;
            f.text = text;
            // The old copy goes before the new one is made: two copies of a
            // large model at once would be the command's peak.
            f.original = None;
            f.original = Some(f.doc.clone());
            written.push(f.path.clone());
        }
        Ok(written)
    }
}

/// Checks that `text` reads back as exactly `intended`.
fn verify(path: &Path, text: &str, intended: &Document) -> Result<(), StoreError> {
    let fail = |detail: String| StoreError::EditFailed {
        path: path.to_path_buf(),
        detail,
    };
    match parse::parse(path, text) {
        Ok(doc) if doc == *intended => Ok(()),
        Ok(_) => Err(fail("the edited text reads back differently".to_string())),
        Err(e) => Err(fail(format!("the edited text does not parse: {e}"))),
    }
}

/// Where a document defines an ID (indexes into its lists).
#[derive(Debug, Clone, Copy)]
enum IdAt {
    Objective(usize),
    KeyResult(usize, usize),
    Initiative(usize, usize, usize),
    Kpi(usize),
}

impl IdAt {
    /// The path to the `id:` key, made only for an error: the check of a
    /// company's 18,000 IDs makes none.
    fn steps(self) -> Vec<Step<'static>> {
        use Step::{Index, Key};
        match self {
            IdAt::Objective(o) => vec![Key("objectives"), Index(o), Key("id")],
            IdAt::KeyResult(o, k) => vec![
                Key("objectives"),
                Index(o),
                Key("key_results"),
                Index(k),
                Key("id"),
            ],
            IdAt::Initiative(o, k, i) => vec![
                Key("objectives"),
                Index(o),
                Key("key_results"),
                Index(k),
                Key("initiatives"),
                Index(i),
                Key("id"),
            ],
            IdAt::Kpi(i) => vec![Key("kpis"), Index(i), Key("id")],
        }
    }
}

/// Every ID a document defines, with where.
fn id_places(doc: &Document) -> impl Iterator<Item = (&str, IdAt)> {
    let objectives = doc.objectives.iter().enumerate().flat_map(|(oi, o)| {
        let krs = o.key_results.iter().enumerate().flat_map(move |(ki, k)| {
            let initiatives = k.initiatives.iter().enumerate();
            std::iter::once((k.id.as_str(), IdAt::KeyResult(oi, ki))).chain(
                initiatives.map(move |(ii, i)| (i.id.as_str(), IdAt::Initiative(oi, ki, ii))),
            )
        });
        std::iter::once((o.id.as_str(), IdAt::Objective(oi))).chain(krs)
    });
    let kpis = doc.kpis.iter().enumerate();
    objectives.chain(kpis.map(|(i, k)| (k.id.as_str(), IdAt::Kpi(i))))
}

/// The canonical layout of a newly created file: a short header, then the
/// document as serde-saphyr writes it (block style, two-space indents).
pub fn canonical(doc: &Document) -> Result<String, String> {
    let body = serde_saphyr::to_string(doc).map_err(|e| e.to_string())?;
    Ok(format!(
        "# Objectives and key results, kept with `okr` (see docs/format.md).\n# Edit by hand or with `okr`: comments and layout are kept.\n{body}"
    ))
}

/// The paths and texts of a workspace's files on disk, unparsed: the disk
/// source of (path, text) pairs (`okr check` also reads them to report
/// every file it can).
pub fn read_texts(root: &Path) -> Result<Vec<(PathBuf, String)>, StoreError> {
    workspace_paths(root)?
        .into_iter()
        .map(|p| {
            let text = decode::read(&p)?;
            Ok((p, text))
        })
        .collect()
}

/// A file's text as a generic tree (no types), or `None` when it is not
/// YAML this reader takes; `okr check` runs its raw rules on it.
pub fn parse_tree(text: &str) -> Option<serde_json::Value> {
    serde_saphyr::from_str::<serde_json::Value>(text).ok()
}

/// The files of a workspace: the file itself, or every `*.yaml`/`*.yml`
/// below the directory (skipping dot-files and dot-directories), sorted.
fn workspace_paths(root: &Path) -> Result<Vec<PathBuf>, StoreError> {
    Ok(walk(root)?.into_iter().map(|(p, _)| p).collect())
}

/// [`workspace_paths`], each with whether a symbolic link leads to it (the
/// file is one, or a directory on the way from `root` is): only those need
/// resolving to find their real directory.
fn walk(root: &Path) -> Result<Vec<(PathBuf, bool)>, StoreError> {
    let mut v = walk_unsorted(root)?;
    // Path order: all paths are `root/…/name` from `read_dir`, so with the
    // separator mapped below every other byte, byte order is component
    // order (comparing `Path`s re-parses both: a third of a one-ID command).
    v.sort_unstable_by(|(a, _), (b, _)| path_order(a, b));
    Ok(v)
}

/// Paths in byte order with the separator below every other byte (so a
/// directory's files come before a sibling named like it plus a suffix).
/// The common prefix, long in a big workspace, is skipped eight bytes at
/// a time: comparing mapped bytes one by one was a third of the main
/// thread of a warm report on 8,800 files.
fn path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    let (a, b) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    let mut i = 0;
    while a.get(i..i + 8).is_some_and(|x| b.get(i..i + 8) == Some(x)) {
        i += 8;
    }
    // Paths hold no NUL, so the mapping keeps distinct bytes distinct and
    // the first raw difference is the first mapped one.
    let key = |c: &u8| if *c == b'/' { 0 } else { *c };
    a[i..].iter().map(key).cmp(b[i..].iter().map(key))
}

/// [`walk`] in directory order (for the lock, where order does not matter).
fn walk_unsorted(root: &Path) -> Result<Vec<(PathBuf, bool)>, StoreError> {
    if !root.is_dir() {
        return Ok(vec![(root.to_path_buf(), true)]);
    }
    let mut v = Vec::new();
    collect_yaml(root, false, &mut v)?;
    Ok(v)
}

fn collect_yaml(
    dir: &Path,
    linked: bool,
    out: &mut Vec<(PathBuf, bool)>,
) -> Result<(), StoreError> {
    let entries = fs::read_dir(dir).map_err(|e| StoreError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::io(dir, e))?;
        let name = entry.file_name();
        if name.as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let path = entry.path();
        // The entry's own type needs no stat; a link is followed.
        let kind = entry.file_type().map_err(|e| StoreError::io(&path, e))?;
        let link = kind.is_symlink();
        let is_dir = if link { path.is_dir() } else { kind.is_dir() };
        if is_dir {
            if link {
                lock::refuse_dir_loop(dir, &path)?;
            }
            collect_yaml(&path, linked || link, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push((path, linked || link));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
