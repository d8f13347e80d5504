//! Trust for `source:` commands, like direnv's `allow`: a command that
//! arrives in a file pulled from git must never run by surprise.
//!
//! `okr trust` records, per workspace (its canonical path), the blake3 hash
//! of each key result's source command in `trusted.json` in the user config
//! directory (store/user.rs), outside any repository. A source runs only
//! when its current hash is recorded for that key result.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{StoreError, fsio, user};

/// The trust file's name inside the user config directory.
pub const FILE: &str = "trusted.json";

/// Trusted hashes: workspace path → key result ID → hash of its command.
pub type Trusted = BTreeMap<String, BTreeMap<String, String>>;

/// Whether a source may run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Recorded with this exact command.
    Trusted,
    /// Never trusted.
    New,
    /// Trusted once, but the command changed since.
    Changed,
}

/// The hash recorded for a command.
pub fn hash(command: &str) -> String {
    blake3::hash(command.as_bytes()).to_hex().to_string()
}

/// The key under which a workspace's hashes are kept.
pub fn workspace_key(root: &Path) -> String {
    std::fs::canonicalize(root)
        .unwrap_or_else(|_| root.to_path_buf())
        .display()
        .to_string()
}

fn path() -> Option<PathBuf> {
    user::config_dir().map(|d| d.join(FILE))
}

/// Reads the trust file (empty when missing).
pub fn load() -> Result<Trusted, StoreError> {
    let Some(p) = path() else {
        return Ok(Trusted::new());
    };
    match std::fs::read_to_string(&p) {
        Ok(t) => serde_json::from_str(&t).map_err(|e| StoreError::EditFailed {
            path: p,
            detail: format!("not a valid trust file: {e}"),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Trusted::new()),
        Err(e) => Err(StoreError::io(&p, e)),
    }
}

/// The verdict on `command` of key result `kr` in workspace `ws_key`.
pub fn verdict(t: &Trusted, ws_key: &str, kr: &str, command: &str) -> Verdict {
    match t.get(ws_key).and_then(|m| m.get(kr)) {
        Some(h) if *h == hash(command) => Verdict::Trusted,
        Some(_) => Verdict::Changed,
        None => Verdict::New,
    }
}

/// Replaces the recorded commands of a workspace with `sources`
/// (key result ID, command) and writes the file atomically.
pub fn record(ws_key: &str, sources: &[(String, String)]) -> Result<PathBuf, StoreError> {
    let p = path().ok_or_else(|| StoreError::EditFailed {
        path: PathBuf::from(FILE),
        detail: "no config directory: set HOME, XDG_CONFIG_HOME or OKR_CONFIG_DIR".into(),
    })?;
    let mut t = load()?;
    let entry = sources.iter().map(|(k, c)| (k.clone(), hash(c))).collect();
    t.insert(ws_key.to_string(), entry);
    let mut text = serde_json::to_string_pretty(&t).unwrap_or_default();
    text.push('\n');
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d).map_err(|e| StoreError::io(d, e))?;
    }
    fsio::write_atomic(&p, text.as_bytes())?;
    Ok(p)
}
