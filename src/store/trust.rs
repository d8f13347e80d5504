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
use crate::model::Document;
use crate::model::lint::{Finding, PathStep};

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

/// The `untrusted-source` findings of `okr check`: one per key result whose
/// `source:` may not run, located at the command. Made here, not in the
/// pure model, because trust is a fact of this machine's config directory.
pub fn findings(t: &Trusted, ws_key: &str, docs: &[(usize, &Document)]) -> Vec<Finding> {
    let mut out = Vec::new();
    for &(file, doc) in docs {
        for (oi, o) in doc.objectives.iter().enumerate() {
            for (ki, k) in o.key_results.iter().enumerate() {
                let Some(cmd) = &k.source else { continue };
                let why = match verdict(t, ws_key, &k.id, cmd) {
                    Verdict::Trusted => continue,
                    Verdict::New => "is not trusted yet",
                    Verdict::Changed => "changed since it was trusted",
                };
                let key = |k: &'static str| PathStep::Key(k.into());
                out.push(Finding::new(
                    "untrusted-source",
                    file,
                    vec![
                        key("objectives"),
                        PathStep::Index(oi),
                        key("key_results"),
                        PathStep::Index(ki),
                        key("source"),
                    ],
                    format!(
                        "the source of `{}` {why}: `{cmd}`; read it, then run `okr trust` to allow it",
                        k.id
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_new_and_changed_sources_are_findings() {
        let doc: Document = serde_saphyr::from_str(
            "version: 1\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q3\n    key_results:\n      - id: a\n        title: A\n        target: 5\n        source: echo 1\n      - id: b\n        title: B\n        target: 5\n        source: echo 2\n      - id: c\n        title: C\n        target: 5\n        source: echo 3\n      - id: d\n        title: D\n        target: 5\n",
        )
        .unwrap();
        let mut t = Trusted::new();
        t.insert(
            "/ws".into(),
            BTreeMap::from([
                ("a".to_string(), hash("echo 1")),
                ("b".to_string(), hash("echo old")),
            ]),
        );
        let found = findings(&t, "/ws", &[(3, &doc)]);
        let got: Vec<(&str, usize, &str)> = found
            .iter()
            .map(|f| (f.rule, f.file, f.message.as_str()))
            .collect();
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].2.contains("`b` changed") && got[0].2.contains("echo 2"));
        assert!(got[1].2.contains("`c` is not trusted yet"));
        assert!(got.iter().all(|g| g.0 == "untrusted-source" && g.1 == 3));
        assert_eq!(found[1].path.last(), Some(&PathStep::Key("source".into())));
        assert_eq!(found[1].path[3], PathStep::Index(2));
        // Another workspace's trust does not count.
        assert_eq!(findings(&t, "/other", &[(0, &doc)]).len(), 3);
    }
}
