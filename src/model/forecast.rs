//! Forecasts: where a key result will stand at the end of its period if it
//! keeps moving as it has so far.
//!
//! The method (docs/reports.md, "Forecast"): take the key result's check-ins
//! inside its period, up to the report date, one per day (the last one
//! written for a day wins, as for progress); fit a straight line
//! `value = a + b · day` by ordinary least squares, where `day` counts days
//! since the period's first day; evaluate it on the period's last day. The
//! projected value gives a projected progress and attainment by the usual
//! formula, and the target is forecast to be reached when the projected
//! attainment is at least 1.0. Fewer than two check-ins (on different days)
//! give no forecast.
//!
//! Pure arithmetic: the date to forecast from is always passed in.

use chrono::NaiveDate;

use super::history;
use super::okr::{KeyResult, Measure};
use super::progress::attainment;

/// A projection of a key result to the end of its period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Forecast {
    /// The day projected to: the period's last day.
    pub at: NaiveDate,
    /// Projected value on that day (a score 0–1 for a milestone).
    pub value: f64,
    /// Projected progress, clamped to 0..1.
    pub progress: f64,
    /// Projected attainment, unclamped.
    pub attainment: f64,
    /// Whether the projected attainment reaches 1.0.
    pub reaches_target: bool,
    /// Fitted change of the value per day.
    pub slope_per_day: f64,
    /// How many check-ins (days) the line was fitted to.
    pub points: usize,
}

/// Why there is no forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoForecast {
    /// Fewer than two check-ins on different days inside the period.
    TooFewCheckIns {
        /// Days with a check-in inside the period.
        points: usize,
    },
}

impl NoForecast {
    /// A plain sentence for people.
    pub fn reason(self) -> String {
        match self {
            NoForecast::TooFewCheckIns { points } => format!(
                "no forecast: fewer than two check-ins on different days in the period (has {points})"
            ),
        }
    }

    /// Days with a check-in inside the period.
    pub fn points(self) -> usize {
        match self {
            NoForecast::TooFewCheckIns { points } => points,
        }
    }
}

/// Least-squares line through `(x, y)` points: `(intercept, slope)`.
/// `None` with fewer than two points or when every `x` is the same.
pub fn least_squares(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    if sxx == 0.0 || !sxx.is_finite() || !sxy.is_finite() {
        return None;
    }
    let slope = sxy / sxx;
    Some((my - slope * mx, slope))
}

/// Days from `start` to `date` (negative before it).
pub fn day_of(start: NaiveDate, date: NaiveDate) -> f64 {
    (date - start).num_days() as f64
}

/// Forecasts `kr` to the last day of its period (`start..=end`, the
/// objective's period on the workspace calendar), from its check-ins in the
/// period on or before `as_of` (all when `None`).
pub fn forecast(
    kr: &KeyResult,
    start: NaiveDate,
    end: NaiveDate,
    as_of: Option<NaiveDate>,
) -> Result<Forecast, NoForecast> {
    let daily = history::daily(kr, as_of);
    let mut points: Vec<(f64, f64)> = Vec::with_capacity(daily.len());
    points.extend(
        daily
            .into_iter()
            .filter(|c| start <= c.date && c.date <= end)
            .map(|c| (day_of(start, c.date), history::number(c.value))),
    );
    let n = points.len();
    let (a, b) = least_squares(&points).ok_or(NoForecast::TooFewCheckIns { points: n })?;
    let value = cap(&kr.measure, a + b * day_of(start, end));
    let value = if value.abs() < 1e-9 { 0.0 } else { value };
    let att = match &kr.measure {
        Measure::Metric { .. } => attainment(&kr.measure, super::CheckValue::Number(value)),
        Measure::Milestone => value,
    };
    Ok(Forecast {
        at: end,
        value,
        progress: att.clamp(0.0, 1.0),
        attainment: att,
        // A hair of tolerance so an exactly linear series that lands on the
        // target is not lost to rounding.
        reaches_target: att >= 1.0 - 1e-9,
        slope_per_day: b,
        points: n,
    })
}

/// A projected value kept inside the bounds its measure cannot pass: a
/// percentage stays within 0–100% and a milestone's score within 0–1, so a
/// straight line cannot forecast 160% of a percentage.
pub fn cap(measure: &Measure, value: f64) -> f64 {
    match measure {
        Measure::Metric { unit: Some(u), .. } if u == "%" => value.clamp(0.0, 100.0),
        Measure::Milestone => value.clamp(0.0, 1.0),
        Measure::Metric { .. } => value,
    }
}

/// The pace line's value of `measure` on `date` in the period `start..=end`:
/// the start value plus the elapsed share of the period times the distance
/// to the target (the share itself, a 0–1 score, for a milestone).
pub fn pace_value(measure: &Measure, start: NaiveDate, end: NaiveDate, date: NaiveDate) -> f64 {
    let share = elapsed(start, end, date);
    match measure {
        Measure::Metric { start, target, .. } => start + share * (target - start),
        Measure::Milestone => share,
    }
}

/// The pace line: the share of the period `start..=end` elapsed at the end
/// of `date` (days through `date`, both ends counted, over the days in the
/// period), clamped to 0..1. The value "on pace" is
/// `start value + share · (target − start value)`.
pub fn elapsed(start: NaiveDate, end: NaiveDate, date: NaiveDate) -> f64 {
    let days = (end - start).num_days() + 1;
    if days <= 0 {
        return 1.0;
    }
    (((date - start).num_days() + 1) as f64 / days as f64).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn kr(start: f64, target: f64, points: &[(&str, f64)]) -> KeyResult {
        history::tests::kr(start, target, points)
    }

    fn q3() -> (NaiveDate, NaiveDate) {
        (date("2026-07-01"), date("2026-09-30"))
    }

    fn forecast(k: &KeyResult, as_of: Option<NaiveDate>) -> Result<Forecast, NoForecast> {
        super::forecast(k, q3().0, q3().1, as_of)
    }

    #[test]
    fn linear_series_predicts_its_end_value_exactly() {
        // 10 per day from 0 on 1 July: on 30 September (day 91) it is 910.
        let k = kr(
            0.0,
            910.0,
            &[
                ("2026-07-01", 0.0),
                ("2026-07-11", 100.0),
                ("2026-08-10", 400.0),
            ],
        );
        let f = forecast(&k, None).unwrap();
        assert_eq!(f.at, date("2026-09-30"));
        assert!((f.value - 910.0).abs() < 1e-9, "{}", f.value);
        assert!((f.progress - 1.0).abs() < 1e-9);
        assert!(f.reaches_target);
        assert!((f.slope_per_day - 10.0).abs() < 1e-12);
        assert_eq!(f.points, 3);
    }

    #[test]
    fn downward_metric_and_missing_the_target() {
        // Churn 10% → 5%, falling 0.01 a day: ends at 9.09, far from 5.
        let k = kr(10.0, 5.0, &[("2026-07-01", 10.0), ("2026-07-31", 9.7)]);
        let f = forecast(&k, None).unwrap();
        assert!((f.value - 9.09).abs() < 1e-9);
        assert!(!f.reaches_target);
        assert!((f.progress - 0.182).abs() < 1e-9);
    }

    #[test]
    fn noisy_series_uses_least_squares() {
        let (a, b) = least_squares(&[(0.0, 1.0), (1.0, 3.0), (2.0, 2.0), (3.0, 4.0)]).unwrap();
        assert!((b - 0.8).abs() < 1e-12);
        assert!((a - 1.3).abs() < 1e-12);
    }

    #[test]
    fn too_few_check_ins_give_no_forecast() {
        assert_eq!(
            forecast(&kr(0.0, 10.0, &[]), None),
            Err(NoForecast::TooFewCheckIns { points: 0 })
        );
        let one = kr(0.0, 10.0, &[("2026-07-05", 1.0)]);
        assert_eq!(
            forecast(&one, None),
            Err(NoForecast::TooFewCheckIns { points: 1 })
        );
        // Two on the same day count as one day.
        let same = kr(0.0, 10.0, &[("2026-07-05", 1.0), ("2026-07-05", 2.0)]);
        assert_eq!(
            forecast(&same, None),
            Err(NoForecast::TooFewCheckIns { points: 1 })
        );
        assert!(
            NoForecast::TooFewCheckIns { points: 1 }
                .reason()
                .contains("fewer than two")
        );
    }

    #[test]
    fn only_the_period_and_as_of_count() {
        let k = kr(
            0.0,
            100.0,
            &[
                ("2026-06-30", 50.0),
                ("2026-07-01", 0.0),
                ("2026-07-02", 1.0),
                ("2026-07-03", 99.0),
            ],
        );
        let f = forecast(&k, Some(date("2026-07-02"))).unwrap();
        assert_eq!(f.points, 2);
        assert!((f.value - 91.0).abs() < 1e-9);
    }

    #[test]
    fn a_percentage_cannot_be_forecast_past_100() {
        // 15% → 25%, rising 1 point a day: a straight line says 105% on
        // 30 September, which a percentage cannot reach.
        let mut k = kr(15.0, 25.0, &[("2026-07-01", 15.0), ("2026-07-11", 25.0)]);
        assert!(forecast(&k, None).unwrap().value > 100.0);
        if let Measure::Metric { unit, .. } = &mut k.measure {
            *unit = Some("%".into());
        }
        let f = forecast(&k, None).unwrap();
        assert_eq!(f.value, 100.0);
        assert!(f.reaches_target);
        assert_eq!(cap(&Measure::Milestone, 1.6), 1.0);
    }

    #[test]
    fn pace_fraction() {
        let (s, e) = q3();
        assert_eq!(elapsed(s, e, date("2026-06-30")), 0.0);
        assert_eq!(elapsed(s, e, date("2026-09-30")), 1.0);
        assert_eq!(elapsed(s, e, date("2026-12-01")), 1.0);
        assert!((elapsed(s, e, date("2026-08-15")) - 46.0 / 92.0).abs() < 1e-12);
    }
}
