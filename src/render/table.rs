//! Terminal tables for `list` and `show`.
//!
//! Every table is a [`Grid`] (render::width), so it fits the output width:
//! titles wrap or shorten, IDs, statuses, numbers and dates stay whole.

use comfy_table::{Attribute, Cell as TCell, LineStyle, Table, TableStyle};

use super::style::{self, Tone, status_tone};
use super::text::{sanitize, sanitize_multiline};
use super::width::{Cell, Col, Fit, Grid};
use super::{Style, group, percent, value_with_unit};
use crate::model::asof::AsOf;
use crate::model::{KeyResult, KrProgress, Measure, Objective, Status};

const BAR_WIDTH: usize = 10;

/// A borderless comfy-table with a rule under the header. Kept for callers
/// that build a table by hand; okr's own tables are [`Grid`]s, which fit
/// the terminal.
pub fn new_table(style: Style, header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(
        TableStyle::new().header_separator(
            LineStyle::none()
                .fill(if style.ascii { '-' } else { '─' })
                .junction(' '),
        ),
    );
    if style.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t.set_header(
        header
            .iter()
            .map(|h| TCell::new(h).add_attribute(Attribute::Bold)),
    );
    t
}

/// The indent of a key result's title under its objective's. When titles
/// may wrap it is made of no-break spaces, which the wrapping keeps.
pub(crate) fn indent(style: Style) -> &'static str {
    if style.width.is_some() {
        "\u{a0}\u{a0}"
    } else {
        "  "
    }
}

/// The tone of a row: its status when known.
fn tone(status: Option<Status>) -> Option<Tone> {
    status.map(status_tone)
}

fn toned(c: Cell, t: Option<Tone>) -> Cell {
    match t {
        Some(t) => c.styled(t.ansi()),
        None => c,
    }
}

/// The percent and bar cells of a progress, in the row's tone.
pub fn progress_cells(style: Style, p: f64, t: Option<Tone>) -> [Cell; 2] {
    [
        toned(Cell::new(percent(p)), t),
        toned(Cell::new(style.bar(p, BAR_WIDTH)), t),
    ]
}

/// The progress columns: the percent, then the bar, which goes first
/// when room is short.
pub fn progress_cols(hide_bar: u8) -> [Col; 2] {
    [
        Col::new("Progress", Fit::Keep).right(),
        Col::new("", Fit::Keep).hide(hide_bar),
    ]
}

/// A status cell in its tone.
pub fn status_cell(s: Status) -> Cell {
    Cell::new(s.as_str()).styled(status_tone(s).ansi())
}

fn opt(s: Option<&str>) -> String {
    s.map(sanitize).unwrap_or_default()
}

/// `current / target unit` (the current value of `p`), or the milestone state.
pub fn current_vs_target(k: &KeyResult, p: &KrProgress) -> String {
    match &k.measure {
        Measure::Metric { target, unit, .. } => {
            let cur = match p.current {
                crate::model::CheckValue::Number(n) => super::bare(unit.as_deref(), n),
                v => v.to_string(),
            };
            let target = value_with_unit(&k.measure, crate::model::CheckValue::Number(*target));
            let sep = match k.threshold.map(|t| t.direction) {
                Some(crate::model::Direction::AtLeast) => " / ≥ ",
                Some(crate::model::Direction::AtMost) => " / ≤ ",
                None => " / ",
            };
            sanitize(&format!("{cur}{sep}{target}"))
        }
        Measure::Milestone => value_with_unit(&k.measure, p.current),
    }
}

fn kr_row(style: Style, o: &Objective, k: &KeyResult, asof: &AsOf) -> Vec<Cell> {
    let state = asof.key_result(o, k);
    let p = state.progress;
    let mut title = sanitize(&k.title);
    if k.stretch {
        title.push_str(" (stretch)");
    }
    let status = state.status;
    let [pc, bar] = progress_cells(style, p.progress, tone(Some(status)));
    let mut row = vec![
        Cell::new(format!("  {}", sanitize(&k.id))),
        Cell::new(format!("{}{title}", indent(style))),
        Cell::new(opt(k.owner.as_deref().or(o.owner.as_deref()))),
        pc,
        bar,
        status_cell(status),
    ];
    row.extend([
        Cell::new(current_vs_target(k, &p)),
        Cell::new(p.confidence.map(percent).unwrap_or_default()),
        Cell::new(
            p.last_check_in
                .map(|d| d.to_string())
                .unwrap_or_else(|| "never".into()),
        ),
    ]);
    row
}

/// The `okr list` table: each objective followed by its key results, every
/// number as of `asof`.
pub fn list(style: Style, items: &[(&Objective, Vec<&KeyResult>)], asof: &AsOf) -> String {
    let mut cols = vec![
        Col::new("ID", Fit::Keep),
        Col::new("Objective / key result", Fit::Wrap(20)),
        Col::new("Owner", Fit::Cut(10)).hide(3),
    ];
    cols.extend(progress_cols(2));
    cols.push(Col::new("Status", Fit::Keep));
    cols.extend([
        Col::new("Current / target", Fit::Split).hide(5),
        Col::new("Conf.", Fit::Keep).right().hide(1),
        Col::new("Last check-in", Fit::Keep).hide(4),
    ]);
    let mut t = Grid::new(style, cols);
    for (o, krs) in items {
        let committed = if o.kind == crate::model::Kind::Committed {
            ", committed"
        } else {
            ""
        };
        let title = Cell::new(format!(
            "{}  ({} {}{committed})",
            sanitize(&o.title),
            o.period,
            o.level,
        ))
        .styled(style::bold());
        let state = asof.objective(o);
        let [pc, bar] = progress_cells(style, state.progress, tone(Some(state.status)));
        let mut row = vec![
            Cell::new(sanitize(&o.id)),
            title,
            Cell::new(opt(o.owner.as_deref())),
            pc,
            bar,
            status_cell(state.status),
        ];
        row.push(Cell::new(match o.key_results.len() {
            1 => "1 key result".to_string(),
            n => format!("{n} key results"),
        }));
        t.row(row);
        for k in krs {
            t.row(kr_row(style, o, k, asof));
        }
    }
    t.render()
}

/// The initiatives of some key results, one row each.
pub fn initiatives(style: Style, krs: &[&KeyResult]) -> String {
    let mut t = Grid::new(
        style,
        vec![
            Col::new("Initiative", Fit::Keep),
            Col::new("Key result", Fit::Keep).hide(3),
            Col::new("Title", Fit::Wrap(16)),
            Col::new("Status", Fit::Keep),
            Col::new("Owner", Fit::Cut(10)).hide(2),
            Col::new("Link", Fit::Cut(12)).hide(1),
        ],
    );
    for k in krs {
        for i in &k.initiatives {
            t.row(vec![
                Cell::new(sanitize(&i.id)),
                Cell::new(sanitize(&k.id)),
                Cell::new(sanitize(&i.title)),
                Cell::new(i.status.as_str()),
                Cell::new(opt(i.owner.as_deref())),
                Cell::new(opt(i.link.as_deref())),
            ]);
        }
    }
    if t.is_empty() {
        String::new()
    } else {
        format!("\nInitiatives\n{}", t.render())
    }
}

/// `key  value` lines: the keys in one column, the values wrapped to the
/// width (each line of a multi-line value on its own line).
#[derive(Debug, Clone)]
pub struct Fields {
    grid: Grid,
}

impl Fields {
    /// An empty list of fields.
    pub fn new(style: Style) -> Fields {
        Fields {
            grid: Grid::new(
                style,
                vec![
                    Col::new("", Fit::Keep).at_least(11),
                    Col::new("", Fit::Wrap(20)),
                ],
            )
            .without_header()
            .max_lines(usize::MAX),
        }
    }

    /// Adds `key` with a plain value (already sanitised).
    pub fn add(&mut self, key: &str, value: impl Into<String>) {
        self.grid
            .row(vec![Cell::new(format!(" {key}")), Cell::new(value)]);
    }

    /// Adds `key` with a value in a tone.
    pub fn add_toned(&mut self, key: &str, value: impl Into<String>, tone: Tone) {
        self.grid.row(vec![
            Cell::new(format!(" {key}")),
            Cell::new(value).styled(tone.ansi()),
        ]);
    }

    /// The fields as text, indented like the rest of `show`.
    pub fn render(&self) -> String {
        self.grid.render()
    }
}

/// A title line, bold when colour is on.
pub fn title_line(style: Style, title: &str) -> String {
    format!("{}\n", style::paint(style, style::bold(), &sanitize(title)))
}

/// `bar percent` of a progress.
fn progress_text(style: Style, p: f64) -> String {
    format!("{} {}", style.bar(p, BAR_WIDTH), percent(p))
}

/// The `okr show` view of an objective.
pub fn show_objective(style: Style, o: &Objective, asof: &AsOf) -> String {
    let state = asof.objective(o);
    let mut s = title_line(style, &o.title);
    let mut f = Fields::new(style);
    f.add("id", sanitize(&o.id));
    if let Some(d) = &o.description {
        f.add("description", sanitize_multiline(d.trim_end()));
    }
    if let Some(w) = &o.owner {
        f.add("owner", sanitize(w));
    }
    f.add("level", o.level.to_string());
    f.add("period", o.period.to_string());
    f.add("kind", o.kind.to_string());
    if let Some(p) = &o.parent {
        f.add("parent", sanitize(p));
    }
    let progress = progress_text(style, state.progress);
    f.add_toned("progress", progress, status_tone(state.status));
    f.add_toned(
        "status",
        state.status.to_string(),
        status_tone(state.status),
    );
    f.add("expected", percent(state.expected));
    if let Some(g) = state.grade {
        f.add_toned("grade", format!("{g:.2}"), style::grade_tone(g));
    }
    s.push_str(&f.render());
    s.push('\n');
    let krs: Vec<&KeyResult> = o.key_results.iter().collect();
    s.push_str(&list(style, &[(o, krs.clone())], asof));
    s.push_str(&initiatives(style, &krs));
    s
}

/// The `okr show` view of a key result, with its check-in history.
pub fn show_key_result(style: Style, o: &Objective, k: &KeyResult, asof: &AsOf) -> String {
    let state = asof.key_result(o, k);
    let p = state.progress;
    let mut s = title_line(style, &k.title);
    let mut f = Fields::new(style);
    f.add("id", sanitize(&k.id));
    f.add(
        "objective",
        format!("{} ({})", sanitize(&o.title), sanitize(&o.id)),
    );
    if let Some(w) = k.owner.as_deref().or(o.owner.as_deref()) {
        f.add("owner", sanitize(w));
    }
    match &k.measure {
        Measure::Metric {
            start,
            target,
            unit,
        } => {
            let u = unit.as_deref();
            match k.threshold {
                Some(t) => {
                    f.add("kind", "threshold");
                    let side = match t.direction {
                        crate::model::Direction::AtLeast => "at least",
                        crate::model::Direction::AtMost => "at most",
                    };
                    f.add(
                        "stay",
                        sanitize(&format!("{side} {}", super::with_unit(u, t.bound))),
                    );
                }
                None => {
                    f.add("kind", "metric");
                    f.add("start", sanitize(&super::with_unit(u, *start)));
                    f.add("target", sanitize(&super::with_unit(u, *target)));
                }
            }
            if let Some(u) = unit {
                f.add("unit", sanitize(u));
            }
        }
        Measure::Milestone => f.add("kind", "milestone"),
    }
    f.add("weight", group(k.effective_weight()));
    if k.stretch {
        f.add("stretch", "yes");
    }
    f.add("current", current_vs_target(k, &p));
    let progress = format!(
        "{} (attainment {})",
        progress_text(style, p.progress),
        percent(p.attainment)
    );
    f.add_toned("progress", progress, status_tone(state.status));
    if let Some(c) = p.confidence {
        f.add("confidence", percent(c));
    }
    f.add("forecast", forecast_line(k, &state.forecast));
    f.add_toned(
        "status",
        state.status.to_string(),
        status_tone(state.status),
    );
    f.add("expected", percent(state.expected));
    if let Some(kpi) = &k.kpi {
        f.add("kpi", sanitize(kpi));
    }
    if let Some(g) = state.grade {
        let note = k
            .grade_note
            .as_deref()
            .map(|n| format!(" ({})", sanitize(n)))
            .unwrap_or_default();
        f.add_toned("grade", format!("{g:.2}{note}"), style::grade_tone(g));
    }
    s.push_str(&f.render());
    s.push('\n');
    let inits = initiatives(style, &[k]);
    if state.check_ins.is_empty() {
        s.push_str("No check-ins yet.\n");
        s.push_str(&inits);
        return s;
    }
    let mut cols = vec![Col::new("Date", Fit::Keep), Col::new("Value", Fit::Split)];
    cols.extend(progress_cols(2));
    cols.extend([
        Col::new("Conf.", Fit::Keep).right().hide(1),
        Col::new("Note", Fit::Wrap(16)),
        Col::new("Author", Fit::Cut(8)).hide(3),
    ]);
    let mut t = Grid::new(style, cols);
    for c in &state.check_ins {
        let prog = k.value_attainment(c.value).clamp(0.0, 1.0);
        let [pc, bar] = progress_cells(style, prog, None);
        t.row(vec![
            Cell::new(c.date.to_string()),
            Cell::new(sanitize(&value_with_unit(&k.measure, c.value))),
            pc,
            bar,
            Cell::new(c.confidence.map(percent).unwrap_or_default()),
            Cell::new(opt(c.note.as_deref())),
            Cell::new(opt(c.author.as_deref())),
        ]);
    }
    s.push_str(&t.render());
    s.push_str(&inits);
    s
}

/// The forecast line of `k`: the model's forecast as of the date, or why
/// there is none.
fn forecast_line(
    k: &KeyResult,
    f: &Result<crate::model::forecast::Forecast, crate::model::forecast::NoForecast>,
) -> String {
    match f {
        Ok(_) => sanitize(&super::report::forecast_text(f, k)),
        Err(e) => e.reason(),
    }
}
