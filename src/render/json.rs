//! The `--format json` contract.
//!
//! These view types are the documented, stable shape scripts rely on
//! (README, "Scripting"). They are separate from the file format on purpose:
//! the file may grow new spellings, the JSON only grows new fields.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{CheckIn, CheckValue, KeyResult, Measure, Objective};

/// Version of the JSON output contract.
pub const JSON_VERSION: u32 = 1;

/// Top level of `okr list --format json`.
#[derive(Debug, Serialize)]
pub struct ListJson<'a> {
    /// Contract version.
    pub version: u32,
    /// Matching objectives.
    pub objectives: Vec<ObjectiveJson<'a>>,
}

/// One objective.
#[derive(Debug, Serialize)]
pub struct ObjectiveJson<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub owner: Option<&'a str>,
    pub level: &'static str,
    pub period: String,
    pub kind: &'static str,
    pub parent: Option<&'a str>,
    pub progress: f64,
    pub key_results: Vec<KeyResultJson<'a>>,
}

/// One key result.
#[derive(Debug, Serialize)]
pub struct KeyResultJson<'a> {
    pub id: &'a str,
    pub objective: &'a str,
    pub title: &'a str,
    pub owner: Option<&'a str>,
    pub kind: &'static str,
    pub start: Option<f64>,
    pub target: Option<f64>,
    pub unit: Option<&'a str>,
    pub weight: f64,
    pub stretch: bool,
    pub current: ValueJson,
    pub progress: f64,
    pub attainment: f64,
    pub confidence: Option<f64>,
    pub last_check_in: Option<NaiveDate>,
    pub check_ins: Vec<CheckInJson<'a>>,
}

/// One check-in.
#[derive(Debug, Serialize)]
pub struct CheckInJson<'a> {
    pub date: NaiveDate,
    pub value: ValueJson,
    pub confidence: Option<f64>,
    pub note: Option<&'a str>,
    pub author: Option<&'a str>,
}

/// A value: a number, or `"done"` / `"todo"`.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ValueJson {
    /// A number.
    Number(f64),
    /// `done` or `todo`.
    Word(&'static str),
}

impl From<CheckValue> for ValueJson {
    fn from(v: CheckValue) -> Self {
        match v {
            CheckValue::Number(n) => ValueJson::Number(n),
            CheckValue::Done => ValueJson::Word("done"),
            CheckValue::Todo => ValueJson::Word("todo"),
        }
    }
}

impl<'a> ObjectiveJson<'a> {
    /// The view of an objective with the given key results.
    pub fn new(o: &'a Objective, krs: impl IntoIterator<Item = &'a KeyResult>) -> Self {
        ObjectiveJson {
            id: &o.id,
            title: &o.title,
            description: o.description.as_deref(),
            owner: o.owner.as_deref(),
            level: o.level.as_str(),
            period: o.period.to_string(),
            kind: o.kind.as_str(),
            parent: o.parent.as_deref(),
            progress: o.progress(),
            key_results: krs.into_iter().map(|k| KeyResultJson::new(o, k)).collect(),
        }
    }
}

impl<'a> KeyResultJson<'a> {
    /// The view of a key result of objective `o`.
    pub fn new(o: &'a Objective, k: &'a KeyResult) -> Self {
        let p = k.progress();
        let (start, target, unit) = match &k.measure {
            Measure::Metric {
                start,
                target,
                unit,
            } => (Some(*start), Some(*target), unit.as_deref()),
            Measure::Milestone => (None, None, None),
        };
        KeyResultJson {
            id: &k.id,
            objective: &o.id,
            title: &k.title,
            owner: k.owner.as_deref().or(o.owner.as_deref()),
            kind: k.measure.kind_str(),
            start,
            target,
            unit,
            weight: k.effective_weight(),
            stretch: k.stretch,
            current: p.current.into(),
            progress: p.progress,
            attainment: p.attainment,
            confidence: p.confidence,
            last_check_in: p.last_check_in,
            check_ins: k.check_ins.iter().map(CheckInJson::new).collect(),
        }
    }
}

impl<'a> CheckInJson<'a> {
    fn new(c: &'a CheckIn) -> Self {
        CheckInJson {
            date: c.date,
            value: c.value.into(),
            confidence: c.confidence,
            note: c.note.as_deref(),
            author: c.author.as_deref(),
        }
    }
}

/// Pretty-printed JSON with a trailing newline.
pub fn to_string<T: Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}
