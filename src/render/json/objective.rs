//! Objects of `okr list`, `okr show` and the `objectives` of `okr report`:
//! objectives, key results, check-ins, initiatives, trends and forecasts.

use chrono::NaiveDate;
use serde::Serialize;

use super::JSON_VERSION;
use crate::model::asof::{AsOf, KrState, ObjectiveState};
use crate::model::forecast::{Forecast, NoForecast};
use crate::model::history::Trend;
use crate::model::{CheckIn, CheckValue, Initiative, KeyResult, Measure, Objective};

/// Top level of `okr list --format json`.
#[derive(Debug, Serialize)]
pub struct ListJson<'a> {
    /// Contract version.
    pub version: u32,
    /// The day every number describes (`--as-of`, else today).
    #[serde(serialize_with = "super::writer::date")]
    pub as_of: NaiveDate,
    /// Matching objectives (rendered on every core).
    pub objectives:
        super::writer::ParList<'a, (&'a Objective, Vec<&'a KeyResult>), ObjectiveJson<'a>>,
}

impl<'a> ListJson<'a> {
    /// The list of `items` as of `asof`.
    pub fn new(items: &'a [(&'a Objective, Vec<&'a KeyResult>)], asof: &'a AsOf) -> Self {
        ListJson {
            version: JSON_VERSION,
            as_of: asof.date(),
            // Elements of a field of the top-level object: depth 2.
            objectives: super::writer::ParList::new(
                items,
                |(o, krs)| ObjectiveJson::new(o, krs.iter().copied(), asof),
                2,
            ),
        }
    }
}

/// One objective.
#[derive(Debug, Serialize)]
pub struct ObjectiveJson<'a> {
    /// Workspace-unique ID.
    pub id: &'a str,
    /// The include it comes from (`NAME` of the address `NAME:ID`), or
    /// null for the workspace itself (docs/includes.md).
    pub workspace: Option<&'a str>,
    /// Title.
    pub title: &'a str,
    /// Longer description, or null.
    pub description: Option<&'a str>,
    /// Owner, or null.
    pub owner: Option<&'a str>,
    /// `company`, `team` or `personal`.
    pub level: &'static str,
    /// Period label, e.g. `2026-Q3`.
    pub period: String,
    /// First day of the period on the workspace's fiscal calendar.
    #[serde(serialize_with = "super::writer::date")]
    pub period_start: NaiveDate,
    /// Last day of the period on the workspace's fiscal calendar.
    #[serde(serialize_with = "super::writer::date")]
    pub period_end: NaiveDate,
    /// `committed` or `aspirational`.
    pub kind: &'static str,
    /// ID of the parent objective, or null.
    pub parent: Option<&'a str>,
    /// Weighted mean of all its key results' progress, 0–1.
    pub progress: f64,
    /// Its worst key result's status (`on-track` …).
    pub status: &'static str,
    /// Expected progress on the as-of date (elapsed share of the period).
    pub expected: f64,
    /// Weighted mean of its key results' grades once all are graded, else null.
    pub grade: Option<f64>,
    /// Its key results (all, or those matching the filters).
    pub key_results: Vec<KeyResultJson<'a>>,
}

/// One key result.
#[derive(Debug, Serialize)]
pub struct KeyResultJson<'a> {
    /// Workspace-unique ID.
    pub id: &'a str,
    /// The include it comes from (`NAME` of the address `NAME:ID`), or
    /// null for the workspace itself (docs/includes.md).
    pub workspace: Option<&'a str>,
    /// ID of its objective.
    pub objective: &'a str,
    /// Title.
    pub title: &'a str,
    /// Its own owner, else its objective's, else null.
    pub owner: Option<&'a str>,
    /// `metric`, `milestone` or `threshold`.
    pub kind: &'static str,
    /// Start value of a metric; null for milestones and thresholds.
    pub start: Option<f64>,
    /// Target of a metric (the bound of a threshold); null for milestones.
    pub target: Option<f64>,
    /// Unit, or null.
    pub unit: Option<&'a str>,
    /// Weight in its objective's progress.
    pub weight: f64,
    /// Whether it is a stretch key result.
    pub stretch: bool,
    /// Latest counted value: a number, `"done"` or `"todo"`.
    pub current: ValueJson,
    /// Progress 0–1 (clamped).
    pub progress: f64,
    /// Unclamped attainment (1.5 when the target is beaten by half).
    pub attainment: f64,
    /// Confidence of the latest counted check-in, or null.
    pub confidence: Option<f64>,
    /// Date of the latest counted check-in, or null.
    #[serde(serialize_with = "super::writer::opt_date")]
    pub last_check_in: Option<NaiveDate>,
    /// Counted check-ins (on or before the as-of date), by date.
    pub check_ins: Vec<CheckInJson<'a>>,
    /// Status against the pace line (`on-track` …).
    pub status: &'static str,
    /// Expected progress on the as-of date (elapsed share of the period).
    pub expected: f64,
    /// Grade 0–1 once graded, else null.
    pub grade: Option<f64>,
    /// Note given with the grade, or null.
    pub grade_note: Option<&'a str>,
    /// ID of the KPI that moves it, or null.
    pub kpi: Option<&'a str>,
    /// For a threshold: `at-least` or `at-most` (`target` is the bound); else null.
    pub direction: Option<&'static str>,
    /// Initiatives linked to it.
    pub initiatives: Vec<InitiativeJson<'a>>,
    /// Change since the previous counted check-in; null with fewer than two.
    pub trend: Option<TrendJson>,
    /// Least-squares projection to the period's end (docs/reports.md).
    pub forecast: ForecastJson,
}

/// One initiative.
#[derive(Debug, Serialize)]
pub struct InitiativeJson<'a> {
    /// Workspace-unique ID.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// `todo`, `doing` or `done`.
    pub status: &'static str,
    /// URL or issue reference, or null.
    pub link: Option<&'a str>,
    /// Owner, or null.
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
    /// Date of the previous check-in.
    #[serde(serialize_with = "super::writer::date")]
    pub previous_date: NaiveDate,
    /// Its value.
    pub previous: ValueJson,
    /// Latest − previous value (done/todo count as 1/0).
    pub delta: f64,
    /// Change of attainment; positive is towards the target.
    pub progress_delta: f64,
    /// `improving`, `worsening` or `flat`.
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
    /// Whether there is a forecast.
    pub available: bool,
    /// Always `least-squares`.
    pub method: &'static str,
    /// The day projected to: the period's last day.
    #[serde(serialize_with = "super::writer::date")]
    pub at: NaiveDate,
    /// Check-in days the line was fitted to.
    pub points: usize,
    /// Projected value, or null.
    pub value: Option<f64>,
    /// Projected progress 0–1, or null.
    pub progress: Option<f64>,
    /// Projected attainment (unclamped), or null.
    pub attainment: Option<f64>,
    /// Whether the projected attainment reaches 1, or null.
    pub reaches_target: Option<bool>,
    /// Fitted change of the value per day, or null.
    pub slope_per_day: Option<f64>,
    /// Why there is no forecast, or null.
    pub reason: Option<String>,
}

impl ForecastJson {
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
    /// Day of the check-in.
    #[serde(serialize_with = "super::writer::date")]
    pub date: NaiveDate,
    /// The value: a number, `"done"` or `"todo"`.
    pub value: ValueJson,
    /// Confidence 0–1, or null.
    pub confidence: Option<f64>,
    /// Note, or null.
    pub note: Option<&'a str>,
    /// Author, or null.
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
    /// The view of objective `o` with the key results `krs`, as of `asof`.
    pub fn new(
        o: &'a Objective,
        krs: impl IntoIterator<Item = &'a KeyResult>,
        asof: &AsOf,
    ) -> Self {
        let s = asof.objective(o);
        let krs = krs
            .into_iter()
            .map(|k| KeyResultJson::new(o, k, asof))
            .collect();
        Self::from_state(o, &s, krs)
    }

    /// The view of `o` from its computed state and its key results' views
    /// (a report has computed both already).
    pub fn from_state(o: &'a Objective, s: &ObjectiveState, krs: Vec<KeyResultJson<'a>>) -> Self {
        ObjectiveJson {
            id: &o.id,
            workspace: crate::model::qualified::workspace_of(&o.id),
            title: &o.title,
            description: o.description.as_deref(),
            owner: o.owner.as_deref(),
            level: o.level.as_str(),
            period: o.period.to_string(),
            period_start: s.start,
            period_end: s.end,
            kind: o.kind.as_str(),
            parent: o.parent.as_deref(),
            progress: s.progress,
            status: s.status.as_str(),
            expected: s.expected,
            grade: s.grade,
            key_results: krs,
        }
    }
}

impl<'a> KeyResultJson<'a> {
    /// The view of key result `k` of objective `o`, as of `asof`.
    pub fn new(o: &'a Objective, k: &'a KeyResult, asof: &AsOf) -> Self {
        Self::from_state(o, k, &asof.key_result(o, k), asof.bounds(o.period).1)
    }

    /// The view of `k` from its computed state; `end` is its period's last day.
    pub fn from_state(o: &'a Objective, k: &'a KeyResult, s: &KrState<'a>, end: NaiveDate) -> Self {
        let (start, target, unit) = match &k.measure {
            Measure::Metric {
                start,
                target,
                unit,
            } => (Some(*start), Some(*target), unit.as_deref()),
            Measure::Milestone => (None, None, None),
        };
        let start = if k.threshold.is_some() { None } else { start };
        let p = s.progress;
        KeyResultJson {
            id: &k.id,
            workspace: crate::model::qualified::workspace_of(&k.id),
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
            check_ins: s.check_ins.iter().map(|c| CheckInJson::new(c)).collect(),
            status: s.status.as_str(),
            expected: s.expected,
            grade: s.grade,
            grade_note: k.grade_note.as_deref(),
            kpi: k.kpi.as_deref(),
            direction: k.threshold.map(|t| t.direction_str()),
            initiatives: k.initiatives.iter().map(InitiativeJson::new).collect(),
            trend: s.trend.map(TrendJson::from),
            forecast: ForecastJson::new(s.forecast, end),
        }
    }
}

impl<'a> CheckInJson<'a> {
    /// The view of a check-in.
    pub fn new(c: &'a CheckIn) -> Self {
        CheckInJson {
            date: c.date,
            value: c.value.into(),
            confidence: c.confidence,
            note: c.note.as_deref(),
            author: c.author.as_deref(),
        }
    }
}
