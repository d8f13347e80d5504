//! The only code that writes to disk: atomic replacement and temp cleanup.
//!
//! A write goes to a temporary file `.okr-PID-RANDOM.tmp` in the target's
//! own directory (so the rename cannot cross file systems), is flushed and
//! fsynced, takes the old file's permissions, owner and group and is renamed
//! over the target; then the directory is fsynced so the rename itself
//! survives a crash. A symlink is resolved first, so the link stays a link
//! and its target gets the new contents.
//!
//! Refusals, each with its reason in the error, so that okr never changes
//! more than the file's text behind the user's back:
//! - a read-only file (no write permission for us, or no write bit at all);
//! - a file whose owner or group we may not keep (we would steal it);
//! - a hard-linked file (a rename would split the link: the other names
//!   would keep the old text);
//! - anything that is not a regular file;
//! - a file whose content changed since it was read (another writer that
//!   did not take the lock, e.g. on a network file system, or an editor).
//!
//! A new file is created with mode 0666 minus the umask (0644 under the
//! usual 022), like any other tool's.

use std::fs::{self, File, Metadata};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::error::StoreError;
use super::failpoint;

/// What the file must still hold just before it is replaced.
#[derive(Debug, Clone, Copy)]
pub enum Expect<'a> {
    /// Anything (a report written with `-o`).
    Any,
    /// Nothing: the file must not exist (a new file).
    Absent,
    /// Exactly the text that was read.
    Text(&'a [u8]),
}

/// Replaces `path` with `contents` atomically, whatever it holds now.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), StoreError> {
    replace(path, Expect::Any, contents)
}

/// Replaces `path` with `contents` atomically, provided it still holds what
/// `expect` says.
pub fn replace(path: &Path, expect: Expect<'_>, contents: &[u8]) -> Result<(), StoreError> {
    let target = resolve_symlinks(path)?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    remove_stale_temps(&dir);
    let existing = match fs::symlink_metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(StoreError::io(&target, e)),
    };
    if let Some(meta) = &existing {
        check_replaceable(&target, meta)?;
    }
    let io = |e| StoreError::io(&target, e);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .suffix(TEMP_SUFFIX)
        .permissions(fs::Permissions::from_mode(0o666))
        .tempfile_in(&dir)
        .map_err(|e| StoreError::io(&dir, e))?;
    failpoint::hit("temp-created").map_err(io)?;
    let (first, rest) = contents.split_at(contents.len() / 2);
    tmp.write_all(first).map_err(io)?;
    tmp.flush().map_err(io)?;
    failpoint::hit("mid-write").map_err(io)?;
    tmp.write_all(rest).map_err(io)?;
    tmp.flush().map_err(io)?;
    if let Some(meta) = &existing {
        keep_owner(&target, tmp.as_file(), meta)?;
        fs::set_permissions(tmp.path(), meta.permissions()).map_err(io)?;
    }
    fsync(tmp.as_file()).map_err(io)?;
    failpoint::hit("after-fsync").map_err(io)?;
    check_unchanged(&target, expect)?;
    failpoint::hit("before-rename").map_err(io)?;
    tmp.persist(&target)
        .map_err(|e| StoreError::io(&target, e.error))?;
    failpoint::hit("after-rename").map_err(io)?;
    if let Err(e) = sync_dir(&dir) {
        // The new text is in place and readable; only its survival of a
        // power cut is in doubt. Say so rather than pretend.
        eprintln!(
            "warning: {:?}: the file was written but its directory could not be synced ({e}); \
             the change may not survive a crash or power cut",
            target
        );
    }
    Ok(())
}

const TEMP_PREFIX: &str = ".okr-";
const TEMP_SUFFIX: &str = ".tmp";

/// Flushes the temp file's data and metadata to the disk before the rename,
/// so a crash cannot leave the new name pointing at unwritten blocks.
fn fsync(file: &File) -> io::Result<()> {
    failpoint::hit("fsync")?;
    file.sync_all()
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    failpoint::hit("dir-fsync")?;
    File::open(dir)?.sync_all()
}

fn refused(path: &Path, reason: impl Into<String>) -> StoreError {
    StoreError::Refused {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Refuses what a rename would silently damage or what is not ours to change.
fn check_replaceable(target: &Path, meta: &Metadata) -> Result<(), StoreError> {
    if !meta.is_file() {
        return Err(refused(
            target,
            "not a regular file; okr only writes regular files",
        ));
    }
    let denied = match fs::OpenOptions::new().write(true).open(target) {
        Ok(_) => false,
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => true,
        Err(e) => return Err(StoreError::io(target, e)),
    };
    if denied || meta.permissions().mode() & 0o222 == 0 {
        return Err(refused(
            target,
            "the file is read-only; okr does not replace read-only files \
             (make it writable first, e.g. `chmod u+w`, if the change is wanted); nothing was written",
        ));
    }
    if meta.nlink() > 1 {
        return Err(refused(
            target,
            format!(
                "the file has {} hard links; replacing it would split them (the other names would \
                 keep the old text), so okr refuses; replace the hard links with a symlink, which \
                 okr follows; nothing was written",
                meta.nlink()
            ),
        ));
    }
    Ok(())
}

/// Gives the temp file the old file's owner and group, or refuses.
fn keep_owner(target: &Path, tmp: &File, old: &Metadata) -> Result<(), StoreError> {
    let new = tmp.metadata().map_err(|e| StoreError::io(target, e))?;
    if new.uid() == old.uid() && new.gid() == old.gid() {
        return Ok(());
    }
    std::os::unix::fs::fchown(tmp, Some(old.uid()), Some(old.gid())).map_err(|e| {
        refused(
            target,
            format!(
                "the file belongs to user {} and group {}, which okr cannot keep ({e}); \
                 replacing it would take it over, so okr refuses; nothing was written",
                old.uid(),
                old.gid()
            ),
        )
    })
}

/// The last check before the rename: the file holds what was read.
fn check_unchanged(target: &Path, expect: Expect<'_>) -> Result<(), StoreError> {
    let changed = || {
        refused(
            target,
            "the file changed on disk since okr read it (another program wrote it); \
             run the command again; nothing was written",
        )
    };
    match expect {
        Expect::Any => Ok(()),
        Expect::Absent => match fs::symlink_metadata(target) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            _ => Err(changed()),
        },
        Expect::Text(old) => {
            let file = File::open(target).map_err(|e| StoreError::io(target, e))?;
            if holds_exactly(file, old).map_err(|e| StoreError::io(target, e))? {
                Ok(())
            } else {
                Err(changed())
            }
        }
    }
}

/// Whether `file` holds exactly `expected`, read in small chunks: a large
/// file is not held in memory a third time (beside its old and new text).
fn holds_exactly(mut file: impl io::Read, expected: &[u8]) -> io::Result<bool> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut rest = expected;
    loop {
        let n = match file.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(rest.is_empty());
        }
        match rest.strip_prefix(&buf[..n]) {
            Some(r) => rest = r,
            None => return Ok(false),
        }
    }
}

/// Removes `.okr-PID-*.tmp` files in `dir` left by an okr process that no
/// longer runs (killed mid-write). Nothing else is touched: not files of a
/// live process, not files of another name, not symlinks or directories.
/// Where process IDs cannot be checked (no `/proc`), nothing is removed.
pub fn remove_stale_temps(dir: &Path) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_owner) else {
            continue;
        };
        if pid == std::process::id() || proc.join(pid.to_string()).exists() {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The process ID in a temp file name `.okr-PID-RANDOM.tmp`.
fn temp_owner(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?.strip_suffix(TEMP_SUFFIX)?;
    let (pid, random) = rest.split_once('-')?;
    let ok = !random.is_empty() && random.chars().all(|c| c.is_ascii_alphanumeric());
    if !ok || pid.is_empty() || !pid.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Follows symlinks to the file that really holds the data (which may not
/// exist yet, for a dangling link or a new file).
fn resolve_symlinks(path: &Path) -> Result<PathBuf, StoreError> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&p).map_err(|e| StoreError::io(&p, e))?;
                p = match p.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(StoreError::io(
        path,
        std::io::Error::other("too many levels of symbolic links"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes at a time, so chunk
    /// borders fall everywhere.
    struct Trickle<'a>(&'a [u8], usize);

    impl io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn holds_exactly_compares_every_byte_and_the_length() {
        let text: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        for step in [1, 7, 65_536, 1 << 20] {
            let same = |a: &[u8], b: &[u8]| holds_exactly(Trickle(a, step), b).unwrap();
            assert!(same(&text, &text));
            assert!(!same(&text, &text[..text.len() - 1]), "longer file");
            assert!(!same(&text[..text.len() - 1], &text), "shorter file");
            let mut other = text.clone();
            other[150_001] ^= 1;
            assert!(!same(&other, &text), "one byte differs");
            assert!(same(b"", b""));
        }
    }

    fn only_file(dir: &Path) -> usize {
        fs::read_dir(dir).unwrap().count()
    }

    #[test]
    fn replaces_content_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("okrs.yaml");
        fs::write(&p, "old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o640
        );
        // No temporary file is left behind.
        assert_eq!(only_file(dir.path()), 1);
    }

    #[test]
    fn writes_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.yaml");
        let link = dir.path().join("link.yaml");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink("real.yaml", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn a_read_only_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("okrs.yaml");
        fs::write(&p, "old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o444)).unwrap();
        let err = write_atomic(&p, b"new").unwrap_err().to_string();
        assert!(err.contains("read-only"), "{err}");
        assert_eq!(fs::read_to_string(&p).unwrap(), "old");
        assert_eq!(only_file(dir.path()), 1);
    }

    #[test]
    fn a_hard_linked_file_is_refused_and_the_link_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("okrs.yaml");
        let other = dir.path().join("copy.yaml");
        fs::write(&p, "old").unwrap();
        fs::hard_link(&p, &other).unwrap();
        let err = write_atomic(&p, b"new").unwrap_err().to_string();
        assert!(err.contains("2 hard links"), "{err}");
        assert_eq!(fs::read_to_string(&other).unwrap(), "old");
        assert_eq!(fs::metadata(&p).unwrap().nlink(), 2);
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("okrs.yaml");
        fs::write(&p, "theirs").unwrap();
        let err = replace(&p, Expect::Text(b"what we read"), b"ours")
            .unwrap_err()
            .to_string();
        assert!(err.contains("changed on disk"), "{err}");
        assert_eq!(fs::read_to_string(&p).unwrap(), "theirs");
        let err = replace(&p, Expect::Absent, b"ours").unwrap_err();
        assert!(err.to_string().contains("changed on disk"));
        replace(&p, Expect::Text(b"theirs"), b"ours").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "ours");
        assert_eq!(only_file(dir.path()), 1);
    }

    #[test]
    fn a_new_file_gets_its_mode_from_the_umask() {
        // The process umask is not ours to change in a threaded test, so
        // compare with what the OS gives any new file here.
        let dir = tempfile::tempdir().unwrap();
        let probe = dir.path().join("probe");
        drop(
            std::os::unix::fs::OpenOptionsExt::mode(
                fs::OpenOptions::new().write(true).create_new(true),
                0o666,
            )
            .open(&probe)
            .unwrap(),
        );
        let p = dir.path().join("new.yaml");
        write_atomic(&p, b"new").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&p), mode(&probe));
        assert_ne!(mode(&p), 0o600, "not the private mode of a temp file");
    }

    #[test]
    fn stale_temps_of_dead_processes_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // PID 4194304 is above the kernel's pid_max limit: never alive.
        let dead = d.join(".okr-4194304-abc123.tmp");
        let live = d.join(format!(".okr-{}-abc123.tmp", std::process::id()));
        let init = d.join(".okr-1-abc123.tmp");
        let others = [
            ".okr-abc123.tmp",
            ".okr-4194304-.tmp",
            "okr-4194304-abc.tmp",
            ".okr-4194304-abc.yaml",
            "notes.txt",
        ];
        for p in [&dead, &live, &init] {
            fs::write(p, "x").unwrap();
        }
        for o in others {
            fs::write(d.join(o), "x").unwrap();
        }
        fs::create_dir(d.join(".okr-4194305-dir.tmp")).unwrap();
        write_atomic(&d.join("okrs.yaml"), b"new").unwrap();
        assert!(!dead.exists());
        assert!(live.exists() && init.exists());
        for o in others {
            assert!(d.join(o).exists(), "{o}");
        }
        assert!(d.join(".okr-4194305-dir.tmp").is_dir());
    }

    #[test]
    fn owner_and_group_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("okrs.yaml");
        fs::write(&p, "old").unwrap();
        let me = fs::metadata(&p).unwrap();
        // Only root may give a file away; anyone else checks the common case.
        let (uid, gid) = if me.uid() == 0 {
            (4242, 4243)
        } else {
            (me.uid(), me.gid())
        };
        std::os::unix::fs::chown(&p, Some(uid), Some(gid)).unwrap();
        write_atomic(&p, b"new").unwrap();
        let after = fs::metadata(&p).unwrap();
        assert_eq!((after.uid(), after.gid()), (uid, gid));
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
    }

    #[test]
    fn temp_names_carry_the_pid() {
        assert_eq!(temp_owner(".okr-123-aB9.tmp"), Some(123));
        assert_eq!(temp_owner(".okr-123-a.b.tmp"), None);
        assert_eq!(temp_owner(".okr--abc.tmp"), None);
        assert_eq!(temp_owner(".okr-12x-abc.tmp"), None);
        // `u32::from_str` takes a leading `+`; a temp name never has one.
        assert_eq!(temp_owner(".okr-+12-abc.tmp"), None);
    }
}
