//! From a file's bytes to its text, refusing what is not a readable OKR
//! file before the YAML parser sees it, each with a location:
//! UTF-16/UTF-32 (by byte order mark), invalid UTF-8 (the first bad byte),
//! and an empty file. (Conflict markers are refused by store/conflict.rs,
//! for texts from any source.)
//!
//! It also gives the parser's messages plain words where the library's are
//! cryptic (`budget breached: Documents`).

use std::fs;
use std::path::Path;

use super::error::{Location, StoreError};

/// Reads `path` as UTF-8 text fit for the YAML reader.
pub fn read(path: &Path) -> Result<String, StoreError> {
    let bytes = fs::read(path).map_err(|e| StoreError::io(path, e))?;
    decode(path, bytes)
}

/// [`read`] for bytes already in memory.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, StoreError> {
    let invalid = |text: &str, line: usize, col: usize, message: String| StoreError::Invalid {
        location: Box::new(Location::new(path.to_path_buf(), text, line, col)),
        message,
    };
    for (bom, name) in [
        (&[0xff, 0xfe, 0, 0][..], "UTF-32"),
        (&[0, 0, 0xfe, 0xff][..], "UTF-32"),
        (&[0xff, 0xfe][..], "UTF-16"),
        (&[0xfe, 0xff][..], "UTF-16"),
    ] {
        if bytes.starts_with(bom) {
            return Err(invalid(
                "",
                1,
                1,
                format!(
                    "the file is {name}; okr reads UTF-8 only (convert it, e.g. `iconv -f {name} -t UTF-8`)"
                ),
            ));
        }
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            let before = String::from_utf8_lossy(&bytes[..at]);
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err(invalid(
                &lossy,
                line,
                col,
                format!(
                    "byte 0x{:02x} is not valid UTF-8; okr reads UTF-8 only (was the file saved as Latin-1?)",
                    bytes[at]
                ),
            ));
        }
    };
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(invalid(
            &text,
            1,
            1,
            "the file is empty; an OKR file holds at least `version: 1`".to_string(),
        ));
    }
    Ok(text)
}

/// The parser's message in plain words where the library's is cryptic.
pub fn explain(message: String) -> String {
    if message.contains("budget breached: Documents") {
        return "more than one YAML document (`---`) in one file; keep one document per file"
            .into();
    }
    if message.contains("budget breached")
        && (message.contains("Anchor") || message.contains("Alias"))
    {
        return "the file expands aliases too often to read safely (an alias bomb?); write the values out instead".into();
    }
    if message.contains("budget breached") {
        return format!(
            "the file is too large or too deeply nested to read safely ({message}); an alias bomb or runaway nesting?"
        );
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest);
        return format!("duplicate key `{key}`: each key may appear once in a mapping");
    }
    if message.contains("merge keys are not allowed") {
        return "merge keys (`<<:`) are not supported: okr could not write the file back as it reads; write the values out".into();
    }
    if message.contains("found a tab") {
        return format!("{message}: YAML is indented with spaces, never tabs");
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> String {
        decode(Path::new("x.yaml"), bytes.to_vec())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn bad_encodings_are_refused_with_a_place() {
        let e = err(b"version: 1\nobjectives:\n  - title: caf\xe9\n");
        assert!(
            e.starts_with("x.yaml:3:15: byte 0xe9 is not valid UTF-8"),
            "{e}"
        );
        let e = err(b"\xff\xfev\x00");
        assert!(e.starts_with("x.yaml:1:1: the file is UTF-16"), "{e}");
    }

    #[test]
    fn empty_files_are_refused() {
        assert!(err(b"\n  \n").contains("the file is empty"));
    }

    #[test]
    fn ordinary_text_passes() {
        let t = "version: 1\n# ======= a comment\n";
        assert_eq!(
            decode(Path::new("x.yaml"), t.as_bytes().to_vec()).unwrap(),
            t
        );
    }
}
