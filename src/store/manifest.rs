//! A stat index of a workspace: which files are unchanged since okr last
//! read them, and what each one holds, without reading it.
//!
//! The parse cache ([`super::cache`]) makes parsing free, but it still
//! needs every file's text to hash, so a command on one key result in a
//! company workspace read all 19 MB of it, which costs more than the whole
//! rest of the command. Git solves the same problem for `git status` with
//! its index: the stat data of each file (device, inode, size, mtime,
//! ctime) as of when its content was last hashed. This is that index, for
//! one workspace, kept in the user's cache directory beside the parse
//! cache (`m-<hash of the workspace path>`):
//!
//! - per file: its stat data, the key of its parse-cache entry, and a
//!   summary of what it holds (every ID it defines or refers to, the
//!   periods of its objectives, whether its text mentions settings, KPIs,
//!   autocommit or uses escapes), so that one-ID commands and `--period`
//!   can tell which files they need without reading the others;
//! - a file whose stat data all match is taken to be unchanged, its
//!   document read from the parse cache by key; any difference (an edit,
//!   a `touch`, a rename over it, a `chmod`) makes it read and hashed again.
//!
//! **Racy timestamps.** A file changed within the same timestamp tick as
//! okr's read of it could keep its stat data. So an entry is only recorded
//! when the file's mtime and ctime are more than [`RACY`] older than the
//! moment okr started reading (as git does with its index's own time), and
//! a file changed after that moment gets a newer mtime or ctime. ctime
//! cannot be set back by a user, so editing a file and restoring its mtime
//! (`touch -d`) is still seen. This trusts the file system's clock to agree
//! with the local one within [`RACY`]; `OKR_NO_CACHE=1` turns this index
//! off with the cache. Writes never rely on it: [`super::fsio::replace`]
//! compares the content read with what is on disk before replacing.
//!
//! The format is a line per file, written atomically; anything that does
//! not read back (another version, another workspace, a torn line) makes
//! the whole index empty, and it is rebuilt.

use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::fs::{self, Metadata};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::model::Document;

/// How much older than the read a file must be for its stat data to be
/// trusted (covers file systems with one- or two-second timestamps).
pub const RACY: Duration = Duration::from_secs(2);
const HEADER: &str = concat!("okr-manifest-1 ", env!("CARGO_PKG_VERSION"));

/// The stat data compared: equal stat data, same content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Stat {
    /// The stat data of `meta`.
    pub fn of(meta: &Metadata) -> Stat {
        use std::os::unix::fs::MetadataExt;
        Stat {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// Whether a file last changed at these times can be trusted to show a
    /// later change in its stat data, for a read that started at `start`.
    fn settled_before(&self, start: SystemTime) -> bool {
        let Ok(since) = start.duration_since(SystemTime::UNIX_EPOCH) else {
            return false;
        };
        let limit = since.saturating_sub(RACY);
        let at = |(s, ns): (i64, i64)| {
            u64::try_from(s)
                .ok()
                .zip(u32::try_from(ns).ok())
                .map(|(s, ns)| Duration::new(s, ns))
        };
        matches!((at(self.mtime), at(self.ctime)), (Some(m), Some(c)) if m < limit && c < limit)
    }
}

/// What a file holds, as far as choosing files goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Every ID the file defines or refers to (`parent`, `kpi`,
    /// `rolled_from`), sorted, each once, separated by spaces (IDs have
    /// none): one string to search instead of many to allocate.
    pub ids: String,
    /// The period of each objective, the same way.
    pub periods: String,
    /// Its text contains `settings`.
    pub says_settings: bool,
    /// Its text contains `kpis`.
    pub says_kpis: bool,
    /// Its text contains `autocommit`.
    pub says_autocommit: bool,
    /// Its text uses a backslash (an escape could spell anything).
    pub escapes: bool,
}

impl Summary {
    /// The summary of a file read as `text` and parsed as `doc`.
    pub fn of(text: &str, doc: &Document) -> Summary {
        let mut ids = Vec::new();
        let mut add = |s: &Option<String>| ids.extend(s.iter().cloned());
        for k in &doc.kpis {
            add(&Some(k.id.clone()));
        }
        for o in &doc.objectives {
            add(&Some(o.id.clone()));
            add(&o.parent);
            add(&o.rolled_from);
            for k in &o.key_results {
                add(&Some(k.id.clone()));
                add(&k.kpi);
                add(&k.rolled_from);
                for i in &k.initiatives {
                    add(&Some(i.id.clone()));
                }
            }
        }
        ids.sort();
        ids.dedup();
        let mut periods: Vec<String> = doc
            .objectives
            .iter()
            .map(|o| o.period.to_string())
            .collect();
        periods.sort();
        periods.dedup();
        let (ids, periods) = (ids.join(" "), periods.join(" "));
        let finds = |w: &str| memchr::memmem::find(text.as_bytes(), w.as_bytes()).is_some();
        Summary {
            ids,
            periods,
            says_settings: finds("settings"),
            says_kpis: finds("kpis"),
            says_autocommit: finds("autocommit"),
            escapes: memchr::memchr(b'\\', text.as_bytes()).is_some(),
        }
    }

    /// Whether an ID this file defines or refers to contains `needle`.
    pub fn mentions(&self, needle: &str) -> bool {
        if needle.contains(' ') {
            return self.ids.split(' ').any(|i| i.contains(needle));
        }
        self.ids.contains(needle)
    }

    /// The IDs, one by one.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.split(' ').filter(|w| !w.is_empty())
    }

    /// The periods, one by one.
    pub fn periods(&self) -> impl Iterator<Item = &str> {
        self.periods.split(' ').filter(|w| !w.is_empty())
    }
}

/// One file as last read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its stat data then.
    pub stat: Stat,
    /// The parse-cache key of the text read.
    pub key: String,
    /// What it holds.
    pub summary: Summary,
}

/// The index this process used last (see [`Manifest::open_again`]).
static LAST: std::sync::Mutex<Option<Manifest>> = std::sync::Mutex::new(None);

/// The index of one workspace.
#[derive(Debug)]
pub struct Manifest {
    file: PathBuf,
    root: String,
    /// By path as bytes (hashing a `Path` walks its components).
    entries: HashMap<OsString, Entry>,
    changed: bool,
}

impl Manifest {
    /// The index of the workspace at `root`, kept in `cache_dir`; empty
    /// when there is none yet or it does not read back.
    pub fn open(cache_dir: &Path, root: &Path) -> Manifest {
        let root_name = root.to_string_lossy().into_owned();
        let name = blake3::hash(root_name.as_bytes()).to_hex();
        let mut m = Manifest {
            file: cache_dir.join(format!("m-{}", &name[..32])),
            root: root_name,
            entries: HashMap::new(),
            changed: false,
        };
        if let Ok(text) = fs::read_to_string(&m.file) {
            m.entries = parse(&text, &m.root).unwrap_or_default();
        }
        m
    }

    /// [`Manifest::open`], or the index this process last used for the
    /// same workspace (a write command loads twice: autocommit's settings
    /// check, then the command). Reusing it is as safe as reading it again:
    /// every entry is checked against the file's stat data when used.
    pub fn open_again(cache_dir: &Path, root: &Path) -> Manifest {
        let mine = |m: &mut Manifest| {
            m.file.parent() == Some(cache_dir) && m.root.as_str() == root.to_string_lossy()
        };
        if let Some(m) = LAST.lock().ok().and_then(|mut g| g.take_if(mine)) {
            return m;
        }
        Manifest::open(cache_dir, root)
    }

    /// Keeps this index for [`Manifest::open_again`] (after [`Manifest::save`]).
    pub fn keep(self) {
        if let Ok(mut g) = LAST.lock() {
            *g = Some(self);
        }
    }

    /// The entry for `path` if its stat data still match `meta`.
    pub fn lookup(&self, path: &Path, meta: &Metadata) -> Option<&Entry> {
        self.entries
            .get(path.as_os_str())
            .filter(|e| e.stat == Stat::of(meta))
    }

    /// Records what was read from `path`, if it settled before `start`
    /// (see the module comment) and can be written down.
    pub fn record(
        &mut self,
        path: &Path,
        meta: &Metadata,
        key: String,
        summary: Summary,
        start: SystemTime,
    ) {
        let stat = Stat::of(meta);
        let writable = |s: &str| !s.contains(['\t', '\n', '\r']);
        let words = writable(&summary.ids) && writable(&summary.periods);
        let ok = stat.settled_before(start)
            && path
                .to_str()
                .is_some_and(|p| !p.contains(['\t', '\n', '\r']))
            && words;
        let entry = Entry { stat, key, summary };
        if !ok {
            self.changed |= self.entries.remove(path.as_os_str()).is_some();
            return;
        }
        if self.entries.get(path.as_os_str()) != Some(&entry) {
            self.entries.insert(path.as_os_str().to_owned(), entry);
            self.changed = true;
        }
    }

    /// Forgets every file not in `present` (deleted or renamed away).
    pub fn retain(&mut self, present: &[PathBuf]) {
        let before = self.entries.len();
        let keep: HashSet<&OsStr> = present.iter().map(|p| p.as_os_str()).collect();
        self.entries.retain(|p, _| keep.contains(p.as_os_str()));
        self.changed |= self.entries.len() != before;
    }

    /// Writes the index back if anything changed (best effort: an index
    /// that cannot be written only makes the next run read more).
    pub fn save(&mut self) {
        if !std::mem::take(&mut self.changed) {
            return;
        }
        let Some(dir) = self.file.parent() else {
            return;
        };
        let mut out = String::with_capacity(self.entries.len() * 256);
        out.push_str(HEADER);
        out.push('\n');
        out.push_str(&self.root);
        out.push('\n');
        let mut paths: Vec<&OsString> = self.entries.keys().collect();
        paths.sort_unstable();
        for p in paths {
            write_entry(&mut out, Path::new(p), &self.entries[p]);
        }
        let Ok(mut tmp) = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir) else {
            return;
        };
        if tmp.write_all(out.as_bytes()).is_ok() {
            let _ = tmp.persist(&self.file);
        }
    }
}

fn write_entry(out: &mut String, path: &Path, e: &Entry) {
    use std::fmt::Write as _;
    let s = &e.stat;
    let flags: String = [
        (e.summary.says_settings, 's'),
        (e.summary.says_kpis, 'k'),
        (e.summary.says_autocommit, 'a'),
        (e.summary.escapes, 'e'),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, c)| *c)
    .collect();
    let _ = writeln!(
        out,
        "{}\t{} {} {} {} {} {} {}\t{}\t-{}\t{}\t{}",
        path.display(),
        s.dev,
        s.ino,
        s.size,
        s.mtime.0,
        s.mtime.1,
        s.ctime.0,
        s.ctime.1,
        e.key,
        flags,
        e.summary.ids,
        e.summary.periods,
    );
}

fn parse(text: &str, root: &str) -> Option<HashMap<OsString, Entry>> {
    let mut lines = text.split('\n');
    if lines.next()? != HEADER || lines.next()? != root {
        return None;
    }
    // Sized once: growing it rehashed every path of a big workspace.
    let mut entries = HashMap::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count());
    let mut ended = false;
    for line in lines {
        if line.is_empty() {
            ended = true;
            continue;
        }
        if ended {
            return None;
        }
        let (path, entry) = parse_entry(line)?;
        entries.insert(path, entry);
    }
    // A torn write lacks the final newline.
    ended.then_some(entries)
}

fn parse_entry(line: &str) -> Option<(OsString, Entry)> {
    let mut f = line.split('\t');
    let path = OsString::from(f.next()?);
    let mut n = f.next()?.split(' ').map(|x| x.parse::<i64>().ok());
    let mut num = || n.next().flatten();
    let unsigned = |v: i64| u64::try_from(v).ok();
    let stat = Stat {
        dev: unsigned(num()?)?,
        ino: unsigned(num()?)?,
        size: unsigned(num()?)?,
        mtime: (num()?, num()?),
        ctime: (num()?, num()?),
    };
    let key = f.next()?.to_string();
    let flags = f.next()?.strip_prefix('-')?;
    let ids = f.next()?.to_string();
    let periods = f.next()?.to_string();
    if f.next().is_some() || key.len() != 64 {
        return None;
    }
    let summary = Summary {
        ids,
        periods,
        says_settings: flags.contains('s'),
        says_kpis: flags.contains('k'),
        says_autocommit: flags.contains('a'),
        escapes: flags.contains('e'),
    };
    Some((path, Entry { stat, key, summary }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        super::super::parse::parse(Path::new("x.yaml"), text).unwrap()
    }

    const TEXT: &str = "version: 1\nobjectives:\n  - id: grow\n    title: T\n    period: 2026-Q3\n    parent: company-win\n    key_results:\n      - id: grow-kr1\n        title: K\n        target: 10\n";

    /// A file whose times are well in the past, so it is not racy.
    fn settled(dir: &Path, name: &str, text: &str) -> (PathBuf, Metadata) {
        let p = dir.join(name);
        fs::write(&p, text).unwrap();
        let old = SystemTime::now() - Duration::from_secs(60);
        fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(old)
            .unwrap();
        // ctime is "now" and cannot be set back: start the read later.
        let meta = fs::metadata(&p).unwrap();
        (p, meta)
    }

    fn later() -> SystemTime {
        SystemTime::now() + Duration::from_secs(10)
    }

    #[test]
    fn an_entry_round_trips_and_matches_only_the_same_stat_data() {
        let tmp = tempfile::tempdir().unwrap();
        let (p, meta) = settled(tmp.path(), "a.yaml", TEXT);
        let mut m = Manifest::open(tmp.path(), Path::new("/ws"));
        let s = Summary::of(TEXT, &doc(TEXT));
        assert_eq!(
            s.ids().collect::<Vec<_>>(),
            ["company-win", "grow", "grow-kr1"]
        );
        assert_eq!(s.periods, "2026-Q3");
        assert!(s.mentions("win") && s.mentions("grow-k") && !s.mentions("win grow"));
        m.record(&p, &meta, "k".repeat(64), s.clone(), later());
        m.save();
        let m = Manifest::open(tmp.path(), Path::new("/ws"));
        let e = m.lookup(&p, &meta).unwrap();
        assert_eq!((e.key.as_str(), &e.summary), ("k".repeat(64).as_str(), &s));
        // Another workspace's index is not this one's.
        assert!(
            Manifest::open(tmp.path(), Path::new("/other"))
                .lookup(&p, &meta)
                .is_none()
        );
        // Same size, mtime put back: the ctime still differs.
        std::thread::sleep(Duration::from_millis(20));
        fs::write(&p, TEXT.replace("grow", "gro2")).unwrap();
        fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(meta.modified().unwrap())
            .unwrap();
        let now = fs::metadata(&p).unwrap();
        assert_eq!(
            (now.len(), now.modified().unwrap()),
            (meta.len(), meta.modified().unwrap())
        );
        assert!(m.lookup(&p, &now).is_none());
    }

    #[test]
    fn a_racy_file_is_not_recorded() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("a.yaml");
        fs::write(&p, TEXT).unwrap();
        let meta = fs::metadata(&p).unwrap();
        let mut m = Manifest::open(tmp.path(), Path::new("/ws"));
        // Written just now: within RACY of a read that starts now.
        m.record(
            &p,
            &meta,
            "k".repeat(64),
            Summary::default(),
            SystemTime::now(),
        );
        assert!(m.lookup(&p, &meta).is_none());
        m.record(&p, &meta, "k".repeat(64), Summary::default(), later());
        assert!(m.lookup(&p, &meta).is_some());
    }

    #[test]
    fn a_torn_or_foreign_index_reads_as_empty() {
        let tmp = tempfile::tempdir().unwrap();
        let (p, meta) = settled(tmp.path(), "a.yaml", TEXT);
        let mut m = Manifest::open(tmp.path(), Path::new("/ws"));
        m.record(
            &p,
            &meta,
            "k".repeat(64),
            Summary::of(TEXT, &doc(TEXT)),
            later(),
        );
        m.save();
        let full = fs::read_to_string(&m.file).unwrap();
        for bad in [
            &full[..full.len() - 1],
            &full[..full.len() - 9],
            &full.replace("okr-manifest-1", "okr-manifest-0"),
            &full.replace('\t', " "),
        ] {
            fs::write(&m.file, bad).unwrap();
            let m2 = Manifest::open(tmp.path(), Path::new("/ws"));
            assert!(m2.lookup(&p, &meta).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn forgotten_files_are_dropped() {
        let tmp = tempfile::tempdir().unwrap();
        let (p, meta) = settled(tmp.path(), "a.yaml", TEXT);
        let mut m = Manifest::open(tmp.path(), Path::new("/ws"));
        m.record(&p, &meta, "k".repeat(64), Summary::default(), later());
        m.retain(&[]);
        assert!(m.lookup(&p, &meta).is_none());
    }
}
