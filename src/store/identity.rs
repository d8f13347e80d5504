//! Who "me" is: the user settings' `name`, else `git config user.name`,
//! else `$USER` (`%USERNAME%` on Windows).
//!
//! Lives in the store because it reads the outside world (git's
//! configuration through store/git.rs, the only code that runs git; the
//! environment). This file only decides the order of the fallbacks.

use std::path::Path;

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
    if let Some(n) = super::git::config_get(cwd, "user.name") {
        return found(n, "git config user.name");
    }
    let env = |k| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    if let Some(n) = env("USER") {
        return found(n, "$USER");
    }
    env("USERNAME").and_then(|n| found(n, "$USERNAME"))
}
