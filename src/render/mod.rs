//! Rendering: turning the model into what people and scripts read.
//!
//! Renderers take model values (and "today" where it matters) and return
//! strings; they never read files or the clock, and they sanitise every piece
//! of user text they print.

pub mod checkin;
pub mod close;
pub mod csv;
pub mod diff;
pub mod diff_json;
pub mod history;
pub mod html;
pub mod item;
pub mod json;
pub mod kpi;
pub mod markdown;
pub mod plural;
pub mod report;
pub mod spark;
pub mod style;
pub mod table;
pub mod text;
pub mod tree;
pub mod width;

use crate::model::{CheckValue, Measure, format_number};

/// Whether to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
    /// Only ASCII in pictures (bars, sparklines): `--ascii`, or a locale
    /// that cannot show block characters.
    pub ascii: bool,
    /// Columns the output may take (`render::width`); `None`: no limit.
    pub width: Option<usize>,
}

impl Style {
    /// A progress bar in this style: blocks, or `#` and `-` in ASCII.
    pub fn bar(self, progress: f64, width: usize) -> String {
        if self.ascii {
            spark::ascii_bar(progress, width)
        } else {
            bar(progress, width)
        }
    }
}

/// A progress bar of `width` cells for a progress in 0..1.
pub fn bar(progress: f64, width: usize) -> String {
    let p = progress.clamp(0.0, 1.0);
    let eighths = (p * (width * 8) as f64).round() as usize;
    let full = eighths / 8;
    let rest = eighths % 8;
    let mut s = "█".repeat(full);
    if full < width {
        const PARTS: [&str; 8] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
        s.push_str(if rest == 0 { "░" } else { PARTS[rest] });
        s.push_str(&"░".repeat(width - full - 1));
    }
    s
}

/// A percentage without decimals, e.g. `50%`.
pub fn percent(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// A value with the measure's unit, e.g. `550,000 visitors`, `$1,810,000`,
/// `42%` or `done`.
pub fn value_with_unit(measure: &Measure, v: CheckValue) -> String {
    match (measure, v) {
        (Measure::Metric { unit, .. }, CheckValue::Number(n)) => with_unit(unit.as_deref(), n),
        (Measure::Milestone, CheckValue::Number(n)) => percent(n),
        (_, v) => v.to_string(),
    }
}

/// A number grouped in thousands with its unit: currency symbols before it
/// (`$1,810,000`, `-€5`), `%` after it, other units after a space.
pub fn with_unit(unit: Option<&str>, n: f64) -> String {
    let num = group(n);
    match unit {
        None | Some("") => num,
        Some("%") => format!("{num}%"),
        Some(u) if is_currency(u) => match num.strip_prefix('-') {
            Some(abs) => format!("-{u}{abs}"),
            None => format!("{u}{num}"),
        },
        Some(u) => format!("{num} {u}"),
    }
}

/// A KPI's healthy range in words, with its unit: `between 4 and 6 days`,
/// `at least $50,000`.
pub fn range_text(at_least: Option<f64>, at_most: Option<f64>, unit: Option<&str>) -> String {
    let v = |n| with_unit(unit, n);
    match (at_least, at_most) {
        (Some(lo), Some(hi)) => format!("between {} and {}", v(lo), v(hi)),
        (Some(lo), None) => format!("at least {}", v(lo)),
        (None, Some(hi)) => format!("at most {}", v(hi)),
        (None, None) => "no range".to_string(),
    }
}

/// A number that stands beside its unit elsewhere (`100,000 → 1,000,000
/// visitors`): grouped, and with the unit only when it is a currency, which
/// goes on every amount (`$1,600,000 → $2,000,000`).
pub fn bare(unit: Option<&str>, n: f64) -> String {
    match unit {
        Some(u) if is_currency(u) => with_unit(unit, n),
        _ => group(n),
    }
}

/// Whether a unit is a currency symbol, written before the number.
pub fn is_currency(unit: &str) -> bool {
    matches!(
        unit,
        "$" | "€" | "£" | "¥" | "₹" | "US$" | "A$" | "C$" | "CHF"
    )
}

/// A number as people read it: thousands grouped with `,`, no trailing
/// zeros (`1,810,000`, `4.45`, `-1,234.5`). JSON and CSV keep raw numbers.
pub fn group(n: f64) -> String {
    let raw = format_number(n);
    let (sign, rest) = match raw.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", raw.as_str()),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    if !int.bytes().all(|b| b.is_ascii_digit()) {
        return raw; // inf, NaN or an exponent: leave as is
    }
    let mut out = String::with_capacity(raw.len() + int.len() / 3);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A computed value (forecast, pace) for people: whole when the key result
/// counts whole units (every number it was given is whole), else two decimals.
pub fn computed(v: f64, whole: bool) -> f64 {
    let r = if whole {
        v.round()
    } else {
        (v * 100.0).round() / 100.0
    };
    if r == 0.0 { 0.0 } else { r }
}

/// Whether a key result counts whole units: its start, target and every
/// check-in are whole numbers (visitors, members), so a forecast of
/// `913.04 members` would show fake precision.
pub fn whole_units(k: &crate::model::KeyResult) -> bool {
    let whole = |n: f64| n.fract() == 0.0;
    match &k.measure {
        Measure::Metric { start, target, .. } => {
            whole(*start)
                && whole(*target)
                && k.check_ins.iter().all(|c| match c.value {
                    CheckValue::Number(n) => whole(n),
                    _ => true,
                })
        }
        Measure::Milestone => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_in_eighths() {
        assert_eq!(bar(0.0, 4), "░░░░");
        assert_eq!(bar(1.0, 4), "████");
        assert_eq!(bar(0.5, 4), "██░░");
        assert_eq!(bar(2.0, 4), "████");
        assert_eq!(bar(0.5625, 4).chars().count(), 4);
    }

    #[test]
    fn numbers_are_grouped_with_their_unit() {
        assert_eq!(group(1_810_000.0), "1,810,000");
        assert_eq!(group(-1234.5), "-1,234.5");
        assert_eq!(group(999.0), "999");
        assert_eq!(group(4.45), "4.45");
        assert_eq!(with_unit(Some("$"), 1_810_000.0), "$1,810,000");
        assert_eq!(with_unit(Some("€"), -5.0), "-€5");
        assert_eq!(with_unit(Some("£"), 2e6), "£2,000,000");
        assert_eq!(with_unit(Some("visitors"), 550_000.0), "550,000 visitors");
        assert_eq!(with_unit(Some("%"), 42.0), "42%");
        assert_eq!(with_unit(None, 1000.0), "1,000");
        assert_eq!(computed(913.04, true), 913.0);
        assert_eq!(computed(913.047, false), 913.05);
    }
}
