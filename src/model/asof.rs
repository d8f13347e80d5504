//! "As of a date": the one place that decides which check-ins count.
//!
//! Every command describes one day, `--as-of DATE` or today. A check-in dated
//! after that day does not count anywhere: not for the current value,
//! progress, attainment, confidence, status, trend, forecast or the listed
//! check-ins. Before this module, `list` counted a future-dated check-in
//! while `report` ignored it, so the same key result showed two different
//! numbers on the same day. Now every command builds an [`AsOf`] once and
//! asks it for a [`KrState`] / [`ObjectiveState`]; renderers only format
//! those numbers. Period bounds come from the workspace's fiscal calendar
//! ([`Calendar`]), never from calendar quarters.

use chrono::NaiveDate;

use super::forecast::{self, Forecast, NoForecast};
use super::grade;
use super::history::{self, Trend};
use super::okr::{CheckIn, KeyResult, Kpi, KpiCheckIn, Objective, Settings};
use super::period::{Calendar, Period};
use super::progress::{KrProgress, weighted_mean};
use super::status::{Pace, Status};

/// Whether a check-in dated `date` counts as of `as_of` (every check-in
/// counts when `as_of` is `None`). The single rule, used by progress,
/// history, forecasts and KPIs alike.
pub fn counts(date: NaiveDate, as_of: Option<NaiveDate>) -> bool {
    as_of.is_none_or(|d| date <= d)
}

/// One day to compute everything at, with the workspace's calendar and pace
/// thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AsOf {
    /// The pace at that day (its `today` is the as-of date).
    pub pace: Pace,
}

/// A key result as of the date: every number a command shows.
#[derive(Debug, Clone, PartialEq)]
pub struct KrState<'a> {
    /// Current value, progress, attainment, confidence and last check-in.
    pub progress: KrProgress,
    /// Status against the pace line.
    pub status: Status,
    /// Expected progress (the elapsed share of the period).
    pub expected: f64,
    /// The recorded grade, if graded.
    pub grade: Option<f64>,
    /// Change since the previous counted check-in.
    pub trend: Option<Trend>,
    /// Projection to the end of the period.
    pub forecast: Result<Forecast, NoForecast>,
    /// The counted check-ins, by date (file order within a day).
    pub check_ins: Vec<&'a CheckIn>,
    /// How many check-ins are dated after the as-of date (not counted).
    pub later: usize,
}

/// An objective as of the date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ObjectiveState {
    /// Weighted mean of all its key results' progress.
    pub progress: f64,
    /// Its worst key result's status.
    pub status: Status,
    /// Expected progress (the elapsed share of the period).
    pub expected: f64,
    /// Weighted mean of its key results' grades once every one is graded.
    pub grade: Option<f64>,
    /// First day of its period on the workspace calendar.
    pub start: NaiveDate,
    /// Last day of its period on the workspace calendar.
    pub end: NaiveDate,
}

impl AsOf {
    /// Everything as of `date` with the workspace's settings.
    pub fn new(date: NaiveDate, settings: &Settings) -> AsOf {
        AsOf {
            pace: Pace::new(date, settings),
        }
    }

    /// The day described.
    pub fn date(&self) -> NaiveDate {
        self.pace.today
    }

    /// The workspace calendar.
    pub fn calendar(&self) -> Calendar {
        self.pace.calendar
    }

    /// First and last day of `period` on the workspace calendar.
    pub fn bounds(&self, period: Period) -> (NaiveDate, NaiveDate) {
        let cal = self.calendar();
        (cal.start(period), cal.end(period))
    }

    /// Whether `c` counts as of this date.
    pub fn counts(&self, c: &CheckIn) -> bool {
        counts(c.date, Some(self.date()))
    }

    /// How many check-ins of `k` are dated after this date.
    pub fn later(&self, k: &KeyResult) -> usize {
        k.check_ins.iter().filter(|c| !self.counts(c)).count()
    }

    /// Key result `k` of objective `o` as of this date.
    pub fn key_result<'a>(&self, o: &Objective, k: &'a KeyResult) -> KrState<'a> {
        let at = Some(self.date());
        let (start, end) = self.bounds(o.period);
        let a = self.pace.key_result(o, k);
        KrState {
            progress: k.progress_as_of(at),
            status: a.status,
            expected: a.expected,
            grade: k.grade,
            trend: history::trend(k, at),
            forecast: forecast::forecast(k, start, end, at),
            check_ins: history::sorted(k, at),
            later: self.later(k),
        }
    }

    /// Only the status of key result `k` of objective `o` (what filters
    /// need, without the trend and forecast).
    pub fn status(&self, o: &Objective, k: &KeyResult) -> Status {
        self.pace.key_result(o, k).status
    }

    /// Objective `o` (all its key results) as of this date.
    pub fn objective(&self, o: &Objective) -> ObjectiveState {
        let (start, end) = self.bounds(o.period);
        let a = self.pace.objective(o);
        ObjectiveState {
            progress: o.progress_as_of(Some(self.date())),
            status: a.status,
            expected: a.expected,
            grade: objective_grade(o),
            start,
            end,
        }
    }

    /// The latest reading of `k` on or before this date.
    pub fn kpi_latest<'a>(&self, k: &'a Kpi) -> Option<&'a KpiCheckIn> {
        k.check_ins
            .iter()
            .enumerate()
            .filter(|(_, c)| counts(c.date, Some(self.date())))
            .max_by_key(|(i, c)| (c.date, *i))
            .map(|(_, c)| c)
    }

    /// The health of `k` by its latest reading on or before this date.
    pub fn kpi_health(&self, k: &Kpi) -> KpiHealth {
        match self.kpi_latest(k) {
            None => KpiHealth::NoData,
            Some(c) if k.is_healthy(c.value) => KpiHealth::Healthy,
            Some(_) => KpiHealth::Unhealthy,
        }
    }
}

/// A KPI's health as of a day: inside its healthy range, outside it, or
/// never read by then. Decided here once, so `kpi list`, `show`, the JSON
/// views and the report's "out of range" list cannot disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KpiHealth {
    Healthy,
    Unhealthy,
    NoData,
}

impl KpiHealth {
    /// The wire and table name: `healthy`, `unhealthy`, `no-data`.
    pub fn as_str(self) -> &'static str {
        match self {
            KpiHealth::Healthy => "healthy",
            KpiHealth::Unhealthy => "unhealthy",
            KpiHealth::NoData => "no-data",
        }
    }
}

/// An objective's grade once every key result is graded: the weighted mean
/// of their grades, rounded to two decimals (as on `okr grade`'s scorecard).
pub fn objective_grade(o: &Objective) -> Option<f64> {
    if o.key_results.is_empty() {
        return None;
    }
    let grades: Option<Vec<(f64, f64)>> = o
        .key_results
        .iter()
        .map(|k| k.grade.map(|g| (g, k.effective_weight())))
        .collect();
    grades.map(|g| grade::round2(weighted_mean(g)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::okr::CheckValue;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn objective(yaml_krs: &str) -> Objective {
        let y = format!("id: o\ntitle: O\nperiod: 2026-Q1\nkey_results:\n{yaml_krs}");
        serde_saphyr::from_str(&y).unwrap()
    }

    #[test]
    fn later_check_ins_count_nowhere() {
        let o = objective(
            "  - id: k\n    title: K\n    start: 0\n    target: 100\n    check_ins:\n      - {date: 2026-02-10, value: 40, confidence: 0.9}\n      - {date: 2026-03-01, value: 5, confidence: 0.1}\n",
        );
        let s = Settings {
            fiscal_year_start: Some(2),
            ..Default::default()
        };
        let a = AsOf::new(d("2026-02-20"), &s);
        let k = a.key_result(&o, &o.key_results[0]);
        assert_eq!(k.progress.current, CheckValue::Number(40.0));
        assert_eq!(k.progress.confidence, Some(0.9));
        assert_eq!(k.check_ins.len(), 1);
        assert_eq!(k.later, 1);
        assert!(k.trend.is_none());
        assert_eq!(k.status, Status::OnTrack);
        let ob = a.objective(&o);
        assert!((ob.progress - 0.4).abs() < 1e-12);
        // Fiscal February: 2026-Q1 is February to April.
        assert_eq!((ob.start, ob.end), (d("2026-02-01"), d("2026-04-30")));
        // A day later than both: the second check-in counts.
        let b = AsOf::new(d("2026-03-02"), &s);
        assert_eq!(
            b.key_result(&o, &o.key_results[0]).progress.current,
            CheckValue::Number(5.0)
        );
    }

    #[test]
    fn kpi_health_reads_the_latest_reading_on_or_before_the_day() {
        let k: Kpi = serde_saphyr::from_str(
            "id: p95\ntitle: p95\nat_most: 200\ncheck_ins:\n  - {date: 2026-02-10, value: 180}\n  - {date: 2026-02-20, value: 250}\n",
        )
        .unwrap();
        let s = Settings::default();
        let at = |day: &str| AsOf::new(d(day), &s).kpi_health(&k);
        assert_eq!(at("2026-02-09"), KpiHealth::NoData);
        assert_eq!(at("2026-02-10"), KpiHealth::Healthy);
        assert_eq!(at("2026-02-19"), KpiHealth::Healthy);
        // A reading made on the day itself counts.
        assert_eq!(at("2026-02-20"), KpiHealth::Unhealthy);
        assert_eq!(
            [KpiHealth::Healthy, KpiHealth::Unhealthy, KpiHealth::NoData].map(KpiHealth::as_str),
            ["healthy", "unhealthy", "no-data"]
        );
    }

    #[test]
    fn objective_grade_needs_every_key_result() {
        let mut o = objective(
            "  - {id: a, title: A, target: 1, grade: 0.5}\n  - {id: b, title: B, target: 1, weight: 3}\n",
        );
        assert_eq!(objective_grade(&o), None);
        o.key_results[1].grade = Some(1.0);
        assert_eq!(objective_grade(&o), Some(0.88));
    }
}
