//! `okr report`: the numbers every format shares, and the terminal form.
//!
//! [`Report::build`] computes everything once, as of one date, so the
//! table, Markdown, JSON, CSV and HTML forms cannot disagree: each only
//! formats the same [`Report`]. Nothing here reads the clock; the date is
//! passed in, which is what makes a report for a past date reproducible
//! byte for byte.

use std::collections::BTreeMap;

use super::json::{self, JSON_VERSION, KeyResultJson, ObjectiveJson, ReportJson};
pub use super::json::{Filters, KindSummary, KpiView, Summary};
use super::style::{self, Tone};
use super::text::sanitize;
use super::width::{Cell, Col, Fit, Grid};
use super::{Style, computed, group, percent, value_with_unit, whole_units, with_unit};
use crate::model::asof::{AsOf, KrState, ObjectiveState};
use crate::model::forecast::{Forecast, NoForecast};
use crate::model::grade;
use crate::model::history::Trend;
use crate::model::progress::KrProgress;
use crate::model::{CheckValue, KeyResult, Kind, Kpi, Measure, Objective};
use chrono::NaiveDate;

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
    /// Everything computed for it, as the JSON view takes it.
    pub state: KrState<'a>,
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
    /// Everything computed for it, as the JSON view takes it.
    pub state: ObjectiveState,
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
        // Each objective's numbers are independent of the others': on a
        // company workspace this is an eighth of a warm JSON report.
        let objectives: Vec<ObjectiveView<'a>> = crate::par::map(&items, |(o, krs)| {
            let o: &'a Objective = o;
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
                    .iter()
                    .map(|&k| {
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
                            state: ks,
                        }
                    })
                    .collect(),
                state: s,
            }
        });
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

/// A number rounded to two decimals for people, thousands grouped.
pub fn short_number(v: f64) -> String {
    group(computed(v, false))
}

/// `start → current → target unit` for a metric, the state for a milestone.
pub fn span_text(k: &KrView<'_>, arrow: &str) -> String {
    match &k.kr.measure {
        Measure::Metric {
            start,
            target,
            unit,
        } => {
            let unit = unit.as_deref();
            let cur = match k.progress.current {
                CheckValue::Number(n) => super::bare(unit, n),
                v => v.to_string(),
            };
            format!(
                "{} {arrow} {cur} {arrow} {}",
                super::bare(unit, *start),
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

/// The forecast in words: the value predicted for the period's last day
/// and the progress it would mean, e.g.
/// `913 members by 2026-12-31, 91% progress, short of target`.
pub fn forecast_text(f: &Result<Forecast, NoForecast>, k: &KeyResult) -> String {
    match f {
        Ok(f) => {
            let value = match &k.measure {
                Measure::Metric { .. } => value_with_unit(
                    &k.measure,
                    CheckValue::Number(computed(f.value, whole_units(k))),
                ),
                Measure::Milestone => percent(f.value),
            };
            let verdict = if f.reaches_target {
                "reaches target"
            } else {
                "short of target"
            };
            format!(
                "{value} by {}, {} progress, {verdict}",
                f.at,
                percent(f.progress)
            )
        }
        Err(_) => "none: fewer than two check-ins".to_string(),
    }
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
pub fn to_json(r: &Report<'_>) -> String {
    json::to_string(&json_view(r))
}

/// Streams [`to_json`] to `out` without building it in memory.
pub fn write_json<W: std::io::Write>(out: &mut W, r: &Report<'_>) -> std::io::Result<()> {
    json::write(out, &json_view(r))
}

/// The JSON view of the report, from the states it computed (not computed
/// a second time: that was a sixth of `report --format json`).
fn json_view<'a>(r: &'a Report<'_>) -> ReportJson<'a> {
    ReportJson {
        version: JSON_VERSION,
        kind: "report",
        as_of: r.as_of,
        filters: &r.filters,
        summary: &r.summary,
        // Elements of a field of the top-level object: depth 2.
        objectives: json::ParList::new(
            &r.objectives,
            |o| {
                let krs = o
                    .key_results
                    .iter()
                    .map(|k| KeyResultJson::from_state(o.objective, k.kr, &k.state, o.state.end));
                ObjectiveJson::from_state(o.objective, &o.state, krs.collect())
            },
            2,
        ),
        kpis_out_of_range: &r.kpis_out_of_range,
    }
}

// ---------------------------------------------------------------------------
// Terminal.

/// The tone of a view's status (none when it has none).
fn tone_of(status: Option<&str>) -> Option<Tone> {
    status.map(style::status_name_tone)
}

/// The report for a terminal.
pub fn to_table(st: Style, r: &Report<'_>) -> String {
    use super::table::{Fields, progress_cells, progress_cols, title_line};
    let arrow = if st.ascii { "->" } else { "→" };
    let mut s = String::new();
    s.push_str(&format!("OKR report as of {}\n", r.as_of));
    let f = filters_text(&r.filters);
    if !f.is_empty() {
        s.push_str(&format!("Filters: {}\n", sanitize(&f)));
    }
    s.push('\n');
    let sm = &r.summary;
    s.push_str("Summary\n");
    let mut fs = Fields::new(st);
    fs.add("Objectives", group(sm.objectives as f64));
    fs.add("Key results", group(sm.key_results as f64));
    fs.add(
        "Average progress",
        format!(
            "{} {}",
            st.bar(sm.average_progress, 10),
            percent(sm.average_progress)
        ),
    );
    for (name, k) in [
        ("Committed", &sm.committed),
        ("Aspirational", &sm.aspirational),
    ] {
        fs.add(
            name,
            format!(
                "{}, {}, average {}",
                super::plural::count(k.objectives, "objective"),
                super::plural::count(k.key_results, "key result"),
                percent(k.average_progress)
            ),
        );
    }
    if !sm.objectives_by_status.is_empty() {
        fs.add("Objective status", counts(&sm.objectives_by_status));
        fs.add("KR status", counts(&sm.key_results_by_status));
    }
    fs.add(
        "Forecast",
        format!(
            "{} reach target, {} short, {} without forecast",
            sm.forecast_reaching_target, sm.forecast_short_of_target, sm.without_forecast
        ),
    );
    s.push_str(&fs.render());
    let with_status = r.has_status();
    let with_grade = r.has_grade();
    for o in &r.objectives {
        s.push('\n');
        s.push_str(&title_line(st, &o.objective.title));
        let facts = sanitize(&objective_facts(o));
        s.push_str(&match st.width {
            Some(w) => format!(
                "  {}\n",
                super::width::truncate(&facts, w.saturating_sub(2))
            ),
            None => format!("  {facts}\n"),
        });
        let mut fo = Fields::new(st);
        let mut line = format!("{} {}", st.bar(o.progress, 10), percent(o.progress));
        if let Some(stt) = &o.status {
            line.push_str(&format!("  status {}", sanitize(stt)));
        }
        if let Some(g) = o.grade {
            line.push_str(&format!("  grade {}", grade_text(g)));
        }
        match tone_of(o.status.as_deref()) {
            Some(t) => fo.add_toned("Progress", line, t),
            None => fo.add("Progress", line),
        }
        s.push_str(&fo.render());
        if o.key_results.is_empty() {
            s.push_str("  No key results.\n");
            continue;
        }
        let span = if st.ascii {
            "Start -> now -> target"
        } else {
            "Start → now → target"
        };
        let mut cols = vec![
            Col::new("ID", Fit::Keep),
            Col::new("Key result", Fit::Wrap(16)),
            Col::new(span, Fit::Split).hide(5),
        ];
        cols.extend(progress_cols(3));
        cols.extend([
            Col::new("Attain.", Fit::Keep).right().hide(1),
            Col::new("Conf.", Fit::Keep).right().hide(2),
        ]);
        if with_status {
            cols.push(Col::new("Status", Fit::Keep));
        }
        if with_grade {
            cols.push(Col::new("Grade", Fit::Keep).hide(7));
        }
        cols.extend([
            Col::new("Trend", Fit::Split).hide(4),
            Col::new("Forecast", Fit::Wrap(24)).hide(6),
        ]);
        let mut t = Grid::new(st, cols);
        for k in &o.key_results {
            let mut title = sanitize(&k.kr.title);
            if k.kr.stretch {
                title.push_str(" (stretch)");
            }
            let tone = tone_of(k.status.as_deref());
            let [pc, bar] = progress_cells(st, k.progress.progress, tone);
            let mut row = vec![
                Cell::new(sanitize(&k.kr.id)),
                Cell::new(title),
                Cell::new(sanitize(&span_text(k, arrow))),
                pc,
                bar,
                Cell::new(percent(k.progress.attainment)),
                Cell::new(k.progress.confidence.map(percent).unwrap_or_default()),
            ];
            if with_status {
                let c = Cell::new(k.status.as_deref().map(sanitize).unwrap_or_default());
                row.push(match tone {
                    Some(t) => c.styled(t.ansi()),
                    None => c,
                });
            }
            if with_grade {
                row.push(match k.grade {
                    Some(g) => Cell::new(grade_text(g)).styled(style::grade_tone(g).ansi()),
                    None => Cell::new(""),
                });
            }
            row.push(Cell::new(trend_text(k.trend.as_ref())));
            row.push(Cell::new(sanitize(&forecast_text(&k.forecast, k.kr))));
            t.row(row);
        }
        s.push_str(&t.render());
    }
    if !r.kpis_out_of_range.is_empty() {
        s.push_str("\nKPIs out of range\n");
        let mut fk = Fields::new(st);
        for kpi in &r.kpis_out_of_range {
            fk.add("", sanitize(&kpi_text(kpi)));
        }
        s.push_str(&fk.render());
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
    format!(
        "{} ({}): {} on {}, healthy {}",
        k.title,
        k.id,
        with_unit(k.unit.as_deref(), k.value),
        k.date,
        super::range_text(k.at_least, k.at_most, k.unit.as_deref())
    )
}
