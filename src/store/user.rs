//! User settings: one small YAML file in the platform's config directory.
//!
//! `$OKR_CONFIG_DIR` when set (tests, portable setups), else
//! `$XDG_CONFIG_HOME/okr`, else `~/.config/okr` on Unix (XDG, also on macOS,
//! where command-line tools conventionally use ~/.config), and
//! `%APPDATA%\okr` on Windows. Written by hand instead of with a crate: four
//! lines of environment lookups. The same directory holds `trusted` (the
//! hashes of trusted `source:` commands).
//!
//! Writes are lossless (only the changed key is edited, comments stay) and
//! atomic, like workspace writes.

use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use yaml_edit::{Document as YamlDoc, YamlNode};

use super::{StoreError, fsio};

/// The user settings file's name inside [`config_dir`].
pub const FILE: &str = "config.yaml";

/// The keys a user settings file may hold.
pub const KEYS: [&str; 4] = ["name", "color", "pager", "format"];

/// Personal settings that no workspace should decide.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSettings {
    /// Your name: "me" for `okr due` and the default check-in author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Colour when `--color` is not given: auto, always or never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Pager command for long output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pager: Option<String>,
    /// Default output format of commands that take `--format`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

impl UserSettings {
    /// The value of `key`, if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        match key {
            "name" => self.name.as_deref(),
            "color" => self.color.as_deref(),
            "pager" => self.pager.as_deref(),
            "format" => self.format.as_deref(),
            _ => None,
        }
    }
}

/// The directory of user settings, or `None` when no home is known.
pub fn config_dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(d) = var("OKR_CONFIG_DIR") {
        return Some(d);
    }
    if cfg!(windows) {
        return var("APPDATA").map(|d| d.join("okr"));
    }
    var("XDG_CONFIG_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".config")))
        .map(|d| d.join("okr"))
}

/// The user settings file's path.
pub fn path() -> Option<PathBuf> {
    config_dir().map(|d| d.join(FILE))
}

/// Reads the user settings; a missing file is empty settings.
pub fn load() -> Result<UserSettings, StoreError> {
    let Some(p) = path() else {
        return Ok(UserSettings::default());
    };
    let text = match std::fs::read_to_string(&p) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(UserSettings::default()),
        Err(e) => return Err(StoreError::io(&p, e)),
    };
    parse(&p, &text)
}

fn parse(p: &std::path::Path, text: &str) -> Result<UserSettings, StoreError> {
    if text.trim().is_empty() {
        return Ok(UserSettings::default());
    }
    // A located user error (exit 1), like a bad workspace file.
    serde_saphyr::from_str(text).map_err(|e| super::explain::error(p, text, &e))
}

/// Sets one key in the user settings file, editing only that key's line,
/// and returns the file's path.
pub fn set(key: &str, value: &str) -> Result<PathBuf, StoreError> {
    let Some(p) = path() else {
        return Err(StoreError::EditFailed {
            path: PathBuf::from("~/.config/okr"),
            detail: "no config directory: set HOME, XDG_CONFIG_HOME or OKR_CONFIG_DIR".into(),
        });
    };
    let old = match std::fs::read_to_string(&p) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(StoreError::io(&p, e)),
    };
    let mut expected = parse(&p, &old)?;
    let fail = |detail: String| StoreError::EditFailed {
        path: p.clone(),
        detail,
    };
    let new = edit(&old, key, value).map_err(fail)?;
    match key {
        "name" => expected.name = Some(value.to_string()),
        "color" => expected.color = Some(value.to_string()),
        "pager" => expected.pager = Some(value.to_string()),
        _ => expected.format = Some(value.to_string()),
    }
    if parse(&p, &new)? != expected {
        return Err(fail(
            "the edited file does not read back as intended".into(),
        ));
    }
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d).map_err(|e| StoreError::io(d, e))?;
    }
    fsio::write_atomic(&p, new.as_bytes())?;
    Ok(p)
}

/// `text` with `key` set to the string `value`, everything else as it was.
fn edit(text: &str, key: &str, value: &str) -> Result<String, String> {
    let line = serde_saphyr::to_string(&std::collections::BTreeMap::from([(key, value)]))
        .map_err(|e| e.to_string())?;
    if text.trim().is_empty() {
        return Ok(format!("{text}{line}"));
    }
    let doc = YamlDoc::from_str(text).map_err(|e| format!("cannot edit this YAML: {e}"))?;
    let root = doc
        .as_mapping()
        .ok_or_else(|| "the top level is not a mapping".to_string())?;
    let node: YamlNode = YamlDoc::from_str(&line)
        .ok()
        .and_then(|d| d.as_mapping())
        .and_then(|m| m.get(key))
        .ok_or_else(|| "could not render the value".to_string())?;
    root.set(key, node);
    let mut out = doc.to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn edit_changes_one_key_and_keeps_comments() {
        let text = "# mine\nname: Ada   # me\ncolor: never\n";
        let out = edit(text, "color", "always").unwrap();
        assert_eq!(out, "# mine\nname: Ada   # me\ncolor: always\n");
        let out = edit(text, "pager", "less -R").unwrap();
        assert!(
            out.starts_with("# mine\nname: Ada   # me\ncolor: never\n"),
            "{out}"
        );
        assert!(out.contains("pager: less -R"), "{out}");
        assert_eq!(edit("", "name", "Ada").unwrap(), "name: Ada\n");
    }
}
