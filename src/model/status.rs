//! Pace and status: where a key result should be by today, and whether it is.
//!
//! Expected progress is the elapsed share of the period (the linear pace
//! line, see [`Calendar::elapsed`]). A key result's status compares its
//! progress with that line, then lets an explicit low confidence make it
//! worse, never better. Silence is never green: a key result without a recent
//! check-in is `stale`, one without any is `not-started`. The formulas and
//! defaults are documented in docs/method.md ("Pace and status").

use std::fmt;

use chrono::NaiveDate;

use super::okr::{KeyResult, Objective, PaceSettings, Settings};
use super::period::{Calendar, Period};

/// Where a key result or objective stands against the pace line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The target is reached (or the milestone done).
    Done,
    /// At or near the pace line.
    OnTrack,
    /// No check-in yet.
    NotStarted,
    /// Somewhat behind the pace line, or low confidence.
    AtRisk,
    /// No check-in for longer than the stale interval.
    Stale,
    /// Far behind the pace line, or very low confidence.
    OffTrack,
}

impl Status {
    /// Every status, best first.
    pub const ALL: [Status; 6] = [
        Status::Done,
        Status::OnTrack,
        Status::NotStarted,
        Status::AtRisk,
        Status::Stale,
        Status::OffTrack,
    ];

    /// The name used in output and in `--status`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::OnTrack => "on-track",
            Status::NotStarted => "not-started",
            Status::AtRisk => "at-risk",
            Status::Stale => "stale",
            Status::OffTrack => "off-track",
        }
    }

    /// How bad it is: an objective takes its worst key result's status.
    /// Order, best to worst: done, on-track, not-started, at-risk, stale, off-track.
    pub fn severity(self) -> u8 {
        match self {
            Status::Done => 0,
            Status::OnTrack => 1,
            Status::NotStarted => 2,
            Status::AtRisk => 3,
            Status::Stale => 4,
            Status::OffTrack => 5,
        }
    }

    /// The worse of two statuses.
    pub fn worst(self, other: Status) -> Status {
        if other.severity() > self.severity() {
            other
        } else {
            self
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase().replace('_', "-");
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == t)
            .ok_or_else(|| {
                format!(
                    "invalid status `{s}`: use on-track, at-risk, off-track, not-started, stale or done"
                )
            })
    }
}

/// Default: behind the pace line by more than 0.10 is at risk.
pub const AT_RISK_GAP: f64 = 0.10;
/// Default: behind the pace line by more than 0.25 is off track.
pub const OFF_TRACK_GAP: f64 = 0.25;
/// Default: a latest confidence below 0.5 is at risk at best.
pub const AT_RISK_CONFIDENCE: f64 = 0.5;
/// Default: a latest confidence below 0.3 is off track.
pub const OFF_TRACK_CONFIDENCE: f64 = 0.3;
/// Default: no check-in for more than 14 days is stale.
pub const STALE_AFTER_DAYS: u32 = 14;

/// The result of assessing a key result or objective.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assessment {
    /// Its status.
    pub status: Status,
    /// Expected progress today (the elapsed share of its period).
    pub expected: f64,
    /// Its progress counting check-ins up to today.
    pub progress: f64,
}

/// Everything status needs: today, the calendar and the thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    /// The day to assess at.
    pub today: NaiveDate,
    /// The planning calendar.
    pub calendar: Calendar,
    /// See [`AT_RISK_GAP`].
    pub at_risk_gap: f64,
    /// See [`OFF_TRACK_GAP`].
    pub off_track_gap: f64,
    /// See [`AT_RISK_CONFIDENCE`].
    pub at_risk_confidence: f64,
    /// See [`OFF_TRACK_CONFIDENCE`].
    pub off_track_confidence: f64,
    /// See [`STALE_AFTER_DAYS`].
    pub stale_after_days: u32,
}

impl Pace {
    /// The pace at `today` with the workspace's settings.
    pub fn new(today: NaiveDate, settings: &Settings) -> Pace {
        let p = settings.pace.clone().unwrap_or_default();
        Pace::with(today, settings.calendar(), &p)
    }

    /// The pace at `today` on `calendar` with explicit thresholds.
    pub fn with(today: NaiveDate, calendar: Calendar, p: &PaceSettings) -> Pace {
        Pace {
            today,
            calendar,
            at_risk_gap: p.at_risk_gap.unwrap_or(AT_RISK_GAP),
            off_track_gap: p.off_track_gap.unwrap_or(OFF_TRACK_GAP),
            at_risk_confidence: p.at_risk_confidence.unwrap_or(AT_RISK_CONFIDENCE),
            off_track_confidence: p.off_track_confidence.unwrap_or(OFF_TRACK_CONFIDENCE),
            stale_after_days: p.stale_after_days.unwrap_or(STALE_AFTER_DAYS),
        }
    }

    /// Expected progress in `period` today.
    pub fn expected(&self, period: Period) -> f64 {
        self.calendar.elapsed(period, self.today)
    }

    /// The status of key result `k` of objective `o`.
    pub fn key_result(&self, o: &Objective, k: &KeyResult) -> Assessment {
        let expected = self.expected(o.period);
        let p = k.progress_as_of(Some(self.today));
        let status = match p.last_check_in {
            None => Status::NotStarted,
            Some(_) if k.is_done_as_of(Some(self.today)) => Status::Done,
            Some(last) => {
                let reference = self.today.min(self.calendar.end(o.period));
                if (reference - last).num_days() > i64::from(self.stale_after_days) {
                    Status::Stale
                } else {
                    // A threshold is judged by the share of check-ins
                    // inside its bound against 1.0, not against the pace line.
                    let line = if k.threshold.is_some() { 1.0 } else { expected };
                    let gap = line - p.progress;
                    let by_pace = if gap > self.off_track_gap + 1e-9 {
                        Status::OffTrack
                    } else if gap > self.at_risk_gap + 1e-9 {
                        Status::AtRisk
                    } else {
                        Status::OnTrack
                    };
                    let by_confidence = match p.confidence {
                        Some(c) if c < self.off_track_confidence => Status::OffTrack,
                        Some(c) if c < self.at_risk_confidence => Status::AtRisk,
                        _ => Status::OnTrack,
                    };
                    by_pace.worst(by_confidence)
                }
            }
        };
        Assessment {
            status,
            expected,
            progress: p.progress,
        }
    }

    /// The status of an objective: its worst key result's (`not-started`
    /// without key results).
    pub fn objective(&self, o: &Objective) -> Assessment {
        let status = o
            .key_results
            .iter()
            .map(|k| self.key_result(o, k).status)
            .reduce(Status::worst)
            .unwrap_or(Status::NotStarted);
        Assessment {
            status,
            expected: self.expected(o.period),
            progress: o.progress_as_of(Some(self.today)),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::okr::{CheckIn, CheckValue, Kind, Level, Measure};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn kr(checks: &[(&str, f64, Option<f64>)]) -> KeyResult {
        let mut k = KeyResult::new(
            "k",
            "K",
            Measure::Metric {
                start: 0.0,
                target: 100.0,
                unit: None,
            },
        );
        k.check_ins = checks
            .iter()
            .map(|(date, v, c)| CheckIn {
                date: d(date),
                value: CheckValue::Number(*v),
                confidence: *c,
                note: None,
                author: None,
            })
            .collect();
        k
    }

    fn obj(period: Period, krs: Vec<KeyResult>) -> Objective {
        Objective {
            id: "o".into(),
            title: "O".into(),
            description: None,
            owner: None,
            level: Level::Team,
            period,
            kind: Kind::Aspirational,
            parent: None,
            key_results: krs,
            rolled_from: None,
        }
    }

    fn pace(today: &str) -> Pace {
        Pace::new(d(today), &Settings::default())
    }

    const Q3: Period = Period::Quarter(2026, 3);

    fn status(today: &str, checks: &[(&str, f64, Option<f64>)]) -> Status {
        let o = obj(Q3, vec![kr(checks)]);
        pace(today).key_result(&o, &o.key_results[0]).status
    }

    #[test]
    fn expected_is_the_elapsed_share() {
        // 2026-08-15 is day 46 of the 92 days of Q3.
        let o = obj(Q3, vec![kr(&[])]);
        let a = pace("2026-08-15").key_result(&o, &o.key_results[0]);
        assert!((a.expected - 0.5).abs() < 1e-12);
    }

    #[test]
    fn pace_bands() {
        // Expected 0.5 on 2026-08-15.
        assert_eq!(
            status("2026-08-15", &[("2026-08-10", 40.0, None)]),
            Status::OnTrack
        );
        assert_eq!(
            status("2026-08-15", &[("2026-08-10", 39.0, None)]),
            Status::AtRisk
        );
        assert_eq!(
            status("2026-08-15", &[("2026-08-10", 25.0, None)]),
            Status::AtRisk
        );
        assert_eq!(
            status("2026-08-15", &[("2026-08-10", 24.0, None)]),
            Status::OffTrack
        );
        assert_eq!(
            status("2026-08-15", &[("2026-08-10", 90.0, None)]),
            Status::OnTrack
        );
    }

    #[test]
    fn low_confidence_overrides_pace() {
        assert_eq!(
            status("2026-08-15", &[("2026-08-10", 60.0, Some(0.4))]),
            Status::AtRisk
        );
        assert_eq!(
            status("2026-08-15", &[("2026-08-10", 60.0, Some(0.2))]),
            Status::OffTrack
        );
        assert_eq!(
            status("2026-08-15", &[("2026-08-10", 60.0, Some(0.5))]),
            Status::OnTrack
        );
        // Confidence only makes it worse.
        assert_eq!(
            status("2026-08-15", &[("2026-08-10", 10.0, Some(1.0))]),
            Status::OffTrack
        );
    }

    #[test]
    fn silence_is_never_green() {
        assert_eq!(status("2026-08-15", &[]), Status::NotStarted);
        // 14 days old is still fresh; 15 is stale.
        assert_eq!(
            status("2026-08-15", &[("2026-08-01", 60.0, None)]),
            Status::OnTrack
        );
        assert_eq!(
            status("2026-08-15", &[("2026-07-31", 60.0, None)]),
            Status::Stale
        );
        // Check-ins after today do not count.
        assert_eq!(
            status("2026-08-15", &[("2026-08-20", 60.0, None)]),
            Status::NotStarted
        );
        // After the period, staleness is measured at its last day.
        assert_eq!(
            status("2026-12-01", &[("2026-09-20", 100.0, None)]),
            Status::Done
        );
        assert_eq!(
            status("2026-12-01", &[("2026-09-20", 95.0, None)]),
            Status::OnTrack
        );
    }

    #[test]
    fn done_when_target_reached() {
        assert_eq!(
            status("2026-07-05", &[("2026-07-02", 100.0, Some(0.1))]),
            Status::Done
        );
        let mut m = KeyResult::new("m", "M", Measure::Milestone);
        m.check_ins.push(CheckIn {
            date: d("2026-07-10"),
            value: CheckValue::Done,
            confidence: None,
            note: None,
            author: None,
        });
        let o = obj(Q3, vec![m]);
        assert_eq!(
            pace("2026-09-01").key_result(&o, &o.key_results[0]).status,
            Status::Done
        );
    }

    #[test]
    fn configurable_thresholds() {
        let o = obj(Q3, vec![kr(&[("2026-08-01", 45.0, Some(0.6))])]);
        let strict = PaceSettings {
            at_risk_gap: Some(0.0),
            at_risk_confidence: Some(0.7),
            stale_after_days: Some(7),
            ..Default::default()
        };
        let p = Pace::with(d("2026-08-05"), Calendar::default(), &strict);
        // Expected on 08-05 is 36/92 = 0.39: ahead of pace, but confidence 0.6 < 0.7.
        assert_eq!(p.key_result(&o, &o.key_results[0]).status, Status::AtRisk);
        let p = Pace::with(d("2026-08-09"), Calendar::default(), &strict);
        assert_eq!(p.key_result(&o, &o.key_results[0]).status, Status::Stale);
    }

    #[test]
    fn fiscal_calendar_changes_expected() {
        // Fiscal year from February: 2026-Q1 is Feb..Apr (89 days).
        let s = Settings {
            fiscal_year_start: Some(2),
            ..Default::default()
        };
        let p = Pace::new(d("2026-03-15"), &s);
        let o = obj(
            Period::Quarter(2026, 1),
            vec![kr(&[("2026-03-10", 40.0, None)])],
        );
        let a = p.key_result(&o, &o.key_results[0]);
        assert!((a.expected - 43.0 / 89.0).abs() < 1e-12);
        // 0.483 − 0.40 = 0.083 behind: on track.
        assert_eq!(a.status, Status::OnTrack);
        // On the calendar year, 2026-Q1 is Jan..Mar: 74/90 = 0.82 expected.
        let cal = Pace::new(d("2026-03-15"), &Settings::default());
        let b = cal.key_result(&o, &o.key_results[0]);
        assert!((b.expected - 74.0 / 90.0).abs() < 1e-12);
        assert_eq!(b.status, Status::OffTrack);
    }

    #[test]
    fn objective_takes_the_worst() {
        let o = obj(
            Q3,
            vec![
                kr(&[("2026-08-10", 100.0, None)]),
                kr(&[("2026-08-10", 45.0, None)]),
                kr(&[]),
            ],
        );
        assert_eq!(pace("2026-08-15").objective(&o).status, Status::NotStarted);
        let o2 = obj(
            Q3,
            vec![
                kr(&[("2026-08-10", 100.0, None)]),
                kr(&[("2026-08-10", 10.0, None)]),
            ],
        );
        assert_eq!(pace("2026-08-15").objective(&o2).status, Status::OffTrack);
        assert_eq!(
            pace("2026-08-15").objective(&obj(Q3, vec![])).status,
            Status::NotStarted
        );
        assert_eq!("off_track".parse::<Status>(), Ok(Status::OffTrack));
        assert!("green".parse::<Status>().is_err());
    }

    #[test]
    fn threshold_progress_is_the_share_inside_the_bound() {
        use crate::model::okr::{Direction, Threshold};
        let yaml = "id: uptime\ntitle: Uptime\nat_least: 99.9\nunit: \"%\"\ncheck_ins:\n  - {date: 2026-07-10, value: 99.95}\n  - {date: 2026-07-20, value: 99.5}\n  - {date: 2026-08-01, value: 99.9}\n  - {date: 2026-08-10, value: 99.99}\n";
        let k: KeyResult = serde_saphyr::from_str(yaml).unwrap();
        assert_eq!(k.threshold, Some(Threshold::new(Direction::AtLeast, 99.9)));
        assert_eq!(k.kind_str(), "threshold");
        // 3 of 4 check-ins at or above 99.9.
        assert!((k.progress().progress - 0.75).abs() < 1e-12);
        // Only the first two by 2026-07-25: 1 of 2.
        assert!((k.progress_as_of(Some(d("2026-07-25"))).progress - 0.5).abs() < 1e-12);
        assert!(!k.is_done_as_of(None));
        // Status compares the share with 1.0: 0.75 is 0.25 short, at risk.
        let o = obj(Q3, vec![k.clone()]);
        assert_eq!(
            pace("2026-08-15").key_result(&o, &o.key_results[0]).status,
            Status::AtRisk
        );
        // Round trip: written back with `at_least`, no start or target.
        let text = serde_saphyr::to_string(&k).unwrap();
        assert!(
            text.contains("at_least: 99.9") && !text.contains("target"),
            "{text}"
        );
        let again: KeyResult = serde_saphyr::from_str(&text).unwrap();
        assert_eq!(again, k);
        // Below: response time at most 200.
        let mut rt =
            KeyResult::threshold("rt", "RT", Threshold::new(Direction::AtMost, 200.0), None);
        for (day, v) in [("2026-08-01", 180.0), ("2026-08-08", 210.0)] {
            rt.check_ins.push(crate::model::okr::CheckIn {
                date: d(day),
                value: crate::model::okr::CheckValue::Number(v),
                confidence: None,
                note: None,
                author: None,
            });
        }
        assert!((rt.progress().progress - 0.5).abs() < 1e-12);
        assert_eq!(
            rt.value_attainment(crate::model::okr::CheckValue::Number(200.0)),
            1.0
        );
        let bad = "id: x\ntitle: X\nat_least: 1\nat_most: 2\n";
        assert!(serde_saphyr::from_str::<KeyResult>(bad).is_err());
    }
}
