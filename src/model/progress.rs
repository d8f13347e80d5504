//! Progress scores: how far each key result and objective has come.
//!
//! A metric's progress is (current − start) / (target − start), the one
//! formula that works whether the number should go up or down. Progress is
//! clamped to 0..1 for bars and roll-ups; attainment keeps the raw ratio so a
//! report can say "150%" when a target is beaten. Roll-ups use the clamped
//! value, so one wildly beaten KR cannot hide another that went nowhere.

use chrono::NaiveDate;

use super::okr::{CheckIn, CheckValue, KeyResult, Measure, Objective};

/// Where a key result stands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KrProgress {
    /// The current value: the latest check-in, or the start when there is none.
    pub current: CheckValue,
    /// Progress clamped to 0.0..=1.0.
    pub progress: f64,
    /// Unclamped ratio (1.5 when a target is beaten by half).
    pub attainment: f64,
    /// Confidence of the latest check-in, if it gave one.
    pub confidence: Option<f64>,
    /// Date of the latest check-in.
    pub last_check_in: Option<NaiveDate>,
}

impl KeyResult {
    /// The latest check-in by date; among check-ins of the same day the one
    /// written last in the file wins.
    pub fn latest_check_in(&self) -> Option<&CheckIn> {
        self.latest_check_in_until(None)
    }

    /// The latest check-in on or before `as_of` (all check-ins when `None`).
    pub fn latest_check_in_until(&self, as_of: Option<NaiveDate>) -> Option<&CheckIn> {
        self.check_ins
            .iter()
            .enumerate()
            .filter(|(_, c)| super::asof::counts(c.date, as_of))
            .max_by_key(|(i, c)| (c.date, *i))
            .map(|(_, c)| c)
    }

    /// Whether the target is reached (or the milestone done) by the latest
    /// check-in on or before `as_of`.
    pub fn is_done_as_of(&self, as_of: Option<NaiveDate>) -> bool {
        if self.threshold.is_some() {
            // Staying inside a bound is never finished.
            return false;
        }
        let p = self.progress_as_of(as_of);
        p.last_check_in.is_some() && p.attainment >= 1.0 - 1e-9
    }

    /// Progress from all check-ins.
    pub fn progress(&self) -> KrProgress {
        self.progress_as_of(None)
    }

    /// Progress counting only check-ins on or before `as_of`.
    pub fn progress_as_of(&self, as_of: Option<NaiveDate>) -> KrProgress {
        let latest = self.latest_check_in_until(as_of);
        if let Some(t) = self.threshold {
            // Share of the check-ins so far that stayed inside the bound.
            let values: Vec<f64> = self
                .check_ins
                .iter()
                .filter(|c| super::asof::counts(c.date, as_of))
                .filter_map(|c| match c.value {
                    CheckValue::Number(n) => Some(n),
                    _ => None,
                })
                .collect();
            let share = if values.is_empty() {
                0.0
            } else {
                values.iter().filter(|v| t.holds(**v)).count() as f64 / values.len() as f64
            };
            return KrProgress {
                current: latest.map_or(CheckValue::Number(t.bound), |c| c.value),
                progress: share,
                attainment: share,
                confidence: latest.and_then(|c| c.confidence),
                last_check_in: latest.map(|c| c.date),
            };
        }
        let current = match (&self.measure, latest) {
            (_, Some(c)) => c.value,
            (Measure::Metric { start, .. }, None) => CheckValue::Number(*start),
            (Measure::Milestone, None) => CheckValue::Todo,
        };
        let attainment = attainment(&self.measure, current);
        KrProgress {
            current,
            progress: attainment.clamp(0.0, 1.0),
            attainment,
            confidence: latest.and_then(|c| c.confidence),
            last_check_in: latest.map(|c| c.date),
        }
    }
}

impl KeyResult {
    /// Attainment of one value of this key result: for a threshold, 1 when
    /// the value is inside the bound and 0 when not.
    pub fn value_attainment(&self, value: CheckValue) -> f64 {
        match (self.threshold, value) {
            (Some(t), CheckValue::Number(n)) => {
                if t.holds(n) {
                    1.0
                } else {
                    0.0
                }
            }
            _ => attainment(&self.measure, value),
        }
    }
}

/// Unclamped attainment of `value` on `measure`.
pub fn attainment(measure: &Measure, value: CheckValue) -> f64 {
    match (measure, value) {
        (Measure::Metric { start, target, .. }, CheckValue::Number(v)) => {
            // Halved first (exact for floats), so the difference of any two
            // finite numbers stays finite; a ratio beyond f64 saturates.
            let span = target / 2.0 - start / 2.0;
            if span == 0.0 {
                // Degenerate KR (refused when created, flagged by `okr check`):
                // reached or not, never a division by zero.
                if v == *target { 1.0 } else { 0.0 }
            } else {
                ((v / 2.0 - start / 2.0) / span).clamp(f64::MIN, f64::MAX)
            }
        }
        (_, CheckValue::Done) => 1.0,
        (_, CheckValue::Todo) => 0.0,
        (Measure::Milestone, CheckValue::Number(score)) => score,
    }
}

impl Objective {
    /// Weighted mean of the key results' clamped progress; 0 without key results.
    pub fn progress(&self) -> f64 {
        self.progress_as_of(None)
    }

    /// [`Objective::progress`] counting only check-ins on or before `as_of`.
    pub fn progress_as_of(&self, as_of: Option<NaiveDate>) -> f64 {
        weighted_mean(
            self.key_results
                .iter()
                .map(|k| (k.progress_as_of(as_of).progress, k.effective_weight())),
        )
    }
}

/// Weighted mean of `(value, weight)` pairs; 0 when the weights sum to 0.
pub fn weighted_mean(items: impl IntoIterator<Item = (f64, f64)>) -> f64 {
    let (sum, weights) = items
        .into_iter()
        .fold((0.0, 0.0), |(s, w), (v, wt)| (s + v * wt, w + wt));
    if weights > 0.0 { sum / weights } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::okr::Kind;
    use crate::model::{Level, Period};

    fn date(d: &str) -> NaiveDate {
        d.parse().unwrap()
    }

    fn metric(start: f64, target: f64, values: &[(&str, f64)]) -> KeyResult {
        let mut k = KeyResult::new(
            "kr",
            "KR",
            Measure::Metric {
                start,
                target,
                unit: None,
            },
        );
        k.check_ins = values
            .iter()
            .map(|(d, v)| CheckIn {
                date: date(d),
                value: CheckValue::Number(*v),
                confidence: None,
                note: None,
                author: None,
            })
            .collect();
        k
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn increase() {
        let p = metric(100_000.0, 1_000_000.0, &[("2026-08-01", 550_000.0)]).progress();
        assert!(close(p.progress, 0.5));
        assert_eq!(p.current, CheckValue::Number(550_000.0));
        assert_eq!(p.last_check_in, Some(date("2026-08-01")));
    }

    #[test]
    fn decrease() {
        // Churn from 10% down to 5%: at 7.5% we are half way.
        let p = metric(10.0, 5.0, &[("2026-08-01", 7.5)]).progress();
        assert!(close(p.progress, 0.5));
    }

    #[test]
    fn overshoot_is_clamped_but_attainment_kept() {
        let p = metric(0.0, 100.0, &[("2026-08-01", 150.0)]).progress();
        assert!(close(p.progress, 1.0));
        assert!(close(p.attainment, 1.5));
        let down = metric(10.0, 5.0, &[("2026-08-01", 2.5)]).progress();
        assert!(close(down.attainment, 1.5));
        assert!(close(down.progress, 1.0));
    }

    #[test]
    fn undershoot_below_start() {
        let p = metric(50.0, 100.0, &[("2026-08-01", 40.0)]).progress();
        assert!(close(p.progress, 0.0));
        assert!(close(p.attainment, -0.2));
    }

    #[test]
    fn negative_and_fractional_numbers() {
        // Net promoter score from -10 to 42.
        let p = metric(-10.0, 42.0, &[("2026-08-01", 16.0)]).progress();
        assert!(close(p.progress, 0.5));
        // Order rating from 4.2 to 4.6.
        let p = metric(4.2, 4.6, &[("2026-08-01", 4.5)]).progress();
        assert!(close(p.progress, 0.75));
    }

    #[test]
    fn no_check_ins_means_current_is_start() {
        let p = metric(15.0, 25.0, &[]).progress();
        assert_eq!(p.current, CheckValue::Number(15.0));
        assert!(close(p.progress, 0.0));
        assert_eq!(p.last_check_in, None);
        assert_eq!(p.confidence, None);
    }

    #[test]
    fn latest_by_date_not_file_order() {
        let kr = metric(0.0, 10.0, &[("2026-08-08", 8.0), ("2026-08-01", 2.0)]);
        assert!(close(kr.progress().progress, 0.8));
        let same_day = metric(0.0, 10.0, &[("2026-08-01", 2.0), ("2026-08-01", 3.0)]);
        assert!(close(same_day.progress().progress, 0.3));
        assert!(close(
            kr.progress_as_of(Some(date("2026-08-05"))).progress,
            0.2
        ));
    }

    #[test]
    fn degenerate_start_equals_target() {
        assert!(close(metric(5.0, 5.0, &[]).progress().progress, 1.0));
        assert!(close(
            metric(5.0, 5.0, &[("2026-08-01", 4.0)]).progress().progress,
            0.0
        ));
    }

    #[test]
    fn milestones() {
        let mut kr = metric(0.0, 1.0, &[]);
        kr.measure = Measure::Milestone;
        assert!(close(kr.progress().progress, 0.0));
        assert_eq!(kr.progress().current, CheckValue::Todo);
        kr.check_ins = vec![CheckIn {
            date: date("2026-08-01"),
            value: CheckValue::Number(0.4),
            confidence: Some(0.9),
            note: None,
            author: None,
        }];
        assert!(close(kr.progress().progress, 0.4));
        assert_eq!(kr.progress().confidence, Some(0.9));
        kr.check_ins[0].value = CheckValue::Done;
        assert!(close(kr.progress().progress, 1.0));
    }

    #[test]
    fn objective_is_weighted_mean() {
        let mut a = metric(0.0, 100.0, &[("2026-08-01", 100.0)]);
        let b = metric(0.0, 100.0, &[("2026-08-01", 40.0)]);
        let mut o = Objective {
            id: "o".into(),
            title: "O".into(),
            description: None,
            owner: None,
            level: Level::Team,
            period: Period::Quarter(2026, 3),
            kind: Kind::Aspirational,
            parent: None,
            key_results: vec![a.clone(), b.clone()],
            rolled_from: None,
        };
        assert!(close(o.progress(), 0.7));
        a.weight = Some(3.0);
        o.key_results = vec![a, b];
        assert!(close(o.progress(), (3.0 + 0.4) / 4.0));
        o.key_results.clear();
        assert!(close(o.progress(), 0.0));
    }
}
