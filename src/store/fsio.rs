//! The only code that writes to disk: atomic replacement and the workspace lock.
//!
//! A write goes to a temporary file in the target's own directory (so the
//! rename cannot cross file systems), is flushed and fsynced, takes the old
//! file's permissions and is renamed over the target; then the directory is
//! fsynced so the rename itself survives a crash. A symlink is resolved first,
//! so the link stays a link and its target gets the new contents.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::StoreError;

/// Replaces `path` with `contents` atomically.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), StoreError> {
    let target = resolve_symlinks(path)?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let existing = fs::metadata(&target).ok();
    let mut tmp = tempfile::Builder::new()
        .prefix(".okr-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| StoreError::io(&dir, e))?;
    let io = |e| StoreError::io(&target, e);
    tmp.write_all(contents).map_err(io)?;
    tmp.flush().map_err(io)?;
    if let Some(meta) = &existing {
        fs::set_permissions(tmp.path(), meta.permissions()).map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(&target)
        .map_err(|e| StoreError::io(&target, e.error))?;
    // Make the rename durable. Not every platform can open a directory.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
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

/// An exclusive lock on a workspace, held until dropped.
///
/// The lock is taken on the workspace directory (for a single-file workspace,
/// the file's directory) rather than on the file: the file is replaced by
/// rename on every write, so a lock on it would guard an inode nobody reads
/// any more. Taking it on the directory leaves no lock file behind in git.
#[derive(Debug)]
pub struct WorkspaceLock {
    _file: File,
}

impl WorkspaceLock {
    /// Blocks until the lock on `dir` is ours.
    pub fn acquire(dir: &Path) -> Result<Self, StoreError> {
        let file = File::open(dir).map_err(|e| StoreError::io(dir, e))?;
        file.lock().map_err(|e| StoreError::io(dir, e))?;
        Ok(WorkspaceLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
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
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
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
}
