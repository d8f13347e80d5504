//! `okr diff` for people: one line per change, eased changes flagged.

use super::Style;
use super::table::new_table;
use super::text::sanitize;
use crate::model::diff::{Change, What};
use crate::model::{CheckIn, format_number};

/// A check-in in one line: `2026-07-15 300,000 (confidence 0.7, alice) "note"`.
pub fn check_in(c: &CheckIn) -> String {
    let value = match c.value {
        crate::model::CheckValue::Number(n) => group(n),
        v => v.to_string(),
    };
    let mut extra = Vec::new();
    if let Some(conf) = c.confidence {
        extra.push(format!("confidence {}", format_number(conf)));
    }
    if let Some(a) = &c.author {
        extra.push(sanitize(a));
    }
    let mut s = format!("{} {value}", c.date);
    if !extra.is_empty() {
        s.push_str(&format!(" ({})", extra.join(", ")));
    }
    if let Some(n) = &c.note {
        s.push_str(&format!(" \"{}\"", sanitize(n)));
    }
    s
}

/// 1234567 as `1,234,567` (fractions kept as written).
pub fn group(n: f64) -> String {
    let s = format_number(n);
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

fn opt(v: &Option<String>) -> String {
    v.as_deref().map_or_else(|| "(none)".to_string(), sanitize)
}

/// One change as a line of a summary (`sync`, `fetch`):
/// `key-result visitors: checked in 120 on 2026-08-10 (eased: …)`.
pub fn summary_line(c: &Change) -> String {
    let eased = c
        .eased
        .map_or_else(String::new, |w| format!(" (eased: {w})"));
    format!("{} {}: {}{eased}", c.item.as_str(), c.id, describe(c))
}

/// What happened, in words.
pub fn describe(c: &Change) -> String {
    match &c.what {
        What::Added { title, file } => {
            format!("added \"{}\" in {}", sanitize(title), sanitize(file))
        }
        What::Removed { title, file } => {
            format!("removed \"{}\" from {}", sanitize(title), sanitize(file))
        }
        What::Renamed { from, to } => {
            format!("renamed \"{}\" → \"{}\"", sanitize(from), sanitize(to))
        }
        What::Moved { from, to } => format!("moved {} → {}", sanitize(from), sanitize(to)),
        What::Changed { field, from, to } => {
            let num = |v: &Option<String>| match v.as_deref().map(str::parse::<f64>) {
                Some(Ok(n)) => group(n),
                _ => opt(v),
            };
            format!("{field} {} → {}", num(from), num(to))
        }
        What::CheckInAdded(ci) => format!("check-in added: {}", check_in(ci)),
        What::CheckInRemoved(ci) => format!("check-in removed: {}", check_in(ci)),
        What::Graded { from, to } => {
            let g = |v: &Option<f64>| v.map_or_else(|| "(none)".to_string(), format_number);
            match from {
                None => format!("graded {}", g(to)),
                Some(_) => format!("grade {} → {}", g(from), g(to)),
            }
        }
    }
}

/// The table of `okr diff`: ID, what, change, and the eased flag.
pub fn table(style: Style, changes: &[Change]) -> String {
    let mut t = new_table(style, &["ID", "WHAT", "CHANGE", "EASED"]);
    for c in changes {
        t.add_row(vec![
            sanitize(&c.id),
            c.item.as_str().to_string(),
            describe(c),
            c.eased
                .map_or_else(String::new, |why| format!("eased: {why}")),
        ]);
    }
    let mut s = t.to_string();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group(1234567.0), "1,234,567");
        assert_eq!(group(-1000.5), "-1,000.5");
        assert_eq!(group(12.0), "12");
    }
}
