//! Objects of `okr report --format json` beyond the objectives: the report
//! itself, its filters, its summary and the KPIs out of range. The table,
//! Markdown, CSV and HTML forms read the same [`Summary`] and [`KpiView`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::ObjectiveJson;
use crate::model::Kpi;
use crate::model::asof::{AsOf, KpiHealth};

/// Top level of `okr report --format json` (docs/reports.md).
#[derive(Debug, Serialize)]
pub struct ReportJson<'a> {
    /// Contract version, shared with `okr list --format json`.
    pub version: u32,
    /// Always `report`.
    pub kind: &'static str,
    /// The day described.
    #[serde(serialize_with = "super::writer::date")]
    pub as_of: NaiveDate,
    /// Filters used.
    pub filters: &'a Filters,
    /// The summary.
    pub summary: &'a Summary,
    /// Objectives, each as in `okr list --format json`, as of `as_of`.
    /// (Rendered on every core: tens of thousands of key results.)
    pub objectives:
        super::writer::ParList<'a, crate::render::report::ObjectiveView<'a>, ObjectiveJson<'a>>,
    /// KPIs out of their healthy range.
    pub kpis_out_of_range: &'a [KpiView],
}

/// The filters a report was made with, echoed in its output.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Filters {
    /// `--period`, resolved to a label, or null.
    pub period: Option<String>,
    /// `--owner`, or null.
    pub owner: Option<String>,
    /// `--level`, or null.
    pub level: Option<String>,
    /// `--status`, comma-separated, or null.
    pub status: Option<String>,
}

/// Counts and averages for one kind (committed or aspirational).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct KindSummary {
    /// Objectives of this kind.
    pub objectives: usize,
    /// Their key results shown.
    pub key_results: usize,
    /// Mean progress of these objectives (0 when there are none).
    pub average_progress: f64,
}

/// The summary at the top of a report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Objectives in the report.
    pub objectives: usize,
    /// Key results in the report.
    pub key_results: usize,
    /// Mean progress of the objectives (0 when there are none).
    pub average_progress: f64,
    /// Objectives per status.
    pub objectives_by_status: BTreeMap<String, usize>,
    /// Key results per status.
    pub key_results_by_status: BTreeMap<String, usize>,
    /// Committed objectives.
    pub committed: KindSummary,
    /// Aspirational objectives.
    pub aspirational: KindSummary,
    /// Key results forecast to reach their target.
    pub forecast_reaching_target: usize,
    /// Key results forecast to fall short.
    pub forecast_short_of_target: usize,
    /// Key results with too few check-ins to forecast.
    pub without_forecast: usize,
}

/// A KPI whose latest reading (as of the report date) is outside its
/// healthy range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiView {
    /// Its ID.
    pub id: String,
    /// The include it comes from (`NAME` of the address `NAME:ID`), or
    /// null for the workspace itself (docs/includes.md).
    pub workspace: Option<String>,
    /// Its title.
    pub title: String,
    /// Who watches it, or null.
    pub owner: Option<String>,
    /// The latest reading on or before the report date.
    pub value: f64,
    /// Its date.
    #[serde(serialize_with = "super::writer::date")]
    pub date: NaiveDate,
    /// Healthy when at least this, or null.
    pub at_least: Option<f64>,
    /// Healthy when at most this, or null.
    pub at_most: Option<f64>,
    /// Unit shown beside values, or null.
    pub unit: Option<String>,
    /// The healthy range in words (`between 4 and 6`).
    pub range: String,
}

impl KpiView {
    /// The view of `k` when its latest reading as of `asof` is out of
    /// range; `None` when healthy or never read.
    pub fn out_of_range(k: &Kpi, asof: &AsOf) -> Option<KpiView> {
        let latest = asof.kpi_latest(k)?;
        (asof.kpi_health(k) == KpiHealth::Unhealthy).then(|| KpiView {
            id: k.id.clone(),
            workspace: crate::model::qualified::workspace_of(&k.id).map(str::to_string),
            title: k.title.clone(),
            owner: k.owner.clone(),
            value: latest.value,
            date: latest.date,
            at_least: k.at_least,
            at_most: k.at_most,
            unit: k.unit.clone(),
            range: k.range_text(),
        })
    }
}
