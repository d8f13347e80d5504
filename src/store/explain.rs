//! Turning a parser error into a sentence a person understands, at the line
//! that is really wrong.
//!
//! serde-saphyr reports structured errors (an invalid scalar of some type, an
//! unknown enum variant, a scanner message) at the place it noticed them. We
//! first ask the layout pre-scans (store/layout.rs) whether a tab or a
//! misindented key explains the failure better, then reword the error using
//! the text at its position: the key it belongs to and the value found.

use std::path::Path;

use serde_saphyr::Error as YamlError;

use super::error::{Location, StoreError};
use super::layout;
use crate::model::id::suggest;

/// The error for a file that could not be read.
pub fn error(path: &Path, text: &str, e: &YamlError) -> StoreError {
    let (line, column) = e
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((1, 1));
    let (line, column) = match e.without_snippet() {
        // Reported at the key after the gap; the item's first key is clearer.
        YamlError::SerdeMissingField { .. } => {
            layout::item_start(text, line).unwrap_or((line, column))
        }
        _ => (line, column),
    };
    let described = describe(e.without_snippet(), text, line, column);
    let (line, column, message, hints) = match layout_problem(text, line, &described.0) {
        Some(p) => (p.line, p.column, p.message, p.hints),
        None => (line, column, described.0, described.1),
    };
    let mut location = Location::new(path.to_path_buf(), text, line, column);
    location.hints = hints;
    StoreError::Invalid {
        location: Box::new(location),
        message: super::decode::explain(message),
    }
}

/// A tab in the indentation, a bracket never closed or a misindented key,
/// when one explains the parser's failure. A tab makes the parser fail at the line above it at the
/// latest; a bad indentation can surface anywhere (as a missing field of the
/// mapping it cut short, say), so the first one in the file is taken.
fn layout_problem(text: &str, err_line: usize, message: &str) -> Option<layout::Problem> {
    // The parser named a construct it refuses: that is the problem, whatever
    // the indentation scan would guess.
    const SPECIFIC: [&str; 5] = ["merge key", "duplicate", "tag", "alias", "budget"];
    if SPECIFIC.iter().any(|m| message.contains(m)) {
        return None;
    }
    if let Some(p) = layout::tab_indent(text)
        && (p.line <= err_line + 1 || message.contains("tab"))
    {
        return Some(p);
    }
    layout::unclosed_flow(text, err_line).or_else(|| layout::bad_indent(text))
}

/// The message and hints for an error at `line`:`column` of `text`.
fn describe(e: &YamlError, text: &str, line: usize, column: usize) -> (String, Vec<String>) {
    let src = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let found = scalar_at(src, column);
    let key = key_before(src, column);
    match e {
        YamlError::InvalidScalar { ty, .. } => match tag_before(src, column) {
            Some(tag) => (
                format!("expected a number, found `{tag} {found}`: the tag makes it text"),
                vec![format!("remove `{tag}`: a number is written without a tag")],
            ),
            None => invalid_scalar(ty, &found),
        },
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => unknown_variant(variant, expected, key),
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => (
            format!(
                "unknown key `{field}`: here okr reads {}",
                words(expected, "and")
            ),
            did_you_mean(field, expected),
        ),
        YamlError::SerdeMissingField { field, .. } => (
            format!(
                "this {} has no `{field}:`, which is required",
                item_name(layout::list_of(text, line))
            ),
            Vec::new(),
        ),
        YamlError::Unexpected { expected, .. } if expected.contains("scalar") => (
            format!("expected a single value, found {}", shape_of(src, column)),
            Vec::new(),
        ),
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => (
            format!("expected {expected}, found {unexpected}"),
            Vec::new(),
        ),
        other => (plain(other), Vec::new()),
    }
}

/// What the items of a list are called.
fn item_name(list: Option<&str>) -> &'static str {
    match list {
        Some("objectives") => "objective",
        Some("key_results") => "key result",
        Some("check_ins") => "check-in",
        Some("kpis") => "KPI",
        Some("initiatives") => "initiative",
        _ => "item",
    }
}

fn invalid_scalar(ty: &str, found: &str) -> (String, Vec<String>) {
    let digits = "write digits only, like `1000000` or `2.5`: no words, thousands separators or units (a unit goes under `unit:`)";
    match ty {
        "floating point" => (
            format!("expected a number, found `{found}`"),
            vec![digits.into()],
        ),
        "boolean" => (
            format!("expected `true` or `false`, found `{found}`"),
            Vec::new(),
        ),
        t if t.starts_with('u') || t.starts_with('i') => (
            format!("expected a whole number, found `{found}`"),
            vec![digits.into()],
        ),
        t => (format!("expected {t}, found `{found}`"), Vec::new()),
    }
}

fn unknown_variant(variant: &str, expected: &[&str], key: Option<&str>) -> (String, Vec<String>) {
    let what = match key {
        Some(k) => format!("a valid `{k}`"),
        None => "a valid value here".to_string(),
    };
    let mut hints = did_you_mean(variant, expected);
    let measures = ["metric", "milestone", "threshold"];
    if key == Some("kind") && !suggest(variant, measures).is_empty() {
        hints.push(
            "`kind:` says whether an objective is committed or aspirational; a key result's measure comes from its fields: `target:` for a metric, `milestone: true`, or `at_least:`/`at_most:` for a threshold".into(),
        );
    }
    (
        format!("`{variant}` is not {what}: use {}", words(expected, "or")),
        hints,
    )
}

fn did_you_mean(word: &str, candidates: &[&str]) -> Vec<String> {
    suggest(word, candidates.iter().copied())
        .first()
        .map(|s| vec![format!("did you mean `{s}`?")])
        .unwrap_or_default()
}

/// `a, b or c`.
fn words(items: &[&str], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., tail] => format!("{} {last} {tail}", init.join(", ")),
    }
}

/// The scalar that starts at `column` (1-based) of a source line: quoted
/// text without its quotes, or plain text up to a comment or, inside a flow
/// collection, up to the next `,`, `}` or `]`.
fn scalar_at(src: &str, column: usize) -> String {
    let rest: String = src.chars().skip(column.saturating_sub(1)).collect();
    if let Some(q) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        let inner = &rest[1..];
        return inner.split(q).next().unwrap_or(inner).to_string();
    }
    let in_flow = src
        .chars()
        .take(column.saturating_sub(1))
        .any(|c| c == '{' || c == '[');
    let mut end = rest.len();
    for (i, c) in rest.char_indices() {
        let stop =
            (c == '#' && rest[..i].ends_with(' ')) || (in_flow && matches!(c, ',' | '}' | ']'));
        if stop {
            end = i;
            break;
        }
    }
    rest[..end].trim().to_string()
}

/// The key whose value starts at `column`: the word before the `:`.
fn key_before(src: &str, column: usize) -> Option<&str> {
    let byte = src
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(src.len(), |(i, _)| i);
    let before = src[..byte].trim_end().strip_suffix(':')?;
    // After the separator, by its own length: whitespace such as U+0085
    // takes two bytes.
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || matches!(c, '{' | ',' | '-'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let k = before[start..].trim_matches(|c| c == '"' || c == '\'');
    (!k.is_empty()).then_some(k)
}

/// A tag (`!!str`) written just before the value at `column`.
fn tag_before(src: &str, column: usize) -> Option<&str> {
    let byte = src
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(src.len(), |(i, _)| i);
    let last = src[..byte].split_whitespace().last()?;
    last.starts_with('!').then_some(last)
}

/// What sits at `column`: a list, a mapping or nested lines.
fn shape_of(src: &str, column: usize) -> &'static str {
    let rest: String = src.chars().skip(column.saturating_sub(1)).collect();
    match rest.trim_start().chars().next() {
        Some('[') | Some('-') => "a list",
        Some('{') => "a mapping",
        None => "nested lines",
        Some(_) if rest.contains(": ") => "a mapping",
        Some(_) => "something else",
    }
}

/// The library's own words, without its location suffix or snippet: we
/// print `file:line:col` and our own snippet instead.
fn plain(e: &YamlError) -> String {
    let full = e.to_string();
    let first = full.lines().next().unwrap_or("invalid YAML").trim();
    let trimmed = match first.rfind(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    trimmed.trim_end_matches(':').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_read_from_the_line() {
        assert_eq!(scalar_at("  target: one million # hi", 11), "one million");
        assert_eq!(scalar_at("  - {value: lots, date: x}", 13), "lots");
        assert_eq!(scalar_at("  target: \"1,000\"", 11), "1,000");
    }

    #[test]
    fn keys_are_read_before_the_value() {
        assert_eq!(key_before("    kind: metrc", 11), Some("kind"));
        assert_eq!(key_before("  - {id: a, level: tem}", 20), Some("level"));
        assert_eq!(key_before("- metrc", 3), None);
    }

    #[test]
    fn tags_are_seen_before_the_value() {
        assert_eq!(tag_before("  target: !!str 100", 17), Some("!!str"));
        assert_eq!(tag_before("  target: 100", 11), None);
    }

    #[test]
    fn lists_read_as_english() {
        assert_eq!(words(&["a", "b", "c"], "or"), "a, b or c");
        assert_eq!(words(&["a"], "or"), "a");
    }
}

#[cfg(test)]
mod damaged {
    use std::path::Path;

    use crate::store::parse::parse;

    /// Every example file, damaged one line at a time in the ways people
    /// damage YAML: every error names a line of the file and never panics.
    #[test]
    fn damaged_examples_give_errors_inside_the_file() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/teams");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            for i in 0..lines.len() {
                let damage: [fn(&str) -> String; 5] = [
                    |l| format!("\t{l}"),
                    |l| format!(" {l}"),
                    |l| l.strip_prefix(' ').unwrap_or(l).to_string(),
                    |l| format!("{l} {{"),
                    |_| String::new(),
                ];
                for (n, d) in damage.into_iter().enumerate() {
                    let mut v = lines.clone();
                    let changed = d(v[i]);
                    v[i] = &changed;
                    let t = v.join("\n");
                    if let Err(crate::store::StoreError::Invalid { location, message }) =
                        parse(&path, &t)
                    {
                        assert!(location.line <= lines.len() + 1, "{message}");
                        assert!(!message.is_empty());
                        // A tab is reported on its own line.
                        let body = lines[i].trim_start();
                        if n == 0 && !body.is_empty() && !body.starts_with('#') {
                            assert_eq!(location.line, i + 1, "{}: {message}", path.display());
                        }
                    }
                }
            }
        }
    }
}
