//! The `--format json` contract.
//!
//! These view types are the documented, stable shape scripts rely on
//! (README, "Scripting"). They are separate from the file format on purpose:
//! the file may grow new spellings, the JSON only grows new fields.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::forecast::{self, Forecast, NoForecast};
use crate::model::history::{self, Trend};
use crate::model::{CheckIn, CheckValue, Initiative, KeyResult, Measure, Objective, Pace};

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
    /// Pace status (`on-track` …); present in `list` and `show`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    /// Expected progress today (elapsed share of the period).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<f64>,
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
    /// Pace status (`on-track` …); present in `list` and `show`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    /// Expected progress today (elapsed share of the period).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<f64>,
    pub grade: Option<f64>,
    pub grade_note: Option<&'a str>,
    pub kpi: Option<&'a str>,
    /// For a threshold key result: `at-least` or `at-most` (`target` is the bound).
    pub direction: Option<&'static str>,
    pub initiatives: Vec<InitiativeJson<'a>>,
    /// Change since the previous check-in; `null` with fewer than two.
    pub trend: Option<TrendJson>,
    /// Least-squares projection to the period's end (docs/reports.md).
    pub forecast: ForecastJson,
}

/// One initiative.
#[derive(Debug, Serialize)]
pub struct InitiativeJson<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub status: &'static str,
    pub link: Option<&'a str>,
    pub owner: Option<&'a str>,
}

impl<'a> InitiativeJson<'a> {
    /// The view of an initiative.
    pub fn new(i: &'a Initiative) -> Self {
        InitiativeJson {
            id: &i.id,
            title: &i.title,
            status: i.status.as_str(),
            link: i.link.as_deref(),
            owner: i.owner.as_deref(),
        }
    }
}

/// How a key result moved since its previous check-in.
#[derive(Debug, Serialize)]
pub struct TrendJson {
    pub previous_date: NaiveDate,
    pub previous: ValueJson,
    pub delta: f64,
    pub progress_delta: f64,
    pub direction: &'static str,
}

impl From<Trend> for TrendJson {
    fn from(t: Trend) -> Self {
        TrendJson {
            previous_date: t.previous_date,
            previous: t.previous.into(),
            delta: t.delta,
            progress_delta: t.progress_delta,
            direction: t.direction(),
        }
    }
}

/// A forecast; when `available` is false the numbers are `null` and
/// `reason` says why.
#[derive(Debug, Serialize)]
pub struct ForecastJson {
    pub available: bool,
    pub method: &'static str,
    pub at: NaiveDate,
    pub points: usize,
    pub value: Option<f64>,
    pub progress: Option<f64>,
    pub attainment: Option<f64>,
    pub reaches_target: Option<bool>,
    pub slope_per_day: Option<f64>,
    pub reason: Option<String>,
}

impl ForecastJson {
    /// The forecast of `k` to the end of its objective's period on the
    /// workspace calendar, from check-ins up to the pace's day.
    pub fn on_calendar(o: &Objective, k: &KeyResult, pace: &Pace) -> Self {
        let end = pace.calendar.end(o.period);
        let f = forecast::forecast(k, pace.calendar.start(o.period), end, Some(pace.today));
        ForecastJson::new(f, end)
    }

    /// The view of a forecast result projected to `at`.
    pub fn new(f: Result<Forecast, NoForecast>, at: NaiveDate) -> Self {
        match f {
            Ok(f) => ForecastJson {
                available: true,
                method: "least-squares",
                at: f.at,
                points: f.points,
                value: Some(f.value),
                progress: Some(f.progress),
                attainment: Some(f.attainment),
                reaches_target: Some(f.reaches_target),
                slope_per_day: Some(f.slope_per_day),
                reason: None,
            },
            Err(e) => ForecastJson {
                available: false,
                method: "least-squares",
                at,
                points: e.points(),
                value: None,
                progress: None,
                attainment: None,
                reaches_target: None,
                slope_per_day: None,
                reason: Some(e.reason()),
            },
        }
    }
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
        Self::at(o, krs, None)
    }

    /// The view as it stood on `as_of` (check-ins after it ignored).
    pub fn at(
        o: &'a Objective,
        krs: impl IntoIterator<Item = &'a KeyResult>,
        as_of: Option<NaiveDate>,
    ) -> Self {
        ObjectiveJson {
            id: &o.id,
            title: &o.title,
            description: o.description.as_deref(),
            owner: o.owner.as_deref(),
            level: o.level.as_str(),
            period: o.period.to_string(),
            kind: o.kind.as_str(),
            parent: o.parent.as_deref(),
            progress: o.progress_as_of(as_of),
            status: None,
            expected: None,
            key_results: krs
                .into_iter()
                .map(|k| KeyResultJson::at(o, k, as_of))
                .collect(),
        }
    }

    /// Adds `status` and `expected` to the objective and its key results.
    pub fn with_pace(mut self, o: &Objective, pace: &Pace) -> Self {
        let a = pace.objective(o);
        self.status = Some(a.status.as_str());
        self.expected = Some(a.expected);
        for kj in &mut self.key_results {
            if let Some(k) = o.key_results.iter().find(|k| k.id == kj.id) {
                let ka = pace.key_result(o, k);
                kj.status = Some(ka.status.as_str());
                kj.expected = Some(ka.expected);
                kj.forecast = ForecastJson::on_calendar(o, k, pace);
            }
        }
        self
    }
}

impl<'a> KeyResultJson<'a> {
    /// The view of a key result of objective `o`.
    pub fn new(o: &'a Objective, k: &'a KeyResult) -> Self {
        Self::at(o, k, None)
    }

    /// The view as it stood on `as_of` (check-ins after it ignored).
    pub fn at(o: &'a Objective, k: &'a KeyResult, as_of: Option<NaiveDate>) -> Self {
        let p = k.progress_as_of(as_of);
        let (start, target, unit) = match &k.measure {
            Measure::Metric {
                start,
                target,
                unit,
            } => (Some(*start), Some(*target), unit.as_deref()),
            Measure::Milestone => (None, None, None),
        };
        let start = if k.threshold.is_some() { None } else { start };
        KeyResultJson {
            id: &k.id,
            objective: &o.id,
            title: &k.title,
            owner: k.owner.as_deref().or(o.owner.as_deref()),
            kind: k.kind_str(),
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
            check_ins: k
                .check_ins
                .iter()
                .filter(|c| as_of.is_none_or(|d| c.date <= d))
                .map(CheckInJson::new)
                .collect(),
            status: None,
            expected: None,
            grade: k.grade,
            grade_note: k.grade_note.as_deref(),
            kpi: k.kpi.as_deref(),
            direction: k.threshold.map(|t| t.direction_str()),
            initiatives: k.initiatives.iter().map(InitiativeJson::new).collect(),
            trend: history::trend(k, as_of).map(TrendJson::from),
            forecast: ForecastJson::new(
                forecast::forecast(k, o.period.start(), o.period.end(), as_of),
                o.period.end(),
            ),
        }
    }
}

impl KeyResultJson<'_> {
    /// Adds `status` and `expected`.
    pub fn with_pace(mut self, o: &Objective, k: &KeyResult, pace: &Pace) -> Self {
        let a = pace.key_result(o, k);
        self.status = Some(a.status.as_str());
        self.expected = Some(a.expected);
        self.forecast = ForecastJson::on_calendar(o, k, pace);
        self
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
    let mut s =
        serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    super::text::json_safe(&s)
}
