//! Reading a workspace from disk: only the files a command needs, each
//! read only when it changed.
//!
//! Three things decide what a load costs: which files it needs (all of
//! them; those that may hold one ID; those that may hold one period), which
//! of those changed since okr last read them (the stat index,
//! [`super::manifest`]), and whether a changed text was parsed before (the
//! parse cache, [`super::cache`]). A file the index knows is chosen by its
//! summary and, on a read-only open, taken from the parse cache by key
//! without being read at all; every other file is read, chosen by its text
//! (the same tests as without an index) and parsed through the cache, and
//! then recorded in the index. Files are read and decoded on every core.

use std::fs::{self, Metadata};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::cache::Cache;
use super::error::StoreError;
use super::manifest::{Manifest, Summary};
use super::subset::Needles;
use super::{decode, parse, select};
use crate::model::Document;

/// Which files a command needs.
#[derive(Debug)]
pub enum Filter<'a> {
    /// Every file.
    All,
    /// Files that may define or refer to an ID containing one of these
    /// strings, and files with settings.
    Mentions(Needles<'a>, &'a [&'a str]),
    /// Files that may hold an objective of this period, settings or KPIs.
    Period(&'a str),
    /// Files whose text says `autocommit` (or may spell it with escapes).
    Autocommit,
}

impl Filter<'_> {
    fn keep_text(&self, text: &str) -> bool {
        match self {
            Filter::All => true,
            Filter::Mentions(needles, _) => needles.may_mention(text),
            Filter::Period(name) => select::may_hold_period(text, name),
            Filter::Autocommit => Needles::exactly(&["autocommit"]).may_mention(text),
        }
    }

    /// Whether a file this filter skips is parsed anyway (through the
    /// cache) when the index does not know it yet, so that the next load
    /// skips it unread: for `--period`, whose other periods are most of a
    /// workspace with history; not for one-ID commands, which must stay
    /// fast on files the index has not seen.
    fn learns_skipped(&self) -> bool {
        matches!(self, Filter::Period(_))
    }

    /// The same choice from what the index knows of a file. The IDs in a
    /// summary are decoded, so escapes no longer need a file to be kept.
    fn keep_summary(&self, s: &Summary) -> bool {
        match self {
            Filter::All => true,
            Filter::Mentions(_, wanted) => s.says_settings || wanted.iter().any(|w| s.mentions(w)),
            Filter::Period(name) => {
                s.escapes
                    || s.says_settings
                    || s.says_kpis
                    || s.periods().any(|p| select::may_hold_period(p, name))
            }
            Filter::Autocommit => s.escapes || s.says_autocommit,
        }
    }
}

/// One file as loaded.
#[derive(Debug)]
pub struct Loaded {
    /// Where it lives.
    pub path: PathBuf,
    /// Its text; empty unless texts were asked for.
    pub text: String,
    /// Its document, or why it has none.
    pub doc: Result<Document, StoreError>,
}

/// What to do with one file.
enum Job<'a> {
    /// Unchanged and known: take the document by its cache key.
    Cached(&'a Path, &'a str),
    /// Read it (changed, unknown, or its text is needed).
    Read(&'a Path, Option<Metadata>),
}

/// What came of one job: the file (none when the filter skipped it), and
/// what to record of it in the index.
type Outcome = (Option<Loaded>, Option<Record>);
type Record = Box<(Metadata, String, Summary)>;

/// Loads the files of `paths` (a workspace's, in order) that `filter`
/// keeps; with `texts`, each keeps its text (for commands that write).
pub fn load(
    root: &Path,
    paths: &[PathBuf],
    filter: &Filter<'_>,
    texts: bool,
) -> Result<Vec<Loaded>, StoreError> {
    load_with(
        Cache::from_env(),
        SystemTime::now(),
        root,
        paths,
        filter,
        texts,
    )
}

/// [`load`] with a given cache, for a read that started at `start`.
fn load_with(
    cache: Option<Cache>,
    start: SystemTime,
    root: &Path,
    paths: &[PathBuf],
    filter: &Filter<'_>,
    texts: bool,
) -> Result<Vec<Loaded>, StoreError> {
    let mut manifest = cache.as_ref().map(|c| Manifest::open_again(c.dir(), root));
    let metas: Vec<Option<Metadata>> = match manifest {
        Some(_) => paths.iter().map(|p| fs::metadata(p).ok()).collect(),
        None => vec![None; paths.len()],
    };
    let mut jobs = Vec::with_capacity(paths.len());
    for (path, meta) in paths.iter().zip(&metas) {
        let known = manifest
            .as_ref()
            .zip(meta.as_ref())
            .and_then(|(m, meta)| m.lookup(path, meta));
        match known {
            Some(e) if !filter.keep_summary(&e.summary) => {}
            Some(e) if !texts => jobs.push(Job::Cached(path, &e.key)),
            _ => jobs.push(Job::Read(path, meta.clone())),
        }
    }
    let outcomes = crate::par::map(&jobs, |job| run(cache.as_ref(), filter, texts, job));
    let mut loaded = Vec::with_capacity(outcomes.len());
    let mut records = Vec::new();
    for (job, outcome) in jobs.iter().zip(outcomes) {
        let (l, record) = outcome?;
        if let (Some(r), Job::Read(p, _)) = (record, job) {
            records.push((p.to_path_buf(), r));
        }
        loaded.extend(l);
    }
    if let Some(m) = manifest.as_mut() {
        m.retain(paths);
        for (path, r) in records {
            let (meta, key, summary) = *r;
            m.record(&path, &meta, key, summary, start);
        }
        m.save();
    }
    if let Some(m) = manifest {
        m.keep();
    }
    if let Some(c) = &cache {
        c.prune();
    }
    Ok(loaded)
}

fn run(
    cache: Option<&Cache>,
    filter: &Filter<'_>,
    texts: bool,
    job: &Job<'_>,
) -> Result<Outcome, StoreError> {
    let (path, meta) = match job {
        Job::Cached(path, key) => {
            if let Some(doc) = cache.and_then(|c| c.get_by_key(key)) {
                let l = Loaded {
                    path: path.to_path_buf(),
                    text: String::new(),
                    doc: Ok(doc),
                };
                return Ok((Some(l), None));
            }
            // Pruned from the cache meanwhile: read it after all.
            (*path, fs::metadata(path).ok())
        }
        Job::Read(path, meta) => (*path, meta.clone()),
    };
    let text = decode::read(path)?;
    let keep = filter.keep_text(&text);
    let learn = filter.learns_skipped() && cache.is_some() && meta.is_some();
    if !keep && !learn {
        return Ok((None, None));
    }
    let key = Cache::key(&text);
    let cached = cache.and_then(|c| c.get_by_key(&key));
    let doc = match cached {
        Some(doc) => Ok(doc),
        None => parse::parse(path, &text).inspect(|doc| {
            if let Some(c) = cache {
                c.put(&text, doc);
            }
        }),
    };
    let record = match (&doc, meta) {
        (Ok(doc), Some(meta)) if cache.is_some() => {
            Some(Box::new((meta, key, Summary::of(&text, doc))))
        }
        _ => None,
    };
    let l = Loaded {
        path: path.to_path_buf(),
        text: if texts { text } else { String::new() },
        doc,
    };
    // A skipped file that does not parse is not this command's problem.
    Ok((keep.then_some(l), record))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn obj(id: &str, period: &str, note: &str) -> String {
        format!(
            "version: 1\nobjectives:\n  - id: {id}\n    title: T\n    period: {period}\n    description: {note}\n    key_results:\n      - id: {id}-kr\n        title: K\n        target: 10\n"
        )
    }

    struct Ws {
        _tmp: tempfile::TempDir,
        root: PathBuf,
        cache: PathBuf,
        paths: Vec<PathBuf>,
    }

    fn ws(files: &[(&str, String)]) -> Ws {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("okrs");
        fs::create_dir(&root).unwrap();
        let paths = files
            .iter()
            .map(|(name, text)| {
                let p = root.join(name);
                fs::write(&p, text).unwrap();
                p
            })
            .collect();
        let cache = tmp.path().join("cache");
        Ws {
            _tmp: tmp,
            root,
            cache,
            paths,
        }
    }

    /// Loads as a run that starts `after` from now would (the index only
    /// trusts files older than its racy window).
    fn run(w: &Ws, filter: &Filter<'_>, after: u64) -> Vec<String> {
        let start = SystemTime::now() + Duration::from_secs(after);
        let cache = Cache::at(&w.cache);
        load_with(cache, start, &w.root, &w.paths, filter, false)
            .unwrap()
            .into_iter()
            .map(|l| l.doc.unwrap().objectives[0].id.clone())
            .collect()
    }

    #[test]
    fn a_known_file_is_chosen_by_what_it_holds_and_a_changed_one_by_its_text() {
        let w = ws(&[
            ("a.yaml", obj("alpha", "2026-Q3", "plain")),
            ("b.yaml", obj("beta", "2026-Q3", "see alpha-kr")),
        ]);
        let wanted = ["alpha-kr"];
        let mentions = || Filter::Mentions(Needles::new(&wanted), &wanted);
        // Unknown files are chosen by their text: b mentions alpha-kr.
        assert_eq!(run(&w, &mentions(), 0), ["alpha", "beta"]);
        // A racy read recorded nothing; a settled one records both.
        assert_eq!(run(&w, &Filter::All, 0), ["alpha", "beta"]);
        assert_eq!(run(&w, &mentions(), 0), ["alpha", "beta"]);
        assert_eq!(run(&w, &Filter::All, 10), ["alpha", "beta"]);
        // Known: only a file whose IDs contain the wanted string.
        assert_eq!(run(&w, &mentions(), 10), ["alpha"]);
        // Changed behind okr's back, same size and mtime: read again.
        let meta = fs::metadata(&w.paths[1]).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        fs::write(&w.paths[1], obj("bet2", "2026-Q3", "see alpha-kr")).unwrap();
        fs::File::options()
            .write(true)
            .open(&w.paths[1])
            .unwrap()
            .set_modified(meta.modified().unwrap())
            .unwrap();
        assert_eq!(fs::metadata(&w.paths[1]).unwrap().len(), meta.len());
        assert_eq!(run(&w, &mentions(), 10), ["alpha", "bet2"]);
        assert_eq!(run(&w, &Filter::All, 10), ["alpha", "bet2"]);
    }

    #[test]
    fn a_known_file_of_another_period_is_not_read() {
        let w = ws(&[
            ("a.yaml", obj("alpha", "2026-Q3", "plain")),
            ("b.yaml", obj("beta", "2026-Q2", "moved from 2026-Q3")),
            (
                "c.yaml",
                "version: 1\nsettings:\n  fiscal_year_start: 1\n".to_string(),
            ),
            ("d.yaml", obj("delta", "2026-Q2", "plain")),
        ]);
        let names = |after: u64| -> Vec<String> {
            let start = SystemTime::now() + Duration::from_secs(after);
            let q3 = Filter::Period("2026-Q3");
            load_with(Cache::at(&w.cache), start, &w.root, &w.paths, &q3, false)
                .unwrap()
                .iter()
                .map(|l| l.path.file_name().unwrap().to_string_lossy().into_owned())
                .collect()
        };
        // By text, b mentions 2026-Q3 in its description.
        assert_eq!(names(0), ["a.yaml", "b.yaml", "c.yaml"]);
        // Known (recorded by the settled read): b holds only 2026-Q2.
        assert_eq!(names(10), ["a.yaml", "b.yaml", "c.yaml"]);
        assert_eq!(names(10), ["a.yaml", "c.yaml"]);
        // d was skipped by its text, and learnt all the same.
        let m = Manifest::open(&w.cache.join(""), &w.root);
        let meta = fs::metadata(&w.paths[3]).unwrap();
        assert_eq!(
            m.lookup(&w.paths[3], &meta).unwrap().summary.periods,
            "2026-Q2"
        );
    }

    #[test]
    fn texts_are_kept_only_when_asked_and_a_known_file_is_then_read() {
        let w = ws(&[("a.yaml", obj("alpha", "2026-Q3", "plain"))]);
        run(&w, &Filter::All, 10);
        let start = SystemTime::now() + Duration::from_secs(10);
        let l = load_with(
            Cache::at(&w.cache),
            start,
            &w.root,
            &w.paths,
            &Filter::All,
            true,
        )
        .unwrap();
        assert_eq!(l[0].text, obj("alpha", "2026-Q3", "plain"));
        let l = load_with(
            Cache::at(&w.cache),
            start,
            &w.root,
            &w.paths,
            &Filter::All,
            false,
        )
        .unwrap();
        assert_eq!(l[0].text, "");
    }
}
