//! Terminal tables for `list` and `show`.

use comfy_table::{
    Attribute, Cell, CellAlignment, Color, ContentArrangement, LineStyle, Table, TableStyle,
};

use super::text::sanitize;
use super::{Style, percent, value_with_unit};
use crate::model::asof::AsOf;
use crate::model::{KeyResult, KrProgress, Measure, Objective, Status, format_number};

const BAR_WIDTH: usize = 10;

/// A borderless table with a rule under the header, coloured only when
/// `style` says so. Every terminal table in okr starts here.
pub(crate) fn new_table(style: Style, header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(
        TableStyle::new().header_separator(
            LineStyle::none()
                .fill(if style.ascii { '-' } else { '─' })
                .junction(' '),
        ),
    )
    .set_content_arrangement(ContentArrangement::Dynamic);
    if style.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t.set_header(
        header
            .iter()
            .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
    );
    t
}

/// Colour band of a progress or grade: red below 0.4, yellow below 0.7, green.
fn band(p: f64) -> Color {
    if p >= 0.7 {
        Color::Green
    } else if p >= 0.4 {
        Color::Yellow
    } else {
        Color::Red
    }
}

fn progress_cell(style: Style, p: f64) -> Cell {
    let c = Cell::new(format!("{} {:>4}", style.bar(p, BAR_WIDTH), percent(p)));
    if style.color { c.fg(band(p)) } else { c }
}

/// A progress cell coloured like its status, so a bar never disagrees with
/// the status beside it.
fn status_progress_cell(style: Style, p: f64, s: Status) -> Cell {
    let c = Cell::new(format!("{} {:>4}", style.bar(p, BAR_WIDTH), percent(p)));
    if style.color {
        c.fg(status_color(s))
    } else {
        c
    }
}

/// The one colour of a status, shared with `okr report`.
fn status_color(s: Status) -> Color {
    super::report::status_color(Some(s.as_str()), 0.0)
}

/// A status cell, coloured as the report colours that status.
pub fn status_cell(style: Style, s: Status) -> Cell {
    let c = Cell::new(s.as_str());
    if style.color {
        c.fg(status_color(s))
    } else {
        c
    }
}

fn opt(s: Option<&str>) -> String {
    s.map(sanitize).unwrap_or_default()
}

/// `current / target unit` (the current value of `p`), or the milestone state.
pub fn current_vs_target(k: &KeyResult, p: &KrProgress) -> String {
    match &k.measure {
        Measure::Metric { target, .. } => {
            let cur = match p.current {
                crate::model::CheckValue::Number(n) => format_number(n),
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
    let mut row = vec![
        Cell::new(format!("  {}", sanitize(&k.id))),
        Cell::new(format!("  {title}")),
        Cell::new(opt(k.owner.as_deref().or(o.owner.as_deref()))),
        status_progress_cell(style, p.progress, state.status),
        status_cell(style, state.status),
    ];
    row.extend([
        Cell::new(current_vs_target(k, &p)),
        Cell::new(p.confidence.map(percent).unwrap_or_default())
            .set_alignment(CellAlignment::Right),
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
    let mut header = vec!["ID", "Objective / key result", "Owner", "Progress"];
    header.push("Status");
    header.extend(["Current / target", "Conf.", "Last check-in"]);
    let mut t = new_table(style, &header);
    for (o, krs) in items {
        let committed = if o.kind == crate::model::Kind::Committed {
            ", committed"
        } else {
            ""
        };
        let mut title = Cell::new(format!(
            "{}  ({} {}{committed})",
            sanitize(&o.title),
            o.period,
            o.level,
        ));
        if style.color {
            title = title.add_attribute(Attribute::Bold);
        }
        let state = asof.objective(o);
        let mut row = vec![
            Cell::new(sanitize(&o.id)),
            title,
            Cell::new(opt(o.owner.as_deref())),
            status_progress_cell(style, state.progress, state.status),
            status_cell(style, state.status),
        ];
        row.extend([
            Cell::new(match o.key_results.len() {
                1 => "1 key result".to_string(),
                n => format!("{n} key results"),
            }),
            Cell::new(""),
            Cell::new(""),
        ]);
        t.add_row(row);
        for k in krs {
            t.add_row(kr_row(style, o, k, asof));
        }
    }
    format!("{t}\n")
}

/// The initiatives of some key results, one row each.
pub fn initiatives(style: Style, krs: &[&KeyResult]) -> String {
    let mut t = new_table(
        style,
        &[
            "Initiative",
            "Key result",
            "Title",
            "Status",
            "Owner",
            "Link",
        ],
    );
    let mut any = false;
    for k in krs {
        for i in &k.initiatives {
            any = true;
            t.add_row(vec![
                Cell::new(sanitize(&i.id)),
                Cell::new(sanitize(&k.id)),
                Cell::new(sanitize(&i.title)),
                Cell::new(i.status.as_str()),
                Cell::new(opt(i.owner.as_deref())),
                Cell::new(opt(i.link.as_deref())),
            ]);
        }
    }
    if any {
        format!("\nInitiatives\n{t}\n")
    } else {
        String::new()
    }
}

/// The `okr show` view of an objective.
pub fn show_objective(style: Style, o: &Objective, asof: &AsOf) -> String {
    let state = asof.objective(o);
    let mut s = String::new();
    s.push_str(&format!("{}\n", sanitize(&o.title)));
    let field = |s: &mut String, k: &str, v: String| s.push_str(&format!("  {k:<12}{v}\n"));
    field(&mut s, "id", sanitize(&o.id));
    if let Some(d) = &o.description {
        field(&mut s, "description", sanitize(d));
    }
    field(&mut s, "owner", opt(o.owner.as_deref()));
    field(&mut s, "level", o.level.to_string());
    field(&mut s, "period", o.period.to_string());
    field(&mut s, "kind", o.kind.to_string());
    field(&mut s, "parent", opt(o.parent.as_deref()));
    field(
        &mut s,
        "progress",
        format!(
            "{} {}",
            style.bar(state.progress, BAR_WIDTH),
            percent(state.progress)
        ),
    );
    field(&mut s, "status", state.status.to_string());
    field(&mut s, "expected", percent(state.expected));
    if let Some(g) = state.grade {
        field(&mut s, "grade", format!("{g:.2}"));
    }
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
    let mut s = String::new();
    s.push_str(&format!("{}\n", sanitize(&k.title)));
    let field = |s: &mut String, key: &str, v: String| s.push_str(&format!("  {key:<12}{v}\n"));
    field(&mut s, "id", sanitize(&k.id));
    field(
        &mut s,
        "objective",
        format!("{} ({})", sanitize(&o.title), sanitize(&o.id)),
    );
    field(
        &mut s,
        "owner",
        opt(k.owner.as_deref().or(o.owner.as_deref())),
    );
    match &k.measure {
        Measure::Metric {
            start,
            target,
            unit,
        } => {
            match k.threshold {
                Some(t) => {
                    field(&mut s, "kind", "threshold".into());
                    let side = match t.direction {
                        crate::model::Direction::AtLeast => "at least",
                        crate::model::Direction::AtMost => "at most",
                    };
                    field(&mut s, "stay", format!("{side} {}", format_number(t.bound)));
                }
                None => {
                    field(&mut s, "kind", "metric".into());
                    field(&mut s, "start", format_number(*start));
                    field(&mut s, "target", format_number(*target));
                }
            }
            if let Some(u) = unit {
                field(&mut s, "unit", sanitize(u));
            }
        }
        Measure::Milestone => field(&mut s, "kind", "milestone".into()),
    }
    field(&mut s, "weight", format_number(k.effective_weight()));
    if k.stretch {
        field(&mut s, "stretch", "yes".into());
    }
    field(&mut s, "current", current_vs_target(k, &p));
    field(
        &mut s,
        "progress",
        format!(
            "{} {} (attainment {})",
            style.bar(p.progress, BAR_WIDTH),
            percent(p.progress),
            percent(p.attainment)
        ),
    );
    if let Some(c) = p.confidence {
        field(&mut s, "confidence", percent(c));
    }
    field(&mut s, "forecast", forecast_line(k, &state.forecast));
    field(&mut s, "status", state.status.to_string());
    field(&mut s, "expected", percent(state.expected));
    if let Some(kpi) = &k.kpi {
        field(&mut s, "kpi", sanitize(kpi));
    }
    if let Some(g) = state.grade {
        let note = k
            .grade_note
            .as_deref()
            .map(|n| format!(" ({})", sanitize(n)))
            .unwrap_or_default();
        field(&mut s, "grade", format!("{g:.2}{note}"));
    }
    s.push('\n');
    let inits = initiatives(style, &[k]);
    if state.check_ins.is_empty() {
        s.push_str("No check-ins yet.\n");
        s.push_str(&inits);
        return s;
    }
    let mut t = new_table(
        style,
        &["Date", "Value", "Progress", "Conf.", "Note", "Author"],
    );
    for c in &state.check_ins {
        let prog = k.value_attainment(c.value).clamp(0.0, 1.0);
        t.add_row(vec![
            Cell::new(c.date.to_string()),
            Cell::new(sanitize(&value_with_unit(&k.measure, c.value))),
            progress_cell(style, prog),
            Cell::new(c.confidence.map(percent).unwrap_or_default()),
            Cell::new(opt(c.note.as_deref())),
            Cell::new(opt(c.author.as_deref())),
        ]);
    }
    s.push_str(&format!("{t}\n"));
    s.push_str(&inits);
    s
}

/// The forecast of `k` to its period's end, or why there is none.
fn forecast_line(
    k: &KeyResult,
    f: &Result<crate::model::forecast::Forecast, crate::model::forecast::NoForecast>,
) -> String {
    match f {
        Ok(_) => sanitize(&super::report::forecast_text(f, &k.measure)),
        Err(e) => e.reason(),
    }
}
