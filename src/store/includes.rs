//! Other workspaces, read-only: by local path or by git remote.
//!
//! A company repository names its teams' workspaces in `settings.includes`;
//! each is loaded as a workspace of its own (the same loader, parse cache
//! and checks as the home workspace), then its IDs are qualified as
//! `NAME:ID` and its files joined to the home workspace's for reading
//! ([`combine`]). Nothing here ever writes an included workspace.
//!
//! A remote include is fetched with git into a bare repository inside the
//! including repository's git directory (`.git/okr/includes/NAME`), never
//! into the working tree, and read from there at the fetched ref with one
//! interactive `git cat-file --batch` that walks the workspace's tree, so
//! commands work offline from the last fetch. The fetch date is kept in the cache's `okr-fetched` file, so its
//! age can be told without reading the clock.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::Workspace;
use super::git::Git;
use super::source;
use crate::error::{Error, Result};
use crate::model::qualified::{self, Prefix};
use crate::model::{IncludeSpec, Settings, id};

/// The ref a remote include's last fetch is kept under (in its cache).
const FETCHED: &str = "refs/okr/fetched";
/// The ref of the fetch before the last one: what the last fetch brought
/// in is `PREVIOUS..FETCHED`.
const PREVIOUS: &str = "refs/okr/previous";
/// The file in the cache that holds the day of the last fetch (okr's
/// today, so its age is told without reading the clock).
const FETCHED_ON: &str = "okr-fetched";

/// One configured include.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// Its short name, the `NAME` of `NAME:ID`.
    pub name: String,
    /// Where it is.
    pub origin: Origin,
}

/// Where an include's workspace is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A local directory or file, as written and resolved.
    Path {
        /// As written in the settings.
        written: String,
        /// Resolved against the including workspace's directory.
        full: PathBuf,
    },
    /// A git remote, fetched into the cache.
    Remote {
        /// As written in the settings.
        written: String,
        /// What git is given (a relative path made absolute).
        url: String,
        /// The ref to fetch (`HEAD`: the remote's default branch).
        git_ref: String,
        /// The workspace inside the repository, if named.
        workspace: Option<String>,
    },
}

impl Include {
    /// `path ../platform` or `remote git@host:org/platform.git (main)`.
    pub fn describe(&self) -> String {
        match &self.origin {
            Origin::Path { written, .. } => format!("path {written}"),
            Origin::Remote {
                written, git_ref, ..
            } if git_ref != "HEAD" => format!("remote {written} ({git_ref})"),
            Origin::Remote { written, .. } => format!("remote {written}"),
        }
    }

    /// Whether it is a git remote (fetched) rather than a local path.
    pub fn is_remote(&self) -> bool {
        matches!(self.origin, Origin::Remote { .. })
    }
}

/// An include, loaded.
#[derive(Debug)]
pub struct Loaded {
    /// The include.
    pub include: Include,
    /// Its workspace as read (IDs not yet qualified).
    pub ws: Workspace,
    /// For a remote include: the day of its last fetch, if recorded.
    pub fetched: Option<NaiveDate>,
    /// Whether it was fetched just now, for the first time.
    pub fetched_now: bool,
}

/// The directory that holds the workspace at `root`: paths of includes are
/// relative to it (the repository's top, usually).
pub fn base_dir(root: &Path) -> PathBuf {
    match root.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The includes `settings` name, checked: a valid short name, exactly one
/// of `path` and `remote`, `ref` and `workspace` only with `remote`.
pub fn configured(root: &Path, settings: &Settings) -> Result<Vec<Include>> {
    let base = base_dir(root);
    settings
        .includes
        .iter()
        .map(|(name, spec)| include(&base, name, spec))
        .collect()
}

fn include(base: &Path, name: &str, spec: &IncludeSpec) -> Result<Include> {
    let bad = |what: String| {
        Error::invalid_with_hint(
            format!("settings.includes.{name}: {what}"),
            "each include has either `path: DIR` or `remote: URL` (with optional `ref:` and `workspace:`); see docs/includes.md",
        )
    };
    id::validate(name).map_err(|e| bad(format!("the name is not a valid ID: {e}")))?;
    let origin = match (&spec.path, &spec.remote) {
        (Some(p), None) => {
            if spec.git_ref.is_some() || spec.workspace.is_some() {
                return Err(bad(
                    "`ref` and `workspace` go with `remote`, not `path`".into()
                ));
            }
            Origin::Path {
                written: p.clone(),
                full: lexical(&base.join(p)),
            }
        }
        (None, Some(r)) => Origin::Remote {
            written: r.clone(),
            url: remote_url(base, r),
            git_ref: spec.git_ref.clone().unwrap_or_else(|| "HEAD".to_string()),
            workspace: spec.workspace.clone(),
        },
        (Some(_), Some(_)) => return Err(bad("it has both `path` and `remote`".into())),
        (None, None) => return Err(bad("it has neither `path` nor `remote`".into())),
    };
    Ok(Include {
        name: name.to_string(),
        origin,
    })
}

/// `a/b/../c` -> `a/c`, without touching the disk (so messages show the
/// path a person would type).
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// A remote as git should see it: `./x` and `../x` are relative to the
/// including workspace's directory (git runs inside the cache).
fn remote_url(base: &Path, remote: &str) -> String {
    if remote.starts_with("./") || remote.starts_with("../") {
        let full = lexical(&base.join(remote));
        let full = if full.is_absolute() {
            full
        } else {
            std::env::current_dir()
                .map(|d| d.join(&full))
                .unwrap_or(full)
        };
        full.display().to_string()
    } else {
        remote.to_string()
    }
}

/// Loads every include in `includes` (in parallel; each with the normal
/// loader, stat index and parse cache), reading only files that may hold
/// objectives of `period` when one is given.
/// Each gets its own result: one unreadable include does not stop the rest.
pub fn load_all(
    home: &Path,
    includes: &[Include],
    today: NaiveDate,
    period: Option<&str>,
) -> Vec<Result<Loaded>> {
    // Remote includes wait on git processes as much as on the CPU, so run
    // a few more loaders than there are cores.
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .saturating_mul(2)
        .max(4)
        .min(includes.len());
    if threads <= 1 {
        return includes
            .iter()
            .map(|i| load(home, i, Some(today), period))
            .collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<Loaded>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    crate::par::serial_here();
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(inc) = includes.get(i) else { break };
                        mine.push((i, load(home, inc, Some(today), period)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Loads one include: from disk for a path, from the fetch cache for a
/// remote (fetching it first when it was never fetched, recording `today`
/// as the fetch date when given).
pub fn load(
    home: &Path,
    include: &Include,
    today: Option<NaiveDate>,
    period: Option<&str>,
) -> Result<Loaded> {
    let keep = |t: &str| period.is_none_or(|n| super::select::may_hold_period(t, n));
    match &include.origin {
        Origin::Path { full, .. } => {
            let root = local_root(full)?;
            let ws = match period {
                Some(name) => Workspace::open_period(&root, name)?,
                None => Workspace::open(&root)?,
            };
            Ok(Loaded {
                include: include.clone(),
                ws,
                fetched: None,
                fetched_now: false,
            })
        }
        Origin::Remote { workspace, .. } => {
            let cache = cache_dir(home, &include.name)?;
            let git = Git::bare(&cache);
            // One git run when fetched before (an interactive cat-file); a first
            // fetch when the cache has no fetched ref yet.
            let mut fetched_now = false;
            let got = match remote_texts(&git, &include.name, workspace.as_deref()) {
                Err(_) if !cache.join("HEAD").exists() || git.rev_parse(FETCHED).is_err() => {
                    fetch(home, include, today)?;
                    fetched_now = true;
                    remote_texts(&git, &include.name, workspace.as_deref())
                }
                got => got,
            };
            let (root, mut texts) = got?;
            texts.retain(|(_, t)| keep(t));
            Ok(Loaded {
                include: include.clone(),
                ws: Workspace::build(&root, texts, false)?,
                fetched: fetched_on(&cache),
                fetched_now,
            })
        }
    }
}

/// The workspace a local include points at: a workspace file, a directory
/// holding `okrs.yaml` or `okrs/`, or a directory of YAML files itself.
pub fn local_root(path: &Path) -> Result<PathBuf> {
    if path.is_file() {
        return Ok(path.to_path_buf());
    }
    if !path.is_dir() {
        return Err(Error::invalid(format!("{} does not exist", path.display())));
    }
    let file = path.join(super::DEFAULT_FILE);
    if file.is_file() {
        return Ok(file);
    }
    let dir = path.join(super::DEFAULT_DIR);
    Ok(if dir.is_dir() {
        dir
    } else {
        path.to_path_buf()
    })
}

/// Where the remote include `name` of the workspace at `home` is cached.
pub fn cache_dir(home: &Path, name: &str) -> Result<PathBuf> {
    let git = Git::open(home).map_err(|e| {
        e.with_hint("a remote include is fetched into the including repository's .git/; use a `path:` include outside git")
    })?;
    Ok(git.common_dir()?.join("okr").join("includes").join(name))
}

/// What one fetch changed: the fetched commit before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The commit fetched before, if any.
    pub before: Option<String>,
    /// The commit fetched now.
    pub after: String,
}

/// Fetches a remote include into its cache and records `today` as the
/// fetch date (when given). The ref fetched before is kept as the previous
/// one when the fetch moved it.
pub fn fetch(home: &Path, include: &Include, today: Option<NaiveDate>) -> Result<Fetched> {
    let Origin::Remote { url, git_ref, .. } = &include.origin else {
        return Err(Error::invalid(format!(
            "include `{}` is a local path; there is nothing to fetch",
            include.name
        )));
    };
    let cache = cache_dir(home, &include.name)?;
    if !cache.join("HEAD").exists() {
        std::fs::create_dir_all(&cache).map_err(|e| super::StoreError::io(&cache, e))?;
        Git::bare(&cache).run_ok(["init", "--bare", "--quiet", "."])?;
    }
    let git = Git::bare(&cache);
    let before = git.rev_parse(FETCHED).ok();
    git.fetch(url, &format!("+{git_ref}:{FETCHED}"))?;
    let after = git.rev_parse(FETCHED)?;
    if let Some(b) = before.as_ref().filter(|b| **b != after) {
        git.update_ref(PREVIOUS, b)?;
    }
    if let Some(day) = today {
        let at = cache.join(FETCHED_ON);
        super::fsio::write_atomic(&at, format!("{day}\n").as_bytes())?;
    }
    Ok(Fetched { before, after })
}

/// The day the cache of a remote include was last fetched, if known.
fn fetched_on(cache: &Path) -> Option<NaiveDate> {
    let day = std::fs::read_to_string(cache.join(FETCHED_ON)).ok()?;
    NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok()
}

/// The texts of a remote include's workspace at `rev` of its cache
/// (the last fetch by default), named `NAME:PATH` so messages say where
/// they come from.
pub fn remote_texts(
    git: &Git,
    name: &str,
    workspace: Option<&str>,
) -> Result<(PathBuf, Vec<(PathBuf, String)>)> {
    remote_texts_at(git, FETCHED, name, workspace)
}

/// [`remote_texts`] at any revision of the cache, in one git run: the
/// workspace's tree is walked through one interactive `git cat-file`.
pub fn remote_texts_at(
    git: &Git,
    rev: &str,
    name: &str,
    workspace: Option<&str>,
) -> Result<(PathBuf, Vec<(PathBuf, String)>)> {
    let named = |p: &str| PathBuf::from(qualified::join(name, p));
    let wanted: Vec<String> = match workspace {
        Some(w) => vec![w.trim_matches('/').to_string()],
        None => vec![super::DEFAULT_FILE.into(), super::DEFAULT_DIR.into()],
    };
    let mut batch = git.batch()?;
    for w in &wanted {
        let Some((oid, kind, data)) = batch.object(&format!("{rev}:{w}"))? else {
            continue;
        };
        let mut texts = Vec::new();
        match kind.as_str() {
            "blob" => texts.push((named(w), utf8(w, data)?)),
            "tree" => walk(&mut batch, w, &data, oid.len() / 2, &mut texts, &named)?,
            _ => continue,
        }
        // In path order, as a workspace on disk is read.
        texts.sort_by(|a, b| a.0.cmp(&b.0));
        return Ok((named(w), texts));
    }
    Err(Error::invalid_with_hint(
        format!(
            "the fetched repository has no workspace at `{}`",
            wanted.join("` or `")
        ),
        "name it with `workspace:` in the include's settings",
    ))
}

/// Reads every `*.yaml` / `*.yml` below a tree (skipping dot-files and
/// dot-directories, as on disk).
fn walk(
    batch: &mut super::git::Batch,
    prefix: &str,
    tree: &[u8],
    oid_len: usize,
    out: &mut Vec<(PathBuf, String)>,
    named: &dyn Fn(&str) -> PathBuf,
) -> Result<()> {
    for (is_tree, entry, oid) in super::git::tree_entries(tree, oid_len) {
        let path = format!("{prefix}/{entry}");
        if entry.starts_with('.') || !(is_tree || source::is_workspace_file(&path, prefix)) {
            continue;
        }
        let Some((_, _, data)) = batch.object(&oid)? else {
            continue;
        };
        if is_tree {
            walk(batch, &path, &data, oid_len, out, named)?;
        } else {
            out.push((named(&path), utf8(&path, data)?));
        }
    }
    Ok(())
}

fn utf8(path: &str, data: Vec<u8>) -> Result<String> {
    String::from_utf8(data).map_err(|_| Error::invalid(format!("{path} is not UTF-8 text")))
}

/// The commits of a remote include's last fetch that changed something:
/// (previous, fetched), when the last fetch moved the ref.
pub fn last_range(home: &Path, name: &str) -> Option<(String, String)> {
    let git = Git::bare(&cache_dir(home, name).ok()?);
    Some((git.rev_parse(PREVIOUS).ok()?, git.rev_parse(FETCHED).ok()?))
}

/// What [`combine`] could not place: prefixes of qualified parents that
/// name neither the home workspace nor one of its includes.
pub type Unplaced = Vec<String>;

/// Joins the loaded includes to the home workspace for reading: their IDs
/// become `NAME:ID`, their parents are rewritten to addresses of the home
/// (`HOME:ID` with the home's `workspace_name` becomes `ID`), their settings
/// are dropped (numbers use the home's). The result can be read, not saved.
pub fn combine(mut home: Workspace, loaded: Vec<Loaded>) -> Result<(Workspace, Unplaced)> {
    let settings = home.settings()?;
    let home_name = settings.workspace_name.clone();
    // A prefix naming a configured include (loaded or not) is left as is.
    let prefix = |n: &str| {
        if home_name.as_deref() == Some(n) {
            Prefix::Home
        } else if settings.includes.contains_key(n) {
            Prefix::Include
        } else {
            Prefix::Unknown
        }
    };
    if let Some(h) = &home_name {
        for f in &mut home.files {
            qualified::unqualify_home(&mut f.doc, h);
        }
    }
    let mut unplaced = Vec::new();
    for l in loaded {
        for mut f in l.ws.files {
            unplaced.extend(qualified::qualify(&mut f.doc, &l.include.name, prefix));
            f.original = None;
            home.files.push(f);
        }
    }
    unplaced.sort();
    unplaced.dedup();
    Ok((home, unplaced))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(yaml: &str) -> Settings {
        serde_saphyr::from_str(yaml).unwrap()
    }

    #[test]
    fn an_include_has_exactly_one_origin() {
        let root = Path::new("/x/company/okrs.yaml");
        let ok = settings(
            "includes:\n  platform: {path: ../platform}\n  mobile: {remote: ../mobile.git, ref: main}\n",
        );
        let inc = configured(root, &ok).unwrap();
        assert_eq!(inc[0].name, "mobile");
        assert_eq!(inc[0].describe(), "remote ../mobile.git (main)");
        assert!(matches!(&inc[0].origin, Origin::Remote { url, .. } if url == "/x/mobile.git"));
        assert_eq!(
            inc[1].origin,
            Origin::Path {
                written: "../platform".into(),
                full: PathBuf::from("/x/platform")
            }
        );
        for bad in [
            "includes:\n  a: {}\n",
            "includes:\n  a: {path: x, remote: y}\n",
            "includes:\n  a: {path: x, ref: main}\n",
            "includes:\n  'A B': {path: x}\n",
        ] {
            let e = configured(root, &settings(bad)).unwrap_err();
            assert!(
                e.to_string().starts_with("settings.includes."),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn urls_stay_as_written_and_relative_paths_are_resolved() {
        let base = Path::new("/r");
        assert_eq!(remote_url(base, "git@h:o/r.git"), "git@h:o/r.git");
        assert_eq!(remote_url(base, "https://h/o/r"), "https://h/o/r");
        assert_eq!(remote_url(Path::new("/r/s"), "../t.git"), "/r/t.git");
    }
}
