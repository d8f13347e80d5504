//! A key result's check-in history: in date order, as of a date, and the
//! trend since the previous check-in.
//!
//! Check-ins may be written in any order in a file; here they are sorted by
//! date, keeping file order among check-ins of the same day, so the last of
//! a day is the one that counts (as in [`KeyResult::latest_check_in`]).

use chrono::NaiveDate;

use super::okr::{CheckIn, CheckValue, KeyResult};

/// A check-in value as a number: the value itself, 1 for done, 0 for todo.
pub fn number(v: CheckValue) -> f64 {
    match v {
        CheckValue::Number(n) => n,
        CheckValue::Done => 1.0,
        CheckValue::Todo => 0.0,
    }
}

/// Check-ins on or before `as_of` (all when `None`), by date, file order
/// kept within a day.
pub fn sorted(kr: &KeyResult, as_of: Option<NaiveDate>) -> Vec<&CheckIn> {
    // Allocated once; check-ins are nearly always in date order already,
    // and a report asks for this three times per key result.
    let mut v: Vec<&CheckIn> = Vec::with_capacity(kr.check_ins.len());
    v.extend(
        kr.check_ins
            .iter()
            .filter(|c| super::asof::counts(c.date, as_of)),
    );
    if !v.is_sorted_by_key(|c| c.date) {
        v.sort_by_key(|c| c.date);
    }
    v
}

/// Like [`sorted`], but only the last check-in of each day.
pub fn daily(kr: &KeyResult, as_of: Option<NaiveDate>) -> Vec<&CheckIn> {
    let all = sorted(kr, as_of);
    let mut out: Vec<&CheckIn> = Vec::with_capacity(all.len());
    for c in all {
        match out.last_mut() {
            Some(last) if last.date == c.date => *last = c,
            _ => out.push(c),
        }
    }
    out
}

/// How a key result moved since its previous check-in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trend {
    /// Date of the previous check-in.
    pub previous_date: NaiveDate,
    /// Its value.
    pub previous: CheckValue,
    /// Change of the value (latest − previous; done/todo count as 1/0).
    pub delta: f64,
    /// Change of the unclamped attainment: positive means closer to the target,
    /// whichever way the metric runs.
    pub progress_delta: f64,
}

impl Trend {
    /// `improving`, `worsening` or `flat`.
    pub fn direction(&self) -> &'static str {
        if self.progress_delta > 1e-12 {
            "improving"
        } else if self.progress_delta < -1e-12 {
            "worsening"
        } else {
            "flat"
        }
    }
}

/// The trend from the check-in before the latest one (as of `as_of`) to
/// the latest; `None` with fewer than two check-ins.
pub fn trend(kr: &KeyResult, as_of: Option<NaiveDate>) -> Option<Trend> {
    let all = sorted(kr, as_of);
    let [.., prev, last] = all.as_slice() else {
        return None;
    };
    Some(Trend {
        previous_date: prev.date,
        previous: prev.value,
        delta: number(last.value) - number(prev.value),
        progress_delta: kr.value_attainment(last.value) - kr.value_attainment(prev.value),
    })
}

/// One row of a history: a check-in and the change since the one before.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The check-in.
    pub check_in: &'a CheckIn,
    /// Value change since the previous check-in (`None` for the first).
    pub delta: Option<f64>,
    /// Unclamped attainment of this value.
    pub attainment: f64,
}

/// Every check-in on or before `as_of`, in date order, with deltas.
pub fn entries(kr: &KeyResult, as_of: Option<NaiveDate>) -> Vec<Entry<'_>> {
    let all = sorted(kr, as_of);
    all.iter()
        .enumerate()
        .map(|(i, c)| Entry {
            check_in: c,
            delta: i
                .checked_sub(1)
                .map(|p| number(c.value) - number(all[p].value)),
            attainment: kr.value_attainment(c.value),
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A metric key result with check-ins, read the way a file is (so new
    /// optional fields of the model need no change here).
    pub(crate) fn kr(start: f64, target: f64, points: &[(&str, f64)]) -> KeyResult {
        let mut yaml = format!("id: k\ntitle: K\nstart: {start}\ntarget: {target}\n");
        if !points.is_empty() {
            yaml.push_str("check_ins:\n");
        }
        for (d, v) in points {
            yaml.push_str(&format!("  - date: {d}\n    value: {v}\n"));
        }
        serde_saphyr::from_str(&yaml).unwrap()
    }

    #[test]
    fn trend_follows_dates_not_file_order() {
        let k = kr(
            10.0,
            5.0,
            &[
                ("2026-07-20", 8.0),
                ("2026-07-01", 9.0),
                ("2026-07-10", 9.5),
            ],
        );
        let t = trend(&k, None).unwrap();
        assert_eq!(t.previous_date, "2026-07-10".parse().unwrap());
        assert!((t.delta - -1.5).abs() < 1e-12);
        // Going down is good for a downward metric.
        assert_eq!(t.direction(), "improving");
        let t = trend(&k, Some("2026-07-15".parse().unwrap())).unwrap();
        assert_eq!(t.direction(), "worsening");
        assert!(trend(&k, Some("2026-07-05".parse().unwrap())).is_none());
    }

    #[test]
    fn daily_keeps_the_last_of_a_day() {
        let k = kr(
            0.0,
            10.0,
            &[
                ("2026-07-01", 1.0),
                ("2026-07-01", 2.0),
                ("2026-07-02", 3.0),
            ],
        );
        let d: Vec<f64> = daily(&k, None).iter().map(|c| number(c.value)).collect();
        assert_eq!(d, vec![2.0, 3.0]);
        let e = entries(&k, None);
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].delta, None);
        assert_eq!(e[2].delta, Some(1.0));
    }
}
