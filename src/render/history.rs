//! `okr history`: every check-in of a key result, against the pace line.

use chrono::NaiveDate;
use comfy_table::{Cell, CellAlignment};

use super::json;
use super::report::{forecast_text, short_number, status_color};
use super::spark::sparkline;
use super::text::sanitize;
use super::{Style, percent, value_with_unit};
use crate::model::asof::{AsOf, KrState};
use crate::model::forecast::{self, Forecast, NoForecast};
use crate::model::history::{self, Entry};
use crate::model::{CheckValue, KeyResult, Measure, Objective, Status, format_number};

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

fn value_text(m: &Measure, v: f64) -> String {
    match m {
        Measure::Metric { .. } => {
            value_with_unit(m, CheckValue::Number((v * 100.0).round() / 100.0))
        }
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
    let mut s = String::new();
    s.push_str(&format!("{} ({})\n", sanitize(&k.title), sanitize(&k.id)));
    let field = |s: &mut String, key: &str, v: String| s.push_str(&format!("  {key:<11}{v}\n"));
    field(
        &mut s,
        "objective",
        sanitize(&format!(
            "{} ({}) · {}",
            h.objective.title, h.objective.id, h.objective.period
        )),
    );
    let arrow = if style.ascii { "->" } else { "→" };
    match &k.measure {
        Measure::Metric { start, target, .. } => field(
            &mut s,
            "measure",
            sanitize(&format!(
                "{} {arrow} {}",
                format_number(*start),
                value_with_unit(&k.measure, CheckValue::Number(*target))
            )),
        ),
        Measure::Milestone => field(&mut s, "measure", "milestone".into()),
    }
    field(&mut s, "as of", h.as_of.to_string());
    field(
        &mut s,
        "status",
        format!("{} (expected progress {})", h.status, percent(h.expected)),
    );
    let p = h.state.progress;
    field(
        &mut s,
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
        field(
            &mut s,
            "values",
            format!(
                "{}  ({n} check-in{})",
                sparkline(&values, style.ascii),
                if n == 1 { "" } else { "s" }
            ),
        );
    }
    let pace_today = h.pace(h.as_of.min(h.end));
    field(
        &mut s,
        "pace",
        sanitize(&format!(
            "{} expected on {} ({} of the period through)",
            value_text(&k.measure, pace_today),
            h.as_of.min(h.end),
            percent(forecast::elapsed(h.start, h.end, h.as_of))
        )),
    );
    field(
        &mut s,
        "forecast",
        match &h.forecast {
            Ok(_) => sanitize(&forecast_text(&h.forecast, &k.measure)),
            Err(e) => e.reason(),
        },
    );
    s.push('\n');
    if h.entries.is_empty() {
        s.push_str("No check-ins yet.\n");
        return s;
    }
    let mut t = super::table::new_table(
        style,
        &[
            "Date", "Value", "Delta", "Progress", "Pace", "Conf.", "Note", "Author",
        ],
    );
    for e in &h.entries {
        let c = e.check_in;
        let p = e.attainment.clamp(0.0, 1.0);
        let mut bar = Cell::new(format!("{} {:>4}", style.bar(p, 10), percent(p)));
        if style.color {
            bar = bar.fg(status_color(None, p));
        }
        t.add_row(vec![
            Cell::new(c.date.to_string()),
            Cell::new(sanitize(&value_with_unit(&k.measure, c.value))),
            Cell::new(e.delta.map(signed).unwrap_or_default()).set_alignment(CellAlignment::Right),
            bar,
            Cell::new(sanitize(&value_text(&k.measure, h.pace(c.date)))),
            Cell::new(c.confidence.map(percent).unwrap_or_default())
                .set_alignment(CellAlignment::Right),
            Cell::new(c.note.as_deref().map(sanitize).unwrap_or_default()),
            Cell::new(c.author.as_deref().map(sanitize).unwrap_or_default()),
        ]);
    }
    s.push_str(&format!("{t}\n"));
    s
}

/// The history as JSON (docs/reports.md).
pub fn to_json(h: &History<'_>) -> String {
    json::to_string(&json::HistoryJson::new(h))
}
