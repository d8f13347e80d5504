//! `okr report`: the numbers every format shares, and the terminal form.
//!
//! [`Report::build`] computes everything once, as of one date, so the
//! table, Markdown, JSON, CSV and HTML forms cannot disagree: each only
//! formats the same [`Report`]. Nothing here reads the clock; the date is
//! passed in, which is what makes a report for a past date reproducible
//! byte for byte.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use comfy_table::{Cell, CellAlignment, Color};

use super::json::{self, JSON_VERSION, ObjectiveJson, ReportJson};
pub use super::json::{Filters, KindSummary, KpiView, Summary};
use super::text::sanitize;
use super::{Style, percent, value_with_unit};
use crate::model::asof::AsOf;
use crate::model::forecast::{Forecast, NoForecast};
use crate::model::grade;
use crate::model::history::Trend;
use crate::model::progress::KrProgress;
use crate::model::{CheckValue, KeyResult, Kind, Kpi, Measure, Objective, format_number};

/// One key result as of the report date.
#[derive(Debug, Clone)]
pub struct KrView<'a> {
    /// The key result.
    pub kr: &'a KeyResult,
    /// Its owner, or its objective's.
    pub owner: Option<&'a str>,
    /// Progress as of the report date.
    pub progress: KrProgress,
    /// Change since the previous check-in.
    pub trend: Option<Trend>,
    /// Projection to the period's end.
    pub forecast: Result<Forecast, NoForecast>,
    /// Status (on-track, at-risk, …) at the report date.
    pub status: Option<String>,
    /// Expected progress at the report date (the pace line).
    pub expected: f64,
    /// Grade 0.0–1.0, once graded.
    pub grade: Option<f64>,
}

/// One objective as of the report date.
#[derive(Debug, Clone)]
pub struct ObjectiveView<'a> {
    /// The objective.
    pub objective: &'a Objective,
    /// Weighted progress of all its key results.
    pub progress: f64,
    /// Status at the report date: its worst key result's.
    pub status: Option<String>,
    /// Expected progress at the report date (the pace line).
    pub expected: f64,
    /// Grade 0.0–1.0: the weighted mean of its key results' grades once
    /// every one is graded.
    pub grade: Option<f64>,
    /// First day of its period on the workspace calendar.
    pub start: NaiveDate,
    /// Last day of its period.
    pub end: NaiveDate,
    /// The key results shown (all, or those of `--owner`).
    pub key_results: Vec<KrView<'a>>,
}

/// Everything a report shows.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    /// The day the report describes: `--as-of`, else today.
    pub as_of: NaiveDate,
    /// The filters used.
    pub filters: Filters,
    /// The objectives, in workspace order.
    pub objectives: Vec<ObjectiveView<'a>>,
    /// The summary.
    pub summary: Summary,
    /// KPIs out of their healthy range (empty until KPIs exist).
    pub kpis_out_of_range: Vec<KpiView>,
}

impl<'a> Report<'a> {
    /// Computes a report of `items` (objectives with the key results to
    /// show) and `kpis` as it stood on `asof`: later check-ins are ignored,
    /// and status and expected progress are taken on that day.
    pub fn build(
        items: Vec<(&'a Objective, Vec<&'a KeyResult>)>,
        kpis: impl IntoIterator<Item = &'a Kpi>,
        asof: &AsOf,
        filters: Filters,
    ) -> Self {
        let objectives: Vec<ObjectiveView<'a>> = items
            .into_iter()
            .map(|(o, krs)| {
                let s = asof.objective(o);
                ObjectiveView {
                    objective: o,
                    progress: s.progress,
                    status: Some(s.status.as_str().to_string()),
                    expected: s.expected,
                    grade: s.grade,
                    start: s.start,
                    end: s.end,
                    key_results: krs
                        .into_iter()
                        .map(|k| {
                            let ks = asof.key_result(o, k);
                            KrView {
                                kr: k,
                                owner: k.owner.as_deref().or(o.owner.as_deref()),
                                progress: ks.progress,
                                trend: ks.trend,
                                forecast: ks.forecast,
                                status: Some(ks.status.as_str().to_string()),
                                expected: ks.expected,
                                grade: ks.grade,
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        let summary = summarise(&objectives);
        Report {
            as_of: asof.date(),
            filters,
            objectives,
            summary,
            kpis_out_of_range: kpis
                .into_iter()
                .filter_map(|k| KpiView::out_of_range(k, asof))
                .collect(),
        }
    }

    /// Whether any objective or key result has a status.
    pub fn has_status(&self) -> bool {
        self.objectives
            .iter()
            .any(|o| o.status.is_some() || o.key_results.iter().any(|k| k.status.is_some()))
    }

    /// Whether any objective or key result has a grade.
    pub fn has_grade(&self) -> bool {
        self.objectives
            .iter()
            .any(|o| o.grade.is_some() || o.key_results.iter().any(|k| k.grade.is_some()))
    }
}

/// A grade with its colour band, e.g. `0.6 (yellow)`.
pub fn grade_text(g: f64) -> String {
    format!("{} ({})", short_number(g), grade::band(g).as_str())
}

fn mean(v: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = v.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 { 0.0 } else { sum / n as f64 }
}

fn summarise(objectives: &[ObjectiveView<'_>]) -> Summary {
    let mut s = Summary {
        objectives: objectives.len(),
        key_results: objectives.iter().map(|o| o.key_results.len()).sum(),
        average_progress: mean(objectives.iter().map(|o| o.progress)),
        ..Summary::default()
    };
    for kind in [Kind::Committed, Kind::Aspirational] {
        let of_kind = || objectives.iter().filter(move |o| o.objective.kind == kind);
        let k = KindSummary {
            objectives: of_kind().count(),
            key_results: of_kind().map(|o| o.key_results.len()).sum(),
            average_progress: mean(of_kind().map(|o| o.progress)),
        };
        match kind {
            Kind::Committed => s.committed = k,
            Kind::Aspirational => s.aspirational = k,
        }
    }
    for o in objectives {
        if let Some(st) = &o.status {
            *s.objectives_by_status.entry(st.clone()).or_default() += 1;
        }
        for k in &o.key_results {
            if let Some(st) = &k.status {
                *s.key_results_by_status.entry(st.clone()).or_default() += 1;
            }
            match k.forecast {
                Ok(f) if f.reaches_target => s.forecast_reaching_target += 1,
                Ok(_) => s.forecast_short_of_target += 1,
                Err(_) => s.without_forecast += 1,
            }
        }
    }
    s
}

// ---------------------------------------------------------------------------
// Shared cell texts (plain, not yet sanitised for a terminal).

/// A number rounded to two decimals for people.
pub fn short_number(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    format_number(if r == 0.0 { 0.0 } else { r })
}

/// `start → current → target unit` for a metric, the state for a milestone.
pub fn span_text(k: &KrView<'_>, arrow: &str) -> String {
    match &k.kr.measure {
        Measure::Metric { start, target, .. } => {
            let cur = match k.progress.current {
                CheckValue::Number(n) => format_number(n),
                v => v.to_string(),
            };
            format!(
                "{} {arrow} {cur} {arrow} {}",
                format_number(*start),
                value_with_unit(&k.kr.measure, CheckValue::Number(*target))
            )
        }
        Measure::Milestone => format!(
            "milestone: {}",
            value_with_unit(&k.kr.measure, k.progress.current)
        ),
    }
}

/// The trend as `+50000 (better)`, `-3 (worse)`, `0 (flat)` or empty.
pub fn trend_text(t: Option<&Trend>) -> String {
    match t {
        None => String::new(),
        Some(t) => {
            let sign = if t.delta > 0.0 { "+" } else { "" };
            let word = match t.direction() {
                "improving" => "better",
                "worsening" => "worse",
                _ => "flat",
            };
            format!("{sign}{} ({word})", short_number(t.delta))
        }
    }
}

/// The forecast as `910 (100%), reaches target`, or the plain reason.
pub fn forecast_text(f: &Result<Forecast, NoForecast>, measure: &Measure) -> String {
    match f {
        Ok(f) => {
            let value = match measure {
                Measure::Metric { .. } => {
                    value_with_unit(measure, CheckValue::Number(round2(f.value)))
                }
                Measure::Milestone => percent(f.value),
            };
            let verdict = if f.reaches_target {
                "reaches target"
            } else {
                "short of target"
            };
            format!("{value} ({}) by {}, {verdict}", percent(f.progress), f.at)
        }
        Err(_) => "none: fewer than two check-ins".to_string(),
    }
}

fn round2(v: f64) -> f64 {
    let r = (v * 100.0).round() / 100.0;
    if r == 0.0 { 0.0 } else { r }
}

/// A line describing the filters, or empty.
pub fn filters_text(f: &Filters) -> String {
    let parts: Vec<String> = [
        ("period", &f.period),
        ("owner", &f.owner),
        ("level", &f.level),
        ("status", &f.status),
    ]
    .iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}")))
    .collect();
    parts.join(", ")
}

/// Header text of an objective: `title` and its facts.
pub fn objective_facts(o: &ObjectiveView<'_>) -> String {
    let ob = o.objective;
    let mut facts = vec![ob.id.clone()];
    if let Some(w) = &ob.owner {
        facts.push(w.clone());
    }
    facts.push(ob.level.to_string());
    facts.push(ob.period.to_string());
    facts.push(ob.kind.to_string());
    facts.join(" · ")
}

// ---------------------------------------------------------------------------
// JSON.

/// The report as JSON.
pub fn to_json(r: &Report<'_>, asof: &AsOf) -> String {
    let view = ReportJson {
        version: JSON_VERSION,
        kind: "report",
        as_of: r.as_of,
        filters: &r.filters,
        summary: &r.summary,
        objectives: r
            .objectives
            .iter()
            .map(|o| ObjectiveJson::new(o.objective, o.key_results.iter().map(|k| k.kr), asof))
            .collect(),
        kpis_out_of_range: &r.kpis_out_of_range,
    };
    json::to_string(&view)
}

// ---------------------------------------------------------------------------
// Terminal.

const BAR_WIDTH: usize = 10;

/// Colour of a status, or of a progress band when there is no status.
pub fn status_color(status: Option<&str>, progress: f64) -> Color {
    match status {
        Some("on-track" | "done") => Color::Green,
        Some("at-risk") => Color::Yellow,
        Some("off-track") => Color::Red,
        Some(_) => Color::DarkGrey,
        None if progress >= 0.7 => Color::Green,
        None if progress >= 0.4 => Color::Yellow,
        None => Color::Red,
    }
}

fn progress_text(style: Style, p: f64) -> String {
    format!("{} {:>4}", style.bar(p, BAR_WIDTH), percent(p))
}

fn colored(style: Style, text: String, color: Color) -> String {
    if !style.color {
        return text;
    }
    let code = match color {
        Color::Green => 32,
        Color::Yellow => 33,
        Color::Red => 31,
        _ => 90,
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// The report for a terminal.
pub fn to_table(style: Style, r: &Report<'_>) -> String {
    let arrow = if style.ascii { "->" } else { "→" };
    let mut s = String::new();
    s.push_str(&format!("OKR report as of {}\n", r.as_of));
    let f = filters_text(&r.filters);
    if !f.is_empty() {
        s.push_str(&format!("Filters: {}\n", sanitize(&f)));
    }
    s.push('\n');
    let sm = &r.summary;
    s.push_str("Summary\n");
    s.push_str(&format!("  Objectives        {}\n", sm.objectives));
    s.push_str(&format!("  Key results       {}\n", sm.key_results));
    s.push_str(&format!(
        "  Average progress  {}\n",
        colored(
            style,
            progress_text(style, sm.average_progress),
            status_color(None, sm.average_progress)
        )
    ));
    for (name, k) in [
        ("Committed", &sm.committed),
        ("Aspirational", &sm.aspirational),
    ] {
        s.push_str(&format!(
            "  {name:<18}{}, {}, average {}\n",
            super::plural::count(k.objectives, "objective"),
            super::plural::count(k.key_results, "key result"),
            percent(k.average_progress)
        ));
    }
    if !sm.objectives_by_status.is_empty() {
        s.push_str(&format!(
            "  Objective status  {}\n",
            counts(&sm.objectives_by_status)
        ));
        s.push_str(&format!(
            "  KR status         {}\n",
            counts(&sm.key_results_by_status)
        ));
    }
    s.push_str(&format!(
        "  Forecast          {} reach target, {} short, {} without forecast\n",
        sm.forecast_reaching_target, sm.forecast_short_of_target, sm.without_forecast
    ));
    let with_status = r.has_status();
    let with_grade = r.has_grade();
    for o in &r.objectives {
        s.push('\n');
        let title = sanitize(&o.objective.title);
        s.push_str(&if style.color {
            format!("\x1b[1m{title}\x1b[0m\n")
        } else {
            format!("{title}\n")
        });
        s.push_str(&format!("  {}\n", sanitize(&objective_facts(o))));
        let mut line = format!(
            "  Progress {}",
            colored(
                style,
                progress_text(style, o.progress),
                status_color(o.status.as_deref(), o.progress)
            )
        );
        if let Some(st) = &o.status {
            line.push_str(&format!("  status {}", sanitize(st)));
        }
        if let Some(g) = o.grade {
            line.push_str(&format!("  grade {}", grade_text(g)));
        }
        s.push_str(&line);
        s.push('\n');
        if o.key_results.is_empty() {
            s.push_str("  No key results.\n");
            continue;
        }
        let mut header = vec![
            "Key result",
            "Start → current → target",
            "Progress",
            "Attain.",
            "Conf.",
        ];
        if style.ascii {
            header[1] = "Start -> current -> target";
        }
        if with_status {
            header.push("Status");
        }
        if with_grade {
            header.push("Grade");
        }
        header.extend(["Trend", "Forecast"]);
        let mut t = super::table::new_table(style, &header);
        for k in &o.key_results {
            let mut title = sanitize(&format!("{} ({})", k.kr.title, k.kr.id));
            if k.kr.stretch {
                title.push_str(" stretch");
            }
            let mut bar = Cell::new(progress_text(style, k.progress.progress));
            if style.color {
                bar = bar.fg(status_color(k.status.as_deref(), k.progress.progress));
            }
            let mut row = vec![
                Cell::new(title),
                Cell::new(sanitize(&span_text(k, arrow))),
                bar,
                Cell::new(percent(k.progress.attainment)).set_alignment(CellAlignment::Right),
                Cell::new(k.progress.confidence.map(percent).unwrap_or_default())
                    .set_alignment(CellAlignment::Right),
            ];
            if with_status {
                row.push(Cell::new(
                    k.status.as_deref().map(sanitize).unwrap_or_default(),
                ));
            }
            if with_grade {
                row.push(Cell::new(k.grade.map(grade_text).unwrap_or_default()));
            }
            row.push(Cell::new(trend_text(k.trend.as_ref())));
            row.push(Cell::new(sanitize(&forecast_text(
                &k.forecast,
                &k.kr.measure,
            ))));
            t.add_row(row);
        }
        s.push_str(&format!("{t}\n"));
    }
    if !r.kpis_out_of_range.is_empty() {
        s.push_str("\nKPIs out of range\n");
        for kpi in &r.kpis_out_of_range {
            s.push_str(&format!("  {}\n", sanitize(&kpi_text(kpi))));
        }
    }
    s
}

/// `status n, status n`.
pub fn counts(m: &BTreeMap<String, usize>) -> String {
    m.iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One KPI out of range, as text.
pub fn kpi_text(k: &KpiView) -> String {
    let unit = k
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    format!(
        "{} ({}): {}{unit} on {}, healthy {}{unit}",
        k.title,
        k.id,
        format_number(k.value),
        k.date,
        k.range
    )
}
