//! Rendering: turning the model into what people and scripts read.
//!
//! Renderers take model values (and "today" where it matters) and return
//! strings; they never read files or the clock, and they sanitise every piece
//! of user text they print.

pub mod csv;
pub mod history;
pub mod html;
pub mod item;
pub mod json;
pub mod markdown;
pub mod plural;
pub mod report;
pub mod spark;
pub mod table;
pub mod text;

use crate::model::{CheckValue, Measure, format_number};

/// Whether to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
    /// Only ASCII in pictures (bars, sparklines): `--ascii`, or a locale
    /// that cannot show block characters.
    pub ascii: bool,
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

/// A value with the measure's unit, e.g. `550000 visitors` or `done`.
pub fn value_with_unit(measure: &Measure, v: CheckValue) -> String {
    match (measure, v) {
        (Measure::Metric { unit: Some(u), .. }, CheckValue::Number(n)) => {
            let n = format_number(n);
            if u == "%" {
                format!("{n}{u}")
            } else {
                format!("{n} {u}")
            }
        }
        (Measure::Milestone, CheckValue::Number(n)) => percent(n),
        (_, v) => v.to_string(),
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
}
