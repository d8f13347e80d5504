//! Refusing files that still hold merge conflict markers.
//!
//! A file left half-merged by git parses as broken YAML at best and as the
//! wrong model at worst (a `=======` line can hide inside a block scalar), so
//! it is refused before parsing, naming every marker line.

use std::path::Path;

use super::error::{Location, StoreError};

/// Whether a line is a conflict marker git writes (`<<<<<<< `, `=======`,
/// `>>>>>>> `, and `|||||||` in diff3 style).
fn is_marker(line: &str) -> bool {
    let line = line.trim_end_matches('\r');
    line == "======="
        || ["<<<<<<<", ">>>>>>>", "|||||||"]
            .iter()
            .any(|m| line == *m || line.strip_prefix(m).is_some_and(|r| r.starts_with(' ')))
}

/// An error naming every conflict-marker line of `text`, if it has any.
pub fn check(path: &Path, text: &str) -> Result<(), StoreError> {
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| is_marker(l))
        .map(|(i, _)| i + 1)
        .collect();
    let Some(&first) = lines.first() else {
        return Ok(());
    };
    // Only a real conflict: an opening and a closing marker.
    let text_lines: Vec<&str> = text.lines().collect();
    let has = |m: &str| lines.iter().any(|&n| text_lines[n - 1].starts_with(m));
    if !(has("<<<<<<<") && has(">>>>>>>")) {
        return Ok(());
    }
    let list = lines
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Err(StoreError::Invalid {
        location: Box::new(Location::new(path.to_path_buf(), text, first, 1)),
        message: format!(
            "unresolved merge conflict: conflict markers on line{} {list}; keep the right lines between the markers, delete the markers, then `git add` the file",
            if lines.len() == 1 { "" } else { "s" }
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_marker_line() {
        let text = "version: 1\n<<<<<<< ours\na: 1\n=======\na: 2\n>>>>>>> theirs\n";
        let e = check(Path::new("okrs.yaml"), text)
            .err()
            .map(|e| e.to_string());
        let e = e.unwrap_or_default();
        assert!(e.contains("conflict markers on lines 2, 4, 6"), "{e}");
    }

    #[test]
    fn a_lone_rule_of_equals_signs_is_not_a_conflict() {
        assert!(check(Path::new("x"), "note: |\n  =======\n").is_ok());
    }
}
