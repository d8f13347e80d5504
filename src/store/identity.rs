//! Who "me" is: the user settings' `name`, else `git config user.name`,
//! else `$USER` (`%USERNAME%` on Windows).
//!
//! Lives in the store because it reads the outside world (a git process,
//! the environment); the lead may move the git call next to store/git.rs.

use std::path::Path;
use std::process::{Command, Stdio};

/// A name and where it came from (for `okr config`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The name.
    pub name: String,
    /// `user settings`, `git config user.name` or `$USER`.
    pub source: &'static str,
}

/// Finds "me", asking git in `cwd`; `user_name` is the user settings' name.
pub fn me(user_name: Option<&str>, cwd: &Path) -> Option<Identity> {
    let found = |name: String, source| Some(Identity { name, source });
    if let Some(n) = user_name.map(str::trim).filter(|n| !n.is_empty()) {
        return found(n.to_string(), "user settings");
    }
    if let Some(n) = git_user_name(cwd) {
        return found(n, "git config user.name");
    }
    let env = |k| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    if let Some(n) = env("USER") {
        return found(n, "$USER");
    }
    env("USERNAME").and_then(|n| found(n, "$USERNAME"))
}

/// `git config user.name` in `cwd`, or `None` when git is missing, fails or
/// has no name.
fn git_user_name(cwd: &Path) -> Option<String> {
    let out = Command::new("git")
        .args(["config", "--get", "user.name"])
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let name = String::from_utf8(out.stdout).ok()?;
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_string())
}
