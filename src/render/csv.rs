//! `okr report --format csv`: one row per key result, for spreadsheets.
//!
//! Written with the `csv` crate (RFC 4180: a header row, CRLF line ends,
//! fields quoted when they hold a comma, quote or line break). A cell that
//! a spreadsheet could take for a formula, one starting with `=`, `+`, `-`,
//! `@`, a tab or a carriage return, gets a leading `'` so it is shown as
//! text and never run. That includes negative numbers (`'-0.5`); the
//! columns are listed in docs/reports.md. Cells are raw, like the JSON:
//! numbers without grouping or units, words as in the JSON (`improving`,
//! `reaches target`), never the human-formatted text of the table.

use super::report::Report;
use crate::model::{CheckValue, Measure, format_number};

/// The header row, in order.
pub const COLUMNS: &[&str] = &[
    "as_of",
    "objective_id",
    "objective",
    "objective_owner",
    "level",
    "period",
    "kind",
    "objective_progress",
    "objective_status",
    "objective_grade",
    "kr_id",
    "key_result",
    "owner",
    "measure",
    "start",
    "current",
    "target",
    "unit",
    "weight",
    "stretch",
    "progress",
    "attainment",
    "confidence",
    "last_check_in",
    "status",
    "grade",
    "trend_delta",
    "trend",
    "forecast_value",
    "forecast_progress",
    "forecast_reaches_target",
    "forecast",
    "objective_expected",
    "expected",
];

/// Makes a cell inert for spreadsheets (see the module docs).
pub fn inert(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// A number for a cell: rounded to 6 decimals, no trailing zeros.
fn num(v: f64) -> String {
    let r = (v * 1e6).round() / 1e6;
    format_number(if r == 0.0 { 0.0 } else { r })
}

fn opt_num(v: Option<f64>) -> String {
    v.map(num).unwrap_or_default()
}

fn value(v: CheckValue) -> String {
    match v {
        CheckValue::Number(n) => num(n),
        v => v.to_string(),
    }
}

/// The report as CSV text.
pub fn render(r: &Report<'_>) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut rows: Vec<Vec<String>> = vec![COLUMNS.iter().map(|c| c.to_string()).collect()];
    for o in &r.objectives {
        let ob = o.objective;
        for k in &o.key_results {
            let (start, target, unit) = match &k.kr.measure {
                Measure::Metric {
                    start,
                    target,
                    unit,
                } => (num(*start), num(*target), unit.clone().unwrap_or_default()),
                Measure::Milestone => (String::new(), String::new(), String::new()),
            };
            let f = k.forecast.as_ref().ok();
            rows.push(vec![
                r.as_of.to_string(),
                ob.id.clone(),
                ob.title.clone(),
                ob.owner.clone().unwrap_or_default(),
                ob.level.to_string(),
                ob.period.to_string(),
                ob.kind.to_string(),
                num(o.progress),
                o.status.clone().unwrap_or_default(),
                opt_num(o.grade),
                k.kr.id.clone(),
                k.kr.title.clone(),
                k.owner.unwrap_or_default().to_string(),
                k.kr.measure.kind_str().to_string(),
                start,
                value(k.progress.current),
                target,
                unit,
                num(k.kr.effective_weight()),
                k.kr.stretch.to_string(),
                num(k.progress.progress),
                num(k.progress.attainment),
                opt_num(k.progress.confidence),
                k.progress
                    .last_check_in
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                k.status.clone().unwrap_or_default(),
                opt_num(k.grade),
                opt_num(k.trend.map(|t| t.delta)),
                k.trend
                    .map(|t| t.direction().to_string())
                    .unwrap_or_default(),
                f.map(|f| num(f.value)).unwrap_or_default(),
                f.map(|f| num(f.progress)).unwrap_or_default(),
                f.map(|f| f.reaches_target.to_string()).unwrap_or_default(),
                match &k.forecast {
                    Ok(f) if f.reaches_target => "reaches target".to_string(),
                    Ok(_) => "short of target".to_string(),
                    Err(e) => e.reason(),
                },
                num(o.expected),
                num(k.expected),
            ]);
        }
    }
    for row in rows {
        // Writing into a Vec cannot fail; a failure would only lose the row.
        let _ = w.write_record(row.iter().map(|c| inert(c)));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_inert() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(inert(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(inert("Website visitors"), "Website visitors");
        assert_eq!(inert(""), "");
    }
}
