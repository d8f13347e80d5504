//! The message `okr check-in` prints: the truth about the value entered.
//!
//! It states the progress of the value the user typed (not of whatever the
//! latest check-in happens to be), and when the check-in is back-dated
//! behind a later one, it says so and gives the value that stays current.

use chrono::NaiveDate;

use super::text::sanitize;
use super::{percent, value_with_unit, with_unit};
use crate::model::{CheckValue, Direction, KeyResult, Measure};

/// Where `value` stands on `k`: `50% of the way from 100,000 to 1,000,000`.
pub fn standing(k: &KeyResult, value: CheckValue) -> String {
    let share = percent(k.value_attainment(value).clamp(0.0, 1.0));
    match (&k.measure, k.threshold) {
        (Measure::Metric { unit, .. }, Some(t)) => {
            let side = match t.direction {
                Direction::AtLeast => "at least",
                Direction::AtMost => "at most",
            };
            let held = if k.value_attainment(value) >= 1.0 {
                "inside"
            } else {
                "outside"
            };
            format!(
                "{held} the bound ({side} {})",
                with_unit(unit.as_deref(), t.bound)
            )
        }
        (
            Measure::Metric {
                start,
                target,
                unit,
            },
            None,
        ) => format!(
            "{share} of the way from {} to {}",
            with_unit(unit.as_deref(), *start),
            with_unit(unit.as_deref(), *target)
        ),
        (Measure::Milestone, _) => format!("{share} done"),
    }
}

/// The confirmation of a check-in of `value` on `date` to `k` (which
/// already holds it), with `k` as of `as_of`. Two lines when a later
/// check-in stays current.
pub fn confirmation(k: &KeyResult, value: CheckValue, date: NaiveDate, as_of: NaiveDate) -> String {
    let mut s = format!(
        "Checked in {}: {} on {date}: {}",
        k.id,
        value_with_unit(&k.measure, value),
        standing(k, value)
    );
    let p = k.progress_as_of(Some(as_of));
    if let Some(last) = p.last_check_in.filter(|&d| d > date) {
        s.push_str(&format!(
            "\nA later check-in ({last}) stays current: {}: {}",
            value_with_unit(&k.measure, p.current),
            standing(k, p.current)
        ));
    }
    sanitize_lines(&s)
}

fn sanitize_lines(s: &str) -> String {
    s.lines().map(sanitize).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CheckIn;

    fn kr(start: f64, target: f64, unit: &str, values: &[(&str, f64)]) -> KeyResult {
        let mut k = crate::model::history::tests::kr(start, target, &[]);
        if let Measure::Metric { unit: u, .. } = &mut k.measure {
            *u = Some(unit.into());
        }
        k.id = "visitors".into();
        k.check_ins = values
            .iter()
            .map(|(d, v)| CheckIn {
                date: d.parse().unwrap(),
                value: CheckValue::Number(*v),
                confidence: None,
                note: None,
                author: None,
            })
            .collect();
        k
    }

    #[test]
    fn the_value_entered_is_the_one_described() {
        let k = kr(1e5, 1e6, "visitors", &[("2026-08-01", 550_000.0)]);
        let s = confirmation(
            &k,
            CheckValue::Number(550_000.0),
            "2026-08-01".parse().unwrap(),
            "2026-08-15".parse().unwrap(),
        );
        assert_eq!(
            s,
            "Checked in visitors: 550,000 visitors on 2026-08-01: 50% of the way from 100,000 visitors to 1,000,000 visitors"
        );
    }

    #[test]
    fn a_back_dated_check_in_names_the_value_that_stays_current() {
        let k = kr(
            1e5,
            1e6,
            "$",
            &[("2026-08-10", 820_000.0), ("2026-08-01", 550_000.0)],
        );
        let s = confirmation(
            &k,
            CheckValue::Number(550_000.0),
            "2026-08-01".parse().unwrap(),
            "2026-08-15".parse().unwrap(),
        );
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines.len(), 2, "{s}");
        assert!(
            lines[0].contains("$550,000 on 2026-08-01: 50% of the way"),
            "{s}"
        );
        assert!(lines[1].contains("(2026-08-10)"), "{s}");
        assert!(lines[1].contains("$820,000: 80% of the way"), "{s}");
    }
}
