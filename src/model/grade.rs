//! Grading: a 0.0–1.0 score per key result at the end of a period, colour
//! bands, and the scorecard that separates committed from aspirational
//! objectives (Google's convention; docs/method.md, "Grading").

use chrono::NaiveDate;

use super::okr::{KeyResult, Kind, Objective};
use super::progress::weighted_mean;

/// Average aspirational grade above which targets may be too timid.
pub const TIMID_ABOVE: f64 = 0.85;
/// Grade at which an aspirational objective is a success.
pub const ASPIRATIONAL_SUCCESS: f64 = 0.7;

/// The colour of a grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    /// 0.0–0.3: failed to make real progress.
    Red,
    /// 0.4–0.6: progress, but fell short.
    Yellow,
    /// 0.7–1.0: delivered.
    Green,
}

impl Band {
    /// `red`, `yellow` or `green`.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Red => "red",
            Band::Yellow => "yellow",
            Band::Green => "green",
        }
    }
}

/// Rounds to two decimals, the precision grades are written with.
pub fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// The band of a grade: below 0.4 red, below 0.7 yellow, else green
/// (so 0.35 is red and 0.65 yellow).
pub fn band(grade: f64) -> Band {
    let g = round2(grade);
    if g >= 0.7 {
        Band::Green
    } else if g >= 0.4 {
        Band::Yellow
    } else {
        Band::Red
    }
}

/// The proposed grade of a key result: its progress on the period's last
/// day (`end`), rounded to two decimals.
pub fn proposal(k: &KeyResult, end: NaiveDate) -> f64 {
    round2(k.progress_as_of(Some(end)).progress)
}

/// A key result's grade, or the proposal when it has none yet.
pub fn grade_or_proposal(k: &KeyResult, end: NaiveDate) -> f64 {
    k.grade.unwrap_or_else(|| proposal(k, end))
}

/// One objective on the scorecard.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveGrade<'a> {
    /// The objective.
    pub objective: &'a Objective,
    /// Weighted mean of its key results' grades.
    pub grade: f64,
    /// Each key result with its grade.
    pub key_results: Vec<(&'a KeyResult, f64)>,
    /// Committed and below 1.0: a miss to explain.
    pub miss: bool,
}

/// The scorecard of a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard<'a> {
    /// Committed objectives (expected to reach 1.0).
    pub committed: Vec<ObjectiveGrade<'a>>,
    /// Aspirational objectives (0.7 is success).
    pub aspirational: Vec<ObjectiveGrade<'a>>,
}

impl Scorecard<'_> {
    /// Mean grade of the committed objectives.
    pub fn committed_average(&self) -> Option<f64> {
        mean(&self.committed)
    }

    /// Mean grade of the aspirational objectives.
    pub fn aspirational_average(&self) -> Option<f64> {
        mean(&self.aspirational)
    }

    /// Whether the aspirational average is above [`TIMID_ABOVE`].
    pub fn too_timid(&self) -> bool {
        self.aspirational_average().is_some_and(|a| a > TIMID_ABOVE)
    }
}

fn mean(v: &[ObjectiveGrade<'_>]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().map(|o| o.grade).sum::<f64>() / v.len() as f64)
}

/// The scorecard of `objectives`, whose period ends on `end`.
pub fn scorecard<'a>(
    objectives: impl IntoIterator<Item = &'a Objective>,
    end: NaiveDate,
) -> Scorecard<'a> {
    let mut card = Scorecard {
        committed: Vec::new(),
        aspirational: Vec::new(),
    };
    for o in objectives {
        let krs: Vec<(&KeyResult, f64)> = o
            .key_results
            .iter()
            .map(|k| (k, grade_or_proposal(k, end)))
            .collect();
        let grade = round2(weighted_mean(
            krs.iter().map(|(k, g)| (*g, k.effective_weight())),
        ));
        let og = ObjectiveGrade {
            objective: o,
            grade,
            key_results: krs,
            miss: o.kind == Kind::Committed && grade < 1.0,
        };
        match o.kind {
            Kind::Committed => card.committed.push(og),
            Kind::Aspirational => card.aspirational.push(og),
        }
    }
    card
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::okr::{CheckIn, CheckValue, Level, Measure};
    use crate::model::period::Period;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn kr(id: &str, value: f64, grade: Option<f64>) -> KeyResult {
        let mut k = KeyResult::new(
            id,
            id,
            Measure::Metric {
                start: 0.0,
                target: 10.0,
                unit: None,
            },
        );
        k.check_ins.push(CheckIn {
            date: d("2026-09-01"),
            value: CheckValue::Number(value),
            confidence: None,
            note: None,
            author: None,
        });
        k.grade = grade;
        k
    }

    fn obj(id: &str, kind: Kind, krs: Vec<KeyResult>) -> Objective {
        Objective {
            id: id.into(),
            title: id.into(),
            description: None,
            owner: None,
            level: Level::Team,
            period: Period::Quarter(2026, 3),
            kind,
            parent: None,
            key_results: krs,
            rolled_from: None,
        }
    }

    #[test]
    fn bands() {
        assert_eq!(band(0.0), Band::Red);
        assert_eq!(band(0.3), Band::Red);
        assert_eq!(band(0.35), Band::Red);
        assert_eq!(band(0.4), Band::Yellow);
        assert_eq!(band(0.6), Band::Yellow);
        assert_eq!(band(0.69), Band::Yellow);
        assert_eq!(band(0.7), Band::Green);
        assert_eq!(band(1.0), Band::Green);
    }

    #[test]
    fn proposal_is_progress_at_the_end() {
        let mut k = kr("k", 6.666, None);
        k.check_ins.push(CheckIn {
            date: d("2026-10-05"),
            value: CheckValue::Number(10.0),
            confidence: None,
            note: None,
            author: None,
        });
        // The October check-in is after the end of Q3 and does not count.
        assert_eq!(proposal(&k, d("2026-09-30")), 0.67);
    }

    #[test]
    fn scorecard_separates_committed_and_aspirational() {
        let end = d("2026-09-30");
        let objs = [
            obj(
                "c",
                Kind::Committed,
                vec![kr("c1", 10.0, None), kr("c2", 5.0, None)],
            ),
            obj(
                "a",
                Kind::Aspirational,
                vec![kr("a1", 9.0, None), kr("a2", 0.0, Some(0.9))],
            ),
            obj("b", Kind::Aspirational, vec![kr("b1", 10.0, None)]),
        ];
        let card = scorecard(&objs, end);
        assert_eq!(card.committed.len(), 1);
        assert_eq!(card.committed[0].grade, 0.75);
        assert!(card.committed[0].miss);
        assert_eq!(card.aspirational[0].grade, 0.9);
        assert_eq!(card.aspirational_average(), Some(0.95));
        assert!(card.too_timid());
        let card = scorecard(&objs[..2], end);
        assert!(!card.too_timid() || card.aspirational_average().unwrap() > TIMID_ABOVE);
        let modest = [obj("a", Kind::Aspirational, vec![kr("a1", 7.0, None)])];
        assert!(!scorecard(&modest, end).too_timid());
    }
}
