//! Opt-in autocommit: every write command becomes one git commit.
//!
//! Rather than teach each write command about git, the files of the
//! workspace are read before the command runs and compared after it: the
//! files whose text changed are exactly what the command wrote, and the
//! semantic diff of the two versions says what happened, for the message.
//! The commit uses `git commit --only`, so whatever else the user had staged
//! stays staged and out of it, and git's own identity settings.

use std::io::Write;
use std::path::PathBuf;

use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::model::CheckValue;
use crate::model::diff::What;
use crate::render::{diff as describe, percent};
use crate::store::git::Git;
use crate::store::{self, Workspace};

/// The workspace's texts before a command, when autocommit is on.
#[derive(Debug)]
pub struct Snapshot {
    root: PathBuf,
    texts: Vec<(PathBuf, String)>,
}

/// Reads the workspace before a command if `--commit` was given or
/// `settings.git.autocommit` is true; `None` otherwise (or when there is no
/// workspace yet).
pub fn before<W: Write, E: Write>(ctx: &Ctx<W, E>, flag: bool) -> Option<Snapshot> {
    let root = store::discover(ctx.file.as_deref(), &ctx.cwd).ok()?;
    let on = flag || autocommit_set(&root);
    if !on {
        return None;
    }
    let texts = store::read_texts(&root).ok()?;
    Some(Snapshot { root, texts })
}

/// Whether the workspace settings turn autocommit on. Only a file whose
/// text says `autocommit` (or could spell it with an escape) can, so only
/// those are read and parsed (chosen through the stat index when it knows
/// the files): most workspaces read and parse nothing here.
fn autocommit_set(root: &std::path::Path) -> bool {
    Workspace::open_autocommit(root)
        .ok()
        .and_then(|ws| ws.settings().ok())
        .and_then(|s| s.git)
        .and_then(|g| g.autocommit)
        .unwrap_or(false)
}

/// Whether `command` never writes a workspace file, so that autocommit has
/// nothing to look at (and the workspace need not be read before it runs).
pub fn read_only(command: &crate::cli::Command) -> bool {
    use crate::cli::Command as C;
    matches!(
        command,
        C::List(_)
            | C::Show(_)
            | C::Check(_)
            | C::Tree(_)
            | C::Report(_)
            | C::History(_)
            | C::Diff(_)
            | C::Log(_)
            | C::Completions(_)
            | C::Man(_)
            | C::Schema(_)
            | C::Due(_)
            | C::Export(_)
    )
}

/// Commits the files the command changed, if any.
pub fn after<W: Write, E: Write>(ctx: &mut Ctx<W, E>, snap: Option<Snapshot>) -> Result<()> {
    let Some(snap) = snap else {
        return Ok(());
    };
    let now = store::read_texts(&snap.root)?;
    let mut changed: Vec<PathBuf> = now
        .iter()
        .filter(|(p, t)| !snap.texts.iter().any(|(q, u)| q == p && u == t))
        .map(|(p, _)| p.clone())
        .collect();
    changed.extend(
        snap.texts
            .iter()
            .filter(|(p, _)| !now.iter().any(|(q, _)| q == p))
            .map(|(p, _)| p.clone()),
    );
    if changed.is_empty() {
        return Ok(());
    }
    let saved = |e: Error| {
        Error::invalid_with_hint(
            format!("the change was saved but not committed: {e}"),
            "commit it yourself with `git commit`, or turn autocommit off (settings.git.autocommit)",
        )
    };
    let git = Git::open(&snap.root).map_err(saved)?;
    let old = Workspace::from_texts(&snap.root, snap.texts)?;
    let new = Workspace::from_texts(&snap.root, now)?;
    let message = message(&git, &old, &new);
    let rel = changed
        .iter()
        .map(|p| git.relative(p))
        .collect::<Result<Vec<_>>>()
        .map_err(saved)?;
    git.commit_only(&rel, &message).map_err(saved)?;
    ctx.note(&format!("committed: {message}"))
}

/// The commit message: what happened, in one line.
fn message(git: &Git, old: &Workspace, new: &Workspace) -> String {
    let changes = super::diff::between(git, old, new);
    if let [c] = changes.as_slice()
        && let What::CheckInAdded(ci) = &c.what
        && let Some(k) = new.address(&c.id).and_then(|a| new.key_result(a))
    {
        let value = match (ci.value, &k.measure) {
            (CheckValue::Number(n), crate::model::Measure::Metric { unit: Some(u), .. }) => {
                format!("{} {u}", describe::group(n))
            }
            (CheckValue::Number(n), crate::model::Measure::Metric { unit: None, .. }) => {
                describe::group(n)
            }
            (v, m) => crate::render::value_with_unit(m, v),
        };
        return format!(
            "check-in {}: {value} ({})",
            c.id,
            percent(k.progress().progress)
        );
    }
    let mut parts: Vec<String> = changes
        .iter()
        .take(3)
        .map(|c| format!("{} {}: {}", c.item.as_str(), c.id, describe::describe(c)))
        .collect();
    if changes.len() > 3 {
        parts.push(format!("and {} more", changes.len() - 3));
    }
    if parts.is_empty() {
        "okr: update OKR files".to_string()
    } else {
        format!("okr: {}", parts.join("; "))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn workspace(settings: &str) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("okrs");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("a.yaml"), "version: 1\nobjectives: []\n").unwrap();
        std::fs::write(
            root.join("s.yaml"),
            format!("version: 1\nsettings:\n{settings}"),
        )
        .unwrap();
        d
    }

    #[test]
    fn only_the_settings_decide_and_other_files_are_not_needed() {
        let on = |settings: &str| autocommit_set(&workspace(settings).path().join("okrs"));
        assert!(on("  git:\n    autocommit: true\n"));
        assert!(!on("  git:\n    autocommit: false\n"));
        assert!(!on("  fiscal_year_start: april\n"));
        // Spelled with an escape, it still counts.
        assert!(on("  git: {\"auto\\x63ommit\": true}\n"));
    }
}
