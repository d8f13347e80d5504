//! A cache of parsed files that can never be stale, and parsing in parallel.
//!
//! YAML parsing is nearly all of a read's cost, and most files do not change
//! between two runs. A parsed [`Document`] is stored under the BLAKE3 hash of
//! okr's version, the cache format and the file's full text, so an entry
//! can only ever be found for exactly the bytes it was made from. Which
//! text a file holds is either read and hashed (far faster than parsing)
//! or, for a file unchanged since its last read, vouched for by the stat
//! index ([`super::manifest`], with git's protection against racy
//! timestamps). Each entry repeats its key on its first line, then holds
//! the BLAKE3 hash of its body and the body, and anything that does not
//! read back (corrupt, truncated, foreign, another version, a flipped bit)
//! is ignored and rebuilt.
//!
//! The cache lives in the user's cache directory (`$XDG_CACHE_HOME/okr`,
//! else `~/.cache/okr`), outside every working tree, in a directory only
//! its owner can enter (0700): it is never shared between users. It is safe
//! to delete at any time, is pruned to [`MAX_ENTRIES`] entries and
//! [`MAX_BYTES`] bytes (oldest first), and `OKR_NO_CACHE=1` turns it off.
//! The body is the compact binary layout of [`super::codec`] (JSON until
//! format 1 decoded ~8× slower); the checksum makes a body that decodes but
//! is not what was written (a flipped bit in a number) a miss, not a lie.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use super::codec;
use super::error::StoreError;
use super::parse;
use crate::model::Document;

/// Bumped whenever the entry layout changes.
const FORMAT: &str = "okr-cache-2";
/// At most this many entries are kept.
pub const MAX_ENTRIES: usize = 50_000;
/// At most this many bytes are kept.
pub const MAX_BYTES: u64 = 1024 * 1024 * 1024;
/// Pruning lists and measures every entry: with tens of thousands of
/// them that costs more than a whole one-file command, so it runs at most
/// this often (the bounds may be overshot by what is written meanwhile).
pub const PRUNE_EVERY: Duration = Duration::from_secs(600);
/// Texts smaller than this are parsed on one thread.
const PARALLEL_FROM_BYTES: usize = 256 * 1024;

/// The parse cache of the current user.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    wrote: AtomicBool,
}

impl Cache {
    /// The cache in the user's cache directory, or `None` when it is turned
    /// off (`OKR_NO_CACHE`), there is no home, or the directory cannot be
    /// made private.
    pub fn from_env() -> Option<Cache> {
        if std::env::var_os("OKR_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0") {
            return None;
        }
        let base = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| {
                std::env::var_os("HOME")
                    .map(PathBuf::from)
                    .filter(|p| p.is_absolute())
                    .map(|h| h.join(".cache"))
            })?;
        Cache::at(
            &base
                .join("okr")
                .join(format!("{FORMAT}-{}", env!("CARGO_PKG_VERSION"))),
        )
    }

    /// A cache in `dir`, created private (0700) if missing; `None` when it
    /// is not a private directory of ours.
    pub fn at(dir: &Path) -> Option<Cache> {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .ok()?;
        let meta = fs::symlink_metadata(dir).ok()?;
        if !meta.is_dir() || meta.permissions().mode() & 0o077 != 0 {
            return None;
        }
        Some(Cache {
            dir: dir.to_path_buf(),
            wrote: AtomicBool::new(false),
        })
    }

    /// The directory the cache lives in (the stat index lives there too).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of the entry for exactly `text` (64 hex digits): the BLAKE3
    /// hash of the cache format, okr's version and the text.
    pub fn key(text: &str) -> String {
        let mut h = blake3::Hasher::new();
        h.update(FORMAT.as_bytes());
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(&[0]);
        h.update(text.as_bytes());
        h.finalize().to_hex().to_string()
    }

    #[cfg(test)]
    fn entry(&self, key: &str) -> PathBuf {
        self.entry_of(key, "")
    }

    /// The file of the `kind` entry under `key`: `""` for a parsed
    /// document, another kind (`.check`, [`super::checkfacts`]) beside it.
    fn entry_of(&self, key: &str, kind: &str) -> PathBuf {
        self.dir.join(format!("{key}{kind}.bin"))
    }

    /// Whether `key` looks like one of [`Cache::key`]'s (so a key from
    /// elsewhere can never name a path outside the cache).
    fn is_key(key: &str) -> bool {
        key.len() == 64 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    }

    /// The document parsed from exactly `text`, if cached.
    pub fn get(&self, text: &str) -> Option<Document> {
        self.get_by_key(&Self::key(text))
    }

    /// The document of the entry under `key` (from [`Cache::key`]), if
    /// there is a sound one: for a caller that knows the key without the
    /// text. (Decoding from a reader instead would save holding the entry,
    /// but is slower: measured with JSON entries, not taken.)
    pub fn get_by_key(&self, key: &str) -> Option<Document> {
        self.read_entry(key, "", codec::decode)
    }

    /// `read` of the body of the `kind` entry under `key`, if there is a
    /// sound one: its first line names it (`{key}{kind}`), so an entry of
    /// another text or kind under its name is a miss, and the body must
    /// match its BLAKE3 hash.
    pub(super) fn read_entry<T>(
        &self,
        key: &str,
        kind: &str,
        read: impl FnOnce(&[u8]) -> Option<T>,
    ) -> Option<T> {
        if !Self::is_key(key) {
            return None;
        }
        let raw = fs::read(self.entry_of(key, kind)).ok()?;
        let rest = raw
            .strip_prefix(key.as_bytes())?
            .strip_prefix(kind.as_bytes())?;
        let (sum, body) = rest
            .strip_prefix(b"\n")?
            .split_at_checked(blake3::OUT_LEN)?;
        if blake3::hash(body).as_bytes() != sum {
            return None;
        }
        read(body)
    }

    /// Stores the document parsed from `text` (best effort: a cache that
    /// cannot be written only makes the next run slower).
    pub fn put(&self, text: &str, doc: &Document) {
        self.put_by_key(&Self::key(text), doc);
    }

    /// Stores `doc` under `key`, which must be [`Cache::key`] of the text
    /// it was parsed from (best effort, as [`Cache::put`]).
    pub fn put_by_key(&self, key: &str, doc: &Document) {
        if let Some(body) = codec::encode(doc) {
            self.write_entry(key, "", &body);
        }
    }

    /// Stores `body` as the `kind` entry under `key`, atomically (a temp
    /// file renamed over it), for [`Cache::read_entry`] (best effort).
    pub(super) fn write_entry(&self, key: &str, kind: &str, body: &[u8]) {
        if !Self::is_key(key) {
            return;
        }
        let Ok(mut tmp) = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(&self.dir)
        else {
            return;
        };
        let ok = writeln!(tmp, "{key}{kind}").is_ok()
            && tmp.write_all(blake3::hash(body).as_bytes()).is_ok()
            && tmp.write_all(body).is_ok();
        if ok && tmp.persist(self.entry_of(key, kind)).is_ok() {
            self.wrote.store(true, Ordering::Relaxed);
        }
    }

    /// Removes the oldest entries when the cache is over its bounds; runs
    /// only after this process wrote something, and at most once every
    /// [`PRUNE_EVERY`].
    pub fn prune(&self) {
        if self.wrote.load(Ordering::Relaxed) {
            self.prune_at_most_every(PRUNE_EVERY, MAX_ENTRIES, MAX_BYTES);
        }
    }

    /// [`Cache::prune_within`], unless the last pruning (the mtime of the
    /// `pruned` stamp) is less than `every` ago.
    fn prune_at_most_every(&self, every: Duration, max_entries: usize, max_bytes: u64) {
        let stamp = self.dir.join("pruned");
        let age = fs::metadata(&stamp)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok());
        if age.is_some_and(|a| a < every) {
            return;
        }
        if fs::write(&stamp, b"").is_ok() {
            self.prune_within(max_entries, max_bytes);
        }
    }

    /// Removes the oldest entries, when there are more than `max_entries`
    /// or they hold more than `max_bytes`, until both are back under four
    /// fifths of their bound (so a full cache is not pruned on every run).
    fn prune_within(&self, max_entries: usize, max_bytes: u64) {
        let Ok(rd) = fs::read_dir(&self.dir) else {
            return;
        };
        let mut entries: Vec<(std::time::SystemTime, u64, PathBuf)> = rd
            .flatten()
            .filter(|e| e.file_name() != "pruned")
            .filter_map(|e| {
                let m = e.metadata().ok()?;
                Some((m.modified().ok()?, m.len(), e.path()))
            })
            .collect();
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        if entries.len() <= max_entries && total <= max_bytes {
            return;
        }
        entries.sort();
        let mut count = entries.len();
        for (_, len, path) in entries {
            if count <= max_entries * 4 / 5 && total <= max_bytes / 5 * 4 {
                break;
            }
            if fs::remove_file(&path).is_ok() {
                count -= 1;
                total = total.saturating_sub(len);
            }
        }
    }
}

/// Parses one text, through the cache when there is one.
fn parse_one(cache: Option<&Cache>, path: &Path, text: &str) -> Result<Document, StoreError> {
    if let Some(doc) = cache.and_then(|c| c.get(text)) {
        return Ok(doc);
    }
    let doc = parse::parse(path, text)?;
    if let Some(c) = cache {
        c.put(text, &doc);
    }
    Ok(doc)
}

/// Parses every text (through the cache, on as many threads as there are
/// cores when there is enough text to share), results in input order.
pub fn parse_many(texts: &[(PathBuf, String)]) -> Vec<Result<Document, StoreError>> {
    let cache = Cache::from_env();
    let cache = cache.as_ref();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let results = if bytes < PARALLEL_FROM_BYTES {
        texts.iter().map(|(p, t)| parse_one(cache, p, t)).collect()
    } else {
        parse_parallel(cache, texts)
    };
    if let Some(c) = cache {
        c.prune();
    }
    results
}

fn parse_parallel(
    cache: Option<&Cache>,
    texts: &[(PathBuf, String)],
) -> Vec<Result<Document, StoreError>> {
    crate::par::map(texts, |(p, t)| parse_one(cache, p, t))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const TEXT: &str = "version: 1\nsettings:\n  fiscal_year_start: april\n  pace: {at_risk_gap: 0.1}\nobjectives:\n  - id: a\n    title: \"A: # b\"\n    period: 2026-Q3\n    key_results:\n      - id: k\n        title: K\n        start: 0.1\n        target: 0.30000000000000004\n        check_ins:\n          - {date: 2026-08-01, value: 0.1234567890123456789, confidence: 0.7, note: x}\n      - id: m\n        title: M\n        milestone: true\n        check_ins: [{date: 2026-08-02, value: done}]\n      - id: t\n        title: T\n        at_most: 3.5\n";

    #[test]
    fn a_cached_document_equals_the_parsed_one() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(&dir.path().join("c")).unwrap();
        let parsed = parse::parse(Path::new("x.yaml"), TEXT).unwrap();
        assert_eq!(cache.get(TEXT), None);
        cache.put(TEXT, &parsed);
        assert_eq!(cache.get(TEXT), Some(parsed));
    }

    #[test]
    fn corrupt_or_foreign_entries_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(&dir.path().join("c")).unwrap();
        let parsed = parse::parse(Path::new("x.yaml"), TEXT).unwrap();
        cache.put(TEXT, &parsed);
        let entry = cache.entry(&Cache::key(TEXT));
        fs::write(&entry, "garbage").unwrap();
        assert_eq!(cache.get(TEXT), None);
        // An entry made for another text, under this text's name.
        let other = TEXT.replace("A: # b", "B");
        cache.put(&other, &parse::parse(Path::new("x.yaml"), &other).unwrap());
        fs::copy(cache.entry(&Cache::key(&other)), &entry).unwrap();
        assert_eq!(cache.get(TEXT), None);
    }

    #[test]
    fn pruning_removes_the_oldest_entries_down_to_four_fifths_of_a_bound() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(&dir.path().join("c")).unwrap();
        let texts: Vec<String> = (0..10)
            .map(|i| TEXT.replace("id: a", &format!("id: a{i}")))
            .collect();
        for (i, t) in texts.iter().enumerate() {
            cache.put(t, &parse::parse(Path::new("x.yaml"), t).unwrap());
            // Distinct modification times, oldest first.
            let when =
                std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1000 + i as u64);
            fs::File::options()
                .write(true)
                .open(cache.entry(&Cache::key(t)))
                .unwrap()
                .set_modified(when)
                .unwrap();
        }
        let size = fs::metadata(cache.entry(&Cache::key(&texts[0])))
            .unwrap()
            .len();
        let kept = |c: &Cache| texts.iter().filter(|t| c.get(t).is_some()).count();
        // Within both bounds: nothing goes.
        cache.prune_within(10, 10 * size + 100);
        assert_eq!(kept(&cache), 10);
        // Over the entry bound: down to four fifths of 9, the oldest first.
        cache.prune_within(9, u64::MAX);
        assert_eq!(kept(&cache), 7);
        assert!(cache.get(&texts[2]).is_none() && cache.get(&texts[3]).is_some());
        // Over the byte bound alone: down to four fifths of it.
        cache.prune_within(100, 5 * size);
        assert_eq!(kept(&cache), 4);
        assert!(cache.get(&texts[9]).is_some());
    }

    #[test]
    fn pruning_runs_at_most_once_per_interval() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(&dir.path().join("c")).unwrap();
        let put = |i: usize| {
            let t = TEXT.replace("id: a", &format!("id: a{i}"));
            cache.put(&t, &parse::parse(Path::new("x.yaml"), &t).unwrap());
        };
        let entries = || fs::read_dir(cache.dir()).unwrap().count();
        (0..5).for_each(put);
        let hour = Duration::from_secs(3600);
        cache.prune_at_most_every(hour, 2, u64::MAX);
        let after_first = entries();
        assert_eq!(after_first, 2, "pruned to 1 entry, plus the stamp");
        (5..10).for_each(put);
        cache.prune_at_most_every(hour, 2, u64::MAX);
        assert_eq!(entries(), after_first + 5, "not again within the hour");
        fs::File::options()
            .write(true)
            .open(cache.dir().join("pruned"))
            .unwrap()
            .set_modified(SystemTime::now() - 2 * hour)
            .unwrap();
        cache.prune_at_most_every(hour, 2, u64::MAX);
        assert_eq!(entries(), 2);
    }

    #[test]
    fn truncated_or_extended_entries_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(&dir.path().join("c")).unwrap();
        cache.put(TEXT, &parse::parse(Path::new("x.yaml"), TEXT).unwrap());
        let entry = cache.entry(&Cache::key(TEXT));
        let full = fs::read(&entry).unwrap();
        for cut in [full.len() - 1, full.len() - 10, 66, 65, 64, 10, 0] {
            fs::write(&entry, &full[..cut]).unwrap();
            assert_eq!(cache.get(TEXT), None, "cut at {cut}");
        }
        fs::write(&entry, [&full[..], b"\0"].concat()).unwrap();
        assert_eq!(cache.get(TEXT), None);
        fs::write(&entry, &full).unwrap();
        assert!(cache.get(TEXT).is_some());
    }

    #[test]
    fn an_entry_with_any_flipped_bit_is_ignored_and_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(&dir.path().join("c")).unwrap();
        let parsed = parse::parse(Path::new("x.yaml"), TEXT).unwrap();
        cache.put(TEXT, &parsed);
        let entry = cache.entry(&Cache::key(TEXT));
        let full = fs::read(&entry).unwrap();
        for i in 0..full.len() {
            let mut flipped = full.clone();
            flipped[i] ^= 1 << (i % 8);
            fs::write(&entry, &flipped).unwrap();
            assert_eq!(cache.get(TEXT), None, "bit {} of byte {i}", i % 8);
        }
        // Rebuilt by the next parse through the cache.
        let got = parse_one(Some(&cache), Path::new("x.yaml"), TEXT).unwrap();
        assert_eq!(got, parsed);
        assert_eq!(fs::read(&entry).unwrap(), full);
        assert_eq!(cache.get(TEXT), Some(parsed));
    }

    #[test]
    fn a_key_from_elsewhere_never_names_a_path_outside_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(&dir.path().join("c")).unwrap();
        let doc = parse::parse(Path::new("x.yaml"), TEXT).unwrap();
        let key = Cache::key(TEXT);
        cache.put_by_key(&key, &doc);
        assert_eq!(cache.get_by_key(&key), Some(doc.clone()));
        for bad in [
            "../x",
            "",
            &key.to_uppercase(),
            &key[1..],
            &format!("{key}0"),
        ] {
            cache.put_by_key(bad, &doc);
            assert_eq!(cache.get_by_key(bad), None, "{bad}");
        }
        assert!(!dir.path().join("x.bin").exists());
        assert_eq!(fs::read_dir(dir.path().join("c")).unwrap().count(), 1);
    }

    #[test]
    fn the_cache_directory_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("c");
        Cache::at(&c).unwrap();
        assert_eq!(
            fs::metadata(&c).unwrap().permissions().mode() & 0o777,
            0o700
        );
        fs::set_permissions(&c, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(
            Cache::at(&c).is_none(),
            "a directory others can read is not used"
        );
    }

    #[test]
    fn parallel_parsing_keeps_order_and_errors() {
        let mut texts: Vec<(PathBuf, String)> = (0..40)
            .map(|i| {
                let t = TEXT.replace("id: a", &format!("id: a{i}"));
                (
                    PathBuf::from(format!("f{i}.yaml")),
                    t + &"# pad\n".repeat(2000),
                )
            })
            .collect();
        texts[17].1 = "version: [\n".to_string();
        let results = parse_parallel(None, &texts);
        for (i, r) in results.iter().enumerate() {
            match r {
                Ok(d) => assert_eq!(d.objectives[0].id, format!("a{i}")),
                Err(e) => assert!(i == 17 && e.to_string().starts_with("f17.yaml"), "{e}"),
            }
        }
        assert!(results[17].is_err());
    }
}
