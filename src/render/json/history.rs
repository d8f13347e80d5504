//! Objects of `okr history --format json`.

use chrono::NaiveDate;
use serde::Serialize;

use super::{ForecastJson, JSON_VERSION, ValueJson};
use crate::model::Measure;
use crate::render::history::History;

/// Top level of `okr history --format json`.
#[derive(Debug, Serialize)]
pub struct HistoryJson<'a> {
    /// Contract version.
    pub version: u32,
    /// Always `history`.
    pub kind: &'static str,
    /// Key result ID.
    pub key_result: &'a str,
    /// The include it comes from (`NAME` of the address `NAME:ID`), or
    /// null for the workspace itself (docs/includes.md).
    pub workspace: Option<&'a str>,
    /// ID of its objective.
    pub objective: &'a str,
    /// Key result title.
    pub title: &'a str,
    /// Period label of its objective.
    pub period: String,
    /// First day of the period on the workspace's fiscal calendar.
    #[serde(serialize_with = "super::writer::date")]
    pub period_start: NaiveDate,
    /// Last day of the period on the workspace's fiscal calendar.
    #[serde(serialize_with = "super::writer::date")]
    pub period_end: NaiveDate,
    /// The day described (`--as-of`, else today).
    #[serde(serialize_with = "super::writer::date")]
    pub as_of: NaiveDate,
    /// Status on `as_of` (as in `okr list`).
    pub status: &'static str,
    /// Expected progress on `as_of`.
    pub expected: f64,
    /// Latest counted value (as in `okr list`).
    pub current: ValueJson,
    /// Progress 0–1 on `as_of` (as in `okr list`).
    pub progress: f64,
    /// Unclamped attainment on `as_of`.
    pub attainment: f64,
    /// Confidence of the latest counted check-in, or null.
    pub confidence: Option<f64>,
    /// Date of the latest counted check-in, or null.
    #[serde(serialize_with = "super::writer::opt_date")]
    pub last_check_in: Option<NaiveDate>,
    /// Grade once graded, else null.
    pub grade: Option<f64>,
    /// Start value of a metric, else null.
    pub start: Option<f64>,
    /// Target of a metric, else null.
    pub target: Option<f64>,
    /// Unit, or null.
    pub unit: Option<&'a str>,
    /// The pace line's value on `as_of` (or the period's end, if earlier).
    pub pace: f64,
    /// Counted check-ins, oldest first.
    pub entries: Vec<EntryJson<'a>>,
    /// Projection to the period's end.
    pub forecast: ForecastJson,
}

/// One check-in in a history.
#[derive(Debug, Serialize)]
pub struct EntryJson<'a> {
    /// Day of the check-in.
    #[serde(serialize_with = "super::writer::date")]
    pub date: NaiveDate,
    /// The value: a number, `"done"` or `"todo"`.
    pub value: ValueJson,
    /// Change since the previous check-in, or null for the first.
    pub delta: Option<f64>,
    /// Progress 0–1 of this value.
    pub progress: f64,
    /// Unclamped attainment of this value.
    pub attainment: f64,
    /// The pace line's value on this day.
    pub pace: f64,
    /// Confidence 0–1, or null.
    pub confidence: Option<f64>,
    /// Note, or null.
    pub note: Option<&'a str>,
    /// Author, or null.
    pub author: Option<&'a str>,
}

impl<'a> HistoryJson<'a> {
    /// The view of a computed history.
    pub fn new(h: &History<'a>) -> Self {
        let (start, target, unit) = match &h.kr.measure {
            Measure::Metric {
                start,
                target,
                unit,
            } => (Some(*start), Some(*target), unit.as_deref()),
            Measure::Milestone => (None, None, None),
        };
        let p = h.state.progress;
        HistoryJson {
            version: JSON_VERSION,
            kind: "history",
            key_result: &h.kr.id,
            workspace: crate::model::qualified::workspace_of(&h.kr.id),
            objective: &h.objective.id,
            title: &h.kr.title,
            period: h.objective.period.to_string(),
            period_start: h.start,
            period_end: h.end,
            as_of: h.as_of,
            status: h.status.as_str(),
            expected: h.expected,
            current: p.current.into(),
            progress: p.progress,
            attainment: p.attainment,
            confidence: p.confidence,
            last_check_in: p.last_check_in,
            grade: h.state.grade,
            start,
            target,
            unit,
            pace: h.pace(h.as_of.min(h.end)),
            entries: h
                .entries
                .iter()
                .map(|e| EntryJson {
                    date: e.check_in.date,
                    value: e.check_in.value.into(),
                    delta: e.delta,
                    progress: e.attainment.clamp(0.0, 1.0),
                    attainment: e.attainment,
                    pace: h.pace(e.check_in.date),
                    confidence: e.check_in.confidence,
                    note: e.check_in.note.as_deref(),
                    author: e.check_in.author.as_deref(),
                })
                .collect(),
            forecast: ForecastJson::new(h.forecast, h.end),
        }
    }
}
