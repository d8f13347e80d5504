//! One lock per real file: every `okr` process that may write a file holds
//! an exclusive lock on the real directory that holds it.
//!
//! Why directories: files are replaced by rename on every write, so a lock
//! on a file would guard an inode nobody reads any more; a lock file next to
//! the data would show up in `git status`. A directory keeps its inode, and
//! `flock` on it leaves nothing behind.
//!
//! Why *real* directories: the same file can be reached as `okrs.yaml`,
//! `./okrs.yaml`, `/abs/okrs.yaml`, through a symlink, or as one file of the
//! directory workspace `okrs/`. Every path is canonicalised (symlinks
//! resolved, `.`/`..` removed) and the lock is taken on the canonical parent
//! directory of every real file the command reads, plus the canonical
//! workspace directory itself (where new files are created). Two processes
//! that can touch the same file therefore always share at least one lock.
//! Locks are taken in sorted order, so two processes never wait on each
//! other in a cycle. A hard-linked file is refused on write by
//! [`super::fsio::replace`], so two names for one inode in two directories
//! never need a common lock.
//!
//! Where locks do not work (some network file systems refuse `flock`, or
//! grant it per client only), [`super::fsio::replace`] still compares the
//! file's content hash with what was read just before replacing it, and
//! refuses when another writer got there first: the second writer fails
//! loudly instead of losing the first writer's update.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use super::error::StoreError;

/// Exclusive locks on the real directories of a workspace, held until
/// dropped.
#[derive(Debug)]
pub struct WorkspaceLock {
    held: Vec<(PathBuf, File)>,
}

impl WorkspaceLock {
    /// Blocks until every directory holding a real file of the workspace at
    /// `root` (a file or a directory) is locked by this process.
    pub fn acquire(root: &Path) -> Result<Self, StoreError> {
        // The set of files can change while we wait (another okr adds a
        // file in a new directory): take the locks, list again, and start
        // over in the rare case a directory appeared that we do not hold.
        loop {
            let dirs = lock_dirs(root)?;
            let held = dirs
                .iter()
                .map(|d| lock_dir(d).map(|f| (d.clone(), f)))
                .collect::<Result<Vec<_>, _>>()?;
            if lock_dirs(root)?.is_subset(&dirs) {
                return Ok(WorkspaceLock { held });
            }
        }
    }

    /// The canonical directories this lock holds, sorted.
    pub fn dirs(&self) -> impl Iterator<Item = &Path> {
        self.held.iter().map(|(d, _)| d.as_path())
    }
}

fn lock_dir(dir: &Path) -> Result<File, StoreError> {
    let file = File::open(dir).map_err(|e| StoreError::io(dir, e))?;
    file.lock().map_err(|e| StoreError::io(dir, e))?;
    Ok(file)
}

/// The canonical directories that hold the workspace's real files.
pub fn lock_dirs(root: &Path) -> Result<BTreeSet<PathBuf>, StoreError> {
    let canon = |p: &Path| fs::canonicalize(p).map_err(|e| StoreError::io(p, e));
    let mut dirs = BTreeSet::new();
    let real_root = canon(root)?;
    let root_is_dir = real_root.is_dir();
    if root_is_dir {
        dirs.insert(real_root.clone());
    }
    for (file, linked) in super::walk_unsorted(root)? {
        // A file no link leads to is where the walk found it below the
        // real root: resolving it would cost a system call per component.
        let real = match file.strip_prefix(root) {
            Ok(rel) if root_is_dir && !linked => real_root.join(rel),
            // A file that vanished meanwhile is reported by the read that follows.
            _ => match fs::canonicalize(&file) {
                Ok(real) => real,
                Err(_) => continue,
            },
        };
        if let Some(parent) = real.parent() {
            dirs.insert(parent.to_path_buf());
        }
    }
    Ok(dirs)
}

pub fn refuse_dir_loop(parent: &Path, child: &Path) -> Result<(), StoreError> {
    let is_link = fs::symlink_metadata(child).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(());
    }
    let (Ok(p), Ok(c)) = (fs::canonicalize(parent), fs::canonicalize(child)) else {
        return Ok(());
    };
    if p.starts_with(&c) {
        return Err(StoreError::io(
            child,
            std::io::Error::other(format!(
                "symbolic link loop: it leads back to {}, which contains it",
                c.display()
            )),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_to_a_file_locks_its_real_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let okrs = tmp.path().join("okrs/team");
        fs::create_dir_all(&okrs).unwrap();
        let file = okrs.join("a.yaml");
        fs::write(&file, "version: 1\n").unwrap();
        let link = tmp.path().join("link.yaml");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let real_dir = fs::canonicalize(&okrs).unwrap();

        for path in [
            file.clone(),
            link,
            tmp.path().join("okrs/team/../team/./a.yaml"),
            tmp.path().join("okrs"),
        ] {
            let dirs = lock_dirs(&path).unwrap();
            assert!(dirs.contains(&real_dir), "{path:?} -> {dirs:?}");
        }
    }

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("okrs.yaml");
        fs::write(&file, "version: 1\n").unwrap();
        let link = tmp.path().join("sub");
        std::os::unix::fs::symlink(tmp.path(), &link).unwrap();
        let first = WorkspaceLock::acquire(&file).unwrap();
        // Another open file description on the same real directory, reached
        // through a symlinked directory, must not get the lock.
        let other = File::open(fs::canonicalize(&link).unwrap()).unwrap();
        assert!(other.try_lock().is_err());
        drop(first);
        assert!(other.try_lock().is_ok());
    }
}
