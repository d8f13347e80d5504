//! Rules every file must pass after typed reading, so that nothing a file
//! can hold poisons the store: a file that loads can always be written, and
//! what it says means the same to okr and to every other YAML tool.
//!
//! - Numbers are finite. `.nan` and `.inf` are valid YAML floats and serde
//!   reads them into any `f64` field, but no progress, pace or grade can be
//!   computed from them, and the lossless writer cannot reproduce them
//!   exactly. They are refused at their line and column.
//! - IDs written by hand follow the rules of IDs okr makes
//!   ([`crate::model::id::validate`]): lowercase ASCII letters, digits, `-`,
//!   `_`, `.`; so no control or invisible character, no `#` that turns into
//!   a Markdown heading, no look-alike of another ID.

use std::path::Path;

use serde_saphyr::{Budget, NonFiniteFloatPolicy, Options};

use super::error::{Location, StoreError};
use super::locate::{self, Step};
use crate::model::{Document, id};

/// Checks a parsed document against the rules above.
pub fn check(path: &Path, text: &str, doc: &Document) -> Result<(), StoreError> {
    check_finite(path, text)?;
    check_ids(path, text, doc)
}

/// Refuses `.nan`, `.inf` and `-.inf` wherever they stand as numbers.
fn check_finite(path: &Path, text: &str) -> Result<(), StoreError> {
    // The spellings YAML reads as non-finite floats all contain one of these
    // (case aside); a file without them needs no second look.
    let lower = |s: &str| text.contains(s) || text.contains(&s.to_uppercase());
    if !(lower(".nan") || lower(".inf") || text.contains(".NaN") || text.contains(".Inf")) {
        return Ok(());
    }
    let mut budget = Budget::default();
    budget.max_events = usize::MAX / 2;
    budget.max_nodes = usize::MAX / 2;
    budget.max_total_scalar_bytes = 512 * 1024 * 1024;
    budget.max_total_comment_bytes = 512 * 1024 * 1024;
    budget.max_documents = 1;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.non_finite_float_policy = NonFiniteFloatPolicy::Reject;
    let Err(e) = serde_saphyr::from_str_with_options::<serde_json::Value>(text, options) else {
        return Ok(());
    };
    match e.without_snippet() {
        serde_saphyr::Error::NonFiniteFloat { value, location } => Err(StoreError::Invalid {
            location: Box::new(Location::new(
                path.to_path_buf(),
                text,
                location.line() as usize,
                location.column() as usize,
            )),
            message: format!(
                "`{value}` is not a usable number: NaN and infinities are refused; write a finite \
                 number, or quote the text ('{value}') if it is meant as words"
            ),
        }),
        _ => Ok(()),
    }
}

/// Refuses an ID okr itself would never accept.
fn check_ids(path: &Path, text: &str, doc: &Document) -> Result<(), StoreError> {
    let check = |id: &str, steps: &[Step<'_>]| {
        id::validate(id).map_err(|message| {
            let (line, col) = locate::locate(text, steps);
            StoreError::Invalid {
                location: Box::new(Location::new(path.to_path_buf(), text, line, col)),
                message: format!(
                    "{message}; hand-written IDs follow the same rules (no spaces, capitals, `#`, \
                     control or invisible characters)"
                ),
            }
        })
    };
    use Step::{Index, Key};
    for (oi, o) in doc.objectives.iter().enumerate() {
        let obj = [Key("objectives"), Index(oi)];
        check(&o.id, &[&obj[..], &[Key("id")]].concat())?;
        for (ki, k) in o.key_results.iter().enumerate() {
            let kr = [&obj[..], &[Key("key_results"), Index(ki)]].concat();
            check(&k.id, &[&kr[..], &[Key("id")]].concat())?;
            for (ii, i) in k.initiatives.iter().enumerate() {
                let steps = [&kr[..], &[Key("initiatives"), Index(ii), Key("id")]].concat();
                check(&i.id, &steps)?;
            }
        }
    }
    for (i, k) in doc.kpis.iter().enumerate() {
        check(&k.id, &[Key("kpis"), Index(i), Key("id")])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::parse::parse;

    const HEAD: &str = "version: 1\nobjectives:\n  - id: grow\n    title: Grow\n    period: 2026-Q3\n    key_results:\n      - id: visitors\n        title: Visitors\n";
    const KR_TARGET: &str = "        target: 10\n";

    fn err(extra: &str) -> String {
        let text = format!("{HEAD}{extra}");
        parse(Path::new("x.yaml"), &text).unwrap_err().to_string()
    }

    #[test]
    fn non_finite_numbers_are_refused_at_their_place() {
        for v in [".nan", ".NaN", ".inf", "-.inf", "+.INF"] {
            let e = err(&format!("        start: 0\n        target: {v}\n"));
            assert!(e.starts_with("x.yaml:10:17:"), "{v}: {e}");
            assert!(e.contains("NaN and infinities are refused"), "{e}");
        }
        let e = err("        start: 0\n        target: 10\n        weight: .inf\n");
        assert!(e.starts_with("x.yaml:11:"), "{e}");
    }

    #[test]
    fn a_non_finite_number_in_a_large_file_is_refused_too() {
        // More text and comments (1.5 MB each) than a small scan budget
        // would take: the second look must read the whole file, not give
        // up and let `.nan` through.
        let note = "x".repeat(1536 * 1024);
        let comment = "        # a comment line of some length, as people write them\n"
            .repeat(1536 * 1024 / 60);
        let e = err(&format!(
            "        start: 0\n{comment}        check_ins:\n          - {{date: 2026-08-01, value: 1, note: {note}}}\n        target: .nan\n"
        ));
        assert!(
            e.contains("NaN and infinities are refused"),
            "{}",
            &e[..e.len().min(300)]
        );
    }

    #[test]
    fn quoted_or_finite_values_are_fine() {
        let text = format!("{HEAD}        start: 0\n        target: 10\n        unit: '.nan'\n");
        assert!(parse(Path::new("x.yaml"), &text).is_ok());
    }

    #[test]
    fn hand_written_ids_follow_the_rules() {
        for (id, col) in [
            ("'# Injected heading'", 13),
            ("\"grow\\u200b-revenue\"", 13),
            ("Grow", 13),
            ("\"a\\tb\"", 13),
        ] {
            let text = HEAD.replace("id: visitors", &format!("id: {id}")) + KR_TARGET;
            let e = parse(Path::new("x.yaml"), &text).unwrap_err().to_string();
            assert!(e.starts_with(&format!("x.yaml:7:{col}:")), "{id}: {e}");
            assert!(e.contains("invalid ID"), "{e}");
        }
    }
}
