//! Typed reading of one file with serde-saphyr.
//!
//! The parser's budget is set explicitly: generous enough for a file that has
//! collected half a million check-ins over the years, but alias expansion is
//! kept at the library's strict defaults, so a "billion laughs" file is
//! refused instead of eating the machine.

use std::path::Path;

use serde_saphyr::{Budget, Options};

use super::error::StoreError;
use crate::model::Document;

/// Events one check-in takes at most, with every optional field present.
const EVENTS_PER_CHECK_IN: usize = 14;
/// The largest file we promise to load: 500,000 check-ins, with headroom.
const MAX_CHECK_INS: usize = 1_000_000;

fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_events = MAX_CHECK_INS * EVENTS_PER_CHECK_IN;
    budget.max_nodes = MAX_CHECK_INS * EVENTS_PER_CHECK_IN;
    budget.max_total_scalar_bytes = 512 * 1024 * 1024;
    budget.max_total_comment_bytes = 512 * 1024 * 1024;
    budget.max_documents = 1;
    // Aliases stay at the defaults: anchors are rare in OKR files, and the
    // default caps on recorded alias events are what stop an alias bomb.
    let mut options = Options::default();
    options.budget = Some(budget);
    options.emit_comments = false;
    // A tag okr does not know means something to some other tool.
    options.reject_unsupported_tags = true;
    // Merge keys (`<<: *base`) load, but no edit of a merged field can be
    // written back as it reads: refuse them rather than load a file that
    // cannot be saved.
    options.merge_keys = serde_saphyr::MergeKeyPolicy::Error;
    options
}

/// Parses `text` (the contents of `path`) into a document. Errors name the
/// line that is really wrong and say why in plain words (store/explain.rs).
pub fn parse(path: &Path, text: &str) -> Result<Document, StoreError> {
    super::conflict::check(path, text)?;
    let doc = serde_saphyr::from_str_with_options::<Document>(text, options())
        .map_err(|e| super::explain::error(path, text, &e))?;
    super::validate::check(path, text, &doc)?;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_minimal_file() {
        let doc = parse(Path::new("x.yaml"), "version: 1\n").unwrap();
        assert!(doc.objectives.is_empty());
    }

    #[test]
    fn newer_version_is_refused_at_the_field() {
        let err = parse(Path::new("x.yaml"), "# hi\nversion: 2\n").unwrap_err();
        let s = err.to_string();
        assert!(s.starts_with("x.yaml:2:"), "{s}");
        assert!(s.contains("version 2"), "{s}");
    }

    #[test]
    fn unknown_top_level_key_is_refused() {
        let err = parse(Path::new("x.yaml"), "version: 1\nobjectivs: []\n").unwrap_err();
        assert!(err.to_string().contains("objectivs"), "{err}");
    }

    #[test]
    fn alias_bomb_is_refused() {
        // The bomb hides under an unknown key of an objective, which typed
        // reading skips: only the budget can stop it.
        let mut s = String::from(
            "version: 1\nobjectives:\n  - id: a\n    title: A\n    period: 2026-Q3\n    x-bomb:\n      a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
        );
        for i in 1..12 {
            let p = i - 1;
            s.push_str(&format!(
                "      a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = parse(Path::new("bomb.yaml"), &s).unwrap_err().to_string();
        assert!(err.contains("budget") || err.contains("alias"), "{err}");
    }

    #[test]
    fn a_few_aliases_are_fine() {
        let s = "version: 1\nobjectives:\n  - id: a\n    title: &t A\n    period: 2026-Q3\n    description: *t\n";
        assert_eq!(
            parse(Path::new("x.yaml"), s).unwrap().objectives[0]
                .description
                .as_deref(),
            Some("A")
        );
    }
}
