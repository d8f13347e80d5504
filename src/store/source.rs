//! Where a workspace's texts come from: the disk or a git revision.
//!
//! Every source yields (path, text) pairs for [`Workspace::from_texts`], so
//! a file at a revision goes through exactly the parser and checks a file on
//! disk does. Paths from a revision are the paths the files have (or would
//! have) in the working tree, so two sources of one workspace line up.

use std::path::{Path, PathBuf};

use super::Workspace;
use super::git::Git;
use crate::error::Result;

/// A place to read a workspace from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The working tree.
    Disk,
    /// A git revision (commit, branch, tag, `HEAD~2` …).
    Rev(String),
}

impl Source {
    /// `working tree` or the revision as typed.
    pub fn label(&self) -> &str {
        match self {
            Source::Disk => "working tree",
            Source::Rev(r) => r,
        }
    }
}

/// The (path, text) pairs of the workspace at `root` as `source` has them.
pub fn texts(git: Option<&Git>, source: &Source, root: &Path) -> Result<Vec<(PathBuf, String)>> {
    match (source, git) {
        (Source::Disk, _) => Ok(super::read_texts(root)?),
        (Source::Rev(rev), Some(git)) => texts_at(git, rev, root),
        (Source::Rev(rev), None) => {
            let git = Git::open(root)?;
            texts_at(&git, rev, root)
        }
    }
}

/// Loads the workspace at `root` from `source`.
pub fn load(git: Option<&Git>, source: &Source, root: &Path) -> Result<Workspace> {
    Ok(Workspace::from_texts(root, texts(git, source, root)?)?)
}

/// The workspace's files at `rev`: the file itself, or every `*.yaml` /
/// `*.yml` below the directory (skipping dot-files), read in one batch. A
/// workspace that did not exist at `rev` has no files.
pub fn texts_at(git: &Git, rev: &str, root: &Path) -> Result<Vec<(PathBuf, String)>> {
    git.rev_parse(rev)?;
    let rel = git.relative(root)?;
    let paths: Vec<String> = if root.is_dir() {
        git.ls_tree(rev, &rel)?
            .into_iter()
            .filter(|p| is_workspace_file(p, &rel))
            .collect()
    } else {
        vec![rel]
    };
    let texts = git.cat_files(rev, &paths)?;
    let top = root_top(git, root);
    Ok(paths
        .iter()
        .zip(texts)
        .filter_map(|(p, t)| t.map(|t| (top.join(p), t)))
        .collect())
}

/// The directory that `root`'s git-relative paths are relative to, spelled
/// as the caller spelled `root`, so that paths from git and from disk match.
fn root_top(git: &Git, root: &Path) -> PathBuf {
    let Ok(rel) = git.relative(root) else {
        return git.top().to_path_buf();
    };
    let depth = rel.split('/').filter(|s| !s.is_empty()).count();
    let mut top = root.to_path_buf();
    for _ in 0..depth {
        if !top.pop() {
            return git.top().to_path_buf();
        }
    }
    top
}

pub(super) fn is_workspace_file(path: &str, prefix: &str) -> bool {
    let below = path
        .strip_prefix(prefix)
        .unwrap_or(path)
        .trim_start_matches('/');
    let yaml = below.ends_with(".yaml") || below.ends_with(".yml");
    yaml && !below.split('/').any(|c| c.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_dot_files_and_other_extensions() {
        assert!(is_workspace_file("okrs/a.yaml", "okrs"));
        assert!(is_workspace_file("okrs/team/b.yml", "okrs"));
        assert!(!is_workspace_file("okrs/.hidden/b.yml", "okrs"));
        assert!(!is_workspace_file("okrs/notes.md", "okrs"));
    }
}
