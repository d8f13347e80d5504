//! Objects of `okr kpi list --format json` and of `okr show` for a KPI or
//! an initiative.

use chrono::NaiveDate;
use serde::Serialize;

use super::JSON_VERSION;
use crate::model::asof::AsOf;
use crate::model::{Initiative, KeyResult, Kpi, KpiCheckIn, Objective};

/// Top level of `okr kpi list --format json`.
#[derive(Debug, Serialize)]
pub struct KpiListJson<'a> {
    /// Contract version.
    pub version: u32,
    /// Every KPI, in workspace order.
    pub kpis: Vec<KpiJson<'a>>,
}

/// A KPI: the items of `okr kpi list` and the top of `okr show KPI`.
#[derive(Debug, Serialize)]
pub struct KpiJson<'a> {
    /// KPI ID.
    pub id: &'a str,
    /// The include it comes from (`NAME` of the address `NAME:ID`), or
    /// null for the workspace itself (docs/includes.md).
    pub workspace: Option<&'a str>,
    /// Title.
    pub title: &'a str,
    /// Who watches it, or null.
    pub owner: Option<&'a str>,
    /// Unit, or null.
    pub unit: Option<&'a str>,
    /// Healthy when at least this, or null.
    pub at_least: Option<f64>,
    /// Healthy when at most this, or null.
    pub at_most: Option<f64>,
    /// Latest reading on or before the as-of date, or null.
    pub current: Option<f64>,
    /// Its date, or null.
    #[serde(serialize_with = "super::writer::opt_date")]
    pub last_check_in: Option<NaiveDate>,
    /// `healthy`, `unhealthy` or `no-data`.
    pub status: &'static str,
    /// IDs of the key results it moves.
    pub key_results: Vec<&'a str>,
}

/// `okr show KPI --format json`: the KPI with its readings.
#[derive(Debug, Serialize)]
pub struct KpiShowJson<'a> {
    /// Contract version.
    pub version: u32,
    /// The KPI's fields, at the top level.
    #[serde(flatten)]
    pub kpi: KpiJson<'a>,
    /// Every reading on or before the as-of date, as written.
    pub check_ins: Vec<KpiCheckInJson<'a>>,
}

/// One KPI reading.
#[derive(Debug, Serialize)]
pub struct KpiCheckInJson<'a> {
    /// Day of the reading.
    #[serde(serialize_with = "super::writer::date")]
    pub date: NaiveDate,
    /// The value.
    pub value: f64,
    /// Note, or null.
    pub note: Option<&'a str>,
    /// Author, or null.
    pub author: Option<&'a str>,
}

/// `okr show INITIATIVE --format json`.
#[derive(Debug, Serialize)]
pub struct InitiativeShowJson<'a> {
    /// Contract version.
    pub version: u32,
    /// Initiative ID.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// `todo`, `doing` or `done`.
    pub status: &'static str,
    /// Who does it, or null.
    pub owner: Option<&'a str>,
    /// URL or issue reference, or null.
    pub link: Option<&'a str>,
    /// ID of the key result it moves.
    pub key_result: &'a str,
    /// ID of that key result's objective.
    pub objective: &'a str,
    /// The objective's period label.
    pub period: String,
}

impl<'a> KpiJson<'a> {
    /// The view of `k`, which moves `key_results`, as of `asof`.
    pub fn new(k: &'a Kpi, key_results: Vec<&'a str>, asof: &AsOf) -> Self {
        let latest = asof.kpi_latest(k);
        KpiJson {
            id: &k.id,
            workspace: crate::model::qualified::workspace_of(&k.id),
            title: &k.title,
            owner: k.owner.as_deref(),
            unit: k.unit.as_deref(),
            at_least: k.at_least,
            at_most: k.at_most,
            current: latest.map(|c| c.value),
            last_check_in: latest.map(|c| c.date),
            status: asof.kpi_health(k).as_str(),
            key_results,
        }
    }
}

impl<'a> KpiListJson<'a> {
    /// The list of `kpis`, each with the key results it moves.
    pub fn new(kpis: Vec<KpiJson<'a>>) -> Self {
        KpiListJson {
            version: JSON_VERSION,
            kpis,
        }
    }
}

impl<'a> KpiShowJson<'a> {
    /// The view of `k` with its readings.
    pub fn new(k: &'a Kpi, key_results: Vec<&'a str>, asof: &AsOf) -> Self {
        KpiShowJson {
            version: JSON_VERSION,
            kpi: KpiJson::new(k, key_results, asof),
            check_ins: k
                .check_ins
                .iter()
                .filter(|c| crate::model::asof::counts(c.date, Some(asof.date())))
                .map(KpiCheckInJson::from)
                .collect(),
        }
    }
}

impl<'a> From<&'a KpiCheckIn> for KpiCheckInJson<'a> {
    fn from(c: &'a KpiCheckIn) -> Self {
        KpiCheckInJson {
            date: c.date,
            value: c.value,
            note: c.note.as_deref(),
            author: c.author.as_deref(),
        }
    }
}

impl<'a> InitiativeShowJson<'a> {
    /// The view of initiative `i` of key result `k` of objective `o`.
    pub fn new(i: &'a Initiative, o: &'a Objective, k: &'a KeyResult) -> Self {
        InitiativeShowJson {
            version: JSON_VERSION,
            id: &i.id,
            title: &i.title,
            status: i.status.as_str(),
            owner: i.owner.as_deref(),
            link: i.link.as_deref(),
            key_result: &k.id,
            objective: &o.id,
            period: o.period.to_string(),
        }
    }
}
