//! `okr history`: every check-in of a key result, against the pace line.

use super::json;
use super::report::{forecast_text, short_number};
use super::spark::sparkline;
use super::table::{Fields, progress_cells, progress_cols, title_line};
use super::text::sanitize;
use super::width::{Cell, Col, Fit, Grid};
use super::{Style, computed, percent, value_with_unit, whole_units};
use crate::model::asof::{AsOf, KrState};
use crate::model::forecast::{self, Forecast, NoForecast};
use crate::model::history::{self, Entry};
use crate::model::{CheckValue, KeyResult, Measure, Objective, Status};
use chrono::NaiveDate;

/// A key result's history as of a date, computed once for every format.
#[derive(Debug, Clone)]
pub struct History<'a> {
    /// The objective.
    pub objective: &'a Objective,
    /// The key result.
    pub kr: &'a KeyResult,
    /// First day of the period.
    pub start: NaiveDate,
    /// Last day of the period.
    pub end: NaiveDate,
    /// The day described.
    pub as_of: NaiveDate,
    /// Check-ins up to `as_of`, by date.
    pub entries: Vec<Entry<'a>>,
    /// Projection to the period's end.
    pub forecast: Result<Forecast, NoForecast>,
    /// Status on `as_of`.
    pub status: Status,
    /// Expected progress on `as_of` (the pace line).
    pub expected: f64,
    /// Everything else as of `as_of`, as every other command shows it.
    pub state: KrState<'a>,
}

impl<'a> History<'a> {
    /// The history of `kr` as of `asof`, in its objective's period on the
    /// workspace calendar.
    pub fn build(o: &'a Objective, kr: &'a KeyResult, asof: &AsOf) -> Self {
        let (start, end) = asof.bounds(o.period);
        let as_of = asof.date();
        let state = asof.key_result(o, kr);
        History {
            objective: o,
            kr,
            start,
            end,
            as_of,
            entries: history::entries(kr, Some(as_of)),
            forecast: state.forecast,
            status: state.status,
            expected: state.expected,
            state,
        }
    }

    /// The pace line's value on `date`: the start value plus the elapsed
    /// share of the period times the distance to the target (a 0–1 score for
    /// a milestone).
    pub fn pace(&self, date: NaiveDate) -> f64 {
        pace_value(&self.kr.measure, self.start, self.end, date)
    }
}

pub use crate::model::forecast::pace_value;

fn value_text(m: &Measure, v: f64, whole: bool) -> String {
    match m {
        Measure::Metric { .. } => value_with_unit(m, CheckValue::Number(computed(v, whole))),
        Measure::Milestone => percent(v),
    }
}

fn signed(v: f64) -> String {
    if v > 0.0 {
        format!("+{}", short_number(v))
    } else {
        short_number(v)
    }
}

/// The history for a terminal.
pub fn to_table(style: Style, h: &History<'_>) -> String {
    let k = h.kr;
    let whole = whole_units(k);
    let mut s = title_line(style, &format!("{} ({})", k.title, k.id));
    let mut f = Fields::new(style);
    f.add(
        "objective",
        sanitize(&format!(
            "{} ({}) · {}",
            h.objective.title, h.objective.id, h.objective.period
        )),
    );
    let arrow = if style.ascii { "->" } else { "→" };
    match &k.measure {
        Measure::Metric {
            start,
            target,
            unit,
        } => f.add(
            "measure",
            sanitize(&format!(
                "{} {arrow} {}",
                super::bare(unit.as_deref(), *start),
                value_with_unit(&k.measure, CheckValue::Number(*target))
            )),
        ),
        Measure::Milestone => f.add("measure", "milestone"),
    }
    f.add("as of", h.as_of.to_string());
    f.add_toned(
        "status",
        format!("{} (expected progress {})", h.status, percent(h.expected)),
        super::style::status_tone(h.status),
    );
    let p = h.state.progress;
    f.add(
        "current",
        sanitize(&format!(
            "{} · progress {} (attainment {})",
            value_with_unit(&k.measure, p.current),
            percent(p.progress),
            percent(p.attainment)
        )),
    );
    let values: Vec<f64> = h
        .entries
        .iter()
        .map(|e| history::number(e.check_in.value))
        .collect();
    if !values.is_empty() {
        let n = values.len();
        f.add(
            "values",
            format!(
                "{}  ({n} check-in{})",
                sparkline(&values, style.ascii),
                if n == 1 { "" } else { "s" }
            ),
        );
    }
    let pace_today = h.pace(h.as_of.min(h.end));
    f.add(
        "pace",
        sanitize(&format!(
            "{} expected on {} ({} of the period through)",
            value_text(&k.measure, pace_today, whole),
            h.as_of.min(h.end),
            percent(forecast::elapsed(h.start, h.end, h.as_of))
        )),
    );
    f.add(
        "forecast",
        match &h.forecast {
            Ok(_) => sanitize(&forecast_text(&h.forecast, k)),
            Err(e) => e.reason(),
        },
    );
    s.push_str(&f.render());
    s.push('\n');
    if h.entries.is_empty() {
        s.push_str("No check-ins yet.\n");
        return s;
    }
    let mut cols = vec![
        Col::new("Date", Fit::Keep),
        Col::new("Value", Fit::Split),
        Col::new("Delta", Fit::Keep).right().hide(3),
    ];
    cols.extend(progress_cols(2));
    cols.extend([
        Col::new("Pace", Fit::Split).hide(4),
        Col::new("Conf.", Fit::Keep).right().hide(1),
        Col::new("Note", Fit::Wrap(16)),
        Col::new("Author", Fit::Cut(8)).hide(5),
    ]);
    let mut t = Grid::new(style, cols);
    for e in &h.entries {
        let c = e.check_in;
        let [pc, bar] = progress_cells(style, e.attainment.clamp(0.0, 1.0), None);
        t.row(vec![
            Cell::new(c.date.to_string()),
            Cell::new(sanitize(&value_with_unit(&k.measure, c.value))),
            Cell::new(e.delta.map(signed).unwrap_or_default()),
            pc,
            bar,
            Cell::new(sanitize(&value_text(&k.measure, h.pace(c.date), whole))),
            Cell::new(c.confidence.map(percent).unwrap_or_default()),
            Cell::new(c.note.as_deref().map(sanitize).unwrap_or_default()),
            Cell::new(c.author.as_deref().map(sanitize).unwrap_or_default()),
        ]);
    }
    s.push_str(&t.render());
    s
}

/// The history as JSON (docs/reports.md).
pub fn to_json(h: &History<'_>) -> String {
    json::to_string(&json::HistoryJson::new(h))
}
